/* test-cli-spawn.c: CmgCliRun with fake CLIs (fake-cli.sh) on pipes and on a pseudo-terminal:
 * streaming, interpretation, prompts, redaction, history, cancel of the whole process group. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cmg-cli-error.h"
#include "cmg-cli-run.h"
#include "test-tmpdir.h"

#define DEPLOY_KEY "prod:happy-animal-123|eyJ2MiI6ImQ0ZDVkYzU2ZDQyYjQ4ODJiYWM3In0="
#define DEPLOY_KEY_SECRET "eyJ2MiI6ImQ0ZDVkYzU2ZDQyYjQ4ODJiYWM3In0="
#define LEAKED_SECRET "bGVha2VkLXNlY3JldC0xMjM0NTY3ODkw"

static char *project_dir;
static char *state_dir;

typedef struct {
  GPtrArray    *lines;   /* index → current text */
  GPtrArray    *events;
  guint         updates;
  int           answer;  /* 0: never, 1: yes, 2: no */
  gboolean      done;
  CmgRunOutcome outcome;
  GError       *error;
} Capture;

static void
capture_clear (Capture *capture)
{
  g_clear_pointer (&capture->lines, g_ptr_array_unref);
  g_clear_pointer (&capture->events, g_ptr_array_unref);
  g_clear_error (&capture->error);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Capture, capture_clear)

static void
on_line_added (CmgCliRun  *run,
               guint       index,
               const char *text,
               Capture    *capture)
{
  g_assert_cmpuint (index, ==, capture->lines->len);
  g_assert_null (strchr (text, '\x1b'));
  g_assert_true (g_utf8_validate (text, -1, NULL));
  g_ptr_array_add (capture->lines, g_strdup (text));
}

static void
on_line_updated (CmgCliRun  *run,
                 guint       index,
                 const char *text,
                 Capture    *capture)
{
  g_assert_cmpuint (index, <, capture->lines->len);
  g_assert_null (strchr (text, '\x1b'));
  g_free (capture->lines->pdata[index]);
  capture->lines->pdata[index] = g_strdup (text);
  capture->updates++;
}

static void
on_event (CmgCliRun   *run,
          CmgCliEvent *event,
          Capture     *capture)
{
  g_ptr_array_add (capture->events, g_object_ref (event));

  if (cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_FINISHED)
    {
      g_assert_false (cmg_cli_run_get_running (run));
      g_assert_cmpint (cmg_cli_run_get_outcome (run), !=, CMG_RUN_OUTCOME_RUNNING);
    }

  if (cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_PROMPT && capture->answer != 0)
    {
      g_autoptr(GError) error = NULL;

      g_assert_cmpstr (cmg_cli_run_get_pending_prompt (run), ==, "Perform import?");
      g_assert_true (cmg_cli_run_answer (run, capture->answer == 1, &error));
      g_assert_no_error (error);
      g_assert_null (cmg_cli_run_get_pending_prompt (run));
    }
}

static void
run_done (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Capture *capture = user_data;

  capture->outcome = cmg_cli_run_start_finish (CMG_CLI_RUN (object), result, &capture->error);
  capture->done = TRUE;
}

static gboolean
too_slow (gpointer user_data)
{
  g_error ("the run did not finish in time");
  return G_SOURCE_REMOVE;
}

static CmgCliRun *
fake_run (const char *mode,
          gboolean    terminal)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "cli", "fake-cli.sh", NULL);
  const char *program[] = { "/bin/sh", script, mode, NULL };
  g_autoptr(CmgConnection) connection = cmg_connection_new_deploy_key (DEPLOY_KEY, NULL);
  g_autoptr(CmgCliCommand) command = NULL;
  g_auto(GStrv) env = g_get_environ ();

  /* Prompts and server-side work belong to imports. */
  if (g_str_equal (mode, "prompt") || g_str_equal (mode, "started"))
    {
      command = cmg_cli_command_new_import (connection, project_dir, "/tmp/data.jsonl", CMG_CLI_IMPORT_MODE_REPLACE);
      cmg_cli_command_set_table (command, "t");
    }
  else
    command = cmg_cli_command_new_export (connection, project_dir, "/tmp/x.zip", FALSE);

  env = g_environ_setenv (env, "CONVEX_DEPLOY_KEY", "prod:leaky-cat-1|" LEAKED_SECRET, TRUE);
  cmg_cli_command_set_base_environ (command, (const char * const *)env);
  cmg_cli_command_set_program (command, program);
  return cmg_cli_run_new (command, terminal);
}

static void
start (CmgCliRun    *run,
       Capture      *capture,
       GCancellable *cancellable)
{
  capture->lines = g_ptr_array_new_with_free_func (g_free);
  capture->events = g_ptr_array_new_with_free_func (g_object_unref);
  g_signal_connect (run, "line-added", G_CALLBACK (on_line_added), capture);
  g_signal_connect (run, "line-updated", G_CALLBACK (on_line_updated), capture);
  g_signal_connect (run, "event", G_CALLBACK (on_event), capture);
  cmg_cli_run_start_async (run, cancellable, run_done, capture);
}

static void
wait_done (Capture *capture,
           guint    max_seconds)
{
  guint guard = g_timeout_add_seconds (max_seconds, too_slow, NULL);

  while (!capture->done)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (guard);
}

static char *
joined_lines (Capture *capture)
{
  g_ptr_array_add (capture->lines, NULL);
  g_ptr_array_set_size (capture->lines, capture->lines->len - 1);
  return g_strjoinv ("\n", (char **)capture->lines->pdata);
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

static void
test_steps (gconstpointer data)
{
  gboolean terminal = GPOINTER_TO_INT (data);
  g_autoptr(CmgCliRun) run = fake_run ("steps", terminal);
  g_auto(Capture) capture = { 0 };
  g_autofree char *text = NULL;
  CmgCliEvent *event;

  start (run, &capture, NULL);
  g_assert_true (cmg_cli_run_get_running (run));
  g_assert_cmpint (cmg_cli_run_get_pid (run), >, 0);
  wait_done (&capture, 20);

  g_assert_no_error (capture.error);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpint (cmg_cli_run_get_exit_status (run), ==, 0);
  g_assert_false (cmg_cli_run_get_running (run));

  text = joined_lines (&capture);
  g_assert_cmpstr (text, ==, "- Importing data.jsonl (12 B)\n\nImport change summary:\ntable | create | delete |\n"
                             "----\nt | 3 | 0 of 0 documents |\n"
                             "Once the import has started, it will run in the background.\n"
                             "✔ Imported \"t\" (3 documents)\n✔ Added 3 documents to table \"t\".");

  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_STEP_STARTED));
  event = find_event (&capture, CMG_CLI_EVENT_CHANGE_SUMMARY);
  g_assert_nonnull (event);
  g_assert_cmpuint (cmg_cli_event_get_rows (event)->len, ==, 1);
  event = find_event (&capture, CMG_CLI_EVENT_PROGRESS);
  g_assert_cmpstr (cmg_cli_event_get_table (event), ==, "t");
  g_assert_cmpint (cmg_cli_event_get_count (event), ==, 3);
  event = g_ptr_array_index (capture.events, capture.events->len - 1);
  g_assert_cmpint (cmg_cli_event_get_kind (event), ==, CMG_CLI_EVENT_FINISHED);
  g_assert_cmpint (cmg_cli_event_get_exit_status (event), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_cli_run_get_events (run)), ==, capture.events->len);

  /* The env file is gone with the run. */
  g_assert_null (cmg_cli_command_get_env_file (cmg_cli_run_get_command (run)));
}

static void
test_spinner (gconstpointer data)
{
  gboolean terminal = GPOINTER_TO_INT (data);
  g_autoptr(CmgCliRun) run = fake_run ("spinner", terminal);
  g_auto(Capture) capture = { 0 };
  g_autofree char *text = NULL;

  start (run, &capture, NULL);
  wait_done (&capture, 20);

  text = joined_lines (&capture);
  /* The spinner redrew one line in place: no frame and no escape code is left in the log. */
  g_assert_cmpstr (text, ==, "✔ Created snapshot export at timestamp 42\ndone");
  g_assert_cmpuint (capture.updates, >=, 2);
  g_assert_cmpstr (cmg_cli_event_get_text (find_event (&capture, CMG_CLI_EVENT_STEP_STARTED)), ==,
                   "Creating snapshot export");
}

static void
test_prompt_answered (gconstpointer data)
{
  int answer = GPOINTER_TO_INT (data);
  g_autoptr(CmgCliRun) run = fake_run ("prompt", TRUE);
  g_auto(Capture) capture = { 0 };
  CmgCliEvent *summary;

  capture.answer = answer;
  start (run, &capture, NULL);
  wait_done (&capture, 20);

  summary = find_event (&capture, CMG_CLI_EVENT_CHANGE_SUMMARY);
  g_assert_nonnull (summary);
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_PROMPT));
  /* The summary is known before the question is asked. */
  g_assert_true (g_ptr_array_find (capture.events, summary, NULL));

  if (answer == 1)
    {
      g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_SUCCEEDED);
      g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_PROGRESS));
    }
  else
    {
      g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_FAILED);
      g_assert_cmpint (cmg_cli_run_get_exit_status (run), ==, 1);
      g_assert_cmpstr (cmg_cli_event_get_text (find_event (&capture, CMG_CLI_EVENT_FAILURE)), ==, "Import canceled");
    }
}

static void
test_prompt_on_pipes_fails (void)
{
  g_autoptr(CmgCliRun) run = fake_run ("prompt", FALSE);
  g_auto(Capture) capture = { 0 };
  g_autoptr(GError) error = NULL;

  start (run, &capture, NULL);
  /* Nothing to answer on pipes. */
  g_assert_false (cmg_cli_run_answer (run, TRUE, &error));
  g_assert_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NOT_RUNNING);
  wait_done (&capture, 20);

  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_FAILED);
  g_assert_nonnull (strstr (cmg_cli_event_get_text (find_event (&capture, CMG_CLI_EVENT_FAILURE)),
                            "Cannot prompt"));
  g_assert_null (find_event (&capture, CMG_CLI_EVENT_PROMPT));
}

static void
test_answer_without_prompt (void)
{
  g_autoptr(CmgCliRun) run = NULL;
  g_auto(Capture) capture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *pidfile = g_build_filename (project_dir, "pid-noprompt", NULL);

  g_setenv ("CMG_FAKE_PIDFILE", pidfile, TRUE);
  run = fake_run ("slow", TRUE);
  start (run, &capture, NULL);
  g_assert_false (cmg_cli_run_answer (run, TRUE, &error));
  g_assert_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NO_PROMPT);
  cmg_cli_run_cancel (run);
  wait_done (&capture, 20);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_CANCELLED);
}

static void
test_invalid_utf8 (gconstpointer data)
{
  g_autoptr(CmgCliRun) run = fake_run ("invalid-utf8", GPOINTER_TO_INT (data));
  g_auto(Capture) capture = { 0 };
  g_autofree char *text = NULL;

  start (run, &capture, NULL);
  wait_done (&capture, 20);

  text = joined_lines (&capture);
  g_assert_cmpstr (text, ==, "ok line\n\xef\xbf\xbd\xef\xbf\xbd broken \xef\xbf\xbd bytes\n\xef\xbf\xbd");
  g_assert_cmpint (cmg_cli_run_get_exit_status (run), ==, 2);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_FAILED);
}

static void
test_silent (gconstpointer data)
{
  g_autoptr(CmgCliRun) run = fake_run ("silent", GPOINTER_TO_INT (data));
  g_auto(Capture) capture = { 0 };

  start (run, &capture, NULL);
  wait_done (&capture, 20);

  g_assert_cmpuint (capture.lines->len, ==, 0);
  g_assert_cmpuint (capture.events->len, ==, 1);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_SUCCEEDED);
}

static void
test_crash (gconstpointer data)
{
  g_autoptr(CmgCliRun) run = fake_run ("crash", GPOINTER_TO_INT (data));
  g_auto(Capture) capture = { 0 };

  start (run, &capture, NULL);
  wait_done (&capture, 20);

  g_assert_cmpstr (g_ptr_array_index (capture.lines, 0), ==, "about to crash");
  g_assert_cmpint (cmg_cli_run_get_exit_status (run), ==, -1);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_FAILED);
}

static void
test_grandchild_holds_output (gconstpointer data)
{
  g_autoptr(CmgCliRun) run = fake_run ("grandchild", GPOINTER_TO_INT (data));
  g_auto(Capture) capture = { 0 };
  gint64 begin = g_get_monotonic_time ();

  start (run, &capture, NULL);
  /* `sleep 30` keeps the output open; the run must not wait for it. */
  wait_done (&capture, 10);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 6 * G_USEC_PER_SEC);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (capture.lines, 0), "started "));
}

static gboolean
process_gone (GPid pid)
{
  g_autofree char *stat_path = g_strdup_printf ("/proc/%d/stat", (int)pid);
  g_autofree char *stat = NULL;
  const char *close_paren;

  if (kill (pid, 0) != 0 && errno == ESRCH)
    return TRUE;
  /* A zombie waiting for a reaper is gone too. */
  if (!g_file_get_contents (stat_path, &stat, NULL, NULL))
    return TRUE;
  close_paren = strrchr (stat, ')');
  return close_paren != NULL && close_paren[1] == ' ' && close_paren[2] == 'Z';
}

/* The group was signalled; on a terminal the end of output can come (hangup) a moment before the
 * last process of the group is gone. */
static gboolean
process_gone_soon (GPid pid)
{
  for (guint i = 0; i < 100; i++)
    {
      if (process_gone (pid))
        return TRUE;
      g_usleep (20000);
    }
  return FALSE;
}

static GPid
read_pidfile (const char *path)
{
  g_autofree char *contents = NULL;

  while (!g_file_get_contents (path, &contents, NULL, NULL) || strchr (contents, '\n') == NULL)
    {
      g_clear_pointer (&contents, g_free);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (20000);
    }
  return (GPid)atoi (contents);
}

static gboolean
cancel_soon (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_cancel_kills_group (gconstpointer data)
{
  gboolean terminal = GPOINTER_TO_INT (data);
  g_autofree char *pidfile = g_build_filename (project_dir, terminal ? "pid-slow-pty" : "pid-slow", NULL);
  g_autoptr(CmgCliRun) run = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_auto(Capture) capture = { 0 };
  gint64 begin;
  GPid sleeper;

  g_unlink (pidfile);
  g_setenv ("CMG_FAKE_PIDFILE", pidfile, TRUE);
  run = fake_run ("slow", terminal);
  start (run, &capture, cancellable);
  sleeper = read_pidfile (pidfile);
  g_assert_false (process_gone (sleeper));

  begin = g_get_monotonic_time ();
  g_idle_add (cancel_soon, cancellable);
  wait_done (&capture, 10);

  /* SIGTERM to the group ends the shell and its `sleep 60` at once. */
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_CANCELLED);
  g_assert_true (process_gone_soon (sleeper));
  /* The last words were read: the step printed before the cancel is in the log. */
  g_assert_cmpstr (g_ptr_array_index (capture.lines, 0), ==, "- Importing data.jsonl (12 B)");
}

static void
test_cancel_escalates_to_kill (void)
{
  g_autofree char *pidfile = g_build_filename (project_dir, "pid-stubborn", NULL);
  g_autoptr(CmgCliRun) run = NULL;
  g_auto(Capture) capture = { 0 };
  gint64 begin;
  GPid stubborn;

  g_unlink (pidfile);
  g_setenv ("CMG_FAKE_PIDFILE", pidfile, TRUE);
  run = fake_run ("stubborn", FALSE);
  cmg_cli_run_set_kill_delay (run, 1);
  start (run, &capture, NULL);
  stubborn = read_pidfile (pidfile);

  begin = g_get_monotonic_time ();
  cmg_cli_run_cancel (run);
  wait_done (&capture, 10);

  g_assert_cmpint (g_get_monotonic_time () - begin, >=, G_USEC_PER_SEC - 100000);
  g_assert_cmpint (g_get_monotonic_time () - begin, <, 4 * G_USEC_PER_SEC);
  g_assert_true (process_gone_soon (stubborn));
  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_CANCELLED);
}

static void
on_step_cancel (CmgCliRun   *run,
                CmgCliEvent *event,
                gpointer     user_data)
{
  if (cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_STEP_STARTED)
    {
      g_assert_true (cmg_cli_run_get_server_started (run));
      cmg_cli_run_cancel (run);
    }
}

static void
test_cancel_after_server_started (gconstpointer data)
{
  g_autoptr(CmgCliRun) run = fake_run ("started", GPOINTER_TO_INT (data));
  g_auto(Capture) capture = { 0 };

  g_signal_connect (run, "event", G_CALLBACK (on_step_cancel), NULL);
  start (run, &capture, NULL);
  wait_done (&capture, 10);

  g_assert_cmpint (capture.outcome, ==, CMG_RUN_OUTCOME_CONTINUES_ON_SERVER);
  g_assert_cmpstr (cmg_cli_run_get_continue_url (run), ==, "https://dashboard.example/d/x/import");
  g_assert_nonnull (find_event (&capture, CMG_CLI_EVENT_CONTINUES_ON_SERVER));
}

static void
test_secrets_masked_everywhere (void)
{
  g_autoptr(CmgCliRun) run = fake_run ("secrets", FALSE);
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (NULL);
  g_auto(Capture) capture = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *log = NULL;
  g_autofree char *record_json = NULL;
  g_autofree char *cwd_line = NULL;
  CmgRunRecord *record;

  cmg_cli_run_set_history (run, history);
  start (run, &capture, NULL);
  record = cmg_cli_run_get_record (run);
  g_assert_nonnull (record);
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_RUNNING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (history)), ==, 1);
  wait_done (&capture, 20);

  text = joined_lines (&capture);
  cwd_line = g_strdup_printf ("cwd=%s", project_dir);
  /* The child saw no inherited key, its env file held the connection's key, and its working
   * directory is the project: and no secret reached the app's view of it. */
  g_assert_nonnull (strstr (text, "inherited key: none"));
  g_assert_nonnull (strstr (text, "CONVEX_DEPLOY_KEY=prod:happy-animal-123|••••••••"));
  g_assert_nonnull (strstr (text, "CI=unset"));
  g_assert_nonnull (strstr (text, cwd_line));
  g_assert_null (strstr (text, DEPLOY_KEY_SECRET));
  g_assert_null (strstr (text, LEAKED_SECRET));

  g_assert_true (g_file_get_contents (cmg_run_record_get_log_path (record), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "CONVEX_DEPLOY_KEY=prod:happy-animal-123|••••••••\n"));
  g_assert_null (strstr (log, DEPLOY_KEY_SECRET));

  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_SUCCEEDED);
  g_assert_cmpint (cmg_run_record_get_exit_status (record), ==, 0);
  g_assert_cmpint (cmg_run_record_get_duration_ms (record), >=, 0);
  g_assert_null (strstr (cmg_run_record_get_command (record), DEPLOY_KEY_SECRET));
  g_assert_nonnull (strstr (cmg_run_record_get_command (record), "CONVEX_DEPLOY_KEY='prod:happy-animal-123|••••••••'"));

  {
    g_autofree char *name = g_strconcat (cmg_run_record_get_id (record), ".json", NULL);
    g_autofree char *path = g_build_filename (cmg_run_history_get_dir (history), name, NULL);

    g_assert_true (g_str_has_prefix (path, state_dir));
    g_assert_true (g_file_get_contents (path, &record_json, NULL, NULL));
    g_assert_null (strstr (record_json, DEPLOY_KEY_SECRET));
    g_assert_nonnull (strstr (record_json, "\"succeeded\""));
  }
}

static void
test_failure_to_start_is_recorded (void)
{
  g_autoptr(CmgConnection) connection = cmg_connection_new_deploy_key (DEPLOY_KEY, NULL);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_export (connection, project_dir, "/tmp/x.zip", FALSE);
  g_autoptr(CmgRunHistory) history = cmg_run_history_new (NULL);
  g_autoptr(CmgCliRun) run = NULL;
  g_auto(Capture) capture = { 0 };
  g_autofree char *log = NULL;
  const char *env[] = { "PATH=/nonexistent", NULL };
  CmgRunRecord *record;

  /* No node on PATH: the run fails before spawning, with the next step, and is recorded. */
  cmg_cli_command_set_base_environ (command, env);
  run = cmg_cli_run_new (command, FALSE);
  cmg_cli_run_set_history (run, history);
  start (run, &capture, NULL);
  wait_done (&capture, 5);

  g_assert_error (capture.error, CMG_CLI_ERROR, CMG_CLI_ERROR_NODE_MISSING);
  record = cmg_cli_run_get_record (run);
  g_assert_cmpint (cmg_run_record_get_outcome (record), ==, CMG_RUN_OUTCOME_FAILED);
  g_assert_nonnull (strstr (cmg_run_record_get_message (record), "Install Node.js"));
  g_assert_true (g_file_get_contents (cmg_run_record_get_log_path (record), &log, NULL, NULL));
  g_assert_nonnull (strstr (log, "Install Node.js"));
}

int
main (int argc, char *argv[])
{
  g_autofree char *runtime = test_tmpdir_make ("cmg-runtime-XXXXXX");

  g_setenv ("XDG_RUNTIME_DIR", runtime, TRUE);
  state_dir = test_tmpdir_make ("cmg-state-XXXXXX");
  g_setenv ("CMG_STATE_DIR", state_dir, TRUE);
  g_unsetenv ("CI");

  g_test_init (&argc, &argv, NULL);

  project_dir = test_tmpdir_make ("cmg-spawn-project-XXXXXX");

  for (int terminal = 0; terminal <= 1; terminal++)
    {
      const char *how = terminal ? "pty" : "pipe";
      gpointer data = GINT_TO_POINTER (terminal);
      g_autofree char *steps = g_strdup_printf ("/spawn/%s/steps", how);
      g_autofree char *spinner = g_strdup_printf ("/spawn/%s/spinner", how);
      g_autofree char *utf8 = g_strdup_printf ("/spawn/%s/invalid-utf8", how);
      g_autofree char *silent = g_strdup_printf ("/spawn/%s/silent", how);
      g_autofree char *crash = g_strdup_printf ("/spawn/%s/crash", how);
      g_autofree char *grandchild = g_strdup_printf ("/spawn/%s/grandchild", how);
      g_autofree char *cancel = g_strdup_printf ("/spawn/%s/cancel-kills-group", how);
      g_autofree char *started = g_strdup_printf ("/spawn/%s/cancel-after-server-started", how);

      g_test_add_data_func (steps, data, test_steps);
      g_test_add_data_func (spinner, data, test_spinner);
      g_test_add_data_func (utf8, data, test_invalid_utf8);
      g_test_add_data_func (silent, data, test_silent);
      g_test_add_data_func (crash, data, test_crash);
      g_test_add_data_func (grandchild, data, test_grandchild_holds_output);
      g_test_add_data_func (cancel, data, test_cancel_kills_group);
      g_test_add_data_func (started, data, test_cancel_after_server_started);
    }

  g_test_add_data_func ("/spawn/pty/prompt-yes", GINT_TO_POINTER (1), test_prompt_answered);
  g_test_add_data_func ("/spawn/pty/prompt-no", GINT_TO_POINTER (2), test_prompt_answered);
  g_test_add_func ("/spawn/pipe/prompt-fails", test_prompt_on_pipes_fails);
  g_test_add_func ("/spawn/pty/answer-without-prompt", test_answer_without_prompt);
  g_test_add_func ("/spawn/pipe/cancel-escalates-to-kill", test_cancel_escalates_to_kill);
  g_test_add_func ("/spawn/pipe/secrets-masked", test_secrets_masked_everywhere);
  g_test_add_func ("/spawn/pipe/failure-to-start", test_failure_to_start_is_recorded);

  {
    int status = g_test_run ();

    test_tmpdir_cleanup ();
    return status;
  }
}
