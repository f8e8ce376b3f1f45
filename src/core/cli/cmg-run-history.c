/* cmg-run-history.c: see cmg-run-history.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cmg-cli-error.h"
#include "cmg-run-history.h"

/* A record is a few hundred bytes; anything much bigger is not one of ours. */
#define MAX_RECORD_SIZE (256 * 1024)

struct _CmgRunHistory
{
  GObject    parent_instance;
  char      *dir;
  GPtrArray *records;  /* newest first */
  GPtrArray *live;     /* records begun by this object and not finished */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CmgRunHistory, cmg_run_history, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GType
get_item_type (GListModel *model)
{
  return CMG_TYPE_RUN_RECORD;
}

static guint
get_n_items (GListModel *model)
{
  return CMG_RUN_HISTORY (model)->records->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  CmgRunHistory *self = CMG_RUN_HISTORY (model);

  if (position >= self->records->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->records, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

static void
cmg_run_history_finalize (GObject *object)
{
  CmgRunHistory *self = (CmgRunHistory *)object;

  g_clear_pointer (&self->dir, g_free);
  g_clear_pointer (&self->records, g_ptr_array_unref);
  g_clear_pointer (&self->live, g_ptr_array_unref);

  G_OBJECT_CLASS (cmg_run_history_parent_class)->finalize (object);
}

static void
cmg_run_history_class_init (CmgRunHistoryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_run_history_finalize;
}

static void
cmg_run_history_init (CmgRunHistory *self)
{
  self->records = g_ptr_array_new_with_free_func (g_object_unref);
  self->live = g_ptr_array_new ();
}

CmgRunHistory *
cmg_run_history_new (const char *dir)
{
  CmgRunHistory *self = g_object_new (CMG_TYPE_RUN_HISTORY, NULL);

  if (dir != NULL)
    self->dir = g_strdup (dir);
  else
    {
      const char *state = g_getenv ("CMG_STATE_DIR");

      self->dir = g_build_filename (state && *state ? state : g_get_user_state_dir (),
                                    "convex-migrate", "runs", NULL);
    }

  return self;
}

const char *
cmg_run_history_get_dir (CmgRunHistory *self)
{
  g_return_val_if_fail (CMG_IS_RUN_HISTORY (self), NULL);
  return self->dir;
}

static gboolean
ensure_dir (CmgRunHistory  *self,
            GError        **error)
{
  if (g_mkdir_with_parents (self->dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_HISTORY,
                   _("Could not create the run history folder %s: %s"), self->dir, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}

static gboolean
write_record_to (const char    *dir,
                 CmgRunRecord  *record,
                 GError       **error)
{
  g_autoptr(JsonNode) node = cmg_run_record_to_json (record);
  g_autofree char *text = json_to_string (node, TRUE);
  g_autofree char *name = g_strconcat (cmg_run_record_get_id (record), ".json", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) local_error = NULL;

  /* Atomic: a crash leaves the old record or the new one, never half of one. */
  if (!g_file_set_contents_full (path, text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_ONLY_EXISTING,
                                 0600, &local_error))
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_HISTORY,
                   _("Could not save the run history in %s: %s"), dir, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_record (CmgRunHistory  *self,
              CmgRunRecord   *record,
              GError        **error)
{
  return ensure_dir (self, error) && write_record_to (self->dir, record, error);
}

static int
compare_newest_first (gconstpointer a,
                      gconstpointer b)
{
  gint64 ta = cmg_run_record_get_start_time (*(CmgRunRecord * const *)a);
  gint64 tb = cmg_run_record_get_start_time (*(CmgRunRecord * const *)b);

  if (ta != tb)
    return ta < tb ? 1 : -1;
  return -g_strcmp0 (cmg_run_record_get_id (*(CmgRunRecord * const *)a),
                     cmg_run_record_get_id (*(CmgRunRecord * const *)b));
}

static gboolean
process_is_alive (GPid pid)
{
  return pid > 0 && (kill (pid, 0) == 0 || errno == EPERM);
}

/* Reads every record of `dir` (any thread). Runs left "running" by a process that is gone, and
 * not among `live_ids`, are rewritten as interrupted. Newest first. */
static GPtrArray *
load_records (const char          *dir_path,
              const char * const  *live_ids,
              GError             **error)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  const char *name;

  dir = g_dir_open (dir_path, 0, &local_error);
  if (dir == NULL && !g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_HISTORY,
                   _("Could not read the run history in %s: %s"), dir_path, local_error->message);
      return NULL;
    }

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *contents = NULL;
      g_autoptr(JsonParser) parser = NULL;
      g_autoptr(CmgRunRecord) record = NULL;
      gsize len;

      if (!g_str_has_suffix (name, ".json"))
        continue;

      path = g_build_filename (dir_path, name, NULL);
      if (!g_file_get_contents (path, &contents, &len, NULL) || len > MAX_RECORD_SIZE)
        continue;

      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, contents, (gssize)len, NULL))
        continue;

      record = cmg_run_record_new_from_json (json_parser_get_root (parser), NULL);
      if (record == NULL)
        continue;

      if (cmg_run_record_get_outcome (record) == CMG_RUN_OUTCOME_RUNNING &&
          !g_strv_contains (live_ids, cmg_run_record_get_id (record)) &&
          (cmg_run_record_get_pid (record) == getpid () || !process_is_alive (cmg_run_record_get_pid (record))))
        {
          cmg_run_record_set_result (record, CMG_RUN_OUTCOME_INTERRUPTED,
                                     cmg_run_record_get_exit_status (record), -1, NULL,
                                     _("Convex Migrate ended while this run was in progress."));
          /* Best effort: the record shows as interrupted either way. */
          write_record_to (dir_path, record, NULL);
        }

      g_ptr_array_add (loaded, g_steal_pointer (&record));
    }

  g_ptr_array_sort (loaded, compare_newest_first);
  return g_steal_pointer (&loaded);
}

static GStrv
dup_live_ids (CmgRunHistory *self)
{
  GStrv ids = g_new0 (char *, self->live->len + 1);

  for (guint i = 0; i < self->live->len; i++)
    ids[i] = g_strdup (cmg_run_record_get_id (g_ptr_array_index (self->live, i)));
  return ids;
}

static void
apply_loaded (CmgRunHistory *self,
              GPtrArray     *loaded)
{
  guint old_len = self->records->len;

  g_ptr_array_set_size (self->records, 0);
  for (guint i = 0; i < loaded->len; i++)
    {
      CmgRunRecord *record = g_ptr_array_index (loaded, i);

      /* Runs of this object keep their live instance. */
      for (guint j = 0; j < self->live->len; j++)
        if (g_str_equal (cmg_run_record_get_id (g_ptr_array_index (self->live, j)),
                         cmg_run_record_get_id (record)))
          record = g_ptr_array_index (self->live, j);

      g_ptr_array_add (self->records, g_object_ref (record));
    }
  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_len, self->records->len);
}

gboolean
cmg_run_history_load (CmgRunHistory  *self,
                      GError        **error)
{
  g_auto(GStrv) live_ids = NULL;
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (CMG_IS_RUN_HISTORY (self), FALSE);

  live_ids = dup_live_ids (self);
  loaded = load_records (self->dir, (const char * const *)live_ids, error);
  if (loaded == NULL)
    return FALSE;

  apply_loaded (self, loaded);
  return TRUE;
}

typedef struct {
  char  *dir;
  GStrv  live_ids;
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_free (data->dir);
  g_strfreev (data->live_ids);
  g_free (data);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  LoadData *data = task_data;
  GError *error = NULL;
  GPtrArray *loaded = load_records (data->dir, (const char * const *)data->live_ids, &error);

  if (loaded == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, loaded, (GDestroyNotify)g_ptr_array_unref);
}

void
cmg_run_history_load_async (CmgRunHistory       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  LoadData *data;

  g_return_if_fail (CMG_IS_RUN_HISTORY (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_run_history_load_async);
  data = g_new0 (LoadData, 1);
  data->dir = g_strdup (self->dir);
  data->live_ids = dup_live_ids (self);
  g_task_set_task_data (task, data, (GDestroyNotify)load_data_free);
  g_task_run_in_thread (task, load_thread);
}

gboolean
cmg_run_history_load_finish (CmgRunHistory  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_autoptr(GPtrArray) loaded = NULL;

  g_return_val_if_fail (CMG_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  loaded = g_task_propagate_pointer (G_TASK (result), error);
  if (loaded == NULL)
    return FALSE;

  apply_loaded (self, loaded);
  return TRUE;
}

CmgRunRecord *
cmg_run_history_begin (CmgRunHistory  *self,
                       const char     *action,
                       const char     *masked_command,
                       const char     *target_name,
                       const char     *target_type,
                       GError        **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%S");
  g_autofree char *id = NULL;
  g_autofree char *log_name = NULL;
  g_autofree char *log_path = NULL;
  g_autoptr(CmgRunRecord) record = NULL;
  int fd;

  g_return_val_if_fail (CMG_IS_RUN_HISTORY (self), NULL);

  if (!ensure_dir (self, error))
    return NULL;

  id = g_strdup_printf ("%s-%06d-%08x", stamp, g_date_time_get_microsecond (now), g_random_int ());
  log_name = g_strconcat (id, ".log", NULL);
  log_path = g_build_filename (self->dir, log_name, NULL);

  fd = g_open (log_path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_HISTORY,
                   _("Could not create the run's log file in %s: %s"), self->dir, g_strerror (saved));
      return NULL;
    }
  close (fd);

  record = cmg_run_record_new (id, action, masked_command, target_name, target_type,
                               g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now),
                               log_path);

  if (!write_record (self, record, error))
    {
      g_unlink (log_path);
      return NULL;
    }

  g_ptr_array_insert (self->records, 0, g_object_ref (record));
  g_ptr_array_add (self->live, record);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, 0, 1);

  return g_steal_pointer (&record);
}

gboolean
cmg_run_history_finish (CmgRunHistory  *self,
                        CmgRunRecord   *record,
                        CmgRunOutcome   outcome,
                        int             exit_status,
                        const char     *continue_url,
                        const char     *message,
                        GError        **error)
{
  gint64 duration_ms;

  g_return_val_if_fail (CMG_IS_RUN_HISTORY (self), FALSE);
  g_return_val_if_fail (CMG_IS_RUN_RECORD (record), FALSE);

  duration_ms = (g_get_real_time () - cmg_run_record_get_start_time (record)) / 1000;
  cmg_run_record_set_result (record, outcome, exit_status, MAX (duration_ms, 0), continue_url, message);
  g_ptr_array_remove (self->live, record);

  return write_record (self, record, error);
}
