/* kam agenda [--days N] [--me|--staff S] [--digest] */
#include "kam/agenda.h"

#include <stdlib.h>
#include <string.h>

#include "kam/cli.h"
#include "kam/err.h"

static void print_table(struct cli *c, const struct agenda *a)
{
	static const char *const hdr[] = {"section", "date", "account", "record", "item", "detail"};
	struct table *t = table_new(6, hdr, NULL);
	for (size_t i = 0; i < a->n; i++) {
		const struct agenda_item *it = &a->items[i];
		struct buf d = {0};
		char rec[48];
		if (it->date)
			format_date(it->date, &d);
		snprintf(rec, sizeof rec, "%s:%llu", it->ent->name, (unsigned long long)it->id);
		const char *row[] = {
		    agenda_section_titles[it->section], d.p ? d.p : "", it->account_name, rec, it->what, it->detail};
		table_add_row(t, row);
		buf_free(&d);
	}
	char n[32], e[32];
	snprintf(n, sizeof n, "%zu", a->findings);
	snprintf(e, sizeof e, "errors: %zu", a->errors);
	const char *row[] = {"Findings", "", "", "", n, e};
	table_add_row(t, row);
	table_print(t, c);
	table_free(t);
}

/* Plain text with a stable layout for cron and mail: one heading per
 * non-empty section, one item per line, no colour, no alignment tricks. */
static void print_digest(struct cli *c, const struct agenda *a, int64_t today, int days)
{
	struct buf d = {0};
	format_date(today, &d);
	fprintf(c->out, "kam agenda %s (decisions within %d days)\n", d.p, days);
	buf_free(&d);
	int shown = -1;
	for (size_t i = 0; i < a->n; i++) {
		const struct agenda_item *it = &a->items[i];
		if ((int)it->section != shown) {
			size_t k = 0;
			for (size_t j = i; j < a->n && a->items[j].section == it->section; j++)
				k++;
			fprintf(c->out, "\n%s (%zu)\n", agenda_section_titles[it->section], k);
			shown = (int)it->section;
		}
		struct buf dt = {0};
		if (it->date)
			format_date(it->date, &dt);
		fprintf(c->out, "  %s%s%s | %s | %s\n", dt.p ? dt.p : "", dt.p ? " " : "", it->what, it->account_name,
			it->detail);
		buf_free(&dt);
	}
	fprintf(c->out, "\nFindings: %zu (errors: %zu), see kam check\n", a->findings, a->errors);
}

struct staff_hit {
	uint64_t id;
};

static int staff_visit(const struct record *r, void *arg)
{
	((struct staff_hit *)arg)->id = r->id;
	return 1;
}

static int resolve_staff(struct cli *c, const char *name, int me, uint64_t *id)
{
	struct txn *t;
	char *cause = NULL;
	int r = store_begin(c->st, 0, &t);
	if (!r && me) {
		struct staff_hit h = {0};
		struct value v = {0, (char *)store_user(c->st), 1};
		r = store_index_scan(t, ENTITY(staff), "login", &v, 1, staff_visit, &h);
		r = r == 1 ? 0 : r;
		if (!r && !h.id)
			r = set_cause(&cause, KAM_ENOTFOUND, "no staff has the login '%s' (kam user add)", v.s);
		*id = h.id;
	} else if (!r) {
		r = cli_resolve(c, t, ENTITY(staff), name, id, &cause);
	}
	store_abort(t);
	if (r < 0) {
		int rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	return 0;
}

static int parse_args(int argc, char **argv, struct agenda_opts *o, const char **staff, int *me, int *digest)
{
	for (int i = 1; i < argc; i++) {
		const char *v = NULL;
		int r;
		if ((r = cli_opt(argc, argv, &i, "--days", &v, "agenda"))) {
			int64_t n;
			if (r < 0 || parse_int64(v, &n) || n < 1 || n > 3660)
				return r < 0 ? KAM_EXIT_USAGE : cli_usage("agenda");
			o->days = (int)n;
		} else if ((r = cli_opt(argc, argv, &i, "--staff", staff, "agenda"))) {
			if (r < 0)
				return KAM_EXIT_USAGE;
		} else if (strcmp(argv[i], "--me") == 0) {
			*me = 1;
		} else if (strcmp(argv[i], "--digest") == 0) {
			*digest = 1;
		} else {
			return cli_usage("agenda");
		}
	}
	return 0;
}

/* Personal dates are sensitive: a viewer's agenda leaves them out. They
 * move behind the others (order kept) and the count shown is returned;
 * agenda_free still frees all a->n items. */
static size_t agenda_without_dates(struct agenda *a)
{
	if (!a->n)
		return 0;
	struct agenda_item *v = xcalloc(a->n, sizeof *v);
	size_t k = 0;
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].section != AG_DATE)
			v[k++] = a->items[i];
	size_t shown = k;
	for (size_t i = 0; i < a->n; i++)
		if (a->items[i].section == AG_DATE)
			v[k++] = a->items[i];
	memcpy(a->items, v, a->n * sizeof *v);
	free(v);
	return shown;
}

int cmd_agenda(struct cli *c, int argc, char **argv)
{
	struct agenda_opts o = {30, 0, 0};
	const char *staff = NULL;
	int me = 0, digest = 0, rc;
	if ((rc = parse_args(argc, argv, &o, &staff, &me, &digest)))
		return rc;
	if (me && staff)
		return cli_usage("agenda");
	struct store *st;
	if ((rc = cli_store(c, 0, &st)))
		return rc;
	if ((me || staff) && (rc = resolve_staff(c, staff, me, &o.staff)))
		return rc;
	struct kam_config *cfg = NULL;
	char *cause = NULL;
	if (conf_load(c->config_path, &cfg, &cause) < 0) {
		fprintf(stderr, "%s%s", cause ? cause : "kam: cannot load the configuration",
			cause && *cause && cause[strlen(cause) - 1] == '\n' ? "" : "\n");
		free(cause);
		conf_free(cfg);
		return KAM_EXIT_INPUT;
	}
	struct agenda a;
	int r = agenda_build(st, cfg, &o, &a, &cause);
	conf_free(cfg);
	if (r < 0) {
		rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	size_t all = a.n;
	if (!cli_sees_sensitive(c, st))
		a.n = agenda_without_dates(&a);
	if (digest)
		print_digest(c, &a, date_today(), o.days);
	else
		print_table(c, &a);
	a.n = all;
	agenda_free(&a);
	return KAM_EXIT_OK;
}
