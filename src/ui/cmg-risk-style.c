/* cmg-risk-style.c: how a deployment's risk looks, the same in every widget that shows one. */

#include "config.h"

#include "cmg-risk-style.h"

static const char * const risk_classes[] = { "risk-low", "risk-medium", "risk-high" };

const char *
cmg_risk_style_get_class (CmgRisk risk)
{
  switch (risk)
    {
    case CMG_RISK_LOW:
      return "risk-low";
    case CMG_RISK_MEDIUM:
      return "risk-medium";
    case CMG_RISK_HIGH:
    default:
      /* An unknown level is a production until proven otherwise. */
      return "risk-high";
    }
}

void
cmg_risk_style_apply (GtkWidget *widget,
                      CmgRisk    risk)
{
  g_return_if_fail (GTK_IS_WIDGET (widget));

  for (guint i = 0; i < G_N_ELEMENTS (risk_classes); i++)
    gtk_widget_remove_css_class (widget, risk_classes[i]);
  gtk_widget_add_css_class (widget, cmg_risk_style_get_class (risk));
}
