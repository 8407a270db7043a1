/* kam report NAME [--year Y] [--by ...] [--target AMOUNT] */
#include "kam/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/conf.h"
#include "kam/err.h"
#include "kam/report.h"
#include "kam/score_cli.h"
#include "kam/util.h"

static void report_print(struct cli *c, const struct report *r)
{
	/* chart and notes are for people: machine formats get the rows only */
	if (c->format == FMT_TABLE && r->chart.len)
		fprintf(c->out, "%s\n", r->chart.p);
	struct table *t = table_new(r->ncols, (const char *const *)r->headers, r->right);
	char **row = xcalloc((size_t)r->ncols, sizeof *row);
	for (size_t i = 0; i < r->nrows; i++) {
		for (int k = 0; k < r->ncols; k++) {
			const char *cell = r->cells[i * (size_t)r->ncols + (size_t)k];
			/* "-" (nothing to show) is an empty cell for machines */
			row[k] = xstrdup(c->format != FMT_TABLE && !strcmp(cell, "-") ? "" : cell);
			/* numbers for machines: "1,234.50" -> "1234.50" */
			if (c->format != FMT_TABLE && r->right[k]) {
				char *w = row[k];
				for (const char *p = row[k]; *p; p++)
					if (*p != ',')
						*w++ = *p;
				*w = 0;
			}
		}
		table_add_row(t, (const char *const *)row);
		for (int k = 0; k < r->ncols; k++)
			free(row[k]);
	}
	free(row);
	table_print(t, c);
	table_free(t);
	if (c->format == FMT_TABLE && r->notes.len)
		fprintf(c->out, "%s", r->notes.p);
}

int cmd_report(struct cli *c, int argc, char **argv)
{
	const char *name = NULL, *year = NULL, *by = NULL, *target = NULL;
	for (int i = 1; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--year", &year, "report")) ||
		    (r = cli_opt(argc, argv, &i, "--by", &by, "report")) ||
		    (r = cli_opt(argc, argv, &i, "--target", &target, "report"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
		} else if (!name && argv[i][0] != '-') {
			name = argv[i];
		} else {
			return cli_usage("report");
		}
	}
	if (!name)
		return cli_usage("report");
	struct kam_config *cfg = NULL;
	int ex = score_load_config(c, NULL, &cfg);
	if (ex)
		return ex;
	struct report_opts o = {.by = by, .today = date_today(), .cfg = cfg, .year = conf_plan_year(cfg)};
	int64_t v;
	if (year && (parse_int64(year, &v) || v < 1900 || v > 9999)) {
		conf_free(cfg);
		return cli_fail(c, KAM_EUSAGE, "bad --year '%s'", year);
	}
	if (year)
		o.year = (int)v;
	if (target && (parse_decimal(target, 2, &o.target) || o.target <= 0)) {
		conf_free(cfg);
		return cli_fail(c, KAM_EUSAGE, "bad --target '%s' (an amount such as 12,000,000)", target);
	}
	struct store *st;
	ex = cli_store(c, 0, &st);
	if (ex) {
		conf_free(cfg);
		return ex;
	}
	struct report *rep = NULL;
	char *cause = NULL;
	int rc = report_run(st, name, &o, &rep, &cause);
	if (rc == 0)
		report_print(c, rep);
	else
		ex = cli_fail(c, rc == KAM_EINVAL ? KAM_EUSAGE : rc, "%s", cause ? cause : kam_strerror(rc));
	free(cause);
	report_free(rep);
	conf_free(cfg);
	return ex;
}
