/* cmg-application.c: the GtkApplication: windows, actions, the command line. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-application.h"
#include "cmg-cli-command.h"
#include "cmg-window.h"

#define RESOURCE_PATH "/io/github/convexmigrate/ConvexMigrate"

struct _CmgApplication
{
  GtkApplication  parent_instance;

  CmgRunHistory  *history;
};

G_DEFINE_FINAL_TYPE (CmgApplication, cmg_application, GTK_TYPE_APPLICATION)

void
cmg_application_init_display (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_object_get_data (G_OBJECT (display), "cmg-display-ready") != NULL)
    return;
  g_object_set_data (G_OBJECT (display), "cmg-display-ready", GINT_TO_POINTER (TRUE));

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (display,
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    RESOURCE_PATH "/icons");
}

static CmgWindow *
find_empty_window (CmgApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    {
      if (CMG_IS_WINDOW (l->data) &&
          cmg_window_get_project (l->data) == NULL &&
          !cmg_window_get_loading (l->data))
        return l->data;
    }
  return NULL;
}

static void
cmg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cmg_window_new (CMG_APPLICATION (app)));
  gtk_window_present (window);
}

static void
cmg_application_open (GApplication  *app,
                      GFile        **files,
                      int            n_files,
                      const char    *hint)
{
  CmgApplication *self = CMG_APPLICATION (app);
  CmgWindow *window = NULL;

  /* One window per folder (a window still showing the welcome page is reused); archives open
   * in the window of the folder named before them (`convex-migrate PROJECT_DIR ARCHIVE`), else
   * in the active window. */
  for (int i = 0; i < n_files; i++)
    {
      if (g_file_query_file_type (files[i], G_FILE_QUERY_INFO_NONE, NULL) == G_FILE_TYPE_REGULAR)
        {
          if (window == NULL)
            {
              GtkWindow *active = gtk_application_get_active_window (GTK_APPLICATION (self));

              window = CMG_IS_WINDOW (active) ? CMG_WINDOW (active) : find_empty_window (self);
            }
          if (window == NULL)
            window = cmg_window_new (self);
          cmg_window_open_archive (window, files[i]);
        }
      else
        {
          window = find_empty_window (self);
          if (window == NULL)
            window = cmg_window_new (self);
          cmg_window_open (window, files[i]);
        }
      gtk_window_present (GTK_WINDOW (window));
    }
}

CmgRunHistory *
cmg_application_load_history (void)
{
  CmgRunHistory *history = cmg_run_history_new (NULL);
  g_autoptr(GError) error = NULL;

  /* An unreadable history leaves the list empty; new runs are still recorded. */
  if (!cmg_run_history_load (history, &error))
    g_warning ("Could not read the run history: %s", error->message);
  return history;
}

CmgRunHistory *
cmg_application_get_history (CmgApplication *self)
{
  g_return_val_if_fail (CMG_IS_APPLICATION (self), NULL);

  if (self->history == NULL)
    self->history = cmg_application_load_history ();
  return self->history;
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Closing (not destroying) lets each window save its size. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_list_free (windows);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  static const char *developers[] = { "The Convex Migrate contributors", NULL };
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (user_data));

  gtk_show_about_dialog (parent,
                         "program-name", _("Convex Migrate"),
                         "logo-icon-name", APPLICATION_ID,
                         "version", PACKAGE_VERSION,
                         "comments", _("Move Convex data between deployments, and always see which one you are about to touch."),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "authors", developers,
                         /* Translators: your names, one per line */
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
open_project_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  CmgApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (!CMG_IS_WINDOW (window))
    {
      window = GTK_WINDOW (cmg_window_new (self));
      gtk_window_present (window);
    }
  cmg_window_choose_project (CMG_WINDOW (window));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  g_autoptr(GtkBuilder) builder = gtk_builder_new_from_resource (RESOURCE_PATH "/cmg-shortcuts-window.ui");
  GtkWindow *shortcuts = GTK_WINDOW (gtk_builder_get_object (builder, "shortcuts_window"));

  gtk_window_set_transient_for (shortcuts, gtk_application_get_active_window (GTK_APPLICATION (user_data)));
  gtk_window_set_application (shortcuts, GTK_APPLICATION (user_data));
  gtk_window_present (shortcuts);
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "open-project", open_project_action },
  { "shortcuts", shortcuts_action },
};

static void
cmg_application_startup (GApplication *app)
{
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (cmg_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (app), app_actions, G_N_ELEMENTS (app_actions), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.open-project", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.shortcuts", shortcuts_accels);

  cmg_application_init_display (gdk_display_get_default ());

  /* Env files of runs a crash cut short hold keys: remove them. */
  cmg_cli_command_remove_stale_env_files ();
}

static void
cmg_application_dispose (GObject *object)
{
  CmgApplication *self = CMG_APPLICATION (object);

  g_clear_object (&self->history);

  G_OBJECT_CLASS (cmg_application_parent_class)->dispose (object);
}

static void
cmg_application_class_init (CmgApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = cmg_application_dispose;

  app_class->startup = cmg_application_startup;
  app_class->activate = cmg_application_activate;
  app_class->open = cmg_application_open;
}

static void
cmg_application_init (CmgApplication *self)
{
}

CmgApplication *
cmg_application_new (void)
{
  return g_object_new (CMG_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PATH,
                       NULL);
}
