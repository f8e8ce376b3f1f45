/* test-risk-style.c: every widget that shows a deployment's risk colours it the same way. */
#include "config.h"

#include "cmg-risk-style.h"
#include "cmg-ui-test-utils.h"

static guint
count_risk_classes (GtkWidget *widget)
{
  g_auto(GStrv) classes = gtk_widget_get_css_classes (widget);
  guint n = 0;

  for (guint i = 0; classes[i] != NULL; i++)
    if (g_str_has_prefix (classes[i], "risk-"))
      n++;
  return n;
}

static void
test_classes (void)
{
  g_assert_cmpstr (cmg_risk_style_get_class (CMG_RISK_LOW), ==, "risk-low");
  g_assert_cmpstr (cmg_risk_style_get_class (CMG_RISK_MEDIUM), ==, "risk-medium");
  g_assert_cmpstr (cmg_risk_style_get_class (CMG_RISK_HIGH), ==, "risk-high");
  /* A level this code does not know yet is shown as the most dangerous. */
  g_assert_cmpstr (cmg_risk_style_get_class ((CmgRisk) 42), ==, "risk-high");
}

static void
test_apply_replaces (void)
{
  GtkWidget *dot = g_object_ref_sink (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0));

  gtk_widget_add_css_class (dot, "risk-dot");
  cmg_risk_style_apply (dot, CMG_RISK_HIGH);
  g_assert_true (gtk_widget_has_css_class (dot, "risk-high"));
  g_assert_cmpuint (count_risk_classes (dot), ==, 2);

  cmg_risk_style_apply (dot, CMG_RISK_LOW);
  g_assert_true (gtk_widget_has_css_class (dot, "risk-low"));
  g_assert_false (gtk_widget_has_css_class (dot, "risk-high"));
  cmg_risk_style_apply (dot, CMG_RISK_MEDIUM);
  g_assert_true (gtk_widget_has_css_class (dot, "risk-medium"));
  g_assert_false (gtk_widget_has_css_class (dot, "risk-low"));
  /* Only one risk at a time, and the widget's other classes stay. */
  g_assert_cmpuint (count_risk_classes (dot), ==, 2);
  g_assert_true (gtk_widget_has_css_class (dot, "risk-dot"));

  g_assert_finalize_object (dot);
}

int
main (int   argc,
      char *argv[])
{
  cmg_test_ui_init (&argc, &argv);

  g_test_add_func ("/risk-style/classes", test_classes);
  g_test_add_func ("/risk-style/apply-replaces", test_apply_replaces);

  return g_test_run ();
}
