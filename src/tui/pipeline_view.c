/* The Pipeline view (P, :pipeline): one column per open sales stage with the
 * plan year's open opportunities as one-line cards. h/l change the column
 * (scrolling sideways when not all fit), j/k move within it, H/L move the
 * card to the previous/next stage in one write txn that checks the version
 * the card was read at, Enter goes to the account's Opps.
 * Columns and cards come from src/view/pipeline.c; a cursor move repaints
 * the two cards it touches (and the two headers when the column changes). */
#include "tui_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"
#include "kam/util.h"

#define PIPE_BODY_Y 6 /* tabs, rule, title, two header lines, rule */

static int body_height(const struct tui *t)
{
	int h = t->h - PIPE_BODY_Y - 1;
	return h > 1 ? h : 1;
}

static struct pipe_col *cur_col(struct tui *t)
{
	return t->pipe.ncols ? &t->pipe.cols[t->pipe_col] : NULL;
}

static struct pipe_card *cur_card(struct tui *t)
{
	struct pipe_col *c = cur_col(t);
	return c && c->n ? &c->cards[t->pipe_row[t->pipe_col]] : NULL;
}

/* Keep every column's cursor inside it and visible. */
static void fix_rows(struct tui *t)
{
	int h = body_height(t);
	for (int c = 0; c < t->pipe.ncols; c++) {
		int n = t->pipe.cols[c].n;
		int *r = &t->pipe_row[c], *top = &t->pipe_top[c];
		if (*r >= n)
			*r = n ? n - 1 : 0;
		if (*r < 0)
			*r = 0;
		if (*r < *top)
			*top = *r;
		if (*r >= *top + h)
			*top = *r - h + 1;
		if (*top > (n > h ? n - h : 0))
			*top = n > h ? n - h : 0;
		if (*top < 0)
			*top = 0;
	}
	if (t->pipe_col >= t->pipe.ncols)
		t->pipe_col = t->pipe.ncols ? t->pipe.ncols - 1 : 0;
	int shown, colw;
	pipeline_fit(t->w, t->pipe.ncols, &shown, &colw);
	t->pipe_first = pipeline_scroll(t->pipe_first, shown, t->pipe.ncols, t->pipe_col);
}

static void load(struct tui *t)
{
	char *cause = NULL;
	if (pipeline_load(&t->pipe, t->st, t->cfg, t->plan_year, &cause) != 0)
		tui_message(t, 1, "%s", cause ? cause : "cannot read the database");
	free(cause);
}

void pipe_view_open(struct tui *t)
{
	if (t->help)
		help_close(t);
	if (t->gv.kind)
		gview_close(t);
	memset(t->pipe_row, 0, sizeof t->pipe_row);
	memset(t->pipe_top, 0, sizeof t->pipe_top);
	t->pipe_col = t->pipe_first = 0;
	load(t);
	t->pipe_open = 1;
	/* Start on the first column that has a card. */
	for (int c = 0; c < t->pipe.ncols; c++)
		if (t->pipe.cols[c].n) {
			t->pipe_col = c;
			break;
		}
	fix_rows(t);
	t->pipe_drawn_valid = 0;
	t->dirty = D_ALL;
}

void pipe_view_close(struct tui *t)
{
	if (!t->pipe_open)
		return;
	pipeline_free(&t->pipe);
	t->pipe_open = 0;
	t->pipe_drawn_valid = 0;
	t->navl.drawn_valid = t->detl.drawn_valid = 0;
	t->dirty = D_ALL;
}

/* Rebuild from the database; the cursor stays on its opportunity (or
 * else on the same place). */
static void reload_to(struct tui *t, uint64_t id)
{
	load(t);
	int c, r;
	if (id && pipeline_find(&t->pipe, id, &c, &r) == 0) {
		t->pipe_col = c;
		t->pipe_row[c] = r;
	}
	fix_rows(t);
	t->pipe_drawn_valid = 0;
	t->dirty |= D_NAV | D_STATUS;
}

void pipe_view_reload(struct tui *t)
{
	if (!t->pipe_open)
		return;
	struct pipe_card *k = cur_card(t);
	reload_to(t, k ? k->id : 0);
}

static void move_card(struct tui *t, int dir)
{
	struct pipe_card *k = cur_card(t);
	if (t->read_only) {
		tui_message(t, 1, "read-only: not moved (kam was opened with --read-only)");
		return;
	}
	if (!k) {
		tui_message(t, 1, "no opportunity in this column");
		return;
	}
	uint64_t id = k->id;
	const char *to = NULL;
	char *cause = NULL;
	int rc = pipeline_move(t->st, t->cfg, id, k->version, dir, &to, &cause);
	if (rc) {
		tui_message(t, 1, "not moved: %s", cause ? cause : kam_strerror(rc));
		free(cause);
		return;
	}
	tui_reload(t); /* the navigator and the pipeline see the new version */
	reload_to(t, id);
	tui_message(t, 0, "moved opportunity %llu to %s", (unsigned long long)id,
		    t->cfg ? conf_enum_label(t->cfg, kam_enum_opp_stage, to) : to);
}

static void jump(struct tui *t)
{
	struct pipe_card *k = cur_card(t);
	if (!k || !k->acct) {
		tui_message(t, 1, "%s", k ? "no account for this opportunity" : "no opportunity in this column");
		return;
	}
	uint64_t acct = k->acct;
	pipe_view_close(t);
	tui_open_account(t, acct, DO_OPPS);
}

static void search(struct tui *t, int dir)
{
	if (!t->search || !*t->search) {
		tui_message(t, 0, "no search yet: / to search");
		return;
	}
	/* Cards in reading order: column by column, top to bottom. */
	int total = 0, at = 0;
	for (int c = 0; c < t->pipe.ncols; c++) {
		if (c == t->pipe_col)
			at = total + t->pipe_row[c];
		total += t->pipe.cols[c].n;
	}
	for (int k = 1; k <= total; k++) {
		int i = ((at + dir * k) % total + total) % total;
		for (int c = 0; c < t->pipe.ncols; c++) {
			if (i >= t->pipe.cols[c].n) {
				i -= t->pipe.cols[c].n;
				continue;
			}
			char *f = text_fold(t->pipe.cols[c].cards[i].text);
			int hit = strstr(f, t->search) != NULL;
			free(f);
			if (hit) {
				t->pipe_col = c;
				t->pipe_row[c] = i;
				fix_rows(t);
				t->dirty |= D_NAV | D_STATUS;
				return;
			}
			break;
		}
	}
	tui_message(t, 1, "not found: %s", t->search);
}

int pipe_view_action(struct tui *t, enum action_id a, const char *arg)
{
	int *row = &t->pipe_row[t->pipe_col];
	int n = cur_col(t) ? cur_col(t)->n : 0, page = body_height(t);
	switch (a) {
	case DO_DOWN:
		*row += 1;
		break;
	case DO_UP:
		*row -= 1;
		break;
	case DO_TOP:
		*row = 0;
		break;
	case DO_BOTTOM:
		*row = n - 1;
		break;
	case DO_HALF_DOWN:
		*row += page / 2;
		break;
	case DO_HALF_UP:
		*row -= page / 2;
		break;
	case DO_PAGE_DOWN:
		*row += page;
		break;
	case DO_PAGE_UP:
		*row -= page;
		break;
	case DO_PIPE_LEFT:
		if (t->pipe_col > 0)
			t->pipe_col--;
		break;
	case DO_PIPE_RIGHT:
		if (t->pipe_col + 1 < t->pipe.ncols)
			t->pipe_col++;
		break;
	case DO_STAGE_PREV:
		move_card(t, -1);
		return 1;
	case DO_STAGE_NEXT:
		move_card(t, 1);
		return 1;
	case DO_JUMP:
		jump(t);
		return 1;
	case DO_SEARCH:
		if (!arg)
			return 0; /* the prompt opens, and comes back with the text */
		free(t->search);
		t->search = text_fold(arg);
		search(t, 1);
		return 1;
	case DO_NEXT:
		search(t, 1);
		return 1;
	case DO_PREV:
		search(t, -1);
		return 1;
	case DO_PIPELINE:
		pipe_view_reload(t);
		return 1;
	default:
		return 0; /* q, ?, :, r, M ... as everywhere */
	}
	fix_rows(t);
	t->dirty |= D_NAV | D_STATUS;
	return 1;
}

/* --- drawing ------------------------------------------------------------------------ */

static void draw_chrome(struct tui *t, int shown, int colw)
{
	const char *path = store_path(t->st), *base = strrchr(path, '/');
	base = base && base[1] ? base + 1 : path;
	char *right = xasprintf("plan %d  %s  %s ", t->plan_year, base, store_user(t->st) ? store_user(t->st) : "");
	char *left = xasprintf(" kam  Accounts [Pipeline]%s", t->read_only ? "  (read-only)" : "");
	draw_lr(0, 0, left, right, t->w, theme_title);
	free(left);
	free(right);
	char *rule = xmalloc((size_t)t->w + 1);
	memset(rule, '-', (size_t)t->w);
	rule[t->w] = '\0';
	mvaddstr(1, 0, rule);
	for (int k = 1; k < shown; k++)
		rule[k * (colw + 1) - 1] = '+';
	mvaddstr(PIPE_BODY_Y - 1, 0, rule);
	free(rule);
	for (int y = 3; y < t->h - 1; y++)
		for (int k = 1; k < shown && y != PIPE_BODY_Y - 1; k++)
			mvaddch(y, k * (colw + 1) - 1, '|');
	/* Right of the last column: blank (the width rarely divides evenly). */
	int used = shown * (colw + 1) - 1;
	for (int y = 2; used < t->w && y < t->h - 1; y++)
		if (y != PIPE_BODY_Y - 1)
			draw_fit(y, used, "", t->w - used, TEXT_LEFT, A_NORMAL);
}

static void draw_title(struct tui *t, int shown)
{
	int64_t total = 0, weighted = 0;
	int n = 0;
	for (int c = 0; c < t->pipe.ncols; c++) {
		n += t->pipe.cols[c].n;
		total += t->pipe.cols[c].total;
		weighted += t->pipe.cols[c].weighted;
	}
	struct buf b = {0};
	buf_addf(&b, " Pipeline %d   %d open   total ", t->pipe.year, n);
	format_money_short(total, &b);
	buf_adds(&b, "   weighted ");
	format_money_short(weighted, &b);
	if (t->pipe.hidden)
		buf_addf(&b, "   +%d without an open stage", t->pipe.hidden);
	char *off = pipeline_offscreen(&t->pipe, t->pipe_first, shown);
	char *right = xasprintf("%s ", off);
	draw_lr(2, 0, b.p, right, t->w, theme_head);
	free(right);
	free(off);
	buf_free(&b);
}

static void draw_head(struct tui *t, int c, int x, int colw)
{
	char l1[1024], l2[1024];
	pipeline_head_lines(&t->pipe.cols[c], colw, c == t->pipe_col, l1, l2, sizeof l1);
	attrset(theme_head);
	mvaddstr(3, x, l1);
	mvaddstr(4, x, l2);
	attrset(A_NORMAL);
}

static void draw_card(struct tui *t, int c, int i, int x, int colw)
{
	struct pipe_col *col = &t->pipe.cols[c];
	int r = i - t->pipe_top[c];
	if (r < 0 || r >= body_height(t))
		return;
	int y = PIPE_BODY_Y + r;
	if (i >= col->n) {
		draw_fit(y, x, "", colw, TEXT_LEFT, A_NORMAL);
		return;
	}
	char line[1024];
	pipeline_card_line(&col->cards[i], colw, line, sizeof line);
	int cur = c == t->pipe_col && i == t->pipe_row[c];
	if (cur && t->arrow)
		line[0] = '>';
	attrset(cur && !t->arrow ? theme_cursor : A_NORMAL);
	mvaddstr(y, x, line);
	attrset(A_NORMAL);
}

static void draw_column(struct tui *t, int c, int x, int colw)
{
	draw_head(t, c, x, colw);
	for (int r = 0; r < body_height(t); r++)
		draw_card(t, c, t->pipe_top[c] + r, x, colw);
}

static void draw_status(struct tui *t, int shown)
{
	if (t->prompting) {
		prompt_draw(t);
		return;
	}
	struct buf b = {0};
	struct pipe_col *c = cur_col(t);
	if (c)
		buf_addf(&b, " %d/%d  %s", c->n ? t->pipe_row[t->pipe_col] + 1 : 0, c->n, c->stage);
	if (shown < t->pipe.ncols)
		buf_addf(&b, "  col %d/%d", t->pipe_col + 1, t->pipe.ncols);
	if (t->msg)
		buf_addf(&b, "   %s", t->msg);
	const char *right = "H/L move  Enter account  q close ";
	if (text_width(b.p) + text_width(right) > t->w - 1)
		right = "";
	int rw = text_width(right);
	/* The last cell of the screen is never written: some terminals scroll. */
	draw_fit(t->h - 1, 0, b.p, t->w - 1 - rw, TEXT_LEFT, t->msg && t->msg_warn ? theme_warn : A_NORMAL);
	draw_fit(t->h - 1, t->w - 1 - rw, right, rw, TEXT_LEFT, A_NORMAL);
	curs_set(0);
	buf_free(&b);
}

void pipe_view_draw(struct tui *t)
{
	unsigned d = t->dirty;
	fix_rows(t); /* the terminal may have been resized */
	int shown, colw;
	pipeline_fit(t->w, t->pipe.ncols, &shown, &colw);
	int full = (d & D_TABS) || !t->pipe_drawn_valid || t->pipe_drawn_first != t->pipe_first ||
		   t->pipe_drawn_arrow != t->arrow;
	int dc = t->pipe_drawn_col, cc = t->pipe_col;
	if (!full && (d & (D_NAV | D_DETAIL)) &&
	    (t->pipe_drawn_top[dc] != t->pipe_top[dc] || t->pipe_drawn_top[cc] != t->pipe_top[cc]))
		full = 1;
	if (full) {
		draw_chrome(t, shown, colw);
		draw_title(t, shown);
		for (int k = 0; k < shown && t->pipe_first + k < t->pipe.ncols; k++)
			draw_column(t, t->pipe_first + k, k * (colw + 1), colw);
		if (!t->pipe.ncols)
			draw_fit(PIPE_BODY_Y, 0, " (no stages)", t->w, TEXT_LEFT, A_NORMAL);
	} else if (d & (D_NAV | D_DETAIL)) {
		/* Only the cursor moved: the card it left, the card it is on,
		 * and both headers when the column changed. */
		int xd = (dc - t->pipe_first) * (colw + 1), xc = (cc - t->pipe_first) * (colw + 1);
		if (dc != cc) {
			draw_head(t, dc, xd, colw);
			draw_head(t, cc, xc, colw);
		}
		if (dc != cc || t->pipe_drawn_row != t->pipe_row[cc])
			draw_card(t, dc, t->pipe_drawn_row, xd, colw);
		draw_card(t, cc, t->pipe_row[cc], xc, colw);
	}
	if (full || (d & D_STATUS) || t->prompting)
		draw_status(t, shown);
	t->pipe_drawn_valid = 1;
	t->pipe_drawn_first = t->pipe_first;
	t->pipe_drawn_col = cc;
	t->pipe_drawn_row = t->pipe_row[cc];
	t->pipe_drawn_arrow = t->arrow;
	memcpy(t->pipe_drawn_top, t->pipe_top, sizeof t->pipe_drawn_top);
	leaveok(stdscr, !t->prompting);
}
