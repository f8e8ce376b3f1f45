/* cmg-document-source.h: the documents of one table as a GListModel of CmgDocument that reads
 * rows only when asked, through the table's seek index, so a view over ten million rows costs
 * what is on screen. n_items is 0 until the table is counted, then its document count. */
#pragma once

#include "cmg-document.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"

G_BEGIN_DECLS

/* Rows are read in blocks (consecutive rows come from one inflate), a few blocks are kept. */
#define CMG_DOCUMENT_SOURCE_BLOCK_ROWS  64
#define CMG_DOCUMENT_SOURCE_BLOCK_BYTES (4 * 1024 * 1024)
#define CMG_DOCUMENT_SOURCE_BLOCKS      8

#define CMG_TYPE_DOCUMENT_SOURCE (cmg_document_source_get_type ())
G_DECLARE_FINAL_TYPE (CmgDocumentSource, cmg_document_source, CMG, DOCUMENT_SOURCE, GObject)

CmgDocumentSource *cmg_document_source_new (CmgSnapshot *snapshot,
                                            CmgTable    *table);
CmgTable          *cmg_document_source_get_table (CmgDocumentSource *self);
/* Row n (0-based); counts and indexes the table first if needed (blocking: call it from a
 * worker or the CLI, not from the main thread of a UI). */
CmgDocument       *cmg_document_source_get_row (CmgDocumentSource  *self,
                                                guint64             n,
                                                GError            **error);

G_END_DECLS
