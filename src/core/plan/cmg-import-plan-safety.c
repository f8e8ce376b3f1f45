/* cmg-import-plan-safety.c: the SAFETY steps of CmgImportPlan but the backup: confirming the
 * target, the schema reminder, and telling the team (message and webhook). */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-plan-private.h"
#include "cmg-plan-notify.h"

/* --- SAFETY: CONFIRM --- */

gboolean
cmg_import_plan_get_requires_typed_name (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), TRUE);

  switch (_cmg_import_plan_target_type (self))
    {
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
      return FALSE;
    case CMG_DEPLOYMENT_TYPE_PROD:
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      return TRUE;
    }
}

const char *
cmg_import_plan_get_expected_name (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  if (self->expected_name == NULL)
    self->expected_name = _cmg_import_plan_dup_target_identity (self);
  return self->expected_name;
}

gboolean
_cmg_import_plan_confirmation_ok (CmgImportPlan  *self,
                                  GError        **error)
{
  if (cmg_import_plan_get_requires_typed_name (self))
    {
      g_autofree char *typed = g_strstrip (g_strdup (self->typed_name != NULL ? self->typed_name : ""));

      if (!g_str_equal (typed, cmg_import_plan_get_expected_name (self)))
        {
          g_set_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED,
                       /* Translators: %s is the deployment name to type */
                       _("Type “%s” to confirm the target."), cmg_import_plan_get_expected_name (self));
          return FALSE;
        }
      return TRUE;
    }

  if (!self->confirmed)
    {
      g_set_error (error, CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_NOT_CONFIRMED,
                   /* Translators: %s is the deployment */
                   _("Confirm that you mean to import into %s."), cmg_import_plan_get_expected_name (self));
      return FALSE;
    }
  return TRUE;
}

void
_cmg_import_plan_run_confirm (CmgImportPlan *self)
{
  GError *error = NULL;
  g_autofree char *reason = NULL;

  if (!_cmg_import_plan_confirmation_ok (self, &error))
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_CONFIRM, CMG_PLAN_STEP_STATE_PENDING, NULL, error);
      return;
    }

  reason = g_strdup_printf (cmg_import_plan_get_requires_typed_name (self)
                            /* Translators: %s is the deployment */
                            ? _("Name typed: %s") : _("Confirmed: %s"),
                            cmg_import_plan_get_expected_name (self));
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_CONFIRM, CMG_PLAN_STEP_STATE_DONE, reason, NULL);
}

/* --- SAFETY: SCHEMA --- */

const char *
cmg_import_plan_get_schema_reminder (CmgImportPlan *self)
{
  g_return_val_if_fail (CMG_IS_IMPORT_PLAN (self), NULL);

  if (self->schema_reminder != NULL)
    return self->schema_reminder;

  switch (_cmg_import_plan_target_type (self))
    {
    case CMG_DEPLOYMENT_TYPE_PROD:
      self->schema_reminder = g_strdup (_("The target must run the schema.ts that matches this data, or documents are refused. "
                                          "Production gets its schema from a deploy: npx convex deploy."));
      break;
    case CMG_DEPLOYMENT_TYPE_PREVIEW:
      self->schema_reminder = g_strdup (_("The target must run the schema.ts that matches this data, or documents are refused. "
                                          "A preview deployment gets its schema from the branch's deploy (npx convex deploy with a preview key)."));
      break;
    case CMG_DEPLOYMENT_TYPE_DEV:
    case CMG_DEPLOYMENT_TYPE_LOCAL:
    case CMG_DEPLOYMENT_TYPE_ANONYMOUS:
    case CMG_DEPLOYMENT_TYPE_SELF_HOSTED:
    case CMG_DEPLOYMENT_TYPE_CUSTOM:
    case CMG_DEPLOYMENT_TYPE_UNKNOWN:
    default:
      self->schema_reminder = g_strdup (_("The target must run the schema.ts that matches this data, or documents are refused. "
                                          "Push it from the project folder with: npx convex dev --once"));
      break;
    }
  return self->schema_reminder;
}

void
_cmg_import_plan_run_schema (CmgImportPlan *self)
{
  cmg_plan_step_set_detail (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_SCHEMA), cmg_import_plan_get_schema_reminder (self));
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_SCHEMA, CMG_PLAN_STEP_STATE_DONE, _("Reminder shown"), NULL);
}

/* --- SAFETY: NOTIFY --- */

static void
webhook_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(CmgImportPlan) self = user_data;
  g_autoptr(GError) error = NULL;
  guint status;

  status = cmg_plan_notify_post_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_NOTIFY, CMG_PLAN_STEP_STATE_FAILED, NULL, g_steal_pointer (&error));
      return;
    }

  self->webhook_status = status;
  g_free (self->webhook_result);
  if (error != NULL)
    self->webhook_result = g_strdup (error->message);
  else
    /* Translators: %u is an HTTP status */
    self->webhook_result = g_strdup_printf (_("Sent to the webhook (HTTP %u)"), status);

  /* A heads-up that did not go out does not block the import; the message is there to copy. */
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_NOTIFY, CMG_PLAN_STEP_STATE_DONE, self->webhook_result, NULL);
}

void
_cmg_import_plan_run_notify (CmgImportPlan *self)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *source_name = g_file_get_basename (self->source);
  g_autofree char *identity = _cmg_import_plan_dup_target_identity (self);
  g_autofree char *backup_path = self->backup_file != NULL ? g_file_get_path (self->backup_file) : NULL;

  g_free (self->notify_message);
  self->notify_message = cmg_plan_notify_build_message (source_name,
                                                        cmg_import_mode_get_label (self->mode),
                                                        identity,
                                                        cmg_deployment_type_get_label (_cmg_import_plan_target_type (self)),
                                                        now, backup_path);
  cmg_plan_step_set_detail (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_NOTIFY), self->notify_message);
  self->webhook_status = 0;
  g_clear_pointer (&self->webhook_result, g_free);

  if (self->webhook_url == NULL)
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_NOTIFY, CMG_PLAN_STEP_STATE_DONE, _("Message ready to copy"), NULL);
      return;
    }

  cmg_plan_notify_post_async (self->webhook_url, self->notify_message, 10, self->cancellable,
                              webhook_done, g_object_ref (self));
}
