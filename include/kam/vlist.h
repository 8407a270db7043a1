#ifndef KAM_VLIST_H
#define KAM_VLIST_H

#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"
#include "kam/text.h"
#include "kam/util.h"

/* The rows of the workstation's global views (all contacts, all
 * opportunities of a plan year, the message log), built from one read txn
 * released before returning (checks and agenda use their own). Curses-free: the TUI fits each row into the
 * screen width (text_fit) and draws it with the one list widget. Rows are
 * laid out for 78 columns; wider screens pad, narrower ones truncate. */

enum vlist_kind {
	VLIST_NONE,
	VLIST_CONTACTS,
	VLIST_OPPS,
	VLIST_MESSAGES,
	VLIST_CHECKS,
	VLIST_TODAY,
	VLIST_BUDGET,     /* src/view/budget.c */
	VLIST_PORTFOLIO,  /* src/view/portfolio.c */
	VLIST_WHITESPACE, /* src/view/whitespace.c */
	VLIST_SEARCH,
	VLIST__COUNT
};

struct vlist {
	enum vlist_kind kind;
	char *title;        /* "Contacts", "Opportunities 2027", "Messages" */
	char *head;         /* the column header */
	char *foot;         /* a summary (counts, totals), may be NULL */
	char **rows;        /* sanitised UTF-8 */
	uint64_t *acct;     /* the account each row belongs to, 0 = none */
	unsigned char *sub; /* the detail sub-view (enum detail_sub) that shows the row's record */
	uint64_t *rec;      /* the row's record: a contact (Contacts), an opportunity (Opportunities), either
			       (Search: sub says which), else 0 */
	char **key;         /* per row: what Enter drills into (Budget groups), NULL = none */
	int n;
};

/* Every contact with the account of its first role (contacts without one
 * too, account 0), ordered by account name, then contact name. */
int vlist_contacts(struct vlist *v, struct store *st, int64_t today, char **cause);
/* The opportunities of plan year `year` ordered by decision date (undated
 * last), with the count, total amount and weighted pipeline in foot. */
int vlist_opps(struct vlist *v, struct store *st, int year, char **cause);
/* Accounts, contacts and opportunities whose name contains text, compared
 * folded (case, full/half width; Chinese or Latin), each with its account:
 * accounts first, then contacts, then opportunities, by name; at most
 * VLIST_SEARCH_MAX rows (foot says when there were more). */
#define VLIST_SEARCH_MAX 1000
int vlist_search(struct vlist *v, struct store *st, const char *text, char **cause);
/* n message lines, shown newest first (lines[n-1] on top). */
void vlist_messages(struct vlist *v, const char *const *lines, int n);
/* The planning findings (kam check) of every account, errors and key
 * accounts first; foot counts them. */
int vlist_checks(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, char **cause);
/* The agenda of the day (kam agenda) in sections, each under a header row
 * (account 0). */
int vlist_today(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, char **cause);
/* The agenda of staff (0: everybody's), as `kam agenda --me` when staff is
 * the logged-in user's. vlist_today is vlist_today_staff(..., 0). */
int vlist_today_staff(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, uint64_t staff,
		      char **cause);
/* The staff id of login (staff.login), 0 when no staff has it. */
uint64_t vlist_staff_of_login(struct store *st, const char *login);
void vlist_free(struct vlist *v);

/* --- the planning views (issue 6) ---------------------------------------------- */

struct score_set;

/* Groupings of the Budget view, as `kam report budget --by`, NULL-ended. */
extern const char *const vlist_budget_by[];
/* Budget (kam report budget --year year --by vlist_budget_by[by]): one row a
 * group, estimated vs actual vs recommended, "!" on an imbalance; key[i] is
 * the group's label (Enter drills), acct[i] the account when grouped by
 * account. With drill set: the year's brand activities of that group
 * instead, each with its account (Enter: its Acts). */
int vlist_budget(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int by, const char *drill,
		 int64_t today, char **cause);
/* Portfolio: the quadrant chart (kam report quadrant) and the Pareto/ABC
 * curve (kam report pareto) as ASCII rows, then the accounts listed per
 * quadrant cell with their ABC class (acct set: Enter opens them). */
int vlist_portfolio(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int64_t today,
		    char **cause);
/* White space (kam report whitespace): per account a grid, buying units x
 * offerings, each cell ours / open / a competitor's name / in-house / none /
 * "-" unknown; cells fitted by display width. */
int vlist_whitespace(struct vlist *v, struct store *st, const struct kam_config *cfg, int year, int64_t today,
		     char **cause);

/* The white-space grid: VLIST_WS_FIXED columns of buying unit (rows and head
 * start with two blanks), then VLIST_WS_CELL columns per offering. A row
 * (or the head) with the offering columns before `first` left out, so the
 * grid scrolls sideways; rows that are not grid rows are copied. */
#define VLIST_WS_FIXED 18
#define VLIST_WS_CELL 11
char *vlist_ws_slice(const char *row, int first);

/* Shared by the view builders: s fitted to exactly w columns appended to b;
 * b as row (sanitised) with its account, detail sub-view and drill key
 * (copied, may be NULL); b is reset. */
void vlist_cell(struct buf *b, const char *s, int w, enum text_align al);
void vlist_push(struct vlist *v, uint64_t acct, int sub, const char *key, struct buf *b);

#endif
