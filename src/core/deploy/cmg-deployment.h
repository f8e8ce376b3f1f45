/* cmg-deployment.h: what a target is (name, type, team, project, URL), how the CLI reaches it,
 * and where that choice came from. Immutable once built. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CMG_DEPLOYMENT_TYPE_UNKNOWN,
  CMG_DEPLOYMENT_TYPE_DEV,
  CMG_DEPLOYMENT_TYPE_PROD,
  CMG_DEPLOYMENT_TYPE_PREVIEW,
  CMG_DEPLOYMENT_TYPE_LOCAL,
  CMG_DEPLOYMENT_TYPE_ANONYMOUS,
  CMG_DEPLOYMENT_TYPE_SELF_HOSTED,
  CMG_DEPLOYMENT_TYPE_CUSTOM,
} CmgDeploymentType;

typedef enum {
  CMG_RISK_LOW,     /* dev, local, anonymous, self-hosted, custom */
  CMG_RISK_MEDIUM,  /* preview */
  CMG_RISK_HIGH,    /* production and unknown */
} CmgRisk;

/* How the CLI is told about the target. The first four are the `via` values of `target --json`. */
typedef enum {
  CMG_TARGET_VIA_NONE,
  CMG_TARGET_VIA_DEPLOY_KEY,
  CMG_TARGET_VIA_SELF_HOSTED,
  CMG_TARGET_VIA_CONVEX_DEPLOYMENT,
  CMG_TARGET_VIA_PROD_FLAG,         /* `--prod` on top of CONVEX_DEPLOYMENT */
  CMG_TARGET_VIA_DEPLOYMENT_FLAG,   /* `--deployment <name or reference>`, needs `npx convex login` */
} CmgTargetVia;

/* "dev", "prod", "preview", "local", "anonymous", "self-hosted", "custom", "unknown" */
const char *cmg_deployment_type_to_string (CmgDeploymentType type);
gboolean    cmg_deployment_type_from_string (const char *str, CmgDeploymentType *out_type);
/* Translated banner label: "PRODUCTION", "Development", "Preview", "Local", "Anonymous",
 * "Self-hosted", "Custom", "Unknown" */
const char *cmg_deployment_type_get_label (CmgDeploymentType type);
CmgRisk     cmg_deployment_type_get_risk (CmgDeploymentType type);
/* "deploy-key", "self-hosted", "CONVEX_DEPLOYMENT", "none", "--prod", "--deployment" */
const char *cmg_target_via_to_string (CmgTargetVia via);

/* Where a value came from: a file and line, or the process environment (file == NULL), or the user
 * (user_input == TRUE). */
typedef struct {
  char    *file;        /* file name relative to the project, e.g. ".env.local"; NULL: not a file */
  guint    line;        /* 1-based; 0 when not from a file */
  gboolean user_input;  /* typed or pasted into the app */
} CmgValueSource;

#define CMG_TYPE_VALUE_SOURCE (cmg_value_source_get_type ())
GType           cmg_value_source_get_type (void) G_GNUC_CONST;
CmgValueSource *cmg_value_source_new_file (const char *file, guint line);
CmgValueSource *cmg_value_source_new_environment (void);
CmgValueSource *cmg_value_source_new_user_input (void);
CmgValueSource *cmg_value_source_copy (const CmgValueSource *source);
void            cmg_value_source_free (CmgValueSource *source);
/* Translated: "from .env.local, line 2", "from the environment", "entered in Convex Migrate" */
char           *cmg_value_source_describe (const CmgValueSource *source);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgValueSource, cmg_value_source_free)

#define CMG_TYPE_DEPLOYMENT (cmg_deployment_get_type ())
G_DECLARE_FINAL_TYPE (CmgDeployment, cmg_deployment, CMG, DEPLOYMENT, GObject)

/* name may be NULL when the CLI decides it at run time (e.g. `--prod` resolves the project's
 * production deployment through the Convex control plane). team, project and url may be NULL.
 * source may be NULL (the app made the choice). Properties of the same names, read-only. */
CmgDeployment      *cmg_deployment_new (const char           *name,
                                        CmgDeploymentType     type,
                                        const char           *team,
                                        const char           *project,
                                        const char           *url,
                                        CmgTargetVia          via,
                                        const CmgValueSource *source);

const char         *cmg_deployment_get_name (CmgDeployment *self);
CmgDeploymentType   cmg_deployment_get_deployment_type (CmgDeployment *self);
const char         *cmg_deployment_get_team (CmgDeployment *self);
const char         *cmg_deployment_get_project (CmgDeployment *self);
const char         *cmg_deployment_get_url (CmgDeployment *self);
CmgTargetVia        cmg_deployment_get_via (CmgDeployment *self);
const CmgValueSource *cmg_deployment_get_source (CmgDeployment *self);
CmgRisk             cmg_deployment_get_risk (CmgDeployment *self);
/* The name, or a translated stand-in such as "Production of my-project" when the name is unknown. */
char               *cmg_deployment_dup_display_name (CmgDeployment *self);

/* `https://<name>.convex.cloud` for a cloud deployment name. */
char               *cmg_deployment_cloud_url_for_name (const char *name);

G_END_DECLS
