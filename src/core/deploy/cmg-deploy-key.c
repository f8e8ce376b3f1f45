/* cmg-deploy-key.c: see cmg-deploy-key.h.
 *
 * The CLI reads the part before the first `|` and never checks the secret itself, so neither do
 * we; we only insist on a shape the CLI would understand. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-deploy-error.h"
#include "cmg-deploy-key.h"

/* Deployment names (`happy-animal-123`), team and project slugs. */
static gboolean
is_valid_part (const char *part)
{
  if (part == NULL || *part == '\0')
    return FALSE;

  for (const char *p = part; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_' && *p != '.')
      return FALSE;

  return TRUE;
}

static gboolean
malformed (GError     **error,
           const char  *why)
{
  g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED,
               /* Translators: %s says what is wrong with the key */
               _("This is not a Convex deploy key (%s). Copy the whole key again from the "
                 "deployment’s settings in the Convex dashboard."), why);
  return FALSE;
}

CmgDeployKeyInfo *
cmg_deploy_key_parse (const char  *key,
                      GError     **error)
{
  g_autoptr(CmgDeployKeyInfo) info = NULL;
  g_auto(GStrv) parts = NULL;
  g_autofree char *prefix = NULL;
  const char *bar;
  guint n_parts;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (key == NULL || *key == '\0')
    {
      malformed (error, _("it is empty"));
      return NULL;
    }

  for (const char *p = key; *p != '\0'; p++)
    {
      if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
        {
          malformed (error, _("it contains spaces or line breaks"));
          return NULL;
        }
    }

  bar = strchr (key, '|');
  if (bar == NULL)
    {
      malformed (error, _("it has no “|” between the deployment and the secret"));
      return NULL;
    }

  if (bar[1] == '\0')
    {
      malformed (error, _("the secret after “|” is missing"));
      return NULL;
    }

  prefix = g_strndup (key, bar - key);
  parts = g_strsplit (prefix, ":", -1);
  n_parts = g_strv_length (parts);

  for (guint i = 0; i < n_parts; i++)
    {
      if (!is_valid_part (parts[i]))
        {
          malformed (error, _("the part before “|” is not a deployment name"));
          return NULL;
        }
    }

  info = g_new0 (CmgDeployKeyInfo, 1);

  if (n_parts == 1)
    {
      /* Keys from before typed prefixes existed were always production keys. */
      info->kind = CMG_DEPLOY_KEY_KIND_DEPLOYMENT;
      info->type = CMG_DEPLOYMENT_TYPE_PROD;
      info->name = g_strdup (parts[0]);
      info->legacy = TRUE;
    }
  else if (n_parts == 2)
    {
      info->kind = CMG_DEPLOY_KEY_KIND_DEPLOYMENT;
      if (strcmp (parts[0], "prod") == 0)
        info->type = CMG_DEPLOYMENT_TYPE_PROD;
      else if (strcmp (parts[0], "dev") == 0)
        info->type = CMG_DEPLOYMENT_TYPE_DEV;
      else if (strcmp (parts[0], "preview") == 0)
        info->type = CMG_DEPLOYMENT_TYPE_PREVIEW;
      else
        {
          malformed (error, _("its type prefix is not prod, dev, preview or project"));
          return NULL;
        }
      info->name = g_strdup (parts[1]);
    }
  else if (n_parts == 3)
    {
      if (strcmp (parts[0], "preview") == 0)
        {
          info->kind = CMG_DEPLOY_KEY_KIND_PREVIEW;
          info->type = CMG_DEPLOYMENT_TYPE_PREVIEW;
        }
      else if (strcmp (parts[0], "project") == 0)
        {
          info->kind = CMG_DEPLOY_KEY_KIND_PROJECT;
          info->type = CMG_DEPLOYMENT_TYPE_UNKNOWN;
        }
      else
        {
          malformed (error, _("its type prefix is not prod, dev, preview or project"));
          return NULL;
        }
      info->team = g_strdup (parts[1]);
      info->project = g_strdup (parts[2]);
    }
  else
    {
      malformed (error, _("the part before “|” has too many “:”"));
      return NULL;
    }

  return g_steal_pointer (&info);
}

void
cmg_deploy_key_info_free (CmgDeployKeyInfo *info)
{
  if (info == NULL)
    return;

  g_free (info->name);
  g_free (info->team);
  g_free (info->project);
  g_free (info);
}

char *
cmg_deploy_key_mask (const char *key)
{
  /* A fixed-length mask, so the display does not even tell the secret's length. */
  static const char mask[] = "••••••••";
  const char *bar;

  if (key == NULL)
    return NULL;

  bar = strchr (key, '|');
  if (bar == NULL)
    return g_strdup (mask);

  return g_strdup_printf ("%.*s|%s", (int)(bar - key), key, mask);
}
