/* cmg-window.h: the main window: header bar, deployment banner, content. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-application.h"

G_BEGIN_DECLS

#define CMG_TYPE_WINDOW (cmg_window_get_type ())
G_DECLARE_FINAL_TYPE (CmgWindow, cmg_window, CMG, WINDOW, GtkApplicationWindow)

CmgWindow *cmg_window_new (CmgApplication *application);

G_END_DECLS
