/* test-banner.c: the deployment banner for every kind of target, its colours, its accessible
 * sentence and its probe. */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "cmg-connection.h"
#include "cmg-deployment-banner.h"
#include "cmg-target-resolution.h"
#include "cmg-ui-test-utils.h"

static const char * const no_environ[] = { NULL };

typedef struct
{
  char                *dir;
  CmgTargetResolution *resolution;
  CmgConnection       *connection;
  GtkWindow           *window;
  CmgDeploymentBanner *banner;
} Fixture;

static gboolean
probe_settled (gpointer data)
{
  CmgDeploymentBanner *banner = data;

  return cmg_connection_check_get_state (cmg_deployment_banner_get_check (banner)) != CMG_CHECK_STATE_CHECKING;
}

static void
fixture_show (Fixture       *fixture,
              CmgConnection *connection)
{
  fixture->connection = connection ? g_object_ref (connection) : NULL;
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 960, -1);
  fixture->banner = CMG_DEPLOYMENT_BANNER (cmg_deployment_banner_new ());
  gtk_widget_set_valign (GTK_WIDGET (fixture->banner), GTK_ALIGN_START);
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->banner));
  cmg_deployment_banner_set_connection (fixture->banner, connection);
  cmg_test_show_window (fixture->window);
  g_assert_true (cmg_test_spin_until (probe_settled, fixture->banner, 10000));
  cmg_test_spin (100);
}

/* Resolves a project whose .env.local holds env_local, then shows its target in a banner. */
static void
fixture_show_project (Fixture    *fixture,
                      const char *env_local)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = cmg_test_make_project (env_local, TRUE);
  file = g_file_new_for_path (fixture->dir);
  project = cmg_project_open (file, &error);
  g_assert_no_error (error);
  fixture->resolution = cmg_target_resolve (project, no_environ);
  connection = cmg_connection_new_project_target (fixture->resolution);
  fixture_show (fixture, connection);
}

static void
fixture_finish (Fixture    *fixture,
                const char *snapshot_name)
{
  CmgDeploymentBanner *banner = g_object_ref (fixture->banner);

  cmg_test_save_snapshot (GTK_WIDGET (banner), snapshot_name);
  cmg_test_destroy_window (fixture->window);
  g_assert_finalize_object (banner);

  g_clear_object (&fixture->connection);
  g_clear_object (&fixture->resolution);
  if (fixture->dir != NULL)
    cmg_test_remove_project (fixture->dir);
  g_free (fixture->dir);
}

static const char *
text (Fixture    *fixture,
      const char *id)
{
  GtkWidget *label = cmg_test_find_widget (GTK_WIDGET (fixture->banner), id);

  g_assert_true (GTK_IS_LABEL (label));
  if (!gtk_widget_get_visible (label))
    return NULL;
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
visible (Fixture    *fixture,
         const char *id)
{
  return gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture->banner), id));
}

static void
assert_risk (Fixture    *fixture,
             const char *expected)
{
  static const char * const classes[] = { "risk-low", "risk-medium", "risk-high" };

  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    g_assert_cmpint (gtk_widget_has_css_class (GTK_WIDGET (fixture->banner), classes[i]), ==,
                     g_str_equal (classes[i], expected));
}

static void
assert_accessible_label (Fixture    *fixture,
                         const char *expected)
{
  g_autofree char *mismatch = NULL;

  g_assert_cmpstr (cmg_deployment_banner_get_summary (fixture->banner), ==, expected);
  g_assert_true (gtk_test_accessible_has_property (GTK_ACCESSIBLE (fixture->banner),
                                                   GTK_ACCESSIBLE_PROPERTY_LABEL));
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (fixture->banner),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
  g_assert_null (mismatch);
}

static void
test_banner_dev (void)
{
  Fixture fixture = { 0 };

  fixture_show_project (&fixture,
                        "# Deployment used by `npx convex dev`\n"
                        "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: my-team, project: my-project\n"
                        "\n"
                        "VITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n");

  g_assert_cmpstr (text (&fixture, "name_label"), ==, "happy-animal-123");
  g_assert_cmpstr (text (&fixture, "type_label"), ==, "Development");
  g_assert_cmpstr (text (&fixture, "details_label"), ==,
                   "Team my-team · Project my-project · From .env.local, line 2");
  g_assert_cmpstr (text (&fixture, "reach_label"), ==,
                   "https://happy-animal-123.convex.cloud · via CONVEX_DEPLOYMENT and your Convex login");
  g_assert_false (visible (&fixture, "conflict_box"));
  assert_risk (&fixture, "risk-low");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture.banner), "conflict"));
  assert_accessible_label (&fixture,
                           "Target: happy-animal-123, Development, team my-team, project my-project, "
                           "from .env.local, line 2");

  /* Without a network the cloud name does not resolve: calm, not an alarm. */
  g_assert_cmpint (cmg_connection_check_get_state (cmg_deployment_banner_get_check (fixture.banner)), ==,
                   CMG_CHECK_STATE_UNREACHABLE);
  g_assert_cmpstr (text (&fixture, "probe_label"), ==, "Offline or not reachable");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture.banner), "probe-mismatch"));

  fixture_finish (&fixture, "banner-dev");
}

static void
test_banner_prod (void)
{
  Fixture fixture = { 0 };

  fixture_show_project (&fixture, "CONVEX_DEPLOYMENT=prod:quiet-otter-42\n");

  g_assert_cmpstr (text (&fixture, "name_label"), ==, "quiet-otter-42");
  g_assert_cmpstr (text (&fixture, "type_label"), ==, "PRODUCTION");
  g_assert_cmpstr (text (&fixture, "details_label"), ==, "From .env.local, line 1");
  assert_risk (&fixture, "risk-high");
  g_assert_true (g_str_has_suffix (cmg_deployment_banner_get_summary (fixture.banner),
                                   "Target: quiet-otter-42, PRODUCTION, from .env.local, line 1"));

  fixture_finish (&fixture, "banner-prod");
}

static void
test_banner_preview (void)
{
  Fixture fixture = { 0 };

  fixture_show_project (&fixture, "CONVEX_DEPLOYMENT=preview:brave-fox-42\n");

  g_assert_cmpstr (text (&fixture, "name_label"), ==, "brave-fox-42");
  g_assert_cmpstr (text (&fixture, "type_label"), ==, "Preview");
  assert_risk (&fixture, "risk-medium");
  g_assert_true (g_str_has_suffix (cmg_deployment_banner_get_summary (fixture.banner),
                                   "Target: brave-fox-42, Preview, from .env.local, line 1"));

  fixture_finish (&fixture, "banner-preview");
}

static char *
local_config (guint port,
              const char *name)
{
  return g_strdup_printf ("{\"ports\":{\"cloud\":%u,\"site\":%u},\"adminKey\":\"local-admin-secret\","
                          "\"deploymentName\":\"%s\"}", port, port + 1, name);
}

/* A port nothing listens on: bound, then released. */
static guint
closed_port (void)
{
  g_autoptr(GSocketListener) listener = g_socket_listener_new ();
  g_autoptr(GError) error = NULL;
  guint16 port = g_socket_listener_add_any_inet_port (listener, NULL, &error);

  g_assert_no_error (error);
  g_socket_listener_close (listener);
  return port;
}

static void
test_banner_local (void)
{
  Fixture fixture = { 0 };
  guint port = closed_port ();
  g_autofree char *config = local_config (port, "local-my_team-chat_app");
  g_autofree char *dir = cmg_test_make_project ("CONVEX_DEPLOYMENT=local:local-my_team-chat_app\n", TRUE);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(CmgConnection) connection = NULL;

  cmg_test_write_file (dir, ".convex/local/default/config.json", config);
  project = cmg_project_open (file, NULL);
  fixture.resolution = cmg_target_resolve (project, no_environ);
  connection = cmg_connection_new_project_target (fixture.resolution);
  fixture.dir = g_steal_pointer (&dir);
  fixture_show (&fixture, connection);

  g_assert_cmpstr (text (&fixture, "name_label"), ==, "local-my_team-chat_app");
  g_assert_cmpstr (text (&fixture, "type_label"), ==, "Local");
  g_assert_true (g_str_has_prefix (text (&fixture, "reach_label"), url));
  assert_risk (&fixture, "risk-low");
  g_assert_cmpint (cmg_connection_check_get_state (cmg_deployment_banner_get_check (fixture.banner)), ==,
                   CMG_CHECK_STATE_UNREACHABLE);
  g_assert_cmpstr (text (&fixture, "probe_label"), ==, "Offline or not reachable");

  fixture_finish (&fixture, "banner-local");
}

static void
test_banner_self_hosted (void)
{
  Fixture fixture = { 0 };
  g_autofree char *display = NULL;
  g_autofree char *expected = NULL;

  fixture_show_project (&fixture,
                        "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:1\n"
                        "CONVEX_SELF_HOSTED_ADMIN_KEY=self-hosted|0123456789abcdef\n");

  display = cmg_deployment_dup_display_name (cmg_connection_get_deployment (fixture.connection));
  g_assert_cmpstr (text (&fixture, "name_label"), ==, display);
  g_assert_cmpstr (text (&fixture, "type_label"), ==, "Self-hosted");
  assert_risk (&fixture, "risk-low");
  /* The admin key is masked, never shown. */
  g_assert_true (g_str_has_prefix (text (&fixture, "reach_label"), "http://127.0.0.1:1 · via admin key "));
  g_assert_null (strstr (text (&fixture, "reach_label"), "0123456789abcdef"));
  g_assert_null (strstr (cmg_deployment_banner_get_summary (fixture.banner), "0123456789abcdef"));
  expected = g_strdup_printf ("Target: %s, Self-hosted, from .env.local, line 1", display);
  g_assert_true (g_str_has_suffix (cmg_deployment_banner_get_summary (fixture.banner), expected));

  fixture_finish (&fixture, "banner-self-hosted");
}

static void
test_banner_unknown (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GError) error = NULL;

  /* A project key names no deployment: the app cannot tell which one the CLI will hit. */
  connection = cmg_connection_new_deploy_key ("project:my-team:my-project|0123456789abcdef", &error);
  g_assert_no_error (error);
  fixture_show (&fixture, connection);

  g_assert_cmpstr (text (&fixture, "type_label"), ==, "Unknown");
  assert_risk (&fixture, "risk-high");
  g_assert_null (strstr (text (&fixture, "reach_label"), "0123456789abcdef"));
  g_assert_true (strstr (cmg_deployment_banner_get_summary (fixture.banner), "Unknown, team my-team, project my-project") != NULL);

  fixture_finish (&fixture, "banner-unknown");
}

static void
test_banner_no_target (void)
{
  Fixture fixture = { 0 };

  fixture_show_project (&fixture, "# nothing configured yet\n");

  g_assert_null (cmg_connection_get_deployment (fixture.connection));
  g_assert_cmpstr (text (&fixture, "name_label"), ==, "No deployment");
  g_assert_cmpstr (text (&fixture, "details_label"), ==, "Run npx convex dev in this folder to choose one.");
  g_assert_null (text (&fixture, "type_label"));
  assert_risk (&fixture, "risk-high");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture.banner), "no-target"));
  g_assert_false (visible (&fixture, "probe_box"));
  assert_accessible_label (&fixture, "No deployment: run npx convex dev in this folder");

  fixture_finish (&fixture, "banner-no-target");
}

static void
test_banner_no_connection (void)
{
  Fixture fixture = { 0 };

  fixture_show (&fixture, NULL);
  g_assert_cmpstr (text (&fixture, "name_label"), ==, "No deployment");
  assert_risk (&fixture, "risk-high");
  assert_accessible_label (&fixture, "No deployment: run npx convex dev in this folder");
  fixture_finish (&fixture, "banner-no-connection");
}

static void
test_banner_conflict (void)
{
  Fixture fixture = { 0 };
  GPtrArray *conflicts;
  const CmgConflict *first;
  guint n_warnings = 0;
  g_autofree char *expected_prefix = NULL;

  fixture_show_project (&fixture,
                        "CONVEX_DEPLOYMENT=dev:happy-animal-123\n"
                        "CONVEX_DEPLOY_KEY=prod:quiet-otter-42|0123456789abcdef\n");

  conflicts = cmg_connection_get_conflicts (fixture.connection);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (conflicts->len, >, 0);
  first = g_ptr_array_index (conflicts, 0);
  g_assert_cmpint (first->severity, >=, CMG_CONFLICT_SEVERITY_WARNING);
  for (guint i = 0; i < conflicts->len; i++)
    if (((CmgConflict *) g_ptr_array_index (conflicts, i))->severity >= CMG_CONFLICT_SEVERITY_WARNING)
      n_warnings++;

  /* The deploy key wins, as in the CLI, and the banner says so. */
  g_assert_cmpstr (text (&fixture, "name_label"), ==, "quiet-otter-42");
  g_assert_cmpstr (text (&fixture, "type_label"), ==, "PRODUCTION");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture.banner), "conflict"));
  assert_risk (&fixture, "risk-high");
  g_assert_true (visible (&fixture, "conflict_box"));
  g_assert_cmpstr (text (&fixture, "conflict_label"), ==, first->message);
  if (n_warnings > 1)
    {
      g_autofree char *more = g_strdup_printf ("+%u more", n_warnings - 1);
      g_assert_cmpstr (text (&fixture, "more_label"), ==, more);
    }
  else
    g_assert_null (text (&fixture, "more_label"));
  g_assert_true (g_str_has_prefix (text (&fixture, "reach_label"),
                                   "https://quiet-otter-42.convex.cloud · via deploy key prod:quiet-otter-42|"));
  g_assert_null (strstr (text (&fixture, "reach_label"), "0123456789abcdef"));

  expected_prefix = g_strdup_printf ("Warning: %s Target: quiet-otter-42, PRODUCTION", first->message);
  g_assert_true (g_str_has_prefix (cmg_deployment_banner_get_summary (fixture.banner), expected_prefix));

  fixture_finish (&fixture, "banner-conflict");
}

/* A stand-in backend answering /instance_name and /instance_version. */
static void
instance_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  const char *body = g_str_equal (path, "/instance_name") ? user_data : "1.29.3";

  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, body, strlen (body));
}

static guint
start_backend (SoupServer **out_server,
               const char  *instance_name)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint port;

  soup_server_add_handler (server, "/instance_name", instance_handler, (gpointer) instance_name, NULL);
  soup_server_add_handler (server, "/instance_version", instance_handler, (gpointer) instance_name, NULL);
  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  *out_server = server;
  return port;
}

static void
show_local_with_backend (Fixture    *fixture,
                         const char *answer)
{
  g_autoptr(SoupServer) server = NULL;
  guint port = start_backend (&server, answer);
  g_autofree char *config = local_config (port, "local-my_team-chat_app");
  g_autofree char *dir = cmg_test_make_project ("CONVEX_DEPLOYMENT=local:local-my_team-chat_app\n", TRUE);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(CmgConnection) connection = NULL;

  cmg_test_write_file (dir, ".convex/local/default/config.json", config);
  project = cmg_project_open (file, NULL);
  fixture->resolution = cmg_target_resolve (project, no_environ);
  connection = cmg_connection_new_project_target (fixture->resolution);
  fixture->dir = g_steal_pointer (&dir);
  fixture_show (fixture, connection);
  soup_server_disconnect (server);
}

static void
test_banner_probe_reachable (void)
{
  Fixture fixture = { 0 };

  show_local_with_backend (&fixture, "local-my_team-chat_app");
  g_assert_cmpint (cmg_connection_check_get_state (cmg_deployment_banner_get_check (fixture.banner)), ==,
                   CMG_CHECK_STATE_REACHABLE);
  g_assert_cmpstr (text (&fixture, "probe_label"), ==, "Reachable, backend 1.29.3");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (fixture.banner), "probe-mismatch"));
  fixture_finish (&fixture, "banner-probe-reachable");
}

static void
test_banner_probe_mismatch (void)
{
  Fixture fixture = { 0 };

  show_local_with_backend (&fixture, "other-name-1");
  g_assert_cmpint (cmg_connection_check_get_state (cmg_deployment_banner_get_check (fixture.banner)), ==,
                   CMG_CHECK_STATE_MISMATCH);
  g_assert_cmpstr (text (&fixture, "probe_label"), ==,
                   "This URL answers as other-name-1, not local-my_team-chat_app");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (fixture.banner), "probe-mismatch"));
  fixture_finish (&fixture, "banner-probe-mismatch");
}

static void
test_banner_switch_cancels_probe (void)
{
  Fixture fixture = { 0 };
  g_autoptr(CmgConnection) other = NULL;
  CmgConnectionCheck *check;

  fixture_show_project (&fixture, "CONVEX_DEPLOYMENT=dev:happy-animal-123\n");
  check = cmg_deployment_banner_get_check (fixture.banner);

  /* A connection without a URL: the old probe's answer must not come back. */
  other = cmg_connection_new_deployment ("staging", NULL);
  g_assert_nonnull (other);
  cmg_connection_check_run (check);
  g_assert_cmpint (cmg_connection_check_get_state (check), ==, CMG_CHECK_STATE_CHECKING);
  cmg_deployment_banner_set_connection (fixture.banner, other);
  g_assert_null (cmg_deployment_get_url (cmg_connection_get_deployment (other)));
  cmg_test_spin (500);
  g_assert_cmpint (cmg_connection_check_get_state (check), ==, CMG_CHECK_STATE_NONE);
  g_assert_false (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (fixture.banner), "probe_box")));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture.banner), "name_label"), ==, "staging");

  fixture_finish (&fixture, "banner-switched");
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add_func ("/banner/dev", test_banner_dev);
  g_test_add_func ("/banner/prod", test_banner_prod);
  g_test_add_func ("/banner/preview", test_banner_preview);
  g_test_add_func ("/banner/local", test_banner_local);
  g_test_add_func ("/banner/self-hosted", test_banner_self_hosted);
  g_test_add_func ("/banner/unknown", test_banner_unknown);
  g_test_add_func ("/banner/no-target", test_banner_no_target);
  g_test_add_func ("/banner/no-connection", test_banner_no_connection);
  g_test_add_func ("/banner/conflict", test_banner_conflict);
  g_test_add_func ("/banner/probe/reachable", test_banner_probe_reachable);
  g_test_add_func ("/banner/probe/mismatch", test_banner_probe_mismatch);
  g_test_add_func ("/banner/probe/switch", test_banner_switch_cancels_probe);

  return g_test_run ();
}
