/* cmg-deploy-key.c: see cmg-deploy-key.h. */
#include "config.h"

#include "cmg-deploy-key.h"
