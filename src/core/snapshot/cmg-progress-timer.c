/* cmg-progress-timer.c: see cmg-progress-timer.h. */
#include "config.h"

#include "cmg-progress-timer.h"

GSource *
cmg_progress_timer_start (GMainContext *context,
                          GSourceFunc   report,
                          gpointer      data)
{
  GSource *timer;

  g_return_val_if_fail (report != NULL, NULL);

  timer = g_timeout_source_new (CMG_PROGRESS_TIMER_INTERVAL_MS);
  g_source_set_callback (timer, report, data, NULL);
  g_source_attach (timer, context);
  return timer;
}

void
cmg_progress_timer_stop (GSource **timer)
{
  g_return_if_fail (timer != NULL);

  if (*timer == NULL)
    return;
  g_source_destroy (*timer);
  g_clear_pointer (timer, g_source_unref);
}
