/* cmg-add-connection-dialog.c: see cmg-add-connection-dialog.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-add-connection-dialog.h"
#include "cmg-connection.h"

/* Positions in the drop-down, in the order of the .ui's string list. */
enum {
  KIND_DEPLOYMENT,
  KIND_DEPLOY_KEY,
  KIND_SELF_HOSTED,
};

static const char * const page_names[] = { "deployment", "deploy-key", "self-hosted" };

struct _CmgAddConnectionDialog
{
  GtkWindow    parent_instance;

  GtkDropDown *kind_dropdown;
  GtkStack    *fields_stack;
  GtkEditable *name_entry;
  GtkEditable *key_entry;
  GtkEditable *url_entry;
  GtkEditable *admin_key_entry;
  GtkWidget   *add_button;
  GtkWidget   *error_box;
  GtkLabel    *error_label;
};

G_DEFINE_FINAL_TYPE (CmgAddConnectionDialog, cmg_add_connection_dialog, GTK_TYPE_WINDOW)

enum {
  CONNECTION_ADDED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
dup_field (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static gboolean
filled (GtkEditable *editable)
{
  g_autofree char *text = dup_field (editable);
  return *text != '\0';
}

static void
changed_cb (CmgAddConnectionDialog *self)
{
  guint kind = gtk_drop_down_get_selected (self->kind_dropdown);
  gboolean ready = FALSE;

  if (kind < G_N_ELEMENTS (page_names))
    gtk_stack_set_visible_child_name (self->fields_stack, page_names[kind]);

  switch (kind)
    {
    case KIND_DEPLOYMENT:
      ready = filled (self->name_entry);
      break;
    case KIND_DEPLOY_KEY:
      ready = filled (self->key_entry);
      break;
    case KIND_SELF_HOSTED:
      ready = filled (self->url_entry) && filled (self->admin_key_entry);
      break;
    default:
      break;
    }

  gtk_widget_set_sensitive (self->add_button, ready);
  /* An old error no longer describes what is being typed. */
  gtk_widget_set_visible (self->error_box, FALSE);
}

static void
add_clicked_cb (CmgAddConnectionDialog *self)
{
  g_autoptr(CmgConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  GtkEditable *culprit = NULL;

  switch (gtk_drop_down_get_selected (self->kind_dropdown))
    {
    case KIND_DEPLOYMENT:
      {
        g_autofree char *name = dup_field (self->name_entry);
        connection = cmg_connection_new_deployment (name, &error);
        culprit = self->name_entry;
      }
      break;
    case KIND_DEPLOY_KEY:
      {
        g_autofree char *key = dup_field (self->key_entry);
        connection = cmg_connection_new_deploy_key (key, &error);
        culprit = self->key_entry;
      }
      break;
    case KIND_SELF_HOSTED:
      {
        g_autofree char *url = dup_field (self->url_entry);
        g_autofree char *admin_key = dup_field (self->admin_key_entry);
        connection = cmg_connection_new_self_hosted (url, admin_key, &error);
        culprit = self->url_entry;
      }
      break;
    default:
      return;
    }

  if (connection == NULL)
    {
      gtk_label_set_label (self->error_label,
                           error ? error->message : _("These details do not make a connection."));
      gtk_widget_set_visible (self->error_box, TRUE);
      if (culprit != NULL)
        gtk_widget_grab_focus (GTK_WIDGET (culprit));
      return;
    }

  g_signal_emit (self, signals[CONNECTION_ADDED], 0, connection);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
cmg_add_connection_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), CMG_TYPE_ADD_CONNECTION_DIALOG);

  G_OBJECT_CLASS (cmg_add_connection_dialog_parent_class)->dispose (object);
}

static void
cmg_add_connection_dialog_class_init (CmgAddConnectionDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_add_connection_dialog_dispose;

  signals[CONNECTION_ADDED] =
    g_signal_new ("connection-added",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, CMG_TYPE_CONNECTION);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-add-connection-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, kind_dropdown);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, fields_stack);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, key_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, url_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, admin_key_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, add_button);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, error_box);
  gtk_widget_class_bind_template_child (widget_class, CmgAddConnectionDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, add_clicked_cb);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
cmg_add_connection_dialog_init (CmgAddConnectionDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  changed_cb (self);
}

GtkWidget *
cmg_add_connection_dialog_new (GtkWindow *parent)
{
  return g_object_new (CMG_TYPE_ADD_CONNECTION_DIALOG,
                       "transient-for", parent,
                       NULL);
}
