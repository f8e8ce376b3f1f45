/* cmg-snapshot.h: an opened Convex export (a ZIP, or a single .jsonl/.json/.csv file) as a list of
 * tables. Opening reads only the ZIP's central directory; everything that streams documents opens
 * its own handle, so it may run in any thread. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CMG_SNAPSHOT_ERROR (cmg_snapshot_error_quark ())
typedef enum {
  CMG_SNAPSHOT_ERROR_NOT_FOUND,
  CMG_SNAPSHOT_ERROR_UNREADABLE,     /* I/O error, permission */
  CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE, /* not a ZIP and not a recognised single-table file */
  CMG_SNAPSHOT_ERROR_CORRUPT,        /* truncated, bad CRC, inconsistent sizes */
  CMG_SNAPSHOT_ERROR_UNSUPPORTED,    /* encrypted entries, unknown compression */
  CMG_SNAPSHOT_ERROR_TOO_LARGE,      /* past a stated memory bound (zip bomb, JSON array > limit) */
  CMG_SNAPSHOT_ERROR_CHANGED,        /* the file changed while it was read */
  CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE,
} CmgSnapshotError;
GQuark cmg_snapshot_error_quark (void);

typedef enum {
  CMG_SNAPSHOT_KIND_ZIP,
  CMG_SNAPSHOT_KIND_JSONL,
  CMG_SNAPSHOT_KIND_JSON,
  CMG_SNAPSHOT_KIND_CSV,
} CmgSnapshotKind;
const char *cmg_snapshot_kind_to_string (CmgSnapshotKind kind); /* "zip" "jsonl" "json" "csv" */

/* Lines longer than this are handed over truncated (the rest is skipped, never buffered). */
#define CMG_SNAPSHOT_MAX_LINE (16 * 1024 * 1024)

/* One line of an entry, without its '\n' (a '\r' before it is kept, so checks can see CRLF).
 * line_number is 1-based. Return FALSE to stop reading. */
typedef gboolean (*CmgLineFunc) (const char *line,
                                 gsize       length,
                                 gboolean    truncated,
                                 guint64     line_number,
                                 gpointer    user_data);

#define CMG_TYPE_SNAPSHOT (cmg_snapshot_get_type ())
G_DECLARE_FINAL_TYPE (CmgSnapshot, cmg_snapshot, CMG, SNAPSHOT, GObject)

CmgSnapshot    *cmg_snapshot_open (GFile *file, GError **error);
GFile          *cmg_snapshot_get_file (CmgSnapshot *self);
CmgSnapshotKind cmg_snapshot_get_kind (CmgSnapshot *self);
/* A GListModel of CmgTable (cmg-table.h), user tables of the app first, then components. */
GListModel     *cmg_snapshot_get_tables (CmgSnapshot *self);

/* Streams one entry (a table's documents.jsonl, _tables/documents.jsonl, …) line by line, from
 * its own handle: callable from any thread. progress_bytes (may be NULL) is updated with the
 * uncompressed bytes read so far (atomically). */
gboolean        cmg_snapshot_read_lines (CmgSnapshot   *self,
                                         const char    *entry_path,
                                         CmgLineFunc    func,
                                         gpointer       user_data,
                                         guint64       *progress_bytes,
                                         GCancellable  *cancellable,
                                         GError       **error);
/* Reads a whole small entry (README.md, generated_schema.jsonl, a storage file) up to max_size
 * bytes; larger fails with CMG_SNAPSHOT_ERROR_TOO_LARGE. */
GBytes         *cmg_snapshot_read_entry (CmgSnapshot   *self,
                                         const char    *entry_path,
                                         gsize          max_size,
                                         GCancellable  *cancellable,
                                         GError       **error);

G_END_DECLS
