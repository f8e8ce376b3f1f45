/* test-deployment.c: deployment types, value sources and the deployment object. */
#include "config.h"

#include "cmg-conflict.h"
#include "cmg-deploy-error.h"
#include "cmg-deployment.h"

static void
test_types (void)
{
  static const struct { CmgDeploymentType type; const char *id; const char *label; CmgRisk risk; } types[] = {
    { CMG_DEPLOYMENT_TYPE_UNKNOWN, "unknown", "Unknown", CMG_RISK_HIGH },
    { CMG_DEPLOYMENT_TYPE_DEV, "dev", "Development", CMG_RISK_LOW },
    { CMG_DEPLOYMENT_TYPE_PROD, "prod", "PRODUCTION", CMG_RISK_HIGH },
    { CMG_DEPLOYMENT_TYPE_PREVIEW, "preview", "Preview", CMG_RISK_MEDIUM },
    { CMG_DEPLOYMENT_TYPE_LOCAL, "local", "Local", CMG_RISK_LOW },
    { CMG_DEPLOYMENT_TYPE_ANONYMOUS, "anonymous", "Anonymous", CMG_RISK_LOW },
    { CMG_DEPLOYMENT_TYPE_SELF_HOSTED, "self-hosted", "Self-hosted", CMG_RISK_LOW },
    { CMG_DEPLOYMENT_TYPE_CUSTOM, "custom", "Custom", CMG_RISK_LOW },
  };

  for (guint i = 0; i < G_N_ELEMENTS (types); i++)
    {
      CmgDeploymentType parsed = -1;

      g_assert_cmpstr (cmg_deployment_type_to_string (types[i].type), ==, types[i].id);
      g_assert_true (cmg_deployment_type_from_string (types[i].id, &parsed));
      g_assert_cmpint (parsed, ==, types[i].type);
      g_assert_cmpstr (cmg_deployment_type_get_label (types[i].type), ==, types[i].label);
      g_assert_cmpint (cmg_deployment_type_get_risk (types[i].type), ==, types[i].risk);
    }

  g_assert_false (cmg_deployment_type_from_string ("staging", NULL));
  g_assert_false (cmg_deployment_type_from_string (NULL, NULL));
}

static void
test_via (void)
{
  g_assert_cmpstr (cmg_target_via_to_string (CMG_TARGET_VIA_NONE), ==, "none");
  g_assert_cmpstr (cmg_target_via_to_string (CMG_TARGET_VIA_DEPLOY_KEY), ==, "deploy-key");
  g_assert_cmpstr (cmg_target_via_to_string (CMG_TARGET_VIA_SELF_HOSTED), ==, "self-hosted");
  g_assert_cmpstr (cmg_target_via_to_string (CMG_TARGET_VIA_CONVEX_DEPLOYMENT), ==, "CONVEX_DEPLOYMENT");
  g_assert_cmpstr (cmg_target_via_to_string (CMG_TARGET_VIA_PROD_FLAG), ==, "--prod");
  g_assert_cmpstr (cmg_target_via_to_string (CMG_TARGET_VIA_DEPLOYMENT_FLAG), ==, "--deployment");
}

static void
test_value_source (void)
{
  g_autoptr(CmgValueSource) file = cmg_value_source_new_file (".env.local", 2);
  g_autoptr(CmgValueSource) env = cmg_value_source_new_environment ();
  g_autoptr(CmgValueSource) user = cmg_value_source_new_user_input ();
  g_autoptr(CmgValueSource) copy = cmg_value_source_copy (file);
  g_autoptr(CmgValueSource) whole_file = cmg_value_source_new_file ("config.json", 0);
  g_autofree char *d1 = cmg_value_source_describe (file);
  g_autofree char *d2 = cmg_value_source_describe (env);
  g_autofree char *d3 = cmg_value_source_describe (user);
  g_autofree char *d4 = cmg_value_source_describe (copy);
  g_autofree char *d5 = cmg_value_source_describe (whole_file);

  g_assert_cmpstr (d1, ==, "from .env.local, line 2");
  g_assert_cmpstr (d2, ==, "from the environment");
  g_assert_cmpstr (d3, ==, "entered in Convex Migrate");
  g_assert_cmpstr (d4, ==, d1);
  g_assert_cmpstr (d5, ==, "from config.json");
  g_assert_true (g_type_is_a (CMG_TYPE_VALUE_SOURCE, G_TYPE_BOXED));
}

static void
test_deployment (void)
{
  g_autoptr(CmgValueSource) source = cmg_value_source_new_file (".env", 4);
  g_autoptr(CmgDeployment) dev = NULL;
  g_autoptr(CmgDeployment) prod = NULL;
  g_autoptr(CmgDeployment) anon_prod = NULL;
  g_autoptr(CmgDeployment) self_hosted = NULL;
  g_autofree char *url = cmg_deployment_cloud_url_for_name ("happy-animal-123");
  g_autofree char *name = NULL;
  g_autofree char *prop_name = NULL;
  int prop_type = -1;

  dev = cmg_deployment_new ("happy-animal-123", CMG_DEPLOYMENT_TYPE_DEV, "team", "proj", url,
                            CMG_TARGET_VIA_CONVEX_DEPLOYMENT, source);
  g_assert_cmpstr (url, ==, "https://happy-animal-123.convex.cloud");
  g_assert_cmpstr (cmg_deployment_get_name (dev), ==, "happy-animal-123");
  g_assert_cmpint (cmg_deployment_get_deployment_type (dev), ==, CMG_DEPLOYMENT_TYPE_DEV);
  g_assert_cmpstr (cmg_deployment_get_team (dev), ==, "team");
  g_assert_cmpstr (cmg_deployment_get_project (dev), ==, "proj");
  g_assert_cmpstr (cmg_deployment_get_url (dev), ==, url);
  g_assert_cmpint (cmg_deployment_get_via (dev), ==, CMG_TARGET_VIA_CONVEX_DEPLOYMENT);
  g_assert_cmpstr (cmg_deployment_get_source (dev)->file, ==, ".env");
  g_assert_cmpuint (cmg_deployment_get_source (dev)->line, ==, 4);
  g_assert_cmpint (cmg_deployment_get_risk (dev), ==, CMG_RISK_LOW);
  name = cmg_deployment_dup_display_name (dev);
  g_assert_cmpstr (name, ==, "happy-animal-123");
  g_clear_pointer (&name, g_free);

  g_object_get (dev, "name", &prop_name, "deployment-type", &prop_type, NULL);
  g_assert_cmpstr (prop_name, ==, "happy-animal-123");
  g_assert_cmpint (prop_type, ==, CMG_DEPLOYMENT_TYPE_DEV);

  prod = cmg_deployment_new (NULL, CMG_DEPLOYMENT_TYPE_PROD, NULL, "my-project", NULL,
                             CMG_TARGET_VIA_PROD_FLAG, NULL);
  g_assert_null (cmg_deployment_get_source (prod));
  g_assert_cmpint (cmg_deployment_get_risk (prod), ==, CMG_RISK_HIGH);
  name = cmg_deployment_dup_display_name (prod);
  g_assert_cmpstr (name, ==, "Production of my-project");
  g_clear_pointer (&name, g_free);

  anon_prod = cmg_deployment_new (NULL, CMG_DEPLOYMENT_TYPE_PROD, NULL, NULL, NULL,
                                  CMG_TARGET_VIA_PROD_FLAG, NULL);
  name = cmg_deployment_dup_display_name (anon_prod);
  g_assert_cmpstr (name, ==, "Production of this project");
  g_clear_pointer (&name, g_free);

  self_hosted = cmg_deployment_new (NULL, CMG_DEPLOYMENT_TYPE_SELF_HOSTED, NULL, NULL,
                                    "http://127.0.0.1:3210", CMG_TARGET_VIA_SELF_HOSTED, NULL);
  name = cmg_deployment_dup_display_name (self_hosted);
  g_assert_cmpstr (name, ==, "http://127.0.0.1:3210");

  g_assert_finalize_object (g_steal_pointer (&dev));
}

static void
test_conflict (void)
{
  g_autoptr(CmgConflict) conflict = cmg_conflict_new ("code-x", CMG_CONFLICT_SEVERITY_WARNING, "Msg");
  g_autoptr(CmgConflict) copy = cmg_conflict_copy (conflict);

  g_assert_cmpstr (copy->code, ==, "code-x");
  g_assert_cmpstr (copy->message, ==, "Msg");
  g_assert_cmpint (copy->severity, ==, CMG_CONFLICT_SEVERITY_WARNING);
  g_assert_true (copy->code != conflict->code);
  g_assert_cmpstr (cmg_conflict_severity_to_string (CMG_CONFLICT_SEVERITY_INFO), ==, "info");
  g_assert_cmpstr (cmg_conflict_severity_to_string (CMG_CONFLICT_SEVERITY_WARNING), ==, "warning");
  g_assert_cmpstr (cmg_conflict_severity_to_string (CMG_CONFLICT_SEVERITY_ERROR), ==, "error");
  g_assert_true (g_type_is_a (CMG_TYPE_CONFLICT, G_TYPE_BOXED));
}

static void
test_error_quark (void)
{
  g_assert_cmpstr (g_quark_to_string (CMG_DEPLOY_ERROR), ==, "cmg-deploy-error-quark");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deployment/types", test_types);
  g_test_add_func ("/deployment/via", test_via);
  g_test_add_func ("/deployment/value-source", test_value_source);
  g_test_add_func ("/deployment/object", test_deployment);
  g_test_add_func ("/deployment/conflict", test_conflict);
  g_test_add_func ("/deployment/error-quark", test_error_quark);

  return g_test_run ();
}
