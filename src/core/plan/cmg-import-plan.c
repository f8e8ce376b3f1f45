/* cmg-import-plan.c: see cmg-import-plan.h. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cmg-core.h"
#include "cmg-import-mode.h"
#include "cmg-import-plan.h"
#include "cmg-plan-notify.h"
#include "cmg-repack.h"
#include "cmg-table.h"

G_DEFINE_QUARK (cmg-import-plan-error-quark, cmg_import_plan_error)

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

G_DEFINE_FINAL_TYPE (CmgImportPlan, cmg_import_plan, G_TYPE_OBJECT)

enum {
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
};

static GParamSpec *properties[N_PROPS];

enum {
  CONFIRMATION_REQUESTED,
  CHANGE_SUMMARY,
  LINE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Backends older than this cannot import "uniform" generated_schema.jsonl files (convex-facts §2:
 * old self-hosted backends). The exact first version is not published; this is a conservative
 * floor, and an unparsable version gives no warning. */
#define UNIFORM_MIN_BACKEND_MAJOR 1
#define UNIFORM_MIN_BACKEND_MINOR 10

static void run_next_step (CmgImportPlan *self);
static void update_can_advance (CmgImportPlan *self);

/* --- enums --- */

static const char * const outcome_names[] = {
  "none", "succeeded", "failed", "declined", "cancelled", "continues-on-server",
};

const char *
cmg_import_outcome_to_string (CmgImportOutcome outcome)
{
  if ((guint)outcome < G_N_ELEMENTS (outcome_names))
    return outcome_names[outcome];
  return "none";
}

/* --- small helpers --- */

static CmgPlanStep *
step_at (CmgImportPlan   *self,
         CmgPlanStepKind  kind)
{
  g_autoptr(CmgPlanStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), kind);

  return step; /* the store keeps it alive */
}

static CmgDeployment *
target_deployment (CmgImportPlan *self)
{
  return cmg_connection_get_deployment (self->connection);
}

static CmgDeploymentType
target_type (CmgImportPlan *self)
{
  CmgDeployment *deployment = target_deployment (self);

  return deployment != NULL ? cmg_deployment_get_deployment_type (deployment) : CMG_DEPLOYMENT_TYPE_UNKNOWN;
}

static char *
dup_target_identity (CmgImportPlan *self)
{
  CmgDeployment *deployment = target_deployment (self);

  if (deployment == NULL)
    return g_strdup (cmg_connection_get_title (self->connection));
  if (cmg_deployment_get_name (deployment) != NULL)
    return g_strdup (cmg_deployment_get_name (deployment));
  if (cmg_deployment_get_url (deployment) != NULL)
    return g_strdup (cmg_deployment_get_url (deployment));
  return cmg_deployment_dup_display_name (deployment);
}

static void
set_outcome (CmgImportPlan    *self,
             CmgImportOutcome  outcome,
             const char       *message)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->outcome != outcome)
    {
      self->outcome = outcome;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_OUTCOME]);
    }
  if (cmg_set_str (&self->result_message, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULT_MESSAGE]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
set_running (CmgImportPlan *self,
             gboolean       running)
{
  if (self->running == running)
    return;
  self->running = running;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  update_can_advance (self);
}

static void
set_awaiting (CmgImportPlan *self,
              gboolean       awaiting,
              const char    *prompt)
{
  g_object_freeze_notify (G_OBJECT (self));
  if (self->awaiting_answer != awaiting)
    {
      self->awaiting_answer = awaiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AWAITING_ANSWER]);
    }
  if (cmg_set_str (&self->prompt, prompt))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROMPT]);
  g_object_thaw_notify (G_OBJECT (self));
  update_can_advance (self);
}

static CmgPlanStep *
first_open_step (CmgImportPlan *self)
{
  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    {
      CmgPlanStep *step = step_at (self, i);
      CmgPlanStepState state = cmg_plan_step_get_state (step);

      if (state == CMG_PLAN_STEP_STATE_PENDING || state == CMG_PLAN_STEP_STATE_RUNNING)
        return step;
    }
  return NULL;
}

static void
sync_current_page (CmgImportPlan *self)
{
  CmgPlanStep *step = first_open_step (self);
  CmgPlanPage page = step != NULL ? cmg_plan_step_kind_get_page (cmg_plan_step_get_kind (step))
                                  : CMG_PLAN_PAGE_RESULT;

  if (self->current_page != page)
    {
      self->current_page = page;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_PAGE]);
    }
}

static CmgPlanTable *
find_table (CmgImportPlan *self,
            const char    *component,
            const char    *name)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tables));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (G_LIST_MODEL (self->tables), i);

      if (g_str_equal (cmg_plan_table_get_name (table), name) &&
          (component == NULL || g_str_equal (cmg_plan_table_get_component (table), component)))
        return table;
    }
  return NULL;
}

/* Each table's effect under the chosen mode, and whether the server will ask before deleting. */
static void
update_effects (CmgImportPlan *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tables));
  gboolean will_ask = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (G_LIST_MODEL (self->tables), i);
      CmgTableEffect effect = cmg_table_effect_for_mode (self->mode,
                                                         cmg_plan_table_get_archive_documents (table),
                                                         cmg_plan_table_get_target_documents (table),
                                                         self->target_known);

      cmg_plan_table_set_effect (table, effect);
      if ((effect == CMG_TABLE_EFFECT_REPLACED || effect == CMG_TABLE_EFFECT_EMPTIED ||
           effect == CMG_TABLE_EFFECT_DELETED) &&
          (!self->target_known || cmg_plan_table_get_target_documents (table) > 0))
        will_ask = TRUE;
    }

  /* Replacing also deletes the target's stored files when the archive carries _storage
   * (replace) or always (replace-all). */
  if (self->target_known && self->backup_storage_files > 0)
    {
      gboolean archive_storage = self->snapshot != NULL &&
                                 cmg_snapshot_get_storage_files (self->snapshot)->len > 0;

      if (self->mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL ||
          (self->mode == CMG_CLI_IMPORT_MODE_REPLACE && archive_storage))
        will_ask = TRUE;
    }

  if (self->mode == CMG_CLI_IMPORT_MODE_REPLACE || self->mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL)
    will_ask = will_ask || !self->target_known;
  else
    will_ask = FALSE;

  if (self->will_ask != will_ask)
    {
      self->will_ask = will_ask;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WILL_ASK]);
    }
}

char *
cmg_import_plan_dup_mode_description (CmgImportPlan *self)
{
  g_autofree char *target = NULL;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  update_effects (self);
  target = dup_target_identity (self);
  return cmg_import_mode_dup_description (self->mode, target, G_LIST_MODEL (self->tables),
                                          self->target_known);
}

static void
refresh_mode_detail (CmgImportPlan *self)
{
  g_autofree char *description = cmg_import_plan_dup_mode_description (self);

  cmg_plan_step_set_detail (step_at (self, CMG_PLAN_STEP_MODE), description);
}

/* --- the plan's record in the history --- */

char *
cmg_import_plan_dup_summary (CmgImportPlan *self)
{
  g_autofree char *source_name = NULL;
  g_autofree char *target = NULL;
  GString *text;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  source_name = g_file_get_basename (self->source);
  target = dup_target_identity (self);
  text = g_string_new (NULL);

  /* Translators: source file, deployment, mode flag ("replace") */
  g_string_append_printf (text, self->is_undo ? _("Undo: import %s into %s (%s)") : _("Import %s into %s (%s)"),
                          source_name, target, cmg_import_mode_get_flag (self->mode));
  g_string_append_c (text, '\n');

  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    {
      CmgPlanStep *step = step_at (self, i);
      const char *reason = cmg_plan_step_get_reason (step);

      g_string_append_printf (text, "%-8s %-8s %s%s%s\n",
                              cmg_plan_step_kind_to_string (i),
                              cmg_plan_step_state_to_string (cmg_plan_step_get_state (step)),
                              cmg_plan_step_get_title (step),
                              reason != NULL ? ": " : "",
                              reason != NULL ? reason : "");
    }

  if (self->backup_file != NULL)
    {
      g_autofree char *path = g_file_get_path (self->backup_file);

      /* Translators: %s is the path of a backup file */
      g_string_append_printf (text, _("Backup: %s"), path);
      g_string_append_c (text, '\n');
    }

  g_string_append_printf (text, _("Outcome: %s"), cmg_import_outcome_to_string (self->outcome));
  if (self->result_message != NULL)
    g_string_append_printf (text, " (%s)", self->result_message);
  g_string_append_c (text, '\n');

  return g_string_free (text, FALSE);
}

static void
record_plan (CmgImportPlan *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *title = NULL;
  g_autofree char *source_name = NULL;
  g_autofree char *target = NULL;
  CmgDeployment *deployment;
  g_autoptr(CmgRunRecord) record = NULL;
  CmgRunOutcome outcome;

  if (self->history == NULL || self->recorded)
    return;
  self->recorded = TRUE;

  deployment = target_deployment (self);
  source_name = g_file_get_basename (self->source);
  target = dup_target_identity (self);
  title = g_strdup_printf ("import-plan %s → %s --%s", source_name, target, cmg_import_mode_get_flag (self->mode));
  record = cmg_run_history_begin (self->history, "import-plan", title,
                                  deployment != NULL ? cmg_deployment_get_name (deployment) : NULL,
                                  cmg_deployment_type_to_string (target_type (self)), &error);
  if (record == NULL)
    {
      g_warning ("Could not record the import plan: %s", error->message);
      return;
    }

  summary = cmg_import_plan_dup_summary (self);
  if (!g_file_set_contents (cmg_run_record_get_log_path (record), summary, -1, &error))
    {
      g_warning ("Could not write the import plan's summary: %s", error->message);
      g_clear_error (&error);
    }

  switch (self->outcome)
    {
    case CMG_IMPORT_OUTCOME_SUCCEEDED:
      outcome = CMG_RUN_OUTCOME_SUCCEEDED;
      break;
    case CMG_IMPORT_OUTCOME_DECLINED:
    case CMG_IMPORT_OUTCOME_CANCELLED:
      outcome = CMG_RUN_OUTCOME_CANCELLED;
      break;
    case CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER:
      outcome = CMG_RUN_OUTCOME_CONTINUES_ON_SERVER;
      break;
    case CMG_IMPORT_OUTCOME_FAILED:
    case CMG_IMPORT_OUTCOME_NONE:
    default:
      outcome = CMG_RUN_OUTCOME_FAILED;
      break;
    }

  if (!cmg_run_history_finish (self->history, record, outcome, -1, self->continue_url,
                               self->result_message, &error))
    g_warning ("Could not record the import plan: %s", error->message);
}

static void
set_finished (CmgImportPlan *self)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  g_clear_handle_id (&self->elapsed_source, g_source_remove);
  sync_current_page (self);
  record_plan (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FINISHED]);
  update_can_advance (self);
}

/* --- completing steps --- */

static void
complete_page (CmgImportPlan *self,
               GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->page_task);

  if (self->caller_cancellable != NULL)
    {
      g_cancellable_disconnect (self->caller_cancellable, self->caller_cancelled_id);
      self->caller_cancelled_id = 0;
      g_clear_object (&self->caller_cancellable);
    }

  sync_current_page (self);
  set_running (self, FALSE);
  update_can_advance (self);

  if (task == NULL)
    {
      g_clear_error (&error);
      return;
    }
  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

/* Every later step is skipped, RESULT tells what happened. */
static void
stop_plan (CmgImportPlan    *self,
           CmgPlanStepKind   from,
           CmgImportOutcome  outcome,
           const char       *message)
{
  set_outcome (self, outcome, message);

  for (guint i = from; i < CMG_PLAN_STEP_RESULT; i++)
    {
      CmgPlanStep *step = step_at (self, i);

      if (cmg_plan_step_get_state (step) == CMG_PLAN_STEP_STATE_PENDING)
        cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_SKIPPED,
                                 outcome == CMG_IMPORT_OUTCOME_CANCELLED ? _("Cancelled") : _("An earlier step failed"));
    }

  cmg_plan_step_set_state (step_at (self, CMG_PLAN_STEP_RESULT),
                           outcome == CMG_IMPORT_OUTCOME_FAILED ? CMG_PLAN_STEP_STATE_FAILED : CMG_PLAN_STEP_STATE_DONE,
                           message);
  set_finished (self);
}

/* A step's work ended. Input errors leave the step pending (the user fixes the input); others
 * fail the step and the plan. */
static void
step_finished (CmgImportPlan    *self,
               CmgPlanStepKind   kind,
               CmgPlanStepState  state,
               const char       *reason,
               GError           *error)
{
  CmgPlanStep *step = step_at (self, kind);

  if (error != NULL)
    {
      if (error->domain == CMG_IMPORT_PLAN_ERROR &&
          (error->code == CMG_IMPORT_PLAN_ERROR_NEEDS_INPUT || error->code == CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED))
        cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_PENDING, error->message);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_FAILED, _("Cancelled"));
          stop_plan (self, kind + 1, CMG_IMPORT_OUTCOME_CANCELLED,
                     _("Cancelled before the import started: nothing was changed."));
        }
      else
        {
          cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_FAILED, error->message);
          stop_plan (self, kind + 1, CMG_IMPORT_OUTCOME_FAILED, error->message);
        }
      complete_page (self, error);
      return;
    }

  cmg_plan_step_set_state (step, state, reason);
  run_next_step (self);
}

/* --- SOURCE --- */

typedef struct {
  GFile         *source;
  char         **selected;
  char          *temp_dir;
  gboolean       single_file;
  CmgSnapshot   *snapshot;      /* the file to import, opened and counted */
  CmgValidation *validation;    /* of the source */
  GFile         *import_file;
} SourceWork;

static void
source_work_free (SourceWork *work)
{
  g_clear_object (&work->source);
  g_strfreev (work->selected);
  g_free (work->temp_dir);
  g_clear_object (&work->snapshot);
  g_clear_object (&work->validation);
  g_clear_object (&work->import_file);
  g_free (work);
}

static gboolean
finding_matters (CmgFinding  *finding,
                 char       **selected)
{
  g_autofree char *qualified = NULL;

  if (finding->severity != CMG_FINDING_ERROR)
    return FALSE;
  if (selected == NULL || finding->table == NULL || finding->table[0] == '\0')
    return TRUE;
  qualified = finding->component != NULL && finding->component[0] != '\0'
              ? g_strconcat (finding->component, ":", finding->table, NULL)
              : g_strdup (finding->table);
  return g_strv_contains ((const char * const *)selected, qualified);
}

static void
source_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  SourceWork *work = task_data;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(CmgValidation) validation = NULL;
  g_autoptr(GString) problems = NULL;
  GError *error = NULL;
  GPtrArray *findings;
  guint n_errors = 0;

  snapshot = cmg_snapshot_open (work->source, &error);
  if (snapshot == NULL || !cmg_snapshot_count (snapshot, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  if (cmg_snapshot_get_kind (snapshot) == CMG_SNAPSHOT_KIND_JSON && cmg_snapshot_exceeds_cli_json_limit (snapshot))
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_SOURCE,
                               _("This JSON file is larger than the 8 MiB the CLI accepts. Convert it to JSON Lines (one document a line), which has no limit."));
      return;
    }

  if (work->selected != NULL && cmg_snapshot_get_kind (snapshot) != CMG_SNAPSHOT_KIND_ZIP)
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_SOURCE,
                               _("Only an export ZIP can be restored partially; this file holds a single table."));
      return;
    }

  for (guint i = 0; work->selected != NULL && work->selected[i] != NULL; i++)
    {
      const char *name = work->selected[i];
      const char *colon = strrchr (name, ':');
      g_autofree char *component = colon != NULL ? g_strndup (name, colon - name) : g_strdup ("");

      if (cmg_snapshot_find_table (snapshot, component, colon != NULL ? colon + 1 : name) == NULL)
        {
          g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_SOURCE,
                                   /* Translators: %s is a table name */
                                   _("The archive has no table “%s”. Choose the tables again."), name);
          return;
        }
    }

  validation = cmg_validation_check_snapshot (snapshot, NULL, cancellable, &error);
  if (validation == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  findings = cmg_validation_get_findings (validation);
  problems = g_string_new (NULL);
  for (guint i = 0; i < findings->len; i++)
    {
      CmgFinding *finding = g_ptr_array_index (findings, i);

      if (!finding_matters (finding, work->selected))
        continue;
      if (n_errors++ < 5)
        {
          if (finding->line > 0)
            g_string_append_printf (problems, "\n• %s, %s %" G_GUINT64_FORMAT ": %s",
                                    finding->table, _("line"), finding->line, finding->message);
          else
            g_string_append_printf (problems, "\n• %s%s%s", finding->table != NULL ? finding->table : "",
                                    finding->table != NULL && finding->table[0] != '\0' ? ": " : "",
                                    finding->message);
        }
    }

  if (n_errors > 0)
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_SOURCE,
                               /* Translators: %u is a number of problems, %s the list of the first ones */
                               g_dngettext (GETTEXT_PACKAGE,
                                            "The archive has %u problem that would make the import fail or change data:%s",
                                            "The archive has %u problems that would make the import fail or change data:%s",
                                            n_errors),
                               n_errors, problems->str);
      return;
    }

  work->validation = g_steal_pointer (&validation);

  if (work->selected != NULL)
    {
      g_autofree char *basename = g_file_get_basename (work->source);
      g_autofree char *stem = g_strndup (basename, strlen (basename) - (g_str_has_suffix (basename, ".zip") ? 4 : 0));
      g_autofree char *name = g_strdup_printf ("%s-partial.zip", stem);
      g_autofree char *path = NULL;
      g_autoptr(GFile) destination = NULL;

      work->temp_dir = g_dir_make_tmp ("convex-migrate-XXXXXX", &error);
      if (work->temp_dir == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      path = g_build_filename (work->temp_dir, name, NULL);
      destination = g_file_new_for_path (path);

      if (!cmg_repack (snapshot, (const char * const *)work->selected, FALSE, destination, NULL, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      g_clear_object (&snapshot);
      snapshot = cmg_snapshot_open (destination, &error);
      if (snapshot == NULL || !cmg_snapshot_count (snapshot, cancellable, &error))
        {
          g_task_return_error (task, error);
          return;
        }
      work->import_file = g_steal_pointer (&destination);
    }
  else
    work->import_file = g_object_ref (work->source);

  work->snapshot = g_steal_pointer (&snapshot);
  g_task_return_boolean (task, TRUE);
}

static gboolean
looks_single_file (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, ".jsonl") || g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".csv");
}

static gboolean
extension_tells_format (GFile *file)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *lower = g_ascii_strdown (name, -1);

  return g_str_has_suffix (lower, ".zip") || g_str_has_suffix (lower, ".jsonl") ||
         g_str_has_suffix (lower, ".json") || g_str_has_suffix (lower, ".csv");
}

static CmgCliImportFormat
format_for_kind (CmgSnapshotKind kind)
{
  switch (kind)
    {
    case CMG_SNAPSHOT_KIND_JSONL:
      return CMG_CLI_IMPORT_FORMAT_JSON_LINES;
    case CMG_SNAPSHOT_KIND_JSON:
      return CMG_CLI_IMPORT_FORMAT_JSON_ARRAY;
    case CMG_SNAPSHOT_KIND_CSV:
      return CMG_CLI_IMPORT_FORMAT_CSV;
    case CMG_SNAPSHOT_KIND_ZIP:
    default:
      return CMG_CLI_IMPORT_FORMAT_ZIP;
    }
}

static void remove_temp_dir (const char *dir);

/* The plan owns the folder of a repacked subset; an earlier one (before Back) goes. */
static void
adopt_temp_dir (CmgImportPlan *self,
                SourceWork    *work)
{
  if (work->temp_dir == NULL)
    return;
  if (self->temp_dir != NULL)
    remove_temp_dir (self->temp_dir);
  g_free (self->temp_dir);
  self->temp_dir = g_steal_pointer (&work->temp_dir);
}

static void
source_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);
  SourceWork *work = g_task_get_task_data (G_TASK (result));
  g_autoptr(GString) reason = NULL;
  GError *error = NULL;
  GListModel *tables;
  guint n;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      adopt_temp_dir (self, work);
      step_finished (self, CMG_PLAN_STEP_SOURCE, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
      return;
    }

  if (cmg_snapshot_get_kind (work->snapshot) != CMG_SNAPSHOT_KIND_ZIP &&
      (self->table_name == NULL || *self->table_name == '\0'))
    {
      step_finished (self, CMG_PLAN_STEP_SOURCE, CMG_PLAN_STEP_STATE_PENDING, NULL,
                     g_error_new_literal (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NEEDS_INPUT,
                                          _("Enter the name of the table to import this file into.")));
      return;
    }

  g_set_object (&self->snapshot, work->snapshot);
  g_set_object (&self->validation, work->validation);
  g_set_object (&self->import_file, work->import_file);
  adopt_temp_dir (self, work);

  self->effective_format = self->format;
  if (self->format == CMG_CLI_IMPORT_FORMAT_AUTO && !extension_tells_format (self->source))
    self->effective_format = format_for_kind (cmg_snapshot_get_kind (self->snapshot));

  g_list_store_remove_all (self->tables);
  tables = cmg_snapshot_get_tables (self->snapshot);
  n = g_list_model_get_n_items (tables);
  reason = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      g_autoptr(CmgPlanTable) plan_table = NULL;
      const char *name = cmg_table_get_name (table);
      const char *component = cmg_table_get_component (table);

      /* A single file lands in the table the user named, inside the chosen component. */
      if (cmg_snapshot_get_kind (self->snapshot) != CMG_SNAPSHOT_KIND_ZIP)
        {
          name = self->table_name;
          component = self->component != NULL ? self->component : "";
        }
      plan_table = cmg_plan_table_new (component, name);
      cmg_plan_table_set_archive_documents (plan_table, cmg_table_get_documents (table));
      g_list_store_append (self->tables, plan_table);
    }

  /* Translators: %u is a number of tables */
  g_string_printf (reason, g_dngettext (GETTEXT_PACKAGE, "%u table, checked", "%u tables, checked", n), n);
  if (cmg_validation_get_severity_count (self->validation, CMG_FINDING_WARNING) > 0)
    {
      g_string_append (reason, "; ");
      g_autofree char *count = g_strdup_printf ("%" G_GUINT64_FORMAT,
                                                cmg_validation_get_severity_count (self->validation, CMG_FINDING_WARNING));

      /* Translators: %s is a number of warnings */
      g_string_append_printf (reason, _("%s warnings: see the check"), count);
    }
  if (self->selected_tables != NULL)
    {
      g_autofree char *list = g_strjoinv (", ", self->selected_tables);

      g_string_append (reason, "; ");
      /* Translators: %s is a list of table names */
      g_string_append_printf (reason, _("restoring only %s"), list);
    }
  update_effects (self);
  step_finished (self, CMG_PLAN_STEP_SOURCE, CMG_PLAN_STEP_STATE_DONE, reason->str, NULL);
}

static void
run_source (CmgImportPlan *self)
{
  g_autoptr(GTask) task = NULL;
  SourceWork *work;

  work = g_new0 (SourceWork, 1);
  work->source = g_object_ref (self->source);
  work->selected = g_strdupv (self->selected_tables);

  task = g_task_new (self, self->cancellable, source_done, NULL);
  g_task_set_source_tag (task, run_source);
  g_task_set_task_data (task, work, (GDestroyNotify)source_work_free);
  g_task_run_in_thread (task, source_thread);
}

/* --- TARGET --- */

static gboolean
version_too_old (const char *version)
{
  guint64 major, minor;
  char *end;

  if (version == NULL || !g_ascii_isdigit (version[0]))
    return FALSE;
  major = g_ascii_strtoull (version, &end, 10);
  if (*end != '.' || !g_ascii_isdigit (end[1]))
    return FALSE;
  minor = g_ascii_strtoull (end + 1, NULL, 10);
  return major < UNIFORM_MIN_BACKEND_MAJOR ||
         (major == UNIFORM_MIN_BACKEND_MAJOR && minor < UNIFORM_MIN_BACKEND_MINOR);
}

static gboolean
archive_uses_uniform (CmgImportPlan *self)
{
  GListModel *tables;
  guint n;

  if (self->snapshot == NULL)
    return FALSE;
  tables = cmg_snapshot_get_tables (self->snapshot);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      if (cmg_table_get_schema (table) == CMG_TABLE_SCHEMA_UNIFORM)
        return TRUE;
    }
  return FALSE;
}

/* `snapshot_<name>_<ts>.zip` (the CLI's and the dashboard's name) or the plan's own backups. */
static gboolean
archive_named_after (GFile      *file,
                     const char *name)
{
  g_autofree char *basename = NULL;
  g_autofree char *snapshot_prefix = NULL;
  g_autofree char *backup_prefix = NULL;

  if (name == NULL || *name == '\0')
    return FALSE;
  basename = g_file_get_basename (file);
  snapshot_prefix = g_strdup_printf ("snapshot_%s_", name);
  backup_prefix = g_strdup_printf ("backup_%s_", name);
  return g_str_has_prefix (basename, snapshot_prefix) || g_str_has_prefix (basename, backup_prefix);
}

static void
add_warning (CmgImportPlan       *self,
             const char          *code,
             CmgConflictSeverity  severity,
             const char          *message)
{
  g_ptr_array_add (self->warnings, cmg_conflict_new (code, severity, message));
}

static void
finish_target (CmgImportPlan *self)
{
  CmgDeployment *deployment = target_deployment (self);
  const char *name = deployment != NULL ? cmg_deployment_get_name (deployment) : NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *identity = dup_target_identity (self);
  g_autofree char *reason = NULL;
  const CmgConflict *blocking = NULL;

  if (self->probe_result != NULL)
    {
      if (!self->probe_result->reachable)
        add_warning (self, "target-unreachable", CMG_CONFLICT_SEVERITY_WARNING, self->probe_result->message);
      else if (!self->probe_result->name_matches)
        add_warning (self, "target-name-mismatch", CMG_CONFLICT_SEVERITY_ERROR, self->probe_result->message);

      if (archive_uses_uniform (self) && version_too_old (self->probe_result->version))
        {
          g_autofree char *message =
            /* Translators: %s is a backend version such as 1.2.0 */
            g_strdup_printf (_("The target's backend (version %s) is too old for this archive's format: the import "
                               "would fail on its generated_schema.jsonl files. Upgrade the backend first."),
                             self->probe_result->version);

          add_warning (self, "backend-too-old", CMG_CONFLICT_SEVERITY_WARNING, message);
        }
    }

  if (!self->is_undo &&
      (archive_named_after (self->source, name) ||
       (self->probe_result != NULL && archive_named_after (self->source, self->probe_result->instance_name))))
    {
      g_autofree char *message =
        /* Translators: %s is a deployment name */
        g_strdup_printf (_("The archive's file name says it was exported from %s, the very deployment you are importing into. "
                           "Make sure this is the deployment you mean to change."),
                         identity);

      add_warning (self, "same-deployment", CMG_CONFLICT_SEVERITY_WARNING, message);
    }

  for (guint i = 0; i < self->warnings->len; i++)
    {
      const CmgConflict *warning = g_ptr_array_index (self->warnings, i);

      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      g_string_append_printf (detail, "• %s", warning->message);
      if (warning->severity == CMG_CONFLICT_SEVERITY_ERROR && blocking == NULL)
        blocking = warning;
    }
  cmg_plan_step_set_detail (step_at (self, CMG_PLAN_STEP_TARGET), detail->len > 0 ? detail->str : NULL);

  if (blocking != NULL)
    {
      step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_FAILED, NULL,
                     g_error_new_literal (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_TARGET, blocking->message));
      return;
    }

  /* Translators: %s is the deployment, then its type ("PRODUCTION", "Development") */
  reason = g_strdup_printf (_("%s (%s)"), identity, cmg_deployment_type_get_label (target_type (self)));
  if (self->warnings->len > 0)
    {
      g_autofree char *with = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u warning", "%s, %u warnings",
                                                            self->warnings->len),
                                               reason, self->warnings->len);
      g_free (reason);
      reason = g_steal_pointer (&with);
    }
  step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_DONE, reason, NULL);
}

static void
probe_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CmgImportPlan) self = user_data;
  g_autoptr(GError) error = NULL;
  CmgProbeResult *probe_result;

  probe_result = cmg_probe_check_finish (CMG_PROBE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_FAILED, NULL, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->probe_result, cmg_probe_result_free);
  self->probe_result = probe_result;
  if (error != NULL)
    add_warning (self, "probe-failed", CMG_CONFLICT_SEVERITY_WARNING, error->message);
  finish_target (self);
}

static void
run_target (CmgImportPlan *self)
{
  CmgDeployment *deployment = target_deployment (self);
  GPtrArray *conflicts = cmg_connection_get_conflicts (self->connection);
  g_autoptr(CmgProbe) probe = NULL;

  g_ptr_array_set_size (self->warnings, 0);
  g_clear_pointer (&self->probe_result, cmg_probe_result_free);

  if (deployment == NULL)
    {
      step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_FAILED, NULL,
                     g_error_new_literal (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_TARGET,
                                          _("This connection does not say which deployment to use. Choose another "
                                            "connection, or run npx convex dev once in the project.")));
      return;
    }

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    g_ptr_array_add (self->warnings, cmg_conflict_copy (g_ptr_array_index (conflicts, i)));

  if (cmg_deployment_get_url (deployment) == NULL)
    {
      finish_target (self);
      return;
    }

  probe = cmg_probe_new ();
  cmg_probe_set_timeout (probe, self->probe_timeout);
  cmg_probe_check_async (probe, cmg_deployment_get_url (deployment), cmg_deployment_get_name (deployment),
                         self->cancellable, probe_done, g_object_ref (self));
}

/* --- MODE --- */

static void
run_mode (CmgImportPlan *self)
{
  refresh_mode_detail (self);
  step_finished (self, CMG_PLAN_STEP_MODE, CMG_PLAN_STEP_STATE_DONE, cmg_import_mode_get_label (self->mode), NULL);
}

/* --- SAFETY: CONFIRM --- */

gboolean
cmg_import_plan_get_requires_typed_name (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), TRUE);

  switch (target_type (self))
    {
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
      return FALSE;
    case CMG_DEPLOYMENT_TYPE_PROD:
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      return TRUE;
    }
}

const char *
cmg_import_plan_get_expected_name (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  if (self->expected_name == NULL)
    self->expected_name = dup_target_identity (self);
  return self->expected_name;
}

static gboolean
confirmation_ok (CmgImportPlan  *self,
                 GError        **error)
{
  if (cmg_import_plan_get_requires_typed_name (self))
    {
      g_autofree char *typed = g_strstrip (g_strdup (self->typed_name != NULL ? self->typed_name : ""));

      if (!g_str_equal (typed, cmg_import_plan_get_expected_name (self)))
        {
          g_set_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED,
                       /* Translators: %s is the deployment name to type */
                       _("Type “%s” to confirm the target."), cmg_import_plan_get_expected_name (self));
          return FALSE;
        }
      return TRUE;
    }

  if (!self->confirmed)
    {
      g_set_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED,
                   /* Translators: %s is the deployment */
                   _("Confirm that you mean to import into %s."), cmg_import_plan_get_expected_name (self));
      return FALSE;
    }
  return TRUE;
}

static void
run_confirm (CmgImportPlan *self)
{
  GError *error = NULL;
  g_autofree char *reason = NULL;

  if (!confirmation_ok (self, &error))
    {
      step_finished (self, CMG_PLAN_STEP_CONFIRM, CMG_PLAN_STEP_STATE_PENDING, NULL, error);
      return;
    }

  reason = g_strdup_printf (cmg_import_plan_get_requires_typed_name (self)
                            /* Translators: %s is the deployment */
                            ? _("Name typed: %s") : _("Confirmed: %s"),
                            cmg_import_plan_get_expected_name (self));
  step_finished (self, CMG_PLAN_STEP_CONFIRM, CMG_PLAN_STEP_STATE_DONE, reason, NULL);
}

/* --- CLI commands of the plan --- */

static void
setup_command (CmgImportPlan *self,
               CmgCliCommand *command)
{
  cmg_cli_command_set_ci (command, self->ci);
  if (self->base_environ != NULL)
    cmg_cli_command_set_base_environ (command, (const char * const *)self->base_environ);
  if (self->program != NULL)
    cmg_cli_command_set_program (command, (const char * const *)self->program);
  for (guint i = 0; i + 1 < self->env->len; i += 2)
    cmg_cli_command_set_env (command, g_ptr_array_index (self->env, i), g_ptr_array_index (self->env, i + 1));
}

static void
forward_line (CmgCliRun     *run,
              guint          index,
              const char    *text,
              CmgImportPlan *self)
{
  g_signal_emit (self, signals[LINE_ADDED], 0, index, text);
}

/* --- SAFETY: BACKUP --- */

gboolean
cmg_import_plan_get_backup_required (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), TRUE);

  return self->mode == CMG_CLI_IMPORT_MODE_REPLACE || self->mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL;
}

char *
cmg_import_plan_dup_default_backups_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "convex-migrate", "backups", NULL);
}

static char *
safe_file_part (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; p != NULL && *p != '\0'; p++)
    g_string_append_c (out, g_ascii_isalnum (*p) || *p == '-' ? *p : '-');
  if (out->len == 0)
    g_string_append (out, "deployment");
  return g_string_free (out, FALSE);
}

/* A path that does not exist yet: exports never overwrite a file. */
static char *
new_backup_path (CmgImportPlan  *self,
                 GError        **error)
{
  CmgDeployment *deployment = target_deployment (self);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *name = NULL;
  const char *dir = self->backups_dir;
  g_autofree char *default_dir = NULL;

  if (dir == NULL)
    dir = default_dir = cmg_import_plan_dup_default_backups_dir ();

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BACKUP,
                   /* Translators: %s is a folder, then the system's reason */
                   _("The backups folder %s cannot be created (%s). Choose another folder in the preferences."),
                   dir, g_strerror (saved));
      return NULL;
    }

  name = safe_file_part (deployment != NULL && cmg_deployment_get_name (deployment) != NULL
                         ? cmg_deployment_get_name (deployment)
                         : (self->probe_result != NULL ? self->probe_result->instance_name : NULL));

  for (guint i = 1; i < 1000; i++)
    {
      g_autofree char *file = i == 1 ? g_strdup_printf ("backup_%s_%s.zip", name, stamp)
                                     : g_strdup_printf ("backup_%s_%s-%u.zip", name, stamp, i);
      g_autofree char *path = g_build_filename (dir, file, NULL);

      if (!g_file_test (path, G_FILE_TEST_EXISTS))
        return g_steal_pointer (&path);
    }

  g_set_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BACKUP,
               _("The backups folder %s is full of backups of this second. Try again."), dir);
  return NULL;
}

static void
backup_open_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  GFile *file = task_data;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  GError *error = NULL;

  snapshot = cmg_snapshot_open (file, &error);
  if (snapshot == NULL || !cmg_snapshot_count (snapshot, cancellable, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&snapshot), g_object_unref);
}

static void
backup_opened (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autofree char *path = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *count = NULL;
  GError *error = NULL;
  GListModel *tables;
  guint n;
  gint64 documents = 0;

  snapshot = g_task_propagate_pointer (G_TASK (result), &error);
  if (snapshot == NULL)
    {
      GError *wrapped;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
          return;
        }
      wrapped = g_error_new (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BACKUP,
                             /* Translators: %s is why the backup could not be read */
                             _("The backup was downloaded but cannot be read back (%s): the import will not start without a verified backup."),
                             error->message);
      g_error_free (error);
      step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, wrapped);
      return;
    }

  g_set_object (&self->backup_snapshot, snapshot);
  self->backup_storage_files = cmg_snapshot_get_storage_files (snapshot)->len;

  /* The backup is what the target holds now: the mode's explanation becomes exact. */
  self->target_known = TRUE;
  tables = cmg_snapshot_get_tables (snapshot);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      CmgPlanTable *plan_table = find_table (self, cmg_table_get_component (table), cmg_table_get_name (table));

      if (plan_table == NULL)
        {
          g_autoptr(CmgPlanTable) added = cmg_plan_table_new (cmg_table_get_component (table), cmg_table_get_name (table));

          g_list_store_append (self->tables, added);
          plan_table = added;
        }
      cmg_plan_table_set_target_documents (plan_table, cmg_table_get_documents (table));
      documents += MAX (cmg_table_get_documents (table), 0);
    }
  update_effects (self);
  refresh_mode_detail (self);

  path = g_file_get_path (self->backup_file);
  count = g_strdup_printf ("%" G_GINT64_FORMAT, documents);
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: path, then counts */
                                         "%s: verified, %u table, %s documents",
                                         "%s: verified, %u tables, %s documents", n),
                            path, n, count);
  step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_DONE, reason, NULL);
}

static void
backup_run_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmgImportPlan) self = user_data;
  g_autoptr(GTask) task = NULL;
  CmgCliRun *run = CMG_CLI_RUN (object);
  GError *error = NULL;
  CmgRunOutcome outcome;

  outcome = cmg_cli_run_start_finish (run, result, &error);
  g_signal_handlers_disconnect_by_func (run, forward_line, self);
  g_clear_object (&self->backup_run);

  if (error != NULL)
    {
      step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
      return;
    }
  if (outcome == CMG_RUN_OUTCOME_CANCELLED || g_cancellable_is_cancelled (self->cancellable))
    {
      step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }
  if (outcome != CMG_RUN_OUTCOME_SUCCEEDED || !g_file_query_exists (self->backup_file, NULL))
    {
      GListModel *events = cmg_cli_run_get_events (run);
      g_autofree char *why = NULL;

      for (guint i = g_list_model_get_n_items (events); why == NULL && i > 0; i--)
        {
          g_autoptr(CmgCliEvent) event = g_list_model_get_item (events, i - 1);

          if (cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_FAILURE ||
              cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_EXPORT_BUSY ||
              cmg_cli_event_get_kind (event) == CMG_CLI_EVENT_BAD_KEY)
            why = cmg_cli_event_get_detail (event) != NULL
                  ? g_strdup_printf ("%s: %s", cmg_cli_event_get_text (event), cmg_cli_event_get_detail (event))
                  : g_strdup (cmg_cli_event_get_text (event));
        }
      step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL,
                     g_error_new (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BACKUP,
                                  /* Translators: %s is the CLI's message */
                                  _("The backup export failed (%s). Nothing was imported; see the log, then try again."),
                                  why != NULL ? why : _("no message")));
      return;
    }

  task = g_task_new (self, self->cancellable, backup_opened, NULL);
  g_task_set_source_tag (task, backup_run_done);
  g_task_set_task_data (task, g_object_ref (self->backup_file), g_object_unref);
  g_task_run_in_thread (task, backup_open_thread);
}

static void
run_backup (CmgImportPlan *self)
{
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (!cmg_import_plan_get_backup_required (self) && !self->backup_wanted)
    {
      /* Translators: %s is the mode flag, e.g. "append" */
      g_autofree char *reason = g_strdup_printf (_("Not required for %s, and not chosen"), cmg_import_mode_get_flag (self->mode));

      step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_SKIPPED, reason, NULL);
      return;
    }

  path = new_backup_path (self, &error);
  if (path == NULL)
    {
      step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
      return;
    }
  g_clear_object (&self->backup_file);
  self->backup_file = g_file_new_for_path (path);
  g_clear_object (&self->backup_snapshot);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKUP_FILE]);

  command = cmg_cli_command_new_export (self->connection, self->project_dir, path, TRUE);
  setup_command (self, command);
  self->backup_run = cmg_cli_run_new (command, FALSE);
  if (self->history != NULL)
    cmg_cli_run_set_history (self->backup_run, self->history);
  g_signal_connect (self->backup_run, "line-added", G_CALLBACK (forward_line), self);
  cmg_cli_run_start_async (self->backup_run, NULL, backup_run_done, g_object_ref (self));
}

/* --- SAFETY: SCHEMA --- */

const char *
cmg_import_plan_get_schema_reminder (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  if (self->schema_reminder != NULL)
    return self->schema_reminder;

  switch (target_type (self))
    {
    case CMG_DEPLOYMENT_TYPE_PROD:
      self->schema_reminder = g_strdup (_("The target must run the schema.ts that matches this data, or documents are refused. "
                                          "Production gets its schema from a deploy: npx convex deploy."));
      break;
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
      self->schema_reminder = g_strdup (_("The target must run the schema.ts that matches this data, or documents are refused. "
                                          "A preview deployment gets its schema from the branch's deploy (npx convex deploy with a preview key)."));
      break;
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      self->schema_reminder = g_strdup (_("The target must run the schema.ts that matches this data, or documents are refused. "
                                          "Push it from the project folder with: npx convex dev --once"));
      break;
    }
  return self->schema_reminder;
}

static void
run_schema (CmgImportPlan *self)
{
  cmg_plan_step_set_detail (step_at (self, CMG_PLAN_STEP_SCHEMA), cmg_import_plan_get_schema_reminder (self));
  step_finished (self, CMG_PLAN_STEP_SCHEMA, CMG_PLAN_STEP_STATE_DONE, _("Reminder shown"), NULL);
}

/* --- SAFETY: NOTIFY --- */

static void
webhook_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CmgImportPlan) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  status = cmg_plan_notify_post_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      step_finished (self, CMG_PLAN_STEP_NOTIFY, CMG_PLAN_STEP_STATE_FAILED, NULL, g_steal_pointer (&error));
      return;
    }

  self->webhook_status = status;
  g_free (self->webhook_result);
  if (error != NULL)
    self->webhook_result = g_strdup (error->message);
  else
    /* Translators: %u is an HTTP status */
    self->webhook_result = g_strdup_printf (_("Sent to the webhook (HTTP %u)"), status);

  /* A heads-up that did not go out does not block the import; the message is there to copy. */
  step_finished (self, CMG_PLAN_STEP_NOTIFY, CMG_PLAN_STEP_STATE_DONE, self->webhook_result, NULL);
}

static void
run_notify (CmgImportPlan *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *source_name = g_file_get_basename (self->source);
  g_autofree char *identity = dup_target_identity (self);
  g_autofree char *backup_path = self->backup_file != NULL ? g_file_get_path (self->backup_file) : NULL;

  g_free (self->notify_message);
  self->notify_message = cmg_plan_notify_build_message (source_name,
                                                        cmg_import_mode_get_label (self->mode),
                                                        identity,
                                                        cmg_deployment_type_get_label (target_type (self)),
                                                        now, backup_path);
  cmg_plan_step_set_detail (step_at (self, CMG_PLAN_STEP_NOTIFY), self->notify_message);
  self->webhook_status = 0;
  g_clear_pointer (&self->webhook_result, g_free);

  if (self->webhook_url == NULL)
    {
      step_finished (self, CMG_PLAN_STEP_NOTIFY, CMG_PLAN_STEP_STATE_DONE, _("Message ready to copy"), NULL);
      return;
    }

  cmg_plan_notify_post_async (self->webhook_url, self->notify_message, 10, self->cancellable,
                              webhook_done, g_object_ref (self));
}

/* --- REVIEW and RUN --- */

static gboolean
review_pending (CmgImportPlan *self)
{
  return cmg_plan_step_get_state (step_at (self, CMG_PLAN_STEP_REVIEW)) == CMG_PLAN_STEP_STATE_RUNNING;
}

static void
finish_review (CmgImportPlan    *self,
               CmgPlanStepState  state,
               const char       *reason)
{
  if (!review_pending (self))
    return;
  step_finished (self, CMG_PLAN_STEP_REVIEW, state, reason, NULL);
}

static void
fill_changes (CmgImportPlan *self,
              CmgCliEvent   *event)
{
  GPtrArray *rows = cmg_cli_event_get_rows (event);

  g_list_store_remove_all (self->changes);
  for (guint i = 0; i < rows->len; i++)
    {
      CmgCliChangeRow *row = g_ptr_array_index (rows, i);
      const char *component = row->component != NULL ? row->component : "";
      CmgPlanTable *table = find_table (self, component, row->table);
      g_autoptr(CmgPlanTable) added = NULL;

      if (table == NULL)
        table = added = cmg_plan_table_new (component, row->table);
      cmg_plan_table_set_change (table, row->create, row->delete, row->of);
      g_list_store_append (self->changes, table);
    }
  self->saw_summary = TRUE;
  g_signal_emit (self, signals[CHANGE_SUMMARY], 0);
}

static void
on_run_event (CmgCliRun     *run,
              CmgCliEvent   *event,
              CmgImportPlan *self)
{
  CmgCliEventKind kind = cmg_cli_event_get_kind (event);

  switch (kind)
    {
    case CMG_CLI_EVENT_CHANGE_SUMMARY:
      fill_changes (self, event);
      return;

    case CMG_CLI_EVENT_PROMPT:
      set_awaiting (self, TRUE, cmg_cli_event_get_text (event));
      g_signal_emit (self, signals[CONFIRMATION_REQUESTED], 0, cmg_cli_event_get_text (event));
      return;

    case CMG_CLI_EVENT_PROGRESS:
      {
        const char *name = cmg_cli_event_get_table (event);
        CmgPlanTable *table = NULL;

        if (name != NULL)
          {
            const char *colon = strrchr (name, ':');

            if (colon != NULL)
              {
                g_autofree char *component = g_strndup (name, colon - name);

                table = find_table (self, component, colon + 1);
              }
            if (table == NULL)
              table = find_table (self, self->component != NULL ? self->component : "", name);
            if (table == NULL)
              table = find_table (self, NULL, name);
          }
        if (table != NULL && cmg_cli_event_get_count (event) >= 0)
          cmg_plan_table_set_written (table, cmg_cli_event_get_count (event));
      }
      break;

    case CMG_CLI_EVENT_FAILURE:
      g_free (self->failure_text);
      self->failure_text = cmg_cli_event_get_detail (event) != NULL
                           ? g_strdup (cmg_cli_event_get_detail (event))
                           : g_strdup (cmg_cli_event_get_text (event));
      break;

    case CMG_CLI_EVENT_BAD_KEY:
      if (self->failure_text == NULL)
        self->failure_text = g_strdup (cmg_cli_event_get_text (event));
      self->problem = CMG_IMPORT_PROBLEM_BAD_KEY;
      break;

    case CMG_CLI_EVENT_CONTINUES_ON_SERVER:
      cmg_set_str (&self->continue_url, cmg_cli_event_get_url (event));
      break;

    default:
      break;
    }

  /* Without a prompt after the summary, the server went ahead: nothing is deleted. */
  if (review_pending (self) && self->saw_summary && !self->awaiting_answer &&
      kind != CMG_CLI_EVENT_FINISHED && cmg_cli_run_get_server_started (run))
    finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("The server did not ask: nothing is deleted"));
}

static gboolean
elapsed_tick (gpointer user_data)
{
  CmgImportPlan *self = user_data;

  self->elapsed_ms = (g_get_monotonic_time () - self->start_time) / 1000;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
  return G_SOURCE_CONTINUE;
}

static void finish_run (CmgImportPlan *self);

static void
import_run_done (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmgImportPlan) self = user_data;
  g_autoptr(GError) error = NULL;
  CmgRunOutcome outcome;

  outcome = cmg_cli_run_start_finish (CMG_CLI_RUN (object), result, &error);
  self->run_ended = TRUE;
  g_clear_handle_id (&self->elapsed_source, g_source_remove);
  self->elapsed_ms = (g_get_monotonic_time () - self->start_time) / 1000;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ELAPSED_MS]);
  set_awaiting (self, FALSE, NULL);

  if (error != NULL)
    {
      /* The CLI could not even start: no node, no project… The message says what to do. */
      cmg_set_str (&self->failure_text, error->message);
      set_outcome (self, CMG_IMPORT_OUTCOME_FAILED, error->message);
    }
  else
    switch (outcome)
      {
      case CMG_RUN_OUTCOME_SUCCEEDED:
        {
          g_autofree char *message = NULL;
          g_autofree char *count = NULL;
          gint64 written = 0;

          for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->tables)); i++)
            {
              g_autoptr(CmgPlanTable) table = g_list_model_get_item (G_LIST_MODEL (self->tables), i);

              written += MAX (cmg_plan_table_get_written_documents (table), 0);
            }
          count = g_strdup_printf ("%" G_GINT64_FORMAT, written);
          message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                  /* Translators: %s is a number of documents */
                                                  "The import finished: %s document written.",
                                                  "The import finished: %s documents written.",
                                                  (gulong)MIN (written, G_MAXLONG)),
                                     count);
          set_outcome (self, CMG_IMPORT_OUTCOME_SUCCEEDED, message);
        }
        break;
      case CMG_RUN_OUTCOME_CANCELLED:
        if (self->declined)
          set_outcome (self, CMG_IMPORT_OUTCOME_DECLINED, _("You declined the import: nothing was changed."));
        else
          set_outcome (self, CMG_IMPORT_OUTCOME_CANCELLED, _("Cancelled before the server started: nothing was changed."));
        break;
      case CMG_RUN_OUTCOME_CONTINUES_ON_SERVER:
        cmg_set_str (&self->continue_url, cmg_cli_run_get_continue_url (CMG_CLI_RUN (object)));
        set_outcome (self, CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER,
                     _("The app stopped watching, but the import continues on the server."));
        break;
      case CMG_RUN_OUTCOME_FAILED:
      case CMG_RUN_OUTCOME_RUNNING:
      case CMG_RUN_OUTCOME_INTERRUPTED:
      default:
        if (self->declined)
          set_outcome (self, CMG_IMPORT_OUTCOME_DECLINED, _("You declined the import: nothing was changed."));
        else
          {
            g_autofree char *message = g_strdup_printf (_("The import failed: %s"),
                                                        self->failure_text != NULL ? self->failure_text
                                                                                   : _("the CLI gave no reason"));
            set_outcome (self, CMG_IMPORT_OUTCOME_FAILED, message);
          }
        break;
      }

  if (self->outcome == CMG_IMPORT_OUTCOME_FAILED)
    {
      if (self->problem == CMG_IMPORT_PROBLEM_NONE)
        self->problem = cmg_import_problem_from_message (self->failure_text, &self->problem_row);
      if (self->problem == CMG_IMPORT_PROBLEM_NONE)
        self->problem = CMG_IMPORT_PROBLEM_OTHER;
      g_free (self->result_fix);
      self->result_fix = cmg_import_problem_dup_fix (self->problem, self->problem_row);
    }

  if (review_pending (self))
    {
      if (self->outcome == CMG_IMPORT_OUTCOME_SUCCEEDED)
        finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("The server did not ask: nothing is deleted"));
      else if (self->outcome == CMG_IMPORT_OUTCOME_DECLINED)
        finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("You declined the import"));
      else
        finish_review (self, CMG_PLAN_STEP_STATE_FAILED, self->result_message);
    }
  else if (cmg_plan_step_get_state (step_at (self, CMG_PLAN_STEP_RUN)) == CMG_PLAN_STEP_STATE_RUNNING)
    finish_run (self);
}

static void
run_review (CmgImportPlan *self)
{
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *path = g_file_get_path (self->import_file);

  self->saw_summary = FALSE;
  self->declined = FALSE;
  g_list_store_remove_all (self->changes);

  command = cmg_cli_command_new_import (self->connection, self->project_dir, path, self->mode);
  if (cmg_snapshot_get_kind (self->snapshot) != CMG_SNAPSHOT_KIND_ZIP)
    cmg_cli_command_set_table (command, self->table_name);
  if (self->effective_format != CMG_CLI_IMPORT_FORMAT_AUTO)
    cmg_cli_command_set_format (command, self->effective_format);
  if (self->component != NULL && self->component[0] != '\0')
    cmg_cli_command_set_component (command, self->component);
  setup_command (self, command);

  g_clear_object (&self->run);
  self->run = cmg_cli_run_new (command, TRUE);
  if (self->history != NULL)
    cmg_cli_run_set_history (self->run, self->history);
  g_signal_connect (self->run, "line-added", G_CALLBACK (forward_line), self);
  g_signal_connect (self->run, "event", G_CALLBACK (on_run_event), self);

  self->run_ended = FALSE;
  self->start_time = g_get_monotonic_time ();
  self->elapsed_ms = 0;
  self->elapsed_source = g_timeout_add_seconds (1, elapsed_tick, self);
  cmg_cli_run_start_async (self->run, NULL, import_run_done, g_object_ref (self));
}

static void
finish_run (CmgImportPlan *self)
{
  CmgPlanStep *step = step_at (self, CMG_PLAN_STEP_RUN);

  switch (self->outcome)
    {
    case CMG_IMPORT_OUTCOME_SUCCEEDED:
      step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_DONE, self->result_message, NULL);
      break;
    case CMG_IMPORT_OUTCOME_DECLINED:
      step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_SKIPPED, self->result_message, NULL);
      break;
    case CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER:
      step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_DONE, self->result_message, NULL);
      break;
    case CMG_IMPORT_OUTCOME_CANCELLED:
    case CMG_IMPORT_OUTCOME_FAILED:
    case CMG_IMPORT_OUTCOME_NONE:
    default:
      cmg_plan_step_set_detail (step, self->failure_text);
      step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_FAILED, self->result_message, NULL);
      break;
    }
}

static void
run_run (CmgImportPlan *self)
{
  if (self->run_ended)
    finish_run (self);
  /* else import_run_done finishes the step */
}

/* --- RESULT --- */

static void
run_result (CmgImportPlan *self)
{
  GString *detail = g_string_new (NULL);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->tables));
  CmgPlanStepState state;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (G_LIST_MODEL (self->tables), i);
      g_autofree char *name = cmg_plan_table_dup_qualified_name (table);
      gint64 archive = cmg_plan_table_get_archive_documents (table);
      gint64 written = cmg_plan_table_get_written_documents (table);

      if (archive < 0)
        continue;
      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      if (written >= 0)
        g_string_append_printf (detail,
                                /* Translators: table, documents written, documents in the archive */
                                _("%s: %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT " documents written%s"),
                                name, written, archive, written == archive ? "" : _(" (check the log)"));
      else
        g_string_append_printf (detail, _("%s: %" G_GINT64_FORMAT " documents in the archive, none reported written"),
                                name, archive);
    }
  if (self->backup_file != NULL)
    {
      g_autofree char *path = g_file_get_path (self->backup_file);

      g_string_append_c (detail, '\n');
      g_string_append_printf (detail, _("Backup: %s"), path);
    }
  if (self->result_fix != NULL)
    {
      g_string_append_c (detail, '\n');
      g_string_append (detail, self->result_fix);
    }
  cmg_plan_step_set_detail (step_at (self, CMG_PLAN_STEP_RESULT), detail->str);
  g_string_free (detail, TRUE);

  state = self->outcome == CMG_IMPORT_OUTCOME_FAILED ? CMG_PLAN_STEP_STATE_FAILED : CMG_PLAN_STEP_STATE_DONE;
  cmg_plan_step_set_state (step_at (self, CMG_PLAN_STEP_RESULT), state, self->result_message);
  set_finished (self);
  run_next_step (self);
}

/* --- the loop --- */

static void
run_next_step (CmgImportPlan *self)
{
  CmgPlanStep *step = first_open_step (self);
  CmgPlanStepKind kind;

  /* Work that ends outside an advance (a run ending after a page completed) only updates. */
  if (self->page_task == NULL)
    {
      sync_current_page (self);
      update_can_advance (self);
      return;
    }

  if (step == NULL || self->finished)
    {
      complete_page (self, NULL);
      return;
    }

  kind = cmg_plan_step_get_kind (step);
  if (cmg_plan_step_kind_get_page (kind) != GPOINTER_TO_UINT (g_task_get_task_data (self->page_task)))
    {
      /* The page is done: the next one waits for its own Next. */
      complete_page (self, NULL);
      return;
    }

  if (g_cancellable_is_cancelled (self->cancellable) && kind < CMG_PLAN_STEP_REVIEW)
    {
      step_finished (self, kind, CMG_PLAN_STEP_STATE_FAILED, NULL,
                     g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }

  cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_RUNNING, NULL);
  switch (kind)
    {
    case CMG_PLAN_STEP_SOURCE:
      run_source (self);
      break;
    case CMG_PLAN_STEP_TARGET:
      run_target (self);
      break;
    case CMG_PLAN_STEP_MODE:
      run_mode (self);
      break;
    case CMG_PLAN_STEP_CONFIRM:
      run_confirm (self);
      break;
    case CMG_PLAN_STEP_BACKUP:
      run_backup (self);
      break;
    case CMG_PLAN_STEP_SCHEMA:
      run_schema (self);
      break;
    case CMG_PLAN_STEP_NOTIFY:
      run_notify (self);
      break;
    case CMG_PLAN_STEP_REVIEW:
      run_review (self);
      break;
    case CMG_PLAN_STEP_RUN:
      run_run (self);
      break;
    case CMG_PLAN_STEP_RESULT:
    default:
      run_result (self);
      break;
    }
}

/* What a Next would need that is missing, or NULL. */
static char *
dup_blocker (CmgImportPlan *self)
{
  switch (self->current_page)
    {
    case CMG_PLAN_PAGE_SOURCE:
      if (self->selected_tables != NULL && self->selected_tables[0] == NULL)
        return g_strdup (_("Choose at least one table to restore."));
      if (looks_single_file (self->source) && (self->table_name == NULL || *self->table_name == '\0'))
        return g_strdup (_("Enter the name of the table to import this file into."));
      return NULL;

    case CMG_PLAN_PAGE_SAFETY:
      if (cmg_plan_step_get_state (step_at (self, CMG_PLAN_STEP_CONFIRM)) == CMG_PLAN_STEP_STATE_PENDING)
        {
          GError *error = NULL;

          if (!confirmation_ok (self, &error))
            {
              char *message = g_strdup (error->message);

              g_error_free (error);
              return message;
            }
        }
      return NULL;

    case CMG_PLAN_PAGE_REVIEW:
      if (self->awaiting_answer)
        return g_strdup (_("Answer the server's question first."));
      return NULL;

    case CMG_PLAN_PAGE_TARGET:
    case CMG_PLAN_PAGE_MODE:
    case CMG_PLAN_PAGE_RUN:
    case CMG_PLAN_PAGE_RESULT:
    default:
      return NULL;
    }
}

static void
update_can_advance (CmgImportPlan *self)
{
  g_autofree char *blocker = NULL;
  gboolean can_advance;

  if (!self->running && !self->finished)
    blocker = dup_blocker (self);
  can_advance = !self->running && !self->finished && blocker == NULL;

  g_object_freeze_notify (G_OBJECT (self));
  if (self->can_advance != can_advance)
    {
      self->can_advance = can_advance;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_ADVANCE]);
    }
  if (cmg_set_str (&self->blocker, blocker))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BLOCKER]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
caller_cancelled (GCancellable *cancellable,
                  gpointer      user_data)
{
  cmg_import_plan_cancel (user_data);
}

void
cmg_import_plan_advance_async (CmgImportPlan       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *blocker = NULL;

  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_import_plan_advance_async);
  /* Cancelling the caller's cancellable is an honest cancel of the plan. */
  g_task_set_check_cancellable (task, FALSE);

  if (self->running)
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BUSY,
                               _("A step is still running."));
      return;
    }
  if (self->finished)
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_FINISHED,
                               _("The import plan is finished."));
      return;
    }

  blocker = dup_blocker (self);
  if (blocker != NULL)
    {
      CmgPlanStep *step = first_open_step (self);
      int code = self->current_page == CMG_PLAN_PAGE_SAFETY ? CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED
                                                            : CMG_IMPORT_PLAN_ERROR_NEEDS_INPUT;

      if (step != NULL)
        cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_PENDING, blocker);
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, code, "%s", blocker);
      return;
    }

  g_task_set_task_data (task, GUINT_TO_POINTER (self->current_page), NULL);
  self->page_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      self->caller_cancellable = g_object_ref (cancellable);
      self->caller_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (caller_cancelled), self, NULL);
    }
  set_running (self, TRUE);
  run_next_step (self);
}

gboolean
cmg_import_plan_advance_finish (CmgImportPlan  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cmg_import_plan_go_back (CmgImportPlan  *self,
                         GError        **error)
{
  CmgPlanPage back;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);

  if (self->running || self->finished || self->current_page == CMG_PLAN_PAGE_SOURCE ||
      self->current_page > CMG_PLAN_PAGE_REVIEW ||
      cmg_plan_step_get_state (step_at (self, CMG_PLAN_STEP_REVIEW)) != CMG_PLAN_STEP_STATE_PENDING)
    {
      g_set_error_literal (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_CANNOT_GO_BACK,
                           _("There is no going back once the import has started."));
      return FALSE;
    }

  back = self->current_page - 1;
  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    {
      CmgPlanStep *step = step_at (self, i);

      if (cmg_plan_step_kind_get_page (i) >= back)
        cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_PENDING, NULL);
    }

  /* A backup that was taken stays on disk, but a new one is taken for the next attempt. */
  if (back <= CMG_PLAN_PAGE_SAFETY && self->backup_file != NULL)
    {
      g_clear_object (&self->backup_file);
      g_clear_object (&self->backup_snapshot);
      self->backup_storage_files = 0;
      self->target_known = FALSE;
      for (guint i = g_list_model_get_n_items (G_LIST_MODEL (self->tables)); i > 0; i--)
        {
          g_autoptr(CmgPlanTable) table = g_list_model_get_item (G_LIST_MODEL (self->tables), i - 1);

          if (cmg_plan_table_get_archive_documents (table) < 0)
            g_list_store_remove (self->tables, i - 1);
          else
            cmg_plan_table_set_target_documents (table, -1);
        }
      update_effects (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKUP_FILE]);
    }

  sync_current_page (self);
  update_can_advance (self);
  return TRUE;
}

gboolean
cmg_import_plan_answer (CmgImportPlan  *self,
                        gboolean        yes,
                        GError        **error)
{
  gboolean about_import;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);

  if (!self->awaiting_answer || self->run == NULL)
    {
      g_set_error_literal (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NO_PROMPT,
                           _("The CLI is not asking anything now."));
      return FALSE;
    }

  if (!cmg_cli_run_answer (self->run, yes, error))
    return FALSE;

  /* "Start another import?" comes before the summary; only the answer after it ends the review. */
  about_import = self->saw_summary;
  if (!yes)
    self->declined = TRUE;
  set_awaiting (self, FALSE, NULL);

  if (!yes)
    finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("You declined the import"));
  else if (about_import)
    finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("You confirmed the server's change summary"));
  return TRUE;
}

void
cmg_import_plan_cancel (CmgImportPlan *self)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  g_cancellable_cancel (self->cancellable);
  if (self->backup_run != NULL && cmg_cli_run_get_running (self->backup_run))
    cmg_cli_run_cancel (self->backup_run);
  if (self->run != NULL && cmg_cli_run_get_running (self->run))
    cmg_cli_run_cancel (self->run);
}

/* --- GObject --- */

static void
cmg_import_plan_dispose (GObject *object)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);

  g_clear_handle_id (&self->elapsed_source, g_source_remove);
  if (self->run != NULL)
    g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);

  G_OBJECT_CLASS (cmg_import_plan_parent_class)->dispose (object);
}

static void
remove_temp_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
cmg_import_plan_finalize (GObject *object)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);

  /* Close the repacked archive before its file goes. */
  g_clear_object (&self->snapshot);
  if (self->temp_dir != NULL)
    remove_temp_dir (self->temp_dir);

  g_clear_object (&self->source);
  g_clear_object (&self->connection);
  g_free (self->project_dir);
  g_free (self->table_name);
  g_strfreev (self->selected_tables);
  g_free (self->component);
  g_free (self->typed_name);
  g_free (self->backups_dir);
  g_free (self->webhook_url);
  g_clear_object (&self->history);
  g_ptr_array_unref (self->env);
  g_strfreev (self->base_environ);
  g_strfreev (self->program);
  g_clear_object (&self->steps);
  g_free (self->blocker);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->validation);
  g_clear_object (&self->import_file);
  g_free (self->temp_dir);
  g_clear_object (&self->tables);
  g_ptr_array_unref (self->warnings);
  g_clear_pointer (&self->probe_result, cmg_probe_result_free);
  g_free (self->expected_name);
  g_clear_object (&self->backup_file);
  g_clear_object (&self->backup_snapshot);
  g_free (self->schema_reminder);
  g_free (self->notify_message);
  g_free (self->webhook_result);
  g_clear_object (&self->backup_run);
  g_clear_object (&self->changes);
  g_free (self->prompt);
  g_free (self->failure_text);
  g_free (self->result_message);
  g_free (self->result_fix);
  g_free (self->continue_url);

  G_OBJECT_CLASS (cmg_import_plan_parent_class)->finalize (object);
}

static void
cmg_import_plan_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);

  switch (prop_id)
    {
    case PROP_MODE:
      g_value_set_uint (value, self->mode);
      break;
    case PROP_CURRENT_PAGE:
      g_value_set_uint (value, self->current_page);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_FINISHED:
      g_value_set_boolean (value, self->finished);
      break;
    case PROP_CAN_ADVANCE:
      g_value_set_boolean (value, self->can_advance);
      break;
    case PROP_BLOCKER:
      g_value_set_string (value, self->blocker);
      break;
    case PROP_AWAITING_ANSWER:
      g_value_set_boolean (value, self->awaiting_answer);
      break;
    case PROP_PROMPT:
      g_value_set_string (value, self->prompt);
      break;
    case PROP_WILL_ASK:
      g_value_set_boolean (value, self->will_ask);
      break;
    case PROP_OUTCOME:
      g_value_set_uint (value, self->outcome);
      break;
    case PROP_RESULT_MESSAGE:
      g_value_set_string (value, self->result_message);
      break;
    case PROP_BACKUP_FILE:
      g_value_set_object (value, self->backup_file);
      break;
    case PROP_ELAPSED_MS:
      g_value_set_int64 (value, self->elapsed_ms);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_import_plan_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);

  switch (prop_id)
    {
    case PROP_MODE:
      cmg_import_plan_set_mode (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_import_plan_class_init (CmgImportPlanClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cmg_import_plan_dispose;
  object_class->finalize = cmg_import_plan_finalize;
  object_class->get_property = cmg_import_plan_get_property;
  object_class->set_property = cmg_import_plan_set_property;

  properties[PROP_MODE] =
    g_param_spec_uint ("mode", NULL, NULL, 0, CMG_CLI_IMPORT_MODE_REPLACE_ALL, 0,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT_PAGE] =
    g_param_spec_uint ("current-page", NULL, NULL, 0, CMG_PLAN_PAGE_RESULT, 0, ro);
  properties[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, ro);
  properties[PROP_FINISHED] = g_param_spec_boolean ("finished", NULL, NULL, FALSE, ro);
  properties[PROP_CAN_ADVANCE] = g_param_spec_boolean ("can-advance", NULL, NULL, FALSE, ro);
  properties[PROP_BLOCKER] = g_param_spec_string ("blocker", NULL, NULL, NULL, ro);
  properties[PROP_AWAITING_ANSWER] = g_param_spec_boolean ("awaiting-answer", NULL, NULL, FALSE, ro);
  properties[PROP_PROMPT] = g_param_spec_string ("prompt", NULL, NULL, NULL, ro);
  properties[PROP_WILL_ASK] = g_param_spec_boolean ("will-ask", NULL, NULL, FALSE, ro);
  properties[PROP_OUTCOME] =
    g_param_spec_uint ("outcome", NULL, NULL, 0, CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER, 0, ro);
  properties[PROP_RESULT_MESSAGE] = g_param_spec_string ("result-message", NULL, NULL, NULL, ro);
  properties[PROP_BACKUP_FILE] = g_param_spec_object ("backup-file", NULL, NULL, G_TYPE_FILE, ro);
  properties[PROP_ELAPSED_MS] = g_param_spec_int64 ("elapsed-ms", NULL, NULL, 0, G_MAXINT64, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CONFIRMATION_REQUESTED] =
    g_signal_new ("confirmation-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CHANGE_SUMMARY] =
    g_signal_new ("change-summary", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  signals[LINE_ADDED] =
    g_signal_new ("line-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_STRING);
}

static void
add_step (CmgImportPlan   *self,
          CmgPlanStepKind  kind,
          const char      *title,
          const char      *description)
{
  g_autoptr(CmgPlanStep) step = cmg_plan_step_new (kind, title, description);

  g_list_store_append (self->steps, step);
}

static void
cmg_import_plan_init (CmgImportPlan *self)
{
  self->steps = g_list_store_new (CMG_TYPE_PLAN_STEP);
  self->tables = g_list_store_new (CMG_TYPE_PLAN_TABLE);
  self->changes = g_list_store_new (CMG_TYPE_PLAN_TABLE);
  self->warnings = g_ptr_array_new_with_free_func ((GDestroyNotify)cmg_conflict_free);
  self->env = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->probe_timeout = 5;
  self->problem = CMG_IMPORT_PROBLEM_NONE;

  add_step (self, CMG_PLAN_STEP_SOURCE, _("Source"),
            _("Open the file, count its documents and check it for anything that would make the import fail."));
  add_step (self, CMG_PLAN_STEP_TARGET, _("Target"),
            _("The deployment the import writes to, as the CLI will reach it, with any warning about it."));
  add_step (self, CMG_PLAN_STEP_MODE, _("Mode"),
            _("What the import does to each table: add, replace, or replace the whole deployment."));
  add_step (self, CMG_PLAN_STEP_CONFIRM, _("Confirm the target"),
            _("Make sure this is the deployment you mean to change."));
  add_step (self, CMG_PLAN_STEP_BACKUP, _("Back up the target"),
            _("Export the deployment into the backups folder and read the export back, so the import can be undone."));
  add_step (self, CMG_PLAN_STEP_SCHEMA, _("Schema"),
            _("The target must run the schema that matches the data."));
  add_step (self, CMG_PLAN_STEP_NOTIFY, _("Tell the team"),
            _("A message saying what is imported where and when, to copy or send to a webhook."));
  add_step (self, CMG_PLAN_STEP_REVIEW, _("Review the changes"),
            _("The server says what it will create and delete; nothing is deleted before you confirm."));
  add_step (self, CMG_PLAN_STEP_RUN, _("Import"),
            _("The import runs; progress per table."));
  add_step (self, CMG_PLAN_STEP_RESULT, _("Result"),
            _("Documents written per table against the archive's counts, and the backup to undo with."));
}

CmgImportPlan *
cmg_import_plan_new (GFile            *source,
                     CmgConnection    *connection,
                     const char       *project_dir,
                     CmgCliImportMode  mode)
{
  CmgImportPlan *self;

  g_return_val_if_fail (G_IS_FILE (source), NULL);
  g_return_val_if_fail (CMG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (project_dir != NULL, NULL);
  g_return_val_if_fail (mode <= CMG_CLI_IMPORT_MODE_REPLACE_ALL, NULL);

  self = g_object_new (CMG_TYPE_IMPORT_PLAN, NULL);
  self->source = g_object_ref (source);
  self->connection = g_object_ref (connection);
  self->project_dir = g_strdup (project_dir);
  self->mode = mode;
  update_can_advance (self);
  return self;
}

CmgImportPlan *
cmg_import_plan_new_undo (CmgImportPlan  *plan,
                          GError        **error)
{
  CmgImportPlan *self;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (plan), NULL);

  if (plan->backup_file == NULL || plan->backup_snapshot == NULL)
    {
      g_set_error_literal (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NO_BACKUP,
                           _("This import has no verified backup to restore."));
      return NULL;
    }

  self = cmg_import_plan_new (plan->backup_file, plan->connection, plan->project_dir,
                              CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  self->is_undo = TRUE;
  self->backups_dir = g_strdup (plan->backups_dir);
  self->webhook_url = g_strdup (plan->webhook_url);
  g_set_object (&self->history, plan->history);
  self->ci = plan->ci;
  for (guint i = 0; i < plan->env->len; i++)
    g_ptr_array_add (self->env, g_strdup (g_ptr_array_index (plan->env, i)));
  self->base_environ = g_strdupv (plan->base_environ);
  self->program = g_strdupv (plan->program);
  self->probe_timeout = plan->probe_timeout;
  update_can_advance (self);
  return self;
}

gboolean
cmg_import_plan_get_is_undo (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);
  return self->is_undo;
}

/* --- settings --- */

void
cmg_import_plan_set_table_name (CmgImportPlan *self,
                                const char    *table)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  cmg_set_str (&self->table_name, table);
  update_can_advance (self);
}

void
cmg_import_plan_set_format (CmgImportPlan      *self,
                            CmgCliImportFormat  format)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  self->format = format;
}

void
cmg_import_plan_set_selected_tables (CmgImportPlan      *self,
                                     const char * const *tables)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  g_strfreev (self->selected_tables);
  self->selected_tables = g_strdupv ((char **)tables);
  update_can_advance (self);
}

void
cmg_import_plan_set_component (CmgImportPlan *self,
                               const char    *component)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  cmg_set_str (&self->component, component);
}

void
cmg_import_plan_set_mode (CmgImportPlan    *self,
                          CmgCliImportMode  mode)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  g_return_if_fail (mode <= CMG_CLI_IMPORT_MODE_REPLACE_ALL);
  /* An undo is a replace-all by definition; after the mode page, go back first. */
  g_return_if_fail (!self->is_undo);
  g_return_if_fail (self->current_page <= CMG_PLAN_PAGE_MODE && !self->running);

  if (self->mode == mode)
    return;
  self->mode = mode;
  update_effects (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODE]);
}

CmgCliImportMode
cmg_import_plan_get_mode (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY);
  return self->mode;
}

void
cmg_import_plan_set_typed_name (CmgImportPlan *self,
                                const char    *typed)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  cmg_set_str (&self->typed_name, typed);
  update_can_advance (self);
}

void
cmg_import_plan_set_confirmed (CmgImportPlan *self,
                               gboolean       confirmed)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  self->confirmed = !!confirmed;
  update_can_advance (self);
}

void
cmg_import_plan_set_backup_wanted (CmgImportPlan *self,
                                   gboolean       wanted)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  self->backup_wanted = !!wanted;
}

void
cmg_import_plan_set_backups_dir (CmgImportPlan *self,
                                 const char    *dir)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  cmg_set_str (&self->backups_dir, dir);
}

void
cmg_import_plan_set_webhook_url (CmgImportPlan *self,
                                 const char    *url)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  cmg_set_str (&self->webhook_url, url != NULL && *url != '\0' ? url : NULL);
}

void
cmg_import_plan_set_history (CmgImportPlan *self,
                             CmgRunHistory *history)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  g_set_object (&self->history, history);
}

void
cmg_import_plan_set_ci (CmgImportPlan *self,
                        gboolean       ci)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  self->ci = !!ci;
}

void
cmg_import_plan_set_env (CmgImportPlan *self,
                         const char    *key,
                         const char    *value)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  g_return_if_fail (key != NULL && value != NULL);

  g_ptr_array_add (self->env, g_strdup (key));
  g_ptr_array_add (self->env, g_strdup (value));
}

void
cmg_import_plan_set_base_environ (CmgImportPlan      *self,
                                  const char * const *environ)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  g_strfreev (self->base_environ);
  self->base_environ = g_strdupv ((char **)environ);
}

void
cmg_import_plan_set_program (CmgImportPlan      *self,
                             const char * const *program)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));

  g_strfreev (self->program);
  self->program = program != NULL && program[0] != NULL ? g_strdupv ((char **)program) : NULL;
}

void
cmg_import_plan_set_probe_timeout (CmgImportPlan *self,
                                   guint          seconds)
{
  g_return_if_fail (CMG_IS_IMPORT_PLAN (self));
  self->probe_timeout = seconds > 0 ? seconds : 5;
}

/* --- getters --- */

GListModel *
cmg_import_plan_get_steps (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return G_LIST_MODEL (self->steps);
}

CmgPlanStep *
cmg_import_plan_get_step (CmgImportPlan   *self,
                          CmgPlanStepKind  kind)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  g_return_val_if_fail ((guint)kind < CMG_PLAN_STEP_N_KINDS, NULL);
  return step_at (self, kind);
}

CmgPlanPage
cmg_import_plan_get_current_page (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), CMG_PLAN_PAGE_SOURCE);
  return self->current_page;
}

CmgPlanStep *
cmg_import_plan_get_current_step (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return first_open_step (self);
}

gboolean
cmg_import_plan_get_running (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);
  return self->running;
}

gboolean
cmg_import_plan_get_finished (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);
  return self->finished;
}

gboolean
cmg_import_plan_get_can_advance (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);
  return self->can_advance;
}

const char *
cmg_import_plan_get_blocker (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->blocker;
}

GFile *
cmg_import_plan_get_source (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->source;
}

CmgConnection *
cmg_import_plan_get_connection (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->connection;
}

const char *
cmg_import_plan_get_project_dir (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->project_dir;
}

CmgSnapshot *
cmg_import_plan_get_snapshot (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->snapshot;
}

CmgValidation *
cmg_import_plan_get_validation (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->validation;
}

GFile *
cmg_import_plan_get_import_file (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->import_file;
}

GListModel *
cmg_import_plan_get_tables (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return G_LIST_MODEL (self->tables);
}

GPtrArray *
cmg_import_plan_get_warnings (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->warnings;
}

const CmgProbeResult *
cmg_import_plan_get_probe_result (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->probe_result;
}

GFile *
cmg_import_plan_get_backup_file (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->backup_file;
}

CmgSnapshot *
cmg_import_plan_get_backup_snapshot (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->backup_snapshot;
}

const char *
cmg_import_plan_get_notify_message (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->notify_message;
}

guint
cmg_import_plan_get_webhook_status (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), 0);
  return self->webhook_status;
}

const char *
cmg_import_plan_get_webhook_result (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->webhook_result;
}

gboolean
cmg_import_plan_get_will_ask (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), TRUE);

  update_effects (self);
  return self->will_ask;
}

GListModel *
cmg_import_plan_get_changes (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return G_LIST_MODEL (self->changes);
}

gboolean
cmg_import_plan_get_awaiting_answer (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), FALSE);
  return self->awaiting_answer;
}

const char *
cmg_import_plan_get_prompt (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->prompt;
}

CmgCliRun *
cmg_import_plan_get_run (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->run;
}

gint64
cmg_import_plan_get_elapsed_ms (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), 0);

  if (self->run != NULL && !self->run_ended)
    return (g_get_monotonic_time () - self->start_time) / 1000;
  return self->elapsed_ms;
}

CmgImportOutcome
cmg_import_plan_get_outcome (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), CMG_IMPORT_OUTCOME_NONE);
  return self->outcome;
}

const char *
cmg_import_plan_get_result_message (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->result_message;
}

CmgImportProblem
cmg_import_plan_get_problem (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), CMG_IMPORT_PROBLEM_NONE);
  return self->problem;
}

const char *
cmg_import_plan_get_result_fix (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->result_fix;
}

const char *
cmg_import_plan_get_continue_url (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);
  return self->continue_url;
}

char *
cmg_import_plan_dup_dashboard_url (CmgImportPlan *self)
{
  CmgDeployment *deployment;
  const char *name;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  deployment = target_deployment (self);
  if (deployment == NULL || (name = cmg_deployment_get_name (deployment)) == NULL)
    return NULL;
  switch (cmg_deployment_get_deployment_type (deployment))
    {
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_PROD:
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
      return g_strdup_printf ("https://dashboard.convex.dev/d/%s", name);
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      return NULL;
    }
}
