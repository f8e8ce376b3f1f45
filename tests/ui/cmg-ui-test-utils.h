/* cmg-ui-test-utils.h: helpers shared by the widget tests. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* gtk_test_init, a UTF-8 locale again, a clean CONVEX_* environment and the app's CSS. */
void       cmg_test_ui_init          (int    *argc,
                                      char ***argv);
/* The widget built from the template object with that id, searched under root. */
GtkWidget *cmg_test_find_widget      (GtkWidget  *root,
                                      const char *id);
const char *cmg_test_label_text      (GtkWidget  *root,
                                      const char *id);
/* Runs the main loop until cond returns TRUE; FALSE on timeout. */
gboolean   cmg_test_spin_until       (gboolean  (*cond) (gpointer),
                                      gpointer    data,
                                      guint       timeout_ms);
void       cmg_test_spin             (guint       ms);
/* Presents the window and waits until it is mapped, has a size and has drawn a frame. */
void       cmg_test_show_window      (GtkWindow  *window);
/* Renders a realized, mapped widget into a PNG; returns the path. */
char      *cmg_test_save_png         (GtkWidget  *widget,
                                      const char *dir,
                                      const char *file_name);
/* Saves the widget as G_TEST_BUILDDIR/snapshots/<name>.png. */
void       cmg_test_save_snapshot    (GtkWidget  *widget,
                                      const char *name);
/* A project folder "chat-app" in a new temporary directory: package.json listing convex, convex/,
 * node_modules/convex/ when with_module, and .env.local with env_local when not NULL. */
char      *cmg_test_make_project     (const char *env_local,
                                      gboolean    with_module);
void       cmg_test_write_file       (const char *dir,
                                      const char *name,
                                      const char *contents);
void       cmg_test_remove_tree      (const char *path);
/* Removes what cmg_test_make_project made. */
void       cmg_test_remove_project   (const char *dir);
/* A small export ZIP (users: 1 document, messages: 3) named name in dir; returns its path. */
char      *cmg_test_make_export_zip  (const char *dir,
                                      const char *name);
/* Destroys a window and checks that nothing keeps it alive. */
void       cmg_test_destroy_window   (GtkWindow  *window);

G_END_DECLS
