/* cmg-browser-test-utils.h: what the archive browser's widget tests share: setup, waiting, PNG
 * snapshots, and an export archive built by the test. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void       cmg_browser_test_init (int    *argc,
                                  char ***argv);
/* Spins the main loop until cond (data) is TRUE; FALSE after timeout_ms. */
gboolean   cmg_browser_test_wait (gboolean (*cond) (gpointer),
                                  gpointer   data,
                                  guint      timeout_ms);
void       cmg_browser_test_spin (guint ms);
/* A window of 1100×720 holding child, presented and drawn. */
GtkWindow *cmg_browser_test_window (GtkWidget *child);
/* Renders the window's child to G_TEST_BUILDDIR/snapshots/<name>.png and, when CMG_SCREENSHOT_DIR
 * is set, to <that dir>/<screenshot> too (screenshot may be NULL). */
void       cmg_browser_test_snapshot (GtkWindow  *window,
                                      const char *name,
                                      const char *screenshot);
/* An Id of table number with internal bytes derived from seed. */
char      *cmg_browser_test_id (guint32 number,
                                guint   seed);

G_END_DECLS
