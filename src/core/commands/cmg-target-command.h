/* cmg-target-command.h: `convex-migrate target [PROJECT_DIR] [--json]`, no display needed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* argv[0] is "target". Prints to stdout/stderr; returns the exit status: 0 when the folder was
 * read (even with no target), 2 when it cannot be. */
int cmg_target_command_main (int argc, char **argv);

G_END_DECLS
