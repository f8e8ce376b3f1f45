/* test-target-command.c: `convex-migrate target [DIR] [--json]`, run as a child process. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "deploy-test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

/* extra_env: NULL-terminated KEY=VALUE list added to an environment without any CONVEX_*. */
static void
run_target (const char * const *args,
            const char         *cwd,
            const char * const *extra_env,
            Run                *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) environ = g_get_environ ();
  g_auto(GStrv) names = NULL;
  const char *build_root = g_getenv ("CMG_BUILD_ROOT");

  if (build_root == NULL)
    {
      g_test_skip ("CMG_BUILD_ROOT is not set");
      return;
    }

  g_ptr_array_add (argv, g_build_filename (build_root, "src", "convex-migrate", NULL));
  g_ptr_array_add (argv, g_strdup ("target"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  /* Start from the test's own environment, minus anything that could pick a target. */
  names = g_listenv ();
  for (guint i = 0; names[i] != NULL; i++)
    if (g_str_has_prefix (names[i], "CONVEX_") || g_str_has_suffix (names[i], "CONVEX_URL"))
      environ = g_environ_unsetenv (environ, names[i]);
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      environ = g_environ_setenv (environ, pair[0], pair[1], TRUE);
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_environ (launcher, environ);
  if (cwd != NULL)
    g_subprocess_launcher_set_cwd (launcher, cwd);

  process = g_subprocess_launcher_spawnv (launcher, (const char * const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &run->out, &run->err, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));
  run->status = g_subprocess_get_exit_status (process);
}

static JsonObject *
parse_object (const char  *text,
              JsonNode   **out_root)
{
  g_autoptr(GError) error = NULL;

  *out_root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (*out_root);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*out_root));

  return json_node_get_object (*out_root);
}

static void
test_json_dev (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  const char *args[] = { dir, "--json", NULL };
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *target;

  deploy_test_make_convex_project (dir);
  deploy_test_write (dir, ".env.local",
                     "# Deployment used by `npx convex dev`\n"
                     "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: my-team, project: my-project\n\n"
                     "VITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n", -1);

  run_target (args, NULL, NULL, &run);
  if (g_test_failed () || run.out == NULL)
    return;
  g_assert_cmpint (run.status, ==, 0);

  object = parse_object (run.out, &root);
  g_assert_cmpstr (json_object_get_string_member (object, "project"), ==, dir);
  target = json_object_get_object_member (object, "target");
  g_assert_nonnull (target);
  g_assert_cmpstr (json_object_get_string_member (target, "name"), ==, "happy-animal-123");
  g_assert_cmpstr (json_object_get_string_member (target, "type"), ==, "dev");
  g_assert_cmpstr (json_object_get_string_member (target, "team"), ==, "my-team");
  g_assert_cmpstr (json_object_get_string_member (target, "project"), ==, "my-project");
  g_assert_cmpstr (json_object_get_string_member (target, "url"), ==, "https://happy-animal-123.convex.cloud");
  g_assert_cmpstr (json_object_get_string_member (target, "via"), ==, "CONVEX_DEPLOYMENT");
  g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, "from .env.local, line 2");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "conflicts")), ==, 0);

  run_clear (&run);
  deploy_test_remove_tree (dir);
}

static void
test_json_no_target (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  const char *args[] = { "--json", NULL };
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *conflicts;

  /* Default folder: the working directory. */
  deploy_test_make_convex_project (dir);
  run_target (args, dir, NULL, &run);
  if (g_test_failed () || run.out == NULL)
    return;
  g_assert_cmpint (run.status, ==, 0);

  object = parse_object (run.out, &root);
  g_assert_true (json_object_get_null_member (object, "target"));
  conflicts = json_object_get_array_member (object, "conflicts");
  g_assert_cmpuint (json_array_get_length (conflicts), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (conflicts, 0), "code"),
                   ==, "no-target");

  run_clear (&run);
  deploy_test_remove_tree (dir);
}

static void
test_deploy_key_in_environment (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  const char *args[] = { "--json", dir, NULL };
  const char *human_args[] = { dir, NULL };
  const char *env[] = { "CONVEX_DEPLOY_KEY=prod:prod-name-1|Sup3rS3cretPart", NULL };
  Run run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object, *target, *first;

  deploy_test_make_convex_project (dir);
  deploy_test_write (dir, ".env.local", "CONVEX_DEPLOYMENT=dev:my-dev-1\n", -1);

  run_target (args, NULL, env, &run);
  if (g_test_failed () || run.out == NULL)
    return;
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "Sup3rS3cretPart"));
  g_assert_null (strstr (run.err, "Sup3rS3cretPart"));

  object = parse_object (run.out, &root);
  target = json_object_get_object_member (object, "target");
  g_assert_cmpstr (json_object_get_string_member (target, "name"), ==, "prod-name-1");
  g_assert_cmpstr (json_object_get_string_member (target, "type"), ==, "prod");
  g_assert_cmpstr (json_object_get_string_member (target, "via"), ==, "deploy-key");
  g_assert_cmpstr (json_object_get_string_member (target, "source"), ==, "from the environment");
  first = json_array_get_object_element (json_object_get_array_member (object, "conflicts"), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "severity"), ==, "error");
  run_clear (&run);

  /* The human form shows the danger too, and no secret either. */
  run_target (human_args, NULL, env, &run);
  g_assert_cmpint (run.status, ==, 0);
  g_assert_null (strstr (run.out, "Sup3rS3cretPart"));
  g_assert_nonnull (strstr (run.out, "prod-name-1"));
  g_assert_nonnull (strstr (run.out, "PRODUCTION"));
  g_assert_nonnull (strstr (run.out, "deploy-key-overrides-deployment"));
  g_assert_nonnull (strstr (run.out, "prod-deploy-key"));
  run_clear (&run);

  deploy_test_remove_tree (dir);
}

static void
test_human (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  const char *args[] = { dir, NULL };
  Run run = { 0 };

  deploy_test_make_convex_project (dir);
  deploy_test_write (dir, ".env.local", "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: my-team, project: my-project\n", -1);

  run_target (args, NULL, NULL, &run);
  if (g_test_failed () || run.out == NULL)
    return;
  g_assert_cmpint (run.status, ==, 0);
  g_assert_nonnull (strstr (run.out, "happy-animal-123 (Development)"));
  g_assert_nonnull (strstr (run.out, "my-team / my-project"));
  g_assert_nonnull (strstr (run.out, "https://happy-animal-123.convex.cloud"));
  g_assert_nonnull (strstr (run.out, "from .env.local, line 1"));

  run_clear (&run);
  deploy_test_remove_tree (dir);
}

static void
test_missing_folder (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *missing = g_build_filename (dir, "does-not-exist", NULL);
  const char *args[] = { missing, "--json", NULL };
  const char *too_many[] = { dir, dir, NULL };
  Run run = { 0 };

  run_target (args, NULL, NULL, &run);
  if (g_test_failed () || run.out == NULL)
    return;
  g_assert_cmpint (run.status, ==, 2);
  g_assert_cmpstr (run.out, ==, "");
  g_assert_nonnull (strstr (run.err, "does-not-exist"));
  run_clear (&run);

  run_target (too_many, NULL, NULL, &run);
  g_assert_cmpint (run.status, ==, 2);
  run_clear (&run);

  deploy_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/target-command/json-dev", test_json_dev);
  g_test_add_func ("/target-command/json-no-target", test_json_no_target);
  g_test_add_func ("/target-command/deploy-key-in-environment", test_deploy_key_in_environment);
  g_test_add_func ("/target-command/human", test_human);
  g_test_add_func ("/target-command/missing-folder", test_missing_folder);

  return g_test_run ();
}
