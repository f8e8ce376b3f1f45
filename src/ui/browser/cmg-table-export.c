/* cmg-table-export.c: see cmg-table-export.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cmg-table-export.h"
#include "cmg-value.h"

typedef struct
{
  CmgSnapshot          *snapshot;
  CmgTable             *table;
  GPtrArray            *lines;
  GStrv                 fields;
  CmgTableExportFormat  format;
  char                 *path;
  FILE                 *out;
  guint64               written;
  gboolean              failed;
  int                   saved_errno;
  GCancellable         *cancellable;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->snapshot);
  g_clear_object (&job->table);
  g_clear_pointer (&job->lines, g_ptr_array_unref);
  g_strfreev (job->fields);
  g_free (job->path);
  g_clear_object (&job->cancellable);
  g_free (job);
}

static void
append_csv_cell (GString    *out,
                 const char *text,
                 gsize       length)
{
  gboolean quote = length > 0 && (text[0] == ' ' || text[length - 1] == ' ');

  for (gsize i = 0; i < length && !quote; i++)
    if (text[i] == ',' || text[i] == '"' || text[i] == '\n' || text[i] == '\r')
      quote = TRUE;
  if (!quote)
    {
      g_string_append_len (out, text, length);
      return;
    }
  g_string_append_c (out, '"');
  for (gsize i = 0; i < length; i++)
    {
      if (text[i] == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, text[i]);
    }
  g_string_append_c (out, '"');
}

char *
cmg_table_export_csv_record (const char         *line,
                             const char * const *fields)
{
  GString *out = g_string_new (NULL);
  g_autoptr(CmgValue) document = NULL;

  g_return_val_if_fail (fields != NULL, NULL);

  if (line != NULL)
    document = cmg_value_parse (line, -1, NULL);
  for (guint i = 0; fields[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      if (line == NULL)
        {
          append_csv_cell (out, fields[i], strlen (fields[i]));
          continue;
        }
      if (document != NULL && cmg_value_get_kind (document) == CMG_VALUE_OBJECT)
        {
          CmgValue *value = cmg_value_lookup (document, fields[i]);

          if (value == NULL)
            continue;
          if (cmg_value_get_kind (value) == CMG_VALUE_STRING)
            {
              gsize length;
              const char *text = cmg_value_get_string (value, &length);

              append_csv_cell (out, text, length);
            }
          else
            {
              g_autofree char *json = cmg_value_to_json (value);

              append_csv_cell (out, json, strlen (json));
            }
        }
    }
  g_string_append (out, "\r\n");
  return g_string_free (out, FALSE);
}

static gboolean
write_line (Job        *job,
            const char *line,
            gsize       length)
{
  if (job->format == CMG_TABLE_EXPORT_CSV)
    {
      g_autofree char *copy = g_strndup (line, length);
      g_autofree char *record = cmg_table_export_csv_record (copy, (const char * const *) job->fields);

      if (fputs (record, job->out) == EOF)
        goto failed;
    }
  else if (fwrite (line, 1, length, job->out) != length || fputc ('\n', job->out) == EOF)
    goto failed;
  job->written++;
  return TRUE;

failed:
  job->failed = TRUE;
  job->saved_errno = errno;
  return FALSE;
}

static gboolean
write_row (const char *line,
           gsize       length,
           gboolean    truncated,
           guint64     line_number,
           gpointer    user_data)
{
  Job *job = user_data;

  if (g_cancellable_is_cancelled (job->cancellable))
    return FALSE;
  return write_line (job, line, length);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autofree char *dir = g_path_get_dirname (job->path);
  g_autofree char *base = g_path_get_basename (job->path);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  g_autoptr(GError) error = NULL;
  int fd;

  fd = g_mkstemp_full (tmp, O_WRONLY, 0644);
  if (fd < 0)
    {
      int saved = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved),
                               _("Cannot write into “%s”: %s"), dir, g_strerror (saved));
      return;
    }
  job->out = fdopen (fd, "w");

  if (job->format == CMG_TABLE_EXPORT_CSV)
    {
      g_autofree char *header = cmg_table_export_csv_record (NULL, (const char * const *) job->fields);

      if (fputs (header, job->out) == EOF)
        {
          job->failed = TRUE;
          job->saved_errno = errno;
        }
    }

  if (!job->failed)
    {
      if (job->lines != NULL)
        {
          for (guint i = 0; i < job->lines->len && !job->failed; i++)
            {
              const char *line = g_ptr_array_index (job->lines, i);

              write_line (job, line, strlen (line));
            }
        }
      else
        cmg_snapshot_read_table_rows (job->snapshot, job->table, 0, write_row, job, cancellable,
                                      &error);
    }

  if (fclose (job->out) != 0 && !job->failed)
    {
      job->failed = TRUE;
      job->saved_errno = errno;
    }
  job->out = NULL;

  if (error == NULL)
    g_cancellable_set_error_if_cancelled (cancellable, &error);
  if (error == NULL && job->failed)
    error = g_error_new (G_IO_ERROR, g_io_error_from_errno (job->saved_errno),
                         _("Writing “%s” failed: %s"), base, g_strerror (job->saved_errno));
  if (error == NULL && g_rename (tmp, job->path) != 0)
    {
      int saved = errno;

      error = g_error_new (G_IO_ERROR, g_io_error_from_errno (saved),
                           _("Cannot save “%s”: %s"), base, g_strerror (saved));
    }
  if (error != NULL)
    {
      g_unlink (tmp);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

void
cmg_table_export_async (CmgSnapshot          *snapshot,
                        CmgTable             *table,
                        GPtrArray            *lines,
                        const char * const   *fields,
                        CmgTableExportFormat  format,
                        GFile                *destination,
                        GCancellable         *cancellable,
                        GAsyncReadyCallback   callback,
                        gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Job *job;

  g_return_if_fail (CMG_IS_SNAPSHOT (snapshot));
  g_return_if_fail (CMG_IS_TABLE (table));
  g_return_if_fail (G_IS_FILE (destination));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_table_export_async);

  job = g_new0 (Job, 1);
  job->snapshot = g_object_ref (snapshot);
  job->table = g_object_ref (table);
  if (lines != NULL)
    job->lines = g_ptr_array_ref (lines);
  job->fields = g_strdupv ((char **) (fields ? fields : (const char * const *) (const char *[]) { NULL }));
  job->format = format;
  job->path = g_file_get_path (destination);
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);

  if (job->path == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Tables can only be exported to a local folder."));
      return;
    }
  g_task_run_in_thread (task, export_thread);
}

gboolean
cmg_table_export_finish (GAsyncResult  *result,
                         guint64       *n_written,
                         GError       **error)
{
  Job *job;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  job = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (n_written != NULL)
    *n_written = job->written;
  return TRUE;
}
