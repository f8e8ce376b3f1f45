/* cmg-cli-command.h: the `npx convex …` command for one plan and one connection: argv, the child's
 * environment (no inherited CONVEX_* variable; the target in a private env file), the working
 * directory (the project folder), and the same command as one copyable shell line with secrets
 * masked. */
#pragma once

#include <gio/gio.h>

#include "cmg-connection.h"

G_BEGIN_DECLS

typedef enum {
  CMG_CLI_ACTION_VERSION,  /* `npx convex --version` */
  CMG_CLI_ACTION_EXPORT,   /* `npx convex export --path …` */
  CMG_CLI_ACTION_IMPORT,   /* `npx convex import … <file>` */
} CmgCliAction;

typedef enum {
  CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY,  /* no flag: fails if a target table has documents */
  CMG_CLI_IMPORT_MODE_APPEND,         /* --append */
  CMG_CLI_IMPORT_MODE_REPLACE,        /* --replace */
  CMG_CLI_IMPORT_MODE_REPLACE_ALL,    /* --replace-all */
} CmgCliImportMode;

typedef enum {
  CMG_CLI_IMPORT_FORMAT_AUTO,        /* from the file's extension */
  CMG_CLI_IMPORT_FORMAT_CSV,
  CMG_CLI_IMPORT_FORMAT_JSON_LINES,
  CMG_CLI_IMPORT_FORMAT_JSON_ARRAY,
  CMG_CLI_IMPORT_FORMAT_ZIP,
} CmgCliImportFormat;

/* "export", "import", "version" */
const char *cmg_cli_action_to_string (CmgCliAction action);

#define CMG_TYPE_CLI_COMMAND (cmg_cli_command_get_type ())
G_DECLARE_FINAL_TYPE (CmgCliCommand, cmg_cli_command, CMG, CLI_COMMAND, GObject)

CmgCliCommand *cmg_cli_command_new_version (const char *project_dir);
/* path: a file that does not exist yet, or an existing folder (the server names the file). */
CmgCliCommand *cmg_cli_command_new_export (CmgConnection *connection,
                                           const char    *project_dir,
                                           const char    *path,
                                           gboolean       include_file_storage);
CmgCliCommand *cmg_cli_command_new_import (CmgConnection    *connection,
                                           const char       *project_dir,
                                           const char       *file,
                                           CmgCliImportMode  mode);

/* Import options: the table for a single-file import, the format when the extension does not
 * tell, the component path. */
void           cmg_cli_command_set_table (CmgCliCommand *self, const char *table);
void           cmg_cli_command_set_format (CmgCliCommand *self, CmgCliImportFormat format);
void           cmg_cli_command_set_component (CmgCliCommand *self, const char *component);
/* `--yes`: only when the user confirmed the server's change summary in the app itself. */
void           cmg_cli_command_set_confirmed (CmgCliCommand *self, gboolean confirmed);
/* CI=1: plain step lines even on a terminal, no telemetry (tests). */
void           cmg_cli_command_set_ci (CmgCliCommand *self, gboolean ci);
/* The environment to start from (default: the app's). Its CONVEX_* variables are dropped. */
void           cmg_cli_command_set_base_environ (CmgCliCommand *self, const char * const *environ);
/* One more variable for the child, set after the inherited CONVEX_* ones are dropped (e.g.
 * CONVEX_IMPORT_CHUNK_SIZE in tests). */
void           cmg_cli_command_set_env (CmgCliCommand *self, const char *key, const char *value);
/* Runs `program…` instead of `npx convex` (a fake CLI in tests); the project checks are skipped. */
void           cmg_cli_command_set_program (CmgCliCommand *self, const char * const *program);

/* Checks node, npx and the project (messages say what to do next), writes the private env file
 * (mode 0600, in the user's runtime dir) and builds argv and envp. Blocking but cheap. */
gboolean       cmg_cli_command_prepare (CmgCliCommand *self, GError **error);
/* Removes the env file (also done on finalize). */
void           cmg_cli_command_cleanup (CmgCliCommand *self);

CmgCliAction         cmg_cli_command_get_action (CmgCliCommand *self);
CmgConnection       *cmg_cli_command_get_connection (CmgCliCommand *self);
const char          *cmg_cli_command_get_project_dir (CmgCliCommand *self);
/* After prepare(): */
const char * const  *cmg_cli_command_get_argv (CmgCliCommand *self);
const char * const  *cmg_cli_command_get_envp (CmgCliCommand *self);
const char          *cmg_cli_command_get_env_file (CmgCliCommand *self);
/* The secrets this command passes (for the run's redactor). NULL-terminated. */
const char * const  *cmg_cli_command_get_secrets (CmgCliCommand *self);
/* `cd '/p' && CONVEX_DEPLOY_KEY='prod:x|••••••••' npx convex export --path '/tmp/a.zip'`:
 * what a person would type for the same target, secrets masked. Valid after prepare(). */
char                *cmg_cli_command_dup_display (CmgCliCommand *self);
/* The deployment name the run targets, for the history (may be NULL). */
char                *cmg_cli_command_dup_target_name (CmgCliCommand *self);
const char          *cmg_cli_command_get_target_type (CmgCliCommand *self);

/* Removes env files of runs whose process is gone (a crash left them behind). Call at startup. */
void                 cmg_cli_command_remove_stale_env_files (void);
/* Where env files are written: <runtime dir>/convex-migrate. */
char                *cmg_cli_command_dup_env_dir (void);

/* `npx convex --version` (and `node --version`: 18 or newer) in a worker thread; the version
 * string, e.g. "1.48.0". environ: NULL for the app's. */
void                 cmg_cli_read_version_async (const char          *project_dir,
                                                 const char * const  *environ,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
char                *cmg_cli_read_version_finish (GAsyncResult  *result,
                                                  GError       **error);

G_END_DECLS
