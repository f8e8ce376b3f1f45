/* cmg-inspect-command.h: `convex-migrate inspect FILE [--json] [--check] [--table T [--rows A-B]]`,
 * no display needed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] is "inspect". Returns the exit status: 0 fine, 1 when --check found errors, 2 when the
 * file cannot be read as a source (message on stderr). */
int cmg_inspect_command_main (int argc, char **argv);

G_END_DECLS
