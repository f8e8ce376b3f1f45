/* cmg-import-plan-source.c: the SOURCE step of CmgImportPlan: opening the file, counting and
 * checking it, and repacking a partial restore into a temporary folder the plan owns. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cmg-import-plan-private.h"
#include "cmg-repack.h"

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

gboolean
cmg_import_finding_blocks (const CmgFinding   *finding,
                           const char * const *selected)
{
  g_autofree char *qualified = NULL;

  g_return_val_if_fail (finding != NULL, FALSE);

  if (finding->severity != CMG_FINDING_ERROR)
    return FALSE;
  if (selected == NULL || finding->table == NULL || finding->table[0] == '\0')
    return TRUE;
  qualified = finding->component != NULL && finding->component[0] != '\0'
              ? g_strconcat (finding->component, ":", finding->table, NULL)
              : g_strdup (finding->table);
  return g_strv_contains (selected, qualified);
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

      if (!cmg_import_finding_blocks (finding, (const char * const *) work->selected))
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

gboolean
_cmg_import_plan_looks_single_file (GFile *file)
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

/* The plan owns the folder of a repacked subset; an earlier one (before Back) goes. */
static void
adopt_temp_dir (CmgImportPlan *self,
                SourceWork    *work)
{
  if (work->temp_dir == NULL)
    return;
  if (self->temp_dir != NULL)
    _cmg_import_plan_remove_temp_dir (self->temp_dir);
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
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_SOURCE, CMG_PLAN_STEP_STATE_FAILED, NULL, error);
      return;
    }

  if (cmg_snapshot_get_kind (work->snapshot) != CMG_SNAPSHOT_KIND_ZIP &&
      (self->table_name == NULL || *self->table_name == '\0'))
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_SOURCE, CMG_PLAN_STEP_STATE_PENDING, NULL,
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
  _cmg_import_plan_update_effects (self);
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_SOURCE, CMG_PLAN_STEP_STATE_DONE, reason->str, NULL);
}

void
_cmg_import_plan_run_source (CmgImportPlan *self)
{
  g_autoptr(GTask) task = NULL;
  SourceWork *work;

  work = g_new0 (SourceWork, 1);
  work->source = g_object_ref (self->source);
  work->selected = g_strdupv (self->selected_tables);

  task = g_task_new (self, self->cancellable, source_done, NULL);
  g_task_set_source_tag (task, _cmg_import_plan_run_source);
  g_task_set_task_data (task, work, (GDestroyNotify)source_work_free);
  g_task_run_in_thread (task, source_thread);
}

/* --- the temporary folder --- */

void
_cmg_import_plan_remove_temp_dir (const char *dir)
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
