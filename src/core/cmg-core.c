/* cmg-core.c: see cmg-core.h. */
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

gboolean
cmg_set_str (char       **field,
             const char  *value)
{
  char *copy;

  g_return_val_if_fail (field != NULL, FALSE);

  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  /* Copy first: value may point into *field. */
  copy = g_strdup (value);
  g_free (*field);
  *field = copy;
  return TRUE;
}
