#ifndef KAM_CLI_H
#define KAM_CLI_H

#include <stdio.h>

#include "kam/access.h"
#include "kam/model.h"
#include "kam/store.h"

/* The non-interactive command line. Each subcommand is one entry in
 * src/cli/commands.def and one function `int cmd_NAME(struct cli *, int argc,
 * char **argv)` returning an exit code (enum kam_exit). argv[0] is the
 * subcommand name; global options are already consumed. */

enum out_format { FMT_TABLE, FMT_JSON, FMT_CSV, FMT_TSV };

struct cli {
	const char *db_dir;      /* resolved: --db > $KAM_DB > $XDG_DATA_HOME/kam */
	const char *config_path; /* --config or NULL (discovery happens in conf/) */
	enum out_format format;
	const char *format_name; /* --format as given (import/export also take jsonl), or NULL */
	int read_only;
	int raw; /* --raw: no CSV formula protection */
	FILE *out;
	struct store *st; /* opened by cli_store() */
};

/* Parse global options and run a subcommand; with none, open the database
 * and call tui (main.c links the TUI, the library does not). Returns the exit code. */
int cli_main(int argc, char **argv, int (*tui)(struct cli *c));

/* Open the database (once). write: need write access. Prints the error and
 * returns an exit code != 0 on failure. */
int cli_store(struct cli *c, int write, struct store **out);
/* "kam: message" on stderr; returns kam_exit_code(err). */
int cli_fail(struct cli *c, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int cli_usage(const char *cmd); /* prints usage of cmd to stderr, returns KAM_EXIT_USAGE */
/* Option helper: if argv[*i] is `name VALUE` or `name=VALUE`, store VALUE,
 * advance *i past it and return 1; a missing VALUE prints usage of cmd and
 * returns -1; otherwise 0. */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **value, const char *cmd);
/* Resolve "123" or a name (exact, then unique fold-prefix) to an id. */
int cli_resolve(struct cli *c, struct txn *t, const struct entity *e, const char *ref, uint64_t *id, char **cause);

/* Roles (src/cli/cli_access.c): 0 when the invoking login may do op on r
 * (see access_check); otherwise prints "kam: permission denied: [WHAT: ]why"
 * and returns the exit code (3: nothing was written). */
int cli_access(struct cli *c, struct store *st, enum access_op op, const struct record *r, const char *what);
/* 1 when the invoking login sees sensitive fields (not a viewer). */
int cli_sees_sensitive(struct cli *c, struct store *st);

/* One table writer for every listing: width-aligned CJK table, JSON lines,
 * CSV or TSV, per c->format. Right-aligned columns for numbers. */
struct table;
struct table *table_new(int ncols, const char *const *headers, const unsigned char *right_align);
void table_add_row(struct table *t, const char *const *cells);
void table_print(struct table *t, struct cli *c);
void table_free(struct table *t);

#define KAM_CMD_DECL(name, usage, help) int cmd_##name(struct cli *c, int argc, char **argv);
#include "kam/commands.def"
KAM_COMMANDS(KAM_CMD_DECL)
#undef KAM_CMD_DECL

#endif
