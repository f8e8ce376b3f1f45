/* test-project.c: what makes a folder a Convex project. */
#include "config.h"

#include "cmg-deploy-error.h"
#include "cmg-project.h"
#include "deploy-test-util.h"

static CmgProject *
open_dir (const char  *dir,
          GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (dir);

  return cmg_project_open (file, error);
}

static void
test_convex_project (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(GFile) dir_file = g_file_new_for_path (dir);

  deploy_test_make_convex_project (dir);
  project = open_dir (dir, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmg_project_get_path (project), ==, dir);
  g_assert_cmpstr (cmg_project_get_name (project), ==, "fixture-app");
  g_assert_true (cmg_project_has_package_json (project));
  g_assert_true (cmg_project_lists_convex (project));
  g_assert_true (cmg_project_has_convex_dir (project));
  g_assert_true (cmg_project_has_convex_module (project));
  g_assert_true (cmg_project_is_convex (project));
  g_assert_null (cmg_project_get_problem (project));
  g_assert_true (g_file_equal (cmg_project_get_dir (project), dir_file));

  deploy_test_remove_tree (dir);
}

static void
test_package_json_variants (void)
{
  static const struct {
    const char *contents;   /* NULL: no package.json */
    gboolean    has_package_json;
    gboolean    lists_convex;
    const char *name;       /* NULL: the folder name */
    const char *problem_part;
  } variants[] = {
    { NULL, FALSE, FALSE, NULL, "no package.json" },
    { "{\"devDependencies\": {\"convex\": \"^1\"}}", TRUE, TRUE, NULL, "npm install" },
    { "{\"peerDependencies\": {\"convex\": \"*\"}}", TRUE, TRUE, NULL, "npm install" },
    { "{\"name\": \"shop\", \"dependencies\": {\"react\": \"18\"}}", TRUE, FALSE, "shop", "does not list convex" },
    { "{\"name\": \"shop\", \"dependencies\": ", TRUE, FALSE, NULL, "not valid JSON" },
    { "[1, 2, 3]", TRUE, FALSE, NULL, "JSON object" },
    { "{\"name\": 42, \"dependencies\": [\"convex\"]}", TRUE, FALSE, NULL, "does not list convex" },
    { "{\"name\": \"\", \"dependencies\": {\"convex\": \"1\"}}", TRUE, TRUE, NULL, "npm install" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *dir = deploy_test_make_dir ();
      g_autofree char *basename = g_path_get_basename (dir);
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgProject) project = NULL;

      g_test_message ("variant %u", i);
      if (variants[i].contents != NULL)
        deploy_test_write (dir, "package.json", variants[i].contents, -1);

      project = open_dir (dir, &error);
      g_assert_no_error (error);
      g_assert_cmpint (cmg_project_has_package_json (project), ==, variants[i].has_package_json);
      g_assert_cmpint (cmg_project_lists_convex (project), ==, variants[i].lists_convex);
      g_assert_cmpint (cmg_project_is_convex (project), ==, variants[i].lists_convex);
      g_assert_false (cmg_project_has_convex_module (project));
      g_assert_false (cmg_project_has_convex_dir (project));
      g_assert_cmpstr (cmg_project_get_name (project), ==,
                       variants[i].name != NULL ? variants[i].name : basename);
      g_assert_nonnull (cmg_project_get_problem (project));
      g_assert_nonnull (strstr (cmg_project_get_problem (project), variants[i].problem_part));

      deploy_test_remove_tree (dir);
    }
}

static void
test_package_json_too_large (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autoptr(GString) big = g_string_new ("{\"dependencies\": {\"convex\": \"1\"}, \"pad\": \"");
  g_autoptr(CmgProject) project = NULL;

  while (big->len <= 1024 * 1024)
    g_string_append (big, "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
  g_string_append (big, "\"}");
  deploy_test_write (dir, "package.json", big->str, big->len);

  project = open_dir (dir, NULL);
  g_assert_nonnull (project);
  g_assert_true (cmg_project_has_package_json (project));
  g_assert_false (cmg_project_lists_convex (project));
  g_assert_nonnull (strstr (cmg_project_get_problem (project), "1 MiB"));

  deploy_test_remove_tree (dir);
}

static void
test_open_errors (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *missing = g_build_filename (dir, "missing", NULL);
  g_autofree char *file = g_build_filename (dir, "file.txt", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgProject) project = NULL;

  project = open_dir (missing, &error);
  g_assert_null (project);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "missing"));
  g_clear_error (&error);

  deploy_test_write (dir, "file.txt", "x", -1);
  project = open_dir (file, &error);
  g_assert_null (project);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_A_DIRECTORY);

  deploy_test_remove_tree (dir);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  CmgProject **out = user_data;
  g_autoptr(GError) error = NULL;

  *out = cmg_project_open_finish (result, &error);
  g_assert_no_error (error);
}

static void
failed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **out = user_data;

  g_assert_null (cmg_project_open_finish (result, out));
}

static void
test_open_async (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *missing = g_build_filename (dir, "nope", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autoptr(CmgProject) project = NULL;
  GError *error = NULL;

  deploy_test_make_convex_project (dir);
  cmg_project_open_async (file, NULL, opened_cb, &project);
  while (project == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (cmg_project_is_convex (project));

  cmg_project_open_async (missing_file, NULL, failed_cb, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  deploy_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/project/convex-project", test_convex_project);
  g_test_add_func ("/project/package-json-variants", test_package_json_variants);
  g_test_add_func ("/project/package-json-too-large", test_package_json_too_large);
  g_test_add_func ("/project/open-errors", test_open_errors);
  g_test_add_func ("/project/open-async", test_open_async);

  return g_test_run ();
}
