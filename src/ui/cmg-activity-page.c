/* cmg-activity-page.c: see cmg-activity-page.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-activity-page.h"
#include "cmg-deployment.h"
#include "cmg-log-tail.h"
#include "cmg-risk-style.h"

struct _CmgActivityPage
{
  GtkWidget           parent_instance;

  CmgRunHistory      *history;
  GtkSingleSelection *selection;
  CmgRunRecord       *selected;
  gulong              outcome_id;
  GCancellable       *load_cancellable;
  gboolean            loading;
  CmgLogTail         *tail;   /* follows the selected run's log while it runs */

  GtkStack           *stack;
  GtkListView        *runs_list;
  GtkLabel           *title_label;
  GtkLabel           *command_label;
  GtkLabel           *message_label;
  CmgLogView         *log_view;
};

G_DEFINE_FINAL_TYPE (CmgActivityPage, cmg_activity_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *
action_label (const char *action)
{
  if (g_strcmp0 (action, "export") == 0)
    return _("Export");
  if (g_strcmp0 (action, "import") == 0)
    return _("Import");
  if (g_strcmp0 (action, "version") == 0)
    return _("Version check");
  return action;
}

static char *
format_duration (gint64 ms)
{
  if (ms < 0)
    return NULL;
  if (ms < 60 * 1000)
    /* Translators: a duration in seconds */
    return g_strdup_printf (_("%.1f s"), ms / 1000.0);
  /* Translators: a duration in minutes and seconds */
  return g_strdup_printf (_("%d min %d s"), (int) (ms / 60000), (int) ((ms / 1000) % 60));
}

static char *
dup_title (CmgRunRecord *record)
{
  const char *target = cmg_run_record_get_target_name (record);

  /* Translators: what ran, then the deployment, e.g. "Export from happy-animal-123" */
  return g_strdup_printf (g_strcmp0 (cmg_run_record_get_action (record), "import") == 0 ? _("%s into %s") : _("%s from %s"),
                          action_label (cmg_run_record_get_action (record)),
                          target && *target ? target : _("unknown deployment"));
}

static char *
dup_details (CmgRunRecord *record)
{
  g_autoptr(GDateTime) start = cmg_run_record_dup_start (record);
  g_autofree char *time = start ? g_date_time_format (start, "%Y-%m-%d %H:%M") : g_strdup ("?");
  g_autofree char *duration = format_duration (cmg_run_record_get_duration_ms (record));
  const char *outcome = cmg_run_outcome_get_label (cmg_run_record_get_outcome (record));

  if (duration == NULL)
    /* Translators: start time · outcome */
    return g_strdup_printf (_("%s · %s"), time, outcome);
  /* Translators: start time · outcome · duration */
  return g_strdup_printf (_("%s · %s · %s"), time, outcome, duration);
}

static const char *
outcome_class (CmgRunOutcome outcome)
{
  switch (outcome)
    {
    case CMG_RUN_OUTCOME_SUCCEEDED:
      return "outcome-ok";
    case CMG_RUN_OUTCOME_RUNNING:
      return "outcome-running";
    case CMG_RUN_OUTCOME_FAILED:
    case CMG_RUN_OUTCOME_INTERRUPTED:
      return "outcome-failed";
    case CMG_RUN_OUTCOME_CANCELLED:
    case CMG_RUN_OUTCOME_CONTINUES_ON_SERVER:
    default:
      return "outcome-other";
    }
}

static const char *
outcome_icon (CmgRunOutcome outcome)
{
  switch (outcome)
    {
    case CMG_RUN_OUTCOME_SUCCEEDED:
      return "object-select-symbolic";
    case CMG_RUN_OUTCOME_RUNNING:
      return "media-playback-start-symbolic";
    case CMG_RUN_OUTCOME_FAILED:
    case CMG_RUN_OUTCOME_INTERRUPTED:
      return "dialog-error-symbolic";
    case CMG_RUN_OUTCOME_CANCELLED:
    case CMG_RUN_OUTCOME_CONTINUES_ON_SERVER:
    default:
      return "process-stop-symbolic";
    }
}

/* Rows */

static void
update_row (GtkListItem *item)
{
  CmgRunRecord *record = gtk_list_item_get_item (item);
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *dot = gtk_widget_get_first_child (row);
  GtkWidget *texts = gtk_widget_get_next_sibling (dot);
  GtkWidget *title = gtk_widget_get_first_child (texts);
  GtkWidget *details = gtk_widget_get_next_sibling (title);
  GtkWidget *icon = gtk_widget_get_next_sibling (texts);
  CmgDeploymentType type = CMG_DEPLOYMENT_TYPE_UNKNOWN;
  static const char * const outcome_classes[] = { "outcome-ok", "outcome-running", "outcome-failed", "outcome-other" };
  CmgRunOutcome outcome = cmg_run_record_get_outcome (record);
  g_autofree char *title_text = dup_title (record);
  g_autofree char *details_text = dup_details (record);
  g_autofree char *accessible = NULL;

  cmg_deployment_type_from_string (cmg_run_record_get_target_type (record), &type);
  cmg_risk_style_apply (dot, cmg_deployment_type_get_risk (type));
  gtk_widget_set_tooltip_text (dot, cmg_deployment_type_get_label (type));

  gtk_label_set_label (GTK_LABEL (title), title_text);
  gtk_label_set_label (GTK_LABEL (details), details_text);
  gtk_image_set_from_icon_name (GTK_IMAGE (icon), outcome_icon (outcome));
  for (guint i = 0; i < G_N_ELEMENTS (outcome_classes); i++)
    gtk_widget_remove_css_class (icon, outcome_classes[i]);
  gtk_widget_add_css_class (icon, outcome_class (outcome));
  gtk_widget_set_tooltip_text (icon, cmg_run_outcome_get_label (outcome));

  /* Translators: a run in the activity list for screen readers: title, type, details */
  accessible = g_strdup_printf (_("%s, %s, %s"), title_text, cmg_deployment_type_get_label (type), details_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              CmgActivityPage          *self)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *dot = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);
  GtkWidget *icon = gtk_image_new ();

  gtk_widget_add_css_class (dot, "risk-dot");
  gtk_widget_set_valign (dot, GTK_ALIGN_CENTER);
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_label_set_ellipsize (GTK_LABEL (details), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), details);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (row), dot);
  gtk_box_append (GTK_BOX (row), texts);
  gtk_box_append (GTK_BOX (row), icon);
  gtk_widget_add_css_class (row, "run-row");
  gtk_list_item_set_child (item, row);
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             CmgActivityPage          *self)
{
  CmgRunRecord *record = gtk_list_item_get_item (item);
  gulong id;

  update_row (item);
  /* A run of this session ends while it is listed. */
  id = g_signal_connect_object (record, "notify::outcome", G_CALLBACK (update_row), item, G_CONNECT_SWAPPED);
  g_object_set_data (G_OBJECT (item), "cmg-outcome-handler", GSIZE_TO_POINTER (id));
}

static void
unbind_row_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               CmgActivityPage          *self)
{
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (item), "cmg-outcome-handler"));
  GObject *record = gtk_list_item_get_item (item);

  if (id != 0 && record != NULL)
    g_signal_handler_disconnect (record, id);
  g_object_set_data (G_OBJECT (item), "cmg-outcome-handler", NULL);
}

/* The selected run */

static void
set_loading (CmgActivityPage *self,
             gboolean         loading)
{
  if (self->loading == loading)
    return;
  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
log_loaded_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CmgActivityPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!cmg_log_view_load_file_finish (CMG_LOG_VIEW (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          /* Translators: the reason a run's log could not be read follows */
          g_autofree char *text = g_strdup_printf (_("The log of this run could not be read: %s"), error->message);

          gtk_label_set_label (self->message_label, text);
          gtk_widget_set_visible (GTK_WIDGET (self->message_label), TRUE);
        }
    }
  set_loading (self, FALSE);
}

static void
tail_lines_cb (CmgLogTail         *tail,
               const char * const *lines,
               guint               n_lines,
               CmgActivityPage    *self)
{
  cmg_log_model_append_lines (cmg_log_view_get_model (self->log_view), lines, n_lines);
}

static void
stop_tail (CmgActivityPage *self)
{
  if (self->tail == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->tail, self);
  cmg_log_tail_stop (self->tail);
  g_clear_object (&self->tail);
}

static void
load_selected_log (CmgActivityPage *self)
{
  const char *path;
  g_autoptr(GFile) file = NULL;

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  stop_tail (self);
  cmg_log_view_clear (self->log_view);

  if (self->selected == NULL)
    {
      set_loading (self, FALSE);
      return;
    }
  path = cmg_run_record_get_log_path (self->selected);
  if (path == NULL)
    {
      set_loading (self, FALSE);
      return;
    }

  file = g_file_new_for_path (path);

  /* A run still going (here or in another window) is followed as its log grows; when it ends,
   * the outcome changes and the finished log is loaded whole. */
  if (cmg_run_record_get_outcome (self->selected) == CMG_RUN_OUTCOME_RUNNING)
    {
      set_loading (self, FALSE);
      self->tail = cmg_log_tail_new (file, 250);
      g_signal_connect (self->tail, "lines", G_CALLBACK (tail_lines_cb), self);
      cmg_log_tail_start (self->tail);
      return;
    }

  self->load_cancellable = g_cancellable_new ();
  set_loading (self, TRUE);
  cmg_log_view_load_file_async (self->log_view, file, self->load_cancellable, log_loaded_cb, g_object_ref (self));
}

static void
show_selected (CmgActivityPage *self)
{
  CmgRunRecord *record = self->selected;
  g_autofree char *title = NULL;
  const char *message;

  if (record == NULL)
    {
      gtk_label_set_label (self->title_label, "");
      gtk_label_set_label (self->command_label, "");
      gtk_widget_set_visible (GTK_WIDGET (self->message_label), FALSE);
      load_selected_log (self);
      return;
    }

  title = dup_title (record);
  gtk_label_set_label (self->title_label, title);
  gtk_label_set_label (self->command_label, cmg_run_record_get_command (record));
  message = cmg_run_record_get_message (record);
  if (message == NULL)
    message = cmg_run_record_get_continue_url (record);
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  load_selected_log (self);
}

static void
selected_outcome_cb (CmgActivityPage *self)
{
  /* The run just ended: its log file is complete now. */
  show_selected (self);
}

static void
selection_changed_cb (CmgActivityPage *self)
{
  CmgRunRecord *record = gtk_single_selection_get_selected_item (self->selection);

  if (record == self->selected)
    return;
  if (self->selected != NULL)
    g_clear_signal_handler (&self->outcome_id, self->selected);
  g_set_object (&self->selected, record);
  if (record != NULL)
    self->outcome_id = g_signal_connect_object (record, "notify::outcome", G_CALLBACK (selected_outcome_cb),
                                                self, G_CONNECT_SWAPPED);
  show_selected (self);
}

static void
history_changed_cb (CmgActivityPage *self)
{
  guint n = self->history ? g_list_model_get_n_items (G_LIST_MODEL (self->history)) : 0;

  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "runs" : "empty");
}

void
cmg_activity_page_set_history (CmgActivityPage *self,
                               CmgRunHistory   *history)
{
  g_return_if_fail (CMG_IS_ACTIVITY_PAGE (self));
  g_return_if_fail (history == NULL || CMG_IS_RUN_HISTORY (history));

  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_changed_cb, self);
  g_set_object (&self->history, history);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (history));
  if (history != NULL)
    g_signal_connect_object (history, "items-changed", G_CALLBACK (history_changed_cb), self, G_CONNECT_SWAPPED);
  history_changed_cb (self);
  selection_changed_cb (self);
}

CmgRunHistory *
cmg_activity_page_get_history (CmgActivityPage *self)
{
  g_return_val_if_fail (CMG_IS_ACTIVITY_PAGE (self), NULL);
  return self->history;
}

void
cmg_activity_page_select (CmgActivityPage *self,
                          guint            position)
{
  g_return_if_fail (CMG_IS_ACTIVITY_PAGE (self));

  gtk_single_selection_set_selected (self->selection, position);
  selection_changed_cb (self);
}

CmgRunRecord *
cmg_activity_page_get_selected (CmgActivityPage *self)
{
  g_return_val_if_fail (CMG_IS_ACTIVITY_PAGE (self), NULL);
  return self->selected;
}

gboolean
cmg_activity_page_get_loading (CmgActivityPage *self)
{
  g_return_val_if_fail (CMG_IS_ACTIVITY_PAGE (self), FALSE);
  return self->loading;
}

CmgLogView *
cmg_activity_page_get_log_view (CmgActivityPage *self)
{
  g_return_val_if_fail (CMG_IS_ACTIVITY_PAGE (self), NULL);
  return self->log_view;
}

static void
cmg_activity_page_dispose (GObject *object)
{
  CmgActivityPage *self = CMG_ACTIVITY_PAGE (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  stop_tail (self);
  if (self->selected != NULL)
    g_clear_signal_handler (&self->outcome_id, self->selected);
  if (self->history != NULL)
    g_signal_handlers_disconnect_by_func (self->history, history_changed_cb, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_ACTIVITY_PAGE);

  g_clear_object (&self->selected);
  g_clear_object (&self->selection);
  g_clear_object (&self->history);

  G_OBJECT_CLASS (cmg_activity_page_parent_class)->dispose (object);
}

static void
cmg_activity_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  CmgActivityPage *self = CMG_ACTIVITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_activity_page_class_init (CmgActivityPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_activity_page_dispose;
  object_class->get_property = cmg_activity_page_get_property;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (CMG_TYPE_LOG_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-activity-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CmgActivityPage, stack);
  gtk_widget_class_bind_template_child (widget_class, CmgActivityPage, runs_list);
  gtk_widget_class_bind_template_child (widget_class, CmgActivityPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, CmgActivityPage, command_label);
  gtk_widget_class_bind_template_child (widget_class, CmgActivityPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, CmgActivityPage, log_view);
}

static void
cmg_activity_page_init (CmgActivityPage *self)
{
  GtkListItemFactory *factory;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (setup_row_cb), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (bind_row_cb), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (unbind_row_cb), self, 0);
  gtk_list_view_set_factory (self->runs_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->runs_list, GTK_SELECTION_MODEL (self->selection));

  history_changed_cb (self);
}

GtkWidget *
cmg_activity_page_new (void)
{
  return g_object_new (CMG_TYPE_ACTIVITY_PAGE, NULL);
}
