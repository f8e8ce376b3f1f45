/* cmg-conflict.h: something about a target a careful engineer would want to know. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CMG_CONFLICT_SEVERITY_INFO,
  CMG_CONFLICT_SEVERITY_WARNING,
  CMG_CONFLICT_SEVERITY_ERROR,   /* the CLI would refuse to run, or the app cannot tell the target */
} CmgConflictSeverity;

typedef struct {
  char                *code;     /* stable, e.g. "deploy-key-overrides-deployment" */
  char                *message;  /* translated, one or two sentences naming files and lines */
  CmgConflictSeverity  severity;
} CmgConflict;

#define CMG_TYPE_CONFLICT (cmg_conflict_get_type ())
GType        cmg_conflict_get_type (void) G_GNUC_CONST;
CmgConflict *cmg_conflict_new (const char *code, CmgConflictSeverity severity, const char *message);
CmgConflict *cmg_conflict_copy (const CmgConflict *conflict);
void         cmg_conflict_free (CmgConflict *conflict);
const char  *cmg_conflict_severity_to_string (CmgConflictSeverity severity); /* "info" "warning" "error" */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgConflict, cmg_conflict_free)

G_END_DECLS
