#ifndef KAM_PLAN_H
#define KAM_PLAN_H

#include <stddef.h>
#include <stdint.h>

#include "kam/store.h"

/* The annual opportunity list across years (issue 6 section 1). */

/* ---- rollover (src/plan/rollover.c) --------------------------------------
 * Drafts year `to` from year `from`: won opportunities (their offering
 * recurs: renewal, expansion), open ones not decided (carried over, decision
 * moved one year) and lost ones with a customer budget line (the budget
 * comes back). Drafts have draft=true, status open, and a note naming their
 * source. An opportunity of `to` with the same account and key (offering,
 * budget line and buying unit; the title when those are empty) makes the
 * candidate a skip, so a second run creates nothing. One write txn. */

enum rollover_action { RO_CREATED, RO_SKIPPED };

struct rollover_item {
	enum rollover_action action;
	uint64_t source;  /* opportunity of `from` */
	uint64_t created; /* new opportunity id (0 when skipped or dry run) */
	uint64_t account;
	char *title;
	const char *reason; /* static text */
};

struct rollover_opts {
	int from, to;
	uint64_t account; /* 0: all accounts */
	int dry_run;
};

int plan_rollover(struct store *st, const struct rollover_opts *o, struct rollover_item **out, size_t *n, char **cause);
void rollover_items_free(struct rollover_item *v, size_t n);

#endif

/* ---- year over year (src/plan/yoy.c) --------------------------------------
 * Opportunities of `from` and `to` are matched by account and key (as in
 * rollover). kept: won in both years; won/lost: decided in `to`; new: in `to`
 * with no match in `from`; slipped: open in `from` and carried into `to` or
 * decided in `to`'s calendar year. Amounts are won amounts (cents). Share of
 * wallet = revenue / customer budget from account_year, percent (-1: no
 * budget). buying_years: consecutive years with revenue up to `to`. Churn
 * risk: revenue declining two years running up to `to`, or a strategic
 * offering won in `from` and lost in `to` (or not renewed when `to` is over). */

struct yoy_row {
	uint64_t account; /* 0: the total over all rows */
	char *name;
	int kept, won, lost, added, slipped;
	int64_t amount_from, amount_to; /* won amounts, cents */
	int sow_from, sow_to;           /* percent, -1 unknown */
	int buying_years;
	const char *churn; /* NULL, or the reason (static text) */
};

/* One row per account with opportunities or revenue in either year, by
 * account id, then the total (account 0) last. */
int plan_yoy(struct store *st, int from, int to, uint64_t account, struct yoy_row **out, size_t *n, char **cause);
void yoy_rows_free(struct yoy_row *v, size_t n);
