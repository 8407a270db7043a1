/* The rule expression language: precedence, types, functions, errors with
 * their positions, evaluation against metric values. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/rules.h"

static union metric_value metrics[M__COUNT];

static void setup_metrics(void)
{
	memset(metrics, 0, sizeof metrics);
	metrics[M_REVENUE].num = 1500000;
	metrics[M_MARGIN].num = 25;
	metrics[M_BUYING_YEARS].num = 3;
	metrics[M_PROCUREMENT].str = "centralized";
	metrics[M_KEY_FLAG].num = 1;
}

static struct expr_value eval_ok(const char *src, enum expr_type want)
{
	struct expr *e;
	enum expr_type t;
	char *cause = NULL;
	size_t pos;
	if (expr_compile(src, &e, &t, &pos, &cause) != 0)
		fail_msg("%s: %s at %zu", src, cause, pos);
	assert_int_equal(t, want);
	assert_int_equal(expr_result_type(e), want);
	setup_metrics();
	struct expr_value v = expr_eval(e, metrics);
	expr_free(e);
	return v;
}

static double num(const char *src)
{
	return eval_ok(src, ET_NUM).num;
}

static int truth(const char *src)
{
	return eval_ok(src, ET_BOOL).num != 0;
}

static void expect_fail(const char *src, size_t want_pos, const char *want_msg)
{
	struct expr *e = NULL;
	char *cause = NULL;
	size_t pos = 999;
	int r = expr_compile(src, &e, NULL, &pos, &cause);
	if (r == 0)
		fail_msg("compiled: %s", src);
	assert_int_equal(r, KAM_EINVAL);
	assert_null(e);
	assert_string_equal(cause, want_msg);
	assert_int_equal(pos, want_pos);
	free(cause);
}

static void test_arithmetic_precedence(void **state)
{
	(void)state;
	assert_true(num("1 + 2 * 3") == 7);
	assert_true(num("(1 + 2) * 3") == 9);
	assert_true(num("10 - 4 - 3") == 3); /* left associative */
	assert_true(num("24 / 4 / 2") == 3);
	assert_true(num("-2 * 3") == -6);
	assert_true(num("- -2") == 2);
	assert_true(num("2 - -2") == 4);
	assert_true(num("1.5e3 + .5") == 1500.5);
	assert_true(num("7 / 0") == 0); /* never a run-time failure */
}

static void test_logic_precedence(void **state)
{
	(void)state;
	assert_true(truth("1 < 2 and 2 < 3"));
	assert_false(truth("1 < 2 and 3 < 2"));
	assert_true(truth("true or false and false")); /* and binds tighter */
	assert_false(truth("(true or false) and false"));
	assert_true(truth("not false and true")); /* not binds tighter than and */
	assert_false(truth("not (true and true)"));
	assert_true(truth("1 + 1 == 2"));
	assert_true(truth("2 * 3 > 5 and 1 <= 1 and 2 >= 2 and 1 != 2"));
	assert_true(truth("true == true"));
}

static void test_strings_in(void **state)
{
	(void)state;
	assert_true(truth("procurement == 'centralized'"));
	assert_true(truth("procurement in ['mixed', \"centralized\"]"));
	assert_false(truth("procurement not in ['mixed', 'centralized']"));
	assert_true(truth("buying_years in [1, 2, 3]"));
	assert_true(truth("-1 in [-1]"));
	assert_false(truth("scale in ['xl']")); /* unset string: no match */
	assert_true(truth("'a' < 'b'"));
}

static void test_functions(void **state)
{
	(void)state;
	assert_true(num("if(margin > 20, 100, 0)") == 100);
	assert_true(num("if(margin > 30, 100, if(margin > 20, 50, 0))") == 50);
	assert_true(num("min(3, 1, 2)") == 1);
	assert_true(num("max(3, revenue / 1000000, 2)") == 3);
	assert_true(num("abs(2 - 5)") == 3);
	/* String results are borrowed from the expression: check before freeing. */
	struct expr *e;
	assert_int_equal(expr_compile("if(key, 'yes', 'no')", &e, NULL, NULL, NULL), 0);
	setup_metrics();
	struct expr_value s = expr_eval(e, metrics);
	assert_int_equal(s.type, ET_STR);
	assert_string_equal(s.str, "yes");
	expr_free(e);
}

static void test_dates(void **state)
{
	(void)state;
	assert_true(num("date('2026-03-10') - date('2026-03-01')") == 9);
	struct expr_value d = eval_ok("date('2026-12-25') + 7", ET_DATE);
	assert_true(d.num == (double)date_to_days(20270101));
	assert_true(truth("date('2026-01-01') < date('2026-01-02')"));
	setenv("KAM_TODAY", "2026-11-23", 1);
	assert_true(num("today - date('2026-11-01')") == 22);
}

static void test_metrics_used(void **state)
{
	(void)state;
	struct expr *e;
	assert_int_equal(expr_compile("revenue > 1 and procurement == 'x'", &e, NULL, NULL, NULL), 0);
	assert_true(expr_metrics(e) == (((uint64_t)1 << M_REVENUE) | ((uint64_t)1 << M_PROCUREMENT)));
	expr_free(e);
	assert_int_equal(metric_lookup("share_of_wallet"), M_SHARE_OF_WALLET);
	assert_int_equal(metric_lookup("nope"), -1);
}

static void test_type_errors(void **state)
{
	(void)state;
	expect_fail("1 + 'a'", 2, "'+' cannot combine a number and a string");
	expect_fail("revenue > 'x'", 8, "'>' cannot compare a number with a string");
	expect_fail("not 3", 0, "'not' wants true/false, not a number");
	expect_fail("1 and true", 2, "'and' wants true/false on both sides, not a number and a true/false");
	expect_fail("if(1, 2, 3)", 0, "the condition of if() must be true/false, not a number");
	expect_fail("if(true, 2, 'x')", 0, "both branches of if() must have one type (number vs string)");
	expect_fail("if(true, 2)", 0, "if() takes 3 arguments (condition, then, else), not 2");
	expect_fail("min('a')", 0, "min() wants numbers, not a string");
	expect_fail("abs(1, 2)", 0, "abs() takes one number");
	expect_fail("-'a'", 0, "'-' wants a number, not a string");
	expect_fail("true < false", 5, "'<' cannot compare a true/false with a true/false");
	expect_fail("date('2026-02-30')", 0, "date() takes one date string such as '2027-03-31'");
	expect_fail("procurement in [1]", 16, "'in' compares a string with a number");
	expect_fail("revenue in [margin]", 12, "the list after 'in' holds numbers or strings only");
	expect_fail("date('2026-01-01') * 2", 19, "'*' cannot combine a date and a number");
}

static void test_syntax_errors(void **state)
{
	(void)state;
	expect_fail("revenu > 1", 0, "unknown name 'revenu' (did you mean 'revenue'?)");
	expect_fail("1 + xyzzyq", 4, "unknown name 'xyzzyq'");
	expect_fail("1 +", 3, "unexpected end of expression");
	expect_fail("(1 + 2", 6, "expected ')' but the expression ends");
	expect_fail("1 2", 2, "unexpected '2' after the expression");
	expect_fail("margin = 3", 7, "use '==' to compare");
	expect_fail("'abc", 0, "unterminated string");
	expect_fail("3 # 4", 2, "unexpected '#' after the expression");
	expect_fail("", 0, "unexpected end of expression");
	expect_fail("12abc", 0, "bad number");
}

/* Hostile nesting and length are load errors, not a stack overflow (found
 * by fuzz_expr: "--((----(--(..." crashed the parser). */
static void test_limits(void **state)
{
	(void)state;
	char deep[200], *p = deep;
	for (int i = 0; i < 70; i++)
		*p++ = i & 1 ? '(' : '-';
	strcpy(p, "1");
	expect_fail(deep, 64, "expression nested too deeply (more than 64 levels)");
	size_t n = 3000 * 2 + 2;
	char *chain = malloc(n), *q = chain;
	*q++ = '1';
	for (int i = 0; i < 3000; i++)
		*q++ = '+', *q++ = '1';
	*q = 0;
	expect_fail(chain, 2050, "expression too long (more than 2048 terms)");
	free(chain);
	assert_true(num("((((((((((1))))))))))") == 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_arithmetic_precedence),
	    cmocka_unit_test(test_logic_precedence),
	    cmocka_unit_test(test_strings_in),
	    cmocka_unit_test(test_functions),
	    cmocka_unit_test(test_dates),
	    cmocka_unit_test(test_metrics_used),
	    cmocka_unit_test(test_type_errors),
	    cmocka_unit_test(test_syntax_errors),
	    cmocka_unit_test(test_limits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
