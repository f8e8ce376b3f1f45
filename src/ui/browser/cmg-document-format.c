/* cmg-document-format.c: see cmg-document-format.h. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "cmg-document-format.h"

/* Cells are one line; longer values are cut so a row costs what fits on screen. */
#define CELL_MAX_CHARS 120

static GQuark
value_quark (void)
{
  return g_quark_from_static_string ("cmg-browser-value");
}

CmgValue *
cmg_document_format_get_value (CmgDocument *document)
{
  CmgValue *value;

  g_return_val_if_fail (CMG_IS_DOCUMENT (document), NULL);

  if (cmg_document_get_error (document) != NULL)
    return NULL;
  value = g_object_get_qdata (G_OBJECT (document), value_quark ());
  if (value == NULL)
    {
      /* Each visible cell asks; parse once per row and keep it with the row. */
      value = cmg_value_parse (cmg_document_get_json (document),
                               (gssize) cmg_document_get_length (document), NULL);
      if (value == NULL)
        return NULL;
      g_object_set_qdata_full (G_OBJECT (document), value_quark (), value,
                               (GDestroyNotify) cmg_value_unref);
    }
  return value;
}

char *
cmg_format_creation_time (double milliseconds)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (!isfinite (milliseconds))
    return NULL;
  utc = g_date_time_new_from_unix_utc ((gint64) floor (milliseconds / 1000.0));
  if (utc == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M:%S");
}

static char *
ellipsize (char *text)
{
  if (g_utf8_strlen (text, -1) > CELL_MAX_CHARS)
    {
      char *end = g_utf8_offset_to_pointer (text, CELL_MAX_CHARS);
      char *cut;

      *end = '\0';
      cut = g_strconcat (text, "…", NULL);
      g_free (text);
      text = cut;
    }
  for (char *p = text; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t')
      *p = ' ';
  return text;
}

char *
cmg_format_cell (const char     *field,
                 const CmgValue *value)
{
  if (value == NULL)
    return g_strdup ("");

  switch (cmg_value_get_kind (value))
    {
    case CMG_VALUE_FLOAT64:
      if (g_strcmp0 (field, "_creationTime") == 0)
        {
          char *date = cmg_format_creation_time (cmg_value_get_float64 (value));
          if (date != NULL)
            return date;
        }
      return cmg_value_to_display (value, NULL, NULL);
    case CMG_VALUE_BYTES:
      {
        GBytes *bytes = cmg_value_get_bytes (value);
        g_autofree char *size = g_format_size_full (g_bytes_get_size (bytes),
                                                    G_FORMAT_SIZE_LONG_FORMAT);
        return g_strdup_printf (_("bytes, %s"), size);
      }
    case CMG_VALUE_STRING:
      {
        gsize length;
        const char *text = cmg_value_get_string (value, &length);
        g_autofree char *copy = g_strndup (text, length);

        /* Strings may hold NUL; a cell shows what comes before it. */
        return ellipsize (g_steal_pointer (&copy));
      }
    case CMG_VALUE_ARRAY:
    case CMG_VALUE_OBJECT:
    case CMG_VALUE_NULL:
    case CMG_VALUE_BOOLEAN:
    case CMG_VALUE_INT64:
    default:
      return ellipsize (cmg_value_to_display (value, NULL, NULL));
    }
}

GStrv
cmg_format_collect_fields (GPtrArray *lines)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) others = g_ptr_array_new ();

  g_strv_builder_add (builder, "_id");
  g_strv_builder_add (builder, "_creationTime");
  g_hash_table_add (seen, g_strdup ("_id"));
  g_hash_table_add (seen, g_strdup ("_creationTime"));

  for (guint i = 0; lines != NULL && i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autoptr(CmgValue) value = cmg_value_parse (line, -1, NULL);

      if (value == NULL || cmg_value_get_kind (value) != CMG_VALUE_OBJECT)
        continue;
      for (guint f = 0; f < cmg_value_get_length (value); f++)
        {
          const char *name = cmg_value_get_field_name (value, f);

          if (!g_hash_table_contains (seen, name))
            {
              char *copy = g_strdup (name);

              g_hash_table_add (seen, copy);
              g_ptr_array_add (others, copy);
            }
        }
    }
  for (guint i = 0; i < others->len; i++)
    g_strv_builder_add (builder, g_ptr_array_index (others, i));
  return g_strv_builder_end (builder);
}

gboolean
cmg_format_parse_export_name (const char  *basename,
                              char       **deployment,
                              GDateTime  **time)
{
  const char *start, *end, *sep;
  guint64 ts;
  gint64 usec;
  char *digits_end = NULL;

  g_return_val_if_fail (basename != NULL, FALSE);

  if (!g_str_has_prefix (basename, "snapshot_") || !g_str_has_suffix (basename, ".zip"))
    return FALSE;
  start = basename + strlen ("snapshot_");
  end = basename + strlen (basename) - strlen (".zip");
  sep = g_strrstr_len (start, end - start, "_");
  if (sep == NULL || sep == start || sep + 1 >= end)
    return FALSE;
  for (const char *p = sep + 1; p < end; p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;
  ts = g_ascii_strtoull (sep + 1, &digits_end, 10);
  if (digits_end != end)
    return FALSE;

  /* Today is about 1.7e12 ms, 1.7e15 µs, 1.7e18 ns. */
  if (ts >= G_GUINT64_CONSTANT (100000000000000000))
    usec = (gint64) (ts / 1000);
  else if (ts >= G_GUINT64_CONSTANT (100000000000000))
    usec = (gint64) ts;
  else
    usec = (gint64) ts * 1000;

  if (deployment != NULL)
    *deployment = g_strndup (start, sep - start);
  if (time != NULL)
    *time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  return TRUE;
}

void
cmg_format_ensure_tags (GtkTextBuffer *buffer)
{
  GtkTextTagTable *table = gtk_text_buffer_get_tag_table (buffer);

  if (gtk_text_tag_table_lookup (table, "key") != NULL)
    return;
  /* Colours readable on light and dark backgrounds (GNOME palette, mid tones). */
  gtk_text_buffer_create_tag (buffer, "key", "foreground", "#3584e4", NULL);
  gtk_text_buffer_create_tag (buffer, "string", "foreground", "#26a269", NULL);
  gtk_text_buffer_create_tag (buffer, "number", "foreground", "#c64600", NULL);
  gtk_text_buffer_create_tag (buffer, "keyword", "foreground", "#9141ac", NULL);
  gtk_text_buffer_create_tag (buffer, "punctuation", "foreground", "#77767b", NULL);
  gtk_text_buffer_create_tag (buffer, "note", "foreground", "#77767b", "style", PANGO_STYLE_ITALIC,
                              NULL);
  gtk_text_buffer_create_tag (buffer, "id-link", "foreground", "#1c71d8",
                              "underline", PANGO_UNDERLINE_SINGLE, NULL);
}

typedef struct
{
  GtkTextBuffer      *buffer;
  GtkTextIter         iter;
  GString            *plain;  /* when building plain JSON instead */
  CmgFormatTableName  table_name;
  gpointer            user_data;
} Printer;

static void
emit (Printer    *p,
      const char *text,
      const char *tag)
{
  if (p->plain != NULL)
    g_string_append (p->plain, text);
  else if (tag != NULL)
    gtk_text_buffer_insert_with_tags_by_name (p->buffer, &p->iter, text, -1, tag, NULL);
  else
    gtk_text_buffer_insert (p->buffer, &p->iter, text, -1);
}

static void
emit_indent (Printer *p,
             guint    depth)
{
  for (guint i = 0; i < depth; i++)
    emit (p, "  ", NULL);
}

static void
emit_id (Printer        *p,
         const char     *json,
         const char     *id_text,
         const CmgId    *id)
{
  GtkTextTag *tag = gtk_text_buffer_create_tag (p->buffer, NULL, NULL);
  const char *name = p->table_name ? p->table_name (id->table_number, p->user_data) : NULL;
  g_autofree char *note = NULL;

  g_object_set_data_full (G_OBJECT (tag), "cmg-id", g_strdup (id_text), g_free);
  {
    GtkTextMark *mark = gtk_text_buffer_create_mark (p->buffer, NULL, &p->iter, TRUE);
    GtkTextIter start;

    gtk_text_buffer_insert (p->buffer, &p->iter, json, -1);
    gtk_text_buffer_get_iter_at_mark (p->buffer, &start, mark);
    gtk_text_buffer_apply_tag_by_name (p->buffer, "id-link", &start, &p->iter);
    gtk_text_buffer_apply_tag (p->buffer, tag, &start, &p->iter);
    gtk_text_buffer_delete_mark (p->buffer, mark);
  }
  if (name != NULL)
    note = g_strdup_printf (_("  → %s"), name);
  else
    note = g_strdup_printf (_("  → table %u, not in this archive"), id->table_number);
  emit (p, note, "note");
}

static void
print_value (Printer        *p,
             const char     *field,
             const CmgValue *value,
             guint           depth)
{
  CmgValueKind kind = cmg_value_get_kind (value);

  if (kind == CMG_VALUE_OBJECT || kind == CMG_VALUE_ARRAY)
    {
      guint n = cmg_value_get_length (value);

      emit (p, kind == CMG_VALUE_OBJECT ? "{" : "[", "punctuation");
      if (n == 0)
        {
          emit (p, kind == CMG_VALUE_OBJECT ? "}" : "]", "punctuation");
          return;
        }
      emit (p, "\n", NULL);
      for (guint i = 0; i < n; i++)
        {
          const char *name = NULL;

          emit_indent (p, depth + 1);
          if (kind == CMG_VALUE_OBJECT)
            {
              g_autoptr(CmgValue) key = NULL;
              g_autofree char *key_json = NULL;

              name = cmg_value_get_field_name (value, i);
              key = cmg_value_new_string (name, -1);
              key_json = cmg_value_to_json (key);
              emit (p, key_json, "key");
              emit (p, ": ", "punctuation");
            }
          print_value (p, name, cmg_value_get_element (value, i), depth + 1);
          if (i + 1 < n)
            emit (p, ",", "punctuation");
          emit (p, "\n", NULL);
        }
      emit_indent (p, depth);
      emit (p, kind == CMG_VALUE_OBJECT ? "}" : "]", "punctuation");
      return;
    }

  {
    g_autofree char *json = cmg_value_to_json (value);
    const char *tag = NULL;

    switch (kind)
      {
      case CMG_VALUE_STRING:
        {
          CmgId id;
          gsize length;
          const char *text = cmg_value_get_string (value, &length);

          /* A document's own _id is not a reference. */
          if (p->plain == NULL && !(depth == 1 && g_strcmp0 (field, "_id") == 0)
              && cmg_id_is_valid (text, length, &id))
            {
              g_autofree char *id_text = g_strndup (text, length);

              emit_id (p, json, id_text, &id);
              return;
            }
          tag = "string";
        }
        break;
      case CMG_VALUE_INT64:
      case CMG_VALUE_FLOAT64:
        tag = "number";
        break;
      case CMG_VALUE_BYTES:
        tag = "string";
        break;
      case CMG_VALUE_NULL:
      case CMG_VALUE_BOOLEAN:
      case CMG_VALUE_ARRAY:
      case CMG_VALUE_OBJECT:
      default:
        tag = "keyword";
        break;
      }
    emit (p, json, tag);

    if (p->plain != NULL)
      return;
    if (kind == CMG_VALUE_FLOAT64 && g_strcmp0 (field, "_creationTime") == 0 && depth == 1)
      {
        g_autofree char *date = cmg_format_creation_time (cmg_value_get_float64 (value));
        g_autofree char *note = date ? g_strdup_printf ("  (%s)", date) : NULL;

        if (note != NULL)
          emit (p, note, "note");
      }
    else if (kind == CMG_VALUE_FLOAT64 && !isfinite (cmg_value_get_float64 (value)))
      {
        g_autofree char *display = cmg_value_to_display (value, NULL, NULL);
        g_autofree char *note = g_strdup_printf ("  (%s)", display);

        emit (p, note, "note");
      }
    else if (kind == CMG_VALUE_BYTES)
      {
        g_autofree char *size = g_format_size_full (g_bytes_get_size (cmg_value_get_bytes (value)),
                                                    G_FORMAT_SIZE_LONG_FORMAT);
        g_autofree char *note = g_strdup_printf ("  (%s)", size);

        emit (p, note, "note");
      }
  }
}

void
cmg_format_insert_document (GtkTextBuffer      *buffer,
                            const CmgValue     *value,
                            CmgFormatTableName  table_name,
                            gpointer            user_data)
{
  Printer p = { buffer, { 0 }, NULL, table_name, user_data };

  g_return_if_fail (GTK_IS_TEXT_BUFFER (buffer));

  cmg_format_ensure_tags (buffer);
  gtk_text_buffer_set_text (buffer, "", 0);
  gtk_text_buffer_get_start_iter (buffer, &p.iter);
  if (value != NULL)
    print_value (&p, NULL, value, 0);
}

char *
cmg_format_pretty_json (const CmgValue *value)
{
  Printer p = { NULL, { 0 }, g_string_new (NULL), NULL, NULL };

  g_return_val_if_fail (value != NULL, NULL);
  print_value (&p, NULL, value, 0);
  return g_string_free (p.plain, FALSE);
}

static void
text_cell_setup (GtkSignalListItemFactory *factory,
                 GtkListItem              *item)
{
  GtkWidget *inscription = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (inscription),
                                     GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_nat_chars (GTK_INSCRIPTION (inscription),
                                 GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (factory), "cmg-nat-chars")));
  gtk_list_item_set_child (item, inscription);
}

static void
text_cell_bind (GtkSignalListItemFactory *factory,
                GtkListItem              *item)
{
  CmgFormatItemText text = g_object_get_data (G_OBJECT (factory), "cmg-text");
  g_autofree char *value = text (gtk_list_item_get_item (item));

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (item)), value);
}

GtkColumnViewColumn *
cmg_format_text_column (const char        *title,
                        CmgFormatItemText  text,
                        gboolean           expand,
                        guint              nat_chars)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), "cmg-text", text);
  g_object_set_data (G_OBJECT (factory), "cmg-nat-chars", GUINT_TO_POINTER (nat_chars));
  g_signal_connect (factory, "setup", G_CALLBACK (text_cell_setup), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (text_cell_bind), NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_column_set_expand (column, expand);
  return column;
}
