/* cmg-document-source.c: see cmg-document-source.h. Memory: at most CMG_DOCUMENT_SOURCE_BLOCKS
 * blocks of at most CMG_DOCUMENT_SOURCE_BLOCK_BYTES (plus one row of up to
 * CMG_SNAPSHOT_MAX_LINE that overflows a block). */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-document-source.h"

typedef struct
{
  guint64    first;
  GPtrArray *rows;  /* CmgDocument* */
} Block;

struct _CmgDocumentSource
{
  GObject      parent_instance;

  CmgSnapshot *snapshot;
  CmgTable    *table;
  guint        n_items;
  GMutex       lock;
  GQueue       blocks;  /* most recently used first */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmgDocumentSource, cmg_document_source, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static void
block_free (Block *block)
{
  g_ptr_array_unref (block->rows);
  g_free (block);
}

static guint
documents_as_items (CmgTable *table)
{
  gint64 documents = cmg_table_get_documents (table);

  /* A GListModel counts in guint: beyond that, rows exist but a list cannot show them. */
  return documents < 0 ? 0 : (guint) MIN (documents, (gint64) G_MAXUINT);
}

static void
on_documents_changed (CmgDocumentSource *self)
{
  guint old = self->n_items;

  self->n_items = documents_as_items (self->table);
  g_mutex_lock (&self->lock);
  g_queue_clear_full (&self->blocks, (GDestroyNotify) block_free);
  g_mutex_unlock (&self->lock);
  if (old != self->n_items)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old, self->n_items);
}

static void
cmg_document_source_dispose (GObject *object)
{
  CmgDocumentSource *self = CMG_DOCUMENT_SOURCE (object);

  if (self->table != NULL)
    g_signal_handlers_disconnect_by_data (self->table, self);
  g_clear_object (&self->table);
  g_clear_object (&self->snapshot);
  g_queue_clear_full (&self->blocks, (GDestroyNotify) block_free);

  G_OBJECT_CLASS (cmg_document_source_parent_class)->dispose (object);
}

static void
cmg_document_source_finalize (GObject *object)
{
  CmgDocumentSource *self = CMG_DOCUMENT_SOURCE (object);

  g_mutex_clear (&self->lock);
  G_OBJECT_CLASS (cmg_document_source_parent_class)->finalize (object);
}

static void
cmg_document_source_class_init (CmgDocumentSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_document_source_dispose;
  object_class->finalize = cmg_document_source_finalize;
}

static void
cmg_document_source_init (CmgDocumentSource *self)
{
  g_mutex_init (&self->lock);
  g_queue_init (&self->blocks);
}

CmgDocumentSource *
cmg_document_source_new (CmgSnapshot *snapshot,
                         CmgTable    *table)
{
  CmgDocumentSource *self;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (snapshot), NULL);
  g_return_val_if_fail (CMG_IS_TABLE (table), NULL);

  self = g_object_new (CMG_TYPE_DOCUMENT_SOURCE, NULL);
  self->snapshot = g_object_ref (snapshot);
  self->table = g_object_ref (table);
  self->n_items = documents_as_items (table);
  g_signal_connect_object (table, "notify::documents", G_CALLBACK (on_documents_changed), self,
                           G_CONNECT_SWAPPED);
  return self;
}

CmgTable *
cmg_document_source_get_table (CmgDocumentSource *self)
{
  g_return_val_if_fail (CMG_IS_DOCUMENT_SOURCE (self), NULL);
  return self->table;
}

typedef struct
{
  Block *block;
  gsize  bytes;
  guint64 row;
} Fill;

static gboolean
fill_block (const char *line,
            gsize       length,
            gboolean    truncated,
            guint64     line_number,
            gpointer    user_data)
{
  Fill *fill = user_data;

  g_ptr_array_add (fill->block->rows, cmg_document_new (fill->row++, line, length, truncated));
  fill->bytes += length;
  return fill->block->rows->len < CMG_DOCUMENT_SOURCE_BLOCK_ROWS
         && fill->bytes < CMG_DOCUMENT_SOURCE_BLOCK_BYTES;
}

static CmgDocument *
find_cached (CmgDocumentSource *self,
             guint64            n)
{
  for (GList *l = self->blocks.head; l != NULL; l = l->next)
    {
      Block *block = l->data;

      if (n >= block->first && n < block->first + block->rows->len)
        {
          /* Most recently used moves to the front. */
          g_queue_unlink (&self->blocks, l);
          g_queue_push_head_link (&self->blocks, l);
          return g_object_ref (g_ptr_array_index (block->rows, n - block->first));
        }
    }
  return NULL;
}

CmgDocument *
cmg_document_source_get_row (CmgDocumentSource  *self,
                             guint64             n,
                             GError            **error)
{
  CmgDocument *document;
  Fill fill = { 0 };
  gint64 documents;

  g_return_val_if_fail (CMG_IS_DOCUMENT_SOURCE (self), NULL);

  g_mutex_lock (&self->lock);
  document = find_cached (self, n);
  g_mutex_unlock (&self->lock);
  if (document != NULL)
    return document;

  documents = cmg_snapshot_count_table (self->snapshot, self->table, NULL, NULL, error);
  if (documents < 0)
    return NULL;
  if (n >= (guint64) documents)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE,
                   _("Table “%s” has %" G_GINT64_FORMAT " documents; there is no row %"
                     G_GUINT64_FORMAT "."), cmg_table_get_name (self->table), documents, n + 1);
      return NULL;
    }

  fill.block = g_new0 (Block, 1);
  fill.block->first = n - n % CMG_DOCUMENT_SOURCE_BLOCK_ROWS;
  fill.block->rows = g_ptr_array_new_with_free_func (g_object_unref);
  fill.row = fill.block->first;
  if (!cmg_snapshot_read_table_rows (self->snapshot, self->table, fill.block->first, fill_block,
                                     &fill, NULL, error))
    {
      block_free (fill.block);
      return NULL;
    }
  if (n >= fill.block->first + fill.block->rows->len)
    {
      /* The block filled up (long rows) before n: read from n itself. */
      block_free (fill.block);
      fill = (Fill) { 0 };
      fill.block = g_new0 (Block, 1);
      fill.block->first = n;
      fill.block->rows = g_ptr_array_new_with_free_func (g_object_unref);
      fill.row = n;
      if (!cmg_snapshot_read_table_rows (self->snapshot, self->table, n, fill_block, &fill,
                                         NULL, error))
        {
          block_free (fill.block);
          return NULL;
        }
    }
  if (n >= fill.block->first + fill.block->rows->len)
    {
      block_free (fill.block);
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED,
                   _("Row %" G_GUINT64_FORMAT " of “%s” could not be found; the archive may "
                     "have changed."), n + 1, cmg_table_get_name (self->table));
      return NULL;
    }

  document = g_object_ref (g_ptr_array_index (fill.block->rows, n - fill.block->first));
  g_mutex_lock (&self->lock);
  g_queue_push_head (&self->blocks, fill.block);
  while (self->blocks.length > CMG_DOCUMENT_SOURCE_BLOCKS)
    block_free (g_queue_pop_tail (&self->blocks));
  g_mutex_unlock (&self->lock);
  return document;
}

static GType
get_item_type (GListModel *model)
{
  return CMG_TYPE_DOCUMENT;
}

static guint
get_n_items (GListModel *model)
{
  return CMG_DOCUMENT_SOURCE (model)->n_items;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CmgDocumentSource *self = CMG_DOCUMENT_SOURCE (model);
  g_autoptr(GError) error = NULL;
  CmgDocument *document;

  if (position >= self->n_items)
    return NULL;
  document = cmg_document_source_get_row (self, position, &error);
  if (document == NULL)
    document = cmg_document_new_error (position, error);
  return document;
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}
