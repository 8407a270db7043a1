/* The detail of one account: Overview, Contacts (list or org chart), the
 * annual opportunity list of a year, the activity timeline, the team by
 * project phase, the account plan of a year and the account's audit history. */
#include "kam/detail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/access.h"
#include "kam/err.h"
#include "kam/json.h"
#include "kam/text.h"
#include "kam/util.h"

const char *detail_sub_name(enum detail_sub s)
{
	static const char *const names[DETAIL__COUNT] = {"Overview", "Contacts", "Opps",   "Acts",
							 "Team",     "Plan",     "History"};
	return (unsigned)s < DETAIL__COUNT ? names[s] : "?";
}

/* --- building lines --------------------------------------------------------- */

static void add_line(struct detail *d, int style, struct buf *b)
{
	d->lines = xrealloc(d->lines, ((size_t)d->nlines + 1) * sizeof *d->lines);
	d->lines[d->nlines].text = text_sanitize(b->p ? b->p : "");
	d->lines[d->nlines].style = style;
	d->lines[d->nlines].ent = NULL;
	d->lines[d->nlines].id = 0;
	d->nlines++;
	buf_reset(b);
}

/* The last line shows record id of e. */
static void line_ref(struct detail *d, const struct entity *e, uint64_t id)
{
	d->lines[d->nlines - 1].ent = e;
	d->lines[d->nlines - 1].id = id;
}

static void add_text(struct detail *d, int style, const char *s)
{
	struct buf b = {0};
	buf_adds(&b, s);
	add_line(d, style, &b);
	buf_free(&b);
}

/* A cell of exactly w columns (CJK-aware), left or right aligned. */
static void cell(struct buf *b, const char *s, int w, enum text_align al)
{
	buf_grow(b, (size_t)w * 4 + 1);
	b->len += text_fit_into(b->p + b->len, s ? s : "", w, al);
	b->p[b->len] = '\0';
}

static void cell_money(struct buf *b, const struct value *v, int w)
{
	struct buf m = {0};
	if (v->set)
		format_money_short(v->i, &m);
	cell(b, v->set ? m.p : "--", w, TEXT_RIGHT);
	buf_free(&m);
}

static const char *enum_text(const struct value *v)
{
	return v->set && v->s && *v->s ? v->s : "--";
}

/* --- the records of one account ------------------------------------------- */

struct recs {
	struct record **r;
	int n;
};

static int collect(const struct record *r, void *arg)
{
	struct recs *rs = arg;
	rs->r = xrealloc(rs->r, ((size_t)rs->n + 1) * sizeof *rs->r);
	rs->r[rs->n++] = record_dup(r);
	return 0;
}

static void recs_free(struct recs *rs)
{
	for (int i = 0; i < rs->n; i++)
		record_free(rs->r[i]);
	free(rs->r);
	rs->r = NULL;
	rs->n = 0;
}

static int scan_ref(struct txn *t, const struct entity *e, const char *index, uint64_t id, struct recs *out)
{
	struct value v = {.i = (int64_t)id, .set = 1};
	return store_index_scan(t, e, index, &v, 1, collect, out);
}

/* Display name of a referenced record, "--" when unset or missing. */
static char *ref_name(struct txn *t, const struct entity *e, const struct value *v)
{
	struct record *r = NULL;
	if (!v->set || store_get(t, e, (uint64_t)v->i, &r) != 0)
		return xstrdup("--");
	char *s = xstrdup(record_name(r));
	record_free(r);
	return s;
}

/* Share of wallet in tenths of a percent, rounded half up; budget > 0. In
 * long double: cents times 1000 can pass int64 for a very large budget. */
static long long share_permille(int64_t revenue, int64_t budget)
{
	long double pm = (long double)revenue * 1000.0L / (long double)budget;
	return (long long)(pm + (pm < 0 ? -0.5L : 0.5L));
}

/* --- Overview ------------------------------------------------------------- */

static int cmp_year(const void *a, const void *b)
{
	int64_t x = (*(struct record *const *)a)->v[AY_YEAR].i, y = (*(struct record *const *)b)->v[AY_YEAR].i;
	return x < y ? -1 : x > y;
}

static void overview_years(struct detail *d, struct txn *t, const struct record *acct)
{
	struct recs ys = {0};
	struct buf b = {0};
	scan_ref(t, ENTITY(account_year), "account", acct->id, &ys);
	if (ys.n > 1)
		qsort(ys.r, (size_t)ys.n, sizeof *ys.r, cmp_year);
	add_text(d, DL_HEAD, "            Budget   Our revenue    Share   Margin");
	int first = ys.n > 3 ? ys.n - 3 : 0; /* the last three years */
	int streak = 0;
	for (int i = 0; i < ys.n; i++) {
		const struct record *y = ys.r[i];
		int bought = y->v[AY_REVENUE].set && y->v[AY_REVENUE].i > 0;
		streak = bought ? streak + 1 : 0;
		if (i < first)
			continue;
		buf_addf(&b, "%-4lld  ", (long long)y->v[AY_YEAR].i);
		cell_money(&b, &y->v[AY_BUDGET], 12);
		buf_addc(&b, ' ');
		cell_money(&b, &y->v[AY_REVENUE], 13);
		if (y->v[AY_BUDGET].set && y->v[AY_BUDGET].i > 0 && y->v[AY_REVENUE].set) {
			long long permille = share_permille(y->v[AY_REVENUE].i, y->v[AY_BUDGET].i);
			buf_addf(&b, "  %5lld.%lld%%", permille / 10, permille % 10);
		} else {
			buf_adds(&b, "       --");
		}
		if (y->v[AY_MARGIN].set)
			buf_addf(&b, "  %6lld%%", (long long)y->v[AY_MARGIN].i);
		else
			buf_adds(&b, "       --");
		add_line(d, DL_PLAIN, &b);
	}
	if (!ys.n)
		add_text(d, DL_PLAIN, "(no account years)");
	add_text(d, DL_PLAIN, "");
	buf_addf(&b, "Retention  %d year%s buying in a row", streak, streak == 1 ? "" : "s");
	add_line(d, DL_PLAIN, &b);
	buf_free(&b);
	recs_free(&ys);
}

/* The score broken down by the YAML criteria: why this account is key. */
static void overview_score(struct detail *d, const struct record *acct)
{
	const struct account_score *a = d->scores ? score_set_get(d->scores, acct->id) : NULL;
	if (!a)
		return;
	const struct kam_config *cfg = d->scores->cfg;
	struct buf b = {0};
	add_text(d, DL_PLAIN, "");
	buf_addf(&b, "Score %.0f/100   tier %s   quadrant %s   ABC %c", a->score, rules_tier_id(cfg, a->tier),
		 rules_quadrant_label(cfg, a->quadrant), a->abc);
	add_line(d, DL_HEAD, &b);
	struct criterion_score *crit = xcalloc(cfg->criteria.n ? (size_t)cfg->criteria.n : 1, sizeof *crit);
	score_criteria(d->scores, a, crit);
	for (int i = 0; i < cfg->criteria.n; i++) {
		const struct criterion *c = CONF_MAP_AT(cfg->criteria, struct criterion, i);
		char *why = rules_explain(cfg, i, &crit[i]);
		char *pts = xasprintf("%.0f/%.0f", crit[i].points, c->weight);
		buf_adds(&b, "  ");
		cell(&b, cfg->lang == 1 && c->zh ? c->zh : c->en ? c->en : c->head.id, 16, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell(&b, why, 34, TEXT_LEFT);
		cell(&b, pts, 8, TEXT_RIGHT);
		add_line(d, DL_PLAIN, &b);
		free(why);
		free(pts);
	}
	free(crit);
	buf_free(&b);
}

static void build_overview(struct detail *d, struct txn *t, const struct record *acct)
{
	struct buf b = {0};
	char *parent = ref_name(t, ENTITY(account), &acct->v[ACCOUNT_PARENT]);
	char *kam = ref_name(t, ENTITY(staff), &acct->v[ACCOUNT_KAM]);
	buf_addf(&b, "Parent     %s", acct->v[ACCOUNT_PARENT].set ? parent : "(top level)");
	if (acct->v[ACCOUNT_PROCUREMENT].set)
		buf_addf(&b, " (%s procurement)", acct->v[ACCOUNT_PROCUREMENT].s);
	add_line(d, DL_PLAIN, &b);
	buf_addf(&b, "KAM        %s   Region %s/%s   Industry %s", kam, enum_text(&acct->v[ACCOUNT_PROVINCE]),
		 enum_text(&acct->v[ACCOUNT_CITY]), enum_text(&acct->v[ACCOUNT_INDUSTRY]));
	add_line(d, DL_PLAIN, &b);
	buf_addf(&b, "Stage      %s", enum_text(&acct->v[ACCOUNT_STAGE]));
	if (acct->v[ACCOUNT_STAGE_SINCE].set) {
		buf_adds(&b, " since ");
		format_date(acct->v[ACCOUNT_STAGE_SINCE].i, &b);
	}
	buf_addf(&b, "   Lifecycle %s", enum_text(&acct->v[ACCOUNT_LIFECYCLE]));
	add_line(d, DL_PLAIN, &b);
	buf_addf(&b, "Position   %s   Scale %s", enum_text(&acct->v[ACCOUNT_POSITION]),
		 enum_text(&acct->v[ACCOUNT_SCALE]));
	if (acct->v[ACCOUNT_EMPLOYEES].set)
		buf_addf(&b, " (%lld staff)", (long long)acct->v[ACCOUNT_EMPLOYEES].i);
	add_line(d, DL_PLAIN, &b);
	add_text(d, DL_PLAIN, "");
	overview_years(d, t, acct);
	overview_score(d, acct);
	if (acct->v[ACCOUNT_NOTES].set && acct->v[ACCOUNT_NOTES].s) {
		add_text(d, DL_PLAIN, "");
		buf_addf(&b, "Notes      %s", acct->v[ACCOUNT_NOTES].s);
		add_line(d, DL_PLAIN, &b);
	}
	free(parent);
	free(kam);
	buf_free(&b);
}

/* --- Contacts --------------------------------------------------------------- */

struct person {
	struct record *ac; /* account_contact */
	struct record *c;  /* contact, or NULL if missing */
	int64_t last;      /* last contact date */
	int parent;        /* index of the manager within this account, -1 */
	int done;
};

static int64_t last_contact_of(const struct recs *acts, uint64_t cid, int64_t today)
{
	int64_t best = 0;
	char idtxt[32];
	snprintf(idtxt, sizeof idtxt, "%llu", (unsigned long long)cid);
	size_t n = strlen(idtxt);
	for (int i = 0; i < acts->n; i++) {
		const struct record *a = acts->r[i];
		const char *s = a->v[ACT_CONTACTS].s;
		if (!s || a->v[ACT_DATE].i > today || a->v[ACT_DATE].i <= best)
			continue;
		if (a->v[ACT_STATUS].s && strcmp(a->v[ACT_STATUS].s, "cancelled") == 0)
			continue;
		for (const char *p = s; (p = strstr(p, idtxt)) != NULL; p += n) {
			int starts = p == s || p[-1] == ';';
			int ends = p[n] == '\0' || p[n] == ';';
			if (starts && ends) {
				best = a->v[ACT_DATE].i;
				break;
			}
		}
	}
	return best;
}

static void contact_cells(struct buf *b, struct txn *t, const struct person *p, int64_t today)
{
	const struct record *ac = p->ac;
	static const char *const role_short[][2] = {
	    {"economic_buyer", "EB"}, {"decision_maker", "DM"}, {"technical", "TB"}, {"user", "U"},
	    {"coach", "C"},           {"gatekeeper", "G"},      {"influencer", "I"}};
	const char *role = "--";
	for (size_t i = 0; ac->v[AC_ROLE].s && i < sizeof role_short / sizeof role_short[0]; i++)
		if (strcmp(ac->v[AC_ROLE].s, role_short[i][0]) == 0)
			role = role_short[i][1];
	cell(b, role, 4, TEXT_LEFT);
	buf_addc(b, ' ');
	cell(b, enum_text(&ac->v[AC_INFLUENCE]), 6, TEXT_LEFT);
	buf_addc(b, ' ');
	cell(b, enum_text(&ac->v[AC_ATTITUDE]), 9, TEXT_LEFT);
	buf_addc(b, ' ');
	char *a = ref_name(t, ENTITY(staff), &ac->v[AC_OWNER_A]);
	char *bo = ref_name(t, ENTITY(staff), &ac->v[AC_OWNER_B]);
	char *ab = xasprintf("%s/%s", a, bo);
	cell(b, ab, 12, TEXT_LEFT);
	free(a);
	free(bo);
	free(ab);
	if (p->last) {
		int64_t days = date_to_days(today) - date_to_days(p->last);
		int64_t cadence = p->c && p->c->v[CONTACT_CADENCE].set ? p->c->v[CONTACT_CADENCE].i : 0;
		char *s = xasprintf("%lldd%s", (long long)days, cadence > 0 && days > cadence ? "!" : "");
		cell(b, s, 5, TEXT_RIGHT);
		free(s);
	} else {
		cell(b, "--", 5, TEXT_RIGHT);
	}
}

static char *person_label(const struct person *p)
{
	if (!p->c)
		return xstrdup("(missing contact)");
	const char *title = p->c->v[CONTACT_TITLE].s;
	return title && *title ? xasprintf("%s %s", record_name(p->c), title) : xstrdup(record_name(p->c));
}

/* One org-chart row and, depth first, its reports. prefix holds the
 * "|  " / "   " columns of the ancestors. */
static void org_row(struct detail *d, struct txn *t, struct person *ps, int n, int i, const char *prefix, int last,
		    int root, int64_t today)
{
	if (ps[i].done)
		return; /* a reports-to cycle in the data */
	ps[i].done = 1;
	struct buf b = {0};
	char *label = person_label(&ps[i]);
	char *head = root ? xasprintf("%s", label) : xasprintf("%s%s %s", prefix, last ? "`-" : "+-", label);
	cell(&b, head, 24, TEXT_LEFT);
	buf_addc(&b, ' ');
	contact_cells(&b, t, &ps[i], today);
	add_line(d, DL_PLAIN, &b);
	if (ps[i].c)
		line_ref(d, ENTITY(contact), ps[i].c->id);
	free(label);
	free(head);
	char *sub = root ? xstrdup("") : xasprintf("%s%s", prefix, last ? "   " : "|  ");
	int lastkid = -1;
	for (int k = 0; k < n; k++)
		if (ps[k].parent == i && !ps[k].done)
			lastkid = k;
	for (int k = 0; k < n; k++)
		if (ps[k].parent == i && !ps[k].done)
			org_row(d, t, ps, n, k, sub, k == lastkid, 0, today);
	free(sub);
	buf_free(&b);
}

static void contacts_influence(struct detail *d, struct txn *t, const struct person *ps, int n)
{
	struct buf b = {0};
	int header = 0;
	for (int i = 0; i < n; i++) {
		if (!ps[i].c)
			continue;
		struct recs inf = {0};
		scan_ref(t, ENTITY(influence), "from", ps[i].c->id, &inf);
		for (int k = 0; k < inf.n; k++) {
			if (!header) {
				add_text(d, DL_PLAIN, "");
				add_text(d, DL_HEAD, "Influence map");
				header = 1;
			}
			char *to = ref_name(t, ENTITY(contact), &inf.r[k]->v[INF_TO]);
			buf_addf(&b, "  %s %s %s", record_name(ps[i].c), enum_text(&inf.r[k]->v[INF_KIND]), to);
			if (inf.r[k]->v[INF_STRENGTH].set)
				buf_addf(&b, " (%s)", inf.r[k]->v[INF_STRENGTH].s);
			add_line(d, DL_PLAIN, &b);
			free(to);
		}
		recs_free(&inf);
	}
	buf_free(&b);
}

static void build_contacts(struct detail *d, struct txn *t, const struct record *acct, int64_t today)
{
	struct recs acs = {0}, acts = {0};
	scan_ref(t, ENTITY(account_contact), "account", acct->id, &acs);
	scan_ref(t, ENTITY(activity), "account", acct->id, &acts);
	struct person *ps = xcalloc((size_t)acs.n + 1, sizeof *ps);
	for (int i = 0; i < acs.n; i++) {
		ps[i].ac = acs.r[i];
		store_get(t, ENTITY(contact), (uint64_t)acs.r[i]->v[AC_CONTACT].i, &ps[i].c);
		if (d->redact && ps[i].c)
			access_redact(ps[i].c);
		ps[i].last = ps[i].c ? last_contact_of(&acts, ps[i].c->id, today) : 0;
		ps[i].parent = -1;
	}
	for (int i = 0; i < acs.n; i++)
		for (int k = 0; ps[i].c && k < acs.n; k++)
			if (k != i && ps[k].c && ps[i].c->v[CONTACT_REPORTS_TO].set &&
			    (uint64_t)ps[i].c->v[CONTACT_REPORTS_TO].i == ps[k].c->id)
				ps[i].parent = k;
	struct buf b = {0};
	buf_adds(&b, d->org ? "org chart (o: list)" : "contacts (o: org chart)");
	cell(&b, "", 24 - text_width(b.p), TEXT_LEFT);
	buf_adds(&b, " role infl   attitude  A / B         last");
	add_line(d, DL_HEAD, &b);
	for (int i = 0; i < acs.n; i++) {
		if (d->org) {
			if (ps[i].parent < 0)
				org_row(d, t, ps, acs.n, i, "", 1, 1, today);
			continue;
		}
		char *label = person_label(&ps[i]);
		cell(&b, label, 24, TEXT_LEFT);
		buf_addc(&b, ' ');
		contact_cells(&b, t, &ps[i], today);
		add_line(d, DL_PLAIN, &b);
		if (ps[i].c)
			line_ref(d, ENTITY(contact), ps[i].c->id);
		free(label);
	}
	/* Members of a reports-to cycle have no root: list them anyway. */
	for (int i = 0; d->org && i < acs.n; i++)
		if (!ps[i].done)
			org_row(d, t, ps, acs.n, i, "", 1, 1, today);
	if (!acs.n)
		add_text(d, DL_PLAIN, "(no contacts)");
	contacts_influence(d, t, ps, acs.n);
	for (int i = 0; i < acs.n; i++)
		record_free(ps[i].c);
	free(ps);
	buf_free(&b);
	recs_free(&acs);
	recs_free(&acts);
}

/* --- Opportunities ---------------------------------------------------------- */

static void year_budget(struct txn *t, uint64_t acct, int year, struct buf *b)
{
	struct value vals[2] = {{.i = (int64_t)acct, .set = 1}, {.i = year, .set = 1}};
	struct recs ys = {0};
	store_index_scan(t, ENTITY(account_year), "account_year", vals, 2, collect, &ys);
	if (ys.n && ys.r[0]->v[AY_BUDGET].set) {
		buf_adds(b, "budget ");
		format_money_short(ys.r[0]->v[AY_BUDGET].i, b);
		if (ys.r[0]->v[AY_BUDGET].i > 0 && ys.r[0]->v[AY_REVENUE].set) {
			long long pm = share_permille(ys.r[0]->v[AY_REVENUE].i, ys.r[0]->v[AY_BUDGET].i);
			buf_addf(b, "   share %lld.%lld%%", pm / 10, pm % 10);
		}
	} else {
		buf_adds(b, "budget --");
	}
	recs_free(&ys);
}

/* The first rival "name:share" of the competitors field, as "name share%". */
static char *first_rival(const struct record *o)
{
	const char *s = o->v[OPP_COMPETITORS].s;
	if (!s || !*s)
		return xstrdup("--");
	const char *end = strchr(s, ';');
	char *one = end ? xstrndup(s, (size_t)(end - s)) : xstrdup(s);
	char *colon = strrchr(one, ':');
	if (colon) {
		*colon = ' ';
		char *r = xasprintf("%s%%", one);
		free(one);
		return r;
	}
	return one;
}

static void build_opps(struct detail *d, struct txn *t, const struct record *acct)
{
	struct value vals[2] = {{.i = (int64_t)acct->id, .set = 1}, {.i = d->year, .set = 1}};
	struct recs os = {0};
	store_index_scan(t, ENTITY(opportunity), "account_year", vals, 2, collect, &os);
	struct buf b = {0};
	buf_addf(&b, "[ %d   <%d>   %d ]    ", d->year - 1, d->year, d->year + 1);
	year_budget(t, acct->id, d->year, &b);
	add_line(d, DL_PLAIN, &b);
	add_text(d, DL_HEAD, "Opportunity            Stage        Amount   P  Decide     Rival");
	int64_t total = 0, weighted = 0;
	for (int i = 0; i < os.n; i++) {
		const struct record *o = os.r[i];
		char *title = o->v[OPP_STRATEGIC].i ? xasprintf("%s *", record_name(o)) : xstrdup(record_name(o));
		cell(&b, title, 22, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell(&b, enum_text(&o->v[OPP_STAGE]), 9, TEXT_LEFT);
		cell_money(&b, &o->v[OPP_AMOUNT], 10);
		if (o->v[OPP_PROBABILITY].set)
			buf_addf(&b, " %3lld%% ", (long long)o->v[OPP_PROBABILITY].i);
		else
			buf_adds(&b, "   -- ");
		struct buf dt = {0};
		if (o->v[OPP_DECISION].set)
			format_date(o->v[OPP_DECISION].i, &dt);
		cell(&b, dt.p ? dt.p : "--", 10, TEXT_LEFT);
		buf_free(&dt);
		char *rival = first_rival(o);
		buf_addf(&b, " %s", rival);
		free(rival);
		free(title);
		add_line(d, o->v[OPP_STATUS].s && strcmp(o->v[OPP_STATUS].s, "lost") == 0 ? DL_WARN : DL_PLAIN, &b);
		line_ref(d, ENTITY(opportunity), o->id);
		if (o->v[OPP_AMOUNT].set) {
			total += o->v[OPP_AMOUNT].i;
			weighted +=
			    o->v[OPP_AMOUNT].i * (o->v[OPP_PROBABILITY].set ? o->v[OPP_PROBABILITY].i : 0) / 100;
		}
	}
	if (!os.n)
		add_text(d, DL_PLAIN, "(no opportunities in this year)");
	struct value tv = {.i = total, .set = 1}, wv = {.i = weighted, .set = 1};
	char *n = xasprintf("total %d", os.n);
	cell(&b, n, 32, TEXT_LEFT);
	free(n);
	cell_money(&b, &tv, 10);
	buf_adds(&b, "  weighted ");
	cell_money(&b, &wv, 10);
	add_line(d, DL_HEAD, &b);
	add_text(d, DL_PLAIN, "");
	add_text(d, DL_PLAIN, "* strategic product   [ ] year");
	buf_free(&b);
	recs_free(&os);
}

/* --- Activities ------------------------------------------------------------- */

static int cmp_act_desc(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a, *y = *(struct record *const *)b;
	int64_t dx = x->v[ACT_DATE].i * 10000 + x->v[ACT_TIME].i, dy = y->v[ACT_DATE].i * 10000 + y->v[ACT_TIME].i;
	return dx < dy ? 1 : dx > dy ? -1 : 0;
}

static void build_acts(struct detail *d, struct txn *t, const struct record *acct)
{
	struct recs as = {0};
	scan_ref(t, ENTITY(activity), "account", acct->id, &as);
	if (as.n > 1)
		qsort(as.r, (size_t)as.n, sizeof *as.r, cmp_act_desc);
	add_text(d, DL_HEAD, "Date       Type           Title              Status       Budget");
	struct buf b = {0};
	for (int i = 0; i < as.n; i++) {
		const struct record *a = as.r[i];
		format_date(a->v[ACT_DATE].i, &b);
		buf_addc(&b, ' ');
		cell(&b, enum_text(&a->v[ACT_TYPE]), 14, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell(&b, a->v[ACT_TITLE].s ? a->v[ACT_TITLE].s : "", 18, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell(&b, enum_text(&a->v[ACT_STATUS]), 9, TEXT_LEFT);
		if (a->v[ACT_BUDGET].set && a->v[ACT_BUDGET].i > 0)
			cell_money(&b, &a->v[ACT_BUDGET], 10);
		add_line(d, DL_PLAIN, &b);
		line_ref(d, ENTITY(activity), a->id);
		if (a->v[ACT_OPPORTUNITY].set) {
			char *o = ref_name(t, ENTITY(opportunity), &a->v[ACT_OPPORTUNITY]);
			buf_addf(&b, "           -> %s", o);
			add_line(d, DL_PLAIN, &b);
			line_ref(d, ENTITY(activity), a->id);
			free(o);
		}
	}
	if (!as.n)
		add_text(d, DL_PLAIN, "(no activities)");
	buf_free(&b);
	recs_free(&as);
}

/* --- Team --------------------------------------------------------------------- */

struct member {
	struct record *tm; /* team */
	struct record *s;  /* staff, or NULL if missing */
	const char *team;  /* "account team" or the opportunity title (borrowed) */
	int phase;         /* index in kam_enum_team_phase order; last = none */
	int order;         /* 0 account team, then the opportunity's position */
};

static int phase_index(const struct value *v)
{
	static const char *const phases[] = {"initiation", "construction", "operation"};
	for (int i = 0; v->set && v->s && i < 3; i++)
		if (strcmp(v->s, phases[i]) == 0)
			return i;
	return 3;
}

static int cmp_member(const void *a, const void *b)
{
	const struct member *x = a, *y = b;
	if (x->phase != y->phase)
		return x->phase - y->phase;
	if (x->order != y->order)
		return x->order - y->order;
	int64_t fx = x->tm->v[TEAM_FROM].set ? x->tm->v[TEAM_FROM].i : 0;
	int64_t fy = y->tm->v[TEAM_FROM].set ? y->tm->v[TEAM_FROM].i : 0;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	return x->tm->id < y->tm->id ? -1 : x->tm->id > y->tm->id;
}

static void cell_date(struct buf *b, const struct value *v, int w)
{
	struct buf dt = {0};
	if (v->set)
		format_date(v->i, &dt);
	cell(b, v->set ? dt.p : "--", w, TEXT_LEFT);
	buf_free(&dt);
}

static void build_team(struct detail *d, struct txn *t, const struct record *acct, int64_t today)
{
	struct recs own = {0}, os = {0};
	struct member *ms = NULL;
	int n = 0;
	scan_ref(t, ENTITY(team), "account", acct->id, &own);
	struct value vals[2] = {{.i = (int64_t)acct->id, .set = 1}, {.i = d->year, .set = 1}};
	store_index_scan(t, ENTITY(opportunity), "account_year", vals, 2, collect, &os);
	struct recs *per_opp = xcalloc((size_t)os.n + 1, sizeof *per_opp);
	int total = own.n;
	for (int k = 0; k < os.n; k++) {
		scan_ref(t, ENTITY(team), "opportunity", os.r[k]->id, &per_opp[k]);
		total += per_opp[k].n;
	}
	ms = xcalloc((size_t)total + 1, sizeof *ms);
	for (int k = -1; k < os.n; k++) {
		struct recs *rs = k < 0 ? &own : &per_opp[k];
		for (int i = 0; i < rs->n; i++) {
			struct member *m = &ms[n++];
			m->tm = rs->r[i];
			m->team = k < 0 ? "account team" : record_name(os.r[k]);
			m->order = k + 1;
			m->phase = phase_index(&m->tm->v[TEAM_PHASE]);
			store_get(t, ENTITY(staff), (uint64_t)m->tm->v[TEAM_STAFF].i, &m->s);
		}
	}
	if (n > 1)
		qsort(ms, (size_t)n, sizeof *ms, cmp_member);
	struct buf b = {0};
	buf_addf(&b, "[ %d   <%d>   %d ]    account and %d opportunit%s", d->year - 1, d->year, d->year + 1, os.n,
		 os.n == 1 ? "y" : "ies");
	add_line(d, DL_PLAIN, &b);
	add_text(d, DL_HEAD, "  Member     Function        Role       From       To");
	static const char *const phase_names[] = {"initiation", "construction", "operation", "(no phase)"};
	int phase = -1, order = -1;
	for (int i = 0; i < n; i++) {
		const struct member *m = &ms[i];
		if (m->phase != phase) {
			phase = m->phase;
			order = -1;
			buf_addf(&b, "Phase %s", phase_names[phase]);
			add_line(d, DL_HEAD, &b);
		}
		if (m->order != order) {
			order = m->order;
			buf_addf(&b, " %s%s", order ? "opportunity " : "", m->team);
			add_line(d, DL_PLAIN, &b);
		}
		buf_adds(&b, "  ");
		cell(&b, m->s ? record_name(m->s) : "(missing)", 10, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell(&b, m->s ? enum_text(&m->s->v[STAFF_FUNCTION]) : "--", 15, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell(&b, m->tm->v[TEAM_ROLE].set ? m->tm->v[TEAM_ROLE].s : "--", 10, TEXT_LEFT);
		buf_addc(&b, ' ');
		cell_date(&b, &m->tm->v[TEAM_FROM], 10);
		buf_addc(&b, ' ');
		cell_date(&b, &m->tm->v[TEAM_TO], 10);
		/* A membership that ended is shown as a warning: the team needs a successor. */
		int ended = m->tm->v[TEAM_TO].set && m->tm->v[TEAM_TO].i < today;
		int left = m->s && m->s->v[STAFF_STATUS].set && m->s->v[STAFF_STATUS].s &&
			   strcmp(m->s->v[STAFF_STATUS].s, "left") == 0;
		if (left)
			buf_adds(&b, " left");
		add_line(d, ended || left ? DL_WARN : DL_PLAIN, &b);
	}
	if (!n)
		add_text(d, DL_PLAIN, "(no team members)");
	for (int i = 0; i < n; i++)
		record_free(ms[i].s);
	free(ms);
	for (int k = 0; k < os.n; k++)
		recs_free(&per_opp[k]);
	free(per_opp);
	recs_free(&own);
	recs_free(&os);
	buf_free(&b);
}

/* --- Plan ---------------------------------------------------------------------- */

/* CJK punctuation that must not begin a line: the matched mark, or NULL. */
static const char *no_line_start(const char *s)
{
	static const char *const marks[] = {"，", "。", "、", "；", "：", "！", "？", "）", "」", "』", "%"};
	for (size_t i = 0; i < sizeof marks / sizeof marks[0]; i++)
		if (strncmp(s, marks[i], strlen(marks[i])) == 0)
			return marks[i];
	return NULL;
}

/* Long text as lines of at most width columns after an indent, broken at
 * a space when there is one in the line, else between characters (CJK has
 * no spaces); newlines in the text start a new line. A closing CJK mark
 * stays on the line before it (one more wide character at most). */
static void add_wrapped(struct detail *d, const char *s, int indent, int width)
{
	struct buf b = {0};
	const char *p = s ? s : "";
	while (*p) {
		const char *start = p, *brk = NULL, *end = p;
		int w = 0;
		while (*end && *end != '\n') {
			uint32_t cp;
			int len = utf8_decode(end, strlen(end), &cp);
			int cw = len < 0 ? 1 : cp_width(cp);
			if (len < 0)
				len = 1;
			if (w + cw > width)
				break;
			w += cw;
			end += len;
			if (cp == ' ')
				brk = end;
		}
		if (*end && *end != '\n' && brk && brk > start)
			end = brk; /* break after the last space */
		else if (*end && no_line_start(end))
			end += strlen(no_line_start(end)); /* keep '，' with its text */
		buf_addf(&b, "%*s", indent, "");
		buf_add(&b, start, (size_t)(end - start));
		add_line(d, DL_PLAIN, &b);
		p = end;
		if (*p == '\n')
			p++;
		while (*p == ' ')
			p++;
		if (end == start && *p && *p != '\n')
			p++; /* a character wider than the line: never loop */
	}
	buf_free(&b);
}

static void plan_text(struct detail *d, const char *head, const struct value *v)
{
	add_text(d, DL_HEAD, head);
	if (v->set && v->s && *v->s)
		add_wrapped(d, v->s, 2, 60);
	else
		add_text(d, DL_PLAIN, "  --");
}

static int cmp_action(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a, *y = *(struct record *const *)b;
	int c = strcmp(x->v[PA_GOAL].s ? x->v[PA_GOAL].s : "", y->v[PA_GOAL].s ? y->v[PA_GOAL].s : "");
	if (c)
		return c;
	int64_t dx = x->v[PA_DUE].set ? x->v[PA_DUE].i : 99991231, dy = y->v[PA_DUE].set ? y->v[PA_DUE].i : 99991231;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static void plan_actions(struct detail *d, struct txn *t, const struct record *acct, int64_t today)
{
	struct value vals[2] = {{.i = (int64_t)acct->id, .set = 1}, {.i = d->year, .set = 1}};
	struct recs as = {0};
	store_index_scan(t, ENTITY(plan_action), "account_year", vals, 2, collect, &as);
	if (as.n > 1)
		qsort(as.r, (size_t)as.n, sizeof *as.r, cmp_action);
	add_text(d, DL_PLAIN, "");
	add_text(d, DL_HEAD, "Goals and actions                 Owner      Due        Status");
	struct buf b = {0};
	const char *goal = NULL;
	int open = 0, overdue = 0;
	for (int i = 0; i < as.n; i++) {
		const struct record *a = as.r[i];
		const char *g = a->v[PA_GOAL].s ? a->v[PA_GOAL].s : "";
		if (!goal || strcmp(goal, g) != 0) {
			goal = g;
			buf_addf(&b, " %s", g);
			add_line(d, DL_PLAIN, &b);
		}
		const char *status = a->v[PA_STATUS].set && a->v[PA_STATUS].s ? a->v[PA_STATUS].s : "open";
		int is_open = strcmp(status, "open") == 0;
		int late = is_open && a->v[PA_DUE].set && a->v[PA_DUE].i < today;
		open += is_open;
		overdue += late;
		buf_adds(&b, "   ");
		cell(&b, record_name(a), 30, TEXT_LEFT);
		buf_addc(&b, ' ');
		char *owner = ref_name(t, ENTITY(staff), &a->v[PA_OWNER]);
		cell(&b, owner, 10, TEXT_LEFT);
		free(owner);
		buf_addc(&b, ' ');
		cell_date(&b, &a->v[PA_DUE], 10);
		buf_addf(&b, " %s%s", status, late ? " late" : "");
		add_line(d, late ? DL_WARN : DL_PLAIN, &b);
	}
	if (!as.n)
		add_text(d, DL_PLAIN, "  (no actions)");
	else {
		buf_addf(&b, "  %d action%s, %d open, %d late", as.n, as.n == 1 ? "" : "s", open, overdue);
		add_line(d, DL_HEAD, &b);
	}
	buf_free(&b);
	recs_free(&as);
}

static void build_plan(struct detail *d, struct txn *t, const struct record *acct, int64_t today)
{
	struct value vals[2] = {{.i = (int64_t)acct->id, .set = 1}, {.i = d->year, .set = 1}};
	struct recs ps = {0};
	store_index_scan(t, ENTITY(plan), "account_year", vals, 2, collect, &ps);
	struct buf b = {0};
	buf_addf(&b, "[ %d   <%d>   %d ]    account plan %d", d->year - 1, d->year, d->year + 1, d->year);
	add_line(d, DL_PLAIN, &b);
	if (!ps.n) {
		add_text(d, DL_PLAIN, "(no account plan for this year)");
	} else {
		const struct record *p = ps.r[0];
		plan_text(d, "Profile", &p->v[PLAN_PROFILE]);
		plan_text(d, "Decision process", &p->v[PLAN_DECISION_PROCESS]);
		add_text(d, DL_HEAD, "Value proposition");
		if (p->v[PLAN_PRODUCT_MIX].set && p->v[PLAN_PRODUCT_MIX].s)
			add_wrapped(d, p->v[PLAN_PRODUCT_MIX].s, 2, 60);
		buf_adds(&b, "  price ");
		cell_money(&b, &p->v[PLAN_PRICE], 9);
		buf_adds(&b, "   cost ");
		cell_money(&b, &p->v[PLAN_COST], 9);
		buf_adds(&b, "   expected profit ");
		cell_money(&b, &p->v[PLAN_PROFIT], 9);
		add_line(d, DL_PLAIN, &b);
		plan_text(d, "Benefits", &p->v[PLAN_BENEFITS]);
		plan_text(d, "Goals", &p->v[PLAN_GOALS]);
	}
	plan_actions(d, t, acct, today);
	add_text(d, DL_PLAIN, "");
	add_text(d, DL_PLAIN, "[ ] year");
	buf_free(&b);
	recs_free(&ps);
}

/* --- History ----------------------------------------------------------------------- */

struct hentry {
	uint64_t seq;
	char *json;
	const struct record *rec; /* the record it is about (borrowed) */
};

struct hwalk {
	struct hentry *e;
	int n;
	const struct record *rec;
};

static int collect_audit(uint64_t seq, const char *json, void *arg)
{
	struct hwalk *w = arg;
	w->e = xrealloc(w->e, ((size_t)w->n + 1) * sizeof *w->e);
	w->e[w->n++] = (struct hentry){seq, xstrdup(json), w->rec};
	return 0;
}

static int cmp_hentry_desc(const void *a, const void *b)
{
	uint64_t x = ((const struct hentry *)a)->seq, y = ((const struct hentry *)b)->seq;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* A field's value as shown: unescaped strings, numbers as stored, sensitive
 * fields never (the detail does not know the reader's role). */
static void history_value(struct buf *b, const struct entity *e, const struct json_member *m)
{
	int f = entity_field(e, m->key);
	if (m->type == JSON_NULL)
		buf_adds(b, "--");
	else if (f >= 0 && (e->fields[f].flags & FF_SENS))
		buf_adds(b, "(sensitive)");
	else
		buf_adds(b, m->text ? m->text : "");
}

/* The changes of one entry: "field old -> new" for set, one line each, at
 * most 6 (the rest counted); "field=value, ..." on one line for add. */
static void history_changes(struct detail *d, const struct entity *e, const struct json_object *o, const char *op)
{
	const struct json_member *after = json_get(o, "after"), *before = json_get(o, "before");
	const struct json_member *main = after ? after : before;
	if (!main || main->type != JSON_RAW)
		return;
	struct json_object mo = {0}, bo = {0};
	int col;
	char *cause = NULL;
	if (json_parse_object(main->text, strlen(main->text), &mo, &col, &cause) != 0) {
		free(cause);
		return;
	}
	int is_set = strcmp(op, "set") == 0 && before && before->type == JSON_RAW;
	if (is_set && json_parse_object(before->text, strlen(before->text), &bo, &col, &cause) != 0) {
		free(cause);
		cause = NULL;
		is_set = 0;
	}
	if (strcmp(op, "rm") == 0) {
		add_text(d, DL_PLAIN, "    removed");
		json_object_free(&mo);
		return;
	}
	struct buf b = {0};
	int shown = 0;
	for (int i = 0; i < mo.n; i++) {
		const struct json_member *m = &mo.m[i];
		if (strcmp(m->key, "id") == 0 || strcmp(m->key, "version") == 0 || strcmp(m->key, "created") == 0 ||
		    strcmp(m->key, "updated") == 0 || strcmp(m->key, "updated_by") == 0)
			continue;
		if (!is_set) {
			/* A new record: its fields on one line, as far as it fits. */
			buf_adds(&b, shown ? ", " : "    ");
			buf_addf(&b, "%s=", m->key);
			history_value(&b, e, m);
			shown++;
			continue;
		}
		if (shown == 6) {
			buf_addf(&b, "    (%d more)", mo.n - i);
			add_line(d, DL_PLAIN, &b);
			break;
		}
		const struct json_member *old = json_get(&bo, m->key);
		buf_addf(&b, "    %s ", m->key);
		if (old)
			history_value(&b, e, old);
		else
			buf_adds(&b, "--");
		buf_adds(&b, " -> ");
		history_value(&b, e, m);
		add_line(d, DL_PLAIN, &b);
		shown++;
	}
	if (!is_set && shown)
		add_line(d, DL_PLAIN, &b);
	json_object_free(&mo);
	json_object_free(&bo);
	buf_free(&b);
}

static void history_entry(struct detail *d, const struct hentry *h)
{
	struct json_object o = {0};
	int col;
	char *cause = NULL;
	struct buf b = {0};
	if (json_parse_object(h->json, strlen(h->json), &o, &col, &cause) != 0) {
		buf_addf(&b, "#%llu (unreadable audit line)", (unsigned long long)h->seq);
		add_line(d, DL_WARN, &b);
		free(cause);
		buf_free(&b);
		return;
	}
	const struct json_member *ts = json_get(&o, "ts"), *who = json_get(&o, "who"), *op = json_get(&o, "op");
	int64_t secs = 0;
	if (ts && ts->text)
		parse_int64(ts->text, &secs);
	time_t tt = (time_t)secs;
	struct tm tm;
	char when[32] = "----------------";
	if (localtime_r(&tt, &tm))
		strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm);
	const char *opname = op && op->text ? op->text : "?";
	buf_addf(&b, "%s ", when);
	cell(&b, who && who->text ? who->text : "--", 10, TEXT_LEFT);
	buf_addf(&b, " %-3s %s %llu", opname, h->rec->ent->name, (unsigned long long)h->rec->id);
	const char *name = record_name(h->rec);
	if (*name)
		buf_addf(&b, " %s", name);
	add_line(d, strcmp(opname, "rm") == 0 ? DL_WARN : DL_PLAIN, &b);
	history_changes(d, h->rec->ent, &o, opname);
	json_object_free(&o);
	buf_free(&b);
}

static void history_of(struct txn *t, struct hwalk *w, const struct record *r)
{
	w->rec = r;
	store_audit_scan(t, r->ent, r->id, collect_audit, w);
}

static void build_history(struct detail *d, struct txn *t, const struct record *acct)
{
	/* The account and the records that belong to it; contacts through
	 * their role in the account. Deleted records have no index entries
	 * left: their removal shows on the account's own children only. */
	static const int children[] = {ENT_account_year, ENT_account_contact, ENT_team, ENT_opportunity,
				       ENT_activity,     ENT_complaint,       ENT_plan, ENT_plan_action};
	struct recs all = {0};
	collect(acct, &all);
	for (size_t i = 0; i < sizeof children / sizeof children[0]; i++)
		scan_ref(t, kam_entities[children[i]], "account", acct->id, &all);
	int base = all.n;
	for (int i = 0; i < base; i++) {
		if (all.r[i]->ent == ENTITY(account_contact)) {
			struct record *c = NULL;
			if (store_get(t, ENTITY(contact), (uint64_t)all.r[i]->v[AC_CONTACT].i, &c) == 0)
				collect(c, &all);
			record_free(c);
		} else if (all.r[i]->ent == ENTITY(opportunity)) {
			scan_ref(t, ENTITY(opp_contact), "opportunity", all.r[i]->id, &all);
			scan_ref(t, ENTITY(team), "opportunity", all.r[i]->id, &all);
		}
	}
	struct hwalk w = {0};
	for (int i = 0; i < all.n; i++)
		history_of(t, &w, all.r[i]);
	if (w.n > 1)
		qsort(w.e, (size_t)w.n, sizeof *w.e, cmp_hentry_desc);
	struct buf b = {0};
	buf_addf(&b, "%d change%s to %d record%s, newest first", w.n, w.n == 1 ? "" : "s", all.n,
		 all.n == 1 ? "" : "s");
	if (w.n > DETAIL_HISTORY_MAX)
		buf_addf(&b, " (the last %d shown)", DETAIL_HISTORY_MAX);
	add_line(d, DL_PLAIN, &b);
	add_text(d, DL_HEAD, "When             Who        What");
	for (int i = 0; i < w.n && i < DETAIL_HISTORY_MAX; i++)
		history_entry(d, &w.e[i]);
	if (!w.n)
		add_text(d, DL_PLAIN, "(no audit entries)");
	for (int i = 0; i < w.n; i++)
		free(w.e[i].json);
	free(w.e);
	buf_free(&b);
	recs_free(&all);
}

/* --- entry points ----------------------------------------------------------- */

static void detail_clear_lines(struct detail *d)
{
	for (int i = 0; i < d->nlines; i++)
		free(d->lines[i].text);
	free(d->lines);
	d->lines = NULL;
	d->nlines = 0;
	free(d->title);
	free(d->flags);
	d->title = d->flags = NULL;
}

int detail_build(struct detail *d, struct store *st, const struct record *acct, int64_t today, char **cause)
{
	detail_clear_lines(d);
	d->account = acct ? acct->id : 0;
	if (!acct)
		return 0;
	d->title = text_sanitize(record_name(acct));
	d->flags = xasprintf("%s%s%s", acct->v[ACCOUNT_KEY].i ? "key" : "",
			     acct->v[ACCOUNT_KEY].i && acct->v[ACCOUNT_STRATEGIC].i ? "  " : "",
			     acct->v[ACCOUNT_STRATEGIC].i ? "strategic" : "");
	struct txn *t = NULL;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot read account %llu: %s", (unsigned long long)acct->id,
				 kam_strerror(rc));
	switch (d->sub) {
	case DETAIL_CONTACTS:
		build_contacts(d, t, acct, today);
		break;
	case DETAIL_OPPS:
		build_opps(d, t, acct);
		break;
	case DETAIL_ACTS:
		build_acts(d, t, acct);
		break;
	case DETAIL_TEAM:
		build_team(d, t, acct, today);
		break;
	case DETAIL_PLAN:
		build_plan(d, t, acct, today);
		break;
	case DETAIL_HISTORY:
		build_history(d, t, acct);
		break;
	default:
		build_overview(d, t, acct);
		break;
	}
	store_abort(t); /* read only: never hold the snapshot while the user thinks */
	return 0;
}

void detail_free(struct detail *d)
{
	detail_clear_lines(d);
	d->account = 0;
}
