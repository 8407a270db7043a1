/* init, stats, backup, log: the database as a whole. */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/access.h"
#include "kam/err.h"

int cmd_init(struct cli *c, int argc, char **argv)
{
	const char *admin = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--admin", &admin, "init");
		if (r <= 0)
			return cli_usage("init");
	}
	struct store *st;
	int rc = cli_store(c, 1, &st);
	if (rc)
		return rc;
	if (admin) {
		struct txn *t;
		char *cause = NULL;
		int mapped = 0;
		if ((rc = store_begin(st, 1, &t)))
			return cli_fail(c, rc, "cannot write to the database");
		store_txn_set_command(t, "init");
		/* Only the first admin: afterwards roles are admin work (kam user). */
		if (!(rc = access_has_admin(t, &mapped)) && mapped)
			rc = set_cause(&cause, KAM_EINVAL,
				       "init --admin: the database already has an admin (kam user ls); an admin adds "
				       "more with kam user add LOGIN role=admin");
		if (!rc)
			rc = access_make_admin(t, admin, NULL, &cause);
		if (!rc)
			rc = store_commit(t, &cause);
		else
			store_abort(t);
		if (rc) {
			rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
			free(cause);
			return rc;
		}
	}
	fprintf(c->out, "database ready in %s\n", c->db_dir);
	return 0;
}

int cmd_stats(struct cli *c, int argc, char **argv)
{
	if (argc != 1)
		return cli_usage("stats");
	struct store *st;
	struct store_stats s;
	int rc = cli_store(c, 0, &st);
	if (rc)
		return rc;
	if ((rc = store_stats(st, &s)))
		return cli_fail(c, rc, "cannot read statistics: %s", kam_strerror(rc));
	const char *headers[] = {"type", "records"};
	const unsigned char right[] = {0, 1};
	struct table *t = table_new(2, headers, right);
	char num[32];
	const char *row[2] = {NULL, num};
	for (int i = 0; i < ENT__COUNT; i++) {
		snprintf(num, sizeof num, "%llu", (unsigned long long)s.records[i]);
		row[0] = kam_entities[i]->name;
		table_add_row(t, row);
	}
	snprintf(num, sizeof num, "%llu", (unsigned long long)s.audit_entries);
	row[0] = "audit";
	table_add_row(t, row);
	table_print(t, c);
	table_free(t);
	if (c->format == FMT_TABLE)
		fprintf(c->out, "\nfile %.1f MiB, used %.1f MiB, schema %d, last txn %llu\n",
			(double)s.file_bytes / 1048576.0, (double)s.used_bytes / 1048576.0, s.schema_version,
			(unsigned long long)s.last_txnid);
	return 0;
}

int cmd_backup(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("backup");
	struct store *st;
	char *cause = NULL;
	int rc = cli_store(c, 0, &st);
	if (rc)
		return rc;
	/* A backup holds every field, the sensitive ones too. */
	if ((rc = cli_access(c, st, ACCESS_ADMIN, NULL, "backup")))
		return rc;
	if ((rc = store_backup(st, argv[1], &cause))) {
		rc = cli_fail(c, rc, "backup to %s failed: %s", argv[1], cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	fprintf(c->out, "backup written to %s\n", argv[1]);
	return 0;
}

struct log_walk {
	FILE *out;
	long limit, seen, skip;
	int redact; /* a viewer: sensitive values and commands redacted */
};

static int print_audit(uint64_t seq, const char *json, void *arg)
{
	struct log_walk *w = arg;
	if (w->seen++ < w->skip)
		return 0;
	if (w->redact) {
		char *safe = access_redact_audit(json);
		if (safe)
			fprintf(w->out, "%s\n", safe);
		free(safe);
	} else {
		fprintf(w->out, "%s\n", json);
	}
	return w->limit > 0 && w->seen - w->skip >= w->limit;
}

static int count_audit(uint64_t seq, const char *json, void *arg)
{
	((struct log_walk *)arg)->seen++;
	return 0;
}

/* The audit log as JSON lines, oldest first; --limit N keeps the newest N. */
int cmd_log(struct cli *c, int argc, char **argv)
{
	const char *rec = NULL, *lim = NULL;
	int64_t limit = 0;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--record", &rec, "log");
		if (!r)
			r = cli_opt(argc, argv, &i, "--limit", &lim, "log");
		if (r <= 0)
			return cli_usage("log");
	}
	if (lim && (parse_int64(lim, &limit) || limit < 0))
		return cli_usage("log");
	struct store *st;
	struct txn *t;
	int rc = cli_store(c, 0, &st);
	if (rc)
		return rc;
	const struct entity *e = NULL;
	uint64_t id = 0;
	if (rec) {
		char *colon = strchr(rec, ':');
		char *type = colon ? xstrndup(rec, (size_t)(colon - rec)) : NULL;
		e = type ? entity_by_name(type) : NULL;
		free(type);
		int64_t n;
		if (!e || parse_int64(colon + 1, &n) || n <= 0)
			return cli_fail(c, KAM_EUSAGE, "--record takes TYPE:ID, e.g. account:12");
		id = (uint64_t)n;
	}
	if (store_begin(st, 0, &t))
		return cli_fail(c, KAM_ESTORE, "cannot read the database");
	struct log_walk w = {c->out, (long)limit, 0, 0, !cli_sees_sensitive(c, st)};
	if (limit > 0) {
		store_audit_scan(t, e, id, count_audit, &w);
		w.skip = w.seen > limit ? w.seen - (long)limit : 0;
		w.seen = 0;
	}
	store_audit_scan(t, e, id, print_audit, &w);
	store_abort(t);
	return 0;
}
