/* cmg-connection-check.h: the probe of the chosen connection, kept current as the connection
 * changes, so that the banner, the project page and the details window show the same answer. */
#pragma once

#include <gio/gio.h>

#include "cmg-connection.h"
#include "cmg-probe.h"

G_BEGIN_DECLS

typedef enum {
  CMG_CHECK_STATE_NONE,         /* no connection, or no URL to ask before the CLI runs */
  CMG_CHECK_STATE_CHECKING,
  CMG_CHECK_STATE_REACHABLE,    /* answers with the expected name */
  CMG_CHECK_STATE_UNREACHABLE,  /* offline or no answer: normal, not alarming */
  CMG_CHECK_STATE_MISMATCH,     /* answers, but not as the deployment the app expects */
  CMG_CHECK_STATE_FAILED,       /* the URL itself is not usable */
} CmgCheckState;

#define CMG_TYPE_CONNECTION_CHECK (cmg_connection_check_get_type ())
G_DECLARE_FINAL_TYPE (CmgConnectionCheck, cmg_connection_check, CMG, CONNECTION_CHECK, GObject)

CmgConnectionCheck   *cmg_connection_check_new            (void);
/* Cancels the running probe and starts one for the new connection when it has a URL. */
void                  cmg_connection_check_set_connection (CmgConnectionCheck *self,
                                                           CmgConnection      *connection);
CmgConnection        *cmg_connection_check_get_connection (CmgConnectionCheck *self);
/* Probes the current connection again. */
void                  cmg_connection_check_run            (CmgConnectionCheck *self);
void                  cmg_connection_check_set_timeout    (CmgConnectionCheck *self,
                                                           guint               seconds);
CmgCheckState         cmg_connection_check_get_state      (CmgConnectionCheck *self);
/* The probe's answer once the state is past CHECKING, else NULL. */
const CmgProbeResult *cmg_connection_check_get_result     (CmgConnectionCheck *self);
/* Translated one-line summary of the state, NULL for NONE. */
const char           *cmg_connection_check_get_message    (CmgConnectionCheck *self);
/* Icon name that goes with the state, NULL for NONE. */
const char           *cmg_connection_check_get_icon_name  (CmgConnectionCheck *self);

G_END_DECLS
