/* cmg-plan-notify.h: telling the team about an import: a ready-to-send message (what, where, when,
 * the backup) and a POST of Slack-compatible JSON ({"text": …}) to a webhook through libsoup. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Translated, several lines. what: the source's file name (never a path with secrets);
 * where: the deployment's identity and type; when: local time; backup_path may be NULL. */
char    *cmg_plan_notify_build_message (const char *source_name,
                                        const char *mode_label,
                                        const char *target_identity,
                                        const char *target_type_label,
                                        GDateTime  *when,
                                        const char *backup_path);

/* POSTs {"text": text} (application/json) to url, with a timeout (seconds, 0 for 10). Completes
 * with the HTTP status; a non-2xx status or no answer is an error (CMG_IMPORT_PLAN_ERROR_WEBHOOK)
 * whose message names the status but never the URL (it holds a secret token). */
void     cmg_plan_notify_post_async (const char          *url,
                                     const char          *text,
                                     guint                timeout,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data);
guint    cmg_plan_notify_post_finish (GAsyncResult  *result,
                                      GError       **error);

G_END_DECLS
