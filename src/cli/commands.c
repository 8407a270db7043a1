/* The command table, global options and the helpers every subcommand shares. */
#include "kam/cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"

struct cli_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*exec)(struct cli *c, int argc, char **argv);
};

#define KAM_CMD_ENTRY(name, usage, help) {#name, usage, help, cmd_##name},
static const struct cli_cmd commands[] = {KAM_COMMANDS(KAM_CMD_ENTRY)};
#undef KAM_CMD_ENTRY
#define NCOMMANDS (int)(sizeof commands / sizeof commands[0])

static const struct cli_cmd *command_find(const char *name)
{
	for (int i = 0; i < NCOMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

int cli_usage(const char *cmd)
{
	const struct cli_cmd *k = command_find(cmd);
	if (k)
		fprintf(stderr, "usage: kam %s\n", k->usage);
	else
		fprintf(stderr, "usage: kam [--db DIR] [--config FILE] [--format FMT] COMMAND ...\n");
	return KAM_EXIT_USAGE;
}

int cli_fail(struct cli *c, int err, const char *fmt, ...)
{
	va_list ap;
	fflush(c->out);
	fputs("kam: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return kam_exit_code(err);
}

int cli_opt(int argc, char **argv, int *i, const char *name, const char **value, const char *cmd)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n))
		return 0;
	if (argv[*i][n] == '=') {
		*value = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n])
		return 0;
	if (*i + 1 >= argc) {
		fprintf(stderr, "kam: %s needs a value\n", name);
		cli_usage(cmd);
		return -1;
	}
	*value = argv[++*i];
	return 1;
}

int cli_store(struct cli *c, int write, struct store **out)
{
	if (!c->st) {
		char *cause = NULL;
		unsigned flags = write && !c->read_only ? STORE_CREATE : STORE_RDONLY;
		int rc = store_open(&c->st, c->db_dir, flags, &cause);
		if (rc) {
			int code = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
			free(cause);
			return code;
		}
		/* Every command refuses a login without a role (unmapped, or
		 * staff who left) once an admin is mapped (kam(1) ACCESS). */
		if ((rc = cli_access(c, c->st, ACCESS_READ, NULL, NULL))) {
			store_close(c->st);
			c->st = NULL;
			return rc;
		}
	}
	if (write && c->read_only)
		return cli_fail(c, KAM_ELOCKED, "the database is open read-only (--read-only)");
	*out = c->st;
	return 0;
}

/* --- name resolution --------------------------------------------------------- */

struct name_match {
	const char *folded;
	size_t want_len;
	uint64_t exact, first;
	int nexact, nprefix;
	struct buf names;
};

static int collect_match(const struct record *r, void *arg)
{
	struct name_match *m = arg;
	char *f = text_fold(record_name(r));
	if (!strcmp(f, m->folded)) {
		m->exact = r->id;
		m->nexact++;
	}
	if (!strncmp(f, m->folded, m->want_len)) {
		if (!m->nprefix++)
			m->first = r->id;
		if (m->nprefix <= 5)
			buf_addf(&m->names, "%s%s #%llu", m->nprefix > 1 ? ", " : "", record_name(r),
				 (unsigned long long)r->id);
	}
	free(f);
	return m->nprefix > 50; /* enough to call it ambiguous */
}

static int has_index(const struct entity *e, const char *name)
{
	for (int i = 0; i < e->nindexes; i++)
		if (!strcmp(e->indexes[i].name, name))
			return 1;
	return 0;
}

int cli_resolve(struct cli *c, struct txn *t, const struct entity *e, const char *ref, uint64_t *id, char **cause)
{
	const char *digits = ref[0] == '#' ? ref + 1 : ref;
	int64_t n;
	if (*digits && parse_int64(digits, &n) == 0 && n > 0) {
		struct record *r;
		int rc = store_get(t, e, (uint64_t)n, &r);
		if (rc)
			return set_cause(cause, rc, "no %s with id %lld", e->name, (long long)n);
		record_free(r);
		*id = (uint64_t)n;
		return 0;
	}
	if (e->name_field < 0)
		return set_cause(cause, KAM_EINVAL, "%s records have no name: give an id", e->name);
	struct name_match m = {0};
	char *folded = text_fold(ref);
	m.folded = folded;
	m.want_len = strlen(folded);
	if (has_index(e, "name")) {
		struct value v = {.s = folded, .set = 1};
		store_index_scan(t, e, "name", &v, 1, collect_match, &m);
	} else {
		store_scan(t, e, collect_match, &m);
	}
	int rc = 0;
	if (m.nexact == 1 || (m.nexact == 0 && m.nprefix == 1))
		*id = m.nexact ? m.exact : m.first;
	else if (m.nexact + m.nprefix == 0)
		rc = set_cause(cause, KAM_ENOTFOUND, "no %s named '%s'", e->name, ref);
	else
		rc = set_cause(cause, KAM_EINVAL, "'%s' matches several %s: %s%s", ref, e->plural, m.names.p,
			       m.nprefix > 5 ? ", ..." : "");
	free(folded);
	buf_free(&m.names);
	return rc;
}

/* --- global options and dispatch --------------------------------------------- */

static int print_help(void)
{
	printf("kam %s -- key-account management workstation\n\n", KAM_VERSION);
	printf("usage: kam [--db DIR] [--config FILE] [--format table|json|csv|tsv] [--read-only] [COMMAND ...]\n\n");
	printf("Without a command kam opens the workstation (TUI).\n\nCommands:\n");
	for (int i = 0; i < NCOMMANDS; i++)
		printf("  %-8s %s\n", commands[i].name, commands[i].help);
	printf("\nDatabase: --db DIR > $KAM_DB > $XDG_DATA_HOME/kam (~/.local/share/kam).\n");
	printf("Exit codes: 0 ok, 1 findings, 2 usage, 3 bad input or permission denied, 4 conflict or lock,\n"
	       "5 internal error.\n");
	printf("See kam(1) and kam.yaml(5).\n");
	return 0;
}

int cmd_help(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return print_help();
	const struct cli_cmd *k = command_find(argv[1]);
	if (!k)
		return cli_fail(c, KAM_EUSAGE, "unknown command '%s' (see kam help)", argv[1]);
	printf("usage: kam %s\n%s\n", k->usage, k->help);
	return 0;
}

static int parse_format(struct cli *c, const char *name)
{
	static const char *const names[] = {"table", "json", "csv", "tsv", "jsonl", NULL};
	int i = enum_index(names, name);
	if (i < 0) {
		fprintf(stderr, "kam: unknown format '%s' (table, json, csv, tsv)\n", name);
		return -1;
	}
	c->format = i == 4 ? FMT_JSON : (enum out_format)i;
	c->format_name = name;
	return 0;
}

static char *default_db_dir(void)
{
	const char *env = getenv("KAM_DB");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	if (xdg && *xdg)
		return xasprintf("%s/kam", xdg);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/kam", home ? home : ".");
}

/* Global options may stand anywhere before "--"; they are removed from argv.
 * --format stays visible to import/export, which take csv|jsonl. */
static int parse_globals(struct cli *c, int *argc, char **argv, char **db_owned)
{
	int out = 0, sub = 0;
	for (int i = 0; i < *argc; i++) {
		const char *v = NULL;
		int r;
		if (!strcmp(argv[i], "--")) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if ((r = cli_opt(*argc, argv, &i, "--db", &v, "")) != 0) {
			if (r < 0)
				return -1;
			free(*db_owned);
			*db_owned = xstrdup(v);
		} else if ((r = cli_opt(*argc, argv, &i, "--config", &v, "")) != 0) {
			if (r < 0)
				return -1;
			c->config_path = v;
		} else if ((r = cli_opt(*argc, argv, &i, "--format", &v, "")) != 0) {
			if (r < 0 || parse_format(c, v))
				return -1;
			if (sub && (!strcmp(argv[0], "import") || !strcmp(argv[0], "export"))) {
				argv[out++] = (char *)"--format";
				argv[out++] = (char *)v;
			}
		} else if (!strcmp(argv[i], "--read-only")) {
			c->read_only = 1;
		} else if (!strcmp(argv[i], "--raw")) {
			c->raw = 1;
		} else {
			argv[out++] = argv[i];
			sub = 1;
		}
	}
	*argc = out;
	return 0;
}

int cli_main(int argc, char **argv, int (*tui)(struct cli *c))
{
	struct cli c = {.out = stdout, .format = FMT_TABLE};
	char *db = NULL;
	argc--, argv++;
	if (parse_globals(&c, &argc, argv, &db)) {
		free(db);
		return KAM_EXIT_USAGE;
	}
	if (!db)
		db = default_db_dir();
	c.db_dir = db;
	int rc;
	if (argc == 0) {
		rc = cli_store(&c, !c.read_only, &c.st);
		if (!rc)
			rc = tui(&c);
	} else if (!strcmp(argv[0], "--version") || !strcmp(argv[0], "-V")) {
		printf("kam %s\n", KAM_VERSION);
		rc = 0;
	} else if (!strcmp(argv[0], "--help") || !strcmp(argv[0], "-h")) {
		rc = print_help();
	} else {
		const struct cli_cmd *k = command_find(argv[0]);
		if (!k) {
			const char *names[64];
			int n = 0;
			for (; n < NCOMMANDS && n < 63; n++)
				names[n] = commands[n].name;
			names[n] = NULL;
			const char *near = nearest_word(argv[0], names);
			fprintf(stderr, "kam: unknown command '%s'%s%s%s (see kam help)\n", argv[0],
				near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
			rc = KAM_EXIT_USAGE;
		} else {
			rc = k->exec(&c, argc, argv);
		}
	}
	fflush(stdout);
	if (c.st)
		store_close(c.st);
	free(db);
	return rc;
}
