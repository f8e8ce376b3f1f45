/* cmg-run-history.h: every CLI run, newest first, one JSON file and one log file per run in
 * <state dir>/convex-migrate/runs/ (CMG_STATE_DIR replaces the state dir, for tests). Written
 * atomically; a run is recorded as running when it starts, so one cut short by a crash shows as
 * interrupted on the next load. A GListModel of CmgRunRecord. */
#pragma once

#include <gio/gio.h>

#include "cmg-run-record.h"

G_BEGIN_DECLS

#define CMG_TYPE_RUN_HISTORY (cmg_run_history_get_type ())
G_DECLARE_FINAL_TYPE (CmgRunHistory, cmg_run_history, CMG, RUN_HISTORY, GObject)

/* dir: NULL for the default folder. Nothing is read until load(). */
CmgRunHistory *cmg_run_history_new (const char *dir);
const char    *cmg_run_history_get_dir (CmgRunHistory *self);
/* Reads the folder (blocking; small files). Records left "running" by a process that is gone are
 * rewritten as interrupted. Damaged files are skipped. */
gboolean       cmg_run_history_load (CmgRunHistory  *self,
                                     GError        **error);
/* The same, reading in a worker thread; the model changes when it completes. */
void           cmg_run_history_load_async (CmgRunHistory       *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
gboolean       cmg_run_history_load_finish (CmgRunHistory  *self,
                                            GAsyncResult   *result,
                                            GError        **error);
/* Records a new run as running (and creates its empty log file) and puts it first. */
CmgRunRecord  *cmg_run_history_begin (CmgRunHistory  *self,
                                      const char     *action,
                                      const char     *masked_command,
                                      const char     *target_name,
                                      const char     *target_type,
                                      GError        **error);
/* Stores how a run begun here ended; the duration is measured from its start. */
gboolean       cmg_run_history_finish (CmgRunHistory  *self,
                                       CmgRunRecord   *record,
                                       CmgRunOutcome   outcome,
                                       int             exit_status,
                                       const char     *continue_url,
                                       const char     *message,
                                       GError        **error);

G_END_DECLS
