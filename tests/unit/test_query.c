/* The navigator's filter language (kam/query.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/query.h"

static struct query *parse_ok(const char *src)
{
	struct query *q = NULL;
	char *cause = NULL;
	int rc = query_parse(src, &q, &cause);
	if (rc != 0)
		fail_msg("%s: %s", src, cause ? cause : "?");
	assert_null(cause);
	return q;
}

/* The error message for src (caller frees). */
static char *parse_err(const char *src)
{
	struct query *q = NULL;
	char *cause = NULL;
	assert_int_equal(query_parse(src, &q, &cause), KAM_EINVAL);
	assert_null(q);
	assert_non_null(cause);
	return cause;
}

static void expect_err(const char *src, const char *msg)
{
	char *cause = parse_err(src);
	if (strcmp(cause, msg) != 0)
		fail_msg("%s:\n  got  %s\n  want %s", src, cause, msg);
	free(cause);
}

static void test_tokens(void **state)
{
	(void)state;
	struct query *q = parse_ok("tier:key region:广东 revenue>1000000 kam:张 stage:stab name~银行");
	assert_int_equal(q->n, 6);
	assert_int_equal(q->terms[0].field, QF_TIER);
	assert_int_equal(q->terms[0].op, QOP_HAS);
	assert_string_equal(q->terms[0].text, "key");
	assert_int_equal(q->terms[1].field, QF_REGION);
	assert_int_equal(q->terms[1].op, QOP_CONTAINS);
	assert_string_equal(q->terms[1].text, "广东");
	assert_int_equal(q->terms[2].field, QF_REVENUE);
	assert_int_equal(q->terms[2].op, QOP_GT);
	assert_true(q->terms[2].num == 100000000LL);
	assert_int_equal(q->terms[3].field, QF_KAM);
	assert_string_equal(q->terms[3].text, "张");
	assert_int_equal(q->terms[4].field, QF_STAGE);
	assert_int_equal(q->terms[5].field, QF_NAME);
	assert_int_equal(q->terms[5].op, QOP_CONTAINS);
	assert_string_equal(q->terms[5].text, "银行");
	query_free(q);
}

static void test_bare_words_and_blanks(void **state)
{
	(void)state;
	/* No colon: the plain filter (name, KAM, region contains). The
	 * ideographic space separates terms too; full-width folds. */
	struct query *q = parse_ok("  深圳\u3000ＡＢＣ  ");
	assert_int_equal(q->n, 2);
	assert_int_equal(q->terms[0].field, QF_TEXT);
	assert_string_equal(q->terms[0].text, "深圳");
	assert_string_equal(q->terms[1].text, "abc");
	query_free(q);
	/* A CJK word before a colon is text, not a field. */
	q = parse_ok("广东:深圳");
	assert_int_equal(q->n, 1);
	assert_int_equal(q->terms[0].field, QF_TEXT);
	query_free(q);
	assert_null(parse_ok("   "));
	assert_null(parse_ok(""));
}

static void test_quotes_and_numbers(void **state)
{
	(void)state;
	struct query *q = parse_ok("name:\"Northwind Grid\" rev>=1.5M score<80 employees=62,000 revenue<=300万 "
				   "REVENUE!=2亿 name=\"a\\\"b\"");
	assert_int_equal(q->n, 7);
	assert_string_equal(q->terms[0].text, "northwind grid");
	assert_int_equal(q->terms[1].field, QF_REVENUE);
	assert_int_equal(q->terms[1].op, QOP_GE);
	assert_true(q->terms[1].num == 150000000LL);
	assert_true(q->terms[2].num == 8000);
	assert_int_equal(q->terms[3].op, QOP_EQ);
	assert_true(q->terms[3].num == 6200000LL);
	assert_true(q->terms[4].num == 300000000LL);
	assert_int_equal(q->terms[5].op, QOP_NE);
	assert_true(q->terms[5].num == 20000000000LL);
	assert_string_equal(q->terms[6].text, "a\"b");
	query_free(q);
}

static void test_errors_with_column(void **state)
{
	(void)state;
	expect_err("tier:key teir:key", "column 10: unknown field 'teir' (did you mean tier?)");
	expect_err("广东 regoin:广州", "column 4: unknown field 'regoin' (did you mean region?)");
	expect_err("colour:red",
		   "column 1: unknown field 'colour' (fields: name kam region province city tier stage industry "
		   "revenue score employees)");
	expect_err("revenue>abc", "column 9: 'revenue' needs a number, not 'abc'");
	expect_err("revenue>", "column 9: a value must follow 'revenue>'");
	expect_err("kam:张 name>银行", "column 11: 'name' is text: compare it with : ~ = != !~, not >");
	expect_err("score~8", "column 6: 'score' is a number: compare it with : = != < <= > >=, not ~");
	expect_err("name:\"银行 x", "column 6: unterminated quote");
	expect_err("name:\"a\"b", "column 9: a blank must follow the closing quote");
	expect_err("revenue>1e999", "column 9: 'revenue' needs a number, not '1e999'");
}

static struct query_subject subject(void)
{
	struct query_subject s;
	memset(&s, 0, sizeof s);
	s.text[QF_TEXT] = "中国华信通信集团广东有限公司 王丽 广东 广州";
	s.text[QF_NAME] = "中国华信通信集团广东有限公司";
	s.text[QF_KAM] = "王丽";
	s.text[QF_PROVINCE] = "广东";
	s.text[QF_CITY] = "广州";
	s.text[QF_TIER] = "key";
	s.text[QF_STAGE] = "stabilize";
	s.text[QF_INDUSTRY] = "carrier";
	s.num[QF_REVENUE] = 210000000000LL; /* 2,100.0M in cents */
	s.has_num[QF_REVENUE] = 1;
	s.num[QF_SCORE] = 8800;
	s.has_num[QF_SCORE] = 1;
	return s;
}

static int matches(const char *src)
{
	struct query_subject s = subject();
	struct query *q = parse_ok(src);
	int m = query_match(q, &s);
	query_free(q);
	return m;
}

static void test_match(void **state)
{
	(void)state;
	assert_true(matches("tier:key region:广东 revenue>1000000 kam:王 stage:stab name~华信"));
	assert_true(matches("广州"));
	assert_true(matches("region:广州 industry:carr"));
	assert_false(matches("tier:ke2"));
	assert_true(matches("tier:ke"));    /* codes: starts with */
	assert_false(matches("tier=ke"));   /* = is exact */
	assert_false(matches("stage:bid")); /* a value no account has */
	assert_false(matches("revenue>2100M"));
	assert_true(matches("revenue>=2100M revenue<=2,100,000,000 revenue:2100M"));
	assert_true(matches("score>87.5 score<88.5"));
	assert_false(matches("employees>0")); /* no figure: no comparison holds */
	assert_true(matches("employees!=5"));
	assert_true(matches("region!~上海 name!=x"));
	assert_false(matches("region!~广州"));
	assert_false(matches("kam:张"));
	assert_true(matches(""));
	assert_true(query_match(NULL, NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_tokens),
	    cmocka_unit_test(test_bare_words_and_blanks),
	    cmocka_unit_test(test_quotes_and_numbers),
	    cmocka_unit_test(test_errors_with_column),
	    cmocka_unit_test(test_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
