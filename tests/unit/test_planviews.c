/* The planning views' rows (src/view/budget.c, portfolio.c, whitespace.c and
 * the user's Today in vlist.c): they agree with the reports they reuse,
 * drill into the right records and point each row at its account. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kam/conf.h"
#include "kam/detail.h"
#include "kam/report.h"
#include "kam/store.h"
#include "kam/util.h"
#include "kam/vlist.h"
#include "unit/fixture.h"

#define TODAY 20261123

struct fx {
	char dir[64];
	struct store *st;
	struct kam_config *cfg;
};

static int setup(void **state)
{
	struct fx *x = xcalloc(1, sizeof *x);
	snprintf(x->dir, sizeof x->dir, "/tmp/kam_test_planviews.XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	char *db = xasprintf("%s/db", x->dir);
	assert_int_equal(store_open(&x->st, db, STORE_CREATE, NULL), 0);
	free(db);
	assert_int_equal(conf_load_defaults(&x->cfg, NULL), 0);
	ADD(x->st, "staff", "name=王丽", "login=wangli");
	ADD(x->st, "staff", "name=Smith", "login=smith");
	ADD(x->st, "account", "name=华信广东", "province=广东", "kam=1", "key=true");
	ADD(x->st, "account", "name=华信深圳", "province=广东", "kam=2");
	ADD(x->st, "account", "name=Northwind", "kam=2");
	ADD(x->st, "account_year", "account=1", "year=2027", "revenue=900000000");
	ADD(x->st, "account_year", "account=3", "year=2027", "revenue=100000000");
	/* brand: exhibition, tech_exchange; not brand: office_visit */
	ADD(x->st, "activity", "account=1", "type=exhibition", "title=展会", "date=2027-04-18", "guests=30", "days=2",
	    "cost_per_guest_day=1600");
	ADD(x->st, "activity", "account=2", "type=tech_exchange", "title=交流", "date=2027-02-03", "guests=10",
	    "days=1", "cost_per_guest_day=800", "actual_cost=9000");
	ADD(x->st, "activity", "account=2", "type=exhibition", "title=取消", "date=2027-06-01", "guests=5", "days=1",
	    "cost_per_guest_day=2000", "status=cancelled");
	ADD(x->st, "activity", "account=1", "type=office_visit", "title=拜访", "date=2027-03-01");
	ADD(x->st, "activity", "account=3", "type=exhibition", "title=Last year", "date=2026-05-01", "guests=1",
	    "days=1", "cost_per_guest_day=100");
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	store_close(x->st);
	conf_free(x->cfg);
	fixture_rmtree(x->dir);
	free(x);
	return 0;
}

static int row_with(const struct vlist *v, const char *text)
{
	for (int i = 0; i < v->n; i++)
		if (strstr(v->rows[i], text))
			return i;
	return -1;
}

static void test_budget_groups_and_drill(void **state)
{
	struct fx *x = *state;
	struct vlist v = {0};
	char *cause = NULL;
	/* by region (0): 广东 holds two brand activities of 2027, the
	 * cancelled one and the office visit left out, as in the report. */
	assert_int_equal(vlist_budget(&v, x->st, x->cfg, 2027, 0, NULL, TODAY, &cause), 0);
	assert_int_equal(v.kind, VLIST_BUDGET);
	assert_string_equal(v.title, "Budget 2027 by region");
	int g = row_with(&v, "广东");
	assert_true(g >= 0);
	assert_non_null(v.key);
	assert_string_equal(v.key[g], "广东");
	assert_non_null(strstr(v.rows[g], "   2    104.0K      9.0K")); /* 96,000 + 8,000; actual 9,000 */
	int total = row_with(&v, "TOTAL");
	assert_true(total > g);
	assert_null(v.key[total]);
	assert_int_equal(v.acct[total], 0);
	struct report *r = NULL;
	struct report_opts o = {.year = 2027, .by = "region", .today = TODAY, .cfg = x->cfg};
	assert_int_equal(report_run(x->st, "budget", &o, &r, &cause), 0);
	assert_string_equal(report_cell(r, 0, 0), "(none)");
	assert_string_equal(report_cell(r, 1, 0), "广东");
	assert_string_equal(report_cell(r, 1, 2), "104,000.00");
	/* the flag of the report marks the row */
	if (!strcmp(report_cell(r, 1, 7), "over") || !strcmp(report_cell(r, 1, 7), "under"))
		assert_non_null(strstr(v.rows[g], " !"));
	report_free(r);

	/* Enter on 广东: its brand activities, each with its account. */
	assert_int_equal(vlist_budget(&v, x->st, x->cfg, 2027, 0, "广东", TODAY, &cause), 0);
	assert_int_equal(v.n, 2);
	assert_true(row_with(&v, "展会") >= 0 && row_with(&v, "交流") >= 0);
	assert_int_equal(row_with(&v, "取消"), -1);
	assert_int_equal(v.acct[row_with(&v, "展会")], 1);
	assert_int_equal(v.acct[row_with(&v, "交流")], 2);
	assert_int_equal(v.sub[0], DETAIL_ACTS);
	assert_non_null(strstr(v.foot, "2 brand activities"));

	/* by kam (5): Smith has the 深圳 exchange; by quarter (4) Q2 the exhibition. */
	assert_int_equal(vlist_budget(&v, x->st, x->cfg, 2027, 5, "Smith", TODAY, &cause), 0);
	assert_int_equal(v.n, 1);
	assert_true(row_with(&v, "交流") == 0);
	assert_int_equal(vlist_budget(&v, x->st, x->cfg, 2027, 4, "Q2", TODAY, &cause), 0);
	assert_true(v.n == 1 && row_with(&v, "展会") == 0);
	/* an empty group says so */
	assert_int_equal(vlist_budget(&v, x->st, x->cfg, 2027, 0, "江苏", TODAY, &cause), 0);
	assert_true(v.n == 1 && v.acct[0] == 0);

	/* by account (3): rows carry the account, Enter opens it (no key). */
	assert_int_equal(vlist_budget(&v, x->st, x->cfg, 2027, 3, NULL, TODAY, &cause), 0);
	g = row_with(&v, "Northwind");
	assert_true(g >= 0);
	assert_int_equal(v.acct[g], 3);
	assert_true(!v.key || !v.key[g]);
	vlist_free(&v);
	free(cause);
}

static void test_portfolio_rows(void **state)
{
	struct fx *x = *state;
	struct vlist v = {0};
	char *cause = NULL;
	assert_int_equal(vlist_portfolio(&v, x->st, x->cfg, 2027, TODAY, &cause), 0);
	/* the charts are rows without an account; each account is listed once */
	int with_acct = 0;
	for (int i = 0; i < v.n; i++)
		with_acct += v.acct[i] != 0;
	assert_int_equal(with_acct, 3);
	int k = row_with(&v, "华信广东");
	assert_true(k > 0 && v.acct[k] == 1);
	assert_non_null(strstr(v.rows[k], "  A "));
	assert_true(row_with(&v, "+-----") >= 0); /* chart axis */
	assert_true(row_with(&v, "ABC ") >= 0);   /* the Pareto band line */
	assert_int_equal(v.acct[row_with(&v, "ABC ")], 0);
	vlist_free(&v);
	free(cause);
}

static void test_whitespace_grid(void **state)
{
	struct fx *x = *state;
	ADD(x->st, "opportunity", "account=1", "year=2026", "title=a", "offering=核心网", "buying_unit=网络部",
	    "status=won", "stage=closed");
	ADD(x->st, "opportunity", "account=1", "year=2026", "title=b", "offering=运维", "buying_unit=网络部",
	    "status=lost", "stage=closed", "competitors=自建");
	ADD(x->st, "opportunity", "account=3", "year=2026", "title=c", "offering=运维", "buying_unit=Ops",
	    "status=lost", "stage=closed", "competitors=H:40");
	struct vlist v = {0};
	char *cause = NULL;
	assert_int_equal(vlist_whitespace(&v, x->st, x->cfg, 2027, TODAY, &cause), 0);
	int k = row_with(&v, "网络部");
	assert_true(k > 0);
	assert_int_equal(v.acct[k], 1);
	assert_non_null(strstr(v.rows[k], "ours"));
	assert_non_null(strstr(v.rows[k], "in-house"));
	int o = row_with(&v, "Ops");
	assert_non_null(strstr(v.rows[o], "comp:H"));
	assert_int_equal(v.acct[o], 3);
	/* every offering column is 11 columns: the grid stays straight */
	assert_int_equal(text_width(v.rows[k]), text_width(v.rows[o]));
	assert_int_equal(text_width(v.head), text_width(v.rows[k]));
	/* sideways: the unit stays, whole cells go (核心网 is the first offering) */
	assert_non_null(strstr(v.head, "核心网"));
	char *h1 = vlist_ws_slice(v.head, 1), *r1 = vlist_ws_slice(v.rows[k], 1);
	assert_null(strstr(h1, "核心网"));
	assert_non_null(strstr(h1, "运维"));
	assert_int_equal(strncmp(h1, v.head, VLIST_WS_FIXED), 0);
	assert_int_equal(text_width(h1), text_width(v.head) - VLIST_WS_CELL);
	assert_int_equal(text_width(r1), text_width(v.rows[k]) - VLIST_WS_CELL);
	assert_null(strstr(r1, "ours"));
	free(h1);
	free(r1);
	char *name = vlist_ws_slice(v.rows[k - 1], 1); /* the account row is no grid row */
	assert_string_equal(name, v.rows[k - 1]);
	free(name);
	vlist_free(&v);
	free(cause);
}

static void test_today_of_login(void **state)
{
	struct fx *x = *state;
	assert_int_equal(vlist_staff_of_login(x->st, "smith"), 2);
	assert_int_equal(vlist_staff_of_login(x->st, "nobody"), 0);
	assert_int_equal(vlist_staff_of_login(x->st, NULL), 0);
	ADD(x->st, "activity", "account=1", "type=office_visit", "title=Mine", "date=2026-11-24", "status=planned");
	ADD(x->st, "activity", "account=3", "type=office_visit", "title=Theirs", "date=2026-11-24", "status=planned");
	struct vlist v = {0};
	char *cause = NULL;
	assert_int_equal(vlist_today_staff(&v, x->st, x->cfg, TODAY, 1, &cause), 0);
	assert_true(row_with(&v, "Mine") >= 0);
	assert_int_equal(row_with(&v, "Theirs"), -1);
	assert_int_equal(vlist_today_staff(&v, x->st, x->cfg, TODAY, 0, &cause), 0);
	assert_true(row_with(&v, "Mine") >= 0 && row_with(&v, "Theirs") >= 0);
	vlist_free(&v);
	free(cause);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_budget_groups_and_drill, setup, teardown),
    cmocka_unit_test_setup_teardown(test_portfolio_rows, setup, teardown),
    cmocka_unit_test_setup_teardown(test_whitespace_grid, setup, teardown),
    cmocka_unit_test_setup_teardown(test_today_of_login, setup, teardown),
};

int main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
