/* cmg-file-chooser.h: the one place that asks the person for a file or a folder.
 *
 * GTK 4.8 has GtkFileChooserNative; GTK 4.10 deprecates it for GtkFileDialog. Every caller goes
 * through this wrapper so that the switch is made once.
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  CMG_FILE_CHOOSER_OPEN,
  CMG_FILE_CHOOSER_OPEN_MULTIPLE,
  CMG_FILE_CHOOSER_SAVE,
  CMG_FILE_CHOOSER_SELECT_FOLDER,
} CmgFileChooserMode;

/* Shows a modal chooser over anchor's window. filters (of GtkFileFilter) may be NULL;
 * current_name only applies to CMG_FILE_CHOOSER_SAVE. The task's source object is anchor. */
void           cmg_file_chooser_run_async          (GtkWidget           *anchor,
                                                    CmgFileChooserMode   mode,
                                                    const char          *title,
                                                    const char          *accept_label,
                                                    GListModel          *filters,
                                                    const char          *current_name,
                                                    GFile               *current_folder,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
/* The chosen files; NULL with G_IO_ERROR_CANCELLED when the person dismissed the chooser. */
GListModel    *cmg_file_chooser_run_finish         (GtkWidget           *anchor,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* The first chosen file, for the single-file modes. */
GFile         *cmg_file_chooser_run_file_finish    (GtkWidget           *anchor,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* A filter for the files the app can read as an export: .zip, .jsonl, .json and .csv. */
GtkFileFilter *cmg_file_chooser_new_exports_filter (const char          *name);

G_END_DECLS
