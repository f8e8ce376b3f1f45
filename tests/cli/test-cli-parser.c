/* test-cli-parser.c: the output parser on CLI output fixtures (terminal + parser, as a run does),
 * and on single lines. */
#include "config.h"

#include <string.h>

#include "cmg-cli-output-parser.h"
#include "cmg-cli-terminal.h"

static void
describe_event (GString     *out,
                CmgCliEvent *event)
{
  CmgCliEventKind kind = cmg_cli_event_get_kind (event);
  const char *name = cmg_cli_event_kind_to_string (kind);

  switch (kind)
    {
    case CMG_CLI_EVENT_PROGRESS:
      g_string_append_printf (out, "%s|%s|%" G_GINT64_FORMAT "\n", name,
                              cmg_cli_event_get_table (event) ? cmg_cli_event_get_table (event) : "-",
                              cmg_cli_event_get_count (event));
      break;

    case CMG_CLI_EVENT_RETRY:
      g_string_append_printf (out, "%s|%u/%u\n", name, cmg_cli_event_get_attempt (event),
                              cmg_cli_event_get_max_attempts (event));
      break;

    case CMG_CLI_EVENT_CONTINUES_ON_SERVER:
    case CMG_CLI_EVENT_IMPORT_IN_PROGRESS:
      g_string_append_printf (out, "%s|%s\n", name,
                              cmg_cli_event_get_url (event) ? cmg_cli_event_get_url (event) : "-");
      break;

    case CMG_CLI_EVENT_BAD_KEY:
      g_string_append_printf (out, "%s\n", name);
      break;

    case CMG_CLI_EVENT_FINISHED:
      g_string_append_printf (out, "%s|%d\n", name, cmg_cli_event_get_exit_status (event));
      break;

    case CMG_CLI_EVENT_CHANGE_SUMMARY:
      g_string_append_printf (out, "%s|%s\n", name, cmg_cli_event_get_text (event));
      for (guint i = 0; i < cmg_cli_event_get_rows (event)->len; i++)
        {
          CmgCliChangeRow *row = g_ptr_array_index (cmg_cli_event_get_rows (event), i);

          g_string_append_printf (out, "  row|%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%s\n",
                                  row->component ? row->component : "-", row->table,
                                  row->create, row->delete, row->of, row->unit ? row->unit : "-");
        }
      break;

    case CMG_CLI_EVENT_FAILURE:
      g_string_append_printf (out, "%s|%s\n", name, cmg_cli_event_get_text (event));
      if (cmg_cli_event_get_detail (event))
        {
          g_auto(GStrv) lines = g_strsplit (cmg_cli_event_get_detail (event), "\n", 0);

          for (guint i = 0; lines[i]; i++)
            g_string_append_printf (out, "  detail|%s\n", lines[i]);
        }
      break;

    default:
      g_string_append_printf (out, "%s|%s\n", name, cmg_cli_event_get_text (event));
      break;
    }
}

/* What a run does: chunks through the terminal, final lines and the open line to the parser.
 * chunk 0: one output line per chunk (so every spinner frame is seen); else that many bytes. */
static char *
parse_output (const char *data,
              gsize       len,
              gsize       chunk,
              int         exit_status)
{
  g_autoptr(CmgCliTerminal) terminal = cmg_cli_terminal_new ();
  g_autoptr(CmgCliOutputParser) parser = cmg_cli_output_parser_new ();
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();
  g_autoptr(GPtrArray) ops = cmg_cli_line_ops_new ();
  g_autoptr(GString) out = g_string_new (NULL);
  gsize pos = 0;

  while (pos < len)
    {
      const char *nl = memchr (data + pos, '\n', len - pos);
      gsize end = chunk ? MIN (pos + chunk, len) : nl ? (gsize)(nl - data) + 1 : len;
      gboolean complete;
      const char *current;

      cmg_cli_terminal_feed (terminal, data + pos, end - pos, ops);
      for (guint i = 0; i < ops->len; i++)
        {
          CmgCliLineOp *op = g_ptr_array_index (ops, i);

          if (op->kind == CMG_CLI_LINE_FINAL)
            cmg_cli_output_parser_feed_line (parser, op->text, events);
        }
      g_ptr_array_set_size (ops, 0);

      current = cmg_cli_terminal_get_current_line (terminal, &complete);
      if (current != NULL)
        cmg_cli_output_parser_feed_partial (parser, current, complete, events);
      pos = end;
    }

  cmg_cli_terminal_finish (terminal, ops);
  for (guint i = 0; i < ops->len; i++)
    {
      CmgCliLineOp *op = g_ptr_array_index (ops, i);

      if (op->kind == CMG_CLI_LINE_FINAL)
        cmg_cli_output_parser_feed_line (parser, op->text, events);
    }
  cmg_cli_output_parser_finish (parser, exit_status, events);

  for (guint i = 0; i < events->len; i++)
    describe_event (out, g_ptr_array_index (events, i));
  return g_strdup (out->str);
}

/* `events` without what a terminal's redraws can hide from a reader of whole chunks. */
static char *
without_spinner_steps (const char *events,
                       const char *output)
{
  g_auto(GStrv) lines = g_strsplit (events, "\n", 0);
  g_autoptr(GString) out = g_string_new (NULL);

  if (strchr (output, '\x1b') == NULL)
    return g_strdup (events);

  /* On a terminal, a spinner frame or a prompt redrawn within one read may go unseen. */
  for (guint i = 0; lines[i]; i++)
    if (!g_str_has_prefix (lines[i], "step-started|") && !g_str_has_prefix (lines[i], "prompt|") &&
        lines[i][0] != '\0')
      g_string_append_printf (out, "%s\n", lines[i]);
  return g_strdup (out->str);
}

static void
test_fixture (gconstpointer data)
{
  const char *name = data;
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "cli", "fixtures", name, NULL);
  g_autofree char *base = g_strndup (name, strlen (name) - strlen (".txt"));
  g_autofree char *events_name = g_strconcat (base, ".events", NULL);
  g_autofree char *events_path = g_test_build_filename (G_TEST_DIST, "cli", "fixtures", events_name, NULL);
  g_autofree char *output = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *got = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &output, &len, NULL));
  g_assert_true (g_file_get_contents (events_path, &expected, NULL, NULL));

  got = parse_output (output, len, 0, 0);
  g_assert_cmpstr (got, ==, expected);

  /* A pipe cuts output anywhere: the events must not depend on where. Only a spinner frame
   * drawn and replaced within one read can go unseen (its step-done is still there). */
  for (gsize chunk = 1; chunk <= 64; chunk = chunk * 2 + 1)
    {
      g_autofree char *cut = parse_output (output, len, chunk, 0);

      if (chunk == 1)
        g_assert_cmpstr (cut, ==, expected);
      else
        {
          g_autofree char *a = without_spinner_steps (cut, output);
          g_autofree char *b = without_spinner_steps (expected, output);

          g_assert_cmpstr (a, ==, b);
        }
    }
}

/* Real captures from the other end-to-end helpers: whatever they hold, the parser ends with one
 * FINISHED event and never lets an escape code through. */
static void
test_captured_outputs (void)
{
  const char *root = g_getenv ("CMG_SOURCE_ROOT");
  g_autofree char *dir_path = NULL;
  g_autoptr(GDir) dir = NULL;
  const char *name;
  guint seen = 0;
  guint checked = 0;

  if (root == NULL)
    {
      g_test_skip ("CMG_SOURCE_ROOT is not set");
      return;
    }

  dir_path = g_build_filename (root, "tests", "fixtures", "cli-output", NULL);
  dir = g_dir_open (dir_path, 0, NULL);
  if (dir == NULL)
    {
      g_test_skip ("no captured CLI output yet");
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = NULL;
      g_autofree char *output = NULL;
      g_autofree char *got = NULL;
      gsize len;

      if (!g_str_has_suffix (name, ".txt"))
        continue;
      path = g_build_filename (dir_path, name, NULL);
      g_assert_true (g_file_get_contents (path, &output, &len, NULL));
      got = parse_output (output, len, 5, 1);
      g_assert_null (strchr (got, '\x1b'));
      g_assert_true (g_str_has_suffix (got, "finished|1\n"));

      /* Expected events, written after reading the capture, for the captures that carry no
       * timestamps (the others change each time they are captured). */
      {
        g_autofree char *base = g_strndup (name, strlen (name) - strlen (".txt"));
        g_autofree char *events_name = g_strconcat (base, ".events", NULL);
        g_autofree char *events_path = g_test_build_filename (G_TEST_DIST, "cli", "fixtures", "cli-output",
                                                              events_name, NULL);
        g_autofree char *expected = NULL;
        /* Byte by byte every state is seen, as in a run where the CLI pauses at a prompt; the
         * capture itself has no pauses. */
        g_autofree char *bytewise = parse_output (output, len, 1, 1);

        if (g_file_get_contents (events_path, &expected, NULL, NULL))
          {
            g_autofree char *a = without_spinner_steps (got, output);
            g_autofree char *b = without_spinner_steps (expected, output);

            g_assert_cmpstr (bytewise, ==, expected);
            g_assert_cmpstr (a, ==, b);
            checked++;
          }
        else
          g_test_message ("%s (no expectation):\n%s", name, bytewise);
      }
      seen++;
    }

  g_test_message ("%u captured outputs parsed, %u against expected events", seen, checked);
}

static void
test_summary_ends_at_prompt (void)
{
  g_autoptr(CmgCliOutputParser) parser = cmg_cli_output_parser_new ();
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();
  CmgCliEvent *summary;

  cmg_cli_output_parser_feed_line (parser, "Import change summary:", events);
  cmg_cli_output_parser_feed_line (parser, "table | create | delete |", events);
  cmg_cli_output_parser_feed_line (parser, "t     | 1      | 5 of 7 documents |", events);
  g_assert_cmpuint (events->len, ==, 0);
  g_assert_false (cmg_cli_output_parser_get_import_announced (parser));

  /* On a terminal the prompt arrives without a newline: it must close the summary first. */
  /* Half-written, it is not a question yet. */
  cmg_cli_output_parser_feed_partial (parser, "? Perform imp", FALSE, events);
  g_assert_cmpuint (events->len, ==, 0);
  cmg_cli_output_parser_feed_partial (parser, "? Perform import? (Y/n)", FALSE, events);
  g_assert_cmpuint (events->len, ==, 2);
  summary = g_ptr_array_index (events, 0);
  g_assert_cmpint (cmg_cli_event_get_kind (summary), ==, CMG_CLI_EVENT_CHANGE_SUMMARY);
  g_assert_cmpuint (cmg_cli_event_get_rows (summary)->len, ==, 1);
  g_assert_cmpint (((CmgCliChangeRow *)g_ptr_array_index (cmg_cli_event_get_rows (summary), 0))->delete, ==, 5);
  g_assert_cmpint (cmg_cli_event_get_kind (g_ptr_array_index (events, 1)), ==, CMG_CLI_EVENT_PROMPT);
  g_assert_cmpstr (cmg_cli_output_parser_get_pending_prompt (parser), ==, "Perform import?");

  /* Redraws of the same prompt (the echoed answer) are not new prompts. */
  cmg_cli_output_parser_feed_partial (parser, "? Perform import? (Y/n) y", FALSE, events);
  g_assert_cmpuint (events->len, ==, 2);

  /* Inquirer's final rendering of the answered prompt clears it. */
  cmg_cli_output_parser_feed_line (parser, "✔ Perform import? Yes", events);
  g_assert_null (cmg_cli_output_parser_get_pending_prompt (parser));
}

static void
test_failure_detail_stops_at_blank (void)
{
  g_autoptr(CmgCliOutputParser) parser = cmg_cli_output_parser_new ();
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();
  CmgCliEvent *failure;

  cmg_cli_output_parser_feed_line (parser, "✖ Importing data from \"a.jsonl\" to table \"t\" failed", events);
  cmg_cli_output_parser_feed_line (parser, "", events);
  cmg_cli_output_parser_feed_line (parser, "Table t already exists. Please choose a new table name or use replace/append modes.", events);
  cmg_cli_output_parser_feed_line (parser, "", events);
  cmg_cli_output_parser_feed_line (parser, "unrelated text", events);
  g_assert_cmpuint (events->len, ==, 1);
  failure = g_ptr_array_index (events, 0);
  g_assert_cmpint (cmg_cli_event_get_kind (failure), ==, CMG_CLI_EVENT_FAILURE);
  g_assert_cmpstr (cmg_cli_event_get_detail (failure), ==,
                   "Table t already exists. Please choose a new table name or use replace/append modes.");
}

static void
test_nothing_after_finish (void)
{
  g_autoptr(CmgCliOutputParser) parser = cmg_cli_output_parser_new ();
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();

  cmg_cli_output_parser_finish (parser, 130, events);
  cmg_cli_output_parser_feed_line (parser, "✔ late", events);
  cmg_cli_output_parser_finish (parser, 0, events);
  g_assert_cmpuint (events->len, ==, 1);
  g_assert_cmpint (cmg_cli_event_get_exit_status (g_ptr_array_index (events, 0)), ==, 130);
}

static void
test_garbage_lines (void)
{
  g_autoptr(CmgCliOutputParser) parser = cmg_cli_output_parser_new ();
  g_autoptr(GPtrArray) events = cmg_cli_events_new ();
  const char *lines[] = {
    "Import change summary:", "|||", "| | |", "x|", "t | 99999999999999999999999 | 1 of x |",
    "Retrying request (attempt /)", "Retrying request (attempt 99999999999/", "✔ Imported \"",
    "✔ Imported \"t\" (", "✔ Added ", "✔ Added x documents", "? ", "? (Y/n)", "✖ ", "- ", "⠋",
    "\xff\xfe", "Component ", "Component :", NULL
  };

  for (guint i = 0; lines[i]; i++)
    {
      cmg_cli_output_parser_feed_line (parser, lines[i], events);
      cmg_cli_output_parser_feed_partial (parser, lines[i], i % 2, events);
    }
  cmg_cli_output_parser_finish (parser, 1, events);
  g_assert_cmpint (cmg_cli_event_get_kind (g_ptr_array_index (events, events->len - 1)), ==,
                   CMG_CLI_EVENT_FINISHED);
}

int
main (int argc, char *argv[])
{
  static const char * const fixtures[] = {
    "handmade-import-summary.txt",
    "handmade-import-failure.txt",
    "handmade-export-tty.txt",
    "handmade-export-busy.txt",
    "handmade-retry-bad-key.txt",
    "handmade-continues-on-server.txt",
    "handmade-prompt-refused.txt",
    "handmade-import-in-progress.txt",
    "handmade-warning-garbage.txt",
  };

  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *path = g_strdup_printf ("/cli/parser/fixture/%s", fixtures[i]);

      g_test_add_data_func (path, fixtures[i], test_fixture);
    }

  /* Real captures made by the e2e suite (tests/cli/fixtures/real-*.txt with their .events). */
  {
    g_autofree char *dir_path = g_test_build_filename (G_TEST_DIST, "cli", "fixtures", NULL);
    g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
    const char *name;

    while (dir && (name = g_dir_read_name (dir)) != NULL)
      if (g_str_has_prefix (name, "real-") && g_str_has_suffix (name, ".txt"))
        {
          g_autofree char *path = g_strdup_printf ("/cli/parser/fixture/%s", name);

          g_test_add_data_func_full (path, g_strdup (name), test_fixture, g_free);
        }
  }

  g_test_add_func ("/cli/parser/captured", test_captured_outputs);
  g_test_add_func ("/cli/parser/summary-ends-at-prompt", test_summary_ends_at_prompt);
  g_test_add_func ("/cli/parser/failure-detail", test_failure_detail_stops_at_blank);
  g_test_add_func ("/cli/parser/after-finish", test_nothing_after_finish);
  g_test_add_func ("/cli/parser/garbage", test_garbage_lines);

  return g_test_run ();
}
