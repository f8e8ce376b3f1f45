/* cmg-risk-style.h: how a deployment's risk looks, the same in every widget that shows one.
 *
 * The colours live in the app's CSS under the classes "risk-low", "risk-medium" and "risk-high".
 */
#pragma once

#include <gtk/gtk.h>

#include "cmg-deployment.h"

G_BEGIN_DECLS

/* The CSS class for risk; anything unknown is treated as high. */
const char *cmg_risk_style_get_class (CmgRisk    risk);
/* Gives widget the class for risk, removing any other risk class it had. */
void        cmg_risk_style_apply     (GtkWidget *widget,
                                      CmgRisk    risk);

G_END_DECLS
