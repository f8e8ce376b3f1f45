/* test-memory.c: the stated memory bound holds. Streams an entry that inflates to 1 GiB, with a
 * 300 MiB line in it, and checks the process's peak RSS (a process of its own, so that no other
 * test's allocations count). The bound of cmg-entry-stream.h is about 1.3 MiB of buffers plus
 * one line of at most CMG_SNAPSHOT_MAX_LINE (16 MiB) per reader. */
#include "config.h"

#include <locale.h>
#include <string.h>
#include <sys/resource.h>

#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-test-archive.h"

#define TOTAL      (G_GUINT64_CONSTANT (1) << 30)
#define LONG_LINE  (300 * 1024 * 1024)
#define LONG_START (100 * 1024 * 1024)
/* Baseline of a GLib test process (a few MiB) + libarchive's writer + the reader's bound, with
 * room to spare; far below what buffering the line or the entry would take. */
#if defined(__SANITIZE_ADDRESS__)
#define CMG_UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define CMG_UNDER_ASAN 1
#endif
#endif
#ifdef CMG_UNDER_ASAN
/* AddressSanitizer's shadow memory and quarantine add to every allocation; still far below the
 * 300 MiB line. */
#define RSS_BOUND_KIB (192 * 1024)
#else
#define RSS_BOUND_KIB (64 * 1024)
#endif

typedef struct
{
  guint64 written;
} Gen;

/* Lines of 100 bytes, except one of 300 MiB starting at 100 MiB. */
static gsize
fill (guint8  *buffer,
      gsize    size,
      gpointer user_data)
{
  Gen *g = user_data;
  gsize n = (gsize) MIN ((guint64) size, TOTAL - g->written);

  for (gsize i = 0; i < n; i++)
    {
      guint64 pos = g->written + i;

      if (pos >= LONG_START && pos < LONG_START + LONG_LINE)
        buffer[i] = 'x';
      else
        buffer[i] = pos % 100 == 99 ? '\n' : 'a';
    }
  g->written += n;
  return n;
}

static long
peak_rss_kib (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

typedef struct
{
  guint64  lines;
  guint64  truncated;
  gsize    longest;
} Seen;

static gboolean
on_line (const char *line,
         gsize       length,
         gboolean    truncated,
         guint64     line_number,
         gpointer    user_data)
{
  Seen *seen = user_data;

  seen->lines++;
  seen->truncated += truncated;
  seen->longest = MAX (seen->longest, length);
  return TRUE;
}

static void
test_memory_bound (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "huge.zip", NULL);
  g_autofree char *cache = g_build_filename (dir, "cache", NULL);
  CmgTestArchive *a;
  Gen gen = { 0 };
  g_autoptr(GFile) file = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  Seen seen = { 0 };
  long before, after;
  gint64 start;

  g_setenv ("CMG_CACHE_DIR", cache, TRUE);
  a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_FAST);
  cmg_test_archive_add_generated (a, "t/documents.jsonl", fill, &gen);
  cmg_test_archive_close (a);
  before = peak_rss_kib ();

  file = g_file_new_for_path (path);
  snapshot = cmg_snapshot_open (file, &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  g_assert_true (cmg_snapshot_read_lines (snapshot, "t/documents.jsonl", on_line, &seen, NULL,
                                          NULL, &error));
  g_assert_no_error (error);
  g_test_message ("1 GiB streamed line by line in %.2f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  g_assert_cmpuint (seen.truncated, ==, 1);
  g_assert_cmpuint (seen.longest, ==, CMG_SNAPSHOT_MAX_LINE);
  g_assert_cmpuint (seen.lines, ==, (TOTAL - LONG_LINE) / 100 + 1);

  g_assert_true (cmg_snapshot_count (snapshot, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cmg_table_get_documents (cmg_snapshot_find_table (snapshot, "", "t")), ==,
                   (gint64) seen.lines);

  after = peak_rss_kib ();
  g_test_message ("peak RSS: %ld KiB after writing the fixture, %ld KiB after reading", before,
                  after);
  g_assert_cmpint (after, <, RSS_BOUND_KIB);

  g_clear_object (&snapshot);
  cmg_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  setlocale (LC_ALL, "C.UTF-8");

  g_test_add_func ("/snapshot/memory/bound", test_memory_bound);
  return g_test_run ();
}
