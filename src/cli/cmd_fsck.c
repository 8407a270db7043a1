/* kam fsck [--repair]: indexes, ext ids, audit.record, references and id
 * counters checked against the records (store_fsck). */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/access.h"
#include "kam/err.h"

/* A broken index can produce one line per record: enough to see the pattern. */
#define FSCK_MAX_LINES 1000

struct fsck_out {
	FILE *out;
	uint64_t lines;
};

static void fsck_print(const char *problem, void *arg)
{
	struct fsck_out *o = arg;
	if (o->lines++ < FSCK_MAX_LINES)
		fprintf(o->out, "%s\n", problem);
}

int cmd_fsck(struct cli *c, int argc, char **argv)
{
	int repair = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--repair"))
			return cli_usage("fsck");
		repair = 1;
	}
	struct store *st;
	int rc = cli_store(c, repair, &st);
	if (rc)
		return rc;
	struct fsck_out o = {c->out, 0};
	struct store_fsck_result res;
	char *cause = NULL;
	if (repair && (rc = access_check(st, store_user(st), ACCESS_ADMIN, NULL, &cause))) {
		rc = cli_fail(c, rc, "fsck --repair refused: %s", cause);
		free(cause);
		return rc;
	}
	if ((rc = store_fsck(st, repair, fsck_print, &o, &res, &cause))) {
		rc = cli_fail(c, rc, "fsck failed: %s", cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	if (o.lines > FSCK_MAX_LINES)
		fprintf(c->out, "... and %llu more\n", (unsigned long long)(o.lines - FSCK_MAX_LINES));
	fprintf(c->out, "%llu records, %llu index entries checked: ", (unsigned long long)res.records,
		(unsigned long long)res.entries);
	if (!res.problems) {
		fprintf(c->out, "clean\n");
		return KAM_EXIT_OK;
	}
	fprintf(c->out, "%llu problem%s", (unsigned long long)res.problems, res.problems == 1 ? "" : "s");
	if (res.repaired)
		fprintf(c->out, ", indexes rebuilt from the records");
	if (res.unrepaired)
		fprintf(c->out, "; %llu need a person (dangling references or unreadable records)",
			(unsigned long long)res.unrepaired);
	fprintf(c->out, "\n");
	return repair && !res.unrepaired ? KAM_EXIT_OK : KAM_EXIT_FINDINGS;
}
