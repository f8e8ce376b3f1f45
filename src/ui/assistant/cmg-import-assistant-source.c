/* cmg-import-assistant-source.c: the Source page: a preview of the chosen file (its tables
 * and their counts, the check's findings) and the choice of tables, before the plan reads it. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-assistant-private.h"
#include "cmg-snapshot-open-task.h"
#include "cmg-table.h"

/* --- the source preview --- */

static void
update_source_summary (CmgImportAssistant *self)
{
  GListModel *tables;
  guint n;
  gint64 documents = 0;
  gboolean counted = TRUE;
  g_autofree char *count = NULL;
  g_autofree char *text = NULL;

  if (self->preview == NULL)
    return;
  tables = cmg_snapshot_get_tables (self->preview);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      if (cmg_table_get_documents (table) < 0)
        counted = FALSE;
      else
        documents += cmg_table_get_documents (table);
    }
  count = format_count (documents);
  if (cmg_snapshot_get_kind (self->preview) == CMG_SNAPSHOT_KIND_ZIP)
    text = counted ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Export archive: %u table, %s documents",
                                                   "Export archive: %u tables, %s documents", n), n, count)
                   : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Export archive: %u table, counting documents…",
                                                   "Export archive: %u tables, counting documents…", n), n);
  else
    text = counted ? g_strdup_printf (_("A single %s file: %s documents"),
                                      cmg_snapshot_kind_to_string (cmg_snapshot_get_kind (self->preview)), count)
                   : g_strdup_printf (_("A single %s file: counting documents…"),
                                      cmg_snapshot_kind_to_string (cmg_snapshot_get_kind (self->preview)));
  gtk_label_set_text (self->source_summary_label, text);
}

static void
on_table_check_toggled (CmgImportAssistant *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) selected = NULL;
  gboolean all = TRUE;

  if (self->plan == NULL)
    return;
  for (guint i = 0; i < self->table_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->table_checks, i);

      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "qualified-name"));
      else
        all = FALSE;
    }
  selected = g_strv_builder_end (builder);
  /* All tables: no repack, the file goes to the CLI as it is. */
  cmg_import_plan_set_selected_tables (self->plan, all ? NULL : (const char * const *) selected);
  /* Which check errors matter depends on the tables chosen. */
  _cmg_import_assistant_sync_all (self);
}

static void
update_table_check (GtkWidget  *check,
                    GParamSpec *pspec,
                    CmgTable   *table)
{
  g_autofree char *name = cmg_table_dup_qualified_name (table);
  g_autofree char *label = NULL;

  if (cmg_table_get_documents (table) >= 0)
    {
      g_autofree char *count = format_count (cmg_table_get_documents (table));

      gint64 documents = cmg_table_get_documents (table);

      /* Translators: a table and its number of documents */
      label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%s document)", "%s (%s documents)",
                                            (gulong) documents),
                               name, count);
    }
  else
    label = g_strdup (name);
  gtk_check_button_set_label (GTK_CHECK_BUTTON (check), label);
}

/* The previewed snapshot may live on in a plan and keep counting: its tables stop updating
 * this page's summary once another source replaces it. */
void
_cmg_import_assistant_drop_preview (CmgImportAssistant *self)
{
  GListModel *tables;
  guint n;

  if (self->preview == NULL)
    return;
  tables = cmg_snapshot_get_tables (self->preview);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      g_signal_handlers_disconnect_by_func (table, update_source_summary, self);
    }
  g_clear_object (&self->preview);
}

static void
fill_tables (CmgImportAssistant *self)
{
  GListModel *tables = cmg_snapshot_get_tables (self->preview);
  guint n = g_list_model_get_n_items (tables);

  clear_box (GTK_WIDGET (self->tables_list));
  g_ptr_array_set_size (self->table_checks, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      GtkWidget *check = gtk_check_button_new ();

      g_object_set_data_full (G_OBJECT (check), "qualified-name", cmg_table_dup_qualified_name (table), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), TRUE);
      gtk_widget_add_css_class (check, "cmg-table-check");
      update_table_check (check, NULL, table);
      g_signal_connect_object (table, "notify::documents", G_CALLBACK (update_table_check), check, G_CONNECT_SWAPPED);
      g_signal_connect_object (table, "notify::documents", G_CALLBACK (update_source_summary), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_table_check_toggled), self, G_CONNECT_SWAPPED);
      gtk_list_box_append (self->tables_list, check);
      g_ptr_array_add (self->table_checks, check);
    }
  /* Choosing tables is a ZIP matter: a single file is one table. */
  gtk_widget_set_visible (self->tables_box, cmg_snapshot_get_kind (self->preview) == CMG_SNAPSHOT_KIND_ZIP && n > 0);
}

static void
show_findings (CmgImportAssistant *self)
{
  GPtrArray *findings;
  guint64 errors, warnings;
  g_autoptr(GString) text = g_string_new (NULL);
  guint shown = 0;

  if (self->preview_validation == NULL)
    return;
  findings = cmg_validation_get_findings (self->preview_validation);
  errors = cmg_validation_get_severity_count (self->preview_validation, CMG_FINDING_ERROR);
  warnings = cmg_validation_get_severity_count (self->preview_validation, CMG_FINDING_WARNING);

  if (errors == 0 && warnings == 0)
    g_string_append (text, _("The check found no problems."));
  else
    {
      /* Translators: counts of the check's findings */
      g_string_append_printf (text, _("The check found %" G_GUINT64_FORMAT " errors and %" G_GUINT64_FORMAT
                                      " warnings. Errors in the tables you import would make the import fail, so they keep Next unavailable."),
                              errors, warnings);
      for (guint i = 0; i < findings->len && shown < 5; i++)
        {
          CmgFinding *finding = g_ptr_array_index (findings, i);

          if (finding->severity == CMG_FINDING_INFO)
            continue;
          g_string_append_printf (text, "\n• %s", finding->message);
          shown++;
        }
    }
  gtk_label_set_text (self->source_findings_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->source_findings_label), TRUE);
  if (errors > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->source_findings_label), "cmg-assistant-bad");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->source_findings_label), "cmg-assistant-bad");
}

static void
preview_progress (guint64  done,
                  guint64  total,
                  gpointer user_data)
{
  CmgImportAssistant *self = user_data;

  if (total > 0)
    gtk_progress_bar_set_fraction (self->source_progress, (double) done / (double) total);
}

static void
preview_checked (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmgImportAssistant) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgValidation) validation = cmg_validation_run_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->preview_running = FALSE;
  gtk_widget_set_visible (GTK_WIDGET (self->source_progress), FALSE);
  if (validation != NULL)
    {
      g_set_object (&self->preview_validation, validation);
      show_findings (self);
    }
  _cmg_import_assistant_sync_all (self);
}

static void
preview_counted (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmgImportAssistant) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cmg_snapshot_count_finish (CMG_SNAPSHOT (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      self->preview_running = FALSE;
      gtk_widget_set_visible (GTK_WIDGET (self->source_progress), FALSE);
      gtk_label_set_text (self->source_summary_label, error->message);
      _cmg_import_assistant_sync_all (self);
      return;
    }
  update_source_summary (self);
  gtk_progress_bar_set_fraction (self->source_progress, 0);
  cmg_validation_run_async (self->preview, self->preview_cancellable, preview_progress, self,
                            preview_checked, g_object_ref (self));
}

static void
preview_opened (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open_task_finish (result, &error);

  /* A newer source replaced this one meanwhile. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (snapshot == NULL)
    {
      self->preview_running = FALSE;
      gtk_widget_set_visible (GTK_WIDGET (self->source_progress), FALSE);
      gtk_label_set_text (self->source_summary_label, error->message);
      gtk_widget_add_css_class (GTK_WIDGET (self->source_summary_label), "cmg-assistant-bad");
      gtk_widget_remove_css_class (GTK_WIDGET (self->source_summary_label), "dim-label");
      g_free (self->preview_error);
      self->preview_error = g_strdup (error->message);
      _cmg_import_assistant_sync_all (self);
      return;
    }
  _cmg_import_assistant_drop_preview (self);
  self->preview = g_object_ref (snapshot);
  fill_tables (self);
  update_source_summary (self);
  gtk_widget_set_visible (self->single_file_grid, cmg_snapshot_get_kind (snapshot) != CMG_SNAPSHOT_KIND_ZIP);
  cmg_snapshot_count_async (snapshot, self->preview_cancellable, preview_progress, self, NULL,
                            preview_counted, g_object_ref (self));
}

void
_cmg_import_assistant_stop_preview (CmgImportAssistant *self)
{
  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  self->preview_running = FALSE;
}

void
_cmg_import_assistant_start_preview (CmgImportAssistant *self,
                                     GFile              *file)
{
  g_autofree char *name = g_file_get_basename (file);

  _cmg_import_assistant_stop_preview (self);
  _cmg_import_assistant_drop_preview (self);
  g_clear_object (&self->preview_validation);
  g_clear_pointer (&self->preview_error, g_free);
  clear_box (GTK_WIDGET (self->tables_list));
  g_ptr_array_set_size (self->table_checks, 0);
  gtk_widget_set_visible (self->tables_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->source_findings_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->source_summary_label), "cmg-assistant-bad");
  gtk_widget_add_css_class (GTK_WIDGET (self->source_summary_label), "dim-label");
  gtk_label_set_text (self->source_name_label, name);
  gtk_label_set_text (self->source_summary_label, _("Reading the archive…"));
  gtk_progress_bar_set_fraction (self->source_progress, 0);
  gtk_widget_set_visible (GTK_WIDGET (self->source_progress), TRUE);
  gtk_widget_set_visible (self->single_file_grid, FALSE);

  self->preview_cancellable = g_cancellable_new ();
  self->preview_running = TRUE;
  cmg_snapshot_open_task_run (self, file, self->preview_cancellable, preview_opened, NULL);
}

/* --- showing the plan --- */

void
_cmg_import_assistant_sync_source (CmgImportAssistant *self)
{
  if (self->plan == NULL)
    {
      gtk_label_set_text (self->source_name_label, _("No file chosen"));
      gtk_label_set_text (self->source_summary_label,
                          _("Choose an export ZIP, or a .jsonl, .json or .csv file, or drop it here."));
      return;
    }
  if (step_state (self, CMG_PLAN_STEP_SOURCE) == CMG_PLAN_STEP_STATE_FAILED)
    {
      CmgPlanStep *step = cmg_import_plan_get_step (self->plan, CMG_PLAN_STEP_SOURCE);

      gtk_label_set_text (self->source_findings_label, cmg_plan_step_get_reason (step));
      gtk_widget_add_css_class (GTK_WIDGET (self->source_findings_label), "cmg-assistant-bad");
      gtk_widget_set_visible (GTK_WIDGET (self->source_findings_label), TRUE);
    }
}
