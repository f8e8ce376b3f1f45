/* cmg-cli-run.h: one run of the CLI. Spawned in its own process group, on pipes or on a
 * pseudo-terminal (so the CLI's prompts can be answered from the app); its output is read without
 * blocking, interpreted (CmgCliTerminal), redacted (CmgRedactor), logged, and parsed into events
 * (CmgCliOutputParser). Cancel is honest: before the server starts an import the whole process
 * group is stopped; after, the outcome says the import continues on the server. */
#pragma once

#include <gio/gio.h>

#include "cmg-cli-command.h"
#include "cmg-cli-event.h"
#include "cmg-run-history.h"

G_BEGIN_DECLS

#define CMG_TYPE_CLI_RUN (cmg_cli_run_get_type ())
G_DECLARE_FINAL_TYPE (CmgCliRun, cmg_cli_run, CMG, CLI_RUN, GObject)

/* Signals:
 *   line-added (guint index, const char *text): a new output line (redacted, no escape codes)
 *   line-updated (guint index, const char *text): a line shown before was redrawn in place
 *   event (CmgCliEvent *event): something the CLI said that the app acts on
 *   finished (): the process is gone and its output read to the end
 * Properties: "running", "outcome", "exit-status", "pending-prompt", "continue-url". */

/* use_terminal: run on a pseudo-terminal (prompts can be answered); else on pipes with stdin
 * closed (a prompt fails in the CLI). */
CmgCliRun     *cmg_cli_run_new (CmgCliCommand *command,
                                gboolean       use_terminal);
/* Records the run (masked command, target, outcome, log file) there. Before start. */
void           cmg_cli_run_set_history (CmgCliRun     *self,
                                        CmgRunHistory *history);
/* Seconds between SIGTERM and SIGKILL on cancel (default 3). For tests. */
void           cmg_cli_run_set_kill_delay (CmgCliRun *self,
                                           guint      seconds);

/* Prepares the command if needed, spawns it and completes once the process has ended and its
 * output has been read to the end. Cancelling `cancellable` is cmg_cli_run_cancel(). Fails only
 * when the process could not start (no node, no npx, no project…: the message says what to do);
 * a CLI that fails is a successful run with outcome FAILED. */
void           cmg_cli_run_start_async (CmgCliRun           *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data);
CmgRunOutcome  cmg_cli_run_start_finish (CmgCliRun     *self,
                                         GAsyncResult  *result,
                                         GError       **error);

/* Writes "y\n" or "n\n" to the terminal: the user's own answer to the pending prompt. */
gboolean       cmg_cli_run_answer (CmgCliRun  *self,
                                   gboolean    yes,
                                   GError    **error);
/* Stops the CLI: SIGTERM to its process group, SIGKILL after the kill delay. Once the server has
 * started an import, SIGINT first (the CLI then prints where to watch it) and the outcome is
 * CONTINUES_ON_SERVER. */
void           cmg_cli_run_cancel (CmgCliRun *self);

CmgCliCommand *cmg_cli_run_get_command (CmgCliRun *self);
gboolean       cmg_cli_run_get_running (CmgCliRun *self);
/* The CLI's process id (also its process group id), 0 before start. */
GPid           cmg_cli_run_get_pid (CmgCliRun *self);
CmgRunOutcome  cmg_cli_run_get_outcome (CmgCliRun *self);
/* -1 until the process ended, or when a signal ended it. */
int            cmg_cli_run_get_exit_status (CmgCliRun *self);
/* The question the CLI waits for an answer to, or NULL. */
const char    *cmg_cli_run_get_pending_prompt (CmgCliRun *self);
/* Where to watch an import that continues on the server, when the CLI said. */
const char    *cmg_cli_run_get_continue_url (CmgCliRun *self);
/* TRUE once the server has started the import (a cancel can no longer stop it). */
gboolean       cmg_cli_run_get_server_started (CmgCliRun *self);
/* Every event so far, element type CmgCliEvent. */
GListModel    *cmg_cli_run_get_events (CmgCliRun *self);
/* The run's history record (NULL without a history). */
CmgRunRecord  *cmg_cli_run_get_record (CmgCliRun *self);
/* The masked command line. */
const char    *cmg_cli_run_get_display (CmgCliRun *self);

G_END_DECLS
