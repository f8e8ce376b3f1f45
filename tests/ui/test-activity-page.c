/* test-activity-page.c: the activity page over a history folder holding a few runs: newest first,
 * the selected run's log, runs of this session appearing and ending live, the empty state. */
#include "config.h"

#include <string.h>

#include "cmg-activity-page.h"
#include "cmg-ui-test-utils.h"

static gboolean
not_loading (gpointer data)
{
  return !cmg_activity_page_get_loading (data);
}

typedef struct
{
  GListModel *model;
  guint       n;
} Want;

static gboolean
model_has_items (gpointer data)
{
  Want *want = data;

  return g_list_model_get_n_items (want->model) == want->n;
}

static CmgRunRecord *
begin_run (CmgRunHistory *history,
           const char    *action,
           const char    *target,
           const char    *type,
           const char    *log)
{
  g_autoptr(GError) error = NULL;
  CmgRunRecord *record;
  g_autofree char *command = g_strdup_printf ("cd '/home/ada/chat-app' && npx convex %s --path '/home/ada/Downloads/snapshot.zip'", action);

  record = cmg_run_history_begin (history, action, command, target, type, &error);
  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (cmg_run_record_get_log_path (record), log, -1, &error));
  g_assert_no_error (error);
  return record;
}

static void
test_activity (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cmg-activity-XXXXXX", &error);
  g_autoptr(CmgRunHistory) writer = cmg_run_history_new (dir);
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (dir);
  CmgActivityPage *page;
  GtkWidget *window;
  CmgRunRecord *record;
  CmgLogModel *model;
  GtkWidget *stack;

  g_assert_no_error (error);
  g_assert_true (cmg_run_history_load (writer, &error));

  /* Three runs, recorded as a past session did. */
  record = begin_run (writer, "export", "happy-animal-123", "dev",
                      "- Creating snapshot export\n✔ Created snapshot export at timestamp 42\n✔ Downloaded snapshot export to /home/ada/Downloads/a.zip\n");
  g_assert_true (cmg_run_history_finish (writer, record, CMG_RUN_OUTCOME_SUCCEEDED, 0, NULL, NULL, &error));
  g_usleep (2000);
  record = begin_run (writer, "import", "quiet-otter-42", "prod",
                      "Import change summary:\n✖ Importing data from \"a.zip\" failed\n\nTable messages already exists.\n");
  g_assert_true (cmg_run_history_finish (writer, record, CMG_RUN_OUTCOME_FAILED, 1, NULL, NULL, &error));
  g_usleep (2000);
  record = begin_run (writer, "export", "brave-heron-77", "preview",
                      "- Creating snapshot export\n✖ A snapshot export is already requested or in progress.\n");
  g_assert_true (cmg_run_history_finish (writer, record, CMG_RUN_OUTCOME_FAILED, 1, NULL, NULL, &error));

  g_assert_true (cmg_run_history_load (history, &error));
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 560);
  page = CMG_ACTIVITY_PAGE (cmg_activity_page_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  stack = cmg_test_find_widget (GTK_WIDGET (page), "stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "empty");
  cmg_activity_page_set_history (page, history);
  cmg_test_show_window (GTK_WINDOW (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (stack)), ==, "runs");

  /* Newest first. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 3);
  record = g_list_model_get_item (G_LIST_MODEL (history), 0);
  g_assert_cmpstr (cmg_run_record_get_target_name (record), ==, "brave-heron-77");
  g_object_unref (record);
  record = g_list_model_get_item (G_LIST_MODEL (history), 2);
  g_assert_cmpstr (cmg_run_record_get_target_name (record), ==, "happy-animal-123");
  g_object_unref (record);

  /* The newest is selected and its log shows. */
  g_assert_true (cmg_test_spin_until (not_loading, page, 5000));
  g_assert_cmpstr (cmg_run_record_get_target_name (cmg_activity_page_get_selected (page)), ==, "brave-heron-77");
  model = cmg_log_view_get_model (cmg_activity_page_get_log_view (page));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (page), "title_label"), ==, "Export from brave-heron-77");

  /* Selecting another run loads its log. */
  cmg_activity_page_select (page, 1);
  g_assert_true (cmg_test_spin_until (not_loading, page, 5000));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (page), "title_label"), ==, "Import into quiet-otter-42");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 4);
  g_assert_cmpstr (cmg_log_model_get_line (model, 3), ==, "Table messages already exists.");
  g_assert_nonnull (strstr (cmg_test_label_text (GTK_WIDGET (page), "command_label"), "npx convex import"));

  cmg_activity_page_select (page, 2);
  g_assert_true (cmg_test_spin_until (not_loading, page, 5000));
  cmg_test_spin (200);
  cmg_test_save_snapshot (window, "activity-page");
  {
    const char *screenshot_dir = g_getenv ("CMG_SCREENSHOT_DIR");

    if (screenshot_dir != NULL && *screenshot_dir != '\0')
      g_free (cmg_test_save_png (window, screenshot_dir, "activity-page.png"));
  }

  /* A run of this session: listed at once as running, then ended. */
  record = begin_run (history, "export", "happy-animal-123", "dev", "- Creating snapshot export\n");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 4);
  cmg_activity_page_select (page, 0);
  g_assert_true (cmg_test_spin_until (not_loading, page, 5000));
  g_assert_true (cmg_activity_page_get_selected (page) == record);
  g_assert_true (cmg_test_spin_until (model_has_items, &(Want) { G_LIST_MODEL (model), 1 }, 5000));
  /* While it runs, what the run writes shows as it is written. */
  g_assert_true (g_file_set_contents (cmg_run_record_get_log_path (record),
                                      "- Creating snapshot export\n✔ Created snapshot export at timestamp 42\n", -1, &error));
  g_assert_true (cmg_test_spin_until (model_has_items, &(Want) { G_LIST_MODEL (model), 2 }, 5000));
  g_assert_cmpstr (cmg_log_model_get_line (model, 1), ==, "✔ Created snapshot export at timestamp 42");
  g_assert_true (g_file_set_contents (cmg_run_record_get_log_path (record),
                                      "- Creating snapshot export\n✔ Created snapshot export at timestamp 42\n"
                                      "✔ Downloaded snapshot export to /tmp/b.zip\n", -1, &error));
  g_assert_true (cmg_run_history_finish (history, record, CMG_RUN_OUTCOME_SUCCEEDED, 0, NULL, NULL, &error));
  g_assert_no_error (error);
  /* The end of the run reloads its (now complete) log. */
  g_assert_true (cmg_test_spin_until (not_loading, page, 5000));
  cmg_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add_func ("/activity-page/runs", test_activity);

  return g_test_run ();
}
