/* test-file-chooser.c: the wrapper every "Open…", "Save…" and "Choose folder…" goes through:
 * the chooser it shows, and the answer it hands back. */
#include "config.h"

#include <glib/gstdio.h>

#include "cmg-file-chooser.h"
#include "cmg-ui-test-utils.h"

typedef struct
{
  GtkWidget *window;
  GtkWidget *anchor;
  char *dir;
  GAsyncResult *result;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = g_dir_make_tmp ("cmg-chooser-XXXXXX", NULL);
  g_assert_nonnull (fixture->dir);
  fixture->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (fixture->window), "Parent");
  fixture->anchor = gtk_button_new_with_label ("Anchor");
  gtk_window_set_child (GTK_WINDOW (fixture->window), fixture->anchor);
  cmg_test_show_window (GTK_WINDOW (fixture->window));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->result);
  cmg_test_destroy_window (GTK_WINDOW (fixture->window));
  cmg_test_remove_tree (fixture->dir);
  g_free (fixture->dir);
}

static void
chosen_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_assert_true (object == G_OBJECT (fixture->anchor));
  fixture->result = g_object_ref (result);
}

static gboolean
has_result (gpointer data)
{
  return ((Fixture *) data)->result != NULL;
}

static GtkWindow *
chooser_window (const char *title)
{
  g_autoptr(GListModel) toplevels = g_object_ref (gtk_window_get_toplevels ());

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (GTK_IS_FILE_CHOOSER (window) && g_strcmp0 (gtk_window_get_title (window), title) == 0
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
chooser_shown (gpointer data)
{
  return chooser_window (data) != NULL;
}

/* The chooser on screen, once it shows. */
static GtkWindow *
wait_for_chooser (const char *title)
{
  g_assert_true (cmg_test_spin_until (chooser_shown, (gpointer) title, 5000));
  return chooser_window (title);
}

typedef struct
{
  GtkWindow *chooser;
  GFile *folder;
} FolderWait;

static gboolean
in_folder (gpointer data)
{
  FolderWait *wait = data;
  g_autoptr(GFile) current = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (wait->chooser));

  return current != NULL && g_file_equal (current, wait->folder);
}

/* Answers the chooser as a person would: with the button of that response, or by closing it. */
static void
answer (Fixture   *fixture,
        GtkWindow *chooser,
        int        response)
{
  if (response == GTK_RESPONSE_DELETE_EVENT)
    gtk_window_close (chooser);
  else
    {
      GtkWidget *button;

      G_GNUC_BEGIN_IGNORE_DEPRECATIONS
      button = gtk_dialog_get_widget_for_response (GTK_DIALOG (chooser), response);
      G_GNUC_END_IGNORE_DEPRECATIONS
      g_assert_nonnull (button);
      g_signal_emit_by_name (button, "clicked");
    }
  g_assert_true (cmg_test_spin_until (has_result, fixture, 5000));
}

static void
test_save (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->dir);
  g_autoptr(GFile) expected = g_file_get_child (folder, "convex-migrate.log");
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *chooser;

  cmg_file_chooser_run_async (fixture->anchor, CMG_FILE_CHOOSER_SAVE, "Save Log", "_Save", NULL,
                              "convex-migrate.log", folder, chosen_cb, fixture);
  chooser = wait_for_chooser ("Save Log");
  /* Over the anchor's window, modal, in save mode, with the proposed name. */
  g_assert_true (gtk_window_get_transient_for (chooser) == GTK_WINDOW (fixture->window));
  g_assert_true (gtk_window_get_modal (chooser));
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_SAVE);
  g_assert_cmpstr (gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser)), ==, "convex-migrate.log");
  g_assert_null (fixture->result);
  /* In the folder it was given, once that has loaded (the chooser only accepts a name then). */
  {
    FolderWait wait = { chooser, folder };

    g_assert_true (cmg_test_spin_until (in_folder, &wait, 5000));
  }
  cmg_test_spin (200);

  answer (fixture, chooser, GTK_RESPONSE_ACCEPT);
  file = cmg_file_chooser_run_file_finish (fixture->anchor, fixture->result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_true (g_file_equal (file, expected));
  /* The chooser is gone once answered. */
  g_assert_null (chooser_window ("Save Log"));
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GError) error = NULL;

  cmg_file_chooser_run_async (fixture->anchor, CMG_FILE_CHOOSER_SELECT_FOLDER, "Choose the Export Folder",
                              "_Select", NULL, NULL, NULL, chosen_cb, fixture);
  answer (fixture, wait_for_chooser ("Choose the Export Folder"), GTK_RESPONSE_CANCEL);
  files = cmg_file_chooser_run_finish (fixture->anchor, fixture->result, &error);
  g_assert_null (files);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (chooser_window ("Choose the Export Folder"));
}

static void
test_open_multiple_filters (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) exports = cmg_file_chooser_new_exports_filter ("Exports");
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();
  g_autoptr(GListModel) shown = NULL;
  g_autoptr(GtkFileFilter) first = NULL;
  g_autoptr(GListModel) files = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *chooser;

  gtk_file_filter_set_name (all, "All files");
  g_list_store_append (filters, exports);
  g_list_store_append (filters, all);
  cmg_file_chooser_run_async (fixture->anchor, CMG_FILE_CHOOSER_OPEN_MULTIPLE, "Open Export Archives", "_Open",
                              G_LIST_MODEL (filters), NULL, NULL, chosen_cb, fixture);
  chooser = wait_for_chooser ("Open Export Archives");
  g_assert_cmpint (gtk_file_chooser_get_action (GTK_FILE_CHOOSER (chooser)), ==, GTK_FILE_CHOOSER_ACTION_OPEN);
  g_assert_true (gtk_file_chooser_get_select_multiple (GTK_FILE_CHOOSER (chooser)));
  shown = gtk_file_chooser_get_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_list_model_get_n_items (shown), ==, 2);
  first = g_list_model_get_item (shown, 0);
  g_assert_cmpstr (gtk_file_filter_get_name (first), ==, "Exports");

  answer (fixture, chooser, GTK_RESPONSE_DELETE_EVENT);
  files = cmg_file_chooser_run_finish (fixture->anchor, fixture->result, &error);
  g_assert_null (files);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The exports filter takes what the app reads, whatever the case of the suffix, and nothing else. */
static void
test_exports_filter (void)
{
  g_autoptr(GtkFileFilter) filter = cmg_file_chooser_new_exports_filter ("Exports");
  const char *accepted[] = { "a.zip", "b.jsonl", "c.json", "d.csv", "E.ZIP" };
  const char *refused[] = { "e.txt", "f.tar.gz", "zip" };

  g_assert_cmpstr (gtk_file_filter_get_name (filter), ==, "Exports");
  for (guint i = 0; i < G_N_ELEMENTS (accepted); i++)
    {
      g_autoptr(GFileInfo) info = g_file_info_new ();

      g_file_info_set_display_name (info, accepted[i]);
      g_assert_true (gtk_filter_match (GTK_FILTER (filter), info));
    }
  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GFileInfo) info = g_file_info_new ();

      g_file_info_set_display_name (info, refused[i]);
      g_assert_false (gtk_filter_match (GTK_FILTER (filter), info));
    }
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add ("/file-chooser/save", Fixture, NULL, fixture_set_up, test_save, fixture_tear_down);
  g_test_add ("/file-chooser/cancel", Fixture, NULL, fixture_set_up, test_cancel, fixture_tear_down);
  g_test_add ("/file-chooser/open-multiple-filters", Fixture, NULL, fixture_set_up,
              test_open_multiple_filters, fixture_tear_down);
  g_test_add_func ("/file-chooser/exports-filter", test_exports_filter);

  return g_test_run ();
}
