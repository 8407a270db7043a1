/* Opportunity-list rollover (src/plan/rollover.c): candidates, drafts,
 * idempotence and dry run, on a temp LMDB. */
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
#include "kam/plan.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

/* add(x, "entity", "field=value", ..., NULL): insert one record. */
#define add(x, ent, ...) fixture_put((x)->st, ent, 0, (const char *const[]){__VA_ARGS__})

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *x = *state;
	add(x, "account", "name=A", NULL);
	add(x, "account", "name=B", NULL);
	return 0;
}

static int count_id(uint64_t id, void *arg)
{
	(void)id;
	(*(uint64_t *)arg)++;
	return 0;
}

/* Opportunities of one account and year, through the account_year index. */
static uint64_t count(struct fixture *x, uint64_t account, int year)
{
	struct txn *t;
	uint64_t n = 0;
	struct value v[2] = {{(int64_t)account, NULL, 1}, {year, NULL, 1}};
	assert_int_equal(store_begin(x->st, 0, &t), 0);
	assert_int_equal(store_index_ids(t, ENTITY(opportunity), "account_year", v, 2, count_id, &n), 0);
	store_abort(t);
	return n;
}

static size_t roll(struct fixture *x, int dry, uint64_t account, size_t *created)
{
	struct rollover_opts o = {2026, 2027, account, dry};
	struct rollover_item *v;
	size_t n;
	char *cause = NULL;
	if (plan_rollover(x->st, &o, &v, &n, &cause))
		fail_msg("rollover: %s", cause);
	*created = 0;
	for (size_t i = 0; i < n; i++)
		*created += v[i].action == RO_CREATED;
	rollover_items_free(v, n);
	return n;
}

static void test_candidates_and_idempotence(void **state)
{
	struct fixture *x = *state;
	add(x, "opportunity", "account=1", "year=2026", "title=Won", "offering=ops", "status=won", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=Open", "offering=core", "status=open", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=LostBL", "budget_line=it", "status=lost", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=LostNoBL", "offering=x", "status=lost", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=WonNoOffering", "status=won", NULL);
	add(x, "opportunity", "account=2", "year=2026", "title=B open", "offering=core", NULL);
	add(x, "opportunity", "account=2", "year=2027", "title=B already", "offering=core", NULL);
	size_t created;
	/* dry run: reports, writes nothing */
	assert_int_equal(roll(x, 1, 0, &created), 4);
	assert_int_equal(created, 3);
	assert_int_equal(count(x, 1, 2027), 0);
	/* one account only */
	roll(x, 0, 2, &created);
	assert_int_equal(created, 0);
	assert_int_equal(count(x, 2, 2027), 1);
	roll(x, 0, 0, &created);
	assert_int_equal(created, 3);
	assert_int_equal(count(x, 1, 2027), 3);
	/* second run: nothing new */
	assert_int_equal(roll(x, 0, 0, &created), 4);
	assert_int_equal(created, 0);
	assert_int_equal(count(x, 1, 2027), 3);
}

static void test_draft_fields(void **state)
{
	struct fixture *x = *state;
	uint64_t src = add(x, "opportunity", "account=1", "year=2026", "title=2026 Ops", "offering=ops", "status=won",
			   "decision_date=2024-02-29", "amount=100", "strategic=true", NULL);
	(void)src;
	size_t created;
	roll(x, 0, 0, &created);
	assert_int_equal(created, 1);
	struct txn *t;
	struct record *r;
	assert_int_equal(store_begin(x->st, 0, &t), 0);
	assert_int_equal(store_get(t, ENTITY(opportunity), 2, &r), 0);
	store_abort(t);
	assert_string_equal(r->v[OPP_TITLE].s, "2027 Ops");
	assert_int_equal(r->v[OPP_YEAR].i, 2027);
	assert_int_equal(r->v[OPP_DRAFT].i, 1);
	assert_string_equal(r->v[OPP_STATUS].s, "open");
	assert_string_equal(r->v[OPP_STAGE].s, "lead");
	assert_int_equal(r->v[OPP_DECISION].i, 20250228); /* one year on, no Feb 29 in 2025 */
	assert_int_equal(r->v[OPP_AMOUNT].i, 10000);
	assert_int_equal(r->v[OPP_STRATEGIC].i, 1);
	record_free(r);
}

static void test_bad_years(void **state)
{
	struct fixture *x = *state;
	struct rollover_opts o = {2027, 2027, 0, 0};
	struct rollover_item *v;
	size_t n;
	char *cause = NULL;
	assert_int_equal(plan_rollover(x->st, &o, &v, &n, &cause), KAM_EINVAL);
	assert_non_null(cause);
	free(cause);
}

static void test_yoy_classification(void **state)
{
	struct fixture *x = *state;
	add(x, "account_year", "account=1", "year=2024", "revenue=10", NULL);
	add(x, "account_year", "account=1", "year=2025", "revenue=9", "budget=90", NULL);
	add(x, "account_year", "account=1", "year=2026", "revenue=9", "budget=30", NULL);
	add(x, "opportunity", "account=1", "year=2025", "title=K", "offering=k", "status=won", "amount=5", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=K", "offering=k", "status=won", "amount=7", NULL);
	add(x, "opportunity", "account=1", "year=2025", "title=S", "offering=s", "decision_date=2026-01-10", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=N", "offering=n", "status=lost", NULL);
	/* account 2: strategic offering won, then lost; no revenue decline */
	add(x, "opportunity", "account=2", "year=2025", "title=P", "offering=p", "status=won", "strategic=true", NULL);
	add(x, "opportunity", "account=2", "year=2026", "title=P", "offering=p", "status=lost", "strategic=true", NULL);
	struct yoy_row *v;
	size_t n;
	assert_int_equal(plan_yoy(x->st, 2025, 2026, 0, &v, &n, NULL), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].account, 1);
	assert_int_equal(v[0].kept, 1);
	assert_int_equal(v[0].won, 1);
	assert_int_equal(v[0].lost, 1);
	assert_int_equal(v[0].added, 1);
	assert_int_equal(v[0].slipped, 1);
	assert_int_equal(v[0].amount_from, 500);
	assert_int_equal(v[0].amount_to, 700);
	assert_int_equal(v[0].sow_from, 10);
	assert_int_equal(v[0].sow_to, 30);
	assert_int_equal(v[0].buying_years, 3);
	assert_null(v[0].churn); /* 10 > 9 = 9: not declining two years running */
	assert_int_equal(v[1].account, 2);
	assert_non_null(v[1].churn);
	assert_int_equal(v[2].account, 0); /* total */
	assert_int_equal(v[2].lost, 2);
	yoy_rows_free(v, n);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_yoy_classification, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_candidates_and_idempotence, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_draft_fields, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_bad_years, setup, fixture_teardown),
};

int main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
