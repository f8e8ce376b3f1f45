/* cmg-plan-table.c: see cmg-plan-table.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-cli-command.h"
#include "cmg-plan-table.h"

struct _CmgPlanTable
{
  GObject         parent_instance;

  char           *component;
  char           *name;
  gint64          archive_documents;
  gint64          target_documents;
  CmgTableEffect  effect;
  gint64          create;
  gint64          delete;
  gint64          of;
  gint64          written;
  gboolean        done;
};

G_DEFINE_FINAL_TYPE (CmgPlanTable, cmg_plan_table, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_COMPONENT,
  PROP_NAME,
  PROP_ARCHIVE_DOCUMENTS,
  PROP_TARGET_DOCUMENTS,
  PROP_EFFECT,
  PROP_CREATE,
  PROP_DELETE,
  PROP_OF,
  PROP_WRITTEN_DOCUMENTS,
  PROP_DONE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const effect_names[] = {
  "unchanged", "created", "gains", "replaced", "emptied", "deleted", "must-be-empty",
};

const char *
cmg_table_effect_to_string (CmgTableEffect effect)
{
  if ((guint)effect < G_N_ELEMENTS (effect_names))
    return effect_names[effect];
  return "unchanged";
}

const char *
cmg_table_effect_get_label (CmgTableEffect effect)
{
  switch (effect)
    {
    case CMG_TABLE_EFFECT_CREATED:
      return _("Created");
    case CMG_TABLE_EFFECT_GAINS:
      return _("Gains documents");
    case CMG_TABLE_EFFECT_REPLACED:
      return _("Replaced");
    case CMG_TABLE_EFFECT_EMPTIED:
      return _("Emptied");
    case CMG_TABLE_EFFECT_DELETED:
      return _("Deleted");
    case CMG_TABLE_EFFECT_MUST_BE_EMPTY:
      return _("Must be empty");
    case CMG_TABLE_EFFECT_UNCHANGED:
    default:
      return _("Unchanged");
    }
}

CmgTableEffect
cmg_table_effect_for_mode (int      mode,
                           gint64   archive_documents,
                           gint64   target_documents,
                           gboolean target_known)
{
  gboolean in_archive = archive_documents >= 0;
  gboolean in_target = target_known && target_documents >= 0;
  gboolean target_has_documents = in_target && target_documents > 0;

  if (!in_archive)
    /* Only replace-all touches tables the file does not name. */
    return mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL && (target_has_documents || !target_known)
           ? CMG_TABLE_EFFECT_DELETED : CMG_TABLE_EFFECT_UNCHANGED;

  switch ((CmgCliImportMode)mode)
    {
    case CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY:
      if (!target_known || target_has_documents)
        return CMG_TABLE_EFFECT_MUST_BE_EMPTY;
      return in_target ? CMG_TABLE_EFFECT_GAINS : CMG_TABLE_EFFECT_CREATED;

    case CMG_CLI_IMPORT_MODE_APPEND:
      return target_known && !in_target ? CMG_TABLE_EFFECT_CREATED : CMG_TABLE_EFFECT_GAINS;

    case CMG_CLI_IMPORT_MODE_REPLACE:
    case CMG_CLI_IMPORT_MODE_REPLACE_ALL:
    default:
      if (!target_known)
        return CMG_TABLE_EFFECT_REPLACED;
      if (target_has_documents)
        return archive_documents == 0 ? CMG_TABLE_EFFECT_EMPTIED : CMG_TABLE_EFFECT_REPLACED;
      return in_target ? CMG_TABLE_EFFECT_GAINS : CMG_TABLE_EFFECT_CREATED;
    }
}

static void
cmg_plan_table_finalize (GObject *object)
{
  CmgPlanTable *self = CMG_PLAN_TABLE (object);

  g_free (self->component);
  g_free (self->name);

  G_OBJECT_CLASS (cmg_plan_table_parent_class)->finalize (object);
}

static void
cmg_plan_table_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CmgPlanTable *self = CMG_PLAN_TABLE (object);

  switch (prop_id)
    {
    case PROP_COMPONENT:
      g_value_set_string (value, self->component);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_ARCHIVE_DOCUMENTS:
      g_value_set_int64 (value, self->archive_documents);
      break;
    case PROP_TARGET_DOCUMENTS:
      g_value_set_int64 (value, self->target_documents);
      break;
    case PROP_EFFECT:
      g_value_set_uint (value, self->effect);
      break;
    case PROP_CREATE:
      g_value_set_int64 (value, self->create);
      break;
    case PROP_DELETE:
      g_value_set_int64 (value, self->delete);
      break;
    case PROP_OF:
      g_value_set_int64 (value, self->of);
      break;
    case PROP_WRITTEN_DOCUMENTS:
      g_value_set_int64 (value, self->written);
      break;
    case PROP_DONE:
      g_value_set_boolean (value, self->done);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
count_pspec (const char *name)
{
  return g_param_spec_int64 (name, NULL, NULL, -1, G_MAXINT64, -1,
                             G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
cmg_plan_table_class_init (CmgPlanTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_plan_table_finalize;
  object_class->get_property = cmg_plan_table_get_property;

  properties[PROP_COMPONENT] =
    g_param_spec_string ("component", NULL, NULL, "", G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ARCHIVE_DOCUMENTS] = count_pspec ("archive-documents");
  properties[PROP_TARGET_DOCUMENTS] = count_pspec ("target-documents");
  properties[PROP_EFFECT] =
    g_param_spec_uint ("effect", NULL, NULL, 0, CMG_TABLE_EFFECT_MUST_BE_EMPTY, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATE] = count_pspec ("create");
  properties[PROP_DELETE] = count_pspec ("delete");
  properties[PROP_OF] = count_pspec ("of");
  properties[PROP_WRITTEN_DOCUMENTS] = count_pspec ("written-documents");
  properties[PROP_DONE] =
    g_param_spec_boolean ("done", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_plan_table_init (CmgPlanTable *self)
{
  self->archive_documents = -1;
  self->target_documents = -1;
  self->create = -1;
  self->delete = -1;
  self->of = -1;
  self->written = -1;
}

CmgPlanTable *
cmg_plan_table_new (const char *component,
                    const char *name)
{
  CmgPlanTable *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (CMG_TYPE_PLAN_TABLE, NULL);
  self->component = g_strdup (component != NULL ? component : "");
  self->name = g_strdup (name);
  return self;
}

const char *
cmg_plan_table_get_component (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), NULL);
  return self->component;
}

const char *
cmg_plan_table_get_name (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), NULL);
  return self->name;
}

char *
cmg_plan_table_dup_qualified_name (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), NULL);

  if (self->component[0] == '\0')
    return g_strdup (self->name);
  return g_strconcat (self->component, ":", self->name, NULL);
}

gint64
cmg_plan_table_get_archive_documents (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), -1);
  return self->archive_documents;
}

gint64
cmg_plan_table_get_target_documents (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), -1);
  return self->target_documents;
}

CmgTableEffect
cmg_plan_table_get_effect (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), CMG_TABLE_EFFECT_UNCHANGED);
  return self->effect;
}

gint64
cmg_plan_table_get_create (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), -1);
  return self->create;
}

gint64
cmg_plan_table_get_delete (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), -1);
  return self->delete;
}

gint64
cmg_plan_table_get_of (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), -1);
  return self->of;
}

gint64
cmg_plan_table_get_written_documents (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), -1);
  return self->written;
}

gboolean
cmg_plan_table_get_done (CmgPlanTable *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), FALSE);
  return self->done;
}

static char *
documents_text (gint64 n)
{
  g_autofree char *number = g_strdup_printf ("%'" G_GINT64_FORMAT, n);

  /* Translators: %s is a number of documents, e.g. "1,024" */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s document", "%s documents", (gulong)MIN (n, G_MAXLONG)),
                          number);
}

char *
cmg_plan_table_dup_effect_text (CmgPlanTable *self)
{
  g_autofree char *name = NULL;
  g_autofree char *archive = NULL;
  g_autofree char *target = NULL;

  g_return_val_if_fail (CMG_IS_PLAN_TABLE (self), NULL);

  name = cmg_plan_table_dup_qualified_name (self);
  archive = documents_text (MAX (self->archive_documents, 0));
  target = self->target_documents >= 0 ? documents_text (self->target_documents) : NULL;

  switch (self->effect)
    {
    case CMG_TABLE_EFFECT_CREATED:
      /* Translators: first %s is a table, second a number of documents */
      return g_strdup_printf (_("%s: a new table, %s imported"), name, archive);
    case CMG_TABLE_EFFECT_GAINS:
      if (target != NULL)
        /* Translators: %s: table, documents added, documents already there */
        return g_strdup_printf (_("%s: %s added to the %s already there"), name, archive, target);
      return g_strdup_printf (_("%s: %s added to what the table holds"), name, archive);
    case CMG_TABLE_EFFECT_REPLACED:
      if (target != NULL)
        /* Translators: %s: table, documents deleted, documents imported */
        return g_strdup_printf (_("%s: its %s are deleted, %s imported in their place"), name, target, archive);
      return g_strdup_printf (_("%s: every document it holds is deleted, %s imported in their place"), name, archive);
    case CMG_TABLE_EFFECT_EMPTIED:
      return g_strdup_printf (_("%s: emptied, its %s are deleted (the archive's table is empty)"),
                              name, target != NULL ? target : "0");
    case CMG_TABLE_EFFECT_DELETED:
      if (target != NULL)
        return g_strdup_printf (_("%s: not in the archive, its %s are deleted; the table is deleted unless schema.ts defines it"),
                                name, target);
      return g_strdup_printf (_("%s: not in the archive, every document is deleted; the table is deleted unless schema.ts defines it"),
                              name);
    case CMG_TABLE_EFFECT_MUST_BE_EMPTY:
      if (self->target_documents > 0)
        return g_strdup_printf (_("%s: the import will fail, the table already holds %s"), name, target);
      return g_strdup_printf (_("%s: %s imported; the import fails if the table already holds documents"),
                              name, archive);
    case CMG_TABLE_EFFECT_UNCHANGED:
    default:
      return g_strdup_printf (_("%s: unchanged"), name);
    }
}

static void
set_count (CmgPlanTable *self,
           gint64       *field,
           gint64        value,
           guint         prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
cmg_plan_table_set_archive_documents (CmgPlanTable *self,
                                      gint64        documents)
{
  g_return_if_fail (CMG_IS_PLAN_TABLE (self));
  set_count (self, &self->archive_documents, documents, PROP_ARCHIVE_DOCUMENTS);
}

void
cmg_plan_table_set_target_documents (CmgPlanTable *self,
                                     gint64        documents)
{
  g_return_if_fail (CMG_IS_PLAN_TABLE (self));
  set_count (self, &self->target_documents, documents, PROP_TARGET_DOCUMENTS);
}

void
cmg_plan_table_set_effect (CmgPlanTable   *self,
                           CmgTableEffect  effect)
{
  g_return_if_fail (CMG_IS_PLAN_TABLE (self));

  if (self->effect == effect)
    return;
  self->effect = effect;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EFFECT]);
}

void
cmg_plan_table_set_change (CmgPlanTable *self,
                           gint64        create,
                           gint64        delete,
                           gint64        of)
{
  g_return_if_fail (CMG_IS_PLAN_TABLE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_count (self, &self->create, create, PROP_CREATE);
  set_count (self, &self->delete, delete, PROP_DELETE);
  set_count (self, &self->of, of, PROP_OF);
  g_object_thaw_notify (G_OBJECT (self));
}

void
cmg_plan_table_set_written (CmgPlanTable *self,
                            gint64        documents)
{
  g_return_if_fail (CMG_IS_PLAN_TABLE (self));

  g_object_freeze_notify (G_OBJECT (self));
  set_count (self, &self->written, documents, PROP_WRITTEN_DOCUMENTS);
  if (!self->done)
    {
      self->done = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DONE]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}
