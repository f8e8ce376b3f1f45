/* cmg-connection-check.c: see cmg-connection-check.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-connection-check.h"

struct _CmgConnectionCheck
{
  GObject         parent_instance;

  CmgConnection  *connection;
  CmgProbe       *probe;
  GCancellable   *cancellable;
  CmgProbeResult *result;
  char           *message;
  CmgCheckState   state;
};

G_DEFINE_FINAL_TYPE (CmgConnectionCheck, cmg_connection_check, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CONNECTION,
  PROP_STATE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cmg_connection_check_set_state (CmgConnectionCheck *self,
                                CmgCheckState       state,
                                CmgProbeResult     *result,
                                char               *message)
{
  g_clear_pointer (&self->result, cmg_probe_result_free);
  self->result = result;
  g_free (self->message);
  self->message = message;
  self->state = state;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
cmg_connection_check_done_cb (GObject      *object,
                              GAsyncResult *res,
                              gpointer      user_data)
{
  g_autoptr(CmgConnectionCheck) self = user_data;
  g_autoptr(CmgProbeResult) result = NULL;
  g_autoptr(GError) error = NULL;
  CmgDeployment *deployment;
  const char *expected;

  result = cmg_probe_check_finish (CMG_PROBE (object), res, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* A late answer for a probe that has since been replaced. */
  if (self->state != CMG_CHECK_STATE_CHECKING)
    return;

  if (result == NULL)
    {
      cmg_connection_check_set_state (self, CMG_CHECK_STATE_FAILED, NULL,
                                      g_strdup_printf (_("Cannot check this address: %s"),
                                                       error->message));
      return;
    }

  deployment = self->connection ? cmg_connection_get_deployment (self->connection) : NULL;
  expected = deployment ? cmg_deployment_get_name (deployment) : NULL;

  if (!result->reachable)
    {
      cmg_connection_check_set_state (self, CMG_CHECK_STATE_UNREACHABLE,
                                      g_steal_pointer (&result),
                                      g_strdup (_("Offline or not reachable")));
    }
  else if (result->instance_name == NULL)
    {
      char *message = g_strdup_printf (_("This URL does not answer as a Convex backend (HTTP %u)"),
                                       result->http_status);
      cmg_connection_check_set_state (self, CMG_CHECK_STATE_MISMATCH,
                                      g_steal_pointer (&result), message);
    }
  else if (!result->name_matches && expected != NULL)
    {
      char *message = g_strdup_printf (_("This URL answers as %s, not %s"),
                                       result->instance_name, expected);
      cmg_connection_check_set_state (self, CMG_CHECK_STATE_MISMATCH,
                                      g_steal_pointer (&result), message);
    }
  else
    {
      char *message;

      if (result->version != NULL)
        message = g_strdup_printf (_("Reachable, backend %s"), result->version);
      else
        message = g_strdup (_("Reachable"));
      cmg_connection_check_set_state (self, CMG_CHECK_STATE_REACHABLE,
                                      g_steal_pointer (&result), message);
    }
}

void
cmg_connection_check_run (CmgConnectionCheck *self)
{
  CmgDeployment *deployment = NULL;
  const char *url = NULL;

  g_return_if_fail (CMG_IS_CONNECTION_CHECK (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->connection != NULL)
    deployment = cmg_connection_get_deployment (self->connection);
  if (deployment != NULL)
    url = cmg_deployment_get_url (deployment);

  if (url == NULL)
    {
      cmg_connection_check_set_state (self, CMG_CHECK_STATE_NONE, NULL, NULL);
      return;
    }

  self->cancellable = g_cancellable_new ();
  cmg_connection_check_set_state (self, CMG_CHECK_STATE_CHECKING, NULL, g_strdup (_("Checking…")));
  cmg_probe_check_async (self->probe,
                         url,
                         cmg_deployment_get_name (deployment),
                         self->cancellable,
                         cmg_connection_check_done_cb,
                         g_object_ref (self));
}

void
cmg_connection_check_set_connection (CmgConnectionCheck *self,
                                     CmgConnection      *connection)
{
  g_return_if_fail (CMG_IS_CONNECTION_CHECK (self));
  g_return_if_fail (connection == NULL || CMG_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
  cmg_connection_check_run (self);
}

CmgConnection *
cmg_connection_check_get_connection (CmgConnectionCheck *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_CHECK (self), NULL);
  return self->connection;
}

void
cmg_connection_check_set_timeout (CmgConnectionCheck *self,
                                  guint               seconds)
{
  g_return_if_fail (CMG_IS_CONNECTION_CHECK (self));
  cmg_probe_set_timeout (self->probe, seconds);
}

CmgCheckState
cmg_connection_check_get_state (CmgConnectionCheck *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_CHECK (self), CMG_CHECK_STATE_NONE);
  return self->state;
}

const CmgProbeResult *
cmg_connection_check_get_result (CmgConnectionCheck *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_CHECK (self), NULL);
  return self->result;
}

const char *
cmg_connection_check_get_message (CmgConnectionCheck *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_CHECK (self), NULL);
  return self->message;
}

const char *
cmg_connection_check_get_icon_name (CmgConnectionCheck *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_CHECK (self), NULL);

  switch (self->state)
    {
    case CMG_CHECK_STATE_CHECKING:
      return "content-loading-symbolic";
    case CMG_CHECK_STATE_REACHABLE:
      return "emblem-ok-symbolic";
    case CMG_CHECK_STATE_UNREACHABLE:
      return "network-offline-symbolic";
    case CMG_CHECK_STATE_MISMATCH:
    case CMG_CHECK_STATE_FAILED:
      return "dialog-warning-symbolic";
    case CMG_CHECK_STATE_NONE:
    default:
      return NULL;
    }
}

static void
cmg_connection_check_dispose (GObject *object)
{
  CmgConnectionCheck *self = CMG_CONNECTION_CHECK (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (cmg_connection_check_parent_class)->dispose (object);
}

static void
cmg_connection_check_finalize (GObject *object)
{
  CmgConnectionCheck *self = CMG_CONNECTION_CHECK (object);

  g_clear_object (&self->probe);
  g_clear_pointer (&self->result, cmg_probe_result_free);
  g_free (self->message);

  G_OBJECT_CLASS (cmg_connection_check_parent_class)->finalize (object);
}

static void
cmg_connection_check_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CmgConnectionCheck *self = CMG_CONNECTION_CHECK (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_connection_check_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  CmgConnectionCheck *self = CMG_CONNECTION_CHECK (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      cmg_connection_check_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_connection_check_class_init (CmgConnectionCheckClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_connection_check_dispose;
  object_class->finalize = cmg_connection_check_finalize;
  object_class->get_property = cmg_connection_check_get_property;
  object_class->set_property = cmg_connection_check_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         CMG_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A plain int: the enum is not registered as a GType. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL,
                      CMG_CHECK_STATE_NONE, CMG_CHECK_STATE_FAILED, CMG_CHECK_STATE_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_connection_check_init (CmgConnectionCheck *self)
{
  self->probe = cmg_probe_new ();
  self->state = CMG_CHECK_STATE_NONE;
}

CmgConnectionCheck *
cmg_connection_check_new (void)
{
  return g_object_new (CMG_TYPE_CONNECTION_CHECK, NULL);
}
