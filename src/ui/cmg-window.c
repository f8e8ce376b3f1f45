/* cmg-window.c: the main window: header bar, deployment banner, content. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-window.h"

struct _CmgWindow
{
  GtkApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (CmgWindow, cmg_window, GTK_TYPE_APPLICATION_WINDOW)

static void
cmg_window_class_init (CmgWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-window.ui");
}

static void
cmg_window_init (CmgWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

CmgWindow *
cmg_window_new (CmgApplication *application)
{
  return g_object_new (CMG_TYPE_WINDOW, "application", application, NULL);
}
