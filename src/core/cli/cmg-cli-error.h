/* cmg-cli-error.h: errors of the CLI area (finding, preparing and running `npx convex`). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CMG_CLI_ERROR (cmg_cli_error_quark ())

typedef enum {
  CMG_CLI_ERROR_NODE_MISSING,     /* no `node` on PATH, or one older than 18 */
  CMG_CLI_ERROR_NPX_MISSING,      /* no `npx` on PATH */
  CMG_CLI_ERROR_NOT_A_PROJECT,    /* the folder has no package.json listing convex */
  CMG_CLI_ERROR_CONVEX_MISSING,   /* node_modules/convex is absent: `npm install` was not run */
  CMG_CLI_ERROR_NO_TARGET,        /* the connection does not say which deployment to use */
  CMG_CLI_ERROR_INVALID_PLAN,     /* e.g. a `--table` for a ZIP, or none for a JSONL file */
  CMG_CLI_ERROR_ENV_FILE,         /* the private env file could not be written */
  CMG_CLI_ERROR_SPAWN,            /* the process (or its terminal) could not be started */
  CMG_CLI_ERROR_NOT_RUNNING,      /* an answer or cancel for a run that is not running */
  CMG_CLI_ERROR_NO_PROMPT,        /* an answer while the CLI asks nothing */
  CMG_CLI_ERROR_VERSION,          /* `npx convex --version` printed no version */
  CMG_CLI_ERROR_HISTORY,          /* the run history could not be written or read */
} CmgCliError;

GQuark cmg_cli_error_quark (void);

G_END_DECLS
