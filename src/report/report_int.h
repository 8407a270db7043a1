/* Helpers shared by the report files (private to src/report). */
#ifndef KAM_REPORT_INT_H
#define KAM_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>

#include "kam/report.h"
#include "kam/store.h"

/* Display names of one entity's records, indexed by id (one scan). */
struct rep_names {
	char **v;
	uint64_t cap;
};
int rep_names_load(struct txn *t, const struct entity *e, struct rep_names *n);
const char *rep_name(const struct rep_names *n, int64_t id); /* "" when unknown */
void rep_names_free(struct rep_names *n);

/* Groups keyed by text, each with nvals int64 accumulators, in first-seen
 * order; hashed so a scan of many records costs O(1) per record. */
struct rep_groups {
	char **keys;
	int64_t *vals;
	size_t n, cap;
	int nvals;
	size_t *slots; /* hash slots: index + 1, 0 = empty */
	size_t nslots;
};
void rep_groups_init(struct rep_groups *g, int nvals);
int64_t *rep_group(struct rep_groups *g, const char *key); /* created with zeros */
void rep_groups_sort(struct rep_groups *g);                /* by key (slots invalidated) */
void rep_groups_free(struct rep_groups *g);

/* Formatted money (cents) and percent in rotating static buffers: valid for
 * the next 16 calls, enough for one row. */
const char *rep_money(int64_t cents);
const char *rep_pct(double pct);
const char *rep_int(int64_t v);

/* Percent a of b (0 when b is 0). */
double rep_share(double a, double b);

#endif
