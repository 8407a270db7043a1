/* Utility layer: allocation helpers, buffers, errors, strict parsers,
 * calendar arithmetic, edit distance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/util.h"

static void test_xalloc(void **state)
{
	char *s = xasprintf("%s-%d", "ab", 42);
	assert_string_equal(s, "ab-42");
	free(s);
	s = xstrndup("abcdef", 3);
	assert_string_equal(s, "abc");
	free(s);
	s = xstrndup("ab", 10);
	assert_string_equal(s, "ab");
	free(s);
	s = xstrdup("");
	assert_string_equal(s, "");
	free(s);
	int *z = xcalloc(4, sizeof(int));
	assert_int_equal(z[0] + z[1] + z[2] + z[3], 0);
	z = xrealloc(z, 100 * sizeof(int));
	z[99] = 7;
	free(z);
}

static void test_buf(void **state)
{
	struct buf b = {0};

	buf_reset(&b); /* on an empty buffer: no crash */
	buf_adds(&b, "abc");
	buf_addc(&b, '-');
	buf_add(&b, "xyz", 2);
	assert_string_equal(b.p, "abc-xy");
	assert_int_equal(b.len, 6);
	/* Longer than the first try of buf_addf's in-place format. */
	char big[300];
	memset(big, 'q', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_addf(&b, "[%s]%d", big, 5);
	assert_int_equal(b.len, 6 + 2 + 299 + 1);
	assert_int_equal(b.p[b.len - 1], '5');
	assert_int_equal(b.p[b.len], '\0');
	buf_reset(&b);
	assert_string_equal(b.p, "");
	buf_addf(&b, "%d", 12);
	char *s = buf_steal(&b);
	assert_string_equal(s, "12");
	assert_null(b.p);
	free(s);
	s = buf_steal(&b); /* steal of an empty buffer gives "" */
	assert_string_equal(s, "");
	free(s);
	for (int i = 0; i < 10000; i++)
		buf_addc(&b, 'x');
	assert_int_equal(strlen(b.p), 10000);
	buf_free(&b);
	buf_free(&b);
}

static void test_errors(void **state)
{
	static const int codes[] = {KAM_OK,     KAM_EINVAL, KAM_ENOTFOUND, KAM_ECONFLICT, KAM_EEXIST,   KAM_EREFERENCED,
				    KAM_ESTORE, KAM_EFULL,  KAM_EUSAGE,    KAM_ELOCKED,   KAM_EFINDINGS};
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		assert_string_not_equal(kam_strerror(codes[i]), "unknown error");
	assert_string_equal(kam_strerror(-99), "unknown error");
	assert_int_equal(kam_exit_code(KAM_OK), 0);
	assert_int_equal(kam_exit_code(KAM_EFINDINGS), 1);
	assert_int_equal(kam_exit_code(KAM_EUSAGE), 2);
	assert_int_equal(kam_exit_code(KAM_EINVAL), 3);
	assert_int_equal(kam_exit_code(KAM_ENOTFOUND), 3);
	assert_int_equal(kam_exit_code(KAM_EEXIST), 3);
	assert_int_equal(kam_exit_code(KAM_EREFERENCED), 3);
	assert_int_equal(kam_exit_code(KAM_ECONFLICT), 4);
	assert_int_equal(kam_exit_code(KAM_ELOCKED), 4);
	assert_int_equal(kam_exit_code(KAM_ESTORE), 5);
	assert_int_equal(kam_exit_code(KAM_EFULL), 5);

	char *cause = NULL;
	assert_int_equal(set_cause(&cause, KAM_EINVAL, "bad %s", "thing"), KAM_EINVAL);
	assert_string_equal(cause, "bad thing");
	/* The first cause wins: inner detail is not overwritten by outer layers. */
	assert_int_equal(set_cause(&cause, KAM_ESTORE, "other"), KAM_ESTORE);
	assert_string_equal(cause, "bad thing");
	free(cause);
	assert_int_equal(set_cause(NULL, KAM_EUSAGE, "x"), KAM_EUSAGE);
}

static void test_parse_int64(void **state)
{
	int64_t v = 0;
	assert_int_equal(parse_int64("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_int64("-42", &v), 0);
	assert_int_equal(v, -42);
	assert_int_equal(parse_int64("+7", &v), 0);
	assert_int_equal(v, 7);
	assert_int_equal(parse_int64("9223372036854775807", &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_int64("-9223372036854775808", &v), 0);
	assert_true(v == INT64_MIN);
	v = 5;
	assert_int_equal(parse_int64("9223372036854775808", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("-9223372036854775809", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("99999999999999999999", &v), KAM_EINVAL);
	assert_int_equal(v, 5); /* untouched on error */
	assert_int_equal(parse_int64("", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("-", &v), KAM_EINVAL);
	assert_int_equal(parse_int64(" 1", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("1 ", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("12a", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("0x10", &v), KAM_EINVAL);
	assert_int_equal(parse_int64("1,000", &v), KAM_EINVAL);
	assert_int_equal(parse_int64(NULL, &v), KAM_EINVAL);
}

static void test_parse_decimal(void **state)
{
	int64_t v = 0;
	assert_int_equal(parse_decimal("12.5", 2, &v), 0);
	assert_int_equal(v, 1250);
	assert_int_equal(parse_decimal("1,234.5", 2, &v), 0);
	assert_int_equal(v, 123450);
	assert_int_equal(parse_decimal("1,234,567", 0, &v), 0);
	assert_int_equal(v, 1234567);
	assert_int_equal(parse_decimal("-0.05", 2, &v), 0);
	assert_int_equal(v, -5);
	assert_int_equal(parse_decimal("+.5", 2, &v), 0);
	assert_int_equal(v, 50);
	assert_int_equal(parse_decimal("42", 2, &v), 0);
	assert_int_equal(v, 4200);
	assert_int_equal(parse_decimal("1234567.89", 2, &v), 0);
	assert_int_equal(v, 123456789);
	assert_int_equal(parse_decimal("92233720368547758.07", 2, &v), 0);
	assert_true(v == INT64_MAX);
	assert_int_equal(parse_decimal("-92233720368547758.08", 2, &v), 0);
	assert_true(v == INT64_MIN);
	v = 9;
	assert_int_equal(parse_decimal("92233720368547758.08", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("92233720368547758", 3, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1.234", 2, &v), KAM_EINVAL); /* too many fraction digits */
	assert_int_equal(parse_decimal("1.5", 0, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal(".", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("12.", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("-", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1.2.3", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("12abc", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1,23", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1,2345", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1234,567", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal(",123", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1,,234", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal(" 1", 2, &v), KAM_EINVAL);
	assert_int_equal(parse_decimal("1e3", 2, &v), KAM_EINVAL);
	assert_int_equal(v, 9);
}

static void test_parse_date(void **state)
{
	int64_t d = 0;
	assert_int_equal(parse_date("2026-11-23", &d), 0);
	assert_int_equal(d, 20261123);
	assert_int_equal(parse_date("2026/01/05", &d), 0);
	assert_int_equal(d, 20260105);
	assert_int_equal(parse_date("20261231", &d), 0);
	assert_int_equal(d, 20261231);
	assert_int_equal(parse_date("2024-02-29", &d), 0); /* leap year */
	assert_int_equal(parse_date("2000-02-29", &d), 0); /* divisible by 400 */
	d = 1;
	assert_int_equal(parse_date("1900-02-29", &d), KAM_EINVAL); /* by 100, not 400 */
	assert_int_equal(parse_date("2023-02-29", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-04-31", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-13-01", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-00-10", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-01-00", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-1-5", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-01/05", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026-01-05x", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026", &d), KAM_EINVAL);
	assert_int_equal(parse_date("", &d), KAM_EINVAL);
	assert_int_equal(parse_date("0000-01-01", &d), KAM_EINVAL);
	assert_int_equal(parse_date("2026010", &d), KAM_EINVAL);
	assert_int_equal(d, 1);

	int64_t m = 0;
	assert_int_equal(parse_time("09:30", &m), 0);
	assert_int_equal(m, 570);
	assert_int_equal(parse_time("9:05", &m), 0);
	assert_int_equal(m, 545);
	assert_int_equal(parse_time("23:59", &m), 0);
	assert_int_equal(m, 1439);
	assert_int_equal(parse_time("24:00", &m), KAM_EINVAL);
	assert_int_equal(parse_time("12:60", &m), KAM_EINVAL);
	assert_int_equal(parse_time("12:5", &m), KAM_EINVAL);
	assert_int_equal(parse_time("123:00", &m), KAM_EINVAL);
	assert_int_equal(parse_time("12:00:00", &m), KAM_EINVAL);
	assert_int_equal(parse_time(":30", &m), KAM_EINVAL);
}

static void test_date_math(void **state)
{
	assert_int_equal(date_to_days(19700101), 0);
	assert_int_equal(date_to_days(19700102), 1);
	assert_int_equal(date_to_days(19691231), -1);
	assert_int_equal(date_to_days(20000301) - date_to_days(20000228), 2);
	assert_int_equal(date_to_days(20260101) - date_to_days(20250101), 365);
	assert_int_equal(date_to_days(20250101) - date_to_days(20240101), 366);
	assert_int_equal(days_to_date(0), 19700101);
	/* Round trip over every day of four centuries around now. */
	for (int64_t n = date_to_days(18000101); n < date_to_days(22000101); n++) {
		int64_t ymd = days_to_date(n);
		int64_t chk;
		char s[16];
		snprintf(s, sizeof(s), "%08lld", (long long)ymd);
		assert_int_equal(parse_date(s, &chk), 0);
		assert_int_equal(date_to_days(ymd), n);
	}
	assert_int_equal(date_weekday(19700101), 3); /* Thursday */
	assert_int_equal(date_weekday(20261123), 0); /* Monday */
	assert_int_equal(date_weekday(20261129), 6); /* Sunday */
	assert_int_equal(date_weekday(19691231), 2);

	setenv("KAM_TODAY", "2024-02-29", 1);
	assert_int_equal(date_today(), 20240229);
	setenv("KAM_TODAY", "garbage", 1);
	int64_t t = date_today();
	assert_true(t > 20200101 && t < 30000101); /* falls back to the clock */
	unsetenv("KAM_TODAY");
	assert_int_equal(date_today(), t);
}

static void test_edit_distance(void **state)
{
	assert_int_equal(edit_distance("", ""), 0);
	assert_int_equal(edit_distance("abc", ""), 3);
	assert_int_equal(edit_distance("kitten", "sitting"), 3);
	assert_int_equal(edit_distance("province", "provnce"), 1);
	assert_int_equal(edit_distance("客户", "客戶"), 1); /* code points, not bytes */
	assert_int_equal(edit_distance("名称", ""), 2);

	static const char *const cands[] = {"name", "province", "industry", "city", NULL};
	assert_string_equal(nearest_word("provnce", cands), "province");
	assert_string_equal(nearest_word("industy", cands), "industry");
	assert_string_equal(nearest_word("nmae", cands), "name");
	assert_string_equal(nearest_word("city", cands), "city");
	assert_null(nearest_word("zzzzzz", cands));
	assert_null(nearest_word("", cands));
	assert_null(nearest_word("xy", cands));
	static const char *const none[] = {NULL};
	assert_null(nearest_word("name", none));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_xalloc),      cmocka_unit_test(test_buf),           cmocka_unit_test(test_errors),
	    cmocka_unit_test(test_parse_int64), cmocka_unit_test(test_parse_decimal), cmocka_unit_test(test_parse_date),
	    cmocka_unit_test(test_date_math),   cmocka_unit_test(test_edit_distance),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
