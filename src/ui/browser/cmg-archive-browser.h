/* cmg-archive-browser.h: the archive browser: every open archive in a tab of its own (each
 * independent, each closable), and, when none is open, a way to open one (button, drag and drop,
 * recent archives). Emits "archive-opened" (GFile *file, gboolean ok) when an open finishes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CMG_TYPE_ARCHIVE_BROWSER (cmg_archive_browser_get_type ())
G_DECLARE_FINAL_TYPE (CmgArchiveBrowser, cmg_archive_browser, CMG, ARCHIVE_BROWSER, GtkWidget)

GtkWidget  *cmg_archive_browser_new (void);
/* Opens the archive in a worker thread and adds a tab for it (a sentence if it cannot be read);
 * an archive already open is brought to the front instead. */
void        cmg_archive_browser_open (CmgArchiveBrowser *self,
                                      GFile             *file);
/* Tabs, broken archives included. */
guint       cmg_archive_browser_get_n_archives (CmgArchiveBrowser *self);
/* Opens still running in worker threads. */
guint       cmg_archive_browser_get_n_opening (CmgArchiveBrowser *self);
/* The tab's page: a CmgArchiveView, or a GtkWidget saying why the archive cannot be opened. */
GtkWidget  *cmg_archive_browser_get_page (CmgArchiveBrowser *self,
                                          guint              index);
/* The page of the front tab, or NULL. */
GtkWidget  *cmg_archive_browser_get_current_page (CmgArchiveBrowser *self);
void        cmg_archive_browser_close (CmgArchiveBrowser *self,
                                       guint              index);
/* Recently opened archives, most recent first (GtkStringList of paths; kept in memory). */
GListModel *cmg_archive_browser_get_recent (CmgArchiveBrowser *self);

G_END_DECLS
