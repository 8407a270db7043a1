/* The global views' rows: all contacts, all opportunities of a plan year,
 * the message log (kam/vlist.h). */
#include "kam/vlist.h"

#include <stdlib.h>
#include <string.h>

#include "kam/agenda.h"
#include "kam/checks.h"
#include "kam/detail.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/text.h"
#include "kam/util.h"

void vlist_free(struct vlist *v)
{
	for (int i = 0; i < v->n; i++)
		free(v->rows[i]);
	free(v->rows);
	free(v->acct);
	free(v->sub);
	free(v->rec);
	if (v->key)
		for (int i = 0; i < v->n; i++)
			free(v->key[i]);
	free(v->key);
	free(v->title);
	free(v->head);
	free(v->foot);
	memset(v, 0, sizeof *v);
}

static void vlist_add_sub(struct vlist *v, uint64_t acct, enum detail_sub sub, struct buf *b)
{
	v->rows = xrealloc(v->rows, ((size_t)v->n + 1) * sizeof *v->rows);
	v->acct = xrealloc(v->acct, ((size_t)v->n + 1) * sizeof *v->acct);
	v->sub = xrealloc(v->sub, ((size_t)v->n + 1) * sizeof *v->sub);
	v->rec = xrealloc(v->rec, ((size_t)v->n + 1) * sizeof *v->rec);
	v->rec[v->n] = 0;
	v->rows[v->n] = text_sanitize(b->p ? b->p : "");
	v->acct[v->n] = acct;
	v->sub[v->n] = (unsigned char)sub;
	v->n++;
	buf_reset(b);
}

void vlist_push(struct vlist *v, uint64_t acct, int sub, const char *key, struct buf *b)
{
	if (key && !v->key)
		v->key = xcalloc((size_t)v->n + 1, sizeof *v->key);
	if (v->key) {
		v->key = xrealloc(v->key, ((size_t)v->n + 1) * sizeof *v->key);
		v->key[v->n] = key ? xstrdup(key) : NULL;
	}
	vlist_add_sub(v, acct, (enum detail_sub)sub, b);
}

void vlist_cell(struct buf *b, const char *s, int w, enum text_align al)
{
	buf_grow(b, (size_t)w * 4 + 1);
	b->len += text_fit_into(b->p + b->len, s ? s : "", w, al);
	b->p[b->len] = '\0';
}

static void vlist_add(struct vlist *v, uint64_t acct, struct buf *b)
{
	vlist_add_sub(v, acct, v->kind == VLIST_OPPS ? DETAIL_OPPS : DETAIL_CONTACTS, b);
}

/* The detail sub-view that shows a record of entity e. */
static enum detail_sub sub_of(const struct entity *e)
{
	if (e == ENTITY(contact) || e == ENTITY(account_contact) || e == ENTITY(influence))
		return DETAIL_CONTACTS;
	if (e == ENTITY(opportunity) || e == ENTITY(opp_contact))
		return DETAIL_OPPS;
	if (e == ENTITY(activity) || e == ENTITY(complaint))
		return DETAIL_ACTS;
	if (e == ENTITY(team))
		return DETAIL_TEAM;
	if (e == ENTITY(plan) || e == ENTITY(plan_action))
		return DETAIL_PLAN;
	return DETAIL_OVERVIEW;
}

static const char *text_or(const struct value *v, const char *dflt)
{
	return v->set && v->s && *v->s ? v->s : dflt;
}

/* --- all contacts ------------------------------------------------------------- */

struct crow {
	char *sort; /* account name \1 contact name */
	char *text;
	uint64_t acct;
	uint64_t id;
};

static int cmp_crow(const void *a, const void *b)
{
	return strcmp(((const struct crow *)a)->sort, ((const struct crow *)b)->sort);
}

struct cwalk {
	struct txn *t;
	struct crow *r;
	int n;
};

static int first_role(const struct record *r, void *arg)
{
	struct record **out = arg;
	*out = record_dup(r);
	return 1; /* stop */
}

static char *name_of(struct txn *t, const struct entity *e, const struct value *v, const char *dflt)
{
	struct record *r = NULL;
	if (!v->set || store_get(t, e, (uint64_t)v->i, &r) != 0)
		return xstrdup(dflt);
	char *s = xstrdup(record_name(r));
	record_free(r);
	return s;
}

static int visit_contact(const struct record *c, void *arg)
{
	struct cwalk *w = arg;
	struct record *ac = NULL;
	struct value id = {.i = (int64_t)c->id, .set = 1};
	store_index_scan(w->t, ENTITY(account_contact), "contact", &id, 1, first_role, &ac);
	char *acct = ac ? name_of(w->t, ENTITY(account), &ac->v[AC_ACCOUNT], "--") : xstrdup("--");
	char *owner = ac ? name_of(w->t, ENTITY(staff), &ac->v[AC_OWNER_A], "--") : xstrdup("--");
	struct buf b = {0};
	vlist_cell(&b, record_name(c), 12, TEXT_LEFT);
	buf_addc(&b, ' ');
	vlist_cell(&b, text_or(&c->v[CONTACT_TITLE], "--"), 14, TEXT_LEFT);
	buf_addc(&b, ' ');
	vlist_cell(&b, ac ? text_or(&ac->v[AC_ROLE], "--") : "--", 14, TEXT_LEFT);
	buf_addc(&b, ' ');
	vlist_cell(&b, owner, 8, TEXT_LEFT);
	buf_addc(&b, ' ');
	buf_adds(&b, acct); /* last: it takes what a wide screen offers */
	w->r = xrealloc(w->r, ((size_t)w->n + 1) * sizeof *w->r);
	w->r[w->n++] = (struct crow){xasprintf("%s\1%s", ac ? acct : "\377", record_name(c)), buf_steal(&b),
				     ac && ac->v[AC_ACCOUNT].set ? (uint64_t)ac->v[AC_ACCOUNT].i : 0, c->id};
	free(acct);
	free(owner);
	record_free(ac);
	return 0;
}

int vlist_contacts(struct vlist *v, struct store *st, int64_t today, char **cause)
{
	(void)today;
	vlist_free(v);
	v->kind = VLIST_CONTACTS;
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot read contacts: %s", kam_strerror(rc));
	struct cwalk w = {t, NULL, 0};
	rc = store_scan(t, ENTITY(contact), visit_contact, &w);
	store_abort(t);
	if (w.n > 1)
		qsort(w.r, (size_t)w.n, sizeof *w.r, cmp_crow);
	struct buf b = {0};
	for (int i = 0; i < w.n; i++) {
		buf_adds(&b, w.r[i].text);
		vlist_add(v, w.r[i].acct, &b);
		v->rec[v->n - 1] = w.r[i].id;
		free(w.r[i].sort);
		free(w.r[i].text);
	}
	free(w.r);
	buf_free(&b);
	v->title = xstrdup("Contacts");
	v->head = xstrdup("Name         Title          Role           A owner  Account");
	v->foot = xasprintf("%d contact%s", v->n, v->n == 1 ? "" : "s");
	if (rc)
		return set_cause(cause, rc, "cannot read contacts: %s", kam_strerror(rc));
	return 0;
}

/* --- all opportunities of a plan year ------------------------------------------ */

struct orow {
	int64_t decision;
	uint64_t id;
	char *text;
	uint64_t acct;
};

static int cmp_orow(const void *a, const void *b)
{
	const struct orow *x = a, *y = b;
	if (x->decision != y->decision)
		return x->decision < y->decision ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

struct owalk {
	struct txn *t;
	struct orow *r;
	int n;
	int64_t total, weighted;
};

static int visit_opp(const struct record *o, void *arg)
{
	struct owalk *w = arg;
	struct buf b = {0}, m = {0};
	if (o->v[OPP_DECISION].set)
		format_date(o->v[OPP_DECISION].i, &b);
	else
		buf_adds(&b, "--        ");
	buf_addc(&b, ' ');
	char *title = o->v[OPP_STRATEGIC].i ? xasprintf("%s *", record_name(o)) : xstrdup(record_name(o));
	vlist_cell(&b, title, 22, TEXT_LEFT);
	free(title);
	buf_addc(&b, ' ');
	vlist_cell(&b, text_or(&o->v[OPP_STAGE], "--"), 9, TEXT_LEFT);
	if (o->v[OPP_AMOUNT].set)
		format_money_short(o->v[OPP_AMOUNT].i, &m);
	vlist_cell(&b, o->v[OPP_AMOUNT].set ? m.p : "--", 10, TEXT_RIGHT);
	if (o->v[OPP_PROBABILITY].set)
		buf_addf(&b, " %3lld%%", (long long)o->v[OPP_PROBABILITY].i);
	else
		buf_adds(&b, "   --");
	const char *status = text_or(&o->v[OPP_STATUS], "");
	vlist_cell(&b, strcmp(status, "won") == 0 || strcmp(status, "lost") == 0 ? status : "", 5, TEXT_RIGHT);
	char *acct = name_of(w->t, ENTITY(account), &o->v[OPP_ACCOUNT], "--");
	buf_addf(&b, " %s", acct); /* last: it takes what a wide screen offers */
	free(acct);
	if (o->v[OPP_AMOUNT].set && strcmp(status, "lost") != 0) {
		w->total += o->v[OPP_AMOUNT].i;
		w->weighted += o->v[OPP_AMOUNT].i * (o->v[OPP_PROBABILITY].set ? o->v[OPP_PROBABILITY].i : 0) / 100;
	}
	w->r = xrealloc(w->r, ((size_t)w->n + 1) * sizeof *w->r);
	w->r[w->n++] = (struct orow){o->v[OPP_DECISION].set ? o->v[OPP_DECISION].i : INT64_MAX, o->id, buf_steal(&b),
				     (uint64_t)o->v[OPP_ACCOUNT].i};
	buf_free(&m);
	return 0;
}

int vlist_opps(struct vlist *v, struct store *st, int year, char **cause)
{
	vlist_free(v);
	v->kind = VLIST_OPPS;
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot read opportunities: %s", kam_strerror(rc));
	struct owalk w = {t, NULL, 0, 0, 0};
	struct value y = {.i = year, .set = 1};
	rc = store_index_scan(t, ENTITY(opportunity), "year_decision", &y, 1, visit_opp, &w);
	store_abort(t);
	if (w.n > 1)
		qsort(w.r, (size_t)w.n, sizeof *w.r, cmp_orow);
	struct buf b = {0};
	for (int i = 0; i < w.n; i++) {
		buf_adds(&b, w.r[i].text);
		vlist_add(v, w.r[i].acct, &b);
		v->rec[v->n - 1] = w.r[i].id;
		free(w.r[i].text);
	}
	free(w.r);
	v->title = xasprintf("Opportunities %d", year);
	v->head = xstrdup("Decide     Opportunity            Stage        Amount    P       Account");
	buf_addf(&b, "%d opportunit%s   total ", v->n, v->n == 1 ? "y" : "ies");
	format_money_short(w.total, &b);
	buf_adds(&b, "   weighted ");
	format_money_short(w.weighted, &b);
	v->foot = buf_steal(&b);
	buf_free(&b);
	if (rc)
		return set_cause(cause, rc, "cannot read opportunities: %s", kam_strerror(rc));
	return 0;
}

/* --- search results ------------------------------------------------------------ */

struct srow {
	int kind; /* 0 account, 1 contact, 2 opportunity: the order shown */
	char *name;
	uint64_t id, acct;
};

struct swalk {
	struct txn *t;
	char *needle; /* folded */
	struct srow *r;
	int n, more;
};

static int cmp_srow(const void *a, const void *b)
{
	const struct srow *x = a, *y = b;
	if (x->kind != y->kind)
		return x->kind - y->kind;
	int c = strcmp(x->name, y->name);
	return c ? c : x->id < y->id ? -1 : x->id > y->id;
}

static int name_has(const struct swalk *w, const char *name)
{
	char *folded = text_fold(name ? name : "");
	int hit = strstr(folded, w->needle) != NULL;
	free(folded);
	return hit;
}

static void search_add(struct swalk *w, int kind, const char *name, uint64_t id, uint64_t acct)
{
	if (w->n == VLIST_SEARCH_MAX) {
		w->more = 1;
		return;
	}
	w->r = xrealloc(w->r, ((size_t)w->n + 1) * sizeof *w->r);
	w->r[w->n++] = (struct srow){kind, xstrdup(name), id, acct};
}

static int search_account(const struct record *r, void *arg)
{
	struct swalk *w = arg;
	if (name_has(w, record_name(r)))
		search_add(w, 0, record_name(r), r->id, r->id);
	return 0;
}

static int search_contact(const struct record *r, void *arg)
{
	struct swalk *w = arg;
	if (!name_has(w, record_name(r)))
		return 0;
	struct record *ac = NULL;
	struct value id = {.i = (int64_t)r->id, .set = 1};
	store_index_scan(w->t, ENTITY(account_contact), "contact", &id, 1, first_role, &ac);
	search_add(w, 1, record_name(r), r->id, ac && ac->v[AC_ACCOUNT].set ? (uint64_t)ac->v[AC_ACCOUNT].i : 0);
	record_free(ac);
	return 0;
}

static int search_opp(const struct record *r, void *arg)
{
	struct swalk *w = arg;
	if (name_has(w, record_name(r)))
		search_add(w, 2, record_name(r), r->id, (uint64_t)r->v[OPP_ACCOUNT].i);
	return 0;
}

static void search_row(struct vlist *v, struct txn *t, const struct srow *s, struct buf *b)
{
	static const char *const kinds[] = {"account", "contact", "opportunity"};
	static const enum detail_sub subs[] = {DETAIL_OVERVIEW, DETAIL_CONTACTS, DETAIL_OPPS};
	vlist_cell(b, kinds[s->kind], 12, TEXT_LEFT);
	vlist_cell(b, s->name, 30, TEXT_LEFT);
	if (s->kind) {
		struct value a = {.i = (int64_t)s->acct, .set = s->acct != 0};
		char *acct = name_of(t, ENTITY(account), &a, "--");
		buf_addf(b, " %s", acct);
		free(acct);
	}
	vlist_add_sub(v, s->acct, subs[s->kind], b);
	v->rec[v->n - 1] = s->kind ? s->id : 0;
}

int vlist_search(struct vlist *v, struct store *st, const char *text, char **cause)
{
	vlist_free(v);
	v->kind = VLIST_SEARCH;
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot search: %s", kam_strerror(rc));
	struct swalk w = {t, text_fold(text ? text : ""), NULL, 0, 0};
	const struct entity *opp = ENTITY(opportunity), *con = ENTITY(contact), *acc = ENTITY(account);
	rc = store_scan_fields(t, acc, FIELD_BIT(acc->name_field), search_account, &w);
	if (!rc)
		rc = store_scan_fields(t, con, FIELD_BIT(con->name_field), search_contact, &w);
	if (!rc)
		rc = store_scan_fields(t, opp, FIELD_BIT(opp->name_field) | FIELD_BIT(OPP_ACCOUNT), search_opp, &w);
	if (w.n > 1)
		qsort(w.r, (size_t)w.n, sizeof *w.r, cmp_srow);
	struct buf b = {0};
	for (int i = 0; i < w.n; i++) {
		search_row(v, t, &w.r[i], &b);
		free(w.r[i].name);
	}
	store_abort(t);
	free(w.r);
	free(w.needle);
	buf_free(&b);
	v->title = xasprintf("Search: %s", text ? text : "");
	v->head = xstrdup("Type        Name                           Account");
	v->foot = w.more ? xasprintf("the first %d matches (search for more of the name)", w.n)
			 : xasprintf("%d match%s", w.n, w.n == 1 ? "" : "es");
	if (rc)
		return set_cause(cause, rc, "cannot search: %s", kam_strerror(rc));
	return 0;
}

/* --- messages ----------------------------------------------------------------------- */

void vlist_messages(struct vlist *v, const char *const *lines, int n)
{
	vlist_free(v);
	v->kind = VLIST_MESSAGES;
	struct buf b = {0};
	for (int i = n - 1; i >= 0; i--) {
		buf_adds(&b, lines[i] ? lines[i] : "");
		vlist_add(v, 0, &b);
	}
	buf_free(&b);
	v->title = xstrdup("Messages");
	v->head = xstrdup("Time      Message (newest first)");
	v->foot = xasprintf("%d message%s", n, n == 1 ? "" : "s");
}

/* --- checks ------------------------------------------------------------------------- */

int vlist_checks(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, char **cause)
{
	vlist_free(v);
	v->kind = VLIST_CHECKS;
	v->title = xstrdup("Checks");
	v->head = xstrdup("Severity Account              Record         Finding");
	struct finding *fs = NULL;
	size_t n = 0;
	struct check_filter f = {.account = 0, .check = -1, .today = today};
	int rc = checks_run(st, cfg, &f, &fs, &n, cause);
	if (rc) {
		v->foot = xstrdup("checks failed");
		return rc;
	}
	struct buf b = {0};
	size_t errors = 0;
	struct txn *t = NULL;
	if (n && (rc = store_begin(st, 0, &t)) != 0) {
		checks_free(fs, n);
		v->foot = xstrdup("checks failed");
		return set_cause(cause, rc, "cannot read accounts: %s", kam_strerror(rc));
	}
	for (size_t i = 0; i < n; i++) {
		const struct finding *x = &fs[i];
		errors += x->severity == SEV_ERROR;
		struct value id = {.i = (int64_t)x->account, .set = x->account != 0};
		char *acct = name_of(t, ENTITY(account), &id, "--");
		vlist_cell(&b, check_severity_name(x->severity), 8, TEXT_LEFT);
		buf_addc(&b, ' ');
		vlist_cell(&b, acct, 20, TEXT_LEFT);
		buf_addc(&b, ' ');
		/* The record, unless it is the account itself. */
		int self = x->ent == ENTITY(account) && x->id == x->account;
		vlist_cell(&b, self ? "" : x->name ? x->name : "--", 14, TEXT_LEFT);
		buf_addf(&b, " %s (%s)", x->msg ? x->msg : "", check_defs[x->check].name);
		vlist_add_sub(v, x->account, x->ent ? sub_of(x->ent) : DETAIL_OVERVIEW, &b);
		free(acct);
	}
	store_abort(t);
	buf_free(&b);
	checks_free(fs, n);
	v->foot = xasprintf("%zu finding%s, %zu error%s", n, n == 1 ? "" : "s", errors, errors == 1 ? "" : "s");
	return 0;
}

/* --- today ---------------------------------------------------------------------------- */

int vlist_today(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, char **cause)
{
	return vlist_today_staff(v, st, cfg, today, 0, cause);
}

static int staff_hit(const struct record *r, void *arg)
{
	*(uint64_t *)arg = r->id;
	return 1; /* stop */
}

uint64_t vlist_staff_of_login(struct store *st, const char *login)
{
	uint64_t id = 0;
	struct txn *t;
	if (!login || !*login || store_begin(st, 0, &t) != 0)
		return 0;
	struct value v = {.s = (char *)login, .set = 1};
	store_index_scan(t, ENTITY(staff), "login", &v, 1, staff_hit, &id);
	store_abort(t);
	return id;
}

int vlist_today_staff(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, uint64_t staff,
		      char **cause)
{
	vlist_free(v);
	v->kind = VLIST_TODAY;
	struct buf b = {0};
	format_date(today, &b);
	static const char *const wd[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
	v->title = xasprintf("Today %s %s", wd[date_weekday(today) % 7], b.p);
	buf_reset(&b);
	v->head = xstrdup("  Date       What                   Account              Detail");
	struct agenda a = {0};
	struct agenda_opts o = {.days = 30, .staff = staff, .today = today};
	int rc = agenda_build(st, cfg, &o, &a, cause);
	if (rc) {
		v->foot = xstrdup("agenda failed");
		buf_free(&b);
		return rc;
	}
	int section = -1;
	for (size_t i = 0; i < a.n; i++) {
		const struct agenda_item *x = &a.items[i];
		if ((int)x->section != section) {
			section = (int)x->section;
			buf_adds(&b, agenda_section_titles[section]);
			vlist_add_sub(v, 0, DETAIL_OVERVIEW, &b);
		}
		buf_adds(&b, "  ");
		if (x->date)
			format_date(x->date, &b);
		else
			buf_adds(&b, "--        ");
		buf_addc(&b, ' ');
		vlist_cell(&b, x->what ? x->what : "", 22, TEXT_LEFT);
		buf_addc(&b, ' ');
		vlist_cell(&b, x->account_name ? x->account_name : "--", 20, TEXT_LEFT);
		buf_addf(&b, " %s", x->detail ? x->detail : "");
		vlist_add_sub(v, x->account, x->ent ? sub_of(x->ent) : DETAIL_OVERVIEW, &b);
	}
	if (!a.n) {
		buf_adds(&b, "nothing due");
		vlist_add_sub(v, 0, DETAIL_OVERVIEW, &b);
	}
	v->foot = xasprintf("%zu item%s   findings %zu (c)", a.n, a.n == 1 ? "" : "s", a.findings);
	agenda_free(&a);
	buf_free(&b);
	return 0;
}
