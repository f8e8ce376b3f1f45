/* cmg-progress-timer.h: the timer by which work running in a thread reports its progress in the
 * caller's main context (counting, search, validation, repack all report this way). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* How often a running job reports, in milliseconds. */
#define CMG_PROGRESS_TIMER_INTERVAL_MS 100

/* Calls report (data) every CMG_PROGRESS_TIMER_INTERVAL_MS in context (NULL: the global default
 * context). data must outlive the timer. */
GSource *cmg_progress_timer_start (GMainContext *context,
                                   GSourceFunc   report,
                                   gpointer      data);
/* Stops and clears *timer; does nothing when it is NULL. Call it in the job's completion callback,
 * before the caller hears that the job is over: otherwise the job data, kept alive by the task
 * until the worker thread drops it, could report again after the end. Safe from any thread. */
void     cmg_progress_timer_stop (GSource **timer);

G_END_DECLS
