/* fuzz-cli-output.c: arbitrary bytes as the CLI's output, through what a run does with them:
 * the terminal interpreter (in chunks of varying size), the redactor and the output parser. */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "cmg-cli-output-parser.h"
#include "cmg-cli-terminal.h"
#include "cmg-redactor.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static void
handle_ops (GPtrArray          *ops,
            CmgRedactor        *redactor,
            CmgCliOutputParser *parser,
            GPtrArray          *events)
{
  for (guint i = 0; i < ops->len; i++)
    {
      CmgCliLineOp *op = g_ptr_array_index (ops, i);
      g_autofree char *text = NULL;

      g_assert (g_utf8_validate (op->text, -1, NULL));
      g_assert (strchr (op->text, '\x1b') == NULL);
      g_assert (strchr (op->text, '\n') == NULL);

      text = cmg_redactor_redact (redactor, op->text);
      if (op->kind == CMG_CLI_LINE_FINAL)
        cmg_cli_output_parser_feed_line (parser, text, events);
    }
  g_ptr_array_set_size (ops, 0);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(CmgCliTerminal) terminal = cmg_cli_terminal_new ();
  g_autoptr(CmgCliOutputParser) parser = cmg_cli_output_parser_new ();
  g_autoptr(CmgRedactor) redactor = cmg_redactor_new ();
  g_autoptr(GPtrArray) ops = cmg_cli_line_ops_new ();
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();
  size_t pos = 0;
  size_t chunk;

  if (size == 0)
    return 0;

  cmg_redactor_add_secret (redactor, "prod:fuzz-cat-1|c2VjcmV0c2VjcmV0");

  /* The first byte picks the chunk size: a pipe delivers output in any pieces. */
  chunk = (size_t)data[0] % 64 + 1;
  data++;
  size--;

  while (pos < size)
    {
      size_t n = MIN (chunk, size - pos);
      const char *current;
      gboolean complete;

      cmg_cli_terminal_feed (terminal, (const char *)data + pos, n, ops);
      handle_ops (ops, redactor, parser, events);

      current = cmg_cli_terminal_get_current_line (terminal, &complete);
      if (current != NULL)
        {
          g_autofree char *text = cmg_redactor_redact (redactor, current);

          cmg_cli_output_parser_feed_partial (parser, text, complete, events);
        }
      pos += n;
    }

  cmg_cli_terminal_finish (terminal, ops);
  handle_ops (ops, redactor, parser, events);
  cmg_cli_output_parser_finish (parser, 1, events);

  g_assert (events->len > 0);
  g_assert (cmg_cli_event_get_kind (g_ptr_array_index (events, events->len - 1)) == CMG_CLI_EVENT_FINISHED);

  for (guint i = 0; i < events->len; i++)
    {
      CmgCliEvent *event = g_ptr_array_index (events, i);

      g_assert (g_utf8_validate (cmg_cli_event_get_text (event), -1, NULL));
      g_assert (strstr (cmg_cli_event_get_text (event), "c2VjcmV0c2VjcmV0") == NULL);
    }

  return 0;
}
