/* cmg-table.h: one table of a snapshot: where its documents are, how big it is and, once
 * counted, how many documents it holds. Properties may change from worker threads; their
 * notifications are always emitted in the main context that was current when the table was made. */
#pragma once

#include <glib-object.h>

#include "cmg-seek-index.h"

G_BEGIN_DECLS

typedef enum {
  CMG_TABLE_SCHEMA_UNKNOWN, /* not read yet (large archives: read while counting) */
  CMG_TABLE_SCHEMA_UNIFORM, /* generated_schema.jsonl is "uniform" */
  CMG_TABLE_SCHEMA_LEGACY,  /* anything else: an older export */
  CMG_TABLE_SCHEMA_MISSING, /* no generated_schema.jsonl: the importer makes every number a float */
} CmgTableSchema;

#define CMG_TYPE_TABLE_SCHEMA (cmg_table_schema_get_type ())
GType       cmg_table_schema_get_type (void) G_GNUC_CONST;
/* "unknown" "uniform" "legacy" "missing" */
const char *cmg_table_schema_to_string (CmgTableSchema schema);

#define CMG_TYPE_TABLE (cmg_table_get_type ())
G_DECLARE_FINAL_TYPE (CmgTable, cmg_table, CMG, TABLE, GObject)

CmgTable      *cmg_table_new (const char *name,
                              const char *component,
                              const char *entry_path,
                              guint64     bytes,
                              guint64     compressed_bytes);

const char    *cmg_table_get_name (CmgTable *self);
/* "" for the app's own tables, "a/b" for _components/a/_components/b. */
const char    *cmg_table_get_component (CmgTable *self);
/* "name" or "a/b:name": unique within a snapshot. */
char          *cmg_table_dup_qualified_name (CmgTable *self);
/* The folder the entries of component sit in: "" for the app's own tables,
 * "_components/a/_components/b/" for "a/b". */
char          *cmg_table_dup_component_folder (const char *component);
/* What comes before "<component folder><name>/documents.jsonl" in the entry path: the one folder
 * of an export unpacked and zipped again ("export/"), or "" (also for a single file). */
char          *cmg_table_dup_leading_folder (CmgTable *self);
/* The table number from _tables/documents.jsonl, 0 when unknown. */
guint32        cmg_table_get_number (CmgTable *self);
void           cmg_table_set_number (CmgTable *self,
                                     guint32   number);
/* -1 until counted. */
gint64         cmg_table_get_documents (CmgTable *self);
void           cmg_table_set_documents (CmgTable *self,
                                        gint64    documents);
guint64        cmg_table_get_bytes (CmgTable *self);
guint64        cmg_table_get_compressed_bytes (CmgTable *self);
CmgTableSchema cmg_table_get_schema (CmgTable *self);
void           cmg_table_set_schema (CmgTable      *self,
                                     CmgTableSchema schema);
/* The entry holding the documents ("users/documents.jsonl"), or the file name of a single file. */
const char    *cmg_table_get_entry_path (CmgTable *self);
/* The entry holding the schema, or NULL. */
const char    *cmg_table_get_schema_entry_path (CmgTable *self);
void           cmg_table_set_schema_entry_path (CmgTable   *self,
                                                const char *path);

/* The seek index, once counted (or loaded from the cache); a new reference or NULL. */
CmgSeekIndex  *cmg_table_dup_index (CmgTable *self);
void           cmg_table_set_index (CmgTable     *self,
                                    CmgSeekIndex *index);

G_END_DECLS
