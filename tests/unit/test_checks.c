/* KAM checks (src/plan/checks.c) on hand-made records in a temp LMDB: each
 * check with records that trigger it and records just inside the limit, and
 * the configuration switching checks off, setting severity and parameters. */
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

#include "kam/checks.h"
#include "kam/conf.h"
#include "kam/err.h"
#include "kam/gen.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

/* add(x, "entity", "field=value", ..., NULL): insert one record. */
#define add(x, ent, ...) fixture_put((x)->st, ent, 0, (const char *const[]){__VA_ARGS__})

#define TODAY 20261123

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *x = *state;
	x->cfg->plan_year = 2026;
	return 0;
}

/* Findings of one check, as "id" list; returns the count. */
static size_t run(struct fixture *x, enum check_id k, uint64_t *ids, size_t max)
{
	struct check_filter f = {0, (int)k, TODAY, 0};
	struct finding *v = NULL;
	size_t n = 0;
	assert_int_equal(checks_run(x->st, x->cfg, &f, &v, &n, NULL), 0);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(v[i].check, k);
		assert_non_null(v[i].msg);
		if (i < max)
			ids[i] = v[i].id;
	}
	checks_free(v, n);
	return n;
}

static char *id_s(uint64_t id)
{
	static char b[8][24];
	static int i;
	i = (i + 1) % 8;
	snprintf(b[i], sizeof b[i], "%llu", (unsigned long long)id);
	return b[i];
}

static void test_brand_after_decision(void **state)
{
	struct fixture *x = *state;
	uint64_t a = add(x, "account", "name=Acme", "key=true", NULL);
	uint64_t o = add(x, "opportunity", "account=1", "year=2027", "title=Core", "decision_date=2027-03-31", NULL);
	(void)a;
	/* ends exactly lead_days (14) before: fine; one day later: finding */
	add(x, "activity", "account=1", "type=exhibition", "date=2027-03-17", "opportunity=1", "guests=1", "days=1",
	    "cost_per_guest_day=10", NULL);
	add(x, "activity", "account=1", "type=exhibition", "date=2027-03-16", "duration_days=2", "opportunity=1",
	    "guests=1", "days=1", "cost_per_guest_day=10", NULL);
	uint64_t bad = add(x, "activity", "account=1", "type=exhibition", "date=2027-03-16", "duration_days=3",
			   "opportunity=1", "guests=1", "days=1", "cost_per_guest_day=10", NULL);
	uint64_t ids[4];
	assert_int_equal(run(x, CHK_BRAND_AFTER_DECISION, ids, 4), 1);
	assert_int_equal(ids[0], bad);
	assert_int_equal(run(x, CHK_BRAND_NO_OPP, ids, 4), 0);
	(void)o;
}

static void test_brand_no_opportunity_and_budget(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=Acme", NULL);
	uint64_t b = add(x, "activity", "account=1", "type=exhibition", "date=2026-12-01", NULL);
	add(x, "activity", "account=1", "type=office_visit", "date=2026-12-01", NULL); /* not a brand activity */
	uint64_t ids[4];
	assert_int_equal(run(x, CHK_BRAND_NO_OPP, ids, 4), 1);
	assert_int_equal(ids[0], b);
	assert_int_equal(run(x, CHK_BRAND_BUDGET, ids, 4), 1); /* no guests/cost: no budget */
	assert_int_equal(ids[0], b);
}

/* "field=value" with a formatted value, from a rotating static buffer. */
static const char *kv(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *kv(const char *fmt, ...)
{
	static char b[16][64];
	static int i;
	i = (i + 1) % 16;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b[i], sizeof b[i], fmt, ap);
	va_end(ap);
	return b[i];
}

static void test_ab_owners(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=Acme", "key=true", NULL);
	uint64_t s1 = add(x, "staff", "name=Li", NULL), s2 = add(x, "staff", "name=Wang", NULL);
	uint64_t gone = add(x, "staff", "name=Zhao", "status=left", NULL);
	uint64_t ok = add(x, "contact", "name=Ok", NULL), nob = add(x, "contact", "name=NoB", NULL);
	uint64_t left = add(x, "contact", "name=Gone", NULL), notkey = add(x, "contact", "name=NotKey", NULL);
	add(x, "account_contact", "account=1", kv("contact=%s", id_s(ok)), "key=true", kv("owner_a=%s", id_s(s1)),
	    kv("owner_b=%s", id_s(s2)), NULL);
	add(x, "account_contact", "account=1", kv("contact=%s", id_s(nob)), "key=true", kv("owner_a=%s", id_s(s1)),
	    NULL);
	add(x, "account_contact", "account=1", kv("contact=%s", id_s(left)), "key=true", kv("owner_a=%s", id_s(s1)),
	    kv("owner_b=%s", id_s(gone)), NULL);
	add(x, "account_contact", "account=1", kv("contact=%s", id_s(notkey)), NULL);
	uint64_t ids[8];
	assert_int_equal(run(x, CHK_AB_OWNERS, ids, 8), 2);
	assert_true((ids[0] == nob && ids[1] == left) || (ids[0] == left && ids[1] == nob));
}

static void test_contact_cadence(void **state)
{
	struct fixture *x = *state;
	/* strategic account, economic buyer: cadence 30 days in the defaults */
	add(x, "account", "name=Acme", "strategic=true", NULL);
	uint64_t c30 = add(x, "contact", "name=Thirty", NULL), c31 = add(x, "contact", "name=ThirtyOne", NULL);
	uint64_t never = add(x, "contact", "name=Never", NULL);
	const uint64_t cs[] = {c30, c31, never};
	for (int i = 0; i < 3; i++)
		add(x, "account_contact", "account=1", kv("contact=%s", id_s(cs[i])), "key=true", "role=economic_buyer",
		    NULL);
	add(x, "activity", "account=1", "type=office_visit", "date=2026-10-24", kv("contacts=%s", id_s(c30)), NULL);
	add(x, "activity", "account=1", "type=office_visit", "date=2026-10-23", kv("contacts=%s", id_s(c31)), NULL);
	/* a cancelled activity does not count as contact */
	add(x, "activity", "account=1", "type=office_visit", "date=2026-11-20", "status=cancelled",
	    kv("contacts=%s", id_s(c31)), NULL);
	uint64_t ids[8];
	assert_int_equal(run(x, CHK_CONTACT_CADENCE, ids, 8), 2);
	assert_int_equal(ids[0], c31);
	assert_int_equal(ids[1], never);
	/* two contacts touched in the window: not single-threaded; a key account
	 * where one contact was touched (twice) is */
	assert_int_equal(run(x, CHK_SINGLE_THREADED, ids, 8), 0);
	uint64_t solo = add(x, "account", "name=Solo", "key=true", NULL);
	add(x, "activity", kv("account=%s", id_s(solo)), "type=call", "date=2026-11-01", kv("contacts=%s", id_s(never)),
	    NULL);
	add(x, "activity", kv("account=%s", id_s(solo)), "type=call", "date=2026-11-02", kv("contacts=%s", id_s(never)),
	    NULL);
	assert_int_equal(run(x, CHK_SINGLE_THREADED, ids, 8), 1);
	assert_int_equal(ids[0], solo);
}

static void test_complaint_sla(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=Acme", NULL);
	/* high: 7 days */
	add(x, "complaint", "account=1", "opened=2026-11-16", "severity=high", "status=open", NULL);
	uint64_t late = add(x, "complaint", "account=1", "opened=2026-11-15", "severity=high", "status=open", NULL);
	add(x, "complaint", "account=1", "opened=2026-01-01", "severity=high", "status=resolved", NULL);
	uint64_t ids[4];
	assert_int_equal(run(x, CHK_COMPLAINT_SLA, ids, 4), 1);
	assert_int_equal(ids[0], late);
}

static void test_opportunity_overdue_and_roles(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=Acme", "key=true", NULL);
	uint64_t late = add(x, "opportunity", "account=1", "year=2026", "title=Late", "decision_date=2026-11-22",
			    "status=open", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=Today", "decision_date=2026-11-23", NULL);
	add(x, "opportunity", "account=1", "year=2026", "title=Won", "decision_date=2026-11-01", "status=won", NULL);
	uint64_t ids[8];
	assert_int_equal(run(x, CHK_OPP_OVERDUE, ids, 8), 1);
	assert_int_equal(ids[0], late);
	/* buying roles: give "Late" all four, the open "Today" none */
	uint64_t c = add(x, "contact", "name=P", NULL);
	const char *roles[] = {"economic", "user", "technical", "coach"};
	for (int i = 0; i < 4; i++)
		add(x, "opp_contact", kv("opportunity=%s", id_s(late)), kv("contact=%s", id_s(c)),
		    kv("buying_role=%s", roles[i]), NULL);
	assert_int_equal(run(x, CHK_BUYING_ROLES, ids, 8), 1);
	assert_int_not_equal(ids[0], late);
}

static void test_plan_sections(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=NoPlan", "key=true", NULL);
	add(x, "account", "name=Full", "key=true", NULL);
	add(x, "account", "name=Half", "key=true", NULL);
	add(x, "account", "name=Small", NULL); /* not key: no plan needed */
	add(x, "plan", "account=2", "year=2026", "profile=p", "decision_process=d", "product_mix=m", "goals=g", NULL);
	uint64_t half = add(x, "plan", "account=3", "year=2026", "profile=p", NULL);
	uint64_t ids[8];
	assert_int_equal(run(x, CHK_PLAN_SECTIONS, ids, 8), 2);
	assert_int_equal(ids[0], 1);    /* account without plan */
	assert_int_equal(ids[1], half); /* plan missing sections */
}

static void test_exec_and_private_visits(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=Recent", "strategic=true", NULL);
	add(x, "account", "name=Old", "strategic=true", NULL);
	/* exec_meeting_days 180: 2026-05-27 is 180 days before today */
	add(x, "activity", "account=1", "type=executive_visit", "date=2026-05-27", NULL);
	add(x, "activity", "account=2", "type=executive_visit", "date=2026-05-26", NULL);
	uint64_t ids[8];
	assert_int_equal(run(x, CHK_EXEC_MEETING, ids, 8), 1);
	assert_int_equal(ids[0], 2);
	/* private visits: account 1 has 1 visit in 90 days, 0 private -> below 20% */
	add(x, "activity", "account=1", "type=office_visit", "date=2026-11-01", NULL);
	add(x, "activity", "account=2", "type=private_visit", "date=2026-11-01", NULL);
	assert_int_equal(run(x, CHK_PRIVATE_VISITS, ids, 8), 1);
	assert_int_equal(ids[0], 1);
}

static void test_team_functions_and_filter(void **state)
{
	struct fixture *x = *state;
	add(x, "account", "name=Acme", NULL);
	add(x, "account", "name=Other", NULL);
	uint64_t am = add(x, "staff", "name=AM", "function=account_manager", NULL);
	uint64_t so = add(x, "staff", "name=SO", "function=solution", NULL);
	uint64_t full = add(x, "opportunity", "account=1", "year=2026", "title=Full", NULL);
	uint64_t part = add(x, "opportunity", "account=2", "year=2026", "title=Part", NULL);
	add(x, "team", kv("staff=%s", id_s(am)), kv("opportunity=%s", id_s(full)), "phase=initiation", NULL);
	add(x, "team", kv("staff=%s", id_s(so)), kv("opportunity=%s", id_s(full)), "phase=initiation", NULL);
	add(x, "team", kv("staff=%s", id_s(am)), kv("opportunity=%s", id_s(part)), "phase=initiation", NULL);
	uint64_t ids[8];
	assert_int_equal(run(x, CHK_TEAM_FUNCTIONS, ids, 8), 1);
	assert_int_equal(ids[0], part);
	/* the account filter keeps account 1's findings only */
	struct check_filter f = {1, CHK_TEAM_FUNCTIONS, TODAY, 0};
	struct finding *v;
	size_t n;
	assert_int_equal(checks_run(x->st, x->cfg, &f, &v, &n, NULL), 0);
	assert_int_equal(n, 0);
	checks_free(v, n);
	assert_int_equal(check_lookup("plan_sections"), CHK_PLAN_SECTIONS);
	assert_int_equal(check_lookup("nope"), -1);
}

/* Findings of every check: how many of check k, and the severity of the
 * last one of k (-1: none). */
static size_t run_all(struct fixture *x, const struct kam_config *cfg, enum check_id k, int *sev)
{
	struct check_filter f = {0, -1, TODAY, 0};
	struct finding *v = NULL;
	size_t n = 0, hits = 0;
	assert_int_equal(checks_run(x->st, cfg, &f, &v, &n, NULL), 0);
	*sev = -1;
	for (size_t i = 0; i < n; i++)
		if (v[i].check == k) {
			hits++;
			*sev = (int)v[i].severity;
		}
	checks_free(v, n);
	return hits;
}

/* kam.yaml switches checks off, sets their severity and their parameters. */
static void test_config_enabled_severity(void **state)
{
	struct fixture *x = *state;
	int sev;
	add(x, "account", "name=Acme", "key=true", NULL); /* key account without a plan */
	/* open 13 days, SLA 7 for high */
	add(x, "complaint", "account=1", "opened=2026-11-10", "severity=high", "status=open", NULL);
	assert_int_equal(run_all(x, x->cfg, CHK_COMPLAINT_SLA, &sev), 1);
	assert_int_equal(sev, SEV_ERROR);
	assert_int_equal(run_all(x, x->cfg, CHK_PLAN_SECTIONS, &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
	/* disabled: no findings, neither among all nor when asked by name */
	x->cfg->checks.state[CHK_COMPLAINT_SLA].enabled = 0;
	assert_int_equal(run_all(x, x->cfg, CHK_COMPLAINT_SLA, &sev), 0);
	uint64_t ids[4];
	assert_int_equal(run(x, CHK_COMPLAINT_SLA, ids, 4), 0);
	assert_int_equal(run_all(x, x->cfg, CHK_PLAN_SECTIONS, &sev), 1); /* the others still run */
	/* the finding carries the configured severity */
	x->cfg->checks.state[CHK_PLAN_SECTIONS].severity = SEV_INFO;
	assert_int_equal(run_all(x, x->cfg, CHK_PLAN_SECTIONS, &sev), 1);
	assert_int_equal(sev, SEV_INFO);
	/* the same from a user file that names one check and one parameter */
	const char *text = "checks:\n  complaint_sla:\n    severity: warning\n    days: {high: 13}\n"
			   "  plan_sections: {enabled: false}\n";
	struct kam_config *u;
	assert_int_equal(conf_load_text("u.yaml", text, strlen(text), &u, NULL), 0);
	u->plan_year = 2026;
	assert_int_equal(run_all(x, u, CHK_COMPLAINT_SLA, &sev), 0); /* 13 days: within the SLA now */
	assert_int_equal(run_all(x, u, CHK_PLAN_SECTIONS, &sev), 0);
	assert_int_equal(conf_set(u, "checks.complaint_sla.days.high=12", NULL), 0);
	assert_int_equal(run_all(x, u, CHK_COMPLAINT_SLA, &sev), 1);
	assert_int_equal(sev, SEV_WARNING);
	conf_free(u);
}

static void test_config_parameters(void **state)
{
	struct fixture *x = *state;
	uint64_t ids[8];
	add(x, "account", "name=Old", "strategic=true", NULL);
	add(x, "activity", "account=1", "type=executive_visit", "date=2026-05-26", NULL); /* 181 days ago */
	assert_int_equal(run(x, CHK_EXEC_MEETING, ids, 8), 1);
	x->cfg->checks.exec_meeting_days = 181;
	assert_int_equal(run(x, CHK_EXEC_MEETING, ids, 8), 0);
	/* lead_days 1: a brand activity may end the day before the decision */
	add(x, "opportunity", "account=1", "year=2027", "title=Core", "decision_date=2027-03-31", NULL);
	add(x, "activity", "account=1", "type=exhibition", "date=2027-03-30", "opportunity=1", "guests=1", "days=1",
	    "cost_per_guest_day=10", NULL);
	assert_int_equal(run(x, CHK_BRAND_AFTER_DECISION, ids, 8), 1);
	x->cfg->checks.lead_days = 1;
	assert_int_equal(run(x, CHK_BRAND_AFTER_DECISION, ids, 8), 0);
}

/* ---- a set of accounts: exactly the whole run's findings for them ---------- */

static int same_finding(const struct finding *a, const struct finding *b)
{
	return a->check == b->check && a->severity == b->severity && a->account == b->account &&
	       a->account_key == b->account_key && a->ent == b->ent && a->id == b->id && !strcmp(a->name, b->name) &&
	       !strcmp(a->msg, b->msg);
}

/* The filtered run f gives, in order, the findings of all[] for which
 * keep[finding.account] is set; returns how many. */
static size_t assert_subset(struct fixture *x, const struct check_filter *f, const struct finding *all, size_t nall,
			    const unsigned char *keep, size_t nkeep)
{
	struct finding *v = NULL;
	size_t n = 0, k = 0;
	assert_int_equal(checks_run(x->st, x->cfg, f, &v, &n, NULL), 0);
	for (size_t i = 0; i < nall; i++) {
		if (all[i].account >= nkeep || !keep[all[i].account])
			continue;
		if (k >= n || !same_finding(&all[i], &v[k]))
			fail_msg(
			    "account %llu kam %llu: finding %zu (%s %s:%llu \"%s\") differs from filtered #%zu (%s)",
			    (unsigned long long)f->account, (unsigned long long)f->kam, i,
			    check_defs[all[i].check].name, all[i].ent->name, (unsigned long long)all[i].id, all[i].msg,
			    k, k < n ? v[k].msg : "none");
		k++;
	}
	assert_int_equal(n, k);
	checks_free(v, n);
	return k;
}

static int gen_insert(struct record *r, void *arg)
{
	return store_insert(arg, r, NULL);
}

static int note_kam(const struct record *r, void *arg)
{
	uint64_t *kam = arg;
	if (r->id < 256)
		kam[r->id] = (uint64_t)r->v[ACCOUNT_KAM].i;
	return 0;
}

static void test_filtered_equals_whole(void **state)
{
	struct fixture *x = *state;
	struct gen_size size;
	struct txn *t;
	assert_int_equal(gen_size_parse("S", &size), 0);
	assert_true(size.accounts < 256);
	assert_int_equal(store_begin(x->st, 1, &t), 0);
	store_txn_set_audit_detail(t, 0);
	assert_int_equal(gen_run(&size, 1, gen_insert, t, NULL, NULL), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	uint64_t kam[256] = {0};
	assert_int_equal(store_begin(x->st, 0, &t), 0);
	assert_int_equal(store_scan_fields(t, ENTITY(account), FIELD_BIT(ACCOUNT_KAM), note_kam, kam), 0);
	store_abort(t);

	struct check_filter f = {0, -1, TODAY, 0};
	struct finding *all = NULL;
	size_t nall = 0, hits = 0;
	assert_int_equal(checks_run(x->st, x->cfg, &f, &all, &nall, NULL), 0);
	assert_true(nall > 100);
	/* single accounts, among them the first and the last */
	const uint64_t accounts[] = {1, 2, 17, 60, 101, 150, size.accounts};
	for (size_t i = 0; i < sizeof accounts / sizeof *accounts; i++) {
		unsigned char keep[256] = {0};
		keep[accounts[i]] = 1;
		f.account = accounts[i];
		hits += assert_subset(x, &f, all, nall, keep, 256);
	}
	/* the accounts of a few KAMs */
	f.account = 0;
	const uint64_t of[] = {1, 40, 90, 170};
	for (size_t i = 0; i < sizeof of / sizeof *of; i++) {
		unsigned char keep[256] = {0};
		f.kam = kam[of[i]];
		assert_true(f.kam != 0);
		for (int a = 0; a < 256; a++)
			keep[a] = kam[a] == f.kam;
		hits += assert_subset(x, &f, all, nall, keep, 256);
		/* one check only, and a KAM and an account together */
		f.check = CHK_CONTACT_CADENCE;
		struct finding *one = NULL;
		size_t none = 0;
		assert_int_equal(checks_run(x->st, x->cfg, &f, &one, &none, NULL), 0);
		for (size_t j = 0; j < none; j++)
			assert_int_equal(one[j].check, CHK_CONTACT_CADENCE);
		checks_free(one, none);
		f.check = -1;
		for (uint64_t a = of[i]; a < of[i] + 3; a++) { /* the account if the KAM is its KAM, else nothing */
			memset(keep, 0, sizeof keep);
			keep[a] = kam[a] == f.kam;
			f.account = a;
			hits += assert_subset(x, &f, all, nall, keep, 256);
		}
		f.account = 0;
	}
	assert_true(hits > 50);
	/* a staff who is nobody's KAM: nothing */
	f.kam = 999999;
	assert_int_equal(assert_subset(x, &f, all, nall, NULL, 0), 0);
	checks_free(all, nall);
}

/* What crosses accounts in a filtered run: a contact key in two accounts and
 * contacted only at the other one, a brand activity for another account's
 * opportunity, a team record naming both an account and another account's
 * opportunity (an opportunity team), an owner who left. */
static size_t count_of(const struct finding *v, size_t n, enum check_id k, uint64_t account)
{
	size_t hits = 0;
	for (size_t i = 0; i < n; i++)
		hits += v[i].check == k && v[i].account == account;
	return hits;
}

static void test_filtered_across_accounts(void **state)
{
	struct fixture *x = *state;
	uint64_t li = add(x, "staff", "name=Li", "function=account_manager", NULL);
	uint64_t wang = add(x, "staff", "name=Wang", "function=solution", NULL);
	uint64_t gone = add(x, "staff", "name=Zhao", "status=left", NULL);
	uint64_t a = add(x, "account", "name=A", "key=true", kv("kam=%s", id_s(li)), NULL);
	uint64_t b = add(x, "account", "name=B", kv("kam=%s", id_s(wang)), NULL);
	uint64_t both = add(x, "contact", "name=Both", NULL), never = add(x, "contact", "name=Never", NULL);
	add(x, "account_contact", kv("account=%s", id_s(b)), kv("contact=%s", id_s(both)), "key=true",
	    kv("owner_a=%s", id_s(wang)), kv("owner_b=%s", id_s(li)), NULL);
	add(x, "account_contact", kv("account=%s", id_s(a)), kv("contact=%s", id_s(both)), "key=true",
	    kv("owner_a=%s", id_s(li)), kv("owner_b=%s", id_s(gone)), NULL);
	add(x, "account_contact", kv("account=%s", id_s(a)), kv("contact=%s", id_s(never)), "key=true",
	    kv("owner_a=%s", id_s(li)), kv("owner_b=%s", id_s(wang)), NULL);
	/* contacted last week, at B only */
	add(x, "activity", kv("account=%s", id_s(b)), "type=call", "date=2026-11-16", kv("contacts=%s", id_s(both)),
	    NULL);
	uint64_t ob = add(x, "opportunity", kv("account=%s", id_s(b)), "year=2027", "title=AtB",
			  "decision_date=2027-03-31", NULL);
	add(x, "activity", kv("account=%s", id_s(a)), "type=exhibition", "date=2027-03-30",
	    kv("opportunity=%s", id_s(ob)), "guests=1", "days=1", "cost_per_guest_day=10", NULL);
	add(x, "team", kv("staff=%s", id_s(wang)), kv("opportunity=%s", id_s(ob)), kv("account=%s", id_s(a)),
	    "phase=initiation", NULL);
	uint64_t ob2 = add(x, "opportunity", kv("account=%s", id_s(b)), "year=2027", "title=AtB2", NULL);
	add(x, "team", kv("staff=%s", id_s(wang)), kv("opportunity=%s", id_s(ob2)), kv("account=%s", id_s(a)),
	    "phase=initiation", NULL);

	struct check_filter f = {0, -1, TODAY, 0};
	struct finding *all = NULL;
	size_t nall = 0;
	assert_int_equal(checks_run(x->st, x->cfg, &f, &all, &nall, NULL), 0);
	assert_int_equal(count_of(all, nall, CHK_CONTACT_CADENCE, a), 1); /* Never only: Both was called */
	assert_int_equal(count_of(all, nall, CHK_AB_OWNERS, a), 1);       /* Zhao left */
	assert_int_equal(count_of(all, nall, CHK_BRAND_AFTER_DECISION, a), 1);
	assert_int_equal(count_of(all, nall, CHK_TEAM_FUNCTIONS, a), 0); /* an opportunity team, not A's */
	assert_int_equal(count_of(all, nall, CHK_TEAM_FUNCTIONS, b), 2); /* AtB's teams lack an account manager */
	unsigned char keep[8] = {0};
	keep[a] = 1;
	f.account = a;
	assert_true(assert_subset(x, &f, all, nall, keep, 8) >= 3); /* the four above among them */
	f.account = 0;
	f.kam = li;
	assert_subset(x, &f, all, nall, keep, 8);
	keep[a] = 0;
	keep[b] = 1;
	f.kam = wang;
	assert_true(assert_subset(x, &f, all, nall, keep, 8) >= 1);
	checks_free(all, nall);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_brand_after_decision, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_brand_no_opportunity_and_budget, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_ab_owners, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_contact_cadence, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_complaint_sla, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_opportunity_overdue_and_roles, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_plan_sections, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_exec_and_private_visits, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_team_functions_and_filter, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_config_enabled_severity, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_config_parameters, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_filtered_equals_whole, setup, fixture_teardown),
    cmocka_unit_test_setup_teardown(test_filtered_across_accounts, setup, fixture_teardown),
};

int main(void)
{
	return cmocka_run_group_tests(tests, NULL, NULL);
}
