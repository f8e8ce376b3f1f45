/* cmg-test-store.c: the data of the local test deployment, kept in memory
 *
 * Documents are kept as JSON text (keys sorted by byte order, as exports write
 * them) rather than as parsed values, so every number keeps the exact text it
 * was imported with: Int64 stays a bare integer and Float64 keeps its ".0".
 * The real server turns numbers into Float64 when a table comes without its
 * generated_schema.jsonl; this stand-in does not retype values.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "cmg-test-store.h"

#define FIRST_USER_TABLE_NUMBER 10001
#define STORAGE_TABLE_NUMBER 540

typedef struct
{
  char *name;
  guint32 number;
  GPtrArray *docs;
} Table;

typedef struct
{
  char *id;
  char *line;
  GBytes *data;
  char *content_type;
} StorageFile;

typedef struct
{
  char *path;
  GPtrArray *tables;
  GPtrArray *storage;
} Component;

typedef struct
{
  char *component;
  char *name;
  guint32 number;
  GPtrArray *docs;
} ImportTable;

struct _CmgTestImportSet
{
  /* Includes "_storage" pseudo-tables whose documents are the file metadata. */
  GPtrArray *tables;
  /* "component\nstorage id" -> GBytes */
  GHashTable *blobs;
  /* "component\nstorage id" -> content type from the file name's extension */
  GHashTable *blob_names;
};

struct _CmgTestStore
{
  GObject parent_instance;
  GPtrArray *components;
};

G_DEFINE_FINAL_TYPE (CmgTestStore, cmg_test_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (cmg-test-store-error-quark, cmg_test_store_error)

static void
table_free (gpointer data)
{
  Table *table = data;

  g_free (table->name);
  g_ptr_array_unref (table->docs);
  g_free (table);
}

static void
storage_file_free (gpointer data)
{
  StorageFile *file = data;

  g_free (file->id);
  g_free (file->line);
  g_free (file->content_type);
  g_clear_pointer (&file->data, g_bytes_unref);
  g_free (file);
}

static void
component_free (gpointer data)
{
  Component *component = data;

  g_free (component->path);
  g_ptr_array_unref (component->tables);
  g_ptr_array_unref (component->storage);
  g_free (component);
}

static void
import_table_free (gpointer data)
{
  ImportTable *table = data;

  g_free (table->component);
  g_free (table->name);
  g_ptr_array_unref (table->docs);
  g_free (table);
}

void
cmg_test_import_set_free (CmgTestImportSet *set)
{
  if (set == NULL)
    return;
  g_ptr_array_unref (set->tables);
  g_hash_table_unref (set->blobs);
  g_hash_table_unref (set->blob_names);
  g_free (set);
}

static void
cmg_test_store_finalize (GObject *object)
{
  CmgTestStore *self = CMG_TEST_STORE (object);

  g_ptr_array_unref (self->components);

  G_OBJECT_CLASS (cmg_test_store_parent_class)->finalize (object);
}

static void
cmg_test_store_class_init (CmgTestStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_test_store_finalize;
}

static void
cmg_test_store_init (CmgTestStore *self)
{
  self->components = g_ptr_array_new_with_free_func (component_free);
}

CmgTestStore *
cmg_test_store_new (void)
{
  return g_object_new (CMG_TYPE_TEST_STORE, NULL);
}

gboolean
cmg_test_import_mode_from_string (const char        *text,
                                  CmgTestImportMode *mode)
{
  static const struct { const char *name; CmgTestImportMode mode; } modes[] = {
    { "requireEmpty", CMG_TEST_IMPORT_REQUIRE_EMPTY },
    { "append", CMG_TEST_IMPORT_APPEND },
    { "replace", CMG_TEST_IMPORT_REPLACE },
    { "replaceAll", CMG_TEST_IMPORT_REPLACE_ALL },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (modes); i++)
    if (g_str_equal (text, modes[i].name))
      {
        *mode = modes[i].mode;
        return TRUE;
      }
  return FALSE;
}

gboolean
cmg_test_format_from_string (const char    *text,
                             CmgTestFormat *format)
{
  static const struct { const char *name; CmgTestFormat format; } formats[] = {
    { "zip", CMG_TEST_FORMAT_ZIP },
    { "jsonLines", CMG_TEST_FORMAT_JSON_LINES },
    { "jsonArray", CMG_TEST_FORMAT_JSON_ARRAY },
    { "csv", CMG_TEST_FORMAT_CSV },
  };

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (formats); i++)
    if (g_str_equal (text, formats[i].name))
      {
        *format = formats[i].format;
        return TRUE;
      }
  return FALSE;
}

/* Ids: varint(table number) + 16 random bytes + Fletcher-16 footer, in
 * lowercase Crockford base32 (convex-facts §4). */
char *
cmg_test_encode_id (guint32 table_number)
{
  static const char alphabet[] = "0123456789abcdefghjkmnpqrstvwxyz";
  guint8 bytes[32];
  gsize n = 0;
  guint c0 = 0, c1 = 0;
  GString *out = g_string_new (NULL);
  guint64 bits = 0;
  guint nbits = 0;

  do
    {
      guint8 b = table_number & 0x7f;
      table_number >>= 7;
      if (table_number != 0)
        b |= 0x80;
      bytes[n++] = b;
    }
  while (table_number != 0);

  for (guint i = 0; i < 16; i++)
    bytes[n++] = (guint8) g_random_int_range (0, 256);

  for (gsize i = 0; i < n; i++)
    {
      c0 = (c0 + bytes[i]) % 256;
      c1 = (c1 + c0) % 256;
    }
  bytes[n++] = (guint8) c0;
  bytes[n++] = (guint8) c1;

  for (gsize i = 0; i < n; i++)
    {
      bits = (bits << 8) | bytes[i];
      nbits += 8;
      while (nbits >= 5)
        {
          g_string_append_c (out, alphabet[(bits >> (nbits - 5)) & 0x1f]);
          nbits -= 5;
        }
    }
  if (nbits > 0)
    g_string_append_c (out, alphabet[(bits << (5 - nbits)) & 0x1f]);

  return g_string_free (out, FALSE);
}

char *
cmg_test_format_count (guint64 n)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *out = g_string_new (NULL);
  gsize len = strlen (digits);

  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, digits[i]);
    }
  return g_string_free (out, FALSE);
}

/* A scanner over JSON text that was already validated: it only finds where
 * values end, so their text can be kept byte for byte. */
static const char *
skip_ws (const char *p,
         const char *end)
{
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  return p;
}

static const char *
scan_string (const char *p,
             const char *end)
{
  for (p++; p < end; p++)
    {
      if (*p == '\\')
        p++;
      else if (*p == '"')
        return p + 1;
    }
  return NULL;
}

static const char *
scan_value (const char *p,
            const char *end)
{
  if (p >= end)
    return NULL;

  if (*p == '"')
    return scan_string (p, end);

  if (*p == '{' || *p == '[')
    {
      int depth = 0;

      while (p < end)
        {
          if (*p == '"')
            {
              p = scan_string (p, end);
              if (p == NULL)
                return NULL;
              continue;
            }
          if (*p == '{' || *p == '[')
            depth++;
          else if (*p == '}' || *p == ']')
            {
              depth--;
              if (depth == 0)
                return p + 1;
            }
          p++;
        }
      return NULL;
    }

  while (p < end && strchr (",}] \t\r\n", *p) == NULL)
    p++;
  return p;
}

typedef struct
{
  char *key;
  char *value;
} Member;

static void
member_free (gpointer data)
{
  Member *member = data;

  g_free (member->key);
  g_free (member->value);
  g_free (member);
}

static int
member_compare (gconstpointer a,
                gconstpointer b)
{
  const Member *ma = *(const Member * const *) a;
  const Member *mb = *(const Member * const *) b;

  return strcmp (ma->key, mb->key);
}

/* Splits a JSON object into members; keys keep their escaped text. */
static GPtrArray *
split_object (const char  *json,
              gsize        len,
              GError     **error)
{
  const char *end = json + len;
  const char *p = skip_ws (json, end);
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (member_free);

  if (p >= end || *p != '{')
    goto invalid;
  p = skip_ws (p + 1, end);
  if (p < end && *p == '}')
    return g_steal_pointer (&members);

  while (p < end)
    {
      const char *key_end, *value_start, *value_end;
      Member *member;

      if (*p != '"' || (key_end = scan_string (p, end)) == NULL)
        goto invalid;
      value_start = skip_ws (key_end, end);
      if (value_start >= end || *value_start != ':')
        goto invalid;
      value_start = skip_ws (value_start + 1, end);
      value_end = scan_value (value_start, end);
      if (value_end == NULL)
        goto invalid;

      member = g_new0 (Member, 1);
      member->key = g_strndup (p + 1, key_end - p - 2);
      member->value = g_strndup (value_start, value_end - value_start);
      g_ptr_array_add (members, member);

      p = skip_ws (value_end, end);
      if (p < end && *p == ',')
        p = skip_ws (p + 1, end);
      else if (p < end && *p == '}')
        return g_steal_pointer (&members);
      else
        goto invalid;
    }

invalid:
  g_set_error_literal (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                       "not a JSON object");
  return NULL;
}

static char *
join_members (GPtrArray *members)
{
  GString *out = g_string_new ("{");

  g_ptr_array_sort (members, member_compare);
  for (guint i = 0; i < members->len; i++)
    {
      const Member *member = g_ptr_array_index (members, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "\"%s\":%s", member->key, member->value);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

char *
cmg_test_sort_object_keys (const char  *json,
                           gsize        len,
                           GError     **error)
{
  g_autoptr(GPtrArray) members = split_object (json, len, error);

  if (members == NULL)
    return NULL;
  return join_members (members);
}

static const Member *
find_member (GPtrArray  *members,
             const char *key)
{
  for (guint i = 0; i < members->len; i++)
    {
      const Member *member = g_ptr_array_index (members, i);

      if (g_str_equal (member->key, key))
        return member;
    }
  return NULL;
}

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (out, "\\%c", c);
      else if (c == '\n')
        g_string_append (out, "\\n");
      else if (c == '\r')
        g_string_append (out, "\\r");
      else if (c == '\t')
        g_string_append (out, "\\t");
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, (char) c);
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double, always with a '.'
 * or an exponent, as Float64 values are written in exports. */
static char *
format_float (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  static const char *formats[] = { "%.15g", "%.16g", "%.17g" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_ascii_formatd (buf, sizeof buf, formats[i], value);
      if (g_ascii_strtod (buf, NULL) == value)
        break;
    }
  if (strpbrk (buf, ".eE") == NULL)
    return g_strconcat (buf, ".0", NULL);
  return g_strdup (buf);
}

static gboolean
validate_object (const char  *text,
                 gsize        len,
                 guint        row,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;

  if (!json_parser_load_from_data (parser, text, len, &local_error))
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Hit an error while importing:\nRow %u wasn't valid JSON: %s",
                   row, local_error->message);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Hit an error while importing:\nRow %u is not an object", row);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_json_lines (const char  *text,
                  gsize        len,
                  GPtrArray   *docs,
                  GError     **error)
{
  const char *end = text + len;
  const char *p = text;
  guint row = 0;

  /* A byte order mark is dropped, as the CLI does before uploading. */
  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl != NULL ? nl : end;
      const char *trimmed_end = line_end;

      row++;
      if (trimmed_end > p && trimmed_end[-1] == '\r')
        trimmed_end--;
      if (skip_ws (p, trimmed_end) < trimmed_end)
        {
          if (!validate_object (p, trimmed_end - p, row, error))
            return FALSE;
          g_ptr_array_add (docs, g_strndup (p, trimmed_end - p));
        }
      p = nl != NULL ? nl + 1 : end;
    }
  return TRUE;
}

static gboolean
parse_json_array (const char  *text,
                  gsize        len,
                  GPtrArray   *docs,
                  GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  const char *end = text + len;
  const char *p;
  guint row = 0;

  if (!json_parser_load_from_data (parser, text, len, &local_error)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Hit an error while importing:\nThe file is not a JSON array: %s",
                   local_error != NULL ? local_error->message : "another value at the top level");
      return FALSE;
    }

  p = skip_ws (text, end);
  if (len >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p = skip_ws (p + 3, end);
  p = skip_ws (p + 1, end);
  while (p < end && *p != ']')
    {
      const char *value_end = scan_value (p, end);

      row++;
      if (value_end == NULL || !validate_object (p, value_end - p, row, error))
        {
          if (error != NULL && *error == NULL)
            g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                         "Hit an error while importing:\nRow %u is not an object", row);
          return FALSE;
        }
      g_ptr_array_add (docs, g_strndup (p, value_end - p));
      p = skip_ws (value_end, end);
      if (p < end && *p == ',')
        p = skip_ws (p + 1, end);
    }
  return TRUE;
}

static GPtrArray *
parse_csv_records (const char *text,
                   gsize       len)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GPtrArray *record = NULL;
  GString *field = g_string_new (NULL);
  gboolean quoted = FALSE;
  gboolean field_started = FALSE;
  gsize i = 0;

  if (len >= 3 && memcmp (text, "\xef\xbb\xbf", 3) == 0)
    i = 3;

  for (; i <= len; i++)
    {
      char c = i < len ? text[i] : '\n';

      if (quoted)
        {
          if (c == '"' && i + 1 < len && text[i + 1] == '"')
            {
              g_string_append_c (field, '"');
              i++;
            }
          else if (c == '"')
            quoted = FALSE;
          else if (i < len)
            g_string_append_c (field, c);
          continue;
        }

      if (c == '"')
        {
          quoted = TRUE;
          field_started = TRUE;
        }
      else if (c == ',' || c == '\n')
        {
          if (record == NULL)
            record = g_ptr_array_new_with_free_func (g_free);
          g_ptr_array_add (record, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (c == '\n')
            {
              /* A blank line (one empty field) is no record. */
              if (record->len > 1 || field_started || ((char *) g_ptr_array_index (record, 0))[0] != '\0')
                g_ptr_array_add (records, record);
              else
                g_ptr_array_unref (record);
              record = NULL;
            }
          field_started = FALSE;
        }
      else if (c != '\r')
        {
          g_string_append_c (field, c);
          field_started = TRUE;
        }
    }

  g_string_free (field, TRUE);
  return records;
}

static gboolean
parse_csv (const char  *text,
           gsize        len,
           GPtrArray   *docs,
           GError     **error)
{
  g_autoptr(GPtrArray) records = parse_csv_records (text, len);
  GPtrArray *header;

  if (records->len == 0)
    return TRUE;

  header = g_ptr_array_index (records, 0);
  for (guint r = 1; r < records->len; r++)
    {
      GPtrArray *record = g_ptr_array_index (records, r);
      GString *doc = g_string_new ("{");

      if (record->len != header->len)
        {
          g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                       "Hit an error while importing:\nRow %u has %u fields but the header has %u",
                       r + 1, record->len, header->len);
          g_string_free (doc, TRUE);
          return FALSE;
        }

      for (guint f = 0; f < record->len; f++)
        {
          const char *cell = g_ptr_array_index (record, f);
          char *num_end = NULL;
          double number = cell[0] != '\0' ? g_ascii_strtod (cell, &num_end) : 0;

          if (f > 0)
            g_string_append_c (doc, ',');
          append_json_string (doc, g_ptr_array_index (header, f));
          g_string_append_c (doc, ':');
          /* Cells that read as numbers become Float64, as the real importer does. */
          if (cell[0] != '\0' && num_end != NULL && *num_end == '\0' && isfinite (number)
              && strpbrk (cell, "xXnN") == NULL)
            {
              g_autofree char *text_number = format_float (number);
              g_string_append (doc, text_number);
            }
          else
            append_json_string (doc, cell);
        }
      g_string_append_c (doc, '}');
      g_ptr_array_add (docs, g_string_free (doc, FALSE));
    }
  return TRUE;
}

static ImportTable *
import_set_table (CmgTestImportSet *set,
                  const char       *component,
                  const char       *name)
{
  ImportTable *table;

  for (guint i = 0; i < set->tables->len; i++)
    {
      table = g_ptr_array_index (set->tables, i);
      if (g_str_equal (table->component, component) && g_str_equal (table->name, name))
        return table;
    }

  table = g_new0 (ImportTable, 1);
  table->component = g_strdup (component);
  table->name = g_strdup (name);
  table->docs = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (set->tables, table);
  return table;
}

static CmgTestImportSet *
import_set_new (void)
{
  CmgTestImportSet *set = g_new0 (CmgTestImportSet, 1);

  set->tables = g_ptr_array_new_with_free_func (import_table_free);
  set->blobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  set->blob_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return set;
}

/* Splits a member name into its component path (from "_components/<name>/"
 * pairs; other leading folders are ignored), folder and file name. */
static gboolean
split_zip_path (const char  *pathname,
                char       **component,
                char       **folder,
                char       **file)
{
  g_auto(GStrv) parts = g_strsplit (pathname, "/", -1);
  guint n = g_strv_length (parts);
  g_autoptr(GString) path = g_string_new (NULL);
  guint i = 0;

  if (n < 2 || parts[n - 1][0] == '\0')
    return FALSE;

  /* Skip leading folders up to the first component marker, if any. */
  for (guint j = 0; j + 2 < n; j++)
    if (g_str_equal (parts[j], "_components"))
      {
        i = j;
        break;
      }
    else
      i = j + 1;
  if (i > n - 2)
    i = n - 2;

  while (i + 2 < n && g_str_equal (parts[i], "_components"))
    {
      if (path->len > 0)
        g_string_append_c (path, '/');
      g_string_append (path, parts[i + 1]);
      i += 2;
    }
  if (i != n - 2)
    return FALSE;

  *component = g_strdup (path->str);
  *folder = g_strdup (parts[n - 2]);
  *file = g_strdup (parts[n - 1]);
  return TRUE;
}

static gboolean
parse_tables_line (const char  *line,
                   char       **name,
                   guint32     *number)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (!json_parser_load_from_data (parser, line, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return FALSE;
  object = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (object, "name"))
    return FALSE;
  *name = g_strdup (json_object_get_string_member_with_default (object, "name", ""));
  *number = (guint32) json_object_get_int_member_with_default (object, "id", 0);
  return **name != '\0';
}

static gboolean
parse_zip (CmgTestImportSet  *set,
           GBytes            *data,
           GError           **error)
{
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  gsize size;
  const void *bytes = g_bytes_get_data (data, &size);
  g_autoptr(GPtrArray) tables_lists = g_ptr_array_new_with_free_func (import_table_free);
  gboolean ok = TRUE;
  int r;

  archive_read_support_format_zip (a);
  if (archive_read_open_memory (a, bytes, size) != ARCHIVE_OK)
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Hit an error while importing:\nThe file is not a ZIP archive: %s",
                   archive_error_string (a));
      archive_read_free (a);
      return FALSE;
    }

  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      const char *pathname = archive_entry_pathname_utf8 (entry);
      g_autofree char *component = NULL;
      g_autofree char *folder = NULL;
      g_autofree char *file = NULL;
      g_autoptr(GByteArray) content = g_byte_array_new ();
      char buf[16384];
      la_ssize_t n;

      if (pathname == NULL)
        pathname = archive_entry_pathname (entry);
      if (archive_entry_filetype (entry) != AE_IFREG || pathname == NULL
          || !split_zip_path (pathname, &component, &folder, &file))
        continue;

      while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
        g_byte_array_append (content, (const guint8 *) buf, n);
      if (n < 0)
        {
          g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                       "Hit an error while importing:\nCould not read %s from the ZIP: %s",
                       pathname, archive_error_string (a));
          ok = FALSE;
          break;
        }

      if (g_str_equal (file, "documents.jsonl"))
        {
          ImportTable *table;

          if (g_str_equal (folder, "_tables"))
            {
              table = g_new0 (ImportTable, 1);
              table->component = g_strdup (component);
              table->name = g_strdup ("_tables");
              table->docs = g_ptr_array_new_with_free_func (g_free);
              g_ptr_array_add (tables_lists, table);
            }
          else if (folder[0] == '_' && !g_str_equal (folder, "_storage"))
            continue; /* other system tables are ignored */
          else
            table = import_set_table (set, component, folder);

          if (!parse_json_lines ((const char *) content->data, content->len, table->docs, error))
            {
              ok = FALSE;
              break;
            }
        }
      else if (g_str_equal (folder, "_storage"))
        {
          const char *dot = strchr (file, '.');
          g_autofree char *id = dot != NULL ? g_strndup (file, dot - file) : g_strdup (file);
          char *key = g_strconcat (component, "\n", id, NULL);

          g_hash_table_insert (set->blob_names, g_strdup (key), g_strdup (file));
          g_hash_table_insert (set->blobs, key, g_byte_array_free_to_bytes (g_steal_pointer (&content)));
        }
    }
  if (ok && r != ARCHIVE_EOF && r != ARCHIVE_OK && r != ARCHIVE_WARN)
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Hit an error while importing:\nThe ZIP archive is damaged: %s",
                   archive_error_string (a));
      ok = FALSE;
    }
  archive_read_free (a);
  if (!ok)
    return FALSE;

  /* _tables gives table numbers and lists tables that may have no documents file. */
  for (guint i = 0; i < tables_lists->len; i++)
    {
      ImportTable *list = g_ptr_array_index (tables_lists, i);

      for (guint j = 0; j < list->docs->len; j++)
        {
          g_autofree char *name = NULL;
          guint32 number = 0;

          if (parse_tables_line (g_ptr_array_index (list->docs, j), &name, &number))
            import_set_table (set, list->component, name)->number = number;
        }
    }
  return TRUE;
}

CmgTestImportSet *
cmg_test_import_set_parse (GBytes         *data,
                           CmgTestFormat   format,
                           const char     *component,
                           const char     *table_name,
                           GError        **error)
{
  g_autoptr(CmgTestImportSet) set = import_set_new ();
  gsize len;
  const char *text = g_bytes_get_data (data, &len);
  gboolean ok;

  if (component == NULL)
    component = "";

  if (format == CMG_TEST_FORMAT_ZIP)
    {
      if (!parse_zip (set, data, error))
        return NULL;
      /* --component moves the whole ZIP under that component. */
      if (component[0] != '\0')
        for (guint i = 0; i < set->tables->len; i++)
          {
            ImportTable *table = g_ptr_array_index (set->tables, i);
            char *path = table->component[0] != '\0'
              ? g_strconcat (component, "/", table->component, NULL)
              : g_strdup (component);

            g_free (table->component);
            table->component = path;
          }
      return g_steal_pointer (&set);
    }

  if (table_name == NULL || table_name[0] == '\0')
    {
      g_set_error_literal (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                           "Hit an error while importing:\nA table name is required for this format");
      return NULL;
    }

  {
    ImportTable *table = import_set_table (set, component, table_name);

    switch (format)
      {
      case CMG_TEST_FORMAT_JSON_LINES:
        ok = parse_json_lines (text, len, table->docs, error);
        break;
      case CMG_TEST_FORMAT_JSON_ARRAY:
        ok = parse_json_array (text, len, table->docs, error);
        break;
      case CMG_TEST_FORMAT_CSV:
      case CMG_TEST_FORMAT_ZIP:
      default:
        ok = parse_csv (text, len, table->docs, error);
        break;
      }
  }
  if (!ok)
    return NULL;
  return g_steal_pointer (&set);
}

static Component *
find_component (CmgTestStore *self,
                const char   *path,
                gboolean      create)
{
  Component *component;

  for (guint i = 0; i < self->components->len; i++)
    {
      component = g_ptr_array_index (self->components, i);
      if (g_str_equal (component->path, path))
        return component;
    }
  if (!create)
    return NULL;

  component = g_new0 (Component, 1);
  component->path = g_strdup (path);
  component->tables = g_ptr_array_new_with_free_func (table_free);
  component->storage = g_ptr_array_new_with_free_func (storage_file_free);
  g_ptr_array_add (self->components, component);
  return component;
}

static Table *
find_table (Component  *component,
            const char *name)
{
  for (guint i = 0; component != NULL && i < component->tables->len; i++)
    {
      Table *table = g_ptr_array_index (component->tables, i);

      if (g_str_equal (table->name, name))
        return table;
    }
  return NULL;
}

static gboolean
number_in_use (Component *component,
               guint32    number,
               Table     *except)
{
  for (guint i = 0; i < component->tables->len; i++)
    {
      Table *table = g_ptr_array_index (component->tables, i);

      if (table != except && table->number == number)
        return TRUE;
    }
  return FALSE;
}

static guint32
next_table_number (Component *component)
{
  guint32 number = FIRST_USER_TABLE_NUMBER;

  for (guint i = 0; i < component->tables->len; i++)
    {
      Table *table = g_ptr_array_index (component->tables, i);

      number = MAX (number, table->number + 1);
    }
  return number;
}

typedef struct
{
  char *component;
  char *table;
  guint64 added;
  guint64 deleted;
  guint64 existing;
  gboolean files;
} Change;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_free (change->component);
  g_free (change->table);
  g_free (change);
}

static int
change_compare (gconstpointer a,
                gconstpointer b)
{
  const Change *ca = *(const Change * const *) a;
  const Change *cb = *(const Change * const *) b;
  int r = strcmp (ca->component, cb->component);

  return r != 0 ? r : strcmp (ca->table, cb->table);
}

static void
render_changes (GPtrArray *lines,
                GPtrArray *changes,
                guint      first,
                guint      last)
{
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);
  gsize width[3] = { 0, 0, 0 };

  g_ptr_array_add (cells, g_strdup ("table"));
  g_ptr_array_add (cells, g_strdup ("create"));
  g_ptr_array_add (cells, g_strdup ("delete"));
  for (guint i = first; i < last; i++)
    {
      const Change *change = g_ptr_array_index (changes, i);
      g_autofree char *deleted = cmg_test_format_count (change->deleted);
      g_autofree char *existing = cmg_test_format_count (change->existing);

      g_ptr_array_add (cells, g_strdup (change->table));
      g_ptr_array_add (cells, cmg_test_format_count (change->added));
      g_ptr_array_add (cells, g_strdup_printf ("%s of %s %s", deleted, existing,
                                               change->files ? "files" : "documents"));
    }
  for (guint i = 0; i < cells->len; i++)
    width[i % 3] = MAX (width[i % 3], (gsize) g_utf8_strlen (g_ptr_array_index (cells, i), -1));

  for (guint row = 0; row < cells->len / 3; row++)
    {
      GString *line = g_string_new (NULL);

      for (guint col = 0; col < 3; col++)
        {
          const char *cell = g_ptr_array_index (cells, row * 3 + col);

          g_string_append (line, cell);
          for (gsize pad = g_utf8_strlen (cell, -1); pad < width[col]; pad++)
            g_string_append_c (line, ' ');
          g_string_append (line, col < 2 ? " | " : " |");
        }
      g_ptr_array_add (lines, g_string_free (line, FALSE));
      if (row == 0)
        g_ptr_array_add (lines, g_strnfill (width[0] + 3 + width[1] + 3 + width[2] + 2, '-'));
    }
}

static guint
existing_count (CmgTestStore *self,
                const char   *component_path,
                const char   *table_name)
{
  Component *component = find_component (self, component_path, FALSE);
  Table *table;

  if (component == NULL)
    return 0;
  if (g_str_equal (table_name, "_storage"))
    return component->storage->len;
  table = find_table (component, table_name);
  return table != NULL ? table->docs->len : 0;
}

/* The server's change summary, laid out as the real one (convex-facts §3). */
char *
cmg_test_store_summarize_import (CmgTestStore       *self,
                                 CmgTestImportSet   *set,
                                 CmgTestImportMode   mode,
                                 gboolean           *require_confirmation,
                                 GError            **error)
{
  g_autoptr(GPtrArray) changes = g_ptr_array_new_with_free_func (change_free);
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;

  g_return_val_if_fail (CMG_IS_TEST_STORE (self), NULL);

  *require_confirmation = FALSE;

  for (guint i = 0; i < set->tables->len; i++)
    {
      const ImportTable *table = g_ptr_array_index (set->tables, i);
      Change *change = g_new0 (Change, 1);

      change->component = g_strdup (table->component);
      change->table = g_strdup (table->name);
      change->added = table->docs->len;
      change->files = g_str_equal (table->name, "_storage");
      g_ptr_array_add (changes, change);
    }

  if (mode == CMG_TEST_IMPORT_REPLACE_ALL)
    for (guint c = 0; c < self->components->len; c++)
      {
        Component *component = g_ptr_array_index (self->components, c);

        for (guint t = 0; t < component->tables->len; t++)
          {
            Table *table = g_ptr_array_index (component->tables, t);
            gboolean listed = FALSE;

            for (guint i = 0; i < changes->len && !listed; i++)
              {
                Change *change = g_ptr_array_index (changes, i);

                listed = g_str_equal (change->component, component->path)
                         && g_str_equal (change->table, table->name);
              }
            if (!listed)
              {
                Change *change = g_new0 (Change, 1);

                change->component = g_strdup (component->path);
                change->table = g_strdup (table->name);
                g_ptr_array_add (changes, change);
              }
          }
      }

  /* Sorted first, so requireEmpty names the first table in byte order, as the real server does. */
  g_ptr_array_sort (changes, change_compare);
  for (guint i = 0; i < changes->len; i++)
    {
      Change *change = g_ptr_array_index (changes, i);

      change->existing = existing_count (self, change->component, change->table);
      switch (mode)
        {
        case CMG_TEST_IMPORT_REPLACE:
        case CMG_TEST_IMPORT_REPLACE_ALL:
          change->deleted = change->existing;
          break;
        case CMG_TEST_IMPORT_REQUIRE_EMPTY:
          if (change->existing > 0)
            {
              g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_TABLE_EXISTS,
                           "Table %s already exists. Please choose a new table name or use replace/append modes.",
                           change->table);
              return NULL;
            }
          break;
        case CMG_TEST_IMPORT_APPEND:
        default:
          break;
        }
      if (change->deleted > 0)
        *require_confirmation = TRUE;
    }

  for (guint first = 0; first < changes->len;)
    {
      const Change *head = g_ptr_array_index (changes, first);
      guint last = first;

      while (last < changes->len
             && g_str_equal (((Change *) g_ptr_array_index (changes, last))->component, head->component))
        last++;
      if (head->component[0] != '\0')
        g_ptr_array_add (lines, g_strdup_printf ("Component %s", head->component));
      render_changes (lines, changes, first, last);
      first = last;
    }

  if (lines->len > 0)
    g_ptr_array_insert (lines, 0, g_strdup ("Import change summary:"));
  g_ptr_array_add (lines, g_strdup ("Once the import has started, it will run in the background.\n"
                                    "Interrupting `npx convex import` will not cancel it."));
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

static char *
now_creation_time (void)
{
  return format_float ((double) g_get_real_time () / 1000.0);
}

/* Gives a document its _id and _creationTime when it lacks them, and sorts
 * its keys as exports do. */
static char *
normalize_document (const char *doc,
                    guint32     table_number,
                    char      **id_out)
{
  g_autoptr(GPtrArray) members = split_object (doc, strlen (doc), NULL);
  const Member *id;

  if (members == NULL)
    return NULL;
  if ((id = find_member (members, "_id")) == NULL)
    {
      Member *member = g_new0 (Member, 1);
      g_autofree char *new_id = cmg_test_encode_id (table_number);

      member->key = g_strdup ("_id");
      member->value = g_strdup_printf ("\"%s\"", new_id);
      g_ptr_array_add (members, member);
      id = member;
    }
  if (find_member (members, "_creationTime") == NULL)
    {
      Member *member = g_new0 (Member, 1);

      member->key = g_strdup ("_creationTime");
      member->value = now_creation_time ();
      g_ptr_array_add (members, member);
    }
  if (id_out != NULL)
    {
      const char *value = id->value;
      gsize len = strlen (value);

      *id_out = len >= 2 && value[0] == '"' ? g_strndup (value + 1, len - 2) : g_strdup (value);
    }
  return join_members (members);
}

static const char *
content_type_from_metadata (const char *line)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *type = NULL;

  if (json_parser_load_from_data (parser, line, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    type = json_object_get_string_member_with_default (json_node_get_object (json_parser_get_root (parser)),
                                                       "contentType", NULL);
  return type != NULL ? g_intern_string (type) : NULL;
}

/* Storage entries always carry the size and the base64 SHA-256 of their bytes. */
static void
complete_storage_metadata (StorageFile *file)
{
  g_autoptr(GPtrArray) members = split_object (file->line, strlen (file->line), NULL);
  gboolean changed = FALSE;

  if (members == NULL)
    return;
  if (find_member (members, "sha256") == NULL)
    {
      g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
      guint8 digest[32];
      gsize digest_len = sizeof digest;
      g_autofree char *encoded = NULL;
      Member *member = g_new0 (Member, 1);

      g_checksum_update (checksum, g_bytes_get_data (file->data, NULL), g_bytes_get_size (file->data));
      g_checksum_get_digest (checksum, digest, &digest_len);
      encoded = g_base64_encode (digest, digest_len);
      member->key = g_strdup ("sha256");
      member->value = g_strdup_printf ("\"%s\"", encoded);
      g_ptr_array_add (members, member);
      changed = TRUE;
    }
  if (find_member (members, "size") == NULL)
    {
      Member *member = g_new0 (Member, 1);

      member->key = g_strdup ("size");
      member->value = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (file->data));
      g_ptr_array_add (members, member);
      changed = TRUE;
    }
  if (changed)
    {
      g_free (file->line);
      file->line = join_members (members);
    }
}

GPtrArray *
cmg_test_store_apply_import (CmgTestStore      *self,
                             CmgTestImportSet  *set,
                             CmgTestImportMode  mode,
                             gint64            *rows_written)
{
  GPtrArray *checkpoints = g_ptr_array_new_with_free_func (g_free);
  gint64 written = 0;

  g_return_val_if_fail (CMG_IS_TEST_STORE (self), checkpoints);

  if (mode == CMG_TEST_IMPORT_REPLACE_ALL)
    for (guint c = 0; c < self->components->len; c++)
      {
        Component *component = g_ptr_array_index (self->components, c);

        for (guint t = component->tables->len; t > 0; t--)
          {
            Table *table = g_ptr_array_index (component->tables, t - 1);
            gboolean listed = FALSE;

            for (guint i = 0; i < set->tables->len && !listed; i++)
              {
                ImportTable *import_table = g_ptr_array_index (set->tables, i);

                listed = g_str_equal (import_table->component, component->path)
                         && g_str_equal (import_table->name, table->name);
              }
            if (!listed)
              g_ptr_array_remove_index (component->tables, t - 1);
          }
      }

  for (guint i = 0; i < set->tables->len; i++)
    {
      ImportTable *import_table = g_ptr_array_index (set->tables, i);
      Component *component = find_component (self, import_table->component, TRUE);
      gboolean replace = mode == CMG_TEST_IMPORT_REPLACE || mode == CMG_TEST_IMPORT_REPLACE_ALL;

      if (g_str_equal (import_table->name, "_storage"))
        {
          if (replace)
            g_ptr_array_set_size (component->storage, 0);
          for (guint d = 0; d < import_table->docs->len; d++)
            {
              StorageFile *file = g_new0 (StorageFile, 1);
              g_autofree char *key = NULL;
              GBytes *blob;

              file->line = normalize_document (g_ptr_array_index (import_table->docs, d),
                                               STORAGE_TABLE_NUMBER, &file->id);
              if (file->line == NULL)
                {
                  storage_file_free (file);
                  continue;
                }
              key = g_strconcat (import_table->component, "\n", file->id, NULL);
              blob = g_hash_table_lookup (set->blobs, key);
              file->data = blob != NULL ? g_bytes_ref (blob) : g_bytes_new (NULL, 0);
              file->content_type = g_strdup (content_type_from_metadata (file->line));
              complete_storage_metadata (file);
              g_ptr_array_add (component->storage, file);
              written++;
            }
          if (import_table->docs->len > 0)
            g_ptr_array_add (checkpoints, g_strdup_printf ("Imported \"_storage\" (%u files)",
                                                           import_table->docs->len));
          continue;
        }

      {
        Table *table = find_table (component, import_table->name);
        g_autofree char *count = NULL;

        if (table == NULL)
          {
            table = g_new0 (Table, 1);
            table->name = g_strdup (import_table->name);
            table->docs = g_ptr_array_new_with_free_func (g_free);
            table->number = import_table->number != 0 && !number_in_use (component, import_table->number, NULL)
              ? import_table->number : next_table_number (component);
            g_ptr_array_add (component->tables, table);
          }
        else if (replace)
          {
            g_ptr_array_set_size (table->docs, 0);
            if (import_table->number != 0 && !number_in_use (component, import_table->number, table))
              table->number = import_table->number;
          }

        for (guint d = 0; d < import_table->docs->len; d++)
          {
            char *doc = normalize_document (g_ptr_array_index (import_table->docs, d), table->number, NULL);

            if (doc != NULL)
              {
                g_ptr_array_add (table->docs, doc);
                written++;
              }
          }
        count = cmg_test_format_count (import_table->docs->len);
        g_ptr_array_add (checkpoints, g_strdup_printf ("Imported \"%s\" (%s documents)",
                                                       import_table->name, count));
      }
    }

  if (rows_written != NULL)
    *rows_written = written;
  return checkpoints;
}

GPtrArray *
cmg_test_store_list_tables (CmgTestStore *self,
                            const char   *component_path)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  Component *component = find_component (self, component_path != NULL ? component_path : "", FALSE);

  for (guint i = 0; component != NULL && i < component->tables->len; i++)
    g_ptr_array_add (names, g_strdup (((Table *) g_ptr_array_index (component->tables, i))->name));
  return names;
}

/* The documents of a table (export encoding, owned by the store), or NULL. */
GPtrArray *
cmg_test_store_get_documents (CmgTestStore *self,
                              const char   *component_path,
                              const char   *table_name)
{
  Table *table = find_table (find_component (self, component_path != NULL ? component_path : "", FALSE),
                             table_name);

  return table != NULL ? table->docs : NULL;
}

/* Export encoding → wire encoding: a bare integer is an Int64 there and
 * becomes {"$integer": base64 of 8 little-endian bytes}; the rest is alike. */
char *
cmg_test_export_json_to_wire (const char *json)
{
  GString *out = g_string_new (NULL);
  const char *p = json;

  while (*p != '\0')
    {
      if (*p == '"')
        {
          const char *end = scan_string (p, p + strlen (p));

          if (end == NULL)
            end = p + strlen (p);
          g_string_append_len (out, p, end - p);
          p = end;
        }
      else if (*p == '-' || g_ascii_isdigit (*p))
        {
          const char *end = p + 1;

          while (*end != '\0' && strchr ("0123456789.eE+-", *end) != NULL)
            end++;
          if (memchr (p, '.', end - p) == NULL && memchr (p, 'e', end - p) == NULL
              && memchr (p, 'E', end - p) == NULL)
            {
              guint64 value = (guint64) g_ascii_strtoll (p, NULL, 10);
              guint8 bytes[8];
              g_autofree char *encoded = NULL;

              for (guint i = 0; i < 8; i++)
                bytes[i] = (value >> (8 * i)) & 0xff;
              encoded = g_base64_encode (bytes, sizeof bytes);
              g_string_append_printf (out, "{\"$integer\":\"%s\"}", encoded);
            }
          else
            g_string_append_len (out, p, end - p);
          p = end;
        }
      else
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

guint
cmg_test_store_count_documents (CmgTestStore *self,
                                const char   *component_path,
                                const char   *table)
{
  return existing_count (self, component_path != NULL ? component_path : "", table);
}

static const char *
extension_for_content_type (const char *content_type)
{
  static const struct { const char *type; const char *ext; } known[] = {
    { "text/plain", ".txt" }, { "text/html", ".html" }, { "text/csv", ".csv" },
    { "application/json", ".json" }, { "application/pdf", ".pdf" },
    { "image/png", ".png" }, { "image/jpeg", ".jpg" }, { "image/gif", ".gif" },
    { "image/webp", ".webp" }, { "image/svg+xml", ".svg" },
  };

  for (guint i = 0; content_type != NULL && i < G_N_ELEMENTS (known); i++)
    if (g_str_has_prefix (content_type, known[i].type))
      return known[i].ext;
  return "";
}

static la_ssize_t
write_to_byte_array (struct archive *a,
                     void           *user_data,
                     const void     *buffer,
                     size_t          length)
{
  g_byte_array_append (user_data, buffer, length);
  return length;
}

static gboolean
write_member (struct archive  *a,
              const char      *path,
              const void      *data,
              gsize            len,
              GError         **error)
{
  struct archive_entry *entry = archive_entry_new ();
  gboolean ok;

  archive_entry_set_pathname (entry, path);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);
  archive_entry_set_size (entry, len);
  ok = archive_write_header (a, entry) == ARCHIVE_OK
       && (len == 0 || archive_write_data (a, data, len) == (la_ssize_t) len);
  archive_entry_free (entry);
  if (!ok)
    g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                 "Could not write %s: %s", path, archive_error_string (a));
  return ok;
}

static char *
component_prefix (const Component *component)
{
  g_auto(GStrv) parts = NULL;
  GString *prefix = g_string_new (NULL);

  if (component->path[0] == '\0')
    return g_string_free (prefix, FALSE);
  parts = g_strsplit (component->path, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_string_append_printf (prefix, "_components/%s/", parts[i]);
  return g_string_free (prefix, FALSE);
}

static int
component_compare (gconstpointer a,
                   gconstpointer b)
{
  return strcmp ((*(const Component * const *) a)->path, (*(const Component * const *) b)->path);
}

typedef struct
{
  char *path;
  GString *documents;
} ExportTable;

static void
export_table_free (gpointer data)
{
  ExportTable *table = data;

  g_free (table->path);
  g_string_free (table->documents, TRUE);
  g_free (table);
}

static int
export_table_compare (gconstpointer a,
                      gconstpointer b)
{
  const ExportTable *ta = *(const ExportTable * const *) a;
  const ExportTable *tb = *(const ExportTable * const *) b;

  if (ta->documents->len != tb->documents->len)
    return ta->documents->len < tb->documents->len ? -1 : 1;
  return strcmp (ta->path, tb->path);
}

static const char export_readme[] =
  "# Welcome to your Convex snapshot export!\n"
  "\n"
  "This ZIP file contains a snapshot of the tables in your Convex deployment.\n"
  "\n"
  "Documents for each table are listed as lines of JSON in\n"
  "<table_name>/documents.jsonl files.\n"
  "\n"
  "For details on the format and how to use this snapshot with npx convex import,\n"
  "check out [the docs](https://docs.convex.dev/database/import-export/export) or\n"
  "ask us in [Discord](http://convex.dev/community).\n";

/* A snapshot ZIP of the current data, laid out as real exports are
 * (convex-facts §4): README, _tables, tables smallest first, _storage. */
GBytes *
cmg_test_store_export_zip (CmgTestStore  *self,
                           gboolean       include_storage,
                           GError       **error)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  g_autoptr(GPtrArray) components = g_ptr_array_sized_new (self->components->len);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (export_table_free);
  struct archive *a = archive_write_new ();
  gboolean ok = TRUE;
  static const char schema[] = "\"uniform\"\n";

  archive_write_set_format_zip (a);
  archive_write_set_options (a, "zip:compression=deflate");
  archive_write_set_bytes_in_last_block (a, 1);
  if (archive_write_open2 (a, out, NULL, write_to_byte_array, NULL, NULL) != ARCHIVE_OK)
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Could not start the export: %s", archive_error_string (a));
      archive_write_free (a);
      return NULL;
    }

  /* A view without a free function; the root component ("") sorts first. */
  for (guint c = 0; c < self->components->len; c++)
    g_ptr_array_add (components, g_ptr_array_index (self->components, c));
  g_ptr_array_sort (components, component_compare);

  ok = write_member (a, "README.md", export_readme, strlen (export_readme), error);

  for (guint c = 0; ok && c < components->len; c++)
    {
      Component *component = g_ptr_array_index (components, c);
      g_autofree char *prefix = component_prefix (component);
      g_autofree char *path = g_strconcat (prefix, "_tables/documents.jsonl", NULL);
      GString *list = g_string_new (NULL);

      for (guint t = 0; t < component->tables->len; t++)
        {
          Table *table = g_ptr_array_index (component->tables, t);
          ExportTable *export_table = g_new0 (ExportTable, 1);
          GString *name = g_string_new (NULL);

          append_json_string (name, table->name);
          g_string_append_printf (list, "{\"name\":%s,\"id\":%u}\n", name->str, table->number);
          g_string_free (name, TRUE);

          export_table->path = g_strconcat (prefix, table->name, NULL);
          export_table->documents = g_string_new (NULL);
          for (guint d = 0; d < table->docs->len; d++)
            {
              g_string_append (export_table->documents, g_ptr_array_index (table->docs, d));
              g_string_append_c (export_table->documents, '\n');
            }
          g_ptr_array_add (tables, export_table);
        }
      ok = write_member (a, path, list->str, list->len, error);
      g_string_free (list, TRUE);
    }

  g_ptr_array_sort (tables, export_table_compare);
  for (guint t = 0; ok && t < tables->len; t++)
    {
      ExportTable *table = g_ptr_array_index (tables, t);
      g_autofree char *documents = g_strconcat (table->path, "/documents.jsonl", NULL);
      g_autofree char *schema_path = g_strconcat (table->path, "/generated_schema.jsonl", NULL);

      ok = write_member (a, documents, table->documents->str, table->documents->len, error)
           && write_member (a, schema_path, schema, strlen (schema), error);
    }

  for (guint c = 0; ok && include_storage && c < components->len; c++)
    {
      Component *component = g_ptr_array_index (components, c);
      g_autofree char *prefix = component_prefix (component);
      g_autofree char *path = g_strconcat (prefix, "_storage/documents.jsonl", NULL);
      GString *list = g_string_new (NULL);

      for (guint f = 0; f < component->storage->len; f++)
        {
          StorageFile *file = g_ptr_array_index (component->storage, f);

          g_string_append (list, file->line);
          g_string_append_c (list, '\n');
        }
      ok = write_member (a, path, list->str, list->len, error);
      g_string_free (list, TRUE);

      for (guint f = 0; ok && f < component->storage->len; f++)
        {
          StorageFile *file = g_ptr_array_index (component->storage, f);
          g_autofree char *file_path = g_strconcat (prefix, "_storage/", file->id,
                                                    extension_for_content_type (file->content_type), NULL);
          gsize len;
          const void *data = g_bytes_get_data (file->data, &len);

          ok = write_member (a, file_path, data, len, error);
        }
    }

  if (archive_write_close (a) != ARCHIVE_OK && ok)
    {
      g_set_error (error, CMG_TEST_STORE_ERROR, CMG_TEST_STORE_ERROR_INVALID_INPUT,
                   "Could not finish the export: %s", archive_error_string (a));
      ok = FALSE;
    }
  archive_write_free (a);
  if (!ok)
    return NULL;
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}
