/* The global views: all contacts, all opportunities of the plan year, the
 * message log, search results, the planning findings and the day plan,
 * reachable from anywhere (C, O, L, \, c, T or by name at ':').
 * Rows come from src/view/vlist.c; the one list widget moves the cursor,
 * scrolls, searches and draws only the rows that changed. Enter jumps to
 * the row's account in the navigator with the matching detail sub-view. */
#include "tui_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/detail.h"
#include "kam/text.h"
#include "kam/util.h"

#define MSGLOG_MAX ((int)(sizeof((struct tui *)0)->msglog / sizeof(char *)))

static void gview_build(struct tui *t, enum vlist_kind kind)
{
	char *cause = NULL;
	int rc = 0;
	switch (kind) {
	case VLIST_CONTACTS:
		rc = vlist_contacts(&t->gv, t->st, t->nav.today, &cause);
		break;
	case VLIST_OPPS:
		rc = vlist_opps(&t->gv, t->st, t->plan_year, &cause);
		break;
	case VLIST_MESSAGES:
		vlist_messages(&t->gv, (const char *const *)t->msglog, t->nmsglog);
		break;
	case VLIST_CHECKS:
		rc = vlist_checks(&t->gv, t->st, t->cfg, t->nav.today, &cause);
		break;
	case VLIST_SEARCH:
		rc = vlist_search(&t->gv, t->st, t->find, &cause);
		break;
	case VLIST_TODAY:
	case VLIST_BUDGET:
	case VLIST_PORTFOLIO:
	case VLIST_WHITESPACE:
		rc = plan_view_build(t, kind, &cause);
		break;
	default:
		return;
	}
	if (rc) {
		/* Not through tui_message: the message would land in the log
		 * being built. */
		free(t->msg);
		t->msg = text_sanitize(cause ? cause : "cannot read the database");
		t->msg_warn = 1;
	}
	free(cause);
	list_resize(&t->gvl, t->gv.n, t->h - 4);
}

void gview_open(struct tui *t, enum vlist_kind kind)
{
	if (t->help)
		help_close(t);
	pipe_view_close(t); /* one global view at a time */
	gview_build(t, kind);
	t->gvl.pos.cur = t->gvl.pos.top = 0;
	listpos_fix(&t->gvl.pos);
	t->gvl.drawn_valid = 0;
	t->dirty = D_ALL;
}

void gview_reload(struct tui *t)
{
	if (!t->gv.kind)
		return;
	int cur = t->gvl.pos.cur;
	gview_build(t, t->gv.kind);
	if (t->gv.n)
		listpos_set(&t->gvl.pos, cur < t->gv.n ? cur : t->gv.n - 1);
	t->dirty |= D_NAV | D_STATUS;
}

void gview_close(struct tui *t)
{
	vlist_free(&t->gv);
	memset(&t->gvl, 0, sizeof t->gvl);
	t->navl.drawn_valid = t->detl.drawn_valid = 0;
	t->dirty = D_ALL;
}

void gview_jump(struct tui *t)
{
	if (!t->gv.n || plan_view_jump(t))
		return;
	static const enum action_id sub_action[DETAIL__COUNT] = {DO_OVERVIEW, DO_CONTACTS, DO_OPPS,   DO_ACTS,
								 DO_TEAM,     DO_PLAN,     DO_HISTORY};
	uint64_t acct = t->gv.acct[t->gvl.pos.cur];
	enum vlist_kind kind = t->gv.kind;
	int sub = t->gv.sub ? t->gv.sub[t->gvl.pos.cur] : DETAIL_OVERVIEW;
	if (!acct) {
		tui_message(t, 1, "%s",
			    kind == VLIST_MESSAGES ? "messages have no account" : "no account for this row");
		return;
	}
	gview_close(t);
	tui_open_account(t, acct, sub_action[sub < DETAIL__COUNT ? sub : 0]);
}

void tui_open_account(struct tui *t, uint64_t acct, enum action_id sub)
{
	char id[24];
	snprintf(id, sizeof id, "%llu", (unsigned long long)acct);
	tui_run_action(t, DO_GOTO, id);
	if (tui_current_account(t) && tui_current_account(t)->id == acct) {
		t->det.year = t->plan_year;
		tui_run_action(t, sub, NULL);
	}
}

void gview_log(struct tui *t, const char *msg)
{
	if (t->nmsglog == MSGLOG_MAX) {
		free(t->msglog[0]);
		memmove(t->msglog, t->msglog + 1, (size_t)(MSGLOG_MAX - 1) * sizeof *t->msglog);
		t->nmsglog--;
	}
	time_t now = time(NULL);
	struct tm tm;
	char when[16] = "--:--:--";
	if (localtime_r(&now, &tm))
		strftime(when, sizeof when, "%H:%M:%S", &tm);
	t->msglog[t->nmsglog++] = xasprintf("%s  %s", when, msg);
}

void gview_free(struct tui *t)
{
	vlist_free(&t->gv);
	for (int i = 0; i < t->nmsglog; i++)
		free(t->msglog[i]);
	t->nmsglog = 0;
}
