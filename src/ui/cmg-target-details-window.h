/* cmg-target-details-window.h: the banner's details: every variable with its source, every
 * conflict, the probe's answer and "Check Again". */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-connection-check.h"

G_BEGIN_DECLS

#define CMG_TYPE_TARGET_DETAILS_WINDOW (cmg_target_details_window_get_type ())
G_DECLARE_FINAL_TYPE (CmgTargetDetailsWindow, cmg_target_details_window, CMG, TARGET_DETAILS_WINDOW, GtkWindow)

/* connection may be NULL (no target); check is the probe the banner runs for it. */
GtkWidget *cmg_target_details_window_new (GtkWindow          *parent,
                                          CmgConnection      *connection,
                                          CmgConnectionCheck *check);

G_END_DECLS
