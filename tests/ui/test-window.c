/* test-window.c: the main window driven through its API and actions: opening projects (dev,
 * production, conflicting, not Convex, vanished), the switcher, adding a connection, reloading,
 * remembering, window state. */
#include "config.h"

#include <string.h>

#include "cmg-add-connection-dialog.h"
#include "cmg-connection-switcher.h"
#include "cmg-deployment-banner.h"
#include "cmg-target-details-window.h"
#include "cmg-target-view.h"
#include "cmg-ui-test-utils.h"
#include "cmg-window.h"

#define DEV_ENV \
  "# Deployment used by `npx convex dev`\n" \
  "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: acme, project: chat-app\n" \
  "\n" \
  "VITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n"

#define PROD_ENV \
  "CONVEX_DEPLOYMENT=prod:quiet-otter-42 # team: acme, project: chat-app\n" \
  "VITE_CONVEX_URL=https://quiet-otter-42.convex.cloud\n"

#define CONFLICT_ENV \
  "# Deployment used by `npx convex dev`\n" \
  "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: acme, project: chat-app\n" \
  "CONVEX_DEPLOY_KEY=prod:quiet-otter-42|01a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6\n" \
  "\n" \
  "VITE_CONVEX_URL=https://happy-animal-123.convex.cloud\n"

static GSettings *settings;
static CmgApplication *app;

static void
reset_settings (void)
{
  g_settings_reset (settings, "recent-projects");
  g_settings_reset (settings, "last-connections");
  g_settings_reset (settings, "window-width");
  g_settings_reset (settings, "window-height");
  g_settings_reset (settings, "window-maximized");
}

static gboolean
settled (gpointer data)
{
  CmgWindow *window = data;
  CmgConnectionCheck *check = cmg_deployment_banner_get_check (cmg_window_get_banner (window));

  GtkWidget *stack = cmg_test_find_widget (GTK_WIDGET (window), "stack");
  GtkWidget *pages = cmg_test_find_widget (GTK_WIDGET (window), "pages");

  return !cmg_window_get_loading (window) &&
         cmg_connection_check_get_state (check) != CMG_CHECK_STATE_CHECKING &&
         !gtk_stack_get_transition_running (GTK_STACK (stack)) &&
         !gtk_stack_get_transition_running (GTK_STACK (pages));
}

static void
wait_settled (CmgWindow *window)
{
  g_assert_true (cmg_test_spin_until (settled, window, 10000));
  cmg_test_spin (150);
}

static CmgWindow *
new_window (void)
{
  CmgWindow *window = cmg_window_new (app);

  cmg_test_show_window (GTK_WINDOW (window));
  return window;
}

static void
open_path (CmgWindow  *window,
           const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  cmg_window_open (window, file);
  g_assert_true (cmg_window_get_loading (window));
  wait_settled (window);
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (item, type))
        return GTK_WIDGET (item);
    }
  return NULL;
}

static void
snapshot_window (CmgWindow  *window,
                 const char *name)
{
  const char *screenshot_dir = g_getenv ("CMG_SCREENSHOT_DIR");

  cmg_test_save_snapshot (GTK_WIDGET (window), name);
  if (screenshot_dir != NULL && *screenshot_dir != '\0')
    {
      g_autofree char *file_name = g_strconcat (name, ".png", NULL);
      g_autofree char *path = cmg_test_save_png (GTK_WIDGET (window), screenshot_dir, file_name);

      g_test_message ("screenshot: %s", path);
    }
}

static const char *
banner_text (CmgWindow  *window,
             const char *id)
{
  return cmg_test_label_text (GTK_WIDGET (cmg_window_get_banner (window)), id);
}

static guint
n_connections (CmgWindow *window)
{
  return g_list_model_get_n_items (cmg_connection_switcher_get_connections (cmg_window_get_switcher (window)));
}

static CmgConnection *
connection_at (CmgWindow *window,
               guint      position)
{
  GListModel *model = cmg_connection_switcher_get_connections (cmg_window_get_switcher (window));
  CmgConnection *connection = g_list_model_get_item (model, position);

  /* The store keeps its own reference. */
  g_object_unref (connection);
  return connection;
}

static char *
remembered_connection (const char *path)
{
  g_autoptr(GVariant) value = g_settings_get_value (settings, "last-connections");
  char *id = NULL;

  g_variant_lookup (value, path, "s", &id);
  return id;
}

static void
test_window_welcome (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *missing = g_build_filename (dir, "gone-away", NULL);
  const char *recent[] = { dir, missing, NULL };
  GtkWidget *recent_box, *list, *row, *remove;
  g_auto(GStrv) after = NULL;

  reset_settings ();
  g_settings_set_strv (settings, "recent-projects", recent);

  window = new_window ();
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "welcome");
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cmg_window_get_banner (window))));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cmg_window_get_switcher (window))));
  /* Nothing to reload yet. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL);
  g_assert_false (cmg_window_get_loading (window));

  recent_box = cmg_test_find_widget (GTK_WIDGET (window), "recent_box");
  list = cmg_test_find_widget (GTK_WIDGET (window), "recent_list");
  g_assert_true (gtk_widget_get_visible (recent_box));
  g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));

  /* The existing folder opens; the vanished one says so and can be removed. */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_assert_true (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
  g_assert_false (gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)));
  {
    g_autofree char *expected = g_strdup_printf ("gone-away, folder not found: %s", missing);
    g_autofree char *mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                                    GTK_ACCESSIBLE_PROPERTY_LABEL,
                                                                    expected);
    g_assert_null (mismatch);
  }
  cmg_test_save_snapshot (GTK_WIDGET (window), "window-welcome");

  remove = gtk_widget_get_last_child (gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row)));
  g_assert_true (GTK_IS_BUTTON (remove));
  g_signal_emit_by_name (remove, "clicked");
  after = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpuint (g_strv_length (after), ==, 1);
  g_assert_cmpstr (after[0], ==, dir);
  g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));

  /* Activating a recent project opens it. */
  row = GTK_WIDGET (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0));
  g_signal_emit_by_name (list, "row-activated", row);
  g_assert_true (cmg_window_get_loading (window));
  wait_settled (window);
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");
  g_assert_cmpstr (cmg_project_get_path (cmg_window_get_project (window)), ==, dir);

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static gboolean
widget_mapped (gpointer widget)
{
  return gtk_widget_get_mapped (widget);
}

static void
test_window_dev (void)
{
  CmgWindow *window;
  CmgDeploymentBanner *banner;
  CmgConnectionSwitcher *switcher;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *remembered = NULL;
  g_auto(GStrv) recent = NULL;
  CmgTargetView *view;

  reset_settings ();
  window = new_window ();
  open_path (window, dir);

  g_assert_null (cmg_window_get_error (window));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "chat-app — Convex Migrate");

  banner = cmg_window_get_banner (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (banner)));
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "happy-animal-123");
  g_assert_cmpstr (banner_text (window, "type_label"), ==, "Development");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (banner), "risk-low"));

  /* The switcher lists the project's target and its production deployment, target chosen. */
  switcher = cmg_window_get_switcher (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (switcher)));
  g_assert_cmpuint (n_connections (window), ==, 2);
  g_assert_cmpint (cmg_connection_get_kind (connection_at (window, 0)), ==, CMG_CONNECTION_KIND_PROJECT_TARGET);
  g_assert_cmpint (cmg_connection_get_kind (connection_at (window, 1)), ==, CMG_CONNECTION_KIND_PROJECT_PROD);
  g_assert_true (cmg_connection_switcher_get_connection (switcher) == connection_at (window, 0));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (switcher), "title_label"), ==,
                   cmg_connection_get_title (connection_at (window, 0)));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (switcher), "type_label"), ==, "Development");

  /* The project page: ready, with the variables the CLI reads. */
  g_assert_null (cmg_project_page_get_problem (cmg_window_get_project_page (window)));
  view = CMG_TARGET_VIEW (cmg_test_find_widget (GTK_WIDGET (window), "target_view"));
  g_assert_cmpuint (cmg_target_view_get_n_variables (view), >=, 1);
  g_assert_cmpuint (cmg_target_view_get_n_conflicts (view), ==, 0);
  g_assert_true (g_str_has_prefix (cmg_test_label_text (GTK_WIDGET (window), "check_label"),
                                   "Offline or not reachable"));

  recent = g_settings_get_strv (settings, "recent-projects");
  g_assert_cmpstr (recent[0], ==, dir);
  remembered = remembered_connection (dir);
  g_assert_cmpstr (remembered, ==, "target");

  snapshot_window (window, "window-dev");

  /* The switcher's popover: one row per connection, each named for screen readers. */
  {
    GtkWidget *button = cmg_test_find_widget (GTK_WIDGET (switcher), "menu_button");
    GtkWidget *popover = cmg_test_find_widget (GTK_WIDGET (switcher), "popover");
    GtkWidget *list = cmg_test_find_widget (GTK_WIDGET (switcher), "list_box");
    GtkListBoxRow *row;
    g_autofree char *expected = NULL;
    g_autofree char *mismatch = NULL;

    gtk_menu_button_popup (GTK_MENU_BUTTON (button));
    g_assert_true (cmg_test_spin_until (widget_mapped, popover, 3000));
    cmg_test_spin (200);
    row = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);
    expected = g_strdup_printf ("%s: Development · happy-animal-123",
                                cmg_connection_get_title (connection_at (window, 0)));
    mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
    g_assert_null (mismatch);
    g_assert_nonnull (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
    g_assert_null (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 2));
    cmg_test_save_snapshot (popover, "switcher-popover");

    /* Choosing the production row switches the banner. */
    g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1));
    g_assert_true (cmg_connection_switcher_get_connection (switcher) == connection_at (window, 1));
    g_clear_pointer (&mismatch, g_free);
    mismatch = gtk_test_accessible_check_state (GTK_ACCESSIBLE (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 1)),
                                                GTK_ACCESSIBLE_STATE_SELECTED, TRUE);
    g_assert_null (mismatch);
    mismatch = gtk_test_accessible_check_state (GTK_ACCESSIBLE (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0)),
                                                GTK_ACCESSIBLE_STATE_SELECTED, FALSE);
    g_assert_null (mismatch);
    g_assert_cmpstr (banner_text (window, "type_label"), ==, "PRODUCTION");
    g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (banner), "risk-high"));
  }

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_prod (void)
{
  CmgWindow *window;
  CmgDeploymentBanner *banner;
  g_autofree char *dir = cmg_test_make_project (PROD_ENV, TRUE);

  reset_settings ();
  window = new_window ();
  open_path (window, dir);

  banner = cmg_window_get_banner (window);
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "quiet-otter-42");
  g_assert_cmpstr (banner_text (window, "type_label"), ==, "PRODUCTION");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (banner), "risk-high"));
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (banner), "risk-low"));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (cmg_window_get_switcher (window)), "type_label"), ==,
                   "PRODUCTION");

  snapshot_window (window, "window-prod");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_conflict (void)
{
  CmgWindow *window;
  CmgDeploymentBanner *banner;
  CmgTargetView *view;
  g_autofree char *dir = cmg_test_make_project (CONFLICT_ENV, TRUE);
  GtkWidget *details;

  reset_settings ();
  window = new_window ();
  open_path (window, dir);

  banner = cmg_window_get_banner (window);
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (banner), "conflict"));
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "quiet-otter-42");
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (banner), "conflict_box")));
  g_assert_true (g_str_has_prefix (cmg_deployment_banner_get_summary (banner), "Warning: "));
  /* The key's secret never reaches the window. */
  g_assert_null (strstr (banner_text (window, "reach_label"), "01a2b3c4d5e6"));

  view = CMG_TARGET_VIEW (cmg_test_find_widget (GTK_WIDGET (window), "target_view"));
  g_assert_cmpuint (cmg_target_view_get_n_conflicts (view), >=, 1);
  /* CONVEX_DEPLOYMENT and CONVEX_DEPLOY_KEY both appear, one overridden. */
  g_assert_cmpuint (cmg_target_view_get_n_variables (view), >=, 2);

  snapshot_window (window, "window-conflict");

  /* The banner's details: a modal window with the same variables and conflicts. */
  g_signal_emit_by_name (banner, "clicked");
  details = find_toplevel (CMG_TYPE_TARGET_DETAILS_WINDOW);
  g_assert_nonnull (details);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (details)));
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (details)) == GTK_WINDOW (window));
  cmg_test_show_window (GTK_WINDOW (details));
  view = CMG_TARGET_VIEW (cmg_test_find_widget (details, "target_view"));
  g_assert_cmpuint (cmg_target_view_get_n_conflicts (view), >=, 1);
  g_assert_cmpstr (cmg_test_label_text (details, "name_label"), ==, "quiet-otter-42");
  cmg_test_save_snapshot (details, "target-details-conflict");
  /* "Check Again" asks the backend again, for the same connection as the banner. */
  g_signal_emit_by_name (cmg_test_find_widget (details, "check_button"), "clicked");
  g_assert_cmpint (cmg_connection_check_get_state (cmg_deployment_banner_get_check (banner)), ==,
                   CMG_CHECK_STATE_CHECKING);
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (details, "check_spinner")));
  wait_settled (window);
  g_assert_cmpint (cmg_connection_check_get_state (cmg_deployment_banner_get_check (banner)), ==,
                   CMG_CHECK_STATE_UNREACHABLE);
  cmg_test_destroy_window (GTK_WINDOW (details));

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_not_convex (void)
{
  CmgWindow *window;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("cmg-ui-test-XXXXXX", &error);
  const char *problem;

  g_assert_no_error (error);
  cmg_test_write_file (dir, "package.json", "{ \"name\": \"website\", \"dependencies\": { \"react\": \"18\" } }\n");

  reset_settings ();
  window = new_window ();
  open_path (window, dir);

  /* Opens, and says what is wrong in the status box. */
  g_assert_null (cmg_window_get_error (window));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");
  problem = cmg_project_page_get_problem (cmg_window_get_project_page (window));
  g_assert_nonnull (problem);
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (window), "status_label"), ==, problem);
  g_assert_true (gtk_widget_has_css_class (cmg_test_find_widget (GTK_WIDGET (window), "status_box"),
                                           "warning-box"));
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "No deployment");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_tree (dir);
}

static void
test_window_needs_npm_install (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, FALSE);
  const char *problem;

  reset_settings ();
  window = new_window ();
  open_path (window, dir);

  problem = cmg_project_page_get_problem (cmg_window_get_project_page (window));
  g_assert_nonnull (problem);
  g_assert_nonnull (strstr (problem, "npm install"));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (window), "status_label"), ==, problem);
  /* The target is still shown: the problem stops the CLI, not the resolution. */
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "happy-animal-123");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_vanished (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *gone = g_build_filename (dir, "no-such-folder", NULL);
  const char *message;

  reset_settings ();
  window = new_window ();
  open_path (window, dir);

  open_path (window, gone);
  message = cmg_window_get_error (window);
  g_assert_nonnull (message);
  g_assert_nonnull (strstr (message, "no-such-folder"));
  g_assert_true (gtk_widget_get_visible (cmg_test_find_widget (GTK_WIDGET (window), "error_label")));
  /* The previous project stays. */
  g_assert_cmpstr (cmg_project_get_path (cmg_window_get_project (window)), ==, dir);
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "happy-animal-123");
  cmg_test_save_snapshot (GTK_WIDGET (window), "window-error");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.dismiss-error", NULL));
  g_assert_null (cmg_window_get_error (window));

  /* Still working: the project itself disappears and reloading says so. */
  cmg_test_remove_project (dir);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_settled (window);
  g_assert_nonnull (cmg_window_get_error (window));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");

  cmg_test_destroy_window (GTK_WINDOW (window));
}

static void
test_window_add_connection (void)
{
  CmgWindow *window;
  CmgConnectionSwitcher *switcher;
  GtkWidget *dialog, *add_button, *error_box, *key_entry;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *remembered = NULL;
  gpointer dialog_pointer;
  CmgConnection *added;

  reset_settings ();
  window = new_window ();
  open_path (window, dir);
  switcher = cmg_window_get_switcher (window);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (switcher), "switcher.add-connection", NULL));
  dialog = find_toplevel (CMG_TYPE_ADD_CONNECTION_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_modal (GTK_WINDOW (dialog)));
  cmg_test_show_window (GTK_WINDOW (dialog));

  add_button = cmg_test_find_widget (dialog, "add_button");
  error_box = cmg_test_find_widget (dialog, "error_box");
  key_entry = cmg_test_find_widget (dialog, "key_entry");
  g_assert_false (gtk_widget_get_sensitive (add_button));

  /* A self-hosted backend needs both its URL and its admin key. */
  gtk_drop_down_set_selected (GTK_DROP_DOWN (cmg_test_find_widget (dialog, "kind_dropdown")), 2);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cmg_test_find_widget (dialog, "fields_stack"))),
                   ==, "self-hosted");
  gtk_editable_set_text (GTK_EDITABLE (cmg_test_find_widget (dialog, "url_entry")), "http://127.0.0.1:3210");
  g_assert_false (gtk_widget_get_sensitive (add_button));
  gtk_editable_set_text (GTK_EDITABLE (cmg_test_find_widget (dialog, "admin_key_entry")), "admin-secret");
  g_assert_true (gtk_widget_get_sensitive (add_button));

  gtk_drop_down_set_selected (GTK_DROP_DOWN (cmg_test_find_widget (dialog, "kind_dropdown")), 1);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (cmg_test_find_widget (dialog, "fields_stack"))),
                   ==, "deploy-key");
  g_assert_false (gtk_widget_get_sensitive (add_button));
  g_assert_true (GTK_IS_PASSWORD_ENTRY (key_entry));

  /* Blank is not filled. */
  gtk_editable_set_text (GTK_EDITABLE (key_entry), "   ");
  g_assert_false (gtk_widget_get_sensitive (add_button));

  /* A malformed key: the constructor's message, inline, and the dialog stays. */
  gtk_editable_set_text (GTK_EDITABLE (key_entry), "this is not a key");
  g_assert_true (gtk_widget_get_sensitive (add_button));
  g_signal_emit_by_name (add_button, "clicked");
  g_assert_true (gtk_widget_get_visible (error_box));
  g_assert_cmpstr (cmg_test_label_text (dialog, "error_label"), !=, "");
  g_assert_true (find_toplevel (CMG_TYPE_ADD_CONNECTION_DIALOG) == dialog);
  g_assert_cmpuint (n_connections (window), ==, 2);
  cmg_test_spin (100);
  cmg_test_save_snapshot (dialog, "add-connection-error");

  /* Editing hides the stale error. */
  gtk_editable_set_text (GTK_EDITABLE (key_entry), "prod:other-cat-789|0123456789abcdef0123");
  g_assert_false (gtk_widget_get_visible (error_box));

  dialog_pointer = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &dialog_pointer);
  g_signal_emit_by_name (add_button, "clicked");
  g_assert_null (dialog_pointer);

  /* Added, selected, and the banner follows. */
  g_assert_cmpuint (n_connections (window), ==, 3);
  added = connection_at (window, 2);
  g_assert_cmpint (cmg_connection_get_kind (added), ==, CMG_CONNECTION_KIND_DEPLOY_KEY);
  g_assert_true (cmg_connection_switcher_get_connection (switcher) == added);
  wait_settled (window);
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "other-cat-789");
  g_assert_cmpstr (banner_text (window, "type_label"), ==, "PRODUCTION");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (cmg_window_get_banner (window)), "risk-high"));

  /* Remembered by id, which holds no secret. */
  remembered = remembered_connection (dir);
  g_assert_cmpstr (remembered, ==, cmg_connection_get_id (added));
  g_assert_null (strstr (remembered, "0123456789abcdef"));

  cmg_test_save_snapshot (GTK_WIDGET (window), "window-added-connection");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_reload_and_remember (void)
{
  CmgWindow *window;
  CmgConnectionSwitcher *switcher;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *remembered = NULL;

  reset_settings ();
  window = new_window ();
  open_path (window, dir);
  switcher = cmg_window_get_switcher (window);

  g_assert_true (cmg_connection_switcher_select_id (switcher, "prod"));
  g_assert_cmpint (cmg_connection_get_kind (cmg_connection_switcher_get_connection (switcher)), ==,
                   CMG_CONNECTION_KIND_PROJECT_PROD);
  g_assert_cmpstr (banner_text (window, "type_label"), ==, "PRODUCTION");
  remembered = remembered_connection (dir);
  g_assert_cmpstr (remembered, ==, "prod");

  /* The env file changes; F5 re-reads it and keeps the chosen connection. */
  cmg_test_write_file (dir, ".env.local", "CONVEX_DEPLOYMENT=dev:brave-heron-77\n");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.reload", NULL));
  wait_settled (window);
  g_assert_cmpstr (cmg_connection_get_id (cmg_connection_switcher_get_connection (switcher)), ==, "prod");
  g_assert_true (cmg_connection_switcher_select_id (switcher, "target"));
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "brave-heron-77");
  g_assert_true (cmg_connection_switcher_select_id (switcher, "prod"));
  g_assert_false (cmg_connection_switcher_select_id (switcher, "deploy-key:prod:nobody"));

  cmg_test_destroy_window (GTK_WINDOW (window));

  /* A new window on the same folder comes back to the remembered connection. */
  window = new_window ();
  open_path (window, dir);
  g_assert_cmpstr (cmg_connection_get_id (cmg_connection_switcher_get_connection (cmg_window_get_switcher (window))),
                   ==, "prod");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_state (void)
{
  CmgWindow *window;
  int width, height;

  reset_settings ();
  g_settings_set_int (settings, "window-width", 900);
  g_settings_set_int (settings, "window-height", 640);

  window = cmg_window_new (app);
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 900);
  g_assert_cmpint (height, ==, 640);
  cmg_test_show_window (GTK_WINDOW (window));

  gtk_window_set_default_size (GTK_WINDOW (window), 1000, 700);
  cmg_test_spin (200);
  g_object_ref (window);
  gtk_window_close (GTK_WINDOW (window));
  cmg_test_spin (100);
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, 1000);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, 700);
  g_assert_false (g_settings_get_boolean (settings, "window-maximized"));
  g_assert_finalize_object (window);
}

static gboolean archive_opened (gpointer data);

static void
test_window_drop (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (PROD_ENV, TRUE);
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *zip_a = cmg_test_make_export_zip (parent, "dropped-a.zip");
  g_autofree char *zip_b = cmg_test_make_export_zip (parent, "dropped-b.zip");
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  g_autoptr(GFile) archive_a = g_file_new_for_path (zip_a);
  g_autoptr(GFile) archive_b = g_file_new_for_path (zip_b);
  g_autoptr(GListModel) controllers = NULL;
  GtkDropTarget *target = NULL;
  GValue value = G_VALUE_INIT;
  GSList *files = NULL;
  gboolean accepted = FALSE;

  reset_settings ();
  window = new_window ();

  controllers = gtk_widget_observe_controllers (GTK_WIDGET (window));
  for (guint i = 0; i < g_list_model_get_n_items (controllers) && target == NULL; i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_DROP_TARGET (controller))
        target = GTK_DROP_TARGET (controller);
    }
  g_assert_nonnull (target);
  g_assert_true (g_type_is_a (GDK_TYPE_FILE_LIST, gdk_content_formats_get_gtypes (gtk_drop_target_get_formats (target), NULL)[0]));

  /* What GTK hands the drop target when a folder is dropped from a file manager. */
  files = g_slist_append (files, file);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_slist_free (files);

  g_assert_true (accepted);
  g_assert_true (cmg_window_get_loading (window));
  wait_settled (window);
  g_assert_cmpstr (cmg_project_get_path (cmg_window_get_project (window)), ==, dir);
  g_assert_cmpstr (banner_text (window, "name_label"), ==, "quiet-otter-42");

  /* Two archives dropped together: both open, each in its own tab, the project stays. */
  files = g_slist_append (NULL, archive_a);
  files = g_slist_append (files, archive_b);
  g_value_init (&value, GDK_TYPE_FILE_LIST);
  g_value_take_boxed (&value, gdk_file_list_new_from_list (files));
  accepted = FALSE;
  g_signal_emit_by_name (target, "drop", &value, 10.0, 10.0, &accepted);
  g_value_unset (&value);
  g_slist_free (files);
  g_assert_true (accepted);
  g_assert_true (cmg_test_spin_until (archive_opened, cmg_window_get_archive_browser (window), 10000));
  g_assert_cmpuint (cmg_archive_browser_get_n_archives (cmg_window_get_archive_browser (window)), ==, 2);
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "archives");
  g_assert_cmpstr (cmg_project_get_path (cmg_window_get_project (window)), ==, dir);

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_window_recent_menu (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  GtkWidget *menu_button;
  GMenuModel *menu, *section, *submenu;
  g_autofree char *target = NULL;

  reset_settings ();
  window = new_window ();
  menu_button = cmg_test_find_widget (GTK_WIDGET (window), "main_menu_button");
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  g_assert_nonnull (menu);
  section = g_menu_model_get_item_link (menu, 1, G_MENU_LINK_SECTION);
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 0);

  open_path (window, dir);
  /* Opening adds a "Recent Projects" submenu whose item opens the folder again. */
  g_assert_cmpint (g_menu_model_get_n_items (section), ==, 1);
  submenu = g_menu_model_get_item_link (section, 0, G_MENU_LINK_SUBMENU);
  g_assert_nonnull (submenu);
  g_assert_cmpint (g_menu_model_get_n_items (submenu), ==, 1);
  g_assert_true (g_menu_model_get_item_attribute (submenu, 0, G_MENU_ATTRIBUTE_TARGET, "s", &target));
  g_assert_cmpstr (target, ==, dir);
  g_object_unref (submenu);
  g_object_unref (section);

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static gboolean
has_toplevel_of_type (gpointer type)
{
  return find_toplevel (GPOINTER_TO_SIZE (type)) != NULL;
}

static void
test_app_open (void)
{
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autoptr(GFile) file = g_file_new_for_path (dir);
  GFile *files[] = { file };
  GtkWidget *window;

  reset_settings ();
  /* `convex-migrate PROJECT_DIR`: a window opens on the folder. */
  g_application_open (G_APPLICATION (app), files, 1, "");
  window = find_toplevel (CMG_TYPE_WINDOW);
  g_assert_nonnull (window);
  g_assert_true (gtk_window_get_application (GTK_WINDOW (window)) == GTK_APPLICATION (app));
  wait_settled (CMG_WINDOW (window));
  g_assert_cmpstr (cmg_project_get_path (cmg_window_get_project (CMG_WINDOW (window))), ==, dir);

  /* The app's own actions. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "shortcuts", NULL);
  g_assert_true (cmg_test_spin_until (has_toplevel_of_type, GSIZE_TO_POINTER (GTK_TYPE_SHORTCUTS_WINDOW), 2000));
  gtk_window_destroy (GTK_WINDOW (find_toplevel (GTK_TYPE_SHORTCUTS_WINDOW)));
  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  g_assert_true (cmg_test_spin_until (has_toplevel_of_type, GSIZE_TO_POINTER (GTK_TYPE_ABOUT_DIALOG), 2000));
  gtk_window_destroy (GTK_WINDOW (find_toplevel (GTK_TYPE_ABOUT_DIALOG)));

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static gboolean
archive_opened (gpointer data)
{
  CmgArchiveBrowser *browser = data;

  return cmg_archive_browser_get_n_archives (browser) > 0 &&
         cmg_archive_browser_get_n_opening (browser) == 0;
}

static void
test_window_pages (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  GtkWidget *sidebar;

  reset_settings ();
  window = new_window ();

  /* Without a project, only the pages that need none can be shown. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "export"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "welcome");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "activity"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "activity");

  open_path (window, dir);
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");
  sidebar = cmg_test_find_widget (GTK_WIDGET (window), "sidebar");
  g_assert_true (gtk_widget_get_mapped (sidebar));

  /* Alt+1…4 are these actions. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "export"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "export");
  /* The export page follows the window's connection. */
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (cmg_window_get_export_page (window)), "target_label"), ==,
                   "happy-animal-123");
  g_assert_true (cmg_connection_switcher_select_id (cmg_window_get_switcher (window), "prod"));
  g_assert_cmpstr (cmg_test_label_text (GTK_WIDGET (cmg_window_get_export_page (window)), "risk_label"), ==,
                   "PRODUCTION");
  g_assert_true (cmg_connection_switcher_select_id (cmg_window_get_switcher (window), "target"));
  wait_settled (window);
  snapshot_window (window, "window-export");

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "archives"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "archives");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "activity"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "activity");
  wait_settled (window);
  snapshot_window (window, "window-activity");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "project"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "no-such-page"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "project");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

static void
test_app_open_archive (void)
{
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *zip = cmg_test_make_export_zip (parent, "backup.zip");
  g_autoptr(GFile) project = g_file_new_for_path (dir);
  g_autoptr(GFile) archive = g_file_new_for_path (zip);
  GFile *both[] = { project, archive };
  GFile *only[] = { archive };
  CmgWindow *window;

  reset_settings ();
  /* `convex-migrate PROJECT_DIR ARCHIVE`: one window, the project open, the archive shown. */
  g_application_open (G_APPLICATION (app), both, 2, "");
  window = CMG_WINDOW (find_toplevel (CMG_TYPE_WINDOW));
  g_assert_nonnull (window);
  g_assert_true (cmg_test_spin_until (archive_opened, cmg_window_get_archive_browser (window), 10000));
  wait_settled (window);
  g_assert_cmpstr (cmg_project_get_path (cmg_window_get_project (window)), ==, dir);
  /* Loading the project afterwards does not take the archive off the screen... */
  g_assert_cmpuint (cmg_archive_browser_get_n_archives (cmg_window_get_archive_browser (window)), ==, 1);
  cmg_test_destroy_window (GTK_WINDOW (window));

  /* `convex-migrate ARCHIVE`: no project needed. */
  g_application_open (G_APPLICATION (app), only, 1, "");
  window = CMG_WINDOW (find_toplevel (CMG_TYPE_WINDOW));
  g_assert_nonnull (window);
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "archives");
  g_assert_true (cmg_test_spin_until (archive_opened, cmg_window_get_archive_browser (window), 10000));
  g_assert_null (cmg_window_get_project (window));
  g_assert_false (gtk_widget_get_visible (GTK_WIDGET (cmg_window_get_banner (window))));
  wait_settled (window);
  snapshot_window (window, "window-archive");
  cmg_test_destroy_window (GTK_WINDOW (window));

  cmg_test_remove_project (dir);
}

/* The log views inside the assistant have a next_button of their own: look for the action. */
static GtkWidget *
find_button_for_action (GtkWidget  *root,
                        const char *action)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button_for_action (child, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
source_blocked (gpointer data)
{
  GtkWidget *next = find_button_for_action (GTK_WIDGET (data), "assistant.next");
  GtkWidget *hint = cmg_test_find_widget (GTK_WIDGET (data), "blocker_label");

  return !gtk_widget_get_sensitive (next) &&
         strstr (gtk_label_get_text (GTK_LABEL (hint)), "would make the import fail") != NULL;
}

/* The Import page follows the window: an archive from the Archives page becomes the assistant's
 * source, and a new connection means a new plan for that target, keeping the source. */
static void
test_window_import (void)
{
  CmgWindow *window;
  g_autofree char *dir = cmg_test_make_project (DEV_ENV, TRUE);
  g_autofree char *parent = g_path_get_dirname (dir);
  g_autofree char *zip = cmg_test_make_export_zip (parent, "restore-me.zip");
  g_autoptr(GFile) archive = g_file_new_for_path (zip);
  CmgImportAssistant *assistant;
  CmgImportPlan *plan;

  reset_settings ();
  window = new_window ();
  assistant = cmg_window_get_import_assistant (window);

  /* No project: nothing to import into, and the page is not offered. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "import"));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "welcome");

  open_path (window, dir);
  cmg_window_open_archive (window, archive);
  g_assert_true (cmg_test_spin_until (archive_opened, cmg_window_get_archive_browser (window), 10000));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.import-archive", NULL));
  g_assert_cmpstr (cmg_window_get_page_name (window), ==, "import");
  plan = cmg_import_assistant_get_plan (assistant);
  g_assert_nonnull (plan);
  g_assert_true (g_file_equal (cmg_import_plan_get_source (plan), archive));
  g_assert_true (cmg_import_plan_get_connection (plan) ==
                 cmg_connection_switcher_get_connection (cmg_window_get_switcher (window)));
  g_assert_false (cmg_import_plan_get_requires_typed_name (plan));
  /* This archive's documents have malformed Ids: the Source page says so and keeps Next. */
  g_assert_true (cmg_test_spin_until (source_blocked, assistant, 10000));

  /* Production: a new plan (its own typed confirmation), the same archive. */
  g_assert_true (cmg_connection_switcher_select_id (cmg_window_get_switcher (window), "prod"));
  plan = cmg_import_assistant_get_plan (assistant);
  g_assert_nonnull (plan);
  g_assert_true (g_file_equal (cmg_import_plan_get_source (plan), archive));
  g_assert_true (cmg_import_plan_get_connection (plan) ==
                 cmg_connection_switcher_get_connection (cmg_window_get_switcher (window)));
  g_assert_true (cmg_import_plan_get_requires_typed_name (plan));
  wait_settled (window);
  snapshot_window (window, "window-import");

  cmg_test_destroy_window (GTK_WINDOW (window));
  cmg_test_remove_project (dir);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_autoptr(GError) error = NULL;

  cmg_test_ui_init (&argc, &argv);
  settings = g_settings_new (APPLICATION_ID);

  /* A registered (never run) application: its actions work, as in the real window. */
  app = cmg_application_new ();
  g_application_set_flags (G_APPLICATION (app),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/window/welcome", test_window_welcome);
  g_test_add_func ("/window/dev", test_window_dev);
  g_test_add_func ("/window/prod", test_window_prod);
  g_test_add_func ("/window/conflict", test_window_conflict);
  g_test_add_func ("/window/not-convex", test_window_not_convex);
  g_test_add_func ("/window/needs-npm-install", test_window_needs_npm_install);
  g_test_add_func ("/window/vanished", test_window_vanished);
  g_test_add_func ("/window/add-connection", test_window_add_connection);
  g_test_add_func ("/window/reload-and-remember", test_window_reload_and_remember);
  g_test_add_func ("/window/state", test_window_state);
  g_test_add_func ("/window/drop", test_window_drop);
  g_test_add_func ("/window/recent-menu", test_window_recent_menu);
  g_test_add_func ("/window/pages", test_window_pages);
  g_test_add_func ("/app/open", test_app_open);
  g_test_add_func ("/app/open-archive", test_app_open_archive);
  g_test_add_func ("/window/import", test_window_import);

  status = g_test_run ();
  g_object_unref (app);
  g_object_unref (settings);
  return status;
}
