/* test-connection.c: connection constructors, ids and titles (never a secret in them). */
#include "config.h"

#include "cmg-connection.h"
#include "cmg-deploy-error.h"
#include "deploy-test-util.h"

static void
assert_no_secret (CmgConnection *connection,
                  const char    *secret)
{
  g_autofree char *masked = cmg_connection_dup_masked_secret (connection);

  g_assert_null (strstr (cmg_connection_get_id (connection), secret));
  g_assert_null (strstr (cmg_connection_get_title (connection), secret));
  if (masked != NULL)
    g_assert_null (strstr (masked, secret));
}

static void
test_deployment_refs (void)
{
  static const struct {
    const char        *ref;
    CmgDeploymentType  type;
    const char        *name;
    const char        *url;
    const char        *team;
    const char        *project;
  } valid[] = {
    { "joyful-capybara-123", CMG_DEPLOYMENT_TYPE_UNKNOWN, "joyful-capybara-123", "https://joyful-capybara-123.convex.cloud", NULL, NULL },
    { "dev", CMG_DEPLOYMENT_TYPE_DEV, NULL, NULL, NULL, NULL },
    { "prod", CMG_DEPLOYMENT_TYPE_PROD, NULL, NULL, NULL, NULL },
    { "local", CMG_DEPLOYMENT_TYPE_LOCAL, NULL, NULL, NULL, NULL },
    { "dev/james", CMG_DEPLOYMENT_TYPE_DEV, NULL, NULL, NULL, NULL },
    { "staging", CMG_DEPLOYMENT_TYPE_UNKNOWN, NULL, NULL, NULL, NULL },
    { "my-project:prod", CMG_DEPLOYMENT_TYPE_PROD, NULL, NULL, NULL, "my-project" },
    { "my-team:my-project:dev/james", CMG_DEPLOYMENT_TYPE_DEV, NULL, NULL, "my-team", "my-project" },
    { "my-team:my-project:staging", CMG_DEPLOYMENT_TYPE_UNKNOWN, NULL, NULL, "my-team", "my-project" },
  };
  static const char * const invalid[] = {
    "", "a:b:c:d", "dev/", "prod/x", "has space", ":prod", "team::prod", "dev/ja mes", "https://x.convex.cloud",
  };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgConnection) connection = cmg_connection_new_deployment (valid[i].ref, &error);
      g_autofree char *id = g_strdup_printf ("deployment:%s", valid[i].ref);
      CmgDeployment *deployment;

      g_test_message ("ref %s", valid[i].ref);
      g_assert_no_error (error);
      g_assert_cmpint (cmg_connection_get_kind (connection), ==, CMG_CONNECTION_KIND_DEPLOYMENT);
      g_assert_cmpstr (cmg_connection_get_id (connection), ==, id);
      g_assert_cmpstr (cmg_connection_get_title (connection), ==, valid[i].ref);
      g_assert_null (cmg_connection_get_secret (connection));
      g_assert_null (cmg_connection_dup_masked_secret (connection));
      g_assert_null (cmg_connection_get_resolution (connection));
      deployment = cmg_connection_get_deployment (connection);
      g_assert_cmpint (cmg_deployment_get_deployment_type (deployment), ==, valid[i].type);
      g_assert_cmpstr (cmg_deployment_get_name (deployment), ==, valid[i].name);
      g_assert_cmpstr (cmg_deployment_get_url (deployment), ==, valid[i].url);
      g_assert_cmpstr (cmg_deployment_get_team (deployment), ==, valid[i].team);
      g_assert_cmpstr (cmg_deployment_get_project (deployment), ==, valid[i].project);
      g_assert_cmpint (cmg_deployment_get_via (deployment), ==, CMG_TARGET_VIA_DEPLOYMENT_FLAG);
      g_assert_true (cmg_deployment_get_source (deployment)->user_input);
    }

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgConnection) connection = cmg_connection_new_deployment (invalid[i], &error);

      g_test_message ("invalid ref %s", invalid[i]);
      g_assert_null (connection);
      g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
    }
}

static void
test_deploy_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgConnection) prod = cmg_connection_new_deploy_key ("prod:happy-animal-123|T0pS3cret", &error);
  g_autoptr(CmgConnection) preview = NULL;
  g_autoptr(CmgConnection) bad = NULL;
  g_autofree char *masked = NULL;
  CmgDeployment *deployment;

  g_assert_no_error (error);
  g_assert_cmpint (cmg_connection_get_kind (prod), ==, CMG_CONNECTION_KIND_DEPLOY_KEY);
  g_assert_cmpstr (cmg_connection_get_id (prod), ==, "deploy-key:prod:happy-animal-123");
  g_assert_cmpstr (cmg_connection_get_title (prod), ==, "happy-animal-123");
  g_assert_cmpstr (cmg_connection_get_secret (prod), ==, "prod:happy-animal-123|T0pS3cret");
  masked = cmg_connection_dup_masked_secret (prod);
  g_assert_cmpstr (masked, ==, "prod:happy-animal-123|••••••••");
  assert_no_secret (prod, "T0pS3cret");
  deployment = cmg_connection_get_deployment (prod);
  g_assert_cmpint (cmg_deployment_get_deployment_type (deployment), ==, CMG_DEPLOYMENT_TYPE_PROD);
  g_assert_cmpstr (cmg_deployment_get_name (deployment), ==, "happy-animal-123");
  g_assert_cmpstr (cmg_deployment_get_url (deployment), ==, "https://happy-animal-123.convex.cloud");
  g_assert_cmpint (cmg_deployment_get_via (deployment), ==, CMG_TARGET_VIA_DEPLOY_KEY);

  preview = cmg_connection_new_deploy_key ("preview:team-a:proj-b|T0pS3cret", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmg_connection_get_id (preview), ==, "deploy-key:preview:team-a:proj-b");
  g_assert_cmpstr (cmg_connection_get_title (preview), ==, "Preview of team-a/proj-b");
  g_assert_null (cmg_deployment_get_name (cmg_connection_get_deployment (preview)));
  assert_no_secret (preview, "T0pS3cret");

  bad = cmg_connection_new_deploy_key ("T0pS3cret", &error);
  g_assert_null (bad);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
  g_assert_null (strstr (error->message, "T0pS3cret"));
}

static void
test_self_hosted (void)
{
  static const char * const bad_urls[] = {
    NULL, "", "127.0.0.1:3210", "ftp://host", "http://", "https://user:T0pS3cret@host", "not a url",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgConnection) connection = NULL;
  CmgDeployment *deployment;

  connection = cmg_connection_new_self_hosted ("http://127.0.0.1:3210/", "convex-self-hosted|T0pS3cret", &error);
  g_assert_no_error (error);
  g_assert_cmpint (cmg_connection_get_kind (connection), ==, CMG_CONNECTION_KIND_SELF_HOSTED);
  g_assert_cmpstr (cmg_connection_get_id (connection), ==, "self-hosted:http://127.0.0.1:3210");
  g_assert_cmpstr (cmg_connection_get_title (connection), ==, "127.0.0.1:3210");
  g_assert_cmpstr (cmg_connection_get_secret (connection), ==, "convex-self-hosted|T0pS3cret");
  assert_no_secret (connection, "T0pS3cret");
  deployment = cmg_connection_get_deployment (connection);
  g_assert_cmpint (cmg_deployment_get_deployment_type (deployment), ==, CMG_DEPLOYMENT_TYPE_SELF_HOSTED);
  g_assert_cmpstr (cmg_deployment_get_url (deployment), ==, "http://127.0.0.1:3210");
  g_assert_cmpint (cmg_deployment_get_via (deployment), ==, CMG_TARGET_VIA_SELF_HOSTED);
  g_clear_object (&connection);

  connection = cmg_connection_new_self_hosted ("https://convex.example.com", "k", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmg_connection_get_title (connection), ==, "convex.example.com");
  g_clear_object (&connection);

  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      connection = cmg_connection_new_self_hosted (bad_urls[i], "key", &error);
      g_assert_null (connection);
      g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
      g_assert_null (strstr (error->message, "T0pS3cret"));
      g_clear_error (&error);
    }

  connection = cmg_connection_new_self_hosted ("http://127.0.0.1:3210", "", &error);
  g_assert_null (connection);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
  g_clear_error (&error);
  connection = cmg_connection_new_self_hosted ("http://127.0.0.1:3210", NULL, &error);
  g_assert_null (connection);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
}

static CmgTargetResolution *
resolve_fixture (const char         *env_local,
                 const char         *config,
                 const char * const *environ,
                 char              **out_dir)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(CmgProject) project = NULL;

  deploy_test_make_convex_project (dir);
  if (env_local != NULL)
    deploy_test_write (dir, ".env.local", env_local, -1);
  if (config != NULL)
    deploy_test_write (dir, ".convex/local/default/config.json", config, -1);

  project = cmg_project_open (file, NULL);
  *out_dir = g_steal_pointer (&dir);
  return cmg_target_resolve (project, environ);
}

static void
test_project_connections (void)
{
  g_autofree char *dir = NULL;
  g_autoptr(CmgTargetResolution) resolution = NULL;
  g_autoptr(CmgConnection) target = NULL;
  g_autoptr(CmgConnection) prod = NULL;
  g_autoptr(CmgConnection) local = NULL;
  CmgDeployment *deployment;

  resolution = resolve_fixture ("CONVEX_DEPLOYMENT=dev:my-dev-1 # team: t, project: p\n",
                                "{\"ports\":{\"cloud\":3210},\"adminKey\":\"L0calS3cret\",\"deploymentName\":\"local-t-p\"}",
                                NULL, &dir);

  target = cmg_connection_new_project_target (resolution);
  g_assert_cmpint (cmg_connection_get_kind (target), ==, CMG_CONNECTION_KIND_PROJECT_TARGET);
  g_assert_cmpstr (cmg_connection_get_id (target), ==, "target");
  g_assert_cmpstr (cmg_connection_get_title (target), ==, "Project target");
  g_assert_true (cmg_connection_get_resolution (target) == resolution);
  g_assert_true (cmg_connection_get_deployment (target) == cmg_target_resolution_get_target (resolution));
  g_assert_null (cmg_connection_get_secret (target));
  /* The resolution's conflicts (here: the local deployment is not the target). */
  g_assert_cmpuint (cmg_connection_get_conflicts (target)->len, ==,
                    cmg_target_resolution_get_conflicts (resolution)->len);

  prod = cmg_connection_new_project_prod (resolution);
  g_assert_nonnull (prod);
  g_assert_cmpstr (cmg_connection_get_id (prod), ==, "prod");
  g_assert_cmpstr (cmg_connection_get_title (prod), ==, "Production");
  deployment = cmg_connection_get_deployment (prod);
  g_assert_null (cmg_deployment_get_name (deployment));
  g_assert_null (cmg_deployment_get_url (deployment));
  g_assert_cmpint (cmg_deployment_get_deployment_type (deployment), ==, CMG_DEPLOYMENT_TYPE_PROD);
  g_assert_cmpint (cmg_deployment_get_via (deployment), ==, CMG_TARGET_VIA_PROD_FLAG);
  g_assert_cmpstr (cmg_deployment_get_project (deployment), ==, "p");

  local = cmg_connection_new_project_local (resolution);
  g_assert_nonnull (local);
  g_assert_cmpstr (cmg_connection_get_id (local), ==, "local");
  g_assert_cmpstr (cmg_connection_get_secret (local), ==, "L0calS3cret");
  assert_no_secret (local, "L0calS3cret");
  g_assert_cmpstr (cmg_deployment_get_url (cmg_connection_get_deployment (local)), ==, "http://127.0.0.1:3210");

  deploy_test_remove_tree (dir);
}

static void
test_project_prod_variants (void)
{
  static const char * const key_env[] = { "CONVEX_DEPLOY_KEY=dev:key-dev-1|K3yS3cret", NULL };
  g_autofree char *dir = NULL;
  g_autoptr(CmgTargetResolution) resolution = NULL;
  g_autoptr(CmgConnection) prod = NULL;
  const CmgConflict *first;

  /* The target is production already: the name is known. */
  resolution = resolve_fixture ("CONVEX_DEPLOYMENT=prod:main-prod-1\n", NULL, NULL, &dir);
  prod = cmg_connection_new_project_prod (resolution);
  g_assert_cmpstr (cmg_deployment_get_name (cmg_connection_get_deployment (prod)), ==, "main-prod-1");
  g_assert_cmpint (cmg_deployment_get_via (cmg_connection_get_deployment (prod)), ==, CMG_TARGET_VIA_PROD_FLAG);
  g_assert_null (cmg_connection_new_project_local (resolution));
  g_clear_object (&prod);
  g_clear_object (&resolution);
  deploy_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);

  /* Under a deploy key --prod is ignored, and the connection says so. */
  resolution = resolve_fixture (NULL, NULL, key_env, &dir);
  prod = cmg_connection_new_project_prod (resolution);
  g_assert_nonnull (prod);
  g_assert_cmpstr (cmg_deployment_get_name (cmg_connection_get_deployment (prod)), ==, "key-dev-1");
  first = g_ptr_array_index (cmg_connection_get_conflicts (prod), 0);
  g_assert_cmpstr (first->code, ==, "prod-flag-ignored");
  g_assert_nonnull (strstr (first->message, "--prod is ignored with a deploy key"));
  assert_no_secret (prod, "K3yS3cret");
  g_clear_object (&prod);
  g_clear_object (&resolution);
  deploy_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);

  /* No --prod for a folder without a target, a self-hosted backend or an anonymous deployment. */
  resolution = resolve_fixture (NULL, NULL, NULL, &dir);
  g_assert_null (cmg_connection_new_project_prod (resolution));
  g_clear_object (&resolution);
  deploy_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);

  resolution = resolve_fixture ("CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\nCONVEX_SELF_HOSTED_ADMIN_KEY=k\n",
                                NULL, NULL, &dir);
  g_assert_null (cmg_connection_new_project_prod (resolution));
  g_clear_object (&resolution);
  deploy_test_remove_tree (dir);
  g_clear_pointer (&dir, g_free);

  resolution = resolve_fixture ("CONVEX_DEPLOYMENT=anonymous:anonymous-app\n", NULL, NULL, &dir);
  g_assert_null (cmg_connection_new_project_prod (resolution));
  g_clear_object (&resolution);
  deploy_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/connection/deployment-refs", test_deployment_refs);
  g_test_add_func ("/connection/deploy-key", test_deploy_key);
  g_test_add_func ("/connection/self-hosted", test_self_hosted);
  g_test_add_func ("/connection/project", test_project_connections);
  g_test_add_func ("/connection/project-prod-variants", test_project_prod_variants);

  return g_test_run ();
}
