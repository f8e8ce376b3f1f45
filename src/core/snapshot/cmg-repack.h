/* cmg-repack.h: a new ZIP with a chosen subset of an export's tables (and optionally its file
 * storage), laid out as `npx convex import` expects, for partial restores. Each kept table keeps
 * its _tables line and its generated_schema.jsonl, so table numbers, Ids and Int64 values survive
 * the import. Streams: memory does not grow with the size of the archive. */
#pragma once

#include <gio/gio.h>

#include "cmg-snapshot.h"

G_BEGIN_DECLS

#define CMG_REPACK_ERROR (cmg_repack_error_quark ())
typedef enum {
  CMG_REPACK_ERROR_EXISTS,         /* the destination exists: it is never overwritten */
  CMG_REPACK_ERROR_NO_SUCH_TABLE,
  CMG_REPACK_ERROR_NOTHING_CHOSEN, /* no tables and no storage */
  CMG_REPACK_ERROR_WRITE,          /* the destination folder is not writable, disk full… */
  CMG_REPACK_ERROR_UNSUPPORTED,    /* not a ZIP export, or a line too long to copy */
} CmgRepackError;
GQuark cmg_repack_error_quark (void);

/* tables: qualified names ("users", "component/path:table"), NULL-terminated. progress_bytes
 * (may be NULL) grows atomically with the uncompressed bytes copied. Blocking. */
gboolean cmg_repack (CmgSnapshot         *snapshot,
                     const char * const  *tables,
                     gboolean             include_storage,
                     GFile               *destination,
                     guint64             *progress_bytes,
                     GCancellable        *cancellable,
                     GError             **error);

/* Called in the caller's main context, at most every 100 ms. */
typedef void (*CmgRepackProgressFunc) (guint64  done_bytes,
                                       guint64  total_bytes,
                                       gpointer user_data);

void     cmg_repack_async (CmgSnapshot            *snapshot,
                           const char * const     *tables,
                           gboolean                include_storage,
                           GFile                  *destination,
                           GCancellable           *cancellable,
                           CmgRepackProgressFunc   progress,
                           gpointer                progress_data,
                           GAsyncReadyCallback     callback,
                           gpointer                user_data);
gboolean cmg_repack_finish (GAsyncResult  *result,
                            GError       **error);

G_END_DECLS
