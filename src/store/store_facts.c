/* Per-account facts: a store-maintained aggregate, like an index. The
 * "facts" DBI maps an account id (8 bytes big-endian) to a compact encoding
 * of what the account metrics need about the account (src/rules/metrics.c):
 * its own fields, its account_years, its opportunities summed per year and
 * stage, its contact roles with the days of the activities that list them,
 * its recent activities and its open complaints. Nothing in it depends on
 * today's date, the plan year or the config, so scoring every account is
 * one cursor walk instead of a scan of six tables.
 *
 * Writes of the six entities mark the account(s) they touch in the txn
 * (store_facts_note); store_commit recomputes each marked account once from
 * its indexes (store_facts_flush), in the same LMDB txn, so the facts never
 * lag the records.
 *
 * Encoding (FACTS_FORMAT 1; s: zigzag varint, u: varint, str: u length + bytes):
 *   u8 format, u flags (key 1, strategic 2, archived 4, name 8, province 16),
 *   u parent, 5 x u8 enum index + 1 (procurement position scale industry
 *   stage; 0 = none), s employees, s horizon (FACT_NO_DAY: every activity),
 *   [str name], [str province], u open complaints,
 *   u nyears, nyears x (s year, s revenue, s budget, s margin),
 *   u nopps, nopps x (s year, s strategic, FACT_STAGES x s open amount,
 *   s open amount with probability, s amount x probability),
 *   u ncontacts (decision makers and key contacts only), ncontacts x
 *   (u contact, u flags (FACT_AC_* | 8: has end), [s end], s last_before,
 *   u ndays, ndays x s day delta),
 *   u nacts, nacts x u (zigzag(day delta) << 2 | kind). */
#include "kam/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kam/err.h"

/* Activities are kept from this many days before a recompute on: enough for
 * any window up to a year (and a bit) without a fallback, while an account
 * with years of history stays small. */
#define FACTS_HORIZON_DAYS 400
#define AC_HAS_END 8

struct fact_pair { /* a decision maker's contact row and an activity day */
	size_t ac;
	int64_t day;
};

struct fact_dm { /* a decision-maker row by contact id */
	uint64_t contact;
	size_t ac;
};

struct fact_storage {
	struct record *acc, *ay, *opp, *ac, *act, *cmp; /* reused by compute */
	size_t cap_years, cap_opps, cap_contacts, cap_days, cap_acts;
	char *name, *province;
	size_t cap_name, cap_province;
	struct fact_pair *pairs;
	size_t npairs, cap_pairs;
	size_t *count; /* per contact, while laying out days */
	size_t cap_count;
	struct fact_dm *dm; /* sorted by contact once the activities need it */
	size_t ndm, cap_dm;
	int dm_sorted;
};

#define GROW(arr, n, cap)                                                                                              \
	do {                                                                                                           \
		if ((n) >= (cap)) {                                                                                    \
			(cap) = (cap) ? (cap)*2 : 8;                                                                   \
			(arr) = xrealloc((arr), (cap) * sizeof *(arr));                                                \
		}                                                                                                      \
	} while (0)

static struct fact_storage *facts_mem(struct account_facts *f)
{
	if (!f->mem)
		f->mem = xcalloc(1, sizeof *f->mem);
	return f->mem;
}

void store_facts_release(struct account_facts *f)
{
	if (!f)
		return;
	struct fact_storage *m = f->mem;
	if (m) {
		record_free(m->acc);
		record_free(m->ay);
		record_free(m->opp);
		record_free(m->ac);
		record_free(m->act);
		record_free(m->cmp);
		free(m->dm);
		free(m->name);
		free(m->province);
		free(m->pairs);
		free(m->count);
		free(m);
	}
	free(f->years);
	free(f->opps);
	free(f->contacts);
	free(f->days);
	free(f->acts);
	memset(f, 0, sizeof *f);
}

static void facts_reset(struct account_facts *f, uint64_t id)
{
	facts_mem(f);
	f->id = id;
	f->parent = 0;
	f->name = f->province = NULL;
	f->procurement = f->position = f->scale = f->industry = f->stage = -1;
	f->employees = 0;
	f->key = f->strategic = f->archived = 0;
	f->horizon = FACT_NO_DAY;
	f->open_complaints = 0;
	f->nyears = f->nopps = f->ncontacts = f->ndays = f->nacts = 0;
	f->mem->npairs = 0;
	f->mem->ndm = 0;
	f->mem->dm_sorted = 0;
}

static const char *facts_str(char **buf, size_t *cap, const char *s, size_t len)
{
	if (len + 1 > *cap) {
		*cap = len + 1 > 64 ? len + 1 : 64;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf, s, len);
	(*buf)[len] = 0;
	return *buf;
}

/* ---- compute from the records ------------------------------------------ */

struct build {
	struct account_facts *f;
	int64_t horizon;
};

static int enum_of(const struct record *r, int f)
{
	if (!r->v[f].set || !r->v[f].s)
		return -1;
	return enum_index(r->ent->fields[f].enums, r->v[f].s);
}

static int on_year(const struct record *r, void *arg)
{
	struct account_facts *f = ((struct build *)arg)->f;
	GROW(f->years, f->nyears, f->mem->cap_years);
	f->years[f->nyears++] =
	    (struct fact_year){r->v[AY_YEAR].i, r->v[AY_REVENUE].i, r->v[AY_BUDGET].i, r->v[AY_MARGIN].i};
	return 0;
}

static int on_opp(const struct record *r, void *arg)
{
	struct account_facts *f = ((struct build *)arg)->f;
	if (!r->v[OPP_YEAR].set)
		return 0; /* the metrics select by year: never counted */
	struct fact_opps *o = NULL;
	for (size_t i = 0; i < f->nopps && !o; i++)
		if (f->opps[i].year == r->v[OPP_YEAR].i)
			o = &f->opps[i];
	if (!o) {
		GROW(f->opps, f->nopps, f->mem->cap_opps);
		o = &f->opps[f->nopps++];
		memset(o, 0, sizeof *o);
		o->year = r->v[OPP_YEAR].i;
	}
	const char *status = r->v[OPP_STATUS].set ? r->v[OPP_STATUS].s : "open";
	if (strcmp(status, "lost") != 0 && r->v[OPP_STRATEGIC].i)
		o->strategic++;
	if (strcmp(status, "open") != 0)
		return 0;
	int64_t amount = r->v[OPP_AMOUNT].i;
	if (r->v[OPP_PROBABILITY].set) {
		o->open_prob += amount;
		o->weighted_prob += amount * (int)r->v[OPP_PROBABILITY].i;
	} else {
		o->open_stage[enum_of(r, OPP_STAGE) + 1] += amount;
	}
	return 0;
}

static int is_dm_role(const char *role)
{
	return role && (strcmp(role, "economic_buyer") == 0 || strcmp(role, "decision_maker") == 0);
}

static int on_account_contact(const struct record *r, void *arg)
{
	struct account_facts *f = ((struct build *)arg)->f;
	int dm = is_dm_role(r->v[AC_ROLE].s);
	if (!dm && !r->v[AC_KEY].i)
		return 0; /* neither decision maker nor key contact: counts for nothing */
	GROW(f->contacts, f->ncontacts, f->mem->cap_contacts);
	struct fact_contact *c = &f->contacts[f->ncontacts++];
	c->contact = (uint64_t)r->v[AC_CONTACT].i;
	c->end = r->v[AC_END].set ? date_to_days(r->v[AC_END].i) : FACT_NO_DAY;
	c->flags =
	    (dm ? FACT_AC_DM : 0) | (r->v[AC_KEY].i ? FACT_AC_KEY : 0) |
	    (r->v[AC_OWNER_A].set && r->v[AC_OWNER_B].set && r->v[AC_OWNER_A].i != r->v[AC_OWNER_B].i ? FACT_AC_AB : 0);
	c->last_before = FACT_NO_DAY;
	c->first = c->n = 0;
	if (c->flags & FACT_AC_DM) {
		struct fact_storage *m = f->mem;
		GROW(m->dm, m->ndm, m->cap_dm);
		m->dm[m->ndm++] = (struct fact_dm){c->contact, f->ncontacts - 1};
	}
	return 0;
}

static int cmp_dm(const void *a, const void *b)
{
	const struct fact_dm *x = a, *y = b;
	if (x->contact != y->contact)
		return x->contact < y->contact ? -1 : 1;
	return x->ac < y->ac ? -1 : x->ac > y->ac;
}

/* The first decision-maker row of contact cid in m->dm, or m->ndm. */
static size_t dm_find(const struct fact_storage *m, uint64_t cid)
{
	size_t lo = 0, hi = m->ndm;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->dm[mid].contact < cid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int activity_kind(const char *type)
{
	if (!type || strcmp(type, "call") == 0 || strcmp(type, "email") == 0)
		return FACT_ACT_OTHER;
	return strcmp(type, "private_visit") == 0 ? FACT_ACT_PRIVATE : FACT_ACT_VISIT;
}

static int on_activity(const struct record *r, void *arg)
{
	struct build *b = arg;
	struct account_facts *f = b->f;
	struct fact_storage *m = f->mem;
	const char *status = r->v[ACT_STATUS].s;
	if (status && strcmp(status, "cancelled") == 0)
		return 0;
	int64_t day = date_to_days(r->v[ACT_DATE].i);
	int recent = day >= b->horizon;
	if (recent) {
		GROW(f->acts, f->nacts, m->cap_acts);
		f->acts[f->nacts++] = (struct fact_activity){day, activity_kind(r->v[ACT_TYPE].s)};
	}
	if (!m->ndm || !r->v[ACT_CONTACTS].set || !r->v[ACT_CONTACTS].s)
		return 0;
	if (!m->dm_sorted) {
		qsort(m->dm, m->ndm, sizeof *m->dm, cmp_dm);
		m->dm_sorted = 1;
	}
	/* The contact list parsed exactly as the scanning metrics parse it. */
	for (const char *p = r->v[ACT_CONTACTS].s; *p;) {
		uint64_t cid = strtoull(p, NULL, 10);
		for (size_t i = dm_find(m, cid); i < m->ndm && m->dm[i].contact == cid; i++) {
			size_t k = m->dm[i].ac;
			struct fact_contact *c = &f->contacts[k];
			if (recent) {
				GROW(m->pairs, m->npairs, m->cap_pairs);
				m->pairs[m->npairs++] = (struct fact_pair){k, day};
			} else if (c->last_before == FACT_NO_DAY || day > c->last_before) {
				c->last_before = day;
			}
		}
		p += strcspn(p, ";");
		p += *p == ';';
	}
	return 0;
}

static int on_complaint(const struct record *r, void *arg)
{
	struct account_facts *f = ((struct build *)arg)->f;
	const char *s = r->v[CMP_STATUS].s;
	int open = s ? strcmp(s, "open") == 0 || strcmp(s, "in_progress") == 0 : !r->v[CMP_RESOLVED].set;
	f->open_complaints += open;
	return 0;
}

/* The (contact row, day) pairs into per-contact runs of f->days. */
static void facts_layout_days(struct account_facts *f)
{
	struct fact_storage *m = f->mem;
	f->ndays = 0;
	if (!m->npairs)
		return;
	if (m->cap_count < f->ncontacts) {
		m->cap_count = f->ncontacts;
		m->count = xrealloc(m->count, m->cap_count * sizeof *m->count);
	}
	memset(m->count, 0, f->ncontacts * sizeof *m->count);
	for (size_t i = 0; i < m->npairs; i++)
		m->count[m->pairs[i].ac]++;
	size_t off = 0;
	for (size_t k = 0; k < f->ncontacts; k++) {
		f->contacts[k].first = off;
		f->contacts[k].n = 0;
		off += m->count[k];
	}
	if (off > m->cap_days) {
		m->cap_days = off;
		f->days = xrealloc(f->days, off * sizeof *f->days);
	}
	for (size_t i = 0; i < m->npairs; i++) {
		struct fact_contact *c = &f->contacts[m->pairs[i].ac];
		f->days[c->first + c->n++] = m->pairs[i].day;
	}
	f->ndays = off;
}

static struct record *facts_rec(struct record **r, const struct entity *e)
{
	if (!*r)
		*r = record_new(e);
	return *r;
}

static int facts_compute(struct txn *t, uint64_t id, int64_t horizon, struct account_facts *f)
{
	facts_reset(f, id);
	struct fact_storage *m = f->mem;
	struct record *a = facts_rec(&m->acc, ENTITY(account));
	int rc = store_get_fields(
	    t, id,
	    FIELD_BIT(ACCOUNT_NAME) | FIELD_BIT(ACCOUNT_PARENT) | FIELD_BIT(ACCOUNT_INDUSTRY) |
		FIELD_BIT(ACCOUNT_PROVINCE) | FIELD_BIT(ACCOUNT_SCALE) | FIELD_BIT(ACCOUNT_EMPLOYEES) |
		FIELD_BIT(ACCOUNT_POSITION) | FIELD_BIT(ACCOUNT_PROCUREMENT) | FIELD_BIT(ACCOUNT_STAGE) |
		FIELD_BIT(ACCOUNT_KEY) | FIELD_BIT(ACCOUNT_STRATEGIC) | FIELD_BIT(ACCOUNT_ARCHIVED),
	    a);
	if (rc)
		return rc;
	const char *name = record_name(a);
	f->name = facts_str(&m->name, &m->cap_name, name, strlen(name));
	if (a->v[ACCOUNT_PROVINCE].set && a->v[ACCOUNT_PROVINCE].s)
		f->province = facts_str(&m->province, &m->cap_province, a->v[ACCOUNT_PROVINCE].s,
					strlen(a->v[ACCOUNT_PROVINCE].s));
	f->parent = a->v[ACCOUNT_PARENT].set ? (uint64_t)a->v[ACCOUNT_PARENT].i : 0;
	f->procurement = enum_of(a, ACCOUNT_PROCUREMENT);
	f->position = enum_of(a, ACCOUNT_POSITION);
	f->scale = enum_of(a, ACCOUNT_SCALE);
	f->industry = enum_of(a, ACCOUNT_INDUSTRY);
	f->stage = enum_of(a, ACCOUNT_STAGE);
	f->employees = a->v[ACCOUNT_EMPLOYEES].i;
	f->key = a->v[ACCOUNT_KEY].i != 0;
	f->strategic = a->v[ACCOUNT_STRATEGIC].i != 0;
	f->archived = a->v[ACCOUNT_ARCHIVED].i != 0;
	f->horizon = horizon;

	struct build b = {f, horizon};
	struct value v = {.i = (int64_t)id, .set = 1};
	/* account_contact before activity: the activities look the roles up. */
	static const struct {
		int ent;
		const char *index;
		uint64_t mask;
		store_visit_fn fn;
	} parts[] = {
	    {ENT_account_year, "account_year",
	     FIELD_BIT(AY_YEAR) | FIELD_BIT(AY_BUDGET) | FIELD_BIT(AY_REVENUE) | FIELD_BIT(AY_MARGIN), on_year},
	    {ENT_opportunity, "account_year",
	     FIELD_BIT(OPP_YEAR) | FIELD_BIT(OPP_AMOUNT) | FIELD_BIT(OPP_STAGE) | FIELD_BIT(OPP_PROBABILITY) |
		 FIELD_BIT(OPP_STRATEGIC) | FIELD_BIT(OPP_STATUS),
	     on_opp},
	    {ENT_account_contact, "account_contact",
	     FIELD_BIT(AC_CONTACT) | FIELD_BIT(AC_ROLE) | FIELD_BIT(AC_OWNER_A) | FIELD_BIT(AC_OWNER_B) |
		 FIELD_BIT(AC_KEY) | FIELD_BIT(AC_END),
	     on_account_contact},
	    {ENT_activity, "account_date",
	     FIELD_BIT(ACT_TYPE) | FIELD_BIT(ACT_DATE) | FIELD_BIT(ACT_CONTACTS) | FIELD_BIT(ACT_STATUS), on_activity},
	    {ENT_complaint, "account", FIELD_BIT(CMP_RESOLVED) | FIELD_BIT(CMP_STATUS), on_complaint},
	};
	for (size_t i = 0; !rc && i < sizeof parts / sizeof parts[0]; i++)
		rc = store_index_scan_fields(t, kam_entities[parts[i].ent], parts[i].index, &v, 1, parts[i].mask,
					     parts[i].fn, &b);
	if (!rc)
		facts_layout_days(f);
	return rc;
}

static int64_t facts_horizon_now(void)
{
	return date_to_days(date_today()) - FACTS_HORIZON_DAYS;
}

int store_facts_load(struct txn *t, uint64_t account, int unbounded, struct account_facts *f)
{
	return facts_compute(t, account, unbounded ? FACT_NO_DAY : facts_horizon_now(), f);
}

/* ---- encoding ------------------------------------------------------------ */

static uint64_t zz(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzz(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

static void put_s(struct buf *b, int64_t v)
{
	buf_add_varint(b, zz(v));
}

static void put_str(struct buf *b, const char *s)
{
	size_t n = strlen(s);
	buf_add_varint(b, n);
	buf_add(b, s, n);
}

static void facts_encode(const struct account_facts *f, struct buf *b)
{
	buf_reset(b);
	buf_addc(b, FACTS_FORMAT);
	buf_add_varint(b, (unsigned)f->key | (unsigned)f->strategic << 1 | (unsigned)f->archived << 2 |
			      (f->name ? 8u : 0) | (f->province ? 16u : 0));
	buf_add_varint(b, f->parent);
	int en[5] = {f->procurement, f->position, f->scale, f->industry, f->stage};
	for (int i = 0; i < 5; i++)
		buf_addc(b, (char)(en[i] + 1));
	put_s(b, f->employees);
	put_s(b, f->horizon);
	if (f->name)
		put_str(b, f->name);
	if (f->province)
		put_str(b, f->province);
	put_s(b, f->open_complaints);
	buf_add_varint(b, f->nyears);
	for (size_t i = 0; i < f->nyears; i++) {
		put_s(b, f->years[i].year);
		put_s(b, f->years[i].revenue);
		put_s(b, f->years[i].budget);
		put_s(b, f->years[i].margin);
	}
	buf_add_varint(b, f->nopps);
	for (size_t i = 0; i < f->nopps; i++) {
		const struct fact_opps *o = &f->opps[i];
		put_s(b, o->year);
		put_s(b, o->strategic);
		for (int s = 0; s < FACT_STAGES; s++)
			put_s(b, o->open_stage[s]);
		put_s(b, o->open_prob);
		put_s(b, o->weighted_prob);
	}
	buf_add_varint(b, f->ncontacts);
	for (size_t i = 0; i < f->ncontacts; i++) {
		const struct fact_contact *c = &f->contacts[i];
		buf_add_varint(b, c->contact);
		buf_add_varint(b, c->flags | (c->end != FACT_NO_DAY ? AC_HAS_END : 0));
		if (c->end != FACT_NO_DAY)
			put_s(b, c->end);
		put_s(b, c->last_before);
		buf_add_varint(b, c->n);
		int64_t prev = 0;
		for (size_t d = 0; d < c->n; d++) {
			put_s(b, f->days[c->first + d] - prev);
			prev = f->days[c->first + d];
		}
	}
	buf_add_varint(b, f->nacts);
	int64_t prev = 0;
	for (size_t i = 0; i < f->nacts; i++) {
		buf_add_varint(b, zz(f->acts[i].day - prev) << 2 | (uint64_t)f->acts[i].kind);
		prev = f->acts[i].day;
	}
}

struct rd {
	const unsigned char *p, *end;
	int bad;
};

static uint64_t get_u_long(struct rd *r)
{
	uint64_t v = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (r->p >= r->end) {
			r->bad = 1;
			return 0;
		}
		unsigned char c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
	}
	r->bad = 1;
	return 0;
}

/* Most values (flags, deltas of days, counts) fit one byte. */
static inline uint64_t get_u(struct rd *r)
{
	if (r->p < r->end && *r->p < 0x80)
		return *r->p++;
	return get_u_long(r);
}

static inline int64_t get_s(struct rd *r)
{
	return unzz(get_u(r));
}

/* A count that cannot exceed the bytes left (each item takes one or more). */
static inline size_t get_n(struct rd *r)
{
	uint64_t n = get_u(r);
	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static const char *get_str(struct rd *r, char **buf, size_t *cap)
{
	size_t n = get_n(r);
	if (r->bad)
		return NULL;
	const char *s = facts_str(buf, cap, (const char *)r->p, n);
	r->p += n;
	return s;
}

static int facts_decode(uint64_t id, const void *data, size_t len, struct account_facts *f)
{
	facts_reset(f, id);
	struct fact_storage *m = f->mem;
	struct rd r = {data, (const unsigned char *)data + len, 0};
	if (len < 1 || *r.p++ != FACTS_FORMAT)
		return KAM_ESTORE;
	uint64_t flags = get_u(&r);
	f->key = (flags & 1) != 0;
	f->strategic = (flags & 2) != 0;
	f->archived = (flags & 4) != 0;
	f->parent = get_u(&r);
	if (r.end - r.p < 5)
		return KAM_ESTORE;
	int *en[5] = {&f->procurement, &f->position, &f->scale, &f->industry, &f->stage};
	for (int i = 0; i < 5; i++)
		*en[i] = (int)*r.p++ - 1;
	f->employees = get_s(&r);
	f->horizon = get_s(&r);
	if (flags & 8)
		f->name = get_str(&r, &m->name, &m->cap_name);
	if (flags & 16)
		f->province = get_str(&r, &m->province, &m->cap_province);
	f->open_complaints = get_s(&r);
	size_t n = get_n(&r);
	for (size_t i = 0; i < n && !r.bad; i++) {
		GROW(f->years, f->nyears, m->cap_years);
		struct fact_year *y = &f->years[f->nyears++];
		y->year = get_s(&r);
		y->revenue = get_s(&r);
		y->budget = get_s(&r);
		y->margin = get_s(&r);
	}
	n = get_n(&r);
	for (size_t i = 0; i < n && !r.bad; i++) {
		GROW(f->opps, f->nopps, m->cap_opps);
		struct fact_opps *o = &f->opps[f->nopps++];
		o->year = get_s(&r);
		o->strategic = get_s(&r);
		for (int s = 0; s < FACT_STAGES; s++)
			o->open_stage[s] = get_s(&r);
		o->open_prob = get_s(&r);
		o->weighted_prob = get_s(&r);
	}
	n = get_n(&r);
	for (size_t i = 0; i < n && !r.bad; i++) {
		GROW(f->contacts, f->ncontacts, m->cap_contacts);
		struct fact_contact *c = &f->contacts[f->ncontacts++];
		c->contact = get_u(&r);
		uint64_t cf = get_u(&r);
		c->flags = (unsigned)(cf & (FACT_AC_DM | FACT_AC_KEY | FACT_AC_AB));
		c->end = cf & AC_HAS_END ? get_s(&r) : FACT_NO_DAY;
		c->last_before = get_s(&r);
		c->n = get_n(&r);
		c->first = f->ndays;
		int64_t day = 0;
		for (size_t d = 0; d < c->n && !r.bad; d++) {
			day += get_s(&r);
			GROW(f->days, f->ndays, m->cap_days);
			f->days[f->ndays++] = day;
		}
	}
	n = get_n(&r);
	int64_t day = 0;
	for (size_t i = 0; i < n && !r.bad; i++) {
		uint64_t x = get_u(&r);
		day += unzz(x >> 2);
		GROW(f->acts, f->nacts, m->cap_acts);
		f->acts[f->nacts++] = (struct fact_activity){day, (int)(x & 3)};
	}
	return r.bad || r.p != r.end ? KAM_ESTORE : 0;
}

/* ---- the DBI ------------------------------------------------------------- */

static void facts_key(unsigned char k[8], uint64_t id)
{
	for (int i = 7; i >= 0; i--, id >>= 8)
		k[i] = (unsigned char)id;
}

int store_facts_scan(struct txn *t, store_facts_fn fn, void *arg)
{
	if (t->st->facts_missing)
		return KAM_ENOTFOUND;
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(t->txn, t->st->facts, &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	struct account_facts f = {0};
	int ret = 0;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || facts_decode(key_get_u64(k.mv_data), v.mv_data, v.mv_size, &f)) {
			ret = KAM_ESTORE;
			break;
		}
		ret = fn(&f, arg);
	}
	mdb_cursor_close(c);
	store_facts_release(&f);
	if (!ret && rc != MDB_NOTFOUND)
		ret = store_mdb_err(rc, NULL, "scan");
	return ret;
}

static void facts_mark(struct txn *t, uint64_t id)
{
	if (!id)
		return;
	if ((t->facts_n + 1) * 2 > t->facts_cap) {
		uint64_t *old = t->facts_dirty;
		size_t oldcap = t->facts_cap;
		t->facts_cap = oldcap ? oldcap * 2 : 64;
		t->facts_dirty = xcalloc(t->facts_cap, sizeof *t->facts_dirty);
		t->facts_n = 0;
		for (size_t i = 0; i < oldcap; i++)
			if (old[i])
				facts_mark(t, old[i]);
		free(old);
	}
	size_t h = (size_t)((id * 0x9E3779B97F4A7C15ULL) >> 20) & (t->facts_cap - 1);
	while (t->facts_dirty[h] && t->facts_dirty[h] != id)
		h = (h + 1) & (t->facts_cap - 1);
	if (!t->facts_dirty[h]) {
		t->facts_dirty[h] = id;
		t->facts_n++;
	}
}

void store_facts_note(struct txn *t, const struct record *old, const struct record *new_r)
{
	const struct record *r = old ? old : new_r;
	int f;
	switch (store_ent_index(r->ent)) {
	case ENT_account:
		facts_mark(t, r->id);
		return;
	case ENT_account_year:
		f = AY_ACCOUNT;
		break;
	case ENT_opportunity:
		f = OPP_ACCOUNT;
		break;
	case ENT_account_contact:
		f = AC_ACCOUNT;
		break;
	case ENT_activity:
		f = ACT_ACCOUNT;
		break;
	case ENT_complaint:
		f = CMP_ACCOUNT;
		break;
	default:
		return;
	}
	if (old && old->v[f].set)
		facts_mark(t, (uint64_t)old->v[f].i);
	if (new_r && new_r->v[f].set)
		facts_mark(t, (uint64_t)new_r->v[f].i);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Recompute one account into the DBI (or drop its entry: account gone). */
static int facts_refresh(struct txn *t, uint64_t id, int64_t horizon, struct account_facts *f, unsigned flags)
{
	unsigned char k[8];
	facts_key(k, id);
	int rc = facts_compute(t, id, horizon, f);
	if (rc == KAM_ENOTFOUND)
		return store_del(t, t->st->facts, k, 8, NULL);
	if (rc)
		return rc;
	facts_encode(f, &t->v);
	return store_put(t, t->st->facts, k, 8, t->v.p, t->v.len, flags, NULL);
}

int store_facts_flush(struct txn *t, char **cause)
{
	if (!t->facts_n)
		return 0;
	/* In id order: the puts walk the tree once, left to right. */
	uint64_t *ids = xmalloc(t->facts_n * sizeof *ids);
	size_t n = 0;
	for (size_t i = 0; i < t->facts_cap; i++)
		if (t->facts_dirty[i])
			ids[n++] = t->facts_dirty[i];
	qsort(ids, n, sizeof *ids, cmp_u64);
	free(t->facts_dirty);
	t->facts_dirty = NULL;
	t->facts_cap = t->facts_n = 0;
	struct account_facts f = {0};
	int64_t horizon = facts_horizon_now();
	int rc = 0;
	for (size_t i = 0; i < n && !rc; i++)
		rc = facts_refresh(t, ids[i], horizon, &f, 0);
	store_facts_release(&f);
	free(ids);
	if (rc) {
		t->broken = 1;
		return set_cause(cause, rc, "updating the account facts: %s", kam_strerror(rc));
	}
	return 0;
}

/* Ids of every account, ascending. */
static int facts_account_ids(struct txn *t, uint64_t **ids, size_t *n)
{
	MDB_cursor *c;
	MDB_val k, v;
	size_t cap = 0;
	*ids = NULL;
	*n = 0;
	int rc = mdb_cursor_open(t->txn, t->st->ent[ENT_account], &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8)
			continue;
		GROW(*ids, *n, cap);
		(*ids)[(*n)++] = key_get_u64(k.mv_data);
	}
	mdb_cursor_close(c);
	return rc == MDB_NOTFOUND ? 0 : store_mdb_err(rc, NULL, "scan");
}

int store_facts_rebuild(struct txn *t)
{
	int rc = mdb_drop(t->txn, t->st->facts, 0);
	if (rc) {
		t->broken = 1;
		return store_mdb_err(rc, NULL, "facts");
	}
	uint64_t *ids;
	size_t n;
	if ((rc = facts_account_ids(t, &ids, &n)))
		return rc;
	struct account_facts f = {0};
	int64_t horizon = facts_horizon_now();
	for (size_t i = 0; i < n && !rc; i++) {
		rc = facts_refresh(t, ids[i], horizon, &f, MDB_APPEND);
		if (rc == KAM_ESTORE) /* an undecodable record: fsck names it */
			rc = 0;
	}
	store_facts_release(&f);
	free(ids);
	return rc;
}

int store_facts_open(struct store *st, struct txn *t, int fresh, char **cause)
{
	uint64_t format = 0;
	int rc = mdb_dbi_open(t->txn, "facts", 0, &st->facts);
	int have = rc == 0;
	if (rc && rc != MDB_NOTFOUND)
		return store_mdb_err(rc, cause, "cannot open table 'facts'");
	if (have && (rc = store_meta_get(t, "facts.format", &format)) && rc != KAM_ENOTFOUND)
		return rc;
	st->facts_missing = 0;
	if (have && format == FACTS_FORMAT)
		return 0;
	if (st->rdonly) {
		st->facts_missing = 1; /* readers use the records */
		return 0;
	}
	if (!t->write)
		return 1;
	if (!have && (rc = mdb_dbi_open(t->txn, "facts", MDB_CREATE, &st->facts)))
		return store_mdb_err(rc, cause, "cannot create table 'facts'");
	if (!fresh && (rc = store_facts_rebuild(t)))
		return set_cause(cause, rc, "%s: building the account facts: %s", st->path, kam_strerror(rc));
	return store_meta_put(t, "facts.format", FACTS_FORMAT);
}

/* ---- fsck ---------------------------------------------------------------- */

int store_facts_check(struct txn *t, void (*fn)(void *arg, const char *problem), void *arg, uint64_t *checked)
{
	*checked = 0;
	if (t->st->facts_missing)
		return 0;
	MDB_cursor *c;
	MDB_val k, v;
	struct account_facts stored = {0}, now = {0};
	struct buf enc = {0};
	char msg[160];
	/* Every entry: its account exists and it equals a recompute made with
	 * the stored horizon. */
	int rc = mdb_cursor_open(t->txn, t->st->facts, &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		++*checked;
		uint64_t id = k.mv_size == 8 ? key_get_u64(k.mv_data) : 0;
		if (!id || facts_decode(id, v.mv_data, v.mv_size, &stored)) {
			snprintf(msg, sizeof msg, "facts of account %llu: unreadable entry", (unsigned long long)id);
			fn(arg, msg);
			continue;
		}
		int r = facts_compute(t, id, stored.horizon, &now);
		if (r == KAM_ENOTFOUND) {
			snprintf(msg, sizeof msg, "facts of account %llu: the account does not exist",
				 (unsigned long long)id);
			fn(arg, msg);
			continue;
		}
		if (r == KAM_ESTORE)
			continue; /* an undecodable record: reported with the records */
		if (r) {
			rc = r;
			break;
		}
		facts_encode(&now, &enc);
		if (enc.len != v.mv_size || memcmp(enc.p, v.mv_data, enc.len)) {
			snprintf(msg, sizeof msg, "facts of account %llu differ from its records",
				 (unsigned long long)id);
			fn(arg, msg);
		}
	}
	mdb_cursor_close(c);
	int ret = rc == MDB_NOTFOUND ? 0 : rc < 0 ? rc : store_mdb_err(rc, NULL, "fsck facts");
	/* Every account has an entry. */
	uint64_t *ids = NULL;
	size_t n = 0;
	if (!ret && !(ret = facts_account_ids(t, &ids, &n)))
		for (size_t i = 0; i < n; i++) {
			unsigned char key[8];
			facts_key(key, ids[i]);
			MDB_val kk = {8, key}, vv;
			int g = mdb_get(t->txn, t->st->facts, &kk, &vv);
			if (g == MDB_NOTFOUND) {
				snprintf(msg, sizeof msg, "account %llu has no facts entry",
					 (unsigned long long)ids[i]);
				fn(arg, msg);
			} else if (g) {
				ret = store_mdb_err(g, NULL, "fsck facts");
				break;
			}
		}
	free(ids);
	buf_free(&enc);
	store_facts_release(&stored);
	store_facts_release(&now);
	return ret;
}
