/* The day: date-indexed lookups for activities and decisions (one prefix
 * scan per day of the horizon), the checks for overdue contacts and the
 * findings count. One KAM's agenda reads that KAM's accounts and the records
 * naming the KAM instead, checks included: its cost follows the KAM's
 * accounts, not the size of the database. */
#include "kam/agenda.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/checks.h"
#include "kam/err.h"

const char *const agenda_section_titles[AG__COUNT] = {
    "Activities", "Overdue contacts", "Decisions", "To confirm", "Personal dates", "Plan actions due",
};

#define WEEK 7

struct acc_info {
	unsigned char loaded, tier;
	uint64_t kam;
	char *name;
};

struct actx {
	struct txn *t;
	const struct kam_config *cfg;
	struct agenda_opts o;
	int64_t today; /* days */
	struct acc_info *acc;
	size_t nacc;
	struct record *accrec; /* reused by acc_get */
	struct agenda *out;
	size_t cap;
	int64_t day; /* date being scanned, yyyymmdd */
};

/* The fields each lookup or scan reads: decoded into reused records. */
#define ACC_MASK                                                                                                       \
	(FIELD_BIT(ACCOUNT_NAME) | FIELD_BIT(ACCOUNT_KAM) | FIELD_BIT(ACCOUNT_KEY) | FIELD_BIT(ACCOUNT_STRATEGIC))
#define ACT_MASK                                                                                                       \
	(FIELD_BIT(ACT_ACCOUNT) | FIELD_BIT(ACT_TYPE) | FIELD_BIT(ACT_TITLE) | FIELD_BIT(ACT_DATE) |                   \
	 FIELD_BIT(ACT_TIME) | FIELD_BIT(ACT_STAFF) | FIELD_BIT(ACT_GUESTS) | FIELD_BIT(ACT_DAYS) |                    \
	 FIELD_BIT(ACT_BUDGET) | FIELD_BIT(ACT_STATUS))
#define OPP_MASK                                                                                                       \
	(FIELD_BIT(OPP_ACCOUNT) | FIELD_BIT(OPP_TITLE) | FIELD_BIT(OPP_AMOUNT) | FIELD_BIT(OPP_STAGE) |                \
	 FIELD_BIT(OPP_PROBABILITY) | FIELD_BIT(OPP_DECISION) | FIELD_BIT(OPP_STATUS) | FIELD_BIT(OPP_OWNER) |         \
	 FIELD_BIT(OPP_YEAR))
#define PA_MASK                                                                                                        \
	(FIELD_BIT(PA_ACCOUNT) | FIELD_BIT(PA_GOAL) | FIELD_BIT(PA_ACTION) | FIELD_BIT(PA_OWNER) | FIELD_BIT(PA_DUE) | \
	 FIELD_BIT(PA_STATUS))
#define CONTACT_MASK (FIELD_BIT(CONTACT_NAME) | FIELD_BIT(CONTACT_STATUS) | FIELD_BIT(CONTACT_DATES))
#define LINK_MASK (FIELD_BIT(AC_ACCOUNT) | FIELD_BIT(AC_CONTACT) | FIELD_BIT(AC_KEY))

static struct acc_info *acc_get(struct actx *c, uint64_t id)
{
	if (id >= c->nacc) {
		size_t n = c->nacc ? c->nacc : 256;
		while (n <= id)
			n *= 2;
		c->acc = xrealloc(c->acc, n * sizeof *c->acc);
		memset(c->acc + c->nacc, 0, (n - c->nacc) * sizeof *c->acc);
		c->nacc = n;
	}
	struct acc_info *a = &c->acc[id];
	if (!a->loaded) {
		struct record *r = c->accrec;
		a->loaded = 1;
		if (store_get_fields(c->t, id, ACC_MASK, r) == 0) {
			a->tier = r->v[ACCOUNT_STRATEGIC].i ? 2 : r->v[ACCOUNT_KEY].i ? 1 : 0;
			a->kam = (uint64_t)r->v[ACCOUNT_KAM].i;
			a->name = xstrdup(record_name(r));
		}
	}
	return a;
}

static int refs_have(const char *refs, uint64_t id)
{
	for (const char *p = refs; p && *p;) {
		char *end;
		uint64_t v = strtoull(p, &end, 10);
		if (end == p)
			break;
		if (v == id)
			return 1;
		p = *end == ';' ? end + 1 : end;
	}
	return 0;
}

/* In scope: everybody, or the staff is the account's KAM or named on the item. */
static int in_scope(struct actx *c, uint64_t account, uint64_t owner, const char *staff_refs)
{
	if (!c->o.staff)
		return 1;
	return acc_get(c, account)->kam == c->o.staff || owner == c->o.staff || refs_have(staff_refs, c->o.staff);
}

static void add_item(struct actx *c, enum agenda_section s, int64_t date, uint64_t account, const struct entity *e,
		     uint64_t id, const char *name, char *detail)
{
	struct agenda *a = c->out;
	if (a->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 32;
		a->items = xrealloc(a->items, c->cap * sizeof *a->items);
	}
	struct acc_info *ai = acc_get(c, account);
	struct agenda_item *it = &a->items[a->n++];
	it->section = s;
	it->date = date;
	it->tier = ai->tier;
	it->account = account;
	it->ent = e;
	it->id = id;
	it->account_name = xstrdup(ai->name ? ai->name : "");
	it->what = xstrdup(name);
	it->detail = detail;
}

static void add(struct actx *c, enum agenda_section s, int64_t date, uint64_t account, const struct record *r,
		char *detail)
{
	add_item(c, s, date, account, r->ent, r->id, record_name(r), detail);
}

static int is(const char *s, const char *v)
{
	return s && strcmp(s, v) == 0;
}

static int visit_activity(const struct record *r, void *arg)
{
	struct actx *c = arg;
	const char *st = r->v[ACT_STATUS].s;
	uint64_t account = (uint64_t)r->v[ACT_ACCOUNT].i;
	if (is(st, "cancelled") || is(st, "done") || !in_scope(c, account, 0, r->v[ACT_STAFF].s))
		return 0;
	int64_t day = date_to_days(r->v[ACT_DATE].i);
	const char *type = r->v[ACT_TYPE].s;
	if (day < c->today + WEEK) {
		struct buf d = {0};
		if (record_has(r, ACT_TIME))
			buf_addf(&d, "%02d:%02d ", (int)(r->v[ACT_TIME].i / 60), (int)(r->v[ACT_TIME].i % 60));
		buf_addf(&d, "%s, %s", type, st ? st : "planned");
		add(c, AG_ACTIVITY, r->v[ACT_DATE].i, account, r, buf_steal(&d));
	}
	const struct conf_label *l = conf_enum_value(c->cfg, kam_enum_activity_type, type);
	if (l && l->brand && (!st || is(st, "planned")) && day < c->today + c->o.days) {
		struct buf d = {0}, m = {0};
		format_money(r->v[ACT_BUDGET].i, &m);
		buf_addf(&d, "%s, %lld guests x %lld days, budget %s", type, (long long)r->v[ACT_GUESTS].i,
			 (long long)r->v[ACT_DAYS].i, m.p);
		buf_free(&m);
		add(c, AG_CONFIRM, r->v[ACT_DATE].i, account, r, buf_steal(&d));
	}
	return 0;
}

static int visit_decision(const struct record *r, void *arg)
{
	struct actx *c = arg;
	uint64_t account = (uint64_t)r->v[OPP_ACCOUNT].i;
	const char *st = r->v[OPP_STATUS].s;
	if ((st && !is(st, "open")) || !in_scope(c, account, (uint64_t)r->v[OPP_OWNER].i, NULL))
		return 0;
	struct buf d = {0}, m = {0};
	format_money_short(r->v[OPP_AMOUNT].i, &m);
	buf_addf(&d, "%s, %lld%%, %s", m.p ? m.p : "0", (long long)r->v[OPP_PROBABILITY].i,
		 r->v[OPP_STAGE].s ? r->v[OPP_STAGE].s : "-");
	buf_free(&m);
	add(c, AG_DECISION, r->v[OPP_DECISION].i, account, r, buf_steal(&d));
	return 0;
}

static int visit_action(const struct record *r, void *arg)
{
	struct actx *c = arg;
	uint64_t account = (uint64_t)r->v[PA_ACCOUNT].i;
	const char *st = r->v[PA_STATUS].s;
	if ((st && !is(st, "open")) || !record_has(r, PA_DUE) || date_to_days(r->v[PA_DUE].i) >= c->today + c->o.days)
		return 0;
	if (!in_scope(c, account, (uint64_t)r->v[PA_OWNER].i, NULL))
		return 0;
	int64_t late = c->today - date_to_days(r->v[PA_DUE].i);
	char *d = late > 0 ? xasprintf("goal: %s; %lld days late", r->v[PA_GOAL].s, (long long)late)
			   : xasprintf("goal: %s", r->v[PA_GOAL].s);
	add(c, AG_ACTION, r->v[PA_DUE].i, account, r, d);
	return 0;
}

/* Personal dates: "birthday:11-02;anniversary:03-15". */
struct dates_ctx {
	struct actx *c;
	char mmdd[WEEK][8];
	int64_t date[WEEK];
};

struct key_link {
	uint64_t account;
	int key;
};

static int visit_link(const struct record *r, void *arg)
{
	struct key_link *k = arg;
	if (r->v[AC_KEY].i && !k->key) {
		k->key = 1;
		k->account = (uint64_t)r->v[AC_ACCOUNT].i;
	}
	return 0;
}

static int visit_contact_dates(const struct record *r, void *arg)
{
	struct dates_ctx *dc = arg;
	const char *s = r->v[CONTACT_DATES].s;
	if (!s || !*s || is(r->v[CONTACT_STATUS].s, "left"))
		return 0;
	for (int d = 0; d < WEEK; d++) {
		const char *hit = strstr(s, dc->mmdd[d]);
		if (!hit)
			continue;
		const char *kind = hit;
		while (kind > s && kind[-1] != ';')
			kind--;
		struct key_link k = {0, 0};
		struct value v = {(int64_t)r->id, NULL, 1};
		if (store_index_scan_fields(dc->c->t, ENTITY(account_contact), "contact", &v, 1, LINK_MASK, visit_link,
					    &k) ||
		    !k.key || !in_scope(dc->c, k.account, 0, NULL))
			return 0;
		add(dc->c, AG_DATE, dc->date[d], k.account, r,
		    xasprintf("%.*s %s", (int)(hit - kind > 0 ? hit - kind - 1 : 0), kind, dc->mmdd[d]));
	}
	return 0;
}

/* Contacts linked to one of the staff's accounts, each once. */
struct staff_contacts {
	struct actx *c;
	struct dates_ctx *dc;
	struct record *con; /* reused */
	uint64_t *seen;
	size_t n, cap;
};

static int seen_before(struct staff_contacts *sc, uint64_t id)
{
	for (size_t i = 0; i < sc->n; i++)
		if (sc->seen[i] == id)
			return 1;
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? 2 * sc->cap : 64;
		sc->seen = xrealloc(sc->seen, sc->cap * sizeof *sc->seen);
	}
	sc->seen[sc->n++] = id;
	return 0;
}

static int visit_staff_link(const struct record *l, void *arg)
{
	struct staff_contacts *sc = arg;
	uint64_t id = (uint64_t)l->v[AC_CONTACT].i;
	/* Only key contacts can have an entry (visit_link); the first key link
	 * decides the account, as in the whole-database scan. */
	if (!l->v[AC_KEY].i || seen_before(sc, id))
		return 0;
	int rc = store_get_fields(sc->c->t, id, CONTACT_MASK, sc->con);
	if (rc == KAM_ENOTFOUND)
		return 0;
	return rc ? rc : visit_contact_dates(sc->con, sc->dc);
}

static int visit_staff_account(uint64_t id, void *arg)
{
	struct staff_contacts *sc = arg;
	struct value v = {(int64_t)id, NULL, 1};
	return store_index_scan_fields(sc->c->t, ENTITY(account_contact), "account", &v, 1, LINK_MASK, visit_staff_link,
				       sc);
}

static int scan_dates(struct actx *c)
{
	struct dates_ctx dc = {.c = c};
	for (int d = 0; d < WEEK; d++) {
		dc.date[d] = days_to_date(c->today + d);
		snprintf(dc.mmdd[d], sizeof dc.mmdd[d], "%02d-%02d", (int)(dc.date[d] / 100 % 100),
			 (int)(dc.date[d] % 100));
	}
	if (!c->o.staff)
		return store_scan_fields(c->t, ENTITY(contact), CONTACT_MASK, visit_contact_dates, &dc);
	/* One KAM's agenda: a date is in scope only through an account the
	 * staff manages, so the contacts of those accounts (the account "kam"
	 * index, then the links) are all there is to read. */
	struct staff_contacts sc = {c, &dc, record_new(ENTITY(contact)), NULL, 0, 0};
	struct value v = {(int64_t)c->o.staff, NULL, 1};
	int r = store_index_ids(c->t, ENTITY(account), "kam", &v, 1, visit_staff_account, &sc);
	record_free(sc.con);
	free(sc.seen);
	return r;
}

static int scan_by_day(struct actx *c)
{
	int horizon = c->o.days > WEEK ? c->o.days : WEEK;
	int r = 0;
	for (int d = 0; d < horizon && !r; d++) {
		int64_t day = days_to_date(c->today + d);
		struct value v = {day, NULL, 1};
		r = store_index_scan_fields(c->t, ENTITY(activity), "date", &v, 1, ACT_MASK, visit_activity, c);
		if (d >= c->o.days)
			continue;
		/* The plan year is usually the decision's year; look one either side. */
		for (int y = -1; y <= 1 && !r; y++) {
			struct value yv[2] = {{day / 10000 + y, NULL, 1}, {day, NULL, 1}};
			r = store_index_scan_fields(c->t, ENTITY(opportunity), "year_decision", yv, 2, OPP_MASK,
						    visit_decision, c);
		}
	}
	return r;
}

/* ---- one KAM's agenda: the KAM's accounts, then what names the KAM ---------
 *
 * The same items as the date scans above restricted by in_scope, read
 * through the staff's accounts (account "kam" index, then each account's
 * activities, opportunities and plan actions) and the records naming the
 * staff (activity "staff", opportunity and plan action "owner"); a record
 * reached both ways is taken from its account only. */
struct kam_ctx {
	struct actx *c;
	uint64_t *acc;
	size_t n;
};

static int note_account(uint64_t id, void *arg)
{
	struct kam_ctx *k = arg;
	if ((k->n & (k->n - 1)) == 0) /* 0, 1, 2, 4 ...: full */
		k->acc = xrealloc(k->acc, (k->n ? 2 * k->n : 1) * sizeof *k->acc);
	k->acc[k->n++] = id;
	return 0;
}

static int in_window(const struct actx *c, int64_t date, int days)
{
	int64_t day = date_to_days(date);
	return day >= c->today && day < c->today + days;
}

/* Through the account or, when the account is not the staff's, the staff. */
static int first_way(struct actx *c, uint64_t account, int by_account)
{
	return by_account || acc_get(c, account)->kam != c->o.staff;
}

static int kam_activity(const struct record *r, struct actx *c, int by_account)
{
	int horizon = c->o.days > WEEK ? c->o.days : WEEK;
	if (!in_window(c, r->v[ACT_DATE].i, horizon) || !first_way(c, (uint64_t)r->v[ACT_ACCOUNT].i, by_account))
		return 0;
	return visit_activity(r, c);
}
static int kam_activity_acc(const struct record *r, void *arg)
{
	return kam_activity(r, arg, 1);
}
static int kam_activity_staff(const struct record *r, void *arg)
{
	return kam_activity(r, arg, 0);
}

static int kam_decision(const struct record *r, struct actx *c, int by_account)
{
	int64_t d = r->v[OPP_DECISION].i;
	/* as the year_decision lookups: a decision date, the plan year within one of its year */
	if (!record_has(r, OPP_DECISION) || !record_has(r, OPP_YEAR) || r->v[OPP_YEAR].i < d / 10000 - 1 ||
	    r->v[OPP_YEAR].i > d / 10000 + 1 || !in_window(c, d, c->o.days) ||
	    !first_way(c, (uint64_t)r->v[OPP_ACCOUNT].i, by_account))
		return 0;
	return visit_decision(r, c);
}
static int kam_decision_acc(const struct record *r, void *arg)
{
	return kam_decision(r, arg, 1);
}
static int kam_decision_staff(const struct record *r, void *arg)
{
	return kam_decision(r, arg, 0);
}

static int kam_action_staff(const struct record *r, void *arg)
{
	struct actx *c = arg;
	return first_way(c, (uint64_t)r->v[PA_ACCOUNT].i, 0) ? visit_action(r, c) : 0;
}

static int scan_kam(struct actx *c)
{
	struct kam_ctx k = {c, NULL, 0};
	struct value v = {(int64_t)c->o.staff, NULL, 1};
	int r = store_index_ids(c->t, ENTITY(account), "kam", &v, 1, note_account, &k);
	for (size_t i = 0; i < k.n && !r; i++) {
		struct value a = {(int64_t)k.acc[i], NULL, 1};
		r = store_index_scan_fields(c->t, ENTITY(activity), "account", &a, 1, ACT_MASK, kam_activity_acc, c);
		if (!r)
			r = store_index_scan_fields(c->t, ENTITY(opportunity), "account", &a, 1, OPP_MASK,
						    kam_decision_acc, c);
		if (!r)
			r = store_index_scan_fields(c->t, ENTITY(plan_action), "account", &a, 1, PA_MASK, visit_action,
						    c);
	}
	free(k.acc);
	if (!r)
		r = store_index_scan_fields(c->t, ENTITY(activity), "staff", &v, 1, ACT_MASK, kam_activity_staff, c);
	if (!r)
		r = store_index_scan_fields(c->t, ENTITY(opportunity), "owner", &v, 1, OPP_MASK, kam_decision_staff, c);
	if (!r)
		r = store_index_scan_fields(c->t, ENTITY(plan_action), "owner", &v, 1, PA_MASK, kam_action_staff, c);
	return r;
}

static void add_findings(struct actx *c, const struct finding *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (c->o.staff && acc_get(c, v[i].account)->kam != c->o.staff)
			continue;
		c->out->findings++;
		c->out->errors += v[i].severity == SEV_ERROR;
		if (v[i].check != CHK_CONTACT_CADENCE)
			continue;
		add_item(c, AG_OVERDUE, 0, v[i].account, v[i].ent, v[i].id, v[i].name, xstrdup(v[i].msg));
	}
}

static int by_importance(const void *x, const void *y)
{
	const struct agenda_item *a = x, *b = y;
	if (a->section != b->section)
		return a->section < b->section ? -1 : 1;
	if (a->section != AG_ACTIVITY && a->tier != b->tier)
		return a->tier > b->tier ? -1 : 1;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	int t = a->section == AG_ACTIVITY ? strcmp(a->detail, b->detail) : 0; /* the time comes first */
	if (t)
		return t;
	if (a->tier != b->tier)
		return a->tier > b->tier ? -1 : 1;
	return a->id < b->id ? -1 : a->id > b->id;
}

int agenda_build(struct store *st, const struct kam_config *cfg, const struct agenda_opts *o, struct agenda *out,
		 char **cause)
{
	memset(out, 0, sizeof *out);
	struct check_filter f = {0, -1, o->today, o->staff}; /* one KAM: only their accounts are read */
	struct finding *fv = NULL;
	size_t fn = 0;
	int r = checks_run(st, cfg, &f, &fv, &fn, cause);
	if (r < 0)
		return r;
	struct actx c = {.cfg = cfg, .o = *o, .out = out};
	c.today = date_to_days(o->today ? o->today : date_today());
	if (c.o.days <= 0)
		c.o.days = 30;
	r = store_begin(st, 0, &c.t);
	c.accrec = record_new(ENTITY(account));
	if (!r) {
		add_findings(&c, fv, fn);
		if (c.o.staff) {
			r = scan_kam(&c);
		} else {
			r = scan_by_day(&c);
			if (!r)
				r = store_scan_fields(c.t, ENTITY(plan_action), PA_MASK, visit_action, &c);
		}
		if (!r)
			r = scan_dates(&c);
		store_abort(c.t);
	}
	checks_free(fv, fn);
	record_free(c.accrec);
	for (size_t i = 0; i < c.nacc; i++)
		free(c.acc[i].name);
	free(c.acc);
	if (r) {
		agenda_free(out);
		return set_cause(cause, r < 0 ? r : KAM_ESTORE, "agenda: cannot read the database");
	}
	if (out->n)
		qsort(out->items, out->n, sizeof *out->items, by_importance);
	return 0;
}

void agenda_free(struct agenda *a)
{
	for (size_t i = 0; a && i < a->n; i++) {
		free(a->items[i].account_name);
		free(a->items[i].what);
		free(a->items[i].detail);
	}
	if (a) {
		free(a->items);
		memset(a, 0, sizeof *a);
	}
}
