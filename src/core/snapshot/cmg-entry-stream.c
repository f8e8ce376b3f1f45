/* cmg-entry-stream.c: see cmg-entry-stream.h. Checkpoints follow zlib's examples/zran.c: at a
 * deflate block boundary (inflate with Z_BLOCK, data_type bit 7 set, bit 6 clear) the state is
 * fully described by the input position, the unused bits of the last byte and the last 32 KiB
 * of output. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <zlib.h>

#include <glib/gi18n.h>

#include "cmg-entry-stream.h"

#define HISTORY CMG_SEEK_INDEX_WINDOW

static guint64 total_output;

guint64
cmg_entry_stream_get_total_output (void)
{
  return __atomic_load_n (&total_output, __ATOMIC_RELAXED);
}

typedef struct
{
  CmgLineFunc  func;
  gpointer     user_data;
  GByteArray  *partial;        /* a line crossing output buffers, at most CMG_SNAPSHOT_MAX_LINE */
  gboolean     truncating;     /* the partial line is past the bound: skip to its end */
  guint64      line_no;        /* lines completed so far (0-based index of the current line) */
  guint64      line_start;     /* output offset of the current line */
  guint64      first_deliver;  /* lines before this one are counted, not delivered */
  guint64      skip_to;        /* output before this offset is discarded (seeking) */
  guint64      n_truncated;
  CmgSeekIndex *build;
  gboolean     stopped;
} LineState;

static void
partial_append (LineState    *ls,
                const guint8 *data,
                gsize         len)
{
  gsize room;

  if (ls->truncating || len == 0)
    return;
  room = CMG_SNAPSHOT_MAX_LINE - ls->partial->len;
  if (len > room)
    {
      len = room;
      ls->truncating = TRUE;
    }
  g_byte_array_append (ls->partial, data, (guint) len);
}

static void
deliver (LineState *ls,
         guint8    *line,
         gsize      len,
         gboolean   truncated)
{
  guint8 saved;

  if (ls->line_no < ls->first_deliver)
    return;
  /* Callers get a NUL-terminated line; the byte is put back since the output buffer doubles as
   * the history window of the next checkpoint. */
  saved = line[len];
  line[len] = '\0';
  if (!ls->func ((const char *) line, len, truncated, ls->line_no + 1, ls->user_data))
    ls->stopped = TRUE;
  line[len] = saved;
}

static inline void
line_done (LineState *ls,
           guint64    next_start)
{
  if (next_start - ls->line_start > (guint64) CMG_SNAPSHOT_MAX_LINE + 1)
    ls->n_truncated++;
  ls->line_no++;
  ls->line_start = next_start;
  if (ls->build != NULL && ls->line_no % CMG_SEEK_INDEX_LINE_STRIDE == 0)
    g_array_append_val (ls->build->line_offsets, next_start);
}

/* data is writable and has one spare byte after len. */
static void
process_output (LineState *ls,
                guint8    *data,
                gsize      len,
                guint64    base)
{
  guint8 *p, *end, *nl;

  if (base + len <= ls->skip_to)
    return;
  if (base < ls->skip_to)
    {
      gsize d = (gsize) (ls->skip_to - base);
      data += d;
      len -= d;
      base = ls->skip_to;
    }

  p = data;
  end = data + len;

  if (ls->func == NULL)
    {
      while (p < end && (nl = memchr (p, '\n', (gsize) (end - p))) != NULL)
        {
          p = nl + 1;
          line_done (ls, base + (guint64) (p - data));
        }
      return;
    }

  while (p < end && !ls->stopped)
    {
      nl = memchr (p, '\n', (gsize) (end - p));
      if (nl == NULL)
        {
          partial_append (ls, p, (gsize) (end - p));
          break;
        }
      if (ls->partial->len > 0 || ls->truncating)
        {
          partial_append (ls, p, (gsize) (nl - p));
          g_byte_array_append (ls->partial, (const guint8 *) "", 1);
          deliver (ls, ls->partial->data, ls->partial->len - 1, ls->truncating);
          g_byte_array_set_size (ls->partial, 0);
          ls->truncating = FALSE;
        }
      else
        {
          gsize n = (gsize) (nl - p);
          deliver (ls, p, MIN (n, (gsize) CMG_SNAPSHOT_MAX_LINE), n > CMG_SNAPSHOT_MAX_LINE);
        }
      p = nl + 1;
      line_done (ls, base + (guint64) (p - data));
    }
}

static void
finish_lines (LineState *ls,
              guint64    end_offset)
{
  /* A last line without its '\n' is still a line. */
  if (ls->stopped || ls->line_start >= end_offset || ls->line_start < ls->skip_to)
    return;
  if (ls->func != NULL)
    {
      g_byte_array_append (ls->partial, (const guint8 *) "", 1);
      deliver (ls, ls->partial->data, ls->partial->len - 1, ls->truncating);
      g_byte_array_set_size (ls->partial, 0);
    }
  if (end_offset - ls->line_start > (guint64) CMG_SNAPSHOT_MAX_LINE)
    ls->n_truncated++;
  ls->line_no++;
  ls->line_start = end_offset;
}

static gboolean
read_input (const CmgEntryLocation  *loc,
            guint8                  *buffer,
            gsize                    count,
            guint64                  in_pos,
            GError                 **error)
{
  gssize n = cmg_zip_pread_full (loc->fd, buffer, count, loc->data_offset + in_pos);

  if (n < 0)
    {
      int saved = errno;
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("“%s” could not be read: %s"), loc->entry->name, g_strerror (saved));
      return FALSE;
    }
  if ((gsize) n != count)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED,
                   _("The file got shorter while “%s” was read. Was it being written?"),
                   loc->entry->name);
      return FALSE;
    }
  return TRUE;
}

static void
set_size_error (const CmgEntryLocation  *loc,
                GError                 **error)
{
  g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
               _("“%s” is damaged: it does not hold the %" G_GUINT64_FORMAT " bytes its archive "
                 "declares. The archive may have been altered or be a “zip bomb”."),
               loc->entry->name, loc->entry->uncompressed_size);
}

gboolean
cmg_entry_stream_lines (const CmgEntryLocation  *loc,
                        CmgSeekIndex            *seek,
                        guint64                  first_line,
                        CmgSeekIndex            *build,
                        CmgLineFunc              func,
                        gpointer                 user_data,
                        guint64                 *progress_bytes,
                        guint64                 *n_lines,
                        GCancellable            *cancellable,
                        GError                 **error)
{
  const CmgZipEntry *entry = loc->entry;
  const guint64 usize = entry->uncompressed_size;
  g_autofree guint8 *in = NULL;
  g_autofree guint8 *out = NULL;
  g_autoptr(GByteArray) partial = NULL;
  guint8 *region;
  gsize have = 0;
  guint64 in_pos = 0, out_pos = 0, last_checkpoint = 0;
  const CmgCheckpoint *cp = NULL;
  gboolean full_pass = TRUE, finished = FALSE, ok = FALSE, input_done = FALSE;
  guint32 crc = 0;
  z_stream zs = { 0 };
  gboolean zs_ready = FALSE;
  LineState ls = { 0 };

  if (entry->encrypted)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNSUPPORTED,
                   _("“%s” is encrypted; encrypted archives are not supported. Export the data "
                     "again without a password."), entry->name);
      return FALSE;
    }
  if (entry->method != 0 && entry->method != 8)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNSUPPORTED,
                   _("“%s” uses compression method %u; only deflate and stored entries, as Convex "
                     "writes them, are supported."), entry->name, entry->method);
      return FALSE;
    }
  if (entry->method == 0 && entry->compressed_size != usize)
    {
      set_size_error (loc, error);
      return FALSE;
    }

  partial = g_byte_array_new ();
  ls.func = func;
  ls.user_data = user_data;
  ls.partial = partial;

  if (seek != NULL && first_line > 0)
    {
      guint64 k = first_line / CMG_SEEK_INDEX_LINE_STRIDE;
      guint64 target;

      full_pass = FALSE;
      if (k >= seek->line_offsets->len || first_line >= seek->n_lines)
        {
          g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE,
                       _("“%s” has no line %" G_GUINT64_FORMAT "."), entry->name, first_line + 1);
          return FALSE;
        }
      target = g_array_index (seek->line_offsets, guint64, k);
      ls.line_no = k * CMG_SEEK_INDEX_LINE_STRIDE;
      ls.line_start = target;
      ls.skip_to = target;
      ls.first_deliver = first_line;
      if (entry->method == 8)
        cp = cmg_seek_index_find (seek, target);
      if (cp != NULL)
        {
          in_pos = cp->in_offset;
          out_pos = cp->out_offset;
        }
      else if (entry->method == 0)
        {
          in_pos = target;
          out_pos = target;
        }
    }
  else
    {
      ls.build = build;
      ls.first_deliver = first_line;
    }

  if (ls.build != NULL)
    {
      guint64 zero = 0;
      g_array_set_size (build->checkpoints, 0);
      g_array_set_size (build->line_offsets, 0);
      g_array_append_val (build->line_offsets, zero);
    }

  in = g_malloc (CMG_ENTRY_STREAM_IN_SIZE);
  out = g_malloc (HISTORY + CMG_ENTRY_STREAM_OUT_SIZE + 1);
  region = out + HISTORY;

  if (entry->method == 8)
    {
      if (inflateInit2 (&zs, -15) != Z_OK)
        g_error ("inflateInit2 failed: out of memory");
      zs_ready = TRUE;
      if (cp != NULL)
        {
          guint8 window[CMG_SEEK_INDEX_WINDOW];

          if (cp->bits != 0)
            {
              guint8 byte;

              if (cp->in_offset == 0 || !read_input (loc, &byte, 1, cp->in_offset - 1, error))
                goto out;
              inflatePrime (&zs, cp->bits, byte >> (8 - cp->bits));
            }
          if (!cmg_seek_index_get_window (cp, window)
              || inflateSetDictionary (&zs, window, cp->window_len) != Z_OK)
            {
              g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                           _("The index of “%s” is damaged; it will be rebuilt."), entry->name);
              goto out;
            }
        }
    }

  while (!finished && !ls.stopped)
    {
      gsize produced = 0;
      guint8 *dest;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        goto out;

      if (have == CMG_ENTRY_STREAM_OUT_SIZE)
        {
          if (ls.build != NULL)
            memcpy (out, region + have - HISTORY, HISTORY);
          have = 0;
        }
      dest = region + have;

      if (entry->method == 0)
        {
          gsize n = (gsize) MIN ((guint64) (CMG_ENTRY_STREAM_OUT_SIZE - have), usize - out_pos);

          if (n > 0 && !read_input (loc, dest, n, in_pos, error))
            goto out;
          in_pos += n;
          produced = n;
          if (out_pos + n == usize)
            finished = TRUE;
        }
      else
        {
          gsize avail;
          int ret;

          if (zs.avail_in == 0)
            {
              gsize n = (gsize) MIN ((guint64) CMG_ENTRY_STREAM_IN_SIZE,
                                     entry->compressed_size - in_pos);

              if (n == 0 && usize == 0 && out_pos == 0 && entry->compressed_size == 0)
                break;
              /* With no input left inflate may still have to report the end of the stream
               * (Z_BLOCK stops right after the last block): one more call tells. */
              input_done = n == 0;
              if (n > 0 && !read_input (loc, in, n, in_pos, error))
                goto out;
              in_pos += n;
              zs.next_in = in;
              zs.avail_in = (uInt) n;
            }

          /* Never let the output run more than one byte past the declared size. */
          avail = (gsize) MIN ((guint64) (CMG_ENTRY_STREAM_OUT_SIZE - have), usize - out_pos + 1);
          zs.next_out = dest;
          zs.avail_out = (uInt) avail;
          /* Stopping at every block boundary costs time: only once a checkpoint is due. */
          ret = inflate (&zs, ls.build != NULL && out_pos - last_checkpoint >= CMG_SEEK_INDEX_SPAN
                              ? Z_BLOCK : Z_NO_FLUSH);
          produced = avail - zs.avail_out;
          if (ret == Z_STREAM_END)
            finished = TRUE;
          else if (input_done && produced == 0 && zs.avail_out > 0)
            {
              set_size_error (loc, error);
              goto out;
            }
          else if (ret != Z_OK && ret != Z_BUF_ERROR)
            {
              g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                           _("“%s” is damaged: its compressed data is invalid (%s)."),
                           entry->name, zs.msg != NULL ? zs.msg : "zlib");
              goto out;
            }
        }

      if (out_pos + produced > usize)
        {
          set_size_error (loc, error);
          goto out;
        }
      if (full_pass && loc->check_crc)
        crc = (guint32) crc32 (crc, dest, (uInt) produced);
      process_output (&ls, dest, produced, out_pos);
      out_pos += produced;
      have += produced;
      __atomic_fetch_add (&total_output, (guint64) produced, __ATOMIC_RELAXED);
      if (progress_bytes != NULL)
        __atomic_fetch_add (progress_bytes, (guint64) produced, __ATOMIC_RELAXED);

      if (ls.build != NULL && entry->method == 8 && !finished
          && (zs.data_type & 128) != 0 && (zs.data_type & 64) == 0
          && out_pos - last_checkpoint >= CMG_SEEK_INDEX_SPAN)
        {
          gsize wlen = (gsize) MIN ((guint64) HISTORY, out_pos);

          cmg_seek_index_add_checkpoint (ls.build, out_pos, in_pos - zs.avail_in,
                                         (guint8) (zs.data_type & 7), ls.line_no,
                                         region + have - wlen, wlen);
          last_checkpoint = out_pos;
        }
    }

  if (!ls.stopped)
    {
      finish_lines (&ls, out_pos);
      if (full_pass && out_pos != usize)
        {
          set_size_error (loc, error);
          goto out;
        }
      if (full_pass && loc->check_crc && crc != entry->crc32)
        {
          g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                       _("“%s” is damaged: its checksum does not match. Download or copy the "
                         "archive again."), entry->name);
          goto out;
        }
      if (ls.build != NULL)
        {
          ls.build->uncompressed_size = usize;
          ls.build->n_lines = ls.line_no;
          ls.build->crc32 = loc->check_crc ? crc : 0;
          ls.build->n_truncated = ls.n_truncated;
        }
    }

  if (n_lines != NULL)
    *n_lines = ls.line_no;
  ok = TRUE;

out:
  if (zs_ready)
    inflateEnd (&zs);
  return ok;
}
