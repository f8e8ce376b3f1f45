/* cmg-connection.c: see cmg-connection.h. */
#include "config.h"

#include "cmg-connection.h"
