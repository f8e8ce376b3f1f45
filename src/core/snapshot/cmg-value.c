/* cmg-value.c: exact Convex values. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cmg-json-scan.h"
#include "cmg-value.h"

G_DEFINE_QUARK (cmg-value-error-quark, cmg_value_error)

struct _CmgValue
{
  gatomicrefcount ref_count;
  CmgValueKind    kind;
  union {
    gboolean  boolean;
    gint64    int64;
    double    float64;
    struct {
      char   *text;
      gsize   length;
    } string;
    GBytes   *bytes;
    struct {
      GPtrArray *items;   /* CmgValue */
      GPtrArray *names;   /* char *, objects only */
    } list;
  };
};

G_DEFINE_BOXED_TYPE (CmgValue, cmg_value, cmg_value_ref, cmg_value_unref)

static CmgValue *
value_new (CmgValueKind kind)
{
  CmgValue *self = g_new0 (CmgValue, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->kind = kind;
  return self;
}

CmgValue *
cmg_value_ref (CmgValue *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cmg_value_unref (CmgValue *self)
{
  g_return_if_fail (self != NULL);
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  switch (self->kind)
    {
    case CMG_VALUE_STRING:
      g_free (self->string.text);
      break;
    case CMG_VALUE_BYTES:
      g_bytes_unref (self->bytes);
      break;
    case CMG_VALUE_ARRAY:
    case CMG_VALUE_OBJECT:
      g_ptr_array_unref (self->list.items);
      if (self->list.names)
        g_ptr_array_unref (self->list.names);
      break;
    default:
      break;
    }
  g_free (self);
}

CmgValue *
cmg_value_new_null (void)
{
  return value_new (CMG_VALUE_NULL);
}

CmgValue *
cmg_value_new_boolean (gboolean value)
{
  CmgValue *self = value_new (CMG_VALUE_BOOLEAN);
  self->boolean = !!value;
  return self;
}

CmgValue *
cmg_value_new_int64 (gint64 value)
{
  CmgValue *self = value_new (CMG_VALUE_INT64);
  self->int64 = value;
  return self;
}

CmgValue *
cmg_value_new_float64 (double value)
{
  CmgValue *self = value_new (CMG_VALUE_FLOAT64);
  self->float64 = value;
  return self;
}

CmgValue *
cmg_value_new_string (const char *text,
                      gssize      length)
{
  CmgValue *self = value_new (CMG_VALUE_STRING);

  if (length < 0)
    length = strlen (text);
  self->string.text = g_strndup (text, length);
  self->string.length = length;
  return self;
}

CmgValue *
cmg_value_new_bytes (GBytes *bytes)
{
  CmgValue *self = value_new (CMG_VALUE_BYTES);
  self->bytes = g_bytes_ref (bytes);
  return self;
}

static CmgValue *
container_new (CmgValueKind kind)
{
  CmgValue *self = value_new (kind);

  self->list.items = g_ptr_array_new_with_free_func ((GDestroyNotify) cmg_value_unref);
  if (kind == CMG_VALUE_OBJECT)
    self->list.names = g_ptr_array_new_with_free_func (g_free);
  return self;
}

/* Strict base64 (standard alphabet, padded): a lenient decoder would let damaged data through. */
static GBytes *
base64_decode_strict (const char *text,
                      gsize       length)
{
  gsize n_pad = 0;
  guchar *out;
  gsize out_len;

  if (length % 4 != 0)
    return NULL;
  while (n_pad < 2 && n_pad < length && text[length - 1 - n_pad] == '=')
    n_pad++;
  for (gsize i = 0; i < length - n_pad; i++)
    {
      char c = text[i];
      if (!(g_ascii_isalnum (c) || c == '+' || c == '/'))
        return NULL;
    }
  {
    g_autofree char *copy = g_strndup (text, length);
    out = g_base64_decode (copy, &out_len);
  }
  return g_bytes_new_take (out, out_len);
}

static gboolean
decode_special (CmgValue  *object,
                CmgValue **result,
                GError   **error)
{
  const char *name;
  CmgValue *inner;
  g_autoptr(GBytes) bytes = NULL;

  *result = NULL;
  if (object->list.items->len != 1)
    return TRUE;
  name = g_ptr_array_index (object->list.names, 0);
  if (name[0] != '$')
    return TRUE;
  inner = g_ptr_array_index (object->list.items, 0);
  if (strcmp (name, "$bytes") != 0 && strcmp (name, "$float") != 0 && strcmp (name, "$integer") != 0)
    return TRUE;

  if (inner->kind != CMG_VALUE_STRING ||
      (bytes = base64_decode_strict (inner->string.text, inner->string.length)) == NULL)
    {
      g_set_error (error, CMG_VALUE_ERROR, CMG_VALUE_ERROR_BAD_ENCODING,
                   _("The value of “%s” is not valid base64 text"), name);
      return FALSE;
    }

  if (strcmp (name, "$bytes") == 0)
    {
      *result = cmg_value_new_bytes (bytes);
      return TRUE;
    }

  if (g_bytes_get_size (bytes) != 8)
    {
      g_set_error (error, CMG_VALUE_ERROR, CMG_VALUE_ERROR_BAD_ENCODING,
                   _("The value of “%s” must encode exactly 8 bytes"), name);
      return FALSE;
    }
  {
    const guint8 *b = g_bytes_get_data (bytes, NULL);
    guint64 bits = 0;

    for (int i = 7; i >= 0; i--)
      bits = bits << 8 | b[i];
    if (name[1] == 'f')
      {
        double d;
        memcpy (&d, &bits, sizeof d);
        *result = cmg_value_new_float64 (d);
      }
    else
      *result = cmg_value_new_int64 ((gint64) bits);
  }
  return TRUE;
}

/* Building a tree from scanner events. */
typedef struct
{
  GPtrArray *stack;        /* open containers */
  CmgValue  *root;
  GError    *error;
} Builder;

static gboolean
builder_add (gpointer  data,
             CmgValue *value)
{
  Builder *b = data;
  CmgValue *top;

  if (b->stack->len == 0)
    {
      b->root = value;
      return TRUE;
    }
  /* An object's field name was added by on_key already. */
  top = g_ptr_array_index (b->stack, b->stack->len - 1);
  g_ptr_array_add (top->list.items, value);
  return TRUE;
}

static gboolean
on_begin (Builder *b, CmgValueKind kind)
{
  g_ptr_array_add (b->stack, container_new (kind));
  return TRUE;
}

static gboolean
on_begin_object (gpointer data)
{
  return on_begin (data, CMG_VALUE_OBJECT);
}

static gboolean
on_begin_array (gpointer data)
{
  return on_begin (data, CMG_VALUE_ARRAY);
}

static gboolean
on_end (gpointer data)
{
  Builder *b = data;
  CmgValue *done = g_ptr_array_steal_index (b->stack, b->stack->len - 1);

  if (done->kind == CMG_VALUE_OBJECT)
    {
      CmgValue *special;

      if (!decode_special (done, &special, &b->error))
        {
          cmg_value_unref (done);
          return FALSE;
        }
      if (special)
        {
          cmg_value_unref (done);
          done = special;
        }
    }
  return builder_add (b, done);
}

static gboolean
on_key (const char *raw, gsize length, gboolean esc, gpointer data)
{
  Builder *b = data;
  CmgValue *top = g_ptr_array_index (b->stack, b->stack->len - 1);
  char *key = esc ? cmg_json_unescape (raw, length, NULL) : g_strndup (raw, length);

  g_ptr_array_add (top->list.names, key);
  return TRUE;
}

static gboolean
on_string (const char *raw, gsize length, gboolean esc, gpointer data)
{
  CmgValue *v = value_new (CMG_VALUE_STRING);

  if (esc)
    v->string.text = cmg_json_unescape (raw, length, &v->string.length);
  else
    {
      v->string.text = g_strndup (raw, length);
      v->string.length = length;
    }
  return builder_add (data, v);
}

static gboolean
on_integer (gint64 value, gpointer data)
{
  return builder_add (data, cmg_value_new_int64 (value));
}

static gboolean
on_floating (double value, gpointer data)
{
  return builder_add (data, cmg_value_new_float64 (value));
}

static gboolean
on_boolean (gboolean value, gpointer data)
{
  return builder_add (data, cmg_value_new_boolean (value));
}

static gboolean
on_null (gpointer data)
{
  return builder_add (data, cmg_value_new_null ());
}

static const CmgJsonEvents builder_events = {
  .begin_object = on_begin_object,
  .end_object = on_end,
  .begin_array = on_begin_array,
  .end_array = on_end,
  .key = on_key,
  .string = on_string,
  .integer = on_integer,
  .floating = on_floating,
  .boolean = on_boolean,
  .null = on_null,
};

/* A container enters its parent when it closes; its field name was pushed by on_key before, so
 * names and items of an object pair up by position. */
CmgValue *
cmg_value_parse (const char  *json,
                 gssize       length,
                 GError     **error)
{
  Builder b = { 0 };
  CmgJsonProblem problem;
  gsize offset;
  gboolean ok;

  g_return_val_if_fail (json != NULL, NULL);

  if (length < 0)
    length = strlen (json);
  b.stack = g_ptr_array_new_with_free_func ((GDestroyNotify) cmg_value_unref);
  ok = cmg_json_scan (json, length, TRUE, &builder_events, &b, &problem, &offset);
  g_ptr_array_unref (b.stack);

  if (!ok)
    {
      g_clear_pointer (&b.root, cmg_value_unref);
      if (b.error)
        {
          g_propagate_error (error, b.error);
          return NULL;
        }
      g_set_error (error, CMG_VALUE_ERROR,
                   problem == CMG_JSON_TOO_DEEP ? CMG_VALUE_ERROR_TOO_DEEP :
                   problem == CMG_JSON_BAD_UTF8 ? CMG_VALUE_ERROR_BAD_UTF8 :
                   problem == CMG_JSON_BAD_NUMBER ? CMG_VALUE_ERROR_OUT_OF_RANGE :
                   CMG_VALUE_ERROR_SYNTAX,
                   _("%s (at character %" G_GSIZE_FORMAT ")"),
                   cmg_json_problem_to_string (problem), offset + 1);
      return NULL;
    }
  return b.root;
}

CmgValueKind
cmg_value_get_kind (const CmgValue *self)
{
  return self->kind;
}

gboolean
cmg_value_get_boolean (const CmgValue *self)
{
  g_return_val_if_fail (self->kind == CMG_VALUE_BOOLEAN, FALSE);
  return self->boolean;
}

gint64
cmg_value_get_int64 (const CmgValue *self)
{
  g_return_val_if_fail (self->kind == CMG_VALUE_INT64, 0);
  return self->int64;
}

double
cmg_value_get_float64 (const CmgValue *self)
{
  g_return_val_if_fail (self->kind == CMG_VALUE_FLOAT64, 0.0);
  return self->float64;
}

const char *
cmg_value_get_string (const CmgValue *self,
                      gsize          *length)
{
  g_return_val_if_fail (self->kind == CMG_VALUE_STRING, NULL);
  if (length)
    *length = self->string.length;
  return self->string.text;
}

GBytes *
cmg_value_get_bytes (const CmgValue *self)
{
  g_return_val_if_fail (self->kind == CMG_VALUE_BYTES, NULL);
  return self->bytes;
}

guint
cmg_value_get_length (const CmgValue *self)
{
  if (self->kind != CMG_VALUE_ARRAY && self->kind != CMG_VALUE_OBJECT)
    return 0;
  return self->list.items->len;
}

CmgValue *
cmg_value_get_element (const CmgValue *self,
                       guint           index)
{
  g_return_val_if_fail (index < cmg_value_get_length (self), NULL);
  return g_ptr_array_index (self->list.items, index);
}

const char *
cmg_value_get_field_name (const CmgValue *self,
                          guint           index)
{
  g_return_val_if_fail (self->kind == CMG_VALUE_OBJECT, NULL);
  g_return_val_if_fail (index < self->list.names->len, NULL);
  return g_ptr_array_index (self->list.names, index);
}

CmgValue *
cmg_value_lookup (const CmgValue *self,
                  const char     *field)
{
  if (self->kind != CMG_VALUE_OBJECT)
    return NULL;
  for (guint i = 0; i < self->list.names->len; i++)
    if (strcmp (g_ptr_array_index (self->list.names, i), field) == 0)
      return g_ptr_array_index (self->list.items, i);
  return NULL;
}

gboolean
cmg_value_get_id (const CmgValue *self,
                  CmgId          *id)
{
  return self->kind == CMG_VALUE_STRING && cmg_id_is_valid (self->string.text, self->string.length, id);
}

gboolean
cmg_value_equal (const CmgValue *a,
                 const CmgValue *b)
{
  if (a->kind != b->kind)
    return FALSE;
  switch (a->kind)
    {
    case CMG_VALUE_NULL:
      return TRUE;
    case CMG_VALUE_BOOLEAN:
      return a->boolean == b->boolean;
    case CMG_VALUE_INT64:
      return a->int64 == b->int64;
    case CMG_VALUE_FLOAT64:
      /* Bitwise, so -0.0 differs from 0.0 and NaN equals the same NaN, as Convex stores them. */
      return memcmp (&a->float64, &b->float64, sizeof (double)) == 0;
    case CMG_VALUE_STRING:
      return a->string.length == b->string.length &&
             memcmp (a->string.text, b->string.text, a->string.length) == 0;
    case CMG_VALUE_BYTES:
      return g_bytes_equal (a->bytes, b->bytes);
    case CMG_VALUE_ARRAY:
    case CMG_VALUE_OBJECT:
      if (a->list.items->len != b->list.items->len)
        return FALSE;
      for (guint i = 0; i < a->list.items->len; i++)
        {
          if (a->kind == CMG_VALUE_OBJECT &&
              strcmp (g_ptr_array_index (a->list.names, i), g_ptr_array_index (b->list.names, i)) != 0)
            return FALSE;
          if (!cmg_value_equal (g_ptr_array_index (a->list.items, i), g_ptr_array_index (b->list.items, i)))
            return FALSE;
        }
      return TRUE;
    default:
      return FALSE;
    }
}

/* The shortest text that reads back as the same double, always with a '.' or an exponent so
 * it stays a Float64. */
static void
append_float (GString *out,
              double   value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (value == 0.0)
    {
      g_string_append (out, signbit (value) ? "-0.0" : "0.0");
      return;
    }
  for (int precision = 1; precision <= 17; precision++)
    {
      char format[8];
      double magnitude = fabs (value);

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buf, sizeof buf, format, value);
      if (g_ascii_strtod (buf, NULL) != value)
        continue;
      /* Plain decimals in the range JavaScript prints them, as Convex exports do. */
      if (magnitude >= 1e-7 && magnitude < 1e21)
        {
          char fixed[G_ASCII_DTOSTR_BUF_SIZE + 32];
          int decimals = precision - 1 - (int) floor (log10 (magnitude));

          g_snprintf (format, sizeof format, "%%.%df", MAX (decimals, 0));
          g_ascii_formatd (fixed, sizeof fixed, format, value);
          if (g_ascii_strtod (fixed, NULL) == value && strlen (fixed) < sizeof buf)
            strcpy (buf, fixed);
        }
      break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".eE") == NULL)
    g_string_append (out, ".0");
}

static void
append_base64_u64 (GString *out,
                   const char *name,
                   guint64  bits)
{
  guint8 b[8];
  g_autofree char *text = NULL;

  for (int i = 0; i < 8; i++)
    b[i] = (bits >> (8 * i)) & 0xff;
  text = g_base64_encode (b, 8);
  g_string_append_printf (out, "{\"%s\":\"%s\"}", name, text);
}

static void
append_json (GString        *out,
             const CmgValue *v)
{
  switch (v->kind)
    {
    case CMG_VALUE_NULL:
      g_string_append (out, "null");
      break;
    case CMG_VALUE_BOOLEAN:
      g_string_append (out, v->boolean ? "true" : "false");
      break;
    case CMG_VALUE_INT64:
      g_string_append_printf (out, "%" G_GINT64_FORMAT, v->int64);
      break;
    case CMG_VALUE_FLOAT64:
      if (isfinite (v->float64))
        append_float (out, v->float64);
      else
        {
          guint64 bits;
          memcpy (&bits, &v->float64, sizeof bits);
          append_base64_u64 (out, "$float", bits);
        }
      break;
    case CMG_VALUE_STRING:
      cmg_json_append_string (out, v->string.text, v->string.length);
      break;
    case CMG_VALUE_BYTES:
      {
        gsize n;
        const guchar *data = g_bytes_get_data (v->bytes, &n);
        g_autofree char *text = g_base64_encode (data, n);
        g_string_append_printf (out, "{\"$bytes\":\"%s\"}", text);
      }
      break;
    case CMG_VALUE_ARRAY:
      g_string_append_c (out, '[');
      for (guint i = 0; i < v->list.items->len; i++)
        {
          if (i)
            g_string_append_c (out, ',');
          append_json (out, g_ptr_array_index (v->list.items, i));
        }
      g_string_append_c (out, ']');
      break;
    case CMG_VALUE_OBJECT:
      g_string_append_c (out, '{');
      for (guint i = 0; i < v->list.items->len; i++)
        {
          const char *name = g_ptr_array_index (v->list.names, i);
          if (i)
            g_string_append_c (out, ',');
          cmg_json_append_string (out, name, strlen (name));
          g_string_append_c (out, ':');
          append_json (out, g_ptr_array_index (v->list.items, i));
        }
      g_string_append_c (out, '}');
      break;
    default:
      g_assert_not_reached ();
    }
}

char *
cmg_value_to_json (const CmgValue *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  append_json (out, self);
  return g_string_free (out, FALSE);
}

static void
append_display (GString          *out,
                const CmgValue   *v,
                gboolean          nested,
                CmgTableNameFunc  table_name,
                gpointer          user_data)
{
  switch (v->kind)
    {
    case CMG_VALUE_FLOAT64:
      if (isnan (v->float64))
        g_string_append (out, "NaN");
      else if (isinf (v->float64))
        g_string_append (out, v->float64 > 0 ? "Infinity" : "-Infinity");
      else
        append_float (out, v->float64);
      break;
    case CMG_VALUE_STRING:
      {
        CmgId id;

        if (nested)
          cmg_json_append_string (out, v->string.text, v->string.length);
        else
          g_string_append_len (out, v->string.text, v->string.length);
        if (cmg_id_is_valid (v->string.text, v->string.length, &id))
          {
            const char *name = table_name ? table_name (id.table_number, user_data) : NULL;
            if (name)
              g_string_append_printf (out, " (%s)", name);
            else
              g_string_append_printf (out, _(" (Id in table %u)"), id.table_number);
          }
      }
      break;
    case CMG_VALUE_BYTES:
      g_string_append_printf (out,
                              g_dngettext (GETTEXT_PACKAGE, "<%" G_GSIZE_FORMAT " byte>",
                                           "<%" G_GSIZE_FORMAT " bytes>",
                                           g_bytes_get_size (v->bytes)),
                              g_bytes_get_size (v->bytes));
      break;
    case CMG_VALUE_ARRAY:
    case CMG_VALUE_OBJECT:
      g_string_append_c (out, v->kind == CMG_VALUE_ARRAY ? '[' : '{');
      for (guint i = 0; i < v->list.items->len; i++)
        {
          if (i)
            g_string_append (out, ", ");
          if (v->kind == CMG_VALUE_OBJECT)
            {
              g_string_append (out, g_ptr_array_index (v->list.names, i));
              g_string_append (out, ": ");
            }
          append_display (out, g_ptr_array_index (v->list.items, i), TRUE, table_name, user_data);
        }
      g_string_append_c (out, v->kind == CMG_VALUE_ARRAY ? ']' : '}');
      break;
    case CMG_VALUE_NULL:
    case CMG_VALUE_BOOLEAN:
    case CMG_VALUE_INT64:
    default:
      append_json (out, v);
      break;
    }
}

char *
cmg_value_to_display (const CmgValue   *self,
                      CmgTableNameFunc  table_name,
                      gpointer          user_data)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (self != NULL, NULL);
  append_display (out, self, FALSE, table_name, user_data);
  return g_string_free (out, FALSE);
}
