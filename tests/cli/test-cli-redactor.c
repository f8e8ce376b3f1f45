/* test-cli-redactor.c: deploy keys, admin keys and known secrets never survive redaction. */
#include "config.h"

#include <string.h>

#include "cmg-redactor.h"

#define MASK CMG_REDACTOR_MASK

static void
check (CmgRedactor *redactor,
       const char  *input,
       const char  *expected)
{
  g_autofree char *got = cmg_redactor_redact (redactor, input);

  g_assert_cmpstr (got, ==, expected);
}

static void
test_key_shapes (void)
{
  g_autoptr(CmgRedactor) redactor = cmg_redactor_new ();

  check (redactor, "key prod:happy-animal-123|eyJ2MiI6ImFiY2RlZmdoIn0= end",
         "key prod:happy-animal-123|" MASK " end");
  check (redactor, "dev:cool-dog-9|0123456789abcdef0123", "dev:cool-dog-9|" MASK);
  check (redactor, "preview:team-a:proj-b|c2VjcmV0c2VjcmV0c2VjcmV0", "preview:team-a:proj-b|" MASK);
  check (redactor, "project:team:proj|c2VjcmV0c2VjcmV0c2VjcmV0", "project:team:proj|" MASK);
  /* legacy (no prefix) and admin keys */
  check (redactor, "happy-animal-123|c2VjcmV0c2VjcmV0c2VjcmV0", "happy-animal-123|" MASK);
  check (redactor, "convex-self-hosted|01f3a2b4c5d6e7f8091a2b3c4d5e6f70", "convex-self-hosted|" MASK);
  check (redactor, "Authorization: Convex abcdefabcdefabcdef", "Authorization: Convex " MASK);
  check (redactor, "npx convex import --admin-key 0123456789abcdef0123 --url http://x",
         "npx convex import --admin-key " MASK " --url http://x");
  check (redactor, "CONVEX_DEPLOY_KEY=secretwithoutbar", "CONVEX_DEPLOY_KEY=" MASK);
  check (redactor, "CONVEX_SELF_HOSTED_ADMIN_KEY='name|0123456789abcdef0123'",
         "CONVEX_SELF_HOSTED_ADMIN_KEY='name|" MASK "'");
  /* masking twice changes nothing */
  check (redactor, "CONVEX_DEPLOY_KEY='prod:x|" MASK "'", "CONVEX_DEPLOY_KEY='prod:x|" MASK "'");
}

static void
test_ordinary_text_untouched (void)
{
  g_autoptr(CmgRedactor) redactor = cmg_redactor_new ();
  const char *lines[] = {
    "table    | create  | delete                       |",
    "_storage | 10      | 11 of 11 files               |",
    "big|100,000|100,000 of 100,000 documents|",
    "a|b c|d",
    "✔ Added 3 documents to table \"t\".",
    "",
  };

  for (guint i = 0; i < G_N_ELEMENTS (lines); i++)
    check (redactor, lines[i], lines[i]);
}

static void
test_known_secrets (void)
{
  g_autoptr(CmgRedactor) redactor = cmg_redactor_new ();

  cmg_redactor_add_secret (redactor, "prod:happy-animal-123|shortsecret");
  cmg_redactor_add_secret (redactor, "plainsecretvalue");
  cmg_redactor_add_secret (redactor, "ab");  /* too short to mask safely */
  cmg_redactor_add_secret (redactor, NULL);

  check (redactor, "using prod:happy-animal-123|shortsecret now", "using prod:happy-animal-123|" MASK " now");
  /* the secret part alone, wherever it turns up */
  check (redactor, "token=shortsecret;", "token=" MASK ";");
  check (redactor, "xx plainsecretvalue yy plainsecretvalue", "xx " MASK " yy " MASK);
  check (redactor, "ab ab", "ab ab");
}

static void
test_invalid_utf8 (void)
{
  g_autoptr(CmgRedactor) redactor = cmg_redactor_new ();
  g_autofree char *got = cmg_redactor_redact (redactor, "\xff prod:a|c2VjcmV0c2VjcmV0c2VjcmV0");

  g_assert_true (g_utf8_validate (got, -1, NULL));
  g_assert_null (strstr (got, "c2VjcmV0"));
}

static void
test_mask_secret (void)
{
  g_autofree char *a = cmg_redactor_mask_secret ("prod:x|secret");
  g_autofree char *b = cmg_redactor_mask_secret ("secret");

  g_assert_cmpstr (a, ==, "prod:x|" MASK);
  g_assert_cmpstr (b, ==, MASK);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/redactor/key-shapes", test_key_shapes);
  g_test_add_func ("/cli/redactor/ordinary-text", test_ordinary_text_untouched);
  g_test_add_func ("/cli/redactor/known-secrets", test_known_secrets);
  g_test_add_func ("/cli/redactor/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/cli/redactor/mask-secret", test_mask_secret);

  return g_test_run ();
}
