/* In-process timings of kam's heavy operations on a database, without
 * process start-up and output: rescoring every account (metrics included),
 * the agenda (whole database and one KAM's), the pipeline report, the
 * checks the agenda counts, and the metrics alone, from the account facts
 * and by the scanning fallback. Best of ROUNDS runs, so that other load on the
 * machine counts as little as possible; the CPU time beside the wall-clock
 * time is what the operation itself spent.
 * usage: bench_core KAMDB [ROUNDS [OP]]  (OP: 0-6, only that operation) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/agenda.h"
#include "kam/checks.h"
#include "kam/report.h"
#include "kam/rules.h"
#include "kam/store.h"

static double now_on(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void die(const char *what, char *cause)
{
	fprintf(stderr, "bench_core: %s: %s\n", what, cause ? cause : "");
	exit(1);
}

enum op { OP_SCORE, OP_AGENDA, OP_AGENDA_KAM, OP_PIPELINE, OP_CHECKS, OP_METRICS_FACTS, OP_METRICS_SCAN, OP__COUNT };
static const char *const op_names[OP__COUNT] = {
    "score --all (rescoring, metrics included)", "agenda (whole database)", "agenda --staff (one KAM)",
    "report pipeline", "check (all checks, what agenda counts)", "metrics from the account facts",
    "metrics by scanning the tables (fallback)"};

static size_t run(enum op op, struct store *st, const struct kam_config *cfg, uint64_t staff, int64_t today)
{
	char *cause = NULL;
	size_t n = 0;
	if (op == OP_SCORE) {
		struct score_set *s;
		if (rules_score_all(st, cfg, &s, &cause))
			die("score", cause);
		n = s->n;
		score_set_free(s);
	} else if (op == OP_METRICS_FACTS || op == OP_METRICS_SCAN) {
		struct metric_set *m;
		if (metrics_compute_from(st, cfg, conf_plan_year(cfg), today ? today : date_today(),
					 op == OP_METRICS_FACTS ? METRICS_FACTS : METRICS_SCAN, &m, &cause))
			die("metrics", cause);
		n = m->max_id;
		metrics_free(m);
	} else if (op == OP_AGENDA || op == OP_AGENDA_KAM) {
		struct agenda a;
		struct agenda_opts o = {30, op == OP_AGENDA_KAM ? staff : 0, today};
		if (agenda_build(st, cfg, &o, &a, &cause))
			die("agenda", cause);
		n = a.n;
		agenda_free(&a);
	} else if (op == OP_PIPELINE) {
		struct report *r;
		struct report_opts o = {conf_plan_year(cfg), NULL, 0, today, cfg};
		if (report_run(st, "pipeline", &o, &r, &cause))
			die("report", cause);
		n = r->nrows;
		report_free(r);
	} else {
		struct finding *f;
		struct check_filter cf = {0, -1, today};
		if (checks_run(st, cfg, &cf, &f, &n, &cause))
			die("check", cause);
		checks_free(f, n);
	}
	return n;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		die("usage", "bench_core KAMDB [ROUNDS]");
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	struct store *st;
	struct kam_config *cfg;
	char *cause = NULL;
	if (store_open(&st, argv[1], STORE_RDONLY, &cause))
		die("open", cause);
	if (conf_load_defaults(&cfg, &cause))
		die("config", cause);
	const char *td = getenv("KAM_TODAY");
	int64_t today = td && strlen(td) == 10 ? atoll(td) * 10000 + atoll(td + 5) * 100 + atoll(td + 8) : 0;
	/* The busiest KAM: the staff who is kam of account 1. */
	struct txn *t;
	struct record *a = NULL;
	uint64_t staff = 1;
	if (!store_begin(st, 0, &t) && !store_get(t, ENTITY(account), 1, &a) && a->v[ACCOUNT_KAM].set)
		staff = (uint64_t)a->v[ACCOUNT_KAM].i;
	record_free(a);
	store_abort(t);
	int only = argc > 3 ? atoi(argv[3]) : -1;
	for (int op = 0; op < OP__COUNT; op++) {
		if (only >= 0 && op != only)
			continue;
		double best = 1e9, best_cpu = 1e9;
		size_t n = 0;
		for (int i = 0; i < rounds; i++) {
			double t0 = now_on(CLOCK_MONOTONIC), c0 = now_on(CLOCK_PROCESS_CPUTIME_ID);
			n = run((enum op)op, st, cfg, staff, today);
			double dt = now_on(CLOCK_MONOTONIC) - t0, dc = now_on(CLOCK_PROCESS_CPUTIME_ID) - c0;
			if (dt < best)
				best = dt;
			if (dc < best_cpu)
				best_cpu = dc;
		}
		printf("%-44s %8.1f ms  (cpu %.1f ms; %zu rows, best of %d)\n", op_names[op], best * 1e3,
		       best_cpu * 1e3, n, rounds);
	}
	conf_free(cfg);
	store_close(st);
	return 0;
}
