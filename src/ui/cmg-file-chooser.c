/* cmg-file-chooser.c: the one place that asks the person for a file or a folder. */

#include "config.h"

#include <glib/gi18n.h>

#include "cmg-file-chooser.h"

static void
return_files (GTask      *task,
              GListModel *files,
              GError     *error)
{
  if (files != NULL && g_list_model_get_n_items (files) > 0)
    g_task_return_pointer (task, g_object_ref (files), g_object_unref);
  else if (error != NULL)
    g_task_return_error (task, g_error_copy (error));
  else
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             _("No file was chosen"));
}

#if GTK_CHECK_VERSION (4, 10, 0)
/* The 4.8 version bounds mark 4.10 API as unavailable; this branch only builds on 4.10+. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS

static GListModel *
list_of_one (GFile *file)
{
  GListStore *store = g_list_store_new (G_TYPE_FILE);

  g_list_store_append (store, file);
  return G_LIST_MODEL (store);
}

static void
dialog_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GtkFileDialog *dialog = GTK_FILE_DIALOG (object);
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  switch ((CmgFileChooserMode) GPOINTER_TO_INT (g_task_get_task_data (task)))
    {
    case CMG_FILE_CHOOSER_OPEN:
      file = gtk_file_dialog_open_finish (dialog, result, &error);
      break;
    case CMG_FILE_CHOOSER_OPEN_MULTIPLE:
      files = gtk_file_dialog_open_multiple_finish (dialog, result, &error);
      break;
    case CMG_FILE_CHOOSER_SAVE:
      file = gtk_file_dialog_save_finish (dialog, result, &error);
      break;
    case CMG_FILE_CHOOSER_SELECT_FOLDER:
    default:
      file = gtk_file_dialog_select_folder_finish (dialog, result, &error);
      break;
    }
  if (file != NULL)
    files = list_of_one (file);
  /* Dismissing the chooser is the same answer on every GTK version. */
  if (g_error_matches (error, GTK_DIALOG_ERROR, GTK_DIALOG_ERROR_DISMISSED))
    g_clear_error (&error);
  return_files (task, files, error);
}

static void
show_chooser (GTask              *task,
              GtkWindow          *parent,
              CmgFileChooserMode  mode,
              const char         *title,
              const char         *accept_label,
              GListModel         *filters,
              const char         *current_name,
              GFile              *current_folder)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_accept_label (dialog, accept_label);
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (filters != NULL)
    gtk_file_dialog_set_filters (dialog, filters);
  if (current_name != NULL && mode == CMG_FILE_CHOOSER_SAVE)
    gtk_file_dialog_set_initial_name (dialog, current_name);
  if (current_folder != NULL)
    gtk_file_dialog_set_initial_folder (dialog, current_folder);

  switch (mode)
    {
    case CMG_FILE_CHOOSER_OPEN:
      gtk_file_dialog_open (dialog, parent, NULL, dialog_done_cb, task);
      break;
    case CMG_FILE_CHOOSER_OPEN_MULTIPLE:
      gtk_file_dialog_open_multiple (dialog, parent, NULL, dialog_done_cb, task);
      break;
    case CMG_FILE_CHOOSER_SAVE:
      gtk_file_dialog_save (dialog, parent, NULL, dialog_done_cb, task);
      break;
    case CMG_FILE_CHOOSER_SELECT_FOLDER:
    default:
      gtk_file_dialog_select_folder (dialog, parent, NULL, dialog_done_cb, task);
      break;
    }
}

G_GNUC_END_IGNORE_DEPRECATIONS
#else

static void
native_response_cb (GtkNativeDialog *native,
                    int              response,
                    GTask           *task)
{
  g_autoptr(GListModel) files = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    files = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (native));
  return_files (task, files, NULL);
  gtk_native_dialog_destroy (native);
  g_object_unref (native);
  g_object_unref (task);
}

static void
show_chooser (GTask              *task,
              GtkWindow          *parent,
              CmgFileChooserMode  mode,
              const char         *title,
              const char         *accept_label,
              GListModel         *filters,
              const char         *current_name,
              GFile              *current_folder)
{
  GtkFileChooserAction action;
  GtkFileChooserNative *native;

  switch (mode)
    {
    case CMG_FILE_CHOOSER_SAVE:
      action = GTK_FILE_CHOOSER_ACTION_SAVE;
      break;
    case CMG_FILE_CHOOSER_SELECT_FOLDER:
      action = GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER;
      break;
    case CMG_FILE_CHOOSER_OPEN:
    case CMG_FILE_CHOOSER_OPEN_MULTIPLE:
    default:
      action = GTK_FILE_CHOOSER_ACTION_OPEN;
      break;
    }

  native = gtk_file_chooser_native_new (title, parent, action, accept_label, _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (native), TRUE);
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (native), mode == CMG_FILE_CHOOSER_OPEN_MULTIPLE);
  if (filters != NULL)
    {
      guint n = g_list_model_get_n_items (filters);

      for (guint i = 0; i < n; i++)
        {
          g_autoptr(GtkFileFilter) filter = g_list_model_get_item (filters, i);

          gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (native), filter);
        }
    }
  if (current_name != NULL && mode == CMG_FILE_CHOOSER_SAVE)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (native), current_name);
  if (current_folder != NULL)
    gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (native), current_folder, NULL);

  g_signal_connect (native, "response", G_CALLBACK (native_response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

#endif

void
cmg_file_chooser_run_async (GtkWidget           *anchor,
                            CmgFileChooserMode   mode,
                            const char          *title,
                            const char          *accept_label,
                            GListModel          *filters,
                            const char          *current_name,
                            GFile               *current_folder,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  GTask *task;
  GtkRoot *root;

  g_return_if_fail (GTK_IS_WIDGET (anchor));
  g_return_if_fail (title != NULL);
  g_return_if_fail (accept_label != NULL);
  g_return_if_fail (filters == NULL || G_IS_LIST_MODEL (filters));
  g_return_if_fail (current_folder == NULL || G_IS_FILE (current_folder));

  /* The task keeps anchor alive until the person answers; the chooser's callback owns it. */
  task = g_task_new (anchor, NULL, callback, user_data);
  g_task_set_source_tag (task, cmg_file_chooser_run_async);
  g_task_set_task_data (task, GINT_TO_POINTER (mode), NULL);
  root = GTK_IS_WINDOW (anchor) ? GTK_ROOT (anchor) : gtk_widget_get_root (anchor);
  show_chooser (task, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, mode, title, accept_label,
                filters, current_name, current_folder);
}

GListModel *
cmg_file_chooser_run_finish (GtkWidget     *anchor,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, anchor), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
cmg_file_chooser_run_file_finish (GtkWidget     *anchor,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_autoptr(GListModel) files = cmg_file_chooser_run_finish (anchor, result, error);

  return files != NULL ? g_list_model_get_item (files, 0) : NULL;
}

GtkFileFilter *
cmg_file_chooser_new_exports_filter (const char *name)
{
  GtkFileFilter *filter = gtk_file_filter_new ();

  gtk_file_filter_set_name (filter, name);
  gtk_file_filter_add_suffix (filter, "zip");
  gtk_file_filter_add_suffix (filter, "jsonl");
  gtk_file_filter_add_suffix (filter, "json");
  gtk_file_filter_add_suffix (filter, "csv");
  return filter;
}
