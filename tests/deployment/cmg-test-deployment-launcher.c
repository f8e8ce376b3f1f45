/* cmg-test-deployment-launcher.c: runs the local test deployment as a child process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "cmg-test-deployment-launcher.h"

#define START_TIMEOUT_SECONDS 20
#define STOP_TIMEOUT_SECONDS 5

struct _CmgTestDeploymentLauncher
{
  GObject parent_instance;

  GSubprocess *process;
  char *url;
  gboolean stopped;
  int exit_status;
};

G_DEFINE_FINAL_TYPE (CmgTestDeploymentLauncher, cmg_test_deployment_launcher, G_TYPE_OBJECT)

static void
cmg_test_deployment_launcher_dispose (GObject *object)
{
  CmgTestDeploymentLauncher *self = CMG_TEST_DEPLOYMENT_LAUNCHER (object);

  if (self->process != NULL)
    cmg_test_deployment_launcher_stop (self, NULL);
  g_clear_object (&self->process);

  G_OBJECT_CLASS (cmg_test_deployment_launcher_parent_class)->dispose (object);
}

static void
cmg_test_deployment_launcher_finalize (GObject *object)
{
  CmgTestDeploymentLauncher *self = CMG_TEST_DEPLOYMENT_LAUNCHER (object);

  g_free (self->url);

  G_OBJECT_CLASS (cmg_test_deployment_launcher_parent_class)->finalize (object);
}

static void
cmg_test_deployment_launcher_class_init (CmgTestDeploymentLauncherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_test_deployment_launcher_dispose;
  object_class->finalize = cmg_test_deployment_launcher_finalize;
}

static void
cmg_test_deployment_launcher_init (CmgTestDeploymentLauncher *self)
{
}

/* Where the server binary is: $CMG_TEST_DEPLOYMENT, else beside the build
 * tree that the test environment names. */
char *
cmg_test_deployment_find_executable (void)
{
  const char *explicit_path = g_getenv ("CMG_TEST_DEPLOYMENT");
  const char *build_root = g_getenv ("CMG_BUILD_ROOT");
  const char *test_builddir = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *candidate = NULL;

  if (explicit_path != NULL && g_file_test (explicit_path, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (explicit_path);

  if (build_root != NULL)
    {
      candidate = g_build_filename (build_root, "tests", "deployment", "cmg-test-deployment", NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
      g_clear_pointer (&candidate, g_free);
    }

  if (test_builddir != NULL)
    {
      candidate = g_build_filename (test_builddir, "deployment", "cmg-test-deployment", NULL);
      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&candidate);
    }

  return NULL;
}

typedef struct
{
  GMainContext *context;
  char *line;
  GError *error;
  gboolean done;
  gboolean timed_out;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL, &read->error);
  read->done = TRUE;
  g_main_context_wakeup (read->context);
}

static gboolean
timeout_cb (gpointer user_data)
{
  LineRead *read = user_data;

  read->timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* In the child: a test that aborts must not leave its server behind, holding the test runner's
 * output pipe open (the runner then waits for it forever). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts the server on a free loopback port and waits until it listens. */
CmgTestDeploymentLauncher *
cmg_test_deployment_launcher_start (const char          *executable,
                                    const char * const  *extra_args,
                                    GError             **error)
{
  g_autoptr(CmgTestDeploymentLauncher) self = NULL;
  g_autofree char *found = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) stdout_data = NULL;
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GCancellable) cancellable = NULL;
  g_autoptr(GSource) timeout = NULL;
  LineRead read = { 0 };

  if (executable == NULL)
    executable = found = cmg_test_deployment_find_executable ();
  if (executable == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           "The test deployment binary was not found: set CMG_TEST_DEPLOYMENT or CMG_BUILD_ROOT");
      return NULL;
    }

  g_ptr_array_add (argv, (char *) executable);
  g_ptr_array_add (argv, (char *) "--port");
  g_ptr_array_add (argv, (char *) "0");
  for (guint i = 0; extra_args != NULL && extra_args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) extra_args[i]);
  g_ptr_array_add (argv, NULL);

  self = g_object_new (CMG_TYPE_TEST_DEPLOYMENT_LAUNCHER, NULL);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, error);
  if (self->process == NULL)
    return NULL;

  /* A private context: callers may or may not run a main loop of their own. */
  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  read.context = context;
  cancellable = g_cancellable_new ();
  stdout_data = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (stdout_data, G_PRIORITY_DEFAULT, cancellable, read_line_cb, &read);
  timeout = g_timeout_source_new_seconds (START_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, timeout_cb, &read, NULL);
  g_source_attach (timeout, context);

  while (!read.done && !read.timed_out)
    g_main_context_iteration (context, TRUE);
  if (!read.done)
    {
      g_cancellable_cancel (cancellable);
      while (!read.done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  if (read.timed_out)
    {
      g_clear_error (&read.error);
      g_free (read.line);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The test deployment did not say where it listens within %d seconds", START_TIMEOUT_SECONDS);
      return NULL;
    }
  if (read.error != NULL)
    {
      g_propagate_error (error, read.error);
      g_free (read.line);
      return NULL;
    }
  if (read.line == NULL || !g_str_has_prefix (read.line, "Listening on http://"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The test deployment exited or printed something unexpected: “%s”",
                   read.line != NULL ? read.line : "");
      g_free (read.line);
      return NULL;
    }

  self->url = g_strdup (read.line + strlen ("Listening on "));
  g_free (read.line);
  return g_steal_pointer (&self);
}

const char *
cmg_test_deployment_launcher_get_url (CmgTestDeploymentLauncher *self)
{
  g_return_val_if_fail (CMG_IS_TEST_DEPLOYMENT_LAUNCHER (self), NULL);

  return self->url;
}

GPid
cmg_test_deployment_launcher_get_pid (CmgTestDeploymentLauncher *self)
{
  const char *identifier;

  g_return_val_if_fail (CMG_IS_TEST_DEPLOYMENT_LAUNCHER (self), 0);

  identifier = self->process != NULL ? g_subprocess_get_identifier (self->process) : NULL;
  return identifier != NULL ? (GPid) g_ascii_strtoll (identifier, NULL, 10) : 0;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Asks the server to stop (SIGTERM), and kills it if it does not within a
 * few seconds. Returns TRUE when it stopped on its own with status 0. */
gboolean
cmg_test_deployment_launcher_stop (CmgTestDeploymentLauncher *self,
                                   int                       *exit_status)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  gboolean clean;

  g_return_val_if_fail (CMG_IS_TEST_DEPLOYMENT_LAUNCHER (self), FALSE);

  if (self->stopped || self->process == NULL)
    {
      if (exit_status != NULL)
        *exit_status = self->exit_status;
      return self->exit_status == 0;
    }

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait_async (self->process, NULL, wait_cb, &done);
  timeout = g_timeout_source_new_seconds (STOP_TIMEOUT_SECONDS);
  g_source_set_callback (timeout, flag_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  if (!done)
    {
      g_subprocess_force_exit (self->process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);

  self->stopped = TRUE;
  clean = g_subprocess_get_if_exited (self->process) && g_subprocess_get_exit_status (self->process) == 0;
  self->exit_status = g_subprocess_get_if_exited (self->process) ? g_subprocess_get_exit_status (self->process) : -1;
  if (exit_status != NULL)
    *exit_status = self->exit_status;
  return clean;
}
