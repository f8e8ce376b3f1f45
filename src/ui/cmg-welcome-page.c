/* cmg-welcome-page.c: see cmg-welcome-page.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-welcome-page.h"

struct _CmgWelcomePage
{
  GtkWidget   parent_instance;

  GSettings  *settings;

  GtkImage   *app_image;
  GtkWidget  *recent_box;
  GtkListBox *recent_list;
};

G_DEFINE_FINAL_TYPE (CmgWelcomePage, cmg_welcome_page, GTK_TYPE_WIDGET)

enum {
  PROJECT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
remove_recent (CmgWelcomePage *self,
               const char     *path)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) kept = NULL;

  for (guint i = 0; recent[i] != NULL; i++)
    if (g_strcmp0 (recent[i], path) != 0)
      g_strv_builder_add (builder, recent[i]);
  kept = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) kept);
}

static void
remove_clicked_cb (GtkButton      *button,
                   CmgWelcomePage *self)
{
  remove_recent (self, g_object_get_data (G_OBJECT (button), "cmg-path"));
}

static GtkWidget *
create_row (CmgWelcomePage *self,
            const char     *path)
{
  /* A stat of a handful of local paths; worth it to mark vanished folders before a click. */
  gboolean exists = g_file_test (path, G_FILE_TEST_IS_DIR);
  g_autofree char *name = g_path_get_basename (path);
  g_autofree char *accessible = NULL;
  g_autofree char *remove_label = NULL;
  GtkWidget *row, *box, *image, *labels, *label, *remove;

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), exists);
  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 6);

  image = gtk_image_new_from_icon_name (exists ? "folder-symbolic" : "dialog-warning-symbolic");
  gtk_accessible_update_property (GTK_ACCESSIBLE (image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, exists ? _("Folder") : _("Folder not found"),
                                  -1);
  gtk_box_append (GTK_BOX (box), image);

  labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (labels, TRUE);
  label = gtk_label_new (name);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (label, "heading");
  gtk_box_append (GTK_BOX (labels), label);
  if (exists)
    label = gtk_label_new (path);
  else
    {
      /* Translators: a folder path, then a note that it is gone */
      g_autofree char *text = g_strdup_printf (_("%s — folder not found"), path);
      label = gtk_label_new (text);
      gtk_widget_add_css_class (label, "missing");
    }
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_box_append (GTK_BOX (labels), label);
  gtk_box_append (GTK_BOX (box), labels);

  remove = gtk_button_new_from_icon_name ("window-close-symbolic");
  gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (remove, "flat");
  gtk_widget_add_css_class (remove, "circular");
  gtk_widget_set_tooltip_text (remove, _("Remove from Recent Projects"));
  remove_label = g_strdup_printf (_("Remove %s from Recent Projects"), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (remove),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, remove_label,
                                  -1);
  g_object_set_data_full (G_OBJECT (remove), "cmg-path", g_strdup (path), g_free);
  g_signal_connect (remove, "clicked", G_CALLBACK (remove_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), remove);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "cmg-path", g_strdup (path), g_free);
  if (exists)
    accessible = g_strdup_printf (_("%s, in %s"), name, path);
  else
    accessible = g_strdup_printf (_("%s, folder not found: %s"), name, path);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);
  return row;
}

static void
update_recent (CmgWelcomePage *self)
{
  g_auto(GStrv) recent = g_settings_get_strv (self->settings, "recent-projects");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkWidget *child;

  /* GTK 4.8 trips over a focused row that goes away while the page is hidden (the list is
   * rebuilt when a project opens): let go of the focus first. */
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->recent_list)))
    gtk_root_set_focus (root, NULL);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);

  for (guint i = 0; recent[i] != NULL; i++)
    gtk_list_box_append (self->recent_list, create_row (self, recent[i]));

  gtk_widget_set_visible (self->recent_box, recent[0] != NULL);
}

static void
row_activated_cb (CmgWelcomePage *self,
                  GtkListBoxRow  *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "cmg-path");
  g_autoptr(GFile) file = g_file_new_for_path (path);

  g_signal_emit (self, signals[PROJECT_ACTIVATED], 0, file);
}

static void
cmg_welcome_page_dispose (GObject *object)
{
  CmgWelcomePage *self = CMG_WELCOME_PAGE (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_WELCOME_PAGE);
  /* The template's unnamed root is not a template child: unparent it too. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cmg_welcome_page_parent_class)->dispose (object);
}

static void
cmg_welcome_page_class_init (CmgWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_welcome_page_dispose;

  signals[PROJECT_ACTIVATED] =
    g_signal_new ("project-activated",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgWelcomePage, app_image);
  gtk_widget_class_bind_template_child (widget_class, CmgWelcomePage, recent_box);
  gtk_widget_class_bind_template_child (widget_class, CmgWelcomePage, recent_list);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cmg_welcome_page_init (CmgWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_image_set_from_icon_name (self->app_image, APPLICATION_ID);

  self->settings = g_settings_new (APPLICATION_ID);
  g_signal_connect_object (self->settings, "changed::recent-projects",
                           G_CALLBACK (update_recent), self,
                           G_CONNECT_SWAPPED);
  update_recent (self);
}

GtkWidget *
cmg_welcome_page_new (void)
{
  return g_object_new (CMG_TYPE_WELCOME_PAGE, NULL);
}
