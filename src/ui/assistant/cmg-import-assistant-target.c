/* cmg-import-assistant-target.c: the Target, Mode and Safety pages: which deployment, what
 * the mode does to it, and the confirmation and backup its risk asks for. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-deployment-banner.h"
#include "cmg-import-assistant-private.h"

static CmgDeployment *
target_deployment (CmgImportAssistant *self)
{
  return self->connection != NULL ? cmg_connection_get_deployment (self->connection) : NULL;
}

static char *
dup_target_name (CmgImportAssistant *self)
{
  CmgDeployment *deployment = target_deployment (self);

  if (deployment != NULL)
    return cmg_deployment_dup_display_name (deployment);
  return g_strdup (self->connection != NULL ? cmg_connection_get_title (self->connection) : "");
}

static void fill_warnings (GtkBox *box, GPtrArray *warnings);

void
_cmg_import_assistant_sync_target (CmgImportAssistant *self)
{
  const CmgProbeResult *probe;
  GPtrArray *warnings;

  if (self->banner != NULL &&
      cmg_deployment_banner_get_connection (CMG_DEPLOYMENT_BANNER (self->banner)) != self->connection)
    cmg_deployment_banner_set_connection (CMG_DEPLOYMENT_BANNER (self->banner), self->connection);
  if (self->plan == NULL)
    return;

  probe = cmg_import_plan_get_probe_result (self->plan);
  if (probe != NULL && probe->message != NULL)
    gtk_label_set_text (self->probe_label, probe->message);
  else if (step_state (self, CMG_PLAN_STEP_TARGET) == CMG_PLAN_STEP_STATE_RUNNING)
    gtk_label_set_text (self->probe_label, _("Asking the deployment who it is…"));
  else
    gtk_label_set_text (self->probe_label, _("Press Next to check that the deployment answers."));

  warnings = cmg_import_plan_get_warnings (self->plan);
  fill_warnings (self->warnings_box, warnings);
  /* The probe runs on Next: its warnings matter most while choosing the mode. */
  fill_warnings (self->mode_warnings_box, warnings);
}

static void
fill_warnings (GtkBox    *box,
               GPtrArray *warnings)
{
  clear_box (GTK_WIDGET (box));
  for (guint i = 0; warnings != NULL && i < warnings->len; i++)
    {
      CmgConflict *conflict = g_ptr_array_index (warnings, i);
      GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *icon = gtk_image_new_from_icon_name (conflict->severity == CMG_CONFLICT_SEVERITY_INFO
                                                      ? "dialog-information-symbolic" : "dialog-warning-symbolic");
      GtkWidget *label = gtk_label_new (conflict->message);

      gtk_widget_add_css_class (row, conflict->severity == CMG_CONFLICT_SEVERITY_ERROR ? "cmg-assistant-bad"
                                                                                      : "cmg-assistant-warning");
      gtk_widget_set_valign (icon, GTK_ALIGN_START);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (row), icon);
      gtk_box_append (GTK_BOX (row), label);
      gtk_box_append (box, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (box), warnings != NULL && warnings->len > 0);
}

void
_cmg_import_assistant_sync_mode (CmgImportAssistant *self)
{
  GtkCheckButton *buttons[] = { self->mode_none, self->mode_append, self->mode_replace, self->mode_replace_all };
  static const char * const names[] = { N_("None"), N_("Append"), N_("Replace"), N_("Replace all") };
  CmgDeployment *deployment = target_deployment (self);
  g_autofree char *description = NULL;
  g_autofree char *target = dup_target_name (self);
  g_autofree char *risk = NULL;
  CmgRisk level = deployment != NULL ? cmg_deployment_get_risk (deployment) : CMG_RISK_HIGH;

  for (guint i = 0; i < G_N_ELEMENTS (buttons); i++)
    {
      g_autofree char *label = g_strdup_printf ("%s: %s", _(names[i]), cmg_import_mode_get_label (i));

      gtk_check_button_set_label (buttons[i], label);
      if (self->plan != NULL && cmg_import_plan_get_mode (self->plan) == i && !gtk_check_button_get_active (buttons[i]))
        gtk_check_button_set_active (buttons[i], TRUE);
      gtk_widget_set_sensitive (GTK_WIDGET (buttons[i]),
                                self->plan != NULL && current_page (self) <= CMG_PLAN_PAGE_MODE &&
                                !cmg_import_plan_get_running (self->plan));
    }

  /* Translators: the target, its type, then what the plan asks of it */
  risk = g_strdup_printf ("%s (%s): %s %s%s", target,
                          deployment != NULL ? cmg_deployment_type_get_label (cmg_deployment_get_deployment_type (deployment))
                                             : _("Unknown"),
                          level == CMG_RISK_HIGH ? _("high risk.") : level == CMG_RISK_MEDIUM ? _("medium risk.") : _("low risk."),
                          self->plan != NULL && cmg_import_plan_get_requires_typed_name (self->plan)
                          ? _("Its name must be typed to confirm.") : _("One click confirms."),
                          self->plan != NULL && cmg_import_plan_get_backup_required (self->plan)
                          ? _(" This mode takes a backup first.") : "");
  gtk_label_set_text (self->risk_label, risk);
  gtk_widget_remove_css_class (GTK_WIDGET (self->risk_label), "cmg-risk-high");
  gtk_widget_remove_css_class (GTK_WIDGET (self->risk_label), "cmg-risk-medium");
  gtk_widget_remove_css_class (GTK_WIDGET (self->risk_label), "cmg-risk-low");
  gtk_widget_add_css_class (GTK_WIDGET (self->risk_label), level == CMG_RISK_HIGH ? "cmg-risk-high"
                                                             : level == CMG_RISK_MEDIUM ? "cmg-risk-medium" : "cmg-risk-low");

  if (self->plan != NULL)
    description = cmg_import_plan_dup_mode_description (self->plan);
  gtk_label_set_text (self->mode_description_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->mode_description_label), description != NULL && *description != '\0');
}

void
_cmg_import_assistant_sync_safety (CmgImportAssistant *self)
{
  gboolean typed, required;
  g_autofree char *markup = NULL;
  g_autofree char *backup_text = NULL;
  CmgPlanStepState backup_state;
  const char *blocker;

  if (self->plan == NULL)
    return;
  typed = cmg_import_plan_get_requires_typed_name (self->plan);
  gtk_widget_set_visible (self->typed_box, typed);
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_check), !typed);
  markup = g_markup_printf_escaped (_("To confirm that you mean this deployment, type <b>%s</b>:"),
                                    cmg_import_plan_get_expected_name (self->plan) != NULL
                                    ? cmg_import_plan_get_expected_name (self->plan) : "");
  gtk_label_set_markup (self->typed_prompt_label, markup);
  blocker = current_page (self) == CMG_PLAN_PAGE_SAFETY ? cmg_import_plan_get_blocker (self->plan) : NULL;
  gtk_label_set_text (self->confirm_hint_label, blocker != NULL ? blocker : "");
  gtk_widget_set_visible (GTK_WIDGET (self->confirm_hint_label), blocker != NULL);

  required = cmg_import_plan_get_backup_required (self->plan);
  backup_state = step_state (self, CMG_PLAN_STEP_BACKUP);
  if (required)
    backup_text = g_strdup (_("Required for this mode: the target is exported into the backups folder first, and "
                              "the export is opened and counted before the import may start."));
  else
    backup_text = g_strdup (_("Optional for this mode, and a good idea: the target is exported into the backups "
                              "folder first, so the import can be undone."));
  if (backup_state == CMG_PLAN_STEP_STATE_FAILED)
    {
      g_free (backup_text);
      backup_text = g_strdup_printf (_("The backup failed: %s"),
                                     cmg_plan_step_get_reason (cmg_import_plan_get_step (self->plan, CMG_PLAN_STEP_BACKUP)));
    }
  gtk_label_set_text (self->backup_label, backup_text);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_check), !required);
  gtk_widget_set_visible (GTK_WIDGET (self->backup_log), backup_state != CMG_PLAN_STEP_STATE_PENDING &&
                                                         backup_state != CMG_PLAN_STEP_STATE_SKIPPED);
  gtk_label_set_text (self->schema_label, cmg_import_plan_get_schema_reminder (self->plan));

  gtk_widget_set_sensitive (GTK_WIDGET (self->typed_entry), !cmg_import_plan_get_running (self->plan));
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_check), !cmg_import_plan_get_running (self->plan));
}
