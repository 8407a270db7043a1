/* Report table container and dispatch. */
#include "kam/report.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

const char *const report_names[] = {"pipeline", "coverage",   "whitespace", "yoy",       "pareto",
				    "quadrant", "allocation", "budget",     "retention", NULL};

typedef int (*report_fn)(struct store *, const struct report_opts *, struct report **, char **);
static const report_fn report_fns[] = {report_pipeline,   report_coverage, report_whitespace,
				       report_yoy,        report_pareto,   report_quadrant,
				       report_allocation, report_budget,   report_retention};

struct report *report_new(int ncols, const char *const *headers, const unsigned char *right)
{
	struct report *r = xcalloc(1, sizeof *r);
	r->ncols = ncols;
	r->headers = xcalloc((size_t)ncols, sizeof *r->headers);
	r->right = xcalloc((size_t)ncols, 1);
	for (int i = 0; i < ncols; i++) {
		r->headers[i] = xstrdup(headers[i]);
		r->right[i] = right ? right[i] : 0;
	}
	return r;
}

void report_add_row(struct report *r, const char *const *cells)
{
	if (r->nrows == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 32;
		r->cells = xrealloc(r->cells, r->cap * (size_t)r->ncols * sizeof *r->cells);
	}
	for (int i = 0; i < r->ncols; i++)
		r->cells[r->nrows * (size_t)r->ncols + (size_t)i] = xstrdup(cells[i] ? cells[i] : "");
	r->nrows++;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nrows * (size_t)r->ncols; i++)
		free(r->cells[i]);
	for (int i = 0; i < r->ncols; i++)
		free(r->headers[i]);
	free(r->cells);
	free(r->headers);
	free(r->right);
	buf_free(&r->chart);
	buf_free(&r->notes);
	free(r);
}

int report_run(struct store *st, const char *name, const struct report_opts *o, struct report **out, char **cause)
{
	*out = NULL;
	for (int i = 0; report_names[i]; i++)
		if (!strcmp(report_names[i], name))
			return report_fns[i](st, o, out, cause);
	const char *near = nearest_word(name, report_names);
	return set_cause(cause, KAM_EINVAL, "unknown report '%s'%s%s%s", name, near ? " (did you mean '" : "",
			 near ? near : "", near ? "'?)" : "");
}
