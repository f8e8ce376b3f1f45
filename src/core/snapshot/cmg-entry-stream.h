/* cmg-entry-stream.h: streams the lines of one ZIP entry (deflate or stored) or of a plain file,
 * inflating it with zlib directly from its data offset, optionally building a seek index on the
 * way, or starting at any line through one.
 *
 * Memory bound, per call: a 256 KiB input buffer, a 1 MiB + 32 KiB output buffer, zlib's state
 * (about 44 KiB), and, only when a line callback is given, one line of at most
 * CMG_SNAPSHOT_MAX_LINE (16 MiB) for lines that cross an output buffer. Nothing else grows with
 * the size of the entry except the index being built (one compressed 32 KiB window per 4 MiB of
 * output and 8 bytes per 1024 lines). */
#pragma once

#include "cmg-snapshot.h"
#include "cmg-seek-index.h"
#include "cmg-zip-directory.h"

G_BEGIN_DECLS

#define CMG_ENTRY_STREAM_IN_SIZE  (256 * 1024)
#define CMG_ENTRY_STREAM_OUT_SIZE (1024 * 1024)

typedef struct
{
  int                fd;
  const CmgZipEntry *entry;        /* method, sizes, CRC, name for messages */
  guint64            data_offset;  /* where the entry's data starts in fd */
  gboolean           check_crc;    /* FALSE for plain files (no stored CRC) */
} CmgEntryLocation;

/* Streams lines of the entry. With seek == NULL (or first_line == 0) the pass starts at the
 * beginning and covers the whole entry: the declared size and the CRC are then checked at the end
 * (CMG_SNAPSHOT_ERROR_CORRUPT) and, with build != NULL, the index is filled. Otherwise lines are
 * delivered from first_line (0-based) through the index. func may be NULL to only count; line
 * numbers given to func are 1-based. n_lines receives the number of lines seen. */
gboolean cmg_entry_stream_lines (const CmgEntryLocation  *location,
                                 CmgSeekIndex            *seek,
                                 guint64                  first_line,
                                 CmgSeekIndex            *build,
                                 CmgLineFunc              func,
                                 gpointer                 user_data,
                                 guint64                 *progress_bytes,
                                 guint64                 *n_lines,
                                 GCancellable            *cancellable,
                                 GError                 **error);

/* Total bytes this process produced by inflating or reading entries (for tests: proves that an
 * index loaded from disk spared a pass). */
guint64  cmg_entry_stream_get_total_output (void);

G_END_DECLS
