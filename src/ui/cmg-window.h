/* cmg-window.h: the main window: header bar, deployment banner, content. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-activity-page.h"
#include "cmg-application.h"
#include "browser/cmg-archive-browser.h"
#include "cmg-connection-switcher.h"
#include "cmg-deployment-banner.h"
#include "cmg-export-page.h"
#include "assistant/cmg-import-assistant.h"
#include "cmg-project.h"
#include "cmg-project-page.h"
#include "cmg-target-resolution.h"

G_BEGIN_DECLS

#define CMG_TYPE_WINDOW (cmg_window_get_type ())
G_DECLARE_FINAL_TYPE (CmgWindow, cmg_window, CMG, WINDOW, GtkApplicationWindow)

/* application may be NULL (widget tests). */
CmgWindow             *cmg_window_new                (CmgApplication *application);
/* Opens what the user chose, dropped or named on the command line. Folders are projects, files
 * are archives (shown in the Archives page). Never blocks: the "loading" property is TRUE until
 * the project is shown or an error is. */
void                   cmg_window_open               (CmgWindow      *self,
                                                      GFile          *file);
void                   cmg_window_open_project       (CmgWindow      *self,
                                                      GFile          *dir);
/* Opens an archive in the Archives page and shows it (no project needed). */
void                   cmg_window_open_archive       (CmgWindow      *self,
                                                      GFile          *file);
/* Shows the import assistant with archive as its source, into the window's connection. */
void                   cmg_window_import_archive     (CmgWindow      *self,
                                                      GFile          *archive);
/* Asks for a folder with the platform's file chooser, then opens it. */
void                   cmg_window_choose_project     (CmgWindow      *self);
/* Asks for an archive, then opens it. */
void                   cmg_window_choose_archive     (CmgWindow      *self);
/* "project", "archives", "export" or "activity" (the "win.show-page" action, Alt+1…4); pages
 * that need a project are ignored until one is open. */
void                   cmg_window_show_page          (CmgWindow      *self,
                                                      const char     *name);
/* Reads the open project again (env files change), keeping the chosen connection. */
void                   cmg_window_reload             (CmgWindow      *self);
gboolean               cmg_window_get_loading        (CmgWindow      *self);
CmgProject            *cmg_window_get_project        (CmgWindow      *self);
CmgTargetResolution   *cmg_window_get_resolution     (CmgWindow      *self);
CmgDeploymentBanner   *cmg_window_get_banner         (CmgWindow      *self);
CmgConnectionSwitcher *cmg_window_get_switcher       (CmgWindow      *self);
CmgProjectPage        *cmg_window_get_project_page   (CmgWindow      *self);
/* "welcome", or the page shown: "project", "archives", "export", "activity" */
const char            *cmg_window_get_page_name      (CmgWindow      *self);
CmgArchiveBrowser     *cmg_window_get_archive_browser (CmgWindow     *self);
CmgExportPage         *cmg_window_get_export_page    (CmgWindow      *self);
CmgImportAssistant    *cmg_window_get_import_assistant (CmgWindow    *self);
CmgActivityPage       *cmg_window_get_activity_page  (CmgWindow      *self);
/* The sentence of the in-window error banner, or NULL when none is shown. */
const char            *cmg_window_get_error          (CmgWindow      *self);
void                   cmg_window_show_error         (CmgWindow      *self,
                                                      const char     *message);

G_END_DECLS
