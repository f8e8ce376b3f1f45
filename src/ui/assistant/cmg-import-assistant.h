/* cmg-import-assistant.h: the import assistant: one page per step of a CmgImportPlan (source,
 * target, mode, safety, review, run, result) with Back/Next/Cancel actions, a sidebar of the
 * plan's steps and their states, and the server's question answered only by the user. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-connection.h"
#include "cmg-import-plan.h"

G_BEGIN_DECLS

#define CMG_TYPE_IMPORT_ASSISTANT (cmg_import_assistant_get_type ())
G_DECLARE_FINAL_TYPE (CmgImportAssistant, cmg_import_assistant, CMG, IMPORT_ASSISTANT, GtkWidget)

GtkWidget     *cmg_import_assistant_new             (void);
/* The folder the CLI runs in (package.json listing convex). Default: the connection's project
 * folder when it has one. Set before start. */
void           cmg_import_assistant_set_project_dir (CmgImportAssistant *self,
                                                     const char         *project_dir);
/* Builds a plan for source into connection (replace by default: the usual restore). source may
 * be NULL: the Source page then offers a file chooser and accepts a dropped file. */
void           cmg_import_assistant_start           (CmgImportAssistant *self,
                                                     CmgConnection      *connection,
                                                     GFile              *source);
/* Replaces the source (a new plan for the same connection). */
void           cmg_import_assistant_set_source      (CmgImportAssistant *self,
                                                     GFile              *source);
/* The plan being shown, or NULL before a source is known ("plan" property, notified when an
 * undo or a new source replaces it; set plan settings there before pressing Next). */
CmgImportPlan *cmg_import_assistant_get_plan        (CmgImportAssistant *self);
/* The page shown: "source" "target" "mode" "safety" "review" "run" "result". */
const char    *cmg_import_assistant_get_page_name   (CmgImportAssistant *self);

G_END_DECLS
