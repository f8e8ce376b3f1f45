/* cmg-probe.c: see cmg-probe.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cmg-deploy-error.h"
#include "cmg-probe.h"

#define DEFAULT_TIMEOUT_SECONDS 5
/* Instance names and versions are short tokens; a longer answer comes from something else (a web
 * page, a proxy's error page) and is not shown as a name. */
#define MAX_TOKEN_LENGTH 128

struct _CmgProbe
{
  GObject      parent_instance;

  SoupSession *session;
  guint        timeout;
};

G_DEFINE_FINAL_TYPE (CmgProbe, cmg_probe, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_BOXED_TYPE (CmgProbeResult, cmg_probe_result, cmg_probe_result_copy, cmg_probe_result_free)

CmgProbeResult *
cmg_probe_result_copy (const CmgProbeResult *result)
{
  CmgProbeResult *copy;

  g_return_val_if_fail (result != NULL, NULL);

  copy = g_new0 (CmgProbeResult, 1);
  copy->reachable = result->reachable;
  copy->http_status = result->http_status;
  copy->instance_name = g_strdup (result->instance_name);
  copy->version = g_strdup (result->version);
  copy->name_matches = result->name_matches;
  copy->message = g_strdup (result->message);

  return copy;
}

void
cmg_probe_result_free (CmgProbeResult *result)
{
  if (result == NULL)
    return;

  g_free (result->instance_name);
  g_free (result->version);
  g_free (result->message);
  g_free (result);
}

/* One running check: both requests share one cancellable, which the caller's cancellable and the
 * whole-probe timer both trigger, so neither request can outlive the other by much. */
typedef struct
{
  char         *base_url;
  char         *expected_name;
  guint         timeout;

  GCancellable *requests_cancellable;
  GSource      *timer;
  GSource      *cancel_source;
  gboolean      timed_out;
  guint         pending;

  SoupMessage  *name_msg;
  GBytes       *name_body;
  GError       *name_error;

  SoupMessage  *version_msg;
  GBytes       *version_body;
} ProbeCheck;

static void
probe_check_stop_sources (ProbeCheck *check)
{
  if (check->timer != NULL)
    {
      g_source_destroy (check->timer);
      g_clear_pointer (&check->timer, g_source_unref);
    }
  if (check->cancel_source != NULL)
    {
      g_source_destroy (check->cancel_source);
      g_clear_pointer (&check->cancel_source, g_source_unref);
    }
}

static void
probe_check_free (ProbeCheck *check)
{
  probe_check_stop_sources (check);
  g_free (check->base_url);
  g_free (check->expected_name);
  g_clear_object (&check->requests_cancellable);
  g_clear_object (&check->name_msg);
  g_clear_pointer (&check->name_body, g_bytes_unref);
  g_clear_error (&check->name_error);
  g_clear_object (&check->version_msg);
  g_clear_pointer (&check->version_body, g_bytes_unref);
  g_free (check);
}

/* The trimmed body if it looks like a single token (a name or a version), else NULL. */
static char *
body_to_token (GBytes *body)
{
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &size);
  if (data == NULL || size == 0 || size > 4 * MAX_TOKEN_LENGTH)
    return NULL;
  if (!g_utf8_validate_len (data, size, NULL))
    return NULL;

  text = g_strndup (data, size);
  g_strstrip (text);

  if (*text == '\0' || strlen (text) > MAX_TOKEN_LENGTH)
    return NULL;
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || *p == '<' || *p == '>')
      return NULL;

  return g_steal_pointer (&text);
}

static gboolean
status_is_success (guint status)
{
  return SOUP_STATUS_IS_SUCCESSFUL (status);
}

static gboolean
error_is_timeout (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static char *
describe_failure (ProbeCheck   *check,
                  const GError *error)
{
  if (check->timed_out || error_is_timeout (error))
    /* Translators: %s is a URL, %u a number of seconds */
    return g_strdup_printf (ngettext ("No answer from %s within %u second",
                                      "No answer from %s within %u seconds",
                                      check->timeout),
                            check->base_url, check->timeout);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    /* Translators: %s is a URL */
    return g_strdup_printf (_("Nothing is listening at %s (connection refused): is the backend running?"),
                            check->base_url);

  if (error != NULL &&
      (error->domain == G_RESOLVER_ERROR ||
       g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)))
    return g_strdup_printf (_("Cannot find the server of %s: check the address and the network"),
                            check->base_url);

  if (error != NULL && error->domain == G_TLS_ERROR)
    /* Translators: %s is a URL, then the system's explanation */
    return g_strdup_printf (_("No secure connection to %s: %s"),
                            check->base_url, error->message);

  return g_strdup_printf (_("Cannot reach %s: %s"),
                          check->base_url,
                          error != NULL ? error->message : _("unknown error"));
}

static CmgProbeResult *
probe_check_build_result (ProbeCheck *check)
{
  g_autoptr(CmgProbeResult) result = g_new0 (CmgProbeResult, 1);

  /* A timer that fired after /instance_name had answered only cut the version request short. */
  result->reachable = check->name_body != NULL;

  if (!result->reachable)
    {
      result->name_matches = check->expected_name == NULL;
      result->message = describe_failure (check, check->name_error);
      return g_steal_pointer (&result);
    }

  result->http_status = soup_message_get_status (check->name_msg);
  if (status_is_success (result->http_status))
    result->instance_name = body_to_token (check->name_body);

  if (check->version_body != NULL &&
      status_is_success (soup_message_get_status (check->version_msg)))
    result->version = body_to_token (check->version_body);

  if (check->expected_name == NULL)
    result->name_matches = TRUE;
  else
    result->name_matches = g_strcmp0 (result->instance_name, check->expected_name) == 0;

  if (!status_is_success (result->http_status))
    /* Translators: %s is a URL, %u an HTTP status code such as 404 */
    result->message = g_strdup_printf (_("%s answers HTTP %u to /instance_name: is this the deployment’s URL?"),
                                       check->base_url, result->http_status);
  else if (result->instance_name == NULL)
    result->message = g_strdup_printf (_("%s answers, but not like a Convex backend"),
                                       check->base_url);
  else if (!result->name_matches)
    /* Translators: the name the backend gives, then the name of the chosen deployment */
    result->message = g_strdup_printf (_("Answers as %s, not %s"),
                                       result->instance_name, check->expected_name);
  else if (check->expected_name == NULL && result->version != NULL)
    /* A self-hosted URL names no deployment: say who answered.
     * Translators: the backend's instance name, then its version, such as 1.24.3 */
    result->message = g_strdup_printf (_("Reachable as %s, backend %s"),
                                       result->instance_name, result->version);
  else if (check->expected_name == NULL)
    result->message = g_strdup_printf (_("Reachable as %s, backend version unknown"),
                                       result->instance_name);
  else if (result->version != NULL)
    /* Translators: %s is the backend's version, such as 1.24.3 */
    result->message = g_strdup_printf (_("Reachable, backend %s"), result->version);
  else
    result->message = g_strdup (_("Reachable, backend version unknown"));

  return g_steal_pointer (&result);
}

static void
probe_check_request_done (GTask *task)
{
  ProbeCheck *check = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  g_assert (check->pending > 0);
  if (--check->pending > 0)
    return;

  probe_check_stop_sources (check);

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task,
                           probe_check_build_result (check),
                           (GDestroyNotify) cmg_probe_result_free);
}

static void
name_read_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeCheck *check = g_task_get_task_data (task);

  check->name_body = soup_session_send_and_read_finish (SOUP_SESSION (object), result,
                                                        &check->name_error);
  probe_check_request_done (task);
}

static void
version_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  ProbeCheck *check = g_task_get_task_data (task);

  /* The version is optional: older backends or proxies may not answer it. */
  check->version_body = soup_session_send_and_read_finish (SOUP_SESSION (object), result, NULL);
  probe_check_request_done (task);
}

static gboolean
timer_cb (gpointer user_data)
{
  /* Cancelling may complete the task, which must outlive this function. */
  g_autoptr(GTask) task = g_object_ref (user_data);
  ProbeCheck *check = g_task_get_task_data (task);

  g_clear_pointer (&check->timer, g_source_unref);
  check->timed_out = TRUE;
  g_cancellable_cancel (check->requests_cancellable);

  return G_SOURCE_REMOVE;
}

/* Runs in the caller's context, whichever thread cancelled, so libsoup is only touched there. */
static gboolean
caller_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = g_object_ref (user_data);
  ProbeCheck *check = g_task_get_task_data (task);

  g_clear_pointer (&check->cancel_source, g_source_unref);
  g_cancellable_cancel (check->requests_cancellable);

  return G_SOURCE_REMOVE;
}

/* The URL without trailing slashes, or NULL with an error if it cannot be a deployment URL. */
static char *
normalize_url (const char  *url,
               GError     **error)
{
  g_autofree char *text = g_strstrip (g_strdup (url != NULL ? url : ""));
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;
  gsize len;

  /* GUri accepts a blank inside a host name; no server has one. */
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      goto malformed;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri != NULL)
    {
      scheme = g_uri_get_scheme (uri);
      host = g_uri_get_host (uri);

      if ((g_strcmp0 (scheme, "http") == 0 || g_strcmp0 (scheme, "https") == 0) &&
          host != NULL && *host != '\0' &&
          g_uri_get_query (uri) == NULL && g_uri_get_fragment (uri) == NULL)
        {
          len = strlen (text);
          while (len > 0 && text[len - 1] == '/')
            text[--len] = '\0';
          return g_steal_pointer (&text);
        }
    }

malformed:
  g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
               _("“%s” is not a deployment URL: it must start with http:// or https:// and name a server, like https://happy-animal-123.convex.cloud"),
               text);
  return NULL;
}

void
cmg_probe_check_async (CmgProbe            *self,
                       const char          *url,
                       const char          *expected_name,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *name_url = NULL;
  g_autofree char *version_url = NULL;
  GError *error = NULL;
  ProbeCheck *check;

  g_return_if_fail (CMG_IS_PROBE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_probe_check_async);

  check = g_new0 (ProbeCheck, 1);
  g_task_set_task_data (task, check, (GDestroyNotify) probe_check_free);

  check->base_url = normalize_url (url, &error);
  if (check->base_url == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  check->expected_name = g_strdup (expected_name);
  check->timeout = self->timeout;
  check->requests_cancellable = g_cancellable_new ();

  name_url = g_strconcat (check->base_url, "/instance_name", NULL);
  version_url = g_strconcat (check->base_url, "/instance_version", NULL);
  check->name_msg = soup_message_new (SOUP_METHOD_GET, name_url);
  check->version_msg = soup_message_new (SOUP_METHOD_GET, version_url);
  if (check->name_msg == NULL || check->version_msg == NULL)
    {
      g_task_return_new_error (task, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
                               _("“%s” is not a deployment URL"), check->base_url);
      return;
    }

  /* The task owns its sources; they hold no reference, and are destroyed before it returns. */
  check->timer = g_timeout_source_new (check->timeout * 1000);
  g_source_set_static_name (check->timer, "[cmg] probe timeout");
  g_source_set_callback (check->timer, timer_cb, task, NULL);
  g_source_attach (check->timer, g_task_get_context (task));

  if (cancellable != NULL)
    {
      check->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_static_name (check->cancel_source, "[cmg] probe cancelled");
      g_source_set_callback (check->cancel_source, G_SOURCE_FUNC (caller_cancelled_cb), task, NULL);
      g_source_attach (check->cancel_source, g_task_get_context (task));
    }

  check->pending = 2;
  soup_session_send_and_read_async (self->session, check->name_msg, G_PRIORITY_DEFAULT,
                                    check->requests_cancellable, name_read_cb,
                                    g_object_ref (task));
  soup_session_send_and_read_async (self->session, check->version_msg, G_PRIORITY_DEFAULT,
                                    check->requests_cancellable, version_read_cb,
                                    g_object_ref (task));
}

CmgProbeResult *
cmg_probe_check_finish (CmgProbe      *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (CMG_IS_PROBE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_probe_check_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
cmg_probe_set_timeout (CmgProbe *self,
                       guint     seconds)
{
  g_return_if_fail (CMG_IS_PROBE (self));
  g_return_if_fail (seconds > 0 && seconds <= G_MAXUINT / 1000);

  if (self->timeout == seconds)
    return;

  self->timeout = seconds;
  /* libsoup's own limits stop a stalled connection; the probe's timer bounds the whole check. */
  g_object_set (self->session,
                "timeout", seconds,
                "idle-timeout", seconds,
                NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
cmg_probe_get_timeout (CmgProbe *self)
{
  g_return_val_if_fail (CMG_IS_PROBE (self), 0);

  return self->timeout;
}

CmgProbe *
cmg_probe_new (void)
{
  return g_object_new (CMG_TYPE_PROBE, NULL);
}

static void
cmg_probe_finalize (GObject *object)
{
  CmgProbe *self = CMG_PROBE (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (cmg_probe_parent_class)->finalize (object);
}

static void
cmg_probe_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CmgProbe *self = CMG_PROBE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_probe_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  CmgProbe *self = CMG_PROBE (object);

  switch (prop_id)
    {
    case PROP_TIMEOUT:
      cmg_probe_set_timeout (self, g_value_get_uint (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_probe_class_init (CmgProbeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_probe_finalize;
  object_class->get_property = cmg_probe_get_property;
  object_class->set_property = cmg_probe_set_property;

  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL,
                       1, G_MAXUINT / 1000, DEFAULT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_probe_init (CmgProbe *self)
{
  self->timeout = DEFAULT_TIMEOUT_SECONDS;
  self->session = soup_session_new_with_options ("timeout", self->timeout,
                                                 "idle-timeout", self->timeout,
                                                 "user-agent", "convex-migrate/" PACKAGE_VERSION,
                                                 NULL);
}
