/* test-run-history.c: the run history's files, order, atomic records and crash recovery. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cmg-run-history.h"
#include "test-tmpdir.h"

static char *
fresh_dir (void)
{
  g_autofree char *base = test_tmpdir_make ("cmg-history-XXXXXX");

  return g_build_filename (base, "runs", NULL);
}

static void
test_default_dir (void)
{
  g_autoptr(CmgRunHistory) history = NULL;
  g_autofree char *expected = NULL;

  g_setenv ("CMG_STATE_DIR", "/some/state", TRUE);
  history = cmg_run_history_new (NULL);
  g_assert_cmpstr (cmg_run_history_get_dir (history), ==, "/some/state/convex-migrate/runs");
  g_clear_object (&history);

  g_unsetenv ("CMG_STATE_DIR");
  history = cmg_run_history_new (NULL);
  expected = g_build_filename (g_get_user_state_dir (), "convex-migrate", "runs", NULL);
  g_assert_cmpstr (cmg_run_history_get_dir (history), ==, expected);
}

static void
load_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_round_trip (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (dir);
  g_autoptr(CmgRunHistory) reloaded = cmg_run_history_new (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgRunRecord) first = NULL;
  g_autoptr(CmgRunRecord) second = NULL;
  g_autoptr(CmgRunRecord) loaded = NULL;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  GStatBuf st;

  g_assert_true (cmg_run_history_load (history, &error));  /* no folder yet: empty */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);

  first = cmg_run_history_begin (history, "export", "cd /p && npx convex export --path /x.zip",
                                 "happy-animal-123", "dev", &error);
  g_assert_no_error (error);
  g_usleep (2000);
  second = cmg_run_history_begin (history, "import", "cd /p && npx convex import --replace /x.zip",
                                  "local-demo", "self-hosted", &error);
  g_assert_no_error (error);

  /* newest first, live */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 2);
  {
    g_autoptr(CmgRunRecord) top = g_list_model_get_item (G_LIST_MODEL (history), 0);

    g_assert_true (top == second);
  }

  g_assert_true (g_file_test (cmg_run_record_get_log_path (first), G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (cmg_run_record_get_log_path (first), &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_true (cmg_run_history_finish (history, first, CMG_RUN_OUTCOME_SUCCEEDED, 0, NULL, NULL, &error));
  g_assert_true (cmg_run_history_finish (history, second, CMG_RUN_OUTCOME_CONTINUES_ON_SERVER, 1,
                                         "https://dashboard.example/d/x", NULL, &error));
  g_assert_no_error (error);

  /* Read in a worker thread, as the app does at startup. */
  cmg_run_history_load_async (reloaded, NULL, load_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cmg_run_history_load_finish (reloaded, result, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 2);
  loaded = g_list_model_get_item (G_LIST_MODEL (reloaded), 1);
  g_assert_cmpstr (cmg_run_record_get_id (loaded), ==, cmg_run_record_get_id (first));
  g_assert_cmpstr (cmg_run_record_get_action (loaded), ==, "export");
  g_assert_cmpstr (cmg_run_record_get_command (loaded), ==, "cd /p && npx convex export --path /x.zip");
  g_assert_cmpstr (cmg_run_record_get_target_name (loaded), ==, "happy-animal-123");
  g_assert_cmpstr (cmg_run_record_get_target_type (loaded), ==, "dev");
  g_assert_cmpint (cmg_run_record_get_start_time (loaded), ==, cmg_run_record_get_start_time (first));
  g_assert_cmpint (cmg_run_record_get_duration_ms (loaded), >=, 0);
  g_assert_cmpint (cmg_run_record_get_outcome (loaded), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpint (cmg_run_record_get_exit_status (loaded), ==, 0);
  g_assert_cmpstr (cmg_run_record_get_log_path (loaded), ==, cmg_run_record_get_log_path (first));
  g_assert_null (cmg_run_record_get_continue_url (loaded));
  start = cmg_run_record_dup_start (loaded);
  g_assert_nonnull (start);

  g_clear_object (&loaded);
  loaded = g_list_model_get_item (G_LIST_MODEL (reloaded), 0);
  g_assert_cmpint (cmg_run_record_get_outcome (loaded), ==, CMG_RUN_OUTCOME_CONTINUES_ON_SERVER);
  g_assert_cmpstr (cmg_run_record_get_continue_url (loaded), ==, "https://dashboard.example/d/x");
  g_assert_cmpint (cmg_run_record_get_exit_status (loaded), ==, 1);
}

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  guint      *count)
{
  (*count)++;
}

static void
test_crash_leaves_interrupted (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgRunHistory) after = cmg_run_history_new (dir);
  g_autoptr(CmgRunRecord) loaded = NULL;
  g_autofree char *json = NULL;
  g_autofree char *json_path = NULL;
  g_autofree char *id = NULL;
  guint changes = 0;

  /* A history that begins a run and then vanishes, as the app does when it crashes. */
  {
    g_autoptr(CmgRunHistory) before = cmg_run_history_new (dir);
    g_autoptr(CmgRunRecord) running = cmg_run_history_begin (before, "import", "npx convex import x.zip",
                                                             "t", "dev", &error);

    g_assert_no_error (error);
    id = g_strdup (cmg_run_record_get_id (running));

    /* A live history keeps its own run as running. */
    g_assert_true (cmg_run_history_load (before, &error));
    g_assert_cmpint (cmg_run_record_get_outcome (running), ==, CMG_RUN_OUTCOME_RUNNING);
  }

  g_signal_connect (after, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (cmg_run_history_load (after, &error));
  g_assert_cmpuint (changes, ==, 1);
  loaded = g_list_model_get_item (G_LIST_MODEL (after), 0);
  g_assert_cmpstr (cmg_run_record_get_id (loaded), ==, id);
  g_assert_cmpint (cmg_run_record_get_outcome (loaded), ==, CMG_RUN_OUTCOME_INTERRUPTED);
  g_assert_nonnull (cmg_run_record_get_message (loaded));

  /* and the file says so too */
  json_path = g_strdup_printf ("%s/%s.json", dir, id);
  g_assert_true (g_file_get_contents (json_path, &json, NULL, NULL));
  g_assert_nonnull (strstr (json, "\"interrupted\""));
}

static void
test_running_elsewhere_stays_running (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autofree char *path = g_build_filename (dir, "20260101T000000-000001-00000001.json", NULL);
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (dir);
  g_autoptr(CmgRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  /* Another instance of the app (pid 1 is alive) is still running it. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  json = g_strdup ("{\"id\":\"20260101T000000-000001-00000001\",\"action\":\"export\",\"command\":\"x\","
                   "\"start_us\":1767225600000000,\"outcome\":\"running\",\"exit_status\":-1,\"pid\":1,"
                   "\"duration_ms\":-1,\"log_file\":null,\"continue_url\":null}");
  g_assert_true (g_file_set_contents (path, json, -1, NULL));

  g_assert_true (cmg_run_history_load (history, &error));
  record = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_RUNNING);
  g_assert_null (cmg_run_record_get_log_path (record));
}

static void
test_damaged_files_skipped (void)
{
  g_autofree char *dir = fresh_dir ();
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (dir);
  g_autoptr(GError) error = NULL;
  const char *bad[] = { "[]", "{", "{\"id\":\"x\"}", "{\"id\":\"x\",\"start_us\":1,\"outcome\":\"exploded\"}", "\xff" };

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s/bad-%u.json", dir, i);

      g_assert_true (g_file_set_contents (name, bad[i], -1, NULL));
    }
  {
    g_autofree char *good = g_strdup_printf ("%s/good.json", dir);

    g_assert_true (g_file_set_contents (good, "{\"id\":\"good\",\"start_us\":5,\"outcome\":\"failed\"}", -1, NULL));
  }

  g_assert_true (cmg_run_history_load (history, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
}

static void
test_unwritable_dir (void)
{
  g_autoptr(CmgRunHistory) history = cmg_run_history_new ("/proc/no-such-place/runs");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgRunRecord) record = cmg_run_history_begin (history, "export", "x", NULL, NULL, &error);

  g_assert_null (record);
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, "/proc/no-such-place/runs"));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 0);
}

static void
test_outcome_strings (void)
{
  for (CmgRunOutcome o = CMG_RUN_OUTCOME_RUNNING; o <= CMG_RUN_OUTCOME_INTERRUPTED; o++)
    {
      CmgRunOutcome back;

      g_assert_true (cmg_run_outcome_from_string (cmg_run_outcome_to_string (o), &back));
      g_assert_cmpint (back, ==, o);
      g_assert_nonnull (cmg_run_outcome_get_label (o));
    }
  g_assert_cmpstr (cmg_run_outcome_to_string (CMG_RUN_OUTCOME_CONTINUES_ON_SERVER), ==, "continues-on-server");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/history/default-dir", test_default_dir);
  g_test_add_func ("/cli/history/round-trip", test_round_trip);
  g_test_add_func ("/cli/history/crash-leaves-interrupted", test_crash_leaves_interrupted);
  g_test_add_func ("/cli/history/running-elsewhere", test_running_elsewhere_stays_running);
  g_test_add_func ("/cli/history/damaged-files", test_damaged_files_skipped);
  g_test_add_func ("/cli/history/unwritable", test_unwritable_dir);
  g_test_add_func ("/cli/history/outcomes", test_outcome_strings);

  {
    int status = g_test_run ();

    test_tmpdir_cleanup ();
    return status;
  }
}
