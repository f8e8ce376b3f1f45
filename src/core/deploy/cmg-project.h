/* cmg-project.h: a folder the user opened, and whether the Convex CLI can run there. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define CMG_TYPE_PROJECT (cmg_project_get_type ())
G_DECLARE_FINAL_TYPE (CmgProject, cmg_project, CMG, PROJECT, GObject)

/* Blocking (a few small files). Fails only when the folder cannot be read at all (missing, not a
 * folder, permission denied); a folder that is not a Convex project opens and says so. */
CmgProject *cmg_project_open (GFile *dir, GError **error);
void        cmg_project_open_async (GFile               *dir,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data);
CmgProject *cmg_project_open_finish (GAsyncResult *result, GError **error);

GFile      *cmg_project_get_dir (CmgProject *self);
const char *cmg_project_get_path (CmgProject *self);
/* package.json "name", else the folder's name */
const char *cmg_project_get_name (CmgProject *self);
gboolean    cmg_project_has_package_json (CmgProject *self);
/* package.json lists `convex` in dependencies, devDependencies or peerDependencies */
gboolean    cmg_project_lists_convex (CmgProject *self);
gboolean    cmg_project_has_convex_dir (CmgProject *self);
gboolean    cmg_project_has_convex_module (CmgProject *self);  /* node_modules/convex */
/* lists_convex: the CLI's import/export will run from this folder */
gboolean    cmg_project_is_convex (CmgProject *self);
/* Translated sentence for the first thing that stops the CLI here ("This folder is not a Convex
 * project: its package.json does not list convex.", "Run npm install in this folder: …"), or NULL. */
const char *cmg_project_get_problem (CmgProject *self);

G_END_DECLS
