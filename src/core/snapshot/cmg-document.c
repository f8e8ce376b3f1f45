/* cmg-document.c: see cmg-document.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-document.h"

struct _CmgDocument
{
  GObject   parent_instance;

  guint64   row;
  char     *json;
  gsize     length;
  gboolean  truncated;
  GError   *error;
  JsonNode *node;
};

G_DEFINE_FINAL_TYPE (CmgDocument, cmg_document, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ROW,
  PROP_JSON,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cmg_document_finalize (GObject *object)
{
  CmgDocument *self = CMG_DOCUMENT (object);

  g_free (self->json);
  g_clear_error (&self->error);
  g_clear_pointer (&self->node, json_node_unref);

  G_OBJECT_CLASS (cmg_document_parent_class)->finalize (object);
}

static void
cmg_document_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CmgDocument *self = CMG_DOCUMENT (object);

  switch (prop_id)
    {
    case PROP_ROW:
      g_value_set_uint64 (value, self->row);
      break;
    case PROP_JSON:
      g_value_set_string (value, self->json);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_document_class_init (CmgDocumentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_document_finalize;
  object_class->get_property = cmg_document_get_property;

  properties[PROP_ROW] = g_param_spec_uint64 ("row", NULL, NULL, 0, G_MAXUINT64, 0,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_JSON] = g_param_spec_string ("json", NULL, NULL, NULL,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_document_init (CmgDocument *self)
{
}

CmgDocument *
cmg_document_new (guint64     row,
                  const char *json,
                  gsize       length,
                  gboolean    truncated)
{
  CmgDocument *self = g_object_new (CMG_TYPE_DOCUMENT, NULL);

  self->row = row;
  self->json = g_strndup (json, length);
  self->length = length;
  self->truncated = truncated;
  return self;
}

CmgDocument *
cmg_document_new_error (guint64       row,
                        const GError *error)
{
  CmgDocument *self = cmg_document_new (row, "", 0, FALSE);

  self->error = g_error_copy (error);
  return self;
}

guint64
cmg_document_get_row (CmgDocument *self)
{
  g_return_val_if_fail (CMG_IS_DOCUMENT (self), 0);
  return self->row;
}

const char *
cmg_document_get_json (CmgDocument *self)
{
  g_return_val_if_fail (CMG_IS_DOCUMENT (self), NULL);
  return self->json;
}

gsize
cmg_document_get_length (CmgDocument *self)
{
  g_return_val_if_fail (CMG_IS_DOCUMENT (self), 0);
  return self->length;
}

gboolean
cmg_document_get_truncated (CmgDocument *self)
{
  g_return_val_if_fail (CMG_IS_DOCUMENT (self), FALSE);
  return self->truncated;
}

const GError *
cmg_document_get_error (CmgDocument *self)
{
  g_return_val_if_fail (CMG_IS_DOCUMENT (self), NULL);
  return self->error;
}

JsonNode *
cmg_document_get_node (CmgDocument  *self,
                       GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;

  g_return_val_if_fail (CMG_IS_DOCUMENT (self), NULL);

  if (self->node != NULL)
    return self->node;
  if (self->error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->error));
      return NULL;
    }
  if (self->truncated)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("This document is too long to be shown."));
      return NULL;
    }
  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, self->json, (gssize) self->length, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("This line is empty."));
      return NULL;
    }
  self->node = json_node_ref (json_parser_get_root (parser));
  return self->node;
}
