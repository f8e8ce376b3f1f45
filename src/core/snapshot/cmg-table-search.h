/* cmg-table-search.h: streaming search in one table, for text (ASCII case-insensitive) or for
 * documents whose top-level field equals a JSON value. Matches arrive in the caller's main
 * context as they are found, in row order. */
#pragma once

#include "cmg-snapshot.h"
#include "cmg-table.h"

G_BEGIN_DECLS

typedef enum {
  CMG_SEARCH_TEXT,          /* the line contains the text (ASCII letters match either case) */
  CMG_SEARCH_FIELD_EQUALS,  /* the document's top-level field equals the value */
} CmgSearchKind;

typedef struct _CmgSearchQuery CmgSearchQuery;

/* "name == \"ada\"", "age == 36", "_id == k57…" (a bare word is a string) → FIELD_EQUALS;
 * anything else → TEXT. */
CmgSearchQuery *cmg_search_query_parse (const char *text);
CmgSearchQuery *cmg_search_query_new_text (const char *text);
/* value is JSON text; if it is not valid JSON it is taken as a string. */
CmgSearchQuery *cmg_search_query_new_field (const char *field,
                                            const char *value);
void            cmg_search_query_free (CmgSearchQuery *query);
CmgSearchKind   cmg_search_query_get_kind (const CmgSearchQuery *query);
/* Whether one line (a document) matches. */
gboolean        cmg_search_query_matches (const CmgSearchQuery *query,
                                          const char           *line,
                                          gsize                 length);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgSearchQuery, cmg_search_query_free)

/* row is 0-based. */
typedef void (*CmgSearchMatchFunc) (guint64     row,
                                    const char *line,
                                    gsize       length,
                                    gpointer    user_data);

/* Stops after max_matches (0: no limit). The query is copied. */
void     cmg_table_search_async (CmgSnapshot             *snapshot,
                                 CmgTable                *table,
                                 const CmgSearchQuery    *query,
                                 guint                    max_matches,
                                 CmgSearchMatchFunc       match,
                                 CmgSnapshotProgressFunc  progress,
                                 gpointer                 callback_data,
                                 GDestroyNotify           callback_data_destroy,
                                 GCancellable            *cancellable,
                                 GAsyncReadyCallback      callback,
                                 gpointer                 user_data);
/* The number of matches found (all of them were given to match before this returns). */
gboolean cmg_table_search_finish (CmgSnapshot   *snapshot,
                                  GAsyncResult  *result,
                                  guint64       *n_matches,
                                  GError       **error);

G_END_DECLS
