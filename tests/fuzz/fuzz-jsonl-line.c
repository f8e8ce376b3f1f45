/* fuzz-jsonl-line.c: libFuzzer target for the line checks: the input is a documents.jsonl of a
 * table that _tables knows, fed line by line as the reader would. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cmg-validation.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CmgValidation) validation = cmg_validation_new ();
  CmgValidationTable *table;
  const char *p = (const char *) data;
  const char *end = p + size;
  guint64 line = 0;
  GPtrArray *findings;

  cmg_validation_add_table_number (validation, "", "users", 10001);
  cmg_validation_add_table_number (validation, "", "messages", 10002);
  cmg_validation_set_id_limit (validation, 64);
  table = cmg_validation_begin_table (validation, "", "users", 10001);
  while (p < end)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize length = nl ? (gsize) (nl - p) : (gsize) (end - p);

      cmg_validation_table_feed_line (p, length, FALSE, ++line, table);
      p += length + 1;
    }
  cmg_validation_end_table (validation, table);
  cmg_validation_finish (validation);

  findings = cmg_validation_get_findings (validation);
  g_assert_cmpuint (findings->len, <=, CMG_VALIDATION_KEPT_FINDINGS + 1);
  for (guint i = 0; i < findings->len; i++)
    {
      const CmgFinding *f = g_ptr_array_index (findings, i);

      g_assert_true (f->line <= line);
      g_assert_true (g_utf8_validate (f->message, -1, NULL));
    }
  return 0;
}
