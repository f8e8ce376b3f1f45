/* cmg-table-export.h: writes a table of an archive (or some of its documents, e.g. search results)
 * to a JSONL or CSV file, in a worker thread, through a temporary file renamed into place so a
 * reader never sees half a file. The caller has asked before replacing an existing file. */
#pragma once

#include <gio/gio.h>

#include "cmg-snapshot.h"
#include "cmg-table.h"

G_BEGIN_DECLS

typedef enum {
  CMG_TABLE_EXPORT_JSONL,
  CMG_TABLE_EXPORT_CSV,
} CmgTableExportFormat;

/* One CSV record (with its "\r\n") for a document line: strings as they are, other values as
 * their JSON, absent fields empty; quoted where needed. NULL line: the header of field names. */
char    *cmg_table_export_csv_record (const char         *line,
                                      const char * const *fields);

/* lines: the documents to write (JSON text, char*), or NULL for every row of the table. fields:
 * the CSV columns (ignored for JSONL). */
void     cmg_table_export_async (CmgSnapshot          *snapshot,
                                 CmgTable             *table,
                                 GPtrArray            *lines,
                                 const char * const   *fields,
                                 CmgTableExportFormat  format,
                                 GFile                *destination,
                                 GCancellable         *cancellable,
                                 GAsyncReadyCallback   callback,
                                 gpointer              user_data);
/* The number of documents written. */
gboolean cmg_table_export_finish (GAsyncResult  *result,
                                  guint64       *n_written,
                                  GError       **error);

G_END_DECLS
