/* kam export --changes / kam import --changes: branch-office sync. */
#include "kam/sync_cli.h"

#include <errno.h>
#include <sys/stat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/sync.h"

int sync_cli_wants(int argc, char **argv)
{
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--changes"))
			return 1;
	return 0;
}

static int set_site(struct cli *c, struct store *st, const char *site)
{
	struct txn *t;
	char *cause = NULL;
	uint64_t origin = 0;
	int named = 0, rc = store_begin(st, 1, &t);
	if (!rc && !(rc = sync_set_site(t, site, &named, &origin, &cause)))
		rc = store_commit(t, &cause);
	else
		store_abort(t);
	if (!rc && named)
		fprintf(stderr,
			"kam: this database is now site '%s'; it was copied at mark %llu: export with --since %llu or "
			"later at both sites\n",
			site, (unsigned long long)origin, (unsigned long long)origin);
	if (rc)
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
	free(cause);
	return rc;
}

/* Without --since: name the site (with --site) and print the marks. */
static int show_marks(struct cli *c, const char *site)
{
	struct store *st;
	struct txn *t;
	char *name = NULL;
	uint64_t last = 0, origin = 0;
	int rc = cli_store(c, site != NULL, &st);
	if (rc || (site && ((rc = cli_access(c, st, ACCESS_ADMIN, NULL, "export --changes --site")) ||
			    (rc = set_site(c, st, site)))))
		return rc;
	if ((rc = store_begin(st, 0, &t)))
		return cli_fail(c, rc, "cannot read the database: %s", kam_strerror(rc));
	if (!(rc = sync_site(t, &name)) && !(rc = sync_marks(t, &last, &origin))) {
		fprintf(c->out, "site %s, mark %llu", name, (unsigned long long)last);
		if (origin)
			fprintf(c->out, " (a copy made at mark %llu)", (unsigned long long)origin);
		fputc('\n', c->out);
	}
	store_abort(t);
	free(name);
	return rc ? cli_fail(c, rc, "cannot read the audit log: %s", kam_strerror(rc)) : 0;
}

/* -o FILE: a regular file is written as FILE.tmp (*tmp) and renamed when
 * complete, so a cut-off export never looks complete; a device or pipe
 * (/dev/stdout, /dev/null) is written in place, since renaming over it would
 * replace it. */
static FILE *open_output(const char *out, char **tmp)
{
	struct stat sb;
	*tmp = NULL;
	if (stat(out, &sb) == 0 && !S_ISREG(sb.st_mode))
		return fopen(out, "w");
	*tmp = xasprintf("%s.tmp", out);
	return fopen(*tmp, "w");
}

/* kam export --changes --since MARK [--site NAME] [-o FILE]. */
int sync_cmd_export(struct cli *c, int argc, char **argv)
{
	const char *since_s = NULL, *out = NULL, *site = NULL, *v;
	for (int i = 1; i < argc; i++) {
		int r;
		if (!strcmp(argv[i], "--changes"))
			continue;
		if ((r = cli_opt(argc, argv, &i, "--since", &v, "export")) != 0)
			since_s = v;
		else if ((r = cli_opt(argc, argv, &i, "-o", &v, "export")) != 0)
			out = v;
		else if ((r = cli_opt(argc, argv, &i, "--site", &v, "export")) != 0)
			site = v;
		else {
			fprintf(stderr, "kam: export --changes: unexpected '%s'\n", argv[i]);
			r = -1;
		}
		if (r < 0)
			return cli_usage("export");
	}
	if (!since_s)
		return show_marks(c, site);
	int64_t since;
	if (parse_int64(since_s, &since) || since < 0) {
		fprintf(stderr, "kam: --since '%s': a mark is a number (0 for everything)\n", since_s);
		return cli_usage("export");
	}
	struct store *st;
	struct sync_export_stats s;
	char *cause = NULL, *tmp = NULL;
	/* A change file holds every field, sensitive ones included. */
	int rc = cli_store(c, site != NULL, &st);
	if (rc || (rc = cli_access(c, st, ACCESS_ADMIN, NULL, "export --changes")) ||
	    (site && (rc = set_site(c, st, site))))
		return rc;
	FILE *f = c->out;
	if (out && !(f = open_output(out, &tmp))) {
		rc = cli_fail(c, KAM_EINVAL, "cannot write '%s': %s", tmp ? tmp : out, strerror(errno));
		free(tmp);
		return rc;
	}
	rc = sync_export(st, (uint64_t)since, f, &s, &cause);
	int werr = f == c->out ? fflush(f) : fclose(f);
	if (werr && !rc)
		rc = set_cause(&cause, KAM_ESTORE, "cannot write '%s': %s",
			       tmp   ? tmp
			       : out ? out
				     : "output",
			       strerror(errno));
	if (tmp && !rc && rename(tmp, out))
		rc = set_cause(&cause, KAM_ESTORE, "cannot rename '%s': %s", tmp, strerror(errno));
	if (tmp && rc)
		remove(tmp);
	free(tmp);
	if (rc) {
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	if (s.bulk_lines)
		fprintf(stderr,
			"kam: warning: %llu bulk import(s) after mark %llu have no per-record audit lines and are "
			"not in the change file: run the same kam import at the other site\n",
			(unsigned long long)s.bulk_lines, (unsigned long long)s.since);
	fprintf(stderr, "kam: %llu changed, %llu deleted since mark %llu; next time use --since %llu\n",
		(unsigned long long)s.puts, (unsigned long long)s.rms, (unsigned long long)s.since,
		(unsigned long long)s.mark);
	return 0;
}

static void print_counts(struct cli *c, const struct sync_import_stats *s, int dry_run)
{
	int any = 0;
	for (int i = 0; i < ENT__COUNT; i++) {
		if (!(s->created[i] + s->updated[i] + s->deleted[i] + s->unchanged[i]))
			continue;
		fprintf(c->out, "%s: %llu created, %llu updated, %llu deleted, %llu unchanged\n",
			kam_entities[i]->plural, (unsigned long long)s->created[i], (unsigned long long)s->updated[i],
			(unsigned long long)s->deleted[i], (unsigned long long)s->unchanged[i]);
		any = 1;
	}
	if (!any)
		fprintf(c->out, "no changes\n");
	if (dry_run)
		fprintf(c->out, "dry run: nothing written\n");
}

/* kam import --changes FILE [--site NAME] [--on-conflict refuse|keep-local] [--dry-run] */
int sync_cmd_import(struct cli *c, int argc, char **argv)
{
	const char *path = NULL, *site = NULL, *v;
	enum sync_conflicts policy = SYNC_REFUSE;
	int dry_run = 0;
	for (int i = 1; i < argc; i++) {
		int r = 0;
		if (!strcmp(argv[i], "--changes")) {
			if (i + 1 < argc && argv[i + 1][0] != '-') {
				if (path) {
					fprintf(stderr, "kam: import --changes reads one file\n");
					r = -1;
				}
				path = argv[++i];
			}
		} else if (!strcmp(argv[i], "--dry-run")) {
			dry_run = 1;
		} else if ((r = cli_opt(argc, argv, &i, "--site", &v, "import")) != 0) {
			site = v;
		} else if ((r = cli_opt(argc, argv, &i, "--on-conflict", &v, "import")) != 0) {
			if (r > 0 && !strcmp(v, "keep-local"))
				policy = SYNC_KEEP_LOCAL;
			else if (r > 0 && strcmp(v, "refuse")) {
				fprintf(stderr, "kam: --on-conflict '%s': use refuse or keep-local\n", v);
				r = -1;
			}
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else if (argv[i][0] != '-') {
			fprintf(stderr, "kam: import --changes reads one file\n");
			r = -1;
		} else {
			fprintf(stderr, "kam: import --changes: unexpected '%s'\n", argv[i]);
			r = -1;
		}
		if (r < 0)
			return cli_usage("import");
	}
	if (!path) {
		fprintf(stderr, "kam: import --changes needs a change FILE\n");
		return cli_usage("import");
	}
	struct store *st;
	struct sync_import_stats s;
	char *cause = NULL;
	int rc = cli_store(c, 1, &st);
	if (rc || (rc = cli_access(c, st, ACCESS_ADMIN, NULL, "import --changes")))
		return rc;
	rc = sync_import(st, path, site, policy, dry_run, &s, &cause);
	fflush(c->out);
	if (rc == KAM_EINVAL && s.nerrors) {
		fputs(s.errors.p, stderr);
		rc = cli_fail(c, rc, "import --changes failed: %llu error%s, nothing written",
			      (unsigned long long)s.nerrors, s.nerrors == 1 ? "" : "s");
	} else if (rc == KAM_ECONFLICT) {
		fputs(s.conflicts.p, c->out);
		fflush(c->out);
		rc = cli_fail(c, rc,
			      "%llu conflict%s: nothing written; resolve them (see kam(1), CONFLICTS) or apply the "
			      "rest with --on-conflict keep-local",
			      (unsigned long long)s.nconflicts, s.nconflicts == 1 ? "" : "s");
	} else if (rc) {
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
	} else {
		if (s.nconflicts) {
			fputs(s.conflicts.p, c->out);
			fprintf(c->out, "%llu conflict%s kept the local record\n", (unsigned long long)s.nconflicts,
				s.nconflicts == 1 ? "" : "s");
		}
		print_counts(c, &s, dry_run);
	}
	free(cause);
	sync_import_stats_free(&s);
	return rc;
}
