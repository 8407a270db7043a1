/* Import and export: header aliases, references, dedup, all or nothing,
 * the JSONL round trip. Runs against real databases in temporary dirs. */
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

#include "kam/err.h"
#include "kam/io.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

static int open_db(struct fixture *f, const char *name)
{
	char *cause = NULL;
	snprintf(f->db, sizeof f->db, "%s/%s", f->dir, name);
	if (store_open(&f->st, f->db, STORE_CREATE, &cause)) {
		fprintf(stderr, "open: %s\n", cause);
		free(cause);
		return -1;
	}
	store_set_user(f->st, "tester");
	return 0;
}

/* Writes text to DIR/name and returns the path (static buffer per slot). */
static const char *write_file(struct fixture *f, const char *name, const char *text)
{
	static char paths[8][160];
	static int slot;
	char *p = paths[slot++ % 8];
	snprintf(p, 160, "%s/%s", f->dir, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
	return p;
}

static char *read_all(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	struct buf b = {0};
	char tmp[65536];
	size_t n;
	while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
		buf_add(&b, tmp, n);
	fclose(fp);
	*len = b.len;
	return b.p ? buf_steal(&b) : xstrdup("");
}

/* Import files (types from their names) with options; returns the result code. */
static int run(struct fixture *f, const char **paths, int n, const struct import_opts *o, struct import_stats *s)
{
	struct import_file files[8];
	struct import_opts def = {0};
	for (int i = 0; i < n; i++)
		files[i] = (struct import_file){paths[i], import_guess_entity(paths[i]), IO_AUTO};
	char *cause = NULL;
	memset(s, 0, sizeof *s);
	int rc = import_run(f->st, files, n, o ? o : &def, s, &cause);
	if (rc && getenv("KAM_TEST_VERBOSE"))
		fprintf(stderr, "import: %s\n%s", cause ? cause : "", s->errors.p ? s->errors.p : "");
	free(cause);
	return rc;
}

static uint64_t count(struct fixture *f, const struct entity *e)
{
	struct txn *t;
	uint64_t n = 0;
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(store_count(t, e, &n), 0);
	store_abort(t);
	return n;
}

static struct record *get(struct fixture *f, const struct entity *e, uint64_t id)
{
	struct txn *t;
	struct record *r = NULL;
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	store_get(t, e, id, &r);
	store_abort(t);
	return r;
}

/* --- aliases ------------------------------------------------------------------ */

static void test_header_aliases(void **state)
{
	(void)state;
	const struct entity *a = ENTITY(account), *c = ENTITY(contact), *o = ENTITY(opportunity);
	assert_int_equal(io_alias_column(a, "name"), ACCOUNT_NAME);
	assert_int_equal(io_alias_column(a, "Account Name"), ACCOUNT_NAME);
	assert_int_equal(io_alias_column(a, "BillingCity"), ACCOUNT_CITY);
	assert_int_equal(io_alias_column(a, "billing_address_state"), ACCOUNT_PROVINCE);
	assert_int_equal(io_alias_column(a, "ParentId"), ACCOUNT_PARENT);
	assert_int_equal(io_alias_column(a, "parent_id"), ACCOUNT_PARENT);
	assert_int_equal(io_alias_column(a, "NumberOfEmployees"), ACCOUNT_EMPLOYEES);
	assert_int_equal(io_alias_column(a, "客户名称"), ACCOUNT_NAME);
	assert_int_equal(io_alias_column(a, "上级单位"), ACCOUNT_PARENT);
	assert_int_equal(io_alias_column(a, "SHORT_NAME"), ACCOUNT_SHORT_NAME);
	assert_int_equal(io_alias_column(a, "Id"), IO_COL_ID);
	assert_int_equal(io_alias_column(a, "ext_id"), IO_COL_EXT_ID);
	assert_int_equal(io_alias_column(a, "CreatedDate"), IO_COL_IGNORE);
	assert_int_equal(io_alias_column(a, "provnce"), IO_COL_UNKNOWN);
	/* the same header means different fields in different entities */
	assert_int_equal(io_alias_column(o, "Name"), OPP_TITLE);
	assert_int_equal(io_alias_column(o, "AccountId"), OPP_ACCOUNT);
	assert_int_equal(io_alias_column(c, "AccountId"), IO_COL_ACCOUNT);
	assert_int_equal(io_alias_column(o, "StageName"), OPP_STAGE);
	assert_int_equal(io_alias_column(o, "date_closed"), OPP_DECISION);
	assert_int_equal(io_alias_column(o, "预计决策日期"), OPP_DECISION);
	assert_int_equal(io_alias_column(c, "FirstName"), IO_COL_FIRST_NAME);
	assert_int_equal(io_alias_column(c, "email1"), CONTACT_EMAIL);
	assert_int_equal(io_alias_column(c, "reports_to_id"), CONTACT_REPORTS_TO);
	assert_int_equal(io_alias_column(c, "职务"), CONTACT_TITLE);

	char *msg = io_unknown_column_msg(a, "provnce");
	assert_non_null(strstr(msg, "did you mean 'province'"));
	free(msg);

	int f2;
	const char *v2;
	assert_string_equal(io_alias_enum(o, OPP_STAGE, "Closed Won", &f2, &v2), "closed");
	assert_int_equal(f2, OPP_STATUS);
	assert_string_equal(v2, "won");
	assert_string_equal(io_alias_enum(o, OPP_STAGE, "negotiation/review", &f2, &v2), "negotiate");
	assert_int_equal(f2, -1);
	assert_string_equal(io_alias_enum(a, ACCOUNT_INDUSTRY, "银行", &f2, &v2), "bank");
	assert_string_equal(io_alias_enum(a, ACCOUNT_INDUSTRY, "Bank", &f2, &v2), "bank");
	assert_string_equal(io_alias_enum(a, ACCOUNT_PROCUREMENT, "集中采购", &f2, &v2), "centralized");
	assert_null(io_alias_enum(a, ACCOUNT_INDUSTRY, "agriculture", &f2, &v2));
}

static void test_guess_and_order(void **state)
{
	(void)state;
	assert_ptr_equal(import_guess_entity("x/accounts.csv"), ENTITY(account));
	assert_ptr_equal(import_guess_entity("Contacts.jsonl"), ENTITY(contact));
	assert_ptr_equal(import_guess_entity("/a/b/sf_opportunities.csv"), ENTITY(opportunity));
	assert_ptr_equal(import_guess_entity("account_contacts.csv"), ENTITY(account_contact));
	assert_ptr_equal(import_guess_entity("accounts2.csv"), ENTITY(account));
	assert_null(import_guess_entity("data.csv"));
	assert_int_equal(io_format_guess("a.jsonl"), IO_JSONL);
	assert_int_equal(io_format_guess("a.csv"), IO_CSV);
	/* every reference points to an entity earlier in the order, or itself */
	int order[ENT__COUNT], rank[ENT__COUNT];
	io_entity_order(order);
	for (int i = 0; i < ENT__COUNT; i++)
		rank[order[i]] = i;
	for (int i = 0; i < ENT__COUNT; i++) {
		const struct entity *e = kam_entities[i];
		for (int f = 0; f < e->nfields; f++) {
			const struct entity *t = field_ref_entity(&e->fields[f]);
			for (int k = 0; t && k < ENT__COUNT; k++)
				if (kam_entities[k] == t)
					assert_true(rank[k] <= rank[i]);
		}
	}
	struct import_file files[3] = {{"account_contacts.csv", ENTITY(account_contact), IO_CSV},
				       {"contacts.csv", ENTITY(contact), IO_CSV},
				       {"accounts.csv", ENTITY(account), IO_CSV}};
	import_sort_files(files, 3);
	assert_string_equal(files[0].path, "accounts.csv");
	assert_string_equal(files[1].path, "contacts.csv");
	assert_string_equal(files[2].path, "account_contacts.csv");
}

/* --- references ------------------------------------------------------------------ */

static void test_references(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	/* given out of order on purpose: links before the people and firms */
	const char *p[3] = {
	    write_file(f, "account_contacts.csv",
		       "account,contact,role\n"
		       "A1,C1,decision_maker\n"
		       "#2,C2,technical\n"
		       "甲公司,乙,user\n"),
	    write_file(f, "contacts.csv",
		       "ext_id,name,reports_to\n"
		       "C2,乙,C1\n"
		       "C1,甲,\n"),
	    write_file(f, "accounts.csv",
		       "ext_id,name,parent\n"
		       "A1,甲公司,\n"
		       "A2,\"乙 Co., Ltd.\",甲公司有限公司\n"),
	};
	assert_int_equal(run(f, p, 3, NULL, &s), 0);
	assert_int_equal(s.created[ENT_account], 2);
	assert_int_equal(s.created[ENT_account_contact], 3);
	struct record *a2 = get(f, ENTITY(account), 2);
	assert_int_equal(a2->v[ACCOUNT_PARENT].i, 1); /* by normalised name */
	record_free(a2);
	/* C2 reports to C1 which comes later in the file: C2 waits for it */
	struct record *c = get(f, ENTITY(contact), 2);
	assert_string_equal(c->ext_id, "C2");
	assert_int_equal(c->v[CONTACT_REPORTS_TO].i, 1);
	assert_int_equal(c->version, 1); /* written once, after its manager */
	record_free(c);
	struct record *link = get(f, ENTITY(account_contact), 2);
	assert_int_equal(link->v[AC_ACCOUNT].i, 2); /* #2 is a kam id */
	record_free(link);
	import_stats_free(&s);

	/* a cycle: stored without the reference, which is set at the end */
	const char *cyc[1] = {write_file(f, "accounts2.csv", "ext_id,name,parent\nP,Pa,Q\nQ,Qa,P\nR,Ra,nobody\n")};
	assert_int_equal(run(f, cyc, 1, NULL, &s), KAM_EINVAL);
	assert_non_null(
	    strstr(s.errors.p, "accounts2.csv:4:6: error: parent: no account with external id, id or name 'nobody'"));
	assert_int_equal(s.nerrors, 1);
	import_stats_free(&s);
	cyc[0] = write_file(f, "accounts2.csv", "ext_id,name,parent\nP,Pa,Q\nQ,Qa,P\n");
	assert_int_equal(run(f, cyc, 1, NULL, &s), 0);
	assert_int_equal(s.created[ENT_account], 2);
	import_stats_free(&s);
	struct record *pa = get(f, ENTITY(account), 3), *qa = get(f, ENTITY(account), 4);
	assert_int_equal(pa->v[ACCOUNT_PARENT].i, 4);
	assert_int_equal(qa->v[ACCOUNT_PARENT].i, 3);
	record_free(pa);
	record_free(qa);

	/* unresolvable references are errors at their cell */
	const char *bad[1] = {write_file(f, "opportunities.csv",
					 "account,year,title\n"
					 "A1,2027,ok\n"
					 "A9,2027,no such account\n")};
	assert_int_equal(run(f, bad, 1, NULL, &s), KAM_EINVAL);
	assert_non_null(strstr(s.errors.p, "opportunities.csv:3:1: error: account: no account"));
	assert_int_equal(count(f, ENTITY(opportunity)), 0);
	import_stats_free(&s);
}

/* A plain number is an external id first, except in kam's own exports
 * (rows with id and version), where references are kam ids. */
static void test_kam_ids(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	const char *p[1] = {write_file(f, "accounts.csv",
				       "\xEF\xBB\xBF"
				       "ext_id,name\r\n2,Two By Ext\r\nX,Other\r\n")};
	assert_int_equal(run(f, p, 1, NULL, &s), 0);
	assert_int_equal(s.created[ENT_account], 2);
	import_stats_free(&s);
	const char *q[2] = {write_file(f, "opportunities.jsonl",
				       "{\"id\":7,\"version\":1,\"created\":100,\"updated\":200,\"updated_by\":\"u\","
				       "\"account\":2,\"year\":2027,\"title\":\"Mine\"}\r\n"),
			    write_file(f, "opportunities2.csv", "account,year,title\n2,2027,Theirs\n")};
	assert_int_equal(run(f, q, 2, NULL, &s), 0);
	assert_int_equal(s.created[ENT_opportunity], 2);
	import_stats_free(&s);
	struct record *o = get(f, ENTITY(opportunity), 7);
	assert_int_equal(o->v[OPP_ACCOUNT].i, 2); /* kam id 2: "Other" */
	assert_int_equal(o->created, 100);
	assert_int_equal(o->updated, 200);
	assert_string_equal(o->updated_by, "u");
	record_free(o);
	o = get(f, ENTITY(opportunity), 8);       /* ids continue after the kept one */
	assert_int_equal(o->v[OPP_ACCOUNT].i, 1); /* ext_id "2": "Two By Ext" */
	record_free(o);
}

/* --- dedup --------------------------------------------------------------------------- */

static void test_dedup(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	const char *p[2] = {write_file(f, "accounts.csv",
				       "客户名称,城市\n"
				       "华信通信集团有限公司,北京\n"
				       "\"ＡＢＣ Co., Ltd.\",上海\n"),
			    write_file(f, "contacts.csv",
				       "姓名,邮箱,电话,客户\n"
				       "王强,wq@example.com,010-1234-5678,华信通信集团\n"
				       "李娜,,13900000001,华信通信集团\n")};
	assert_int_equal(run(f, p, 2, NULL, &s), 0);
	assert_int_equal(s.created[ENT_account], 2);
	assert_int_equal(s.created[ENT_contact], 2);
	import_stats_free(&s);

	/* the same firms written differently, the same people found by e-mail,
	 * phone and name within the account */
	const char *q[2] = {write_file(f, "accounts2.csv",
				       "name,city\n"
				       "华信通信集团,广州\n"
				       "abc co ltd,\n"),
			    write_file(f, "contacts2.csv",
				       "name,email,phone,account,title\n"
				       "王 强,WQ@example.com,,华信通信集团,总经理\n"
				       "Li Na,,139-0000-0001,华信通信集团,处长\n"
				       "李娜,,,华信通信集团,主任\n")};
	struct import_file files[2] = {{q[0], ENTITY(account), IO_CSV}, {q[1], ENTITY(contact), IO_CSV}};
	struct import_opts o = {0};
	char *cause = NULL;
	memset(&s, 0, sizeof s);
	assert_int_equal(import_run(f->st, files, 2, &o, &s, &cause), 0);
	assert_int_equal(s.created[ENT_account], 0);
	assert_int_equal(s.updated[ENT_account], 1); /* 华信: the city */
	assert_int_equal(s.skipped[ENT_account], 1); /* ABC: nothing new */
	assert_int_equal(s.created[ENT_contact], 0);
	assert_int_equal(s.updated[ENT_contact], 3);
	assert_int_equal(count(f, ENTITY(account_contact)), 2);
	struct record *a = get(f, ENTITY(account), 1);
	assert_string_equal(a->v[ACCOUNT_CITY].s, "广州");
	assert_string_equal(a->v[ACCOUNT_NAME].s, "华信通信集团有限公司"); /* the stored name stays */
	record_free(a);
	a = get(f, ENTITY(account), 2);
	assert_string_equal(a->v[ACCOUNT_CITY].s, "上海"); /* an empty cell keeps the value */
	record_free(a);
	struct record *c = get(f, ENTITY(contact), 2);
	assert_string_equal(c->v[CONTACT_TITLE].s, "主任");
	assert_string_equal(c->v[CONTACT_NAME].s, "李娜");
	record_free(c);
	import_stats_free(&s);

	/* --on-duplicate error lists each duplicate; skip leaves them alone */
	o.on_dup = IMPORT_DUP_ERROR;
	assert_int_equal(run(f, &p[0], 1, &o, &s), KAM_EINVAL);
	assert_int_equal(s.nerrors, 2);
	assert_non_null(strstr(s.errors.p, "accounts.csv:2:1: error: account '华信通信集团有限公司' already exists"));
	import_stats_free(&s);
	o.on_dup = IMPORT_DUP_SKIP;
	assert_int_equal(run(f, &p[0], 1, &o, &s), 0);
	assert_int_equal(s.skipped[ENT_account], 2);
	import_stats_free(&s);
	a = get(f, ENTITY(account), 1);
	assert_string_equal(a->v[ACCOUNT_CITY].s, "广州");
	record_free(a);

	/* upsert on the external id */
	const char *x[1] = {write_file(f, "accounts3.csv",
				       "Id,Name,BillingCity\n"
				       "001X,华信通信集团,深圳\n"
				       "001Y,Other Corp,\n")};
	assert_int_equal(run(f, x, 1, NULL, &s), 0);
	assert_int_equal(s.updated[ENT_account], 1);
	assert_int_equal(s.created[ENT_account], 1);
	import_stats_free(&s);
	/* matched on 001X now: the CRM's spelling renames the record */
	assert_int_equal(run(f, x, 1, NULL, &s), 0);
	assert_int_equal(s.updated[ENT_account], 1);
	assert_int_equal(s.skipped[ENT_account], 1);
	import_stats_free(&s);
	a = get(f, ENTITY(account), 1);
	assert_string_equal(a->ext_id, "001X");
	assert_string_equal(a->v[ACCOUNT_NAME].s, "华信通信集团");
	record_free(a);
	assert_int_equal(run(f, x, 1, NULL, &s), 0);
	assert_int_equal(s.skipped[ENT_account], 2);
	import_stats_free(&s);
	assert_int_equal(count(f, ENTITY(account)), 3);
}

/* --- all or nothing ------------------------------------------------------------------- */

static void test_all_or_nothing(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	const char *ok[1] = {write_file(f, "accounts.csv", "name\nBase Ltd\n")};
	assert_int_equal(run(f, ok, 1, NULL, &s), 0);
	import_stats_free(&s);
	char path[160];
	snprintf(path, sizeof path, "%s/data.mdb", f->db);
	size_t len_before, len_after;
	char *before = read_all(path, &len_before);

	const char *p[2] = {write_file(f, "accounts2.csv",
				       "name,industry,employees,provnce\n"
				       "Good Ltd,bank,10,\n"
				       "Bad Ltd,banks,lots,\n"
				       "Short Ltd,bank\n"
				       "Long Ltd,bank,1,,x\n"),
			    write_file(f, "contacts.csv", "name,email\nAnn,ann@example.com\n,nobody@example.com\n")};
	struct import_file files[2] = {{p[0], ENTITY(account), IO_CSV}, {p[1], ENTITY(contact), IO_CSV}};
	struct import_opts o = {0};
	char *cause = NULL;
	memset(&s, 0, sizeof s);
	assert_int_equal(import_run(f->st, files, 2, &o, &s, &cause), KAM_EINVAL);
	assert_int_equal(s.nerrors, 6);
	const char *want[] = {
	    "accounts2.csv:1:25: error: unknown column 'provnce' for account (did you mean 'province'?)",
	    "accounts2.csv:3:9: error: industry: 'banks' is not one of",
	    "accounts2.csv:3:15: error: employees: 'lots' is not a whole number",
	    "accounts2.csv:4:11: error: row has 2 cells, the header has 4",
	    "accounts2.csv:5:18: error: row has 5 cells, the header has 4",
	    "contacts.csv:3:1: error: name: required field is missing"};
	const char *at = s.errors.p;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) { /* in file order */
		const char *hit = strstr(at, want[i]);
		if (!hit)
			fprintf(stderr, "missing: %s\nin:\n%s", want[i], s.errors.p);
		assert_non_null(hit);
		at = hit;
	}
	import_stats_free(&s);
	assert_int_equal(count(f, ENTITY(account)), 1);
	assert_int_equal(count(f, ENTITY(contact)), 0);

	/* a dry run counts but writes nothing either */
	const char *dry[1] = {write_file(f, "staff.csv", "name,login\nZhang San,zs\nLi Si,ls\n")};
	struct import_opts d = {.dry_run = 1};
	assert_int_equal(run(f, dry, 1, &d, &s), 0);
	assert_int_equal(s.created[ENT_staff], 2);
	import_stats_free(&s);
	assert_int_equal(count(f, ENTITY(staff)), 0);

	char *after = read_all(path, &len_after);
	assert_int_equal(len_before, len_after);
	assert_memory_equal(before, after, len_before);
	free(before);
	free(after);
}

static void test_error_cap(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	struct buf b = {0};
	buf_adds(&b, "name,employees\n");
	for (int i = 0; i < 60; i++)
		buf_addf(&b, "Firm %d,many\n", i);
	const char *p[1] = {write_file(f, "accounts.csv", b.p)};
	buf_free(&b);
	assert_int_equal(run(f, p, 1, NULL, &s), KAM_EINVAL);
	assert_int_equal(s.nerrors, 60);
	assert_non_null(strstr(s.errors.p, "... and 10 more\n"));
	int lines = 0;
	for (const char *c = s.errors.p; *c; c++)
		lines += *c == '\n';
	assert_int_equal(lines, IMPORT_MAX_LISTED + 1);
	import_stats_free(&s);
}

/* --- export and the round trip ------------------------------------------------------ */

static char *export_all(struct fixture *f, enum io_format fmt, unsigned flags)
{
	char path[160];
	snprintf(path, sizeof path, "%s/export.out", f->dir);
	FILE *fp = fopen(path, "w");
	struct txn *t;
	int order[ENT__COUNT];
	io_entity_order(order);
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	for (int i = 0; i < ENT__COUNT; i++)
		assert_int_equal(export_entity(t, kam_entities[order[i]], fmt, flags, fp, NULL), 0);
	store_abort(t);
	fclose(fp);
	size_t len;
	return read_all(path, &len);
}

static void test_export_csv(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	const char *p[1] = {write_file(f, "contacts.csv",
				       "name,phone,notes,private_notes\n"
				       "Ann,+86 10 1234,\"=HYPERLINK(\"\"x\"\")\",secret\n")};
	assert_int_equal(run(f, p, 1, NULL, &s), 0);
	import_stats_free(&s);
	struct record *r = get(f, ENTITY(contact), 1);
	struct buf b = {0};
	export_csv_header(ENTITY(contact), 0, &b);
	assert_null(strstr(b.p, "private_notes"));
	assert_non_null(strstr(b.p, "id,version,created,updated,updated_by,ext_id,name,title,"));
	buf_reset(&b);
	export_csv_row(r, 0, &b);
	assert_non_null(strstr(b.p, ",'+86 10 1234,"));
	assert_non_null(strstr(b.p, ",\"'=HYPERLINK(\"\"x\"\")\""));
	assert_null(strstr(b.p, "secret"));
	buf_reset(&b);
	export_csv_row(r, EXPORT_RAW | EXPORT_SENSITIVE, &b);
	assert_non_null(strstr(b.p, ",+86 10 1234,"));
	assert_non_null(strstr(b.p, ",secret\n"));
	buf_free(&b);
	record_free(r);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct import_stats s;
	const char *p[4] = {
	    write_file(f, "accounts.csv",
		       "ext_id,name,parent,industry,employees,key\n"
		       "A1,甲集团,,bank,100,true\n"
		       "A2,甲集团北京分公司,A1,bank,,false\n"),
	    write_file(f, "contacts.csv",
		       "ext_id,name,phone,reports_to,private_notes\n"
		       "C1,王强,=1+1,,\"line1\nline2\"\n"
		       "C2,李娜,,C1,\n"),
	    write_file(f, "opportunities.csv",
		       "account,year,title,amount,probability,decision_date\n"
		       "A2,2027,扩容,\"1,234.50\",40%,2027-03-31\n"),
	    write_file(f, "activities.csv",
		       "account,type,date,contacts,guests,days,cost_per_guest_day\n"
		       "A1,banquet,2027-01-10,C1;C2,10,2,300\n"),
	};
	assert_int_equal(run(f, p, 4, NULL, &s), 0);
	import_stats_free(&s);
	char *first = export_all(f, IO_JSONL, EXPORT_TAGGED | EXPORT_SENSITIVE);
	assert_non_null(strstr(first, "\"budget\":6000.00"));
	const char *dump[1] = {write_file(f, "all.jsonl", first)};

	/* into an empty database, then out again: byte-identical */
	store_close(f->st);
	assert_int_equal(open_db(f, "db2"), 0);
	struct import_file files[1] = {{dump[0], NULL, IO_JSONL}};
	struct import_opts o = {0};
	char *cause = NULL;
	memset(&s, 0, sizeof s);
	assert_int_equal(import_run(f->st, files, 1, &o, &s, &cause), 0);
	assert_int_equal(s.created[ENT_account], 2);
	assert_int_equal(s.created[ENT_activity], 1);
	import_stats_free(&s);
	char *second = export_all(f, IO_JSONL, EXPORT_TAGGED | EXPORT_SENSITIVE);
	assert_string_equal(first, second);

	/* importing the dump again changes nothing */
	memset(&s, 0, sizeof s);
	assert_int_equal(import_run(f->st, files, 1, &o, &s, &cause), 0);
	assert_int_equal(s.skipped[ENT_account], 2);
	assert_int_equal(s.created[ENT_account] + s.updated[ENT_account], 0);
	import_stats_free(&s);
	char *third = export_all(f, IO_JSONL, EXPORT_TAGGED | EXPORT_SENSITIVE);
	assert_string_equal(first, third);
	free(first);
	free(second);
	free(third);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header_aliases),
	    cmocka_unit_test(test_guess_and_order),
	    cmocka_unit_test_setup_teardown(test_references, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_kam_ids, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_dedup, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_all_or_nothing, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_error_cap, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_export_csv, fixture_setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_round_trip, fixture_setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
