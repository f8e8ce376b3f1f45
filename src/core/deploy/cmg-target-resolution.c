/* cmg-target-resolution.c: see cmg-target-resolution.h.
 *
 * The rules follow the Convex CLI (see convex-facts.md §2): `.env.local` then `.env` are loaded
 * without overriding the process environment, then CONVEX_DEPLOY_KEY (alias
 * CONVEX_DEPLOYMENT_TOKEN) > CONVEX_SELF_HOSTED_URL + CONVEX_SELF_HOSTED_ADMIN_KEY >
 * CONVEX_DEPLOYMENT. Frontend URL variables never pick the target; they are only compared. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "cmg-deploy-error.h"
#include "cmg-deploy-key.h"
#include "cmg-env-file.h"
#include "cmg-target-resolution.h"

#define LOCAL_CONFIG_PATH ".convex/local/default/config.json"
/* The CLI writes a few hundred bytes; anything much larger is not its file. */
#define LOCAL_CONFIG_MAX_SIZE (256 * 1024)

#define DEPLOY_KEY "CONVEX_DEPLOY_KEY"
#define DEPLOYMENT_TOKEN "CONVEX_DEPLOYMENT_TOKEN"
#define SELF_HOSTED_URL "CONVEX_SELF_HOSTED_URL"
#define SELF_HOSTED_ADMIN_KEY "CONVEX_SELF_HOSTED_ADMIN_KEY"
#define DEPLOYMENT "CONVEX_DEPLOYMENT"

/* CmgTargetVariable */

G_DEFINE_BOXED_TYPE (CmgTargetVariable, cmg_target_variable,
                     cmg_target_variable_copy, cmg_target_variable_free)

CmgTargetVariable *
cmg_target_variable_copy (const CmgTargetVariable *variable)
{
  CmgTargetVariable *copy;

  g_return_val_if_fail (variable != NULL, NULL);

  copy = g_new0 (CmgTargetVariable, 1);
  copy->key = g_strdup (variable->key);
  copy->display_value = g_strdup (variable->display_value);
  copy->source = variable->source != NULL ? cmg_value_source_copy (variable->source) : NULL;
  copy->effective = variable->effective;
  copy->secret = variable->secret;

  return copy;
}

void
cmg_target_variable_free (CmgTargetVariable *variable)
{
  if (variable == NULL)
    return;

  g_free (variable->key);
  g_free (variable->display_value);
  cmg_value_source_free (variable->source);
  g_free (variable);
}

/* CmgTargetResolution */

struct _CmgTargetResolution
{
  GObject        parent_instance;

  CmgProject    *project;
  CmgDeployment *target;
  GPtrArray     *conflicts;   /* CmgConflict* */
  GPtrArray     *variables;   /* CmgTargetVariable* */
  CmgDeployment *local_deployment;
  char          *local_admin_key;
  char          *secret;
};

G_DEFINE_FINAL_TYPE (CmgTargetResolution, cmg_target_resolution, G_TYPE_OBJECT)

static void
cmg_target_resolution_finalize (GObject *object)
{
  CmgTargetResolution *self = (CmgTargetResolution *)object;

  g_clear_object (&self->project);
  g_clear_object (&self->target);
  g_clear_pointer (&self->conflicts, g_ptr_array_unref);
  g_clear_pointer (&self->variables, g_ptr_array_unref);
  g_clear_object (&self->local_deployment);
  g_clear_pointer (&self->local_admin_key, g_free);
  g_clear_pointer (&self->secret, g_free);

  G_OBJECT_CLASS (cmg_target_resolution_parent_class)->finalize (object);
}

static void
cmg_target_resolution_class_init (CmgTargetResolutionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_target_resolution_finalize;
}

static void
cmg_target_resolution_init (CmgTargetResolution *self)
{
  self->conflicts = g_ptr_array_new_with_free_func ((GDestroyNotify)cmg_conflict_free);
  self->variables = g_ptr_array_new_with_free_func ((GDestroyNotify)cmg_target_variable_free);
}

/* Resolution */

enum {
  FILE_ENV_LOCAL,
  FILE_ENV,
  N_FILES
};

static const char * const file_names[N_FILES] = { ".env.local", ".env" };

typedef struct {
  CmgTargetResolution *self;
  GHashTable          *environment;  /* key -> value, valid UTF-8 */
  CmgEnvFile          *files[N_FILES];
  gboolean             file_failed[N_FILES];
} Resolver;

/* One sighting of a variable: the effective one, or one file's. */
typedef struct {
  const char     *value;    /* NULL: not set here */
  const char     *comment;
  CmgValueSource *source;
} Occurrence;

static void
occurrence_clear (Occurrence *occurrence)
{
  g_clear_pointer (&occurrence->source, cmg_value_source_free);
  occurrence->value = NULL;
  occurrence->comment = NULL;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Occurrence, occurrence_clear)

static gboolean
file_occurrence (Resolver   *r,
                 guint       file,
                 const char *key,
                 Occurrence *out)
{
  const CmgEnvEntry *entry;

  if (r->files[file] == NULL)
    return FALSE;

  entry = cmg_env_file_lookup (r->files[file], key);
  if (entry == NULL)
    return FALSE;

  out->value = entry->value;
  out->comment = entry->comment;
  out->source = cmg_value_source_new_file (file_names[file], entry->line);

  return TRUE;
}

/* What the CLI sees for key: the environment first, then .env.local, then .env. */
static gboolean
effective_occurrence (Resolver   *r,
                      const char *key,
                      Occurrence *out)
{
  const char *value = g_hash_table_lookup (r->environment, key);

  if (value != NULL)
    {
      out->value = value;
      out->comment = NULL;
      out->source = cmg_value_source_new_environment ();
      return TRUE;
    }

  for (guint i = 0; i < N_FILES; i++)
    if (file_occurrence (r, i, key, out))
      return TRUE;

  return FALSE;
}

/* The CLI treats an empty value like an absent one. */
static gboolean
effective_set (Resolver   *r,
               const char *key,
               Occurrence *out)
{
  if (!effective_occurrence (r, key, out))
    return FALSE;

  if (out->value[0] == '\0')
    {
      occurrence_clear (out);
      return FALSE;
    }

  return TRUE;
}

static void
add_conflict (Resolver            *r,
              const char          *code,
              CmgConflictSeverity  severity,
              char                *message)
{
  g_ptr_array_add (r->self->conflicts, cmg_conflict_new (code, severity, message));
  g_free (message);
}

static gboolean
is_frontend_url_key (const char *key)
{
  return g_str_has_suffix (key, "CONVEX_URL");
}

static gboolean
is_relevant_key (const char *key)
{
  return g_str_has_prefix (key, "CONVEX_") || is_frontend_url_key (key);
}

static gboolean
is_key_shaped_secret (const char *key)
{
  return g_strcmp0 (key, DEPLOY_KEY) == 0
         || g_strcmp0 (key, DEPLOYMENT_TOKEN) == 0
         || g_strcmp0 (key, SELF_HOSTED_ADMIN_KEY) == 0;
}

static gboolean
is_secret_key (const char *key)
{
  return is_key_shaped_secret (key)
         || strstr (key, "SECRET") != NULL
         || strstr (key, "TOKEN") != NULL
         || strstr (key, "PASSWORD") != NULL
         || strstr (key, "_KEY") != NULL;
}

static char *
display_value (const char *key,
               const char *value)
{
  if (!is_secret_key (key))
    return g_strdup (value);

  if (value[0] == '\0')
    return g_strdup ("");

  /* Deploy and admin keys keep their readable `type:name|` part. */
  if (is_key_shaped_secret (key))
    {
      g_autofree char *masked = cmg_deploy_key_mask (value);

      return g_utf8_make_valid (masked, -1);
    }

  return g_strdup ("••••••••");
}

/* "CONVEX_DEPLOYMENT=dev:x from .env.local, line 2" or, for secrets, "CONVEX_DEPLOY_KEY from the
 * environment". */
static char *
describe_variable (const char       *key,
                   const Occurrence *occurrence)
{
  g_autofree char *where = cmg_value_source_describe (occurrence->source);

  if (is_secret_key (key))
    return g_strdup_printf ("%s %s", key, where);

  return g_strdup_printf ("%s=%s %s", key, occurrence->value, where);
}

static guint
key_rank (const char *key)
{
  static const char * const order[] = {
    DEPLOY_KEY, DEPLOYMENT_TOKEN, SELF_HOSTED_URL, SELF_HOSTED_ADMIN_KEY, DEPLOYMENT,
  };

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    if (strcmp (key, order[i]) == 0)
      return i;

  return is_frontend_url_key (key) ? G_N_ELEMENTS (order) + 1 : G_N_ELEMENTS (order);
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  const char *ka = *(const char * const *)a;
  const char *kb = *(const char * const *)b;
  guint ra = key_rank (ka);
  guint rb = key_rank (kb);

  if (ra != rb)
    return ra < rb ? -1 : 1;

  return strcmp (ka, kb);
}

static void
add_variable (Resolver         *r,
              const char       *key,
              const Occurrence *occurrence,
              gboolean          effective)
{
  CmgTargetVariable *variable = g_new0 (CmgTargetVariable, 1);

  variable->key = g_strdup (key);
  variable->display_value = display_value (key, occurrence->value);
  variable->source = cmg_value_source_copy (occurrence->source);
  variable->effective = effective;
  variable->secret = is_secret_key (key);
  g_ptr_array_add (r->self->variables, variable);
}

/* Every relevant variable, each sighting in the CLI's order, plus the conflicts between
 * sightings (environment over a file, .env.local against .env). */
static void
collect_variables (Resolver *r)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) keys = g_ptr_array_new ();
  GHashTableIter iter;
  gpointer key;

  g_hash_table_iter_init (&iter, r->environment);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (is_relevant_key (key) && g_hash_table_add (seen, key))
      g_ptr_array_add (keys, key);

  for (guint f = 0; f < N_FILES; f++)
    {
      if (r->files[f] == NULL)
        continue;

      for (guint i = 0; i < cmg_env_file_get_n_entries (r->files[f]); i++)
        {
          const CmgEnvEntry *entry = cmg_env_file_get_entry (r->files[f], i);

          if (is_relevant_key (entry->key) && g_hash_table_add (seen, entry->key))
            g_ptr_array_add (keys, entry->key);
        }
    }

  g_ptr_array_sort (keys, compare_keys);

  for (guint k = 0; k < keys->len; k++)
    {
      const char *name = g_ptr_array_index (keys, k);
      const char *env_value = g_hash_table_lookup (r->environment, name);
      g_auto(Occurrence) in_local = { 0 };
      g_auto(Occurrence) in_dotenv = { 0 };
      Occurrence *in_file[N_FILES] = { &in_local, &in_dotenv };
      gboolean have_file[N_FILES];
      gboolean effective_taken = FALSE;

      if (env_value != NULL)
        {
          g_auto(Occurrence) env = { env_value, NULL, cmg_value_source_new_environment () };

          add_variable (r, name, &env, TRUE);
          effective_taken = TRUE;
        }

      for (guint f = 0; f < N_FILES; f++)
        {
          have_file[f] = file_occurrence (r, f, name, in_file[f]);
          if (have_file[f])
            {
              add_variable (r, name, in_file[f], !effective_taken);
              effective_taken = TRUE;
            }
        }

      if (!g_str_has_prefix (name, "CONVEX_"))
        continue;

      if (env_value != NULL)
        {
          for (guint f = 0; f < N_FILES; f++)
            {
              g_autofree char *where = NULL;

              if (!have_file[f] || strcmp (in_file[f]->value, env_value) == 0)
                continue;

              where = cmg_value_source_describe (in_file[f]->source);
              if (env_value[0] == '\0')
                add_conflict (r, "environment-overrides-file", CMG_CONFLICT_SEVERITY_WARNING,
                              /* Translators: %s are a variable name, then "from .env.local, line 2" */
                              g_strdup_printf (_("%s is set but empty in the environment, so the CLI "
                                                 "ignores its value %s."),
                                               name, where));
              else if (is_secret_key (name))
                add_conflict (r, "environment-overrides-file", CMG_CONFLICT_SEVERITY_WARNING,
                              g_strdup_printf (_("%s from the environment overrides the value %s."),
                                               name, where));
              else
                add_conflict (r, "environment-overrides-file", CMG_CONFLICT_SEVERITY_WARNING,
                              g_strdup_printf (_("%s=%s from the environment overrides %s=%s %s."),
                                               name, env_value, name, in_file[f]->value, where));
            }
        }

      if (have_file[FILE_ENV_LOCAL] && have_file[FILE_ENV]
          && strcmp (in_local.value, in_dotenv.value) != 0)
        {
          g_autofree char *local_desc = describe_variable (name, &in_local);
          g_autofree char *env_desc = describe_variable (name, &in_dotenv);
          CmgConflictSeverity severity = key_rank (name) < 5 ? CMG_CONFLICT_SEVERITY_WARNING
                                                              : CMG_CONFLICT_SEVERITY_INFO;

          add_conflict (r, "env-files-disagree", severity,
                        /* Translators: both %s are like "CONVEX_DEPLOYMENT=dev:x from .env, line 2" */
                        g_strdup_printf (_("%s and %s disagree; the CLI reads .env.local first, "
                                           "so .env’s value is not used."),
                                         local_desc, env_desc));
        }
    }
}

static void
load_env_files (Resolver *r)
{
  GFile *dir = cmg_project_get_dir (r->self->project);

  for (guint f = 0; f < N_FILES; f++)
    {
      g_autoptr(GFile) file = g_file_get_child (dir, file_names[f]);
      g_autoptr(GError) error = NULL;
      const char * const *warnings;
      const char *code;

      r->files[f] = cmg_env_file_load (file, file_names[f], &error);
      if (r->files[f] == NULL)
        {
          if (g_error_matches (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_FOUND))
            continue;

          r->file_failed[f] = TRUE;
          if (g_error_matches (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_BINARY))
            code = "env-file-binary";
          else if (g_error_matches (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_TOO_LARGE))
            code = "env-file-too-large";
          else
            code = "env-file-unreadable";

          add_conflict (r, code, CMG_CONFLICT_SEVERITY_ERROR,
                        /* Translators: %s is an error message that names the file */
                        g_strdup_printf (_("%s The CLI reads this file too, so the target cannot be "
                                           "told for sure."),
                                         error->message));
          continue;
        }

      warnings = cmg_env_file_get_warnings (r->files[f]);
      for (guint w = 0; warnings[w] != NULL; w++)
        add_conflict (r, "env-file-not-utf8", CMG_CONFLICT_SEVERITY_WARNING, g_strdup (warnings[w]));
    }
}

/* `team: my-team, project: my-project`, as `npx convex dev` writes after CONVEX_DEPLOYMENT. */
static void
parse_team_project_comment (const char  *comment,
                            char       **team,
                            char       **project)
{
  g_auto(GStrv) parts = NULL;

  if (comment == NULL)
    return;

  parts = g_strsplit (comment, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *colon = strchr (parts[i], ':');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (colon == NULL)
        continue;

      name = g_strstrip (g_strndup (parts[i], colon - parts[i]));
      value = g_strstrip (g_strdup (colon + 1));
      if (value[0] == '\0')
        continue;

      if (strcmp (name, "team") == 0 && *team == NULL)
        *team = g_steal_pointer (&value);
      else if (strcmp (name, "project") == 0 && *project == NULL)
        *project = g_steal_pointer (&value);
    }
}

static gboolean
is_valid_deployment_name (const char *name)
{
  if (name == NULL || name[0] == '\0')
    return FALSE;

  for (const char *p = name; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

typedef enum {
  LOCAL_CONFIG_MISSING,
  LOCAL_CONFIG_VALID,
  LOCAL_CONFIG_INVALID,
} LocalConfigState;

/* Reads .convex/local/default/config.json into self->local_deployment. */
static LocalConfigState
load_local_config (Resolver *r)
{
  CmgTargetResolution *self = r->self;
  g_autoptr(GFile) file = g_file_resolve_relative_path (cmg_project_get_dir (self->project),
                                                        LOCAL_CONFIG_PATH);
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(CmgValueSource) source = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *problem = NULL;
  g_autofree char *url = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonObject *object;
  JsonNode *node;
  const char *name = NULL;
  const char *admin_key = NULL;
  gint64 port = 0;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND)
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY))
        return LOCAL_CONFIG_MISSING;
      problem = g_strdup (error->message);
    }
  else if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    problem = g_strdup (_("it is not a file"));
  else if (g_file_info_get_size (info) > LOCAL_CONFIG_MAX_SIZE)
    problem = g_strdup (_("it is too large"));
  else if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    problem = g_strdup (error->message);
  else if (length > LOCAL_CONFIG_MAX_SIZE)
    problem = g_strdup (_("it is too large"));
  else
    {
      parser = json_parser_new ();
      if (!json_parser_load_from_data (parser, contents, length, &error))
        problem = g_strdup_printf (_("it is not valid JSON: %s"), error->message);
      else if ((root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        problem = g_strdup (_("it does not hold a JSON object"));
      else
        {
          object = json_node_get_object (root);

          node = json_object_get_member (object, "deploymentName");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
              && json_node_get_value_type (node) == G_TYPE_STRING)
            name = json_node_get_string (node);

          node = json_object_get_member (object, "adminKey");
          if (node != NULL && JSON_NODE_HOLDS_VALUE (node)
              && json_node_get_value_type (node) == G_TYPE_STRING)
            admin_key = json_node_get_string (node);

          node = json_object_get_member (object, "ports");
          if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
            {
              JsonNode *cloud = json_object_get_member (json_node_get_object (node), "cloud");

              if (cloud != NULL && JSON_NODE_HOLDS_VALUE (cloud)
                  && json_node_get_value_type (cloud) == G_TYPE_INT64)
                port = json_node_get_int (cloud);
            }

          if (!is_valid_deployment_name (name))
            problem = g_strdup (_("it has no valid deploymentName"));
          else if (admin_key == NULL || admin_key[0] == '\0')
            problem = g_strdup (_("it has no adminKey"));
          else if (port < 1 || port > 65535)
            problem = g_strdup (_("it has no valid ports.cloud"));
        }
    }

  if (problem != NULL)
    {
      add_conflict (r, "local-config-malformed", CMG_CONFLICT_SEVERITY_WARNING,
                    /* Translators: %s is a file name, then the reason */
                    g_strdup_printf (_("The local deployment settings in %s cannot be used: %s. "
                                       "Run npx convex dev --local again to rewrite them."),
                                     LOCAL_CONFIG_PATH, problem));
      return LOCAL_CONFIG_INVALID;
    }

  url = g_strdup_printf ("http://127.0.0.1:%d", (int)port);
  source = cmg_value_source_new_file (LOCAL_CONFIG_PATH, 0);
  self->local_deployment = cmg_deployment_new (name,
                                               g_str_has_prefix (name, "anonymous-")
                                                 ? CMG_DEPLOYMENT_TYPE_ANONYMOUS
                                                 : CMG_DEPLOYMENT_TYPE_LOCAL,
                                               NULL, NULL, url,
                                               CMG_TARGET_VIA_SELF_HOSTED, source);
  self->local_admin_key = g_strdup (admin_key);

  return LOCAL_CONFIG_VALID;
}

/* "prod:happy-animal-123", "a preview deployment of team/project", … for messages. */
static char *
describe_key_target (const CmgDeployKeyInfo *info)
{
  switch (info->kind)
    {
    case CMG_DEPLOY_KEY_KIND_PREVIEW:
      /* Translators: %s/%s are a team and a project */
      return g_strdup_printf (_("a preview deployment of %s/%s"), info->team, info->project);
    case CMG_DEPLOY_KEY_KIND_PROJECT:
      return g_strdup_printf (_("a deployment of %s/%s chosen by the key"), info->team, info->project);
    case CMG_DEPLOY_KEY_KIND_DEPLOYMENT:
    default:
      return g_strdup_printf ("%s:%s", cmg_deployment_type_to_string (info->type), info->name);
    }
}

typedef struct {
  CmgDeploymentType type;
  char             *name;     /* NULL when malformed */
  char             *team;
  char             *project;
  gboolean          legacy;
  gboolean          known_type;
} ConfiguredDeployment;

static void
configured_deployment_clear (ConfiguredDeployment *c)
{
  g_clear_pointer (&c->name, g_free);
  g_clear_pointer (&c->team, g_free);
  g_clear_pointer (&c->project, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ConfiguredDeployment, configured_deployment_clear)

/* CONVEX_DEPLOYMENT=<type>:<name>; the CLI takes the type from the first part and the name from
 * the last. */
static void
parse_configured_deployment (const Occurrence     *occurrence,
                             ConfiguredDeployment *out)
{
  const char *value = occurrence->value;
  const char *first_colon = strchr (value, ':');
  const char *last_colon = strrchr (value, ':');
  const char *name = last_colon != NULL ? last_colon + 1 : value;

  out->type = CMG_DEPLOYMENT_TYPE_UNKNOWN;
  out->legacy = first_colon == NULL;
  out->known_type = FALSE;

  if (first_colon != NULL)
    {
      g_autofree char *type = g_strndup (value, first_colon - value);
      static const char * const allowed[] = { "dev", "prod", "preview", "local", "anonymous", "custom" };

      for (guint i = 0; i < G_N_ELEMENTS (allowed); i++)
        if (strcmp (type, allowed[i]) == 0)
          out->known_type = cmg_deployment_type_from_string (type, &out->type);
    }

  if (is_valid_deployment_name (name))
    out->name = g_strdup (name);

  parse_team_project_comment (occurrence->comment, &out->team, &out->project);
}

/* A frontend URL names the deployment by its host's first label (https://<name>.convex.cloud) or,
 * for a local backend, by its loopback port. */
static void
check_frontend_urls (Resolver *r)
{
  CmgDeployment *target = r->self->target;
  GPtrArray *variables = r->self->variables;
  const char *target_name;
  CmgDeploymentType type;
  g_autoptr(GUri) target_uri = NULL;

  if (target == NULL)
    return;

  target_name = cmg_deployment_get_name (target);
  type = cmg_deployment_get_deployment_type (target);
  if (cmg_deployment_get_url (target) != NULL)
    target_uri = g_uri_parse (cmg_deployment_get_url (target), G_URI_FLAGS_NONE, NULL);

  for (guint i = 0; i < variables->len; i++)
    {
      const CmgTargetVariable *variable = g_ptr_array_index (variables, i);
      g_autoptr(GUri) uri = NULL;
      g_autofree char *first_label = NULL;
      g_autofree char *where = NULL;
      const char *host;
      const char *dot;
      gboolean mismatch = FALSE;

      if (!variable->effective || !is_frontend_url_key (variable->key)
          || variable->display_value[0] == '\0')
        continue;

      uri = g_uri_parse (variable->display_value, G_URI_FLAGS_NONE, NULL);
      if (uri == NULL || (host = g_uri_get_host (uri)) == NULL)
        continue;

      dot = strchr (host, '.');
      first_label = dot != NULL ? g_strndup (host, dot - host) : g_strdup (host);

      if (type == CMG_DEPLOYMENT_TYPE_LOCAL || type == CMG_DEPLOYMENT_TYPE_ANONYMOUS
          || type == CMG_DEPLOYMENT_TYPE_SELF_HOSTED)
        {
          if (target_uri == NULL)
            continue;
          if (g_str_has_suffix (host, ".convex.cloud"))
            mismatch = TRUE;
          else if (g_uri_get_port (uri) != g_uri_get_port (target_uri)
                   && (g_strcmp0 (host, g_uri_get_host (target_uri)) == 0
                       || g_strcmp0 (host, "localhost") == 0
                       || g_strcmp0 (host, "127.0.0.1") == 0))
            mismatch = TRUE;
        }
      else if (target_name != NULL && g_str_has_suffix (host, ".convex.cloud"))
        mismatch = g_ascii_strcasecmp (first_label, target_name) != 0;
      else if (target_name != NULL)
        mismatch = g_ascii_strcasecmp (first_label, target_name) != 0
                   && (g_strcmp0 (host, "localhost") == 0 || g_strcmp0 (host, "127.0.0.1") == 0);

      if (!mismatch)
        continue;

      where = cmg_value_source_describe (variable->source);
      add_conflict (r, "frontend-url-mismatch", CMG_CONFLICT_SEVERITY_WARNING,
                    /* Translators: %s are a variable, its URL, where it came from, the target */
                    g_strdup_printf (_("%s=%s %s points the app’s frontend at another deployment "
                                       "than the CLI’s target %s. The CLI ignores it, but the data "
                                       "you see in the app may not be the data you import into."),
                                     variable->key, variable->display_value, where,
                                     target_name != NULL ? target_name
                                                         : cmg_deployment_get_url (target)));
    }
}

static void
resolve_with_deploy_key (Resolver             *r,
                         const char           *key_name,
                         const Occurrence     *key,
                         gboolean              have_deployment,
                         const Occurrence     *deployment,
                         ConfiguredDeployment *configured)
{
  CmgTargetResolution *self = r->self;
  g_autoptr(CmgDeployKeyInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key_desc = describe_variable (key_name, key);
  g_autofree char *url = NULL;
  g_autofree char *key_target = NULL;
  g_autofree char *team = NULL;
  g_autofree char *project = NULL;
  g_auto(Occurrence) self_hosted = { 0 };
  gboolean from_environment = key->source->file == NULL;

  info = cmg_deploy_key_parse (key->value, &error);
  if (info == NULL)
    {
      add_conflict (r, "deploy-key-malformed", CMG_CONFLICT_SEVERITY_ERROR,
                    /* Translators: %s is like "CONVEX_DEPLOY_KEY from .env.local, line 3", then why */
                    g_strdup_printf (_("%s cannot be used: %s The CLI would stop with an error; "
                                       "fix or remove the key."),
                                     key_desc, error->message));
      return;
    }

  key_target = describe_key_target (info);
  team = g_strdup (info->team);
  project = g_strdup (info->project);

  if (have_deployment && configured->name != NULL && info->name != NULL
      && strcmp (configured->name, info->name) == 0)
    {
      if (team == NULL)
        team = g_strdup (configured->team);
      if (project == NULL)
        project = g_strdup (configured->project);
    }

  if (info->name != NULL)
    url = cmg_deployment_cloud_url_for_name (info->name);

  self->target = cmg_deployment_new (info->name, info->type, team, project, url,
                                     CMG_TARGET_VIA_DEPLOY_KEY, key->source);
  self->secret = g_strdup (key->value);

  if (have_deployment)
    {
      g_autofree char *deployment_desc = describe_variable (DEPLOYMENT, deployment);
      gboolean same = configured->name != NULL && info->name != NULL
                      && strcmp (configured->name, info->name) == 0
                      && info->type != CMG_DEPLOYMENT_TYPE_PROD;

      add_conflict (r, "deploy-key-overrides-deployment",
                    same ? CMG_CONFLICT_SEVERITY_WARNING : CMG_CONFLICT_SEVERITY_ERROR,
                    /* Translators: "CONVEX_DEPLOY_KEY from the environment overrides
                     * CONVEX_DEPLOYMENT=dev:x from .env.local, line 2: every command goes to prod:y." */
                    g_strdup_printf (_("%s overrides %s: every command goes to %s."),
                                     key_desc, deployment_desc, key_target));
    }

  if (info->type == CMG_DEPLOYMENT_TYPE_PROD)
    {
      g_autofree char *message = NULL;

      if (info->legacy)
        message = g_strdup_printf (_("%s is a legacy key without a type, which the CLI treats as a "
                                     "production key: every command goes to production (%s)."),
                                   key_desc, info->name);
      else
        message = g_strdup_printf (_("%s is a production key: every command goes to production (%s)."),
                                   key_desc, info->name);

      if (from_environment)
        {
          g_autofree char *full = g_strdup_printf (_("%s If you did not mean that, run unset %s in "
                                                     "the shell that started Convex Migrate."),
                                                   message, key_name);

          add_conflict (r, "prod-deploy-key", CMG_CONFLICT_SEVERITY_ERROR, g_steal_pointer (&full));
        }
      else
        add_conflict (r, "prod-deploy-key", CMG_CONFLICT_SEVERITY_WARNING, g_steal_pointer (&message));
    }

  if (effective_set (r, SELF_HOSTED_URL, &self_hosted)
      || effective_set (r, SELF_HOSTED_ADMIN_KEY, &self_hosted))
    add_conflict (r, "deploy-key-overrides-self-hosted", CMG_CONFLICT_SEVERITY_WARNING,
                  g_strdup_printf (_("%s overrides the self-hosted backend in CONVEX_SELF_HOSTED_URL: "
                                     "every command goes to %s."),
                                   key_desc, key_target));
}

static gboolean
is_valid_http_url (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  const char *scheme;

  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0)
         && g_uri_get_host (uri) != NULL && g_uri_get_host (uri)[0] != '\0';
}

static void
resolve (Resolver *r)
{
  CmgTargetResolution *self = r->self;
  g_auto(Occurrence) deploy_key = { 0 };
  g_auto(Occurrence) token = { 0 };
  g_auto(Occurrence) url = { 0 };
  g_auto(Occurrence) admin_key = { 0 };
  g_auto(Occurrence) deployment = { 0 };
  g_auto(ConfiguredDeployment) configured = { 0 };
  gboolean have_key, have_token, have_url, have_admin, have_deployment;
  gboolean self_hosted_incomplete = FALSE;
  LocalConfigState local_state;
  const char *project_problem;

  load_env_files (r);
  collect_variables (r);
  local_state = load_local_config (r);

  have_key = effective_set (r, DEPLOY_KEY, &deploy_key);
  have_token = effective_set (r, DEPLOYMENT_TOKEN, &token);
  have_url = effective_set (r, SELF_HOSTED_URL, &url);
  have_admin = effective_set (r, SELF_HOSTED_ADMIN_KEY, &admin_key);
  have_deployment = effective_set (r, DEPLOYMENT, &deployment);

  if (have_deployment)
    parse_configured_deployment (&deployment, &configured);

  if (have_key && have_token)
    {
      g_autofree char *key_desc = describe_variable (DEPLOY_KEY, &deploy_key);
      g_autofree char *token_desc = describe_variable (DEPLOYMENT_TOKEN, &token);

      add_conflict (r, "deploy-key-and-token", CMG_CONFLICT_SEVERITY_WARNING,
                    g_strdup_printf (_("Both %s and %s are set; the CLI uses CONVEX_DEPLOY_KEY. "
                                       "Remove the one you do not need."),
                                     key_desc, token_desc));
    }

  if (have_key || have_token)
    {
      resolve_with_deploy_key (r, have_key ? DEPLOY_KEY : DEPLOYMENT_TOKEN,
                               have_key ? &deploy_key : &token,
                               have_deployment, &deployment, &configured);
    }
  else if (have_url && have_admin)
    {
      g_autofree char *url_desc = describe_variable (SELF_HOSTED_URL, &url);

      if (have_deployment)
        {
          g_autofree char *deployment_desc = describe_variable (DEPLOYMENT, &deployment);

          add_conflict (r, "self-hosted-with-deployment", CMG_CONFLICT_SEVERITY_ERROR,
                        g_strdup_printf (_("%s and %s are both set: the CLI refuses to run. "
                                           "Remove CONVEX_DEPLOYMENT to use the self-hosted backend, "
                                           "or the CONVEX_SELF_HOSTED_ variables to use the cloud."),
                                         url_desc, deployment_desc));
        }
      else if (!is_valid_http_url (url.value))
        {
          add_conflict (r, "self-hosted-url-invalid", CMG_CONFLICT_SEVERITY_ERROR,
                        g_strdup_printf (_("%s is not an http or https URL with a host name."),
                                         url_desc));
        }
      else
        {
          self->target = cmg_deployment_new (NULL, CMG_DEPLOYMENT_TYPE_SELF_HOSTED, NULL, NULL,
                                             url.value, CMG_TARGET_VIA_SELF_HOSTED, url.source);
          self->secret = g_strdup (admin_key.value);
        }
    }
  else
    {
      if (have_url != have_admin)
        self_hosted_incomplete = TRUE;

      if (have_deployment)
        {
          g_autofree char *deployment_desc = describe_variable (DEPLOYMENT, &deployment);
          g_autofree char *target_url = NULL;

          if (configured.name == NULL)
            add_conflict (r, "deployment-malformed", CMG_CONFLICT_SEVERITY_ERROR,
                          g_strdup_printf (_("%s does not name a deployment (expected "
                                             "<type>:<name>, e.g. dev:happy-animal-123). Run npx "
                                             "convex dev to set it again."),
                                           deployment_desc));
          else
            {
              if (configured.legacy)
                add_conflict (r, "legacy-deployment", CMG_CONFLICT_SEVERITY_WARNING,
                              g_strdup_printf (_("%s has no type prefix (dev:, prod:, …), so its "
                                                 "type is unknown. Run npx convex dev to update it."),
                                               deployment_desc));
              else if (!configured.known_type)
                add_conflict (r, "deployment-unknown-type", CMG_CONFLICT_SEVERITY_WARNING,
                              g_strdup_printf (_("%s has a type prefix the CLI does not know, so "
                                                 "its type is unknown."),
                                               deployment_desc));

              if (configured.type == CMG_DEPLOYMENT_TYPE_LOCAL
                  || configured.type == CMG_DEPLOYMENT_TYPE_ANONYMOUS)
                {
                  if (local_state == LOCAL_CONFIG_MISSING)
                    add_conflict (r, "local-config-missing", CMG_CONFLICT_SEVERITY_WARNING,
                                  g_strdup_printf (_("%s names a local deployment, but %s does not "
                                                     "exist, so its address is unknown. Start it "
                                                     "with npx convex dev."),
                                                   deployment_desc, LOCAL_CONFIG_PATH));
                  else if (local_state == LOCAL_CONFIG_VALID
                           && strcmp (cmg_deployment_get_name (self->local_deployment),
                                      configured.name) != 0)
                    add_conflict (r, "local-config-name-mismatch", CMG_CONFLICT_SEVERITY_WARNING,
                                  g_strdup_printf (_("%s names a local deployment, but %s belongs to "
                                                     "%s, so the address of %s is unknown."),
                                                   deployment_desc, LOCAL_CONFIG_PATH,
                                                   cmg_deployment_get_name (self->local_deployment),
                                                   configured.name));
                  else if (local_state == LOCAL_CONFIG_VALID)
                    target_url = g_strdup (cmg_deployment_get_url (self->local_deployment));
                  /* An invalid config already has its own conflict. */
                }
              else
                target_url = cmg_deployment_cloud_url_for_name (configured.name);

              self->target = cmg_deployment_new (configured.name, configured.type,
                                                 configured.team, configured.project, target_url,
                                                 CMG_TARGET_VIA_CONVEX_DEPLOYMENT,
                                                 deployment.source);
            }
        }

      if (self_hosted_incomplete)
        {
          g_auto(Occurrence) present = { 0 };
          const char *present_key = have_url ? SELF_HOSTED_URL : SELF_HOSTED_ADMIN_KEY;
          const char *missing_key = have_url ? SELF_HOSTED_ADMIN_KEY : SELF_HOSTED_URL;
          g_autofree char *present_desc = NULL;

          effective_set (r, present_key, &present);
          present_desc = describe_variable (present_key, &present);
          add_conflict (r, "self-hosted-incomplete",
                        self->target != NULL ? CMG_CONFLICT_SEVERITY_WARNING
                                             : CMG_CONFLICT_SEVERITY_ERROR,
                        g_strdup_printf (_("%s is set but %s is not: the CLI needs both to use a "
                                           "self-hosted backend, and ignores the one set."),
                                         present_desc, missing_key));
        }
    }

  if (self->target != NULL && self->local_deployment != NULL
      && g_strcmp0 (cmg_deployment_get_name (self->target),
                    cmg_deployment_get_name (self->local_deployment)) != 0)
    {
      g_autofree char *display = cmg_deployment_dup_display_name (self->target);

      add_conflict (r, "local-deployment-not-target", CMG_CONFLICT_SEVERITY_INFO,
                    g_strdup_printf (_("This project also has a local deployment, %s, but the "
                                       "CLI’s target is %s."),
                                     cmg_deployment_get_name (self->local_deployment), display));
    }

  check_frontend_urls (r);

  project_problem = cmg_project_get_problem (self->project);
  if (!cmg_project_is_convex (self->project))
    add_conflict (r, "not-a-convex-project", CMG_CONFLICT_SEVERITY_WARNING,
                  g_strdup (project_problem != NULL ? project_problem
                                                    : _("This folder is not a Convex project.")));
  else if (project_problem != NULL)
    add_conflict (r, "convex-not-installed", CMG_CONFLICT_SEVERITY_INFO, g_strdup (project_problem));

  if (self->target == NULL && cmg_target_resolution_get_max_severity (self) != CMG_CONFLICT_SEVERITY_ERROR)
    add_conflict (r, "no-target", CMG_CONFLICT_SEVERITY_INFO,
                  g_strdup (_("No CONVEX_DEPLOYMENT is set, so the CLI has no target here. Run npx "
                              "convex dev in this folder to configure a Convex project, or add a "
                              "connection.")));
}

static int
compare_conflicts (gconstpointer a,
                   gconstpointer b)
{
  const CmgConflict *ca = *(const CmgConflict * const *)a;
  const CmgConflict *cb = *(const CmgConflict * const *)b;

  return (int)cb->severity - (int)ca->severity;
}

CmgTargetResolution *
cmg_target_resolve (CmgProject         *project,
                    const char * const *environ)
{
  g_autoptr(CmgTargetResolution) self = NULL;
  Resolver r = { 0 };

  g_return_val_if_fail (CMG_IS_PROJECT (project), NULL);

  self = g_object_new (CMG_TYPE_TARGET_RESOLUTION, NULL);
  self->project = g_object_ref (project);

  r.self = self;
  r.environment = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; environ != NULL && environ[i] != NULL; i++)
    {
      const char *eq = strchr (environ[i], '=');

      if (eq == NULL || eq == environ[i])
        continue;

      /* The first definition wins, as getenv() finds it. */
      if (!g_hash_table_contains (r.environment, environ[i]))
        {
          char *key = g_strndup (environ[i], eq - environ[i]);

          if (g_hash_table_contains (r.environment, key))
            g_free (key);
          else
            g_hash_table_insert (r.environment, key, g_utf8_make_valid (eq + 1, -1));
        }
    }

  resolve (&r);

  /* g_ptr_array_sort is stable: equal severities keep the order they were found in. */
  g_ptr_array_sort (self->conflicts, compare_conflicts);

  g_hash_table_unref (r.environment);
  for (guint f = 0; f < N_FILES; f++)
    g_clear_object (&r.files[f]);

  return g_steal_pointer (&self);
}

typedef struct {
  CmgProject *project;
  GStrv       environ;
} ResolveData;

static void
resolve_data_free (ResolveData *data)
{
  g_clear_object (&data->project);
  g_clear_pointer (&data->environ, g_strfreev);
  g_free (data);
}

static void
resolve_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ResolveData *data = task_data;
  CmgTargetResolution *resolution;

  resolution = cmg_target_resolve (data->project, (const char * const *)data->environ);

  if (g_task_return_error_if_cancelled (task))
    g_object_unref (resolution);
  else
    g_task_return_pointer (task, resolution, g_object_unref);
}

void
cmg_target_resolve_async (CmgProject          *project,
                          const char * const  *environ,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  ResolveData *data;

  g_return_if_fail (CMG_IS_PROJECT (project));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  data = g_new0 (ResolveData, 1);
  data->project = g_object_ref (project);
  data->environ = g_strdupv ((char **)environ);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_target_resolve_async);
  g_task_set_task_data (task, data, (GDestroyNotify)resolve_data_free);
  g_task_run_in_thread (task, resolve_thread);
}

CmgTargetResolution *
cmg_target_resolve_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_target_resolve_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

CmgProject *
cmg_target_resolution_get_project (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->project;
}

CmgDeployment *
cmg_target_resolution_get_target (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->target;
}

GPtrArray *
cmg_target_resolution_get_conflicts (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->conflicts;
}

CmgConflictSeverity
cmg_target_resolution_get_max_severity (CmgTargetResolution *self)
{
  CmgConflictSeverity max = CMG_CONFLICT_SEVERITY_INFO;

  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), CMG_CONFLICT_SEVERITY_INFO);

  for (guint i = 0; i < self->conflicts->len; i++)
    {
      const CmgConflict *conflict = g_ptr_array_index (self->conflicts, i);

      max = MAX (max, conflict->severity);
    }

  return max;
}

gboolean
cmg_target_resolution_has_conflicts (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), FALSE);

  return cmg_target_resolution_get_max_severity (self) >= CMG_CONFLICT_SEVERITY_WARNING;
}

GPtrArray *
cmg_target_resolution_get_variables (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->variables;
}

CmgDeployment *
cmg_target_resolution_get_local_deployment (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->local_deployment;
}

const char *
cmg_target_resolution_get_local_admin_key (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->local_admin_key;
}

const char *
cmg_target_resolution_get_secret (CmgTargetResolution *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);
  return self->secret;
}

static void
add_string_or_null (JsonBuilder *builder,
                    const char  *member,
                    const char  *value)
{
  json_builder_set_member_name (builder, member);
  if (value != NULL)
    json_builder_add_string_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

char *
cmg_target_resolution_to_json (CmgTargetResolution *self,
                               gboolean             pretty)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonGenerator) generator = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (CMG_IS_TARGET_RESOLUTION (self), NULL);

  builder = json_builder_new ();
  json_builder_begin_object (builder);

  add_string_or_null (builder, "project", cmg_project_get_path (self->project));

  json_builder_set_member_name (builder, "target");
  if (self->target != NULL)
    {
      const CmgValueSource *source = cmg_deployment_get_source (self->target);
      g_autofree char *source_text = source != NULL ? cmg_value_source_describe (source) : NULL;

      json_builder_begin_object (builder);
      add_string_or_null (builder, "name", cmg_deployment_get_name (self->target));
      add_string_or_null (builder, "type",
                          cmg_deployment_type_to_string (cmg_deployment_get_deployment_type (self->target)));
      add_string_or_null (builder, "team", cmg_deployment_get_team (self->target));
      add_string_or_null (builder, "project", cmg_deployment_get_project (self->target));
      add_string_or_null (builder, "url", cmg_deployment_get_url (self->target));
      add_string_or_null (builder, "via", cmg_target_via_to_string (cmg_deployment_get_via (self->target)));
      add_string_or_null (builder, "source", source_text);
      json_builder_end_object (builder);
    }
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "conflicts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < self->conflicts->len; i++)
    {
      const CmgConflict *conflict = g_ptr_array_index (self->conflicts, i);

      json_builder_begin_object (builder);
      add_string_or_null (builder, "code", conflict->code);
      add_string_or_null (builder, "message", conflict->message);
      add_string_or_null (builder, "severity", cmg_conflict_severity_to_string (conflict->severity));
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  generator = json_generator_new ();
  json_generator_set_pretty (generator, pretty);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
