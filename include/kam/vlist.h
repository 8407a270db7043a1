#ifndef KAM_VLIST_H
#define KAM_VLIST_H

#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"

/* The rows of the workstation's global views (all contacts, all
 * opportunities of a plan year, the message log), built from one read txn
 * released before returning (checks and agenda use their own). Curses-free: the TUI fits each row into the
 * screen width (text_fit) and draws it with the one list widget. Rows are
 * laid out for 78 columns; wider screens pad, narrower ones truncate. */

enum vlist_kind { VLIST_NONE, VLIST_CONTACTS, VLIST_OPPS, VLIST_MESSAGES, VLIST_CHECKS, VLIST_TODAY, VLIST__COUNT };

struct vlist {
	enum vlist_kind kind;
	char *title;        /* "Contacts", "Opportunities 2027", "Messages" */
	char *head;         /* the column header */
	char *foot;         /* a summary (counts, totals), may be NULL */
	char **rows;        /* sanitised UTF-8 */
	uint64_t *acct;     /* the account each row belongs to, 0 = none */
	unsigned char *sub; /* the detail sub-view (enum detail_sub) that shows the row's record */
	uint64_t *rec;      /* the row's record: a contact (Contacts), an opportunity (Opportunities), else 0 */
	int n;
};

/* Every contact with the account of its first role (contacts without one
 * too, account 0), ordered by account name, then contact name. */
int vlist_contacts(struct vlist *v, struct store *st, int64_t today, char **cause);
/* The opportunities of plan year `year` ordered by decision date (undated
 * last), with the count, total amount and weighted pipeline in foot. */
int vlist_opps(struct vlist *v, struct store *st, int year, char **cause);
/* n message lines, shown newest first (lines[n-1] on top). */
void vlist_messages(struct vlist *v, const char *const *lines, int n);
/* The planning findings (kam check) of every account, errors and key
 * accounts first; foot counts them. */
int vlist_checks(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, char **cause);
/* The agenda of the day (kam agenda) in sections, each under a header row
 * (account 0). */
int vlist_today(struct vlist *v, struct store *st, const struct kam_config *cfg, int64_t today, char **cause);
void vlist_free(struct vlist *v);

#endif
