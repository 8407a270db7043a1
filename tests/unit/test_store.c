/* The LMDB store against a real database in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../src/store/keys.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/text.h"
#include "kam/util.h"
#include "unit/fixture.h"

static char self_path[4096] = "/proc/self/exe"; /* this binary, for child processes */

static struct txn *begin(struct fixture *f, int write)
{
	struct txn *t;
	assert_int_equal(store_begin(f->st, write, &t), 0);
	return t;
}

static void commit(struct txn *t)
{
	char *cause = NULL;
	int rc = store_commit(t, &cause);
	if (rc)
		fprintf(stderr, "commit: %s\n", cause);
	free(cause);
	assert_int_equal(rc, 0);
}

static uint64_t insert(struct txn *t, struct record *r)
{
	char *cause = NULL;
	int rc = store_insert(t, r, &cause);
	if (rc)
		fprintf(stderr, "insert: %s\n", cause);
	free(cause);
	assert_int_equal(rc, 0);
	uint64_t id = r->id;
	record_free(r);
	return id;
}

static struct record *account(const char *name, uint64_t parent)
{
	struct record *r = record_new(ENTITY(account));
	record_set_text(r, ACCOUNT_NAME, name);
	if (parent)
		record_set_int(r, ACCOUNT_PARENT, (int64_t)parent);
	return r;
}

static struct record *contact(const char *name, uint64_t reports_to)
{
	struct record *r = record_new(ENTITY(contact));
	record_set_text(r, CONTACT_NAME, name);
	if (reports_to)
		record_set_int(r, CONTACT_REPORTS_TO, (int64_t)reports_to);
	return r;
}

static struct record *account_year(uint64_t acc, int64_t year, int64_t revenue)
{
	struct record *r = record_new(ENTITY(account_year));
	record_set_int(r, AY_ACCOUNT, (int64_t)acc);
	record_set_int(r, AY_YEAR, year);
	record_set_int(r, AY_REVENUE, revenue);
	return r;
}

static struct record *get(struct txn *t, const struct entity *e, uint64_t id)
{
	struct record *r = NULL;
	assert_int_equal(store_get(t, e, id, &r), 0);
	return r;
}

/* Collects ids (and names) of visited records, in visit order. */
struct seen {
	uint64_t id[64];
	char name[64][64];
	int n;
};

static int see_record(const struct record *r, void *arg)
{
	struct seen *s = arg;
	if (s->n < 64) {
		snprintf(s->name[s->n], sizeof s->name[0], "%s", record_name(r));
		s->id[s->n++] = r->id;
	}
	return 0;
}

static int see_id(uint64_t id, void *arg)
{
	struct seen *s = arg;
	if (s->n < 64)
		s->id[s->n++] = id;
	return 0;
}

static int keycmp(const struct buf *a, const struct buf *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = memcmp(a->p, b->p, n);
	return c ? c : (a->len > b->len) - (a->len < b->len);
}

/* --- key encoding ------------------------------------------------------- */

static void test_key_int_order(void **state)
{
	(void)state;
	const int64_t v[] = {INT64_MIN, -1000000, -2, -1, 0, 1, 2, 255, 256, 20261123, INT64_MAX};
	size_t n = sizeof v / sizeof v[0];
	for (size_t i = 0; i + 1 < n; i++) {
		struct buf a = {0}, b = {0};
		key_put_i64(&a, v[i]);
		key_put_i64(&b, v[i + 1]);
		assert_int_equal(a.len, 8);
		assert_true(keycmp(&a, &b) < 0);
		assert_true(key_get_i64(a.p) == v[i]);
		buf_free(&a);
		buf_free(&b);
	}
	struct buf a = {0}, b = {0};
	key_put_u64(&a, 255);
	key_put_u64(&b, 256);
	assert_true(keycmp(&a, &b) < 0);
	assert_true(key_get_u64(b.p) == 256);
	buf_free(&a);
	buf_free(&b);
}

static void test_key_text_order(void **state)
{
	(void)state;
	/* Byte order of UTF-8 is code point order; the terminator makes a
	 * shorter text sort before its extensions. */
	const char *v[] = {"",
			   "a",
			   "ab",
			   "abc",
			   "b",
			   "\xe4\xb8\xad",
			   "\xe4\xb8\xad\xe5\x9b\xbd",
			   "\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8",
			   "\xe5\x8c\x97"};
	size_t n = sizeof v / sizeof v[0];
	for (size_t i = 0; i + 1 < n; i++) {
		struct buf a = {0}, b = {0};
		key_put_text(&a, v[i], 0, 0);
		key_put_text(&b, v[i + 1], 0, 0);
		assert_true(keycmp(&a, &b) < 0);
		buf_free(&a);
		buf_free(&b);
	}
	/* A prefix key (no terminator) is a byte prefix of every extension's key. */
	struct buf p = {0}, k = {0};
	key_put_text(&p, "\xe4\xb8\xad\xe5\x9b\xbd", 1, 1); /* 中国 */
	key_put_text(&k, "\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8", 1, 0);
	assert_true(p.len < k.len && !memcmp(p.p, k.p, p.len));
	buf_free(&p);
	buf_free(&k);
	/* Long text is cut at a character boundary. */
	struct buf l = {0};
	char big[1000] = "";
	for (int i = 0; i < 300; i++)
		strcat(big, "\xe4\xb8\xad");
	key_put_text(&l, big, 0, 0);
	assert_true(l.len <= KEY_TEXT_MAX + 1 && (l.len - 1) % 3 == 0);
	buf_free(&l);
}

static void test_key_composite(void **state)
{
	(void)state;
	const struct index_def *ix = NULL;
	for (int i = 0; i < ENTITY(account_year)->nindexes; i++)
		if (!strcmp(ENTITY(account_year)->indexes[i].name, "account_year"))
			ix = &ENTITY(account_year)->indexes[i];
	assert_non_null(ix);
	/* (account, year, id): account first, then year, then id. */
	struct record *r[4] = {account_year(2, 2025, 0), account_year(2, 2026, 0), account_year(3, -5, 0),
			       account_year(3, 2024, 0)};
	struct buf k[4] = {{0}};
	for (int i = 0; i < 4; i++) {
		r[i]->id = (uint64_t)(10 - i);
		key_index_record(&k[i], ix, r[i]);
		assert_int_equal(k[i].len, 24);
	}
	for (int i = 0; i < 3; i++)
		assert_true(keycmp(&k[i], &k[i + 1]) < 0);
	struct buf p = {0};
	struct value v = {.i = 3, .set = 1};
	key_index_prefix(&p, ENTITY(account_year), ix, &v, 1);
	assert_int_equal(p.len, 8);
	assert_memory_equal(p.p, k[2].p, 8);
	assert_memory_equal(p.p, k[3].p, 8);
	assert_memory_not_equal(p.p, k[1].p, 8);
	buf_free(&p);
	for (int i = 0; i < 4; i++) {
		buf_free(&k[i]);
		record_free(r[i]);
	}
}

/* --- open, schema -------------------------------------------------------- */

static void test_open_errors(void **state)
{
	struct fixture *f = *state;
	struct store *st = NULL;
	char *cause = NULL;
	char path[128];
	snprintf(path, sizeof path, "%s/missing", f->dir);
	assert_int_equal(store_open(&st, path, 0, &cause), KAM_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(cause, "no kam database"));
	free(cause);
	cause = NULL;
	/* A world-writable directory is refused. */
	snprintf(path, sizeof path, "%s/open", f->dir);
	mkdir(path, 0777);
	chmod(path, 0777);
	assert_int_equal(store_open(&st, path, STORE_CREATE, &cause), KAM_ESTORE);
	assert_non_null(strstr(cause, "writable by every user"));
	free(cause);
	cause = NULL;
	/* ... sticky like /tmp too: others could plant data.mdb or lock.mdb */
	chmod(path, 01777);
	assert_int_equal(store_open(&st, path, STORE_CREATE, &cause), KAM_ESTORE);
	assert_non_null(strstr(cause, "writable by every user"));
	free(cause);
	/* The created database files are not accessible to others. */
	char data[128];
	struct stat sb;
	snprintf(data, sizeof data, "%s/data.mdb", f->db);
	assert_int_equal(stat(data, &sb), 0);
	assert_int_equal(sb.st_mode & 0007, 0);
	assert_int_equal(sb.st_mode & 0060, 0060); /* group members share it */
	assert_int_equal(stat(f->db, &sb), 0);
	assert_int_equal(sb.st_mode & 0777, 0770);
	struct store_stats ss;
	assert_int_equal(store_stats(f->st, &ss), 0);
	assert_int_equal(ss.schema_version, STORE_SCHEMA_VERSION);
}

static void test_schema_newer_refused(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t v = 0;
	assert_int_equal(store_meta_get(t, "schema_version", &v), 0);
	assert_int_equal(v, STORE_SCHEMA_VERSION);
	assert_int_equal(store_meta_put(t, "schema_version", STORE_SCHEMA_VERSION + 1), 0);
	commit(t);
	store_close(f->st);
	char *cause = NULL;
	assert_int_equal(store_open(&f->st, f->db, 0, &cause), KAM_ESTORE);
	assert_null(f->st);
	char newer[32];
	snprintf(newer, sizeof newer, "schema version %d", STORE_SCHEMA_VERSION + 1);
	assert_non_null(strstr(cause, newer));
	assert_non_null(strstr(cause, "newer kam"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_open(&f->st, f->db, STORE_RDONLY, &cause), KAM_ESTORE);
	free(cause);
	/* teardown needs a store: a fresh one elsewhere */
	snprintf(f->db, sizeof f->db, "%s/db2", f->dir);
	assert_int_equal(store_open(&f->st, f->db, STORE_CREATE, NULL), 0);
}

static void test_rdonly(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	insert(t, account("Acme", 0));
	commit(t);
	/* opening an up-to-date database writes nothing */
	uint64_t txnid = store_last_txnid(f->st);
	store_close(f->st);
	assert_int_equal(store_open(&f->st, f->db, 0, NULL), 0);
	assert_int_equal(store_last_txnid(f->st), txnid);
	store_close(f->st);
	char *cause = NULL;
	assert_int_equal(store_open(&f->st, f->db, STORE_RDONLY, &cause), 0);
	assert_int_equal(store_begin(f->st, 1, &t), KAM_ELOCKED);
	t = begin(f, 0);
	struct record *r = get(t, ENTITY(account), 1);
	assert_string_equal(record_name(r), "Acme");
	record_free(r);
	store_abort(t);
	store_abort(NULL);
}

/* --- CRUD ---------------------------------------------------------------- */

static void test_crud(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	store_txn_set_command(t, "add account");
	uint64_t a = insert(t, account("Acme Ltd", 0));
	uint64_t b = insert(t, account("\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8", a)); /* 中国移动 */
	assert_int_equal(a, 1);
	assert_int_equal(b, 2);
	struct record *s = record_new(ENTITY(staff));
	record_set_text(s, STAFF_NAME, "Wang Li");
	record_set_text(s, STAFF_LOGIN, "wangli");
	uint64_t sid = insert(t, s);
	assert_int_equal(sid, 1); /* counters are per entity */
	struct record *o = record_new(ENTITY(opportunity));
	record_set_int(o, OPP_ACCOUNT, (int64_t)a);
	record_set_int(o, OPP_YEAR, 2027);
	record_set_text(o, OPP_TITLE, "Core network");
	record_set_text(o, OPP_STAGE, "proposal");
	record_set_int(o, OPP_OWNER, (int64_t)sid);
	uint64_t oid = insert(t, o);
	commit(t);

	t = begin(f, 0);
	struct record *r = get(t, ENTITY(account), b);
	assert_int_equal(r->version, 1);
	assert_int_equal(r->v[ACCOUNT_PARENT].i, (int64_t)a);
	assert_string_equal(r->updated_by, "tester");
	assert_true(r->created > 0 && r->updated == r->created);
	store_abort(t);
	uint64_t n = 0;
	t = begin(f, 0);
	assert_int_equal(store_count(t, ENTITY(account), &n), 0);
	assert_int_equal(n, 2);
	struct record *miss;
	assert_int_equal(store_get(t, ENTITY(account), 99, &miss), KAM_ENOTFOUND);
	assert_null(miss);
	store_abort(t);

	/* update bumps the version and records who */
	store_set_user(f->st, "wangli");
	t = begin(f, 1);
	record_set_text(r, ACCOUNT_CITY, "Beijing");
	char *cause = NULL;
	assert_int_equal(store_update(t, r, &cause), 0);
	assert_int_equal(r->version, 2);
	/* nothing changed: nothing written */
	assert_int_equal(store_update(t, r, &cause), 0);
	assert_int_equal(r->version, 2);
	commit(t);
	record_free(r);
	t = begin(f, 0);
	r = get(t, ENTITY(account), b);
	assert_int_equal(r->version, 2);
	assert_string_equal(r->v[ACCOUNT_CITY].s, "Beijing");
	assert_string_equal(r->updated_by, "wangli");
	record_free(r);
	struct record *ro = get(t, ENTITY(opportunity), oid);
	assert_string_equal(ro->v[OPP_STAGE].s, "proposal");
	record_free(ro);
	store_abort(t);

	/* validation and reference errors write nothing and burn no id */
	t = begin(f, 1);
	struct record *bad = record_new(ENTITY(account));
	assert_int_equal(store_insert(t, bad, &cause), KAM_EINVAL);
	assert_non_null(strstr(cause, "name"));
	free(cause);
	cause = NULL;
	record_free(bad);
	bad = account("Orphan", 77);
	assert_int_equal(store_insert(t, bad, &cause), KAM_EINVAL);
	assert_string_equal(cause, "parent: there is no account with id 77");
	free(cause);
	cause = NULL;
	record_free(bad);
	assert_int_equal(insert(t, account("Third", 0)), 3);
	/* delete */
	assert_int_equal(store_delete(t, ENTITY(opportunity), oid, 0, &cause), 0);
	assert_int_equal(store_get(t, ENTITY(opportunity), oid, &miss), KAM_ENOTFOUND);
	assert_int_equal(store_delete(t, ENTITY(opportunity), oid, 0, &cause), KAM_ENOTFOUND);
	free(cause);
	commit(t);
}

static void test_scan(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	for (int i = 0; i < 5; i++) {
		char name[16];
		snprintf(name, sizeof name, "A%d", i);
		insert(t, account(name, 0));
	}
	struct seen s = {0};
	assert_int_equal(store_scan(t, ENTITY(account), see_record, &s), 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.name[4], "A4");
	commit(t);
}

static void test_preset_id(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	assert_int_equal(insert(t, account("one", 0)), 1);
	struct record *r = account("hundred", 0);
	r->id = 100;
	assert_int_equal(insert(t, r), 100);
	assert_int_equal(insert(t, account("next", 0)), 101);
	r = account("dup", 0);
	r->id = 100;
	char *cause = NULL;
	assert_int_equal(store_insert(t, r, &cause), KAM_EEXIST);
	assert_string_equal(cause, "account 100 already exists");
	free(cause);
	record_free(r);
	/* a lower free id may be used, the counter stays ahead */
	r = account("fifty", 0);
	r->id = 50;
	assert_int_equal(insert(t, r), 50);
	commit(t);
	t = begin(f, 1);
	assert_int_equal(store_delete(t, ENTITY(account), 101, 0, NULL), 0);
	commit(t);
	/* ids are never reused, even after deleting the highest */
	t = begin(f, 1);
	assert_int_equal(insert(t, account("later", 0)), 102);
	/* kept timestamps for imports of kam's own exports */
	r = account("imported", 0);
	r->created = 1700000000;
	r->updated = 1700000500;
	r->updated_by = xstrdup("someone");
	uint64_t id = insert(t, r);
	r = get(t, ENTITY(account), id);
	assert_int_equal(r->created, 1700000000);
	assert_int_equal(r->updated, 1700000500);
	assert_string_equal(r->updated_by, "someone");
	assert_int_equal(r->version, 1);
	record_free(r);
	commit(t);
}

/* --- indexes ------------------------------------------------------------- */

static void name_search(struct fixture *f, const char *prefix, struct seen *s)
{
	struct txn *t = begin(f, 0);
	struct value v = {.s = (char *)prefix, .set = 1};
	memset(s, 0, sizeof *s);
	assert_int_equal(store_index_scan(t, ENTITY(account), "name", &v, 1, see_record, s), 0);
	store_abort(t);
}

static void test_index_fold_name(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	insert(t, account("\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8", 0)); /* 1 中国移动 */
	insert(t, account("\xe4\xb8\xad\xe5\x9b\xbd\xe7\x94\xb5\xe4\xbf\xa1", 0)); /* 2 中国电信 */
	insert(t, account("\xe5\x8c\x97\xe4\xba\xac\xe9\x93\xb6\xe8\xa1\x8c", 0)); /* 3 北京银行 */
	insert(t, account("ACME Corp", 0));                                        /* 4 */
	insert(t, account("acme labs", 0));                                        /* 5 */
	insert(t, account("Acorn", 0));                                            /* 6 */
	insert(t, account("\xe4\xb8\xad", 0));                                     /* 7 中 */
	commit(t);
	struct seen s;
	name_search(f, "\xe4\xb8\xad\xe5\x9b\xbd", &s); /* 中国 */
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 2); /* 电 (U+7535) < 移 (U+79FB) */
	assert_int_equal(s.id[1], 1);
	name_search(f, "\xe4\xb8\xad", &s);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.id[0], 7); /* the shorter name first */
	name_search(f, "acme", &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 4);
	name_search(f, "AC", &s); /* folded: case does not matter */
	assert_int_equal(s.n, 3);
	name_search(f, "acme labs", &s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.name[0], "acme labs");
	name_search(f, "x", &s);
	assert_int_equal(s.n, 0);
	name_search(f, "", &s);
	assert_int_equal(s.n, 7);

	/* renaming moves the index entry */
	t = begin(f, 1);
	struct record *r = get(t, ENTITY(account), 4);
	record_set_text(r, ACCOUNT_NAME, "Zeta");
	assert_int_equal(store_update(t, r, NULL), 0);
	record_free(r);
	assert_int_equal(store_delete(t, ENTITY(account), 5, 0, NULL), 0);
	commit(t);
	name_search(f, "acme", &s);
	assert_int_equal(s.n, 0);
	name_search(f, "ze", &s);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], 4);

	/* a rebuilt index has the same entries */
	t = begin(f, 1);
	assert_int_equal(store_index_rebuild(t, ENTITY(account)), 0);
	commit(t);
	name_search(f, "", &s);
	assert_int_equal(s.n, 6);
	name_search(f, "\xe4\xb8\xad\xe5\x9b\xbd", &s);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 2);
}

/* A database written before an index existed (an older kam): the index is
 * built from the records at the first read-write open. The copy without
 * the index is made with LMDB's own dump/load tools. */
static void test_missing_index_built(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	insert(t, account("Alpha", 0));
	insert(t, account("\xe4\xb8\xad\xe5\x9b\xbd\xe7\xa7\xbb\xe5\x8a\xa8", 0));
	insert(t, account("alpine", 0));
	commit(t);
	char old[128], cmd[512];
	snprintf(old, sizeof old, "%s/old", f->dir);
	assert_int_equal(mkdir(old, 0700), 0);
	snprintf(cmd, sizeof cmd,
		 "mdb_dump -a '%s' | awk '/^db_pagesize=/ { next } { s = s $0 \"\\n\" } "
		 "/^database=account\\.name$/ { skip = 1 } "
		 "/^DATA=END$/ { if (!skip) printf \"%%s\", s; s = \"\"; skip = 0 }' | mdb_load '%s'",
		 f->db, old);
	assert_int_equal(system(cmd), 0);
	struct store *st;
	/* read-only: everything but the missing index works */
	assert_int_equal(store_open(&st, old, STORE_RDONLY, NULL), 0);
	assert_int_equal(store_begin(st, 0, &t), 0);
	struct value v = {.s = "alp", .set = 1};
	struct seen s = {0};
	struct record *r = get(t, ENTITY(account), 3);
	assert_string_equal(record_name(r), "alpine");
	record_free(r);
	assert_int_equal(store_index_ids(t, ENTITY(account), "name", &v, 1, see_id, &s), KAM_ESTORE);
	store_abort(t);
	store_close(st);
	assert_int_equal(store_open(&st, old, 0, NULL), 0);
	assert_int_equal(store_begin(st, 0, &t), 0);
	assert_int_equal(store_index_ids(t, ENTITY(account), "name", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 1);
	assert_int_equal(s.id[1], 3);
	store_abort(t);
	store_close(st);
}

static void test_open_twice_refused(void **state)
{
	struct fixture *f = *state;
	struct store *again = NULL;
	char *cause = NULL;
	assert_int_equal(store_open(&again, f->db, 0, &cause), KAM_ESTORE);
	assert_null(again);
	assert_non_null(strstr(cause, "already open in this process"));
	free(cause);
	/* the first handle still works */
	struct txn *t = begin(f, 1);
	insert(t, account("still here", 0));
	commit(t);
}

static void test_index_composite(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t a = insert(t, account("A", 0)), b = insert(t, account("B", 0));
	insert(t, account_year(a, 2026, 100)); /* 1 */
	insert(t, account_year(b, 2025, 200)); /* 2 */
	insert(t, account_year(a, 2024, 300)); /* 3 */
	insert(t, account_year(a, 2025, 400)); /* 4 */
	insert(t, account_year(b, -1, 500));   /* 5: odd, but ints must order */
	commit(t);
	t = begin(f, 0);
	struct seen s = {0};
	struct value v[2] = {{.i = (int64_t)a, .set = 1}, {.i = 2025, .set = 1}};
	assert_int_equal(store_index_scan(t, ENTITY(account_year), "account_year", v, 1, see_record, &s), 0);
	assert_int_equal(s.n, 3);
	assert_int_equal(s.id[0], 3); /* by year: 2024, 2025, 2026 */
	assert_int_equal(s.id[1], 4);
	assert_int_equal(s.id[2], 1);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_index_ids(t, ENTITY(account_year), "account_year", v, 2, see_id, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], 4);
	memset(&s, 0, sizeof s);
	v[0].i = (int64_t)b;
	assert_int_equal(store_index_ids(t, ENTITY(account_year), "account_year", v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(s.id[0], 5); /* -1 before 2025 */
	/* the automatic REF index */
	memset(&s, 0, sizeof s);
	assert_int_equal(store_index_ids(t, ENTITY(account_year), "account", v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 2);
	assert_int_equal(store_index_ids(t, ENTITY(account_year), "nosuch", v, 1, see_id, &s), KAM_EINVAL);
	store_abort(t);
}

static int stop_after_two(uint64_t id, void *arg)
{
	(void)id;
	return ++*(int *)arg == 2 ? 42 : 0;
}

static void test_index_plain_text_and_dates(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t a = insert(t, account("A", 0));
	const char *stages[] = {"proposal", "lead", "proposal", "negotiate"};
	const int64_t decision[] = {20270315, 20270101, 0, 20261231};
	for (int i = 0; i < 4; i++) {
		struct record *o = record_new(ENTITY(opportunity));
		record_set_int(o, OPP_ACCOUNT, (int64_t)a);
		record_set_int(o, OPP_YEAR, 2027);
		record_set_text(o, OPP_TITLE, "deal");
		record_set_text(o, OPP_STAGE, stages[i]);
		if (decision[i])
			record_set_int(o, OPP_DECISION, decision[i]);
		insert(t, o);
	}
	commit(t);
	t = begin(f, 0);
	struct seen s = {0};
	struct value v = {.s = "proposal", .set = 1};
	assert_int_equal(store_index_ids(t, ENTITY(opportunity), "stage", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 2);
	memset(&s, 0, sizeof s);
	v.s = "pro"; /* PLAIN text matches exactly, not as a prefix */
	assert_int_equal(store_index_ids(t, ENTITY(opportunity), "stage", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 0);
	/* year_decision: unset decision dates sort first */
	struct value y = {.i = 2027, .set = 1};
	assert_int_equal(store_index_ids(t, ENTITY(opportunity), "year_decision", &y, 1, see_id, &s), 0);
	assert_int_equal(s.n, 4);
	assert_int_equal(s.id[0], 3);
	assert_int_equal(s.id[1], 4);
	assert_int_equal(s.id[2], 2);
	assert_int_equal(s.id[3], 1);
	int count = 0;
	assert_int_equal(store_index_ids(t, ENTITY(opportunity), "year_decision", &y, 1, stop_after_two, &count), 42);
	assert_int_equal(count, 2);
	store_abort(t);
}

static void test_ext(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	struct record *r = account("Ext", 0);
	r->ext_id = xstrdup("SF-001");
	uint64_t id = insert(t, r);
	uint64_t found = 0;
	assert_int_equal(store_find_ext(t, ENTITY(account), "SF-001", &found), 0);
	assert_int_equal(found, id);
	assert_int_equal(store_find_ext(t, ENTITY(contact), "SF-001", &found), KAM_ENOTFOUND);
	r = account("Other", 0);
	r->ext_id = xstrdup("SF-001");
	char *cause = NULL;
	assert_int_equal(store_insert(t, r, &cause), KAM_EEXIST);
	assert_non_null(strstr(cause, "external id 'SF-001'"));
	free(cause);
	record_free(r);
	/* the same external id for another entity is fine */
	r = contact("Zhang", 0);
	r->ext_id = xstrdup("SF-001");
	insert(t, r);
	/* changing the external id moves the mapping */
	r = get(t, ENTITY(account), id);
	free(r->ext_id);
	r->ext_id = xstrdup("SF-002");
	assert_int_equal(store_update(t, r, NULL), 0);
	record_free(r);
	assert_int_equal(store_find_ext(t, ENTITY(account), "SF-001", &found), KAM_ENOTFOUND);
	assert_int_equal(store_find_ext(t, ENTITY(account), "SF-002", &found), 0);
	assert_int_equal(store_delete(t, ENTITY(account), id, 0, NULL), 0);
	assert_int_equal(store_find_ext(t, ENTITY(account), "SF-002", &found), KAM_ENOTFOUND);
	commit(t);
}

/* --- concurrency --------------------------------------------------------- */

static void test_conflict_two_processes(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t id = insert(t, account("Shared", 0));
	commit(t);
	t = begin(f, 0);
	struct record *mine = get(t, ENTITY(account), id);
	store_abort(t);
	uint64_t txnid = store_last_txnid(f->st);

	/* Another user's kam: a separate process with its own environment
	 * (this binary again, see main). */
	char idtext[32];
	snprintf(idtext, sizeof idtext, "%llu", (unsigned long long)id);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		execl(self_path, self_path, "--child-update", f->db, idtext, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_true(store_last_txnid(f->st) > txnid);

	t = begin(f, 1);
	record_set_text(mine, ACCOUNT_CITY, "Beijing");
	char *cause = NULL;
	assert_int_equal(store_update(t, mine, &cause), KAM_ECONFLICT);
	assert_string_equal(cause, "account 1 changed since you read it (version 1, now 2, by wangli)");
	free(cause);
	store_abort(t);
	record_free(mine);
	t = begin(f, 0);
	mine = get(t, ENTITY(account), id);
	assert_string_equal(mine->v[ACCOUNT_CITY].s, "Shanghai");
	store_abort(t);
	record_free(mine);
}

/* --- delete -------------------------------------------------------------- */

static void test_delete_refused_and_cascade(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t grp = insert(t, account("Group", 0));
	uint64_t sub = insert(t, account("Sub", grp));
	insert(t, account_year(grp, 2025, 1));
	insert(t, account_year(grp, 2026, 2));
	uint64_t c = insert(t, contact("Boss", 0));
	uint64_t c2 = insert(t, contact("Report", c));
	struct record *ac = record_new(ENTITY(account_contact));
	record_set_int(ac, AC_ACCOUNT, (int64_t)grp);
	record_set_int(ac, AC_CONTACT, (int64_t)c);
	uint64_t acid = insert(t, ac);
	struct record *s = record_new(ENTITY(staff));
	record_set_text(s, STAFF_NAME, "Li");
	uint64_t sid = insert(t, s);
	struct record *tm = record_new(ENTITY(team));
	record_set_int(tm, TEAM_STAFF, (int64_t)sid);
	record_set_int(tm, TEAM_ACCOUNT, (int64_t)grp);
	uint64_t tid = insert(t, tm);
	commit(t);

	t = begin(f, 1);
	char *cause = NULL;
	assert_int_equal(store_delete(t, ENTITY(account), grp, 0, &cause), KAM_EREFERENCED);
	assert_non_null(strstr(cause, "account 1 is referenced by 1 account, e.g. account 2 \"Sub\" (parent)"));
	assert_non_null(strstr(cause, "and by 4 other record(s)"));
	free(cause);
	cause = NULL;
	assert_int_equal(store_delete(t, ENTITY(contact), c, 0, &cause), KAM_EREFERENCED);
	assert_non_null(strstr(cause, "contact 1 is referenced by 1 contact, e.g. contact 2 \"Report\" (reports_to)"));
	free(cause);
	cause = NULL;
	/* refusals change nothing: the txn goes on */
	assert_int_equal(store_delete(t, ENTITY(account), grp, 1, &cause), 0);
	commit(t);

	t = begin(f, 0);
	struct record *r;
	assert_int_equal(store_get(t, ENTITY(account), grp, &r), KAM_ENOTFOUND);
	uint64_t n;
	assert_int_equal(store_count(t, ENTITY(account_year), &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_get(t, ENTITY(account_contact), acid, &r), KAM_ENOTFOUND);
	/* a team row without account or opportunity is invalid: deleted */
	assert_int_equal(store_get(t, ENTITY(team), tid, &r), KAM_ENOTFOUND);
	r = get(t, ENTITY(account), sub); /* optional reference cleared */
	assert_false(record_has(r, ACCOUNT_PARENT));
	assert_int_equal(r->version, 2);
	record_free(r);
	r = get(t, ENTITY(contact), c2); /* not involved */
	assert_int_equal(r->v[CONTACT_REPORTS_TO].i, (int64_t)c);
	record_free(r);
	struct seen sn = {0};
	struct value v = {.i = (int64_t)grp, .set = 1};
	assert_int_equal(store_index_ids(t, ENTITY(account), "parent", &v, 1, see_id, &sn), 0);
	assert_int_equal(sn.n, 0);
	store_abort(t);

	/* self reference does not block */
	t = begin(f, 1);
	r = get(t, ENTITY(contact), c);
	record_set_int(r, CONTACT_REPORTS_TO, (int64_t)c);
	assert_int_equal(store_update(t, r, NULL), 0);
	record_free(r);
	assert_int_equal(store_delete(t, ENTITY(contact), c2, 0, NULL), 0);
	assert_int_equal(store_delete(t, ENTITY(contact), c, 0, NULL), 0);
	commit(t);
}

/* REFS lists ("3;17") are indexed per listed id by the store. */
static void test_refs_lists(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t acc = insert(t, account("A", 0));
	uint64_t c1 = insert(t, contact("One", 0)), c2 = insert(t, contact("Two", 0));
	struct record *a = record_new(ENTITY(activity));
	record_set_int(a, ACT_ACCOUNT, (int64_t)acc);
	record_set_text(a, ACT_TYPE, "banquet");
	record_set_int(a, ACT_DATE, 20261201);
	record_set_text(a, ACT_TITLE, "dinner");
	char list[32];
	snprintf(list, sizeof list, "%llu;%llu", (unsigned long long)c1, (unsigned long long)c2);
	record_set_text(a, ACT_CONTACTS, list);
	struct record *bad = record_dup(a);
	uint64_t act = insert(t, a);
	record_set_text(bad, ACT_CONTACTS, "1;99");
	char *cause = NULL;
	assert_int_equal(store_insert(t, bad, &cause), KAM_EINVAL);
	assert_string_equal(cause, "contacts: there is no contact with id 99");
	free(cause);
	cause = NULL;
	record_free(bad);
	commit(t);

	t = begin(f, 0);
	struct seen s = {0};
	struct value v = {.i = (int64_t)c2, .set = 1};
	assert_int_equal(store_index_ids(t, ENTITY(activity), "contacts", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(s.id[0], act);
	store_abort(t);

	t = begin(f, 1);
	assert_int_equal(store_delete(t, ENTITY(contact), c1, 0, &cause), KAM_EREFERENCED);
	assert_non_null(strstr(cause, "contact 1 is referenced by 1 activity, e.g. activity 1 \"dinner\" (contacts)"));
	free(cause);
	assert_int_equal(store_delete(t, ENTITY(contact), c1, 1, NULL), 0);
	struct record *r = get(t, ENTITY(activity), act);
	assert_string_equal(r->v[ACT_CONTACTS].s, "2");
	assert_int_equal(r->version, 2);
	record_free(r);
	memset(&s, 0, sizeof s);
	v.i = (int64_t)c1;
	assert_int_equal(store_index_ids(t, ENTITY(activity), "contacts", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 0);
	/* rebuilt from the records: the same entries */
	assert_int_equal(store_index_rebuild(t, ENTITY(activity)), 0);
	v.i = (int64_t)c2;
	assert_int_equal(store_index_ids(t, ENTITY(activity), "contacts", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(store_delete(t, ENTITY(contact), c2, 1, NULL), 0);
	r = get(t, ENTITY(activity), act);
	assert_false(record_has(r, ACT_CONTACTS));
	record_free(r);
	memset(&s, 0, sizeof s);
	assert_int_equal(store_index_ids(t, ENTITY(activity), "contacts", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 0);
	commit(t);
}

/* --- audit --------------------------------------------------------------- */

struct lines {
	char *l[16];
	int n;
};

static int see_line(uint64_t seq, const char *json, void *arg)
{
	struct lines *ls = arg;
	(void)seq;
	if (ls->n < 16)
		ls->l[ls->n++] = xstrdup(json);
	return 0;
}

static void lines_free(struct lines *ls)
{
	for (int i = 0; i < ls->n; i++)
		free(ls->l[i]);
	ls->n = 0;
}

static void test_audit(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	store_txn_set_command(t, "add contact");
	struct record *c = contact("Zhang \"Z\"", 0);
	record_set_text(c, CONTACT_PRIVATE_NOTES, "likes tea");
	record_set_text(c, CONTACT_TITLE, "CIO");
	uint64_t id = insert(t, c);
	insert(t, contact("Other", 0));
	commit(t);
	t = begin(f, 1);
	store_txn_set_command(t, "set contact 1");
	c = get(t, ENTITY(contact), id);
	record_set_text(c, CONTACT_TITLE, "CTO");
	record_clear(c, CONTACT_PRIVATE_NOTES);
	assert_int_equal(store_update(t, c, NULL), 0);
	record_free(c);
	commit(t);
	t = begin(f, 1);
	store_txn_set_command(t, "rm contact 1");
	assert_int_equal(store_delete(t, ENTITY(contact), id, 0, NULL), 0);
	commit(t);

	t = begin(f, 0);
	struct lines ls = {0};
	assert_int_equal(store_audit_scan(t, ENTITY(contact), id, see_line, &ls), 0);
	assert_int_equal(ls.n, 3);
	assert_non_null(strstr(ls.l[0], "\"seq\":1,"));
	assert_non_null(strstr(ls.l[0], "\"who\":\"tester\",\"cmd\":\"add contact\",\"entity\":\"contact\","
					"\"id\":1,\"version\":1,\"op\":\"add\",\"after\":{"));
	assert_non_null(strstr(ls.l[0], "\"private_notes\":\"likes tea\"")); /* sensitive fields too */
	assert_non_null(strstr(ls.l[1], "\"seq\":3,"));
	assert_non_null(strstr(ls.l[1], "\"version\":2,\"op\":\"set\","
					"\"before\":{\"title\":\"CIO\",\"private_notes\":\"likes tea\"},"
					"\"after\":{\"title\":\"CTO\",\"private_notes\":null}}"));
	assert_non_null(strstr(ls.l[2], "\"op\":\"rm\",\"before\":{"));
	assert_non_null(strstr(ls.l[2], "\"cmd\":\"rm contact 1\""));
	lines_free(&ls);
	assert_int_equal(store_audit_scan(t, NULL, 0, see_line, &ls), 0);
	assert_int_equal(ls.n, 4); /* the whole log, in time order */
	assert_non_null(strstr(ls.l[1], "\"id\":2,"));
	lines_free(&ls);
	store_abort(t);

	/* bulk: no per-record lines, one summary */
	t = begin(f, 1);
	store_txn_set_audit_detail(t, 0);
	store_txn_set_command(t, "import contacts.csv");
	for (int i = 0; i < 10; i++)
		insert(t, contact("bulk", 0));
	commit(t);
	t = begin(f, 1);
	store_txn_set_audit_detail(t, 0);
	insert(t, contact("bulk", 0));
	assert_int_equal(store_audit_note(t, "import", "{\"file\":\"x.csv\"}"), 0);
	commit(t);
	t = begin(f, 0);
	assert_int_equal(store_audit_scan(t, NULL, 0, see_line, &ls), 0);
	assert_int_equal(ls.n, 6);
	assert_non_null(strstr(ls.l[4], "\"cmd\":\"import contacts.csv\",\"op\":\"bulk\",\"added\":10,"));
	assert_non_null(strstr(ls.l[5], "\"op\":\"import\",\"added\":1,\"updated\":0,\"removed\":0,"
					"\"detail\":{\"file\":\"x.csv\"}}"));
	lines_free(&ls);
	assert_int_equal(store_audit_scan(t, ENTITY(contact), 5, see_line, &ls), 0);
	assert_int_equal(ls.n, 0);
	store_abort(t);
	struct store_stats ss;
	assert_int_equal(store_stats(f->st, &ss), 0);
	assert_int_equal(ss.audit_entries, 6);
	assert_int_equal(ss.records[ENT_contact], 12);
}

/* --- kv, backup, failure modes ------------------------------------------- */

struct kvseen {
	int n;
	char keys[8][16];
};

static int see_kv(const void *key, size_t klen, const void *val, size_t vlen, void *arg)
{
	struct kvseen *s = arg;
	(void)val, (void)vlen;
	if (s->n < 8)
		snprintf(s->keys[s->n++], 16, "%.*s", (int)klen, (const char *)key);
	return 0;
}

static void test_kv(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	assert_int_equal(store_kv_put(t, "score", "b", 1, "20", 2), 0);
	assert_int_equal(store_kv_put(t, "score", "a", 1, "10", 2), 0);
	assert_int_equal(store_kv_put(t, "scores", "c", 1, "x", 1), 0); /* another namespace */
	assert_int_equal(store_kv_put(t, "score", "a", 1, "11", 2), 0);
	commit(t);
	t = begin(f, 1);
	void *val;
	size_t len;
	assert_int_equal(store_kv_get(t, "score", "a", 1, &val, &len), 0);
	assert_int_equal(len, 2);
	assert_memory_equal(val, "11", 2);
	free(val);
	assert_int_equal(store_kv_get(t, "score", "c", 1, &val, &len), KAM_ENOTFOUND);
	struct kvseen s = {0};
	assert_int_equal(store_kv_scan(t, "score", see_kv, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.keys[0], "a");
	assert_string_equal(s.keys[1], "b");
	assert_int_equal(store_kv_del(t, "score", "a", 1), 0);
	assert_int_equal(store_kv_del(t, "score", "a", 1), 0);
	assert_int_equal(store_kv_get(t, "score", "a", 1, &val, &len), KAM_ENOTFOUND);
	char big[600] = {0};
	assert_int_equal(store_kv_put(t, "score", big, sizeof big, "", 0), KAM_EINVAL);
	commit(t);
}

static void test_backup(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	uint64_t id = insert(t, account("\xe5\xa4\x87\xe4\xbb\xbd", 0)); /* 备份 */
	commit(t);
	char dir[128];
	snprintf(dir, sizeof dir, "%s/backup/today", f->dir);
	char *cause = NULL;
	assert_int_equal(store_backup(f->st, dir, &cause), 0);
	assert_int_equal(store_backup(f->st, dir, &cause), KAM_EEXIST);
	assert_non_null(strstr(cause, "not empty"));
	free(cause);
	struct store *copy;
	assert_int_equal(store_open(&copy, dir, 0, NULL), 0);
	assert_int_equal(store_begin(copy, 1, &t), 0);
	struct record *r = get(t, ENTITY(account), id);
	assert_string_equal(record_name(r), "\xe5\xa4\x87\xe4\xbb\xbd");
	record_free(r);
	struct seen s = {0};
	struct value v = {.s = "\xe5\xa4\x87", .set = 1};
	assert_int_equal(store_index_ids(t, ENTITY(account), "name", &v, 1, see_id, &s), 0);
	assert_int_equal(s.n, 1);
	assert_int_equal(insert(t, account("after", 0)), id + 1); /* counters came along */
	commit(t);
	struct store_stats ss;
	assert_int_equal(store_stats(copy, &ss), 0);
	assert_int_equal(ss.records[ENT_account], 2);
	assert_true(ss.file_bytes > 0 && ss.used_bytes > 0 && ss.used_bytes <= ss.file_bytes);
	store_close(copy);
}

static void test_abort_discards(void **state)
{
	struct fixture *f = *state;
	struct txn *t = begin(f, 1);
	insert(t, account("gone", 0));
	store_abort(t);
	t = begin(f, 1);
	uint64_t n = 9;
	assert_int_equal(store_count(t, ENTITY(account), &n), 0);
	assert_int_equal(n, 0);
	/* a second write txn of the same process would wait for itself */
	struct txn *t2;
	assert_int_equal(store_begin(f->st, 1, &t2), KAM_ELOCKED);
	assert_null(t2);
	/* the aborted id is free again: nothing was committed */
	assert_int_equal(insert(t, account("kept", 0)), 1);
	commit(t);
	/* writes in a read txn are refused */
	t = begin(f, 0);
	struct record *r = account("ro", 0);
	char *cause = NULL;
	assert_int_equal(store_insert(t, r, &cause), KAM_ESTORE);
	free(cause);
	record_free(r);
	store_abort(t);
}

/* --- timing (KAM_STORE_BENCH=N for a bigger run) ------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int count_id(uint64_t id, void *arg)
{
	(void)id;
	++*(long *)arg;
	return 0;
}

static int count_record(const struct record *r, void *arg)
{
	(void)r;
	++*(long *)arg;
	return 0;
}

static void test_bulk_timing(void **state)
{
	struct fixture *f = *state;
	const char *env = getenv("KAM_STORE_BENCH");
	long n = env ? atol(env) : 20000;
	struct txn *t = begin(f, 1);
	store_txn_set_audit_detail(t, 0);
	double t0 = now_s();
	struct record *r = record_new(ENTITY(contact));
	char name[64];
	for (long i = 0; i < n; i++) {
		/* names spread like real ones: a common prefix for 1 in 100 */
		snprintf(name, sizeof name, "%s%08lx", i % 100 ? "c" : "zhang ", (unsigned long)(i * 2654435761u));
		record_set_text(r, CONTACT_NAME, name);
		r->id = 0;
		r->created = 0;
		assert_int_equal(store_insert(t, r, NULL), 0);
	}
	record_free(r);
	commit(t);
	double t1 = now_s();
	t = begin(f, 0);
	long hits = 0;
	struct value v = {.s = "zhang", .set = 1};
	assert_int_equal(store_index_ids(t, ENTITY(contact), "name", &v, 1, count_id, &hits), 0);
	double t2 = now_s();
	struct seen s = {0};
	assert_int_equal(store_index_scan(t, ENTITY(contact), "name", &v, 1, see_record, &s), 0);
	double t3 = now_s();
	memset(&s, 0, sizeof s); /* again, with the pages mapped */
	assert_int_equal(store_index_scan(t, ENTITY(contact), "name", &v, 1, see_record, &s), 0);
	double t4 = now_s();
	long all = 0;
	assert_int_equal(store_scan(t, ENTITY(contact), count_record, &all), 0);
	double t5 = now_s();
	store_abort(t);
	assert_int_equal(hits, (n + 99) / 100);
	assert_int_equal(all, n);
	printf("store: %ld contacts inserted in one txn in %.3f s (%.0f/s); prefix scan 'zhang' %ld ids in %.2f ms, "
	       "with records %.2f ms (again: %.2f ms); full scan %.0f ms\n",
	       n, t1 - t0, (double)n / (t1 - t0), hits, (t2 - t1) * 1e3, (t3 - t2) * 1e3, (t4 - t3) * 1e3,
	       (t5 - t4) * 1e3);
}

/* The login of a fresh process: 0 when store_user() is `want`. */
static int child_user(const char *db, const char *want)
{
	struct store *st;
	if (store_open(&st, db, 0, NULL))
		return 2;
	int ok = !strcmp(store_user(st), want);
	if (!ok)
		fprintf(stderr, "store_user: %s, want %s\n", store_user(st), want);
	store_close(st);
	return ok ? 0 : 1;
}

static int run_child_user(const char *db, const char *want, uid_t uid, gid_t gid)
{
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (gid && (setgroups(0, NULL) || setgid(gid) || setuid(uid)))
			_exit(126);
		setenv("KAM_USER", "ada", 1);
		execl(self_path, self_path, "--child-user", db, want, (char *)NULL);
		_exit(127);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* $KAM_USER picks the login (and so the role) only for root and the owner
 * of the database directory: on a shared database nobody claims another
 * login by setting it. */
static void test_user_from_env(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(run_child_user(f->db, "ada", 0, 0), 0); /* the owner (or root) */
	if (geteuid() != 0)
		skip(); /* the other side needs a second uid */
	struct passwd *pw = getpwuid(65534);
	assert_non_null(pw);
	char *name = xstrdup(pw->pw_name);
	char path[160];
	/* a shared database: owned by root, group-writable for 65534 */
	assert_int_equal(chmod(f->dir, 0711), 0);
	assert_int_equal(chown(f->db, 0, 65534), 0);
	assert_int_equal(chmod(f->db, 02770), 0);
	const char *files[] = {"data.mdb", "lock.mdb"};
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof path, "%s/%s", f->db, files[i]);
		assert_int_equal(chown(path, 0, 65534), 0);
	}
	assert_int_equal(run_child_user(f->db, name, 65534, 65534), 0);
	free(name);
}

/* The competing process of test_conflict_two_processes. */
static int child_update(const char *db, uint64_t id)
{
	struct store *st;
	struct txn *t;
	struct record *r;
	int ok = store_open(&st, db, 0, NULL) == 0;
	if (!ok)
		return 1;
	store_set_user(st, "wangli");
	ok = store_begin(st, 1, &t) == 0 && store_get(t, ENTITY(account), id, &r) == 0;
	if (ok) {
		record_set_text(r, ACCOUNT_CITY, "Shanghai");
		ok = store_update(t, r, NULL) == 0 && store_commit(t, NULL) == 0;
		record_free(r);
	}
	store_close(st);
	return ok ? 0 : 1;
}

/* KAM_MAP_SIZE=1: a write txn that outgrows the 1 MiB map fails with
 * KAM_EFULL and says so; after the abort nothing of it is there and the store
 * still works; a bad KAM_MAP_SIZE is a usage error. */
static void test_map_full(void **state)
{
	struct fixture *f = *state;
	char *db = xasprintf("%s/small", f->dir), *cause = NULL, notes[1001];
	struct store *st;
	struct txn *t;
	setenv("KAM_MAP_SIZE", "1x", 1);
	assert_int_equal(store_open(&st, db, STORE_CREATE, &cause), KAM_EUSAGE);
	assert_non_null(strstr(cause, "KAM_MAP_SIZE"));
	free(cause);
	cause = NULL;
	setenv("KAM_MAP_SIZE", "1", 1);
	assert_int_equal(store_open(&st, db, STORE_CREATE, &cause), 0);
	unsetenv("KAM_MAP_SIZE");
	memset(notes, 'x', 1000);
	notes[1000] = 0;
	assert_int_equal(store_begin(st, 1, &t), 0);
	int rc = 0, n;
	for (n = 0; n < 10000 && !rc; n++) {
		struct record *r = record_new(ENTITY(account));
		char name[32];
		snprintf(name, sizeof name, "Account %d", n);
		record_set_text(r, ACCOUNT_NAME, name);
		record_set_text(r, ACCOUNT_NOTES, notes);
		rc = store_insert(t, r, &cause);
		record_free(r);
	}
	assert_int_equal(rc, KAM_EFULL);
	assert_true(n > 100); /* a few hundred fit */
	assert_non_null(strstr(cause, "full"));
	assert_non_null(strstr(cause, "nothing of this command was written"));
	free(cause);
	cause = NULL;
	store_abort(t);
	uint64_t count = 1;
	assert_int_equal(store_begin(st, 0, &t), 0);
	assert_int_equal(store_count(t, ENTITY(account), &count), 0);
	store_abort(t);
	assert_int_equal(count, 0);
	fixture_put(st, "account", 0, (const char *const[]){"name=After", NULL});
	store_close(st);
	free(db);
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "--child-user"))
		return child_user(argv[2], argv[3]);
	if (argc == 4 && !strcmp(argv[1], "--child-update"))
		return child_update(argv[2], strtoull(argv[3], NULL, 10));
	/* argv[0], not /proc/self/exe: under valgrind that is valgrind itself. */
	if (argc > 0 && strchr(argv[0], '/') && !realpath(argv[0], self_path))
		strcpy(self_path, "/proc/self/exe");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_int_order),
	    cmocka_unit_test(test_key_text_order),
	    cmocka_unit_test(test_key_composite),
	    cmocka_unit_test_setup_teardown(test_open_errors, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_schema_newer_refused, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_rdonly, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_open_twice_refused, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_missing_index_built, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_crud, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_scan, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_preset_id, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_index_fold_name, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_index_composite, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_index_plain_text_and_dates, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_ext, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_conflict_two_processes, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_user_from_env, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_delete_refused_and_cascade, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_refs_lists, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_audit, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_kv, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_backup, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_abort_discards, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_map_full, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_bulk_timing, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
