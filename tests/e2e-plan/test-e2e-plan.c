/* test-e2e-plan.c: whole import plans run headless with the real, pinned `convex` CLI
 * (tests/convex-cli) against the local test deployment (tests/deployment): every mode into empty
 * and non-empty targets, the server's question answered yes and no, a failing import, a partial
 * restore, the backup verified before a replace, and undo restoring the exact previous state.
 * Skipped (77) only when node is absent; fails when the CLI is not installed. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cmg-import-plan.h"
#include "cmg-plan-test-util.h"
#include "cmg-test-deployment-launcher.h"

#define ADMIN_KEY CMG_TEST_DEPLOYMENT_DEFAULT_ADMIN_KEY
#define FAIL_MESSAGE "Failed to insert or update a document in table \"messages\" because it does not match " \
                     "the schema: Object is missing the required field `author`."

static char *project_dir;
static char *source_zip;   /* messages 3, users 2 (tag "source") */
static char *target_zip;   /* messages 5, audit 4 (tag "target"): seeds non-empty targets */
static char *three_zip;    /* alpha 2, beta 3, gamma 4 */

/* --- the test deployment --- */

static CmgTestDeploymentLauncher *
server_start_full (gboolean    seeded,
                   const char *fail_message,
                   gboolean    slow)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  CmgTestDeploymentLauncher *launcher;

  if (slow)
    g_ptr_array_add (args, (char *)"--slow");
  if (seeded)
    {
      g_ptr_array_add (args, (char *)"--seed");
      g_ptr_array_add (args, target_zip);
    }
  if (fail_message != NULL)
    {
      g_ptr_array_add (args, (char *)"--fail-import");
      g_ptr_array_add (args, (char *)fail_message);
    }
  g_ptr_array_add (args, NULL);

  launcher = cmg_test_deployment_launcher_start (NULL, (const char * const *)args->pdata, &error);
  g_assert_no_error (error);
  return launcher;
}

static CmgTestDeploymentLauncher *
server_start (gboolean    seeded,
              const char *fail_message)
{
  return server_start_full (seeded, fail_message, FALSE);
}

static void
server_stop (CmgTestDeploymentLauncher *launcher)
{
  cmg_test_deployment_launcher_stop (launcher, NULL);
  g_object_unref (launcher);
}

static CmgConnection *
connection_for (CmgTestDeploymentLauncher *launcher)
{
  g_autoptr(GError) error = NULL;
  CmgConnection *connection = cmg_connection_new_self_hosted (cmg_test_deployment_launcher_get_url (launcher),
                                                              ADMIN_KEY, &error);

  g_assert_no_error (error);
  return connection;
}

static char *
temp_dir (void)
{
  return g_dir_make_tmp ("cmg-e2e-plan-XXXXXX", NULL);
}

static gboolean
too_slow (gpointer user_data)
{
  g_error ("the plan did not finish in time");
  return G_SOURCE_REMOVE;
}

/* An export of the target's current state (documents of the app's own tables, sorted). */
static void
export_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  CmgRunOutcome outcome = cmg_cli_run_start_finish (CMG_CLI_RUN (object), result, &error);

  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, CMG_RUN_OUTCOME_SUCCEEDED);
  *(gboolean *)user_data = TRUE;
}

static GHashTable *
export_tables (CmgTestDeploymentLauncher *launcher)
{
  g_autoptr(CmgConnection) connection = connection_for (launcher);
  g_autofree char *dir = temp_dir ();
  g_autofree char *path = g_build_filename (dir, "state.zip", NULL);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_export (connection, project_dir, path, FALSE);
  g_autoptr(CmgCliRun) run = NULL;
  gboolean done = FALSE;
  guint guard;

  cmg_cli_command_set_ci (command, TRUE);
  cmg_cli_command_set_env (command, "NPM_CONFIG_UPDATE_NOTIFIER", "false");
  run = cmg_cli_run_new (command, FALSE);
  guard = g_timeout_add_seconds (120, too_slow, NULL);
  cmg_cli_run_start_async (run, NULL, export_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);

  return cmg_plan_test_read_tables (path);
}

/* Documents of a table in an export, 0 when it is absent or empty. */
static guint
count_documents (GHashTable *tables,
                 const char *table)
{
  const char *documents = g_hash_table_lookup (tables, table);
  guint n = 0;

  for (const char *p = documents; p != NULL && *p != '\0'; p++)
    if (*p == '\n')
      n++;
  return n;
}

static guint
count_tagged (GHashTable *tables,
              const char *table,
              const char *tag)
{
  const char *documents = g_hash_table_lookup (tables, table);
  g_autofree char *needle = g_strdup_printf ("\"tag\":\"%s\"", tag);
  guint n = 0;

  for (const char *p = documents; p != NULL && (p = strstr (p, needle)) != NULL; p++)
    n++;
  return n;
}

/* Same tables (ignoring empty ones, which an export lists once created) with the same documents. */
static void
assert_same_state (GHashTable *before,
                   GHashTable *after)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, before);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_assert_cmpstr (value, ==, g_hash_table_lookup (after, key) != NULL ? g_hash_table_lookup (after, key) : "");
  g_hash_table_iter_init (&iter, after);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (*(const char *)value != '\0')
      g_assert_nonnull (g_hash_table_lookup (before, key));
}

/* --- running a plan headless --- */

typedef struct {
  int       answer;      /* 1 yes, 2 no, 3 cancel instead */
  gboolean  cancel_once_started;
  guint     questions;
  gboolean  backup_verified_when_asked;
  gboolean  done;
  GError   *error;
} Drive;

typedef struct {
  CmgImportPlan *plan;
  Drive         *drive;
} Answer;

static gboolean
answer_idle (gpointer user_data)
{
  Answer *answer = user_data;
  g_autoptr(GError) error = NULL;

  if (answer->drive->answer == 3)
    cmg_import_plan_cancel (answer->plan);
  else
    {
      g_assert_true (cmg_import_plan_answer (answer->plan, answer->drive->answer == 1, &error));
      g_assert_no_error (error);
    }
  g_free (answer);
  return G_SOURCE_REMOVE;
}

static void
on_confirmation_requested (CmgImportPlan *plan,
                           const char    *question,
                           Drive         *drive)
{
  Answer *answer;

  g_test_message ("the CLI asks: %s", question);
  g_assert_nonnull (strstr (question, "Perform import?"));
  g_assert_true (cmg_import_plan_get_awaiting_answer (plan));
  g_assert_cmpuint (g_list_model_get_n_items (cmg_import_plan_get_changes (plan)), >, 0);
  drive->questions++;
  /* Nothing is deleted before the backup was taken and read back. */
  drive->backup_verified_when_asked =
    cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_BACKUP)) == CMG_PLAN_STEP_STATE_DONE &&
    cmg_import_plan_get_backup_snapshot (plan) != NULL;
  g_assert_cmpint (drive->answer, !=, 0);

  answer = g_new0 (Answer, 1);
  answer->plan = plan;
  answer->drive = drive;
  g_idle_add (answer_idle, answer);
}

static void
on_line (CmgImportPlan *plan,
         guint          index,
         const char    *text,
         Drive         *drive)
{
  g_test_message ("| %s", text);
  /* `- Importing "t"`: the server runs the import now. */
  if (drive->cancel_once_started && g_str_has_prefix (text, "- Importing \""))
    {
      drive->cancel_once_started = FALSE;
      g_assert_true (cmg_cli_run_get_server_started (cmg_import_plan_get_run (plan)));
      cmg_import_plan_cancel (plan);
    }
  g_assert_null (strstr (text, ADMIN_KEY));
  g_assert_null (strchr (text, '\x1b'));
}

static void
advance_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Drive *drive = user_data;

  cmg_import_plan_advance_finish (CMG_IMPORT_PLAN (object), result, &drive->error);
  drive->done = TRUE;
}

static CmgImportPlan *
new_plan (CmgTestDeploymentLauncher *launcher,
          const char                *source,
          CmgCliImportMode           mode)
{
  g_autoptr(CmgConnection) connection = connection_for (launcher);
  g_autoptr(GFile) file = g_file_new_for_path (source);
  g_autofree char *backups = temp_dir ();
  CmgImportPlan *plan = cmg_import_plan_new (file, connection, project_dir, mode);

  cmg_import_plan_set_backups_dir (plan, backups);
  cmg_import_plan_set_ci (plan, TRUE);
  cmg_import_plan_set_env (plan, "NPM_CONFIG_UPDATE_NOTIFIER", "false");
  return plan;
}

/* Next until the end, like a user who confirms the target and answers the question. */
static void
run_plan (CmgImportPlan *plan,
          Drive         *drive)
{
  guint guard = g_timeout_add_seconds (300, too_slow, NULL);
  gulong asked = g_signal_connect (plan, "confirmation-requested", G_CALLBACK (on_confirmation_requested), drive);
  gulong lines = g_signal_connect (plan, "line-added", G_CALLBACK (on_line), drive);
  g_autofree char *summary = NULL;

  while (!cmg_import_plan_get_finished (plan))
    {
      CmgPlanPage page = cmg_import_plan_get_current_page (plan);

      if (page == CMG_PLAN_PAGE_SAFETY)
        cmg_import_plan_set_typed_name (plan, cmg_import_plan_get_expected_name (plan));
      g_assert_true (cmg_import_plan_get_can_advance (plan));

      drive->done = FALSE;
      cmg_import_plan_advance_async (plan, NULL, advance_done, drive);
      while (!drive->done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (drive->error);
      g_test_message ("page %u done, now %u", page, cmg_import_plan_get_current_page (plan));
    }

  g_signal_handler_disconnect (plan, asked);
  g_signal_handler_disconnect (plan, lines);
  g_source_remove (guard);
  summary = cmg_import_plan_dup_summary (plan);
  g_test_message ("%s", summary);
}

static CmgPlanTable *
change_row (CmgImportPlan *plan,
            const char    *table)
{
  GListModel *changes = cmg_import_plan_get_changes (plan);

  for (guint i = 0; i < g_list_model_get_n_items (changes); i++)
    {
      g_autoptr(CmgPlanTable) row = g_list_model_get_item (changes, i);

      if (g_str_equal (cmg_plan_table_get_name (row), table))
        return row;
    }
  return NULL;
}

static CmgPlanTable *
plan_table (CmgImportPlan *plan,
            const char    *name)
{
  GListModel *tables = cmg_import_plan_get_tables (plan);

  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);

      if (g_str_equal (cmg_plan_table_get_name (table), name))
        return table;
    }
  return NULL;
}

/* --- the tests --- */

typedef struct {
  CmgCliImportMode mode;
  gboolean         seeded;
} ModeCase;

static void
test_mode (gconstpointer data)
{
  const ModeCase *mc = data;
  CmgTestDeploymentLauncher *launcher = server_start (mc->seeded, NULL);
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, source_zip, mc->mode);
  g_autoptr(GHashTable) after = NULL;
  Drive drive = { .answer = 1 };
  gboolean deletes = mc->seeded && (mc->mode == CMG_CLI_IMPORT_MODE_REPLACE ||
                                    mc->mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  gboolean predicted;

  /* Run to the review page, then check the prediction before the import starts. */
  while (cmg_import_plan_get_current_page (plan) < CMG_PLAN_PAGE_REVIEW && !cmg_import_plan_get_finished (plan))
    {
      if (cmg_import_plan_get_current_page (plan) == CMG_PLAN_PAGE_SAFETY)
        cmg_import_plan_set_typed_name (plan, cmg_import_plan_get_expected_name (plan));
      drive.done = FALSE;
      cmg_import_plan_advance_async (plan, NULL, advance_done, &drive);
      while (!drive.done)
        g_main_context_iteration (NULL, TRUE);
      g_assert_no_error (drive.error);
    }
  predicted = cmg_import_plan_get_will_ask (plan);
  g_assert_cmpint (predicted, ==, deletes);
  run_plan (plan, &drive);

  /* The server asked exactly when something was deleted, as predicted. */
  g_assert_cmpuint (drive.questions, ==, predicted ? 1 : 0);
  after = export_tables (launcher);

  if (mc->mode == CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY && mc->seeded)
    {
      /* messages holds documents: the server refuses, nothing changes. */
      g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_FAILED);
      g_assert_cmpuint (cmg_import_plan_get_problem (plan), ==, CMG_IMPORT_PROBLEM_TABLE_EXISTS);
      g_assert_nonnull (cmg_import_plan_get_result_fix (plan));
      g_assert_nonnull (strstr (cmg_import_plan_get_result_message (plan), "already exists"));
      g_assert_cmpuint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RESULT)), ==,
                        CMG_PLAN_STEP_STATE_FAILED);
      g_assert_cmpuint (count_documents (after, "messages"), ==, 5);
      g_assert_cmpuint (count_documents (after, "users"), ==, 0);
      server_stop (launcher);
      return;
    }

  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_SUCCEEDED);
  g_assert_cmpuint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RESULT)), ==,
                    CMG_PLAN_STEP_STATE_DONE);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_import_plan_get_changes (plan)), >, 0);
  g_assert_nonnull (strstr (cmg_import_plan_get_result_message (plan), "5 documents written"));
  g_assert_cmpint (cmg_plan_table_get_written_documents (plan_table (plan, "messages")), ==, 3);
  g_assert_cmpint (cmg_plan_table_get_written_documents (plan_table (plan, "users")), ==, 2);
  g_assert_nonnull (strstr (cmg_plan_step_get_detail (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RESULT)),
                            "messages: 3 of 3 documents written"));
  g_assert_cmpuint (count_tagged (after, "messages", "source"), ==, 3);
  g_assert_cmpuint (count_documents (after, "users"), ==, 2);

  if (cmg_import_plan_get_backup_required (plan))
    g_assert_nonnull (cmg_import_plan_get_backup_file (plan));

  switch (mc->mode)
    {
    case CMG_CLI_IMPORT_MODE_APPEND:
      g_assert_cmpuint (count_tagged (after, "messages", "target"), ==, mc->seeded ? 5 : 0);
      g_assert_cmpuint (count_documents (after, "audit"), ==, mc->seeded ? 4 : 0);
      break;
    case CMG_CLI_IMPORT_MODE_REPLACE:
      g_assert_cmpuint (count_tagged (after, "messages", "target"), ==, 0);
      g_assert_cmpuint (count_documents (after, "audit"), ==, mc->seeded ? 4 : 0);
      if (mc->seeded)
        {
          CmgPlanTable *row = change_row (plan, "messages");

          g_assert_nonnull (row);
          g_assert_cmpint (cmg_plan_table_get_create (row), ==, 3);
          g_assert_cmpint (cmg_plan_table_get_delete (row), ==, 5);
          g_assert_cmpint (cmg_plan_table_get_of (row), ==, 5);
          g_assert_true (drive.backup_verified_when_asked);
        }
      break;
    case CMG_CLI_IMPORT_MODE_REPLACE_ALL:
      g_assert_cmpuint (count_tagged (after, "messages", "target"), ==, 0);
      g_assert_cmpuint (count_documents (after, "audit"), ==, 0);
      if (mc->seeded)
        g_assert_true (drive.backup_verified_when_asked);
      break;
    case CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY:
    default:
      break;
    }

  server_stop (launcher);
}

/* Answered no: the server keeps exactly what it had. */
static void
test_declined (void)
{
  CmgTestDeploymentLauncher *launcher = server_start (TRUE, NULL);
  g_autoptr(GHashTable) before = export_tables (launcher);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, source_zip, CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  Drive drive = { .answer = 2 };

  run_plan (plan, &drive);
  g_assert_cmpuint (drive.questions, ==, 1);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_DECLINED);
  g_assert_cmpuint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RUN)), ==,
                    CMG_PLAN_STEP_STATE_SKIPPED);
  g_assert_cmpuint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RESULT)), ==,
                    CMG_PLAN_STEP_STATE_DONE);

  after = export_tables (launcher);
  g_assert_cmpuint (g_hash_table_size (before), >, 0);
  assert_same_state (before, after);
  server_stop (launcher);
}

static void
test_failure (void)
{
  CmgTestDeploymentLauncher *launcher = server_start (FALSE, FAIL_MESSAGE);
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, source_zip, CMG_CLI_IMPORT_MODE_APPEND);
  Drive drive = { .answer = 1 };

  run_plan (plan, &drive);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_FAILED);
  g_assert_nonnull (strstr (cmg_import_plan_get_result_message (plan), "does not match the schema"));
  g_assert_cmpuint (cmg_import_plan_get_problem (plan), ==, CMG_IMPORT_PROBLEM_SCHEMA_MISMATCH);
  g_assert_nonnull (strstr (cmg_import_plan_get_result_fix (plan), "npx convex dev --once"));
  g_assert_cmpuint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RUN)), ==,
                    CMG_PLAN_STEP_STATE_FAILED);
  g_assert_cmpuint (cmg_plan_step_get_state (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_RESULT)), ==,
                    CMG_PLAN_STEP_STATE_FAILED);
  server_stop (launcher);
}

static void
test_partial_restore (void)
{
  const char * const chosen[] = { "beta", NULL };
  CmgTestDeploymentLauncher *launcher = server_start (FALSE, NULL);
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, three_zip, CMG_CLI_IMPORT_MODE_REPLACE);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(GHashTable) source = cmg_plan_test_read_tables (three_zip);
  Drive drive = { .answer = 1 };

  cmg_import_plan_set_selected_tables (plan, chosen);
  run_plan (plan, &drive);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_SUCCEEDED);

  after = export_tables (launcher);
  g_assert_cmpuint (count_documents (after, "alpha"), ==, 0);
  g_assert_cmpuint (count_documents (after, "gamma"), ==, 0);
  /* The restored table holds exactly the archive's documents, Ids and numbers included. */
  g_assert_cmpstr (g_hash_table_lookup (after, "beta"), ==, g_hash_table_lookup (source, "beta"));
  server_stop (launcher);
}

/* Replace-all, then undo: the deployment is back to what it was. */
static void
test_undo (void)
{
  CmgTestDeploymentLauncher *launcher = server_start (TRUE, NULL);
  g_autofree char *state_dir = temp_dir ();
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (state_dir);
  g_autoptr(GHashTable) before = export_tables (launcher);
  g_autoptr(GHashTable) imported = NULL;
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, source_zip, CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  g_autoptr(CmgImportPlan) undo = NULL;
  g_autoptr(CmgRunHistory) reloaded = NULL;
  g_autoptr(GHashTable) backup = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *backup_path = NULL;
  Drive drive = { .answer = 1 };
  Drive undo_drive = { .answer = 1 };
  guint plans = 0;

  cmg_import_plan_set_history (plan, history);
  run_plan (plan, &drive);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_SUCCEEDED);
  g_assert_true (drive.backup_verified_when_asked);
  imported = export_tables (launcher);
  g_assert_cmpuint (count_documents (imported, "audit"), ==, 0);

  /* The backup holds exactly the state before. */
  backup_path = g_file_get_path (cmg_import_plan_get_backup_file (plan));
  backup = cmg_plan_test_read_tables (backup_path);
  assert_same_state (before, backup);

  undo = cmg_import_plan_new_undo (plan, &error);
  g_assert_no_error (error);
  run_plan (undo, &undo_drive);
  g_assert_cmpuint (undo_drive.questions, ==, 1);
  g_assert_cmpuint (cmg_import_plan_get_outcome (undo), ==, CMG_IMPORT_OUTCOME_SUCCEEDED);

  after = export_tables (launcher);
  assert_same_state (before, after);

  /* Both plans are in the history, beside their CLI runs. */
  reloaded = cmg_run_history_new (state_dir);
  g_assert_true (cmg_run_history_load (reloaded, NULL));
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (reloaded)); i++)
    {
      g_autoptr(CmgRunRecord) record = g_list_model_get_item (G_LIST_MODEL (reloaded), i);

      g_assert_null (strstr (cmg_run_record_get_command (record), ADMIN_KEY));
      if (g_str_equal (cmg_run_record_get_action (record), "import-plan"))
        {
          g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_SUCCEEDED);
          plans++;
        }
    }
  g_assert_cmpuint (plans, ==, 2);
  server_stop (launcher);
}

/* Cancel at the server's question: nothing was started, nothing changed. */
static void
test_cancel_at_question (void)
{
  CmgTestDeploymentLauncher *launcher = server_start (TRUE, NULL);
  g_autoptr(GHashTable) before = export_tables (launcher);
  g_autoptr(GHashTable) after = NULL;
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, source_zip, CMG_CLI_IMPORT_MODE_REPLACE);
  Drive drive = { .answer = 3 };

  run_plan (plan, &drive);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_CANCELLED);
  g_assert_nonnull (strstr (cmg_import_plan_get_result_message (plan), "nothing was changed"));
  after = export_tables (launcher);
  assert_same_state (before, after);
  server_stop (launcher);
}

/* Cancel once the server runs the import: it goes on there, and the plan says so. */
static void
test_cancel_after_start (void)
{
  CmgTestDeploymentLauncher *launcher = server_start_full (FALSE, NULL, TRUE);
  g_autoptr(CmgImportPlan) plan = new_plan (launcher, source_zip, CMG_CLI_IMPORT_MODE_APPEND);
  Drive drive = { .answer = 1, .cancel_once_started = TRUE };

  run_plan (plan, &drive);
  g_assert_false (drive.cancel_once_started);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER);
  g_assert_nonnull (strstr (cmg_import_plan_get_result_message (plan), "continues on the server"));
  g_test_message ("watch it at %s", cmg_import_plan_get_continue_url (plan));
  server_stop (launcher);
}

static void
write_fixtures (void)
{
  const CmgPlanTestTable source[] = {
    { "messages", 10001, 3, "source" },
    { "users", 10002, 2, "source" },
    { NULL }
  };
  const CmgPlanTestTable target[] = {
    { "messages", 10001, 5, "target" },
    { "audit", 10003, 4, "target" },
    { NULL }
  };
  const CmgPlanTestTable three[] = {
    { "alpha", 10001, 2, "a" },
    { "beta", 10002, 3, "b" },
    { "gamma", 10003, 4, "c" },
    { NULL }
  };

  source_zip = g_build_filename (project_dir, "source.zip", NULL);
  cmg_plan_test_write_export (source_zip, source, 1);
  target_zip = g_build_filename (project_dir, "target.zip", NULL);
  cmg_plan_test_write_export (target_zip, target, 2);
  three_zip = g_build_filename (project_dir, "three.zip", NULL);
  cmg_plan_test_write_export (three_zip, three, 3);
}

int
main (int argc, char *argv[])
{
  static const char * const mode_names[] = { "none", "append", "replace", "replace-all" };
  static ModeCase cases[8];
  const char *root = g_getenv ("CMG_SOURCE_ROOT");
  g_autofree char *cli_modules = NULL;
  g_autofree char *cli_package = NULL;
  g_autofree char *package_json = NULL;
  g_autofree char *link = NULL;
  g_autofree char *runtime = g_dir_make_tmp ("cmg-e2e-plan-runtime-XXXXXX", NULL);
  g_autofree char *state = g_dir_make_tmp ("cmg-e2e-plan-state-XXXXXX", NULL);
  g_autofree char *node = g_find_program_in_path ("node");

  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("CMG_STATE_DIR", state, TRUE);
  g_test_init (&argc, &argv, NULL);

  if (node == NULL)
    {
      g_printerr ("node is not installed: skipping the end-to-end tests of the import plan\n");
      return 77;
    }

  g_assert_nonnull (root);
  cli_modules = g_build_filename (root, "tests", "convex-cli", "node_modules", NULL);
  cli_package = g_build_filename (cli_modules, "convex", "package.json", NULL);
  if (!g_file_test (cli_package, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("The pinned Convex CLI is not installed in tests/convex-cli: run build-aux/cli.sh first.\n");
      return 1;
    }

  project_dir = g_dir_make_tmp ("cmg-e2e-plan-project-XXXXXX", NULL);
  package_json = g_build_filename (project_dir, "package.json", NULL);
  g_assert_true (g_file_set_contents (package_json, "{\"name\":\"e2e-plan\",\"private\":true,"
                                                    "\"dependencies\":{\"convex\":\"1.48.0\"}}\n", -1, NULL));
  link = g_build_filename (project_dir, "node_modules", NULL);
  g_assert_cmpint (symlink (cli_modules, link), ==, 0);
  write_fixtures ();

  for (guint m = 0; m < 4; m++)
    for (guint s = 0; s < 2; s++)
      {
        ModeCase *mc = &cases[m * 2 + s];
        g_autofree char *path = g_strdup_printf ("/e2e-plan/mode/%s/%s", mode_names[m], s ? "non-empty" : "empty");

        mc->mode = (CmgCliImportMode)m;
        mc->seeded = s;
        g_test_add_data_func (path, mc, test_mode);
      }
  g_test_add_func ("/e2e-plan/confirm/no", test_declined);
  g_test_add_func ("/e2e-plan/failure", test_failure);
  g_test_add_func ("/e2e-plan/partial-restore", test_partial_restore);
  g_test_add_func ("/e2e-plan/undo", test_undo);
  g_test_add_func ("/e2e-plan/cancel/at-question", test_cancel_at_question);
  g_test_add_func ("/e2e-plan/cancel/after-start", test_cancel_after_start);

  return g_test_run ();
}
