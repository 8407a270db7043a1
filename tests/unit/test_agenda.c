/* The agenda (src/plan/agenda.c): sections, ordering (key accounts first),
 * horizons and the staff filter, on a temp LMDB. */
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
#include "kam/agenda.h"
#include "kam/checks.h"
#include "kam/gen.h"
#include "kam/conf.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

/* add(x, "entity", "field=value", ..., NULL): insert one record. */
#define add(x, ent, ...) fixture_put((x)->st, ent, 0, (const char *const[]){__VA_ARGS__})

static void fill(struct fixture *x)
{
	add(x, "staff", "name=Li", NULL);
	add(x, "staff", "name=Wang", NULL);
	add(x, "account", "name=Small", "kam=2", NULL);
	add(x, "account", "name=Key", "key=true", "kam=1", NULL);
	add(x, "contact", "name=Six", "dates=birthday:11-29", NULL);   /* today + 6: in the week */
	add(x, "contact", "name=Seven", "dates=birthday:11-30", NULL); /* today + 7: not */
	add(x, "account_contact", "account=2", "contact=1", "key=true", NULL);
	add(x, "account_contact", "account=2", "contact=2", "key=true", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=SmallSoon", "decision_date=2026-11-25", NULL);
	add(x, "opportunity", "account=2", "year=2026", "title=KeyLater", "decision_date=2026-12-20", NULL);
	add(x, "opportunity", "account=2", "year=2026", "title=KeyWon", "decision_date=2026-11-30", "status=won", NULL);
	add(x, "opportunity", "account=2", "year=2027", "title=Far", "decision_date=2026-12-23", NULL); /* day 30 */
	add(x, "activity", "account=2", "type=office_visit", "title=Afternoon", "date=2026-11-23", "time=14:00", NULL);
	add(x, "activity", "account=1", "type=office_visit", "title=Morning", "date=2026-11-23", "time=09:00", NULL);
	add(x, "activity", "account=1", "type=office_visit", "title=Done", "date=2026-11-23", "status=done", NULL);
}

static void test_sections_and_order(void **state)
{
	struct fixture *x = *state;
	fill(x);
	struct agenda_opts o = {30, 0, 20261123};
	struct agenda a;
	assert_int_equal(agenda_build(x->st, x->cfg, &o, &a, NULL), 0);
	const char *want[][2] = {
	    {"Activities", "Morning"},     {"Activities", "Afternoon"}, {"Overdue contacts", "Six"},
	    {"Overdue contacts", "Seven"}, {"Decisions", "KeyLater"},   {"Decisions", "SmallSoon"},
	    {"Personal dates", "Six"},
	};
	size_t nw = sizeof want / sizeof want[0];
	for (size_t i = 0; i < a.n && i < nw; i++) {
		assert_string_equal(agenda_section_titles[a.items[i].section], want[i][0]);
		assert_string_equal(a.items[i].what, want[i][1]);
	}
	assert_int_equal(a.n, nw);
	assert_true(a.findings > 0);
	agenda_free(&a);
}

static void test_staff_and_days(void **state)
{
	struct fixture *x = *state;
	fill(x);
	struct agenda_opts o = {3, 2, 20261123}; /* Wang: the Small account; decisions within 3 days */
	struct agenda a;
	assert_int_equal(agenda_build(x->st, x->cfg, &o, &a, NULL), 0);
	assert_int_equal(a.n, 2);
	assert_string_equal(a.items[0].what, "Morning");
	assert_string_equal(a.items[1].what, "SmallSoon");
	agenda_free(&a);
	o.staff = 1;
	o.days = 31; /* day 30 is inside now: Far appears */
	assert_int_equal(agenda_build(x->st, x->cfg, &o, &a, NULL), 0);
	int far = 0;
	for (size_t i = 0; i < a.n; i++)
		far += !strcmp(a.items[i].what, "Far");
	assert_int_equal(far, 1);
	agenda_free(&a);
}

/* Personal dates of one KAM's agenda are read through the KAM's accounts
 * (account "kam" index, then its links): the same dates as the whole
 * database's agenda restricted to that KAM, each once. */
static void count_dates(struct fixture *x, uint64_t staff, const char *want)
{
	struct agenda_opts o = {30, staff, 20261123};
	struct agenda a;
	struct buf got = {0};
	assert_int_equal(agenda_build(x->st, x->cfg, &o, &a, NULL), 0);
	for (size_t i = 0; i < a.n; i++)
		if (a.items[i].section == AG_DATE)
			buf_addf(&got, "%s@%s ", a.items[i].what, a.items[i].account_name);
	assert_string_equal(got.p ? got.p : "", want);
	buf_free(&got);
	agenda_free(&a);
}

static void test_staff_dates(void **state)
{
	struct fixture *x = *state;
	add(x, "staff", "name=Li", NULL);
	add(x, "staff", "name=Wang", NULL);
	add(x, "account", "name=Small", "kam=2", NULL);
	add(x, "account", "name=Key", "key=true", "kam=1", NULL);
	add(x, "contact", "name=A", "dates=birthday:11-24", NULL); /* key in Small first, then in Key */
	add(x, "contact", "name=B", "dates=birthday:11-25", NULL); /* plain link in Key, key in Small */
	add(x, "contact", "name=C", "dates=birthday:11-26", NULL); /* key twice in Key */
	add(x, "contact", "name=D", "dates=birthday:11-27", NULL); /* plain link only: never */
	add(x, "account_contact", "account=1", "contact=1", "key=true", NULL);
	add(x, "account_contact", "account=2", "contact=1", "key=true", NULL);
	add(x, "account_contact", "account=2", "contact=2", NULL);
	add(x, "account_contact", "account=1", "contact=2", "key=true", NULL);
	add(x, "account_contact", "account=2", "contact=3", "key=true", "role=technical", NULL);
	add(x, "account_contact", "account=2", "contact=3", "key=true", "role=user", NULL);
	add(x, "account_contact", "account=2", "contact=4", NULL);
	count_dates(x, 0, "C@Key A@Small B@Small ");
	count_dates(x, 1, "C@Key ");
	count_dates(x, 2, "A@Small B@Small ");
}

/* One KAM's agenda reads the KAM's accounts and what names the KAM: on a
 * generated S dataset it holds exactly the whole agenda's items that concern
 * the KAM (the account's KAM, the opportunity's or action's owner, a staff
 * of the activity) and the findings of the KAM's accounts. */
static int gen_insert(struct record *r, void *arg)
{
	return store_insert(arg, r, NULL);
}

static uint64_t kam_of(struct txn *t, uint64_t account)
{
	struct record *r = NULL;
	uint64_t k = store_get(t, ENTITY(account), account, &r) == 0 ? (uint64_t)r->v[ACCOUNT_KAM].i : 0;
	record_free(r);
	return k;
}

static int names_staff(const char *refs, uint64_t staff)
{
	for (const char *p = refs; p && *p;) {
		char *end;
		uint64_t v = strtoull(p, &end, 10);
		if (end == p)
			break;
		if (v == staff)
			return 1;
		p = *end == ';' ? end + 1 : end;
	}
	return 0;
}

static int concerns(struct txn *t, const struct agenda_item *it, uint64_t staff)
{
	if (kam_of(t, it->account) == staff)
		return 1;
	if (it->section == AG_OVERDUE || it->section == AG_DATE)
		return 0;
	struct record *r = NULL;
	assert_int_equal(store_get(t, it->ent, it->id, &r), 0);
	int yes = it->ent == ENTITY(activity)      ? names_staff(r->v[ACT_STAFF].s, staff)
		  : it->ent == ENTITY(opportunity) ? (uint64_t)r->v[OPP_OWNER].i == staff
						   : (uint64_t)r->v[PA_OWNER].i == staff;
	record_free(r);
	return yes;
}

static void test_staff_equals_whole(void **state)
{
	struct fixture *x = *state;
	struct gen_size size;
	struct txn *t;
	assert_int_equal(gen_size_parse("S", &size), 0);
	assert_int_equal(store_begin(x->st, 1, &t), 0);
	store_txn_set_audit_detail(t, 0);
	assert_int_equal(gen_run(&size, 1, gen_insert, t, NULL, NULL), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	struct agenda all, one;
	struct agenda_opts o = {30, 0, 20261123};
	assert_int_equal(agenda_build(x->st, x->cfg, &o, &all, NULL), 0);
	struct check_filter cf = {0, -1, 20261123, 0};
	struct finding *fv;
	size_t fn, compared = 0;
	assert_int_equal(checks_run(x->st, x->cfg, &cf, &fv, &fn, NULL), 0);
	assert_int_equal(store_begin(x->st, 0, &t), 0);
	uint64_t staff[] = {kam_of(t, 1), kam_of(t, 60), kam_of(t, 150), 3, 42, 77};
	for (size_t s = 0; s < sizeof staff / sizeof *staff; s++) {
		o.staff = staff[s];
		assert_int_equal(agenda_build(x->st, x->cfg, &o, &one, NULL), 0);
		size_t k = 0, findings = 0, errors = 0;
		for (size_t i = 0; i < all.n; i++) {
			const struct agenda_item *w = &all.items[i];
			if (!concerns(t, w, o.staff))
				continue;
			if (k >= one.n)
				fail_msg("staff %llu: missing %s %s:%llu", (unsigned long long)o.staff,
					 agenda_section_titles[w->section], w->ent->name, (unsigned long long)w->id);
			const struct agenda_item *g = &one.items[k++];
			if (g->section != w->section || g->id != w->id || g->ent != w->ent || g->date != w->date ||
			    g->account != w->account || strcmp(g->what, w->what) || strcmp(g->detail, w->detail))
				fail_msg("staff %llu: item %zu is %s %s:%llu, expected %s %s:%llu",
					 (unsigned long long)o.staff, k - 1, agenda_section_titles[g->section],
					 g->ent->name, (unsigned long long)g->id, agenda_section_titles[w->section],
					 w->ent->name, (unsigned long long)w->id);
		}
		assert_int_equal(one.n, k);
		compared += k;
		for (size_t i = 0; i < fn; i++)
			if (kam_of(t, fv[i].account) == o.staff) {
				findings++;
				errors += fv[i].severity == SEV_ERROR;
			}
		assert_int_equal(one.findings, findings);
		assert_int_equal(one.errors, errors);
		agenda_free(&one);
	}
	assert_true(compared > 20);
	store_abort(t);
	checks_free(fv, fn);
	agenda_free(&all);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_staff_dates, fixture_setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_staff_equals_whole, fixture_setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_sections_and_order, fixture_setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_staff_and_days, fixture_setup, fixture_teardown),
};

int main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
