/* cmg-probe.h: asks a deployment's backend who it is (GET /instance_name, /instance_version),
 * asynchronously, with a timeout; offline is a normal answer, not a failure of the app. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct {
  gboolean  reachable;      /* an HTTP answer came back from /instance_name */
  guint     http_status;    /* of /instance_name; 0 when nothing answered */
  char     *instance_name;  /* trimmed body of a 200 /instance_name, else NULL */
  char     *version;        /* trimmed body of a 200 /instance_version, else NULL */
  gboolean  name_matches;   /* instance_name equals the expected name (TRUE when none expected) */
  char     *message;        /* translated one-line summary for the UI ("Reachable, backend 1.2.3",
                             * "No answer within 5 seconds", "Answers as other-name-1, not …") */
} CmgProbeResult;

#define CMG_TYPE_PROBE_RESULT (cmg_probe_result_get_type ())
GType           cmg_probe_result_get_type (void) G_GNUC_CONST;
CmgProbeResult *cmg_probe_result_copy (const CmgProbeResult *result);
void            cmg_probe_result_free (CmgProbeResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CmgProbeResult, cmg_probe_result_free)

#define CMG_TYPE_PROBE (cmg_probe_get_type ())
G_DECLARE_FINAL_TYPE (CmgProbe, cmg_probe, CMG, PROBE, GObject)

CmgProbe       *cmg_probe_new (void);
/* Whole-probe timeout, default 5 seconds. */
void            cmg_probe_set_timeout (CmgProbe *self, guint seconds);
guint           cmg_probe_get_timeout (CmgProbe *self);
/* url: the deployment's base URL (https://x.convex.cloud, http://127.0.0.1:3210). expected_name
 * may be NULL. Never blocks; the callback runs in the caller's main context. An unreachable
 * backend is a result with reachable == FALSE; GError only for cancellation or an invalid URL. */
void            cmg_probe_check_async (CmgProbe            *self,
                                       const char          *url,
                                       const char          *expected_name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
CmgProbeResult *cmg_probe_check_finish (CmgProbe      *self,
                                        GAsyncResult  *result,
                                        GError       **error);

G_END_DECLS
