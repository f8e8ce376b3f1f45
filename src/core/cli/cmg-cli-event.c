/* cmg-cli-event.c: see cmg-cli-event.h. */
#include "config.h"

#include "cmg-cli-event.h"

struct _CmgCliEvent
{
  GObject          parent_instance;
  CmgCliEventKind  kind;
  char            *text;
  char            *detail;
  char            *url;
  char            *table;
  gint64           count;
  guint            attempt;
  guint            max_attempts;
  int              exit_status;
  GPtrArray       *rows;
};

G_DEFINE_FINAL_TYPE (CmgCliEvent, cmg_cli_event, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (CmgCliChangeRow, cmg_cli_change_row, cmg_cli_change_row_copy, cmg_cli_change_row_free)

static const char * const kind_names[] = {
  "step-started", "step-done", "failure", "warning", "retry", "change-summary", "prompt",
  "progress", "continues-on-server", "import-in-progress", "export-busy", "bad-key", "finished",
};

const char *
cmg_cli_event_kind_to_string (CmgCliEventKind kind)
{
  if ((guint)kind < G_N_ELEMENTS (kind_names))
    return kind_names[kind];
  return "unknown";
}

CmgCliChangeRow *
cmg_cli_change_row_copy (const CmgCliChangeRow *row)
{
  CmgCliChangeRow *copy = g_new0 (CmgCliChangeRow, 1);

  copy->component = g_strdup (row->component);
  copy->table = g_strdup (row->table);
  copy->create = row->create;
  copy->delete = row->delete;
  copy->of = row->of;
  copy->unit = g_strdup (row->unit);
  return copy;
}

void
cmg_cli_change_row_free (CmgCliChangeRow *row)
{
  if (row == NULL)
    return;
  g_free (row->component);
  g_free (row->table);
  g_free (row->unit);
  g_free (row);
}

static void
cmg_cli_event_finalize (GObject *object)
{
  CmgCliEvent *self = (CmgCliEvent *)object;

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->rows, g_ptr_array_unref);

  G_OBJECT_CLASS (cmg_cli_event_parent_class)->finalize (object);
}

static void
cmg_cli_event_class_init (CmgCliEventClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_cli_event_finalize;
}

static void
cmg_cli_event_init (CmgCliEvent *self)
{
  self->count = -1;
  self->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)cmg_cli_change_row_free);
}

CmgCliEvent *
cmg_cli_event_new (CmgCliEventKind  kind,
                   const char      *text)
{
  CmgCliEvent *self = g_object_new (CMG_TYPE_CLI_EVENT, NULL);

  self->kind = kind;
  self->text = g_strdup (text ? text : "");
  return self;
}

CmgCliEventKind
cmg_cli_event_get_kind (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), 0);
  return self->kind;
}

const char *
cmg_cli_event_get_text (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), NULL);
  return self->text;
}

const char *
cmg_cli_event_get_detail (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), NULL);
  return self->detail;
}

const char *
cmg_cli_event_get_url (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), NULL);
  return self->url;
}

const char *
cmg_cli_event_get_table (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), NULL);
  return self->table;
}

gint64
cmg_cli_event_get_count (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), -1);
  return self->count;
}

guint
cmg_cli_event_get_attempt (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), 0);
  return self->attempt;
}

guint
cmg_cli_event_get_max_attempts (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), 0);
  return self->max_attempts;
}

int
cmg_cli_event_get_exit_status (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), -1);
  return self->exit_status;
}

GPtrArray *
cmg_cli_event_get_rows (CmgCliEvent *self)
{
  g_return_val_if_fail (CMG_IS_CLI_EVENT (self), NULL);
  return self->rows;
}

void
cmg_cli_event_set_detail (CmgCliEvent *self,
                          const char  *detail)
{
  g_return_if_fail (CMG_IS_CLI_EVENT (self));
  g_free (self->detail);
  self->detail = g_strdup (detail);
}

void
cmg_cli_event_set_url (CmgCliEvent *self,
                       const char  *url)
{
  g_return_if_fail (CMG_IS_CLI_EVENT (self));
  g_free (self->url);
  self->url = g_strdup (url);
}

void
cmg_cli_event_set_progress (CmgCliEvent *self,
                            const char  *table,
                            gint64       count)
{
  g_return_if_fail (CMG_IS_CLI_EVENT (self));
  g_free (self->table);
  self->table = g_strdup (table);
  self->count = count;
}

void
cmg_cli_event_set_retry (CmgCliEvent *self,
                         guint        attempt,
                         guint        max_attempts)
{
  g_return_if_fail (CMG_IS_CLI_EVENT (self));
  self->attempt = attempt;
  self->max_attempts = max_attempts;
}

void
cmg_cli_event_set_exit_status (CmgCliEvent *self,
                               int          exit_status)
{
  g_return_if_fail (CMG_IS_CLI_EVENT (self));
  self->exit_status = exit_status;
}

void
cmg_cli_event_take_row (CmgCliEvent     *self,
                        CmgCliChangeRow *row)
{
  g_return_if_fail (CMG_IS_CLI_EVENT (self));
  g_ptr_array_add (self->rows, row);
}
