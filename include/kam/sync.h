#ifndef KAM_SYNC_H
#define KAM_SYNC_H

#include <stdint.h>
#include <stdio.h>

#include "kam/json.h"
#include "kam/model.h"
#include "kam/store.h"

/* Branch-office sync (issue 7 section 4): `kam export --changes` and
 * `kam import --changes` (src/io/sync.c).
 *
 * Marks. A mark is an audit sequence number of the exporting database: the
 * change file written with --since M holds every record whose audit lines
 * have a sequence number > M, and its first line names the new mark (the
 * last sequence number of the log when the export ran): pass that next time.
 * --since 0 is the whole history.
 *
 * Global ids. Each database has a site name (kv "sync"/"site"; unset means
 * "central"). A record travels as "SITE:N": the site that created it and its
 * id there. A branch is a copy of central named once (sync_set_site), which
 * records the id counters of the copy (kv "sync"/"copy.ENTITY"): ids below
 * them are central's and travel as "central:N". Each database keeps a map of
 * the foreign records it created on import (kv "sync.gid": entity code ||
 * gid -> local id, "sync.lid": entity code || local id -> gid), so ids
 * created at a branch never collide with ids created centrally. A foreign
 * gid that is in none of these is unknown here: changes to it and
 * references to it are conflicts.
 *
 * File: line 1 {"kam_changes":1,"site":S,"since":M,"mark":N}, then one line
 * per record {"entity":E,"id":"SITE:N","op":"put"|"rm","base":{..}|null,
 * ["echo":{SITE:{..}|null,..},]"version":V,"updated":T,"updated_by":U
 * [,"ext_id":X], fields...} where base holds every field as it was at the
 * mark (null: the record did not exist) and echo, for each site whose change
 * file was imported into the record after the mark, the record as the last
 * such import left it: what that site sent, so the base it compares with
 * when the change goes back to it. REF/REFS fields are gids; then {"end":COUNT}. */

#define SYNC_SITE_DEFAULT "central"
#define SYNC_SITE_MAX 32

enum sync_op { SYNC_PUT, SYNC_RM };

/* One parsed change line (no database needed: syntax, entity, fields and
 * values are checked; REF/REFS values are gid text). */
struct sync_change {
	const struct entity *e;
	char *site;   /* gid site */
	uint64_t num; /* gid number */
	enum sync_op op;
	int has_base;            /* base object present (else null: new record) */
	struct json_object obj;  /* the whole line */
	struct json_object base; /* members of "base" */
	int base_col;            /* column of the base object in the line */
	int has_echo;
	struct json_object echo; /* "echo": site -> raw base object or null */
};

/* Parse "SITE:N" (SITE: 1..32 of [a-z0-9_-], N >= 1). 0 or KAM_EINVAL. */
int sync_parse_gid(const char *text, char **site, uint64_t *num);
/* A valid site name. */
int sync_site_valid(const char *name);
/* Parse one record line. KAM_EINVAL with *col (1-based) and *cause. */
int sync_parse_change(const char *line, size_t len, struct sync_change *out, int *col, char **cause);
void sync_change_free(struct sync_change *c);

/* This database's site name (caller frees). */
int sync_site(struct txn *t, char **name);
/* Store the site name in a write txn when none is set yet, with the mark at
 * which the database was named (its "origin": the log up to there is the
 * copy it was made from, and exports and imports must start there or later);
 * *named is 1 and *origin that mark when newly named. KAM_EINVAL (with
 * cause) when the database is already another site. */
int sync_set_site(struct txn *t, const char *name, int *named, uint64_t *origin, char **cause);

/* The last audit sequence number (the current mark) and the mark at which
 * this database was named as a branch (0 for central). */
int sync_marks(struct txn *t, uint64_t *last, uint64_t *origin);

struct sync_export_stats {
	uint64_t since, mark;
	uint64_t puts, rms;
	uint64_t bulk_lines; /* audit summary lines without per-record detail */
};
/* Write the change file of every record changed after mark since. */
int sync_export(struct store *st, uint64_t since, FILE *out, struct sync_export_stats *stats, char **cause);

enum sync_conflicts { SYNC_REFUSE, SYNC_KEEP_LOCAL };

struct sync_import_stats {
	uint64_t created[ENT__COUNT], updated[ENT__COUNT], deleted[ENT__COUNT], unchanged[ENT__COUNT];
	uint64_t nerrors;    /* bad lines (listed in errors) */
	uint64_t nconflicts; /* listed in conflicts */
	struct buf errors;
	struct buf conflicts;
};
/* Apply a change file in one write txn. Returns 0 (committed, or dry run),
 * KAM_EINVAL (bad lines, nothing written), KAM_ECONFLICT (conflicts with
 * SYNC_REFUSE: nothing written) or another KAM_E* with *cause. */
/* site: --site NAME (stored like sync_set_site, in the same txn) or NULL. */
int sync_import(struct store *st, const char *path, const char *site, enum sync_conflicts policy, int dry_run,
		struct sync_import_stats *stats, char **cause);
void sync_import_stats_free(struct sync_import_stats *s);

#endif
