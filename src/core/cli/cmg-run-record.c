/* cmg-run-record.c: see cmg-run-record.h. */
#include "config.h"

#include <unistd.h>

#include <glib/gi18n.h>

#include "cmg-cli-error.h"
#include "cmg-run-record.h"

struct _CmgRunRecord
{
  GObject        parent_instance;

  char          *id;
  char          *action;
  char          *command;
  char          *target_name;
  char          *target_type;
  gint64         start_time;
  gint64         duration_ms;
  CmgRunOutcome  outcome;
  int            exit_status;
  char          *log_path;
  char          *continue_url;
  char          *message;
  GPid           pid;
};

G_DEFINE_FINAL_TYPE (CmgRunRecord, cmg_run_record, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_OUTCOME,
  PROP_EXIT_STATUS,
  PROP_DURATION_MS,
  PROP_CONTINUE_URL,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const outcome_names[] = {
  "running", "succeeded", "failed", "cancelled", "continues-on-server", "interrupted",
};

const char *
cmg_run_outcome_to_string (CmgRunOutcome outcome)
{
  if ((guint)outcome < G_N_ELEMENTS (outcome_names))
    return outcome_names[outcome];
  return "failed";
}

gboolean
cmg_run_outcome_from_string (const char    *str,
                             CmgRunOutcome *out_outcome)
{
  for (guint i = 0; str && i < G_N_ELEMENTS (outcome_names); i++)
    if (g_str_equal (str, outcome_names[i]))
      {
        *out_outcome = (CmgRunOutcome)i;
        return TRUE;
      }
  return FALSE;
}

const char *
cmg_run_outcome_get_label (CmgRunOutcome outcome)
{
  switch (outcome)
    {
    case CMG_RUN_OUTCOME_RUNNING:
      return _("Running");
    case CMG_RUN_OUTCOME_SUCCEEDED:
      return _("Succeeded");
    case CMG_RUN_OUTCOME_CANCELLED:
      return _("Cancelled");
    case CMG_RUN_OUTCOME_CONTINUES_ON_SERVER:
      return _("Continues on the server");
    case CMG_RUN_OUTCOME_INTERRUPTED:
      return _("Interrupted");
    case CMG_RUN_OUTCOME_FAILED:
    default:
      return _("Failed");
    }
}

static void
cmg_run_record_finalize (GObject *object)
{
  CmgRunRecord *self = (CmgRunRecord *)object;

  g_free (self->id);
  g_free (self->action);
  g_free (self->command);
  g_free (self->target_name);
  g_free (self->target_type);
  g_free (self->log_path);
  g_free (self->continue_url);
  g_free (self->message);

  G_OBJECT_CLASS (cmg_run_record_parent_class)->finalize (object);
}

static void
cmg_run_record_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CmgRunRecord *self = CMG_RUN_RECORD (object);

  switch (prop_id)
    {
    case PROP_OUTCOME:
      g_value_set_int (value, self->outcome);
      break;
    case PROP_EXIT_STATUS:
      g_value_set_int (value, self->exit_status);
      break;
    case PROP_DURATION_MS:
      g_value_set_int64 (value, self->duration_ms);
      break;
    case PROP_CONTINUE_URL:
      g_value_set_string (value, self->continue_url);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_run_record_class_init (CmgRunRecordClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_run_record_finalize;
  object_class->get_property = cmg_run_record_get_property;

  properties[PROP_OUTCOME] =
    g_param_spec_int ("outcome", NULL, NULL, 0, CMG_RUN_OUTCOME_INTERRUPTED, 0,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_EXIT_STATUS] =
    g_param_spec_int ("exit-status", NULL, NULL, -1, G_MAXINT, -1,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DURATION_MS] =
    g_param_spec_int64 ("duration-ms", NULL, NULL, -1, G_MAXINT64, -1,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CONTINUE_URL] =
    g_param_spec_string ("continue-url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_run_record_init (CmgRunRecord *self)
{
  self->duration_ms = -1;
  self->exit_status = -1;
}

CmgRunRecord *
cmg_run_record_new (const char *id,
                    const char *action,
                    const char *command,
                    const char *target_name,
                    const char *target_type,
                    gint64      start_time,
                    const char *log_path)
{
  CmgRunRecord *self = g_object_new (CMG_TYPE_RUN_RECORD, NULL);

  self->id = g_strdup (id);
  self->action = g_strdup (action);
  self->command = g_strdup (command);
  self->target_name = g_strdup (target_name);
  self->target_type = g_strdup (target_type);
  self->start_time = start_time;
  self->log_path = g_strdup (log_path);
  self->outcome = CMG_RUN_OUTCOME_RUNNING;
  self->pid = getpid ();
  return self;
}

void
cmg_run_record_set_result (CmgRunRecord  *self,
                           CmgRunOutcome  outcome,
                           int            exit_status,
                           gint64         duration_ms,
                           const char    *continue_url,
                           const char    *message)
{
  g_return_if_fail (CMG_IS_RUN_RECORD (self));

  self->outcome = outcome;
  self->exit_status = exit_status;
  self->duration_ms = duration_ms;
  g_free (self->continue_url);
  self->continue_url = g_strdup (continue_url);
  g_free (self->message);
  self->message = g_strdup (message);

  for (guint i = PROP_OUTCOME; i < N_PROPS; i++)
    g_object_notify_by_pspec (G_OBJECT (self), properties[i]);
}

#define GETTER(type, name, field)                      \
  type                                                 \
  cmg_run_record_get_##name (CmgRunRecord *self)       \
  {                                                    \
    g_return_val_if_fail (CMG_IS_RUN_RECORD (self), 0); \
    return self->field;                                \
  }

GETTER (const char *, id, id)
GETTER (const char *, action, action)
GETTER (const char *, command, command)
GETTER (const char *, target_name, target_name)
GETTER (const char *, target_type, target_type)
GETTER (gint64, start_time, start_time)
GETTER (gint64, duration_ms, duration_ms)
GETTER (CmgRunOutcome, outcome, outcome)
GETTER (int, exit_status, exit_status)
GETTER (const char *, log_path, log_path)
GETTER (const char *, continue_url, continue_url)
GETTER (const char *, message, message)
GETTER (GPid, pid, pid)

GDateTime *
cmg_run_record_dup_start (CmgRunRecord *self)
{
  g_autoptr(GDateTime) utc = NULL;

  g_return_val_if_fail (CMG_IS_RUN_RECORD (self), NULL);

  utc = g_date_time_new_from_unix_utc (self->start_time / G_USEC_PER_SEC);
  if (utc == NULL)
    return NULL;
  return g_date_time_to_local (utc);
}

static void
set_nullable (JsonBuilder *builder,
              const char  *name,
              const char  *value)
{
  json_builder_set_member_name (builder, name);
  if (value)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

JsonNode *
cmg_run_record_to_json (CmgRunRecord *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GDateTime) start = g_date_time_new_from_unix_utc (self->start_time / G_USEC_PER_SEC);
  g_autofree char *start_iso = start ? g_date_time_format_iso8601 (start) : NULL;

  json_builder_begin_object (builder);
  set_nullable (builder, "id", self->id);
  set_nullable (builder, "action", self->action);
  set_nullable (builder, "command", self->command);
  set_nullable (builder, "target_name", self->target_name);
  set_nullable (builder, "target_type", self->target_type);
  set_nullable (builder, "start", start_iso);
  json_builder_set_member_name (builder, "start_us");
  json_builder_add_int_value (builder, self->start_time);
  json_builder_set_member_name (builder, "duration_ms");
  json_builder_add_int_value (builder, self->duration_ms);
  set_nullable (builder, "outcome", cmg_run_outcome_to_string (self->outcome));
  json_builder_set_member_name (builder, "exit_status");
  json_builder_add_int_value (builder, self->exit_status);
  set_nullable (builder, "log_file", self->log_path);
  set_nullable (builder, "continue_url", self->continue_url);
  set_nullable (builder, "message", self->message);
  json_builder_set_member_name (builder, "pid");
  json_builder_add_int_value (builder, self->pid);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

CmgRunRecord *
cmg_run_record_new_from_json (JsonNode  *node,
                              GError   **error)
{
  CmgRunRecord *self;
  JsonObject *object;
  CmgRunOutcome outcome;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto invalid;

  object = json_node_get_object (node);
  if (json_object_get_string_member_with_default (object, "id", NULL) == NULL ||
      !json_object_has_member (object, "start_us") ||
      !cmg_run_outcome_from_string (json_object_get_string_member_with_default (object, "outcome", NULL), &outcome))
    goto invalid;

  self = cmg_run_record_new (json_object_get_string_member_with_default (object, "id", NULL),
                             json_object_get_string_member_with_default (object, "action", NULL),
                             json_object_get_string_member_with_default (object, "command", NULL),
                             json_object_get_string_member_with_default (object, "target_name", NULL),
                             json_object_get_string_member_with_default (object, "target_type", NULL),
                             json_object_get_int_member_with_default (object, "start_us", 0),
                             json_object_get_string_member_with_default (object, "log_file", NULL));
  self->outcome = outcome;
  self->exit_status = (int)json_object_get_int_member_with_default (object, "exit_status", -1);
  self->duration_ms = json_object_get_int_member_with_default (object, "duration_ms", -1);
  self->continue_url = g_strdup (json_object_get_string_member_with_default (object, "continue_url", NULL));
  self->message = g_strdup (json_object_get_string_member_with_default (object, "message", NULL));
  self->pid = (GPid)json_object_get_int_member_with_default (object, "pid", 0);
  return self;

invalid:
  g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_HISTORY, _("This run record is damaged."));
  return NULL;
}
