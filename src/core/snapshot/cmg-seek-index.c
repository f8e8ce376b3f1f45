/* cmg-seek-index.c: see cmg-seek-index.h. The cache file is a GVariant (safe to read from an
 * untrusted file), written atomically; its key is stored inside and compared on load, so a hash
 * collision or a stale file is never used. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include "cmg-seek-index.h"

#define CACHE_MAGIC   "CMGIDX"
#define CACHE_VERSION 1
#define CACHE_TYPE    "(sustttua(tttyuay)at)"

G_DEFINE_BOXED_TYPE (CmgSeekIndex, cmg_seek_index, cmg_seek_index_ref, cmg_seek_index_unref)

static void
checkpoint_clear (gpointer data)
{
  CmgCheckpoint *cp = data;

  g_clear_pointer (&cp->window, g_bytes_unref);
}

CmgSeekIndex *
cmg_seek_index_new (void)
{
  CmgSeekIndex *self = g_new0 (CmgSeekIndex, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->checkpoints = g_array_new (FALSE, TRUE, sizeof (CmgCheckpoint));
  g_array_set_clear_func (self->checkpoints, checkpoint_clear);
  self->line_offsets = g_array_new (FALSE, FALSE, sizeof (guint64));
  return self;
}

CmgSeekIndex *
cmg_seek_index_ref (CmgSeekIndex *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
cmg_seek_index_unref (CmgSeekIndex *self)
{
  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      g_array_unref (self->checkpoints);
      g_array_unref (self->line_offsets);
      g_free (self);
    }
}

void
cmg_seek_index_add_checkpoint (CmgSeekIndex *self,
                               guint64       out_offset,
                               guint64       in_offset,
                               guint8        bits,
                               guint64       line,
                               const guint8 *window,
                               gsize         window_len)
{
  CmgCheckpoint cp = { out_offset, in_offset, bits, line, (guint32) window_len, NULL };
  uLongf packed_len = compressBound ((uLong) window_len);
  guint8 *packed = g_malloc (packed_len);

  g_return_if_fail (window_len <= CMG_SEEK_INDEX_WINDOW);

  if (compress2 (packed, &packed_len, window, (uLong) window_len, 1) != Z_OK)
    g_error ("compress2 failed on a %" G_GSIZE_FORMAT "-byte window", window_len);
  cp.window = g_bytes_new_take (g_realloc (packed, packed_len), packed_len);
  g_array_append_val (self->checkpoints, cp);
}

const CmgCheckpoint *
cmg_seek_index_find (CmgSeekIndex *self,
                     guint64       offset)
{
  guint lo = 0, hi = self->checkpoints->len;

  /* Binary search for the last checkpoint at or before offset. */
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (self->checkpoints, CmgCheckpoint, mid).out_offset <= offset)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0)
    return NULL;
  return &g_array_index (self->checkpoints, CmgCheckpoint, lo - 1);
}

gboolean
cmg_seek_index_get_window (const CmgCheckpoint *checkpoint,
                           guint8              *buffer)
{
  uLongf len = CMG_SEEK_INDEX_WINDOW;
  gsize packed_len = 0;
  const guint8 *packed = g_bytes_get_data (checkpoint->window, &packed_len);

  if (uncompress (buffer, &len, packed, (uLong) packed_len) != Z_OK)
    return FALSE;
  return len == checkpoint->window_len;
}

char *
cmg_seek_index_make_key (const char *absolute_path,
                         guint64     file_size,
                         gint64      mtime_usec,
                         const char *entry_name,
                         guint32     entry_crc32,
                         guint64     compressed_size,
                         guint64     uncompressed_size)
{
  return g_strdup_printf ("%s\n%" G_GUINT64_FORMAT "\n%" G_GINT64_FORMAT "\n%s\n%08x\n%"
                          G_GUINT64_FORMAT "\n%" G_GUINT64_FORMAT,
                          absolute_path, file_size, mtime_usec, entry_name, entry_crc32,
                          compressed_size, uncompressed_size);
}

char *
cmg_seek_index_get_cache_dir (void)
{
  const char *dir = g_getenv ("CMG_CACHE_DIR");

  if (dir != NULL && *dir != '\0')
    return g_strdup (dir);
  return g_build_filename (g_get_user_cache_dir (), "convex-migrate", "index", NULL);
}

static char *
cache_path_for_key (const char *key)
{
  g_autofree char *dir = cmg_seek_index_get_cache_dir ();
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);
  g_autofree char *name = g_strconcat (hash, ".idx", NULL);

  return g_build_filename (dir, name, NULL);
}

gboolean
cmg_seek_index_save (CmgSeekIndex  *self,
                     const char    *key,
                     GError       **error)
{
  g_autofree char *path = cache_path_for_key (key);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GBytes) bytes = NULL;
  GVariantBuilder cps;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved),
                   "%s: %s", dir, g_strerror (saved));
      return FALSE;
    }

  g_variant_builder_init (&cps, G_VARIANT_TYPE ("a(tttyuay)"));
  for (guint i = 0; i < self->checkpoints->len; i++)
    {
      const CmgCheckpoint *cp = &g_array_index (self->checkpoints, CmgCheckpoint, i);

      g_variant_builder_add (&cps, "(tttyu@ay)", cp->out_offset, cp->in_offset, cp->line,
                             cp->bits, cp->window_len,
                             g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, cp->window, TRUE));
    }

  variant = g_variant_ref_sink (
    g_variant_new ("(sustttua(tttyuay)@at)",
                   CACHE_MAGIC, (guint32) CACHE_VERSION, key,
                   self->uncompressed_size, self->n_lines, self->n_truncated, self->crc32, &cps,
                   g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, self->line_offsets->data,
                                              self->line_offsets->len, sizeof (guint64))));
  bytes = g_variant_get_data_as_bytes (variant);

  return g_file_set_contents (path, g_bytes_get_data (bytes, NULL),
                              (gssize) g_bytes_get_size (bytes), error);
}

CmgSeekIndex *
cmg_seek_index_load (const char *key)
{
  g_autofree char *path = cache_path_for_key (key);
  g_autoptr(GMappedFile) mapped = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GVariant) variant = NULL;
  g_autoptr(GVariant) magic = NULL, version = NULL, stored_key = NULL, cps = NULL, offsets = NULL;
  g_autoptr(CmgSeekIndex) self = NULL;
  const guint64 *offset_data;
  gsize n_offsets = 0;
  guint64 prev = 0;

  mapped = g_mapped_file_new (path, FALSE, NULL);
  if (mapped == NULL)
    return NULL;
  bytes = g_mapped_file_get_bytes (mapped);
  variant = g_variant_ref_sink (g_variant_new_from_bytes (G_VARIANT_TYPE (CACHE_TYPE), bytes, FALSE));

  magic = g_variant_get_child_value (variant, 0);
  version = g_variant_get_child_value (variant, 1);
  stored_key = g_variant_get_child_value (variant, 2);
  if (g_strcmp0 (g_variant_get_string (magic, NULL), CACHE_MAGIC) != 0
      || g_variant_get_uint32 (version) != CACHE_VERSION
      || g_strcmp0 (g_variant_get_string (stored_key, NULL), key) != 0)
    return NULL;

  self = cmg_seek_index_new ();
  g_variant_get_child (variant, 3, "t", &self->uncompressed_size);
  g_variant_get_child (variant, 4, "t", &self->n_lines);
  g_variant_get_child (variant, 5, "t", &self->n_truncated);
  g_variant_get_child (variant, 6, "u", &self->crc32);

  cps = g_variant_get_child_value (variant, 7);
  for (gsize i = 0, n = g_variant_n_children (cps); i < n; i++)
    {
      CmgCheckpoint cp = { 0 };
      g_autoptr(GVariant) window = NULL;

      g_variant_get_child (cps, i, "(tttyu@ay)", &cp.out_offset, &cp.in_offset, &cp.line,
                           &cp.bits, &cp.window_len, &window);
      /* A damaged file must not make a later seek read out of bounds. */
      if (cp.window_len > CMG_SEEK_INDEX_WINDOW || cp.bits > 7 || cp.out_offset < prev
          || cp.out_offset > self->uncompressed_size || cp.line > self->n_lines)
        return NULL;
      prev = cp.out_offset;
      cp.window = g_variant_get_data_as_bytes (window);
      g_array_append_val (self->checkpoints, cp);
    }

  offsets = g_variant_get_child_value (variant, 8);
  offset_data = g_variant_get_fixed_array (offsets, &n_offsets, sizeof (guint64));
  if (n_offsets < (self->n_lines + CMG_SEEK_INDEX_LINE_STRIDE - 1) / CMG_SEEK_INDEX_LINE_STRIDE)
    return NULL;
  prev = 0;
  for (gsize i = 0; i < n_offsets; i++)
    {
      if (offset_data[i] < prev || offset_data[i] > self->uncompressed_size)
        return NULL;
      prev = offset_data[i];
    }
  g_array_append_vals (self->line_offsets, offset_data, (guint) n_offsets);

  return g_steal_pointer (&self);
}
