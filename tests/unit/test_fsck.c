/* store_fsck and store_restore. Inconsistencies are made behind the store's
 * back with raw LMDB calls on its own handles (hence impl.h, the store's
 * internal header), the way a bug or a bad tool would make them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../src/store/impl.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

struct fx {
	struct fixture fx;
	uint64_t staff1, staff2, acc, contact, act;
	struct buf lines; /* reported problems, one per line */
};

#define add fixture_put_pairs

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	fixture_open(&f->fx, "fsck");
	f->staff1 = add(f->fx.st, ENTITY(staff), "hr-1", (const char *[]){"name", "Ada", "login", "ada", NULL});
	f->staff2 = add(f->fx.st, ENTITY(staff), NULL, (const char *[]){"name", "Bo", "login", "bo", NULL});
	f->acc = add(f->fx.st, ENTITY(account), "crm-7", (const char *[]){"name", "Acme", "kam", "2", NULL});
	f->contact = add(f->fx.st, ENTITY(contact), NULL, (const char *[]){"name", "Mia", NULL});
	f->act = add(f->fx.st, ENTITY(activity), NULL,
		     (const char *[]){"account", "1", "date", "2026-11-20", "type", "call", "contacts", "1", "staff",
				      "1;2;1", NULL});
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->fx);
	buf_free(&f->lines);
	free(f);
	return 0;
}

static void collect(const char *problem, void *arg)
{
	struct buf *b = arg;
	buf_adds(b, problem);
	buf_addc(b, '\n');
}

/* Run fsck; returns the number of problems, the lines in f->lines. */
static uint64_t fsck(struct fx *f, int repair, struct store_fsck_result *res)
{
	struct store_fsck_result local;
	char *cause = NULL;
	buf_reset(&f->lines);
	buf_addc(&f->lines, '\0');
	f->lines.len = 0;
	if (!res)
		res = &local;
	if (store_fsck(f->fx.st, repair, collect, &f->lines, res, &cause))
		fail_msg("fsck: %s", cause);
	return res->problems;
}

static void expect_line(struct fx *f, const char *want)
{
	if (!f->lines.p || !strstr(f->lines.p, want))
		fail_msg("no '%s' in:\n%s", want, f->lines.p ? f->lines.p : "");
}

/* A raw write txn on the store's own handles. */
static struct txn *raw(struct fx *f)
{
	struct txn *t;
	assert_int_equal(store_begin(f->fx.st, 1, &t), 0);
	return t;
}

static void raw_put(struct txn *t, MDB_dbi dbi, const void *k, size_t kl, const void *v, size_t vl)
{
	MDB_val key = {kl, (void *)k}, val = {vl, (void *)v};
	assert_int_equal(mdb_put(t->txn, dbi, &key, &val, 0), 0);
}

static void raw_del(struct txn *t, MDB_dbi dbi, const void *k, size_t kl)
{
	MDB_val key = {kl, (void *)k};
	assert_int_equal(mdb_del(t->txn, dbi, &key, NULL), 0);
}

static MDB_dbi ix_dbi(struct fx *f, const struct entity *e, const char *name)
{
	struct txn *t;
	const struct index_def *ix;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(store_index_slot(t, e, name, &ix), 0);
	store_abort(t);
	return f->fx.st->ix[ix->dbi_slot];
}

static void test_clean(void **state)
{
	struct fx *f = *state;
	struct store_fsck_result res;
	assert_int_equal(fsck(f, 0, &res), 0);
	assert_int_equal(res.records, 5);
	assert_true(res.entries > 10);
	/* repair of a clean database writes nothing */
	uint64_t txnid = store_last_txnid(f->fx.st);
	assert_int_equal(fsck(f, 1, &res), 0);
	assert_int_equal(res.repaired, 0);
	assert_int_equal(store_last_txnid(f->fx.st), txnid);
}

static void test_missing_and_stale_index(void **state)
{
	struct fx *f = *state;
	struct record *acc;
	struct txn *t = raw(f);
	assert_int_equal(store_get(t, ENTITY(account), f->acc, &acc), 0);
	/* drop the record's name entry, add a name entry for a record that does
	 * not exist and one that does not match its record */
	buf_reset(&t->k2);
	key_index_record(&t->k2, &ENTITY(account)->indexes[0], acc);
	raw_del(t, ix_dbi(f, ENTITY(account), "name"), t->k2.p, t->k2.len);
	struct buf k = {0};
	key_put_text(&k, "ghost", 1, 0);
	key_put_u64(&k, 42);
	raw_put(t, ix_dbi(f, ENTITY(account), "name"), k.p, k.len, "", 0);
	buf_reset(&k);
	key_put_text(&k, "zeta", 1, 0);
	key_put_u64(&k, f->acc);
	raw_put(t, ix_dbi(f, ENTITY(account), "name"), k.p, k.len, "", 0);
	buf_free(&k);
	record_free(acc);
	assert_int_equal(store_commit(t, NULL), 0);

	struct store_fsck_result res;
	assert_int_equal(fsck(f, 0, &res), 3);
	assert_int_equal(res.unrepaired, 0);
	expect_line(f, "account 1: missing entry in index 'name'");
	expect_line(f, "index 'name' of account: entry for account 42, which does not exist");
	expect_line(f, "index 'name' of account: stale entry for account 1");
	assert_int_equal(fsck(f, 1, &res), 3);
	assert_int_equal(res.repaired, 1);
	assert_int_equal(fsck(f, 0, NULL), 0);
}

static void test_refs_index(void **state)
{
	struct fx *f = *state;
	struct txn *t = raw(f);
	MDB_dbi dbi = ix_dbi(f, ENTITY(activity), "staff");
	struct buf k = {0};
	key_put_i64(&k, (int64_t)f->staff2); /* listed: remove its entry */
	key_put_u64(&k, f->act);
	raw_del(t, dbi, k.p, k.len);
	buf_reset(&k);
	key_put_i64(&k, 7); /* not listed: a stale entry */
	key_put_u64(&k, f->act);
	raw_put(t, dbi, k.p, k.len, "", 0);
	buf_free(&k);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(fsck(f, 0, NULL), 2);
	expect_line(f, "activity 1: missing entry in index 'staff'");
	expect_line(f, "index 'staff' of activity: stale entry for activity 1");
	assert_int_equal(fsck(f, 1, NULL), 2);
	assert_int_equal(fsck(f, 0, NULL), 0);
}

static void test_ext(void **state)
{
	struct fx *f = *state;
	struct txn *t = raw(f);
	struct buf k = {0};
	buf_addc(&k, (char)ENTITY(account)->code);
	buf_adds(&k, "crm-7");
	raw_del(t, f->fx.st->ext, k.p, k.len);
	buf_reset(&k);
	buf_addc(&k, (char)ENTITY(staff)->code);
	buf_adds(&k, "hr-1");
	unsigned char other[8] = {0, 0, 0, 0, 0, 0, 0, 2}; /* hr-1 now says staff 2 */
	raw_put(t, f->fx.st->ext, k.p, k.len, other, 8);
	buf_free(&k);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(fsck(f, 0, NULL), 3);
	expect_line(f, "account 1: external id 'crm-7' is not in the ext table");
	expect_line(f, "staff 1: external id 'hr-1' maps to another record");
	expect_line(f, "ext table: stale entry 'hr-1' -> staff 2");
	assert_int_equal(fsck(f, 1, NULL), 3);
	assert_int_equal(fsck(f, 0, NULL), 0);
	/* the repaired table works */
	uint64_t id;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(store_find_ext(t, ENTITY(account), "crm-7", &id), 0);
	assert_int_equal(id, f->acc);
	store_abort(t);
}

static void test_audit_record(void **state)
{
	struct fx *f = *state;
	struct txn *t = raw(f);
	MDB_cursor *c;
	MDB_val k, v;
	assert_int_equal(mdb_cursor_open(t->txn, f->fx.st->audit_rec, &c), 0);
	assert_int_equal(mdb_cursor_get(c, &k, &v, MDB_FIRST), 0);
	assert_int_equal(mdb_cursor_del(c, 0), 0);
	mdb_cursor_close(c);
	unsigned char bogus[17] = {
	    (unsigned char)ENTITY(contact)->code, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 99};
	raw_put(t, f->fx.st->audit_rec, bogus, 17, "", 0);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(fsck(f, 0, NULL), 2);
	expect_line(f, "is missing from audit.record");
	expect_line(f, "audit.record: stale entry for contact 9, line 99");
	assert_int_equal(fsck(f, 1, NULL), 2);
	assert_int_equal(fsck(f, 0, NULL), 0);
}

static void test_counter(void **state)
{
	struct fx *f = *state;
	struct txn *t = raw(f);
	assert_int_equal(store_meta_put(t, "next.staff", 2), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(fsck(f, 0, NULL), 1);
	expect_line(f, "staff: id counter 2 is not ahead of the highest id 2");
	assert_int_equal(fsck(f, 1, NULL), 1);
	assert_int_equal(fsck(f, 0, NULL), 0);
	uint64_t next;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(store_meta_get(t, "next.staff", &next), 0);
	assert_int_equal(next, 3);
	store_abort(t);
}

/* A referenced record removed behind the store's back: reported, kept. */
static void test_dangling_and_garbage(void **state)
{
	struct fx *f = *state;
	struct txn *t = raw(f);
	unsigned char k[8] = {0, 0, 0, 0, 0, 0, 0, 2};
	raw_del(t, f->fx.st->ent[store_ent_index(ENTITY(staff))], k, 8);
	k[7] = 9;
	raw_put(t, f->fx.st->ent[store_ent_index(ENTITY(contact))], k, 8, "\xff\xfe garbage", 10);
	assert_int_equal(store_commit(t, NULL), 0);
	struct store_fsck_result res;
	fsck(f, 0, &res);
	expect_line(f, "account 1: kam -> staff 2 does not exist");
	expect_line(f, "activity 1: staff -> staff 2 does not exist");
	expect_line(f, "contact 9: the stored record cannot be decoded");
	expect_line(f, "index 'login' of staff: entry for staff 2, which does not exist");
	assert_int_equal(res.unrepaired, 3);
	assert_true(res.problems > res.unrepaired);
	fsck(f, 1, &res);
	assert_int_equal(res.repaired, 1);
	/* only what needs a person is left; the references are untouched */
	assert_int_equal(fsck(f, 0, &res), 3);
	assert_int_equal(res.unrepaired, 3);
	struct record *acc;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(store_get(t, ENTITY(account), f->acc, &acc), 0);
	assert_int_equal(acc->v[ACCOUNT_KAM].i, 2);
	record_free(acc);
	store_abort(t);
}

static void test_repair_read_only(void **state)
{
	struct fx *f = *state;
	struct store *ro;
	struct store_fsck_result res;
	char *cause = NULL;
	store_close(f->fx.st);
	assert_int_equal(store_open(&ro, f->fx.db, STORE_RDONLY, NULL), 0);
	assert_int_equal(store_fsck(ro, 1, NULL, NULL, &res, &cause), KAM_ELOCKED);
	assert_non_null(cause);
	free(cause);
	assert_int_equal(store_fsck(ro, 0, NULL, NULL, &res, NULL), 0);
	assert_int_equal(res.problems, 0);
	store_close(ro);
	assert_int_equal(store_open(&f->fx.st, f->fx.db, 0, NULL), 0);
}

static void test_restore(void **state)
{
	struct fx *f = *state;
	char bak[128], bad[128], path[160];
	char *cause = NULL;
	snprintf(bak, sizeof bak, "%s/bak", f->fx.dir);
	snprintf(bad, sizeof bad, "%s/bad", f->fx.dir);
	assert_int_equal(store_backup(f->fx.st, bak, NULL), 0);
	add(f->fx.st, ENTITY(contact), NULL, (const char *[]){"name", "After", NULL});
	/* the database itself is not a backup */
	assert_int_equal(store_restore(f->fx.db, f->fx.db, &cause), KAM_EINVAL);
	free(cause);
	cause = NULL;
	/* a backup that fails fsck is refused */
	struct txn *t = raw(f);
	unsigned char k[8] = {0, 0, 0, 0, 0, 0, 0, 2};
	raw_del(t, f->fx.st->ent[store_ent_index(ENTITY(staff))], k, 8);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(store_backup(f->fx.st, bad, NULL), 0);
	store_close(f->fx.st);
	f->fx.st = NULL;
	assert_int_equal(store_restore(f->fx.db, bad, &cause), KAM_EINVAL);
	assert_non_null(strstr(cause, "inconsistencies"));
	free(cause);
	/* a good one replaces the data and keeps the old */
	assert_int_equal(store_restore(f->fx.db, bak, NULL), 0);
	snprintf(path, sizeof path, "%s/data.mdb.before-restore", f->fx.db);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(store_open(&f->fx.st, f->fx.db, 0, NULL), 0);
	uint64_t n;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(store_count(t, ENTITY(contact), &n), 0);
	assert_int_equal(n, 1); /* "After" is gone */
	assert_int_equal(store_count(t, ENTITY(staff), &n), 0);
	assert_int_equal(n, 2);
	store_abort(t);
	assert_int_equal(fsck(f, 0, NULL), 0);
	/* refused while another process has it open: a child opens it and
	 * waits (fcntl locks are per process and not inherited by fork) */
	store_close(f->fx.st);
	f->fx.st = NULL;
	int ready[2];
	assert_int_equal(pipe(ready), 0);
	pid_t pid = fork();
	if (pid == 0) {
		struct store *held;
		if (store_open(&held, f->fx.db, STORE_RDONLY, NULL))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		pause(); /* killed by the parent: no exit-time leak check */
		_exit(1);
	}
	char c;
	assert_int_equal(read(ready[0], &c, 1), 1);
	cause = NULL;
	int rc = store_restore(f->fx.db, bak, &cause);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	assert_int_equal(rc, KAM_ELOCKED);
	assert_non_null(strstr(cause, "in use by process"));
	free(cause);
	/* once it is gone, the restore goes through */
	assert_int_equal(store_restore(f->fx.db, bak, NULL), 0);
	assert_int_equal(store_open(&f->fx.st, f->fx.db, 0, NULL), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_clean, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_and_stale_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_refs_index, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ext, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_audit_record, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_counter, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_dangling_and_garbage, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_repair_read_only, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_restore, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
