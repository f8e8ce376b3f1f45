/* cmg-json-scan.c: strict JSON (RFC 8259) scanning with events. */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "cmg-json-scan.h"

typedef struct
{
  const char          *p;
  const char          *end;
  const char          *start;
  gboolean             check_utf8;
  const CmgJsonEvents *ev;
  gpointer             data;
  CmgJsonProblem       problem;
  guint                depth;
} Scanner;

#define FAIL(s, what) G_STMT_START { (s)->problem = (what); return FALSE; } G_STMT_END
#define EMIT(s, call) G_STMT_START { if (!(call)) FAIL (s, CMG_JSON_ABORTED); } G_STMT_END

static inline void
skip_ws (Scanner *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static inline int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

static gboolean
read_hex4 (const char *p, const char *end, guint *out)
{
  guint v = 0;

  if (end - p < 4)
    return FALSE;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);
      if (h < 0)
        return FALSE;
      v = (v << 4) | (guint) h;
    }
  *out = v;
  return TRUE;
}

/* On entry s->p is just past the opening quote. */
static gboolean
scan_string (Scanner     *s,
             const char **raw,
             gsize       *length,
             gboolean    *has_escapes)
{
  const char *begin = s->p;
  gboolean escapes = FALSE;
  gboolean high_bytes = FALSE;

  for (;;)
    {
      guchar c;

      if (s->p >= s->end)
        FAIL (s, CMG_JSON_SYNTAX);
      c = (guchar) *s->p;
      if (c == '"')
        break;
      if (c < 0x20)
        FAIL (s, CMG_JSON_SYNTAX);
      if (c >= 0x80)
        high_bytes = TRUE;
      if (c != '\\')
        {
          s->p++;
          continue;
        }
      escapes = TRUE;
      s->p++;
      if (s->p >= s->end)
        FAIL (s, CMG_JSON_SYNTAX);
      switch (*s->p)
        {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
          s->p++;
          break;
        case 'u':
          {
            guint u;

            if (!read_hex4 (s->p + 1, s->end, &u))
              FAIL (s, CMG_JSON_SYNTAX);
            s->p += 5;
            if (u >= 0xDC00 && u <= 0xDFFF)
              FAIL (s, CMG_JSON_BAD_UTF8);
            if (u >= 0xD800 && u <= 0xDBFF)
              {
                guint lo;

                /* A high surrogate must be followed by a low one, or the text is not Unicode. */
                if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
                    !read_hex4 (s->p + 2, s->end, &lo) || lo < 0xDC00 || lo > 0xDFFF)
                  FAIL (s, CMG_JSON_BAD_UTF8);
                s->p += 6;
              }
          }
          break;
        default:
          FAIL (s, CMG_JSON_SYNTAX);
        }
    }

  if (high_bytes && s->check_utf8 && !g_utf8_validate_len (begin, s->p - begin, NULL))
    FAIL (s, CMG_JSON_BAD_UTF8);

  *raw = begin;
  *length = s->p - begin;
  *has_escapes = escapes;
  s->p++;
  return TRUE;
}

static gboolean
scan_number (Scanner *s)
{
  const char *begin = s->p;
  gboolean negative = FALSE;
  gboolean is_float = FALSE;
  guint64 magnitude = 0;
  gboolean overflow = FALSE;

  if (*s->p == '-')
    {
      negative = TRUE;
      s->p++;
    }
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    FAIL (s, CMG_JSON_SYNTAX);
  if (*s->p == '0')
    s->p++;
  else
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      {
        guint d = *s->p - '0';
        if (magnitude > (G_MAXUINT64 - d) / 10)
          overflow = TRUE;
        else
          magnitude = magnitude * 10 + d;
        s->p++;
      }
  if (s->p < s->end && *s->p == '.')
    {
      is_float = TRUE;
      s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        FAIL (s, CMG_JSON_SYNTAX);
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      is_float = TRUE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        FAIL (s, CMG_JSON_SYNTAX);
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }

  if (!is_float)
    {
      gint64 value;

      /* Exact Int64: the magnitude never went through a double. */
      if (overflow)
        FAIL (s, CMG_JSON_BAD_NUMBER);
      if (negative)
        {
          if (magnitude > (guint64) G_MAXINT64 + 1)
            FAIL (s, CMG_JSON_BAD_NUMBER);
          value = magnitude == (guint64) G_MAXINT64 + 1 ? G_MININT64 : -(gint64) magnitude;
        }
      else
        {
          if (magnitude > (guint64) G_MAXINT64)
            FAIL (s, CMG_JSON_BAD_NUMBER);
          value = (gint64) magnitude;
        }
      if (s->ev->integer)
        EMIT (s, s->ev->integer (value, s->data));
      return TRUE;
    }

  if (s->ev->floating)
    {
      gsize n = s->p - begin;
      char stack[64];
      g_autofree char *heap = NULL;
      char *buf = stack;
      double value;

      if (n >= sizeof stack)
        buf = heap = g_malloc (n + 1);
      memcpy (buf, begin, n);
      buf[n] = '\0';
      value = g_ascii_strtod (buf, NULL);
      if (isinf (value))
        FAIL (s, CMG_JSON_BAD_NUMBER);
      EMIT (s, s->ev->floating (value, s->data));
    }
  return TRUE;
}

static gboolean
match_word (Scanner *s, const char *word, gsize n)
{
  if ((gsize) (s->end - s->p) < n || memcmp (s->p, word, n) != 0)
    FAIL (s, CMG_JSON_SYNTAX);
  s->p += n;
  return TRUE;
}

static gboolean scan_value (Scanner *s);

/* After a member or an element: a ',' (*more) or the container's closing character, and past it. */
static inline gboolean
scan_separator (Scanner  *s,
                char      close,
                gboolean *more)
{
  skip_ws (s);
  if (s->p >= s->end)
    FAIL (s, CMG_JSON_SYNTAX);
  if (*s->p != ',' && *s->p != close)
    FAIL (s, CMG_JSON_SYNTAX);
  *more = *s->p == ',';
  s->p++;
  return TRUE;
}

static gboolean
scan_object (Scanner *s)
{
  if (s->ev->begin_object)
    EMIT (s, s->ev->begin_object (s->data));
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == '}')
    {
      s->p++;
      goto done;
    }
  for (;;)
    {
      const char *raw;
      gsize len;
      gboolean esc;
      gboolean more;

      skip_ws (s);
      if (s->p >= s->end || *s->p != '"')
        FAIL (s, CMG_JSON_SYNTAX);
      s->p++;
      if (!scan_string (s, &raw, &len, &esc))
        return FALSE;
      if (s->ev->key)
        EMIT (s, s->ev->key (raw, len, esc, s->data));
      skip_ws (s);
      if (s->p >= s->end || *s->p != ':')
        FAIL (s, CMG_JSON_SYNTAX);
      s->p++;
      if (!scan_value (s) || !scan_separator (s, '}', &more))
        return FALSE;
      if (!more)
        break;
    }
done:
  if (s->ev->end_object)
    EMIT (s, s->ev->end_object (s->data));
  return TRUE;
}

static gboolean
scan_array (Scanner *s)
{
  if (s->ev->begin_array)
    EMIT (s, s->ev->begin_array (s->data));
  s->p++;
  skip_ws (s);
  if (s->p < s->end && *s->p == ']')
    {
      s->p++;
      goto done;
    }
  for (;;)
    {
      gboolean more;

      if (!scan_value (s) || !scan_separator (s, ']', &more))
        return FALSE;
      if (!more)
        break;
    }
done:
  if (s->ev->end_array)
    EMIT (s, s->ev->end_array (s->data));
  return TRUE;
}

static gboolean
scan_value (Scanner *s)
{
  skip_ws (s);
  if (s->p >= s->end)
    FAIL (s, CMG_JSON_SYNTAX);

  switch (*s->p)
    {
    case '{':
    case '[':
      {
        gboolean ok;

        if (s->depth >= CMG_JSON_MAX_DEPTH)
          FAIL (s, CMG_JSON_TOO_DEEP);
        s->depth++;
        ok = *s->p == '{' ? scan_object (s) : scan_array (s);
        s->depth--;
        return ok;
      }
    case '"':
      {
        const char *raw;
        gsize len;
        gboolean esc;

        s->p++;
        if (!scan_string (s, &raw, &len, &esc))
          return FALSE;
        if (s->ev->string)
          EMIT (s, s->ev->string (raw, len, esc, s->data));
        return TRUE;
      }
    case 't':
      if (!match_word (s, "true", 4))
        return FALSE;
      if (s->ev->boolean)
        EMIT (s, s->ev->boolean (TRUE, s->data));
      return TRUE;
    case 'f':
      if (!match_word (s, "false", 5))
        return FALSE;
      if (s->ev->boolean)
        EMIT (s, s->ev->boolean (FALSE, s->data));
      return TRUE;
    case 'n':
      if (!match_word (s, "null", 4))
        return FALSE;
      if (s->ev->null)
        EMIT (s, s->ev->null (s->data));
      return TRUE;
    default:
      return scan_number (s);
    }
}

gboolean
cmg_json_scan (const char          *text,
               gsize                length,
               gboolean             check_utf8,
               const CmgJsonEvents *events,
               gpointer             user_data,
               CmgJsonProblem      *problem,
               gsize               *offset)
{
  static const CmgJsonEvents no_events = { 0 };
  Scanner s = {
    .p = text, .end = text + length, .start = text, .check_utf8 = check_utf8,
    .ev = events ? events : &no_events, .data = user_data, .problem = CMG_JSON_SYNTAX,
  };
  gboolean ok;

  ok = scan_value (&s);
  if (ok)
    {
      skip_ws (&s);
      if (s.p != s.end)
        {
          s.problem = CMG_JSON_SYNTAX;
          ok = FALSE;
        }
    }
  if (!ok)
    {
      if (problem)
        *problem = s.problem;
      if (offset)
        *offset = s.p - text;
    }
  return ok;
}

static void
append_utf8 (GString *out, gunichar c)
{
  char buf[6];
  int n = g_unichar_to_utf8 (c, buf);
  g_string_append_len (out, buf, n);
}

char *
cmg_json_unescape (const char *raw,
                   gsize       length,
                   gsize      *out_length)
{
  GString *out = g_string_sized_new (length);
  const char *p = raw;
  const char *end = raw + length;

  while (p < end)
    {
      const char *bs = memchr (p, '\\', end - p);
      guint u, lo;

      if (bs == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, bs - p);
      p = bs + 1;
      if (p >= end)
        break;
      switch (*p)
        {
        case 'b': g_string_append_c (out, '\b'); p++; break;
        case 'f': g_string_append_c (out, '\f'); p++; break;
        case 'n': g_string_append_c (out, '\n'); p++; break;
        case 'r': g_string_append_c (out, '\r'); p++; break;
        case 't': g_string_append_c (out, '\t'); p++; break;
        case 'u':
          if (!read_hex4 (p + 1, end, &u))
            {
              p++;
              break;
            }
          p += 5;
          if (u >= 0xD800 && u <= 0xDBFF && end - p >= 6 && p[0] == '\\' && p[1] == 'u' &&
              read_hex4 (p + 2, end, &lo))
            {
              u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
              p += 6;
            }
          append_utf8 (out, u);
          break;
        default:
          g_string_append_c (out, *p);
          p++;
          break;
        }
    }

  if (out_length)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

void
cmg_json_append_string (GString    *out,
                        const char *text,
                        gsize       length)
{
  static const char hex[] = "0123456789abcdef";

  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      guchar c = (guchar) text[i];

      switch (c)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            {
              g_string_append (out, "\\u00");
              g_string_append_c (out, hex[c >> 4]);
              g_string_append_c (out, hex[c & 0xf]);
            }
          else
            g_string_append_c (out, (char) c);
        }
    }
  g_string_append_c (out, '"');
}

const char *
cmg_json_problem_to_string (CmgJsonProblem problem)
{
  switch (problem)
    {
    case CMG_JSON_SYNTAX:
      return _("This is not valid JSON");
    case CMG_JSON_TOO_DEEP:
      return _("Values are nested too deeply (more than 64 levels)");
    case CMG_JSON_BAD_UTF8:
      return _("A string is not valid Unicode text");
    case CMG_JSON_BAD_NUMBER:
      return _("A number is too large: integers must fit in 64 bits");
    case CMG_JSON_ABORTED:
    default:
      return _("The value was not read completely");
    }
}
