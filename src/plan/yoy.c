/* Year over year: one scan per entity, opportunities matched by sorting
 * both years on (account, key) and merging. */
#include "kam/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

#define HIST 8 /* years of revenue kept for retention, ending at `to` */

struct yacc {
	unsigned char present, used;
	char *name;
	int64_t rev[HIST], budget[HIST]; /* index: to - year; -1 unknown */
	struct yoy_row row;
};

struct yopp {
	uint64_t account, id;
	char *key;
	int status; /* 0 open, 1 won, 2 lost */
	int strategic;
	int64_t amount, decision;
};

struct yctx {
	int from, to;
	uint64_t only;
	struct yacc *acc;
	size_t nacc;
	struct yopp *opp[2]; /* 0: from, 1: to */
	size_t nopp[2], cap[2];
};

static struct yacc *acc_at(struct yctx *c, uint64_t id)
{
	if (id >= c->nacc) {
		size_t n = c->nacc ? c->nacc : 256;
		while (n <= id)
			n *= 2;
		c->acc = xrealloc(c->acc, n * sizeof *c->acc);
		memset(c->acc + c->nacc, 0, (n - c->nacc) * sizeof *c->acc);
		c->nacc = n;
	}
	return &c->acc[id];
}

static int scan_account(const struct record *r, void *arg)
{
	struct yctx *c = arg;
	if (c->only && r->id != c->only)
		return 0;
	struct yacc *a = acc_at(c, r->id);
	a->present = 1;
	a->name = xstrdup(record_name(r));
	for (int i = 0; i < HIST; i++)
		a->rev[i] = a->budget[i] = -1;
	return 0;
}

static int scan_year(const struct record *r, void *arg)
{
	struct yctx *c = arg;
	uint64_t id = (uint64_t)r->v[AY_ACCOUNT].i;
	int64_t back = c->to - r->v[AY_YEAR].i;
	if (id >= c->nacc || !c->acc[id].present || back < 0 || back >= HIST)
		return 0;
	struct yacc *a = &c->acc[id];
	if (record_has(r, AY_REVENUE))
		a->rev[back] = r->v[AY_REVENUE].i;
	if (record_has(r, AY_BUDGET))
		a->budget[back] = r->v[AY_BUDGET].i;
	if (back == 0 || r->v[AY_YEAR].i == c->from)
		a->used = 1;
	return 0;
}

static const char *txt(const struct record *r, int f)
{
	return r->v[f].s ? r->v[f].s : "";
}

static int scan_opp(const struct record *r, void *arg)
{
	struct yctx *c = arg;
	uint64_t id = (uint64_t)r->v[OPP_ACCOUNT].i;
	int64_t y = r->v[OPP_YEAR].i;
	int w = y == c->from ? 0 : y == c->to ? 1 : -1;
	if (w < 0 || id >= c->nacc || !c->acc[id].present)
		return 0;
	c->acc[id].used = 1;
	if (c->nopp[w] == c->cap[w]) {
		c->cap[w] = c->cap[w] ? 2 * c->cap[w] : 256;
		c->opp[w] = xrealloc(c->opp[w], c->cap[w] * sizeof *c->opp[w]);
	}
	struct yopp *o = &c->opp[w][c->nopp[w]++];
	const char *off = txt(r, OPP_OFFERING), *bl = txt(r, OPP_BUDGET_LINE);
	o->key =
	    !*off && !*bl ? xasprintf("t|%s", record_name(r)) : xasprintf("%s|%s|%s", off, bl, txt(r, OPP_BUYING_UNIT));
	o->account = id;
	o->id = r->id;
	const char *st = r->v[OPP_STATUS].s;
	o->status = st && !strcmp(st, "won") ? 1 : st && !strcmp(st, "lost") ? 2 : 0;
	o->strategic = r->v[OPP_STRATEGIC].i != 0;
	o->amount = r->v[OPP_AMOUNT].i;
	o->decision = record_has(r, OPP_DECISION) ? r->v[OPP_DECISION].i : 0;
	return 0;
}

static int by_key(const void *x, const void *y)
{
	const struct yopp *a = x, *b = y;
	if (a->account != b->account)
		return a->account < b->account ? -1 : 1;
	int k = strcmp(a->key, b->key);
	return k ? k : (a->id < b->id ? -1 : a->id > b->id);
}

static int cmp_pair(const struct yopp *a, const struct yopp *b)
{
	if (a->account != b->account)
		return a->account < b->account ? -1 : 1;
	return strcmp(a->key, b->key);
}

/* f: opportunity of `from` or NULL; t: its match in `to` or NULL. */
static void classify(struct yctx *c, const struct yopp *f, const struct yopp *t)
{
	struct yoy_row *r = &c->acc[(f ? f : t)->account].row;
	if (f && f->status == 1)
		r->amount_from += f->amount;
	if (t) {
		r->won += t->status == 1;
		r->lost += t->status == 2;
		if (t->status == 1)
			r->amount_to += t->amount;
	}
	if (!f)
		r->added++;
	else if (f->status == 1 && t && t->status == 1)
		r->kept++;
	if (f && f->status == 0 && (t || f->decision / 10000 == c->to))
		r->slipped++;
	/* not renewed counts only once the year `to` is over */
	if (f && f->strategic && f->status == 1 && (t ? t->status == 2 : date_today() / 10000 > c->to))
		r->churn = "strategic offering lost";
}

static void match(struct yctx *c)
{
	qsort(c->opp[0], c->nopp[0], sizeof *c->opp[0], by_key);
	qsort(c->opp[1], c->nopp[1], sizeof *c->opp[1], by_key);
	size_t i = 0, j = 0;
	while (i < c->nopp[0] || j < c->nopp[1]) {
		int d = i == c->nopp[0] ? 1 : j == c->nopp[1] ? -1 : cmp_pair(&c->opp[0][i], &c->opp[1][j]);
		if (d == 0)
			classify(c, &c->opp[0][i++], &c->opp[1][j++]);
		else if (d < 0)
			classify(c, &c->opp[0][i++], NULL);
		else
			classify(c, NULL, &c->opp[1][j++]);
	}
}

static int sow(int64_t rev, int64_t budget)
{
	return rev >= 0 && budget > 0 ? (int)(rev * 100 / budget) : -1;
}

static void finish_row(struct yctx *c, struct yacc *a, uint64_t id)
{
	struct yoy_row *r = &a->row;
	r->account = id;
	int back = c->to - c->from;
	r->sow_to = sow(a->rev[0], a->budget[0]);
	r->sow_from = back >= 0 && back < HIST ? sow(a->rev[back], a->budget[back]) : -1;
	while (r->buying_years < HIST && a->rev[r->buying_years] > 0)
		r->buying_years++;
	if (a->rev[2] > 0 && a->rev[1] >= 0 && a->rev[0] >= 0 && a->rev[2] > a->rev[1] && a->rev[1] > a->rev[0])
		r->churn = "revenue declining two years running";
}

static void add_total(struct yoy_row *t, const struct yoy_row *r)
{
	t->kept += r->kept;
	t->won += r->won;
	t->lost += r->lost;
	t->added += r->added;
	t->slipped += r->slipped;
	t->amount_from += r->amount_from;
	t->amount_to += r->amount_to;
}

int plan_yoy(struct store *st, int from, int to, uint64_t account, struct yoy_row **out, size_t *n, char **cause)
{
	*out = NULL;
	*n = 0;
	if (to <= from)
		return set_cause(cause, KAM_EINVAL, "--to %d must come after --from %d", to, from);
	struct yctx c = {.from = from, .to = to, .only = account};
	struct txn *t;
	int r = store_begin(st, 0, &t);
	if (r < 0)
		return set_cause(cause, r, "cannot begin a transaction");
	r = store_scan(t, ENTITY(account), scan_account, &c);
	if (!r)
		r = store_scan(t, ENTITY(account_year), scan_year, &c);
	if (!r)
		r = store_scan(t, ENTITY(opportunity), scan_opp, &c);
	store_abort(t);
	if (!r)
		match(&c);
	size_t k = 0;
	struct yoy_row *rows = xcalloc(c.nacc + 1, sizeof *rows);
	struct yoy_row total = {0};
	int64_t rev[2] = {0, 0}, bud[2] = {0, 0};
	int back = to - from < HIST ? to - from : 0;
	for (uint64_t id = 0; id < c.nacc; id++) {
		struct yacc *a = &c.acc[id];
		if (a->present && a->used && !r) {
			finish_row(&c, a, id);
			a->row.name = a->name;
			a->name = NULL;
			add_total(&total, &a->row);
			/* share of wallet over the accounts where both are known */
			for (int w = 0; w < 2; w++) {
				int b = w ? 0 : back;
				if (a->rev[b] >= 0 && a->budget[b] > 0) {
					rev[w] += a->rev[b];
					bud[w] += a->budget[b];
				}
			}
			rows[k++] = a->row;
		}
		free(a->name);
	}
	for (int w = 0; w < 2; w++) {
		for (size_t i = 0; i < c.nopp[w]; i++)
			free(c.opp[w][i].key);
		free(c.opp[w]);
	}
	free(c.acc);
	if (r) {
		yoy_rows_free(rows, k);
		return set_cause(cause, r < 0 ? r : KAM_ESTORE, "yoy: cannot read the database");
	}
	total.name = xstrdup("total");
	total.sow_from = sow(rev[0], bud[0]);
	total.sow_to = sow(rev[1], bud[1]);
	rows[k++] = total;
	*out = rows;
	*n = k;
	return 0;
}

void yoy_rows_free(struct yoy_row *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].name);
	free(v);
}
