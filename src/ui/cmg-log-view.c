/* cmg-log-view.c: see cmg-log-view.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "cmg-file-chooser.h"
#include "cmg-log-view.h"

struct _CmgLogView
{
  GtkWidget          parent_instance;

  CmgLogModel       *model;
  GtkMultiSelection *selection;
  CmgCliRun         *run;
  gulong             line_added_id;
  gulong             line_updated_id;
  GCancellable      *load_cancellable;

  gboolean           following;
  /* Set while the view scrolls itself, so that only the user's scrolling stops following. */
  gboolean           scrolling;
  guint              scroll_id;
  double             last_value;
  guint              last_match;

  GtkWidget         *box;
  GtkLabel          *count_label;
  GtkToggleButton   *search_button;
  GtkSearchBar      *search_bar;
  GtkSearchEntry    *search_entry;
  GtkLabel          *match_label;
  GtkScrolledWindow *scrolled;
  GtkListView       *list_view;
  GtkWidget         *jump_button;
};

G_DEFINE_FINAL_TYPE (CmgLogView, cmg_log_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_FOLLOWING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_following (CmgLogView *self,
               gboolean    following)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  gtk_widget_set_visible (self->jump_button, !following && n > 0);
  if (self->following == following)
    return;
  self->following = following;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOLLOWING]);
}

static void
scroll_to_position (CmgLogView *self,
                    guint       position)
{
  /* The list view's own action moves its anchor; setting the adjustment from a handler of the
   * adjustment's "changed" would be lost while the list view configures it. */
  self->scrolling = TRUE;
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  self->scrolling = FALSE;
}

static gboolean
scroll_to_end_cb (GtkWidget     *widget,
                  GdkFrameClock *frame_clock,
                  gpointer       user_data)
{
  CmgLogView *self = CMG_LOG_VIEW (widget);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));

  self->scroll_id = 0;
  if (self->following && n > 0)
    scroll_to_position (self, n - 1);
  return G_SOURCE_REMOVE;
}

/* Once per frame at most, before its layout: however many batches arrive in between, the view
 * moves (and makes rows) once. */
static void
scroll_to_end (CmgLogView *self)
{
  if (self->scroll_id != 0)
    return;
  if (!gtk_widget_get_realized (GTK_WIDGET (self)))
    return; /* No frames yet: mapping scrolls. */
  self->scroll_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), scroll_to_end_cb, NULL, NULL);
}

static void
map_cb (CmgLogView *self)
{
  if (self->following)
    scroll_to_end (self);
}

static gboolean
is_at_end (GtkAdjustment *adjustment)
{
  return gtk_adjustment_get_value (adjustment) + gtk_adjustment_get_page_size (adjustment) >=
         gtk_adjustment_get_upper (adjustment) - 4;
}

static void
adjustment_changed_cb (CmgLogView    *self,
                       GtkAdjustment *adjustment)
{
  /* The list grew (or the view was resized): keep the newest line in sight. */
  if (self->following && !is_at_end (adjustment))
    scroll_to_end (self);
}

static void
adjustment_value_changed_cb (CmgLogView    *self,
                             GtkAdjustment *adjustment)
{
  double value = gtk_adjustment_get_value (adjustment);

  /* While following, the view only moves down by itself (lines arrive below; it may lag a row
   * behind a batch): moving up away from the end is the user's doing. */
  if (self->scrolling)
    ;
  else if (self->following)
    {
      if (value < self->last_value - 0.5 && !is_at_end (adjustment))
        set_following (self, FALSE);
    }
  else if (is_at_end (adjustment))
    set_following (self, TRUE);
  self->last_value = value;
}

static void
update_count (CmgLogView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  g_autofree char *text = NULL;

  if (n == 0)
    {
      gtk_label_set_label (self->count_label, _("No output yet"));
      return;
    }
  /* Translators: the number of lines in a log */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u line", "%u lines", n), n);
  gtk_label_set_label (self->count_label, text);
}

static void
items_changed_cb (CmgLogView *self,
                  guint       position,
                  guint       removed,
                  guint       added)
{
  update_count (self);
  if (removed > 0 && g_list_model_get_n_items (G_LIST_MODEL (self->model)) == 0)
    {
      self->last_match = GTK_INVALID_LIST_POSITION;
      self->last_value = 0;
      set_following (self, TRUE);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.save",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0);
  if (self->following && added > 0)
    scroll_to_end (self);
}

/* Rows */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CmgLogView               *self)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 20);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription), 100);
  gtk_widget_add_css_class (inscription, "log-line");
  gtk_list_item_set_child (item, inscription);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CmgLogView               *self)
{
  GtkStringObject *line = gtk_list_item_get_item (item);
  GtkWidget *inscription = gtk_list_item_get_child (item);
  const char *text = gtk_string_object_get_string (line);

  gtk_inscription_set_text (GTK_INSCRIPTION (inscription), text);
  /* Long lines are cut on screen; the whole line is a hover (and a copy) away. */
  gtk_widget_set_tooltip_text (inscription, strlen (text) > 100 ? text : NULL);
}

/* Following */

gboolean
cmg_log_view_get_following (CmgLogView *self)
{
  g_return_val_if_fail (CMG_IS_LOG_VIEW (self), FALSE);
  return self->following;
}

void
cmg_log_view_jump_to_end (CmgLogView *self)
{
  g_return_if_fail (CMG_IS_LOG_VIEW (self));

  cmg_log_model_flush (self->model);
  set_following (self, TRUE);
  scroll_to_end (self);
}

/* Finding */

static gboolean
contains_ascii_nocase (const char *haystack,
                       const char *needle,
                       gsize       needle_len)
{
  for (const char *h = haystack; *h != '\0'; h++)
    {
      gsize i = 0;

      while (i < needle_len && h[i] != '\0' &&
             g_ascii_tolower (h[i]) == g_ascii_tolower (needle[i]))
        i++;
      if (i == needle_len)
        return TRUE;
    }
  return FALSE;
}

static void
show_position (CmgLogView *self,
               guint       position)
{
  set_following (self, FALSE);
  scroll_to_position (self, position);
}

guint
cmg_log_view_find (CmgLogView *self,
                   const char *text,
                   gboolean    forward)
{
  guint n, start;
  gsize len;

  g_return_val_if_fail (CMG_IS_LOG_VIEW (self), GTK_INVALID_LIST_POSITION);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  len = text ? strlen (text) : 0;
  if (len == 0 || n == 0)
    {
      gtk_label_set_label (self->match_label, "");
      return GTK_INVALID_LIST_POSITION;
    }

  if (self->last_match >= n)
    start = forward ? 0 : n - 1;
  else
    start = forward ? (self->last_match + 1) % n : (self->last_match + n - 1) % n;

  for (guint i = 0; i < n; i++)
    {
      guint position = forward ? (start + i) % n : (start + n - i) % n;
      g_autofree char *label = NULL;

      if (!contains_ascii_nocase (cmg_log_model_get_line (self->model, position), text, len))
        continue;

      self->last_match = position;
      gtk_selection_model_select_item (GTK_SELECTION_MODEL (self->selection), position, TRUE);
      show_position (self, position);
      /* Translators: where the match found in the log is */
      label = g_strdup_printf (_("Line %u"), position + 1);
      gtk_label_set_label (self->match_label, label);
      gtk_widget_remove_css_class (GTK_WIDGET (self->search_entry), "error");
      return position;
    }

  gtk_label_set_label (self->match_label, _("No match"));
  gtk_widget_add_css_class (GTK_WIDGET (self->search_entry), "error");
  return GTK_INVALID_LIST_POSITION;
}

static void
search_changed_cb (CmgLogView *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  /* A new text looks again from the current match, so typing narrows in place. */
  if (self->last_match != GTK_INVALID_LIST_POSITION && self->last_match > 0)
    self->last_match--;
  else
    self->last_match = GTK_INVALID_LIST_POSITION;
  cmg_log_view_find (self, text, TRUE);
}

static void
find_next_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CmgLogView *self = CMG_LOG_VIEW (widget);

  cmg_log_view_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)),
                     g_strcmp0 (action_name, "log.find-previous") != 0);
}

static void
next_match_cb (CmgLogView *self)
{
  cmg_log_view_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), TRUE);
}

static void
previous_match_cb (CmgLogView *self)
{
  cmg_log_view_find (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), FALSE);
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmgLogView *self = CMG_LOG_VIEW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Copying */

char *
cmg_log_view_dup_copy_text (CmgLogView *self)
{
  g_autoptr(GtkBitset) selected = NULL;
  GtkBitsetIter iter;
  GString *text;
  guint position;

  g_return_val_if_fail (CMG_IS_LOG_VIEW (self), NULL);

  selected = gtk_selection_model_get_selection (GTK_SELECTION_MODEL (self->selection));
  if (gtk_bitset_is_empty (selected))
    return cmg_log_model_dup_text (self->model, 0, G_MAXUINT);

  text = g_string_new (NULL);
  for (gboolean ok = gtk_bitset_iter_init_first (&iter, selected, &position);
       ok;
       ok = gtk_bitset_iter_next (&iter, &position))
    {
      g_string_append (text, cmg_log_model_get_line (self->model, position));
      g_string_append_c (text, '\n');
    }
  return g_string_free (text, FALSE);
}

void
cmg_log_view_copy (CmgLogView *self)
{
  g_autofree char *text = NULL;

  g_return_if_fail (CMG_IS_LOG_VIEW (self));

  text = cmg_log_view_dup_copy_text (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), text);
}

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cmg_log_view_copy (CMG_LOG_VIEW (widget));
}

static void
jump_to_end_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  cmg_log_view_jump_to_end (CMG_LOG_VIEW (widget));
}

/* Saving */

static void
save_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
close_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;

  if (!g_output_stream_close_finish (G_OUTPUT_STREAM (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
write_done_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GCancellable *cancellable = g_task_get_cancellable (task);
  GError *error = NULL;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_output_stream_close_async (G_OUTPUT_STREAM (object), G_PRIORITY_DEFAULT, cancellable,
                               close_done_cb, g_steal_pointer (&task));
}

static void
create_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFileOutputStream) stream = NULL;
  GError *error = NULL;
  GBytes *bytes = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  stream = g_file_create_finish (G_FILE (object), result, &error);
  if (stream == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  /* Asynchronous, so that a log of several MB never stalls the window; the task keeps the bytes. */
  g_output_stream_write_all_async (G_OUTPUT_STREAM (stream), g_bytes_get_data (bytes, NULL),
                                   g_bytes_get_size (bytes), G_PRIORITY_DEFAULT, cancellable, write_done_cb,
                                   g_steal_pointer (&task));
}

void
cmg_log_view_save_async (CmgLogView          *self,
                         GFile               *file,
                         gboolean             replace,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  g_return_if_fail (CMG_IS_LOG_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_log_view_save_async);

  cmg_log_model_flush (self->model);
  text = cmg_log_model_dup_text (self->model, 0, G_MAXUINT);
  bytes = g_bytes_new_take (text, strlen (text));

  if (replace)
    {
      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_NONE,
                                           cancellable, save_done_cb, g_steal_pointer (&task));
      return;
    }
  g_task_set_task_data (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
  g_file_create_async (file, G_FILE_CREATE_NONE, G_PRIORITY_DEFAULT, cancellable,
                       create_done_cb, g_steal_pointer (&task));
}

gboolean
cmg_log_view_save_finish (CmgLogView    *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
dialog_save_done_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CmgLogView *self = CMG_LOG_VIEW (object);
  g_autoptr(GError) error = NULL;

  if (!cmg_log_view_save_finish (self, result, &error))
    {
      /* Translators: the reason a log could not be saved follows */
      g_autofree char *message = g_strdup_printf (_("The log could not be saved: %s"), error->message);

      gtk_label_set_label (self->count_label, message);
      return;
    }
  gtk_label_set_label (self->count_label, _("Log saved"));
}

static void
save_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CmgLogView *self = CMG_LOG_VIEW (object);
  g_autoptr(GFile) file = cmg_file_chooser_run_file_finish (GTK_WIDGET (self), result, NULL);

  /* The chooser has already asked before replacing an existing file. */
  if (file != NULL)
    cmg_log_view_save_async (self, file, TRUE, NULL, dialog_save_done_cb, NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  cmg_file_chooser_run_async (widget, CMG_FILE_CHOOSER_SAVE, _("Save Log"), _("_Save"),
                              NULL, "convex-migrate.log", NULL, save_chosen_cb, NULL);
}

/* Loading a file */

static void
load_file_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  GFile *file = task_data;
  GError *error = NULL;
  char *contents = NULL;
  gsize length = 0;

  if (!g_file_load_contents (file, cancellable, &contents, &length, NULL, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_task_return_pointer (task, g_bytes_new_take (contents, length), (GDestroyNotify) g_bytes_unref);
}

void
cmg_log_view_load_file_async (CmgLogView          *self,
                              GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (CMG_IS_LOG_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  cmg_log_view_attach_run (self, NULL);
  cmg_log_view_clear (self);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, cmg_log_view_load_file_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  g_task_run_in_thread (task, load_file_thread);
}

gboolean
cmg_log_view_load_file_finish (CmgLogView    *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize length;
  const char *data;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &length);
  cmg_log_model_clear (self->model);
  cmg_log_model_append_text (self->model, data, length);
  return TRUE;
}

/* Runs */

static void
line_added_cb (CmgCliRun  *run,
               guint       index,
               const char *text,
               CmgLogView *self)
{
  cmg_log_model_append (self->model, text);
}

static void
line_updated_cb (CmgCliRun  *run,
                 guint       index,
                 const char *text,
                 CmgLogView *self)
{
  cmg_log_model_set_line (self->model, index, text);
}

void
cmg_log_view_attach_run (CmgLogView *self,
                         CmgCliRun  *run)
{
  g_return_if_fail (CMG_IS_LOG_VIEW (self));
  g_return_if_fail (run == NULL || CMG_IS_CLI_RUN (run));

  if (self->run != NULL)
    {
      g_clear_signal_handler (&self->line_added_id, self->run);
      g_clear_signal_handler (&self->line_updated_id, self->run);
      g_clear_object (&self->run);
    }
  if (run == NULL)
    return;

  self->run = g_object_ref (run);
  self->line_added_id = g_signal_connect_object (run, "line-added", G_CALLBACK (line_added_cb), self, 0);
  self->line_updated_id = g_signal_connect_object (run, "line-updated", G_CALLBACK (line_updated_cb), self, 0);
}

void
cmg_log_view_clear (CmgLogView *self)
{
  g_return_if_fail (CMG_IS_LOG_VIEW (self));

  gtk_selection_model_unselect_all (GTK_SELECTION_MODEL (self->selection));
  cmg_log_model_clear (self->model);
  self->last_match = GTK_INVALID_LIST_POSITION;
  self->last_value = 0;
  gtk_label_set_label (self->match_label, "");
  set_following (self, TRUE);
}

CmgLogModel *
cmg_log_view_get_model (CmgLogView *self)
{
  g_return_val_if_fail (CMG_IS_LOG_VIEW (self), NULL);
  return self->model;
}

GtkListView *
cmg_log_view_get_list_view (CmgLogView *self)
{
  g_return_val_if_fail (CMG_IS_LOG_VIEW (self), NULL);
  return self->list_view;
}

static void
cmg_log_view_dispose (GObject *object)
{
  CmgLogView *self = CMG_LOG_VIEW (object);

  cmg_log_view_attach_run (self, NULL);
  if (self->scroll_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->scroll_id);
  self->scroll_id = 0;
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_LOG_VIEW);

  g_clear_object (&self->selection);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (cmg_log_view_parent_class)->dispose (object);
}

static void
cmg_log_view_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  CmgLogView *self = CMG_LOG_VIEW (object);

  switch (prop_id)
    {
    case PROP_FOLLOWING:
      g_value_set_boolean (value, self->following);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_log_view_class_init (CmgLogViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_log_view_dispose;
  object_class->get_property = cmg_log_view_get_property;

  properties[PROP_FOLLOWING] =
    g_param_spec_boolean ("following", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-log-view.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, box);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, search_button);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, match_label);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, scrolled);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, list_view);
  gtk_widget_class_bind_template_child (widget_class, CmgLogView, jump_button);

  gtk_widget_class_install_action (widget_class, "log.search", NULL, search_action);
  gtk_widget_class_install_action (widget_class, "log.find-next", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "log.find-previous", NULL, find_next_action);
  gtk_widget_class_install_action (widget_class, "log.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "log.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "log.jump-to-end", NULL, jump_to_end_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "log.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "log.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "log.find-previous", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "log.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "log.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_End, GDK_CONTROL_MASK, "log.jump-to-end", NULL);
}

static void
cmg_log_view_init (CmgLogView *self)
{
  GtkListItemFactory *factory;
  GtkAdjustment *adjustment;

  self->following = TRUE;
  self->last_match = GTK_INVALID_LIST_POSITION;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Rows stay inside the frame's rounded corners. */
  gtk_widget_set_overflow (self->box, GTK_OVERFLOW_HIDDEN);

  self->model = cmg_log_model_new ();
  self->selection = gtk_multi_selection_new (g_object_ref (G_LIST_MODEL (self->model)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  /* After the list view's own handler, so that the new rows are known when scrolling to them. */
  g_signal_connect_object (self->selection, "items-changed", G_CALLBACK (items_changed_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);

  g_signal_connect (self, "map", G_CALLBACK (map_cb), NULL);

  adjustment = gtk_scrolled_window_get_vadjustment (self->scrolled);
  g_signal_connect_object (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (adjustment_value_changed_cb), self,
                           G_CONNECT_SWAPPED);

  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  g_signal_connect_object (self->search_entry, "search-changed", G_CALLBACK (search_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate", G_CALLBACK (next_match_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "next-match", G_CALLBACK (next_match_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "previous-match", G_CALLBACK (previous_match_cb), self,
                           G_CONNECT_SWAPPED);

  update_count (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "log.save", FALSE);
}

GtkWidget *
cmg_log_view_new (void)
{
  return g_object_new (CMG_TYPE_LOG_VIEW, NULL);
}
