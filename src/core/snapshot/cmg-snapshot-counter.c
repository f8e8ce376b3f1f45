/* cmg-snapshot-counter.c: cmg_snapshot_count_async() and friends (declared in cmg-snapshot.h).
 * Tables are counted in a thread pool with one worker per processor, largest first so that the
 * longest job starts early and the cores stay busy until the end. Each worker has its own file
 * descriptor and buffers (see cmg-entry-stream.h for the bound per worker). */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-progress-timer.h"
#include "cmg-snapshot-private.h"

typedef struct
{
  CmgSnapshot             *snapshot;
  GPtrArray               *tables;
  GCancellable            *cancellable;
  guint64                  done_bytes;
  guint64                  total_bytes;
  GMutex                   lock;
  GError                  *error;
  CmgSnapshotProgressFunc  progress;
  gpointer                 progress_data;
  GDestroyNotify           progress_destroy;
  GMainContext            *context;
  GSource                 *timer;
} CountJob;

static void
count_job_free (CountJob *job)
{
  cmg_progress_timer_stop (&job->timer);
  if (job->progress_destroy != NULL)
    job->progress_destroy (job->progress_data);
  g_clear_object (&job->snapshot);
  g_clear_object (&job->cancellable);
  g_clear_pointer (&job->tables, g_ptr_array_unref);
  g_clear_pointer (&job->context, g_main_context_unref);
  g_clear_error (&job->error);
  g_mutex_clear (&job->lock);
  g_free (job);
}

static gint
larger_first (gconstpointer a,
              gconstpointer b)
{
  guint64 sa = cmg_table_get_bytes (*(CmgTable **) a);
  guint64 sb = cmg_table_get_bytes (*(CmgTable **) b);

  return sa < sb ? 1 : sa > sb ? -1 : 0;
}

static CountJob *
count_job_new (CmgSnapshot  *self,
               GCancellable *cancellable)
{
  CountJob *job = g_new0 (CountJob, 1);
  GListModel *tables = cmg_snapshot_get_tables (self);
  guint n = g_list_model_get_n_items (tables);

  g_mutex_init (&job->lock);
  job->snapshot = g_object_ref (self);
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->tables = g_ptr_array_new_full (n, g_object_unref);
  for (guint i = 0; i < n; i++)
    {
      CmgTable *table = g_list_model_get_item (tables, i);

      job->total_bytes += cmg_table_get_bytes (table);
      g_ptr_array_add (job->tables, table);
    }
  g_ptr_array_sort (job->tables, larger_first);
  return job;
}

static void
count_one (gpointer data,
           gpointer user_data)
{
  CmgTable *table = data;
  CountJob *job = user_data;
  g_autoptr(GError) error = NULL;

  if (g_cancellable_is_cancelled (job->cancellable))
    return;
  if (cmg_snapshot_count_table (job->snapshot, table, &job->done_bytes, job->cancellable,
                                &error) >= 0)
    return;

  /* A damaged table does not stop the others; the first error is reported at the end. */
  g_mutex_lock (&job->lock);
  if (job->error == NULL)
    job->error = g_steal_pointer (&error);
  g_mutex_unlock (&job->lock);
}

static gboolean
count_job_run (CountJob  *job,
               GError   **error)
{
  guint workers = MAX (1u, MIN (g_get_num_processors (), job->tables->len));
  GThreadPool *pool;

  if (job->tables->len > 0)
    {
      pool = g_thread_pool_new (count_one, job, (gint) workers, FALSE, NULL);
      for (guint i = 0; i < job->tables->len; i++)
        g_thread_pool_push (pool, g_ptr_array_index (job->tables, i), NULL);
      g_thread_pool_free (pool, FALSE, TRUE);
    }

  if (g_cancellable_set_error_if_cancelled (job->cancellable, error))
    return FALSE;
  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  return TRUE;
}

static gboolean
report_progress (gpointer user_data)
{
  CountJob *job = user_data;

  if (job->progress != NULL)
    job->progress (__atomic_load_n (&job->done_bytes, __ATOMIC_RELAXED), job->total_bytes,
                   job->progress_data);
  return G_SOURCE_CONTINUE;
}

static void
count_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CountJob *job = task_data;
  GError *error = NULL;

  if (count_job_run (job, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
count_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *outer = user_data;
  CountJob *job = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  /* The last report says where counting stopped, before the caller hears it is done; none after
   * (the inner task keeps the job alive until the worker lets go). */
  cmg_progress_timer_stop (&job->timer);
  report_progress (job);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

void
cmg_snapshot_count_async (CmgSnapshot             *self,
                          GCancellable            *cancellable,
                          CmgSnapshotProgressFunc  progress,
                          gpointer                 progress_data,
                          GDestroyNotify           progress_destroy,
                          GAsyncReadyCallback      callback,
                          gpointer                 user_data)
{
  g_autoptr(GTask) outer = NULL;
  g_autoptr(GTask) inner = NULL;
  CountJob *job;

  g_return_if_fail (CMG_IS_SNAPSHOT (self));

  job = count_job_new (self, cancellable);
  job->progress = progress;
  job->progress_data = progress_data;
  job->progress_destroy = progress_destroy;
  job->context = g_main_context_ref_thread_default ();
  if (progress != NULL)
    job->timer = cmg_progress_timer_start (job->context, report_progress, job);

  outer = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cmg_snapshot_count_async);
  inner = g_task_new (self, cancellable, count_done, g_object_ref (outer));
  g_task_set_task_data (inner, job, (GDestroyNotify) count_job_free);
  g_task_run_in_thread (inner, count_thread);
}

gboolean
cmg_snapshot_count_finish (CmgSnapshot   *self,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
cmg_snapshot_count (CmgSnapshot   *self,
                    GCancellable  *cancellable,
                    GError       **error)
{
  CountJob *job;
  gboolean ok;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);

  job = count_job_new (self, cancellable);
  ok = count_job_run (job, error);
  count_job_free (job);
  return ok;
}
