/* cmg-archive-browser.c: see cmg-archive-browser.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-archive-browser.h"
#include "cmg-archive-view.h"
#include "cmg-file-chooser.h"
#include "cmg-snapshot.h"
#include "cmg-snapshot-open-task.h"

#define MAX_RECENT 8

struct _CmgArchiveBrowser
{
  GtkWidget      parent_instance;

  GtkStringList *recent;
  GSettings     *settings;      /* NULL when the app's schema is not installed */
  GCancellable  *cancellable;
  guint          n_opening;

  GtkStack      *stack;
  GtkWidget     *empty_box;
  GtkWidget     *recent_box;
  GtkListBox    *recent_list;
  GtkNotebook   *notebook;
};

G_DEFINE_FINAL_TYPE (CmgArchiveBrowser, cmg_archive_browser, GTK_TYPE_WIDGET)

enum {
  ARCHIVE_OPENED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_state (CmgArchiveBrowser *self)
{
  gboolean any = gtk_notebook_get_n_pages (self->notebook) > 0;

  gtk_stack_set_visible_child_name (self->stack, any ? "tabs" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "browser.close", any);
}

/* Recent archives, kept in the app's settings when its schema is installed. */

static void
rebuild_recent (CmgArchiveBrowser *self)
{
  GtkWidget *child;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->recent));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))) != NULL)
    gtk_list_box_remove (self->recent_list, child);
  for (guint i = 0; i < n; i++)
    {
      const char *path = gtk_string_list_get_string (self->recent, i);
      g_autofree char *name = g_path_get_basename (path);
      g_autofree char *dir = g_path_get_dirname (path);
      GtkWidget *row = gtk_list_box_row_new ();
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *title = gtk_label_new (name);
      GtkWidget *subtitle = gtk_label_new (dir);

      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_MIDDLE);
      gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
      gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_START);
      gtk_widget_add_css_class (subtitle, "dim-label");
      gtk_widget_add_css_class (subtitle, "caption");
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), subtitle);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_tooltip_text (row, path);
      g_object_set_data_full (G_OBJECT (row), "cmg-path", g_strdup (path), g_free);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_list_box_append (self->recent_list, row);
    }
  gtk_widget_set_visible (self->recent_box, n > 0);
}

/* The browser also lives outside the app (tests, the benchmark), where g_settings_new() would
 * abort for want of the schema. */
static GSettings *
new_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "recent-archives"))
    return NULL;
  return g_settings_new_full (schema, NULL, NULL);
}

static void
add_recent (CmgArchiveBrowser *self,
            GFile             *file)
{
  g_autofree char *path = g_file_get_path (file);
  guint n;

  if (path == NULL)
    return;
  n = g_list_model_get_n_items (G_LIST_MODEL (self->recent));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (gtk_string_list_get_string (self->recent, i), path) == 0)
      {
        gtk_string_list_remove (self->recent, i);
        break;
      }
  gtk_string_list_splice (self->recent, 0, 0, (const char * const[]) { path, NULL });
  n = g_list_model_get_n_items (G_LIST_MODEL (self->recent));
  if (n > MAX_RECENT)
    gtk_string_list_splice (self->recent, MAX_RECENT, n - MAX_RECENT, NULL);
  rebuild_recent (self);
  if (self->settings != NULL)
    {
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) paths = NULL;

      n = g_list_model_get_n_items (G_LIST_MODEL (self->recent));
      for (guint i = 0; i < n; i++)
        g_strv_builder_add (builder, gtk_string_list_get_string (self->recent, i));
      paths = g_strv_builder_end (builder);
      g_settings_set_strv (self->settings, "recent-archives", (const char * const *) paths);
    }
}

static void
recent_row_activated_cb (GtkListBox        *list,
                         GtkListBoxRow     *row,
                         CmgArchiveBrowser *self)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_object_get_data (G_OBJECT (row), "cmg-path"));

  cmg_archive_browser_open (self, file);
}

/* Tabs. */

static void
close_clicked_cb (GtkButton         *button,
                  CmgArchiveBrowser *self)
{
  GtkWidget *page = g_object_get_data (G_OBJECT (button), "cmg-page");
  int index = gtk_notebook_page_num (self->notebook, page);

  if (index >= 0)
    cmg_archive_browser_close (self, (guint) index);
}

static GtkWidget *
make_tab_label (CmgArchiveBrowser *self,
                GFile             *file,
                GtkWidget         *page,
                gboolean           failed)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *close_label = g_strdup_printf (_("Close %s"), name);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *label = gtk_label_new (name);
  GtkWidget *close = gtk_button_new_from_icon_name ("window-close-symbolic");

  if (failed)
    gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name ("dialog-error-symbolic"));
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  /* Tabs get their minimum width: ask for enough to read the name. */
  gtk_label_set_width_chars (GTK_LABEL (label), MIN ((int) g_utf8_strlen (name, -1), 24));
  gtk_label_set_max_width_chars (GTK_LABEL (label), 32);
  gtk_widget_set_tooltip_text (box, path);
  gtk_widget_add_css_class (close, "flat");
  gtk_widget_add_css_class (close, "circular");
  gtk_widget_set_tooltip_text (close, _("Close (Ctrl+W)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (close), GTK_ACCESSIBLE_PROPERTY_LABEL, close_label, -1);
  g_object_set_data (G_OBJECT (close), "cmg-page", page);
  g_signal_connect_object (close, "clicked", G_CALLBACK (close_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), close);
  return box;
}

static GtkWidget *
make_failure_page (GFile        *file,
                   const GError *error)
{
  g_autofree char *path = g_file_get_path (file);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  GtkWidget *title = gtk_label_new (_("This archive cannot be opened"));
  GtkWidget *message = gtk_label_new (error->message);
  GtkWidget *where = gtk_label_new (path);
  GtkWidget *hint = gtk_label_new (_("Other open archives are not affected. If the file is still being "
                                     "downloaded or copied, open it again when it is complete."));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (box, 420, -1);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 64);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_justify (GTK_LABEL (message), GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (GTK_LABEL (message), TRUE);
  gtk_label_set_ellipsize (GTK_LABEL (where), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_label_set_justify (GTK_LABEL (hint), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), title);
  gtk_box_append (GTK_BOX (box), message);
  gtk_box_append (GTK_BOX (box), where);
  gtk_box_append (GTK_BOX (box), hint);
  g_object_set_data_full (G_OBJECT (box), "cmg-file", g_object_ref (file), g_object_unref);
  g_object_set_data_full (G_OBJECT (box), "cmg-message", g_strdup (error->message), g_free);
  return box;
}

static GFile *
page_file (GtkWidget *page)
{
  if (CMG_IS_ARCHIVE_VIEW (page))
    return cmg_snapshot_get_file (cmg_archive_view_get_snapshot (CMG_ARCHIVE_VIEW (page)));
  return g_object_get_data (G_OBJECT (page), "cmg-file");
}

static void
add_page (CmgArchiveBrowser *self,
          GFile             *file,
          GtkWidget         *page,
          gboolean           failed)
{
  int index = gtk_notebook_append_page (self->notebook, page, make_tab_label (self, file, page, failed));
  g_autofree char *name = g_file_get_basename (file);

  gtk_notebook_set_tab_reorderable (self->notebook, page, TRUE);
  gtk_notebook_set_menu_label_text (self->notebook, page, name);
  gtk_notebook_set_current_page (self->notebook, index);
  update_state (self);
}

static void
open_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CmgArchiveBrowser) self = user_data;
  GFile *file = cmg_snapshot_open_task_get_file (result);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open_task_finish (result, &error);

  self->n_opening--;
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The same file may have been asked for twice before the first open finished: one tab per
   * file, and a retried broken file replaces its old failure tab. */
  for (int i = gtk_notebook_get_n_pages (self->notebook) - 1; i >= 0; i--)
    {
      GtkWidget *page = gtk_notebook_get_nth_page (self->notebook, i);
      GFile *open = page_file (page);

      if (open == NULL || !g_file_equal (open, file))
        continue;
      if (CMG_IS_ARCHIVE_VIEW (page))
        {
          gtk_notebook_set_current_page (self->notebook, i);
          return;
        }
      gtk_notebook_remove_page (self->notebook, i);
    }
  if (snapshot == NULL)
    add_page (self, file, make_failure_page (file, error), TRUE);
  else
    {
      add_page (self, file, cmg_archive_view_new (snapshot), FALSE);
      add_recent (self, file);
    }
  g_signal_emit (self, signals[ARCHIVE_OPENED], 0, file, snapshot != NULL);
}

void
cmg_archive_browser_open (CmgArchiveBrowser *self,
                          GFile             *file)
{
  int n;

  g_return_if_fail (CMG_IS_ARCHIVE_BROWSER (self));
  g_return_if_fail (G_IS_FILE (file));

  n = gtk_notebook_get_n_pages (self->notebook);
  for (int i = 0; i < n; i++)
    {
      GtkWidget *page = gtk_notebook_get_nth_page (self->notebook, i);
      GFile *open = page_file (page);

      /* A broken file is tried again (it may have been completed since). */
      if (open != NULL && g_file_equal (open, file) && CMG_IS_ARCHIVE_VIEW (page))
        {
          gtk_notebook_set_current_page (self->notebook, i);
          return;
        }
    }

  self->n_opening++;
  cmg_snapshot_open_task_run (NULL, file, self->cancellable, open_done_cb, g_object_ref (self));
}

guint
cmg_archive_browser_get_n_archives (CmgArchiveBrowser *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_BROWSER (self), 0);
  return (guint) gtk_notebook_get_n_pages (self->notebook);
}

guint
cmg_archive_browser_get_n_opening (CmgArchiveBrowser *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_BROWSER (self), 0);
  return self->n_opening;
}

GtkWidget *
cmg_archive_browser_get_page (CmgArchiveBrowser *self,
                              guint              index)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_BROWSER (self), NULL);
  return gtk_notebook_get_nth_page (self->notebook, (int) index);
}

GtkWidget *
cmg_archive_browser_get_current_page (CmgArchiveBrowser *self)
{
  int current;

  g_return_val_if_fail (CMG_IS_ARCHIVE_BROWSER (self), NULL);
  current = gtk_notebook_get_current_page (self->notebook);
  return current < 0 ? NULL : gtk_notebook_get_nth_page (self->notebook, current);
}

void
cmg_archive_browser_close (CmgArchiveBrowser *self,
                           guint              index)
{
  GtkWidget *page;

  g_return_if_fail (CMG_IS_ARCHIVE_BROWSER (self));

  page = gtk_notebook_get_nth_page (self->notebook, (int) index);
  if (page == NULL)
    return;
  if (CMG_IS_ARCHIVE_VIEW (page))
    cmg_archive_view_cancel (CMG_ARCHIVE_VIEW (page));
  gtk_notebook_remove_page (self->notebook, (int) index);
  update_state (self);
}

GListModel *
cmg_archive_browser_get_recent (CmgArchiveBrowser *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_BROWSER (self), NULL);
  return G_LIST_MODEL (self->recent);
}

/* Actions and drag and drop. */

static void
open_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CmgArchiveBrowser *self = CMG_ARCHIVE_BROWSER (object);
  g_autoptr(GListModel) files = cmg_file_chooser_run_finish (GTK_WIDGET (self), result, NULL);
  guint n = files != NULL ? g_list_model_get_n_items (files) : 0;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GFile) file = g_list_model_get_item (files, i);

      cmg_archive_browser_open (self, file);
    }
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) exports = cmg_file_chooser_new_exports_filter (_("Convex exports (.zip, .jsonl, .json, .csv)"));
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  gtk_file_filter_set_name (all, _("All files"));
  gtk_file_filter_add_pattern (all, "*");
  g_list_store_append (filters, exports);
  g_list_store_append (filters, all);
  cmg_file_chooser_run_async (widget, CMG_FILE_CHOOSER_OPEN_MULTIPLE, _("Open Export Archives"), _("_Open"),
                              G_LIST_MODEL (filters), NULL, NULL, open_chosen_cb, NULL);
}

static void
close_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  CmgArchiveBrowser *self = CMG_ARCHIVE_BROWSER (widget);
  int current = gtk_notebook_get_current_page (self->notebook);

  if (current >= 0)
    cmg_archive_browser_close (self, (guint) current);
}

static gboolean
drop_cb (GtkDropTarget     *target,
         const GValue      *value,
         double             x,
         double             y,
         CmgArchiveBrowser *self)
{
  GdkFileList *list;
  g_autoptr(GSList) files = NULL;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = g_value_get_boxed (value);
  files = gdk_file_list_get_files (list);
  for (GSList *l = files; l != NULL; l = l->next)
    cmg_archive_browser_open (self, l->data);
  gtk_widget_remove_css_class (self->empty_box, "cmg-drop-hover");
  return files != NULL;
}

static GdkDragAction
drop_enter_cb (GtkDropTarget     *target,
               double             x,
               double             y,
               CmgArchiveBrowser *self)
{
  gtk_widget_add_css_class (self->empty_box, "cmg-drop-hover");
  return GDK_ACTION_COPY;
}

static void
drop_leave_cb (GtkDropTarget     *target,
               CmgArchiveBrowser *self)
{
  gtk_widget_remove_css_class (self->empty_box, "cmg-drop-hover");
}

static void
cmg_archive_browser_dispose (GObject *object)
{
  CmgArchiveBrowser *self = CMG_ARCHIVE_BROWSER (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  if (self->notebook != NULL)
    while (gtk_notebook_get_n_pages (self->notebook) > 0)
      cmg_archive_browser_close (self, 0);
  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_ARCHIVE_BROWSER);
  /* The template's unnamed top-level child is not cleared by dispose_template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->recent);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (cmg_archive_browser_parent_class)->dispose (object);
}

static void
load_css (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  /* The browser's own styles, once per display: style.css belongs to the window, and the
   * browser must look right wherever it is placed. */
  if (display == NULL || g_object_get_data (G_OBJECT (display), "cmg-browser-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/convexmigrate/ConvexMigrate/browser/browser.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data (G_OBJECT (display), "cmg-browser-css", GINT_TO_POINTER (TRUE));
}

static void
cmg_archive_browser_class_init (CmgArchiveBrowserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_archive_browser_dispose;

  signals[ARCHIVE_OPENED] = g_signal_new ("archive-opened", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                          G_TYPE_FILE, G_TYPE_BOOLEAN);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/browser/cmg-archive-browser.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveBrowser, stack);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveBrowser, empty_box);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveBrowser, recent_box);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveBrowser, recent_list);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveBrowser, notebook);
  gtk_widget_class_bind_template_callback (widget_class, recent_row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "browser.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "browser.close", NULL, close_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "browser.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK, "browser.close", NULL);

  load_css ();
}

static void
cmg_archive_browser_init (CmgArchiveBrowser *self)
{
  GtkDropTarget *target;

  g_type_ensure (CMG_TYPE_ARCHIVE_VIEW);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->recent = gtk_string_list_new (NULL);
  self->cancellable = g_cancellable_new ();
  self->settings = new_settings ();
  if (self->settings != NULL)
    {
      g_auto(GStrv) paths = g_settings_get_strv (self->settings, "recent-archives");

      /* Only absolute paths, at most MAX_RECENT: the file may have been edited by hand. */
      guint kept = 0;

      for (guint i = 0; paths[i] != NULL && kept < MAX_RECENT; i++)
        if (g_path_is_absolute (paths[i]))
          {
            gtk_string_list_append (self->recent, paths[i]);
            kept++;
          }
      rebuild_recent (self);
    }

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  g_signal_connect_object (target, "enter", G_CALLBACK (drop_enter_cb), self, 0);
  g_signal_connect_object (target, "leave", G_CALLBACK (drop_leave_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  update_state (self);
}

GtkWidget *
cmg_archive_browser_new (void)
{
  return g_object_new (CMG_TYPE_ARCHIVE_BROWSER, NULL);
}
