/* cmg-seek-index.h: random access into one compressed entry (zlib's "zran" technique): inflate
 * checkpoints every few MiB at deflate block boundaries, each with the 32 KiB of output before
 * it, plus the output offset of every CMG_SEEK_INDEX_LINE_STRIDE-th line. Built during the first
 * full pass and cached on disk, keyed by the archive's identity. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define CMG_SEEK_INDEX_SPAN        (4 * 1024 * 1024)
#define CMG_SEEK_INDEX_WINDOW      32768
#define CMG_SEEK_INDEX_LINE_STRIDE 1024

typedef struct
{
  guint64 out_offset;  /* output offset of the checkpoint */
  guint64 in_offset;   /* compressed bytes consumed, from the start of the entry's data */
  guint8  bits;        /* unused bits of the byte before in_offset, 0 at a byte boundary */
  guint64 line;        /* number of '\n' before out_offset */
  guint32 window_len;  /* uncompressed length of the window (up to 32 KiB) */
  GBytes *window;      /* the window, zlib-compressed to keep the index small */
} CmgCheckpoint;

typedef struct _CmgSeekIndex CmgSeekIndex;

struct _CmgSeekIndex
{
  /*< private >*/
  gatomicrefcount ref_count;
  /*< public, read-only once built >*/
  guint64 uncompressed_size;
  guint64 n_lines;            /* lines (the last may lack its '\n') */
  guint64 n_truncated;        /* lines longer than CMG_SNAPSHOT_MAX_LINE */
  guint32 crc32;              /* of the whole output */
  GArray *checkpoints;        /* CmgCheckpoint, sorted by out_offset; empty for stored data */
  GArray *line_offsets;       /* guint64: offset of line i * CMG_SEEK_INDEX_LINE_STRIDE */
};

#define CMG_TYPE_SEEK_INDEX (cmg_seek_index_get_type ())
GType         cmg_seek_index_get_type (void) G_GNUC_CONST;

CmgSeekIndex *cmg_seek_index_new (void);
CmgSeekIndex *cmg_seek_index_ref (CmgSeekIndex *self);
void          cmg_seek_index_unref (CmgSeekIndex *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgSeekIndex, cmg_seek_index_unref)

/* Appends a checkpoint; the window (uncompressed) is compressed and copied. */
void          cmg_seek_index_add_checkpoint (CmgSeekIndex *self,
                                             guint64       out_offset,
                                             guint64       in_offset,
                                             guint8        bits,
                                             guint64       line,
                                             const guint8 *window,
                                             gsize         window_len);
/* The checkpoint with the largest out_offset <= offset, or NULL (start from the beginning). */
const CmgCheckpoint *cmg_seek_index_find (CmgSeekIndex *self,
                                          guint64       offset);
/* Inflates a checkpoint's window into buffer (CMG_SEEK_INDEX_WINDOW bytes). */
gboolean      cmg_seek_index_get_window (const CmgCheckpoint *checkpoint,
                                         guint8              *buffer);

/* The on-disk cache. key identifies the archive and the entry (see cmg_seek_index_make_key). The
 * directory is $CMG_CACHE_DIR if set, else g_get_user_cache_dir()/convex-migrate/index. */
char         *cmg_seek_index_make_key (const char *absolute_path,
                                       guint64     file_size,
                                       gint64      mtime_usec,
                                       const char *entry_name,
                                       guint32     entry_crc32,
                                       guint64     compressed_size,
                                       guint64     uncompressed_size);
char         *cmg_seek_index_get_cache_dir (void);
gboolean      cmg_seek_index_save (CmgSeekIndex  *self,
                                   const char    *key,
                                   GError       **error);
/* NULL when absent, unreadable, of another version or of another key (never an error). */
CmgSeekIndex *cmg_seek_index_load (const char *key);

G_END_DECLS
