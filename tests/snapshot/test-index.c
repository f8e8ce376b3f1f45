/* test-index.c: counting, the seek index (built, cached on disk, reused, invalidated), row
 * fetch through it, the lazy document model and cancellation. */
#include "config.h"

#include <string.h>
#include <utime.h>
#include <glib/gstdio.h>

#include "cmg-document-source.h"
#include "cmg-entry-stream.h"
#include "cmg-seek-index.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-test-archive.h"

static char *tmp_dir;
static char *cache_dir;
static char *big_path;
static guint64 big_rows;

/* Row i of the generated table: deterministic, not trivially compressible. */
static char *
expected_row (guint64 i)
{
  guint32 h = (guint32) (i * 2654435761u);
  return g_strdup_printf ("{\"_creationTime\":1732406450000.125,\"_id\":\"k%015" G_GUINT64_FORMAT
                          "\",\"n\":%" G_GUINT64_FORMAT ",\"hash\":\"%08x%08x\",\"text\":\"row "
                          "%" G_GUINT64_FORMAT " of the big table\"}",
                          i, i, h, h ^ 0x5bd1e995u, i);
}

typedef struct
{
  guint64 next;
  guint64 rows;
} Gen;

static gsize
fill_rows (guint8  *buffer,
           gsize    size,
           gpointer user_data)
{
  Gen *gen = user_data;
  gsize used = 0;

  while (gen->next < gen->rows)
    {
      g_autofree char *row = expected_row (gen->next);
      gsize len = strlen (row);

      if (used + len + 1 > size)
        break;
      memcpy (buffer + used, row, len);
      buffer[used + len] = '\n';
      used += len + 1;
      gen->next++;
    }
  return used;
}

static CmgSnapshot *
open_path (const char  *path,
           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  return cmg_snapshot_open (file, error);
}

/* ~24 MB uncompressed: several index checkpoints. */
static void
build_big (void)
{
  CmgTestArchive *a;
  Gen gen = { 0, 200000 };
  Gen gen2 = { 0, 200000 };

  big_rows = gen.rows;
  big_path = g_build_filename (tmp_dir, "big.zip", NULL);
  a = cmg_test_archive_new (big_path, CMG_TEST_ARCHIVE_FAST);
  cmg_test_archive_add_readme (a);
  cmg_test_archive_add (a, "small/documents.jsonl", "{\"a\":1}\n{\"a\":2}\n", -1);
  cmg_test_archive_add_tables_line (a, "", "{\"name\":\"small\",\"id\":10001}");
  cmg_test_archive_add_tables_line (a, "", "{\"name\":\"big\",\"id\":10002}");
  cmg_test_archive_add (a, "big/generated_schema.jsonl", "\"uniform\"\n", -1);
  g_assert_cmpuint (cmg_test_archive_add_generated (a, "big/documents.jsonl", fill_rows, &gen), >,
                    20 * 1024 * 1024);
  cmg_test_archive_set_stored (a, TRUE);
  cmg_test_archive_add_generated (a, "stored/documents.jsonl", fill_rows, &gen2);
  cmg_test_archive_close (a);
}

static guint
count_cache_files (void)
{
  g_autoptr(GDir) dir = g_dir_open (cache_dir, 0, NULL);
  guint n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;
  return n;
}

static void
assert_row (CmgDocumentSource *source,
            guint64            n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgDocument) doc = NULL;
  g_autofree char *expected = expected_row (n);
  gint64 start = g_get_monotonic_time ();

  doc = cmg_document_source_get_row (source, n, &error);
  g_assert_no_error (error);
  g_test_message ("row %" G_GUINT64_FORMAT ": %.1f ms", n,
                  (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (cmg_document_get_row (doc), ==, n);
  g_assert_cmpstr (cmg_document_get_json (doc), ==, expected);
}

static void
test_index_rows (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = open_path (big_path, &error);
  CmgTable *big, *stored;
  g_autoptr(CmgSeekIndex) index = NULL;
  g_autoptr(CmgDocumentSource) source = NULL;
  g_autoptr(CmgDocumentSource) stored_source = NULL;
  guint64 before, inflated;
  const guint64 rows[] = { 0, 1, 63, 64, 1023, 1024, 1025, 77777, 100000, 150001,
                           199999 - 64, 199998, 199999 };

  g_assert_no_error (error);
  big = cmg_snapshot_find_table (snapshot, "", "big");
  stored = cmg_snapshot_find_table (snapshot, "", "stored");
  g_assert_nonnull (big);
  g_assert_nonnull (stored);
  g_assert_cmpint (cmg_table_get_schema (stored), ==, CMG_TABLE_SCHEMA_MISSING);
  g_assert_cmpint (cmg_table_get_schema (big), ==, CMG_TABLE_SCHEMA_UNIFORM);

  before = cmg_entry_stream_get_total_output ();
  cmg_snapshot_count (snapshot, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_table_get_documents (big), ==, (gint64) big_rows);
  g_assert_cmpint (cmg_table_get_documents (stored), ==, (gint64) big_rows);
  g_assert_cmpint (cmg_table_get_documents (cmg_snapshot_find_table (snapshot, "", "small")), ==, 2);
  inflated = cmg_entry_stream_get_total_output () - before;
  g_assert_cmpuint (inflated, >=, 2 * cmg_table_get_bytes (big));

  index = cmg_table_dup_index (big);
  g_assert_nonnull (index);
  g_assert_cmpuint (index->n_lines, ==, big_rows);
  g_assert_cmpuint (index->checkpoints->len, >=, cmg_table_get_bytes (big) / CMG_SEEK_INDEX_SPAN - 1);
  g_assert_cmpuint (index->line_offsets->len, >=, big_rows / CMG_SEEK_INDEX_LINE_STRIDE);
  g_assert_cmpuint (count_cache_files (), ==, 3);

  source = cmg_document_source_new (snapshot, big);
  stored_source = cmg_document_source_new (snapshot, stored);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (source)), ==, big_rows);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      before = cmg_entry_stream_get_total_output ();
      assert_row (source, rows[i]);
      /* From the nearest checkpoint, never from the start. */
      g_assert_cmpuint (cmg_entry_stream_get_total_output () - before, <=,
                        CMG_SEEK_INDEX_SPAN + 2 * CMG_ENTRY_STREAM_OUT_SIZE);
      assert_row (stored_source, rows[i]);
    }

  /* Rows near each other come from the cached block: no inflating at all. */
  before = cmg_entry_stream_get_total_output ();
  assert_row (source, 199999 - 10);
  assert_row (source, 77777 + 1);
  g_assert_cmpuint (cmg_entry_stream_get_total_output (), ==, before);

  {
    g_autoptr(CmgDocument) doc = g_list_model_get_item (G_LIST_MODEL (source), 5);
    JsonNode *node = cmg_document_get_node (doc, &error);
    g_assert_no_error (error);
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (node), "n"), ==, 5);
    g_assert_null (g_list_model_get_item (G_LIST_MODEL (source), (guint) big_rows));
    g_assert_null (cmg_document_source_get_row (source, big_rows, &error));
    g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE);
  }
}

static void
test_index_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) first = open_path (big_path, &error);
  g_autoptr(CmgSnapshot) second = NULL;
  g_autoptr(CmgSnapshot) third = NULL;
  g_autoptr(CmgDocumentSource) source = NULL;
  guint64 before;
  CmgTable *big;

  g_assert_no_error (error);
  g_assert_true (cmg_snapshot_count (first, NULL, &error));

  /* A second snapshot of the same file (as a new process would) reads every count from disk. */
  second = open_path (big_path, &error);
  g_assert_no_error (error);
  before = cmg_entry_stream_get_total_output ();
  g_assert_true (cmg_snapshot_count (second, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cmg_entry_stream_get_total_output (), ==, before);
  big = cmg_snapshot_find_table (second, "", "big");
  g_assert_cmpint (cmg_table_get_documents (big), ==, (gint64) big_rows);
  source = cmg_document_source_new (second, big);
  assert_row (source, 123456);
  g_assert_cmpuint (cmg_entry_stream_get_total_output () - before, <=,
                    CMG_SEEK_INDEX_SPAN + 2 * CMG_ENTRY_STREAM_OUT_SIZE);
  g_clear_object (&source);

  /* A changed file (here only its time stamp) invalidates it. */
  {
    struct utimbuf times = { 1700000000, 1700000000 };
    g_assert_cmpint (g_utime (big_path, &times), ==, 0);
  }
  third = open_path (big_path, &error);
  g_assert_no_error (error);
  before = cmg_entry_stream_get_total_output ();
  g_assert_cmpint (cmg_snapshot_count_table (third, cmg_snapshot_find_table (third, "", "big"),
                                             NULL, NULL, &error), ==, (gint64) big_rows);
  g_assert_cmpuint (cmg_entry_stream_get_total_output () - before, >=,
                    cmg_table_get_bytes (big));

  /* The old snapshot notices that its file changed. */
  {
    g_autoptr(CmgDocumentSource) stale = cmg_document_source_new (second, big);
    g_autoptr(CmgDocument) doc = cmg_document_source_get_row (stale, 199999, &error);
    g_assert_null (doc);
    g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED);
    g_clear_error (&error);
  }
}

static void
test_index_damaged_cache (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint64 before;

  snapshot = open_path (big_path, &error);
  g_assert_true (cmg_snapshot_count (snapshot, NULL, &error));
  g_clear_object (&snapshot);

  /* Garbage in every cache file: loads fail quietly and the tables are counted again. */
  dir = g_dir_open (cache_dir, 0, NULL);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (cache_dir, name, NULL);
      cmg_test_write_file (path, "CMGIDX garbage that is not a GVariant of the right shape", -1);
    }

  snapshot = open_path (big_path, &error);
  before = cmg_entry_stream_get_total_output ();
  cmg_snapshot_count (snapshot, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_table_get_documents (cmg_snapshot_find_table (snapshot, "", "big")), ==,
                   (gint64) big_rows);
  g_assert_cmpuint (cmg_entry_stream_get_total_output () - before, >=, 2 * 20 * 1024 * 1024);
}

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  guint      notifies;
  guint      progress_calls;
  guint64    last_done;
  guint64    last_total;
  gboolean   ok;
  GError    *error;
  guint      items_changed;
} AsyncState;

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  AsyncState *st = user_data;

  g_assert_true (g_thread_self () == st->main_thread);
  g_assert_cmpuint (done, >=, st->last_done);
  st->last_done = done;
  st->last_total = total;
  st->progress_calls++;
}

static void
on_notify_documents (CmgTable   *table,
                     GParamSpec *pspec,
                     AsyncState *st)
{
  g_assert_true (g_thread_self () == st->main_thread);
  st->notifies++;
}

static void
on_counted (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  AsyncState *st = user_data;

  st->ok = cmg_snapshot_count_finish (CMG_SNAPSHOT (source), result, &st->error);
  g_main_loop_quit (st->loop);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  AsyncState *st)
{
  g_assert_cmpuint (position, ==, 0);
  g_assert_cmpuint (removed, ==, 0);
  g_assert_cmpuint (added, ==, big_rows);
  st->items_changed++;
}

static void
test_count_async (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(CmgDocumentSource) source = NULL;
  AsyncState st = { 0 };
  GListModel *tables;
  guint64 total = 0;

  /* Start without a cache so the work really happens in the workers. */
  cmg_test_remove_dir (cache_dir);
  snapshot = open_path (big_path, &error);
  g_assert_no_error (error);
  tables = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgTable) t = g_list_model_get_item (tables, i);
      g_signal_connect (t, "notify::documents", G_CALLBACK (on_notify_documents), &st);
      total += cmg_table_get_bytes (t);
    }
  source = cmg_document_source_new (snapshot, cmg_snapshot_find_table (snapshot, "", "big"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (source)), ==, 0);
  g_signal_connect (source, "items-changed", G_CALLBACK (on_items_changed), &st);

  st.loop = g_main_loop_new (NULL, FALSE);
  st.main_thread = g_thread_self ();
  cmg_snapshot_count_async (snapshot, NULL, on_progress, &st, NULL, on_counted, &st);
  g_main_loop_run (st.loop);
  /* Notifications queued by the last workers. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_assert_no_error (st.error);
  g_assert_true (st.ok);
  g_assert_cmpuint (st.notifies, ==, 3);
  g_assert_cmpuint (st.progress_calls, >=, 1);
  g_assert_cmpuint (st.last_total, ==, total);
  g_assert_cmpuint (st.last_done, ==, total);
  g_assert_cmpuint (st.items_changed, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (source)), ==, big_rows);
  g_main_loop_unref (st.loop);
}

typedef struct
{
  GMainLoop          *loop;
  CmgTestLateReports  late;
} LateState;

static void
on_late_counted (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  LateState *st = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cmg_snapshot_count_finish (CMG_SNAPSHOT (source), result, &error));
  g_assert_no_error (error);
  st->late.finished = TRUE;
  /* Several progress intervals while the job's tasks are still alive. */
  cmg_test_spin_context (350);
  g_main_loop_quit (st->loop);
}

/* The caller hears that counting is over; a report after that would reach data it has freed. */
static void
test_count_no_report_after_end (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  LateState st = { 0 };

  cmg_test_remove_dir (cache_dir);
  snapshot = open_path (big_path, &error);
  g_assert_no_error (error);
  st.loop = g_main_loop_new (NULL, FALSE);
  cmg_snapshot_count_async (snapshot, NULL, cmg_test_count_late_report, &st.late, NULL,
                            on_late_counted, &st);
  g_main_loop_run (st.loop);
  g_assert_true (st.late.finished);
  g_assert_cmpuint (st.late.late_reports, ==, 0);
  g_main_loop_unref (st.loop);
}

static void
test_count_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncState st = { 0 };

  cmg_test_remove_dir (cache_dir);
  snapshot = open_path (big_path, &error);
  st.loop = g_main_loop_new (NULL, FALSE);
  st.main_thread = g_thread_self ();
  cmg_snapshot_count_async (snapshot, cancellable, NULL, NULL, NULL, on_counted, &st);
  g_cancellable_cancel (cancellable);
  g_main_loop_run (st.loop);
  g_assert_false (st.ok);
  g_assert_error (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&st.error);
  g_assert_cmpint (cmg_table_get_documents (cmg_snapshot_find_table (snapshot, "", "big")), ==, -1);
  g_main_loop_unref (st.loop);
}

static gboolean
cancel_at_line_10 (const char *line,
                   gsize       length,
                   gboolean    truncated,
                   guint64     line_number,
                   gpointer    user_data)
{
  if (line_number == 10)
    g_cancellable_cancel (user_data);
  return TRUE;
}

static void
test_read_cancel_promptly (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = open_path (big_path, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  guint64 before = cmg_entry_stream_get_total_output ();

  g_assert_false (cmg_snapshot_read_lines (snapshot, "big/documents.jsonl", cancel_at_line_10,
                                           cancellable, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Stopped within one output buffer of the cancellation. */
  g_assert_cmpuint (cmg_entry_stream_get_total_output () - before, <=,
                    2 * CMG_ENTRY_STREAM_OUT_SIZE);
}

int
main (int argc, char **argv)
{
  int ret;

  tmp_dir = cmg_test_init (&argc, &argv);
  cache_dir = g_build_filename (tmp_dir, "cache", NULL);
  build_big ();

  g_test_add_func ("/snapshot/index/rows", test_index_rows);
  g_test_add_func ("/snapshot/index/cache", test_index_cache);
  g_test_add_func ("/snapshot/index/damaged-cache", test_index_damaged_cache);
  g_test_add_func ("/snapshot/count/async", test_count_async);
  g_test_add_func ("/snapshot/count/cancel", test_count_cancel);
  g_test_add_func ("/snapshot/count/no-report-after-end", test_count_no_report_after_end);
  g_test_add_func ("/snapshot/read/cancel-promptly", test_read_cancel_promptly);

  ret = g_test_run ();
  cmg_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  g_free (cache_dir);
  g_free (big_path);
  return ret;
}
