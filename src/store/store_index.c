/* Secondary indexes: key = encoded field values || id, empty value.
 * Maintained on every write, scanned by prefix. */
#include "kam/store.h"

#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kam/err.h"

struct store_refs store_refs[STORE_MAX_REFS];
int store_nrefs;

/* The REFS index table: the same in every store of the process, like the
 * model's index tables. */
void store_refs_init(void)
{
	if (store_nrefs)
		return;
	for (int i = 0; i < ENT__COUNT; i++) {
		const struct entity *e = kam_entities[i];
		for (int f = 0; f < e->nfields && store_nrefs < STORE_MAX_REFS; f++) {
			if (e->fields[f].type != FT_REFS)
				continue;
			struct store_refs *r = &store_refs[store_nrefs++];
			r->e = e;
			r->ix = (struct index_def){e->fields[f].name, IX_PLAIN, {f, -1}, 1, -1};
		}
	}
}

uint64_t store_refs_next(const char **p)
{
	while (**p) {
		char *end;
		uint64_t id = strtoull(*p, &end, 10);
		if (end == *p) { /* not a number: skip one byte */
			(*p)++;
			continue;
		}
		*p = *end == ';' ? end + 1 : end;
		if (id)
			return id;
	}
	return 0;
}

int store_index_slot(struct txn *t, const struct entity *e, const char *name, const struct index_def **ix)
{
	const struct index_def *found = NULL;
	for (int i = 0; i < e->nindexes && !found; i++)
		if (!strcmp(e->indexes[i].name, name))
			found = &e->indexes[i];
	for (int i = 0; i < store_nrefs && !found; i++)
		if (store_refs[i].e == e && !strcmp(store_refs[i].ix.name, name))
			found = &store_refs[i].ix;
	if (!found)
		return KAM_EINVAL;
	if (found->dbi_slot < 0)
		return KAM_ESTORE; /* the store was never opened */
	if (t->st->ix_missing[found->dbi_slot])
		return KAM_ESTORE; /* read-only, made before this index existed */
	*ix = found;
	return 0;
}

/* Put (put != 0) or delete the entries of one REFS list of record id. */
static int store_refs_apply(struct txn *t, const struct index_def *ix, const char *list, uint64_t id, int put)
{
	MDB_dbi dbi = t->st->ix[ix->dbi_slot];
	uint64_t target;
	int rc = 0;
	while (!rc && list && (target = store_refs_next(&list))) {
		buf_reset(&t->k);
		key_put_i64(&t->k, (int64_t)target);
		key_put_u64(&t->k, id);
		rc = put ? store_put(t, dbi, t->k.p, t->k.len, "", 0, 0, NULL)
			 : store_del(t, dbi, t->k.p, t->k.len, NULL);
	}
	return rc;
}

static const char *refs_list(const struct record *r, int f)
{
	return r && r->v[f].set ? r->v[f].s : NULL;
}

static int store_refs_update(struct txn *t, const struct record *old, const struct record *new_r)
{
	const struct entity *e = old ? old->ent : new_r->ent;
	for (int i = 0; i < store_nrefs; i++) {
		if (store_refs[i].e != e)
			continue;
		const struct index_def *ix = &store_refs[i].ix;
		const char *a = refs_list(old, ix->fields[0]), *b = refs_list(new_r, ix->fields[0]);
		if ((!a && !b) || (a && b && !strcmp(a, b)))
			continue;
		int rc = old ? store_refs_apply(t, ix, a, old->id, 0) : 0;
		if (rc || (new_r && (rc = store_refs_apply(t, ix, b, new_r->id, 1))))
			return rc;
	}
	return 0;
}

int store_index_update(struct txn *t, const struct record *old, const struct record *new_r)
{
	const struct entity *e = old ? old->ent : new_r->ent;
	for (int i = 0; i < e->nindexes; i++) {
		const struct index_def *ix = &e->indexes[i];
		MDB_dbi dbi = t->st->ix[ix->dbi_slot];
		int rc = 0;
		buf_reset(&t->k);
		buf_reset(&t->k2);
		if (old)
			key_index_record(&t->k, ix, old);
		if (new_r)
			key_index_record(&t->k2, ix, new_r);
		if (old && new_r && t->k.len == t->k2.len && !memcmp(t->k.p, t->k2.p, t->k.len))
			continue;
		if (old)
			rc = store_del(t, dbi, t->k.p, t->k.len, NULL);
		if (!rc && new_r)
			rc = store_put(t, dbi, t->k2.p, t->k2.len, "", 0, 0, NULL);
		if (rc)
			return rc;
	}
	return store_refs_update(t, old, new_r);
}

int store_index_build(struct txn *t, const struct entity *e, const struct index_def *ix)
{
	MDB_cursor *c;
	MDB_val k, v;
	int rc = mdb_cursor_open(t->txn, t->st->ent[store_ent_index(e)], &c);
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	int ret = 0;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		struct record *r;
		if (k.mv_size != 8 || record_decode(e, key_get_u64(k.mv_data), v.mv_data, v.mv_size, &r)) {
			ret = KAM_ESTORE;
			break;
		}
		if (e->fields[ix->fields[0]].type == FT_REFS) {
			ret = store_refs_apply(t, ix, refs_list(r, ix->fields[0]), r->id, 1);
		} else {
			buf_reset(&t->k);
			key_index_record(&t->k, ix, r);
			ret = store_put(t, t->st->ix[ix->dbi_slot], t->k.p, t->k.len, "", 0, 0, NULL);
		}
		record_free(r);
	}
	mdb_cursor_close(c);
	return ret;
}

static int store_index_refill(struct txn *t, const struct entity *e, const struct index_def *ix)
{
	int rc = mdb_drop(t->txn, t->st->ix[ix->dbi_slot], 0);
	if (rc) {
		t->broken = 1;
		return store_mdb_err(rc, NULL, "rebuild");
	}
	return store_index_build(t, e, ix);
}

int store_index_rebuild(struct txn *t, const struct entity *e)
{
	int rc = t->write ? 0 : KAM_ESTORE;
	for (int i = 0; i < e->nindexes && !rc; i++)
		rc = store_index_refill(t, e, &e->indexes[i]);
	for (int i = 0; i < store_nrefs && !rc; i++)
		if (store_refs[i].e == e)
			rc = store_index_refill(t, e, &store_refs[i].ix);
	return rc;
}

/* Calls fn for the id of every key starting with the prefix. The prefix is
 * a local buffer: callbacks may use the store (and its scratch buffers). */
/* Call fn with each key of index ix that starts with the prefix of vals, in
 * key order; keys shorter than the prefix plus min_tail bytes end the walk. */
typedef int (*raw_key_fn)(const MDB_val *k, void *arg);
static int index_range(struct txn *t, const struct entity *e, const struct index_def *ix, const struct value *vals,
		       int nvals, size_t min_tail, raw_key_fn fn, void *arg)
{
	struct buf p = {0};
	key_index_prefix(&p, e, ix, vals, nvals);
	MDB_cursor *c;
	int rc = mdb_cursor_open(t->txn, t->st->ix[ix->dbi_slot], &c);
	if (rc) {
		buf_free(&p);
		return store_mdb_err(rc, NULL, "cursor");
	}
	MDB_val k = {p.len, p.p}, v;
	int ret = 0;
	rc = mdb_cursor_get(c, &k, &v, p.len ? MDB_SET_RANGE : MDB_FIRST);
	while (!rc && k.mv_size >= p.len + min_tail && (!p.len || !memcmp(k.mv_data, p.p, p.len))) {
		if ((ret = fn(&k, arg)))
			break;
		rc = mdb_cursor_get(c, &k, &v, MDB_NEXT);
	}
	mdb_cursor_close(c);
	buf_free(&p);
	if (!ret && rc && rc != MDB_NOTFOUND)
		ret = store_mdb_err(rc, NULL, "index scan");
	return ret;
}

struct id_walk {
	store_id_fn fn;
	void *arg;
};

static int id_of_key(const MDB_val *k, void *arg)
{
	struct id_walk *w = arg;
	return w->fn(key_get_u64((const char *)k->mv_data + k->mv_size - 8), w->arg);
}

static int store_index_walk(struct txn *t, const struct entity *e, const char *index, const struct value *vals,
			    int nvals, store_id_fn fn, void *arg)
{
	const struct index_def *ix;
	int rc = store_index_slot(t, e, index, &ix);
	if (rc)
		return rc;
	struct id_walk w = {fn, arg};
	return index_range(t, e, ix, vals, nvals, 8, id_of_key, &w);
}

struct key_walk {
	const struct index_def *ix;
	store_key_fn fn;
	void *arg;
};

static int values_of_key(const MDB_val *k, void *arg)
{
	struct key_walk *w = arg;
	size_t klen = (size_t)w->ix->nfields * 8 + 8;
	if (k->mv_size != klen)
		return KAM_ESTORE;
	int64_t kv[sizeof w->ix->fields / sizeof w->ix->fields[0]];
	for (int i = 0; i < w->ix->nfields; i++)
		kv[i] = key_get_i64((const char *)k->mv_data + 8 * i);
	return w->fn(kv, key_get_u64((const char *)k->mv_data + klen - 8), w->arg);
}

int store_index_keys(struct txn *t, const struct entity *e, const char *index, const struct value *vals, int nvals,
		     store_key_fn fn, void *arg)
{
	const struct index_def *ix;
	int rc = store_index_slot(t, e, index, &ix);
	if (rc)
		return rc;
	for (int i = 0; i < ix->nfields; i++) {
		enum ftype ty = e->fields[ix->fields[i]].type;
		if (ty == FT_TEXT || ty == FT_ENUM || ty == FT_REFS)
			return KAM_EINVAL; /* only fixed-width values can be read back */
	}
	struct key_walk w = {ix, fn, arg};
	return index_range(t, e, ix, vals, nvals, 0, values_of_key, &w);
}

int store_index_ids(struct txn *t, const struct entity *e, const char *index, const struct value *vals, int nvals,
		    store_id_fn fn, void *arg)
{
	return store_index_walk(t, e, index, vals, nvals, fn, arg);
}

struct visit {
	struct txn *t;
	const struct entity *e;
	store_visit_fn fn;
	void *arg;
	uint64_t mask;
	int all;          /* every field and the header (store_index_scan) */
	struct record *r; /* reused for every row */
};

static int store_index_visit(uint64_t id, void *arg)
{
	struct visit *vi = arg;
	MDB_val raw;
	int rc = store_get_raw(vi->t, vi->e, id, &raw);
	if (rc == KAM_ENOTFOUND)
		return 0; /* deleted by the callback itself */
	if (rc)
		return rc;
	rc = vi->all ? record_decode_into(vi->r, id, raw.mv_data, raw.mv_size)
		     : record_decode_fields(vi->r, id, raw.mv_data, raw.mv_size, vi->mask);
	return rc ? rc : vi->fn(vi->r, vi->arg);
}

static int store_index_visit_all(struct txn *t, const struct entity *e, const char *index, const struct value *vals,
				 int nvals, uint64_t mask, int all, store_visit_fn fn, void *arg)
{
	struct visit vi = {t, e, fn, arg, mask, all, record_new(e)};
	int rc = store_index_walk(t, e, index, vals, nvals, store_index_visit, &vi);
	record_free(vi.r);
	return rc;
}

int store_index_scan(struct txn *t, const struct entity *e, const char *index, const struct value *vals, int nvals,
		     store_visit_fn fn, void *arg)
{
	return store_index_visit_all(t, e, index, vals, nvals, FIELD_MASK_ALL, 1, fn, arg);
}

int store_index_scan_fields(struct txn *t, const struct entity *e, const char *index, const struct value *vals,
			    int nvals, uint64_t field_mask, store_visit_fn fn, void *arg)
{
	return store_index_visit_all(t, e, index, vals, nvals, field_mask, 0, fn, arg);
}
