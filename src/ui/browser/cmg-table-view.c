/* cmg-table-view.c: see cmg-table-view.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "cmg-document-format.h"
#include "cmg-document-source.h"
#include "cmg-file-chooser.h"
#include "cmg-table-search.h"
#include "cmg-table-view.h"

/* Rows read to find the columns: enough for tables whose documents differ a little. */
#define SAMPLE_ROWS 200
/* A search stops after this many matches; their lines stay in memory for the list and export. */
#define MAX_RESULTS 10000

struct _CmgTableView
{
  GtkWidget           parent_instance;

  CmgSnapshot        *snapshot;
  CmgTable           *table;
  CmgDocumentSource  *source;
  GtkSingleSelection *selection;
  GStrv               fields;
  GCancellable       *cancellable;        /* sampling, for the current table */
  GCancellable       *search_cancellable;
  GListStore         *results;            /* CmgDocument */
  gint64              pending_row;
  gboolean            applying_pending_row;
  guint64             search_matches;
  char               *notice;

  GtkLabel           *title_label;
  GtkLabel           *count_label;
  GtkSpinButton      *row_spin;
  GtkAdjustment      *row_adjustment;
  GtkToggleButton    *search_button;
  GtkSearchBar       *search_bar;
  GtkSearchEntry     *search_entry;
  GtkButton          *stop_button;
  GtkLabel           *search_status;
  GtkStack           *documents_stack;
  GtkSpinner         *loading_spinner;
  GtkLabel           *loading_label;
  GtkColumnView      *column_view;
  GtkRevealer        *results_revealer;
  GtkListView        *results_view;
  GtkLabel           *detail_title;
  GtkRevealer        *notice_revealer;
  GtkLabel           *notice_label;
  GtkTextView        *detail_view;
};

G_DEFINE_FINAL_TYPE (CmgTableView, cmg_table_view, GTK_TYPE_WIDGET)

enum {
  FOLLOW_ID,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char *
table_name_for_number (guint32  number,
                       gpointer user_data)
{
  CmgTableView *self = user_data;
  GListModel *tables;
  const char *component;
  guint n;

  if (self->snapshot == NULL || number == 0)
    return NULL;
  component = cmg_table_get_component (self->table);
  tables = cmg_snapshot_get_tables (self->snapshot);
  n = g_list_model_get_n_items (tables);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(CmgTable) table = g_list_model_get_item (tables, i);

      /* Numbers are per component; the snapshot keeps the tables, so the name outlives us. */
      if (cmg_table_get_number (table) == number
          && g_strcmp0 (cmg_table_get_component (table), component) == 0)
        return cmg_table_get_name (table);
    }
  return NULL;
}

/* Cells. */

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            CmgTableView             *self);

static void
cell_pressed_cb (GtkGestureClick *gesture,
                 int              n_press,
                 double           x,
                 double           y,
                 CmgTableView    *self)
{
  GtkWidget *cell = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
  const char *id = g_object_get_data (G_OBJECT (cell), "cmg-id");

  if (id != NULL && n_press == 1)
    {
      g_autofree char *copy = g_strdup (id);

      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
      g_signal_emit (self, signals[FOLLOW_ID], 0, copy);
    }
}

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            CmgTableView             *self)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);
  GtkGesture *click = gtk_gesture_click_new ();

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription),
                                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "cmg-chars")));
  /* Columns keep a readable width; the view scrolls sideways instead of squeezing them. */
  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription),
                                 MIN (GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "cmg-chars")), 12));
  g_signal_connect_object (click, "pressed", G_CALLBACK (cell_pressed_cb), self, 0);
  gtk_widget_add_controller (inscription, GTK_EVENT_CONTROLLER (click));
  gtk_list_item_set_child (item, inscription);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           CmgTableView             *self)
{
  const char *field = g_object_get_data (G_OBJECT (factory), "cmg-field");
  GtkWidget *cell = gtk_list_item_get_child (item);
  CmgDocument *document = gtk_list_item_get_item (item);
  CmgValue *value = cmg_document_format_get_value (document);
  CmgValue *field_value = NULL;
  g_autofree char *text = NULL;
  CmgId id;

  g_object_set_data (G_OBJECT (cell), "cmg-id", NULL);
  gtk_widget_remove_css_class (cell, "cmg-id-link");
  gtk_widget_remove_css_class (cell, "cmg-missing");
  gtk_widget_remove_css_class (cell, "error");

  if (field == NULL)
    {
      text = g_strdup_printf ("%" G_GUINT64_FORMAT, cmg_document_get_row (document) + 1);
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
      return;
    }

  if (value == NULL)
    {
      /* The first field column says why the row is not a document. */
      if (g_strcmp0 (field, "_id") == 0)
        {
          const GError *error = cmg_document_get_error (document);

          text = error ? g_strdup (error->message) : g_strdup (_("Not valid JSON"));
          gtk_widget_add_css_class (cell, "error");
        }
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
      return;
    }

  if (cmg_value_get_kind (value) == CMG_VALUE_OBJECT)
    field_value = cmg_value_lookup (value, field);
  if (field_value == NULL)
    {
      gtk_widget_add_css_class (cell, "cmg-missing");
      gtk_inscription_set_text (GTK_INSCRIPTION (cell), "—");
      return;
    }
  text = cmg_format_cell (field, field_value);
  if (cmg_value_get_kind (field_value) == CMG_VALUE_STRING && cmg_value_get_id (field_value, &id))
    {
      gsize length;
      const char *id_text = cmg_value_get_string (field_value, &length);

      /* The document's own _id is not a reference; the others are links. */
      if (g_strcmp0 (field, "_id") != 0)
        {
          g_object_set_data_full (G_OBJECT (cell), "cmg-id", g_strndup (id_text, length), g_free);
          gtk_widget_add_css_class (cell, "cmg-id-link");
        }
    }
  gtk_inscription_set_text (GTK_INSCRIPTION (cell), text);
}

static GtkColumnViewColumn *
make_field_column (CmgTableView *self,
                   const char   *field,
                   const char   *title,
                   guint         chars)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data_full (G_OBJECT (factory), "cmg-field", g_strdup (field), g_free);
  g_object_set_data (G_OBJECT (factory), "cmg-chars", GUINT_TO_POINTER (chars));
  g_signal_connect_object (factory, "setup", G_CALLBACK (cell_setup), self, 0);
  g_signal_connect_object (factory, "bind", G_CALLBACK (cell_bind), self, 0);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  return column;
}

static void
remove_columns (CmgTableView *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);

      gtk_column_view_remove_column (self->column_view, column);
    }
}

static void
build_columns (CmgTableView *self)
{
  g_autoptr(GtkColumnViewColumn) row = NULL;

  remove_columns (self);
  row = make_field_column (self, NULL, _("Row"), 6);
  gtk_column_view_column_set_fixed_width (row, 72);
  gtk_column_view_append_column (self->column_view, row);
  for (guint i = 0; self->fields != NULL && self->fields[i] != NULL; i++)
    {
      const char *field = self->fields[i];
      guint chars = g_strcmp0 (field, "_id") == 0 ? 32 : g_strcmp0 (field, "_creationTime") == 0 ? 19 : 16;
      g_autoptr(GtkColumnViewColumn) column = make_field_column (self, field, field, chars);

      /* Few columns share the width; many scroll sideways at their natural width. */
      gtk_column_view_column_set_expand (column, TRUE);

      gtk_column_view_append_column (self->column_view, column);
    }
}

/* State of the documents area. */

static void
update_count (CmgTableView *self)
{
  gint64 documents;
  g_autofree char *text = NULL;

  if (self->table == NULL)
    return;
  documents = cmg_table_get_documents (self->table);
  if (documents < 0)
    {
      g_autofree char *size = g_format_size (cmg_table_get_bytes (self->table));

      text = g_strdup_printf (_("counting… · %s"), size);
      gtk_stack_set_visible_child_name (self->documents_stack, "loading");
      gtk_spinner_set_spinning (self->loading_spinner, TRUE);
    }
  else
    {
      g_autofree char *size = g_format_size (cmg_table_get_bytes (self->table));

      text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GINT64_FORMAT " document · %s",
                                           "%'" G_GINT64_FORMAT " documents · %s", documents),
                              documents, size);
      gtk_adjustment_set_upper (self->row_adjustment, MAX (documents, 1));
      gtk_widget_set_sensitive (GTK_WIDGET (self->row_spin), documents > 0);
      if (self->fields != NULL)
        {
          gtk_spinner_set_spinning (self->loading_spinner, FALSE);
          gtk_stack_set_visible_child_name (self->documents_stack, "documents");
        }
      if (documents == 0)
        {
          gtk_label_set_text (self->loading_label, _("This table is empty."));
          gtk_spinner_set_spinning (self->loading_spinner, FALSE);
          gtk_stack_set_visible_child_name (self->documents_stack, "loading");
        }
    }
  gtk_label_set_text (self->count_label, text);
}

static GtkWidget *
find_list_view (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      return child;
  return NULL;
}

static void
apply_pending_row (CmgTableView *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->selection));
  guint position;
  GtkWidget *list;

  if (self->pending_row < 0 || n == 0 || self->fields == NULL)
    return;
  position = (guint) MIN ((guint64) self->pending_row, (guint64) n - 1);
  self->pending_row = -1;
  /* The request may be older than the notice shown now (a row asked for before the table was
   * sampled, then a follow that failed): the notice answers the newer action, so it stays. */
  self->applying_pending_row = TRUE;
  gtk_single_selection_set_selected (self->selection, position);
  self->applying_pending_row = FALSE;
  /* GTK 4.8 has no gtk_column_view_scroll_to: its inner list view has the action. */
  list = find_list_view (GTK_WIDGET (self->column_view));
  if (list != NULL)
    gtk_widget_activate_action (list, "list.scroll-to-item", "u", position);
}

static void
on_documents_changed (CmgTableView *self)
{
  update_count (self);
  apply_pending_row (self);
}

/* The detail pane. */

static void
set_detail_document (CmgTableView *self,
                     CmgDocument  *document)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->detail_view);
  CmgValue *value;

  if (document == NULL)
    {
      gtk_text_buffer_set_text (buffer, "", 0);
      gtk_label_set_text (self->detail_title, _("No document selected"));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.copy-document", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.copy-id", FALSE);
      return;
    }
  {
    g_autofree char *title = g_strdup_printf (_("Row %'" G_GUINT64_FORMAT),
                                              cmg_document_get_row (document) + 1);

    gtk_label_set_text (self->detail_title, title);
  }
  value = cmg_document_format_get_value (document);
  if (value == NULL)
    {
      const GError *error = cmg_document_get_error (document);
      g_autofree char *text = NULL;

      if (error != NULL)
        text = g_strdup (error->message);
      else
        text = g_strdup_printf (_("This line is not valid JSON:\n\n%s"), cmg_document_get_json (document));
      gtk_text_buffer_set_text (buffer, text, -1);
    }
  else
    cmg_format_insert_document (buffer, value, table_name_for_number, self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.copy-document", TRUE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.copy-id", TRUE);
}

static void
selection_changed_cb (CmgTableView *self)
{
  CmgDocument *document = gtk_single_selection_get_selected_item (self->selection);

  /* A row the user picks makes the notice stale; a deferred select_row() cleared it already
   * when it was asked for. */
  if (!self->applying_pending_row)
    cmg_table_view_set_notice (self, NULL);
  set_detail_document (self, document);
  if (document != NULL)
    gtk_adjustment_set_value (self->row_adjustment, (double) cmg_document_get_row (document) + 1);
}

static const char *
id_at_iter (const GtkTextIter *iter)
{
  g_autoptr(GSList) tags = gtk_text_iter_get_tags (iter);

  for (GSList *l = tags; l != NULL; l = l->next)
    {
      const char *id = g_object_get_data (l->data, "cmg-id");

      if (id != NULL)
        return id;
    }
  return NULL;
}

static void
detail_released_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    CmgTableView    *self)
{
  GtkTextIter iter;
  int bx, by;
  const char *id;
  GtkTextIter start, end;

  /* A drag that selected text is not a click on a link. */
  if (gtk_text_buffer_get_selection_bounds (gtk_text_view_get_buffer (self->detail_view), &start, &end))
    return;
  gtk_text_view_window_to_buffer_coords (self->detail_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (!gtk_text_view_get_iter_at_location (self->detail_view, &iter, bx, by))
    return;
  id = id_at_iter (&iter);
  if (id != NULL)
    {
      g_autofree char *copy = g_strdup (id);

      g_signal_emit (self, signals[FOLLOW_ID], 0, copy);
    }
}

static gboolean
detail_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       CmgTableView          *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->detail_view);
  GtkTextIter iter;
  const char *id;

  if (keyval != GDK_KEY_Return && keyval != GDK_KEY_KP_Enter)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  id = id_at_iter (&iter);
  if (id == NULL)
    return FALSE;
  {
    g_autofree char *copy = g_strdup (id);

    g_signal_emit (self, signals[FOLLOW_ID], 0, copy);
  }
  return TRUE;
}

static void
detail_motion_cb (GtkEventControllerMotion *controller,
                  double                    x,
                  double                    y,
                  CmgTableView             *self)
{
  GtkTextIter iter;
  int bx, by;
  gboolean over = FALSE;

  gtk_text_view_window_to_buffer_coords (self->detail_view, GTK_TEXT_WINDOW_WIDGET,
                                         (int) x, (int) y, &bx, &by);
  if (gtk_text_view_get_iter_at_location (self->detail_view, &iter, bx, by))
    over = id_at_iter (&iter) != NULL;
  gtk_widget_set_cursor_from_name (GTK_WIDGET (self->detail_view), over ? "pointer" : "text");
}

/* Sampling the fields. */

typedef struct
{
  GPtrArray *lines;
} Sample;

static gboolean
sample_line (const char *line,
             gsize       length,
             gboolean    truncated,
             guint64     line_number,
             gpointer    user_data)
{
  GPtrArray *lines = user_data;

  if (!truncated)
    g_ptr_array_add (lines, g_strndup (line, length));
  return lines->len < SAMPLE_ROWS;
}

static void
sample_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  CmgTableView *self = source_object;
  CmgTable *table = task_data;
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  /* An export's documents.jsonl can be sampled from its start without counting it first. */
  if (cmg_snapshot_get_kind (self->snapshot) == CMG_SNAPSHOT_KIND_ZIP
      || cmg_snapshot_get_kind (self->snapshot) == CMG_SNAPSHOT_KIND_JSONL)
    ok = cmg_snapshot_read_lines (self->snapshot, cmg_table_get_entry_path (table), sample_line,
                                  lines, NULL, cancellable, &error);
  else
    ok = cmg_snapshot_read_table_rows (self->snapshot, table, 0, sample_line, lines, cancellable,
                                       &error);
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* A table that cannot be read to the end still shows the columns of what could be read. */
  g_task_return_pointer (task, cmg_format_collect_fields (lines), (GDestroyNotify) g_strfreev);
}

static void
sample_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CmgTableView *self = CMG_TABLE_VIEW (source);
  g_autoptr(GError) error = NULL;
  GStrv fields = g_task_propagate_pointer (G_TASK (result), &error);

  if (fields == NULL)
    return;
  if (g_task_get_task_data (G_TASK (result)) != self->table)
    {
      g_strfreev (fields);
      return;
    }
  g_strfreev (self->fields);
  self->fields = fields;
  build_columns (self);
  update_count (self);
  apply_pending_row (self);
}

/* Search. Callbacks of a search that was replaced or stopped may still be queued: each search
 * has its own run, and only the current one touches the results. */

typedef struct
{
  GWeakRef      self;
  GCancellable *cancellable;
} SearchRun;

static void
search_run_clear (SearchRun *run)
{
  g_weak_ref_clear (&run->self);
  g_clear_object (&run->cancellable);
}

static void
search_run_unref (SearchRun *run)
{
  g_rc_box_release_full (run, (GDestroyNotify) search_run_clear);
}

/* The view, if this run is its current search (a new reference). */
static CmgTableView *
search_run_get_view (SearchRun *run)
{
  CmgTableView *self = g_weak_ref_get (&run->self);

  if (self != NULL && self->search_cancellable != run->cancellable)
    g_clear_object (&self);
  return self;
}

static void
search_match_cb (guint64     row,
                 const char *line,
                 gsize       length,
                 gpointer    user_data)
{
  g_autoptr(CmgTableView) self = search_run_get_view (user_data);
  g_autoptr(CmgDocument) document = NULL;
  g_autofree char *status = NULL;

  if (self == NULL)
    return;
  document = cmg_document_new (row, line, length, FALSE);
  g_list_store_append (self->results, document);
  self->search_matches++;
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GUINT64_FORMAT " match so far…",
                                         "%'" G_GUINT64_FORMAT " matches so far…", self->search_matches),
                            self->search_matches);
  gtk_label_set_text (self->search_status, status);
}

static void
search_progress_cb (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  g_autoptr(CmgTableView) self = search_run_get_view (user_data);
  g_autofree char *status = NULL;

  if (self == NULL || total == 0)
    return;
  status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GUINT64_FORMAT " match so far, %d %% searched…",
                                         "%'" G_GUINT64_FORMAT " matches so far, %d %% searched…",
                                         self->search_matches),
                            self->search_matches, (int) (100.0 * done / total));
  gtk_label_set_text (self->search_status, status);
}

static void
search_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SearchRun *run = user_data;
  g_autoptr(CmgTableView) self = search_run_get_view (run);
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  g_autofree char *status = NULL;
  gboolean ok = cmg_table_search_finish (CMG_SNAPSHOT (source), result, &n, &error);

  search_run_unref (run);
  if (self == NULL)
    return;
  if (!ok && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Stopped: %'" G_GUINT64_FORMAT " match",
                                             "Stopped: %'" G_GUINT64_FORMAT " matches",
                                             self->search_matches), self->search_matches);
      gtk_label_set_text (self->search_status, status);
    }
  else if (!ok)
    gtk_label_set_text (self->search_status, error->message);
  else
    {
      if (n == 0)
        status = g_strdup (_("No matches"));
      else if (n >= MAX_RESULTS)
        status = g_strdup_printf (_("The first %'u matches"), (guint) MAX_RESULTS);
      else
        status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'" G_GUINT64_FORMAT " match",
                                               "%'" G_GUINT64_FORMAT " matches", n), n);
      gtk_label_set_text (self->search_status, status);
    }
  g_clear_object (&self->search_cancellable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.export-results",
                                 g_list_model_get_n_items (G_LIST_MODEL (self->results)) > 0);
}

static void
search_entry_activate_cb (CmgTableView *self)
{
  cmg_table_view_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_entry_stop_cb (CmgTableView *self)
{
  if (self->search_cancellable != NULL)
    cmg_table_view_stop_search (self);
  else
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
results_activate_cb (GtkListView  *view,
                     guint         position,
                     CmgTableView *self)
{
  cmg_table_view_activate_result (self, position);
}

static void
result_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_widget_set_margin_start (inscription, 12);
  gtk_list_item_set_child (item, inscription);
}

static void
result_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  CmgDocument *document = gtk_list_item_get_item (item);
  g_autofree char *snippet = g_utf8_make_valid (cmg_document_get_json (document),
                                                MIN (cmg_document_get_length (document), 400));
  g_autofree char *text = g_strdup_printf (_("Row %'" G_GUINT64_FORMAT "   %s"),
                                           cmg_document_get_row (document) + 1, snippet);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), text);
}

/* Export. */

static void
export_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CmgTableView) self = user_data;
  g_autoptr(GError) error = NULL;
  guint64 n = 0;
  g_autofree char *text = NULL;

  if (!cmg_table_export_finish (result, &n, &error))
    text = g_strdup_printf (_("The export failed: %s"), error->message);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Exported %'" G_GUINT64_FORMAT " document.",
                                         "Exported %'" G_GUINT64_FORMAT " documents.", n), n);
  cmg_table_view_set_notice (self, text);
}

void
cmg_table_view_export_to_file (CmgTableView         *self,
                               GFile                *file,
                               CmgTableExportFormat  format,
                               gboolean              results_only)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_if_fail (CMG_IS_TABLE_VIEW (self));
  g_return_if_fail (self->table != NULL);

  if (results_only)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));

      lines = g_ptr_array_new_full (n, g_free);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(CmgDocument) document = g_list_model_get_item (G_LIST_MODEL (self->results), i);

          g_ptr_array_add (lines, g_strdup (cmg_document_get_json (document)));
        }
    }
  cmg_table_view_set_notice (self, _("Exporting…"));
  cmg_table_export_async (self->snapshot, self->table, lines, (const char * const *) self->fields,
                          format, file, NULL, export_done_cb, g_object_ref (self));
}

/* The export's choices travel to the chooser's callback packed in its user data. */
#define EXPORT_CSV     (1 << 0)
#define EXPORT_RESULTS (1 << 1)

static void
export_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  CmgTableView *self = CMG_TABLE_VIEW (object);
  guint choices = GPOINTER_TO_UINT (user_data);
  g_autoptr(GFile) file = cmg_file_chooser_run_file_finish (GTK_WIDGET (self), result, NULL);

  if (file != NULL)
    cmg_table_view_export_to_file (self, file,
                                   (choices & EXPORT_CSV) ? CMG_TABLE_EXPORT_CSV : CMG_TABLE_EXPORT_JSONL,
                                   (choices & EXPORT_RESULTS) != 0);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  CmgTableView *self = CMG_TABLE_VIEW (widget);
  gboolean results = g_str_equal (action_name, "table.export-results");
  gboolean csv = g_str_equal (g_variant_get_string (parameter, NULL), "csv");
  g_autofree char *name = NULL;

  if (self->table == NULL)
    return;
  name = g_strdup_printf ("%s%s.%s", cmg_table_get_name (self->table), results ? "-results" : "",
                          csv ? "csv" : "jsonl");
  /* The GTK 4 save dialog confirms before replacing a file; the write goes through a temporary
   * file, so a cancelled or failed export leaves an existing file as it was. */
  cmg_file_chooser_run_async (widget, CMG_FILE_CHOOSER_SAVE,
                              results ? _("Export Search Results") : _("Export Table"), _("_Export"),
                              NULL, name, NULL, export_chosen_cb,
                              GUINT_TO_POINTER ((csv ? EXPORT_CSV : 0) | (results ? EXPORT_RESULTS : 0)));
}

/* Actions. */

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmgTableView *self = CMG_TABLE_VIEW (widget);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
goto_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  CmgTableView *self = CMG_TABLE_VIEW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->row_spin));
}

static void
row_spin_activate_cb (CmgTableView *self)
{
  gtk_spin_button_update (self->row_spin);
  cmg_table_view_select_row (self, (guint64) gtk_spin_button_get_value (self->row_spin) - 1);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

static void
copy_document_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  CmgTableView *self = CMG_TABLE_VIEW (widget);
  CmgDocument *document = gtk_single_selection_get_selected_item (self->selection);
  CmgValue *value;
  g_autofree char *json = NULL;

  if (document == NULL)
    return;
  value = cmg_document_format_get_value (document);
  json = value ? cmg_format_pretty_json (value) : g_strdup (cmg_document_get_json (document));
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), json);
  cmg_table_view_set_notice (self, _("Copied the document as JSON."));
}

static void
copy_id_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  CmgTableView *self = CMG_TABLE_VIEW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->detail_view);
  CmgDocument *document = gtk_single_selection_get_selected_item (self->selection);
  GtkTextIter iter;
  const char *id;
  g_autofree char *own = NULL;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  id = id_at_iter (&iter);
  if (id == NULL && document != NULL && cmg_document_format_get_value (document) != NULL)
    {
      CmgValue *value = cmg_value_lookup (cmg_document_format_get_value (document), "_id");
      gsize length;

      if (value != NULL && cmg_value_get_kind (value) == CMG_VALUE_STRING)
        {
          const char *text = cmg_value_get_string (value, &length);

          own = g_strndup (text, length);
          id = own;
        }
    }
  if (id == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), id);
  {
    g_autofree char *notice = g_strdup_printf (_("Copied %s."), id);

    cmg_table_view_set_notice (self, notice);
  }
}

static void
cmg_table_view_dispose (GObject *object)
{
  CmgTableView *self = CMG_TABLE_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->search_cancellable);
  if (self->table != NULL)
    g_signal_handlers_disconnect_by_data (self->table, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_TABLE_VIEW);
  /* The template's unnamed top-level child is not cleared by dispose_template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->source);
  g_clear_object (&self->results);
  g_clear_object (&self->table);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->fields, g_strfreev);
  g_clear_pointer (&self->notice, g_free);

  G_OBJECT_CLASS (cmg_table_view_parent_class)->dispose (object);
}

static void
cmg_table_view_class_init (CmgTableViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_table_view_dispose;

  signals[FOLLOW_ID] = g_signal_new ("follow-id", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/browser/cmg-table-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, title_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, count_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, row_spin);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, row_adjustment);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, search_button);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, search_bar);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, search_entry);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, stop_button);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, search_status);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, documents_stack);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, loading_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, results_revealer);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, results_view);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, detail_title);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, notice_label);
  gtk_widget_class_bind_template_child (widget_class, CmgTableView, detail_view);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_entry_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, cmg_table_view_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, results_activate_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);

  gtk_widget_class_install_action (widget_class, "table.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "table.goto", NULL, goto_action);
  gtk_widget_class_install_action (widget_class, "table.copy-document", NULL, copy_document_action);
  gtk_widget_class_install_action (widget_class, "table.copy-id", NULL, copy_id_action);
  gtk_widget_class_install_action (widget_class, "table.export", "s", export_action);
  gtk_widget_class_install_action (widget_class, "table.export-results", "s", export_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "table.find", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK, "table.goto", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "table.copy-document", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "table.copy-id", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "table.export", "s", "jsonl");
}

static void
cmg_table_view_init (CmgTableView *self)
{
  GtkListItemFactory *factory;
  GtkGesture *click;
  GtkEventController *key, *motion;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->pending_row = -1;
  self->results = g_list_store_new (CMG_TYPE_DOCUMENT);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (result_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (result_bind), NULL);
  gtk_list_view_set_factory (self->results_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->results_view,
                           GTK_SELECTION_MODEL (gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->results)))));

  /* GtkSpinButton has no "activate" before GTK 4.14; its text has. */
  g_signal_connect_object (gtk_editable_get_delegate (GTK_EDITABLE (self->row_spin)), "activate",
                           G_CALLBACK (row_spin_activate_cb), self, G_CONNECT_SWAPPED);
  g_object_bind_property (self->search_button, "active", self->search_bar, "search-mode-enabled",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  click = gtk_gesture_click_new ();
  g_signal_connect_object (click, "released", G_CALLBACK (detail_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->detail_view), GTK_EVENT_CONTROLLER (click));
  key = gtk_event_controller_key_new ();
  g_signal_connect_object (key, "key-pressed", G_CALLBACK (detail_key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->detail_view), key);
  motion = gtk_event_controller_motion_new ();
  g_signal_connect_object (motion, "motion", G_CALLBACK (detail_motion_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->detail_view), motion);

  set_detail_document (self, NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.export-results", FALSE);
}

GtkWidget *
cmg_table_view_new (void)
{
  return g_object_new (CMG_TYPE_TABLE_VIEW, NULL);
}

void
cmg_table_view_set_table (CmgTableView *self,
                          CmgSnapshot  *snapshot,
                          CmgTable     *table)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *title = NULL;

  g_return_if_fail (CMG_IS_TABLE_VIEW (self));
  g_return_if_fail (CMG_IS_SNAPSHOT (snapshot));
  g_return_if_fail (CMG_IS_TABLE (table));

  if (self->table == table)
    return;

  cmg_table_view_stop_search (self);
  g_list_store_remove_all (self->results);
  gtk_revealer_set_reveal_child (self->results_revealer, FALSE);
  gtk_label_set_text (self->search_status, "");
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->table != NULL)
    g_signal_handlers_disconnect_by_data (self->table, self);

  g_set_object (&self->snapshot, snapshot);
  g_set_object (&self->table, table);
  g_clear_pointer (&self->fields, g_strfreev);
  self->pending_row = -1;
  remove_columns (self);

  g_clear_object (&self->source);
  self->source = cmg_document_source_new (snapshot, table);
  if (self->selection != NULL)
    g_signal_handlers_disconnect_by_data (self->selection, self);
  g_clear_object (&self->selection);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->source)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item",
                           G_CALLBACK (selection_changed_cb), self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (table, "notify::documents", G_CALLBACK (on_documents_changed), self,
                           G_CONNECT_SWAPPED);

  title = cmg_table_dup_qualified_name (table);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->loading_label, _("Counting documents…"));
  gtk_stack_set_visible_child_name (self->documents_stack, "loading");
  set_detail_document (self, NULL);
  cmg_table_view_set_notice (self, NULL);
  update_count (self);

  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, sample_done_cb, NULL);
  g_task_set_task_data (task, g_object_ref (table), g_object_unref);
  g_task_run_in_thread (task, sample_thread);
}

CmgTable *
cmg_table_view_get_table (CmgTableView *self)
{
  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), NULL);
  return self->table;
}

const char * const *
cmg_table_view_get_fields (CmgTableView *self)
{
  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), NULL);
  return (const char * const *) self->fields;
}

void
cmg_table_view_select_row (CmgTableView *self,
                           guint64       row)
{
  g_return_if_fail (CMG_IS_TABLE_VIEW (self));

  cmg_table_view_set_notice (self, NULL);
  self->pending_row = (gint64) MIN (row, (guint64) G_MAXINT64);
  apply_pending_row (self);
}

gint64
cmg_table_view_get_selected_row (CmgTableView *self)
{
  guint position;

  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), -1);

  if (self->selection == NULL)
    return -1;
  position = gtk_single_selection_get_selected (self->selection);
  return position == GTK_INVALID_LIST_POSITION ? -1 : (gint64) position;
}

char *
cmg_table_view_dup_detail_text (CmgTableView *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), NULL);

  buffer = gtk_text_view_get_buffer (self->detail_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
cmg_table_view_set_notice (CmgTableView *self,
                           const char   *notice)
{
  g_return_if_fail (CMG_IS_TABLE_VIEW (self));

  g_free (self->notice);
  self->notice = g_strdup (notice);
  gtk_label_set_text (self->notice_label, notice ? notice : "");
  gtk_revealer_set_reveal_child (self->notice_revealer, notice != NULL);
}

const char *
cmg_table_view_get_notice (CmgTableView *self)
{
  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), NULL);
  return self->notice;
}

gboolean
cmg_table_view_follow_first_id (CmgTableView *self)
{
  GtkTextBuffer *buffer;
  GtkTextTag *link;
  GtkTextIter iter;
  const char *id;
  g_autofree char *copy = NULL;

  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), FALSE);

  buffer = gtk_text_view_get_buffer (self->detail_view);
  link = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), "id-link");
  if (link == NULL)
    return FALSE;
  gtk_text_buffer_get_start_iter (buffer, &iter);
  if (!gtk_text_iter_starts_tag (&iter, link) && !gtk_text_iter_forward_to_tag_toggle (&iter, link))
    return FALSE;
  id = id_at_iter (&iter);
  if (id == NULL)
    return FALSE;
  copy = g_strdup (id);
  g_signal_emit (self, signals[FOLLOW_ID], 0, copy);
  return TRUE;
}

void
cmg_table_view_search (CmgTableView *self,
                       const char   *text)
{
  g_autoptr(CmgSearchQuery) query = NULL;
  SearchRun *run;

  g_return_if_fail (CMG_IS_TABLE_VIEW (self));

  cmg_table_view_stop_search (self);
  g_clear_object (&self->search_cancellable);
  g_list_store_remove_all (self->results);
  self->search_matches = 0;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "table.export-results", FALSE);
  if (self->table == NULL || text == NULL || text[0] == '\0')
    {
      gtk_revealer_set_reveal_child (self->results_revealer, FALSE);
      gtk_label_set_text (self->search_status, "");
      return;
    }
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text);
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_revealer_set_reveal_child (self->results_revealer, TRUE);
  gtk_label_set_text (self->search_status, _("Searching…"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->stop_button), TRUE);

  query = cmg_search_query_parse (text);
  self->search_cancellable = g_cancellable_new ();
  run = g_rc_box_new0 (SearchRun);
  g_weak_ref_init (&run->self, self);
  run->cancellable = g_object_ref (self->search_cancellable);
  cmg_table_search_async (self->snapshot, self->table, query, MAX_RESULTS,
                          search_match_cb, search_progress_cb,
                          g_rc_box_acquire (run), (GDestroyNotify) search_run_unref,
                          self->search_cancellable, search_done_cb, run);
}

void
cmg_table_view_stop_search (CmgTableView *self)
{
  g_return_if_fail (CMG_IS_TABLE_VIEW (self));

  if (self->search_cancellable != NULL)
    g_cancellable_cancel (self->search_cancellable);
}

gboolean
cmg_table_view_get_searching (CmgTableView *self)
{
  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), FALSE);
  return self->search_cancellable != NULL;
}

guint
cmg_table_view_get_n_results (CmgTableView *self)
{
  g_return_val_if_fail (CMG_IS_TABLE_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->results));
}

void
cmg_table_view_activate_result (CmgTableView *self,
                                guint         position)
{
  g_autoptr(CmgDocument) document = NULL;

  g_return_if_fail (CMG_IS_TABLE_VIEW (self));

  document = g_list_model_get_item (G_LIST_MODEL (self->results), position);
  if (document != NULL)
    cmg_table_view_select_row (self, cmg_document_get_row (document));
}
