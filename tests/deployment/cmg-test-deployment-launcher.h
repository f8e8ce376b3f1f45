/* cmg-test-deployment-launcher.h: runs the local test deployment as a child process
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CMG_TEST_DEPLOYMENT_DEFAULT_ADMIN_KEY "test-admin-key"
#define CMG_TEST_DEPLOYMENT_DEFAULT_NAME "local-demo-deployment"

#define CMG_TYPE_TEST_DEPLOYMENT_LAUNCHER (cmg_test_deployment_launcher_get_type ())
G_DECLARE_FINAL_TYPE (CmgTestDeploymentLauncher, cmg_test_deployment_launcher,
                      CMG, TEST_DEPLOYMENT_LAUNCHER, GObject)

char                      *cmg_test_deployment_find_executable  (void);

CmgTestDeploymentLauncher *cmg_test_deployment_launcher_start   (const char                 *executable,
                                                                 const char * const         *extra_args,
                                                                 GError                    **error);
const char                *cmg_test_deployment_launcher_get_url (CmgTestDeploymentLauncher  *self);
GPid                       cmg_test_deployment_launcher_get_pid (CmgTestDeploymentLauncher  *self);
gboolean                   cmg_test_deployment_launcher_stop    (CmgTestDeploymentLauncher  *self,
                                                                 int                        *exit_status);

G_END_DECLS
