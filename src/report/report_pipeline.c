/* report pipeline: opportunities of the plan year grouped by stage, owner,
 * quarter or offering; unweighted and weighted; against a yearly target. */
#include "kam/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/model.h"
#include "report_int.h"

enum { PV_OPEN_N, PV_OPEN_AMT, PV_WEIGHTED, PV_WON_N, PV_WON_AMT, PV_LOST_N, PV_LOST_AMT, PV__N };
enum pipe_by { BY_STAGE, BY_OWNER, BY_QUARTER, BY_OFFERING };
static const char *const pipe_by_names[] = {"stage", "owner", "quarter", "offering", NULL};

struct pipe_ctx {
	const struct report_opts *o;
	enum pipe_by by;
	struct rep_groups g;
	struct rep_names staff;
	int stage_prob[16]; /* default probability by kam_enum_opp_stage index */
};

static const char *pipe_key(struct pipe_ctx *x, const struct record *r, char *tmp, size_t n)
{
	switch (x->by) {
	case BY_STAGE:
		return record_has(r, OPP_STAGE) ? r->v[OPP_STAGE].s : "(none)";
	case BY_OWNER: {
		const char *s = rep_name(&x->staff, r->v[OPP_OWNER].i);
		return *s ? s : "(none)";
	}
	case BY_QUARTER:
		if (!record_has(r, OPP_DECISION))
			return "(no date)";
		snprintf(tmp, n, "%lld-Q%lld", (long long)(r->v[OPP_DECISION].i / 10000),
			 (long long)((r->v[OPP_DECISION].i / 100 % 100 - 1) / 3 + 1));
		return tmp;
	case BY_OFFERING:
		return record_has(r, OPP_OFFERING) && *r->v[OPP_OFFERING].s ? r->v[OPP_OFFERING].s : "(none)";
	}
	return "";
}

static int pipe_visit(const struct record *r, void *arg)
{
	struct pipe_ctx *x = arg;
	char tmp[32];
	if (r->v[OPP_YEAR].i != x->o->year)
		return 0;
	int64_t *v = rep_group(&x->g, pipe_key(x, r, tmp, sizeof tmp));
	int64_t amt = r->v[OPP_AMOUNT].i;
	const char *st = record_has(r, OPP_STATUS) ? r->v[OPP_STATUS].s : "open";
	if (!strcmp(st, "won")) {
		v[PV_WON_N]++;
		v[PV_WON_AMT] += amt;
	} else if (!strcmp(st, "lost")) {
		v[PV_LOST_N]++;
		v[PV_LOST_AMT] += amt;
	} else {
		int prob = 0;
		if (record_has(r, OPP_PROBABILITY))
			prob = (int)r->v[OPP_PROBABILITY].i;
		else if (record_has(r, OPP_STAGE)) {
			int si = enum_index(kam_enum_opp_stage, r->v[OPP_STAGE].s);
			prob = si >= 0 && si < 16 ? x->stage_prob[si] : 0;
		}
		v[PV_OPEN_N]++;
		v[PV_OPEN_AMT] += amt;
		v[PV_WEIGHTED] += amt * prob / 100;
	}
	return 0;
}

static void pipe_row(struct report *rep, const char *key, const int64_t *v)
{
	const char *cells[8] = {key,
				rep_int(v[PV_OPEN_N]),
				rep_money(v[PV_OPEN_AMT]),
				rep_money(v[PV_WEIGHTED]),
				rep_int(v[PV_WON_N]),
				rep_money(v[PV_WON_AMT]),
				rep_int(v[PV_LOST_N]),
				rep_money(v[PV_LOST_AMT])};
	report_add_row(rep, cells);
}

static void pipe_target(struct report *rep, const int64_t *tot, int64_t target)
{
	int64_t expect = tot[PV_WON_AMT] + tot[PV_WEIGHTED];
	buf_addf(&rep->notes, "target %s: won %s (%s)", rep_money(target), rep_money(tot[PV_WON_AMT]),
		 rep_pct(rep_share((double)tot[PV_WON_AMT], (double)target)));
	buf_addf(&rep->notes, ", won + weighted %s (%s)", rep_money(expect),
		 rep_pct(rep_share((double)expect, (double)target)));
	if (expect < target)
		buf_addf(&rep->notes, ", gap %s\n", rep_money(target - expect));
	else
		buf_addf(&rep->notes, ", covered\n");
}

int report_pipeline(struct store *st, const struct report_opts *o, struct report **out, char **cause)
{
	struct pipe_ctx x = {.o = o};
	*out = NULL;
	int by = o->by ? enum_index(pipe_by_names, o->by) : BY_STAGE;
	if (by < 0)
		return set_cause(cause, KAM_EINVAL, "pipeline --by must be stage, owner, quarter or offering");
	x.by = (enum pipe_by)by;
	for (int i = 0; kam_enum_opp_stage[i] && i < 16; i++) {
		const struct conf_label *l =
		    o->cfg ? conf_enum_value(o->cfg, kam_enum_opp_stage, kam_enum_opp_stage[i]) : NULL;
		x.stage_prob[i] = l ? l->probability : 0;
	}
	rep_groups_init(&x.g, PV__N);
	if (x.by == BY_STAGE) /* stages in pipeline order, even when empty */
		for (int i = 0; kam_enum_opp_stage[i]; i++)
			rep_group(&x.g, kam_enum_opp_stage[i]);
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc == 0 && x.by == BY_OWNER)
		rc = rep_names_load(t, ENTITY(staff), &x.staff);
	/* One sequential scan: on dataset L it beats the year index (whose
	 * random-order gets cost more than decoding the other years). Rows of
	 * other years are dropped after their first fields; of the plan year's
	 * only the fields the report reads are decoded, into one reused record. */
	uint64_t mask = FIELD_BIT(OPP_YEAR) | FIELD_BIT(OPP_AMOUNT) | FIELD_BIT(OPP_STATUS) |
			FIELD_BIT(OPP_PROBABILITY) | FIELD_BIT(OPP_STAGE);
	mask |= x.by == BY_OWNER      ? FIELD_BIT(OPP_OWNER)
		: x.by == BY_QUARTER  ? FIELD_BIT(OPP_DECISION)
		: x.by == BY_OFFERING ? FIELD_BIT(OPP_OFFERING)
				      : 0;
	if (rc == 0)
		rc = store_scan_match(t, ENTITY(opportunity), mask, OPP_YEAR, o->year, pipe_visit, &x);
	store_abort(t);
	if (rc == 0) {
		static const char *const h[] = {"STAGE", "OPEN",       "AMOUNT", "WEIGHTED",
						"WON",   "WON AMOUNT", "LOST",   "LOST AMOUNT"};
		static const unsigned char right[] = {0, 1, 1, 1, 1, 1, 1, 1};
		struct report *rep = report_new(8, h, right);
		free(rep->headers[0]);
		rep->headers[0] = xstrdup(x.by == BY_STAGE     ? "STAGE"
					  : x.by == BY_OWNER   ? "OWNER"
					  : x.by == BY_QUARTER ? "QUARTER"
							       : "OFFERING");
		if (x.by != BY_STAGE)
			rep_groups_sort(&x.g);
		int64_t tot[PV__N] = {0};
		for (size_t i = 0; i < x.g.n; i++) {
			const int64_t *v = &x.g.vals[i * PV__N];
			for (int k = 0; k < PV__N; k++)
				tot[k] += v[k];
			pipe_row(rep, x.g.keys[i], v);
		}
		pipe_row(rep, "TOTAL", tot);
		if (o->target > 0)
			pipe_target(rep, tot, o->target);
		*out = rep;
	} else {
		set_cause(cause, rc, "cannot read opportunities");
	}
	rep_groups_free(&x.g);
	rep_names_free(&x.staff);
	return rc;
}
