/* Namespaced key/value area ("kv" DBI): key = ns || 0 || key. */
#include "kam/store.h"

#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kam/err.h"

/* LMDB's default maximum key size. */
#define KV_KEY_MAX 511

static int kv_key(struct buf *b, const char *ns, const void *key, size_t klen)
{
	size_t nlen = strlen(ns);
	if (nlen + 1 + klen > KV_KEY_MAX)
		return KAM_EINVAL;
	buf_reset(b);
	buf_add(b, ns, nlen);
	buf_addc(b, 0);
	if (klen)
		buf_add(b, key, klen);
	return 0;
}

int store_kv_put(struct txn *t, const char *ns, const void *key, size_t klen, const void *val, size_t vlen)
{
	int rc = kv_key(&t->k, ns, key, klen);
	if (rc)
		return rc;
	if (!t->write)
		return KAM_ESTORE;
	return store_put(t, t->st->kv, t->k.p, t->k.len, vlen ? val : "", vlen, 0, NULL);
}

int store_kv_get(struct txn *t, const char *ns, const void *key, size_t klen, void **val, size_t *vlen)
{
	int rc = kv_key(&t->k, ns, key, klen);
	if (rc)
		return rc;
	MDB_val k = {t->k.len, t->k.p}, v;
	if ((rc = mdb_get(t->txn, t->st->kv, &k, &v)))
		return store_mdb_err(rc, NULL, "kv");
	*val = xmalloc(v.mv_size + 1);
	memcpy(*val, v.mv_data, v.mv_size);
	((char *)*val)[v.mv_size] = 0; /* convenient for text values */
	*vlen = v.mv_size;
	return 0;
}

/* Deleting an absent key is not an error. */
int store_kv_del(struct txn *t, const char *ns, const void *key, size_t klen)
{
	int rc = kv_key(&t->k, ns, key, klen);
	if (rc)
		return rc;
	if (!t->write)
		return KAM_ESTORE;
	return store_del(t, t->st->kv, t->k.p, t->k.len, NULL);
}

int store_kv_scan(struct txn *t, const char *ns, store_kv_fn fn, void *arg)
{
	struct buf p = {0};
	int rc = kv_key(&p, ns, NULL, 0), ret = 0;
	MDB_cursor *c;
	if (rc || (rc = mdb_cursor_open(t->txn, t->st->kv, &c))) {
		buf_free(&p);
		return rc < 0 ? rc : store_mdb_err(rc, NULL, "cursor");
	}
	MDB_val k = {p.len, p.p}, v;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	     !rc && !ret && k.mv_size >= p.len && (!p.len || !memcmp(k.mv_data, p.p, p.len));
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		ret = fn((const char *)k.mv_data + p.len, k.mv_size - p.len, v.mv_data, v.mv_size, arg);
	mdb_cursor_close(c);
	buf_free(&p);
	return ret;
}
