/* cmg-cli-event.h: one thing the CLI said that the app acts on (convex-facts §3), parsed from its
 * output by CmgCliOutputParser. Immutable once the parser has emitted it. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  CMG_CLI_EVENT_STEP_STARTED,        /* `- Importing data.jsonl (1 KB)`, or a spinner's first frame */
  CMG_CLI_EVENT_STEP_DONE,           /* `✔ Created snapshot export at timestamp …` */
  CMG_CLI_EVENT_FAILURE,             /* `✖ …`; detail: the server's message lines that follow */
  CMG_CLI_EVENT_WARNING,             /* `Warning: …` */
  CMG_CLI_EVENT_RETRY,               /* `Retrying request (attempt 3/6)...` */
  CMG_CLI_EVENT_CHANGE_SUMMARY,      /* the server's `Import change summary:` table, as rows */
  CMG_CLI_EVENT_PROMPT,              /* `? Perform import? (Y/n)`: text is the question */
  CMG_CLI_EVENT_PROGRESS,            /* `Imported "t" (3 documents)`, `Added 3 documents…` */
  CMG_CLI_EVENT_CONTINUES_ON_SERVER, /* `✖ WARNING: Import is continuing to run on the server…` */
  CMG_CLI_EVENT_IMPORT_IN_PROGRESS,  /* `There is already a snapshot import in progress…` */
  CMG_CLI_EVENT_EXPORT_BUSY,         /* `✖ A snapshot export is already requested or in progress…` */
  CMG_CLI_EVENT_BAD_KEY,             /* the server rejected the key (`BadDeployKey`) */
  CMG_CLI_EVENT_FINISHED,            /* the process ended: exit status */
} CmgCliEventKind;

/* "step-started", "step-done", "failure", "warning", "retry", "change-summary", "prompt",
 * "progress", "continues-on-server", "import-in-progress", "export-busy", "bad-key", "finished" */
const char *cmg_cli_event_kind_to_string (CmgCliEventKind kind);

/* One row of the change summary. Counts are -1 when the server left them out. */
typedef struct {
  char   *component;  /* NULL for the app's own tables */
  char   *table;
  gint64  create;
  gint64  delete;
  gint64  of;         /* documents (or files) the table holds now */
  char   *unit;       /* "documents", "files", or NULL */
} CmgCliChangeRow;

#define CMG_TYPE_CLI_CHANGE_ROW (cmg_cli_change_row_get_type ())
GType            cmg_cli_change_row_get_type (void) G_GNUC_CONST;
CmgCliChangeRow *cmg_cli_change_row_copy (const CmgCliChangeRow *row);
void             cmg_cli_change_row_free (CmgCliChangeRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgCliChangeRow, cmg_cli_change_row_free)

#define CMG_TYPE_CLI_EVENT (cmg_cli_event_get_type ())
G_DECLARE_FINAL_TYPE (CmgCliEvent, cmg_cli_event, CMG, CLI_EVENT, GObject)

CmgCliEvent     *cmg_cli_event_new (CmgCliEventKind  kind,
                                    const char      *text);

CmgCliEventKind  cmg_cli_event_get_kind (CmgCliEvent *self);
/* The line without its marker (`✔ `, `- `, `? `…); for a prompt, the question; for a summary,
 * its title. */
const char      *cmg_cli_event_get_text (CmgCliEvent *self);
/* Failure: the server's message (lines joined with `\n`), or NULL. */
const char      *cmg_cli_event_get_detail (CmgCliEvent *self);
/* Continues-on-server, import-in-progress: where to watch it, or NULL. */
const char      *cmg_cli_event_get_url (CmgCliEvent *self);
/* Progress: the table, or NULL for a whole ZIP. */
const char      *cmg_cli_event_get_table (CmgCliEvent *self);
/* Progress: documents; -1 otherwise. */
gint64           cmg_cli_event_get_count (CmgCliEvent *self);
/* Retry: attempt and maximum; 0 otherwise. */
guint            cmg_cli_event_get_attempt (CmgCliEvent *self);
guint            cmg_cli_event_get_max_attempts (CmgCliEvent *self);
/* Finished: the exit status, or -1 when a signal ended the process. */
int              cmg_cli_event_get_exit_status (CmgCliEvent *self);
/* Change summary: element type CmgCliChangeRow*; empty for other kinds. */
GPtrArray       *cmg_cli_event_get_rows (CmgCliEvent *self);

/* For the parser, before the event is handed out. */
void             cmg_cli_event_set_detail (CmgCliEvent *self, const char *detail);
void             cmg_cli_event_set_url (CmgCliEvent *self, const char *url);
void             cmg_cli_event_set_progress (CmgCliEvent *self, const char *table, gint64 count);
void             cmg_cli_event_set_retry (CmgCliEvent *self, guint attempt, guint max_attempts);
void             cmg_cli_event_set_exit_status (CmgCliEvent *self, int exit_status);
void             cmg_cli_event_take_row (CmgCliEvent *self, CmgCliChangeRow *row);

G_END_DECLS
