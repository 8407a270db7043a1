/* The audit log: "audit" maps an 8-byte sequence number (time order) to one
 * JSON line; "audit.record" (entity code || id || seq -> empty) finds the
 * lines of one record. Append-only. */
#include "kam/store.h"

#include <stdlib.h>
#include <string.h>

#include "impl.h"
#include "kam/err.h"
#include "kam/json.h"

/* The next sequence number: read once per txn from the last line. */
static int store_audit_seq(struct txn *t, uint64_t *seq)
{
	if (!t->audit_seq) {
		MDB_cursor *c;
		MDB_val k, v;
		int rc = mdb_cursor_open(t->txn, t->st->audit, &c);
		if (rc)
			return store_mdb_err(rc, NULL, "cursor");
		t->audit_seq = 1;
		if (!mdb_cursor_get(c, &k, &v, MDB_LAST) && k.mv_size == 8)
			t->audit_seq = key_get_u64(k.mv_data) + 1;
		mdb_cursor_close(c);
	}
	*seq = t->audit_seq++;
	return 0;
}

/* {"seq":N,"ts":T,"who":"..","cmd":"..", -- the caller closes the object. */
static void store_audit_head(struct txn *t, struct buf *b, uint64_t seq)
{
	buf_reset(b);
	buf_addf(b, "{\"seq\":%llu,\"ts\":%lld,\"who\":", (unsigned long long)seq, (long long)t->now);
	json_add_string(b, t->st->user);
	buf_adds(b, ",\"cmd\":");
	json_add_string(b, t->cmd ? t->cmd : "");
}

static int store_audit_put(struct txn *t, uint64_t seq, const struct buf *line)
{
	unsigned char k[8];
	for (int i = 7, s = 0; i >= 0; i--, s += 8)
		k[i] = (unsigned char)(seq >> s);
	return store_put(t, t->st->audit, k, 8, line->p, line->len, MDB_APPEND, NULL);
}

/* The changed fields of r as a JSON object; a field that became unset is
 * null, so "before" and "after" always name the same fields. */
static void store_audit_fields(const struct record *r, const int *diff, struct buf *b)
{
	struct record *tmp = record_new(r->ent);
	int cleared = 0;
	for (int i = 0; diff[i] >= 0; i++) {
		if (r->v[diff[i]].set)
			tmp->v[diff[i]] = r->v[diff[i]]; /* borrowed, released below */
		else
			cleared = 1;
	}
	size_t start = b->len;
	record_to_json(tmp, JSON_SENSITIVE, b);
	for (int i = 0; diff[i] >= 0; i++)
		tmp->v[diff[i]].s = NULL;
	record_free(tmp);
	if (!cleared)
		return;
	b->len--; /* reopen the object */
	int first = b->len == start + 1;
	for (int i = 0; diff[i] >= 0; i++) {
		if (r->v[diff[i]].set)
			continue;
		if (!first)
			buf_addc(b, ',');
		first = 0;
		json_add_string(b, r->ent->fields[diff[i]].name);
		buf_adds(b, ":null");
	}
	buf_addc(b, '}');
}

int store_audit_record(struct txn *t, const char *op, const struct record *before, const struct record *after)
{
	const struct record *r = after ? after : before;
	if (!t->audit_detail) {
		t->nadd += !before;
		t->nset += before && after;
		t->nrm += !after;
		return 0;
	}
	uint64_t seq;
	int rc = store_audit_seq(t, &seq);
	if (rc)
		return rc;
	struct buf *b = &t->a;
	store_audit_head(t, b, seq);
	buf_addf(b, ",\"entity\":\"%s\",\"id\":%llu,\"version\":%u,\"op\":\"%s\"", r->ent->name,
		 (unsigned long long)r->id, r->version, op);
	if (before && after) {
		int *diff;
		record_diff(before, after, &diff);
		buf_adds(b, ",\"before\":");
		store_audit_fields(before, diff, b);
		buf_adds(b, ",\"after\":");
		store_audit_fields(after, diff, b);
		free(diff);
	} else {
		buf_adds(b, before ? ",\"before\":" : ",\"after\":");
		record_to_json(r, JSON_SENSITIVE, b);
	}
	buf_addc(b, '}');
	if ((rc = store_audit_put(t, seq, b)))
		return rc;
	/* entity code || id || seq */
	buf_reset(&t->k);
	buf_addc(&t->k, (char)r->ent->code);
	key_put_u64(&t->k, r->id);
	key_put_u64(&t->k, seq);
	return store_put(t, t->st->audit_rec, t->k.p, t->k.len, "", 0, 0, NULL);
}

static void store_audit_counts(struct txn *t, struct buf *b)
{
	buf_addf(b, ",\"added\":%llu,\"updated\":%llu,\"removed\":%llu", (unsigned long long)t->nadd,
		 (unsigned long long)t->nset, (unsigned long long)t->nrm);
}

void store_txn_set_audit_detail(struct txn *t, int on)
{
	t->audit_detail = on;
}

int store_audit_note(struct txn *t, const char *op, const char *detail_json)
{
	uint64_t seq;
	int rc = store_audit_seq(t, &seq);
	if (rc)
		return rc;
	struct buf *b = &t->a;
	store_audit_head(t, b, seq);
	buf_adds(b, ",\"op\":");
	json_add_string(b, op);
	if (!t->audit_detail)
		store_audit_counts(t, b);
	if (detail_json && *detail_json) {
		buf_adds(b, ",\"detail\":");
		buf_adds(b, detail_json);
	}
	buf_addc(b, '}');
	t->noted = 1;
	return store_audit_put(t, seq, b);
}

/* At commit: without per-record lines, one summary line unless the caller
 * wrote its own note. */
int store_audit_flush(struct txn *t)
{
	if (t->audit_detail || t->noted || !(t->nadd + t->nset + t->nrm))
		return 0;
	uint64_t seq;
	int rc = store_audit_seq(t, &seq);
	if (rc)
		return rc;
	store_audit_head(t, &t->a, seq);
	buf_adds(&t->a, ",\"op\":\"bulk\"");
	store_audit_counts(t, &t->a);
	buf_addc(&t->a, '}');
	return store_audit_put(t, seq, &t->a);
}

/* Hands a NUL-terminated copy of the line to fn. */
static int store_audit_emit(uint64_t seq, const MDB_val *v, struct buf *line, store_audit_fn fn, void *arg)
{
	buf_reset(line);
	buf_add(line, v->mv_data, v->mv_size);
	return fn(seq, line->p ? line->p : "", arg);
}

static int store_audit_all(struct txn *t, store_audit_fn fn, void *arg)
{
	MDB_cursor *c;
	MDB_val k, v;
	struct buf line = {0};
	int rc = mdb_cursor_open(t->txn, t->st->audit, &c), ret = 0;
	if (rc)
		return store_mdb_err(rc, NULL, "cursor");
	for (rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); !rc && !ret; rc = mdb_cursor_get(c, &k, &v, MDB_NEXT))
		ret = store_audit_emit(key_get_u64(k.mv_data), &v, &line, fn, arg);
	mdb_cursor_close(c);
	buf_free(&line);
	return ret;
}

/* e == NULL: the whole log in time order; id == 0: every record of e. */
int store_audit_scan(struct txn *t, const struct entity *e, uint64_t id, store_audit_fn fn, void *arg)
{
	if (!e)
		return store_audit_all(t, fn, arg);
	struct buf p = {0}, line = {0};
	buf_addc(&p, (char)e->code);
	if (id)
		key_put_u64(&p, id);
	MDB_cursor *c;
	int rc = mdb_cursor_open(t->txn, t->st->audit_rec, &c), ret = 0;
	if (rc) {
		buf_free(&p);
		return store_mdb_err(rc, NULL, "cursor");
	}
	MDB_val k = {p.len, p.p}, v;
	for (rc = mdb_cursor_get(c, &k, &v, MDB_SET_RANGE);
	     !rc && !ret && k.mv_size >= p.len + 8 && (!p.len || !memcmp(k.mv_data, p.p, p.len));
	     rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
		unsigned char sk[8];
		memcpy(sk, (const char *)k.mv_data + k.mv_size - 8, 8);
		MDB_val key = {8, sk}, line_v;
		if (mdb_get(t->txn, t->st->audit, &key, &line_v))
			continue; /* a pruned line */
		ret = store_audit_emit(key_get_u64(sk), &line_v, &line, fn, arg);
	}
	mdb_cursor_close(c);
	buf_free(&p);
	buf_free(&line);
	return ret;
}
