/* cmg-ui-test-utils.c: see cmg-ui-test-utils.h. */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "cmg-application.h"
#include "cmg-ui-test-utils.h"

static char *state_dir;

static void
remove_state_dir (void)
{
  cmg_test_remove_tree (state_dir);
  g_clear_pointer (&state_dir, g_free);
}

void
cmg_test_ui_init (int    *argc,
                  char ***argv)
{
  static const char * const convex_vars[] = {
    "CONVEX_DEPLOYMENT", "CONVEX_DEPLOY_KEY", "CONVEX_DEPLOYMENT_TOKEN", "CONVEX_SELF_HOSTED_URL",
    "CONVEX_SELF_HOSTED_ADMIN_KEY", "CONVEX_URL",
  };

  /* The window resolves targets with the process environment: keep the developer's out
   * (before gtk_test_init, as unsetenv is not thread-safe once threads run). */
  for (guint i = 0; i < G_N_ELEMENTS (convex_vars); i++)
    g_unsetenv (convex_vars[i]);

  /* Runs the windows record go to a folder of the test's own, never the user's history. */
  if (g_getenv ("CMG_STATE_DIR") == NULL)
    {
      state_dir = g_dir_make_tmp ("cmg-ui-state-XXXXXX", NULL);
      g_assert_nonnull (state_dir);
      g_setenv ("CMG_STATE_DIR", state_dir, TRUE);
      atexit (remove_state_dir);
    }

  gtk_test_init (argc, argv, NULL);
  /* gtk_test_init forces the C locale; file names and labels here are UTF-8. */
  setlocale (LC_ALL, "C.UTF-8");

  cmg_application_init_display (gdk_display_get_default ());
  /* What a GNOME session would set; snapshots then look like the app on a desktop. */
  g_object_set (gtk_settings_get_default (), "gtk-font-name", "Cantarell 11", NULL);
  if (g_getenv ("CMG_TEST_DARK") != NULL)
    g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", TRUE, NULL);
}

GtkWidget *
cmg_test_find_widget (GtkWidget  *root,
                      const char *id)
{
  const char *own;

  if (root == NULL)
    return NULL;

  own = gtk_buildable_get_buildable_id (GTK_BUILDABLE (root));
  if (g_strcmp0 (own, id) == 0)
    return root;

  for (GtkWidget *child = gtk_widget_get_first_child (root);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = cmg_test_find_widget (child, id);

      if (found != NULL)
        return found;
    }

  return NULL;
}

const char *
cmg_test_label_text (GtkWidget  *root,
                     const char *id)
{
  GtkWidget *label = cmg_test_find_widget (root, id);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

gboolean
cmg_test_spin_until (gboolean (*cond) (gpointer),
                     gpointer   data,
                     guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
cmg_test_spin (guint ms)
{
  cmg_test_spin_until (never, NULL, ms);
}

static gboolean
window_ready (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) &&
         gtk_widget_get_width (widget) > 0 &&
         gtk_widget_get_height (widget) > 0;
}

void
cmg_test_show_window (GtkWindow *window)
{
  gtk_window_present (window);
  g_assert_true (cmg_test_spin_until (window_ready, window, 5000));
  /* A few frames for layout, CSS and icons to settle. */
  cmg_test_spin (300);
}

char *
cmg_test_save_png (GtkWidget  *widget,
                   const char *dir,
                   const char *file_name)
{
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GtkSnapshot *snapshot;
  GskRenderer *renderer;
  char *path;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_true (gtk_widget_get_mapped (widget));
  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  path = g_build_filename (dir, file_name, NULL);

  paintable = gtk_widget_paintable_new (widget);
  /* A widget whose content changed since the last frame draws nothing until the next one. */
  for (guint attempt = 0; node == NULL && attempt < 40; attempt++)
    {
      if (attempt > 0)
        cmg_test_spin (50);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (snapshot);
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);
  g_assert_true (gdk_texture_save_to_png (texture, path));

  return path;
}

void
cmg_test_save_snapshot (GtkWidget  *widget,
                        const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                                           "snapshots", NULL);
  g_autofree char *file_name = g_strconcat (name, ".png", NULL);
  g_autofree char *path = cmg_test_save_png (widget, dir, file_name);

  g_test_message ("snapshot: %s", path);
}

void
cmg_test_write_file (const char *dir,
                     const char *name,
                     const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

char *
cmg_test_make_project (const char *env_local,
                       gboolean    with_module)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *parent = g_dir_make_tmp ("cmg-ui-test-XXXXXX", &error);
  /* A stable folder name, so that snapshots and screenshots read like a real project. */
  char *dir = g_build_filename (parent, "chat-app", NULL);

  g_assert_no_error (error);
  cmg_test_write_file (dir, "package.json",
                       "{\n  \"name\": \"chat-app\",\n  \"dependencies\": { \"convex\": \"^1.17.0\" }\n}\n");
  cmg_test_write_file (dir, "convex/schema.ts", "export default {};\n");
  if (with_module)
    cmg_test_write_file (dir, "node_modules/convex/package.json", "{ \"name\": \"convex\" }\n");
  if (env_local != NULL)
    cmg_test_write_file (dir, ".env.local", env_local);
  return dir;
}

void
cmg_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            cmg_test_remove_tree (child);
          else
            g_unlink (child);
        }
    }
  g_rmdir (path);
}

void
cmg_test_remove_project (const char *dir)
{
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *parent_name = g_path_get_basename (parent);

  /* Only ever the temporary folder cmg_test_make_project made. */
  g_assert_true (g_str_has_prefix (parent_name, "cmg-ui-test-"));
  cmg_test_remove_tree (parent);
}

static gboolean
weak_pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
cmg_test_destroy_window (GtkWindow *window)
{
  gpointer pointer = window;

  g_object_add_weak_pointer (G_OBJECT (window), &pointer);
  gtk_window_destroy (window);
  /* Cancelled probes and loads hold a reference until their callbacks run. */
  g_assert_true (cmg_test_spin_until (weak_pointer_cleared, &pointer, 5000));
}

char *
cmg_test_make_export_zip (const char *dir,
                          const char *name)
{
  static const struct { const char *path; const char *data; } entries[] = {
    { "README.md", "This is a Convex snapshot export.\n" },
    { "_tables/documents.jsonl", "{\"name\":\"messages\",\"id\":10001}\n{\"name\":\"users\",\"id\":10002}\n" },
    { "users/documents.jsonl", "{\"_creationTime\":1732406450000.125,\"_id\":\"u1\",\"name\":\"Ada\"}\n" },
    { "users/generated_schema.jsonl", "\"uniform\"\n" },
    { "messages/documents.jsonl",
      "{\"_creationTime\":1732406450001.0,\"_id\":\"m1\",\"body\":\"hello\"}\n"
      "{\"_creationTime\":1732406450002.0,\"_id\":\"m2\",\"body\":\"hi\"}\n"
      "{\"_creationTime\":1732406450003.0,\"_id\":\"m3\",\"body\":\"bye\"}\n" },
    { "messages/generated_schema.jsonl", "\"uniform\"\n" },
  };
  char *path = g_build_filename (dir, name, NULL);
  struct archive *a = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      struct archive_entry *entry = archive_entry_new ();
      size_t size = strlen (entries[i].data);

      archive_entry_set_pathname (entry, entries[i].path);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, size);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, entries[i].data, size), ==, (la_ssize_t) size);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
  return path;
}
