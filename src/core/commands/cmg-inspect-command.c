/* cmg-inspect-command.c: `convex-migrate inspect …`; being written. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-inspect-command.h"

int
cmg_inspect_command_main (int argc, char **argv)
{
  g_printerr ("%s\n", _("convex-migrate inspect is not available in this build."));
  return 2;
}
