/* cmg-deployment.c: see cmg-deployment.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-deployment.h"

static const struct {
  CmgDeploymentType type;
  const char       *id;
} type_names[] = {
  { CMG_DEPLOYMENT_TYPE_UNKNOWN, "unknown" },
  { CMG_DEPLOYMENT_TYPE_DEV, "dev" },
  { CMG_DEPLOYMENT_TYPE_PROD, "prod" },
  { CMG_DEPLOYMENT_TYPE_PREVIEW, "preview" },
  { CMG_DEPLOYMENT_TYPE_LOCAL, "local" },
  { CMG_DEPLOYMENT_TYPE_ANONYMOUS, "anonymous" },
  { CMG_DEPLOYMENT_TYPE_SELF_HOSTED, "self-hosted" },
  { CMG_DEPLOYMENT_TYPE_CUSTOM, "custom" },
};

const char *
cmg_deployment_type_to_string (CmgDeploymentType type)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    if (type_names[i].type == type)
      return type_names[i].id;

  return "unknown";
}

gboolean
cmg_deployment_type_from_string (const char        *str,
                                 CmgDeploymentType *out_type)
{
  if (str == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (type_names); i++)
    {
      if (g_strcmp0 (type_names[i].id, str) == 0)
        {
          if (out_type != NULL)
            *out_type = type_names[i].type;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
cmg_deployment_type_get_label (CmgDeploymentType type)
{
  switch (type)
    {
    case CMG_DEPLOYMENT_TYPE_DEV:
      return _("Development");
    case CMG_DEPLOYMENT_TYPE_PROD:
      /* Shouted on purpose: the banner must make production unmistakable. */
      return _("PRODUCTION");
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
      return _("Preview");
    case CMG_DEPLOYMENT_TYPE_LOCAL:
      return _("Local");
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
      return _("Anonymous");
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
      return _("Self-hosted");
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
      return _("Custom");
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      return _("Unknown");
    }
}

CmgRisk
cmg_deployment_type_get_risk (CmgDeploymentType type)
{
  switch (type)
    {
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
      return CMG_RISK_LOW;
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
      return CMG_RISK_MEDIUM;
    case CMG_DEPLOYMENT_TYPE_PROD:
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      /* What we cannot name is treated like production. */
      return CMG_RISK_HIGH;
    }
}

const char *
cmg_target_via_to_string (CmgTargetVia via)
{
  switch (via)
    {
    case CMG_TARGET_VIA_DEPLOY_KEY:
      return "deploy-key";
    case CMG_TARGET_VIA_SELF_HOSTED:
      return "self-hosted";
    case CMG_TARGET_VIA_CONVEX_DEPLOYMENT:
      return "CONVEX_DEPLOYMENT";
    case CMG_TARGET_VIA_PROD_FLAG:
      return "--prod";
    case CMG_TARGET_VIA_DEPLOYMENT_FLAG:
      return "--deployment";
    case CMG_TARGET_VIA_NONE:
    default:
      return "none";
    }
}

/* CmgValueSource */

G_DEFINE_BOXED_TYPE (CmgValueSource, cmg_value_source, cmg_value_source_copy, cmg_value_source_free)

CmgValueSource *
cmg_value_source_new_file (const char *file,
                           guint       line)
{
  CmgValueSource *source;

  g_return_val_if_fail (file != NULL, NULL);

  source = g_new0 (CmgValueSource, 1);
  source->file = g_strdup (file);
  source->line = line;

  return source;
}

CmgValueSource *
cmg_value_source_new_environment (void)
{
  return g_new0 (CmgValueSource, 1);
}

CmgValueSource *
cmg_value_source_new_user_input (void)
{
  CmgValueSource *source = g_new0 (CmgValueSource, 1);

  source->user_input = TRUE;

  return source;
}

CmgValueSource *
cmg_value_source_copy (const CmgValueSource *source)
{
  CmgValueSource *copy;

  g_return_val_if_fail (source != NULL, NULL);

  copy = g_new0 (CmgValueSource, 1);
  copy->file = g_strdup (source->file);
  copy->line = source->line;
  copy->user_input = source->user_input;

  return copy;
}

void
cmg_value_source_free (CmgValueSource *source)
{
  if (source == NULL)
    return;

  g_free (source->file);
  g_free (source);
}

char *
cmg_value_source_describe (const CmgValueSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);

  if (source->user_input)
    return g_strdup (_("entered in Convex Migrate"));

  if (source->file == NULL)
    return g_strdup (_("from the environment"));

  if (source->line == 0)
    /* Translators: %s is a file name such as .env.local */
    return g_strdup_printf (_("from %s"), source->file);

  /* Translators: %s is a file name such as .env.local, %u a line number */
  return g_strdup_printf (_("from %s, line %u"), source->file, source->line);
}

/* CmgDeployment */

struct _CmgDeployment
{
  GObject            parent_instance;

  char              *name;
  char              *team;
  char              *project;
  char              *url;
  CmgValueSource    *source;
  CmgDeploymentType  type;
  CmgTargetVia       via;
};

G_DEFINE_FINAL_TYPE (CmgDeployment, cmg_deployment, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_DEPLOYMENT_TYPE,
  PROP_TEAM,
  PROP_PROJECT,
  PROP_URL,
  PROP_VIA,
  PROP_SOURCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
cmg_deployment_finalize (GObject *object)
{
  CmgDeployment *self = (CmgDeployment *)object;

  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->team, g_free);
  g_clear_pointer (&self->project, g_free);
  g_clear_pointer (&self->url, g_free);
  g_clear_pointer (&self->source, cmg_value_source_free);

  G_OBJECT_CLASS (cmg_deployment_parent_class)->finalize (object);
}

static void
cmg_deployment_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  CmgDeployment *self = CMG_DEPLOYMENT (object);

  switch (prop_id)
    {
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_DEPLOYMENT_TYPE:
      g_value_set_int (value, self->type);
      break;
    case PROP_TEAM:
      g_value_set_string (value, self->team);
      break;
    case PROP_PROJECT:
      g_value_set_string (value, self->project);
      break;
    case PROP_URL:
      g_value_set_string (value, self->url);
      break;
    case PROP_VIA:
      g_value_set_int (value, self->via);
      break;
    case PROP_SOURCE:
      g_value_set_boxed (value, self->source);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_deployment_class_init (CmgDeploymentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_deployment_finalize;
  object_class->get_property = cmg_deployment_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Plain ints: the enums have no registered GTypes. */
  properties[PROP_DEPLOYMENT_TYPE] =
    g_param_spec_int ("deployment-type", NULL, NULL,
                      CMG_DEPLOYMENT_TYPE_UNKNOWN, CMG_DEPLOYMENT_TYPE_CUSTOM,
                      CMG_DEPLOYMENT_TYPE_UNKNOWN,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEAM] =
    g_param_spec_string ("team", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROJECT] =
    g_param_spec_string ("project", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_URL] =
    g_param_spec_string ("url", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VIA] =
    g_param_spec_int ("via", NULL, NULL,
                      CMG_TARGET_VIA_NONE, CMG_TARGET_VIA_DEPLOYMENT_FLAG,
                      CMG_TARGET_VIA_NONE,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_boxed ("source", NULL, NULL, CMG_TYPE_VALUE_SOURCE,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_deployment_init (CmgDeployment *self)
{
}

CmgDeployment *
cmg_deployment_new (const char           *name,
                    CmgDeploymentType     type,
                    const char           *team,
                    const char           *project,
                    const char           *url,
                    CmgTargetVia          via,
                    const CmgValueSource *source)
{
  CmgDeployment *self = g_object_new (CMG_TYPE_DEPLOYMENT, NULL);

  self->name = g_strdup (name);
  self->type = type;
  self->team = g_strdup (team);
  self->project = g_strdup (project);
  self->url = g_strdup (url);
  self->via = via;
  self->source = source != NULL ? cmg_value_source_copy (source) : NULL;

  return self;
}

const char *
cmg_deployment_get_name (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), NULL);
  return self->name;
}

CmgDeploymentType
cmg_deployment_get_deployment_type (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), CMG_DEPLOYMENT_TYPE_UNKNOWN);
  return self->type;
}

const char *
cmg_deployment_get_team (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), NULL);
  return self->team;
}

const char *
cmg_deployment_get_project (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), NULL);
  return self->project;
}

const char *
cmg_deployment_get_url (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), NULL);
  return self->url;
}

CmgTargetVia
cmg_deployment_get_via (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), CMG_TARGET_VIA_NONE);
  return self->via;
}

const CmgValueSource *
cmg_deployment_get_source (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), NULL);
  return self->source;
}

CmgRisk
cmg_deployment_get_risk (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), CMG_RISK_HIGH);
  return cmg_deployment_type_get_risk (self->type);
}

char *
cmg_deployment_dup_display_name (CmgDeployment *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT (self), NULL);

  if (self->name != NULL)
    return g_strdup (self->name);

  if (self->type == CMG_DEPLOYMENT_TYPE_PROD)
    {
      if (self->project != NULL)
        /* Translators: %s is a Convex project name */
        return g_strdup_printf (_("Production of %s"), self->project);
      return g_strdup (_("Production of this project"));
    }

  if (self->type == CMG_DEPLOYMENT_TYPE_PREVIEW)
    {
      if (self->project != NULL)
        /* Translators: %s is a Convex project name */
        return g_strdup_printf (_("A preview deployment of %s"), self->project);
      return g_strdup (_("A preview deployment"));
    }

  if (self->project != NULL)
    /* Translators: %s is a Convex project name */
    return g_strdup_printf (_("A deployment of %s"), self->project);

  /* A self-hosted backend is known by its address until the probe asks its name. */
  if (self->url != NULL)
    return g_strdup (self->url);

  return g_strdup (_("Unnamed deployment"));
}

char *
cmg_deployment_cloud_url_for_name (const char *name)
{
  g_return_val_if_fail (name != NULL && *name != '\0', NULL);

  return g_strdup_printf ("https://%s.convex.cloud", name);
}
