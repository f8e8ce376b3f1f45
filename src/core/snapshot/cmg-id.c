/* cmg-id.c: the Convex Id codec. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-id.h"
#include "cmg-table.h"
#include "cmg-value.h"

G_DEFINE_QUARK (cmg-id-error-quark, cmg_id_error)

static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
/* The largest Id: a 2-byte varint + 16 + 2 = 20 bytes = 32 characters. */
#define MAX_BYTES 20

/* Id format version, XORed into the footer. */
#define ID_VERSION 0

static gint8 decode_table[256];

static void
init_decode_table (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      memset (decode_table, -1, sizeof decode_table);
      for (int i = 0; i < 32; i++)
        decode_table[(guchar) alphabet[i]] = (gint8) i;
      g_once_init_leave (&done, 1);
    }
}

static guint16
fletcher16 (const guint8 *data, gsize n)
{
  guint c0 = 0, c1 = 0;

  for (gsize i = 0; i < n; i++)
    {
      c0 = (c0 + data[i]) & 0xff;
      c1 = (c1 + c0) & 0xff;
    }
  return (guint16) (c1 << 8 | c0);
}

static gboolean
decode (const char  *text,
        gsize        length,
        CmgId       *out,
        CmgIdError  *code)
{
  guint8 bytes[MAX_BYTES];
  gsize n_bytes;
  guint64 acc = 0;
  guint bits = 0;
  gsize k = 0;
  guint32 number = 0;
  gsize pos = 0;
  guint16 footer;

  if (length < CMG_ID_MIN_LENGTH || length > CMG_ID_MAX_LENGTH)
    {
      *code = CMG_ID_ERROR_LENGTH;
      return FALSE;
    }
  init_decode_table ();
  n_bytes = length * 5 / 8;
  for (gsize i = 0; i < length; i++)
    {
      gint8 v = decode_table[(guchar) text[i]];

      if (v < 0)
        {
          *code = CMG_ID_ERROR_ALPHABET;
          return FALSE;
        }
      acc = (acc << 5) | (guint) v;
      bits += 5;
      if (bits >= 8)
        {
          bits -= 8;
          bytes[k++] = (guint8) (acc >> bits);
        }
    }
  /* Leftover bits must be zero, or two spellings would name one Id. */
  if ((acc & ((1u << bits) - 1)) != 0 || k != n_bytes)
    {
      *code = CMG_ID_ERROR_FORMAT;
      return FALSE;
    }

  for (guint shift = 0;; shift += 7)
    {
      if (pos >= n_bytes || shift > 28)
        {
          *code = CMG_ID_ERROR_FORMAT;
          return FALSE;
        }
      number |= (guint32) (bytes[pos] & 0x7f) << shift;
      if ((bytes[pos++] & 0x80) == 0)
        break;
    }
  if (n_bytes - pos != CMG_ID_INTERNAL_SIZE + 2)
    {
      *code = CMG_ID_ERROR_FORMAT;
      return FALSE;
    }

  footer = (guint16) (bytes[n_bytes - 2] | bytes[n_bytes - 1] << 8);
  if ((fletcher16 (bytes, n_bytes - 2) ^ ID_VERSION) != footer)
    {
      *code = CMG_ID_ERROR_CHECKSUM;
      return FALSE;
    }

  if (out)
    {
      out->table_number = number;
      memcpy (out->internal, bytes + pos, CMG_ID_INTERNAL_SIZE);
    }
  return TRUE;
}

gboolean
cmg_id_is_valid (const char *text,
                 gsize       length,
                 CmgId      *out)
{
  CmgIdError code;

  return decode (text, length, out, &code);
}

gboolean
cmg_id_decode (const char  *text,
               gsize        length,
               CmgId       *out,
               GError     **error)
{
  CmgIdError code;

  if (decode (text, length, out, &code))
    return TRUE;

  switch (code)
    {
    case CMG_ID_ERROR_LENGTH:
      g_set_error (error, CMG_ID_ERROR, code,
                   _("A document Id has 31 or 32 characters; this one has %" G_GSIZE_FORMAT),
                   length);
      break;
    case CMG_ID_ERROR_ALPHABET:
      g_set_error_literal (error, CMG_ID_ERROR, code,
                           _("A document Id holds only digits and lowercase letters other than i, l, o and u"));
      break;
    case CMG_ID_ERROR_CHECKSUM:
      g_set_error_literal (error, CMG_ID_ERROR, code,
                           _("This document Id is damaged: its checksum does not match"));
      break;
    case CMG_ID_ERROR_FORMAT:
    default:
      g_set_error_literal (error, CMG_ID_ERROR, CMG_ID_ERROR_FORMAT,
                           _("This is not a document Id: its table number cannot be read"));
      break;
    }
  return FALSE;
}

char *
cmg_id_encode (const CmgId *id)
{
  guint8 bytes[MAX_BYTES];
  gsize n = 0;
  guint32 number;
  guint16 footer;
  GString *out;
  guint64 acc = 0;
  guint bits = 0;

  g_return_val_if_fail (id != NULL, NULL);

  if (id->table_number > CMG_ID_MAX_TABLE_NUMBER)
    return NULL;

  number = id->table_number;
  do
    {
      guint8 b = number & 0x7f;
      number >>= 7;
      bytes[n++] = number ? (b | 0x80) : b;
    }
  while (number);
  memcpy (bytes + n, id->internal, CMG_ID_INTERNAL_SIZE);
  n += CMG_ID_INTERNAL_SIZE;
  footer = fletcher16 (bytes, n) ^ ID_VERSION;
  bytes[n++] = footer & 0xff;
  bytes[n++] = footer >> 8;

  out = g_string_sized_new (CMG_ID_MAX_LENGTH + 1);
  for (gsize i = 0; i < n; i++)
    {
      acc = (acc << 8) | bytes[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_string_append_c (out, alphabet[(acc >> bits) & 31]);
        }
    }
  if (bits > 0)
    g_string_append_c (out, alphabet[(acc << (5 - bits)) & 31]);
  return g_string_free (out, FALSE);
}

CmgTable *
cmg_id_resolve_table (const CmgId *id,
                      CmgSnapshot *snapshot,
                      const char  *component)
{
  GListModel *tables;

  g_return_val_if_fail (id != NULL, NULL);
  g_return_val_if_fail (CMG_IS_SNAPSHOT (snapshot), NULL);

  tables = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      if (cmg_table_get_number (table) == id->table_number &&
          strcmp (cmg_table_get_component (table), component ? component : "") == 0)
        return table;  /* the snapshot's list keeps it alive */
    }
  return NULL;
}

typedef struct
{
  const char *needle;   /* the Id's text: it never needs escaping in JSON */
  gsize       needle_length;
  char       *line;
  guint64     line_number;
} FindData;

static gboolean
find_line (const char *line,
           gsize       length,
           gboolean    truncated,
           guint64     line_number,
           gpointer    user_data)
{
  FindData *f = user_data;
  g_autoptr(CmgValue) doc = NULL;
  CmgValue *field;
  gsize id_length;

  /* A cheap text test first; only candidates are decoded to be sure it is the top-level _id. */
  if (truncated || g_strstr_len (line, length, f->needle) == NULL)
    return TRUE;
  doc = cmg_value_parse (line, length, NULL);
  field = doc ? cmg_value_lookup (doc, "_id") : NULL;
  if (field == NULL || cmg_value_get_kind (field) != CMG_VALUE_STRING)
    return TRUE;
  if (cmg_value_get_string (field, &id_length) == NULL || id_length != f->needle_length ||
      memcmp (cmg_value_get_string (field, NULL), f->needle, id_length) != 0)
    return TRUE;
  f->line = g_strndup (line, length);
  f->line_number = line_number;
  return FALSE;
}

char *
cmg_id_find_document (const char    *text,
                      CmgSnapshot   *snapshot,
                      const char    *component,
                      CmgTable     **table,
                      guint64       *line_number,
                      GCancellable  *cancellable,
                      GError       **error)
{
  CmgId id;
  CmgTable *found;
  FindData f = { 0 };

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (CMG_IS_SNAPSHOT (snapshot), NULL);

  if (!cmg_id_is_valid (text, strlen (text), &id))
    return NULL;
  found = cmg_id_resolve_table (&id, snapshot, component);
  if (found == NULL)
    return NULL;

  f.needle = text;
  f.needle_length = strlen (text);
  if (!cmg_snapshot_read_lines (snapshot, cmg_table_get_entry_path (found), find_line, &f, NULL,
                                cancellable, error))
    {
      g_free (f.line);
      return NULL;
    }
  if (f.line && table)
    *table = found;
  if (f.line && line_number)
    *line_number = f.line_number;
  return f.line;
}
