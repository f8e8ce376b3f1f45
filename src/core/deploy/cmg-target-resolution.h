/* cmg-target-resolution.h: the effective target of a project folder as the CLI would pick it,
 * every variable that took part and where it came from, and every conflict seen on the way. */
#pragma once

#include <gio/gio.h>

#include "cmg-conflict.h"
#include "cmg-deployment.h"
#include "cmg-project.h"

G_BEGIN_DECLS

/* One variable the CLI reads (CONVEX_*, and the frontend URL variables compared against the
 * target) as seen in one place. The same key may appear several times: from the environment,
 * .env.local and .env; exactly one of those is `effective`. */
typedef struct {
  char           *key;
  char           *display_value;  /* secrets (deploy keys, admin keys) masked */
  CmgValueSource *source;
  gboolean        effective;      /* the value the CLI sees */
  gboolean        secret;
} CmgTargetVariable;

#define CMG_TYPE_TARGET_VARIABLE (cmg_target_variable_get_type ())
GType              cmg_target_variable_get_type (void) G_GNUC_CONST;
CmgTargetVariable *cmg_target_variable_copy (const CmgTargetVariable *variable);
void               cmg_target_variable_free (CmgTargetVariable *variable);

#define CMG_TYPE_TARGET_RESOLUTION (cmg_target_resolution_get_type ())
G_DECLARE_FINAL_TYPE (CmgTargetResolution, cmg_target_resolution, CMG, TARGET_RESOLUTION, GObject)

/* Reads .env.local, .env and .convex/local/default/config.json of the project (blocking, small
 * files, each bounded in size) and applies the CLI's rules with `environ` as the process
 * environment (g_get_environ() in the app; a fixed list in tests). Unreadable files become
 * conflicts, never errors: the result always exists. */
CmgTargetResolution *cmg_target_resolve (CmgProject         *project,
                                         const char * const *environ);
void                 cmg_target_resolve_async (CmgProject          *project,
                                               const char * const  *environ,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
CmgTargetResolution *cmg_target_resolve_finish (GAsyncResult *result, GError **error);

CmgProject          *cmg_target_resolution_get_project (CmgTargetResolution *self);
/* NULL when the CLI would find no target (or refuse to pick one, see the conflicts). */
CmgDeployment       *cmg_target_resolution_get_target (CmgTargetResolution *self);
/* Element type CmgConflict*, most severe first. */
GPtrArray           *cmg_target_resolution_get_conflicts (CmgTargetResolution *self);
CmgConflictSeverity  cmg_target_resolution_get_max_severity (CmgTargetResolution *self); /* INFO when none */
gboolean             cmg_target_resolution_has_conflicts (CmgTargetResolution *self);  /* any warning or error */
/* Element type CmgTargetVariable*, in the CLI's order of precedence. */
GPtrArray           *cmg_target_resolution_get_variables (CmgTargetResolution *self);
/* The local deployment of .convex/local/default/config.json when present and valid, else NULL. */
CmgDeployment       *cmg_target_resolution_get_local_deployment (CmgTargetResolution *self);
/* Admin key of that local deployment (secret: never log or store it). */
const char          *cmg_target_resolution_get_local_admin_key (CmgTargetResolution *self);
/* The effective deploy key or self-hosted admin key when the target uses one (secret). */
const char          *cmg_target_resolution_get_secret (CmgTargetResolution *self);

/* The `target --json` document:
 * {"project", "target": {"name","type","team","project","url","via","source"} | null,
 *  "conflicts": [{"code","message"}]} (each conflict also carries "severity"). */
char                *cmg_target_resolution_to_json (CmgTargetResolution *self, gboolean pretty);

G_END_DECLS
