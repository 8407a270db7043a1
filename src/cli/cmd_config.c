/* kam config check [FILE] | show | path */
#include "kam/cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/conf.h"
#include "kam/err.h"

/* Loader errors come formatted (positions, source line, caret); a file that
 * cannot be read gives a one-line cause. */
static void print_cause(const char *cause)
{
	if (!cause || !*cause)
		fputs("kam: cannot load the configuration\n", stderr);
	else if (cause[strlen(cause) - 1] == '\n')
		fputs(cause, stderr);
	else
		fprintf(stderr, "kam: %s\n", cause);
}

/* Print the loader's errors (already formatted with positions and carets). */
static int report_errors(struct cli *c, char *cause)
{
	fflush(c->out);
	print_cause(cause);
	free(cause);
	return KAM_EXIT_INPUT;
}

static int config_check(struct cli *c, const char *file)
{
	char *cause = NULL;
	struct kam_config *cfg = NULL;
	char *path = file ? xstrdup(file) : conf_discover(c->config_path);
	int r = path ? conf_load_file(path, &cfg, &cause) : conf_load_defaults(&cfg, &cause);
	if (r < 0) {
		int n = 0;
		for (const char *p = cause ? cause : ""; (p = strstr(p, ": error: ")) != NULL; p++)
			n++;
		fflush(c->out);
		print_cause(cause);
		if (n)
			fprintf(stderr, "%s: %d error%s\n", path ? path : "<built-in>", n, n == 1 ? "" : "s");
		free(cause);
		free(path);
		return KAM_EXIT_INPUT;
	}
	fprintf(c->out, "%s: ok (%d criteria, %d tiers)\n", path ? path : "<built-in>", cfg->criteria.n, cfg->tiers.n);
	conf_free(cfg);
	free(path);
	return KAM_EXIT_OK;
}

static int config_show(struct cli *c)
{
	char *cause = NULL;
	struct kam_config *cfg;
	if (conf_load(c->config_path, &cfg, &cause) < 0) {
		conf_free(cfg);
		return report_errors(c, cause);
	}
	struct buf b = {0};
	buf_addf(&b, "# effective configuration; read: ");
	for (int i = 0; i < cfg->files.n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", cfg->files.v[i]);
	buf_addf(&b, "\n# rules hash: %016llx\n", (unsigned long long)cfg->rules_hash);
	conf_dump(cfg, &b);
	fputs(b.p, c->out);
	buf_free(&b);
	conf_free(cfg);
	return KAM_EXIT_OK;
}

static int config_path(struct cli *c)
{
	char *file = conf_discover(c->config_path);
	fprintf(c->out, "<built-in>\n");
	if (file)
		fprintf(c->out, "%s\n", file);
	free(file);
	return KAM_EXIT_OK;
}

int cmd_config(struct cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage("config");
	if (strcmp(argv[1], "check") == 0 && argc <= 3)
		return config_check(c, argc == 3 ? argv[2] : NULL);
	if (strcmp(argv[1], "show") == 0 && argc == 2)
		return config_show(c);
	if (strcmp(argv[1], "path") == 0 && argc == 2)
		return config_path(c);
	return cli_usage("config");
}
