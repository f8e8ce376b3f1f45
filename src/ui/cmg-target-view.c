/* cmg-target-view.c: see cmg-target-view.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-target-view.h"

struct _CmgTargetView
{
  GtkWidget           parent_instance;

  CmgConnection      *connection;
  CmgConnectionCheck *check;
  guint               n_variables;
  guint               n_conflicts;

  GtkWidget          *check_box;
  GtkSpinner         *check_spinner;
  GtkImage           *check_image;
  GtkLabel           *check_label;
  GtkWidget          *check_button;
  GtkWidget          *conflicts_box;
  GtkGrid            *variables_grid;
};

G_DEFINE_FINAL_TYPE (CmgTargetView, cmg_target_view, GTK_TYPE_WIDGET)

static GtkWidget *
cell (const char *text,
      const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_valign (label, GTK_ALIGN_START);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static void
clear_children (GtkWidget *widget)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (widget)) != NULL)
    gtk_widget_unparent (child);
}

static void
update_variables (CmgTargetView *self)
{
  CmgTargetResolution *resolution = NULL;
  GPtrArray *variables = NULL;
  GtkGrid *grid = self->variables_grid;
  static const char * const headers[] = { N_("Variable"), N_("Value"), N_("Where it comes from"), N_("Status") };

  /* gtk_grid_remove() would be the same, but the grid is rebuilt as a whole. */
  clear_children (GTK_WIDGET (grid));
  self->n_variables = 0;

  if (self->connection != NULL)
    resolution = cmg_connection_get_resolution (self->connection);
  if (resolution != NULL)
    variables = cmg_target_resolution_get_variables (resolution);

  if (variables == NULL || variables->len == 0)
    {
      const char *text;

      if (self->connection == NULL)
        text = _("No connection is chosen.");
      else if (resolution == NULL)
        text = _("This connection was added in Convex Migrate: no project variables apply to it.");
      else
        text = _("No CONVEX_ variables were found in the environment, .env.local or .env.");
      gtk_grid_attach (grid, cell (text, "dim-label"), 0, 0, 4, 1);
      return;
    }

  for (guint i = 0; i < G_N_ELEMENTS (headers); i++)
    gtk_grid_attach (grid, cell (_(headers[i]), "table-header"), i, 0, 1, 1);

  for (guint i = 0; i < variables->len; i++)
    {
      const CmgTargetVariable *variable = g_ptr_array_index (variables, i);
      g_autofree char *source = variable->source ? cmg_value_source_describe (variable->source) : NULL;
      GtkWidget *value;
      GtkWidget *status;

      gtk_grid_attach (grid, cell (variable->key, "monospace"), 0, i + 1, 1, 1);
      value = cell (variable->display_value ? variable->display_value : "", "monospace");
      gtk_widget_set_hexpand (value, TRUE);
      if (!variable->effective)
        gtk_widget_add_css_class (value, "overridden");
      gtk_grid_attach (grid, value, 1, i + 1, 1, 1);
      gtk_grid_attach (grid, cell (source ? source : "", NULL), 2, i + 1, 1, 1);
      status = cell (variable->effective ? _("Effective") : _("Overridden"),
                     variable->effective ? "status-effective" : "dim-label");
      gtk_grid_attach (grid, status, 3, i + 1, 1, 1);
      self->n_variables++;
    }
}

static const char *
severity_icon (CmgConflictSeverity severity)
{
  switch (severity)
    {
    case CMG_CONFLICT_SEVERITY_ERROR:
      return "dialog-error-symbolic";
    case CMG_CONFLICT_SEVERITY_WARNING:
      return "dialog-warning-symbolic";
    case CMG_CONFLICT_SEVERITY_INFO:
    default:
      return "dialog-information-symbolic";
    }
}

static const char *
severity_label (CmgConflictSeverity severity)
{
  switch (severity)
    {
    case CMG_CONFLICT_SEVERITY_ERROR:
      return _("Error");
    case CMG_CONFLICT_SEVERITY_WARNING:
      return _("Warning");
    case CMG_CONFLICT_SEVERITY_INFO:
    default:
      return _("Note");
    }
}

static void
update_conflicts (CmgTargetView *self)
{
  GPtrArray *conflicts = self->connection ? cmg_connection_get_conflicts (self->connection) : NULL;

  clear_children (self->conflicts_box);
  self->n_conflicts = 0;

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      const CmgConflict *conflict = g_ptr_array_index (conflicts, i);
      g_autofree char *accessible = g_strdup_printf ("%s: %s", severity_label (conflict->severity),
                                                     conflict->message);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
      GtkWidget *image = gtk_image_new_from_icon_name (severity_icon (conflict->severity));
      GtkWidget *label = cell (conflict->message, NULL);

      gtk_widget_add_css_class (row, "conflict-row");
      gtk_widget_add_css_class (row, cmg_conflict_severity_to_string (conflict->severity));
      gtk_widget_set_valign (image, GTK_ALIGN_START);
      gtk_widget_set_tooltip_text (image, severity_label (conflict->severity));
      gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, severity_label (conflict->severity),
                                      -1);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (row), image);
      gtk_box_append (GTK_BOX (row), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                      -1);
      gtk_box_append (GTK_BOX (self->conflicts_box), row);
      self->n_conflicts++;
    }

  if (self->n_conflicts == 0)
    gtk_box_append (GTK_BOX (self->conflicts_box),
                    cell (_("None: the target is unambiguous."), "dim-label"));
}

static void
update_check (CmgTargetView *self)
{
  CmgCheckState state = self->check ? cmg_connection_check_get_state (self->check) : CMG_CHECK_STATE_NONE;
  const char *message = self->check ? cmg_connection_check_get_message (self->check) : NULL;
  const char *icon_name = self->check ? cmg_connection_check_get_icon_name (self->check) : NULL;
  const CmgProbeResult *result = self->check ? cmg_connection_check_get_result (self->check) : NULL;
  g_autofree char *text = NULL;

  gtk_widget_remove_css_class (self->check_box, "mismatch");
  if (state == CMG_CHECK_STATE_MISMATCH || state == CMG_CHECK_STATE_FAILED)
    gtk_widget_add_css_class (self->check_box, "mismatch");

  gtk_widget_set_visible (GTK_WIDGET (self->check_spinner), state == CMG_CHECK_STATE_CHECKING);
  gtk_spinner_set_spinning (self->check_spinner, state == CMG_CHECK_STATE_CHECKING);
  gtk_widget_set_visible (GTK_WIDGET (self->check_image), icon_name != NULL && state != CMG_CHECK_STATE_CHECKING);
  gtk_image_set_from_icon_name (self->check_image, icon_name);
  gtk_widget_set_sensitive (self->check_button,
                            state != CMG_CHECK_STATE_NONE && state != CMG_CHECK_STATE_CHECKING);

  if (self->connection == NULL)
    text = g_strdup (_("No connection is chosen."));
  else if (state == CMG_CHECK_STATE_NONE)
    text = g_strdup (_("Nothing to check yet: the address of this target is known only when the Convex CLI runs."));
  else if (result != NULL && result->message != NULL && g_strcmp0 (result->message, message) != 0)
    /* Translators: the app's summary, then the probe's own words */
    text = g_strdup_printf (_("%s (%s)"), message, result->message);
  else
    text = g_strdup (message);

  gtk_label_set_label (self->check_label, text);
}

static void
check_again_cb (CmgTargetView *self)
{
  if (self->check != NULL)
    cmg_connection_check_run (self->check);
}

static void
cmg_target_view_dispose (GObject *object)
{
  CmgTargetView *self = CMG_TARGET_VIEW (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_TARGET_VIEW);
  /* The template's unnamed root is not a template child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->connection);
  g_clear_object (&self->check);

  G_OBJECT_CLASS (cmg_target_view_parent_class)->dispose (object);
}

static void
cmg_target_view_class_init (CmgTargetViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_target_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-target-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, check_box);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, check_spinner);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, check_image);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, check_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, check_button);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, conflicts_box);
  gtk_widget_class_bind_template_child (widget_class, CmgTargetView, variables_grid);
  gtk_widget_class_bind_template_callback (widget_class, check_again_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cmg_target_view_init (CmgTargetView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_variables (self);
  update_conflicts (self);
  update_check (self);
}

GtkWidget *
cmg_target_view_new (void)
{
  return g_object_new (CMG_TYPE_TARGET_VIEW, NULL);
}

void
cmg_target_view_set_connection (CmgTargetView *self,
                                CmgConnection *connection)
{
  g_return_if_fail (CMG_IS_TARGET_VIEW (self));
  g_return_if_fail (connection == NULL || CMG_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  update_variables (self);
  update_conflicts (self);
  update_check (self);
}

CmgConnection *
cmg_target_view_get_connection (CmgTargetView *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_VIEW (self), NULL);
  return self->connection;
}

void
cmg_target_view_set_check (CmgTargetView      *self,
                           CmgConnectionCheck *check)
{
  g_return_if_fail (CMG_IS_TARGET_VIEW (self));
  g_return_if_fail (check == NULL || CMG_IS_CONNECTION_CHECK (check));

  if (self->check != NULL)
    g_signal_handlers_disconnect_by_func (self->check, update_check, self);
  g_set_object (&self->check, check);
  if (check != NULL)
    g_signal_connect_object (check, "notify::state", G_CALLBACK (update_check), self,
                             G_CONNECT_SWAPPED);
  update_check (self);
}

guint
cmg_target_view_get_n_variables (CmgTargetView *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_VIEW (self), 0);
  return self->n_variables;
}

guint
cmg_target_view_get_n_conflicts (CmgTargetView *self)
{
  g_return_val_if_fail (CMG_IS_TARGET_VIEW (self), 0);
  return self->n_conflicts;
}
