/* main.c: the headless commands (`convex-migrate target …`), else the GTK application. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-core.h"
#include "cmg-inspect-command.h"
#include "cmg-target-command.h"
#include "cmg-application.h"

int
main (int   argc,
      char *argv[])
{
  cmg_core_init_i18n ();

  /* Headless commands never touch GTK, so they run without a display. */
  if (argc > 1 && strcmp (argv[1], "target") == 0)
    return cmg_target_command_main (argc - 1, argv + 1);
  if (argc > 1 && strcmp (argv[1], "inspect") == 0)
    return cmg_inspect_command_main (argc - 1, argv + 1);

  g_autoptr(CmgApplication) app = cmg_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
