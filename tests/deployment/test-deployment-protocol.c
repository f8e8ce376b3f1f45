/* test-deployment-protocol.c: the local test deployment speaks the CLI's protocol
 *
 * Each test starts the real server binary through the launcher and talks to
 * it as the Convex CLI does: HTTP requests with an admin key, and the sync
 * WebSocket for import and export progress.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <archive.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <archive_entry.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <locale.h>
#include <string.h>

#include "cmg-test-deployment-launcher.h"

#define KEY CMG_TEST_DEPLOYMENT_DEFAULT_ADMIN_KEY
#define CHANGE_SUMMARY_FOOTER "Once the import has started, it will run in the background.\n" \
                              "Interrupting `npx convex import` will not cancel it."

typedef struct
{
  CmgTestDeploymentLauncher *launcher;
  SoupSession *session;
} Fixture;

static void
fixture_start (Fixture            *fixture,
               const char * const *args)
{
  g_autoptr(GError) error = NULL;

  fixture->launcher = cmg_test_deployment_launcher_start (NULL, args, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->launcher);
  fixture->session = soup_session_new ();
}

static void
fixture_stop (Fixture *fixture)
{
  int status = -1;

  g_assert_true (cmg_test_deployment_launcher_stop (fixture->launcher, &status));
  g_assert_cmpint (status, ==, 0);
  g_clear_object (&fixture->launcher);
  g_clear_object (&fixture->session);
}

/* One HTTP request; returns the status and the body. */
static guint
http (Fixture     *fixture,
      const char  *method,
      const char  *path,
      const char  *key,
      const void  *body,
      gsize        body_len,
      GBytes     **response,
      char       **disposition)
{
  g_autofree char *uri = g_strconcat (cmg_test_deployment_launcher_get_url (fixture->launcher), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (key != NULL)
    {
      g_autofree char *header = g_strconcat ("Convex ", key, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) request = g_bytes_new (body, body_len);
      soup_message_set_request_body_from_bytes (msg, "application/octet-stream", request);
    }
  bytes = soup_session_send_and_read (fixture->session, msg, NULL, &error);
  g_assert_no_error (error);
  if (disposition != NULL)
    *disposition = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                           "Content-Disposition"));
  if (response != NULL)
    *response = g_steal_pointer (&bytes);
  return soup_message_get_status (msg);
}

static JsonNode *
parse_json (GBytes *bytes)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  json_parser_load_from_data (parser, data, len, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static guint
http_json (Fixture     *fixture,
           const char  *path,
           const char  *body,
           JsonNode   **result)
{
  g_autoptr(GBytes) response = NULL;
  guint status = http (fixture, "POST", path, KEY, body, body != NULL ? strlen (body) : 0, &response, NULL);

  if (result != NULL)
    *result = g_bytes_get_size (response) > 0 ? parse_json (response) : NULL;
  return status;
}

static gint64
decode_int64 (JsonNode *node)
{
  JsonObject *object;
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;
  guint64 value = 0;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_true (json_object_has_member (object, "$integer"));
  bytes = g_base64_decode (json_object_get_string_member (object, "$integer"), &len);
  g_assert_cmpuint (len, ==, 8);
  for (guint i = 0; i < 8; i++)
    value |= (guint64) bytes[i] << (8 * i);
  return (gint64) value;
}

static guint64
decode_ts (const char *text)
{
  g_autofree guint8 *bytes = NULL;
  gsize len = 0;
  guint64 value = 0;

  bytes = g_base64_decode (text, &len);
  g_assert_cmpuint (len, ==, 8);
  for (guint i = 0; i < 8; i++)
    value |= (guint64) bytes[i] << (8 * i);
  return value;
}

/* ---- A sync WebSocket client that checks version chaining ---- */

typedef struct
{
  SoupWebsocketConnection *ws;
  GQueue messages;
  gint64 query_set;
  char *ts;
  gint64 identity;
  guint transitions;
  GHashTable *values;
} SyncClient;

static void
sync_message_cb (SoupWebsocketConnection *ws,
                 int                      type,
                 GBytes                  *message,
                 gpointer                 user_data)
{
  SyncClient *client = user_data;

  g_queue_push_tail (&client->messages, parse_json (message));
}

static void
connect_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SyncClient *client = user_data;
  g_autoptr(GError) error = NULL;

  client->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

static SyncClient *
sync_connect (Fixture *fixture)
{
  SyncClient *client = g_new0 (SyncClient, 1);
  /* Any version segment must do: the CLI puts its own version there. */
  g_autofree char *uri = g_strconcat (cmg_test_deployment_launcher_get_url (fixture->launcher),
                                      "/api/9.99.1/sync", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);

  g_queue_init (&client->messages);
  client->ts = g_strdup ("AAAAAAAAAAA=");
  client->values = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_node_unref);
  soup_session_websocket_connect_async (fixture->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        connect_cb, client);
  while (client->ws == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (client->ws, "message", G_CALLBACK (sync_message_cb), client);
  return client;
}

static void
sync_free (SyncClient *client)
{
  soup_websocket_connection_close (client->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  while (soup_websocket_connection_get_state (client->ws) != SOUP_WEBSOCKET_STATE_CLOSED)
    g_main_context_iteration (NULL, TRUE);
  g_object_unref (client->ws);
  g_queue_clear_full (&client->messages, (GDestroyNotify) json_node_unref);
  g_hash_table_unref (client->values);
  g_free (client->ts);
  g_free (client);
}

static void
sync_send (SyncClient *client,
           const char *text)
{
  soup_websocket_connection_send_text (client->ws, text);
}

static gboolean
timeout_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* The next server message other than Ping; checks every Transition chains on
 * from the one before and keeps the latest value of each query. */
static JsonObject *
sync_next (SyncClient *client)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add_seconds (15, timeout_flag_cb, &timed_out);
  JsonNode *node;
  JsonObject *message;

  for (;;)
    {
      while (g_queue_is_empty (&client->messages) && !timed_out)
        g_main_context_iteration (NULL, TRUE);
      g_assert_false (timed_out);
      node = g_queue_pop_head (&client->messages);
      message = json_node_get_object (node);
      if (!g_str_equal (json_object_get_string_member (message, "type"), "Ping"))
        break;
      json_node_unref (node);
    }
  g_source_remove (timeout_id);

  if (g_str_equal (json_object_get_string_member (message, "type"), "Transition"))
    {
      JsonObject *start = json_object_get_object_member (message, "startVersion");
      JsonObject *end = json_object_get_object_member (message, "endVersion");
      JsonArray *mods = json_object_get_array_member (message, "modifications");

      g_assert_cmpint (json_object_get_int_member (start, "querySet"), ==, client->query_set);
      g_assert_cmpstr (json_object_get_string_member (start, "ts"), ==, client->ts);
      g_assert_cmpint (json_object_get_int_member (start, "identity"), ==, client->identity);
      g_assert_cmpuint (decode_ts (json_object_get_string_member (end, "ts")), >=, decode_ts (client->ts));

      client->query_set = json_object_get_int_member (end, "querySet");
      g_free (client->ts);
      client->ts = g_strdup (json_object_get_string_member (end, "ts"));
      client->identity = json_object_get_int_member (end, "identity");
      client->transitions++;

      for (guint i = 0; i < json_array_get_length (mods); i++)
        {
          JsonObject *mod = json_array_get_object_element (mods, i);

          if (g_str_equal (json_object_get_string_member (mod, "type"), "QueryUpdated"))
            {
              g_assert_true (json_object_has_member (mod, "logLines"));
              g_hash_table_replace (client->values,
                                    GINT_TO_POINTER (json_object_get_int_member (mod, "queryId")),
                                    json_node_copy (json_object_get_member (mod, "value")));
            }
        }
    }

  /* The node stays alive in the values table or is dropped here; keep a copy. */
  {
    JsonObject *copy = json_object_ref (message);
    json_node_unref (node);
    return copy;
  }
}

static void
sync_authenticate (SyncClient *client,
                   const char *key)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"Authenticate\",\"tokenType\":\"Admin\","
                                           "\"value\":\"%s\",\"baseVersion\":0}", key);

  sync_send (client, "{\"type\":\"Connect\",\"sessionId\":\"s\",\"connectionCount\":0,"
                     "\"lastCloseReason\":null,\"clientTs\":0}");
  sync_send (client, text);
}

/* Subscribes to a query and returns its value once it has the wanted state
 * (NULL: the first value). */
static JsonObject *
sync_wait_state (SyncClient *client,
                 int         query_id,
                 const char *wanted)
{
  for (;;)
    {
      g_autoptr(JsonObject) message = sync_next (client);
      JsonNode *value = g_hash_table_lookup (client->values, GINT_TO_POINTER (query_id));
      JsonObject *object;

      g_assert_cmpstr (json_object_get_string_member (message, "type"), ==, "Transition");
      if (value == NULL || !JSON_NODE_HOLDS_OBJECT (value))
        continue;
      object = json_node_get_object (value);
      /* Import documents carry their state one level down. */
      if (json_object_has_member (object, "_id") && json_object_has_member (object, "state")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "state")))
        object = json_object_get_object_member (object, "state");
      if (wanted == NULL || g_str_equal (json_object_get_string_member (object, "state"), wanted))
        return json_object_ref (object);
      g_assert_cmpstr (json_object_get_string_member (object, "state"), !=, "failed");
    }
}

static void
sync_subscribe (SyncClient *client,
                guint       new_version,
                int         query_id,
                const char *udf_path,
                const char *args)
{
  g_autofree char *text = g_strdup_printf ("{\"type\":\"ModifyQuerySet\",\"baseVersion\":%u,\"newVersion\":%u,"
                                           "\"modifications\":[{\"type\":\"Add\",\"queryId\":%d,"
                                           "\"udfPath\":\"%s\",\"args\":[%s]}]}",
                                           new_version - 1, new_version, query_id, udf_path, args);

  sync_send (client, text);
}

/* ---- Imports ---- */

static char *
upload (Fixture    *fixture,
        const char *data,
        gsize       len,
        const char *import_args)
{
  g_autoptr(JsonNode) start = NULL;
  g_autoptr(GString) tokens = g_string_new (NULL);
  g_autoptr(JsonNode) finished = NULL;
  g_autofree char *finish_body = NULL;
  const char *token;
  gsize part_size = MAX (len / 2 + 1, 1);
  guint part = 0;

  g_assert_cmpuint (http_json (fixture, "/api/import/start_upload", NULL, &start), ==, 200);
  token = json_object_get_string_member (json_node_get_object (start), "uploadToken");

  /* Two parts, so the server must put them back together in order. */
  for (gsize offset = 0; offset < len || part == 0; offset += part_size)
    {
      g_autofree char *path = g_strdup_printf ("/api/import/upload_part?uploadToken=%s&partNumber=%u",
                                               token, ++part);
      g_autoptr(GBytes) response = NULL;
      gsize n = MIN (part_size, len - offset);

      g_assert_cmpuint (http (fixture, "POST", path, KEY, data + offset, n, &response, NULL), ==, 200);
      g_string_append_printf (tokens, "%s%.*s", part > 1 ? "," : "",
                              (int) g_bytes_get_size (response), (const char *) g_bytes_get_data (response, NULL));
      if (len == 0)
        break;
    }

  finish_body = g_strdup_printf ("{\"import\":%s,\"uploadToken\":\"%s\",\"partTokens\":[%s]}",
                                 import_args, token, tokens->str);
  g_assert_cmpuint (http_json (fixture, "/api/import/finish_upload", finish_body, &finished), ==, 200);
  return g_strdup (json_object_get_string_member (json_node_get_object (finished), "importId"));
}

/* Uploads, waits for the change summary, and returns the waiting state. */
static JsonObject *
prepare_import (Fixture     *fixture,
                SyncClient  *client,
                guint       *query_set,
                const char  *data,
                const char  *import_args,
                const char  *wanted)
{
  g_autofree char *import_id = upload (fixture, data, strlen (data), import_args);
  g_autofree char *args = g_strdup_printf ("{\"importId\":\"%s\"}", import_id);

  *query_set += 1;
  sync_subscribe (client, *query_set, (int) *query_set, "_system/cli/queryImport", args);
  return sync_wait_state (client, (int) *query_set, wanted);
}

static gint64
perform_import (Fixture    *fixture,
                SyncClient *client,
                guint       query_set,
                GPtrArray  *checkpoints)
{
  JsonNode *doc = g_hash_table_lookup (client->values, GINT_TO_POINTER (query_set));
  const char *id = json_object_get_string_member (json_node_get_object (doc), "_id");
  g_autofree char *body = g_strdup_printf ("{\"importId\":\"%s\"}", id);

  g_assert_cmpuint (http_json (fixture, "/api/perform_import", body, NULL), ==, 200);
  for (;;)
    {
      g_autoptr(JsonObject) state = sync_wait_state (client, (int) query_set, NULL);
      const char *name = json_object_get_string_member (state, "state");

      if (g_str_equal (name, "in_progress") && checkpoints != NULL)
        {
          JsonArray *messages = json_object_get_array_member (state, "checkpoint_messages");

          g_ptr_array_set_size (checkpoints, 0);
          for (guint i = 0; i < json_array_get_length (messages); i++)
            g_ptr_array_add (checkpoints, g_strdup (json_array_get_string_element (messages, i)));
        }
      if (g_str_equal (name, "completed"))
        {
          g_assert_cmpint (decode_int64 (json_object_get_member (state, "timestamp")), >, 0);
          return decode_int64 (json_object_get_member (state, "num_rows_written"));
        }
      g_assert_cmpstr (name, ==, "in_progress");
    }
}

static SyncClient *
sync_ready (Fixture *fixture)
{
  SyncClient *client = sync_connect (fixture);
  g_autoptr(JsonObject) first = NULL;

  sync_authenticate (client, KEY);
  first = sync_next (client);
  g_assert_cmpstr (json_object_get_string_member (first, "type"), ==, "Transition");
  /* identity = Authenticate's baseVersion + 1 */
  g_assert_cmpint (client->identity, ==, 1);
  return client;
}

static void
test_launcher_and_instance (void)
{
  const char *args[] = { "--name", "happy-otter-123", "--version-string", "1.2.3", NULL };
  Fixture fixture = { 0 };
  g_autoptr(GBytes) name = NULL;
  g_autoptr(GBytes) version = NULL;
  const char *url;

  fixture_start (&fixture, args);
  url = cmg_test_deployment_launcher_get_url (fixture.launcher);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_cmpint (atoi (url + strlen ("http://127.0.0.1:")), >, 0);
  g_assert_cmpint (cmg_test_deployment_launcher_get_pid (fixture.launcher), >, 0);

  g_assert_cmpuint (http (&fixture, "GET", "/instance_name", NULL, NULL, 0, &name, NULL), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (name, NULL), g_bytes_get_size (name), "happy-otter-123", 15);
  g_assert_cmpuint (http (&fixture, "GET", "/instance_version", NULL, NULL, 0, &version, NULL), ==, 200);
  g_assert_cmpmem (g_bytes_get_data (version, NULL), g_bytes_get_size (version), "1.2.3", 5);

  /* SIGTERM ends it with status 0 (checked in fixture_stop). */
  fixture_stop (&fixture);
}

static void
test_launcher_failure (void)
{
  g_autofree char *quiet = g_find_program_in_path ("true");
  g_autoptr(CmgTestDeploymentLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;

  /* A program that exits without saying where it listens is an error, not a hang. */
  g_assert_nonnull (quiet);
  launcher = cmg_test_deployment_launcher_start (quiet, NULL, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_assert_null (launcher);
}

static void
assert_bad_key (Fixture    *fixture,
                const char *key)
{
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) error = NULL;
  const char *body = "{\"path\":\"_system/cli/queryImport:list\",\"format\":\"convex_encoded_json\",\"args\":[{}]}";

  g_assert_cmpuint (http (fixture, "POST", "/api/query", key, body, strlen (body), &response, NULL), ==, 403);
  error = parse_json (response);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (error), "code"), ==, "BadDeployKey");
  g_assert_nonnull (strstr (json_object_get_string_member (json_node_get_object (error), "message"),
                            "local-demo-deployment"));
}

static void
test_key_rejection (void)
{
  const char *custom_key[] = { "--admin-key", "secret-one", NULL };
  const char *reject[] = { "--reject-key", NULL };
  Fixture fixture = { 0 };
  g_autoptr(GBytes) response = NULL;
  const char *body = "{\"path\":\"_system/cli/queryImport:list\",\"format\":\"convex_encoded_json\",\"args\":[{}]}";
  SyncClient *client;
  g_autoptr(JsonObject) auth_error = NULL;

  fixture_start (&fixture, custom_key);
  assert_bad_key (&fixture, NULL);
  assert_bad_key (&fixture, KEY);
  g_assert_cmpuint (http (&fixture, "POST", "/api/query", "secret-one", body, strlen (body), &response, NULL), ==, 200);
  g_assert_cmpuint (http (&fixture, "POST", "/api/export/request/zip?includeStorage=false", NULL, NULL, 0, NULL, NULL), ==, 403);

  /* On the sync socket, a wrong key gets an AuthError and no query results. */
  client = sync_connect (&fixture);
  sync_authenticate (client, "wrong");
  auth_error = sync_next (client);
  g_assert_cmpstr (json_object_get_string_member (auth_error, "type"), ==, "AuthError");
  g_assert_cmpint (json_object_get_int_member (auth_error, "baseVersion"), ==, 0);
  sync_free (client);
  fixture_stop (&fixture);

  fixture_start (&fixture, reject);
  assert_bad_key (&fixture, KEY);
  fixture_stop (&fixture);
}

static void
test_sync_versions (void)
{
  Fixture fixture = { 0 };
  SyncClient *client;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;
  JsonNode *value;

  fixture_start (&fixture, NULL);
  client = sync_connect (&fixture);
  sync_authenticate (client, KEY);
  /* The first Transition starts at querySet 0, ts 0, identity 0 (checked in sync_next). */
  first = sync_next (client);
  g_assert_cmpint (client->identity, ==, 1);
  g_assert_cmpint (client->query_set, ==, 0);

  sync_subscribe (client, 1, 0, "_system/cli/exports:getLatest", "{}");
  second = sync_next (client);
  g_assert_cmpint (client->query_set, ==, 1);
  value = g_hash_table_lookup (client->values, GINT_TO_POINTER (0));
  g_assert_nonnull (value);
  g_assert_true (JSON_NODE_HOLDS_NULL (value));

  /* Removing the query answers QueryRemoved and moves the query set on. */
  sync_send (client, "{\"type\":\"ModifyQuerySet\",\"baseVersion\":1,\"newVersion\":2,"
                     "\"modifications\":[{\"type\":\"Remove\",\"queryId\":0}]}");
  {
    g_autoptr(JsonObject) removed = sync_next (client);
    JsonArray *mods = json_object_get_array_member (removed, "modifications");

    g_assert_cmpint (client->query_set, ==, 2);
    g_assert_cmpuint (json_array_get_length (mods), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (mods, 0), "type"), ==,
                     "QueryRemoved");
  }

  sync_free (client);
  fixture_stop (&fixture);
}

static void
assert_tables (Fixture    *fixture,
               const char *expected)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  JsonArray *page;

  g_assert_cmpuint (http_json (fixture, "/api/query",
                               "{\"path\":\"_system/cli/tables\",\"format\":\"convex_encoded_json\","
                               "\"args\":[{\"paginationOpts\":{\"cursor\":null,\"numItems\":10000}}]}",
                               &result), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "status"), ==, "success");
  page = json_object_get_array_member (json_object_get_object_member (json_node_get_object (result), "value"), "page");
  for (guint i = 0; i < json_array_get_length (page); i++)
    g_string_append_printf (names, "%s%s", i > 0 ? "," : "",
                            json_object_get_string_member (json_array_get_object_element (page, i), "name"));
  g_assert_cmpstr (names->str, ==, expected);
}

static void
test_import_modes (void)
{
  Fixture fixture = { 0 };
  SyncClient *client;
  guint query_set = 0;
  g_autoptr(GPtrArray) checkpoints = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) many = g_string_new (NULL);

  fixture_start (&fixture, NULL);
  client = sync_ready (&fixture);

  /* requireEmpty into a new table: nothing deleted, so no confirmation. */
  {
    g_autoptr(JsonObject) waiting = prepare_import (&fixture, client, &query_set,
                                                    "{\"a\":1}\n{\"a\":2}\r\n\n{\"a\":3}\n",
                                                    "{\"tableName\":\"t\",\"mode\":\"requireEmpty\",\"format\":\"jsonLines\"}",
                                                    "waiting_for_confirmation");

    g_assert_cmpstr (json_object_get_string_member (waiting, "message_to_confirm"), ==,
                     "Import change summary:\n"
                     "table | create | delete           |\n"
                     "-----------------------------------\n"
                     "t     | 3      | 0 of 0 documents |\n"
                     CHANGE_SUMMARY_FOOTER);
    g_assert_false (json_object_get_boolean_member (waiting, "require_manual_confirmation"));
    g_assert_cmpint (perform_import (&fixture, client, query_set, checkpoints), ==, 3);
    g_assert_cmpuint (checkpoints->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (checkpoints, 0), ==, "Imported \"t\" (3 documents)");
  }

  /* A second table from a JSON array. */
  {
    g_autoptr(JsonObject) waiting = prepare_import (&fixture, client, &query_set,
                                                    "[{\"b\":\"x\"}, {\"b\":[1,{\"c\":\"]\"}]}]",
                                                    "{\"tableName\":\"users\",\"mode\":\"requireEmpty\",\"format\":\"jsonArray\"}",
                                                    "waiting_for_confirmation");
    g_assert_false (json_object_get_boolean_member (waiting, "require_manual_confirmation"));
    g_assert_cmpint (perform_import (&fixture, client, query_set, NULL), ==, 2);
  }
  assert_tables (&fixture, "t,users");

  /* requireEmpty into a table with documents fails with the server's message. */
  {
    g_autoptr(JsonObject) failed = prepare_import (&fixture, client, &query_set, "{\"a\":4}\n",
                                                   "{\"tableName\":\"t\",\"mode\":\"requireEmpty\",\"format\":\"jsonLines\"}",
                                                   "failed");
    g_assert_cmpstr (json_object_get_string_member (failed, "error_message"), ==,
                     "Table t already exists. Please choose a new table name or use replace/append modes.");
  }

  /* append: 1,200 documents, counts with thousands separators, no confirmation. */
  for (guint i = 0; i < 1200; i++)
    g_string_append_printf (many, "{\"n\":%u}\n", i);
  {
    g_autoptr(JsonObject) waiting = prepare_import (&fixture, client, &query_set, many->str,
                                                    "{\"tableName\":\"t\",\"mode\":\"append\",\"format\":\"jsonLines\"}",
                                                    "waiting_for_confirmation");

    g_assert_cmpstr (json_object_get_string_member (waiting, "message_to_confirm"), ==,
                     "Import change summary:\n"
                     "table | create | delete           |\n"
                     "-----------------------------------\n"
                     "t     | 1,200  | 0 of 3 documents |\n"
                     CHANGE_SUMMARY_FOOTER);
    g_assert_false (json_object_get_boolean_member (waiting, "require_manual_confirmation"));
    g_assert_cmpint (perform_import (&fixture, client, query_set, checkpoints), ==, 1200);
    g_assert_cmpstr (g_ptr_array_index (checkpoints, 0), ==, "Imported \"t\" (1,200 documents)");
  }

  /* replace: deletes what t holds, so confirmation is required. CSV numbers become floats. */
  {
    g_autoptr(JsonObject) waiting = prepare_import (&fixture, client, &query_set,
                                                    "name,age\n\"Ada, L.\",36\nGrace,\n",
                                                    "{\"tableName\":\"t\",\"mode\":\"replace\",\"format\":\"csv\"}",
                                                    "waiting_for_confirmation");

    g_assert_cmpstr (json_object_get_string_member (waiting, "message_to_confirm"), ==,
                     "Import change summary:\n"
                     "table | create | delete                   |\n"
                     "-------------------------------------------\n"
                     "t     | 2      | 1,203 of 1,203 documents |\n"
                     CHANGE_SUMMARY_FOOTER);
    g_assert_true (json_object_get_boolean_member (waiting, "require_manual_confirmation"));
    g_assert_cmpint (perform_import (&fixture, client, query_set, NULL), ==, 2);
  }

  /* replaceAll with only t in the file: users is deleted too. */
  {
    g_autoptr(JsonObject) waiting = prepare_import (&fixture, client, &query_set, "{\"z\":true}\n",
                                                    "{\"tableName\":\"t\",\"mode\":\"replaceAll\",\"format\":\"jsonLines\"}",
                                                    "waiting_for_confirmation");

    g_assert_cmpstr (json_object_get_string_member (waiting, "message_to_confirm"), ==,
                     "Import change summary:\n"
                     "table | create | delete           |\n"
                     "-----------------------------------\n"
                     "t     | 1      | 2 of 2 documents |\n"
                     "users | 0      | 2 of 2 documents |\n"
                     CHANGE_SUMMARY_FOOTER);
    g_assert_true (json_object_get_boolean_member (waiting, "require_manual_confirmation"));
    g_assert_cmpint (perform_import (&fixture, client, query_set, NULL), ==, 1);
  }
  assert_tables (&fixture, "t");

  /* Invalid JSON fails with the row number. */
  {
    g_autoptr(JsonObject) failed = prepare_import (&fixture, client, &query_set, "{\"a\":1}\n{nope\n",
                                                   "{\"tableName\":\"v\",\"mode\":\"append\",\"format\":\"jsonLines\"}",
                                                   "failed");
    g_assert_true (g_str_has_prefix (json_object_get_string_member (failed, "error_message"),
                                     "Hit an error while importing:\nRow 2 wasn't valid JSON: "));
  }

  sync_free (client);
  fixture_stop (&fixture);
}

static void
test_import_failure_and_running (void)
{
  const char *args[] = { "--fail-import", "Failed to insert or update a document in table \"t\"", "--import-running", NULL };
  Fixture fixture = { 0 };
  SyncClient *client;
  guint query_set = 0;
  g_autoptr(JsonNode) list = NULL;
  JsonArray *imports;

  fixture_start (&fixture, args);

  /* --import-running: the list holds someone else's import in progress. */
  g_assert_cmpuint (http_json (&fixture, "/api/query",
                               "{\"path\":\"_system/cli/queryImport:list\",\"format\":\"convex_encoded_json\",\"args\":[{}]}",
                               &list), ==, 200);
  imports = json_object_get_array_member (json_node_get_object (list), "value");
  g_assert_cmpuint (json_array_get_length (imports), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (json_array_get_object_element (imports, 0), "state"), "state"),
                   ==, "in_progress");

  client = sync_ready (&fixture);
  {
    g_autoptr(JsonObject) waiting = prepare_import (&fixture, client, &query_set, "{\"a\":1}\n",
                                                    "{\"tableName\":\"t\",\"mode\":\"requireEmpty\",\"format\":\"jsonLines\"}",
                                                    "waiting_for_confirmation");
    JsonNode *doc = g_hash_table_lookup (client->values, GINT_TO_POINTER (query_set));
    g_autofree char *body = g_strdup_printf ("{\"importId\":\"%s\"}",
                                             json_object_get_string_member (json_node_get_object (doc), "_id"));
    g_autoptr(JsonObject) failed = NULL;

    g_assert_cmpuint (http_json (&fixture, "/api/perform_import", body, NULL), ==, 200);
    failed = sync_wait_state (client, (int) query_set, "in_progress");
    g_clear_pointer (&failed, json_object_unref);
    for (;;)
      {
        g_autoptr(JsonObject) message = sync_next (client);
        JsonObject *state = json_object_get_object_member (json_node_get_object (g_hash_table_lookup (client->values, GINT_TO_POINTER (query_set))), "state");

        if (g_str_equal (json_object_get_string_member (state, "state"), "failed"))
          {
            g_assert_cmpstr (json_object_get_string_member (state, "error_message"), ==,
                             "Failed to insert or update a document in table \"t\"");
            break;
          }
      }
  }
  assert_tables (&fixture, "");
  sync_free (client);
  fixture_stop (&fixture);
}

/* ---- ZIPs ---- */

static la_ssize_t
append_cb (struct archive *a,
           void           *user_data,
           const void     *buffer,
           size_t          length)
{
  g_byte_array_append (user_data, buffer, length);
  return length;
}

static GBytes *
make_zip (const char * const *members)
{
  GByteArray *out = g_byte_array_new ();
  struct archive *a = archive_write_new ();

  archive_write_set_format_zip (a);
  archive_write_open2 (a, out, NULL, append_cb, NULL, NULL);
  for (guint i = 0; members[i] != NULL; i += 2)
    {
      struct archive_entry *entry = archive_entry_new ();
      gsize len = strlen (members[i + 1]);

      archive_entry_set_pathname (entry, members[i]);
      archive_entry_set_filetype (entry, AE_IFREG);
      archive_entry_set_perm (entry, 0644);
      archive_entry_set_size (entry, len);
      g_assert_cmpint (archive_write_header (a, entry), ==, ARCHIVE_OK);
      g_assert_cmpint (archive_write_data (a, members[i + 1], len), ==, (la_ssize_t) len);
      archive_entry_free (entry);
    }
  archive_write_close (a);
  archive_write_free (a);
  return g_byte_array_free_to_bytes (out);
}

/* name → content, plus the member order in "order". */
static GHashTable *
read_zip (GBytes    *zip,
          GString   *order)
{
  GHashTable *members = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  struct archive *a = archive_read_new ();
  struct archive_entry *entry;
  int r;

  archive_read_support_format_zip (a);
  g_assert_cmpint (archive_read_open_memory (a, g_bytes_get_data (zip, NULL), g_bytes_get_size (zip)), ==, ARCHIVE_OK);
  while ((r = archive_read_next_header (a, &entry)) == ARCHIVE_OK || r == ARCHIVE_WARN)
    {
      GString *content = g_string_new (NULL);
      char buf[4096];
      la_ssize_t n;

      while ((n = archive_read_data (a, buf, sizeof buf)) > 0)
        g_string_append_len (content, buf, n);
      g_assert_cmpint (n, ==, 0);
      g_string_append_printf (order, "%s%s", order->len > 0 ? " " : "", archive_entry_pathname (entry));
      g_hash_table_insert (members, g_strdup (archive_entry_pathname (entry)), g_string_free (content, FALSE));
    }
  g_assert_cmpint (r, ==, ARCHIVE_EOF);
  archive_read_free (a);
  return members;
}

static GBytes *
run_export (Fixture    *fixture,
            SyncClient *client,
            guint      *query_set,
            gboolean    include_storage,
            char      **filename)
{
  g_autoptr(JsonObject) completed = NULL;
  g_autofree char *path = NULL;
  g_autofree char *disposition = NULL;
  g_autofree char *expected = NULL;
  GBytes *zip = NULL;
  gint64 start_ts;

  g_assert_cmpuint (http (fixture, "POST", include_storage ? "/api/export/request/zip?includeStorage=true"
                                                           : "/api/export/request/zip?includeStorage=false",
                          KEY, NULL, 0, NULL, NULL), ==, 200);
  /* Only one export at a time. */
  {
    g_autoptr(JsonNode) busy = NULL;

    g_assert_cmpuint (http_json (fixture, "/api/export/request/zip?includeStorage=false", NULL, &busy), ==, 400);
    g_assert_cmpstr (json_object_get_string_member (json_node_get_object (busy), "code"), ==, "ExportInProgress");
  }

  *query_set += 1;
  sync_subscribe (client, *query_set, (int) *query_set, "_system/cli/exports:getLatest", "{}");
  completed = sync_wait_state (client, (int) *query_set, "completed");
  start_ts = decode_int64 (json_object_get_member (completed, "start_ts"));
  g_assert_cmpint (start_ts, >, 0);

  path = g_strdup_printf ("/api/export/zip/%" G_GINT64_FORMAT, start_ts);
  g_assert_cmpuint (http (fixture, "GET", path, KEY, NULL, 0, &zip, &disposition), ==, 200);
  expected = g_strdup_printf ("attachment; filename=snapshot_local-demo-deployment_%" G_GINT64_FORMAT ".zip", start_ts);
  g_assert_cmpstr (disposition, ==, expected);
  if (filename != NULL)
    *filename = g_strdup (disposition + strlen ("attachment; filename="));
  return zip;
}

static void
test_export_zip (void)
{
  const char *seed_members[] = {
    "_tables/documents.jsonl", "{\"name\":\"users\",\"id\":10007}\n{\"name\":\"empty\",\"id\":10009}\n",
    "users/documents.jsonl",
    "{\"name\":\"Ada\",\"_id\":\"kd7ax5qfnj2cb9sx1z0n7azqvh7b0kw1\",\"age\":36,\"_creationTime\":1732406400123.5,\"ratio\":1.0}\n"
    "{\"zeta\":null,\"big\":-9007199254740993,\"alpha\":{\"b\":1,\"a\":2}}\n",
    "users/generated_schema.jsonl", "\"uniform\"\n",
    "_storage/documents.jsonl",
    "{\"_id\":\"kg2a6bphbjv91qahresftq15e8zqyd82\",\"_creationTime\":1732406450000.125,\"sha256\":\"x\",\"size\":5,\"contentType\":\"text/plain\",\"internalId\":\"i\"}\n"
    "{\"_id\":\"kg2bq0000000000000000000000000aa\",\"_creationTime\":1.5}\n",
    "_storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt", "hello",
    "_storage/kg2bq0000000000000000000000000aa", "abc",
    "_components/limiter/_tables/documents.jsonl", "{\"name\":\"limits\",\"id\":10001}\n",
    "_components/limiter/limits/documents.jsonl", "{\"k\":\"v\"}\n",
    NULL
  };
  g_autoptr(GBytes) seed = make_zip (seed_members);
  g_autofree char *seed_path = NULL;
  g_autoptr(GError) error = NULL;
  Fixture fixture = { 0 };
  SyncClient *client;
  guint query_set = 0;
  int fd;

  fd = g_file_open_tmp ("cmg-seed-XXXXXX.zip", &seed_path, &error);
  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (seed_path, g_bytes_get_data (seed, NULL), g_bytes_get_size (seed), &error);
  g_assert_no_error (error);

  {
    const char *args[] = { "--seed", seed_path, NULL };
    fixture_start (&fixture, args);
  }
  g_unlink (seed_path);
  client = sync_ready (&fixture);

  /* `npx convex data users`: documents in the wire encoding, Int64 as $integer. */
  {
    const char *body = "{\"path\":\"_system/cli/tableData\",\"format\":\"convex_encoded_json\",\"args\":"
                       "[{\"table\":\"users\",\"order\":\"asc\",\"paginationOpts\":{\"cursor\":null,\"numItems\":1}}]}";
    g_autoptr(GBytes) response = NULL;
    g_autoptr(JsonNode) result = NULL;
    JsonArray *page;
    JsonObject *ada;
    const char *text;

    g_assert_cmpuint (http (&fixture, "POST", "/api/query", KEY, body, strlen (body), &response, NULL), ==, 200);
    text = g_bytes_get_data (response, NULL);
    g_assert_nonnull (g_strstr_len (text, g_bytes_get_size (response), "\"ratio\":1.0}"));
    result = parse_json (response);
    page = json_object_get_array_member (json_object_get_object_member (json_node_get_object (result), "value"), "page");
    g_assert_cmpuint (json_array_get_length (page), ==, 1);
    ada = json_array_get_object_element (page, 0);
    g_assert_cmpstr (json_object_get_string_member (ada, "name"), ==, "Ada");
    g_assert_cmpint (decode_int64 (json_object_get_member (ada, "age")), ==, 36);
  }

  {
    g_autofree char *filename = NULL;
    g_autoptr(GBytes) zip = run_export (&fixture, client, &query_set, TRUE, &filename);
    g_autoptr(GString) order = g_string_new (NULL);
    g_autoptr(GHashTable) members = read_zip (zip, order);
    g_auto(GStrv) lines = NULL;

    g_assert_true (g_str_has_prefix (filename, "snapshot_local-demo-deployment_"));
    /* README, _tables, tables smallest first, _storage last. */
    g_assert_cmpstr (order->str, ==,
                     "README.md _tables/documents.jsonl _components/limiter/_tables/documents.jsonl "
                     "empty/documents.jsonl empty/generated_schema.jsonl "
                     "_components/limiter/limits/documents.jsonl _components/limiter/limits/generated_schema.jsonl "
                     "users/documents.jsonl users/generated_schema.jsonl "
                     "_storage/documents.jsonl _storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt "
                     "_storage/kg2bq0000000000000000000000000aa "
                     "_components/limiter/_storage/documents.jsonl");
    g_assert_true (g_str_has_prefix (g_hash_table_lookup (members, "README.md"), "# Welcome to your Convex snapshot export!"));
    /* Table numbers come from the seed's _tables. */
    g_assert_cmpstr (g_hash_table_lookup (members, "_tables/documents.jsonl"), ==,
                     "{\"name\":\"users\",\"id\":10007}\n{\"name\":\"empty\",\"id\":10009}\n");
    g_assert_cmpstr (g_hash_table_lookup (members, "users/generated_schema.jsonl"), ==, "\"uniform\"\n");
    g_assert_cmpstr (g_hash_table_lookup (members, "empty/documents.jsonl"), ==, "");
    g_assert_cmpstr (g_hash_table_lookup (members, "_storage/kg2a6bphbjv91qahresftq15e8zqyd82.txt"), ==, "hello");
    /* Metadata without a size or hash gets them from the bytes. */
    g_assert_true (g_str_has_suffix (g_hash_table_lookup (members, "_storage/documents.jsonl"),
                                     "\n{\"_creationTime\":1.5,\"_id\":\"kg2bq0000000000000000000000000aa\","
                                     "\"sha256\":\"ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=\",\"size\":3}\n"));

    lines = g_strsplit (g_hash_table_lookup (members, "users/documents.jsonl"), "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 3);
    g_assert_cmpstr (lines[2], ==, "");
    /* Keys sorted by byte order; number text kept exactly. */
    g_assert_cmpstr (lines[0], ==,
                     "{\"_creationTime\":1732406400123.5,\"_id\":\"kd7ax5qfnj2cb9sx1z0n7azqvh7b0kw1\","
                     "\"age\":36,\"name\":\"Ada\",\"ratio\":1.0}");
    /* A document without _id and _creationTime gets both; its Id names table 10007. */
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *doc;
      const char *id;
      const char *second = strstr (lines[1], ",\"_id\":\"");

      g_assert_true (g_str_has_prefix (lines[1], "{\"_creationTime\":"));
      g_assert_nonnull (second);
      g_assert_true (g_str_has_suffix (lines[1], "\"alpha\":{\"b\":1,\"a\":2},\"big\":-9007199254740993,\"zeta\":null}"));
      json_parser_load_from_data (parser, lines[1], -1, &error);
      g_assert_no_error (error);
      doc = json_node_get_object (json_parser_get_root (parser));
      id = json_object_get_string_member (doc, "_id");
      g_assert_cmpuint (strlen (id), ==, 32);
      g_assert_cmpuint (strspn (id, "0123456789abcdefghjkmnpqrstvwxyz"), ==, 32);
      /* varint(10007) = 0x97 0x4e: the first 10 bits, 10010 11101, are "j" and "x". */
      g_assert_true (g_str_has_prefix (id, "jx"));
    }

    g_assert_cmpstr (g_hash_table_lookup (members, "_components/limiter/_tables/documents.jsonl"), ==,
                     "{\"name\":\"limits\",\"id\":10001}\n");
  }

  /* Without storage, no _storage members; a second export after the first completed is allowed. */
  {
    g_autoptr(GBytes) zip = run_export (&fixture, client, &query_set, FALSE, NULL);
    g_autoptr(GString) order = g_string_new (NULL);
    g_autoptr(GHashTable) members = read_zip (zip, order);

    g_assert_null (strstr (order->str, "_storage"));
    g_assert_true (g_hash_table_contains (members, "users/documents.jsonl"));
  }

  sync_free (client);
  fixture_stop (&fixture);
}

static void
test_export_running (void)
{
  const char *args[] = { "--export-running", NULL };
  Fixture fixture = { 0 };
  g_autoptr(JsonNode) busy = NULL;
  SyncClient *client;
  g_autoptr(JsonObject) state = NULL;

  fixture_start (&fixture, args);
  g_assert_cmpuint (http_json (&fixture, "/api/export/request/zip?includeStorage=true", NULL, &busy), ==, 400);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (busy), "code"), ==, "ExportInProgress");

  client = sync_ready (&fixture);
  sync_subscribe (client, 1, 0, "_system/cli/exports:getLatest", "{}");
  state = sync_wait_state (client, 0, NULL);
  g_assert_cmpstr (json_object_get_string_member (state, "state"), ==, "in_progress");
  sync_free (client);
  fixture_stop (&fixture);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/deployment/launcher-and-instance", test_launcher_and_instance);
  g_test_add_func ("/deployment/launcher-failure", test_launcher_failure);
  g_test_add_func ("/deployment/key-rejection", test_key_rejection);
  g_test_add_func ("/deployment/sync-versions", test_sync_versions);
  g_test_add_func ("/deployment/import-modes", test_import_modes);
  g_test_add_func ("/deployment/import-failure-and-running", test_import_failure_and_running);
  g_test_add_func ("/deployment/export-zip", test_export_zip);
  g_test_add_func ("/deployment/export-running", test_export_running);

  return g_test_run ();
}
