/* test-value.c: exact decoding of Convex values and the Id codec. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "cmg-id.h"
#include "cmg-value.h"

static CmgValue *
parse_ok (const char *json)
{
  g_autoptr(GError) error = NULL;
  CmgValue *v = cmg_value_parse (json, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (v);
  return v;
}

static void
assert_round_trip (const char *json,
                   const char *expected)
{
  g_autoptr(CmgValue) v = parse_ok (json);
  g_autofree char *out = cmg_value_to_json (v);
  g_autoptr(CmgValue) again = parse_ok (out);

  g_assert_cmpstr (out, ==, expected ? expected : json);
  g_assert_true (cmg_value_equal (v, again));
}

static void
test_int64_extremes (void)
{
  static const struct { const char *text; gint64 value; } cases[] = {
    { "9223372036854775807", G_MAXINT64 },
    { "-9223372036854775808", G_MININT64 },
    { "-9007199254740993", -G_GINT64_CONSTANT (9007199254740993) },
    { "9007199254740993", G_GINT64_CONSTANT (9007199254740993) },
    { "36", 36 },
    { "0", 0 },
    { "-0", 0 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CmgValue) v = parse_ok (cases[i].text);
      g_autofree char *display = NULL;

      g_assert_cmpint (cmg_value_get_kind (v), ==, CMG_VALUE_INT64);
      g_assert_cmpint (cmg_value_get_int64 (v), ==, cases[i].value);
      display = cmg_value_to_display (v, NULL, NULL);
      if (strcmp (cases[i].text, "-0") != 0)
        {
          assert_round_trip (cases[i].text, NULL);
          g_assert_cmpstr (display, ==, cases[i].text);
        }
    }
}

static void
test_int64_out_of_range (void)
{
  const char *bad[] = { "9223372036854775808", "-9223372036854775809", "18446744073709551616",
                        "[1, 99999999999999999999999]" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgValue) v = cmg_value_parse (bad[i], -1, &error);

      g_assert_null (v);
      g_assert_error (error, CMG_VALUE_ERROR, CMG_VALUE_ERROR_OUT_OF_RANGE);
    }
}

static void
test_floats (void)
{
  g_autoptr(CmgValue) one = parse_ok ("36.0");
  g_autoptr(CmgValue) negzero = parse_ok ("-0.0");
  g_autoptr(CmgValue) inf = parse_ok ("{\"$float\":\"AAAAAAAA8H8=\"}");
  g_autoptr(CmgValue) neginf = parse_ok ("{\"$float\":\"AAAAAAAA8P8=\"}");
  g_autoptr(CmgValue) nan = parse_ok ("{\"$float\":\"AAAAAAAA+H8=\"}");
  g_autoptr(CmgValue) exp = parse_ok ("1e3");
  g_autoptr(CmgValue) zero = cmg_value_new_float64 (0.0);
  g_autofree char *d_one = cmg_value_to_display (one, NULL, NULL);
  g_autofree char *d_negzero = cmg_value_to_display (negzero, NULL, NULL);
  g_autofree char *d_inf = cmg_value_to_display (inf, NULL, NULL);
  g_autofree char *d_neginf = cmg_value_to_display (neginf, NULL, NULL);
  g_autofree char *d_nan = cmg_value_to_display (nan, NULL, NULL);
  g_autofree char *d_exp = cmg_value_to_display (exp, NULL, NULL);

  g_assert_cmpint (cmg_value_get_kind (one), ==, CMG_VALUE_FLOAT64);
  g_assert_cmpstr (d_one, ==, "36.0");
  g_assert_true (signbit (cmg_value_get_float64 (negzero)));
  g_assert_cmpstr (d_negzero, ==, "-0.0");
  g_assert_false (cmg_value_equal (negzero, zero));
  g_assert_true (isinf (cmg_value_get_float64 (inf)) && cmg_value_get_float64 (inf) > 0);
  g_assert_cmpstr (d_inf, ==, "Infinity");
  g_assert_cmpstr (d_neginf, ==, "-Infinity");
  g_assert_true (isnan (cmg_value_get_float64 (nan)));
  g_assert_cmpstr (d_nan, ==, "NaN");
  g_assert_cmpstr (d_exp, ==, "1000.0");

  assert_round_trip ("-0.0", NULL);
  assert_round_trip ("1732406400123.4568", NULL);
  assert_round_trip ("0.1", NULL);
  assert_round_trip ("98.5", NULL);
  assert_round_trip ("5e-324", NULL);
  assert_round_trip ("1.7976931348623157e+308", NULL);
  assert_round_trip ("{\"$float\":\"AAAAAAAA8H8=\"}", NULL);
  assert_round_trip ("{\"$float\":\"AAAAAAAA+H8=\"}", NULL);
  /* A Float64 stays one even when it has no fraction. */
  assert_round_trip ("2.0", NULL);
}

static void
test_bytes_and_integer (void)
{
  g_autoptr(CmgValue) bytes = parse_ok ("{\"$bytes\":\"iVBORw0K\"}");
  g_autoptr(CmgValue) integer = parse_ok ("{\"$integer\":\"AwAAAAAAAAA=\"}");
  g_autoptr(CmgValue) min = parse_ok ("{\"$integer\":\"AAAAAAAAAIA=\"}");
  g_autofree char *display = cmg_value_to_display (bytes, NULL, NULL);
  const char *bad[] = { "{\"$bytes\":\"iVBORw0\"}", "{\"$bytes\":\"iVB*Rw0K\"}", "{\"$bytes\":5}",
                        "{\"$float\":\"AAAA\"}", "{\"$integer\":\"AwAAAAAAAAAA\"}" };

  g_assert_cmpint (cmg_value_get_kind (bytes), ==, CMG_VALUE_BYTES);
  g_assert_cmpuint (g_bytes_get_size (cmg_value_get_bytes (bytes)), ==, 6);
  g_assert_cmpstr (display, ==, "<6 bytes>");
  assert_round_trip ("{\"$bytes\":\"iVBORw0K\"}", NULL);
  g_assert_cmpint (cmg_value_get_kind (integer), ==, CMG_VALUE_INT64);
  g_assert_cmpint (cmg_value_get_int64 (integer), ==, 3);
  g_assert_cmpint (cmg_value_get_int64 (min), ==, G_MININT64);
  /* The wire form comes back as the export's form. */
  assert_round_trip ("{\"$integer\":\"AwAAAAAAAAA=\"}", "3");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgValue) v = cmg_value_parse (bad[i], -1, &error);

      g_assert_null (v);
      g_assert_error (error, CMG_VALUE_ERROR, CMG_VALUE_ERROR_BAD_ENCODING);
    }
}

static const char *
table_name (guint32 number, gpointer data)
{
  return number == 10001 ? "users" : NULL;
}

static void
test_document (void)
{
  const char *line =
    "{\"_creationTime\":1732406401987.0002,\"_id\":\"j579vszbkb36yz1gpkjf1zzwkc588xea\","
    "\"age\":-9007199254740993,\"isActive\":false,\"name\":\"Grace \\u00e9\\ud83d\\ude00\\n\","
    "\"photo\":\"kg2a6bphbjv91qahresftq15e8zqyd82\",\"profile\":{\"city\":\"London\",\"zip\":null},"
    "\"ratio\":-0.0,\"score\":{\"$float\":\"AAAAAAAA8H8=\"},\"tags\":[\"admin\",[1,2.5]]}";
  g_autoptr(CmgValue) doc = parse_ok (line);
  CmgValue *id = cmg_value_lookup (doc, "_id");
  CmgValue *photo = cmg_value_lookup (doc, "photo");
  CmgValue *name = cmg_value_lookup (doc, "name");
  CmgId decoded;
  g_autofree char *d_id = cmg_value_to_display (id, table_name, NULL);
  g_autofree char *d_photo = cmg_value_to_display (photo, table_name, NULL);
  g_autofree char *d_profile = cmg_value_to_display (cmg_value_lookup (doc, "profile"), NULL, NULL);
  g_autofree char *json = cmg_value_to_json (doc);
  g_autoptr(CmgValue) again = parse_ok (json);

  g_assert_cmpint (cmg_value_get_kind (doc), ==, CMG_VALUE_OBJECT);
  g_assert_cmpuint (cmg_value_get_length (doc), ==, 10);
  g_assert_cmpstr (cmg_value_get_field_name (doc, 0), ==, "_creationTime");
  g_assert_cmpstr (cmg_value_get_field_name (doc, 9), ==, "tags");
  g_assert_true (cmg_value_get_id (id, &decoded));
  g_assert_cmpuint (decoded.table_number, ==, 10001);
  g_assert_cmpstr (d_id, ==, "j579vszbkb36yz1gpkjf1zzwkc588xea (users)");
  g_assert_cmpstr (d_photo, ==, "kg2a6bphbjv91qahresftq15e8zqyd82 (Id in table 540)");
  g_assert_cmpstr (cmg_value_get_string (name, NULL), ==, "Grace \xc3\xa9\xf0\x9f\x98\x80\n");
  g_assert_false (cmg_value_get_id (name, NULL));
  g_assert_cmpstr (d_profile, ==, "{city: \"London\", zip: null}");
  g_assert_cmpint (cmg_value_get_int64 (cmg_value_lookup (doc, "age")), ==,
                   -G_GINT64_CONSTANT (9007199254740993));
  g_assert_true (cmg_value_equal (doc, again));
  g_assert_nonnull (strstr (json, "\"age\":-9007199254740993,"));
  g_assert_nonnull (strstr (json, "\"ratio\":-0.0,"));
}

static void
test_invalid (void)
{
  static const struct { const char *text; CmgValueError code; } cases[] = {
    { "", CMG_VALUE_ERROR_SYNTAX },
    { "{", CMG_VALUE_ERROR_SYNTAX },
    { "{\"a\":1,}", CMG_VALUE_ERROR_SYNTAX },
    { "[1 2]", CMG_VALUE_ERROR_SYNTAX },
    { "01", CMG_VALUE_ERROR_SYNTAX },
    { "1.", CMG_VALUE_ERROR_SYNTAX },
    { "NaN", CMG_VALUE_ERROR_SYNTAX },
    { "\"a\tb\"", CMG_VALUE_ERROR_SYNTAX },
    { "{} {}", CMG_VALUE_ERROR_SYNTAX },
    { "\"\\x\"", CMG_VALUE_ERROR_SYNTAX },
    { "\"\\ud800\"", CMG_VALUE_ERROR_BAD_UTF8 },
    { "\"\xff\"", CMG_VALUE_ERROR_BAD_UTF8 },
    { "1e400", CMG_VALUE_ERROR_OUT_OF_RANGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(CmgValue) v = cmg_value_parse (cases[i].text, -1, &error);

      g_assert_null (v);
      g_assert_error (error, CMG_VALUE_ERROR, (gint) cases[i].code);
    }
}

static void
test_depth (void)
{
  GString *deep = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  CmgValue *v;

  for (int i = 0; i < 64; i++)
    g_string_append_c (deep, '[');
  for (int i = 0; i < 64; i++)
    g_string_append_c (deep, ']');
  v = cmg_value_parse (deep->str, deep->len, &error);
  g_assert_no_error (error);
  cmg_value_unref (v);

  g_string_prepend_c (deep, '[');
  g_string_append_c (deep, ']');
  v = cmg_value_parse (deep->str, deep->len, &error);
  g_assert_null (v);
  g_assert_error (error, CMG_VALUE_ERROR, CMG_VALUE_ERROR_TOO_DEEP);
  g_string_free (deep, TRUE);
}

/* Ids from a hand-made export laid out like `npx convex export` (users 10001, messages 10002,
 * _storage 540), with their internal ids as hex. */
static const struct { const char *id; guint32 table; const char *internal; } id_vectors[] = {
  { "j577ewbves4e3tybznpjhqsw29rb2xv8", 10001, "77717b7648e1ebcbfd6d28df3c1270b1" },
  { "j579vszbkb36yz1gpkjf1zzwkc588xea", 10001, "9de7eb9ac66f7c30b4e4f0fffc9b0a84" },
  { "kg2a6bphbjv91qahresftq15e8zqyd82", 540, "a32ed15cb690dd51c3b2fd5c25723f7f" },
  { "j97d32sp55ae3f4x2bpg46zas03v1bm4", 10002, "d18b362954e1bc9d12ed021beac807b0" },
  { "j97dd60w2gw9bc6dpttf2m8vfz30hq5p", 10002, "d6981c143895b0cdb6b4f1511b7fc608" },
};

static void
hex_to_bytes (const char *hex, guint8 *out)
{
  for (int i = 0; i < CMG_ID_INTERNAL_SIZE; i++)
    out[i] = (guint8) (g_ascii_xdigit_value (hex[2 * i]) << 4 | g_ascii_xdigit_value (hex[2 * i + 1]));
}

static void
test_id_vectors (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (id_vectors); i++)
    {
      g_autoptr(GError) error = NULL;
      CmgId id, expected = { .table_number = id_vectors[i].table };
      g_autofree char *encoded = NULL;

      hex_to_bytes (id_vectors[i].internal, expected.internal);
      g_assert_true (cmg_id_decode (id_vectors[i].id, strlen (id_vectors[i].id), &id, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (id.table_number, ==, id_vectors[i].table);
      g_assert_cmpmem (id.internal, 16, expected.internal, 16);
      encoded = cmg_id_encode (&expected);
      g_assert_cmpstr (encoded, ==, id_vectors[i].id);
    }
}

static void
test_id_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  const guint32 numbers[] = { 0, 1, 127, 128, 540, 10001, 10002, 16383 };

  for (guint n = 0; n < G_N_ELEMENTS (numbers); n++)
    for (int k = 0; k < 200; k++)
      {
        CmgId id = { .table_number = numbers[n] }, back;
        g_autofree char *text = NULL;

        for (int i = 0; i < CMG_ID_INTERNAL_SIZE; i++)
          id.internal[i] = (guint8) g_rand_int_range (rand, 0, 256);
        text = cmg_id_encode (&id);
        g_assert_nonnull (text);
        g_assert_cmpuint (strlen (text), ==, numbers[n] < 128 ? 31 : 32);
        g_assert_true (cmg_id_is_valid (text, strlen (text), &back));
        g_assert_cmpuint (back.table_number, ==, id.table_number);
        g_assert_cmpmem (back.internal, 16, id.internal, 16);

        /* Any single changed character is caught (checksum, alphabet or stray bits). */
        for (gsize pos = 0; pos < strlen (text); pos += 7)
          {
            char saved = text[pos];
            text[pos] = saved == 'a' ? 'b' : 'a';
            g_assert_false (cmg_id_is_valid (text, strlen (text), NULL));
            text[pos] = saved;
          }
      }
  {
    CmgId big = { .table_number = 16384 };
    g_assert_null (cmg_id_encode (&big));
  }
}

static void
test_id_errors (void)
{
  static const struct { const char *text; CmgIdError code; } cases[] = {
    { "j577ewbves4e3tybznpjhqsw29rb2xv", CMG_ID_ERROR_CHECKSUM },   /* 31 chars, wrong table length */
    { "j577ewbves4e3tybznpjhqsw29rb2xv9", CMG_ID_ERROR_CHECKSUM },
    { "j577ewbves4e3tybznpjhqsw29rb2xvu", CMG_ID_ERROR_ALPHABET },
    { "J577ewbves4e3tybznpjhqsw29rb2xv8", CMG_ID_ERROR_ALPHABET },
    { "j577ewbves4e3tybznpjhqsw29rb2x", CMG_ID_ERROR_LENGTH },
    { "j577ewbves4e3tybznpjhqsw29rb2xv8a", CMG_ID_ERROR_LENGTH },
    { "", CMG_ID_ERROR_LENGTH },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (cmg_id_decode (cases[i].text, strlen (cases[i].text), NULL, &error));
      g_assert_nonnull (error);
      g_assert_true (error->domain == CMG_ID_ERROR);
      if (cases[i].code != CMG_ID_ERROR_CHECKSUM)
        g_assert_cmpint (error->code, ==, cases[i].code);
      else
        g_assert_true (error->code == CMG_ID_ERROR_CHECKSUM || error->code == CMG_ID_ERROR_FORMAT);
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/value/int64-extremes", test_int64_extremes);
  g_test_add_func ("/value/int64-out-of-range", test_int64_out_of_range);
  g_test_add_func ("/value/floats", test_floats);
  g_test_add_func ("/value/bytes-and-integer", test_bytes_and_integer);
  g_test_add_func ("/value/document", test_document);
  g_test_add_func ("/value/invalid", test_invalid);
  g_test_add_func ("/value/depth", test_depth);
  g_test_add_func ("/id/vectors", test_id_vectors);
  g_test_add_func ("/id/round-trip", test_id_round_trip);
  g_test_add_func ("/id/errors", test_id_errors);
  return g_test_run ();
}
