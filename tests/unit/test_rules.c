/* Metrics on hand-made records in a temporary LMDB, and what the rules make
 * of them: points, tiers, quadrant, ABC, relative value, stored scores. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/rules.h"
#include "unit/fixture.h"

/* add(st, "entity", "field=value", ..., NULL): insert one record, returns its id. */
#define add(st, ent, ...) fixture_put(st, ent, 0, (const char *const[]){__VA_ARGS__})

/* Accounts:
 *  1 group: 3 years of revenue, centralized leader, 2 DMs, visits;
 *  2 its branch: 2 years; 3 grandchild branch: 1 year; 4 no revenue,
 *  archived 5. Plan year 2026, today 2026-11-23. */
static int setup(void **state)
{
	setenv("KAM_TODAY", "2026-11-23", 1);
	setenv("KAM_USER", "tester", 1);
	fixture_setup(state);
	struct fixture *fx = *state;
	struct store *st = fx->st;
	add(st, "staff", "name=A", NULL);
	add(st, "staff", "name=B", NULL);
	add(st, "account", "name=Group", "industry=carrier", "scale=xl", "position=leader", "procurement=centralized",
	    "province=北京", "employees=5000", "key=true", NULL);
	add(st, "account", "name=Branch", "parent=1", "scale=l", "procurement=mixed", NULL);
	add(st, "account", "name=City", "parent=2", "scale=m", NULL);
	add(st, "account", "name=Lone", "scale=s", NULL);
	add(st, "account", "name=Old", "archived=true", NULL);
	add(st, "account_year", "account=1", "year=2024", "budget=100", "revenue=40", "margin=10", NULL);
	add(st, "account_year", "account=1", "year=2025", "budget=100", "revenue=50", "margin=20", NULL);
	add(st, "account_year", "account=1", "year=2026", "budget=200", "revenue=60", "margin=30", NULL);
	add(st, "account_year", "account=1", "year=2020", "budget=10", "revenue=10", NULL); /* gap before 2024 */
	add(st, "account_year", "account=2", "year=2024", "revenue=5", NULL);
	add(st, "account_year", "account=2", "year=2025", "revenue=20", NULL); /* 2026 not booked yet */
	add(st, "account_year", "account=3", "year=2026", "revenue=10", "budget=40", NULL);
	add(st, "account_year", "account=5", "year=2026", "revenue=1000", NULL); /* archived */
	add(st, "opportunity", "account=1", "year=2026", "title=o1", "amount=100", "stage=proposal", "strategic=true",
	    NULL);
	add(st, "opportunity", "account=1", "year=2026", "title=o2", "amount=50", "probability=80", NULL);
	add(st, "opportunity", "account=1", "year=2026", "title=o3", "amount=70", "status=won", "strategic=true", NULL);
	add(st, "opportunity", "account=1", "year=2026", "title=o4", "amount=70", "status=lost", "strategic=true",
	    NULL);
	add(st, "opportunity", "account=1", "year=2027", "title=o5", "amount=999", "strategic=true", NULL);
	add(st, "opportunity", "account=3", "year=2026", "title=o6", "amount=30", "stage=commit", NULL);
	add(st, "contact", "name=c1", NULL);
	add(st, "contact", "name=c2", NULL);
	add(st, "contact", "name=c3", NULL);
	add(st, "contact", "name=c4", NULL);
	add(st, "account_contact", "account=1", "contact=1", "role=decision_maker", "key=true", "owner_a=1",
	    "owner_b=2", NULL);
	add(st, "account_contact", "account=1", "contact=2", "role=economic_buyer", "key=true", "owner_a=1", NULL);
	add(st, "account_contact", "account=1", "contact=3", "role=technical", "key=true", "owner_a=1", "owner_b=2",
	    NULL);
	add(st, "account_contact", "account=1", "contact=4", "role=decision_maker", "end=2025-01-01", NULL); /* ended */
	add(st, "account_contact", "account=2", "contact=1", "role=user", NULL); /* c1 is no DM at 2 */
	add(st, "activity", "account=1", "type=office_visit", "date=2026-11-20", "contacts=3", NULL);
	add(st, "activity", "account=1", "type=private_visit", "date=2026-11-03", "contacts=3;1", NULL);
	add(st, "activity", "account=1", "type=private_visit", "date=2026-11-25", "contacts=2", NULL); /* future */
	add(st, "activity", "account=1", "type=executive_visit", "date=2026-11-10", "contacts=2", "status=cancelled",
	    NULL);
	add(st, "activity", "account=1", "type=call", "date=2026-11-22", "contacts=4", NULL); /* ended DM */
	add(st, "activity", "account=1", "type=office_visit", "date=2026-06-01", NULL);       /* outside 90 days */
	add(st, "activity", "account=2", "type=office_visit", "date=2026-11-21", "contacts=1", NULL);
	add(st, "complaint", "account=3", "opened=2026-10-01", "status=open", NULL);
	add(st, "complaint", "account=3", "opened=2026-09-01", "status=in_progress", NULL);
	add(st, "complaint", "account=3", "opened=2026-08-01", "status=resolved", NULL);
	add(st, "complaint", "account=4", "opened=2026-08-01", NULL);
	return 0;
}

static struct kam_config *defaults(void)
{
	struct kam_config *cfg;
	assert_int_equal(conf_load_defaults(&cfg, NULL), 0);
	return cfg;
}

#define NUM(m, id, metric) (metrics_row(m, id)[metric].num)
#define CLOSE(a, b) assert_true(fabs((a) - (b)) < 1e-6)

static void test_metrics_money_and_history(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg = defaults();
	struct metric_set *m;
	assert_int_equal(metrics_compute(fx->st, cfg, 2026, 20261123, &m, NULL), 0);
	assert_int_equal(m->max_id, 5);
	assert_int_equal(m->present[5], 2); /* archived */
	CLOSE(NUM(m, 1, M_REVENUE), 60);
	CLOSE(NUM(m, 1, M_REVENUE_PREV), 50);
	CLOSE(NUM(m, 1, M_REVENUE_3Y), 150);
	CLOSE(NUM(m, 1, M_BUDGET), 200);
	CLOSE(NUM(m, 1, M_BUDGET_3Y), 400);
	CLOSE(NUM(m, 1, M_MARGIN), 30);
	CLOSE(NUM(m, 1, M_MARGIN_3Y), (40.0 * 10 + 50 * 20 + 60 * 30) / 150);
	CLOSE(NUM(m, 1, M_GROWTH), 20);
	CLOSE(NUM(m, 1, M_SHARE_OF_WALLET), 30);
	CLOSE(NUM(m, 1, M_BUYING_YEARS), 3); /* 2024-2026; 2020 is not consecutive */
	CLOSE(NUM(m, 2, M_BUYING_YEARS), 2); /* 2026 not booked: counts 2025, 2024 */
	CLOSE(NUM(m, 2, M_GROWTH), -100);
	CLOSE(NUM(m, 3, M_BUYING_YEARS), 1);
	CLOSE(NUM(m, 4, M_BUYING_YEARS), 0);
	CLOSE(NUM(m, 4, M_SHARE_OF_WALLET), 0); /* no budget: 0, not a division by zero */
	metrics_free(m);
	conf_free(cfg);
}

static void test_metrics_pipeline(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg = defaults();
	struct metric_set *m;
	assert_int_equal(metrics_compute(fx->st, cfg, 2026, 20261123, &m, NULL), 0);
	CLOSE(NUM(m, 1, M_PIPELINE), 150);                           /* open o1 + o2 */
	CLOSE(NUM(m, 1, M_WEIGHTED_PIPELINE), 100 * 0.5 + 50 * 0.8); /* stage default 50%, explicit 80% */
	CLOSE(NUM(m, 1, M_STRATEGIC_OPPS), 2);                       /* o1, o3 (won); not lost o4, not 2027 */
	CLOSE(NUM(m, 3, M_WEIGHTED_PIPELINE), 27);                   /* commit: 90% */
	metrics_free(m);
	conf_free(cfg);
}

static void test_metrics_profile_contacts_activities(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg = defaults();
	struct metric_set *m;
	assert_int_equal(metrics_compute(fx->st, cfg, 2026, 20261123, &m, NULL), 0);
	const union metric_value *g = metrics_row(m, 1);
	assert_string_equal(g[M_PROCUREMENT].str, "centralized");
	assert_string_equal(g[M_POSITION].str, "leader");
	assert_string_equal(g[M_SCALE].str, "xl");
	assert_string_equal(g[M_INDUSTRY].str, "carrier");
	assert_string_equal(g[M_PROVINCE].str, "北京");
	assert_null(metrics_row(m, 4)[M_PROCUREMENT].str);
	CLOSE(g[M_EMPLOYEES].num, 5000);
	CLOSE(g[M_KEY_FLAG].num, 1);
	CLOSE(g[M_STRATEGIC_FLAG].num, 0);
	CLOSE(g[M_KEY_CONTACTS].num, 3);
	CLOSE(g[M_DECISION_MAKERS].num, 2);      /* c4's role ended */
	CLOSE(g[M_AB_COVERAGE].num, 200.0 / 3);  /* c1 and c3 of three key contacts */
	CLOSE(g[M_DAYS_SINCE_DM].num, 20);       /* 2026-11-03 with c1; not the future, cancelled or ended ones */
	CLOSE(NUM(m, 2, M_DAYS_SINCE_DM), 9999); /* c1 is no DM of account 2 */
	CLOSE(g[M_ACTIVITIES_90D].num, 3);       /* 11-20, 11-03, 11-22 */
	CLOSE(g[M_PRIVATE_RATIO].num, 50);       /* 1 private of 2 visits (a call is no visit) */
	CLOSE(NUM(m, 3, M_OPEN_COMPLAINTS), 2);
	CLOSE(NUM(m, 4, M_OPEN_COMPLAINTS), 1); /* no status, no resolved date: open */
	metrics_free(m);
	conf_free(cfg);
}

static void test_metrics_hierarchy(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg = defaults();
	struct metric_set *m;
	assert_int_equal(metrics_compute(fx->st, cfg, 2026, 20261123, &m, NULL), 0);
	CLOSE(NUM(m, 1, M_CHILDREN), 1);
	CLOSE(NUM(m, 2, M_CHILDREN), 1);
	CLOSE(NUM(m, 3, M_CHILDREN), 0);
	CLOSE(NUM(m, 1, M_GROUP_REVENUE), 60 + 0 + 10);
	CLOSE(NUM(m, 2, M_GROUP_REVENUE), 10);
	CLOSE(NUM(m, 1, M_GROUP_PIPELINE), 150 + 30);
	assert_string_equal(m->names[3], "City");
	metrics_free(m);
	conf_free(cfg);
}

/* A small rule set whose arithmetic is easy to follow. */
static const char small_rules[] =
    "criteria:\n"
    "  product_fit: {weight: 0}\n  centralized: {weight: 0}\n  continuity: {weight: 0}\n"
    "  scale_match: {weight: 0}\n  position: {weight: 0}\n  bargaining: {weight: 0}\n"
    "  margin: {weight: 0}\n  revenue: {weight: 0}\n  strategic_fit: {weight: 0}\n"
    "  years:\n    en: Years\n    weight: 50\n    metric: buying_years\n    method: thresholds\n"
    "    thresholds: [[1, 30], [3, 100], [2, 60]]\n    explain: \"{value} years, {percent} of {weight}\"\n"
    "  big:\n    en: Big\n    weight: 30\n    metric: \"scale in ['xl', 'l']\"\n    method: boolean\n    explain: "
    "\"big {value}\"\n"
    "  wallet:\n    en: Wallet\n    weight: 20\n    metric: share_of_wallet\n    method: linear\n    low: 0\n    high: "
    "40\n"
    "    explain: \"{value} share\"\n    format: percent\n"
    "quadrant:\n  x: [years]\n  y: [big, wallet]\n  x_split: 50\n  y_split: 50\n"
    "tiers:\n  strategic: {min: 90}\n  key: {min: 60}\n  develop: {min: 30}\n  maintain: {min: 0}\n"
    "allocation: {score_weight: 50, revenue_weight: 50, visit_hours: 1000, brand_budget: 10000}\n";

static void test_scores_tiers_quadrant(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg;
	char *cause = NULL;
	if (conf_load_text("small.yaml", small_rules, sizeof small_rules - 1, &cfg, &cause))
		fail_msg("%s", cause);
	struct score_set *s;
	assert_int_equal(rules_score_all(fx->st, cfg, &s, NULL), 0);
	assert_int_equal(s->n, 4); /* archived account 5 not scored */
	assert_null(score_set_get(s, 5));
	const struct account_score *a1 = score_set_get(s, 1), *a2 = score_set_get(s, 2);
	const struct account_score *a3 = score_set_get(s, 3), *a4 = score_set_get(s, 4);
	int years = 9, big = 10, wallet = 11;
	struct criterion_score c1[12], c2[12];
	assert_int_equal(cfg->criteria.n, 12);
	score_criteria(s, a1, c1);
	score_criteria(s, a2, c2);
	/* 1: 3 years -> 100% of 50; xl -> 30; wallet 30% of 40 -> 75% of 20 = 15. */
	CLOSE(c1[years].percent, 100);
	CLOSE(c1[big].points, 30);
	CLOSE(c1[wallet].points, 15);
	CLOSE(c1[0].points, 0);
	CLOSE(a1->score, 95);
	assert_string_equal(rules_tier_id(cfg, a1->tier), "strategic");
	/* 2: 2 years -> 60% of 50 = 30; l -> 30; no budget -> 0: 60 = key exactly. */
	CLOSE(a2->score, 60);
	assert_string_equal(rules_tier_id(cfg, a2->tier), "key");
	/* 3: 1 year -> 30% = 15; m; wallet 25% of 40 -> 62.5% of 20 = 12.5. */
	CLOSE(a3->score, 27.5);
	assert_string_equal(rules_tier_id(cfg, a3->tier), "maintain");
	CLOSE(a4->score, 0);
	assert_int_equal(s->tier_count[0], 1);
	assert_int_equal(s->tier_count[1], 1);
	assert_int_equal(s->tier_count[3], 2);
	/* Quadrant: x = years group, y = big + wallet (of 50 points). */
	CLOSE(a1->x, 100);
	CLOSE(a1->y, 90);
	assert_int_equal(a1->quadrant, QUAD_STRATEGIC);
	CLOSE(a2->x, 60);
	CLOSE(a2->y, 60);
	assert_int_equal(a2->quadrant, QUAD_STRATEGIC);
	CLOSE(a3->x, 30);
	CLOSE(a3->y, 25);
	assert_int_equal(a3->quadrant, QUAD_TRANSACTIONAL);
	assert_int_equal(a4->quadrant, QUAD_TRANSACTIONAL);
	char *why = rules_explain(cfg, years, &c2[years]);
	assert_string_equal(why, "2 years, 60% of 50");
	free(why);
	why = rules_explain(cfg, wallet, &c1[wallet]);
	assert_string_equal(why, "30.0% share");
	free(why);
	why = rules_explain(cfg, big, &c1[big]);
	assert_string_equal(why, "big yes");
	free(why);
	score_set_free(s);
	conf_free(cfg);
}

static void test_abc_and_relative_value(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg;
	assert_int_equal(conf_load_text("small.yaml", small_rules, sizeof small_rules - 1, &cfg, NULL), 0);
	struct score_set *s;
	assert_int_equal(rules_score_all(fx->st, cfg, &s, NULL), 0);
	const struct account_score *a1 = score_set_get(s, 1), *a2 = score_set_get(s, 2);
	const struct account_score *a3 = score_set_get(s, 3), *a4 = score_set_get(s, 4);
	/* Revenue 2026: 60, 0, 10, 0 of 70. Account 1 starts at 0% -> A; 3 starts
	 * at 85.7% -> B (under 95); no revenue -> C. */
	assert_int_equal(a1->abc, 'A');
	assert_int_equal(a3->abc, 'B');
	assert_int_equal(a2->abc, 'C');
	assert_int_equal(a4->abc, 'C');
	/* Relative value: 0.5 * score / avg score + 0.5 * revenue / avg revenue.
	 * avg score = (95 + 60 + 27.5 + 0) / 4, avg revenue = 70 / 4. */
	double as = (95 + 60 + 27.5) / 4, ar = 70.0 / 4;
	CLOSE(a1->relative_value, 0.5 * 95 / as + 0.5 * 60 / ar);
	CLOSE(a4->relative_value, 0);
	double sum = 0, hours = 0;
	for (size_t i = 0; i < s->n; i++) {
		sum += s->acc[i].relative_value;
		hours += s->acc[i].visit_hours;
	}
	CLOSE(sum, 4); /* average 1.0 */
	CLOSE(hours, 1000);
	CLOSE(a1->visit_share, 100 * a1->relative_value / 4);
	CLOSE(a1->budget, 10000 * a1->visit_share / 100);
	score_set_free(s);
	conf_free(cfg);
}

static void test_what_if_rescore_and_store(void **state)
{
	struct fixture *fx = *state;
	struct kam_config *cfg, *alt;
	assert_int_equal(conf_load_text("small.yaml", small_rules, sizeof small_rules - 1, &cfg, NULL), 0);
	assert_int_equal(conf_load_text("small.yaml", small_rules, sizeof small_rules - 1, &alt, NULL), 0);
	assert_int_equal(conf_set(alt, "tiers.key=61", NULL), 0);
	struct score_set *s, *w;
	assert_int_equal(rules_score_all(fx->st, cfg, &s, NULL), 0);
	assert_int_equal(rules_score_metrics(s->metrics, 0, alt, &w, NULL), 0);
	assert_string_equal(rules_tier_id(alt, score_set_get(w, 2)->tier), "develop");
	assert_int_equal(rules_scores_fresh(fx->st, cfg), 0);
	assert_int_equal(rules_store_scores(fx->st, s, NULL), 0);
	assert_int_equal(rules_scores_fresh(fx->st, cfg), 1);
	assert_int_equal(rules_scores_fresh(fx->st, alt), 0); /* rules changed: stale */
	struct txn *t;
	void *val;
	size_t len;
	unsigned char key[8] = {0, 0, 0, 0, 0, 0, 0, 1};
	assert_int_equal(store_begin(fx->st, 0, &t), 0);
	assert_int_equal(store_kv_get(t, "score", key, 8, &val, &len), 0);
	char *text = xstrndup(val, len);
	char want[64];
	snprintf(want, sizeof want, "%016llx ", (unsigned long long)cfg->rules_hash);
	assert_memory_equal(text, want, 17);
	assert_non_null(strstr(text, " 95.0 strategic strategic A"));
	free(text);
	free(val);
	store_abort(t);
	score_set_free(w);
	score_set_free(s);
	conf_free(alt);
	conf_free(cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_metrics_money_and_history),
	    cmocka_unit_test(test_metrics_pipeline),
	    cmocka_unit_test(test_metrics_profile_contacts_activities),
	    cmocka_unit_test(test_metrics_hierarchy),
	    cmocka_unit_test(test_scores_tiers_quadrant),
	    cmocka_unit_test(test_abc_and_relative_value),
	    cmocka_unit_test(test_what_if_rescore_and_store),
	};
	return cmocka_run_group_tests(tests, setup, fixture_teardown);
}
