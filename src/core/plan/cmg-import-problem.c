/* cmg-import-problem.c: see cmg-import-problem.h. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cmg-import-problem.h"

CmgImportProblem
cmg_import_problem_from_message (const char *message,
                                 guint64    *out_row)
{
  const char *row;

  if (out_row != NULL)
    *out_row = 0;
  if (message == NULL || *message == '\0')
    return CMG_IMPORT_PROBLEM_NONE;

  if (strstr (message, "does not match the schema") != NULL)
    return CMG_IMPORT_PROBLEM_SCHEMA_MISMATCH;
  if (strstr (message, "already exists") != NULL && strstr (message, "Table ") != NULL)
    return CMG_IMPORT_PROBLEM_TABLE_EXISTS;
  if ((row = strstr (message, "Row ")) != NULL && g_ascii_isdigit (row[4]))
    {
      if (out_row != NULL)
        *out_row = g_ascii_strtoull (row + 4, NULL, 10);
      return CMG_IMPORT_PROBLEM_INVALID_ROW;
    }
  if (strstr (message, "BadDeployKey") != NULL || strstr (message, "BadAdminKey") != NULL)
    return CMG_IMPORT_PROBLEM_BAD_KEY;
  if (strstr (message, "import in progress") != NULL)
    return CMG_IMPORT_PROBLEM_IMPORT_IN_PROGRESS;
  return CMG_IMPORT_PROBLEM_OTHER;
}

char *
cmg_import_problem_dup_fix (CmgImportProblem problem,
                            guint64          row)
{
  switch (problem)
    {
    case CMG_IMPORT_PROBLEM_SCHEMA_MISMATCH:
      return g_strdup (_("The documents do not match the target's schema. Push the schema.ts that matches "
                         "the data (for a dev deployment: npx convex dev --once), or fix the documents, then import again."));
    case CMG_IMPORT_PROBLEM_TABLE_EXISTS:
      return g_strdup (_("The table already holds documents and this mode only imports into empty tables. "
                         "Choose append to add the documents, or replace to swap them."));
    case CMG_IMPORT_PROBLEM_INVALID_ROW:
      /* Translators: %s is a row number */
      {
        g_autofree char *number = g_strdup_printf ("%" G_GUINT64_FORMAT, row);
        return g_strdup_printf (_("Row %s of the file is not valid. Fix that line (the archive browser's check "
                                  "lists every such line), then import again."), number);
      }
    case CMG_IMPORT_PROBLEM_BAD_KEY:
      return g_strdup (_("The deployment refused the key. Create a new deploy key in the dashboard, or check "
                         "the admin key of the self-hosted backend, and edit the connection."));
    case CMG_IMPORT_PROBLEM_IMPORT_IN_PROGRESS:
      return g_strdup (_("Another import is running on this deployment. Wait for it to finish, then try again."));
    case CMG_IMPORT_PROBLEM_OTHER:
      return g_strdup (_("Read the log for the server's full message; nothing the app can tell was changed "
                         "before the failure, and the backup is still there."));
    case CMG_IMPORT_PROBLEM_NONE:
    default:
      return NULL;
    }
}
