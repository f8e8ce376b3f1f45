/* cmg-application.h: the GtkApplication: windows, actions, the command line. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-run-history.h"

G_BEGIN_DECLS

#define CMG_TYPE_APPLICATION (cmg_application_get_type ())
G_DECLARE_FINAL_TYPE (CmgApplication, cmg_application, CMG, APPLICATION, GtkApplication)

CmgApplication *cmg_application_new          (void);
/* Adds the app's style sheet and icons to a display (once per display). Widget tests that run
 * without the application call it so that they render what users see. */
void            cmg_application_init_display (GdkDisplay *display);
/* Every CLI run, shared by the windows (loaded on first use). */
CmgRunHistory  *cmg_application_get_history  (CmgApplication *self);
/* A new history read from the user's state folder (CMG_STATE_DIR in tests). */
CmgRunHistory  *cmg_application_load_history (void);

G_END_DECLS
