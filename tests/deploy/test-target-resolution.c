/* test-target-resolution.c: the CLI's precedence rules and every conflict, table-driven. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "cmg-target-resolution.h"
#include "cmg-env-file.h"
#include "deploy-test-util.h"

#define CMG_ENV_FILE_MAX_SIZE_FOR_TEST (CMG_ENV_FILE_MAX_SIZE + 1)

#define LOCAL_CONFIG(name, port) \
  "{\"ports\":{\"cloud\":" #port ",\"site\":3211},\"adminKey\":\"local-admin-s3cr3t\"," \
  "\"deploymentName\":\"" name "\"}"

#define PROD_KEY "prod:prod-name-1|pr0dS3cr3t"
#define DEV_KEY_A "dev:dev-name-1|d3vS3cr3t"

typedef struct {
  const char *name;
  const char *env_local;     /* NULL: absent; "<dir>": a folder in its place */
  const char *env;
  const char *config;        /* .convex/local/default/config.json */
  const char *package_json;  /* NULL: a package.json that lists convex */
  const char *environ[6];
  /* expected target; type NULL: no target */
  const char *type;
  const char *target_name;
  const char *via;
  const char *url;
  const char *team;
  const char *project;
  const char *source;
  const char *codes;         /* every conflict code, space-separated, any order */
  CmgConflictSeverity max;
} ResolveCase;

static const ResolveCase cases[] = {
  /* Nothing set: no target and no error, as the CLI says "No CONVEX_DEPLOYMENT set". */
  { "nothing", NULL, NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no-target", CMG_CONFLICT_SEVERITY_INFO },
  { "only-frontend-url", "VITE_CONVEX_URL=https://a-b-1.convex.cloud\n", NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no-target", CMG_CONFLICT_SEVERITY_INFO },

  /* CONVEX_DEPLOYMENT and its types. */
  { "dev-from-env-local",
    "# Deployment used by `npx convex dev`\nCONVEX_DEPLOYMENT=dev:happy-animal-123 # team: my-team, project: my-project\n\nVITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n",
    NULL, NULL, NULL, { NULL },
    "dev", "happy-animal-123", "CONVEX_DEPLOYMENT", "https://happy-animal-123.convex.cloud",
    "my-team", "my-project", "from .env.local, line 2", "", CMG_CONFLICT_SEVERITY_INFO },
  { "prod-from-env", NULL, "CONVEX_DEPLOYMENT=prod:main-site-9\n", NULL, NULL, { NULL },
    "prod", "main-site-9", "CONVEX_DEPLOYMENT", "https://main-site-9.convex.cloud",
    NULL, NULL, "from .env, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "preview", "CONVEX_DEPLOYMENT=preview:brave-otter-42\n", NULL, NULL, NULL, { NULL },
    "preview", "brave-otter-42", "CONVEX_DEPLOYMENT", "https://brave-otter-42.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "custom", "CONVEX_DEPLOYMENT=custom:my-custom-1\n", NULL, NULL, NULL, { NULL },
    "custom", "my-custom-1", "CONVEX_DEPLOYMENT", "https://my-custom-1.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "export-prefix-and-crlf", "\r\nexport CONVEX_DEPLOYMENT=\"dev:quoted-name-5\"\r\n", NULL, NULL, NULL, { NULL },
    "dev", "quoted-name-5", "CONVEX_DEPLOYMENT", "https://quoted-name-5.convex.cloud",
    NULL, NULL, "from .env.local, line 2", "", CMG_CONFLICT_SEVERITY_INFO },
  { "legacy-without-prefix", "CONVEX_DEPLOYMENT=old-name-3\n", NULL, NULL, NULL, { NULL },
    "unknown", "old-name-3", "CONVEX_DEPLOYMENT", "https://old-name-3.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "legacy-deployment", CMG_CONFLICT_SEVERITY_WARNING },
  { "unknown-type-prefix", "CONVEX_DEPLOYMENT=staging:stage-name-3\n", NULL, NULL, NULL, { NULL },
    "unknown", "stage-name-3", "CONVEX_DEPLOYMENT", "https://stage-name-3.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "deployment-unknown-type", CMG_CONFLICT_SEVERITY_WARNING },
  { "malformed-deployment", "CONVEX_DEPLOYMENT=dev:\n", NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "deployment-malformed", CMG_CONFLICT_SEVERITY_ERROR },
  { "empty-deployment-is-unset", "CONVEX_DEPLOYMENT=\n", NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "no-target", CMG_CONFLICT_SEVERITY_INFO },

  /* Where values come from: environment > .env.local > .env. */
  { "env-local-before-env", "CONVEX_DEPLOYMENT=dev:local-file-1\n", "X=1\nCONVEX_DEPLOYMENT=dev:dot-env-2\n",
    NULL, NULL, { NULL },
    "dev", "local-file-1", "CONVEX_DEPLOYMENT", "https://local-file-1.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "env-files-disagree", CMG_CONFLICT_SEVERITY_WARNING },
  { "env-used-when-local-lacks-key", "VITE_CONVEX_URL=https://dot-env-2.convex.cloud\n",
    "X=1\nCONVEX_DEPLOYMENT=dev:dot-env-2\n", NULL, NULL, { NULL },
    "dev", "dot-env-2", "CONVEX_DEPLOYMENT", "https://dot-env-2.convex.cloud",
    NULL, NULL, "from .env, line 2", "", CMG_CONFLICT_SEVERITY_INFO },
  { "same-value-in-both-files", "CONVEX_DEPLOYMENT=dev:same-name-1\n", "CONVEX_DEPLOYMENT=dev:same-name-1\n",
    NULL, NULL, { NULL },
    "dev", "same-name-1", "CONVEX_DEPLOYMENT", "https://same-name-1.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "files-disagree-on-other-key", "CONVEX_DEPLOYMENT=dev:a-b-1\nCONVEX_SITE_URL=https://a-b-1.convex.site\n",
    "CONVEX_SITE_URL=https://c-d-2.convex.site\n", NULL, NULL, { NULL },
    "dev", "a-b-1", "CONVEX_DEPLOYMENT", "https://a-b-1.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "env-files-disagree", CMG_CONFLICT_SEVERITY_INFO },
  { "environment-overrides-file", "CONVEX_DEPLOYMENT=dev:file-name-1 # team: t, project: p\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOYMENT=dev:shell-name-2", NULL },
    "dev", "shell-name-2", "CONVEX_DEPLOYMENT", "https://shell-name-2.convex.cloud",
    NULL, NULL, "from the environment", "environment-overrides-file", CMG_CONFLICT_SEVERITY_WARNING },
  { "environment-only", NULL, NULL, NULL, NULL,
    { "HOME=/x", "CONVEX_DEPLOYMENT=prod:shell-prod-3", NULL },
    "prod", "shell-prod-3", "CONVEX_DEPLOYMENT", "https://shell-prod-3.convex.cloud",
    NULL, NULL, "from the environment", "", CMG_CONFLICT_SEVERITY_INFO },
  { "empty-environment-blocks-file", "CONVEX_DEPLOYMENT=dev:file-name-1\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOYMENT=", NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "environment-overrides-file no-target", CMG_CONFLICT_SEVERITY_WARNING },

  /* Deploy keys win over everything. */
  { "prod-key-in-shell-overrides-dev", "CONVEX_DEPLOYMENT=dev:my-dev-1 # team: t, project: p\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOY_KEY=" PROD_KEY, NULL },
    "prod", "prod-name-1", "deploy-key", "https://prod-name-1.convex.cloud",
    NULL, NULL, "from the environment", "deploy-key-overrides-deployment prod-deploy-key",
    CMG_CONFLICT_SEVERITY_ERROR },
  { "prod-key-in-file", "CONVEX_DEPLOY_KEY=" PROD_KEY "\n", NULL, NULL, NULL, { NULL },
    "prod", "prod-name-1", "deploy-key", "https://prod-name-1.convex.cloud",
    NULL, NULL, "from .env.local, line 1", "prod-deploy-key", CMG_CONFLICT_SEVERITY_WARNING },
  { "prod-key-in-shell-alone", NULL, NULL, NULL, NULL, { "CONVEX_DEPLOY_KEY=" PROD_KEY, NULL },
    "prod", "prod-name-1", "deploy-key", "https://prod-name-1.convex.cloud",
    NULL, NULL, "from the environment", "prod-deploy-key", CMG_CONFLICT_SEVERITY_ERROR },
  { "legacy-key-is-prod", NULL, NULL, NULL, NULL, { "CONVEX_DEPLOY_KEY=legacy-name-4|s3cr3t", NULL },
    "prod", "legacy-name-4", "deploy-key", "https://legacy-name-4.convex.cloud",
    NULL, NULL, "from the environment", "prod-deploy-key", CMG_CONFLICT_SEVERITY_ERROR },
  { "dev-key-same-deployment", "CONVEX_DEPLOYMENT=dev:dev-name-1 # team: t, project: p\n",
    "CONVEX_DEPLOY_KEY=" DEV_KEY_A "\n", NULL, NULL, { NULL },
    "dev", "dev-name-1", "deploy-key", "https://dev-name-1.convex.cloud",
    "t", "p", "from .env, line 1", "deploy-key-overrides-deployment", CMG_CONFLICT_SEVERITY_WARNING },
  { "dev-key-other-deployment", "CONVEX_DEPLOYMENT=dev:other-dev-2\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOY_KEY=" DEV_KEY_A, NULL },
    "dev", "dev-name-1", "deploy-key", "https://dev-name-1.convex.cloud",
    NULL, NULL, "from the environment", "deploy-key-overrides-deployment", CMG_CONFLICT_SEVERITY_ERROR },
  { "preview-team-key", "CONVEX_DEPLOY_KEY=preview:my-team:my-proj|s3cr3t\n", NULL, NULL, NULL, { NULL },
    "preview", NULL, "deploy-key", NULL, "my-team", "my-proj", "from .env.local, line 1", "",
    CMG_CONFLICT_SEVERITY_INFO },
  { "project-key", NULL, NULL, NULL, NULL, { "CONVEX_DEPLOY_KEY=project:my-team:my-proj|s3cr3t", NULL },
    "unknown", NULL, "deploy-key", NULL, "my-team", "my-proj", "from the environment", "",
    CMG_CONFLICT_SEVERITY_INFO },
  { "malformed-key", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOY_KEY=not-a-key", NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "deploy-key-malformed", CMG_CONFLICT_SEVERITY_ERROR },
  { "deployment-token-alias", NULL, "CONVEX_DEPLOYMENT_TOKEN=" DEV_KEY_A "\n", NULL, NULL, { NULL },
    "dev", "dev-name-1", "deploy-key", "https://dev-name-1.convex.cloud",
    NULL, NULL, "from .env, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "key-and-token", "CONVEX_DEPLOYMENT_TOKEN=" PROD_KEY "\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOY_KEY=" DEV_KEY_A, NULL },
    "dev", "dev-name-1", "deploy-key", "https://dev-name-1.convex.cloud",
    NULL, NULL, "from the environment", "deploy-key-and-token", CMG_CONFLICT_SEVERITY_WARNING },
  { "key-in-shell-overrides-key-in-file", "CONVEX_DEPLOY_KEY=" DEV_KEY_A "\n", NULL, NULL, NULL,
    { "CONVEX_DEPLOY_KEY=" PROD_KEY, NULL },
    "prod", "prod-name-1", "deploy-key", "https://prod-name-1.convex.cloud",
    NULL, NULL, "from the environment", "environment-overrides-file prod-deploy-key",
    CMG_CONFLICT_SEVERITY_ERROR },
  { "key-overrides-self-hosted", "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\nCONVEX_SELF_HOSTED_ADMIN_KEY=abc\n",
    NULL, NULL, NULL, { "CONVEX_DEPLOY_KEY=" DEV_KEY_A, NULL },
    "dev", "dev-name-1", "deploy-key", "https://dev-name-1.convex.cloud",
    NULL, NULL, "from the environment", "deploy-key-overrides-self-hosted", CMG_CONFLICT_SEVERITY_WARNING },

  /* Self-hosted. */
  { "self-hosted", "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\nCONVEX_SELF_HOSTED_ADMIN_KEY=convex-self-hosted|abc\n",
    NULL, NULL, NULL, { NULL },
    "self-hosted", NULL, "self-hosted", "http://127.0.0.1:3210", NULL, NULL, "from .env.local, line 1", "",
    CMG_CONFLICT_SEVERITY_INFO },
  { "self-hosted-url-in-env-key-in-file", "CONVEX_SELF_HOSTED_ADMIN_KEY=abc\n", NULL, NULL, NULL,
    { "CONVEX_SELF_HOSTED_URL=https://convex.example.com", NULL },
    "self-hosted", NULL, "self-hosted", "https://convex.example.com", NULL, NULL, "from the environment", "",
    CMG_CONFLICT_SEVERITY_INFO },
  { "self-hosted-with-deployment", "CONVEX_DEPLOYMENT=dev:my-dev-1\nCONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\nCONVEX_SELF_HOSTED_ADMIN_KEY=abc\n",
    NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "self-hosted-with-deployment", CMG_CONFLICT_SEVERITY_ERROR },
  { "self-hosted-url-only-with-deployment", "CONVEX_DEPLOYMENT=dev:my-dev-1\nCONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\n",
    NULL, NULL, NULL, { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "self-hosted-incomplete", CMG_CONFLICT_SEVERITY_WARNING },
  { "self-hosted-key-only", "CONVEX_SELF_HOSTED_ADMIN_KEY=abc\n", NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "self-hosted-incomplete", CMG_CONFLICT_SEVERITY_ERROR },
  { "self-hosted-bad-url", "CONVEX_SELF_HOSTED_URL=ftp://host\nCONVEX_SELF_HOSTED_ADMIN_KEY=abc\n", NULL, NULL, NULL, { NULL },
    NULL, NULL, NULL, NULL, NULL, NULL, NULL, "self-hosted-url-invalid", CMG_CONFLICT_SEVERITY_ERROR },

  /* Frontend URL variables never pick the target, but are compared with it. */
  { "frontend-url-mismatch", "CONVEX_DEPLOYMENT=dev:my-dev-1\nVITE_CONVEX_URL=https://someone-else-9.convex.cloud\n",
    NULL, NULL, NULL, { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "frontend-url-mismatch", CMG_CONFLICT_SEVERITY_WARNING },
  { "next-public-url-from-environment", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL, NULL, NULL,
    { "NEXT_PUBLIC_CONVEX_URL=https://someone-else-9.convex.cloud", NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "frontend-url-mismatch", CMG_CONFLICT_SEVERITY_WARNING },
  { "frontend-urls-match", "CONVEX_DEPLOYMENT=dev:my-dev-1\nVITE_CONVEX_URL=https://my-dev-1.convex.cloud\nEXPO_PUBLIC_CONVEX_URL=https://my-dev-1.convex.cloud/\n",
    NULL, NULL, NULL, { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "frontend-cloud-url-with-local-target", "CONVEX_DEPLOYMENT=local:local-team-proj\nVITE_CONVEX_URL=https://my-dev-1.convex.cloud\n",
    NULL, LOCAL_CONFIG ("local-team-proj", 3210), NULL, { NULL },
    "local", "local-team-proj", "CONVEX_DEPLOYMENT", "http://127.0.0.1:3210", NULL, NULL,
    "from .env.local, line 1", "frontend-url-mismatch", CMG_CONFLICT_SEVERITY_WARNING },

  /* Local deployments. */
  { "local-with-config", "CONVEX_DEPLOYMENT=local:local-team-proj # team: team, project: proj\nVITE_CONVEX_URL=http://127.0.0.1:3210\n",
    NULL, LOCAL_CONFIG ("local-team-proj", 3210), NULL, { NULL },
    "local", "local-team-proj", "CONVEX_DEPLOYMENT", "http://127.0.0.1:3210", "team", "proj",
    "from .env.local, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "local-frontend-other-port", "CONVEX_DEPLOYMENT=local:local-team-proj\nVITE_CONVEX_URL=http://127.0.0.1:3999\n",
    NULL, LOCAL_CONFIG ("local-team-proj", 3210), NULL, { NULL },
    "local", "local-team-proj", "CONVEX_DEPLOYMENT", "http://127.0.0.1:3210", NULL, NULL,
    "from .env.local, line 1", "frontend-url-mismatch", CMG_CONFLICT_SEVERITY_WARNING },
  { "anonymous-with-config", "CONVEX_DEPLOYMENT=anonymous:anonymous-myapp\n", NULL,
    LOCAL_CONFIG ("anonymous-myapp", 3218), NULL, { NULL },
    "anonymous", "anonymous-myapp", "CONVEX_DEPLOYMENT", "http://127.0.0.1:3218", NULL, NULL,
    "from .env.local, line 1", "", CMG_CONFLICT_SEVERITY_INFO },
  { "local-config-missing", "CONVEX_DEPLOYMENT=local:local-team-proj\n", NULL, NULL, NULL, { NULL },
    "local", "local-team-proj", "CONVEX_DEPLOYMENT", NULL, NULL, NULL,
    "from .env.local, line 1", "local-config-missing", CMG_CONFLICT_SEVERITY_WARNING },
  { "local-config-malformed", "CONVEX_DEPLOYMENT=local:local-team-proj\n", NULL, "{\"ports\": {", NULL, { NULL },
    "local", "local-team-proj", "CONVEX_DEPLOYMENT", NULL, NULL, NULL,
    "from .env.local, line 1", "local-config-malformed", CMG_CONFLICT_SEVERITY_WARNING },
  { "local-config-without-port", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL,
    "{\"adminKey\":\"k\",\"deploymentName\":\"local-x\",\"ports\":{\"cloud\":\"3210\"}}", NULL, { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "local-config-malformed", CMG_CONFLICT_SEVERITY_WARNING },
  { "local-config-other-name", "CONVEX_DEPLOYMENT=anonymous:anonymous-myapp\n", NULL,
    LOCAL_CONFIG ("anonymous-other", 3210), NULL, { NULL },
    "anonymous", "anonymous-myapp", "CONVEX_DEPLOYMENT", NULL, NULL, NULL,
    "from .env.local, line 1", "local-config-name-mismatch local-deployment-not-target", CMG_CONFLICT_SEVERITY_WARNING },
  { "local-configured-target-elsewhere", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL,
    LOCAL_CONFIG ("local-team-proj", 3210), NULL, { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "local-deployment-not-target", CMG_CONFLICT_SEVERITY_INFO },

  /* Files that cannot be read make the target uncertain. */
  { "env-local-is-a-folder", "<dir>", "CONVEX_DEPLOYMENT=dev:from-dot-env-1\n", NULL, NULL, { NULL },
    "dev", "from-dot-env-1", "CONVEX_DEPLOYMENT", "https://from-dot-env-1.convex.cloud", NULL, NULL,
    "from .env, line 1", "env-file-unreadable", CMG_CONFLICT_SEVERITY_ERROR },
  { "env-file-not-utf8", "CONVEX_DEPLOYMENT=dev:my-dev-1\nOTHER=\xff\xfe\n", NULL, NULL, NULL, { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "env-file-not-utf8", CMG_CONFLICT_SEVERITY_WARNING },

  /* The folder itself. */
  { "not-a-convex-project", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL, NULL,
    "{\"dependencies\": {\"react\": \"18\"}}", { NULL },
    "dev", "my-dev-1", "CONVEX_DEPLOYMENT", "https://my-dev-1.convex.cloud", NULL, NULL,
    "from .env.local, line 1", "not-a-convex-project", CMG_CONFLICT_SEVERITY_WARNING },
};

static char *
make_fixture (const ResolveCase *c)
{
  char *dir = deploy_test_make_dir ();

  if (c->package_json != NULL)
    deploy_test_write (dir, "package.json", c->package_json, -1);
  else
    deploy_test_make_convex_project (dir);

  if (g_strcmp0 (c->env_local, "<dir>") == 0)
    deploy_test_mkdir (dir, ".env.local");
  else if (c->env_local != NULL)
    deploy_test_write (dir, ".env.local", c->env_local, -1);

  if (c->env != NULL)
    deploy_test_write (dir, ".env", c->env, -1);

  if (c->config != NULL)
    deploy_test_write (dir, ".convex/local/default/config.json", c->config, -1);

  return dir;
}

static CmgTargetResolution *
resolve_dir (const char         *dir,
             const char * const *environ)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgProject) project = cmg_project_open (file, &error);

  g_assert_no_error (error);
  return cmg_target_resolve (project, environ);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *)a, *(const char * const *)b);
}

static char *
sorted_codes (GPtrArray *conflicts)
{
  g_autoptr(GPtrArray) codes = g_ptr_array_new ();

  for (guint i = 0; i < conflicts->len; i++)
    g_ptr_array_add (codes, ((CmgConflict *)g_ptr_array_index (conflicts, i))->code);
  g_ptr_array_sort (codes, compare_strings);
  g_ptr_array_add (codes, NULL);

  return g_strjoinv (" ", (char **)codes->pdata);
}

static char *
sorted_expected (const char *codes)
{
  g_auto(GStrv) parts = g_strsplit (codes, " ", -1);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (parts[i][0] != '\0')
      g_ptr_array_add (list, parts[i]);
  g_ptr_array_sort (list, compare_strings);
  g_ptr_array_add (list, NULL);

  return g_strjoinv (" ", (char **)list->pdata);
}

static void
test_case (gconstpointer data)
{
  const ResolveCase *c = data;
  g_autofree char *dir = make_fixture (c);
  g_autoptr(CmgTargetResolution) resolution = resolve_dir (dir, c->environ);
  CmgDeployment *target = cmg_target_resolution_get_target (resolution);
  GPtrArray *conflicts = cmg_target_resolution_get_conflicts (resolution);
  g_autofree char *codes = sorted_codes (conflicts);
  g_autofree char *expected_codes = sorted_expected (c->codes);
  g_autofree char *json = NULL;

  for (guint i = 0; i < conflicts->len; i++)
    g_test_message ("conflict: %s", ((CmgConflict *)g_ptr_array_index (conflicts, i))->message);

  g_assert_cmpstr (codes, ==, expected_codes);
  g_assert_cmpint (cmg_target_resolution_get_max_severity (resolution), ==, c->max);
  g_assert_cmpint (cmg_target_resolution_has_conflicts (resolution), ==,
                   c->max >= CMG_CONFLICT_SEVERITY_WARNING);

  /* Most severe first. */
  for (guint i = 1; i < conflicts->len; i++)
    g_assert_cmpint (((CmgConflict *)g_ptr_array_index (conflicts, i - 1))->severity, >=,
                     ((CmgConflict *)g_ptr_array_index (conflicts, i))->severity);

  if (c->type == NULL)
    {
      g_assert_null (target);
      g_assert_null (cmg_target_resolution_get_secret (resolution));
    }
  else
    {
      g_autofree char *source = NULL;

      g_assert_nonnull (target);
      g_assert_cmpstr (cmg_deployment_type_to_string (cmg_deployment_get_deployment_type (target)), ==, c->type);
      g_assert_cmpstr (cmg_deployment_get_name (target), ==, c->target_name);
      g_assert_cmpstr (cmg_target_via_to_string (cmg_deployment_get_via (target)), ==, c->via);
      g_assert_cmpstr (cmg_deployment_get_url (target), ==, c->url);
      g_assert_cmpstr (cmg_deployment_get_team (target), ==, c->team);
      g_assert_cmpstr (cmg_deployment_get_project (target), ==, c->project);
      source = cmg_value_source_describe (cmg_deployment_get_source (target));
      g_assert_cmpstr (source, ==, c->source);
    }

  /* Whatever the case, secrets never reach messages, variables or the JSON. */
  json = cmg_target_resolution_to_json (resolution, FALSE);
  g_assert_true (json_from_string (json, NULL) != NULL);
  for (guint i = 0; i < conflicts->len; i++)
    {
      const CmgConflict *conflict = g_ptr_array_index (conflicts, i);

      g_assert_null (strstr (conflict->message, "S3cr3t"));
      g_assert_null (strstr (conflict->message, "s3cr3t"));
      g_assert_true (g_utf8_validate (conflict->message, -1, NULL));
    }
  g_assert_null (strstr (json, "S3cr3t"));
  g_assert_null (strstr (json, "s3cr3t"));
  for (guint i = 0; i < cmg_target_resolution_get_variables (resolution)->len; i++)
    {
      const CmgTargetVariable *variable = g_ptr_array_index (cmg_target_resolution_get_variables (resolution), i);

      g_assert_null (strstr (variable->display_value, "S3cr3t"));
      g_assert_null (strstr (variable->display_value, "s3cr3t"));
    }

  deploy_test_remove_tree (dir);
}

static void
test_variables (void)
{
  static const ResolveCase c = {
    "variables",
    "CONVEX_DEPLOYMENT=dev:file-local-1\nVITE_CONVEX_URL=https://file-local-1.convex.cloud\nUNRELATED=1\n",
    "CONVEX_DEPLOYMENT=dev:file-env-2\nCONVEX_DEPLOY_KEY=" DEV_KEY_A "\n",
    NULL, NULL,
  };
  static const char * const environ[] = { "CONVEX_DEPLOYMENT=dev:shell-3", "PATH=/bin", NULL };
  g_autofree char *dir = make_fixture (&c);
  g_autoptr(CmgTargetResolution) resolution = resolve_dir (dir, environ);
  GPtrArray *variables = cmg_target_resolution_get_variables (resolution);
  const CmgTargetVariable *v;

  /* The key first (it wins), then CONVEX_DEPLOYMENT from each place, then the frontend URL. */
  g_assert_cmpuint (variables->len, ==, 5);

  v = g_ptr_array_index (variables, 0);
  g_assert_cmpstr (v->key, ==, "CONVEX_DEPLOY_KEY");
  g_assert_cmpstr (v->display_value, ==, "dev:dev-name-1|••••••••");
  g_assert_true (v->secret);
  g_assert_true (v->effective);
  g_assert_cmpstr (v->source->file, ==, ".env");

  v = g_ptr_array_index (variables, 1);
  g_assert_cmpstr (v->key, ==, "CONVEX_DEPLOYMENT");
  g_assert_cmpstr (v->display_value, ==, "dev:shell-3");
  g_assert_null (v->source->file);
  g_assert_true (v->effective);
  g_assert_false (v->secret);

  v = g_ptr_array_index (variables, 2);
  g_assert_cmpstr (v->display_value, ==, "dev:file-local-1");
  g_assert_cmpstr (v->source->file, ==, ".env.local");
  g_assert_cmpuint (v->source->line, ==, 1);
  g_assert_false (v->effective);

  v = g_ptr_array_index (variables, 3);
  g_assert_cmpstr (v->display_value, ==, "dev:file-env-2");
  g_assert_cmpstr (v->source->file, ==, ".env");
  g_assert_false (v->effective);

  v = g_ptr_array_index (variables, 4);
  g_assert_cmpstr (v->key, ==, "VITE_CONVEX_URL");
  g_assert_true (v->effective);

  g_assert_cmpstr (cmg_target_resolution_get_secret (resolution), ==, DEV_KEY_A);

  deploy_test_remove_tree (dir);
}

static void
test_local_deployment (void)
{
  static const ResolveCase c = {
    "local", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL, LOCAL_CONFIG ("local-team-proj", 4321), NULL,
  };
  g_autofree char *dir = make_fixture (&c);
  g_autoptr(CmgTargetResolution) resolution = resolve_dir (dir, NULL);
  CmgDeployment *local = cmg_target_resolution_get_local_deployment (resolution);

  g_assert_nonnull (local);
  g_assert_cmpstr (cmg_deployment_get_name (local), ==, "local-team-proj");
  g_assert_cmpint (cmg_deployment_get_deployment_type (local), ==, CMG_DEPLOYMENT_TYPE_LOCAL);
  g_assert_cmpstr (cmg_deployment_get_url (local), ==, "http://127.0.0.1:4321");
  g_assert_cmpstr (cmg_target_resolution_get_local_admin_key (resolution), ==, "local-admin-s3cr3t");
  /* The target is the dev deployment: its secret is not the local admin key. */
  g_assert_null (cmg_target_resolution_get_secret (resolution));

  deploy_test_remove_tree (dir);
}

static void
test_binary_and_large_env_files (void)
{
  static const ResolveCase c = { "binary", NULL, "CONVEX_DEPLOYMENT=dev:from-dot-env-1\n", NULL, NULL };
  g_autofree char *dir = make_fixture (&c);
  g_autoptr(CmgTargetResolution) resolution = NULL;
  g_autofree char *big = g_malloc0 (CMG_ENV_FILE_MAX_SIZE_FOR_TEST);
  const CmgConflict *first;

  deploy_test_write (dir, ".env.local", "CONVEX_DEPLOYMENT=dev:a\0b\n", 26);
  resolution = resolve_dir (dir, NULL);
  first = g_ptr_array_index (cmg_target_resolution_get_conflicts (resolution), 0);
  g_assert_cmpstr (first->code, ==, "env-file-binary");
  g_assert_cmpint (first->severity, ==, CMG_CONFLICT_SEVERITY_ERROR);
  g_assert_nonnull (strstr (first->message, ".env.local"));
  g_clear_object (&resolution);

  memset (big, '#', CMG_ENV_FILE_MAX_SIZE_FOR_TEST);
  deploy_test_write (dir, ".env.local", big, CMG_ENV_FILE_MAX_SIZE_FOR_TEST);
  resolution = resolve_dir (dir, NULL);
  first = g_ptr_array_index (cmg_target_resolution_get_conflicts (resolution), 0);
  g_assert_cmpstr (first->code, ==, "env-file-too-large");
  g_assert_cmpint (first->severity, ==, CMG_CONFLICT_SEVERITY_ERROR);

  deploy_test_remove_tree (dir);
}

static void
test_json (void)
{
  static const ResolveCase c = {
    "json", "CONVEX_DEPLOYMENT=dev:my-dev-1 # team: t, project: p\n", NULL, NULL, NULL,
  };
  static const char * const environ[] = { "CONVEX_DEPLOY_KEY=" PROD_KEY, NULL };
  g_autofree char *dir = make_fixture (&c);
  g_autoptr(CmgTargetResolution) resolution = resolve_dir (dir, environ);
  g_autoptr(CmgTargetResolution) empty = NULL;
  g_autofree char *json = cmg_target_resolution_to_json (resolution, TRUE);
  g_autofree char *empty_json = NULL;
  g_autoptr(JsonNode) root = json_from_string (json, NULL);
  g_autoptr(JsonNode) empty_root = NULL;
  JsonObject *object, *target, *conflict;
  JsonArray *conflicts;

  g_assert_nonnull (root);
  object = json_node_get_object (root);
  g_assert_cmpuint (json_object_get_size (object), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (object, "project"), ==, dir);

  target = json_object_get_object_member (object, "target");
  g_assert_cmpuint (json_object_get_size (target), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (target, "name"), ==, "prod-name-1");
  g_assert_cmpstr (json_object_get_string_member (target, "type"), ==, "prod");
  g_assert_true (json_object_get_null_member (target, "team"));
  g_assert_true (json_object_get_null_member (target, "project"));
  g_assert_cmpstr (json_object_get_string_member (target, "url"), ==, "https://prod-name-1.convex.cloud");
  g_assert_cmpstr (json_object_get_string_member (target, "via"), ==, "deploy-key");
  g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, "from the environment");

  conflicts = json_object_get_array_member (object, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 2);
  conflict = json_array_get_object_element (conflicts, 0);
  g_assert_cmpuint (json_object_get_size (conflict), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (conflict, "severity"), ==, "error");
  g_assert_nonnull (json_object_get_string_member (conflict, "code"));
  g_assert_nonnull (strstr (json_object_get_string_member (conflict, "message"), "prod-name-1"));
  g_assert_null (strstr (json, "pr0dS3cr3t"));

  /* A folder with nothing: target null. */
  deploy_test_remove_tree (dir);
  g_free (dir);
  dir = deploy_test_make_dir ();
  deploy_test_make_convex_project (dir);
  empty = resolve_dir (dir, NULL);
  empty_json = cmg_target_resolution_to_json (empty, FALSE);
  empty_root = json_from_string (empty_json, NULL);
  g_assert_true (json_object_get_null_member (json_node_get_object (empty_root), "target"));
  g_assert_null (strchr (empty_json, '\n'));

  deploy_test_remove_tree (dir);
}

static void
resolved_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  CmgTargetResolution **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cmg_target_resolve_finish (result, &error);
  g_assert_no_error (error);
}

static void
test_async (void)
{
  static const ResolveCase c = { "async", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", NULL, NULL, NULL };
  static const char * const environ[] = { "CONVEX_DEPLOYMENT=prod:shell-9", NULL };
  g_autofree char *dir = make_fixture (&c);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(CmgProject) project = cmg_project_open (file, NULL);
  g_autoptr(CmgTargetResolution) resolution = NULL;

  cmg_target_resolve_async (project, environ, NULL, resolved_cb, &resolution);
  while (resolution == NULL)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (cmg_target_resolution_get_project (resolution) == project);
  g_assert_cmpstr (cmg_deployment_get_name (cmg_target_resolution_get_target (resolution)), ==, "shell-9");

  deploy_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/target-resolution/case/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }

  g_test_add_func ("/target-resolution/variables", test_variables);
  g_test_add_func ("/target-resolution/local-deployment", test_local_deployment);
  g_test_add_func ("/target-resolution/binary-and-large-env-files", test_binary_and_large_env_files);
  g_test_add_func ("/target-resolution/json", test_json);
  g_test_add_func ("/target-resolution/async", test_async);

  return g_test_run ();
}
