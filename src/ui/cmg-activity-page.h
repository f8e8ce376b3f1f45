/* cmg-activity-page.h: every run of the CLI, newest first (target, type, time, outcome,
 * duration), and the selected run's log. Runs begun while the page shows appear and end live. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-log-view.h"
#include "cmg-run-history.h"

G_BEGIN_DECLS

#define CMG_TYPE_ACTIVITY_PAGE (cmg_activity_page_get_type ())
G_DECLARE_FINAL_TYPE (CmgActivityPage, cmg_activity_page, CMG, ACTIVITY_PAGE, GtkWidget)

GtkWidget     *cmg_activity_page_new          (void);
/* A loaded history (cmg_run_history_load). */
void           cmg_activity_page_set_history  (CmgActivityPage *self,
                                               CmgRunHistory   *history);
CmgRunHistory *cmg_activity_page_get_history  (CmgActivityPage *self);
/* Selects the run at position (0 = newest) and loads its log. */
void           cmg_activity_page_select       (CmgActivityPage *self,
                                               guint            position);
CmgRunRecord  *cmg_activity_page_get_selected (CmgActivityPage *self);
/* TRUE while the selected run's log file is being read. */
gboolean       cmg_activity_page_get_loading  (CmgActivityPage *self);
CmgLogView    *cmg_activity_page_get_log_view (CmgActivityPage *self);

G_END_DECLS
