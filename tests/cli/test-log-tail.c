/* test-log-tail.c: following a log file that grows while it is shown. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cmg-log-tail.h"

typedef struct
{
  GPtrArray *lines;
  guint      batches;
} Seen;

static void
lines_cb (CmgLogTail         *tail,
          const char * const *lines,
          guint               n_lines,
          Seen               *seen)
{
  g_assert_cmpuint (n_lines, >, 0);
  g_assert_null (lines[n_lines]);
  for (guint i = 0; i < n_lines; i++)
    g_ptr_array_add (seen->lines, g_strdup (lines[i]));
  seen->batches++;
}

static gboolean
n_lines_reached (Seen  *seen,
                 guint  n)
{
  gint64 end = g_get_monotonic_time () + 10 * G_TIME_SPAN_SECOND;

  while (seen->lines->len < n && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return seen->lines->len == n;
}

static void
append (const char *path,
        const char *text)
{
  FILE *f = fopen (path, "ab");

  g_assert_nonnull (f);
  g_assert_cmpuint (fwrite (text, 1, strlen (text), f), ==, strlen (text));
  fclose (f);
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (5 * G_TIME_SPAN_MILLISECOND);
    }
}

static void
test_tail_follows (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cmg-log-tail-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmgLogTail) tail = cmg_log_tail_new (file, 20);
  Seen seen = { g_ptr_array_new_with_free_func (g_free), 0 };

  g_assert_no_error (error);
  g_signal_connect (tail, "lines", G_CALLBACK (lines_cb), &seen);

  /* The run has not written its log yet: nothing, and no error. */
  cmg_log_tail_start (tail);
  spin (100);
  g_assert_cmpuint (seen.lines->len, ==, 0);

  append (path, "- Importing data.zip (2 KB)\n\n");
  g_assert_true (n_lines_reached (&seen, 2));
  g_assert_cmpstr (g_ptr_array_index (seen.lines, 0), ==, "- Importing data.zip (2 KB)");
  g_assert_cmpstr (g_ptr_array_index (seen.lines, 1), ==, "");

  /* Half a line waits for its end; then it comes whole, once. */
  append (path, "✔ Imported \"mess");
  spin (150);
  g_assert_cmpuint (seen.lines->len, ==, 2);
  append (path, "ages\" (3 documents)\n✔ Added 3 documents.\n");
  g_assert_true (n_lines_reached (&seen, 4));
  g_assert_cmpstr (g_ptr_array_index (seen.lines, 2), ==, "✔ Imported \"messages\" (3 documents)");
  g_assert_cmpstr (g_ptr_array_index (seen.lines, 3), ==, "✔ Added 3 documents.");
  g_assert_cmpuint (cmg_log_tail_get_offset (tail), ==,
                    strlen ("- Importing data.zip (2 KB)\n\n✔ Imported \"messages\" (3 documents)\n✔ Added 3 documents.\n"));

  /* Stopped: later lines are not read. */
  cmg_log_tail_stop (tail);
  append (path, "✔ Later\n");
  spin (150);
  g_assert_cmpuint (seen.lines->len, ==, 4);

  /* Started again: from the beginning (a view that was cleared shows the whole log). */
  cmg_log_tail_start (tail);
  g_assert_true (n_lines_reached (&seen, 4 + 5));
  g_assert_cmpstr (g_ptr_array_index (seen.lines, 8), ==, "✔ Later");

  g_signal_handlers_disconnect_by_data (tail, &seen);
  cmg_log_tail_stop (tail);
  g_ptr_array_unref (seen.lines);
  g_unlink (path);
  g_rmdir (dir);
}

/* Many lines written faster than the timer: every one arrives, in order, none twice. */
static void
test_tail_many (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cmg-log-tail-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(CmgLogTail) tail = cmg_log_tail_new (file, 10);
  Seen seen = { g_ptr_array_new_with_free_func (g_free), 0 };
  const guint n = 20000;

  g_assert_no_error (error);
  g_signal_connect (tail, "lines", G_CALLBACK (lines_cb), &seen);
  cmg_log_tail_start (tail);
  for (guint i = 0; i < n; i += 1000)
    {
      g_autoptr(GString) chunk = g_string_new (NULL);

      for (guint j = i; j < i + 1000; j++)
        g_string_append_printf (chunk, "line %u\n", j);
      append (path, chunk->str);
      cmg_log_tail_poll (tail);
      g_main_context_iteration (NULL, FALSE);
    }
  g_assert_true (n_lines_reached (&seen, n));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *want = g_strdup_printf ("line %u", i);

      g_assert_cmpstr (g_ptr_array_index (seen.lines, i), ==, want);
    }

  g_signal_handlers_disconnect_by_data (tail, &seen);
  cmg_log_tail_stop (tail);
  g_ptr_array_unref (seen.lines);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/log-tail/follows", test_tail_follows);
  g_test_add_func ("/log-tail/many", test_tail_many);

  return g_test_run ();
}
