/* The Pipeline view's columns and cards, their layout, and moving a card to
 * the neighbouring stage (kam/pipeline.h). */
#include "kam/pipeline.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/access.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/text.h"
#include "kam/util.h"

#define CLOSED_STAGE "closed"

static int stage_default(const struct kam_config *cfg, const char *stage)
{
	const struct conf_label *l = cfg && stage ? conf_enum_value(cfg, kam_enum_opp_stage, stage) : NULL;
	return l ? l->probability : 0;
}

/* The open stages in pipeline order: codes borrowed from the enumeration. */
static int open_stages(const char **out)
{
	int n = 0;
	for (int i = 0; kam_enum_opp_stage[i] && n < PIPE_MAXCOL; i++)
		if (strcmp(kam_enum_opp_stage[i], CLOSED_STAGE) != 0)
			out[n++] = kam_enum_opp_stage[i];
	return n;
}

void pipeline_free(struct pipeline *p)
{
	for (int c = 0; c < p->ncols; c++) {
		for (int i = 0; i < p->cols[c].n; i++)
			free(p->cols[c].cards[i].text);
		free(p->cols[c].cards);
		free(p->cols[c].label);
	}
	memset(p, 0, sizeof *p);
}

struct load {
	struct txn *t;
	struct pipeline *p;
	int64_t *decide[PIPE_MAXCOL]; /* sort keys, parallel to the cards */
	/* account id -> short name, the last few (cards of one account come
	 * together often enough) */
	uint64_t acct_id;
	char *acct_name;
};

static const char *account_short(struct load *l, uint64_t id)
{
	if (id && id == l->acct_id)
		return l->acct_name;
	free(l->acct_name);
	l->acct_name = NULL;
	l->acct_id = id;
	struct record *a = NULL;
	if (id && store_get(l->t, ENTITY(account), id, &a) == 0) {
		const struct value *s = &a->v[ACCOUNT_SHORT_NAME];
		l->acct_name = xstrdup(s->set && s->s && *s->s ? s->s : record_name(a));
	} else {
		l->acct_name = xstrdup("--");
	}
	record_free(a);
	return l->acct_name;
}

static int visit(const struct record *o, void *arg)
{
	struct load *l = arg;
	struct pipeline *p = l->p;
	if (o->v[OPP_YEAR].i != p->year)
		return 0;
	const char *status = o->v[OPP_STATUS].set && o->v[OPP_STATUS].s ? o->v[OPP_STATUS].s : "open";
	if (strcmp(status, "open") != 0)
		return 0;
	int c = -1;
	if (o->v[OPP_STAGE].set && o->v[OPP_STAGE].s)
		for (int k = 0; k < p->ncols; k++)
			if (strcmp(p->cols[k].stage, o->v[OPP_STAGE].s) == 0)
				c = k;
	if (c < 0) {
		p->hidden++;
		return 0;
	}
	struct pipe_col *col = &p->cols[c];
	col->cards = xrealloc(col->cards, ((size_t)col->n + 1) * sizeof *col->cards);
	l->decide[c] = xrealloc(l->decide[c], ((size_t)col->n + 1) * sizeof *l->decide[c]);
	struct pipe_card *card = &col->cards[col->n];
	memset(card, 0, sizeof *card);
	card->id = o->id;
	card->version = o->version;
	card->acct = o->v[OPP_ACCOUNT].set ? (uint64_t)o->v[OPP_ACCOUNT].i : 0;
	char *raw = xasprintf("%s / %s", account_short(l, card->acct), record_name(o));
	card->text = text_sanitize(raw);
	free(raw);
	card->has_amount = o->v[OPP_AMOUNT].set;
	card->amount = card->has_amount ? o->v[OPP_AMOUNT].i : 0;
	card->prob = o->v[OPP_PROBABILITY].set ? (int)o->v[OPP_PROBABILITY].i : col->def_prob;
	col->total += card->amount;
	col->weighted += card->amount * card->prob / 100;
	l->decide[c][col->n] = o->v[OPP_DECISION].set ? o->v[OPP_DECISION].i : INT64_MAX;
	col->n++;
	return 0;
}

/* Cards by decision date (undated last), then id: a small insertion sort
 * keeps the keys and the cards together. */
static void sort_cards(struct pipe_col *col, int64_t *key)
{
	for (int i = 1; i < col->n; i++) {
		struct pipe_card c = col->cards[i];
		int64_t k = key[i];
		int j = i;
		while (j > 0 && (key[j - 1] > k || (key[j - 1] == k && col->cards[j - 1].id > c.id))) {
			col->cards[j] = col->cards[j - 1];
			key[j] = key[j - 1];
			j--;
		}
		col->cards[j] = c;
		key[j] = k;
	}
}

int pipeline_load(struct pipeline *p, struct store *st, const struct kam_config *cfg, int year, char **cause)
{
	pipeline_free(p);
	p->year = year;
	const char *stages[PIPE_MAXCOL];
	p->ncols = open_stages(stages);
	for (int c = 0; c < p->ncols; c++) {
		p->cols[c].stage = stages[c];
		p->cols[c].label = text_sanitize(cfg ? conf_enum_label(cfg, kam_enum_opp_stage, stages[c]) : stages[c]);
		p->cols[c].def_prob = stage_default(cfg, stages[c]);
	}
	struct txn *t;
	int rc = store_begin(st, 0, &t);
	if (rc)
		return set_cause(cause, rc, "cannot read opportunities: %s", kam_strerror(rc));
	struct load l = {.t = t, .p = p};
	struct value y = {.i = year, .set = 1};
	rc = store_index_scan(t, ENTITY(opportunity), "year_decision", &y, 1, visit, &l);
	store_abort(t);
	for (int c = 0; c < p->ncols; c++) {
		sort_cards(&p->cols[c], l.decide[c]);
		free(l.decide[c]);
	}
	free(l.acct_name);
	if (rc)
		return set_cause(cause, rc, "cannot read opportunities: %s", kam_strerror(rc));
	return 0;
}

int pipeline_find(const struct pipeline *p, uint64_t id, int *col, int *row)
{
	for (int c = 0; c < p->ncols; c++)
		for (int i = 0; i < p->cols[c].n; i++)
			if (p->cols[c].cards[i].id == id) {
				*col = c;
				*row = i;
				return 0;
			}
	return -1;
}

/* --- layout ------------------------------------------------------------------------ */

void pipeline_fit(int width, int ncols, int *shown, int *colw)
{
	int k = ncols > 0 ? ncols : 1;
	while (k > 1 && (width - (k - 1)) / k < PIPE_COL_MIN)
		k--;
	*shown = k;
	*colw = (width - (k - 1)) / k;
}

int pipeline_scroll(int first, int shown, int ncols, int cur)
{
	if (cur < first)
		first = cur;
	if (cur >= first + shown)
		first = cur - shown + 1;
	if (first > ncols - shown)
		first = ncols - shown;
	return first < 0 ? 0 : first;
}

/* s fitted into w columns, with a blank instead of a wide character in the
 * last column (the caller puts something narrow after it anyway, but a
 * column must never end in a wide character). Returns bytes written. */
static size_t fit_narrow_end(char *out, const char *s, int w)
{
	size_t n = text_fit_into(out, s, w, TEXT_LEFT);
	size_t k = n;
	while (k > 0 && ((unsigned char)out[k - 1] & 0xc0) == 0x80)
		k--;
	uint32_t cp = 0;
	if (w > 1 && k > 0 && utf8_decode(out + k - 1, n - k + 1, &cp) > 1 && cp_width(cp) == 2) {
		n = text_fit_into(out, s, w - 1, TEXT_LEFT);
		out[n++] = ' ';
		out[n] = '\0';
	}
	return n;
}

void pipeline_card_line(const struct pipe_card *c, int colw, char *out, size_t outsz)
{
	char amt[32] = "--";
	if (c->has_amount) {
		struct buf m = {0};
		format_money_short(c->amount, &m);
		snprintf(amt, sizeof amt, "%s", m.p ? m.p : "");
		buf_free(&m);
	}
	/* The amount takes what it needs (right-aligned, so amounts line up
	 * on the column's right edge); the text the rest. */
	int aw = (int)strlen(amt), tw = colw - 1 - 1 - aw; /* marker, text, blank, amount */
	if (tw < 1) {
		aw = colw > 2 ? colw - 2 : 0;
		tw = colw - 1 - aw;
	}
	char *buf = xmalloc((size_t)colw * 4 + 8);
	size_t o = 0;
	buf[o++] = ' ';
	o += fit_narrow_end(buf + o, c->text, tw);
	if (aw > 0) {
		buf[o++] = ' ';
		o += text_fit_into(buf + o, amt, aw, TEXT_RIGHT);
	}
	buf[o] = '\0';
	/* Exactly colw columns whatever the arithmetic above left. */
	char *f = text_fit(buf, colw, TEXT_LEFT);
	snprintf(out, outsz, "%s", f);
	free(f);
	free(buf);
}

void pipeline_head_lines(const struct pipe_col *c, int colw, int current, char *l1, char *l2, size_t outsz)
{
	char count[16], *label = current ? xasprintf("[%s]", c->label) : xasprintf(" %s", c->label);
	snprintf(count, sizeof count, "%d ", c->n);
	int cw = (int)strlen(count);
	char *a = xmalloc((size_t)colw * 4 + 8);
	size_t o = fit_narrow_end(a, label, colw - cw > 0 ? colw - cw : 0);
	snprintf(a + o, (size_t)colw * 4 + 8 - o, "%s", count);
	char *f = text_fit(a, colw, TEXT_LEFT);
	snprintf(l1, outsz, "%s", f);
	free(f);
	struct buf b = {0};
	buf_addc(&b, ' ');
	format_money_short(c->total, &b);
	buf_adds(&b, "  w ");
	format_money_short(c->weighted, &b);
	buf_addc(&b, ' ');
	f = text_fit(b.p, colw, TEXT_RIGHT);
	snprintf(l2, outsz, "%s", f);
	free(f);
	buf_free(&b);
	free(a);
	free(label);
}

char *pipeline_offscreen(const struct pipeline *p, int first, int shown)
{
	struct buf b = {0};
	if (first <= 0 && first + shown >= p->ncols) {
		buf_addf(&b, "all %d stages", p->ncols);
		return buf_steal(&b);
	}
	if (first > 0) {
		buf_adds(&b, "<");
		for (int c = 0; c < first; c++)
			buf_addf(&b, "%s %s", c ? "," : "", p->cols[c].stage);
	}
	if (first + shown < p->ncols) {
		buf_adds(&b, first > 0 ? " | " : "");
		for (int c = first + shown; c < p->ncols; c++)
			buf_addf(&b, "%s%s", c > first + shown ? ", " : "", p->cols[c].stage);
		buf_adds(&b, " >");
	}
	return buf_steal(&b);
}

/* --- moving a card ------------------------------------------------------------------- */

int pipeline_move(struct store *st, const struct kam_config *cfg, uint64_t id, uint32_t version, int dir,
		  const char **to, char **cause)
{
	const char *stages[PIPE_MAXCOL];
	int n = open_stages(stages);
	struct txn *txn = NULL;
	struct record *r = NULL;
	int rc = store_begin(st, 1, &txn);
	if (rc)
		return set_cause(cause, rc, "cannot write: %s", kam_strerror(rc));
	rc = store_get(txn, ENTITY(opportunity), id, &r);
	if (rc) {
		store_abort(txn);
		return set_cause(cause, rc == KAM_ENOTFOUND ? KAM_ECONFLICT : rc,
				 "opportunity %llu was deleted meanwhile: r reloads", (unsigned long long)id);
	}
	if (r->version != version) {
		rc = set_cause(cause, KAM_ECONFLICT, "changed by %s meanwhile (version %u -> %u): r reloads",
			       r->updated_by ? r->updated_by : "someone", version, r->version);
		goto out;
	}
	int from = -1;
	for (int k = 0; k < n; k++)
		if (r->v[OPP_STAGE].set && r->v[OPP_STAGE].s && strcmp(stages[k], r->v[OPP_STAGE].s) == 0)
			from = k;
	int dest = from + dir;
	if (from < 0 || dest < 0 || dest >= n) {
		rc = set_cause(cause, KAM_EINVAL, "%s is the %s open stage", from >= 0 ? stages[from] : "--",
			       dir < 0 ? "first" : "last");
		goto out;
	}
	int old_def = stage_default(cfg, stages[from]), new_def = stage_default(cfg, stages[dest]);
	int follow = record_has(r, OPP_PROBABILITY) && r->v[OPP_PROBABILITY].i == old_def;
	record_set_text(r, OPP_STAGE, stages[dest]);
	if (follow)
		record_set_int(r, OPP_PROBABILITY, new_def);
	char *cmd = follow ? xasprintf("tui set opportunity %llu stage=%s probability=%d", (unsigned long long)id,
				       stages[dest], new_def)
			   : xasprintf("tui set opportunity %llu stage=%s", (unsigned long long)id, stages[dest]);
	store_txn_set_command(txn, cmd);
	free(cmd);
	rc = access_check(st, store_user(st), ACCESS_WRITE, r, cause);
	if (rc == KAM_EINVAL) {
		char *why = *cause;
		*cause = xasprintf("permission denied: %s", why ? why : "");
		free(why);
		goto out;
	}
	if (!rc)
		rc = store_update(txn, r, cause);
	if (!rc) {
		rc = store_commit(txn, cause);
		txn = NULL;
		if (!rc)
			*to = stages[dest];
	}
out:
	store_abort(txn);
	record_free(r);
	return rc;
}
