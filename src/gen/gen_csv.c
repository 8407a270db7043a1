/* kam gen --csv: one CSV file per entity for the import benchmark.
 * Rows carry an ext_id ("A12") and references name their target by its
 * ext_id, the way records from another system would arrive. */
#include "kam/gen.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kam/csv.h"
#include "kam/err.h"
#include "kam/util.h"

struct gen_csv {
	char *dir;
	FILE *f[ENT__COUNT];
	char *path[ENT__COUNT];
	struct buf line, cell;
	int failed; /* entity index + 1 of the first failed write */
};

static int entity_index(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return -1;
}

/* Computed fields (the activity budget) are left out: kam derives them. */
static int csv_field(const struct field *fd)
{
	return !(fd->flags & FF_COMP);
}

static void write_header(struct gen_csv *g, int ent)
{
	const struct entity *e = kam_entities[ent];
	buf_reset(&g->line);
	buf_adds(&g->line, "ext_id");
	for (int f = 0; f < e->nfields; f++)
		if (csv_field(&e->fields[f])) {
			buf_addc(&g->line, ',');
			csv_write_cell(&g->line, e->fields[f].name, 1);
		}
	buf_addc(&g->line, '\n');
	fwrite(g->line.p, 1, g->line.len, g->f[ent]);
}

int gen_csv_open(struct gen_csv **out, const char *dir, char **cause)
{
	*out = NULL;
	if (mkdir(dir, 0777) && errno != EEXIST)
		return set_cause(cause, KAM_EINVAL, "%s: %s", dir, strerror(errno));
	struct gen_csv *g = xcalloc(1, sizeof *g);
	g->dir = xstrdup(dir);
	for (int i = 0; i < ENT__COUNT; i++) {
		g->path[i] = xasprintf("%s/%s.csv", dir, kam_entities[i]->plural);
		g->f[i] = fopen(g->path[i], "w");
		if (!g->f[i]) {
			int rc = set_cause(cause, KAM_EINVAL, "%s: %s", g->path[i], strerror(errno));
			gen_csv_close(g, NULL);
			return rc;
		}
		write_header(g, i);
	}
	*out = g;
	return 0;
}

/* "C3;C17" from "3;17". */
static void add_refs(struct buf *b, const char *prefix, const char *ids)
{
	const char *p = ids;
	while (*p) {
		const char *end = strchr(p, ';');
		size_t n = end ? (size_t)(end - p) : strlen(p);
		if (b->len)
			buf_addc(b, ';');
		buf_adds(b, prefix);
		buf_add(b, p, n);
		p += n + (end ? 1 : 0);
	}
}

static void add_cell(struct gen_csv *g, const struct record *r, int f)
{
	const struct field *fd = &r->ent->fields[f];
	buf_reset(&g->cell);
	if (r->v[f].set && fd->type == FT_REF)
		buf_addf(&g->cell, "%s%llu", gen_ext_prefix(field_ref_entity(fd)), (unsigned long long)r->v[f].i);
	else if (r->v[f].set && fd->type == FT_REFS && r->v[f].s)
		add_refs(&g->cell, gen_ext_prefix(field_ref_entity(fd)), r->v[f].s);
	else
		record_format_field(r, f, &g->cell);
	buf_addc(&g->line, ',');
	/* Raw: the data is ours and must import unchanged (no formula quote). */
	csv_write_cell(&g->line, g->cell.len ? g->cell.p : "", 1);
}

int gen_csv_emit(struct record *r, void *arg)
{
	struct gen_csv *g = arg;
	int ent = entity_index(r->ent);
	if (ent < 0)
		return KAM_ESTORE;
	buf_reset(&g->line);
	buf_addf(&g->line, "%s%llu", gen_ext_prefix(r->ent), (unsigned long long)r->id);
	for (int f = 0; f < r->ent->nfields; f++)
		if (csv_field(&r->ent->fields[f]))
			add_cell(g, r, f);
	buf_addc(&g->line, '\n');
	if (fwrite(g->line.p, 1, g->line.len, g->f[ent]) != g->line.len) {
		if (!g->failed)
			g->failed = ent + 1;
		return KAM_ESTORE;
	}
	return 0;
}

int gen_csv_close(struct gen_csv *g, char **cause)
{
	if (!g)
		return 0;
	int rc = 0;
	for (int i = 0; i < ENT__COUNT; i++) {
		if (g->f[i] && (ferror(g->f[i]) | fclose(g->f[i])) && !rc)
			rc = set_cause(cause, KAM_ESTORE, "%s: write failed: %s", g->path[i], strerror(errno));
		free(g->path[i]);
	}
	if (g->failed && !rc)
		rc = set_cause(cause, KAM_ESTORE, "%s: write failed", g->dir);
	buf_free(&g->line);
	buf_free(&g->cell);
	free(g->dir);
	free(g);
	return rc;
}
