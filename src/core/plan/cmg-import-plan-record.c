/* cmg-import-plan-record.c: the plan's summary and its record in the run history. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-plan-private.h"

/* --- the plan's record in the history --- */

char *
cmg_import_plan_dup_summary (CmgImportPlan *self)
{
  g_autofree char *source_name = NULL;
  g_autofree char *target = NULL;
  GString *text;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  source_name = g_file_get_basename (self->source);
  target = _cmg_import_plan_dup_target_identity (self);
  text = g_string_new (NULL);

  /* Translators: source file, deployment, mode flag ("replace") */
  g_string_append_printf (text, self->is_undo ? _("Undo: import %s into %s (%s)") : _("Import %s into %s (%s)"),
                          source_name, target, cmg_import_mode_get_flag (self->mode));
  g_string_append_c (text, '\n');

  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    {
      CmgPlanStep *step = _cmg_import_plan_step_at (self, i);
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

void
_cmg_import_plan_record_plan (CmgImportPlan *self)
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

  deployment = _cmg_import_plan_target_deployment (self);
  source_name = g_file_get_basename (self->source);
  target = _cmg_import_plan_dup_target_identity (self);
  title = g_strdup_printf ("import-plan %s → %s --%s", source_name, target, cmg_import_mode_get_flag (self->mode));
  record = cmg_run_history_begin (self->history, "import-plan", title,
                                  deployment != NULL ? cmg_deployment_get_name (deployment) : NULL,
                                  cmg_deployment_type_to_string (_cmg_import_plan_target_type (self)), &error);
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
