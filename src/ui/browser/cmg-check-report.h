/* cmg-check-report.h: every finding of an archive's checks (table, line, message); activating
 * one emits "finding-activated" (component, table, line) so the browser can show that document. */
#pragma once

#include <gtk/gtk.h>

#include "cmg-validation.h"

G_BEGIN_DECLS

#define CMG_TYPE_CHECK_REPORT (cmg_check_report_get_type ())
G_DECLARE_FINAL_TYPE (CmgCheckReport, cmg_check_report, CMG, CHECK_REPORT, GtkWidget)

GtkWidget *cmg_check_report_new (void);
/* NULL while the checks run. */
void       cmg_check_report_set_validation (CmgCheckReport *self,
                                            CmgValidation  *validation);
/* Progress of running checks, 0..1. */
void       cmg_check_report_set_progress (CmgCheckReport *self,
                                          double          fraction);
/* A sentence instead of findings (the checks could not run). */
void       cmg_check_report_set_failure (CmgCheckReport *self,
                                         const char     *message);
guint      cmg_check_report_get_n_findings (CmgCheckReport *self);
/* The finding at position (transfer none), or NULL. */
const CmgFinding *cmg_check_report_get_finding (CmgCheckReport *self,
                                                guint           position);
void       cmg_check_report_activate_finding (CmgCheckReport *self,
                                              guint           position);

G_END_DECLS
