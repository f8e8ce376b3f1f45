/* cmg-project.c: see cmg-project.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cmg-deploy-error.h"
#include "cmg-project.h"

/* package.json files are small; a bigger one is not worth reading to find `convex`. */
#define PACKAGE_JSON_MAX_SIZE (1024 * 1024)

struct _CmgProject
{
  GObject   parent_instance;

  GFile    *dir;
  char     *path;
  char     *name;
  char     *problem;

  guint     has_package_json : 1;
  guint     lists_convex : 1;
  guint     has_convex_dir : 1;
  guint     has_convex_module : 1;
};

G_DEFINE_FINAL_TYPE (CmgProject, cmg_project, G_TYPE_OBJECT)

static void
cmg_project_finalize (GObject *object)
{
  CmgProject *self = (CmgProject *)object;

  g_clear_object (&self->dir);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->problem, g_free);

  G_OBJECT_CLASS (cmg_project_parent_class)->finalize (object);
}

static void
cmg_project_class_init (CmgProjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_project_finalize;
}

static void
cmg_project_init (CmgProject *self)
{
}

static gboolean
child_is_directory (GFile      *dir,
                    const char *relative)
{
  g_autoptr(GFile) child = g_file_resolve_relative_path (dir, relative);

  return g_file_query_file_type (child, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_DIRECTORY;
}

static gboolean
object_has_member (JsonObject *root,
                   const char *section,
                   const char *member)
{
  JsonNode *node = json_object_get_member (root, section);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;

  return json_object_has_member (json_node_get_object (node), member);
}

/* Reads package.json; on trouble sets self->problem and returns. */
static void
read_package_json (CmgProject *self)
{
  g_autoptr(GFile) file = g_file_get_child (self->dir, "package.json");
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonObject *object;
  JsonNode *name_node;

  info = g_file_query_info (file,
                            G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                            G_FILE_QUERY_INFO_NONE, NULL, &error);
  if (info == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        self->problem = g_strdup (_("This folder is not a Convex project: it has no package.json. "
                                    "Open the folder that holds your app’s package.json."));
      else
        self->problem = g_strdup_printf (_("The package.json of this folder cannot be read: %s"),
                                         error->message);
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      self->problem = g_strdup (_("This folder is not a Convex project: its package.json is not a file."));
      return;
    }

  self->has_package_json = TRUE;

  if (g_file_info_get_size (info) > PACKAGE_JSON_MAX_SIZE)
    {
      self->problem = g_strdup (_("The package.json of this folder is larger than 1 MiB and was not read. "
                                  "Check that it is the right file."));
      return;
    }

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, &error))
    {
      self->problem = g_strdup_printf (_("The package.json of this folder cannot be read: %s"),
                                       error->message);
      return;
    }

  /* The file may have grown since we queried its size. */
  if (length > PACKAGE_JSON_MAX_SIZE)
    {
      self->problem = g_strdup (_("The package.json of this folder is larger than 1 MiB and was not read. "
                                  "Check that it is the right file."));
      return;
    }

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, contents, length, &error))
    {
      self->problem = g_strdup_printf (_("The package.json of this folder is not valid JSON (%s). "
                                         "Fix it before running the Convex CLI here."),
                                       error->message);
      return;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      self->problem = g_strdup (_("The package.json of this folder does not hold a JSON object. "
                                  "Fix it before running the Convex CLI here."));
      return;
    }

  object = json_node_get_object (root);

  name_node = json_object_get_member (object, "name");
  if (name_node != NULL && JSON_NODE_HOLDS_VALUE (name_node)
      && json_node_get_value_type (name_node) == G_TYPE_STRING
      && *json_node_get_string (name_node) != '\0')
    {
      g_free (self->name);
      self->name = g_strdup (json_node_get_string (name_node));
    }

  self->lists_convex = object_has_member (object, "dependencies", "convex")
                       || object_has_member (object, "devDependencies", "convex")
                       || object_has_member (object, "peerDependencies", "convex");

  if (!self->lists_convex)
    self->problem = g_strdup (_("This folder is not a Convex project: its package.json does not list convex. "
                                "Add it with npm install convex, or open the folder of your Convex app."));
}

static CmgProject *
project_open (GFile         *dir,
              GCancellable  *cancellable,
              GError       **error)
{
  g_autoptr(CmgProject) self = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  g_autofree char *display = NULL;

  display = g_file_get_parse_name (dir);

  info = g_file_query_info (dir, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                            cancellable, &local_error);
  if (info == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_FOUND,
                     _("The folder “%s” does not exist. Check the path, or choose another folder."),
                     display);
      else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE,
                     _("The folder “%s” cannot be read: %s"), display, local_error->message);
      return NULL;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_DIRECTORY)
    {
      g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_A_DIRECTORY,
                   _("“%s” is not a folder. Choose the folder of your Convex app."), display);
      return NULL;
    }

  /* Listing proves the folder is readable (permission denied shows up here, not in the query). */
  enumerator = g_file_enumerate_children (dir, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                          G_FILE_QUERY_INFO_NONE, cancellable, &local_error);
  if (enumerator == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE,
                     _("The folder “%s” cannot be read: %s"), display, local_error->message);
      return NULL;
    }
  g_file_enumerator_close (enumerator, NULL, NULL);

  self = g_object_new (CMG_TYPE_PROJECT, NULL);
  self->dir = g_object_ref (dir);
  self->path = g_file_get_path (dir);
  if (self->path == NULL)
    self->path = g_strdup (display);
  self->name = g_file_get_basename (dir);

  read_package_json (self);
  self->has_convex_dir = child_is_directory (dir, "convex");
  self->has_convex_module = child_is_directory (dir, "node_modules/convex");

  if (self->problem == NULL && !self->has_convex_module)
    self->problem = g_strdup (_("Run npm install in this folder: the convex package is listed in "
                                "package.json but not installed, so npx would download it first."));

  return g_steal_pointer (&self);
}

CmgProject *
cmg_project_open (GFile   *dir,
                  GError **error)
{
  g_return_val_if_fail (G_IS_FILE (dir), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return project_open (dir, NULL, error);
}

static void
project_open_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  GError *error = NULL;
  CmgProject *project;

  project = project_open (G_FILE (task_data), cancellable, &error);
  if (project == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, project, g_object_unref);
}

void
cmg_project_open_async (GFile               *dir,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (G_IS_FILE (dir));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_project_open_async);
  g_task_set_task_data (task, g_object_ref (dir), g_object_unref);
  g_task_run_in_thread (task, project_open_thread);
}

CmgProject *
cmg_project_open_finish (GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == cmg_project_open_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GFile *
cmg_project_get_dir (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), NULL);
  return self->dir;
}

const char *
cmg_project_get_path (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), NULL);
  return self->path;
}

const char *
cmg_project_get_name (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), NULL);
  return self->name;
}

gboolean
cmg_project_has_package_json (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), FALSE);
  return self->has_package_json;
}

gboolean
cmg_project_lists_convex (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), FALSE);
  return self->lists_convex;
}

gboolean
cmg_project_has_convex_dir (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), FALSE);
  return self->has_convex_dir;
}

gboolean
cmg_project_has_convex_module (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), FALSE);
  return self->has_convex_module;
}

gboolean
cmg_project_is_convex (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), FALSE);
  return self->lists_convex;
}

const char *
cmg_project_get_problem (CmgProject *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT (self), NULL);
  return self->problem;
}
