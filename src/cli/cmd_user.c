/* kam user add|set|ls: Unix logins mapped to staff records and roles. */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/access.h"
#include "kam/err.h"

struct login_find {
	const char *login;
	struct record *found;
	int admins; /* active staff with a login and role admin */
	int logins; /* staff with a login */
};

static int is_left(const struct record *r)
{
	return r->v[STAFF_STATUS].set && !strcmp(r->v[STAFF_STATUS].s, "left");
}

static int login_visit(const struct record *r, void *arg)
{
	struct login_find *f = arg;
	const char *login = r->v[STAFF_LOGIN].set ? r->v[STAFF_LOGIN].s : NULL;
	if (!login || !*login)
		return 0;
	f->logins++;
	f->admins += !is_left(r) && r->v[STAFF_ROLE].set && !strcmp(r->v[STAFF_ROLE].s, "admin");
	if (f->login && !strcmp(login, f->login) && !f->found)
		f->found = record_dup(r);
	return 0;
}

/* field=value arguments: only name and role here (the rest via kam set staff). */
static int user_apply(struct record *r, int argc, char **argv, int from, char **cause)
{
	for (int i = from; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		if (!eq)
			return set_cause(cause, KAM_EUSAGE, "expected name=.. or role=.., got '%s'", argv[i]);
		size_t n = (size_t)(eq - argv[i]);
		int f = n == 4 && !strncmp(argv[i], "name", 4)   ? STAFF_NAME
			: n == 4 && !strncmp(argv[i], "role", 4) ? STAFF_ROLE
								 : -1;
		if (f < 0)
			return set_cause(cause, KAM_EUSAGE, "kam user takes name= and role=, not '%.*s'", (int)n,
					 argv[i]);
		int rc = record_parse_field(r, f, eq + 1, cause);
		if (rc)
			return rc;
	}
	return 0;
}

/* Refuse a change that leaves a mapped database without an active admin:
 * nobody could change roles any more. */
static int user_keeps_admin(struct txn *t, char **cause)
{
	struct login_find f = {0};
	int rc = store_scan(t, ENTITY(staff), login_visit, &f);
	if (!rc && f.logins && !f.admins)
		rc = set_cause(cause, KAM_EINVAL,
			       "this would leave no admin: make somebody admin first "
			       "(the first user must be an admin)");
	return rc;
}

static int user_write(struct cli *c, struct store *st, int argc, char **argv, int add)
{
	const char *login = argv[2];
	struct login_find f = {login, NULL, 0, 0};
	struct txn *t = NULL;
	char *cause = NULL, *cmd = xasprintf("user %s %s", argv[1], login);
	int rc = access_check(st, store_user(st), ACCESS_ADMIN, NULL, &cause);
	if (!rc && !(rc = store_begin(st, 1, &t))) {
		store_txn_set_command(t, cmd);
		rc = store_scan(t, ENTITY(staff), login_visit, &f);
	}
	struct record *r = f.found;
	if (!rc && add && r)
		rc = set_cause(&cause, KAM_EEXIST, "login '%s' is already staff %llu (%s)", login,
			       (unsigned long long)r->id, record_name(r));
	if (!rc && !add && !r)
		rc = set_cause(&cause, KAM_ENOTFOUND, "no staff has the login '%s' (kam user add %s)", login, login);
	if (!rc && add) {
		r = record_new(ENTITY(staff));
		record_set_text(r, STAFF_NAME, login);
		record_set_text(r, STAFF_LOGIN, login);
		record_set_text(r, STAFF_ROLE, "viewer");
	}
	if (!rc)
		rc = user_apply(r, argc, argv, 3, &cause);
	if (!rc)
		rc = add ? store_insert(t, r, &cause) : store_update(t, r, &cause);
	if (!rc)
		rc = user_keeps_admin(t, &cause);
	if (!rc) {
		rc = store_commit(t, &cause);
		t = NULL;
	}
	store_abort(t);
	if (!rc)
		fprintf(c->out, "%s: staff %llu, %s, role %s\n", login, (unsigned long long)r->id, record_name(r),
			r->v[STAFF_ROLE].set ? r->v[STAFF_ROLE].s : "viewer");
	else
		rc = cli_fail(c, rc, "user %s %s: %s", argv[1], login, cause ? cause : kam_strerror(rc));
	record_free(r);
	free(cause);
	free(cmd);
	return rc;
}

struct user_rows {
	struct record **r;
	size_t n, cap;
};

static int user_collect(const struct record *r, void *arg)
{
	struct user_rows *u = arg;
	if (!r->v[STAFF_LOGIN].set || !*r->v[STAFF_LOGIN].s)
		return 0;
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 16;
		u->r = xrealloc(u->r, u->cap * sizeof *u->r);
	}
	u->r[u->n++] = record_dup(r);
	return 0;
}

static int by_login(const void *a, const void *b)
{
	const struct record *x = *(const struct record *const *)a, *y = *(const struct record *const *)b;
	int c = strcmp(x->v[STAFF_LOGIN].s, y->v[STAFF_LOGIN].s);
	return c ? c : (x->id > y->id) - (x->id < y->id);
}

static void user_print(struct cli *c, struct user_rows *u)
{
	static const char *const headers[] = {"login", "name", "role", "status", "staff"};
	static const unsigned char right[] = {0, 0, 0, 0, 1};
	struct table *tab = table_new(5, headers, right);
	if (u->n) /* qsort(NULL, 0) is undefined */
		qsort(u->r, u->n, sizeof *u->r, by_login);
	for (size_t i = 0; i < u->n; i++) {
		const struct record *r = u->r[i];
		char id[24];
		snprintf(id, sizeof id, "%llu", (unsigned long long)r->id);
		const char *row[] = {r->v[STAFF_LOGIN].s, record_name(r),
				     r->v[STAFF_ROLE].set ? r->v[STAFF_ROLE].s : "viewer",
				     is_left(r) ? "left" : "active", id};
		table_add_row(tab, row);
	}
	table_print(tab, c);
	table_free(tab);
}

/* Staff with a login, by login. */
static int user_ls(struct cli *c, struct store *st)
{
	struct txn *t;
	if (store_begin(st, 0, &t))
		return cli_fail(c, KAM_ESTORE, "cannot read the database");
	struct user_rows u = {0};
	int rc = store_scan(t, ENTITY(staff), user_collect, &u);
	store_abort(t);
	if (!rc)
		user_print(c, &u);
	for (size_t i = 0; i < u.n; i++)
		record_free(u.r[i]);
	free(u.r);
	return rc ? cli_fail(c, rc, "cannot list users: %s", kam_strerror(rc)) : 0;
}

int cmd_user(struct cli *c, int argc, char **argv)
{
	int add = argc >= 3 && !strcmp(argv[1], "add");
	int set = argc >= 4 && !strcmp(argv[1], "set");
	int ls = argc == 2 && !strcmp(argv[1], "ls");
	if (!add && !set && !ls)
		return cli_usage("user");
	struct store *st;
	int rc = cli_store(c, !ls, &st);
	if (rc)
		return rc;
	return ls ? user_ls(c, st) : user_write(c, st, argc, argv, add);
}
