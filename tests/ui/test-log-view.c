/* test-log-view.c: the log view with a million lines: batches, follow mode, jump to end, find,
 * copy, save, a spinner line redrawn in place, and loading a log file. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "cmg-log-view.h"
#include "cmg-ui-test-utils.h"

#define N_LINES 1000000
#define BATCH 10000

typedef struct
{
  GtkWidget *window;
  CmgLogView *view;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 700, 400);
  fixture->view = CMG_LOG_VIEW (cmg_log_view_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->view));
  cmg_test_show_window (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  cmg_test_destroy_window (GTK_WINDOW (fixture->window));
}

/* A row showing text whose whole height lies inside the scrolled window. */
static gboolean
find_visible_row (GtkWidget  *widget,
                  GtkWidget  *viewport,
                  const char *text)
{
  if (GTK_IS_INSCRIPTION (widget) &&
      gtk_widget_get_mapped (widget) &&
      g_strcmp0 (gtk_inscription_get_text (GTK_INSCRIPTION (widget)), text) == 0)
    {
      graphene_rect_t bounds;

      if (gtk_widget_compute_bounds (widget, viewport, &bounds) &&
          bounds.origin.y >= -0.5 &&
          bounds.origin.y + bounds.size.height <= gtk_widget_get_height (viewport) + 0.5)
        return TRUE;
    }
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child; child = gtk_widget_get_next_sibling (child))
    if (find_visible_row (child, viewport, text))
      return TRUE;
  return FALSE;
}

typedef struct
{
  CmgLogView *view;
  const char *text;
} RowWait;

static gboolean
row_visible (gpointer data)
{
  RowWait *wait = data;
  GtkWidget *list = GTK_WIDGET (cmg_log_view_get_list_view (wait->view));

  return find_visible_row (list, gtk_widget_get_parent (list), wait->text);
}

static void
test_million (Fixture       *fixture,
              gconstpointer  data)
{
  CmgLogModel *model = cmg_log_view_get_model (fixture->view);
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_free);
  RowWait wait = { fixture->view, NULL };
  GtkWidget *jump = cmg_test_find_widget (GTK_WIDGET (fixture->view), "jump_button");
  GtkAdjustment *adjustment;
  gint64 start, elapsed;
  guint found;

  g_assert_true (cmg_log_view_get_following (fixture->view));

  start = g_get_monotonic_time ();
  for (guint i = 0; i < N_LINES; i += BATCH)
    {
      g_ptr_array_set_size (batch, 0);
      for (guint j = i; j < i + BATCH; j++)
        g_ptr_array_add (batch, g_strdup_printf ("line %u: Imported \"messages\" (%u documents)", j, j));
      cmg_log_model_append_lines (model, (const char * const *) batch->pdata, batch->len);
      /* The main loop runs between batches, as it does between a process's reads. */
      g_main_context_iteration (NULL, FALSE);
    }
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("appending %u lines in batches of %u: %.1f ms", N_LINES, BATCH, elapsed / 1000.0);
  g_print ("# appending %u lines in batches of %u: %.1f ms\n", N_LINES, BATCH, elapsed / 1000.0);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, N_LINES);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (cmg_log_view_get_list_view (fixture->view)))),
                    ==, N_LINES);

  /* Follow mode: the last line is on screen, the first is not. */
  wait.text = "line 999999: Imported \"messages\" (999999 documents)";
  g_assert_true (cmg_test_spin_until (row_visible, &wait, 5000));
  g_assert_true (cmg_log_view_get_following (fixture->view));
  g_assert_false (gtk_widget_get_visible (jump));
  cmg_test_save_snapshot (fixture->window, "log-view-million");

  /* One more line arrives: still followed. */
  cmg_log_model_append (model, "the newest line");
  wait.text = "the newest line";
  g_assert_true (cmg_test_spin_until (row_visible, &wait, 5000));

  /* The user scrolls up: following stops and "Jump to End" appears; new lines do not move the view. */
  adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (cmg_test_find_widget (GTK_WIDGET (fixture->view), "scrolled")));
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment) / 2);
  g_assert_false (cmg_log_view_get_following (fixture->view));
  g_assert_true (gtk_widget_get_visible (jump));
  cmg_log_model_append (model, "arrives while reading above");
  cmg_test_spin (200);
  g_assert_false (row_visible (&(RowWait) { fixture->view, "arrives while reading above" }));
  g_assert_false (cmg_log_view_get_following (fixture->view));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.jump-to-end", NULL));
  wait.text = "arrives while reading above";
  g_assert_true (cmg_test_spin_until (row_visible, &wait, 5000));
  g_assert_true (cmg_log_view_get_following (fixture->view));
  g_assert_false (gtk_widget_get_visible (jump));

  /* Find: the matching line is selected and shown; again wraps to the next; none says so. */
  start = g_get_monotonic_time ();
  found = cmg_log_view_find (fixture->view, "LINE 123456:", TRUE);
  g_print ("# finding a line among %u: %.1f ms\n", N_LINES, (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpuint (found, ==, 123456);
  g_assert_true (gtk_selection_model_is_selected (GTK_SELECTION_MODEL (gtk_list_view_get_model (cmg_log_view_get_list_view (fixture->view))), 123456));
  wait.text = "line 123456: Imported \"messages\" (123456 documents)";
  g_assert_true (cmg_test_spin_until (row_visible, &wait, 5000));
  g_assert_false (cmg_log_view_get_following (fixture->view));
  g_assert_cmpuint (cmg_log_view_find (fixture->view, "(999998 documents)", TRUE), ==, 999998);
  g_assert_cmpuint (cmg_log_view_find (fixture->view, "no such text", TRUE), ==, GTK_INVALID_LIST_POSITION);
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->view), "match_label"), ==, "No match");

  /* Copy: the selected line only. */
  {
    g_autofree char *text = cmg_log_view_dup_copy_text (fixture->view);

    g_assert_cmpstr (text, ==, "line 999998: Imported \"messages\" (999998 documents)\n");
  }

  cmg_log_view_clear (fixture->view);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_true (cmg_log_view_get_following (fixture->view));
}

static gboolean
second_selected (gpointer data)
{
  GtkSelectionModel *selection = GTK_SELECTION_MODEL (gtk_list_view_get_model (cmg_log_view_get_list_view (data)));

  return gtk_selection_model_is_selected (selection, 1);
}

static void
test_spinner_and_copy (Fixture       *fixture,
                       gconstpointer  data)
{
  CmgLogModel *model = cmg_log_view_get_model (fixture->view);
  g_autofree char *all = NULL;

  cmg_log_model_append (model, "- Creating snapshot export");
  cmg_log_model_append (model, "⠋ Downloading");
  /* Queued lines reach the model in one batch, shortly after. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  g_assert_cmpuint (cmg_log_model_get_n_lines (model), ==, 2);
  cmg_test_spin (100);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);

  /* The spinner redraws its line in place. */
  cmg_log_model_set_line (model, 1, "✔ Downloaded snapshot export");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  g_assert_cmpstr (cmg_log_model_get_line (model, 1), ==, "✔ Downloaded snapshot export");

  /* Nothing selected: copy takes everything, and it reaches the clipboard. */
  all = cmg_log_view_dup_copy_text (fixture->view);
  g_assert_cmpstr (all, ==, "- Creating snapshot export\n✔ Downloaded snapshot export\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.copy", NULL));
  {
    GdkContentProvider *content = gdk_clipboard_get_content (gtk_widget_get_clipboard (GTK_WIDGET (fixture->view)));
    GValue value = G_VALUE_INIT;

    g_assert_nonnull (content);
    g_value_init (&value, G_TYPE_STRING);
    g_assert_true (gdk_content_provider_get_value (content, &value, NULL));
    g_assert_cmpstr (g_value_get_string (&value), ==, all);
    g_value_unset (&value);
  }

  /* Ctrl+F opens the search bar. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->view), "log.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (GTK_SEARCH_BAR (cmg_test_find_widget (GTK_WIDGET (fixture->view), "search_bar"))));
  gtk_editable_set_text (GTK_EDITABLE (cmg_test_find_widget (GTK_WIDGET (fixture->view), "search_entry")), "download");
  g_assert_true (cmg_test_spin_until (second_selected, fixture->view, 3000));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (fixture->view), "match_label"), ==, "Line 2");
}

static void
saved_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;

  if (!cmg_log_view_save_finish (CMG_LOG_VIEW (object), result, error) && *error == NULL)
    g_assert_not_reached ();
  if (*error == NULL)
    *error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NONE, "ok");
}

static void
loaded_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (cmg_log_view_load_file_finish (CMG_LOG_VIEW (object), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static gboolean
pointer_set (gpointer data)
{
  return *(gpointer *) data != NULL;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
test_save_and_load (Fixture       *fixture,
                    gconstpointer  data)
{
  CmgLogModel *model = cmg_log_view_get_model (fixture->view);
  const char *lines[] = { "first", "second ✔", "third" };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cmg-log-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "run.log", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *contents = NULL;
  gboolean done = FALSE;

  g_assert_no_error (error);
  g_assert_false (gtk_widget_is_sensitive (cmg_test_find_widget (GTK_WIDGET (fixture->view), "save_button")));
  cmg_log_model_append_lines (model, lines, 3);
  g_assert_true (gtk_widget_is_sensitive (cmg_test_find_widget (GTK_WIDGET (fixture->view), "save_button")));

  cmg_log_view_save_async (fixture->view, file, FALSE, NULL, saved_cb, &error);
  g_assert_true (cmg_test_spin_until (pointer_set, &error, 5000));
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NONE));
  g_clear_error (&error);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "first\nsecond ✔\nthird\n");

  /* Never overwritten without the dialog's confirmation. */
  cmg_log_model_append (model, "fourth");
  cmg_log_view_save_async (fixture->view, file, FALSE, NULL, saved_cb, &error);
  g_assert_true (cmg_test_spin_until (pointer_set, &error, 5000));
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS));
  g_clear_error (&error);
  g_clear_pointer (&contents, g_free);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_cmpstr (contents, ==, "first\nsecond ✔\nthird\n");

  /* Loading a log file (invalid UTF-8 included) replaces the content. */
  cmg_test_write_file (dir, "other.log", "one\ntwo \377 bytes\nthree");
  {
    g_autofree char *other = g_build_filename (dir, "other.log", NULL);
    g_autoptr(GFile) other_file = g_file_new_for_path (other);

    cmg_log_view_load_file_async (fixture->view, other_file, NULL, loaded_cb, &done);
    g_assert_true (cmg_test_spin_until (flag_set, &done, 5000));
  }
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 3);
  g_assert_cmpstr (cmg_log_model_get_line (model, 0), ==, "one");
  g_assert_true (g_utf8_validate (cmg_log_model_get_line (model, 1), -1, NULL));
  g_assert_cmpstr (cmg_log_model_get_line (model, 2), ==, "three");

  cmg_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add ("/log-view/million", Fixture, NULL, fixture_set_up, test_million, fixture_tear_down);
  g_test_add ("/log-view/spinner-and-copy", Fixture, NULL, fixture_set_up, test_spinner_and_copy, fixture_tear_down);
  g_test_add ("/log-view/save-and-load", Fixture, NULL, fixture_set_up, test_save_and_load, fixture_tear_down);

  return g_test_run ();
}
