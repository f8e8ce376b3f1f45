/* cmg-deploy-error.c: see cmg-deploy-error.h. */
#include "config.h"

#include "cmg-deploy-error.h"
