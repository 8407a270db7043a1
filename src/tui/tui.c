/* The workstation: terminal set-up and restore, signals, the frame loop and
 * the dispatch of keys to actions. */
#include "kam/tui.h"

#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/access.h"
#include "kam/conf.h"
#include "kam/err.h"
#include "kam/rules.h"
#include "kam/text.h"
#include "kam/util.h"
#include "tui_impl.h"

#define MIN_W 80
#define MIN_H 24
#define SPLIT_W 120
#define POLL_MS 3000 /* default: how often an idle kam looks for other users' commits */
/* The detail follows the cursor once the keys rest this long (ms). */
#define FOLLOW_DELAY_MS 200

#define KAM_ACTION_ROW(ID, name, key, key2, ctx, args, help) {name, key, key2, ctx, args, help},
struct action tui_actions[DO__COUNT] = {KAM_ACTIONS(KAM_ACTION_ROW)};
#undef KAM_ACTION_ROW

attr_t theme_head = A_BOLD, theme_warn = A_BOLD, theme_cursor = A_REVERSE, theme_title = A_BOLD;

/* --- terminal ownership ------------------------------------------------------ */

static volatile sig_atomic_t curses_on;
static volatile sig_atomic_t quit_signal;

static void terminal_restore(void)
{
	if (curses_on && !isendwin())
		endwin();
	curses_on = 0;
}

static void on_quit_signal(int sig)
{
	quit_signal = sig;
}

/* A crash must not leave the user's terminal in raw mode: restore it, then
 * die of the same signal so the exit status and core dump stay truthful. */
static void on_crash(int sig)
{
	terminal_restore();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void signals_install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit_signal; /* no SA_RESTART: the key read returns */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGABRT, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
}

static void theme_init(void)
{
	/* NO_COLOR (no-color.org) and monochrome terminals: attributes only. */
	const char *nc = getenv("NO_COLOR");
	if ((nc && *nc) || !has_colors())
		return;
	start_color();
	use_default_colors();
	init_pair(1, COLOR_CYAN, -1);
	init_pair(2, COLOR_RED, -1);
	theme_head = A_BOLD | COLOR_PAIR(1);
	theme_warn = COLOR_PAIR(2);
	theme_title = A_BOLD | COLOR_PAIR(1);
}

static void terminal_setup(void)
{
	/* A short ESC wait so Esc feels instant; the user's ESCDELAY wins. */
	if (!getenv("ESCDELAY"))
		set_escdelay(25);
	initscr();
	curses_on = 1;
	atexit(terminal_restore);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	/* Hardware scrolling would move the other pane too: off by default
	 * (see layout()). */
	idlok(stdscr, FALSE);
	curs_set(0);
	mousemask(0, NULL);
	theme_init();
}

/* --- state helpers ------------------------------------------------------------- */

void tui_message(struct tui *t, int warn, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *raw = xvasprintf(fmt, ap);
	va_end(ap);
	free(t->msg);
	t->msg = text_sanitize(raw);
	free(raw);
	gview_log(t, t->msg);
	t->msg_warn = warn;
	t->dirty |= D_STATUS;
}

int tui_split(const struct tui *t)
{
	return t->w >= SPLIT_W;
}

unsigned tui_context(const struct tui *t)
{
	if (t->help)
		return CTX_HELP;
	if (t->pipe_open)
		return CTX_VIEW | CTX_PIPE;
	if (t->gv.kind)
		return CTX_VIEW;
	return t->focus ? CTX_DETAIL : CTX_NAV;
}

const struct record *tui_current_account(const struct tui *t)
{
	if (t->nav.nrows == 0)
		return NULL;
	return t->nav.a[t->nav.rows[t->navl.pos.cur].acct].rec;
}

static uint64_t current_id(const struct tui *t)
{
	const struct record *r = tui_current_account(t);
	return r ? r->id : 0;
}

static int detail_height(const struct tui *t)
{
	return t->h - 5; /* tabs, rule, title, sub-view tabs, status */
}

static void layout(struct tui *t)
{
	getmaxyx(stdscr, t->h, t->w);
	t->too_small = t->w < MIN_W || t->h < MIN_H;
	if (tui_split(t))
		t->detail_full = 0;
	t->navl.jump_half = t->detl.jump_half = tui_split(t);
	list_resize(&t->navl, t->nav.nrows, t->h - 4);
	list_resize(&t->detl, t->det.nlines, detail_height(t));
	list_resize(&t->helpl, t->nhelp, t->h - 4);
	list_resize(&t->gvl, t->gv.n, t->h - 4);
	/* One pane: the list spans whole lines, so curses may scroll them with
	 * insert/delete line. Side by side a hardware scroll would move the
	 * other pane too, and repainting it costs more than it saves. */
	idlok(stdscr, !tui_split(t));
	t->dirty = D_ALL;
}

/* Put the navigator's cursor on account id (or keep the row). */
static void nav_cursor_to(struct tui *t, uint64_t id)
{
	int row = id ? nav_reveal(&t->nav, id) : -1;
	list_resize(&t->navl, t->nav.nrows, t->h - 4);
	if (row >= 0)
		listpos_set(&t->navl.pos, row);
	if (t->follow || !t->det_want)
		t->det_want = current_id(t);
	t->det_stale = 1;
	t->dirty |= D_NAV | D_DETAIL | D_STATUS;
}

/* Score every account with the YAML rules (kam score does the same), so
 * the navigator shows tier and score and the Overview explains them. */
static void rescore(struct tui *t)
{
	struct score_set *fresh = NULL;
	char *cause = NULL;
	if (!t->cfg)
		return;
	if (rules_score_all(t->st, t->cfg, &fresh, &cause) != 0) {
		tui_message(t, 1, "scores unavailable: %s", cause ? cause : "rules failed");
		fresh = NULL;
	}
	free(cause);
	nav_set_scores(&t->nav, fresh);
	nav_rebuild(&t->nav);
	score_set_free(t->scores);
	t->scores = fresh;
	t->det.scores = fresh;
}

void tui_reload(struct tui *t)
{
	uint64_t id = current_id(t);
	struct navtree fresh;
	char *cause = NULL;
	if (nav_load(&fresh, t->st, &t->nav, t->nav.rev_year, &cause) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
		return;
	}
	nav_free(&t->nav);
	t->nav = fresh;
	t->last_txnid = t->nav.txnid;
	rescore(t);
	nav_cursor_to(t, id);
	gview_reload(t);
	pipe_view_reload(t);
}

/* The account a record belongs to (its first reference to an account). */
static uint64_t account_of(const struct record *r)
{
	if (r->ent == ENTITY(account))
		return r->id;
	for (int f = 0; f < r->ent->nfields; f++)
		if (field_ref_entity(&r->ent->fields[f]) == ENTITY(account) && r->v[f].set)
			return (uint64_t)r->v[f].i;
	return 0;
}

void tui_saved(struct tui *t, const struct record *r)
{
	uint64_t now = store_last_txnid(t->st);
	/* A commit of someone else's in between, an account added, or a
	 * year's figures (the revenue column): read everything again. */
	if (now != t->last_txnid + 1 || r->ent == ENTITY(account_year) ||
	    (r->ent == ENTITY(account) && nav_find(&t->nav, r->id) < 0)) {
		tui_reload(t);
		return;
	}
	uint64_t id = current_id(t);
	t->last_txnid = now;
	if (r->ent == ENTITY(account))
		nav_replace(&t->nav, r);
	int k = nav_find(&t->nav, account_of(r));
	if (k >= 0)
		t->nav.a[k].last_contact = NAV_UNREAD;
	rescore(t);
	nav_cursor_to(t, id);
	gview_reload(t);
	pipe_view_reload(t);
}

/* Other users' commits show up without a restart; nothing is drawn unless
 * the database actually changed. */
static void poll_store(struct tui *t)
{
	if (store_last_txnid(t->st) != t->last_txnid)
		tui_reload(t);
}

static void detail_refresh(struct tui *t)
{
	int k = nav_find(&t->nav, t->det_want);
	const struct record *r = k >= 0 ? t->nav.a[k].rec : tui_current_account(t);
	char *cause = NULL;
	if (detail_build(&t->det, t->st, r, t->nav.today, &cause) != 0) {
		tui_message(t, 1, "%s", cause);
		free(cause);
	}
	t->detl.pos.cur = t->detl.pos.top = 0;
	list_resize(&t->detl, t->det.nlines, detail_height(t)); /* also forces a full repaint */
	t->det_stale = 0;
	t->dirty |= D_DETAIL;
}

static int detail_visible(const struct tui *t)
{
	return tui_split(t) || t->detail_full;
}

/* --- actions --------------------------------------------------------------------- */

static struct list *focused_list(struct tui *t)
{
	if (t->help)
		return &t->helpl;
	if (t->gv.kind)
		return &t->gvl;
	return t->focus ? &t->detl : &t->navl;
}

static const struct list_ops *focused_ops(struct tui *t, void **ctx)
{
	*ctx = t;
	if (t->help)
		return &help_list_ops;
	if (t->gv.kind)
		return &gview_list_ops;
	return t->focus ? &detail_list_ops : &nav_list_ops;
}

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The detail shows the cursor's account now (a pending follow is done). */
static void follow_apply(struct tui *t)
{
	t->follow_due = 0;
	if (t->det_want == current_id(t))
		return;
	t->det_want = current_id(t);
	t->det_stale = 1;
	t->dirty |= detail_visible(t) ? D_DETAIL : 0;
}

static void after_move(struct tui *t)
{
	if (t->help || t->gv.kind) {
		t->dirty |= D_NAV | (t->gv.kind ? D_STATUS : 0);
		return;
	}
	if (t->focus) {
		t->dirty |= D_DETAIL;
	} else {
		t->dirty |= D_NAV | D_STATUS;
		/* Repainting the detail costs several times the cursor move:
		 * it follows once the keys rest (a held j, a burst), not per
		 * key. */
		if (t->follow && t->det_want != current_id(t)) {
			if (t->follow_delay > 0 && detail_visible(t))
				t->follow_due = now_ms() + t->follow_delay;
			else
				follow_apply(t);
		}
	}
}

/* Show the cursor's account in the detail (Enter, l, a sub-view key). */
static void detail_target_cursor(struct tui *t)
{
	t->follow_due = 0;
	if (t->focus || t->det_want == current_id(t))
		return;
	t->det_want = current_id(t);
	t->det_stale = 1;
	t->dirty |= D_DETAIL;
}

static void do_search(struct tui *t, const char *text, int dir)
{
	if (text) {
		free(t->search);
		t->search = text_fold(text);
	}
	if (!t->search || !*t->search) {
		tui_message(t, 0, "no search yet: / to search");
		return;
	}
	void *ctx;
	const struct list_ops *ops = focused_ops(t, &ctx);
	if (list_search(focused_list(t), ops, ctx, t->search, dir)) {
		after_move(t);
		return;
	}
	/* The navigator also finds accounts inside folded groups. */
	for (int i = 0; !t->focus && !t->help && i < t->nav.na; i++) {
		if (strstr(t->nav.a[i].fold, t->search)) {
			nav_cursor_to(t, t->nav.a[i].id);
			t->navl.drawn_valid = 0;
			after_move(t);
			return;
		}
	}
	tui_message(t, 1, "not found: %s", t->search);
}

static struct nav_acct *cur_acct(struct tui *t)
{
	return t->nav.nrows ? &t->nav.a[t->nav.rows[t->navl.pos.cur].acct] : NULL;
}

static void fold_set(struct tui *t, int how) /* 1 fold, 0 unfold, -1 toggle */
{
	struct nav_acct *a = cur_acct(t);
	if (!a || t->nav.flat || t->nav.filter)
		return;
	uint64_t id = a->id;
	if (!a->nkids) {
		/* '-' on a leaf folds its parent, like tig and mutt's collapse. */
		if (how != 1 || !a->parent)
			return;
		a = &t->nav.a[nav_find(&t->nav, a->parent)];
		id = a->id;
	}
	a->folded = how < 0 ? !a->folded : how;
	nav_rebuild(&t->nav);
	nav_cursor_to(t, id);
	t->navl.drawn_valid = 0;
}

static void set_sub(struct tui *t, enum detail_sub s)
{
	detail_target_cursor(t);
	if (t->det.sub != s) {
		t->det.sub = s;
		t->det_stale = 1;
	}
	if (!tui_split(t) && !t->detail_full && t->nav.nrows) {
		t->detail_full = 1;
		t->focus = 1;
	}
	t->dirty |= D_DETAIL | D_NAV | D_STATUS;
}

static void set_year(struct tui *t, int year)
{
	if (year < 1900 || year > 9999) {
		tui_message(t, 1, "year out of range: %d", year);
		return;
	}
	t->plan_year = year;
	t->det.year = year;
	t->det_stale = 1;
	t->dirty |= D_DETAIL | D_TABS;
}

static void do_sort(struct tui *t, const char *arg)
{
	uint64_t id = current_id(t);
	if (arg && *arg) {
		int k;
		for (k = 0; k < NAV_SORT__COUNT; k++)
			if (strncmp(nav_sort_name((enum nav_sort)k), arg, strlen(arg)) == 0)
				break;
		if (k == NAV_SORT__COUNT) {
			tui_message(t, 1, "unknown sort key: %s (revenue, score, name, last, kam)", arg);
			return;
		}
		t->nav.sort = (enum nav_sort)k;
	} else {
		t->nav.sort = (enum nav_sort)((t->nav.sort + 1) % NAV_SORT__COUNT);
	}
	nav_rebuild(&t->nav);
	nav_cursor_to(t, id);
	t->navl.drawn_valid = 0;
}

static void do_goto(struct tui *t, const char *arg)
{
	int64_t id;
	if (!arg || parse_int64(arg, &id) != 0 || id <= 0) {
		tui_message(t, 1, "usage: :goto ID");
		return;
	}
	if (nav_find(&t->nav, (uint64_t)id) < 0) {
		tui_message(t, 1, "no account %lld", (long long)id);
		return;
	}
	t->focus = 0;
	t->detail_full = 0;
	nav_cursor_to(t, (uint64_t)id);
	t->navl.drawn_valid = 0;
}

static void do_back(struct tui *t)
{
	if (t->help) {
		help_close(t);
	} else if (t->pipe_open) {
		pipe_view_close(t);
	} else if (plan_view_back(t)) {
		/* from a budget group's activities back to the groups */
	} else if (t->gv.kind) {
		gview_close(t);
	} else if (t->detail_full) {
		t->detail_full = 0;
		t->focus = 0;
		t->dirty = D_ALL;
		t->navl.drawn_valid = 0;
	} else if (t->focus) {
		t->focus = 0;
		t->dirty |= D_NAV | D_DETAIL;
		t->navl.drawn_valid = t->detl.drawn_valid = 0;
	} else {
		t->quit = 1;
	}
}

static void do_pane(struct tui *t, int right)
{
	if (t->help)
		return;
	if (right && !t->focus && t->nav.nrows) {
		detail_target_cursor(t);
		t->focus = 1;
		if (!tui_split(t))
			t->detail_full = 1;
	} else if (!right && t->focus) {
		t->focus = 0;
		t->detail_full = 0;
	} else {
		return;
	}
	t->navl.drawn_valid = t->detl.drawn_valid = 0;
	t->dirty = D_ALL;
}

static void list_action(struct tui *t, enum action_id a)
{
	struct listpos *p = &focused_list(t)->pos;
	int page = p->height > 1 ? p->height : 1;
	switch (a) {
	case DO_DOWN:
		listpos_move(p, 1);
		break;
	case DO_UP:
		listpos_move(p, -1);
		break;
	case DO_TOP:
		listpos_home(p);
		break;
	case DO_BOTTOM:
		listpos_end(p);
		break;
	case DO_HALF_DOWN:
		listpos_scroll(p, page / 2);
		break;
	case DO_HALF_UP:
		listpos_scroll(p, -(page / 2));
		break;
	case DO_PAGE_DOWN:
		listpos_scroll(p, page);
		break;
	case DO_PAGE_UP:
		listpos_scroll(p, -page);
		break;
	default:
		return;
	}
	after_move(t);
}

static void toggle_flat(struct tui *t)
{
	uint64_t id = current_id(t);
	t->nav.flat = !t->nav.flat;
	nav_rebuild(&t->nav);
	nav_cursor_to(t, id);
	t->navl.drawn_valid = 0;
	tui_message(t, 0, "%s", t->nav.flat ? "flat list" : "tree");
}

static void do_filter(struct tui *t, const char *arg)
{
	uint64_t id = current_id(t);
	char *cause = NULL;
	free(t->bad_filter);
	t->bad_filter = NULL;
	if (nav_set_filter(&t->nav, arg, &cause) != 0) {
		/* The filter stays as it was; f brings the query back to fix. */
		tui_message(t, 1, "filter: %s (f to fix)", cause ? cause : "bad query");
		free(cause);
		t->bad_filter = xstrdup(arg);
		return;
	}
	list_resize(&t->navl, t->nav.nrows, t->h - 4);
	/* Keep the cursor on the same account when it passes the filter. */
	int row = 0;
	for (int r = 0; r < t->nav.nrows; r++)
		if (t->nav.a[t->nav.rows[r].acct].id == id)
			row = r;
	listpos_set(&t->navl.pos, row);
	t->navl.drawn_valid = 0;
	if (t->follow)
		t->det_want = current_id(t);
	t->det_stale = 1;
	t->dirty |= D_NAV | D_DETAIL | D_STATUS;
	if (t->nav.filter && !t->nav.nrows)
		tui_message(t, 1, "no account matches");
}

/* d: ask first; the answer comes to delete_answer(). */
static void delete_ask(struct tui *t)
{
	const struct record *r = tui_current_account(t);
	if (t->read_only) {
		tui_message(t, 1, "read-only: kam was opened with --read-only, edits are refused");
		return;
	}
	if (!r) {
		tui_message(t, 1, "no account to delete");
		return;
	}
	t->del_id = r->id;
	t->del_version = r->version;
	tui_message(t, 1, "delete account %llu %s? y/N", (unsigned long long)r->id, record_name(r));
}

/* One write txn: the account must still be at the version the user saw. */
static void delete_answer(struct tui *t, int yes)
{
	uint64_t id = t->del_id;
	uint32_t version = t->del_version;
	t->del_id = 0;
	if (!yes) {
		tui_message(t, 0, "not deleted");
		return;
	}
	struct txn *txn = NULL;
	struct record *now = NULL;
	char *cause = NULL;
	/* Deletes are admin work, as on the command line. */
	int rc = access_check(t->st, store_user(t->st), ACCESS_ADMIN, NULL, &cause);
	if (rc) {
		tui_message(t, 1, "not deleted: permission denied: %s", cause ? cause : kam_strerror(rc));
		free(cause);
		return;
	}
	rc = store_begin(t->st, 1, &txn);
	if (!rc) {
		char *cmd = xasprintf("tui rm account %llu", (unsigned long long)id);
		store_txn_set_command(txn, cmd);
		free(cmd);
		rc = store_get(txn, ENTITY(account), id, &now);
		if (!rc && now->version != version)
			rc = set_cause(&cause, KAM_ECONFLICT, "%s changed it meanwhile (version %u -> %u): r reloads",
				       now->updated_by ? now->updated_by : "someone", version, now->version);
		if (!rc)
			rc = store_delete(txn, ENTITY(account), id, 0, &cause);
		if (!rc)
			rc = store_commit(txn, &cause);
		else
			store_abort(txn);
	}
	record_free(now);
	if (rc) {
		tui_message(t, 1, "not deleted: %s", cause ? cause : kam_strerror(rc));
	} else {
		tui_reload(t);
		t->navl.drawn_valid = 0;
		tui_message(t, 0, "deleted account %llu", (unsigned long long)id);
	}
	free(cause);
}

static void run_with_arg(struct tui *t, enum action_id a, const char *arg)
{
	switch (a) {
	case DO_SEARCH:
		if (arg)
			do_search(t, arg, 1);
		else
			prompt_open(t, '/', NULL);
		return;
	case DO_FILTER:
		if (arg)
			do_filter(t, arg);
		else
			prompt_open(t, 'f', t->bad_filter ? t->bad_filter : t->nav.filter);
		return;
	case DO_SORT:
		do_sort(t, arg);
		return;
	case DO_GOTO:
		do_goto(t, arg);
		return;
	case DO_FIND:
		if (!arg || !*arg) {
			prompt_open(t, ':', "find ");
			return;
		}
		free(t->find);
		t->find = text_sanitize(arg);
		gview_open(t, VLIST_SEARCH);
		return;
	case DO_YEAR: {
		int64_t y;
		if (!arg || parse_int64(arg, &y) != 0)
			tui_message(t, 1, "usage: :year YEAR");
		else
			set_year(t, (int)y);
		return;
	}
	default:
		break;
	}
}

void tui_run_action(struct tui *t, enum action_id a, const char *arg)
{
	if (!(tui_actions[a].ctx & tui_context(t))) {
		tui_message(t, 1, "%s: not available here", tui_actions[a].name);
		return;
	}
	if (t->pipe_open && !t->help && pipe_view_action(t, a, arg))
		return;
	switch (a) {
	case DO_DOWN:
	case DO_UP:
	case DO_TOP:
	case DO_BOTTOM:
	case DO_HALF_DOWN:
	case DO_HALF_UP:
	case DO_PAGE_DOWN:
	case DO_PAGE_UP:
		list_action(t, a);
		break;
	case DO_SEARCH:
	case DO_FILTER:
	case DO_SORT:
	case DO_GOTO:
	case DO_YEAR:
	case DO_FIND:
		run_with_arg(t, a, arg);
		break;
	case DO_NEXT:
		do_search(t, NULL, 1);
		break;
	case DO_PREV:
		do_search(t, NULL, -1);
		break;
	case DO_OPEN:
		do_pane(t, 1);
		break;
	case DO_BACK:
	case DO_QUIT:
		do_back(t);
		break;
	case DO_QUIT_ALL:
		t->quit = 1;
		break;
	case DO_PANE_LEFT:
		do_pane(t, 0);
		break;
	case DO_PANE_RIGHT:
		do_pane(t, 1);
		break;
	case DO_FOLD_TOGGLE:
		fold_set(t, -1);
		break;
	case DO_UNFOLD:
		fold_set(t, 0);
		break;
	case DO_FOLD:
		fold_set(t, 1);
		break;
	case DO_FLAT:
		toggle_flat(t);
		break;
	case DO_REVERSE: {
		uint64_t id = current_id(t);
		t->nav.reverse = !t->nav.reverse;
		nav_rebuild(&t->nav);
		nav_cursor_to(t, id);
		t->navl.drawn_valid = 0;
		break;
	}
	case DO_OVERVIEW:
		set_sub(t, DETAIL_OVERVIEW);
		break;
	case DO_CONTACTS:
		set_sub(t, DETAIL_CONTACTS);
		break;
	case DO_OPPS:
		set_sub(t, DETAIL_OPPS);
		break;
	case DO_ACTS:
		set_sub(t, DETAIL_ACTS);
		break;
	case DO_TEAM:
		set_sub(t, DETAIL_TEAM);
		break;
	case DO_PLAN:
		set_sub(t, DETAIL_PLAN);
		break;
	case DO_HISTORY:
		set_sub(t, DETAIL_HISTORY);
		break;
	case DO_ORG:
		if (t->det.sub == DETAIL_CONTACTS) {
			t->det.org = !t->det.org;
			t->det_stale = 1;
			t->dirty |= D_DETAIL;
		}
		break;
	case DO_YEAR_PREV:
		set_year(t, t->plan_year - 1);
		break;
	case DO_YEAR_NEXT:
		set_year(t, t->plan_year + 1);
		break;
	case DO_EDIT:
		form_open(t);
		break;
	case DO_ADD:
		form_open_add(t);
		break;
	case DO_DELETE:
		delete_ask(t);
		break;
	case DO_DRAFT:
		form_open_draft(t);
		break;
	case DO_EDIT_YAML:
		edit_in_editor(t);
		break;
	case DO_PICK:
		tui_message(t, 1, "pick: in a form (e, a), on an enum or reference field");
		break;
	case DO_MARKER:
		t->arrow = !t->arrow;
		t->navl.drawn_valid = t->detl.drawn_valid = 0;
		t->dirty |= D_NAV | D_DETAIL;
		tui_message(t, 0, "cursor: %s", t->arrow ? "arrow" : "highlight");
		break;
	case DO_FOLLOW:
		t->follow = !t->follow;
		detail_target_cursor(t);
		tui_message(t, 0, "detail %s", t->follow ? "follows the cursor" : "stays until Enter");
		break;
	case DO_YANK: {
		const struct record *r = tui_current_account(t);
		if (r)
			tui_message(t, 0, "account %llu  %s", (unsigned long long)r->id, record_name(r));
		break;
	}
	case DO_REFRESH:
		tui_reload(t);
		clearok(curscr, TRUE); /* the user asked for a repaint: resend everything */
		t->dirty = D_ALL;
		t->navl.drawn_valid = t->detl.drawn_valid = 0;
		break;
	case DO_PROMPT:
		prompt_open(t, ':', NULL);
		break;
	case DO_ALL_CONTACTS:
		gview_open(t, VLIST_CONTACTS);
		break;
	case DO_ALL_OPPS:
		gview_open(t, VLIST_OPPS);
		break;
	case DO_MESSAGES:
		gview_open(t, VLIST_MESSAGES);
		break;
	case DO_CHECKS:
		gview_open(t, VLIST_CHECKS);
		break;
	case DO_TODAY:
		gview_open(t, VLIST_TODAY);
		break;
	case DO_PIPELINE:
		pipe_view_open(t);
		break;
	case DO_JUMP:
		gview_jump(t);
		break;
	case DO_BUDGET:
	case DO_PORTFOLIO:
	case DO_WHITESPACE:
	case DO_BUDGET_BY:
	case DO_TODAY_ALL:
	case DO_WS_LEFT:
	case DO_WS_RIGHT:
		plan_view_action(t, a, arg);
		break;
	case DO_HELP:
		if (t->help)
			help_close(t);
		else
			help_open(t);
		break;
	default:
		break;
	}
}

/* --- keys -------------------------------------------------------------------------- */

static int key_normalise(int is_keycode, wint_t ch)
{
	if (!is_keycode) {
		if (ch == '\r')
			return '\n';
		if (ch == 8)
			return KEY_BACKSPACE;
		return (int)ch;
	}
	return ch == KEY_ENTER ? '\n' : (int)ch;
}

static void normal_key(struct tui *t, int is_keycode, wint_t ch)
{
	int key = key_normalise(is_keycode, ch);
	if (key == CTRL('c')) {
		t->quit = 1;
		return;
	}
	if (key == CTRL('z')) {
		/* raw() turns Ctrl-Z into a key: suspend through curses' own
		 * SIGTSTP handler, which restores the terminal and repaints on
		 * SIGCONT. */
		raise(SIGTSTP);
		t->dirty = D_ALL;
		return;
	}
	if (key == 27 && (t->help || t->focus || t->gv.kind || t->pipe_open)) {
		do_back(t);
		return;
	}
	unsigned ctx = tui_context(t);
	for (int a = 0; a < DO__COUNT; a++) {
		const struct action *ac = &tui_actions[a];
		if ((ac->key == key || (ac->key2 && ac->key2 == key)) && key && (ac->ctx & ctx)) {
			tui_run_action(t, (enum action_id)a, NULL);
			return;
		}
	}
	if (key != KEY_RESIZE)
		tui_message(t, 1, "no action on this key here (? for help)");
}

static void handle_key(struct tui *t, int rc, wint_t ch)
{
	int is_keycode = rc == KEY_CODE_YES;
	if (is_keycode && ch == KEY_RESIZE) {
		layout(t);
		t->navl.drawn_valid = t->detl.drawn_valid = t->helpl.drawn_valid = 0;
		erase();
		return;
	}
	if (t->too_small) {
		if (!is_keycode && (ch == 'q' || ch == 'Q' || ch == CTRL('c')))
			t->quit = 1;
		return;
	}
	if (t->msg && !t->prompting) {
		free(t->msg);
		t->msg = NULL;
		t->dirty |= D_STATUS;
	}
	if (t->del_id)
		delete_answer(t, !is_keycode && (ch == 'y' || ch == 'Y'));
	else if (t->form)
		form_key(t, is_keycode, ch);
	else if (t->prompting)
		prompt_key(t, is_keycode, ch);
	else
		normal_key(t, is_keycode, ch);
}

/* --- the frame loop ------------------------------------------------------------------ */

static void frame(struct tui *t)
{
	if (!t->dirty)
		return; /* idle: not one byte */
	if (t->too_small) {
		draw_too_small(t);
	} else {
		if (t->det_stale && detail_visible(t))
			detail_refresh(t);
		if (t->pipe_open && !t->help && !t->form)
			pipe_view_draw(t);
		else
			draw_frame(t);
	}
	t->dirty = 0;
	wnoutrefresh(stdscr);
	doupdate();
}

static void loop(struct tui *t)
{
	wint_t ch;
	while (!t->quit && !quit_signal) {
		frame(t);
		if (t->need_scores) {
			/* Scoring every account takes longer than drawing: the
			 * first frame goes out without tier and score. */
			t->need_scores = 0;
			rescore(t);
			t->navl.drawn_valid = 0;
			t->det_stale = 1;
			t->dirty |= D_NAV | D_DETAIL;
			continue;
		}
		int wait = t->poll_ms;
		if (t->follow_due) {
			long long left = t->follow_due - now_ms();
			wait = left <= 0 ? 0 : left < t->poll_ms ? (int)left : t->poll_ms;
		}
		timeout(wait);
		int rc = wget_wch(stdscr, &ch);
		if (rc == ERR) {
			if (t->follow_due && now_ms() >= t->follow_due)
				follow_apply(t);
			else
				poll_store(t);
			continue;
		}
		handle_key(t, rc, ch);
		/* Drain everything already typed (a held key, a pasted burst)
		 * before drawing once. */
		nodelay(stdscr, TRUE);
		while (!t->quit && (rc = wget_wch(stdscr, &ch)) != ERR)
			handle_key(t, rc, ch);
		nodelay(stdscr, FALSE);
		poll_store(t);
	}
}

static int default_plan_year(int64_t today)
{
	/* Planning for next year starts in the fourth quarter. */
	int year = (int)(today / 10000), month = (int)(today / 100 % 100);
	return month >= 10 ? year + 1 : year;
}

static void tui_free(struct tui *t)
{
	form_close(t);
	help_close(t);
	gview_free(t);
	plan_view_free(t);
	pipeline_free(&t->pipe);
	nav_free(&t->nav);
	score_set_free(t->scores);
	conf_free(t->cfg);
	detail_free(&t->det);
	le_free(&t->le);
	for (int i = 0; i < t->nhistory; i++)
		free(t->history[i]);
	free(t->search);
	free(t->bad_filter);
	free(t->find);
	free(t->msg);
}

int tui_run(struct store *st, const struct tui_options *o)
{
	struct tui t;
	memset(&t, 0, sizeof t);
	t.st = st;
	t.read_only = o && o->read_only;
	t.plan_year = default_plan_year(date_today());
	t.det.year = t.plan_year;
	const char *cursor = getenv("KAM_CURSOR");
	t.arrow = cursor && strcmp(cursor, "arrow") == 0;
	const char *follow = getenv("KAM_DETAIL");
	t.follow = !(follow && strcmp(follow, "pinned") == 0);
	/* KAM_FOLLOW_DELAY: ms the keys must rest before the detail follows
	 * the cursor (0 = with every move). */
	const char *delay = getenv("KAM_FOLLOW_DELAY");
	int64_t d;
	t.follow_delay = delay && parse_int64(delay, &d) == 0 && d >= 0 && d <= 10000 ? (int)d : FOLLOW_DELAY_MS;
	/* KAM_POLL_MS: how often an idle kam looks for other users' commits. */
	const char *poll = getenv("KAM_POLL_MS");
	t.poll_ms = poll && parse_int64(poll, &d) == 0 && d >= 100 && d <= 3600000 ? (int)d : POLL_MS;
	char *cause = NULL;
	/* A broken kam.yaml does not keep the workstation from starting: the
	 * built-in defaults are used and the status line says why. */
	char *conf_error = NULL;
	if (conf_load(o ? o->config_path : NULL, &t.cfg, &cause) != 0) {
		conf_error = cause ? xstrndup(cause, strcspn(cause, "\n")) : xstrdup("cannot load");
		if (!t.cfg)
			conf_load_defaults(&t.cfg, NULL);
	}
	free(cause);
	cause = NULL;
	if (t.cfg && t.cfg->plan_year)
		t.plan_year = t.det.year = t.cfg->plan_year;
	/* Roles (kam(1) ACCESS): the form's saves check them; viewers' detail
	 * panes leave sensitive fields out. */
	access_set_editor_scope(t.cfg && t.cfg->access.editor_scope == 1 ? ACCESS_SCOPE_ALL : ACCESS_SCOPE_TEAM);
	t.det.redact = !access_sees_sensitive(st, store_user(st));
	/* Load before taking the terminal: an error prints like any other. */
	if (nav_load(&t.nav, st, NULL, t.plan_year - 1, &cause) != 0) {
		fprintf(stderr, "kam: %s\n", cause ? cause : "cannot load accounts");
		free(cause);
		free(conf_error);
		conf_free(t.cfg);
		return KAM_EXIT_INTERNAL;
	}
	t.need_scores = t.cfg != NULL;
	tui_keys_load(&t);
	if (form_draft_pending(&t))
		tui_message(&t, 1, "a form was left open when the connection dropped: :draft reopens it");
	if (conf_error) {
		tui_message(&t, 1, "config: %s (using defaults)", conf_error);
		free(conf_error);
	}
	t.last_txnid = t.nav.txnid;
	t.det_stale = 1;
	signals_install();
	terminal_setup();
	layout(&t);
	loop(&t);
	if (quit_signal == SIGHUP && t.form)
		form_save_draft(&t);
	terminal_restore();
	tui_free(&t);
	return quit_signal ? 128 + quit_signal : KAM_EXIT_OK;
}
