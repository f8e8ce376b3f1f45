/* cmg-test-server.h: the HTTP and WebSocket side of the local test deployment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  const char *name;
  const char *admin_key;
  const char *version;
  const char *fail_import;
  gboolean reject_key;
  gboolean slow;
  gboolean import_running;
  gboolean export_running;
} CmgTestServerOptions;

#define CMG_TYPE_TEST_SERVER (cmg_test_server_get_type ())
G_DECLARE_FINAL_TYPE (CmgTestServer, cmg_test_server, CMG, TEST_SERVER, GObject)

CmgTestServer *cmg_test_server_new    (const CmgTestServerOptions  *options);
gboolean       cmg_test_server_seed   (CmgTestServer               *self,
                                       GBytes                      *zip,
                                       GError                     **error);
gboolean       cmg_test_server_listen (CmgTestServer               *self,
                                       guint                        port,
                                       guint                       *bound_port,
                                       GError                     **error);

G_END_DECLS
