/* cmg-import-plan.c: see cmg-import-plan.h. The type, its properties and signals, the loop
 * that runs the steps of a page, the pages' blockers, Back, the mode's effects and the MODE
 * step, the settings and getters. The other steps live in sibling files
 * (cmg-import-plan-private.h lists them). */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-plan-private.h"

G_DEFINE_QUARK (cmg-import-plan-error-quark, cmg_import_plan_error)

G_DEFINE_FINAL_TYPE (CmgImportPlan, cmg_import_plan, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

enum {
  CONFIRMATION_REQUESTED,
  CHANGE_SUMMARY,
  LINE_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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

CmgPlanStep *
_cmg_import_plan_step_at (CmgImportPlan   *self,
                          CmgPlanStepKind  kind)
{
  g_autoptr(CmgPlanStep) step = g_list_model_get_item (G_LIST_MODEL (self->steps), kind);

  return step; /* the store keeps it alive */
}

CmgDeployment *
_cmg_import_plan_target_deployment (CmgImportPlan *self)
{
  return cmg_connection_get_deployment (self->connection);
}

CmgDeploymentType
_cmg_import_plan_target_type (CmgImportPlan *self)
{
  CmgDeployment *deployment = _cmg_import_plan_target_deployment (self);

  return deployment != NULL ? cmg_deployment_get_deployment_type (deployment) : CMG_DEPLOYMENT_TYPE_UNKNOWN;
}

char *
_cmg_import_plan_dup_target_identity (CmgImportPlan *self)
{
  CmgDeployment *deployment = _cmg_import_plan_target_deployment (self);

  if (deployment == NULL)
    return g_strdup (cmg_connection_get_title (self->connection));
  if (cmg_deployment_get_name (deployment) != NULL)
    return g_strdup (cmg_deployment_get_name (deployment));
  if (cmg_deployment_get_url (deployment) != NULL)
    return g_strdup (cmg_deployment_get_url (deployment));
  return cmg_deployment_dup_display_name (deployment);
}

void
_cmg_import_plan_set_outcome (CmgImportPlan    *self,
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

void
_cmg_import_plan_set_awaiting (CmgImportPlan *self,
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
      CmgPlanStep *step = _cmg_import_plan_step_at (self, i);
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

CmgPlanTable *
_cmg_import_plan_find_table (CmgImportPlan *self,
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
void
_cmg_import_plan_update_effects (CmgImportPlan *self)
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

  _cmg_import_plan_update_effects (self);
  target = _cmg_import_plan_dup_target_identity (self);
  return cmg_import_mode_dup_description (self->mode, target, G_LIST_MODEL (self->tables),
                                          self->target_known);
}

void
_cmg_import_plan_refresh_mode_detail (CmgImportPlan *self)
{
  g_autofree char *description = cmg_import_plan_dup_mode_description (self);

  cmg_plan_step_set_detail (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_MODE), description);
}

/* The sibling files notify and emit through these: the specs and ids stay here. */
void
_cmg_import_plan_notify (CmgImportPlan     *self,
                         CmgImportPlanProp  prop)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
_cmg_import_plan_emit_change_summary (CmgImportPlan *self)
{
  g_signal_emit (self, signals[CHANGE_SUMMARY], 0);
}

void
_cmg_import_plan_emit_confirmation_requested (CmgImportPlan *self,
                                              const char    *prompt)
{
  g_signal_emit (self, signals[CONFIRMATION_REQUESTED], 0, prompt);
}

void
_cmg_import_plan_set_finished (CmgImportPlan *self)
{
  if (self->finished)
    return;
  self->finished = TRUE;
  g_clear_handle_id (&self->elapsed_source, g_source_remove);
  sync_current_page (self);
  _cmg_import_plan_record_plan (self);
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
  _cmg_import_plan_set_outcome (self, outcome, message);

  for (guint i = from; i < CMG_PLAN_STEP_RESULT; i++)
    {
      CmgPlanStep *step = _cmg_import_plan_step_at (self, i);

      if (cmg_plan_step_get_state (step) == CMG_PLAN_STEP_STATE_PENDING)
        cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_SKIPPED,
                                 outcome == CMG_IMPORT_OUTCOME_CANCELLED ? _("Cancelled") : _("An earlier step failed"));
    }

  cmg_plan_step_set_state (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_RESULT),
                           outcome == CMG_IMPORT_OUTCOME_FAILED ? CMG_PLAN_STEP_STATE_FAILED : CMG_PLAN_STEP_STATE_DONE,
                           message);
  _cmg_import_plan_set_finished (self);
}

/* A step's work ended. Input errors leave the step pending (the user fixes the input); others
 * fail the step and the plan. */
void
_cmg_import_plan_step_finished (CmgImportPlan    *self,
                                CmgPlanStepKind   kind,
                                CmgPlanStepState  state,
                                const char       *reason,
                                GError           *error)
{
  CmgPlanStep *step = _cmg_import_plan_step_at (self, kind);

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
  _cmg_import_plan_run_next_step (self);
}

/* --- MODE --- */

static void
run_mode (CmgImportPlan *self)
{
  _cmg_import_plan_refresh_mode_detail (self);
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_MODE, CMG_PLAN_STEP_STATE_DONE, cmg_import_mode_get_label (self->mode), NULL);
}

/* --- CLI commands of the plan --- */

void
_cmg_import_plan_setup_command (CmgImportPlan *self,
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

void
_cmg_import_plan_forward_line (CmgCliRun     *run,
                               guint          index,
                               const char    *text,
                               CmgImportPlan *self)
{
  g_signal_emit (self, signals[LINE_ADDED], 0, index, text);
}

/* --- the loop --- */

void
_cmg_import_plan_run_next_step (CmgImportPlan *self)
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
      _cmg_import_plan_step_finished (self, kind, CMG_PLAN_STEP_STATE_FAILED, NULL,
                                      g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled")));
      return;
    }

  cmg_plan_step_set_state (step, CMG_PLAN_STEP_STATE_RUNNING, NULL);
  switch (kind)
    {
    case CMG_PLAN_STEP_SOURCE:
      _cmg_import_plan_run_source (self);
      break;
    case CMG_PLAN_STEP_TARGET:
      _cmg_import_plan_run_target (self);
      break;
    case CMG_PLAN_STEP_MODE:
      run_mode (self);
      break;
    case CMG_PLAN_STEP_CONFIRM:
      _cmg_import_plan_run_confirm (self);
      break;
    case CMG_PLAN_STEP_BACKUP:
      _cmg_import_plan_run_backup (self);
      break;
    case CMG_PLAN_STEP_SCHEMA:
      _cmg_import_plan_run_schema (self);
      break;
    case CMG_PLAN_STEP_NOTIFY:
      _cmg_import_plan_run_notify (self);
      break;
    case CMG_PLAN_STEP_REVIEW:
      _cmg_import_plan_run_review (self);
      break;
    case CMG_PLAN_STEP_RUN:
      _cmg_import_plan_run_run (self);
      break;
    case CMG_PLAN_STEP_RESULT:
    default:
      _cmg_import_plan_run_result (self);
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
      if (_cmg_import_plan_looks_single_file (self->source) && (self->table_name == NULL || *self->table_name == '\0'))
        return g_strdup (_("Enter the name of the table to import this file into."));
      return NULL;

    case CMG_PLAN_PAGE_SAFETY:
      if (cmg_plan_step_get_state (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_CONFIRM)) == CMG_PLAN_STEP_STATE_PENDING)
        {
          GError *error = NULL;

          if (!_cmg_import_plan_confirmation_ok (self, &error))
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
  _cmg_import_plan_run_next_step (self);
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
      cmg_plan_step_get_state (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_REVIEW)) != CMG_PLAN_STEP_STATE_PENDING)
    {
      g_set_error_literal (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_CANNOT_GO_BACK,
                           _("There is no going back once the import has started."));
      return FALSE;
    }

  back = self->current_page - 1;
  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    {
      CmgPlanStep *step = _cmg_import_plan_step_at (self, i);

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
      _cmg_import_plan_update_effects (self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BACKUP_FILE]);
    }

  sync_current_page (self);
  update_can_advance (self);
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
cmg_import_plan_finalize (GObject *object)
{
  CmgImportPlan *self = CMG_IMPORT_PLAN (object);

  /* Close the repacked archive before its file goes. */
  g_clear_object (&self->snapshot);
  if (self->temp_dir != NULL)
    _cmg_import_plan_remove_temp_dir (self->temp_dir);

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

const char * const *
cmg_import_plan_get_selected_tables (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  return (const char * const *) self->selected_tables;
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
  _cmg_import_plan_update_effects (self);
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
  return _cmg_import_plan_step_at (self, kind);
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

  _cmg_import_plan_update_effects (self);
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

  deployment = _cmg_import_plan_target_deployment (self);
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
