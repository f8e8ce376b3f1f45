/* test-e2e-cli.c: the app's CLI runner driving the real `convex` CLI (tests/convex-cli, pinned)
 * against the local test deployment (tests/deployment): export, import in every mode, prompts
 * answered through the pseudo-terminal, failure, cancel before and after the server starts, a bad
 * key, a busy deployment, a round trip. Skipped (77) only when node is absent. */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>

#include "cmg-cli-error.h"
#include "cmg-cli-run.h"
#include "cmg-test-deployment-launcher.h"
#include "../cli/test-tmpdir.h"

#define ADMIN_KEY CMG_TEST_DEPLOYMENT_DEFAULT_ADMIN_KEY
#define FAIL_MESSAGE "Failed to insert or update a document in table \"messages\" because it does not match " \
                     "the schema: Object is missing the required field `author`."

static char *project_dir;  /* package.json + node_modules → tests/convex-cli/node_modules */
static char *seed_zip;
static char *messages_jsonl;

/* --- the test deployment --- */

typedef struct {
  CmgTestDeploymentLauncher *launcher;
} Server;

/* A failed assertion aborts the test: its deployments must not outlive it (they would hold the
 * test runner's output open). Plain array and kill(): async-signal-safe. */
#define MAX_SERVERS 16
static volatile GPid server_pids[MAX_SERVERS];

static void
kill_servers_and_die (int signum)
{
  for (guint i = 0; i < MAX_SERVERS; i++)
    if (server_pids[i] > 0)
      kill (server_pids[i], SIGKILL);
  signal (signum, SIG_DFL);
  raise (signum);
}

static void
remember_server (GPid pid,
                 GPid replace)
{
  for (guint i = 0; i < MAX_SERVERS; i++)
    if (server_pids[i] == replace)
      {
        server_pids[i] = pid;
        return;
      }
}

static Server *
server_start (const char *first_arg,
              ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  Server *server = g_new0 (Server, 1);
  va_list ap;

  va_start (ap, first_arg);
  for (const char *a = first_arg; a != NULL; a = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *)a);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  server->launcher = cmg_test_deployment_launcher_start (NULL, (const char * const *)args->pdata, &error);
  g_assert_no_error (error);
  remember_server (cmg_test_deployment_launcher_get_pid (server->launcher), 0);
  return server;
}

static void
server_stop (Server *server)
{
  remember_server (0, cmg_test_deployment_launcher_get_pid (server->launcher));
  cmg_test_deployment_launcher_stop (server->launcher, NULL);
  g_clear_object (&server->launcher);
  g_free (server);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Server, server_stop)

/* --- running the CLI --- */

typedef struct {
  GPtrArray    *lines;
  GPtrArray    *events;
  int           answer;       /* 0: leave it, 1: yes, 2: no, 3: cancel instead */
  gboolean      cancel_once_started;
  gboolean      done;
  CmgRunOutcome outcome;
  char         *continue_url;
  GError       *error;
} Capture;

static void
capture_clear (Capture *capture)
{
  g_clear_pointer (&capture->lines, g_ptr_array_unref);
  g_clear_pointer (&capture->events, g_ptr_array_unref);
  g_clear_pointer (&capture->continue_url, g_free);
  g_clear_error (&capture->error);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Capture, capture_clear)

static void
on_line_added (CmgCliRun  *run,
               guint       index,
               const char *text,
               Capture    *capture)
{
  g_ptr_array_add (capture->lines, g_strdup (text));
}

static void
on_line_updated (CmgCliRun  *run,
                 guint       index,
                 const char *text,
                 Capture    *capture)
{
  g_free (capture->lines->pdata[index]);
  capture->lines->pdata[index] = g_strdup (text);
}

static void
on_event (CmgCliRun   *run,
          CmgCliEvent *event,
          Capture     *capture)
{
  CmgCliEventKind kind = cmg_cli_event_get_kind (event);

  g_test_message ("event %s: %s", cmg_cli_event_kind_to_string (kind), cmg_cli_event_get_text (event));
  g_ptr_array_add (capture->events, g_object_ref (event));

  if (kind == CMG_CLI_EVENT_PROMPT && capture->answer != 0)
    {
      g_autoptr(GError) error = NULL;

      if (capture->answer == 3)
        cmg_cli_run_cancel (run);
      else
        {
          g_assert_true (cmg_cli_run_answer (run, capture->answer == 1, &error));
          g_assert_no_error (error);
        }
    }

  /* Once the server reports progress the CLI is watching the import: it then says, on its way
   * out, that the import goes on. */
  if (capture->cancel_once_started && kind == CMG_CLI_EVENT_PROGRESS)
    {
      g_assert_true (cmg_cli_run_get_server_started (run));
      capture->cancel_once_started = FALSE;
      cmg_cli_run_cancel (run);
    }
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Capture *capture = user_data;

  capture->outcome = cmg_cli_run_start_finish (CMG_CLI_RUN (object), result, &capture->error);
  capture->continue_url = g_strdup (cmg_cli_run_get_continue_url (CMG_CLI_RUN (object)));
  capture->done = TRUE;
}

static gboolean
too_slow (gpointer user_data)
{
  g_error ("the Convex CLI did not finish in time");
  return G_SOURCE_REMOVE;
}

static CmgConnection *
connection_for (Server *server)
{
  g_autoptr(GError) error = NULL;
  CmgConnection *connection = cmg_connection_new_self_hosted (cmg_test_deployment_launcher_get_url (server->launcher),
                                                              ADMIN_KEY, &error);

  g_assert_no_error (error);
  return connection;
}

static void
prepare_command (CmgCliCommand *command,
                 gboolean       ci)
{
  /* CI=1: no telemetry from an offline machine; the app itself never sets it. */
  cmg_cli_command_set_ci (command, ci);
  cmg_cli_command_set_env (command, "NPM_CONFIG_UPDATE_NOTIFIER", "false");
}

static void
run_to_end (CmgCliRun *run,
            Capture   *capture)
{
  guint guard;

  capture->lines = g_ptr_array_new_with_free_func (g_free);
  capture->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (run, "line-added", G_CALLBACK (on_line_added), capture);
  g_signal_connect (run, "line-updated", G_CALLBACK (on_line_updated), capture);
  g_signal_connect (run, "event", G_CALLBACK (on_event), capture);

  guard = g_timeout_add_seconds (120, too_slow, NULL);
  cmg_cli_run_start_async (run, NULL, run_done, capture);
  while (!capture->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);

  g_assert_no_error (capture->error);
  for (guint i = 0; i < capture->lines->len; i++)
    {
      const char *line = g_ptr_array_index (capture->lines, i);

      g_test_message ("| %s", line);
      g_assert_null (strchr (line, '\x1b'));
      g_assert_null (strstr (line, ADMIN_KEY));
    }
}

static CmgCliEvent *
find_event (Capture         *capture,
            CmgCliEventKind  kind)
{
  for (guint i = 0; i < capture->events->len; i++)
    if (cmg_cli_event_get_kind (g_ptr_array_index (capture->events, i)) == kind)
      return g_ptr_array_index (capture->events, i);
  return NULL;
}

static CmgRunOutcome
export_to (Server     *server,
           const char *path,
           gboolean    storage,
           gboolean    terminal,
           gboolean    ci,
           Capture    *capture)
{
  g_autoptr(CmgConnection) connection = connection_for (server);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_export (connection, project_dir, path, storage);
  g_autoptr(CmgCliRun) run = NULL;

  prepare_command (command, ci);
  run = cmg_cli_run_new (command, terminal);
  run_to_end (run, capture);
  return capture->outcome;
}

static CmgRunOutcome
import_from (Server           *server,
             const char       *file,
             const char       *table,
             CmgCliImportMode  mode,
             gboolean          confirmed,
             gboolean          terminal,
             Capture          *capture)
{
  g_autoptr(CmgConnection) connection = connection_for (server);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_import (connection, project_dir, file, mode);
  g_autoptr(CmgCliRun) run = NULL;

  cmg_cli_command_set_table (command, table);
  cmg_cli_command_set_confirmed (command, confirmed);
  prepare_command (command, TRUE);
  run = cmg_cli_run_new (command, terminal);
  run_to_end (run, capture);
  return capture->outcome;
}

/* --- archives --- */

static void
write_zip (const char         *path,
           const char * const *members)
{
  struct archive *a = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint i = 0; members[i]; i += 2)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize len = strlen (members[i + 1]);

      archive_entry_set_pathname (entry, members[i]);
      archive_entry_set_size (entry, (la_int64_t)len);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, members[i + 1], len), ==, (la_ssize_t)len);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
}

/* name → contents of every member */
static GHashTable *
read_zip (const char *path)
{
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, path, 65536), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      g_autoptr(GString) data = g_string_new (NULL);
      char buffer[8192];
      la_ssize_t n;

      while ((n = archive_read_data (a, buffer, sizeof buffer)) > 0)
        g_string_append_len (data, buffer, n);
      g_assert_cmpint (n, ==, 0);
      g_hash_table_insert (members, g_strdup (archive_entry_pathname (entry)), g_strdup (data->str));
    }
  archive_read_free (a);
  return members;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; p && *p; p++)
    if (*p == '\n')
      n++;
  return n;
}

static char *
tmp_path (const char *name)
{
  g_autofree char *dir = test_tmpdir_make ("cmg-e2e-out-XXXXXX");

  return g_build_filename (dir, name, NULL);
}

/* --- the tests --- */

static void
version_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **)user_data = g_object_ref (result);
}

static void
test_version (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  cmg_cli_read_version_async (project_dir, NULL, NULL, version_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  version = cmg_cli_read_version_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "1.48.0");
}

static void
test_export (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_autofree char *path = tmp_path ("plain.zip");
  g_autoptr(GHashTable) members = NULL;
  g_auto(Capture) capture = { 0 };

  g_assert_cmpint (export_to (server, path, FALSE, FALSE, TRUE, &capture), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_STEP_DONE));

  members = read_zip (path);
  g_assert_cmpuint (count_lines (g_hash_table_lookup (members, "users/documents.jsonl")), ==, 2);
  g_assert_cmpuint (count_lines (g_hash_table_lookup (members, "messages/documents.jsonl")), ==, 3);
  g_assert_false (g_hash_table_contains (members, "_storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt"));
}

static void
test_export_file_storage_to_folder (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_autofree char *dir = test_tmpdir_make ("cmg-e2e-folder-XXXXXX");
  g_autoptr(GHashTable) members = NULL;
  g_auto(Capture) capture = { 0 };
  g_autoptr(GDir) listing = NULL;
  g_autofree char *zip = NULL;
  const char *name;

  g_assert_cmpint (export_to (server, dir, TRUE, FALSE, TRUE, &capture), ==, CMG_RUN_OUTCOME_SUCCEEDED);

  /* The server named the file. */
  listing = g_dir_open (dir, 0, NULL);
  name = g_dir_read_name (listing);
  g_assert_nonnull (name);
  g_assert_true (g_str_has_prefix (name, "snapshot_" CMG_TEST_DEPLOYMENT_DEFAULT_NAME "_"));
  zip = g_build_filename (dir, name, NULL);

  members = read_zip (zip);
  g_assert_cmpstr (g_hash_table_lookup (members, "_storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt"), ==, "hello world");
  g_assert_cmpuint (count_lines (g_hash_table_lookup (members, "_storage/documents.jsonl")), ==, 1);
}

static void
test_export_on_terminal (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_autofree char *path = tmp_path ("tty.zip");
  g_auto(Capture) capture = { 0 };
  gboolean downloaded = FALSE;

  /* No CI: the CLI draws its spinners with escape codes, which must not reach the log. */
  g_assert_cmpint (export_to (server, path, FALSE, TRUE, FALSE, &capture), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  for (guint i = 0; i < capture.events->len; i++)
    {
      CmgCliEvent *event = g_ptr_array_index (capture.events, i);

      if (cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_STEP_DONE &&
          g_str_has_prefix (cmg_cli_event_get_text (event), "Downloaded snapshot export to "))
        downloaded = TRUE;
    }
  g_assert_true (downloaded);
}

static void
test_import_require_empty (void)
{
  g_autoptr(Server) server = server_start (NULL);
  g_auto(Capture) first = { 0 };
  g_auto(Capture) second = { 0 };
  CmgCliEvent *failure;

  g_assert_cmpint (import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, FALSE, FALSE, &first),
                   ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_nonnull (find_event (&first, CMG_CLI_EVENT_PROGRESS));

  /* Again: the tables are no longer empty, and the server says so. */
  g_assert_cmpint (import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, FALSE, FALSE, &second),
                   ==, CMG_RUN_OUTCOME_FAILED);
  failure = find_event (&second, CMG_CLI_EVENT_FAILURE);
  g_assert_nonnull (failure);
  g_assert_nonnull (strstr (cmg_cli_event_get_detail (failure), "already exists"));
}

static void
test_import_append_jsonl (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_auto(Capture) capture = { 0 };
  CmgCliEvent *progress = NULL;

  g_assert_cmpint (import_from (server, messages_jsonl, "messages", CMG_CLI_IMPORT_MODE_APPEND, FALSE, FALSE, &capture),
                   ==, CMG_RUN_OUTCOME_SUCCEEDED);
  /* Nothing is deleted by an append: no prompt, even without --yes. */
  g_assert_null (find_event (&capture, CMG_CLI_EVENT_PROMPT));
  for (guint i = 0; i < capture.events->len; i++)
    if (cmg_cli_event_get_kind (g_ptr_array_index (capture.events, i)) == CMG_CLI_EVENT_PROGRESS)
      progress = g_ptr_array_index (capture.events, i);
  g_assert_nonnull (progress);
  g_assert_cmpint (cmg_cli_event_get_count (progress), ==, 2);
  g_assert_cmpstr (cmg_cli_event_get_table (progress), ==, "messages");
}

static void
check_replace_summary (Capture *capture)
{
  CmgCliEvent *summary = find_event (capture, CMG_CLI_EVENT_CHANGE_SUMMARY);
  GPtrArray *rows;
  gboolean messages = FALSE, limits = FALSE;

  g_assert_nonnull (summary);
  rows = cmg_cli_event_get_rows (summary);
  for (guint i = 0; i < rows->len; i++)
    {
      CmgCliChangeRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->table, "messages") && row->component == NULL)
        {
          messages = TRUE;
          g_assert_cmpint (row->create, ==, 3);
          g_assert_cmpint (row->delete, ==, 3);
          g_assert_cmpint (row->of, ==, 3);
          g_assert_cmpstr (row->unit, ==, "documents");
        }
      if (g_str_equal (row->table, "limits"))
        {
          limits = TRUE;
          g_assert_cmpstr (row->component, ==, "limiter");
        }
    }
  g_assert_true (messages);
  g_assert_true (limits);
}

static void
test_import_replace_prompt (gconstpointer data)
{
  int answer = GPOINTER_TO_INT (data);
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_auto(Capture) capture = { 0 };
  CmgCliEvent *prompt;
  guint summary_at = 0, prompt_at = 0;

  capture.answer = answer;
  import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_REPLACE, FALSE, TRUE, &capture);

  check_replace_summary (&capture);
  prompt = find_event (&capture, CMG_CLI_EVENT_PROMPT);
  g_assert_nonnull (prompt);
  g_assert_cmpstr (cmg_cli_event_get_text (prompt), ==, "Perform import?");
  /* The summary the user must see comes before the question. */
  g_assert_true (g_ptr_array_find (capture.events, find_event (&capture, CMG_CLI_EVENT_CHANGE_SUMMARY), &summary_at));
  g_assert_true (g_ptr_array_find (capture.events, prompt, &prompt_at));
  g_assert_cmpuint (summary_at, <, prompt_at);

  if (answer == 1)
    {
      g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_SUCCEEDED);
      g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_PROGRESS));
    }
  else
    {
      g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_FAILED);
      g_assert_cmpstr (cmg_cli_event_get_text (find_event (&capture, CMG_CLI_EVENT_FAILURE)), ==, "Import canceled");
    }
}

static void
test_import_replace_all_confirmed (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_auto(Capture) capture = { 0 };

  /* --yes: the app showed the summary and the user confirmed it there. */
  g_assert_cmpint (import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_REPLACE_ALL, TRUE, FALSE, &capture),
                   ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_CHANGE_SUMMARY));
  g_assert_null (find_event (&capture, CMG_CLI_EVENT_PROMPT));
}

static void
test_import_prompt_without_terminal (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_auto(Capture) capture = { 0 };

  g_assert_cmpint (import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_REPLACE, FALSE, FALSE, &capture),
                   ==, CMG_RUN_OUTCOME_FAILED);
  g_assert_nonnull (strstr (cmg_cli_event_get_text (find_event (&capture, CMG_CLI_EVENT_FAILURE)), "Cannot prompt"));
  g_assert_null (find_event (&capture, CMG_CLI_EVENT_PROMPT));
}

static void
test_import_failure (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, "--fail-import", FAIL_MESSAGE, NULL);
  g_auto(Capture) capture = { 0 };
  CmgCliEvent *failure;

  g_assert_cmpint (import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_APPEND, TRUE, FALSE, &capture),
                   ==, CMG_RUN_OUTCOME_FAILED);
  failure = find_event (&capture, CMG_CLI_EVENT_FAILURE);
  g_assert_nonnull (failure);
  g_assert_nonnull (strstr (cmg_cli_event_get_text (failure), "failed"));
  g_assert_cmpstr (cmg_cli_event_get_detail (failure), ==, FAIL_MESSAGE);
}

static void
test_cancel_before_start (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_autofree char *path = tmp_path ("after-cancel.zip");
  g_autoptr(GHashTable) members = NULL;
  g_auto(Capture) capture = { 0 };
  g_auto(Capture) check = { 0 };

  /* At the prompt nothing has started on the server: cancel is a real cancel. */
  capture.answer = 3;
  g_assert_cmpint (import_from (server, messages_jsonl, "messages", CMG_CLI_IMPORT_MODE_REPLACE, FALSE, TRUE, &capture),
                   ==, CMG_RUN_OUTCOME_CANCELLED);
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_PROMPT));

  g_assert_cmpint (export_to (server, path, FALSE, FALSE, TRUE, &check), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  members = read_zip (path);
  g_assert_cmpuint (count_lines (g_hash_table_lookup (members, "messages/documents.jsonl")), ==, 3);
}

static void
test_cancel_after_start (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, "--slow", NULL);
  g_auto(Capture) capture = { 0 };

  capture.cancel_once_started = TRUE;
  g_assert_cmpint (import_from (server, seed_zip, NULL, CMG_CLI_IMPORT_MODE_APPEND, TRUE, FALSE, &capture),
                   ==, CMG_RUN_OUTCOME_CONTINUES_ON_SERVER);
  g_assert_false (capture.cancel_once_started);
  /* The CLI itself said so on its way out, with where to watch it. */
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_CONTINUES_ON_SERVER));
  g_assert_nonnull (capture.continue_url);
  g_assert_true (g_str_has_prefix (capture.continue_url, "https://"));
}

static void
test_bad_key (void)
{
  g_autoptr(Server) server = server_start ("--reject-key", NULL);
  g_autofree char *path = tmp_path ("bad-key.zip");
  g_auto(Capture) capture = { 0 };

  g_assert_cmpint (export_to (server, path, FALSE, FALSE, TRUE, &capture), ==, CMG_RUN_OUTCOME_FAILED);
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_BAD_KEY));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_export_busy (void)
{
  g_autoptr(Server) server = server_start ("--export-running", NULL);
  g_autofree char *path = tmp_path ("busy.zip");
  g_auto(Capture) capture = { 0 };

  g_assert_cmpint (export_to (server, path, FALSE, FALSE, TRUE, &capture), ==, CMG_RUN_OUTCOME_FAILED);
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_EXPORT_BUSY));
}

static void
test_another_import_running (void)
{
  g_autoptr(Server) server = server_start ("--import-running", NULL);
  g_auto(Capture) capture = { 0 };
  CmgCliEvent *prompt;

  capture.answer = 1;
  g_assert_cmpint (import_from (server, messages_jsonl, "messages", CMG_CLI_IMPORT_MODE_APPEND, FALSE, TRUE, &capture),
                   ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_IMPORT_IN_PROGRESS));
  prompt = find_event (&capture, CMG_CLI_EVENT_PROMPT);
  g_assert_nonnull (prompt);
  g_assert_cmpstr (cmg_cli_event_get_text (prompt), ==, "Start another import?");
}

static void
test_round_trip (void)
{
  g_autoptr(Server) source = server_start ("--seed", seed_zip, NULL);
  g_autoptr(Server) target = server_start (NULL);
  g_autofree char *first = tmp_path ("first.zip");
  g_autofree char *second = tmp_path ("second.zip");
  g_autoptr(GHashTable) a = NULL;
  g_autoptr(GHashTable) b = NULL;
  g_auto(Capture) export_a = { 0 };
  g_auto(Capture) import_b = { 0 };
  g_auto(Capture) export_b = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  guint compared = 0;

  g_assert_cmpint (export_to (source, first, TRUE, FALSE, TRUE, &export_a), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpint (import_from (target, first, NULL, CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, FALSE, FALSE, &import_b),
                   ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpint (export_to (target, second, TRUE, FALSE, TRUE, &export_b), ==, CMG_RUN_OUTCOME_SUCCEEDED);

  a = read_zip (first);
  b = read_zip (second);
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (!g_str_has_suffix (key, "documents.jsonl") && !g_str_has_prefix (key, "_storage/"))
        continue;
      g_assert_cmpstr (g_hash_table_lookup (b, key), ==, value);
      compared++;
    }
  /* _tables, users, messages, _storage (list and file), the component's _tables and limits */
  g_assert_cmpuint (compared, >=, 7);
}

static void
test_history_of_real_run (void)
{
  g_autoptr(Server) server = server_start ("--seed", seed_zip, NULL);
  g_autofree char *path = tmp_path ("history.zip");
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (NULL);
  g_autoptr(CmgRunHistory) reloaded = cmg_run_history_new (NULL);
  g_autoptr(CmgConnection) connection = connection_for (server);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_export (connection, project_dir, path, FALSE);
  g_autoptr(CmgCliRun) run = NULL;
  g_autoptr(CmgRunRecord) record = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(Capture) capture = { 0 };
  g_autofree char *log = NULL;

  prepare_command (command, TRUE);
  run = cmg_cli_run_new (command, FALSE);
  cmg_cli_run_set_history (run, history);
  run_to_end (run, &capture);

  g_assert_true (cmg_run_history_load (reloaded, &error));
  record = g_list_model_get_item (G_LIST_MODEL (reloaded), 0);
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpstr (cmg_run_record_get_target_type (record), ==, "self-hosted");
  g_assert_null (strstr (cmg_run_record_get_command (record), ADMIN_KEY));
  g_assert_true (g_file_get_contents (cmg_run_record_get_log_path (record), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "Downloaded snapshot export to"));
  g_assert_null (strstr (log, ADMIN_KEY));
}

static void
write_fixtures (void)
{
  static const char * const seed[] = {
    "_tables/documents.jsonl", "{\"name\":\"users\",\"id\":10001}\n{\"name\":\"messages\",\"id\":10002}\n",
    "users/documents.jsonl", "{\"name\":\"Ada\",\"age\":36}\n{\"name\":\"Grace\",\"age\":45}\n",
    "users/generated_schema.jsonl", "\"uniform\"\n",
    "messages/documents.jsonl", "{\"body\":\"hello\"}\n{\"body\":\"again\"}\n{\"body\":\"third\"}\n",
    "messages/generated_schema.jsonl", "\"uniform\"\n",
    "_storage/documents.jsonl",
      "{\"_id\":\"kg2a6bphbjv91qahresftq15e8zqyd82\",\"_creationTime\":1732406450000.125,"
      "\"sha256\":\"uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=\",\"size\":11,\"contentType\":\"text/plain\","
      "\"internalId\":\"3f2b8f0c-2a51-4d0e-9a7b-6a1f0c9e5d21\"}\n",
    "_storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt", "hello world",
    "_components/limiter/_tables/documents.jsonl", "{\"name\":\"limits\",\"id\":10001}\n",
    "_components/limiter/limits/documents.jsonl", "{\"key\":\"k\",\"value\":3}\n",
    NULL
  };

  seed_zip = g_build_filename (project_dir, "seed.zip", NULL);
  write_zip (seed_zip, seed);
  messages_jsonl = g_build_filename (project_dir, "messages.jsonl", NULL);
  g_assert_true (g_file_set_contents (messages_jsonl, "{\"body\":\"from jsonl\"}\n{\"body\":\"second line\"}\n", -1, NULL));
}

int
main (int argc, char *argv[])
{
  const char *root = g_getenv ("CMG_SOURCE_ROOT");
  g_autofree char *cli_modules = NULL;
  g_autofree char *cli_package = NULL;
  g_autofree char *package_json = NULL;
  g_autofree char *link = NULL;
  g_autofree char *env_local = NULL;
  g_autofree char *runtime = test_tmpdir_make ("cmg-e2e-runtime-XXXXXX");
  g_autofree char *state = test_tmpdir_make ("cmg-e2e-state-XXXXXX");
  g_autofree char *node = g_find_program_in_path ("node");

  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  g_setenv ("CMG_STATE_DIR", state, TRUE);
  g_test_init (&argc, &argv, NULL);

  signal (SIGABRT, kill_servers_and_die);
  signal (SIGSEGV, kill_servers_and_die);
  signal (SIGTRAP, kill_servers_and_die);
  signal (SIGTERM, kill_servers_and_die);

  if (node == NULL)
    {
      g_printerr ("node is not installed: skipping the end-to-end tests of the real Convex CLI\n");
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

  /* A project of the user's kind: package.json listing convex, node_modules from the pinned CLI. */
  project_dir = test_tmpdir_make ("cmg-e2e-project-XXXXXX");
  package_json = g_build_filename (project_dir, "package.json", NULL);
  g_assert_true (g_file_set_contents (package_json, "{\"name\":\"e2e\",\"private\":true,"
                                                    "\"dependencies\":{\"convex\":\"1.48.0\"}}\n", -1, NULL));
  link = g_build_filename (project_dir, "node_modules", NULL);
  g_assert_cmpint (symlink (cli_modules, link), ==, 0);
  write_fixtures ();

  /* Targets that must NOT be used: the project's own env file and the shell's variables. Every
   * test passing proves the runner's env file alone picks the deployment. */
  env_local = g_build_filename (project_dir, ".env.local", NULL);
  g_assert_true (g_file_set_contents (env_local,
                                      "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:9\n"
                                      "CONVEX_SELF_HOSTED_ADMIN_KEY=wrong-admin-key\n", -1, NULL));
  g_setenv ("CONVEX_DEPLOY_KEY", "prod:leaky-cat-1|bGVha2VkLXNlY3JldC0xMjM0NTY3ODkw", TRUE);
  g_setenv ("CONVEX_DEPLOYMENT", "dev:leaky-cat-1", TRUE);

  g_test_add_func ("/e2e/version", test_version);
  g_test_add_func ("/e2e/export/plain", test_export);
  g_test_add_func ("/e2e/export/file-storage-to-folder", test_export_file_storage_to_folder);
  g_test_add_func ("/e2e/export/terminal", test_export_on_terminal);
  g_test_add_func ("/e2e/export/busy", test_export_busy);
  g_test_add_func ("/e2e/export/bad-key", test_bad_key);
  g_test_add_func ("/e2e/import/require-empty", test_import_require_empty);
  g_test_add_func ("/e2e/import/append-jsonl", test_import_append_jsonl);
  g_test_add_data_func ("/e2e/import/replace-prompt-yes", GINT_TO_POINTER (1), test_import_replace_prompt);
  g_test_add_data_func ("/e2e/import/replace-prompt-no", GINT_TO_POINTER (2), test_import_replace_prompt);
  g_test_add_func ("/e2e/import/replace-all-confirmed", test_import_replace_all_confirmed);
  g_test_add_func ("/e2e/import/prompt-without-terminal", test_import_prompt_without_terminal);
  g_test_add_func ("/e2e/import/failure", test_import_failure);
  g_test_add_func ("/e2e/import/another-running", test_another_import_running);
  g_test_add_func ("/e2e/cancel/before-start", test_cancel_before_start);
  g_test_add_func ("/e2e/cancel/after-start", test_cancel_after_start);
  g_test_add_func ("/e2e/round-trip", test_round_trip);
  g_test_add_func ("/e2e/history", test_history_of_real_run);

  {
    int status = g_test_run ();

    test_tmpdir_cleanup ();
    return status;
  }
}
