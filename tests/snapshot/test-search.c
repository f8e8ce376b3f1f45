/* test-search.c: text and field searches over a table, streamed to the main context, with
 * progress, a limit and cancellation. */
#include "config.h"

#include <string.h>

#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-table-search.h"
#include "cmg-test-archive.h"

static char *tmp_dir;
static char *path;
#define N_ROWS 50000

static gsize
fill (guint8  *buffer,
      gsize    size,
      gpointer user_data)
{
  guint *next = user_data;
  gsize used = 0;

  while (*next < N_ROWS)
    {
      char row[256];
      /* Every 1000th row mentions Ada; ages cycle 0..99; row 31337 has a huge Int64. */
      int len = g_snprintf (row, sizeof row,
                            "{\"_id\":\"r%u\",\"age\":%u,\"big\":%s,\"name\":\"%s\",\"tags\":[\"x\"]}\n",
                            *next, *next % 100, *next == 31337 ? "9223372036854775807" : "1",
                            *next % 1000 == 0 ? "Ada LOVELACE" : "someone");
      if (used + (gsize) len > size)
        break;
      memcpy (buffer + used, row, (gsize) len);
      used += (gsize) len;
      (*next)++;
    }
  return used;
}

typedef struct
{
  GMainLoop *loop;
  GThread   *main_thread;
  GArray    *rows;
  guint64    n_matches;
  guint      progress_calls;
  guint64    last_done;
  GError    *error;
  gboolean   ok;
  GCancellable *cancel_after_first;
} State;

static void
on_match (guint64     row,
          const char *line,
          gsize       length,
          gpointer    user_data)
{
  State *st = user_data;

  g_assert_true (g_thread_self () == st->main_thread);
  g_assert_cmpuint (strlen (line), ==, length);
  if (st->rows->len > 0)
    g_assert_cmpuint (row, >, g_array_index (st->rows, guint64, st->rows->len - 1));
  g_array_append_val (st->rows, row);
  if (st->cancel_after_first != NULL)
    g_cancellable_cancel (st->cancel_after_first);
}

static void
on_progress (guint64  done,
             guint64  total,
             gpointer user_data)
{
  State *st = user_data;

  g_assert_cmpuint (done, <=, total);
  st->last_done = done;
  st->progress_calls++;
}

static void
on_done (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  State *st = user_data;

  st->ok = cmg_table_search_finish (CMG_SNAPSHOT (source), result, &st->n_matches, &st->error);
  g_main_loop_quit (st->loop);
}

static void
run_search (CmgSnapshot    *snapshot,
            CmgSearchQuery *query,
            guint           max,
            GCancellable   *cancellable,
            State          *st)
{
  CmgTable *table = cmg_snapshot_find_table (snapshot, "", "people");

  memset (st, 0, sizeof *st);
  st->rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  st->loop = g_main_loop_new (NULL, FALSE);
  st->main_thread = g_thread_self ();
  cmg_table_search_async (snapshot, table, query, max, on_match, on_progress, st, NULL,
                          cancellable, on_done, st);
  g_main_loop_run (st->loop);
  g_main_loop_unref (st->loop);
}

static void
state_clear (State *st)
{
  g_array_unref (st->rows);
  g_clear_error (&st->error);
}

static void
test_search (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open (file, &error);
  State st;

  g_assert_no_error (error);

  {
    g_autoptr(CmgSearchQuery) q = cmg_search_query_parse ("ada lovelace");
    g_assert_cmpint (cmg_search_query_get_kind (q), ==, CMG_SEARCH_TEXT);
    run_search (snapshot, q, 0, NULL, &st);
    g_assert_no_error (st.error);
    g_assert_true (st.ok);
    g_assert_cmpuint (st.n_matches, ==, N_ROWS / 1000);
    g_assert_cmpuint (st.rows->len, ==, N_ROWS / 1000);
    g_assert_cmpuint (g_array_index (st.rows, guint64, 0), ==, 0);
    g_assert_cmpuint (g_array_index (st.rows, guint64, 1), ==, 1000);
    g_assert_cmpuint (st.progress_calls, >=, 1);
    g_assert_cmpuint (st.last_done, ==, cmg_table_get_bytes (cmg_snapshot_find_table (snapshot, "", "people")));
    state_clear (&st);
  }

  {
    g_autoptr(CmgSearchQuery) q = cmg_search_query_parse ("age == 42");
    g_assert_cmpint (cmg_search_query_get_kind (q), ==, CMG_SEARCH_FIELD_EQUALS);
    run_search (snapshot, q, 0, NULL, &st);
    g_assert_true (st.ok);
    g_assert_cmpuint (st.n_matches, ==, N_ROWS / 100);
    g_assert_cmpuint (g_array_index (st.rows, guint64, 0), ==, 42);
    state_clear (&st);
  }

  /* Int64 equality beyond 2^53 is exact. */
  {
    g_autoptr(CmgSearchQuery) q = cmg_search_query_parse ("big == 9223372036854775807");
    run_search (snapshot, q, 0, NULL, &st);
    g_assert_cmpuint (st.n_matches, ==, 1);
    g_assert_cmpuint (g_array_index (st.rows, guint64, 0), ==, 31337);
    state_clear (&st);
  }

  /* A bare word is a string; quoted JSON too. */
  {
    g_autoptr(CmgSearchQuery) q = cmg_search_query_parse ("_id == r4242");
    g_autoptr(CmgSearchQuery) q2 = cmg_search_query_parse ("name == \"Ada LOVELACE\"");
    run_search (snapshot, q, 0, NULL, &st);
    g_assert_cmpuint (st.n_matches, ==, 1);
    g_assert_cmpuint (g_array_index (st.rows, guint64, 0), ==, 4242);
    state_clear (&st);
    run_search (snapshot, q2, 3, NULL, &st);
    g_assert_cmpuint (st.n_matches, ==, 3);  /* the limit */
    g_assert_cmpuint (st.rows->len, ==, 3);
    state_clear (&st);
  }

  {
    g_autoptr(CmgSearchQuery) q = cmg_search_query_parse ("age == \"42\"");
    g_autoptr(CmgSearchQuery) q2 = cmg_search_query_parse ("age == 42");
    /* A string is not a number. */
    g_assert_false (cmg_search_query_matches (q, "{\"age\":42}", 10));
    g_assert_true (cmg_search_query_matches (q2, "{\"age\":42}", 10));
    g_assert_false (cmg_search_query_matches (q2, "{\"x\":{\"age\":42}}", 17));
  }
}

static void
test_search_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open (file, &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(CmgSearchQuery) q = cmg_search_query_new_text ("\"age\"");
  State st;

  memset (&st, 0, sizeof st);
  st.cancel_after_first = cancellable;
  st.rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  st.loop = g_main_loop_new (NULL, FALSE);
  st.main_thread = g_thread_self ();
  cmg_table_search_async (snapshot, cmg_snapshot_find_table (snapshot, "", "people"), q, 0,
                          on_match, NULL, &st, NULL, cancellable, on_done, &st);
  g_main_loop_run (st.loop);
  g_main_loop_unref (st.loop);
  g_assert_false (st.ok);
  g_assert_error (st.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Matches after the cancellation are not delivered. */
  g_assert_cmpuint (st.rows->len, ==, 1);
  state_clear (&st);
}

/* The caller's context is not iterated while the search runs (nobody owns it): matches must still
 * wait for it rather than be delivered in the worker, which once deadlocked the search. */
static void
test_search_idle_context (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open (file, &error);
  g_autoptr(CmgSearchQuery) q = cmg_search_query_new_text ("ada");
  State st;
  gint64 deadline;

  memset (&st, 0, sizeof st);
  st.rows = g_array_new (FALSE, FALSE, sizeof (guint64));
  st.loop = g_main_loop_new (NULL, FALSE);
  st.main_thread = g_thread_self ();
  cmg_table_search_async (snapshot, cmg_snapshot_find_table (snapshot, "", "people"), q, 0,
                          on_match, NULL, &st, NULL, NULL, on_done, &st);
  /* Long enough for the worker to read the whole table and queue every match. */
  deadline = g_get_monotonic_time () + G_TIME_SPAN_SECOND;
  while (g_get_monotonic_time () < deadline)
    g_usleep (G_TIME_SPAN_MILLISECOND * 20);
  g_assert_cmpuint (st.rows->len, ==, 0);
  g_main_loop_run (st.loop);
  g_main_loop_unref (st.loop);
  g_assert_no_error (st.error);
  g_assert_true (st.ok);
  g_assert_cmpuint (st.rows->len, ==, N_ROWS / 1000);
  state_clear (&st);
}

int
main (int argc, char **argv)
{
  int ret;
  CmgTestArchive *a;
  guint next = 0;

  tmp_dir = cmg_test_init (&argc, &argv);
  path = g_build_filename (tmp_dir, "people.zip", NULL);
  a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_FAST);
  cmg_test_archive_add_generated (a, "people/documents.jsonl", fill, &next);
  cmg_test_archive_close (a);

  g_test_add_func ("/snapshot/search/matches", test_search);
  g_test_add_func ("/snapshot/search/cancel", test_search_cancel);
  g_test_add_func ("/snapshot/search/idle-context", test_search_idle_context);

  ret = g_test_run ();
  cmg_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  g_free (path);
  return ret;
}
