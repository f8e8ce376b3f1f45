/* cmg-import-plan.h: a guided, reversible import (design.md, "The safety model"): the ordered
 * steps of importing one source into one target with one mode, each with its state, so the
 * assistant, the headless tests and the history all describe the same thing.
 *
 * Driving it: the plan has a current page (CmgPlanPage); cmg_import_plan_advance_async runs the
 * pending steps of that page in order (one "Next" of the assistant) and completes when they are
 * done, or at the first one that cannot go on. Inputs a page needs (a table name, the typed
 * deployment name, the mode…) are set before advancing; "can-advance" and "blocker" say whether a
 * Next would be accepted and why not. Before the import starts, cmg_import_plan_go_back returns to
 * the previous page. A headless caller loops advance until "finished"; it answers the CLI's prompt
 * from a "confirmation-requested" handler with cmg_import_plan_answer.
 *
 * Pages and their steps:
 *   SOURCE  open the file, count its tables, check it (errors that would make the import fail stop
 *           here); with a table subset, repack it into a temporary ZIP (keeping _tables and
 *           generated_schema.jsonl); the component to import into.
 *   TARGET  the connection's deployment and conflicts, the probe; warnings (backend too old for
 *           "uniform" schemas, the archive came from this very deployment, conflicts). A conflict
 *           of severity error stops here.
 *   MODE    the chosen mode explained per table ("tables", "mode-description").
 *   SAFETY  CONFIRM (typed name for production, preview, self-hosted and unknown targets; one
 *           confirmation for dev and local), BACKUP (export of the target into the backups folder,
 *           opened and counted: required for replace and replace-all, optional otherwise; its table
 *           list then becomes the target's known state), SCHEMA (reminder), NOTIFY (message, and
 *           a webhook POST when a URL is set).
 *   REVIEW  starts `npx convex import` on a pseudo-terminal; the server's change summary fills
 *           "changes"; when the CLI asks, "confirmation-requested" is emitted and the step waits for
 *           cmg_import_plan_answer. Nothing is ever answered for the user. When nothing would be
 *           deleted the server does not ask ("will-ask" FALSE, known before starting).
 *   RUN     the import runs: per-table progress from checkpoint lines, elapsed time.
 *   RESULT  succeeded, failed (the server's message in plain words and the likely fix), declined,
 *           cancelled or continues on the server; per table written vs archive counts; the backup.
 * Undo: cmg_import_plan_new_undo makes a new plan importing the backup with replace-all; it has
 * its own confirmation (and backup). */
#pragma once

#include <gio/gio.h>

#include "cmg-cli-command.h"
#include "cmg-cli-run.h"
#include "cmg-connection.h"
#include "cmg-import-mode.h"
#include "cmg-import-problem.h"
#include "cmg-conflict.h"
#include "cmg-plan-step.h"
#include "cmg-plan-table.h"
#include "cmg-probe.h"
#include "cmg-run-history.h"
#include "cmg-snapshot.h"
#include "cmg-validation.h"

G_BEGIN_DECLS

#define CMG_IMPORT_PLAN_ERROR (cmg_import_plan_error_quark ())
typedef enum {
  CMG_IMPORT_PLAN_ERROR_NEEDS_INPUT,    /* a choice is missing (a table name for a single file…) */
  CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED,  /* the typed name does not match, or no confirmation */
  CMG_IMPORT_PLAN_ERROR_SOURCE,         /* the source cannot be imported: the message says why */
  CMG_IMPORT_PLAN_ERROR_TARGET,         /* the target cannot be used as it is (the CLI would refuse) */
  CMG_IMPORT_PLAN_ERROR_BACKUP,         /* the backup could not be taken, opened or counted */
  CMG_IMPORT_PLAN_ERROR_WEBHOOK,        /* the webhook answered with an error or not at all */
  CMG_IMPORT_PLAN_ERROR_BUSY,           /* a step is running already */
  CMG_IMPORT_PLAN_ERROR_FINISHED,       /* nothing left to do */
  CMG_IMPORT_PLAN_ERROR_NO_PROMPT,      /* an answer while the CLI asks nothing */
  CMG_IMPORT_PLAN_ERROR_CANNOT_GO_BACK, /* the import has started, or there is no previous page */
  CMG_IMPORT_PLAN_ERROR_NO_BACKUP,      /* undo without a verified backup */
} CmgImportPlanError;
GQuark cmg_import_plan_error_quark (void);

/* How the plan ended (RESULT). */
typedef enum {
  CMG_IMPORT_OUTCOME_NONE,                /* not there yet */
  CMG_IMPORT_OUTCOME_SUCCEEDED,
  CMG_IMPORT_OUTCOME_FAILED,              /* at any step; "result-message" says why */
  CMG_IMPORT_OUTCOME_DECLINED,            /* the user answered no: nothing changed */
  CMG_IMPORT_OUTCOME_CANCELLED,           /* stopped before the server started */
  CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER, /* the CLI stopped, the server goes on: see continue URL */
} CmgImportOutcome;
/* "none" "succeeded" "failed" "declined" "cancelled" "continues-on-server" */
const char *cmg_import_outcome_to_string (CmgImportOutcome outcome);

#define CMG_TYPE_IMPORT_PLAN (cmg_import_plan_get_type ())
G_DECLARE_FINAL_TYPE (CmgImportPlan, cmg_import_plan, CMG, IMPORT_PLAN, GObject)

/* Properties (read-only unless said; notified on change):
 *   "mode"                CmgCliImportMode (read-write until the MODE page is passed)
 *   "current-page"        CmgPlanPage
 *   "running"             a page is being advanced
 *   "finished"            RESULT is done (or the plan failed for good)
 *   "can-advance"         a Next would be accepted now
 *   "blocker"             translated: why not, or NULL
 *   "awaiting-answer"     the CLI asks "prompt" and waits for cmg_import_plan_answer
 *   "prompt"              the CLI's question, or NULL
 *   "will-ask"            the server is expected to ask before deleting (see cmg_import_plan_get_will_ask)
 *   "outcome"             CmgImportOutcome
 *   "result-message"      translated, plain words, or NULL
 *   "backup-file"         GFile, or NULL
 *   "elapsed-ms"          since the import started (updated about once a second while it runs)
 * Signals:
 *   confirmation-requested (const char *question): the CLI asks; answer with cmg_import_plan_answer
 *   change-summary (): "changes" has been filled from the server's summary
 *   line-added (guint index, const char *text): a line of any CLI run of the plan (backup, import),
 *     redacted; for the live log */

/* source: an export ZIP or a single .jsonl/.json/.csv. project_dir: the folder whose package.json
 * lists convex (the CLI runs there). The plan keeps the connection's secret in memory only. */
CmgImportPlan   *cmg_import_plan_new (GFile            *source,
                                      CmgConnection    *connection,
                                      const char       *project_dir,
                                      CmgCliImportMode  mode);
/* A plan that imports plan's verified backup into the same target with replace-all, with the same
 * settings (backups folder, history, webhook, environment). Fails with NO_BACKUP when the plan has
 * none. */
CmgImportPlan   *cmg_import_plan_new_undo (CmgImportPlan  *plan,
                                           GError        **error);
gboolean         cmg_import_plan_get_is_undo (CmgImportPlan *self);

/* --- settings: set before the page that uses them --- */

/* SOURCE: the table for a single file (required then), its format when the extension does not
 * tell, the tables to restore (qualified names; NULL for all; ZIP only), the component to import
 * into (NULL for the app's own tables). */
void             cmg_import_plan_set_table_name (CmgImportPlan *self, const char *table);
void             cmg_import_plan_set_format (CmgImportPlan *self, CmgCliImportFormat format);
void             cmg_import_plan_set_selected_tables (CmgImportPlan *self, const char * const *tables);
/* The tables chosen for a partial restore (qualified "component:table" names), or NULL: all. */
const char * const *cmg_import_plan_get_selected_tables (CmgImportPlan *self);
/* Whether a check finding would make importing the selected tables fail or change data: an error
 * in one of them, or one about the archive as a whole (selected NULL: every table). The Source
 * step stops on these; the assistant applies the same rule before Next. */
gboolean         cmg_import_finding_blocks (const CmgFinding   *finding,
                                            const char * const *selected);
void             cmg_import_plan_set_component (CmgImportPlan *self, const char *component);
/* MODE. */
void             cmg_import_plan_set_mode (CmgImportPlan *self, CmgCliImportMode mode);
CmgCliImportMode cmg_import_plan_get_mode (CmgImportPlan *self);
/* SAFETY: what the user typed (for targets that need the name typed), or the one-click
 * confirmation (for dev and local targets). */
void             cmg_import_plan_set_typed_name (CmgImportPlan *self, const char *typed);
void             cmg_import_plan_set_confirmed (CmgImportPlan *self, gboolean confirmed);
/* Take a backup when it is optional (append, none). Required ones are always taken. Default FALSE. */
void             cmg_import_plan_set_backup_wanted (CmgImportPlan *self, gboolean wanted);
/* Where backups go (created if needed). Default: cmg_import_plan_dup_default_backups_dir(). */
void             cmg_import_plan_set_backups_dir (CmgImportPlan *self, const char *dir);
char            *cmg_import_plan_dup_default_backups_dir (void);
/* A Slack-compatible webhook (POST {"text": …}); NULL for none. Never shown or recorded. */
void             cmg_import_plan_set_webhook_url (CmgImportPlan *self, const char *url);
/* Where the CLI runs and the plan itself are recorded (the plan as an "import-plan" record whose
 * log is the plan's summary). */
void             cmg_import_plan_set_history (CmgImportPlan *self, CmgRunHistory *history);
/* Passed to every CLI command of the plan (see CmgCliCommand): tests set CI=1 and chunk sizes. */
void             cmg_import_plan_set_ci (CmgImportPlan *self, gboolean ci);
void             cmg_import_plan_set_env (CmgImportPlan *self, const char *key, const char *value);
void             cmg_import_plan_set_base_environ (CmgImportPlan *self, const char * const *environ);
/* Runs `program…` instead of `npx convex` for every CLI command of the plan (a fake CLI in tests). */
void             cmg_import_plan_set_program (CmgImportPlan *self, const char * const *program);
/* Probe timeout in seconds (default 5). */
void             cmg_import_plan_set_probe_timeout (CmgImportPlan *self, guint seconds);

/* --- driving --- */

/* Element type CmgPlanStep, in plan order (all CMG_PLAN_STEP_N_KINDS of them). */
GListModel      *cmg_import_plan_get_steps (CmgImportPlan *self);
CmgPlanStep     *cmg_import_plan_get_step (CmgImportPlan *self, CmgPlanStepKind kind);
CmgPlanPage      cmg_import_plan_get_current_page (CmgImportPlan *self);
/* The first step that is not done or skipped, or NULL when finished. */
CmgPlanStep     *cmg_import_plan_get_current_step (CmgImportPlan *self);
gboolean         cmg_import_plan_get_running (CmgImportPlan *self);
gboolean         cmg_import_plan_get_finished (CmgImportPlan *self);
gboolean         cmg_import_plan_get_can_advance (CmgImportPlan *self);
const char      *cmg_import_plan_get_blocker (CmgImportPlan *self);

/* Runs the current page's pending steps. Fails (and the step stays pending) when an input is
 * missing or wrong (NEEDS_INPUT, NOT_CONFIRMED); fails (and the step and plan fail) when the
 * step cannot succeed (SOURCE, TARGET, BACKUP). A failed, declined or cancelled import is not an
 * error: the plan goes on to RESULT, which tells. */
void             cmg_import_plan_advance_async (CmgImportPlan       *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         cmg_import_plan_advance_finish (CmgImportPlan  *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* Back to the previous page (its steps and every later one become pending again). Only while no
 * step runs and before REVIEW has started. */
gboolean         cmg_import_plan_go_back (CmgImportPlan  *self,
                                          GError        **error);
/* Writes the user's own answer to the CLI's pending question. */
gboolean         cmg_import_plan_answer (CmgImportPlan  *self,
                                         gboolean        yes,
                                         GError        **error);
/* Honest cancel: counting, repacking, the backup and an import the server has not started stop;
 * an import the server runs goes on (outcome CONTINUES_ON_SERVER with the URL). */
void             cmg_import_plan_cancel (CmgImportPlan *self);

/* --- what each page shows --- */

GFile           *cmg_import_plan_get_source (CmgImportPlan *self);
CmgConnection   *cmg_import_plan_get_connection (CmgImportPlan *self);
const char      *cmg_import_plan_get_project_dir (CmgImportPlan *self);
/* SOURCE (after it ran): the opened and counted source, the check's findings, the file the CLI
 * will import (the source, or the repacked subset). */
CmgSnapshot     *cmg_import_plan_get_snapshot (CmgImportPlan *self);
CmgValidation   *cmg_import_plan_get_validation (CmgImportPlan *self);
GFile           *cmg_import_plan_get_import_file (CmgImportPlan *self);
/* Element type CmgPlanTable: the imported tables, then (once known) the target's other tables. */
GListModel      *cmg_import_plan_get_tables (CmgImportPlan *self);
/* TARGET: warnings and conflicts (CmgConflict*, transfer none), the probe's result or NULL. */
GPtrArray       *cmg_import_plan_get_warnings (CmgImportPlan *self);
const CmgProbeResult *cmg_import_plan_get_probe_result (CmgImportPlan *self);
/* MODE: the chosen mode explained for this archive and this target (translated, several lines). */
char            *cmg_import_plan_dup_mode_description (CmgImportPlan *self);
/* cmg_import_mode_get_label (): the mode in one line, independent of the archive. */
/* SAFETY/CONFIRM: whether the name must be typed, and what must be typed (the deployment name, or
 * when unknown the URL or the displayed identity). */
gboolean         cmg_import_plan_get_requires_typed_name (CmgImportPlan *self);
const char      *cmg_import_plan_get_expected_name (CmgImportPlan *self);
/* SAFETY/BACKUP */
gboolean         cmg_import_plan_get_backup_required (CmgImportPlan *self);
GFile           *cmg_import_plan_get_backup_file (CmgImportPlan *self);
/* The opened, counted backup, or NULL. */
CmgSnapshot     *cmg_import_plan_get_backup_snapshot (CmgImportPlan *self);
/* SAFETY/SCHEMA: translated reminder, with the command to push the schema for this target. */
const char      *cmg_import_plan_get_schema_reminder (CmgImportPlan *self);
/* SAFETY/NOTIFY: the ready-to-send message (NULL before NOTIFY ran; never holds a secret), and
 * the webhook's result: HTTP status (0: none sent or no answer) and a translated line. */
const char      *cmg_import_plan_get_notify_message (CmgImportPlan *self);
guint            cmg_import_plan_get_webhook_status (CmgImportPlan *self);
const char      *cmg_import_plan_get_webhook_result (CmgImportPlan *self);
/* REVIEW: TRUE when the server is expected to ask before the import (something would be deleted:
 * replace or replace-all over documents the backup saw, or an unknown target state); FALSE when
 * it will proceed without asking. Known once SAFETY is done. */
gboolean         cmg_import_plan_get_will_ask (CmgImportPlan *self);
/* The server's change summary (CmgPlanTable with create/delete/of), empty until it arrives. */
GListModel      *cmg_import_plan_get_changes (CmgImportPlan *self);
gboolean         cmg_import_plan_get_awaiting_answer (CmgImportPlan *self);
const char      *cmg_import_plan_get_prompt (CmgImportPlan *self);
/* REVIEW/RUN: the import's CLI run (for its log), or NULL. */
CmgCliRun       *cmg_import_plan_get_run (CmgImportPlan *self);
gint64           cmg_import_plan_get_elapsed_ms (CmgImportPlan *self);
/* RESULT */
CmgImportOutcome cmg_import_plan_get_outcome (CmgImportPlan *self);
const char      *cmg_import_plan_get_result_message (CmgImportPlan *self);
CmgImportProblem cmg_import_plan_get_problem (CmgImportPlan *self);
/* Translated likely fix for the problem, or NULL. */
const char      *cmg_import_plan_get_result_fix (CmgImportPlan *self);
const char      *cmg_import_plan_get_continue_url (CmgImportPlan *self);
/* The cloud dashboard of the target, or NULL when there is none (self-hosted, local). */
char            *cmg_import_plan_dup_dashboard_url (CmgImportPlan *self);
/* Every step with its state and reason, one a line, plus the outcome: for the history and "copy".
 * Never holds a secret. */
char            *cmg_import_plan_dup_summary (CmgImportPlan *self);

G_END_DECLS
