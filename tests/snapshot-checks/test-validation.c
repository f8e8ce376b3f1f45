/* test-validation.c: every finding code, triggered by an archive the test builds, with its table
 * and line. */
#include "config.h"

#include <locale.h>
#include <string.h>

#include "cmg-id.h"
#include "cmg-snapshot.h"
#include "cmg-table.h"
#include "cmg-test-archive.h"
#include "cmg-validation.h"

/* An Id of table number with internal id bytes all equal to seed. */
static char *
make_id (guint32 number,
         guint8  seed)
{
  CmgId id = { .table_number = number };

  memset (id.internal, seed, sizeof id.internal);
  id.internal[0] = (guint8) number;
  return cmg_id_encode (&id);
}

static char *
sha256_base64 (const char *data, gsize length)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize n = sizeof digest;

  g_checksum_update (checksum, (const guchar *) data, length);
  g_checksum_get_digest (checksum, digest, &n);
  return g_base64_encode (digest, n);
}

static const CmgFinding *
find (GPtrArray  *findings,
      const char *code,
      const char *component,
      const char *table,
      guint64     line)
{
  for (guint i = 0; i < findings->len; i++)
    {
      const CmgFinding *f = g_ptr_array_index (findings, i);

      if (strcmp (f->code, code) == 0 && strcmp (f->component, component) == 0 &&
          strcmp (f->table, table) == 0 && (line == G_MAXUINT64 || f->line == line))
        return f;
    }
  return NULL;
}

static void
assert_finding (GPtrArray          *findings,
                const char         *code,
                const char         *component,
                const char         *table,
                guint64             line,
                CmgFindingSeverity  severity)
{
  const CmgFinding *f = find (findings, code, component, table, line);

  if (f == NULL)
    {
      for (guint i = 0; i < findings->len; i++)
        {
          const CmgFinding *g = g_ptr_array_index (findings, i);
          g_printerr ("  have %s %s:%s:%" G_GUINT64_FORMAT " %s\n", g->code, g->component, g->table,
                      g->line, g->message);
        }
      g_error ("no finding %s in %s:%s line %" G_GUINT64_FORMAT, code, component, table, line);
    }
  g_assert_cmpint (f->severity, ==, severity);
  g_assert_true (f->message != NULL && f->message[0] != '\0');
}

static char *
build_bad_archive (const char *dir)
{
  char *path = g_build_filename (dir, "bad.zip", NULL);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autofree char *u1 = make_id (10001, 1);
  g_autofree char *u2 = make_id (10001, 2);
  g_autofree char *u3 = make_id (10001, 3);
  g_autofree char *u4 = make_id (10001, 4);
  g_autofree char *u5 = make_id (10001, 5);
  g_autofree char *u9 = make_id (10001, 9);
  g_autofree char *u10 = make_id (10001, 10);
  g_autofree char *absent = make_id (10001, 99);
  g_autofree char *m1 = make_id (10002, 1);
  g_autofree char *b1 = make_id (10003, 1);
  g_autofree char *o1 = make_id (10006, 1);
  g_autofree char *n1 = make_id (10004, 1);
  g_autofree char *c1 = make_id (10001, 7);
  g_autofree char *c_absent = make_id (10001, 8);
  g_autofree char *s_ok = make_id (540, 1);
  g_autofree char *s_bad = make_id (540, 2);
  g_autofree char *s_size = make_id (540, 3);
  g_autofree char *s_nometa = make_id (540, 4);
  g_autofree char *s_nofile = make_id (540, 5);
  g_autofree char *s_absent = make_id (540, 6);
  g_autofree char *sha_ok = sha256_base64 ("hello\n", 6);
  g_autofree char *big = g_strnfill (1100 * 1024, 'x');
  g_autofree char *users = NULL;
  g_autofree char *messages = NULL;
  g_autofree char *bommy = NULL;
  g_autofree char *storage = NULL;
  g_autofree char *file_ok = NULL, *file_bad = NULL, *file_size = NULL, *file_nometa = NULL;
  g_autofree char *limits = NULL;

  users = g_strdup_printf (
    "{\"_creationTime\":1.0,\"_id\":\"%s\",\"age\":36}\n"                   /* 1 fine */
    "{\"_id\":\n"                                                             /* 2 invalid-json */
    "[1,2]\n"                                                                 /* 3 not-an-object */
    "{\"name\":\"x\"}\n"                                                      /* 4 missing-id */
    "{\"_id\":\"notanid\"}\n"                                                 /* 5 malformed-id */
    "{\"_id\":\"%s\"}\n"                                                      /* 6 id-table-mismatch */
    "{\"_id\":\"%s\"}\n"                                                      /* 7 duplicate-id */
    "{\"_id\":\"%s\",\"friend\":{\"list\":[1,\"%s\"]},\"ok\":\"%s\"}\n"       /* 8 dangling-reference */
    "{\"_id\":\"%s\"}\r\n"                                                    /* 9 crlf */
    "{\"_id\":\"%s\",\"n\":\"\xff\"}\n"                                       /* 10 invalid-utf8 */
    "{\"_id\":\"%s\",\"big\":\"%s\"}\n"                                       /* 11 oversize-line */
    "{\"_id\":\"%s\",\"photo\":\"%s\"}\n",                                    /* 12 storage ref */
    u1, m1, u1, u2, absent, m1, u3, u4, u5, big, u9, s_absent);
  messages = g_strdup_printf ("{\"_id\":\"%s\",\"author\":\"%s\"}\n", m1, u1);
  bommy = g_strdup_printf ("\xEF\xBB\xBF{\"_id\":\"%s\"}\n", b1);

  cmg_test_archive_add_readme (a);
  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", users);
  cmg_test_archive_add_table (a, "", "messages", 10002, "\"uniform\"", messages);
  cmg_test_archive_add_table (a, "", "bommy", 10003, "\"uniform\"", bommy);
  {
    g_autofree char *doc = g_strdup_printf ("{\"_id\":\"%s\"}\n", n1);
    cmg_test_archive_add_table (a, "", "noschema", 10004, NULL, doc);
  }
  {
    g_autofree char *doc = g_strdup_printf ("{\"_id\":\"%s\"}\n", o1);
    cmg_test_archive_add_table (a, "", "orphan", 0, "\"uniform\"", doc);
  }
  cmg_test_archive_add_tables_line (a, "", "{\"name\":\"ghost\",\"id\":10005}");

  /* A component with its own numbering: its reference to an absent document is its own. */
  limits = g_strdup_printf ("{\"_id\":\"%s\",\"key\":\"a\"}\n{\"_id\":\"%s\",\"other\":\"%s\"}\n",
                            c1, u10, c_absent);
  cmg_test_archive_add_table (a, "rl", "limits", 10001, "\"uniform\"", limits);

  /* _storage written by hand, so metadata and files can disagree. */
  storage = g_strdup_printf (
    "{\"_id\":\"%s\",\"sha256\":\"%s\",\"size\":6,\"contentType\":\"text/plain\"}\n"
    "{\"_id\":\"%s\",\"sha256\":\"%s\",\"size\":6,\"contentType\":\"text/plain\"}\n"
    "{\"_id\":\"%s\",\"sha256\":\"%s\",\"size\":99,\"contentType\":\"text/plain\"}\n"
    "{\"_id\":\"%s\",\"sha256\":\"%s\",\"size\":6,\"contentType\":\"text/plain\"}\n",
    s_ok, sha_ok, s_bad, sha_ok, s_size, sha_ok, s_nofile, sha_ok);
  cmg_test_archive_add (a, "_storage/documents.jsonl", storage, -1);
  file_ok = g_strconcat ("_storage/", s_ok, ".txt", NULL);
  file_bad = g_strconcat ("_storage/", s_bad, ".txt", NULL);
  file_size = g_strconcat ("_storage/", s_size, NULL);
  file_nometa = g_strconcat ("_storage/", s_nometa, ".bin", NULL);
  cmg_test_archive_add (a, file_ok, "hello\n", 6);
  cmg_test_archive_add (a, file_bad, "hellO\n", 6);
  cmg_test_archive_add (a, file_size, "hello\n", 6);
  cmg_test_archive_add (a, file_nometa, "x", 1);

  /* Member names. */
  cmg_test_archive_add (a, "notes.txt", "a", 1);
  cmg_test_archive_add (a, "notes.txt", "b", 1);
  cmg_test_archive_add (a, "../evil.txt", "c", 1);
  cmg_test_archive_add (a, "/abs.txt", "d", 1);
  cmg_test_archive_close (a);
  return path;
}

static void
test_bad_archive (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *path = build_bad_archive (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open (file, &error);
  g_autoptr(CmgValidation) validation = NULL;
  guint64 progress = 0;
  GPtrArray *findings;

  g_assert_no_error (error);
  validation = cmg_validation_check_snapshot (snapshot, &progress, NULL, &error);
  g_assert_no_error (error);
  findings = cmg_validation_get_findings (validation);

  assert_finding (findings, "invalid-json", "", "users", 2, CMG_FINDING_ERROR);
  assert_finding (findings, "not-an-object", "", "users", 3, CMG_FINDING_ERROR);
  assert_finding (findings, "missing-id", "", "users", 4, CMG_FINDING_ERROR);
  assert_finding (findings, "malformed-id", "", "users", 5, CMG_FINDING_ERROR);
  assert_finding (findings, "id-table-mismatch", "", "users", 6, CMG_FINDING_ERROR);
  assert_finding (findings, "duplicate-id", "", "users", 7, CMG_FINDING_ERROR);
  assert_finding (findings, "dangling-reference", "", "users", 8, CMG_FINDING_WARNING);
  assert_finding (findings, "crlf", "", "users", 9, CMG_FINDING_WARNING);
  assert_finding (findings, "invalid-utf8", "", "users", 10, CMG_FINDING_ERROR);
  assert_finding (findings, "oversize-line", "", "users", 11, CMG_FINDING_WARNING);
  /* A reference to a _storage file that is not there. */
  assert_finding (findings, "dangling-reference", "", "users", 12, CMG_FINDING_WARNING);
  assert_finding (findings, "bom", "", "bommy", 1, CMG_FINDING_ERROR);
  assert_finding (findings, "missing-generated-schema", "", "noschema", 0, CMG_FINDING_WARNING);
  assert_finding (findings, "table-not-in-tables", "", "orphan", 0, CMG_FINDING_WARNING);
  assert_finding (findings, "tables-line-without-folder", "", "_tables", G_MAXUINT64, CMG_FINDING_WARNING);
  assert_finding (findings, "dangling-reference", "rl", "limits", 2, CMG_FINDING_WARNING);
  /* A dangling reference names the table it points at, in the referring table's component. */
  g_assert_cmpstr (find (findings, "dangling-reference", "", "users", 8)->target_table, ==, "users");
  g_assert_cmpstr (find (findings, "dangling-reference", "", "users", 8)->target_component, ==, "");
  g_assert_cmpstr (find (findings, "dangling-reference", "", "users", 12)->target_table, ==, "_storage");
  g_assert_cmpstr (find (findings, "dangling-reference", "rl", "limits", 2)->target_table, ==, "limits");
  g_assert_cmpstr (find (findings, "dangling-reference", "rl", "limits", 2)->target_component, ==, "rl");
  g_assert_null (find (findings, "invalid-json", "", "users", 2)->target_table);
  assert_finding (findings, "storage-sha256-mismatch", "", "_storage", 2, CMG_FINDING_ERROR);
  assert_finding (findings, "storage-size-mismatch", "", "_storage", 3, CMG_FINDING_ERROR);
  assert_finding (findings, "storage-metadata-without-file", "", "_storage", 4, CMG_FINDING_ERROR);
  assert_finding (findings, "storage-file-without-metadata", "", "_storage", 0, CMG_FINDING_WARNING);
  assert_finding (findings, "duplicate-member", "", "", 0, CMG_FINDING_ERROR);
  assert_finding (findings, "suspicious-member-name", "", "", 0, CMG_FINDING_WARNING);

  /* Exactly as many as planted: nothing reported on good lines. */
  g_assert_cmpuint (cmg_validation_get_count (validation, "dangling-reference"), ==, 3);
  g_assert_cmpuint (cmg_validation_get_count (validation, "duplicate-id"), ==, 1);
  g_assert_cmpuint (cmg_validation_get_count (validation, "id-table-mismatch"), ==, 1);
  g_assert_cmpuint (cmg_validation_get_count (validation, "storage-sha256-mismatch"), ==, 1);
  g_assert_cmpuint (cmg_validation_get_count (validation, "suspicious-member-name"), ==, 2);
  g_assert_null (find (findings, "invalid-json", "", "messages", G_MAXUINT64));
  g_assert_null (find (findings, "dangling-reference", "", "messages", G_MAXUINT64));
  g_assert_null (find (findings, "missing-generated-schema", "", "users", G_MAXUINT64));
  g_assert_null (find (findings, "table-not-in-tables", "", "users", G_MAXUINT64));
  g_assert_cmpuint (cmg_validation_get_severity_count (validation, CMG_FINDING_ERROR), >, 0);
  g_assert_cmpuint (progress, >, 1024 * 1024);

  cmg_test_remove_dir (dir);
}

static void
test_good_archive (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "good.zip", NULL);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autofree char *u1 = make_id (10001, 1);
  g_autofree char *s1 = make_id (540, 1);
  g_autofree char *sha = sha256_base64 ("file\nbytes", 10);
  g_autofree char *users = g_strdup_printf ("{\"_id\":\"%s\",\"photo\":\"%s\",\"n\":-9007199254740993}\n", u1, s1);
  g_autofree char *meta = g_strdup_printf ("{\"_id\":\"%s\",\"sha256\":\"%s\",\"size\":10}", s1, sha);
  g_autofree char *file_name = g_strconcat (s1, ".txt", NULL);
  g_autoptr(GFile) file = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(CmgValidation) validation = NULL;
  g_autoptr(GError) error = NULL;

  cmg_test_archive_add_readme (a);
  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", users);
  cmg_test_archive_add_table (a, "", "empty", 10002, "\"uniform\"", "");
  cmg_test_archive_add_storage_file (a, "", file_name, "file\nbytes", 10, meta);
  cmg_test_archive_close (a);

  file = g_file_new_for_path (path);
  snapshot = cmg_snapshot_open (file, &error);
  g_assert_no_error (error);
  validation = cmg_validation_check_snapshot (snapshot, NULL, NULL, &error);
  g_assert_no_error (error);
  if (cmg_validation_get_findings (validation)->len != 0)
    {
      const CmgFinding *f = g_ptr_array_index (cmg_validation_get_findings (validation), 0);
      g_error ("unexpected %s at %s:%" G_GUINT64_FORMAT ": %s", f->code, f->table, f->line, f->message);
    }
  cmg_test_remove_dir (dir);
}

static void
test_json_array_too_large (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  char *path = g_build_filename (dir, "big.json", NULL);
  GString *json = g_string_new ("[");
  g_autoptr(GFile) file = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(CmgValidation) validation = NULL;
  g_autoptr(GError) error = NULL;

  while (json->len < CMG_VALIDATION_JSON_ARRAY_LIMIT + 1024)
    g_string_append (json, "{\"a\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"},\n");
  g_string_append (json, "{\"a\":1}]\n");
  cmg_test_write_file (path, json->str, json->len);
  g_string_free (json, TRUE);

  file = g_file_new_for_path (path);
  snapshot = cmg_snapshot_open (file, &error);
  g_assert_no_error (error);
  validation = cmg_validation_check_snapshot (snapshot, NULL, NULL, &error);
  g_assert_no_error (error);
  assert_finding (cmg_validation_get_findings (validation), "json-array-too-large", "", "big", 0,
                  CMG_FINDING_ERROR);
  /* Elements are checked like lines, and need no _id. */
  g_assert_cmpuint (cmg_validation_get_count (validation, "not-an-object"), ==, 0);
  g_assert_cmpuint (cmg_validation_get_count (validation, "missing-id"), ==, 0);
  g_clear_object (&validation);
  g_clear_object (&snapshot);
  g_clear_object (&file);

  g_free (path);
  path = g_build_filename (dir, "small.json", NULL);
  cmg_test_write_file (path, "[{\"a\":1},\n 5,\n {\"b\":[1]}]\n", -1);
  file = g_file_new_for_path (path);
  snapshot = cmg_snapshot_open (file, &error);
  g_assert_no_error (error);
  validation = cmg_validation_check_snapshot (snapshot, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (cmg_validation_get_count (validation, "json-array-too-large"), ==, 0);
  g_assert_cmpuint (cmg_validation_get_count (validation, "not-an-object"), ==, 1);
  g_free (path);
  cmg_test_remove_dir (dir);
}

/* Lines fed directly: the truncated-line case (a 16 MiB line is too costly to build here) and the
 * cap on kept findings. */
static void
test_feed_lines (void)
{
  g_autoptr(CmgValidation) v = cmg_validation_new ();
  CmgValidationTable *t;

  cmg_validation_add_table_number (v, "", "t", 10001);
  t = cmg_validation_begin_table (v, "", "t", 10001);
  cmg_validation_table_feed_line ("{\"_id\":", 7, TRUE, 1, t);
  for (guint64 i = 2; i < 1002; i++)
    cmg_validation_table_feed_line ("{}", 2, FALSE, i, t);
  cmg_validation_end_table (v, t);
  cmg_validation_finish (v);

  assert_finding (cmg_validation_get_findings (v), "oversize-line", "", "t", 1, CMG_FINDING_ERROR);
  g_assert_cmpuint (cmg_validation_get_count (v, "missing-id"), ==, 1000);
  g_assert_cmpuint (cmg_validation_get_findings (v)->len, ==, CMG_VALIDATION_KEPT_FINDINGS);
  g_assert_cmpuint (cmg_validation_get_severity_count (v, CMG_FINDING_ERROR), ==, 1001);
}

/* The Id store is bounded: past the limit, duplicate and reference checks stop and say so. */
static void
test_id_limit (void)
{
  g_autoptr(CmgValidation) v = cmg_validation_new ();
  CmgValidationTable *t;

  cmg_validation_set_id_limit (v, 100);
  t = cmg_validation_begin_table (v, "", "t", 10001);
  for (guint i = 0; i < 300; i++)
    {
      CmgId id = { .table_number = 10001 };
      g_autofree char *text = NULL;
      g_autofree char *line = NULL;

      memcpy (id.internal, &i, sizeof i);
      id.internal[15] = 1;
      text = cmg_id_encode (&id);
      line = g_strdup_printf ("{\"_id\":\"%s\"}", text);
      cmg_validation_table_feed_line (line, strlen (line), FALSE, i + 1, t);
    }
  /* A duplicate of an Id stored before the limit is still found; later ones are not stored. */
  {
    CmgId id = { .table_number = 10001 };
    guint zero = 0;
    g_autofree char *text = NULL;
    g_autofree char *line = NULL;

    memcpy (id.internal, &zero, sizeof zero);
    id.internal[15] = 1;
    text = cmg_id_encode (&id);
    line = g_strdup_printf ("{\"_id\":\"%s\"}", text);
    cmg_validation_table_feed_line (line, strlen (line), FALSE, 301, t);
  }
  cmg_validation_end_table (v, t);
  cmg_validation_finish (v);
  g_assert_cmpuint (cmg_validation_get_count (v, "id-check-limited"), ==, 1);
}

/* Ids lead to their table through _tables, per component, and to their document. */
static void
test_id_resolution (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "refs.zip", NULL);
  CmgTestArchive *a = cmg_test_archive_new (path, CMG_TEST_ARCHIVE_DEFAULT);
  g_autofree char *u1 = make_id (10001, 1);
  g_autofree char *u2 = make_id (10001, 2);
  g_autofree char *m1 = make_id (10002, 1);
  g_autofree char *absent = make_id (10001, 50);
  g_autofree char *users = g_strdup_printf ("{\"_id\":\"%s\",\"best\":\"%s\"}\n{\"_id\": \"%s\",\"n\":2}\n", u1, u2, u2);
  g_autofree char *messages = g_strdup_printf ("{\"_id\":\"%s\",\"author\":\"%s\"}\n", m1, u2);
  g_autofree char *limits = g_strdup_printf ("{\"_id\":\"%s\"}\n", u1);
  g_autoptr(GFile) file = NULL;
  g_autoptr(CmgSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autofree char *none = NULL;
  CmgTable *table = NULL;
  guint64 number = 0;
  CmgId id;

  cmg_test_archive_add_table (a, "", "users", 10001, "\"uniform\"", users);
  cmg_test_archive_add_table (a, "", "messages", 10002, "\"uniform\"", messages);
  cmg_test_archive_add_table (a, "rl", "limits", 10001, "\"uniform\"", limits);
  cmg_test_archive_close (a);
  file = g_file_new_for_path (path);
  snapshot = cmg_snapshot_open (file, &error);
  g_assert_no_error (error);

  g_assert_true (cmg_id_is_valid (u1, strlen (u1), &id));
  g_assert_cmpstr (cmg_table_get_name (cmg_id_resolve_table (&id, snapshot, "")), ==, "users");
  g_assert_cmpstr (cmg_table_get_name (cmg_id_resolve_table (&id, snapshot, "rl")), ==, "limits");
  g_assert_true (cmg_id_is_valid (m1, strlen (m1), &id));
  g_assert_cmpstr (cmg_table_get_name (cmg_id_resolve_table (&id, snapshot, "")), ==, "messages");
  g_assert_null (cmg_id_resolve_table (&id, snapshot, "rl"));

  /* u2 appears as a value on line 1 and as the _id (with a space) on line 2. */
  line = cmg_id_find_document (u2, snapshot, "", &table, &number, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_cmpuint (number, ==, 2);
  g_assert_cmpstr (cmg_table_get_name (table), ==, "users");
  g_assert_nonnull (strstr (line, "\"n\":2"));

  none = cmg_id_find_document (absent, snapshot, "", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (none);
  cmg_test_remove_dir (dir);
}

typedef struct
{
  GMainLoop     *loop;
  CmgValidation *result;
  GError        *error;
  guint          progress_calls;
} AsyncData;

static void
on_progress (guint64 done, guint64 total, gpointer user_data)
{
  AsyncData *d = user_data;

  g_assert_cmpuint (done, <=, total);
  d->progress_calls++;
}

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  AsyncData *d = user_data;

  d->result = cmg_validation_run_finish (result, &d->error);
  g_main_loop_quit (d->loop);
}

static void
test_async (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *path = build_bad_archive (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open (file, &error);
  AsyncData d = { .loop = g_main_loop_new (NULL, FALSE) };
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();

  g_assert_no_error (error);
  cmg_validation_run_async (snapshot, NULL, on_progress, &d, on_done, &d);
  g_main_loop_run (d.loop);
  g_assert_no_error (d.error);
  g_assert_nonnull (d.result);
  g_assert_cmpuint (cmg_validation_get_count (d.result, "duplicate-id"), ==, 1);
  g_assert_cmpuint (d.progress_calls, >=, 1);
  g_clear_object (&d.result);

  g_cancellable_cancel (cancelled);
  cmg_validation_run_async (snapshot, cancelled, NULL, NULL, on_done, &d);
  g_main_loop_run (d.loop);
  g_assert_null (d.result);
  g_assert_error (d.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&d.error);

  g_main_loop_unref (d.loop);
  cmg_test_remove_dir (dir);
}

/* The caller hears that the work is over; a report after that would reach data it has freed. */
typedef struct
{
  GMainLoop          *loop;
  CmgTestLateReports  late;
} LateData;

static void
on_late_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  LateData *d = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgValidation) validation = cmg_validation_run_finish (result, &error);

  g_assert_no_error (error);
  g_assert_nonnull (validation);
  d->late.finished = TRUE;
  /* Several progress intervals while the job's tasks are still alive. */
  cmg_test_spin_context (350);
  g_main_loop_quit (d->loop);
}

static void
test_no_report_after_end (void)
{
  g_autofree char *dir = cmg_test_make_temp_dir ();
  g_autofree char *path = build_bad_archive (dir);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgSnapshot) snapshot = cmg_snapshot_open (file, &error);
  LateData d = { .loop = g_main_loop_new (NULL, FALSE) };

  g_assert_no_error (error);
  cmg_validation_run_async (snapshot, NULL, cmg_test_count_late_report, &d.late, on_late_done, &d);
  g_main_loop_run (d.loop);
  g_assert_true (d.late.finished);
  g_assert_cmpuint (d.late.late_reports, ==, 0);
  g_main_loop_unref (d.loop);
  cmg_test_remove_dir (dir);
}

int
main (int argc, char **argv)
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/validation/bad-archive", test_bad_archive);
  g_test_add_func ("/validation/good-archive", test_good_archive);
  g_test_add_func ("/validation/json-array-too-large", test_json_array_too_large);
  g_test_add_func ("/validation/feed-lines", test_feed_lines);
  g_test_add_func ("/validation/id-limit", test_id_limit);
  g_test_add_func ("/validation/async", test_async);
  g_test_add_func ("/validation/no-report-after-end", test_no_report_after_end);
  g_test_add_func ("/id/resolution", test_id_resolution);
  return g_test_run ();
}
