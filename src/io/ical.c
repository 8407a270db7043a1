/* RFC 5545 writer: activities and opportunity decision dates as VEVENTs. */
#include "kam/ical.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/model.h"

#define ICAL_LINE_MAX 75 /* octets per physical line, excluding CRLF */

void ical_escape_text(const char *s, struct buf *out)
{
	for (; *s; s++) {
		switch (*s) {
		case '\\':
			buf_adds(out, "\\\\");
			break;
		case ';':
			buf_adds(out, "\\;");
			break;
		case ',':
			buf_adds(out, "\\,");
			break;
		case '\r':
			if (s[1] == '\n')
				s++;
			buf_adds(out, "\\n");
			break;
		case '\n':
			buf_adds(out, "\\n");
			break;
		default:
			buf_addc(out, *s);
		}
	}
}

/* Length of the UTF-8 sequence starting with byte c (1 for stray bytes). */
static size_t utf8_seq_len(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return 3;
	if (c >= 0xc0)
		return 2;
	return 1;
}

void ical_fold_line(const char *line, struct buf *out)
{
	size_t used = 0; /* octets on the current physical line */
	const char *p = line;
	while (*p) {
		size_t n = utf8_seq_len((unsigned char)*p);
		size_t avail = strnlen(p, n);
		if (avail < n)
			n = avail; /* truncated sequence at the end: copy as is */
		if (used + n > ICAL_LINE_MAX) {
			buf_adds(out, "\r\n ");
			used = 1; /* the leading space counts */
		}
		buf_add(out, p, n);
		used += n;
		p += n;
	}
	buf_adds(out, "\r\n");
}

/* Append "NAME:escaped-text" folded. */
static void ical_text_prop(struct buf *out, const char *name, const char *text)
{
	struct buf line = {0};
	buf_adds(&line, name);
	buf_addc(&line, ':');
	ical_escape_text(text, &line);
	ical_fold_line(line.p, out);
	buf_free(&line);
}

static void ical_raw_prop(struct buf *out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void ical_raw_prop(struct buf *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = xvasprintf(fmt, ap);
	va_end(ap);
	ical_fold_line(s, out);
	free(s);
}

struct ical_ctx {
	struct txn *t;
	struct buf *out;
	int64_t since;
	char dtstamp[20];
	/* account names by id, loaded once */
	char **acc_names;
	uint64_t acc_cap; /* slots in acc_names */
};

static int ical_collect_account(const struct record *r, void *arg)
{
	struct ical_ctx *x = arg;
	if (r->id >= x->acc_cap) {
		uint64_t n = r->id * 2 + 16;
		x->acc_names = xrealloc(x->acc_names, n * sizeof *x->acc_names);
		memset(x->acc_names + x->acc_cap, 0, (n - x->acc_cap) * sizeof *x->acc_names);
		x->acc_cap = n;
	}
	x->acc_names[r->id] = xstrdup(record_name(r));
	return 0;
}

static const char *ical_account(struct ical_ctx *x, int64_t id)
{
	if (id <= 0 || (uint64_t)id >= x->acc_cap || !x->acc_names[id])
		return "";
	return x->acc_names[id];
}

static void ical_event_begin(struct ical_ctx *x, const char *uid_fmt, uint64_t id)
{
	buf_adds(x->out, "BEGIN:VEVENT\r\n");
	ical_raw_prop(x->out, uid_fmt, (unsigned long long)id);
	ical_raw_prop(x->out, "DTSTAMP:%s", x->dtstamp);
}

static int ical_visit_activity(const struct record *r, void *arg)
{
	struct ical_ctx *x = arg;
	int64_t date = r->v[ACT_DATE].i;
	if (!record_has(r, ACT_DATE) || date < x->since)
		return 0;
	ical_event_begin(x, "UID:act-%llu@kam", r->id);
	if (record_has(r, ACT_TIME)) {
		int64_t m = r->v[ACT_TIME].i;
		/* floating local time: the activity is planned in the KAM's zone */
		ical_raw_prop(x->out, "DTSTART:%08lldT%02lld%02lld00", (long long)date, (long long)(m / 60),
			      (long long)(m % 60));
	} else {
		ical_raw_prop(x->out, "DTSTART;VALUE=DATE:%08lld", (long long)date);
		int64_t days = record_has(r, ACT_DURATION) && r->v[ACT_DURATION].i > 0 ? r->v[ACT_DURATION].i : 1;
		ical_raw_prop(x->out, "DTEND;VALUE=DATE:%08lld", (long long)days_to_date(date_to_days(date) + days));
	}
	const char *acc = ical_account(x, r->v[ACT_ACCOUNT].i);
	const char *title = record_has(r, ACT_TITLE) ? r->v[ACT_TITLE].s : r->v[ACT_TYPE].s;
	char *summary = xasprintf("%s: %s", acc, title ? title : "");
	ical_text_prop(x->out, "SUMMARY", summary);
	free(summary);
	ical_text_prop(x->out, "LOCATION", acc);
	struct buf d = {0};
	buf_addf(&d, "Account: %s\nType: %s", acc, r->v[ACT_TYPE].s ? r->v[ACT_TYPE].s : "");
	if (record_has(r, ACT_STATUS))
		buf_addf(&d, "\nStatus: %s", r->v[ACT_STATUS].s);
	if (record_has(r, ACT_OUTCOME))
		buf_addf(&d, "\n%s", r->v[ACT_OUTCOME].s);
	ical_text_prop(x->out, "DESCRIPTION", d.p);
	buf_free(&d);
	if (record_has(r, ACT_STATUS) && strcmp(r->v[ACT_STATUS].s, "cancelled") == 0)
		buf_adds(x->out, "STATUS:CANCELLED\r\n");
	else if (record_has(r, ACT_STATUS) && strcmp(r->v[ACT_STATUS].s, "planned") == 0)
		buf_adds(x->out, "STATUS:TENTATIVE\r\n");
	else
		buf_adds(x->out, "STATUS:CONFIRMED\r\n");
	buf_adds(x->out, "END:VEVENT\r\n");
	return 0;
}

static int ical_visit_opportunity(const struct record *r, void *arg)
{
	struct ical_ctx *x = arg;
	if (!record_has(r, OPP_DECISION) || r->v[OPP_DECISION].i < x->since)
		return 0;
	int64_t date = r->v[OPP_DECISION].i;
	ical_event_begin(x, "UID:opp-%llu-decision@kam", r->id);
	ical_raw_prop(x->out, "DTSTART;VALUE=DATE:%08lld", (long long)date);
	ical_raw_prop(x->out, "DTEND;VALUE=DATE:%08lld", (long long)days_to_date(date_to_days(date) + 1));
	const char *acc = ical_account(x, r->v[OPP_ACCOUNT].i);
	char *summary = xasprintf("Decision: %s (%s)", r->v[OPP_TITLE].s ? r->v[OPP_TITLE].s : "", acc);
	ical_text_prop(x->out, "SUMMARY", summary);
	free(summary);
	ical_text_prop(x->out, "LOCATION", acc);
	struct buf d = {0}, money = {0};
	buf_addf(&d, "Account: %s", acc);
	if (record_has(r, OPP_AMOUNT)) {
		format_money(r->v[OPP_AMOUNT].i, &money);
		buf_addf(&d, "\nAmount: %s", money.p);
	}
	if (record_has(r, OPP_STAGE))
		buf_addf(&d, "\nStage: %s", r->v[OPP_STAGE].s);
	if (record_has(r, OPP_STATUS))
		buf_addf(&d, "\nStatus: %s", r->v[OPP_STATUS].s);
	ical_text_prop(x->out, "DESCRIPTION", d.p);
	buf_free(&d);
	buf_free(&money);
	buf_adds(x->out, "TRANSP:TRANSPARENT\r\nEND:VEVENT\r\n");
	return 0;
}

int ical_write_activities(struct store *st, FILE *out, int64_t since_yyyymmdd, char **cause)
{
	struct txn *t = NULL;
	int rc = store_begin(st, 0, &t);
	if (rc < 0)
		return set_cause(cause, rc, "cannot open a read transaction");
	struct buf b = {0};
	struct ical_ctx x = {.t = t, .out = &b, .since = since_yyyymmdd};
	/* DTSTAMP follows KAM_TODAY in tests so the output is reproducible. */
	int64_t today = date_today();
	snprintf(x.dtstamp, sizeof x.dtstamp, "%08lldT000000Z", (long long)today);
	buf_adds(&b, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//kam//key account management//EN\r\n"
		     "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
	rc = store_scan(t, ENTITY(account), ical_collect_account, &x);
	if (rc == 0)
		rc = store_scan(t, ENTITY(activity), ical_visit_activity, &x);
	if (rc == 0)
		rc = store_scan(t, ENTITY(opportunity), ical_visit_opportunity, &x);
	store_abort(t);
	if (rc == 0) {
		buf_adds(&b, "END:VCALENDAR\r\n");
		if (fwrite(b.p, 1, b.len, out) != b.len || fflush(out) != 0)
			rc = set_cause(cause, KAM_ESTORE, "cannot write the calendar");
	} else {
		set_cause(cause, rc, "cannot read activities and opportunities");
	}
	for (uint64_t i = 0; i < x.acc_cap; i++)
		free(x.acc_names[i]);
	free(x.acc_names);
	buf_free(&b);
	return rc;
}
