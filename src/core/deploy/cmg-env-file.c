/* cmg-env-file.c: see cmg-env-file.h.
 *
 * The CLI loads env files with dotenv 16, whose parser is one JavaScript regular expression:
 *
 *   /(?:^|^)\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)(\s*'(?:\\'|[^'])*'|\s*"(?:\\"|[^"])*"|
 *    \s*`(?:\\`|[^`])*`|[^#\r\n]+)?\s*(?:#.*)?(?:$|$)/mg
 *
 * applied after turning CRLF and lone CR into LF. The matcher below follows that expression
 * step by step, including its backtracking, on Unicode code points (JavaScript's `\s` includes
 * the BOM and other Unicode spaces), so that what the banner shows is what the CLI reads. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-deploy-error.h"
#include "cmg-env-file.h"

struct _CmgEnvFile
{
  GObject     parent_instance;

  char       *name;
  GPtrArray  *entries;   /* CmgEnvEntry*, file order */
  GHashTable *by_key;    /* key -> last CmgEnvEntry* (borrowed) */
  GPtrArray  *warnings;  /* char*, NULL-terminated */
};

G_DEFINE_FINAL_TYPE (CmgEnvFile, cmg_env_file, G_TYPE_OBJECT)

static void
env_entry_free (CmgEnvEntry *entry)
{
  g_free (entry->key);
  g_free (entry->value);
  g_free (entry->comment);
  g_free (entry);
}

static void
cmg_env_file_finalize (GObject *object)
{
  CmgEnvFile *self = (CmgEnvFile *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->by_key, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->warnings, g_ptr_array_unref);

  G_OBJECT_CLASS (cmg_env_file_parent_class)->finalize (object);
}

static void
cmg_env_file_class_init (CmgEnvFileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_env_file_finalize;
}

static void
cmg_env_file_init (CmgEnvFile *self)
{
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify)env_entry_free);
  self->by_key = g_hash_table_new (g_str_hash, g_str_equal);
  self->warnings = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->warnings, NULL);
}

static void
add_warning (CmgEnvFile *self,
             char       *warning)
{
  /* Keep the array NULL-terminated. */
  g_ptr_array_insert (self->warnings, self->warnings->len - 1, warning);
}

/* The text being parsed, as code points. */
typedef struct {
  const gunichar *s;
  glong           n;
} Text;

/* JavaScript's `\s` (and what String.prototype.trim removes). */
static gboolean
is_js_space (gunichar c)
{
  switch (c)
    {
    case '\t': case '\n': case 0x0b: case 0x0c: case '\r': case ' ':
    case 0xa0: case 0x1680: case 0x2028: case 0x2029: case 0x202f:
    case 0x205f: case 0x3000: case 0xfeff:
      return TRUE;
    default:
      return c >= 0x2000 && c <= 0x200a;
    }
}

/* Where `$` matches and `.` stops in a multi-line JavaScript expression (CR is gone by now). */
static gboolean
is_line_terminator (gunichar c)
{
  return c == '\n' || c == 0x2028 || c == 0x2029;
}

static gboolean
is_key_char (gunichar c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
         || c == '_' || c == '.' || c == '-';
}

static glong
skip_spaces (const Text *t,
             glong       i)
{
  while (i < t->n && is_js_space (t->s[i]))
    i++;
  return i;
}

static glong
end_of_line (const Text *t,
             glong       i)
{
  while (i < t->n && !is_line_terminator (t->s[i]))
    i++;
  return i;
}

/* `\s*(?:#.*)?(?:$|$)` from i, with the expression's backtracking. On success returns TRUE and
 * where the match ends; *comment_start is the position after a `#` on the same line, or -1. */
static gboolean
match_tail (const Text *t,
            glong       i,
            glong      *match_end,
            glong      *comment_start)
{
  glong k = skip_spaces (t, i);

  *comment_start = -1;

  if (k == t->n)
    {
      *match_end = k;
      return TRUE;
    }

  if (t->s[k] == '#')
    {
      gboolean same_line = TRUE;

      for (glong j = i; j < k; j++)
        if (is_line_terminator (t->s[j]))
          same_line = FALSE;

      if (same_line)
        *comment_start = k + 1;
      *match_end = end_of_line (t, k);
      return TRUE;
    }

  /* Backtrack the spaces to the last line end inside them, where `$` matches. */
  for (glong j = k - 1; j >= i; j--)
    {
      if (is_line_terminator (t->s[j]))
        {
          *match_end = j;
          return TRUE;
        }
    }

  return FALSE;
}

/* `\s*Q(?:\\Q|[^Q])*Q` followed by the tail. Candidates for the closing quote come in the order
 * the regular expression tries them: the first unescaped quote, then each escaped one, last
 * first. */
static gboolean
match_quoted (const Text *t,
              glong       start,
              gunichar    quote,
              glong      *value_end,
              glong      *match_end,
              glong      *comment_start)
{
  g_autoptr(GArray) escaped = NULL;
  glong open = skip_spaces (t, start);
  glong i;

  if (open >= t->n || t->s[open] != quote)
    return FALSE;

  escaped = g_array_new (FALSE, FALSE, sizeof (glong));

  for (i = open + 1; i < t->n; i++)
    {
      if (t->s[i] == '\\' && i + 1 < t->n && t->s[i + 1] == quote)
        {
          glong pos = i + 1;

          g_array_append_val (escaped, pos);
          i++;
          continue;
        }

      if (t->s[i] == quote)
        {
          if (match_tail (t, i + 1, match_end, comment_start))
            {
              *value_end = i + 1;
              return TRUE;
            }
          break;
        }
    }

  for (guint e = escaped->len; e > 0; e--)
    {
      glong pos = g_array_index (escaped, glong, e - 1);

      if (match_tail (t, pos + 1, match_end, comment_start))
        {
          *value_end = pos + 1;
          return TRUE;
        }
    }

  return FALSE;
}

static char *
text_to_utf8 (const Text *t,
              glong       start,
              glong       end)
{
  return g_ucs4_to_utf8 (t->s + start, end - start, NULL, NULL, NULL);
}

static char *
trim_js (const Text *t,
         glong       start,
         glong       end)
{
  while (start < end && is_js_space (t->s[start]))
    start++;
  while (end > start && is_js_space (t->s[end - 1]))
    end--;
  return text_to_utf8 (t, start, end);
}

/* dotenv's post-processing: strip matching outer quotes, expand \n and \r after a double quote. */
static char *
finish_value (char *raw)
{
  gsize len = strlen (raw);
  char quote = raw[0];
  GString *out;

  if (quote != '"' && quote != '\'' && quote != '`')
    return raw;

  if (len >= 2 && raw[len - 1] == quote)
    {
      memmove (raw, raw + 1, len - 2);
      raw[len - 2] = '\0';
    }

  if (quote != '"')
    return raw;

  out = g_string_sized_new (len);
  for (const char *p = raw; *p != '\0'; p++)
    {
      if (p[0] == '\\' && p[1] == 'n')
        {
          g_string_append_c (out, '\n');
          p++;
        }
      else if (p[0] == '\\' && p[1] == 'r')
        {
          g_string_append_c (out, '\r');
          p++;
        }
      else
        g_string_append_c (out, *p);
    }
  g_free (raw);

  return g_string_free (out, FALSE);
}

/* Key and separator: `\s*(?:export\s+)?([\w.-]+)(?:\s*=\s*?|:\s+?)`. Returns the position after
 * the separator, or -1. */
static glong
match_assignment_head (const Text *t,
                       glong       key_start,
                       glong      *key_end)
{
  glong i = key_start;

  while (i < t->n && is_key_char (t->s[i]))
    i++;
  if (i == key_start)
    return -1;
  *key_end = i;

  if (i < t->n && t->s[i] == ':')
    {
      if (i + 1 < t->n && is_js_space (t->s[i + 1]))
        return i + 2;
      return -1;
    }

  i = skip_spaces (t, i);
  if (i < t->n && t->s[i] == '=')
    return i + 1;

  return -1;
}

static guint
line_of (const Text *t,
         glong       pos,
         glong      *counted_to,
         guint      *counted_line)
{
  for (glong i = *counted_to; i < pos; i++)
    if (t->s[i] == '\n')
      (*counted_line)++;
  *counted_to = pos;

  return *counted_line;
}

static void
parse (CmgEnvFile *self,
       const Text *t)
{
  glong pos = 0;
  glong counted_to = 0;
  guint counted_line = 1;

  while (pos < t->n)
    {
      glong start = skip_spaces (t, pos);
      glong key_start = -1, key_end = -1, after_sep = -1;
      glong value_start, value_end = -1, match_end = -1, comment_start = -1;
      gboolean matched = FALSE;
      CmgEnvEntry *entry;
      char *raw;

      /* `^` only matches at the start of the text or after a line end. */
      if (pos > 0 && !is_line_terminator (t->s[pos - 1]))
        {
          while (pos < t->n && !is_line_terminator (t->s[pos]))
            pos++;
          pos++;
          continue;
        }

      if (t->n - start > 6
          && t->s[start] == 'e' && t->s[start + 1] == 'x' && t->s[start + 2] == 'p'
          && t->s[start + 3] == 'o' && t->s[start + 4] == 'r' && t->s[start + 5] == 't'
          && is_js_space (t->s[start + 6]))
        {
          key_start = skip_spaces (t, start + 6);
          after_sep = match_assignment_head (t, key_start, &key_end);
        }

      /* Without `export ` (or when that fails, `export` may itself be the key). */
      if (after_sep < 0)
        {
          key_start = start;
          after_sep = match_assignment_head (t, key_start, &key_end);
        }

      if (after_sep < 0)
        {
          pos++;
          continue;
        }

      value_start = after_sep;

      /* The value alternatives, in the expression's order. */
      if (match_quoted (t, value_start, '\'', &value_end, &match_end, &comment_start)
          || match_quoted (t, value_start, '"', &value_end, &match_end, &comment_start)
          || match_quoted (t, value_start, '`', &value_end, &match_end, &comment_start))
        matched = TRUE;
      else if (value_start < t->n && t->s[value_start] != '#' && t->s[value_start] != '\n')
        {
          value_end = value_start;
          while (value_end < t->n && t->s[value_end] != '#' && t->s[value_end] != '\n')
            value_end++;
          matched = match_tail (t, value_end, &match_end, &comment_start);
        }

      if (!matched)
        {
          /* No value: KEY= followed by a comment or the line end. */
          value_end = value_start;
          matched = match_tail (t, value_start, &match_end, &comment_start);
        }

      if (!matched)
        {
          pos++;
          continue;
        }

      entry = g_new0 (CmgEnvEntry, 1);
      entry->key = text_to_utf8 (t, key_start, key_end);
      raw = trim_js (t, value_start, value_end);
      entry->value = finish_value (raw);
      entry->line = line_of (t, key_start, &counted_to, &counted_line);
      if (comment_start >= 0)
        {
          entry->comment = trim_js (t, comment_start, end_of_line (t, comment_start));
          if (entry->comment[0] == '\0')
            g_clear_pointer (&entry->comment, g_free);
        }

      g_ptr_array_add (self->entries, entry);
      g_hash_table_insert (self->by_key, entry->key, entry);

      /* The match never ends before where it started; guard anyway against a stuck loop. */
      pos = MAX (match_end, pos + 1);
    }
}

CmgEnvFile *
cmg_env_file_new_from_data (const char  *name,
                            const char  *data,
                            gsize        length,
                            GError     **error)
{
  g_autoptr(CmgEnvFile) self = NULL;
  g_autofree char *valid = NULL;
  g_autofree gunichar *chars = NULL;
  g_autoptr(GString) normalized = NULL;
  const char *utf8;
  glong n_chars = 0;
  Text text;

  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (data != NULL || length == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (length > CMG_ENV_FILE_MAX_SIZE)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_TOO_LARGE,
                   _("%s is larger than %u KiB, too large for an env file. Check that it is the right file."),
                   name, (guint)(CMG_ENV_FILE_MAX_SIZE / 1024));
      return NULL;
    }

  if (length > 0 && memchr (data, '\0', length) != NULL)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_BINARY,
                   _("%s contains NUL bytes: it is a binary file, not an env file. "
                     "Check that it is the right file."),
                   name);
      return NULL;
    }

  self = g_object_new (CMG_TYPE_ENV_FILE, NULL);
  self->name = g_strdup (name);

  if (!g_utf8_validate_len (data, length, NULL))
    {
      valid = g_utf8_make_valid (data, length);
      utf8 = valid;
      length = strlen (valid);
      add_warning (self,
                   g_strdup_printf (_("%s is not valid UTF-8; the invalid bytes were replaced."),
                                    name));
    }
  else
    utf8 = data;

  /* dotenv turns CRLF and lone CR into LF before matching. */
  normalized = g_string_sized_new (length);
  for (gsize i = 0; i < length; i++)
    {
      if (utf8[i] == '\r')
        {
          g_string_append_c (normalized, '\n');
          if (i + 1 < length && utf8[i + 1] == '\n')
            i++;
        }
      else
        g_string_append_c (normalized, utf8[i]);
    }

  chars = g_utf8_to_ucs4_fast (normalized->str, normalized->len, &n_chars);
  text.s = chars;
  text.n = n_chars;
  parse (self, &text);

  return g_steal_pointer (&self);
}

CmgEnvFile *
cmg_env_file_load (GFile       *file,
                   const char  *name,
                   GError     **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree char *buffer = NULL;
  gsize bytes_read = 0;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_FOUND,
                     _("%s does not exist."), name);
      else
        g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE,
                     _("%s cannot be read: %s"), name, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE,
                   _("%s is a folder, not a file. Rename or remove it."), name);
      return NULL;
    }

  if (g_file_info_get_size (info) > CMG_ENV_FILE_MAX_SIZE)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_TOO_LARGE,
                   _("%s is larger than %u KiB, too large for an env file. Check that it is the right file."),
                   name, (guint)(CMG_ENV_FILE_MAX_SIZE / 1024));
      return NULL;
    }

  stream = g_file_read (file, NULL, &local_error);
  if (stream == NULL)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE,
                   _("%s cannot be read: %s"), name, local_error->message);
      return NULL;
    }

  /* One byte more than allowed, so a file that grew after the size check is still refused. */
  buffer = g_malloc (CMG_ENV_FILE_MAX_SIZE + 1);
  if (!g_input_stream_read_all (G_INPUT_STREAM (stream), buffer, CMG_ENV_FILE_MAX_SIZE + 1,
                                &bytes_read, NULL, &local_error))
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE,
                   _("%s cannot be read: %s"), name, local_error->message);
      return NULL;
    }

  return cmg_env_file_new_from_data (name, buffer, bytes_read, error);
}

const char *
cmg_env_file_get_name (CmgEnvFile *self)
{
  g_return_val_if_fail (CMG_IS_ENV_FILE (self), NULL);
  return self->name;
}

guint
cmg_env_file_get_n_entries (CmgEnvFile *self)
{
  g_return_val_if_fail (CMG_IS_ENV_FILE (self), 0);
  return self->entries->len;
}

const CmgEnvEntry *
cmg_env_file_get_entry (CmgEnvFile *self,
                        guint       index)
{
  g_return_val_if_fail (CMG_IS_ENV_FILE (self), NULL);
  g_return_val_if_fail (index < self->entries->len, NULL);
  return g_ptr_array_index (self->entries, index);
}

const CmgEnvEntry *
cmg_env_file_lookup (CmgEnvFile *self,
                     const char *key)
{
  g_return_val_if_fail (CMG_IS_ENV_FILE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);
  return g_hash_table_lookup (self->by_key, key);
}

const char * const *
cmg_env_file_get_warnings (CmgEnvFile *self)
{
  g_return_val_if_fail (CMG_IS_ENV_FILE (self), NULL);
  return (const char * const *)self->warnings->pdata;
}
