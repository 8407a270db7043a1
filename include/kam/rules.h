#ifndef KAM_RULES_H
#define KAM_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"

/* Explainable key-account scoring. Metrics are computed for every account in
 * one pass per entity, then each criterion of kam.yaml turns its metric
 * expression into points; the sum is the score 0-100, which gives the tier.
 * Two criterion groups give the quadrant, cumulative revenue the ABC class,
 * and score plus revenue the relative value and recommended allocation. */

/* ---- expressions (src/rules/expr.c) ------------------------------------ */

enum expr_type { ET_NUM, ET_STR, ET_BOOL, ET_DATE, ET_LIST };

struct expr_value {
	enum expr_type type;
	double num;      /* ET_NUM, ET_BOOL (0/1), ET_DATE (days since 1970) */
	const char *str; /* ET_STR: borrowed */
};

/* Compile `src`. On error returns KAM_EINVAL, *errpos = 0-based byte offset
 * in src, *cause = message. The result type is in *type. */
int expr_compile(const char *src, struct expr **out, enum expr_type *type, size_t *errpos, char **cause);
void expr_free(struct expr *e);
struct expr *expr_clone(const struct expr *e);
enum expr_type expr_result_type(const struct expr *e);
/* Metric ids the expression reads (bitmask over enum metric_id). */
uint64_t expr_metrics(const struct expr *e);
/* One account's value of one metric: its type is the metric's own
 * (metric_defs), so a row of them needs no type tags. */
union metric_value {
	double num;      /* NUM, BOOL (0/1) */
	const char *str; /* STR: borrowed, NULL when unset */
};
/* Evaluate against one account's metric values (indexed by metric id).
 * Division by zero gives 0, so a rule never fails at run time. */
struct expr_value expr_eval(const struct expr *e, const union metric_value *metrics);

/* ---- metrics (src/rules/metrics.c) ------------------------------------- */

#define KAM_METRICS(X)                                                                                                 \
	X(M_REVENUE, "revenue", NUM, "our revenue in the plan year")                                                   \
	X(M_REVENUE_PREV, "revenue_prev", NUM, "our revenue the year before the plan year")                            \
	X(M_REVENUE_3Y, "revenue_3y", NUM, "our revenue over the plan year and the two before")                        \
	X(M_BUDGET, "budget", NUM, "the customer's budget in the plan year")                                           \
	X(M_BUDGET_3Y, "budget_3y", NUM, "the customer's budget over three years")                                     \
	X(M_MARGIN, "margin", NUM, "our margin percent in the plan year")                                              \
	X(M_MARGIN_3Y, "margin_3y", NUM, "revenue-weighted margin percent over three years")                           \
	X(M_BUYING_YEARS, "buying_years", NUM, "consecutive years with revenue up to the plan year")                   \
	X(M_GROWTH, "growth", NUM, "revenue growth plan year over the year before, percent")                           \
	X(M_SHARE_OF_WALLET, "share_of_wallet", NUM, "revenue / customer budget, plan year, percent")                  \
	X(M_PIPELINE, "pipeline", NUM, "open opportunity amount of the plan year")                                     \
	X(M_WEIGHTED_PIPELINE, "weighted_pipeline", NUM, "open amount x win probability, plan year")                   \
	X(M_STRATEGIC_OPPS, "strategic_opps", NUM, "strategic-product opportunities of the plan year")                 \
	X(M_PROCUREMENT, "procurement", STR, "procurement mode")                                                       \
	X(M_POSITION, "position", STR, "industry position")                                                            \
	X(M_SCALE, "scale", STR, "scale band")                                                                         \
	X(M_EMPLOYEES, "employees", NUM, "number of employees")                                                        \
	X(M_INDUSTRY, "industry", STR, "industry")                                                                     \
	X(M_PROVINCE, "province", STR, "province")                                                                     \
	X(M_STAGE, "stage", STR, "relationship stage")                                                                 \
	X(M_KEY_FLAG, "key", BOOL, "flagged as key account")                                                           \
	X(M_STRATEGIC_FLAG, "strategic", BOOL, "flagged as strategic account")                                         \
	X(M_KEY_CONTACTS, "key_contacts", NUM, "key contacts")                                                         \
	X(M_DECISION_MAKERS, "decision_makers", NUM, "contacts who are economic buyer or decision maker")              \
	X(M_AB_COVERAGE, "ab_coverage", NUM, "key contacts with distinct A and B owners, percent")                     \
	X(M_DAYS_SINCE_DM, "days_since_dm", NUM, "days since the last activity with a decision maker (9999: never)")   \
	X(M_PRIVATE_RATIO, "private_ratio", NUM, "private visits among visits of the last 90 days, percent")           \
	X(M_ACTIVITIES_90D, "activities_90d", NUM, "activities done or planned in the last 90 days")                   \
	X(M_OPEN_COMPLAINTS, "open_complaints", NUM, "complaints not resolved")                                        \
	X(M_CHILDREN, "children", NUM, "direct subsidiaries and branches")                                             \
	X(M_GROUP_REVENUE, "group_revenue", NUM, "plan-year revenue of the account and everything below it")           \
	X(M_GROUP_PIPELINE, "group_pipeline", NUM, "plan-year pipeline of the account and everything below it")

#define KAM_METRIC_ENUM(id, name, type, help) id,
enum metric_id { KAM_METRICS(KAM_METRIC_ENUM) M__COUNT };
#undef KAM_METRIC_ENUM

struct metric_def {
	const char *name;
	enum expr_type type;
	const char *help;
};
extern const struct metric_def metric_defs[M__COUNT];
int metric_lookup(const char *name); /* id or -1 */

/* All metrics of all accounts, computed in one scan per entity. Indexed by
 * account id (dense: ids come from a counter). Money in currency units. */
struct metric_set {
	uint64_t max_id;        /* arrays have max_id + 1 rows */
	unsigned char *present; /* 1: account exists, 2: exists but archived (not scored) */
	union metric_value *v;  /* (max_id + 1) * M__COUNT */
	const char **names;     /* display names, for output; NULL when absent */
	uint64_t *parent;
	int year;
	struct str_chunk *strings; /* storage names and STR values point into */
	size_t v_mapped;           /* v is a mapping of this many bytes (0: malloc'd) */
};
/* year: the plan year; today: yyyymmdd; cfg for stage probabilities and
 * the private-visit window. */
int metrics_compute(struct store *st, const struct kam_config *cfg, int year, int64_t today, struct metric_set **out,
		    char **cause);
/* metrics_compute from a chosen source: METRICS_AUTO is the facts when the
 * database has them, else the records; METRICS_FACTS fails with
 * KAM_ENOTFOUND without them; METRICS_SCAN always scans the records (the
 * fallback, kept for old databases and to check the facts against). */
enum metrics_source { METRICS_AUTO, METRICS_FACTS, METRICS_SCAN };
int metrics_compute_from(struct store *st, const struct kam_config *cfg, int year, int64_t today,
			 enum metrics_source src, struct metric_set **out, char **cause);
void metrics_free(struct metric_set *m);
static inline const union metric_value *metrics_row(const struct metric_set *m, uint64_t id)
{
	return &m->v[id * M__COUNT];
}

/* ---- scores (src/rules/score.c) ---------------------------------------- */

struct criterion_score {
	struct expr_value value; /* metric value */
	double percent;          /* 0..100 of the weight earned */
	double points;           /* contribution to the score */
};

struct account_score {
	uint64_t account_id;
	double score; /* 0..100 */
	int tier;     /* index into cfg->tiers (sorted by min desc) */
	enum quadrant quadrant;
	double x, y;           /* quadrant group percentages */
	char abc;              /* 'A', 'B' or 'C' */
	double revenue;        /* plan-year revenue */
	double relative_value; /* 1.0 = average account */
	double visit_share;    /* percent of the visit hours */
	double visit_hours;
	double budget; /* recommended brand budget, currency units */
};

struct score_set {
	const struct kam_config *cfg; /* borrowed: must outlive the set */
	struct metric_set *metrics;
	int owns_metrics;          /* score_set_free frees them */
	struct account_score *acc; /* sorted by account id */
	size_t n;
	uint64_t rules_hash;
	int64_t computed; /* unix seconds */
	int tier_count[16];
};

/* Score every (non-archived) account. The set owns the metrics. */
int rules_score_all(struct store *st, const struct kam_config *cfg, struct score_set **out, char **cause);
/* Score metrics computed before (what-if, another config): no store
 * access. The set borrows m unless take is set, when it frees them. */
int rules_score_metrics(struct metric_set *m, int take, const struct kam_config *cfg, struct score_set **out,
			char **cause);
const struct account_score *score_set_get(const struct score_set *s, uint64_t account_id);
/* The per-criterion breakdown of one scored account, recomputed from the
 * set's metrics (only an explanation needs it, so no set keeps it for
 * every account): out has cfg->criteria.n entries. */
void score_criteria(const struct score_set *s, const struct account_score *a, struct criterion_score *out);
void score_set_free(struct score_set *s);

/* Tier id / label of a score's tier; quadrant label in the configured language. */
const char *rules_tier_id(const struct kam_config *cfg, int tier);
const char *rules_quadrant_label(const struct kam_config *cfg, enum quadrant q);
/* The criterion's explanation template filled in ("{value}" etc.). Caller frees. */
char *rules_explain(const struct kam_config *cfg, int crit, const struct criterion_score *cs);
/* Format a metric value as the criterion's format says. Caller frees. */
char *rules_format_value(const struct expr_value *v, enum value_format f);

/* Stored scores: ns "score", key = account id (8 bytes BE), value = a small
 * record with rules hash, timestamp, score, tier, quadrant, abc. Plus key
 * "hash" with the rules hash of the last full rescoring. */
int rules_store_scores(struct store *st, const struct score_set *s, char **cause);
/* 1 when the stored scores were computed with cfg's rules, 0 when stale or absent. */
int rules_scores_fresh(struct store *st, const struct kam_config *cfg);

#endif
