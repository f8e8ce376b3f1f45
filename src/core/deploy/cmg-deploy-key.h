/* cmg-deploy-key.h: reading a deploy key's shape (never its secret). */
#pragma once

#include <glib.h>

#include "cmg-deployment.h"

G_BEGIN_DECLS

typedef enum {
  CMG_DEPLOY_KEY_KIND_DEPLOYMENT,  /* prod:<name>|s, dev:<name>|s, preview:<name>|s, legacy <name>|s */
  CMG_DEPLOY_KEY_KIND_PREVIEW,     /* preview:<team>:<project>|s (branch picked by --preview-name) */
  CMG_DEPLOY_KEY_KIND_PROJECT,     /* project:<team>:<project>|s */
} CmgDeployKeyKind;

typedef struct {
  CmgDeployKeyKind  kind;
  CmgDeploymentType type;      /* PROD for `prod:` and legacy keys; DEV; PREVIEW; UNKNOWN for project keys */
  char             *name;      /* deployment name, or NULL for preview/project keys */
  char             *team;      /* NULL unless the key names it */
  char             *project;   /* NULL unless the key names it */
  gboolean          legacy;    /* no type prefix */
} CmgDeployKeyInfo;

/* NULL with CMG_DEPLOY_ERROR_MALFORMED (message never quotes the secret) when the key has no
 * recognisable shape. */
CmgDeployKeyInfo *cmg_deploy_key_parse (const char *key, GError **error);
void              cmg_deploy_key_info_free (CmgDeployKeyInfo *info);
/* "prod:happy-animal-123|••••••••" : the prefix kept, the secret masked. */
char             *cmg_deploy_key_mask (const char *key);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgDeployKeyInfo, cmg_deploy_key_info_free)

G_END_DECLS
