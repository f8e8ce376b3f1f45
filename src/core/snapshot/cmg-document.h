/* cmg-document.h: one row of a table as its raw JSON text, parsed (json-glib) only when asked. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define CMG_TYPE_DOCUMENT (cmg_document_get_type ())
G_DECLARE_FINAL_TYPE (CmgDocument, cmg_document, CMG, DOCUMENT, GObject)

CmgDocument *cmg_document_new (guint64     row,
                               const char *json,
                               gsize       length,
                               gboolean    truncated);
/* A placeholder for a row that could not be read. */
CmgDocument *cmg_document_new_error (guint64       row,
                                     const GError *error);

/* 0-based row within the table. */
guint64      cmg_document_get_row (CmgDocument *self);
/* The line as stored ("" for an unreadable row); NUL-terminated. */
const char  *cmg_document_get_json (CmgDocument *self);
gsize        cmg_document_get_length (CmgDocument *self);
/* The line was longer than CMG_SNAPSHOT_MAX_LINE; json holds its start only. */
gboolean     cmg_document_get_truncated (CmgDocument *self);
/* Why the row could not be read, or NULL. */
const GError *cmg_document_get_error (CmgDocument *self);
/* The parsed JSON (transfer none, cached), or NULL with error when it is not valid JSON. */
JsonNode    *cmg_document_get_node (CmgDocument  *self,
                                    GError      **error);

G_END_DECLS
