/* cmg-deploy-error.h: errors of the deploy area (projects, env files, targets, probes). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define CMG_DEPLOY_ERROR (cmg_deploy_error_quark ())

typedef enum {
  CMG_DEPLOY_ERROR_NOT_FOUND,        /* the folder or file does not exist */
  CMG_DEPLOY_ERROR_NOT_A_DIRECTORY,  /* a project path that is not a folder */
  CMG_DEPLOY_ERROR_UNREADABLE,       /* permission denied, I/O error */
  CMG_DEPLOY_ERROR_TOO_LARGE,        /* an env or config file past the size limit */
  CMG_DEPLOY_ERROR_BINARY,           /* NUL bytes where text was expected */
  CMG_DEPLOY_ERROR_MALFORMED,        /* a config.json, deploy key, URL or name that cannot be parsed */
  CMG_DEPLOY_ERROR_UNREACHABLE,      /* the probe got no answer */
} CmgDeployError;

GQuark cmg_deploy_error_quark (void);

G_END_DECLS
