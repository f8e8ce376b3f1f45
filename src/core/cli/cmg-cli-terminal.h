/* cmg-cli-terminal.h: turns what a CLI writes to a terminal (or a pipe) into log lines. It
 * interprets `\r`, `\n`, backspace and the ANSI sequences spinners and prompts use (erase line,
 * cursor left/right/up/column, colours, cursor visibility, OSC hyperlinks), decodes UTF-8 with
 * invalid bytes replaced, and reports each line as added, updated in place, or final. No escape
 * code ever appears in its output. Pure: no I/O, so it is unit-tested and fuzzed directly. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CMG_CLI_LINE_ADDED,    /* a new line appeared (it may still change) */
  CMG_CLI_LINE_UPDATED,  /* a line shown earlier was redrawn (a spinner, a prompt's answer) */
  CMG_CLI_LINE_FINAL,    /* the line will not change any more: log it, parse it */
} CmgCliLineOpKind;

typedef struct {
  CmgCliLineOpKind kind;
  guint            index;  /* 0-based line number in the output, stable across ops */
  char            *text;   /* valid UTF-8, no control characters, trailing spaces removed */
} CmgCliLineOp;

void cmg_cli_line_op_free (CmgCliLineOp *op);

#define CMG_TYPE_CLI_TERMINAL (cmg_cli_terminal_get_type ())
G_DECLARE_FINAL_TYPE (CmgCliTerminal, cmg_cli_terminal, CMG, CLI_TERMINAL, GObject)

CmgCliTerminal *cmg_cli_terminal_new (void);
/* Interprets `len` bytes (any chunking gives the same lines) and appends the resulting ops, in
 * order, to `ops` (element type CmgCliLineOp*, owned by the array's free func). Ops are coalesced
 * per call: a spinner drawn ten times in one chunk yields one update. */
void            cmg_cli_terminal_feed (CmgCliTerminal *self,
                                       const char     *data,
                                       gsize           len,
                                       GPtrArray      *ops);
/* End of output: every line still open becomes final (an empty last line is dropped). */
void            cmg_cli_terminal_finish (CmgCliTerminal *self,
                                         GPtrArray      *ops);
/* The newest line still open: the one the cursor is on (e.g. a prompt waiting for its answer), or
 * the spinner frame above an empty cursor line; NULL when there is none. out_complete: TRUE when
 * the line was ended with a newline (a spinner frame), FALSE when it may still be mid-write.
 * Valid until the next call. */
const char     *cmg_cli_terminal_get_current_line (CmgCliTerminal *self,
                                                   gboolean       *out_complete);
/* GPtrArray suited to feed()'s `ops`. */
GPtrArray      *cmg_cli_line_ops_new (void);

G_END_DECLS
