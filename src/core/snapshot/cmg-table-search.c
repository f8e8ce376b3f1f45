/* cmg-table-search.c: see cmg-table-search.h. One pass over the table in a worker thread, from
 * its own handle (memory: the stream's buffers, plus matches waiting for the main context: the
 * worker waits while more than MAX_PENDING are queued, so a slow receiver bounds it). */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cmg-json-scan.h"
#include "cmg-progress-timer.h"
#include "cmg-table-search.h"

#define MAX_PENDING 1024

struct _CmgSearchQuery
{
  CmgSearchKind kind;
  char         *text;       /* TEXT: lower-cased needle */
  gsize         text_len;
  char         *field;      /* FIELD_EQUALS */
  char         *quoted;     /* "\"field\"": a cheap pre-filter before parsing */
  JsonNode     *value;
};

CmgSearchQuery *
cmg_search_query_new_text (const char *text)
{
  CmgSearchQuery *q = g_new0 (CmgSearchQuery, 1);

  q->kind = CMG_SEARCH_TEXT;
  q->text = g_ascii_strdown (text, -1);
  q->text_len = strlen (q->text);
  return q;
}

CmgSearchQuery *
cmg_search_query_new_field (const char *field,
                            const char *value)
{
  CmgSearchQuery *q = g_new0 (CmgSearchQuery, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();

  q->kind = CMG_SEARCH_FIELD_EQUALS;
  q->field = g_strdup (field);
  if (strpbrk (field, "\"\\") == NULL)
    q->quoted = g_strdup_printf ("\"%s\"", field);
  if (json_parser_load_from_data (parser, value, -1, NULL) && json_parser_get_root (parser) != NULL)
    q->value = json_node_copy (json_parser_get_root (parser));
  else
    {
      q->value = json_node_new (JSON_NODE_VALUE);
      json_node_set_string (q->value, value);
    }
  return q;
}

CmgSearchQuery *
cmg_search_query_parse (const char *text)
{
  const char *eq = strstr (text, "==");
  g_autofree char *field = NULL;
  g_autofree char *value = NULL;

  if (eq == NULL)
    return cmg_search_query_new_text (text);
  field = g_strstrip (g_strndup (text, (gsize) (eq - text)));
  value = g_strstrip (g_strdup (eq + 2));
  if (*field == '\0' || strpbrk (field, " \t\"{}[],:") != NULL)
    return cmg_search_query_new_text (text);
  return cmg_search_query_new_field (field, value);
}

void
cmg_search_query_free (CmgSearchQuery *query)
{
  if (query == NULL)
    return;
  g_free (query->text);
  g_free (query->field);
  g_free (query->quoted);
  g_clear_pointer (&query->value, json_node_unref);
  g_free (query);
}

static CmgSearchQuery *
query_copy (const CmgSearchQuery *query)
{
  CmgSearchQuery *q = g_new0 (CmgSearchQuery, 1);

  *q = *query;
  q->text = g_strdup (query->text);
  q->field = g_strdup (query->field);
  q->quoted = g_strdup (query->quoted);
  q->value = query->value != NULL ? json_node_copy (query->value) : NULL;
  return q;
}

CmgSearchKind
cmg_search_query_get_kind (const CmgSearchQuery *query)
{
  return query->kind;
}

static gboolean
ascii_case_contains (const char *hay,
                     gsize       hay_len,
                     const char *needle,  /* lower case */
                     gsize       needle_len)
{
  const char *p = hay, *end = hay + hay_len;
  char first_lower, first_upper;

  if (needle_len == 0)
    return TRUE;
  first_lower = needle[0];
  first_upper = g_ascii_toupper (first_lower);
  if (first_lower == first_upper)
    {
      /* No case to fold on the first byte: memchr finds candidates fast. */
      while (p + needle_len <= end && (p = memchr (p, first_lower, (gsize) (end - p))) != NULL)
        {
          if (p + needle_len <= end && g_ascii_strncasecmp (p, needle, needle_len) == 0)
            return TRUE;
          p++;
        }
      return FALSE;
    }
  for (; p + needle_len <= end; p++)
    if ((*p == first_lower || *p == first_upper) && g_ascii_strncasecmp (p, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

/* Scalar values are compared while scanning, without building a tree (search speed). */
typedef struct
{
  const CmgSearchQuery *query;
  guint                 depth;
  gboolean              pending;  /* the last top-level key was the field */
  gboolean              matched;
} Scan;

static gboolean
scan_begin (gpointer user_data)
{
  Scan *scan = user_data;

  /* An object or array as the field's value never equals a scalar. */
  if (scan->pending)
    return FALSE;
  scan->depth++;
  return TRUE;
}

static gboolean
scan_end (gpointer user_data)
{
  ((Scan *) user_data)->depth--;
  return TRUE;
}

static gboolean
scan_key (const char *raw,
          gsize       length,
          gboolean    has_escapes,
          gpointer    user_data)
{
  Scan *scan = user_data;
  const char *field = scan->query->field;

  if (scan->depth != 1)
    return TRUE;
  if (has_escapes)
    {
      gsize n = 0;
      g_autofree char *key = cmg_json_unescape (raw, length, &n);
      scan->pending = n == strlen (field) && memcmp (key, field, n) == 0;
    }
  else
    scan->pending = length == strlen (field) && memcmp (raw, field, length) == 0;
  return TRUE;
}

/* Called for every scalar; only the one right after the field's key decides. */
#define SCALAR_DECIDES(scan) \
  if (!(scan)->pending || (scan)->depth != 1) \
    return TRUE;

static gboolean
scan_string (const char *raw,
             gsize       length,
             gboolean    has_escapes,
             gpointer    user_data)
{
  Scan *scan = user_data;
  JsonNode *v = scan->query->value;
  const char *want;

  SCALAR_DECIDES (scan);
  if (json_node_get_value_type (v) != G_TYPE_STRING)
    return FALSE;
  want = json_node_get_string (v);
  if (has_escapes)
    {
      gsize n = 0;
      g_autofree char *text = cmg_json_unescape (raw, length, &n);
      scan->matched = n == strlen (want) && memcmp (text, want, n) == 0;
    }
  else
    scan->matched = length == strlen (want) && memcmp (raw, want, length) == 0;
  return FALSE;
}

static gboolean
scan_integer (gint64   value,
              gpointer user_data)
{
  Scan *scan = user_data;
  JsonNode *v = scan->query->value;

  SCALAR_DECIDES (scan);
  scan->matched = json_node_get_value_type (v) == G_TYPE_INT64 && json_node_get_int (v) == value;
  return FALSE;
}

static gboolean
scan_floating (double   value,
               gpointer user_data)
{
  Scan *scan = user_data;
  JsonNode *v = scan->query->value;

  SCALAR_DECIDES (scan);
  scan->matched = json_node_get_value_type (v) == G_TYPE_DOUBLE && json_node_get_double (v) == value;
  return FALSE;
}

static gboolean
scan_boolean (gboolean value,
              gpointer user_data)
{
  Scan *scan = user_data;
  JsonNode *v = scan->query->value;

  SCALAR_DECIDES (scan);
  scan->matched = json_node_get_value_type (v) == G_TYPE_BOOLEAN
                  && !json_node_get_boolean (v) == !value;
  return FALSE;
}

static gboolean
scan_null (gpointer user_data)
{
  Scan *scan = user_data;

  SCALAR_DECIDES (scan);
  scan->matched = JSON_NODE_HOLDS_NULL (scan->query->value);
  return FALSE;
}

static const CmgJsonEvents scan_events = {
  .begin_object = scan_begin,
  .end_object = scan_end,
  .begin_array = scan_begin,
  .end_array = scan_end,
  .key = scan_key,
  .string = scan_string,
  .integer = scan_integer,
  .floating = scan_floating,
  .boolean = scan_boolean,
  .null = scan_null,
};

gboolean
cmg_search_query_matches (const CmgSearchQuery *query,
                          const char           *line,
                          gsize                 length)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonNode *root, *member;

  if (query->kind == CMG_SEARCH_TEXT)
    return ascii_case_contains (line, length, query->text, query->text_len);

  if (query->quoted != NULL && memmem (line, length, query->quoted, strlen (query->quoted)) == NULL)
    return FALSE;

  if (JSON_NODE_HOLDS_VALUE (query->value) || JSON_NODE_HOLDS_NULL (query->value))
    {
      Scan scan = { query, 0, FALSE, FALSE };

      cmg_json_scan (line, length, TRUE, &scan_events, &scan, NULL, NULL);
      return scan.matched;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, line, (gssize) length, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  member = json_object_get_member (json_node_get_object (root), query->field);
  return member != NULL && json_node_equal (member, query->value);
}

/* ---- the async search ------------------------------------------------------------------- */

typedef struct
{
  guint64 row;
  char   *line;
  gsize   length;
} Match;

typedef struct
{
  CmgSnapshot             *snapshot;
  CmgTable                *table;
  CmgSearchQuery          *query;
  guint                    max_matches;
  CmgSearchMatchFunc       match;
  CmgSnapshotProgressFunc  progress;
  gpointer                 data;
  GDestroyNotify           data_destroy;
  GCancellable            *cancellable;
  GMainContext            *context;
  GSource                 *timer;
  guint64                  done_bytes;
  guint64                  n_matches;
  gboolean                 skip_header;

  GMutex                   lock;
  GCond                    drained;
  GQueue                   pending;     /* Match* */
  gboolean                 drain_queued;
} Search;

static void
match_free (Match *m)
{
  g_free (m->line);
  g_free (m);
}

static void
search_free (Search *s)
{
  cmg_progress_timer_stop (&s->timer);
  if (s->data_destroy != NULL)
    s->data_destroy (s->data);
  g_queue_clear_full (&s->pending, (GDestroyNotify) match_free);
  g_clear_object (&s->snapshot);
  g_clear_object (&s->table);
  g_clear_object (&s->cancellable);
  g_clear_pointer (&s->query, cmg_search_query_free);
  g_clear_pointer (&s->context, g_main_context_unref);
  g_mutex_clear (&s->lock);
  g_cond_clear (&s->drained);
  g_free (s);
}

/* Runs in the caller's context. */
static void
drain (Search *s)
{
  Match *m;

  for (;;)
    {
      g_mutex_lock (&s->lock);
      m = g_queue_pop_head (&s->pending);
      if (m == NULL)
        s->drain_queued = FALSE;
      g_cond_broadcast (&s->drained);
      g_mutex_unlock (&s->lock);
      if (m == NULL)
        break;
      if (s->match != NULL && !g_cancellable_is_cancelled (s->cancellable))
        s->match (m->row, m->line, m->length, s->data);
      match_free (m);
    }
}

static gboolean
drain_idle (gpointer user_data)
{
  GTask *task = user_data;

  drain (g_task_get_task_data (task));
  return G_SOURCE_REMOVE;
}

static gboolean
on_line (const char *line,
         gsize       length,
         gboolean    truncated,
         guint64     line_number,
         gpointer    user_data)
{
  GTask *task = user_data;
  Search *s = g_task_get_task_data (task);
  Match *m;

  if (s->skip_header && line_number == 1)
    return TRUE;
  if (!cmg_search_query_matches (s->query, line, length))
    return TRUE;

  m = g_new (Match, 1);
  m->row = line_number - (s->skip_header ? 2 : 1);
  m->line = g_strndup (line, length);
  m->length = length;
  s->n_matches++;

  g_mutex_lock (&s->lock);
  while (s->pending.length >= MAX_PENDING && !g_cancellable_is_cancelled (s->cancellable))
    g_cond_wait_until (&s->drained, &s->lock, g_get_monotonic_time () + G_TIME_SPAN_SECOND / 10);
  g_queue_push_tail (&s->pending, m);
  if (!s->drain_queued)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      /* Always through a source attached to the caller's context, never invoked here: when no
       * thread owns that context, g_main_context_invoke would run drain() in this worker, which
       * takes s->lock (held now) and would call the match callback off the caller's thread. */
      s->drain_queued = TRUE;
      g_source_set_priority (source, G_PRIORITY_DEFAULT);
      g_source_set_callback (source, drain_idle, g_object_ref (task), g_object_unref);
      g_source_set_static_name (source, "[cmg] table search matches");
      g_source_attach (source, s->context);
    }
  g_mutex_unlock (&s->lock);

  return s->max_matches == 0 || s->n_matches < s->max_matches;
}

static void
search_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Search *s = task_data;
  GError *error = NULL;

  if (cmg_snapshot_read_lines (s->snapshot, cmg_table_get_entry_path (s->table), on_line, task,
                               &s->done_bytes, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static gboolean
report_progress (gpointer user_data)
{
  Search *s = user_data;

  if (s->progress != NULL)
    s->progress (__atomic_load_n (&s->done_bytes, __ATOMIC_RELAXED),
                 cmg_table_get_bytes (s->table), s->data);
  return G_SOURCE_CONTINUE;
}

static void
search_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *outer = user_data;
  Search *s = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  guint64 *count;

  /* Every match reaches the caller before the search reports that it is over. */
  drain (s);
  /* No report after the end (the inner task keeps the search alive until the worker lets go). */
  cmg_progress_timer_stop (&s->timer);
  report_progress (s);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_task_return_error (outer, error);
      g_object_unref (outer);
      return;
    }
  count = g_new (guint64, 1);
  *count = s->n_matches;
  g_task_return_pointer (outer, count, g_free);
  g_object_unref (outer);
}

void
cmg_table_search_async (CmgSnapshot             *snapshot,
                        CmgTable                *table,
                        const CmgSearchQuery    *query,
                        guint                    max_matches,
                        CmgSearchMatchFunc       match,
                        CmgSnapshotProgressFunc  progress,
                        gpointer                 callback_data,
                        GDestroyNotify           callback_data_destroy,
                        GCancellable            *cancellable,
                        GAsyncReadyCallback      callback,
                        gpointer                 user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  Search *s;

  g_return_if_fail (CMG_IS_SNAPSHOT (snapshot));
  g_return_if_fail (CMG_IS_TABLE (table));
  g_return_if_fail (query != NULL);

  s = g_new0 (Search, 1);
  g_mutex_init (&s->lock);
  g_cond_init (&s->drained);
  g_queue_init (&s->pending);
  s->snapshot = g_object_ref (snapshot);
  s->table = g_object_ref (table);
  s->query = query_copy (query);
  s->max_matches = max_matches;
  s->match = match;
  s->progress = progress;
  s->data = callback_data;
  s->data_destroy = callback_data_destroy;
  s->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  s->context = g_main_context_ref_thread_default ();
  s->skip_header = cmg_snapshot_get_kind (snapshot) == CMG_SNAPSHOT_KIND_CSV;
  if (progress != NULL)
    s->timer = cmg_progress_timer_start (s->context, report_progress, s);

  outer = g_task_new (snapshot, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cmg_table_search_async);
  inner = g_task_new (snapshot, cancellable, search_done, g_object_ref (outer));
  g_task_set_task_data (inner, s, (GDestroyNotify) search_free);
  g_task_run_in_thread (inner, search_thread);
}

gboolean
cmg_table_search_finish (CmgSnapshot   *snapshot,
                         GAsyncResult  *result,
                         guint64       *n_matches,
                         GError       **error)
{
  g_autofree guint64 *count = NULL;

  g_return_val_if_fail (g_task_is_valid (result, snapshot), FALSE);
  count = g_task_propagate_pointer (G_TASK (result), error);
  if (count == NULL)
    return FALSE;
  if (n_matches != NULL)
    *n_matches = *count;
  return TRUE;
}
