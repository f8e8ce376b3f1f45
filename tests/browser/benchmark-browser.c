/* benchmark-browser.c: opens a large generated export (CMG_BENCH_ROWS rows, 1,000,000 by
 * default) in the real widget tree and prints the time to the first drawn table list and to the
 * first drawn rows of the large table, then to rows near its end. Figures only, no assertion on
 * time. */
#include "config.h"

#include <glib/gstdio.h>

#include "browser/cmg-archive-browser.h"
#include "browser/cmg-archive-view.h"
#include "cmg-browser-test-utils.h"
#include "cmg-test-archive.h"

typedef struct
{
  guint64 rows;
  guint64 next;
  GString *pending;
} Generator;

static gsize
fill_rows (guint8  *buffer,
           gsize    size,
           gpointer user_data)
{
  Generator *g = user_data;
  gsize written = 0;

  while (written < size)
    {
      gsize take;

      if (g->pending->len == 0)
        {
          g_autofree char *id = NULL;

          if (g->next >= g->rows)
            break;
          id = cmg_browser_test_id (10001, (guint) g->next);
          g_string_printf (g->pending,
                           "{\"_creationTime\":%" G_GUINT64_FORMAT ".5,\"_id\":\"%s\",\"n\":%" G_GUINT64_FORMAT
                           ",\"name\":\"user %" G_GUINT64_FORMAT "\",\"score\":%" G_GUINT64_FORMAT ".25}\n",
                           1700000000000 + g->next, id, g->next, g->next, g->next % 100);
          g->next++;
        }
      take = MIN (size - written, g->pending->len);
      memcpy (buffer + written, g->pending->str, take);
      g_string_erase (g->pending, 0, take);
      written += take;
    }
  return written;
}

typedef struct
{
  GtkWidget *widget;
  gint64     drawn_at;
} Drawn;

static void
after_paint_cb (GdkFrameClock *clock,
                Drawn         *drawn)
{
  if (drawn->drawn_at == 0 && drawn->widget != NULL && gtk_widget_get_mapped (drawn->widget))
    drawn->drawn_at = g_get_monotonic_time ();
}

static gboolean
view_ready (gpointer data)
{
  return cmg_archive_browser_get_n_opening (data) == 0;
}

static gboolean
painted (gpointer data)
{
  return ((Drawn *) data)->drawn_at != 0;
}

typedef struct
{
  CmgTableView *view;
  gint64        row;
} RowWait;

static gboolean
row_selected (gpointer data)
{
  RowWait *wait = data;

  return cmg_table_view_get_fields (wait->view) != NULL
         && cmg_table_view_get_selected_row (wait->view) == wait->row;
}

static gboolean
counted (gpointer data)
{
  return !cmg_archive_view_get_counting (data);
}

int
main (int   argc,
      char *argv[])
{
  const char *rows_env = g_getenv ("CMG_BENCH_ROWS");
  Generator generator = { rows_env ? g_ascii_strtoull (rows_env, NULL, 10) : 1000000, 0, g_string_new (NULL) };
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  CmgTestArchive *archive;
  GtkWidget *browser;
  GtkWindow *window;
  GdkFrameClock *clock;
  CmgArchiveView *view;
  CmgTableView *table_view;
  Drawn list = { 0 }, rows = { 0 };
  RowWait wait;
  gint64 start, t;

  cmg_browser_test_init (&argc, &argv);
  dir = cmg_test_make_temp_dir ();
  path = g_build_filename (dir, "snapshot_bench-deployment_1732406450000.zip", NULL);

  t = g_get_monotonic_time ();
  archive = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_FAST);
  cmg_test_archive_add_readme (archive);
  cmg_test_archive_add_table (archive, "", "small", 10002, "\"uniform\"", "{\"_creationTime\":1.0,\"_id\":\"x\",\"a\":1}\n");
  cmg_test_archive_add_tables_line (archive, "", "{\"name\":\"big\",\"id\":10001}");
  cmg_test_archive_add (archive, "big/generated_schema.jsonl", "\"uniform\"\n", -1);
  cmg_test_archive_add_generated (archive, "big/documents.jsonl", fill_rows, &generator);
  cmg_test_archive_close (archive);
  g_print ("built %" G_GUINT64_FORMAT " rows in %.2f s\n", generator.rows,
           (g_get_monotonic_time () - t) / 1e6);

  browser = cmg_archive_browser_new ();
  window = cmg_browser_test_window (browser);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &list);
  g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &rows);

  file = g_file_new_for_path (path);
  start = g_get_monotonic_time ();
  cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), file);
  g_assert_true (cmg_browser_test_wait (view_ready, browser, 60000));
  view = CMG_ARCHIVE_VIEW (cmg_archive_browser_get_current_page (CMG_ARCHIVE_BROWSER (browser)));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.show-page", "s", "tables");
  list.widget = cmg_archive_view_get_table_list (view);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (cmg_browser_test_wait (painted, &list, 60000));
  g_print ("first drawn table list: %.1f ms after open\n", (list.drawn_at - start) / 1e3);

  table_view = cmg_archive_view_get_table_view (view);
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", "big");
  wait = (RowWait) { table_view, 0 };
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.go-to-row", "t", (guint64) 0);
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 600000));
  rows.widget = GTK_WIDGET (table_view);
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (cmg_browser_test_wait (painted, &rows, 60000));
  g_print ("first drawn rows of “big”: %.1f ms after open (rows appear once the table is counted "
           "and indexed; the table list shows counting progress until then)\n",
           (rows.drawn_at - start) / 1e3);
  g_assert_true (cmg_browser_test_wait (counted, view, 600000));
  g_print ("“big” holds %" G_GINT64_FORMAT " documents\n",
           cmg_table_get_documents (cmg_table_view_get_table (table_view)));
  g_assert_cmpint (cmg_table_get_documents (cmg_table_view_get_table (table_view)), ==, (gint64) generator.rows);

  /* A jump to the end: only the rows on screen are read, through the seek index. */
  rows.drawn_at = 0;
  t = g_get_monotonic_time ();
  wait = (RowWait) { table_view, (gint64) generator.rows - 5 };
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.go-to-row", "t", generator.rows - 5);
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 60000));
  gtk_widget_queue_draw (GTK_WIDGET (window));
  g_assert_true (cmg_browser_test_wait (painted, &rows, 60000));
  g_print ("jump to row %" G_GUINT64_FORMAT " drawn in %.1f ms\n", generator.rows - 4,
           (rows.drawn_at - t) / 1e3);
  cmg_browser_test_snapshot (window, "browser-benchmark", NULL);

  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, &list);
  g_signal_handlers_disconnect_by_func (clock, after_paint_cb, &rows);
  gtk_window_destroy (window);
  cmg_browser_test_spin (100);
  cmg_test_remove_dir (dir);
  g_string_free (generator.pending, TRUE);
  return 0;
}
