/* cmg-storage-view.c: see cmg-storage-view.h. */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "cmg-document-format.h"
#include "cmg-storage-view.h"
#include "cmg-value.h"

/* Files above these are not read whole for a check or a preview. */
#define VERIFY_MAX  (256 * 1024 * 1024)
#define PREVIEW_MAX (32 * 1024 * 1024)
#define TEXT_PREVIEW_CHARS (64 * 1024)

#define CMG_TYPE_STORAGE_ROW (cmg_storage_row_get_type ())
G_DECLARE_FINAL_TYPE (CmgStorageRow, cmg_storage_row, CMG, STORAGE_ROW, GObject)

struct _CmgStorageRow
{
  GObject         parent_instance;
  CmgStorageFile *file;    /* owned by the snapshot, which the view keeps */
  char           *status;
};

enum {
  ROW_PROP_0,
  ROW_PROP_STATUS,
  ROW_N_PROPS
};

static GParamSpec *row_properties[ROW_N_PROPS];

G_DEFINE_FINAL_TYPE (CmgStorageRow, cmg_storage_row, G_TYPE_OBJECT)

static void
cmg_storage_row_finalize (GObject *object)
{
  g_free (CMG_STORAGE_ROW (object)->status);
  G_OBJECT_CLASS (cmg_storage_row_parent_class)->finalize (object);
}

static void
cmg_storage_row_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  if (prop_id == ROW_PROP_STATUS)
    g_value_set_string (value, CMG_STORAGE_ROW (object)->status);
  else
    G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
}

static void
cmg_storage_row_class_init (CmgStorageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = cmg_storage_row_finalize;
  object_class->get_property = cmg_storage_row_get_property;
  row_properties[ROW_PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, ROW_N_PROPS, row_properties);
}

static void
cmg_storage_row_init (CmgStorageRow *self)
{
}

static void
cmg_storage_row_set_status (CmgStorageRow *self,
                            const char    *status)
{
  if (g_strcmp0 (self->status, status) == 0)
    return;
  g_free (self->status);
  self->status = g_strdup (status);
  g_object_notify_by_pspec (G_OBJECT (self), row_properties[ROW_PROP_STATUS]);
}

struct _CmgStorageView
{
  GtkWidget           parent_instance;

  CmgSnapshot        *snapshot;
  GListStore         *rows;
  GtkSingleSelection *selection;
  GCancellable       *cancellable;
  GCancellable       *preview_cancellable;
  CmgStoragePreview   preview;

  GtkStack           *outer_stack;
  GtkColumnView      *column_view;
  GtkLabel           *preview_title;
  GtkLabel           *preview_details;
  GtkStack           *preview_stack;
  GtkLabel           *preview_message;
  GtkPicture         *preview_picture;
  GtkTextView        *preview_text;
};

G_DEFINE_FINAL_TYPE (CmgStorageView, cmg_storage_view, GTK_TYPE_WIDGET)

static char *
name_text (gpointer item)
{
  CmgStorageFile *file = CMG_STORAGE_ROW (item)->file;

  if (file->component != NULL && file->component[0] != '\0')
    return g_strdup_printf ("%s:%s", file->component, file->storage_id);
  return g_strdup (file->storage_id);
}

static char *
type_text (gpointer item)
{
  const char *type = CMG_STORAGE_ROW (item)->file->content_type;

  return g_strdup (type != NULL ? type : _("unknown"));
}

static char *
size_text (gpointer item)
{
  return g_format_size (CMG_STORAGE_ROW (item)->file->size);
}

static void
status_setup (GtkSignalListItemFactory *factory,
              GtkListItem              *item)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_min_chars (GTK_INSCRIPTION (inscription), 10);
  gtk_list_item_set_child (item, inscription);
}

static void
status_bind (GtkSignalListItemFactory *factory,
             GtkListItem              *item)
{
  GBinding *binding = g_object_bind_property (gtk_list_item_get_item (item), "status",
                                              gtk_list_item_get_child (item), "text",
                                              G_BINDING_SYNC_CREATE);

  g_object_set_data (G_OBJECT (item), "cmg-binding", binding);
}

static void
status_unbind (GtkSignalListItemFactory *factory,
               GtkListItem              *item)
{
  GBinding *binding = g_object_steal_data (G_OBJECT (item), "cmg-binding");

  if (binding != NULL)
    g_binding_unbind (binding);
}

static char *
expected_sha256 (const CmgStorageFile *file)
{
  g_autoptr(CmgValue) metadata = NULL;
  CmgValue *sha;
  gsize length;
  const char *text;

  if (file->metadata == NULL)
    return NULL;
  metadata = cmg_value_parse (file->metadata, -1, NULL);
  if (metadata == NULL || cmg_value_get_kind (metadata) != CMG_VALUE_OBJECT)
    return NULL;
  sha = cmg_value_lookup (metadata, "sha256");
  if (sha == NULL || cmg_value_get_kind (sha) != CMG_VALUE_STRING)
    return NULL;
  text = cmg_value_get_string (sha, &length);
  return g_strndup (text, length);
}

typedef struct
{
  CmgSnapshot *snapshot;
  GPtrArray   *files;     /* CmgStorageFile*, transfer none */
} VerifyJob;

static void
verify_job_free (VerifyJob *job)
{
  g_object_unref (job->snapshot);
  g_ptr_array_unref (job->files);
  g_free (job);
}

static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  VerifyJob *job = task_data;
  g_autoptr(GPtrArray) statuses = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < job->files->len; i++)
    {
      const CmgStorageFile *file = g_ptr_array_index (job->files, i);
      g_autofree char *expected = expected_sha256 (file);
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;

      if (g_cancellable_is_cancelled (cancellable))
        break;
      if (expected == NULL)
        {
          g_ptr_array_add (statuses, g_strdup (_("no checksum")));
          continue;
        }
      if (file->size > VERIFY_MAX)
        {
          g_ptr_array_add (statuses, g_strdup (_("too large to check")));
          continue;
        }
      bytes = cmg_snapshot_read_entry (job->snapshot, file->entry_path, VERIFY_MAX, cancellable,
                                       &error);
      if (bytes == NULL)
        {
          g_ptr_array_add (statuses, g_strdup (_("unreadable")));
          continue;
        }
      {
        g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
        guint8 digest[32];
        gsize digest_len = sizeof digest;
        g_autofree char *actual = NULL;

        g_checksum_update (checksum, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
        g_checksum_get_digest (checksum, digest, &digest_len);
        actual = g_base64_encode (digest, digest_len);
        g_ptr_array_add (statuses, g_strdup (strcmp (actual, expected) == 0 ? _("✓ matches")
                                                                              : _("✗ differs")));
      }
    }
  g_task_return_pointer (task, g_steal_pointer (&statuses), (GDestroyNotify) g_ptr_array_unref);
}

static void
verify_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(CmgStorageView) self = user_data;
  g_autoptr(GPtrArray) statuses = g_task_propagate_pointer (G_TASK (result), NULL);

  if (statuses == NULL)
    return;
  for (guint i = 0; i < statuses->len; i++)
    {
      g_autoptr(CmgStorageRow) row = g_list_model_get_item (G_LIST_MODEL (self->rows), i);

      if (row != NULL)
        cmg_storage_row_set_status (row, g_ptr_array_index (statuses, i));
    }
}

typedef struct
{
  char  *content_type;
  char  *entry_path;
} PreviewJob;

static void
preview_job_free (PreviewJob *job)
{
  g_free (job->content_type);
  g_free (job->entry_path);
  g_free (job);
}

static gboolean
is_text_type (const char *type)
{
  return type != NULL && (g_str_has_prefix (type, "text/")
                          || strcmp (type, "application/json") == 0
                          || strcmp (type, "application/xml") == 0
                          || strcmp (type, "application/javascript") == 0);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  CmgStorageView *self = source_object;
  PreviewJob *job = task_data;
  GError *error = NULL;
  g_autoptr(GBytes) bytes = cmg_snapshot_read_entry (self->snapshot, job->entry_path, PREVIEW_MAX,
                                                     cancellable, &error);

  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (g_str_has_prefix (job->content_type, "image/"))
    {
      GdkTexture *texture = gdk_texture_new_from_bytes (bytes, &error);

      if (texture == NULL)
        g_task_return_error (task, error);
      else
        g_task_return_pointer (task, texture, g_object_unref);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&bytes), (GDestroyNotify) g_bytes_unref);
}

static void
show_message (CmgStorageView   *self,
              CmgStoragePreview preview,
              const char       *message)
{
  self->preview = preview;
  gtk_label_set_text (self->preview_message, message);
  gtk_stack_set_visible_child_name (self->preview_stack, "message");
}

static void
preview_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CmgStorageView *self = CMG_STORAGE_VIEW (source);
  g_autoptr(GError) error = NULL;
  gpointer value = g_task_propagate_pointer (G_TASK (result), &error);

  if (value == NULL)
    {
      g_autofree char *message = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      message = g_strdup_printf (_("No preview: %s"), error->message);
      show_message (self, CMG_STORAGE_PREVIEW_UNAVAILABLE, message);
      return;
    }
  if (g_str_has_prefix (((PreviewJob *) g_task_get_task_data (G_TASK (result)))->content_type, "image/"))
    {
      g_autoptr(GdkTexture) texture = value;

      gtk_picture_set_paintable (self->preview_picture, GDK_PAINTABLE (texture));
      gtk_stack_set_visible_child_name (self->preview_stack, "image");
      self->preview = CMG_STORAGE_PREVIEW_IMAGE;
    }
  else
    {
      g_autoptr(GBytes) bytes = value;
      gsize size;
      const char *data = g_bytes_get_data (bytes, &size);
      g_autofree char *valid = g_utf8_make_valid (data, MIN (size, (gsize) TEXT_PREVIEW_CHARS));

      gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->preview_text), valid, -1);
      gtk_stack_set_visible_child_name (self->preview_stack, "text");
      self->preview = CMG_STORAGE_PREVIEW_TEXT;
    }
}

static void
update_preview (CmgStorageView *self)
{
  CmgStorageRow *row = gtk_single_selection_get_selected_item (self->selection);
  const CmgStorageFile *file;
  g_autofree char *size = NULL;
  g_autofree char *details = NULL;
  g_autoptr(GTask) task = NULL;
  PreviewJob *job;

  g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  gtk_picture_set_paintable (self->preview_picture, NULL);

  if (row == NULL)
    {
      gtk_label_set_text (self->preview_title, "");
      gtk_label_set_text (self->preview_details, "");
      show_message (self, CMG_STORAGE_PREVIEW_NONE, _("Select a file to preview it."));
      return;
    }
  file = row->file;
  size = g_format_size_full (file->size, G_FORMAT_SIZE_LONG_FORMAT);
  details = g_strdup_printf ("%s · %s", file->content_type ? file->content_type : _("unknown type"),
                             size);
  gtk_label_set_text (self->preview_title, file->entry_path);
  gtk_label_set_text (self->preview_details, details);

  if (file->content_type == NULL
      || (!g_str_has_prefix (file->content_type, "image/") && !is_text_type (file->content_type)))
    {
      show_message (self, CMG_STORAGE_PREVIEW_NONE, _("There is no preview for this type of file."));
      return;
    }
  if (file->size > PREVIEW_MAX)
    {
      show_message (self, CMG_STORAGE_PREVIEW_NONE, _("This file is too large to preview."));
      return;
    }

  show_message (self, CMG_STORAGE_PREVIEW_LOADING, _("Loading the preview…"));
  self->preview_cancellable = g_cancellable_new ();
  task = g_task_new (self, self->preview_cancellable, preview_done_cb, NULL);
  job = g_new0 (PreviewJob, 1);
  job->content_type = g_strdup (file->content_type);
  job->entry_path = g_strdup (file->entry_path);
  g_task_set_task_data (task, job, (GDestroyNotify) preview_job_free);
  g_task_run_in_thread (task, preview_thread);
}

static void
cmg_storage_view_dispose (GObject *object)
{
  CmgStorageView *self = CMG_STORAGE_VIEW (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->preview_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), CMG_TYPE_STORAGE_VIEW);
  /* The template's unnamed top-level child is not cleared by dispose_template. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->preview_cancellable);
  g_clear_object (&self->selection);
  g_clear_object (&self->rows);
  g_clear_object (&self->snapshot);

  G_OBJECT_CLASS (cmg_storage_view_parent_class)->dispose (object);
}

static void
cmg_storage_view_class_init (CmgStorageViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = cmg_storage_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/convexmigrate/ConvexMigrate/browser/cmg-storage-view.ui");
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, outer_stack);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, column_view);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, preview_title);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, preview_details);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, preview_stack);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, preview_message);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, preview_picture);
  gtk_widget_class_bind_template_child (widget_class, CmgStorageView, preview_text);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
cmg_storage_view_init (CmgStorageView *self)
{
  g_autoptr(GtkColumnViewColumn) name = NULL;
  g_autoptr(GtkColumnViewColumn) type = NULL;
  g_autoptr(GtkColumnViewColumn) size = NULL;
  GtkListItemFactory *factory;
  GtkColumnViewColumn *status;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->rows = g_list_store_new (CMG_TYPE_STORAGE_ROW);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->rows)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (update_preview),
                           self, G_CONNECT_SWAPPED);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));

  name = cmg_format_text_column (_("File"), name_text, TRUE, 24);
  type = cmg_format_text_column (_("Content type"), type_text, FALSE, 14);
  size = cmg_format_text_column (_("Size"), size_text, FALSE, 8);
  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (status_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (status_bind), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (status_unbind), NULL);
  status = gtk_column_view_column_new (_("SHA-256"), factory);
  gtk_column_view_column_set_resizable (status, TRUE);
  gtk_column_view_append_column (self->column_view, name);
  gtk_column_view_append_column (self->column_view, type);
  gtk_column_view_append_column (self->column_view, size);
  gtk_column_view_append_column (self->column_view, status);
  g_object_unref (status);
  update_preview (self);
}

GtkWidget *
cmg_storage_view_new (void)
{
  return g_object_new (CMG_TYPE_STORAGE_VIEW, NULL);
}

void
cmg_storage_view_set_snapshot (CmgStorageView *self,
                               CmgSnapshot    *snapshot)
{
  GPtrArray *files;
  g_autoptr(GTask) task = NULL;
  VerifyJob *job;

  g_return_if_fail (CMG_IS_STORAGE_VIEW (self));
  g_return_if_fail (CMG_IS_SNAPSHOT (snapshot));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_list_store_remove_all (self->rows);
  g_set_object (&self->snapshot, snapshot);

  files = cmg_snapshot_get_storage_files (snapshot);
  for (guint i = 0; i < files->len; i++)
    {
      g_autoptr(CmgStorageRow) row = g_object_new (CMG_TYPE_STORAGE_ROW, NULL);

      row->file = g_ptr_array_index (files, i);
      row->status = g_strdup (_("checking…"));
      g_list_store_append (self->rows, row);
    }
  gtk_stack_set_visible_child_name (self->outer_stack, files->len > 0 ? "files" : "empty");
  if (files->len == 0)
    return;

  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, verify_done_cb, g_object_ref (self));
  job = g_new0 (VerifyJob, 1);
  job->snapshot = g_object_ref (snapshot);
  job->files = g_ptr_array_ref (files);
  g_task_set_task_data (task, job, (GDestroyNotify) verify_job_free);
  g_task_run_in_thread (task, verify_thread);
}

guint
cmg_storage_view_get_n_files (CmgStorageView *self)
{
  g_return_val_if_fail (CMG_IS_STORAGE_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

void
cmg_storage_view_select (CmgStorageView *self,
                         guint           position)
{
  g_return_if_fail (CMG_IS_STORAGE_VIEW (self));
  gtk_single_selection_set_selected (self->selection, position);
}

CmgStoragePreview
cmg_storage_view_get_preview (CmgStorageView *self)
{
  g_return_val_if_fail (CMG_IS_STORAGE_VIEW (self), CMG_STORAGE_PREVIEW_NONE);
  return self->preview;
}

const char *
cmg_storage_view_get_status (CmgStorageView *self,
                             guint           position)
{
  g_autoptr(CmgStorageRow) row = NULL;

  g_return_val_if_fail (CMG_IS_STORAGE_VIEW (self), NULL);
  row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  return row != NULL ? row->status : NULL;
}
