/* cmg-conflict.c: see cmg-conflict.h. */
#include "config.h"

#include "cmg-conflict.h"

G_DEFINE_BOXED_TYPE (CmgConflict, cmg_conflict, cmg_conflict_copy, cmg_conflict_free)

CmgConflict *
cmg_conflict_new (const char          *code,
                  CmgConflictSeverity  severity,
                  const char          *message)
{
  CmgConflict *conflict;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  conflict = g_new0 (CmgConflict, 1);
  conflict->code = g_strdup (code);
  conflict->message = g_strdup (message);
  conflict->severity = severity;

  return conflict;
}

CmgConflict *
cmg_conflict_copy (const CmgConflict *conflict)
{
  g_return_val_if_fail (conflict != NULL, NULL);

  return cmg_conflict_new (conflict->code, conflict->severity, conflict->message);
}

void
cmg_conflict_free (CmgConflict *conflict)
{
  if (conflict == NULL)
    return;

  g_free (conflict->code);
  g_free (conflict->message);
  g_free (conflict);
}

const char *
cmg_conflict_severity_to_string (CmgConflictSeverity severity)
{
  switch (severity)
    {
    case CMG_CONFLICT_SEVERITY_INFO:
      return "info";
    case CMG_CONFLICT_SEVERITY_WARNING:
      return "warning";
    case CMG_CONFLICT_SEVERITY_ERROR:
      return "error";
    default:
      g_return_val_if_reached ("error");
    }
}
