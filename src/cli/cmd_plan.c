/* kam plan rollover --from Y --to Y [--account A] [--dry-run] */
#include "kam/plan.h"

#include <stdlib.h>
#include <string.h>

#include "kam/cli.h"
#include "kam/err.h"

static int parse_year(const char *s, int *out)
{
	int64_t y;
	if (!s || parse_int64(s, &y) || y < 1900 || y > 9999)
		return -1;
	*out = (int)y;
	return 0;
}

static void print_items(struct cli *c, const struct rollover_item *v, size_t n, int dry_run)
{
	static const char *const hdr[] = {"action", "account", "from", "new", "title", "reason"};
	static const unsigned char right[] = {0, 1, 1, 1, 0, 0};
	struct table *t = table_new(6, hdr, right);
	size_t made = 0, skipped = 0;
	for (size_t i = 0; i < n; i++) {
		char acc[24], src[24], id[24];
		snprintf(acc, sizeof acc, "%llu", (unsigned long long)v[i].account);
		snprintf(src, sizeof src, "%llu", (unsigned long long)v[i].source);
		snprintf(id, sizeof id, "%llu", (unsigned long long)v[i].created);
		const char *act = v[i].action == RO_SKIPPED ? "skip" : dry_run ? "would create" : "create";
		const char *row[] = {act, acc, src, v[i].created ? id : "", v[i].title, v[i].reason};
		table_add_row(t, row);
		made += v[i].action == RO_CREATED;
		skipped += v[i].action == RO_SKIPPED;
	}
	table_print(t, c);
	table_free(t);
	if (c->format == FMT_TABLE)
		fprintf(c->out, "%zu %s, %zu skipped\n", made, dry_run ? "to create (dry run)" : "created", skipped);
}

/* Drafting writes opportunities: an admin, or an editor on the team of
 * every account that gets one (a dry run lists them first); viewers never. */
static int rollover_allowed(struct cli *c, struct store *st, const struct rollover_opts *o)
{
	enum access_role role;
	char *cause = NULL;
	int rc = cli_access(c, st, ACCESS_WRITE, NULL, "plan rollover");
	if (rc)
		return rc;
	if ((rc = access_role(st, store_user(st), &role, NULL, &cause)) == 0 && role == ROLE_ADMIN)
		return 0;
	struct rollover_opts dry = *o;
	struct rollover_item *v = NULL;
	size_t n = 0;
	dry.dry_run = 1;
	if (!rc)
		rc = plan_rollover(st, &dry, &v, &n, &cause);
	if (rc) {
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	struct record *opp = record_new(ENTITY(opportunity));
	uint64_t checked = 0;
	for (size_t i = 0; i < n && !rc; i++) {
		if (v[i].action != RO_CREATED || v[i].account == checked)
			continue;
		checked = v[i].account;
		char *what = xasprintf("plan rollover into account %llu", (unsigned long long)v[i].account);
		record_set_int(opp, OPP_ACCOUNT, (int64_t)v[i].account);
		rc = cli_access(c, st, ACCESS_WRITE, opp, what);
		free(what);
	}
	record_free(opp);
	rollover_items_free(v, n);
	return rc;
}

static int rollover(struct cli *c, int argc, char **argv)
{
	struct rollover_opts o = {0, 0, 0, 0};
	const char *from = NULL, *to = NULL, *account = NULL;
	for (int i = 2; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--from", &from, "plan")) ||
		    (r = cli_opt(argc, argv, &i, "--to", &to, "plan")) ||
		    (r = cli_opt(argc, argv, &i, "--account", &account, "plan"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
		} else if (strcmp(argv[i], "--dry-run") == 0) {
			o.dry_run = 1;
		} else {
			return cli_usage("plan");
		}
	}
	if (parse_year(from, &o.from) || parse_year(to, &o.to))
		return cli_usage("plan");
	struct store *st;
	int rc = cli_store(c, !o.dry_run, &st);
	if (rc)
		return rc;
	char *cause = NULL;
	int r = 0;
	if (account) {
		struct txn *t;
		r = store_begin(st, 0, &t);
		if (!r)
			r = cli_resolve(c, t, ENTITY(account), account, &o.account, &cause);
		store_abort(t);
	}
	struct rollover_item *v = NULL;
	size_t n = 0;
	if (!r && !o.dry_run && (rc = rollover_allowed(c, st, &o)))
		return rc;
	if (!r)
		r = plan_rollover(st, &o, &v, &n, &cause);
	if (r < 0) {
		rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	print_items(c, v, n, o.dry_run);
	rollover_items_free(v, n);
	return KAM_EXIT_OK;
}

static void pct_cell(int v, char *b, size_t n)
{
	if (v < 0)
		snprintf(b, n, "%s", "");
	else
		snprintf(b, n, "%d%%", v);
}

static void print_yoy(struct cli *c, const struct yoy_row *v, size_t n)
{
	static const char *const hdr[] = {"id",       "account", "kept",         "won",       "lost",
					  "new",      "slipped", "won_from",     "won_to",    "delta",
					  "sow_from", "sow_to",  "buying_years", "churn_risk"};
	static const unsigned char right[] = {1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0};
	struct table *t = table_new(14, hdr, right);
	for (size_t i = 0; i < n; i++) {
		const struct yoy_row *r = &v[i];
		char id[24], k[5][16], sf[16], stt[16], by[16];
		struct buf af = {0}, at = {0}, dl = {0};
		snprintf(id, sizeof id, "%llu", (unsigned long long)r->account);
		const int cnt[5] = {r->kept, r->won, r->lost, r->added, r->slipped};
		for (int j = 0; j < 5; j++)
			snprintf(k[j], sizeof k[j], "%d", cnt[j]);
		format_money(r->amount_from, &af);
		format_money(r->amount_to, &at);
		if (r->amount_to >= r->amount_from)
			buf_addc(&dl, '+');
		else
			buf_addc(&dl, '-');
		format_money(r->amount_to >= r->amount_from ? r->amount_to - r->amount_from
							    : r->amount_from - r->amount_to,
			     &dl);
		pct_cell(r->sow_from, sf, sizeof sf);
		pct_cell(r->sow_to, stt, sizeof stt);
		snprintf(by, sizeof by, "%d", r->buying_years);
		const char *row[] = {r->account ? id : "",
				     r->name,
				     k[0],
				     k[1],
				     k[2],
				     k[3],
				     k[4],
				     af.p,
				     at.p,
				     dl.p,
				     sf,
				     stt,
				     r->account ? by : "",
				     r->churn ? r->churn : ""};
		table_add_row(t, row);
		buf_free(&af);
		buf_free(&at);
		buf_free(&dl);
	}
	table_print(t, c);
	table_free(t);
}

static int yoy(struct cli *c, int argc, char **argv)
{
	const char *from = NULL, *to = NULL, *account = NULL;
	int y0, y1;
	for (int i = 2; i < argc; i++) {
		int r;
		if ((r = cli_opt(argc, argv, &i, "--from", &from, "plan")) ||
		    (r = cli_opt(argc, argv, &i, "--to", &to, "plan")) ||
		    (r = cli_opt(argc, argv, &i, "--account", &account, "plan"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
		} else {
			return cli_usage("plan");
		}
	}
	if (parse_year(from, &y0) || parse_year(to, &y1))
		return cli_usage("plan");
	struct store *st;
	int rc = cli_store(c, 0, &st);
	if (rc)
		return rc;
	char *cause = NULL;
	uint64_t acc = 0;
	int r = 0;
	if (account) {
		struct txn *t;
		r = store_begin(st, 0, &t);
		if (!r)
			r = cli_resolve(c, t, ENTITY(account), account, &acc, &cause);
		store_abort(t);
	}
	struct yoy_row *v = NULL;
	size_t n = 0;
	if (!r)
		r = plan_yoy(st, y0, y1, acc, &v, &n, &cause);
	if (r < 0) {
		rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	print_yoy(c, v, n);
	yoy_rows_free(v, n);
	return KAM_EXIT_OK;
}

int cmd_plan(struct cli *c, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "rollover") == 0)
		return rollover(c, argc, argv);
	if (argc >= 2 && strcmp(argv[1], "yoy") == 0)
		return yoy(c, argc, argv);
	return cli_usage("plan");
}
