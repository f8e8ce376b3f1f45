/* cmg-snapshot-private.h: what the reader's own files (counting, rows, search) share. */
#pragma once

#include <json-glib/json-glib.h>

#include "cmg-entry-stream.h"
#include "cmg-seek-index.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"

G_BEGIN_DECLS

const char        *cmg_snapshot_get_path (CmgSnapshot *self);
void               cmg_snapshot_get_identity (CmgSnapshot *self,
                                              guint64     *file_size,
                                              gint64      *mtime_usec);
int                cmg_snapshot_open_fd (CmgSnapshot  *self,
                                         GError      **error);
gboolean           cmg_snapshot_check_unchanged (CmgSnapshot  *self,
                                                 int           fd,
                                                 GError      **error);
const CmgZipEntry *cmg_snapshot_lookup_entry (CmgSnapshot *self,
                                              const char  *entry_path);
gboolean           cmg_snapshot_locate (CmgSnapshot       *self,
                                        const char        *entry_path,
                                        int                fd,
                                        CmgEntryLocation  *location,
                                        GError           **error);
char              *cmg_snapshot_make_index_key (CmgSnapshot       *self,
                                                const CmgZipEntry *entry);
CmgTableSchema     cmg_snapshot_read_schema (CmgSnapshot *self,
                                             int          fd,
                                             CmgTable    *table);
/* Loads the index from the cache, or builds (and caches) it with a full pass. */
CmgSeekIndex      *cmg_snapshot_ensure_index (CmgSnapshot   *self,
                                              CmgTable      *table,
                                              guint64       *progress_bytes,
                                              GCancellable  *cancellable,
                                              GError       **error);
/* CMG_SNAPSHOT_KIND_JSON: the parsed array (owned by the snapshot). */
JsonArray         *cmg_snapshot_get_json_array (CmgSnapshot  *self,
                                                GError      **error);

G_END_DECLS
