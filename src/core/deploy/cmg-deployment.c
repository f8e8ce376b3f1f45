/* cmg-deployment.c: see cmg-deployment.h. */
#include "config.h"

#include "cmg-deployment.h"
