/* kam export TYPE|--all : records as CSV or JSONL, in id order. */
#include "kam/cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kam/err.h"
#include "kam/ical.h"
#include "kam/io.h"
#include "kam/sync_cli.h"

struct export_args {
	const struct entity *e;
	int all;
	enum io_format format;
	unsigned flags;
	const char *out;
};

static int parse_args(struct cli *c, int argc, char **argv, struct export_args *a)
{
	for (int i = 1; i < argc; i++) {
		const char *v;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--format", &v, "export")) != 0) {
			if (r < 0)
				return -1;
			if ((a->format = io_format_by_name(v)) == IO_AUTO) {
				fprintf(stderr, "kam: export writes --format csv or jsonl, not '%s'\n", v);
				return -1;
			}
		} else if ((r = cli_opt(argc, argv, &i, "-o", &v, "export")) != 0) {
			if (r < 0)
				return -1;
			a->out = v;
		} else if (!strcmp(argv[i], "--all")) {
			a->all = 1;
		} else if (!strcmp(argv[i], "--raw")) {
			a->flags |= EXPORT_RAW;
		} else if (!strcmp(argv[i], "--include-sensitive")) {
			a->flags |= EXPORT_SENSITIVE;
		} else if (argv[i][0] != '-' && !a->e && (a->e = entity_by_name(argv[i])) != NULL) {
			continue;
		} else {
			fprintf(stderr, "kam: export: unexpected '%s'\n", argv[i]);
			return -1;
		}
	}
	if (c->raw)
		a->flags |= EXPORT_RAW;
	if (a->format == IO_AUTO && c->format_name) /* kam --format jsonl export ... */
		a->format = io_format_by_name(c->format_name);
	if (!a->all == !a->e) {
		fprintf(stderr, "kam: export needs a record type or --all\n");
		return -1;
	}
	if (a->format == IO_AUTO)
		a->format = a->out && !a->all ? io_format_guess(a->out) : IO_AUTO;
	if (a->format == IO_AUTO)
		a->format = a->all ? IO_JSONL : IO_CSV;
	if (a->all && a->format == IO_CSV && !a->out) {
		fprintf(stderr, "kam: export --all --format csv writes one file per type: give -o DIR\n");
		return -1;
	}
	return 0;
}

static FILE *open_out(struct cli *c, const char *path, int *code)
{
	if (!path)
		return c->out;
	FILE *f = fopen(path, "w");
	if (!f)
		*code = cli_fail(c, KAM_EINVAL, "cannot write '%s': %s", path, strerror(errno));
	return f;
}

static int close_out(struct cli *c, FILE *f, const char *path)
{
	if (f == c->out)
		return fflush(f) ? cli_fail(c, KAM_ESTORE, "cannot write: %s", strerror(errno)) : 0;
	if (fclose(f))
		return cli_fail(c, KAM_ESTORE, "cannot write '%s': %s", path, strerror(errno));
	return 0;
}

/* One stream: one type, or every type tagged with "entity" (JSONL). */
static int export_stream(struct cli *c, struct txn *t, const struct export_args *a)
{
	int code = 0, order[ENT__COUNT];
	char *cause = NULL;
	FILE *f = open_out(c, a->out, &code);
	if (!f)
		return code;
	io_entity_order(order);
	for (int k = 0; k < ENT__COUNT && !code; k++) {
		const struct entity *e = a->all ? kam_entities[order[k]] : a->e;
		int rc = export_entity(t, e, a->format, a->flags | (a->all ? EXPORT_TAGGED : 0), f, &cause);
		if (rc)
			code = cli_fail(c, rc, "%s", cause);
		if (!a->all)
			break;
	}
	free(cause);
	int rc = close_out(c, f, a->out);
	return code ? code : rc;
}

/* --all as CSV: DIR/accounts.csv, DIR/contacts.csv ... */
static int export_dir(struct cli *c, struct txn *t, const struct export_args *a)
{
	if (mkdir(a->out, 0777) && errno != EEXIST)
		return cli_fail(c, KAM_EINVAL, "cannot create '%s': %s", a->out, strerror(errno));
	int order[ENT__COUNT], code = 0;
	io_entity_order(order);
	for (int k = 0; k < ENT__COUNT && !code; k++) {
		const struct entity *e = kam_entities[order[k]];
		char *path = xasprintf("%s/%s.csv", a->out, e->plural), *cause = NULL;
		FILE *f = open_out(c, path, &code);
		if (f) {
			int rc = export_entity(t, e, IO_CSV, a->flags, f, &cause);
			if (rc)
				code = cli_fail(c, rc, "%s", cause);
			rc = close_out(c, f, path);
			code = code ? code : rc;
		}
		free(cause);
		free(path);
	}
	return code;
}

/* kam export ical [--since DATE]: activities and decision dates, RFC 5545. */
static int export_ical(struct cli *c, int argc, char **argv)
{
	int64_t since = 0;
	const char *v;
	for (int i = 2; i < argc; i++) {
		int r = cli_opt(argc, argv, &i, "--since", &v, "export");
		if (r <= 0 || parse_date(v, &since))
			return cli_usage("export");
	}
	struct store *st;
	char *cause = NULL;
	int rc = cli_store(c, 0, &st);
	if (rc)
		return rc;
	if ((rc = ical_write_activities(st, c->out, since, &cause)))
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
	free(cause);
	return rc;
}

int cmd_export(struct cli *c, int argc, char **argv)
{
	struct export_args a = {0};
	struct store *st;
	struct txn *t;
	int rc;
	if (argc > 1 && !strcmp(argv[1], "ical"))
		return export_ical(c, argc, argv);
	if (sync_cli_wants(argc, argv))
		return sync_cmd_export(c, argc, argv);
	if (parse_args(c, argc, argv, &a))
		return cli_usage("export");
	if ((rc = cli_store(c, 0, &st)))
		return rc;
	if ((a.flags & EXPORT_SENSITIVE) && (rc = cli_access(c, st, ACCESS_ADMIN, NULL, "export --include-sensitive")))
		return rc;
	if ((rc = store_begin(st, 0, &t)))
		return cli_fail(c, rc, "cannot read the database: %s", kam_strerror(rc));
	rc = a.all && a.format == IO_CSV ? export_dir(c, t, &a) : export_stream(c, t, &a);
	store_abort(t);
	return rc;
}
