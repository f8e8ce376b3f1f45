/* cmg-test-server.c: the HTTP and WebSocket side of the local test deployment
 *
 * Speaks the private import/export protocol of the Convex CLI (convex-facts
 * §5): plain HTTP for uploads, requests and downloads, and the sync WebSocket
 * on which the CLI subscribes to the progress of imports and exports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "cmg-test-server.h"
#include "cmg-test-store.h"

/* Table numbers of the system tables that hold import and export documents;
 * only used to make their _id values look like real Ids. */
#define IMPORTS_TABLE_NUMBER 31
#define EXPORTS_TABLE_NUMBER 32
#define PING_INTERVAL_SECONDS 15

typedef enum
{
  IMPORT_UPLOADED,
  IMPORT_WAITING,
  IMPORT_IN_PROGRESS,
  IMPORT_COMPLETED,
  IMPORT_FAILED,
} ImportState;

typedef struct
{
  CmgTestServer *server;
  char *id;
  char *creation_time;
  ImportState state;
  CmgTestImportMode mode;
  CmgTestFormat format;
  char *component;
  char *table;
  GBytes *data;
  CmgTestImportSet *set;
  char *message_to_confirm;
  gboolean require_confirmation;
  char *error_message;
  GPtrArray *checkpoints;
  guint checkpoints_shown;
  gint64 rows_written;
  gint64 completed_ts;
  guint timeout_id;
} ImportJob;

typedef enum
{
  EXPORT_NONE,
  EXPORT_REQUESTED,
  EXPORT_IN_PROGRESS,
  EXPORT_COMPLETED,
  EXPORT_FAILED,
} ExportState;

typedef struct
{
  int query_id;
  char *udf_path;
  char *component;
  JsonNode *args;
  char *last_value;
} SyncQuery;

typedef struct
{
  CmgTestServer *server;
  SoupWebsocketConnection *ws;
  guint query_set;
  guint identity;
  guint sent_query_set;
  guint sent_identity;
  guint64 sent_ts;
  gboolean authenticated;
  GHashTable *queries;
  GArray *removed;
  guint ping_id;
} SyncClient;

struct _CmgTestServer
{
  GObject parent_instance;

  char *name;
  char *admin_key;
  char *version;
  char *fail_import;
  gboolean reject_key;
  gboolean slow;

  SoupServer *soup;
  CmgTestStore *store;
  guint64 last_ts;
  guint next_token;

  GHashTable *uploads;
  GHashTable *imports;
  GPtrArray *import_order;
  GPtrArray *clients;

  ExportState export_state;
  char *export_id;
  char *export_creation_time;
  gboolean export_include_storage;
  gint64 export_start_ts;
  gint64 export_complete_ts;
  guint export_timeout_id;
  GHashTable *export_files;
};

G_DEFINE_FINAL_TYPE (CmgTestServer, cmg_test_server, G_TYPE_OBJECT)

static void notify_clients (CmgTestServer *self);

static guint
step_interval (CmgTestServer *self)
{
  return self->slow ? 1000 : 40;
}

/* Server timestamps in nanoseconds: they never go backwards. */
static gint64
next_ts (CmgTestServer *self)
{
  guint64 now = (guint64) g_get_real_time () * 1000;

  self->last_ts = MAX (self->last_ts + 1, now);
  return (gint64) self->last_ts;
}

static char *
u64_base64 (guint64 value)
{
  guint8 bytes[8];

  for (guint i = 0; i < 8; i++)
    bytes[i] = (value >> (8 * i)) & 0xff;
  return g_base64_encode (bytes, sizeof bytes);
}

/* Int64 in the wire encoding (convex_encoded_json). */
static void
append_int64 (GString *out,
              gint64   value)
{
  g_autofree char *encoded = u64_base64 ((guint64) value);

  g_string_append_printf (out, "{\"$integer\":\"%s\"}", encoded);
}

static void
append_string (GString    *out,
               const char *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_autofree char *encoded = json_to_string (node, FALSE);

  g_string_append (out, encoded);
}

static char *
creation_time_now (void)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (buf, sizeof buf, "%.3f", (double) g_get_real_time () / 1000.0);
  return g_strdup (buf);
}

static void
import_job_free (gpointer data)
{
  ImportJob *job = data;

  g_clear_handle_id (&job->timeout_id, g_source_remove);
  g_free (job->id);
  g_free (job->creation_time);
  g_free (job->component);
  g_free (job->table);
  g_clear_pointer (&job->data, g_bytes_unref);
  g_clear_pointer (&job->set, cmg_test_import_set_free);
  g_free (job->message_to_confirm);
  g_free (job->error_message);
  g_clear_pointer (&job->checkpoints, g_ptr_array_unref);
  g_free (job);
}

static char *
import_job_to_json (ImportJob *job)
{
  GString *out = g_string_new ("{\"_creationTime\":");

  g_string_append (out, job->creation_time);
  g_string_append (out, ",\"_id\":");
  append_string (out, job->id);
  g_string_append (out, ",\"state\":{\"state\":");
  switch (job->state)
    {
    case IMPORT_UPLOADED:
      g_string_append (out, "\"uploaded\"");
      break;
    case IMPORT_WAITING:
      g_string_append (out, "\"waiting_for_confirmation\",\"message_to_confirm\":");
      append_string (out, job->message_to_confirm);
      g_string_append_printf (out, ",\"require_manual_confirmation\":%s",
                              job->require_confirmation ? "true" : "false");
      break;
    case IMPORT_IN_PROGRESS:
      g_string_append (out, "\"in_progress\",\"progress_message\":");
      if (job->checkpoints != NULL && job->checkpoints_shown < job->checkpoints->len)
        {
          /* "Imported \"t\" (…)" → "Importing \"t\"" for the table in progress. */
          const char *next = g_ptr_array_index (job->checkpoints, job->checkpoints_shown);
          const char *quote = strchr (next, '"');
          const char *end = quote != NULL ? strchr (quote + 1, '"') : NULL;
          g_autofree char *progress = end != NULL
            ? g_strdup_printf ("Importing %.*s", (int) (end - quote + 1), quote)
            : g_strdup ("Importing");

          append_string (out, progress);
        }
      else
        append_string (out, "Importing");
      g_string_append (out, ",\"checkpoint_messages\":[");
      for (guint i = 0; job->checkpoints != NULL && i < job->checkpoints_shown; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          append_string (out, g_ptr_array_index (job->checkpoints, i));
        }
      g_string_append_c (out, ']');
      break;
    case IMPORT_COMPLETED:
      g_string_append (out, "\"completed\",\"timestamp\":");
      append_int64 (out, job->completed_ts);
      g_string_append (out, ",\"num_rows_written\":");
      append_int64 (out, job->rows_written);
      break;
    case IMPORT_FAILED:
    default:
      g_string_append (out, "\"failed\",\"error_message\":");
      append_string (out, job->error_message);
      break;
    }
  g_string_append (out, "}}");
  return g_string_free (out, FALSE);
}

static char *
export_to_json (CmgTestServer *self)
{
  GString *out;
  static const char *names[] = { NULL, "requested", "in_progress", "completed", "failed" };

  if (self->export_state == EXPORT_NONE)
    return g_strdup ("null");

  out = g_string_new ("{\"_creationTime\":");
  g_string_append (out, self->export_creation_time);
  g_string_append (out, ",\"_id\":");
  append_string (out, self->export_id);
  g_string_append_printf (out, ",\"format\":{\"format\":\"zip\",\"include_storage\":%s}",
                          self->export_include_storage ? "true" : "false");
  g_string_append (out, ",\"requestor\":\"snapshotExport\",\"state\":");
  append_string (out, names[self->export_state]);
  if (self->export_state == EXPORT_COMPLETED)
    {
      g_string_append (out, ",\"start_ts\":");
      append_int64 (out, self->export_start_ts);
      g_string_append (out, ",\"complete_ts\":");
      append_int64 (out, self->export_complete_ts);
      g_string_append (out, ",\"expiration_ts\":");
      append_int64 (out, self->export_complete_ts + G_GINT64_CONSTANT (14) * 24 * 3600 * 1000000000);
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

static gboolean
udf_is (const char *udf_path,
        const char *module,
        const char *function)
{
  g_autofree char *canonical = NULL;
  g_autofree char *wanted = g_strconcat (module, ":", function, NULL);
  const char *colon = strrchr (udf_path, ':');

  if (colon == NULL)
    canonical = g_strconcat (udf_path, ":default", NULL);
  else
    canonical = g_strdup (udf_path);
  if (strstr (canonical, ".js:") != NULL)
    {
      char *js = strstr (canonical, ".js:");
      memmove (js, js + 3, strlen (js + 3) + 1);
    }
  return g_str_equal (canonical, wanted);
}

/* Runs one of the system queries the CLI uses; returns its value as wire JSON. */
static char *
run_query (CmgTestServer  *self,
           const char     *udf_path,
           const char     *component,
           JsonObject     *args,
           char          **error_message)
{
  if (udf_is (udf_path, "_system/cli/queryImport", "default"))
    {
      const char *import_id = args != NULL
        ? json_object_get_string_member_with_default (args, "importId", NULL) : NULL;
      ImportJob *job = import_id != NULL ? g_hash_table_lookup (self->imports, import_id) : NULL;

      return job != NULL ? import_job_to_json (job) : g_strdup ("null");
    }

  if (udf_is (udf_path, "_system/cli/queryImport", "list"))
    {
      GString *out = g_string_new ("[");

      for (guint i = 0; i < self->import_order->len; i++)
        {
          g_autofree char *doc = import_job_to_json (g_ptr_array_index (self->import_order, i));

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, doc);
        }
      g_string_append_c (out, ']');
      return g_string_free (out, FALSE);
    }

  if (udf_is (udf_path, "_system/cli/exports", "getLatest"))
    return export_to_json (self);

  if (udf_is (udf_path, "_system/cli/tables", "default"))
    {
      g_autoptr(GPtrArray) names = cmg_test_store_list_tables (self->store, component);
      GString *out = g_string_new ("{\"continueCursor\":\"end\",\"isDone\":true,\"page\":[");

      for (guint i = 0; i < names->len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, "{\"name\":");
          append_string (out, g_ptr_array_index (names, i));
          g_string_append_c (out, '}');
        }
      g_string_append (out, "]}");
      return g_string_free (out, FALSE);
    }

  /* `npx convex data <table>`: newest first unless order is "asc"; one page. */
  if (udf_is (udf_path, "_system/cli/tableData", "default"))
    {
      const char *table = args != NULL ? json_object_get_string_member_with_default (args, "table", NULL) : NULL;
      gboolean ascending = args != NULL
        && g_strcmp0 (json_object_get_string_member_with_default (args, "order", "desc"), "asc") == 0;
      JsonObject *pagination = args != NULL && json_object_has_member (args, "paginationOpts")
        ? json_object_get_object_member (args, "paginationOpts") : NULL;
      gint64 limit = pagination != NULL ? json_object_get_int_member_with_default (pagination, "numItems", G_MAXINT) : G_MAXINT;
      GPtrArray *docs = table != NULL ? cmg_test_store_get_documents (self->store, component, table) : NULL;
      GString *out = g_string_new ("{\"continueCursor\":\"end\",\"isDone\":true,\"page\":[");
      guint n = docs != NULL ? docs->len : 0;

      for (guint i = 0; i < n && (gint64) i < limit; i++)
        {
          g_autofree char *wire = cmg_test_export_json_to_wire (g_ptr_array_index (docs, ascending ? i : n - 1 - i));

          if (i > 0)
            g_string_append_c (out, ',');
          g_string_append (out, wire);
        }
      g_string_append (out, "]}");
      return g_string_free (out, FALSE);
    }

  *error_message = g_strdup_printf ("Could not find public function for '%s'. "
                                    "The local test deployment only runs the CLI's system queries.",
                                    udf_path);
  return NULL;
}

/* ---- HTTP ---- */

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_error (SoupServerMessage *msg,
               guint              status,
               const char        *code,
               const char        *message)
{
  GString *out = g_string_new ("{\"code\":");

  append_string (out, code);
  g_string_append (out, ",\"message\":");
  append_string (out, message);
  g_string_append_c (out, '}');
  respond (msg, status, "application/json", out->str);
  g_string_free (out, TRUE);
}

static gboolean
key_is_valid (CmgTestServer *self,
              const char    *key)
{
  return !self->reject_key && key != NULL && g_str_equal (key, self->admin_key);
}

static gboolean
check_auth (CmgTestServer     *self,
            SoupServerMessage *msg)
{
  const char *header = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Authorization");
  g_autofree char *message = NULL;

  if (header != NULL && g_str_has_prefix (header, "Convex ") && key_is_valid (self, header + strlen ("Convex ")))
    return TRUE;

  message = g_strdup_printf ("The provided admin key was invalid for deployment '%s'. "
                             "Double check that the environment this key was generated for "
                             "matches the desired deployment.", self->name);
  respond_error (msg, 403, "BadDeployKey", message);
  return FALSE;
}

static JsonObject *
request_object (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (body, &len);
  JsonNode *root;

  if (len == 0 || !json_parser_load_from_data (parser, data, len, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return json_object_ref (json_node_get_object (root));
}

static void
handle_query (CmgTestServer     *self,
              SoupServerMessage *msg)
{
  g_autoptr(JsonObject) request = request_object (msg);
  const char *path;
  JsonObject *args = NULL;
  JsonArray *args_array;
  g_autofree char *value = NULL;
  g_autofree char *error_message = NULL;
  GString *out;

  if (request == NULL || (path = json_object_get_string_member_with_default (request, "path", NULL)) == NULL)
    {
      respond_error (msg, 400, "BadJsonBody", "The request body must be a JSON object with a \"path\".");
      return;
    }
  args_array = json_object_has_member (request, "args") ? json_object_get_array_member (request, "args") : NULL;
  if (args_array != NULL && json_array_get_length (args_array) > 0
      && JSON_NODE_HOLDS_OBJECT (json_array_get_element (args_array, 0)))
    args = json_array_get_object_element (args_array, 0);

  value = run_query (self, path,
                     json_object_get_string_member_with_default (request, "componentPath", ""),
                     args, &error_message);
  if (value == NULL)
    {
      out = g_string_new ("{\"status\":\"error\",\"errorMessage\":");
      append_string (out, error_message);
      g_string_append (out, ",\"logLines\":[]}");
      respond (msg, 560, "application/json", out->str);
    }
  else
    {
      out = g_string_new ("{\"status\":\"success\",\"value\":");
      g_string_append (out, value);
      g_string_append (out, ",\"logLines\":[]}");
      respond (msg, 200, "application/json", out->str);
    }
  g_string_free (out, TRUE);
}

static void
handle_start_upload (CmgTestServer     *self,
                     SoupServerMessage *msg)
{
  g_autofree char *token = g_strdup_printf ("upload-%u", ++self->next_token);
  g_autofree char *body = g_strdup_printf ("{\"uploadToken\":\"%s\"}", token);

  g_hash_table_insert (self->uploads, g_steal_pointer (&token),
                       g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref));
  respond (msg, 200, "application/json", body);
}

static void
handle_upload_part (CmgTestServer     *self,
                    SoupServerMessage *msg,
                    GHashTable        *query)
{
  const char *token = query != NULL ? g_hash_table_lookup (query, "uploadToken") : NULL;
  const char *part = query != NULL ? g_hash_table_lookup (query, "partNumber") : NULL;
  GHashTable *parts = token != NULL ? g_hash_table_lookup (self->uploads, token) : NULL;
  g_autofree char *part_token = NULL;
  g_autofree char *body = NULL;

  if (parts == NULL || part == NULL)
    {
      respond_error (msg, 400, "InvalidUploadToken", "Unknown upload token or missing part number.");
      return;
    }
  part_token = g_strdup_printf ("%s-part-%s", token, part);
  g_hash_table_insert (parts, g_strdup (part_token),
                       soup_message_body_flatten (soup_server_message_get_request_body (msg)));
  body = g_strdup_printf ("\"%s\"", part_token);
  respond (msg, 200, "application/json", body);
}

static void
import_job_changed (ImportJob *job)
{
  notify_clients (job->server);
}

static gboolean
import_job_parse_cb (gpointer user_data)
{
  ImportJob *job = user_data;
  CmgTestServer *self = job->server;
  g_autoptr(GError) error = NULL;

  job->timeout_id = 0;
  job->set = cmg_test_import_set_parse (job->data, job->format, job->component, job->table, &error);
  if (job->set != NULL)
    job->message_to_confirm = cmg_test_store_summarize_import (self->store, job->set, job->mode,
                                                               &job->require_confirmation, &error);
  if (error != NULL)
    {
      job->state = IMPORT_FAILED;
      job->error_message = g_strdup (error->message);
    }
  else
    job->state = IMPORT_WAITING;
  import_job_changed (job);
  return G_SOURCE_REMOVE;
}

static void
handle_finish_upload (CmgTestServer     *self,
                      SoupServerMessage *msg)
{
  g_autoptr(JsonObject) request = request_object (msg);
  JsonObject *import;
  JsonArray *part_tokens;
  GHashTable *parts;
  const char *token;
  g_autoptr(GByteArray) data = g_byte_array_new ();
  ImportJob *job;
  g_autofree char *body = NULL;
  CmgTestImportMode mode;
  CmgTestFormat format;

  if (request == NULL
      || !json_object_has_member (request, "import")
      || (import = json_object_get_object_member (request, "import")) == NULL
      || !json_object_has_member (request, "partTokens")
      || (part_tokens = json_object_get_array_member (request, "partTokens")) == NULL
      || (token = json_object_get_string_member_with_default (request, "uploadToken", NULL)) == NULL
      || (parts = g_hash_table_lookup (self->uploads, token)) == NULL)
    {
      respond_error (msg, 400, "BadJsonBody", "Expected {\"import\", \"uploadToken\", \"partTokens\"} with a known upload token.");
      return;
    }
  if (!cmg_test_import_mode_from_string (json_object_get_string_member_with_default (import, "mode", NULL), &mode)
      || !cmg_test_format_from_string (json_object_get_string_member_with_default (import, "format", NULL), &format))
    {
      respond_error (msg, 400, "InvalidImport", "Unknown import mode or format.");
      return;
    }

  for (guint i = 0; i < json_array_get_length (part_tokens); i++)
    {
      const char *part_token = json_array_get_string_element (part_tokens, i);
      GBytes *part = part_token != NULL ? g_hash_table_lookup (parts, part_token) : NULL;
      gsize len;
      const guint8 *bytes;

      if (part == NULL)
        {
          respond_error (msg, 400, "InvalidPartToken", "Unknown part token.");
          return;
        }
      bytes = g_bytes_get_data (part, &len);
      g_byte_array_append (data, bytes, len);
    }
  g_hash_table_remove (self->uploads, token);

  job = g_new0 (ImportJob, 1);
  job->server = self;
  job->id = cmg_test_encode_id (IMPORTS_TABLE_NUMBER);
  job->creation_time = creation_time_now ();
  job->state = IMPORT_UPLOADED;
  job->mode = mode;
  job->format = format;
  job->component = g_strdup (json_object_get_string_member_with_default (import, "componentPath", ""));
  job->table = g_strdup (json_object_get_string_member_with_default (import, "tableName", NULL));
  job->data = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  g_hash_table_insert (self->imports, job->id, job);
  g_ptr_array_add (self->import_order, job);
  job->timeout_id = g_timeout_add (step_interval (self), import_job_parse_cb, job);

  body = g_strdup_printf ("{\"importId\":\"%s\"}", job->id);
  respond (msg, 200, "application/json", body);
}

static gboolean
import_job_progress_cb (gpointer user_data)
{
  ImportJob *job = user_data;

  if (job->checkpoints_shown < job->checkpoints->len)
    {
      job->checkpoints_shown++;
      import_job_changed (job);
      return G_SOURCE_CONTINUE;
    }

  job->timeout_id = 0;
  if (job->server->fail_import != NULL)
    {
      job->state = IMPORT_FAILED;
      job->error_message = g_strdup (job->server->fail_import);
    }
  else
    {
      job->state = IMPORT_COMPLETED;
      job->completed_ts = next_ts (job->server);
    }
  import_job_changed (job);
  return G_SOURCE_REMOVE;
}

static void
handle_perform_import (CmgTestServer     *self,
                       SoupServerMessage *msg)
{
  g_autoptr(JsonObject) request = request_object (msg);
  const char *import_id = request != NULL
    ? json_object_get_string_member_with_default (request, "importId", NULL) : NULL;
  ImportJob *job = import_id != NULL ? g_hash_table_lookup (self->imports, import_id) : NULL;

  if (job == NULL)
    {
      respond_error (msg, 404, "ImportNotFound", "There is no import with this id.");
      return;
    }
  if (job->state != IMPORT_WAITING)
    {
      respond_error (msg, 400, "ImportNotWaitingForConfirmation",
                     "This import is not waiting for confirmation.");
      return;
    }

  job->state = IMPORT_IN_PROGRESS;
  /* A failing import writes nothing; its progress still shows the tables. */
  if (self->fail_import != NULL)
    {
      job->checkpoints = g_ptr_array_new_with_free_func (g_free);
    }
  else
    job->checkpoints = cmg_test_store_apply_import (self->store, job->set, job->mode, &job->rows_written);
  job->timeout_id = g_timeout_add (step_interval (self), import_job_progress_cb, job);
  import_job_changed (job);
  respond (msg, 200, "application/json", "");
}

static gboolean
export_step_cb (gpointer user_data)
{
  CmgTestServer *self = user_data;

  if (self->export_state == EXPORT_REQUESTED)
    {
      self->export_state = EXPORT_IN_PROGRESS;
      notify_clients (self);
      return G_SOURCE_CONTINUE;
    }

  self->export_timeout_id = 0;
  {
    g_autoptr(GError) error = NULL;
    GBytes *zip = cmg_test_store_export_zip (self->store, self->export_include_storage, &error);

    if (zip == NULL)
      {
        g_warning ("Export failed: %s", error->message);
        self->export_state = EXPORT_FAILED;
      }
    else
      {
        self->export_complete_ts = next_ts (self);
        g_hash_table_insert (self->export_files,
                             g_strdup_printf ("%" G_GINT64_FORMAT, self->export_start_ts), zip);
        self->export_state = EXPORT_COMPLETED;
      }
  }
  notify_clients (self);
  return G_SOURCE_REMOVE;
}

static void
handle_export_request (CmgTestServer     *self,
                       SoupServerMessage *msg,
                       GHashTable        *query)
{
  const char *include = query != NULL ? g_hash_table_lookup (query, "includeStorage") : NULL;

  if (self->export_state == EXPORT_REQUESTED || self->export_state == EXPORT_IN_PROGRESS)
    {
      respond_error (msg, 400, "ExportInProgress", "There is already an export requested or in progress.");
      return;
    }

  g_free (self->export_id);
  self->export_id = cmg_test_encode_id (EXPORTS_TABLE_NUMBER);
  g_free (self->export_creation_time);
  self->export_creation_time = creation_time_now ();
  self->export_include_storage = g_strcmp0 (include, "true") == 0;
  self->export_start_ts = next_ts (self);
  self->export_state = EXPORT_REQUESTED;
  self->export_timeout_id = g_timeout_add (step_interval (self), export_step_cb, self);
  notify_clients (self);
  respond (msg, 200, "application/json", "");
}

static void
handle_export_download (CmgTestServer     *self,
                        SoupServerMessage *msg,
                        const char        *ts)
{
  GBytes *zip = g_hash_table_lookup (self->export_files, ts);
  g_autofree char *disposition = NULL;

  if (zip == NULL)
    {
      respond_error (msg, 404, "ExportNotFound", "There is no completed export with this timestamp.");
      return;
    }
  disposition = g_strdup_printf ("attachment; filename=snapshot_%s_%s.zip", self->name, ts);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Disposition", disposition);
  soup_server_message_set_status (msg, 200, NULL);
  soup_server_message_set_response (msg, "application/zip", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (zip, NULL), g_bytes_get_size (zip));
}

static void
http_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  CmgTestServer *self = user_data;
  const char *method = soup_server_message_get_method (msg);
  gboolean post = g_str_equal (method, "POST");
  const char *upgrade = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Upgrade");

  /* libsoup calls this handler for WebSocket handshakes too, before
   * websocket_cb: leave those alone (the key comes in Authenticate). */
  if (upgrade != NULL && g_ascii_strcasecmp (upgrade, "websocket") == 0)
    return;

  /* Like a real backend, these two answer without a key: probes use them. */
  if (g_str_equal (path, "/instance_name"))
    {
      respond (msg, 200, "text/plain", self->name);
      return;
    }
  if (g_str_equal (path, "/instance_version"))
    {
      respond (msg, 200, "text/plain", self->version);
      return;
    }

  if (!check_auth (self, msg))
    return;

  if (post && g_str_equal (path, "/api/query"))
    handle_query (self, msg);
  else if (post && g_str_equal (path, "/api/import/start_upload"))
    handle_start_upload (self, msg);
  else if (post && g_str_equal (path, "/api/import/upload_part"))
    handle_upload_part (self, msg, query);
  else if (post && g_str_equal (path, "/api/import/finish_upload"))
    handle_finish_upload (self, msg);
  else if (post && g_str_equal (path, "/api/perform_import"))
    handle_perform_import (self, msg);
  else if (post && g_str_equal (path, "/api/export/request/zip"))
    handle_export_request (self, msg, query);
  else if (g_str_equal (method, "GET") && g_str_has_prefix (path, "/api/export/zip/"))
    handle_export_download (self, msg, path + strlen ("/api/export/zip/"));
  else
    respond_error (msg, 404, "NotFound", "The local test deployment does not serve this path.");
}

/* ---- The sync WebSocket ---- */

static void
sync_query_free (gpointer data)
{
  SyncQuery *query = data;

  g_free (query->udf_path);
  g_free (query->component);
  g_clear_pointer (&query->args, json_node_unref);
  g_free (query->last_value);
  g_free (query);
}

static void
sync_client_free (gpointer data)
{
  SyncClient *client = data;

  g_clear_handle_id (&client->ping_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (client->ws, client);
  if (soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->ws, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_object_unref (client->ws);
  g_hash_table_unref (client->queries);
  g_array_unref (client->removed);
  g_free (client);
}

static void
append_version (GString *out,
                guint    query_set,
                guint64  ts,
                guint    identity)
{
  g_autofree char *encoded = u64_base64 (ts);

  g_string_append_printf (out, "{\"querySet\":%u,\"ts\":\"%s\",\"identity\":%u}", query_set, encoded, identity);
}

/* Sends a Transition from the last version the client saw to the current
 * one, with every query result that changed. */
static void
sync_send_transition (SyncClient *client,
                      gboolean    force)
{
  CmgTestServer *self = client->server;
  g_autoptr(GString) mods = g_string_new (NULL);
  g_autoptr(GString) out = NULL;
  GHashTableIter iter;
  gpointer value;
  guint count = 0;
  guint64 ts;

  /* A client that went away without a close frame may still be listed. */
  if (soup_websocket_connection_get_state (client->ws) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  for (guint i = 0; i < client->removed->len; i++, count++)
    g_string_append_printf (mods, "%s{\"type\":\"QueryRemoved\",\"queryId\":%d}",
                            count > 0 ? "," : "", g_array_index (client->removed, int, i));
  g_array_set_size (client->removed, 0);

  /* Until the client has authenticated with the admin key, no results. */
  g_hash_table_iter_init (&iter, client->queries);
  while (client->authenticated && g_hash_table_iter_next (&iter, NULL, &value))
    {
      SyncQuery *query = value;
      g_autofree char *error_message = NULL;
      JsonObject *args = query->args != NULL && JSON_NODE_HOLDS_OBJECT (query->args)
        ? json_node_get_object (query->args) : NULL;
      g_autofree char *result = run_query (self, query->udf_path, query->component, args, &error_message);
      g_autofree char *entry = NULL;

      if (result == NULL)
        {
          g_autoptr(GString) failed = g_string_new (NULL);

          g_string_append_printf (failed, "{\"type\":\"QueryFailed\",\"queryId\":%d,\"errorMessage\":",
                                  query->query_id);
          append_string (failed, error_message);
          g_string_append (failed, ",\"logLines\":[],\"journal\":null}");
          entry = g_strdup (failed->str);
        }
      else
        entry = g_strdup_printf ("{\"type\":\"QueryUpdated\",\"queryId\":%d,\"value\":%s,"
                                 "\"logLines\":[],\"journal\":null}", query->query_id, result);

      if (g_strcmp0 (entry, query->last_value) == 0)
        continue;
      g_free (query->last_value);
      query->last_value = g_strdup (entry);
      g_string_append_printf (mods, "%s%s", count > 0 ? "," : "", entry);
      count++;
    }

  if (count == 0 && !force)
    return;

  ts = (guint64) next_ts (self);
  out = g_string_new ("{\"type\":\"Transition\",\"startVersion\":");
  append_version (out, client->sent_query_set, client->sent_ts, client->sent_identity);
  g_string_append (out, ",\"endVersion\":");
  append_version (out, client->query_set, ts, client->identity);
  g_string_append_printf (out, ",\"modifications\":[%s]}", mods->str);

  client->sent_query_set = client->query_set;
  client->sent_identity = client->identity;
  client->sent_ts = ts;
  soup_websocket_connection_send_text (client->ws, out->str);
}

static void
notify_clients (CmgTestServer *self)
{
  for (guint i = 0; i < self->clients->len; i++)
    sync_send_transition (g_ptr_array_index (self->clients, i), FALSE);
}

static void
sync_handle_modify (SyncClient *client,
                    JsonObject *message)
{
  JsonArray *modifications = json_object_has_member (message, "modifications")
    ? json_object_get_array_member (message, "modifications") : NULL;

  client->query_set = (guint) json_object_get_int_member_with_default (message, "newVersion", client->query_set);

  for (guint i = 0; modifications != NULL && i < json_array_get_length (modifications); i++)
    {
      JsonObject *mod = json_array_get_object_element (modifications, i);
      const char *type = mod != NULL ? json_object_get_string_member_with_default (mod, "type", "") : "";
      int query_id = mod != NULL ? (int) json_object_get_int_member_with_default (mod, "queryId", -1) : -1;

      if (g_str_equal (type, "Add"))
        {
          SyncQuery *query = g_new0 (SyncQuery, 1);
          JsonArray *args = json_object_has_member (mod, "args") ? json_object_get_array_member (mod, "args") : NULL;

          query->query_id = query_id;
          query->udf_path = g_strdup (json_object_get_string_member_with_default (mod, "udfPath", ""));
          query->component = g_strdup (json_object_get_string_member_with_default (mod, "componentPath", ""));
          if (args != NULL && json_array_get_length (args) > 0)
            query->args = json_node_copy (json_array_get_element (args, 0));
          g_hash_table_replace (client->queries, GINT_TO_POINTER (query_id), query);
        }
      else if (g_str_equal (type, "Remove"))
        {
          if (g_hash_table_remove (client->queries, GINT_TO_POINTER (query_id)))
            g_array_append_val (client->removed, query_id);
        }
    }
  sync_send_transition (client, TRUE);
}

static void
sync_handle_authenticate (SyncClient *client,
                          JsonObject *message)
{
  CmgTestServer *self = client->server;
  const char *token_type = json_object_get_string_member_with_default (message, "tokenType", "");
  const char *value = json_object_get_string_member_with_default (message, "value", NULL);
  guint base_version = (guint) json_object_get_int_member_with_default (message, "baseVersion", 0);

  if (!g_str_equal (token_type, "Admin") || !key_is_valid (self, value))
    {
      g_autofree char *text = g_strdup_printf ("{\"type\":\"AuthError\",\"error\":\"The provided admin key was "
                                               "invalid for deployment '%s'.\",\"baseVersion\":%u,"
                                               "\"authUpdateAttempted\":true}",
                                               self->name, base_version);

      client->authenticated = FALSE;
      if (soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_send_text (client->ws, text);
      return;
    }

  client->authenticated = TRUE;
  client->identity = base_version + 1;
  sync_send_transition (client, TRUE);
}

static void
sync_message_cb (SoupWebsocketConnection *ws,
                 int                      type,
                 GBytes                  *bytes,
                 gpointer                 user_data)
{
  SyncClient *client = user_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);
  JsonObject *message;
  const char *kind;

  if (type != SOUP_WEBSOCKET_DATA_TEXT
      || !json_parser_load_from_data (parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;

  message = json_node_get_object (json_parser_get_root (parser));
  kind = json_object_get_string_member_with_default (message, "type", "");
  if (g_str_equal (kind, "Authenticate"))
    sync_handle_authenticate (client, message);
  else if (g_str_equal (kind, "ModifyQuerySet"))
    sync_handle_modify (client, message);
  /* Connect, Event and the rest need no answer here. */
}

static void
sync_closed_cb (SoupWebsocketConnection *ws,
                gpointer                 user_data)
{
  SyncClient *client = user_data;

  g_ptr_array_remove (client->server->clients, client);
}

static gboolean
sync_ping_cb (gpointer user_data)
{
  SyncClient *client = user_data;

  if (soup_websocket_connection_get_state (client->ws) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (client->ws, "{\"type\":\"Ping\"}");
  return G_SOURCE_CONTINUE;
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *ws,
              gpointer                 user_data)
{
  CmgTestServer *self = user_data;
  SyncClient *client;

  /* Registered on /api so any CLI version segment matches: /api/<version>/sync. */
  if (!g_str_has_suffix (path, "/sync"))
    {
      soup_websocket_connection_close (ws, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "not a sync endpoint");
      return;
    }

  client = g_new0 (SyncClient, 1);
  client->server = self;
  client->ws = g_object_ref (ws);
  client->queries = g_hash_table_new_full (NULL, NULL, NULL, sync_query_free);
  client->removed = g_array_new (FALSE, FALSE, sizeof (int));
  client->ping_id = g_timeout_add_seconds (PING_INTERVAL_SECONDS, sync_ping_cb, client);
  g_signal_connect (ws, "message", G_CALLBACK (sync_message_cb), client);
  g_signal_connect (ws, "closed", G_CALLBACK (sync_closed_cb), client);
  g_ptr_array_add (self->clients, client);
}

/* ---- The object ---- */

static void
cmg_test_server_dispose (GObject *object)
{
  CmgTestServer *self = CMG_TEST_SERVER (object);

  g_clear_handle_id (&self->export_timeout_id, g_source_remove);
  if (self->clients != NULL)
    g_ptr_array_set_size (self->clients, 0);
  if (self->soup != NULL)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);

  G_OBJECT_CLASS (cmg_test_server_parent_class)->dispose (object);
}

static void
cmg_test_server_finalize (GObject *object)
{
  CmgTestServer *self = CMG_TEST_SERVER (object);

  g_free (self->name);
  g_free (self->admin_key);
  g_free (self->version);
  g_free (self->fail_import);
  g_free (self->export_id);
  g_free (self->export_creation_time);
  g_clear_object (&self->store);
  g_hash_table_unref (self->uploads);
  g_ptr_array_unref (self->import_order);
  g_hash_table_unref (self->imports);
  g_ptr_array_unref (self->clients);
  g_hash_table_unref (self->export_files);

  G_OBJECT_CLASS (cmg_test_server_parent_class)->finalize (object);
}

static void
cmg_test_server_class_init (CmgTestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = cmg_test_server_dispose;
  object_class->finalize = cmg_test_server_finalize;
}

static void
cmg_test_server_init (CmgTestServer *self)
{
  self->store = cmg_test_store_new ();
  self->uploads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_hash_table_unref);
  self->imports = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, import_job_free);
  self->import_order = g_ptr_array_new ();
  self->clients = g_ptr_array_new_with_free_func (sync_client_free);
  self->export_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
}

CmgTestServer *
cmg_test_server_new (const CmgTestServerOptions *options)
{
  CmgTestServer *self = g_object_new (CMG_TYPE_TEST_SERVER, NULL);

  self->name = g_strdup (options->name != NULL ? options->name : "local-demo-deployment");
  self->admin_key = g_strdup (options->admin_key != NULL ? options->admin_key : "test-admin-key");
  self->version = g_strdup (options->version != NULL ? options->version : "1.29.0");
  self->fail_import = g_strdup (options->fail_import);
  self->reject_key = options->reject_key;
  self->slow = options->slow;

  if (options->import_running)
    {
      /* Someone else's import, stuck in progress. */
      ImportJob *job = g_new0 (ImportJob, 1);

      job->server = self;
      job->id = cmg_test_encode_id (IMPORTS_TABLE_NUMBER);
      job->creation_time = creation_time_now ();
      job->state = IMPORT_IN_PROGRESS;
      job->checkpoints = g_ptr_array_new_with_free_func (g_free);
      g_hash_table_insert (self->imports, job->id, job);
      g_ptr_array_add (self->import_order, job);
    }
  if (options->export_running)
    {
      self->export_id = cmg_test_encode_id (EXPORTS_TABLE_NUMBER);
      self->export_creation_time = creation_time_now ();
      self->export_state = EXPORT_IN_PROGRESS;
    }

  self->soup = soup_server_new ("server-header", "cmg-test-deployment ", NULL);
  soup_server_add_handler (self->soup, NULL, http_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup, NULL, NULL, NULL, websocket_cb, self, NULL);
  return self;
}

gboolean
cmg_test_server_seed (CmgTestServer  *self,
                      GBytes         *zip,
                      GError        **error)
{
  g_autoptr(CmgTestImportSet) set = cmg_test_import_set_parse (zip, CMG_TEST_FORMAT_ZIP, NULL, NULL, error);
  g_autoptr(GPtrArray) checkpoints = NULL;

  if (set == NULL)
    return FALSE;
  checkpoints = cmg_test_store_apply_import (self->store, set, CMG_TEST_IMPORT_REPLACE_ALL, NULL);
  return TRUE;
}

gboolean
cmg_test_server_listen (CmgTestServer  *self,
                        guint           port,
                        guint          *bound_port,
                        GError        **error)
{
  GSList *uris;

  if (!soup_server_listen_local (self->soup, port, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;

  uris = soup_server_get_uris (self->soup);
  if (bound_port != NULL)
    *bound_port = uris != NULL ? (guint) g_uri_get_port (uris->data) : port;
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return TRUE;
}
