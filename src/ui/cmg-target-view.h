/* cmg-target-view.h: why a connection points where it does: every variable that took part and
 * where it came from, every conflict, and what the backend answered. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-connection-check.h"

G_BEGIN_DECLS

#define CMG_TYPE_TARGET_VIEW (cmg_target_view_get_type ())
G_DECLARE_FINAL_TYPE (CmgTargetView, cmg_target_view, CMG, TARGET_VIEW, GtkWidget)

GtkWidget     *cmg_target_view_new            (void);
void           cmg_target_view_set_connection (CmgTargetView      *self,
                                               CmgConnection      *connection);
CmgConnection *cmg_target_view_get_connection (CmgTargetView      *self);
/* The probe whose answer is shown; "Check Again" re-runs it. */
void           cmg_target_view_set_check      (CmgTargetView      *self,
                                               CmgConnectionCheck *check);
/* Rows shown in the variables table and the conflicts list. */
guint          cmg_target_view_get_n_variables (CmgTargetView     *self);
guint          cmg_target_view_get_n_conflicts (CmgTargetView     *self);

G_END_DECLS
