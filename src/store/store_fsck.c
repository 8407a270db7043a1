/* kam fsck and kam restore: the database checked against itself, and
 * replaced by a verified backup.
 *
 * The check reads every record once and looks up the entries it should have
 * (indexes, REFS indexes, ext id, referenced records). Stale entries (an entry
 * without a record) are found by counting: every key ends with its record id,
 * so when all expected keys are present and the index holds exactly as many
 * entries, there is nothing else in it. Only an index with a surplus is walked
 * entry by entry to name the stale ones. */
#include "kam/store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "impl.h"
#include "kam/err.h"
#include "kam/json.h"

struct fsck {
	struct txn *t;
	store_fsck_fn fn;
	void *arg;
	struct store_fsck_result *res;
	struct buf key;
	/* Expected keys found present, by dbi slot: more entries than that
	 * means stale ones (whatever is missing besides). */
	uint64_t present[STORE_MAX_INDEXES];
	uint64_t present_ext;
	uint64_t max_id[ENT__COUNT];
};

static void fsck_report(struct fsck *f, int unrepairable, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fsck_report(struct fsck *f, int unrepairable, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = NULL;
	if (vasprintf(&msg, fmt, ap) < 0)
		abort(); /* out of memory, like xmalloc */
	va_end(ap);
	f->res->problems++;
	f->res->unrepaired += unrepairable != 0;
	if (f->fn)
		f->fn(msg, f->arg);
	free(msg);
}

/* 1 when key is in dbi, 0 when absent, negative on error. */
static int fsck_has(struct fsck *f, MDB_dbi dbi, const void *k, size_t klen, MDB_val *val)
{
	MDB_val key = {klen, (void *)k}, v;
	int rc = mdb_get(f->t->txn, dbi, &key, val ? val : &v);
	if (rc == MDB_NOTFOUND)
		return 0;
	return rc ? store_mdb_err(rc, NULL, "fsck read") : 1;
}

static int fsck_exists(struct fsck *f, const struct entity *e, uint64_t id)
{
	unsigned char k[8];
	for (int i = 0; i < 8; i++)
		k[i] = (unsigned char)(id >> (56 - 8 * i));
	return fsck_has(f, f->t->st->ent[store_ent_index(e)], k, 8, NULL);
}

static int fsck_ref(struct fsck *f, const struct record *r, int fld, uint64_t target)
{
	const struct entity *te = field_ref_entity(&r->ent->fields[fld]);
	int rc = te ? fsck_exists(f, te, target) : 0;
	if (rc == 0)
		fsck_report(f, 1, "%s %llu: %s -> %s %llu does not exist", r->ent->name, (unsigned long long)r->id,
			    r->ent->fields[fld].name, te ? te->name : "?", (unsigned long long)target);
	return rc < 0 ? rc : 0;
}

static int fsck_references(struct fsck *f, const struct record *r)
{
	int rc = 0;
	for (int fld = 0; fld < r->ent->nfields && !rc; fld++) {
		if (!r->v[fld].set)
			continue;
		if (r->ent->fields[fld].type == FT_REF && r->v[fld].i > 0) {
			rc = fsck_ref(f, r, fld, (uint64_t)r->v[fld].i);
		} else if (r->ent->fields[fld].type == FT_REFS && r->v[fld].s) {
			const char *p = r->v[fld].s;
			uint64_t id;
			while (!rc && (id = store_refs_next(&p)))
				rc = fsck_ref(f, r, fld, id);
		}
	}
	return rc;
}

static int fsck_entry(struct fsck *f, const struct record *r, const struct index_def *ix)
{
	int rc = fsck_has(f, f->t->st->ix[ix->dbi_slot], f->key.p, f->key.len, NULL);
	f->present[ix->dbi_slot] += rc == 1;
	if (rc == 0)
		fsck_report(f, 0, "%s %llu: missing entry in index '%s'", r->ent->name, (unsigned long long)r->id,
			    ix->name);
	return rc < 0 ? rc : 0;
}

/* 1 when target already occurs in the list before position end. */
static int refs_seen(const char *list, const char *end, uint64_t target)
{
	uint64_t id;
	while (list < end && (id = store_refs_next(&list)))
		if (id == target && list <= end)
			return 1;
	return 0;
}

static int fsck_indexes(struct fsck *f, const struct record *r)
{
	const struct entity *e = r->ent;
	int rc = 0;
	for (int i = 0; i < e->nindexes && !rc; i++) {
		buf_reset(&f->key);
		key_index_record(&f->key, &e->indexes[i], r);
		rc = fsck_entry(f, r, &e->indexes[i]);
	}
	for (int i = 0; i < store_nrefs && !rc; i++) {
		const struct index_def *ix = &store_refs[i].ix;
		if (store_refs[i].e != e || !r->v[ix->fields[0]].set || !r->v[ix->fields[0]].s)
			continue;
		const char *list = r->v[ix->fields[0]].s, *p = list, *before;
		uint64_t target;
		for (before = p; !rc && (target = store_refs_next(&p)); before = p) {
			if (refs_seen(list, before, target))
				continue; /* "3;3": one entry */
			buf_reset(&f->key);
			key_put_i64(&f->key, (int64_t)target);
			key_put_u64(&f->key, r->id);
			rc = fsck_entry(f, r, ix);
		}
	}
	return rc;
}

static void ext_key(struct buf *b, const struct entity *e, const char *ext_id)
{
	buf_reset(b);
	buf_addc(b, (char)e->code);
	buf_add(b, ext_id, strlen(ext_id) > 500 ? 500 : strlen(ext_id));
}

static int fsck_ext(struct fsck *f, const struct record *r)
{
	if (!r->ext_id || !*r->ext_id)
		return 0;
	ext_key(&f->key, r->ent, r->ext_id);
	MDB_val v;
	int rc = fsck_has(f, f->t->st->ext, f->key.p, f->key.len, &v);
	if (rc < 0)
		return rc;
	int same = rc == 1 && v.mv_size == 8 && key_get_u64(v.mv_data) == r->id;
	f->present_ext += same;
	if (!rc)
		fsck_report(f, 0, "%s %llu: external id '%s' is not in the ext table", r->ent->name,
			    (unsigned long long)r->id, r->ext_id);
	else if (!same)
		fsck_report(f, 0, "%s %llu: external id '%s' maps to another record", r->ent->name,
			    (unsigned long long)r->id, r->ext_id);
	return 0;
}

static int fsck_record(struct fsck *f, const struct record *r)
{
	int ei = store_ent_index(r->ent);
	if (r->id > f->max_id[ei])
		f->max_id[ei] = r->id;
	f->res->records++;
	int rc = fsck_indexes(f, r);
	if (!rc)
		rc = fsck_references(f, r);
	if (!rc)
		rc = fsck_ext(f, r);
	return rc;
}

static int fsck_records(struct fsck *f, const struct entity *e)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(f->t->txn, f->t->st->ent[store_ent_index(e)], &c), ret = 0;
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct record *r;
		if (k.mv_size != 8) {
			fsck_report(f, 1, "%s: a key of %zu bytes is not a record id", e->name, k.mv_size);
			continue;
		}
		uint64_t id = key_get_u64(k.mv_data);
		if (record_decode(e, id, v.mv_data, v.mv_size, &r)) {
			fsck_report(f, 1, "%s %llu: the stored record cannot be decoded", e->name,
				    (unsigned long long)id);
			continue;
		}
		ret = fsck_record(f, r);
		record_free(r);
	}
	mdb_cursor_close(c);
	if (!ret && rc != MDB_NOTFOUND)
		ret = store_mdb_err(rc, NULL, "fsck scan");
	return ret;
}

static uint64_t fsck_count(struct fsck *f, MDB_dbi dbi)
{
	MDB_stat s;
	return mdb_stat(f->t->txn, dbi, &s) ? 0 : s.ms_entries;
}

/* Does index entry k (of record r) belong to r? */
static int fsck_entry_matches(struct fsck *f, const struct index_def *ix, const struct record *r, const MDB_val *k)
{
	if (r->ent->fields[ix->fields[0]].type == FT_REFS) {
		if (k->mv_size != 16 || !r->v[ix->fields[0]].set || !r->v[ix->fields[0]].s)
			return 0;
		uint64_t target = (uint64_t)key_get_i64(k->mv_data), id;
		const char *p = r->v[ix->fields[0]].s;
		while ((id = store_refs_next(&p)))
			if (id == target)
				return 1;
		return 0;
	}
	buf_reset(&f->key);
	key_index_record(&f->key, ix, r);
	return f->key.len == k->mv_size && !memcmp(f->key.p, k->mv_data, k->mv_size);
}

/* An index with more entries than records need: name the stale ones. */
static int fsck_stale(struct fsck *f, const struct entity *e, const struct index_def *ix)
{
	MDB_cursor *c;
	MDB_val k, v, rv;
	int rc = mdb_cursor_open(f->t->txn, f->t->st->ix[ix->dbi_slot], &c), ret = 0;
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		uint64_t id = k.mv_size >= 8 ? key_get_u64((const char *)k.mv_data + k.mv_size - 8) : 0;
		struct record *r = NULL;
		int found = id ? store_get_raw(f->t, e, id, &rv) : KAM_ENOTFOUND;
		if (found && found != KAM_ENOTFOUND) {
			ret = found;
		} else if (found == KAM_ENOTFOUND) {
			fsck_report(f, 0, "index '%s' of %s: entry for %s %llu, which does not exist", ix->name,
				    e->name, e->name, (unsigned long long)id);
		} else if (!record_decode(e, id, rv.mv_data, rv.mv_size, &r) && !fsck_entry_matches(f, ix, r, &k)) {
			fsck_report(f, 0, "index '%s' of %s: stale entry for %s %llu (the record has other values)",
				    ix->name, e->name, e->name, (unsigned long long)id);
		}
		record_free(r);
	}
	mdb_cursor_close(c);
	return ret;
}

static int fsck_index_counts(struct fsck *f, const struct entity *e)
{
	int rc = 0;
	for (int i = 0; i < e->nindexes + store_nrefs && !rc; i++) {
		const struct index_def *ix = i < e->nindexes ? &e->indexes[i] : &store_refs[i - e->nindexes].ix;
		if (i >= e->nindexes && store_refs[i - e->nindexes].e != e)
			continue;
		uint64_t n = fsck_count(f, f->t->st->ix[ix->dbi_slot]);
		f->res->entries += n;
		if (n > f->present[ix->dbi_slot])
			rc = fsck_stale(f, e, ix);
	}
	return rc;
}

static int fsck_counter(struct fsck *f, const struct entity *e)
{
	char key[64];
	uint64_t next = 0, max = f->max_id[store_ent_index(e)];
	snprintf(key, sizeof key, "next.%s", e->name);
	int rc = store_meta_get(f->t, key, &next);
	if (rc && rc != KAM_ENOTFOUND)
		return rc;
	if (max && next <= max)
		fsck_report(f, 0, "%s: id counter %llu is not ahead of the highest id %llu", e->name,
			    (unsigned long long)next, (unsigned long long)max);
	return 0;
}

static const struct entity *entity_by_code(int code)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i]->code == code)
			return kam_entities[i];
	return NULL;
}

/* Ext entries that no record claims (only walked when there is a surplus). */
static int fsck_ext_stale(struct fsck *f)
{
	MDB_cursor *c;
	MDB_val k, v, rv;
	int rc = mdb_cursor_open(f->t->txn, f->t->st->ext, &c), ret = 0;
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const struct entity *e = k.mv_size > 1 ? entity_by_code(*(const unsigned char *)k.mv_data) : NULL;
		uint64_t id = v.mv_size == 8 ? key_get_u64(v.mv_data) : 0;
		struct record *r = NULL;
		int ok =
		    e && id && !store_get_raw(f->t, e, id, &rv) && !record_decode(e, id, rv.mv_data, rv.mv_size, &r);
		if (ok) {
			ext_key(&f->key, e, r->ext_id ? r->ext_id : "");
			ok = r->ext_id && f->key.len == k.mv_size && !memcmp(f->key.p, k.mv_data, k.mv_size);
		}
		if (!ok)
			fsck_report(f, 0, "ext table: stale entry '%.*s' -> %s %llu",
				    (int)(k.mv_size > 1 ? k.mv_size - 1 : 0), (const char *)k.mv_data + 1,
				    e ? e->name : "?", (unsigned long long)id);
		record_free(r);
	}
	mdb_cursor_close(c);
	return ret;
}

/* Entity and id of an audit line, 0 when it is not about one record. */
static int audit_line_target(const MDB_val *v, const struct entity **e, uint64_t *id)
{
	struct json_object o = {0};
	int col, found = 0;
	if (!json_parse_object(v->mv_data, v->mv_size, &o, &col, NULL)) {
		const struct json_member *me = json_get(&o, "entity"), *mi = json_get(&o, "id");
		int64_t n;
		if (me && mi && me->type == JSON_STRING && !parse_int64(mi->text, &n) && n > 0 &&
		    (*e = entity_by_name(me->text))) {
			*id = (uint64_t)n;
			found = 1;
		}
	}
	json_object_free(&o);
	return found;
}

static void audit_rec_key(struct buf *b, const struct entity *e, uint64_t id, uint64_t seq)
{
	buf_reset(b);
	buf_addc(b, (char)e->code);
	key_put_u64(b, id);
	key_put_u64(b, seq);
}

/* Every record line of the audit log has its audit.record entry and every
 * audit.record entry has its line. */
static int fsck_audit(struct fsck *f)
{
	MDB_cursor *c;
	MDB_val k, v;
	uint64_t present = 0;
	int rc = mdb_cursor_open(f->t->txn, f->t->st->audit, &c), ret = 0;
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const struct entity *e;
		uint64_t id;
		if (k.mv_size != 8 || !audit_line_target(&v, &e, &id))
			continue;
		audit_rec_key(&f->key, e, id, key_get_u64(k.mv_data));
		int has = fsck_has(f, f->t->st->audit_rec, f->key.p, f->key.len, NULL);
		present += has == 1;
		if (has < 0)
			ret = has;
		else if (!has)
			fsck_report(f, 0, "audit line %llu (%s %llu) is missing from audit.record",
				    (unsigned long long)key_get_u64(k.mv_data), e->name, (unsigned long long)id);
	}
	mdb_cursor_close(c);
	uint64_t n = fsck_count(f, f->t->st->audit_rec);
	f->res->entries += n;
	if (ret || n <= present)
		return ret;
	/* Surplus: entries whose line is gone or names another record. */
	if ((rc = mdb_cursor_open(f->t->txn, f->t->st->audit_rec, &c)))
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const struct entity *e = NULL, *le;
		uint64_t id = 0, lid, seq = 0;
		MDB_val line;
		if (k.mv_size == 17) {
			e = entity_by_code(*(const unsigned char *)k.mv_data);
			id = key_get_u64((const char *)k.mv_data + 1);
			seq = key_get_u64((const char *)k.mv_data + 9);
		}
		unsigned char sk[8];
		memcpy(sk, k.mv_size == 17 ? (const char *)k.mv_data + 9 : "\0\0\0\0\0\0\0\0", 8);
		if (e && fsck_has(f, f->t->st->audit, sk, 8, &line) == 1 && audit_line_target(&line, &le, &lid) &&
		    le == e && lid == id)
			continue;
		fsck_report(f, 0, "audit.record: stale entry for %s %llu, line %llu", e ? e->name : "?",
			    (unsigned long long)id, (unsigned long long)seq);
	}
	mdb_cursor_close(c);
	return 0;
}

static void fsck_facts_problem(void *arg, const char *problem)
{
	fsck_report(arg, 0, "%s", problem);
}

static int fsck_check(struct fsck *f)
{
	int rc = 0;
	for (int i = 0; i < ENT__COUNT && !rc; i++)
		rc = fsck_records(f, kam_entities[i]);
	for (int i = 0; i < ENT__COUNT && !rc; i++)
		if (!(rc = fsck_index_counts(f, kam_entities[i])))
			rc = fsck_counter(f, kam_entities[i]);
	if (!rc) {
		uint64_t n = fsck_count(f, f->t->st->ext);
		f->res->entries += n;
		if (n > f->present_ext)
			rc = fsck_ext_stale(f);
	}
	if (!rc)
		rc = fsck_audit(f);
	if (!rc) {
		uint64_t n = 0;
		rc = store_facts_check(f->t, fsck_facts_problem, f, &n);
		f->res->entries += n;
	}
	return rc;
}

static int fsck_drop(struct txn *t, MDB_dbi dbi)
{
	int rc = mdb_drop(t->txn, dbi, 0);
	if (rc)
		t->broken = 1;
	return rc ? store_mdb_err(rc, NULL, "repair") : 0;
}

/* The index entries and the ext entry of one record. */
static int repair_record(struct fsck *f, const struct record *r)
{
	const struct entity *e = r->ent;
	int rc = 0;
	for (int i = 0; i < e->nindexes && !rc; i++) {
		buf_reset(&f->key);
		key_index_record(&f->key, &e->indexes[i], r);
		rc = store_put(f->t, f->t->st->ix[e->indexes[i].dbi_slot], f->key.p, f->key.len, "", 0, 0, NULL);
	}
	for (int i = 0; i < store_nrefs && !rc; i++) {
		const struct index_def *ix = &store_refs[i].ix;
		if (store_refs[i].e != e || !r->v[ix->fields[0]].set || !r->v[ix->fields[0]].s)
			continue;
		const char *p = r->v[ix->fields[0]].s;
		uint64_t target;
		while (!rc && (target = store_refs_next(&p))) {
			buf_reset(&f->key);
			key_put_i64(&f->key, (int64_t)target);
			key_put_u64(&f->key, r->id);
			rc = store_put(f->t, f->t->st->ix[ix->dbi_slot], f->key.p, f->key.len, "", 0, 0, NULL);
		}
	}
	if (!rc && r->ext_id && *r->ext_id) {
		unsigned char id[8];
		for (int i = 0; i < 8; i++)
			id[i] = (unsigned char)(r->id >> (56 - 8 * i));
		ext_key(&f->key, e, r->ext_id);
		rc = store_put(f->t, f->t->st->ext, f->key.p, f->key.len, id, 8, 0, NULL);
	}
	return rc;
}

/* Empty every index of e, then refill them from the records. Unlike
 * store_index_rebuild this skips records that cannot be decoded (they are
 * reported and need a person), so one bad record does not block the rest. */
static int repair_entity(struct fsck *f, const struct entity *e)
{
	int rc = 0;
	for (int i = 0; i < e->nindexes && !rc; i++)
		rc = fsck_drop(f->t, f->t->st->ix[e->indexes[i].dbi_slot]);
	for (int i = 0; i < store_nrefs && !rc; i++)
		if (store_refs[i].e == e)
			rc = fsck_drop(f->t, f->t->st->ix[store_refs[i].ix.dbi_slot]);
	MDB_cursor *c;
	MDB_val k, v;
	if (rc || (rc = mdb_cursor_open(f->t->txn, f->t->st->ent[store_ent_index(e)], &c)))
		return rc < 0 ? rc : store_mdb_err(rc, NULL, "cursor");
	int ret = 0;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct record *r;
		if (k.mv_size != 8 || record_decode(e, key_get_u64(k.mv_data), v.mv_data, v.mv_size, &r))
			continue;
		ret = repair_record(f, r);
		record_free(r);
	}
	mdb_cursor_close(c);
	return ret;
}

static int repair_audit(struct fsck *f)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = fsck_drop(f->t, f->t->st->audit_rec), ret = 0;
	if (rc || (rc = mdb_cursor_open(f->t->txn, f->t->st->audit, &c)))
		return rc ? rc : store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		const struct entity *e;
		uint64_t id;
		if (k.mv_size != 8 || !audit_line_target(&v, &e, &id))
			continue;
		/* f->key is free: audit_line_target does not use it */
		audit_rec_key(&f->key, e, id, key_get_u64(k.mv_data));
		ret = store_put(f->t, f->t->st->audit_rec, f->key.p, f->key.len, "", 0, 0, NULL);
	}
	mdb_cursor_close(c);
	return ret;
}

static int fsck_repair(struct fsck *f)
{
	int rc = fsck_drop(f->t, f->t->st->ext);
	for (int i = 0; i < ENT__COUNT && !rc; i++) {
		const struct entity *e = kam_entities[i];
		rc = repair_entity(f, e);
		char key[64];
		uint64_t next = 0;
		snprintf(key, sizeof key, "next.%s", e->name);
		if (!rc && f->max_id[i] && (store_meta_get(f->t, key, &next) || next <= f->max_id[i]))
			rc = store_meta_put(f->t, key, f->max_id[i] + 1);
	}
	if (!rc)
		rc = repair_audit(f);
	if (!rc && !f->t->st->facts_missing)
		rc = store_facts_rebuild(f->t); /* from the repaired indexes */
	return rc;
}

int store_fsck(struct store *st, int repair, store_fsck_fn fn, void *arg, struct store_fsck_result *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (repair && st->rdonly)
		return set_cause(cause, KAM_ELOCKED, "--repair needs write access to the database");
	struct fsck f = {.fn = fn, .arg = arg, .res = out};
	int rc = store_begin(st, repair, &f.t);
	if (rc)
		return set_cause(cause, rc, "cannot start a transaction");
	for (int i = 0; i < st->nix; i++)
		if (st->ix_missing[i])
			rc = set_cause(cause, KAM_ESTORE, "an index is missing: open the database read-write once");
	if (!rc)
		rc = fsck_check(&f);
	if (!rc && repair && out->problems > out->unrepaired) {
		store_txn_set_command(f.t, "fsck --repair");
		if (!(rc = fsck_repair(&f)))
			rc = store_audit_note(f.t, "repair", "{\"what\":\"indexes and facts rebuilt by fsck\"}");
		if (!rc && !(rc = store_commit(f.t, cause)))
			out->repaired = 1;
		f.t = NULL;
	}
	store_abort(f.t);
	buf_free(&f.key);
	if (rc && cause && !*cause)
		set_cause(cause, rc, "fsck: %s", kam_strerror(rc));
	return rc;
}

/* Take LMDB's own exclusive lock (byte 0 of lock.mdb, held shared by every
 * process that has the environment open): while we hold it nobody else has
 * the database open and new openers wait. With MDB_NOTLS the reader table
 * only lists processes inside a read txn, so it would miss an idle TUI; the
 * lock sees them all. *fd = -1 when there is no lock file (never opened). */
static int restore_lock(const char *dir, int *fd, char **cause)
{
	char *path = xasprintf("%s/lock.mdb", dir);
	*fd = open(path, O_RDWR | O_CLOEXEC);
	free(path);
	if (*fd < 0)
		return errno == ENOENT ? 0 : set_cause(cause, KAM_ESTORE, "%s/lock.mdb: %s", dir, strerror(errno));
	struct flock l = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
	if (!fcntl(*fd, F_SETLK, &l))
		return 0;
	struct flock who = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 1};
	long pid = !fcntl(*fd, F_GETLK, &who) && who.l_type != F_UNLCK ? (long)who.l_pid : 0;
	close(*fd);
	*fd = -1;
	if (pid)
		return set_cause(cause, KAM_ELOCKED,
				 "the database in %s is in use by process %ld: close every kam using it, then retry",
				 dir, pid);
	return set_cause(cause, KAM_ELOCKED, "the database in %s is in use: close every kam using it, then retry", dir);
}

static int restore_copy(const char *from, const char *to, char **cause)
{
	int in = open(from, O_RDONLY | O_CLOEXEC), out = -1, rc = 0;
	if (in < 0)
		return set_cause(cause, KAM_ESTORE, "%s: %s", from, strerror(errno));
	mode_t old = umask(007);
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0660);
	umask(old);
	if (out < 0) {
		close(in);
		return set_cause(cause, KAM_ESTORE, "%s: %s", to, strerror(errno));
	}
	char *buf = xmalloc(1 << 20);
	ssize_t n;
	while (!rc && (n = read(in, buf, 1 << 20)) != 0) {
		for (ssize_t done = 0, w; !rc && n > 0 && done < n; done += w)
			if ((w = write(out, buf + done, (size_t)(n - done))) < 0)
				rc = set_cause(cause, errno == ENOSPC ? KAM_EFULL : KAM_ESTORE, "writing %s: %s", to,
					       strerror(errno));
		if (n < 0)
			rc = set_cause(cause, KAM_ESTORE, "reading %s: %s", from, strerror(errno));
	}
	free(buf);
	if (!rc && fsync(out))
		rc = set_cause(cause, KAM_ESTORE, "writing %s: %s", to, strerror(errno));
	close(in);
	if (close(out) && !rc)
		rc = set_cause(cause, KAM_ESTORE, "writing %s: %s", to, strerror(errno));
	if (rc)
		unlink(to);
	return rc;
}

static int restore_verify(const char *backup_dir, char **cause)
{
	char *data = xasprintf("%s/data.mdb", backup_dir);
	struct stat sb;
	int rc = stat(data, &sb) ? set_cause(cause, KAM_EINVAL, "%s is not a kam backup (no data.mdb)", backup_dir) : 0;
	free(data);
	struct store *b = NULL;
	struct store_fsck_result res;
	char *why = NULL;
	if (!rc && (rc = store_open(&b, backup_dir, STORE_RDONLY, &why)))
		rc = set_cause(cause, KAM_EINVAL, "the backup in %s does not open: %s", backup_dir,
			       why ? why : kam_strerror(rc));
	if (!rc && (rc = store_fsck(b, 0, NULL, NULL, &res, &why)))
		rc = set_cause(cause, rc, "cannot check the backup: %s", why ? why : kam_strerror(rc));
	if (!rc && res.problems)
		rc = set_cause(cause, KAM_EINVAL, "the backup in %s has %llu inconsistencies (see kam --db %s fsck)",
			       backup_dir, (unsigned long long)res.problems, backup_dir);
	free(why);
	store_close(b);
	return rc;
}

/* Under the exclusive lock: keep the old data (a hard link, so data.mdb
 * never disappears) and swap the copy in with one rename. */
static int restore_swap(const char *dir, const char *backup_dir, char **cause)
{
	char *data = xasprintf("%s/data.mdb", dir), *keep = xasprintf("%s/data.mdb.before-restore", dir);
	char *tmp = xasprintf("%s/data.mdb.restoring", dir), *src = xasprintf("%s/data.mdb", backup_dir);
	int rc = restore_copy(src, tmp, cause);
	struct stat sb;
	if (!rc && !stat(data, &sb)) {
		unlink(keep);
		if (link(data, keep))
			rc = set_cause(cause, KAM_ESTORE, "cannot keep the old data as %s: %s", keep, strerror(errno));
	}
	if (!rc && rename(tmp, data))
		rc = set_cause(cause, KAM_ESTORE, "cannot replace %s: %s", data, strerror(errno));
	if (rc)
		unlink(tmp);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) { /* make the renames durable */
		fsync(dfd);
		close(dfd);
	}
	free(data);
	free(keep);
	free(tmp);
	free(src);
	return rc;
}

int store_restore(const char *dir, const char *backup_dir, char **cause)
{
	struct stat a, b;
	if (!stat(dir, &a) && !stat(backup_dir, &b) && a.st_dev == b.st_dev && a.st_ino == b.st_ino)
		return set_cause(cause, KAM_EINVAL, "%s is the database itself, not a backup", backup_dir);
	int rc = restore_verify(backup_dir, cause);
	if (rc)
		return rc;
	mode_t old = umask(007);
	if (mkdir(dir, 02770) && errno != EEXIST)
		rc = set_cause(cause, KAM_ESTORE, "cannot create %s: %s", dir, strerror(errno));
	umask(old);
	int fd = -1;
	if (!rc && !(rc = restore_lock(dir, &fd, cause)))
		rc = restore_swap(dir, backup_dir, cause);
	if (fd >= 0)
		close(fd); /* releases the lock */
	return rc;
}
