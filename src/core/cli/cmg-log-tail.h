/* cmg-log-tail.h: follows a log file that is still being written (a run in progress, possibly
 * started by another window), reading only what was appended since the last look, asynchronously,
 * and handing over complete lines. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CMG_TYPE_LOG_TAIL (cmg_log_tail_get_type ())
G_DECLARE_FINAL_TYPE (CmgLogTail, cmg_log_tail, CMG, LOG_TAIL, GObject)

/* Looks at the file every interval_ms once started. The "lines" signal (const char * const *lines,
 * guint n_lines) carries the complete lines found, in order, in the caller's main context; a last
 * line without its '\n' is kept until the newline arrives. */
CmgLogTail *cmg_log_tail_new        (GFile      *file,
                                     guint       interval_ms);
/* Starts from the beginning of the file. */
void        cmg_log_tail_start      (CmgLogTail *self);
/* Reads whatever is there now (on top of the timer), e.g. right before stopping. */
void        cmg_log_tail_poll       (CmgLogTail *self);
/* Stops looking; a read under way is cancelled and delivers nothing. */
void        cmg_log_tail_stop       (CmgLogTail *self);
/* Bytes consumed so far (complete lines only). */
guint64     cmg_log_tail_get_offset (CmgLogTail *self);

G_END_DECLS
