/* cmg-deployment-banner.h: the effective target, always in sight, coloured by risk. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-connection-check.h"

G_BEGIN_DECLS

#define CMG_TYPE_DEPLOYMENT_BANNER (cmg_deployment_banner_get_type ())
G_DECLARE_FINAL_TYPE (CmgDeploymentBanner, cmg_deployment_banner, CMG, DEPLOYMENT_BANNER, GtkButton)

GtkWidget          *cmg_deployment_banner_new            (void);
/* NULL shows "No deployment". Starts a probe of the connection's URL. */
void                cmg_deployment_banner_set_connection (CmgDeploymentBanner *self,
                                                          CmgConnection       *connection);
CmgConnection      *cmg_deployment_banner_get_connection (CmgDeploymentBanner *self);
/* The probe of the shown connection; other views show the same answer. */
CmgConnectionCheck *cmg_deployment_banner_get_check      (CmgDeploymentBanner *self);
/* The one sentence given to screen readers. */
const char         *cmg_deployment_banner_get_summary    (CmgDeploymentBanner *self);

G_END_DECLS
