/* cmg-connection-switcher.h: the header bar's choice of target: the project's connections and
 * the ones the user added. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-target-resolution.h"

G_BEGIN_DECLS

#define CMG_TYPE_CONNECTION_SWITCHER (cmg_connection_switcher_get_type ())
G_DECLARE_FINAL_TYPE (CmgConnectionSwitcher, cmg_connection_switcher, CMG, CONNECTION_SWITCHER, GtkWidget)

GtkWidget     *cmg_connection_switcher_new            (void);
/* Replaces the project's connections (target, production, local) and selects the target; the
 * connections the user added stay. NULL removes the project's connections. */
void           cmg_connection_switcher_set_resolution (CmgConnectionSwitcher *self,
                                                       CmgTargetResolution   *resolution);
/* Element type CmgConnection: project connections first, then the added ones. */
GListModel    *cmg_connection_switcher_get_connections (CmgConnectionSwitcher *self);
CmgConnection *cmg_connection_switcher_get_connection (CmgConnectionSwitcher *self);
void           cmg_connection_switcher_set_connection (CmgConnectionSwitcher *self,
                                                       CmgConnection         *connection);
/* Selects the connection with that id; FALSE when there is none. */
gboolean       cmg_connection_switcher_select_id      (CmgConnectionSwitcher *self,
                                                       const char            *id);
/* Appends a user-added connection (kept in memory only) and selects it. */
void           cmg_connection_switcher_add_connection (CmgConnectionSwitcher *self,
                                                       CmgConnection         *connection);

G_END_DECLS
