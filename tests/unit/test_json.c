/* JSONL objects: value types, escapes, surrogate pairs, raw nested values,
 * error columns; json_add_string escaping and round trip. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/json.h"
#include "kam/util.h"

static void parse_ok(const char *line, struct json_object *o)
{
	int col = -1;
	char *cause = NULL;
	int rc = json_parse_object(line, strlen(line), o, &col, &cause);
	if (rc != 0)
		fail_msg("%s: col %d: %s", line, col, cause);
	assert_null(cause);
}

static void expect_member(const struct json_object *o, const char *key, enum json_type t, const char *text, int col)
{
	const struct json_member *m = json_get(o, key);
	if (m == NULL)
		fail_msg("no member %s", key);
	assert_int_equal(m->type, t);
	assert_string_equal(m->text, text);
	assert_int_equal(m->col, col);
}

static void test_json_types(void **state)
{
	struct json_object o;

	parse_ok("{\"s\":\"x\",\"n\":-12.5e3,\"t\":true,\"f\":false,\"z\":null,\"i\":0}\n", &o);
	assert_int_equal(o.n, 6);
	expect_member(&o, "s", JSON_STRING, "x", 6);
	expect_member(&o, "n", JSON_NUMBER, "-12.5e3", 14);
	expect_member(&o, "t", JSON_BOOL, "true", 26);
	expect_member(&o, "f", JSON_BOOL, "false", 35);
	expect_member(&o, "z", JSON_NULL, "null", 45);
	expect_member(&o, "i", JSON_NUMBER, "0", 54);
	assert_null(json_get(&o, "missing"));
	assert_string_equal(o.m[0].key, "s"); /* file order kept */
	assert_string_equal(o.m[5].key, "i");
	json_object_free(&o);
	assert_int_equal(o.n, 0);
	json_object_free(&o); /* twice is harmless */

	parse_ok("  { }  \r\n", &o);
	assert_int_equal(o.n, 0);
	json_object_free(&o);
	parse_ok("{}", &o);
	json_object_free(&o);

	parse_ok("{ \"a\" : 1 , \"b\" :\t\"2\" }", &o);
	expect_member(&o, "a", JSON_NUMBER, "1", 9);
	expect_member(&o, "b", JSON_STRING, "2", 19);
	json_object_free(&o);

	/* Columns count code points: 名称 is 2 columns, not 6 bytes. */
	parse_ok("{\"名称\":\"华为\",\"x\":1}", &o);
	expect_member(&o, "名称", JSON_STRING, "华为", 7);
	expect_member(&o, "x", JSON_NUMBER, "1", 16);
	json_object_free(&o);
}

static void test_json_escapes(void **state)
{
	struct json_object o;

	parse_ok("{\"e\":\"q\\\"b\\\\s\\/n\\nt\\tr\\rb\\bf\\f\"}", &o);
	expect_member(&o, "e", JSON_STRING, "q\"b\\s/n\nt\tr\rb\bf\f", 6);
	json_object_free(&o);
	parse_ok("{\"u\":\"\\u00e9\\u4E2D\\u0041\"}", &o);
	expect_member(&o, "u", JSON_STRING, "é中A", 6);
	json_object_free(&o);
	/* Surrogate pair -> one 4-byte UTF-8 sequence. */
	parse_ok("{\"u\":\"\\ud83d\\ude00 \\uD842\\uDFB7\"}", &o);
	expect_member(&o, "u", JSON_STRING, "\xF0\x9F\x98\x80 𠮷", 6);
	json_object_free(&o);
	/* Raw UTF-8 stays as is; escaped keys are decoded too. */
	parse_ok("{\"k\\u0065y\":\"中文 ＡＢＣ\"}", &o);
	expect_member(&o, "key", JSON_STRING, "中文 ＡＢＣ", 13);
	json_object_free(&o);
}

static void test_json_raw(void **state)
{
	struct json_object o;

	parse_ok("{\"a\":[1,\"]\",{\"b\":\"}\\\"\"}],\"o\":{\"x\":[[]],\"y\":{}},\"z\":2}", &o);
	assert_int_equal(o.n, 3);
	expect_member(&o, "a", JSON_RAW, "[1,\"]\",{\"b\":\"}\\\"\"}]", 6);
	expect_member(&o, "o", JSON_RAW, "{\"x\":[[]],\"y\":{}}", 30);
	expect_member(&o, "z", JSON_NUMBER, "2", 52);
	json_object_free(&o);
	parse_ok("{\"e\":[ ]}", &o);
	expect_member(&o, "e", JSON_RAW, "[ ]", 6);
	json_object_free(&o);
}

static void expect_error(const char *line, size_t len, int want_col, const char *want_msg)
{
	struct json_object o = {7, (void *)1};
	int col = -1;
	char *cause = NULL;

	assert_int_equal(json_parse_object(line, len, &o, &col, &cause), KAM_EINVAL);
	assert_int_equal(o.n, 0); /* nothing half-built is handed out */
	assert_null(o.m);
	if (col != want_col || cause == NULL || strcmp(cause, want_msg) != 0)
		fail_msg("'%.*s': got col %d '%s', want col %d '%s'", (int)len, line, col, cause ? cause : "(null)",
			 want_col, want_msg);
	free(cause);
}

#define ERR(line, col, msg) expect_error(line, strlen(line), col, msg)

static void test_json_errors(void **state)
{
	ERR("", 1, "expected '{' (one JSON object per line)");
	ERR("[1]", 1, "expected '{' (one JSON object per line)");
	ERR("{", 2, "expected a string key");
	ERR("{\"a\":1", 7, "unclosed object: expected ',' or '}'");
	ERR("{\"a\":1,}", 8, "expected a string key"); /* trailing comma */
	ERR("{a:1}", 2, "expected a string key");
	ERR("{\"a\" 1}", 6, "expected ':' after the key");
	ERR("{\"a\":}", 6, "expected a value");
	ERR("{\"a\":tru}", 6, "expected a value");
	ERR("{\"a\":truex}", 10, "expected ',' or '}'");
	ERR("{\"a\":1} x", 9, "unexpected text after the object");
	ERR("{\"a\":1}{}", 8, "unexpected text after the object");
	ERR("{\"a\":1,\"a\":2}", 8, "duplicate key \"a\"");
	/* Strings. */
	ERR("{\"a\":\"abc}", 6, "unterminated string");
	ERR("{\"a\":\"x\\q\"}", 8, "invalid escape '\\q'");
	ERR("{\"a\":\"x\\u12G4\"}", 8, "\\u needs four hex digits");
	ERR("{\"a\":\"x\\u12\"}", 8, "\\u needs four hex digits");
	ERR("{\"a\":\"\\ud83d\"}", 7, "unpaired high surrogate");
	ERR("{\"a\":\"\\ud83dx\"}", 7, "unpaired high surrogate");
	ERR("{\"a\":\"\\ud83d\\u0041\"}", 7, "unpaired high surrogate");
	ERR("{\"a\":\"\\ude00\"}", 7, "unpaired low surrogate");
	ERR("{\"a\":\"\\u0000\"}", 7, "\\u0000 is not allowed");
	ERR("{\"a\":\"tab\there\"}", 10, "control character 0x09 in string (use an escape)");
	ERR("{\"中\":\"ab\xFF\"}", 9, "invalid UTF-8 (byte 0xFF)");
	ERR("{\"a\":\"\xC0\xAF\"}", 7, "invalid UTF-8 (byte 0xC0)");
	/* Numbers per the JSON grammar. */
	ERR("{\"a\":01}", 6, "number with a leading zero");
	ERR("{\"a\":-}", 6, "invalid number");
	ERR("{\"a\":+1}", 6, "expected a value");
	ERR("{\"a\":.5}", 6, "expected a value");
	ERR("{\"a\":1.}", 6, "invalid number: digits expected after '.'");
	ERR("{\"a\":1e}", 6, "invalid number: digits expected in the exponent");
	ERR("{\"a\":1e+}", 6, "invalid number: digits expected in the exponent");
	ERR("{\"a\":0x10}", 7, "expected ',' or '}'");
	ERR("{\"a\":NaN}", 6, "expected a value");
	/* Nested values are validated, brackets matched with strings inside. */
	ERR("{\"a\":[1,2}", 10, "expected ',' or ']'");
	ERR("{\"a\":[\"]\"", 6, "unclosed '['");
	ERR("{\"a\":{\"b\"}}", 10, "expected ':'");
	ERR("{\"a\":{1:2}}", 7, "expected a string key");
	ERR("{\"a\":[1,]}", 9, "expected a value");
	ERR("{\"a\":[\"x\\z\"]}", 9, "invalid escape '\\z'");

	/* Deep nesting is refused, not a stack overflow. */
	struct buf b = {0};
	buf_adds(&b, "{\"a\":");
	for (int i = 0; i < 100; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 100; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '}');
	expect_error(b.p, b.len, 70, "nesting deeper than 64");
	buf_free(&b);

	/* len bounds the input: the NUL inside is data, not an end. */
	expect_error("{\"a\":\"x\0y\"}", 11, 8, "control character 0x00 in string (use an escape)");
	expect_error("{\"a\":1}", 5, 6, "expected a value");
	/* col and cause may be NULL. */
	struct json_object o;
	assert_int_equal(json_parse_object("{", 1, &o, NULL, NULL), KAM_EINVAL);
}

static void expect_quoted(const char *s, const char *want)
{
	struct buf b = {0};
	json_add_string(&b, s);
	assert_string_equal(b.p, want);
	buf_free(&b);
}

static void test_json_add_string(void **state)
{
	expect_quoted("", "\"\"");
	expect_quoted("plain", "\"plain\"");
	expect_quoted("q\"b\\", "\"q\\\"b\\\\\"");
	expect_quoted("a\nb\tc\rd\be\ff", "\"a\\nb\\tc\\rd\\be\\ff\"");
	expect_quoted("\x01\x1f\x1b", "\"\\u0001\\u001f\\u001b\"");
	expect_quoted("中文 ＡＢＣ é 😀", "\"中文 ＡＢＣ é 😀\"");
	expect_quoted("/", "\"/\"");
	expect_quoted("bad\xFFz", "\"bad\\ufffdz\"");

	/* Round trip: what we write, we read back unchanged. */
	static const char *const vals[] = {"",         "x",         "q\"\\/", "\n\r\t\b\f\x01\x7f", "华为技术有限公司",
					   "𠮷野家 😀", "{not raw}", "[1,2]"};
	for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		struct buf b = {0};
		struct json_object o;
		buf_adds(&b, "{\"k\":");
		json_add_string(&b, vals[i]);
		buf_addc(&b, '}');
		parse_ok(b.p, &o);
		expect_member(&o, "k", JSON_STRING, vals[i], 6);
		json_object_free(&o);
		buf_free(&b);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_json_types),  cmocka_unit_test(test_json_escapes),    cmocka_unit_test(test_json_raw),
	    cmocka_unit_test(test_json_errors), cmocka_unit_test(test_json_add_string),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
