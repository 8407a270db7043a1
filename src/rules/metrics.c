/* Account metrics for the rules, computed for all accounts at once into
 * arrays indexed by account id (ids are dense, from a counter). The usual
 * source is the store's per-account facts (one cursor walk, nothing decoded
 * but the facts; see store_facts_scan): today's date, the plan year and the
 * config are applied here. A database without facts (opened read-only
 * before they existed) is read with one scan per entity instead; both give
 * the same numbers (tests/unit/test_facts.c). */
#include "kam/rules.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "kam/err.h"

#define T_NUM ET_NUM
#define T_STR ET_STR
#define T_BOOL ET_BOOL
#define METRIC_DEF(id, name, type, help) {name, T_##type, help},
const struct metric_def metric_defs[M__COUNT] = {KAM_METRICS(METRIC_DEF)};
#undef METRIC_DEF

#define NEVER_DAYS 9999
#define HIST_YEARS 32 /* bit k of the buying mask: year Y - k had revenue */
#define MAX_DEPTH 64

int metric_lookup(const char *name)
{
	for (int i = 0; i < M__COUNT; i++)
		if (strcmp(metric_defs[i].name, name) == 0)
			return i;
	return -1;
}

/* Per-account working data beyond the metric values themselves. */
struct acc_work {
	int64_t rev[3], budget[3], margin_x_rev[3]; /* index k: year Y - k */
	int64_t pipeline, weighted;                 /* open amount (cents), sum of cents x percent */
	uint32_t buying;                            /* bit k: year Y - k had revenue */
	int64_t last_dm;                            /* days; 0 = never */
	int visits, private_visits;
};

/* (account, contact) pairs of decision makers: open addressing. */
struct pairset {
	uint64_t *k; /* account << 32 | contact; 0 = empty */
	size_t cap, n;
};

static uint64_t pair_key(uint64_t a, uint64_t c)
{
	return (a << 32) ^ (c & 0xffffffffu) ^ ((c >> 32) << 16);
}

static size_t pair_slot(const struct pairset *s, uint64_t key)
{
	size_t h = (size_t)((key * 0x9E3779B97F4A7C15ULL) >> 17) & (s->cap - 1);
	while (s->k[h] && s->k[h] != key)
		h = (h + 1) & (s->cap - 1);
	return h;
}

static void pair_add(struct pairset *s, uint64_t key)
{
	if ((s->n + 1) * 2 > s->cap) {
		struct pairset old = *s;
		s->cap = s->cap ? s->cap * 2 : 1024;
		s->k = xcalloc(s->cap, sizeof *s->k);
		s->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.k[i])
				s->k[pair_slot(s, old.k[i])] = old.k[i], s->n++;
		free(old.k);
	}
	size_t h = pair_slot(s, key);
	if (!s->k[h]) {
		s->k[h] = key;
		s->n++;
	}
}

static int pair_has(const struct pairset *s, uint64_t key)
{
	return s->cap && s->k[pair_slot(s, key)] == key;
}

/* Names and provinces are copied into chunks that never move, so the
 * metric rows can point at them, and are freed together. */
struct str_chunk {
	struct str_chunk *next;
	size_t used, cap;
	char s[];
};

static const char *strings_add(struct str_chunk **head, const char *s)
{
	size_t n = strlen(s) + 1;
	struct str_chunk *c = *head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > 65536 ? n : 65536;
		c = xmalloc(sizeof *c + cap);
		c->next = *head;
		c->used = 0;
		c->cap = cap;
		*head = c;
	}
	char *p = memcpy(c->s + c->used, s, n);
	c->used += n;
	return p;
}

static void strings_free(struct str_chunk *c)
{
	while (c) {
		struct str_chunk *next = c->next;
		free(c);
		c = next;
	}
}

struct ctx {
	struct txn *t;
	size_t w_mapped; /* the scan's per-account work table (c->w) */
	struct metric_set *m;
	struct acc_work *w;
	const struct kam_config *cfg;
	uint64_t cap;
	int year;
	int64_t today; /* days */
	struct pairset dm;
	struct account_facts full;   /* an account recomputed with every activity */
	int stage_prob[FACT_STAGES]; /* the configured win probability of each fact stage */
	uint64_t fallbacks;
};

static union metric_value *row(struct ctx *c, uint64_t id)
{
	return &c->m->v[id * M__COUNT];
}

static int in_range(struct ctx *c, uint64_t id)
{
	return id <= c->m->max_id && c->m->present[id];
}

/* The big tables (100k accounts: 26 MB of metric values) are mapped with
 * their pages faulted in by one call: page by page, the first touch of each
 * 4 KiB costs more than everything else the metrics do (measured: 330 ms
 * against 80 ms for 77 MB on a virtual machine). */
#define TABLE_MAP_MIN ((size_t)4 << 20)

static void table_free(void *p, size_t mapped)
{
	if (mapped)
		munmap(p, mapped);
	else
		free(p);
}

static void *table_resize(void *old, size_t old_bytes, size_t *mapped, size_t bytes)
{
	if (!*mapped && bytes < TABLE_MAP_MIN)
		return xrealloc(old, bytes);
	void *p = NULL;
#ifdef MAP_POPULATE
	p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
#endif
	size_t was = *mapped;
	*mapped = p && p != MAP_FAILED ? bytes : 0;
	if (!*mapped)
		p = xmalloc(bytes);
	if (old)
		memcpy(p, old, old_bytes < bytes ? old_bytes : bytes);
	table_free(old, was);
	return p;
}

static void resize(struct ctx *c, uint64_t cap)
{
	struct metric_set *m = c->m;
	m->present = xrealloc(m->present, cap);
	m->v = table_resize(m->v, c->cap * M__COUNT * sizeof *m->v, &m->v_mapped, cap * M__COUNT * sizeof *m->v);
	m->names = xrealloc(m->names, cap * sizeof *m->names);
	m->parent = xrealloc(m->parent, cap * sizeof *m->parent);
	if (c->w)
		c->w = table_resize(c->w, c->cap * sizeof *c->w, &c->w_mapped, cap * sizeof *c->w);
	/* New rows read as zero (0, no string): a mapping already does. */
	if (!m->v_mapped)
		memset(m->v + c->cap * M__COUNT, 0, (cap - c->cap) * M__COUNT * sizeof *m->v);
	memset(m->present + c->cap, 0, cap - c->cap);
	memset(m->names + c->cap, 0, (cap - c->cap) * sizeof *m->names);
	if (c->w)
		memset(c->w + c->cap, 0, (cap - c->cap) * sizeof *c->w);
	c->cap = cap;
}

static void grow(struct ctx *c, uint64_t id)
{
	if (id < c->cap)
		return;
	uint64_t cap = c->cap ? c->cap : 1024;
	while (cap <= id)
		cap *= 2;
	resize(c, cap);
}

static const char *enum_str(const struct record *r, int f)
{
	/* Enum codes point into the static schema tables: nothing to copy. */
	const struct field *fd = &r->ent->fields[f];
	if (!r->v[f].set || !r->v[f].s)
		return NULL;
	int i = enum_index(fd->enums, r->v[f].s);
	return i < 0 ? NULL : fd->enums[i];
}

/* The account's own fields, the same from a record or from its facts. */
struct account_fields {
	uint64_t id, parent;
	const char *name, *province;
	const char *procurement, *position, *scale, *industry, *stage;
	int64_t employees;
	int key, strategic, archived;
};

static void add_account(struct ctx *c, const struct account_fields *a)
{
	uint64_t id = a->id;
	grow(c, id);
	if (id > c->m->max_id)
		c->m->max_id = id;
	c->m->present[id] = a->archived ? 2 : 1;
	c->m->names[id] = strings_add(&c->m->strings, a->name);
	c->m->parent[id] = a->parent;
	/* The row is still zero (resize): only what is not 0 needs writing,
	 * which spares a pass over a table bigger than any cache. */
	union metric_value *v = row(c, id);
	v[M_PROVINCE].str = a->province ? strings_add(&c->m->strings, a->province) : NULL;
	v[M_PROCUREMENT].str = a->procurement;
	v[M_POSITION].str = a->position;
	v[M_SCALE].str = a->scale;
	v[M_INDUSTRY].str = a->industry;
	v[M_STAGE].str = a->stage;
	v[M_EMPLOYEES].num = (double)a->employees;
	v[M_KEY_FLAG].num = a->key;
	v[M_STRATEGIC_FLAG].num = a->strategic;
	v[M_DAYS_SINCE_DM].num = NEVER_DAYS;
}

static int visit_account(const struct record *r, void *arg)
{
	struct account_fields a = {
	    .id = r->id,
	    .parent = r->v[ACCOUNT_PARENT].set ? (uint64_t)r->v[ACCOUNT_PARENT].i : 0,
	    .name = record_name(r),
	    .province = r->v[ACCOUNT_PROVINCE].set ? r->v[ACCOUNT_PROVINCE].s : NULL,
	    .procurement = enum_str(r, ACCOUNT_PROCUREMENT),
	    .position = enum_str(r, ACCOUNT_POSITION),
	    .scale = enum_str(r, ACCOUNT_SCALE),
	    .industry = enum_str(r, ACCOUNT_INDUSTRY),
	    .stage = enum_str(r, ACCOUNT_STAGE),
	    .employees = r->v[ACCOUNT_EMPLOYEES].i,
	    .key = r->v[ACCOUNT_KEY].i != 0,
	    .strategic = r->v[ACCOUNT_STRATEGIC].i != 0,
	    .archived = r->v[ACCOUNT_ARCHIVED].i != 0,
	};
	add_account(arg, &a);
	return 0;
}

static void add_year(struct ctx *c, struct acc_work *w, int64_t year, int64_t rev, int64_t budget, int64_t margin)
{
	int k = c->year - (int)year;
	if (k < 0 || k >= HIST_YEARS)
		return;
	if (rev > 0)
		w->buying |= (uint32_t)1 << k;
	if (k < 3) {
		w->rev[k] += rev;
		w->budget[k] += budget;
		w->margin_x_rev[k] += rev * margin;
	}
}

static int visit_year(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t id = (uint64_t)r->v[AY_ACCOUNT].i;
	if (in_range(c, id))
		add_year(c, &c->w[id], r->v[AY_YEAR].i, r->v[AY_REVENUE].i, r->v[AY_BUDGET].i, r->v[AY_MARGIN].i);
	return 0;
}

static const char *enum_code_stage(int s)
{
	return s == 0 ? NULL : kam_enum_opp_stage[s - 1];
}

static int stage_probability(const struct kam_config *cfg, const char *stage)
{
	const struct conf_label *lb = stage && cfg ? conf_enum_value(cfg, kam_enum_opp_stage, stage) : NULL;
	return lb ? lb->probability : 0;
}

static int visit_opp(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t id = (uint64_t)r->v[OPP_ACCOUNT].i;
	if (!in_range(c, id) || r->v[OPP_YEAR].i != c->year)
		return 0;
	union metric_value *v = row(c, id);
	const char *status = r->v[OPP_STATUS].set ? r->v[OPP_STATUS].s : "open";
	if (strcmp(status, "lost") != 0 && r->v[OPP_STRATEGIC].i)
		v[M_STRATEGIC_OPPS].num += 1;
	if (strcmp(status, "open") != 0)
		return 0;
	/* Whole cents and cents x percent: exact, in any order. */
	int64_t amount = r->v[OPP_AMOUNT].i;
	int prob = r->v[OPP_PROBABILITY].set ? (int)r->v[OPP_PROBABILITY].i
					     : stage_probability(c->cfg, enum_str(r, OPP_STAGE));
	c->w[id].pipeline += amount;
	c->w[id].weighted += amount * prob;
	return 0;
}

static int is_dm_role(const char *role)
{
	return role && (strcmp(role, "economic_buyer") == 0 || strcmp(role, "decision_maker") == 0);
}

static int visit_account_contact(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t id = (uint64_t)r->v[AC_ACCOUNT].i;
	if (!in_range(c, id))
		return 0;
	/* A role that ended is history, not coverage. */
	if (r->v[AC_END].set && date_to_days(r->v[AC_END].i) < c->today)
		return 0;
	union metric_value *v = row(c, id);
	if (is_dm_role(r->v[AC_ROLE].s)) {
		v[M_DECISION_MAKERS].num += 1;
		pair_add(&c->dm, pair_key(id, (uint64_t)r->v[AC_CONTACT].i));
	}
	if (r->v[AC_KEY].i) {
		v[M_KEY_CONTACTS].num += 1;
		/* ab_coverage holds the covered count until finish() divides. */
		if (r->v[AC_OWNER_A].set && r->v[AC_OWNER_B].set && r->v[AC_OWNER_A].i != r->v[AC_OWNER_B].i)
			v[M_AB_COVERAGE].num += 1;
	}
	return 0;
}

static void add_visit(struct ctx *c, struct acc_work *w, union metric_value *v, int64_t day, int visit,
		      int private_visit)
{
	int window = c->cfg ? c->cfg->checks.private_visit_window : 90;
	if (day > c->today - window) {
		v[M_ACTIVITIES_90D].num += 1;
		if (visit) {
			w->visits++;
			if (private_visit)
				w->private_visits++;
		}
	}
}

static int is_visit(const char *type)
{
	return type && strcmp(type, "call") != 0 && strcmp(type, "email") != 0;
}

static int visit_activity(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t id = (uint64_t)r->v[ACT_ACCOUNT].i;
	if (!in_range(c, id))
		return 0;
	const char *status = r->v[ACT_STATUS].s;
	if (status && strcmp(status, "cancelled") == 0)
		return 0;
	int64_t day = date_to_days(r->v[ACT_DATE].i);
	if (day > c->today)
		return 0; /* planned, not happened */
	struct acc_work *w = &c->w[id];
	int visit = is_visit(r->v[ACT_TYPE].s);
	add_visit(c, w, row(c, id), day, visit, visit && strcmp(r->v[ACT_TYPE].s, "private_visit") == 0);
	if (day <= w->last_dm || !r->v[ACT_CONTACTS].set || !r->v[ACT_CONTACTS].s)
		return 0;
	for (const char *p = r->v[ACT_CONTACTS].s; *p;) {
		uint64_t cid = strtoull(p, NULL, 10);
		if (pair_has(&c->dm, pair_key(id, cid))) {
			w->last_dm = day;
			break;
		}
		p += strcspn(p, ";");
		p += *p == ';';
	}
	return 0;
}

static int visit_complaint(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t id = (uint64_t)r->v[CMP_ACCOUNT].i;
	if (!in_range(c, id))
		return 0;
	const char *s = r->v[CMP_STATUS].s;
	int open = s ? strcmp(s, "open") == 0 || strcmp(s, "in_progress") == 0 : !r->v[CMP_RESOLVED].set;
	if (open)
		row(c, id)[M_OPEN_COMPLAINTS].num += 1;
	return 0;
}

static double pct(double a, double b)
{
	return b == 0 ? 0 : a * 100.0 / b;
}

/* The metrics derived from an account's work data, once all of it is in. */
static void finish_account(const struct ctx *c, const struct acc_work *w, union metric_value *v)
{
	v[M_REVENUE].num = (double)w->rev[0] / 100.0;
	v[M_REVENUE_PREV].num = (double)w->rev[1] / 100.0;
	v[M_REVENUE_3Y].num = (double)(w->rev[0] + w->rev[1] + w->rev[2]) / 100.0;
	v[M_BUDGET].num = (double)w->budget[0] / 100.0;
	v[M_BUDGET_3Y].num = (double)(w->budget[0] + w->budget[1] + w->budget[2]) / 100.0;
	v[M_MARGIN].num = w->rev[0] ? (double)w->margin_x_rev[0] / (double)w->rev[0] : 0;
	int64_t r3 = w->rev[0] + w->rev[1] + w->rev[2];
	v[M_MARGIN_3Y].num =
	    r3 ? (double)(w->margin_x_rev[0] + w->margin_x_rev[1] + w->margin_x_rev[2]) / (double)r3 : 0;
	/* The plan year may not have revenue booked yet: count from the year
	 * before then. */
	uint32_t mask = w->buying & 1 ? w->buying : w->buying >> 1;
	int n = 0;
	while (n < HIST_YEARS && (mask >> n) & 1)
		n++;
	v[M_BUYING_YEARS].num = n;
	v[M_GROWTH].num = w->rev[1] ? pct((double)(w->rev[0] - w->rev[1]), (double)w->rev[1]) : 0;
	v[M_SHARE_OF_WALLET].num = pct((double)w->rev[0], (double)w->budget[0]);
	v[M_PIPELINE].num = (double)w->pipeline / 100.0;
	v[M_WEIGHTED_PIPELINE].num = (double)w->weighted / 10000.0;
	v[M_AB_COVERAGE].num = pct(v[M_AB_COVERAGE].num, v[M_KEY_CONTACTS].num);
	v[M_DAYS_SINCE_DM].num = w->last_dm ? (double)(c->today - w->last_dm) : NEVER_DAYS;
	v[M_PRIVATE_RATIO].num = pct(w->private_visits, w->visits);
}

/* Hierarchy roll-ups once every account is finished. */
static void roll_up(struct ctx *c)
{
	struct metric_set *m = c->m;
	for (uint64_t id = 0; id <= m->max_id; id++) {
		if (!m->present[id])
			continue;
		union metric_value *v = row(c, id);
		v[M_GROUP_REVENUE].num += v[M_REVENUE].num;
		v[M_GROUP_PIPELINE].num += v[M_PIPELINE].num;
		/* Roll up into every ancestor; the depth cap breaks parent cycles. */
		uint64_t p = m->parent[id];
		for (int d = 0; d < MAX_DEPTH && p && p <= m->max_id && m->present[p]; d++, p = m->parent[p]) {
			union metric_value *pv = row(c, p);
			if (d == 0)
				pv[M_CHILDREN].num += 1;
			pv[M_GROUP_REVENUE].num += v[M_REVENUE].num;
			pv[M_GROUP_PIPELINE].num += v[M_PIPELINE].num;
		}
	}
}

/* ---- from the per-account facts ---------------------------------------- */

static const char *enum_code(int field, int i)
{
	return i < 0 ? NULL : ENTITY(account)->fields[field].enums[i];
}

/* The facts keep activities from their horizon on: a window that starts
 * before it needs the account recomputed with all of them. */
static int needs_all(const struct ctx *c, const struct account_facts *f)
{
	if (f->horizon == FACT_NO_DAY)
		return 0;
	int window = c->cfg ? c->cfg->checks.private_visit_window : 90;
	int64_t from = c->today - window + 1;
	return (from < c->today ? from : c->today) < f->horizon;
}

static int visit_facts(const struct account_facts *f, void *arg)
{
	struct ctx *c = arg;
	if (needs_all(c, f)) {
		int rc = store_facts_load(c->t, f->id, 1, &c->full);
		if (rc)
			return rc;
		f = &c->full;
		c->fallbacks++;
	}
	uint64_t id = f->id;
	struct account_fields a = {
	    .id = id,
	    .parent = f->parent,
	    .name = f->name ? f->name : "",
	    .province = f->province,
	    .procurement = enum_code(ACCOUNT_PROCUREMENT, f->procurement),
	    .position = enum_code(ACCOUNT_POSITION, f->position),
	    .scale = enum_code(ACCOUNT_SCALE, f->scale),
	    .industry = enum_code(ACCOUNT_INDUSTRY, f->industry),
	    .stage = enum_code(ACCOUNT_STAGE, f->stage),
	    .employees = f->employees,
	    .key = f->key,
	    .strategic = f->strategic,
	    .archived = f->archived,
	};
	add_account(c, &a);
	union metric_value *v = row(c, id);
	struct acc_work work = {0}, *w = &work;
	for (size_t i = 0; i < f->nyears; i++)
		add_year(c, w, f->years[i].year, f->years[i].revenue, f->years[i].budget, f->years[i].margin);
	for (size_t i = 0; i < f->nopps; i++) {
		const struct fact_opps *o = &f->opps[i];
		if (o->year != c->year)
			continue;
		v[M_STRATEGIC_OPPS].num += (double)o->strategic;
		w->pipeline += o->open_prob;
		w->weighted += o->weighted_prob;
		for (int s = 0; s < FACT_STAGES; s++) {
			w->pipeline += o->open_stage[s];
			w->weighted += o->open_stage[s] * c->stage_prob[s];
		}
	}
	for (size_t i = 0; i < f->ncontacts; i++) {
		const struct fact_contact *ac = &f->contacts[i];
		if (ac->end != FACT_NO_DAY && ac->end < c->today)
			continue; /* a role that ended is history, not coverage */
		if (ac->flags & FACT_AC_DM) {
			v[M_DECISION_MAKERS].num += 1;
			/* Days <= 0 never count, as in the scan (0 = never). */
			if (ac->last_before > w->last_dm && ac->last_before <= c->today)
				w->last_dm = ac->last_before;
			for (size_t d = 0; d < ac->n; d++) {
				int64_t day = f->days[ac->first + d];
				if (day > w->last_dm && day <= c->today)
					w->last_dm = day;
			}
		}
		if (ac->flags & FACT_AC_KEY) {
			v[M_KEY_CONTACTS].num += 1;
			if (ac->flags & FACT_AC_AB)
				v[M_AB_COVERAGE].num += 1;
		}
	}
	for (size_t i = 0; i < f->nacts; i++)
		if (f->acts[i].day <= c->today)
			add_visit(c, w, v, f->acts[i].day, f->acts[i].kind != FACT_ACT_OTHER,
				  f->acts[i].kind == FACT_ACT_PRIVATE);
	v[M_OPEN_COMPLAINTS].num = (double)f->open_complaints;
	finish_account(c, w, v);
	return 0;
}

/* ---- by scanning every table --------------------------------------------- */

static int scan_all(struct ctx *c)
{
	/* Field-selective scans: each visit decodes only what it reads, into
	 * one record reused for the whole table. */
	static const struct {
		int ent;
		store_visit_fn fn;
		uint64_t mask;
	} scans[] = {
	    {ENT_account, visit_account,
	     FIELD_BIT(ACCOUNT_NAME) | FIELD_BIT(ACCOUNT_PARENT) | FIELD_BIT(ACCOUNT_INDUSTRY) |
		 FIELD_BIT(ACCOUNT_PROVINCE) | FIELD_BIT(ACCOUNT_SCALE) | FIELD_BIT(ACCOUNT_EMPLOYEES) |
		 FIELD_BIT(ACCOUNT_POSITION) | FIELD_BIT(ACCOUNT_PROCUREMENT) | FIELD_BIT(ACCOUNT_STAGE) |
		 FIELD_BIT(ACCOUNT_KEY) | FIELD_BIT(ACCOUNT_STRATEGIC) | FIELD_BIT(ACCOUNT_ARCHIVED)},
	    {ENT_account_year, visit_year,
	     FIELD_BIT(AY_ACCOUNT) | FIELD_BIT(AY_YEAR) | FIELD_BIT(AY_BUDGET) | FIELD_BIT(AY_REVENUE) |
		 FIELD_BIT(AY_MARGIN)},
	    {ENT_opportunity, visit_opp,
	     FIELD_BIT(OPP_ACCOUNT) | FIELD_BIT(OPP_YEAR) | FIELD_BIT(OPP_AMOUNT) | FIELD_BIT(OPP_STAGE) |
		 FIELD_BIT(OPP_PROBABILITY) | FIELD_BIT(OPP_STRATEGIC) | FIELD_BIT(OPP_STATUS)},
	    {ENT_account_contact, visit_account_contact,
	     FIELD_BIT(AC_ACCOUNT) | FIELD_BIT(AC_CONTACT) | FIELD_BIT(AC_ROLE) | FIELD_BIT(AC_OWNER_A) |
		 FIELD_BIT(AC_OWNER_B) | FIELD_BIT(AC_KEY) | FIELD_BIT(AC_END)},
	    {ENT_activity, visit_activity,
	     FIELD_BIT(ACT_ACCOUNT) | FIELD_BIT(ACT_TYPE) | FIELD_BIT(ACT_DATE) | FIELD_BIT(ACT_CONTACTS) |
		 FIELD_BIT(ACT_STATUS)},
	    {ENT_complaint, visit_complaint, FIELD_BIT(CMP_ACCOUNT) | FIELD_BIT(CMP_RESOLVED) | FIELD_BIT(CMP_STATUS)},
	};
	/* Accounts gather their work data from every table, so it is kept for
	 * all of them at once. */
	c->w = table_resize(NULL, 0, &c->w_mapped, c->cap * sizeof *c->w);
	if (!c->w_mapped)
		memset(c->w, 0, c->cap * sizeof *c->w);
	int r = 0;
	for (size_t i = 0; r == 0 && i < sizeof scans / sizeof scans[0]; i++)
		r = scans[i].ent == ENT_opportunity /* the plan year's only */
			? store_scan_match(c->t, ENTITY(opportunity), scans[i].mask, OPP_YEAR, c->year, visit_opp, c)
			: store_scan_fields(c->t, kam_entities[scans[i].ent], scans[i].mask, scans[i].fn, c);
	for (uint64_t id = 0; r == 0 && id <= c->m->max_id; id++)
		if (c->m->present[id])
			finish_account(c, &c->w[id], row(c, id));
	table_free(c->w, c->w_mapped);
	c->w = NULL;
	return r;
}

static void ctx_reset(struct ctx *c)
{
	memset(c->m->present, 0, c->cap);
	memset(c->m->names, 0, c->cap * sizeof *c->m->names);
	memset(c->m->v, 0, c->cap * M__COUNT * sizeof *c->m->v);
	c->m->max_id = 0;
	strings_free(c->m->strings);
	c->m->strings = NULL;
}

int metrics_compute_from(struct store *st, const struct kam_config *cfg, int year, int64_t today,
			 enum metrics_source src, struct metric_set **out, char **cause)
{
	struct ctx c = {0};
	c.m = xcalloc(1, sizeof *c.m);
	c.cfg = cfg;
	c.year = year;
	c.today = date_to_days(today);
	c.m->year = year;
	for (int s = 0; s < FACT_STAGES; s++)
		c.stage_prob[s] = stage_probability(cfg, enum_code_stage(s));
	grow(&c, 0);
	int r = store_begin(st, 0, &c.t);
	uint64_t last = 0;
	if (!r && !(r = store_last_id(c.t, ENTITY(account), &last)) && last >= c.cap)
		resize(&c, last + 1); /* every row at once, no regrowth */
	if (!r && src != METRICS_SCAN) {
		r = store_facts_scan(c.t, visit_facts, &c);
		if (r == KAM_ENOTFOUND && src == METRICS_AUTO) {
			ctx_reset(&c); /* nothing was added, but start clean */
			r = scan_all(&c);
		}
	} else if (!r) {
		r = scan_all(&c);
	}
	store_abort(c.t);
	store_facts_release(&c.full);
	free(c.dm.k);
	if (r < 0) {
		metrics_free(c.m);
		*out = NULL;
		return set_cause(cause, r, "computing metrics: %s", kam_strerror(r));
	}
	roll_up(&c);
	*out = c.m;
	return 0;
}

int metrics_compute(struct store *st, const struct kam_config *cfg, int year, int64_t today, struct metric_set **out,
		    char **cause)
{
	return metrics_compute_from(st, cfg, year, today, METRICS_AUTO, out, cause);
}

void metrics_free(struct metric_set *m)
{
	if (!m)
		return;
	free(m->names);
	free(m->present);
	table_free(m->v, m->v_mapped);
	free(m->parent);
	strings_free(m->strings);
	free(m);
}
