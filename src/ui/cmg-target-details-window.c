/* cmg-target-details-window.c: see cmg-target-details-window.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-target-details-window.h"
#include "cmg-target-view.h"

struct _CmgTargetDetailsWindow
{
  GtkWindow      parent_instance;

  GtkLabel      *name_label;
  GtkLabel      *subtitle_label;
  CmgTargetView *target_view;
};

G_DEFINE_FINAL_TYPE (CmgTargetDetailsWindow, cmg_target_details_window, GTK_TYPE_WINDOW)

static void
cmg_target_details_window_set (CmgTargetDetailsWindow *self,
                               CmgConnection          *connection,
                               CmgConnectionCheck     *check)
{
  CmgDeployment *deployment = connection ? cmg_connection_get_deployment (connection) : NULL;

  cmg_target_view_set_check (self->target_view, check);
  cmg_target_view_set_connection (self->target_view, connection);

  if (deployment == NULL)
    {
      gtk_label_set_label (self->name_label, _("No deployment"));
      gtk_label_set_label (self->subtitle_label,
                           _("The Convex CLI would find no target here. Run npx convex dev in this folder to choose one."));
    }
  else
    {
      g_autofree char *name = NULL;
      const CmgValueSource *source = cmg_deployment_get_source (deployment);
      g_autofree char *source_text = source ? cmg_value_source_describe (source) : NULL;
      const char *type = cmg_deployment_type_get_label (cmg_deployment_get_deployment_type (deployment));
      const char *url = cmg_deployment_get_url (deployment);
      g_autoptr(GString) subtitle = g_string_new (type);

      /* As in the banner: a `--deployment` reference names its target until the CLI runs. */
      if (cmg_deployment_get_name (deployment) == NULL &&
          cmg_connection_get_kind (connection) == CMG_CONNECTION_KIND_DEPLOYMENT)
        name = g_strdup (cmg_connection_get_title (connection));
      else
        name = cmg_deployment_dup_display_name (deployment);

      if (source_text != NULL)
        g_string_append_printf (subtitle, ", %s", source_text);
      if (url != NULL)
        g_string_append_printf (subtitle, "\n%s", url);

      gtk_label_set_label (self->name_label, name);
      gtk_label_set_label (self->subtitle_label, subtitle->str);
    }
}

static void
cmg_target_details_window_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CMG_TYPE_TARGET_DETAILS_WINDOW);

  G_OBJECT_CLASS (cmg_target_details_window_parent_class)->dispose (object);
}

static void
cmg_target_details_window_class_init (CmgTargetDetailsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_target_details_window_dispose;

  g_type_ensure (CMG_TYPE_TARGET_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-target-details-window.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgTargetDetailsWindow, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetDetailsWindow, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetDetailsWindow, target_view);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cmg_target_details_window_init (CmgTargetDetailsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cmg_target_details_window_new (GtkWindow          *parent,
                               CmgConnection      *connection,
                               CmgConnectionCheck *check)
{
  CmgTargetDetailsWindow *self;

  g_return_val_if_fail (connection == NULL || CMG_IS_CONNECTION (connection), NULL);
  g_return_val_if_fail (check == NULL || CMG_IS_CONNECTION_CHECK (check), NULL);

  self = g_object_new (CMG_TYPE_TARGET_DETAILS_WINDOW, "transient-for", parent, NULL);
  cmg_target_details_window_set (self, connection, check);
  return GTK_WIDGET (self);
}
