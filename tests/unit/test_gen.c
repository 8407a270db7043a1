/* kam gen: determinism, sizes, distributions, consistency, CSV output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kam/csv.h"
#include "kam/err.h"
#include "kam/gen.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

static const struct gen_size small = {60, 600, 600, 1500};

/* What the tests look at, collected while the records stream by. */
struct seen {
	uint64_t n[ENT__COUNT];
	uint64_t hash;
	int invalid;
	int bad_ref;       /* a reference to a record not emitted before */
	int id_gaps;       /* ids not 1, 2, 3 ... */
	uint32_t *parent;  /* parent[account id] */
	int64_t *rev2026;  /* revenue[account id], -1 if no 2026 year */
	int64_t *decision; /* decision[opportunity id] */
	uint64_t cap_acc, cap_rev, cap_opp;
	uint64_t links, a_eq_b, key_links, key_without_b;
	uint64_t brand, brand_late, brand_unlinked;
	int first_name_ok;
};

static void seen_free(struct seen *s)
{
	free(s->parent);
	free(s->rev2026);
	free(s->decision);
}

static int ent_index(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return -1;
}

static void grow(void **p, uint64_t *cap, uint64_t need, size_t elem, int fill)
{
	if (need < *cap)
		return;
	uint64_t n = need * 2 + 16;
	*p = xrealloc(*p, n * elem);
	memset((char *)*p + *cap * elem, fill, (n - *cap) * elem);
	*cap = n;
}

static void check_refs(struct seen *s, const struct record *r)
{
	for (int f = 0; f < r->ent->nfields; f++) {
		const struct field *fd = &r->ent->fields[f];
		if (!r->v[f].set || (fd->type != FT_REF && fd->type != FT_REFS))
			continue;
		int t = ent_index(field_ref_entity(fd));
		if (fd->type == FT_REF) {
			if (r->v[f].i < 1 || (uint64_t)r->v[f].i > s->n[t])
				s->bad_ref++;
			continue;
		}
		for (const char *p = r->v[f].s; *p;) {
			char *end;
			unsigned long long id = strtoull(p, &end, 10);
			if (id < 1 || id > s->n[t] || (*end && *end != ';'))
				s->bad_ref++;
			p = *end ? end + 1 : end;
		}
	}
}

static int is_brand_type(const char *t)
{
	static const char *const brand[] = {
	    "exhibition", "company_visit", "reference_visit", "executive_visit", "tech_exchange", "banquet", NULL};
	for (int i = 0; brand[i]; i++)
		if (!strcmp(t, brand[i]))
			return 1;
	return 0;
}

static void look(struct seen *s, const struct record *r)
{
	const struct value *v = r->v;
	if (r->ent == ENTITY(account)) {
		grow((void **)&s->parent, &s->cap_acc, r->id, sizeof *s->parent, 0);
		grow((void **)&s->rev2026, &s->cap_rev, r->id, sizeof *s->rev2026, 0xff); /* -1: no 2026 year */
		s->parent[r->id] = v[ACCOUNT_PARENT].set ? (uint32_t)v[ACCOUNT_PARENT].i : 0;
		if (r->id == 1)
			s->first_name_ok = !strcmp(v[ACCOUNT_NAME].s, "中国华信通信集团有限公司");
	} else if (r->ent == ENTITY(account_year)) {
		if (v[AY_YEAR].i == 2026)
			s->rev2026[v[AY_ACCOUNT].i] = v[AY_REVENUE].i;
	} else if (r->ent == ENTITY(opportunity)) {
		grow((void **)&s->decision, &s->cap_opp, r->id, sizeof *s->decision, 0);
		s->decision[r->id] = v[OPP_DECISION].i;
	} else if (r->ent == ENTITY(account_contact)) {
		s->links++;
		if (v[AC_OWNER_A].set && v[AC_OWNER_B].set && v[AC_OWNER_A].i == v[AC_OWNER_B].i)
			s->a_eq_b++;
		if (v[AC_KEY].i) {
			s->key_links++;
			s->key_without_b += !v[AC_OWNER_B].set;
		}
	} else if (r->ent == ENTITY(activity) && is_brand_type(v[ACT_TYPE].s)) {
		s->brand++;
		if (!v[ACT_OPPORTUNITY].set)
			s->brand_unlinked++;
		else if (v[ACT_DATE].i >= s->decision[v[ACT_OPPORTUNITY].i])
			s->brand_late++;
	}
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ c[i]) * 0x100000001b3ULL;
	return h;
}

static int collect(struct record *r, void *arg)
{
	struct seen *s = arg;
	int e = ent_index(r->ent);
	check_refs(s, r);
	if (r->id != s->n[e] + 1)
		s->id_gaps++;
	s->n[e]++;
	look(s, r);
	struct buf b = {0};
	record_encode(r, &b);
	s->hash = fnv(s->hash, &r->id, sizeof r->id);
	s->hash = fnv(s->hash, b.p, b.len);
	buf_free(&b);
	char *cause = NULL;
	if (record_validate(r, &cause)) {
		if (s->invalid++ < 3)
			fprintf(stderr, "invalid %s %llu: %s\n", r->ent->name, (unsigned long long)r->id, cause);
		free(cause);
	}
	return 0;
}

static void run(const struct gen_size *size, uint64_t seed, struct seen *s, struct gen_stats *st)
{
	memset(s, 0, sizeof *s);
	s->hash = 0xcbf29ce484222325ULL;
	assert_int_equal(gen_run(size, seed, collect, s, st, NULL), 0);
}

static void test_size_parse(void **state)
{
	struct gen_size z;
	assert_int_equal(gen_size_parse("s", &z), 0);
	assert_int_equal(z.accounts, 200);
	assert_int_equal(gen_size_parse("M", &z), 0);
	assert_int_equal(z.contacts, 100000);
	assert_int_equal(gen_size_parse("L", &z), 0);
	assert_int_equal(z.activities, 2000000);
	assert_int_equal(gen_size_parse("XL", &z), KAM_EINVAL);
	struct gen_size bad = {10, 15, 20, 10};
	char *cause = NULL;
	assert_int_equal(gen_run(&bad, 1, collect, NULL, NULL, &cause), KAM_EINVAL);
	assert_non_null(cause);
	free(cause);
}

/* Scale S: exact totals, every record valid, references only backwards. */
static void test_scale_s(void **state)
{
	struct gen_size z;
	struct seen s;
	struct gen_stats st;
	gen_size_parse("S", &z);
	run(&z, 1, &s, &st);
	assert_int_equal(s.n[ENT_account], 200);
	assert_int_equal(s.n[ENT_contact], 2000);
	assert_int_equal(s.n[ENT_opportunity], 2000);
	assert_int_equal(s.n[ENT_activity], 5000);
	assert_int_equal(s.n[ENT_staff], 20);
	assert_in_range(s.n[ENT_account_year], 400, 600);
	assert_true(s.n[ENT_account_contact] >= 2000);
	assert_true(s.n[ENT_influence] > 0 && s.n[ENT_team] > 0 && s.n[ENT_complaint] > 0);
	assert_true(s.n[ENT_plan] > 0 && s.n[ENT_plan_action] > s.n[ENT_plan]);
	for (int i = 0; i < ENT__COUNT; i++)
		assert_int_equal(st.n[i], s.n[i]);
	assert_int_equal(s.invalid, 0);
	assert_int_equal(s.bad_ref, 0);
	assert_int_equal(s.id_gaps, 0);
	assert_true(s.first_name_ok);
	seen_free(&s);
}

static int count_only(struct record *r, void *arg)
{
	uint64_t *n = arg;
	n[ent_index(r->ent)]++;
	return 0;
}

/* Scale M: the totals are exact there too (records only counted). */
static void test_scale_m(void **state)
{
	struct gen_size z;
	uint64_t n[ENT__COUNT] = {0};
	gen_size_parse("M", &z);
	assert_int_equal(gen_run(&z, 2, count_only, n, NULL, NULL), 0);
	assert_int_equal(n[ENT_account], 10000);
	assert_int_equal(n[ENT_contact], 100000);
	assert_int_equal(n[ENT_opportunity], 100000);
	assert_int_equal(n[ENT_activity], 200000);
	assert_int_equal(n[ENT_staff], 1000);
}

static void test_deterministic(void **state)
{
	struct seen a, b, c;
	run(&small, 42, &a, NULL);
	run(&small, 42, &b, NULL);
	run(&small, 43, &c, NULL);
	assert_int_equal(a.hash, b.hash);
	assert_true(a.hash != c.hash);
	for (int i = 0; i < ENT__COUNT; i++)
		assert_int_equal(a.n[i], b.n[i]);
	seen_free(&a), seen_free(&b), seen_free(&c);
}

static int cmp_desc(const void *x, const void *y)
{
	int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
	return (a < b) - (a > b);
}

/* About 20% of the accounts carry 80% of the 2026 revenue, for several seeds. */
static void test_pareto(void **state)
{
	struct gen_size z = {2000, 4000, 4000, 2000};
	for (uint64_t seed = 1; seed <= 3; seed++) {
		struct seen s;
		run(&z, seed, &s, NULL);
		int64_t *v = xmalloc(z.accounts * sizeof *v);
		for (uint64_t i = 0; i < z.accounts; i++)
			v[i] = s.rev2026[i + 1] < 0 ? 0 : s.rev2026[i + 1];
		qsort(v, z.accounts, sizeof *v, cmp_desc);
		double top = 0, all = 0;
		for (uint64_t i = 0; i < z.accounts; i++) {
			all += (double)v[i];
			if (i < z.accounts / 5)
				top += (double)v[i];
		}
		double share = top / all;
		assert_true(share > 0.70 && share < 0.90);
		free(v);
		seen_free(&s);
	}
}

/* group -> provincial company -> city branch: depth 3 exists, never deeper,
 * parents come before children. */
static void test_hierarchy(void **state)
{
	struct seen s;
	run(&small, 5, &s, NULL);
	int max_depth = 0, roots = 0;
	for (uint64_t id = 1; id <= s.n[ENT_account]; id++) {
		int d = 1;
		for (uint32_t p = s.parent[id]; p; p = s.parent[p]) {
			assert_true(p < id);
			d++;
		}
		roots += d == 1;
		if (d > max_depth)
			max_depth = d;
	}
	assert_int_equal(max_depth, 3);
	assert_true(roots > 1 && roots < (int)s.n[ENT_account]);
	seen_free(&s);
}

/* A != B always (the model forbids A = B); a few key contacts lack a B
 * owner on purpose; brand activities are mostly before their decision. */
static void test_violations(void **state)
{
	struct gen_size z;
	struct seen s;
	struct gen_stats st;
	gen_size_parse("S", &z);
	run(&z, 9, &s, &st);
	assert_int_equal(s.a_eq_b, 0);
	assert_int_equal(s.key_without_b, st.key_without_b);
	assert_true(s.key_without_b > 0 && s.key_without_b * 100 < s.key_links * 8);
	assert_int_equal(s.brand_late, st.brand_after_decision);
	assert_int_equal(s.brand_unlinked, st.brand_without_opp);
	assert_true(s.brand_late > 0 && s.brand_late * 100 < s.brand * 8);
	assert_true(s.brand_unlinked > 0 && s.brand_unlinked * 100 < s.brand * 6);
	assert_true(st.stale_contacts > 0 && st.overdue_open > 0 && st.owner_left > 0);
	seen_free(&s);
}

static int count_rows(const char *path, int *ncols, int *bad_ref, const char *ref_col, const char *prefix)
{
	struct csv_reader *rd;
	struct csv_row row;
	char *cause = NULL;
	int rows = -1, col = -1, rc;
	assert_int_equal(csv_open(&rd, path, &cause), 0);
	while ((rc = csv_next(rd, &row, &cause)) == 1) {
		if (rows < 0) {
			*ncols = row.n;
			assert_string_equal(row.cells[0], "ext_id");
			for (int i = 0; i < row.n; i++)
				if (!strcmp(row.cells[i], ref_col))
					col = i;
			assert_true(col > 0);
		} else {
			assert_int_equal(row.n, *ncols);
			if (row.cells[col][0] && strncmp(row.cells[col], prefix, strlen(prefix)))
				(*bad_ref)++;
		}
		rows++;
	}
	assert_int_equal(rc, 0);
	csv_close(rd);
	return rows;
}

static void test_csv(void **state)
{
	char dir[] = "/tmp/kam_gen_csvXXXXXX";
	assert_non_null(mkdtemp(dir));
	struct gen_csv *g;
	struct gen_stats st;
	char *cause = NULL;
	assert_int_equal(gen_csv_open(&g, dir, &cause), 0);
	assert_int_equal(gen_run(&small, 3, gen_csv_emit, g, &st, &cause), 0);
	assert_int_equal(gen_csv_close(g, &cause), 0);
	int ncols = 0, bad = 0;
	char path[256];
	snprintf(path, sizeof path, "%s/accounts.csv", dir);
	assert_int_equal(count_rows(path, &ncols, &bad, "parent", "A"), (int)small.accounts);
	assert_int_equal(ncols, 1 + ENTITY(account)->nfields);
	snprintf(path, sizeof path, "%s/activities.csv", dir);
	assert_int_equal(count_rows(path, &ncols, &bad, "contacts", "C"), (int)small.activities);
	assert_int_equal(ncols, ENTITY(activity)->nfields); /* ext_id in, computed budget out */
	snprintf(path, sizeof path, "%s/contacts.csv", dir);
	assert_int_equal(count_rows(path, &ncols, &bad, "reports_to", "C"), (int)small.contacts);
	assert_int_equal(bad, 0);
	for (int i = 0; i < ENT__COUNT; i++) {
		snprintf(path, sizeof path, "%s/%s.csv", dir, kam_entities[i]->plural);
		assert_int_equal(unlink(path), 0);
	}
	assert_int_equal(rmdir(dir), 0);
}

static int insert(struct record *r, void *arg)
{
	char *cause = NULL;
	int rc = store_insert(arg, r, &cause);
	if (rc)
		fprintf(stderr, "insert %s %llu: %s\n", r->ent->name, (unsigned long long)r->id, cause);
	free(cause);
	return rc;
}

/* Into a real store: every record is accepted and keeps its preassigned id. */
static void test_store(void **state)
{
	struct fixture fx;
	fixture_open(&fx, "gen_db");
	struct store *st = fx.st;
	struct txn *t;
	struct gen_stats gs;
	char *cause = NULL;
	assert_int_equal(store_begin(st, 1, &t), 0);
	store_txn_set_audit_detail(t, 0);
	assert_int_equal(gen_run(&small, 11, insert, t, &gs, NULL), 0);
	assert_int_equal(store_commit(t, &cause), 0);
	assert_int_equal(store_begin(st, 0, &t), 0);
	for (int i = 0; i < ENT__COUNT; i++) {
		uint64_t n = 0;
		assert_int_equal(store_count(t, kam_entities[i], &n), 0);
		assert_int_equal(n, gs.n[i]);
	}
	struct record *r = NULL;
	assert_int_equal(store_get(t, ENTITY(account), 1, &r), 0);
	assert_string_equal(record_name(r), "中国华信通信集团有限公司");
	record_free(r);
	assert_int_equal(store_get(t, ENTITY(contact), gs.n[ENT_contact], &r), 0);
	assert_true(r->v[CONTACT_REPORTS_TO].set && r->v[CONTACT_REPORTS_TO].i < (int64_t)r->id);
	record_free(r);
	store_abort(t);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_size_parse),    cmocka_unit_test(test_scale_s), cmocka_unit_test(test_scale_m),
	    cmocka_unit_test(test_deterministic), cmocka_unit_test(test_pareto),  cmocka_unit_test(test_hierarchy),
	    cmocka_unit_test(test_violations),    cmocka_unit_test(test_csv),     cmocka_unit_test(test_store),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
