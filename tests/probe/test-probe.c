/* test-probe.c: CmgProbe against a SoupServer in this process, on 127.0.0.1 and a free port. */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "cmg-deploy-error.h"
#include "cmg-probe.h"

#define NAME "happy-animal-123"
#define VERSION "1.2.3"
#define SLOW_SECONDS 3

/* What the server answers depends on the first path segment, so one server covers every case:
 *   /              the name (padded with blanks, to check trimming) and the version
 *   /nover/        the name; 404 on /instance_version
 *   /notfound/     404 on both
 *   /html/         200 with a web page on both
 *   /slow/         both answered after SLOW_SECONDS
 *   /slowversion/  the name at once, the version after SLOW_SECONDS */
typedef struct
{
  SoupServer *server;
  char       *url;
  GPtrArray  *delayed;   /* of Delayed */
  guint       requests;
} Fixture;

typedef struct
{
  Fixture           *fixture;
  SoupServerMessage *msg;
  guint              source_id;
} Delayed;

static void
set_text (SoupServerMessage *msg,
          guint              status,
          const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/plain", SOUP_MEMORY_COPY, text, strlen (text));
}

static void
answer (SoupServerMessage *msg,
        const char        *leaf)
{
  if (g_strcmp0 (leaf, "instance_name") == 0)
    set_text (msg, SOUP_STATUS_OK, "  " NAME "\n");
  else if (g_strcmp0 (leaf, "instance_version") == 0)
    set_text (msg, SOUP_STATUS_OK, VERSION "\n");
  else
    set_text (msg, SOUP_STATUS_NOT_FOUND, "not found");
}

static gboolean
delayed_answer_cb (gpointer user_data)
{
  Delayed *delayed = user_data;
  const char *path = g_uri_get_path (soup_server_message_get_uri (delayed->msg));

  answer (delayed->msg, strrchr (path, '/') + 1);
  soup_server_message_unpause (delayed->msg);
  delayed->source_id = 0;
  g_ptr_array_remove (delayed->fixture->delayed, delayed);

  return G_SOURCE_REMOVE;
}

static void
delay (Fixture           *fixture,
       SoupServerMessage *msg)
{
  Delayed *delayed = g_new0 (Delayed, 1);

  delayed->fixture = fixture;
  delayed->msg = g_object_ref (msg);
  soup_server_message_pause (msg);
  delayed->source_id = g_timeout_add_seconds (SLOW_SECONDS, delayed_answer_cb, delayed);
  g_ptr_array_add (fixture->delayed, delayed);
}

static void
delayed_free (gpointer data)
{
  Delayed *delayed = data;

  if (delayed->source_id != 0)
    {
      /* Still paused at the end of a test: answer it so the server can be torn down. */
      g_source_remove (delayed->source_id);
      set_text (delayed->msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "shutting down");
      soup_server_message_unpause (delayed->msg);
    }
  g_object_unref (delayed->msg);
  g_free (delayed);
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  Fixture *fixture = user_data;
  g_auto(GStrv) parts = g_strsplit (path + 1, "/", 2);
  const char *leaf = parts[1] != NULL ? parts[1] : parts[0];

  fixture->requests++;

  if (parts[1] == NULL)
    answer (msg, leaf);
  else if (g_str_equal (parts[0], "nover"))
    answer (msg, g_str_equal (leaf, "instance_name") ? leaf : "nothing");
  else if (g_str_equal (parts[0], "notfound"))
    answer (msg, "nothing");
  else if (g_str_equal (parts[0], "html"))
    set_text (msg, SOUP_STATUS_OK, "<!DOCTYPE html>\n<html><body>Welcome</body></html>\n");
  else if (g_str_equal (parts[0], "slow"))
    delay (fixture, msg);
  else if (g_str_equal (parts[0], "slowversion") && g_str_equal (leaf, "instance_version"))
    delay (fixture, msg);
  else
    answer (msg, leaf);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;

  fixture->delayed = g_ptr_array_new_with_free_func (delayed_free);
  fixture->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (fixture->server, NULL, server_cb, fixture, NULL);
  soup_server_listen_local (fixture->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (fixture->server);
  g_assert_nonnull (uris);
  fixture->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->delayed, g_ptr_array_unref);
  soup_server_disconnect (fixture->server);
  g_assert_finalize_object (fixture->server);
  g_free (fixture->url);

  /* Let closed connections finish their callbacks before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

typedef struct
{
  gboolean        done;
  CmgProbeResult *result;
  GError         *error;
  GMainContext   *context;
  GThread        *thread;
} Outcome;

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Outcome *outcome = user_data;

  /* The callback runs in the caller's thread and main context. */
  g_assert_true (outcome->thread == g_thread_self ());
  g_assert_true (g_main_context_is_owner (outcome->context));
  g_assert_true (g_main_context_get_thread_default () == outcome->context ||
                 (outcome->context == g_main_context_default () &&
                  g_main_context_get_thread_default () == NULL));

  outcome->result = cmg_probe_check_finish (CMG_PROBE (object), result, &outcome->error);
  g_assert_true ((outcome->result == NULL) != (outcome->error == NULL));
  outcome->done = TRUE;
}

static void
outcome_clear (Outcome *outcome)
{
  g_clear_pointer (&outcome->result, cmg_probe_result_free);
  g_clear_error (&outcome->error);
}

/* Starts a check and spins the thread-default main context until it calls back. */
static void
run_check (CmgProbe     *probe,
           const char   *url,
           const char   *expected_name,
           GCancellable *cancellable,
           Outcome      *outcome)
{
  GMainContext *context = g_main_context_ref_thread_default ();

  memset (outcome, 0, sizeof *outcome);
  outcome->context = context;
  outcome->thread = g_thread_self ();

  cmg_probe_check_async (probe, url, expected_name, cancellable, check_cb, outcome);
  /* Never answers from inside the call, even when the answer is known at once. */
  g_assert_false (outcome->done);

  while (!outcome->done)
    g_main_context_iteration (context, TRUE);

  g_main_context_unref (context);
}

static char *
url_with (Fixture    *fixture,
          const char *path)
{
  return g_strconcat (fixture->url, path, NULL);
}

static void
test_right_name (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  Outcome outcome;

  run_check (probe, fixture->url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 200);
  g_assert_cmpstr (outcome.result->instance_name, ==, NAME);
  g_assert_cmpstr (outcome.result->version, ==, VERSION);
  g_assert_true (outcome.result->name_matches);
  g_assert_cmpstr (outcome.result->message, ==, "Reachable, backend " VERSION);
  g_assert_cmpuint (fixture->requests, ==, 2);
  outcome_clear (&outcome);

  /* A trailing slash, as users paste it, does not change the request paths. */
  {
    g_autofree char *slash = url_with (fixture, "/");

    run_check (probe, slash, NAME, NULL, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_cmpstr (outcome.result->instance_name, ==, NAME);
    g_assert_cmpstr (outcome.result->version, ==, VERSION);
    outcome_clear (&outcome);
  }

  /* Without an expected name any name matches. */
  run_check (probe, fixture->url, NULL, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->name_matches);
  g_assert_cmpstr (outcome.result->instance_name, ==, NAME);
  /* …and the message says who answered, since nothing else names the backend (self-hosted). */
  g_assert_cmpstr (outcome.result->message, ==, "Reachable as " NAME ", backend " VERSION);
  outcome_clear (&outcome);

  g_assert_finalize_object (g_steal_pointer (&probe));
}

static void
test_wrong_name (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  Outcome outcome;

  run_check (probe, fixture->url, "other-name-456", NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 200);
  g_assert_cmpstr (outcome.result->instance_name, ==, NAME);
  g_assert_false (outcome.result->name_matches);
  g_assert_cmpstr (outcome.result->message, ==, "Answers as " NAME ", not other-name-456");
  outcome_clear (&outcome);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = url_with (fixture, "/notfound");
  Outcome outcome;

  run_check (probe, url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 404);
  g_assert_null (outcome.result->instance_name);
  g_assert_null (outcome.result->version);
  g_assert_false (outcome.result->name_matches);
  g_assert_nonnull (strstr (outcome.result->message, "HTTP 404"));
  g_assert_nonnull (strstr (outcome.result->message, url));
  outcome_clear (&outcome);
}

static void
test_not_convex (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = url_with (fixture, "/html");
  Outcome outcome;

  run_check (probe, url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 200);
  g_assert_null (outcome.result->instance_name);
  g_assert_null (outcome.result->version);
  g_assert_false (outcome.result->name_matches);
  g_assert_nonnull (strstr (outcome.result->message, "not like a Convex backend"));
  outcome_clear (&outcome);
}

static void
test_version_missing (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = url_with (fixture, "/nover");
  Outcome outcome;

  run_check (probe, url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 200);
  g_assert_cmpstr (outcome.result->instance_name, ==, NAME);
  g_assert_null (outcome.result->version);
  g_assert_true (outcome.result->name_matches);
  g_assert_cmpstr (outcome.result->message, ==, "Reachable, backend version unknown");
  outcome_clear (&outcome);
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = url_with (fixture, "/slow");
  g_autofree char *expected = NULL;
  Outcome outcome;
  gint64 start, elapsed;

  cmg_probe_set_timeout (probe, 1);
  start = g_get_monotonic_time ();
  run_check (probe, url, NAME, NULL, &outcome);
  elapsed = g_get_monotonic_time () - start;

  g_assert_no_error (outcome.error);
  g_assert_false (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 0);
  g_assert_null (outcome.result->instance_name);
  g_assert_null (outcome.result->version);
  g_assert_false (outcome.result->name_matches);
  expected = g_strdup_printf ("No answer from %s within 1 second", url);
  g_assert_cmpstr (outcome.result->message, ==, expected);
  /* Gave up after the timeout, long before the server's answer. */
  g_assert_cmpint (elapsed, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (elapsed, <, 2 * G_TIME_SPAN_SECOND);
  outcome_clear (&outcome);
}

static void
test_timeout_version_only (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = url_with (fixture, "/slowversion");
  Outcome outcome;
  gint64 start, elapsed;

  cmg_probe_set_timeout (probe, 1);
  start = g_get_monotonic_time ();
  run_check (probe, url, NAME, NULL, &outcome);
  elapsed = g_get_monotonic_time () - start;

  /* The name answered: reachable, just without a version. */
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->reachable);
  g_assert_cmpstr (outcome.result->instance_name, ==, NAME);
  g_assert_null (outcome.result->version);
  g_assert_true (outcome.result->name_matches);
  g_assert_cmpstr (outcome.result->message, ==, "Reachable, backend version unknown");
  g_assert_cmpint (elapsed, <, 2 * G_TIME_SPAN_SECOND);
  outcome_clear (&outcome);
}

static void
test_connection_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = NULL;
  Outcome outcome;

  /* A port that was free a moment ago and has nothing listening on it now. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  g_socket_close (socket, &error);
  g_assert_no_error (error);

  run_check (probe, url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_false (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 0);
  g_assert_null (outcome.result->instance_name);
  g_assert_false (outcome.result->name_matches);
  g_assert_nonnull (strstr (outcome.result->message, "connection refused"));
  g_assert_nonnull (strstr (outcome.result->message, url));
  outcome_clear (&outcome);
}

typedef struct
{
  gboolean done;
  GError  *error;
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  GList *addresses;

  addresses = g_resolver_lookup_by_name_finish (G_RESOLVER (object), result, &lookup->error);
  g_resolver_free_addresses (addresses);
  lookup->done = TRUE;
}

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_unknown_host (void)
{
  const char *host = "convex-migrate-probe-test.invalid";
  g_autoptr(GResolver) resolver = g_resolver_get_default ();
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = g_strdup_printf ("http://%s:3210", host);
  Lookup lookup = { FALSE, NULL };
  gboolean too_slow = FALSE;
  guint timer;
  Outcome outcome;

  /* Whether a name fails to resolve, and how fast, depends on the machine's resolver: only
   * check the message where the system says "not found" quickly. */
  g_resolver_lookup_by_name_async (resolver, host, NULL, lookup_cb, &lookup);
  timer = g_timeout_add_seconds (2, set_flag_cb, &too_slow);
  while (!lookup.done && !too_slow)
    g_main_context_iteration (NULL, TRUE);
  if (!too_slow)
    g_source_remove (timer);
  while (!lookup.done)
    g_main_context_iteration (NULL, TRUE);

  if (too_slow || !g_error_matches (lookup.error, G_RESOLVER_ERROR, G_RESOLVER_ERROR_NOT_FOUND))
    {
      g_test_skip ("this machine's resolver does not quickly report .invalid names as unknown");
      g_clear_error (&lookup.error);
      return;
    }
  g_clear_error (&lookup.error);

  cmg_probe_set_timeout (probe, 3);
  run_check (probe, url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_false (outcome.result->reachable);
  g_assert_cmpuint (outcome.result->http_status, ==, 0);
  g_assert_nonnull (strstr (outcome.result->message, "Cannot find the server of"));
  g_assert_nonnull (strstr (outcome.result->message, url));
  outcome_clear (&outcome);
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static gpointer
cancel_thread (gpointer user_data)
{
  g_usleep (100 * G_TIME_SPAN_MILLISECOND);
  g_cancellable_cancel (user_data);
  return NULL;
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  g_autofree char *url = url_with (fixture, "/slow");
  Outcome outcome;
  gint64 start;

  /* While the server keeps it waiting: the probe ends at once, well before its timeout. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_timeout_add (100, cancel_cb, cancellable);
    start = g_get_monotonic_time ();
    run_check (probe, url, NAME, cancellable, &outcome);
    g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_null (outcome.result);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
    outcome_clear (&outcome);
  }

  /* Cancelled from another thread: still answered in the caller's thread (check_cb checks). */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    GThread *thread = g_thread_new ("cancel", cancel_thread, cancellable);

    start = g_get_monotonic_time ();
    run_check (probe, url, NAME, cancellable, &outcome);
    g_thread_join (thread);
    g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_TIME_SPAN_SECOND);
    outcome_clear (&outcome);
  }

  /* Already cancelled before the call, against a server that would answer at once. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();

    g_cancellable_cancel (cancellable);
    run_check (probe, fixture->url, NAME, cancellable, &outcome);
    g_assert_error (outcome.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
    outcome_clear (&outcome);
  }

  /* The probe is still usable afterwards. */
  run_check (probe, fixture->url, NAME, NULL, &outcome);
  g_assert_no_error (outcome.error);
  g_assert_true (outcome.result->name_matches);
  outcome_clear (&outcome);
}

static void
test_invalid_url (void)
{
  const char *urls[] = {
    "",
    "happy-animal-123",
    "happy-animal-123.convex.cloud",
    "ftp://example.com",
    "http://",
    "https:///instance_name",
    "https://example.com/?deployment=x",
    "https://example.com/#top",
    "http://exa mple.com",
  };
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  Outcome outcome;

  for (guint i = 0; i < G_N_ELEMENTS (urls); i++)
    {
      run_check (probe, urls[i], NAME, NULL, &outcome);
      g_assert_error (outcome.error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
      g_assert_null (outcome.result);
      outcome_clear (&outcome);
    }

  run_check (probe, NULL, NULL, NULL, &outcome);
  g_assert_error (outcome.error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_MALFORMED);
  outcome_clear (&outcome);
}

/* A probe started in a thread-default context answers there, never in the global default one. */
static void
test_own_context (void)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  Fixture fixture = { 0 };
  Outcome outcome;

  g_main_context_push_thread_default (context);
  fixture_set_up (&fixture, NULL);
  {
    g_autoptr(CmgProbe) probe = cmg_probe_new ();

    run_check (probe, fixture.url, NAME, NULL, &outcome);
    g_assert_no_error (outcome.error);
    g_assert_true (outcome.result->name_matches);
    g_assert_true (outcome.context == context);
    outcome_clear (&outcome);
  }
  g_clear_pointer (&fixture.delayed, g_ptr_array_unref);
  soup_server_disconnect (fixture.server);
  g_assert_finalize_object (fixture.server);
  g_free (fixture.url);
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           gpointer    user_data)
{
  (*(guint *) user_data)++;
}

static void
test_timeout_property (void)
{
  g_autoptr(CmgProbe) probe = cmg_probe_new ();
  guint notified = 0;
  guint value = 0;

  g_assert_cmpuint (cmg_probe_get_timeout (probe), ==, 5);
  g_signal_connect (probe, "notify::timeout", G_CALLBACK (notify_cb), &notified);

  cmg_probe_set_timeout (probe, 12);
  g_assert_cmpuint (cmg_probe_get_timeout (probe), ==, 12);
  g_assert_cmpuint (notified, ==, 1);

  cmg_probe_set_timeout (probe, 12);
  g_assert_cmpuint (notified, ==, 1);

  g_object_set (probe, "timeout", 3u, NULL);
  g_object_get (probe, "timeout", &value, NULL);
  g_assert_cmpuint (value, ==, 3);
  g_assert_cmpuint (notified, ==, 2);
}

static void
test_result_copy (void)
{
  CmgProbeResult result = { TRUE, 200, (char *) NAME, (char *) VERSION, TRUE, (char *) "message" };
  g_autoptr(CmgProbeResult) copy = cmg_probe_result_copy (&result);
  g_autoptr(CmgProbeResult) boxed = g_boxed_copy (CMG_TYPE_PROBE_RESULT, copy);

  g_assert_true (boxed->reachable);
  g_assert_cmpuint (boxed->http_status, ==, 200);
  g_assert_cmpstr (boxed->instance_name, ==, NAME);
  g_assert_true (boxed->instance_name != result.instance_name);
  g_assert_cmpstr (boxed->version, ==, VERSION);
  g_assert_true (boxed->name_matches);
  g_assert_cmpstr (boxed->message, ==, "message");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/probe/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("right-name", test_right_name);
  ADD ("wrong-name", test_wrong_name);
  ADD ("not-found", test_not_found);
  ADD ("not-convex", test_not_convex);
  ADD ("version-missing", test_version_missing);
  ADD ("timeout", test_timeout);
  ADD ("timeout-version-only", test_timeout_version_only);
  ADD ("cancel", test_cancel);
  g_test_add_func ("/probe/connection-refused", test_connection_refused);
  g_test_add_func ("/probe/unknown-host", test_unknown_host);
  g_test_add_func ("/probe/invalid-url", test_invalid_url);
  g_test_add_func ("/probe/own-context", test_own_context);
  g_test_add_func ("/probe/timeout-property", test_timeout_property);
  g_test_add_func ("/probe/result-copy", test_result_copy);

#undef ADD

  return g_test_run ();
}
