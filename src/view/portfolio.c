/* The Portfolio view of the workstation (p, :portfolio): the quadrant of the
 * rules (added value x complexity: strategic, big ...) and the Pareto/ABC
 * curve, drawn in ASCII exactly as `kam report quadrant` and `kam report
 * pareto` draw them, then the accounts listed per quadrant cell, best score
 * first, each with its ABC class; Enter opens the account (kam/vlist.h). */
#include "kam/vlist.h"

#include <stdlib.h>
#include <string.h>

#include "kam/detail.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/report.h"
#include "view_int.h"

/* Each line of text as a row without an account, indented by two. */
static void add_lines(struct vlist *v, const char *text)
{
	struct buf b = {0};
	for (const char *p = text; p && *p;) {
		size_t n = strcspn(p, "\n");
		buf_adds(&b, "  ");
		buf_add(&b, p, n);
		vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
		p += n + (p[n] == '\n');
	}
	buf_free(&b);
}

static void add_text(struct vlist *v, const char *s)
{
	struct buf b = {0};
	buf_adds(&b, s);
	vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
	buf_free(&b);
}

/* Pareto rows by account name, for the ABC class and revenue of each. */
struct prow {
	const char *name;
	size_t row;
};

static int prow_cmp(const void *a, const void *b)
{
	const struct prow *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : x->row < y->row ? -1 : x->row > y->row;
}

static const struct prow *prow_find(const struct prow *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(v[mid].name, name) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && strcmp(v[lo].name, name) == 0 ? &v[lo] : NULL;
}

struct qrow {
	size_t row;
	double score;
};

static int qrow_cmp(const void *a, const void *b)
{
	const struct qrow *x = a, *y = b;
	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

int vlist_portfolio(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int64_t today,
		    char **cause)
{
	vlist_free(v);
	v->kind = VLIST_PORTFOLIO;
	v->title = xasprintf("Portfolio %d", year);
	v->head = xstrdup("Quadrant (added value x complexity), Pareto/ABC curve, accounts per cell");
	struct report_opts o = {.year = year, .today = today, .cfg = cfg};
	struct report *q = NULL, *p = NULL;
	int rc = report_run(st, "quadrant", &o, &q, cause);
	if (!rc)
		rc = report_run(st, "pareto", &o, &p, cause);
	struct view_accts accts = {0};
	if (!rc)
		rc = view_accts_read(st, &accts, cause);
	if (rc) {
		report_free(q);
		report_free(p);
		view_accts_free(&accts);
		v->foot = xstrdup("portfolio failed");
		return rc;
	}
	add_lines(v, q->chart.p);
	/* "strategic: 2\nbig: 3\n" -> one line */
	struct buf b = {0};
	buf_adds(&b, "  ");
	for (const char *s = q->notes.p; s && *s;) {
		size_t n = strcspn(s, "\n");
		buf_add(&b, s, n);
		s += n + (s[n] == '\n');
		if (*s)
			buf_adds(&b, "   ");
	}
	vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
	add_text(v, "");
	add_text(v, "Pareto: cumulative revenue by account rank, ABC classes");
	add_lines(v, p->chart.p);
	add_text(v, "");
	add_text(v, "Accounts per quadrant cell      X value  Y cmplx   Score  ABC  Revenue");
	/* The cells in the order the rules name them (the report's notes). */
	struct qrow *rows = xcalloc(q->nrows + 1, sizeof *rows);
	struct prow *pr = xcalloc(p->nrows + 1, sizeof *pr);
	for (size_t i = 0; i < p->nrows; i++)
		pr[i] = (struct prow){report_cell(p, i, 1), i};
	qsort(pr, p->nrows, sizeof *pr, prow_cmp);
	for (const char *s = q->notes.p; s && *s;) {
		size_t n = strcspn(s, "\n");
		const char *colon = memchr(s, ':', n);
		char *label = xstrndup(s, colon ? (size_t)(colon - s) : n);
		size_t k = 0;
		for (size_t i = 0; i < q->nrows; i++)
			if (strcmp(report_cell(q, i, 3), label) == 0)
				rows[k++] = (struct qrow){i, strtod(report_cell(q, i, 4), NULL)};
		qsort(rows, k, sizeof *rows, qrow_cmp);
		buf_addf(&b, " %s  %zu", label, k);
		vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
		for (size_t j = 0; j < k; j++) {
			const char *name = report_cell(q, rows[j].row, 0);
			const struct prow *h = prow_find(pr, p->nrows, name);
			const char *abc = h ? report_cell(p, h->row, 5) : "-",
				   *rev = h ? report_cell(p, h->row, 2) : "";
			int64_t cents;
			struct buf m = {0};
			if (parse_decimal(rev, 2, &cents) == 0)
				format_money_short(cents, &m);
			buf_adds(&b, "   ");
			vlist_cell(&b, name, 28, TEXT_LEFT);
			vlist_cell(&b, report_cell(q, rows[j].row, 1), 9, TEXT_RIGHT);
			vlist_cell(&b, report_cell(q, rows[j].row, 2), 9, TEXT_RIGHT);
			vlist_cell(&b, report_cell(q, rows[j].row, 4), 8, TEXT_RIGHT);
			buf_addf(&b, "  %s ", abc);
			vlist_cell(&b, m.p ? m.p : "--", 10, TEXT_RIGHT);
			vlist_push(v, view_acct_named(&accts, name), DETAIL_OVERVIEW, NULL, &b);
			buf_free(&m);
		}
		s += n + (s[n] == '\n');
		free(label);
	}
	free(rows);
	free(pr);
	buf_free(&b);
	v->foot = xasprintf("%zu account%s", q->nrows, q->nrows == 1 ? "" : "s");
	report_free(q);
	report_free(p);
	view_accts_free(&accts);
	return 0;
}
