/* cmg-target-command.c: `convex-migrate target [PROJECT_DIR] [--json]`. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-target-command.h"

int
cmg_target_command_main (int argc, char **argv)
{
  g_printerr ("%s\n", _("Not available yet"));
  return 2;
}
