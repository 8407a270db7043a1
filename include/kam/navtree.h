#ifndef KAM_NAVTREE_H
#define KAM_NAVTREE_H

#include <stdint.h>

#include "kam/model.h"
#include "kam/query.h"
#include "kam/rules.h"
#include "kam/store.h"

/* The account navigator's data: every account decoded into an owned row once
 * per load (one read txn, released before the caller waits for a key), with
 * the figures the navigator shows, arranged as a tree (group -> province ->
 * city) or a flat list, sorted and filtered. Curses-free.
 *
 * The last contact of an account is read when first asked for
 * (nav_last_contact: the rows on screen), from the account's activities,
 * and for every account at once when the rows are sorted by it: reading
 * every activity up front cost seconds before the first frame on a big
 * database. */

struct nav_acct {
	struct record *rec; /* owned copy of the account */
	uint64_t id;
	uint64_t parent; /* 0 = root (or parent missing) */
	char *name;      /* sanitised for the terminal */
	char *kam;       /* sanitised staff name or NULL */
	char *fold;      /* text_fold(name + kam + province + city) for search/filter */
	int64_t revenue; /* cents, of nav->rev_year */
	int has_revenue;
	int64_t last_contact; /* yyyymmdd of the last contact, 0 = never, NAV_UNREAD = not read yet */
	int *kids;            /* indexes into nav->a, in sort order */
	int nkids;
	int folded;
	int matched;      /* filter hit */
	double score;     /* from the YAML rules (nav_set_scores) */
	const char *tier; /* borrowed from the config, NULL = not scored */
};

#define NAV_UNREAD (-1)

enum nav_sort { NAV_SORT_REVENUE, NAV_SORT_SCORE, NAV_SORT_NAME, NAV_SORT_LAST, NAV_SORT_KAM, NAV_SORT__COUNT };

struct nav_row {
	int acct; /* index into nav->a */
	int depth;
};

struct navtree {
	struct nav_acct *a; /* sorted by id */
	int na;
	struct nav_row *rows; /* what is visible, top to bottom */
	int nrows;
	int flat;
	enum nav_sort sort;
	int reverse;         /* 0: the natural direction (revenue desc, name asc ...) */
	char *filter;        /* the filter as typed (sanitised), or NULL */
	struct query *query; /* filter parsed (kam/query.h); NULL = all */
	int rev_year;
	int64_t today;    /* yyyymmdd */
	uint64_t txnid;   /* store_last_txnid() at load time */
	struct store *st; /* borrowed: what is read on demand */
};

const char *nav_sort_name(enum nav_sort s);
/* Load every account from the store. Fold state and settings of `old` (may
 * be NULL) are kept, so a refresh after another user's commit does not
 * disturb the view. */
int nav_load(struct navtree *nav, struct store *st, const struct navtree *old, int rev_year, char **cause);
void nav_free(struct navtree *nav);
/* The last contact of nav->a[i] (yyyymmdd, 0 = never), read now if it was
 * not. Needs no transaction open in the calling thread. */
int64_t nav_last_contact(struct navtree *nav, int i);
/* Rebuild rows after a change of sort, fold, flat or filter. */
void nav_rebuild(struct navtree *nav);
int nav_find(const struct navtree *nav, uint64_t id); /* index into a, or -1 */
/* Row index showing account id, unfolding its ancestors if needed; -1 if absent. */
int nav_reveal(struct navtree *nav, uint64_t id);
/* Replace one account's record (after an edit) and refresh its row data. */
void nav_replace(struct navtree *nav, const struct record *r);
/* Text a search matches: the folded name plus the KAM. Owned by nav. */
int nav_row_matches(const struct navtree *nav, int row, const char *folded_needle);
/* Filter by a query (kam/query.h); NULL or "" clears. A query that does not
 * parse leaves the filter as it was: KAM_EINVAL, *cause "column N: ...". */
int nav_set_filter(struct navtree *nav, const char *text, char **cause);
/* Attach score and tier of each account (s and its config must outlive
 * nav's use of the tier names); NULL clears. Call nav_rebuild after. */
void nav_set_scores(struct navtree *nav, const struct score_set *s);

#endif
