/* The White space view of the workstation (W, :whitespace): per account, the
 * grid of its buying units by every offering, each cell saying whose it is
 * as `kam report whitespace` finds it (the latest opportunity up to the
 * plan year): ours, open, comp:X (lost to competitor X), in-house (lost to
 * the customer's own team), none, or "-" unknown. Cells are fitted by
 * display width, so Chinese units and offerings keep the grid straight;
 * Enter opens the account's opportunities (kam/vlist.h). */
#include "kam/vlist.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kam/detail.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/report.h"
#include "view_int.h"

#define WS_UNIT (VLIST_WS_FIXED - 2) /* buying unit column */
#define WS_CELL VLIST_WS_CELL        /* one offering: a blank and 10 columns */

/* Lost to the customer's own people: shown as in-house. */
static const char *ws_status(const char *cell)
{
	static const char *const inhouse[] = {"in-house", "inhouse", "own", "self", "自建", "自研", NULL};
	if (strncmp(cell, "comp:", 5) == 0)
		for (int i = 0; inhouse[i]; i++)
			if (strcasecmp(cell + 5, inhouse[i]) == 0)
				return "in-house";
	return cell;
}

int vlist_whitespace(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int64_t today,
		     char **cause)
{
	vlist_free(v);
	v->kind = VLIST_WHITESPACE;
	v->title = xasprintf("White space %d", year);
	struct report_opts o = {.year = year, .today = today, .cfg = cfg};
	struct report *r = NULL;
	int rc = report_run(st, "whitespace", &o, &r, cause);
	struct view_accts accts = {0};
	if (!rc)
		rc = view_accts_read(st, &accts, cause);
	if (rc) {
		report_free(r);
		view_accts_free(&accts);
		v->foot = xstrdup("white space failed");
		return rc;
	}
	struct buf head = {0}, b = {0};
	vlist_cell(&head, "  Buying unit", WS_UNIT + 2, TEXT_LEFT);
	for (int c = 2; c < r->ncols; c++) {
		buf_addc(&head, ' ');
		vlist_cell(&head, r->headers[c], WS_CELL - 1, TEXT_LEFT);
	}
	int accounts = 0, open = 0, ours = 0;
	for (size_t i = 0; i < r->nrows; i++) {
		const char *name = report_cell(r, i, 0);
		uint64_t id = view_acct_named(&accts, name);
		if (i == 0 || strcmp(name, report_cell(r, i - 1, 0)) != 0) {
			if (i)
				vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
			buf_adds(&b, name);
			vlist_push(v, id, DETAIL_OPPS, NULL, &b);
			accounts++;
		}
		buf_adds(&b, "  ");
		vlist_cell(&b, report_cell(r, i, 1), WS_UNIT, TEXT_LEFT);
		for (int c = 2; c < r->ncols; c++) {
			const char *s = ws_status(report_cell(r, i, c));
			ours += !strcmp(s, "ours");
			open += !strcmp(s, "open");
			buf_addc(&b, ' ');
			vlist_cell(&b, s, WS_CELL - 1, TEXT_LEFT);
		}
		vlist_push(v, id, DETAIL_OPPS, NULL, &b);
	}
	if (!r->nrows) {
		buf_adds(&b, "  no opportunity up to this plan year: no grid yet");
		vlist_push(v, 0, DETAIL_OVERVIEW, NULL, &b);
	}
	v->head = buf_steal(&head);
	v->foot = xasprintf("%d account%s, %d offering%s, %d ours, %d open", accounts, accounts == 1 ? "" : "s",
			    r->ncols - 2, r->ncols == 3 ? "" : "s", ours, open);
	buf_free(&b);
	buf_free(&head);
	report_free(r);
	view_accts_free(&accts);
	return 0;
}

/* Byte offset of display column col in s (cells are whole: text_fit never
 * splits a wide character), or strlen(s) when s is narrower. */
static size_t col_offset(const char *s, int col)
{
	size_t i = 0, n = strlen(s);
	int w = 0;
	while (i < n && w < col) {
		uint32_t cp;
		int k = utf8_decode(s + i, n - i, &cp);
		if (k < 1)
			k = 1, cp = '?';
		w += cp_width(cp);
		i += (size_t)k;
	}
	return i;
}

char *vlist_ws_slice(const char *row, int first)
{
	if (first <= 0 || strncmp(row, "  ", 2) != 0 || text_width(row) <= VLIST_WS_FIXED)
		return xstrdup(row);
	size_t fixed = col_offset(row, VLIST_WS_FIXED);
	size_t skip = fixed + col_offset(row + fixed, first * VLIST_WS_CELL);
	struct buf b = {0};
	buf_add(&b, row, fixed);
	buf_adds(&b, row + skip);
	return buf_steal(&b);
}
