/* cmg-import-mode.c: see cmg-import-mode.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-mode.h"
#include "cmg-plan-table.h"

const char *
cmg_import_mode_get_label (CmgCliImportMode mode)
{
  switch (mode)
    {
    case CMG_CLI_IMPORT_MODE_APPEND:
      return _("Add the documents to the tables");
    case CMG_CLI_IMPORT_MODE_REPLACE:
      return _("Replace the tables in the file");
    case CMG_CLI_IMPORT_MODE_REPLACE_ALL:
      return _("Replace the whole deployment");
    case CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY:
    default:
      return _("Only into empty tables");
    }
}

const char *
cmg_import_mode_get_flag (CmgCliImportMode mode)
{
  switch (mode)
    {
    case CMG_CLI_IMPORT_MODE_APPEND:
      return "append";
    case CMG_CLI_IMPORT_MODE_REPLACE:
      return "replace";
    case CMG_CLI_IMPORT_MODE_REPLACE_ALL:
      return "replace-all";
    case CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY:
    default:
      return "none";
    }
}

char *
cmg_import_mode_dup_description (CmgCliImportMode  mode,
                                 const char       *target,
                                 GListModel       *tables,
                                 gboolean          target_known)
{
  GString *text;
  guint n;

  g_return_val_if_fail (target != NULL, NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (tables), NULL);

  text = g_string_new (NULL);

  switch (mode)
    {
    case CMG_CLI_IMPORT_MODE_APPEND:
      /* Translators: %s is a deployment */
      g_string_append_printf (text, _("Append: the archive's documents are added to %s; nothing is deleted."), target);
      break;
    case CMG_CLI_IMPORT_MODE_REPLACE:
      g_string_append_printf (text, _("Replace: each table in the archive is emptied on %s, then filled with the archive's documents. Other tables are left alone."), target);
      break;
    case CMG_CLI_IMPORT_MODE_REPLACE_ALL:
      g_string_append_printf (text, _("Replace all: %s ends up holding exactly the archive. Tables not in the archive are emptied, and deleted unless schema.ts defines them."), target);
      break;
    case CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY:
    default:
      g_string_append_printf (text, _("Only into empty tables: the import fails, changing nothing, if a table of the archive already holds documents on %s."), target);
      break;
    }

  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);
      g_autofree char *line = cmg_plan_table_dup_effect_text (table);

      g_string_append_printf (text, "\n• %s", line);
    }

  if (!target_known && mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("Every other table of the deployment is emptied or deleted; the backup lists them before anything happens."));
    }
  else if (!target_known)
    {
      g_string_append_c (text, '\n');
      g_string_append (text, _("What the deployment holds now is not known yet: a backup tells, and the server's change summary shows the exact counts before anything is deleted."));
    }

  return g_string_free (text, FALSE);
}
