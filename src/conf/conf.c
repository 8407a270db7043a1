/* The configuration's descriptor tables and everything driven by them:
 * defaults, cross-checks, freeing, dumping, lookups and what-if edits. */
#include "kam/conf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_int.h"
#include "kam/err.h"
#include "kam/rules.h"
#include "kam/text.h"

const char *const conf_quadrant_codes[] = {"strategic", "big", "potential", "transactional", NULL};
static const char *const lang_codes[] = {"en", "zh", NULL};
static const char *const scope_codes[] = {"team", "all", NULL};
static const char *const method_codes[] = {"thresholds", "linear", "boolean", NULL};
static const char *const format_codes[] = {"auto", "money", "number", "percent", "days", "text", NULL};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define BIG 1e15

/* ---- descriptor tables ------------------------------------------------------ */

enum { LABEL_EN, LABEL_ZH, LABEL_BRAND, LABEL_COST, LABEL_PROBABILITY };
static const struct desc label_fields[] = {
    {"en", D_STR, offsetof(struct conf_label, en), 0, 0, 0, NULL, NULL},
    {"zh", D_STR, offsetof(struct conf_label, zh), 0, 0, 0, NULL, NULL},
    {"brand", D_BOOL, offsetof(struct conf_label, brand), 0, 0, 1, NULL, NULL},
    {"cost", D_MONEY, offsetof(struct conf_label, cost), 0, 0, 1e9, NULL, NULL},
    {"probability", D_INT, offsetof(struct conf_label, probability), 0, 0, 100, NULL, NULL},
};
static const struct dtab label_tab = {"value", label_fields, N(label_fields), sizeof(struct conf_label), 0, NULL};

#define ENUM_NO(name, ...) ENUMNO_##name,
enum { KAM_ENUMS(ENUM_NO) ENUMNO__COUNT };
#undef ENUM_NO
#define ENUM_DESC(name, ...)                                                                                           \
	{#name,                                                                                                        \
	 D_MAP,                                                                                                        \
	 offsetof(struct kam_config, enums) + ENUMNO_##name * sizeof(struct conf_map),                                 \
	 0,                                                                                                            \
	 0,                                                                                                            \
	 0,                                                                                                            \
	 kam_enum_##name,                                                                                              \
	 &label_tab},
static const struct desc enum_fields[] = {KAM_ENUMS(ENUM_DESC)};
#undef ENUM_DESC
static const struct dtab enum_tab = {"section 'enumerations'", enum_fields, N(enum_fields), 0, 0, NULL};

enum { CR_EN, CR_ZH, CR_WEIGHT, CR_METRIC, CR_METHOD, CR_THRESHOLDS, CR_LOW, CR_HIGH, CR_EXPLAIN, CR_FORMAT };
static const struct desc crit_fields[] = {
    {"en", D_STR, offsetof(struct criterion, en), 0, 0, 0, NULL, NULL},
    {"zh", D_STR, offsetof(struct criterion, zh), 0, 0, 0, NULL, NULL},
    {"weight", D_NUM, offsetof(struct criterion, weight), 0, 0, 1000, NULL, NULL},
    {"metric", D_EXPR, offsetof(struct criterion, metric), 0, 0, 0, NULL, NULL},
    {"method", D_ENUM, offsetof(struct criterion, method), 0, 0, 0, method_codes, NULL},
    {"thresholds", D_STEPS, offsetof(struct criterion, steps), offsetof(struct criterion, nsteps), 0, 0, NULL, NULL},
    {"low", D_NUM, offsetof(struct criterion, low), 0, -BIG, BIG, NULL, NULL},
    {"high", D_NUM, offsetof(struct criterion, high), 0, -BIG, BIG, NULL, NULL},
    {"explain", D_STR, offsetof(struct criterion, explain), 0, 0, 0, NULL, NULL},
    {"format", D_ENUM, offsetof(struct criterion, format), 0, 0, 0, format_codes, NULL},
};
static const struct dtab crit_tab = {"criterion", crit_fields, N(crit_fields), sizeof(struct criterion), 0, NULL};

enum { TIER_EN, TIER_ZH, TIER_MIN };
static const struct desc tier_fields[] = {
    {"en", D_STR, offsetof(struct tier, en), 0, 0, 0, NULL, NULL},
    {"zh", D_STR, offsetof(struct tier, zh), 0, 0, 0, NULL, NULL},
    {"min", D_NUM, offsetof(struct tier, min), 0, 0, 100, NULL, NULL},
};
static const struct dtab tier_tab = {"tier", tier_fields, N(tier_fields), sizeof(struct tier), 0, NULL};

#define QOFF(f) (offsetof(struct kam_config, quadrant) + offsetof(__typeof__(((struct kam_config *)0)->quadrant), f))
static const struct desc quad_fields[] = {
    {"x", D_STRLIST, QOFF(x), 0, 0, 0, NULL, NULL},
    {"y", D_STRLIST, QOFF(y), 0, 0, 0, NULL, NULL},
    {"x_split", D_NUM, QOFF(x_split), 0, 0, 100, NULL, NULL},
    {"y_split", D_NUM, QOFF(y_split), 0, 0, 100, NULL, NULL},
    {"labels", D_MAP, QOFF(labels), 0, 0, 0, conf_quadrant_codes, &label_tab},
};
static const struct dtab quad_tab = {"section 'quadrant'", quad_fields, N(quad_fields), 0, 0, NULL};

#define AOFF(f) (offsetof(struct kam_config, abc) + offsetof(__typeof__(((struct kam_config *)0)->abc), f))
static const struct desc abc_fields[] = {
    {"a", D_INT, AOFF(a), 0, 0, 100, NULL, NULL},
    {"b", D_INT, AOFF(b), 0, 0, 100, NULL, NULL},
    {"c", D_INT, AOFF(c), 0, 0, 100, NULL, NULL},
};
static const struct dtab abc_tab = {"section 'abc'", abc_fields, N(abc_fields), 0, 0, NULL};

#define LOFF(f)                                                                                                        \
	(offsetof(struct kam_config, allocation) + offsetof(__typeof__(((struct kam_config *)0)->allocation), f))
static const struct desc alloc_fields[] = {
    {"score_weight", D_INT, LOFF(score_weight), 0, 0, 100, NULL, NULL},
    {"revenue_weight", D_INT, LOFF(revenue_weight), 0, 0, 100, NULL, NULL},
    {"visit_hours", D_INT, LOFF(visit_hours), 0, 0, 10000000, NULL, NULL},
    {"brand_budget", D_MONEY, LOFF(brand_budget), 0, 0, 1e13, NULL, NULL},
};
static const struct dtab alloc_tab = {"section 'allocation'", alloc_fields, N(alloc_fields), 0, 0, NULL};

#define CAD(i, name)                                                                                                   \
	{                                                                                                              \
		name, D_INT, offsetof(struct conf_cadence, role_days) + (i) * sizeof(int), 0, 1, 3650, NULL, NULL      \
	}
static const struct desc cadence_fields[] = {
    CAD(0, "economic_buyer"), CAD(1, "decision_maker"),
    CAD(2, "technical"),      CAD(3, "user"),
    CAD(4, "coach"),          CAD(5, "gatekeeper"),
    CAD(6, "influencer"),     {"default", D_INT, offsetof(struct conf_cadence, dflt), 0, 1, 3650, NULL, NULL},
};
static const struct dtab cadence_tab = {"cadence", cadence_fields, N(cadence_fields), sizeof(struct conf_cadence), 0,
					NULL};

/* Index = position in kam_enum_severity. */
#define SLA(i, name)                                                                                                   \
	{                                                                                                              \
		name, D_INT, (i) * sizeof(int), 0, 1, 3650, NULL, NULL                                                 \
	}
static const struct desc sla_fields[] = {SLA(0, "low"), SLA(1, "medium"), SLA(2, "high"), SLA(3, "critical")};
static const struct dtab sla_tab = {"checks.complaint_sla.days", sla_fields, N(sla_fields), 0, 0, NULL};

#define COFF(f) (offsetof(struct kam_config, checks) + offsetof(__typeof__(((struct kam_config *)0)->checks), f))
static const char *const severity_codes[] = {"error", "warning", "info", NULL}; /* enum check_severity */

/* checks: one entry per check (kam/checks.def), each with enabled, severity
 * and its own parameters. The offsets are relative to the whole config (the
 * entries are D_STRUCT at offset 0), so the parameters stay flat in struct
 * kam_config while the file groups them by check. */
#define CK_ENABLED(id)                                                                                                 \
	{                                                                                                              \
		"enabled", D_BOOL, COFF(state[id].enabled), 0, 0, 1, NULL, NULL                                        \
	}
#define CK_SEVERITY(id)                                                                                                \
	{                                                                                                              \
		"severity", D_ENUM, COFF(state[id].severity), 0, 0, 0, severity_codes, NULL                            \
	}
#define CK_STATE(id) CK_ENABLED(id), CK_SEVERITY(id)
static const struct desc ck_CHK_BRAND_NO_OPP[] = {CK_STATE(CHK_BRAND_NO_OPP)};
static const struct desc ck_CHK_BRAND_AFTER_DECISION[] = {
    CK_STATE(CHK_BRAND_AFTER_DECISION),
    {"lead_days", D_INT, COFF(lead_days), 0, 0, 365, NULL, NULL},
};
static const struct desc ck_CHK_BRAND_BUDGET[] = {CK_STATE(CHK_BRAND_BUDGET)};
static const struct desc ck_CHK_AB_OWNERS[] = {CK_STATE(CHK_AB_OWNERS)};
static const struct desc ck_CHK_BUYING_ROLES[] = {CK_STATE(CHK_BUYING_ROLES)};
static const struct desc ck_CHK_CONTACT_CADENCE[] = {
    CK_STATE(CHK_CONTACT_CADENCE),
    {"cadence", D_MAP, COFF(cadence), 0, 0, 0, NULL, &cadence_tab},
};
static const struct desc ck_CHK_PRIVATE_VISITS[] = {
    CK_STATE(CHK_PRIVATE_VISITS),
    {"ratio", D_INT, COFF(private_visit_ratio), 0, 0, 100, NULL, NULL},
    {"window", D_INT, COFF(private_visit_window), 0, 1, 3650, NULL, NULL},
};
static const struct desc ck_CHK_EXEC_MEETING[] = {
    CK_STATE(CHK_EXEC_MEETING),
    {"days", D_INT, COFF(exec_meeting_days), 0, 1, 3650, NULL, NULL},
};
static const struct desc ck_CHK_COMPLAINT_SLA[] = {
    CK_STATE(CHK_COMPLAINT_SLA),
    {"days", D_STRUCT, COFF(complaint_sla), 0, 0, 0, NULL, &sla_tab},
};
static const struct desc ck_CHK_SINGLE_THREADED[] = {
    CK_STATE(CHK_SINGLE_THREADED),
    {"days", D_INT, COFF(single_thread_days), 0, 1, 3650, NULL, NULL},
};
static const struct desc ck_CHK_OPP_OVERDUE[] = {CK_STATE(CHK_OPP_OVERDUE)};
static const struct desc ck_CHK_TEAM_FUNCTIONS[] = {CK_STATE(CHK_TEAM_FUNCTIONS)};
static const struct desc ck_CHK_PLAN_SECTIONS[] = {CK_STATE(CHK_PLAN_SECTIONS)};
#undef CK_STATE
#undef CK_SEVERITY
#undef CK_ENABLED

#define CK_TAB(id, name, help) [id] = {"check '" name "'", ck_##id, N(ck_##id), 0, 0, NULL},
static const struct dtab check_tabs[CHK__COUNT] = {KAM_CHECKS(CK_TAB)};
#undef CK_TAB
#define CK_FIELD(id, name, help) {name, D_STRUCT, 0, 0, 0, 0, NULL, &check_tabs[id]},
static const struct desc check_fields[] = {KAM_CHECKS(CK_FIELD)};
#undef CK_FIELD
/* Where the keys of the earlier flat `checks:` section went. */
/* clang-format off */
static const char *const check_moved[] = {
    "lead_days",           "checks.brand_after_decision.lead_days",
    "private_visit_ratio", "checks.private_visits.ratio",
    "private_visit_window", "checks.private_visits.window",
    "exec_meeting_days",   "checks.exec_meeting.days",
    "single_thread_days",  "checks.single_threaded.days",
    "cadence",             "checks.contact_cadence.cadence",
    NULL,
};
/* clang-format on */
static const struct dtab check_tab = {"section 'checks'", check_fields, N(check_fields), 0, 0, check_moved};

static const struct desc settings_fields[] = {
    {"plan_year", D_INT, offsetof(struct kam_config, plan_year), 0, 0, 2200, NULL, NULL},
    {"currency", D_STR, offsetof(struct kam_config, currency), 0, 0, 0, NULL, NULL},
    {"lang", D_ENUM, offsetof(struct kam_config, lang), 0, 0, 0, lang_codes, NULL},
};
static const struct desc access_fields[] = {
    {"editor_scope", D_ENUM, offsetof(struct kam_config, access.editor_scope), 0, 0, 0, scope_codes, NULL},
};
static const struct dtab access_tab = {"section 'access'", access_fields, N(access_fields), 0, 0, NULL};

static const struct dtab settings_tab = {"section 'settings'", settings_fields, N(settings_fields), 0, 0, NULL};

static const struct desc keybind_fields[] = {
    {"keys", D_STRLIST, offsetof(struct conf_keybind, keys), 0, 0, 0, NULL, NULL}};
static const struct dtab keybind_tab = {"action", keybind_fields, 1, sizeof(struct conf_keybind), 1, NULL};
static const struct desc colour_fields[] = {{"colour", D_STR, offsetof(struct conf_colour, spec), 0, 0, 0, NULL, NULL}};
static const struct dtab colour_tab = {"element", colour_fields, 1, sizeof(struct conf_colour), 1, NULL};
static const struct desc columns_fields[] = {
    {"columns", D_STRLIST, offsetof(struct conf_columns, cols), 0, 0, 0, NULL, NULL}};
static const struct dtab columns_tab = {"view", columns_fields, 1, sizeof(struct conf_columns), 1, NULL};

enum {
	SEC_SETTINGS,
	SEC_ENUMS,
	SEC_CRITERIA,
	SEC_TIERS,
	SEC_QUADRANT,
	SEC_ABC,
	SEC_ALLOC,
	SEC_CHECKS,
	SEC_KEYS,
	SEC_COLOURS,
	SEC_COLUMNS,
	SEC_ACCESS
};
static const struct desc root_fields[] = {
    {"settings", D_STRUCT, 0, 0, 0, 0, NULL, &settings_tab},
    {"enumerations", D_STRUCT, 0, 0, 0, 0, NULL, &enum_tab},
    {"criteria", D_MAP, offsetof(struct kam_config, criteria), 0, 0, 0, NULL, &crit_tab},
    {"tiers", D_MAP, offsetof(struct kam_config, tiers), 0, 0, 0, NULL, &tier_tab},
    {"quadrant", D_STRUCT, 0, 0, 0, 0, NULL, &quad_tab},
    {"abc", D_STRUCT, 0, 0, 0, 0, NULL, &abc_tab},
    {"allocation", D_STRUCT, 0, 0, 0, 0, NULL, &alloc_tab},
    {"checks", D_STRUCT, 0, 0, 0, 0, NULL, &check_tab},
    {"keys", D_MAP, offsetof(struct kam_config, keys), 0, 0, 0, NULL, &keybind_tab},
    {"colours", D_MAP, offsetof(struct kam_config, colours), 0, 0, 0, NULL, &colour_tab},
    {"columns", D_MAP, offsetof(struct kam_config, columns), 0, 0, 0, NULL, &columns_tab},
    {"access", D_STRUCT, 0, 0, 0, 0, NULL, &access_tab},
};
const struct dtab conf_root_tab = {"the top level", root_fields, N(root_fields), 0, 0, NULL};

/* ---- small containers ----------------------------------------------------- */

void conf_strlist_add(struct conf_strlist *sl, const char *s)
{
	sl->v = xrealloc(sl->v, (size_t)(sl->n + 1) * sizeof *sl->v);
	sl->v[sl->n++] = xstrdup(s);
}

void conf_strlist_clear(struct conf_strlist *sl)
{
	for (int i = 0; i < sl->n; i++)
		free(sl->v[i]);
	free(sl->v);
	sl->v = NULL;
	sl->n = 0;
}

static struct conf_item *map_item(const struct conf_map *m, const struct dtab *t, int i)
{
	return (struct conf_item *)(void *)((char *)m->items + (size_t)i * t->item_size);
}

struct conf_item *conf_map_find(const struct conf_map *m, const struct dtab *t, const char *id)
{
	for (int i = 0; i < m->n; i++) {
		struct conf_item *it = map_item(m, t, i);
		if (strcmp(it->id, id) == 0)
			return it;
	}
	return NULL;
}

struct conf_item *conf_map_get_or_add(struct conf_map *m, const struct dtab *t, const char *id)
{
	struct conf_item *it = conf_map_find(m, t, id);
	if (it)
		return it;
	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 8;
		m->items = xrealloc(m->items, (size_t)m->cap * t->item_size);
	}
	it = map_item(m, t, m->n++);
	memset(it, 0, t->item_size);
	it->id = xstrdup(id);
	return it;
}

/* ---- free ------------------------------------------------------------------- */

static void free_fields(const struct dtab *t, void *base);

static void free_field(const struct desc *d, void *base)
{
	void *p = (char *)base + d->off;
	switch (d->type) {
	case D_STR:
		free(*(char **)p);
		*(char **)p = NULL;
		break;
	case D_EXPR: {
		struct conf_expr *ce = p;
		expr_free(ce->e);
		free(ce->src);
		ce->e = NULL;
		ce->src = NULL;
		break;
	}
	case D_STRLIST:
		conf_strlist_clear(p);
		break;
	case D_STEPS:
		free(*(struct conf_step **)p);
		*(struct conf_step **)p = NULL;
		break;
	case D_STRUCT:
		free_fields(d->sub, p);
		break;
	case D_MAP: {
		struct conf_map *m = p;
		for (int i = 0; i < m->n; i++) {
			struct conf_item *it = map_item(m, d->sub, i);
			free_fields(d->sub, it);
			free(it->id);
		}
		free(m->items);
		memset(m, 0, sizeof *m);
		break;
	}
	default:
		break;
	}
}

static void free_fields(const struct dtab *t, void *base)
{
	for (int i = 0; i < t->n; i++)
		free_field(&t->d[i], base);
}

/* ---- clone: a deep copy, as free_field frees ------------------------------ */

struct clone {
	const struct kam_config *from;
	struct kam_config *to;
};

/* Marks borrow their file name from the config's file list: the copy's. */
static void clone_mark(const struct clone *c, struct conf_mark *m)
{
	for (int i = 0; m->file && i < c->from->files.n; i++)
		if (m->file == c->from->files.v[i]) {
			m->file = c->to->files.v[i];
			return;
		}
}

static void clone_strlist(const struct clone *c, struct conf_strlist *sl)
{
	char **v = sl->v;
	sl->v = NULL;
	int n = sl->n;
	sl->n = 0;
	for (int i = 0; i < n; i++)
		conf_strlist_add(sl, v[i]);
	clone_mark(c, &sl->mark);
}

static void clone_fields(const struct clone *c, const struct dtab *t, void *base);

/* base already holds a shallow copy: replace what it shares with the original. */
static void clone_field(const struct clone *c, const struct desc *d, void *base)
{
	void *p = (char *)base + d->off;
	switch (d->type) {
	case D_STR:
		if (*(char **)p)
			*(char **)p = xstrdup(*(char **)p);
		break;
	case D_EXPR: {
		struct conf_expr *ce = p;
		ce->e = expr_clone(ce->e);
		ce->src = ce->src ? xstrdup(ce->src) : NULL;
		clone_mark(c, &ce->mark);
		break;
	}
	case D_STRLIST:
		clone_strlist(c, p);
		break;
	case D_STEPS: {
		struct conf_step **s = p;
		int n = *(int *)(void *)((char *)base + d->off2);
		if (*s) {
			struct conf_step *v = xmalloc((size_t)(n ? n : 1) * sizeof *v);
			memcpy(v, *s, (size_t)n * sizeof *v);
			*s = v;
		}
		break;
	}
	case D_STRUCT:
		clone_fields(c, d->sub, p);
		break;
	case D_MAP: {
		struct conf_map *m = p;
		void *items = m->items;
		m->items = m->cap ? xmalloc((size_t)m->cap * d->sub->item_size) : NULL;
		if (m->n)
			memcpy(m->items, items, (size_t)m->n * d->sub->item_size);
		for (int i = 0; i < m->n; i++) {
			struct conf_item *it = map_item(m, d->sub, i);
			it->id = xstrdup(it->id);
			clone_mark(c, &it->mark);
			clone_fields(c, d->sub, it);
		}
		break;
	}
	default:
		break;
	}
}

static void clone_fields(const struct clone *c, const struct dtab *t, void *base)
{
	for (int i = 0; i < t->n; i++)
		clone_field(c, &t->d[i], base);
}

struct kam_config *conf_clone(const struct kam_config *cfg)
{
	struct kam_config *to = xmalloc(sizeof *to);
	*to = *cfg;
	struct clone c = {cfg, to};
	to->files.v = NULL;
	to->files.n = 0;
	for (int i = 0; i < cfg->files.n; i++)
		conf_strlist_add(&to->files, cfg->files.v[i]);
	clone_fields(&c, &conf_root_tab, to);
	return to;
}

void conf_free(struct kam_config *cfg)
{
	if (!cfg)
		return;
	free_fields(&conf_root_tab, cfg);
	conf_strlist_clear(&cfg->files);
	free(cfg);
}

void conf_init(struct kam_config *cfg)
{
	/* Everything else is given by the built-in file. */
	memset(cfg, 0, sizeof *cfg);
	/* ... which must name every check: conf_finalize reports the ones left. */
	for (int i = 0; i < CHK__COUNT; i++)
		cfg->checks.state[i].enabled = cfg->checks.state[i].severity = -1;
}

/* ---- dump ------------------------------------------------------------------ */

/* Double-quoted YAML; what YAML does not allow raw (controls, C1, U+FFFE/F)
 * is escaped, so a dump always loads again. */
static void dump_str(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (size_t n = strlen(s); *s;) {
		uint32_t cp;
		int k = utf8_decode(s, n, &cp);
		if (k <= 0) {
			cp = 0xfffd;
			k = 1;
		}
		if (cp == '"' || cp == '\\')
			buf_addf(b, "\\%c", (char)cp);
		else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0xfffe || cp == 0xffff)
			buf_addf(b, "\\u%04x", (unsigned)cp);
		else
			buf_add(b, s, (size_t)k);
		s += k;
		n -= (size_t)k;
	}
	buf_addc(b, '"');
}

static void dump_num(struct buf *b, double d)
{
	buf_addf(b, "%.15g", d);
}

static void dump_fields(struct buf *b, const struct dtab *t, const void *base, uint64_t set, int all, int ind);

static void dump_scalar(struct buf *b, const struct desc *d, const void *base)
{
	const void *p = (const char *)base + d->off;
	switch (d->type) {
	case D_INT:
	case D_BOOL:
		if (d->type == D_BOOL)
			buf_adds(b, *(const int *)p ? "true" : "false");
		else
			buf_addf(b, "%d", *(const int *)p);
		break;
	case D_NUM:
		dump_num(b, *(const double *)p);
		break;
	case D_MONEY:
		dump_num(b, (double)*(const int64_t *)p / 100.0);
		break;
	case D_STR:
		dump_str(b, *(char *const *)p ? *(char *const *)p : "");
		break;
	case D_ENUM:
		buf_adds(b, d->enums[*(const int *)p]);
		break;
	case D_EXPR:
		dump_str(b, ((const struct conf_expr *)p)->src ? ((const struct conf_expr *)p)->src : "");
		break;
	case D_STRLIST: {
		const struct conf_strlist *sl = p;
		buf_addc(b, '[');
		for (int i = 0; i < sl->n; i++) {
			if (i)
				buf_adds(b, ", ");
			dump_str(b, sl->v[i]);
		}
		buf_addc(b, ']');
		break;
	}
	case D_STEPS: {
		const struct conf_step *s = *(struct conf_step *const *)p;
		int n = *(const int *)(const void *)((const char *)base + d->off2);
		buf_addc(b, '[');
		for (int i = 0; i < n; i++) {
			buf_adds(b, i ? ", [" : "[");
			dump_num(b, s[i].at);
			buf_adds(b, ", ");
			dump_num(b, s[i].percent);
			buf_addc(b, ']');
		}
		buf_addc(b, ']');
		break;
	}
	default:
		break;
	}
}

static void dump_field(struct buf *b, const struct desc *d, const void *base, int ind)
{
	buf_addf(b, "%*s%s:", ind, "", d->key);
	if (d->type == D_STRUCT) {
		buf_addc(b, '\n');
		dump_fields(b, d->sub, (const char *)base + d->off, 0, 1, ind + 2);
	} else if (d->type == D_MAP) {
		const struct conf_map *m = (const void *)((const char *)base + d->off);
		buf_adds(b, m->n ? "\n" : " {}\n");
		for (int i = 0; i < m->n; i++) {
			const struct conf_item *it = map_item(m, d->sub, i);
			buf_addf(b, "%*s%s:", ind + 2, "", it->id);
			if (d->sub->direct) {
				buf_addc(b, ' ');
				dump_scalar(b, &d->sub->d[0], it);
				buf_addc(b, '\n');
			} else {
				buf_adds(b, it->set ? "\n" : " {}\n");
				dump_fields(b, d->sub, it, it->set, 0, ind + 4);
			}
		}
	} else {
		buf_addc(b, ' ');
		dump_scalar(b, d, base);
		buf_addc(b, '\n');
	}
}

static void dump_fields(struct buf *b, const struct dtab *t, const void *base, uint64_t set, int all, int ind)
{
	for (int i = 0; i < t->n; i++)
		if (all || (set & ((uint64_t)1 << i)))
			dump_field(b, &t->d[i], base, ind);
}

void conf_dump(const struct kam_config *cfg, struct buf *out)
{
	dump_fields(out, &conf_root_tab, cfg, 0, 1, 0);
}

/* FNV-1a over the canonical text of the sections that change scores. */
static uint64_t rules_hash(const struct kam_config *cfg)
{
	static const int secs[] = {SEC_SETTINGS, SEC_CRITERIA, SEC_TIERS, SEC_QUADRANT, SEC_ABC, SEC_ALLOC};
	struct buf b = {0};
	for (int i = 0; i < N(secs); i++)
		dump_field(&b, &root_fields[secs[i]], cfg, 0);
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < b.len; i++) {
		h ^= (unsigned char)b.p[i];
		h *= 1099511628211ULL;
	}
	buf_free(&b);
	return h;
}

/* ---- cross-checks ------------------------------------------------------------ */

static int has(const struct conf_item *it, int field)
{
	return (it->set >> field) & 1;
}

static int step_cmp(const void *a, const void *b)
{
	const struct conf_step *x = a, *y = b;
	return x->at < y->at ? 1 : x->at > y->at ? -1 : 0;
}

static void check_criterion(struct ld *l, struct criterion *c)
{
	static const int req[] = {CR_EN, CR_WEIGHT, CR_METRIC, CR_METHOD, CR_EXPLAIN};
	for (int i = 0; i < N(req); i++)
		if (!has(&c->head, req[i]))
			conf_error(l, &c->head.mark, "criterion '%s' has no '%s'", c->head.id, crit_fields[req[i]].key);
	if (!has(&c->head, CR_METRIC) || !has(&c->head, CR_METHOD))
		return;
	enum expr_type t = expr_result_type(c->metric.e);
	if (c->method == METHOD_BOOLEAN && t != ET_BOOL)
		conf_error(l, &c->metric.mark, "criterion '%s' uses method boolean but its metric is not true/false",
			   c->head.id);
	if (c->method != METHOD_BOOLEAN && t != ET_NUM)
		conf_error(l, &c->metric.mark, "criterion '%s' uses method %s but its metric is not a number",
			   c->head.id, method_codes[c->method]);
	if (c->method == METHOD_THRESHOLDS && c->nsteps == 0)
		conf_error(l, &c->head.mark, "criterion '%s' uses method thresholds but has no 'thresholds'",
			   c->head.id);
	if (c->method == METHOD_LINEAR && (!has(&c->head, CR_LOW) || !has(&c->head, CR_HIGH)))
		conf_error(l, &c->head.mark, "criterion '%s' uses method linear but lacks 'low' or 'high'", c->head.id);
	else if (c->method == METHOD_LINEAR && c->low == c->high)
		conf_error(l, &c->head.mark, "criterion '%s': 'low' and 'high' must differ", c->head.id);
	if (c->nsteps > 1)
		qsort(c->steps, (size_t)c->nsteps, sizeof *c->steps, step_cmp);
}

static int tier_cmp(const void *a, const void *b)
{
	const struct tier *x = a, *y = b;
	return x->min < y->min ? 1 : x->min > y->min ? -1 : strcmp(x->head.id, y->head.id);
}

static void check_refs(struct ld *l, const struct conf_strlist *sl, const struct conf_map *m, const struct dtab *t,
		       const char *what)
{
	const char **ids = xcalloc((size_t)m->n + 1, sizeof *ids);
	for (int i = 0; i < m->n; i++)
		ids[i] = map_item(m, t, i)->id;
	for (int i = 0; i < sl->n; i++) {
		if (conf_map_find(m, t, sl->v[i]))
			continue;
		const char *near = nearest_word(sl->v[i], ids);
		if (near)
			conf_error(l, &sl->mark, "undefined %s '%s' (did you mean '%s'?)", what, sl->v[i], near);
		else
			conf_error(l, &sl->mark, "undefined %s '%s'", what, sl->v[i]);
	}
	free(ids);
}

static void check_labels(struct ld *l, struct kam_config *cfg)
{
	for (int e = 0; e < ENUMNO__COUNT; e++) {
		struct conf_map *m = &cfg->enums[e];
		for (int i = 0; i < m->n; i++) {
			struct conf_label *lb = CONF_MAP_AT(*m, struct conf_label, i);
			if ((has(&lb->head, LABEL_BRAND) || has(&lb->head, LABEL_COST)) && e != ENUMNO_activity_type)
				conf_error(l, &lb->head.mark, "'brand' and 'cost' apply to activity_type only");
			if (has(&lb->head, LABEL_PROBABILITY) && e != ENUMNO_opp_stage)
				conf_error(l, &lb->head.mark, "'probability' applies to opp_stage only");
		}
	}
}

static int colour_word_ok(const char *w, size_t n)
{
	static const char *const words[] = {"default", "black", "red",  "green",   "yellow",    "blue", "magenta",
					    "cyan",    "white", "bold", "reverse", "underline", NULL};
	for (int i = 0; words[i]; i++)
		if (strlen(words[i]) == n && strncmp(words[i], w, n) == 0)
			return 1;
	return 0;
}

static void check_colours(struct ld *l, struct kam_config *cfg)
{
	for (int i = 0; i < cfg->colours.n; i++) {
		struct conf_colour *c = CONF_MAP_AT(cfg->colours, struct conf_colour, i);
		for (const char *p = c->spec; p && *p;) {
			p += strspn(p, " ");
			size_t n = strcspn(p, " ");
			if (n && !colour_word_ok(p, n)) {
				conf_error(l, &c->head.mark, "colour '%s': unknown word '%.*s'", c->head.id, (int)n, p);
				break;
			}
			p += n;
		}
	}
}

void conf_finalize(struct kam_config *cfg, struct ld *l)
{
	double wsum = 0;
	for (int i = 0; i < cfg->criteria.n; i++) {
		struct criterion *c = CONF_MAP_AT(cfg->criteria, struct criterion, i);
		check_criterion(l, c);
		wsum += c->weight;
	}
	struct conf_mark top = {cfg->files.n ? cfg->files.v[cfg->files.n - 1] : "<what-if>", 1, 1};
	if (wsum <= 0)
		conf_error(l, &top, "the criteria's weights add up to 0: nothing to score");
	for (int i = 0; i < cfg->tiers.n; i++) {
		struct tier *t = CONF_MAP_AT(cfg->tiers, struct tier, i);
		if (!has(&t->head, TIER_MIN))
			conf_error(l, &t->head.mark, "tier '%s' has no 'min'", t->head.id);
		if (!has(&t->head, TIER_EN))
			conf_error(l, &t->head.mark, "tier '%s' has no 'en'", t->head.id);
	}
	if (cfg->tiers.n > 1)
		qsort(cfg->tiers.items, (size_t)cfg->tiers.n, sizeof(struct tier), tier_cmp);
	if (cfg->tiers.n == 0 || CONF_MAP_AT(cfg->tiers, struct tier, cfg->tiers.n - 1)->min > 0)
		conf_error(l, &top, "no tier has 'min: 0': scores below the lowest tier would have none");
	if (cfg->tiers.n > 16)
		conf_error(l, &top, "at most 16 tiers");
	check_refs(l, &cfg->quadrant.x, &cfg->criteria, &crit_tab, "criterion");
	check_refs(l, &cfg->quadrant.y, &cfg->criteria, &crit_tab, "criterion");
	for (int i = 0; i < CHK__COUNT; i++)
		if (cfg->checks.state[i].enabled < 0 || cfg->checks.state[i].severity < 0)
			conf_error(l, &top, "check '%s' has no 'enabled' or 'severity'", check_fields[i].key);
	struct conf_strlist cad = {0};
	for (int i = 0; i < cfg->checks.cadence.n; i++) {
		struct conf_cadence *c = CONF_MAP_AT(cfg->checks.cadence, struct conf_cadence, i);
		conf_strlist_add(&cad, c->head.id);
		cad.mark = c->head.mark;
		check_refs(l, &cad, &cfg->tiers, &tier_tab, "tier");
		conf_strlist_clear(&cad);
	}
	if (cfg->abc.a + cfg->abc.b + cfg->abc.c != 100)
		conf_error(l, &top, "abc: a + b + c must be 100, not %d", cfg->abc.a + cfg->abc.b + cfg->abc.c);
	if (cfg->allocation.score_weight + cfg->allocation.revenue_weight != 100)
		conf_error(l, &top, "allocation: score_weight + revenue_weight must be 100");
	check_labels(l, cfg);
	check_colours(l, cfg);
	cfg->rules_hash = rules_hash(cfg);
}

/* ---- lookups ---------------------------------------------------------------- */

const struct criterion *conf_criterion(const struct kam_config *cfg, const char *id)
{
	return (const struct criterion *)conf_map_find(&cfg->criteria, &crit_tab, id);
}

const struct tier *conf_tier(const struct kam_config *cfg, const char *id)
{
	return (const struct tier *)conf_map_find(&cfg->tiers, &tier_tab, id);
}

const struct conf_label *conf_label(const struct kam_config *cfg, int enum_no, const char *code)
{
	if (enum_no < 0 || enum_no >= ENUMNO__COUNT)
		return NULL;
	return (const struct conf_label *)conf_map_find(&cfg->enums[enum_no], &label_tab, code);
}

const struct conf_label *conf_enum_value(const struct kam_config *cfg, const char *const *enum_list, const char *code)
{
	for (int i = 0; i < N(enum_fields); i++)
		if (enum_fields[i].enums == enum_list)
			return conf_label(cfg, i, code);
	return NULL;
}

const char *conf_enum_label(const struct kam_config *cfg, const char *const *enum_list, const char *code)
{
	const struct conf_label *lb = code ? conf_enum_value(cfg, enum_list, code) : NULL;
	const char *s = lb ? (cfg->lang == 1 ? lb->zh : lb->en) : NULL;
	return s ? s : code;
}

int conf_plan_year(const struct kam_config *cfg)
{
	return cfg->plan_year ? cfg->plan_year : (int)(date_today() / 10000);
}

const struct conf_strlist *conf_keys(const struct kam_config *cfg, const char *action)
{
	const struct conf_keybind *k = (const void *)conf_map_find(&cfg->keys, &keybind_tab, action);
	return k ? &k->keys : NULL;
}

const char *conf_colour(const struct kam_config *cfg, const char *element)
{
	const struct conf_colour *c = (const void *)conf_map_find(&cfg->colours, &colour_tab, element);
	return c ? c->spec : NULL;
}

const struct conf_strlist *conf_columns(const struct kam_config *cfg, const char *view)
{
	const struct conf_columns *c = (const void *)conf_map_find(&cfg->columns, &columns_tab, view);
	return c ? &c->cols : NULL;
}

/* ---- what-if ------------------------------------------------------------------ */

static const struct desc *tab_field(const struct dtab *t, const char *key)
{
	for (int i = 0; i < t->n; i++)
		if (strcmp(t->d[i].key, key) == 0)
			return &t->d[i];
	return NULL;
}

int conf_set(struct kam_config *cfg, const char *assignment, char **cause)
{
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment)
		return set_cause(cause, KAM_EUSAGE, "what-if '%s': expected PATH=VALUE", assignment);
	char *path = xstrndup(assignment, (size_t)(eq - assignment));
	const char *value = eq + 1;
	char *parts[8];
	int n = 0;
	for (char *s = path, *tok; n < 8 && (tok = strsep(&s, ".")) != NULL;)
		parts[n++] = tok;
	/* Shorthands: "product_fit.weight" and "tiers.key". */
	const char *full[10];
	int m = 0;
	if (!tab_field(&conf_root_tab, parts[0]) && conf_criterion(cfg, parts[0]))
		full[m++] = "criteria";
	for (int i = 0; i < n; i++)
		full[m++] = parts[i];
	if (m == 2 && strcmp(full[0], "tiers") == 0)
		full[m++] = "min";
	const struct dtab *t = &conf_root_tab;
	void *base = cfg;
	int r = KAM_EUSAGE;
	for (int i = 0; i < m; i++) {
		const struct desc *d = tab_field(t, full[i]);
		if (!d) {
			set_cause(cause, KAM_EUSAGE, "what-if '%s': unknown key '%s'", assignment, full[i]);
			break;
		}
		if (d->type == D_STRUCT) {
			t = d->sub;
			base = (char *)base + d->off;
			continue;
		}
		if (d->type == D_MAP && i + 1 < m) {
			struct conf_item *it = conf_map_find((void *)((char *)base + d->off), d->sub, full[++i]);
			if (!it) {
				set_cause(cause, KAM_EUSAGE, "what-if '%s': no %s '%s'", assignment, d->sub->what,
					  full[i]);
				break;
			}
			t = d->sub;
			base = it;
			if (t->direct && i + 1 == m) {
				r = conf_set_value(cfg, &t->d[0], base, value, cause);
				break;
			}
			continue;
		}
		if (i + 1 != m || d->type == D_MAP || d->type == D_STEPS) {
			set_cause(cause, KAM_EUSAGE, "what-if '%s': '%s' cannot be set from the command line",
				  assignment, full[i]);
			break;
		}
		r = conf_set_value(cfg, d, base, value, cause);
		if (r == 0 && t != &conf_root_tab) {
			/* Mark the field as given, so cross-checks see it. */
			for (int k = 0; k < t->n; k++)
				if (&t->d[k] == d && t->item_size)
					((struct conf_item *)base)->set |= (uint64_t)1 << k;
		}
		break;
	}
	free(path);
	return r;
}
