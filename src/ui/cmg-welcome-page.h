/* cmg-welcome-page.h: what the window shows before a project is open: the way to open one, and
 * the recent projects. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CMG_TYPE_WELCOME_PAGE (cmg_welcome_page_get_type ())
G_DECLARE_FINAL_TYPE (CmgWelcomePage, cmg_welcome_page, CMG, WELCOME_PAGE, GtkWidget)

/* Emits "project-activated" (GFile *) when a recent project is chosen. The list follows the
 * `recent-projects` setting. */
GtkWidget *cmg_welcome_page_new (void);

G_END_DECLS
