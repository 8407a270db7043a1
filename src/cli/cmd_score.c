/* kam score [ACCOUNT|--all] [--explain] [--what-if KEY=VALUE]... */
#include "kam/score_cli.h"

#include <stdlib.h>
#include <string.h>

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

#define MAX_WHATIF 32

int score_load_config(struct cli *c, const char *file, struct kam_config **out)
{
	char *cause = NULL;
	int r = file ? conf_load_file(file, out, &cause) : conf_load(c->config_path, out, &cause);
	if (r < 0) {
		fflush(c->out);
		print_cause(cause);
		free(cause);
		conf_free(*out);
		*out = NULL;
		return KAM_EXIT_INPUT;
	}
	return KAM_EXIT_OK;
}

static const char *crit_label(const struct kam_config *cfg, const struct criterion *cr)
{
	return cfg->lang == 1 && cr->zh ? cr->zh : cr->en ? cr->en : cr->head.id;
}

static const char *tier_label(const struct kam_config *cfg, int t)
{
	if (t < 0 || t >= cfg->tiers.n)
		return "-";
	const struct tier *ti = CONF_MAP_AT(cfg->tiers, struct tier, t);
	return cfg->lang == 1 && ti->zh ? ti->zh : ti->en ? ti->en : ti->head.id;
}

static const char *account_name(const struct score_set *s, uint64_t id)
{
	const char *n = s->metrics && s->metrics->names ? s->metrics->names[id] : NULL;
	return n ? n : "";
}

static int by_score_desc(const void *x, const void *y)
{
	const struct account_score *a = *(struct account_score *const *)x, *b = *(struct account_score *const *)y;
	if (a->score != b->score)
		return a->score < b->score ? 1 : -1;
	return a->account_id < b->account_id ? -1 : a->account_id > b->account_id;
}

static void print_list(struct cli *c, const struct score_set *s, const struct account_score *only)
{
	static const char *const hdr[] = {"id",  "account", "score", "tier",    "quadrant",
					  "abc", "revenue", "value", "visit_h", "budget"};
	static const unsigned char right[] = {1, 0, 1, 0, 0, 0, 1, 1, 1, 1};
	struct table *t = table_new(10, hdr, right);
	size_t n = only ? 1 : s->n;
	const struct account_score **order = xmalloc((n ? n : 1) * sizeof *order);
	for (size_t i = 0; i < n; i++)
		order[i] = only ? only : &s->acc[i];
	qsort(order, n, sizeof *order, by_score_desc);
	for (size_t i = 0; i < n; i++) {
		const struct account_score *a = order[i];
		struct buf rev = {0}, bud = {0};
		if (c->format == FMT_TABLE) {
			format_money((int64_t)(a->revenue * 100.0 + 0.5), &rev);
			format_money((int64_t)(a->budget * 100.0 + 0.5), &bud);
		} else { /* machine formats: plain numbers */
			buf_addf(&rev, "%.2f", a->revenue);
			buf_addf(&bud, "%.2f", a->budget);
		}
		char *id = xasprintf("%llu", (unsigned long long)a->account_id);
		char *sc = xasprintf("%.1f", a->score);
		char *rv = xasprintf("%.2f", a->relative_value);
		char *vh = xasprintf("%.0f", a->visit_hours);
		char abc[2] = {a->abc, 0};
		const char *cells[] = {id,
				       account_name(s, a->account_id),
				       sc,
				       rules_tier_id(s->cfg, a->tier),
				       conf_quadrant_codes[a->quadrant],
				       abc,
				       rev.p,
				       rv,
				       vh,
				       bud.p};
		table_add_row(t, cells);
		free(id);
		free(sc);
		free(rv);
		free(vh);
		buf_free(&rev);
		buf_free(&bud);
	}
	free(order);
	table_print(t, c);
	table_free(t);
}

static void print_explain(struct cli *c, const struct score_set *s, const struct account_score *a)
{
	const struct kam_config *cfg = s->cfg;
	if (c->format == FMT_TABLE) {
		struct buf bud = {0};
		format_money((int64_t)(a->budget * 100.0 + 0.5), &bud);
		fprintf(c->out, "%s (#%llu): score %.1f, tier %s (%s), quadrant %s, class %c\n",
			account_name(s, a->account_id), (unsigned long long)a->account_id, a->score,
			rules_tier_id(cfg, a->tier), tier_label(cfg, a->tier), rules_quadrant_label(cfg, a->quadrant),
			a->abc);
		fprintf(c->out,
			"added value %.0f%%, complexity %.0f%%; relative value %.2f: %.1f%% of visit hours (%.0f h), "
			"brand budget %s\n",
			a->x, a->y, a->relative_value, a->visit_share, a->visit_hours, bud.p);
		buf_free(&bud);
		fflush(c->out);
	}
	static const char *const hdr[] = {"criterion", "value", "earned", "points", "weight", "why"};
	static const unsigned char right[] = {0, 1, 1, 1, 1, 0};
	struct table *t = table_new(6, hdr, right);
	struct criterion_score *crit = xcalloc(cfg->criteria.n ? (size_t)cfg->criteria.n : 1, sizeof *crit);
	score_criteria(s, a, crit);
	for (int i = 0; i < cfg->criteria.n; i++) {
		const struct criterion *cr = CONF_MAP_AT(cfg->criteria, struct criterion, i);
		const struct criterion_score *cs = &crit[i];
		char *val = rules_format_value(&cs->value, cr->format);
		char *pct = xasprintf("%.0f%%", cs->percent);
		char *pts = xasprintf("%.1f", cs->points);
		char *w = xasprintf("%g", cr->weight);
		char *why = rules_explain(cfg, i, cs);
		const char *cells[] = {crit_label(cfg, cr), val, pct, pts, w, why};
		table_add_row(t, cells);
		free(val);
		free(pct);
		free(pts);
		free(w);
		free(why);
	}
	free(crit);
	table_print(t, c);
	table_free(t);
}

static int tier_rank_of(const struct kam_config *cfg, const char *id)
{
	for (int i = 0; i < cfg->tiers.n; i++)
		if (strcmp(CONF_MAP_AT(cfg->tiers, struct tier, i)->head.id, id) == 0)
			return i;
	return -1;
}

void score_print_changes(struct cli *c, const struct score_set *before, const struct score_set *after)
{
	static const char *const hdr[] = {"id", "account", "before", "after", "from", "to", "move"};
	static const unsigned char right[] = {1, 0, 1, 1, 0, 0, 0};
	struct table *t = table_new(7, hdr, right);
	int moved = 0, up = 0, down = 0;
	for (size_t i = 0; i < after->n; i++) {
		const struct account_score *a = &after->acc[i];
		const struct account_score *b = score_set_get(before, a->account_id);
		if (!b)
			continue;
		const char *from = rules_tier_id(before->cfg, b->tier), *to = rules_tier_id(after->cfg, a->tier);
		if (strcmp(from, to) == 0)
			continue;
		/* Rank in the new tier list decides the direction (0 = highest). */
		int rf = tier_rank_of(after->cfg, from), rt = a->tier;
		const char *move = rf < 0 ? (a->score >= b->score ? "up" : "down") : rt < rf ? "up" : "down";
		up += move[0] == 'u';
		down += move[0] == 'd';
		moved++;
		char *id = xasprintf("%llu", (unsigned long long)a->account_id);
		char *sb = xasprintf("%.1f", b->score), *sa = xasprintf("%.1f", a->score);
		const char *cells[] = {id, account_name(after, a->account_id), sb, sa, from, to, move};
		table_add_row(t, cells);
		free(id);
		free(sb);
		free(sa);
	}
	if (c->format == FMT_TABLE)
		fprintf(c->out, "%d account%s tier (%d up, %d down)\n", moved, moved == 1 ? " changes" : "s change", up,
			down);
	fflush(c->out);
	if (moved)
		table_print(t, c);
	table_free(t);

	static const char *const dh[] = {"tier", "before", "after", "change"};
	static const unsigned char dr[] = {0, 1, 1, 1};
	struct table *d = table_new(4, dh, dr);
	/* Tiers of the new rules first, then any the new rules dropped. */
	for (int pass = 0; pass < 2; pass++) {
		const struct kam_config *cfg = pass ? before->cfg : after->cfg;
		for (int i = 0; i < cfg->tiers.n; i++) {
			const char *id = CONF_MAP_AT(cfg->tiers, struct tier, i)->head.id;
			if (pass && tier_rank_of(after->cfg, id) >= 0)
				continue;
			int rb = tier_rank_of(before->cfg, id), ra = tier_rank_of(after->cfg, id);
			int nb = rb >= 0 ? before->tier_count[rb] : 0, na = ra >= 0 ? after->tier_count[ra] : 0;
			char *sb = xasprintf("%d", nb), *sa = xasprintf("%d", na), *ch = xasprintf("%+d", na - nb);
			const char *cells[] = {id, sb, sa, ch};
			table_add_row(d, cells);
			free(sb);
			free(sa);
			free(ch);
		}
	}
	if (c->format == FMT_TABLE)
		fprintf(c->out, "\n");
	fflush(c->out);
	table_print(d, c);
	table_free(d);
}

static int score_what_if(struct cli *c, struct store *st, struct kam_config *cfg, const char **whatif, int nw)
{
	struct kam_config *alt;
	int rc = score_load_config(c, NULL, &alt);
	if (rc)
		return rc;
	for (int i = 0; i < nw; i++) {
		char *cause = NULL;
		int r = conf_set(alt, whatif[i], &cause);
		if (r < 0) {
			rc = cli_fail(c, r, "%s", cause ? cause : "bad --what-if");
			free(cause);
			conf_free(alt);
			return rc == KAM_EXIT_INTERNAL ? KAM_EXIT_USAGE : rc;
		}
	}
	char *cause = NULL;
	struct score_set *before = NULL, *after = NULL;
	int r = rules_score_all(st, cfg, &before, &cause);
	if (r == 0)
		r = rules_score_metrics(before->metrics, 0, alt, &after, &cause);
	if (r < 0)
		rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
	else
		score_print_changes(c, before, after);
	free(cause);
	score_set_free(after);
	score_set_free(before);
	conf_free(alt);
	return rc;
}

static int score_run(struct cli *c, struct store *st, struct kam_config *cfg, const char *account, int explain)
{
	char *cause = NULL;
	uint64_t id = 0;
	int rc = KAM_EXIT_OK;
	if (account) {
		struct txn *t;
		int r = store_begin(st, 0, &t);
		if (r == 0)
			r = cli_resolve(c, t, ENTITY(account), account, &id, &cause);
		store_abort(t);
		if (r < 0) {
			rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
			free(cause);
			return rc;
		}
	}
	struct score_set *s;
	int r = rules_score_all(st, cfg, &s, &cause);
	if (r < 0) {
		rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
		free(cause);
		return rc;
	}
	const struct account_score *one = account ? score_set_get(s, id) : NULL;
	if (account && !one) {
		rc = cli_fail(c, KAM_ENOTFOUND, "account %s is archived: not scored", account);
	} else if (explain) {
		for (size_t i = 0; i < s->n; i++) {
			if (one && &s->acc[i] != one)
				continue;
			if (!one && i && c->format == FMT_TABLE)
				fputc('\n', c->out);
			print_explain(c, s, &s->acc[i]);
		}
	} else {
		print_list(c, s, one);
	}
	/* Keep the stored scores current (the TUI reads them); read-only skips. */
	if (rc == KAM_EXIT_OK && !c->read_only && !rules_scores_fresh(st, cfg)) {
		if (rules_store_scores(st, s, &cause) < 0)
			free(cause); /* a read-only database still gets its listing */
		cause = NULL;
	}
	score_set_free(s);
	return rc;
}

int cmd_score(struct cli *c, int argc, char **argv)
{
	const char *account = NULL, *whatif[MAX_WHATIF];
	int explain = 0, all = 0, nw = 0;
	for (int i = 1; i < argc; i++) {
		const char *v;
		int o = cli_opt(argc, argv, &i, "--what-if", &v, "score");
		if (o < 0)
			return KAM_EXIT_USAGE;
		if (o > 0) {
			if (nw == MAX_WHATIF)
				return cli_usage("score");
			whatif[nw++] = v;
			continue;
		}
		if (strcmp(argv[i], "--explain") == 0)
			explain = 1;
		else if (strcmp(argv[i], "--all") == 0)
			all = 1;
		else if (argv[i][0] == '-' || account)
			return cli_usage("score");
		else
			account = argv[i];
	}
	if (all && account)
		return cli_usage("score");
	struct kam_config *cfg;
	int rc = score_load_config(c, NULL, &cfg);
	if (rc)
		return rc;
	struct store *st;
	/* Plain scoring stores its results (unless --read-only); what-if never writes. */
	rc = cli_store(c, !nw && !c->read_only, &st);
	if (rc == 0)
		rc = nw ? score_what_if(c, st, cfg, whatif, nw) : score_run(c, st, cfg, account, explain);
	conf_free(cfg);
	return rc;
}
