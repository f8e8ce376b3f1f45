/* cmg-core.c: one-time set-up shared by the app, the headless commands and the tests. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "cmg-core.h"

void
cmg_core_init_i18n (void)
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}
