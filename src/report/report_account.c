/* Per-account reports from the store alone: coverage, whitespace, yoy, retention. */
#include "kam/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/model.h"
#include "report_int.h"

/* ---- coverage ------------------------------------------------------------ */

/* Decision roles shown as columns, in kam_enum_decision_role order. */
enum { COV_CONTACTS, COV_KEY, COV_AB_OK, COV_AB_MISSING, COV_ROLE0, COV__N = COV_ROLE0 + 7 };

struct cov_ctx {
	int64_t today;
	unsigned char *key; /* by account id: 1 key account */
	uint64_t nacc;
	unsigned char *left; /* by staff id: 1 has left */
	uint64_t nstaff;
	int64_t *v; /* nacc * COV__N */
};

static int cov_visit_account(const struct record *r, void *arg)
{
	struct cov_ctx *x = arg;
	if (r->id < x->nacc && r->v[ACCOUNT_KEY].i && !r->v[ACCOUNT_ARCHIVED].i)
		x->key[r->id] = 1;
	return 0;
}

static int cov_visit_staff(const struct record *r, void *arg)
{
	struct cov_ctx *x = arg;
	if (r->id < x->nstaff && record_has(r, STAFF_STATUS) && !strcmp(r->v[STAFF_STATUS].s, "left"))
		x->left[r->id] = 1;
	return 0;
}

static int cov_owner_ok(const struct cov_ctx *x, int64_t id)
{
	return id > 0 && !((uint64_t)id < x->nstaff && x->left[id]);
}

static int cov_visit_ac(const struct record *r, void *arg)
{
	struct cov_ctx *x = arg;
	uint64_t a = (uint64_t)r->v[AC_ACCOUNT].i;
	if (a >= x->nacc || !x->key[a])
		return 0;
	if (record_has(r, AC_END) && r->v[AC_END].i < x->today)
		return 0; /* no longer in that role */
	int64_t *v = &x->v[a * COV__N];
	v[COV_CONTACTS]++;
	int role = record_has(r, AC_ROLE) ? enum_index(kam_enum_decision_role, r->v[AC_ROLE].s) : -1;
	if (role >= 0 && role < 7)
		v[COV_ROLE0 + role]++;
	if (r->v[AC_KEY].i) {
		v[COV_KEY]++;
		int64_t oa = r->v[AC_OWNER_A].i, ob = r->v[AC_OWNER_B].i;
		if (cov_owner_ok(x, oa) && cov_owner_ok(x, ob) && oa != ob)
			v[COV_AB_OK]++;
		else
			v[COV_AB_MISSING]++;
	}
	return 0;
}

int report_coverage(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct cov_ctx x = {.today = o->today};
	struct rep_names acc = {0}, staff = {0};
	struct txn *t;
	*out = NULL;
	int rc = store_begin(st, 0, &t);
	if (rc == 0)
		rc = rep_names_load(t, ENTITY(account), &acc);
	if (rc == 0)
		rc = rep_names_load(t, ENTITY(staff), &staff);
	x.nacc = acc.cap;
	x.nstaff = staff.cap;
	x.key = xcalloc(x.nacc + 1, 1);
	x.left = xcalloc(x.nstaff + 1, 1);
	x.v = xcalloc((x.nacc + 1) * COV__N, sizeof *x.v);
	if (rc == 0)
		rc = store_scan(t, ENTITY(account), cov_visit_account, &x);
	if (rc == 0)
		rc = store_scan(t, ENTITY(staff), cov_visit_staff, &x);
	if (rc == 0)
		rc = store_scan(t, ENTITY(account_contact), cov_visit_ac, &x);
	store_abort(t);
	if (rc == 0) {
		static const char *const h[] = {"ACCOUNT", "CONTACTS", "KEY",  "AB OK", "ECON",
						"DM",      "TECH",     "USER", "COACH", "MISSING"};
		static const unsigned char right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 0};
		struct report *rep = report_new(10, h, right);
		/* columns: economic_buyer, decision_maker, technical, user, coach */
		static const int roles[] = {0, 1, 2, 3, 4};
		for (uint64_t a = 1; a < x.nacc; a++) {
			if (!x.key[a])
				continue;
			const int64_t *v = &x.v[a * COV__N];
			struct buf miss = {0};
			buf_adds(&miss, "");
			static const char *const short_names[] = {"econ", "dm", "tech", "user", "coach"};
			for (int k = 0; k < 5; k++)
				if (!v[COV_ROLE0 + roles[k]])
					buf_addf(&miss, "%s%s", miss.len ? "," : "", short_names[k]);
			if (v[COV_AB_MISSING])
				buf_addf(&miss, "%sab:%lld", miss.len ? "," : "", (long long)v[COV_AB_MISSING]);
			char ab[32];
			snprintf(ab, sizeof ab, "%lld/%lld", (long long)v[COV_AB_OK], (long long)v[COV_KEY]);
			const char *cells[10] = {rep_name(&acc, (int64_t)a), rep_int(v[COV_CONTACTS]),
						 rep_int(v[COV_KEY]),        ab,
						 rep_int(v[COV_ROLE0 + 0]),  rep_int(v[COV_ROLE0 + 1]),
						 rep_int(v[COV_ROLE0 + 2]),  rep_int(v[COV_ROLE0 + 3]),
						 rep_int(v[COV_ROLE0 + 4]),  miss.len ? miss.p : "-"};
			report_add_row(rep, cells);
			buf_free(&miss);
		}
		buf_adds(&rep->notes,
			 "key accounts; AB OK: key contacts with distinct A and B owners who have not left; "
			 "MISSING: roles nobody holds, ab:N key contacts without proper A/B owners\n");
		*out = rep;
	} else {
		set_cause(cause, rc, "cannot read accounts and contacts");
	}
	free(x.key);
	free(x.left);
	free(x.v);
	rep_names_free(&acc);
	rep_names_free(&staff);
	return rc;
}

/* ---- opportunities by account, shared by whitespace, yoy, retention ------ */

struct opp_row {
	int64_t account, year, decision, amount;
	const char *offering; /* into strings of the list */
	const char *unit;
	char status; /* 'o', 'w', 'l' */
	int strategic;
	char *competitor; /* first competitor named, or NULL */
};

struct opp_list {
	struct opp_row *v;
	size_t n, cap;
	int64_t year_min, year_max; /* only these years are kept */
};

static int opp_collect(const struct record *r, void *arg)
{
	struct opp_list *l = arg;
	int64_t y = r->v[OPP_YEAR].i;
	if (y < l->year_min || y > l->year_max)
		return 0;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		l->v = xrealloc(l->v, l->cap * sizeof *l->v);
	}
	struct opp_row *o = &l->v[l->n++];
	memset(o, 0, sizeof *o);
	o->account = r->v[OPP_ACCOUNT].i;
	o->year = y;
	o->decision = r->v[OPP_DECISION].i;
	o->amount = r->v[OPP_AMOUNT].i;
	o->offering = xstrdup(record_has(r, OPP_OFFERING) && *r->v[OPP_OFFERING].s ? r->v[OPP_OFFERING].s : "(none)");
	o->unit =
	    xstrdup(record_has(r, OPP_BUYING_UNIT) && *r->v[OPP_BUYING_UNIT].s ? r->v[OPP_BUYING_UNIT].s : "(all)");
	const char *s = record_has(r, OPP_STATUS) ? r->v[OPP_STATUS].s : "open";
	o->status = s[0] == 'w' ? 'w' : s[0] == 'l' ? 'l' : 'o';
	o->strategic = (int)r->v[OPP_STRATEGIC].i;
	if (record_has(r, OPP_COMPETITORS) && *r->v[OPP_COMPETITORS].s) {
		const char *c = r->v[OPP_COMPETITORS].s;
		o->competitor = xstrndup(c, strcspn(c, ":;"));
	}
	return 0;
}

static void opp_list_free(struct opp_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free((char *)l->v[i].offering);
		free((char *)l->v[i].unit);
		free(l->v[i].competitor);
	}
	free(l->v);
}

static int opp_cmp(const void *a, const void *b)
{
	const struct opp_row *x = a, *y = b;
	if (x->account != y->account)
		return x->account < y->account ? -1 : 1;
	int c = strcmp(x->unit, y->unit);
	if (c)
		return c;
	c = strcmp(x->offering, y->offering);
	if (c)
		return c;
	return x->year < y->year ? -1 : x->year > y->year;
}

/* ---- whitespace ---------------------------------------------------------- */

/* The latest opportunity of a buying unit and offering says whose it is. */
static const char *ws_status(const struct opp_row *o, char *tmp, size_t n)
{
	if (o->status == 'w')
		return "ours";
	if (o->status == 'o')
		return "open";
	if (!o->competitor)
		return "none";
	snprintf(tmp, n, "comp:%s", o->competitor);
	return tmp;
}

int report_whitespace(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct opp_list l = {.year_min = 0, .year_max = o->year};
	struct rep_names acc = {0};
	struct txn *t;
	*out = NULL;
	int rc = store_begin(st, 0, &t);
	if (rc == 0)
		rc = rep_names_load(t, ENTITY(account), &acc);
	if (rc == 0)
		rc = store_scan(t, ENTITY(opportunity), opp_collect, &l);
	store_abort(t);
	if (rc) {
		opp_list_free(&l);
		rep_names_free(&acc);
		return set_cause(cause, rc, "cannot read opportunities");
	}
	if (l.n)
		qsort(l.v, l.n, sizeof *l.v, opp_cmp);
	struct rep_groups offers;
	rep_groups_init(&offers, 1);
	for (size_t i = 0; i < l.n; i++)
		rep_group(&offers, l.v[i].offering);
	rep_groups_sort(&offers);
	for (size_t i = 0; i < offers.n; i++)
		offers.vals[i] = (int64_t)i; /* column index */
	int ncols = 2 + (int)offers.n;
	const char **h = xcalloc((size_t)ncols, sizeof *h);
	h[0] = "ACCOUNT";
	h[1] = "BUYING UNIT";
	for (size_t i = 0; i < offers.n; i++)
		h[2 + i] = offers.keys[i];
	struct report *rep = report_new(ncols, h, NULL);
	char **cells = xcalloc((size_t)ncols, sizeof *cells);
	char(*tmp)[64] = xcalloc((size_t)ncols, sizeof *tmp);
	for (size_t i = 0; i < l.n;) {
		size_t j = i;
		for (int c = 2; c < ncols; c++)
			cells[c] = "-";
		/* one row per account and buying unit */
		while (j < l.n && l.v[j].account == l.v[i].account && !strcmp(l.v[j].unit, l.v[i].unit)) {
			int c = 2 + (int)*rep_group(&offers, l.v[j].offering);
			/* sorted by year: the latest overwrites */
			cells[c] = (char *)ws_status(&l.v[j], tmp[c], sizeof tmp[c]);
			j++;
		}
		cells[0] = (char *)rep_name(&acc, l.v[i].account);
		cells[1] = (char *)l.v[i].unit;
		report_add_row(rep, (const char *const *)cells);
		i = j;
	}
	buf_adds(&rep->notes, "ours = won, open = being pursued, comp:X = lost to X, none = lost to nobody named, "
			      "- = unknown\n");
	free(cells);
	free(tmp);
	free(h);
	rep_groups_free(&offers);
	opp_list_free(&l);
	rep_names_free(&acc);
	*out = rep;
	return 0;
}

/* ---- account years ------------------------------------------------------- */

#define YEARS_BACK 8 /* retention looks this far back */

/* Revenue and budget by account for years [year - YEARS_BACK + 1, year]. */
struct ay_table {
	int64_t year;
	uint64_t nacc;
	int64_t *rev, *bud; /* nacc * YEARS_BACK, slot YEARS_BACK - 1 = year */
	unsigned char *has; /* by account: any account_year in range */
};

static int ay_visit(const struct record *r, void *arg)
{
	struct ay_table *a = arg;
	uint64_t acc = (uint64_t)r->v[AY_ACCOUNT].i;
	int64_t slot = r->v[AY_YEAR].i - (a->year - YEARS_BACK + 1);
	if (acc >= a->nacc || slot < 0 || slot >= YEARS_BACK)
		return 0;
	a->rev[acc * YEARS_BACK + (uint64_t)slot] += r->v[AY_REVENUE].i;
	a->bud[acc * YEARS_BACK + (uint64_t)slot] += r->v[AY_BUDGET].i;
	a->has[acc] = 1;
	return 0;
}

static int ay_load(struct txn *t, int64_t year, uint64_t nacc, struct ay_table *a)
{
	a->year = year;
	a->nacc = nacc;
	a->rev = xcalloc(nacc * YEARS_BACK + 1, sizeof *a->rev);
	a->bud = xcalloc(nacc * YEARS_BACK + 1, sizeof *a->bud);
	a->has = xcalloc(nacc + 1, 1);
	return store_scan(t, ENTITY(account_year), ay_visit, a);
}

static void ay_free(struct ay_table *a)
{
	free(a->rev);
	free(a->bud);
	free(a->has);
}

/* Revenue of account acc, `back` years before the plan year. */
static int64_t ay_rev(const struct ay_table *a, uint64_t acc, int back)
{
	return a->rev[acc * YEARS_BACK + (uint64_t)(YEARS_BACK - 1 - back)];
}

static int64_t ay_bud(const struct ay_table *a, uint64_t acc, int back)
{
	return a->bud[acc * YEARS_BACK + (uint64_t)(YEARS_BACK - 1 - back)];
}

/* Accounts, account years and opportunities of [year - back, year] in one read txn. */
static int acc_load(struct store *st, int64_t year, int back, struct rep_names *acc, struct ay_table *ay,
		    struct opp_list *l, char **cause)
{
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc == 0)
		rc = rep_names_load(t, ENTITY(account), acc);
	if (rc == 0)
		rc = ay_load(t, year, acc->cap, ay);
	l->year_min = year - back;
	l->year_max = year + 1;
	for (int64_t y = year - back; rc == 0 && y <= year; y++) {
		struct value v = {.i = y, .set = 1};
		rc = store_index_scan(t, ENTITY(opportunity), "year_decision", &v, 1, opp_collect, l);
	}
	store_abort(t);
	if (rc)
		return set_cause(cause, rc, "cannot read accounts, account years and opportunities");
	if (l->n)
		qsort(l->v, l->n, sizeof *l->v, opp_cmp);
	return 0;
}

/* ---- yoy ----------------------------------------------------------------- */

enum { YV_KEPT, YV_WON, YV_LOST, YV_NEW, YV_SLIPPED, YV__N };

/* Classify one account's opportunities (a run of the sorted list) of the
 * plan year against the year before. Offerings compare per buying unit. */
static void yoy_classify(const struct opp_row *v, size_t n, int64_t year, int64_t *c)
{
	for (size_t i = 0; i < n; i++) {
		const struct opp_row *o = &v[i];
		if (o->year != year)
			continue;
		if (o->status == 'w')
			c[YV_WON]++;
		else if (o->status == 'l')
			c[YV_LOST]++;
		else if (o->decision / 10000 > year)
			c[YV_SLIPPED]++;
		int before = 0, won_before = 0;
		for (size_t k = 0; k < n; k++)
			if (v[k].year == year - 1 && !strcmp(v[k].offering, o->offering) &&
			    !strcmp(v[k].unit, o->unit)) {
				before = 1;
				won_before |= v[k].status == 'w';
			}
		if (!before)
			c[YV_NEW]++;
		else if (won_before && o->status == 'w')
			c[YV_KEPT]++;
	}
}

int report_yoy(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct rep_names acc = {0};
	struct ay_table ay = {0};
	struct opp_list l = {0};
	*out = NULL;
	int rc = acc_load(st, o->year, 1, &acc, &ay, &l, cause);
	if (rc == 0) {
		char hp[16], hc[16], sp[16], sc[16];
		snprintf(hp, sizeof hp, "REV %d", o->year - 1);
		snprintf(hc, sizeof hc, "REV %d", o->year);
		snprintf(sp, sizeof sp, "SOW %d", o->year - 1);
		snprintf(sc, sizeof sc, "SOW %d", o->year);
		const char *h[] = {"ACCOUNT", hp, hc, "DELTA", sp, sc, "KEPT", "WON", "LOST", "NEW", "SLIPPED"};
		static const unsigned char right[] = {0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
		struct report *rep = report_new(11, h, right);
		int64_t tot[4 + YV__N] = {0};
		size_t i = 0;
		for (uint64_t a = 1; a < acc.cap; a++) {
			int64_t c[YV__N] = {0};
			size_t j = i;
			while (i < l.n && (uint64_t)l.v[i].account < a)
				i++, j++;
			while (j < l.n && (uint64_t)l.v[j].account == a)
				j++;
			yoy_classify(l.v + i, j - i, o->year, c);
			int any = j > i;
			i = j;
			if (!ay.has[a] && !any)
				continue;
			int64_t rp = ay_rev(&ay, a, 1), rc2 = ay_rev(&ay, a, 0), bp = ay_bud(&ay, a, 1),
				bc = ay_bud(&ay, a, 0);
			tot[0] += rp, tot[1] += rc2, tot[2] += bp, tot[3] += bc;
			for (int k = 0; k < YV__N; k++)
				tot[4 + k] += c[k];
			const char *cells[11] = {rep_name(&acc, (int64_t)a),
						 rep_money(rp),
						 rep_money(rc2),
						 rep_money(rc2 - rp),
						 bp ? rep_pct(rep_share((double)rp, (double)bp)) : "-",
						 bc ? rep_pct(rep_share((double)rc2, (double)bc)) : "-",
						 rep_int(c[YV_KEPT]),
						 rep_int(c[YV_WON]),
						 rep_int(c[YV_LOST]),
						 rep_int(c[YV_NEW]),
						 rep_int(c[YV_SLIPPED])};
			report_add_row(rep, cells);
		}
		const char *cells[11] = {"TOTAL",
					 rep_money(tot[0]),
					 rep_money(tot[1]),
					 rep_money(tot[1] - tot[0]),
					 tot[2] ? rep_pct(rep_share((double)tot[0], (double)tot[2])) : "-",
					 tot[3] ? rep_pct(rep_share((double)tot[1], (double)tot[3])) : "-",
					 rep_int(tot[4 + YV_KEPT]),
					 rep_int(tot[4 + YV_WON]),
					 rep_int(tot[4 + YV_LOST]),
					 rep_int(tot[4 + YV_NEW]),
					 rep_int(tot[4 + YV_SLIPPED])};
		report_add_row(rep, cells);
		buf_adds(&rep->notes,
			 "SOW: share of wallet (revenue / customer budget); KEPT: won again after a win the "
			 "year before (also in WON); NEW: offering new to that buying unit; SLIPPED: open with "
			 "the decision date moved past the year\n");
		*out = rep;
	}
	opp_list_free(&l);
	ay_free(&ay);
	rep_names_free(&acc);
	return rc;
}

/* ---- retention ----------------------------------------------------------- */

int report_retention(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct rep_names acc = {0};
	struct ay_table ay = {0};
	struct opp_list l = {0};
	*out = NULL;
	int rc = acc_load(st, o->year, 0, &acc, &ay, &l, cause);
	if (rc == 0) {
		char h2[16], h1[16], h0[16];
		snprintf(h2, sizeof h2, "REV %d", o->year - 2);
		snprintf(h1, sizeof h1, "REV %d", o->year - 1);
		snprintf(h0, sizeof h0, "REV %d", o->year);
		const char *h[] = {"ACCOUNT", "BUYING YEARS", h2, h1, h0, "TREND", "CHURN RISK", "WHY"};
		static const unsigned char right[] = {0, 1, 1, 1, 1, 0, 0, 0};
		struct report *rep = report_new(8, h, right);
		size_t i = 0;
		for (uint64_t a = 1; a < acc.cap; a++) {
			int lost_strategic = 0;
			while (i < l.n && (uint64_t)l.v[i].account < a)
				i++;
			for (; i < l.n && (uint64_t)l.v[i].account == a; i++)
				if (l.v[i].year == o->year && l.v[i].status == 'l' && l.v[i].strategic)
					lost_strategic = 1;
			if (!ay.has[a])
				continue;
			int years = 0;
			while (years < YEARS_BACK && ay_rev(&ay, a, years) > 0)
				years++;
			int64_t r0 = ay_rev(&ay, a, 0), r1 = ay_rev(&ay, a, 1), r2 = ay_rev(&ay, a, 2);
			const char *trend = r0 > r1 ? "up" : r0 < r1 ? "down" : "flat";
			const char *risk = "low", *why = "-";
			if (r0 == 0 && r1 > 0)
				risk = "high", why = "no revenue this year";
			else if (r0 < r1 && r1 < r2)
				risk = "high", why = "declining two years running";
			else if (lost_strategic)
				risk = "high", why = "lost a strategic offering";
			else if (r0 < r1)
				risk = "medium", why = "declining";
			char ys[16];
			snprintf(ys, sizeof ys, "%d%s", years, years == YEARS_BACK ? "+" : "");
			const char *cells[8] = {rep_name(&acc, (int64_t)a),
						ys,
						rep_money(r2),
						rep_money(r1),
						rep_money(r0),
						trend,
						risk,
						why};
			report_add_row(rep, cells);
		}
		*out = rep;
	}
	opp_list_free(&l);
	ay_free(&ay);
	rep_names_free(&acc);
	return rc;
}
