/* cmg-test-deployment.c: a local stand-in for a Convex deployment, for tests and the demo
 *
 * Prints exactly one line, "Listening on http://127.0.0.1:PORT", once it
 * accepts connections, and stops cleanly on SIGTERM or SIGINT.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "cmg-test-server.h"

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  int port = 0;
  g_autofree char *name = NULL;
  g_autofree char *admin_key = NULL;
  g_autofree char *fail_import = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *version = NULL;
  gboolean reject_key = FALSE;
  gboolean slow = FALSE;
  gboolean import_running = FALSE;
  gboolean export_running = FALSE;
  const GOptionEntry entries[] = {
    { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0: a free one)", "N" },
    { "name", 0, 0, G_OPTION_ARG_STRING, &name, "Instance name", "NAME" },
    { "admin-key", 0, 0, G_OPTION_ARG_STRING, &admin_key, "The admin key requests must carry", "KEY" },
    { "reject-key", 0, 0, G_OPTION_ARG_NONE, &reject_key, "Refuse every key", NULL },
    { "fail-import", 0, 0, G_OPTION_ARG_STRING, &fail_import, "Make imports fail with this message", "MESSAGE" },
    { "slow", 0, 0, G_OPTION_ARG_NONE, &slow, "Space progress steps by about a second", NULL },
    { "import-running", 0, 0, G_OPTION_ARG_NONE, &import_running, "Start with another import in progress", NULL },
    { "export-running", 0, 0, G_OPTION_ARG_NONE, &export_running, "Start with an export in progress", NULL },
    { "seed", 0, 0, G_OPTION_ARG_FILENAME, &seed, "Load data from a snapshot export ZIP", "FILE.zip" },
    { "version-string", 0, 0, G_OPTION_ARG_STRING, &version, "What /instance_version answers", "V" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- a local Convex test deployment");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgTestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  CmgTestServerOptions options = { 0 };
  guint bound_port = 0;

  setlocale (LC_ALL, "");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr ("--port must be between 0 and 65535\n");
      return 2;
    }

  options.name = name;
  options.admin_key = admin_key;
  options.version = version;
  options.fail_import = fail_import;
  options.reject_key = reject_key;
  options.slow = slow;
  options.import_running = import_running;
  options.export_running = export_running;
  server = cmg_test_server_new (&options);

  if (seed != NULL)
    {
      g_autoptr(GMappedFile) file = g_mapped_file_new (seed, FALSE, &error);
      g_autoptr(GBytes) bytes = NULL;

      if (file == NULL)
        {
          g_printerr ("Cannot read the seed archive: %s\n", error->message);
          return 1;
        }
      bytes = g_mapped_file_get_bytes (file);
      if (!cmg_test_server_seed (server, bytes, &error))
        {
          g_printerr ("Cannot load the seed archive %s: %s\n", seed, error->message);
          return 1;
        }
    }

  if (!cmg_test_server_listen (server, (guint) port, &bound_port, &error))
    {
      g_printerr ("Cannot listen on port %d: %s\n", port, error->message);
      return 1;
    }

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_unix_signal_add (SIGINT, quit_cb, loop);

  printf ("Listening on http://127.0.0.1:%u\n", bound_port);
  fflush (stdout);

  g_main_loop_run (loop);
  return 0;
}
