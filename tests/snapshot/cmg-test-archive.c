/* cmg-test-archive.c: see cmg-test-archive.h. */
#include "config.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <locale.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "cmg-test-archive.h"

struct _CmgTestArchive
{
  struct archive *archive;
  gboolean        sizes_known;
  GHashTable     *tables_lines;   /* component → GString of _tables lines */
  GHashTable     *storage_lines;  /* component → GString of _storage/documents.jsonl */
};

static void
check (struct archive *a,
       int             ret)
{
  if (ret < ARCHIVE_WARN)
    g_error ("libarchive: %s", archive_error_string (a));
}

CmgTestArchive *
cmg_test_archive_new (const char          *path,
                      CmgTestArchiveFlags  flags)
{
  CmgTestArchive *self = g_new0 (CmgTestArchive, 1);

  self->archive = archive_write_new ();
  check (self->archive, archive_write_set_format_zip (self->archive));
  if (flags & CMG_TEST_ARCHIVE_ZIP64)
    check (self->archive, archive_write_set_format_option (self->archive, "zip", "zip64", "1"));
  if (flags & CMG_TEST_ARCHIVE_ENCRYPTED)
    {
      check (self->archive, archive_write_set_format_option (self->archive, "zip", "encryption",
                                                             "zipcrypt"));
      check (self->archive, archive_write_set_passphrase (self->archive, "secret"));
    }
  if (flags & CMG_TEST_ARCHIVE_FAST)
    check (self->archive, archive_write_set_format_option (self->archive, "zip",
                                                           "compression-level", "1"));
  check (self->archive, archive_write_open_filename (self->archive, path));
  self->tables_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->storage_lines = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
cmg_test_archive_set_stored (CmgTestArchive *self,
                             gboolean        stored)
{
  if (stored)
    check (self->archive, archive_write_zip_set_compression_store (self->archive));
  else
    check (self->archive, archive_write_zip_set_compression_deflate (self->archive));
}

void
cmg_test_archive_set_sizes_known (CmgTestArchive *self,
                                  gboolean        known)
{
  self->sizes_known = known;
}

static void
write_header (CmgTestArchive *self,
              const char     *name,
              gint64          size)
{
  struct archive_entry *entry = archive_entry_new ();

  archive_entry_set_pathname (entry, name);
  archive_entry_set_filetype (entry, AE_IFREG);
  archive_entry_set_perm (entry, 0644);
  archive_entry_set_mtime (entry, 1732406450, 0);
  /* An unknown size makes libarchive put the sizes in a data descriptor, as Convex does. */
  if (size >= 0)
    archive_entry_set_size (entry, size);
  check (self->archive, archive_write_header (self->archive, entry));
  archive_entry_free (entry);
}

void
cmg_test_archive_add (CmgTestArchive *self,
                      const char     *name,
                      const void     *data,
                      gssize          length)
{
  if (length < 0)
    length = (gssize) strlen (data);
  write_header (self, name, self->sizes_known ? length : -1);
  if (length > 0 && archive_write_data (self->archive, data, (size_t) length) != length)
    g_error ("libarchive: %s", archive_error_string (self->archive));
  check (self->archive, archive_write_finish_entry (self->archive));
}

guint64
cmg_test_archive_add_generated (CmgTestArchive  *self,
                                const char      *name,
                                CmgTestFillFunc  fill,
                                gpointer         user_data)
{
  g_autofree guint8 *buffer = g_malloc (1024 * 1024);
  guint64 total = 0;
  gsize n;

  write_header (self, name, -1);
  while ((n = fill (buffer, 1024 * 1024, user_data)) > 0)
    {
      if (archive_write_data (self->archive, buffer, n) != (la_ssize_t) n)
        g_error ("libarchive: %s", archive_error_string (self->archive));
      total += n;
    }
  check (self->archive, archive_write_finish_entry (self->archive));
  return total;
}

char *
cmg_test_component_prefix (const char *component)
{
  g_auto(GStrv) parts = NULL;
  GString *prefix = g_string_new ("");

  if (component == NULL || *component == '\0')
    return g_string_free (prefix, FALSE);
  parts = g_strsplit (component, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    g_string_append_printf (prefix, "_components/%s/", parts[i]);
  return g_string_free (prefix, FALSE);
}

void
cmg_test_archive_add_readme (CmgTestArchive *self)
{
  cmg_test_archive_add (self, "README.md",
                        "This is a Convex snapshot export (written by the tests).\n", -1);
}

static GString *
lines_for (GHashTable *table,
           const char *component)
{
  GString *lines = g_hash_table_lookup (table, component != NULL ? component : "");

  if (lines == NULL)
    {
      lines = g_string_new ("");
      g_hash_table_insert (table, g_strdup (component != NULL ? component : ""), lines);
    }
  return lines;
}

void
cmg_test_archive_add_tables_line (CmgTestArchive *self,
                                  const char     *component,
                                  const char     *line)
{
  GString *lines = lines_for (self->tables_lines, component);

  g_string_append (lines, line);
  g_string_append_c (lines, '\n');
}

void
cmg_test_archive_add_table (CmgTestArchive *self,
                            const char     *component,
                            const char     *name,
                            guint32         number,
                            const char     *schema,
                            const char     *documents)
{
  g_autofree char *prefix = cmg_test_component_prefix (component);
  g_autofree char *docs = g_strconcat (prefix, name, "/documents.jsonl", NULL);

  if (number > 0)
    {
      g_autofree char *line = g_strdup_printf ("{\"name\":\"%s\",\"id\":%u}", name, number);
      cmg_test_archive_add_tables_line (self, component, line);
    }
  cmg_test_archive_add (self, docs, documents != NULL ? documents : "", -1);
  if (schema != NULL)
    {
      g_autofree char *path = g_strconcat (prefix, name, "/generated_schema.jsonl", NULL);
      g_autofree char *text = g_strconcat (schema, "\n", NULL);
      cmg_test_archive_add (self, path, text, -1);
    }
}

void
cmg_test_archive_add_storage_file (CmgTestArchive *self,
                                   const char     *component,
                                   const char     *file_name,
                                   const void     *data,
                                   gsize           length,
                                   const char     *metadata)
{
  g_autofree char *prefix = cmg_test_component_prefix (component);
  g_autofree char *path = g_strconcat (prefix, "_storage/", file_name, NULL);
  GString *lines = lines_for (self->storage_lines, component);

  cmg_test_archive_add (self, path, data, (gssize) length);
  if (metadata != NULL)
    {
      g_string_append (lines, metadata);
      g_string_append_c (lines, '\n');
    }
}

void
cmg_test_archive_add_storage_metadata (CmgTestArchive *self,
                                       const char     *component,
                                       const char     *line)
{
  GString *lines = lines_for (self->storage_lines, component);

  g_string_append (lines, line);
  g_string_append_c (lines, '\n');
}

void
cmg_test_archive_close (CmgTestArchive *self)
{
  GHashTableIter iter;
  const char *component;
  GString *lines;

  g_hash_table_iter_init (&iter, self->tables_lines);
  while (g_hash_table_iter_next (&iter, (gpointer *) &component, (gpointer *) &lines))
    {
      g_autofree char *prefix = cmg_test_component_prefix (component);
      g_autofree char *path = g_strconcat (prefix, "_tables/documents.jsonl", NULL);
      cmg_test_archive_add (self, path, lines->str, (gssize) lines->len);
      g_string_free (lines, TRUE);
    }
  g_hash_table_iter_init (&iter, self->storage_lines);
  while (g_hash_table_iter_next (&iter, (gpointer *) &component, (gpointer *) &lines))
    {
      g_autofree char *prefix = cmg_test_component_prefix (component);
      g_autofree char *path = g_strconcat (prefix, "_storage/documents.jsonl", NULL);
      cmg_test_archive_add (self, path, lines->str, (gssize) lines->len);
      g_string_free (lines, TRUE);
    }
  g_hash_table_unref (self->tables_lines);
  g_hash_table_unref (self->storage_lines);
  check (self->archive, archive_write_close (self->archive));
  archive_write_free (self->archive);
  g_free (self);
}

guint
cmg_test_patch_file (const char *path,
                     const void *find,
                     const void *replace,
                     gsize       length)
{
  g_autofree char *data = NULL;
  gsize size = 0;
  guint count = 0;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &data, &size, &error))
    g_error ("%s", error->message);
  for (gsize i = 0; i + length <= size; i++)
    if (memcmp (data + i, find, length) == 0)
      {
        memcpy (data + i, replace, length);
        count++;
        i += length - 1;
      }
  if (!g_file_set_contents (path, data, (gssize) size, &error))
    g_error ("%s", error->message);
  return count;
}

void
cmg_test_truncate_file (const char *path,
                        gsize       length)
{
  if (truncate (path, (off_t) length) != 0)
    g_error ("truncate %s: %s", path, g_strerror (errno));
}

void
cmg_test_write_file (const char *path,
                     const char *content,
                     gssize      length)
{
  g_autoptr(GError) error = NULL;

  if (!g_file_set_contents (path, content, length, &error))
    g_error ("%s", error->message);
}

char *
cmg_test_make_temp_dir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("cmg-test-XXXXXX", &error);

  if (dir == NULL)
    g_error ("%s", error->message);
  return dir;
}

char *
cmg_test_init (int    *argc,
               char ***argv)
{
  char *dir;
  g_autofree char *cache = NULL;

  g_test_init (argc, argv, NULL);
  setlocale (LC_ALL, "C.UTF-8");
  dir = cmg_test_make_temp_dir ();
  cache = g_build_filename (dir, "cache", NULL);
  g_setenv ("CMG_CACHE_DIR", cache, TRUE);
  return dir;
}

void
cmg_test_remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        cmg_test_remove_dir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
put_le32 (guint8  *p,
          guint32  v)
{
  p[0] = v & 0xff;
  p[1] = (v >> 8) & 0xff;
  p[2] = (v >> 16) & 0xff;
  p[3] = (v >> 24) & 0xff;
}

void
cmg_test_patch_central_sizes (const char *path,
                              const char *name,
                              guint32     compressed_size,
                              guint32     uncompressed_size)
{
  g_autofree guint8 *data = NULL;
  gsize size = 0, name_len = strlen (name);
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (!g_file_get_contents (path, (char **) &data, &size, &error))
    g_error ("%s", error->message);
  for (gsize i = 0; i + 46 + name_len <= size; i++)
    if (memcmp (data + i, "PK\1\2", 4) == 0
        && (gsize) (data[i + 28] | (data[i + 29] << 8)) == name_len
        && memcmp (data + i + 46, name, name_len) == 0)
      {
        if (compressed_size != G_MAXUINT32)
          put_le32 (data + i + 20, compressed_size);
        put_le32 (data + i + 24, uncompressed_size);
        found = TRUE;
      }
  g_assert_true (found);
  if (!g_file_set_contents (path, (char *) data, (gssize) size, &error))
    g_error ("%s", error->message);
}

void
cmg_test_count_late_report (guint64  done,
                            guint64  total,
                            gpointer user_data)
{
  CmgTestLateReports *late = user_data;

  if (late->finished)
    late->late_reports++;
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
cmg_test_spin_context (guint ms)
{
  GMainContext *context = g_main_context_get_thread_default ();
  g_autoptr(GSource) timeout = g_timeout_source_new (ms);
  gboolean over = FALSE;

  g_source_set_callback (timeout, set_flag, &over, NULL);
  g_source_attach (timeout, context);
  while (!over)
    g_main_context_iteration (context, TRUE);
}
