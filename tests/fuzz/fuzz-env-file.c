/* fuzz-env-file.c: libFuzzer target for the dotenv parser. */
#include "config.h"

#include <stdint.h>

#include "cmg-env-file.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CmgEnvFile) file = NULL;
  g_autoptr(GError) error = NULL;

  file = cmg_env_file_new_from_data (".env", (const char *)data, size, &error);
  if (file == NULL)
    {
      g_assert_nonnull (error);
      return 0;
    }

  /* Every entry must be complete, valid UTF-8, and findable by key. */
  for (guint i = 0; i < cmg_env_file_get_n_entries (file); i++)
    {
      const CmgEnvEntry *entry = cmg_env_file_get_entry (file, i);

      g_assert_true (g_utf8_validate (entry->key, -1, NULL));
      g_assert_true (g_utf8_validate (entry->value, -1, NULL));
      g_assert_cmpuint (entry->line, >=, 1);
      g_assert_nonnull (cmg_env_file_lookup (file, entry->key));
    }

  return 0;
}
