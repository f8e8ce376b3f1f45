/* cmg-add-connection-dialog.h: asks for a target that is not one of the project's own: a
 * deployment by name, a deploy key, or a self-hosted backend. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CMG_TYPE_ADD_CONNECTION_DIALOG (cmg_add_connection_dialog_get_type ())
G_DECLARE_FINAL_TYPE (CmgAddConnectionDialog, cmg_add_connection_dialog, CMG, ADD_CONNECTION_DIALOG, GtkWindow)

/* Emits "connection-added" (CmgConnection *) and closes once the fields make a valid connection. */
GtkWidget *cmg_add_connection_dialog_new (GtkWindow *parent);

G_END_DECLS
