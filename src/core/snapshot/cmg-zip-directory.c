/* cmg-zip-directory.c: see cmg-zip-directory.h. Format: PKWARE APPNOTE 6.3, sections 4.3.12 to
 * 4.3.16 (central directory, end records, ZIP64). Every length read from the file is checked
 * against the file before it is used. */
#include "config.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "cmg-snapshot.h"
#include "cmg-zip-directory.h"

#define SIG_LOCAL          0x04034b50u
#define SIG_CENTRAL        0x02014b50u
#define SIG_EOCD           0x06054b50u
#define SIG_ZIP64_EOCD     0x06064b50u
#define SIG_ZIP64_LOCATOR  0x07064b50u

#define EOCD_SIZE          22
#define CENTRAL_SIZE       46
#define LOCAL_SIZE         30
#define MAX_COMMENT        65535

void
cmg_zip_entry_free (CmgZipEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->name);
  g_free (entry->raw_name);
  g_free (entry);
}

static inline guint16
le16 (const guint8 *p)
{
  return (guint16) (p[0] | (p[1] << 8));
}

static inline guint32
le32 (const guint8 *p)
{
  return (guint32) p[0] | ((guint32) p[1] << 8) | ((guint32) p[2] << 16) | ((guint32) p[3] << 24);
}

static inline guint64
le64 (const guint8 *p)
{
  return (guint64) le32 (p) | ((guint64) le32 (p + 4) << 32);
}

gssize
cmg_zip_pread_full (int      fd,
                    void    *buffer,
                    gsize    count,
                    guint64  offset)
{
  gsize done = 0;

  while (done < count)
    {
      gssize n = pread (fd, (guint8 *) buffer + done, count - done, (off_t) (offset + done));

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          return -1;
        }
      if (n == 0)
        break;
      done += (gsize) n;
    }

  return (gssize) done;
}

static gboolean
read_exact (int       fd,
            void     *buffer,
            gsize     count,
            guint64   offset,
            GError  **error)
{
  gssize n = cmg_zip_pread_full (fd, buffer, count, offset);

  if (n < 0)
    {
      int saved = errno;
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("The archive could not be read: %s"), g_strerror (saved));
      return FALSE;
    }
  if ((gsize) n != count)
    {
      g_set_error_literal (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                           _("The archive is truncated: it ends before its table of contents does. "
                             "Download or copy it again."));
      return FALSE;
    }
  return TRUE;
}

static void
set_truncated_error (GError **error)
{
  g_set_error_literal (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                       _("The archive is truncated or damaged: its table of contents (the ZIP "
                         "central directory) is missing or inconsistent. Download or copy it again."));
}

/* Finds the end-of-central-directory record: the last one in the final 64 KiB + 22 bytes whose
 * comment length reaches exactly the end of the file (or, failing that, the last one at all). */
static gboolean
find_eocd (int       fd,
           guint64   file_size,
           guint64  *eocd_offset,
           guint8    eocd[EOCD_SIZE],
           GError  **error)
{
  gsize tail_len = (gsize) MIN (file_size, (guint64) (EOCD_SIZE + MAX_COMMENT));
  g_autofree guint8 *tail = NULL;
  gssize fallback = -1;

  if (file_size < EOCD_SIZE)
    {
      set_truncated_error (error);
      return FALSE;
    }

  tail = g_malloc (tail_len);
  if (!read_exact (fd, tail, tail_len, file_size - tail_len, error))
    return FALSE;

  for (gssize i = (gssize) tail_len - EOCD_SIZE; i >= 0; i--)
    {
      if (le32 (tail + i) != SIG_EOCD)
        continue;
      if ((gsize) i + EOCD_SIZE + le16 (tail + i + 20) == tail_len)
        {
          fallback = i;
          break;
        }
      if (fallback < 0)
        fallback = i;
    }

  if (fallback < 0)
    {
      set_truncated_error (error);
      return FALSE;
    }

  memcpy (eocd, tail + fallback, EOCD_SIZE);
  *eocd_offset = file_size - tail_len + (guint64) fallback;
  return TRUE;
}

static char *
make_name (const guint8 *bytes,
           gsize         len,
           char        **raw_out,
           gboolean     *was_utf8)
{
  char *raw = g_strndup ((const char *) bytes, len);

  /* An embedded NUL makes the stored name differ from what any tool shows: treat as invalid. */
  *was_utf8 = strlen (raw) == len && g_utf8_validate (raw, (gssize) len, NULL);
  *raw_out = raw;
  if (*was_utf8)
    return g_strdup (raw);
  return g_utf8_make_valid ((const char *) bytes, (gssize) len);
}

GPtrArray *
cmg_zip_read_directory (int       fd,
                        guint64   file_size,
                        GError  **error)
{
  guint8 eocd[EOCD_SIZE];
  guint64 eocd_offset = 0;
  guint64 n_entries, cd_size, cd_offset;
  g_autofree guint8 *cd = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gsize pos = 0;

  if (!find_eocd (fd, file_size, &eocd_offset, eocd, error))
    return NULL;

  n_entries = le16 (eocd + 10);
  cd_size = le32 (eocd + 12);
  cd_offset = le32 (eocd + 16);

  if (n_entries == 0xFFFF || cd_size == 0xFFFFFFFF || cd_offset == 0xFFFFFFFF)
    {
      guint8 locator[20];
      guint8 z64[56];
      guint64 z64_offset;

      if (eocd_offset < sizeof locator)
        {
          set_truncated_error (error);
          return NULL;
        }
      if (!read_exact (fd, locator, sizeof locator, eocd_offset - sizeof locator, error))
        return NULL;
      if (le32 (locator) == SIG_ZIP64_LOCATOR)
        {
          z64_offset = le64 (locator + 8);
          if (z64_offset > eocd_offset || eocd_offset - z64_offset < sizeof z64)
            {
              set_truncated_error (error);
              return NULL;
            }
          if (!read_exact (fd, z64, sizeof z64, z64_offset, error))
            return NULL;
          if (le32 (z64) != SIG_ZIP64_EOCD)
            {
              set_truncated_error (error);
              return NULL;
            }
          n_entries = le64 (z64 + 32);
          cd_size = le64 (z64 + 40);
          cd_offset = le64 (z64 + 48);
          eocd_offset = z64_offset;
        }
    }

  if (cd_offset > eocd_offset || cd_size > eocd_offset - cd_offset)
    {
      set_truncated_error (error);
      return NULL;
    }
  if (n_entries > CMG_ZIP_MAX_ENTRIES || cd_size > CMG_ZIP_MAX_DIRECTORY)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_TOO_LARGE,
                   _("The archive lists %" G_GUINT64_FORMAT " files; more than %d cannot be opened."),
                   n_entries, CMG_ZIP_MAX_ENTRIES);
      return NULL;
    }

  /* Every record takes at least CENTRAL_SIZE bytes: a count the directory cannot hold is a lie. */
  if (n_entries > cd_size / CENTRAL_SIZE)
    {
      set_truncated_error (error);
      return NULL;
    }

  cd = g_malloc (cd_size + 1);
  if (!read_exact (fd, cd, cd_size, cd_offset, error))
    return NULL;

  entries = g_ptr_array_new_full ((guint) n_entries, (GDestroyNotify) cmg_zip_entry_free);

  for (guint64 i = 0; i < n_entries; i++)
    {
      g_autoptr(CmgZipEntry) entry = NULL;
      guint name_len, extra_len, comment_len;
      const guint8 *p, *extra;

      if (cd_size - pos < CENTRAL_SIZE || le32 (cd + pos) != SIG_CENTRAL)
        {
          set_truncated_error (error);
          return NULL;
        }
      p = cd + pos;
      name_len = le16 (p + 28);
      extra_len = le16 (p + 30);
      comment_len = le16 (p + 32);
      if (cd_size - pos - CENTRAL_SIZE < (guint64) name_len + extra_len + comment_len)
        {
          set_truncated_error (error);
          return NULL;
        }

      entry = g_new0 (CmgZipEntry, 1);
      entry->flags = le16 (p + 8);
      entry->method = le16 (p + 10);
      entry->crc32 = le32 (p + 16);
      entry->compressed_size = le32 (p + 20);
      entry->uncompressed_size = le32 (p + 24);
      entry->local_header_offset = le32 (p + 42);
      entry->encrypted = (entry->flags & 0x0001) != 0;
      entry->name = make_name (p + CENTRAL_SIZE, name_len, &entry->raw_name, &entry->name_was_utf8);

      /* ZIP64 extended information: only the fields whose 32-bit value is saturated are present. */
      extra = p + CENTRAL_SIZE + name_len;
      for (guint e = 0; e + 4 <= extra_len;)
        {
          guint id = le16 (extra + e);
          guint len = le16 (extra + e + 2);
          const guint8 *d = extra + e + 4;
          guint used = 0;

          if (e + 4 + len > extra_len)
            break;
          if (id == 0x0001)
            {
              if (entry->uncompressed_size == 0xFFFFFFFF && used + 8 <= len)
                {
                  entry->uncompressed_size = le64 (d + used);
                  used += 8;
                }
              if (entry->compressed_size == 0xFFFFFFFF && used + 8 <= len)
                {
                  entry->compressed_size = le64 (d + used);
                  used += 8;
                }
              if (entry->local_header_offset == 0xFFFFFFFF && used + 8 <= len)
                entry->local_header_offset = le64 (d + used);
            }
          e += 4 + len;
        }

      pos += CENTRAL_SIZE + name_len + extra_len + comment_len;
      g_ptr_array_add (entries, g_steal_pointer (&entry));
    }

  return g_steal_pointer (&entries);
}

gboolean
cmg_zip_entry_get_data_offset (const CmgZipEntry  *entry,
                               int                 fd,
                               guint64             file_size,
                               guint64            *data_offset,
                               GError            **error)
{
  guint8 local[LOCAL_SIZE];
  guint64 offset;

  if (entry->local_header_offset > file_size || file_size - entry->local_header_offset < LOCAL_SIZE)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                   _("The archive is damaged: “%s” points outside the file."), entry->name);
      return FALSE;
    }
  if (!read_exact (fd, local, sizeof local, entry->local_header_offset, error))
    return FALSE;
  if (le32 (local) != SIG_LOCAL)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                   _("The archive is damaged: the data of “%s” is not where its table of contents "
                     "says."), entry->name);
      return FALSE;
    }

  offset = entry->local_header_offset + LOCAL_SIZE + le16 (local + 26) + le16 (local + 28);
  if (offset > file_size || file_size - offset < entry->compressed_size)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                   _("The archive is truncated: the data of “%s” ends past the end of the file."),
                   entry->name);
      return FALSE;
    }

  *data_offset = offset;
  return TRUE;
}
