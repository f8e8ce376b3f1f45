/* cmg-archive-view.h: one open archive: a summary, its tables (components as a tree) with their
 * documents, its file storage and its check report. Counting and the checks run in worker threads
 * as soon as the view exists; the view is usable at once. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-check-report.h"
#include "cmg-snapshot.h"
#include "cmg-storage-view.h"
#include "cmg-table-view.h"
#include "cmg-validation.h"

G_BEGIN_DECLS

#define CMG_TYPE_ARCHIVE_VIEW (cmg_archive_view_get_type ())
G_DECLARE_FINAL_TYPE (CmgArchiveView, cmg_archive_view, CMG, ARCHIVE_VIEW, GtkWidget)

GtkWidget      *cmg_archive_view_new (CmgSnapshot *snapshot);
CmgSnapshot    *cmg_archive_view_get_snapshot (CmgArchiveView *self);
/* Stops counting, checks and searches (before the view is closed). */
void            cmg_archive_view_cancel (CmgArchiveView *self);

/* "summary", "tables", "storage" or "checks". */
const char     *cmg_archive_view_get_page (CmgArchiveView *self);
gboolean        cmg_archive_view_get_counting (CmgArchiveView *self);
/* NULL while the checks run. */
CmgValidation  *cmg_archive_view_get_validation (CmgArchiveView *self);
/* Busy following an Id (searching its table). */
gboolean        cmg_archive_view_get_navigating (CmgArchiveView *self);
/* The plain-words summary of the checks ("3 documents in “messages” refer to …"). */
const char     *cmg_archive_view_get_check_summary (CmgArchiveView *self);
/* The summary's facts as "Label: value" lines. */
char           *cmg_archive_view_dup_summary_text (CmgArchiveView *self);
/* Whether the table list shows a problem icon for that table ("name" or "a/b:name"). */
gboolean        cmg_archive_view_table_has_problems (CmgArchiveView *self,
                                                     const char     *qualified_name);

CmgTableView   *cmg_archive_view_get_table_view (CmgArchiveView *self);
CmgStorageView *cmg_archive_view_get_storage_view (CmgArchiveView *self);
CmgCheckReport *cmg_archive_view_get_check_report (CmgArchiveView *self);
/* The table list (for keyboard focus and tests). */
GtkWidget      *cmg_archive_view_get_table_list (CmgArchiveView *self);

G_END_DECLS
