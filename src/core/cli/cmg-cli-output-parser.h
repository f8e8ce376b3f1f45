/* cmg-cli-output-parser.h: turns the CLI's lines (already free of escape codes, see
 * CmgCliTerminal) into CmgCliEvents. Pure: feed lines, get events; unit-tested on real CLI
 * output and fuzzed. */
#pragma once

#include <glib-object.h>

#include "cmg-cli-event.h"

G_BEGIN_DECLS

#define CMG_TYPE_CLI_OUTPUT_PARSER (cmg_cli_output_parser_get_type ())
G_DECLARE_FINAL_TYPE (CmgCliOutputParser, cmg_cli_output_parser, CMG, CLI_OUTPUT_PARSER, GObject)

CmgCliOutputParser *cmg_cli_output_parser_new (void);
/* A final line. New events (CmgCliEvent*, owned by the array) are appended to `events`. */
void                cmg_cli_output_parser_feed_line (CmgCliOutputParser *self,
                                                     const char         *line,
                                                     GPtrArray          *events);
/* The line still open (see cmg_cli_terminal_get_current_line()): a prompt waits there for its
 * answer (recognised once its `(Y/n)` is there), a spinner shows its step there (used once the
 * frame is complete). Repeated calls with the same text emit nothing new. */
void                cmg_cli_output_parser_feed_partial (CmgCliOutputParser *self,
                                                        const char         *line,
                                                        gboolean            complete,
                                                        GPtrArray          *events);
/* End of output: flushes a pending failure or summary, then emits FINISHED. */
void                cmg_cli_output_parser_finish (CmgCliOutputParser *self,
                                                  int                 exit_status,
                                                  GPtrArray          *events);

/* TRUE once the server's change summary said "Once the import has started…": from then on the
 * CLI starts the import on the server unless it is waiting at a prompt. */
gboolean            cmg_cli_output_parser_get_import_announced (CmgCliOutputParser *self);
/* The question of the prompt the CLI waits at, or NULL once a later line shows it was answered. */
const char         *cmg_cli_output_parser_get_pending_prompt (CmgCliOutputParser *self);

/* A new GPtrArray suited to the `events` arguments. */
GPtrArray          *cmg_cli_events_new (void);

G_END_DECLS
