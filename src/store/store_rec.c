/* Records: get, insert, update (optimistic concurrency), delete (reference
 * checks and cascade), scans, external ids. */
#include "kam/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kam/err.h"

/* Deeper cascades than this mean a reference cycle of required fields. */
#define CASCADE_MAX_DEPTH 32

int store_ent_index(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return 0; /* broken invariant: every entity comes from kam_entities */
}

int store_put(struct txn *t, MDB_dbi dbi, const void *k, size_t klen, const void *v, size_t vlen, unsigned flags,
	      char **cause)
{
	MDB_val key = {klen, (void *)k}, val = {vlen, (void *)v};
	int rc = mdb_put(t->txn, dbi, &key, &val, flags);
	if (rc == MDB_KEYEXIST)
		return KAM_EEXIST;
	if (rc) {
		t->broken = 1;
		t->mdb_rc = rc;
		return store_mdb_err(rc, cause, "write");
	}
	return 0;
}

int store_del(struct txn *t, MDB_dbi dbi, const void *k, size_t klen, char **cause)
{
	MDB_val key = {klen, (void *)k};
	int rc = mdb_del(t->txn, dbi, &key, NULL);
	if (rc == MDB_NOTFOUND)
		return 0;
	if (rc) {
		t->broken = 1;
		t->mdb_rc = rc;
		return store_mdb_err(rc, cause, "delete");
	}
	return 0;
}

static void id_key(unsigned char k[8], uint64_t id)
{
	for (int i = 7; i >= 0; i--, id >>= 8)
		k[i] = (unsigned char)id;
}

int store_get_raw(struct txn *t, const struct entity *e, uint64_t id, MDB_val *val)
{
	unsigned char k[8];
	id_key(k, id);
	MDB_val key = {8, k};
	int ei = store_ent_index(e), rc;
	/* Write txns keep mdb_get: a cursor kept across their puts and deletes
	 * would have to be re-validated after each one. */
	if (t->write)
		rc = mdb_get(t->txn, t->st->ent[ei], &key, val);
	else if (!t->get_cur[ei] && (rc = mdb_cursor_open(t->txn, t->st->ent[ei], &t->get_cur[ei])))
		t->get_cur[ei] = NULL;
	else
		rc = mdb_cursor_get(t->get_cur[ei], &key, val, MDB_SET);
	return rc ? store_mdb_err(rc, NULL, "read") : 0;
}

int store_get(struct txn *t, const struct entity *e, uint64_t id, struct record **out)
{
	MDB_val v;
	*out = NULL;
	int rc = store_get_raw(t, e, id, &v);
	if (rc)
		return rc;
	return record_decode(e, id, v.mv_data, v.mv_size, out);
}

/* Id counters: never behind the highest stored id, even if an older kam
 * crashed between writing a record and its counter. */
static int store_next_load(struct txn *t, int ei)
{
	if (t->next_id[ei])
		return 0;
	char key[64];
	uint64_t next = 1;
	snprintf(key, sizeof key, "next.%s", kam_entities[ei]->name);
	int rc = store_meta_get(t, key, &next);
	if (rc && rc != KAM_ENOTFOUND)
		return rc;
	MDB_cursor *c;
	MDB_val k, v;
	if ((rc = mdb_cursor_open(t->txn, t->st->ent[ei], &c)))
		return store_mdb_err(rc, NULL, "cursor");
	if (!mdb_cursor_get(c, &k, &v, MDB_LAST) && k.mv_size == 8 && key_get_u64(k.mv_data) >= next)
		next = key_get_u64(k.mv_data) + 1;
	mdb_cursor_close(c);
	t->next_id[ei] = next;
	return 0;
}

static int streq_null(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static int store_check_target(struct txn *t, const struct record *r, int f, int64_t id, char **cause)
{
	const struct field *fd = &r->ent->fields[f];
	const struct entity *target = field_ref_entity(fd);
	if (!target || (target == r->ent && r->id && (uint64_t)id == r->id))
		return 0;
	MDB_val raw;
	int rc = id > 0 ? store_get_raw(t, target, (uint64_t)id, &raw) : KAM_ENOTFOUND;
	if (rc == KAM_ENOTFOUND)
		return set_cause(cause, KAM_EINVAL, "%s: there is no %s with id %lld", fd->name, target->name,
				 (long long)id);
	return rc;
}

/* REF and REFS fields that are new or changed must point to existing records. */
static int store_check_refs(struct txn *t, const struct record *old, const struct record *r, char **cause)
{
	int rc = 0;
	for (int f = 0; f < r->ent->nfields && !rc; f++) {
		const struct value *v = &r->v[f], *was = old ? &old->v[f] : NULL;
		if (!v->set || (was && was->set && was->i == v->i && streq_null(was->s, v->s)))
			continue;
		if (r->ent->fields[f].type == FT_REF) {
			rc = store_check_target(t, r, f, v->i, cause);
		} else if (r->ent->fields[f].type == FT_REFS) {
			const char *p = v->s ? v->s : "";
			uint64_t id;
			while (!rc && (id = store_refs_next(&p)))
				rc = id > INT64_MAX ? KAM_EINVAL : store_check_target(t, r, f, (int64_t)id, cause);
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

int store_find_ext(struct txn *t, const struct entity *e, const char *ext_id, uint64_t *id)
{
	struct buf b = {0};
	ext_key(&b, e, ext_id);
	MDB_val k = {b.len, b.p}, v;
	int rc = mdb_get(t->txn, t->st->ext, &k, &v);
	buf_free(&b);
	if (rc)
		return store_mdb_err(rc, NULL, "read");
	if (v.mv_size != 8)
		return KAM_ESTORE;
	*id = key_get_u64(v.mv_data);
	return 0;
}

/* The external id must not belong to another record of the entity. */
static int store_check_ext(struct txn *t, const struct record *r, char **cause)
{
	uint64_t other;
	if (!r->ext_id || !*r->ext_id)
		return 0;
	int rc = store_find_ext(t, r->ent, r->ext_id, &other);
	if (rc == KAM_ENOTFOUND || (!rc && other == r->id))
		return 0;
	if (rc)
		return rc;
	return set_cause(cause, KAM_EEXIST, "%s with external id '%s' already exists (%s %llu)", r->ent->name,
			 r->ext_id, r->ent->name, (unsigned long long)other);
}

static int store_ext_update(struct txn *t, const struct record *old, const struct record *r, char **cause)
{
	int rc = 0;
	const char *was = old && old->ext_id && *old->ext_id ? old->ext_id : NULL;
	const char *now = r && r->ext_id && *r->ext_id ? r->ext_id : NULL;
	if (streq_null(was, now))
		return 0;
	if (was) {
		ext_key(&t->k, old->ent, was);
		rc = store_del(t, t->st->ext, t->k.p, t->k.len, cause);
	}
	if (!rc && now) {
		unsigned char id[8];
		id_key(id, r->id);
		ext_key(&t->k, r->ent, now);
		rc = store_put(t, t->st->ext, t->k.p, t->k.len, id, 8, 0, cause);
	}
	return rc;
}

static int store_put_record(struct txn *t, const struct record *r, int append, char **cause)
{
	unsigned char k[8];
	MDB_dbi dbi = t->st->ent[store_ent_index(r->ent)];
	id_key(k, r->id);
	buf_reset(&t->v);
	record_encode(r, &t->v);
	int rc = store_put(t, dbi, k, 8, t->v.p, t->v.len, append ? MDB_APPEND : 0, cause);
	if (rc == KAM_EEXIST) /* not the highest id after all: an ordinary put */
		rc = store_put(t, dbi, k, 8, t->v.p, t->v.len, 0, cause);
	return rc;
}

static int store_need_write(struct txn *t, char **cause)
{
	if (!t->write)
		return set_cause(cause, KAM_ESTORE, "write in a read-only transaction");
	if (t->broken)
		return set_cause(cause, KAM_ESTORE, "an earlier error left the transaction unusable");
	return 0;
}

/* A write failed half-way: the txn can only be aborted. */
static int store_failed(struct txn *t, const struct record *r, int rc, char **cause)
{
	t->broken = 1;
	/* Every put and delete keeps its LMDB error: store_mdb_err says map or disk. */
	if (rc == KAM_EFULL && t->mdb_rc) {
		char what[96];
		snprintf(what, sizeof what, "cannot store %s %llu", r->ent->name, (unsigned long long)r->id);
		return store_mdb_err(t->mdb_rc, cause, what);
	}
	return set_cause(cause, rc, "cannot store %s %llu", r->ent->name, (unsigned long long)r->id);
}

/* Version 1 and timestamps; imports of kam's own exports keep theirs. */
static void store_stamp_new(struct txn *t, struct record *r)
{
	if (!r->created || !r->version)
		r->version = 1;
	if (!r->created) {
		r->created = r->updated = t->now;
		free(r->updated_by);
		r->updated_by = xstrdup(t->st->user);
		return;
	}
	if (!r->updated)
		r->updated = r->created;
	if (!r->updated_by)
		r->updated_by = xstrdup(t->st->user);
}

int store_insert(struct txn *t, struct record *r, char **cause)
{
	const struct entity *e = r->ent;
	int ei = store_ent_index(e), rc;
	MDB_val raw;
	if ((rc = store_need_write(t, cause)) || (rc = store_next_load(t, ei)))
		return rc;
	/* The counter is ahead of every stored id: ids from it, or beyond it,
	 * are free and append at the end of the table. */
	if (r->id > INT64_MAX)
		return set_cause(cause, KAM_EINVAL, "%s id %llu is out of range", e->name, (unsigned long long)r->id);
	int append = !r->id || r->id >= t->next_id[ei];
	if (!append) {
		rc = store_get_raw(t, e, r->id, &raw);
		if (!rc)
			return set_cause(cause, KAM_EEXIST, "%s %llu already exists", e->name,
					 (unsigned long long)r->id);
		if (rc != KAM_ENOTFOUND)
			return rc;
	}
	if ((rc = record_validate(r, cause)) || (rc = store_check_refs(t, NULL, r, cause)) ||
	    (rc = store_check_ext(t, r, cause)))
		return rc;
	if (!r->id)
		r->id = t->next_id[ei]++;
	else if (r->id >= t->next_id[ei])
		t->next_id[ei] = r->id + 1;
	t->next_dirty[ei] = 1;
	store_stamp_new(t, r);
	if ((rc = store_put_record(t, r, append, cause)) || (rc = store_index_update(t, NULL, r)) ||
	    (rc = store_ext_update(t, NULL, r, cause)) || (rc = store_audit_record(t, "add", NULL, r)))
		return store_failed(t, r, rc, cause);
	store_facts_note(t, NULL, r);
	return 0;
}

int store_update(struct txn *t, struct record *r, char **cause)
{
	const struct entity *e = r->ent;
	struct record *old;
	int rc = store_need_write(t, cause);
	if (rc)
		return rc;
	if ((rc = store_get(t, e, r->id, &old)) == KAM_ENOTFOUND)
		return set_cause(cause, rc, "%s %llu no longer exists (deleted by someone else?)", e->name,
				 (unsigned long long)r->id);
	if (rc)
		return set_cause(cause, rc, "cannot read %s %llu", e->name, (unsigned long long)r->id);
	if (old->version != r->version) {
		rc = set_cause(cause, KAM_ECONFLICT, "%s %llu changed since you read it (version %u, now %u, by %s)",
			       e->name, (unsigned long long)r->id, r->version, old->version,
			       old->updated_by ? old->updated_by : "unknown");
		record_free(old);
		return rc;
	}
	int *diff;
	if (!(rc = record_validate(r, cause)) && !(rc = store_check_refs(t, old, r, cause)))
		rc = store_check_ext(t, r, cause);
	int changed = record_diff(old, r, &diff);
	free(diff);
	if (rc || (!changed && streq_null(old->ext_id, r->ext_id))) {
		record_free(old); /* an update that changes nothing writes nothing */
		return rc;
	}
	r->version = old->version + 1;
	r->created = old->created;
	r->updated = t->now;
	free(r->updated_by);
	r->updated_by = xstrdup(t->st->user);
	if ((rc = store_put_record(t, r, 0, cause)) || (rc = store_index_update(t, old, r)) ||
	    (rc = store_ext_update(t, old, r, cause)) || (rc = store_audit_record(t, "set", old, r)))
		rc = store_failed(t, r, rc, cause);
	else
		store_facts_note(t, old, r); /* both accounts when the record moved */
	record_free(old);
	return rc;
}

struct ref_hit {
	const struct entity *e;
	int field;
	uint64_t id;
};

struct ref_hits {
	struct ref_hit *v;
	size_t n, cap;
	const struct entity *e;
	int field;
	uint64_t self; /* the record being deleted, when it points at itself */
	const struct entity *self_e;
};

static int collect_hit(uint64_t id, void *arg)
{
	struct ref_hits *h = arg;
	if (h->e == h->self_e && id == h->self)
		return 0;
	if (h->n == h->cap) {
		h->cap = h->cap ? h->cap * 2 : 16;
		h->v = xrealloc(h->v, h->cap * sizeof *h->v);
	}
	h->v[h->n++] = (struct ref_hit){h->e, h->field, id};
	return 0;
}

/* Every record whose REF field points at e/id, through the automatic REF
 * indexes (named after their field). */
static int store_find_referrers(struct txn *t, const struct entity *e, uint64_t id, struct ref_hits *h)
{
	h->self = id;
	h->self_e = e;
	for (int i = 0; i < ENT__COUNT; i++) {
		const struct entity *re = kam_entities[i];
		for (int x = 0; x < re->nindexes; x++) {
			const struct index_def *ix = &re->indexes[x];
			const struct field *fd = &re->fields[ix->fields[0]];
			if (ix->nfields != 1 || fd->type != FT_REF || strcmp(ix->name, fd->name) ||
			    field_ref_entity(fd) != e)
				continue;
			struct value v = {.i = (int64_t)id, .set = 1};
			h->e = re;
			h->field = ix->fields[0];
			int rc = store_index_ids(t, re, ix->name, &v, 1, collect_hit, h);
			if (rc)
				return rc;
		}
	}
	for (int i = 0; i < store_nrefs; i++) {
		const struct store_refs *r = &store_refs[i];
		if (field_ref_entity(&r->e->fields[r->ix.fields[0]]) != e)
			continue;
		struct value v = {.i = (int64_t)id, .set = 1};
		h->e = r->e;
		h->field = r->ix.fields[0];
		int rc = store_index_ids(t, r->e, r->ix.name, &v, 1, collect_hit, h);
		if (rc)
			return rc;
	}
	return 0;
}

static int store_refused(struct txn *t, const struct entity *e, uint64_t id, const struct ref_hits *h, char **cause)
{
	const struct ref_hit *first = &h->v[0];
	size_t same = 0;
	for (size_t i = 0; i < h->n; i++)
		same += h->v[i].e == first->e && h->v[i].field == first->field;
	struct record *r = NULL;
	store_get(t, first->e, first->id, &r);
	const char *name = r ? record_name(r) : "";
	char *others = h->n > same ? xasprintf(", and by %zu other record(s)", h->n - same) : xstrdup("");
	int rc = set_cause(cause, KAM_EREFERENCED,
			   "%s %llu is referenced by %zu %s, e.g. %s %llu%s%s%s (%s)%s; "
			   "remove those first or delete with cascade",
			   e->name, (unsigned long long)id, same, same == 1 ? first->e->name : first->e->plural,
			   first->e->name, (unsigned long long)first->id, *name ? " \"" : "", name, *name ? "\"" : "",
			   first->e->fields[first->field].name, others);
	free(others);
	record_free(r);
	return rc;
}

static int store_delete_rec(struct txn *t, const struct entity *e, uint64_t id, int cascade, int depth, char **cause);

static int store_points_at(const struct record *r, int f, uint64_t target)
{
	const struct value *v = &r->v[f];
	if (!v->set)
		return 0;
	if (r->ent->fields[f].type != FT_REFS)
		return (uint64_t)v->i == target;
	const char *p = v->s ? v->s : "";
	uint64_t id;
	while ((id = store_refs_next(&p)))
		if (id == target)
			return 1;
	return 0;
}

/* Clear a REF, or take one id out of a REFS list. */
static void store_drop_target(struct record *r, int f, uint64_t target)
{
	if (r->ent->fields[f].type != FT_REFS) {
		record_clear(r, f);
		return;
	}
	struct buf b = {0};
	const char *p = r->v[f].s ? r->v[f].s : "";
	uint64_t id;
	while ((id = store_refs_next(&p)))
		if (id != target)
			buf_addf(&b, "%s%llu", b.len ? ";" : "", (unsigned long long)id);
	record_set_text(r, f, b.len ? b.p : NULL);
	buf_free(&b);
}

/* Cascade step for one referrer: a required reference deletes the referrer,
 * an optional one is cleared, unless the record is invalid without it. */
static int store_unlink(struct txn *t, const struct ref_hit *hit, uint64_t target, int depth, char **cause)
{
	struct record *r;
	int rc = store_get(t, hit->e, hit->id, &r);
	if (rc == KAM_ENOTFOUND)
		return 0; /* already gone in this cascade */
	if (rc)
		return rc;
	if (!store_points_at(r, hit->field, target)) {
		record_free(r);
		return 0;
	}
	int remove = hit->e->fields[hit->field].flags & FF_REQ;
	if (!remove) {
		store_drop_target(r, hit->field, target);
		struct record *probe = record_dup(r);
		remove = record_validate(probe, NULL) != 0;
		record_free(probe);
	}
	rc = remove ? store_delete_rec(t, hit->e, hit->id, 1, depth + 1, cause) : store_update(t, r, cause);
	record_free(r);
	return rc;
}

static int store_delete_rec(struct txn *t, const struct entity *e, uint64_t id, int cascade, int depth, char **cause)
{
	struct record *old;
	struct ref_hits h = {0};
	if (depth > CASCADE_MAX_DEPTH)
		return set_cause(cause, KAM_ESTORE, "cascade deeper than %d levels at %s %llu", CASCADE_MAX_DEPTH,
				 e->name, (unsigned long long)id);
	int rc = store_get(t, e, id, &old);
	if (rc)
		return rc == KAM_ENOTFOUND ? set_cause(cause, rc, "%s %llu not found", e->name, (unsigned long long)id)
					   : rc;
	if ((rc = store_find_referrers(t, e, id, &h)))
		goto out;
	if (h.n && !cascade) {
		rc = store_refused(t, e, id, &h, cause);
		goto out;
	}
	unsigned char k[8];
	id_key(k, id);
	if ((rc = store_del(t, t->st->ent[store_ent_index(e)], k, 8, cause)) ||
	    (rc = store_index_update(t, old, NULL)) || (rc = store_ext_update(t, old, NULL, cause)) ||
	    (rc = store_audit_record(t, "rm", old, NULL))) {
		t->broken = 1;
		goto out;
	}
	store_facts_note(t, old, NULL);
	/* The record is gone first, so a cycle back to it finds nothing. */
	for (size_t i = 0; i < h.n && !rc; i++)
		rc = store_unlink(t, &h.v[i], id, depth, cause);
out:
	free(h.v);
	record_free(old);
	return rc;
}

int store_delete(struct txn *t, const struct entity *e, uint64_t id, int cascade, char **cause)
{
	int rc = store_need_write(t, cause);
	return rc ? rc : store_delete_rec(t, e, id, cascade, 0, cause);
}

int store_scan(struct txn *t, const struct entity *e, store_visit_fn fn, void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(t->txn, t->st->ent[store_ent_index(e)], &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	/* One record for the whole scan, its buffers reused row after row: the
	 * callback's record is borrowed, so nothing needs a fresh allocation. */
	struct record *r = record_new(e);
	int ret = 0;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8 || record_decode_into(r, key_get_u64(k.mv_data), v.mv_data, v.mv_size)) {
			ret = KAM_ESTORE;
			break;
		}
		ret = fn(r, arg);
	}
	record_free(r);
	mdb_cursor_close(c);
	if (!ret && rc != MDB_NOTFOUND)
		ret = store_mdb_err(rc, NULL, "scan");
	return ret;
}

/* Shared by store_scan_fields and store_scan_match (match_field -1: every row). */
static int store_scan_masked(struct txn *t, const struct entity *e, uint64_t field_mask, int match_field,
			     int64_t match_value, store_visit_fn fn, void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	if (match_field >= e->nfields)
		return KAM_EINVAL;
	int rc = mdb_cursor_open(t->txn, t->st->ent[store_ent_index(e)], &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	/* One record for the whole scan: record_decode_fields resets the masked
	 * fields per row and reuses their text buffers. */
	struct record *r = record_new(e);
	int ret = 0;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		if (k.mv_size != 8) {
			ret = KAM_ESTORE;
			break;
		}
		int d = match_field < 0
			    ? record_decode_fields(r, key_get_u64(k.mv_data), v.mv_data, v.mv_size, field_mask)
			    : record_decode_fields_if(r, key_get_u64(k.mv_data), v.mv_data, v.mv_size, field_mask,
						      match_field, match_value);
		if (d < 0) {
			ret = d;
			break;
		}
		if (d == 0)
			ret = fn(r, arg);
	}
	record_free(r);
	mdb_cursor_close(c);
	if (!ret && rc != MDB_NOTFOUND)
		ret = store_mdb_err(rc, NULL, "scan");
	return ret;
}

int store_scan_fields(struct txn *t, const struct entity *e, uint64_t field_mask, store_visit_fn fn, void *arg)
{
	return store_scan_masked(t, e, field_mask, -1, 0, fn, arg);
}

int store_scan_match(struct txn *t, const struct entity *e, uint64_t field_mask, int match_field, int64_t match_value,
		     store_visit_fn fn, void *arg)
{
	if (match_field < 0)
		return KAM_EINVAL;
	return store_scan_masked(t, e, field_mask, match_field, match_value, fn, arg);
}

int store_get_fields(struct txn *t, uint64_t id, uint64_t field_mask, struct record *r)
{
	MDB_val v;
	int rc = store_get_raw(t, r->ent, id, &v);
	if (rc)
		return rc;
	return record_decode_fields(r, id, v.mv_data, v.mv_size, field_mask);
}

int store_last_id(struct txn *t, const struct entity *e, uint64_t *id)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(t->txn, t->st->ent[store_ent_index(e)], &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	rc = mdb_cursor_get(c, &k, &v, MDB_LAST);
	mdb_cursor_close(c);
	*id = !rc && k.mv_size == 8 ? key_get_u64(k.mv_data) : 0;
	return rc == MDB_NOTFOUND ? 0 : store_mdb_err(rc, NULL, "scan");
}

int store_count(struct txn *t, const struct entity *e, uint64_t *n)
{
	MDB_stat ms;
	int rc = mdb_stat(t->txn, t->st->ent[store_ent_index(e)], &ms);
	if (rc)
		return store_mdb_err(rc, NULL, "stat");
	*n = ms.ms_entries;
	return 0;
}
