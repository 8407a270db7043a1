/* Internals shared by the files of the store. The only header that includes
 * <lmdb.h>; nothing outside src/store may include it. */
#ifndef KAM_STORE_IMPL_H
#define KAM_STORE_IMPL_H

#include <lmdb.h>
#include <stdint.h>
#include <sys/types.h>

#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "keys.h"

/* Enough for every index of schema.def (55 DBIs in all today). */
#define STORE_MAX_INDEXES 48

/* Every FT_REFS field ("3;17") gets an index made by the store, named after
 * the field: key = listed id || record id, one entry per listed id. It finds
 * referrers on delete like the REF indexes of the model. */
#define STORE_MAX_REFS 8
struct store_refs {
	const struct entity *e;
	struct index_def ix;
};
extern struct store_refs store_refs[STORE_MAX_REFS];
extern int store_nrefs;
void store_refs_init(void);
/* The next id of a REFS list at *p (advanced), or 0 at the end. */
uint64_t store_refs_next(const char **p);

struct store {
	MDB_env *env;
	char *path;
	char *user;
	int rdonly;
	int schema_version;
	MDB_dbi ent[ENT__COUNT];
	MDB_dbi ix[STORE_MAX_INDEXES]; /* by index_def.dbi_slot */
	/* Read-only open of a database made before the index existed: the
	 * rest works, scans of the index fail until a read-write open adds it. */
	unsigned char ix_missing[STORE_MAX_INDEXES];
	int nix;
	MDB_dbi meta, ext, audit, audit_rec, kv;
	MDB_dbi facts;
	/* Read-only open of a database without (current) facts: readers use
	 * the records instead. */
	int facts_missing;
	int writing;          /* a write txn is open: a second would deadlock */
	int64_t reader_check; /* time of the last mdb_reader_check */
	dev_t dev;            /* data.mdb, to refuse a second env on it */
	ino_t ino;
	struct store *next_open;
};

struct txn {
	struct store *st;
	MDB_txn *txn;
	int write;
	int broken;       /* a write failed half-way: only abort is possible */
	int mdb_rc;       /* the LMDB error that broke it, for the message */
	int audit_detail; /* one audit line per record (default) */
	int noted;        /* store_audit_note wrote a line */
	char *cmd;
	int64_t now;
	/* Id counters and the audit sequence are read once per txn and written
	 * back at commit, so bulk inserts do not rewrite meta per record. */
	uint64_t next_id[ENT__COUNT];
	unsigned char next_dirty[ENT__COUNT];
	uint64_t audit_seq; /* next sequence number, 0 = not read yet */
	uint64_t nadd, nset, nrm;
	struct buf k, v, k2, a; /* scratch buffers reused by every operation */
	/* Read txns fetch records through one cursor per entity: LMDB looks
	 * for the key in the cursor's current leaf first, so gets of nearby
	 * ids (the contacts of one account) skip the descent from the root. */
	MDB_cursor *get_cur[ENT__COUNT];
	/* Accounts whose facts store_commit recomputes (open addressing, 0 =
	 * empty slot; account ids start at 1). */
	uint64_t *facts_dirty;
	size_t facts_cap, facts_n;
};

/* LMDB result -> KAM_E* (with a cause when cause != NULL). */
int store_mdb_err(int rc, char **cause, const char *what);
int store_get_raw(struct txn *t, const struct entity *e, uint64_t id, MDB_val *val);
int store_ent_index(const struct entity *e);
/* mdb_put/mdb_del that mark the txn broken on failure (KAM_E* result). */
int store_put(struct txn *t, MDB_dbi dbi, const void *k, size_t klen, const void *v, size_t vlen, unsigned flags,
	      char **cause);
int store_del(struct txn *t, MDB_dbi dbi, const void *k, size_t klen, char **cause);
int store_index_slot(struct txn *t, const struct entity *e, const char *name, const struct index_def **ix);
/* Put/delete the index entries of a change (old or new may be NULL). */
int store_index_update(struct txn *t, const struct record *old, const struct record *new_r);
/* One audit line for a record change; op is "add", "set" or "rm". */
int store_audit_record(struct txn *t, const char *op, const struct record *before, const struct record *after);
int store_audit_flush(struct txn *t);
int store_counters_flush(struct txn *t);
/* Fill the index DBI of ix from the entity's records (missing index). */
int store_index_build(struct txn *t, const struct entity *e, const struct index_def *ix);

/* Per-account facts (store_facts.c). */
#define FACTS_FORMAT 1 /* encoding version, also meta "facts.format" */
/* Remember the accounts a record change touches (old or new may be NULL). */
void store_facts_note(struct txn *t, const struct record *old, const struct record *new_r);
/* Recompute the facts of the remembered accounts (store_commit). */
int store_facts_flush(struct txn *t, char **cause);
/* Open the facts DBI; in a write txn, build it when missing or of another
 * format (fresh: a new database, nothing to build). 1 when a read txn finds
 * it needs that write. */
int store_facts_open(struct store *st, struct txn *t, int fresh, char **cause);
/* Drop and recompute every account's facts. */
int store_facts_rebuild(struct txn *t);
/* fsck: compare the stored facts with a recompute (with the stored horizon);
 * fn gets each problem. *checked counts the entries. */
int store_facts_check(struct txn *t, void (*fn)(void *arg, const char *problem), void *arg, uint64_t *checked);

#endif
