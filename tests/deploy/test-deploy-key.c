/* test-deploy-key.c: deploy key shapes and masking. */
#include "config.h"

#include "cmg-deploy-error.h"
#include "cmg-deploy-key.h"

typedef struct {
  const char        *key;
  gboolean           valid;
  CmgDeployKeyKind   kind;
  CmgDeploymentType  type;
  const char        *name;
  const char        *team;
  const char        *project;
  gboolean           legacy;
} KeyCase;

static const KeyCase key_cases[] = {
  { "prod:happy-animal-123|eyJ2MiI6IjEifQ==", TRUE, CMG_DEPLOY_KEY_KIND_DEPLOYMENT, CMG_DEPLOYMENT_TYPE_PROD, "happy-animal-123", NULL, NULL, FALSE },
  { "dev:joyful-capybara-7|s3cr3t", TRUE, CMG_DEPLOY_KEY_KIND_DEPLOYMENT, CMG_DEPLOYMENT_TYPE_DEV, "joyful-capybara-7", NULL, NULL, FALSE },
  { "preview:brave-otter-42|x", TRUE, CMG_DEPLOY_KEY_KIND_DEPLOYMENT, CMG_DEPLOYMENT_TYPE_PREVIEW, "brave-otter-42", NULL, NULL, FALSE },
  { "preview:my-team:my-project|x", TRUE, CMG_DEPLOY_KEY_KIND_PREVIEW, CMG_DEPLOYMENT_TYPE_PREVIEW, NULL, "my-team", "my-project", FALSE },
  { "project:my-team:my-project|x", TRUE, CMG_DEPLOY_KEY_KIND_PROJECT, CMG_DEPLOYMENT_TYPE_UNKNOWN, NULL, "my-team", "my-project", FALSE },
  { "happy-animal-123|x", TRUE, CMG_DEPLOY_KEY_KIND_DEPLOYMENT, CMG_DEPLOYMENT_TYPE_PROD, "happy-animal-123", NULL, NULL, TRUE },
  { "prod:a-b-1|secret|with|bars", TRUE, CMG_DEPLOY_KEY_KIND_DEPLOYMENT, CMG_DEPLOYMENT_TYPE_PROD, "a-b-1", NULL, NULL, FALSE },
  { "", FALSE },
  { "prod:happy-animal-123", FALSE },        /* no secret part */
  { "prod:happy-animal-123|", FALSE },       /* empty secret */
  { "|secret", FALSE },                      /* empty name */
  { "prod:|secret", FALSE },
  { ":a-b-1|secret", FALSE },
  { "staging:a-b-1|secret", FALSE },         /* unknown prefix */
  { "local:a-b-1|secret", FALSE },
  { "team:my-team:my-project|x", FALSE },
  { "preview:my-team:|x", FALSE },
  { "project:a:b:c|x", FALSE },              /* too many parts */
  { "prod:a-b-1|sec ret", FALSE },           /* whitespace */
  { " prod:a-b-1|secret", FALSE },
  { "prod:a-b-1|secret\n", FALSE },
  { "prod:a b|secret", FALSE },
  { "prod:a/b|secret", FALSE },
};

static void
test_parse (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (key_cases); i++)
    {
      const KeyCase *c = &key_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgDeployKeyInfo) info = cmg_deploy_key_parse (c->key, &error);

      g_test_message ("key %u", i);
      if (!c->valid)
        {
          const char *bar = strchr (c->key, '|');

          g_assert_null (info);
          g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
          /* The message never quotes the secret. */
          if (bar != NULL && strlen (bar) > 2)
            g_assert_null (strstr (error->message, bar + 1));
          continue;
        }

      g_assert_no_error (error);
      g_assert_nonnull (info);
      g_assert_cmpint (info->kind, ==, c->kind);
      g_assert_cmpint (info->type, ==, c->type);
      g_assert_cmpstr (info->name, ==, c->name);
      g_assert_cmpstr (info->team, ==, c->team);
      g_assert_cmpstr (info->project, ==, c->project);
      g_assert_cmpint (info->legacy, ==, c->legacy);
    }
}

static void
test_parse_null (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (cmg_deploy_key_parse (NULL, &error));
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
}

static void
test_mask (void)
{
  static const struct { const char *key; const char *masked; } masks[] = {
    { "prod:happy-animal-123|eyJ2MiI6IjEifQ==", "prod:happy-animal-123|••••••••" },
    { "preview:team:proj|abc", "preview:team:proj|••••••••" },
    { "legacy-name-1|abc|def", "legacy-name-1|••••••••" },
    { "no-bar-at-all", "••••••••" },
    { "", "••••••••" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (masks); i++)
    {
      g_autofree char *masked = cmg_deploy_key_mask (masks[i].key);

      g_assert_cmpstr (masked, ==, masks[i].masked);
    }

  g_assert_null (cmg_deploy_key_mask (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deploy-key/parse", test_parse);
  g_test_add_func ("/deploy-key/parse-null", test_parse_null);
  g_test_add_func ("/deploy-key/mask", test_mask);

  return g_test_run ();
}
