/* cmg-inspect-command.c: `convex-migrate inspect FILE [--json] [--check] [--table T [--rows A-B]]`.
 * stdout carries the report (or the documents with --rows); problems with the command itself go
 * to stderr. */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

#include "cmg-inspect-command.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-validation.h"

typedef struct
{
  gboolean json;
  gboolean check;
  char    *table;
  char    *rows;
  guint64  first_row;  /* 1-based, inclusive */
  guint64  last_row;
} Options;

static gboolean
parse_rows (const char *text,
            guint64    *first,
            guint64    *last)
{
  const char *dash = strchr (text, '-');
  g_autofree char *a = NULL;

  if (dash == NULL)
    {
      if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT64, first, NULL))
        return FALSE;
      *last = *first;
      return TRUE;
    }
  a = g_strndup (text, dash - text);
  return g_ascii_string_to_unsigned (a, 10, 1, G_MAXUINT64, first, NULL) &&
         g_ascii_string_to_unsigned (dash + 1, 10, 1, G_MAXUINT64, last, NULL) &&
         *first <= *last;
}

static CmgTable *
find_table (CmgSnapshot *snapshot,
            const char  *wanted)
{
  GListModel *tables = cmg_snapshot_get_tables (snapshot);

  /* "name" for the app's tables, "component:name" for a component's. */
  for (guint i = 0; i < g_list_model_get_n_items (tables); i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      g_autofree char *qualified = cmg_table_dup_qualified_name (table);

      if (strcmp (qualified, wanted) == 0)
        return g_steal_pointer (&table);
    }
  return NULL;
}

static gboolean
print_row (const char *line,
           gsize       length,
           gboolean    truncated,
           guint64     line_number,
           gpointer    user_data)
{
  guint64 *remaining = user_data;

  fwrite (line, 1, length, stdout);
  fputc ('\n', stdout);
  return --(*remaining) > 0;
}

static char *
finding_table_name (const CmgFinding *f)
{
  if (f->component[0] == '\0')
    return g_strdup (f->table);
  return g_strconcat (f->component, ":", f->table, NULL);
}

static gboolean
finding_wanted (const CmgFinding *f,
                CmgTable         *only)
{
  if (only == NULL)
    return TRUE;
  return strcmp (f->component, cmg_table_get_component (only)) == 0 &&
         strcmp (f->table, cmg_table_get_name (only)) == 0;
}

static void
print_json (CmgSnapshot   *snapshot,
            GPtrArray     *tables,
            CmgValidation *validation,
            CmgTable      *only)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_file_get_path (cmg_snapshot_get_file (snapshot));
  g_autofree char *text = NULL;
  GPtrArray *files = cmg_snapshot_get_storage_files (snapshot);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, path);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, cmg_snapshot_kind_to_string (cmg_snapshot_get_kind (snapshot)));
  json_builder_set_member_name (b, "tables");
  json_builder_begin_array (b);
  for (guint i = 0; i < tables->len; i++)
    {
      CmgTable *t = g_ptr_array_index (tables, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, cmg_table_get_name (t));
      json_builder_set_member_name (b, "component");
      json_builder_add_string_value (b, cmg_table_get_component (t));
      json_builder_set_member_name (b, "number");
      if (cmg_table_get_number (t) > 0)
        json_builder_add_int_value (b, cmg_table_get_number (t));
      else
        json_builder_add_null_value (b);
      json_builder_set_member_name (b, "documents");
      json_builder_add_int_value (b, cmg_table_get_documents (t));
      json_builder_set_member_name (b, "bytes");
      json_builder_add_int_value (b, (gint64) cmg_table_get_bytes (t));
      json_builder_set_member_name (b, "compressed_bytes");
      json_builder_add_int_value (b, (gint64) cmg_table_get_compressed_bytes (t));
      json_builder_set_member_name (b, "schema");
      json_builder_add_string_value (b, cmg_table_schema_to_string (cmg_table_get_schema (t)));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "storage");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "files");
  json_builder_add_int_value (b, files ? files->len : 0);
  json_builder_set_member_name (b, "bytes");
  json_builder_add_int_value (b, (gint64) cmg_snapshot_get_storage_bytes (snapshot));
  json_builder_end_object (b);
  if (validation)
    {
      GPtrArray *findings = cmg_validation_get_findings (validation);

      json_builder_set_member_name (b, "findings");
      json_builder_begin_array (b);
      for (guint i = 0; i < findings->len; i++)
        {
          const CmgFinding *f = g_ptr_array_index (findings, i);
          g_autofree char *table = finding_table_name (f);

          if (!finding_wanted (f, only))
            continue;
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "table");
          json_builder_add_string_value (b, table);
          json_builder_set_member_name (b, "line");
          json_builder_add_int_value (b, (gint64) f->line);
          json_builder_set_member_name (b, "severity");
          json_builder_add_string_value (b, cmg_finding_severity_to_string (f->severity));
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, f->code);
          json_builder_set_member_name (b, "message");
          json_builder_add_string_value (b, f->message);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  g_print ("%s\n", text);
}

static void
print_human (CmgSnapshot   *snapshot,
             GPtrArray     *tables,
             CmgValidation *validation,
             CmgTable      *only)
{
  g_autofree char *path = g_file_get_path (cmg_snapshot_get_file (snapshot));
  GPtrArray *files = cmg_snapshot_get_storage_files (snapshot);
  int name_width = strlen (_("Table"));

  for (guint i = 0; i < tables->len; i++)
    {
      g_autofree char *q = cmg_table_dup_qualified_name (g_ptr_array_index (tables, i));
      name_width = MAX (name_width, (int) g_utf8_strlen (q, -1));
    }

  g_print ("%s %s (%s)\n\n", _("File:"), path,
           cmg_snapshot_kind_to_string (cmg_snapshot_get_kind (snapshot)));
  g_print ("%-*s  %8s  %12s  %10s  %10s  %s\n", name_width, _("Table"), _("Number"),
           _("Documents"), _("Size"), _("Compressed"), _("Schema"));
  for (guint i = 0; i < tables->len; i++)
    {
      CmgTable *t = g_ptr_array_index (tables, i);
      g_autofree char *q = cmg_table_dup_qualified_name (t);
      g_autofree char *size = g_format_size (cmg_table_get_bytes (t));
      g_autofree char *csize = g_format_size (cmg_table_get_compressed_bytes (t));
      g_autofree char *number = cmg_table_get_number (t) ? g_strdup_printf ("%u", cmg_table_get_number (t))
                                                         : g_strdup ("–");

      /* Pad by characters, not bytes, so names with accents line up. */
      g_print ("%s%*s  %8s  %12" G_GINT64_FORMAT "  %10s  %10s  %s\n", q,
               name_width - (int) g_utf8_strlen (q, -1), "", number, cmg_table_get_documents (t),
               size, csize, cmg_table_schema_to_string (cmg_table_get_schema (t)));
    }
  if (files && files->len > 0)
    {
      g_autofree char *size = g_format_size (cmg_snapshot_get_storage_bytes (snapshot));
      g_print ("\n%s %u (%s)\n", _("Stored files:"), files->len, size);
    }

  if (validation)
    {
      GPtrArray *findings = cmg_validation_get_findings (validation);
      guint64 errors = cmg_validation_get_severity_count (validation, CMG_FINDING_ERROR);
      guint64 warnings = cmg_validation_get_severity_count (validation, CMG_FINDING_WARNING);
      guint shown = 0;

      g_print ("\n");
      for (guint i = 0; i < findings->len; i++)
        {
          const CmgFinding *f = g_ptr_array_index (findings, i);
          g_autofree char *table = finding_table_name (f);

          if (!finding_wanted (f, only))
            continue;
          shown++;
          if (f->line > 0)
            g_print ("%-7s %s:%" G_GUINT64_FORMAT ": %s (%s)\n", cmg_finding_severity_to_string (f->severity),
                     table[0] ? table : _("archive"), f->line, f->message, f->code);
          else
            g_print ("%-7s %s: %s (%s)\n", cmg_finding_severity_to_string (f->severity),
                     table[0] ? table : _("archive"), f->message, f->code);
        }
      if (shown == 0)
        g_print ("%s\n", _("No problems found."));
      else
        g_print ("\n%s, %s\n",
                 g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " error", "%" G_GUINT64_FORMAT " errors", errors),
                 g_dngettext (GETTEXT_PACKAGE, "%" G_GUINT64_FORMAT " warning", "%" G_GUINT64_FORMAT " warnings", warnings));
    }
}

static int
run (const char *path,
     Options    *opts)
{
  g_autoptr(GFile) file = g_file_new_for_commandline_arg (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(CmgTable) only = NULL;
  g_autoptr(CmgValidation) validation = NULL;
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *model;

  snapshot = cmg_snapshot_open (file, &error);
  if (snapshot == NULL)
    {
      g_printerr ("%s: %s\n", path, error->message);
      return 2;
    }

  if (opts->table)
    {
      only = find_table (snapshot, opts->table);
      if (only == NULL)
        {
          g_printerr (_("%s: there is no table “%s” (use component:name for a component’s table)\n"),
                      path, opts->table);
          return 2;
        }
    }

  if (opts->rows)
    {
      guint64 remaining = opts->last_row - opts->first_row + 1;

      if (!cmg_snapshot_read_table_rows (snapshot, only, opts->first_row - 1, print_row, &remaining,
                                         NULL, &error))
        {
          g_printerr ("%s: %s\n", path, error->message);
          return 2;
        }
      return 0;
    }

  model = cmg_snapshot_get_tables (snapshot);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(CmgTable) t = g_list_model_get_item (model, i);

      if (only == NULL || t == only)
        g_ptr_array_add (tables, g_steal_pointer (&t));
    }
  for (guint i = 0; i < tables->len; i++)
    if (cmg_snapshot_count_table (snapshot, g_ptr_array_index (tables, i), NULL, NULL, &error) < 0)
      {
        g_printerr ("%s: %s\n", path, error->message);
        return 2;
      }

  if (opts->check)
    {
      validation = cmg_validation_check_snapshot (snapshot, NULL, NULL, &error);
      if (validation == NULL)
        {
          g_printerr ("%s: %s\n", path, error->message);
          return 2;
        }
    }

  if (opts->json)
    print_json (snapshot, tables, validation, only);
  else
    print_human (snapshot, tables, validation, only);

  if (validation)
    {
      GPtrArray *findings = cmg_validation_get_findings (validation);

      /* With --table, only that table's errors (and the archive's own) decide. */
      for (guint i = 0; i < findings->len; i++)
        {
          const CmgFinding *f = g_ptr_array_index (findings, i);
          if (f->severity == CMG_FINDING_ERROR && (finding_wanted (f, only) || f->table[0] == '\0'))
            return 1;
        }
      if (only == NULL && cmg_validation_get_severity_count (validation, CMG_FINDING_ERROR) > 0)
        return 1;
    }
  return 0;
}

int
cmg_inspect_command_main (int argc, char **argv)
{
  Options opts = { 0 };
  g_auto(GStrv) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOptionContext) context = NULL;
  int status;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &opts.json, N_("Print a JSON report"), NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &opts.check, N_("Check every document and file; exit 1 on errors"), NULL },
    { "table", 0, 0, G_OPTION_ARG_STRING, &opts.table, N_("Only this table (component:name for a component’s)"), N_("TABLE") },
    { "rows", 0, 0, G_OPTION_ARG_STRING, &opts.rows, N_("Print rows A to B (from 1) of --table as JSON lines"), N_("A-B") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE") },
    { NULL }
  };

  context = g_option_context_new (_("FILE — show the tables of a Convex export and check it"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_help_enabled (context, TRUE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      status = 2;
      goto out;
    }
  if (files == NULL || files[0] == NULL || files[1] != NULL)
    {
      g_printerr ("%s\n", _("Give exactly one file: convex-migrate inspect FILE [--json] [--check] [--table T [--rows A-B]]"));
      status = 2;
      goto out;
    }
  if (opts.rows && (opts.table == NULL || !parse_rows (opts.rows, &opts.first_row, &opts.last_row)))
    {
      g_printerr ("%s\n", _("--rows needs --table and a range such as 1-20 (rows count from 1)"));
      status = 2;
      goto out;
    }

  status = run (files[0], &opts);

out:
  g_free (opts.table);
  g_free (opts.rows);
  return status;
}
