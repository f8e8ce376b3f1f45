/* cmg-application.c: the GtkApplication: windows, actions, the command line. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-application.h"
#include "cmg-window.h"

struct _CmgApplication
{
  GtkApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (CmgApplication, cmg_application, GTK_TYPE_APPLICATION)

static void
cmg_application_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (cmg_window_new (CMG_APPLICATION (app)));
  gtk_window_present (window);
}

static void
cmg_application_class_init (CmgApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = cmg_application_activate;
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
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
