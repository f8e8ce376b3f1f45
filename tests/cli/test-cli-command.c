/* test-cli-command.c: argv, child environment, private env file and masked display of
 * `npx convex` commands for every kind of connection. */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "cmg-cli-command.h"
#include "cmg-cli-error.h"
#include "cmg-project.h"
#include "cmg-target-resolution.h"
#include "test-tmpdir.h"

#define DEPLOY_KEY "prod:happy-animal-123|eyJ2MiI6ImQ0ZDVkYzU2ZDQyYjQ4ODJiYWM3In0="
#define DEPLOY_KEY_SECRET "eyJ2MiI6ImQ0ZDVkYzU2ZDQyYjQ4ODJiYWM3In0="
#define ADMIN_KEY "convex-self-hosted|01f3a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4"
#define ADMIN_KEY_SECRET "01f3a2b4c5d6e7f8091a2b3c4d5e6f708192a3b4"
#define LEAKED_KEY "prod:leaky-cat-1|bGVha2VkLXNlY3JldC0xMjM0NTY3ODkw"

static char *runtime_dir;
static char *bin_dir;     /* fake node and npx */
static char *empty_dir;

static void
write_file (const char *path,
            const char *contents)
{
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

/* A project folder the CLI would accept; `env_local` is written as .env.local when not NULL. */
static char *
make_project (const char *env_local)
{
  g_autofree char *dir = test_tmpdir_make ("cmg-project-XXXXXX");
  g_autofree char *package = g_build_filename (dir, "package.json", NULL);
  g_autofree char *module = g_build_filename (dir, "node_modules", "convex", "package.json", NULL);

  write_file (package, "{\"name\":\"app\",\"dependencies\":{\"convex\":\"^1.48.0\"}}");
  write_file (module, "{\"name\":\"convex\",\"version\":\"1.48.0\"}");
  if (env_local)
    {
      g_autofree char *env = g_build_filename (dir, ".env.local", NULL);

      write_file (env, env_local);
    }
  return g_steal_pointer (&dir);
}

static GStrv
base_environ (const char *path)
{
  GStrv env = g_new0 (char *, 1);

  env = g_environ_setenv (env, "PATH", path ? path : bin_dir, TRUE);
  env = g_environ_setenv (env, "HOME", "/nonexistent-home", TRUE);
  env = g_environ_setenv (env, "KEEP_ME", "yes", TRUE);
  /* What a careless shell leaves behind: none of it may reach the CLI. */
  env = g_environ_setenv (env, "CONVEX_DEPLOY_KEY", LEAKED_KEY, TRUE);
  env = g_environ_setenv (env, "CONVEX_DEPLOYMENT", "dev:leaky-cat-1", TRUE);
  env = g_environ_setenv (env, "CONVEX_SELF_HOSTED_URL", "http://leak.invalid", TRUE);
  env = g_environ_setenv (env, "CONVEX_SELF_HOSTED_ADMIN_KEY", "leak|0123456789abcdef0123", TRUE);
  return env;
}

static CmgTargetResolution *
resolve (const char *project_dir)
{
  g_autoptr(GFile) dir = g_file_new_for_path (project_dir);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgProject) project = cmg_project_open (dir, &error);
  const char * const no_env[] = { NULL };

  g_assert_no_error (error);
  return cmg_target_resolve (project, no_env);
}

static char *
read_env_file (CmgCliCommand *command)
{
  const char *path = cmg_cli_command_get_env_file (command);
  g_autofree char *dir = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GString) vars = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  GStatBuf st;

  g_assert_nonnull (path);
  dir = g_path_get_dirname (path);
  g_assert_true (g_str_has_prefix (dir, runtime_dir));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  lines = g_strsplit (contents, "\n", 0);
  for (guint i = 0; lines[i]; i++)
    if (lines[i][0] != '\0' && lines[i][0] != '#')
      g_string_append_printf (vars, "%s\n", lines[i]);
  return g_strdup (vars->str);
}

static char *
join_argv (CmgCliCommand *command)
{
  const char * const *argv = cmg_cli_command_get_argv (command);
  g_autoptr(GString) out = g_string_new (NULL);

  /* argv[0] is the fake npx: check it, then compare the rest. */
  g_assert_true (g_str_has_prefix (argv[0], bin_dir));
  g_assert_true (g_str_has_suffix (argv[0], "/npx"));
  for (guint i = 1; argv[i]; i++)
    {
      if (g_str_equal (argv[i], cmg_cli_command_get_env_file (command) ? cmg_cli_command_get_env_file (command) : ""))
        g_string_append (out, " ENV_FILE");
      else
        g_string_append_printf (out, "%s%s", out->len ? " " : "", argv[i]);
    }
  return g_strdup (out->str);
}

static void
assert_no_inherited_convex (CmgCliCommand *command)
{
  const char * const *envp = cmg_cli_command_get_envp (command);

  for (guint i = 0; envp[i]; i++)
    g_assert_false (g_str_has_prefix (envp[i], "CONVEX_"));
  g_assert_cmpstr (g_environ_getenv ((char **)envp, "KEEP_ME"), ==, "yes");
  g_assert_null (g_environ_getenv ((char **)envp, "CI"));
}

static void
assert_no_secret (const char *text)
{
  const char *secrets[] = { DEPLOY_KEY_SECRET, ADMIN_KEY_SECRET, "bGVha2VkLXNlY3JldC0xMjM0NTY3ODkw",
                            "0123456789abcdef0123", NULL };

  for (guint i = 0; secrets[i]; i++)
    g_assert_null (strstr (text, secrets[i]));
}

static CmgCliCommand *
prepared (CmgCliCommand *command)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) env = base_environ (NULL);

  cmg_cli_command_set_base_environ (command, (const char * const *)env);
  g_assert_true (cmg_cli_command_prepare (command, &error));
  g_assert_no_error (error);
  assert_no_inherited_convex (command);
  for (const char * const *a = cmg_cli_command_get_argv (command); *a; a++)
    assert_no_secret (*a);
  return command;
}

static void
test_deploy_key (void)
{
  g_autofree char *project = make_project ("CONVEX_DEPLOYMENT=dev:other-cat-2\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgConnection) connection = cmg_connection_new_deploy_key (DEPLOY_KEY, &error);
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *vars = NULL;
  g_autofree char *args = NULL;
  g_autofree char *display = NULL;
  g_autofree char *env_file = NULL;
  g_autofree char *expected_display = NULL;

  g_assert_no_error (error);
  command = prepared (cmg_cli_command_new_export (connection, project, "/tmp/out dir/snap.zip", TRUE));

  vars = read_env_file (command);
  g_assert_cmpstr (vars, ==, "CONVEX_DEPLOY_KEY=" DEPLOY_KEY "\n");
  args = join_argv (command);
  g_assert_cmpstr (args, ==, "convex export --path /tmp/out dir/snap.zip --include-file-storage --env-file ENV_FILE");
  g_assert_cmpstr (cmg_cli_command_get_project_dir (command), ==, project);

  display = cmg_cli_command_dup_display (command);
  expected_display = g_strdup_printf ("cd %s && CONVEX_DEPLOY_KEY='prod:happy-animal-123|••••••••' "
                                      "npx convex export --path '/tmp/out dir/snap.zip' --include-file-storage",
                                      project);
  g_assert_cmpstr (display, ==, expected_display);
  assert_no_secret (display);

  /* The env file lives only as long as the run. */
  env_file = g_strdup (cmg_cli_command_get_env_file (command));
  g_assert_true (g_file_test (env_file, G_FILE_TEST_EXISTS));
  cmg_cli_command_cleanup (command);
  g_assert_false (g_file_test (env_file, G_FILE_TEST_EXISTS));
  g_assert_null (cmg_cli_command_get_env_file (command));
}

static void
test_env_file_removed_on_finalize (void)
{
  g_autofree char *project = make_project (NULL);
  g_autoptr(CmgConnection) connection = cmg_connection_new_deploy_key (DEPLOY_KEY, NULL);
  CmgCliCommand *command = prepared (cmg_cli_command_new_export (connection, project, "/tmp/x.zip", FALSE));
  g_autofree char *env_file = g_strdup (cmg_cli_command_get_env_file (command));

  g_assert_true (g_file_test (env_file, G_FILE_TEST_EXISTS));
  g_assert_finalize_object (command);
  g_assert_false (g_file_test (env_file, G_FILE_TEST_EXISTS));
}

static void
test_self_hosted_import (void)
{
  g_autofree char *project = make_project (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgConnection) connection = cmg_connection_new_self_hosted ("http://127.0.0.1:3210", ADMIN_KEY, &error);
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *vars = NULL;
  g_autofree char *args = NULL;
  g_autofree char *display = NULL;

  g_assert_no_error (error);
  command = cmg_cli_command_new_import (connection, project, "/data/messages.jsonl", CMG_CLI_IMPORT_MODE_REPLACE);
  cmg_cli_command_set_table (command, "messages");
  cmg_cli_command_set_component (command, "workflow/workpool");
  prepared (command);

  vars = read_env_file (command);
  g_assert_cmpstr (vars, ==, "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3210\n"
                             "CONVEX_SELF_HOSTED_ADMIN_KEY=" ADMIN_KEY "\n");
  args = join_argv (command);
  g_assert_cmpstr (args, ==, "convex import --replace --table messages --component workflow/workpool "
                             "/data/messages.jsonl --env-file ENV_FILE");
  display = cmg_cli_command_dup_display (command);
  assert_no_secret (display);
  g_assert_nonnull (strstr (display, "CONVEX_SELF_HOSTED_ADMIN_KEY='convex-self-hosted|••••••••'"));
  g_assert_nonnull (strstr (display, "CONVEX_SELF_HOSTED_URL='http://127.0.0.1:3210'"));
  g_assert_null (strstr (display, "--yes"));
}

static void
test_import_modes_and_flags (void)
{
  g_autofree char *project = make_project (NULL);
  g_autoptr(CmgConnection) connection = cmg_connection_new_self_hosted ("http://127.0.0.1:3210", ADMIN_KEY, NULL);
  static const struct { CmgCliImportMode mode; const char *flag; } modes[] = {
    { CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY, "convex import /a/b.zip" },
    { CMG_CLI_IMPORT_MODE_APPEND, "convex import --append /a/b.zip" },
    { CMG_CLI_IMPORT_MODE_REPLACE, "convex import --replace /a/b.zip" },
    { CMG_CLI_IMPORT_MODE_REPLACE_ALL, "convex import --replace-all /a/b.zip" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_autoptr(CmgCliCommand) command = cmg_cli_command_new_import (connection, project, "/a/b.zip", modes[i].mode);
      g_autofree char *args = join_argv (prepared (command));
      g_autofree char *expected = g_strconcat (modes[i].flag, " --env-file ENV_FILE", NULL);

      g_assert_cmpstr (args, ==, expected);
    }

  /* --yes only after the app's own confirmation; --format when the name does not tell; CI=1. */
  {
    g_autoptr(CmgCliCommand) command = cmg_cli_command_new_import (connection, project, "/a/data.txt",
                                                                   CMG_CLI_IMPORT_MODE_APPEND);
    g_autofree char *args = NULL;
    g_auto(GStrv) env = base_environ (NULL);
    g_autoptr(GError) error = NULL;

    cmg_cli_command_set_table (command, "t");
    cmg_cli_command_set_format (command, CMG_CLI_IMPORT_FORMAT_JSON_LINES);
    cmg_cli_command_set_confirmed (command, TRUE);
    cmg_cli_command_set_ci (command, TRUE);
    cmg_cli_command_set_env (command, "CONVEX_IMPORT_CHUNK_SIZE", "1024");
    cmg_cli_command_set_base_environ (command, (const char * const *)env);
    g_assert_true (cmg_cli_command_prepare (command, &error));
    args = join_argv (command);
    g_assert_cmpstr (args, ==, "convex import --append --table t --format jsonLines --yes /a/data.txt --env-file ENV_FILE");
    g_assert_cmpstr (g_environ_getenv ((char **)cmg_cli_command_get_envp (command), "CI"), ==, "1");
    g_assert_cmpstr (g_environ_getenv ((char **)cmg_cli_command_get_envp (command), "CONVEX_IMPORT_CHUNK_SIZE"), ==, "1024");
    g_assert_null (g_environ_getenv ((char **)cmg_cli_command_get_envp (command), "CONVEX_DEPLOY_KEY"));
  }
}

static void
test_import_plan_errors (void)
{
  g_autofree char *project = make_project (NULL);
  g_autoptr(CmgConnection) connection = cmg_connection_new_self_hosted ("http://127.0.0.1:3210", ADMIN_KEY, NULL);
  g_auto(GStrv) env = base_environ (NULL);
  struct { const char *file; const char *table; } cases[] = {
    { "/a/b.zip", "t" },        /* a ZIP names its own tables */
    { "/a/b.jsonl", NULL },     /* a single file needs one */
    { "/a/b.data", "t" },       /* the format cannot be told */
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmgCliCommand) command = cmg_cli_command_new_import (connection, project, cases[i].file,
                                                                     CMG_CLI_IMPORT_MODE_APPEND);
      g_autoptr(GError) error = NULL;

      cmg_cli_command_set_table (command, cases[i].table);
      cmg_cli_command_set_base_environ (command, (const char * const *)env);
      g_assert_false (cmg_cli_command_prepare (command, &error));
      g_assert_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_INVALID_PLAN);
      g_assert_null (cmg_cli_command_get_env_file (command));
    }
}

static void
test_deployment_by_name (void)
{
  g_autofree char *project = make_project ("CONVEX_DEPLOY_KEY=" LEAKED_KEY "\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgConnection) connection = cmg_connection_new_deployment ("joyful-capybara-123", &error);
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *vars = NULL;
  g_autofree char *args = NULL;

  g_assert_no_error (error);
  command = prepared (cmg_cli_command_new_export (connection, project, "/tmp/x.zip", FALSE));
  /* An empty env file still matters: .env.local (with its deploy key) is then not read. */
  vars = read_env_file (command);
  g_assert_cmpstr (vars, ==, "");
  args = join_argv (command);
  g_assert_cmpstr (args, ==, "convex export --path /tmp/x.zip --deployment joyful-capybara-123 --env-file ENV_FILE");
}

static void
test_project_target_and_prod (void)
{
  g_autofree char *project = make_project ("# Deployment used by `npx convex dev`\n"
                                           "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: t, project: p\n");
  g_autoptr(CmgTargetResolution) resolution = resolve (project);
  g_autoptr(CmgConnection) target = cmg_connection_new_project_target (resolution);
  g_autoptr(CmgConnection) prod = cmg_connection_new_project_prod (resolution);
  g_autoptr(CmgCliCommand) command = NULL;
  g_autoptr(CmgCliCommand) prod_command = NULL;
  g_autofree char *vars = NULL;
  g_autofree char *args = NULL;
  g_autofree char *display = NULL;

  command = prepared (cmg_cli_command_new_export (target, project, "/tmp/x.zip", FALSE));
  vars = read_env_file (command);
  g_assert_cmpstr (vars, ==, "CONVEX_DEPLOYMENT=dev:happy-animal-123\n");
  args = join_argv (command);
  g_assert_cmpstr (args, ==, "convex export --path /tmp/x.zip --env-file ENV_FILE");

  g_assert_nonnull (prod);
  prod_command = prepared (cmg_cli_command_new_export (prod, project, "/tmp/x.zip", FALSE));
  g_clear_pointer (&vars, g_free);
  g_clear_pointer (&args, g_free);
  vars = read_env_file (prod_command);
  g_assert_cmpstr (vars, ==, "CONVEX_DEPLOYMENT=dev:happy-animal-123\n");
  args = join_argv (prod_command);
  g_assert_cmpstr (args, ==, "convex export --path /tmp/x.zip --prod --env-file ENV_FILE");
  display = cmg_cli_command_dup_display (prod_command);
  g_assert_true (g_str_has_suffix (display, "CONVEX_DEPLOYMENT='dev:happy-animal-123' npx convex export --path /tmp/x.zip --prod"));
}

static void
test_project_deploy_key (void)
{
  g_autofree char *project = make_project ("CONVEX_DEPLOY_KEY=" DEPLOY_KEY "\n");
  g_autoptr(CmgTargetResolution) resolution = resolve (project);
  g_autoptr(CmgConnection) target = cmg_connection_new_project_target (resolution);
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *vars = NULL;
  g_autofree char *display = NULL;

  command = prepared (cmg_cli_command_new_export (target, project, "/tmp/x.zip", FALSE));
  vars = read_env_file (command);
  g_assert_cmpstr (vars, ==, "CONVEX_DEPLOY_KEY=" DEPLOY_KEY "\n");
  display = cmg_cli_command_dup_display (command);
  assert_no_secret (display);
  g_assert_cmpstr (cmg_cli_command_get_secrets (command)[0], ==, DEPLOY_KEY);
}

static void
test_project_local (void)
{
  g_autofree char *project = make_project ("CONVEX_DEPLOYMENT=local:local-team-app\n");
  g_autofree char *config = g_build_filename (project, ".convex", "local", "default", "config.json", NULL);
  g_autoptr(CmgTargetResolution) resolution = NULL;
  g_autoptr(CmgConnection) local = NULL;
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *vars = NULL;

  write_file (config, "{\"ports\":{\"cloud\":3217,\"site\":3218},\"adminKey\":\"" ADMIN_KEY "\","
                      "\"deploymentName\":\"local-team-app\"}");
  resolution = resolve (project);
  local = cmg_connection_new_project_local (resolution);
  g_assert_nonnull (local);

  command = prepared (cmg_cli_command_new_export (local, project, "/tmp/x.zip", FALSE));
  vars = read_env_file (command);
  g_assert_cmpstr (vars, ==, "CONVEX_SELF_HOSTED_URL=http://127.0.0.1:3217\n"
                             "CONVEX_SELF_HOSTED_ADMIN_KEY=" ADMIN_KEY "\n");
}

static void
test_project_without_target (void)
{
  g_autofree char *project = make_project (NULL);
  g_autoptr(CmgTargetResolution) resolution = resolve (project);
  g_autoptr(CmgConnection) target = cmg_connection_new_project_target (resolution);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_export (target, project, "/tmp/x.zip", FALSE);
  g_auto(GStrv) env = base_environ (NULL);
  g_autoptr(GError) error = NULL;

  cmg_cli_command_set_base_environ (command, (const char * const *)env);
  g_assert_false (cmg_cli_command_prepare (command, &error));
  g_assert_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NO_TARGET);
  g_assert_nonnull (strstr (error->message, "npx convex dev"));
}

static void
expect_prepare_error (const char *project,
                      const char *path,
                      int         code,
                      const char *fragment)
{
  g_autoptr(CmgConnection) connection = cmg_connection_new_deploy_key (DEPLOY_KEY, NULL);
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_export (connection, project, "/tmp/x.zip", FALSE);
  g_auto(GStrv) env = base_environ (path);
  g_autoptr(GError) error = NULL;

  cmg_cli_command_set_base_environ (command, (const char * const *)env);
  g_assert_false (cmg_cli_command_prepare (command, &error));
  g_assert_error (error, CMG_CLI_ERROR, code);
  g_assert_nonnull (strstr (error->message, fragment));
  g_assert_null (cmg_cli_command_get_env_file (command));
}

static void
test_missing_tools_and_project (void)
{
  g_autofree char *project = make_project (NULL);
  g_autofree char *node_only = test_tmpdir_make ("cmg-node-only-XXXXXX");
  g_autofree char *node = g_build_filename (node_only, "node", NULL);
  g_autofree char *no_package = test_tmpdir_make ("cmg-empty-XXXXXX");
  g_autofree char *no_convex = test_tmpdir_make ("cmg-noconvex-XXXXXX");
  g_autofree char *no_convex_package = g_build_filename (no_convex, "package.json", NULL);
  g_autofree char *not_installed = make_project (NULL);
  g_autofree char *module = g_build_filename (not_installed, "node_modules", "convex", "package.json", NULL);

  write_file (node, "#!/bin/sh\n");
  g_assert_cmpint (g_chmod (node, 0755), ==, 0);
  write_file (no_convex_package, "{\"dependencies\":{\"react\":\"18\"}}");
  g_assert_cmpint (g_unlink (module), ==, 0);

  expect_prepare_error (project, empty_dir, CMG_CLI_ERROR_NODE_MISSING, "Install Node.js 18 or newer");
  expect_prepare_error (project, node_only, CMG_CLI_ERROR_NPX_MISSING, "Install Node.js 18 or newer");
  expect_prepare_error (no_package, NULL, CMG_CLI_ERROR_NOT_A_PROJECT, "package.json");
  expect_prepare_error (no_convex, NULL, CMG_CLI_ERROR_NOT_A_PROJECT, "does not list convex");
  expect_prepare_error (not_installed, NULL, CMG_CLI_ERROR_CONVEX_MISSING, "Run npm install in that folder");
}

static void
test_stale_env_files (void)
{
  g_autofree char *dir = cmg_cli_command_dup_env_dir ();
  g_autofree char *mine = g_strdup_printf ("%s/cli-%d-aaaaaa.env", dir, (int)getpid ());
  g_autofree char *dead = NULL;
  g_autofree char *other = g_build_filename (dir, "unrelated.txt", NULL);
  int dead_pid = 4000000;

  /* A pid that is surely not running. */
  while (kill (dead_pid, 0) == 0 || errno != ESRCH)
    dead_pid++;
  dead = g_strdup_printf ("%s/cli-%d-bbbbbb.env", dir, dead_pid);

  write_file (mine, "x");
  write_file (dead, "CONVEX_DEPLOY_KEY=" DEPLOY_KEY "\n");
  write_file (other, "x");

  cmg_cli_command_remove_stale_env_files ();
  g_assert_true (g_file_test (mine, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (dead, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (other, G_FILE_TEST_EXISTS));
  g_unlink (mine);
  g_unlink (other);
}

static void
test_version_command (void)
{
  g_autofree char *project = make_project (NULL);
  g_autoptr(CmgCliCommand) command = prepared (cmg_cli_command_new_version (project));
  g_autofree char *args = join_argv (command);

  g_assert_cmpstr (args, ==, "convex --version");
  g_assert_null (cmg_cli_command_get_env_file (command));
}

static void
version_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
test_read_version (void)
{
  g_autofree char *project = make_project (NULL);
  g_auto(GStrv) env = base_environ (NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  cmg_cli_read_version_async (project, (const char * const *)env, NULL, version_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  version = cmg_cli_read_version_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (version, ==, "1.48.0");
}

static void
test_read_version_old_node (void)
{
  g_autofree char *project = make_project (NULL);
  g_autofree char *old_bin = test_tmpdir_make ("cmg-old-node-XXXXXX");
  g_autofree char *node = g_build_filename (old_bin, "node", NULL);
  g_autofree char *npx = g_build_filename (old_bin, "npx", NULL);
  g_auto(GStrv) env = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = NULL;

  write_file (node, "#!/bin/sh\necho v16.20.0\n");
  write_file (npx, "#!/bin/sh\necho 1.48.0\n");
  g_chmod (node, 0755);
  g_chmod (npx, 0755);
  env = base_environ (old_bin);

  cmg_cli_read_version_async (project, (const char * const *)env, NULL, version_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  version = cmg_cli_read_version_finish (result, &error);
  g_assert_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NODE_MISSING);
  g_assert_nonnull (strstr (error->message, "16.20.0"));
  g_assert_null (version);
}

int
main (int argc, char *argv[])
{
  g_autofree char *node = NULL;
  g_autofree char *npx = NULL;

  /* Before anything asks GLib for it: env files go to a private runtime dir. */
  runtime_dir = test_tmpdir_make ("cmg-runtime-XXXXXX");
  g_setenv ("XDG_RUNTIME_DIR", runtime_dir, TRUE);

  g_test_init (&argc, &argv, NULL);

  bin_dir = test_tmpdir_make ("cmg-bin-XXXXXX");
  empty_dir = test_tmpdir_make ("cmg-nobin-XXXXXX");
  node = g_build_filename (bin_dir, "node", NULL);
  npx = g_build_filename (bin_dir, "npx", NULL);
  write_file (node, "#!/bin/sh\necho v20.11.1\n");
  /* npx convex --version, as a project-local CLI answers it (with npm's noise before it). */
  write_file (npx, "#!/bin/sh\n[ \"$1 $2\" = \"convex --version\" ] || exit 3\necho 'npm notice something'\necho 1.48.0\n");
  g_chmod (node, 0755);
  g_chmod (npx, 0755);

  g_test_add_func ("/cli/command/deploy-key", test_deploy_key);
  g_test_add_func ("/cli/command/env-file-removed-on-finalize", test_env_file_removed_on_finalize);
  g_test_add_func ("/cli/command/self-hosted-import", test_self_hosted_import);
  g_test_add_func ("/cli/command/import-modes", test_import_modes_and_flags);
  g_test_add_func ("/cli/command/import-plan-errors", test_import_plan_errors);
  g_test_add_func ("/cli/command/deployment-by-name", test_deployment_by_name);
  g_test_add_func ("/cli/command/project-target-and-prod", test_project_target_and_prod);
  g_test_add_func ("/cli/command/project-deploy-key", test_project_deploy_key);
  g_test_add_func ("/cli/command/project-local", test_project_local);
  g_test_add_func ("/cli/command/project-without-target", test_project_without_target);
  g_test_add_func ("/cli/command/missing-tools-and-project", test_missing_tools_and_project);
  g_test_add_func ("/cli/command/stale-env-files", test_stale_env_files);
  g_test_add_func ("/cli/command/version", test_version_command);
  g_test_add_func ("/cli/command/read-version", test_read_version);
  g_test_add_func ("/cli/command/read-version-old-node", test_read_version_old_node);

  {
    int status = g_test_run ();

    test_tmpdir_cleanup ();
    return status;
  }
}
