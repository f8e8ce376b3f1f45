/* fuzz-archive.c: libFuzzer target for the archive reader: the input is written to a temporary
 * .zip file, opened, every table streamed and the whole archive checked. */
#include "config.h"

#include <glib/gstdio.h>
#include <stdint.h>
#include <unistd.h>

#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-validation.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static gboolean
count_line (const char *line,
            gsize       length,
            gboolean    truncated,
            guint64     line_number,
            gpointer    user_data)
{
  g_assert_true (length <= CMG_SNAPSHOT_MAX_LINE);
  (*(guint64 *) user_data)++;
  return TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(CmgValidation) validation = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *tables;

  if (path == NULL)
    path = g_strdup_printf ("%s/cmg-fuzz-archive-%d.zip", g_get_tmp_dir (), (int) getpid ());
  if (!g_file_set_contents (path, (const char *) data, size, NULL))
    return 0;

  file = g_file_new_for_path (path);
  snapshot = cmg_snapshot_open (file, &error);
  if (snapshot == NULL)
    {
      g_assert_nonnull (error);
      g_unlink (path);
      return 0;
    }

  tables = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      g_autoptr(GError) local = NULL;
      guint64 lines = 0;

      cmg_snapshot_read_lines (snapshot, cmg_table_get_entry_path (table), count_line, &lines, NULL,
                               NULL, &local);
    }
  validation = cmg_validation_check_snapshot (snapshot, NULL, NULL, &error);
  g_unlink (path);
  return 0;
}
