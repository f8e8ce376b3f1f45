/* cmg-plan-test-util.h: archives for the import plan's tests (unit and end-to-end): export ZIPs
 * laid out as Convex writes them, with valid document Ids, and ways to read them back. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* One table of a test export. */
typedef struct {
  const char *name;
  guint32     number;   /* its _tables number (user tables from 10001) */
  guint       documents;
  const char *tag;      /* goes into every document's "tag" field, so exports can be told apart */
} CmgPlanTestTable;

/* n JSONL documents of table `number` with valid _id and _creationTime (seed makes the Ids
 * differ between calls). */
char       *cmg_plan_test_documents (guint32     number,
                                     guint       n,
                                     const char *tag,
                                     guint       seed);
/* Writes an export ZIP of the tables (terminated by a NULL name). */
void        cmg_plan_test_write_export (const char             *path,
                                        const CmgPlanTestTable *tables,
                                        guint                   seed);
/* Writes a ZIP from name/contents pairs (NULL-terminated). */
void        cmg_plan_test_write_zip (const char         *path,
                                     const char * const *members);
/* name → contents of every member. */
GHashTable *cmg_plan_test_read_zip (const char *path);
/* table name → sorted documents (one string with '\n' after each) of the app's own tables, from
 * an export ZIP: two exports of the same data compare equal. */
GHashTable *cmg_plan_test_read_tables (const char *path);

G_END_DECLS
