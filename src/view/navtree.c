/* The account navigator's rows: load, tree, sort, fold, filter. */
#include "kam/navtree.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"
#include "kam/util.h"

const char *nav_sort_name(enum nav_sort s)
{
	static const char *const names[NAV_SORT__COUNT] = {"revenue", "score", "name", "last contact", "kam"};
	return (unsigned)s < NAV_SORT__COUNT ? names[s] : "?";
}

/* --- loading ---------------------------------------------------------------- */

struct idname {
	uint64_t id;
	char *name;
};

struct idval {
	uint64_t id;
	int64_t v;
};

struct load {
	struct navtree *nav;
	struct idname *staff;
	int nstaff, capstaff;
	struct idval *rev;
	int nrev, caprev;
	int cap;
};

static int cmp_idname(const void *a, const void *b)
{
	uint64_t x = ((const struct idname *)a)->id, y = ((const struct idname *)b)->id;
	return x < y ? -1 : x > y;
}

static int cmp_acct_id(const void *a, const void *b)
{
	uint64_t x = ((const struct nav_acct *)a)->id, y = ((const struct nav_acct *)b)->id;
	return x < y ? -1 : x > y;
}

static int visit_staff(const struct record *r, void *arg)
{
	struct load *l = arg;
	if (l->nstaff == l->capstaff) {
		l->capstaff = l->capstaff ? l->capstaff * 2 : 64;
		l->staff = xrealloc(l->staff, (size_t)l->capstaff * sizeof *l->staff);
	}
	l->staff[l->nstaff].id = r->id;
	l->staff[l->nstaff].name = text_sanitize(record_name(r));
	l->nstaff++;
	return 0;
}

static void push_idval(struct idval **arr, int *n, int *cap, uint64_t id, int64_t v)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		*arr = xrealloc(*arr, (size_t)*cap * sizeof **arr);
	}
	(*arr)[*n].id = id;
	(*arr)[*n].v = v;
	(*n)++;
}

static int visit_year(const struct record *r, void *arg)
{
	struct load *l = arg;
	if (r->v[AY_YEAR].i == l->nav->rev_year && r->v[AY_REVENUE].set)
		push_idval(&l->rev, &l->nrev, &l->caprev, (uint64_t)r->v[AY_ACCOUNT].i, r->v[AY_REVENUE].i);
	return 0;
}

/* The last contact is the latest activity on or before today that was not
 * cancelled (planned visits in the future are not contacts yet). */
static int is_contact(const struct navtree *nav, const struct record *r)
{
	if (!r->v[ACT_DATE].set || r->v[ACT_DATE].i > nav->today)
		return 0;
	return !(r->v[ACT_STATUS].set && r->v[ACT_STATUS].s && strcmp(r->v[ACT_STATUS].s, "cancelled") == 0);
}

#define LAST_FIELDS (FIELD_BIT(ACT_ACCOUNT) | FIELD_BIT(ACT_DATE) | FIELD_BIT(ACT_STATUS))

struct last_one {
	const struct navtree *nav;
	int64_t last;
};

static int visit_last_one(const struct record *r, void *arg)
{
	struct last_one *l = arg;
	if (is_contact(l->nav, r) && r->v[ACT_DATE].i > l->last)
		l->last = r->v[ACT_DATE].i;
	return 0;
}

static int visit_last_all(const struct record *r, void *arg)
{
	struct navtree *nav = arg;
	int k = is_contact(nav, r) ? nav_find(nav, (uint64_t)r->v[ACT_ACCOUNT].i) : -1;
	if (k >= 0 && r->v[ACT_DATE].i > nav->a[k].last_contact)
		nav->a[k].last_contact = r->v[ACT_DATE].i;
	return 0;
}

int64_t nav_last_contact(struct navtree *nav, int i)
{
	struct nav_acct *a = &nav->a[i];
	if (a->last_contact != NAV_UNREAD)
		return a->last_contact;
	struct last_one l = {nav, 0};
	struct value v = {(int64_t)a->id, NULL, 1};
	struct txn *t;
	/* What cannot be read now shows as never, and is asked again next time. */
	if (!nav->st || store_begin(nav->st, 0, &t) != 0)
		return 0;
	int rc = store_index_scan_fields(t, ENTITY(activity), "account", &v, 1, LAST_FIELDS, visit_last_one, &l);
	store_abort(t);
	if (rc)
		return 0;
	return a->last_contact = l.last;
}

/* Every account's at once: one pass over the activities beats an index
 * walk per account when most are unread. */
static void read_all_last(struct navtree *nav)
{
	int unread = 0;
	for (int i = 0; i < nav->na; i++)
		unread += nav->a[i].last_contact == NAV_UNREAD;
	if (unread < 64) {
		for (int i = 0; i < nav->na; i++)
			nav_last_contact(nav, i);
		return;
	}
	struct txn *t;
	if (!nav->st || store_begin(nav->st, 0, &t) != 0)
		return;
	for (int i = 0; i < nav->na; i++)
		nav->a[i].last_contact = 0;
	if (store_scan_fields(t, ENTITY(activity), LAST_FIELDS, visit_last_all, nav) != 0)
		for (int i = 0; i < nav->na; i++)
			nav->a[i].last_contact = NAV_UNREAD;
	store_abort(t);
}

static char *fold_of(const struct nav_acct *a)
{
	struct buf b = {0};
	buf_adds(&b, a->name);
	buf_addc(&b, '\n');
	if (a->kam)
		buf_adds(&b, a->kam);
	for (int f = ACCOUNT_PROVINCE; f <= ACCOUNT_CITY; f++) {
		buf_addc(&b, '\n');
		if (a->rec->v[f].s)
			buf_adds(&b, a->rec->v[f].s);
	}
	char *s = text_fold(b.p);
	buf_free(&b);
	return s;
}

static const char *staff_name(const struct load *l, uint64_t id)
{
	if (!l->nstaff)
		return NULL;
	struct idname key = {.id = id};
	const struct idname *hit = bsearch(&key, l->staff, (size_t)l->nstaff, sizeof key, cmp_idname);
	return hit ? hit->name : NULL;
}

static void acct_fill(struct nav_acct *a, const struct load *l)
{
	const struct record *r = a->rec;
	free(a->name);
	free(a->kam);
	free(a->fold);
	a->id = r->id;
	a->parent = r->v[ACCOUNT_PARENT].set ? (uint64_t)r->v[ACCOUNT_PARENT].i : 0;
	a->name = text_sanitize(record_name(r));
	const char *k = r->v[ACCOUNT_KAM].set && l ? staff_name(l, (uint64_t)r->v[ACCOUNT_KAM].i) : NULL;
	a->kam = k ? xstrdup(k) : NULL;
	a->fold = fold_of(a);
}

static int visit_account(const struct record *r, void *arg)
{
	struct load *l = arg;
	struct navtree *nav = l->nav;
	if (nav->na == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 256;
		nav->a = xrealloc(nav->a, (size_t)l->cap * sizeof *nav->a);
	}
	struct nav_acct *a = &nav->a[nav->na++];
	memset(a, 0, sizeof *a);
	a->rec = record_dup(r);
	return 0;
}

static int load_all(struct txn *t, struct load *l)
{
	int rc = store_scan(t, ENTITY(staff), visit_staff, l);
	if (!rc)
		rc = store_scan_fields(t, ENTITY(account_year),
				       FIELD_BIT(AY_ACCOUNT) | FIELD_BIT(AY_YEAR) | FIELD_BIT(AY_REVENUE), visit_year,
				       l);
	if (!rc)
		rc = store_scan(t, ENTITY(account), visit_account, l);
	return rc;
}

/* Join the scanned side tables onto the accounts. */
static void join_load(struct load *l)
{
	struct navtree *nav = l->nav;
	/* (qsort and bsearch must not see the NULL of an empty array) */
	if (l->nstaff > 1)
		qsort(l->staff, (size_t)l->nstaff, sizeof *l->staff, cmp_idname);
	if (nav->na > 1)
		qsort(nav->a, (size_t)nav->na, sizeof *nav->a, cmp_acct_id);
	for (int i = 0; i < nav->na; i++) {
		acct_fill(&nav->a[i], l);
		nav->a[i].last_contact = NAV_UNREAD;
	}
	for (int i = 0; i < l->nrev; i++) {
		int k = nav_find(nav, l->rev[i].id);
		if (k >= 0) {
			nav->a[k].revenue += l->rev[i].v;
			nav->a[k].has_revenue = 1;
		}
	}
}

static void load_free(struct load *l)
{
	for (int i = 0; i < l->nstaff; i++)
		free(l->staff[i].name);
	free(l->staff);
	free(l->rev);
}

int nav_load(struct navtree *nav, struct store *st, const struct navtree *old, int rev_year, char **cause)
{
	memset(nav, 0, sizeof *nav);
	nav->rev_year = rev_year;
	nav->today = date_today();
	if (old) {
		nav->flat = old->flat;
		nav->sort = old->sort;
		nav->reverse = old->reverse;
		if (old->filter && query_parse(old->filter, &nav->query, NULL) == 0)
			nav->filter = xstrdup(old->filter);
	}
	nav->txnid = store_last_txnid(st);
	nav->st = st;
	struct load l = {.nav = nav};
	struct txn *t = NULL;
	int rc = store_begin(st, 0, &t);
	if (!rc)
		rc = load_all(t, &l);
	/* Everything is decoded into owned copies: release the snapshot now. */
	store_abort(t);
	if (rc) {
		load_free(&l);
		nav_free(nav);
		return set_cause(cause, rc, "cannot read the accounts: %s", kam_strerror(rc));
	}
	join_load(&l);
	load_free(&l);
	for (int i = 0; i < nav->na; i++) {
		int k = old ? nav_find(old, nav->a[i].id) : -1;
		/* New groups start folded so the first screen shows the top level. */
		nav->a[i].folded = k >= 0 ? old->a[k].folded : 1;
	}
	nav_rebuild(nav);
	return 0;
}

void nav_free(struct navtree *nav)
{
	for (int i = 0; i < nav->na; i++) {
		record_free(nav->a[i].rec);
		free(nav->a[i].name);
		free(nav->a[i].kam);
		free(nav->a[i].fold);
		free(nav->a[i].kids);
	}
	free(nav->a);
	free(nav->rows);
	free(nav->filter);
	query_free(nav->query);
	memset(nav, 0, sizeof *nav);
}

int nav_find(const struct navtree *nav, uint64_t id)
{
	if (!nav->na)
		return -1;
	struct nav_acct key = {.id = id};
	const struct nav_acct *hit = bsearch(&key, nav->a, (size_t)nav->na, sizeof key, cmp_acct_id);
	return hit ? (int)(hit - nav->a) : -1;
}

/* --- sorting and the tree ----------------------------------------------------- */

static const struct navtree *sort_nav; /* qsort has no context argument in C11 */

static int cmp_text(const char *a, const char *b)
{
	if (!a || !b)
		return a ? -1 : b ? 1 : 0; /* missing values last */
	return strcmp(a, b);
}

static int cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct nav_acct *a = &sort_nav->a[*(const int *)pa], *b = &sort_nav->a[*(const int *)pb];
	int c = 0;
	switch (sort_nav->sort) {
	case NAV_SORT_REVENUE:
		c = -cmp_i64(a->revenue, b->revenue); /* natural: biggest first */
		break;
	case NAV_SORT_SCORE:
		c = a->score < b->score ? 1 : a->score > b->score ? -1 : 0; /* best first */
		break;
	case NAV_SORT_LAST:
		c = -cmp_i64(a->last_contact, b->last_contact); /* most recent first */
		break;
	case NAV_SORT_KAM:
		c = cmp_text(a->kam, b->kam);
		break;
	default:
		break;
	}
	if (!c)
		c = strcmp(a->name, b->name);
	if (sort_nav->reverse)
		c = -c;
	return c ? c : cmp_i64((int64_t)a->id, (int64_t)b->id);
}

static void push_row(struct navtree *nav, int *cap, int acct, int depth)
{
	if (nav->nrows == *cap) {
		*cap = *cap ? *cap * 2 : 256;
		nav->rows = xrealloc(nav->rows, (size_t)*cap * sizeof *nav->rows);
	}
	nav->rows[nav->nrows].acct = acct;
	nav->rows[nav->nrows].depth = depth;
	nav->nrows++;
}

/* Depth-first walk of the visible part of the tree. Explicit stack: the
 * hierarchy is data, and data may be deep (or, if corrupt, cyclic). */
static void walk_tree(struct navtree *nav, const int *order, int n, int *cap)
{
	int *stack = xmalloc(((size_t)nav->na + 1) * 2 * sizeof *stack);
	unsigned char *seen = xcalloc((size_t)nav->na + 1, 1);
	for (int r = 0; r < n; r++) {
		int i = order[r];
		uint64_t p = nav->a[i].parent;
		if (p && p != nav->a[i].id && nav_find(nav, p) >= 0)
			continue;
		int sp = 0;
		stack[sp++] = i;
		stack[sp++] = 0;
		while (sp) {
			int depth = stack[--sp], k = stack[--sp];
			if (seen[k])
				continue;
			seen[k] = 1;
			push_row(nav, cap, k, depth);
			if (nav->a[k].folded)
				continue;
			for (int c = nav->a[k].nkids - 1; c >= 0; c--) {
				stack[sp++] = nav->a[k].kids[c];
				stack[sp++] = depth + 1;
			}
		}
	}
	free(seen);
	free(stack);
}

static char *fold_field(const struct record *r, int f)
{
	return r->v[f].set && r->v[f].s ? text_fold(r->v[f].s) : NULL;
}

/* What the filter query sees of an account. */
static int acct_matches(const struct navtree *nav, const struct nav_acct *a)
{
	struct query_subject s;
	memset(&s, 0, sizeof s);
	const struct record *r = a->rec;
	char *name = text_fold(a->name), *kam = a->kam ? text_fold(a->kam) : NULL;
	char *prov = fold_field(r, ACCOUNT_PROVINCE), *city = fold_field(r, ACCOUNT_CITY);
	char *stage = fold_field(r, ACCOUNT_STAGE), *ind = fold_field(r, ACCOUNT_INDUSTRY);
	char *tier = a->tier ? text_fold(a->tier) : NULL;
	s.text[QF_TEXT] = a->fold;
	s.text[QF_NAME] = name;
	s.text[QF_KAM] = kam;
	s.text[QF_PROVINCE] = prov;
	s.text[QF_CITY] = city;
	s.text[QF_TIER] = tier;
	s.text[QF_STAGE] = stage;
	s.text[QF_INDUSTRY] = ind;
	s.num[QF_REVENUE] = a->revenue;
	s.has_num[QF_REVENUE] = a->has_revenue;
	s.num[QF_SCORE] = (int64_t)(a->score * 100 + (a->score < 0 ? -0.5 : 0.5));
	s.has_num[QF_SCORE] = a->tier != NULL;
	s.num[QF_EMPLOYEES] = r->v[ACCOUNT_EMPLOYEES].i * 100;
	s.has_num[QF_EMPLOYEES] = r->v[ACCOUNT_EMPLOYEES].set;
	int m = query_match(nav->query, &s);
	free(name);
	free(kam);
	free(prov);
	free(city);
	free(stage);
	free(ind);
	free(tier);
	return m;
}

void nav_rebuild(struct navtree *nav)
{
	if (nav->sort == NAV_SORT_LAST)
		read_all_last(nav);
	int *order = xmalloc(((size_t)nav->na + 1) * sizeof *order);
	int n = 0;
	for (int i = 0; i < nav->na; i++) {
		struct nav_acct *a = &nav->a[i];
		a->matched = !nav->query || acct_matches(nav, a);
		free(a->kids);
		a->kids = NULL;
		a->nkids = 0;
		order[n++] = i;
	}
	sort_nav = nav;
	if (n > 1)
		qsort(order, (size_t)n, sizeof *order, cmp_rows);
	sort_nav = NULL;
	/* Children lists in sort order: count, then fill. */
	for (int r = 0; r < n; r++) {
		int p = nav->a[order[r]].parent ? nav_find(nav, nav->a[order[r]].parent) : -1;
		if (p >= 0 && p != order[r])
			nav->a[p].nkids++;
	}
	for (int i = 0; i < nav->na; i++) {
		nav->a[i].kids = nav->a[i].nkids ? xmalloc((size_t)nav->a[i].nkids * sizeof(int)) : NULL;
		nav->a[i].nkids = 0;
	}
	for (int r = 0; r < n; r++) {
		int p = nav->a[order[r]].parent ? nav_find(nav, nav->a[order[r]].parent) : -1;
		if (p >= 0 && p != order[r])
			nav->a[p].kids[nav->a[p].nkids++] = order[r];
	}
	nav->nrows = 0;
	int cap = 0;
	if (nav->flat || nav->filter) {
		/* A filter shows its hits as a flat list: a hit deep in a folded
		 * group must not hide. */
		for (int r = 0; r < n; r++)
			if (nav->a[order[r]].matched)
				push_row(nav, &cap, order[r], 0);
	} else {
		walk_tree(nav, order, n, &cap);
	}
	free(order);
}

int nav_reveal(struct navtree *nav, uint64_t id)
{
	int k = nav_find(nav, id);
	if (k < 0)
		return -1;
	if (nav->filter && !nav->a[k].matched)
		nav_set_filter(nav, NULL, NULL);
	int changed = 0;
	for (int p = nav_find(nav, nav->a[k].parent), guard = 0; p >= 0 && guard < nav->na;
	     p = nav_find(nav, nav->a[p].parent), guard++) {
		if (nav->a[p].folded) {
			nav->a[p].folded = 0;
			changed = 1;
		}
	}
	if (changed)
		nav_rebuild(nav);
	for (int r = 0; r < nav->nrows; r++)
		if (nav->rows[r].acct == k)
			return r;
	return -1;
}

void nav_replace(struct navtree *nav, const struct record *r)
{
	int k = nav_find(nav, r->id);
	if (k < 0)
		return;
	char *kam = nav->a[k].kam ? xstrdup(nav->a[k].kam) : NULL;
	uint64_t old_kam = nav->a[k].rec->v[ACCOUNT_KAM].set ? (uint64_t)nav->a[k].rec->v[ACCOUNT_KAM].i : 0;
	record_free(nav->a[k].rec);
	nav->a[k].rec = record_dup(r);
	acct_fill(&nav->a[k], NULL);
	/* The staff table is gone after loading: keep the name if the KAM did
	 * not change; a changed KAM shows after the next refresh. */
	uint64_t new_kam = r->v[ACCOUNT_KAM].set ? (uint64_t)r->v[ACCOUNT_KAM].i : 0;
	if (new_kam == old_kam && kam) {
		free(nav->a[k].kam);
		nav->a[k].kam = kam;
		free(nav->a[k].fold);
		nav->a[k].fold = fold_of(&nav->a[k]);
	} else {
		free(kam);
	}
	nav_rebuild(nav);
}

int nav_row_matches(const struct navtree *nav, int row, const char *folded_needle)
{
	if (row < 0 || row >= nav->nrows)
		return 0;
	return strstr(nav->a[nav->rows[row].acct].fold, folded_needle) != NULL;
}

int nav_set_filter(struct navtree *nav, const char *text, char **cause)
{
	struct query *q = NULL;
	int rc = query_parse(text, &q, cause);
	if (rc != 0)
		return rc;
	free(nav->filter);
	query_free(nav->query);
	nav->query = q;
	nav->filter = q ? text_sanitize(text) : NULL;
	nav_rebuild(nav);
	return 0;
}

void nav_set_scores(struct navtree *nav, const struct score_set *s)
{
	for (int i = 0; i < nav->na; i++) {
		const struct account_score *a = s ? score_set_get(s, nav->a[i].id) : NULL;
		nav->a[i].score = a ? a->score : 0;
		nav->a[i].tier = a ? rules_tier_id(s->cfg, a->tier) : NULL;
	}
}
