/* cmg-document-format.h: how the archive browser turns documents and values into text for people:
 * one-line cells, pretty-printed and coloured JSON, dates, and what an export's file name says. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-document.h"
#include "cmg-value.h"

G_BEGIN_DECLS

/* The parsed value of a document (cached on it), or NULL when the row is not a valid document. */
CmgValue *cmg_document_format_get_value (CmgDocument *document);

/* A `_creationTime` (milliseconds since the epoch) as a local date and time. */
char     *cmg_format_creation_time (double milliseconds);

/* One line for a table cell: Int64 "36" vs Float64 "36.0", bytes as their size, NaN and
 * Infinity by name, nested values abbreviated, `_creationTime` as a local date. */
char     *cmg_format_cell (const char     *field,
                           const CmgValue *value);

/* The field names of a sample of documents: `_id` and `_creationTime` first, then the others
 * in the order first seen (stable for a given archive). Takes JSON lines. */
GStrv     cmg_format_collect_fields (GPtrArray *lines);

/* snapshot_<deployment>_<ts>.zip → deployment and the time (UTC, ts in ns, µs or ms since the
 * epoch, told apart by magnitude). FALSE when the name does not follow that pattern. */
gboolean  cmg_format_parse_export_name (const char  *basename,
                                        char       **deployment,
                                        GDateTime  **time);

/* Tags used by cmg_format_insert_document (created on first use). */
void      cmg_format_ensure_tags (GtkTextBuffer *buffer);

/* Resolves an Id's table number to a table name (NULL when the archive has no such table). */
typedef const char *(*CmgFormatTableName) (guint32  number,
                                           gpointer user_data);

/* Replaces the buffer's text with the document pretty-printed as JSON; strings that are Ids get
 * the "id-link" tag plus a tag of their own carrying the Id as "cmg-id" data, and a dim note with
 * their table. */
void      cmg_format_insert_document (GtkTextBuffer      *buffer,
                                      const CmgValue     *value,
                                      CmgFormatTableName  table_name,
                                      gpointer            user_data);

/* The value as pretty-printed JSON (two-space indent), as the export encodes it. */
char     *cmg_format_pretty_json (const CmgValue *value);

/* A column of one-line text cells (GtkInscription) whose text func returns for each item. */
typedef char *(*CmgFormatItemText) (gpointer item);
GtkColumnViewColumn *cmg_format_text_column (const char        *title,
                                             CmgFormatItemText  text,
                                             gboolean           expand,
                                             guint              nat_chars);

G_END_DECLS
