/* Roles and team scope (src/access) against a real database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kam/access.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

struct fx {
	struct fixture fx;
	/* staff ids */
	uint64_t admin, editor, viewer, gone, other;
	/* accounts: kam = editor, team member, contact owner, foreign */
	uint64_t a_kam, a_team, a_owner, a_foreign;
	uint64_t c_mine, c_foreign, opp_mine, opp_foreign;
};

#define add(st, e, ...) fixture_put_pairs(st, e, NULL, __VA_ARGS__)

static char *num(uint64_t id)
{
	static char b[8][24];
	static int i;
	i = (i + 1) % 8;
	snprintf(b[i], sizeof b[i], "%llu", (unsigned long long)id);
	return b[i];
}

static int setup_empty(void **state)
{
	struct fx *f = xcalloc(1, sizeof *f);
	fixture_open(&f->fx, "access");
	access_set_editor_scope(ACCESS_SCOPE_TEAM);
	*state = f;
	return 0;
}

/* Staff, accounts and the links that put the editor on three teams. */
static int setup(void **state)
{
	if (setup_empty(state))
		return -1;
	struct fx *f = *state;
	struct store *st = f->fx.st;
	f->admin = add(st, ENTITY(staff), (const char *[]){"name", "Ada", "login", "ada", "role", "admin", NULL});
	f->editor = add(st, ENTITY(staff), (const char *[]){"name", "Ed", "login", "ed", "role", "editor", NULL});
	f->viewer = add(st, ENTITY(staff), (const char *[]){"name", "Vi", "login", "vi", "role", "viewer", NULL});
	f->gone = add(st, ENTITY(staff),
		      (const char *[]){"name", "Go", "login", "go", "role", "admin", "status", "left", NULL});
	f->other = add(st, ENTITY(staff), (const char *[]){"name", "Ot", "login", "ot", "role", "editor", NULL});
	f->a_kam = add(st, ENTITY(account), (const char *[]){"name", "KamCo", "kam", num(f->editor), NULL});
	f->a_team = add(st, ENTITY(account), (const char *[]){"name", "TeamCo", "kam", num(f->other), NULL});
	f->a_owner = add(st, ENTITY(account), (const char *[]){"name", "OwnerCo", NULL});
	f->a_foreign = add(st, ENTITY(account), (const char *[]){"name", "ForeignCo", "kam", num(f->other), NULL});
	add(st, ENTITY(team), (const char *[]){"staff", num(f->editor), "account", num(f->a_team), NULL});
	add(st, ENTITY(team),
	    (const char *[]){"staff", num(f->editor), "account", num(f->a_foreign), "to", "2020-01-01", NULL});
	f->c_mine = add(st, ENTITY(contact), (const char *[]){"name", "Mia", NULL});
	f->c_foreign = add(st, ENTITY(contact), (const char *[]){"name", "Fred", NULL});
	add(st, ENTITY(account_contact),
	    (const char *[]){"account", num(f->a_owner), "contact", num(f->c_mine), "owner_b", num(f->editor), NULL});
	add(st, ENTITY(account_contact),
	    (const char *[]){"account", num(f->a_foreign), "contact", num(f->c_foreign), NULL});
	f->opp_mine = add(st, ENTITY(opportunity),
			  (const char *[]){"account", num(f->a_kam), "year", "2027", "title", "Core", NULL});
	f->opp_foreign = add(st, ENTITY(opportunity),
			     (const char *[]){"account", num(f->a_foreign), "year", "2027", "title", "Edge", NULL});
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fixture_close(&f->fx);
	access_set_editor_scope(ACCESS_SCOPE_TEAM);
	free(f);
	return 0;
}

static struct record *get(struct fx *f, const struct entity *e, uint64_t id)
{
	struct txn *t;
	struct record *r;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(store_get(t, e, id, &r), 0);
	store_abort(t);
	return r;
}

/* access_check result; the cause must be set exactly when refused. */
static int check(struct fx *f, const char *login, enum access_op op, const struct record *r, const char *want)
{
	char *cause = NULL;
	int rc = access_check(f->fx.st, login, op, r, &cause);
	if (rc)
		assert_non_null(cause);
	else
		assert_null(cause);
	if (want && (!cause || !strstr(cause, want)))
		fail_msg("cause '%s' lacks '%s'", cause ? cause : "(none)", want);
	free(cause);
	return rc;
}

static void test_bootstrap(void **state)
{
	struct fx *f = *state;
	enum access_role role;
	uint64_t sid = 99;
	assert_int_equal(access_role(f->fx.st, "anyone", &role, &sid, NULL), 0);
	assert_int_equal(role, ROLE_ADMIN);
	assert_int_equal(sid, 0);
	assert_int_equal(check(f, "anyone", ACCESS_ADMIN, NULL, NULL), 0);
	/* staff without logins map nobody: still bootstrapping */
	add(f->fx.st, ENTITY(staff), (const char *[]){"name", "No Login", "role", "viewer", NULL});
	assert_int_equal(check(f, "anyone", ACCESS_ADMIN, NULL, NULL), 0);
	/* logins without an (active) admin do not end it either: staff added
	 * or imported before anybody set up users */
	add(f->fx.st, ENTITY(staff), (const char *[]){"name", "Vi", "login", "vi", "role", "viewer", NULL});
	add(f->fx.st, ENTITY(staff),
	    (const char *[]){"name", "Old", "login", "old", "role", "admin", "status", "left", NULL});
	assert_int_equal(check(f, "anyone", ACCESS_DELETE, NULL, NULL), 0);
	assert_int_equal(check(f, "vi", ACCESS_ADMIN, NULL, NULL), 0);
	assert_int_equal(access_role(f->fx.st, "vi", &role, &sid, NULL), 0);
	assert_int_equal(role, ROLE_ADMIN);
	assert_int_equal(sid, 0);
	struct txn *t;
	int yes = 1;
	assert_int_equal(store_begin(f->fx.st, 0, &t), 0);
	assert_int_equal(access_has_admin(t, &yes), 0);
	store_abort(t);
	assert_false(yes);
	/* the first active admin ends it */
	add(f->fx.st, ENTITY(staff), (const char *[]){"name", "Root", "login", "root", "role", "admin", NULL});
	assert_int_equal(check(f, "vi", ACCESS_ADMIN, NULL, "admin role"), KAM_EINVAL);
	assert_int_equal(check(f, "anyone", ACCESS_READ, NULL, "no staff record has this login"), KAM_EINVAL);
	assert_int_equal(check(f, "root", ACCESS_ADMIN, NULL, NULL), 0);
	assert_int_equal(check(f, NULL, ACCESS_READ, NULL, NULL), KAM_EINVAL);
}

/* access_make_admin: what init --admin and gen use for the first admin. */
static void test_make_admin(void **state)
{
	struct fx *f = *state;
	struct txn *t;
	uint64_t id = 0, sid;
	enum access_role role;
	int yes = 0;
	uint64_t vi =
	    add(f->fx.st, ENTITY(staff), (const char *[]){"name", "Vi", "login", "vi", "status", "left", NULL});
	/* a staff record with the login is promoted (and active again) */
	assert_int_equal(store_begin(f->fx.st, 1, &t), 0);
	assert_int_equal(access_make_admin(t, "vi", &id, NULL), 0);
	assert_int_equal(access_has_admin(t, &yes), 0); /* seen inside the txn */
	assert_true(yes);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_int_equal(id, vi);
	assert_int_equal(access_role(f->fx.st, "vi", &role, &sid, NULL), 0);
	assert_int_equal(role, ROLE_ADMIN);
	assert_int_equal(sid, vi);
	/* an unknown login gets a new staff record */
	assert_int_equal(store_begin(f->fx.st, 1, &t), 0);
	assert_int_equal(access_make_admin(t, "neo", &id, NULL), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	assert_true(id > vi);
	struct record *r = get(f, ENTITY(staff), id);
	assert_string_equal(r->v[STAFF_NAME].s, "neo");
	assert_string_equal(r->v[STAFF_LOGIN].s, "neo");
	assert_string_equal(r->v[STAFF_ROLE].s, "admin");
	record_free(r);
	assert_int_equal(check(f, "anyone", ACCESS_READ, NULL, "no staff record"), KAM_EINVAL);
}

static void test_delete(void **state)
{
	struct fx *f = *state;
	struct record *a = get(f, ENTITY(account), f->a_kam);
	assert_int_equal(check(f, "ada", ACCESS_DELETE, a, NULL), 0);
	/* even an editor on the team: deleting is admin work */
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, NULL), 0);
	assert_int_equal(check(f, "ed", ACCESS_DELETE, a, "may not delete account"), KAM_EINVAL);
	assert_int_equal(check(f, "vi", ACCESS_DELETE, a, "admin role"), KAM_EINVAL);
	assert_int_equal(check(f, "go", ACCESS_DELETE, a, "has left"), KAM_EINVAL);
	record_free(a);
}

static void expect_redacted(const char *in, const char *want)
{
	char *out = access_redact_audit(in);
	if (!want) {
		assert_null(out);
		return;
	}
	assert_non_null(out);
	assert_string_equal(out, want);
	free(out);
}

static void test_redact_audit(void **state)
{
	(void)state;
	/* sensitive values and the command from the first sensitive assignment */
	expect_redacted("{\"seq\":3,\"who\":\"ada\",\"cmd\":\"set contact 1 title=CTO dates=birthday:01-02 notes=x\","
			"\"entity\":\"contact\",\"id\":1,\"version\":2,\"op\":\"set\","
			"\"before\":{\"title\":null,\"dates\":\"birthday:03-04\"},"
			"\"after\":{\"title\":\"CTO\",\"dates\":\"birthday:01-02\"}}",
			"{\"seq\":3,\"who\":\"ada\",\"cmd\":\"set contact 1 title=CTO (redacted)\","
			"\"entity\":\"contact\",\"id\":1,\"version\":2,\"op\":\"set\","
			"\"before\":{\"title\":null,\"dates\":\"(redacted)\"},"
			"\"after\":{\"title\":\"CTO\",\"dates\":\"(redacted)\"}}");
	/* "notes" is not sensitive, "private_notes" is; "x_dates=" is no assignment to dates */
	expect_redacted("{\"cmd\":\"add contact name=A "
			"notes=ok\",\"entity\":\"contact\",\"after\":{\"name\":\"A\",\"notes\":\"ok\"}}",
			"{\"cmd\":\"add contact name=A "
			"notes=ok\",\"entity\":\"contact\",\"after\":{\"name\":\"A\",\"notes\":\"ok\"}}");
	expect_redacted("{\"cmd\":\"add contact name=x_dates=1 private_notes=a b\",\"entity\":\"contact\"}",
			"{\"cmd\":\"add contact name=x_dates=1 (redacted)\",\"entity\":\"contact\"}");
	/* other types, summaries and unicode pass unchanged */
	expect_redacted("{\"seq\":1,\"cmd\":\"import\",\"op\":\"import\",\"detail\":{\"files\":[\"a.csv\"]}}",
			"{\"seq\":1,\"cmd\":\"import\",\"op\":\"import\",\"detail\":{\"files\":[\"a.csv\"]}}");
	expect_redacted("{\"entity\":\"account\",\"after\":{\"name\":\"华信\",\"key\":true,\"employees\":5}}",
			"{\"entity\":\"account\",\"after\":{\"name\":\"华信\",\"key\":true,\"employees\":5}}");
	/* not an object: not shown at all */
	expect_redacted("garbage", NULL);
	expect_redacted("{\"entity\":\"contact\",\"after\":{\"dates\":[1]}", NULL);
}

static void test_roles(void **state)
{
	struct fx *f = *state;
	struct record *acc = get(f, ENTITY(account), f->a_foreign);
	enum access_role role;
	uint64_t sid;
	assert_int_equal(access_role(f->fx.st, "ed", &role, &sid, NULL), 0);
	assert_int_equal(role, ROLE_EDITOR);
	assert_int_equal(sid, f->editor);
	/* admin: everything */
	assert_int_equal(check(f, "ada", ACCESS_ADMIN, NULL, NULL), 0);
	assert_int_equal(check(f, "ada", ACCESS_WRITE, acc, NULL), 0);
	/* viewer: read only */
	assert_int_equal(check(f, "vi", ACCESS_READ, acc, NULL), 0);
	assert_int_equal(check(f, "vi", ACCESS_WRITE, acc, "viewers may only read"), KAM_EINVAL);
	assert_int_equal(check(f, "vi", ACCESS_ADMIN, NULL, "admin role"), KAM_EINVAL);
	/* editor: no admin work */
	assert_int_equal(check(f, "ed", ACCESS_ADMIN, NULL, "admin role"), KAM_EINVAL);
	/* staff who left: nothing, whatever the role */
	assert_int_equal(check(f, "go", ACCESS_READ, NULL, "has left"), KAM_EINVAL);
	assert_int_equal(check(f, "nobody", ACCESS_READ, NULL, NULL), KAM_EINVAL);
	record_free(acc);
}

static void test_editor_team(void **state)
{
	struct fx *f = *state;
	uint64_t ok[] = {f->a_kam, f->a_team, f->a_owner};
	for (int i = 0; i < 3; i++) {
		struct record *a = get(f, ENTITY(account), ok[i]);
		record_set_text(a, ACCOUNT_CITY, "Xi'an");
		assert_int_equal(check(f, "ed", ACCESS_WRITE, a, NULL), 0);
		record_free(a);
	}
	/* a team record of someone else does not count; the old team record
	 * with an end date still counts (team membership is not dated here) */
	struct record *a = get(f, ENTITY(account), f->a_foreign);
	assert_int_equal(check(f, "ot", ACCESS_WRITE, a, NULL), 0);
	record_free(a);
	uint64_t alone =
	    add(f->fx.st, ENTITY(account), (const char *[]){"name", "AloneCo", "kam", num(f->other), NULL});
	a = get(f, ENTITY(account), alone);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, "not on the team"), KAM_EINVAL);
	/* the same editor with scope "all" */
	access_set_editor_scope(ACCESS_SCOPE_ALL);
	assert_int_equal(access_editor_scope(), ACCESS_SCOPE_ALL);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, NULL), 0);
	assert_int_equal(check(f, "vi", ACCESS_WRITE, a, NULL), KAM_EINVAL);
	access_set_editor_scope(ACCESS_SCOPE_TEAM);
	record_free(a);
}

static void test_editor_children(void **state)
{
	struct fx *f = *state;
	uint64_t alone = add(f->fx.st, ENTITY(account), (const char *[]){"name", "AloneCo", NULL});
	/* a new record of an account on the team, and of one that is not */
	struct record *y = record_new(ENTITY(account_year));
	record_set_int(y, AY_ACCOUNT, (int64_t)f->a_kam);
	record_set_int(y, AY_YEAR, 2027);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, y, NULL), 0);
	record_set_int(y, AY_ACCOUNT, (int64_t)alone);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, y, "not on the team"), KAM_EINVAL);
	record_free(y);
	/* an opportunity: its stored account counts as well as the new one */
	struct record *o = get(f, ENTITY(opportunity), f->opp_mine);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, o, NULL), 0);
	record_set_int(o, OPP_ACCOUNT, (int64_t)alone); /* moving it away */
	assert_int_equal(check(f, "ed", ACCESS_WRITE, o, "not on the team"), KAM_EINVAL);
	record_free(o);
	uint64_t opp_alone = add(f->fx.st, ENTITY(opportunity),
				 (const char *[]){"account", num(alone), "year", "2027", "title", "X", NULL});
	o = get(f, ENTITY(opportunity), opp_alone);
	record_set_int(o, OPP_ACCOUNT, (int64_t)f->a_kam); /* pulling it in */
	assert_int_equal(check(f, "ed", ACCESS_WRITE, o, "not on the team"), KAM_EINVAL);
	record_free(o);
	/* opp_contact: through its opportunity */
	struct record *oc = record_new(ENTITY(opp_contact));
	record_set_int(oc, OC_OPPORTUNITY, (int64_t)f->opp_mine);
	record_set_int(oc, OC_CONTACT, (int64_t)f->c_foreign);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, oc, NULL), 0);
	record_set_int(oc, OC_OPPORTUNITY, (int64_t)opp_alone);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, oc, NULL), KAM_EINVAL);
	record_free(oc);
	/* team records: through their account */
	struct record *tm = record_new(ENTITY(team));
	record_set_int(tm, TEAM_STAFF, (int64_t)f->viewer);
	record_set_int(tm, TEAM_ACCOUNT, (int64_t)alone);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, tm, NULL), KAM_EINVAL);
	record_set_int(tm, TEAM_ACCOUNT, (int64_t)f->a_kam);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, tm, NULL), 0);
	record_free(tm);
}

static void test_editor_contacts_staff(void **state)
{
	struct fx *f = *state;
	struct record *c = get(f, ENTITY(contact), f->c_mine);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, c, NULL), 0);
	record_free(c);
	uint64_t lonely = add(f->fx.st, ENTITY(contact), (const char *[]){"name", "Lonely", NULL});
	uint64_t theirs = add(f->fx.st, ENTITY(contact), (const char *[]){"name", "Theirs", NULL});
	uint64_t alone = add(f->fx.st, ENTITY(account), (const char *[]){"name", "AloneCo", NULL});
	add(f->fx.st, ENTITY(account_contact), (const char *[]){"account", num(alone), "contact", num(theirs), NULL});
	c = get(f, ENTITY(contact), theirs);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, c, "not on the team"), KAM_EINVAL);
	record_free(c);
	/* not linked to any account yet: editors may keep it up */
	c = get(f, ENTITY(contact), lonely);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, c, NULL), 0);
	record_free(c);
	/* a new contact */
	c = record_new(ENTITY(contact));
	record_set_text(c, CONTACT_NAME, "New");
	assert_int_equal(check(f, "ed", ACCESS_WRITE, c, NULL), 0);
	record_free(c);
	/* influence between a contact on the team and one that is not */
	struct record *inf = record_new(ENTITY(influence));
	record_set_int(inf, INF_FROM, (int64_t)f->c_mine);
	record_set_int(inf, INF_TO, (int64_t)theirs);
	record_set_text(inf, INF_KIND, "influences");
	assert_int_equal(check(f, "ed", ACCESS_WRITE, inf, NULL), 0);
	record_set_int(inf, INF_FROM, (int64_t)theirs);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, inf, NULL), KAM_EINVAL);
	record_free(inf);
	/* staff records (roles!) are admin work, even one's own */
	struct record *s = get(f, ENTITY(staff), f->editor);
	record_set_text(s, STAFF_ROLE, "admin");
	assert_int_equal(check(f, "ed", ACCESS_WRITE, s, "admin"), KAM_EINVAL);
	assert_int_equal(check(f, "ada", ACCESS_WRITE, s, NULL), 0);
	record_free(s);
	/* new accounts: with the editor as kam only */
	struct record *a = record_new(ENTITY(account));
	record_set_text(a, ACCOUNT_NAME, "NewCo");
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, "kam"), KAM_EINVAL);
	record_set_int(a, ACCOUNT_KAM, (int64_t)f->editor);
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, NULL), 0);
	record_clear(a, ACCOUNT_KAM);
	record_set_int(a, ACCOUNT_PARENT, (int64_t)f->a_kam); /* a branch of a team account */
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, NULL), 0);
	record_free(a);
}

static void test_sensitive(void **state)
{
	struct fx *f = *state;
	assert_int_equal(access_sees_sensitive(f->fx.st, "vi"), 0);
	assert_int_equal(access_sees_sensitive(f->fx.st, "ed"), 1);
	assert_int_equal(access_sees_sensitive(f->fx.st, "ada"), 1);
	assert_int_equal(access_sees_sensitive(f->fx.st, "nobody"), 0);
	struct record *c = record_new(ENTITY(contact));
	record_set_text(c, CONTACT_NAME, "Mia");
	record_set_text(c, CONTACT_PRIVATE_NOTES, "divorce");
	record_set_text(c, CONTACT_DATES, "birthday:03-14");
	record_set_text(c, CONTACT_NOTES, "likes tea");
	access_redact(c);
	assert_false(record_has(c, CONTACT_PRIVATE_NOTES));
	assert_false(record_has(c, CONTACT_DATES));
	assert_true(record_has(c, CONTACT_NOTES));
	assert_string_equal(c->v[CONTACT_NAME].s, "Mia");
	record_free(c);
}

/* The CLI checks between reading the record and writing it: inside its
 * write txn (the check's own read txn sees the committed state). */
static void test_inside_write_txn(void **state)
{
	struct fx *f = *state;
	struct txn *t;
	struct record *a;
	assert_int_equal(store_begin(f->fx.st, 1, &t), 0);
	assert_int_equal(store_get(t, ENTITY(account), f->a_kam, &a), 0);
	record_set_text(a, ACCOUNT_CITY, "Lhasa");
	assert_int_equal(check(f, "ed", ACCESS_WRITE, a, NULL), 0);
	assert_int_equal(check(f, "vi", ACCESS_WRITE, a, NULL), KAM_EINVAL);
	assert_int_equal(store_update(t, a, NULL), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	record_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_bootstrap, setup_empty, teardown),
	    cmocka_unit_test_setup_teardown(test_make_admin, setup_empty, teardown),
	    cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
	    cmocka_unit_test(test_redact_audit),
	    cmocka_unit_test_setup_teardown(test_editor_team, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_editor_children, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_editor_contacts_staff, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sensitive, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_inside_write_txn, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
