/* cmg-cli-error.c: see cmg-cli-error.h. */
#include "config.h"

#include "cmg-cli-error.h"

G_DEFINE_QUARK (cmg-cli-error-quark, cmg_cli_error)
