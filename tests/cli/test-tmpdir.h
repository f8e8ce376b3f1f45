/* test-tmpdir.h: temporary folders for tests, removed (without following symlinks) when the test
 * program ends normally. */
#pragma once

#include <glib/gstdio.h>
#include <gio/gio.h>

static GPtrArray *test_tmpdirs;

static void
test_tmpdir_remove (const char *path)
{
  GStatBuf st;

  if (g_lstat (path, &st) != 0)
    return;

  if (S_ISDIR (st.st_mode))
    {
      g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
      const char *name;

      while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          test_tmpdir_remove (child);
        }
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

static void
test_tmpdir_cleanup (void)
{
  if (test_tmpdirs == NULL)
    return;
  for (guint i = 0; i < test_tmpdirs->len; i++)
    test_tmpdir_remove (g_ptr_array_index (test_tmpdirs, i));
  g_clear_pointer (&test_tmpdirs, g_ptr_array_unref);
}

/* Like g_dir_make_tmp(), and remembered for test_tmpdir_cleanup(). */
static char *
test_tmpdir_make (const char *tmpl)
{
  char *dir = g_dir_make_tmp (tmpl, NULL);

  g_assert_nonnull (dir);
  if (test_tmpdirs == NULL)
    test_tmpdirs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (test_tmpdirs, g_strdup (dir));
  return dir;
}
