/* cmg-run-record.h: one run of the CLI as the history keeps it: the masked command, the target,
 * when it started and how long it took, how it ended, and where its log is. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum {
  CMG_RUN_OUTCOME_RUNNING,
  CMG_RUN_OUTCOME_SUCCEEDED,
  CMG_RUN_OUTCOME_FAILED,
  CMG_RUN_OUTCOME_CANCELLED,            /* stopped before the server started the work */
  CMG_RUN_OUTCOME_CONTINUES_ON_SERVER,  /* the CLI stopped, the import goes on server-side */
  CMG_RUN_OUTCOME_INTERRUPTED,          /* the app ended (or crashed) while it ran */
} CmgRunOutcome;

/* "running", "succeeded", "failed", "cancelled", "continues-on-server", "interrupted" */
const char *cmg_run_outcome_to_string (CmgRunOutcome outcome);
gboolean    cmg_run_outcome_from_string (const char *str, CmgRunOutcome *out_outcome);
/* Translated, for the activity view: "Running", "Succeeded", … */
const char *cmg_run_outcome_get_label (CmgRunOutcome outcome);

#define CMG_TYPE_RUN_RECORD (cmg_run_record_get_type ())
G_DECLARE_FINAL_TYPE (CmgRunRecord, cmg_run_record, CMG, RUN_RECORD, GObject)

/* Properties (read-only, notified when the run ends): "outcome", "exit-status", "duration-ms",
 * "continue-url", "message". */

const char    *cmg_run_record_get_id (CmgRunRecord *self);
const char    *cmg_run_record_get_action (CmgRunRecord *self);       /* "export", "import", … */
const char    *cmg_run_record_get_command (CmgRunRecord *self);      /* masked */
const char    *cmg_run_record_get_target_name (CmgRunRecord *self);
const char    *cmg_run_record_get_target_type (CmgRunRecord *self);
gint64         cmg_run_record_get_start_time (CmgRunRecord *self);   /* µs since the epoch */
GDateTime     *cmg_run_record_dup_start (CmgRunRecord *self);        /* local time */
gint64         cmg_run_record_get_duration_ms (CmgRunRecord *self);  /* -1 while running */
CmgRunOutcome  cmg_run_record_get_outcome (CmgRunRecord *self);
int            cmg_run_record_get_exit_status (CmgRunRecord *self);  /* -1: none */
const char    *cmg_run_record_get_log_path (CmgRunRecord *self);
const char    *cmg_run_record_get_continue_url (CmgRunRecord *self);
/* Why the run failed before the CLI could start ("Install Node.js…"), or NULL. */
const char    *cmg_run_record_get_message (CmgRunRecord *self);
GPid           cmg_run_record_get_pid (CmgRunRecord *self);         /* the app's process */

/* For CmgRunHistory. */
CmgRunRecord  *cmg_run_record_new (const char *id,
                                   const char *action,
                                   const char *command,
                                   const char *target_name,
                                   const char *target_type,
                                   gint64      start_time,
                                   const char *log_path);
void           cmg_run_record_set_result (CmgRunRecord  *self,
                                          CmgRunOutcome  outcome,
                                          int            exit_status,
                                          gint64         duration_ms,
                                          const char    *continue_url,
                                          const char    *message);
JsonNode      *cmg_run_record_to_json (CmgRunRecord *self);
CmgRunRecord  *cmg_run_record_new_from_json (JsonNode *node, GError **error);

G_END_DECLS
