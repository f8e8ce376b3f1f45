/* cmg-project-page.h: the open project: its name and folder, whether the CLI can run there, and
 * why the chosen connection points where it does. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-connection-check.h"
#include "cmg-project.h"

G_BEGIN_DECLS

#define CMG_TYPE_PROJECT_PAGE (cmg_project_page_get_type ())
G_DECLARE_FINAL_TYPE (CmgProjectPage, cmg_project_page, CMG, PROJECT_PAGE, GtkWidget)

GtkWidget  *cmg_project_page_new            (void);
void        cmg_project_page_set_project    (CmgProjectPage     *self,
                                             CmgProject         *project);
void        cmg_project_page_set_connection (CmgProjectPage     *self,
                                             CmgConnection      *connection);
void        cmg_project_page_set_check      (CmgProjectPage     *self,
                                             CmgConnectionCheck *check);
/* The problem sentence shown, or NULL when the CLI can run in the folder. */
const char *cmg_project_page_get_problem    (CmgProjectPage     *self);

G_END_DECLS
