/* test-snapshot-open-task.c: opening an export archive in a worker thread, as the archive
 * browser, the export page and the import assistant do. */
#include "config.h"

#include "cmg-snapshot-open-task.h"
#include "cmg-ui-test-utils.h"

static void
opened_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* Runs the task to its end, from the main loop as the widgets do. */
static GAsyncResult *
run (gpointer      source_object,
     GFile        *file,
     GCancellable *cancellable)
{
  GAsyncResult *result = NULL;

  cmg_snapshot_open_task_run (source_object, file, cancellable, opened_cb, &result);
  /* The callback never comes before the main loop runs. */
  g_assert_null (result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return result;
}

static void
test_opens (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cmg-open-task-XXXXXX", NULL);
  g_autofree char *path = cmg_test_make_export_zip (dir, "export.zip");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GObject) source = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GAsyncResult) result = run (source, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(GObject) result_source = g_async_result_get_source_object (result);

  g_assert_true (result_source == source);
  g_assert_true (g_file_equal (cmg_snapshot_open_task_get_file (result), file));
  snapshot = cmg_snapshot_open_task_finish (result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (snapshot);
  g_assert_cmpint (cmg_snapshot_get_kind (snapshot), ==, CMG_SNAPSHOT_KIND_ZIP);
  g_assert_cmpuint (g_list_model_get_n_items (cmg_snapshot_get_tables (snapshot)), ==, 2);

  cmg_test_remove_tree (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cmg-open-task-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "gone.zip", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = run (NULL, file, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open_task_finish (result, &error);

  g_assert_null (snapshot);
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  g_assert_cmpstr (error->message, !=, "");

  cmg_test_remove_tree (dir);
}

/* A cancelled open reports the cancellation even though the archive itself was fine, so that a
 * page which moved on to another file ignores it. */
static void
test_cancelled (void)
{
  g_autofree char *dir = g_dir_make_tmp ("cmg-open-task-XXXXXX", NULL);
  g_autofree char *path = cmg_test_make_export_zip (dir, "export.zip");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;

  g_cancellable_cancel (cancellable);
  result = run (NULL, file, cancellable);
  snapshot = cmg_snapshot_open_task_finish (result, &error);
  g_assert_null (snapshot);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  cmg_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add_func ("/snapshot-open-task/opens", test_opens);
  g_test_add_func ("/snapshot-open-task/missing-file", test_missing_file);
  g_test_add_func ("/snapshot-open-task/cancelled", test_cancelled);

  return g_test_run ();
}
