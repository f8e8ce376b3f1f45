/* cmg-project-page.c: see cmg-project-page.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-project-page.h"
#include "cmg-target-view.h"

struct _CmgProjectPage
{
  GtkWidget      parent_instance;

  CmgProject    *project;

  GtkLabel      *name_label;
  GtkLabel      *path_label;
  GtkWidget     *status_box;
  GtkImage      *status_image;
  GtkLabel      *status_label;
  CmgTargetView *target_view;
};

G_DEFINE_FINAL_TYPE (CmgProjectPage, cmg_project_page, GTK_TYPE_WIDGET)

static void
cmg_project_page_dispose (GObject *object)
{
  CmgProjectPage *self = CMG_PROJECT_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_PROJECT_PAGE);
  /* The template's unnamed root is not a template child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (cmg_project_page_parent_class)->dispose (object);
}

static void
cmg_project_page_class_init (CmgProjectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_project_page_dispose;

  g_type_ensure (CMG_TYPE_TARGET_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-project-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgProjectPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmgProjectPage, path_label);
  gtk_widget_class_bind_template_child (widget_class, CmgProjectPage, status_box);
  gtk_widget_class_bind_template_child (widget_class, CmgProjectPage, status_image);
  gtk_widget_class_bind_template_child (widget_class, CmgProjectPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, CmgProjectPage, target_view);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cmg_project_page_init (CmgProjectPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
cmg_project_page_new (void)
{
  return g_object_new (CMG_TYPE_PROJECT_PAGE, NULL);
}

void
cmg_project_page_set_project (CmgProjectPage *self,
                              CmgProject     *project)
{
  const char *problem = NULL;

  g_return_if_fail (CMG_IS_PROJECT_PAGE (self));
  g_return_if_fail (project == NULL || CMG_IS_PROJECT (project));

  g_set_object (&self->project, project);

  gtk_label_set_label (self->name_label, project ? cmg_project_get_name (project) : "");
  gtk_label_set_label (self->path_label, project ? cmg_project_get_path (project) : "");

  if (project != NULL)
    problem = cmg_project_get_problem (project);

  gtk_widget_remove_css_class (self->status_box, "warning-box");
  gtk_widget_remove_css_class (self->status_box, "ok-box");
  if (problem != NULL)
    {
      gtk_widget_add_css_class (self->status_box, "warning-box");
      gtk_image_set_from_icon_name (self->status_image, "dialog-warning-symbolic");
      gtk_label_set_label (self->status_label, problem);
    }
  else
    {
      gtk_widget_add_css_class (self->status_box, "ok-box");
      gtk_image_set_from_icon_name (self->status_image, "emblem-ok-symbolic");
      gtk_label_set_label (self->status_label,
                           _("Convex project: the Convex CLI can run in this folder."));
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_label (self->status_label),
                                  -1);
}

void
cmg_project_page_set_connection (CmgProjectPage *self,
                                 CmgConnection  *connection)
{
  g_return_if_fail (CMG_IS_PROJECT_PAGE (self));
  cmg_target_view_set_connection (self->target_view, connection);
}

void
cmg_project_page_set_check (CmgProjectPage     *self,
                            CmgConnectionCheck *check)
{
  g_return_if_fail (CMG_IS_PROJECT_PAGE (self));
  cmg_target_view_set_check (self->target_view, check);
}

const char *
cmg_project_page_get_problem (CmgProjectPage *self)
{
  g_return_val_if_fail (CMG_IS_PROJECT_PAGE (self), NULL);
  return self->project ? cmg_project_get_problem (self->project) : NULL;
}
