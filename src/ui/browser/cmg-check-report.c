/* cmg-check-report.c: see cmg-check-report.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-check-report.h"
#include "cmg-document-format.h"

/* A finding as a list item (GListModel needs objects). */
#define CMG_TYPE_FINDING_ROW (cmg_finding_row_get_type ())
G_DECLARE_FINAL_TYPE (CmgFindingRow, cmg_finding_row, CMG, FINDING_ROW, GObject)

struct _CmgFindingRow
{
  GObject     parent_instance;
  CmgFinding *finding;
};

G_DEFINE_FINAL_TYPE (CmgFindingRow, cmg_finding_row, G_TYPE_OBJECT)

static void
cmg_finding_row_finalize (GObject *object)
{
  g_clear_pointer (&CMG_FINDING_ROW (object)->finding, cmg_finding_free);
  G_OBJECT_CLASS (cmg_finding_row_parent_class)->finalize (object);
}

static void
cmg_finding_row_class_init (CmgFindingRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_finding_row_finalize;
}

static void
cmg_finding_row_init (CmgFindingRow *self)
{
}

struct _CmgCheckReport
{
  GtkWidget       parent_instance;

  GListStore     *findings;

  GtkImage       *status_icon;
  GtkLabel       *status_label;
  GtkProgressBar *progress;
  GtkColumnView  *column_view;
};

G_DEFINE_FINAL_TYPE (CmgCheckReport, cmg_check_report, GTK_TYPE_WIDGET)

enum {
  FINDING_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
severity_text (gpointer item)
{
  switch (CMG_FINDING_ROW (item)->finding->severity)
    {
    case CMG_FINDING_ERROR:
      return g_strdup (_("Error"));
    case CMG_FINDING_WARNING:
      return g_strdup (_("Warning"));
    case CMG_FINDING_INFO:
    default:
      return g_strdup (_("Note"));
    }
}

static char *
table_text (gpointer item)
{
  CmgFinding *finding = CMG_FINDING_ROW (item)->finding;

  if (finding->table == NULL || finding->table[0] == '\0')
    return g_strdup (_("(archive)"));
  if (finding->component != NULL && finding->component[0] != '\0')
    return g_strdup_printf ("%s:%s", finding->component, finding->table);
  return g_strdup (finding->table);
}

static char *
line_text (gpointer item)
{
  CmgFinding *finding = CMG_FINDING_ROW (item)->finding;

  return finding->line > 0 ? g_strdup_printf ("%" G_GUINT64_FORMAT, finding->line) : g_strdup ("");
}

static char *
message_text (gpointer item)
{
  return g_strdup (CMG_FINDING_ROW (item)->finding->message);
}

static void
column_view_activate_cb (GtkColumnView  *column_view,
                         guint           position,
                         CmgCheckReport *self)
{
  cmg_check_report_activate_finding (self, position);
}

static void
cmg_check_report_dispose (GObject *object)
{
  CmgCheckReport *self = CMG_CHECK_REPORT (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_CHECK_REPORT);
  /* The template's unnamed top-level child is not cleared by dispose_template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->findings);

  G_OBJECT_CLASS (cmg_check_report_parent_class)->dispose (object);
}

static void
cmg_check_report_class_init (CmgCheckReportClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_check_report_dispose;

  /* component, table, line (1-based, 0 when the finding is not about one line). */
  signals[FINDING_ACTIVATED] =
    g_signal_new ("finding-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/browser/cmg-check-report.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgCheckReport, status_icon);
  gtk_widget_class_bind_template_child (widget_class, CmgCheckReport, status_label);
  gtk_widget_class_bind_template_child (widget_class, CmgCheckReport, progress);
  gtk_widget_class_bind_template_child (widget_class, CmgCheckReport, column_view);
  gtk_widget_class_bind_template_callback (widget_class, column_view_activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
cmg_check_report_init (CmgCheckReport *self)
{
  g_autoptr(GtkColumnViewColumn) severity = NULL;
  g_autoptr(GtkColumnViewColumn) table = NULL;
  g_autoptr(GtkColumnViewColumn) line = NULL;
  g_autoptr(GtkColumnViewColumn) message = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->findings = g_list_store_new (CMG_TYPE_FINDING_ROW);
  gtk_column_view_set_model (self->column_view,
                             GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->findings)))));

  severity = cmg_format_text_column (_("Severity"), severity_text, FALSE, 8);
  table = cmg_format_text_column (_("Table"), table_text, FALSE, 16);
  line = cmg_format_text_column (_("Line"), line_text, FALSE, 7);
  message = cmg_format_text_column (_("Message"), message_text, TRUE, 60);
  gtk_column_view_append_column (self->column_view, severity);
  gtk_column_view_append_column (self->column_view, table);
  gtk_column_view_append_column (self->column_view, line);
  gtk_column_view_append_column (self->column_view, message);
}

GtkWidget *
cmg_check_report_new (void)
{
  return g_object_new (CMG_TYPE_CHECK_REPORT, NULL);
}

void
cmg_check_report_set_validation (CmgCheckReport *self,
                                 CmgValidation  *validation)
{
  GPtrArray *findings;
  guint64 errors, warnings;
  g_autofree char *text = NULL;

  g_return_if_fail (CMG_IS_CHECK_REPORT (self));

  g_list_store_remove_all (self->findings);
  if (validation == NULL)
    {
      gtk_image_set_from_icon_name (self->status_icon, "content-loading-symbolic");
      gtk_label_set_text (self->status_label, _("Checking the archive…"));
      gtk_widget_set_visible (GTK_WIDGET (self->progress), TRUE);
      return;
    }

  findings = cmg_validation_get_findings (validation);
  for (guint i = 0; i < findings->len; i++)
    {
      g_autoptr(CmgFindingRow) row = g_object_new (CMG_TYPE_FINDING_ROW, NULL);

      row->finding = cmg_finding_copy (g_ptr_array_index (findings, i));
      g_list_store_append (self->findings, row);
    }

  errors = cmg_validation_get_severity_count (validation, CMG_FINDING_ERROR);
  warnings = cmg_validation_get_severity_count (validation, CMG_FINDING_WARNING);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  if (errors == 0 && warnings == 0)
    {
      gtk_image_set_from_icon_name (self->status_icon, "emblem-ok-symbolic");
      text = g_strdup (_("No problems found: this archive should import as it is."));
    }
  else
    {
      g_autofree char *e = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " error",
                                                         "%" G_GUINT64_FORMAT " errors", errors), errors);
      g_autofree char *w = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " warning",
                                                         "%" G_GUINT64_FORMAT " warnings", warnings), warnings);

      gtk_image_set_from_icon_name (self->status_icon, errors > 0 ? "dialog-error-symbolic"
                                                                  : "dialog-warning-symbolic");
      /* Translators: "3 errors and 1 warning. Activate a finding to see its document." */
      text = g_strdup_printf (_("%s and %s. Activate a finding to see its document."), e, w);
    }
  gtk_label_set_text (self->status_label, text);
}

void
cmg_check_report_set_progress (CmgCheckReport *self,
                               double          fraction)
{
  g_return_if_fail (CMG_IS_CHECK_REPORT (self));
  gtk_progress_bar_set_fraction (self->progress, CLAMP (fraction, 0.0, 1.0));
}

void
cmg_check_report_set_failure (CmgCheckReport *self,
                              const char     *message)
{
  g_return_if_fail (CMG_IS_CHECK_REPORT (self));

  g_list_store_remove_all (self->findings);
  gtk_widget_set_visible (GTK_WIDGET (self->progress), FALSE);
  gtk_image_set_from_icon_name (self->status_icon, "dialog-error-symbolic");
  gtk_label_set_text (self->status_label, message);
}

guint
cmg_check_report_get_n_findings (CmgCheckReport *self)
{
  g_return_val_if_fail (CMG_IS_CHECK_REPORT (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->findings));
}

const CmgFinding *
cmg_check_report_get_finding (CmgCheckReport *self,
                              guint           position)
{
  g_autoptr(CmgFindingRow) row = NULL;

  g_return_val_if_fail (CMG_IS_CHECK_REPORT (self), NULL);

  row = g_list_model_get_item (G_LIST_MODEL (self->findings), position);
  /* The store keeps the row alive. */
  return row != NULL ? row->finding : NULL;
}

void
cmg_check_report_activate_finding (CmgCheckReport *self,
                                   guint           position)
{
  const CmgFinding *finding = cmg_check_report_get_finding (self, position);

  if (finding == NULL)
    return;
  g_signal_emit (self, signals[FINDING_ACTIVATED], 0,
                 finding->component ? finding->component : "",
                 finding->table ? finding->table : "",
                 finding->line);
}
