/* The planning views (issue 6): Budget (B), Portfolio (p), White space (W)
 * and the user's Today (T). They are global views: rows from src/view
 * (budget.c, portfolio.c, whitespace.c, vlist.c), drawn by the one list
 * widget, so a cursor move repaints the two rows it touches. Here: what
 * each view is built from, b (the Budget's next grouping), Enter into a
 * budget group and q back out of it, A (Today: mine / everybody's). */
#include "tui_impl.h"

#include <stdlib.h>
#include <string.h>

#include "kam/model.h"
#include "kam/text.h"
#include "kam/util.h"

static void ws_drop(struct tui *t)
{
	for (int i = 0; t->ws_rows && i < t->ws_n; i++)
		free(t->ws_rows[i]);
	free(t->ws_rows);
	free(t->ws_head);
	t->ws_rows = NULL;
	t->ws_head = NULL;
	t->ws_n = 0;
}

/* Show the white space from offering column t->ws_first: t->gv's rows are
 * slices of the rows as built, which ws_rows keeps. */
static void ws_slice(struct tui *t)
{
	if (!t->ws_rows) {
		if (!t->ws_first)
			return;
		t->ws_rows = t->gv.rows;
		t->ws_head = t->gv.head;
		t->ws_n = t->gv.n;
		t->gv.rows = xcalloc((size_t)t->ws_n + 1, sizeof *t->gv.rows);
	} else {
		for (int i = 0; i < t->gv.n; i++)
			free(t->gv.rows[i]);
		free(t->gv.head);
	}
	for (int i = 0; i < t->ws_n; i++)
		t->gv.rows[i] = vlist_ws_slice(t->ws_rows[i], t->ws_first);
	t->gv.head = vlist_ws_slice(t->ws_head ? t->ws_head : "", t->ws_first);
}

static int ws_columns(const struct tui *t)
{
	const char *head = t->ws_head ? t->ws_head : t->gv.head ? t->gv.head : "";
	int w = text_width(head) - VLIST_WS_FIXED;
	return w > 0 ? (w + VLIST_WS_CELL - 1) / VLIST_WS_CELL : 0;
}

static void ws_scroll(struct tui *t, int dir)
{
	if (t->gv.kind != VLIST_WHITESPACE) {
		tui_message(t, 1, "%s: only in the White space view (W)",
			    dir < 0 ? "offerings-left" : "offerings-right");
		return;
	}
	int n = ws_columns(t), first = t->ws_first + dir;
	if (first < 0 || first >= n) {
		tui_message(t, 0, "%s", first < 0 ? "the first offering" : "the last offering");
		return;
	}
	t->ws_first = first;
	ws_slice(t);
	t->gvl.drawn_valid = 0;
	t->dirty |= D_ALL;
	tui_message(t, 0, "offerings %d-%d of %d (h/l)", first + 1, n, n);
}

int plan_view_build(struct tui *t, enum vlist_kind kind, char **cause)
{
	ws_drop(t); /* the rows they slice are about to go */
	switch (kind) {
	case VLIST_BUDGET:
		return vlist_budget(&t->gv, t->st, t->cfg, t->plan_year, t->budget_by, t->budget_drill, t->nav.today,
				    cause);
	case VLIST_PORTFOLIO:
		return vlist_portfolio(&t->gv, t->st, t->cfg, t->plan_year, t->nav.today, cause);
	case VLIST_WHITESPACE: {
		int rc = vlist_whitespace(&t->gv, t->st, t->cfg, t->plan_year, t->nav.today, cause);
		if (t->ws_first >= ws_columns(t))
			t->ws_first = 0;
		ws_slice(t);
		return rc;
	}
	case VLIST_TODAY: {
		/* As `kam agenda --me`: the agenda of the staff whose login
		 * kam runs as; everybody's when toggled, or when the login is
		 * no staff's. */
		uint64_t me = t->today_all ? 0 : vlist_staff_of_login(t->st, store_user(t->st));
		int rc = vlist_today_staff(&t->gv, t->st, t->cfg, t->nav.today, me, cause);
		if (me || t->today_all) {
			char *title = xasprintf("%s - %s", t->gv.title, me ? "mine" : "all");
			free(t->gv.title);
			t->gv.title = title;
		}
		return rc;
	}
	default:
		return 0;
	}
}

/* These views run the planning reports over the whole database, which takes
 * a while on a large one: say so on the status line before the wait (one
 * row, sent at once). */
static void busy(struct tui *t, const char *what)
{
	if (t->too_small)
		return;
	char *s = xasprintf(" %s ...", what);
	char *f = text_fit(s, t->w - 1, TEXT_LEFT);
	mvaddstr(t->h - 1, 0, f);
	wnoutrefresh(stdscr);
	doupdate();
	free(f);
	free(s);
}

static int budget_by_parse(struct tui *t, const char *arg)
{
	for (int k = 0; vlist_budget_by[k]; k++)
		if (strncmp(vlist_budget_by[k], arg, strlen(arg)) == 0 && *arg)
			return k;
	tui_message(t, 1, "budget: no grouping '%s' (region, tier, type, account, quarter, kam)", arg);
	return -1;
}

static void budget_open(struct tui *t, const char *arg, int next)
{
	int by = t->budget_by;
	if (arg && (by = budget_by_parse(t, arg)) < 0)
		return;
	if (!arg && next) {
		int n = 0;
		while (vlist_budget_by[n])
			n++;
		by = (by + 1) % n;
	}
	t->budget_by = by;
	free(t->budget_drill);
	t->budget_drill = NULL;
	busy(t, "adding up the brand-activity budgets");
	gview_open(t, VLIST_BUDGET);
}

void plan_view_action(struct tui *t, enum action_id a, const char *arg)
{
	switch (a) {
	case DO_BUDGET:
		budget_open(t, arg, 0);
		break;
	case DO_PORTFOLIO:
		busy(t, "scoring the portfolio");
		gview_open(t, VLIST_PORTFOLIO);
		break;
	case DO_WHITESPACE:
		t->ws_first = 0;
		busy(t, "mapping the white space");
		gview_open(t, VLIST_WHITESPACE);
		break;
	case DO_BUDGET_BY:
		if (t->gv.kind != VLIST_BUDGET)
			tui_message(t, 1, "budget-by: only in the Budget view (B)");
		else
			budget_open(t, arg, 1);
		break;
	case DO_TODAY_ALL:
		if (t->gv.kind != VLIST_TODAY) {
			tui_message(t, 1, "today-all: only in the Today view (T)");
			break;
		}
		t->today_all = !t->today_all;
		gview_open(t, VLIST_TODAY);
		if (!t->today_all && !vlist_staff_of_login(t->st, store_user(t->st)))
			tui_message(t, 1, "no staff has the login '%s' (kam user add): everybody's agenda",
				    store_user(t->st) ? store_user(t->st) : "");
		else
			tui_message(t, 0, "today: %s", t->today_all ? "everybody's agenda" : "my agenda");
		break;
	case DO_WS_LEFT:
		ws_scroll(t, -1);
		break;
	case DO_WS_RIGHT:
		ws_scroll(t, 1);
		break;
	default:
		break;
	}
}

int plan_view_jump(struct tui *t)
{
	if (t->gv.kind != VLIST_BUDGET || t->budget_drill || !t->gv.key)
		return 0;
	const char *key = t->gv.key[t->gvl.pos.cur];
	if (!key)
		return 0; /* an account row (or the total): as any view */
	t->budget_row = t->gvl.pos.cur;
	t->budget_drill = xstrdup(key);
	busy(t, "listing the group's brand activities");
	gview_open(t, VLIST_BUDGET);
	return 1;
}

int plan_view_back(struct tui *t)
{
	if (t->help || t->gv.kind != VLIST_BUDGET || !t->budget_drill)
		return 0;
	free(t->budget_drill);
	t->budget_drill = NULL;
	int row = t->budget_row;
	gview_open(t, VLIST_BUDGET);
	if (row < t->gv.n)
		listpos_set(&t->gvl.pos, row);
	return 1;
}

void plan_view_free(struct tui *t)
{
	ws_drop(t);
	free(t->budget_drill);
	t->budget_drill = NULL;
}
