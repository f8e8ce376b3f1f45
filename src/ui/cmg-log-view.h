/* cmg-log-view.h: a log of any length (a virtualised list of one-line rows): follows new output
 * until the user scrolls up (then offers "Jump to End"), finds lines (Ctrl+F), copies the selected
 * lines or all of them, and saves them to a file. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-cli-run.h"
#include "cmg-log-model.h"

G_BEGIN_DECLS

#define CMG_TYPE_LOG_VIEW (cmg_log_view_get_type ())
G_DECLARE_FINAL_TYPE (CmgLogView, cmg_log_view, CMG, LOG_VIEW, GtkWidget)

GtkWidget   *cmg_log_view_new               (void);
CmgLogModel *cmg_log_view_get_model         (CmgLogView          *self);
GtkListView *cmg_log_view_get_list_view     (CmgLogView          *self);
void         cmg_log_view_clear             (CmgLogView          *self);
/* Shows a run's output as it arrives (line-added, line-updated) until another run is attached
 * or the view is cleared; run NULL detaches. Call on a cleared view, before the run starts. */
void         cmg_log_view_attach_run        (CmgLogView          *self,
                                             CmgCliRun           *run);
/* Replaces the content with a log file, read in a worker thread. */
void         cmg_log_view_load_file_async   (CmgLogView          *self,
                                             GFile               *file,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     cmg_log_view_load_file_finish  (CmgLogView          *self,
                                             GAsyncResult        *result,
                                             GError             **error);
/* TRUE while the view keeps the newest line in sight. */
gboolean     cmg_log_view_get_following     (CmgLogView          *self);
/* Scrolls to the newest line and follows again. */
void         cmg_log_view_jump_to_end       (CmgLogView          *self);
/* Selects and shows the next (or previous) line containing text (ignoring ASCII case), wrapping
 * around; the line's position, or GTK_INVALID_LIST_POSITION when none matches. */
guint        cmg_log_view_find              (CmgLogView          *self,
                                             const char          *text,
                                             gboolean             forward);
/* The selected lines, or every line when none is selected. */
char        *cmg_log_view_dup_copy_text     (CmgLogView          *self);
/* Puts cmg_log_view_dup_copy_text() on the clipboard. */
void         cmg_log_view_copy              (CmgLogView          *self);
/* Writes every line to file. Without replace, an existing file is left alone and the save fails
 * (G_IO_ERROR_EXISTS); the save dialog asks before it replaces one. */
void         cmg_log_view_save_async        (CmgLogView          *self,
                                             GFile               *file,
                                             gboolean             replace,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
gboolean     cmg_log_view_save_finish       (CmgLogView          *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
