/* cmg-archive-view.c: see cmg-archive-view.h. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cmg-archive-view.h"
#include "cmg-document-format.h"
#include "cmg-table-search.h"

typedef struct
{
  char  *table;   /* qualified name */
  gint64 row;
} Location;

static void
location_free (Location *location)
{
  g_free (location->table);
  g_free (location);
}

struct _CmgArchiveView
{
  GtkWidget           parent_instance;

  CmgSnapshot        *snapshot;
  CmgValidation      *validation;
  GCancellable       *cancellable;
  GCancellable       *follow_cancellable;
  GtkSingleSelection *table_selection;
  GHashTable         *problem_tables;   /* qualified names */
  GPtrArray          *problem_icons;    /* GtkImage* of bound table rows */
  GPtrArray          *back;             /* Location* */
  GPtrArray          *forward;
  gboolean            counting;
  int                 n_facts;          /* rows of facts_grid */
  char               *check_summary;

  GtkStack           *view_stack;
  GtkLabel           *name_label;
  GtkLabel           *path_label;
  GtkGrid            *facts_grid;
  GtkLabel           *documents_value;
  GtkProgressBar     *count_progress;
  GtkProgressBar     *check_progress;
  GtkLabel           *check_label;
  GtkListView        *table_list;
  CmgTableView       *table_view;
  CmgStorageView     *storage_view;
  CmgCheckReport     *check_report;
};

G_DEFINE_FINAL_TYPE (CmgArchiveView, cmg_archive_view, GTK_TYPE_WIDGET)

static void start_checks (CmgArchiveView *self);
static void cancel_follow (CmgArchiveView *self);

/* Summary. */

static GtkLabel *
add_fact (CmgArchiveView *self,
          const char     *label,
          const char     *value)
{
  int row = self->n_facts++;
  GtkWidget *key, *val;

  key = gtk_label_new (label);
  gtk_label_set_xalign (GTK_LABEL (key), 1.0);
  gtk_label_set_yalign (GTK_LABEL (key), 0.0);
  gtk_widget_add_css_class (key, "dim-label");
  val = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (val), 0.0);
  gtk_label_set_wrap (GTK_LABEL (val), TRUE);
  gtk_label_set_selectable (GTK_LABEL (val), TRUE);
  gtk_widget_set_hexpand (val, TRUE);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (val), GTK_ACCESSIBLE_RELATION_LABELLED_BY, key, NULL, -1);
  gtk_grid_attach (self->facts_grid, key, 0, row, 1, 1);
  gtk_grid_attach (self->facts_grid, val, 1, row, 1, 1);
  return GTK_LABEL (val);
}

static const char *
kind_description (CmgSnapshotKind kind)
{
  switch (kind)
    {
    case CMG_SNAPSHOT_KIND_ZIP:
      return _("Convex export (ZIP)");
    case CMG_SNAPSHOT_KIND_JSONL:
      return _("One table as JSON Lines");
    case CMG_SNAPSHOT_KIND_JSON:
      return _("One table as a JSON array");
    case CMG_SNAPSHOT_KIND_CSV:
    default:
      return _("One table as CSV");
    }
}

static void
update_documents_fact (CmgArchiveView *self)
{
  GListModel *tables = cmg_snapshot_get_tables (self->snapshot);
  guint n = g_list_model_get_n_items (tables);
  gint64 total = 0;
  guint counted = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      gint64 documents = cmg_table_get_documents (table);

      if (documents >= 0)
        {
          total += documents;
          counted++;
        }
    }
  if (counted == n)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GINT64_FORMAT " document",
                                         "%'" G_GINT64_FORMAT " documents", total), total);
  else
    /* Translators: "12,345 documents so far (3 of 8 tables counted)" */
    text = g_strdup_printf (_("%'" G_GINT64_FORMAT " so far (%u of %u tables counted)"),
                            total, counted, n);
  gtk_label_set_text (self->documents_value, text);
}

static void
fill_summary (CmgArchiveView *self)
{
  GFile *file = cmg_snapshot_get_file (self->snapshot);
  g_autofree char *basename = g_file_get_basename (file);
  g_autofree char *path = g_file_get_path (file);
  g_autofree char *deployment = NULL;
  g_autoptr(GDateTime) time = NULL;
  GListModel *tables = cmg_snapshot_get_tables (self->snapshot);
  guint n = g_list_model_get_n_items (tables);
  g_autoptr(GHashTable) components = g_hash_table_new (g_str_hash, g_str_equal);
  guint app_tables = 0;
  guint64 bytes = 0, compressed = 0;
  guint schemas[4] = { 0 };
  GPtrArray *storage = cmg_snapshot_get_storage_files (self->snapshot);
  g_autofree char *text = NULL;
  GtkWidget *box;

  gtk_label_set_text (self->name_label, basename);
  gtk_label_set_text (self->path_label, path ? path : "");
  add_fact (self, _("Kind"), kind_description (cmg_snapshot_get_kind (self->snapshot)));

  if (cmg_format_parse_export_name (basename, &deployment, &time))
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (time);
      g_autofree char *when = g_date_time_format (local, "%Y-%m-%d %H:%M:%S");

      add_fact (self, _("Deployment"), deployment);
      add_fact (self, _("Exported"), when);
    }

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      const char *component = cmg_table_get_component (table);

      if (component[0] == '\0')
        app_tables++;
      else
        g_hash_table_add (components, (gpointer) component);
      bytes += cmg_table_get_bytes (table);
      compressed += cmg_table_get_compressed_bytes (table);
      schemas[MIN ((guint) cmg_table_get_schema (table), 3u)]++;
    }
  if (g_hash_table_size (components) == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u table", "%u tables", n), n);
  else
    {
      g_autofree char *app = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u table of the app",
                                                           "%u tables of the app", app_tables), app_tables);
      g_autofree char *comp = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u in %u component",
                                                            "%u in %u components",
                                                            g_hash_table_size (components)),
                                               n - app_tables, g_hash_table_size (components));
      text = g_strdup_printf ("%s, %s", app, comp);
    }
  add_fact (self, _("Tables"), text);
  g_clear_pointer (&text, g_free);

  self->documents_value = add_fact (self, _("Documents"), "");
  box = gtk_widget_get_parent (GTK_WIDGET (self->documents_value));
  self->count_progress = GTK_PROGRESS_BAR (gtk_progress_bar_new ());
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->count_progress),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Progress of the counting"), -1);
  gtk_widget_set_valign (GTK_WIDGET (self->count_progress), GTK_ALIGN_CENTER);
  gtk_grid_attach (GTK_GRID (box), GTK_WIDGET (self->count_progress), 1, self->n_facts++, 1, 1);
  update_documents_fact (self);

  {
    g_autofree char *b = g_format_size (bytes);
    g_autofree char *c = g_format_size (compressed);

    text = g_strdup_printf (_("%s of documents, %s compressed"), b, c);
    add_fact (self, _("Size"), text);
    g_clear_pointer (&text, g_free);
  }

  if (storage->len == 0)
    add_fact (self, _("File storage"), _("Not included"));
  else
    {
      g_autofree char *size = g_format_size (cmg_snapshot_get_storage_bytes (self->snapshot));

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u file, %s", "%u files, %s", storage->len),
                              storage->len, size);
      add_fact (self, _("File storage"), text);
      g_clear_pointer (&text, g_free);
    }

  {
    g_autoptr(GString) schema = g_string_new (NULL);
    const char *names[] = { N_("not read yet"), N_("uniform"), N_("legacy"), N_("missing") };

    for (guint i = 0; i < G_N_ELEMENTS (schemas); i++)
      if (schemas[i] > 0)
        {
          if (schema->len > 0)
            g_string_append (schema, ", ");
          if (schemas[i] == n)
            g_string_append (schema, _(names[i]));
          else
            g_string_append_printf (schema, "%s (%u)", _(names[i]), schemas[i]);
        }
    if (schemas[CMG_TABLE_SCHEMA_MISSING] > 0)
      g_string_append (schema, _(" — without a schema file the import turns every number into a float"));
    add_fact (self, _("Schema"), n > 0 ? schema->str : _("no tables"));
  }
}

/* The plain-words summary of the findings. */

static char *
qualified_table (const char *component,
                 const char *table)
{
  if (component != NULL && component[0] != '\0')
    return g_strdup_printf ("%s:%s", component, table);
  return g_strdup (table);
}

static char *
finding_sentence (const CmgFinding *finding,
                  const char       *table,
                  guint             count,
                  gboolean          more)
{
  const char *code = finding->code;
  const char *at_least = more ? _("at least ") : "";

  if (g_strcmp0 (code, "dangling-reference") == 0 && finding->target_table != NULL)
    {
      g_autofree char *target = qualified_table (finding->target_component, finding->target_table);

      /* Translators: "3 documents in “messages” refer to “users” documents that are not in this archive" */
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s%u document in “%s” refers to “%s” documents that are not in this archive",
                                           "%s%u documents in “%s” refer to “%s” documents that are not in this archive",
                                           count), at_least, count, table, target);
    }
  if (g_strcmp0 (code, "dangling-reference") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%s%u document in “%s” refers to documents that are not in this archive",
                                         "%s%u documents in “%s” refer to documents that are not in this archive",
                                         count), at_least, count, table);
  if (g_strcmp0 (code, "duplicate-id") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s%u document in “%s” repeats an _id",
                                         "%s%u documents in “%s” repeat an _id", count),
                            at_least, count, table);
  if (g_strcmp0 (code, "invalid-json") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s%u line of “%s” is not valid JSON",
                                         "%s%u lines of “%s” are not valid JSON", count),
                            at_least, count, table);
  if (g_strcmp0 (code, "missing-id") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s%u document in “%s” has no _id",
                                         "%s%u documents in “%s” have no _id", count),
                            at_least, count, table);
  if (g_strcmp0 (code, "id-table-mismatch") == 0)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s%u document in “%s” has the _id of another table",
                                         "%s%u documents in “%s” have the _id of another table", count),
                            at_least, count, table);
  if (count > 1)
    return g_strdup_printf (_("%s: %s (and %u more like it)"), table, finding->message, count - 1);
  return g_strdup_printf ("%s: %s", table, finding->message);
}

/* Findings that make one sentence: same table, same code, and for references the same target. */
static char *
finding_group_key (const CmgFinding *f)
{
  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%s\x1f%s", f->component ? f->component : "",
                          f->table ? f->table : "", f->code, f->target_component ? f->target_component : "",
                          f->target_table ? f->target_table : "\x1e");
}

static char *
build_check_summary (CmgValidation *validation)
{
  GPtrArray *findings = cmg_validation_get_findings (validation);
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GHashTable) counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) firsts = g_ptr_array_new ();

  /* Sentences in the order their first finding comes, even when a table's findings of one
   * kind are interleaved with others. */
  for (guint i = 0; i < findings->len; i++)
    {
      CmgFinding *f = g_ptr_array_index (findings, i);
      char *key;
      guint count;

      if (f->severity == CMG_FINDING_INFO && g_strcmp0 (f->code, "id-check-limited") != 0)
        continue;
      key = finding_group_key (f);
      count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
      if (count == 0)
        g_ptr_array_add (firsts, f);
      g_hash_table_replace (counts, key, GUINT_TO_POINTER (count + 1));
    }
  for (guint i = 0; i < firsts->len; i++)
    {
      CmgFinding *first = g_ptr_array_index (firsts, i);
      g_autofree char *key = finding_group_key (first);
      guint count = GPOINTER_TO_UINT (g_hash_table_lookup (counts, key));
      g_autofree char *table = NULL;
      g_autofree char *sentence = NULL;

      if (first->table == NULL || first->table[0] == '\0')
        table = g_strdup (_("The archive"));
      else
        table = qualified_table (first->component, first->table);
      sentence = finding_sentence (first, table, count, count >= CMG_VALIDATION_KEPT_FINDINGS);
      g_string_append_printf (out, "%s %s.\n", first->severity == CMG_FINDING_ERROR ? "✗" : "⚠",
                              sentence);
    }
  if (out->len == 0)
    return g_strdup (_("✓ No problems found: this archive should import as it is."));
  g_string_truncate (out, out->len - 1);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
refresh_problem_icons (CmgArchiveView *self)
{
  for (guint i = 0; i < self->problem_icons->len; i++)
    {
      GtkWidget *icon = g_ptr_array_index (self->problem_icons, i);
      const char *name = g_object_get_data (G_OBJECT (icon), "cmg-table");

      gtk_widget_set_visible (icon, name != NULL && g_hash_table_contains (self->problem_tables, name));
    }
}

static void
checks_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  CmgArchiveView *self = user_data;
  double fraction = total > 0 ? (double) done / total : 0.0;

  gtk_progress_bar_set_fraction (self->check_progress, fraction);
  cmg_check_report_set_progress (self->check_report, fraction);
}

static void
checks_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CmgArchiveView) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgValidation) validation = cmg_validation_run_finish (result, &error);
  GPtrArray *findings;

  if (validation == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_widget_set_visible (GTK_WIDGET (self->check_progress), FALSE);
      gtk_label_set_text (self->check_label, error->message);
      cmg_check_report_set_failure (self->check_report, error->message);
      return;
    }

  g_set_object (&self->validation, validation);
  findings = cmg_validation_get_findings (validation);
  for (guint i = 0; i < findings->len; i++)
    {
      CmgFinding *f = g_ptr_array_index (findings, i);

      if (f->severity == CMG_FINDING_INFO || f->table == NULL || f->table[0] == '\0')
        continue;
      if (f->component != NULL && f->component[0] != '\0')
        g_hash_table_add (self->problem_tables, g_strdup_printf ("%s:%s", f->component, f->table));
      else
        g_hash_table_add (self->problem_tables, g_strdup (f->table));
    }
  refresh_problem_icons (self);

  g_free (self->check_summary);
  self->check_summary = build_check_summary (validation);
  gtk_widget_set_visible (GTK_WIDGET (self->check_progress), FALSE);
  gtk_label_set_text (self->check_label, self->check_summary);
  cmg_check_report_set_validation (self->check_report, validation);
}

static void
start_checks (CmgArchiveView *self)
{
  gtk_label_set_text (self->check_label, _("Checking every document…"));
  cmg_validation_run_async (self->snapshot, self->cancellable, checks_progress_cb, self,
                            checks_done_cb, g_object_ref (self));
}

/* Counting. */

static void
count_progress_cb (guint64  done,
                   guint64  total,
                   gpointer user_data)
{
  CmgArchiveView *self = user_data;

  gtk_progress_bar_set_fraction (self->count_progress, total > 0 ? (double) done / total : 0.0);
  update_documents_fact (self);
}

static void
count_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(CmgArchiveView) self = user_data;
  g_autoptr(GError) error = NULL;

  self->counting = FALSE;
  if (!cmg_snapshot_count_finish (CMG_SNAPSHOT (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      gtk_label_set_text (self->documents_value, error->message);
    }
  else
    update_documents_fact (self);
  gtk_widget_set_visible (GTK_WIDGET (self->count_progress), FALSE);
  /* The checks read everything again; after the counts, so the first pass gets the disk. */
  start_checks (self);
}

/* Table list. */

static GListModel *
create_children (gpointer item,
                 gpointer user_data)
{
  CmgArchiveView *self = user_data;
  GListModel *tables;
  GListStore *store;
  g_autoptr(GHashTable) seen = NULL;
  const char *component;
  gsize prefix;
  guint n;

  if (!GTK_IS_STRING_OBJECT (item))
    return NULL;
  component = gtk_string_object_get_string (item);
  prefix = strlen (component);
  tables = cmg_snapshot_get_tables (self->snapshot);
  n = g_list_model_get_n_items (tables);
  store = g_list_store_new (G_TYPE_OBJECT);
  seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      if (g_strcmp0 (cmg_table_get_component (table), component) == 0)
        g_list_store_append (store, table);
    }
  /* Nested components after the tables. */
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);
      const char *c = cmg_table_get_component (table);
      const char *rest;
      const char *slash;
      g_autofree char *child = NULL;

      if (prefix > 0 && (strncmp (c, component, prefix) != 0 || c[prefix] != '/'))
        continue;
      if (prefix == 0 && c[0] == '\0')
        continue;
      rest = prefix > 0 ? c + prefix + 1 : c;
      if (prefix > 0 && rest[-1] != '/')
        continue;
      slash = strchr (rest, '/');
      child = slash ? g_strndup (c, slash - c) : g_strdup (c);
      if (g_strcmp0 (child, component) == 0 || g_hash_table_contains (seen, child))
        continue;
      g_hash_table_add (seen, g_strdup (child));
      {
        g_autoptr(GtkStringObject) object = gtk_string_object_new (child);

        g_list_store_append (store, object);
      }
    }
  return G_LIST_MODEL (store);
}

static void
table_row_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 CmgArchiveView           *self)
{
  GtkWidget *expander = gtk_tree_expander_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *details = gtk_label_new (NULL);
  GtkWidget *problem = gtk_image_new_from_icon_name ("dialog-warning-symbolic");

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (details), 0);
  gtk_widget_add_css_class (details, "dim-label");
  gtk_widget_add_css_class (details, "caption");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_box_append (GTK_BOX (labels), name);
  gtk_box_append (GTK_BOX (labels), details);
  gtk_widget_add_css_class (problem, "warning");
  gtk_widget_set_tooltip_text (problem, _("The checks found problems in this table"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (problem), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Has problems"), -1);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_box_append (GTK_BOX (box), problem);
  gtk_tree_expander_set_child (GTK_TREE_EXPANDER (expander), box);
  gtk_list_item_set_child (item, expander);

  g_object_set_data (G_OBJECT (item), "cmg-icon", icon);
  g_object_set_data (G_OBJECT (item), "cmg-name", name);
  g_object_set_data (G_OBJECT (item), "cmg-details", details);
  g_object_set_data (G_OBJECT (item), "cmg-problem", problem);
}

static void
update_table_details (GtkLabel *details,
                      GParamSpec *pspec,
                      CmgTable *table)
{
  gint64 documents = cmg_table_get_documents (table);
  g_autofree char *size = g_format_size (cmg_table_get_bytes (table));
  g_autofree char *text = NULL;

  if (documents < 0)
    text = g_strdup_printf (_("counting… · %s"), size);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GINT64_FORMAT " document · %s",
                                         "%'" G_GINT64_FORMAT " documents · %s", documents),
                            documents, size);
  gtk_label_set_text (details, text);
}

static void
on_table_documents (CmgTable   *table,
                    GParamSpec *pspec,
                    GtkLabel   *details)
{
  update_table_details (details, pspec, table);
}

static void
table_row_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                CmgArchiveView           *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  GObject *object = gtk_tree_list_row_get_item (row);
  GtkWidget *expander = gtk_list_item_get_child (item);
  GtkImage *icon = g_object_get_data (G_OBJECT (item), "cmg-icon");
  GtkLabel *name = g_object_get_data (G_OBJECT (item), "cmg-name");
  GtkLabel *details = g_object_get_data (G_OBJECT (item), "cmg-details");
  GtkWidget *problem = g_object_get_data (G_OBJECT (item), "cmg-problem");

  gtk_tree_expander_set_list_row (GTK_TREE_EXPANDER (expander), row);
  if (CMG_IS_TABLE (object))
    {
      CmgTable *table = CMG_TABLE (object);
      g_autofree char *qualified = cmg_table_dup_qualified_name (table);

      gtk_image_set_from_icon_name (icon, "x-office-spreadsheet-symbolic");
      gtk_label_set_text (name, cmg_table_get_name (table));
      gtk_widget_set_visible (GTK_WIDGET (details), TRUE);
      update_table_details (details, NULL, table);
      g_signal_connect_object (table, "notify::documents", G_CALLBACK (on_table_documents), details, 0);
      g_object_set_data_full (G_OBJECT (problem), "cmg-table", g_steal_pointer (&qualified), g_free);
      g_ptr_array_add (self->problem_icons, problem);
      gtk_widget_set_visible (problem, g_hash_table_contains (self->problem_tables,
                                                              g_object_get_data (G_OBJECT (problem), "cmg-table")));
    }
  else
    {
      const char *component = gtk_string_object_get_string (GTK_STRING_OBJECT (object));
      const char *slash = strrchr (component, '/');
      g_autofree char *label = g_strdup_printf (_("%s (component)"), slash ? slash + 1 : component);

      gtk_image_set_from_icon_name (icon, "application-x-addon-symbolic");
      gtk_label_set_text (name, label);
      gtk_widget_set_visible (GTK_WIDGET (details), FALSE);
      gtk_widget_set_visible (problem, FALSE);
    }
  g_object_unref (object);
}

static void
table_row_unbind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  CmgArchiveView           *self)
{
  GtkTreeListRow *row = gtk_list_item_get_item (item);
  g_autoptr(GObject) object = gtk_tree_list_row_get_item (row);
  GtkLabel *details = g_object_get_data (G_OBJECT (item), "cmg-details");
  GtkWidget *problem = g_object_get_data (G_OBJECT (item), "cmg-problem");

  if (CMG_IS_TABLE (object))
    g_signal_handlers_disconnect_by_func (object, on_table_documents, details);
  g_ptr_array_remove (self->problem_icons, problem);
  g_object_set_data (G_OBJECT (problem), "cmg-table", NULL);
}

static CmgTable *
selected_table (CmgArchiveView *self)
{
  GtkTreeListRow *row = gtk_single_selection_get_selected_item (self->table_selection);
  g_autoptr(GObject) object = row ? gtk_tree_list_row_get_item (row) : NULL;

  return CMG_IS_TABLE (object) ? CMG_TABLE (object) : NULL;
}

static void
table_selection_changed_cb (CmgArchiveView *self)
{
  CmgTable *table = selected_table (self);

  /* A table picked in the list while a follow searches wins over the follow. */
  if (table != NULL && table != cmg_table_view_get_table (self->table_view))
    cancel_follow (self);
  if (table != NULL)
    cmg_table_view_set_table (self->table_view, self->snapshot, table);
}

static gboolean
select_table (CmgArchiveView *self,
              const char     *qualified_name)
{
  GListModel *model = G_LIST_MODEL (self->table_selection);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GtkTreeListRow) row = g_list_model_get_item (model, i);
      g_autoptr(GObject) object = gtk_tree_list_row_get_item (row);

      if (CMG_IS_TABLE (object))
        {
          g_autofree char *name = cmg_table_dup_qualified_name (CMG_TABLE (object));

          if (g_strcmp0 (name, qualified_name) == 0)
            {
              gtk_single_selection_set_selected (self->table_selection, i);
              gtk_widget_activate_action (GTK_WIDGET (self->table_list), "list.scroll-to-item", "u", i);
              gtk_stack_set_visible_child_name (self->view_stack, "tables");
              return TRUE;
            }
        }
    }
  return FALSE;
}

/* History and navigation. */

static Location *
current_location (CmgArchiveView *self)
{
  CmgTable *table = cmg_table_view_get_table (self->table_view);
  Location *location;

  if (table == NULL)
    return NULL;
  location = g_new0 (Location, 1);
  location->table = cmg_table_dup_qualified_name (table);
  location->row = cmg_table_view_get_selected_row (self->table_view);
  return location;
}

static void
update_history_actions (CmgArchiveView *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "archive.back", self->back->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "archive.forward", self->forward->len > 0);
}

static void
go_to (CmgArchiveView *self,
       const char     *qualified_name,
       gint64          row,
       gboolean        record)
{
  cancel_follow (self);
  if (record)
    {
      Location *here = current_location (self);

      if (here != NULL)
        g_ptr_array_add (self->back, here);
      g_ptr_array_set_size (self->forward, 0);
      update_history_actions (self);
    }
  if (!select_table (self, qualified_name))
    return;
  gtk_stack_set_visible_child_name (self->view_stack, "tables");
  if (row >= 0)
    cmg_table_view_select_row (self->table_view, (guint64) row);
}

static void
step_history (CmgArchiveView *self,
              GPtrArray      *from,
              GPtrArray      *to)
{
  Location *target;
  Location *here;

  if (from->len == 0)
    return;
  target = g_ptr_array_steal_index (from, from->len - 1);
  here = current_location (self);
  if (here != NULL)
    g_ptr_array_add (to, here);
  go_to (self, target->table, target->row, FALSE);
  location_free (target);
  update_history_actions (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  step_history (self, self->back, self->forward);
}

static void
forward_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  step_history (self, self->forward, self->back);
}

static CmgTable *
table_by_number (CmgArchiveView *self,
                 const char     *component,
                 guint32         number)
{
  GListModel *tables = cmg_snapshot_get_tables (self->snapshot);
  guint n = g_list_model_get_n_items (tables);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      if (cmg_table_get_number (table) == number
          && g_strcmp0 (cmg_table_get_component (table), component) == 0)
        return table;  /* the snapshot keeps it */
    }
  return NULL;
}

typedef struct
{
  CmgArchiveView *self;
  CmgTable       *table;
  char           *id;
  GCancellable   *cancellable;
  gint64          row;
} Follow;

static void
follow_free (Follow *follow)
{
  g_object_unref (follow->self);
  g_object_unref (follow->table);
  g_object_unref (follow->cancellable);
  g_free (follow->id);
  g_free (follow);
}

static void
follow_match_cb (guint64     row,
                 const char *line,
                 gsize       length,
                 gpointer    user_data)
{
  Follow *follow = user_data;

  follow->row = (gint64) row;
}

static void
follow_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Follow *follow = user_data;
  CmgArchiveView *self = follow->self;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  gboolean ok = cmg_table_search_finish (CMG_SNAPSHOT (source), result, &n, &error);

  /* Only the newest follow may act: an older one was replaced or given up by a navigation, and
   * its answer would take the user somewhere they no longer asked to go. */
  if (follow->cancellable != self->follow_cancellable)
    {
      follow_free (follow);
      return;
    }
  g_clear_object (&self->follow_cancellable);

  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    cmg_table_view_set_notice (self->table_view, NULL);
  else if (!ok)
    cmg_table_view_set_notice (self->table_view, error->message);
  else if (n == 0 || follow->row < 0)
    {
      g_autofree char *notice = g_strdup_printf (_("The document %s is not in table “%s” of this archive."),
                                                 follow->id, cmg_table_get_name (follow->table));

      cmg_table_view_set_notice (self->table_view, notice);
    }
  else
    {
      g_autofree char *name = cmg_table_dup_qualified_name (follow->table);

      go_to (self, name, follow->row, TRUE);
    }
  follow_free (follow);
}

/* Gives up a follow still searching (the user went elsewhere), with its "Looking…" notice. */
static void
cancel_follow (CmgArchiveView *self)
{
  if (self->follow_cancellable == NULL)
    return;
  g_cancellable_cancel (self->follow_cancellable);
  g_clear_object (&self->follow_cancellable);
  if (self->table_view != NULL)
    cmg_table_view_set_notice (self->table_view, NULL);
}

static void
follow_id (CmgArchiveView *self,
           const char     *id_text)
{
  CmgTable *current = cmg_table_view_get_table (self->table_view);
  const char *component = current ? cmg_table_get_component (current) : "";
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSearchQuery) query = NULL;
  g_autofree char *quoted = NULL;
  CmgTable *target;
  CmgId id;
  Follow *follow;

  cancel_follow (self);
  if (!cmg_id_decode (id_text, strlen (id_text), &id, &error))
    {
      g_autofree char *notice = g_strdup_printf (_("“%s” is not a document Id: %s"), id_text, error->message);

      cmg_table_view_set_notice (self->table_view, notice);
      return;
    }
  target = table_by_number (self, component, id.table_number);
  if (target == NULL)
    {
      g_autofree char *notice = g_strdup_printf (_("This Id refers to table number %u, which is not in this archive."),
                                                 id.table_number);

      cmg_table_view_set_notice (self->table_view, notice);
      return;
    }

  self->follow_cancellable = g_cancellable_new ();
  cmg_table_view_set_notice (self->table_view, _("Looking for the document…"));

  quoted = g_strdup_printf ("\"%s\"", id_text);
  query = cmg_search_query_new_field ("_id", quoted);
  follow = g_new0 (Follow, 1);
  follow->self = g_object_ref (self);
  follow->table = g_object_ref (target);
  follow->id = g_strdup (id_text);
  follow->cancellable = g_object_ref (self->follow_cancellable);
  follow->row = -1;
  cmg_table_search_async (self->snapshot, target, query, 1, follow_match_cb, NULL, follow, NULL,
                          follow->cancellable, follow_done_cb, follow);
}

static void
follow_id_cb (CmgArchiveView *self,
              const char     *id)
{
  follow_id (self, id);
}

static void
finding_activated_cb (CmgArchiveView *self,
                      const char     *component,
                      const char     *table,
                      guint64         line)
{
  g_autofree char *qualified = NULL;
  CmgTable *target;

  if (table == NULL || table[0] == '\0')
    return;
  qualified = component && component[0] ? g_strdup_printf ("%s:%s", component, table) : g_strdup (table);
  target = cmg_snapshot_find_table (self->snapshot, component ? component : "", table);
  if (target == NULL)
    return;
  /* Lines of a CSV count its header; lines of a JSONL entry are rows + 1. */
  if (cmg_snapshot_get_kind (self->snapshot) == CMG_SNAPSHOT_KIND_CSV)
    go_to (self, qualified, line > 1 ? (gint64) line - 2 : -1, TRUE);
  else
    go_to (self, qualified, line > 0 ? (gint64) line - 1 : -1, TRUE);
}

/* Actions. */

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  gtk_stack_set_visible_child_name (self->view_stack, g_variant_get_string (parameter, NULL));
}

static void
select_table_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  go_to (self, g_variant_get_string (parameter, NULL), -1, FALSE);
}

static void
go_to_row_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  cancel_follow (self);
  cmg_table_view_select_row (self->table_view, g_variant_get_uint64 (parameter));
}

static void
follow_id_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  follow_id (CMG_ARCHIVE_VIEW (widget), g_variant_get_string (parameter, NULL));
}

static void
follow_first_id_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  if (!cmg_table_view_follow_first_id (self->table_view))
    cmg_table_view_set_notice (self->table_view, _("This document refers to no other document."));
}

static void
activate_finding_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  cmg_check_report_activate_finding (self->check_report, g_variant_get_uint32 (parameter));
}

static void
focus_tables_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (widget);

  gtk_stack_set_visible_child_name (self->view_stack, "tables");
  gtk_widget_grab_focus (GTK_WIDGET (self->table_list));
}

static void
cmg_archive_view_dispose (GObject *object)
{
  CmgArchiveView *self = CMG_ARCHIVE_VIEW (object);
  GtkWidget *child;

  cmg_archive_view_cancel (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_ARCHIVE_VIEW);
  /* The template's unnamed top-level child is not cleared by dispose_template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->table_selection);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->follow_cancellable);
  g_clear_object (&self->validation);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->problem_tables, g_hash_table_unref);
  g_clear_pointer (&self->problem_icons, g_ptr_array_unref);
  g_clear_pointer (&self->back, g_ptr_array_unref);
  g_clear_pointer (&self->forward, g_ptr_array_unref);
  g_clear_pointer (&self->check_summary, g_free);

  G_OBJECT_CLASS (cmg_archive_view_parent_class)->dispose (object);
}

static void
cmg_archive_view_class_init (CmgArchiveViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  const char *pages[] = { "summary", "tables", "storage", "checks" };

  object_class->dispose = cmg_archive_view_dispose;

  g_type_ensure (CMG_TYPE_TABLE_VIEW);
  g_type_ensure (CMG_TYPE_STORAGE_VIEW);
  g_type_ensure (CMG_TYPE_CHECK_REPORT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/browser/cmg-archive-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, view_stack);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, name_label);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, path_label);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, facts_grid);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, check_progress);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, check_label);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, table_list);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, table_view);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, storage_view);
  gtk_widget_class_bind_template_child (widget_class, CmgArchiveView, check_report);
  gtk_widget_class_bind_template_callback (widget_class, follow_id_cb);
  gtk_widget_class_bind_template_callback (widget_class, finding_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "archive.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "archive.select-table", "s", select_table_action);
  gtk_widget_class_install_action (widget_class, "archive.go-to-row", "t", go_to_row_action);
  gtk_widget_class_install_action (widget_class, "archive.follow-id", "s", follow_id_action);
  gtk_widget_class_install_action (widget_class, "archive.follow-first-id", NULL, follow_first_id_action);
  gtk_widget_class_install_action (widget_class, "archive.activate-finding", "u", activate_finding_action);
  gtk_widget_class_install_action (widget_class, "archive.focus-tables", NULL, focus_tables_action);
  gtk_widget_class_install_action (widget_class, "archive.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "archive.forward", NULL, forward_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "archive.back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "archive.forward", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "archive.focus-tables", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "archive.follow-first-id", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1 + i, GDK_ALT_MASK,
                                         "archive.show-page", "s", pages[i]);
}

static void
cmg_archive_view_init (CmgArchiveView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->problem_tables = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->problem_icons = g_ptr_array_new ();
  self->back = g_ptr_array_new_with_free_func ((GDestroyNotify) location_free);
  self->forward = g_ptr_array_new_with_free_func ((GDestroyNotify) location_free);
  update_history_actions (self);
}

GtkWidget *
cmg_archive_view_new (CmgSnapshot *snapshot)
{
  CmgArchiveView *self;
  g_autoptr(GtkStringObject) root_item = NULL;
  GListModel *root;
  GtkTreeListModel *tree;
  GtkListItemFactory *factory;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (snapshot), NULL);

  self = g_object_new (CMG_TYPE_ARCHIVE_VIEW, NULL);
  self->snapshot = g_object_ref (snapshot);
  fill_summary (self);

  /* The app's tables and top-level components are the children of the component "". */
  root_item = gtk_string_object_new ("");
  root = create_children (root_item, self);
  tree = gtk_tree_list_model_new (root, FALSE, TRUE, create_children, self, NULL);
  self->table_selection = gtk_single_selection_new (G_LIST_MODEL (tree));
  g_signal_connect_object (self->table_selection, "notify::selected-item",
                           G_CALLBACK (table_selection_changed_cb), self, G_CONNECT_SWAPPED);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect_object (factory, "setup", G_CALLBACK (table_row_setup), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (table_row_bind), self, 0);
  g_signal_connect_object (factory, "unbind", G_CALLBACK (table_row_unbind), self, 0);
  gtk_list_view_set_factory (self->table_list, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->table_list, GTK_SELECTION_MODEL (self->table_selection));
  table_selection_changed_cb (self);

  cmg_storage_view_set_snapshot (self->storage_view, snapshot);

  self->counting = TRUE;
  cmg_snapshot_count_async (snapshot, self->cancellable, count_progress_cb, self, NULL,
                            count_done_cb, g_object_ref (self));
  return GTK_WIDGET (self);
}

CmgSnapshot *
cmg_archive_view_get_snapshot (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return self->snapshot;
}

void
cmg_archive_view_cancel (CmgArchiveView *self)
{
  g_return_if_fail (CMG_IS_ARCHIVE_VIEW (self));

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->follow_cancellable);
  if (self->table_view != NULL)
    cmg_table_view_stop_search (self->table_view);
}

const char *
cmg_archive_view_get_page (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->view_stack);
}

gboolean
cmg_archive_view_get_counting (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), FALSE);
  return self->counting;
}

CmgValidation *
cmg_archive_view_get_validation (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return self->validation;
}

gboolean
cmg_archive_view_get_navigating (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), FALSE);
  return self->follow_cancellable != NULL;
}

const char *
cmg_archive_view_get_check_summary (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return self->check_summary;
}

char *
cmg_archive_view_dup_summary_text (CmgArchiveView *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);

  for (int row = 0; row < self->n_facts; row++)
    {
      GtkWidget *key = gtk_grid_get_child_at (self->facts_grid, 0, row);
      GtkWidget *value = gtk_grid_get_child_at (self->facts_grid, 1, row);

      if (GTK_IS_LABEL (key) && GTK_IS_LABEL (value))
        g_string_append_printf (out, "%s: %s\n", gtk_label_get_text (GTK_LABEL (key)),
                                gtk_label_get_text (GTK_LABEL (value)));
    }
  return g_string_free (out, FALSE);
}

gboolean
cmg_archive_view_table_has_problems (CmgArchiveView *self,
                                     const char     *qualified_name)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), FALSE);
  return g_hash_table_contains (self->problem_tables, qualified_name);
}

CmgTableView *
cmg_archive_view_get_table_view (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return self->table_view;
}

CmgStorageView *
cmg_archive_view_get_storage_view (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return self->storage_view;
}

CmgCheckReport *
cmg_archive_view_get_check_report (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return self->check_report;
}

GtkWidget *
cmg_archive_view_get_table_list (CmgArchiveView *self)
{
  g_return_val_if_fail (CMG_IS_ARCHIVE_VIEW (self), NULL);
  return GTK_WIDGET (self->table_list);
}
