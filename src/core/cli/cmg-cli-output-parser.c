/* cmg-cli-output-parser.c: see cmg-cli-output-parser.h. The patterns are those of convex-facts
 * §3, checked against the convex 1.48 CLI's own sources and its captured output. */
#include "config.h"

#include <string.h>

#include "cmg-cli-output-parser.h"

/* A runaway failure message is cut: the log keeps every line anyway. */
#define MAX_DETAIL_LINES 64

typedef enum {
  STATE_NORMAL,
  STATE_FAILURE,   /* collecting the server's message under a `✖` line */
  STATE_SUMMARY,   /* inside `Import change summary:` */
} ParserState;

struct _CmgCliOutputParser
{
  GObject       parent_instance;

  ParserState   state;
  CmgCliEvent  *pending;       /* the failure or summary being collected */
  GString      *detail;
  guint         detail_lines;
  gboolean      detail_blank;  /* the blank line right after `✖` was seen */
  char         *component;     /* current `Component <path>` header of the summary */

  char         *prompt;        /* question waiting for an answer */
  char         *last_partial;
  gboolean      last_partial_complete;
  char         *last_spinner_step;
  gboolean      import_announced;
  gboolean      bad_key_seen;
  gboolean      finished;
};

G_DEFINE_FINAL_TYPE (CmgCliOutputParser, cmg_cli_output_parser, G_TYPE_OBJECT)

static void
cmg_cli_output_parser_finalize (GObject *object)
{
  CmgCliOutputParser *self = (CmgCliOutputParser *)object;

  g_clear_object (&self->pending);
  g_string_free (self->detail, TRUE);
  g_clear_pointer (&self->component, g_free);
  g_clear_pointer (&self->prompt, g_free);
  g_clear_pointer (&self->last_partial, g_free);
  g_clear_pointer (&self->last_spinner_step, g_free);

  G_OBJECT_CLASS (cmg_cli_output_parser_parent_class)->finalize (object);
}

static void
cmg_cli_output_parser_class_init (CmgCliOutputParserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_cli_output_parser_finalize;
}

static void
cmg_cli_output_parser_init (CmgCliOutputParser *self)
{
  self->detail = g_string_new (NULL);
}

CmgCliOutputParser *
cmg_cli_output_parser_new (void)
{
  return g_object_new (CMG_TYPE_CLI_OUTPUT_PARSER, NULL);
}

GPtrArray *
cmg_cli_events_new (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

gboolean
cmg_cli_output_parser_get_import_announced (CmgCliOutputParser *self)
{
  g_return_val_if_fail (CMG_IS_CLI_OUTPUT_PARSER (self), FALSE);
  return self->import_announced;
}

const char *
cmg_cli_output_parser_get_pending_prompt (CmgCliOutputParser *self)
{
  g_return_val_if_fail (CMG_IS_CLI_OUTPUT_PARSER (self), NULL);
  return self->prompt;
}

/* --- small text helpers --- */

typedef enum {
  MARK_NONE,
  MARK_STEP,     /* `- ` */
  MARK_DONE,     /* `✔ ` (`√ ` where the terminal lacks Unicode) */
  MARK_FAIL,     /* `✖ ` (`× `) */
  MARK_WARN,     /* `⚠ ` (`‼ `) */
  MARK_INFO,     /* `ℹ ` */
  MARK_SPINNER,  /* a braille spinner frame */
  MARK_PROMPT,   /* `? ` */
} Marker;

static const char *
skip_spaces (const char *s)
{
  while (*s == ' ' || *s == '\t')
    s++;
  return s;
}

static Marker
split_marker (const char  *line,
              const char **rest)
{
  static const struct { const char *prefix; Marker marker; } markers[] = {
    { "- ", MARK_STEP }, { "✔ ", MARK_DONE }, { "√ ", MARK_DONE }, { "✖ ", MARK_FAIL },
    { "× ", MARK_FAIL }, { "⚠ ", MARK_WARN }, { "‼ ", MARK_WARN }, { "ℹ ", MARK_INFO },
    { "? ", MARK_PROMPT },
  };
  gunichar first;

  for (guint i = 0; i < G_N_ELEMENTS (markers); i++)
    if (g_str_has_prefix (line, markers[i].prefix))
      {
        *rest = skip_spaces (line + strlen (markers[i].prefix));
        return markers[i].marker;
      }

  first = g_utf8_get_char_validated (line, -1);
  if (first >= 0x2800 && first <= 0x28ff && first != (gunichar)-1 && first != (gunichar)-2)
    {
      const char *after = g_utf8_next_char (line);

      if (*after == ' ')
        {
          *rest = skip_spaces (after);
          return MARK_SPINNER;
        }
    }

  *rest = line;
  return MARK_NONE;
}

/* "100,000" → 100000; -1 when there is no digit. Stops at the first other character. */
static gint64
parse_count (const char  *s,
             const char **end)
{
  gint64 value = 0;
  gboolean digits = FALSE;

  s = skip_spaces (s);
  for (; *s; s++)
    {
      if (*s >= '0' && *s <= '9')
        {
          digits = TRUE;
          if (value < G_MAXINT64 / 10 - 10)
            value = value * 10 + (*s - '0');
        }
      else if ((*s == ',' || *s == '_') && digits && s[1] >= '0' && s[1] <= '9')
        continue;
      else
        break;
    }

  if (end)
    *end = s;
  return digits ? value : -1;
}

/* The first http(s) URL in `text`, without a sentence's closing punctuation. */
static char *
find_url (const char *text)
{
  const char *start = strstr (text, "https://");
  const char *end;

  if (start == NULL)
    start = strstr (text, "http://");
  if (start == NULL)
    return NULL;

  for (end = start; *end && *end != ' ' && *end != '\t' && *end != '"' && *end != '\''; end++)
    ;
  while (end > start && strchr (".,;:)", end[-1]) != NULL)
    end--;

  return g_strndup (start, end - start);
}

static void
emit (GPtrArray   *events,
      CmgCliEvent *event)
{
  g_ptr_array_add (events, event);
}

/* --- failure and summary collection --- */

static void
end_collection (CmgCliOutputParser *self,
                GPtrArray          *events)
{
  if (self->pending == NULL)
    {
      self->state = STATE_NORMAL;
      return;
    }

  if (self->state == STATE_FAILURE && self->detail->len > 0)
    cmg_cli_event_set_detail (self->pending, self->detail->str);

  emit (events, g_steal_pointer (&self->pending));
  g_string_truncate (self->detail, 0);
  self->detail_lines = 0;
  self->detail_blank = FALSE;
  g_clear_pointer (&self->component, g_free);
  self->state = STATE_NORMAL;
}

static gboolean
summary_line (CmgCliOutputParser *self,
              const char         *line)
{
  const char *s = skip_spaces (line);
  g_auto(GStrv) cells = NULL;
  g_autoptr(CmgCliChangeRow) row = NULL;
  const char *rest;
  guint n_cells;

  if (*s == '\0')
    return TRUE;

  if (g_str_has_prefix (s, "Once the import has started"))
    {
      self->import_announced = TRUE;
      return FALSE;
    }

  if (strspn (s, "-=+|") == strlen (s))
    return TRUE;

  if (g_str_has_prefix (s, "Component ") && strchr (s, '|') == NULL)
    {
      g_autofree char *path = g_strstrip (g_strdup (s + strlen ("Component ")));
      gsize len = strlen (path);

      if (len > 0 && path[len - 1] == ':')
        path[len - 1] = '\0';
      g_free (self->component);
      self->component = g_strdup (g_strstrip (path));
      return TRUE;
    }

  if (strchr (s, '|') == NULL)
    return FALSE;

  cells = g_strsplit (s, "|", 0);
  for (n_cells = 0; cells[n_cells]; n_cells++)
    g_strstrip (cells[n_cells]);
  if (n_cells < 2 || cells[0][0] == '\0')
    return FALSE;

  /* The header row */
  if (g_str_equal (cells[0], "table") || g_str_equal (cells[0], "component"))
    return TRUE;

  row = g_new0 (CmgCliChangeRow, 1);
  row->component = g_strdup (self->component);
  row->table = g_strdup (cells[0]);
  row->create = parse_count (cells[1], NULL);
  row->delete = -1;
  row->of = -1;

  if (n_cells > 2 && cells[2][0] != '\0')
    {
      row->delete = parse_count (cells[2], &rest);
      rest = skip_spaces (rest);
      if (g_str_has_prefix (rest, "of "))
        row->of = parse_count (rest + 3, &rest);
      rest = skip_spaces (rest);
      if (*rest != '\0')
        row->unit = g_strdup (rest);
    }

  cmg_cli_event_take_row (self->pending, g_steal_pointer (&row));
  return TRUE;
}

/* Returns TRUE when the line belongs to the failure being collected. */
static gboolean
failure_line (CmgCliOutputParser *self,
              const char         *line)
{
  const char *rest;
  Marker marker = split_marker (line, &rest);

  if (marker != MARK_NONE)
    return FALSE;

  if (*skip_spaces (line) == '\0')
    {
      /* `✖ … failed`, a blank line, the server's message, a blank line. */
      if (self->detail_lines == 0 && !self->detail_blank)
        {
          self->detail_blank = TRUE;
          return TRUE;
        }
      return FALSE;
    }

  if (g_str_has_prefix (line, "Import change summary:") || strstr (line, "Retrying request (attempt") != NULL)
    return FALSE;

  if (self->detail_lines >= MAX_DETAIL_LINES)
    return TRUE;

  if (self->detail->len > 0)
    g_string_append_c (self->detail, '\n');
  g_string_append (self->detail, line);
  self->detail_lines++;
  return TRUE;
}

/* --- single lines --- */

static char *
prompt_question (const char *rest)
{
  const char *paren = strstr (rest, " (");
  g_autofree char *question = paren ? g_strndup (rest, paren - rest) : g_strdup (rest);

  return g_strdup (g_strstrip (question));
}

static void
check_bad_key (CmgCliOutputParser *self,
               const char         *line,
               GPtrArray          *events)
{
  if (self->bad_key_seen)
    return;

  /* Cloud deploy keys fail with the code, self-hosted admin keys with a sentence. */
  if (strstr (line, "BadDeployKey") != NULL || strstr (line, "BadAdminKey") != NULL ||
      strstr (line, "admin key was invalid") != NULL || strstr (line, "deploy key was invalid") != NULL)
    {
      self->bad_key_seen = TRUE;
      emit (events, cmg_cli_event_new (CMG_CLI_EVENT_BAD_KEY, line));
    }
}

static void
progress_from (const char *text,
               GPtrArray  *events)
{
  const char *s;
  gint64 count;

  /* `Imported "t" (3 documents)` (a checkpoint of the server) */
  if (g_str_has_prefix (text, "Imported \""))
    {
      const char *name = text + strlen ("Imported \"");
      const char *close = strstr (name, "\" (");

      if (close != NULL && (count = parse_count (close + 3, NULL)) >= 0)
        {
          g_autofree char *table = g_strndup (name, close - name);
          CmgCliEvent *event = cmg_cli_event_new (CMG_CLI_EVENT_PROGRESS, text);

          cmg_cli_event_set_progress (event, table, count);
          emit (events, event);
        }
      return;
    }

  /* `Added 3 documents to table "t".`, `Added 3 documents.` */
  if (g_str_has_prefix (text, "Added ") && (count = parse_count (text + 6, &s)) >= 0)
    {
      CmgCliEvent *event = cmg_cli_event_new (CMG_CLI_EVENT_PROGRESS, text);
      const char *table = strstr (s, "to table \"");
      g_autofree char *name = NULL;

      if (table != NULL)
        {
          const char *close;

          table += strlen ("to table \"");
          close = strchr (table, '"');
          if (close != NULL)
            name = g_strndup (table, close - table);
        }

      cmg_cli_event_set_progress (event, name, count);
      emit (events, event);
    }
}

static void
failure_from (CmgCliOutputParser *self,
              const char         *text,
              GPtrArray          *events)
{
  if (g_str_has_prefix (text, "WARNING: Import is continuing to run on the server") ||
      g_str_has_prefix (text, "WARNING: Export is continuing to run on the server"))
    {
      CmgCliEvent *event = cmg_cli_event_new (CMG_CLI_EVENT_CONTINUES_ON_SERVER, text);
      g_autofree char *url = find_url (text);

      cmg_cli_event_set_url (event, url);
      emit (events, event);
      return;
    }

  if (g_str_has_prefix (text, "A snapshot export is already requested or in progress"))
    {
      emit (events, cmg_cli_event_new (CMG_CLI_EVENT_EXPORT_BUSY, text));
      return;
    }

  self->pending = cmg_cli_event_new (CMG_CLI_EVENT_FAILURE, text);
  self->state = STATE_FAILURE;
}

static void
normal_line (CmgCliOutputParser *self,
             const char         *line,
             GPtrArray          *events)
{
  const char *rest;
  const char *retry;
  Marker marker = split_marker (line, &rest);

  if ((retry = strstr (line, "Retrying request (attempt ")) != NULL)
    {
      const char *s;
      gint64 attempt = parse_count (retry + strlen ("Retrying request (attempt "), &s);
      gint64 max = *s == '/' ? parse_count (s + 1, NULL) : -1;
      CmgCliEvent *event = cmg_cli_event_new (CMG_CLI_EVENT_RETRY, skip_spaces (retry));

      cmg_cli_event_set_retry (event, (guint)CLAMP (attempt, 0, G_MAXUINT),
                               (guint)CLAMP (max, 0, G_MAXUINT));
      emit (events, event);
      return;
    }

  switch (marker)
    {
    case MARK_STEP:
    case MARK_SPINNER:
      if (*rest != '\0' && g_strcmp0 (rest, self->last_spinner_step) != 0)
        {
          emit (events, cmg_cli_event_new (CMG_CLI_EVENT_STEP_STARTED, rest));
          g_free (self->last_spinner_step);
          self->last_spinner_step = g_strdup (rest);
        }
      return;

    case MARK_DONE:
      g_clear_pointer (&self->last_spinner_step, g_free);
      emit (events, cmg_cli_event_new (CMG_CLI_EVENT_STEP_DONE, rest));
      progress_from (rest, events);
      return;

    case MARK_FAIL:
      g_clear_pointer (&self->last_spinner_step, g_free);
      failure_from (self, rest, events);
      return;

    case MARK_WARN:
      emit (events, cmg_cli_event_new (CMG_CLI_EVENT_WARNING, rest));
      return;

    case MARK_PROMPT:
      {
        g_autofree char *question = prompt_question (rest);

        if (*question != '\0' && g_strcmp0 (question, self->prompt) != 0)
          {
            emit (events, cmg_cli_event_new (CMG_CLI_EVENT_PROMPT, question));
            g_free (self->prompt);
            self->prompt = g_steal_pointer (&question);
          }
      }
      return;

    case MARK_INFO:
    case MARK_NONE:
    default:
      break;
    }

  if (g_str_has_prefix (line, "Import change summary:"))
    {
      self->pending = cmg_cli_event_new (CMG_CLI_EVENT_CHANGE_SUMMARY, "Import change summary");
      self->state = STATE_SUMMARY;
      return;
    }

  if (g_str_has_prefix (line, "Once the import has started"))
    {
      self->import_announced = TRUE;
      return;
    }

  if (g_str_has_prefix (line, "There is already a snapshot import in progress"))
    {
      CmgCliEvent *event = cmg_cli_event_new (CMG_CLI_EVENT_IMPORT_IN_PROGRESS, line);
      g_autofree char *url = find_url (line);

      cmg_cli_event_set_url (event, url);
      emit (events, event);
      return;
    }

  if (g_ascii_strncasecmp (line, "Warning:", 8) == 0)
    {
      emit (events, cmg_cli_event_new (CMG_CLI_EVENT_WARNING, line));
      return;
    }
}

static void
parse_line (CmgCliOutputParser *self,
            const char         *line,
            GPtrArray          *events)
{
  if (self->state == STATE_SUMMARY)
    {
      if (summary_line (self, line))
        return;
      end_collection (self, events);
    }
  else if (self->state == STATE_FAILURE)
    {
      if (failure_line (self, line))
        return;
      end_collection (self, events);
    }

  normal_line (self, line, events);
}

void
cmg_cli_output_parser_feed_line (CmgCliOutputParser *self,
                                 const char         *line,
                                 GPtrArray          *events)
{
  g_autofree char *valid = NULL;
  const char *rest;

  g_return_if_fail (CMG_IS_CLI_OUTPUT_PARSER (self));
  g_return_if_fail (line != NULL && events != NULL);

  if (self->finished)
    return;

  if (!g_utf8_validate (line, -1, NULL))
    line = valid = g_utf8_make_valid (line, -1);

  g_clear_pointer (&self->last_partial, g_free);
  check_bad_key (self, line, events);

  /* Any other final line means the prompt was answered (or abandoned). */
  if (self->prompt != NULL && *skip_spaces (line) != '\0')
    {
      if (split_marker (line, &rest) == MARK_PROMPT)
        {
          g_autofree char *question = prompt_question (rest);

          if (g_strcmp0 (question, self->prompt) == 0)
            return;
        }
      g_clear_pointer (&self->prompt, g_free);
    }

  parse_line (self, line, events);
}

static gboolean
has_confirm_choices (const char *line)
{
  return strstr (line, "(Y/n)") != NULL || strstr (line, "(y/N)") != NULL || strstr (line, "(y/n)") != NULL;
}

void
cmg_cli_output_parser_feed_partial (CmgCliOutputParser *self,
                                    const char         *line,
                                    gboolean            complete,
                                    GPtrArray          *events)
{
  g_autofree char *valid = NULL;
  const char *rest;
  Marker marker;

  g_return_if_fail (CMG_IS_CLI_OUTPUT_PARSER (self));
  g_return_if_fail (events != NULL);

  if (self->finished || line == NULL ||
      (g_strcmp0 (line, self->last_partial) == 0 && !complete == !self->last_partial_complete))
    return;

  if (!g_utf8_validate (line, -1, NULL))
    line = valid = g_utf8_make_valid (line, -1);

  g_free (self->last_partial);
  self->last_partial = g_strdup (line);
  self->last_partial_complete = complete;

  /* Only what waits on the current line matters before it is final: a prompt (which ends the
   * summary shown above it) and the step a spinner shows. Output arrives in arbitrary pieces: a
   * half-written line must not become a truncated question or step. */
  marker = split_marker (line, &rest);
  if ((marker == MARK_PROMPT && has_confirm_choices (rest)) || (marker == MARK_SPINNER && complete))
    {
      if (self->state != STATE_NORMAL)
        end_collection (self, events);
      normal_line (self, line, events);
    }
}

void
cmg_cli_output_parser_finish (CmgCliOutputParser *self,
                              int                 exit_status,
                              GPtrArray          *events)
{
  CmgCliEvent *event;

  g_return_if_fail (CMG_IS_CLI_OUTPUT_PARSER (self));

  if (self->finished)
    return;

  end_collection (self, events);
  g_clear_pointer (&self->prompt, g_free);
  self->finished = TRUE;

  event = cmg_cli_event_new (CMG_CLI_EVENT_FINISHED, NULL);
  cmg_cli_event_set_exit_status (event, exit_status);
  emit (events, event);
}
