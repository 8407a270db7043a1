/* The navigator's rows (kam/navtree.h) and the detail lines (kam/detail.h)
 * on a small database in a temporary directory: tree order by revenue,
 * fold, flat, sort keys, filter, reveal, refresh keeping folds, last
 * contact, org chart and opportunity totals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/detail.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/navtree.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *f = *state;
	struct store *st = f->st;
	ADD(st, "staff", "name=王丽");
	ADD(st, "staff", "name=Smith");
	ADD(st, "account", "name=中国华信通信集团有限公司", "kam=1");         /* 1 */
	ADD(st, "account", "name=中国华信广东有限公司", "parent=1", "kam=1"); /* 2 */
	ADD(st, "account", "name=深圳分公司", "parent=2", "city=深圳");       /* 3 */
	ADD(st, "account", "name=广州分公司", "parent=2");                    /* 4 */
	ADD(st, "account", "name=Northwind Grid", "kam=2");                   /* 5 */
	ADD(st, "account", "name=ＡＢＣ智能制造");                            /* 6 */
	/* 2024 without revenue breaks the buying streak: 2 years to 2026 */
	const char *rev[] = {"1:900", "2:500", "3:100", "4:300", "5:1000", "6:5"};
	for (int i = 0; i < 6; i++) {
		char *a = xasprintf("account=%.*s", 1, rev[i]);
		char *v = xasprintf("revenue=%s", rev[i] + 2);
		ADD(st, "account_year", a, "year=2026", v);
		free(a);
		free(v);
	}
	ADD(st, "account_year", "account=2", "year=2025", "revenue=1", "budget=3");
	ADD(st, "account_year", "account=2", "year=2024", "revenue=0");
	ADD(st, "contact", "name=王建国", "title=总经理");
	ADD(st, "contact", "name=李丽", "reports_to=1");
	ADD(st, "contact", "name=陈刚", "reports_to=2");
	ADD(st, "account_contact", "account=2", "contact=1", "role=decision_maker", "owner_a=1", "owner_b=2");
	ADD(st, "account_contact", "account=2", "contact=2", "role=technical", "owner_a=1");
	ADD(st, "account_contact", "account=2", "contact=3", "role=user");
	ADD(st, "activity", "account=2", "type=call", "date=2026-11-20", "contacts=2", "status=done");
	ADD(st, "activity", "account=2", "type=call", "date=2026-11-22", "status=cancelled");
	ADD(st, "activity", "account=2", "type=banquet", "date=2026-12-20", "status=planned");
	ADD(st, "opportunity", "account=2", "year=2027", "title=核心网扩容", "amount=120", "probability=50",
	    "strategic=true", "competitors=H:40");
	ADD(st, "opportunity", "account=2", "year=2027", "title=运维外包", "amount=45", "probability=90");
	ADD(st, "opportunity", "account=2", "year=2026", "title=old", "amount=1");
	return 0;
}

/* The visible rows as "depth:name,depth:name". */
static char *rows(const struct navtree *nav)
{
	struct buf b = {0};
	buf_adds(&b, "");
	for (int r = 0; r < nav->nrows; r++)
		buf_addf(&b, "%s%d:%s", r ? "," : "", nav->rows[r].depth, nav->a[nav->rows[r].acct].name);
	return buf_steal(&b);
}

#define ASSERT_ROWS(nav, want)                                                                                         \
	do {                                                                                                           \
		char *got_ = rows(nav);                                                                                \
		assert_string_equal(got_, want);                                                                       \
		free(got_);                                                                                            \
	} while (0)

static void load(struct fixture *f, struct navtree *nav, const struct navtree *old)
{
	char *cause = NULL;
	assert_int_equal(nav_load(nav, f->st, old, 2026, &cause), 0);
	assert_null(cause);
}

static void test_tree_fold_and_flat(void **state)
{
	struct fixture *f = *state;
	struct navtree nav;
	load(f, &nav, NULL);
	/* Roots folded, biggest revenue first. */
	ASSERT_ROWS(&nav, "0:Northwind Grid,0:中国华信通信集团有限公司,0:ＡＢＣ智能制造");
	int k = nav_find(&nav, 1);
	assert_int_equal(nav.a[k].nkids, 1);
	nav.a[k].folded = 0;
	nav.a[nav_find(&nav, 2)].folded = 0;
	nav_rebuild(&nav);
	ASSERT_ROWS(&nav,
		    "0:Northwind Grid,0:中国华信通信集团有限公司,1:中国华信广东有限公司,2:广州分公司,2:深圳分公司,"
		    "0:ＡＢＣ智能制造");
	nav.sort = NAV_SORT_NAME;
	nav_rebuild(&nav);
	ASSERT_ROWS(&nav,
		    "0:Northwind Grid,0:中国华信通信集团有限公司,1:中国华信广东有限公司,2:广州分公司,2:深圳分公司,"
		    "0:ＡＢＣ智能制造");
	nav.reverse = 1;
	nav_rebuild(&nav);
	ASSERT_ROWS(&nav,
		    "0:ＡＢＣ智能制造,0:中国华信通信集团有限公司,1:中国华信广东有限公司,2:深圳分公司,2:广州分公司,"
		    "0:Northwind Grid");
	nav.reverse = 0;
	nav.sort = NAV_SORT_REVENUE;
	nav.flat = 1;
	nav_rebuild(&nav);
	ASSERT_ROWS(&nav,
		    "0:Northwind Grid,0:中国华信通信集团有限公司,0:中国华信广东有限公司,0:广州分公司,0:深圳分公司,"
		    "0:ＡＢＣ智能制造");
	nav_free(&nav);
}

static void test_figures_and_kam_sort(void **state)
{
	struct fixture *f = *state;
	struct navtree nav;
	load(f, &nav, NULL);
	const struct nav_acct *a = &nav.a[nav_find(&nav, 2)];
	assert_int_equal(a->revenue, 50000); /* cents */
	assert_true(a->has_revenue);
	assert_string_equal(a->kam, "王丽");
	/* read when asked; cancelled and future activities are no contact */
	assert_int_equal(a->last_contact, NAV_UNREAD);
	assert_int_equal(nav_last_contact(&nav, nav_find(&nav, 2)), 20261120);
	assert_int_equal(a->last_contact, 20261120);
	assert_true(nav.a[nav_find(&nav, 6)].has_revenue);
	nav.sort = NAV_SORT_LAST; /* sorting by it reads every account's */
	nav.flat = 1;
	nav_rebuild(&nav);
	for (int i = 0; i < nav.na; i++)
		assert_true(nav.a[i].last_contact != NAV_UNREAD);
	assert_int_equal(nav.a[nav.rows[0].acct].id, 2);
	nav.sort = NAV_SORT_KAM;
	nav.flat = 1;
	nav_rebuild(&nav);
	/* by KAM, accounts without one last, then by name */
	ASSERT_ROWS(&nav,
		    "0:Northwind Grid,0:中国华信广东有限公司,0:中国华信通信集团有限公司,0:广州分公司,0:深圳分公司,"
		    "0:ＡＢＣ智能制造");
	nav_free(&nav);
}

static void test_filter_reveal_refresh(void **state)
{
	struct fixture *f = *state;
	struct navtree nav, fresh;
	load(f, &nav, NULL);
	assert_int_equal(nav_set_filter(&nav, "深圳", NULL), 0);
	ASSERT_ROWS(&nav, "0:深圳分公司"); /* by city too, shown flat */
	/* full-width folds to half-width */
	assert_int_equal(nav_set_filter(&nav, "ａｂｃ", NULL), 0);
	ASSERT_ROWS(&nav, "0:ＡＢＣ智能制造");
	/* The query language: fields, and a bad query keeps the filter. */
	assert_int_equal(nav_set_filter(&nav, "name~分公司 city:深圳", NULL), 0);
	ASSERT_ROWS(&nav, "0:深圳分公司");
	assert_int_equal(nav_set_filter(&nav, "name~分公司 region!=深圳", NULL), 0);
	ASSERT_ROWS(&nav, "0:广州分公司");
	char *cause = NULL;
	assert_int_equal(nav_set_filter(&nav, "kam:x naem:y", &cause), KAM_EINVAL);
	assert_string_equal(cause, "column 7: unknown field 'naem' (did you mean name?)");
	free(cause);
	assert_string_equal(nav.filter, "name~分公司 region!=深圳");
	ASSERT_ROWS(&nav, "0:广州分公司");
	assert_int_equal(nav_set_filter(&nav, NULL, NULL), 0);
	int row = nav_reveal(&nav, 3); /* unfolds both ancestors */
	assert_int_equal(row, 4);
	ASSERT_ROWS(&nav,
		    "0:Northwind Grid,0:中国华信通信集团有限公司,1:中国华信广东有限公司,2:广州分公司,2:深圳分公司,"
		    "0:ＡＢＣ智能制造");
	assert_true(nav_row_matches(&nav, 4, "深圳"));
	assert_false(nav_row_matches(&nav, 3, "深圳"));
	/* Another writer adds an account: a reload keeps the unfolded groups. */
	ADD(f->st, "account", "name=东莞分公司", "parent=2");
	load(f, &fresh, &nav);
	nav_free(&nav);
	ASSERT_ROWS(&fresh,
		    "0:Northwind Grid,0:中国华信通信集团有限公司,1:中国华信广东有限公司,2:广州分公司,2:深圳分公司,"
		    "2:东莞分公司,0:ＡＢＣ智能制造");
	assert_int_equal(nav_reveal(&fresh, 99), -1);
	nav_free(&fresh);
}

static void test_replace(void **state)
{
	struct fixture *f = *state;
	struct navtree nav;
	load(f, &nav, NULL);
	struct record *r = record_dup(nav.a[nav_find(&nav, 6)].rec);
	record_set_text(r, ACCOUNT_NAME, "AAA first");
	nav.sort = NAV_SORT_NAME;
	nav_replace(&nav, r);
	ASSERT_ROWS(&nav, "0:AAA first,0:Northwind Grid,0:中国华信通信集团有限公司");
	record_free(r);
	nav_free(&nav);
}

static int has_line(const struct detail *d, const char *s)
{
	for (int i = 0; i < d->nlines; i++)
		if (strstr(d->lines[i].text, s))
			return 1;
	return 0;
}

static void dump(const struct detail *d)
{
	for (int i = 0; i < d->nlines; i++)
		fprintf(stderr, "|%s|\n", d->lines[i].text);
}

static void test_detail(void **state)
{
	struct fixture *f = *state;
	struct navtree nav;
	struct detail d = {.year = 2027};
	load(f, &nav, NULL);
	const struct record *acct = nav.a[nav_find(&nav, 2)].rec;
	assert_int_equal(detail_build(&d, f->st, acct, 20261123, NULL), 0);
	assert_string_equal(d.title, "中国华信广东有限公司");
	if (!has_line(&d, "2025           3.0           1.0     33.3%") ||
	    !has_line(&d, "Parent     中国华信通信集团有限公司") ||
	    !has_line(&d, "Retention  2 years buying in a row")) {
		dump(&d);
		fail();
	}
	d.sub = DETAIL_CONTACTS;
	d.org = 1;
	assert_int_equal(detail_build(&d, f->st, acct, 20261123, NULL), 0);
	if (!has_line(&d, "王建国 总经理") || !has_line(&d, "`- 李丽") || !has_line(&d, "   `- 陈刚") ||
	    !has_line(&d, "王丽/Smith") || !has_line(&d, "3d")) {
		dump(&d);
		fail();
	}
	d.sub = DETAIL_OPPS;
	assert_int_equal(detail_build(&d, f->st, acct, 20261123, NULL), 0);
	if (!has_line(&d, "[ 2026   <2027>   2028 ]") || !has_line(&d, "核心网扩容 *") || !has_line(&d, "H 40%") ||
	    !has_line(&d, "total 2") || has_line(&d, "old")) {
		dump(&d);
		fail();
	}
	/* weighted = 120 x 50% + 45 x 90% = 100.5 */
	assert_true(has_line(&d, "weighted      100.5"));
	d.sub = DETAIL_ACTS;
	assert_int_equal(detail_build(&d, f->st, acct, 20261123, NULL), 0);
	assert_true(has_line(&d, "2026-12-20 banquet"));
	detail_free(&d);
	nav_free(&nav);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_tree_fold_and_flat, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_figures_and_kam_sort, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_filter_reveal_refresh, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_replace, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_detail, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
