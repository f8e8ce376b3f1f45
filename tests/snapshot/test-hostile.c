/* test-hostile.c: bad and hostile archives each give a clear error or a flagged condition. */
#include "config.h"

#include <string.h>
#include <stdio.h>
#include <glib/gstdio.h>

#include "cmg-entry-stream.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"
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

static gboolean
count_lines (const char *line,
             gsize       length,
             gboolean    truncated,
             guint64     line_number,
             gpointer    user_data)
{
  (*(guint64 *) user_data)++;
  return TRUE;
}

static char *
build_simple (const char *name)
{
  char *path = tmp_path (name);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);

  cmg_test_archive_add_readme (a);
  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"",
                              "{\"_id\":\"a\",\"name\":\"ada\"}\n{\"_id\":\"b\",\"name\":\"bob\"}\n");
  cmg_test_archive_close (a);
  return path;
}

static gboolean
has_problem (CmgSnapshot     *snapshot,
             CmgEntryProblem  problem)
{
  GPtrArray *suspicious = cmg_snapshot_get_suspicious_entries (snapshot);

  for (guint i = 0; i < suspicious->len; i++)
    {
      CmgSuspiciousEntry *s = g_ptr_array_index (suspicious, i);

      g_assert_nonnull (s->message);
      g_assert_true (g_utf8_validate (s->name, -1, NULL));
      if (s->problem == problem)
        return TRUE;
    }
  return FALSE;
}

static void
test_not_a_zip (void)
{
  g_autofree char *random_path = tmp_path ("random.zip");
  g_autofree char *fake_path = tmp_path ("fake.zip");
  g_autofree char *empty_path = tmp_path ("empty-file.zip");
  g_autoptr(GError) error = NULL;
  guint8 noise[4096];

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = (guint8) (i * 131 + 7);
  noise[0] = 0x00;
  cmg_test_write_file (random_path, (const char *) noise, sizeof noise);
  g_assert_null (open_path (random_path, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE);
  g_clear_error (&error);

  /* Starts like a ZIP, has no central directory. */
  memcpy (noise, "PK\3\4", 4);
  cmg_test_write_file (fake_path, (const char *) noise, sizeof noise);
  g_assert_null (open_path (fake_path, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
  g_clear_error (&error);

  cmg_test_write_file (empty_path, "", 0);
  g_assert_null (open_path (empty_path, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE);
}

static void
test_truncated (void)
{
  g_autofree char *path = build_simple ("truncated.zip");
  g_autoptr(GError) error = NULL;
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);
  gsize size = g_mapped_file_get_length (mapped);

  g_clear_pointer (&mapped, g_mapped_file_unref);
  for (gsize cut = 1; cut < size; cut += 7)
    {
      g_autofree char *copy = tmp_path ("cut.zip");
      g_autofree char *data = NULL;
      gsize len;
      g_autoptr(CmgSnapshot) s = NULL;

      g_file_get_contents (path, &data, &len, NULL);
      cmg_test_write_file (copy, data, (gssize) (size - cut));
      s = open_path (copy, &error);
      /* Cutting off the end-of-central-directory record always fails the open; a cut inside
       * its trailing comment cannot happen (there is none). */
      g_assert_null (s);
      g_assert_true (g_error_matches (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT)
                     || g_error_matches (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE));
      g_clear_error (&error);
    }
}

static void
test_damaged_data (void)
{
  g_autofree char *path = tmp_path ("damaged.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  guint64 n = 0;

  cmg_test_archive_set_stored (a, TRUE);
  cmg_test_archive_add (a, "t/documents.jsonl", "{\"name\":\"original\"}\n", -1);
  cmg_test_archive_close (a);
  g_assert_cmpuint (cmg_test_patch_file (path, "original", "altered!", 8), ==, 1);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_false (cmg_snapshot_read_lines (s, "t/documents.jsonl", count_lines, &n, NULL, NULL,
                                           &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "checksum"));
}

static void
test_lying_directory (void)
{
  g_autofree char *path = build_simple ("lying.zip");
  g_autofree char *copy = tmp_path ("lying-copy.zip");
  g_autofree char *data = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  gsize len = 0;
  char *eocd, *local;
  guint64 n = 0;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));

  /* The end record claims far more entries than its directory holds. */
  eocd = NULL;
  for (gsize i = len - 22; eocd == NULL && i > 0; i--)
    if (memcmp (data + i, "PK\5\6", 4) == 0)
      eocd = data + i;
  if (eocd == NULL)
    g_error ("no end-of-central-directory record in the fixture");
  eocd[10] = (char) 0xfe;
  eocd[11] = (char) 0xff;
  cmg_test_write_file (copy, data, (gssize) len);
  g_assert_null (open_path (copy, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
  g_clear_error (&error);

  /* The local header of the second entry (users/documents.jsonl) is not where the directory
   * points. */
  g_clear_pointer (&data, g_free);
  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  local = NULL;
  for (gsize i = 4; local == NULL && i + 4 < len; i++)
    if (memcmp (data + i, "PK\3\4", 4) == 0)
      local = data + i;
  if (local == NULL)
    g_error ("no second local header in the fixture");
  local[3] = 9;
  cmg_test_write_file (copy, data, (gssize) len);
  s = open_path (copy, &error);
  g_assert_no_error (error);
  g_assert_false (cmg_snapshot_read_lines (s, "users/documents.jsonl", count_lines, &n, NULL, NULL,
                                           &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
  g_clear_error (&error);
  /* The other entries are still readable. */
  {
    g_autoptr(GBytes) readme = cmg_snapshot_read_entry (s, "README.md", 4096, NULL, &error);
    g_assert_no_error (error);
    g_assert_nonnull (readme);
  }
}

static void
test_encrypted (void)
{
  g_autofree char *path = tmp_path ("encrypted.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_ENCRYPTED);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  guint64 n = 0;

  cmg_test_archive_add_table (a, "", "secret", 10001, "\"uniform\"", "{\"a\":1}\n");
  cmg_test_archive_close (a);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (has_problem (s, CMG_ENTRY_PROBLEM_ENCRYPTED));
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (s)), ==, 1);
  g_assert_false (cmg_snapshot_read_lines (s, "secret/documents.jsonl", count_lines, &n, NULL,
                                           NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNSUPPORTED);
  g_clear_error (&error);
  g_assert_false (cmg_snapshot_count (s, NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNSUPPORTED);
}

static gsize
fill_zeros_json (guint8  *buffer,
                 gsize    size,
                 gpointer user_data)
{
  guint64 *left = user_data;
  gsize n = (gsize) MIN ((guint64) size, *left);

  for (gsize i = 0; i < n; i++)
    buffer[i] = (i % 64 == 63) ? '\n' : 'a';
  *left -= n;
  return n;
}

static void
test_size_lies (void)
{
  g_autofree char *path = tmp_path ("bomb.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint64 left = 8 * 1024 * 1024, n = 0, before;

  /* 8 MiB that claims to be 1000 bytes: reading stops right after the declared size. */
  cmg_test_archive_add_generated (a, "under/documents.jsonl", fill_zeros_json, &left);
  left = 4096;
  /* 4 KiB that claims almost 4 GiB: nothing is allocated for the claim. */
  cmg_test_archive_add_generated (a, "over/documents.jsonl", fill_zeros_json, &left);
  cmg_test_archive_close (a);
  cmg_test_patch_central_sizes (path, "under/documents.jsonl", G_MAXUINT32, 1000);
  cmg_test_patch_central_sizes (path, "over/documents.jsonl", G_MAXUINT32, 0xFFFFFF00u);

  s = open_path (path, &error);
  g_assert_no_error (error);
  before = cmg_entry_stream_get_total_output ();
  g_assert_false (cmg_snapshot_read_lines (s, "under/documents.jsonl", count_lines, &n, NULL,
                                           NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
  g_assert_cmpuint (cmg_entry_stream_get_total_output () - before, <=, 1000);
  g_clear_error (&error);

  g_assert_false (cmg_snapshot_read_lines (s, "over/documents.jsonl", count_lines, &n, NULL,
                                           NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
  g_clear_error (&error);

  bytes = cmg_snapshot_read_entry (s, "over/documents.jsonl", 1024 * 1024, NULL, &error);
  g_assert_null (bytes);
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_TOO_LARGE);
  g_clear_error (&error);

  g_assert_false (cmg_snapshot_count (s, NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT);
}

typedef struct
{
  guint64 line;
  gsize   lengths[3];
  gboolean truncated[3];
} LongLines;

static gboolean
record_long (const char *line,
             gsize       length,
             gboolean    truncated,
             guint64     line_number,
             gpointer    user_data)
{
  LongLines *l = user_data;

  g_assert_cmpuint (line_number, ==, l->line + 1);
  g_assert_cmpuint (l->line, <, 3);
  g_assert_cmpint (line[length], ==, '\0');
  l->lengths[l->line] = length;
  l->truncated[l->line] = truncated;
  l->line++;
  return TRUE;
}

typedef struct
{
  guint64 written;
  guint64 long_len;
} LongGen;

static gsize
fill_long (guint8  *buffer,
           gsize    size,
           gpointer user_data)
{
  LongGen *g = user_data;
  const char *head = "{\"a\":1}\n";
  const char *tail = "\n{\"b\":2}\n";
  guint64 total = strlen (head) + g->long_len + strlen (tail);
  gsize n = 0;

  while (n < size && g->written < total)
    {
      guint64 pos = g->written;
      if (pos < strlen (head))
        buffer[n] = (guint8) head[pos];
      else if (pos < strlen (head) + g->long_len)
        buffer[n] = 'x';
      else
        buffer[n] = (guint8) tail[pos - strlen (head) - g->long_len];
      n++;
      g->written++;
    }
  return n;
}

static void
test_long_line (void)
{
  g_autofree char *path = tmp_path ("long.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_FAST);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  LongGen gen = { 0, 40 * 1024 * 1024 };
  LongLines l = { 0 };

  cmg_test_archive_add_generated (a, "t/documents.jsonl", fill_long, &gen);
  cmg_test_archive_close (a);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (cmg_snapshot_read_lines (s, "t/documents.jsonl", record_long, &l, NULL, NULL,
                                          &error));
  g_assert_no_error (error);
  g_assert_cmpuint (l.line, ==, 3);
  g_assert_cmpuint (l.lengths[0], ==, 7);
  g_assert_false (l.truncated[0]);
  g_assert_cmpuint (l.lengths[1], ==, CMG_SNAPSHOT_MAX_LINE);
  g_assert_true (l.truncated[1]);
  g_assert_cmpuint (l.lengths[2], ==, 7);
  g_assert_false (l.truncated[2]);

  g_assert_cmpint (cmg_snapshot_count_table (s, cmg_snapshot_find_table (s, "", "t"), NULL, NULL,
                                             &error), ==, 3);
}

static void
test_unsafe_names (void)
{
  g_autofree char *path = tmp_path ("names.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  GListModel *tables;
  guint64 n = 0;
  gboolean saw_invalid_name = FALSE;

  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", "{\"first\":1}\n");
  cmg_test_archive_add (a, "users/documents.jsonl", "{\"second\":1}\n{\"second\":2}\n", -1);
  cmg_test_archive_add (a, "Qetc/documents.jsonl", "{\"abs\":1}\n", -1);
  cmg_test_archive_add (a, "zz/evil/documents.jsonl", "{\"up\":1}\n", -1);
  cmg_test_archive_add (a, "Wbad/documents.jsonl", "{\"bad\":1}\n", -1);
  cmg_test_archive_close (a);
  g_assert_cmpuint (cmg_test_patch_file (path, "Qetc/", "/etc/", 5), ==, 2);
  g_assert_cmpuint (cmg_test_patch_file (path, "zz/evil", "../evil", 7), ==, 2);
  g_assert_cmpuint (cmg_test_patch_file (path, "Wbad/", "\xff" "bad/", 5), ==, 2);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_true (has_problem (s, CMG_ENTRY_PROBLEM_ABSOLUTE_PATH));
  g_assert_true (has_problem (s, CMG_ENTRY_PROBLEM_PARENT_REFERENCE));
  g_assert_true (has_problem (s, CMG_ENTRY_PROBLEM_DUPLICATE_NAME));
  g_assert_true (has_problem (s, CMG_ENTRY_PROBLEM_NON_UTF8_NAME));

  tables = cmg_snapshot_get_tables (s);
  g_assert_cmpuint (g_list_model_get_n_items (tables), ==, 2);
  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgTable) t = g_list_model_get_item (tables, i);
      const char *name = cmg_table_get_name (t);

      g_assert_true (g_utf8_validate (name, -1, NULL));
      g_assert_cmpstr (name, !=, "etc");
      g_assert_cmpstr (name, !=, "evil");
      if (strstr (name, "bad") != NULL)
        {
          /* Still readable: it is only flagged. */
          saw_invalid_name = TRUE;
          g_assert_cmpint (cmg_snapshot_count_table (s, t, NULL, NULL, &error), ==, 1);
          g_assert_no_error (error);
        }
    }
  g_assert_true (saw_invalid_name);

  /* The first of two same-named entries is the one read. */
  g_assert_true (cmg_snapshot_read_lines (s, "users/documents.jsonl", count_lines, &n, NULL, NULL,
                                          &error));
  g_assert_cmpuint (n, ==, 1);
}

static void
test_many_tables (void)
{
  g_autofree char *path = tmp_path ("many.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  gint64 start, elapsed;
  CmgTable *t;

  for (guint i = 0; i < 10000; i++)
    {
      g_autofree char *name = g_strdup_printf ("table%05u", i);
      cmg_test_archive_add_table (a, "", name, 10001 + i, "\"uniform\"", "{\"a\":1}\n");
    }
  cmg_test_archive_close (a);

  start = g_get_monotonic_time ();
  s = open_path (path, &error);
  elapsed = g_get_monotonic_time () - start;
  g_assert_no_error (error);
  g_test_message ("opened 10,000 tables (20,001 entries) in %.1f ms", elapsed / 1000.0);
  /* The target is 50 ms; the bound here leaves room for sanitizers and loaded machines. */
  g_assert_cmpint (elapsed, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (s)), ==, 10000);
  t = cmg_snapshot_find_table (s, "", "table09999");
  g_assert_cmpuint (cmg_table_get_number (t), ==, 20000);
  /* Too many tables to read every schema at open: it comes with counting. */
  g_assert_cmpint (cmg_table_get_schema (t), ==, CMG_TABLE_SCHEMA_UNKNOWN);
  g_assert_cmpint (cmg_snapshot_count_table (s, t, NULL, NULL, &error), ==, 1);
  g_assert_cmpint (cmg_table_get_schema (t), ==, CMG_TABLE_SCHEMA_UNIFORM);
}

static void
test_empty_archive (void)
{
  g_autofree char *path = tmp_path ("empty.zip");
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = NULL;
  g_autofree char *data = NULL;

  cmg_test_archive_close (a);
  g_file_get_contents (path, &data, NULL, NULL);
  g_assert_cmpmem (data, 4, "PK\5\6", 4);

  s = open_path (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_snapshot_get_kind (s), ==, CMG_SNAPSHOT_KIND_ZIP);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (s)), ==, 0);
  g_assert_false (cmg_snapshot_has_readme (s));
  g_assert_true (cmg_snapshot_count (s, NULL, &error));
}

static gboolean
append_while_reading (const char *line,
                      gsize       length,
                      gboolean    truncated,
                      guint64     line_number,
                      gpointer    user_data)
{
  if (line_number == 1)
    {
      FILE *f = fopen (user_data, "ab");
      fputs ("more bytes", f);
      fclose (f);
    }
  return TRUE;
}

static void
test_changed (void)
{
  g_autofree char *path = build_simple ("changing.zip");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) s = open_path (path, &error);
  g_autoptr(CmgSnapshot) s2 = NULL;
  g_autofree char *other = NULL;

  g_assert_no_error (error);
  g_assert_false (cmg_snapshot_read_lines (s, "users/documents.jsonl", append_while_reading, path,
                                           NULL, NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED);
  g_clear_error (&error);

  /* Replaced by another file after opening. */
  other = build_simple ("other.zip");
  s2 = open_path (other, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_rename (path, other), ==, 0);
  g_assert_null (cmg_snapshot_read_entry (s2, "README.md", 4096, NULL, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED);
}

int
main (int argc, char **argv)
{
  int ret;

  tmp_dir = cmg_test_init (&argc, &argv);

  g_test_add_func ("/snapshot/hostile/not-a-zip", test_not_a_zip);
  g_test_add_func ("/snapshot/hostile/truncated", test_truncated);
  g_test_add_func ("/snapshot/hostile/damaged-data", test_damaged_data);
  g_test_add_func ("/snapshot/hostile/encrypted", test_encrypted);
  g_test_add_func ("/snapshot/hostile/lying-directory", test_lying_directory);
  g_test_add_func ("/snapshot/hostile/size-lies", test_size_lies);
  g_test_add_func ("/snapshot/hostile/long-line", test_long_line);
  g_test_add_func ("/snapshot/hostile/unsafe-names", test_unsafe_names);
  g_test_add_func ("/snapshot/hostile/many-tables", test_many_tables);
  g_test_add_func ("/snapshot/hostile/empty-archive", test_empty_archive);
  g_test_add_func ("/snapshot/hostile/changed", test_changed);

  ret = g_test_run ();
  cmg_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return ret;
}
