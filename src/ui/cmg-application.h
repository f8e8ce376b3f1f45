/* cmg-application.h: the GtkApplication: windows, actions, the command line. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CMG_TYPE_APPLICATION (cmg_application_get_type ())
G_DECLARE_FINAL_TYPE (CmgApplication, cmg_application, CMG, APPLICATION, GtkApplication)

CmgApplication *cmg_application_new (void);

G_END_DECLS
