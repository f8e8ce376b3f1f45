/* cmg-snapshot-open-task.c: opening an export archive off the main thread. */

#include "config.h"

#include "cmg-snapshot-open-task.h"

static void
open_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  GError *error = NULL;
  CmgSnapshot *snapshot = cmg_snapshot_open (G_FILE (task_data), &error);

  if (snapshot == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, snapshot, g_object_unref);
}

void
cmg_snapshot_open_task_run (gpointer             source_object,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (source_object == NULL || G_IS_OBJECT (source_object));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (source_object, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_snapshot_open_task_run);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, open_thread);
}

CmgSnapshot *
cmg_snapshot_open_task_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_snapshot_open_task_run, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
cmg_snapshot_open_task_get_file (GAsyncResult *result)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_snapshot_open_task_run, NULL);

  return g_task_get_task_data (G_TASK (result));
}
