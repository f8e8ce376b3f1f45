/* test-repack.c: a subset of an export, written as a new ZIP, reopens with identical tables and
 * documents; the destination is never overwritten. */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>

#include "cmg-id.h"
#include "cmg-repack.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-test-archive.h"
#include "cmg-validation.h"

static char *
make_id (guint32 number, guint8 seed)
{
  CmgId id = { .table_number = number };

  memset (id.internal, seed, sizeof id.internal);
  return cmg_id_encode (&id);
}

static char *
build_source (const char *dir)
{
  char *path = g_build_filename (dir, "source.zip", NULL);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autofree char *u1 = make_id (10001, 1);
  g_autofree char *u2 = make_id (10001, 2);
  g_autofree char *m1 = make_id (10002, 1);
  g_autofree char *l1 = make_id (10001, 3);
  g_autofree char *s1 = make_id (540, 1);
  g_autofree char *users = g_strdup_printf (
    "{\"_creationTime\":1732406400123.4568,\"_id\":\"%s\",\"age\":36,\"n\":-9007199254740993,\"ratio\":-0.0}\n"
    "{\"_creationTime\":1732406401987.0002,\"_id\":\"%s\",\"inf\":{\"$float\":\"AAAAAAAA8H8=\"},\"b\":{\"$bytes\":\"iVBORw0K\"}}\n",
    u1, u2);
  g_autofree char *messages = g_strdup_printf ("{\"_id\":\"%s\",\"author\":\"%s\"}\n", m1, u1);
  /* No final newline: the copy must keep that too. */
  g_autofree char *limits = g_strdup_printf ("{\"_id\":\"%s\",\"value\":5}", l1);
  g_autofree char *file_name = g_strconcat (s1, ".bin", NULL);
  g_autofree char *meta = g_strdup_printf ("{\"_id\":\"%s\",\"size\":7}", s1);

  cmg_test_archive_add_readme (a);
  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", users);
  cmg_test_archive_add_table (a, "", "messages", 10002, "\"uniform\"", messages);
  cmg_test_archive_add_table (a, "rl", "limits", 10001, "\"uniform\"", limits);
  cmg_test_archive_add_storage_file (a, "", file_name, "a\nb\r\n\0z", 7, meta);
  cmg_test_archive_close (a);
  return path;
}

static GBytes *
entry_bytes (CmgSnapshot *s, const char *entry)
{
  g_autoptr(GError) error = NULL;
  GBytes *b = cmg_snapshot_read_entry (s, entry, 1024 * 1024, NULL, &error);

  g_assert_no_error (error);
  return b;
}

static void
assert_same_entry (CmgSnapshot *a, CmgSnapshot *b, const char *entry)
{
  g_autoptr(GBytes) x = entry_bytes (a, entry);
  g_autoptr(GBytes) y = entry_bytes (b, entry);

  g_assert_true (g_bytes_equal (x, y));
}

static gboolean
count_line (const char *line, gsize length, gboolean truncated, guint64 number, gpointer data)
{
  (*(guint64 *) data)++;
  return TRUE;
}

static guint64
count_documents (CmgSnapshot *s, CmgTable *t)
{
  guint64 n = 0;
  g_autoptr(GError) error = NULL;

  g_assert_true (cmg_snapshot_read_lines (s, cmg_table_get_entry_path (t), count_line, &n, NULL, NULL, &error));
  g_assert_no_error (error);
  return n;
}

static void
assert_same_table (CmgSnapshot *a, CmgSnapshot *b, const char *component, const char *name,
                   guint64 documents)
{
  CmgTable *ta = cmg_snapshot_find_table (a, component, name);
  CmgTable *tb = cmg_snapshot_find_table (b, component, name);

  g_assert_nonnull (ta);
  g_assert_nonnull (tb);
  g_assert_cmpuint (cmg_table_get_number (ta), ==, cmg_table_get_number (tb));
  g_assert_cmpuint (cmg_table_get_bytes (ta), ==, cmg_table_get_bytes (tb));
  g_assert_cmpuint (count_documents (a, ta), ==, documents);
  g_assert_cmpuint (count_documents (b, tb), ==, documents);
  g_assert_cmpstr (cmg_table_get_schema_entry_path (tb), !=, NULL);
  assert_same_entry (a, b, cmg_table_get_entry_path (ta));
  assert_same_entry (a, b, cmg_table_get_schema_entry_path (ta));
}

static void
test_round_trip (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *source_path = build_source (dir);
  g_autofree char *dest_path = g_build_filename (dir, "subset.zip", NULL);
  g_autoptr(GFile) source_file = g_file_new_for_path (source_path);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) source = cmg_snapshot_open (source_file, &error);
  g_autoptr(CmgSnapshot) subset = NULL;
  g_autoptr(GBytes) tables = NULL;
  g_autoptr(CmgValidation) validation = NULL;
  const char *chosen[] = { "users", "rl:limits", NULL };
  GPtrArray *files;
  guint64 progress = 0;
  g_autofree char *expected_tables = g_strdup ("{\"name\":\"users\",\"id\":10001}\n");

  g_assert_no_error (error);
  g_assert_true (cmg_repack (source, chosen, TRUE, dest_file, &progress, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (progress, >, 0);

  subset = cmg_snapshot_open (dest_file, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (subset)), ==, 2);
  g_assert_null (cmg_snapshot_find_table (subset, "", "messages"));
  assert_same_table (source, subset, "", "users", 2);
  assert_same_table (source, subset, "rl", "limits", 1);
  g_assert_true (cmg_snapshot_has_readme (subset));

  /* _tables holds the kept tables' lines only, per component. */
  tables = entry_bytes (subset, "_tables/documents.jsonl");
  g_assert_cmpmem (g_bytes_get_data (tables, NULL), g_bytes_get_size (tables),
                   expected_tables, strlen (expected_tables));
  g_clear_pointer (&tables, g_bytes_unref);
  tables = entry_bytes (subset, "_components/rl/_tables/documents.jsonl");
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (tables, NULL), g_bytes_get_size (tables), "\"limits\""));

  files = cmg_snapshot_get_storage_files (subset);
  g_assert_cmpuint (files->len, ==, 1);
  assert_same_entry (source, subset, ((CmgStorageFile *) g_ptr_array_index (files, 0))->entry_path);
  assert_same_entry (source, subset, "_storage/documents.jsonl");

  /* The subset checks clean apart from references to the table left out. */
  validation = cmg_validation_check_snapshot (subset, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cmg_validation_get_severity_count (validation, CMG_FINDING_ERROR), ==, 0);

  cmg_test_remove_dir (dir);
}

static void
test_never_overwrites (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *source_path = build_source (dir);
  g_autofree char *dest_path = g_build_filename (dir, "taken.zip", NULL);
  g_autoptr(GFile) source_file = g_file_new_for_path (source_path);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) source = cmg_snapshot_open (source_file, &error);
  const char *chosen[] = { "users", NULL };
  const char *unknown[] = { "nope", NULL };
  const char *none[] = { NULL };
  g_autofree char *content = NULL;
  g_autoptr(GDir) listing = NULL;
  guint n_files = 0;

  g_assert_no_error (error);
  cmg_test_write_file (dest_path, "precious", -1);
  g_assert_false (cmg_repack (source, chosen, FALSE, dest_file, NULL, NULL, &error));
  g_assert_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (dest_path, &content, NULL, NULL));
  g_assert_cmpstr (content, ==, "precious");

  g_assert_true (g_remove (dest_path) == 0);
  g_assert_false (cmg_repack (source, unknown, FALSE, dest_file, NULL, NULL, &error));
  g_assert_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_NO_SUCH_TABLE);
  g_clear_error (&error);
  g_assert_false (cmg_repack (source, none, FALSE, dest_file, NULL, NULL, &error));
  g_assert_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_NOTHING_CHOSEN);
  g_clear_error (&error);

  /* No temporary file is left behind. */
  listing = g_dir_open (dir, 0, NULL);
  while (g_dir_read_name (listing))
    n_files++;
  g_assert_cmpuint (n_files, ==, 1);
  cmg_test_remove_dir (dir);
}

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
} AsyncData;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncData *d = user_data;

  d->ok = cmg_repack_finish (result, &d->error);
  g_main_loop_quit (d->loop);
}

/* The caller hears that the work is over; a report after that would reach data it has freed. */
typedef struct
{
  GMainLoop          *loop;
  CmgTestLateReports  late;
} LateData;

static void
on_late_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LateData *d = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cmg_repack_finish (result, &error));
  g_assert_no_error (error);
  d->late.finished = TRUE;
  /* Several progress intervals while the job's task is still alive. */
  cmg_test_spin_context (350);
  g_main_loop_quit (d->loop);
}

static void
test_no_report_after_end (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *source_path = build_source (dir);
  g_autofree char *dest_path = g_build_filename (dir, "late.zip", NULL);
  g_autoptr(GFile) source_file = g_file_new_for_path (source_path);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) source = cmg_snapshot_open (source_file, &error);
  const char *chosen[] = { "messages", NULL };
  LateData d = { .loop = g_main_loop_new (NULL, FALSE) };

  g_assert_no_error (error);
  cmg_repack_async (source, chosen, FALSE, dest_file, NULL, cmg_test_count_late_report, &d.late,
                    on_late_done, &d);
  g_main_loop_run (d.loop);
  g_assert_true (d.late.finished);
  g_assert_cmpuint (d.late.late_reports, ==, 0);
  g_main_loop_unref (d.loop);
  cmg_test_remove_dir (dir);
}

static void
test_async (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *source_path = build_source (dir);
  g_autofree char *dest_path = g_build_filename (dir, "async.zip", NULL);
  g_autoptr(GFile) source_file = g_file_new_for_path (source_path);
  g_autoptr(GFile) dest_file = g_file_new_for_path (dest_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) source = cmg_snapshot_open (source_file, &error);
  g_autoptr(CmgSnapshot) subset = NULL;
  const char *chosen[] = { "messages", NULL };
  AsyncData d = { .loop = g_main_loop_new (NULL, FALSE) };

  g_assert_no_error (error);
  cmg_repack_async (source, chosen, FALSE, dest_file, NULL, NULL, NULL, on_done, &d);
  g_main_loop_run (d.loop);
  g_assert_no_error (d.error);
  g_assert_true (d.ok);
  subset = cmg_snapshot_open (dest_file, &error);
  g_assert_no_error (error);
  assert_same_table (source, subset, "", "messages", 1);
  g_assert_cmpuint (cmg_snapshot_get_storage_files (subset)->len, ==, 0);
  g_main_loop_unref (d.loop);
  cmg_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/repack/round-trip", test_round_trip);
  g_test_add_func ("/repack/never-overwrites", test_never_overwrites);
  g_test_add_func ("/repack/async", test_async);
  g_test_add_func ("/repack/no-report-after-end", test_no_report_after_end);
  return g_test_run ();
}
