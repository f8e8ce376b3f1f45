/* cmg-browser-test-utils.c: see cmg-browser-test-utils.h. */
#include "config.h"

#include <locale.h>

#include "cmg-browser-test-utils.h"
#include "cmg-id.h"

void
cmg_browser_test_init (int    *argc,
                       char ***argv)
{
  g_autofree char *cache = NULL;

  gtk_test_init (argc, argv, NULL);
  /* gtk_test_init forces the C locale; archive member names need UTF-8. */
  setlocale (LC_ALL, "C.UTF-8");
  cache = g_dir_make_tmp ("cmg-browser-cache-XXXXXX", NULL);
  g_setenv ("CMG_CACHE_DIR", cache, TRUE);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The main thread owns its context for the whole test, as a running GMainLoop would: the
   * engine hands results over with g_main_context_invoke, which runs them in the worker thread
   * when no thread owns the context at that moment. */
  g_assert_true (g_main_context_acquire (g_main_context_default ()));
}

gboolean
cmg_browser_test_wait (gboolean (*cond) (gpointer),
                       gpointer   data,
                       guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
cmg_browser_test_spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (1000);
    }
}

static gboolean
is_drawn (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

GtkWindow *
cmg_browser_test_window (GtkWidget *child)
{
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());

  gtk_window_set_default_size (window, 1100, 720);
  gtk_window_set_child (window, child);
  gtk_window_present (window);
  g_assert_true (cmg_browser_test_wait (is_drawn, child, 10000));
  cmg_browser_test_spin (100);
  return window;
}

static void
save_texture (GdkTexture *texture,
              const char *dir,
              const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);

  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

void
cmg_browser_test_snapshot (GtkWindow  *window,
                           const char *name,
                           const char *screenshot)
{
  GtkWidget *child = gtk_window_get_child (window);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file_name = g_strdup_printf ("%s.png", name);
  g_autofree char *dir = NULL;
  const char *screens = g_getenv ("CMG_SCREENSHOT_DIR");
  int width, height;

  /* Let pending layout, counts and previews reach the screen first. */
  cmg_browser_test_spin (250);
  width = gtk_widget_get_width (child);
  height = gtk_widget_get_height (child);
  paintable = gtk_widget_paintable_new (child);
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ? g_getenv ("G_TEST_BUILDDIR") : ".",
                          "snapshots", NULL);
  save_texture (texture, dir, file_name);
  if (screens != NULL && screens[0] != '\0' && screenshot != NULL)
    save_texture (texture, screens, screenshot);
}

char *
cmg_browser_test_id (guint32 number,
                     guint   seed)
{
  CmgId id = { .table_number = number };

  for (guint i = 0; i < CMG_ID_INTERNAL_SIZE; i++)
    id.internal[i] = (guint8) (seed * 37 + i * 11 + 1);
  return cmg_id_encode (&id);
}
