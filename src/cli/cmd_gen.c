/* kam gen: a generated demo or benchmark dataset, into the database or as
 * CSV files. */
#include "kam/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "kam/access.h"
#include "kam/err.h"
#include "kam/gen.h"
#include "kam/store.h"

/* Records per write txn: bounds the txn's dirty pages on dataset L. */
#define GEN_CHUNK 50000
#define GEN_PROGRESS 100000

struct gen_db {
	struct store *st;
	struct txn *t;
	const char *command;
	uint64_t in_txn, total, committed;
	int progress; /* stderr is a terminal */
	char *cause;
};

static int db_begin(struct gen_db *d)
{
	int rc = store_begin(d->st, 1, &d->t);
	if (rc)
		return rc;
	store_txn_set_command(d->t, d->command);
	store_txn_set_audit_detail(d->t, 0);
	return 0;
}

static int db_emit(struct record *r, void *arg)
{
	struct gen_db *d = arg;
	int rc = store_insert(d->t, r, &d->cause);
	if (rc)
		return rc;
	d->total++;
	if (d->progress && d->total % GEN_PROGRESS == 0)
		fprintf(stderr, "\rkam gen: %llu records", (unsigned long long)d->total);
	if (++d->in_txn < GEN_CHUNK)
		return 0;
	rc = store_commit(d->t, &d->cause);
	d->t = NULL;
	d->in_txn = 0;
	if (rc)
		return rc;
	d->committed = d->total;
	return db_begin(d);
}

/* gen fills a new database: ids are preassigned, and a half-mixed dataset
 * would only confuse. */
static int db_check_empty(struct gen_db *d)
{
	for (int i = 0; i < ENT__COUNT; i++) {
		uint64_t n = 0;
		int rc = store_count(d->t, kam_entities[i], &n);
		if (rc)
			return rc;
		if (n)
			return set_cause(&d->cause, KAM_EINVAL,
					 "the database already holds %s records: gen writes into an empty database "
					 "(kam --db NEWDIR gen ...)",
					 kam_entities[i]->name);
	}
	return 0;
}

/* The generated staff include admins, which ends bootstrapping (kam(1)
 * ACCESS): the login running gen becomes an admin staff record (or the
 * generated one with that login is promoted), so the demo stays usable by
 * the person who made it. gen_run() stays a pure function of size and seed. */
static int gen_admin(struct gen_db *d, uint64_t *staff)
{
	return access_make_admin(d->t, store_user(d->st), staff, &d->cause);
}

static void audit_note(struct gen_db *d, const char *scale, uint64_t seed, const struct gen_stats *s)
{
	struct buf b = {0};
	buf_addf(&b, "{\"scale\":\"%s\",\"seed\":%llu", scale, (unsigned long long)seed);
	for (int i = 0; i < ENT__COUNT; i++)
		buf_addf(&b, ",\"%s\":%llu", kam_entities[i]->plural, (unsigned long long)s->n[i]);
	buf_addc(&b, '}');
	store_audit_note(d->t, "gen", b.p);
	buf_free(&b);
}

static void print_summary(struct cli *c, const char *scale, uint64_t seed, const struct gen_stats *s, const char *where)
{
	uint64_t total = 0;
	fprintf(c->out, "generated scale %s, seed %llu, into %s\n", scale, (unsigned long long)seed, where);
	for (int i = 0; i < ENT__COUNT; i++) {
		fprintf(c->out, "  %-16s %10llu\n", kam_entities[i]->plural, (unsigned long long)s->n[i]);
		total += s->n[i];
	}
	fprintf(c->out, "  %-16s %10llu\n", "total", (unsigned long long)total);
	fprintf(c->out,
		"deliberate findings: %llu brand activities on or after their decision date, %llu without "
		"opportunity, %llu key contacts without B owner, %llu links owned by staff who left, %llu stale "
		"key contacts, %llu open opportunities past their decision date\n",
		(unsigned long long)s->brand_after_decision, (unsigned long long)s->brand_without_opp,
		(unsigned long long)s->key_without_b, (unsigned long long)s->owner_left,
		(unsigned long long)s->stale_contacts, (unsigned long long)s->overdue_open);
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void print_speed(const struct gen_stats *s, double secs)
{
	uint64_t total = 0;
	for (int i = 0; i < ENT__COUNT; i++)
		total += s->n[i];
	if (isatty(2))
		fprintf(stderr, "\rkam gen: %llu records in %.2f s (%.0f records/s)\n", (unsigned long long)total, secs,
			secs > 0 ? (double)total / secs : 0.0);
}

static int gen_to_csv(struct cli *c, const struct gen_size *size, const char *scale, uint64_t seed, const char *dir)
{
	struct gen_csv *g;
	struct gen_stats s;
	char *cause = NULL;
	double t0 = now_seconds();
	int rc = gen_csv_open(&g, dir, &cause);
	if (!rc) {
		rc = gen_run(size, seed, gen_csv_emit, g, &s, &cause);
		int rc2 = gen_csv_close(g, rc ? NULL : &cause);
		rc = rc ? rc : rc2;
	}
	if (rc) {
		rc = cli_fail(c, rc, "gen: %s", cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	print_speed(&s, now_seconds() - t0);
	print_summary(c, scale, seed, &s, dir);
	return 0;
}

static int gen_to_db(struct cli *c, const struct gen_size *size, const char *scale, uint64_t seed)
{
	struct gen_db d = {0};
	struct gen_stats s;
	char cmd[96];
	double t0 = now_seconds();
	uint64_t admin = 0;
	int rc = cli_store(c, 1, &d.st);
	if (rc || (rc = cli_access(c, d.st, ACCESS_ADMIN, NULL, "gen")))
		return rc;
	snprintf(cmd, sizeof cmd, "gen --scale %s --seed %llu", scale, (unsigned long long)seed);
	d.command = cmd;
	d.progress = isatty(2);
	if (!(rc = db_begin(&d)) && !(rc = db_check_empty(&d)))
		rc = gen_run(size, seed, db_emit, &d, &s, &d.cause);
	if (!rc)
		rc = gen_admin(&d, &admin);
	if (!rc) {
		audit_note(&d, scale, seed, &s);
		rc = store_commit(d.t, &d.cause);
		d.t = NULL;
	}
	store_abort(d.t);
	if (rc) {
		if (d.progress && d.total >= GEN_PROGRESS)
			fputc('\n', stderr);
		if (d.committed)
			fprintf(stderr,
				"kam: gen stopped after %llu records; the first %llu are committed, "
				"remove the database and run again\n",
				(unsigned long long)d.total, (unsigned long long)d.committed);
		rc = cli_fail(c, rc, "gen: %s", d.cause ? d.cause : kam_strerror(rc));
		free(d.cause);
		return rc;
	}
	print_speed(&s, now_seconds() - t0);
	print_summary(c, scale, seed, &s, c->db_dir);
	fprintf(c->out, "admin: %s (staff %llu), the login that ran gen\n", store_user(d.st),
		(unsigned long long)admin);
	return 0;
}

int cmd_gen(struct cli *c, int argc, char **argv)
{
	const char *scale = NULL, *seed_text = NULL, *csv_dir = NULL;
	for (int i = 1; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--scale", &scale, "gen");
		if (!r)
			r = cli_opt(argc, argv, &i, "--seed", &seed_text, "gen");
		if (!r)
			r = cli_opt(argc, argv, &i, "--csv", &csv_dir, "gen");
		if (r < 0)
			return KAM_EXIT_USAGE;
		if (!r) {
			fprintf(stderr, "kam: gen: unknown argument '%s'\n", argv[i]);
			return cli_usage("gen");
		}
	}
	struct gen_size size;
	if (!scale)
		return cli_usage("gen");
	if (gen_size_parse(scale, &size))
		return cli_fail(c, KAM_EUSAGE, "gen: scale '%s' is not S, M or L", scale);
	int64_t seed = 1;
	if (seed_text && (parse_int64(seed_text, &seed) || seed < 0))
		return cli_fail(c, KAM_EUSAGE, "gen: seed '%s' is not a whole number >= 0", seed_text);
	char up[2] = {(char)(scale[0] & ~0x20), 0};
	if (csv_dir)
		return gen_to_csv(c, &size, up, (uint64_t)seed, csv_dir);
	return gen_to_db(c, &size, up, (uint64_t)seed);
}
