/* cmg-table.c: see cmg-table.h. */
#include "config.h"

#include <string.h>

#include "cmg-table.h"

struct _CmgTable
{
  GObject         parent_instance;

  GMutex          lock;
  GMainContext   *owner_context;
  char           *name;
  char           *component;
  char           *entry_path;
  char           *schema_entry_path;
  guint64         bytes;
  guint64         compressed_bytes;
  guint32         number;
  gint64          documents;
  CmgTableSchema  schema;
  CmgSeekIndex   *index;
};

G_DEFINE_FINAL_TYPE (CmgTable, cmg_table, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_COMPONENT,
  PROP_NUMBER,
  PROP_DOCUMENTS,
  PROP_BYTES,
  PROP_COMPRESSED_BYTES,
  PROP_SCHEMA,
  PROP_ENTRY_PATH,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
cmg_table_schema_get_type (void)
{
  static gsize type_id;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { CMG_TABLE_SCHEMA_UNKNOWN, "CMG_TABLE_SCHEMA_UNKNOWN", "unknown" },
        { CMG_TABLE_SCHEMA_UNIFORM, "CMG_TABLE_SCHEMA_UNIFORM", "uniform" },
        { CMG_TABLE_SCHEMA_LEGACY, "CMG_TABLE_SCHEMA_LEGACY", "legacy" },
        { CMG_TABLE_SCHEMA_MISSING, "CMG_TABLE_SCHEMA_MISSING", "missing" },
        { 0, NULL, NULL },
      };
      GType type = g_enum_register_static (g_intern_static_string ("CmgTableSchema"), values);
      g_once_init_leave (&type_id, type);
    }
  return type_id;
}

const char *
cmg_table_schema_to_string (CmgTableSchema schema)
{
  switch (schema)
    {
    case CMG_TABLE_SCHEMA_UNIFORM:
      return "uniform";
    case CMG_TABLE_SCHEMA_LEGACY:
      return "legacy";
    case CMG_TABLE_SCHEMA_MISSING:
      return "missing";
    case CMG_TABLE_SCHEMA_UNKNOWN:
    default:
      return "unknown";
    }
}

typedef struct
{
  CmgTable   *table;
  GParamSpec *pspec;
} Notify;

static gboolean
notify_in_owner (gpointer data)
{
  Notify *n = data;

  g_object_notify_by_pspec (G_OBJECT (n->table), n->pspec);
  g_object_unref (n->table);
  g_free (n);
  return G_SOURCE_REMOVE;
}

/* Worker threads change counts; listeners (list views) must hear about it in their own thread. */
static void
notify_owner (CmgTable *self,
              guint     prop)
{
  Notify *n = g_new (Notify, 1);

  n->table = g_object_ref (self);
  n->pspec = properties[prop];
  g_main_context_invoke (self->owner_context, notify_in_owner, n);
}

static void
cmg_table_finalize (GObject *object)
{
  CmgTable *self = CMG_TABLE (object);

  g_free (self->name);
  g_free (self->component);
  g_free (self->entry_path);
  g_free (self->schema_entry_path);
  g_clear_pointer (&self->index, cmg_seek_index_unref);
  g_main_context_unref (self->owner_context);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (cmg_table_parent_class)->finalize (object);
}

static void
cmg_table_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  CmgTable *self = CMG_TABLE (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_COMPONENT:
      g_value_set_string (value, self->component);
      break;
    case PROP_NUMBER:
      g_value_set_uint (value, cmg_table_get_number (self));
      break;
    case PROP_DOCUMENTS:
      g_value_set_int64 (value, cmg_table_get_documents (self));
      break;
    case PROP_BYTES:
      g_value_set_uint64 (value, self->bytes);
      break;
    case PROP_COMPRESSED_BYTES:
      g_value_set_uint64 (value, self->compressed_bytes);
      break;
    case PROP_SCHEMA:
      g_value_set_enum (value, cmg_table_get_schema (self));
      break;
    case PROP_ENTRY_PATH:
      g_value_set_string (value, self->entry_path);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_table_class_init (CmgTableClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = cmg_table_finalize;
  object_class->get_property = cmg_table_get_property;

  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, ro);
  properties[PROP_COMPONENT] = g_param_spec_string ("component", NULL, NULL, "", ro);
  properties[PROP_NUMBER] = g_param_spec_uint ("number", NULL, NULL, 0, G_MAXUINT32, 0, ro);
  properties[PROP_DOCUMENTS] = g_param_spec_int64 ("documents", NULL, NULL, -1, G_MAXINT64, -1, ro);
  properties[PROP_BYTES] = g_param_spec_uint64 ("bytes", NULL, NULL, 0, G_MAXUINT64, 0, ro);
  properties[PROP_COMPRESSED_BYTES] = g_param_spec_uint64 ("compressed-bytes", NULL, NULL,
                                                           0, G_MAXUINT64, 0, ro);
  properties[PROP_SCHEMA] = g_param_spec_enum ("schema", NULL, NULL, CMG_TYPE_TABLE_SCHEMA,
                                               CMG_TABLE_SCHEMA_UNKNOWN, ro);
  properties[PROP_ENTRY_PATH] = g_param_spec_string ("entry-path", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_table_init (CmgTable *self)
{
  g_mutex_init (&self->lock);
  self->documents = -1;
  self->owner_context = g_main_context_ref_thread_default ();
}

CmgTable *
cmg_table_new (const char *name,
               const char *component,
               const char *entry_path,
               guint64     bytes,
               guint64     compressed_bytes)
{
  CmgTable *self = g_object_new (CMG_TYPE_TABLE, NULL);

  self->name = g_strdup (name);
  self->component = g_strdup (component != NULL ? component : "");
  self->entry_path = g_strdup (entry_path);
  self->bytes = bytes;
  self->compressed_bytes = compressed_bytes;
  return self;
}

const char *
cmg_table_get_name (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);
  return self->name;
}

const char *
cmg_table_get_component (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);
  return self->component;
}

char *
cmg_table_dup_qualified_name (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);
  if (*self->component == '\0')
    return g_strdup (self->name);
  return g_strconcat (self->component, ":", self->name, NULL);
}

char *
cmg_table_dup_component_folder (const char *component)
{
  g_auto(GStrv) parts = NULL;
  GString *folder;

  g_return_val_if_fail (component != NULL, NULL);

  folder = g_string_new (NULL);
  if (component[0] == '\0')
    return g_string_free (folder, FALSE);
  parts = g_strsplit (component, "/", -1);
  for (guint i = 0; parts[i]; i++)
    g_string_append_printf (folder, "_components/%s/", parts[i]);
  return g_string_free (folder, FALSE);
}

char *
cmg_table_dup_leading_folder (CmgTable *self)
{
  g_autofree char *folder = NULL;
  g_autofree char *tail = NULL;

  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);

  folder = cmg_table_dup_component_folder (self->component);
  tail = g_strconcat (folder, self->name, "/documents.jsonl", NULL);
  if (!g_str_has_suffix (self->entry_path, tail))
    return g_strdup ("");
  return g_strndup (self->entry_path, strlen (self->entry_path) - strlen (tail));
}

guint32
cmg_table_get_number (CmgTable *self)
{
  guint32 number;

  g_return_val_if_fail (CMG_IS_TABLE (self), 0);
  g_mutex_lock (&self->lock);
  number = self->number;
  g_mutex_unlock (&self->lock);
  return number;
}

void
cmg_table_set_number (CmgTable *self,
                      guint32   number)
{
  gboolean changed;

  g_return_if_fail (CMG_IS_TABLE (self));
  g_mutex_lock (&self->lock);
  changed = self->number != number;
  self->number = number;
  g_mutex_unlock (&self->lock);
  if (changed)
    notify_owner (self, PROP_NUMBER);
}

gint64
cmg_table_get_documents (CmgTable *self)
{
  gint64 documents;

  g_return_val_if_fail (CMG_IS_TABLE (self), -1);
  g_mutex_lock (&self->lock);
  documents = self->documents;
  g_mutex_unlock (&self->lock);
  return documents;
}

void
cmg_table_set_documents (CmgTable *self,
                         gint64    documents)
{
  gboolean changed;

  g_return_if_fail (CMG_IS_TABLE (self));
  g_mutex_lock (&self->lock);
  changed = self->documents != documents;
  self->documents = documents;
  g_mutex_unlock (&self->lock);
  if (changed)
    notify_owner (self, PROP_DOCUMENTS);
}

guint64
cmg_table_get_bytes (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), 0);
  return self->bytes;
}

guint64
cmg_table_get_compressed_bytes (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), 0);
  return self->compressed_bytes;
}

CmgTableSchema
cmg_table_get_schema (CmgTable *self)
{
  CmgTableSchema schema;

  g_return_val_if_fail (CMG_IS_TABLE (self), CMG_TABLE_SCHEMA_UNKNOWN);
  g_mutex_lock (&self->lock);
  schema = self->schema;
  g_mutex_unlock (&self->lock);
  return schema;
}

void
cmg_table_set_schema (CmgTable      *self,
                      CmgTableSchema schema)
{
  gboolean changed;

  g_return_if_fail (CMG_IS_TABLE (self));
  g_mutex_lock (&self->lock);
  changed = self->schema != schema;
  self->schema = schema;
  g_mutex_unlock (&self->lock);
  if (changed)
    notify_owner (self, PROP_SCHEMA);
}

const char *
cmg_table_get_entry_path (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);
  return self->entry_path;
}

const char *
cmg_table_get_schema_entry_path (CmgTable *self)
{
  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);
  return self->schema_entry_path;
}

void
cmg_table_set_schema_entry_path (CmgTable   *self,
                                 const char *path)
{
  g_return_if_fail (CMG_IS_TABLE (self));
  g_free (self->schema_entry_path);
  self->schema_entry_path = g_strdup (path);
}

CmgSeekIndex *
cmg_table_dup_index (CmgTable *self)
{
  CmgSeekIndex *index = NULL;

  g_return_val_if_fail (CMG_IS_TABLE (self), NULL);
  g_mutex_lock (&self->lock);
  if (self->index != NULL)
    index = cmg_seek_index_ref (self->index);
  g_mutex_unlock (&self->lock);
  return index;
}

void
cmg_table_set_index (CmgTable     *self,
                     CmgSeekIndex *index)
{
  g_return_if_fail (CMG_IS_TABLE (self));
  g_mutex_lock (&self->lock);
  g_clear_pointer (&self->index, cmg_seek_index_unref);
  if (index != NULL)
    self->index = cmg_seek_index_ref (index);
  g_mutex_unlock (&self->lock);
}
