/* cmg-table-view.h: the documents of one table in a GtkColumnView over the engine's lazy
 * CmgDocumentSource (only rows on screen are read and parsed), with jump to row, a streaming
 * search, export, and a detail pane that shows the selected document as coloured JSON whose Ids
 * are links ("follow-id" is emitted with the Id's text). */
#pragma once

#include <gtk/gtk.h>

#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-table-export.h"

G_BEGIN_DECLS

#define CMG_TYPE_TABLE_VIEW (cmg_table_view_get_type ())
G_DECLARE_FINAL_TYPE (CmgTableView, cmg_table_view, CMG, TABLE_VIEW, GtkWidget)

GtkWidget   *cmg_table_view_new (void);
void         cmg_table_view_set_table (CmgTableView *self,
                                       CmgSnapshot  *snapshot,
                                       CmgTable     *table);
CmgTable    *cmg_table_view_get_table (CmgTableView *self);
/* The field names shown as columns (after the sample of the first rows has been read). */
const char * const *cmg_table_view_get_fields (CmgTableView *self);
/* Selects (0-based) row and scrolls to it; applied once the table is counted if it is not yet. */
void         cmg_table_view_select_row (CmgTableView *self,
                                        guint64       row);
/* The selected row, or -1. */
gint64       cmg_table_view_get_selected_row (CmgTableView *self);
/* The detail pane's text. */
char        *cmg_table_view_dup_detail_text (CmgTableView *self);
/* A sentence over the detail pane (e.g. a reference that is not in the archive), or NULL. */
void         cmg_table_view_set_notice (CmgTableView *self,
                                        const char   *notice);
const char  *cmg_table_view_get_notice (CmgTableView *self);
/* Emits "follow-id" for the first Id in the detail pane (keyboard users reach the others
 * through the text view). Returns FALSE when the document has none. */
gboolean     cmg_table_view_follow_first_id (CmgTableView *self);

/* Search (what the search entry does). */
void         cmg_table_view_search (CmgTableView *self,
                                    const char   *text);
void         cmg_table_view_stop_search (CmgTableView *self);
gboolean     cmg_table_view_get_searching (CmgTableView *self);
guint        cmg_table_view_get_n_results (CmgTableView *self);
void         cmg_table_view_activate_result (CmgTableView *self,
                                             guint         position);

/* Writes the table (or the search results) without a dialog; the dialog path asks first. */
void         cmg_table_view_export_to_file (CmgTableView         *self,
                                            GFile                *file,
                                            CmgTableExportFormat  format,
                                            gboolean              results_only);

G_END_DECLS
