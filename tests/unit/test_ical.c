/* iCal writer (src/io/ical.c): folding, escaping and a calendar from a real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kam/err.h"
#include "kam/ical.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

static void test_escape(void **state)
{
	(void)state;
	struct buf b = {0};
	ical_escape_text("a\\b;c,d\ne\r\nf", &b);
	assert_string_equal(b.p, "a\\\\b\\;c\\,d\\ne\\nf");
	buf_free(&b);
}

/* Every physical line <= 75 octets, continuation lines start with a space,
 * no UTF-8 sequence is split, and unfolding gives the original back. */
static void check_folded(const char *line, const char *folded)
{
	struct buf unf = {0};
	const char *p = folded;
	int first = 1;
	while (*p) {
		const char *eol = strstr(p, "\r\n");
		assert_non_null(eol);
		size_t len = (size_t)(eol - p);
		assert_true(len <= 75);
		const char *start = p;
		if (!first) {
			assert_int_equal(*p, ' ');
			start++;
		}
		/* a continuation never starts with a UTF-8 continuation byte */
		if (start < eol)
			assert_false(((unsigned char)*start & 0xc0) == 0x80);
		buf_add(&unf, start, (size_t)(eol - start));
		first = 0;
		p = eol + 2;
	}
	assert_string_equal(unf.p ? unf.p : "", line);
	buf_free(&unf);
}

static void test_fold_ascii(void **state)
{
	(void)state;
	char line[200];
	memset(line, 'x', 160);
	line[160] = 0;
	struct buf b = {0};
	ical_fold_line(line, &b);
	/* 75 + CRLF, then space + 74 + CRLF, then space + 11 + CRLF */
	assert_int_equal(b.len, 75 + 2 + 1 + 74 + 2 + 1 + 11 + 2);
	assert_memory_equal(b.p + 75, "\r\n x", 4);
	check_folded(line, b.p);
	buf_free(&b);

	buf_reset(&b);
	memset(line, 'y', 75);
	line[75] = 0;
	ical_fold_line(line, &b);
	assert_int_equal(b.len, 77); /* exactly 75: no fold */
	buf_free(&b);
}

static void test_fold_utf8(void **state)
{
	(void)state;
	/* "SUMMARY:" (8 octets) + 30 CJK chars of 3 octets: the first fold must
	 * come after 8 + 22*3 = 74 octets, since a 23rd char would make 77. */
	struct buf line = {0}, b = {0};
	buf_adds(&line, "SUMMARY:");
	for (int i = 0; i < 30; i++)
		buf_adds(&line, "\xe5\xae\xa2"); /* 客 */
	ical_fold_line(line.p, &b);
	const char *eol = strstr(b.p, "\r\n");
	assert_int_equal(eol - b.p, 74);
	check_folded(line.p, b.p);
	buf_free(&b);

	/* a 4-octet emoji straddling the boundary moves to the next line */
	buf_reset(&line);
	for (int i = 0; i < 73; i++)
		buf_addc(&line, 'a');
	buf_adds(&line, "\xf0\x9f\x98\x80zz");
	ical_fold_line(line.p, &b);
	eol = strstr(b.p, "\r\n");
	assert_int_equal(eol - b.p, 73);
	check_folded(line.p, b.p);
	buf_free(&b);
	buf_free(&line);
}

#define add(st, e, ...) fixture_put_pairs(st, e, NULL, __VA_ARGS__)

static void test_calendar(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "ical");
	struct store *st = fx.st;
	char *cause = NULL;
	add(st, ENTITY(account), (const char *[]){"name", "Acme; Widgets, Inc", NULL});
	add(st, ENTITY(activity),
	    (const char *[]){"account", "1", "type", "company_visit", "title", "Kick-off", "date", "2026-12-01", "time",
			     "09:30", NULL});
	add(st, ENTITY(activity),
	    (const char *[]){"account", "1", "type", "exhibition", "title", "Old fair", "date", "2026-01-10", NULL});
	add(st, ENTITY(activity),
	    (const char *[]){"account", "1", "type", "exhibition", "title", "Expo", "date", "2026-12-10",
			     "duration_days", "3", NULL});
	add(st, ENTITY(opportunity),
	    (const char *[]){"account", "1", "year", "2027", "title", "Core network", "decision_date", "2027-03-31",
			     "amount", "1000", NULL});
	setenv("KAM_TODAY", "2026-11-23", 1);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	assert_int_equal(ical_write_activities(st, f, 20261101, &cause), 0);
	fclose(f);
	assert_non_null(strstr(text, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
	assert_non_null(strstr(text, "UID:act-1@kam\r\nDTSTAMP:20261123T000000Z\r\nDTSTART:20261201T093000\r\n"));
	assert_null(strstr(text, "act-2@kam")); /* before --since */
	assert_non_null(strstr(text, "DTSTART;VALUE=DATE:20261210\r\nDTEND;VALUE=DATE:20261213\r\n"));
	assert_non_null(strstr(text, "SUMMARY:Acme\\; Widgets\\, Inc: Kick-off\r\n"));
	assert_non_null(strstr(text, "UID:opp-1-decision@kam\r\n"));
	assert_non_null(strstr(text, "DESCRIPTION:Account: Acme\\; Widgets\\, Inc\\nAmount: 1\\,000.00\r\n"));
	assert_true(len > 15 && strcmp(text + len - 15, "END:VCALENDAR\r\n") == 0);
	/* every newline is part of a CRLF */
	for (size_t i = 0; i < len; i++)
		if (text[i] == '\n')
			assert_int_equal(text[i - 1], '\r');
	free(text);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_escape),
	    cmocka_unit_test(test_fold_ascii),
	    cmocka_unit_test(test_fold_utf8),
	    cmocka_unit_test(test_calendar),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
