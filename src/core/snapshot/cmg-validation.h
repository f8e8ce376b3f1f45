/* cmg-validation.h: everything in an export that would make an import fail or silently change
 * data, found before anyone runs the import. Tables are checked line by line (one state object per
 * table, so tables can be checked in parallel threads), then across tables (references).
 *
 * Memory bound: per table the first CMG_VALIDATION_KEPT_FINDINGS findings are kept (plus a count
 * per code). For the duplicate and reference checks every document's Id costs 16 bytes in a hash
 * set kept between a quarter and a half full, and every reference 32 bytes in a growing array:
 * at most 64 bytes each. Ids and references stored together are capped by
 * cmg_validation_set_id_limit (default CMG_VALIDATION_DEFAULT_ID_LIMIT, 2 Mi, so at most 128 MiB;
 * typically about 90 MiB); past it those two checks stop, and an
 * "id-check-limited" info finding says so. */
#pragma once

#include <gio/gio.h>

#include "cmg-snapshot.h"

G_BEGIN_DECLS

#define CMG_VALIDATION_KEPT_FINDINGS 100
/* Convex refuses documents larger than 1 MiB. */
#define CMG_VALIDATION_DOCUMENT_LIMIT (1024 * 1024)
/* The CLI refuses JSON-array files larger than 8 MiB. */
#define CMG_VALIDATION_JSON_ARRAY_LIMIT (8 * 1024 * 1024)
#define CMG_VALIDATION_DEFAULT_ID_LIMIT (2 * 1024 * 1024)

typedef enum {
  CMG_FINDING_ERROR,    /* the import fails, or data changes */
  CMG_FINDING_WARNING,  /* the import works, but something is likely wrong */
  CMG_FINDING_INFO,
} CmgFindingSeverity;
const char *cmg_finding_severity_to_string (CmgFindingSeverity severity); /* "error" … */

typedef struct
{
  char               *component;  /* "" for the app's own tables */
  char               *table;      /* "" when about the archive as a whole */
  guint64             line;       /* 1-based; 0 when not about one line */
  CmgFindingSeverity  severity;
  char               *code;       /* "invalid-json", "duplicate-id", … */
  char               *message;    /* translated, for people */
  /* The table a dangling reference points at (its number's name in _tables, within the same
   * component); NULL for other findings, or when the number names no table. */
  char               *target_component;
  char               *target_table;
} CmgFinding;

#define CMG_TYPE_FINDING (cmg_finding_get_type ())
GType       cmg_finding_get_type (void) G_GNUC_CONST;
CmgFinding *cmg_finding_copy (const CmgFinding *finding);
void        cmg_finding_free (CmgFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgFinding, cmg_finding_free)

#define CMG_TYPE_VALIDATION (cmg_validation_get_type ())
G_DECLARE_FINAL_TYPE (CmgValidation, cmg_validation, CMG, VALIDATION, GObject)

typedef struct _CmgValidationTable CmgValidationTable;

CmgValidation      *cmg_validation_new (void);
void                cmg_validation_set_id_limit (CmgValidation *self,
                                                 guint64        max_ids);

/* A line of _tables/documents.jsonl: references to this number within the component are then
 * checked. Call before feeding the tables. */
void                cmg_validation_add_table_number (CmgValidation *self,
                                                     const char    *component,
                                                     const char    *table,
                                                     guint32        number);

/* Per-table state: owned by one thread at a time. number is 0 when unknown. */
CmgValidationTable *cmg_validation_begin_table (CmgValidation *self,
                                                const char    *component,
                                                const char    *table,
                                                guint32        number);
/* Documents of single .jsonl files need no _id (the import makes them); in an export they do. */
void                cmg_validation_table_set_id_required (CmgValidationTable *state,
                                                          gboolean            required);
/* A CmgLineFunc: pass the state as user data. Always returns TRUE. */
gboolean            cmg_validation_table_feed_line (const char *line,
                                                    gsize       length,
                                                    gboolean    truncated,
                                                    guint64     line_number,
                                                    gpointer    state);
/* Merges the state into the validation (thread-safe) and frees it. */
void                cmg_validation_end_table (CmgValidation      *self,
                                              CmgValidationTable *state);

void                cmg_validation_add_finding (CmgValidation      *self,
                                                const char         *component,
                                                const char         *table,
                                                guint64             line,
                                                CmgFindingSeverity  severity,
                                                const char         *code,
                                                const char         *format,
                                                ...) G_GNUC_PRINTF (7, 8);

/* Cross-table checks (dangling references); call once, after every table has ended. */
void                cmg_validation_finish (CmgValidation *self);

/* The kept findings (CmgFinding), in component, table, line order (transfer none). */
GPtrArray          *cmg_validation_get_findings (CmgValidation *self);
/* How many findings of this code were seen, kept or not. */
guint64             cmg_validation_get_count (CmgValidation *self,
                                              const char    *code);
guint64             cmg_validation_get_severity_count (CmgValidation      *self,
                                                       CmgFindingSeverity  severity);

/* Checks a whole snapshot: tables in parallel worker threads, then _storage and references.
 * Blocking; progress_bytes (may be NULL) grows with the uncompressed bytes read. Fails only when
 * the archive cannot be read at all or on cancellation; problems inside it are findings. */
CmgValidation      *cmg_validation_check_snapshot (CmgSnapshot   *snapshot,
                                                   guint64       *progress_bytes,
                                                   GCancellable  *cancellable,
                                                   GError       **error);

/* Called in the caller's main context, at most every 100 ms. */
typedef void (*CmgValidationProgressFunc) (guint64  done_bytes,
                                           guint64  total_bytes,
                                           gpointer user_data);

void                cmg_validation_run_async (CmgSnapshot               *snapshot,
                                              GCancellable              *cancellable,
                                              CmgValidationProgressFunc  progress,
                                              gpointer                   progress_data,
                                              GAsyncReadyCallback        callback,
                                              gpointer                   user_data);
CmgValidation      *cmg_validation_run_finish (GAsyncResult  *result,
                                               GError       **error);

G_END_DECLS
