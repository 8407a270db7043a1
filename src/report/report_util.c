/* Shared report helpers: names by id, hashed groups, cell formatting. */
#include "report_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/model.h"
#include "kam/util.h"

static int rep_visit_name(const struct record *r, void *arg)
{
	struct rep_names *n = arg;
	if (r->id >= n->cap) {
		uint64_t cap = r->id * 2 + 64;
		n->v = xrealloc(n->v, cap * sizeof *n->v);
		memset(n->v + n->cap, 0, (cap - n->cap) * sizeof *n->v);
		n->cap = cap;
	}
	n->v[r->id] = xstrdup(record_name(r));
	return 0;
}

int rep_names_load(struct txn *t, const struct entity *e, struct rep_names *n)
{
	memset(n, 0, sizeof *n);
	return store_scan(t, e, rep_visit_name, n);
}

const char *rep_name(const struct rep_names *n, int64_t id)
{
	return id > 0 && (uint64_t)id < n->cap && n->v[id] ? n->v[id] : "";
}

void rep_names_free(struct rep_names *n)
{
	for (uint64_t i = 0; i < n->cap; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof *n);
}

void rep_groups_init(struct rep_groups *g, int nvals)
{
	memset(g, 0, sizeof *g);
	g->nvals = nvals;
}

static uint64_t rep_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static void rep_groups_rehash(struct rep_groups *g)
{
	free(g->slots);
	g->nslots = g->cap * 2;
	g->slots = xcalloc(g->nslots, sizeof *g->slots);
	for (size_t i = 0; i < g->n; i++) {
		size_t s = rep_hash(g->keys[i]) % g->nslots;
		while (g->slots[s])
			s = (s + 1) % g->nslots;
		g->slots[s] = i + 1;
	}
}

int64_t *rep_group(struct rep_groups *g, const char *key)
{
	if (g->nslots) {
		size_t s = rep_hash(key) % g->nslots;
		for (; g->slots[s]; s = (s + 1) % g->nslots)
			if (!strcmp(g->keys[g->slots[s] - 1], key))
				return &g->vals[(g->slots[s] - 1) * (size_t)g->nvals];
	}
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 16;
		g->keys = xrealloc(g->keys, g->cap * sizeof *g->keys);
		g->vals = xrealloc(g->vals, g->cap * (size_t)g->nvals * sizeof *g->vals);
	}
	g->keys[g->n] = xstrdup(key);
	int64_t *v = &g->vals[g->n * (size_t)g->nvals];
	memset(v, 0, (size_t)g->nvals * sizeof *v);
	g->n++;
	if (g->n * 2 > g->nslots)
		rep_groups_rehash(g);
	else {
		size_t s = rep_hash(key) % g->nslots;
		while (g->slots[s])
			s = (s + 1) % g->nslots;
		g->slots[s] = g->n;
	}
	return v;
}

void rep_groups_sort(struct rep_groups *g)
{
	/* insertion order of a few hundred groups: a simple index sort */
	size_t *idx = xmalloc((g->n + 1) * sizeof *idx);
	for (size_t i = 0; i < g->n; i++)
		idx[i] = i;
	for (size_t i = 1; i < g->n; i++)
		for (size_t j = i; j > 0 && strcmp(g->keys[idx[j - 1]], g->keys[idx[j]]) > 0; j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	char **keys = xmalloc((g->n + 1) * sizeof *keys);
	int64_t *vals = xmalloc((g->n + 1) * (size_t)g->nvals * sizeof *vals);
	for (size_t i = 0; i < g->n; i++) {
		keys[i] = g->keys[idx[i]];
		memcpy(&vals[i * (size_t)g->nvals], &g->vals[idx[i] * (size_t)g->nvals],
		       (size_t)g->nvals * sizeof *vals);
	}
	free(g->keys);
	free(g->vals);
	free(idx);
	g->keys = keys;
	g->vals = vals;
	g->cap = g->n + 1;
	rep_groups_rehash(g);
}

void rep_groups_free(struct rep_groups *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->keys[i]);
	free(g->keys);
	free(g->vals);
	free(g->slots);
	memset(g, 0, sizeof *g);
}

static char rep_bufs[16][64];
static int rep_next;

static char *rep_slot(void)
{
	rep_next = (rep_next + 1) % 16;
	return rep_bufs[rep_next];
}

const char *rep_money(int64_t cents)
{
	struct buf b = {0};
	format_money(cents, &b);
	char *s = rep_slot();
	snprintf(s, 64, "%s", b.p ? b.p : "0.00");
	buf_free(&b);
	return s;
}

const char *rep_pct(double pct)
{
	char *s = rep_slot();
	snprintf(s, 64, "%.1f%%", pct);
	return s;
}

const char *rep_int(int64_t v)
{
	char *s = rep_slot();
	snprintf(s, 64, "%lld", (long long)v);
	return s;
}

double rep_share(double a, double b)
{
	return b != 0 ? a * 100.0 / b : 0;
}
