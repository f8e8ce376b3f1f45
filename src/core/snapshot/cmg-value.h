/* cmg-value.h: one Convex value decoded exactly from a document's JSON ("uniform" encoding,
 * convex-facts §4): Int64 stays a 64-bit integer, Float64 keeps -0.0, NaN and ±Infinity. */
#pragma once

#include <glib-object.h>

#include "cmg-id.h"

G_BEGIN_DECLS

#define CMG_VALUE_ERROR (cmg_value_error_quark ())
typedef enum {
  CMG_VALUE_ERROR_SYNTAX,       /* not JSON */
  CMG_VALUE_ERROR_TOO_DEEP,     /* more than 64 levels */
  CMG_VALUE_ERROR_BAD_UTF8,     /* a string that is not Unicode */
  CMG_VALUE_ERROR_OUT_OF_RANGE, /* an integer outside Int64 */
  CMG_VALUE_ERROR_BAD_ENCODING, /* a malformed {"$bytes"}, {"$float"} or {"$integer"} */
} CmgValueError;
GQuark cmg_value_error_quark (void);

typedef enum {
  CMG_VALUE_NULL,
  CMG_VALUE_BOOLEAN,
  CMG_VALUE_INT64,
  CMG_VALUE_FLOAT64,
  CMG_VALUE_STRING,
  CMG_VALUE_BYTES,
  CMG_VALUE_ARRAY,
  CMG_VALUE_OBJECT,
} CmgValueKind;

typedef struct _CmgValue CmgValue;

#define CMG_TYPE_VALUE (cmg_value_get_type ())
GType         cmg_value_get_type (void) G_GNUC_CONST;

CmgValue     *cmg_value_parse (const char  *json,
                               gssize       length,
                               GError     **error);
CmgValue     *cmg_value_new_null (void);
CmgValue     *cmg_value_new_boolean (gboolean value);
CmgValue     *cmg_value_new_int64 (gint64 value);
CmgValue     *cmg_value_new_float64 (double value);
CmgValue     *cmg_value_new_string (const char *text, gssize length);
CmgValue     *cmg_value_new_bytes (GBytes *bytes);
CmgValue     *cmg_value_ref (CmgValue *self);
void          cmg_value_unref (CmgValue *self);

CmgValueKind  cmg_value_get_kind (const CmgValue *self);
gboolean      cmg_value_get_boolean (const CmgValue *self);
gint64        cmg_value_get_int64 (const CmgValue *self);
double        cmg_value_get_float64 (const CmgValue *self);
/* Strings may hold NUL characters ("\u0000"): use length. */
const char   *cmg_value_get_string (const CmgValue *self, gsize *length);
GBytes       *cmg_value_get_bytes (const CmgValue *self);
/* Arrays and objects: the number of elements or fields (objects keep their order). */
guint         cmg_value_get_length (const CmgValue *self);
CmgValue     *cmg_value_get_element (const CmgValue *self, guint index);
const char   *cmg_value_get_field_name (const CmgValue *self, guint index);
CmgValue     *cmg_value_lookup (const CmgValue *self, const char *field);
/* TRUE when the value is a string that decodes as a valid Id. */
gboolean      cmg_value_get_id (const CmgValue *self, CmgId *id);

gboolean      cmg_value_equal (const CmgValue *a, const CmgValue *b);

/* Back to the export's JSON: parsing it again gives an equal value. */
char         *cmg_value_to_json (const CmgValue *self);

/* Returns the name of the table with that number, or NULL. */
typedef const char *(*CmgTableNameFunc) (guint32 table_number, gpointer user_data);
/* One line for people: 36 vs 36.0, -0.0, NaN, Infinity, <3 bytes>, Ids with their table. */
char         *cmg_value_to_display (const CmgValue   *self,
                                    CmgTableNameFunc  table_name,
                                    gpointer          user_data);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgValue, cmg_value_unref)

G_END_DECLS
