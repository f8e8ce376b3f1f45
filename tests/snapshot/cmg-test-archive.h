/* cmg-test-archive.h: builds ZIP archives for tests with libarchive's writer, laid out like a
 * Convex export, plus helpers to damage them. Tests of the snapshot reader and of the checks
 * include this file by path. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  CMG_TEST_ARCHIVE_DEFAULT   = 0,
  CMG_TEST_ARCHIVE_ZIP64     = 1 << 0, /* force ZIP64 extra fields everywhere */
  CMG_TEST_ARCHIVE_ENCRYPTED = 1 << 1, /* traditional ZIP encryption, passphrase "secret" */
  CMG_TEST_ARCHIVE_FAST      = 1 << 2, /* deflate level 1 (big generated fixtures) */
} CmgTestArchiveFlags;

typedef struct _CmgTestArchive CmgTestArchive;

/* Fills buffer with up to size bytes; returns how many, 0 at the end. */
typedef gsize (*CmgTestFillFunc) (guint8  *buffer,
                                  gsize    size,
                                  gpointer user_data);

CmgTestArchive *cmg_test_archive_new (const char          *path,
                                      CmgTestArchiveFlags  flags);
/* Entries added next are stored (TRUE) or deflated (FALSE, the default). */
void            cmg_test_archive_set_stored (CmgTestArchive *self,
                                             gboolean        stored);
/* Entries added next have their size in the local header (TRUE) or in a data descriptor after
 * the data (FALSE, the default, as Convex writes them). */
void            cmg_test_archive_set_sizes_known (CmgTestArchive *self,
                                                  gboolean        known);
void            cmg_test_archive_add (CmgTestArchive *self,
                                      const char     *name,
                                      const void     *data,
                                      gssize          length);
/* Streams an entry of any size from fill. Returns the bytes written. */
guint64         cmg_test_archive_add_generated (CmgTestArchive  *self,
                                                const char      *name,
                                                CmgTestFillFunc  fill,
                                                gpointer         user_data);
/* The Convex layout. component is "" or "a/b" (→ _components/a/_components/b/); schema is the
 * generated_schema.jsonl text ("\"uniform\"" for current exports) or NULL for none; number > 0
 * adds the table to that level's _tables/documents.jsonl (written by close). */
void            cmg_test_archive_add_readme (CmgTestArchive *self);
void            cmg_test_archive_add_table (CmgTestArchive *self,
                                            const char     *component,
                                            const char     *name,
                                            guint32         number,
                                            const char     *schema,
                                            const char     *documents);
/* Adds a line to a level's _tables without a table folder. */
void            cmg_test_archive_add_tables_line (CmgTestArchive *self,
                                                  const char     *component,
                                                  const char     *line);
/* A file of _storage and, if metadata is non-NULL, its line of _storage/documents.jsonl. */
void            cmg_test_archive_add_storage_file (CmgTestArchive *self,
                                                   const char     *component,
                                                   const char     *file_name,
                                                   const void     *data,
                                                   gsize           length,
                                                   const char     *metadata);
/* A line of a level's _storage/documents.jsonl without a file. */
void            cmg_test_archive_add_storage_metadata (CmgTestArchive *self,
                                                       const char     *component,
                                                       const char     *line);
/* Writes _tables and _storage/documents.jsonl of every level, finishes and frees. */
void            cmg_test_archive_close (CmgTestArchive *self);

/* Prefix of an entry path for a component ("" or "_components/a/_components/b/"). */
char           *cmg_test_component_prefix (const char *component);

/* Damage: replace every occurrence of find by replace (same length) in the file; returns the
 * number of replacements. */
guint           cmg_test_patch_file (const char *path,
                                     const void *find,
                                     const void *replace,
                                     gsize       length);
/* Rewrites the sizes of an entry in the central directory (not ZIP64); G_MAXUINT32 as
 * compressed_size keeps it. */
void            cmg_test_patch_central_sizes (const char *path,
                                              const char *name,
                                              guint32     compressed_size,
                                              guint32     uncompressed_size);
void            cmg_test_truncate_file (const char *path,
                                        gsize       length);
/* Writes a file with the given content (single-file sources). */
void            cmg_test_write_file (const char *path,
                                     const char *content,
                                     gssize      length);
/* A fresh temporary directory, removed by cmg_test_remove_dir. */
char           *cmg_test_make_temp_dir (void);
/* The start of a snapshot test program: g_test_init, the UTF-8 locale libarchive needs for
 * non-ASCII names, and a fresh temporary directory (returned) whose "cache" folder is the seek
 * index cache (CMG_CACHE_DIR), so no test touches the user's. */
char           *cmg_test_init (int    *argc,
                               char ***argv);
void            cmg_test_remove_dir (const char *path);

/* For the rule that a job reports no progress after its caller heard that it is over: pass
 * cmg_test_count_late_report as the progress function and the struct as its data, set finished in
 * the completion callback, then spin the context there (the job's task is still alive). */
typedef struct
{
  gboolean finished;
  guint    late_reports;
} CmgTestLateReports;
void            cmg_test_count_late_report (guint64  done,
                                            guint64  total,
                                            gpointer user_data);
/* Runs the thread-default main context for ms milliseconds, also from inside a callback that it
 * is dispatching. */
void            cmg_test_spin_context (guint ms);

G_END_DECLS
