/* The detail sub-views Team, Plan and History (kam/detail.h) on a small
 * database in a temporary directory: phase order and opportunity teams of
 * the plan year, ended and departed members, the plan's wrapped text and
 * its actions by goal with late ones, the audit history newest first with
 * field changes, sensitive values hidden and other accounts left out; the
 * rows of the global views (kam/vlist.h): all contacts, all opportunities
 * of a year with totals, the message log. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/agenda.h"
#include "kam/checks.h"
#include "kam/conf.h"
#include "kam/detail.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/text.h"
#include "kam/util.h"
#include "unit/fixture.h"
#include "kam/vlist.h"

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *f = *state;
	struct store *st = f->st;
	ADD(st, "staff", "name=王丽", "function=account_manager"); /* 1 */
	ADD(st, "staff", "name=陈敏", "function=solution");        /* 2 */
	ADD(st, "staff", "name=刘洋", "status=left");              /* 3 */
	ADD(st, "account", "name=中国华信广东有限公司", "kam=1");  /* 1 */
	ADD(st, "account", "name=Northwind Grid");                 /* 2 */
	ADD(st, "opportunity", "account=1", "year=2027", "title=核心网扩容", "amount=120000000",
	    "decision_date=2027-03-31");                                      /* 1 */
	ADD(st, "opportunity", "account=1", "year=2026", "title=传输网改造"); /* 2 */
	ADD(st, "opportunity", "account=2", "year=2027", "title=Grid deal", "amount=10000000", "probability=90",
	    "decision_date=2027-01-15", "status=lost");                                                        /* 3 */
	ADD(st, "opportunity", "account=2", "year=2027", "title=Undated", "amount=1000000", "probability=10"); /* 4 */
	ADD(st, "team", "staff=2", "opportunity=1", "team_role=方案经理", "phase=construction", "from=2027-01-01");
	ADD(st, "team", "staff=1", "account=1", "team_role=客户经理", "phase=initiation", "from=2026-01-01");
	ADD(st, "team", "staff=2", "account=1", "team_role=售前", "phase=initiation", "to=2026-10-31");
	ADD(st, "team", "staff=3", "opportunity=1", "team_role=交付", "phase=operation");
	ADD(st, "team", "staff=1", "opportunity=2", "team_role=旧项目", "phase=construction");
	ADD(st, "team", "staff=1", "opportunity=3", "team_role=other account", "phase=construction");
	ADD(st, "plan", "account=1", "year=2027",
	    "profile="
	    "广东省最大的通信运营商之一，省公司集中采购，网络规模全国第二，年度预算稳步增长，数据中心建设加快。",
	    "benefits=Energy savings of fifteen percent and twenty percent lower operating costs over three years of "
	    "the "
	    "contract",
	    "price=150000000");
	ADD(st, "plan_action", "account=1", "year=2027", "goal=保持份额", "action=拜访总经理", "owner=1",
	    "due=2026-11-15");
	ADD(st, "plan_action", "account=1", "year=2027", "goal=拓展数据中心", "action=节能试点", "owner=2",
	    "due=2026-10-01", "status=done");
	ADD(st, "plan_action", "account=1", "year=2027", "goal=保持份额", "action=技术交流", "due=2027-01-20");
	ADD(st, "plan_action", "account=1", "year=2026", "goal=去年", "action=去年的行动");
	ADD(st, "contact", "name=李丽", "title=CIO"); /* 1 */
	ADD(st, "account_contact", "account=1", "contact=1", "role=technical", "owner_a=1");
	ADD(st, "contact", "name=Alice O'Brien", "title=CTO"); /* 2 */
	ADD(st, "account_contact", "account=2", "contact=2", "role=coach");
	ADD(st, "contact", "name=无主的人"); /* 3 */
	SET(st, "contact", 1, "title=首席信息官", "private_notes=secret");
	SET(st, "opportunity", 1, "stage=proposal", "probability=50");
	SET(st, "opportunity", 3, "stage=commit");
	return 0;
}

static struct record *account(struct fixture *f, uint64_t id)
{
	struct txn *t;
	struct record *r = NULL;
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(store_get(t, ENTITY(account), id, &r), 0);
	store_abort(t);
	return r;
}

/* Index of the first line containing s, or -1. */
static int line_of(const struct detail *d, const char *s)
{
	for (int i = 0; i < d->nlines; i++)
		if (strstr(d->lines[i].text, s))
			return i;
	return -1;
}

static void dump(const struct detail *d)
{
	for (int i = 0; i < d->nlines; i++)
		fprintf(stderr, "%d|%s|\n", d->lines[i].style, d->lines[i].text);
}

#define EXPECT(d, cond)                                                                                                \
	do {                                                                                                           \
		if (!(cond)) {                                                                                         \
			dump(d);                                                                                       \
			fail_msg("%s", #cond);                                                                         \
		}                                                                                                      \
	} while (0)

static void build(struct fixture *f, struct detail *d, enum detail_sub sub, int year)
{
	struct record *a = account(f, 1);
	d->sub = sub;
	d->year = year;
	assert_int_equal(detail_build(d, f->st, a, 20261123, NULL), 0);
	record_free(a);
	/* Every line fits the 66 columns a 120-column layout gives the pane
	 * (History's lists of added fields are cut by the drawer). */
	for (int i = 0; sub != DETAIL_HISTORY && i < d->nlines; i++)
		EXPECT(d, text_width(d->lines[i].text) <= 66);
}

static void test_team(void **state)
{
	struct fixture *f = *state;
	struct detail d = {0};
	build(f, &d, DETAIL_TEAM, 2027);
	assert_string_equal(detail_sub_name(DETAIL_TEAM), "Team");
	int init = line_of(&d, "Phase initiation"), cons = line_of(&d, "Phase construction"),
	    oper = line_of(&d, "Phase operation");
	EXPECT(&d, init >= 0 && init < cons && cons < oper);
	EXPECT(&d, d.lines[init].style == DL_HEAD);
	/* The account team under initiation, the opportunity's under its title. */
	int acct_team = line_of(&d, " account team"), wang = line_of(&d, "王丽"),
	    opp = line_of(&d, "opportunity 核心网扩容");
	EXPECT(&d, init < acct_team && acct_team < wang && wang < cons && cons < opp);
	EXPECT(&d, line_of(&d, "account_manager") == wang && line_of(&d, "客户经理") == wang);
	EXPECT(&d, line_of(&d, "2026-01-01 --") == wang);
	/* Ended membership and a member who left are warnings. */
	int ended = line_of(&d, "售前");
	EXPECT(&d, ended > 0 && d.lines[ended].style == DL_WARN && strstr(d.lines[ended].text, "2026-10-31"));
	int left = line_of(&d, "交付");
	EXPECT(&d, left > oper && d.lines[left].style == DL_WARN && strstr(d.lines[left].text, " left"));
	EXPECT(&d, d.lines[wang].style == DL_PLAIN);
	/* Other years and other accounts stay out; [ ] brings 2026 in. */
	EXPECT(&d, line_of(&d, "旧项目") < 0 && line_of(&d, "other account") < 0);
	build(f, &d, DETAIL_TEAM, 2026);
	EXPECT(&d,
	       line_of(&d, "旧项目") > 0 && line_of(&d, "opportunity 传输网改造") > 0 && line_of(&d, "方案经理") < 0);
	build(f, &d, DETAIL_TEAM, 2020);
	EXPECT(&d, line_of(&d, "客户经理") > 0); /* the account team has no year */
	detail_free(&d);
}

static void test_plan(void **state)
{
	struct fixture *f = *state;
	struct detail d = {0};
	build(f, &d, DETAIL_PLAN, 2027);
	EXPECT(&d, line_of(&d, "[ 2026   <2027>   2028 ]    account plan 2027") == 0);
	int prof = line_of(&d, "Profile");
	EXPECT(&d, prof > 0 && d.lines[prof].style == DL_HEAD);
	/* The profile is wrapped: no line wider than 64 columns, every
	 * character kept, no line starting with a closing mark. */
	struct buf all = {0};
	for (int i = prof + 1; strncmp(d.lines[i].text, "  ", 2) == 0; i++) {
		EXPECT(&d, text_width(d.lines[i].text) <= 64);
		EXPECT(&d, strncmp(d.lines[i].text + 2, "，", strlen("，")) != 0);
		buf_adds(&all, d.lines[i].text + 2);
	}
	assert_string_equal(
	    all.p,
	    "广东省最大的通信运营商之一，省公司集中采购，网络规模全国第二，年度预算稳步增长，数据中心建设加快。");
	buf_free(&all);
	/* Latin text breaks at spaces. */
	EXPECT(&d, line_of(&d, "  Energy savings of fifteen percent and twenty percent lower") >= 0);
	EXPECT(&d, line_of(&d, "  operating costs over three years of the contract") >= 0);
	EXPECT(&d, line_of(&d, "price    150.0M   cost        --") >= 0);
	EXPECT(&d, line_of(&d, "Decision process") > 0 && line_of(&d, "  --") > 0);
	/* Actions grouped by goal, by due date within a goal; the open one
	 * past its date is late. */
	int g1 = line_of(&d, " 保持份额"), a1 = line_of(&d, "拜访总经理"), a2 = line_of(&d, "技术交流"),
	    g2 = line_of(&d, " 拓展数据中心"), a3 = line_of(&d, "节能试点");
	EXPECT(&d, g1 > 0 && g1 < a1 && a1 < a2 && a2 < g2 && g2 < a3);
	EXPECT(&d, d.lines[a1].style == DL_WARN && strstr(d.lines[a1].text, "王丽") &&
		       strstr(d.lines[a1].text, "2026-11-15 open late"));
	EXPECT(&d, d.lines[a2].style == DL_PLAIN && strstr(d.lines[a2].text, "--         2027-01-20 open"));
	EXPECT(&d, d.lines[a3].style == DL_PLAIN && strstr(d.lines[a3].text, "2026-10-01 done"));
	EXPECT(&d, line_of(&d, "3 actions, 2 open, 1 late") > a3);
	EXPECT(&d, line_of(&d, "去年") < 0);
	build(f, &d, DETAIL_PLAN, 2026);
	EXPECT(&d, line_of(&d, "(no account plan for this year)") > 0 && line_of(&d, "去年的行动") > 0);
	build(f, &d, DETAIL_PLAN, 2025);
	EXPECT(&d, line_of(&d, "(no actions)") > 0);
	detail_free(&d);
}

static void test_history(void **state)
{
	struct fixture *f = *state;
	struct detail d = {0};
	build(f, &d, DETAIL_HISTORY, 2027);
	EXPECT(&d, line_of(&d, "change") == 0 && line_of(&d, "newest first") == 0);
	/* Newest first: the opportunity's update, then the contact's. */
	int opp = line_of(&d, " tester     set opportunity 1 核心网扩容"), con = line_of(&d, "set contact 1 李丽");
	EXPECT(&d, opp > 1 && con > opp);
	EXPECT(&d, line_of(&d, "    stage -- -> proposal") == opp + 1);
	EXPECT(&d, line_of(&d, "    probability -- -> 50") == opp + 2);
	EXPECT(&d, line_of(&d, "    title CIO -> 首席信息官") > con);
	/* Sensitive values never appear. */
	EXPECT(&d, line_of(&d, "secret") < 0 && line_of(&d, "private_notes -- -> (sensitive)") > con);
	/* Additions list their fields on one line; the account's own entry is the oldest. */
	int add = line_of(&d, "add account 1 中国华信广东有限公司");
	EXPECT(&d, add > con && line_of(&d, "    name=中国华信广东有限公司, kam=1") == add + 1);
	EXPECT(&d, line_of(&d, "add team") > 0 && line_of(&d, "add plan_action") > 0 &&
		       line_of(&d, "add account_contact") > 0);
	/* Another account's records stay out. */
	EXPECT(&d, line_of(&d, "Grid deal") < 0 && line_of(&d, "stage -- -> commit") < 0 &&
		       line_of(&d, "other account") < 0);
	/* Timestamps read yyyy-mm-dd hh:mm. */
	const char *l = d.lines[opp].text;
	EXPECT(&d, strlen(l) > 17 && l[4] == '-' && l[7] == '-' && l[10] == ' ' && l[13] == ':' && l[16] == ' ');
	detail_free(&d);
}

static int row_of(const struct vlist *v, const char *s)
{
	for (int i = 0; i < v->n; i++)
		if (strstr(v->rows[i], s))
			return i;
	return -1;
}

static void test_vlist(void **state)
{
	struct fixture *f = *state;
	struct vlist v = {0};
	assert_int_equal(vlist_contacts(&v, f->st, 20261123, NULL), 0);
	assert_int_equal(v.kind, VLIST_CONTACTS);
	assert_int_equal(v.n, 3);
	/* Ordered by account name (Latin before CJK bytes), the homeless last. */
	int alice = row_of(&v, "Alice O'Bri~ CTO"), li = row_of(&v, "李丽"), none = row_of(&v, "无主的人");
	if (!(alice == 0 && li == 1 && none == 2)) {
		for (int i = 0; i < v.n; i++)
			fprintf(stderr, "%s\n", v.rows[i]);
		fail();
	}
	assert_int_equal(v.acct[alice], 2);
	assert_int_equal(v.acct[li], 1);
	assert_int_equal(v.acct[none], 0);
	assert_non_null(strstr(v.rows[li], "technical      王丽     中国华信广东有限公司"));
	assert_string_equal(v.foot, "3 contacts");
	assert_non_null(strstr(v.head, "Account"));

	assert_int_equal(vlist_opps(&v, f->st, 2027, NULL), 0);
	assert_string_equal(v.title, "Opportunities 2027");
	assert_int_equal(v.n, 3);
	/* By decision date, undated last; other years out. */
	assert_int_equal(row_of(&v, "Grid deal"), 0);
	assert_int_equal(row_of(&v, "核心网扩容"), 1);
	assert_int_equal(row_of(&v, "Undated"), 2);
	assert_int_equal(row_of(&v, "传输网改造"), -1);
	assert_int_equal(v.acct[1], 1);
	assert_non_null(strstr(v.rows[0], "2027-01-15 Grid deal"));
	assert_non_null(strstr(v.rows[0], " lost Northwind Grid"));
	assert_non_null(strstr(v.rows[1], "proposal     120.0M  50%      中国华信广东有限公司"));
	assert_non_null(strstr(v.rows[2], "--         Undated"));
	/* Lost ones out of the totals: 120 + 1; weighted 60 + 0.1. */
	assert_string_equal(v.foot, "3 opportunities   total 121.0M   weighted 60.1M");
	assert_int_equal(vlist_opps(&v, f->st, 1999, NULL), 0);
	assert_int_equal(v.n, 0);

	const char *msgs[] = {"first", "second \033[31m red"};
	vlist_messages(&v, msgs, 2);
	assert_int_equal(v.n, 2);
	assert_string_equal(v.rows[0], "second ?[31m red"); /* newest first, sanitised */
	assert_string_equal(v.rows[1], "first");
	assert_int_equal(v.acct[0], 0);
	vlist_free(&v);
	vlist_free(&v); /* twice is fine */
}

static void test_vlist_search(void **state)
{
	struct fixture *f = *state;
	struct vlist v = {0};
	/* Folded: case and full-width Latin match. */
	assert_int_equal(vlist_search(&v, f->st, "ＧＲＩＤ", NULL), 0);
	assert_int_equal(v.kind, VLIST_SEARCH);
	assert_string_equal(v.title, "Search: ＧＲＩＤ");
	assert_int_equal(v.n, 2); /* the account first, then the opportunity */
	assert_non_null(strstr(v.rows[0], "account     Northwind Grid"));
	assert_int_equal(v.acct[0], 2);
	assert_int_equal(v.rec[0], 0);
	assert_non_null(strstr(v.rows[1], "opportunity Grid deal"));
	assert_non_null(strstr(v.rows[1], " Northwind Grid"));
	assert_int_equal(v.rec[1], 3);
	assert_int_equal(v.sub[1], DETAIL_OPPS);
	assert_string_equal(v.foot, "2 matches");
	assert_int_equal(vlist_search(&v, f->st, "李", NULL), 0);
	assert_int_equal(v.n, 1);
	assert_int_equal(v.sub[0], DETAIL_CONTACTS);
	assert_int_equal(v.acct[0], 1); /* the account of the contact's role */
	assert_int_equal(vlist_search(&v, f->st, "没有", NULL), 0);
	assert_int_equal(v.n, 0);
	assert_string_equal(v.foot, "0 matches");
	/* At most VLIST_SEARCH_MAX rows, and the foot says so. */
	struct txn *t;
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	for (int i = 0; i <= VLIST_SEARCH_MAX; i++) {
		struct record *r = record_new(ENTITY(account));
		char name[32];
		snprintf(name, sizeof name, "Many %04d", i);
		assert_int_equal(record_parse_field(r, ACCOUNT_NAME, name, NULL), 0);
		assert_int_equal(store_insert(t, r, NULL), 0);
		record_free(r);
	}
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(vlist_search(&v, f->st, "many", NULL), 0);
	assert_int_equal(v.n, VLIST_SEARCH_MAX);
	assert_string_equal(v.foot, "the first 1000 matches (search for more of the name)");
	vlist_free(&v);
}

static void test_vlist_checks_today(void **state)
{
	struct fixture *f = *state;
	struct kam_config *cfg = NULL;
	assert_int_equal(conf_load_defaults(&cfg, NULL), 0);
	struct vlist v = {0};
	struct finding *fs = NULL;
	size_t n = 0;
	struct check_filter cf = {.account = 0, .check = -1, .today = 20261123};
	assert_int_equal(checks_run(f->st, cfg, &cf, &fs, &n, NULL), 0);
	assert_int_equal(vlist_checks(&v, f->st, cfg, 20261123, NULL), 0);
	assert_true(n > 0);
	assert_int_equal(v.n, (int)n);
	/* One row per finding, in the same order, with its account and the
	 * sub-view that shows the record. */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v.acct[i], fs[i].account);
		assert_non_null(strstr(v.rows[i], check_defs[fs[i].check].name));
		if (fs[i].ent == ENTITY(opportunity))
			assert_int_equal(v.sub[i], DETAIL_OPPS);
		if (fs[i].ent == ENTITY(team))
			assert_int_equal(v.sub[i], DETAIL_TEAM);
		if (fs[i].ent == ENTITY(account))
			assert_int_equal(v.sub[i], DETAIL_OVERVIEW);
	}
	char *foot = xasprintf("%zu finding%s", n, n == 1 ? "" : "s");
	assert_true(strncmp(v.foot, foot, strlen(foot)) == 0);
	free(foot);
	checks_free(fs, n);
	/* Fixing the data drops the finding on the next build (r). */
	int before = v.n;
	SET(f->st, "opportunity", 1, "decision_date=2026-01-01");
	assert_int_equal(vlist_checks(&v, f->st, cfg, 20261123, NULL), 0);
	int overdue = 0;
	for (int i = 0; i < v.n; i++)
		overdue += strstr(v.rows[i], "(opportunity_overdue)") != NULL;
	assert_int_equal(overdue, 1);
	assert_int_equal(v.n, before + 1);
	SET(f->st, "opportunity", 1, "decision_date=2027-03-31");
	assert_int_equal(vlist_checks(&v, f->st, cfg, 20261123, NULL), 0);
	assert_int_equal(v.n, before);

	/* Today: section header rows without an account, then the items. */
	assert_int_equal(vlist_today(&v, f->st, cfg, 20261123, NULL), 0);
	assert_string_equal(v.title, "Today Mon 2026-11-23");
	struct agenda a = {0};
	struct agenda_opts o = {.days = 30, .today = 20261123};
	assert_int_equal(agenda_build(f->st, cfg, &o, &a, NULL), 0);
	int headers = 0;
	for (int i = 0; i < v.n; i++)
		headers += v.acct[i] == 0 && strncmp(v.rows[i], "  ", 2) != 0;
	assert_int_equal(v.n, (int)a.n + (a.n ? headers : 1));
	assert_true(!a.n || v.acct[1] == a.items[0].account);
	agenda_free(&a);
	vlist_free(&v);
	conf_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_team, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_plan, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_history, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_vlist, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_vlist_search, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_vlist_checks_today, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
