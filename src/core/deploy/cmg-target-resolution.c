/* cmg-target-resolution.c: see cmg-target-resolution.h. */
#include "config.h"

#include "cmg-target-resolution.h"
