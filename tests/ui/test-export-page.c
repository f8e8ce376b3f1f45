/* test-export-page.c: the export page against a fake CLI: destination checks, a run streaming
 * into the log with its steps, the success row with counts and "Open in Archives", the failure
 * sentences (busy deployment, rejected key), and an honest cancel. */
#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>

#include "cmg-export-page.h"
#include "cmg-ui-test-utils.h"

#define DEPLOY_KEY "dev:happy-animal-123|0123456789abcdef0123456789abcdef"

typedef struct
{
  GtkWidget     *window;
  CmgExportPage *page;
  CmgRunHistory *history;
  char          *project_dir;
  char          *out_dir;
  char          *bin_dir;
  char          *zip;
} Fixture;

static void
write_script (const char *dir,
              const char *name,
              const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  cmg_test_write_file (dir, name, contents);
  g_assert_cmpint (g_chmod (path, 0755), ==, 0);
}

static void
use_fake_cli (Fixture    *fixture,
              const char *mode)
{
  g_autofree char *script = g_build_filename (g_getenv ("G_TEST_SRCDIR"), "ui", "fake-export-cli.sh", NULL);
  const char *program[] = { "/bin/sh", script, mode, NULL };

  cmg_export_page_set_program (fixture->page, program);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) project_file = NULL;
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GFile) folder = NULL;
  g_auto(GStrv) environ = g_get_environ ();
  g_autofree char *state_dir = NULL;
  g_autofree char *path = NULL;

  fixture->project_dir = cmg_test_make_project (NULL, TRUE);
  fixture->out_dir = g_dir_make_tmp ("cmg-export-out-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->bin_dir = g_dir_make_tmp ("cmg-export-bin-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->zip = cmg_test_make_export_zip (fixture->bin_dir, "source.zip");

  /* node and npx as the version check finds them first on PATH: no network, a known version. */
  write_script (fixture->bin_dir, "node", "#!/bin/sh\necho v20.11.0\n");
  write_script (fixture->bin_dir, "npx", "#!/bin/sh\necho 1.48.0\n");
  path = g_strdup_printf ("%s:/usr/bin:/bin", fixture->bin_dir);
  environ = g_environ_setenv (environ, "PATH", path, TRUE);
  environ = g_environ_setenv (environ, "CMG_FAKE_EXPORT_ZIP", fixture->zip, TRUE);

  state_dir = g_build_filename (fixture->out_dir, "state", NULL);
  fixture->history = cmg_run_history_new (state_dir);
  g_assert_true (cmg_run_history_load (fixture->history, &error));
  g_assert_no_error (error);

  project_file = g_file_new_for_path (fixture->project_dir);
  project = cmg_project_open (project_file, &error);
  g_assert_no_error (error);
  connection = cmg_connection_new_deploy_key (DEPLOY_KEY, &error);
  g_assert_no_error (error);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 720);
  fixture->page = CMG_EXPORT_PAGE (cmg_export_page_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->page));
  cmg_export_page_set_environ (fixture->page, (const char * const *) environ);
  cmg_export_page_set_history (fixture->page, fixture->history);
  cmg_export_page_set_project (fixture->page, project);
  cmg_export_page_set_connection (fixture->page, connection);
  folder = g_file_new_for_path (fixture->out_dir);
  cmg_export_page_set_folder (fixture->page, folder);
  cmg_test_show_window (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cmg_test_destroy_window (GTK_WINDOW (fixture->window));
  g_object_unref (fixture->history);
  cmg_test_remove_project (fixture->project_dir);
  cmg_test_remove_tree (fixture->out_dir);
  cmg_test_remove_tree (fixture->bin_dir);
  g_free (fixture->project_dir);
  g_free (fixture->out_dir);
  g_free (fixture->bin_dir);
  g_free (fixture->zip);
}

static gboolean
version_read (gpointer data)
{
  return cmg_export_page_get_cli_version (data) != NULL;
}

static gboolean
not_running (gpointer data)
{
  return cmg_export_page_get_state (data) != CMG_EXPORT_STATE_RUNNING;
}

static gboolean
counted (gpointer data)
{
  return cmg_export_page_get_counted (data);
}

static gboolean
export_enabled (Fixture *fixture)
{
  return gtk_widget_is_sensitive (cmg_test_find_widget (GTK_WIDGET (fixture->page), "export_button"));
}

static gboolean
log_contains (CmgExportPage *page,
              const char    *text)
{
  CmgLogModel *model = cmg_log_view_get_model (cmg_export_page_get_log_view (page));

  cmg_log_model_flush (model);
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
    if (strstr (cmg_log_model_get_line (model, i), text) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean
log_started (gpointer data)
{
  return log_contains (data, "Creating snapshot export");
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  const char *screenshot_dir = g_getenv ("CMG_SCREENSHOT_DIR");

  cmg_test_save_snapshot (widget, name);
  if (screenshot_dir != NULL && *screenshot_dir != '\0')
    {
      g_autofree char *file_name = g_strconcat (name, ".png", NULL);
      g_autofree char *path = cmg_test_save_png (widget, screenshot_dir, file_name);

      g_test_message ("screenshot: %s", path);
    }
}

static void
test_destination (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *expected = g_strdup_printf ("snapshot_happy-animal-123_%s.zip", date);
  g_autofree char *missing = g_build_filename (fixture->out_dir, "no-such-folder", NULL);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(GFile) out = g_file_new_for_path (fixture->out_dir);

  /* The page names the deployment and its risk, as the banner does. */
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "target_label"), ==, "happy-animal-123");
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "risk_label"), ==, "Development");
  g_assert_true (gtk_widget_has_css_class (cmg_test_find_widget (GTK_WIDGET (fixture->page), "risk_label"), "risk-low"));

  g_assert_true (cmg_test_spin_until (version_read, fixture->page, 10000));
  g_assert_cmpstr (cmg_export_page_get_cli_version (fixture->page), ==, "1.48.0");
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "version_label"), ==, "Convex CLI 1.48.0");

  g_assert_cmpstr (cmg_export_page_get_file_name (fixture->page), ==, expected);
  g_assert_null (cmg_export_page_get_problem (fixture->page));
  g_assert_true (export_enabled (fixture));
  save_screenshot (fixture->window, "export-page");

  /* An existing file is never overwritten: a sentence, and Export stays insensitive. */
  cmg_test_write_file (fixture->out_dir, expected, "precious");
  g_assert_nonnull (strstr (cmg_export_page_get_problem (fixture->page), "already exists"));
  g_assert_false (export_enabled (fixture));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "problem_label"), ==,
                   cmg_export_page_get_problem (fixture->page));
  g_assert_false (cmg_export_page_start (fixture->page));
  cmg_test_save_snapshot (fixture->window, "export-page-exists");

  /* Another name is fine; a missing folder is not. */
  cmg_export_page_set_file_name (fixture->page, "other.zip");
  g_assert_null (cmg_export_page_get_problem (fixture->page));
  g_assert_true (export_enabled (fixture));
  cmg_export_page_set_folder (fixture->page, missing_file);
  g_assert_nonnull (strstr (cmg_export_page_get_problem (fixture->page), "does not exist"));
  g_assert_false (export_enabled (fixture));
  g_assert_false (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "export.start", NULL) &&
                  cmg_export_page_get_state (fixture->page) == CMG_EXPORT_STATE_RUNNING);

  cmg_export_page_set_folder (fixture->page, out);
  cmg_export_page_set_file_name (fixture->page, "other.tar");
  g_assert_nonnull (strstr (cmg_export_page_get_problem (fixture->page), ".zip"));
  cmg_export_page_set_file_name (fixture->page, "");
  g_assert_nonnull (cmg_export_page_get_problem (fixture->page));

  /* The user's name is kept; and nothing was run. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 0);
  {
    g_autofree char *contents = NULL;
    g_autofree char *path = g_build_filename (fixture->out_dir, expected, NULL);

    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "precious");
  }
}

static void
open_archive_cb (CmgExportPage *page,
                 GFile         *file,
                 GFile        **out)
{
  g_set_object (out, file);
}

static void
test_success (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fixture->out_dir, "backup.zip", NULL);
  g_autoptr(GFile) opened = NULL;
  g_autofree char *source_contents = NULL;
  g_autofree char *target_contents = NULL;
  gsize source_length, target_length;
  CmgRunRecord *record;

  use_fake_cli (fixture, "success");
  cmg_export_page_set_file_name (fixture->page, "backup.zip");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cmg_test_find_widget (GTK_WIDGET (fixture->page), "storage_check")), TRUE);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "export.start", NULL));
  g_assert_cmpint (cmg_export_page_get_state (fixture->page), ==, CMG_EXPORT_STATE_RUNNING);
  g_assert_false (export_enabled (fixture));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->page), "cancel_button")));

  g_assert_true (cmg_test_spin_until (not_running, fixture->page, 20000));
  g_assert_cmpint (cmg_export_page_get_state (fixture->page), ==, CMG_EXPORT_STATE_SUCCEEDED);
  g_assert_null (cmg_export_page_get_failure (fixture->page));

  /* The CLI's words in the log, as it said them; the steps above it. */
  g_assert_true (log_contains (fixture->page, "✔ Created snapshot export at timestamp"));
  g_assert_true (log_contains (fixture->page, "✔ Downloaded snapshot export to"));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->page), "steps_list")));
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (cmg_test_find_widget (GTK_WIDGET (fixture->page), "steps_list")), 3));

  /* The file is the one the CLI wrote. */
  g_assert_true (g_file_get_contents (fixture->zip, &source_contents, &source_length, NULL));
  g_assert_true (g_file_get_contents (target, &target_contents, &target_length, NULL));
  g_assert_cmpmem (source_contents, source_length, target_contents, target_length);
  g_assert_cmpstr (g_file_peek_path (cmg_export_page_get_result (fixture->page)), ==, target);

  /* The success row: the file, its counts once counted, and Open in Archives. */
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->page), "result_box")));
  g_assert_nonnull (strstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "result_label"), "backup.zip"));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->page), "open_button")));
  g_assert_true (cmg_test_spin_until (counted, fixture->page, 10000));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "counts_label"), ==,
                   "2 tables · 4 documents · 0 stored files");

  g_signal_connect (fixture->page, "open-archive", G_CALLBACK (open_archive_cb), &opened);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "export.open-archive", NULL));
  g_assert_nonnull (opened);
  g_assert_true (g_file_equal (opened, cmg_export_page_get_result (fixture->page)));

  /* The run is in the history, with the flag the user chose and no secret. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->history)), ==, 1);
  record = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (cmg_run_record_get_action (record), ==, "export");
  g_assert_nonnull (strstr (cmg_run_record_get_command (record), "--include-file-storage"));
  g_assert_null (strstr (cmg_run_record_get_command (record), "0123456789abcdef0123456789abcdef"));
  g_object_unref (record);

  /* The name is taken now: Export waits for another. */
  g_assert_nonnull (cmg_export_page_get_problem (fixture->page));
  cmg_test_spin (200);
  save_screenshot (fixture->window, "export-page-done");
}

static void
test_busy (Fixture       *fixture,
           gconstpointer  data)
{
  g_autofree char *target = g_build_filename (fixture->out_dir, "busy.zip", NULL);

  use_fake_cli (fixture, "busy");
  cmg_export_page_set_file_name (fixture->page, "busy.zip");
  g_assert_true (cmg_export_page_start (fixture->page));
  g_assert_true (cmg_test_spin_until (not_running, fixture->page, 20000));

  g_assert_cmpint (cmg_export_page_get_state (fixture->page), ==, CMG_EXPORT_STATE_FAILED);
  g_assert_true (g_str_has_prefix (cmg_export_page_get_failure (fixture->page),
                                   "Only one export can run at a time on this deployment; wait for the other one to finish"));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->page), "result_label"), ==,
                   cmg_export_page_get_failure (fixture->page));
  g_assert_false (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->page), "open_button")));
  g_assert_false (g_file_test (target, G_FILE_TEST_EXISTS));
  /* Export can be tried again. */
  g_assert_true (export_enabled (fixture));
  cmg_test_spin (200);
  cmg_test_save_snapshot (fixture->window, "export-page-busy");
}

static void
test_bad_key (Fixture       *fixture,
              gconstpointer  data)
{
  use_fake_cli (fixture, "bad-key");
  cmg_export_page_set_file_name (fixture->page, "bad.zip");
  g_assert_true (cmg_export_page_start (fixture->page));
  g_assert_true (cmg_test_spin_until (not_running, fixture->page, 20000));

  g_assert_cmpint (cmg_export_page_get_state (fixture->page), ==, CMG_EXPORT_STATE_FAILED);
  g_assert_nonnull (strstr (cmg_export_page_get_failure (fixture->page), "rejected the key"));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  CmgRunRecord *record;
  GPid pid;

  use_fake_cli (fixture, "slow");
  cmg_export_page_set_file_name (fixture->page, "slow.zip");
  g_assert_true (cmg_export_page_start (fixture->page));
  g_assert_true (cmg_test_spin_until (log_started, fixture->page, 20000));
  cmg_test_spin (300);
  save_screenshot (fixture->window, "export-page-running");

  record = g_list_model_get_item (G_LIST_MODEL (fixture->history), 0);
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_RUNNING);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "export.cancel", NULL));
  g_assert_true (cmg_test_spin_until (not_running, fixture->page, 20000));
  g_assert_cmpint (cmg_export_page_get_state (fixture->page), ==, CMG_EXPORT_STATE_CANCELLED);
  g_assert_true (g_str_has_prefix (cmg_export_page_get_failure (fixture->page), "Export cancelled."));
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_CANCELLED);

  /* The CLI's process group is gone. */
  pid = cmg_run_record_get_pid (record);
  g_assert_cmpint (pid, !=, 0);
  g_object_unref (record);
  g_assert_true (export_enabled (fixture));
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add ("/export-page/destination", Fixture, NULL, fixture_set_up, test_destination, fixture_tear_down);
  g_test_add ("/export-page/success", Fixture, NULL, fixture_set_up, test_success, fixture_tear_down);
  g_test_add ("/export-page/busy", Fixture, NULL, fixture_set_up, test_busy, fixture_tear_down);
  g_test_add ("/export-page/bad-key", Fixture, NULL, fixture_set_up, test_bad_key, fixture_tear_down);
  g_test_add ("/export-page/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);

  return g_test_run ();
}
