/* Scores from metrics: per-criterion points, tier, quadrant, ABC class,
 * relative value and recommended allocation. Pure over a metric_set, so
 * what-if and rules diff rescore without touching the store. */
#include "kam/rules.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/err.h"

static double criterion_percent(const struct criterion *c, const struct expr_value *v)
{
	switch (c->method) {
	case METHOD_BOOLEAN:
		return v->num != 0 ? 100.0 : 0.0;
	case METHOD_LINEAR: {
		double f = (v->num - c->low) / (c->high - c->low);
		return 100.0 * (f < 0 ? 0 : f > 1 ? 1 : f);
	}
	case METHOD_THRESHOLDS:
		/* Steps are sorted highest first: the first one reached counts. */
		for (int i = 0; i < c->nsteps; i++)
			if (v->num >= c->steps[i].at)
				return c->steps[i].percent;
		return 0;
	}
	return 0;
}

static double weight_sum(const struct kam_config *cfg)
{
	double w = 0;
	for (int i = 0; i < cfg->criteria.n; i++)
		w += CONF_MAP_AT(cfg->criteria, struct criterion, i)->weight;
	return w;
}

/* Criterion indexes of a quadrant group, resolved once per scoring. */
struct group {
	int idx[64];
	int n;
	double max; /* attainable weight */
};

static void group_resolve(const struct kam_config *cfg, const struct conf_strlist *ids, struct group *g)
{
	g->n = 0;
	g->max = 0;
	for (int k = 0; k < ids->n; k++)
		for (int i = 0; i < cfg->criteria.n && g->n < 64; i++) {
			const struct criterion *c = CONF_MAP_AT(cfg->criteria, struct criterion, i);
			if (strcmp(c->head.id, ids->v[k]) == 0) {
				g->idx[g->n++] = i;
				g->max += c->weight;
			}
		}
}

/* Percent of the attainable points earned on a group of criteria. */
static double group_percent(const struct kam_config *cfg, const struct group *g, const struct criterion_score *crit)
{
	double got = 0;
	for (int k = 0; k < g->n; k++)
		got +=
		    CONF_MAP_AT(cfg->criteria, struct criterion, g->idx[k])->weight * crit[g->idx[k]].percent / 100.0;
	return g->max > 0 ? 100.0 * got / g->max : 0;
}

static double criteria_points(const struct kam_config *cfg, double wsum, const union metric_value *row,
			      struct criterion_score *crit)
{
	double score = 0;
	for (int i = 0; i < cfg->criteria.n; i++) {
		const struct criterion *c = CONF_MAP_AT(cfg->criteria, struct criterion, i);
		struct criterion_score *cs = &crit[i];
		cs->value = expr_eval(c->metric.e, row);
		cs->percent = criterion_percent(c, &cs->value);
		/* Points are normalised so that they add up to the score. */
		cs->points = wsum > 0 ? c->weight * cs->percent / wsum : 0;
		score += cs->points;
	}
	return score;
}

static void score_account(const struct kam_config *cfg, double wsum, const struct group *gx, const struct group *gy,
			  const union metric_value *row, struct criterion_score *crit, struct account_score *a)
{
	a->score = round(criteria_points(cfg, wsum, row, crit) * 10.0) / 10.0;
	a->tier = cfg->tiers.n - 1;
	for (int t = 0; t < cfg->tiers.n; t++)
		if (a->score >= CONF_MAP_AT(cfg->tiers, struct tier, t)->min) {
			a->tier = t;
			break;
		}
	a->x = group_percent(cfg, gx, crit);
	a->y = group_percent(cfg, gy, crit);
	int hx = a->x >= cfg->quadrant.x_split, hy = a->y >= cfg->quadrant.y_split;
	a->quadrant = hx && hy ? QUAD_STRATEGIC : hy ? QUAD_BIG : hx ? QUAD_POTENTIAL : QUAD_TRANSACTIONAL;
}

/* The sort key beside the index, so that sorting reads one small array
 * instead of every account's score. acc is sorted by id: the index breaks
 * ties as the id would. */
struct by_revenue {
	double revenue;
	size_t i;
};

static int by_revenue_desc(const void *x, const void *y)
{
	const struct by_revenue *a = x, *b = y;
	if (a->revenue != b->revenue)
		return a->revenue < b->revenue ? 1 : -1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/* A while the revenue before the account is under a%, then B under a+b%;
 * no revenue is C. */
static void assign_abc(const struct kam_config *cfg, struct score_set *s)
{
	struct by_revenue *order = xmalloc((s->n ? s->n : 1) * sizeof *order);
	size_t n = 0;
	double total = 0;
	for (size_t i = 0; i < s->n; i++) {
		s->acc[i].abc = 'C';
		if (s->acc[i].revenue > 0) {
			order[n++] = (struct by_revenue){s->acc[i].revenue, i};
			total += s->acc[i].revenue;
		}
	}
	qsort(order, n, sizeof *order, by_revenue_desc);
	double cum = 0;
	for (size_t k = 0; k < n; k++) {
		double before = 100.0 * cum / total;
		s->acc[order[k].i].abc = before < cfg->abc.a ? 'A' : before < cfg->abc.a + cfg->abc.b ? 'B' : 'C';
		cum += order[k].revenue;
	}
	free(order);
}

static void assign_allocation(const struct kam_config *cfg, struct score_set *s)
{
	double sum_score = 0, sum_rev = 0, sum_rv = 0;
	for (size_t i = 0; i < s->n; i++) {
		sum_score += s->acc[i].score;
		sum_rev += s->acc[i].revenue > 0 ? s->acc[i].revenue : 0;
	}
	double avg_score = s->n ? sum_score / (double)s->n : 0, avg_rev = s->n ? sum_rev / (double)s->n : 0;
	for (size_t i = 0; i < s->n; i++) {
		struct account_score *a = &s->acc[i];
		double rs = avg_score > 0 ? a->score / avg_score : 1;
		double rr = avg_rev > 0 ? (a->revenue > 0 ? a->revenue : 0) / avg_rev : 1;
		a->relative_value = (cfg->allocation.score_weight * rs + cfg->allocation.revenue_weight * rr) / 100.0;
		sum_rv += a->relative_value;
	}
	for (size_t i = 0; i < s->n; i++) {
		struct account_score *a = &s->acc[i];
		a->visit_share = sum_rv > 0 ? 100.0 * a->relative_value / sum_rv : 0;
		a->visit_hours = cfg->allocation.visit_hours * a->visit_share / 100.0;
		a->budget = (double)cfg->allocation.brand_budget / 100.0 * a->visit_share / 100.0;
	}
}

int rules_score_metrics(struct metric_set *m, int take, const struct kam_config *cfg, struct score_set **out,
			char **cause)
{
	struct score_set *s = xcalloc(1, sizeof *s);
	s->cfg = cfg;
	s->metrics = m;
	s->owns_metrics = take;
	s->rules_hash = cfg->rules_hash;
	s->computed = (int64_t)time(NULL);
	size_t n = 0;
	for (uint64_t id = 0; id <= m->max_id; id++)
		n += m->present[id] == 1;
	s->acc = xcalloc(n ? n : 1, sizeof *s->acc);
	struct criterion_score *crit = xcalloc(cfg->criteria.n ? (size_t)cfg->criteria.n : 1, sizeof *crit);
	double wsum = weight_sum(cfg);
	struct group gx, gy;
	group_resolve(cfg, &cfg->quadrant.x, &gx);
	group_resolve(cfg, &cfg->quadrant.y, &gy);
	for (uint64_t id = 0; id <= m->max_id; id++) {
		if (m->present[id] != 1)
			continue;
		struct account_score *a = &s->acc[s->n++];
		a->account_id = id;
		a->revenue = metrics_row(m, id)[M_REVENUE].num;
		score_account(cfg, wsum, &gx, &gy, metrics_row(m, id), crit, a);
		if (a->tier >= 0 && a->tier < 16)
			s->tier_count[a->tier]++;
	}
	free(crit);
	assign_abc(cfg, s);
	assign_allocation(cfg, s);
	(void)cause;
	*out = s;
	return 0;
}

void score_criteria(const struct score_set *s, const struct account_score *a, struct criterion_score *out)
{
	criteria_points(s->cfg, weight_sum(s->cfg), metrics_row(s->metrics, a->account_id), out);
}

int rules_score_all(struct store *st, const struct kam_config *cfg, struct score_set **out, char **cause)
{
	struct metric_set *m;
	int r = metrics_compute(st, cfg, conf_plan_year(cfg), date_today(), &m, cause);
	if (r < 0) {
		*out = NULL;
		return r;
	}
	r = rules_score_metrics(m, 1, cfg, out, cause);
	if (r < 0)
		metrics_free(m);
	return r;
}

const struct account_score *score_set_get(const struct score_set *s, uint64_t account_id)
{
	size_t lo = 0, hi = s ? s->n : 0;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (s->acc[mid].account_id < account_id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return s && lo < s->n && s->acc[lo].account_id == account_id ? &s->acc[lo] : NULL;
}

void score_set_free(struct score_set *s)
{
	if (!s)
		return;
	free(s->acc);
	if (s->owns_metrics)
		metrics_free(s->metrics);
	free(s);
}

const char *rules_tier_id(const struct kam_config *cfg, int tier)
{
	if (tier < 0 || tier >= cfg->tiers.n)
		return "-";
	return CONF_MAP_AT(cfg->tiers, struct tier, tier)->head.id;
}

const char *rules_quadrant_label(const struct kam_config *cfg, enum quadrant q)
{
	const char *code = conf_quadrant_codes[q];
	for (int i = 0; i < cfg->quadrant.labels.n; i++) {
		const struct conf_label *l = CONF_MAP_AT(cfg->quadrant.labels, struct conf_label, i);
		if (strcmp(l->head.id, code) == 0) {
			const char *s = cfg->lang == 1 ? l->zh : l->en;
			return s ? s : code;
		}
	}
	return code;
}

static void format_number(double d, struct buf *b)
{
	if (fabs(d - round(d)) < 1e-9 && fabs(d) < 1e15)
		buf_addf(b, "%.0f", d);
	else
		buf_addf(b, "%.1f", d);
}

char *rules_format_value(const struct expr_value *v, enum value_format f)
{
	struct buf b = {0};
	buf_adds(&b, "");
	if (v->type == ET_BOOL) {
		buf_adds(&b, v->num ? "yes" : "no");
	} else if (v->type == ET_STR) {
		buf_adds(&b, v->str ? v->str : "-");
	} else if (v->type == ET_DATE) {
		format_date(days_to_date((int64_t)v->num), &b);
	} else {
		switch (f) {
		case VFMT_MONEY:
			format_money_short((int64_t)llround(v->num * 100.0), &b);
			break;
		case VFMT_PERCENT:
			buf_addf(&b, "%.1f%%", v->num);
			break;
		case VFMT_DAYS:
			buf_addf(&b, "%.0f days", v->num);
			break;
		default:
			format_number(v->num, &b);
			break;
		}
	}
	return buf_steal(&b);
}

char *rules_explain(const struct kam_config *cfg, int crit, const struct criterion_score *cs)
{
	const struct criterion *c = CONF_MAP_AT(cfg->criteria, struct criterion, crit);
	struct buf b = {0};
	buf_adds(&b, "");
	for (const char *p = c->explain ? c->explain : ""; *p; p++) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (!end) {
			buf_addc(&b, *p);
			continue;
		}
		size_t n = (size_t)(end - p - 1);
		if (n == 5 && strncmp(p + 1, "value", 5) == 0) {
			char *v = rules_format_value(&cs->value, c->format);
			buf_adds(&b, v);
			free(v);
		} else if (n == 7 && strncmp(p + 1, "percent", 7) == 0) {
			buf_addf(&b, "%.0f%%", cs->percent);
		} else if (n == 6 && strncmp(p + 1, "points", 6) == 0) {
			buf_addf(&b, "%.1f", cs->points);
		} else if (n == 6 && strncmp(p + 1, "weight", 6) == 0) {
			format_number(c->weight, &b);
		} else if (n == 5 && strncmp(p + 1, "label", 5) == 0) {
			buf_adds(&b, cfg->lang == 1 && c->zh ? c->zh : c->en ? c->en : c->head.id);
		} else {
			buf_add(&b, p, n + 2); /* unknown placeholder: left as written */
		}
		p = end;
	}
	return buf_steal(&b);
}

/* ---- stored scores ----------------------------------------------------------- */

static void id_key(unsigned char k[8], uint64_t id)
{
	for (int i = 7; i >= 0; i--, id >>= 8)
		k[i] = (unsigned char)id;
}

int rules_store_scores(struct store *st, const struct score_set *s, char **cause)
{
	struct txn *t;
	int r = store_begin(st, 1, &t);
	if (r < 0)
		return set_cause(cause, r, "storing scores: %s", kam_strerror(r));
	char line[160];
	for (size_t i = 0; i < s->n && r == 0; i++) {
		const struct account_score *a = &s->acc[i];
		unsigned char k[8];
		id_key(k, a->account_id);
		int n = snprintf(line, sizeof line, "%016llx %lld %.1f %s %s %c", (unsigned long long)s->rules_hash,
				 (long long)s->computed, a->score, rules_tier_id(s->cfg, a->tier),
				 conf_quadrant_codes[a->quadrant], a->abc);
		r = store_kv_put(t, "score", k, 8, line, (size_t)n);
	}
	if (r == 0) {
		int n = snprintf(line, sizeof line, "%016llx %lld", (unsigned long long)s->rules_hash,
				 (long long)s->computed);
		r = store_kv_put(t, "score", "hash", 4, line, (size_t)n);
	}
	if (r < 0) {
		store_abort(t);
		return set_cause(cause, r, "storing scores: %s", kam_strerror(r));
	}
	return store_commit(t, cause);
}

int rules_scores_fresh(struct store *st, const struct kam_config *cfg)
{
	struct txn *t;
	if (store_begin(st, 0, &t) < 0)
		return 0;
	void *val = NULL;
	size_t len = 0;
	int fresh = 0;
	if (store_kv_get(t, "score", "hash", 4, &val, &len) == 0 && len >= 16) {
		char want[17];
		snprintf(want, sizeof want, "%016llx", (unsigned long long)cfg->rules_hash);
		fresh = memcmp(val, want, 16) == 0;
	}
	free(val);
	store_abort(t);
	return fresh;
}
