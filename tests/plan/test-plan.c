/* test-plan.c: the import plan without the real CLI: the steps and their order, the rules per
 * mode and target type, the typed confirmation, the mode explained for an archive and a target
 * (the target's tables come from a backup made by a fake CLI), the notify message and its
 * webhook (a local SoupServer), source errors, the partial restore, and the history record. */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "cmg-core.h"
#include "cmg-import-plan.h"
#include "cmg-plan-notify.h"
#include "cmg-plan-test-util.h"
#include "cmg-table.h"

#define ADMIN_KEY "plan-test-admin-key"
#define WEBHOOK_TOKEN "T0KEN-in-the-hook-url"

static char *work_dir;
static char *fake_cli;

/* --- a local backend (probe) and webhook --- */

typedef struct {
  SoupServer *server;
  char       *url;
  GPtrArray  *bodies;       /* webhook bodies received */
  guint       hook_status;  /* what the webhook answers */
  const char *version;      /* what /instance_version answers */
} Backend;

static void
backend_handler (SoupServer        *server,
                 SoupServerMessage *msg,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  Backend *backend = user_data;

  if (g_str_equal (path, "/instance_name"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, "plan-test-backend", 17);
    }
  else if (g_str_equal (path, "/instance_version"))
    {
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, backend->version, strlen (backend->version));
    }
  else if (g_str_has_prefix (path, "/hook/"))
    {
      SoupMessageBody *body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) bytes = soup_message_body_flatten (body);

      g_ptr_array_add (backend->bodies, g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
      soup_server_message_set_status (msg, backend->hook_status, NULL);
      soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, "ok", 2);
    }
  else
    soup_server_message_set_status (msg, 404, NULL);
}

static Backend *
backend_new (void)
{
  g_autoptr(GError) error = NULL;
  Backend *backend = g_new0 (Backend, 1);
  GSList *uris;

  backend->server = soup_server_new (NULL, NULL);
  backend->bodies = g_ptr_array_new_with_free_func (g_free);
  backend->hook_status = 200;
  backend->version = "1.29.0";
  soup_server_add_handler (backend->server, NULL, backend_handler, backend, NULL);
  g_assert_true (soup_server_listen_local (backend->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  g_assert_no_error (error);
  uris = soup_server_get_uris (backend->server);
  backend->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);
  return backend;
}

static void
backend_free (Backend *backend)
{
  soup_server_disconnect (backend->server);
  g_object_unref (backend->server);
  g_ptr_array_unref (backend->bodies);
  g_free (backend->url);
  g_free (backend);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Backend, backend_free)

static char *
hook_url (Backend *backend)
{
  return g_strdup_printf ("%s/hook/%s", backend->url, WEBHOOK_TOKEN);
}

/* --- helpers --- */

static char *
temp_path (const char *name)
{
  static guint counter;
  g_autofree char *dir = g_strdup_printf ("%s/t%u", work_dir, ++counter);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  return g_build_filename (dir, name, NULL);
}

static CmgConnection *
self_hosted (Backend *backend)
{
  g_autoptr(GError) error = NULL;
  CmgConnection *connection = cmg_connection_new_self_hosted (backend->url, ADMIN_KEY, &error);

  g_assert_no_error (error);
  return connection;
}

static CmgConnection *
deploy_key (const char *key)
{
  g_autoptr(GError) error = NULL;
  CmgConnection *connection = cmg_connection_new_deploy_key (key, &error);

  g_assert_no_error (error);
  return connection;
}

static CmgImportPlan *
plan_for (const char       *source_path,
          CmgConnection    *connection,
          CmgCliImportMode  mode)
{
  g_autoptr(GFile) source = g_file_new_for_path (source_path);
  g_autofree char *backups = temp_path ("backups");
  CmgImportPlan *plan = cmg_import_plan_new (source, connection, work_dir, mode);

  cmg_import_plan_set_backups_dir (plan, backups);
  cmg_import_plan_set_probe_timeout (plan, 1);
  return plan;
}

/* The fake CLI's export hands over `target_zip` as the target's backup. */
static void
use_fake_export (CmgImportPlan *plan,
                 const char    *fake_mode,
                 const char    *target_zip)
{
  const char *program[] = { "/bin/sh", fake_cli, fake_mode, NULL };

  cmg_import_plan_set_program (plan, program);
  if (target_zip != NULL)
    cmg_import_plan_set_env (plan, "FAKE_EXPORT_ZIP", target_zip);
}

static void
advance_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = cmg_import_plan_advance_finish (CMG_IMPORT_PLAN (object), result, error);

  g_assert_true (ok == (*error == NULL));
  *(gboolean *)g_object_get_data (object, "done") = TRUE;
}

/* One Next, run to its end. */
static gboolean
advance (CmgImportPlan  *plan,
         GError        **error)
{
  gboolean done = FALSE;
  GError *local = NULL;

  g_object_set_data (G_OBJECT (plan), "done", &done);
  cmg_import_plan_advance_async (plan, NULL, advance_done, &local);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  g_object_set_data (G_OBJECT (plan), "done", NULL);

  if (local != NULL)
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  return TRUE;
}

static void
advance_ok (CmgImportPlan *plan)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (advance (plan, &error));
  g_assert_no_error (error);
}

static CmgPlanStepState
state_of (CmgImportPlan   *plan,
          CmgPlanStepKind  kind)
{
  return cmg_plan_step_get_state (cmg_import_plan_get_step (plan, kind));
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

/* Worker threads may hold the plan's tasks a moment after their callbacks ran. */
static void
finalize_soon (gpointer object)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_add_weak_pointer (object, &object);
  g_object_unref (object);
  while (object != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (object);
}

static char *
write_jsonl (const char *name,
             const char *contents)
{
  char *path = temp_path (name);

  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
  return path;
}

static char *
source_zip (void)
{
  const CmgPlanTestTable tables[] = {
    { "messages", 10001, 3, "source" },
    { "users", 10002, 2, "source" },
    { NULL }
  };
  char *path = temp_path ("source.zip");

  cmg_plan_test_write_export (path, tables, 1);
  return path;
}

static char *
target_zip (void)
{
  const CmgPlanTestTable tables[] = {
    { "messages", 10001, 5, "target" },
    { "audit", 10003, 4, "target" },
    { NULL }
  };
  char *path = temp_path ("target.zip");

  cmg_plan_test_write_export (path, tables, 2);
  return path;
}

/* --- the tests --- */

static void
test_steps_order (void)
{
  static const CmgPlanPage pages[] = {
    CMG_PLAN_PAGE_SOURCE, CMG_PLAN_PAGE_TARGET, CMG_PLAN_PAGE_MODE, CMG_PLAN_PAGE_SAFETY,
    CMG_PLAN_PAGE_SAFETY, CMG_PLAN_PAGE_SAFETY, CMG_PLAN_PAGE_SAFETY, CMG_PLAN_PAGE_REVIEW,
    CMG_PLAN_PAGE_RUN, CMG_PLAN_PAGE_RESULT,
  };
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);
  GListModel *steps = cmg_import_plan_get_steps (plan);

  g_assert_cmpuint (g_list_model_get_n_items (steps), ==, CMG_PLAN_STEP_N_KINDS);
  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    {
      g_autoptr(CmgPlanStep) step = g_list_model_get_item (steps, i);
      CmgPlanStepKind kind;

      g_assert_cmpuint (cmg_plan_step_get_kind (step), ==, i);
      g_assert_cmpuint (cmg_plan_step_kind_get_page (i), ==, pages[i]);
      g_assert_cmpuint (cmg_plan_step_get_state (step), ==, CMG_PLAN_STEP_STATE_PENDING);
      g_assert_true (cmg_plan_step_get_title (step) != NULL && *cmg_plan_step_get_title (step) != '\0');
      g_assert_true (cmg_plan_step_kind_from_string (cmg_plan_step_kind_to_string (i), &kind));
      g_assert_cmpuint (kind, ==, i);
    }
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_SOURCE);
  g_assert_true (cmg_import_plan_get_can_advance (plan));
  g_assert_false (cmg_import_plan_get_finished (plan));
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_NONE);

  /* Each Next completes exactly one page. */
  advance_ok (plan);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_SOURCE), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_TARGET), ==, CMG_PLAN_STEP_STATE_PENDING);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_TARGET);
  advance_ok (plan);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_TARGET), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_nonnull (cmg_import_plan_get_probe_result (plan));
  g_assert_true (cmg_import_plan_get_probe_result (plan)->reachable);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_MODE);
  finalize_soon (g_steal_pointer (&plan));
}

static void
test_rules_per_mode (void)
{
  static const struct { CmgCliImportMode mode; gboolean backup_required; } cases[] = {
    { CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, FALSE },
    { CMG_CLI_IMPORT_MODE_APPEND, FALSE },
    { CMG_CLI_IMPORT_MODE_REPLACE, TRUE },
    { CMG_CLI_IMPORT_MODE_REPLACE_ALL, TRUE },
  };
  g_autoptr(CmgConnection) dev = deploy_key ("dev:quiet-otter-12|s3cret");
  g_autofree char *zip = source_zip ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmgImportPlan) plan = plan_for (zip, dev, cases[i].mode);

      g_assert_cmpint (cmg_import_plan_get_backup_required (plan), ==, cases[i].backup_required);
      g_assert_cmpuint (cmg_import_plan_get_mode (plan), ==, cases[i].mode);
      /* Before anything is known about the target, only modes that delete expect a question. */
      g_assert_cmpint (cmg_import_plan_get_will_ask (plan), ==, cases[i].backup_required);
    }
}

static void
test_rules_per_target (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autofree char *zip = source_zip ();
  struct {
    CmgConnection *connection;
    gboolean       typed;
    const char    *expected;
  } cases[] = {
    { deploy_key ("dev:quiet-otter-12|s3cret"), FALSE, "quiet-otter-12" },
    { deploy_key ("prod:happy-animal-123|s3cret"), TRUE, "happy-animal-123" },
    { deploy_key ("preview:branch-fox-7|s3cret"), TRUE, "branch-fox-7" },
    { self_hosted (backend), TRUE, backend->url },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmgImportPlan) plan = plan_for (zip, cases[i].connection, CMG_CLI_IMPORT_MODE_REPLACE);

      g_assert_cmpint (cmg_import_plan_get_requires_typed_name (plan), ==, cases[i].typed);
      g_assert_cmpstr (cmg_import_plan_get_expected_name (plan), ==, cases[i].expected);
      g_assert_nonnull (strstr (cmg_import_plan_get_schema_reminder (plan), "npx convex"));
      g_object_unref (cases[i].connection);
    }
}

static void
test_effects_matrix (void)
{
  /* mode, archive, target, known → effect */
  static const struct { int mode; gint64 archive; gint64 target; gboolean known; CmgTableEffect effect; } cases[] = {
    { CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, 3, -1, TRUE, CMG_TABLE_EFFECT_CREATED },
    { CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, 3, 0, TRUE, CMG_TABLE_EFFECT_GAINS },
    { CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, 3, 5, TRUE, CMG_TABLE_EFFECT_MUST_BE_EMPTY },
    { CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, 3, -1, FALSE, CMG_TABLE_EFFECT_MUST_BE_EMPTY },
    { CMG_CLI_IMPORT_MODE_APPEND, 3, 5, TRUE, CMG_TABLE_EFFECT_GAINS },
    { CMG_CLI_IMPORT_MODE_APPEND, 3, -1, TRUE, CMG_TABLE_EFFECT_CREATED },
    { CMG_CLI_IMPORT_MODE_APPEND, -1, 5, TRUE, CMG_TABLE_EFFECT_UNCHANGED },
    { CMG_CLI_IMPORT_MODE_REPLACE, 3, 5, TRUE, CMG_TABLE_EFFECT_REPLACED },
    { CMG_CLI_IMPORT_MODE_REPLACE, 0, 5, TRUE, CMG_TABLE_EFFECT_EMPTIED },
    { CMG_CLI_IMPORT_MODE_REPLACE, 3, -1, FALSE, CMG_TABLE_EFFECT_REPLACED },
    { CMG_CLI_IMPORT_MODE_REPLACE, -1, 5, TRUE, CMG_TABLE_EFFECT_UNCHANGED },
    { CMG_CLI_IMPORT_MODE_REPLACE_ALL, -1, 5, TRUE, CMG_TABLE_EFFECT_DELETED },
    { CMG_CLI_IMPORT_MODE_REPLACE_ALL, -1, 0, TRUE, CMG_TABLE_EFFECT_UNCHANGED },
    { CMG_CLI_IMPORT_MODE_REPLACE_ALL, 3, 5, TRUE, CMG_TABLE_EFFECT_REPLACED },
    { CMG_CLI_IMPORT_MODE_REPLACE_ALL, 3, 0, TRUE, CMG_TABLE_EFFECT_GAINS },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      g_assert_cmpstr (cmg_table_effect_to_string (cmg_table_effect_for_mode (cases[i].mode, cases[i].archive,
                                                                              cases[i].target, cases[i].known)),
                       ==, cmg_table_effect_to_string (cases[i].effect));
    }
}

/* A production target: a wrong name keeps the plan on the safety page. */
static void
test_typed_confirmation (void)
{
  g_autoptr(CmgConnection) prod = deploy_key ("prod:happy-animal-123|T0pS3cret");
  g_autofree char *jsonl = write_jsonl ("people.jsonl", "{\"name\":\"Ada\"}\n{\"name\":\"Grace\"}\n");
  g_autoptr(CmgImportPlan) plan = plan_for (jsonl, prod, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;

  /* A single file needs its table. */
  g_assert_false (cmg_import_plan_get_can_advance (plan));
  g_assert_nonnull (cmg_import_plan_get_blocker (plan));
  g_assert_false (advance (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NEEDS_INPUT);
  g_clear_error (&error);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_SOURCE), ==, CMG_PLAN_STEP_STATE_PENDING);
  cmg_import_plan_set_table_name (plan, "people");
  g_assert_true (cmg_import_plan_get_can_advance (plan));
  advance_ok (plan);
  g_assert_cmpint (cmg_plan_table_get_archive_documents (plan_table (plan, "people")), ==, 2);

  advance_ok (plan); /* target: the cloud URL is not reachable here; a warning, not a stop */
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_TARGET), ==, CMG_PLAN_STEP_STATE_DONE);
  advance_ok (plan); /* mode */
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_SAFETY);

  g_assert_true (cmg_import_plan_get_requires_typed_name (plan));
  g_assert_false (cmg_import_plan_get_can_advance (plan));
  cmg_import_plan_set_confirmed (plan, TRUE); /* one click is not enough for production */
  g_assert_false (cmg_import_plan_get_can_advance (plan));
  cmg_import_plan_set_typed_name (plan, "happy-animal-12");
  g_assert_false (cmg_import_plan_get_can_advance (plan));
  g_assert_nonnull (strstr (cmg_import_plan_get_blocker (plan), "happy-animal-123"));
  g_assert_false (advance (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED);
  g_clear_error (&error);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_CONFIRM), ==, CMG_PLAN_STEP_STATE_PENDING);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_BACKUP), ==, CMG_PLAN_STEP_STATE_PENDING);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_SAFETY);
  g_assert_false (cmg_import_plan_get_finished (plan));

  cmg_import_plan_set_typed_name (plan, "  happy-animal-123 ");
  g_assert_true (cmg_import_plan_get_can_advance (plan));
  advance_ok (plan);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_CONFIRM), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_BACKUP), ==, CMG_PLAN_STEP_STATE_SKIPPED);
  g_assert_nonnull (cmg_plan_step_get_reason (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_BACKUP)));
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_SCHEMA), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_NOTIFY), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_REVIEW);
  g_assert_false (cmg_import_plan_get_will_ask (plan));

  /* The message and the summary never hold the key. */
  g_assert_nonnull (strstr (cmg_import_plan_get_notify_message (plan), "people.jsonl"));
  g_assert_nonnull (strstr (cmg_import_plan_get_notify_message (plan), "happy-animal-123"));
  g_assert_null (strstr (cmg_import_plan_get_notify_message (plan), "T0pS3cret"));
  summary = cmg_import_plan_dup_summary (plan);
  g_assert_null (strstr (summary, "T0pS3cret"));
  g_assert_nonnull (strstr (summary, "confirm"));
}

static void
test_dev_one_click (void)
{
  g_autoptr(CmgConnection) dev = deploy_key ("dev:quiet-otter-12|s3cret");
  g_autofree char *zip = source_zip ();
  g_autoptr(CmgImportPlan) plan = plan_for (zip, dev, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(GError) error = NULL;

  advance_ok (plan);
  advance_ok (plan);
  advance_ok (plan);
  g_assert_false (cmg_import_plan_get_requires_typed_name (plan));
  g_assert_false (advance (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED);
  cmg_import_plan_set_confirmed (plan, TRUE);
  g_assert_true (cmg_import_plan_get_can_advance (plan));
  advance_ok (plan);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_REVIEW);
}

/* Drives a self-hosted plan through SAFETY with the fake backup. */
static void
through_safety (CmgImportPlan *plan,
                Backend       *backend)
{
  advance_ok (plan);
  advance_ok (plan);
  advance_ok (plan);
  cmg_import_plan_set_typed_name (plan, backend->url);
  advance_ok (plan);
}

static void
test_mode_description (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autofree char *target = target_zip ();
  g_autoptr(CmgImportPlan) replace = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);
  g_autoptr(CmgImportPlan) replace_all = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  g_autoptr(CmgImportPlan) append = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *all = NULL;
  g_autofree char *appended = NULL;
  g_autofree char *backup_path = NULL;

  /* replace: messages (5 in the target) replaced, users created, audit untouched */
  use_fake_export (replace, "export-copy", target);
  advance_ok (replace);
  advance_ok (replace);
  advance_ok (replace);
  before = cmg_import_plan_dup_mode_description (replace);
  g_assert_nonnull (strstr (before, "messages"));
  g_assert_null (strstr (before, "audit"));
  g_assert_cmpuint (cmg_plan_table_get_effect (plan_table (replace, "messages")), ==, CMG_TABLE_EFFECT_REPLACED);
  cmg_import_plan_set_typed_name (replace, backend->url);
  advance_ok (replace);

  g_assert_cmpuint (state_of (replace, CMG_PLAN_STEP_BACKUP), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_nonnull (cmg_import_plan_get_backup_snapshot (replace));
  backup_path = g_file_get_path (cmg_import_plan_get_backup_file (replace));
  g_assert_true (g_file_test (backup_path, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_str_has_prefix (strrchr (backup_path, '/') + 1, "backup_"));
  g_assert_nonnull (strstr (cmg_plan_step_get_reason (cmg_import_plan_get_step (replace, CMG_PLAN_STEP_BACKUP)),
                            "verified"));

  g_assert_cmpint (cmg_plan_table_get_target_documents (plan_table (replace, "messages")), ==, 5);
  g_assert_cmpuint (cmg_plan_table_get_effect (plan_table (replace, "messages")), ==, CMG_TABLE_EFFECT_REPLACED);
  g_assert_cmpuint (cmg_plan_table_get_effect (plan_table (replace, "users")), ==, CMG_TABLE_EFFECT_CREATED);
  g_assert_cmpuint (cmg_plan_table_get_effect (plan_table (replace, "audit")), ==, CMG_TABLE_EFFECT_UNCHANGED);
  after = cmg_import_plan_dup_mode_description (replace);
  g_test_message ("%s", after);
  g_assert_nonnull (strstr (after, "messages: its 5 documents are deleted, 3 documents imported"));
  g_assert_nonnull (strstr (after, "users: a new table, 2 documents imported"));
  g_assert_nonnull (strstr (after, "audit: unchanged"));
  g_assert_cmpstr (cmg_plan_step_get_detail (cmg_import_plan_get_step (replace, CMG_PLAN_STEP_MODE)), ==, after);
  g_assert_true (cmg_import_plan_get_will_ask (replace));
  g_assert_nonnull (strstr (cmg_import_plan_get_notify_message (replace), backup_path));
  g_assert_null (strstr (cmg_import_plan_get_notify_message (replace), ADMIN_KEY));

  /* replace-all: audit is deleted too */
  use_fake_export (replace_all, "export-copy", target);
  through_safety (replace_all, backend);
  g_assert_cmpuint (cmg_plan_table_get_effect (plan_table (replace_all, "audit")), ==, CMG_TABLE_EFFECT_DELETED);
  all = cmg_import_plan_dup_mode_description (replace_all);
  g_assert_nonnull (strstr (all, "audit: not in the archive, its 4 documents are deleted"));

  /* append with an optional backup: nothing is deleted, the server will not ask */
  use_fake_export (append, "export-copy", target);
  cmg_import_plan_set_backup_wanted (append, TRUE);
  through_safety (append, backend);
  g_assert_cmpuint (state_of (append, CMG_PLAN_STEP_BACKUP), ==, CMG_PLAN_STEP_STATE_DONE);
  appended = cmg_import_plan_dup_mode_description (append);
  g_assert_nonnull (strstr (appended, "messages: 3 documents added to the 5 documents already there"));
  g_assert_false (cmg_import_plan_get_will_ask (append));
}

static void
test_will_ask_empty_target (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autofree char *empty = temp_path ("empty.zip");
  const CmgPlanTestTable none[] = { { NULL } };
  g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);

  cmg_plan_test_write_export (empty, none, 3);
  use_fake_export (plan, "export-copy", empty);
  g_assert_true (cmg_import_plan_get_will_ask (plan));
  through_safety (plan, backend);
  /* Replacing into an empty deployment deletes nothing: the server proceeds without asking. */
  g_assert_false (cmg_import_plan_get_will_ask (plan));
}

static void
test_backup_failures (void)
{
  static const char * const modes[] = { "export-busy", "export-garbage" };
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);
      g_autoptr(GError) error = NULL;

      use_fake_export (plan, modes[i], NULL);
      advance_ok (plan);
      advance_ok (plan);
      advance_ok (plan);
      cmg_import_plan_set_typed_name (plan, backend->url);
      g_assert_false (advance (plan, &error));
      g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BACKUP);
      g_test_message ("%s", error->message);
      g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_BACKUP), ==, CMG_PLAN_STEP_STATE_FAILED);
      g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_REVIEW), ==, CMG_PLAN_STEP_STATE_SKIPPED);
      g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_RESULT), ==, CMG_PLAN_STEP_STATE_FAILED);
      g_assert_true (cmg_import_plan_get_finished (plan));
      g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_FAILED);
      g_assert_null (cmg_import_plan_get_run (plan));
      if (i == 0)
        g_assert_nonnull (strstr (error->message, "already requested"));
    }
}

static void
test_notify_message (void)
{
  g_autoptr(GDateTime) when = g_date_time_new_utc (2026, 3, 14, 15, 9, 0);
  g_autofree char *with_backup = cmg_plan_notify_build_message ("prod_backup.zip", "Replace the tables in the file",
                                                                "happy-animal-123", "PRODUCTION", when,
                                                                "/backups/backup_happy-animal-123_x.zip");
  g_autofree char *without = cmg_plan_notify_build_message ("a.jsonl", NULL, "quiet-otter-12", "Development",
                                                            when, NULL);

  g_assert_nonnull (strstr (with_backup, "prod_backup.zip"));
  g_assert_nonnull (strstr (with_backup, "happy-animal-123"));
  g_assert_nonnull (strstr (with_backup, "PRODUCTION"));
  g_assert_nonnull (strstr (with_backup, "2026-03-14 15:09"));
  g_assert_nonnull (strstr (with_backup, "Replace the tables in the file"));
  g_assert_nonnull (strstr (with_backup, "/backups/backup_happy-animal-123_x.zip"));
  g_assert_nonnull (strstr (without, "No backup"));
}

typedef struct {
  gboolean  done;
  guint     status;
  GError   *error;
} PostResult;

static void
post_result (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  PostResult *post = user_data;

  post->status = cmg_plan_notify_post_finish (result, &post->error);
  post->done = TRUE;
}

static PostResult
post (const char *url,
      const char *text)
{
  PostResult result = { 0 };

  cmg_plan_notify_post_async (url, text, 5, NULL, post_result, &result);
  while (!result.done)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

static void
test_webhook (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autofree char *url = hook_url (backend);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  PostResult ok, refused, bad;

  ok = post (url, "Heads-up: \"quoted\" text\nsecond line");
  g_assert_no_error (ok.error);
  g_assert_cmpuint (ok.status, ==, 200);
  g_assert_cmpuint (backend->bodies->len, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (backend->bodies, 0), -1, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "text"),
                   ==, "Heads-up: \"quoted\" text\nsecond line");

  backend->hook_status = 500;
  refused = post (url, "x");
  g_assert_error (refused.error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_WEBHOOK);
  g_assert_nonnull (strstr (refused.error->message, "500"));
  g_assert_null (strstr (refused.error->message, WEBHOOK_TOKEN));
  g_clear_error (&refused.error);

  bad = post ("ftp://example.com/hook", "x");
  g_assert_error (bad.error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_WEBHOOK);
  g_clear_error (&bad.error);
}

/* The plan's NOTIFY step posts the message, and a refused post does not block the import. */
static void
test_webhook_in_plan (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autofree char *url = hook_url (backend);
  g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(CmgImportPlan) refused = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *summary = NULL;

  cmg_import_plan_set_webhook_url (plan, url);
  through_safety (plan, backend);
  g_assert_cmpuint (cmg_import_plan_get_webhook_status (plan), ==, 200);
  g_assert_cmpuint (backend->bodies->len, ==, 1);
  g_assert_true (json_parser_load_from_data (parser, g_ptr_array_index (backend->bodies, 0), -1, NULL));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "text"),
                   ==, cmg_import_plan_get_notify_message (plan));
  g_assert_null (strstr (cmg_import_plan_get_notify_message (plan), ADMIN_KEY));
  summary = cmg_import_plan_dup_summary (plan);
  g_assert_null (strstr (summary, WEBHOOK_TOKEN));

  backend->hook_status = 403;
  cmg_import_plan_set_webhook_url (refused, url);
  through_safety (refused, backend);
  g_assert_cmpuint (state_of (refused, CMG_PLAN_STEP_NOTIFY), ==, CMG_PLAN_STEP_STATE_DONE);
  g_assert_nonnull (strstr (cmg_import_plan_get_webhook_result (refused), "403"));
  g_assert_cmpuint (cmg_import_plan_get_current_page (refused), ==, CMG_PLAN_PAGE_REVIEW);
}

static void
test_source_errors (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *state_dir = temp_path ("state");
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (state_dir);
  g_autofree char *bad = write_jsonl ("bad.jsonl", "{\"name\":\"Ada\"}\n{\"name\": oops}\n");
  g_autoptr(CmgImportPlan) plan = plan_for (bad, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgRunHistory) reloaded = NULL;
  g_autoptr(CmgRunRecord) record = NULL;
  g_autofree char *log = NULL;

  cmg_import_plan_set_table_name (plan, "people");
  cmg_import_plan_set_history (plan, history);
  g_assert_false (advance (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_SOURCE);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "2")); /* the line */
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_SOURCE), ==, CMG_PLAN_STEP_STATE_FAILED);
  g_assert_cmpstr (cmg_plan_step_get_reason (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_SOURCE)), ==, error->message);
  for (guint i = CMG_PLAN_STEP_TARGET; i < CMG_PLAN_STEP_RESULT; i++)
    g_assert_cmpuint (state_of (plan, i), ==, CMG_PLAN_STEP_STATE_SKIPPED);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_RESULT), ==, CMG_PLAN_STEP_STATE_FAILED);
  g_assert_true (cmg_import_plan_get_finished (plan));
  g_assert_false (cmg_import_plan_get_can_advance (plan));
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_FAILED);
  g_clear_error (&error);
  g_assert_false (advance (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_FINISHED);

  /* The history holds the plan, with its steps in the log. */
  reloaded = cmg_run_history_new (state_dir);
  g_assert_true (cmg_run_history_load (reloaded, NULL));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (reloaded)), ==, 1);
  record = g_list_model_get_item (G_LIST_MODEL (reloaded), 0);
  g_assert_cmpstr (cmg_run_record_get_action (record), ==, "import-plan");
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_FAILED);
  g_assert_true (g_file_get_contents (cmg_run_record_get_log_path (record), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "source   failed"));
  g_assert_nonnull (strstr (log, "bad.jsonl"));
  g_assert_null (strstr (log, ADMIN_KEY));
}

static void
test_source_missing (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *missing = temp_path ("missing.zip");
  g_autoptr(CmgImportPlan) plan = plan_for (missing, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(GError) error = NULL;

  g_assert_false (advance (plan, &error));
  g_assert_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_FOUND);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_SOURCE), ==, CMG_PLAN_STEP_STATE_FAILED);
  g_assert_true (cmg_import_plan_get_finished (plan));
}

static void
test_partial_restore (void)
{
  const CmgPlanTestTable tables[] = {
    { "alpha", 10001, 3, "a" },
    { "beta", 10002, 4, "b" },
    { "gamma", 10003, 5, "c" },
    { NULL }
  };
  const char * const chosen[] = { "alpha", "gamma", NULL };
  const char * const unknown[] = { "delta", NULL };
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = temp_path ("three.zip");
  g_autoptr(CmgImportPlan) plan = NULL;
  g_autoptr(CmgImportPlan) wrong = NULL;
  g_autoptr(GHashTable) members = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *import_path = NULL;
  g_autofree char *import_dir = NULL;
  GListModel *snapshot_tables;
  const char *tables_lines;

  cmg_plan_test_write_export (zip, tables, 4);
  plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);
  cmg_import_plan_set_selected_tables (plan, chosen);
  advance_ok (plan);

  import_path = g_file_get_path (cmg_import_plan_get_import_file (plan));
  g_assert_cmpstr (import_path, !=, zip);
  g_assert_true (g_file_test (import_path, G_FILE_TEST_IS_REGULAR));
  snapshot_tables = cmg_snapshot_get_tables (cmg_import_plan_get_snapshot (plan));
  g_assert_cmpuint (g_list_model_get_n_items (snapshot_tables), ==, 2);
  g_assert_nonnull (plan_table (plan, "alpha"));
  g_assert_null (plan_table (plan, "beta"));
  g_assert_cmpint (cmg_plan_table_get_archive_documents (plan_table (plan, "gamma")), ==, 5);
  g_assert_nonnull (strstr (cmg_plan_step_get_reason (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_SOURCE)),
                            "alpha, gamma"));

  /* Table numbers and schemas survive, so Ids and Int64 values do. */
  members = cmg_plan_test_read_zip (import_path);
  tables_lines = g_hash_table_lookup (members, "_tables/documents.jsonl");
  g_assert_nonnull (tables_lines);
  g_assert_nonnull (strstr (tables_lines, "\"alpha\""));
  g_assert_nonnull (strstr (tables_lines, "10003"));
  g_assert_null (strstr (tables_lines, "beta"));
  g_assert_nonnull (g_hash_table_lookup (members, "gamma/generated_schema.jsonl"));
  g_assert_null (g_hash_table_lookup (members, "beta/documents.jsonl"));

  /* The temporary archive goes with the plan. */
  import_dir = g_path_get_dirname (import_path);
  finalize_soon (g_steal_pointer (&plan));
  g_assert_false (g_file_test (import_path, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (import_dir, G_FILE_TEST_EXISTS));

  wrong = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);
  cmg_import_plan_set_selected_tables (wrong, unknown);
  g_assert_false (advance (wrong, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_SOURCE);
  g_assert_nonnull (strstr (error->message, "delta"));
}

static void
test_go_back (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(GError) error = NULL;

  g_assert_false (cmg_import_plan_go_back (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_CANNOT_GO_BACK);
  g_clear_error (&error);

  advance_ok (plan);
  advance_ok (plan);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_MODE);
  g_assert_true (cmg_import_plan_go_back (plan, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (cmg_import_plan_get_current_page (plan), ==, CMG_PLAN_PAGE_TARGET);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_TARGET), ==, CMG_PLAN_STEP_STATE_PENDING);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_SOURCE), ==, CMG_PLAN_STEP_STATE_DONE);
  advance_ok (plan);

  cmg_import_plan_set_mode (plan, CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  g_assert_true (cmg_import_plan_get_backup_required (plan));
  advance_ok (plan);
  g_assert_cmpstr (cmg_plan_step_get_reason (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_MODE)), ==,
                   cmg_import_mode_get_label (CMG_CLI_IMPORT_MODE_REPLACE_ALL));
}

static void
test_problems (void)
{
  static const struct { const char *message; CmgImportProblem problem; guint64 row; } cases[] = {
    { "Failed to insert or update a document in table \"messages\" because it does not match the schema: x",
      CMG_IMPORT_PROBLEM_SCHEMA_MISMATCH, 0 },
    { "Table messages already exists. Please choose a new table name or use replace/append modes.",
      CMG_IMPORT_PROBLEM_TABLE_EXISTS, 0 },
    { "Hit an error while importing:\nRow 27 wasn't valid JSON: expected value", CMG_IMPORT_PROBLEM_INVALID_ROW, 27 },
    { "{\"code\":\"BadDeployKey\",\"message\":\"bad\"}", CMG_IMPORT_PROBLEM_BAD_KEY, 0 },
    { "something else", CMG_IMPORT_PROBLEM_OTHER, 0 },
    { NULL, CMG_IMPORT_PROBLEM_NONE, 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      guint64 row = 99;
      g_autofree char *fix = NULL;

      g_assert_cmpint (cmg_import_problem_from_message (cases[i].message, &row), ==, cases[i].problem);
      g_assert_cmpuint (row, ==, cases[i].row);
      fix = cmg_import_problem_dup_fix (cases[i].problem, row);
      g_assert_true ((fix != NULL) == (cases[i].problem != CMG_IMPORT_PROBLEM_NONE));
    }
}

static void
test_undo_needs_backup (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autofree char *target = target_zip ();
  g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);
  g_autoptr(CmgImportPlan) undo = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (cmg_import_plan_new_undo (plan, &error));
  g_assert_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NO_BACKUP);
  g_clear_error (&error);

  use_fake_export (plan, "export-copy", target);
  through_safety (plan, backend);
  undo = cmg_import_plan_new_undo (plan, &error);
  g_assert_no_error (error);
  g_assert_true (cmg_import_plan_get_is_undo (undo));
  g_assert_cmpuint (cmg_import_plan_get_mode (undo), ==, CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  g_assert_true (g_file_equal (cmg_import_plan_get_source (undo), cmg_import_plan_get_backup_file (plan)));
  /* Its own confirmation. */
  g_assert_cmpuint (state_of (undo, CMG_PLAN_STEP_CONFIRM), ==, CMG_PLAN_STEP_STATE_PENDING);
  advance_ok (undo);
  g_assert_cmpint (cmg_plan_table_get_archive_documents (plan_table (undo, "audit")), ==, 4);
  advance_ok (undo);
  /* The backup's name says it came from this deployment; for an undo that is the point. */
  for (guint i = 0; i < cmg_import_plan_get_warnings (undo)->len; i++)
    g_assert_cmpstr (((CmgConflict *)g_ptr_array_index (cmg_import_plan_get_warnings (undo), i))->code, !=,
                     "same-deployment");
}

static void
test_same_deployment_warning (void)
{
  g_autoptr(CmgConnection) prod = deploy_key ("prod:happy-animal-123|s3cret");
  g_autofree char *path = temp_path ("snapshot_happy-animal-123_1732406450123456789.zip");
  const CmgPlanTestTable tables[] = { { "t", 10001, 1, "x" }, { NULL } };
  g_autoptr(CmgImportPlan) plan = NULL;
  gboolean seen = FALSE;

  cmg_plan_test_write_export (path, tables, 5);
  plan = plan_for (path, prod, CMG_CLI_IMPORT_MODE_APPEND);
  advance_ok (plan);
  advance_ok (plan);
  for (guint i = 0; i < cmg_import_plan_get_warnings (plan)->len; i++)
    if (g_str_equal (((CmgConflict *)g_ptr_array_index (cmg_import_plan_get_warnings (plan), i))->code,
                     "same-deployment"))
      seen = TRUE;
  g_assert_true (seen);
  g_assert_nonnull (strstr (cmg_plan_step_get_detail (cmg_import_plan_get_step (plan, CMG_PLAN_STEP_TARGET)),
                            "happy-animal-123"));
}

static gboolean
has_warning (CmgImportPlan *plan,
             const char    *code)
{
  GPtrArray *warnings = cmg_import_plan_get_warnings (plan);

  for (guint i = 0; i < warnings->len; i++)
    if (g_str_equal (((CmgConflict *)g_ptr_array_index (warnings, i))->code, code))
      return TRUE;
  return FALSE;
}

static void
test_backend_too_old (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autoptr(CmgImportPlan) current = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);
  g_autoptr(CmgImportPlan) old = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_APPEND);

  advance_ok (current);
  advance_ok (current);
  g_assert_false (has_warning (current, "backend-too-old"));

  backend->version = "0.9.3";
  advance_ok (old);
  advance_ok (old);
  g_assert_true (has_warning (old, "backend-too-old"));
  g_assert_nonnull (strstr (cmg_plan_step_get_detail (cmg_import_plan_get_step (old, CMG_PLAN_STEP_TARGET)), "0.9.3"));
  /* A warning, not a stop: the user decides. */
  g_assert_cmpuint (state_of (old, CMG_PLAN_STEP_TARGET), ==, CMG_PLAN_STEP_STATE_DONE);
}

static gboolean
cancel_soon (gpointer plan)
{
  cmg_import_plan_cancel (plan);
  return G_SOURCE_REMOVE;
}

/* Cancel during the backup: the export stops, nothing is imported. */
static void
test_cancel_backup (void)
{
  g_autoptr(Backend) backend = backend_new ();
  g_autoptr(CmgConnection) connection = self_hosted (backend);
  g_autofree char *zip = source_zip ();
  g_autoptr(CmgImportPlan) plan = plan_for (zip, connection, CMG_CLI_IMPORT_MODE_REPLACE);
  g_autoptr(GError) error = NULL;
  gint64 start;

  use_fake_export (plan, "export-slow", NULL);
  advance_ok (plan);
  advance_ok (plan);
  advance_ok (plan);
  cmg_import_plan_set_typed_name (plan, backend->url);
  g_timeout_add (300, cancel_soon, plan);
  start = g_get_monotonic_time ();
  g_assert_false (advance (plan, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 20 * G_USEC_PER_SEC);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_BACKUP), ==, CMG_PLAN_STEP_STATE_FAILED);
  g_assert_cmpuint (state_of (plan, CMG_PLAN_STEP_REVIEW), ==, CMG_PLAN_STEP_STATE_SKIPPED);
  g_assert_cmpuint (cmg_import_plan_get_outcome (plan), ==, CMG_IMPORT_OUTCOME_CANCELLED);
  g_assert_true (cmg_import_plan_get_finished (plan));
  g_assert_null (cmg_import_plan_get_run (plan));
}

/* The setter the plan and its steps notify through: TRUE only on a change, and a value that points
 * into the old string survives the replacement. */
static void
test_set_str (void)
{
  g_autofree char *field = NULL;

  g_assert_true (cmg_set_str (&field, "archive/users.jsonl"));
  g_assert_cmpstr (field, ==, "archive/users.jsonl");
  g_assert_false (cmg_set_str (&field, "archive/users.jsonl"));
  g_assert_true (cmg_set_str (&field, field + 8));
  g_assert_cmpstr (field, ==, "users.jsonl");
  g_assert_true (cmg_set_str (&field, NULL));
  g_assert_null (field);
  g_assert_false (cmg_set_str (&field, NULL));
}

int
main (int argc, char *argv[])
{
  g_autofree char *runtime = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  work_dir = g_dir_make_tmp ("cmg-plan-test-XXXXXX", NULL);
  runtime = g_build_filename (work_dir, "runtime", NULL);
  g_mkdir_with_parents (runtime, 0700);
  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  fake_cli = g_test_build_filename (G_TEST_DIST, "plan", "fake-convex.sh", NULL);

  g_test_add_func ("/plan/steps/order", test_steps_order);
  g_test_add_func ("/plan/set-str", test_set_str);
  g_test_add_func ("/plan/rules/per-mode", test_rules_per_mode);
  g_test_add_func ("/plan/rules/per-target", test_rules_per_target);
  g_test_add_func ("/plan/mode/effects", test_effects_matrix);
  g_test_add_func ("/plan/mode/description", test_mode_description);
  g_test_add_func ("/plan/mode/will-ask-empty-target", test_will_ask_empty_target);
  g_test_add_func ("/plan/confirm/typed-name", test_typed_confirmation);
  g_test_add_func ("/plan/confirm/one-click", test_dev_one_click);
  g_test_add_func ("/plan/backup/failures", test_backup_failures);
  g_test_add_func ("/plan/notify/message", test_notify_message);
  g_test_add_func ("/plan/notify/webhook", test_webhook);
  g_test_add_func ("/plan/notify/webhook-in-plan", test_webhook_in_plan);
  g_test_add_func ("/plan/source/errors", test_source_errors);
  g_test_add_func ("/plan/source/missing", test_source_missing);
  g_test_add_func ("/plan/source/partial-restore", test_partial_restore);
  g_test_add_func ("/plan/target/same-deployment", test_same_deployment_warning);
  g_test_add_func ("/plan/go-back", test_go_back);
  g_test_add_func ("/plan/target/backend-too-old", test_backend_too_old);
  g_test_add_func ("/plan/backup/cancel", test_cancel_backup);
  g_test_add_func ("/plan/result/problems", test_problems);
  g_test_add_func ("/plan/undo/needs-backup", test_undo_needs_backup);

  status = g_test_run ();
  g_free (fake_cli);
  return status;
}
