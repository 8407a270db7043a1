/* Report aggregations (src/report) on hand-made records in a temporary database. */
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

#include "kam/conf.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/report.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

struct fx {
	struct fixture fx;
	struct report_opts o;
};

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	fixture_open(&f->fx, "report");
	f->o = (struct report_opts){.year = 2026, .today = 20261123, .cfg = f->fx.cfg};
	struct store *st = f->fx.st;
	ADD(st, "staff", "name=Ann");                                            /* 1 */
	ADD(st, "staff", "name=Bob", "status=left");                             /* 2 */
	ADD(st, "account", "name=Alpha", "key=true", "kam=1", "province=North"); /* 1 */
	ADD(st, "account", "name=Beta", "kam=1", "province=South");              /* 2 */
	ADD(st, "account_year", "account=1", "year=2024", "revenue=300");
	ADD(st, "account_year", "account=1", "year=2025", "revenue=200", "budget=1000");
	ADD(st, "account_year", "account=1", "year=2026", "revenue=100", "budget=1000");
	ADD(st, "account_year", "account=2", "year=2025", "revenue=50");
	ADD(st, "account_year", "account=2", "year=2026", "revenue=60");
	/* 2025: Alpha won core; Beta lost x to Rival */
	ADD(st, "opportunity", "account=1", "year=2025", "title=o1", "offering=core", "status=won", "amount=10");
	ADD(st, "opportunity", "account=2", "year=2025", "title=o2", "offering=x", "status=lost",
	    "competitors=Rival:70;Other:30", "amount=10");
	/* 2026: Alpha keeps core, opens svc (slipped to 2027), Beta lost x again */
	ADD(st, "opportunity", "account=1", "year=2026", "title=o3", "offering=core", "status=won", "amount=20",
	    "stage=closed", "owner=1", "decision_date=2026-02-01");
	ADD(st, "opportunity", "account=1", "year=2026", "title=o4", "offering=svc", "amount=100", "stage=proposal",
	    "probability=30", "decision_date=2027-01-15");
	ADD(st, "opportunity", "account=2", "year=2026", "title=o5", "offering=x", "status=lost", "amount=5",
	    "stage=closed", "decision_date=2026-12-31");
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->fx);
	free(f);
	return 0;
}

static struct report *run(struct fx *f, const char *name)
{
	struct report *r = NULL;
	char *cause = NULL;
	if (report_run(f->fx.st, name, &f->o, &r, &cause))
		fail_msg("%s: %s", name, cause);
	return r;
}

/* Row whose first cell is key, or -1. */
static long row_of(const struct report *r, const char *key)
{
	for (size_t i = 0; i < r->nrows; i++)
		if (!strcmp(report_cell(r, i, 0), key))
			return (long)i;
	return -1;
}

static void test_pipeline(void **state)
{
	struct fx *f = *state;
	struct report *r = run(f, "pipeline");
	long p = row_of(r, "proposal"), c = row_of(r, "closed"), t = row_of(r, "TOTAL");
	assert_true(p >= 0 && c >= 0 && t >= 0);
	assert_string_equal(report_cell(r, (size_t)p, 1), "1");
	assert_string_equal(report_cell(r, (size_t)p, 2), "100.00");
	assert_string_equal(report_cell(r, (size_t)p, 3), "30.00"); /* probability on the record */
	assert_string_equal(report_cell(r, (size_t)c, 4), "1");
	assert_string_equal(report_cell(r, (size_t)c, 5), "20.00");
	assert_string_equal(report_cell(r, (size_t)c, 7), "5.00");
	assert_string_equal(report_cell(r, (size_t)t, 2), "100.00");
	assert_int_equal(r->notes.len, 0);
	report_free(r);

	f->o.by = "quarter";
	f->o.target = 10000; /* 100.00 */
	r = run(f, "pipeline");
	assert_true(row_of(r, "2027-Q1") >= 0); /* decision date, not plan year */
	assert_true(row_of(r, "2026-Q4") >= 0);
	assert_string_equal(r->notes.p, "target 100.00: won 20.00 (20.0%), won + weighted 50.00 (50.0%), gap 50.00\n");
	report_free(r);

	f->o.by = "colour";
	char *cause = NULL;
	assert_int_equal(report_run(f->fx.st, "pipeline", &f->o, &r, &cause), KAM_EINVAL);
	assert_null(r);
	free(cause);
	f->o.by = NULL;
	f->o.target = 0;
}

static void test_yoy(void **state)
{
	struct fx *f = *state;
	struct report *r = run(f, "yoy");
	long a = row_of(r, "Alpha"), b = row_of(r, "Beta");
	assert_true(a >= 0 && b >= 0);
	assert_string_equal(report_cell(r, (size_t)a, 3), "-100.00");
	assert_string_equal(report_cell(r, (size_t)a, 4), "20.0%"); /* 200 / 1000 */
	assert_string_equal(report_cell(r, (size_t)a, 5), "10.0%");
	assert_string_equal(report_cell(r, (size_t)a, 6), "1");  /* kept: core */
	assert_string_equal(report_cell(r, (size_t)a, 7), "1");  /* won */
	assert_string_equal(report_cell(r, (size_t)a, 8), "0");  /* lost */
	assert_string_equal(report_cell(r, (size_t)a, 9), "1");  /* new: svc */
	assert_string_equal(report_cell(r, (size_t)a, 10), "1"); /* slipped: svc to 2027 */
	assert_string_equal(report_cell(r, (size_t)b, 6), "0");  /* lost twice: not kept */
	assert_string_equal(report_cell(r, (size_t)b, 8), "1");
	assert_string_equal(report_cell(r, (size_t)b, 9), "0");
	assert_string_equal(report_cell(r, (size_t)b, 4), "-"); /* no budget */
	report_free(r);
}

static void test_retention(void **state)
{
	struct fx *f = *state;
	struct report *r = run(f, "retention");
	long a = row_of(r, "Alpha"), b = row_of(r, "Beta");
	assert_string_equal(report_cell(r, (size_t)a, 1), "3");
	assert_string_equal(report_cell(r, (size_t)a, 6), "high"); /* 300 > 200 > 100 */
	assert_string_equal(report_cell(r, (size_t)b, 1), "2");
	assert_string_equal(report_cell(r, (size_t)b, 5), "up");
	assert_string_equal(report_cell(r, (size_t)b, 6), "low");
	report_free(r);
	/* a year later Beta has no revenue: lapsed */
	f->o.year = 2027;
	r = run(f, "retention");
	b = row_of(r, "Beta");
	assert_string_equal(report_cell(r, (size_t)b, 1), "0");
	assert_string_equal(report_cell(r, (size_t)b, 7), "no revenue this year");
	report_free(r);
	f->o.year = 2026;
}

static void test_whitespace_coverage(void **state)
{
	struct fx *f = *state;
	struct report *r = run(f, "whitespace");
	assert_int_equal(r->ncols, 5); /* account, unit, core, svc, x */
	assert_string_equal(r->headers[2], "core");
	long b = row_of(r, "Beta");
	assert_string_equal(report_cell(r, (size_t)b, 4), "none"); /* 2026 loss names nobody: the latest counts */
	long a = row_of(r, "Alpha");
	assert_string_equal(report_cell(r, (size_t)a, 2), "ours");
	assert_string_equal(report_cell(r, (size_t)a, 3), "open");
	assert_string_equal(report_cell(r, (size_t)a, 4), "-");
	report_free(r);
	f->o.year = 2025;
	r = run(f, "whitespace");
	b = row_of(r, "Beta");
	assert_string_equal(report_cell(r, (size_t)b, 3), "comp:Rival");
	report_free(r);
	f->o.year = 2026;

	ADD(f->fx.st, "contact", "name=C1");
	ADD(f->fx.st, "account_contact", "account=1", "contact=1", "role=economic_buyer", "key=true", "owner_a=1",
	    "owner_b=2"); /* B has left */
	ADD(f->fx.st, "account_contact", "account=1", "contact=1", "role=coach", "end=2026-01-01");
	r = run(f, "coverage");
	assert_int_equal(r->nrows, 1);                  /* Beta is not a key account */
	assert_string_equal(report_cell(r, 0, 1), "1"); /* the ended role does not count */
	assert_string_equal(report_cell(r, 0, 3), "0/1");
	assert_string_equal(report_cell(r, 0, 9), "dm,tech,user,coach,ab:1");
	report_free(r);
}

static void test_budget_allocation(void **state)
{
	struct fx *f = *state;
	ADD(f->fx.st, "activity", "account=1", "type=exhibition", "date=2026-03-01", "guests=2", "days=1",
	    "cost_per_guest_day=100", "actual_cost=150");
	ADD(f->fx.st, "activity", "account=2", "type=call", "date=2026-03-02");
	ADD(f->fx.st, "activity", "account=2", "type=exhibition", "date=2025-03-02", "guests=1", "days=1",
	    "cost_per_guest_day=999");
	f->o.by = "region";
	struct report *r = run(f, "budget");
	long n = row_of(r, "North"), s = row_of(r, "South"), t = row_of(r, "TOTAL");
	assert_true(n >= 0 && s >= 0 && t >= 0);
	assert_string_equal(report_cell(r, (size_t)n, 1), "1");
	assert_string_equal(report_cell(r, (size_t)n, 2), "200.00");
	assert_string_equal(report_cell(r, (size_t)n, 3), "150.00");
	assert_string_equal(report_cell(r, (size_t)s, 1), "0"); /* a call is no brand activity; 2025 is out */
	assert_string_equal(report_cell(r, (size_t)n, 5), "100.0%");
	report_free(r);
	f->o.by = "account";
	r = run(f, "allocation");
	long a = row_of(r, "Alpha"), b = row_of(r, "Beta");
	assert_string_equal(report_cell(r, (size_t)a, 4), "1");
	assert_string_equal(report_cell(r, (size_t)b, 4), "1");
	assert_string_equal(report_cell(r, (size_t)a, 5), "50.0%");
	report_free(r);
	f->o.by = NULL;
	r = run(f, "pareto");
	assert_int_equal(r->nrows, 2);
	assert_string_equal(report_cell(r, 0, 1), "Alpha"); /* 100 > 60 */
	assert_string_equal(report_cell(r, 1, 4), "100.0%");
	assert_non_null(strstr(r->chart.p, "  ABC "));
	for (size_t i = 0; i < r->chart.len; i++) /* ASCII only */
		assert_true((unsigned char)r->chart.p[i] < 0x80);
	report_free(r);
	r = run(f, "quadrant");
	assert_int_equal(r->nrows, 2);
	assert_non_null(strstr(r->chart.p, "100|"));
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pipeline),          cmocka_unit_test(test_yoy),
	    cmocka_unit_test(test_retention),         cmocka_unit_test(test_whitespace_coverage),
	    cmocka_unit_test(test_budget_allocation),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
