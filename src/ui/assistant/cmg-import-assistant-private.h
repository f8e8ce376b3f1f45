/* cmg-import-assistant-private.h: what the files of CmgImportAssistant share: the instance
 * struct, small helpers, and each page's sync function (cmg-import-assistant-<page>.c). */
#pragma once

#include "cmg-import-assistant.h"
#include "cmg-log-view.h"

G_BEGIN_DECLS

struct _CmgImportAssistant
{
  GtkWidget       parent_instance;

  CmgImportPlan  *plan;
  CmgConnection  *connection;
  char           *project_dir;
  GCancellable   *cancellable;       /* the current advance */
  char           *last_error;        /* why the last Next failed, for the hint */
  gboolean        auto_until_review; /* an undo confirmed in its own window walks to REVIEW */

  /* The source preview. */
  GCancellable   *preview_cancellable;
  CmgSnapshot    *preview;
  CmgValidation  *preview_validation;
  gboolean        preview_running;
  char           *preview_error;     /* the source cannot be read: Next stays off */
  GPtrArray      *table_checks;      /* GtkCheckButton, "qualified-name" data */

  /* Template children. */
  GtkWidget      *sidebar;
  GtkListBox     *steps_list;
  GtkStack       *stack;
  GtkWidget      *source_page;
  GtkLabel       *source_name_label;
  GtkLabel       *source_summary_label;
  GtkProgressBar *source_progress;
  GtkLabel       *source_findings_label;
  GtkWidget      *tables_box;
  GtkListBox     *tables_list;
  GtkWidget      *single_file_grid;
  GtkEditable    *table_name_entry;
  GtkDropDown    *format_dropdown;
  GtkEditable    *component_entry;
  GtkBox         *banner_slot;
  GtkWidget      *banner;
  GtkLabel       *probe_label;
  GtkBox         *warnings_box;
  GtkBox         *mode_warnings_box;
  GtkLabel       *risk_label;
  GtkCheckButton *mode_none;
  GtkCheckButton *mode_append;
  GtkCheckButton *mode_replace;
  GtkCheckButton *mode_replace_all;
  GtkLabel       *mode_description_label;
  GtkWidget      *typed_box;
  GtkLabel       *typed_prompt_label;
  GtkEditable    *typed_entry;
  GtkCheckButton *confirm_check;
  GtkLabel       *confirm_hint_label;
  GtkLabel       *backup_label;
  GtkCheckButton *backup_check;
  CmgLogView     *backup_log;
  GtkLabel       *schema_label;
  GtkEditable    *webhook_entry;
  GtkLabel       *backup_result_label;
  GtkWidget      *notify_box;
  GtkLabel       *notify_label;
  GtkLabel       *webhook_result_label;
  GtkLabel       *will_ask_label;
  GtkWidget      *changes_title;
  GtkColumnView  *changes_view;
  GtkWidget      *question_box;
  GtkLabel       *question_label;
  GtkWidget      *answer_yes_button;
  GtkWidget      *answer_no_button;
  GtkLabel       *run_title_label;
  GtkLabel       *elapsed_label;
  GtkLabel       *run_status_label;
  GtkListBox     *progress_list;
  CmgLogView     *run_log;
  GtkImage       *result_icon;
  GtkLabel       *result_title_label;
  GtkLabel       *result_message_label;
  GtkLabel       *result_fix_label;
  GtkGrid        *result_grid;
  GtkLabel       *result_backup_label;
  GtkWidget      *undo_button;
  GtkLinkButton  *dashboard_link;
  GtkLinkButton  *continue_link;
  GtkWidget      *cancel_button;
  GtkLabel       *blocker_label;
  GtkSpinner     *spinner;
  GtkWidget      *back_button;
  GtkButton      *next_button;
};

/* --- small helpers --- */

static inline char *
format_count (gint64 n)
{
  /* Thousands separators as the user's locale writes them. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, n);
}

static inline CmgPlanPage
current_page (CmgImportAssistant *self)
{
  return self->plan != NULL ? cmg_import_plan_get_current_page (self->plan) : CMG_PLAN_PAGE_SOURCE;
}

static inline CmgPlanStepState
step_state (CmgImportAssistant *self,
            CmgPlanStepKind     kind)
{
  return cmg_plan_step_get_state (cmg_import_plan_get_step (self->plan, kind));
}

static inline void
clear_box (GtkWidget *box)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (box)) != NULL)
    {
      if (GTK_IS_BOX (box))
        gtk_box_remove (GTK_BOX (box), child);
      else if (GTK_IS_GRID (box))
        gtk_grid_remove (GTK_GRID (box), child);
      else
        gtk_list_box_remove (GTK_LIST_BOX (box), child);
    }
}

/* --- cmg-import-assistant.c --- */

void     _cmg_import_assistant_sync_all          (CmgImportAssistant *self);

/* --- cmg-import-assistant-source.c --- */

void     _cmg_import_assistant_start_preview     (CmgImportAssistant *self,
                                                  GFile              *file);
void     _cmg_import_assistant_stop_preview      (CmgImportAssistant *self);
void     _cmg_import_assistant_drop_preview      (CmgImportAssistant *self);
void     _cmg_import_assistant_sync_source       (CmgImportAssistant *self);

/* --- cmg-import-assistant-target.c --- */

void     _cmg_import_assistant_sync_target       (CmgImportAssistant *self);
void     _cmg_import_assistant_sync_mode         (CmgImportAssistant *self);
void     _cmg_import_assistant_sync_safety       (CmgImportAssistant *self);

/* --- cmg-import-assistant-review.c --- */

void     _cmg_import_assistant_sync_review       (CmgImportAssistant *self);
void     _cmg_import_assistant_sync_run          (CmgImportAssistant *self);
void     _cmg_import_assistant_sync_result       (CmgImportAssistant *self);
gboolean _cmg_import_assistant_undo_possible     (CmgImportAssistant *self);
void     _cmg_import_assistant_add_change_column (CmgImportAssistant *self,
                                                  const char         *title,
                                                  int                 which);

G_END_DECLS
