/* cmg-plan-step.h: one step of an import plan (source, target, mode, confirmation, backup,
 * schema, notify, review, run, result), with its state and why it is in it. Steps are owned by
 * their CmgImportPlan, which changes them; every change is notified, so a UI binds to them and the
 * history records the same words. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* In plan order. The assistant groups CONFIRM, BACKUP, SCHEMA and NOTIFY on one "Safety" page
 * (cmg_plan_step_kind_get_page). */
typedef enum {
  CMG_PLAN_STEP_SOURCE,   /* open, count and check the archive; partial restore; component */
  CMG_PLAN_STEP_TARGET,   /* the connection, its conflicts, the probe, warnings */
  CMG_PLAN_STEP_MODE,     /* none/append/replace/replace-all, explained for this archive + target */
  CMG_PLAN_STEP_CONFIRM,  /* typed deployment name (prod, preview, self-hosted, unknown) or one click */
  CMG_PLAN_STEP_BACKUP,   /* export of the target, opened and counted; required for replace(-all) */
  CMG_PLAN_STEP_SCHEMA,   /* reminder: the target must run the right schema.ts */
  CMG_PLAN_STEP_NOTIFY,   /* ready-to-send message, optional webhook POST */
  CMG_PLAN_STEP_REVIEW,   /* the import started on a terminal, the server's change summary confirmed */
  CMG_PLAN_STEP_RUN,      /* the import running: progress per table */
  CMG_PLAN_STEP_RESULT,   /* success or the server's error, written vs archive counts, backup path */
} CmgPlanStepKind;

#define CMG_PLAN_STEP_N_KINDS (CMG_PLAN_STEP_RESULT + 1)

/* The assistant's pages. */
typedef enum {
  CMG_PLAN_PAGE_SOURCE,
  CMG_PLAN_PAGE_TARGET,
  CMG_PLAN_PAGE_MODE,
  CMG_PLAN_PAGE_SAFETY,
  CMG_PLAN_PAGE_REVIEW,
  CMG_PLAN_PAGE_RUN,
  CMG_PLAN_PAGE_RESULT,
} CmgPlanPage;

typedef enum {
  CMG_PLAN_STEP_STATE_PENDING,
  CMG_PLAN_STEP_STATE_RUNNING,
  CMG_PLAN_STEP_STATE_DONE,
  CMG_PLAN_STEP_STATE_SKIPPED,  /* reason says why ("Not required for append") */
  CMG_PLAN_STEP_STATE_FAILED,   /* reason says why, in words a user can act on */
} CmgPlanStepState;

/* "source" "target" "mode" "confirm" "backup" "schema" "notify" "review" "run" "result" */
const char      *cmg_plan_step_kind_to_string (CmgPlanStepKind kind);
gboolean         cmg_plan_step_kind_from_string (const char *str, CmgPlanStepKind *out_kind);
CmgPlanPage      cmg_plan_step_kind_get_page (CmgPlanStepKind kind);
/* "pending" "running" "done" "skipped" "failed" */
const char      *cmg_plan_step_state_to_string (CmgPlanStepState state);
/* Translated, short: "Waiting", "Running", "Done", "Skipped", "Failed" */
const char      *cmg_plan_step_state_get_label (CmgPlanStepState state);

#define CMG_TYPE_PLAN_STEP (cmg_plan_step_get_type ())
G_DECLARE_FINAL_TYPE (CmgPlanStep, cmg_plan_step, CMG, PLAN_STEP, GObject)

/* Properties (read-only for users of the plan; notified on change):
 *   "kind"        CmgPlanStepKind (as guint), construct-only
 *   "title"       translated ("Source", "Back up the target", …)
 *   "description" translated, what the step does for this plan, in concrete words; may change as
 *                 the plan learns more (after counting, after the probe…)
 *   "state"       CmgPlanStepState (as guint)
 *   "reason"      why it was skipped or failed, or NULL
 *   "detail"      longer text: the server's message, the notify text, the mode explanation…, or NULL */

/* Made by the plan. title and description are translated by the caller. */
CmgPlanStep      *cmg_plan_step_new (CmgPlanStepKind  kind,
                                     const char      *title,
                                     const char      *description);

CmgPlanStepKind   cmg_plan_step_get_kind (CmgPlanStep *self);
const char       *cmg_plan_step_get_title (CmgPlanStep *self);
const char       *cmg_plan_step_get_description (CmgPlanStep *self);
CmgPlanStepState  cmg_plan_step_get_state (CmgPlanStep *self);
const char       *cmg_plan_step_get_reason (CmgPlanStep *self);
const char       *cmg_plan_step_get_detail (CmgPlanStep *self);

/* For the plan. Setting the same value again does not notify. reason may be NULL. */
void              cmg_plan_step_set_state (CmgPlanStep      *self,
                                           CmgPlanStepState  state,
                                           const char       *reason);
void              cmg_plan_step_set_description (CmgPlanStep *self,
                                                 const char  *description);
void              cmg_plan_step_set_detail (CmgPlanStep *self,
                                            const char  *detail);

G_END_DECLS
