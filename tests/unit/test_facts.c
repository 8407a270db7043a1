/* The per-account facts against the records: metrics computed from the facts
 * must equal the metrics computed by scanning every table, for every account
 * and metric, for several todays and plan years, after inserts, updates,
 * moves of records between accounts and deletes; fsck finds and repairs
 * facts that are wrong or missing; a database made before the facts is read
 * by scanning when opened read-only and gets them on its first read-write
 * open. Raw LMDB calls on the store's handles (impl.h) play the old kam. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../src/store/impl.h"
#include "fixture.h"
#include "kam/err.h"
#include "kam/rules.h"

struct fx {
	char dir[64];
	struct store *st;
	struct kam_config *cfg;
	uint64_t rnd;
	int naccounts, ncontacts;
};

static unsigned rnd(struct fx *f, unsigned n)
{
	f->rnd = f->rnd * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((f->rnd >> 33) % n);
}

static const char *pick(struct fx *f, const char *const *list)
{
	int n = 0;
	while (list[n])
		n++;
	return list[rnd(f, (unsigned)n)];
}

/* A date in [from_year, from_year + years), in one of a few static buffers
 * (several may be arguments of one call). */
static const char *date_str(struct fx *f, int from_year, int years)
{
	static char bufs[4][16];
	static int next;
	char *b = bufs[next++ % 4];
	snprintf(b, sizeof bufs[0], "%04d-%02u-%02u", from_year + (int)rnd(f, (unsigned)years), 1 + rnd(f, 12),
		 1 + rnd(f, 28));
	return b;
}

/* One record from "field=value" strings built on the fly (NULL values are
 * left out), inserted (id 0) or updated in the open txn *t, or in its own
 * txn when t is NULL; the test fails on any error. */
static struct txn *bulk; /* populate: one txn for everything */

static uint64_t put(struct store *st, const char *entity, uint64_t id, int n, char **kv)
{
	const struct entity *e = entity_by_name(entity);
	struct txn *t = bulk;
	struct record *r = NULL;
	char *cause = NULL;
	if (!t)
		assert_int_equal(store_begin(st, 1, &t), 0);
	if (id)
		assert_int_equal(store_get(t, e, id, &r), 0);
	else
		r = record_new(e);
	for (int i = 0; i < n; i++) {
		if (!kv[i])
			continue;
		const char *eq = strchr(kv[i], '=');
		char *name = xstrndup(kv[i], (size_t)(eq - kv[i]));
		if (record_parse_field(r, entity_field(e, name), eq + 1, &cause))
			fail_msg("%s: %s", kv[i], cause);
		free(name);
		free(kv[i]);
	}
	if (id ? store_update(t, r, &cause) : store_insert(t, r, &cause))
		fail_msg("%s %s: %s", id ? "update" : "insert", entity, cause);
	if (!bulk)
		assert_int_equal(store_commit(t, &cause), 0);
	uint64_t got = r->id;
	record_free(r);
	return got;
}

#define PUT(st, ent, id, ...)                                                                                          \
	put(st, ent, id, (int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)), (char *[]){__VA_ARGS__})
#define F(...) xasprintf(__VA_ARGS__)
#define MAYBE(f, n, ...) (rnd(f, n) ? xasprintf(__VA_ARGS__) : NULL)

static void add_account(struct fx *f, int i)
{
	static const char *const provinces[] = {"北京", "上海", "广东", NULL};
	PUT(f->st, "account", 0, F("name=Account %d", i),
	    i > 2 && rnd(f, 2) ? F("parent=%u", 1 + rnd(f, (unsigned)i - 1)) : NULL,
	    MAYBE(f, 2, "industry=%s", pick(f, kam_enum_industry)), MAYBE(f, 2, "province=%s", pick(f, provinces)),
	    MAYBE(f, 2, "scale=%s", pick(f, kam_enum_scale)), MAYBE(f, 2, "employees=%u", rnd(f, 10000)),
	    MAYBE(f, 2, "position=%s", pick(f, kam_enum_position)),
	    MAYBE(f, 2, "procurement=%s", pick(f, kam_enum_procurement)),
	    MAYBE(f, 2, "stage=%s", pick(f, kam_enum_rel_stage)), MAYBE(f, 3, "key=%s", rnd(f, 2) ? "true" : "false"),
	    MAYBE(f, 3, "strategic=%s", rnd(f, 2) ? "true" : "false"), rnd(f, 8) ? NULL : F("archived=true"));
}

static uint64_t add_activity(struct fx *f, unsigned account)
{
	/* Contacts: mostly of this account's people, sometimes anybody. */
	char list[64] = "";
	for (unsigned n = rnd(f, 4), k = 0; k < n; k++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%u", k ? ";" : "",
			 1 + rnd(f, (unsigned)f->ncontacts));
	return PUT(f->st, "activity", 0, F("account=%u", account), F("type=%s", pick(f, kam_enum_activity_type)),
		   F("date=%s", date_str(f, 2024, 4)), *list ? F("contacts=%s", list) : NULL,
		   MAYBE(f, 2, "status=%s", pick(f, kam_enum_activity_status)));
}

/* A mixed database: hierarchy, years, opportunities of three years,
 * contact roles that end, activities from 2024 to 2027, complaints. */
static void populate(struct fx *f, int naccounts)
{
	f->naccounts = naccounts;
	f->ncontacts = naccounts * 2;
	PUT(f->st, "staff", 0, F("name=A"));
	PUT(f->st, "staff", 0, F("name=B"));
	PUT(f->st, "staff", 0, F("name=C"));
	for (int i = 1; i <= naccounts; i++)
		add_account(f, i);
	for (int i = 1; i <= f->ncontacts; i++)
		PUT(f->st, "contact", 0, F("name=Person %d", i));
	for (int i = 0; i < naccounts * 4; i++)
		PUT(f->st, "account_year", 0, F("account=%u", 1 + rnd(f, (unsigned)naccounts)),
		    F("year=%u", 2019 + rnd(f, 9)), MAYBE(f, 3, "budget=%u", rnd(f, 100000)),
		    MAYBE(f, 4, "revenue=%u.%02u", rnd(f, 50000), rnd(f, 100)), MAYBE(f, 2, "margin=%u", rnd(f, 60)));
	static const char *const statuses[] = {"open", "won", "lost", NULL};
	for (int i = 0; i < naccounts * 5; i++)
		PUT(f->st, "opportunity", 0, F("account=%u", 1 + rnd(f, (unsigned)naccounts)),
		    F("year=%u", 2025 + rnd(f, 3)), F("title=Deal %d", i),
		    MAYBE(f, 4, "amount=%u.%02u", rnd(f, 900000), rnd(f, 100)),
		    MAYBE(f, 2, "stage=%s", pick(f, kam_enum_opp_stage)), MAYBE(f, 3, "probability=%u", rnd(f, 101)),
		    MAYBE(f, 2, "strategic=%s", rnd(f, 2) ? "true" : "false"),
		    MAYBE(f, 2, "status=%s", pick(f, statuses)));
	for (int i = 0; i < naccounts * 3; i++) {
		unsigned a = 1 + rnd(f, 3), b = 1 + rnd(f, 3);
		PUT(f->st, "account_contact", 0, F("account=%u", 1 + rnd(f, (unsigned)naccounts)),
		    F("contact=%u", 1 + rnd(f, (unsigned)f->ncontacts)),
		    MAYBE(f, 4, "role=%s", pick(f, kam_enum_decision_role)), MAYBE(f, 2, "owner_a=%u", a),
		    b != a ? MAYBE(f, 2, "owner_b=%u", b) : NULL, /* A != B (validated) */
		    MAYBE(f, 2, "key=%s", rnd(f, 3) ? "true" : "false"),
		    rnd(f, 3) ? NULL : F("end=%s", date_str(f, 2024, 4)));
	}
	for (int i = 0; i < naccounts * 12; i++)
		add_activity(f, 1 + rnd(f, (unsigned)naccounts));
	for (int i = 0; i < naccounts * 2; i++)
		PUT(f->st, "complaint", 0, F("account=%u", 1 + rnd(f, (unsigned)naccounts)),
		    F("opened=%s", date_str(f, 2024, 2)), MAYBE(f, 2, "resolved=%s", date_str(f, 2025, 2)),
		    MAYBE(f, 2, "status=%s", pick(f, kam_enum_complaint_status)));
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof *f);
	strcpy(f->dir, "/tmp/kam_facts_XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	setenv("KAM_TODAY", "2026-11-23", 1);
	setenv("KAM_USER", "tester", 1);
	char *cause = NULL;
	if (store_open(&f->st, f->dir, STORE_CREATE, &cause))
		fail_msg("open: %s", cause);
	assert_int_equal(conf_load_defaults(&f->cfg, &cause), 0);
	f->rnd = 42;
	assert_int_equal(store_begin(f->st, 1, &bulk), 0);
	populate(f, 40);
	assert_int_equal(store_commit(bulk, &cause), 0);
	bulk = NULL;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	store_close(f->st);
	conf_free(f->cfg);
	fixture_rmtree(f->dir);
	free(f);
	return 0;
}

static void same_value(uint64_t id, int m, const union metric_value *a, const union metric_value *b)
{
	if (metric_defs[m].type == ET_STR) {
		if ((!a->str) != (!b->str) || (a->str && strcmp(a->str, b->str)))
			fail_msg("account %llu, metric %s: facts '%s', scan '%s'", (unsigned long long)id,
				 metric_defs[m].name, a->str ? a->str : "", b->str ? b->str : "");
	} else if (a->num != b->num) {
		fail_msg("account %llu, metric %s: facts %.17g, scan %.17g", (unsigned long long)id,
			 metric_defs[m].name, a->num, b->num);
	}
}

/* Every metric of every account, facts against scans. */
static void compare_at(struct fx *f, const struct kam_config *cfg, int year, int64_t today)
{
	struct metric_set *a, *b;
	char *cause = NULL;
	if (metrics_compute_from(f->st, cfg, year, today, METRICS_FACTS, &a, &cause))
		fail_msg("facts: %s", cause);
	if (metrics_compute_from(f->st, cfg, year, today, METRICS_SCAN, &b, &cause))
		fail_msg("scan: %s", cause);
	assert_int_equal(a->max_id, b->max_id);
	for (uint64_t id = 0; id <= a->max_id; id++) {
		assert_int_equal(a->present[id], b->present[id]);
		if (!a->present[id])
			continue;
		assert_string_equal(a->names[id], b->names[id]);
		assert_int_equal(a->parent[id], b->parent[id]);
		for (int m = 0; m < M__COUNT; m++)
			same_value(id, m, &metrics_row(a, id)[m], &metrics_row(b, id)[m]);
	}
	metrics_free(a);
	metrics_free(b);
}

static void compare(struct fx *f)
{
	/* Today (no fallback: within the horizon), before the horizon (each
	 * account recomputed), later, a short window; three plan years. */
	static const int64_t todays[] = {20261123, 20260301, 20250115, 20240610, 20271231};
	for (size_t i = 0; i < sizeof todays / sizeof todays[0]; i++)
		for (int year = 2025; year <= 2027; year++)
			compare_at(f, f->cfg, year, todays[i]);
	compare_at(f, NULL, 2026, 20261123);
	int window = f->cfg->checks.private_visit_window;
	f->cfg->checks.private_visit_window = 7;
	compare_at(f, f->cfg, 2026, 20261123);
	f->cfg->checks.private_visit_window = 500; /* reaches before the horizon */
	compare_at(f, f->cfg, 2026, 20261123);
	f->cfg->checks.private_visit_window = window;
}

static void collect(const char *problem, void *arg)
{
	buf_addf(arg, "%s\n", problem);
}

static uint64_t fsck_problems(struct fx *f, int repair, struct buf *lines)
{
	struct store_fsck_result res;
	char *cause = NULL;
	if (store_fsck(f->st, repair, collect, lines, &res, &cause))
		fail_msg("fsck: %s", cause);
	return res.problems;
}

static void consistent(struct fx *f)
{
	struct buf lines = {0};
	if (fsck_problems(f, 0, &lines))
		fail_msg("fsck: %s", lines.p);
	buf_free(&lines);
}

static void test_facts_equal_scans(void **state)
{
	struct fx *f = *state;
	consistent(f);
	compare(f);
}

static void test_facts_follow_writes(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct txn *t;
	/* Moves between accounts: both accounts change. */
	SET(f->st, "activity", 1, "account=2", "date=2026-11-20", "type=private_visit", "status=done");
	SET(f->st, "opportunity", 1, "account=3", "year=2026", "status=open", "amount=1234.56", "probability=");
	SET(f->st, "opportunity", 2, "account=3", "year=2026", "status=open", "amount=10", "stage=commit",
	    "probability=");
	SET(f->st, "account_year", 1, "account=4", "year=2026", "revenue=99.99");
	SET(f->st, "account_contact", 1, "account=2", "role=decision_maker", "end=");
	SET(f->st, "complaint", 1, "account=5", "status=open");
	/* An account's own fields, and a contact met by a decision maker. */
	SET(f->st, "account", 2, "name=Renamed", "province=四川", "archived=false", "parent=1");
	uint64_t person = ADD(f->st, "contact", "name=New DM");
	PUT(f->st, "account_contact", 0, F("account=2"), F("contact=%llu", (unsigned long long)person),
	    F("role=economic_buyer"));
	PUT(f->st, "activity", 0, F("account=2"), F("type=office_visit"), F("date=2026-11-01"),
	    F("contacts=%llu", (unsigned long long)person));
	consistent(f);
	compare(f);
	/* Several writes to one account in one txn: recomputed once, right. */
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	for (int i = 0; i < 5; i++) {
		struct record *r = record_new(ENTITY(activity));
		record_set_int(r, ACT_ACCOUNT, 7);
		record_set_text(r, ACT_TYPE, "company_visit");
		record_set_int(r, ACT_DATE, 20261110 + i);
		assert_int_equal(store_insert(t, r, &cause), 0);
		record_free(r);
	}
	assert_int_equal(store_commit(t, &cause), 0);
	/* Deletes: a record, and an account with everything under it. */
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	assert_int_equal(store_delete(t, ENTITY(activity), 3, 0, &cause), 0);
	assert_int_equal(store_delete(t, ENTITY(account_contact), 2, 0, &cause), 0);
	assert_int_equal(store_delete(t, ENTITY(contact), 5, 1, &cause), 0);
	assert_int_equal(store_commit(t, &cause), 0);
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	int rc = store_delete(t, ENTITY(account), 9, 1, &cause);
	if (rc)
		fail_msg("delete: %s", cause);
	assert_int_equal(store_commit(t, &cause), 0);
	consistent(f);
	compare(f);
	/* An aborted txn leaves the facts as they were. */
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	assert_int_equal(store_delete(t, ENTITY(complaint), 2, 0, &cause), 0);
	store_abort(t);
	consistent(f);
	free(cause);
}

static MDB_val id_val(unsigned char k[8], uint64_t id)
{
	for (int i = 7; i >= 0; i--, id >>= 8)
		k[i] = (unsigned char)id;
	return (MDB_val){8, k};
}

static void test_fsck_repairs_facts(void **state)
{
	struct fx *f = *state;
	struct txn *t;
	unsigned char k1[8], k2[8], k3[8];
	MDB_val a = id_val(k1, 4), b = id_val(k2, 5), c = id_val(k3, 999), v;
	/* Behind the store's back: one entry gone, one swapped for another
	 * account's, one for an account that does not exist. */
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	assert_int_equal(mdb_del(t->txn, f->st->facts, &a, NULL), 0);
	c = id_val(k3, 6);
	assert_int_equal(mdb_get(t->txn, f->st->facts, &c, &v), 0);
	struct buf copy = {0};
	buf_add(&copy, v.mv_data, v.mv_size);
	MDB_val cv = {copy.len, copy.p};
	assert_int_equal(mdb_put(t->txn, f->st->facts, &b, &cv, 0), 0);
	c = id_val(k3, 999);
	assert_int_equal(mdb_put(t->txn, f->st->facts, &c, &cv, 0), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	buf_free(&copy);

	struct buf lines = {0};
	assert_int_equal(fsck_problems(f, 0, &lines), 3);
	assert_non_null(strstr(lines.p, "account 4 has no facts entry"));
	assert_non_null(strstr(lines.p, "facts of account 5 differ from its records"));
	assert_non_null(strstr(lines.p, "facts of account 999: the account does not exist"));
	buf_reset(&lines);
	assert_int_equal(fsck_problems(f, 1, &lines), 3);
	buf_free(&lines);
	consistent(f);
	compare(f);
}

/* A database as an older kam left it: schema version 1, no facts table, no
 * facts.format. */
static void make_old(struct fx *f)
{
	struct txn *t;
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	assert_int_equal(mdb_drop(t->txn, f->st->facts, 1), 0);
	MDB_val key = {strlen("facts.format"), "facts.format"};
	assert_int_equal(mdb_del(t->txn, f->st->meta, &key, NULL), 0);
	assert_int_equal(store_meta_put(t, "schema_version", 1), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	store_close(f->st);
	f->st = NULL;
}

static void test_old_database(void **state)
{
	struct fx *f = *state;
	char *cause = NULL;
	struct metric_set *m;
	make_old(f);
	/* Read-only: no facts, the metrics scan the records. */
	if (store_open(&f->st, f->dir, STORE_RDONLY, &cause))
		fail_msg("open: %s", cause);
	assert_int_equal(metrics_compute_from(f->st, f->cfg, 2026, 20261123, METRICS_FACTS, &m, NULL), KAM_ENOTFOUND);
	assert_int_equal(metrics_compute_from(f->st, f->cfg, 2026, 20261123, METRICS_AUTO, &m, &cause), 0);
	assert_int_equal(m->max_id, (uint64_t)f->naccounts);
	metrics_free(m);
	consistent(f); /* nothing to check the facts of */
	struct store_stats ss;
	assert_int_equal(store_stats(f->st, &ss), 0);
	assert_int_equal(ss.schema_version, 1);
	store_close(f->st);
	/* The first read-write open builds them and moves to version 2, which
	 * an older kam refuses: it would write records without their facts. */
	if (store_open(&f->st, f->dir, 0, &cause))
		fail_msg("open: %s", cause);
	assert_int_equal(store_stats(f->st, &ss), 0);
	assert_int_equal(ss.schema_version, 2);
	consistent(f);
	compare(f);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_facts_equal_scans, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_facts_follow_writes, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_fsck_repairs_facts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_old_database, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
