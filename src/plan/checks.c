/* KAM planning checks: one read txn, then the findings.
 *
 * Whole database: one scan per entity into arrays indexed by id (at dataset
 * L, 100k accounts and 2M activities, a lookup per account would cost more
 * than the scans themselves).
 *
 * A set of accounts (check_filter.account or .kam): each account's records
 * are read through the indexes (opportunities by account, activities by
 * account x date, links, complaints, teams and plans by account), and the
 * records they point to (staff, contacts, other accounts' opportunities) are
 * looked up one by one into hash tables. The work grows with the accounts
 * asked for, not with the database. The only cross-account fact, a key
 * contact's last contact (any activity naming the contact, whatever its
 * account), comes from the activity "contacts" index. */
#include "kam/checks.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

#define KAM_CHECK_DEF(id, name, help) {name, help},
const struct check_def check_defs[CHK__COUNT] = {KAM_CHECKS(KAM_CHECK_DEF)};
#undef KAM_CHECK_DEF

int check_lookup(const char *name)
{
	for (int i = 0; i < CHK__COUNT; i++)
		if (strcmp(check_defs[i].name, name) == 0)
			return i;
	return -1;
}

const char *check_severity_name(enum check_severity s)
{
	static const char *const n[] = {"error", "warning", "info"};
	return s <= SEV_INFO ? n[s] : "?";
}

#define NO_DAY INT64_MIN

struct acc {
	unsigned char present, archived, tier; /* tier: 2 strategic, 1 key, 0 other */
	unsigned char multi, plan_seen, has_team;
	int visits, privates;
	uint64_t first_contact;
	int64_t last_exec; /* days */
	unsigned team_funcs;
};

struct con {
	unsigned char present, left;
	int cadence;
	int64_t last; /* days of the last contact (past, not cancelled) */
};

struct opp {
	unsigned char present, status, strategic, roles, has_team, phase;
	uint64_t account;
	int64_t decision; /* yyyymmdd or 0 */
	char *title;
	const char *stage;
	unsigned team_funcs;
};

struct staff {
	unsigned char present, left;
	int function;
	char *name;
};

/* A dense array indexed by id that grows as ids come in ascending order
 * (whole-database scans), or, when sparse, an open-addressing hash table of
 * the few ids a filtered run touches: keys[i] is the id in slot i, 0 for a
 * free slot. Entries start zeroed; a growing table moves them (do not keep
 * an entry pointer across an insert into the same table). */
struct dense {
	void *v;
	size_t n, size;
	uint64_t *keys;
	size_t used;
	int sparse;
};

static size_t slot_of(uint64_t id, size_t n)
{
	return (size_t)((id * 0x9E3779B97F4A7C15ull) >> 17) & (n - 1);
}

static void *sparse_find(const struct dense *d, uint64_t id, size_t *slot)
{
	if (!d->n) {
		*slot = 0;
		return NULL;
	}
	size_t i = slot_of(id, d->n);
	while (d->keys[i] && d->keys[i] != id)
		i = (i + 1) & (d->n - 1);
	*slot = i;
	return d->keys[i] ? (char *)d->v + i * d->size : NULL;
}

static void sparse_grow(struct dense *d)
{
	struct dense old = *d;
	d->n = old.n ? 2 * old.n : 64;
	d->v = xcalloc(d->n, d->size);
	d->keys = xcalloc(d->n, sizeof *d->keys);
	for (size_t i = 0; i < old.n; i++) {
		if (!old.keys[i])
			continue;
		size_t j;
		sparse_find(d, old.keys[i], &j);
		d->keys[j] = old.keys[i];
		memcpy((char *)d->v + j * d->size, (char *)old.v + i * d->size, d->size);
	}
	free(old.v);
	free(old.keys);
}

/* Slot i's id, 0 when the slot holds nothing (ids start at 1). */
static uint64_t dense_id(const struct dense *d, size_t i)
{
	return d->sparse ? d->keys[i] : i;
}

static void *dense_slot(const struct dense *d, size_t i)
{
	return (char *)d->v + i * d->size;
}

static void *dense_at(struct dense *d, uint64_t id)
{
	if (d->sparse) {
		size_t i;
		void *e = sparse_find(d, id, &i);
		if (e)
			return e;
		if ((d->used + 1) * 2 > d->n) {
			sparse_grow(d);
			sparse_find(d, id, &i);
		}
		d->keys[i] = id;
		d->used++;
		return dense_slot(d, i);
	}
	if (id >= d->n) {
		size_t n = d->n ? d->n : 1024;
		while (n <= id)
			n *= 2;
		d->v = xrealloc(d->v, n * d->size);
		memset((char *)d->v + d->n * d->size, 0, (n - d->n) * d->size);
		d->n = n;
	}
	return (char *)d->v + id * d->size;
}

static void *dense_get(const struct dense *d, uint64_t id) /* NULL if absent */
{
	if (d->sparse) {
		size_t i;
		return id ? sparse_find(d, id, &i) : NULL;
	}
	return id < d->n ? (char *)d->v + id * d->size : NULL;
}

struct ctx {
	struct txn *t;
	const struct kam_config *cfg;
	struct check_filter f;
	int64_t today; /* days */
	int year;
	struct dense acc, con, opp, staff;
	int filtered;              /* a set of accounts: sparse tables, index reads */
	uint64_t *accounts, *opps; /* filtered: the accounts and their opportunities */
	size_t naccounts, nopps;
	struct record *rec_staff, *rec_con, *rec_opp, *rec_acc; /* filtered: reused by the lookups */
	int err;                                                /* filtered: a lookup failed */
	struct finding *out;
	size_t n, cap;
};

/* The check is enabled in the configuration and asked for. */
static int want(const struct ctx *c, enum check_id k)
{
	return c->cfg->checks.state[k].enabled > 0 && (c->f.check < 0 || c->f.check == (int)k);
}

static int acc_tier(const struct ctx *c, uint64_t id)
{
	const struct acc *a = dense_get(&c->acc, id);
	return a && a->present ? a->tier : 0;
}

static int acc_live(const struct ctx *c, uint64_t id)
{
	const struct acc *a = dense_get(&c->acc, id);
	return a && a->present && !a->archived && (!c->f.account || c->f.account == id);
}

static void add(struct ctx *c, enum check_id k, uint64_t account, const struct entity *e, uint64_t id, const char *name,
		const char *fmt, ...) __attribute__((format(printf, 7, 8)));
static void add(struct ctx *c, enum check_id k, uint64_t account, const struct entity *e, uint64_t id, const char *name,
		const char *fmt, ...)
{
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->out = xrealloc(c->out, c->cap * sizeof *c->out);
	}
	struct finding *f = &c->out[c->n++];
	va_list ap;
	va_start(ap, fmt);
	f->msg = xvasprintf(fmt, ap);
	va_end(ap);
	f->check = k;
	f->severity = (enum check_severity)c->cfg->checks.state[k].severity;
	f->account = account;
	f->account_key = acc_tier(c, account);
	f->ent = e;
	f->id = id;
	f->name = name ? xstrdup(name) : NULL;
}

static char *date_str(int64_t yyyymmdd, char b[16])
{
	snprintf(b, 16, "%04d-%02d-%02d", (int)(yyyymmdd / 10000), (int)(yyyymmdd / 100 % 100), (int)(yyyymmdd % 100));
	return b;
}

static char *days_str(int64_t days, char b[16])
{
	return date_str(days_to_date(days), b);
}

static int is_status(const char *s, const char *v)
{
	return s && strcmp(s, v) == 0;
}

/* ---- scans ---------------------------------------------------------------- */

static int scan_staff(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	struct staff *s = dense_at(&c->staff, r->id);
	s->present = 1;
	s->left = is_status(r->v[STAFF_STATUS].s, "left");
	s->function = r->v[STAFF_FUNCTION].s ? enum_index(kam_enum_function, r->v[STAFF_FUNCTION].s) : -1;
	free(s->name);
	s->name = xstrdup(record_name(r));
	return 0;
}

static int scan_account(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	struct acc *a = dense_at(&c->acc, r->id);
	a->present = 1;
	a->archived = r->v[ACCOUNT_ARCHIVED].i != 0;
	a->tier = r->v[ACCOUNT_STRATEGIC].i ? 2 : r->v[ACCOUNT_KEY].i ? 1 : 0;
	a->last_exec = NO_DAY;
	return 0;
}

static int scan_contact(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	struct con *p = dense_at(&c->con, r->id);
	p->present = 1;
	p->left = is_status(r->v[CONTACT_STATUS].s, "left");
	p->cadence = record_has(r, CONTACT_CADENCE) ? (int)r->v[CONTACT_CADENCE].i : 0;
	p->last = NO_DAY;
	return 0;
}

static int opp_status(const char *s)
{
	return is_status(s, "won") ? 1 : is_status(s, "lost") ? 2 : 0;
}

static int scan_opp(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	struct opp *o = dense_at(&c->opp, r->id);
	o->present = 1;
	o->status = (unsigned char)opp_status(r->v[OPP_STATUS].s);
	o->strategic = r->v[OPP_STRATEGIC].i != 0;
	o->account = (uint64_t)r->v[OPP_ACCOUNT].i;
	o->decision = record_has(r, OPP_DECISION) ? r->v[OPP_DECISION].i : 0;
	free(o->title);
	o->title = xstrdup(record_name(r));
	int st = r->v[OPP_STAGE].s ? enum_index(kam_enum_opp_stage, r->v[OPP_STAGE].s) : -1;
	o->stage = st >= 0 ? kam_enum_opp_stage[st] : NULL; /* static storage, outlives the record */
	return 0;
}

static int scan_opp_contact(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	struct opp *o = dense_get(&c->opp, (uint64_t)r->v[OC_OPPORTUNITY].i);
	int role = r->v[OC_ROLE].s ? enum_index(kam_enum_buying_role, r->v[OC_ROLE].s) : -1;
	if (o && o->present && role >= 0)
		o->roles |= (unsigned char)(1u << role);
	return 0;
}

/* The fields each entity's callback reads: see run_scans. */
#define F(f) FIELD_BIT(f)
static uint64_t with_name(const struct entity *e, uint64_t mask)
{
	return e->name_field >= 0 ? mask | FIELD_BIT(e->name_field) : mask;
}
static uint64_t staff_mask(void)
{
	return with_name(ENTITY(staff), F(STAFF_STATUS) | F(STAFF_FUNCTION));
}
#define ACC_FIELDS (F(ACCOUNT_ARCHIVED) | F(ACCOUNT_STRATEGIC) | F(ACCOUNT_KEY))
#define CON_FIELDS (F(CONTACT_STATUS) | F(CONTACT_CADENCE))
static uint64_t opp_mask(void)
{
	return with_name(ENTITY(opportunity),
			 F(OPP_STATUS) | F(OPP_STRATEGIC) | F(OPP_ACCOUNT) | F(OPP_DECISION) | F(OPP_STAGE));
}

/* ---- lookups: a table filled by the scans, or in a filtered run the record
 * read on first use (an absent record stays absent: present == 0) ---------- */

static void *lookup(struct ctx *c, struct dense *d, struct record *rec, uint64_t mask, store_visit_fn fill, uint64_t id)
{
	void *e = dense_get(d, id);
	if (!c->filtered || e || !id)
		return e;
	dense_at(d, id);
	int r = store_get_fields(c->t, id, mask, rec);
	if (!r)
		fill(rec, c);
	else if (r != KAM_ENOTFOUND && !c->err)
		c->err = r;
	return dense_get(d, id);
}

static struct staff *staff_get(struct ctx *c, uint64_t id)
{
	return lookup(c, &c->staff, c->rec_staff, staff_mask(), scan_staff, id);
}

static struct opp *opp_get(struct ctx *c, uint64_t id)
{
	return lookup(c, &c->opp, c->rec_opp, opp_mask(), scan_opp, id);
}

/* The last contact with one contact: every activity naming it, whatever its
 * account, as the whole-database activity scan sees them (note_contacts). */
struct last_ctx {
	struct ctx *c;
	int64_t last;
};

static int visit_last(const struct record *r, void *arg)
{
	struct last_ctx *l = arg;
	if (is_status(r->v[ACT_STATUS].s, "cancelled"))
		return 0;
	int64_t day = date_to_days(r->v[ACT_DATE].i);
	if (day <= l->c->today && day > l->last)
		l->last = day;
	return 0;
}

static const struct con *con_get(struct ctx *c, uint64_t id)
{
	int had = dense_get(&c->con, id) != NULL;
	struct con *k = lookup(c, &c->con, c->rec_con, CON_FIELDS, scan_contact, id);
	if (!c->filtered || had || !k || !k->present)
		return k;
	struct last_ctx l = {c, NO_DAY};
	struct value v = {(int64_t)id, NULL, 1};
	int r = store_index_scan_fields(c->t, ENTITY(activity), "contacts", &v, 1, F(ACT_STATUS) | F(ACT_DATE),
					visit_last, &l);
	if (r && !c->err)
		c->err = r;
	k = dense_get(&c->con, id); /* no insert since: same entry */
	k->last = l.last;
	return k;
}

static int is_brand(const struct ctx *c, const char *type)
{
	const struct conf_label *l = type ? conf_enum_value(c->cfg, kam_enum_activity_type, type) : NULL;
	return l && l->brand;
}

static void check_brand(struct ctx *c, const struct record *r, uint64_t account)
{
	char d1[16], d2[16], d3[16];
	const char *title = record_name(r);
	int64_t date = r->v[ACT_DATE].i;
	uint64_t oid = record_has(r, ACT_OPPORTUNITY) ? (uint64_t)r->v[ACT_OPPORTUNITY].i : 0;
	const struct opp *o = oid ? opp_get(c, oid) : NULL;
	if (!o || !o->present) {
		if (want(c, CHK_BRAND_NO_OPP))
			add(c, CHK_BRAND_NO_OPP, account, ENTITY(activity), r->id, title,
			    "brand activity %s %s (%s) supports no opportunity", date_str(date, d1), title,
			    r->v[ACT_TYPE].s);
	} else if (o->decision && want(c, CHK_BRAND_AFTER_DECISION)) {
		int64_t dur = r->v[ACT_DURATION].i > 1 ? r->v[ACT_DURATION].i : 1;
		int64_t end = date_to_days(date) + dur - 1;
		int lead = c->cfg->checks.lead_days;
		if (end > date_to_days(o->decision) - lead)
			add(c, CHK_BRAND_AFTER_DECISION, account, ENTITY(activity), r->id, title,
			    "brand activity %s %s ends %s, not %d days before the decision %s of %s",
			    date_str(date, d1), title, days_str(end, d2), lead, date_str(o->decision, d3), o->title);
	}
	if (!want(c, CHK_BRAND_BUDGET))
		return;
	int64_t g = r->v[ACT_GUESTS].i, d = r->v[ACT_DAYS].i, cost = r->v[ACT_COST_PER_GUEST_DAY].i;
	int64_t fixed = r->v[ACT_FIXED_COST].i, expect = g * d * cost + fixed;
	if (!record_has(r, ACT_BUDGET) || r->v[ACT_BUDGET].i <= 0) {
		add(c, CHK_BRAND_BUDGET, account, ENTITY(activity), r->id, title, "brand activity %s %s has no budget",
		    date_str(date, d1), title);
	} else if (r->v[ACT_BUDGET].i != expect) {
		struct buf b1 = {0}, b2 = {0};
		format_money(r->v[ACT_BUDGET].i, &b1);
		format_money(expect, &b2);
		add(c, CHK_BRAND_BUDGET, account, ENTITY(activity), r->id, title,
		    "budget %s differs from guests %lld x days %lld x cost + fixed = %s", b1.p, (long long)g,
		    (long long)d, b2.p);
		buf_free(&b1);
		buf_free(&b2);
	}
}

/* Contacts of an activity: "3;17". Updates last-contact days and the
 * account's distinct-contact tracking. */
static void note_contacts(struct ctx *c, struct acc *a, const char *refs, int64_t day)
{
	int in_thread = day > c->today - c->cfg->checks.single_thread_days;
	for (const char *p = refs; p && *p;) {
		char *end;
		uint64_t id = strtoull(p, &end, 10);
		if (end == p)
			break;
		struct con *k = dense_get(&c->con, id);
		if (k && k->present && day > k->last)
			k->last = day;
		if (in_thread && id) {
			if (!a->first_contact)
				a->first_contact = id;
			else if (a->first_contact != id)
				a->multi = 1;
		}
		p = *end == ';' ? end + 1 : end;
	}
}

static int scan_activity(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t account = (uint64_t)r->v[ACT_ACCOUNT].i;
	if (is_status(r->v[ACT_STATUS].s, "cancelled"))
		return 0;
	struct acc *a = dense_get(&c->acc, account);
	if (!a || !a->present)
		return 0;
	const char *type = r->v[ACT_TYPE].s;
	int64_t day = date_to_days(r->v[ACT_DATE].i);
	if (is_status(type, "executive_visit") && day > a->last_exec)
		a->last_exec = day;
	if (day <= c->today) {
		note_contacts(c, a, r->v[ACT_CONTACTS].s, day);
		if (day > c->today - c->cfg->checks.private_visit_window && type && strcmp(type, "call") &&
		    strcmp(type, "email")) {
			a->visits++;
			a->privates += is_status(type, "private_visit");
		}
	}
	if (acc_live(c, account) && is_brand(c, type))
		check_brand(c, r, account);
	return 0;
}

static const char *tier_id(int tier)
{
	return tier == 2 ? "strategic" : tier == 1 ? "key" : "develop";
}

static int cadence_days(const struct ctx *c, int tier, const char *role, int own)
{
	if (own > 0)
		return own;
	const struct conf_map *m = &c->cfg->checks.cadence;
	for (int i = 0; i < m->n; i++) {
		const struct conf_cadence *cd = CONF_MAP_AT(*m, struct conf_cadence, i);
		if (strcmp(cd->head.id, tier_id(tier)) != 0)
			continue;
		int ri = role ? enum_index(kam_enum_decision_role, role) : -1;
		return ri >= 0 && ri < 16 && cd->role_days[ri] > 0 ? cd->role_days[ri] : cd->dflt;
	}
	return 0;
}

static void check_owners(struct ctx *c, const struct record *r, uint64_t account)
{
	uint64_t a = (uint64_t)r->v[AC_OWNER_A].i, b = (uint64_t)r->v[AC_OWNER_B].i;
	uint64_t contact = (uint64_t)r->v[AC_CONTACT].i;
	const struct entity *e = ENTITY(contact);
	if (!record_has(r, AC_OWNER_A) || !a)
		add(c, CHK_AB_OWNERS, account, e, contact, NULL, "key contact has no A owner");
	if (!record_has(r, AC_OWNER_B) || !b)
		add(c, CHK_AB_OWNERS, account, e, contact, NULL, "key contact has no B owner");
	if (a && a == b)
		add(c, CHK_AB_OWNERS, account, e, contact, NULL, "A and B owner are the same person");
	uint64_t ab[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		const struct staff *s = ab[i] ? staff_get(c, ab[i]) : NULL;
		if (s && s->present && s->left)
			add(c, CHK_AB_OWNERS, account, e, contact, NULL, "%c owner %s has left", "AB"[i], s -> name);
	}
}

static int scan_account_contact(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t account = (uint64_t)r->v[AC_ACCOUNT].i;
	if (!r->v[AC_KEY].i || !acc_live(c, account))
		return 0;
	if (record_has(r, AC_END) && date_to_days(r->v[AC_END].i) < c->today)
		return 0; /* no longer in the role */
	const struct con *k = con_get(c, (uint64_t)r->v[AC_CONTACT].i);
	if (!k || !k->present || k->left)
		return 0;
	if (want(c, CHK_AB_OWNERS))
		check_owners(c, r, account);
	if (!want(c, CHK_CONTACT_CADENCE))
		return 0;
	int tier = acc_tier(c, account);
	const char *role = r->v[AC_ROLE].s;
	int days = cadence_days(c, tier, role, k->cadence);
	if (days <= 0)
		return 0;
	char d1[16];
	if (k->last == NO_DAY)
		add(c, CHK_CONTACT_CADENCE, account, ENTITY(contact), (uint64_t)r->v[AC_CONTACT].i, NULL,
		    "never contacted; cadence %d days (%s, %s)", days, tier_id(tier), role ? role : "no role");
	else if (c->today - k->last > days)
		add(c, CHK_CONTACT_CADENCE, account, ENTITY(contact), (uint64_t)r->v[AC_CONTACT].i, NULL,
		    "last contacted %s, %lld days ago; cadence %d days (%s, %s)", days_str(k->last, d1),
		    (long long)(c->today - k->last), days, tier_id(tier), role ? role : "no role");
	return 0;
}

static int scan_complaint(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t account = (uint64_t)r->v[CMP_ACCOUNT].i;
	const char *st = r->v[CMP_STATUS].s;
	if (!acc_live(c, account) || is_status(st, "resolved") || is_status(st, "closed") ||
	    record_has(r, CMP_RESOLVED))
		return 0;
	const char *sev = r->v[CMP_SEVERITY].s ? r->v[CMP_SEVERITY].s : "medium";
	int si = enum_index(kam_enum_severity, sev);
	int sla = si >= 0 && si < 8 ? c->cfg->checks.complaint_sla[si] : 0;
	int64_t age = c->today - date_to_days(r->v[CMP_OPENED].i);
	char d1[16];
	if (sla > 0 && age > sla)
		add(c, CHK_COMPLAINT_SLA, account, ENTITY(complaint), r->id, NULL,
		    "open %lld days since %s; SLA %d days for %s", (long long)age, date_str(r->v[CMP_OPENED].i, d1),
		    sla, sev);
	return 0;
}

static int in_team_now(const struct ctx *c, const struct record *r)
{
	if (record_has(r, TEAM_FROM) && date_to_days(r->v[TEAM_FROM].i) > c->today)
		return 0;
	return !record_has(r, TEAM_TO) || date_to_days(r->v[TEAM_TO].i) >= c->today;
}

static int scan_team(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	if (!in_team_now(c, r))
		return 0;
	const struct staff *s = staff_get(c, (uint64_t)r->v[TEAM_STAFF].i);
	unsigned fn = s && s->present && !s->left && s->function >= 0 ? 1u << s->function : 0;
	int phase = r->v[TEAM_PHASE].s ? enum_index(kam_enum_team_phase, r->v[TEAM_PHASE].s) : 0;
	struct opp *o = record_has(r, TEAM_OPPORTUNITY) ? opp_get(c, (uint64_t)r->v[TEAM_OPPORTUNITY].i) : NULL;
	if (o && o->present) {
		o->has_team = 1;
		o->team_funcs |= fn;
		if (phase > o->phase)
			o->phase = (unsigned char)phase;
		return 0;
	}
	struct acc *a = record_has(r, TEAM_ACCOUNT) ? dense_get(&c->acc, (uint64_t)r->v[TEAM_ACCOUNT].i) : NULL;
	if (a && a->present) {
		a->has_team = 1;
		a->team_funcs |= fn;
	}
	return 0;
}

static int scan_plan(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	uint64_t account = (uint64_t)r->v[PLAN_ACCOUNT].i;
	if (r->v[PLAN_YEAR].i != c->year || !acc_live(c, account) || !acc_tier(c, account))
		return 0;
	struct acc *a = dense_get(&c->acc, account);
	a->plan_seen = 1;
	struct buf miss = {0};
	if (!record_has(r, PLAN_PROFILE))
		buf_adds(&miss, ", profile");
	if (!record_has(r, PLAN_DECISION_PROCESS))
		buf_adds(&miss, ", decision process");
	if (!record_has(r, PLAN_PRODUCT_MIX) && !record_has(r, PLAN_BENEFITS))
		buf_adds(&miss, ", value proposition");
	if (!record_has(r, PLAN_GOALS))
		buf_adds(&miss, ", goals");
	if (miss.len)
		add(c, CHK_PLAN_SECTIONS, account, ENTITY(plan), r->id, NULL, "plan %d misses %s", c->year, miss.p + 2);
	buf_free(&miss);
	return 0;
}

/* ---- checks over the aggregated arrays --------------------------------------- */

/* Required staff functions per team phase (kam_enum_team_phase order). */
static const char *const phase_needs[][3] = {
    {"account_manager", "solution", NULL},
    {"project", "delivery", NULL},
    {"service", NULL, NULL},
};

static void missing_functions(unsigned have, int phase, struct buf *out)
{
	for (int i = 0; i < 3 && phase_needs[phase][i]; i++) {
		int fi = enum_index(kam_enum_function, phase_needs[phase][i]);
		if (fi >= 0 && !(have & (1u << fi)))
			buf_addf(out, "%s%s", out->len ? ", " : "", phase_needs[phase][i]);
	}
}

static void check_opps(struct ctx *c)
{
	static const char *const roles[] = {"economic", "user", "technical", "coach"};
	char d1[16];
	for (size_t slot = 0; slot < c->opp.n; slot++) {
		uint64_t id = dense_id(&c->opp, slot);
		struct opp *o = dense_slot(&c->opp, slot);
		if (!id || !o->present || !acc_live(c, o->account))
			continue;
		if (o->status == 0 && o->decision && date_to_days(o->decision) < c->today && want(c, CHK_OPP_OVERDUE))
			add(c, CHK_OPP_OVERDUE, o->account, ENTITY(opportunity), id, o->title,
			    "decision %s passed %lld days ago and it is still open (stage %s)",
			    date_str(o->decision, d1), (long long)(c->today - date_to_days(o->decision)),
			    o->stage ? o->stage : "-");
		if (o->status == 0 && (o->strategic || acc_tier(c, o->account)) && want(c, CHK_BUYING_ROLES)) {
			struct buf miss = {0};
			for (int i = 0; i < 4; i++)
				if (!(o->roles & (1u << i)))
					buf_addf(&miss, "%s%s", miss.len ? ", " : "", roles[i]);
			if (miss.len)
				add(c, CHK_BUYING_ROLES, o->account, ENTITY(opportunity), id, o->title,
				    "open key opportunity without buying role %s", miss.p);
			buf_free(&miss);
		}
		if (o->has_team && o->status != 2 && want(c, CHK_TEAM_FUNCTIONS)) {
			struct buf miss = {0};
			missing_functions(o->team_funcs, o->phase < 3 ? o->phase : 0, &miss);
			if (miss.len)
				add(c, CHK_TEAM_FUNCTIONS, o->account, ENTITY(opportunity), id, o->title,
				    "opportunity team in phase %s lacks %s", kam_enum_team_phase[o->phase], miss.p);
			buf_free(&miss);
		}
	}
}

static void check_accounts(struct ctx *c)
{
	const struct kam_config *cfg = c->cfg;
	char d1[16];
	for (size_t slot = 0; slot < c->acc.n; slot++) {
		uint64_t id = dense_id(&c->acc, slot);
		struct acc *a = dense_slot(&c->acc, slot);
		if (!id || !acc_live(c, id))
			continue;
		int am = enum_index(kam_enum_function, "account_manager");
		if (a->has_team && !(a->team_funcs & (1u << am)) && want(c, CHK_TEAM_FUNCTIONS))
			add(c, CHK_TEAM_FUNCTIONS, id, ENTITY(account), id, NULL, "account team lacks account_manager");
		if (!a->tier)
			continue;
		if (a->visits && a->privates * 100 < cfg->checks.private_visit_ratio * a->visits &&
		    want(c, CHK_PRIVATE_VISITS))
			add(c, CHK_PRIVATE_VISITS, id, ENTITY(account), id, NULL,
			    "%d private of %d visits in the last %d days (%d%%), target %d%%", a->privates, a->visits,
			    cfg->checks.private_visit_window, a->privates * 100 / a->visits,
			    cfg->checks.private_visit_ratio);
		if (a->tier == 2 && want(c, CHK_EXEC_MEETING)) {
			int days = cfg->checks.exec_meeting_days;
			if (a->last_exec == NO_DAY)
				add(c, CHK_EXEC_MEETING, id, ENTITY(account), id, NULL,
				    "no executive meeting on record; cadence %d days", days);
			else if (c->today - a->last_exec > days)
				add(c, CHK_EXEC_MEETING, id, ENTITY(account), id, NULL,
				    "last executive meeting %s, %lld days ago; cadence %d days",
				    days_str(a->last_exec, d1), (long long)(c->today - a->last_exec), days);
		}
		if (a->first_contact && !a->multi && want(c, CHK_SINGLE_THREADED)) {
			struct record *r = NULL;
			store_get(c->t, ENTITY(contact), a->first_contact, &r);
			add(c, CHK_SINGLE_THREADED, id, ENTITY(account), id, NULL,
			    "only one contact (%s) touched in the last %d days", r ? record_name(r) : "?",
			    cfg->checks.single_thread_days);
			record_free(r);
		}
		if (!a->plan_seen && want(c, CHK_PLAN_SECTIONS))
			add(c, CHK_PLAN_SECTIONS, id, ENTITY(account), id, NULL, "key account has no plan for %d",
			    c->year);
	}
}

/* ---- driver ----------------------------------------------------------------- */

static void fill_names(struct ctx *c)
{
	for (size_t i = 0; i < c->n; i++) {
		struct finding *f = &c->out[i];
		if (f->name)
			continue;
		struct record *r = NULL;
		f->name = xstrdup(store_get(c->t, f->ent, f->id, &r) == 0 ? record_name(r) : "");
		record_free(r);
	}
}

static int by_importance(const void *x, const void *y)
{
	const struct finding *a = x, *b = y;
	if (a->severity != b->severity)
		return a->severity < b->severity ? -1 : 1;
	if (a->account_key != b->account_key)
		return a->account_key > b->account_key ? -1 : 1;
	if (a->check != b->check)
		return a->check < b->check ? -1 : 1;
	if (a->account != b->account)
		return a->account < b->account ? -1 : 1;
	if (a->id != b->id)
		return a->id < b->id ? -1 : 1;
	return strcmp(a->msg, b->msg);
}

static void ctx_free(struct ctx *c)
{
	struct opp *o = c->opp.v;
	for (size_t i = 0; i < c->opp.n; i++)
		free(o[i].title);
	struct staff *s = c->staff.v;
	for (size_t i = 0; i < c->staff.n; i++)
		free(s[i].name);
	struct dense *d[] = {&c->acc, &c->con, &c->opp, &c->staff};
	for (int i = 0; i < 4; i++) {
		free(d[i]->v);
		free(d[i]->keys);
	}
	free(c->accounts);
	free(c->opps);
	record_free(c->rec_staff);
	record_free(c->rec_con);
	record_free(c->rec_opp);
	record_free(c->rec_acc);
}

/* Each scan decodes only the fields its callback reads (store_scan_fields:
 * no allocation per row). A field missing here reads as unset: keep the
 * masks in step with the callbacks above. */
static uint64_t act_mask(void)
{
	return with_name(ENTITY(activity), F(ACT_ACCOUNT) | F(ACT_STATUS) | F(ACT_TYPE) | F(ACT_DATE) |
					       F(ACT_CONTACTS) | F(ACT_OPPORTUNITY) | F(ACT_DURATION) | F(ACT_GUESTS) |
					       F(ACT_DAYS) | F(ACT_COST_PER_GUEST_DAY) | F(ACT_FIXED_COST) |
					       F(ACT_BUDGET));
}
#define OC_FIELDS (F(OC_OPPORTUNITY) | F(OC_ROLE))
#define LINK_FIELDS (F(AC_ACCOUNT) | F(AC_KEY) | F(AC_END) | F(AC_CONTACT) | F(AC_OWNER_A) | F(AC_OWNER_B) | F(AC_ROLE))
#define CMP_FIELDS (F(CMP_ACCOUNT) | F(CMP_STATUS) | F(CMP_RESOLVED) | F(CMP_SEVERITY) | F(CMP_OPENED))
#define TEAM_FIELDS (F(TEAM_FROM) | F(TEAM_TO) | F(TEAM_STAFF) | F(TEAM_PHASE) | F(TEAM_OPPORTUNITY) | F(TEAM_ACCOUNT))
#define PLAN_FIELDS                                                                                                    \
	(F(PLAN_ACCOUNT) | F(PLAN_YEAR) | F(PLAN_PROFILE) | F(PLAN_DECISION_PROCESS) | F(PLAN_PRODUCT_MIX) |           \
	 F(PLAN_BENEFITS) | F(PLAN_GOALS))

static int scan(struct ctx *c, const struct entity *e, uint64_t mask, store_visit_fn fn)
{
	return store_scan_fields(c->t, e, mask, fn, c);
}

static int run_scans(struct ctx *c)
{
	int r = scan(c, ENTITY(staff), staff_mask(), scan_staff);
	if (!r)
		r = scan(c, ENTITY(account), ACC_FIELDS, scan_account);
	if (!r)
		r = scan(c, ENTITY(contact), CON_FIELDS, scan_contact);
	if (!r)
		r = scan(c, ENTITY(opportunity), opp_mask(), scan_opp);
	if (!r && want(c, CHK_BUYING_ROLES))
		r = scan(c, ENTITY(opp_contact), OC_FIELDS, scan_opp_contact);
	if (!r)
		r = scan(c, ENTITY(activity), act_mask(), scan_activity);
	if (!r && (want(c, CHK_AB_OWNERS) || want(c, CHK_CONTACT_CADENCE)))
		r = scan(c, ENTITY(account_contact), LINK_FIELDS, scan_account_contact);
	if (!r && want(c, CHK_COMPLAINT_SLA))
		r = scan(c, ENTITY(complaint), CMP_FIELDS, scan_complaint);
	if (!r && want(c, CHK_TEAM_FUNCTIONS))
		r = scan(c, ENTITY(team), TEAM_FIELDS, scan_team);
	if (!r && want(c, CHK_PLAN_SECTIONS))
		r = scan(c, ENTITY(plan), PLAN_FIELDS, scan_plan);
	return r;
}

/* ---- a set of accounts: the same callbacks, fed through the indexes -------- */

static void push_id(uint64_t **v, size_t *n, uint64_t id)
{
	if (*n == 0 || (*n >= 16 && (*n & (*n - 1)) == 0)) /* capacity 16, then doubled when full */
		*v = xrealloc(*v, (*n ? 2 * *n : 16) * sizeof **v);
	(*v)[(*n)++] = id;
}

static int collect_account(uint64_t id, void *arg)
{
	struct ctx *c = arg;
	if (!c->f.account || c->f.account == id)
		push_id(&c->accounts, &c->naccounts, id);
	return 0;
}

static int scan_account_opp(const struct record *r, void *arg)
{
	struct ctx *c = arg;
	push_id(&c->opps, &c->nopps, r->id);
	return scan_opp(r, arg);
}

/* The records whose REF field `index` is one of ids. */
static int scan_refs(struct ctx *c, const struct entity *e, const char *index, const uint64_t *ids, size_t n,
		     uint64_t mask, store_visit_fn fn)
{
	int r = 0;
	for (size_t i = 0; i < n && !r && !c->err; i++) {
		struct value v = {(int64_t)ids[i], NULL, 1};
		r = store_index_scan_fields(c->t, e, index, &v, 1, mask, fn, c);
	}
	return r ? r : c->err;
}

static int run_filtered(struct ctx *c)
{
	int r = 0;
	if (c->f.kam) {
		struct value v = {(int64_t)c->f.kam, NULL, 1};
		r = store_index_ids(c->t, ENTITY(account), "kam", &v, 1, collect_account, c);
	} else {
		push_id(&c->accounts, &c->naccounts, c->f.account);
	}
	for (size_t i = 0; i < c->naccounts && !r; i++) {
		r = store_get_fields(c->t, c->accounts[i], ACC_FIELDS, c->rec_acc);
		r = r == KAM_ENOTFOUND ? 0 : r ? r : scan_account(c->rec_acc, c);
	}
	if (!r) /* an opportunity's other records (roles, team) hang off its id */
		r = scan_refs(c, ENTITY(opportunity), "account", c->accounts, c->naccounts, opp_mask(),
			      scan_account_opp);
	if (!r && want(c, CHK_BUYING_ROLES))
		r = scan_refs(c, ENTITY(opp_contact), "opportunity", c->opps, c->nopps, OC_FIELDS, scan_opp_contact);
	if (!r)
		r = scan_refs(c, ENTITY(activity), "account", c->accounts, c->naccounts, act_mask(), scan_activity);
	if (!r && (want(c, CHK_AB_OWNERS) || want(c, CHK_CONTACT_CADENCE)))
		r = scan_refs(c, ENTITY(account_contact), "account", c->accounts, c->naccounts, LINK_FIELDS,
			      scan_account_contact);
	if (!r && want(c, CHK_COMPLAINT_SLA))
		r = scan_refs(c, ENTITY(complaint), "account", c->accounts, c->naccounts, CMP_FIELDS, scan_complaint);
	/* A team record may name both an opportunity and an account, and be
	 * read twice: scan_team only sets flags and maxima, so that is harmless. */
	if (!r && want(c, CHK_TEAM_FUNCTIONS))
		r = scan_refs(c, ENTITY(team), "opportunity", c->opps, c->nopps, TEAM_FIELDS, scan_team);
	if (!r && want(c, CHK_TEAM_FUNCTIONS))
		r = scan_refs(c, ENTITY(team), "account", c->accounts, c->naccounts, TEAM_FIELDS, scan_team);
	if (!r && want(c, CHK_PLAN_SECTIONS))
		r = scan_refs(c, ENTITY(plan), "account", c->accounts, c->naccounts, PLAN_FIELDS, scan_plan);
	return r ? r : c->err;
}
#undef F

int checks_run(struct store *st, const struct kam_config *cfg, const struct check_filter *f, struct finding **out,
	       size_t *n, char **cause)
{
	struct ctx c = {0};
	c.cfg = cfg;
	c.f = *f;
	c.today = date_to_days(f->today ? f->today : date_today());
	c.year = conf_plan_year(cfg);
	c.acc.size = sizeof(struct acc);
	c.con.size = sizeof(struct con);
	c.opp.size = sizeof(struct opp);
	c.staff.size = sizeof(struct staff);
	c.filtered = f->account || f->kam;
	if (c.filtered) {
		c.acc.sparse = c.con.sparse = c.opp.sparse = c.staff.sparse = 1;
		c.rec_staff = record_new(ENTITY(staff));
		c.rec_con = record_new(ENTITY(contact));
		c.rec_opp = record_new(ENTITY(opportunity));
		c.rec_acc = record_new(ENTITY(account));
	}
	int r = store_begin(st, 0, &c.t);
	if (r < 0) {
		ctx_free(&c);
		return set_cause(cause, r, "cannot open a read transaction");
	}
	r = c.filtered ? run_filtered(&c) : run_scans(&c);
	if (!r) {
		check_opps(&c);
		check_accounts(&c);
		fill_names(&c);
	}
	store_abort(c.t);
	ctx_free(&c);
	if (r) {
		checks_free(c.out, c.n);
		return set_cause(cause, r < 0 ? r : KAM_ESTORE, "checks: cannot read the database");
	}
	if (c.n)
		qsort(c.out, c.n, sizeof *c.out, by_importance);
	*out = c.out;
	*n = c.n;
	return 0;
}

void checks_free(struct finding *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].name);
		free(v[i].msg);
	}
	free(v);
}
