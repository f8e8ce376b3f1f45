/* cmg-undo-window.c: see cmg-undo-window.h. Built in code: it is a handful of widgets. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-undo-window.h"

struct _CmgUndoWindow
{
  GtkWindow      parent_instance;

  CmgImportPlan *plan;
  char          *summary;
  GtkWidget     *entry;
  GtkWidget     *hint;
  GtkWidget     *confirm_button;
  gboolean       responded;
};

G_DEFINE_FINAL_TYPE (CmgUndoWindow, cmg_undo_window, GTK_TYPE_WINDOW)

enum {
  RESPONSE,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static void
respond (CmgUndoWindow *self,
         gboolean       confirmed)
{
  if (self->responded)
    return;
  self->responded = TRUE;
  g_signal_emit (self, signals[RESPONSE], 0, confirmed);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
update_confirm (CmgUndoWindow *self)
{
  gboolean ok = TRUE;

  if (self->entry != NULL)
    {
      const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->entry));
      const char *expected = cmg_import_plan_get_expected_name (self->plan);

      /* The same rule as the plan's: an exact match, no trimming, no case folding. */
      ok = expected != NULL && g_strcmp0 (typed, expected) == 0;
      gtk_label_set_text (GTK_LABEL (self->hint),
                          ok ? "" : (*typed == '\0' ? _("Type the name to enable Undo.")
                                                    : _("The name does not match yet.")));
    }
  gtk_widget_set_sensitive (self->confirm_button, ok);
}

static void
on_confirm_clicked (CmgUndoWindow *self)
{
  if (!gtk_widget_get_sensitive (self->confirm_button))
    return;
  if (self->entry != NULL)
    cmg_import_plan_set_typed_name (self->plan, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  else
    cmg_import_plan_set_confirmed (self->plan, TRUE);
  respond (self, TRUE);
}

static gboolean
on_close_request (CmgUndoWindow *self)
{
  if (!self->responded)
    {
      self->responded = TRUE;
      g_signal_emit (self, signals[RESPONSE], 0, FALSE);
    }
  return FALSE;
}

static void
cmg_undo_window_finalize (GObject *object)
{
  CmgUndoWindow *self = CMG_UNDO_WINDOW (object);

  g_clear_object (&self->plan);
  g_free (self->summary);
  G_OBJECT_CLASS (cmg_undo_window_parent_class)->finalize (object);
}

static void
cmg_undo_window_class_init (CmgUndoWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = cmg_undo_window_finalize;

  signals[RESPONSE] = g_signal_new ("response", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ALERT_DIALOG);
}

static void
cmg_undo_window_init (CmgUndoWindow *self)
{
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_resizable (GTK_WINDOW (self), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (self), 480, -1);
  gtk_window_set_title (GTK_WINDOW (self), _("Undo the Import"));
  g_signal_connect (self, "close-request", G_CALLBACK (on_close_request), NULL);
}

CmgUndoWindow *
cmg_undo_window_new (GtkWindow     *parent,
                     CmgImportPlan *undo_plan)
{
  CmgUndoWindow *self;
  GtkWidget *box, *title, *text, *buttons, *cancel;
  CmgDeployment *deployment;
  g_autofree char *target = NULL;
  g_autofree char *backup = NULL;

  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (undo_plan), NULL);

  self = g_object_new (CMG_TYPE_UNDO_WINDOW, NULL);
  if (parent != NULL)
    gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  self->plan = g_object_ref (undo_plan);

  deployment = cmg_connection_get_deployment (cmg_import_plan_get_connection (undo_plan));
  target = deployment != NULL ? cmg_deployment_dup_display_name (deployment)
                              : g_strdup (cmg_connection_get_title (cmg_import_plan_get_connection (undo_plan)));
  backup = g_file_get_path (cmg_import_plan_get_source (undo_plan));
  /* Translators: %s are the deployment's name and the backup file */
  self->summary = g_strdup_printf (_("Every table of %s is replaced with the backup taken before the import "
                                     "(%s). Tables that are not in the backup are emptied. A new backup is "
                                     "taken first, and the server’s change summary is shown before anything "
                                     "is deleted."),
                                   target, backup);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_add_css_class (box, "cmg-undo-window");
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);

  title = gtk_label_new (_("Undo the import?"));
  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (box), title);

  text = gtk_label_new (self->summary);
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (text), 60);
  gtk_label_set_xalign (GTK_LABEL (text), 0);
  gtk_box_append (GTK_BOX (box), text);

  if (cmg_import_plan_get_requires_typed_name (undo_plan))
    {
      g_autofree char *markup = NULL;
      GtkWidget *prompt;

      markup = g_markup_printf_escaped (_("Type <b>%s</b> to confirm:"),
                                        cmg_import_plan_get_expected_name (undo_plan));
      prompt = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (prompt), markup);
      gtk_label_set_xalign (GTK_LABEL (prompt), 0);
      gtk_box_append (GTK_BOX (box), prompt);

      self->entry = gtk_entry_new ();
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->entry),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, _("Type the deployment name to confirm the undo"),
                                      -1);
      g_signal_connect_object (self->entry, "changed", G_CALLBACK (update_confirm), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->entry, "activate", G_CALLBACK (on_confirm_clicked), self, G_CONNECT_SWAPPED);
      gtk_box_append (GTK_BOX (box), self->entry);

      self->hint = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->hint, "cmg-assistant-hint");
      gtk_label_set_xalign (GTK_LABEL (self->hint), 0);
      gtk_box_append (GTK_BOX (box), self->hint);
    }

  buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (buttons, GTK_ALIGN_END);
  gtk_widget_set_margin_top (buttons, 12);

  cancel = gtk_button_new_with_mnemonic (_("_Keep the Import"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (cancel),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Keep the import and close"), -1);
  g_signal_connect_object (cancel, "clicked", G_CALLBACK (gtk_window_close), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), cancel);

  self->confirm_button = gtk_button_new_with_mnemonic (_("_Undo Import"));
  gtk_widget_add_css_class (self->confirm_button, "destructive-action");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->confirm_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Undo the import: restore the backup"), -1);
  g_signal_connect_object (self->confirm_button, "clicked", G_CALLBACK (on_confirm_clicked), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (buttons), self->confirm_button);
  gtk_box_append (GTK_BOX (box), buttons);

  gtk_window_set_child (GTK_WINDOW (self), box);
  update_confirm (self);
  return self;
}

CmgImportPlan *
cmg_undo_window_get_plan (CmgUndoWindow *self)
{
  g_return_val_if_fail (CMG_IS_UNDO_WINDOW (self), NULL);
  return self->plan;
}

const char *
cmg_undo_window_get_summary (CmgUndoWindow *self)
{
  g_return_val_if_fail (CMG_IS_UNDO_WINDOW (self), NULL);
  return self->summary;
}

GtkEditable *
cmg_undo_window_get_entry (CmgUndoWindow *self)
{
  g_return_val_if_fail (CMG_IS_UNDO_WINDOW (self), NULL);
  return self->entry != NULL ? GTK_EDITABLE (self->entry) : NULL;
}

GtkButton *
cmg_undo_window_get_confirm_button (CmgUndoWindow *self)
{
  g_return_val_if_fail (CMG_IS_UNDO_WINDOW (self), NULL);
  return GTK_BUTTON (self->confirm_button);
}
