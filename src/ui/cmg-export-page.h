/* cmg-export-page.h: export the window's current deployment to a ZIP: destination checked before
 * anything runs (never overwritten), `npx convex export` with its live log and steps, an honest
 * Cancel, and the result: open it in the archive browser, with its counts; or what went wrong and
 * what to do next. Emits "open-archive" (GFile *) when the user asks to browse the export. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-log-view.h"
#include "cmg-project.h"
#include "cmg-run-history.h"

G_BEGIN_DECLS

typedef enum {
  CMG_EXPORT_STATE_IDLE,
  CMG_EXPORT_STATE_RUNNING,
  CMG_EXPORT_STATE_SUCCEEDED,
  CMG_EXPORT_STATE_FAILED,
  CMG_EXPORT_STATE_CANCELLED,
} CmgExportState;

#define CMG_TYPE_EXPORT_PAGE (cmg_export_page_get_type ())
G_DECLARE_FINAL_TYPE (CmgExportPage, cmg_export_page, CMG, EXPORT_PAGE, GtkWidget)

GtkWidget     *cmg_export_page_new            (void);
void           cmg_export_page_set_project    (CmgExportPage       *self,
                                               CmgProject          *project);
void           cmg_export_page_set_connection (CmgExportPage       *self,
                                               CmgConnection       *connection);
void           cmg_export_page_set_history    (CmgExportPage       *self,
                                               CmgRunHistory       *history);
/* The environment the CLI (and the version check) starts from; NULL for the app's. */
void           cmg_export_page_set_environ    (CmgExportPage       *self,
                                               const char * const  *environ);
/* Runs program… instead of `npx convex` (tests). */
void           cmg_export_page_set_program    (CmgExportPage       *self,
                                               const char * const  *program);
void           cmg_export_page_set_folder     (CmgExportPage       *self,
                                               GFile               *folder);
GFile         *cmg_export_page_get_folder     (CmgExportPage       *self);
void           cmg_export_page_set_file_name  (CmgExportPage       *self,
                                               const char          *name);
const char    *cmg_export_page_get_file_name  (CmgExportPage       *self);
/* Why Export cannot run now (destination, connection, project), or NULL. */
const char    *cmg_export_page_get_problem    (CmgExportPage       *self);
/* Starts the export (the "export.start" action); FALSE with the problem shown when it cannot. */
gboolean       cmg_export_page_start          (CmgExportPage       *self);
/* The runner's cancel: stops the CLI's whole process tree. */
void           cmg_export_page_cancel         (CmgExportPage       *self);
CmgExportState cmg_export_page_get_state      (CmgExportPage       *self);
/* The sentence of a failed or cancelled export, or NULL. */
const char    *cmg_export_page_get_failure    (CmgExportPage       *self);
/* The ZIP of the last successful export, or NULL. */
GFile         *cmg_export_page_get_result     (CmgExportPage       *self);
/* TRUE once the result's tables are counted. */
gboolean       cmg_export_page_get_counted    (CmgExportPage       *self);
const char    *cmg_export_page_get_cli_version (CmgExportPage      *self);
CmgLogView    *cmg_export_page_get_log_view   (CmgExportPage       *self);

G_END_DECLS
