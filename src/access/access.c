/* Roles: login -> staff record -> viewer/editor/admin, and who may change
 * which account's records. */
#include "kam/access.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/json.h"

static enum access_scope editor_scope = ACCESS_SCOPE_TEAM;

void access_set_editor_scope(enum access_scope scope)
{
	editor_scope = scope;
}

enum access_scope access_editor_scope(void)
{
	return editor_scope;
}

struct staff_find {
	const char *login;
	struct record *found; /* the active staff with that login, else any */
	int admin;            /* an active admin with a login exists */
};

static int is_left(const struct record *r)
{
	return r->v[STAFF_STATUS].set && !strcmp(r->v[STAFF_STATUS].s, "left");
}

static int is_active_admin(const struct record *r)
{
	return r->v[STAFF_LOGIN].set && *r->v[STAFF_LOGIN].s && !is_left(r) && r->v[STAFF_ROLE].set &&
	       !strcmp(r->v[STAFF_ROLE].s, "admin");
}

static int staff_visit(const struct record *r, void *arg)
{
	struct staff_find *f = arg;
	const char *login = r->v[STAFF_LOGIN].set ? r->v[STAFF_LOGIN].s : NULL;
	if (!login || !*login)
		return 0;
	f->admin |= is_active_admin(r);
	if (!f->login || strcmp(login, f->login))
		return 0;
	if (!f->found || (!is_left(r) && is_left(f->found))) {
		record_free(f->found);
		f->found = record_dup(r);
	}
	return 0;
}

/* What the full scans decode (many staff on dataset L). */
#define STAFF_MASK (1ull << STAFF_LOGIN | 1ull << STAFF_STATUS | 1ull << STAFF_ROLE)

static int admin_visit(const struct record *r, void *arg)
{
	staff_visit(r, arg);
	return ((struct staff_find *)arg)->admin; /* one is enough */
}

int access_has_admin(struct txn *t, int *yes)
{
	struct staff_find f = {NULL, NULL, 0};
	int rc = store_scan_fields(t, ENTITY(staff), STAFF_MASK, admin_visit, &f);
	*yes = f.admin;
	return rc < 0 ? rc : 0;
}

/* Roles hold once an active admin is mapped; until then (bootstrapping)
 * everybody is admin and *staff is NULL. */
static int role_in(struct txn *t, const char *login, enum access_role *role, struct record **staff)
{
	struct staff_find f = {login, NULL, 0};
	struct value v = {0, (char *)login, 1};
	int rc = login ? store_index_scan(t, ENTITY(staff), "login", &v, 1, staff_visit, &f) : 0;
	if (rc >= 0 && !f.admin) /* is any admin mapped at all? */
		rc = store_scan_fields(t, ENTITY(staff), STAFF_MASK, admin_visit, &f);
	*staff = NULL;
	if (rc < 0) {
		record_free(f.found);
		return rc;
	}
	if (!f.admin) {
		*role = ROLE_ADMIN; /* bootstrapping: no admin is mapped yet */
		record_free(f.found);
		return 0;
	} else if (!f.found || is_left(f.found)) {
		*role = ROLE_NONE;
	} else {
		int i = f.found->v[STAFF_ROLE].set ? enum_index(kam_enum_user_role, f.found->v[STAFF_ROLE].s) : 0;
		*role = i == 2 ? ROLE_ADMIN : i == 1 ? ROLE_EDITOR : ROLE_VIEWER;
	}
	*staff = f.found;
	return 0;
}

int access_role(struct store *st, const char *login, enum access_role *role, uint64_t *staff_id, char **cause)
{
	struct txn *t;
	struct record *s;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot read the database");
	rc = role_in(t, login, role, &s);
	store_abort(t);
	if (rc)
		return set_cause(cause, rc, "cannot read the staff list");
	if (staff_id)
		*staff_id = s ? s->id : 0;
	record_free(s);
	return 0;
}

/* The accounts a record belongs to, collected into a small set. */
#define MAX_ACCOUNTS 64
struct accounts {
	uint64_t id[MAX_ACCOUNTS];
	int n;
	int overflow;
};

static void accounts_add(struct accounts *a, int64_t id)
{
	if (id <= 0)
		return;
	for (int i = 0; i < a->n; i++)
		if (a->id[i] == (uint64_t)id)
			return;
	if (a->n < MAX_ACCOUNTS)
		a->id[a->n++] = (uint64_t)id;
	else
		a->overflow = 1;
}

static int ref_field(const struct entity *e, const char *target)
{
	for (int f = 0; f < e->nfields; f++)
		if (e->fields[f].type == FT_REF && !strcmp(e->fields[f].ref, target))
			return f;
	return -1;
}

static int link_visit(const struct record *r, void *arg)
{
	accounts_add(arg, r->v[AC_ACCOUNT].i);
	return 0;
}

static int contact_accounts(struct txn *t, uint64_t contact, struct accounts *a)
{
	struct value v = {(int64_t)contact, NULL, 1};
	return store_index_scan(t, ENTITY(account_contact), "contact", &v, 1, link_visit, a);
}

static int opportunity_account(struct txn *t, uint64_t opp, struct accounts *a)
{
	struct record *o;
	int rc = store_get(t, ENTITY(opportunity), opp, &o);
	if (rc == KAM_ENOTFOUND)
		return 0; /* the store refuses the dangling reference itself */
	if (!rc)
		accounts_add(a, o->v[OPP_ACCOUNT].i);
	record_free(o);
	return rc;
}

/* Account first; then an opportunity's account; then contacts' accounts
 * (contact, influence). Records with none of these are not account-bound. */
static int accounts_of(struct txn *t, const struct record *r, struct accounts *a, int *contact_bound)
{
	const struct entity *e = r->ent;
	int f;
	*contact_bound = 0;
	if (e == ENTITY(account)) {
		accounts_add(a, (int64_t)r->id);
		return 0;
	}
	if ((f = ref_field(e, "account")) >= 0 && r->v[f].set && r->v[f].i > 0) {
		accounts_add(a, r->v[f].i);
		return 0;
	}
	if ((f = ref_field(e, "opportunity")) >= 0 && r->v[f].set && r->v[f].i > 0)
		return opportunity_account(t, (uint64_t)r->v[f].i, a);
	if (e == ENTITY(contact)) {
		*contact_bound = 1;
		return r->id ? contact_accounts(t, r->id, a) : 0;
	}
	int rc = 0;
	for (f = 0; f < e->nfields && !rc; f++)
		if (e->fields[f].type == FT_REF && !strcmp(e->fields[f].ref, "contact") && r->v[f].set &&
		    r->v[f].i > 0) {
			*contact_bound = 1;
			rc = contact_accounts(t, (uint64_t)r->v[f].i, a);
		}
	return rc;
}

struct team_find {
	uint64_t staff, account;
	int on;
};

static int team_visit(const struct record *r, void *arg)
{
	struct team_find *f = arg;
	if (r->ent == ENTITY(team))
		f->on = r->v[TEAM_STAFF].set && (uint64_t)r->v[TEAM_STAFF].i == f->staff;
	else /* account_contact */
		f->on = (r->v[AC_OWNER_A].set && (uint64_t)r->v[AC_OWNER_A].i == f->staff) ||
			(r->v[AC_OWNER_B].set && (uint64_t)r->v[AC_OWNER_B].i == f->staff);
	return f->on;
}

/* Is staff on the team of account: account.kam, a team record, or an
 * owner of one of the account's contact links? */
static int on_team(struct txn *t, uint64_t staff, uint64_t account, int *on)
{
	struct record *acc;
	struct team_find f = {staff, account, 0};
	struct value v = {(int64_t)account, NULL, 1};
	int rc = store_get(t, ENTITY(account), account, &acc);
	*on = 0;
	if (rc == KAM_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	*on = acc->v[ACCOUNT_KAM].set && (uint64_t)acc->v[ACCOUNT_KAM].i == staff;
	record_free(acc);
	if (!*on && (rc = store_index_scan(t, ENTITY(team), "account", &v, 1, team_visit, &f)) < 0)
		return rc;
	if (!*on && !f.on && (rc = store_index_scan(t, ENTITY(account_contact), "account", &v, 1, team_visit, &f)) < 0)
		return rc;
	*on = *on || f.on;
	return 0;
}

/* Editor write on one version of a record: every account it belongs to must
 * be on the team (a contact: one of its accounts). Sets *why when refused. */
static int editor_may(struct txn *t, uint64_t staff, const struct record *r, const char **why)
{
	struct accounts a = {{0}, 0, 0};
	int contact_bound, rc = accounts_of(t, r, &a, &contact_bound);
	if (rc)
		return rc;
	if (r->ent == ENTITY(account) && !r->id) {
		/* a new account: allowed when the editor is its kam or is on the
		 * team of its parent */
		a.n = 0;
		if (r->v[ACCOUNT_KAM].set && (uint64_t)r->v[ACCOUNT_KAM].i == staff)
			return 0;
		accounts_add(&a, r->v[ACCOUNT_PARENT].set ? r->v[ACCOUNT_PARENT].i : 0);
		if (!a.n) {
			*why = "a new account needs you as its kam";
			return 0;
		}
	}
	int any = 0, all = 1;
	for (int i = 0; i < a.n && !rc; i++) {
		int on;
		if (!(rc = on_team(t, staff, a.id[i], &on))) {
			any |= on;
			all &= on;
		}
	}
	if (!rc && a.n && !(contact_bound ? any : all))
		*why = "you are not on the team of its account";
	return rc;
}

static const char *op_name(enum access_op op)
{
	return op == ACCESS_READ     ? "read"
	       : op == ACCESS_WRITE  ? "change"
	       : op == ACCESS_DELETE ? "delete"
				     : "administer";
}

static int write_check(struct txn *t, uint64_t staff, const struct record *r, const char **why)
{
	if (!r)
		return 0;
	if (r->ent == ENTITY(staff)) {
		*why = "staff and roles are changed by an admin";
		return 0;
	}
	if (editor_scope == ACCESS_SCOPE_ALL)
		return 0;
	int rc = editor_may(t, staff, r, why);
	if (rc || *why || !r->id)
		return rc;
	struct record *old;
	rc = store_get(t, r->ent, r->id, &old);
	if (rc == KAM_ENOTFOUND)
		return 0;
	if (!rc)
		rc = editor_may(t, staff, old, why);
	record_free(old);
	return rc;
}

int access_check(struct store *st, const char *login, enum access_op op, const struct record *r, char **cause)
{
	struct txn *t;
	struct record *s;
	enum access_role role;
	const char *why = NULL;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot read the database");
	if ((rc = role_in(t, login, &role, &s))) {
		store_abort(t);
		return set_cause(cause, rc, "cannot read the staff list");
	}
	if (role == ROLE_NONE)
		why = s ? "the staff record has left"
			: "no staff record has this login (an admin maps it: kam user add LOGIN)";
	else if (op == ACCESS_DELETE && role != ROLE_ADMIN)
		why = "deleting needs the admin role";
	else if (op == ACCESS_ADMIN && role != ROLE_ADMIN)
		why = "this needs the admin role";
	else if (op == ACCESS_WRITE && role == ROLE_VIEWER)
		why = "viewers may only read";
	else if (op == ACCESS_WRITE && role == ROLE_EDITOR)
		rc = write_check(t, s->id, r, &why);
	store_abort(t);
	record_free(s);
	if (rc)
		return set_cause(cause, rc, "cannot check access: %s", kam_strerror(rc));
	if (!why)
		return 0;
	if (r && r->id)
		return set_cause(cause, KAM_EINVAL, "%s may not %s %s %llu: %s", login ? login : "?", op_name(op),
				 r->ent->name, (unsigned long long)r->id, why);
	if (r)
		return set_cause(cause, KAM_EINVAL, "%s may not %s this %s: %s", login ? login : "?", op_name(op),
				 r->ent->name, why);
	return set_cause(cause, KAM_EINVAL, "%s may not %s: %s", login ? login : "?", op_name(op), why);
}

int access_sees_sensitive(struct store *st, const char *login)
{
	enum access_role role;
	return !access_role(st, login, &role, NULL, NULL) && role >= ROLE_EDITOR;
}

void access_redact(struct record *r)
{
	for (int f = 0; f < r->ent->nfields; f++)
		if (r->ent->fields[f].flags & FF_SENS)
			record_clear(r, f);
}

/* --- the audit log for viewers ------------------------------------------------ */

static int is_sensitive(const struct entity *e, const char *field)
{
	int f = e ? entity_field(e, field) : -1;
	return f >= 0 && e->fields[f].flags & FF_SENS;
}

static void add_member(struct buf *b, int first, const char *key, const struct json_member *m, const char *text)
{
	if (!first)
		buf_addc(b, ',');
	json_add_string(b, key);
	buf_addc(b, ':');
	if (text)
		json_add_string(b, text);
	else if (m->type == JSON_STRING)
		json_add_string(b, m->text);
	else
		buf_adds(b, m->type == JSON_NULL || !m->text ? "null" : m->text);
}

/* "before"/"after": a flat object of field values. */
static int redact_values(const struct entity *e, const char *raw, struct buf *out, int *changed)
{
	struct json_object o = {0};
	int col;
	if (json_parse_object(raw, strlen(raw), &o, &col, NULL))
		return -1;
	buf_addc(out, '{');
	for (int i = 0; i < o.n; i++) {
		int sens = is_sensitive(e, o.m[i].key);
		*changed |= sens;
		add_member(out, !i, o.m[i].key, &o.m[i], sens ? "(redacted)" : NULL);
	}
	buf_addc(out, '}');
	json_object_free(&o);
	return 0;
}

/* The command up to the first assignment to a sensitive field of any type
 * (a cascade or an import touches several types in one command). */
static char *redact_command(const char *cmd)
{
	const char *cut = NULL;
	for (int i = 0; i < ENT__COUNT; i++) {
		const struct entity *e = kam_entities[i];
		for (int f = 0; f < e->nfields; f++) {
			if (!(e->fields[f].flags & FF_SENS))
				continue;
			size_t n = strlen(e->fields[f].name);
			for (const char *p = strstr(cmd, e->fields[f].name); p; p = strstr(p + 1, e->fields[f].name))
				if ((p == cmd || p[-1] == ' ') && p[n] == '=' && (!cut || p < cut))
					cut = p;
		}
	}
	return cut ? xasprintf("%.*s(redacted)", (int)(cut - cmd), cmd) : NULL;
}

char *access_redact_audit(const char *json)
{
	struct json_object o = {0};
	int col, changed = 0;
	if (json_parse_object(json, strlen(json), &o, &col, NULL))
		return NULL;
	const struct json_member *ent = json_get(&o, "entity");
	const struct entity *e = ent && ent->type == JSON_STRING ? entity_by_name(ent->text) : NULL;
	struct buf b = {0};
	buf_addc(&b, '{');
	for (int i = 0; i < o.n && b.p; i++) {
		const struct json_member *m = &o.m[i];
		char *cmd = NULL;
		if ((!strcmp(m->key, "before") || !strcmp(m->key, "after")) && m->type == JSON_RAW) {
			if (i)
				buf_addc(&b, ',');
			json_add_string(&b, m->key);
			buf_addc(&b, ':');
			if (redact_values(e, m->text, &b, &changed))
				buf_free(&b); /* b.p NULL: not shown */
			continue;
		}
		if (!strcmp(m->key, "cmd") && m->type == JSON_STRING && (cmd = redact_command(m->text)))
			changed = 1;
		add_member(&b, !i, m->key, m, cmd);
		free(cmd);
	}
	json_object_free(&o);
	if (!b.p)
		return NULL;
	buf_addc(&b, '}');
	if (changed)
		return buf_steal(&b);
	buf_free(&b);
	return xstrdup(json);
}

int access_make_admin(struct txn *t, const char *login, uint64_t *staff_id, char **cause)
{
	struct staff_find f = {login, NULL, 0};
	struct value v = {0, (char *)login, 1};
	int rc = store_index_scan(t, ENTITY(staff), "login", &v, 1, staff_visit, &f);
	struct record *r = f.found;
	if (rc < 0) {
		record_free(r);
		return set_cause(cause, rc, "cannot read the staff list");
	}
	if (!r) {
		r = record_new(ENTITY(staff));
		record_set_text(r, STAFF_NAME, login);
		record_set_text(r, STAFF_LOGIN, login);
	}
	record_set_text(r, STAFF_ROLE, "admin");
	if (is_left(r))
		record_set_text(r, STAFF_STATUS, "active");
	rc = r->id ? store_update(t, r, cause) : store_insert(t, r, cause);
	if (staff_id)
		*staff_id = r->id;
	record_free(r);
	return rc;
}
