/* The flat YAML of a record for $EDITOR: round trip (quoting, CJK, enum and
 * computed comments), empty text, and errors with line:col. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/model.h"
#include "kam/record_yaml.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

static struct record *account(void)
{
	struct record *r = record_new(ENTITY(account));
	char *cause = NULL;
	assert_int_equal(record_parse_field(r, ACCOUNT_NAME, "中国华信通信集团广东有限公司", &cause), 0);
	assert_int_equal(record_parse_field(r, ACCOUNT_CITY, "广州", &cause), 0);
	assert_int_equal(record_parse_field(r, ACCOUNT_INDUSTRY, "carrier", &cause), 0);
	assert_int_equal(record_parse_field(r, ACCOUNT_KEY, "true", &cause), 0);
	assert_int_equal(record_parse_field(r, ACCOUNT_NOTES, "a: b #c \"q\" \\ 'x'\ttab", &cause), 0);
	assert_int_equal(record_parse_field(r, ACCOUNT_SHORT_NAME, "null", &cause), 0);
	r->id = 2;
	r->version = 3;
	return r;
}

static int parse(const char *text, struct record *r, char **cause)
{
	return record_yaml_parse("account-2.yaml", text, strlen(text), 0, NULL, r, cause);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct record *r = account();
	struct buf b = {0};
	record_yaml_format(NULL, r, NULL, 0, &b);
	assert_non_null(strstr(b.p, "\nname: 中国华信通信集团广东有限公司\n"));
	assert_non_null(strstr(b.p, "\n# industry: carrier | bank | insurance"));
	assert_non_null(strstr(b.p, "\nkey: true\n"));
	assert_non_null(strstr(b.p, "\nshort_name: \"null\"\n"));
	assert_non_null(strstr(b.p, "\nnotes: \"a: b #c \\\"q\\\" \\\\ 'x'\\ttab\"\n"));
	assert_non_null(strstr(b.p, "\nparent:\n"));
	struct record *back = record_dup(r);
	for (int f = 0; f < back->ent->nfields; f++)
		record_clear(back, f);
	char *cause = NULL;
	assert_int_equal(parse(b.p, back, &cause), 0);
	assert_null(cause);
	int *diff = NULL;
	assert_int_equal(record_diff(r, back, &diff), 0);
	free(diff);
	record_free(back);
	record_free(r);
	buf_free(&b);
}

static void test_edits(void **state)
{
	(void)state;
	struct record *r = account();
	char *cause = NULL;
	/* Listed fields change, an empty value or ~ clears, others stay;
	 * comments, quotes and a document start are read. */
	assert_int_equal(parse("---\n# c\ncity: 深圳 # comment\nindustry:\nkey: ~\nprovince: '广''东'\n", r, &cause),
			 0);
	assert_string_equal(r->v[ACCOUNT_CITY].s, "深圳");
	assert_false(record_has(r, ACCOUNT_INDUSTRY));
	assert_false(record_has(r, ACCOUNT_KEY));
	assert_string_equal(r->v[ACCOUNT_PROVINCE].s, "广'东");
	assert_string_equal(r->v[ACCOUNT_NAME].s, "中国华信通信集团广东有限公司");
	assert_int_equal(parse("notes: \"\\u5e7f\\n\"\r\n", r, &cause), 0);
	assert_string_equal(r->v[ACCOUNT_NOTES].s, "广\n");
	/* Only comments: the user emptied the file. */
	assert_int_equal(parse("# nothing\n\n", r, &cause), RECORD_YAML_EMPTY);
	assert_int_equal(parse("", r, &cause), RECORD_YAML_EMPTY);
	assert_null(cause);
	record_free(r);
}

static void expect_error(const char *text, int offset, const char *msg)
{
	struct record *r = account();
	char *cause = NULL;
	assert_int_equal(record_yaml_parse("account-2.yaml", text, strlen(text), offset, NULL, r, &cause), KAM_EINVAL);
	assert_non_null(cause);
	if (strcmp(cause, msg) != 0)
		fail_msg("got  %s\nwant %s", cause, msg);
	free(cause);
	record_free(r);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("city: x\nindustry: telecom\n", 0,
		     "account-2.yaml:2:11: error: industry: 'telecom' is not one of carrier, bank, insurance, "
		     "power, energy, manufacturing, government, transport, healthcare, education, internet, other");
	expect_error("# note\n名字: 深圳\n", 1, "account-2.yaml:3:1: error: unknown field '名字' of account");
	expect_error("cty: 深圳\n", 0,
		     "account-2.yaml:1:1: error: unknown field 'cty' of account (did you mean 'city'?)");
	expect_error("city: a\ncity: b\n", 0, "account-2.yaml:2:1: error: duplicate field 'city' (first on line 1)");
	expect_error("city:深圳\n", 0, "account-2.yaml:1:6: error: expected a space after ':'");
	expect_error("  city: x\n", 0,
		     "account-2.yaml:1:1: error: unexpected indentation: one \"field: value\" per line");
	expect_error("城市 深圳\n", 0, "account-2.yaml:1:3: error: expected \"field: value\"");
	expect_error("city: \"深圳\n", 0, "account-2.yaml:1:7: error: unterminated quoted value (values are one line)");
	expect_error("city: \"深圳\" x\n", 0, "account-2.yaml:1:12: error: unexpected text after the quoted value");
	expect_error("city: [a, b]\n", 0,
		     "account-2.yaml:1:7: error: a value starting with this character must be quoted (\"...\"): only "
		     "flat text is read");
	expect_error("city: 深圳: 广州\n", 0,
		     "account-2.yaml:1:9: error: ': ' inside a value: quote the value (\"...\")");
	expect_error("name:\n", 0, "account-2.yaml:1:7: error: name: required field is missing");
	expect_error("city: a\n...\n", 0, "account-2.yaml:2:1: error: one document only");
	expect_error("city: a\nemployees: 12x\n", 0,
		     "account-2.yaml:2:12: error: employees: '12x' is not a whole number");
	expect_error("city: \xe5\xb9\n", 0, "account-2.yaml:1:7: error: invalid UTF-8");
	struct record *a = record_new(ENTITY(activity));
	char *cause = NULL;
	const char *t = "budget: 5\n";
	assert_int_equal(record_yaml_parse("activity-1.yaml", t, strlen(t), 0, NULL, a, &cause), KAM_EINVAL);
	assert_string_equal(cause, "activity-1.yaml:1:1: error: budget is computed by kam and cannot be set");
	free(cause);
	record_free(a);
}

static void test_note(void **state)
{
	(void)state;
	struct record *r = account();
	struct buf b = {0};
	record_yaml_format(NULL, r, "account-2.yaml:9:11: error: bad\x1b[2J", 1, &b);
	assert_true(strncmp(b.p, "# error: account-2.yaml:9:11: error: bad?[2J\n# kam: account 2, version 3: ", 71) ==
		    0);
	size_t off = record_yaml_note_len(b.p, b.len);
	assert_true(strncmp(b.p + off, "# kam: account 2", 16) == 0);
	assert_int_equal(record_yaml_note_len("# error: x", 10), 10);
	assert_int_equal(record_yaml_note_len("# err", 5), 0);
	record_free(r);
	buf_free(&b);
}

/* With a txn: reference ids must exist, an exact name resolves to its id. */
static void test_refs(void **state)
{
	(void)state;
	char dir[] = "/tmp/kam_ryaml_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *db = xasprintf("%s/db", dir);
	struct store *st = NULL;
	assert_int_equal(store_open(&st, db, STORE_CREATE, NULL), 0);
	fixture_put(st, "staff", 0, (const char *const[]){"name=王丽", NULL});
	fixture_put(st, "staff", 0, (const char *const[]){"name=陈敏", NULL});
	fixture_put(st, "staff", 0, (const char *const[]){"name=Smith", NULL});
	fixture_put(st, "staff", 0, (const char *const[]){"name=smith", NULL});
	struct txn *t = NULL;
	assert_int_equal(store_begin(st, 0, &t), 0);
	struct record *r = record_new(ENTITY(activity));
	char *cause = NULL;
	const char *ok = "account: 7\ntype: call\ndate: 2026-11-23\nstaff: 陈敏; 1\n";
	assert_int_equal(record_yaml_parse("a.yaml", ok, strlen(ok), 0, NULL, r, &cause), KAM_EINVAL);
	free(cause); /* without a txn names are not ids */
	cause = NULL;
	const char *ok2 = "account: 7\ntype: call\ndate: 2026-11-23\nstaff: 1;2\n";
	assert_int_equal(record_yaml_parse("a.yaml", ok2, strlen(ok2), 0, NULL, r, &cause), 0);
	struct record *a = record_new(ENTITY(account));
	const char *named = "name: x\nkam: 陈敏\n";
	assert_int_equal(record_yaml_parse("a.yaml", named, strlen(named), 0, t, a, &cause), 0);
	assert_int_equal(a->v[ACCOUNT_KAM].i, 2);
	const char *missing = "name: x\nkam: 9\n";
	assert_int_equal(record_yaml_parse("a.yaml", missing, strlen(missing), 0, t, a, &cause), KAM_EINVAL);
	assert_string_equal(cause, "a.yaml:2:6: error: kam: no staff with id 9");
	free(cause);
	cause = NULL;
	const char *twice = "name: x\nkam: SMITH\n";
	assert_int_equal(record_yaml_parse("a.yaml", twice, strlen(twice), 0, t, a, &cause), KAM_EINVAL);
	assert_string_equal(cause, "a.yaml:2:6: error: kam: 2 staff are named 'SMITH': give the id");
	free(cause);
	cause = NULL;
	const char *nobody = "name: x\nkam: 王\n";
	assert_int_equal(record_yaml_parse("a.yaml", nobody, strlen(nobody), 0, t, a, &cause), KAM_EINVAL);
	assert_string_equal(cause, "a.yaml:2:6: error: kam: no staff named '王' (give an id or a full name)");
	free(cause);
	store_abort(t);
	record_free(a);
	record_free(r);
	store_close(st);
	fixture_rmtree(dir);
	free(db);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_round_trip), cmocka_unit_test(test_edits), cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_note),       cmocka_unit_test(test_refs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
