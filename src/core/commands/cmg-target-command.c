/* cmg-target-command.c: `convex-migrate target [PROJECT_DIR] [--json]`. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-deployment.h"
#include "cmg-project.h"
#include "cmg-target-command.h"
#include "cmg-target-resolution.h"

#define EXIT_UNREADABLE 2

static void
print_row (const char *label,
           const char *value)
{
  /* Pad by characters, not bytes, so translated labels still line up. */
  glong width = g_utf8_strlen (label, -1);
  g_autofree char *padding = g_strnfill (width < 10 ? 10 - width : 1, ' ');

  g_print ("%s%s%s\n", label, padding, value);
}

static void
print_human (CmgTargetResolution *resolution)
{
  CmgDeployment *target = cmg_target_resolution_get_target (resolution);
  GPtrArray *conflicts = cmg_target_resolution_get_conflicts (resolution);

  print_row (_("Project:"), cmg_project_get_path (cmg_target_resolution_get_project (resolution)));

  if (target == NULL)
    print_row (_("Target:"), _("none"));
  else
    {
      g_autofree char *name = cmg_deployment_dup_display_name (target);
      g_autofree char *title = NULL;
      const CmgValueSource *source = cmg_deployment_get_source (target);
      const char *team = cmg_deployment_get_team (target);
      const char *project = cmg_deployment_get_project (target);

      title = g_strdup_printf ("%s (%s)", name,
                               cmg_deployment_type_get_label (cmg_deployment_get_deployment_type (target)));
      print_row (_("Target:"), title);

      if (team != NULL || project != NULL)
        {
          g_autofree char *team_project = g_strdup_printf ("%s / %s",
                                                           team != NULL ? team : "?",
                                                           project != NULL ? project : "?");
          print_row (_("Team:"), team_project);
        }

      if (cmg_deployment_get_url (target) != NULL)
        print_row (_("URL:"), cmg_deployment_get_url (target));

      if (source != NULL)
        {
          g_autofree char *where = cmg_value_source_describe (source);
          g_autofree char *line = g_strdup_printf ("%s (%s)", where,
                                                   cmg_target_via_to_string (cmg_deployment_get_via (target)));
          print_row (_("Source:"), line);
        }
    }

  if (conflicts->len == 0)
    return;

  g_print ("%s\n", _("Conflicts:"));
  for (guint i = 0; i < conflicts->len; i++)
    {
      const CmgConflict *conflict = g_ptr_array_index (conflicts, i);

      g_print ("  [%s] %s (%s)\n", cmg_conflict_severity_to_string (conflict->severity),
               conflict->message, conflict->code);
    }
}

int
cmg_target_command_main (int    argc,
                         char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(CmgProject) project = NULL;
  g_autoptr(CmgTargetResolution) resolution = NULL;
  g_auto(GStrv) args = NULL;
  g_auto(GStrv) environ = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the result as JSON"), NULL },
    { NULL }
  };
  const char *path = ".";

  context = g_option_context_new (_("[PROJECT_DIR] — show the deployment the Convex CLI would use"));
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  /* g_option_context_parse_strv wants an array it may rearrange. */
  args = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    args[i] = g_strdup (argv[i]);

  if (!g_option_context_parse_strv (context, &args, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_UNREADABLE;
    }

  if (g_strv_length (args) > 2)
    {
      g_printerr ("%s\n", _("Give at most one project folder."));
      return EXIT_UNREADABLE;
    }

  if (args[1] != NULL)
    path = args[1];

  dir = g_file_new_for_commandline_arg (path);
  project = cmg_project_open (dir, &error);
  if (project == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_UNREADABLE;
    }

  environ = g_get_environ ();
  resolution = cmg_target_resolve (project, (const char * const *)environ);

  if (json)
    {
      g_autofree char *text = cmg_target_resolution_to_json (resolution, TRUE);

      g_print ("%s\n", text);
    }
  else
    print_human (resolution);

  return 0;
}
