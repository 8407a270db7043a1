/* The one table writer: CJK-aligned text, JSON lines, CSV or TSV. */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/csv.h"
#include "kam/json.h"
#include "kam/text.h"

#define MAX_COL_WIDTH 48

struct table {
	int ncols;
	char **headers;
	unsigned char *right;
	char **cells; /* nrows * ncols */
	size_t nrows, cap;
};

struct table *table_new(int ncols, const char *const *headers, const unsigned char *right_align)
{
	struct table *t = xcalloc(1, sizeof *t);
	t->ncols = ncols;
	t->headers = xcalloc((size_t)ncols, sizeof *t->headers);
	t->right = xcalloc((size_t)ncols, 1);
	for (int i = 0; i < ncols; i++) {
		t->headers[i] = xstrdup(headers[i]);
		t->right[i] = right_align ? right_align[i] : 0;
	}
	return t;
}

void table_add_row(struct table *t, const char *const *cells)
{
	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->cells = xrealloc(t->cells, t->cap * (size_t)t->ncols * sizeof *t->cells);
	}
	for (int i = 0; i < t->ncols; i++)
		t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = xstrdup(cells[i] ? cells[i] : "");
	t->nrows++;
}

static const char *cell(const struct table *t, size_t row, int col)
{
	return t->cells[row * (size_t)t->ncols + (size_t)col];
}

static void print_line(struct buf *b, FILE *out)
{
	while (b->len && b->p[b->len - 1] == ' ')
		b->p[--b->len] = 0;
	buf_addc(b, '\n');
	fwrite(b->p, 1, b->len, out);
	buf_reset(b);
}

static void print_text(struct table *t, FILE *out)
{
	int *w = xcalloc((size_t)t->ncols, sizeof *w);
	for (int c = 0; c < t->ncols; c++) {
		w[c] = text_width(t->headers[c]);
		for (size_t r = 0; r < t->nrows; r++) {
			int cw = text_width(cell(t, r, c));
			w[c] = cw > w[c] ? cw : w[c];
		}
		/* The last column runs to the end of the line: nothing to align after it. */
		if (c < t->ncols - 1 && w[c] > MAX_COL_WIDTH)
			w[c] = MAX_COL_WIDTH;
	}
	struct buf line = {0};
	int widest = 0;
	for (int c = 0; c < t->ncols; c++)
		widest = w[c] > widest ? w[c] : widest;
	char *tmp = xmalloc((size_t)widest * 4 + 1);
	for (size_t r = 0; r <= t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = r ? cell(t, r - 1, c) : t->headers[c];
			size_t n = text_fit_into(tmp, s, w[c], t->right[c] ? TEXT_RIGHT : TEXT_LEFT);
			if (c)
				buf_adds(&line, "  ");
			buf_add(&line, tmp, n);
		}
		print_line(&line, out);
	}
	free(tmp);
	free(w);
	buf_free(&line);
}

/* A right-aligned cell that reads as a plain number is written as a JSON number. */
static int json_number_like(const char *s)
{
	char *end;
	if (!*s)
		return 0;
	strtod(s, &end);
	return *end == 0 && strspn(s, "-0123456789.") == strlen(s);
}

static void print_json(struct table *t, FILE *out)
{
	struct buf b = {0};
	for (size_t r = 0; r < t->nrows; r++) {
		buf_addc(&b, '{');
		for (int c = 0; c < t->ncols; c++) {
			const char *s = cell(t, r, c);
			if (c)
				buf_addc(&b, ',');
			json_add_string(&b, t->headers[c]);
			buf_addc(&b, ':');
			if (t->right[c] && json_number_like(s))
				buf_adds(&b, s);
			else
				json_add_string(&b, s);
		}
		buf_addc(&b, '}');
		print_line(&b, out);
	}
	buf_free(&b);
}

static void print_sv(struct table *t, FILE *out, int tsv, int raw)
{
	struct buf b = {0};
	for (size_t r = 0; r <= t->nrows; r++) {
		for (int c = 0; c < t->ncols; c++) {
			const char *s = r ? cell(t, r - 1, c) : t->headers[c];
			if (c)
				buf_addc(&b, tsv ? '\t' : ',');
			if (!tsv) {
				csv_write_cell(&b, s, raw);
				continue;
			}
			for (; *s; s++)
				buf_addc(&b, *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
		}
		buf_addc(&b, '\n');
		fwrite(b.p, 1, b.len, out);
		buf_reset(&b);
	}
	buf_free(&b);
}

void table_print(struct table *t, struct cli *c)
{
	switch (c->format) {
	case FMT_JSON:
		print_json(t, c->out);
		break;
	case FMT_CSV:
		print_sv(t, c->out, 0, c->raw);
		break;
	case FMT_TSV:
		print_sv(t, c->out, 1, c->raw);
		break;
	default:
		print_text(t, c->out);
	}
}

void table_free(struct table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
		free(t->cells[i]);
	for (int i = 0; i < t->ncols; i++)
		free(t->headers[i]);
	free(t->cells);
	free(t->headers);
	free(t->right);
	free(t);
}
