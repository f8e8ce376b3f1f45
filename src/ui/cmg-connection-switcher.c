/* cmg-connection-switcher.c: see cmg-connection-switcher.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-add-connection-dialog.h"
#include "cmg-connection-switcher.h"
#include "cmg-risk-style.h"

struct _CmgConnectionSwitcher
{
  GtkWidget      parent_instance;

  GListStore    *connections;
  CmgConnection *connection;

  GtkMenuButton *menu_button;
  GtkPopover    *popover;
  GtkListBox    *list_box;
  GtkWidget     *button_dot;
  GtkLabel      *title_label;
  GtkLabel      *type_label;
};

G_DEFINE_FINAL_TYPE (CmgConnectionSwitcher, cmg_connection_switcher, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* No deployment yet is shown as the highest risk: the CLI's target is unknown. */
static CmgRisk
connection_risk (CmgConnection *connection)
{
  CmgDeployment *deployment = connection ? cmg_connection_get_deployment (connection) : NULL;

  return deployment != NULL ? cmg_deployment_get_risk (deployment) : CMG_RISK_HIGH;
}

static const char *
type_label_for (CmgConnection *connection)
{
  CmgDeployment *deployment = cmg_connection_get_deployment (connection);

  if (deployment == NULL)
    return _("No deployment");
  return cmg_deployment_type_get_label (cmg_deployment_get_deployment_type (deployment));
}

static gboolean
is_project_connection (CmgConnection *connection)
{
  switch (cmg_connection_get_kind (connection))
    {
    case CMG_CONNECTION_KIND_PROJECT_TARGET:
    case CMG_CONNECTION_KIND_PROJECT_PROD:
    case CMG_CONNECTION_KIND_PROJECT_LOCAL:
      return TRUE;
    case CMG_CONNECTION_KIND_DEPLOYMENT:
    case CMG_CONNECTION_KIND_DEPLOY_KEY:
    case CMG_CONNECTION_KIND_SELF_HOSTED:
    default:
      return FALSE;
    }
}

static void
set_dot_risk (GtkWidget     *dot,
              CmgConnection *connection)
{
  cmg_risk_style_apply (dot, connection_risk (connection));
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  CmgConnection *connection = item;
  CmgDeployment *deployment = cmg_connection_get_deployment (connection);
  const char *title = cmg_connection_get_title (connection);
  const char *type = type_label_for (connection);
  g_autofree char *name = deployment ? cmg_deployment_dup_display_name (deployment) : NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *accessible = NULL;
  GtkWidget *row, *box, *dot, *labels, *label, *check;

  if (name != NULL && g_strcmp0 (name, title) != 0)
    /* Translators: a deployment type, then its name: "Development · happy-animal-123" */
    subtitle = g_strdup_printf (_("%s · %s"), type, name);
  else
    subtitle = g_strdup (type);

  row = gtk_list_box_row_new ();
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);

  dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (dot, "risk-dot");
  set_dot_risk (dot, connection);
  gtk_box_append (GTK_BOX (box), dot);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  label = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (labels), label);
  label = gtk_label_new (subtitle);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (labels), label);
  gtk_box_append (GTK_BOX (box), labels);

  /* The row's selected state tells screen readers; the check mark is for the eyes. */
  check = g_object_new (GTK_TYPE_IMAGE,
                        "icon-name", "object-select-symbolic",
                        "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION,
                        NULL);
  gtk_box_append (GTK_BOX (box), check);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "cmg-connection", g_object_ref (connection), g_object_unref);
  g_object_set_data (G_OBJECT (row), "cmg-check", check);

  /* Translators: a connection's title, then its type and name, for screen readers */
  accessible = g_strdup_printf (_("%s: %s"), title, subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

static void
update_rows (CmgConnectionSwitcher *self)
{
  for (int i = 0; ; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list_box, i);
      GtkWidget *check;
      gboolean current;

      if (row == NULL)
        break;
      current = g_object_get_data (G_OBJECT (row), "cmg-connection") == (gpointer) self->connection;
      check = g_object_get_data (G_OBJECT (row), "cmg-check");
      gtk_widget_set_opacity (check, current ? 1.0 : 0.0);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_SELECTED, current,
                                   -1);
    }
}

static void
update_button (CmgConnectionSwitcher *self)
{
  g_autofree char *tooltip = NULL;

  set_dot_risk (self->button_dot, self->connection);

  if (self->connection == NULL)
    {
      gtk_label_set_label (self->title_label, _("No Connection"));
      gtk_label_set_label (self->type_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->type_label), FALSE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Choose a connection"),
                                      -1);
      return;
    }

  gtk_label_set_label (self->title_label, cmg_connection_get_title (self->connection));
  gtk_label_set_label (self->type_label, type_label_for (self->connection));
  gtk_widget_set_visible (GTK_WIDGET (self->type_label), TRUE);

  /* Translators: the switcher's label for screen readers: "Connection: Project target, Development" */
  tooltip = g_strdup_printf (_("Connection: %s, %s"),
                             cmg_connection_get_title (self->connection),
                             type_label_for (self->connection));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->menu_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
}

static void
row_activated_cb (CmgConnectionSwitcher *self,
                  GtkListBoxRow         *row)
{
  cmg_connection_switcher_set_connection (self, g_object_get_data (G_OBJECT (row), "cmg-connection"));
  gtk_popover_popdown (self->popover);
}

static void
connection_added_cb (CmgConnectionSwitcher *self,
                     CmgConnection         *connection)
{
  cmg_connection_switcher_add_connection (self, connection);
}

static void
add_connection_action (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  CmgConnectionSwitcher *self = CMG_CONNECTION_SWITCHER (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;

  gtk_popover_popdown (self->popover);

  dialog = cmg_add_connection_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL);
  g_signal_connect_object (dialog, "connection-added",
                           G_CALLBACK (connection_added_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
cmg_connection_switcher_dispose (GObject *object)
{
  CmgConnectionSwitcher *self = CMG_CONNECTION_SWITCHER (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_CONNECTION_SWITCHER);
  /* The template's unnamed root is not a template child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->connection);
  g_clear_object (&self->connections);

  G_OBJECT_CLASS (cmg_connection_switcher_parent_class)->dispose (object);
}

static void
cmg_connection_switcher_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  CmgConnectionSwitcher *self = CMG_CONNECTION_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_connection_switcher_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  CmgConnectionSwitcher *self = CMG_CONNECTION_SWITCHER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      cmg_connection_switcher_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_connection_switcher_class_init (CmgConnectionSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_connection_switcher_dispose;
  object_class->get_property = cmg_connection_switcher_get_property;
  object_class->set_property = cmg_connection_switcher_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         CMG_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-connection-switcher.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgConnectionSwitcher, menu_button);
  gtk_widget_class_bind_template_child (widget_class, CmgConnectionSwitcher, popover);
  gtk_widget_class_bind_template_child (widget_class, CmgConnectionSwitcher, list_box);
  gtk_widget_class_bind_template_child (widget_class, CmgConnectionSwitcher, button_dot);
  gtk_widget_class_bind_template_child (widget_class, CmgConnectionSwitcher, title_label);
  gtk_widget_class_bind_template_child (widget_class, CmgConnectionSwitcher, type_label);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_install_action (widget_class, "switcher.add-connection", NULL, add_connection_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cmg_connection_switcher_init (CmgConnectionSwitcher *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->connections = g_list_store_new (CMG_TYPE_CONNECTION);
  gtk_list_box_bind_model (self->list_box, G_LIST_MODEL (self->connections),
                           create_row, self, NULL);
  g_signal_connect_object (self->connections, "items-changed",
                           G_CALLBACK (update_rows), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  update_button (self);
}

GtkWidget *
cmg_connection_switcher_new (void)
{
  return g_object_new (CMG_TYPE_CONNECTION_SWITCHER, NULL);
}

void
cmg_connection_switcher_set_resolution (CmgConnectionSwitcher *self,
                                        CmgTargetResolution   *resolution)
{
  g_autoptr(GPtrArray) fresh = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_project = 0;

  g_return_if_fail (CMG_IS_CONNECTION_SWITCHER (self));
  g_return_if_fail (resolution == NULL || CMG_IS_TARGET_RESOLUTION (resolution));

  if (resolution != NULL)
    {
      CmgConnection *connection;

      g_ptr_array_add (fresh, cmg_connection_new_project_target (resolution));
      if ((connection = cmg_connection_new_project_prod (resolution)))
        g_ptr_array_add (fresh, connection);
      if ((connection = cmg_connection_new_project_local (resolution)))
        g_ptr_array_add (fresh, connection);
    }

  /* Project connections always come first in the store. */
  while (n_project < g_list_model_get_n_items (G_LIST_MODEL (self->connections)))
    {
      g_autoptr(CmgConnection) item = g_list_model_get_item (G_LIST_MODEL (self->connections), n_project);

      if (!is_project_connection (item))
        break;
      n_project++;
    }

  g_list_store_splice (self->connections, 0, n_project, fresh->pdata, fresh->len);
  cmg_connection_switcher_set_connection (self, fresh->len > 0 ? g_ptr_array_index (fresh, 0) : NULL);
}

GListModel *
cmg_connection_switcher_get_connections (CmgConnectionSwitcher *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_SWITCHER (self), NULL);
  return G_LIST_MODEL (self->connections);
}

CmgConnection *
cmg_connection_switcher_get_connection (CmgConnectionSwitcher *self)
{
  g_return_val_if_fail (CMG_IS_CONNECTION_SWITCHER (self), NULL);
  return self->connection;
}

void
cmg_connection_switcher_set_connection (CmgConnectionSwitcher *self,
                                        CmgConnection         *connection)
{
  g_return_if_fail (CMG_IS_CONNECTION_SWITCHER (self));
  g_return_if_fail (connection == NULL || CMG_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  update_button (self);
  update_rows (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

gboolean
cmg_connection_switcher_select_id (CmgConnectionSwitcher *self,
                                   const char            *id)
{
  GListModel *model;

  g_return_val_if_fail (CMG_IS_CONNECTION_SWITCHER (self), FALSE);

  model = G_LIST_MODEL (self->connections);
  for (guint i = 0; id != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CmgConnection) item = g_list_model_get_item (model, i);

      if (g_strcmp0 (cmg_connection_get_id (item), id) == 0)
        {
          cmg_connection_switcher_set_connection (self, item);
          return TRUE;
        }
    }

  return FALSE;
}

void
cmg_connection_switcher_add_connection (CmgConnectionSwitcher *self,
                                        CmgConnection         *connection)
{
  GListModel *model;

  g_return_if_fail (CMG_IS_CONNECTION_SWITCHER (self));
  g_return_if_fail (CMG_IS_CONNECTION (connection));

  /* Adding the same target twice (by id) replaces the first, so the list has no duplicates. */
  model = G_LIST_MODEL (self->connections);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CmgConnection) item = g_list_model_get_item (model, i);

      if (!is_project_connection (item) &&
          g_strcmp0 (cmg_connection_get_id (item), cmg_connection_get_id (connection)) == 0)
        {
          g_list_store_remove (self->connections, i);
          break;
        }
    }

  g_list_store_append (self->connections, connection);
  cmg_connection_switcher_set_connection (self, connection);
}
