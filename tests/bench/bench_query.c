/* Query suite: kam's LMDB store against sqlite3 with equivalent indexes, on
 * the same records, in one process, so that machine noise cancels.
 * usage: bench_query KAMDB SQLITEFILE [ROUNDS] */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/model.h"
#include "kam/store.h"
#include "kam/text.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, const char *detail)
{
	fprintf(stderr, "bench_query: %s: %s\n", what, detail ? detail : "");
	exit(1);
}

/* --- copy kam's records into sqlite, one table per entity ------------------- */

struct copy {
	sqlite3_stmt *ins;
	int nfields;
};

static int copy_record(const struct record *r, void *arg)
{
	struct copy *cp = arg;
	sqlite3_bind_int64(cp->ins, 1, (sqlite3_int64)r->id);
	for (int f = 0; f < cp->nfields; f++) {
		const struct value *v = &r->v[f];
		if (!v->set)
			sqlite3_bind_null(cp->ins, f + 2);
		else if (v->s)
			sqlite3_bind_text(cp->ins, f + 2, v->s, -1, SQLITE_TRANSIENT);
		else
			sqlite3_bind_int64(cp->ins, f + 2, v->i);
	}
	if (r->ent == ENTITY(account)) {
		char *k = text_fold(record_name(r));
		sqlite3_bind_text(cp->ins, cp->nfields + 2, k, -1, SQLITE_TRANSIENT);
		free(k);
	}
	if (sqlite3_step(cp->ins) != SQLITE_DONE)
		die("insert", sqlite3_errmsg(sqlite3_db_handle(cp->ins)));
	sqlite3_reset(cp->ins);
	return 0;
}

static void exec(sqlite3 *db, const char *sql)
{
	char *err = NULL;
	if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
		die(sql, err);
}

static void copy_entity(sqlite3 *db, struct txn *t, const struct entity *e)
{
	struct buf create = {0}, ins = {0};
	buf_addf(&create, "CREATE TABLE %s (id INTEGER PRIMARY KEY", e->name);
	buf_addf(&ins, "INSERT INTO %s VALUES (?", e->name);
	for (int f = 0; f < e->nfields; f++) {
		buf_addf(&create, ", \"%s\"", e->fields[f].name);
		buf_adds(&ins, ", ?");
	}
	if (e == ENTITY(account)) {
		buf_adds(&create, ", name_fold TEXT");
		buf_adds(&ins, ", ?");
	}
	buf_adds(&create, ")");
	buf_adds(&ins, ")");
	exec(db, create.p);
	struct copy cp = {NULL, e->nfields};
	if (sqlite3_prepare_v2(db, ins.p, -1, &cp.ins, NULL) != SQLITE_OK)
		die("prepare", sqlite3_errmsg(db));
	store_scan(t, e, copy_record, &cp);
	sqlite3_finalize(cp.ins);
	buf_free(&create);
	buf_free(&ins);
}

static void build_sqlite(const char *path, struct store *st)
{
	sqlite3 *db;
	struct txn *t;
	remove(path);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("open", path);
	exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; BEGIN");
	store_begin(st, 0, &t);
	const struct entity *ents[] = {ENTITY(account), ENTITY(contact), ENTITY(account_contact), ENTITY(opportunity)};
	for (size_t i = 0; i < sizeof ents / sizeof ents[0]; i++)
		copy_entity(db, t, ents[i]);
	store_abort(t);
	exec(db, "CREATE INDEX account_parent ON account(parent);"
		 "CREATE INDEX account_name ON account(name_fold);"
		 "CREATE INDEX ac_account ON account_contact(account, contact);" /* = kam's account_contact index */
		 "CREATE INDEX opp_account_year ON opportunity(account, year);"
		 "CREATE INDEX opp_year_decision ON opportunity(year, decision_date);"
		 "COMMIT");
	sqlite3_close(db);
}

/* --- the queries ------------------------------------------------------------------ */

static long rows_seen;

static int count_row(const struct record *r, void *arg)
{
	rows_seen++;
	return 0;
}

/* Contacts of an account the lean way: the account_contact index holds
 * account || contact || link id, so the contact ids come from the index
 * keys alone; each contact is then one direct get, decoded whole (as
 * sqlite materialises every column) into one record reused for every row:
 * no allocation per row. */
struct fetch {
	struct txn *t;
	struct record *c;
};

static int fetch_contact(const int64_t *vals, uint64_t link, void *arg)
{
	struct fetch *f = arg;
	if (store_get_fields(f->t, (uint64_t)vals[1], FIELD_MASK_ALL, f->c) == 0)
		rows_seen++;
	return 0;
}

struct query {
	const char *name;
	const char *sql;
	void (*kam)(struct txn *t, int64_t a, int64_t b, const char *s);
};

static void kam_card(struct txn *t, int64_t acc, int64_t unused, const char *s)
{
	struct record *r;
	if (store_get(t, ENTITY(account), (uint64_t)acc, &r) == 0) {
		rows_seen++;
		record_free(r);
	}
	struct value v = {.i = acc, .set = 1};
	store_index_scan(t, ENTITY(account), "parent", &v, 1, count_row, NULL);
}

static void kam_contacts(struct txn *t, int64_t acc, int64_t unused, const char *s)
{
	static struct record *contact; /* kept for the whole run, like a view's row */
	if (!contact)
		contact = record_new(ENTITY(contact));
	struct fetch f = {t, contact};
	struct value v = {.i = acc, .set = 1};
	store_index_keys(t, ENTITY(account_contact), "account_contact", &v, 1, fetch_contact, &f);
}

static void kam_opps(struct txn *t, int64_t acc, int64_t year, const char *s)
{
	struct value v[2] = {{.i = acc, .set = 1}, {.i = year, .set = 1}};
	store_index_scan(t, ENTITY(opportunity), "account_year", v, 2, count_row, NULL);
}

static void kam_decisions(struct txn *t, int64_t year, int64_t month, const char *s)
{
	for (int d = 1; d <= 31; d++) {
		struct value v[2] = {{.i = year, .set = 1}, {.i = year * 10000 + month * 100 + d, .set = 1}};
		store_index_scan(t, ENTITY(opportunity), "year_decision", v, 2, count_row, NULL);
	}
}

static int limit_50(const struct record *r, void *arg)
{
	return ++rows_seen, ++*(int *)arg >= 50;
}

static void kam_prefix(struct txn *t, int64_t a, int64_t b, const char *prefix)
{
	int n = 0;
	struct value v = {.s = (char *)prefix, .set = 1};
	store_index_scan(t, ENTITY(account), "name", &v, 1, limit_50, &n);
}

static const struct query queries[] = {
	{"account card with children", "SELECT * FROM account WHERE id = ?1 UNION ALL SELECT * FROM account WHERE parent = ?1", kam_card},
	{"contacts of an account", "SELECT c.* FROM account_contact ac JOIN contact c ON c.id = ac.contact WHERE ac.account = ?1", kam_contacts},
	{"opportunities of account x year", "SELECT * FROM opportunity WHERE account = ?1 AND year = ?2", kam_opps},
	{"opportunities decided in a month", "SELECT * FROM opportunity WHERE year = ?1 AND decision_date BETWEEN ?1*10000+?2*100+1 AND ?1*10000+?2*100+31", kam_decisions},
	{"account name-prefix search", "SELECT * FROM account WHERE name_fold >= ?3 AND name_fold < ?3 || x'ff' LIMIT 50", kam_prefix},
};

static long sqlite_rows(sqlite3_stmt *q)
{
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
		int nc = sqlite3_column_count(q);
		for (int c = 0; c < nc; c++)
			if (sqlite3_column_type(q, c) == SQLITE_TEXT)
				(void)sqlite3_column_text(q, c); /* materialise, as kam decodes */
			else
				(void)sqlite3_column_int64(q, c);
		n++;
	}
	sqlite3_reset(q);
	return n;
}

static const char *const prefixes[] = {"中国", "国家电网", "招商", "华东", "north", "abc", "中国华信通信集团广东"};

static void args_for(int qi, int i, uint64_t naccounts, int64_t *a, int64_t *b, const char **s)
{
	uint64_t x = (uint64_t)i * 2654435761u % naccounts + 1;
	*a = (int64_t)x, *b = 2027, *s = prefixes[i % 7];
	if (qi == 3)
		*a = 2027, *b = i % 12 + 1;
}

int main(int argc, char **argv)
{
	if (argc < 3)
		die("usage", "bench_query KAMDB SQLITEFILE [ROUNDS [QUERY]]");
	int rounds = argc > 3 ? atoi(argv[3]) : 2000;
	struct store *st;
	char *cause = NULL;
	if (store_open(&st, argv[1], STORE_RDONLY, &cause))
		die("open", cause);
	double t0 = now();
	build_sqlite(argv[2], st);
	printf("sqlite3 copy built in %.1f s\n", now() - t0);
	sqlite3 *db;
	sqlite3_open_v2(argv[2], &db, SQLITE_OPEN_READONLY, NULL);
	struct txn *t;
	uint64_t naccounts;
	store_begin(st, 0, &t);
	store_count(t, ENTITY(account), &naccounts);
	printf("%-34s %10s %10s %8s %s\n", "query", "kam us/q", "sqlite us/q", "ratio", "(sqlite/kam, >1 = kam faster)");
	int worst_ok = 1;
	const char *only = argc > 4 ? argv[4] : NULL; /* a query whose name holds this, for profiling */
	for (size_t qi = 0; qi < sizeof queries / sizeof queries[0]; qi++) {
		if (only && !strstr(queries[qi].name, only))
			continue;
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db, queries[qi].sql, -1, &q, NULL) != SQLITE_OK)
			die("prepare", sqlite3_errmsg(db));
		long krows = 0, srows = 0;
		int64_t a, b;
		const char *s;
		/* kam and sqlite alternate query by query, so that other load on
		 * the machine (2 shared cores) falls on both alike. */
		double kt = 0, stt = 0;
		for (int i = -rounds / 4; i < rounds; i++) { /* the first quarter warms the caches */
			if (i == 0)
				kt = stt = 0, krows = srows = 0;
			args_for((int)qi, i < 0 ? -i : i, naccounts, &a, &b, &s);
			char *fold = text_fold(s);
			double t0 = now();
			rows_seen = 0;
			queries[qi].kam(t, a, b, s);
			krows += rows_seen;
			double t1 = now();
			sqlite3_bind_int64(q, 1, a);
			sqlite3_bind_int64(q, 2, b);
			sqlite3_bind_text(q, 3, fold, -1, SQLITE_TRANSIENT);
			srows += sqlite_rows(q);
			double t2 = now();
			kt += t1 - t0;
			stt += t2 - t1;
			free(fold);
		}
		sqlite3_finalize(q);
		printf("%-34s %10.1f %10.1f %7.2fx  rows kam %ld sqlite %ld\n", queries[qi].name, kt * 1e6 / rounds,
		       stt * 1e6 / rounds, stt / kt, krows, srows);
		if (stt / kt < 2)
			worst_ok = 0;
		if (krows != srows) {
			printf("  kam and sqlite disagree on the rows of \"%s\"\n", queries[qi].name);
			worst_ok = 0;
		}
	}
	printf("target kam >= 2x faster on each: %s\n", worst_ok ? "met" : "NOT met");
	store_abort(t);
	sqlite3_close(db);
	store_close(st);
	return 0;
}
