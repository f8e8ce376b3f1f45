/* cmg-connection.h: one target the switcher offers for a project, with what the CLI needs to reach
 * it. Secrets live in memory only and are never part of the id or the title. */
#pragma once

#include <gio/gio.h>

#include "cmg-deployment.h"
#include "cmg-target-resolution.h"

G_BEGIN_DECLS

typedef enum {
  CMG_CONNECTION_KIND_PROJECT_TARGET,  /* whatever the project's env resolves to */
  CMG_CONNECTION_KIND_PROJECT_PROD,    /* the project's production deployment (`--prod`) */
  CMG_CONNECTION_KIND_PROJECT_LOCAL,   /* .convex/local/default (url + admin key) */
  CMG_CONNECTION_KIND_DEPLOYMENT,      /* `--deployment <name or reference>`, needs `npx convex login` */
  CMG_CONNECTION_KIND_DEPLOY_KEY,      /* a pasted deploy key */
  CMG_CONNECTION_KIND_SELF_HOSTED,     /* a URL with its admin key */
} CmgConnectionKind;

#define CMG_TYPE_CONNECTION (cmg_connection_get_type ())
G_DECLARE_FINAL_TYPE (CmgConnection, cmg_connection, CMG, CONNECTION, GObject)

CmgConnection     *cmg_connection_new_project_target (CmgTargetResolution *resolution);
/* NULL when the project cannot have a `--prod` target (no CONVEX_DEPLOYMENT, self-hosted). */
CmgConnection     *cmg_connection_new_project_prod (CmgTargetResolution *resolution);
/* NULL when the project has no valid local deployment config. */
CmgConnection     *cmg_connection_new_project_local (CmgTargetResolution *resolution);
/* name_or_ref: `joyful-capybara-123`, `dev/james`, `staging`, `team:project:ref`, … */
CmgConnection     *cmg_connection_new_deployment (const char *name_or_ref, GError **error);
CmgConnection     *cmg_connection_new_deploy_key (const char *deploy_key, GError **error);
/* url must be http(s) with a host; admin_key non-empty. */
CmgConnection     *cmg_connection_new_self_hosted (const char  *url,
                                                   const char  *admin_key,
                                                   GError     **error);

CmgConnectionKind  cmg_connection_get_kind (CmgConnection *self);
/* Stable and secret-free, for settings: "target", "prod", "local", "deployment:<ref>",
 * "deploy-key:<type>:<name>", "self-hosted:<url>". */
const char        *cmg_connection_get_id (CmgConnection *self);
/* Translated, for the switcher: "Project target", "Production", "Local deployment", the name… */
const char        *cmg_connection_get_title (CmgConnection *self);
/* What the CLI would hit; NULL for a project target that resolves to nothing. */
CmgDeployment     *cmg_connection_get_deployment (CmgConnection *self);
/* The resolution for project connections, else NULL. */
CmgTargetResolution *cmg_connection_get_resolution (CmgConnection *self);
/* Conflicts that apply to this connection (the resolution's, plus e.g. `--prod` ignored under a
 * deploy key). Element type CmgConflict*. */
GPtrArray         *cmg_connection_get_conflicts (CmgConnection *self);
/* Deploy key or admin key, or NULL. Never log, store or display it. */
const char        *cmg_connection_get_secret (CmgConnection *self);
/* The secret masked for display, or NULL. */
char              *cmg_connection_dup_masked_secret (CmgConnection *self);

G_END_DECLS
