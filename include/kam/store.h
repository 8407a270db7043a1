#ifndef KAM_STORE_H
#define KAM_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "kam/model.h"

/* The LMDB store. Only src/store includes <lmdb.h>.
 *
 * Layout: one DBI per entity (key: id as 8-byte big-endian; value: record
 * codec), one per secondary index (key: encoded field values || id; empty
 * value), "meta" (schema_version, next id per entity, audit sequence),
 * "ext" (entity code || ext_id -> id) and "audit" (seq -> JSON line) with
 * "audit.record" (entity code || id || seq).
 *
 * Records returned are owned by the caller and stay valid after the txn. */

struct store;
struct txn;

enum store_flags {
	STORE_RDONLY = 1, /* open without write access */
	STORE_CREATE = 2  /* create the directory and database if missing */
};

#define STORE_SCHEMA_VERSION 2

int store_open(struct store **out, const char *dir, unsigned flags, char **cause);
void store_close(struct store *st);
const char *store_path(const struct store *st);
/* Identity written to updated_by and the audit log (default: the login name). */
void store_set_user(struct store *st, const char *login);
const char *store_user(const struct store *st);
/* Id of the last committed write txn: changes when anybody commits. */
uint64_t store_last_txnid(struct store *st);

int store_begin(struct store *st, int write, struct txn **out);
int store_commit(struct txn *t, char **cause);
void store_abort(struct txn *t); /* NULL is a no-op */
/* Name of the command (e.g. "set account 12") recorded in the audit log. */
void store_txn_set_command(struct txn *t, const char *cmd);

int store_get(struct txn *t, const struct entity *e, uint64_t id, struct record **out);
/* Assigns id (or keeps r->id when non-zero and free: KAM_EEXIST if taken;
 * the id counter moves past it), version 1 and timestamps (kept when
 * r->created is non-zero, for imports of kam's own exports); validates;
 * maintains indexes; audits. */
int store_insert(struct txn *t, struct record *r, char **cause);
/* r->version must equal the stored version (else KAM_ECONFLICT); on success
 * r->version is bumped. Indexes and audit maintained. */
int store_update(struct txn *t, struct record *r, char **cause);
/* Refuses (KAM_EREFERENCED with a cause naming a referrer) when other
 * records point here, unless cascade: then referrers are deleted too
 * (recursively), optional references are cleared. */
int store_delete(struct txn *t, const struct entity *e, uint64_t id, int cascade, char **cause);

/* Iteration. The callback gets a borrowed record (valid during the call:
 * the scan reuses it and its strings for the next row, so copy what you
 * keep); a non-zero return stops the scan and is returned. */
typedef int (*store_visit_fn)(const struct record *r, void *arg);
int store_scan(struct txn *t, const struct entity *e, store_visit_fn fn, void *arg);
/* store_scan decoding only the fields in field_mask (bit 1ull << f, see
 * record_decode_fields) into one record reused for the whole scan: no
 * allocation per row. Unmasked fields read as unset, updated_by and ext_id
 * as NULL. The record and its strings are valid only during the callback. */
int store_scan_fields(struct txn *t, const struct entity *e, uint64_t field_mask, store_visit_fn fn, void *arg);
/* store_scan_fields over the rows whose numeric field match_field is set and
 * equals match_value (record_decode_fields_if): a sequential scan that reads
 * little of the rows it skips, e.g. the opportunities of one year. Where an
 * index exists and selects few rows, store_index_scan_fields is better. */
int store_scan_match(struct txn *t, const struct entity *e, uint64_t field_mask, int match_field, int64_t match_value,
		     store_visit_fn fn, void *arg);
/* Records whose index `index` starts with the given values (nvals may be
 * less than the index's field count; text prefix matching on the last value
 * for FOLD indexes). vals use the field's value representation. */
int store_index_scan(struct txn *t, const struct entity *e, const char *index, const struct value *vals, int nvals,
		     store_visit_fn fn, void *arg);
/* store_index_scan decoding only the fields in field_mask into one reused
 * record, as store_scan_fields. */
int store_index_scan_fields(struct txn *t, const struct entity *e, const char *index, const struct value *vals,
			    int nvals, uint64_t field_mask, store_visit_fn fn, void *arg);
/* Same, ids only (no decoding); fn gets the id. */
typedef int (*store_id_fn)(uint64_t id, void *arg);
int store_index_ids(struct txn *t, const struct entity *e, const char *index, const struct value *vals, int nvals,
		    store_id_fn fn, void *arg);
/* Decode the fields in field_mask of record id into r (from record_new of
 * the entity, reused from call to call: see record_decode_fields).
 * KAM_ENOTFOUND when there is no such record. */
int store_get_fields(struct txn *t, uint64_t id, uint64_t field_mask, struct record *r);
/* Index entries whose fields are all numeric (INT, MONEY, DATE, REF ...),
 * read from the keys alone: fn gets the fields' values in index order (an
 * unset value reads INT64_MIN) and the record id, without touching the
 * records, e.g. the contacts of an account from account_contact's
 * "account_contact" index. KAM_EINVAL for an index with a text field. */
typedef int (*store_key_fn)(const int64_t *vals, uint64_t id, void *arg);
int store_index_keys(struct txn *t, const struct entity *e, const char *index, const struct value *vals, int nvals,
		     store_key_fn fn, void *arg);
int store_count(struct txn *t, const struct entity *e, uint64_t *n);
/* The highest id of e's records, 0 when there are none (sizes tables). */
int store_last_id(struct txn *t, const struct entity *e, uint64_t *id);
int store_find_ext(struct txn *t, const struct entity *e, const char *ext_id, uint64_t *id);

/* Audit: records JSON lines {"seq":..,"ts":..,"who":..,"cmd":..,"entity":..,
 * "id":..,"op":"add|set|rm","before":{..},"after":{..}}. */
typedef int (*store_audit_fn)(uint64_t seq, const char *json, void *arg);
/* e == NULL: the whole log in sequence order; else one record's entries. */
int store_audit_scan(struct txn *t, const struct entity *e, uint64_t id, store_audit_fn fn, void *arg);
/* When off (bulk import), one summary audit line per txn is written instead
 * of one per record. */
void store_txn_set_audit_detail(struct txn *t, int on);
int store_audit_note(struct txn *t, const char *op, const char *detail_json);

/* A small namespaced key/value area ("kv" DBI) for derived data such as
 * stored scores: key = ns || 0 || key. get returns KAM_ENOTFOUND when absent;
 * *val is malloc'd. */
int store_kv_put(struct txn *t, const char *ns, const void *key, size_t klen, const void *val, size_t vlen);
int store_kv_get(struct txn *t, const char *ns, const void *key, size_t klen, void **val, size_t *vlen);
int store_kv_del(struct txn *t, const char *ns, const void *key, size_t klen);
typedef int (*store_kv_fn)(const void *key, size_t klen, const void *val, size_t vlen, void *arg);
int store_kv_scan(struct txn *t, const char *ns, store_kv_fn fn, void *arg);

/* Per-account facts ("facts" DBI, src/store/store_facts.c): everything the
 * account metrics need about one account that does not depend on today's
 * date, the plan year or the config, kept by the store like an index. Every
 * write of an account, account_year, opportunity, account_contact, activity
 * or complaint marks the account(s) it touches; store_commit recomputes each
 * marked account once, from its indexes, in the same txn. Activities are
 * kept from `horizon` (400 days before the account's last recompute) on;
 * a reader whose window starts earlier recomputes that account with
 * store_facts_load(..., unbounded). */
#define FACT_STAGES 7 /* open_stage[0]: no or unknown stage; [1 + i]: kam_enum_opp_stage[i] */
#define FACT_NO_DAY INT64_MIN
enum { FACT_AC_DM = 1, FACT_AC_KEY = 2, FACT_AC_AB = 4 };  /* decision-maker role, key, distinct A/B owners */
enum { FACT_ACT_OTHER, FACT_ACT_VISIT, FACT_ACT_PRIVATE }; /* call/email/untyped, other visit, private visit */
struct fact_year {
	int64_t year, revenue, budget, margin; /* one account_year row; money in cents */
};
struct fact_opps { /* the opportunities of one year */
	int64_t year;
	int64_t strategic;                /* strategic, not lost */
	int64_t open_stage[FACT_STAGES];  /* open amount (cents) without an explicit probability, by stage */
	int64_t open_prob, weighted_prob; /* with one: open amount, sum of amount x probability */
};
struct fact_contact { /* an account_contact row of a decision maker or key contact */
	uint64_t contact;
	int64_t end; /* days since 1970, FACT_NO_DAY: open-ended */
	unsigned flags;
	/* FACT_AC_DM rows: days of the account's non-cancelled activities that
	 * list the contact, from the horizon on (days[first .. first + n - 1],
	 * ascending), and the latest one before it (FACT_NO_DAY: none). */
	int64_t last_before;
	size_t first, n;
};
struct fact_activity {
	int64_t day; /* days since 1970 */
	int kind;    /* FACT_ACT_* */
};
struct account_facts {
	uint64_t id, parent;
	const char *name, *province;                       /* NULL: unset; owned by the struct */
	int procurement, position, scale, industry, stage; /* enum index or -1 */
	int64_t employees;
	int key, strategic, archived;
	int64_t horizon; /* activities from this day on (FACT_NO_DAY: all) */
	int64_t open_complaints;
	struct fact_year *years;
	size_t nyears;
	struct fact_opps *opps;
	size_t nopps;
	struct fact_contact *contacts;
	size_t ncontacts;
	int64_t *days;
	size_t ndays;
	struct fact_activity *acts; /* non-cancelled, day >= horizon */
	size_t nacts;
	struct fact_storage *mem; /* reused from call to call */
};
/* Each account's facts, in account id order: one cursor walk. f is borrowed
 * (valid during the call). KAM_ENOTFOUND when the database has no facts
 * (a read-only open of a database made before them): use the records. */
typedef int (*store_facts_fn)(const struct account_facts *f, void *arg);
int store_facts_scan(struct txn *t, store_facts_fn fn, void *arg);
/* Compute the facts of one account from its records (through the indexes)
 * into f, with every activity when unbounded, else with the horizon of a
 * write made now. KAM_ENOTFOUND when there is no such account. */
int store_facts_load(struct txn *t, uint64_t account, int unbounded, struct account_facts *f);
void store_facts_release(struct account_facts *f); /* frees what the struct holds */

struct store_stats {
	uint64_t records[ENT__COUNT];
	uint64_t audit_entries;
	uint64_t file_bytes;
	uint64_t used_bytes;
	uint64_t last_txnid;
	int schema_version;
};
int store_stats(struct store *st, struct store_stats *out);
/* Compacting hot copy into an empty or new directory. */
int store_backup(struct store *st, const char *dir, char **cause);

/* Consistency check (kam fsck, src/store/store_fsck.c). Checks that every
 * index entry (entity indexes, REFS indexes, ext ids, audit.record) matches a
 * record or audit line and that every record has its entries, that every
 * REF/REFS value points at an existing record and that the id counters are
 * ahead of the highest id. fn gets each problem as one line. With repair, the
 * whole check runs in one write txn that then rebuilds every index, the ext
 * table and audit.record from the records and moves counters ahead; dangling
 * references are reported and left alone (they count as unrepaired). The
 * per-account facts are checked against a recompute from the records, and
 * rebuilt by the repair. */
struct store_fsck_result {
	uint64_t records;    /* records checked */
	uint64_t entries;    /* index, ext and audit.record entries checked */
	uint64_t problems;   /* inconsistencies found */
	uint64_t unrepaired; /* of those, what --repair cannot fix (references) */
	int repaired;        /* the repair txn committed */
};
typedef void (*store_fsck_fn)(const char *problem, void *arg);
int store_fsck(struct store *st, int repair, store_fsck_fn fn, void *arg, struct store_fsck_result *out, char **cause);
/* Replace the database in dir by the backup in backup_dir (made by
 * store_backup): opens the backup read-only and runs store_fsck on it first,
 * refuses (KAM_ELOCKED, with the pid in the cause) while another process has
 * the database open, keeps the old data as data.mdb.before-restore. The
 * caller must not have dir open itself. */
int store_restore(const char *dir, const char *backup_dir, char **cause);

#endif
