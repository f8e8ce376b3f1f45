/* cmg-zip-directory.h: the central directory of a ZIP file, parsed from the end of the file only,
 * with what streaming needs and libarchive does not expose (local header offsets, raw sizes). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char    *name;              /* valid UTF-8 (invalid bytes replaced) */
  char    *raw_name;          /* the bytes as stored, NUL-terminated */
  gboolean name_was_utf8;     /* raw_name is valid UTF-8 */
  guint16  method;            /* 0 stored, 8 deflate */
  guint16  flags;
  guint32  crc32;
  guint64  compressed_size;
  guint64  uncompressed_size;
  guint64  local_header_offset;
  gboolean encrypted;
} CmgZipEntry;

void cmg_zip_entry_free (CmgZipEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgZipEntry, cmg_zip_entry_free)

/* Bounds on what is read from a hostile central directory (opening holds the directory in
 * memory once, plus about 100 bytes per entry). */
#define CMG_ZIP_MAX_ENTRIES   (2 * 1024 * 1024)
#define CMG_ZIP_MAX_DIRECTORY (256 * 1024 * 1024)

/* Reads the central directory of the ZIP open on fd (file_size bytes). Returns the entries in
 * directory order (CmgZipEntry*, owned by the array). Errors are CMG_SNAPSHOT_ERROR. */
GPtrArray *cmg_zip_read_directory (int       fd,
                                   guint64   file_size,
                                   GError  **error);

/* Offset of the entry's data, read from (and checked against) its local header. */
gboolean   cmg_zip_entry_get_data_offset (const CmgZipEntry  *entry,
                                          int                 fd,
                                          guint64             file_size,
                                          guint64            *data_offset,
                                          GError            **error);

/* pread() until done or EOF; returns bytes read or -1 with errno. */
gssize     cmg_zip_pread_full (int      fd,
                               void    *buffer,
                               gsize    count,
                               guint64  offset);

G_END_DECLS
