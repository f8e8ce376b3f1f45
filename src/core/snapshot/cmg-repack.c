/* cmg-repack.c: partial exports for partial restores. */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cmg-progress-timer.h"
#include "cmg-repack.h"
#include "cmg-table.h"
#include "cmg-value.h"

G_DEFINE_QUARK (cmg-repack-error-quark, cmg_repack_error)

/* Small entries (README, schemas) are read whole; they are a few bytes in real exports. */
#define SMALL_ENTRY_MAX (16 * 1024 * 1024)

typedef struct
{
  struct archive *archive;
  GCancellable   *cancellable;
  guint64        *progress;
  GError         *error;
  /* per entry being copied */
  guint64         lines;
  guint64         written;
  gboolean        truncated;
} Writer;

static gboolean
writer_fail (Writer     *w,
             const char *what)
{
  if (w->error == NULL)
    g_set_error (&w->error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_WRITE,
                 _("The new archive cannot be written (%s): %s"), what,
                 archive_error_string (w->archive) ? archive_error_string (w->archive) : g_strerror (errno));
  return FALSE;
}

static gboolean
write_data (Writer     *w,
            const void *data,
            gsize       length)
{
  const char *p = data;

  while (length > 0)
    {
      la_ssize_t n = archive_write_data (w->archive, p, length);

      if (n <= 0)
        return writer_fail (w, "data");
      p += n;
      length -= n;
    }
  return TRUE;
}

static gboolean
begin_entry (Writer     *w,
             const char *name,
             gint64      size)
{
  struct archive_entry *entry = archive_entry_new ();
  int r;

  archive_entry_set_pathname_utf8 (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, g_get_real_time () / G_USEC_PER_SEC, 0);
  if (size >= 0)
    archive_entry_set_size (entry, size);
  r = archive_write_header (w->archive, entry);
  archive_entry_free (entry);
  if (r < ARCHIVE_WARN)
    return writer_fail (w, name);
  return TRUE;
}

static gboolean
finish_entry (Writer *w)
{
  if (archive_write_finish_entry (w->archive) < ARCHIVE_WARN)
    return writer_fail (w, "entry");
  return TRUE;
}

static gboolean
add_bytes (Writer     *w,
           const char *name,
           const void *data,
           gsize       length)
{
  return begin_entry (w, name, length) && write_data (w, data, length) && finish_entry (w);
}

/* Lines come without their '\n'; it is written before the next line, and after the last one only
 * when the source entry's size says it had one, so the copy is byte for byte. */
static gboolean
copy_line (const char *line,
           gsize       length,
           gboolean    truncated,
           guint64     line_number,
           gpointer    user_data)
{
  Writer *w = user_data;

  if (truncated)
    {
      w->truncated = TRUE;
      return FALSE;
    }
  if (w->lines++ > 0)
    {
      if (!write_data (w, "\n", 1))
        return FALSE;
      w->written++;
    }
  if (!write_data (w, line, length))
    return FALSE;
  w->written += length;
  if (w->progress)
    __atomic_fetch_add (w->progress, length + 1, __ATOMIC_RELAXED);
  return TRUE;
}

static gboolean
copy_entry (Writer       *w,
            CmgSnapshot  *snapshot,
            const char   *source,
            const char   *destination,
            GError      **error)
{
  gint64 size = cmg_snapshot_get_entry_size (snapshot, source);
  GError *local = NULL;

  if (size < 0)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_FOUND,
                   _("“%s” is missing from the archive"), source);
      return FALSE;
    }
  if (!begin_entry (w, destination, size))
    goto fail;
  w->lines = w->written = 0;
  w->truncated = FALSE;
  if (!cmg_snapshot_read_lines (snapshot, source, copy_line, w, NULL, w->cancellable, &local))
    {
      g_propagate_error (error, local);
      return FALSE;
    }
  if (w->truncated)
    {
      g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_UNSUPPORTED,
                   _("“%s” has a line longer than %u MiB, which cannot be copied"), source,
                   (guint) (CMG_SNAPSHOT_MAX_LINE / (1024 * 1024)));
      return FALSE;
    }
  if (w->error)
    goto fail;
  if (w->lines > 0 && w->written + 1 == (guint64) size && !write_data (w, "\n", 1))
    goto fail;
  if (!finish_entry (w))
    goto fail;
  return TRUE;

fail:
  g_propagate_error (error, g_steal_pointer (&w->error));
  return FALSE;
}

static gboolean
copy_small_entry (Writer       *w,
                  CmgSnapshot  *snapshot,
                  const char   *source,
                  const char   *destination,
                  GError      **error)
{
  g_autoptr(GBytes) bytes = cmg_snapshot_read_entry (snapshot, source, SMALL_ENTRY_MAX, w->cancellable, error);

  if (bytes == NULL)
    return FALSE;
  if (!add_bytes (w, destination, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)))
    {
      g_propagate_error (error, g_steal_pointer (&w->error));
      return FALSE;
    }
  return TRUE;
}

/* The kept tables' lines of a component's _tables, as they were. */
typedef struct
{
  GHashTable *keep;   /* table names */
  GString    *out;
} TablesFilter;

static gboolean
filter_tables_line (const char *line,
                    gsize       length,
                    gboolean    truncated,
                    guint64     line_number,
                    gpointer    user_data)
{
  TablesFilter *f = user_data;
  g_autoptr(CmgValue) v = truncated ? NULL : cmg_value_parse (line, length, NULL);
  CmgValue *name = v ? cmg_value_lookup (v, "name") : NULL;

  if (name && cmg_value_get_kind (name) == CMG_VALUE_STRING &&
      g_hash_table_contains (f->keep, cmg_value_get_string (name, NULL)))
    {
      g_string_append_len (f->out, line, length);
      g_string_append_c (f->out, '\n');
    }
  return TRUE;
}

static gboolean
write_archive (Writer              *w,
               CmgSnapshot         *snapshot,
               GPtrArray           *chosen,
               gboolean             include_storage,
               GError             **error)
{
  g_autoptr(GHashTable) by_component = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                              (GDestroyNotify) g_hash_table_unref);
  g_autofree char *lead = NULL;
  g_autofree char *readme = NULL;
  GHashTableIter iter;
  gpointer component, names;

  if (chosen->len > 0)
    lead = cmg_table_dup_leading_folder (g_ptr_array_index (chosen, 0));
  else
    {
      g_autoptr(CmgTable) any = g_list_model_get_item (cmg_snapshot_get_tables (snapshot), 0);
      lead = any ? cmg_table_dup_leading_folder (any) : g_strdup ("");
    }

  /* README first, as the CLI writes it. */
  readme = g_strconcat (lead, "README.md", NULL);
  if (cmg_snapshot_has_entry (snapshot, readme) &&
      !copy_small_entry (w, snapshot, readme, "README.md", error))
    return FALSE;

  for (guint i = 0; i < chosen->len; i++)
    {
      CmgTable *t = g_ptr_array_index (chosen, i);
      GHashTable *set = g_hash_table_lookup (by_component, cmg_table_get_component (t));

      if (set == NULL)
        {
          set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
          g_hash_table_insert (by_component, g_strdup (cmg_table_get_component (t)), set);
        }
      g_hash_table_add (set, g_strdup (cmg_table_get_name (t)));
    }

  /* Then each component's _tables, with the kept tables' lines only. */
  g_hash_table_iter_init (&iter, by_component);
  while (g_hash_table_iter_next (&iter, &component, &names))
    {
      g_autofree char *prefix = cmg_table_dup_component_folder (component);
      g_autofree char *source = g_strconcat (lead, prefix, "_tables/documents.jsonl", NULL);
      g_autofree char *dest = g_strconcat (prefix, "_tables/documents.jsonl", NULL);
      TablesFilter f = { names, g_string_new (NULL) };
      gboolean ok = TRUE;

      if (cmg_snapshot_has_entry (snapshot, source))
        {
          ok = cmg_snapshot_read_lines (snapshot, source, filter_tables_line, &f, NULL, w->cancellable, error);
          if (ok && !add_bytes (w, dest, f.out->str, f.out->len))
            {
              g_propagate_error (error, g_steal_pointer (&w->error));
              ok = FALSE;
            }
        }
      g_string_free (f.out, TRUE);
      if (!ok)
        return FALSE;
    }

  for (guint i = 0; i < chosen->len; i++)
    {
      CmgTable *t = g_ptr_array_index (chosen, i);
      g_autofree char *prefix = cmg_table_dup_component_folder (cmg_table_get_component (t));
      g_autofree char *docs = g_strconcat (prefix, cmg_table_get_name (t), "/documents.jsonl", NULL);
      const char *schema = cmg_table_get_schema_entry_path (t);

      if (schema)
        {
          g_autofree char *dest = g_strconcat (prefix, cmg_table_get_name (t), "/generated_schema.jsonl", NULL);
          if (!copy_small_entry (w, snapshot, schema, dest, error))
            return FALSE;
        }
      if (!copy_entry (w, snapshot, cmg_table_get_entry_path (t), docs, error))
        return FALSE;
    }

  if (include_storage)
    {
      GPtrArray *files = cmg_snapshot_get_storage_files (snapshot);
      g_autoptr(GHashTable) metadata_done = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

      for (guint i = 0; files && i < files->len; i++)
        {
          const CmgStorageFile *f = g_ptr_array_index (files, i);
          g_autofree char *prefix = cmg_table_dup_component_folder (f->component);
          const char *base = strrchr (f->entry_path, '/');
          g_autofree char *dest = g_strconcat (prefix, "_storage/", base ? base + 1 : f->entry_path, NULL);

          if (!g_hash_table_contains (metadata_done, f->component))
            {
              g_autofree char *source = g_strconcat (lead, prefix, "_storage/documents.jsonl", NULL);
              g_autofree char *meta = g_strconcat (prefix, "_storage/documents.jsonl", NULL);

              g_hash_table_add (metadata_done, g_strdup (f->component));
              if (cmg_snapshot_has_entry (snapshot, source) &&
                  !copy_entry (w, snapshot, source, meta, error))
                return FALSE;
            }
          if (!copy_entry (w, snapshot, f->entry_path, dest, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* Publishes tmp at dest only if dest does not exist, atomically. */
static gboolean
link_no_clobber (const char  *tmp,
                 const char  *dest,
                 GError     **error)
{
  int saved;

  if (renameat2 (AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
    return TRUE;
  saved = errno;
  /* Some file systems cannot rename without replacing; a hard link can fail the same way. */
  if (saved == EINVAL || saved == ENOSYS || saved == ENOTSUP)
    {
      if (link (tmp, dest) == 0)
        {
          g_unlink (tmp);
          return TRUE;
        }
      saved = errno;
    }
  if (saved == EEXIST)
    g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_EXISTS,
                 _("“%s” already exists; choose another name"), dest);
  else
    g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_WRITE,
                 _("The new archive cannot be saved as “%s”: %s"), dest, g_strerror (saved));
  return FALSE;
}

gboolean
cmg_repack (CmgSnapshot         *snapshot,
            const char * const  *tables,
            gboolean             include_storage,
            GFile               *destination,
            guint64             *progress_bytes,
            GCancellable        *cancellable,
            GError             **error)
{
  g_autoptr(GPtrArray) chosen = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *dest = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *base = NULL;
  g_autofree char *tmp = NULL;
  GListModel *model;
  Writer w = { 0 };
  gboolean ok;
  int fd;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (snapshot), FALSE);
  g_return_val_if_fail (G_IS_FILE (destination), FALSE);

  if (cmg_snapshot_get_kind (snapshot) != CMG_SNAPSHOT_KIND_ZIP)
    {
      g_set_error_literal (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_UNSUPPORTED,
                           _("Only ZIP exports can be repacked"));
      return FALSE;
    }

  model = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; tables && tables[i]; i++)
    {
      CmgTable *found = NULL;

      for (guint k = 0; k < g_list_model_get_n_items (model) && found == NULL; k++)
        {
          g_autoptr(CmgTable) t = g_list_model_get_item (model, k);
          g_autofree char *q = cmg_table_dup_qualified_name (t);

          if (strcmp (q, tables[i]) == 0)
            found = g_steal_pointer (&t);
        }
      if (found == NULL)
        {
          g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_NO_SUCH_TABLE,
                       _("The archive has no table “%s”"), tables[i]);
          return FALSE;
        }
      g_ptr_array_add (chosen, found);
    }
  if (chosen->len == 0 && !include_storage)
    {
      g_set_error_literal (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_NOTHING_CHOSEN,
                           _("Choose at least one table, or the stored files"));
      return FALSE;
    }

  dest = g_file_get_path (destination);
  if (dest == NULL)
    {
      g_set_error_literal (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_WRITE,
                           _("The new archive must be saved in a local folder"));
      return FALSE;
    }
  if (g_file_test (dest, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
    {
      g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_EXISTS,
                   _("“%s” already exists; choose another name"), dest);
      return FALSE;
    }

  /* A hidden temporary file beside the destination, so publishing it is a rename. */
  dir = g_path_get_dirname (dest);
  base = g_path_get_basename (dest);
  tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  fd = g_mkstemp_full (tmp, O_RDWR | O_CLOEXEC, 0644);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_WRITE,
                   _("Cannot write in “%s”: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  w.archive = archive_write_new ();
  w.cancellable = cancellable;
  w.progress = progress_bytes;
  ok = archive_write_set_format_zip (w.archive) == ARCHIVE_OK &&
       archive_write_zip_set_compression_deflate (w.archive) == ARCHIVE_OK &&
       archive_write_open_fd (w.archive, fd) == ARCHIVE_OK;
  if (!ok)
    {
      writer_fail (&w, "open");
      g_propagate_error (error, g_steal_pointer (&w.error));
    }
  else
    ok = write_archive (&w, snapshot, chosen, include_storage, error);
  if (ok && archive_write_close (w.archive) != ARCHIVE_OK)
    {
      writer_fail (&w, "close");
      g_propagate_error (error, g_steal_pointer (&w.error));
      ok = FALSE;
    }
  archive_write_free (w.archive);
  g_clear_error (&w.error);

  if (ok && fsync (fd) != 0)
    {
      int saved = errno;
      g_set_error (error, CMG_REPACK_ERROR, CMG_REPACK_ERROR_WRITE,
                   _("The new archive cannot be written: %s"), g_strerror (saved));
      ok = FALSE;
    }
  close (fd);
  if (ok)
    ok = link_no_clobber (tmp, dest, error);
  if (!ok)
    g_unlink (tmp);
  return ok;
}

typedef struct
{
  CmgSnapshot           *snapshot;
  GStrv                  tables;
  gboolean               include_storage;
  GFile                 *destination;
  guint64                progress;    /* atomic */
  guint64                total;
  CmgRepackProgressFunc  func;
  gpointer               func_data;
  GSource               *source;
} RepackData;

static void
repack_data_free (RepackData *d)
{
  cmg_progress_timer_stop (&d->source);
  g_object_unref (d->snapshot);
  g_strfreev (d->tables);
  g_object_unref (d->destination);
  g_free (d);
}

static gboolean
repack_report (gpointer user_data)
{
  RepackData *d = user_data;
  guint64 done = __atomic_load_n (&d->progress, __ATOMIC_RELAXED);

  /* Loaded once: MIN() reads its arguments twice, and the workers keep adding. */
  d->func (MIN (done, d->total), d->total, d->func_data);
  return G_SOURCE_CONTINUE;
}

static void
repack_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  RepackData *d = task_data;
  GError *error = NULL;

  if (cmg_repack (d->snapshot, (const char * const *) d->tables, d->include_storage, d->destination,
                  &d->progress, cancellable, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
repack_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  GTask *outer = user_data;
  RepackData *d = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  /* The inner task keeps the data alive until the worker lets go: no report after the end. */
  cmg_progress_timer_stop (&d->source);
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (outer, TRUE);
  else
    g_task_return_error (outer, error);
  g_object_unref (outer);
}

void
cmg_repack_async (CmgSnapshot            *snapshot,
                  const char * const     *tables,
                  gboolean                include_storage,
                  GFile                  *destination,
                  GCancellable           *cancellable,
                  CmgRepackProgressFunc   progress,
                  gpointer                progress_data,
                  GAsyncReadyCallback     callback,
                  gpointer                user_data)
{
  GTask *outer;
  g_autoptr(GTask) inner = NULL;
  RepackData *d;
  GListModel *model;

  g_return_if_fail (CMG_IS_SNAPSHOT (snapshot));
  g_return_if_fail (G_IS_FILE (destination));

  outer = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (outer, cmg_repack_async);

  d = g_new0 (RepackData, 1);
  d->snapshot = g_object_ref (snapshot);
  d->tables = g_strdupv ((char **) tables);
  d->include_storage = include_storage;
  d->destination = g_object_ref (destination);
  d->func = progress;
  d->func_data = progress_data;
  model = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; tables && tables[i]; i++)
    for (guint k = 0; k < g_list_model_get_n_items (model); k++)
      {
        g_autoptr(CmgTable) t = g_list_model_get_item (model, k);
        g_autofree char *q = cmg_table_dup_qualified_name (t);

        if (strcmp (q, tables[i]) == 0)
          d->total += cmg_table_get_bytes (t);
      }
  if (include_storage)
    d->total += cmg_snapshot_get_storage_bytes (snapshot);
  if (progress)
    d->source = cmg_progress_timer_start (g_main_context_get_thread_default (), repack_report, d);
  inner = g_task_new (NULL, cancellable, repack_done, outer);
  g_task_set_task_data (inner, d, (GDestroyNotify) repack_data_free);
  g_task_run_in_thread (inner, repack_thread);
}

gboolean
cmg_repack_finish (GAsyncResult  *result,
                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_repack_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
