/* cmg-log-tail.c: see cmg-log-tail.h. */
#include "config.h"

#include <string.h>

#include "cmg-log-tail.h"

#define READ_CHUNK (64 * 1024)

struct _CmgLogTail
{
  GObject       parent_instance;

  GFile        *file;
  guint         interval_ms;
  guint         timer_id;
  GCancellable *cancellable;   /* of the read under way; NULL when idle */
  gboolean      again;         /* a poll came while reading: look once more after it */
  guint64       offset;        /* where the next read starts: after the last complete line */
  GString      *partial;       /* bytes read past offset that do not end with '\n' yet */
};

G_DEFINE_FINAL_TYPE (CmgLogTail, cmg_log_tail, G_TYPE_OBJECT)

enum {
  LINES,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  CmgLogTail    *self;        /* strong: a read keeps the tail alive until it ends */
  GCancellable  *cancellable;
  GInputStream  *stream;
} Read;

static void
read_free (Read *read)
{
  g_clear_object (&read->stream);
  g_clear_object (&read->cancellable);
  g_clear_object (&read->self);
  g_free (read);
}

static void read_next (Read *read);

static void
read_done (Read *read)
{
  CmgLogTail *self = read->self;
  gboolean again = self->again && !g_cancellable_is_cancelled (read->cancellable);

  if (self->cancellable == read->cancellable)
    g_clear_object (&self->cancellable);
  if (read->stream != NULL)
    g_input_stream_close_async (read->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  self->again = FALSE;
  if (again)
    cmg_log_tail_poll (self);
  read_free (read);
}

/* Hands over every complete line in partial, keeping the unfinished rest. */
static void
emit_lines (CmgLogTail *self)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  const char *start = self->partial->str;
  const char *end = self->partial->str + self->partial->len;
  const char *newline;
  gsize consumed;

  while ((newline = memchr (start, '\n', (gsize) (end - start))) != NULL)
    {
      g_ptr_array_add (lines, g_utf8_make_valid (start, newline - start));
      start = newline + 1;
    }
  consumed = (gsize) (start - self->partial->str);
  if (consumed == 0)
    return;
  self->offset += consumed;
  g_string_erase (self->partial, 0, (gssize) consumed);
  g_ptr_array_add (lines, NULL);
  g_signal_emit (self, signals[LINES], 0, (const char * const *) lines->pdata, lines->len - 1);
}

static void
bytes_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GBytes) bytes = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, NULL);

  if (bytes == NULL || g_bytes_get_size (bytes) == 0 || g_cancellable_is_cancelled (read->cancellable))
    {
      read_done (read);
      return;
    }
  g_string_append_len (read->self->partial, g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes));
  emit_lines (read->self);
  read_next (read);
}

static void
read_next (Read *read)
{
  g_input_stream_read_bytes_async (read->stream, READ_CHUNK, G_PRIORITY_DEFAULT, read->cancellable,
                                   bytes_read_cb, read);
}

static void
opened_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  Read *read = user_data;
  g_autoptr(GFileInputStream) stream = g_file_read_finish (G_FILE (source), result, NULL);
  CmgLogTail *self = read->self;
  guint64 start = self->offset + self->partial->len;

  /* Not there yet (the run has not written anything) is not an error: look again later. */
  if (stream == NULL || g_cancellable_is_cancelled (read->cancellable))
    {
      read_done (read);
      return;
    }
  read->stream = G_INPUT_STREAM (g_steal_pointer (&stream));
  /* A seek on a local file stream only moves the position; nothing waits here. */
  if (start > 0 && !g_seekable_seek (G_SEEKABLE (read->stream), (goffset) start, G_SEEK_SET,
                                     read->cancellable, NULL))
    {
      read_done (read);
      return;
    }
  read_next (read);
}

void
cmg_log_tail_poll (CmgLogTail *self)
{
  Read *read;

  g_return_if_fail (CMG_IS_LOG_TAIL (self));

  if (self->cancellable != NULL)
    {
      self->again = TRUE;
      return;
    }
  self->cancellable = g_cancellable_new ();
  read = g_new0 (Read, 1);
  read->self = g_object_ref (self);
  read->cancellable = g_object_ref (self->cancellable);
  g_file_read_async (self->file, G_PRIORITY_DEFAULT, read->cancellable, opened_cb, read);
}

static gboolean
timer_cb (gpointer user_data)
{
  cmg_log_tail_poll (CMG_LOG_TAIL (user_data));
  return G_SOURCE_CONTINUE;
}

void
cmg_log_tail_start (CmgLogTail *self)
{
  g_return_if_fail (CMG_IS_LOG_TAIL (self));

  cmg_log_tail_stop (self);
  self->offset = 0;
  g_string_truncate (self->partial, 0);
  self->timer_id = g_timeout_add_full (G_PRIORITY_DEFAULT, self->interval_ms, timer_cb,
                                       g_object_ref (self), g_object_unref);
  cmg_log_tail_poll (self);
}

void
cmg_log_tail_stop (CmgLogTail *self)
{
  g_return_if_fail (CMG_IS_LOG_TAIL (self));

  g_clear_handle_id (&self->timer_id, g_source_remove);
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  self->again = FALSE;
}

guint64
cmg_log_tail_get_offset (CmgLogTail *self)
{
  g_return_val_if_fail (CMG_IS_LOG_TAIL (self), 0);

  return self->offset;
}

static void
cmg_log_tail_dispose (GObject *object)
{
  cmg_log_tail_stop (CMG_LOG_TAIL (object));

  G_OBJECT_CLASS (cmg_log_tail_parent_class)->dispose (object);
}

static void
cmg_log_tail_finalize (GObject *object)
{
  CmgLogTail *self = CMG_LOG_TAIL (object);

  g_clear_object (&self->file);
  g_string_free (self->partial, TRUE);

  G_OBJECT_CLASS (cmg_log_tail_parent_class)->finalize (object);
}

static void
cmg_log_tail_class_init (CmgLogTailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_log_tail_dispose;
  object_class->finalize = cmg_log_tail_finalize;

  signals[LINES] = g_signal_new ("lines", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                 NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_POINTER, G_TYPE_UINT);
}

static void
cmg_log_tail_init (CmgLogTail *self)
{
  self->partial = g_string_new (NULL);
}

CmgLogTail *
cmg_log_tail_new (GFile *file,
                  guint  interval_ms)
{
  CmgLogTail *self;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CMG_TYPE_LOG_TAIL, NULL);
  self->file = g_object_ref (file);
  self->interval_ms = MAX (interval_ms, 10);
  return self;
}
