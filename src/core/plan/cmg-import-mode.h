/* cmg-import-mode.h: the import modes (none, append, replace, replace-all) in words: a label, the
 * CLI's name for the mode, and what the chosen mode does to this archive on this target. */
#pragma once

#include <gio/gio.h>

#include "cmg-cli-command.h"

G_BEGIN_DECLS

/* Translated one-liner per mode, independent of the archive ("Replace the tables in the file"). */
const char *cmg_import_mode_get_label (CmgCliImportMode mode);
/* "none" "append" "replace" "replace-all": for the history and log lines, never translated. */
const char *cmg_import_mode_get_flag (CmgCliImportMode mode);
/* Translated, several lines: the mode for target (the deployment's identity), then one line per
 * table of tables (element type CmgPlanTable, effects already set for mode), then what is not
 * known when the target's contents are not (target_known FALSE). */
char       *cmg_import_mode_dup_description (CmgCliImportMode  mode,
                                             const char       *target,
                                             GListModel       *tables,
                                             gboolean          target_known);

G_END_DECLS
