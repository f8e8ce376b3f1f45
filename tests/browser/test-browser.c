/* test-browser.c: the archive browser driven through its actions on archives the test builds:
 * open, summary, select a table, go to a row, follow an Id and come back, search, file storage,
 * the check report, export, a broken file next to a good one, and PNG snapshots of each view. */
#include "config.h"

#include <glib/gstdio.h>

#include "browser/cmg-archive-browser.h"
#include "browser/cmg-archive-view.h"
#include "browser/cmg-document-format.h"
#include "browser/cmg-table-export.h"
#include "cmg-browser-test-utils.h"
#include "cmg-test-archive.h"

#define USERS 10001
#define MESSAGES 10002

typedef struct
{
  char *dir;
  char *path;
  char *users[3];
  char *messages[3];
  char *ghost;
} Fixture;

static GBytes *
make_png (void)
{
  guint8 pixels[16 * 16 * 4];
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GdkTexture) texture = NULL;

  for (guint i = 0; i < 16 * 16; i++)
    {
      pixels[i * 4 + 0] = (guint8) (i * 5);
      pixels[i * 4 + 1] = 0x80;
      pixels[i * 4 + 2] = (guint8) (255 - i);
      pixels[i * 4 + 3] = 0xff;
    }
  data = g_bytes_new (pixels, sizeof pixels);
  texture = gdk_memory_texture_new (16, 16, GDK_MEMORY_R8G8B8A8, data, 16 * 4);
  return gdk_texture_save_to_png_bytes (texture);
}

static char *
storage_metadata (const char *id,
                  const void *data,
                  gsize       size,
                  const char *type)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize len = sizeof digest;
  g_autofree char *b64 = NULL;

  g_checksum_update (checksum, data, size);
  g_checksum_get_digest (checksum, digest, &len);
  b64 = g_base64_encode (digest, len);
  return g_strdup_printf ("{\"_creationTime\":1732406450000.0,\"_id\":\"%s\",\"contentType\":\"%s\","
                          "\"internalId\":\"x\",\"sha256\":\"%s\",\"size\":%" G_GSIZE_FORMAT "}",
                          id, type, b64, size);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  CmgTestArchive *archive;
  g_autofree char *users = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *steps = NULL;
  g_autofree char *png_id = cmg_browser_test_id (540, 100);
  g_autofree char *txt_id = cmg_browser_test_id (540, 101);
  g_autofree char *png_name = g_strdup_printf ("%s.png", png_id);
  g_autofree char *txt_name = g_strdup_printf ("%s.txt", txt_id);
  g_autofree char *png_meta = NULL;
  g_autofree char *txt_meta = NULL;
  g_autoptr(GBytes) png = make_png ();
  const char *text = "Meeting notes\nShip the browser.\n";

  /* Every test starts without recent archives (the memory backend lives as long as the process). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

    g_settings_reset (settings, "recent-archives");
  }
  f->dir = cmg_test_make_temp_dir ();
  f->path = g_build_filename (f->dir, "snapshot_happy-animal-123_1732406450000000000.zip", NULL);
  for (guint i = 0; i < 3; i++)
    {
      f->users[i] = cmg_browser_test_id (USERS, i);
      f->messages[i] = cmg_browser_test_id (MESSAGES, 10 + i);
    }
  f->ghost = cmg_browser_test_id (USERS, 99);

  users = g_strdup_printf (
    "{\"_creationTime\":1732406450000.125,\"_id\":\"%s\",\"age\":36,\"avatar\":{\"$bytes\":\"AAEC\"},"
      "\"name\":\"Ada Lovelace\",\"rating\":{\"$float\":\"AAAAAAAA+H8=\"},\"score\":36.0}\n"
    "{\"_creationTime\":1732406451000.5,\"_id\":\"%s\",\"age\":85,\"name\":\"Grace Hopper\",\"score\":9.5}\n"
    "{\"_creationTime\":1732406452000.0,\"_id\":\"%s\",\"age\":7,\"name\":\"Cy\",\"tags\":[\"a\",\"b\"]}\n",
    f->users[0], f->users[1], f->users[2]);
  messages = g_strdup_printf (
    "{\"_creationTime\":1732406460000.0,\"_id\":\"%s\",\"author\":\"%s\",\"body\":\"Hello, Grace!\"}\n"
    "{\"_creationTime\":1732406461000.0,\"_id\":\"%s\",\"author\":\"%s\",\"body\":\"Hi Ada\"}\n"
    "{\"_creationTime\":1732406462000.0,\"_id\":\"%s\",\"author\":\"%s\",\"body\":\"Who am I?\"}\n",
    f->messages[0], f->users[0], f->messages[1], f->users[1], f->messages[2], f->ghost);
  {
    g_autofree char *s0 = cmg_browser_test_id (USERS, 50);
    g_autofree char *s1 = cmg_browser_test_id (USERS, 51);

    steps = g_strdup_printf ("{\"_creationTime\":1.0,\"_id\":\"%s\",\"step\":1}\n"
                             "{\"_creationTime\":2.0,\"_id\":\"%s\",\"step\":2}\n", s0, s1);
  }
  png_meta = storage_metadata (png_id, g_bytes_get_data (png, NULL), g_bytes_get_size (png), "image/png");
  txt_meta = storage_metadata (txt_id, text, strlen (text), "text/plain");

  archive = cmg_test_archive_new (f->path, CMG_TEST_ARCHIVE_DEFAULT);
  cmg_test_archive_add_readme (archive);
  cmg_test_archive_add_table (archive, "", "users", USERS, "\"uniform\"", users);
  cmg_test_archive_add_table (archive, "", "messages", MESSAGES, "\"uniform\"", messages);
  cmg_test_archive_add_table (archive, "workflow", "steps", USERS, "\"uniform\"", steps);
  cmg_test_archive_add_storage_file (archive, "", png_name, g_bytes_get_data (png, NULL),
                                     g_bytes_get_size (png), png_meta);
  cmg_test_archive_add_storage_file (archive, "", txt_name, text, strlen (text), txt_meta);
  cmg_test_archive_close (archive);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  cmg_test_remove_dir (f->dir);
  g_free (f->dir);
  g_free (f->path);
  for (guint i = 0; i < 3; i++)
    {
      g_free (f->users[i]);
      g_free (f->messages[i]);
    }
  g_free (f->ghost);
}

/* Conditions. */

static gboolean
opened (gpointer data)
{
  return cmg_archive_browser_get_n_opening (data) == 0;
}

static gboolean
checked (gpointer data)
{
  return !cmg_archive_view_get_counting (data) && cmg_archive_view_get_validation (data) != NULL;
}

static gboolean
has_fields (gpointer data)
{
  return cmg_table_view_get_fields (data) != NULL;
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
not_navigating (gpointer data)
{
  return !cmg_archive_view_get_navigating (data);
}

static gboolean
search_done (gpointer data)
{
  return !cmg_table_view_get_searching (data);
}

static gboolean
storage_checked (gpointer data)
{
  const char *status = cmg_storage_view_get_status (data, 0);

  return status != NULL && g_strcmp0 (status, "checking…") != 0;
}

static gboolean
preview_loaded (gpointer data)
{
  CmgStoragePreview preview = cmg_storage_view_get_preview (data);

  return preview != CMG_STORAGE_PREVIEW_LOADING && preview != CMG_STORAGE_PREVIEW_NONE;
}

static gboolean
notice_is_final (gpointer data)
{
  const char *notice = cmg_table_view_get_notice (data);

  return notice != NULL && !g_str_has_suffix (notice, "…");
}

static const char *
current_table (CmgTableView *view)
{
  CmgTable *table = cmg_table_view_get_table (view);

  return table ? cmg_table_get_name (table) : NULL;
}

static void
go_to (CmgArchiveView *view,
       const char     *table,
       gint64          row)
{
  CmgTableView *table_view = cmg_archive_view_get_table_view (view);
  RowWait wait = { table_view, row };

  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", table);
  g_assert_cmpstr (current_table (table_view), ==, strchr (table, ':') ? strchr (table, ':') + 1 : table);
  g_assert_true (cmg_browser_test_wait (has_fields, table_view, 10000));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.go-to-row", "t", (guint64) row);
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static void
test_browse (Fixture       *f,
             gconstpointer  data)
{
  GtkWidget *browser = cmg_archive_browser_new ();
  GtkWindow *window = cmg_browser_test_window (browser);
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  CmgArchiveView *view;
  CmgTableView *table_view;
  g_autofree char *summary = NULL;
  g_autofree char *detail = NULL;
  const char * const *fields;
  RowWait wait;

  g_object_add_weak_pointer (G_OBJECT (browser), (gpointer *) &browser);
  g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 0);
  cmg_browser_test_snapshot (window, "browser-empty", NULL);

  /* Open. */
  cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), file);
  g_assert_true (cmg_browser_test_wait (opened, browser, 10000));
  g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 1);
  view = CMG_ARCHIVE_VIEW (cmg_archive_browser_get_current_page (CMG_ARCHIVE_BROWSER (browser)));
  g_assert_true (CMG_IS_ARCHIVE_VIEW (view));
  g_assert_cmpuint (g_list_model_get_n_items (cmg_archive_browser_get_recent (CMG_ARCHIVE_BROWSER (browser))), ==, 1);
  table_view = cmg_archive_view_get_table_view (view);

  /* Summary: counts, the export's name, the checks in plain words. */
  g_assert_true (cmg_browser_test_wait (checked, view, 20000));
  summary = cmg_archive_view_dup_summary_text (view);
  g_test_message ("%s", summary);
  g_assert_nonnull (strstr (summary, "Kind: Convex export (ZIP)"));
  g_assert_nonnull (strstr (summary, "Deployment: happy-animal-123"));
  g_assert_nonnull (strstr (summary, "Exported: 2024-11-2"));
  g_assert_nonnull (strstr (summary, "Documents: 8 documents"));
  g_assert_nonnull (strstr (summary, "2 tables of the app, 1 in 1 component"));
  g_assert_nonnull (strstr (summary, "File storage: 2 files"));
  g_assert_nonnull (strstr (summary, "Schema: uniform"));
  g_test_message ("%s", cmg_archive_view_get_check_summary (view));
  g_assert_nonnull (strstr (cmg_archive_view_get_check_summary (view),
                            "1 document in “messages” refers to “users” documents that are not in this archive"));
  g_assert_true (cmg_archive_view_table_has_problems (view, "messages"));
  g_assert_false (cmg_archive_view_table_has_problems (view, "users"));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.show-page", "s", "summary");
  cmg_browser_test_snapshot (window, "browser-summary", "browser-summary.png");

  /* A table: columns from its fields, _id and _creationTime first. */
  go_to (view, "users", 2);
  fields = cmg_table_view_get_fields (table_view);
  g_assert_cmpstr (fields[0], ==, "_id");
  g_assert_cmpstr (fields[1], ==, "_creationTime");
  g_assert_cmpstr (fields[2], ==, "age");
  g_assert_cmpstr (fields[3], ==, "avatar");
  g_assert_cmpstr (fields[4], ==, "name");
  g_assert_cmpuint (g_strv_length ((GStrv) fields), ==, 8);
  detail = cmg_table_view_dup_detail_text (table_view);
  g_assert_nonnull (strstr (detail, "\"name\": \"Cy\""));
  g_clear_pointer (&detail, g_free);
  go_to (view, "users", 0);
  detail = cmg_table_view_dup_detail_text (table_view);
  g_assert_nonnull (strstr (detail, "\"age\": 36,"));
  g_assert_nonnull (strstr (detail, "\"score\": 36.0"));
  g_assert_nonnull (strstr (detail, "(NaN)"));
  g_clear_pointer (&detail, g_free);
  cmg_browser_test_snapshot (window, "browser-table", "browser-table.png");

  /* A component's table. */
  go_to (view, "workflow:steps", 1);
  g_assert_cmpstr (cmg_table_get_component (cmg_table_view_get_table (table_view)), ==, "workflow");

  /* A document with a reference; follow it, then back and forward. */
  go_to (view, "messages", 1);
  detail = cmg_table_view_dup_detail_text (table_view);
  g_assert_nonnull (strstr (detail, f->users[1]));
  g_assert_nonnull (strstr (detail, "→ users"));
  g_clear_pointer (&detail, g_free);
  cmg_browser_test_snapshot (window, "browser-document", "browser-document.png");
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-first-id", NULL);
  g_assert_true (cmg_browser_test_wait (not_navigating, view, 10000));
  g_assert_cmpstr (current_table (table_view), ==, "users");
  wait = (RowWait) { table_view, 1 };
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
  detail = cmg_table_view_dup_detail_text (table_view);
  g_assert_nonnull (strstr (detail, "Grace Hopper"));
  g_clear_pointer (&detail, g_free);

  gtk_widget_activate_action (GTK_WIDGET (view), "archive.back", NULL);
  g_assert_cmpstr (current_table (table_view), ==, "messages");
  g_assert_true (cmg_browser_test_wait (has_fields, table_view, 10000));
  wait = (RowWait) { table_view, 1 };
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.forward", NULL);
  g_assert_cmpstr (current_table (table_view), ==, "users");

  /* A reference to a document that is not in the archive. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", f->ghost);
  g_assert_true (cmg_browser_test_wait (not_navigating, view, 10000));
  g_assert_true (cmg_browser_test_wait (notice_is_final, table_view, 10000));
  g_assert_nonnull (strstr (cmg_table_view_get_notice (table_view), "is not in table “users”"));
  g_assert_cmpstr (current_table (table_view), ==, "users");

  /* Search, streaming; then activate a result. */
  go_to (view, "users", 0);
  gtk_widget_activate_action (GTK_WIDGET (table_view), "table.find", NULL);
  cmg_table_view_search (table_view, "grace");
  g_assert_true (cmg_browser_test_wait (search_done, table_view, 10000));
  g_assert_cmpuint (cmg_table_view_get_n_results (table_view), ==, 1);
  cmg_table_view_activate_result (table_view, 0);
  wait = (RowWait) { table_view, 1 };
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
  cmg_table_view_search (table_view, "age == 7");
  g_assert_true (cmg_browser_test_wait (search_done, table_view, 10000));
  g_assert_cmpuint (cmg_table_view_get_n_results (table_view), ==, 1);

  /* Export the table and the search results; the temporary file is gone afterwards. */
  {
    g_autofree char *csv = g_build_filename (f->dir, "users.csv", NULL);
    g_autofree char *jsonl = g_build_filename (f->dir, "results.jsonl", NULL);
    g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
    g_autoptr(GFile) jsonl_file = g_file_new_for_path (jsonl);
    g_autofree char *contents = NULL;
    g_autoptr(GDir) dir = NULL;
    const char *name;

    cmg_table_view_export_to_file (table_view, csv_file, CMG_TABLE_EXPORT_CSV, FALSE);
    g_assert_true (cmg_browser_test_wait (file_exists, csv, 10000));
    cmg_table_view_export_to_file (table_view, jsonl_file, CMG_TABLE_EXPORT_JSONL, TRUE);
    g_assert_true (cmg_browser_test_wait (file_exists, jsonl, 10000));
    cmg_browser_test_spin (50);
    g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
    g_assert_true (g_str_has_prefix (contents, "_id,_creationTime,age,avatar,name,rating,score,tags\r\n"));
    g_assert_nonnull (strstr (contents, ",85,,Grace Hopper,,9.5,\r\n"));
    g_clear_pointer (&contents, g_free);
    g_assert_true (g_file_get_contents (jsonl, &contents, NULL, NULL));
    g_assert_nonnull (strstr (contents, "\"name\":\"Cy\""));
    g_assert_null (strstr (contents, "Grace"));
    dir = g_dir_open (f->dir, 0, NULL);
    while ((name = g_dir_read_name (dir)) != NULL)
      g_assert_false (name[0] == '.');
  }

  /* File storage: checksums and a preview. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.show-page", "s", "storage");
  {
    CmgStorageView *storage = cmg_archive_view_get_storage_view (view);

    g_assert_cmpuint (cmg_storage_view_get_n_files (storage), ==, 2);
    g_assert_true (cmg_browser_test_wait (storage_checked, storage, 10000));
    g_assert_cmpstr (cmg_storage_view_get_status (storage, 0), ==, "✓ matches");
    g_assert_cmpstr (cmg_storage_view_get_status (storage, 1), ==, "✓ matches");
    cmg_storage_view_select (storage, 1);
    g_assert_true (cmg_browser_test_wait (preview_loaded, storage, 10000));
    g_assert_cmpint (cmg_storage_view_get_preview (storage), ==, CMG_STORAGE_PREVIEW_TEXT);
    cmg_storage_view_select (storage, 0);
    g_assert_true (cmg_browser_test_wait (preview_loaded, storage, 10000));
    g_assert_cmpint (cmg_storage_view_get_preview (storage), ==, CMG_STORAGE_PREVIEW_IMAGE);
    cmg_browser_test_snapshot (window, "browser-storage", "browser-storage.png");
  }

  /* The check report: activating the finding shows its document. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.show-page", "s", "checks");
  {
    CmgCheckReport *report = cmg_archive_view_get_check_report (view);
    guint n = cmg_check_report_get_n_findings (report);
    guint dangling = G_MAXUINT;

    g_assert_cmpuint (n, >, 0);
    for (guint i = 0; i < n; i++)
      if (g_strcmp0 (cmg_check_report_get_finding (report, i)->code, "dangling-reference") == 0)
        dangling = i;
    g_assert_cmpuint (dangling, !=, G_MAXUINT);
    g_assert_cmpuint (cmg_check_report_get_finding (report, dangling)->line, ==, 3);
    cmg_browser_test_snapshot (window, "browser-checks", "browser-checks.png");
    gtk_widget_activate_action (GTK_WIDGET (view), "archive.activate-finding", "u", dangling);
    g_assert_cmpstr (cmg_archive_view_get_page (view), ==, "tables");
    g_assert_cmpstr (current_table (table_view), ==, "messages");
    wait = (RowWait) { table_view, 2 };
    g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
    detail = cmg_table_view_dup_detail_text (table_view);
    g_assert_nonnull (strstr (detail, "Who am I?"));
    g_assert_nonnull (strstr (detail, f->ghost));
  }

  /* A broken file gets a tab with a sentence; the good archive stays. */
  {
    g_autofree char *bad = g_build_filename (f->dir, "broken.zip", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
    GtkWidget *page;

    cmg_test_write_file (bad, "this is not a zip archive at all", -1);
    cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), bad_file);
    g_assert_true (cmg_browser_test_wait (opened, browser, 10000));
    g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 2);
    page = cmg_archive_browser_get_page (CMG_ARCHIVE_BROWSER (browser), 1);
    g_assert_false (CMG_IS_ARCHIVE_VIEW (page));
    g_assert_nonnull (g_object_get_data (G_OBJECT (page), "cmg-message"));
    g_test_message ("broken: %s", (char *) g_object_get_data (G_OBJECT (page), "cmg-message"));
    g_assert_true (CMG_IS_ARCHIVE_VIEW (cmg_archive_browser_get_page (CMG_ARCHIVE_BROWSER (browser), 0)));
    cmg_browser_test_snapshot (window, "browser-broken", NULL);

    /* Opening the good one again brings its tab to the front. */
    cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), file);
    g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 2);
    g_assert_true (cmg_archive_browser_get_current_page (CMG_ARCHIVE_BROWSER (browser))
                   == cmg_archive_browser_get_page (CMG_ARCHIVE_BROWSER (browser), 0));

    gtk_widget_activate_action (browser, "browser.close", NULL);
    g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 1);
    cmg_archive_browser_close (CMG_ARCHIVE_BROWSER (browser), 0);
    g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 0);
  }

  gtk_window_destroy (window);
  cmg_browser_test_spin (100);
  g_assert_null (browser);
}

/* Late answers of earlier actions must not undo newer ones. Everything that finishes in a thread
 * reaches the widgets only while the test iterates the main context, so each order below is
 * forced, not left to the scheduler. */
static void
test_late_answers (Fixture       *f,
                   gconstpointer  data)
{
  GtkWidget *browser = cmg_archive_browser_new ();
  GtkWindow *window = cmg_browser_test_window (browser);
  g_autoptr(GFile) file = g_file_new_for_path (f->path);
  CmgArchiveView *view;
  CmgTableView *table_view;
  RowWait wait;

  g_object_add_weak_pointer (G_OBJECT (browser), (gpointer *) &browser);
  /* Asked twice before the first open is done: one tab. */
  cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), file);
  cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), file);
  g_assert_true (cmg_browser_test_wait (opened, browser, 10000));
  g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 1);
  view = CMG_ARCHIVE_VIEW (cmg_archive_browser_get_current_page (CMG_ARCHIVE_BROWSER (browser)));
  table_view = cmg_archive_view_get_table_view (view);
  g_assert_true (cmg_browser_test_wait (checked, view, 20000));

  /* The recent archives are kept in the settings, for the next browser (the next start). */
  {
    g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);
    g_auto(GStrv) recent = g_settings_get_strv (settings, "recent-archives");
    GtkWidget *other = g_object_ref_sink (cmg_archive_browser_new ());
    GListModel *list = cmg_archive_browser_get_recent (CMG_ARCHIVE_BROWSER (other));

    g_assert_cmpuint (g_strv_length (recent), ==, 1);
    g_assert_cmpstr (recent[0], ==, f->path);
    g_assert_cmpuint (g_list_model_get_n_items (list), ==, 1);
    g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (list), 0), ==, f->path);
    g_assert_finalize_object (other);
  }

  /* A row asked for before the table's columns are known is selected after a notice that a
   * newer action set: the notice stays (this is what a failed follow right after "forward"
   * does when the machine is busy). */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", "users");
  g_assert_true (cmg_browser_test_wait (has_fields, table_view, 10000));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", "messages");
  g_assert_null (cmg_table_view_get_fields (table_view));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.go-to-row", "t", (guint64) 1);
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", "not-an-id");
  g_assert_true (notice_is_final (table_view));
  wait = (RowWait) { table_view, 1 };
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
  g_assert_nonnull (cmg_table_view_get_notice (table_view));
  g_assert_nonnull (strstr (cmg_table_view_get_notice (table_view), "is not a document Id"));

  /* A row picked now makes that notice stale. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.go-to-row", "t", (guint64) 0);
  g_assert_null (cmg_table_view_get_notice (table_view));

  /* The same with the follow's own answer, however late the columns come. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", "users");
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.go-to-row", "t", (guint64) 2);
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", f->ghost);
  g_assert_true (cmg_browser_test_wait (not_navigating, view, 10000));
  g_assert_true (cmg_browser_test_wait (notice_is_final, table_view, 10000));
  wait = (RowWait) { table_view, 2 };
  g_assert_true (cmg_browser_test_wait (row_selected, &wait, 10000));
  cmg_browser_test_spin (50);
  g_assert_nonnull (strstr (cmg_table_view_get_notice (table_view), "is not in table “users”"));

  /* A follow overtaken by a navigation gives up: it neither moves the view nor leaves a notice. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", f->users[1]);
  g_assert_true (cmg_archive_view_get_navigating (view));
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", "workflow:steps");
  g_assert_false (cmg_archive_view_get_navigating (view));
  g_assert_true (cmg_browser_test_wait (has_fields, table_view, 10000));
  cmg_browser_test_spin (200);
  g_assert_cmpstr (current_table (table_view), ==, "steps");
  g_assert_null (cmg_table_view_get_notice (table_view));

  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", f->ghost);
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.select-table", "s", "messages");
  cmg_browser_test_spin (200);
  g_assert_cmpstr (current_table (table_view), ==, "messages");
  g_assert_null (cmg_table_view_get_notice (table_view));

  /* A follow replaced by another: only the newer one answers. */
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", f->users[1]);
  gtk_widget_activate_action (GTK_WIDGET (view), "archive.follow-id", "s", f->ghost);
  g_assert_true (cmg_browser_test_wait (not_navigating, view, 10000));
  cmg_browser_test_spin (200);
  g_assert_cmpstr (current_table (table_view), ==, "messages");
  g_assert_nonnull (strstr (cmg_table_view_get_notice (table_view), "is not in table “users”"));

  /* A broken file tried again replaces its failure tab, however the opens overlap. */
  {
    g_autofree char *bad = g_build_filename (f->dir, "broken.zip", NULL);
    g_autoptr(GFile) bad_file = g_file_new_for_path (bad);

    cmg_test_write_file (bad, "not a zip", -1);
    cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), bad_file);
    cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), bad_file);
    g_assert_true (cmg_browser_test_wait (opened, browser, 10000));
    g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 2);
    cmg_archive_browser_open (CMG_ARCHIVE_BROWSER (browser), bad_file);
    g_assert_true (cmg_browser_test_wait (opened, browser, 10000));
    g_assert_cmpuint (cmg_archive_browser_get_n_archives (CMG_ARCHIVE_BROWSER (browser)), ==, 2);
    g_assert_false (CMG_IS_ARCHIVE_VIEW (cmg_archive_browser_get_current_page (CMG_ARCHIVE_BROWSER (browser))));
  }

  gtk_window_destroy (window);
  cmg_browser_test_spin (100);
  g_assert_null (browser);
}

/* Formatting, without a window. */

static void
test_cells (void)
{
  g_autoptr(CmgValue) doc = cmg_value_parse ("{\"_creationTime\":1732406450000.0,\"i\":36,\"f\":36.0,"
                                             "\"b\":{\"$bytes\":\"AAECAw==\"},\"n\":{\"$float\":\"AAAAAAAA+H8=\"},"
                                             "\"inf\":{\"$float\":\"AAAAAAAA8P8=\"},\"o\":{\"a\":[1,2]},\"s\":\"x\\ny\"}",
                                             -1, NULL);
  struct { const char *field; const char *expected; } cases[] = {
    { "i", "36" }, { "f", "36.0" }, { "b", "bytes, 4 bytes" }, { "n", "NaN" },
    { "inf", "-Infinity" }, { "o", "{a: [1, 2]}" }, { "s", "x y" },
  };
  g_autofree char *date = NULL;
  g_autofree char *expected_date = NULL;
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (1732406450);
  g_autoptr(GDateTime) local = g_date_time_to_local (utc);

  g_assert_nonnull (doc);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = cmg_format_cell (cases[i].field, cmg_value_lookup (doc, cases[i].field));

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
  date = cmg_format_cell ("_creationTime", cmg_value_lookup (doc, "_creationTime"));
  expected_date = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
  g_assert_cmpstr (date, ==, expected_date);
}

static void
test_export_name (void)
{
  g_autofree char *deployment = NULL;
  g_autoptr(GDateTime) ns = NULL;
  g_autoptr(GDateTime) ms = NULL;

  g_assert_true (cmg_format_parse_export_name ("snapshot_happy-animal-123_1732406450123456789.zip",
                                               &deployment, &ns));
  g_assert_cmpstr (deployment, ==, "happy-animal-123");
  g_assert_cmpint (g_date_time_to_unix (ns), ==, 1732406450);
  g_clear_pointer (&deployment, g_free);
  g_assert_true (cmg_format_parse_export_name ("snapshot_dev-x_1732406450123.zip", &deployment, &ms));
  g_assert_cmpint (g_date_time_to_unix (ms), ==, 1732406450);
  g_assert_false (cmg_format_parse_export_name ("prod_data.zip", NULL, NULL));
  g_assert_false (cmg_format_parse_export_name ("snapshot_x_12a.zip", NULL, NULL));
  g_assert_false (cmg_format_parse_export_name ("snapshot__123.zip", NULL, NULL));
}

static void
test_fields (void)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new ();
  g_auto(GStrv) fields = NULL;

  g_ptr_array_add (lines, "{\"_creationTime\":1.0,\"_id\":\"a\",\"zeta\":1,\"alpha\":2}");
  g_ptr_array_add (lines, "not json");
  g_ptr_array_add (lines, "{\"beta\":3,\"zeta\":4}");
  fields = cmg_format_collect_fields (lines);
  g_assert_cmpuint (g_strv_length (fields), ==, 5);
  g_assert_cmpstr (fields[0], ==, "_id");
  g_assert_cmpstr (fields[1], ==, "_creationTime");
  g_assert_cmpstr (fields[2], ==, "zeta");
  g_assert_cmpstr (fields[3], ==, "alpha");
  g_assert_cmpstr (fields[4], ==, "beta");
}

static void
test_csv (void)
{
  const char *fields[] = { "_id", "name", "n", "o", "missing", NULL };
  g_autofree char *header = cmg_table_export_csv_record (NULL, fields);
  g_autofree char *record = cmg_table_export_csv_record ("{\"_id\":\"k1\",\"name\":\"Ada, \\\"the\\\" first\","
                                                         "\"n\":36,\"o\":{\"a\":1}}", fields);

  g_assert_cmpstr (header, ==, "_id,name,n,o,missing\r\n");
  g_assert_cmpstr (record, ==, "k1,\"Ada, \"\"the\"\" first\",36,\"{\"\"a\"\":1}\",\r\n");
}

static void
test_pretty (void)
{
  g_autoptr(CmgValue) doc = cmg_value_parse ("{\"a\":[1,2.5],\"b\":{},\"c\":null}", -1, NULL);
  g_autofree char *json = cmg_format_pretty_json (doc);

  g_assert_cmpstr (json, ==, "{\n  \"a\": [\n    1,\n    2.5\n  ],\n  \"b\": {},\n  \"c\": null\n}");
}

int
main (int   argc,
      char *argv[])
{
  cmg_browser_test_init (&argc, &argv);

  g_test_add_func ("/browser/format/cells", test_cells);
  g_test_add_func ("/browser/format/export-name", test_export_name);
  g_test_add_func ("/browser/format/fields", test_fields);
  g_test_add_func ("/browser/format/csv", test_csv);
  g_test_add_func ("/browser/format/pretty", test_pretty);
  g_test_add ("/browser/browse", Fixture, NULL, fixture_setup, test_browse, fixture_teardown);
  g_test_add ("/browser/late-answers", Fixture, NULL, fixture_setup, test_late_answers, fixture_teardown);
  return g_test_run ();
}
