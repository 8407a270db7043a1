/* kam.yaml loader: built-in defaults, every rejection with its exact message
 * and position, overrides, dump round trip, what-if edits, discovery. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "kam/conf.h"
#include "kam/err.h"

/* Load defaults + text; returns the error text (caller frees) or NULL. */
static char *load_err(const char *text)
{
	struct kam_config *cfg = NULL;
	char *cause = NULL;
	int r = conf_load_text("t.yaml", text, strlen(text), &cfg, &cause);
	conf_free(cfg);
	if (r == 0) {
		free(cause);
		return NULL;
	}
	assert_int_equal(r, KAM_EINVAL);
	assert_non_null(cause);
	return cause;
}

static int count_errors(const char *s)
{
	int n = 0;
	for (const char *p = s; (p = strstr(p, ": error: ")) != NULL; p++)
		n++;
	return n;
}

/* The error text must contain `want` (a whole message line). */
static void expect_error(const char *text, const char *want)
{
	char *e = load_err(text);
	if (!e)
		fail_msg("accepted: %s", text);
	if (!strstr(e, want))
		fail_msg("want \"%s\"\ngot:\n%s", want, e);
	free(e);
}

/* The repository root, found from the test binary (tests run in a temporary
 * directory), else from the working directory. */
static char *repo_file(const char *rel)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0 || !strstr(exe, "/build/"))
		n = getcwd(exe, sizeof exe - 1) ? (ssize_t)strlen(exe) : 0;
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	strcat(exe, "/x");
	for (char *slash; (slash = strrchr(exe, '/')) != NULL;) {
		*slash = '\0';
		char *p = xasprintf("%s/%s", exe, rel);
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	return NULL;
}

static void test_defaults_load(void **state)
{
	(void)state;
	struct kam_config *cfg;
	char *cause = NULL;
	assert_int_equal(conf_load_defaults(&cfg, &cause), 0);
	assert_null(cause);
	assert_int_equal(cfg->criteria.n, 9);
	assert_int_equal(cfg->tiers.n, 4);
	/* Tiers sorted by min, highest first. */
	assert_string_equal(CONF_MAP_AT(cfg->tiers, struct tier, 0)->head.id, "strategic");
	assert_string_equal(CONF_MAP_AT(cfg->tiers, struct tier, 3)->head.id, "maintain");
	assert_int_equal(cfg->abc.a, 80);
	assert_int_equal(cfg->checks.complaint_sla[3], 2);
	const struct conf_label *l = conf_enum_value(cfg, kam_enum_activity_type, "exhibition");
	assert_non_null(l);
	assert_true(l->brand);
	assert_int_equal(l->cost, 200000);
	assert_int_equal(conf_enum_value(cfg, kam_enum_opp_stage, "proposal")->probability, 50);
	assert_string_equal(conf_enum_label(cfg, kam_enum_industry, "bank"), "Bank");
	assert_string_equal(conf_keys(cfg, "down")->v[0], "j");
	assert_string_equal(conf_colour(cfg, "status"), "black cyan");
	assert_int_equal(conf_columns(cfg, "accounts")->n, 10);
	assert_int_equal(conf_plan_year(cfg), (int)(date_today() / 10000));
	conf_free(cfg);
}

/* The built-in defaults are exactly the shipped file. */
static void test_defaults_equal_shipped_file(void **state)
{
	(void)state;
	char *path = repo_file("config/kam.yaml");
	assert_non_null(path);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	struct buf b = {0};
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	assert_int_equal(b.len, conf_default_yaml_len);
	assert_memory_equal(b.p, conf_default_yaml, b.len);
	/* Loading the file as a user file changes nothing. */
	struct kam_config *d, *u;
	assert_int_equal(conf_load_defaults(&d, NULL), 0);
	assert_int_equal(conf_load_file(path, &u, NULL), 0);
	assert_true(d->rules_hash == u->rules_hash);
	struct buf bd = {0}, bu = {0};
	conf_dump(d, &bd);
	conf_dump(u, &bu);
	assert_string_equal(bd.p, bu.p);
	buf_free(&bd);
	buf_free(&bu);
	conf_free(d);
	conf_free(u);
	buf_free(&b);
	free(path);
}

static void test_syntax_error(void **state)
{
	(void)state;
	expect_error("settings:\n  currency: \"CNY\n",
		     "t.yaml:3:1: error: found unexpected end of stream while scanning a quoted scalar");
	expect_error("abc:\n  a: 80\n - b\n",
		     "t.yaml:3:2: error: did not find expected key while parsing a block mapping");
}

static void test_anchor_alias(void **state)
{
	(void)state;
	char *e = load_err("tiers:\n  key: &k {en: \"Key\", min: 60}\n  develop: *k\n");
	assert_non_null(
	    strstr(e, "t.yaml:2:8: error: anchors are not allowed (&k)\n  key: &k {en: \"Key\", min: 60}\n       ^\n"));
	assert_non_null(strstr(e, "t.yaml:3:12: error: aliases are not allowed (write the value out)\n"));
	free(e);
}

static void test_merge_key(void **state)
{
	(void)state;
	expect_error("criteria:\n  margin:\n    <<: {weight: 5}\n",
		     "t.yaml:3:5: error: merge keys (<<) are not allowed\n");
}

static void test_duplicate_key(void **state)
{
	(void)state;
	expect_error("abc:\n  a: 70\n  a: 80\n", "t.yaml:3:3: error: duplicate key 'a'\n");
	expect_error("tiers:\n  key: {min: 60}\n  key: {min: 61}\n", "t.yaml:3:3: error: duplicate key 'key'\n");
}

static void test_unknown_key(void **state)
{
	(void)state;
	expect_error("settings:\n  plan_yaer: 2027\n",
		     "t.yaml:2:3: error: unknown key 'plan_yaer' in section 'settings' (did you mean 'plan_year'?)\n"
		     "  plan_yaer: 2027\n  ^\n");
	expect_error("critera: {}\n",
		     "t.yaml:1:1: error: unknown key 'critera' in the top level (did you mean 'criteria'?)\n");
	expect_error("criteria:\n  margin:\n    zzzzzzzz: 1\n",
		     "t.yaml:3:5: error: unknown key 'zzzzzzzz' in criterion\n");
}

static void test_wrong_type(void **state)
{
	(void)state;
	expect_error("settings:\n  plan_year: \"2027\"\n",
		     "t.yaml:2:14: error: 'plan_year' wants an integer, not \"2027\"\n");
	expect_error("settings:\n  plan_year: 2027.5\n",
		     "t.yaml:2:14: error: 'plan_year' wants an integer, not \"2027.5\"\n");
	expect_error("criteria:\n  margin:\n    weight: heavy\n",
		     "t.yaml:3:13: error: 'weight' wants a number, not \"heavy\"\n");
	expect_error("enumerations:\n  activity_type:\n    call: {brand: yes}\n",
		     "t.yaml:3:19: error: 'brand' wants true or false, not \"yes\"\n");
	expect_error("settings: [1, 2]\n", "t.yaml:1:11: error: 'settings' wants a mapping, not a sequence\n");
	expect_error("quadrant:\n  x: {a: 1}\n",
		     "t.yaml:2:6: error: 'x' wants a string or a sequence of strings, not a mapping\n");
	expect_error("criteria:\n  margin:\n    thresholds: [[1, 2, 3]]\n",
		     "t.yaml:3:18: error: 'thresholds' wants pairs [value, percent] of numbers\n");
	expect_error("- 1\n", "t.yaml:1:1: error: the top level must be a mapping of sections\n");
}

static void test_out_of_range(void **state)
{
	(void)state;
	expect_error("tiers:\n  key: {min: 120}\n",
		     "t.yaml:2:14: error: 'min' is out of range: 120 (allowed 0 to 100)\n");
	expect_error("abc: {a: -1}\n", "t.yaml:1:10: error: 'a' is out of range: -1 (allowed 0 to 100)\n");
	expect_error("settings: {plan_year: 99999999999999999999}\n",
		     "t.yaml:1:23: error: 'plan_year' wants an integer, not \"99999999999999999999\"\n");
}

static void test_unknown_enum(void **state)
{
	(void)state;
	expect_error("settings:\n  lang: fr\n", "t.yaml:2:9: error: unknown value 'fr' for 'lang' (one of: en, zh)\n");
	expect_error("criteria:\n  margin:\n    method: linaer\n",
		     "t.yaml:3:13: error: unknown value 'linaer' for 'method' (did you mean 'linear'?)\n");
	expect_error("enumerations:\n  activity_type:\n    exhibtion: {en: \"Fair\"}\n",
		     "t.yaml:3:5: error: unknown code 'exhibtion' for activity_type (did you mean 'exhibition'?)\n");
	expect_error("enumerations:\n  industry:\n    bank: {brand: true}\n",
		     "t.yaml:3:5: error: 'brand' and 'cost' apply to activity_type only\n");
}

static void test_undefined_reference(void **state)
{
	(void)state;
	expect_error("quadrant:\n  x: [\"product_fit\", \"margn\"]\n",
		     "t.yaml:2:6: error: undefined criterion 'margn' (did you mean 'margin'?)\n");
	expect_error("checks:\n  contact_cadence:\n    cadence:\n      vip: {default: 30}\n",
		     "t.yaml:4:7: error: undefined tier 'vip'\n");
}

/* Every check is named in the defaults, with the state and severity kam had
 * before checks were configurable. */
static void test_checks_defaults(void **state)
{
	(void)state;
	static const int sev[CHK__COUNT] = {
	    [CHK_BRAND_NO_OPP] = SEV_WARNING,  [CHK_BRAND_AFTER_DECISION] = SEV_ERROR,
	    [CHK_BRAND_BUDGET] = SEV_WARNING,  [CHK_AB_OWNERS] = SEV_ERROR,
	    [CHK_BUYING_ROLES] = SEV_WARNING,  [CHK_CONTACT_CADENCE] = SEV_WARNING,
	    [CHK_PRIVATE_VISITS] = SEV_INFO,   [CHK_EXEC_MEETING] = SEV_WARNING,
	    [CHK_COMPLAINT_SLA] = SEV_ERROR,   [CHK_SINGLE_THREADED] = SEV_WARNING,
	    [CHK_OPP_OVERDUE] = SEV_ERROR,     [CHK_TEAM_FUNCTIONS] = SEV_WARNING,
	    [CHK_PLAN_SECTIONS] = SEV_WARNING,
	};
	struct kam_config *cfg;
	assert_int_equal(conf_load_defaults(&cfg, NULL), 0);
	for (int i = 0; i < CHK__COUNT; i++) {
		assert_int_equal(cfg->checks.state[i].enabled, 1);
		assert_int_equal(cfg->checks.state[i].severity, sev[i]);
	}
	assert_int_equal(cfg->checks.lead_days, 14);
	assert_int_equal(cfg->checks.private_visit_ratio, 20);
	assert_int_equal(cfg->checks.private_visit_window, 90);
	assert_int_equal(cfg->checks.exec_meeting_days, 180);
	assert_int_equal(cfg->checks.single_thread_days, 90);
	assert_int_equal(cfg->checks.complaint_sla[0], 30);
	assert_int_equal(cfg->checks.cadence.n, 4);
	conf_free(cfg);
}

static void test_checks_errors(void **state)
{
	(void)state;
	/* unknown check name, with the nearest one */
	expect_error(
	    "checks:\n  privat_visits: {enabled: false}\n",
	    "t.yaml:2:3: error: unknown key 'privat_visits' in section 'checks' (did you mean 'private_visits'?)\n"
	    "  privat_visits: {enabled: false}\n  ^\n");
	expect_error("checks:\n  zzzzzz: {}\n", "t.yaml:2:3: error: unknown key 'zzzzzz' in section 'checks'\n");
	/* severity and enabled */
	expect_error("checks:\n  brand_budget:\n    severity: fatal\n",
		     "t.yaml:3:15: error: unknown value 'fatal' for 'severity' (one of: error, warning, info)\n"
		     "    severity: fatal\n              ^\n");
	expect_error("checks:\n  brand_budget: {severity: eror}\n",
		     "t.yaml:2:28: error: unknown value 'eror' for 'severity' (did you mean 'error'?)\n");
	expect_error("checks:\n  ab_owners: {enabled: yes}\n",
		     "t.yaml:2:24: error: 'enabled' wants true or false, not \"yes\"\n");
	expect_error("checks:\n  ab_owners: off\n", "t.yaml:2:14: error: 'ab_owners' wants a mapping, not a scalar\n");
	/* parameters belong to their check */
	expect_error("checks:\n  exec_meeting: {lead_days: 3}\n",
		     "t.yaml:2:18: error: unknown key 'lead_days' in check 'exec_meeting'\n");
	expect_error("checks:\n  single_threaded: {dyas: 30}\n",
		     "t.yaml:2:21: error: unknown key 'dyas' in check 'single_threaded' (did you mean 'days'?)\n");
	expect_error("checks:\n  exec_meeting: {days: 0}\n",
		     "t.yaml:2:24: error: 'days' is out of range: 0 (allowed 1 to 3650)\n");
	expect_error("checks:\n  private_visits: {ratio: 101}\n",
		     "t.yaml:2:27: error: 'ratio' is out of range: 101 (allowed 0 to 100)\n");
	expect_error(
	    "checks:\n  complaint_sla: {days: {critcal: 1}}\n",
	    "t.yaml:2:26: error: unknown key 'critcal' in checks.complaint_sla.days (did you mean 'critical'?)\n");
	/* keys of the former flat section say where they went */
	expect_error("checks:\n  lead_days: 10\n",
		     "t.yaml:2:3: error: unknown key 'lead_days' in section 'checks' (it is now "
		     "'checks.brand_after_decision.lead_days')\n");
	expect_error("checks:\n  cadence: {}\n",
		     "t.yaml:2:3: error: unknown key 'cadence' in section 'checks' (it is now "
		     "'checks.contact_cadence.cadence')\n");
}

/* A user file that names one check changes that check only. */
static void test_checks_override(void **state)
{
	(void)state;
	struct kam_config *d, *u;
	const char *text = "checks:\n  private_visits: {enabled: false}\n  brand_budget: {severity: error}\n"
			   "  exec_meeting: {days: 90}\n";
	assert_int_equal(conf_load_defaults(&d, NULL), 0);
	assert_int_equal(conf_load_text("u.yaml", text, strlen(text), &u, NULL), 0);
	for (int i = 0; i < CHK__COUNT; i++) {
		if (i == CHK_PRIVATE_VISITS) {
			assert_int_equal(u->checks.state[i].enabled, 0);
			assert_int_equal(u->checks.state[i].severity, SEV_INFO);
		} else if (i == CHK_BRAND_BUDGET) {
			assert_int_equal(u->checks.state[i].enabled, 1);
			assert_int_equal(u->checks.state[i].severity, SEV_ERROR);
		} else {
			assert_int_equal(u->checks.state[i].enabled, d->checks.state[i].enabled);
			assert_int_equal(u->checks.state[i].severity, d->checks.state[i].severity);
		}
	}
	assert_int_equal(u->checks.exec_meeting_days, 90);
	assert_int_equal(u->checks.private_visit_ratio, 20);
	assert_int_equal(u->checks.cadence.n, 4);
	/* checks do not change scores */
	assert_true(u->rules_hash == d->rules_hash);
	/* and what-if reaches them by path */
	assert_int_equal(conf_set(u, "checks.exec_meeting.days=30", NULL), 0);
	assert_int_equal(u->checks.exec_meeting_days, 30);
	assert_int_equal(conf_set(u, "checks.plan_sections.severity=error", NULL), 0);
	assert_int_equal(u->checks.state[CHK_PLAN_SECTIONS].severity, SEV_ERROR);
	conf_free(d);
	conf_free(u);
}

static void test_expression_errors(void **state)
{
	(void)state;
	expect_error("criteria:\n  margin:\n    metric: \"margin_3y * 2 + revenu\"\n",
		     "t.yaml:3:30: error: unknown name 'revenu' (did you mean 'revenue'?)\n");
	expect_error("criteria:\n  margin:\n    metric: buying_years + 'x'\n",
		     "t.yaml:3:26: error: '+' cannot combine a number and a string\n");
	expect_error("criteria:\n  margin:\n    metric: \"industry == 'bank'\"\n",
		     "t.yaml:3:13: error: criterion 'margin' uses method linear but its metric is not a number\n");
}

static void test_required_and_totals(void **state)
{
	(void)state;
	char *e = load_err("criteria:\n  growth:\n    en: \"Growth\"\n    metric: growth\n    method: thresholds\n"
			   "tiers:\n  maintain: {min: 10}\nabc: {a: 80, b: 15, c: 10}\n");
	assert_non_null(strstr(e, "t.yaml:2:3: error: criterion 'growth' has no 'weight'\n"));
	assert_non_null(strstr(e, "t.yaml:2:3: error: criterion 'growth' has no 'explain'\n"));
	assert_non_null(
	    strstr(e, "t.yaml:2:3: error: criterion 'growth' uses method thresholds but has no 'thresholds'\n"));
	assert_non_null(
	    strstr(e, "t.yaml:1:1: error: no tier has 'min: 0': scores below the lowest tier would have none\n"));
	assert_non_null(strstr(e, "t.yaml:1:1: error: abc: a + b + c must be 100, not 105\n"));
	assert_int_equal(count_errors(e), 5);
	free(e);
}

static void test_documents_tags_directives(void **state)
{
	(void)state;
	expect_error("abc: {a: 80}\n---\nabc: {a: 70}\n",
		     "t.yaml:2:1: error: only one YAML document is allowed (found a second '---')\n");
	expect_error("settings:\n  plan_year: !!int 2027\n",
		     "t.yaml:2:14: error: tags are not allowed (tag:yaml.org,2002:int)\n");
	expect_error("%YAML 1.1\n---\nabc: {a: 80}\n", "t.yaml:1:1: error: directives are not allowed\n");
}

static void test_bytes(void **state)
{
	(void)state;
	struct kam_config *cfg;
	char *cause = NULL;
	static const char nul[] = "settings:\n  lang: en\0\n";
	assert_int_equal(conf_load_text("t.yaml", nul, sizeof nul - 1, &cfg, &cause), KAM_EINVAL);
	assert_non_null(strstr(cause, "t.yaml:2:11: error: NUL byte in the file\n  lang: en?\n          ^\n"));
	free(cause);
	cause = NULL;
	expect_error("settings:\n  currency: \"\xe4\xb8\xad\xff\"\n",
		     "t.yaml:2:15: error: invalid UTF-8 (byte 0xff at offset 26)\n  currency: \"\xe4\xb8\xad?\"\n      "
		     "         ^\n");
	size_t big = 1024 * 1024 + 1;
	char *text = xmalloc(big + 1);
	memset(text, '#', big);
	text[big] = '\0';
	expect_error(text, "t.yaml:1:1: error: file is larger than 1 MiB (1048577 bytes)\n");
	free(text);
}

static void test_nesting(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_adds(&b, "columns:\n  accounts: ");
	for (int i = 0; i < 40; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < 40; i++)
		buf_addc(&b, ']');
	buf_addc(&b, '\n');
	/* The root mapping is level 1, columns' mapping 2: the 31st '[' is level 33. */
	expect_error(b.p, "t.yaml:2:43: error: nesting deeper than 32 levels\n");
	buf_free(&b);
}

/* Every error of the file at once, in file order. */
static void test_all_errors_at_once(void **state)
{
	(void)state;
	char *e = load_err("settings:\n  plan_year: \"2027\"\n  lang: fr\ncriteria:\n  margin:\n    weight: heavy\n"
			   "    method: linaer\ntiers:\n  key: {min: 120}\n");
	assert_int_equal(count_errors(e), 5);
	assert_true(strstr(e, "t.yaml:2:14") < strstr(e, "t.yaml:3:9"));
	assert_true(strstr(e, "t.yaml:7:13") < strstr(e, "t.yaml:9:14"));
	free(e);
}

static void test_override_only_what_is_named(void **state)
{
	(void)state;
	const char *text =
	    "criteria:\n  margin:\n    weight: 20\n  growth:\n    en: \"Growth\"\n    weight: 5\n"
	    "    metric: growth\n    method: linear\n    low: 0\n    high: 30\n    explain: \"{value} growth\"\n"
	    "tiers:\n  key: {min: 60}\nsettings: {lang: zh}\n";
	struct kam_config *cfg, *d;
	assert_int_equal(conf_load_text("t.yaml", text, strlen(text), &cfg, NULL), 0);
	assert_int_equal(conf_load_defaults(&d, NULL), 0);
	const struct criterion *m = conf_criterion(cfg, "margin");
	assert_true(m->weight == 20);
	assert_string_equal(m->metric.src, "margin_3y"); /* not named: kept */
	assert_true(m->low == 10 && m->high == 35);
	assert_string_equal(m->metric.mark.file, "<built-in>");
	assert_int_equal(cfg->criteria.n, 10);
	assert_string_equal(CONF_MAP_AT(cfg->criteria, struct criterion, 9)->head.id, "growth");
	assert_true(conf_tier(cfg, "key")->min == 60);
	assert_string_equal(conf_tier(cfg, "key")->zh, "重点客户");
	assert_string_equal(conf_enum_label(cfg, kam_enum_industry, "bank"), "银行");
	assert_string_equal(cfg->currency, "CNY");
	assert_int_equal(cfg->files.n, 2);
	assert_string_equal(cfg->files.v[1], "t.yaml");
	assert_true(cfg->rules_hash != d->rules_hash);
	conf_free(cfg);
	conf_free(d);
}

static void test_dump_round_trip(void **state)
{
	(void)state;
	struct kam_config *d, *r;
	assert_int_equal(conf_load_defaults(&d, NULL), 0);
	struct buf b = {0};
	conf_dump(d, &b);
	char *cause = NULL;
	int rc = conf_load_text("dump.yaml", b.p, b.len, &r, &cause);
	if (rc)
		fail_msg("%s", cause);
	assert_true(d->rules_hash == r->rules_hash);
	struct buf b2 = {0};
	conf_dump(r, &b2);
	assert_string_equal(b.p, b2.p);
	buf_free(&b);
	buf_free(&b2);
	conf_free(d);
	conf_free(r);
}

static void test_what_if(void **state)
{
	(void)state;
	struct kam_config *cfg;
	assert_int_equal(conf_load_defaults(&cfg, NULL), 0);
	uint64_t h = cfg->rules_hash;
	assert_int_equal(conf_set(cfg, "margin.weight=30", NULL), 0);
	assert_true(conf_criterion(cfg, "margin")->weight == 30);
	assert_true(cfg->rules_hash != h);
	assert_int_equal(conf_set(cfg, "tiers.key=65", NULL), 0);
	assert_true(conf_tier(cfg, "key")->min == 65);
	assert_int_equal(conf_set(cfg, "criteria.margin.high=40", NULL), 0);
	assert_true(conf_criterion(cfg, "margin")->high == 40);
	assert_int_equal(conf_set(cfg, "abc.a=70", NULL), KAM_EINVAL); /* 70+15+5 != 100 */
	assert_int_equal(conf_set(cfg, "abc.b=25", NULL), 0);
	char *cause = NULL;
	assert_int_equal(conf_set(cfg, "margin.wieght=1", &cause), KAM_EUSAGE);
	assert_string_equal(cause, "what-if 'margin.wieght=1': unknown key 'wieght'");
	free(cause);
	cause = NULL;
	assert_int_equal(conf_set(cfg, "margin.weight=heavy", &cause), KAM_EINVAL);
	assert_string_equal(cause, "'weight' wants a number, not \"heavy\"");
	free(cause);
	cause = NULL;
	assert_int_equal(conf_set(cfg, "tiers.vip=3", &cause), KAM_EUSAGE);
	assert_string_equal(cause, "what-if 'tiers.vip=3': no tier 'vip'");
	free(cause);
	assert_int_equal(conf_set(cfg, "margin.metric=margin", NULL), 0);
	assert_string_equal(conf_criterion(cfg, "margin")->metric.src, "margin");
	conf_free(cfg);
}

/* Every load starts from one parse of the built-in file: the configs must
 * share nothing, and their marks name their own file list. */
static void test_loads_independent(void **state)
{
	(void)state;
	struct kam_config *a, *b;
	assert_int_equal(conf_load_defaults(&a, NULL), 0);
	const char *text = "tiers:\n  key: {min: 61}\n";
	assert_int_equal(conf_load_text("b.yaml", text, strlen(text), &b, NULL), 0);
	assert_int_equal(conf_set(a, "margin.weight=30", NULL), 0);
	assert_int_equal(conf_set(a, "margin.metric=margin", NULL), 0);
	assert_true(conf_criterion(b, "margin")->weight != 30);
	assert_string_equal(conf_criterion(b, "margin")->metric.src, "margin_3y");
	assert_true(conf_tier(a, "key")->min != 61);
	const struct criterion *m = conf_criterion(b, "margin");
	assert_ptr_equal(m->metric.mark.file, b->files.v[0]);
	assert_ptr_equal(m->head.mark.file, b->files.v[0]);
	assert_ptr_equal(conf_tier(b, "key")->head.mark.file, b->files.v[1]); /* last named there */
	conf_free(a);
	/* b still reads after a is gone (ASan: nothing of a's). */
	assert_string_equal(m->metric.mark.file, "<built-in>");
	assert_string_equal(conf_criterion(b, "margin")->en, "Return on effort (margin)");
	conf_free(b);
}

static void test_discovery(void **state)
{
	(void)state;
	char dir[] = "/tmp/kam_conf_XXXXXX";
	assert_non_null(mkdtemp(dir));
	char *sub = xasprintf("%s/kam", dir), *file = xasprintf("%s/kam/kam.yaml", dir);
	setenv("XDG_CONFIG_HOME", dir, 1);
	unsetenv("KAM_CONFIG");
	char *p = conf_discover(NULL);
	/* No file yet: /etc/kam/kam.yaml or built-in. */
	assert_true(p == NULL || strcmp(p, "/etc/kam/kam.yaml") == 0);
	free(p);
	assert_int_equal(mkdir(sub, 0700), 0);
	FILE *f = fopen(file, "w");
	fputs("abc: {a: 70, b: 25}\n", f);
	fclose(f);
	p = conf_discover(NULL);
	assert_string_equal(p, file);
	free(p);
	struct kam_config *cfg;
	assert_int_equal(conf_load(NULL, &cfg, NULL), 0);
	assert_int_equal(cfg->abc.a, 70);
	conf_free(cfg);
	setenv("KAM_CONFIG", "/nonexistent/kam.yaml", 1);
	p = conf_discover(NULL);
	assert_string_equal(p, "/nonexistent/kam.yaml");
	free(p);
	char *cause = NULL;
	/* A missing file is an error, but the caller still gets the defaults. */
	assert_int_equal(conf_load(NULL, &cfg, &cause), KAM_EINVAL);
	assert_non_null(cfg);
	assert_int_equal(cfg->abc.a, 80);
	free(cause);
	conf_free(cfg);
	p = conf_discover("given.yaml");
	assert_string_equal(p, "given.yaml");
	free(p);
	unsetenv("KAM_CONFIG");
	unlink(file);
	rmdir(sub);
	rmdir(dir);
	free(sub);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_defaults_load),
	    cmocka_unit_test(test_defaults_equal_shipped_file),
	    cmocka_unit_test(test_syntax_error),
	    cmocka_unit_test(test_anchor_alias),
	    cmocka_unit_test(test_merge_key),
	    cmocka_unit_test(test_duplicate_key),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_wrong_type),
	    cmocka_unit_test(test_out_of_range),
	    cmocka_unit_test(test_unknown_enum),
	    cmocka_unit_test(test_undefined_reference),
	    cmocka_unit_test(test_checks_defaults),
	    cmocka_unit_test(test_checks_errors),
	    cmocka_unit_test(test_checks_override),
	    cmocka_unit_test(test_expression_errors),
	    cmocka_unit_test(test_required_and_totals),
	    cmocka_unit_test(test_documents_tags_directives),
	    cmocka_unit_test(test_bytes),
	    cmocka_unit_test(test_nesting),
	    cmocka_unit_test(test_all_errors_at_once),
	    cmocka_unit_test(test_override_only_what_is_named),
	    cmocka_unit_test(test_dump_round_trip),
	    cmocka_unit_test(test_what_if),
	    cmocka_unit_test(test_loads_independent),
	    cmocka_unit_test(test_discovery),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
