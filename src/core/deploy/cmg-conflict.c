/* cmg-conflict.c: see cmg-conflict.h. */
#include "config.h"

#include "cmg-conflict.h"
