/* cmg-import-assistant-review.c: the Review, Run and Result pages: the verified backup, the
 * server's change summary and question, per-table progress, the outcome and whether it can be
 * undone. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-assistant-private.h"
#include "cmg-table.h"

/* --- showing the plan --- */

static void
fill_progress (CmgImportAssistant *self)
{
  GListModel *tables = cmg_import_plan_get_tables (self->plan);
  guint n = g_list_model_get_n_items (tables);

  clear_box (GTK_WIDGET (self->progress_list));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);
      gint64 archive = cmg_plan_table_get_archive_documents (table);
      gint64 written = cmg_plan_table_get_written_documents (table);
      g_autofree char *name = cmg_plan_table_dup_qualified_name (table);
      g_autofree char *count = NULL;
      GtkWidget *box, *label, *bar, *numbers;

      if (archive < 0)
        continue;
      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_widget_add_css_class (box, "cmg-progress-row");
      label = gtk_label_new (name);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_size_request (label, 160, -1);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      bar = gtk_progress_bar_new ();
      gtk_widget_set_hexpand (bar, TRUE);
      gtk_widget_set_valign (bar, GTK_ALIGN_CENTER);
      if (cmg_plan_table_get_done (table) || (archive == 0 && written >= 0))
        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), 1.0);
      else if (written > 0 && archive > 0)
        gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (bar), MIN (1.0, (double) written / (double) archive));
      if (written >= 0)
        {
          g_autofree char *w = format_count (written);
          g_autofree char *a = format_count (archive);

          /* Translators: documents written of documents in the archive */
          count = g_strdup_printf (_("%s of %s"), w, a);
        }
      else
        count = g_strdup (_("Waiting"));
      numbers = gtk_label_new (count);
      gtk_widget_add_css_class (numbers, "numeric");
      gtk_widget_set_size_request (numbers, 120, -1);
      gtk_label_set_xalign (GTK_LABEL (numbers), 1);
      gtk_box_append (GTK_BOX (box), label);
      gtk_box_append (GTK_BOX (box), bar);
      gtk_box_append (GTK_BOX (box), numbers);
      {
        g_autofree char *accessible = g_strdup_printf ("%s: %s", name, count);

        gtk_accessible_update_property (GTK_ACCESSIBLE (bar), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
      }
      gtk_list_box_append (self->progress_list, box);
    }
}

void
_cmg_import_assistant_sync_review (CmgImportAssistant *self)
{
  CmgSnapshot *backup;
  const char *message;
  gboolean awaiting;
  guint n_changes;

  if (self->plan == NULL)
    return;
  backup = cmg_import_plan_get_backup_snapshot (self->plan);
  if (backup != NULL && cmg_import_plan_get_backup_file (self->plan) != NULL)
    {
      GListModel *tables = cmg_snapshot_get_tables (backup);
      guint n = g_list_model_get_n_items (tables);
      gint64 documents = 0;
      g_autofree char *path = g_file_get_path (cmg_import_plan_get_backup_file (self->plan));
      g_autofree char *count = NULL;
      g_autofree char *text = NULL;

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

          documents += MAX (cmg_table_get_documents (table), 0);
        }
      count = format_count (documents);
      /* Translators: tables, documents, a file path */
      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Backup verified: %u table, %s documents at %s",
                                           "Backup verified: %u tables, %s documents at %s", n), n, count, path);
      gtk_label_set_text (self->backup_result_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->backup_result_label), backup != NULL);

  message = cmg_import_plan_get_notify_message (self->plan);
  gtk_widget_set_visible (self->notify_box, message != NULL);
  gtk_label_set_text (self->notify_label, message != NULL ? message : "");
  gtk_label_set_text (self->webhook_result_label,
                      cmg_import_plan_get_webhook_result (self->plan) != NULL ? cmg_import_plan_get_webhook_result (self->plan) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->webhook_result_label), cmg_import_plan_get_webhook_result (self->plan) != NULL);

  if (cmg_import_plan_get_will_ask (self->plan))
    gtk_label_set_text (self->will_ask_label,
                        _("This import deletes documents, so the server first shows what it will change and "
                          "asks. You answer here, with the summary on screen; nothing is deleted before."));
  else
    gtk_label_set_text (self->will_ask_label,
                        _("Nothing would be deleted, so the server will not ask: the import runs as soon as you "
                          "press Start Import."));

  n_changes = g_list_model_get_n_items (cmg_import_plan_get_changes (self->plan));
  gtk_widget_set_visible (self->changes_title, n_changes > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->changes_view), n_changes > 0);

  awaiting = cmg_import_plan_get_awaiting_answer (self->plan);
  gtk_widget_set_visible (self->question_box, awaiting);
  if (awaiting)
    {
      g_autofree char *question = g_strdup_printf (_("The server asks: “%s” Check the table above: “Import and "
                                                     "Delete” deletes what it lists."),
                                                   cmg_import_plan_get_prompt (self->plan) != NULL
                                                   ? cmg_import_plan_get_prompt (self->plan) : "");

      gtk_label_set_text (self->question_label, question);
    }
}

void
_cmg_import_assistant_sync_run (CmgImportAssistant *self)
{
  gint64 ms;
  g_autofree char *elapsed = NULL;
  CmgImportOutcome outcome;
  CmgCliRun *run;

  if (self->plan == NULL)
    return;
  ms = cmg_import_plan_get_elapsed_ms (self->plan);
  /* Translators: elapsed minutes and seconds */
  elapsed = g_strdup_printf (_("Elapsed %" G_GINT64_FORMAT ":%02d"), ms / 60000, (int) ((ms / 1000) % 60));
  gtk_label_set_text (self->elapsed_label, elapsed);
  fill_progress (self);

  outcome = cmg_import_plan_get_outcome (self->plan);
  run = cmg_import_plan_get_run (self->plan);
  if (outcome == CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER)
    {
      g_autofree char *text = g_strdup_printf (_("The import continues on the server; the app only stopped watching. "
                                                 "Watch it at %s"),
                                               cmg_import_plan_get_continue_url (self->plan) != NULL
                                               ? cmg_import_plan_get_continue_url (self->plan) : _("the dashboard"));

      gtk_label_set_text (self->run_status_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->run_status_label), TRUE);
    }
  else if (run != NULL && cmg_import_plan_get_running (self->plan) && cmg_cli_run_get_server_started (run))
    {
      gtk_label_set_text (self->run_status_label,
                          _("The server is importing. Cancel now only stops watching: the import continues on the server."));
      gtk_widget_set_visible (GTK_WIDGET (self->run_status_label), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->run_status_label), FALSE);
}

static void
add_result_cell (CmgImportAssistant *self,
                 const char         *text,
                 int                 column,
                 int                 row,
                 gboolean            heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  else if (column > 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_grid_attach (self->result_grid, label, column, row, 1, 1);
}

void
_cmg_import_assistant_sync_result (CmgImportAssistant *self)
{
  CmgImportOutcome outcome;
  const char *title, *icon, *css;
  GListModel *tables;
  guint n, row = 1;
  g_autofree char *dashboard = NULL;
  GFile *backup;

  if (self->plan == NULL || !cmg_import_plan_get_finished (self->plan))
    return;
  outcome = cmg_import_plan_get_outcome (self->plan);
  switch (outcome)
    {
    case CMG_IMPORT_OUTCOME_SUCCEEDED:
      title = cmg_import_plan_get_is_undo (self->plan) ? _("The import was undone") : _("Import complete");
      icon = "emblem-ok-symbolic";
      css = "cmg-assistant-good";
      break;
    case CMG_IMPORT_OUTCOME_DECLINED:
      title = _("Import cancelled: nothing changed");
      icon = "dialog-information-symbolic";
      css = "cmg-assistant-neutral";
      break;
    case CMG_IMPORT_OUTCOME_CANCELLED:
      title = _("Import stopped before it started");
      icon = "dialog-information-symbolic";
      css = "cmg-assistant-neutral";
      break;
    case CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER:
      title = _("The import continues on the server");
      icon = "dialog-warning-symbolic";
      css = "cmg-assistant-warning";
      break;
    case CMG_IMPORT_OUTCOME_FAILED:
    case CMG_IMPORT_OUTCOME_NONE:
    default:
      title = _("The import failed");
      icon = "dialog-error-symbolic";
      css = "cmg-assistant-bad";
      break;
    }
  gtk_label_set_text (self->result_title_label, title);
  gtk_image_set_from_icon_name (self->result_icon, icon);
  gtk_widget_set_css_classes (GTK_WIDGET (self->result_icon), (const char *[]) { css, NULL });
  gtk_label_set_text (self->result_message_label,
                      cmg_import_plan_get_result_message (self->plan) != NULL ? cmg_import_plan_get_result_message (self->plan) : "");
  gtk_label_set_text (self->result_fix_label,
                      cmg_import_plan_get_result_fix (self->plan) != NULL ? cmg_import_plan_get_result_fix (self->plan) : "");
  gtk_widget_set_visible (GTK_WIDGET (self->result_fix_label), cmg_import_plan_get_result_fix (self->plan) != NULL);

  clear_box (GTK_WIDGET (self->result_grid));
  add_result_cell (self, _("Table"), 0, 0, TRUE);
  add_result_cell (self, _("Written"), 1, 0, TRUE);
  add_result_cell (self, _("In the archive"), 2, 0, TRUE);
  tables = cmg_import_plan_get_tables (self->plan);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);
      g_autofree char *name = cmg_plan_table_dup_qualified_name (table);
      gint64 archive = cmg_plan_table_get_archive_documents (table);
      gint64 written = cmg_plan_table_get_written_documents (table);
      g_autofree char *w = written >= 0 ? format_count (written) : g_strdup (_("—"));
      g_autofree char *a = NULL;

      if (archive < 0)
        continue;
      a = format_count (archive);
      add_result_cell (self, name, 0, row, FALSE);
      add_result_cell (self, w, 1, row, FALSE);
      add_result_cell (self, a, 2, row, FALSE);
      row++;
    }
  /* Declined or stopped: nothing was written, the counts would only confuse. */
  gtk_widget_set_visible (GTK_WIDGET (self->result_grid), row > 1 && outcome != CMG_IMPORT_OUTCOME_DECLINED &&
                                                          outcome != CMG_IMPORT_OUTCOME_CANCELLED);

  backup = cmg_import_plan_get_backup_file (self->plan);
  if (backup != NULL)
    {
      g_autofree char *path = g_file_get_path (backup);
      g_autofree char *text = g_strdup_printf (_("The target as it was before: %s"), path);

      gtk_label_set_text (self->result_backup_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->result_backup_label), backup != NULL);

  dashboard = cmg_import_plan_dup_dashboard_url (self->plan);
  if (dashboard != NULL)
    gtk_link_button_set_uri (self->dashboard_link, dashboard);
  gtk_widget_set_visible (GTK_WIDGET (self->dashboard_link), dashboard != NULL);
  if (cmg_import_plan_get_continue_url (self->plan) != NULL)
    gtk_link_button_set_uri (self->continue_link, cmg_import_plan_get_continue_url (self->plan));
  gtk_widget_set_visible (GTK_WIDGET (self->continue_link), cmg_import_plan_get_continue_url (self->plan) != NULL);
}

gboolean
_cmg_import_assistant_undo_possible (CmgImportAssistant *self)
{
  CmgImportOutcome outcome;

  if (self->plan == NULL || !cmg_import_plan_get_finished (self->plan) ||
      cmg_import_plan_get_backup_snapshot (self->plan) == NULL)
    return FALSE;
  outcome = cmg_import_plan_get_outcome (self->plan);
  /* Declined or stopped before the server started: nothing changed, nothing to undo. */
  return outcome == CMG_IMPORT_OUTCOME_SUCCEEDED || outcome == CMG_IMPORT_OUTCOME_FAILED ||
         outcome == CMG_IMPORT_OUTCOME_CONTINUES_ON_SERVER;
}

/* --- the change summary's columns --- */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) >= 2 ? 1 : 0);
  if (GPOINTER_TO_INT (user_data) >= 2)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  CmgPlanTable *table = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = NULL;

  switch (GPOINTER_TO_INT (user_data))
    {
    case 0:
      text = g_strdup (*cmg_plan_table_get_component (table) != '\0' ? cmg_plan_table_get_component (table) : _("App"));
      break;
    case 1:
      text = g_strdup (cmg_plan_table_get_name (table));
      break;
    case 2:
      text = cmg_plan_table_get_create (table) >= 0 ? format_count (cmg_plan_table_get_create (table)) : g_strdup ("—");
      break;
    case 3:
    default:
      if (cmg_plan_table_get_delete (table) >= 0)
        {
          g_autofree char *d = format_count (cmg_plan_table_get_delete (table));
          g_autofree char *of = format_count (MAX (cmg_plan_table_get_of (table), 0));

          /* Translators: documents deleted of documents held now */
          text = g_strdup_printf (_("%s of %s"), d, of);
          if (cmg_plan_table_get_delete (table) > 0)
            gtk_widget_add_css_class (label, "cmg-assistant-bad");
          else
            gtk_widget_remove_css_class (label, "cmg-assistant-bad");
        }
      else
        text = g_strdup ("—");
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

void
_cmg_import_assistant_add_change_column (CmgImportAssistant *self,
                                         const char         *title,
                                         int                 which)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkColumnViewColumn) column = NULL;

  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), GINT_TO_POINTER (which));
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), GINT_TO_POINTER (which));
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, which == 1);
  gtk_column_view_append_column (self->changes_view, column);
}
