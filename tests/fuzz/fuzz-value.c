/* fuzz-value.c: libFuzzer target for the value decoder and the Id codec. Whatever decodes must
 * print back to JSON that decodes to an equal value. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cmg-id.h"
#include "cmg-value.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CmgValue) value = NULL;
  g_autoptr(GError) error = NULL;
  CmgId id;

  value = cmg_value_parse ((const char *) data, size, &error);
  if (value == NULL)
    g_assert_nonnull (error);
  else
    {
      g_autofree char *json = cmg_value_to_json (value);
      g_autofree char *display = cmg_value_to_display (value, NULL, NULL);
      g_autoptr(CmgValue) again = cmg_value_parse (json, -1, &error);

      g_assert_no_error (error);
      g_assert_true (cmg_value_equal (value, again));
      g_assert_true (g_utf8_validate (display, -1, NULL));
    }

  /* An Id that decodes encodes back to the same text. */
  if (cmg_id_decode ((const char *) data, size, &id, NULL))
    {
      g_autofree char *text = cmg_id_encode (&id);

      g_assert_nonnull (text);
      g_assert_cmpmem (text, strlen (text), data, size);
    }
  return 0;
}
