/* Shared by the unit tests that build a small database by hand: a scratch
 * database (struct fixture), records given as "field=value" strings, and
 * removal of the scratch directory. Include after <cmocka.h>. */
#ifndef KAM_TEST_FIXTURE_H
#define KAM_TEST_FIXTURE_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/conf.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"

static inline int fixture_rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb, (void)flag, (void)ftw;
	return remove(path);
}

/* rm -rf dir */
static inline void fixture_rmtree(const char *dir)
{
	nftw(dir, fixture_rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* One test's scratch database: dir is a fresh /tmp/kam_NAME_XXXXXX, the
 * store is dir/db (created, user "tester"), cfg the built-in configuration.
 * A test that needs more state keeps a struct of its own holding one. */
struct fixture {
	char dir[64];
	char db[96];
	struct store *st;
	struct kam_config *cfg;
};

static inline void fixture_open(struct fixture *fx, const char *name)
{
	char *cause = NULL;
	snprintf(fx->dir, sizeof fx->dir, "/tmp/kam_%s_XXXXXX", name);
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->db, sizeof fx->db, "%s/db", fx->dir);
	if (store_open(&fx->st, fx->db, STORE_CREATE, &cause))
		fail_msg("open %s: %s", fx->db, cause);
	store_set_user(fx->st, "tester");
	if (conf_load_defaults(&fx->cfg, &cause))
		fail_msg("configuration defaults: %s", cause);
}

static inline void fixture_close(struct fixture *fx)
{
	store_close(fx->st);
	conf_free(fx->cfg);
	fixture_rmtree(fx->dir);
	fx->st = NULL;
	fx->cfg = NULL;
}

/* cmocka setup/teardown for tests whose state is just a struct fixture. */
static inline int fixture_setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof *fx);
	fixture_open(fx, "unit");
	*state = fx;
	return 0;
}

static inline int fixture_teardown(void **state)
{
	fixture_close(*state);
	free(*state);
	return 0;
}

/* Insert (id 0) or update (id > 0) one record in its own write txn; the
 * test fails on any error. Returns the record's id. */
static inline uint64_t fixture_put(struct store *st, const char *entity, uint64_t id, const char *const *fields)
{
	const struct entity *e = entity_by_name(entity);
	struct record *r = NULL;
	char *cause = NULL;
	struct txn *t;
	assert_non_null(e);
	assert_int_equal(store_begin(st, 1, &t), 0);
	if (id)
		assert_int_equal(store_get(t, e, id, &r), 0);
	else
		r = record_new(e);
	for (int i = 0; fields[i]; i++) {
		const char *eq = strchr(fields[i], '=');
		assert_non_null(eq);
		char *name = xstrndup(fields[i], (size_t)(eq - fields[i]));
		int f = entity_field(e, name);
		assert_true(f >= 0);
		assert_int_equal(record_parse_field(r, f, eq + 1, &cause), 0);
		free(name);
	}
	int rc = id ? store_update(t, r, &cause) : store_insert(t, r, &cause);
	if (rc)
		fprintf(stderr, "%s %s: %s\n", id ? "update" : "insert", entity, cause);
	assert_int_equal(rc, 0);
	assert_int_equal(store_commit(t, &cause), 0);
	uint64_t got = r->id;
	record_free(r);
	free(cause);
	return got;
}

/* Insert one record of e from name, value pairs (values computed at run
 * time), with external id ext unless NULL; the test fails on any error.
 * Returns the record's id. */
static inline uint64_t fixture_put_pairs(struct store *st, const struct entity *e, const char *ext,
					 const char *const *kv)
{
	struct record *r = record_new(e);
	char *cause = NULL;
	struct txn *t;
	for (int i = 0; kv[i]; i += 2) {
		int f = entity_field(e, kv[i]);
		assert_true(f >= 0);
		if (record_parse_field(r, f, kv[i + 1], &cause))
			fail_msg("%s %s: %s", e->name, kv[i], cause);
	}
	if (ext)
		r->ext_id = xstrdup(ext);
	assert_int_equal(store_begin(st, 1, &t), 0);
	if (store_insert(t, r, &cause))
		fail_msg("insert %s: %s", e->name, cause);
	assert_int_equal(store_commit(t, NULL), 0);
	uint64_t id = r->id;
	record_free(r);
	return id;
}

#define ADD(st, ent, ...) fixture_put(st, ent, 0, (const char *const[]){__VA_ARGS__, NULL})
#define SET(st, ent, id, ...) fixture_put(st, ent, id, (const char *const[]){__VA_ARGS__, NULL})

#endif
