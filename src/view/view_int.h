#ifndef KAM_VIEW_INT_H
#define KAM_VIEW_INT_H

/* Private to src/view: what the planning views (budget.c, portfolio.c,
 * whitespace.c) share. */
#include <stddef.h>
#include <stdint.h>

#include "kam/store.h"

struct view_acct {
	uint64_t id;
	char *name;     /* record_name */
	char *province; /* "(none)" when unset, as report_budget groups it */
	uint64_t kam;   /* staff id, 0 none */
};

struct view_accts {
	struct view_acct *v; /* by id */
	size_t n, cap;
	struct view_acct **byname; /* by name, then id */
};

int view_accts_load(struct txn *t, struct view_accts *a);
/* view_accts_load in a read txn of its own; a failure sets *cause. */
int view_accts_read(struct store *st, struct view_accts *a, char **cause);
const struct view_acct *view_acct_get(const struct view_accts *a, uint64_t id);
/* The first account (lowest id) named name, 0 when none: the reports name
 * their rows' accounts. */
uint64_t view_acct_named(const struct view_accts *a, const char *name);
void view_accts_free(struct view_accts *a);

#endif
