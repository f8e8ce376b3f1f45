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

/* Added by the reader. */

/* The CLI refuses JSON-array files above this size (JSONL has no limit). */
#define CMG_SNAPSHOT_CLI_JSON_LIMIT (8 * 1024 * 1024)

typedef struct _CmgTable CmgTable;

/* Why an entry of the archive is suspicious. Such entries are never extracted; absolute and `..`
 * names are not listed as tables either. */
typedef enum {
  CMG_ENTRY_PROBLEM_ABSOLUTE_PATH,
  CMG_ENTRY_PROBLEM_PARENT_REFERENCE,
  CMG_ENTRY_PROBLEM_DUPLICATE_NAME,
  CMG_ENTRY_PROBLEM_NON_UTF8_NAME,
  CMG_ENTRY_PROBLEM_ENCRYPTED,
  CMG_ENTRY_PROBLEM_UNSUPPORTED_METHOD,
} CmgEntryProblem;

typedef struct
{
  char           *name;     /* valid UTF-8 (bytes that were not are replaced) */
  CmgEntryProblem problem;
  char           *message;  /* translated, for people */
} CmgSuspiciousEntry;

/* One file of `_storage` (of the app or of a component). */
typedef struct
{
  char    *component;        /* "" or "a/b" */
  char    *entry_path;       /* "_storage/kg2….txt" */
  char    *storage_id;       /* the file name without its extension */
  guint64  size;
  guint64  compressed_size;
  char    *content_type;     /* from its metadata line, else guessed from the name */
  char    *metadata;         /* its line of _storage/documents.jsonl, NULL if none */
} CmgStorageFile;

gboolean        cmg_snapshot_has_readme (CmgSnapshot *self);
/* For CMG_SNAPSHOT_KIND_JSON: TRUE when the file is larger than the CLI accepts. */
gboolean        cmg_snapshot_exceeds_cli_json_limit (CmgSnapshot *self);
/* CmgSuspiciousEntry*, in archive order (transfer none). */
GPtrArray      *cmg_snapshot_get_suspicious_entries (CmgSnapshot *self);
/* CmgStorageFile*, in archive order (transfer none). Metadata lines are attached at open when
 * _storage/documents.jsonl is at most 1 MiB, else by cmg_snapshot_load_storage_metadata. */
GPtrArray      *cmg_snapshot_get_storage_files (CmgSnapshot *self);
/* Attaches the metadata lines not attached at open (blocking; do not read the storage files from
 * other threads meanwhile). */
gboolean        cmg_snapshot_load_storage_metadata (CmgSnapshot   *self,
                                                    GCancellable  *cancellable,
                                                    GError       **error);
guint64         cmg_snapshot_get_storage_bytes (CmgSnapshot *self);
/* Every entry name (valid UTF-8), in archive order (transfer none, const char*). */
GPtrArray      *cmg_snapshot_get_entry_names (CmgSnapshot *self);
gboolean        cmg_snapshot_has_entry (CmgSnapshot *self,
                                        const char  *entry_path);
/* Uncompressed size of an entry, or -1 if absent. */
gint64          cmg_snapshot_get_entry_size (CmgSnapshot *self,
                                             const char  *entry_path);
/* component "" for the app's own tables. Transfer none, or NULL. */
CmgTable       *cmg_snapshot_find_table (CmgSnapshot *self,
                                         const char  *component,
                                         const char  *name);

/* Counts (and indexes) the table if needed, synchronously: callable from any thread. A cached
 * index makes it instant. Returns the number of documents or -1 with error. */
gint64          cmg_snapshot_count_table (CmgSnapshot   *self,
                                          CmgTable      *table,
                                          guint64       *progress_bytes,
                                          GCancellable  *cancellable,
                                          GError       **error);

/* Like cmg_snapshot_read_lines over a table's documents, starting at row first_row (0-based)
 * through the table's index (counts it first if needed). Lines of JSON-array sources are the
 * array's elements; the header of a CSV file is not a row. line_number is the 1-based line of
 * the entry (for a CSV, the header is line 1). */
gboolean        cmg_snapshot_read_table_rows (CmgSnapshot   *self,
                                              CmgTable      *table,
                                              guint64        first_row,
                                              CmgLineFunc    func,
                                              gpointer       user_data,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* Counts every table in worker threads (largest first, one per processor), building and caching
 * each table's seek index, updating CmgTable:documents. progress is called in the caller's main
 * context with the uncompressed bytes read so far and the total. */
typedef void (*CmgSnapshotProgressFunc) (guint64  done_bytes,
                                         guint64  total_bytes,
                                         gpointer user_data);
void            cmg_snapshot_count_async (CmgSnapshot             *self,
                                          GCancellable            *cancellable,
                                          CmgSnapshotProgressFunc  progress,
                                          gpointer                 progress_data,
                                          GDestroyNotify           progress_destroy,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data);
gboolean        cmg_snapshot_count_finish (CmgSnapshot   *self,
                                           GAsyncResult  *result,
                                           GError       **error);
/* The same, blocking (for the CLI). */
gboolean        cmg_snapshot_count (CmgSnapshot   *self,
                                    GCancellable  *cancellable,
                                    GError       **error);

G_END_DECLS
