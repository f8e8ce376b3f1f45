/* cmg-plan-step.c: see cmg-plan-step.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-core.h"
#include "cmg-plan-step.h"

struct _CmgPlanStep
{
  GObject           parent_instance;

  CmgPlanStepKind   kind;
  char             *title;
  char             *description;
  CmgPlanStepState  state;
  char             *reason;
  char             *detail;
};

G_DEFINE_FINAL_TYPE (CmgPlanStep, cmg_plan_step, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_TITLE,
  PROP_DESCRIPTION,
  PROP_STATE,
  PROP_REASON,
  PROP_DETAIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const kind_names[] = {
  "source", "target", "mode", "confirm", "backup", "schema", "notify", "review", "run", "result",
};
G_STATIC_ASSERT (G_N_ELEMENTS (kind_names) == CMG_PLAN_STEP_N_KINDS);

static const char * const state_names[] = {
  "pending", "running", "done", "skipped", "failed",
};

const char *
cmg_plan_step_kind_to_string (CmgPlanStepKind kind)
{
  g_return_val_if_fail ((guint)kind < CMG_PLAN_STEP_N_KINDS, NULL);
  return kind_names[kind];
}

gboolean
cmg_plan_step_kind_from_string (const char      *str,
                                CmgPlanStepKind *out_kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (str, kind_names[i]))
      {
        if (out_kind != NULL)
          *out_kind = (CmgPlanStepKind)i;
        return TRUE;
      }
  return FALSE;
}

CmgPlanPage
cmg_plan_step_kind_get_page (CmgPlanStepKind kind)
{
  switch (kind)
    {
    case CMG_PLAN_STEP_SOURCE:
      return CMG_PLAN_PAGE_SOURCE;
    case CMG_PLAN_STEP_TARGET:
      return CMG_PLAN_PAGE_TARGET;
    case CMG_PLAN_STEP_MODE:
      return CMG_PLAN_PAGE_MODE;
    case CMG_PLAN_STEP_CONFIRM:
    case CMG_PLAN_STEP_BACKUP:
    case CMG_PLAN_STEP_SCHEMA:
    case CMG_PLAN_STEP_NOTIFY:
      return CMG_PLAN_PAGE_SAFETY;
    case CMG_PLAN_STEP_REVIEW:
      return CMG_PLAN_PAGE_REVIEW;
    case CMG_PLAN_STEP_RUN:
      return CMG_PLAN_PAGE_RUN;
    case CMG_PLAN_STEP_RESULT:
    default:
      return CMG_PLAN_PAGE_RESULT;
    }
}

const char *
cmg_plan_step_state_to_string (CmgPlanStepState state)
{
  if ((guint)state < G_N_ELEMENTS (state_names))
    return state_names[state];
  return "pending";
}

const char *
cmg_plan_step_state_get_label (CmgPlanStepState state)
{
  switch (state)
    {
    case CMG_PLAN_STEP_STATE_RUNNING:
      return _("Running");
    case CMG_PLAN_STEP_STATE_DONE:
      return _("Done");
    case CMG_PLAN_STEP_STATE_SKIPPED:
      return _("Skipped");
    case CMG_PLAN_STEP_STATE_FAILED:
      return _("Failed");
    case CMG_PLAN_STEP_STATE_PENDING:
    default:
      return _("Waiting");
    }
}

static void
cmg_plan_step_finalize (GObject *object)
{
  CmgPlanStep *self = CMG_PLAN_STEP (object);

  g_free (self->title);
  g_free (self->description);
  g_free (self->reason);
  g_free (self->detail);

  G_OBJECT_CLASS (cmg_plan_step_parent_class)->finalize (object);
}

static void
cmg_plan_step_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  CmgPlanStep *self = CMG_PLAN_STEP (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_uint (value, self->kind);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, self->description);
      break;
    case PROP_STATE:
      g_value_set_uint (value, self->state);
      break;
    case PROP_REASON:
      g_value_set_string (value, self->reason);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_plan_step_class_init (CmgPlanStepClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_plan_step_finalize;
  object_class->get_property = cmg_plan_step_get_property;

  properties[PROP_KIND] =
    g_param_spec_uint ("kind", NULL, NULL, 0, CMG_PLAN_STEP_N_KINDS - 1, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCRIPTION] =
    g_param_spec_string ("description", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_uint ("state", NULL, NULL, 0, CMG_PLAN_STEP_STATE_FAILED, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REASON] =
    g_param_spec_string ("reason", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cmg_plan_step_init (CmgPlanStep *self)
{
}

CmgPlanStep *
cmg_plan_step_new (CmgPlanStepKind  kind,
                   const char      *title,
                   const char      *description)
{
  CmgPlanStep *self;

  g_return_val_if_fail ((guint)kind < CMG_PLAN_STEP_N_KINDS, NULL);

  self = g_object_new (CMG_TYPE_PLAN_STEP, NULL);
  self->kind = kind;
  self->title = g_strdup (title);
  self->description = g_strdup (description);
  return self;
}

CmgPlanStepKind
cmg_plan_step_get_kind (CmgPlanStep *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_STEP (self), 0);
  return self->kind;
}

const char *
cmg_plan_step_get_title (CmgPlanStep *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_STEP (self), NULL);
  return self->title;
}

const char *
cmg_plan_step_get_description (CmgPlanStep *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_STEP (self), NULL);
  return self->description;
}

CmgPlanStepState
cmg_plan_step_get_state (CmgPlanStep *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_STEP (self), CMG_PLAN_STEP_STATE_PENDING);
  return self->state;
}

const char *
cmg_plan_step_get_reason (CmgPlanStep *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_STEP (self), NULL);
  return self->reason;
}

const char *
cmg_plan_step_get_detail (CmgPlanStep *self)
{
  g_return_val_if_fail (CMG_IS_PLAN_STEP (self), NULL);
  return self->detail;
}

void
cmg_plan_step_set_state (CmgPlanStep      *self,
                         CmgPlanStepState  state,
                         const char       *reason)
{
  g_return_if_fail (CMG_IS_PLAN_STEP (self));

  g_object_freeze_notify (G_OBJECT (self));
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
  if (cmg_set_str (&self->reason, reason))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REASON]);
  g_object_thaw_notify (G_OBJECT (self));
}

void
cmg_plan_step_set_description (CmgPlanStep *self,
                               const char  *description)
{
  g_return_if_fail (CMG_IS_PLAN_STEP (self));

  if (cmg_set_str (&self->description, description))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
}

void
cmg_plan_step_set_detail (CmgPlanStep *self,
                          const char  *detail)
{
  g_return_if_fail (CMG_IS_PLAN_STEP (self));

  if (cmg_set_str (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DETAIL]);
}
