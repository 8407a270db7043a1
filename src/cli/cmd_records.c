/* ls, show, add, set, rm: generic over every entity of the model. */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/json.h"
#include "kam/text.h"

/* Columns of `ls` in table form; json/csv/tsv list every field. */
static const char *const default_columns[ENT__COUNT][10] = {
    [ENT_account] = {"name", "parent", "industry", "province", "city", "kam", "key", "strategic"},
    [ENT_account_year] = {"account", "year", "budget", "revenue", "margin"},
    [ENT_contact] = {"name", "title", "department", "phone", "email", "reports_to"},
    [ENT_account_contact] = {"account", "contact", "role", "influence", "attitude", "owner_a", "owner_b", "key"},
    [ENT_influence] = {"from", "to", "kind", "strength"},
    [ENT_staff] = {"name", "login", "function", "region", "role"},
    [ENT_team] = {"staff", "account", "opportunity", "team_role", "phase"},
    [ENT_opportunity] = {"account", "year", "title", "stage", "amount", "probability", "decision_date", "status"},
    [ENT_opp_contact] = {"opportunity", "contact", "buying_role", "primary"},
    [ENT_activity] = {"account", "date", "type", "title", "opportunity", "budget", "status"},
    [ENT_complaint] = {"account", "opened", "severity", "status", "resolved"},
    [ENT_plan] = {"account", "year"},
    [ENT_plan_action] = {"account", "year", "goal", "action", "owner", "due", "status"},
};

static int entity_index(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return 0;
}

static int is_right_aligned(enum ftype t)
{
	return t == FT_INT || t == FT_MONEY || t == FT_PCT || t == FT_REF;
}

static const struct entity *need_entity(struct cli *c, const char *name, const char *cmd)
{
	const struct entity *e = entity_by_name(name);
	if (!e) {
		const char *names[2 * ENT__COUNT + 1];
		for (int i = 0; i < ENT__COUNT; i++)
			names[i] = kam_entities[i]->name;
		names[ENT__COUNT] = NULL;
		const char *near = nearest_word(name, names);
		fprintf(stderr, "kam: unknown record type '%s'%s%s%s\n", name, near ? " (did you mean '" : "",
			near ? near : "", near ? "'?)" : "");
		cli_usage(cmd);
	}
	return e;
}

/* A REF cell shows the target's name in tables; ids elsewhere. */
static void format_cell(struct cli *c, struct txn *t, const struct record *r, int f, struct buf *out)
{
	const struct field *fd = &r->ent->fields[f];
	if (c->format == FMT_TABLE && fd->type == FT_REF && r->v[f].set) {
		struct record *target;
		if (store_get(t, field_ref_entity(fd), (uint64_t)r->v[f].i, &target) == 0) {
			buf_adds(out, record_name(target));
			record_free(target);
			return;
		}
	}
	if (c->format == FMT_TABLE && fd->type == FT_MONEY && r->v[f].set) {
		format_money(r->v[f].i, out);
		return;
	}
	record_format_field(r, f, out);
}

/* --- ls -------------------------------------------------------------------- */

enum where_op { W_EQ, W_NE, W_LT, W_LE, W_GT, W_GE, W_CONTAINS };

struct where {
	int field;
	enum where_op op;
	struct record *value; /* parsed into the same field of a scratch record */
	char *folded;         /* for ~ */
};

struct ls_query {
	struct cli *c;
	const struct entity *e;
	struct where *where;
	int nwhere;
	int year_field;
	int64_t year;
	int sort_field, sort_desc;
	long limit;
	struct record **rows;
	size_t nrows, cap;
	uint64_t *id_set; /* contacts of an account, sorted */
	size_t nid_set;
	int redact; /* a viewer: sensitive fields cleared before filtering */
};

static int parse_where(const struct entity *e, const char *expr, struct where *w, char **cause)
{
	static const struct {
		const char *s;
		enum where_op op;
	} ops[] = {{"!=", W_NE}, {"<=", W_LE}, {">=", W_GE}, {"=", W_EQ}, {"<", W_LT}, {">", W_GT}, {"~", W_CONTAINS}};
	size_t n = strspn(expr, "abcdefghijklmnopqrstuvwxyz_0123456789");
	char *name = xstrndup(expr, n);
	w->field = entity_field(e, name);
	if (w->field < 0) {
		char *msg = entity_unknown_field_msg(e, name);
		free(name);
		set_cause(cause, KAM_EUSAGE, "--where '%s': %s", expr, msg);
		free(msg);
		return KAM_EUSAGE;
	}
	free(name);
	for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
		size_t l = strlen(ops[i].s);
		if (strncmp(expr + n, ops[i].s, l))
			continue;
		w->op = ops[i].op;
		w->value = record_new(e);
		if (w->op == W_CONTAINS) {
			w->folded = text_fold(expr + n + l);
			return 0;
		}
		int rc = record_parse_field(w->value, w->field, expr + n + l, cause);
		return rc ? KAM_EUSAGE : 0;
	}
	return set_cause(cause, KAM_EUSAGE, "--where '%s': expected FIELD OP VALUE with OP one of = != < <= > >= ~",
			 expr);
}

static int compare_values(const struct record *a, const struct record *b, int f)
{
	const struct value *x = &a->v[f], *y = &b->v[f];
	if (!x->set || !y->set)
		return (int)x->set - (int)y->set;
	if (x->s || y->s)
		return strcmp(x->s ? x->s : "", y->s ? y->s : "");
	return (x->i > y->i) - (x->i < y->i);
}

static int where_match(const struct record *r, const struct where *w)
{
	if (w->op == W_CONTAINS) {
		struct buf b = {0};
		record_format_field(r, w->field, &b);
		char *f = text_fold(b.p ? b.p : "");
		int hit = strstr(f, w->folded) != NULL;
		free(f);
		buf_free(&b);
		return hit;
	}
	int cmp = compare_values(r, w->value, w->field);
	switch (w->op) {
	case W_EQ:
		return cmp == 0;
	case W_NE:
		return cmp != 0;
	case W_LT:
		return r->v[w->field].set && cmp < 0;
	case W_LE:
		return r->v[w->field].set && cmp <= 0;
	case W_GT:
		return cmp > 0;
	default:
		return cmp >= 0;
	}
}

static int id_in_set(const struct ls_query *q, uint64_t id)
{
	size_t lo = 0, hi = q->nid_set;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (q->id_set[mid] == id)
			return 1;
		if (q->id_set[mid] < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

static int ls_keep(const struct ls_query *q, const struct record *r)
{
	if (q->id_set && !id_in_set(q, r->id))
		return 0;
	if (q->year_field >= 0) {
		int64_t y = r->v[q->year_field].i;
		if (r->ent->fields[q->year_field].type == FT_DATE)
			y /= 10000;
		if (!r->v[q->year_field].set || y != q->year)
			return 0;
	}
	for (int i = 0; i < q->nwhere; i++)
		if (!where_match(r, &q->where[i]))
			return 0;
	return 1;
}

static int ls_visit(const struct record *r, void *arg)
{
	struct ls_query *q = arg;
	struct record *row = NULL;
	if (q->redact) { /* --where/--sort on a sensitive field see nothing either */
		row = record_dup(r);
		access_redact(row);
		r = row;
	}
	if (!ls_keep(q, r)) {
		record_free(row);
		return 0;
	}
	if (q->nrows == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 256;
		q->rows = xrealloc(q->rows, q->cap * sizeof *q->rows);
	}
	q->rows[q->nrows++] = row ? row : record_dup(r);
	/* Without a sort order, the scan order (id) is final: stop early. */
	return q->sort_field < 0 && q->limit > 0 && (long)q->nrows >= q->limit;
}

static const struct ls_query *sort_query;
static int sort_rows(const void *a, const void *b)
{
	const struct record *x = *(struct record *const *)a, *y = *(struct record *const *)b;
	int cmp = compare_values(x, y, sort_query->sort_field);
	if (!cmp)
		cmp = (x->id > y->id) - (x->id < y->id);
	return sort_query->sort_desc ? -cmp : cmp;
}

static int collect_id(uint64_t id, void *arg)
{
	struct ls_query *q = arg;
	q->id_set = xrealloc(q->id_set, (q->nid_set + 1) * sizeof *q->id_set);
	q->id_set[q->nid_set++] = id;
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

static int collect_link_contact(const struct record *r, void *arg)
{
	return collect_id((uint64_t)r->v[AC_CONTACT].i, arg);
}

/* Choose the narrowest way to the rows: an account index, else a full scan. */
static int ls_fetch(struct ls_query *q, struct txn *t, uint64_t account)
{
	const struct entity *e = q->e;
	if (!account)
		return store_scan(t, e, ls_visit, q);
	if (e == ENTITY(account)) {
		struct value v = {.i = (int64_t)account, .set = 1};
		return store_index_scan(t, e, "parent", &v, 1, ls_visit, q);
	}
	if (e == ENTITY(contact)) {
		struct value v = {.i = (int64_t)account, .set = 1};
		store_index_scan(t, ENTITY(account_contact), "account", &v, 1, collect_link_contact, q);
		if (!q->id_set)
			return 0;
		qsort(q->id_set, q->nid_set, sizeof *q->id_set, cmp_u64);
		for (size_t i = 0; i < q->nid_set; i++) {
			struct record *r;
			if (i && q->id_set[i] == q->id_set[i - 1])
				continue;
			if (store_get(t, e, q->id_set[i], &r) == 0) {
				int stop = ls_visit(r, q);
				record_free(r);
				if (stop)
					break;
			}
		}
		return 0;
	}
	struct value v[2] = {{.i = (int64_t)account, .set = 1}, {.i = q->year, .set = 1}};
	if (q->year_field >= 0 && e->fields[q->year_field].type == FT_INT) {
		for (int i = 0; i < e->nindexes; i++)
			if (!strcmp(e->indexes[i].name, "account_year"))
				return store_index_scan(t, e, "account_year", v, 2, ls_visit, q);
	}
	return store_index_scan(t, e, "account", v, 1, ls_visit, q);
}

/* JSON lines keep types: numbers stay numbers, unset fields are left out. */
static void ls_print_json(struct ls_query *q)
{
	struct buf b = {0};
	for (size_t r = 0; r < q->nrows && (q->limit <= 0 || (long)r < q->limit); r++) {
		buf_reset(&b);
		record_to_json(q->rows[r], JSON_META, &b);
		buf_addc(&b, '\n');
		fwrite(b.p, 1, b.len, q->c->out);
	}
	buf_free(&b);
}

static void ls_print(struct ls_query *q, struct txn *t)
{
	const struct entity *e = q->e;
	int cols[64], ncols = 0;
	if (q->c->format == FMT_JSON) {
		ls_print_json(q);
		return;
	}
	if (q->c->format == FMT_TABLE) {
		for (int i = 0; default_columns[entity_index(e)][i]; i++)
			cols[ncols++] = entity_field(e, default_columns[entity_index(e)][i]);
	} else {
		for (int f = 0; f < e->nfields && ncols < 63; f++)
			if (!(e->fields[f].flags & FF_SENS))
				cols[ncols++] = f;
	}
	const char *headers[65];
	unsigned char right[65];
	headers[0] = "id", right[0] = 1;
	for (int i = 0; i < ncols; i++) {
		headers[i + 1] = e->fields[cols[i]].name;
		right[i + 1] = is_right_aligned(e->fields[cols[i]].type) && e->fields[cols[i]].type != FT_REF;
	}
	struct table *tab = table_new(ncols + 1, headers, right);
	struct buf cellbuf[65] = {{0}};
	const char *cells[65];
	for (size_t r = 0; r < q->nrows && (q->limit <= 0 || (long)r < q->limit); r++) {
		buf_reset(&cellbuf[0]);
		buf_addf(&cellbuf[0], "%llu", (unsigned long long)q->rows[r]->id);
		for (int i = 0; i < ncols; i++) {
			buf_reset(&cellbuf[i + 1]);
			buf_adds(&cellbuf[i + 1], "");
			format_cell(q->c, t, q->rows[r], cols[i], &cellbuf[i + 1]);
		}
		for (int i = 0; i <= ncols; i++)
			cells[i] = cellbuf[i].p;
		table_add_row(tab, cells);
	}
	table_print(tab, q->c);
	table_free(tab);
	for (int i = 0; i <= ncols; i++)
		buf_free(&cellbuf[i]);
}

static void ls_free(struct ls_query *q)
{
	for (size_t i = 0; i < q->nrows; i++)
		record_free(q->rows[i]);
	for (int i = 0; i < q->nwhere; i++) {
		record_free(q->where[i].value);
		free(q->where[i].folded);
	}
	free(q->where);
	free(q->rows);
	free(q->id_set);
}

static int ls_options(struct ls_query *q, int argc, char **argv, const char **account)
{
	for (int i = 2; i < argc; i++) {
		const char *v = NULL;
		int r;
		char *cause = NULL;
		if ((r = cli_opt(argc, argv, &i, "--account", account, "ls"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
		} else if ((r = cli_opt(argc, argv, &i, "--year", &v, "ls"))) {
			if (r < 0 || parse_int64(v, &q->year))
				return cli_usage("ls");
			q->year_field = entity_field(q->e, "year");
			if (q->year_field < 0)
				q->year_field = entity_field(q->e, "date");
			if (q->year_field < 0)
				return cli_fail(q->c, KAM_EUSAGE, "%s records have no year", q->e->name);
		} else if ((r = cli_opt(argc, argv, &i, "--where", &v, "ls"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
			q->where = xrealloc(q->where, (size_t)(q->nwhere + 1) * sizeof *q->where);
			memset(&q->where[q->nwhere], 0, sizeof *q->where);
			int rc = parse_where(q->e, v, &q->where[q->nwhere++], &cause);
			if (rc) {
				rc = cli_fail(q->c, rc, "%s", cause);
				free(cause);
				return rc;
			}
		} else if ((r = cli_opt(argc, argv, &i, "--sort", &v, "ls"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
			q->sort_desc = v[0] == '-';
			q->sort_field = entity_field(q->e, v + q->sort_desc);
			if (q->sort_field < 0) {
				char *msg = entity_unknown_field_msg(q->e, v + q->sort_desc);
				int rc = cli_fail(q->c, KAM_EUSAGE, "--sort: %s", msg);
				free(msg);
				return rc;
			}
		} else if ((r = cli_opt(argc, argv, &i, "--limit", &v, "ls"))) {
			int64_t n;
			if (r < 0 || parse_int64(v, &n) || n < 0)
				return cli_usage("ls");
			q->limit = (long)n;
		} else {
			fprintf(stderr, "kam: ls: unexpected argument '%s'\n", argv[i]);
			return cli_usage("ls");
		}
	}
	return 0;
}

int cmd_ls(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("ls");
	struct ls_query q = {.c = c, .year_field = -1, .sort_field = -1};
	if (!(q.e = need_entity(c, argv[1], "ls")))
		return KAM_EXIT_USAGE;
	const char *account = NULL;
	int rc = ls_options(&q, argc, argv, &account);
	struct store *st;
	struct txn *t = NULL;
	if (rc || (rc = cli_store(c, 0, &st)) ||
	    (rc = store_begin(st, 0, &t) ? cli_fail(c, KAM_ESTORE, "cannot read the database") : 0)) {
		ls_free(&q);
		return rc;
	}
	uint64_t acc = 0;
	char *cause = NULL;
	q.redact = !cli_sees_sensitive(c, st);
	if (account && cli_resolve(c, t, ENTITY(account), account, &acc, &cause)) {
		rc = cli_fail(c, KAM_EINVAL, "--account: %s", cause);
	} else if (account && entity_field(q.e, "account") < 0 && q.e != ENTITY(account) && q.e != ENTITY(contact)) {
		rc = cli_fail(c, KAM_EUSAGE, "%s records have no account", q.e->name);
	} else {
		ls_fetch(&q, t, acc);
		if (q.sort_field >= 0) {
			sort_query = &q;
			qsort(q.rows, q.nrows, sizeof *q.rows, sort_rows);
		}
		ls_print(&q, t);
	}
	free(cause);
	store_abort(t);
	ls_free(&q);
	return rc;
}

/* --- show ------------------------------------------------------------------ */

static int resolve_arg(struct cli *c, struct txn *t, const struct entity *e, const char *ref, struct record **r)
{
	uint64_t id;
	char *cause = NULL;
	int rc = cli_resolve(c, t, e, ref, &id, &cause);
	if (rc) {
		rc = cli_fail(c, rc, "%s", cause);
		free(cause);
		return rc;
	}
	if (store_get(t, e, id, r))
		return cli_fail(c, KAM_ENOTFOUND, "no %s with id %llu", e->name, (unsigned long long)id);
	return 0;
}

static void show_record(struct cli *c, struct txn *t, const struct record *r)
{
	const struct entity *e = r->ent;
	const char *headers[] = {"field", "value"};
	struct table *tab = table_new(2, headers, NULL);
	struct buf b = {0};
	buf_addf(&b, "%llu", (unsigned long long)r->id);
	const char *row[2] = {"id", b.p};
	table_add_row(tab, row);
	for (int f = 0; f < e->nfields; f++) {
		buf_reset(&b);
		buf_adds(&b, "");
		format_cell(c, t, r, f, &b);
		if (e->fields[f].type == FT_REF && r->v[f].set)
			buf_addf(&b, " #%lld", (long long)r->v[f].i);
		row[0] = e->fields[f].name, row[1] = b.p;
		table_add_row(tab, row);
	}
	buf_reset(&b);
	buf_addf(&b, "%u, by %s", r->version, r->updated_by ? r->updated_by : "?");
	row[0] = "version", row[1] = b.p;
	table_add_row(tab, row);
	if (r->ext_id) {
		row[0] = "ext_id", row[1] = r->ext_id;
		table_add_row(tab, row);
	}
	table_print(tab, c);
	table_free(tab);
	buf_free(&b);
}

int cmd_show(struct cli *c, int argc, char **argv)
{
	if (argc != 3)
		return cli_usage("show");
	const struct entity *e = need_entity(c, argv[1], "show");
	struct store *st;
	struct txn *t;
	struct record *r;
	int rc;
	if (!e)
		return KAM_EXIT_USAGE;
	if ((rc = cli_store(c, 0, &st)))
		return rc;
	if (store_begin(st, 0, &t))
		return cli_fail(c, KAM_ESTORE, "cannot read the database");
	if (!(rc = resolve_arg(c, t, e, argv[2], &r))) {
		if (!cli_sees_sensitive(c, st))
			access_redact(r);
		if (c->format == FMT_JSON) {
			struct buf b = {0};
			record_to_json(r, JSON_META, &b);
			fprintf(c->out, "%s\n", b.p);
			buf_free(&b);
		} else {
			show_record(c, t, r);
		}
		record_free(r);
	}
	store_abort(t);
	return rc;
}

/* --- add / set / rm ------------------------------------------------------------ */

/* field=value pairs; REF values may be names, resolved in the target entity. */
static int apply_assignments(struct cli *c, struct txn *t, struct record *r, int argc, char **argv, int first)
{
	for (int i = first; i < argc; i++) {
		char *eq = strchr(argv[i], '=');
		char *cause = NULL;
		if (!eq || eq == argv[i]) {
			fprintf(stderr, "kam: '%s' is not field=value\n", argv[i]);
			return KAM_EXIT_USAGE;
		}
		char *name = xstrndup(argv[i], (size_t)(eq - argv[i]));
		const char *val = eq + 1;
		int f = entity_field(r->ent, name);
		int rc = 0;
		if (f < 0) {
			char *msg = entity_unknown_field_msg(r->ent, name);
			rc = cli_fail(c, KAM_EINVAL, "%s", msg);
			free(msg);
		} else if (r->ent->fields[f].flags & FF_COMP) {
			rc = cli_fail(c, KAM_EINVAL, "%s is computed by kam and cannot be set", name);
		} else if (r->ent->fields[f].type == FT_REF && *val) {
			uint64_t id;
			if (cli_resolve(c, t, field_ref_entity(&r->ent->fields[f]), val, &id, &cause))
				rc = cli_fail(c, KAM_EINVAL, "%s: %s", name, cause);
			else
				record_set_int(r, f, (int64_t)id);
		} else if (record_parse_field(r, f, val, &cause)) {
			rc = cli_fail(c, KAM_EINVAL, "%s", cause);
		}
		free(cause);
		free(name);
		if (rc)
			return rc;
	}
	return 0;
}

/* Staff records carry the roles: once an admin is mapped, a change that
 * leaves none would hand every login admin rights (bootstrapping). */
static int write_record(struct cli *c, struct txn *t, struct record *r, int op, int cascade, char **cause)
{
	int before = 0, after = 0;
	int rc = r->ent == ENTITY(staff) ? access_has_admin(t, &before) : 0;
	if (!rc)
		rc = op == 'a'   ? store_insert(t, r, cause)
		     : op == 's' ? store_update(t, r, cause)
				 : store_delete(t, r->ent, r->id, cascade, cause);
	if (!rc && before && !(rc = access_has_admin(t, &after)) && !after)
		rc = set_cause(cause, KAM_EINVAL,
			       "this would leave no active admin: make somebody admin first (kam user set LOGIN "
			       "role=admin)");
	return rc;
}

static int finish_write(struct cli *c, struct txn *t, int rc, char *cause)
{
	if (!rc && (rc = store_commit(t, &cause)) != 0) {
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	if (rc) {
		store_abort(t);
		if (cause)
			rc = cli_fail(c, rc, "%s", cause);
		else if (rc < 0)
			rc = kam_exit_code(rc);
		free(cause);
	}
	return rc;
}

static int begin_write(struct cli *c, struct txn **t, int argc, char **argv)
{
	struct store *st;
	int rc = cli_store(c, 1, &st);
	if (rc)
		return rc;
	if ((rc = store_begin(st, 1, t)))
		return cli_fail(c, rc, "cannot write to the database: %s", kam_strerror(rc));
	struct buf cmd = {0};
	for (int i = 0; i < argc; i++)
		buf_addf(&cmd, "%s%s", i ? " " : "", argv[i]);
	store_txn_set_command(*t, cmd.p);
	buf_free(&cmd);
	return 0;
}

int cmd_add(struct cli *c, int argc, char **argv)
{
	if (argc < 3)
		return cli_usage("add");
	const struct entity *e = need_entity(c, argv[1], "add");
	struct txn *t;
	int rc;
	if (!e)
		return KAM_EXIT_USAGE;
	if ((rc = begin_write(c, &t, argc, argv)))
		return rc;
	struct record *r = record_new(e);
	char *cause = NULL;
	rc = apply_assignments(c, t, r, argc, argv, 2);
	if (!rc)
		rc = cli_access(c, c->st, ACCESS_WRITE, r, NULL);
	if (!rc)
		rc = write_record(c, t, r, 'a', 0, &cause);
	rc = finish_write(c, t, rc, cause);
	if (!rc)
		fprintf(c->out, "added %s %llu\n", e->name, (unsigned long long)r->id);
	record_free(r);
	return rc;
}

int cmd_set(struct cli *c, int argc, char **argv)
{
	if (argc < 4)
		return cli_usage("set");
	const struct entity *e = need_entity(c, argv[1], "set");
	const char *ifv = NULL;
	int64_t version = -1;
	int n = argc;
	if (!e)
		return KAM_EXIT_USAGE;
	for (int i = 3; i < n; i++) {
		int j = i, r = cli_opt(n, argv, &j, "--if-version", &ifv, "set");
		if (r < 0 || (r && (parse_int64(ifv, &version) || version < 1)))
			return cli_usage("set");
		if (r) { /* drop the option so that only assignments remain */
			memmove(&argv[i], &argv[j + 1], (size_t)(n - j - 1) * sizeof *argv);
			n -= j + 1 - i;
			i--;
		}
	}
	struct txn *t;
	struct record *r = NULL;
	char *cause = NULL;
	int rc = begin_write(c, &t, n, argv);
	if (rc)
		return rc;
	if ((rc = resolve_arg(c, t, e, argv[2], &r)) == 0) {
		if (version > 0)
			r->version = (uint32_t)version;
		rc = apply_assignments(c, t, r, n, argv, 3);
		if (!rc) /* the record as it will be and as it is stored */
			rc = cli_access(c, c->st, ACCESS_WRITE, r, NULL);
		if (!rc)
			rc = write_record(c, t, r, 's', 0, &cause);
	}
	rc = finish_write(c, t, rc, cause);
	if (!rc)
		fprintf(c->out, "updated %s %llu (version %u)\n", e->name, (unsigned long long)r->id, r->version);
	record_free(r);
	return rc;
}

int cmd_rm(struct cli *c, int argc, char **argv)
{
	int cascade = 0, n = 0;
	const char *args[3] = {0};
	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--cascade"))
			cascade = 1;
		else if (n < 3)
			args[n++] = argv[i];
		else
			return cli_usage("rm");
	}
	if (n != 3)
		return cli_usage("rm");
	const struct entity *e = need_entity(c, args[1], "rm");
	struct txn *t;
	struct record *r = NULL;
	char *cause = NULL;
	int rc;
	if (!e)
		return KAM_EXIT_USAGE;
	if ((rc = begin_write(c, &t, argc, argv)))
		return rc;
	if ((rc = resolve_arg(c, t, e, args[2], &r)) == 0)
		rc = cli_access(c, c->st, ACCESS_DELETE, r, NULL);
	if (!rc)
		rc = write_record(c, t, r, 'd', cascade, &cause);
	rc = finish_write(c, t, rc, cause);
	if (!rc)
		fprintf(c->out, "removed %s %llu\n", e->name, (unsigned long long)r->id);
	record_free(r);
	return rc;
}
