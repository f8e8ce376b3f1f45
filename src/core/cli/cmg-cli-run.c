/* cmg-cli-run.c: see cmg-cli-run.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <gio/gunixinputstream.h>
#include <glib-unix.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cmg-cli-error.h"
#include "cmg-cli-output-parser.h"
#include "cmg-cli-run.h"
#include "cmg-cli-terminal.h"
#include "cmg-redactor.h"

#define READ_CHUNK 8192
/* After the CLI exited, how long stray grandchildren may hold the output open. */
#define ORPHAN_GRACE_MS 1500
/* Wide enough that the CLI's spinners never wrap. */
#define TERMINAL_COLUMNS 400
#define TERMINAL_ROWS 50

struct _CmgCliRun
{
  GObject             parent_instance;

  CmgCliCommand      *command;
  gboolean            use_terminal;
  CmgRunHistory      *history;
  CmgRunRecord       *record;
  guint               kill_delay;

  CmgRedactor        *redactor;
  CmgCliTerminal     *terminal;
  CmgCliOutputParser *parser;
  GListStore         *events;
  char               *display;

  GTask              *task;
  GCancellable       *cancellable;
  gulong              cancelled_id;
  GSubprocess        *process;
  GPid                pid;
  GInputStream       *output;
  int                 master_fd;
  GOutputStream      *log;

  guint               term_source;
  guint               kill_source;
  guint               orphan_source;

  gboolean            running;
  gboolean            eof;
  gboolean            exited;
  gboolean            cancel_requested;
  gboolean            cancelled_after_start;
  gboolean            prompt_pending;
  gboolean            answered_no;
  int                 exit_status;
  CmgRunOutcome       outcome;
  char               *continue_url;
  char               *prompt;
};

G_DEFINE_FINAL_TYPE (CmgCliRun, cmg_cli_run, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_RUNNING,
  PROP_OUTCOME,
  PROP_EXIT_STATUS,
  PROP_PENDING_PROMPT,
  PROP_CONTINUE_URL,
  N_PROPS
};

enum {
  LINE_ADDED,
  LINE_UPDATED,
  EVENT,
  FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void read_next (CmgCliRun *self);

static void
clear_source (guint *id)
{
  if (*id != 0)
    {
      g_source_remove (*id);
      *id = 0;
    }
}

static void
close_master (CmgCliRun *self)
{
  if (self->master_fd >= 0)
    {
      close (self->master_fd);
      self->master_fd = -1;
    }
}

static void
cmg_cli_run_dispose (GObject *object)
{
  CmgCliRun *self = (CmgCliRun *)object;

  clear_source (&self->term_source);
  clear_source (&self->kill_source);
  clear_source (&self->orphan_source);
  if (self->cancellable != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (cmg_cli_run_parent_class)->dispose (object);
}

static void
cmg_cli_run_finalize (GObject *object)
{
  CmgCliRun *self = (CmgCliRun *)object;

  if (self->command != NULL)
    cmg_cli_command_cleanup (self->command);
  g_clear_object (&self->command);
  g_clear_object (&self->history);
  g_clear_object (&self->record);
  g_clear_object (&self->redactor);
  g_clear_object (&self->terminal);
  g_clear_object (&self->parser);
  g_clear_object (&self->events);
  g_clear_object (&self->process);
  g_clear_object (&self->output);
  g_clear_object (&self->log);
  close_master (self);
  g_clear_pointer (&self->display, g_free);
  g_clear_pointer (&self->continue_url, g_free);
  g_clear_pointer (&self->prompt, g_free);

  G_OBJECT_CLASS (cmg_cli_run_parent_class)->finalize (object);
}

static void
cmg_cli_run_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  CmgCliRun *self = CMG_CLI_RUN (object);

  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    case PROP_PENDING_PROMPT:
      g_value_set_string (value, cmg_cli_run_get_pending_prompt (self));
      break;
    case PROP_CONTINUE_URL:
      g_value_set_string (value, self->continue_url);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_cli_run_class_init (CmgCliRunClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_cli_run_dispose;
  object_class->finalize = cmg_cli_run_finalize;
  object_class->get_property = cmg_cli_run_get_property;

  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL, 0, CMG_RUN_OUTCOME_INTERRUPTED, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXIT_STATUS] =
    g_param_spec_int ("exit-status", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PENDING_PROMPT] =
    g_param_spec_string ("pending-prompt", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONTINUE_URL] =
    g_param_spec_string ("continue-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[LINE_ADDED] =
    g_signal_new ("line-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[LINE_UPDATED] =
    g_signal_new ("line-updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
  signals[EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CMG_TYPE_CLI_EVENT);
  signals[FINISHED] =
    g_signal_new ("finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
cmg_cli_run_init (CmgCliRun *self)
{
  self->master_fd = -1;
  self->exit_status = -1;
  self->kill_delay = 3;
  self->outcome = CMG_RUN_OUTCOME_RUNNING;
  self->redactor = cmg_redactor_new ();
  self->terminal = cmg_cli_terminal_new ();
  self->parser = cmg_cli_output_parser_new ();
  self->events = g_list_store_new (CMG_TYPE_CLI_EVENT);
}

CmgCliRun *
cmg_cli_run_new (CmgCliCommand *command,
                 gboolean       use_terminal)
{
  CmgCliRun *self;

  g_return_val_if_fail (CMG_IS_CLI_COMMAND (command), NULL);

  self = g_object_new (CMG_TYPE_CLI_RUN, NULL);
  self->command = g_object_ref (command);
  self->use_terminal = !!use_terminal;
  return self;
}

void
cmg_cli_run_set_history (CmgCliRun     *self,
                         CmgRunHistory *history)
{
  g_return_if_fail (CMG_IS_CLI_RUN (self));
  g_return_if_fail (!self->running);
  g_set_object (&self->history, history);
}

void
cmg_cli_run_set_kill_delay (CmgCliRun *self,
                            guint      seconds)
{
  g_return_if_fail (CMG_IS_CLI_RUN (self));
  self->kill_delay = MAX (seconds, 1);
}

CmgCliCommand *
cmg_cli_run_get_command (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), NULL);
  return self->command;
}

gboolean
cmg_cli_run_get_running (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), FALSE);
  return self->running;
}

GPid
cmg_cli_run_get_pid (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), 0);
  return self->pid;
}

CmgRunOutcome
cmg_cli_run_get_outcome (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), CMG_RUN_OUTCOME_FAILED);
  return self->outcome;
}

int
cmg_cli_run_get_exit_status (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), -1);
  return self->exit_status;
}

const char *
cmg_cli_run_get_pending_prompt (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), NULL);
  return self->prompt_pending ? self->prompt : NULL;
}

const char *
cmg_cli_run_get_continue_url (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), NULL);
  return self->continue_url;
}

GListModel *
cmg_cli_run_get_events (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), NULL);
  return G_LIST_MODEL (self->events);
}

CmgRunRecord *
cmg_cli_run_get_record (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), NULL);
  return self->record;
}

const char *
cmg_cli_run_get_display (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), NULL);

  if (self->display == NULL)
    self->display = cmg_cli_command_dup_display (self->command);
  return self->display;
}

gboolean
cmg_cli_run_get_server_started (CmgCliRun *self)
{
  g_return_val_if_fail (CMG_IS_CLI_RUN (self), FALSE);

  /* After the change summary the CLI performs the import at once, unless it waits at the
   * "Perform import?" prompt (or was told no there). */
  return cmg_cli_command_get_action (self->command) == CMG_CLI_ACTION_IMPORT &&
         cmg_cli_output_parser_get_import_announced (self->parser) &&
         !self->prompt_pending && !self->answered_no;
}

/* --- output --- */

static void
write_log (CmgCliRun  *self,
           const char *text)
{
  g_autoptr(GError) error = NULL;

  if (self->log == NULL)
    return;

  if (!g_output_stream_write_all (self->log, text, strlen (text), NULL, NULL, &error) ||
      !g_output_stream_write_all (self->log, "\n", 1, NULL, NULL, &error))
    {
      /* A full disk must not stop the run; the log view still has every line. */
      g_warning ("Could not write the run's log: %s", error->message);
      g_clear_object (&self->log);
    }
}

static void
handle_events (CmgCliRun *self,
               GPtrArray *events)
{
  for (guint i = 0; i < events->len; i++)
    {
      CmgCliEvent *event = g_ptr_array_index (events, i);

      switch (cmg_cli_event_get_kind (event))
        {
        case CMG_CLI_EVENT_PROMPT:
          g_free (self->prompt);
          self->prompt = g_strdup (cmg_cli_event_get_text (event));
          self->prompt_pending = TRUE;
          self->answered_no = FALSE;
          g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_PROMPT]);
          break;

        case CMG_CLI_EVENT_CONTINUES_ON_SERVER:
          if (cmg_cli_event_get_url (event) != NULL)
            {
              g_free (self->continue_url);
              self->continue_url = g_strdup (cmg_cli_event_get_url (event));
              g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONTINUE_URL]);
            }
          break;

        default:
          break;
        }

      g_list_store_append (self->events, event);
      g_signal_emit (self, signals[EVENT], 0, event);
    }
}

static void
handle_ops (CmgCliRun *self,
            GPtrArray *ops)
{
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();

  for (guint i = 0; i < ops->len; i++)
    {
      CmgCliLineOp *op = g_ptr_array_index (ops, i);
      g_autofree char *text = cmg_redactor_redact (self->redactor, op->text);

      switch (op->kind)
        {
        case CMG_CLI_LINE_ADDED:
          g_signal_emit (self, signals[LINE_ADDED], 0, op->index, text);
          break;

        case CMG_CLI_LINE_UPDATED:
          g_signal_emit (self, signals[LINE_UPDATED], 0, op->index, text);
          break;

        case CMG_CLI_LINE_FINAL:
        default:
          write_log (self, text);
          cmg_cli_output_parser_feed_line (self->parser, text, events);
          break;
        }
    }

  handle_events (self, events);

  /* The CLI moved on past its question (answered elsewhere, or gave up waiting). */
  if (self->prompt_pending && cmg_cli_output_parser_get_pending_prompt (self->parser) == NULL)
    {
      self->prompt_pending = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_PROMPT]);
    }
}

static void
handle_partial (CmgCliRun *self)
{
  gboolean complete;
  const char *current = cmg_cli_terminal_get_current_line (self->terminal, &complete);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *text = NULL;

  if (current == NULL)
    return;

  events = cmg_cli_events_new ();
  text = cmg_redactor_redact (self->redactor, current);
  cmg_cli_output_parser_feed_partial (self->parser, text, complete, events);
  handle_events (self, events);
}

static CmgRunOutcome
compute_outcome (CmgCliRun *self,
                 GPtrArray *last_events)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->events));

  if (self->exit_status == 0)
    return CMG_RUN_OUTCOME_SUCCEEDED;

  if (self->cancel_requested)
    return self->cancelled_after_start ? CMG_RUN_OUTCOME_CONTINUES_ON_SERVER : CMG_RUN_OUTCOME_CANCELLED;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgCliEvent) event = g_list_model_get_item (G_LIST_MODEL (self->events), i);

      if (cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_CONTINUES_ON_SERVER)
        return CMG_RUN_OUTCOME_CONTINUES_ON_SERVER;
    }

  for (guint i = 0; i < last_events->len; i++)
    if (cmg_cli_event_get_kind (g_ptr_array_index (last_events, i)) == CMG_CLI_EVENT_CONTINUES_ON_SERVER)
      return CMG_RUN_OUTCOME_CONTINUES_ON_SERVER;

  return CMG_RUN_OUTCOME_FAILED;
}

static void
complete (CmgCliRun *self)
{
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;

  if (!self->eof || !self->exited || !self->running)
    return;

  clear_source (&self->term_source);
  clear_source (&self->kill_source);
  clear_source (&self->orphan_source);

  cmg_cli_output_parser_finish (self->parser, self->exit_status, events);
  self->prompt_pending = FALSE;

  /* Whoever reacts to the FINISHED event sees the final outcome. */
  self->outcome = compute_outcome (self, events);
  self->running = FALSE;
  handle_events (self, events);
  close_master (self);
  cmg_cli_command_cleanup (self->command);

  if (self->log != NULL)
    {
      g_output_stream_close (self->log, NULL, NULL);
      g_clear_object (&self->log);
    }

  if (self->history != NULL && self->record != NULL &&
      !cmg_run_history_finish (self->history, self->record, self->outcome, self->exit_status,
                               self->continue_url, NULL, &error))
    g_warning ("%s", error->message);

  if (self->cancellable != NULL && self->cancelled_id != 0)
    g_cancellable_disconnect (self->cancellable, self->cancelled_id);
  self->cancelled_id = 0;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EXIT_STATUS]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_PROMPT]);
  g_signal_emit (self, signals[FINISHED], 0);

  task = g_steal_pointer (&self->task);
  if (task != NULL)
    g_task_return_int (task, self->outcome);
}

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CmgCliRun) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) ops = cmg_cli_line_ops_new ();

  /* A terminal's master reports EIO once every slave is closed: that is its end of file. */
  bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (object), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    {
      cmg_cli_terminal_finish (self->terminal, ops);
      handle_ops (self, ops);
      self->eof = TRUE;
      clear_source (&self->orphan_source);
      complete (self);
      return;
    }

  {
    gsize len;
    const char *data = g_bytes_get_data (bytes, &len);

    cmg_cli_terminal_feed (self->terminal, data, len, ops);
  }
  handle_ops (self, ops);
  handle_partial (self);
  read_next (self);
}

static void
read_next (CmgCliRun *self)
{
  /* No cancellable: the CLI's last words matter most when the user cancels. */
  g_input_stream_read_bytes_async (self->output, READ_CHUNK, G_PRIORITY_DEFAULT, NULL,
                                   read_cb, g_object_ref (self));
}

static void
signal_group (CmgCliRun *self,
              int        signum)
{
  if (self->pid > 0)
    kill (-self->pid, signum);
}

static gboolean
orphan_timeout_cb (gpointer user_data)
{
  CmgCliRun *self = user_data;

  /* The CLI is gone but something it started still holds the output open. */
  self->orphan_source = 0;
  signal_group (self, SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
wait_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(CmgCliRun) self = user_data;
  GSubprocess *process = G_SUBPROCESS (object);

  g_subprocess_wait_finish (process, result, NULL);

  if (g_subprocess_get_if_exited (process))
    self->exit_status = g_subprocess_get_exit_status (process);
  else
    self->exit_status = -1;

  self->exited = TRUE;

  if (!self->eof && self->orphan_source == 0)
    self->orphan_source = g_timeout_add_full (G_PRIORITY_DEFAULT, ORPHAN_GRACE_MS, orphan_timeout_cb,
                                              g_object_ref (self), g_object_unref);

  complete (self);
}

/* --- spawning --- */

/* The child tells its pid through this descriptor: GSubprocess forgets the pid as soon as the
 * process has been reaped, and a quick CLI can be gone before spawn() returns, while its process
 * group may still hold the output open. */
#define PID_FD 3

static void
report_pid (void)
{
  pid_t pid = getpid ();

  if (write (PID_FD, &pid, sizeof pid) != sizeof pid)
    _exit (127);
  close (PID_FD);
}

static void
child_setup_group (gpointer user_data)
{
  /* Signals reach npx, node and anything they start. */
  setpgid (0, 0);
  report_pid ();
}

static void
child_setup_terminal (gpointer user_data)
{
  /* A new session whose controlling terminal is the slave (already stdin). */
  setsid ();
  ioctl (STDIN_FILENO, TIOCSCTTY, 0);
  report_pid ();
}

static gboolean
open_terminal (int     *out_master,
               int     *out_slave,
               GError **error)
{
  struct winsize size = { .ws_row = TERMINAL_ROWS, .ws_col = TERMINAL_COLUMNS };
  char name[128];
  int master, slave;

  master = posix_openpt (O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (master < 0 || grantpt (master) != 0 || unlockpt (master) != 0 ||
      ptsname_r (master, name, sizeof name) != 0)
    {
      int saved = errno;

      if (master >= 0)
        close (master);
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_SPAWN,
                   _("Could not open a terminal for the Convex CLI: %s"), g_strerror (saved));
      return FALSE;
    }

  slave = open (name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0)
    {
      int saved = errno;

      close (master);
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_SPAWN,
                   _("Could not open a terminal for the Convex CLI: %s"), g_strerror (saved));
      return FALSE;
    }

  ioctl (slave, TIOCSWINSZ, &size);

  *out_master = master;
  *out_slave = slave;
  return TRUE;
}

static gboolean
spawn (CmgCliRun  *self,
       GError    **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  const char * const *argv = cmg_cli_command_get_argv (self->command);
  int master = -1, slave = -1;
  int pid_pipe[2];

  if (self->use_terminal)
    {
      if (!open_terminal (&master, &slave, error))
        return FALSE;

      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
      g_subprocess_launcher_take_stdin_fd (launcher, dup (slave));
      g_subprocess_launcher_take_stdout_fd (launcher, dup (slave));
      g_subprocess_launcher_take_stderr_fd (launcher, dup (slave));
      close (slave);
      g_subprocess_launcher_set_child_setup (launcher, child_setup_terminal, NULL, NULL);
    }
  else
    {
      launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE);
      g_subprocess_launcher_set_stdin_file_path (launcher, "/dev/null");
      g_subprocess_launcher_set_child_setup (launcher, child_setup_group, NULL, NULL);
    }

  g_subprocess_launcher_set_environ (launcher, (char **)cmg_cli_command_get_envp (self->command));
  g_subprocess_launcher_set_cwd (launcher, cmg_cli_command_get_project_dir (self->command));

  if (!g_unix_open_pipe (pid_pipe, FD_CLOEXEC, error))
    {
      if (master >= 0)
        close (master);
      return FALSE;
    }
  g_subprocess_launcher_take_fd (launcher, pid_pipe[1], PID_FD);

  self->process = g_subprocess_launcher_spawnv (launcher, argv, error);
  /* The launcher holds the slave's copies: drop them now so the end of output can be seen. */
  g_clear_object (&launcher);

  if (self->process == NULL)
    {
      close (pid_pipe[0]);
      if (master >= 0)
        close (master);
      return FALSE;
    }

  /* The child setup ran before exec, and spawning waits for exec: the pid is there. */
  {
    pid_t pid = 0;
    gssize n;

    do
      n = read (pid_pipe[0], &pid, sizeof pid);
    while (n < 0 && errno == EINTR);
    close (pid_pipe[0]);
    self->pid = n == sizeof pid ? (GPid)pid : 0;
  }

  if (self->use_terminal)
    {
      self->master_fd = master;
      self->output = g_unix_input_stream_new (master, FALSE);
    }
  else
    self->output = g_object_ref (g_subprocess_get_stdout_pipe (self->process));

  return TRUE;
}

static void
cancelled_cb (GCancellable *cancellable,
              CmgCliRun    *self)
{
  cmg_cli_run_cancel (self);
}

static void
fail_before_start (CmgCliRun *self,
                   GError    *error)
{
  g_autoptr(GError) history_error = NULL;
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  self->outcome = CMG_RUN_OUTCOME_FAILED;
  if (self->history != NULL && self->record != NULL)
    {
      write_log (self, error->message);
      if (!cmg_run_history_finish (self->history, self->record, CMG_RUN_OUTCOME_FAILED, -1, NULL,
                                   error->message, &history_error))
        g_warning ("%s", history_error->message);
    }
  g_clear_object (&self->log);
  cmg_cli_command_cleanup (self->command);
  g_task_return_error (task, error);
}

void
cmg_cli_run_start_async (CmgCliRun           *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *target_name = NULL;
  gboolean prepared;

  g_return_if_fail (CMG_IS_CLI_RUN (self));
  g_return_if_fail (self->task == NULL && self->pid == 0);

  self->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (self->task, cmg_cli_run_start_async);
  /* A cancelled run still completes, with its outcome: cancel is not an error here. */
  g_task_set_check_cancellable (self->task, FALSE);

  prepared = cmg_cli_command_get_argv (self->command) != NULL || cmg_cli_command_prepare (self->command, &error);

  for (const char * const *s = cmg_cli_command_get_secrets (self->command); *s; s++)
    cmg_redactor_add_secret (self->redactor, *s);

  g_clear_pointer (&self->display, g_free);
  self->display = cmg_cli_command_dup_display (self->command);
  target_name = cmg_cli_command_dup_target_name (self->command);

  if (self->history != NULL)
    {
      g_autoptr(GError) history_error = NULL;

      self->record = cmg_run_history_begin (self->history,
                                            cmg_cli_action_to_string (cmg_cli_command_get_action (self->command)),
                                            self->display, target_name,
                                            cmg_cli_command_get_target_type (self->command),
                                            &history_error);
      if (self->record == NULL)
        g_warning ("%s", history_error->message);
      else
        {
          g_autoptr(GFile) file = g_file_new_for_path (cmg_run_record_get_log_path (self->record));

          self->log = G_OUTPUT_STREAM (g_file_append_to (file, G_FILE_CREATE_PRIVATE, NULL, NULL));
        }
    }

  if (!prepared || !spawn (self, &error))
    {
      fail_before_start (self, g_steal_pointer (&error));
      return;
    }

  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);

  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (cancelled_cb), self, NULL);
    }

  g_subprocess_wait_async (self->process, NULL, wait_cb, g_object_ref (self));
  read_next (self);
}

CmgRunOutcome
cmg_cli_run_start_finish (CmgCliRun     *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize outcome;

  g_return_val_if_fail (CMG_IS_CLI_RUN (self), CMG_RUN_OUTCOME_FAILED);
  g_return_val_if_fail (g_task_is_valid (result, self), CMG_RUN_OUTCOME_FAILED);

  outcome = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return CMG_RUN_OUTCOME_FAILED;
    }

  return (CmgRunOutcome)outcome;
}

/* --- answering and cancelling --- */

gboolean
cmg_cli_run_answer (CmgCliRun  *self,
                    gboolean    yes,
                    GError    **error)
{
  const char *answer = yes ? "y\n" : "n\n";
  gsize done = 0;

  g_return_val_if_fail (CMG_IS_CLI_RUN (self), FALSE);

  if (!self->running || self->master_fd < 0)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NOT_RUNNING,
                   _("The Convex CLI is not running in a terminal, so it cannot be answered."));
      return FALSE;
    }

  if (!self->prompt_pending)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NO_PROMPT,
                   _("The Convex CLI is not asking anything right now."));
      return FALSE;
    }

  while (done < 2)
    {
      gssize n = write (self->master_fd, answer + done, 2 - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          int saved = errno;

          g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NOT_RUNNING,
                       _("Could not answer the Convex CLI: %s"), g_strerror (saved));
          return FALSE;
        }
      done += (gsize)n;
    }

  self->prompt_pending = FALSE;
  self->answered_no = !yes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_PROMPT]);
  return TRUE;
}

static gboolean
kill_timeout_cb (gpointer user_data)
{
  CmgCliRun *self = user_data;

  self->kill_source = 0;
  if (self->running)
    signal_group (self, SIGKILL);
  return G_SOURCE_REMOVE;
}

static gboolean
term_timeout_cb (gpointer user_data)
{
  CmgCliRun *self = user_data;

  self->term_source = 0;
  if (!self->running)
    return G_SOURCE_REMOVE;

  signal_group (self, SIGTERM);
  self->kill_source = g_timeout_add_full (G_PRIORITY_DEFAULT, self->kill_delay * 1000, kill_timeout_cb,
                                                  g_object_ref (self), g_object_unref);
  return G_SOURCE_REMOVE;
}

void
cmg_cli_run_cancel (CmgCliRun *self)
{
  g_return_if_fail (CMG_IS_CLI_RUN (self));

  if (!self->running || self->cancel_requested)
    return;

  self->cancel_requested = TRUE;
  self->cancelled_after_start = cmg_cli_run_get_server_started (self);

  if (self->cancelled_after_start)
    {
      /* The import goes on regardless; SIGINT lets the CLI say where to watch it. */
      signal_group (self, SIGINT);
      self->term_source = g_timeout_add_full (G_PRIORITY_DEFAULT, self->kill_delay * 1000, term_timeout_cb,
                                                      g_object_ref (self), g_object_unref);
    }
  else
    term_timeout_cb (self);
}
