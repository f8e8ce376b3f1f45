/* cmg-deployment-banner.c: see cmg-deployment-banner.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-deployment-banner.h"
#include "cmg-risk-style.h"

struct _CmgDeploymentBanner
{
  GtkButton           parent_instance;

  CmgConnection      *connection;
  CmgConnectionCheck *check;
  char               *summary;

  GtkImage           *type_image;
  GtkLabel           *name_label;
  GtkLabel           *type_label;
  GtkLabel           *details_label;
  GtkLabel           *reach_label;
  GtkWidget          *conflict_box;
  GtkLabel           *conflict_label;
  GtkLabel           *more_label;
  GtkWidget          *probe_box;
  GtkSpinner         *probe_spinner;
  GtkImage           *probe_image;
  GtkLabel           *probe_label;
};

G_DEFINE_FINAL_TYPE (CmgDeploymentBanner, cmg_deployment_banner, GTK_TYPE_BUTTON)

enum {
  PROP_0,
  PROP_CONNECTION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const banner_classes[] = {
  "risk-high", "risk-medium", "risk-low", "conflict", "no-target", "probe-mismatch",
};

static void
set_label (GtkLabel   *label,
           const char *text)
{
  gtk_label_set_label (label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (label), text != NULL && *text != '\0');
}

/* The first character upper-cased, so a source description can start a line. */
static char *
capitalize (const char *text)
{
  gunichar first = g_utf8_get_char (text);
  char buf[8];
  int len = g_unichar_to_utf8 (g_unichar_totitle (first), buf);

  return g_strdup_printf ("%.*s%s", len, buf, g_utf8_next_char (text));
}

/* A `--deployment staging` target has no name until the CLI asks; its reference names it. */
static char *
dup_target_name (CmgConnection *connection,
                 CmgDeployment *deployment)
{
  if (cmg_deployment_get_name (deployment) == NULL &&
      cmg_connection_get_kind (connection) == CMG_CONNECTION_KIND_DEPLOYMENT)
    return g_strdup (cmg_connection_get_title (connection));
  return cmg_deployment_dup_display_name (deployment);
}

static char *
describe_reach (CmgConnection *connection,
                CmgDeployment *deployment)
{
  g_autofree char *masked = cmg_connection_dup_masked_secret (connection);
  const char *url = cmg_deployment_get_url (deployment);
  g_autofree char *how = NULL;

  switch (cmg_deployment_get_via (deployment))
    {
    case CMG_TARGET_VIA_DEPLOY_KEY:
      how = g_strdup_printf (_("via deploy key %s"), masked ? masked : "");
      break;
    case CMG_TARGET_VIA_SELF_HOSTED:
      how = g_strdup_printf (_("via admin key %s"), masked ? masked : "");
      break;
    case CMG_TARGET_VIA_CONVEX_DEPLOYMENT:
      how = g_strdup (_("via CONVEX_DEPLOYMENT and your Convex login"));
      break;
    case CMG_TARGET_VIA_PROD_FLAG:
      how = g_strdup (_("via --prod and your Convex login"));
      break;
    case CMG_TARGET_VIA_DEPLOYMENT_FLAG:
      how = g_strdup (_("via --deployment and your Convex login"));
      break;
    case CMG_TARGET_VIA_NONE:
    default:
      if (masked != NULL)
        how = g_strdup_printf (_("via admin key %s"), masked);
      break;
    }

  if (url == NULL)
    url = _("Address chosen by the Convex CLI when it runs");

  if (how == NULL)
    return g_strdup (url);
  /* Translators: a URL, then how the CLI reaches it, e.g. "via deploy key prod:…|••••" */
  return g_strdup_printf (_("%s · %s"), url, how);
}

static void
update_probe (CmgDeploymentBanner *self)
{
  CmgCheckState state = cmg_connection_check_get_state (self->check);
  const char *message = cmg_connection_check_get_message (self->check);
  const char *icon_name = cmg_connection_check_get_icon_name (self->check);
  gboolean mismatch = state == CMG_CHECK_STATE_MISMATCH || state == CMG_CHECK_STATE_FAILED;

  gtk_widget_set_visible (self->probe_box, state != CMG_CHECK_STATE_NONE);
  gtk_widget_set_visible (GTK_WIDGET (self->probe_spinner), state == CMG_CHECK_STATE_CHECKING);
  gtk_spinner_set_spinning (self->probe_spinner, state == CMG_CHECK_STATE_CHECKING);
  gtk_widget_set_visible (GTK_WIDGET (self->probe_image),
                          state != CMG_CHECK_STATE_CHECKING && icon_name != NULL);
  gtk_image_set_from_icon_name (self->probe_image, icon_name);
  gtk_label_set_label (self->probe_label, message ? message : "");
  gtk_widget_set_tooltip_text (self->probe_box,
                               cmg_connection_check_get_result (self->check)
                               ? cmg_connection_check_get_result (self->check)->message
                               : NULL);

  if (mismatch)
    gtk_widget_add_css_class (GTK_WIDGET (self), "probe-mismatch");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "probe-mismatch");
}

static void
update_summary (CmgDeploymentBanner *self,
                const char          *summary)
{
  g_free (self->summary);
  self->summary = g_strdup (summary);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, summary,
                                  -1);
}

static void
cmg_deployment_banner_update (CmgDeploymentBanner *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  CmgDeployment *deployment = NULL;
  GPtrArray *conflicts = NULL;
  const CmgConflict *first_conflict = NULL;
  guint n_warnings = 0;
  g_autoptr(GString) summary = g_string_new (NULL);
  CmgRisk risk;

  for (guint i = 0; i < G_N_ELEMENTS (banner_classes); i++)
    gtk_widget_remove_css_class (widget, banner_classes[i]);

  if (self->connection != NULL)
    {
      deployment = cmg_connection_get_deployment (self->connection);
      conflicts = cmg_connection_get_conflicts (self->connection);
    }

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    {
      const CmgConflict *conflict = g_ptr_array_index (conflicts, i);

      if (conflict->severity < CMG_CONFLICT_SEVERITY_WARNING)
        continue;
      if (first_conflict == NULL)
        first_conflict = conflict;
      n_warnings++;
    }

  if (deployment == NULL)
    {
      risk = CMG_RISK_HIGH;
      gtk_widget_add_css_class (widget, "no-target");
      gtk_image_set_from_icon_name (self->type_image, "dialog-warning-symbolic");
      set_label (self->name_label, _("No deployment"));
      set_label (self->type_label, NULL);
      set_label (self->details_label, _("Run npx convex dev in this folder to choose one."));
      set_label (self->reach_label, NULL);
      g_string_append (summary, _("No deployment: run npx convex dev in this folder"));
    }
  else
    {
      CmgDeploymentType type = cmg_deployment_get_deployment_type (deployment);
      const char *type_label = cmg_deployment_type_get_label (type);
      const char *team = cmg_deployment_get_team (deployment);
      const char *project = cmg_deployment_get_project (deployment);
      const CmgValueSource *source = cmg_deployment_get_source (deployment);
      g_autofree char *name = dup_target_name (self->connection, deployment);
      g_autofree char *source_text = source ? cmg_value_source_describe (source) : NULL;
      g_autofree char *reach = describe_reach (self->connection, deployment);
      g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

      risk = cmg_deployment_get_risk (deployment);
      gtk_image_set_from_icon_name (self->type_image,
                                    risk == CMG_RISK_HIGH ? "dialog-warning-symbolic"
                                                          : "network-server-symbolic");
      set_label (self->name_label, name);
      set_label (self->type_label, type_label);

      if (team != NULL)
        g_ptr_array_add (parts, g_strdup_printf (_("Team %s"), team));
      if (project != NULL)
        g_ptr_array_add (parts, g_strdup_printf (_("Project %s"), project));
      if (source_text != NULL && *source_text != '\0')
        g_ptr_array_add (parts, capitalize (source_text));
      g_ptr_array_add (parts, NULL);
      {
        g_autofree char *details = g_strjoinv (" · ", (char **) parts->pdata);
        set_label (self->details_label, details);
      }
      set_label (self->reach_label, reach);

      /* Translators: the sentence a screen reader says for the banner */
      g_string_append_printf (summary, _("Target: %s, %s"), name, type_label);
      if (team != NULL)
        g_string_append_printf (summary, _(", team %s"), team);
      if (project != NULL)
        g_string_append_printf (summary, _(", project %s"), project);
      if (source_text != NULL && *source_text != '\0')
        g_string_append_printf (summary, ", %s", source_text);
    }

  cmg_risk_style_apply (widget, risk);

  gtk_widget_set_visible (self->conflict_box, first_conflict != NULL);
  if (first_conflict != NULL)
    {
      g_autofree char *prefixed = NULL;

      gtk_widget_add_css_class (widget, "conflict");
      gtk_label_set_label (self->conflict_label, first_conflict->message);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->conflict_label), first_conflict->message);
      if (n_warnings > 1)
        {
          g_autofree char *more = g_strdup_printf (_("+%u more"), n_warnings - 1);
          set_label (self->more_label, more);
        }
      else
        set_label (self->more_label, NULL);

      prefixed = g_strdup_printf (_("Warning: %s"), first_conflict->message);
      g_string_prepend_c (summary, ' ');
      g_string_prepend (summary, prefixed);
    }

  update_summary (self, summary->str);
}

static void
cmg_deployment_banner_dispose (GObject *object)
{
  CmgDeploymentBanner *self = CMG_DEPLOYMENT_BANNER (object);

  if (self->check != NULL)
    cmg_connection_check_set_connection (self->check, NULL);
  g_clear_object (&self->connection);

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_DEPLOYMENT_BANNER);

  G_OBJECT_CLASS (cmg_deployment_banner_parent_class)->dispose (object);
}

static void
cmg_deployment_banner_finalize (GObject *object)
{
  CmgDeploymentBanner *self = CMG_DEPLOYMENT_BANNER (object);

  g_clear_object (&self->check);
  g_free (self->summary);

  G_OBJECT_CLASS (cmg_deployment_banner_parent_class)->finalize (object);
}

static void
cmg_deployment_banner_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  CmgDeploymentBanner *self = CMG_DEPLOYMENT_BANNER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_deployment_banner_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  CmgDeploymentBanner *self = CMG_DEPLOYMENT_BANNER (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      cmg_deployment_banner_set_connection (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_deployment_banner_class_init (CmgDeploymentBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_deployment_banner_dispose;
  object_class->finalize = cmg_deployment_banner_finalize;
  object_class->get_property = cmg_deployment_banner_get_property;
  object_class->set_property = cmg_deployment_banner_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL,
                         CMG_TYPE_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-deployment-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, type_image);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, type_label);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, details_label);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, reach_label);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, conflict_box);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, conflict_label);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, more_label);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, probe_box);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, probe_spinner);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, probe_image);
  gtk_widget_class_bind_template_child (widget_class, CmgDeploymentBanner, probe_label);

  gtk_widget_class_set_css_name (widget_class, "button");
}

static void
cmg_deployment_banner_init (CmgDeploymentBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->check = cmg_connection_check_new ();
  g_signal_connect_object (self->check, "notify::state",
                           G_CALLBACK (update_probe), self,
                           G_CONNECT_SWAPPED);
  cmg_deployment_banner_update (self);
  update_probe (self);
}

GtkWidget *
cmg_deployment_banner_new (void)
{
  return g_object_new (CMG_TYPE_DEPLOYMENT_BANNER, NULL);
}

void
cmg_deployment_banner_set_connection (CmgDeploymentBanner *self,
                                      CmgConnection       *connection)
{
  g_return_if_fail (CMG_IS_DEPLOYMENT_BANNER (self));
  g_return_if_fail (connection == NULL || CMG_IS_CONNECTION (connection));

  if (!g_set_object (&self->connection, connection))
    return;

  cmg_deployment_banner_update (self);
  cmg_connection_check_set_connection (self->check, connection);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION]);
}

CmgConnection *
cmg_deployment_banner_get_connection (CmgDeploymentBanner *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT_BANNER (self), NULL);
  return self->connection;
}

CmgConnectionCheck *
cmg_deployment_banner_get_check (CmgDeploymentBanner *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT_BANNER (self), NULL);
  return self->check;
}

const char *
cmg_deployment_banner_get_summary (CmgDeploymentBanner *self)
{
  g_return_val_if_fail (CMG_IS_DEPLOYMENT_BANNER (self), NULL);
  return self->summary;
}
