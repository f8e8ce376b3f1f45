/* cmg-window.c: the main window: header bar, deployment banner, content. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-activity-page.h"
#include "browser/cmg-archive-browser.h"
#include "browser/cmg-archive-view.h"
#include "cmg-connection-switcher.h"
#include "cmg-deploy-error.h"
#include "cmg-export-page.h"
#include "assistant/cmg-import-assistant.h"
#include "cmg-deployment-banner.h"
#include "cmg-file-chooser.h"
#include "cmg-project-page.h"
#include "cmg-target-details-window.h"
#include "cmg-welcome-page.h"
#include "cmg-window.h"

#define MAX_RECENT_PROJECTS 10

struct _CmgWindow
{
  GtkApplicationWindow   parent_instance;

  GSettings             *settings;
  GCancellable          *open_cancellable;
  CmgProject            *project;
  CmgTargetResolution   *resolution;
  /* The connection to select once the project being opened is loaded (reload keeps it). */
  char                  *keep_connection_id;
  gboolean               loading;
  /* Set while the switcher is refilled, so that its default choice is not remembered. */
  gboolean               restoring;

  GtkLabel              *title_label;
  CmgConnectionSwitcher *switcher;
  GtkSpinner            *spinner;
  GMenu                 *recent_section;
  GtkRevealer           *error_revealer;
  GtkLabel              *error_label;
  CmgDeploymentBanner   *banner;
  GtkStack              *stack;
  GtkStack              *pages;
  GtkStackPage          *project_stack_page;
  GtkStackPage          *export_stack_page;
  GtkStackPage          *import_stack_page;
  CmgImportAssistant    *import_assistant;
  CmgWelcomePage        *welcome_page;
  CmgProjectPage        *project_page;
  CmgArchiveBrowser     *archive_browser;
  CmgExportPage         *export_page;
  CmgActivityPage       *activity_page;
  CmgRunHistory         *history;
};

G_DEFINE_FINAL_TYPE (CmgWindow, cmg_window, GTK_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_loading (CmgWindow *self,
             gboolean   loading)
{
  if (self->loading == loading)
    return;

  self->loading = loading;
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), loading);
  gtk_spinner_set_spinning (self->spinner, loading);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

void
cmg_window_show_error (CmgWindow  *self,
                       const char *message)
{
  g_return_if_fail (CMG_IS_WINDOW (self));

  gtk_label_set_label (self->error_label, message ? message : "");
  /* The label shows three lines at most; the whole sentence is a hover away. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->error_label), message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_revealer),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, message ? message : "",
                                  -1);
}

const char *
cmg_window_get_error (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->error_revealer))
    return NULL;
  return gtk_label_get_label (self->error_label);
}

/* Recent projects */

static void
add_recent_project (CmgWindow  *self,
                    const char *path)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) updated = NULL;
  guint n = 1;

  g_strv_builder_add (builder, path);
  for (guint i = 0; recent[i] != NULL && n < MAX_RECENT_PROJECTS; i++)
    {
      if (g_strcmp0 (recent[i], path) == 0)
        continue;
      g_strv_builder_add (builder, recent[i]);
      n++;
    }
  updated = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) updated);
}

static void
update_recent_menu (CmgWindow *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GMenu) submenu = g_menu_new ();

  g_menu_remove_all (self->recent_section);
  if (recent[0] == NULL)
    return;

  for (guint i = 0; recent[i] != NULL; i++)
    {
      g_autofree char *name = g_path_get_basename (recent[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (name, NULL);

      g_menu_item_set_action_and_target_value (item, "win.open-recent", g_variant_new_string (recent[i]));
      g_menu_append_item (submenu, item);
    }
  g_menu_append_submenu (self->recent_section, _("_Recent Projects"), G_MENU_MODEL (submenu));
}

/* Connections */

static void
remember_connection (CmgWindow     *self,
                     CmgConnection *connection)
{
  g_autoptr(GVariant) old = NULL;
  GVariantBuilder builder;
  GVariantIter iter;
  const char *key, *value;
  const char *path;

  if (self->project == NULL || connection == NULL)
    return;

  path = cmg_project_get_path (self->project);
  old = g_settings_get_value (self->settings, "last-connections");
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{ss}"));
  g_variant_iter_init (&iter, old);
  while (g_variant_iter_next (&iter, "{&s&s}", &key, &value))
    if (g_strcmp0 (key, path) != 0)
      g_variant_builder_add (&builder, "{ss}", key, value);
  g_variant_builder_add (&builder, "{ss}", path, cmg_connection_get_id (connection));
  g_settings_set_value (self->settings, "last-connections", g_variant_builder_end (&builder));
}

static char *
dup_remembered_connection (CmgWindow  *self,
                           const char *path)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "last-connections");
  char *id = NULL;

  if (!g_variant_lookup (value, path, "s", &id))
    return NULL;
  return id;
}

/* Points the import assistant at the window's connection (and source). A new target means a new
 * plan, with its own confirmation; an import that is running keeps the target it started with. */
static void
update_import_assistant (CmgWindow *self,
                         GFile     *source)
{
  CmgConnection *connection = cmg_connection_switcher_get_connection (self->switcher);
  CmgImportPlan *plan = cmg_import_assistant_get_plan (self->import_assistant);
  g_autoptr(GFile) keep = NULL;

  if (connection == NULL || self->project == NULL)
    return;
  if (plan != NULL && cmg_import_plan_get_running (plan))
    return;
  if (source == NULL && plan != NULL && !cmg_import_plan_get_finished (plan)
      && !cmg_import_plan_get_is_undo (plan))
    keep = g_object_ref (cmg_import_plan_get_source (plan));

  cmg_import_assistant_set_project_dir (self->import_assistant, cmg_project_get_path (self->project));
  cmg_import_assistant_start (self->import_assistant, connection, source != NULL ? source : keep);
}

static void
import_plan_created_cb (CmgWindow     *self,
                        CmgImportPlan *plan)
{
  /* Imports, backups and undos are runs like any other: the Activity page lists them. */
  cmg_import_plan_set_history (plan, self->history);
}

static void
connection_changed_cb (CmgWindow *self)
{
  CmgConnection *connection = cmg_connection_switcher_get_connection (self->switcher);

  cmg_deployment_banner_set_connection (self->banner, connection);
  cmg_project_page_set_connection (self->project_page, connection);
  cmg_export_page_set_connection (self->export_page, connection);
  update_import_assistant (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-target-details", connection != NULL);

  if (!self->restoring)
    remember_connection (self, connection);
}

/* Opening */

static void
open_failed (CmgWindow  *self,
             GFile      *dir,
             GError     *error)
{
  g_autofree char *name = g_file_get_parse_name (dir);
  g_autofree char *message = NULL;

  /* The deploy area's messages already name the folder and what to do. */
  if (error->domain == CMG_DEPLOY_ERROR)
    message = g_strdup (error->message);
  else
    /* Translators: a folder, then the reason it could not be opened */
    message = g_strdup_printf (_("Could not open “%s”. %s"), name, error->message);

  set_loading (self, FALSE);
  cmg_window_show_error (self, message);
}

static void
show_project (CmgWindow           *self,
              CmgTargetResolution *resolution)
{
  CmgProject *project = cmg_target_resolution_get_project (resolution);
  const char *path = cmg_project_get_path (project);
  g_autofree char *keep = g_steal_pointer (&self->keep_connection_id);
  g_autofree char *title = NULL;

  g_set_object (&self->project, project);
  g_set_object (&self->resolution, resolution);

  if (keep == NULL)
    keep = dup_remembered_connection (self, path);

  self->restoring = TRUE;
  cmg_connection_switcher_set_resolution (self->switcher, resolution);
  if (keep != NULL)
    cmg_connection_switcher_select_id (self->switcher, keep);
  self->restoring = FALSE;
  remember_connection (self, cmg_connection_switcher_get_connection (self->switcher));

  cmg_project_page_set_check (self->project_page, cmg_deployment_banner_get_check (self->banner));
  cmg_project_page_set_project (self->project_page, project);
  cmg_project_page_set_connection (self->project_page,
                                   cmg_connection_switcher_get_connection (self->switcher));

  cmg_export_page_set_project (self->export_page, project);
  cmg_export_page_set_connection (self->export_page,
                                  cmg_connection_switcher_get_connection (self->switcher));

  gtk_widget_set_visible (GTK_WIDGET (self->banner), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->switcher), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->title_label), FALSE);
  gtk_stack_page_set_visible (self->project_stack_page, TRUE);
  gtk_stack_page_set_visible (self->export_stack_page, TRUE);
  gtk_stack_page_set_visible (self->import_stack_page, TRUE);
  update_import_assistant (self, NULL);
  gtk_stack_set_visible_child_name (self->stack, "main");
  gtk_stack_set_visible_child_name (self->pages, "project");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", TRUE);

  /* Translators: the window title: a project name, then the application's name */
  title = g_strdup_printf (_("%s — Convex Migrate"), cmg_project_get_name (project));
  gtk_window_set_title (GTK_WINDOW (self), title);

  add_recent_project (self, path);
  cmg_window_show_error (self, NULL);
  set_loading (self, FALSE);
}

typedef struct
{
  CmgWindow *self;
  GFile     *dir;
} OpenData;

static void
open_data_free (OpenData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->dir);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenData, open_data_free)

static void
target_resolved_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OpenData) data = user_data;
  g_autoptr(CmgTargetResolution) resolution = NULL;
  g_autoptr(GError) error = NULL;

  resolution = cmg_target_resolve_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (resolution == NULL)
    {
      open_failed (data->self, data->dir, error);
      return;
    }

  show_project (data->self, resolution);
}

static void
project_opened_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(OpenData) data = user_data;
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) environ = NULL;
  GCancellable *cancellable;

  project = cmg_project_open_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (project == NULL)
    {
      open_failed (data->self, data->dir, error);
      return;
    }

  /* The CLI sees the environment the app was started with; so does the resolution. */
  environ = g_get_environ ();
  cancellable = data->self->open_cancellable;
  cmg_target_resolve_async (project,
                            (const char * const *) environ,
                            cancellable,
                            target_resolved_cb,
                            g_steal_pointer (&data));
}

void
cmg_window_open_project (CmgWindow *self,
                         GFile     *dir)
{
  OpenData *data;

  g_return_if_fail (CMG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (dir));

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);
  self->open_cancellable = g_cancellable_new ();

  set_loading (self, TRUE);

  data = g_new0 (OpenData, 1);
  data->self = g_object_ref (self);
  data->dir = g_object_ref (dir);
  cmg_project_open_async (dir, self->open_cancellable, project_opened_cb, data);
}

void
cmg_window_open_archive (CmgWindow *self,
                         GFile     *file)
{
  g_return_if_fail (CMG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  cmg_archive_browser_open (self->archive_browser, file);
  /* Archives need no project: the Project and Export pages wait for one. */
  gtk_stack_set_visible_child_name (self->stack, "main");
  gtk_stack_set_visible_child_name (self->pages, "archives");
}

void
cmg_window_open (CmgWindow *self,
                 GFile     *file)
{
  g_return_if_fail (CMG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  /* Files are archives; folders (and names that are gone, which then say so) are projects. */
  if (g_file_query_file_type (file, G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
    {
      cmg_window_open_archive (self, file);
      return;
    }
  g_clear_pointer (&self->keep_connection_id, g_free);
  cmg_window_open_project (self, file);
}

void
cmg_window_show_page (CmgWindow  *self,
                      const char *name)
{
  GtkWidget *child;

  g_return_if_fail (CMG_IS_WINDOW (self));
  g_return_if_fail (name != NULL);

  child = gtk_stack_get_child_by_name (self->pages, name);
  if (child == NULL || !gtk_stack_page_get_visible (gtk_stack_get_page (self->pages, child)))
    return;
  gtk_stack_set_visible_child (self->pages, child);
  gtk_stack_set_visible_child_name (self->stack, "main");
}

static void
export_open_archive_cb (CmgWindow *self,
                        GFile     *file)
{
  cmg_window_open_archive (self, file);
}

void
cmg_window_reload (CmgWindow *self)
{
  CmgConnection *connection;

  g_return_if_fail (CMG_IS_WINDOW (self));

  if (self->project == NULL)
    return;

  connection = cmg_connection_switcher_get_connection (self->switcher);
  g_free (self->keep_connection_id);
  self->keep_connection_id = connection ? g_strdup (cmg_connection_get_id (connection)) : NULL;
  cmg_window_open_project (self, cmg_project_get_dir (self->project));
}

/* Choosing an archive */

static void
archive_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CmgWindow *self = CMG_WINDOW (object);
  g_autoptr(GFile) file = cmg_file_chooser_run_file_finish (GTK_WIDGET (self), result, NULL);

  if (file != NULL)
    cmg_window_open_archive (self, file);
}

void
cmg_window_choose_archive (CmgWindow *self)
{
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = cmg_file_chooser_new_exports_filter (_("Convex exports (.zip, .jsonl, .json, .csv)"));

  g_return_if_fail (CMG_IS_WINDOW (self));

  g_list_store_append (filters, filter);
  cmg_file_chooser_run_async (GTK_WIDGET (self), CMG_FILE_CHOOSER_OPEN, _("Open Archive"), _("_Open"),
                              G_LIST_MODEL (filters), NULL, NULL, archive_chosen_cb, NULL);
}

/* Choosing a folder */

static void
project_chosen_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  CmgWindow *self = CMG_WINDOW (object);
  g_autoptr(GFile) folder = cmg_file_chooser_run_file_finish (GTK_WIDGET (self), result, NULL);

  if (folder != NULL)
    cmg_window_open (self, folder);
}

void
cmg_window_choose_project (CmgWindow *self)
{
  g_return_if_fail (CMG_IS_WINDOW (self));

  cmg_file_chooser_run_async (GTK_WIDGET (self), CMG_FILE_CHOOSER_SELECT_FOLDER, _("Open Project Folder"),
                              _("_Open"), NULL, NULL, NULL, project_chosen_cb, NULL);
}

/* Callbacks and actions */

static void
project_activated_cb (CmgWindow *self,
                      GFile     *file)
{
  cmg_window_open (self, file);
}

static void
banner_clicked_cb (CmgWindow *self)
{
  GtkWidget *details;

  details = cmg_target_details_window_new (GTK_WINDOW (self),
                                           cmg_connection_switcher_get_connection (self->switcher),
                                           cmg_deployment_banner_get_check (self->banner));
  gtk_window_present (GTK_WINDOW (details));
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         CmgWindow     *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;

  files = gdk_file_list_get_files (g_value_get_boxed (value));
  if (files == NULL)
    return FALSE;

  /* Several archives may be dropped at once; each opens in its own tab. */
  for (GSList *l = files; l != NULL; l = l->next)
    cmg_window_open (self, l->data);
  g_slist_free (files);
  return TRUE;
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cmg_window_reload (CMG_WINDOW (widget));
}

static void
open_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_variant_get_string (parameter, NULL));

  cmg_window_open (CMG_WINDOW (widget), file);
}

static void
dismiss_error_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  cmg_window_show_error (CMG_WINDOW (widget), NULL);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  cmg_window_show_page (CMG_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
open_archive_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  cmg_window_choose_archive (CMG_WINDOW (widget));
}

/* The archive shown in the Archives page, or NULL. */
static GFile *
current_archive (CmgWindow *self)
{
  GtkWidget *page = cmg_archive_browser_get_current_page (self->archive_browser);
  CmgSnapshot *snapshot;

  if (page == NULL || !CMG_IS_ARCHIVE_VIEW (page))
    return NULL;
  snapshot = cmg_archive_view_get_snapshot (CMG_ARCHIVE_VIEW (page));
  return snapshot != NULL ? cmg_snapshot_get_file (snapshot) : NULL;
}

void
cmg_window_import_archive (CmgWindow *self,
                           GFile     *archive)
{
  g_return_if_fail (CMG_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (archive));

  if (self->project == NULL)
    {
      cmg_window_show_error (self, _("Open the Convex project to import into first: the import runs its CLI, against its deployment."));
      return;
    }
  update_import_assistant (self, archive);
  cmg_window_show_page (self, "import");
}

static void
import_archive_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CmgWindow *self = CMG_WINDOW (widget);
  GFile *archive = current_archive (self);

  if (archive == NULL)
    {
      cmg_window_show_error (self, _("Open an export archive in the Archives page first, then import it from there."));
      return;
    }
  cmg_window_import_archive (self, archive);
}

static void
show_target_details_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  banner_clicked_cb (CMG_WINDOW (widget));
}

/* Window state */

static gboolean
cmg_window_close_request (GtkWindow *window)
{
  CmgWindow *self = CMG_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_delay (self->settings);
  if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_settings_apply (self->settings);

  return GTK_WINDOW_CLASS (cmg_window_parent_class)->close_request (window);
}

static void
cmg_window_dispose (GObject *object)
{
  CmgWindow *self = CMG_WINDOW (object);

  g_cancellable_cancel (self->open_cancellable);
  g_clear_object (&self->open_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_WINDOW);

  g_clear_object (&self->project);
  g_clear_object (&self->resolution);
  g_clear_object (&self->settings);
  g_clear_object (&self->history);
  g_clear_pointer (&self->keep_connection_id, g_free);

  G_OBJECT_CLASS (cmg_window_parent_class)->dispose (object);
}

static void
cmg_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  CmgWindow *self = CMG_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_window_constructed (GObject *object)
{
  CmgWindow *self = CMG_WINDOW (object);
  GtkApplication *application;

  G_OBJECT_CLASS (cmg_window_parent_class)->constructed (object);

  /* One history for the application, so every window lists every run. */
  application = gtk_window_get_application (GTK_WINDOW (self));
  if (CMG_IS_APPLICATION (application))
    self->history = g_object_ref (cmg_application_get_history (CMG_APPLICATION (application)));
  else
    self->history = cmg_application_load_history ();
  cmg_export_page_set_history (self->export_page, self->history);
  cmg_activity_page_set_history (self->activity_page, self->history);
}

static void
cmg_window_class_init (CmgWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = cmg_window_constructed;
  object_class->dispose = cmg_window_dispose;
  object_class->get_property = cmg_window_get_property;
  window_class->close_request = cmg_window_close_request;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CMG_TYPE_CONNECTION_SWITCHER);
  g_type_ensure (CMG_TYPE_DEPLOYMENT_BANNER);
  g_type_ensure (CMG_TYPE_PROJECT_PAGE);
  g_type_ensure (CMG_TYPE_WELCOME_PAGE);
  g_type_ensure (CMG_TYPE_ARCHIVE_BROWSER);
  g_type_ensure (CMG_TYPE_EXPORT_PAGE);
  g_type_ensure (CMG_TYPE_IMPORT_ASSISTANT);
  g_type_ensure (CMG_TYPE_ACTIVITY_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, title_label);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, switcher);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, error_label);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, project_page);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, pages);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, project_stack_page);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, export_stack_page);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, import_stack_page);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, import_assistant);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, archive_browser);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, export_page);
  gtk_widget_class_bind_template_child (widget_class, CmgWindow, activity_page);
  gtk_widget_class_bind_template_callback (widget_class, export_open_archive_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_plan_created_cb);
  gtk_widget_class_bind_template_callback (widget_class, project_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, banner_clicked_cb);

  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "win.open-recent", "s", open_recent_action);
  gtk_widget_class_install_action (widget_class, "win.dismiss-error", NULL, dismiss_error_action);
  gtk_widget_class_install_action (widget_class, "win.show-target-details", NULL, show_target_details_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.open-archive", NULL, open_archive_action);
  gtk_widget_class_install_action (widget_class, "win.import-archive", NULL, import_archive_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK, "win.show-page", "s", "project");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK, "win.show-page", "s", "archives");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK, "win.show-page", "s", "export");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK, "win.show-page", "s", "import");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_5, GDK_ALT_MASK, "win.show-page", "s", "activity");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "win.import-archive", NULL);
}


static void
cmg_window_init (CmgWindow *self)
{
  GtkDropTarget *drop_target;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->settings = g_settings_new (APPLICATION_ID);
  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (update_recent_menu), self,
                           G_CONNECT_SWAPPED);
  update_recent_menu (self);

  g_signal_connect_object (self->switcher, "notify::connection",
                           G_CALLBACK (connection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  drop_target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (drop_target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (drop_target));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.reload", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-target-details", FALSE);

  /* Until a project is open, only archives and past runs can be shown. */
  gtk_stack_page_set_visible (self->project_stack_page, FALSE);
  gtk_stack_page_set_visible (self->export_stack_page, FALSE);
  gtk_stack_page_set_visible (self->import_stack_page, FALSE);
}

CmgWindow *
cmg_window_new (CmgApplication *application)
{
  return g_object_new (CMG_TYPE_WINDOW, "application", application, NULL);
}

gboolean
cmg_window_get_loading (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), FALSE);
  return self->loading;
}

CmgProject *
cmg_window_get_project (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->project;
}

CmgTargetResolution *
cmg_window_get_resolution (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->resolution;
}

CmgDeploymentBanner *
cmg_window_get_banner (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->banner;
}

CmgConnectionSwitcher *
cmg_window_get_switcher (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->switcher;
}

CmgProjectPage *
cmg_window_get_project_page (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->project_page;
}

const char *
cmg_window_get_page_name (CmgWindow *self)
{
  const char *outer;

  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);

  outer = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (outer, "main") != 0)
    return outer;
  return gtk_stack_get_visible_child_name (self->pages);
}

CmgArchiveBrowser *
cmg_window_get_archive_browser (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->archive_browser;
}

CmgExportPage *
cmg_window_get_export_page (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->export_page;
}

CmgActivityPage *
cmg_window_get_activity_page (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);
  return self->activity_page;
}

CmgImportAssistant *
cmg_window_get_import_assistant (CmgWindow *self)
{
  g_return_val_if_fail (CMG_IS_WINDOW (self), NULL);

  return self->import_assistant;
}
