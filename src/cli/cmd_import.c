/* kam import [TYPE] FILE... : CSV or JSONL into the database, all or nothing. */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kam/err.h"
#include "kam/io.h"
#include "kam/sync_cli.h"
#include "kam/vcard.h"

struct import_args {
	const struct entity *type;
	enum io_format format;
	struct import_opts opts;
	const char **maps;
	struct import_file *files;
	int nfiles;
};

static int is_file(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0;
}

static int parse_dup(const char *v, enum import_dup *out)
{
	static const char *const names[] = {"update", "skip", "error", NULL};
	int i = enum_index(names, v);
	if (i < 0) {
		fprintf(stderr, "kam: --on-duplicate '%s': use update, skip or error\n", v);
		return -1;
	}
	*out = (enum import_dup)i;
	return 0;
}

static int parse_option(int argc, char **argv, int *i, struct import_args *a)
{
	const char *v;
	int r;
	if ((r = cli_opt(argc, argv, i, "--format", &v, "import")) != 0) {
		if (r < 0)
			return -1;
		a->format = io_format_by_name(v);
		if (a->format == IO_AUTO) {
			fprintf(stderr, "kam: import reads --format csv or jsonl, not '%s'\n", v);
			return -1;
		}
	} else if ((r = cli_opt(argc, argv, i, "--map", &v, "import")) != 0) {
		if (r < 0)
			return -1;
		if (!strchr(v, '=')) {
			fprintf(stderr, "kam: --map '%s': write it as 'Header=field'\n", v);
			return -1;
		}
		a->maps[a->opts.nmaps++] = v;
	} else if ((r = cli_opt(argc, argv, i, "--on-duplicate", &v, "import")) != 0) {
		if (r < 0 || parse_dup(v, &a->opts.on_dup))
			return -1;
	} else if (!strcmp(argv[*i], "--dry-run")) {
		a->opts.dry_run = 1;
	} else {
		fprintf(stderr, "kam: import: unknown option '%s'\n", argv[*i]);
		return -1;
	}
	return 0;
}

static int parse_args(struct cli *c, int argc, char **argv, struct import_args *a)
{
	a->maps = xcalloc((size_t)argc, sizeof *a->maps);
	a->files = xcalloc((size_t)argc, sizeof *a->files);
	a->opts.maps = a->maps;
	for (int i = 1; i < argc; i++) {
		if (argv[i][0] == '-' && argv[i][1]) {
			if (parse_option(argc, argv, &i, a))
				return -1;
		} else if (!a->nfiles && !a->type && entity_by_name(argv[i]) && !is_file(argv[i])) {
			a->type = entity_by_name(argv[i]);
		} else {
			a->files[a->nfiles++] = (struct import_file){argv[i], NULL, IO_AUTO};
		}
	}
	if (a->format == IO_AUTO && c->format_name) /* kam --format jsonl import ... */
		a->format = io_format_by_name(c->format_name);
	if (!a->nfiles) {
		fprintf(stderr, "kam: import needs at least one file\n");
		return -1;
	}
	for (int i = 0; i < a->nfiles; i++) {
		struct import_file *f = &a->files[i];
		f->format = a->format != IO_AUTO ? a->format : io_format_guess(f->path);
		f->e = a->type ? a->type : import_guess_entity(f->path);
		if (!f->e && f->format != IO_JSONL) {
			fprintf(stderr,
				"kam: cannot tell the record type of '%s': give TYPE or name it like accounts.csv\n",
				f->path);
			return -1;
		}
	}
	return 0;
}

static void print_counts(struct cli *c, const struct import_stats *s, int dry_run)
{
	int order[ENT__COUNT], any = 0;
	io_entity_order(order);
	for (int k = 0; k < ENT__COUNT; k++) {
		int i = order[k];
		if (!(s->created[i] + s->updated[i] + s->skipped[i]))
			continue;
		fprintf(c->out, "%s: %llu created, %llu updated, %llu skipped\n", kam_entities[i]->plural,
			(unsigned long long)s->created[i], (unsigned long long)s->updated[i],
			(unsigned long long)s->skipped[i]);
		any = 1;
	}
	if (!any)
		fprintf(c->out, "no records\n");
	if (dry_run)
		fprintf(c->out, "dry run: nothing written\n");
}

/* kam import vcard FILE [--dry-run]: contacts from vCard 3.0/4.0. */
static int import_vcard(struct cli *c, int argc, char **argv)
{
	int dry_run = 0;
	const char *path = NULL;
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--dry-run"))
			dry_run = 1;
		else if (!path)
			path = argv[i];
		else
			return cli_usage("import");
	}
	if (!path)
		return cli_usage("import");
	struct store *st;
	char *cause = NULL;
	int rc = cli_store(c, !dry_run, &st);
	if (rc || (rc = cli_access(c, st, ACCESS_ADMIN, NULL, "import")))
		return rc;
	rc = vcard_import(st, path, dry_run, c->out, &cause);
	if (rc == KAM_EINVAL) {
		fflush(c->out);
		fprintf(stderr, "%s%s", cause ? cause : "", cause && cause[strlen(cause) - 1] != '\n' ? "\n" : "");
		rc = cli_fail(c, rc, "vCard import failed, nothing written");
	} else if (rc) {
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
	}
	free(cause);
	return rc;
}

int cmd_import(struct cli *c, int argc, char **argv)
{
	struct import_args a = {0};
	struct import_stats stats = {0};
	struct store *st;
	char *cause = NULL;
	int rc;
	if (argc > 1 && !strcmp(argv[1], "vcard"))
		return import_vcard(c, argc, argv);
	if (sync_cli_wants(argc, argv))
		return sync_cmd_import(c, argc, argv);
	if (parse_args(c, argc, argv, &a)) {
		rc = cli_usage("import");
		goto out;
	}
	if ((rc = cli_store(c, 1, &st)) || (rc = cli_access(c, st, ACCESS_ADMIN, NULL, "import")))
		goto out;
	rc = import_run(st, a.files, a.nfiles, &a.opts, &stats, &cause);
	if (rc == KAM_EINVAL) {
		fflush(c->out);
		fputs(stats.errors.p ? stats.errors.p : "", stderr);
		rc = cli_fail(c, rc, "import failed: %llu error%s, nothing written", (unsigned long long)stats.nerrors,
			      stats.nerrors == 1 ? "" : "s");
	} else if (rc) {
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
	} else {
		print_counts(c, &stats, a.opts.dry_run);
	}
out:
	free(cause);
	free(a.maps);
	free(a.files);
	import_stats_free(&stats);
	return rc;
}
