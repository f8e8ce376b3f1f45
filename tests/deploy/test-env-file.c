/* test-env-file.c: the dotenv parser against dotenv 16's behaviour. */
#include "config.h"

#include <glib/gstdio.h>
#include <fcntl.h>
#include <unistd.h>

#include "cmg-deploy-error.h"
#include "cmg-env-file.h"
#include "deploy-test-util.h"

typedef struct {
  const char *key;
  const char *value;
  guint       line;
  const char *comment;
} Expected;

typedef struct {
  const char *name;
  const char *input;
  Expected    entries[5];
} EnvCase;

static const EnvCase cases[] = {
  { "basic", "A=1\n", { { "A", "1", 1, NULL } } },
  { "export-prefix", "export A=1\n", { { "A", "1", 1, NULL } } },
  { "export-many-spaces", "export \t  A=1", { { "A", "1", 1, NULL } } },
  { "export-as-key", "export=1", { { "export", "1", 1, NULL } } },
  { "colon-separator", "A: 1", { { "A", "1", 1, NULL } } },
  { "colon-needs-space", "A:1\nB=2", { { "B", "2", 2, NULL } } },
  { "spaces-around-equals", "A = 1  \n", { { "A", "1", 1, NULL } } },
  { "tabs-around-equals", "A\t=\t1", { { "A", "1", 1, NULL } } },
  { "leading-spaces", "   A=1", { { "A", "1", 1, NULL } } },
  { "inner-spaces-kept", "A=hello   world ", { { "A", "hello   world", 1, NULL } } },
  { "key-characters", "A.B-C_1=x", { { "A.B-C_1", "x", 1, NULL } } },
  { "invalid-key-character", "A$B=1\nC=2", { { "C", "2", 2, NULL } } },
  { "single-quotes-keep-hash", "A='x # y'", { { "A", "x # y", 1, NULL } } },
  { "double-quotes-expand-newline", "A=\"a\\nb\"", { { "A", "a\nb", 1, NULL } } },
  { "double-quotes-expand-cr", "A=\"a\\rb\"", { { "A", "a\rb", 1, NULL } } },
  { "single-quotes-no-expansion", "A='a\\nb'", { { "A", "a\\nb", 1, NULL } } },
  { "backticks", "A=`it's \"q\"`", { { "A", "it's \"q\"", 1, NULL } } },
  { "escaped-quote-kept", "A=\"a\\\"b\"", { { "A", "a\\\"b", 1, NULL } } },
  { "empty-quotes", "A=\"\"\nB=''", { { "A", "", 1, NULL }, { "B", "", 2, NULL } } },
  { "multi-line-double", "A=\"l1\nl2\"\nB=2",
    { { "A", "l1\nl2", 1, NULL }, { "B", "2", 3, NULL } } },
  { "multi-line-single", "A='l1\nl2\nl3'\nB=2",
    { { "A", "l1\nl2\nl3", 1, NULL }, { "B", "2", 4, NULL } } },
  { "multi-line-backtick", "A=`l1\nl2`", { { "A", "l1\nl2", 1, NULL } } },
  { "comment-after-value", "CONVEX_DEPLOYMENT=dev:happy-animal-123 # team: my-team, project: my-project\n",
    { { "CONVEX_DEPLOYMENT", "dev:happy-animal-123", 1, "team: my-team, project: my-project" } } },
  { "hash-without-space", "A=abc#def", { { "A", "abc", 1, "def" } } },
  { "hash-inside-double-quotes", "A=\"abc#def\" # c", { { "A", "abc#def", 1, "c" } } },
  { "hash-inside-single-quotes", "A='x' #  c  ", { { "A", "x", 1, "c" } } },
  { "blank-value", "A=\nB=2", { { "A", "", 1, NULL }, { "B", "2", 2, NULL } } },
  { "blank-value-with-comment", "A= # c", { { "A", "", 1, "c" } } },
  { "blank-value-at-end", "A=", { { "A", "", 1, NULL } } },
  { "empty-comment", "A=1 #", { { "A", "1", 1, NULL } } },
  { "repeated-keys-all-kept", "A=1\nA=2", { { "A", "1", 1, NULL }, { "A", "2", 2, NULL } } },
  { "crlf", "A=1\r\nB=2\r\n", { { "A", "1", 1, NULL }, { "B", "2", 2, NULL } } },
  { "lone-cr", "A=1\rB=2\r", { { "A", "1", 1, NULL }, { "B", "2", 2, NULL } } },
  { "crlf-in-quotes", "A=\"x\r\ny\"\r\nB=1", { { "A", "x\ny", 1, NULL }, { "B", "1", 3, NULL } } },
  { "no-trailing-newline", "A=1\nB=2", { { "A", "1", 1, NULL }, { "B", "2", 2, NULL } } },
  { "garbage-lines", "hello world\nA=1\n=5\n# comment\nB=2\n!!!",
    { { "A", "1", 2, NULL }, { "B", "2", 5, NULL } } },
  { "commented-assignment", "# A=1\n  #B=2\nC=3", { { "C", "3", 3, NULL } } },
  { "bom", "\xEF\xBB\xBF" "A=1\nB=2", { { "A", "1", 1, NULL }, { "B", "2", 2, NULL } } },
  { "blank-lines-before", "\n\n\nA=1", { { "A", "1", 4, NULL } } },
  { "unclosed-double-quote", "A=\"abc\nB=2", { { "A", "\"abc", 1, NULL }, { "B", "2", 2, NULL } } },
  { "text-after-closing-quote", "A=\"abc\" extra", { { "A", "\"abc\" extra", 1, NULL } } },
  { "quoted-then-comment-next-line", "A=\"x\"\n# c\nB=1",
    { { "A", "x", 1, NULL }, { "B", "1", 3, NULL } } },
  { "value-with-equals", "URL=https://x.convex.cloud/?a=b", { { "URL", "https://x.convex.cloud/?a=b", 1, NULL } } },
  { "unicode-value", "A=héllo ✓", { { "A", "héllo ✓", 1, NULL } } },
  { "nbsp-trimmed", "A=\xC2\xA0x\xC2\xA0", { { "A", "x", 1, NULL } } },
  { "colon-then-newline", "A:\nvalue", { { "A", "value", 1, NULL } } },
  { "deploy-key-value", "CONVEX_DEPLOY_KEY=prod:happy-animal-123|abc==", { { "CONVEX_DEPLOY_KEY", "prod:happy-animal-123|abc==", 1, NULL } } },
  { "empty-input", "", { { NULL } } },
  { "only-comments", "# one\n# two\n", { { NULL } } },
};

static void
test_case (gconstpointer data)
{
  const EnvCase *c = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = NULL;
  guint n_expected = 0;

  file = cmg_env_file_new_from_data (".env.local", c->input, strlen (c->input), &error);
  g_assert_no_error (error);
  g_assert_nonnull (file);
  g_assert_cmpstr (cmg_env_file_get_name (file), ==, ".env.local");

  while (n_expected < G_N_ELEMENTS (c->entries) && c->entries[n_expected].key != NULL)
    n_expected++;

  g_assert_cmpuint (cmg_env_file_get_n_entries (file), ==, n_expected);

  for (guint i = 0; i < n_expected; i++)
    {
      const CmgEnvEntry *entry = cmg_env_file_get_entry (file, i);

      g_assert_cmpstr (entry->key, ==, c->entries[i].key);
      g_assert_cmpstr (entry->value, ==, c->entries[i].value);
      g_assert_cmpuint (entry->line, ==, c->entries[i].line);
      g_assert_cmpstr (entry->comment, ==, c->entries[i].comment);
    }

  g_assert_null (cmg_env_file_get_warnings (file)[0]);
}

static void
test_lookup_last_wins (void)
{
  static const char input[] = "A=1\nB=x\nA=2\n";
  g_autoptr(CmgEnvFile) file = cmg_env_file_new_from_data (".env", input, strlen (input), NULL);
  const CmgEnvEntry *entry;

  g_assert_cmpuint (cmg_env_file_get_n_entries (file), ==, 3);
  entry = cmg_env_file_lookup (file, "A");
  g_assert_nonnull (entry);
  g_assert_cmpstr (entry->value, ==, "2");
  g_assert_cmpuint (entry->line, ==, 3);
  g_assert_cmpstr (cmg_env_file_lookup (file, "B")->value, ==, "x");
  g_assert_null (cmg_env_file_lookup (file, "C"));
}

static void
test_invalid_utf8 (void)
{
  static const char input[] = "A=ok\nB=\xff\xfe!\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = cmg_env_file_new_from_data (".env.local", input, strlen (input), &error);
  const char * const *warnings;

  g_assert_no_error (error);
  g_assert_cmpstr (cmg_env_file_lookup (file, "A")->value, ==, "ok");
  g_assert_cmpstr (cmg_env_file_lookup (file, "B")->value, ==, "\xEF\xBF\xBD\xEF\xBF\xBD!");
  g_assert_true (g_utf8_validate (cmg_env_file_lookup (file, "B")->value, -1, NULL));

  warnings = cmg_env_file_get_warnings (file);
  g_assert_nonnull (warnings[0]);
  g_assert_nonnull (strstr (warnings[0], ".env.local"));
  g_assert_null (warnings[1]);
}

static void
test_nul_bytes (void)
{
  static const char input[] = "A=1\n\0B=2\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = cmg_env_file_new_from_data (".env", input, sizeof input - 1, &error);

  g_assert_null (file);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_BINARY);
  g_assert_nonnull (strstr (error->message, ".env"));
}

static void
test_data_too_large (void)
{
  gsize length = CMG_ENV_FILE_MAX_SIZE + 1;
  g_autofree char *data = g_malloc (length);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = NULL;

  memset (data, 'A', length);
  file = cmg_env_file_new_from_data (".env", data, length, &error);
  g_assert_null (file);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_TOO_LARGE);
}

static void
test_load (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, ".env.local", NULL);
  g_autoptr(GFile) gfile = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = NULL;

  deploy_test_write (dir, ".env.local", "# x\r\nCONVEX_DEPLOYMENT=dev:a-b-1 # team: t, project: p\r\n", -1);
  file = cmg_env_file_load (gfile, ".env.local", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmg_env_file_lookup (file, "CONVEX_DEPLOYMENT")->value, ==, "dev:a-b-1");
  g_assert_cmpuint (cmg_env_file_lookup (file, "CONVEX_DEPLOYMENT")->line, ==, 2);
  g_assert_cmpstr (cmg_env_file_lookup (file, "CONVEX_DEPLOYMENT")->comment, ==, "team: t, project: p");

  deploy_test_remove_tree (dir);
}

static void
test_load_exactly_max_size (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, ".env", NULL);
  g_autoptr(GFile) gfile = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = NULL;
  g_autofree char *data = g_malloc (CMG_ENV_FILE_MAX_SIZE);

  /* A long comment line, then an assignment at the very end. */
  memset (data, ' ', CMG_ENV_FILE_MAX_SIZE);
  data[0] = '#';
  memcpy (data + CMG_ENV_FILE_MAX_SIZE - 5, "\nA=1", 4);
  deploy_test_write (dir, ".env", data, CMG_ENV_FILE_MAX_SIZE);

  file = cmg_env_file_load (gfile, ".env", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (cmg_env_file_lookup (file, "A")->value, ==, "1");

  deploy_test_remove_tree (dir);
}

static void
test_load_too_large (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *path = g_build_filename (dir, ".env", NULL);
  g_autoptr(GFile) gfile = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = NULL;
  int fd;

  /* Sparse: 4 GiB costs no disk, and must be refused from its size alone. */
  fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (ftruncate (fd, (off_t)4 * 1024 * 1024 * 1024), ==, 0);
  close (fd);

  file = cmg_env_file_load (gfile, ".env", &error);
  g_assert_null (file);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, ".env"));

  deploy_test_remove_tree (dir);
}

static void
test_load_errors (void)
{
  g_autofree char *dir = deploy_test_make_dir ();
  g_autofree char *missing_path = g_build_filename (dir, ".env", NULL);
  g_autofree char *folder_path = g_build_filename (dir, ".env.local", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GFile) folder = g_file_new_for_path (folder_path);
  g_autoptr(GError) error = NULL;
  g_autoptr(CmgEnvFile) file = NULL;

  file = cmg_env_file_load (missing, ".env", &error);
  g_assert_null (file);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_NOT_FOUND);
  g_clear_error (&error);

  deploy_test_mkdir (dir, ".env.local");
  file = cmg_env_file_load (folder, ".env.local", &error);
  g_assert_null (file);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, ".env.local"));
  g_clear_error (&error);

  deploy_test_write (dir, ".env", "A=1\n", -1);
  g_chmod (missing_path, 0);
  if (access (missing_path, R_OK) == 0)
    {
      /* Running with privileges that ignore permissions: nothing to check. */
      deploy_test_remove_tree (dir);
      return;
    }
  file = cmg_env_file_load (missing, ".env", &error);
  g_assert_null (file);
  g_assert_error (error, CMG_DEPLOY_ERROR, CMG_DEPLOY_ERROR_UNREADABLE);
  g_assert_nonnull (strstr (error->message, ".env"));

  deploy_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/env-file/parse/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_case);
    }

  g_test_add_func ("/env-file/lookup-last-wins", test_lookup_last_wins);
  g_test_add_func ("/env-file/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/env-file/nul-bytes", test_nul_bytes);
  g_test_add_func ("/env-file/data-too-large", test_data_too_large);
  g_test_add_func ("/env-file/load", test_load);
  g_test_add_func ("/env-file/load-exactly-max-size", test_load_exactly_max_size);
  g_test_add_func ("/env-file/load-too-large", test_load_too_large);
  g_test_add_func ("/env-file/load-errors", test_load_errors);

  return g_test_run ();
}
