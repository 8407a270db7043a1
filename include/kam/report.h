#ifndef KAM_REPORT_H
#define KAM_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"
#include "kam/util.h"

/* Planning reports (src/report). Each report scans every entity it needs
 * once, aggregates in arrays indexed by id, and returns a table of text
 * cells (money already formatted) plus, for pareto and quadrant, an ASCII
 * chart and, where the report flags something, note lines. The CLI prints
 * the table with the one table writer; the TUI can draw the same rows. */

struct report {
	int ncols;
	char **headers;
	unsigned char *right; /* 1: right-aligned (numbers) */
	char **cells;         /* nrows * ncols, row-major */
	size_t nrows, cap;
	struct buf chart; /* ASCII only, empty when the report has none */
	struct buf notes; /* flags and totals, one per line */
};

struct report_opts {
	int year;                     /* plan year */
	const char *by;               /* grouping (pipeline, budget), NULL: the report's default */
	int64_t target;               /* pipeline: yearly target in cents, 0: none */
	int64_t today;                /* yyyymmdd */
	const struct kam_config *cfg; /* probabilities, brand types, abc, quadrant, allocation */
};

/* Names accepted by report_run, NULL-terminated. */
extern const char *const report_names[];

/* Run report `name`. KAM_EINVAL with *cause for an unknown name or --by. */
int report_run(struct store *st, const char *name, const struct report_opts *o, struct report **out, char **cause);
void report_free(struct report *r);

/* Building blocks shared by the report files. */
struct report *report_new(int ncols, const char *const *headers, const unsigned char *right);
/* Append a row of ncols cells (copied). */
void report_add_row(struct report *r, const char *const *cells);
/* Cell (row, col). */
static inline const char *report_cell(const struct report *r, size_t row, int col)
{
	return r->cells[row * (size_t)r->ncols + (size_t)col];
}

/* One report per function: same contract as report_run. */
int report_pipeline(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_coverage(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_whitespace(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_yoy(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_retention(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_pareto(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_quadrant(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_allocation(struct store *st, const struct report_opts *o, struct report **out, char **cause);
int report_budget(struct store *st, const struct report_opts *o, struct report **out, char **cause);

#endif
