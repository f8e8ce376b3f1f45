/* cmg-log-model.h: the lines of a log as a GListModel of GtkStringObject, built for millions of
 * lines: the text lives in one string chunk, items are made only for the rows a view asks for, and
 * lines appended one at a time reach the model in batches (one items-changed per batch). */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define CMG_TYPE_LOG_MODEL (cmg_log_model_get_type ())
G_DECLARE_FINAL_TYPE (CmgLogModel, cmg_log_model, CMG, LOG_MODEL, GObject)

CmgLogModel *cmg_log_model_new          (void);
/* Queues a line; queued lines are added together shortly after (or on flush). */
void         cmg_log_model_append       (CmgLogModel        *self,
                                         const char         *line);
/* Adds n lines at once (one items-changed). */
void         cmg_log_model_append_lines (CmgLogModel        *self,
                                         const char * const *lines,
                                         guint               n_lines);
/* Adds the lines of a text (split at '\n'; a last line without one counts too). */
void         cmg_log_model_append_text  (CmgLogModel        *self,
                                         const char         *text,
                                         gsize               length);
/* Replaces a line (queued or shown): a spinner redrawn in place. */
void         cmg_log_model_set_line     (CmgLogModel        *self,
                                         guint               position,
                                         const char         *line);
/* Adds the queued lines now. */
void         cmg_log_model_flush        (CmgLogModel        *self);
void         cmg_log_model_clear        (CmgLogModel        *self);
/* Lines shown and queued. */
guint        cmg_log_model_get_n_lines  (CmgLogModel        *self);
/* Transfer none; valid until the model is cleared. */
const char  *cmg_log_model_get_line     (CmgLogModel        *self,
                                         guint               position);
/* The shown lines [first, first + n), joined with '\n' and ending with one. */
char        *cmg_log_model_dup_text     (CmgLogModel        *self,
                                         guint               first,
                                         guint               n);

G_END_DECLS
