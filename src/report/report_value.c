/* Reports on the scoring of the rules module: pareto, quadrant, allocation, budget. */
#include "kam/report.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/model.h"
#include "kam/rules.h"
#include "report_int.h"

/* Scores of the report's year (rules_score_all would use the configured plan year). */
static int val_score(struct store *st, const struct report_opts *o, struct score_set **out, char **cause)
{
	*out = NULL;
	if (!o->cfg)
		return set_cause(cause, KAM_EINVAL, "this report needs the configuration");
	struct metric_set *m;
	int rc = metrics_compute(st, o->cfg, o->year, o->today, &m, cause);
	if (rc)
		return rc;
	rc = rules_score_metrics(m, 1, o->cfg, out, cause);
	if (rc)
		metrics_free(m);
	return rc;
}

static const char *val_name(const struct score_set *s, uint64_t id)
{
	return id <= s->metrics->max_id && s->metrics->names[id] ? s->metrics->names[id] : "";
}

/* ---- pareto -------------------------------------------------------------- */

#define PARETO_W 60
#define PARETO_H 10

static int pareto_cmp(const void *a, const void *b)
{
	const struct account_score *x = *(const struct account_score *const *)a,
				   *y = *(const struct account_score *const *)b;
	if (x->revenue != y->revenue)
		return x->revenue > y->revenue ? -1 : 1;
	return x->account_id < y->account_id ? -1 : x->account_id > y->account_id;
}

/* Cumulative revenue share over the accounts by rank, ASCII only. */
static void pareto_chart(struct buf *c, const double *cum, const char *abc, size_t n, const struct kam_config *cfg)
{
	if (n == 0)
		return;
	for (int row = PARETO_H; row >= 1; row--) {
		double level = row * 100.0 / PARETO_H;
		double below = (row - 1) * 100.0 / PARETO_H;
		int cut = (cfg->abc.a > below && cfg->abc.a <= level) ||
			  (cfg->abc.a + cfg->abc.b > below && cfg->abc.a + cfg->abc.b <= level);
		buf_addf(c, "%3.0f%% |", level);
		for (int col = 0; col < PARETO_W; col++) {
			size_t k = (size_t)((col + 1) * (double)n / PARETO_W + 0.999999) - 1;
			if (k >= n)
				k = n - 1;
			buf_addc(c, cum[k] >= level - 1e-9 ? '#' : cut ? '-' : ' ');
		}
		buf_addc(c, '\n');
	}
	buf_adds(c, "     +");
	for (int col = 0; col < PARETO_W; col++)
		buf_addc(c, '-');
	buf_adds(c, "\n  ABC ");
	for (int col = 0; col < PARETO_W; col++) {
		size_t k = (size_t)((col + 1) * (double)n / PARETO_W + 0.999999) - 1;
		buf_addc(c, abc[k < n ? k : n - 1]);
	}
	buf_addf(c, "\n       accounts by revenue, %zu in all; cut-offs A %d%%, B %d%%, C %d%%\n", n, cfg->abc.a,
		 cfg->abc.b, cfg->abc.c);
}

int report_pareto(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct score_set *s;
	int rc = val_score(st, o, &s, cause);
	if (rc)
		return rc;
	const struct account_score **v = xmalloc((s->n + 1) * sizeof *v);
	double total = 0;
	for (size_t i = 0; i < s->n; i++) {
		v[i] = &s->acc[i];
		total += s->acc[i].revenue;
	}
	qsort(v, s->n, sizeof *v, pareto_cmp);
	double *cum = xmalloc((s->n + 1) * sizeof *cum);
	char *abc = xmalloc(s->n + 1);
	static const char *const h[] = {"RANK", "ACCOUNT", "REVENUE", "SHARE", "CUMULATIVE", "ABC"};
	static const unsigned char right[] = {1, 0, 1, 1, 1, 0};
	struct report *rep = report_new(6, h, right);
	double run = 0;
	for (size_t i = 0; i < s->n; i++) {
		run += v[i]->revenue;
		cum[i] = rep_share(run, total);
		abc[i] = v[i]->abc;
		char cls[2] = {v[i]->abc, 0};
		const char *cells[6] = {rep_int((int64_t)i + 1),
					val_name(s, v[i]->account_id),
					rep_money(llround(v[i]->revenue * 100)),
					rep_pct(rep_share(v[i]->revenue, total)),
					rep_pct(cum[i]),
					cls};
		report_add_row(rep, cells);
	}
	pareto_chart(&rep->chart, cum, abc, s->n, o->cfg);
	free(cum);
	free(abc);
	free(v);
	score_set_free(s);
	*out = rep;
	return 0;
}

/* ---- quadrant ------------------------------------------------------------ */

#define QUAD_W 41
#define QUAD_H 15

static void quadrant_chart(struct buf *c, const struct score_set *s, const struct kam_config *cfg)
{
	int grid[QUAD_H][QUAD_W] = {{0}};
	for (size_t i = 0; i < s->n; i++) {
		int col = (int)lround(s->acc[i].x * (QUAD_W - 1) / 100.0);
		int row = (int)lround(s->acc[i].y * (QUAD_H - 1) / 100.0);
		col = col < 0 ? 0 : col >= QUAD_W ? QUAD_W - 1 : col;
		row = row < 0 ? 0 : row >= QUAD_H ? QUAD_H - 1 : row;
		grid[QUAD_H - 1 - row][col]++;
	}
	int sx = (int)lround(cfg->quadrant.x_split * (QUAD_W - 1) / 100.0);
	int sy = QUAD_H - 1 - (int)lround(cfg->quadrant.y_split * (QUAD_H - 1) / 100.0);
	for (int r = 0; r < QUAD_H; r++) {
		buf_addf(c, "%s|", r == 0 ? "100" : r == QUAD_H - 1 ? "  0" : "   ");
		for (int k = 0; k < QUAD_W; k++) {
			int n = grid[r][k];
			if (n)
				buf_addc(c, n > 9 ? '*' : (char)('0' + n));
			else if (r == sy && k == sx)
				buf_addc(c, '+');
			else if (r == sy)
				buf_addc(c, '-');
			else if (k == sx)
				buf_addc(c, '|');
			else
				buf_addc(c, ' ');
		}
		buf_addc(c, '\n');
	}
	buf_adds(c, "   +");
	for (int k = 0; k < QUAD_W; k++)
		buf_addc(c, '-');
	buf_addf(c, "\n    0%*s\n", QUAD_W - 1, "100");
	buf_adds(c, "    x: added value (");
	for (int i = 0; i < cfg->quadrant.x.n; i++)
		buf_addf(c, "%s%s", i ? ", " : "", cfg->quadrant.x.v[i]);
	buf_adds(c, "); y: complexity (");
	for (int i = 0; i < cfg->quadrant.y.n; i++)
		buf_addf(c, "%s%s", i ? ", " : "", cfg->quadrant.y.v[i]);
	buf_adds(c, "); digits: accounts per cell, *: more than 9\n");
}

int report_quadrant(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct score_set *s;
	int rc = val_score(st, o, &s, cause);
	if (rc)
		return rc;
	static const char *const h[] = {"ACCOUNT", "VALUE X", "COMPLEXITY Y", "QUADRANT", "SCORE"};
	static const unsigned char right[] = {0, 1, 1, 0, 1};
	struct report *rep = report_new(5, h, right);
	int count[QUAD__COUNT] = {0};
	for (size_t i = 0; i < s->n; i++) {
		const struct account_score *a = &s->acc[i];
		count[a->quadrant]++;
		char sc[16];
		snprintf(sc, sizeof sc, "%.1f", a->score);
		const char *cells[5] = {val_name(s, a->account_id), rep_pct(a->x), rep_pct(a->y),
					rules_quadrant_label(o->cfg, a->quadrant), sc};
		report_add_row(rep, cells);
	}
	quadrant_chart(&rep->chart, s, o->cfg);
	for (int q = 0; q < QUAD__COUNT; q++)
		buf_addf(&rep->notes, "%s: %d\n", rules_quadrant_label(o->cfg, (enum quadrant)q), count[q]);
	score_set_free(s);
	*out = rep;
	return 0;
}

/* ---- activities per account, shared by allocation and budget ------------- */

struct act_sum {
	int64_t n;         /* activities of the year, not cancelled */
	int64_t brand_n;   /* brand activities */
	int64_t estimated; /* brand budget, cents */
	int64_t actual;    /* actual cost, cents */
};

struct act_ctx {
	const struct report_opts *o;
	uint64_t nacc;
	struct act_sum *acc;  /* by account id */
	struct rep_groups *g; /* budget: by type or quarter, else NULL */
	int by_quarter;
};

static int act_is_brand(const struct kam_config *cfg, const char *type)
{
	const struct conf_label *l = conf_enum_value(cfg, kam_enum_activity_type, type);
	return l && l->brand;
}

static int act_visit(const struct record *r, void *arg)
{
	struct act_ctx *x = arg;
	uint64_t a = (uint64_t)r->v[ACT_ACCOUNT].i;
	if (r->v[ACT_DATE].i / 10000 != x->o->year || a >= x->nacc)
		return 0;
	if (record_has(r, ACT_STATUS) && !strcmp(r->v[ACT_STATUS].s, "cancelled"))
		return 0;
	struct act_sum *s = &x->acc[a];
	s->n++;
	if (!act_is_brand(x->o->cfg, r->v[ACT_TYPE].s))
		return 0;
	s->brand_n++;
	s->estimated += r->v[ACT_BUDGET].i;
	s->actual += r->v[ACT_ACTUAL_COST].i;
	if (x->g) {
		char q[8];
		snprintf(q, sizeof q, "Q%lld", (long long)((r->v[ACT_DATE].i / 100 % 100 - 1) / 3 + 1));
		int64_t *v = rep_group(x->g, x->by_quarter ? q : r->v[ACT_TYPE].s);
		v[0]++;
		v[1] += r->v[ACT_BUDGET].i;
		v[2] += r->v[ACT_ACTUAL_COST].i;
	}
	return 0;
}

/* Account -> KAM id and province, read once. */
struct acc_attr {
	int64_t *kam;
	char **province;
	uint64_t n;
};

static int attr_visit(const struct record *r, void *arg)
{
	struct acc_attr *x = arg;
	if (r->id < x->n) {
		x->kam[r->id] = r->v[ACCOUNT_KAM].i;
		x->province[r->id] = xstrdup(record_has(r, ACCOUNT_PROVINCE) ? r->v[ACCOUNT_PROVINCE].s : "(none)");
	}
	return 0;
}

static int act_load(struct store *st, const struct report_opts *o, const struct score_set *s, struct act_ctx *x,
		    struct acc_attr *attr, struct rep_names *staff)
{
	x->o = o;
	x->nacc = s->metrics->max_id + 1;
	x->acc = xcalloc(x->nacc, sizeof *x->acc);
	attr->n = x->nacc;
	attr->kam = xcalloc(x->nacc, sizeof *attr->kam);
	attr->province = xcalloc(x->nacc, sizeof *attr->province);
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc == 0)
		rc = store_scan(t, ENTITY(activity), act_visit, x);
	if (rc == 0)
		rc = store_scan(t, ENTITY(account), attr_visit, attr);
	if (rc == 0)
		rc = rep_names_load(t, ENTITY(staff), staff);
	store_abort(t);
	return rc;
}

static void attr_free(struct acc_attr *a)
{
	for (uint64_t i = 0; i < a->n; i++)
		free(a->province[i]);
	free(a->province);
	free(a->kam);
}

/* Imbalance of an actual share against the recommended one. */
static const char *val_flag(double actual_share, double rec_share)
{
	if (rec_share <= 0)
		return actual_share > 0 ? "over" : "-";
	double r = actual_share / rec_share;
	return r > 1.5 ? "over" : r < 0.5 ? "under" : "ok";
}

/* ---- allocation ---------------------------------------------------------- */

enum { AL_RV100, AL_HOURS100, AL_REC_BUDGET, AL_N, AL_ACTUAL, AL_SHARE1000, AL__N };

int report_allocation(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	int by_kam = 0;
	if (o->by && strcmp(o->by, "account") && !(by_kam = !strcmp(o->by, "kam")))
		return set_cause(cause, KAM_EINVAL, "allocation --by must be account or kam");
	struct score_set *s;
	int rc = val_score(st, o, &s, cause);
	if (rc)
		return rc;
	struct act_ctx x = {0};
	struct acc_attr attr = {0};
	struct rep_names staff = {0};
	rc = act_load(st, o, s, &x, &attr, &staff);
	if (rc) {
		set_cause(cause, rc, "cannot read activities");
	} else {
		int64_t total_n = 0, total_cost = 0;
		for (size_t i = 0; i < s->n; i++) {
			total_n += x.acc[s->acc[i].account_id].n;
			total_cost += x.acc[s->acc[i].account_id].actual;
		}
		struct rep_groups g;
		rep_groups_init(&g, AL__N);
		for (size_t i = 0; i < s->n; i++) {
			const struct account_score *a = &s->acc[i];
			const char *key =
			    by_kam ? rep_name(&staff, attr.kam[a->account_id]) : val_name(s, a->account_id);
			char idkey[32];
			if (!by_kam) { /* accounts may share a name: key by id, label later */
				snprintf(idkey, sizeof idkey, "%020llu", (unsigned long long)a->account_id);
				key = idkey;
			}
			int64_t *v = rep_group(&g, *key ? key : "(no kam)");
			v[AL_RV100] += llround(a->relative_value * 100);
			v[AL_HOURS100] += llround(a->visit_hours * 100);
			v[AL_REC_BUDGET] += llround(a->budget * 100);
			v[AL_N] += x.acc[a->account_id].n;
			v[AL_ACTUAL] += x.acc[a->account_id].actual;
			v[AL_SHARE1000] += llround(a->visit_share * 1000);
		}
		static const char *const h[] = {"ACCOUNT",   "REL VALUE",  "REC HOURS",   "REC SHARE", "ACTIVITIES",
						"ACT SHARE", "REC BUDGET", "ACTUAL COST", "FLAG"};
		static const unsigned char right[] = {0, 1, 1, 1, 1, 1, 1, 1, 0};
		struct report *rep = report_new(9, h, right);
		if (by_kam) {
			free(rep->headers[0]);
			rep->headers[0] = xstrdup("KAM");
		}
		rep_groups_sort(&g);
		for (size_t i = 0; i < g.n; i++) {
			const int64_t *v = &g.vals[i * AL__N];
			double act_share = rep_share((double)v[AL_N], (double)total_n);
			double rec_share = v[AL_SHARE1000] / 1000.0;
			char rv[32], hours[32];
			snprintf(rv, sizeof rv, "%.2f", v[AL_RV100] / 100.0);
			snprintf(hours, sizeof hours, "%.1f", v[AL_HOURS100] / 100.0);
			const char *label = by_kam ? g.keys[i] : val_name(s, strtoull(g.keys[i], NULL, 10));
			const char *cells[9] = {label,
						rv,
						hours,
						rep_pct(rec_share),
						rep_int(v[AL_N]),
						rep_pct(act_share),
						rep_money(v[AL_REC_BUDGET]),
						rep_money(v[AL_ACTUAL]),
						total_n ? val_flag(act_share, rec_share) : "-"};
			report_add_row(rep, cells);
		}
		buf_addf(&rep->notes,
			 "%lld activities in %d, actual cost %s; FLAG compares the activity share with the "
			 "recommended visit share (over: > 1.5x, under: < 0.5x)\n",
			 (long long)total_n, o->year, rep_money(total_cost));
		rep_groups_free(&g);
		*out = rep;
	}
	free(x.acc);
	attr_free(&attr);
	rep_names_free(&staff);
	score_set_free(s);
	return rc;
}

/* ---- budget -------------------------------------------------------------- */

enum bud_by { BB_REGION, BB_TIER, BB_TYPE, BB_ACCOUNT, BB_QUARTER, BB_KAM };
static const char *const bud_by_names[] = {"region", "tier", "type", "account", "quarter", "kam", NULL};
enum { BV_N, BV_EST, BV_ACTUAL, BV_REC, BV__N };

int report_budget(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	int by = o->by ? enum_index(bud_by_names, o->by) : BB_ACCOUNT;
	if (by < 0)
		return set_cause(cause, KAM_EINVAL, "budget --by must be region, tier, type, account, quarter or kam");
	struct score_set *s;
	int rc = val_score(st, o, &s, cause);
	if (rc)
		return rc;
	struct rep_groups g;
	rep_groups_init(&g, BV__N);
	struct act_ctx x = {.g = (by == BB_TYPE || by == BB_QUARTER) ? &g : NULL, .by_quarter = by == BB_QUARTER};
	struct acc_attr attr = {0};
	struct rep_names staff = {0};
	rc = act_load(st, o, s, &x, &attr, &staff);
	if (rc == 0 && !x.g) { /* account dimensions: add every scored account to its group */
		for (size_t i = 0; i < s->n; i++) {
			const struct account_score *a = &s->acc[i];
			uint64_t id = a->account_id;
			char key[32];
			const char *k = key;
			if (by == BB_REGION)
				k = attr.province[id];
			else if (by == BB_TIER)
				k = rules_tier_id(o->cfg, a->tier);
			else if (by == BB_KAM)
				k = rep_name(&staff, attr.kam[id]);
			else
				snprintf(key, sizeof key, "%020llu", (unsigned long long)id);
			int64_t *v = rep_group(&g, k && *k ? k : "(none)");
			v[BV_N] += x.acc[id].brand_n;
			v[BV_EST] += x.acc[id].estimated;
			v[BV_ACTUAL] += x.acc[id].actual;
			v[BV_REC] += llround(a->budget * 100);
		}
	}
	if (rc == 0) {
		static const char *const h[] = {"GROUP",       "EVENTS",    "ESTIMATED", "ACTUAL",
						"RECOMMENDED", "EST SHARE", "REC SHARE", "FLAG"};
		static const unsigned char right[] = {0, 1, 1, 1, 1, 1, 1, 0};
		struct report *rep = report_new(8, h, right);
		free(rep->headers[0]);
		rep->headers[0] = xstrdup(bud_by_names[by]);
		for (char *p = rep->headers[0]; *p; p++)
			*p = (char)(*p - 'a' + 'A');
		rep_groups_sort(&g);
		int64_t tot[BV__N] = {0};
		for (size_t i = 0; i < g.n; i++)
			for (int k = 0; k < BV__N; k++)
				tot[k] += g.vals[i * BV__N + (size_t)k];
		for (size_t i = 0; i < g.n; i++) {
			const int64_t *v = &g.vals[i * BV__N];
			const char *label = by == BB_ACCOUNT ? val_name(s, strtoull(g.keys[i], NULL, 10)) : g.keys[i];
			double es = rep_share((double)v[BV_EST], (double)tot[BV_EST]);
			double rs = rep_share((double)v[BV_REC], (double)tot[BV_REC]);
			int has_rec = !x.g;
			const char *cells[8] = {label,
						rep_int(v[BV_N]),
						rep_money(v[BV_EST]),
						rep_money(v[BV_ACTUAL]),
						has_rec ? rep_money(v[BV_REC]) : "-",
						rep_pct(es),
						has_rec ? rep_pct(rs) : "-",
						has_rec && tot[BV_EST] ? val_flag(es, rs) : "-"};
			report_add_row(rep, cells);
		}
		const char *cells[8] = {"TOTAL",
					rep_int(tot[BV_N]),
					rep_money(tot[BV_EST]),
					rep_money(tot[BV_ACTUAL]),
					x.g ? "-" : rep_money(tot[BV_REC]),
					"100.0%",
					x.g ? "-" : "100.0%",
					"-"};
		report_add_row(rep, cells);
		buf_addf(&rep->notes,
			 "brand activities of %d; FLAG compares the estimated share with the share "
			 "recommended by relative value (over: > 1.5x, under: < 0.5x)\n",
			 o->year);
		*out = rep;
	} else {
		set_cause(cause, rc, "cannot read activities");
	}
	rep_groups_free(&g);
	free(x.acc);
	attr_free(&attr);
	rep_names_free(&staff);
	score_set_free(s);
	return rc;
}
