/* cmg-probe.c: see cmg-probe.h. */
#include "config.h"

#include "cmg-probe.h"
