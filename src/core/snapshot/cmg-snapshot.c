/* cmg-snapshot.c: see cmg-snapshot.h.
 *
 * The ZIP's central directory is parsed here directly (cmg-zip-directory.c) rather than through
 * libarchive: streaming needs each entry's local header offset, which libarchive does not expose,
 * and libarchive's seekable reader reads every local header while listing, which is what opening
 * in constant time must avoid. Names are raw bytes there, so the C locale cannot lose them. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "cmg-entry-stream.h"
#include "cmg-json-scan.h"
#include "cmg-snapshot.h"
#include "cmg-snapshot-private.h"
#include "cmg-table.h"
#include "cmg-zip-directory.h"

/* Reading the schema of every table at open costs one small read each: fine for normal
 * exports, while archives with thousands of tables defer it to counting. */
#define SCHEMA_AT_OPEN_MAX_TABLES 256
#define TABLES_ENTRY_MAX          (64 * 1024 * 1024)
#define SCHEMA_ENTRY_MAX          (1024 * 1024)
#define STORAGE_METADATA_AT_OPEN  (1024 * 1024)
/* A JSON array is parsed whole to count or fetch its elements. */
#define JSON_SOURCE_MAX           (256 * 1024 * 1024)

G_DEFINE_QUARK (cmg-snapshot-error-quark, cmg_snapshot_error)

struct _CmgSnapshot
{
  GObject          parent_instance;

  GFile           *file;
  char            *path;
  CmgSnapshotKind  kind;
  guint64          file_size;
  gint64           mtime_usec;
  ino_t            inode;

  GPtrArray       *entries;       /* CmgZipEntry*; for a single file, one entry */
  GHashTable      *by_name;       /* name → CmgZipEntry* (the first of duplicates) */
  GPtrArray       *entry_names;
  GListStore      *tables;
  GHashTable      *table_by_key;  /* "component\nname" → CmgTable* (owned by tables) */
  GPtrArray       *suspicious;
  GPtrArray       *storage;
  GPtrArray       *storage_metadata_pending;  /* component, entry path, … not read yet */
  guint64          storage_bytes;
  gboolean         has_readme;
  gboolean         json_too_large;

  GMutex           json_lock;
  JsonNode        *json_root;     /* CMG_SNAPSHOT_KIND_JSON, parsed on first use */
};

G_DEFINE_FINAL_TYPE (CmgSnapshot, cmg_snapshot, G_TYPE_OBJECT)

const char *
cmg_snapshot_kind_to_string (CmgSnapshotKind kind)
{
  switch (kind)
    {
    case CMG_SNAPSHOT_KIND_ZIP:
      return "zip";
    case CMG_SNAPSHOT_KIND_JSONL:
      return "jsonl";
    case CMG_SNAPSHOT_KIND_JSON:
      return "json";
    case CMG_SNAPSHOT_KIND_CSV:
      return "csv";
    default:
      return "unknown";
    }
}

static void
suspicious_free (CmgSuspiciousEntry *s)
{
  g_free (s->name);
  g_free (s->message);
  g_free (s);
}

static void
storage_file_free (CmgStorageFile *f)
{
  g_free (f->component);
  g_free (f->entry_path);
  g_free (f->storage_id);
  g_free (f->content_type);
  g_free (f->metadata);
  g_free (f);
}

static void
cmg_snapshot_finalize (GObject *object)
{
  CmgSnapshot *self = CMG_SNAPSHOT (object);

  g_clear_object (&self->file);
  g_free (self->path);
  g_clear_pointer (&self->by_name, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->entry_names, g_ptr_array_unref);
  g_clear_pointer (&self->table_by_key, g_hash_table_unref);
  g_clear_object (&self->tables);
  g_clear_pointer (&self->suspicious, g_ptr_array_unref);
  g_clear_pointer (&self->storage, g_ptr_array_unref);
  g_clear_pointer (&self->storage_metadata_pending, g_ptr_array_unref);
  g_clear_pointer (&self->json_root, json_node_unref);
  g_mutex_clear (&self->json_lock);

  G_OBJECT_CLASS (cmg_snapshot_parent_class)->finalize (object);
}

static void
cmg_snapshot_class_init (CmgSnapshotClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cmg_snapshot_finalize;
}

static void
cmg_snapshot_init (CmgSnapshot *self)
{
  g_mutex_init (&self->json_lock);
  self->tables = g_list_store_new (CMG_TYPE_TABLE);
  self->suspicious = g_ptr_array_new_with_free_func ((GDestroyNotify) suspicious_free);
  self->storage = g_ptr_array_new_with_free_func ((GDestroyNotify) storage_file_free);
  self->entry_names = g_ptr_array_new ();
  self->storage_metadata_pending = g_ptr_array_new_with_free_func (g_free);
  self->by_name = g_hash_table_new (g_str_hash, g_str_equal);
  self->table_by_key = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static char *
table_key (const char *component,
           const char *name)
{
  return g_strconcat (component, "\n", name, NULL);
}

static void
add_tables (CmgSnapshot *self,
            GPtrArray   *tables)
{
  for (guint i = 0; i < tables->len; i++)
    {
      CmgTable *table = g_ptr_array_index (tables, i);

      g_hash_table_insert (self->table_by_key,
                           table_key (cmg_table_get_component (table), cmg_table_get_name (table)),
                           table);
    }
  g_list_store_splice (self->tables, 0, 0, tables->pdata, tables->len);
}

/* ---- handles ---------------------------------------------------------------------------- */

static gboolean
stat_identity (int       fd,
               guint64  *size,
               gint64   *mtime_usec,
               ino_t    *inode)
{
  struct stat st;

  if (fstat (fd, &st) != 0)
    return FALSE;
  *size = (guint64) st.st_size;
  *mtime_usec = (gint64) st.st_mtim.tv_sec * G_USEC_PER_SEC + st.st_mtim.tv_nsec / 1000;
  *inode = st.st_ino;
  return TRUE;
}

static void
set_changed_error (CmgSnapshot  *self,
                   GError      **error)
{
  g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED,
               _("“%s” changed while it was being read. Wait until it is completely written, "
                 "then open it again."), self->path);
}

/* The end of a pass over an entry read through fd (ok: whether the pass succeeded). A file that
 * changed meanwhile fails the pass with CMG_SNAPSHOT_ERROR_CHANGED, also in place of the pass's own
 * error: a CRC mismatch on a file that changed under us is a change, not damage. */
static gboolean
finish_pass (CmgSnapshot  *self,
             int           fd,
             gboolean      ok,
             GError      **error)
{
  if (ok)
    return cmg_snapshot_check_unchanged (self, fd, error);
  if (error != NULL && *error != NULL
      && !g_error_matches (*error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CHANGED)
      && !cmg_snapshot_check_unchanged (self, fd, NULL))
    {
      g_clear_error (error);
      set_changed_error (self, error);
    }
  return FALSE;
}

/* Every reader opens its own descriptor and checks that the file is still the one opened. */
int
cmg_snapshot_open_fd (CmgSnapshot  *self,
                      GError      **error)
{
  guint64 size;
  gint64 mtime;
  ino_t inode;
  int fd = open (self->path, O_RDONLY | O_CLOEXEC);

  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, CMG_SNAPSHOT_ERROR,
                   saved == ENOENT ? CMG_SNAPSHOT_ERROR_NOT_FOUND : CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("“%s” could not be opened: %s"), self->path, g_strerror (saved));
      return -1;
    }
  if (!stat_identity (fd, &size, &mtime, &inode) || size != self->file_size
      || mtime != self->mtime_usec || inode != self->inode)
    {
      close (fd);
      set_changed_error (self, error);
      return -1;
    }
  return fd;
}

gboolean
cmg_snapshot_check_unchanged (CmgSnapshot  *self,
                              int           fd,
                              GError      **error)
{
  guint64 size;
  gint64 mtime;
  ino_t inode;
  struct stat st;

  /* Also compare the path: an export tool may replace the file by renaming a new one over it. */
  if (!stat_identity (fd, &size, &mtime, &inode) || size != self->file_size
      || mtime != self->mtime_usec || stat (self->path, &st) != 0 || st.st_ino != self->inode
      || (guint64) st.st_size != self->file_size)
    {
      set_changed_error (self, error);
      return FALSE;
    }
  return TRUE;
}

const CmgZipEntry *
cmg_snapshot_lookup_entry (CmgSnapshot *self,
                           const char  *entry_path)
{
  return g_hash_table_lookup (self->by_name, entry_path);
}

gboolean
cmg_snapshot_locate (CmgSnapshot        *self,
                     const char         *entry_path,
                     int                 fd,
                     CmgEntryLocation   *location,
                     GError            **error)
{
  const CmgZipEntry *entry = cmg_snapshot_lookup_entry (self, entry_path);

  if (entry == NULL)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE,
                   _("The archive has no “%s”."), entry_path);
      return FALSE;
    }
  location->fd = fd;
  location->entry = entry;
  if (self->kind != CMG_SNAPSHOT_KIND_ZIP)
    {
      location->data_offset = 0;
      location->check_crc = FALSE;
      return TRUE;
    }
  location->check_crc = TRUE;
  if (entry->encrypted)
    {
      /* Let the stream report it with its own message. */
      location->data_offset = 0;
      return TRUE;
    }
  return cmg_zip_entry_get_data_offset (entry, fd, self->file_size, &location->data_offset, error);
}

/* ---- opening ---------------------------------------------------------------------------- */

static void
add_suspicious (CmgSnapshot     *self,
                const char      *name,
                CmgEntryProblem  problem,
                char            *message)
{
  CmgSuspiciousEntry *s = g_new0 (CmgSuspiciousEntry, 1);

  s->name = g_strdup (name);
  s->problem = problem;
  s->message = message;
  g_ptr_array_add (self->suspicious, s);
}

static gboolean
name_is_unsafe (CmgSnapshot *self,
                const char  *name)
{
  g_auto(GStrv) parts = NULL;

  if (name[0] == '/' || name[0] == '\\' || strchr (name, '\\') != NULL
      || (g_ascii_isalpha (name[0]) && name[1] == ':'))
    {
      add_suspicious (self, name, CMG_ENTRY_PROBLEM_ABSOLUTE_PATH,
                      g_strdup_printf (_("“%s” is an absolute path; it is ignored and never "
                                         "extracted."), name));
      return TRUE;
    }
  parts = g_strsplit (name, "/", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    if (strcmp (parts[i], "..") == 0)
      {
        add_suspicious (self, name, CMG_ENTRY_PROBLEM_PARENT_REFERENCE,
                        g_strdup_printf (_("“%s” points outside the archive (“..”); it is ignored "
                                           "and never extracted."), name));
        return TRUE;
      }
  return FALSE;
}

typedef struct
{
  char       *component;
  const char *tables_entry;
  const char *storage_metadata;
} Level;

static void
level_free (Level *level)
{
  g_free (level->component);
  g_free (level);
}

static Level *
get_level (GHashTable *levels,
           const char *component)
{
  Level *level = g_hash_table_lookup (levels, component);

  if (level == NULL)
    {
      level = g_new0 (Level, 1);
      level->component = g_strdup (component);
      g_hash_table_insert (levels, level->component, level);
    }
  return level;
}

static gint
compare_tables (gconstpointer a,
                gconstpointer b,
                gpointer      user_data)
{
  /* g_ptr_array_sort passes pointers to the elements. */
  CmgTable *ta = *(CmgTable **) a, *tb = *(CmgTable **) b;
  int c = strcmp (cmg_table_get_component (ta), cmg_table_get_component (tb));

  if (c != 0)
    return c;
  return strcmp (cmg_table_get_name (ta), cmg_table_get_name (tb));
}

/* Reads a small whole entry with an open descriptor. */
static GBytes *
read_small_entry (CmgSnapshot   *self,
                  int            fd,
                  const char    *entry_path,
                  gsize          max_size,
                  GCancellable  *cancellable,
                  GError       **error);

/* _tables lines are read with the allocation-free scanner: an archive may list 10,000 tables
 * and opening must stay fast. */
typedef struct
{
  guint    depth;
  int      pending;  /* 1: the value of "name" comes next, 2: of "id" */
  char    *name;
  gint64   id;
} TablesLine;

static gboolean
tl_begin (gpointer user_data)
{
  TablesLine *tl = user_data;

  tl->pending = 0;
  tl->depth++;
  return TRUE;
}

static gboolean
tl_end (gpointer user_data)
{
  ((TablesLine *) user_data)->depth--;
  return TRUE;
}

static gboolean
tl_key (const char *raw,
        gsize       length,
        gboolean    has_escapes,
        gpointer    user_data)
{
  TablesLine *tl = user_data;

  tl->pending = 0;
  if (tl->depth == 1 && !has_escapes)
    {
      if (length == 4 && memcmp (raw, "name", 4) == 0)
        tl->pending = 1;
      else if (length == 2 && memcmp (raw, "id", 2) == 0)
        tl->pending = 2;
    }
  return TRUE;
}

static gboolean
tl_string (const char *raw,
           gsize       length,
           gboolean    has_escapes,
           gpointer    user_data)
{
  TablesLine *tl = user_data;

  if (tl->pending == 1 && tl->depth == 1)
    {
      g_free (tl->name);
      tl->name = has_escapes ? cmg_json_unescape (raw, length, NULL) : g_strndup (raw, length);
    }
  tl->pending = 0;
  return TRUE;
}

static gboolean
tl_integer (gint64   value,
            gpointer user_data)
{
  TablesLine *tl = user_data;

  if (tl->pending == 2 && tl->depth == 1)
    tl->id = value;
  tl->pending = 0;
  return TRUE;
}

static gboolean
tl_other (gpointer user_data)
{
  ((TablesLine *) user_data)->pending = 0;
  return TRUE;
}

static gboolean
tl_floating (double   value,
             gpointer user_data)
{
  return tl_other (user_data);
}

static gboolean
tl_boolean (gboolean value,
            gpointer user_data)
{
  return tl_other (user_data);
}

static const CmgJsonEvents tables_line_events = {
  .begin_object = tl_begin,
  .end_object = tl_end,
  .begin_array = tl_begin,
  .end_array = tl_end,
  .key = tl_key,
  .string = tl_string,
  .integer = tl_integer,
  .floating = tl_floating,
  .boolean = tl_boolean,
  .null = tl_other,
};

static gboolean
parse_tables_line (const char  *line,
                   gsize        length,
                   char       **name,
                   guint32     *number)
{
  TablesLine tl = { 0 };
  gboolean ok;

  ok = cmg_json_scan (line, length, TRUE, &tables_line_events, &tl, NULL, NULL)
       && tl.name != NULL && tl.id > 0 && tl.id <= G_MAXUINT32;
  if (ok)
    {
      *name = g_steal_pointer (&tl.name);
      *number = (guint32) tl.id;
    }
  g_free (tl.name);
  return ok;
}

static void
read_table_numbers (CmgSnapshot *self,
                    int          fd,
                    Level       *level)
{
  g_autoptr(GBytes) bytes = NULL;
  const char *data, *end, *line;
  gsize len = 0;

  /* A damaged _tables entry leaves numbers unknown (0); the checks report it. */
  bytes = read_small_entry (self, fd, level->tables_entry, TABLES_ENTRY_MAX, NULL, NULL);
  if (bytes == NULL)
    return;
  data = g_bytes_get_data (bytes, &len);
  end = data + len;
  for (line = data; line < end;)
    {
      const char *nl = memchr (line, '\n', (gsize) (end - line));
      const char *stop = nl != NULL ? nl : end;
      g_autofree char *name = NULL;
      guint32 number = 0;

      if (stop > line && parse_tables_line (line, (gsize) (stop - line), &name, &number))
        {
          CmgTable *table = cmg_snapshot_find_table (self, level->component, name);

          if (table != NULL)
            cmg_table_set_number (table, number);
        }
      line = stop + 1;
    }
}

CmgTableSchema
cmg_snapshot_read_schema (CmgSnapshot *self,
                          int          fd,
                          CmgTable    *table)
{
  const char *path = cmg_table_get_schema_entry_path (table);
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *text = NULL;

  if (path == NULL)
    return CMG_TABLE_SCHEMA_MISSING;
  bytes = read_small_entry (self, fd, path, SCHEMA_ENTRY_MAX, NULL, NULL);
  if (bytes == NULL)
    return CMG_TABLE_SCHEMA_LEGACY;
  text = g_strstrip (g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes)));
  return strcmp (text, "\"uniform\"") == 0 ? CMG_TABLE_SCHEMA_UNIFORM : CMG_TABLE_SCHEMA_LEGACY;
}

typedef struct
{
  GHashTable *by_id;
  JsonParser *parser;
} Attach;

static gboolean
attach_line (const char *line,
             gsize       length,
             gboolean    truncated,
             guint64     line_number,
             gpointer    user_data)
{
  Attach *attach = user_data;
  JsonObject *object;
  CmgStorageFile *f;
  const char *type;

  if (truncated || length == 0 || !json_parser_load_from_data (attach->parser, line, (gssize) length, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (attach->parser)))
    return TRUE;
  object = json_node_get_object (json_parser_get_root (attach->parser));
  f = g_hash_table_lookup (attach->by_id,
                           json_object_get_string_member_with_default (object, "_id", ""));
  if (f == NULL || f->metadata != NULL)
    return TRUE;
  f->metadata = g_strndup (line, length);
  type = json_object_get_string_member_with_default (object, "contentType", NULL);
  if (type != NULL)
    {
      g_free (f->content_type);
      f->content_type = g_strdup (type);
    }
  return TRUE;
}

/* Gives each storage file of the level its line of _storage/documents.jsonl. */
static gboolean
attach_storage_metadata (CmgSnapshot   *self,
                         int            fd,
                         const char    *component,
                         const char    *metadata_entry,
                         GCancellable  *cancellable,
                         GError       **error)
{
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  Attach attach = { by_id, parser };
  CmgEntryLocation loc;

  for (guint i = 0; i < self->storage->len; i++)
    {
      CmgStorageFile *f = g_ptr_array_index (self->storage, i);

      if (strcmp (f->component, component) == 0)
        g_hash_table_insert (by_id, f->storage_id, f);
    }
  if (g_hash_table_size (by_id) == 0)
    return TRUE;

  return cmg_snapshot_locate (self, metadata_entry, fd, &loc, error)
         && cmg_entry_stream_lines (&loc, NULL, 0, NULL, attach_line, &attach, NULL, NULL,
                                    cancellable, error);
}

gboolean
cmg_snapshot_load_storage_metadata (CmgSnapshot   *self,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  gboolean ok = TRUE;
  int fd;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);

  if (self->storage_metadata_pending->len == 0)
    return TRUE;
  fd = cmg_snapshot_open_fd (self, error);
  if (fd < 0)
    return FALSE;
  for (guint i = 0; ok && i + 1 < self->storage_metadata_pending->len; i += 2)
    ok = attach_storage_metadata (self, fd, g_ptr_array_index (self->storage_metadata_pending, i),
                                  g_ptr_array_index (self->storage_metadata_pending, i + 1),
                                  cancellable, error);
  close (fd);
  if (ok)
    g_ptr_array_set_size (self->storage_metadata_pending, 0);
  return ok;
}

static gboolean
classify_entries (CmgSnapshot *self,
                  const char  *prefix,
                  GHashTable  *levels,
                  GPtrArray   *tables)
{
  gsize prefix_len = strlen (prefix);
  g_autoptr(GHashTable) schema_paths = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) table_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < self->entries->len; i++)
    {
      CmgZipEntry *entry = g_ptr_array_index (self->entries, i);
      const char *rest = entry->name;
      g_autoptr(GString) component = g_string_new ("");
      const char *slash;
      g_autofree char *folder = NULL;
      const char *file;
      g_autofree char *key = NULL;

      if (g_hash_table_lookup (self->by_name, entry->name) != entry)
        continue;  /* duplicate or unsafe */
      if (strncmp (rest, prefix, prefix_len) != 0)
        continue;
      rest += prefix_len;
      if (strcmp (rest, "README.md") == 0)
        {
          self->has_readme = TRUE;
          continue;
        }

      /* _components/<a>/_components/<b>/… → component "a/b" */
      while (g_str_has_prefix (rest, "_components/") && (slash = strchr (rest + 12, '/')) != NULL)
        {
          if (component->len > 0)
            g_string_append_c (component, '/');
          g_string_append_len (component, rest + 12, slash - (rest + 12));
          rest = slash + 1;
        }

      slash = strchr (rest, '/');
      if (slash == NULL || slash == rest)
        continue;
      file = slash + 1;
      if (*file == '\0' || strchr (file, '/') != NULL)
        continue;
      folder = g_strndup (rest, (gsize) (slash - rest));

      if (strcmp (folder, "_tables") == 0)
        {
          if (strcmp (file, "documents.jsonl") == 0)
            get_level (levels, component->str)->tables_entry = entry->name;
          continue;
        }
      if (strcmp (folder, "_storage") == 0)
        {
          if (strcmp (file, "documents.jsonl") == 0)
            get_level (levels, component->str)->storage_metadata = entry->name;
          else
            {
              CmgStorageFile *f = g_new0 (CmgStorageFile, 1);
              const char *dot = strchr (file, '.');
              g_autofree char *guessed = g_content_type_guess (file, NULL, 0, NULL);

              f->component = g_strdup (component->str);
              f->entry_path = g_strdup (entry->name);
              f->storage_id = dot != NULL ? g_strndup (file, (gsize) (dot - file)) : g_strdup (file);
              f->size = entry->uncompressed_size;
              f->compressed_size = entry->compressed_size;
              f->content_type = g_content_type_get_mime_type (guessed);
              if (f->content_type == NULL)
                f->content_type = g_strdup ("application/octet-stream");
              self->storage_bytes += f->size;
              g_ptr_array_add (self->storage, f);
              get_level (levels, component->str);
            }
          continue;
        }
      if (folder[0] == '_')
        continue;  /* other system tables: the importer ignores them too */

      key = g_strconcat (component->str, ":", folder, NULL);
      if (strcmp (file, "documents.jsonl") == 0)
        {
          CmgTable *table;

          if (g_hash_table_contains (table_keys, key))
            continue;
          table = cmg_table_new (folder, component->str, entry->name, entry->uncompressed_size,
                                 entry->compressed_size);
          g_ptr_array_add (tables, table);
          g_hash_table_add (table_keys, g_steal_pointer (&key));
          get_level (levels, component->str);
        }
      else if (strcmp (file, "generated_schema.jsonl") == 0)
        g_hash_table_insert (schema_paths, g_steal_pointer (&key), entry->name);
    }

  for (guint i = 0; i < tables->len; i++)
    {
      CmgTable *table = g_ptr_array_index (tables, i);
      g_autofree char *key = g_strconcat (cmg_table_get_component (table), ":",
                                          cmg_table_get_name (table), NULL);
      const char *schema = g_hash_table_lookup (schema_paths, key);

      cmg_table_set_schema_entry_path (table, schema);
      if (schema == NULL)
        cmg_table_set_schema (table, CMG_TABLE_SCHEMA_MISSING);
    }

  return tables->len > 0 || g_hash_table_size (levels) > 0 || self->has_readme;
}

/* An export unzipped and zipped again often gains one leading folder; the importer accepts
 * tables under any leading folder, so do the same when the root holds nothing. */
static char *
common_leading_folder (CmgSnapshot *self)
{
  const char *first;
  const char *slash;
  gsize len;

  if (self->entries->len == 0)
    return NULL;
  first = ((CmgZipEntry *) g_ptr_array_index (self->entries, 0))->name;
  slash = strchr (first, '/');
  if (slash == NULL)
    return NULL;
  len = (gsize) (slash - first) + 1;
  for (guint i = 1; i < self->entries->len; i++)
    if (strncmp (((CmgZipEntry *) g_ptr_array_index (self->entries, i))->name, first, len) != 0)
      return NULL;
  return g_strndup (first, len);
}

static gboolean
open_zip (CmgSnapshot  *self,
          int           fd,
          GError      **error)
{
  g_autoptr(GHashTable) levels = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                        (GDestroyNotify) level_free);
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_object_unref);
  GHashTableIter iter;
  Level *level;

  self->entries = cmg_zip_read_directory (fd, self->file_size, error);
  if (self->entries == NULL)
    return FALSE;

  for (guint i = 0; i < self->entries->len; i++)
    {
      CmgZipEntry *entry = g_ptr_array_index (self->entries, i);

      g_ptr_array_add (self->entry_names, entry->name);
      if (!entry->name_was_utf8)
        add_suspicious (self, entry->name, CMG_ENTRY_PROBLEM_NON_UTF8_NAME,
                        g_strdup_printf (_("“%s” has a name that is not valid UTF-8."),
                                         entry->name));
      if (entry->encrypted)
        add_suspicious (self, entry->name, CMG_ENTRY_PROBLEM_ENCRYPTED,
                        g_strdup_printf (_("“%s” is encrypted and cannot be read."), entry->name));
      else if (entry->method != 0 && entry->method != 8)
        add_suspicious (self, entry->name, CMG_ENTRY_PROBLEM_UNSUPPORTED_METHOD,
                        g_strdup_printf (_("“%s” uses an unsupported compression method (%u)."),
                                         entry->name, entry->method));
      if (name_is_unsafe (self, entry->name))
        continue;
      if (g_hash_table_contains (self->by_name, entry->name))
        {
          add_suspicious (self, entry->name, CMG_ENTRY_PROBLEM_DUPLICATE_NAME,
                          g_strdup_printf (_("“%s” appears more than once in the archive; only "
                                             "the first copy is read."), entry->name));
          continue;
        }
      g_hash_table_insert (self->by_name, entry->name, entry);
    }

  if (!classify_entries (self, "", levels, tables))
    {
      g_autofree char *prefix = common_leading_folder (self);

      if (prefix != NULL)
        classify_entries (self, prefix, levels, tables);
    }

  g_ptr_array_sort_with_data (tables, (GCompareDataFunc) compare_tables, NULL);
  add_tables (self, tables);

  g_hash_table_iter_init (&iter, levels);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &level))
    {
      if (level->tables_entry != NULL)
        read_table_numbers (self, fd, level);
      if (level->storage_metadata == NULL)
        continue;
      /* A small metadata entry is read now; a large one only on request. */
      if (cmg_snapshot_get_entry_size (self, level->storage_metadata) > STORAGE_METADATA_AT_OPEN
          || !attach_storage_metadata (self, fd, level->component, level->storage_metadata, NULL,
                                       NULL))
        {
          g_ptr_array_add (self->storage_metadata_pending, g_strdup (level->component));
          g_ptr_array_add (self->storage_metadata_pending, g_strdup (level->storage_metadata));
        }
    }

  if (tables->len <= SCHEMA_AT_OPEN_MAX_TABLES)
    for (guint i = 0; i < tables->len; i++)
      {
        CmgTable *table = g_ptr_array_index (tables, i);

        if (cmg_table_get_schema (table) == CMG_TABLE_SCHEMA_UNKNOWN)
          cmg_table_set_schema (table, cmg_snapshot_read_schema (self, fd, table));
      }

  return TRUE;
}

static gboolean
looks_like_text (const guint8 *data,
                 gsize         len)
{
  for (gsize i = 0; i < len; i++)
    if (data[i] == 0)
      return FALSE;
  return TRUE;
}

static gboolean
open_single (CmgSnapshot   *self,
             const guint8  *head,
             gsize          head_len,
             GError       **error)
{
  g_autofree char *basename = g_path_get_basename (self->path);
  g_autofree char *lower = g_ascii_strdown (basename, -1);
  g_autofree char *table_name = NULL;
  CmgZipEntry *entry;
  const char *dot;
  gsize i = 0;
  g_autoptr(CmgTable) table = NULL;

  /* Skip a BOM and white space: the content decides, the extension only breaks ties. */
  if (head_len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  while (i < head_len && g_ascii_isspace (head[i]))
    i++;

  if (!looks_like_text (head, head_len))
    goto not_an_archive;
  if (i < head_len && head[i] == '[')
    self->kind = CMG_SNAPSHOT_KIND_JSON;
  else if (i < head_len && head[i] == '{')
    self->kind = CMG_SNAPSHOT_KIND_JSONL;
  else if (g_str_has_suffix (lower, ".csv") && head_len > 0)
    self->kind = CMG_SNAPSHOT_KIND_CSV;
  else if (i == head_len && g_str_has_suffix (lower, ".jsonl"))
    self->kind = CMG_SNAPSHOT_KIND_JSONL;
  else if (i == head_len && g_str_has_suffix (lower, ".json"))
    self->kind = CMG_SNAPSHOT_KIND_JSON;
  else
    goto not_an_archive;

  dot = strrchr (basename, '.');
  table_name = dot != NULL && dot != basename ? g_strndup (basename, (gsize) (dot - basename))
                                              : g_strdup (basename);

  entry = g_new0 (CmgZipEntry, 1);
  entry->name = g_strdup (basename);
  entry->raw_name = g_strdup (basename);
  entry->name_was_utf8 = TRUE;
  entry->method = 0;
  entry->compressed_size = self->file_size;
  entry->uncompressed_size = self->file_size;
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) cmg_zip_entry_free);
  g_ptr_array_add (self->entries, entry);
  g_ptr_array_add (self->entry_names, entry->name);
  g_hash_table_insert (self->by_name, entry->name, entry);

  self->json_too_large = self->kind == CMG_SNAPSHOT_KIND_JSON
                         && self->file_size > CMG_SNAPSHOT_CLI_JSON_LIMIT;

  table = cmg_table_new (table_name, "", entry->name, self->file_size, self->file_size);
  /* Single files carry no schema: the CLI imports them as they are. */
  cmg_table_set_schema (table, CMG_TABLE_SCHEMA_MISSING);
  {
    g_autoptr(GPtrArray) one = g_ptr_array_new ();
    g_ptr_array_add (one, table);
    add_tables (self, one);
  }
  return TRUE;

not_an_archive:
  g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE,
               _("“%s” is neither a Convex export (a ZIP archive) nor a JSONL, JSON or CSV file."),
               basename);
  return FALSE;
}

CmgSnapshot *
cmg_snapshot_open (GFile   *file,
                   GError **error)
{
  g_autoptr(CmgSnapshot) self = NULL;
  guint8 head[4096];
  gssize head_len;
  int fd;
  gboolean ok;

  g_return_val_if_fail (G_IS_FILE (file), NULL);

  self = g_object_new (CMG_TYPE_SNAPSHOT, NULL);
  self->file = g_object_ref (file);
  self->path = g_file_get_path (file);
  if (self->path == NULL)
    {
      g_autofree char *uri = g_file_get_uri (file);
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("“%s” is not a local file; copy it to this computer first."), uri);
      return NULL;
    }

  fd = open (self->path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int saved = errno;
      g_set_error (error, CMG_SNAPSHOT_ERROR,
                   saved == ENOENT ? CMG_SNAPSHOT_ERROR_NOT_FOUND : CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("“%s” could not be opened: %s"), self->path, g_strerror (saved));
      return NULL;
    }
  if (!stat_identity (fd, &self->file_size, &self->mtime_usec, &self->inode))
    {
      int saved = errno;
      close (fd);
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("“%s” could not be read: %s"), self->path, g_strerror (saved));
      return NULL;
    }
  {
    struct stat st;
    if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode))
      {
        close (fd);
        g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NOT_AN_ARCHIVE,
                     _("“%s” is a folder; choose the export’s ZIP file."), self->path);
        return NULL;
      }
  }

  head_len = cmg_zip_pread_full (fd, head, sizeof head, 0);
  if (head_len < 0)
    {
      int saved = errno;
      close (fd);
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_UNREADABLE,
                   _("“%s” could not be read: %s"), self->path, g_strerror (saved));
      return NULL;
    }

  if (head_len >= 4 && head[0] == 'P' && head[1] == 'K'
      && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)
          || (head[2] == 7 && head[3] == 8)))
    {
      self->kind = CMG_SNAPSHOT_KIND_ZIP;
      ok = open_zip (self, fd, error);
    }
  else
    ok = open_single (self, head, (gsize) head_len, error);

  if (ok && !cmg_snapshot_check_unchanged (self, fd, error))
    ok = FALSE;
  close (fd);
  if (!ok)
    return NULL;

  return g_steal_pointer (&self);
}

/* ---- accessors -------------------------------------------------------------------------- */

GFile *
cmg_snapshot_get_file (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  return self->file;
}

const char *
cmg_snapshot_get_path (CmgSnapshot *self)
{
  return self->path;
}

void
cmg_snapshot_get_identity (CmgSnapshot *self,
                           guint64     *file_size,
                           gint64      *mtime_usec)
{
  *file_size = self->file_size;
  *mtime_usec = self->mtime_usec;
}

CmgSnapshotKind
cmg_snapshot_get_kind (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), CMG_SNAPSHOT_KIND_ZIP);
  return self->kind;
}

GListModel *
cmg_snapshot_get_tables (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  return G_LIST_MODEL (self->tables);
}

gboolean
cmg_snapshot_has_readme (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);
  return self->has_readme;
}

gboolean
cmg_snapshot_exceeds_cli_json_limit (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);
  return self->json_too_large;
}

GPtrArray *
cmg_snapshot_get_suspicious_entries (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  return self->suspicious;
}

GPtrArray *
cmg_snapshot_get_storage_files (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  return self->storage;
}

guint64
cmg_snapshot_get_storage_bytes (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), 0);
  return self->storage_bytes;
}

GPtrArray *
cmg_snapshot_get_entry_names (CmgSnapshot *self)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  return self->entry_names;
}

gboolean
cmg_snapshot_has_entry (CmgSnapshot *self,
                        const char  *entry_path)
{
  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);
  return cmg_snapshot_lookup_entry (self, entry_path) != NULL;
}

gint64
cmg_snapshot_get_entry_size (CmgSnapshot *self,
                             const char  *entry_path)
{
  const CmgZipEntry *entry;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), -1);
  entry = cmg_snapshot_lookup_entry (self, entry_path);
  return entry != NULL ? (gint64) entry->uncompressed_size : -1;
}

CmgTable *
cmg_snapshot_find_table (CmgSnapshot *self,
                         const char  *component,
                         const char  *name)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);
  key = table_key (component != NULL ? component : "", name);
  return g_hash_table_lookup (self->table_by_key, key);
}

/* ---- reading ---------------------------------------------------------------------------- */

typedef struct
{
  GByteArray *data;
  gsize       max_size;
  gboolean    truncated;
} WholeEntry;

static gboolean
collect_line (const char *line,
              gsize       length,
              gboolean    truncated,
              guint64     line_number,
              gpointer    user_data)
{
  WholeEntry *whole = user_data;

  whole->truncated |= truncated;
  g_byte_array_append (whole->data, (const guint8 *) line, (guint) length);
  g_byte_array_append (whole->data, (const guint8 *) "\n", 1);
  return TRUE;
}

static GBytes *
read_small_entry (CmgSnapshot   *self,
                  int            fd,
                  const char    *entry_path,
                  gsize          max_size,
                  GCancellable  *cancellable,
                  GError       **error)
{
  CmgEntryLocation loc;
  WholeEntry whole = { 0 };
  g_autoptr(GByteArray) data = NULL;

  if (!cmg_snapshot_locate (self, entry_path, fd, &loc, error))
    return NULL;
  if (loc.entry->uncompressed_size > max_size)
    {
      g_autofree char *limit = g_format_size (max_size);
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_TOO_LARGE,
                   _("“%s” is larger than %s and is not read whole."), entry_path, limit);
      return NULL;
    }

  data = g_byte_array_sized_new ((guint) loc.entry->uncompressed_size + 1);
  whole.data = data;
  whole.max_size = max_size;
  if (!cmg_entry_stream_lines (&loc, NULL, 0, NULL, collect_line, &whole, NULL, NULL,
                               cancellable, error))
    return NULL;
  if (whole.truncated)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_TOO_LARGE,
                   _("“%s” has a line longer than can be read whole."), entry_path);
      return NULL;
    }
  /* Lines come back without their '\n'; the declared size says whether the last had one. */
  if (data->len > loc.entry->uncompressed_size)
    g_byte_array_set_size (data, (guint) loc.entry->uncompressed_size);
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

GBytes *
cmg_snapshot_read_entry (CmgSnapshot   *self,
                         const char    *entry_path,
                         gsize          max_size,
                         GCancellable  *cancellable,
                         GError       **error)
{
  GBytes *bytes;
  int fd;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), NULL);
  g_return_val_if_fail (entry_path != NULL, NULL);

  fd = cmg_snapshot_open_fd (self, error);
  if (fd < 0)
    return NULL;
  bytes = read_small_entry (self, fd, entry_path, max_size, cancellable, error);
  if (bytes != NULL && !cmg_snapshot_check_unchanged (self, fd, error))
    g_clear_pointer (&bytes, g_bytes_unref);
  close (fd);
  return bytes;
}

/* JSON arrays are handed out as one element per line, so that every reader (counting, checks,
 * search, rows) sees the same shape as JSONL. */
JsonArray *
cmg_snapshot_get_json_array (CmgSnapshot  *self,
                             GError      **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonArray *array = NULL;

  g_mutex_lock (&self->json_lock);
  if (self->json_root == NULL)
    {
      if (self->file_size > JSON_SOURCE_MAX)
        {
          g_autofree char *limit = g_format_size (JSON_SOURCE_MAX);
          g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_TOO_LARGE,
                       _("This JSON file is larger than %s; convert it to JSONL (one document a "
                         "line) to read it."), limit);
          goto out;
        }
      parser = json_parser_new_immutable ();
      if (!json_parser_load_from_mapped_file (parser, self->path, &local_error))
        {
          g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                       _("This JSON file could not be parsed: %s"), local_error->message);
          goto out;
        }
      if (!JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
        {
          g_set_error_literal (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_CORRUPT,
                               _("This JSON file does not hold an array of documents."));
          goto out;
        }
      self->json_root = json_node_ref (json_parser_get_root (parser));
    }
  array = json_node_get_array (self->json_root);
out:
  g_mutex_unlock (&self->json_lock);
  return array;
}

static gboolean
read_json_lines (CmgSnapshot   *self,
                 guint64        first,
                 CmgLineFunc    func,
                 gpointer       user_data,
                 guint64       *progress_bytes,
                 GCancellable  *cancellable,
                 GError       **error)
{
  JsonArray *array = cmg_snapshot_get_json_array (self, error);
  guint n;

  if (array == NULL)
    return FALSE;
  n = json_array_get_length (array);
  for (guint i = (guint) MIN (first, (guint64) n); i < n; i++)
    {
      g_autofree char *text = NULL;
      gsize len;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
      text = json_to_string (json_array_get_element (array, i), FALSE);
      len = strlen (text);
      if (progress_bytes != NULL)
        __atomic_fetch_add (progress_bytes, (guint64) len + 1, __ATOMIC_RELAXED);
      if (!func (text, MIN (len, (gsize) CMG_SNAPSHOT_MAX_LINE), len > CMG_SNAPSHOT_MAX_LINE,
                 (guint64) i + 1, user_data))
        break;
    }
  return TRUE;
}

gboolean
cmg_snapshot_read_lines (CmgSnapshot   *self,
                         const char    *entry_path,
                         CmgLineFunc    func,
                         gpointer       user_data,
                         guint64       *progress_bytes,
                         GCancellable  *cancellable,
                         GError       **error)
{
  CmgEntryLocation loc;
  gboolean ok;
  int fd;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);
  g_return_val_if_fail (entry_path != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (self->kind == CMG_SNAPSHOT_KIND_JSON && cmg_snapshot_lookup_entry (self, entry_path) != NULL)
    return read_json_lines (self, 0, func, user_data, progress_bytes, cancellable, error);

  fd = cmg_snapshot_open_fd (self, error);
  if (fd < 0)
    return FALSE;
  ok = cmg_snapshot_locate (self, entry_path, fd, &loc, error)
       && cmg_entry_stream_lines (&loc, NULL, 0, NULL, func, user_data, progress_bytes, NULL,
                                  cancellable, error);
  ok = finish_pass (self, fd, ok, error);
  close (fd);
  return ok;
}

/* ---- counting and rows ------------------------------------------------------------------ */

char *
cmg_snapshot_make_index_key (CmgSnapshot       *self,
                             const CmgZipEntry *entry)
{
  return cmg_seek_index_make_key (self->path, self->file_size, self->mtime_usec, entry->name,
                                  entry->crc32, entry->compressed_size, entry->uncompressed_size);
}

static gint64
documents_from_lines (CmgSnapshot *self,
                      guint64      n_lines)
{
  /* A CSV's first line is its header. */
  if (self->kind == CMG_SNAPSHOT_KIND_CSV)
    return n_lines > 0 ? (gint64) n_lines - 1 : 0;
  return (gint64) n_lines;
}

CmgSeekIndex *
cmg_snapshot_ensure_index (CmgSnapshot   *self,
                           CmgTable      *table,
                           guint64       *progress_bytes,
                           GCancellable  *cancellable,
                           GError       **error)
{
  g_autoptr(CmgSeekIndex) index = cmg_table_dup_index (table);
  g_autoptr(GError) save_error = NULL;
  g_autofree char *key = NULL;
  const CmgZipEntry *entry;
  CmgEntryLocation loc;
  int fd;
  gboolean ok;

  if (index != NULL)
    return g_steal_pointer (&index);

  entry = cmg_snapshot_lookup_entry (self, cmg_table_get_entry_path (table));
  if (entry == NULL)
    {
      g_set_error (error, CMG_SNAPSHOT_ERROR, CMG_SNAPSHOT_ERROR_NO_SUCH_TABLE,
                   _("The archive has no table “%s”."), cmg_table_get_name (table));
      return NULL;
    }

  if (self->kind == CMG_SNAPSHOT_KIND_JSON)
    {
      JsonArray *array = cmg_snapshot_get_json_array (self, error);

      if (array == NULL)
        return NULL;
      index = cmg_seek_index_new ();
      index->uncompressed_size = entry->uncompressed_size;
      index->n_lines = json_array_get_length (array);
      if (progress_bytes != NULL)
        __atomic_fetch_add (progress_bytes, entry->uncompressed_size, __ATOMIC_RELAXED);
      cmg_table_set_index (table, index);
      cmg_table_set_documents (table, (gint64) index->n_lines);
      return g_steal_pointer (&index);
    }

  key = cmg_snapshot_make_index_key (self, entry);
  fd = cmg_snapshot_open_fd (self, error);
  if (fd < 0)
    return NULL;

  if (cmg_table_get_schema (table) == CMG_TABLE_SCHEMA_UNKNOWN)
    cmg_table_set_schema (table, cmg_snapshot_read_schema (self, fd, table));

  index = cmg_seek_index_load (key);
  if (index != NULL && index->uncompressed_size == entry->uncompressed_size
      && (self->kind != CMG_SNAPSHOT_KIND_ZIP || index->crc32 == entry->crc32))
    {
      close (fd);
      if (progress_bytes != NULL)
        __atomic_fetch_add (progress_bytes, entry->uncompressed_size, __ATOMIC_RELAXED);
      cmg_table_set_index (table, index);
      cmg_table_set_documents (table, documents_from_lines (self, index->n_lines));
      return g_steal_pointer (&index);
    }
  g_clear_pointer (&index, cmg_seek_index_unref);

  index = cmg_seek_index_new ();
  ok = cmg_snapshot_locate (self, entry->name, fd, &loc, error)
       && cmg_entry_stream_lines (&loc, NULL, 0, index, NULL, NULL, progress_bytes, NULL,
                                  cancellable, error);
  ok = finish_pass (self, fd, ok, error);
  close (fd);
  if (!ok)
    return NULL;

  /* The cache only saves time: failing to write it is not an error of counting. */
  if (!cmg_seek_index_save (index, key, &save_error))
    g_debug ("Index of %s not cached: %s", entry->name, save_error->message);

  cmg_table_set_index (table, index);
  cmg_table_set_documents (table, documents_from_lines (self, index->n_lines));
  return g_steal_pointer (&index);
}

gint64
cmg_snapshot_count_table (CmgSnapshot   *self,
                          CmgTable      *table,
                          guint64       *progress_bytes,
                          GCancellable  *cancellable,
                          GError       **error)
{
  g_autoptr(CmgSeekIndex) index = NULL;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), -1);
  g_return_val_if_fail (CMG_IS_TABLE (table), -1);

  index = cmg_snapshot_ensure_index (self, table, progress_bytes, cancellable, error);
  if (index == NULL)
    return -1;
  return documents_from_lines (self, index->n_lines);
}

gboolean
cmg_snapshot_read_table_rows (CmgSnapshot   *self,
                              CmgTable      *table,
                              guint64        first_row,
                              CmgLineFunc    func,
                              gpointer       user_data,
                              GCancellable  *cancellable,
                              GError       **error)
{
  g_autoptr(CmgSeekIndex) index = NULL;
  CmgEntryLocation loc;
  guint64 first_line;
  gboolean ok;
  int fd;

  g_return_val_if_fail (CMG_IS_SNAPSHOT (self), FALSE);
  g_return_val_if_fail (CMG_IS_TABLE (table), FALSE);

  index = cmg_snapshot_ensure_index (self, table, NULL, cancellable, error);
  if (index == NULL)
    return FALSE;

  if (self->kind == CMG_SNAPSHOT_KIND_JSON)
    return read_json_lines (self, first_row, func, user_data, NULL, cancellable, error);

  first_line = self->kind == CMG_SNAPSHOT_KIND_CSV ? first_row + 1 : first_row;
  if (first_line >= index->n_lines)
    return TRUE;

  fd = cmg_snapshot_open_fd (self, error);
  if (fd < 0)
    return FALSE;
  ok = cmg_snapshot_locate (self, cmg_table_get_entry_path (table), fd, &loc, error)
       && cmg_entry_stream_lines (&loc, index, first_line, NULL, func, user_data, NULL, NULL,
                                  cancellable, error);
  close (fd);
  return ok;
}
