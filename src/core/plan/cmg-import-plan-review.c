/* cmg-import-plan-review.c: the REVIEW, RUN and RESULT steps of CmgImportPlan: the import on the
 * pseudo-terminal, the server's change summary, the answer to its question, progress, and the
 * result. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cmg-import-plan-private.h"

/* --- REVIEW and RUN --- */

static gboolean
review_pending (CmgImportPlan *self)
{
  return cmg_plan_step_get_state (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_REVIEW)) == CMG_PLAN_STEP_STATE_RUNNING;
}

static void
finish_review (CmgImportPlan    *self,
               CmgPlanStepState  state,
               const char       *reason)
{
  if (!review_pending (self))
    return;
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_REVIEW, state, reason, NULL);
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
      CmgPlanTable *table = _cmg_import_plan_find_table (self, component, row->table);
      g_autoptr(CmgPlanTable) added = NULL;

      if (table == NULL)
        table = added = cmg_plan_table_new (component, row->table);
      cmg_plan_table_set_change (table, row->create, row->delete, row->of);
      g_list_store_append (self->changes, table);
    }
  self->saw_summary = TRUE;
  _cmg_import_plan_emit_change_summary (self);
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
      _cmg_import_plan_set_awaiting (self, TRUE, cmg_cli_event_get_text (event));
      _cmg_import_plan_emit_confirmation_requested (self, cmg_cli_event_get_text (event));
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

                table = _cmg_import_plan_find_table (self, component, colon + 1);
              }
            if (table == NULL)
              table = _cmg_import_plan_find_table (self, self->component != NULL ? self->component : "", name);
            if (table == NULL)
              table = _cmg_import_plan_find_table (self, NULL, name);
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
  _cmg_import_plan_notify (self, PROP_ELAPSED_MS);
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
  _cmg_import_plan_notify (self, PROP_ELAPSED_MS);
  _cmg_import_plan_set_awaiting (self, FALSE, NULL);

  if (error != NULL)
    {
      /* The CLI could not even start: no node, no project… The message says what to do. */
      cmg_set_str (&self->failure_text, error->message);
      _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_FAILED, error->message);
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
          _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_SUCCEEDED, message);
        }
        break;
      case CMG_RUN_OUTCOME_CANCELLED:
        if (self->declined)
          _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_DECLINED, _("You declined the import: nothing was changed."));
        else
          _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_CANCELLED, _("Cancelled before the server started: nothing was changed."));
        break;
      case CMG_RUN_OUTCOME_CONTINUES_ON_SERVER:
        cmg_set_str (&self->continue_url, cmg_cli_run_get_continue_url (CMG_CLI_RUN (object)));
        _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER,
                                      _("The app stopped watching, but the import continues on the server."));
        break;
      case CMG_RUN_OUTCOME_FAILED:
      case CMG_RUN_OUTCOME_RUNNING:
      case CMG_RUN_OUTCOME_INTERRUPTED:
      default:
        if (self->declined)
          _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_DECLINED, _("You declined the import: nothing was changed."));
        else
          {
            g_autofree char *message = g_strdup_printf (_("The import failed: %s"),
                                                        self->failure_text != NULL ? self->failure_text
                                                                                   : _("the CLI gave no reason"));
            _cmg_import_plan_set_outcome (self, CMG_IMPORT_OUTCOME_FAILED, message);
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
  else if (cmg_plan_step_get_state (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_RUN)) == CMG_PLAN_STEP_STATE_RUNNING)
    finish_run (self);
}

void
_cmg_import_plan_run_review (CmgImportPlan *self)
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
  _cmg_import_plan_setup_command (self, command);

  g_clear_object (&self->run);
  self->run = cmg_cli_run_new (command, TRUE);
  if (self->history != NULL)
    cmg_cli_run_set_history (self->run, self->history);
  g_signal_connect (self->run, "line-added", G_CALLBACK (_cmg_import_plan_forward_line), self);
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
  CmgPlanStep *step = _cmg_import_plan_step_at (self, CMG_PLAN_STEP_RUN);

  switch (self->outcome)
    {
    case CMG_IMPORT_OUTCOME_SUCCEEDED:
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_DONE, self->result_message, NULL);
      break;
    case CMG_IMPORT_OUTCOME_DECLINED:
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_SKIPPED, self->result_message, NULL);
      break;
    case CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER:
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_DONE, self->result_message, NULL);
      break;
    case CMG_IMPORT_OUTCOME_CANCELLED:
    case CMG_IMPORT_OUTCOME_FAILED:
    case CMG_IMPORT_OUTCOME_NONE:
    default:
      cmg_plan_step_set_detail (step, self->failure_text);
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_RUN, CMG_PLAN_STEP_STATE_FAILED, self->result_message, NULL);
      break;
    }
}

void
_cmg_import_plan_run_run (CmgImportPlan *self)
{
  if (self->run_ended)
    finish_run (self);
  /* else import_run_done finishes the step */
}

/* --- RESULT --- */

void
_cmg_import_plan_run_result (CmgImportPlan *self)
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
  cmg_plan_step_set_detail (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_RESULT), detail->str);
  g_string_free (detail, TRUE);

  state = self->outcome == CMG_IMPORT_OUTCOME_FAILED ? CMG_PLAN_STEP_STATE_FAILED : CMG_PLAN_STEP_STATE_DONE;
  cmg_plan_step_set_state (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_RESULT), state, self->result_message);
  _cmg_import_plan_set_finished (self);
  _cmg_import_plan_run_next_step (self);
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
  _cmg_import_plan_set_awaiting (self, FALSE, NULL);

  if (!yes)
    finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("You declined the import"));
  else if (about_import)
    finish_review (self, CMG_PLAN_STEP_STATE_DONE, _("You confirmed the server's change summary"));
  return TRUE;
}
