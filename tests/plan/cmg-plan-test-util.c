/* cmg-plan-test-util.c: see cmg-plan-test-util.h. */
#include "config.h"

#include <string.h>

#include <archive.h>
#include <archive_entry.h>

#include "cmg-id.h"
#include "cmg-plan-test-util.h"

char *
cmg_plan_test_documents (guint32     number,
                         guint       n,
                         const char *tag,
                         guint       seed)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      CmgId id = { .table_number = number };
      g_autofree char *text = NULL;

      for (guint b = 0; b < CMG_ID_INTERNAL_SIZE; b++)
        id.internal[b] = (guint8)(seed * 31 + i * 7 + b * 13 + number);
      id.internal[0] = (guint8)i;
      id.internal[1] = (guint8)(i >> 8);
      id.internal[2] = (guint8)seed;
      text = cmg_id_encode (&id);
      g_assert_nonnull (text);
      /* Keys in byte order, as exports write them; an Int64 (bare integer) and a float. */
      g_string_append_printf (out,
                              "{\"_creationTime\":%u.5,\"_id\":\"%s\",\"n\":%u,\"score\":%u.25,\"tag\":\"%s\"}\n",
                              1732406450u + i, text, i, i, tag != NULL ? tag : "");
    }
  return g_string_free (out, FALSE);
}

void
cmg_plan_test_write_export (const char             *path,
                            const CmgPlanTestTable *tables,
                            guint                   seed)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func (g_free);
  GString *tables_lines = g_string_new (NULL);

  for (guint i = 0; tables[i].name != NULL; i++)
    g_string_append_printf (tables_lines, "{\"name\":\"%s\",\"id\":%u}\n", tables[i].name, tables[i].number);

  g_ptr_array_add (members, g_strdup ("README.md"));
  g_ptr_array_add (members, g_strdup ("This is a Convex snapshot export.\n"));
  g_ptr_array_add (members, g_strdup ("_tables/documents.jsonl"));
  g_ptr_array_add (members, g_string_free (tables_lines, FALSE));
  for (guint i = 0; tables[i].name != NULL; i++)
    {
      g_ptr_array_add (members, g_strdup_printf ("%s/documents.jsonl", tables[i].name));
      g_ptr_array_add (members, cmg_plan_test_documents (tables[i].number, tables[i].documents, tables[i].tag, seed));
      g_ptr_array_add (members, g_strdup_printf ("%s/generated_schema.jsonl", tables[i].name));
      g_ptr_array_add (members, g_strdup ("\"uniform\"\n"));
    }
  g_ptr_array_add (members, NULL);
  cmg_plan_test_write_zip (path, (const char * const *)members->pdata);
}

void
cmg_plan_test_write_zip (const char         *path,
                         const char * const *members)
{
  struct archive *a = archive_write_new ();

  g_assert_cmpint (archive_write_set_format_zip (a), ==, ARCHIVE_OK);
  g_assert_cmpint (archive_write_open_filename (a, path), ==, ARCHIVE_OK);
  for (guint i = 0; members[i] != NULL; i += 2)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize len = strlen (members[i + 1]);

      archive_entry_set_pathname (entry, members[i]);
      archive_entry_set_size (entry, (la_int64_t)len);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, members[i + 1], len), ==, (la_ssize_t)len);
      archive_entry_free (entry);
    }
  g_assert_cmpint (archive_write_close (a), ==, ARCHIVE_OK);
  archive_write_free (a);
}

GHashTable *
cmg_plan_test_read_zip (const char *path)
{
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_filename (a, path, 65536), ==, ARCHIVE_OK);
  while (archive_read_next_header (a, &entry) == ARCHIVE_OK)
    {
      GString *data = g_string_new (NULL);
      char buffer[8192];
      la_ssize_t n;

      while ((n = archive_read_data (a, buffer, sizeof buffer)) > 0)
        g_string_append_len (data, buffer, n);
      g_assert_cmpint (n, ==, 0);
      g_hash_table_insert (members, g_strdup (archive_entry_pathname (entry)), g_string_free (data, FALSE));
    }
  archive_read_free (a);
  return members;
}

static int
compare_lines (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *)a, *(const char * const *)b);
}

GHashTable *
cmg_plan_test_read_tables (const char *path)
{
  g_autoptr(GHashTable) members = cmg_plan_test_read_zip (path);
  GHashTable *tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, members);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *name = key;
      const char *slash = strchr (name, '/');
      g_auto(GStrv) lines = NULL;
      g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
      GString *joined;

      /* The app's own user tables only: "<table>/documents.jsonl". */
      if (slash == NULL || name[0] == '_' || !g_str_equal (slash, "/documents.jsonl"))
        continue;

      lines = g_strsplit (value, "\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        if (lines[i][0] != '\0')
          g_ptr_array_add (sorted, lines[i]);
      g_ptr_array_sort (sorted, compare_lines);
      joined = g_string_new (NULL);
      for (guint i = 0; i < sorted->len; i++)
        {
          g_string_append (joined, g_ptr_array_index (sorted, i));
          g_string_append_c (joined, '\n');
        }
      g_hash_table_insert (tables, g_strndup (name, slash - name), g_string_free (joined, FALSE));
    }
  return tables;
}
