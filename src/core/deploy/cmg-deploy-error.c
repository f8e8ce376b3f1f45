/* cmg-deploy-error.c: see cmg-deploy-error.h. */
#include "config.h"

#include "cmg-deploy-error.h"

G_DEFINE_QUARK (cmg-deploy-error-quark, cmg_deploy_error)
