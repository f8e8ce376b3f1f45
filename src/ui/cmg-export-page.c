/* cmg-export-page.c: see cmg-export-page.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "cmg-cli-error.h"
#include "cmg-cli-run.h"
#include "cmg-export-page.h"
#include "cmg-file-chooser.h"
#include "cmg-snapshot-open-task.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"

struct _CmgExportPage
{
  GtkWidget       parent_instance;

  CmgProject     *project;
  CmgConnection  *connection;
  CmgRunHistory  *history;
  char          **environ;
  char          **program;
  GFile          *folder;
  /* TRUE once the user typed a name: a new connection then keeps it. */
  gboolean        name_edited;
  gboolean        setting_name;
  char           *problem;

  CmgCliRun      *run;
  GFile          *target_file;
  CmgExportState  state;
  char           *failure;
  gboolean        saw_busy;
  gboolean        saw_bad_key;
  char           *failure_text;
  GtkWidget      *current_step;
  GFile          *result;
  CmgSnapshot    *snapshot;
  gboolean        counted;
  char           *cli_version;
  GCancellable   *cancellable;

  GtkWidget      *box;
  GtkLabel       *version_label;
  GtkLabel       *target_label;
  GtkLabel       *risk_label;
  GtkLabel       *folder_label;
  GtkButton      *folder_button;
  GtkEntry       *name_entry;
  GtkCheckButton *storage_check;
  GtkLabel       *problem_label;
  GtkWidget      *cancel_button;
  GtkWidget      *export_button;
  GtkWidget      *result_box;
  GtkImage       *result_image;
  GtkLabel       *result_label;
  GtkLabel       *counts_label;
  GtkWidget      *open_button;
  GtkListBox     *steps_list;
  CmgLogView     *log_view;
};

G_DEFINE_FINAL_TYPE (CmgExportPage, cmg_export_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_STATE,
  PROP_COUNTED,
  N_PROPS
};

enum {
  OPEN_ARCHIVE,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_state (CmgExportPage  *self,
           CmgExportState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* Destination checks */

static char *
default_file_name (CmgExportPage *self)
{
  CmgDeployment *deployment = self->connection ? cmg_connection_get_deployment (self->connection) : NULL;
  const char *name = deployment ? cmg_deployment_get_name (deployment) : NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *date = g_date_time_format (now, "%Y-%m-%d");

  return g_strdup_printf ("snapshot_%s_%s.zip", name && *name ? name : "deployment", date);
}

/* The sentence that keeps Export insensitive, or NULL. */
static char *
check_destination (CmgExportPage *self)
{
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
  g_autofree char *folder_path = self->folder ? g_file_get_path (self->folder) : NULL;
  g_autofree char *folder_name = self->folder ? g_file_get_parse_name (self->folder) : NULL;
  g_autofree char *path = NULL;
  GStatBuf buf;

  if (self->project == NULL)
    return g_strdup (_("Open a project folder first: the Convex CLI runs in it."));
  if (self->connection == NULL || cmg_connection_get_deployment (self->connection) == NULL)
    return g_strdup (_("This project has no deployment to export from. Choose or add a connection at the top of the window."));
  if (folder_path == NULL)
    return g_strdup (_("Choose a folder on this computer to save the export in."));
  if (!g_file_test (folder_path, G_FILE_TEST_IS_DIR))
    /* Translators: a folder */
    return g_strdup_printf (_("The folder “%s” does not exist. Choose another folder."), folder_name);
  if (g_access (folder_path, W_OK | X_OK) != 0)
    /* Translators: a folder */
    return g_strdup_printf (_("You cannot write to the folder “%s”. Choose another folder."), folder_name);
  if (*name == '\0')
    return g_strdup (_("Type a file name for the export."));
  if (strchr (name, '/') != NULL || g_strcmp0 (name, ".") == 0 || g_strcmp0 (name, "..") == 0)
    return g_strdup (_("The file name cannot contain “/”. Choose the folder with the folder button."));
  if (!g_str_has_suffix (name, ".zip"))
    return g_strdup (_("The file name must end in “.zip”: the export is a ZIP archive."));

  path = g_build_filename (folder_path, name, NULL);
  /* lstat: a dangling link is still a name the CLI would write through. */
  if (g_lstat (path, &buf) == 0)
    /* Translators: a file name */
    return g_strdup_printf (_("“%s” already exists in this folder, and exports never overwrite a file. Choose another name."), name);
  return NULL;
}

static void
update_sensitivity (CmgExportPage *self)
{
  gboolean running = self->state == CMG_EXPORT_STATE_RUNNING;

  g_free (self->problem);
  self->problem = check_destination (self);

  /* Right after an export its own file is "taken"; the success row says enough. */
  if (self->state == CMG_EXPORT_STATE_SUCCEEDED && self->result != NULL)
    {
      g_autofree char *result_name = g_file_get_basename (self->result);

      if (g_strcmp0 (result_name, gtk_editable_get_text (GTK_EDITABLE (self->name_entry))) == 0)
        running = TRUE;
    }
  /* Always there (empty when fine), so that the buttons keep their place at the end. */
  gtk_label_set_label (self->problem_label, running || self->problem == NULL ? "" : self->problem);
  running = self->state == CMG_EXPORT_STATE_RUNNING;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.start", !running && self->problem == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.cancel", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.choose-folder", !running);
  gtk_widget_set_visible (self->cancel_button, running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->name_entry), !running);
  gtk_widget_set_sensitive (GTK_WIDGET (self->storage_check), !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "export.open-archive", self->result != NULL);
}

static void
update_target (CmgExportPage *self)
{
  CmgDeployment *deployment = self->connection ? cmg_connection_get_deployment (self->connection) : NULL;
  static const char * const risk_classes[] = { "risk-low", "risk-medium", "risk-high" };

  for (guint i = 0; i < G_N_ELEMENTS (risk_classes); i++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->risk_label), risk_classes[i]);

  if (deployment == NULL)
    {
      gtk_label_set_label (self->target_label, _("No deployment"));
      gtk_widget_set_visible (GTK_WIDGET (self->risk_label), FALSE);
      return;
    }

  {
    g_autofree char *name = cmg_deployment_dup_display_name (deployment);
    CmgRisk risk = cmg_deployment_get_risk (deployment);

    gtk_label_set_label (self->target_label, name);
    gtk_label_set_label (self->risk_label,
                         cmg_deployment_type_get_label (cmg_deployment_get_deployment_type (deployment)));
    gtk_widget_add_css_class (GTK_WIDGET (self->risk_label), risk_classes[MIN ((guint) risk, 2)]);
    gtk_widget_set_visible (GTK_WIDGET (self->risk_label), TRUE);
  }
}

static void
update_default_name (CmgExportPage *self)
{
  g_autofree char *name = NULL;

  if (self->name_edited)
    return;
  name = default_file_name (self);
  self->setting_name = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name);
  self->setting_name = FALSE;
}

static void
name_changed_cb (CmgExportPage *self)
{
  if (!self->setting_name)
    self->name_edited = TRUE;
  update_sensitivity (self);
}

void
cmg_export_page_set_folder (CmgExportPage *self,
                            GFile         *folder)
{
  g_autofree char *name = NULL;

  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));
  g_return_if_fail (folder == NULL || G_IS_FILE (folder));

  g_set_object (&self->folder, folder);
  name = folder ? g_file_get_parse_name (folder) : g_strdup (_("No folder"));
  gtk_label_set_label (self->folder_label, name);
  update_sensitivity (self);
}

GFile *
cmg_export_page_get_folder (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);
  return self->folder;
}

void
cmg_export_page_set_file_name (CmgExportPage *self,
                               const char    *name)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name ? name : "");
}

const char *
cmg_export_page_get_file_name (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->name_entry));
}

const char *
cmg_export_page_get_problem (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);

  update_sensitivity (self);
  return self->problem;
}

/* The CLI's version */

static void
version_read_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmgExportPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *version = cmg_cli_read_version_finish (result, &error);
  g_autofree char *label = NULL;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_free (self->cli_version);
  self->cli_version = g_steal_pointer (&version);
  if (self->cli_version != NULL)
    /* Translators: the version of the project's Convex CLI, e.g. 1.48.0 */
    label = g_strdup_printf (_("Convex CLI %s"), self->cli_version);
  else
    label = g_strdup (error->message);
  gtk_label_set_label (self->version_label, label);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->version_label), label);
}

static void
read_version (CmgExportPage *self)
{
  g_clear_pointer (&self->cli_version, g_free);
  if (self->project == NULL)
    {
      gtk_label_set_label (self->version_label, "");
      return;
    }
  gtk_label_set_label (self->version_label, _("Checking the Convex CLI…"));
  cmg_cli_read_version_async (cmg_project_get_path (self->project),
                              (const char * const *) self->environ,
                              self->cancellable,
                              version_read_cb,
                              g_object_ref (self));
}

/* Steps */

static GtkWidget *
add_step (CmgExportPage *self,
          const char    *text,
          const char    *icon_name)
{
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 10);
  GtkWidget *label = gtk_label_new (text);

  if (icon_name != NULL)
    {
      GtkWidget *image = gtk_image_new_from_icon_name (icon_name);

      gtk_accessible_update_property (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
      gtk_box_append (GTK_BOX (row), image);
    }
  else
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_box_append (GTK_BOX (row), spinner);
    }
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_set_tooltip_text (label, text);
  gtk_box_append (GTK_BOX (row), label);
  gtk_widget_add_css_class (row, "step-row");
  gtk_list_box_append (self->steps_list, row);
  gtk_widget_set_visible (GTK_WIDGET (self->steps_list), TRUE);
  return row;
}

static void
finish_current_step (CmgExportPage *self,
                     const char    *icon_name)
{
  GtkWidget *first;

  if (self->current_step == NULL)
    return;
  first = gtk_widget_get_first_child (self->current_step);
  if (GTK_IS_SPINNER (first))
    {
      gtk_box_remove (GTK_BOX (self->current_step), first);
      gtk_box_prepend (GTK_BOX (self->current_step), gtk_image_new_from_icon_name (icon_name));
    }
  self->current_step = NULL;
}

/* A finished or cancelled run may outlive the page (the history keeps it) and still emit:
 * stop listening before letting it go. */
static void
drop_run (CmgExportPage *self)
{
  if (self->run == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->run, self);
  g_clear_object (&self->run);
}

static void
event_cb (CmgCliRun     *run,
          CmgCliEvent   *event,
          CmgExportPage *self)
{
  const char *text = cmg_cli_event_get_text (event);

  switch (cmg_cli_event_get_kind (event))
    {
    case CMG_CLI_EVENT_STEP_STARTED:
      finish_current_step (self, "object-select-symbolic");
      self->current_step = add_step (self, text, NULL);
      break;
    case CMG_CLI_EVENT_STEP_DONE:
      finish_current_step (self, "object-select-symbolic");
      add_step (self, text, "object-select-symbolic");
      break;
    case CMG_CLI_EVENT_RETRY:
      add_step (self, text, "view-refresh-symbolic");
      break;
    case CMG_CLI_EVENT_WARNING:
      add_step (self, text, "dialog-warning-symbolic");
      break;
    case CMG_CLI_EVENT_EXPORT_BUSY:
      self->saw_busy = TRUE;
      finish_current_step (self, "dialog-error-symbolic");
      break;
    case CMG_CLI_EVENT_BAD_KEY:
      self->saw_bad_key = TRUE;
      break;
    case CMG_CLI_EVENT_FAILURE:
      finish_current_step (self, "dialog-error-symbolic");
      add_step (self, text, "dialog-error-symbolic");
      if (self->failure_text == NULL)
        {
          const char *detail = cmg_cli_event_get_detail (event);

          self->failure_text = detail ? g_strdup_printf ("%s: %s", text, detail) : g_strdup (text);
        }
      break;
    case CMG_CLI_EVENT_CHANGE_SUMMARY:
    case CMG_CLI_EVENT_PROMPT:
    case CMG_CLI_EVENT_PROGRESS:
    case CMG_CLI_EVENT_CONTINUES_ON_SERVER:
    case CMG_CLI_EVENT_IMPORT_IN_PROGRESS:
    case CMG_CLI_EVENT_FINISHED:
    default:
      break;
    }
}

/* Results */

static void
show_result (CmgExportPage *self,
             gboolean       ok,
             const char    *sentence)
{
  gtk_widget_remove_css_class (self->result_box, "ok-box");
  gtk_widget_remove_css_class (self->result_box, "warning-box");
  gtk_widget_add_css_class (self->result_box, ok ? "ok-box" : "warning-box");
  gtk_image_set_from_icon_name (self->result_image, ok ? "object-select-symbolic" : "dialog-warning-symbolic");
  gtk_label_set_label (self->result_label, sentence);
  gtk_widget_set_visible (self->open_button, ok);
  gtk_widget_set_visible (GTK_WIDGET (self->counts_label), FALSE);
  gtk_widget_set_visible (self->result_box, TRUE);
}

static void
fail (CmgExportPage  *self,
      CmgExportState  state,
      const char     *sentence)
{
  g_free (self->failure);
  self->failure = g_strdup (sentence);
  finish_current_step (self, state == CMG_EXPORT_STATE_CANCELLED ? "process-stop-symbolic" : "dialog-error-symbolic");
  show_result (self, FALSE, sentence);
  set_state (self, state);
  update_sensitivity (self);
}

static void
counted_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(CmgExportPage) self = user_data;
  CmgSnapshot *snapshot = CMG_SNAPSHOT (object);
  g_autoptr(GError) error = NULL;
  GListModel *tables;
  guint n_tables;
  gint64 documents = 0;
  guint files;
  g_autofree char *tables_text = NULL;
  g_autofree char *documents_text = NULL;
  g_autofree char *files_text = NULL;
  g_autofree char *text = NULL;

  if (!cmg_snapshot_count_finish (snapshot, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the reason follows */
      text = g_strdup_printf (_("The export could not be counted: %s"), error->message);
      gtk_label_set_label (self->counts_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->counts_label), TRUE);
      return;
    }

  tables = cmg_snapshot_get_tables (snapshot);
  n_tables = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n_tables; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      documents += MAX (cmg_table_get_documents (table), 0);
    }
  files = cmg_snapshot_get_storage_files (snapshot)->len;

  tables_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u table", "%u tables", n_tables), n_tables);
  documents_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GINT64_FORMAT " document",
                                                 "%'" G_GINT64_FORMAT " documents", documents), documents);
  files_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u stored file", "%u stored files", files), files);
  /* Translators: tables, documents and stored files of an export, e.g. "3 tables · 120 documents · 2 stored files" */
  text = g_strdup_printf (_("%s · %s · %s"), tables_text, documents_text, files_text);
  gtk_label_set_label (self->counts_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->counts_label), TRUE);
  self->counted = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_COUNTED]);
}

static void
snapshot_opened_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CmgExportPage *self = CMG_EXPORT_PAGE (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open_task_finish (result, &error);

  if (snapshot == NULL)
    {
      g_autofree char *text = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      /* Translators: the reason follows */
      text = g_strdup_printf (_("The export could not be read: %s"), error->message);
      gtk_label_set_label (self->counts_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->counts_label), TRUE);
      return;
    }

  g_set_object (&self->snapshot, snapshot);
  gtk_label_set_label (self->counts_label, _("Counting documents…"));
  gtk_widget_set_visible (GTK_WIDGET (self->counts_label), TRUE);
  cmg_snapshot_count_async (snapshot, self->cancellable, NULL, NULL, NULL, counted_cb, g_object_ref (self));
}

static void
succeed (CmgExportPage *self)
{
  g_autofree char *name = g_file_get_parse_name (self->target_file);
  g_autofree char *sentence = NULL;

  g_set_object (&self->result, self->target_file);
  finish_current_step (self, "object-select-symbolic");
  /* Translators: the exported file */
  sentence = g_strdup_printf (_("Exported to %s"), name);
  show_result (self, TRUE, sentence);
  set_state (self, CMG_EXPORT_STATE_SUCCEEDED);
  update_sensitivity (self);

  /* The file name is taken now; the next export gets a fresh default. */
  self->name_edited = FALSE;

  cmg_snapshot_open_task_run (self, self->result, self->cancellable, snapshot_opened_cb, NULL);
}

static void
run_finished_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(CmgExportPage) self = user_data;
  CmgCliRun *run = CMG_CLI_RUN (object);
  g_autoptr(GError) error = NULL;
  CmgRunOutcome outcome = cmg_cli_run_start_finish (run, result, &error);
  g_autofree char *sentence = NULL;

  if (run != self->run)
    return;

  if (error != NULL)
    {
      /* The runner's messages name the cause and the next step (install Node.js, npm install…). */
      fail (self, CMG_EXPORT_STATE_FAILED, error->message);
      return;
    }

  switch (outcome)
    {
    case CMG_RUN_OUTCOME_SUCCEEDED:
      if (g_file_query_exists (self->target_file, NULL))
        {
          succeed (self);
          return;
        }
      sentence = g_strdup (_("The Convex CLI finished but did not write the file. See the log below for what it said, then export again."));
      break;
    case CMG_RUN_OUTCOME_CANCELLED:
    case CMG_RUN_OUTCOME_CONTINUES_ON_SERVER:
      fail (self, CMG_EXPORT_STATE_CANCELLED,
            _("Export cancelled. The Convex CLI was stopped; a snapshot the server already started may still finish there, but nothing more is downloaded."));
      return;
    case CMG_RUN_OUTCOME_RUNNING:
    case CMG_RUN_OUTCOME_FAILED:
    case CMG_RUN_OUTCOME_INTERRUPTED:
    default:
      if (self->saw_busy)
        sentence = g_strdup (_("Only one export can run at a time on this deployment; wait for the other one to finish, then export again."));
      else if (self->saw_bad_key)
        sentence = g_strdup (_("The deployment rejected the key. Check the deploy key or admin key of this connection, or add the connection again with a new key."));
      else if (self->failure_text != NULL)
        /* Translators: what the CLI said when it failed */
        sentence = g_strdup_printf (_("The export failed: %s. The log below has everything the Convex CLI said."), self->failure_text);
      else
        /* Translators: the exit status of the CLI */
        sentence = g_strdup_printf (_("The Convex CLI stopped with exit status %d and said nothing more. See the log below, then export again."),
                                    cmg_cli_run_get_exit_status (run));
      break;
    }
  fail (self, CMG_EXPORT_STATE_FAILED, sentence);
}

gboolean
cmg_export_page_start (CmgExportPage *self)
{
  g_autoptr(CmgCliCommand) command = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), FALSE);

  if (self->state == CMG_EXPORT_STATE_RUNNING)
    return FALSE;
  /* Checked again now: the folder may have changed since the page last looked. */
  update_sensitivity (self);
  if (self->problem != NULL)
    return FALSE;

  g_clear_object (&self->target_file);
  g_clear_object (&self->result);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->failure_text, g_free);
  self->saw_busy = FALSE;
  self->saw_bad_key = FALSE;
  self->counted = FALSE;
  self->current_step = NULL;
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->steps_list));
       row != NULL;
       row = gtk_widget_get_first_child (GTK_WIDGET (self->steps_list)))
    gtk_list_box_remove (self->steps_list, row);
  gtk_widget_set_visible (self->result_box, FALSE);

  self->target_file = g_file_get_child (self->folder, gtk_editable_get_text (GTK_EDITABLE (self->name_entry)));
  path = g_file_get_path (self->target_file);
  command = cmg_cli_command_new_export (self->connection,
                                        cmg_project_get_path (self->project),
                                        path,
                                        gtk_check_button_get_active (self->storage_check));
  if (self->environ != NULL)
    cmg_cli_command_set_base_environ (command, (const char * const *) self->environ);
  if (self->program != NULL)
    cmg_cli_command_set_program (command, (const char * const *) self->program);

  drop_run (self);
  self->run = cmg_cli_run_new (command, FALSE);
  if (self->history != NULL)
    cmg_cli_run_set_history (self->run, self->history);
  g_signal_connect_object (self->run, "event", G_CALLBACK (event_cb), self, 0);

  cmg_log_view_clear (self->log_view);
  cmg_log_view_attach_run (self->log_view, self->run);

  set_state (self, CMG_EXPORT_STATE_RUNNING);
  update_sensitivity (self);
  self->current_step = add_step (self, _("Starting the Convex CLI"), NULL);

  /* No cancellable: Cancel signals the process group and the run still reads the CLI's last
   * words to the end. */
  cmg_cli_run_start_async (self->run, NULL, run_finished_cb, g_object_ref (self));
  return TRUE;
}

void
cmg_export_page_cancel (CmgExportPage *self)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));

  if (self->run != NULL && self->state == CMG_EXPORT_STATE_RUNNING)
    cmg_cli_run_cancel (self->run);
}

/* Actions */

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  cmg_export_page_start (CMG_EXPORT_PAGE (widget));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  cmg_export_page_cancel (CMG_EXPORT_PAGE (widget));
}

static void
open_archive_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CmgExportPage *self = CMG_EXPORT_PAGE (widget);

  if (self->result != NULL)
    g_signal_emit (self, signals[OPEN_ARCHIVE], 0, self->result);
}

static void
folder_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmgExportPage *self = CMG_EXPORT_PAGE (object);
  g_autoptr(GFile) folder = cmg_file_chooser_run_file_finish (GTK_WIDGET (self), result, NULL);

  if (folder != NULL)
    cmg_export_page_set_folder (self, folder);
}

static void
choose_folder_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CmgExportPage *self = CMG_EXPORT_PAGE (widget);

  cmg_file_chooser_run_async (widget, CMG_FILE_CHOOSER_SELECT_FOLDER, _("Choose the Export Folder"),
                              _("_Select"), NULL, NULL, self->folder, folder_chosen_cb, NULL);
}

/* Setup */

void
cmg_export_page_set_project (CmgExportPage *self,
                             CmgProject    *project)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));
  g_return_if_fail (project == NULL || CMG_IS_PROJECT (project));

  if (self->project == project)
    return;
  g_set_object (&self->project, project);
  read_version (self);
  update_sensitivity (self);
}

void
cmg_export_page_set_connection (CmgExportPage *self,
                                CmgConnection *connection)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));
  g_return_if_fail (connection == NULL || CMG_IS_CONNECTION (connection));

  g_set_object (&self->connection, connection);
  update_target (self);
  update_default_name (self);
  update_sensitivity (self);
}

void
cmg_export_page_set_history (CmgExportPage *self,
                             CmgRunHistory *history)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));
  g_set_object (&self->history, history);
}

void
cmg_export_page_set_environ (CmgExportPage      *self,
                             const char * const *environ)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));

  g_strfreev (self->environ);
  self->environ = g_strdupv ((char **) environ);
  read_version (self);
}

void
cmg_export_page_set_program (CmgExportPage      *self,
                             const char * const *program)
{
  g_return_if_fail (CMG_IS_EXPORT_PAGE (self));

  g_strfreev (self->program);
  self->program = g_strdupv ((char **) program);
}

CmgExportState
cmg_export_page_get_state (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), CMG_EXPORT_STATE_IDLE);
  return self->state;
}

const char *
cmg_export_page_get_failure (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);
  return self->failure;
}

GFile *
cmg_export_page_get_result (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);
  return self->result;
}

gboolean
cmg_export_page_get_counted (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), FALSE);
  return self->counted;
}

const char *
cmg_export_page_get_cli_version (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);
  return self->cli_version;
}

CmgLogView *
cmg_export_page_get_log_view (CmgExportPage *self)
{
  g_return_val_if_fail (CMG_IS_EXPORT_PAGE (self), NULL);
  return self->log_view;
}

static void
cmg_export_page_dispose (GObject *object)
{
  CmgExportPage *self = CMG_EXPORT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  /* A page going away while the CLI runs stops it rather than leaving it unwatched. */
  if (self->run != NULL && cmg_cli_run_get_running (self->run))
    cmg_cli_run_cancel (self->run);

  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_EXPORT_PAGE);

  g_clear_object (&self->cancellable);
  drop_run (self);
  g_clear_object (&self->project);
  g_clear_object (&self->connection);
  g_clear_object (&self->history);
  g_clear_object (&self->folder);
  g_clear_object (&self->target_file);
  g_clear_object (&self->result);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->environ, g_strfreev);
  g_clear_pointer (&self->program, g_strfreev);
  g_clear_pointer (&self->problem, g_free);
  g_clear_pointer (&self->failure, g_free);
  g_clear_pointer (&self->failure_text, g_free);
  g_clear_pointer (&self->cli_version, g_free);

  G_OBJECT_CLASS (cmg_export_page_parent_class)->dispose (object);
}

static void
cmg_export_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  CmgExportPage *self = CMG_EXPORT_PAGE (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_COUNTED:
      g_value_set_boolean (value, self->counted);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cmg_export_page_class_init (CmgExportPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_export_page_dispose;
  object_class->get_property = cmg_export_page_get_property;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, CMG_EXPORT_STATE_IDLE, CMG_EXPORT_STATE_CANCELLED,
                      CMG_EXPORT_STATE_IDLE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COUNTED] =
    g_param_spec_boolean ("counted", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[OPEN_ARCHIVE] =
    g_signal_new ("open-archive", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_FILE);

  g_type_ensure (CMG_TYPE_LOG_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/cmg-export-page.ui");
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, box);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, version_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, target_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, risk_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, folder_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, folder_button);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, name_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, storage_check);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, problem_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, export_button);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, result_box);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, result_image);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, result_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, counts_label);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, open_button);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, steps_list);
  gtk_widget_class_bind_template_child (widget_class, CmgExportPage, log_view);

  gtk_widget_class_install_action (widget_class, "export.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "export.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "export.open-archive", NULL, open_archive_action);
  gtk_widget_class_install_action (widget_class, "export.choose-folder", NULL, choose_folder_action);
}

static void
cmg_export_page_init (CmgExportPage *self)
{
  const char *downloads = g_get_user_special_dir (G_USER_DIRECTORY_DOWNLOAD);
  g_autoptr(GFile) folder = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->name_entry, "changed", G_CALLBACK (name_changed_cb), self, G_CONNECT_SWAPPED);

  folder = g_file_new_for_path (downloads && g_file_test (downloads, G_FILE_TEST_IS_DIR) ? downloads : g_get_home_dir ());
  update_target (self);
  update_default_name (self);
  cmg_export_page_set_folder (self, folder);
}

GtkWidget *
cmg_export_page_new (void)
{
  return g_object_new (CMG_TYPE_EXPORT_PAGE, NULL);
}
