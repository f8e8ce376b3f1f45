/* test-inspect.c: `convex-migrate inspect`, run as a separate process like a script would. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <locale.h>
#include <string.h>
#include <sys/wait.h>

#include "cmg-id.h"
#include "cmg-test-archive.h"

static char *tmp_dir;

static char *
make_id (guint32 number, guint8 seed)
{
  CmgId id = { .table_number = number };

  memset (id.internal, seed, sizeof id.internal);
  return cmg_id_encode (&id);
}

static int
run_inspect (const char * const *args,
             char              **out,
             char              **err)
{
  const char *root = g_getenv ("CMG_BUILD_ROOT");
  g_autofree char *binary = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int status = -1;

  g_assert_nonnull (root);
  binary = g_build_filename (root, "src", "convex-migrate", NULL);
  g_ptr_array_add (argv, binary);
  g_ptr_array_add (argv, (gpointer) "inspect");
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err, &status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status));
  return WEXITSTATUS (status);
}

static char *
build_archive (const char *name,
               gboolean    with_duplicate)
{
  char *path = g_build_filename (tmp_dir, name, NULL);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autofree char *u1 = make_id (10001, 1);
  g_autofree char *u2 = make_id (10001, 2);
  g_autofree char *l1 = make_id (10001, 3);
  g_autofree char *users = g_strdup_printf ("{\"_id\":\"%s\",\"age\":36}\n{\"_id\":\"%s\",\"age\":-9007199254740993}\n",
                                            u1, with_duplicate ? u1 : u2);
  g_autofree char *limits = g_strdup_printf ("{\"_id\":\"%s\",\"key\":\"a\"}\n", l1);

  cmg_test_archive_add_readme (a);
  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", users);
  cmg_test_archive_add_table (a, "rl", "limits", 10001, "\"uniform\"", limits);
  cmg_test_archive_add_storage_file (a, "", "kg2a6bphbjv91qahresftq15e8zqyd82.txt", "hello", 5, NULL);
  cmg_test_archive_close (a);
  return path;
}

static JsonObject *
parse_object (JsonParser *parser,
              const char *text)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static JsonObject *
table_named (JsonObject *report,
             const char *name)
{
  JsonArray *tables = json_object_get_array_member (report, "tables");

  for (guint i = 0; i < json_array_get_length (tables); i++)
    {
      JsonObject *t = json_array_get_object_element (tables, i);
      if (strcmp (json_object_get_string_member (t, "name"), name) == 0)
        return t;
    }
  g_error ("no table %s", name);
}

static void
test_json_good (void)
{
  g_autofree char *path = build_archive ("good.zip", FALSE);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { path, "--json", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *report, *users, *limits, *storage;

  g_assert_cmpint (run_inspect (args, &out, &err), ==, 0);
  report = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (report, "file"), ==, path);
  g_assert_cmpstr (json_object_get_string_member (report, "kind"), ==, "zip");
  g_assert_false (json_object_has_member (report, "findings"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (report, "tables")), ==, 2);

  users = table_named (report, "users");
  g_assert_cmpstr (json_object_get_string_member (users, "component"), ==, "");
  g_assert_cmpint (json_object_get_int_member (users, "number"), ==, 10001);
  g_assert_cmpint (json_object_get_int_member (users, "documents"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (users, "bytes"), >, 80);
  g_assert_cmpint (json_object_get_int_member (users, "compressed_bytes"), >, 0);
  g_assert_cmpstr (json_object_get_string_member (users, "schema"), ==, "uniform");

  limits = table_named (report, "limits");
  g_assert_cmpstr (json_object_get_string_member (limits, "component"), ==, "rl");
  g_assert_cmpint (json_object_get_int_member (limits, "documents"), ==, 1);

  storage = json_object_get_object_member (report, "storage");
  g_assert_cmpint (json_object_get_int_member (storage, "files"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (storage, "bytes"), ==, 5);
}

static void
test_check_bad (void)
{
  g_autofree char *path = build_archive ("bad.zip", TRUE);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { path, "--json", "--check", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *report;
  JsonArray *findings;
  gboolean found = FALSE;

  g_assert_cmpint (run_inspect (args, &out, &err), ==, 1);
  report = parse_object (parser, out);
  findings = json_object_get_array_member (report, "findings");
  for (guint i = 0; i < json_array_get_length (findings); i++)
    {
      JsonObject *f = json_array_get_object_element (findings, i);

      if (strcmp (json_object_get_string_member (f, "code"), "duplicate-id") == 0)
        {
          g_assert_cmpstr (json_object_get_string_member (f, "table"), ==, "users");
          g_assert_cmpint (json_object_get_int_member (f, "line"), ==, 2);
          g_assert_cmpstr (json_object_get_string_member (f, "severity"), ==, "error");
          g_assert_true (strlen (json_object_get_string_member (f, "message")) > 0);
          found = TRUE;
        }
    }
  g_assert_true (found);
}

static void
test_check_good (void)
{
  g_autofree char *path = build_archive ("good2.zip", FALSE);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { path, "--json", "--check", NULL };
  const char *human[] = { path, "--check", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *report;
  JsonArray *findings;

  g_assert_cmpint (run_inspect (args, &out, &err), ==, 0);
  report = parse_object (parser, out);
  findings = json_object_get_array_member (report, "findings");
  /* The stored file has no metadata line: a warning only. */
  for (guint i = 0; i < json_array_get_length (findings); i++)
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (findings, i), "severity"), !=, "error");

  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (run_inspect (human, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "users"));
  g_assert_nonnull (strstr (out, "rl:limits"));
  g_assert_nonnull (strstr (out, "uniform"));
}

static void
test_rows (void)
{
  g_autofree char *path = build_archive ("rows.zip", FALSE);
  g_autofree char *out = NULL, *err = NULL;
  g_autofree char *u2 = make_id (10001, 2);
  g_autofree char *expected = g_strdup_printf ("{\"_id\":\"%s\",\"age\":-9007199254740993}\n", u2);
  const char *args[] = { path, "--table", "users", "--rows", "2-5", NULL };
  const char *component[] = { path, "--table", "rl:limits", "--rows", "1-1", NULL };
  const char *missing[] = { path, "--table", "nope", NULL };
  const char *no_table[] = { path, "--rows", "1-2", NULL };

  g_assert_cmpint (run_inspect (args, &out, &err), ==, 0);
  g_assert_cmpstr (out, ==, expected);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_inspect (component, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"key\":\"a\""));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_inspect (missing, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_nonnull (strstr (err, "nope"));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_inspect (no_table, &out, &err), ==, 2);
}

static void
test_garbage (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "garbage.zip", NULL);
  g_autofree char *missing = g_build_filename (tmp_dir, "missing.zip", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { path, "--json", "--check", NULL };
  const char *args_missing[] = { missing, NULL };
  const char *no_file[] = { "--json", NULL };

  cmg_test_write_file (path, "PK\x03\x04 this is not really a zip archive at all", -1);
  g_assert_cmpint (run_inspect (args, &out, &err), ==, 2);
  g_assert_cmpstr (out, ==, "");
  g_assert_cmpuint (strlen (err), >, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_inspect (args_missing, &out, &err), ==, 2);
  g_assert_cmpuint (strlen (err), >, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  g_assert_cmpint (run_inspect (no_file, &out, &err), ==, 2);
}

static void
test_jsonl (void)
{
  g_autofree char *path = g_build_filename (tmp_dir, "people.jsonl", NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *args[] = { path, "--json", "--check", NULL };
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *report;

  /* Documents of a single file need no _id: the import makes them. */
  cmg_test_write_file (path, "{\"name\":\"a\"}\n{\"name\":\"b\"}\n{\"name\":\"c\"}\n", -1);
  g_assert_cmpint (run_inspect (args, &out, &err), ==, 0);
  report = parse_object (parser, out);
  g_assert_cmpstr (json_object_get_string_member (report, "kind"), ==, "jsonl");
  g_assert_cmpint (json_object_get_int_member (table_named (report, "people"), "documents"), ==, 3);
}

int
main (int argc, char **argv)
{
  int status;

  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  tmp_dir = cmg_test_make_temp_dir ();
  g_test_add_func ("/inspect/json-good", test_json_good);
  g_test_add_func ("/inspect/check-good", test_check_good);
  g_test_add_func ("/inspect/check-bad", test_check_bad);
  g_test_add_func ("/inspect/rows", test_rows);
  g_test_add_func ("/inspect/garbage", test_garbage);
  g_test_add_func ("/inspect/jsonl", test_jsonl);
  status = g_test_run ();
  cmg_test_remove_dir (tmp_dir);
  g_free (tmp_dir);
  return status;
}
