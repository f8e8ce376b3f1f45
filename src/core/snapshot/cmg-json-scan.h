/* cmg-json-scan.h: a strict, allocation-free JSON scanner that reports events, so checks can walk
 * millions of documents without building trees, and CmgValue can build exact ones (integers are
 * handed over as text, never through a double). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Nesting deeper than this is refused: Convex itself limits documents to 64 levels. */
#define CMG_JSON_MAX_DEPTH 64

typedef enum {
  CMG_JSON_SYNTAX,      /* not JSON */
  CMG_JSON_TOO_DEEP,    /* more than CMG_JSON_MAX_DEPTH levels */
  CMG_JSON_BAD_UTF8,    /* a string holds invalid UTF-8 or a lone surrogate escape */
  CMG_JSON_BAD_NUMBER,  /* an integer outside Int64, or a float outside the double range */
  CMG_JSON_ABORTED,     /* a callback returned FALSE */
} CmgJsonProblem;

typedef struct _CmgJsonEvents CmgJsonEvents;

/* Each callback may be NULL. Strings and keys arrive as the raw text between the quotes;
 * has_escapes says whether cmg_json_unescape is needed. Returning FALSE stops the scan. */
struct _CmgJsonEvents
{
  gboolean (*begin_object) (gpointer user_data);
  gboolean (*end_object)   (gpointer user_data);
  gboolean (*begin_array)  (gpointer user_data);
  gboolean (*end_array)    (gpointer user_data);
  gboolean (*key)          (const char *raw, gsize length, gboolean has_escapes, gpointer user_data);
  gboolean (*string)       (const char *raw, gsize length, gboolean has_escapes, gpointer user_data);
  gboolean (*integer)      (gint64 value, gpointer user_data);
  gboolean (*floating)     (double value, gpointer user_data);
  gboolean (*boolean)      (gboolean value, gpointer user_data);
  gboolean (*null)         (gpointer user_data);
};

/* Scans exactly one JSON value (surrounding whitespace allowed). check_utf8 = FALSE when the
 * caller has already validated the whole text. On failure, *problem and *offset (may be NULL)
 * tell what and where. */
gboolean cmg_json_scan (const char          *text,
                        gsize                length,
                        gboolean             check_utf8,
                        const CmgJsonEvents *events,
                        gpointer             user_data,
                        CmgJsonProblem      *problem,
                        gsize               *offset);

/* Decodes the escapes of a raw string the scanner accepted (so it is well-formed). */
char    *cmg_json_unescape (const char *raw, gsize length, gsize *out_length);

/* Appends text as a JSON string literal, quotes included. */
void     cmg_json_append_string (GString *out, const char *text, gsize length);

const char *cmg_json_problem_to_string (CmgJsonProblem problem);

G_END_DECLS
