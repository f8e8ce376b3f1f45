/* cmg-cli-command.c: see cmg-cli-command.h. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "cmg-cli-command.h"
#include "cmg-cli-error.h"
#include "cmg-redactor.h"

#define ENV_FILE_PREFIX "cli-"
#define ENV_FILE_SUFFIX ".env"
#define PACKAGE_JSON_MAX_SIZE (1024 * 1024)
#define NODE_MIN_MAJOR 18

struct _CmgCliCommand
{
  GObject             parent_instance;

  CmgCliAction        action;
  CmgConnection      *connection;
  char               *project_dir;
  char               *path;  /* export destination or import source */
  gboolean            include_file_storage;
  CmgCliImportMode    mode;
  CmgCliImportFormat  format;
  char               *table;
  char               *component;
  gboolean            confirmed;
  gboolean            ci;
  GStrv               base_environ;
  GStrv               extra_env;     /* KEY=value */
  GStrv               program;

  /* built by prepare() */
  GStrv               argv;
  GStrv               envp;
  GStrv               secrets;
  GPtrArray          *target_vars;   /* KEY=value written to the env file */
  GPtrArray          *target_flags;  /* --prod, --deployment x */
  char               *env_file;
};

G_DEFINE_FINAL_TYPE (CmgCliCommand, cmg_cli_command, G_TYPE_OBJECT)

const char *
cmg_cli_action_to_string (CmgCliAction action)
{
  switch (action)
    {
    case CMG_CLI_ACTION_EXPORT:
      return "export";
    case CMG_CLI_ACTION_IMPORT:
      return "import";
    case CMG_CLI_ACTION_VERSION:
    default:
      return "version";
    }
}

static void
cmg_cli_command_finalize (GObject *object)
{
  CmgCliCommand *self = (CmgCliCommand *)object;

  cmg_cli_command_cleanup (self);

  g_clear_object (&self->connection);
  g_clear_pointer (&self->project_dir, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->table, g_free);
  g_clear_pointer (&self->component, g_free);
  g_clear_pointer (&self->base_environ, g_strfreev);
  g_clear_pointer (&self->extra_env, g_strfreev);
  g_clear_pointer (&self->program, g_strfreev);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->envp, g_strfreev);
  g_clear_pointer (&self->secrets, g_strfreev);
  g_clear_pointer (&self->target_vars, g_ptr_array_unref);
  g_clear_pointer (&self->target_flags, g_ptr_array_unref);

  G_OBJECT_CLASS (cmg_cli_command_parent_class)->finalize (object);
}

static void
cmg_cli_command_class_init (CmgCliCommandClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_cli_command_finalize;
}

static void
cmg_cli_command_init (CmgCliCommand *self)
{
  self->extra_env = g_new0 (char *, 1);
}

static CmgCliCommand *
command_new (CmgCliAction   action,
             CmgConnection *connection,
             const char    *project_dir)
{
  CmgCliCommand *self = g_object_new (CMG_TYPE_CLI_COMMAND, NULL);

  self->action = action;
  self->connection = connection ? g_object_ref (connection) : NULL;
  self->project_dir = g_strdup (project_dir);
  return self;
}

CmgCliCommand *
cmg_cli_command_new_version (const char *project_dir)
{
  g_return_val_if_fail (project_dir != NULL, NULL);

  return command_new (CMG_CLI_ACTION_VERSION, NULL, project_dir);
}

static char *
absolute_path (const char *path)
{
  return g_canonicalize_filename (path, NULL);
}

CmgCliCommand *
cmg_cli_command_new_export (CmgConnection *connection,
                            const char    *project_dir,
                            const char    *path,
                            gboolean       include_file_storage)
{
  CmgCliCommand *self;

  g_return_val_if_fail (CMG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (project_dir != NULL && path != NULL, NULL);

  self = command_new (CMG_CLI_ACTION_EXPORT, connection, project_dir);
  self->path = absolute_path (path);
  /* The CLI takes a trailing slash as "a folder to create", which fails late: keep the user's. */
  if (g_str_has_suffix (path, "/") && !g_str_has_suffix (self->path, "/"))
    {
      char *with_slash = g_strconcat (self->path, "/", NULL);

      g_free (self->path);
      self->path = with_slash;
    }
  self->include_file_storage = include_file_storage;
  return self;
}

CmgCliCommand *
cmg_cli_command_new_import (CmgConnection    *connection,
                            const char       *project_dir,
                            const char       *file,
                            CmgCliImportMode  mode)
{
  CmgCliCommand *self;

  g_return_val_if_fail (CMG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (project_dir != NULL && file != NULL, NULL);

  self = command_new (CMG_CLI_ACTION_IMPORT, connection, project_dir);
  self->path = absolute_path (file);
  self->mode = mode;
  return self;
}

void
cmg_cli_command_set_table (CmgCliCommand *self,
                           const char    *table)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  g_free (self->table);
  self->table = (table && *table) ? g_strdup (table) : NULL;
}

void
cmg_cli_command_set_format (CmgCliCommand      *self,
                            CmgCliImportFormat  format)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  self->format = format;
}

void
cmg_cli_command_set_component (CmgCliCommand *self,
                               const char    *component)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  g_free (self->component);
  self->component = (component && *component) ? g_strdup (component) : NULL;
}

void
cmg_cli_command_set_confirmed (CmgCliCommand *self,
                               gboolean       confirmed)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  self->confirmed = !!confirmed;
}

void
cmg_cli_command_set_ci (CmgCliCommand *self,
                        gboolean       ci)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  self->ci = !!ci;
}

void
cmg_cli_command_set_base_environ (CmgCliCommand      *self,
                                  const char * const *environ_)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  g_clear_pointer (&self->base_environ, g_strfreev);
  self->base_environ = g_strdupv ((char **)environ_);
}

void
cmg_cli_command_set_env (CmgCliCommand *self,
                         const char    *key,
                         const char    *value)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  g_return_if_fail (key != NULL && value != NULL);
  self->extra_env = g_environ_setenv (self->extra_env, key, value, TRUE);
}

void
cmg_cli_command_set_program (CmgCliCommand      *self,
                             const char * const *program)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));
  g_clear_pointer (&self->program, g_strfreev);
  self->program = program && program[0] ? g_strdupv ((char **)program) : NULL;
}

CmgCliAction
cmg_cli_command_get_action (CmgCliCommand *self)
{
  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), 0);
  return self->action;
}

CmgConnection *
cmg_cli_command_get_connection (CmgCliCommand *self)
{
  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);
  return self->connection;
}

const char *
cmg_cli_command_get_project_dir (CmgCliCommand *self)
{
  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);
  return self->project_dir;
}

const char * const *
cmg_cli_command_get_argv (CmgCliCommand *self)
{
  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);
  return (const char * const *)self->argv;
}

const char * const *
cmg_cli_command_get_envp (CmgCliCommand *self)
{
  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);
  return (const char * const *)self->envp;
}

const char *
cmg_cli_command_get_env_file (CmgCliCommand *self)
{
  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);
  return self->env_file;
}

const char * const *
cmg_cli_command_get_secrets (CmgCliCommand *self)
{
  static const char * const none[] = { NULL };

  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);
  return self->secrets ? (const char * const *)self->secrets : none;
}

/* --- tools and project --- */

static char *
find_in_path (const char * const *envp,
              const char         *program)
{
  const char *path = g_environ_getenv ((char **)envp, "PATH");
  g_auto(GStrv) dirs = NULL;

  if (path == NULL)
    return NULL;

  dirs = g_strsplit (path, G_SEARCHPATH_SEPARATOR_S, 0);
  for (guint i = 0; dirs[i]; i++)
    {
      g_autofree char *candidate = g_build_filename (*dirs[i] ? dirs[i] : ".", program, NULL);

      if (g_file_test (candidate, G_FILE_TEST_IS_EXECUTABLE) &&
          !g_file_test (candidate, G_FILE_TEST_IS_DIR))
        return g_steal_pointer (&candidate);
    }

  return NULL;
}

static gboolean
package_json_lists_convex (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  static const char * const sections[] = { "dependencies", "devDependencies", "peerDependencies" };
  JsonNode *root;
  JsonObject *object;
  GStatBuf st;

  if (g_stat (path, &st) != 0 || st.st_size > PACKAGE_JSON_MAX_SIZE)
    return FALSE;
  if (!json_parser_load_from_file (parser, path, NULL))
    return FALSE;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);

  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      JsonNode *node = json_object_get_member (object, sections[i]);

      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node) &&
          json_object_has_member (json_node_get_object (node), "convex"))
        return TRUE;
    }

  return FALSE;
}

static gboolean
check_project (const char  *project_dir,
               GError     **error)
{
  g_autofree char *package_json = g_build_filename (project_dir, "package.json", NULL);
  g_autofree char *module = g_build_filename (project_dir, "node_modules", "convex", "package.json", NULL);

  if (!g_file_test (project_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NOT_A_PROJECT,
                   _("The project folder %s does not exist. Open the folder of your Convex project."),
                   project_dir);
      return FALSE;
    }

  if (!g_file_test (package_json, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NOT_A_PROJECT,
                   _("%s has no package.json, so the Convex CLI will not run there. Open the folder of your Convex project."),
                   project_dir);
      return FALSE;
    }

  if (!package_json_lists_convex (package_json))
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NOT_A_PROJECT,
                   _("The package.json in %s does not list convex. Run npm install convex in that folder, or open your Convex project."),
                   project_dir);
      return FALSE;
    }

  if (!g_file_test (module, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_CONVEX_MISSING,
                   _("The Convex CLI is not installed in %s. Run npm install in that folder."),
                   project_dir);
      return FALSE;
    }

  return TRUE;
}

static gboolean
find_tools (const char * const  *envp,
            char               **out_npx,
            GError             **error)
{
  g_autofree char *node = find_in_path (envp, "node");
  g_autofree char *npx = NULL;

  if (node == NULL)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NODE_MISSING,
                   _("Node.js was not found. Install Node.js %d or newer, then try again."),
                   NODE_MIN_MAJOR);
      return FALSE;
    }

  npx = find_in_path (envp, "npx");
  if (npx == NULL)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NPX_MISSING,
                   _("npx was not found next to Node.js. Install Node.js %d or newer (it includes npm and npx), then try again."),
                   NODE_MIN_MAJOR);
      return FALSE;
    }

  *out_npx = g_steal_pointer (&npx);
  return TRUE;
}

/* --- environment and target --- */

static GStrv
child_environ (CmgCliCommand *self)
{
  g_auto(GStrv) base = self->base_environ ? g_strdupv (self->base_environ) : g_get_environ ();
  GPtrArray *env = g_ptr_array_new ();

  /* Any inherited CONVEX_* could override or contradict the target the app passes. */
  for (guint i = 0; base[i]; i++)
    if (!g_str_has_prefix (base[i], "CONVEX_"))
      g_ptr_array_add (env, g_strdup (base[i]));
  g_ptr_array_add (env, NULL);

  {
    GStrv result = (GStrv)g_ptr_array_free (env, FALSE);

    for (guint i = 0; self->extra_env[i]; i++)
      {
        const char *eq = strchr (self->extra_env[i], '=');
        g_autofree char *key = g_strndup (self->extra_env[i], eq - self->extra_env[i]);

        result = g_environ_setenv (result, key, eq + 1, TRUE);
      }

    if (self->ci)
      result = g_environ_setenv (result, "CI", "1", TRUE);

    return result;
  }
}

static void
add_var (CmgCliCommand *self,
         const char    *key,
         const char    *value)
{
  g_ptr_array_add (self->target_vars, g_strdup_printf ("%s=%s", key, value));
}

static void
add_secret (CmgCliCommand *self,
            const char    *secret)
{
  guint n = self->secrets ? g_strv_length (self->secrets) : 0;

  self->secrets = g_renew (char *, self->secrets, n + 2);
  self->secrets[n] = g_strdup (secret);
  self->secrets[n + 1] = NULL;
}

static char *
convex_deployment_value (CmgDeployment *deployment)
{
  CmgDeploymentType type = cmg_deployment_get_deployment_type (deployment);
  const char *name = cmg_deployment_get_name (deployment);

  if (name == NULL)
    return NULL;

  switch (type)
    {
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_PROD:
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
      return g_strdup_printf ("%s:%s", cmg_deployment_type_to_string (type), name);
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    default:
      return g_strdup (name);  /* legacy: no prefix */
    }
}

static gboolean
no_target (GError     **error,
           const char  *why)
{
  g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NO_TARGET, "%s", why);
  return FALSE;
}

static gboolean
add_self_hosted (CmgCliCommand  *self,
                 CmgDeployment  *deployment,
                 const char     *admin_key,
                 GError        **error)
{
  const char *url = deployment ? cmg_deployment_get_url (deployment) : NULL;

  if (url == NULL || admin_key == NULL || *admin_key == '\0')
    return no_target (error, _("This connection lacks its URL or admin key. Edit the connection and enter both."));

  add_var (self, "CONVEX_SELF_HOSTED_URL", url);
  add_var (self, "CONVEX_SELF_HOSTED_ADMIN_KEY", admin_key);
  add_secret (self, admin_key);
  return TRUE;
}

static gboolean
add_resolved_target (CmgCliCommand  *self,
                     CmgDeployment  *deployment,
                     const char     *secret,
                     GError        **error)
{
  g_autofree char *value = NULL;

  switch (cmg_deployment_get_via (deployment))
    {
    case CMG_TARGET_VIA_DEPLOY_KEY:
      if (secret == NULL || *secret == '\0')
        return no_target (error, _("The project's deploy key could not be read. Check CONVEX_DEPLOY_KEY in the project's env files."));
      add_var (self, "CONVEX_DEPLOY_KEY", secret);
      add_secret (self, secret);
      return TRUE;

    case CMG_TARGET_VIA_SELF_HOSTED:
      return add_self_hosted (self, deployment, secret, error);

    case CMG_TARGET_VIA_CONVEX_DEPLOYMENT:
    case CMG_TARGET_VIA_PROD_FLAG:
      value = convex_deployment_value (deployment);
      if (value == NULL)
        break;
      add_var (self, "CONVEX_DEPLOYMENT", value);
      return TRUE;

    case CMG_TARGET_VIA_DEPLOYMENT_FLAG:
    case CMG_TARGET_VIA_NONE:
    default:
      break;
    }

  return no_target (error, _("This project does not name a deployment. Run npx convex dev in it once, or choose another connection."));
}

static gboolean
build_target (CmgCliCommand  *self,
              GError        **error)
{
  CmgConnection *connection = self->connection;
  CmgDeployment *deployment = cmg_connection_get_deployment (connection);
  CmgTargetResolution *resolution = cmg_connection_get_resolution (connection);
  const char *secret = cmg_connection_get_secret (connection);

  switch (cmg_connection_get_kind (connection))
    {
    case CMG_CONNECTION_KIND_PROJECT_TARGET:
      if (deployment == NULL && resolution != NULL)
        deployment = cmg_target_resolution_get_target (resolution);
      if (deployment == NULL)
        return no_target (error, _("This project does not name a deployment. Run npx convex dev in it once, or choose another connection."));
      if (secret == NULL && resolution != NULL)
        secret = cmg_target_resolution_get_secret (resolution);
      return add_resolved_target (self, deployment, secret, error);

    case CMG_CONNECTION_KIND_PROJECT_PROD:
      {
        CmgDeployment *project_target = resolution ? cmg_target_resolution_get_target (resolution) : NULL;
        g_autofree char *value = project_target ? convex_deployment_value (project_target) : NULL;

        /* Under a deploy key the CLI ignores --prod and goes to the key's deployment: pass what
         * really happens (the connection shows it as a conflict). */
        if (project_target != NULL && cmg_deployment_get_via (project_target) == CMG_TARGET_VIA_DEPLOY_KEY)
          return add_resolved_target (self, project_target, secret ? secret : cmg_target_resolution_get_secret (resolution), error);

        if (value == NULL || cmg_deployment_get_via (project_target) != CMG_TARGET_VIA_CONVEX_DEPLOYMENT)
          return no_target (error, _("This project has no CONVEX_DEPLOYMENT, so its production deployment is unknown. Run npx convex dev in it once."));
        add_var (self, "CONVEX_DEPLOYMENT", value);
        g_ptr_array_add (self->target_flags, g_strdup ("--prod"));
        return TRUE;
      }

    case CMG_CONNECTION_KIND_PROJECT_LOCAL:
      if (deployment == NULL && resolution != NULL)
        deployment = cmg_target_resolution_get_local_deployment (resolution);
      if (secret == NULL && resolution != NULL)
        secret = cmg_target_resolution_get_local_admin_key (resolution);
      /* The URL and admin key of .convex/local: no control plane, no login. */
      return add_self_hosted (self, deployment, secret, error);

    case CMG_CONNECTION_KIND_DEPLOYMENT:
      {
        const char *id = cmg_connection_get_id (connection);
        const char *ref = NULL;

        if (id != NULL && g_str_has_prefix (id, "deployment:"))
          ref = id + strlen ("deployment:");
        else if (deployment != NULL)
          ref = cmg_deployment_get_name (deployment);
        if (ref == NULL || *ref == '\0')
          return no_target (error, _("This connection names no deployment. Edit it and enter a deployment name."));
        g_ptr_array_add (self->target_flags, g_strdup ("--deployment"));
        g_ptr_array_add (self->target_flags, g_strdup (ref));
        return TRUE;
      }

    case CMG_CONNECTION_KIND_DEPLOY_KEY:
      if (secret == NULL || *secret == '\0')
        return no_target (error, _("This connection has no deploy key. Paste the key again."));
      add_var (self, "CONVEX_DEPLOY_KEY", secret);
      add_secret (self, secret);
      return TRUE;

    case CMG_CONNECTION_KIND_SELF_HOSTED:
      return add_self_hosted (self, deployment, secret, error);

    default:
      break;
    }

  return no_target (error, _("This connection cannot be used to run the Convex CLI."));
}

/* --- the env file --- */

char *
cmg_cli_command_dup_env_dir (void)
{
  return g_build_filename (g_get_user_runtime_dir (), "convex-migrate", NULL);
}

static gboolean
value_is_plain (const char *value)
{
  for (const char *p = value; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_.:/|+=@%,", *p) == NULL)
      return FALSE;
  return TRUE;
}

static gboolean
write_env_file (CmgCliCommand  *self,
                GError        **error)
{
  g_autofree char *dir = cmg_cli_command_dup_env_dir ();
  g_autofree char *template = NULL;
  g_autoptr(GString) content = g_string_new ("# Written by Convex Migrate for one run of the Convex CLI; removed when it ends.\n");
  int fd;

  for (guint i = 0; i < self->target_vars->len; i++)
    {
      const char *line = g_ptr_array_index (self->target_vars, i);
      const char *eq = strchr (line, '=');

      if (strpbrk (line, "\n\r\"\\") != NULL)
        {
          g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_NO_TARGET,
                       _("The connection's URL or key contains characters the Convex CLI cannot read. Enter it again."));
          return FALSE;
        }

      if (value_is_plain (eq + 1))
        g_string_append_printf (content, "%s\n", line);
      else
        g_string_append_printf (content, "%.*s=\"%s\"\n", (int)(eq - line), line, eq + 1);
    }

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_ENV_FILE,
                   _("Could not create the folder %s for the CLI's settings: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  template = g_strdup_printf ("%s/" ENV_FILE_PREFIX "%d-XXXXXX" ENV_FILE_SUFFIX, dir, (int)getpid ());
  fd = g_mkstemp_full (template, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_ENV_FILE,
                   _("Could not write the CLI's settings to %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  /* The file exists from here on: cleanup() removes it even if writing fails. */
  self->env_file = g_strdup (template);

  {
    gsize done = 0;

    while (done < content->len)
      {
        gssize n = write (fd, content->str + done, content->len - done);

        if (n < 0 && errno == EINTR)
          continue;
        if (n <= 0)
          {
            int saved = errno;

            close (fd);
            g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_ENV_FILE,
                         _("Could not write the CLI's settings to %s: %s"), self->env_file, g_strerror (saved));
            return FALSE;
          }
        done += (gsize)n;
      }
  }

  if (close (fd) != 0)
    {
      int saved = errno;

      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_ENV_FILE,
                   _("Could not write the CLI's settings to %s: %s"), self->env_file, g_strerror (saved));
      return FALSE;
    }

  return TRUE;
}

void
cmg_cli_command_cleanup (CmgCliCommand *self)
{
  g_return_if_fail (CMG_IS_CLI_COMMAND (self));

  if (self->env_file != NULL)
    {
      g_unlink (self->env_file);
      g_clear_pointer (&self->env_file, g_free);
    }
}

void
cmg_cli_command_remove_stale_env_files (void)
{
  g_autofree char *dir_path = cmg_cli_command_dup_env_dir ();
  g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      const char *p;
      char *end = NULL;
      long pid;

      if (!g_str_has_prefix (name, ENV_FILE_PREFIX) || !g_str_has_suffix (name, ENV_FILE_SUFFIX))
        continue;

      p = name + strlen (ENV_FILE_PREFIX);
      pid = strtol (p, &end, 10);
      if (end == p || *end != '-' || pid <= 0)
        continue;

      /* A live process (this app, or another instance of it) still needs its file. */
      if (kill ((pid_t)pid, 0) == 0 || errno == EPERM)
        continue;

      {
        g_autofree char *path = g_build_filename (dir_path, name, NULL);

        g_unlink (path);
      }
    }
}

/* --- argv --- */

static const char *
format_flag (CmgCliImportFormat format)
{
  switch (format)
    {
    case CMG_CLI_IMPORT_FORMAT_CSV:
      return "csv";
    case CMG_CLI_IMPORT_FORMAT_JSON_LINES:
      return "jsonLines";
    case CMG_CLI_IMPORT_FORMAT_JSON_ARRAY:
      return "jsonArray";
    case CMG_CLI_IMPORT_FORMAT_ZIP:
      return "zip";
    case CMG_CLI_IMPORT_FORMAT_AUTO:
    default:
      return NULL;
    }
}

static CmgCliImportFormat
format_from_extension (const char *path)
{
  g_autofree char *lower = g_ascii_strdown (path, -1);

  if (g_str_has_suffix (lower, ".zip"))
    return CMG_CLI_IMPORT_FORMAT_ZIP;
  if (g_str_has_suffix (lower, ".jsonl"))
    return CMG_CLI_IMPORT_FORMAT_JSON_LINES;
  if (g_str_has_suffix (lower, ".json"))
    return CMG_CLI_IMPORT_FORMAT_JSON_ARRAY;
  if (g_str_has_suffix (lower, ".csv"))
    return CMG_CLI_IMPORT_FORMAT_CSV;
  return CMG_CLI_IMPORT_FORMAT_AUTO;
}

static gboolean
check_import_plan (CmgCliCommand  *self,
                   GError        **error)
{
  CmgCliImportFormat format = self->format;

  if (format == CMG_CLI_IMPORT_FORMAT_AUTO)
    format = format_from_extension (self->path);

  if (format == CMG_CLI_IMPORT_FORMAT_AUTO)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_INVALID_PLAN,
                   _("The name of %s does not tell its format. Choose the format: ZIP, JSON Lines, JSON array or CSV."),
                   self->path);
      return FALSE;
    }

  if (format == CMG_CLI_IMPORT_FORMAT_ZIP && self->table != NULL)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_INVALID_PLAN,
                   _("A ZIP snapshot names its own tables: leave the table name empty."));
      return FALSE;
    }

  if (format != CMG_CLI_IMPORT_FORMAT_ZIP && self->table == NULL)
    {
      g_set_error (error, CMG_CLI_ERROR, CMG_CLI_ERROR_INVALID_PLAN,
                   _("Choose the table to import %s into."), self->path);
      return FALSE;
    }

  return TRUE;
}

static void
push (GPtrArray  *argv,
      const char *arg)
{
  g_ptr_array_add (argv, g_strdup (arg));
}

/* The CLI's own arguments, without the program and without --env-file. */
static GPtrArray *
cli_arguments (CmgCliCommand *self)
{
  GPtrArray *args = g_ptr_array_new_with_free_func (g_free);

  switch (self->action)
    {
    case CMG_CLI_ACTION_VERSION:
      push (args, "--version");
      break;

    case CMG_CLI_ACTION_EXPORT:
      push (args, "export");
      push (args, "--path");
      push (args, self->path);
      if (self->include_file_storage)
        push (args, "--include-file-storage");
      break;

    case CMG_CLI_ACTION_IMPORT:
      push (args, "import");
      if (self->mode == CMG_CLI_IMPORT_MODE_APPEND)
        push (args, "--append");
      else if (self->mode == CMG_CLI_IMPORT_MODE_REPLACE)
        push (args, "--replace");
      else if (self->mode == CMG_CLI_IMPORT_MODE_REPLACE_ALL)
        push (args, "--replace-all");
      if (self->table)
        {
          push (args, "--table");
          push (args, self->table);
        }
      if (format_flag (self->format))
        {
          push (args, "--format");
          push (args, format_flag (self->format));
        }
      if (self->component)
        {
          push (args, "--component");
          push (args, self->component);
        }
      if (self->confirmed)
        push (args, "--yes");
      break;

    default:
      g_assert_not_reached ();
    }

  if (self->action != CMG_CLI_ACTION_VERSION)
    for (guint i = 0; i < self->target_flags->len; i++)
      push (args, g_ptr_array_index (self->target_flags, i));

  if (self->action == CMG_CLI_ACTION_IMPORT)
    push (args, self->path);

  return args;
}

gboolean
cmg_cli_command_prepare (CmgCliCommand  *self,
                         GError        **error)
{
  g_autoptr(GPtrArray) argv = NULL;
  g_autoptr(GPtrArray) args = NULL;
  g_autofree char *npx = NULL;
  g_auto(GStrv) envp = NULL;

  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), FALSE);

  /* prepare() twice starts afresh. */
  cmg_cli_command_cleanup (self);
  g_clear_pointer (&self->argv, g_strfreev);
  g_clear_pointer (&self->envp, g_strfreev);
  g_clear_pointer (&self->secrets, g_strfreev);
  g_clear_pointer (&self->target_vars, g_ptr_array_unref);
  g_clear_pointer (&self->target_flags, g_ptr_array_unref);
  self->target_vars = g_ptr_array_new_with_free_func (g_free);
  self->target_flags = g_ptr_array_new_with_free_func (g_free);

  envp = child_environ (self);

  if (self->program == NULL)
    {
      if (!find_tools ((const char * const *)envp, &npx, error))
        return FALSE;
      if (!check_project (self->project_dir, error))
        return FALSE;
    }

  if (self->action == CMG_CLI_ACTION_IMPORT && !check_import_plan (self, error))
    return FALSE;

  if (self->action != CMG_CLI_ACTION_VERSION)
    {
      if (!build_target (self, error))
        return FALSE;
      if (!write_env_file (self, error))
        return FALSE;
    }

  argv = g_ptr_array_new_with_free_func (g_free);
  if (self->program != NULL)
    for (guint i = 0; self->program[i]; i++)
      push (argv, self->program[i]);
  else
    {
      push (argv, npx);
      push (argv, "convex");
    }

  args = cli_arguments (self);
  for (guint i = 0; i < args->len; i++)
    push (argv, g_ptr_array_index (args, i));

  if (self->env_file != NULL)
    {
      /* Only this file is read: .env.local and .env of the project cannot change the target. */
      push (argv, "--env-file");
      push (argv, self->env_file);
    }
  g_ptr_array_add (argv, NULL);

  self->argv = (GStrv)g_ptr_array_free (g_steal_pointer (&argv), FALSE);
  self->envp = g_steal_pointer (&envp);
  return TRUE;
}

/* --- display --- */

static void
append_word (GString    *line,
             const char *word)
{
  gboolean plain = *word != '\0';

  for (const char *p = word; *p; p++)
    if (!g_ascii_isalnum (*p) && strchr ("-_./:=@%+,", *p) == NULL)
      {
        plain = FALSE;
        break;
      }

  if (line->len > 0)
    g_string_append_c (line, ' ');

  if (plain)
    g_string_append (line, word);
  else
    {
      g_autofree char *quoted = g_shell_quote (word);

      g_string_append (line, quoted);
    }
}

char *
cmg_cli_command_dup_display (CmgCliCommand *self)
{
  g_autoptr(CmgRedactor) redactor = cmg_redactor_new ();
  g_autoptr(GString) line = g_string_new (NULL);
  g_autoptr(GPtrArray) args = NULL;

  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);

  if (self->secrets)
    for (guint i = 0; self->secrets[i]; i++)
      cmg_redactor_add_secret (redactor, self->secrets[i]);

  append_word (line, "cd");
  append_word (line, self->project_dir);
  g_string_append (line, " &&");

  if (self->ci)
    append_word (line, "CI=1");

  if (self->target_vars != NULL)
    for (guint i = 0; i < self->target_vars->len; i++)
      {
        const char *var = g_ptr_array_index (self->target_vars, i);
        const char *eq = strchr (var, '=');
        g_autofree char *value = g_strdup (eq + 1);
        g_autofree char *masked = NULL;
        g_autofree char *quoted = NULL;

        if (self->secrets != NULL && g_strv_contains ((const char * const *)self->secrets, value))
          masked = cmg_redactor_mask_secret (value);
        else
          masked = g_steal_pointer (&value);

        quoted = g_shell_quote (masked);
        g_string_append_printf (line, " %.*s=%s", (int)(eq - var), var, quoted);
      }

  if (self->program != NULL)
    for (guint i = 0; self->program[i]; i++)
      append_word (line, self->program[i]);
  else
    {
      append_word (line, "npx");
      append_word (line, "convex");
    }

  if (self->target_flags == NULL)
    {
      /* Not prepared: show the plan's own arguments. */
      self->target_flags = g_ptr_array_new_with_free_func (g_free);
    }

  args = cli_arguments (self);
  for (guint i = 0; i < args->len; i++)
    append_word (line, g_ptr_array_index (args, i));

  /* Belt and braces: a secret must never leave through this line. */
  return cmg_redactor_redact (redactor, line->str);
}

char *
cmg_cli_command_dup_target_name (CmgCliCommand *self)
{
  CmgDeployment *deployment;

  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);

  if (self->connection == NULL)
    return NULL;

  deployment = cmg_connection_get_deployment (self->connection);
  if (deployment == NULL && cmg_connection_get_resolution (self->connection) != NULL)
    deployment = cmg_target_resolution_get_target (cmg_connection_get_resolution (self->connection));

  if (deployment != NULL)
    return cmg_deployment_dup_display_name (deployment);

  return g_strdup (cmg_connection_get_title (self->connection));
}

const char *
cmg_cli_command_get_target_type (CmgCliCommand *self)
{
  CmgDeployment *deployment;

  g_return_val_if_fail (CMG_IS_CLI_COMMAND (self), NULL);

  if (self->connection == NULL)
    return NULL;

  deployment = cmg_connection_get_deployment (self->connection);
  if (deployment == NULL && cmg_connection_get_resolution (self->connection) != NULL)
    deployment = cmg_target_resolution_get_target (cmg_connection_get_resolution (self->connection));
  if (deployment == NULL)
    return NULL;

  return cmg_deployment_type_to_string (cmg_deployment_get_deployment_type (deployment));
}

/* --- version --- */

typedef struct {
  char  *project_dir;
  GStrv  environ;
} VersionData;

static void
version_data_free (VersionData *data)
{
  g_free (data->project_dir);
  g_strfreev (data->environ);
  g_free (data);
}

static char *
run_for_output (const char * const  *argv,
                const char * const  *envp,
                const char          *cwd,
                GCancellable        *cancellable,
                GError             **error)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                                       G_SUBPROCESS_FLAGS_STDERR_SILENCE |
                                                                       G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *out = NULL;

  g_subprocess_launcher_set_environ (launcher, (char **)envp);
  g_subprocess_launcher_set_cwd (launcher, cwd);
  process = g_subprocess_launcher_spawnv (launcher, argv, error);
  if (process == NULL)
    return NULL;
  if (!g_subprocess_communicate_utf8 (process, NULL, cancellable, &out, NULL, error))
    return NULL;
  return g_steal_pointer (&out);
}

static char *
last_version_line (const char *out)
{
  g_auto(GStrv) lines = g_strsplit (out ? out : "", "\n", 0);

  for (int i = (int)g_strv_length (lines) - 1; i >= 0; i--)
    {
      char *l = g_strstrip (lines[i]);

      if (*l == 'v')
        l++;
      if (g_ascii_isdigit (*l) && strchr (l, '.') != NULL && strchr (l, ' ') == NULL)
        return g_strdup (l);
    }

  return NULL;
}

static void
read_version_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  VersionData *data = task_data;
  g_autoptr(CmgCliCommand) command = cmg_cli_command_new_version (data->project_dir);
  g_autoptr(GError) error = NULL;
  g_autofree char *node_out = NULL;
  g_autofree char *node_version = NULL;
  g_autofree char *node_path = NULL;
  g_autofree char *out = NULL;
  char *version;

  if (data->environ)
    cmg_cli_command_set_base_environ (command, (const char * const *)data->environ);

  if (!cmg_cli_command_prepare (command, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node_path = find_in_path (cmg_cli_command_get_envp (command), "node");
  {
    const char * const node_argv[] = { node_path, "--version", NULL };

    node_out = run_for_output (node_argv, cmg_cli_command_get_envp (command),
                               data->project_dir, cancellable, &error);
  }
  if (node_out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node_version = last_version_line (node_out);
  if (node_version == NULL || atoi (node_version) < NODE_MIN_MAJOR)
    {
      g_task_return_new_error (task, CMG_CLI_ERROR, CMG_CLI_ERROR_NODE_MISSING,
                               _("Node.js %s is too old for the Convex CLI. Install Node.js %d or newer."),
                               node_version ? node_version : "?", NODE_MIN_MAJOR);
      return;
    }

  out = run_for_output (cmg_cli_command_get_argv (command), cmg_cli_command_get_envp (command),
                        data->project_dir, cancellable, &error);
  if (out == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  version = last_version_line (out);
  if (version == NULL)
    {
      g_task_return_new_error (task, CMG_CLI_ERROR, CMG_CLI_ERROR_VERSION,
                               _("npx convex --version printed no version. Run npm install in %s and try again."),
                               data->project_dir);
      return;
    }

  g_task_return_pointer (task, version, g_free);
}

void
cmg_cli_read_version_async (const char          *project_dir,
                            const char * const  *environ_,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  VersionData *data = g_new0 (VersionData, 1);

  g_return_if_fail (project_dir != NULL);

  data->project_dir = g_strdup (project_dir);
  data->environ = g_strdupv ((char **)environ_);
  g_task_set_source_tag (task, cmg_cli_read_version_async);
  g_task_set_task_data (task, data, (GDestroyNotify)version_data_free);
  g_task_run_in_thread (task, read_version_thread);
}

char *
cmg_cli_read_version_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
