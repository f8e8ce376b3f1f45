/* cmg-import-plan-private.h: what the pieces of CmgImportPlan share: the instance struct, the
 * properties the pieces notify, the helpers of cmg-import-plan.c and each step's entry point.
 * Only the cmg-import-plan*.c files include it. */
#pragma once

#include "cmg-core.h"
#include "cmg-import-mode.h"
#include "cmg-import-plan.h"
#include "cmg-table.h"

G_BEGIN_DECLS

struct _CmgImportPlan
{
  GObject             parent_instance;

  GFile              *source;
  CmgConnection      *connection;
  char               *project_dir;
  CmgCliImportMode    mode;
  gboolean            is_undo;

  /* settings */
  char               *table_name;
  CmgCliImportFormat  format;
  char              **selected_tables;
  char               *component;
  char               *typed_name;
  gboolean            confirmed;
  gboolean            backup_wanted;
  char               *backups_dir;
  char               *webhook_url;
  CmgRunHistory      *history;
  gboolean            ci;
  GPtrArray          *env;            /* key, value, key, value… */
  char              **base_environ;
  char              **program;
  guint               probe_timeout;

  /* driving */
  GListStore         *steps;
  CmgPlanPage         current_page;
  gboolean            running;
  gboolean            finished;
  gboolean            can_advance;
  char               *blocker;
  GTask              *page_task;      /* the advance in progress */
  GCancellable       *caller_cancellable;
  gulong              caller_cancelled_id;
  GCancellable       *cancellable;    /* of the plan's own work; cancel() cancels it */

  /* SOURCE */
  CmgSnapshot        *snapshot;
  CmgValidation      *validation;
  GFile              *import_file;
  char               *temp_dir;       /* holds the repacked subset; removed on finalize */
  GListStore         *tables;
  CmgCliImportFormat  effective_format;

  /* TARGET */
  GPtrArray          *warnings;
  CmgProbeResult     *probe_result;
  gboolean            target_known;   /* the backup told what the target holds */

  /* SAFETY */
  char               *expected_name;
  GFile              *backup_file;
  CmgSnapshot        *backup_snapshot;
  guint               backup_storage_files;
  char               *schema_reminder;
  char               *notify_message;
  guint               webhook_status;
  char               *webhook_result;
  CmgCliRun          *backup_run;

  /* REVIEW, RUN */
  gboolean            will_ask;
  GListStore         *changes;
  CmgCliRun          *run;
  gboolean            run_ended;
  gboolean            saw_summary;
  gboolean            awaiting_answer;
  char               *prompt;
  gboolean            declined;
  char               *failure_text;
  gint64              start_time;
  gint64              elapsed_ms;
  guint               elapsed_source;

  /* RESULT */
  CmgImportOutcome    outcome;
  char               *result_message;
  CmgImportProblem    problem;
  guint64             problem_row;
  char               *result_fix;
  char               *continue_url;
  gboolean            recorded;
};

typedef enum {
  PROP_0,
  PROP_MODE,
  PROP_CURRENT_PAGE,
  PROP_RUNNING,
  PROP_FINISHED,
  PROP_CAN_ADVANCE,
  PROP_BLOCKER,
  PROP_AWAITING_ANSWER,
  PROP_PROMPT,
  PROP_WILL_ASK,
  PROP_OUTCOME,
  PROP_RESULT_MESSAGE,
  PROP_BACKUP_FILE,
  PROP_ELAPSED_MS,
  N_PROPS
} CmgImportPlanProp;

/* cmg-import-plan.c */
void               _cmg_import_plan_notify                       (CmgImportPlan     *self,
                                                                  CmgImportPlanProp  prop);
void               _cmg_import_plan_emit_change_summary          (CmgImportPlan     *self);
void               _cmg_import_plan_emit_confirmation_requested  (CmgImportPlan     *self,
                                                                  const char        *prompt);
CmgPlanStep       *_cmg_import_plan_step_at                      (CmgImportPlan     *self,
                                                                  CmgPlanStepKind    kind);
CmgDeployment     *_cmg_import_plan_target_deployment            (CmgImportPlan     *self);
CmgDeploymentType  _cmg_import_plan_target_type                  (CmgImportPlan     *self);
char              *_cmg_import_plan_dup_target_identity          (CmgImportPlan     *self);
void               _cmg_import_plan_set_outcome                  (CmgImportPlan     *self,
                                                                  CmgImportOutcome   outcome,
                                                                  const char        *message);
void               _cmg_import_plan_set_awaiting                 (CmgImportPlan     *self,
                                                                  gboolean           awaiting,
                                                                  const char        *prompt);
CmgPlanTable      *_cmg_import_plan_find_table                   (CmgImportPlan     *self,
                                                                  const char        *component,
                                                                  const char        *name);
void               _cmg_import_plan_update_effects               (CmgImportPlan     *self);
void               _cmg_import_plan_refresh_mode_detail          (CmgImportPlan     *self);
void               _cmg_import_plan_set_finished                 (CmgImportPlan     *self);
void               _cmg_import_plan_step_finished                (CmgImportPlan     *self,
                                                                  CmgPlanStepKind    kind,
                                                                  CmgPlanStepState   state,
                                                                  const char        *reason,
                                                                  GError            *error);
void               _cmg_import_plan_run_next_step                (CmgImportPlan     *self);
void               _cmg_import_plan_setup_command                (CmgImportPlan     *self,
                                                                  CmgCliCommand     *command);
void               _cmg_import_plan_forward_line                 (CmgCliRun         *run,
                                                                  guint              index,
                                                                  const char        *text,
                                                                  CmgImportPlan     *self);

/* cmg-import-plan-record.c */
void               _cmg_import_plan_record_plan                  (CmgImportPlan     *self);

/* cmg-import-plan-source.c */
void               _cmg_import_plan_run_source                   (CmgImportPlan     *self);
gboolean           _cmg_import_plan_looks_single_file            (GFile             *file);
void               _cmg_import_plan_remove_temp_dir              (const char        *dir);

/* cmg-import-plan-target.c */
void               _cmg_import_plan_run_target                   (CmgImportPlan     *self);

/* cmg-import-plan-safety.c */
gboolean           _cmg_import_plan_confirmation_ok              (CmgImportPlan     *self,
                                                                  GError           **error);
void               _cmg_import_plan_run_confirm                  (CmgImportPlan     *self);
void               _cmg_import_plan_run_schema                   (CmgImportPlan     *self);
void               _cmg_import_plan_run_notify                   (CmgImportPlan     *self);

/* cmg-import-plan-backup.c */
void               _cmg_import_plan_run_backup                   (CmgImportPlan     *self);

/* cmg-import-plan-review.c */
void               _cmg_import_plan_run_review                   (CmgImportPlan     *self);
void               _cmg_import_plan_run_run                      (CmgImportPlan     *self);
void               _cmg_import_plan_run_result                   (CmgImportPlan     *self);

G_END_DECLS
