/* cmg-log-model.c: see cmg-log-model.h. */
#include "config.h"

#include <string.h>

#include "cmg-log-model.h"

/* Lines arriving within this interval are shown together: a chatty process then costs one
 * items-changed (and one relayout) per frame or two, not one per line. */
#define BATCH_INTERVAL_MS 40

struct _CmgLogModel
{
  GObject       parent_instance;

  GStringChunk *chunk;
  /* char*, into chunk: lines [0, n_shown) are in the model, the rest are queued. */
  GPtrArray    *lines;
  guint         n_shown;
  guint         flush_id;
};

static void cmg_log_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmgLogModel, cmg_log_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, cmg_log_model_list_model_init))

static GType
cmg_log_model_get_item_type (GListModel *model)
{
  return GTK_TYPE_STRING_OBJECT;
}

static guint
cmg_log_model_get_n_items (GListModel *model)
{
  return CMG_LOG_MODEL (model)->n_shown;
}

static gpointer
cmg_log_model_get_item (GListModel *model,
                        guint       position)
{
  CmgLogModel *self = CMG_LOG_MODEL (model);

  if (position >= self->n_shown)
    return NULL;
  /* Made on demand: a view holds only the rows on screen. */
  return gtk_string_object_new (g_ptr_array_index (self->lines, position));
}

static void
cmg_log_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = cmg_log_model_get_item_type;
  iface->get_n_items = cmg_log_model_get_n_items;
  iface->get_item = cmg_log_model_get_item;
}

static void
cmg_log_model_dispose (GObject *object)
{
  CmgLogModel *self = CMG_LOG_MODEL (object);

  g_clear_handle_id (&self->flush_id, g_source_remove);

  G_OBJECT_CLASS (cmg_log_model_parent_class)->dispose (object);
}

static void
cmg_log_model_finalize (GObject *object)
{
  CmgLogModel *self = CMG_LOG_MODEL (object);

  g_ptr_array_unref (self->lines);
  g_string_chunk_free (self->chunk);

  G_OBJECT_CLASS (cmg_log_model_parent_class)->finalize (object);
}

static void
cmg_log_model_class_init (CmgLogModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_log_model_dispose;
  object_class->finalize = cmg_log_model_finalize;
}

static void
cmg_log_model_init (CmgLogModel *self)
{
  self->chunk = g_string_chunk_new (64 * 1024);
  self->lines = g_ptr_array_new ();
}

CmgLogModel *
cmg_log_model_new (void)
{
  return g_object_new (CMG_TYPE_LOG_MODEL, NULL);
}

void
cmg_log_model_flush (CmgLogModel *self)
{
  guint added;

  g_return_if_fail (CMG_IS_LOG_MODEL (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  added = self->lines->len - self->n_shown;
  if (added == 0)
    return;

  self->n_shown = self->lines->len;
  g_list_model_items_changed (G_LIST_MODEL (self), self->n_shown - added, 0, added);
}

static gboolean
flush_cb (gpointer user_data)
{
  CmgLogModel *self = user_data;

  self->flush_id = 0;
  cmg_log_model_flush (self);
  return G_SOURCE_REMOVE;
}

static char *
insert_line (CmgLogModel *self,
             const char  *line,
             gssize       length)
{
  /* Lines come from the runner as valid UTF-8; a file loaded from disk may not be. */
  if (!g_utf8_validate_len (line, length < 0 ? strlen (line) : (gsize) length, NULL))
    {
      g_autofree char *valid = g_utf8_make_valid (line, length);

      return g_string_chunk_insert (self->chunk, valid);
    }
  if (length < 0)
    return g_string_chunk_insert (self->chunk, line);
  return g_string_chunk_insert_len (self->chunk, line, length);
}

void
cmg_log_model_append (CmgLogModel *self,
                      const char  *line)
{
  g_return_if_fail (CMG_IS_LOG_MODEL (self));
  g_return_if_fail (line != NULL);

  g_ptr_array_add (self->lines, insert_line (self, line, -1));
  if (self->flush_id == 0)
    self->flush_id = g_timeout_add (BATCH_INTERVAL_MS, flush_cb, self);
}

void
cmg_log_model_append_lines (CmgLogModel        *self,
                            const char * const *lines,
                            guint               n_lines)
{
  g_return_if_fail (CMG_IS_LOG_MODEL (self));
  g_return_if_fail (lines != NULL || n_lines == 0);

  for (guint i = 0; i < n_lines; i++)
    g_ptr_array_add (self->lines, insert_line (self, lines[i], -1));
  cmg_log_model_flush (self);
}

void
cmg_log_model_append_text (CmgLogModel *self,
                           const char  *text,
                           gsize        length)
{
  const char *end = text + length;
  const char *p = text;

  g_return_if_fail (CMG_IS_LOG_MODEL (self));
  g_return_if_fail (text != NULL || length == 0);

  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line_end = nl ? nl : end;

      g_ptr_array_add (self->lines, insert_line (self, p, line_end - p));
      p = nl ? nl + 1 : end;
    }
  cmg_log_model_flush (self);
}

void
cmg_log_model_set_line (CmgLogModel *self,
                        guint        position,
                        const char  *line)
{
  g_return_if_fail (CMG_IS_LOG_MODEL (self));
  g_return_if_fail (line != NULL);

  if (position >= self->lines->len)
    return;

  /* The old text stays in the chunk until clear: redraws are few next to the lines. */
  self->lines->pdata[position] = insert_line (self, line, -1);
  if (position < self->n_shown)
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

void
cmg_log_model_clear (CmgLogModel *self)
{
  guint removed;

  g_return_if_fail (CMG_IS_LOG_MODEL (self));

  g_clear_handle_id (&self->flush_id, g_source_remove);
  removed = self->n_shown;
  g_ptr_array_set_size (self->lines, 0);
  self->n_shown = 0;
  g_string_chunk_clear (self->chunk);
  if (removed > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, 0);
}

guint
cmg_log_model_get_n_lines (CmgLogModel *self)
{
  g_return_val_if_fail (CMG_IS_LOG_MODEL (self), 0);
  return self->lines->len;
}

const char *
cmg_log_model_get_line (CmgLogModel *self,
                        guint        position)
{
  g_return_val_if_fail (CMG_IS_LOG_MODEL (self), NULL);

  if (position >= self->lines->len)
    return NULL;
  return g_ptr_array_index (self->lines, position);
}

char *
cmg_log_model_dup_text (CmgLogModel *self,
                        guint        first,
                        guint        n)
{
  GString *text;

  g_return_val_if_fail (CMG_IS_LOG_MODEL (self), NULL);

  text = g_string_new (NULL);
  for (guint i = first; i < self->n_shown && i - first < n; i++)
    {
      g_string_append (text, g_ptr_array_index (self->lines, i));
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}
