/* cmg-import-plan-backup.c: the BACKUP step of CmgImportPlan: exporting the target into the backups
 * folder and reading the export back, which makes the target's contents known. */
#include "config.h"

#include <errno.h>

#include <glib/gi18n.h>

#include "cmg-import-plan-private.h"

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
  CmgDeployment *deployment = _cmg_import_plan_target_deployment (self);
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
          _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
          return;
        }
      wrapped = g_error_new (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_BACKUP,
                             /* Translators: %s is why the backup could not be read */
                             _("The backup was downloaded but cannot be read back (%s): the import will not start without a verified backup."),
                             error->message);
      g_error_free (error);
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, wrapped);
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
      CmgPlanTable *plan_table = _cmg_import_plan_find_table (self, cmg_table_get_component (table), cmg_table_get_name (table));

      if (plan_table == NULL)
        {
          g_autoptr(CmgPlanTable) added = cmg_plan_table_new (cmg_table_get_component (table), cmg_table_get_name (table));

          g_list_store_append (self->tables, added);
          plan_table = added;
        }
      cmg_plan_table_set_target_documents (plan_table, cmg_table_get_documents (table));
      documents += MAX (cmg_table_get_documents (table), 0);
    }
  _cmg_import_plan_update_effects (self);
  _cmg_import_plan_refresh_mode_detail (self);

  path = g_file_get_path (self->backup_file);
  count = g_strdup_printf ("%" G_GINT64_FORMAT, documents);
  reason = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         /* Translators: path, then counts */
                                         "%s: verified, %u table, %s documents",
                                         "%s: verified, %u tables, %s documents", n),
                            path, n, count);
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_DONE, reason, NULL);
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
  g_signal_handlers_disconnect_by_func (run, _cmg_import_plan_forward_line, self);
  g_clear_object (&self->backup_run);

  if (error != NULL)
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
      return;
    }
  if (outcome == CMG_RUN_OUTCOME_CANCELLED || g_cancellable_is_cancelled (self->cancellable))
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL,
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
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL,
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

void
_cmg_import_plan_run_backup (CmgImportPlan *self)
{
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *path = NULL;
  GError *error = NULL;

  if (!cmg_import_plan_get_backup_required (self) && !self->backup_wanted)
    {
      /* Translators: %s is the mode flag, e.g. "append" */
      g_autofree char *reason = g_strdup_printf (_("Not required for %s, and not chosen"), cmg_import_mode_get_flag (self->mode));

      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_SKIPPED, reason, NULL);
      return;
    }

  path = new_backup_path (self, &error);
  if (path == NULL)
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_BACKUP, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
      return;
    }
  g_clear_object (&self->backup_file);
  self->backup_file = g_file_new_for_path (path);
  g_clear_object (&self->backup_snapshot);
  _cmg_import_plan_notify (self, PROP_BACKUP_FILE);

  command = cmg_cli_command_new_export (self->connection, self->project_dir, path, TRUE);
  _cmg_import_plan_setup_command (self, command);
  self->backup_run = cmg_cli_run_new (command, FALSE);
  if (self->history != NULL)
    cmg_cli_run_set_history (self->backup_run, self->history);
  g_signal_connect (self->backup_run, "line-added", G_CALLBACK (_cmg_import_plan_forward_line), self);
  cmg_cli_run_start_async (self->backup_run, NULL, backup_run_done, g_object_ref (self));
}
