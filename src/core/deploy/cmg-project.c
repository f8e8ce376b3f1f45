/* cmg-project.c: see cmg-project.h. */
#include "config.h"

#include "cmg-project.h"
