/* The Budget view of the workstation (B, :budget): the brand-activity
 * budgets of the plan year by region, tier, type, account, quarter or KAM,
 * estimated vs actual vs recommended, as `kam report budget` computes them
 * (the rows are that report's, reformatted for 78 columns); Enter on a
 * group lists its brand activities (kam/vlist.h). */
#include "kam/vlist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/detail.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/report.h"
#include "kam/rules.h"
#include "view_int.h"

const char *const vlist_budget_by[] = {"region", "tier", "type", "account", "quarter", "kam", NULL};
enum { BY_REGION, BY_TIER, BY_TYPE, BY_ACCOUNT, BY_QUARTER, BY_KAM };

/* --- accounts by id, shared by the planning views ------------------------------ */

static int acct_visit(const struct record *r, void *arg)
{
	struct view_accts *a = arg;
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xrealloc(a->v, a->cap * sizeof *a->v);
	}
	struct view_acct *x = &a->v[a->n++];
	x->id = r->id;
	x->name = xstrdup(record_name(r));
	x->province =
	    xstrdup(record_has(r, ACCOUNT_PROVINCE) && *r->v[ACCOUNT_PROVINCE].s ? r->v[ACCOUNT_PROVINCE].s : "(none)");
	x->kam = record_has(r, ACCOUNT_KAM) ? (uint64_t)r->v[ACCOUNT_KAM].i : 0;
	return 0;
}

static int acct_name_cmp(const void *x, const void *y)
{
	const struct view_acct *a = *(const struct view_acct *const *)x, *b = *(const struct view_acct *const *)y;
	int c = strcmp(a->name, b->name);
	return c ? c : a->id < b->id ? -1 : a->id > b->id;
}

int view_accts_load(struct txn *t, struct view_accts *a)
{
	memset(a, 0, sizeof *a);
	int rc = store_scan(t, ENTITY(account), acct_visit, a); /* by id: keys are big-endian */
	/* By name (then id), for the reports' rows that name their account. */
	a->byname = xmalloc((a->n + 1) * sizeof *a->byname);
	for (size_t i = 0; i < a->n; i++)
		a->byname[i] = &a->v[i];
	if (a->n > 1)
		qsort(a->byname, a->n, sizeof *a->byname, acct_name_cmp);
	return rc;
}

int view_accts_read(struct store *st, struct view_accts *a, char **cause)
{
	struct txn *t;
	memset(a, 0, sizeof *a);
	int rc = store_begin(st, 0, &t);
	if (!rc) {
		rc = view_accts_load(t, a);
		store_abort(t);
	}
	return rc ? set_cause(cause, rc, "cannot read accounts: %s", kam_strerror(rc)) : 0;
}

const struct view_acct *view_acct_get(const struct view_accts *a, uint64_t id)
{
	size_t lo = 0, hi = a->n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (a->v[mid].id == id)
			return &a->v[mid];
		if (a->v[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

uint64_t view_acct_named(const struct view_accts *a, const char *name)
{
	size_t lo = 0, hi = a->n; /* the first of that name: the lowest id */
	while (name && lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(a->byname[mid]->name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return name && lo < a->n && strcmp(a->byname[lo]->name, name) == 0 ? a->byname[lo]->id : 0;
}

void view_accts_free(struct view_accts *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->v[i].name);
		free(a->v[i].province);
	}
	free(a->v);
	free(a->byname);
	memset(a, 0, sizeof *a);
}

/* A report's money cell ("1,234.50") in the short form of the screens. */
static void money_cell(struct buf *b, const char *cell, int w)
{
	int64_t cents;
	struct buf m = {0};
	if (cell && parse_decimal(cell, 2, &cents) == 0)
		format_money_short(cents, &m);
	vlist_cell(b, m.p ? m.p : "-", w, TEXT_RIGHT);
	buf_free(&m);
}

/* --- the groups ------------------------------------------------------------------ */

static int budget_groups(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int by,
			 int64_t today, char **cause)
{
	struct report_opts o = {.year = year, .by = vlist_budget_by[by], .today = today, .cfg = cfg};
	struct report *r = NULL;
	int rc = report_run(st, "budget", &o, &r, cause);
	if (rc)
		return rc;
	struct view_accts accts = {0};
	if (by == BY_ACCOUNT && (rc = view_accts_read(st, &accts, cause))) {
		report_free(r);
		view_accts_free(&accts);
		return rc;
	}
	struct buf b = {0};
	int over = 0, under = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		const char *label = report_cell(r, i, 0), *flag = report_cell(r, i, 7);
		int total = i + 1 == r->nrows;
		if (total)
			vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &(struct buf){0}); /* a blank line above the total */
		vlist_cell(&b, label, 20, TEXT_LEFT);
		buf_addc(&b, ' ');
		vlist_cell(&b, report_cell(r, i, 1), 6, TEXT_RIGHT);
		money_cell(&b, report_cell(r, i, 2), 10);
		money_cell(&b, report_cell(r, i, 3), 10);
		money_cell(&b, report_cell(r, i, 4), 10);
		vlist_cell(&b, report_cell(r, i, 5), 7, TEXT_RIGHT);
		vlist_cell(&b, report_cell(r, i, 6), 7, TEXT_RIGHT);
		/* An imbalance (more or much less than the value share) is marked. */
		int bad = !strcmp(flag, "over") || !strcmp(flag, "under");
		over += !strcmp(flag, "over");
		under += !strcmp(flag, "under");
		buf_addf(&b, " %s%s", flag, bad ? " !" : "");
		if (total)
			vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
		else if (by == BY_ACCOUNT)
			vlist_push(v, view_acct_named(&accts, label), DETAIL_ACTS, NULL, &b);
		else
			vlist_push(v, 0, DETAIL_ACTS, label, &b);
	}
	buf_free(&b);
	/* The header in the rows' widths. */
	static const char *const by_head[] = {"Region", "Tier", "Type", "Account", "Quarter", "KAM"};
	vlist_cell(&b, by_head[by], 20, TEXT_LEFT);
	vlist_cell(&b, "Events", 7, TEXT_RIGHT);
	vlist_cell(&b, "Estimated", 10, TEXT_RIGHT);
	vlist_cell(&b, "Actual", 10, TEXT_RIGHT);
	vlist_cell(&b, "Recommend", 10, TEXT_RIGHT);
	vlist_cell(&b, "Est %", 7, TEXT_RIGHT);
	vlist_cell(&b, "Rec %", 7, TEXT_RIGHT);
	buf_adds(&b, " Flag");
	v->head = buf_steal(&b);
	v->foot = xasprintf("%d group%s, %d over, %d under   b: by %s", (int)r->nrows - 1, r->nrows == 2 ? "" : "s",
			    over, under, vlist_budget_by[(by + 1) % (BY_KAM + 1)]);
	view_accts_free(&accts);
	report_free(r);
	return 0;
}

/* --- the activities of one group ---------------------------------------------------- */

struct drill {
	const struct kam_config *cfg;
	int year, by;
	const char *label;
	struct view_accts accts;
	struct score_set *scores; /* by tier */
	struct txn *t;
	struct vlist *v;
	int64_t est, actual;
	int n;
};

static int is_brand(const struct kam_config *cfg, const char *type)
{
	const struct conf_label *l = conf_enum_value(cfg, kam_enum_activity_type, type);
	return l && l->brand;
}

/* The group of activity r, as report_budget files it ("" when none). */
static void group_of(struct drill *d, const struct record *r, const struct view_acct *a, char *out, size_t n)
{
	out[0] = '\0';
	switch (d->by) {
	case BY_REGION:
		snprintf(out, n, "%s", a ? a->province : "");
		break;
	case BY_TIER: {
		const struct account_score *s = a && d->scores ? score_set_get(d->scores, a->id) : NULL;
		const char *k = s ? rules_tier_id(d->cfg, s->tier) : NULL;
		snprintf(out, n, "%s", s ? (k && *k ? k : "(none)") : "");
		break;
	}
	case BY_TYPE:
		snprintf(out, n, "%s", r->v[ACT_TYPE].s);
		break;
	case BY_QUARTER:
		snprintf(out, n, "Q%lld", (long long)((r->v[ACT_DATE].i / 100 % 100 - 1) / 3 + 1));
		break;
	case BY_KAM: {
		struct record *s = NULL;
		if (a && a->kam && store_get(d->t, ENTITY(staff), a->kam, &s) == 0 && *record_name(s))
			snprintf(out, n, "%s", record_name(s));
		else if (a)
			snprintf(out, n, "(none)");
		record_free(s);
		break;
	}
	default:
		break;
	}
}

static int drill_visit(const struct record *r, void *arg)
{
	struct drill *d = arg;
	if (r->v[ACT_DATE].i / 10000 != d->year || !is_brand(d->cfg, r->v[ACT_TYPE].s))
		return 0;
	if (record_has(r, ACT_STATUS) && !strcmp(r->v[ACT_STATUS].s, "cancelled"))
		return 0;
	const struct view_acct *a = view_acct_get(&d->accts, (uint64_t)r->v[ACT_ACCOUNT].i);
	char g[256];
	group_of(d, r, a, g, sizeof g);
	if (strcmp(g, d->label) != 0)
		return 0;
	struct buf b = {0}, m = {0};
	buf_adds(&b, "  ");
	format_date(r->v[ACT_DATE].i, &b);
	buf_addc(&b, ' ');
	vlist_cell(&b, conf_enum_label(d->cfg, kam_enum_activity_type, r->v[ACT_TYPE].s), 12, TEXT_LEFT);
	buf_addc(&b, ' ');
	vlist_cell(&b, record_name(r), 18, TEXT_LEFT);
	format_money_short(r->v[ACT_BUDGET].i, &m);
	vlist_cell(&b, m.p, 10, TEXT_RIGHT);
	buf_reset(&m);
	format_money_short(r->v[ACT_ACTUAL_COST].i, &m);
	vlist_cell(&b, m.p, 10, TEXT_RIGHT);
	buf_addf(&b, "  %s", a ? a->name : "--");
	vlist_push(d->v, a ? a->id : 0, DETAIL_ACTS, NULL, &b);
	d->est += r->v[ACT_BUDGET].i;
	d->actual += r->v[ACT_ACTUAL_COST].i;
	d->n++;
	buf_free(&m);
	buf_free(&b);
	return 0;
}

static int budget_drill(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int by,
			const char *label, int64_t today, char **cause)
{
	struct drill d = {.cfg = cfg, .year = year, .by = by, .label = label, .v = v};
	int rc = 0;
	if (by == BY_TIER) { /* the tiers of the report's year, as report_budget scores them */
		struct metric_set *m = NULL;
		rc = metrics_compute(st, cfg, year, today, &m, cause);
		if (!rc && (rc = rules_score_metrics(m, 1, cfg, &d.scores, cause)) != 0)
			metrics_free(m);
		if (rc)
			return rc;
	}
	rc = store_begin(st, 0, &d.t);
	if (!rc) {
		rc = view_accts_load(d.t, &d.accts);
		if (!rc)
			rc = store_scan(d.t, ENTITY(activity), drill_visit, &d);
		store_abort(d.t);
	}
	view_accts_free(&d.accts);
	score_set_free(d.scores);
	if (rc)
		return set_cause(cause, rc, "cannot read activities: %s", kam_strerror(rc));
	if (!d.n) {
		struct buf b = {0};
		buf_adds(&b, "  no brand activity in this group");
		vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
		buf_free(&b);
	}
	struct buf f = {0};
	buf_addf(&f, "%d brand activit%s   estimated ", d.n, d.n == 1 ? "y" : "ies");
	format_money_short(d.est, &f);
	buf_adds(&f, "   actual ");
	format_money_short(d.actual, &f);
	buf_adds(&f, "   q: the groups");
	v->foot = buf_steal(&f);
	v->head = xstrdup("  Date       Type         Activity              Budget    Actual  Account");
	return 0;
}

int vlist_budget(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int by, const char *drill,
		 int64_t today, char **cause)
{
	vlist_free(v);
	v->kind = VLIST_BUDGET;
	if (by < 0 || by > BY_KAM)
		by = BY_ACCOUNT;
	v->title = drill ? xasprintf("Budget %d %s %s", year, vlist_budget_by[by], drill)
			 : xasprintf("Budget %d by %s", year, vlist_budget_by[by]);
	int rc = drill ? budget_drill(v, st, cfg, year, by, drill, today, cause)
		       : budget_groups(v, st, cfg, year, by, today, cause);
	if (rc && !v->foot)
		v->foot = xstrdup("budget failed");
	return rc;
}
