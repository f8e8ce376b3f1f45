/* cmg-env-file.c: see cmg-env-file.h. */
#include "config.h"

#include "cmg-env-file.h"
