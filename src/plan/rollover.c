/* Opportunity-list rollover: one write txn that reads both years and
 * inserts the drafts, so two concurrent runs cannot both create one. */
#include "kam/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

/* A small open-addressing set of strings: the keys of the target year. */
struct keyset {
	char **slot;
	size_t cap, n;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int keyset_add(struct keyset *k, char *key) /* takes key; 0 if it was present */
{
	if (2 * (k->n + 1) > k->cap) {
		struct keyset g = {xcalloc(k->cap ? 2 * k->cap : 256, sizeof(char *)), k->cap ? 2 * k->cap : 256, 0};
		for (size_t i = 0; i < k->cap; i++)
			if (k->slot[i])
				keyset_add(&g, k->slot[i]);
		free(k->slot);
		*k = g;
	}
	size_t i = hash_str(key) & (k->cap - 1);
	for (; k->slot[i]; i = (i + 1) & (k->cap - 1))
		if (strcmp(k->slot[i], key) == 0) {
			free(key);
			return 0;
		}
	k->slot[i] = key;
	k->n++;
	return 1;
}

static void keyset_free(struct keyset *k)
{
	for (size_t i = 0; i < k->cap; i++)
		free(k->slot[i]);
	free(k->slot);
}

static const char *txt(const struct record *r, int f)
{
	return r->v[f].s ? r->v[f].s : "";
}

/* The identity of an opportunity across years. */
static char *opp_key(const struct record *r)
{
	const char *off = txt(r, OPP_OFFERING), *bl = txt(r, OPP_BUDGET_LINE);
	if (!*off && !*bl)
		return xasprintf("%lld|t|%s", (long long)r->v[OPP_ACCOUNT].i, record_name(r));
	return xasprintf("%lld|%s|%s|%s", (long long)r->v[OPP_ACCOUNT].i, off, bl, txt(r, OPP_BUYING_UNIT));
}

struct ro_ctx {
	const struct rollover_opts *o;
	struct keyset have;
	struct record **src;
	size_t nsrc, cap;
};

static int collect(const struct record *r, void *arg)
{
	struct ro_ctx *c = arg;
	if (c->o->account && (uint64_t)r->v[OPP_ACCOUNT].i != c->o->account)
		return 0;
	if (r->v[OPP_YEAR].i == c->o->to) {
		keyset_add(&c->have, opp_key(r));
	} else if (r->v[OPP_YEAR].i == c->o->from) {
		if (c->nsrc == c->cap) {
			c->cap = c->cap ? 2 * c->cap : 64;
			c->src = xrealloc(c->src, c->cap * sizeof *c->src);
		}
		c->src[c->nsrc++] = record_dup(r);
	}
	return 0;
}

/* Why an opportunity of `from` belongs on next year's list, or NULL. */
static const char *candidate_reason(const struct record *r)
{
	const char *st = r->v[OPP_STATUS].s;
	if (!st || strcmp(st, "open") == 0)
		return "open, not decided: carried over";
	if (strcmp(st, "won") == 0 && r->v[OPP_OFFERING].s)
		return "won: the offering recurs";
	if (strcmp(st, "lost") == 0 && r->v[OPP_BUDGET_LINE].s)
		return "lost: the customer's budget line returns";
	return NULL;
}

static int64_t shift_years(int64_t yyyymmdd, int years)
{
	int64_t y = yyyymmdd / 10000 + years, md = yyyymmdd % 10000;
	if (md == 229 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		md = 228;
	return y * 10000 + md;
}

/* Title "2026 视频会议系统" becomes "2027 视频会议系统"; others stay. */
static char *shift_title(const char *t, int from, int to)
{
	char y[16];
	snprintf(y, sizeof y, "%d", from);
	const char *p = strstr(t, y);
	if (!p)
		return xstrdup(t);
	return xasprintf("%.*s%d%s", (int)(p - t), t, to, p + strlen(y));
}

static struct record *make_draft(const struct record *s, const struct rollover_opts *o)
{
	struct record *d = record_new(s->ent);
	static const int copy[] = {OPP_ACCOUNT,   OPP_OFFERING,    OPP_BUDGET_LINE, OPP_AMOUNT,      OPP_CURRENCY,
				   OPP_STRATEGIC, OPP_BUYING_UNIT, OPP_REGION,      OPP_COMPETITORS, OPP_OWNER};
	for (size_t i = 0; i < sizeof copy / sizeof copy[0]; i++) {
		int f = copy[i];
		if (!record_has(s, f))
			continue;
		if (s->v[f].s)
			record_set_text(d, f, s->v[f].s);
		else
			record_set_int(d, f, s->v[f].i);
	}
	char *title = shift_title(record_name(s), o->from, o->to);
	record_set_text(d, OPP_TITLE, title);
	free(title);
	record_set_int(d, OPP_YEAR, o->to);
	const char *st = s->v[OPP_STATUS].s;
	int open = !st || strcmp(st, "open") == 0;
	record_set_text(d, OPP_STAGE, open && s->v[OPP_STAGE].s ? s->v[OPP_STAGE].s : "lead");
	if (open && record_has(s, OPP_PROBABILITY))
		record_set_int(d, OPP_PROBABILITY, s->v[OPP_PROBABILITY].i);
	if (record_has(s, OPP_DECISION))
		record_set_int(d, OPP_DECISION, shift_years(s->v[OPP_DECISION].i, o->to - o->from));
	record_set_text(d, OPP_STATUS, "open");
	record_set_int(d, OPP_DRAFT, 1);
	char *note = xasprintf("rollover %d->%d from opportunity %llu", o->from, o->to, (unsigned long long)s->id);
	record_set_text(d, OPP_NOTES, note);
	free(note);
	return d;
}

static int roll_one(struct txn *t, struct ro_ctx *c, const struct record *s, struct rollover_item *it, char **cause)
{
	memset(it, 0, sizeof *it);
	it->source = s->id;
	it->account = (uint64_t)s->v[OPP_ACCOUNT].i;
	it->title = xstrdup(record_name(s));
	/* the key as it will be in `to` (same account, offering, budget line) */
	if (!keyset_add(&c->have, opp_key(s))) {
		it->action = RO_SKIPPED;
		it->reason = "already on the list";
		return 0;
	}
	it->action = RO_CREATED;
	it->reason = candidate_reason(s);
	if (c->o->dry_run)
		return 0;
	struct record *d = make_draft(s, c->o);
	int r = store_insert(t, d, cause);
	it->created = d->id;
	record_free(d);
	return r;
}

int plan_rollover(struct store *st, const struct rollover_opts *o, struct rollover_item **out, size_t *n, char **cause)
{
	*out = NULL;
	*n = 0;
	if (o->to <= o->from)
		return set_cause(cause, KAM_EINVAL, "--to %d must come after --from %d", o->to, o->from);
	struct ro_ctx c = {.o = o};
	struct txn *t;
	int r = store_begin(st, !o->dry_run, &t);
	if (r < 0)
		return set_cause(cause, r, "cannot begin a transaction");
	if (!o->dry_run) {
		char *cmd = xasprintf("plan rollover --from %d --to %d", o->from, o->to);
		store_txn_set_command(t, cmd);
		free(cmd);
	}
	r = store_scan(t, ENTITY(opportunity), collect, &c);
	struct rollover_item *items = xcalloc(c.nsrc ? c.nsrc : 1, sizeof *items);
	size_t k = 0;
	for (size_t i = 0; i < c.nsrc && !r; i++)
		if (candidate_reason(c.src[i]))
			r = roll_one(t, &c, c.src[i], &items[k++], cause);
	for (size_t i = 0; i < c.nsrc; i++)
		record_free(c.src[i]);
	free(c.src);
	keyset_free(&c.have);
	if (!r && !o->dry_run)
		r = store_commit(t, cause);
	else
		store_abort(t);
	if (r) {
		rollover_items_free(items, k);
		return r < 0 ? r : KAM_ESTORE;
	}
	*out = items;
	*n = k;
	return 0;
}

void rollover_items_free(struct rollover_item *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].title);
	free(v);
}
