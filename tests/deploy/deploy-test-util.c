/* deploy-test-util.c: see deploy-test-util.h. */
#include "config.h"

#include <glib/gstdio.h>

#include "deploy-test-util.h"

char *
deploy_test_make_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cmg-deploy-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
deploy_test_mkdir (const char *dir,
                   const char *relative)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);

  g_assert_cmpint (g_mkdir_with_parents (path, 0755), ==, 0);
}

void
deploy_test_write (const char *dir,
                   const char *relative,
                   const char *contents,
                   gssize      length)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
}

void
deploy_test_make_convex_project (const char *dir)
{
  deploy_test_write (dir, "package.json",
                     "{\"name\": \"fixture-app\", \"dependencies\": {\"convex\": \"1.48.0\"}}", -1);
  deploy_test_mkdir (dir, "node_modules/convex");
  deploy_test_mkdir (dir, "convex");
}

void
deploy_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = NULL;
  const char *name;

  /* Make sure we can list and delete what a test locked away. */
  g_chmod (path, 0755);

  dir = g_dir_open (path, 0, NULL);
  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            deploy_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}
