/* cmg-import-plan-target.c: the TARGET step of CmgImportPlan: the connection's deployment and
 * conflicts, the probe, and the warnings about the target. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-import-plan-private.h"

/* Backends older than this cannot import "uniform" generated_schema.jsonl files (convex-facts §2:
 * old self-hosted backends). The exact first version is not published; this is a conservative
 * floor, and an unparsable version gives no warning. */
#define UNIFORM_MIN_BACKEND_MAJOR 1
#define UNIFORM_MIN_BACKEND_MINOR 10

/* --- TARGET --- */

static gboolean
version_too_old (const char *version)
{
  guint64 major, minor;
  char *end;

  if (version == NULL || !g_ascii_isdigit (version[0]))
    return FALSE;
  major = g_ascii_strtoull (version, &end, 10);
  if (*end != '.' || !g_ascii_isdigit (end[1]))
    return FALSE;
  minor = g_ascii_strtoull (end + 1, NULL, 10);
  return major < UNIFORM_MIN_BACKEND_MAJOR ||
         (major == UNIFORM_MIN_BACKEND_MAJOR && minor < UNIFORM_MIN_BACKEND_MINOR);
}

static gboolean
archive_uses_uniform (CmgImportPlan *self)
{
  GListModel *tables;
  guint n;

  if (self->snapshot == NULL)
    return FALSE;
  tables = cmg_snapshot_get_tables (self->snapshot);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      if (cmg_table_get_schema (table) == CMG_TABLE_SCHEMA_UNIFORM)
        return TRUE;
    }
  return FALSE;
}

/* `snapshot_<name>_<ts>.zip` (the CLI's and the dashboard's name) or the plan's own backups. */
static gboolean
archive_named_after (GFile      *file,
                     const char *name)
{
  g_autofree char *basename = NULL;
  g_autofree char *snapshot_prefix = NULL;
  g_autofree char *backup_prefix = NULL;

  if (name == NULL || *name == '\0')
    return FALSE;
  basename = g_file_get_basename (file);
  snapshot_prefix = g_strdup_printf ("snapshot_%s_", name);
  backup_prefix = g_strdup_printf ("backup_%s_", name);
  return g_str_has_prefix (basename, snapshot_prefix) || g_str_has_prefix (basename, backup_prefix);
}

static void
add_warning (CmgImportPlan       *self,
             const char          *code,
             CmgConflictSeverity  severity,
             const char          *message)
{
  g_ptr_array_add (self->warnings, cmg_conflict_new (code, severity, message));
}

static void
finish_target (CmgImportPlan *self)
{
  CmgDeployment *deployment = _cmg_import_plan_target_deployment (self);
  const char *name = deployment != NULL ? cmg_deployment_get_name (deployment) : NULL;
  g_autoptr(GString) detail = g_string_new (NULL);
  g_autofree char *identity = _cmg_import_plan_dup_target_identity (self);
  g_autofree char *reason = NULL;
  const CmgConflict *blocking = NULL;

  if (self->probe_result != NULL)
    {
      if (!self->probe_result->reachable)
        add_warning (self, "target-unreachable", CMG_CONFLICT_SEVERITY_WARNING, self->probe_result->message);
      else if (!self->probe_result->name_matches)
        add_warning (self, "target-name-mismatch", CMG_CONFLICT_SEVERITY_ERROR, self->probe_result->message);

      if (archive_uses_uniform (self) && version_too_old (self->probe_result->version))
        {
          g_autofree char *message =
            /* Translators: %s is a backend version such as 1.2.0 */
            g_strdup_printf (_("The target's backend (version %s) is too old for this archive's format: the import "
                               "would fail on its generated_schema.jsonl files. Upgrade the backend first."),
                             self->probe_result->version);

          add_warning (self, "backend-too-old", CMG_CONFLICT_SEVERITY_WARNING, message);
        }
    }

  if (!self->is_undo &&
      (archive_named_after (self->source, name) ||
       (self->probe_result != NULL && archive_named_after (self->source, self->probe_result->instance_name))))
    {
      g_autofree char *message =
        /* Translators: %s is a deployment name */
        g_strdup_printf (_("The archive's file name says it was exported from %s, the very deployment you are importing into. "
                           "Make sure this is the deployment you mean to change."),
                         identity);

      add_warning (self, "same-deployment", CMG_CONFLICT_SEVERITY_WARNING, message);
    }

  for (guint i = 0; i < self->warnings->len; i++)
    {
      const CmgConflict *warning = g_ptr_array_index (self->warnings, i);

      if (detail->len > 0)
        g_string_append_c (detail, '\n');
      g_string_append_printf (detail, "• %s", warning->message);
      if (warning->severity == CMG_CONFLICT_SEVERITY_ERROR && blocking == NULL)
        blocking = warning;
    }
  cmg_plan_step_set_detail (_cmg_import_plan_step_at (self, CMG_PLAN_STEP_TARGET), detail->len > 0 ? detail->str : NULL);

  if (blocking != NULL)
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_FAILED, NULL,
                                      g_error_new_literal (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_TARGET, blocking->message));
      return;
    }

  /* Translators: %s is the deployment, then its type ("PRODUCTION", "Development") */
  reason = g_strdup_printf (_("%s (%s)"), identity, cmg_deployment_type_get_label (_cmg_import_plan_target_type (self)));
  if (self->warnings->len > 0)
    {
      g_autofree char *with = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s, %u warning", "%s, %u warnings",
                                                            self->warnings->len),
                                               reason, self->warnings->len);
      g_free (reason);
      reason = g_steal_pointer (&with);
    }
  _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_DONE, reason, NULL);
}

static void
probe_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CmgImportPlan) self = user_data;
  g_autoptr(GError) error = NULL;
  CmgProbeResult *probe_result;

  probe_result = cmg_probe_check_finish (CMG_PROBE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_FAILED, NULL, g_steal_pointer (&error));
      return;
    }
  g_clear_pointer (&self->probe_result, cmg_probe_result_free);
  self->probe_result = probe_result;
  if (error != NULL)
    add_warning (self, "probe-failed", CMG_CONFLICT_SEVERITY_WARNING, error->message);
  finish_target (self);
}

void
_cmg_import_plan_run_target (CmgImportPlan *self)
{
  CmgDeployment *deployment = _cmg_import_plan_target_deployment (self);
  GPtrArray *conflicts = cmg_connection_get_conflicts (self->connection);
  g_autoptr(CmgProbe) probe = NULL;

  g_ptr_array_set_size (self->warnings, 0);
  g_clear_pointer (&self->probe_result, cmg_probe_result_free);

  if (deployment == NULL)
    {
      _cmg_import_plan_step_finished (self, CMG_PLAN_STEP_TARGET, CMG_PLAN_STEP_STATE_FAILED, NULL,
                                      g_error_new_literal (CMG_IMPORT_PLAN_ERROR, CMG_IMPORT_PLAN_ERROR_TARGET,
                                                           _("This connection does not say which deployment to use. Choose another "
                                                             "connection, or run npx convex dev once in the project.")));
      return;
    }

  for (guint i = 0; conflicts != NULL && i < conflicts->len; i++)
    g_ptr_array_add (self->warnings, cmg_conflict_copy (g_ptr_array_index (conflicts, i)));

  if (cmg_deployment_get_url (deployment) == NULL)
    {
      finish_target (self);
      return;
    }

  probe = cmg_probe_new ();
  cmg_probe_set_timeout (probe, self->probe_timeout);
  cmg_probe_check_async (probe, cmg_deployment_get_url (deployment), cmg_deployment_get_name (deployment),
                         self->cancellable, probe_done, g_object_ref (self));
}
