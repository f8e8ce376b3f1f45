/* cmg-plan-notify.c: see cmg-plan-notify.h. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cmg-import-plan.h"
#include "cmg-plan-notify.h"

char *
cmg_plan_notify_build_message (const char *source_name,
                               const char *mode_label,
                               const char *target_identity,
                               const char *target_type_label,
                               GDateTime  *when,
                               const char *backup_path)
{
  g_autofree char *time_text = NULL;
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (source_name != NULL, NULL);
  g_return_val_if_fail (target_identity != NULL, NULL);
  g_return_val_if_fail (when != NULL, NULL);

  time_text = g_date_time_format (when, "%Y-%m-%d %H:%M %Z");

  /* Translators: what, where (deployment and its type, e.g. "PRODUCTION"), when */
  g_string_append_printf (text, _("Heads-up: importing %s into %s (%s) at %s."),
                          source_name, target_identity,
                          target_type_label != NULL ? target_type_label : _("Unknown"),
                          time_text);
  g_string_append_c (text, '\n');
  if (mode_label != NULL)
    {
      /* Translators: %s is the import mode, e.g. "Replace the tables in the file" */
      g_string_append_printf (text, _("Mode: %s."), mode_label);
      g_string_append_c (text, '\n');
    }
  if (backup_path != NULL)
    /* Translators: %s is the path of the backup file */
    g_string_append_printf (text, _("A backup of the deployment was taken first: %s"), backup_path);
  else
    g_string_append (text, _("No backup was taken."));

  return g_string_free (text, FALSE);
}

static void
post_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  SoupMessage *msg = g_task_get_task_data (task);
  guint status;

  body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, &error);
  if (body == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        /* The error text of libsoup may quote the URL, which holds the hook's secret. */
        g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_WEBHOOK,
                                 _("The webhook did not answer. Check the webhook address in the preferences and your network."));
      return;
    }

  status = soup_message_get_status (msg);
  if (status < 200 || status >= 300)
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_WEBHOOK,
                               /* Translators: %u is an HTTP status such as 404 */
                               _("The webhook refused the message (HTTP %u). Check the webhook address in the preferences."),
                               status);
      return;
    }

  g_task_return_int (task, status);
}

void
cmg_plan_notify_post_async (const char          *url,
                            const char          *text,
                            guint                timeout,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GUri) uri = NULL;
  char *json;
  SoupMessage *msg;

  g_return_if_fail (url != NULL);
  g_return_if_fail (text != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_plan_notify_post_async);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL ||
      (g_strcmp0 (g_uri_get_scheme (uri), "http") != 0 && g_strcmp0 (g_uri_get_scheme (uri), "https") != 0) ||
      g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_task_return_new_error (task, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_WEBHOOK,
                               _("The webhook address is not an http:// or https:// URL. Check it in the preferences."));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  body = g_bytes_new_take (json, strlen (json));

  msg = soup_message_new_from_uri (SOUP_METHOD_POST, uri);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  g_task_set_task_data (task, msg, g_object_unref);

  session = soup_session_new_with_options ("timeout", timeout > 0 ? timeout : 10, NULL);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    post_done, g_steal_pointer (&task));
}

guint
cmg_plan_notify_post_finish (GAsyncResult  *result,
                             GError       **error)
{
  gssize status;

  g_return_val_if_fail (g_task_is_valid (result, NULL), 0);

  status = g_task_propagate_int (G_TASK (result), error);
  return status > 0 ? (guint)status : 0;
}
