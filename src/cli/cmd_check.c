/* kam check [--account A] [--check NAME] [--list]
 * Runs the checks enabled in kam.yaml's `checks:` section; exits 1 when a
 * finding has error severity, 0 otherwise (warnings and info only). */
#include "kam/checks.h"

#include <stdlib.h>
#include <string.h>

#include "kam/cli.h"
#include "kam/err.h"

/* Every check with its configured state and severity. */
static int list_checks(struct cli *c, const struct kam_config *cfg)
{
	static const char *const hdr[] = {"check", "state", "severity", "description"};
	struct table *t = table_new(4, hdr, NULL);
	for (int i = 0; i < CHK__COUNT; i++) {
		const struct conf_check *s = &cfg->checks.state[i];
		const char *row[] = {check_defs[i].name, s->enabled > 0 ? "on" : "off",
				     check_severity_name((enum check_severity)s->severity), check_defs[i].help};
		table_add_row(t, row);
	}
	table_print(t, c);
	table_free(t);
	return KAM_EXIT_OK;
}

static void print_findings(struct cli *c, const struct finding *v, size_t n)
{
	static const char *const hdr[] = {"severity", "check", "account", "record", "name", "finding"};
	struct table *t = table_new(6, hdr, NULL);
	for (size_t i = 0; i < n; i++) {
		char acc[24], rec[48];
		snprintf(acc, sizeof acc, "%llu", (unsigned long long)v[i].account);
		snprintf(rec, sizeof rec, "%s:%llu", v[i].ent->name, (unsigned long long)v[i].id);
		const char *row[] = {
		    check_severity_name(v[i].severity), check_defs[v[i].check].name, acc, rec, v[i].name, v[i].msg};
		table_add_row(t, row);
	}
	table_print(t, c);
	table_free(t);
}

static int load_config(struct cli *c, struct kam_config **cfg)
{
	char *cause = NULL;
	if (conf_load(c->config_path, cfg, &cause) < 0) {
		fprintf(stderr, "%s%s", cause ? cause : "kam: cannot load the configuration",
			cause && *cause && cause[strlen(cause) - 1] == '\n' ? "" : "\n");
		free(cause);
		conf_free(*cfg);
		*cfg = NULL;
		return KAM_EXIT_INPUT;
	}
	return KAM_EXIT_OK;
}

static int resolve_account(struct cli *c, const char *name, uint64_t *id)
{
	struct txn *t;
	char *cause = NULL;
	int r = store_begin(c->st, 0, &t);
	if (!r)
		r = cli_resolve(c, t, ENTITY(account), name, id, &cause);
	store_abort(t);
	if (r < 0) {
		int rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	return 0;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
	const char *account = NULL, *check = NULL;
	int list = 0;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--account", &account, "check")) ||
		    (r = cli_opt(argc, argv, &i, "--check", &check, "check"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
		} else if (strcmp(argv[i], "--list") == 0) {
			list = 1;
		} else {
			return cli_usage("check");
		}
	}
	struct kam_config *cfg = NULL;
	int rc;
	if (list) {
		if ((rc = load_config(c, &cfg)))
			return rc;
		rc = list_checks(c, cfg);
		conf_free(cfg);
		return rc;
	}
	struct check_filter f = {0, -1, 0, 0};
	if (check && (f.check = check_lookup(check)) < 0) {
		const char *names[CHK__COUNT + 1];
		for (int i = 0; i < CHK__COUNT; i++)
			names[i] = check_defs[i].name;
		names[CHK__COUNT] = NULL;
		const char *near = nearest_word(check, names);
		return cli_fail(c, KAM_EUSAGE, "unknown check '%s'%s%s%s; kam check --list shows them", check,
				near ? " (did you mean '" : "", near ? near : "", near ? "'?)" : "");
	}
	if ((rc = load_config(c, &cfg)))
		return rc;
	if (f.check >= 0 && cfg->checks.state[f.check].enabled <= 0) {
		/* Asked for by name but switched off: say so rather than print an
		 * empty table that reads as "no findings". Not an error: exit 0. */
		fprintf(stderr, "kam: check '%s' is disabled (checks.%s.enabled: false in the configuration)\n", check,
			check);
		conf_free(cfg);
		return KAM_EXIT_OK;
	}
	struct store *st;
	if ((rc = cli_store(c, 0, &st)) || (account && (rc = resolve_account(c, account, &f.account)))) {
		conf_free(cfg);
		return rc;
	}
	struct finding *v = NULL;
	size_t n = 0;
	char *cause = NULL;
	int r = checks_run(st, cfg, &f, &v, &n, &cause);
	conf_free(cfg);
	if (r < 0) {
		rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	print_findings(c, v, n);
	int errors = 0;
	for (size_t i = 0; i < n; i++)
		errors += v[i].severity == SEV_ERROR;
	checks_free(v, n);
	return errors ? KAM_EXIT_FINDINGS : KAM_EXIT_OK;
}
