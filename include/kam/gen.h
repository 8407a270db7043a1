#ifndef KAM_GEN_H
#define KAM_GEN_H

#include <stdint.h>

#include "kam/model.h"

/* Deterministic demo and benchmark data ("kam gen").
 *
 * The generator is a pure function of (size, seed): it never calls rand(),
 * never reads the clock, and dates are fixed around GEN_TODAY, so two runs
 * with one seed produce the same records on every machine. Records stream
 * out one at a time through a callback, so dataset L (millions of records)
 * runs in bounded memory. */

/* The reference "today" of the generated data (2026-11-23, as in the tests):
 * activities before it are done or cancelled, after it planned or confirmed. */
#define GEN_TODAY 20261123

/* Records per main entity; the others (account years, links, teams,
 * complaints, plans ...) follow from these. */
struct gen_size {
	uint64_t accounts;
	uint64_t contacts;
	uint64_t opportunities;
	uint64_t activities;
};

/* "S", "M" or "L" (case-insensitive). KAM_EINVAL for anything else. */
int gen_size_parse(const char *scale, struct gen_size *out);

/* Deliberate violations, so that the planning checks have something to find. */
struct gen_stats {
	uint64_t n[ENT__COUNT];        /* records emitted per entity */
	uint64_t brand_after_decision; /* brand activity on/after its opportunity's decision date */
	uint64_t brand_without_opp;    /* brand activity with no opportunity */
	uint64_t key_without_b;        /* key contact link with no B owner */
	uint64_t owner_left;           /* contact link owned (A or B) by staff who left */
	uint64_t stale_contacts;       /* key contacts kept out of every activity after mid-2026 */
	uint64_t overdue_open;         /* opportunities past their decision date, still open */
};

/* Receives each record, borrowed for the duration of the call. Ids are
 * preassigned 1, 2, 3 ... per entity and every reference field holds the
 * final id of a record emitted earlier (parents before children), so that
 * store_insert() into an empty database keeps them. A non-zero return stops
 * the generation and is returned by gen_run(). */
typedef int (*gen_emit_fn)(struct record *r, void *arg);

/* Generate a dataset. KAM_EINVAL (cause set) when the size is inconsistent
 * (fewer than 2 contacts and 2 opportunities per account, or no activity per
 * account). stats may be NULL. */
int gen_run(const struct gen_size *size, uint64_t seed, gen_emit_fn emit, void *arg, struct gen_stats *stats,
	    char **cause);

/* External id prefix of an entity in CSV output ("A" for account: A1, A2 ...). */
const char *gen_ext_prefix(const struct entity *e);

/* CSV sink for gen_run(): one file per entity, DIR/<plural>.csv, with a header
 * of kam's own field names (computed fields left out) plus a leading `ext_id`
 * column; reference columns hold the target's ext_id (REFS: "C3;C17"). The
 * directory is created if missing; existing files are replaced. */
struct gen_csv;
int gen_csv_open(struct gen_csv **out, const char *dir, char **cause);
int gen_csv_emit(struct record *r, void *arg); /* arg: the struct gen_csv */
/* Flushes and closes every file, frees g (NULL is a no-op); reports the first
 * write error. */
int gen_csv_close(struct gen_csv *g, char **cause);

#endif
