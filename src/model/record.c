/* Generic records: one value per field of the entity. */
#include "kam/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"

static int is_text_type(enum ftype t)
{
	return t == FT_TEXT || t == FT_ENUM || t == FT_REFS;
}

struct record *record_new(const struct entity *e)
{
	struct record *r = xcalloc(1, sizeof *r);
	r->ent = e;
	r->v = xcalloc((size_t)e->nfields, sizeof *r->v);
	return r;
}

void record_free(struct record *r)
{
	if (!r)
		return;
	for (int f = 0; f < r->ent->nfields; f++)
		free(r->v[f].s);
	free(r->v);
	free(r->updated_by);
	free(r->ext_id);
	free(r);
}

struct record *record_dup(const struct record *r)
{
	struct record *d = record_new(r->ent);
	d->id = r->id;
	d->version = r->version;
	d->created = r->created;
	d->updated = r->updated;
	d->updated_by = r->updated_by ? xstrdup(r->updated_by) : NULL;
	d->ext_id = r->ext_id ? xstrdup(r->ext_id) : NULL;
	for (int f = 0; f < r->ent->nfields; f++) {
		d->v[f] = r->v[f];
		if (r->v[f].s)
			d->v[f].s = xstrdup(r->v[f].s);
	}
	return d;
}

void record_set_text(struct record *r, int f, const char *s)
{
	free(r->v[f].s);
	r->v[f].s = s ? xstrdup(s) : NULL;
	r->v[f].set = s != NULL;
}

void record_set_int(struct record *r, int f, int64_t i)
{
	r->v[f].i = i;
	r->v[f].set = 1;
}

void record_clear(struct record *r, int f)
{
	free(r->v[f].s);
	r->v[f].s = NULL;
	r->v[f].i = 0;
	r->v[f].set = 0;
}

int record_has(const struct record *r, int f)
{
	return r->v[f].set;
}

const char *record_name(const struct record *r)
{
	int f = r->ent->name_field;
	return f >= 0 && r->v[f].s ? r->v[f].s : "";
}

static int parse_bool(const char *s, int64_t *out)
{
	static const char *const yes[] = {"true", "yes", "1", "y", "是", NULL};
	static const char *const no[] = {"false", "no", "0", "n", "否", NULL};
	for (int i = 0; yes[i]; i++)
		if (!strcasecmp(s, yes[i]))
			return *out = 1, 0;
	for (int i = 0; no[i]; i++)
		if (!strcasecmp(s, no[i]))
			return *out = 0, 0;
	return KAM_EINVAL;
}

static int parse_refs(const char *s, char **cause, const struct field *fd)
{
	const char *p = s;
	while (*p) {
		char *end;
		if (*p < '1' || *p > '9')
			return set_cause(cause, KAM_EINVAL, "%s: '%s' is not a list of ids like 3;17", fd->name, s);
		strtoull(p, &end, 10);
		if (*end == ';')
			end++;
		else if (*end)
			return set_cause(cause, KAM_EINVAL, "%s: '%s' is not a list of ids like 3;17", fd->name, s);
		p = end;
	}
	return 0;
}

static int parse_enum(struct record *r, int f, const char *text, char **cause)
{
	const struct field *fd = &r->ent->fields[f];
	if (enum_index(fd->enums, text) < 0) {
		const char *near = nearest_word(text, fd->enums);
		struct buf b = {0};
		for (int i = 0; fd->enums[i]; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", fd->enums[i]);
		int rc = near ? set_cause(cause, KAM_EINVAL, "%s: '%s' is not one of %s (did you mean '%s'?)", fd->name,
					  text, b.p, near)
			      : set_cause(cause, KAM_EINVAL, "%s: '%s' is not one of %s", fd->name, text, b.p);
		buf_free(&b);
		return rc;
	}
	record_set_text(r, f, text);
	return 0;
}

static int parse_number(struct record *r, int f, const char *text, char **cause)
{
	const struct field *fd = &r->ent->fields[f];
	int64_t v;
	int rc;
	const char *what;
	switch (fd->type) {
	case FT_INT:
		rc = parse_int64(text, &v), what = "a whole number";
		break;
	case FT_MONEY:
		rc = parse_decimal(text, 2, &v), what = "an amount like 1234.50";
		break;
	case FT_PCT: {
		size_t n = strlen(text);
		char tmp[64];
		if (n && n < sizeof tmp && text[n - 1] == '%') {
			memcpy(tmp, text, n - 1), tmp[n - 1] = 0;
			text = tmp;
		}
		rc = parse_int64(text, &v), what = "a percentage 0..100";
		if (!rc && (v < 0 || v > 100))
			rc = KAM_EINVAL;
		break;
	}
	case FT_DATE:
		rc = parse_date(text, &v), what = "a date YYYY-MM-DD";
		break;
	case FT_TIME:
		rc = parse_time(text, &v), what = "a time HH:MM";
		break;
	case FT_BOOL:
		rc = parse_bool(text, &v), what = "true or false";
		break;
	case FT_REF:
		if (text[0] == '#')
			text++;
		rc = parse_int64(text, &v), what = "a record id";
		if (!rc && v <= 0)
			rc = KAM_EINVAL;
		break;
	default:
		return set_cause(cause, KAM_ESTORE, "%s: not a numeric field", fd->name);
	}
	if (rc)
		return set_cause(cause, KAM_EINVAL, "%s: '%s' is not %s", fd->name, text, what);
	record_set_int(r, f, v);
	return 0;
}

int record_parse_field(struct record *r, int f, const char *text, char **cause)
{
	const struct field *fd = &r->ent->fields[f];
	size_t bad;
	if (!utf8_valid(text, strlen(text), &bad))
		return set_cause(cause, KAM_EINVAL, "%s: invalid UTF-8 at byte %zu", fd->name, bad + 1);
	if (!*text) {
		record_clear(r, f);
		return 0;
	}
	switch (fd->type) {
	case FT_TEXT:
		record_set_text(r, f, text);
		return 0;
	case FT_ENUM:
		return parse_enum(r, f, text, cause);
	case FT_REFS:
		if (parse_refs(text, cause, fd))
			return KAM_EINVAL;
		record_set_text(r, f, text);
		return 0;
	default:
		return parse_number(r, f, text, cause);
	}
}

void format_date(int64_t d, struct buf *out)
{
	buf_addf(out, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

static void add_grouped(struct buf *out, uint64_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof digits, "%llu", (unsigned long long)n);
	for (int i = 0; i < len; i++) {
		if (i && (len - i) % 3 == 0)
			buf_addc(out, ',');
		buf_addc(out, digits[i]);
	}
}

void format_money(int64_t cents, struct buf *out)
{
	uint64_t a = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
	if (cents < 0)
		buf_addc(out, '-');
	add_grouped(out, a / 100);
	buf_addf(out, ".%02d", (int)(a % 100));
}

void format_money_short(int64_t cents, struct buf *out)
{
	static const struct {
		int64_t div;
		const char *suffix;
	} units[] = {{100000000LL, "M"}, {100000LL, "K"}, {100, ""}};
	uint64_t a = cents < 0 ? -(uint64_t)cents : (uint64_t)cents;
	int u = 0;
	while (units[u].div > 100 && a < (uint64_t)units[u].div)
		u++;
	uint64_t tenths = (a * 10 + (uint64_t)units[u].div / 2) / (uint64_t)units[u].div;
	if (cents < 0)
		buf_addc(out, '-');
	add_grouped(out, tenths / 10);
	buf_addf(out, ".%d%s", (int)(tenths % 10), units[u].suffix);
}

void record_format_field(const struct record *r, int f, struct buf *out)
{
	const struct value *v = &r->v[f];
	if (!v->set)
		return;
	switch (r->ent->fields[f].type) {
	case FT_TEXT:
	case FT_ENUM:
	case FT_REFS:
		buf_adds(out, v->s ? v->s : "");
		break;
	case FT_MONEY: {
		uint64_t a = v->i < 0 ? -(uint64_t)v->i : (uint64_t)v->i;
		buf_addf(out, "%s%llu.%02d", v->i < 0 ? "-" : "", (unsigned long long)(a / 100), (int)(a % 100));
		break;
	}
	case FT_DATE:
		format_date(v->i, out);
		break;
	case FT_TIME:
		buf_addf(out, "%02d:%02d", (int)(v->i / 60), (int)(v->i % 60));
		break;
	case FT_BOOL:
		buf_adds(out, v->i ? "true" : "false");
		break;
	default:
		buf_addf(out, "%lld", (long long)v->i);
	}
}

/* Entity rules beyond field types. */
static int validate_entity(struct record *r, char **cause)
{
	struct value *v = r->v;
	if (r->ent == ENTITY(account_contact)) {
		if (v[AC_OWNER_A].set && v[AC_OWNER_B].set && v[AC_OWNER_A].i == v[AC_OWNER_B].i)
			return set_cause(cause, KAM_EINVAL, "owner_a and owner_b must be different people");
	} else if (r->ent == ENTITY(influence)) {
		if (v[INF_FROM].i == v[INF_TO].i)
			return set_cause(cause, KAM_EINVAL, "a contact cannot influence itself");
	} else if (r->ent == ENTITY(team)) {
		if (!v[TEAM_ACCOUNT].set && !v[TEAM_OPPORTUNITY].set)
			return set_cause(cause, KAM_EINVAL, "a team membership needs an account or an opportunity");
	} else if (r->ent == ENTITY(activity)) { /* the estimated budget is always computed */
		if (v[ACT_GUESTS].set || v[ACT_FIXED_COST].set) {
			int64_t days = v[ACT_DAYS].set ? v[ACT_DAYS].i : 1;
			record_set_int(r, ACT_BUDGET,
				       v[ACT_GUESTS].i * days * v[ACT_COST_PER_GUEST_DAY].i + v[ACT_FIXED_COST].i);
		} else {
			record_clear(r, ACT_BUDGET);
		}
	}
	return 0;
}

int record_validate(struct record *r, char **cause)
{
	for (int f = 0; f < r->ent->nfields; f++) {
		const struct field *fd = &r->ent->fields[f];
		if (fd->flags & FF_REQ &&
		    (!r->v[f].set || (r->v[f].s && !*r->v[f].s) || (is_text_type(fd->type) && !r->v[f].s)))
			return set_cause(cause, KAM_EINVAL, "%s: required field is missing", fd->name);
		if (fd->type == FT_ENUM && r->v[f].set && enum_index(fd->enums, r->v[f].s) < 0)
			return set_cause(cause, KAM_EINVAL, "%s: '%s' is not a known value", fd->name, r->v[f].s);
	}
	return validate_entity(r, cause);
}

static int value_equal(const struct value *a, const struct value *b)
{
	if (a->set != b->set)
		return 0;
	if (!a->set)
		return 1;
	if (a->s || b->s)
		return a->s && b->s && !strcmp(a->s, b->s);
	return a->i == b->i;
}

int record_diff(const struct record *a, const struct record *b, int **out)
{
	int n = 0;
	*out = xcalloc((size_t)a->ent->nfields + 1, sizeof **out);
	for (int f = 0; f < a->ent->nfields; f++)
		if (!value_equal(&a->v[f], &b->v[f]))
			(*out)[n++] = f;
	(*out)[n] = -1;
	return n;
}
