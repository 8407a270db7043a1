/* Drawing: the tabs line, the panes, the status line, the too-small screen.
 * Every row is written at its full width (no clear per frame), so curses
 * sends only the cells that really changed. */
#include "tui_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/text.h"
#include "kam/util.h"

#define NAV_SPLIT_MIN 52

int draw_nav_width(const struct tui *t)
{
	if (!tui_split(t))
		return t->w;
	return NAV_SPLIT_MIN + (t->w - 120) / 3;
}

void draw_fit(int y, int x, const char *s, int width, enum text_align al, attr_t attr)
{
	if (width <= 0)
		return;
	char *f = text_fit(s, width, al);
	attrset(attr);
	mvaddstr(y, x, f);
	attrset(A_NORMAL);
	free(f);
}

/* A list row whose last column is the pane's last: when a wide character
 * would end in that column, the text gets width-1 columns and a blank ends
 * it (some terminals wrap or mis-draw a wide character there). */
static void fit_row(const char *s, int width, char *out, size_t outsz)
{
	char *f = text_fit(s, width, TEXT_LEFT);
	size_t len = strlen(f), k = len;
	while (k > 0 && ((unsigned char)f[k - 1] & 0xc0) == 0x80)
		k--; /* back to the start of the last code point */
	uint32_t cp = 0;
	if (width > 1 && k > 0 && utf8_decode(f + k - 1, len - k + 1, &cp) > 1 && cp_width(cp) == 2) {
		free(f);
		char *g = text_fit(s, width - 1, TEXT_LEFT);
		snprintf(out, outsz, "%s ", g);
		free(g);
		return;
	}
	snprintf(out, outsz, "%s", f);
	free(f);
}

void draw_lr(int y, int x, const char *left, const char *right, int width, attr_t attr)
{
	int rw = text_width(right);
	if (rw > width / 2)
		rw = width / 2;
	draw_fit(y, x, left, width - rw, TEXT_LEFT, attr);
	draw_fit(y, x + width - rw, right, rw, TEXT_RIGHT, attr);
}

/* --- the navigator's rows -------------------------------------------------------- */

struct nav_cols {
	int name, tier, score, rev, kam, last;
};

static struct nav_cols nav_columns(int width)
{
	struct nav_cols c = {.tier = 8, .score = 5, .rev = 11};
	if (width >= 70) {
		c.kam = 11;
		c.last = 6;
	}
	c.name = width - c.tier - c.score - c.rev - c.kam - c.last;
	return c;
}

static void fit_cell(struct buf *b, const char *s, int w, enum text_align al)
{
	if (w <= 0)
		return;
	buf_grow(b, (size_t)w * 4 + 1);
	b->len += text_fit_into(b->p + b->len, s ? s : "", w, al);
	b->p[b->len] = '\0';
}

static void nav_row(void *ctx, int i, int width, char *out, size_t outsz, int *attr)
{
	struct tui *t = ctx;
	const struct nav_row *r = &t->nav.rows[i];
	const struct nav_acct *a = &t->nav.a[r->acct];
	struct nav_cols c = nav_columns(width);
	struct buf b = {0}, tmp = {0};
	char glyph = ' ';
	if (!t->nav.flat && !t->nav.filter)
		glyph = a->nkids ? (a->folded ? '+' : '-') : (r->depth ? '.' : ' ');
	int indent = r->depth * 2 < c.name / 2 ? r->depth * 2 : c.name / 2;
	buf_addf(&tmp, "%*s%c %s", indent, "", glyph, a->name);
	fit_cell(&b, tmp.p, c.name, TEXT_LEFT);
	buf_reset(&tmp);
	const struct record *rec = a->rec;
	/* Tier and score come from the YAML rules; '*' marks an account flagged
	 * key or strategic by hand. */
	buf_addf(&tmp, " %.5s%s", a->tier ? a->tier : "--",
		 rec->v[ACCOUNT_STRATEGIC].i || rec->v[ACCOUNT_KEY].i ? "*" : "");
	fit_cell(&b, tmp.p, c.tier, TEXT_LEFT);
	buf_reset(&tmp);
	if (a->tier)
		buf_addf(&tmp, "%.0f", a->score);
	fit_cell(&b, a->tier ? tmp.p : "--", c.score, TEXT_RIGHT);
	buf_reset(&tmp);
	if (a->has_revenue)
		format_money_short(a->revenue, &tmp);
	fit_cell(&b, a->has_revenue ? tmp.p : "--", c.rev - 1, TEXT_RIGHT);
	buf_addc(&b, ' ');
	buf_reset(&tmp);
	if (c.kam) {
		buf_addf(&tmp, " %s", a->kam ? a->kam : "--");
		fit_cell(&b, tmp.p, c.kam, TEXT_LEFT);
		buf_reset(&tmp);
		int64_t last = nav_last_contact(&t->nav, r->acct);
		if (last)
			buf_addf(&tmp, "%lldd", (long long)(date_to_days(t->nav.today) - date_to_days(last)));
		fit_cell(&b, last ? tmp.p : "--", c.last, TEXT_RIGHT);
	}
	snprintf(out, outsz, "%s", b.p ? b.p : "");
	*attr = 0;
	buf_free(&b);
	buf_free(&tmp);
}

static int nav_matches(void *ctx, int i, const char *needle)
{
	struct tui *t = ctx;
	return nav_row_matches(&t->nav, i, needle);
}

const struct list_ops nav_list_ops = {nav_row, nav_matches};

static void nav_header(struct tui *t, int y, int width)
{
	struct nav_cols c = nav_columns(width - 1);
	struct buf b = {0};
	char rev[16];
	snprintf(rev, sizeof rev, "Rev %d", t->nav.rev_year);
	fit_cell(&b, " ", 1, TEXT_LEFT);
	fit_cell(&b, "  Account", c.name, TEXT_LEFT);
	fit_cell(&b, " Tier", c.tier, TEXT_LEFT);
	fit_cell(&b, "Score", c.score, TEXT_RIGHT);
	fit_cell(&b, rev, c.rev - 1, TEXT_RIGHT);
	buf_addc(&b, ' ');
	if (c.kam) {
		fit_cell(&b, " KAM", c.kam, TEXT_LEFT);
		fit_cell(&b, "Last", c.last, TEXT_RIGHT);
	}
	draw_fit(y, 0, b.p, width, TEXT_LEFT, theme_head);
	buf_free(&b);
}

/* --- the detail pane ---------------------------------------------------------------- */

static void detail_row(void *ctx, int i, int width, char *out, size_t outsz, int *attr)
{
	struct tui *t = ctx;
	const struct dline *l = &t->det.lines[i];
	fit_row(l->text, width, out, outsz);
	*attr = l->style == DL_HEAD ? (int)theme_head : l->style == DL_WARN ? (int)theme_warn : 0;
}

static int detail_matches(void *ctx, int i, const char *needle)
{
	struct tui *t = ctx;
	char *f = text_fold(t->det.lines[i].text);
	int hit = strstr(f, needle) != NULL;
	free(f);
	return hit;
}

const struct list_ops detail_list_ops = {detail_row, detail_matches};

static void detail_tabs(struct tui *t, int y, int x, int width)
{
	struct buf b = {0};
	for (int s = 0; s < DETAIL__COUNT; s++) {
		int cur = (int)t->det.sub == s;
		buf_addf(&b, "%s%s%d %s%s", s ? " " : " ", cur ? "[" : "", s + 1, detail_sub_name((enum detail_sub)s),
			 cur ? "]" : "");
	}
	draw_fit(y, x, b.p, width, TEXT_LEFT, A_NORMAL);
	buf_free(&b);
}

static void draw_detail(struct tui *t, int x, int width, int full)
{
	full = full || !t->detl.drawn_valid;
	if (!t->det.account) {
		draw_fit(2, x, " (no account)", width, TEXT_LEFT, A_NORMAL);
		for (int y = 3; y < t->h - 1; y++)
			draw_fit(y, x, "", width, TEXT_LEFT, A_NORMAL);
		return;
	}
	if (full) {
		char *title = xasprintf(" %s", t->det.title);
		draw_lr(2, x, title, t->det.flags, width - 1, theme_title);
		draw_fit(2, x + width - 1, "", 1, TEXT_LEFT, A_NORMAL);
		free(title);
		detail_tabs(t, 3, x, width);
	}
	list_draw(&t->detl, &detail_list_ops, t, 4, x, width, full, t->focus ? 1 : 0, t->arrow);
}

/* --- chrome --------------------------------------------------------------------------- */

static const char *base_name(const char *path)
{
	const char *s = strrchr(path, '/');
	while (s && s[1] == '\0' && s > path) { /* trailing slash */
		const char *p = s - 1;
		while (p > path && *p != '/')
			p--;
		return *p == '/' ? p + 1 : p;
	}
	return s ? s + 1 : path;
}

static void draw_tabs(struct tui *t)
{
	char *right = xasprintf("plan %d  %s  %s ", t->plan_year, base_name(store_path(t->st)),
				store_user(t->st) ? store_user(t->st) : "");
	char *left = t->gv.kind ? xasprintf(" kam  Accounts [%s]%s", t->gv.title, t->read_only ? "  (read-only)" : "")
				: xasprintf(" kam  [Accounts]%s", t->read_only ? "  (read-only)" : "");
	draw_lr(0, 0, left, right, t->w, theme_title);
	free(left);
	free(right);
	char *rule = xmalloc((size_t)t->w + 1);
	memset(rule, '-', (size_t)t->w);
	rule[t->w] = '\0';
	int split = tui_split(t) && !t->help && !t->form && !t->gv.kind;
	if (split)
		rule[draw_nav_width(t)] = '+';
	mvaddstr(1, 0, rule);
	free(rule);
	for (int y = 2; split && y < t->h - 1; y++)
		mvaddch(y, draw_nav_width(t), '|');
}

static void draw_status(struct tui *t)
{
	if (t->prompting) {
		prompt_draw(t);
		return;
	}
	struct buf b = {0};
	if (t->help)
		buf_addf(&b, " %d/%d  help", t->helpl.pos.n ? t->helpl.pos.cur + 1 : 0, t->helpl.pos.n);
	else if (t->gv.kind)
		buf_addf(&b, " %d/%d  %s", t->gvl.pos.n ? t->gvl.pos.cur + 1 : 0, t->gvl.pos.n,
			 t->gv.foot ? t->gv.foot : "");
	else
		buf_addf(&b, " %d/%d  sort: %s%s", t->nav.nrows ? t->navl.pos.cur + 1 : 0, t->nav.nrows,
			 nav_sort_name(t->nav.sort), t->nav.reverse ? " rev" : "");
	if (!t->help && !t->gv.kind && t->nav.filter)
		buf_addf(&b, "  filter: %s", t->nav.filter);
	if (!t->help && !t->gv.kind && t->nav.flat)
		buf_adds(&b, "  flat");
	if (t->msg)
		buf_addf(&b, "   %s", t->msg);
	const char *right = t->help ? "q close " : t->gv.kind ? "Enter account  q close " : "? help  : command ";
	if (text_width(b.p) + text_width(right) > t->w - 1)
		right = ""; /* a message wins over the key hints */
	/* The last cell of the screen is never written: some terminals scroll. */
	draw_lr(t->h - 1, 0, b.p, right, t->w - 1, t->msg && t->msg_warn ? theme_warn : A_NORMAL);
	if (!t->form)
		curs_set(0);
	buf_free(&b);
}

static void draw_help(struct tui *t)
{
	draw_fit(2, 0, " Keys in this context (q, ? or Esc closes; : runs an action by name)", t->w, TEXT_LEFT,
		 theme_head);
	list_draw(&t->helpl, &help_list_ops, t, 3, 0, t->w, 0, 1, t->arrow);
}

/* --- global views ------------------------------------------------------------------- */

static void gview_row(void *ctx, int i, int width, char *out, size_t outsz, int *attr)
{
	struct tui *t = ctx;
	fit_row(t->gv.rows[i], width, out, outsz);
	*attr = 0;
}

static int gview_matches(void *ctx, int i, const char *needle)
{
	struct tui *t = ctx;
	char *f = text_fold(t->gv.rows[i]);
	int hit = strstr(f, needle) != NULL;
	free(f);
	return hit;
}

const struct list_ops gview_list_ops = {gview_row, gview_matches};

void gview_draw(struct tui *t, int full)
{
	full = full || !t->gvl.drawn_valid;
	if (full) {
		char *head = xasprintf(" %s", t->gv.head ? t->gv.head : "");
		draw_fit(2, 0, head, t->w, TEXT_LEFT, theme_head);
		free(head);
	}
	list_draw(&t->gvl, &gview_list_ops, t, 3, 0, t->w, full, 1, t->arrow);
	if (!t->gv.n && full)
		draw_fit(3, 0, t->gv.kind == VLIST_MESSAGES ? " (no messages)" : " (none)", t->w, TEXT_LEFT, A_NORMAL);
}

void draw_frame(struct tui *t)
{
	unsigned d = t->dirty;
	if (d & D_TABS)
		draw_tabs(t);
	if (t->form) {
		if (d & (D_NAV | D_DETAIL))
			form_draw(t);
	} else if (t->help) {
		if (d & (D_NAV | D_DETAIL))
			draw_help(t);
	} else if (t->gv.kind) {
		if (d & (D_NAV | D_DETAIL))
			gview_draw(t, (d & D_TABS) != 0);
	} else if (t->detail_full) {
		if (d & D_DETAIL)
			draw_detail(t, 0, t->w, (d & D_TABS) != 0);
	} else {
		int nw = draw_nav_width(t);
		if (d & D_NAV) {
			if ((d & D_TABS) || !t->navl.drawn_valid)
				nav_header(t, 2, nw);
			if (d & D_TABS)
				t->navl.drawn_valid = 0;
			list_draw(&t->navl, &nav_list_ops, t, 3, 0, nw, 0, t->focus ? 2 : 1, t->arrow);
		}
		if (tui_split(t) && (d & D_DETAIL))
			draw_detail(t, nw + 1, t->w - nw - 1, (d & D_TABS) != 0);
	}
	if (d & (D_STATUS | D_TABS) || t->prompting)
		draw_status(t);
	/* The terminal cursor matters only while typing; elsewhere curses need
	 * not move it after each update (saves bytes per frame). */
	leaveok(stdscr, !t->form && !t->prompting);
	form_place_cursor(t); /* last: the terminal cursor ends in the field */
}

void draw_too_small(struct tui *t)
{
	erase();
	int y = t->h / 2 - 2 > 0 ? t->h / 2 - 2 : 0;
	mvaddstr(y, 3, "kam needs a terminal of at least 80x24.");
	char *s = xasprintf("This one is %dx%d. Enlarge it, or press q to quit.", t->w, t->h);
	mvaddstr(y + 1, 3, s);
	free(s);
}
