/* cmg-core.h: one-time set-up shared by the app, the headless commands and the tests. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void cmg_core_init_i18n (void);

G_END_DECLS
