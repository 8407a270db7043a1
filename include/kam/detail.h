#ifndef KAM_DETAIL_H
#define KAM_DETAIL_H

#include <stdint.h>

#include "kam/model.h"
#include "kam/rules.h"
#include "kam/store.h"

/* The detail of one account as lines of text, built from one read txn that
 * is released before returning. Curses-free: the TUI only fits each line
 * into its pane (text_fit) and draws it. Lines are laid out for a pane of
 * at least 64 columns; longer lines are truncated by the drawer. */

/* Team: the account's and its plan-year opportunities' teams by project
 * phase. Plan: the account plan of the plan year with its actions by goal.
 * History: the audit log of the account's records, newest first. */
enum detail_sub {
	DETAIL_OVERVIEW,
	DETAIL_CONTACTS,
	DETAIL_OPPS,
	DETAIL_ACTS,
	DETAIL_TEAM,
	DETAIL_PLAN,
	DETAIL_HISTORY,
	DETAIL__COUNT
};

/* History keeps at most this many audit entries (the newest). */
#define DETAIL_HISTORY_MAX 300

enum dline_style { DL_PLAIN = 0, DL_HEAD = 1, DL_WARN = 2 };

struct dline {
	char *text; /* sanitised UTF-8 */
	int style;
	const struct entity *ent; /* the record the line shows (E edits it), or NULL */
	uint64_t id;
};

struct detail {
	uint64_t account; /* 0 = empty */
	enum detail_sub sub;
	int year; /* plan year of the Opps, Team and Plan sub-views */
	int org;  /* Contacts: org chart instead of the list */
	struct dline *lines;
	int nlines;
	char *title;                    /* account name, sanitised */
	char *flags;                    /* "key  strategic" */
	const struct score_set *scores; /* borrowed, may be NULL: Overview explains the score */
	int redact;                     /* a viewer: sensitive fields are never shown */
};

const char *detail_sub_name(enum detail_sub s);
/* (Re)build d for account `acct` (an owned account record). today: yyyymmdd. */
int detail_build(struct detail *d, struct store *st, const struct record *acct, int64_t today, char **cause);
void detail_free(struct detail *d);

#endif
