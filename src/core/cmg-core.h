/* cmg-core.h: one-time set-up shared by the app, the headless commands and the tests, and the
 * small GLib helpers every area of the core uses. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     cmg_core_init_i18n (void);

/* g_set_str() (GLib 2.76): replaces *field by a copy of value. TRUE when it changed, so the
 * caller notifies only then. */
gboolean cmg_set_str (char       **field,
                      const char  *value);

G_END_DECLS
