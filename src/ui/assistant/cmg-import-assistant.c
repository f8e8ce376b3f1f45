/* cmg-import-assistant.c: see cmg-import-assistant.h. The plan owns every step and rule; this
 * widget shows the plan's state and turns clicks into plan calls. The only work of its own is a
 * preview of the source (tables, counts, checks) so that tables can be chosen before Next.
 * The pages live in cmg-import-assistant-source.c, -target.c and -review.c; the class, the plan's
 * wiring and the actions stay here. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-deployment-banner.h"
#include "cmg-file-chooser.h"
#include "cmg-import-assistant-private.h"
#include "cmg-project.h"
#include "cmg-undo-window.h"

/* A run shorter than this ends while the user still looks: no desktop notification. */
#define LONG_RUN_MS 10000

G_DEFINE_FINAL_TYPE (CmgImportAssistant, cmg_import_assistant, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_PLAN,
  PROP_PAGE_NAME,
  N_PROPS
};
static GParamSpec *properties[N_PROPS];

enum {
  PLAN_CREATED,
  N_SIGNALS
};
static guint signals[N_SIGNALS];

static const char * const page_names[] = {
  "source", "target", "mode", "safety", "review", "run", "result",
};

static void advance (CmgImportAssistant *self);

/* --- styling --- */

static void
load_css (void)
{
  GdkDisplay *display = gdk_display_get_default ();
  g_autoptr(GtkCssProvider) provider = NULL;

  /* Once per display: every assistant shares the provider. */
  if (display == NULL || g_object_get_data (G_OBJECT (display), "cmg-assistant-css") != NULL)
    return;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/io/github/convexmigrate/ConvexMigrate/assistant/assistant.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_object_set_data (G_OBJECT (display), "cmg-assistant-css", GINT_TO_POINTER (TRUE));
}

/* --- the steps sidebar --- */

static const char *
state_icon (CmgPlanStepState state)
{
  switch (state)
    {
    case CMG_PLAN_STEP_STATE_RUNNING:
      return "content-loading-symbolic";
    case CMG_PLAN_STEP_STATE_DONE:
      return "emblem-ok-symbolic";
    case CMG_PLAN_STEP_STATE_SKIPPED:
      return "media-skip-forward-symbolic";
    case CMG_PLAN_STEP_STATE_FAILED:
      return "dialog-error-symbolic";
    case CMG_PLAN_STEP_STATE_PENDING:
    default:
      return "radio-symbolic";
    }
}

static void
update_step_row (GtkWidget   *row,
                 GParamSpec  *pspec,
                 CmgPlanStep *step)
{
  GtkWidget *icon = g_object_get_data (G_OBJECT (row), "icon");
  GtkWidget *state_label = g_object_get_data (G_OBJECT (row), "state");
  CmgPlanStepState state = cmg_plan_step_get_state (step);
  const char *reason = cmg_plan_step_get_reason (step);
  g_autofree char *accessible = NULL;

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), state_icon (state));
  gtk_label_set_text (GTK_LABEL (state_label), cmg_plan_step_state_get_label (state));
  gtk_widget_set_tooltip_text (row, reason);
  for (guint i = CMG_PLAN_STEP_STATE_PENDING; i <= CMG_PLAN_STEP_STATE_FAILED; i++)
    {
      g_autofree char *css = g_strconcat ("cmg-step-", cmg_plan_step_state_to_string (i), NULL);

      if (i == state)
        gtk_widget_add_css_class (row, css);
      else
        gtk_widget_remove_css_class (row, css);
    }

  /* Translators: a step, its state and (maybe) why, for screen readers */
  accessible = g_strdup_printf (_("%s: %s%s%s"), cmg_plan_step_get_title (step),
                                cmg_plan_step_state_get_label (state),
                                reason != NULL ? ". " : "", reason != NULL ? reason : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
}

static GtkWidget *
create_step_row (gpointer item,
                 gpointer user_data)
{
  CmgPlanStep *step = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *title = gtk_label_new (cmg_plan_step_get_title (step));
  GtkWidget *state = gtk_label_new (NULL);

  gtk_widget_add_css_class (row, "cmg-step-row");
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (state), 0);
  gtk_widget_add_css_class (state, "caption");
  gtk_widget_add_css_class (state, "dim-label");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), state);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);

  g_object_set_data (G_OBJECT (row), "icon", icon);
  g_object_set_data (G_OBJECT (row), "state", state);
  g_signal_connect_object (step, "notify::state", G_CALLBACK (update_step_row), row, G_CONNECT_SWAPPED);
  g_signal_connect_object (step, "notify::reason", G_CALLBACK (update_step_row), row, G_CONNECT_SWAPPED);
  update_step_row (row, NULL, step);
  return row;
}

/* --- the plan --- */

static void
on_line_added (CmgImportAssistant *self,
               guint               index,
               const char         *text)
{
  /* Lines before REVIEW are the backup's export; from REVIEW on, the import's. */
  CmgLogView *view = current_page (self) >= CMG_PLAN_PAGE_REVIEW ? self->run_log : self->backup_log;

  cmg_log_model_append (cmg_log_view_get_model (view), text);
}

static void
on_confirmation_requested (CmgImportAssistant *self,
                           const char         *question)
{
  /* The buttons get the focus only with the summary on screen, never a default answer. */
  gtk_stack_set_visible_child_name (self->stack, "review");
  _cmg_import_assistant_sync_all (self);
}

static void
send_notification_if_unfocused (CmgImportAssistant *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GApplication *app = g_application_get_default ();
  g_autoptr(GNotification) notification = NULL;
  const char *message;

  if (app == NULL || cmg_import_plan_get_elapsed_ms (self->plan) < LONG_RUN_MS)
    return;
  if (GTK_IS_WINDOW (root) && gtk_window_is_active (GTK_WINDOW (root)))
    return;

  message = cmg_import_plan_get_result_message (self->plan);
  notification = g_notification_new (cmg_import_plan_get_outcome (self->plan) == CMG_IMPORT_OUTCOME_SUCCEEDED
                                     ? _("Import finished") : _("Import ended"));
  if (message != NULL)
    g_notification_set_body (notification, message);
  g_application_send_notification (app, "import-finished", notification);
}

static void
on_finished (CmgImportAssistant *self)
{
  if (cmg_import_plan_get_finished (self->plan))
    send_notification_if_unfocused (self);
  _cmg_import_assistant_sync_all (self);
}

static void
on_mode_toggled (GtkCheckButton     *button,
                 CmgImportAssistant *self)
{
  CmgCliImportMode mode = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "mode"));

  if (self->plan == NULL || !gtk_check_button_get_active (button) ||
      cmg_import_plan_get_mode (self->plan) == mode)
    return;
  cmg_import_plan_set_mode (self->plan, mode);
}

static void
on_tables_changed (CmgImportAssistant *self)
{
  GListModel *tables = cmg_import_plan_get_tables (self->plan);
  guint n = g_list_model_get_n_items (tables);

  /* Rows follow each table's counts: reconnect to the tables the plan has now. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);

      if (g_object_get_data (G_OBJECT (table), "cmg-assistant-watched") == self)
        continue;
      g_object_set_data (G_OBJECT (table), "cmg-assistant-watched", self);
      g_signal_connect_object (table, "notify", G_CALLBACK (_cmg_import_assistant_sync_all), self, G_CONNECT_SWAPPED);
    }
  _cmg_import_assistant_sync_all (self);
}

static void
disconnect_plan (CmgImportAssistant *self)
{
  GListModel *tables;
  guint n;

  if (self->plan == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->plan, self);
  g_signal_handlers_disconnect_by_data (cmg_import_plan_get_changes (self->plan), self);
  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    g_signal_handlers_disconnect_by_data (cmg_import_plan_get_step (self->plan, i), self);
  /* The plan outlives the assistant's interest in it (an undo keeps it): its tables stop
   * calling back too, and are watched again should the same plan come back. */
  tables = cmg_import_plan_get_tables (self->plan);
  g_signal_handlers_disconnect_by_data (tables, self);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgPlanTable) table = g_list_model_get_item (tables, i);

      if (g_object_get_data (G_OBJECT (table), "cmg-assistant-watched") == self)
        {
          g_signal_handlers_disconnect_by_data (table, self);
          g_object_set_data (G_OBJECT (table), "cmg-assistant-watched", NULL);
        }
    }
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->plan);
}

static void
set_plan (CmgImportAssistant *self,
          CmgImportPlan      *plan)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  disconnect_plan (self);
  g_clear_pointer (&self->last_error, g_free);
  /* Cleared while no plan listens: a new plan keeps what it was given (an undo's typed name). */
  gtk_editable_set_text (self->typed_entry, "");
  gtk_check_button_set_active (self->confirm_check, FALSE);
  if (plan == NULL)
    {
      gtk_list_box_bind_model (self->steps_list, NULL, NULL, NULL, NULL);
      gtk_column_view_set_model (self->changes_view, NULL);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
      _cmg_import_assistant_sync_all (self);
      return;
    }

  self->plan = g_object_ref (plan);
  g_signal_connect_object (plan, "notify", G_CALLBACK (_cmg_import_assistant_sync_all), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "notify::finished", G_CALLBACK (on_finished), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "line-added", G_CALLBACK (on_line_added), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "confirmation-requested", G_CALLBACK (on_confirmation_requested), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (plan, "change-summary", G_CALLBACK (_cmg_import_assistant_sync_all), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (cmg_import_plan_get_tables (plan), "items-changed", G_CALLBACK (on_tables_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (cmg_import_plan_get_changes (plan), "items-changed", G_CALLBACK (_cmg_import_assistant_sync_all), self,
                           G_CONNECT_SWAPPED);
  for (guint i = 0; i < CMG_PLAN_STEP_N_KINDS; i++)
    g_signal_connect_object (cmg_import_plan_get_step (plan, i), "notify", G_CALLBACK (_cmg_import_assistant_sync_all), self,
                             G_CONNECT_SWAPPED);

  gtk_list_box_bind_model (self->steps_list, cmg_import_plan_get_steps (plan), create_step_row, NULL, NULL);
  selection = gtk_no_selection_new (g_object_ref (cmg_import_plan_get_changes (plan)));
  gtk_column_view_set_model (self->changes_view, GTK_SELECTION_MODEL (selection));

  cmg_log_view_clear (self->backup_log);
  cmg_log_view_clear (self->run_log);

  g_signal_emit (self, signals[PLAN_CREATED], 0, plan);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLAN]);
  on_tables_changed (self);
}

static char *
dup_project_dir (CmgImportAssistant *self)
{
  CmgTargetResolution *resolution;

  if (self->project_dir != NULL)
    return g_strdup (self->project_dir);
  resolution = cmg_connection_get_resolution (self->connection);
  if (resolution != NULL && cmg_target_resolution_get_project (resolution) != NULL)
    return g_strdup (cmg_project_get_path (cmg_target_resolution_get_project (resolution)));
  /* The CLI then says which package.json it misses. */
  return g_get_current_dir ();
}

static void
new_plan_for (CmgImportAssistant *self,
              GFile              *source)
{
  g_autoptr(CmgImportPlan) plan = NULL;
  g_autofree char *project_dir = NULL;

  if (source == NULL || self->connection == NULL)
    {
      set_plan (self, NULL);
      return;
    }
  project_dir = dup_project_dir (self);
  /* Replace is the usual restore; the backup and the server's summary come before any delete. */
  plan = cmg_import_plan_new (source, self->connection, project_dir, CMG_CLI_IMPORT_MODE_REPLACE);
  gtk_editable_set_text (self->table_name_entry, "");
  gtk_editable_set_text (self->component_entry, "");
  gtk_drop_down_set_selected (self->format_dropdown, 0);
  set_plan (self, plan);
  _cmg_import_assistant_start_preview (self, source);
}

/* --- showing the plan --- */

/* Errors of the source check that would make this import fail (in the chosen tables, or about
 * the whole archive): the plan's own rule, applied before Next so the Source page keeps them. */
static guint
count_blocking_findings (CmgImportAssistant *self)
{
  GPtrArray *findings;
  const char * const *selected;
  guint n = 0;

  if (self->plan == NULL || self->preview_validation == NULL)
    return 0;
  findings = cmg_validation_get_findings (self->preview_validation);
  selected = cmg_import_plan_get_selected_tables (self->plan);
  for (guint i = 0; i < findings->len; i++)
    if (cmg_import_finding_blocks (g_ptr_array_index (findings, i), selected))
      n++;
  return n;
}

static void
sync_actions (CmgImportAssistant *self)
{
  CmgPlanPage page = current_page (self);
  gboolean running = self->plan != NULL && cmg_import_plan_get_running (self->plan);
  gboolean finished = self->plan != NULL && cmg_import_plan_get_finished (self->plan);
  gboolean awaiting = self->plan != NULL && cmg_import_plan_get_awaiting_answer (self->plan);
  gboolean review_pending = self->plan != NULL && step_state (self, CMG_PLAN_STEP_REVIEW) == CMG_PLAN_STEP_STATE_PENDING;
  gboolean can_next, can_back;
  const char *hint = NULL;
  const char *next_label = _("_Next");
  guint blocking = page == CMG_PLAN_PAGE_SOURCE && !running && !finished ? count_blocking_findings (self) : 0;
  g_autofree char *blocking_hint = NULL;

  can_next = self->plan != NULL && cmg_import_plan_get_can_advance (self->plan) && page < CMG_PLAN_PAGE_RUN &&
             !awaiting && blocking == 0 &&
             !(page == CMG_PLAN_PAGE_SOURCE && (self->preview_error != NULL ||
                                                (self->preview == NULL && self->preview_running)));
  can_back = self->plan != NULL && !running && !finished && page > CMG_PLAN_PAGE_SOURCE &&
             page <= CMG_PLAN_PAGE_REVIEW && review_pending;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.next", can_next);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.back", can_back);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.cancel", running || self->preview_running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.answer-yes", awaiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.answer-no", awaiting);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.copy-message",
                                 self->plan != NULL && cmg_import_plan_get_notify_message (self->plan) != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.undo", _cmg_import_assistant_undo_possible (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.restart", finished && self->connection != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "assistant.choose-file",
                                 page == CMG_PLAN_PAGE_SOURCE && !running && self->connection != NULL);
  gtk_widget_set_visible (self->undo_button, _cmg_import_assistant_undo_possible (self));

  if (self->plan == NULL)
    hint = self->connection == NULL ? _("Choose a deployment first.") : _("Choose a file to import.");
  else if (awaiting)
    hint = _("Answer the server’s question above.");
  else if (page == CMG_PLAN_PAGE_SOURCE && self->preview_error != NULL)
    hint = _("This file cannot be imported: choose another one.");
  else if (blocking > 0)
    hint = blocking_hint = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                         "%u error in the chosen tables would make the import fail.",
                                                         "%u errors in the chosen tables would make the import fail.",
                                                         blocking),
                                            blocking);
  else if (running)
    {
      CmgPlanStep *step = cmg_import_plan_get_current_step (self->plan);

      hint = step != NULL ? cmg_plan_step_get_description (step) : NULL;
    }
  else if (!cmg_import_plan_get_can_advance (self->plan) && cmg_import_plan_get_blocker (self->plan) != NULL)
    hint = cmg_import_plan_get_blocker (self->plan);
  else if (self->last_error != NULL)
    hint = self->last_error;
  gtk_label_set_text (self->blocker_label, hint != NULL ? hint : "");

  if (page == CMG_PLAN_PAGE_SAFETY)
    next_label = _("_Check and Continue");
  else if (page == CMG_PLAN_PAGE_REVIEW)
    next_label = _("_Start Import");
  gtk_button_set_label (self->next_button, next_label);
  gtk_widget_set_visible (GTK_WIDGET (self->next_button), page < CMG_PLAN_PAGE_RUN);
  gtk_widget_set_visible (self->back_button, page < CMG_PLAN_PAGE_RUN);
  gtk_widget_set_visible (self->cancel_button, page < CMG_PLAN_PAGE_RESULT);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), running || self->preview_running);
  gtk_spinner_set_spinning (self->spinner, running || self->preview_running);
}

void
_cmg_import_assistant_sync_all (CmgImportAssistant *self)
{
  CmgPlanPage page = current_page (self);
  const char *shown = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (shown, page_names[page]) != 0)
    {
      gtk_stack_set_visible_child_name (self->stack, page_names[page]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAGE_NAME]);
    }
  _cmg_import_assistant_sync_source (self);
  _cmg_import_assistant_sync_target (self);
  _cmg_import_assistant_sync_mode (self);
  _cmg_import_assistant_sync_safety (self);
  _cmg_import_assistant_sync_review (self);
  _cmg_import_assistant_sync_run (self);
  _cmg_import_assistant_sync_result (self);
  sync_actions (self);
}

/* --- actions --- */

static void
advance_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CmgImportAssistant) self = user_data;
  CmgImportPlan *plan = CMG_IMPORT_PLAN (object);
  g_autoptr(GError) error = NULL;
  CmgPlanPage page;

  if (plan != self->plan)
    return;
  g_clear_pointer (&self->last_error, g_free);
  if (!cmg_import_plan_advance_finish (plan, result, &error))
    {
      self->auto_until_review = FALSE;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        self->last_error = g_strdup (error->message);
      _cmg_import_assistant_sync_all (self);
      return;
    }

  page = cmg_import_plan_get_current_page (plan);
  _cmg_import_assistant_sync_all (self);
  /* Run and Result need no decision: the import goes on by itself once confirmed. */
  if (!cmg_import_plan_get_finished (plan) &&
      (page >= CMG_PLAN_PAGE_RUN || (self->auto_until_review && page < CMG_PLAN_PAGE_REVIEW)))
    advance (self);
  else if (page >= CMG_PLAN_PAGE_REVIEW)
    self->auto_until_review = FALSE;
}

static void
advance (CmgImportAssistant *self)
{
  if (self->plan == NULL)
    return;
  if (current_page (self) == CMG_PLAN_PAGE_SOURCE)
    {
      /* The plan reads the source itself now; the preview has done its job. */
      if (self->preview_running)
        {
          _cmg_import_assistant_stop_preview (self);
          gtk_widget_set_visible (GTK_WIDGET (self->source_progress), FALSE);
        }
    }
  g_clear_pointer (&self->last_error, g_free);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  cmg_import_plan_advance_async (self->plan, self->cancellable, advance_done, g_object_ref (self));
  _cmg_import_assistant_sync_all (self);
}

static void
action_next (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  advance (CMG_IMPORT_ASSISTANT (widget));
}

static void
action_back (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (widget);
  g_autoptr(GError) error = NULL;

  if (self->plan == NULL)
    return;
  g_clear_pointer (&self->last_error, g_free);
  if (!cmg_import_plan_go_back (self->plan, &error))
    self->last_error = g_strdup (error->message);
  _cmg_import_assistant_sync_all (self);
}

static void
action_cancel (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (widget);

  if (self->preview_running)
    {
      _cmg_import_assistant_stop_preview (self);
      gtk_widget_set_visible (GTK_WIDGET (self->source_progress), FALSE);
      gtk_label_set_text (self->source_summary_label, _("Reading stopped. Choose the file again to read it."));
    }
  /* Honest cancel is the plan's: before the server starts it stops; after, it says so. */
  if (self->plan != NULL && cmg_import_plan_get_running (self->plan))
    cmg_import_plan_cancel (self->plan);
  _cmg_import_assistant_sync_all (self);
}

static void
answer (CmgImportAssistant *self,
        gboolean            yes)
{
  g_autoptr(GError) error = NULL;

  if (self->plan == NULL)
    return;
  g_clear_pointer (&self->last_error, g_free);
  if (!cmg_import_plan_answer (self->plan, yes, &error))
    self->last_error = g_strdup (error->message);
  _cmg_import_assistant_sync_all (self);
}

static void
action_answer_yes (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  answer (CMG_IMPORT_ASSISTANT (widget), TRUE);
}

static void
action_answer_no (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  answer (CMG_IMPORT_ASSISTANT (widget), FALSE);
}

static void
action_copy_message (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (widget);
  const char *message = self->plan != NULL ? cmg_import_plan_get_notify_message (self->plan) : NULL;

  if (message != NULL)
    gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), message);
}

static void
on_undo_response (CmgImportAssistant *self,
                  gboolean            confirmed,
                  CmgUndoWindow      *window)
{
  if (!confirmed)
    return;
  /* The undo is a plan of its own: same steps, its own backup and the server's summary. */
  self->auto_until_review = TRUE;
  set_plan (self, cmg_undo_window_get_plan (window));
  _cmg_import_assistant_stop_preview (self);
  advance (self);
}

static void
action_undo (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (widget);
  g_autoptr(CmgImportPlan) undo = NULL;
  g_autoptr(GError) error = NULL;
  GtkRoot *root = gtk_widget_get_root (widget);
  CmgUndoWindow *window;

  if (self->plan == NULL)
    return;
  undo = cmg_import_plan_new_undo (self->plan, &error);
  if (undo == NULL)
    {
      g_free (self->last_error);
      self->last_error = g_strdup (error->message);
      _cmg_import_assistant_sync_all (self);
      return;
    }
  window = cmg_undo_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, undo);
  g_signal_connect_object (window, "response", G_CALLBACK (on_undo_response), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
action_restart (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (widget);

  /* A fresh Source page for the same target: the finished plan stays in the history. */
  _cmg_import_assistant_stop_preview (self);
  _cmg_import_assistant_drop_preview (self);
  g_clear_object (&self->preview_validation);
  g_clear_pointer (&self->preview_error, g_free);
  clear_box (GTK_WIDGET (self->tables_list));
  g_ptr_array_set_size (self->table_checks, 0);
  gtk_widget_set_visible (self->tables_box, FALSE);
  gtk_widget_set_visible (self->single_file_grid, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->source_findings_label), FALSE);
  gtk_widget_remove_css_class (GTK_WIDGET (self->source_summary_label), "cmg-assistant-bad");
  gtk_widget_add_css_class (GTK_WIDGET (self->source_summary_label), "dim-label");
  self->auto_until_review = FALSE;
  set_plan (self, NULL);
}

static void
file_chosen (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (object);
  g_autoptr(GFile) file = cmg_file_chooser_run_file_finish (GTK_WIDGET (self), result, NULL);

  if (file != NULL)
    cmg_import_assistant_set_source (self, file);
}

static void
action_choose_file (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  g_autoptr(GListStore) filters = g_list_store_new (GTK_TYPE_FILE_FILTER);
  g_autoptr(GtkFileFilter) filter = cmg_file_chooser_new_exports_filter (_("Exports and data files"));

  g_list_store_append (filters, filter);
  cmg_file_chooser_run_async (widget, CMG_FILE_CHOOSER_OPEN, _("Choose the File to Import"), _("_Open"),
                              G_LIST_MODEL (filters), NULL, NULL, file_chosen, NULL);
}

static gboolean
on_drop (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         CmgImportAssistant *self)
{
  GSList *files;

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) || current_page (self) != CMG_PLAN_PAGE_SOURCE ||
      self->connection == NULL || (self->plan != NULL && cmg_import_plan_get_running (self->plan)))
    return FALSE;
  files = g_value_get_boxed (value);
  if (files == NULL)
    return FALSE;
  cmg_import_assistant_set_source (self, files->data);
  return TRUE;
}

/* --- inputs --- */

static void
on_table_name_changed (CmgImportAssistant *self)
{
  if (self->plan != NULL)
    cmg_import_plan_set_table_name (self->plan, gtk_editable_get_text (self->table_name_entry));
}

static void
on_format_changed (CmgImportAssistant *self)
{
  static const CmgCliImportFormat formats[] = {
    CMG_CLI_IMPORT_FORMAT_AUTO, CMG_CLI_IMPORT_FORMAT_CSV, CMG_CLI_IMPORT_FORMAT_JSON_LINES,
    CMG_CLI_IMPORT_FORMAT_JSON_ARRAY,
  };
  guint selected = gtk_drop_down_get_selected (self->format_dropdown);

  if (self->plan != NULL && selected < G_N_ELEMENTS (formats))
    cmg_import_plan_set_format (self->plan, formats[selected]);
}

static void
on_component_changed (CmgImportAssistant *self)
{
  const char *text = gtk_editable_get_text (self->component_entry);

  if (self->plan != NULL)
    cmg_import_plan_set_component (self->plan, *text != '\0' ? text : NULL);
}

static void
on_typed_changed (CmgImportAssistant *self)
{
  if (self->plan != NULL)
    cmg_import_plan_set_typed_name (self->plan, gtk_editable_get_text (self->typed_entry));
}

static void
on_confirm_toggled (CmgImportAssistant *self)
{
  if (self->plan != NULL)
    cmg_import_plan_set_confirmed (self->plan, gtk_check_button_get_active (self->confirm_check));
}

static void
on_backup_toggled (CmgImportAssistant *self)
{
  if (self->plan != NULL)
    cmg_import_plan_set_backup_wanted (self->plan, gtk_check_button_get_active (self->backup_check));
}

static void
on_webhook_changed (CmgImportAssistant *self)
{
  if (self->plan != NULL)
    cmg_import_plan_set_webhook_url (self->plan, gtk_editable_get_text (self->webhook_entry));
}

/* --- GObject --- */

static void
cmg_import_assistant_dispose (GObject *object)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (object);
  GtkWidget *child;

  _cmg_import_assistant_stop_preview (self);
  disconnect_plan (self);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (cmg_import_assistant_parent_class)->dispose (object);
}

static void
cmg_import_assistant_finalize (GObject *object)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (object);

  g_clear_object (&self->connection);
  g_clear_object (&self->preview);
  g_clear_object (&self->preview_validation);
  g_clear_pointer (&self->table_checks, g_ptr_array_unref);
  g_free (self->project_dir);
  g_free (self->last_error);
  g_free (self->preview_error);
  G_OBJECT_CLASS (cmg_import_assistant_parent_class)->finalize (object);
}

static void
cmg_import_assistant_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  CmgImportAssistant *self = CMG_IMPORT_ASSISTANT (object);

  switch (prop_id)
    {
    case PROP_PLAN:
      g_value_set_object (value, self->plan);
      break;
    case PROP_PAGE_NAME:
      g_value_set_string (value, cmg_import_assistant_get_page_name (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_import_assistant_class_init (CmgImportAssistantClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_import_assistant_dispose;
  object_class->finalize = cmg_import_assistant_finalize;
  object_class->get_property = cmg_import_assistant_get_property;

  properties[PROP_PLAN] = g_param_spec_object ("plan", NULL, NULL, CMG_TYPE_IMPORT_PLAN,
                                               G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_PAGE_NAME] = g_param_spec_string ("page-name", NULL, NULL, "source",
                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted with each new plan, before anything runs: the window sets the backups folder, the
   * history and the webhook from the preferences here. */
  signals[PLAN_CREATED] = g_signal_new ("plan-created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                        NULL, NULL, NULL, G_TYPE_NONE, 1, CMG_TYPE_IMPORT_PLAN);

  g_type_ensure (CMG_TYPE_LOG_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/assistant/cmg-import-assistant.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, CmgImportAssistant, name)
  CHILD (sidebar);
  CHILD (steps_list);
  CHILD (stack);
  CHILD (source_page);
  CHILD (source_name_label);
  CHILD (source_summary_label);
  CHILD (source_progress);
  CHILD (source_findings_label);
  CHILD (tables_box);
  CHILD (tables_list);
  CHILD (single_file_grid);
  CHILD (table_name_entry);
  CHILD (format_dropdown);
  CHILD (component_entry);
  CHILD (banner_slot);
  CHILD (probe_label);
  CHILD (warnings_box);
  CHILD (mode_warnings_box);
  CHILD (risk_label);
  CHILD (mode_none);
  CHILD (mode_append);
  CHILD (mode_replace);
  CHILD (mode_replace_all);
  CHILD (mode_description_label);
  CHILD (typed_box);
  CHILD (typed_prompt_label);
  CHILD (typed_entry);
  CHILD (confirm_check);
  CHILD (confirm_hint_label);
  CHILD (backup_label);
  CHILD (backup_check);
  CHILD (backup_log);
  CHILD (schema_label);
  CHILD (webhook_entry);
  CHILD (backup_result_label);
  CHILD (notify_box);
  CHILD (notify_label);
  CHILD (webhook_result_label);
  CHILD (will_ask_label);
  CHILD (changes_title);
  CHILD (changes_view);
  CHILD (question_box);
  CHILD (question_label);
  CHILD (answer_yes_button);
  CHILD (answer_no_button);
  CHILD (run_title_label);
  CHILD (elapsed_label);
  CHILD (run_status_label);
  CHILD (progress_list);
  CHILD (run_log);
  CHILD (result_icon);
  CHILD (result_title_label);
  CHILD (result_message_label);
  CHILD (result_fix_label);
  CHILD (result_grid);
  CHILD (result_backup_label);
  CHILD (undo_button);
  CHILD (dashboard_link);
  CHILD (continue_link);
  CHILD (cancel_button);
  CHILD (blocker_label);
  CHILD (spinner);
  CHILD (back_button);
  CHILD (next_button);
#undef CHILD

  gtk_widget_class_install_action (widget_class, "assistant.next", NULL, action_next);
  gtk_widget_class_install_action (widget_class, "assistant.back", NULL, action_back);
  gtk_widget_class_install_action (widget_class, "assistant.cancel", NULL, action_cancel);
  gtk_widget_class_install_action (widget_class, "assistant.answer-yes", NULL, action_answer_yes);
  gtk_widget_class_install_action (widget_class, "assistant.answer-no", NULL, action_answer_no);
  gtk_widget_class_install_action (widget_class, "assistant.copy-message", NULL, action_copy_message);
  gtk_widget_class_install_action (widget_class, "assistant.undo", NULL, action_undo);
  gtk_widget_class_install_action (widget_class, "assistant.choose-file", NULL, action_choose_file);
  gtk_widget_class_install_action (widget_class, "assistant.restart", NULL, action_restart);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK, "assistant.next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK, "assistant.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "assistant.choose-file", NULL);

  load_css ();
}

static void
cmg_import_assistant_init (CmgImportAssistant *self)
{
  GtkCheckButton *modes[] = { NULL, NULL, NULL, NULL };
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->table_checks = g_ptr_array_new ();

  modes[CMG_CLI_IMPORT_MODE_REQUIRE_EMPTY] = self->mode_none;
  modes[CMG_CLI_IMPORT_MODE_APPEND] = self->mode_append;
  modes[CMG_CLI_IMPORT_MODE_REPLACE] = self->mode_replace;
  modes[CMG_CLI_IMPORT_MODE_REPLACE_ALL] = self->mode_replace_all;
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    {
      g_object_set_data (G_OBJECT (modes[i]), "mode", GUINT_TO_POINTER (i));
      g_signal_connect (modes[i], "toggled", G_CALLBACK (on_mode_toggled), self);
    }

  self->banner = cmg_deployment_banner_new ();
  gtk_box_append (self->banner_slot, self->banner);

  _cmg_import_assistant_add_change_column (self, _("Component"), 0);
  _cmg_import_assistant_add_change_column (self, _("Table"), 1);
  _cmg_import_assistant_add_change_column (self, _("Create"), 2);
  _cmg_import_assistant_add_change_column (self, _("Delete"), 3);

  g_signal_connect_swapped (self->table_name_entry, "changed", G_CALLBACK (on_table_name_changed), self);
  g_signal_connect_swapped (self->format_dropdown, "notify::selected", G_CALLBACK (on_format_changed), self);
  g_signal_connect_swapped (self->component_entry, "changed", G_CALLBACK (on_component_changed), self);
  g_signal_connect_swapped (self->typed_entry, "changed", G_CALLBACK (on_typed_changed), self);
  g_signal_connect_swapped (self->confirm_check, "toggled", G_CALLBACK (on_confirm_toggled), self);
  g_signal_connect_swapped (self->backup_check, "toggled", G_CALLBACK (on_backup_toggled), self);
  g_signal_connect_swapped (self->webhook_entry, "changed", G_CALLBACK (on_webhook_changed), self);

  drop = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (drop, "drop", G_CALLBACK (on_drop), self);
  gtk_widget_add_controller (self->source_page, GTK_EVENT_CONTROLLER (drop));

  _cmg_import_assistant_sync_all (self);
}

/* --- public --- */

GtkWidget *
cmg_import_assistant_new (void)
{
  return g_object_new (CMG_TYPE_IMPORT_ASSISTANT, NULL);
}

void
cmg_import_assistant_set_project_dir (CmgImportAssistant *self,
                                      const char         *project_dir)
{
  g_return_if_fail (CMG_IS_IMPORT_ASSISTANT (self));
  g_free (self->project_dir);
  self->project_dir = g_strdup (project_dir);
}

void
cmg_import_assistant_start (CmgImportAssistant *self,
                            CmgConnection      *connection,
                            GFile              *source)
{
  g_return_if_fail (CMG_IS_IMPORT_ASSISTANT (self));
  g_return_if_fail (connection == NULL || CMG_IS_CONNECTION (connection));
  g_return_if_fail (source == NULL || G_IS_FILE (source));

  _cmg_import_assistant_stop_preview (self);
  g_set_object (&self->connection, connection);
  self->auto_until_review = FALSE;
  new_plan_for (self, source);
  _cmg_import_assistant_sync_all (self);
}

void
cmg_import_assistant_set_source (CmgImportAssistant *self,
                                 GFile              *source)
{
  g_return_if_fail (CMG_IS_IMPORT_ASSISTANT (self));
  g_return_if_fail (G_IS_FILE (source));

  new_plan_for (self, source);
  _cmg_import_assistant_sync_all (self);
}

CmgImportPlan *
cmg_import_assistant_get_plan (CmgImportAssistant *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_ASSISTANT (self), NULL);
  return self->plan;
}

const char *
cmg_import_assistant_get_page_name (CmgImportAssistant *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_ASSISTANT (self), NULL);
  return page_names[current_page (self)];
}
