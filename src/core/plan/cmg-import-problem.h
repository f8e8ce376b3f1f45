/* cmg-import-problem.h: what a failed import's server message means (convex-facts §3), and the
 * likely fix in words a user can act on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the server's error means, for the likely fix. */
typedef enum {
  CMG_IMPORT_PROBLEM_NONE,
  CMG_IMPORT_PROBLEM_SCHEMA_MISMATCH,    /* does not match the schema: push the right schema.ts */
  CMG_IMPORT_PROBLEM_TABLE_EXISTS,       /* none mode into a non-empty table: use append/replace */
  CMG_IMPORT_PROBLEM_INVALID_ROW,        /* "Row N wasn't valid JSON": fix row N ("problem-row") */
  CMG_IMPORT_PROBLEM_BAD_KEY,            /* the deploy/admin key was refused */
  CMG_IMPORT_PROBLEM_IMPORT_IN_PROGRESS, /* another import runs on the deployment */
  CMG_IMPORT_PROBLEM_OTHER,
} CmgImportProblem;
/* Reads a server message (convex-facts §3). out_row: the 1-based row for INVALID_ROW, else 0. */
CmgImportProblem cmg_import_problem_from_message (const char *message,
                                                  guint64    *out_row);
/* Translated advice, e.g. "Push the schema that matches the data (npx convex dev --once)…". */
char            *cmg_import_problem_dup_fix (CmgImportProblem problem,
                                             guint64          row);

G_END_DECLS
