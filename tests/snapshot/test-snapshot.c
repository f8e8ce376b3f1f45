/* test-snapshot.c: opening archives and single files, listing tables, reading lines and entries. */
#include "config.h"

#include <fcntl.h>
#include <unistd.h>
#include <string.h>

#include "cmg-document-source.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-zip-directory.h"
#include "cmg-test-archive.h"

static char *tmp_dir;

static char *
tmp_path (const char *name)
{
  return g_build_filename (tmp_dir, name, NULL);
}

static CmgSnapshot *
open_path (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  return cmg_snapshot_open (file, error);
}

static CmgTable *
table_at (CmgSnapshot *snapshot,
          guint        i)
{
  CmgTable *table = g_list_model_get_item (cmg_snapshot_get_tables (snapshot), i);
  g_object_unref (table);  /* the snapshot's list keeps it */
  return table;
}

#define DOC1 "{\"_creationTime\":1732406450000.125,\"_id\":\"a\",\"n\":1}"
#define DOC2 "{\"_creationTime\":1732406450001.5,\"_id\":\"b\",\"n\":2}"

static char *
build_export (const char *name)
{
  char *path = tmp_path (name);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);

  cmg_test_archive_add_readme (a);
  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", DOC1 "\n" DOC2 "\n");
  cmg_test_archive_add_table (a, "", "messages", 10002, "{\"type\":\"any\"}", DOC1 "\n");
  cmg_test_archive_add_table (a, "", "empty", 10003, NULL, "");
  cmg_test_archive_add_table (a, "ratelimiter", "limits", 10001, "\"uniform\"", DOC1 "\n");
  cmg_test_archive_add_table (a, "workflow/workpool", "jobs", 10005, "\"uniform\"",
                              DOC1 "\n" DOC2 "\n" DOC1 "\n");
  cmg_test_archive_add_storage_file (a, "", "kg2a6bphbjv91qahresftq15e8zqyd82.txt", "hello", 5,
                                     "{\"_creationTime\":1.0,\"_id\":\"kg2a6bphbjv91qahresftq15e8zqyd82\","
                                     "\"contentType\":\"text/plain\",\"sha256\":\"x\",\"size\":5}");
  cmg_test_archive_add_storage_file (a, "", "kg2b.png", "\x89PNG....", 8, NULL);
  cmg_test_archive_close (a);
  return path;
}

static void
test_layout (void)
{
  g_autofree char *path = build_export ("layout.zip");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = open_path (path, &error);
  GListModel *tables;
  GPtrArray *storage;
  CmgTable *t;
  gint64 documents;
  g_autofree char *component = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (cmg_snapshot_get_kind (snapshot), ==, CMG_SNAPSHOT_KIND_ZIP);
  g_assert_cmpstr (cmg_snapshot_kind_to_string (CMG_SNAPSHOT_KIND_ZIP), ==, "zip");
  g_assert_true (cmg_snapshot_has_readme (snapshot));
  tables = cmg_snapshot_get_tables (snapshot);
  g_assert_cmpuint (g_list_model_get_n_items (tables), ==, 5);
  g_assert_true (g_list_model_get_item_type (tables) == CMG_TYPE_TABLE);

  /* The app's own tables first (by name), then components. */
  t = table_at (snapshot, 0);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "empty");
  g_assert_cmpstr (cmg_table_get_component (t), ==, "");
  g_assert_cmpuint (cmg_table_get_number (t), ==, 10003);
  g_assert_cmpint (cmg_table_get_schema (t), ==, CMG_TABLE_SCHEMA_MISSING);
  g_assert_cmpuint (cmg_table_get_bytes (t), ==, 0);

  t = table_at (snapshot, 1);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "messages");
  g_assert_cmpint (cmg_table_get_schema (t), ==, CMG_TABLE_SCHEMA_LEGACY);
  g_assert_cmpuint (cmg_table_get_number (t), ==, 10002);

  t = table_at (snapshot, 2);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "users");
  g_assert_cmpint (cmg_table_get_schema (t), ==, CMG_TABLE_SCHEMA_UNIFORM);
  g_assert_cmpuint (cmg_table_get_number (t), ==, 10001);
  g_assert_cmpuint (cmg_table_get_bytes (t), ==, strlen (DOC1 "\n" DOC2 "\n"));
  g_assert_cmpuint (cmg_table_get_compressed_bytes (t), >, 0);
  g_assert_cmpstr (cmg_table_get_entry_path (t), ==, "users/documents.jsonl");
  g_assert_cmpint (cmg_table_get_documents (t), ==, -1);
  g_object_get (t, "documents", &documents, "component", &component, NULL);
  g_assert_cmpint (documents, ==, -1);
  g_assert_cmpstr (component, ==, "");

  t = table_at (snapshot, 3);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "limits");
  g_assert_cmpstr (cmg_table_get_component (t), ==, "ratelimiter");
  g_assert_cmpuint (cmg_table_get_number (t), ==, 10001);
  g_assert_cmpstr (cmg_table_get_entry_path (t), ==, "_components/ratelimiter/limits/documents.jsonl");

  t = table_at (snapshot, 4);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "jobs");
  g_assert_cmpstr (cmg_table_get_component (t), ==, "workflow/workpool");
  g_assert_cmpuint (cmg_table_get_number (t), ==, 10005);
  g_assert_true (cmg_snapshot_find_table (snapshot, "workflow/workpool", "jobs") == t);
  g_assert_null (cmg_snapshot_find_table (snapshot, "", "jobs"));

  storage = cmg_snapshot_get_storage_files (snapshot);
  g_assert_cmpuint (storage->len, ==, 2);
  {
    CmgStorageFile *f = g_ptr_array_index (storage, 0);
    CmgStorageFile *g = g_ptr_array_index (storage, 1);

    g_assert_cmpstr (f->storage_id, ==, "kg2a6bphbjv91qahresftq15e8zqyd82");
    g_assert_cmpstr (f->content_type, ==, "text/plain");
    g_assert_cmpuint (f->size, ==, 5);
    g_assert_nonnull (f->metadata);
    g_assert_nonnull (strstr (f->metadata, "\"sha256\":\"x\""));
    g_assert_cmpstr (g->storage_id, ==, "kg2b");
    g_assert_cmpstr (g->content_type, ==, "image/png");  /* guessed from the name */
    g_assert_null (g->metadata);
  }
  g_assert_cmpuint (cmg_snapshot_get_storage_bytes (snapshot), ==, 13);
  g_assert_cmpuint (cmg_snapshot_get_suspicious_entries (snapshot)->len, ==, 0);
  g_assert_true (cmg_snapshot_has_entry (snapshot, "_tables/documents.jsonl"));
  g_assert_cmpint (cmg_snapshot_get_entry_size (snapshot, "README.md"), >, 0);
  g_assert_cmpint (cmg_snapshot_get_entry_size (snapshot, "nope"), ==, -1);
}

typedef struct
{
  GPtrArray *lines;
  GArray    *numbers;
  guint      stop_after;
  gboolean   any_truncated;
} Lines;

static gboolean
collect (const char *line,
         gsize       length,
         gboolean    truncated,
         guint64     line_number,
         gpointer    user_data)
{
  Lines *l = user_data;

  g_assert_cmpint (line[length], ==, '\0');
  g_ptr_array_add (l->lines, g_strndup (line, length));
  g_array_append_val (l->numbers, line_number);
  l->any_truncated |= truncated;
  return l->stop_after == 0 || l->lines->len < l->stop_after;
}

static void
lines_init (Lines *l)
{
  memset (l, 0, sizeof *l);
  l->lines = g_ptr_array_new_with_free_func (g_free);
  l->numbers = g_array_new (FALSE, FALSE, sizeof (guint64));
}

static void
lines_clear (Lines *l)
{
  g_ptr_array_unref (l->lines);
  g_array_unref (l->numbers);
}

static void
test_read_lines (void)
{
  g_autofree char *path = tmp_path ("lines.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint64 progress = 0;
  Lines l;

  cmg_test_archive_add_table (a, "", "t", 10001, "\"uniform\"", "{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}");
  cmg_test_archive_set_stored (a, TRUE);
  cmg_test_archive_add (a, "stored/documents.jsonl", "{\"s\":1}\n{\"s\":2}\n", -1);
  cmg_test_archive_close (a);

  snapshot = open_path (path, &error);
  g_assert_no_error (error);

  lines_init (&l);
  g_assert_true (cmg_snapshot_read_lines (snapshot, "t/documents.jsonl", collect, &l, &progress,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (l.lines->len, ==, 4);
  g_assert_cmpstr (g_ptr_array_index (l.lines, 0), ==, "{\"a\":1}\r");  /* CRLF kept for checks */
  g_assert_cmpstr (g_ptr_array_index (l.lines, 1), ==, "");
  g_assert_cmpstr (g_ptr_array_index (l.lines, 2), ==, "{\"b\":2}");
  g_assert_cmpstr (g_ptr_array_index (l.lines, 3), ==, "{\"c\":3}");  /* no final '\n' */
  g_assert_cmpuint (g_array_index (l.numbers, guint64, 0), ==, 1);
  g_assert_cmpuint (g_array_index (l.numbers, guint64, 3), ==, 4);
  g_assert_cmpuint (progress, ==, strlen ("{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}"));
  g_assert_false (l.any_truncated);
  lines_clear (&l);

  /* Stopping early. */
  lines_init (&l);
  l.stop_after = 2;
  g_assert_true (cmg_snapshot_read_lines (snapshot, "t/documents.jsonl", collect, &l, NULL, NULL,
                                          &error));
  g_assert_cmpuint (l.lines->len, ==, 2);
  lines_clear (&l);

  lines_init (&l);
  g_assert_true (cmg_snapshot_read_lines (snapshot, "stored/documents.jsonl", collect, &l, NULL,
                                          NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (l.lines->len, ==, 2);
  g_assert_cmpstr (g_ptr_array_index (l.lines, 1), ==, "{\"s\":2}");
  lines_clear (&l);

  bytes = cmg_snapshot_read_entry (snapshot, "t/documents.jsonl", 1024, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}", strlen ("{\"a\":1}\r\n\n{\"b\":2}\n{\"c\":3}"));
  g_clear_pointer (&bytes, g_bytes_unref);
  bytes = cmg_snapshot_read_entry (snapshot, "_tables/documents.jsonl", 1024, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                   "{\"name\":\"t\",\"id\":10001}\n", strlen ("{\"name\":\"t\",\"id\":10001}\n"));

  g_assert_null (cmg_snapshot_read_entry (snapshot, "t/documents.jsonl", 4, NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_TOO_LARGE);
  g_clear_error (&error);
  g_assert_false (cmg_snapshot_read_lines (snapshot, "missing/documents.jsonl", collect, &l,
                                           NULL, NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE);
}

static void
test_zip_variants (void)
{
  /* ZIP64 extra fields, sizes known up front (no data descriptor), and the default (with). */
  const CmgTestArchiveFlags flags[] = { CMG_TEST_ARCHIVE_ZIP64, CMG_TEST_ARCHIVE_DEFAULT };

  for (guint v = 0; v < 3; v++)
    {
      g_autofree char *path = tmp_path ("variant.zip");
      CmgTestArchive *a = cmg_test_archive_new (path, flags[v % 2]);
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgSnapshot) snapshot = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GMappedFile) mapped = NULL;
      Lines l;
      int fd;

      cmg_test_archive_set_sizes_known (a, v == 2);
      cmg_test_archive_set_stored (a, v == 2);
      cmg_test_archive_add_table (a, "", "t", 10001, "\"uniform\"", DOC1 "\n" DOC2 "\n");
      cmg_test_archive_close (a);

      fd = open (path, O_RDONLY);
      g_assert_cmpint (fd, >=, 0);
      mapped = g_mapped_file_new (path, FALSE, NULL);
      entries = cmg_zip_read_directory (fd, g_mapped_file_get_length (mapped), &error);
      close (fd);
      g_assert_no_error (error);
      g_assert_cmpuint (entries->len, ==, 3);
      /* bit 3: sizes in a data descriptor after the data, as Convex writes them */
      if (v < 2)
        g_assert_cmpint (((CmgZipEntry *) g_ptr_array_index (entries, 0))->flags & 8, ==, 8);

      snapshot = open_path (path, &error);
      g_assert_no_error (error);
      lines_init (&l);
      g_assert_true (cmg_snapshot_read_lines (snapshot, "t/documents.jsonl", collect, &l, NULL,
                                              NULL, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (l.lines->len, ==, 2);
      g_assert_cmpstr (g_ptr_array_index (l.lines, 1), ==, DOC2);
      lines_clear (&l);
      g_assert_cmpuint (cmg_table_get_number (table_at (snapshot, 0)), ==, 10001);
    }
}

static void
test_single_files (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *jsonl = tmp_path ("people.jsonl");
  g_autofree char *json = tmp_path ("cities.json");
  g_autofree char *csv = tmp_path ("rows.csv");
  g_autofree char *misnamed = tmp_path ("really-jsonl.txt");
  g_autofree char *big = tmp_path ("big.json");
  g_autofree char *garbage = tmp_path ("garbage.zip");
  g_autoptr(CmgSnapshot) s = NULL;
  CmgTable *t;
  Lines l;

  cmg_test_write_file (jsonl, DOC1 "\n" DOC2 "\n", -1);
  s = open_path (jsonl, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_snapshot_get_kind (s), ==, CMG_SNAPSHOT_KIND_JSONL);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (s)), ==, 1);
  t = table_at (s, 0);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "people");
  g_assert_cmpint (cmg_snapshot_count_table (s, t, NULL, NULL, &error), ==, 2);
  g_assert_cmpint (cmg_table_get_documents (t), ==, 2);
  g_clear_object (&s);

  /* Content decides, not the extension. */
  cmg_test_write_file (misnamed, DOC1 "\n", -1);
  s = open_path (misnamed, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_snapshot_get_kind (s), ==, CMG_SNAPSHOT_KIND_JSONL);
  g_assert_cmpstr (cmg_table_get_name (table_at (s, 0)), ==, "really-jsonl");
  g_clear_object (&s);

  cmg_test_write_file (json, "[\n  " DOC1 ",\n  " DOC2 ",\n  {\"x\": [1, 2]}\n]\n", -1);
  s = open_path (json, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_snapshot_get_kind (s), ==, CMG_SNAPSHOT_KIND_JSON);
  g_assert_false (cmg_snapshot_exceeds_cli_json_limit (s));
  t = table_at (s, 0);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "cities");
  g_assert_cmpint (cmg_snapshot_count_table (s, t, NULL, NULL, &error), ==, 3);
  lines_init (&l);
  g_assert_true (cmg_snapshot_read_lines (s, cmg_table_get_entry_path (t), collect, &l, NULL,
                                          NULL, &error));
  g_assert_cmpuint (l.lines->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (l.lines, 2), ==, "{\"x\":[1,2]}");
  lines_clear (&l);
  lines_init (&l);
  g_assert_true (cmg_snapshot_read_table_rows (s, t, 1, collect, &l, NULL, &error));
  g_assert_cmpuint (l.lines->len, ==, 2);
  g_assert_cmpuint (g_array_index (l.numbers, guint64, 0), ==, 2);
  lines_clear (&l);
  g_clear_object (&s);

  cmg_test_write_file (csv, "name,age\nada,36\nalan,41\n", -1);
  s = open_path (csv, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_snapshot_get_kind (s), ==, CMG_SNAPSHOT_KIND_CSV);
  t = table_at (s, 0);
  g_assert_cmpstr (cmg_table_get_name (t), ==, "rows");
  g_assert_cmpint (cmg_snapshot_count_table (s, t, NULL, NULL, &error), ==, 2);  /* no header */
  lines_init (&l);
  g_assert_true (cmg_snapshot_read_table_rows (s, t, 1, collect, &l, NULL, &error));
  g_assert_cmpuint (l.lines->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (l.lines, 0), ==, "alan,41");
  lines_clear (&l);
  g_clear_object (&s);

  /* A JSON array above the CLI's 8 MiB limit is flagged. */
  {
    GString *text = g_string_new ("[");
    while (text->len <= CMG_SNAPSHOT_CLI_JSON_LIMIT)
      g_string_append (text, DOC1 ",\n");
    g_string_append (text, DOC2 "]");
    cmg_test_write_file (big, text->str, (gssize) text->len);
    g_string_free (text, TRUE);
  }
  s = open_path (big, &error);
  g_assert_no_error (error);
  g_assert_true (cmg_snapshot_exceeds_cli_json_limit (s));
  g_clear_object (&s);

  cmg_test_write_file (garbage, "\x7f" "ELF\x02\x01\x01\x00\x00\x00", 10);
  s = open_path (garbage, &error);
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE);
  g_assert_null (s);
  g_clear_error (&error);

  {
    g_autofree char *missing = tmp_path ("does-not-exist.zip");
    s = open_path (missing, &error);
    g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_FOUND);
    g_clear_error (&error);
    s = open_path (tmp_dir, &error);
    g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE);
    g_clear_error (&error);
  }
}

static void
test_leading_folder (void)
{
  g_autofree char *path = tmp_path ("rezipped.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;

  cmg_test_archive_add (a, "snapshot_x/README.md", "readme\n", -1);
  cmg_test_archive_add (a, "snapshot_x/_tables/documents.jsonl", "{\"name\":\"t\",\"id\":10042}\n", -1);
  cmg_test_archive_add (a, "snapshot_x/t/documents.jsonl", DOC1 "\n", -1);
  cmg_test_archive_close (a);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (s)), ==, 1);
  g_assert_cmpstr (cmg_table_get_name (table_at (s, 0)), ==, "t");
  g_assert_cmpuint (cmg_table_get_number (table_at (s, 0)), ==, 10042);
  g_assert_true (cmg_snapshot_has_readme (s));
}

static void
test_storage_metadata_later (void)
{
  g_autofree char *path = tmp_path ("storage.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  CmgStorageFile *f;

  cmg_test_archive_add_storage_file (a, "", "real.json", "{}", 2,
                                     "{\"_id\":\"real\",\"contentType\":\"application/x-custom\","
                                     "\"size\":2}");
  /* More than 1 MiB of metadata (of files that are not there) is left for later. */
  for (guint i = 0; i < 20000; i++)
    {
      g_autofree char *line = g_strdup_printf ("{\"_id\":\"missing%05u\",\"contentType\":"
                                               "\"text/plain\",\"sha256\":\"AAAA\",\"size\":1}", i);
      cmg_test_archive_add_storage_metadata (a, "", line);
    }
  cmg_test_archive_close (a);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cmg_snapshot_get_storage_files (s)->len, ==, 1);
  f = g_ptr_array_index (cmg_snapshot_get_storage_files (s), 0);
  g_assert_null (f->metadata);
  g_assert_cmpstr (f->content_type, ==, "application/json");  /* guessed */
  g_assert_true (cmg_snapshot_load_storage_metadata (s, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (f->metadata);
  g_assert_cmpstr (f->content_type, ==, "application/x-custom");
}

static void
test_document_source_small (void)
{
  g_autofree char *path = tmp_path ("docs.jsonl");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  g_autoptr(CmgDocumentSource) source = NULL;
  g_autoptr(CmgDocument) good = NULL;
  g_autoptr(CmgDocument) bad = NULL;
  CmgTable *t;
  guint64 row = 0;

  cmg_test_write_file (path, DOC1 "\n{not json\n" DOC2 "\n", -1);
  s = open_path (path, &error);
  g_assert_no_error (error);
  t = table_at (s, 0);
  source = cmg_document_source_new (s, t);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (source)) == CMG_TYPE_DOCUMENT);
  /* Not counted yet: an empty list, but rows can be asked for (the CLI's --rows). */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (source)), ==, 0);
  good = cmg_document_source_get_row (source, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmg_document_get_json (good), ==, DOC2);
  g_object_get (good, "row", &row, NULL);
  g_assert_cmpuint (row, ==, 2);
  g_assert_nonnull (cmg_document_get_node (good, &error));
  g_assert_true (cmg_document_get_node (good, NULL) == cmg_document_get_node (good, NULL));
  /* Counting happened on the way; the model follows once the main context runs. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (source)), ==, 3);

  bad = g_list_model_get_item (G_LIST_MODEL (source), 1);
  g_assert_cmpstr (cmg_document_get_json (bad), ==, "{not json");
  g_assert_null (cmg_document_get_node (bad, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == JSON_PARSER_ERROR);
}

/* Where a table's entries sit, as repack and the checks rebuild entry paths from it. */
static void
test_table_folders (void)
{
  struct {
    const char *name;
    const char *component;
    const char *entry_path;
    const char *leading;
  } cases[] = {
    { "users", "", "users/documents.jsonl", "" },
    { "users", "", "export/users/documents.jsonl", "export/" },
    { "jobs", "a/b", "_components/a/_components/b/jobs/documents.jsonl", "" },
    { "jobs", "a/b", "dump/_components/a/_components/b/jobs/documents.jsonl", "dump/" },
    { "jobs", "a", "dump/_components/b/jobs/documents.jsonl", "" },
    { "users", "", "users.jsonl", "" },
  };
  g_autofree char *none = cmg_table_dup_component_folder ("");
  g_autofree char *nested = cmg_table_dup_component_folder ("a/b");

  g_assert_cmpstr (none, ==, "");
  g_assert_cmpstr (nested, ==, "_components/a/_components/b/");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmgTable) table = cmg_table_new (cases[i].name, cases[i].component,
                                                 cases[i].entry_path, 0, 0);
      g_autofree char *leading = cmg_table_dup_leading_folder (table);

      g_assert_cmpstr (leading, ==, cases[i].leading);
    }
}

int
main (int argc, char **argv)
{
  int ret;

  tmp_dir = cmg_test_init (&argc, &argv);

  g_test_add_func ("/snapshot/open/layout", test_layout);
  g_test_add_func ("/snapshot/open/zip-variants", test_zip_variants);
  g_test_add_func ("/snapshot/open/single-files", test_single_files);
  g_test_add_func ("/snapshot/open/leading-folder", test_leading_folder);
  g_test_add_func ("/snapshot/table/folders", test_table_folders);
  g_test_add_func ("/snapshot/read/lines", test_read_lines);
  g_test_add_func ("/snapshot/documents/small", test_document_source_small);
  g_test_add_func ("/snapshot/open/storage-metadata-later", test_storage_metadata_later);

  ret = g_test_run ();
  cmg_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
