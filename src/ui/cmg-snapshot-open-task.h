/* cmg-snapshot-open-task.h: opening an export archive off the main thread.
 *
 * cmg_snapshot_open reads the archive's directory, so widgets never call it directly.
 */
#pragma once

#include <gio/gio.h>

#include "cmg-snapshot.h"

G_BEGIN_DECLS

/* Opens file in a worker thread; source_object (may be NULL) becomes the result's source. */
void         cmg_snapshot_open_task_run      (gpointer              source_object,
                                              GFile                *file,
                                              GCancellable         *cancellable,
                                              GAsyncReadyCallback   callback,
                                              gpointer              user_data);
/* The snapshot, or NULL with G_IO_ERROR_CANCELLED once cancellable was cancelled, whatever the
 * open's own outcome. */
CmgSnapshot *cmg_snapshot_open_task_finish   (GAsyncResult         *result,
                                              GError              **error);
/* The file the task opened. */
GFile       *cmg_snapshot_open_task_get_file (GAsyncResult         *result);

G_END_DECLS
