/* cmg-redactor.c: see cmg-redactor.h. */
#include "config.h"

#include <string.h>

#include "cmg-redactor.h"

struct _CmgRedactor
{
  GObject    parent_instance;
  GPtrArray *secrets;  /* longest first, so a key is masked before its own secret part */
};

G_DEFINE_FINAL_TYPE (CmgRedactor, cmg_redactor, G_TYPE_OBJECT)

/* Group 1/2: a key shape `prefix|secret` (the prefix is kept, it names the deployment);
 * group 3/4: `Authorization: Convex <key>`; group 5/6: `--admin-key <key>`;
 * group 7/8: `CONVEX_DEPLOY_KEY=<key>` and friends, quoted or not. Key secrets are long
 * (base64 or hex), which keeps ordinary `a|b` text and the change summary's columns intact.
 * A value already masked is left alone (possessive match, then no mask may follow). */
static const char key_pattern[] =
  "([A-Za-z0-9_.:-]*[A-Za-z0-9_-])\\|([A-Za-z0-9+/=_-]{12,})"
  "|(Authorization:\\s*Convex\\s+(?:[A-Za-z0-9_.:-]*[A-Za-z0-9_-]\\|)?)([^\\s\"'•]++)(?!•)"
  "|(--admin-key(?:=|\\s+)[\"']?(?:[A-Za-z0-9_.:-]*[A-Za-z0-9_-]\\|)?)([^\\s\"'•]++)(?!•)"
  "|((?:CONVEX_DEPLOY_KEY|CONVEX_DEPLOYMENT_TOKEN|CONVEX_SELF_HOSTED_ADMIN_KEY)\\s*[=:]\\s*[\"']?"
  "(?:[A-Za-z0-9_.:-]*[A-Za-z0-9_-]\\|)?)([^\\s\"'•]++)(?!•)";

static GRegex *
get_key_regex (void)
{
  static gsize regex;

  if (g_once_init_enter (&regex))
    {
      g_autoptr(GError) error = NULL;
      GRegex *r = g_regex_new (key_pattern, G_REGEX_OPTIMIZE, 0, &error);

      g_assert_no_error (error);
      g_once_init_leave (&regex, (gsize)r);
    }

  return (GRegex *)regex;
}

static void
cmg_redactor_finalize (GObject *object)
{
  CmgRedactor *self = (CmgRedactor *)object;

  g_clear_pointer (&self->secrets, g_ptr_array_unref);

  G_OBJECT_CLASS (cmg_redactor_parent_class)->finalize (object);
}

static void
cmg_redactor_class_init (CmgRedactorClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_redactor_finalize;
}

static void
cmg_redactor_init (CmgRedactor *self)
{
  self->secrets = g_ptr_array_new_with_free_func (g_free);
}

CmgRedactor *
cmg_redactor_new (void)
{
  return g_object_new (CMG_TYPE_REDACTOR, NULL);
}

static int
compare_length_desc (gconstpointer a,
                     gconstpointer b)
{
  gsize la = strlen (*(const char * const *)a);
  gsize lb = strlen (*(const char * const *)b);

  return la < lb ? 1 : la > lb ? -1 : 0;
}

static void
add_one (CmgRedactor *self,
         const char  *secret)
{
  if (secret == NULL || strlen (secret) < 4)
    return;

  for (guint i = 0; i < self->secrets->len; i++)
    if (g_str_equal (g_ptr_array_index (self->secrets, i), secret))
      return;

  g_ptr_array_add (self->secrets, g_strdup (secret));
}

void
cmg_redactor_add_secret (CmgRedactor *self,
                         const char  *secret)
{
  const char *bar;

  g_return_if_fail (CMG_IS_REDACTOR (self));

  if (secret == NULL)
    return;

  add_one (self, secret);
  if ((bar = strrchr (secret, '|')) != NULL)
    add_one (self, bar + 1);

  g_ptr_array_sort (self->secrets, compare_length_desc);
}

char *
cmg_redactor_mask_secret (const char *secret)
{
  const char *bar = secret ? strrchr (secret, '|') : NULL;

  if (bar == NULL)
    return g_strdup (CMG_REDACTOR_MASK);

  return g_strdup_printf ("%.*s|%s", (int)(bar - secret), secret, CMG_REDACTOR_MASK);
}

static gboolean
replace_key (const GMatchInfo *info,
             GString          *result,
             gpointer          user_data)
{
  /* Keep the harmless part of the match (prefix, header name) and mask the rest. */
  for (int group = 1; group <= 7; group += 2)
    {
      int start = -1, end = -1;

      if (g_match_info_fetch_pos (info, group, &start, &end) && start >= 0)
        {
          g_autofree char *kept = g_match_info_fetch (info, group);

          g_string_append (result, kept);
          g_string_append (result, group == 1 ? "|" CMG_REDACTOR_MASK : CMG_REDACTOR_MASK);
          return FALSE;
        }
    }

  return FALSE;
}

char *
cmg_redactor_redact (CmgRedactor *self,
                     const char  *text)
{
  g_autoptr(GString) known = NULL;

  g_return_val_if_fail (CMG_IS_REDACTOR (self), NULL);

  if (text == NULL)
    return NULL;

  /* GRegex needs valid UTF-8; callers pass valid text, garbage must not crash. */
  if (g_utf8_validate (text, -1, NULL))
    known = g_string_new (text);
  else
    {
      g_autofree char *valid = g_utf8_make_valid (text, -1);

      known = g_string_new (valid);
    }

  for (guint i = 0; i < self->secrets->len; i++)
    {
      const char *secret = g_ptr_array_index (self->secrets, i);

      if (strstr (known->str, secret) != NULL)
        {
          g_autofree char *masked = cmg_redactor_mask_secret (secret);

          g_string_replace (known, secret, masked, 0);
        }
    }

  return g_regex_replace_eval (get_key_regex (), known->str, known->len, 0, 0,
                               replace_key, NULL, NULL);
}
