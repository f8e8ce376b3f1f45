/* cmg-undo-window.h: the confirmation of an undo (importing the backup back with replace-all), a
 * modal window of its own: for targets that need it, the deployment name must be typed. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-import-plan.h"

G_BEGIN_DECLS

#define CMG_TYPE_UNDO_WINDOW (cmg_undo_window_get_type ())
G_DECLARE_FINAL_TYPE (CmgUndoWindow, cmg_undo_window, CMG, UNDO_WINDOW, GtkWindow)

/* undo_plan: from cmg_import_plan_new_undo. "response" (gboolean confirmed) is emitted once, then
 * the window closes; on confirmation the plan already holds the typed name or the confirmation. */
CmgUndoWindow *cmg_undo_window_new          (GtkWindow     *parent,
                                             CmgImportPlan *undo_plan);
CmgImportPlan *cmg_undo_window_get_plan     (CmgUndoWindow *self);
/* What the undo does, in words (for tests and screen readers). */
const char    *cmg_undo_window_get_summary  (CmgUndoWindow *self);
/* The name entry (NULL when one click is enough) and the confirm button, for tests. */
GtkEditable   *cmg_undo_window_get_entry    (CmgUndoWindow *self);
GtkButton     *cmg_undo_window_get_confirm_button (CmgUndoWindow *self);

G_END_DECLS
