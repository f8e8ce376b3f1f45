/* test-cli-terminal.c: the ANSI / `\r` interpreter that turns terminal output into log lines. */
#include "config.h"

#include <string.h>

#include "cmg-cli-terminal.h"

/* Feeds `chunks` (NULL-terminated) one feed() each, then finish(); returns the final lines joined
 * with '\n', and in *ops_out a readable trace "A0:text U0:text F0:text". */
static char *
run_chunks (const char * const *chunks,
            char              **trace_out)
{
  g_autoptr(CmgCliTerminal) terminal = cmg_cli_terminal_new ();
  g_autoptr(GPtrArray) ops = cmg_cli_line_ops_new ();
  g_autoptr(GString) finals = g_string_new (NULL);
  g_autoptr(GString) trace = g_string_new (NULL);

  for (guint i = 0; chunks[i]; i++)
    cmg_cli_terminal_feed (terminal, chunks[i], strlen (chunks[i]), ops);
  cmg_cli_terminal_finish (terminal, ops);

  for (guint i = 0; i < ops->len; i++)
    {
      CmgCliLineOp *op = g_ptr_array_index (ops, i);
      const char letter = op->kind == CMG_CLI_LINE_ADDED ? 'A' : op->kind == CMG_CLI_LINE_UPDATED ? 'U' : 'F';

      g_assert_true (g_utf8_validate (op->text, -1, NULL));
      g_assert_null (strchr (op->text, '\x1b'));
      g_assert_null (strchr (op->text, '\r'));
      g_assert_null (strchr (op->text, '\n'));

      g_string_append_printf (trace, "%s%c%u:%s", trace->len ? " " : "", letter, op->index, op->text);
      if (op->kind == CMG_CLI_LINE_FINAL)
        g_string_append_printf (finals, "%s%s", finals->len ? "\n" : "", op->text);
    }

  if (trace_out)
    *trace_out = g_strdup (trace->str);
  return g_strdup (finals->str);
}

static char *
run_one (const char *text,
         char      **trace_out)
{
  const char *chunks[] = { text, NULL };

  return run_chunks (chunks, trace_out);
}

static void
test_plain_lines (void)
{
  g_autofree char *trace = NULL;
  g_autofree char *finals = run_one ("- Creating snapshot export\n\n✔ Done\n", &trace);

  g_assert_cmpstr (finals, ==, "- Creating snapshot export\n\n✔ Done");
  g_assert_cmpstr (trace, ==, "A0:- Creating snapshot export A1: A2:✔ Done F0:- Creating snapshot export F1: F2:✔ Done");
}

static void
test_crlf_and_no_final_newline (void)
{
  g_autofree char *finals = run_one ("one\r\ntwo\r\nthree", NULL);

  g_assert_cmpstr (finals, ==, "one\ntwo\nthree");
}

static void
test_carriage_return_overwrites (void)
{
  const char *chunks[] = { "⠋ Working", "\r⠙ Working", "\r✔ Worked ok\n", NULL };
  g_autofree char *trace = NULL;
  g_autofree char *finals = run_chunks (chunks, &trace);

  g_assert_cmpstr (finals, ==, "✔ Worked ok");
  /* One line, added once, then updated in place. */
  g_assert_cmpstr (trace, ==, "A0:⠋ Working U0:⠙ Working U0:✔ Worked ok F0:✔ Worked ok");

  /* A shorter redraw without erase keeps the tail, as a terminal would. */
  g_clear_pointer (&finals, g_free);
  finals = run_one ("abcdef\rXY\n", NULL);
  g_assert_cmpstr (finals, ==, "XYcdef");
}

static void
test_erase_sequences (void)
{
  g_autofree char *finals = run_one ("\x1b[?25lhello world\x1b[2K\x1b[Gbye\x1b[?25h\n"
                                     "abcdef\x1b[3D\x1b[K!\n"
                                     "\x1b[31mred\x1b[0m and \x1b[1mbold\x1b[22m\n"
                                     "abc\x1b[1;2Hz\n", NULL);

  g_assert_cmpstr (finals, ==, "bye\nabc!\nred and bold\nabcz");
}

static void
test_ora_cursor_up_redraw (void)
{
  /* ora draws "⠋ text\n" and redraws by erasing the line below, going up one row and erasing. */
  const char *chunks[] = {
    "\x1b[36m⠋\x1b[39m Importing\n",
    "\x1b[1G\x1b[0K\x1b[1A\x1b[0K\x1b[36m⠙\x1b[39m Importing\n",
    "\x1b[1G\x1b[0K\x1b[1A\x1b[0K\x1b[32m✔\x1b[39m Imported \"t\" (3 documents)\n",
    "next\n",
    NULL
  };
  g_autofree char *trace = NULL;
  g_autofree char *finals = run_chunks (chunks, &trace);

  g_assert_cmpstr (finals, ==, "✔ Imported \"t\" (3 documents)\nnext");
  g_assert_cmpstr (trace, ==,
                   "A0:⠋ Importing U0:⠙ Importing U0:✔ Imported \"t\" (3 documents) "
                   "F0:✔ Imported \"t\" (3 documents) A1:next F1:next");
}

static void
test_osc_hyperlink (void)
{
  g_autofree char *finals = run_one ("see \x1b]8;;https://x.test\x07link\x1b]8;;\x1b\\ here\n", NULL);

  g_assert_cmpstr (finals, ==, "see link here");
}

static void
test_invalid_utf8 (void)
{
  g_autofree char *finals = run_one ("a\xff" "b\xc3" "c\xe2\x9c" "\n\xed\xa0\x80x\xc0\xaf\n", NULL);

  g_assert_cmpstr (finals, ==, "a\xef\xbf\xbd" "b\xef\xbf\xbd" "c\xef\xbf\xbd\n"
                               "\xef\xbf\xbdx\xef\xbf\xbd\xef\xbf\xbd");
}

static void
test_split_utf8_and_escapes (void)
{
  /* The same bytes split anywhere give the same lines. */
  const char *text = "\x1b[32m✔\x1b[39m Créé\r\n\x1b]8;;u\x07é\x1b]8;;\x07\n";
  g_autofree char *whole = run_one (text, NULL);
  gsize len = strlen (text);

  for (gsize cut = 1; cut < len; cut++)
    {
      g_autofree char *a = g_strndup (text, cut);
      const char *chunks[] = { a, text + cut, NULL };
      g_autofree char *split = run_chunks (chunks, NULL);

      g_assert_cmpstr (split, ==, whole);
    }

  g_assert_cmpstr (whole, ==, "✔ Créé\né");
}

static void
test_current_line (void)
{
  g_autoptr(CmgCliTerminal) terminal = cmg_cli_terminal_new ();
  g_autoptr(GPtrArray) ops = cmg_cli_line_ops_new ();
  const char *prompt = "\x1b[?25l\x1b[32m?\x1b[39m \x1b[1mPerform import?\x1b[22m \x1b[2m(Y/n)\x1b[22m ";
  const char *spinner = "\x1b[36m⠋\x1b[39m Working\n";

  g_assert_null (cmg_cli_terminal_get_current_line (terminal, NULL));
  cmg_cli_terminal_feed (terminal, prompt, strlen (prompt), ops);
  g_assert_cmpstr (cmg_cli_terminal_get_current_line (terminal, NULL), ==, "? Perform import? (Y/n)");

  cmg_cli_terminal_feed (terminal, "\r\x1b[2K", 5, ops);
  g_assert_null (cmg_cli_terminal_get_current_line (terminal, NULL));

  /* The spinner's frame stays open above the empty cursor row. */
  cmg_cli_terminal_feed (terminal, spinner, strlen (spinner), ops);
  {
    gboolean complete = FALSE;

    g_assert_cmpstr (cmg_cli_terminal_get_current_line (terminal, &complete), ==, "⠋ Working");
    g_assert_true (complete);
    cmg_cli_terminal_feed (terminal, "\x1b[1A\x1b[2K⠙ Wor", strlen ("\x1b[1A\x1b[2K⠙ Wor"), ops);
    g_assert_cmpstr (cmg_cli_terminal_get_current_line (terminal, &complete), ==, "⠙ Wor");
    g_assert_false (complete);
  }
}

static void
test_long_line_is_broken (void)
{
  g_autoptr(CmgCliTerminal) terminal = cmg_cli_terminal_new ();
  g_autoptr(GPtrArray) ops = cmg_cli_line_ops_new ();
  g_autofree char *big = g_malloc (100000);
  guint finals = 0;

  memset (big, 'x', 100000);
  cmg_cli_terminal_feed (terminal, big, 100000, ops);
  cmg_cli_terminal_finish (terminal, ops);

  for (guint i = 0; i < ops->len; i++)
    {
      CmgCliLineOp *op = g_ptr_array_index (ops, i);

      if (op->kind == CMG_CLI_LINE_FINAL)
        {
          finals++;
          g_assert_cmpuint (strlen (op->text), <=, 16384);
        }
    }
  g_assert_cmpuint (finals, ==, 7);
}

static void
test_unterminated_osc_does_not_swallow_everything (void)
{
  g_autoptr(GString) text = g_string_new ("\x1b]8;;");
  g_autofree char *finals = NULL;

  for (guint i = 0; i < 5000; i++)
    g_string_append_c (text, 'u');
  g_string_append (text, "visible\n");
  finals = run_one (text->str, NULL);
  g_assert_nonnull (strstr (finals, "visible"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/terminal/plain-lines", test_plain_lines);
  g_test_add_func ("/cli/terminal/crlf", test_crlf_and_no_final_newline);
  g_test_add_func ("/cli/terminal/carriage-return", test_carriage_return_overwrites);
  g_test_add_func ("/cli/terminal/erase", test_erase_sequences);
  g_test_add_func ("/cli/terminal/ora-redraw", test_ora_cursor_up_redraw);
  g_test_add_func ("/cli/terminal/osc", test_osc_hyperlink);
  g_test_add_func ("/cli/terminal/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/cli/terminal/any-split", test_split_utf8_and_escapes);
  g_test_add_func ("/cli/terminal/current-line", test_current_line);
  g_test_add_func ("/cli/terminal/long-line", test_long_line_is_broken);
  g_test_add_func ("/cli/terminal/unterminated-osc", test_unterminated_osc_does_not_swallow_everything);

  return g_test_run ();
}
