/* cmg-connection.c: see cmg-connection.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-connection.h"
#include "cmg-deploy-error.h"
#include "cmg-deploy-key.h"

struct _CmgConnection
{
  GObject              parent_instance;

  CmgConnectionKind    kind;
  char                *id;
  char                *title;
  CmgDeployment       *deployment;
  CmgTargetResolution *resolution;
  GPtrArray           *conflicts;   /* CmgConflict* */
  char                *secret;
};

G_DEFINE_FINAL_TYPE (CmgConnection, cmg_connection, G_TYPE_OBJECT)

static void
cmg_connection_finalize (GObject *object)
{
  CmgConnection *self = (CmgConnection *)object;

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->deployment);
  g_clear_object (&self->resolution);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->secret, g_free);

  G_OBJECT_CLASS (cmg_connection_parent_class)->finalize (object);
}

static void
cmg_connection_class_init (CmgConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_connection_finalize;
}

static void
cmg_connection_init (CmgConnection *self)
{
  self->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)cmg_conflict_free);
}

static CmgConnection *
connection_new (CmgConnectionKind  kind,
                const char        *id,
                const char        *title)
{
  CmgConnection *self = g_object_new (CMG_TYPE_CONNECTION, NULL);

  self->kind = kind;
  self->id = g_strdup (id);
  self->title = g_strdup (title);

  return self;
}

static void
copy_resolution_conflicts (CmgConnection       *self,
                           CmgTargetResolution *resolution)
{
  GPtrArray *conflicts = cmg_target_resolution_get_conflicts (resolution);

  for (guint i = 0; i < conflicts->len; i++)
    g_ptr_array_add (self->conflicts, cmg_conflict_copy (g_ptr_array_index (conflicts, i)));
}

CmgConnection *
cmg_connection_new_project_target (CmgTargetResolution *resolution)
{
  CmgConnection *self;
  CmgDeployment *target;

  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (resolution), NULL);

  self = connection_new (CMG_CONNECTION_KIND_PROJECT_TARGET, "target", _("Project target"));
  self->resolution = g_object_ref (resolution);
  target = cmg_target_resolution_get_target (resolution);
  if (target != NULL)
    self->deployment = g_object_ref (target);
  self->secret = g_strdup (cmg_target_resolution_get_secret (resolution));
  copy_resolution_conflicts (self, resolution);

  return self;
}

CmgConnection *
cmg_connection_new_project_prod (CmgTargetResolution *resolution)
{
  CmgConnection *self;
  CmgDeployment *target;
  CmgDeploymentType type;

  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (resolution), NULL);

  target = cmg_target_resolution_get_target (resolution);
  if (target == NULL)
    return NULL;

  type = cmg_deployment_get_deployment_type (target);

  switch (cmg_deployment_get_via (target))
    {
    case CMG_TARGET_VIA_CONVEX_DEPLOYMENT:
      /* Anonymous deployments belong to no project, so they have no production. */
      if (type == CMG_DEPLOYMENT_TYPE_ANONYMOUS)
        return NULL;

      self = connection_new (CMG_CONNECTION_KIND_PROJECT_PROD, "prod", _("Production"));
      self->resolution = g_object_ref (resolution);
      if (type == CMG_DEPLOYMENT_TYPE_PROD)
        {
          /* The project's target is already its production deployment: the name is known. */
          self->deployment = cmg_deployment_new (cmg_deployment_get_name (target),
                                                 CMG_DEPLOYMENT_TYPE_PROD,
                                                 cmg_deployment_get_team (target),
                                                 cmg_deployment_get_project (target),
                                                 cmg_deployment_get_url (target),
                                                 CMG_TARGET_VIA_PROD_FLAG,
                                                 cmg_deployment_get_source (target));
        }
      else
        {
          /* The CLI asks the Convex control plane; the name is only known at run time. */
          self->deployment = cmg_deployment_new (NULL, CMG_DEPLOYMENT_TYPE_PROD,
                                                 cmg_deployment_get_team (target),
                                                 cmg_deployment_get_project (target),
                                                 NULL, CMG_TARGET_VIA_PROD_FLAG,
                                                 cmg_deployment_get_source (target));
        }
      copy_resolution_conflicts (self, resolution);
      return self;

    case CMG_TARGET_VIA_DEPLOY_KEY:
      {
        g_autofree char *display = cmg_deployment_dup_display_name (target);
        g_autofree char *message = NULL;

        /* The CLI ignores --prod under a deploy key: say so, and show where it really goes. */
        self = connection_new (CMG_CONNECTION_KIND_PROJECT_PROD, "prod", _("Production"));
        self->resolution = g_object_ref (resolution);
        self->deployment = g_object_ref (target);
        self->secret = g_strdup (cmg_target_resolution_get_secret (resolution));
        message = g_strdup_printf (_("--prod is ignored with a deploy key: the CLI goes to %s, "
                                     "the deployment of the key."),
                                   display);
        g_ptr_array_add (self->conflicts,
                         cmg_conflict_new ("prod-flag-ignored",
                                           type == CMG_DEPLOYMENT_TYPE_PROD
                                             ? CMG_CONFLICT_SEVERITY_WARNING
                                             : CMG_CONFLICT_SEVERITY_ERROR,
                                           message));
        copy_resolution_conflicts (self, resolution);
        return self;
      }

    case CMG_TARGET_VIA_NONE:
    case CMG_TARGET_VIA_SELF_HOSTED:
    case CMG_TARGET_VIA_PROD_FLAG:
    case CMG_TARGET_VIA_DEPLOYMENT_FLAG:
    default:
      return NULL;
    }
}

CmgConnection *
cmg_connection_new_project_local (CmgTargetResolution *resolution)
{
  CmgConnection *self;
  CmgDeployment *local;

  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (resolution), NULL);

  local = cmg_target_resolution_get_local_deployment (resolution);
  if (local == NULL || cmg_target_resolution_get_local_admin_key (resolution) == NULL)
    return NULL;

  self = connection_new (CMG_CONNECTION_KIND_PROJECT_LOCAL, "local", _("Local deployment"));
  self->resolution = g_object_ref (resolution);
  self->deployment = g_object_ref (local);
  self->secret = g_strdup (cmg_target_resolution_get_local_admin_key (resolution));

  return self;
}

static gboolean
is_slug (const char *str)
{
  if (str == NULL || *str == '\0')
    return FALSE;

  for (const char *p = str; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

/* Generated deployment names: lowercase words and a number, `joyful-capybara-123`. */
static gboolean
is_deployment_name (const char *str)
{
  g_auto(GStrv) words = NULL;
  guint n;

  if (!is_slug (str))
    return FALSE;

  words = g_strsplit (str, "-", -1);
  n = g_strv_length (words);
  if (n < 3)
    return FALSE;

  for (guint i = 0; i < n; i++)
    {
      if (words[i][0] == '\0')
        return FALSE;

      for (const char *p = words[i]; *p != '\0'; p++)
        {
          if (i + 1 < n && !g_ascii_islower (*p))
            return FALSE;
          if (i + 1 == n && !g_ascii_isdigit (*p))
            return FALSE;
        }
    }

  return TRUE;
}

/* A reference within a project: `dev`, `prod`, `local`, `dev/james`, `staging`, or a name. */
static gboolean
parse_reference (const char        *ref,
                 CmgDeploymentType *type)
{
  const char *slash;

  *type = CMG_DEPLOYMENT_TYPE_UNKNOWN;

  if (g_strcmp0 (ref, "dev") == 0)
    *type = CMG_DEPLOYMENT_TYPE_DEV;
  else if (g_strcmp0 (ref, "prod") == 0)
    *type = CMG_DEPLOYMENT_TYPE_PROD;
  else if (g_strcmp0 (ref, "local") == 0)
    *type = CMG_DEPLOYMENT_TYPE_LOCAL;
  else if ((slash = strchr (ref, '/')) != NULL)
    {
      g_autofree char *kind = g_strndup (ref, slash - ref);

      if (strcmp (kind, "dev") != 0 || !is_slug (slash + 1))
        return FALSE;
      *type = CMG_DEPLOYMENT_TYPE_DEV;
    }
  else if (!is_slug (ref))
    return FALSE;

  return TRUE;
}

CmgConnection *
cmg_connection_new_deployment (const char  *name_or_ref,
                               GError     **error)
{
  g_autoptr(CmgConnection) self = NULL;
  g_autoptr(CmgValueSource) source = NULL;
  g_autofree char *id = NULL;
  g_autofree char *url = NULL;
  g_auto(GStrv) parts = NULL;
  CmgDeploymentType type = CMG_DEPLOYMENT_TYPE_UNKNOWN;
  const char *team = NULL;
  const char *project = NULL;
  const char *ref;
  guint n;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (name_or_ref == NULL || *name_or_ref == '\0')
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
                   _("Enter a deployment name such as joyful-capybara-123, or a reference such as "
                     "dev/james or my-team:my-project:prod."));
      return NULL;
    }

  parts = g_strsplit (name_or_ref, ":", -1);
  n = g_strv_length (parts);
  ref = parts[n - 1];
  if (n == 2)
    project = parts[0];
  else if (n == 3)
    {
      team = parts[0];
      project = parts[1];
    }

  if (n > 3
      || (team != NULL && !is_slug (team))
      || (project != NULL && !is_slug (project))
      || !parse_reference (ref, &type))
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
                   _("“%s” is not a deployment name or reference. Use a name such as "
                     "joyful-capybara-123, dev, prod, dev/james, or my-team:my-project:prod."),
                   name_or_ref);
      return NULL;
    }

  /* Only a bare generated name is known to live at its own cloud address. */
  if (n == 1 && is_deployment_name (ref))
    url = cmg_deployment_cloud_url_for_name (ref);

  id = g_strdup_printf ("deployment:%s", name_or_ref);
  self = connection_new (CMG_CONNECTION_KIND_DEPLOYMENT, id, name_or_ref);
  source = cmg_value_source_new_user_input ();
  self->deployment = cmg_deployment_new (url != NULL ? ref : NULL, type, team, project, url,
                                         CMG_TARGET_VIA_DEPLOYMENT_FLAG, source);

  return g_steal_pointer (&self);
}

CmgConnection *
cmg_connection_new_deploy_key (const char  *deploy_key,
                               GError     **error)
{
  g_autoptr(CmgDeployKeyInfo) info = NULL;
  g_autoptr(CmgValueSource) source = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autofree char *url = NULL;
  const char *type_name;
  CmgConnection *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  info = cmg_deploy_key_parse (deploy_key, error);
  if (info == NULL)
    return NULL;

  type_name = cmg_deployment_type_to_string (info->type);
  if (info->name != NULL)
    {
      id = g_strdup_printf ("deploy-key:%s:%s", type_name, info->name);
      title = g_strdup (info->name);
      url = cmg_deployment_cloud_url_for_name (info->name);
    }
  else
    {
      id = g_strdup_printf ("deploy-key:%s:%s:%s", type_name, info->team, info->project);
      if (info->kind == CMG_DEPLOY_KEY_KIND_PREVIEW)
        /* Translators: %s/%s are a team and a project */
        title = g_strdup_printf (_("Preview of %s/%s"), info->team, info->project);
      else
        title = g_strdup_printf (_("Project key of %s/%s"), info->team, info->project);
    }

  self = connection_new (CMG_CONNECTION_KIND_DEPLOY_KEY, id, title);
  source = cmg_value_source_new_user_input ();
  self->deployment = cmg_deployment_new (info->name, info->type, info->team, info->project, url,
                                         CMG_TARGET_VIA_DEPLOY_KEY, source);
  self->secret = g_strdup (deploy_key);

  return self;
}

CmgConnection *
cmg_connection_new_self_hosted (const char  *url,
                                const char  *admin_key,
                                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(CmgValueSource) source = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  const char *scheme;
  const char *host;
  CmgConnection *self;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (url != NULL)
    uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
      || host == NULL || *host == '\0')
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
                   _("Enter the backend’s address as an http or https URL, such as "
                     "http://127.0.0.1:3210."));
      return NULL;
    }

  /* The id and title are shown and stored: they must not carry credentials. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
                   _("Remove the user name and password from the URL; the admin key is the only "
                     "credential a self-hosted backend needs."));
      return NULL;
    }

  if (admin_key == NULL || *admin_key == '\0')
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
                   _("Enter the backend’s admin key (the output of the backend’s "
                     "generate_admin_key.sh)."));
      return NULL;
    }

  normalized = g_strdup (url);
  while (g_str_has_suffix (normalized, "/"))
    normalized[strlen (normalized) - 1] = '\0';

  id = g_strdup_printf ("self-hosted:%s", normalized);
  if (g_uri_get_port (uri) > 0)
    title = g_strdup_printf ("%s:%d", host, g_uri_get_port (uri));
  else
    title = g_strdup (host);

  self = connection_new (CMG_CONNECTION_KIND_SELF_HOSTED, id, title);
  source = cmg_value_source_new_user_input ();
  self->deployment = cmg_deployment_new (NULL, CMG_DEPLOYMENT_TYPE_SELF_HOSTED, NULL, NULL,
                                         normalized, CMG_TARGET_VIA_SELF_HOSTED, source);
  self->secret = g_strdup (admin_key);

  return self;
}

CmgConnectionKind
cmg_connection_get_kind (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), CMG_CONNECTION_KIND_PROJECT_TARGET);
  return self->kind;
}

const char *
cmg_connection_get_id (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);
  return self->id;
}

const char *
cmg_connection_get_title (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);
  return self->title;
}

CmgDeployment *
cmg_connection_get_deployment (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);
  return self->deployment;
}

CmgTargetResolution *
cmg_connection_get_resolution (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);
  return self->resolution;
}

GPtrArray *
cmg_connection_get_conflicts (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);
  return self->conflicts;
}

const char *
cmg_connection_get_secret (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);
  return self->secret;
}

char *
cmg_connection_dup_masked_secret (CmgConnection *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION (self), NULL);

  if (self->secret == NULL)
    return NULL;

  return cmg_deploy_key_mask (self->secret);
}
