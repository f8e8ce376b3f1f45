/* test-assistant.c: the import assistant driven through its actions, with the real pinned Convex
 * CLI against the local test deployment: a dev-like (local) target needs one click, a
 * production-like (self-hosted) target needs its name typed (a wrong name keeps Next
 * insensitive), the server's question is answered exactly as clicked, and Undo has its own
 * confirmation. Every step is saved as a PNG (and into CMG_SCREENSHOT_DIR when set). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "assistant/cmg-import-assistant.h"
#include "assistant/cmg-undo-window.h"
#include "cmg-plan-test-util.h"
#include "cmg-project.h"
#include "cmg-target-resolution.h"
#include "cmg-test-deployment-launcher.h"
#include "cmg-ui-test-utils.h"

#define ADMIN_KEY CMG_TEST_DEPLOYMENT_DEFAULT_ADMIN_KEY
#define NAME CMG_TEST_DEPLOYMENT_DEFAULT_NAME
#define CLI_TIMEOUT_MS (240 * 1000)

static const char *cli_modules;
static gboolean have_cli;

typedef struct {
  CmgTestDeploymentLauncher *launcher;
  char                      *dir;       /* project, backups, archives */
  char                      *backups;
  char                      *source;
  GtkWindow                 *window;
  CmgImportAssistant        *assistant;
} Fixture;

/* --- setup --- */

static void
write_project (Fixture *fixture)
{
  g_autofree char *link = g_build_filename (fixture->dir, "node_modules", NULL);

  cmg_test_write_file (fixture->dir, "package.json",
                       "{\"name\":\"assistant\",\"private\":true,\"dependencies\":{\"convex\":\"1.48.0\"}}\n");
  g_assert_cmpint (symlink (cli_modules, link), ==, 0);
}

static void
fixture_set_up (Fixture *fixture,
                const char *seed_tag)
{
  static const CmgPlanTestTable seed[] = {
    { "messages", 10001, 3, "before" },
    { NULL },
  };
  static const CmgPlanTestTable archive[] = {
    { "messages", 10001, 2, "archive" },
    { "users", 10002, 2, "archive" },
    { NULL },
  };
  g_autoptr(GError) error = NULL;
  g_autofree char *seed_path = NULL;
  g_autofree char *seed_arg = NULL;
  const char *args[] = { NULL, "--slow", NULL };

  fixture->dir = g_dir_make_tmp ("cmg-assistant-XXXXXX", NULL);
  fixture->backups = g_build_filename (fixture->dir, "backups", NULL);
  fixture->source = g_build_filename (fixture->dir, "colleague-export.zip", NULL);
  seed_path = g_build_filename (fixture->dir, "seed.zip", NULL);
  cmg_plan_test_write_export (seed_path, seed, 1);
  cmg_plan_test_write_export (fixture->source, archive, 2);
  write_project (fixture);

  seed_arg = g_strconcat ("--seed=", seed_path, NULL);
  args[0] = seed_arg;
  fixture->launcher = cmg_test_deployment_launcher_start (NULL, args, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *fixture)
{
  if (fixture->window != NULL)
    cmg_test_destroy_window (fixture->window);
  if (fixture->launcher != NULL)
    {
      cmg_test_deployment_launcher_stop (fixture->launcher, NULL);
      g_clear_object (&fixture->launcher);
    }
  cmg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->backups);
  g_free (fixture->source);
}

/* A project whose .convex/local config points at the test deployment: a "local" target. */
static CmgConnection *
local_connection (Fixture *fixture)
{
  g_autoptr(GUri) uri = g_uri_parse (cmg_test_deployment_launcher_get_url (fixture->launcher), G_URI_FLAGS_NONE, NULL);
  g_autofree char *config = NULL;
  g_autoptr(GFile) dir = g_file_new_for_path (fixture->dir);
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(CmgTargetResolution) resolution = NULL;
  const char * const environ[] = { NULL };
  g_autoptr(GError) error = NULL;
  CmgConnection *connection;

  config = g_strdup_printf ("{\"ports\":{\"cloud\":%d,\"site\":%d},\"adminKey\":\"%s\",\"deploymentName\":\"%s\"}\n",
                            g_uri_get_port (uri), g_uri_get_port (uri) + 1, ADMIN_KEY, NAME);
  cmg_test_write_file (fixture->dir, ".convex/local/default/config.json", config);
  cmg_test_write_file (fixture->dir, ".env.local", "CONVEX_DEPLOYMENT=local:" NAME "\n");
  project = cmg_project_open (dir, &error);
  g_assert_no_error (error);
  resolution = cmg_target_resolve (project, environ);
  connection = cmg_connection_new_project_local (resolution);
  g_assert_nonnull (connection);
  g_assert_cmpint (cmg_deployment_get_deployment_type (cmg_connection_get_deployment (connection)), ==,
                   CMG_DEPLOYMENT_TYPE_LOCAL);
  return connection;
}

static CmgConnection *
self_hosted_connection (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  CmgConnection *connection = cmg_connection_new_self_hosted (cmg_test_deployment_launcher_get_url (fixture->launcher),
                                                              ADMIN_KEY, &error);

  g_assert_no_error (error);
  return connection;
}

static void
on_plan_created (CmgImportAssistant *assistant,
                 CmgImportPlan      *plan,
                 Fixture            *fixture)
{
  /* CI=1: no telemetry from an offline machine (the app itself never sets it). */
  cmg_import_plan_set_backups_dir (plan, fixture->backups);
  cmg_import_plan_set_ci (plan, TRUE);
  cmg_import_plan_set_env (plan, "NPM_CONFIG_UPDATE_NOTIFIER", "false");
  cmg_import_plan_set_probe_timeout (plan, 20);
}

static void
show_assistant (Fixture       *fixture,
                CmgConnection *connection,
                GFile         *source)
{
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1000, 720);
  gtk_window_set_title (fixture->window, "Import");
  fixture->assistant = CMG_IMPORT_ASSISTANT (cmg_import_assistant_new ());
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->assistant));
  cmg_import_assistant_set_project_dir (fixture->assistant, fixture->dir);
  g_signal_connect (fixture->assistant, "plan-created", G_CALLBACK (on_plan_created), fixture);
  cmg_import_assistant_start (fixture->assistant, connection, source);
  cmg_test_show_window (fixture->window);
}

/* --- conditions --- */

typedef struct {
  CmgImportAssistant *assistant;
  const char         *page;
} PageWait;

static gboolean
page_settled (gpointer data)
{
  PageWait *wait = data;
  CmgImportPlan *plan = cmg_import_assistant_get_plan (wait->assistant);

  return plan != NULL && !cmg_import_plan_get_running (plan) &&
         g_strcmp0 (cmg_import_assistant_get_page_name (wait->assistant), wait->page) == 0;
}

static void
wait_for_page (Fixture    *fixture,
               const char *page)
{
  PageWait wait = { fixture->assistant, page };

  if (!cmg_test_spin_until (page_settled, &wait, CLI_TIMEOUT_MS))
    {
      CmgImportPlan *plan = cmg_import_assistant_get_plan (fixture->assistant);
      g_autofree char *summary = plan != NULL ? cmg_import_plan_dup_summary (plan) : NULL;

      g_error ("page %s never settled (on %s):\n%s", page, cmg_import_assistant_get_page_name (fixture->assistant),
               summary);
    }
  cmg_test_spin (100);
}

/* The first button bound to action under root. */
static GtkWidget *
find_action_button (GtkWidget  *root,
                    const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_action_button (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
action_enabled (Fixture    *fixture,
                const char *action)
{
  GtkWidget *button = find_action_button (GTK_WIDGET (fixture->assistant), action);

  g_assert_nonnull (button);
  /* The button follows the action's enabled state. */
  return gtk_widget_get_sensitive (button);
}

static gboolean
preview_done (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *findings = cmg_test_find_widget (GTK_WIDGET (fixture->assistant), "source_findings_label");

  return gtk_widget_get_visible (findings);
}

static gboolean
preview_stopped (gpointer data)
{
  Fixture *fixture = data;
  GtkWidget *progress = cmg_test_find_widget (GTK_WIDGET (fixture->assistant), "source_progress");

  return !gtk_widget_get_visible (progress);
}

static gboolean
plan_idle (gpointer data)
{
  Fixture *fixture = data;

  return !cmg_import_plan_get_running (cmg_import_assistant_get_plan (fixture->assistant));
}

static gboolean
awaiting_answer (gpointer data)
{
  Fixture *fixture = data;
  CmgImportPlan *plan = cmg_import_assistant_get_plan (fixture->assistant);

  return cmg_import_plan_get_awaiting_answer (plan) || cmg_import_plan_get_finished (plan);
}

static gboolean
finished (gpointer data)
{
  Fixture *fixture = data;

  return cmg_import_plan_get_finished (cmg_import_assistant_get_plan (fixture->assistant));
}

static gboolean
on_run_page (gpointer data)
{
  Fixture *fixture = data;

  return g_str_equal (cmg_import_assistant_get_page_name (fixture->assistant), "run") || finished (data);
}

static void
on_undo_response (CmgUndoWindow *window,
                  gboolean       confirmed,
                  int           *response)
{
  *response = confirmed ? 1 : 0;
}

/* --- snapshots --- */

static void
snapshot (Fixture    *fixture,
          GtkWidget  *widget,
          const char *step)
{
  const char *screens = g_getenv ("CMG_SCREENSHOT_DIR");
  g_autofree char *name = g_strconcat ("assistant-", step, NULL);

  cmg_test_spin (300);
  cmg_test_save_snapshot (widget, name);
  if (screens != NULL && *screens != '\0')
    {
      g_autofree char *file = g_strconcat (name, ".png", NULL);
      g_autofree char *path = cmg_test_save_png (widget, screens, file);

      g_test_message ("screenshot: %s", path);
    }
}

static void
next (Fixture *fixture)
{
  g_assert_true (action_enabled (fixture, "assistant.next"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->assistant), "assistant.next", NULL));
}

/* Source → Target → Mode, shared by both walks. */
static void
walk_to_safety (Fixture    *fixture,
                gboolean    take_snapshots,
                const char *leave_out)
{
  GtkWidget *root = GTK_WIDGET (fixture->assistant);
  GtkWidget *tables_list = cmg_test_find_widget (root, "tables_list");
  guint rows = 0;

  g_assert_true (cmg_test_spin_until (preview_done, fixture, CLI_TIMEOUT_MS));
  g_assert_cmpstr (cmg_import_assistant_get_page_name (fixture->assistant), ==, "source");
  for (GtkWidget *row = gtk_widget_get_first_child (tables_list); row != NULL; row = gtk_widget_get_next_sibling (row))
    rows++;
  g_assert_cmpuint (rows, ==, 2);
  if (leave_out != NULL)
    {
      /* A partial restore: the row's check button leaves the table out. */
      for (GtkWidget *row = gtk_widget_get_first_child (tables_list); row != NULL; row = gtk_widget_get_next_sibling (row))
        {
          GtkWidget *check = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));

          if (g_str_has_prefix (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), leave_out))
            gtk_check_button_set_active (GTK_CHECK_BUTTON (check), FALSE);
        }
    }
  g_assert_nonnull (strstr (cmg_test_label_text (root, "source_summary_label"), "4 documents"));
  if (take_snapshots)
    snapshot (fixture, GTK_WIDGET (fixture->window), "source");

  next (fixture);
  wait_for_page (fixture, "target");
  g_assert_nonnull (strstr (cmg_test_label_text (root, "probe_label"), ""));
  if (take_snapshots)
    snapshot (fixture, GTK_WIDGET (fixture->window), "target");

  next (fixture);
  wait_for_page (fixture, "mode");
  g_assert_true (gtk_check_button_get_active (GTK_CHECK_BUTTON (cmg_test_find_widget (root, "mode_replace"))));
  g_assert_cmpstr (cmg_test_label_text (root, "mode_description_label"), !=, "");
  {
    /* The radio buttons set the plan's mode, and the explanation follows it. */
    CmgImportPlan *plan = cmg_import_assistant_get_plan (fixture->assistant);
    g_autofree char *replace_text = g_strdup (cmg_test_label_text (root, "mode_description_label"));

    gtk_check_button_set_active (GTK_CHECK_BUTTON (cmg_test_find_widget (root, "mode_append")), TRUE);
    g_assert_cmpint (cmg_import_plan_get_mode (plan), ==, CMG_CLI_IMPORT_MODE_APPEND);
    g_assert_cmpstr (cmg_test_label_text (root, "mode_description_label"), !=, replace_text);
    gtk_check_button_set_active (GTK_CHECK_BUTTON (cmg_test_find_widget (root, "mode_replace")), TRUE);
    g_assert_cmpint (cmg_import_plan_get_mode (plan), ==, CMG_CLI_IMPORT_MODE_REPLACE);
    g_assert_cmpstr (cmg_test_label_text (root, "mode_description_label"), ==, replace_text);
  }
  if (take_snapshots)
    snapshot (fixture, GTK_WIDGET (fixture->window), "mode");

  next (fixture);
  wait_for_page (fixture, "safety");
}

/* --- tests --- */

static void
test_dev_target (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GFile) source = NULL;
  GtkWidget *root;
  CmgImportPlan *plan;

  if (!have_cli)
    {
      g_test_skip ("node or the pinned Convex CLI is missing");
      return;
    }
  fixture_set_up (&fixture, "dev");
  connection = local_connection (&fixture);
  source = g_file_new_for_path (fixture.source);
  show_assistant (&fixture, connection, source);
  root = GTK_WIDGET (fixture.assistant);

  walk_to_safety (&fixture, TRUE, NULL);
  plan = cmg_import_assistant_get_plan (fixture.assistant);

  /* One click: no name to type for a local target. */
  g_assert_false (gtk_widget_get_visible (cmg_test_find_widget (root, "typed_box")));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "confirm_check")));
  g_assert_false (action_enabled (&fixture, "assistant.next"));
  g_assert_cmpstr (cmg_test_label_text (root, "blocker_label"), !=, "");
  snapshot (&fixture, GTK_WIDGET (fixture.window), "safety");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cmg_test_find_widget (root, "confirm_check")), TRUE);
  cmg_test_spin (50);
  g_assert_true (action_enabled (&fixture, "assistant.next"));

  /* The backup (replace requires it) runs with its log, then the review page says it is verified. */
  next (&fixture);
  wait_for_page (&fixture, "review");
  g_assert_nonnull (cmg_import_plan_get_backup_snapshot (plan));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "backup_result_label")));
  g_assert_true (g_str_has_prefix (cmg_test_label_text (root, "backup_result_label"), "Backup verified: 1 table, 3 documents at "));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "notify_box")));
  g_assert_true (cmg_import_plan_get_will_ask (plan));
  snapshot (&fixture, GTK_WIDGET (fixture.window), "review");

  /* Replace over 3 documents: the server asks, with its summary on screen. */
  next (&fixture);
  g_assert_true (cmg_test_spin_until (awaiting_answer, &fixture, CLI_TIMEOUT_MS));
  g_assert_true (cmg_import_plan_get_awaiting_answer (plan));
  cmg_test_spin (200);
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "question_box")));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "changes_view")));
  g_assert_cmpuint (g_list_model_get_n_items (cmg_import_plan_get_changes (plan)), >=, 1);
  g_assert_false (action_enabled (&fixture, "assistant.next"));
  snapshot (&fixture, GTK_WIDGET (fixture.window), "review-question");

  g_assert_true (gtk_widget_activate_action (root, "assistant.answer-yes", NULL));
  g_assert_true (cmg_test_spin_until (on_run_page, &fixture, CLI_TIMEOUT_MS));
  if (!cmg_import_plan_get_finished (plan))
    snapshot (&fixture, GTK_WIDGET (fixture.window), "run");
  g_assert_true (cmg_test_spin_until (finished, &fixture, CLI_TIMEOUT_MS));
  wait_for_page (&fixture, "result");

  g_assert_cmpint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (cmg_test_label_text (root, "result_title_label"), ==, "Import complete");
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "result_backup_label")));
  g_assert_true (action_enabled (&fixture, "assistant.undo"));
  snapshot (&fixture, GTK_WIDGET (fixture.window), "result");

  /* Undo asks in its own window; for a local target one click confirms. */
  g_assert_true (gtk_widget_activate_action (root, "assistant.undo", NULL));
  {
    GListModel *toplevels = gtk_window_get_toplevels ();
    CmgUndoWindow *undo = NULL;
    CmgImportPlan *undo_plan;

    cmg_test_spin (100);
    for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
      {
        g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

        if (CMG_IS_UNDO_WINDOW (window))
          undo = CMG_UNDO_WINDOW (window);
      }
    g_assert_nonnull (undo);
    g_assert_null (cmg_undo_window_get_entry (undo));
    g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (cmg_undo_window_get_confirm_button (undo))));
    g_signal_emit_by_name (cmg_undo_window_get_confirm_button (undo), "clicked");

    undo_plan = cmg_import_assistant_get_plan (fixture.assistant);
    g_assert_true (undo_plan != plan);
    g_assert_true (cmg_import_plan_get_is_undo (undo_plan));
    wait_for_page (&fixture, "review");
    next (&fixture);
    g_assert_true (cmg_test_spin_until (awaiting_answer, &fixture, CLI_TIMEOUT_MS));
    if (cmg_import_plan_get_awaiting_answer (undo_plan))
      g_assert_true (gtk_widget_activate_action (root, "assistant.answer-yes", NULL));
    g_assert_true (cmg_test_spin_until (finished, &fixture, CLI_TIMEOUT_MS));
    wait_for_page (&fixture, "result");
    g_assert_cmpint (cmg_import_plan_get_outcome (undo_plan), ==, CMG_IMPORT_OUTCOME_SUCCEEDED);
    g_assert_cmpstr (cmg_test_label_text (root, "result_title_label"), ==, "The import was undone");
  }

  fixture_tear_down (&fixture);
}

static void
test_production_target (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GFile) source = NULL;
  GtkWidget *root;
  GtkEditable *typed;
  CmgImportPlan *plan;
  const char *expected;

  if (!have_cli)
    {
      g_test_skip ("node or the pinned Convex CLI is missing");
      return;
    }
  fixture_set_up (&fixture, "prod");
  connection = self_hosted_connection (&fixture);
  source = g_file_new_for_path (fixture.source);
  show_assistant (&fixture, connection, source);
  root = GTK_WIDGET (fixture.assistant);

  walk_to_safety (&fixture, FALSE, "users");
  plan = cmg_import_assistant_get_plan (fixture.assistant);

  /* The name must be typed, exactly. */
  g_assert_true (cmg_import_plan_get_requires_typed_name (plan));
  expected = cmg_import_plan_get_expected_name (plan);
  g_assert_nonnull (expected);
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "typed_box")));
  g_assert_false (gtk_widget_get_visible (cmg_test_find_widget (root, "confirm_check")));
  typed = GTK_EDITABLE (cmg_test_find_widget (root, "typed_entry"));
  g_assert_false (action_enabled (&fixture, "assistant.next"));

  gtk_editable_set_text (typed, "local-demo-deploymen");
  cmg_test_spin (50);
  g_assert_false (action_enabled (&fixture, "assistant.next"));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "confirm_hint_label")));
  g_assert_cmpstr (cmg_test_label_text (root, "confirm_hint_label"), !=, "");
  snapshot (&fixture, GTK_WIDGET (fixture.window), "safety-typed-name");

  {
    g_autofree char *upper = g_ascii_strup (expected, -1);

    gtk_editable_set_text (typed, upper);
    cmg_test_spin (50);
    g_assert_false (action_enabled (&fixture, "assistant.next"));
  }
  gtk_editable_set_text (typed, expected);
  cmg_test_spin (50);
  g_assert_true (action_enabled (&fixture, "assistant.next"));

  next (&fixture);
  wait_for_page (&fixture, "review");
  g_assert_nonnull (cmg_import_plan_get_backup_snapshot (plan));

  /* Only the chosen table goes to the server. */
  {
    GListModel *tables = cmg_import_plan_get_tables (plan);

    for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
      {
        g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);

        if (g_str_equal (cmg_plan_table_get_name (table), "users"))
          g_assert_cmpint (cmg_plan_table_get_archive_documents (table), <, 0);
      }
  }

  /* The user says no: the CLI hears no, nothing changes, there is nothing to undo. */
  next (&fixture);
  g_assert_true (cmg_test_spin_until (awaiting_answer, &fixture, CLI_TIMEOUT_MS));
  g_assert_true (cmg_import_plan_get_awaiting_answer (plan));
  for (guint i = 0; i < g_list_model_get_n_items (cmg_import_plan_get_changes (plan)); i++)
    {
      g_autoptr(CmgPlanTable) change = g_list_model_get_item (cmg_import_plan_get_changes (plan), i);

      g_assert_cmpstr (cmg_plan_table_get_name (change), !=, "users");
    }
  g_assert_true (gtk_widget_activate_action (root, "assistant.answer-no", NULL));
  g_assert_true (cmg_test_spin_until (finished, &fixture, CLI_TIMEOUT_MS));
  wait_for_page (&fixture, "result");
  g_assert_cmpint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_DECLINED);
  g_assert_cmpstr (cmg_test_label_text (root, "result_title_label"), ==, "Import cancelled: nothing changed");
  g_assert_false (action_enabled (&fixture, "assistant.undo"));
  snapshot (&fixture, GTK_WIDGET (fixture.window), "result-declined");

  /* The undo window of a high-risk target wants the name typed too. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(CmgImportPlan) undo_plan = cmg_import_plan_new_undo (plan, &error);
    CmgUndoWindow *undo;
    GtkEditable *entry;
    GtkWidget *confirm;
    int response = -1;

    g_assert_no_error (error);
    undo = cmg_undo_window_new (fixture.window, undo_plan);
    g_signal_connect (undo, "response", G_CALLBACK (on_undo_response), &response);
    gtk_window_present (GTK_WINDOW (undo));
    entry = cmg_undo_window_get_entry (undo);
    confirm = GTK_WIDGET (cmg_undo_window_get_confirm_button (undo));
    g_assert_nonnull (entry);
    g_assert_false (gtk_widget_get_sensitive (confirm));
    gtk_editable_set_text (entry, "wrong-name");
    g_assert_false (gtk_widget_get_sensitive (confirm));
    g_signal_emit_by_name (confirm, "clicked");
    g_assert_cmpint (response, ==, -1);
    gtk_editable_set_text (entry, expected);
    g_assert_true (gtk_widget_get_sensitive (confirm));
    cmg_test_spin (300);
    snapshot (&fixture, GTK_WIDGET (undo), "undo");
    g_signal_emit_by_name (confirm, "clicked");
    g_assert_cmpint (response, ==, 1);
    /* The plan holds the typed name: its confirmation would pass. */
    g_assert_null (cmg_import_plan_get_blocker (undo_plan));
    cmg_test_spin (100);
  }

  fixture_tear_down (&fixture);
}

static void
webhook_handler (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  char **received = user_data;

  g_free (*received);
  *received = g_strndup (body->data, body->length);
  soup_server_message_set_status (message, 200, NULL);
  soup_server_message_set_response (message, "text/plain", SOUP_MEMORY_STATIC, "ok", 2);
}

static gboolean
server_started (gpointer data)
{
  Fixture *fixture = data;
  CmgImportPlan *plan = cmg_import_assistant_get_plan (fixture->assistant);
  CmgCliRun *run = cmg_import_plan_get_run (plan);

  return (run != NULL && cmg_cli_run_get_server_started (run)) || cmg_import_plan_get_finished (plan);
}

static gboolean
run_status_shown (gpointer data)
{
  Fixture *fixture = data;

  return gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->assistant), "run_status_label")) ||
         finished (data);
}

/* Append deletes nothing: the server does not ask, and the assistant says so before starting.
 * Cancel once the server runs the import is honest: it goes on there, and the page says where. */
static void
test_cancel_after_start (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GFile) source = NULL;
  GtkWidget *root;
  CmgImportPlan *plan;
  g_autoptr(SoupServer) webhook = NULL;
  g_autofree char *received = NULL;
  g_autoptr(GError) error = NULL;

  if (!have_cli)
    {
      g_test_skip ("node or the pinned Convex CLI is missing");
      return;
    }
  fixture_set_up (&fixture, "cancel");
  connection = local_connection (&fixture);
  source = g_file_new_for_path (fixture.source);
  show_assistant (&fixture, connection, source);
  root = GTK_WIDGET (fixture.assistant);
  plan = cmg_import_assistant_get_plan (fixture.assistant);

  g_assert_true (cmg_test_spin_until (preview_done, &fixture, CLI_TIMEOUT_MS));
  next (&fixture);
  wait_for_page (&fixture, "target");
  next (&fixture);
  wait_for_page (&fixture, "mode");
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cmg_test_find_widget (root, "mode_append")), TRUE);
  next (&fixture);
  wait_for_page (&fixture, "safety");
  g_assert_false (cmg_import_plan_get_backup_required (plan));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "backup_check")));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cmg_test_find_widget (root, "confirm_check")), TRUE);

  /* The team's webhook gets the message; its answer is shown. */
  webhook = soup_server_new (NULL, NULL);
  soup_server_add_handler (webhook, "/hook", webhook_handler, &received, NULL);
  g_assert_true (soup_server_listen_local (webhook, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  {
    GSList *uris = soup_server_get_uris (webhook);
    g_autofree char *base = g_uri_to_string (uris->data);
    g_autofree char *url = g_strconcat (base, "hook", NULL);

    g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
    gtk_editable_set_text (GTK_EDITABLE (cmg_test_find_widget (root, "webhook_entry")), url);
  }

  next (&fixture);
  wait_for_page (&fixture, "review");
  g_assert_cmpuint (cmg_import_plan_get_webhook_status (plan), ==, 200);
  g_assert_nonnull (received);
  g_assert_nonnull (strstr (received, "colleague-export.zip"));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "webhook_result_label")));
  g_assert_nonnull (strstr (cmg_test_label_text (root, "webhook_result_label"), "200"));
  g_assert_false (cmg_import_plan_get_will_ask (plan));
  g_assert_true (g_str_has_prefix (cmg_test_label_text (root, "will_ask_label"), "Nothing would be deleted"));
  g_assert_false (gtk_widget_get_visible (cmg_test_find_widget (root, "backup_result_label")));

  /* The message for the team, copied as shown. */
  g_assert_true (gtk_widget_activate_action (root, "assistant.copy-message", NULL));
  {
    GdkClipboard *clipboard = gtk_widget_get_clipboard (root);
    GdkContentProvider *content = gdk_clipboard_get_content (clipboard);
    GValue value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, cmg_import_plan_get_notify_message (plan));
    g_value_unset (&value);
  }

  next (&fixture);
  g_assert_true (cmg_test_spin_until (server_started, &fixture, CLI_TIMEOUT_MS));
  g_assert_false (cmg_import_plan_get_awaiting_answer (plan));
  if (!cmg_import_plan_get_finished (plan))
    {
      /* Before Cancel, the page already says what it will do. */
      g_assert_true (cmg_test_spin_until (run_status_shown, &fixture, CLI_TIMEOUT_MS));
      if (!cmg_import_plan_get_finished (plan))
        g_assert_true (g_str_has_prefix (cmg_test_label_text (root, "run_status_label"), "The server is importing."));
      snapshot (&fixture, GTK_WIDGET (fixture.window), "run-cancel");
      g_assert_true (gtk_widget_activate_action (root, "assistant.cancel", NULL));
      g_assert_true (cmg_test_spin_until (finished, &fixture, CLI_TIMEOUT_MS));
      wait_for_page (&fixture, "result");
      g_assert_cmpint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER);
      g_assert_cmpstr (cmg_test_label_text (root, "result_title_label"), ==, "The import continues on the server");
      /* Where to watch it, when the CLI said (it does not when interrupted mid-step). */
      g_assert_cmpint (gtk_widget_get_visible (cmg_test_find_widget (root, "continue_link")), ==,
                       cmg_import_plan_get_continue_url (plan) != NULL);
      g_assert_nonnull (strstr (cmg_test_label_text (root, "result_message_label"), "continues on the server"));
      snapshot (&fixture, GTK_WIDGET (fixture.window), "result-continues");
    }
  else
    g_test_incomplete ("the import ended before it could be cancelled");

  fixture_tear_down (&fixture);
}

static void
test_no_source (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = NULL;
  GtkWidget *root;
  g_autofree char *jsonl = NULL;

  fixture.dir = g_dir_make_tmp ("cmg-assistant-XXXXXX", NULL);
  connection = cmg_connection_new_self_hosted ("http://127.0.0.1:9", ADMIN_KEY, &error);
  g_assert_no_error (error);
  show_assistant (&fixture, connection, NULL);
  root = GTK_WIDGET (fixture.assistant);

  g_assert_null (cmg_import_assistant_get_plan (fixture.assistant));
  g_assert_cmpstr (cmg_import_assistant_get_page_name (fixture.assistant), ==, "source");
  g_assert_false (action_enabled (&fixture, "assistant.next"));
  g_assert_true (gtk_widget_get_sensitive (cmg_test_find_widget (root, "choose_button")));
  g_assert_cmpstr (cmg_test_label_text (root, "blocker_label"), ==, "Choose a file to import.");
  snapshot (&fixture, GTK_WIDGET (fixture.window), "source-empty");

  /* A single file needs its table name before Next. */
  cmg_test_write_file (fixture.dir, "people.jsonl", "{\"name\":\"Ada\"}\n{\"name\":\"Grace\"}\n");
  jsonl = g_build_filename (fixture.dir, "people.jsonl", NULL);
  file = g_file_new_for_path (jsonl);
  cmg_import_assistant_set_source (fixture.assistant, file);
  g_assert_nonnull (cmg_import_assistant_get_plan (fixture.assistant));
  g_assert_true (cmg_test_spin_until (preview_done, &fixture, 60000));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (root, "single_file_grid")));
  g_assert_false (gtk_widget_get_visible (cmg_test_find_widget (root, "tables_box")));
  g_assert_false (action_enabled (&fixture, "assistant.next"));
  g_assert_cmpstr (cmg_test_label_text (root, "blocker_label"), !=, "");
  gtk_editable_set_text (GTK_EDITABLE (cmg_test_find_widget (root, "table_name_entry")), "people");
  cmg_test_spin (50);
  g_assert_true (action_enabled (&fixture, "assistant.next"));
  snapshot (&fixture, GTK_WIDGET (fixture.window), "source-single-file");

  /* A file that cannot be imported stops at Source with the reason, and Next stays off. */
  {
    g_autofree char *broken = g_build_filename (fixture.dir, "broken.zip", NULL);
    g_autoptr(GFile) broken_file = g_file_new_for_path (broken);
    CmgImportPlan *plan;

    cmg_test_write_file (fixture.dir, "broken.zip", "PK\003\004 this is not really a zip archive");
    cmg_import_assistant_set_source (fixture.assistant, broken_file);
    plan = cmg_import_assistant_get_plan (fixture.assistant);
    g_assert_true (cmg_test_spin_until (preview_stopped, &fixture, 60000));
    g_assert_false (action_enabled (&fixture, "assistant.next"));
    g_assert_cmpstr (cmg_test_label_text (root, "blocker_label"), ==, "This file cannot be imported: choose another one.");
    g_assert_nonnull (strstr (cmg_test_label_text (root, "source_summary_label"), "damaged"));
    g_assert_true (action_enabled (&fixture, "assistant.choose-file"));
    snapshot (&fixture, GTK_WIDGET (fixture.window), "source-broken");

    /* The plan itself refuses it too, and a new import starts from a clean Source page. */
    g_assert_true (gtk_widget_activate_action (root, "assistant.next", NULL));
    g_assert_true (cmg_test_spin_until (plan_idle, &fixture, 60000));
    g_assert_cmpint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_SOURCE)), ==,
                     CMG_PLAN_STEP_STATE_PENDING);
    cmg_import_plan_advance_async (plan, NULL, NULL, NULL);
    g_assert_true (cmg_test_spin_until (plan_idle, &fixture, 60000));
    g_assert_cmpint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_SOURCE)), ==,
                     CMG_PLAN_STEP_STATE_FAILED);
    wait_for_page (&fixture, "result");
    g_assert_true (action_enabled (&fixture, "assistant.restart"));
    g_assert_true (gtk_widget_activate_action (root, "assistant.restart", NULL));
    g_assert_null (cmg_import_assistant_get_plan (fixture.assistant));
    g_assert_cmpstr (cmg_import_assistant_get_page_name (fixture.assistant), ==, "source");
  }

  fixture_tear_down (&fixture);
}

int
main (int argc, char *argv[])
{
  const char *root;
  g_autofree char *node = NULL;
  g_autofree char *modules = NULL;
  g_autofree char *package = NULL;
  g_autofree char *runtime = g_dir_make_tmp ("cmg-assistant-runtime-XXXXXX", NULL);
  g_autofree char *state = g_dir_make_tmp ("cmg-assistant-state-XXXXXX", NULL);

  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("CMG_STATE_DIR", state, TRUE);
  cmg_test_ui_init (&argc, &argv);

  root = g_getenv ("CMG_SOURCE_ROOT");
  node = g_find_program_in_path ("node");
  if (root != NULL)
    {
      modules = g_build_filename (root, "tests", "convex-cli", "node_modules", NULL);
      package = g_build_filename (modules, "convex", "package.json", NULL);
    }
  have_cli = node != NULL && package != NULL && g_file_test (package, G_FILE_TEST_IS_REGULAR);
  cli_modules = modules;

  g_test_add_func ("/assistant/no-source", test_no_source);
  g_test_add_func ("/assistant/dev-target", test_dev_target);
  g_test_add_func ("/assistant/production-target", test_production_target);
  g_test_add_func ("/assistant/cancel-after-start", test_cancel_after_start);

  return g_test_run ();
}
