/* The navigator's filter language (see kam/query.h). */
#include "kam/query.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"
#include "kam/util.h"

/* Field names as typed; aliases map to the same field. */
static const struct {
	const char *name;
	enum query_field field;
} field_names[] = {
    {"name", QF_NAME},       {"kam", QF_KAM},     {"region", QF_REGION}, {"province", QF_PROVINCE},
    {"city", QF_CITY},       {"tier", QF_TIER},   {"stage", QF_STAGE},   {"industry", QF_INDUSTRY},
    {"revenue", QF_REVENUE}, {"rev", QF_REVENUE}, {"score", QF_SCORE},   {"employees", QF_EMPLOYEES},
};
#define NFIELDS (int)(sizeof field_names / sizeof field_names[0])

const char *query_field_name(enum query_field f)
{
	for (int i = 0; i < NFIELDS; i++)
		if (field_names[i].field == f)
			return field_names[i].name;
	return "text";
}

int query_field_numeric(enum query_field f)
{
	return f == QF_REVENUE || f == QF_SCORE || f == QF_EMPLOYEES;
}

static int field_code(enum query_field f)
{
	return f == QF_TIER || f == QF_STAGE || f == QF_INDUSTRY;
}

/* --- scanning ------------------------------------------------------------------ */

struct scan {
	const char *s;
	size_t i;
	char **cause;
};

/* 1-based column in characters of byte offset off. */
static int column(const char *s, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			col++;
	return col;
}

static int fail(struct scan *sc, size_t off, const char *fmt, const char *a, const char *b)
{
	char *msg = xasprintf(fmt, a ? a : "", b ? b : "");
	set_cause(sc->cause, KAM_EINVAL, "column %d: %s", column(sc->s, off), msg);
	free(msg);
	return KAM_EINVAL;
}

/* Length of a blank at s (ASCII blank or U+3000), 0 if none. */
static size_t blank_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	if ((unsigned char)s[0] == 0xE3 && (unsigned char)s[1] == 0x80 && (unsigned char)s[2] == 0x80)
		return 3;
	return 0;
}

static void skip_blanks(struct scan *sc)
{
	size_t n;
	while ((n = blank_len(sc->s + sc->i)) > 0)
		sc->i += n;
}

/* A value: quoted or up to the next blank. Returns 0 and a new string. */
static int scan_value(struct scan *sc, char **out)
{
	const char *s = sc->s;
	struct buf b = {0};
	if (s[sc->i] == '"') {
		size_t start = sc->i++;
		for (;;) {
			char c = s[sc->i];
			if (c == '\0') {
				buf_free(&b);
				return fail(sc, start, "unterminated quote%s%s", NULL, NULL);
			}
			sc->i++;
			if (c == '"')
				break;
			if (c == '\\' && (s[sc->i] == '"' || s[sc->i] == '\\'))
				c = s[sc->i++];
			buf_addc(&b, c);
		}
		if (s[sc->i] && !blank_len(s + sc->i)) {
			buf_free(&b);
			return fail(sc, sc->i, "a blank must follow the closing quote%s%s", NULL, NULL);
		}
	} else {
		size_t start = sc->i;
		while (s[sc->i] && !blank_len(s + sc->i))
			sc->i++;
		buf_add(&b, s + start, sc->i - start);
	}
	if (!b.p)
		buf_adds(&b, "");
	*out = buf_steal(&b);
	return 0;
}

/* "1,000,000", "1.5M", "300万", "2亿", "85" -> value x 100. */
static int parse_number(const char *v, int64_t *out)
{
	static const struct {
		const char *suffix;
		int64_t mul;
	} sfx[] = {{"k", 1000},       {"K", 1000},       {"m", 1000000}, {"M", 1000000},
		   {"b", 1000000000}, {"B", 1000000000}, {"万", 10000},  {"亿", 100000000}};
	size_t n = strlen(v);
	int64_t mul = 1;
	for (size_t k = 0; k < sizeof sfx / sizeof sfx[0]; k++) {
		size_t l = strlen(sfx[k].suffix);
		if (n > l && strcmp(v + n - l, sfx[k].suffix) == 0) {
			mul = sfx[k].mul;
			n -= l;
			break;
		}
	}
	char *num = xstrndup(v, n);
	int64_t x;
	int rc = parse_decimal(num, 2, &x);
	free(num);
	if (rc != 0)
		return KAM_EINVAL;
	if (mul > 1 && (x > INT64_MAX / mul || x < INT64_MIN / mul))
		return KAM_EINVAL;
	*out = x * mul;
	return 0;
}

/* An identifier followed by an operator starts a field term. Returns the
 * operator's byte length (0: not a field term) and sets *op. */
static size_t scan_op(const char *s, enum query_op *op)
{
	static const struct {
		const char *text;
		enum query_op op;
	} ops[] = {{"!=", QOP_NE}, {"!~", QOP_NOT_CONTAINS}, {"<=", QOP_LE}, {">=", QOP_GE},
		   {":", QOP_HAS}, {"~", QOP_CONTAINS},      {"=", QOP_EQ},  {"<", QOP_LT},
		   {">", QOP_GT}};
	for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++) {
		size_t l = strlen(ops[k].text);
		if (strncmp(s, ops[k].text, l) == 0) {
			*op = ops[k].op;
			return l;
		}
	}
	return 0;
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int scan_term(struct scan *sc, struct query_term *t)
{
	const char *s = sc->s;
	size_t start = sc->i, e = start;
	enum query_op op = QOP_HAS;
	size_t oplen = 0;
	while (is_ident(s[e]))
		e++;
	if (e > start)
		oplen = scan_op(s + e, &op);
	memset(t, 0, sizeof *t);
	char *value = NULL;
	if (!oplen) {
		/* A bare word: what the plain filter always matched. */
		t->field = QF_TEXT;
		t->op = QOP_CONTAINS;
		if (scan_value(sc, &value) != 0)
			return KAM_EINVAL;
		t->text = text_fold(value);
		free(value);
		return 0;
	}
	char *name = xstrndup(s + start, e - start);
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	int f = -1;
	for (int k = 0; k < NFIELDS; k++)
		if (strcmp(name, field_names[k].name) == 0)
			f = (int)field_names[k].field;
	if (f < 0) {
		const char *cands[NFIELDS + 1];
		for (int k = 0; k < NFIELDS; k++)
			cands[k] = field_names[k].name;
		cands[NFIELDS] = NULL;
		const char *near = nearest_word(name, cands);
		int rc;
		if (near)
			rc = fail(sc, start, "unknown field '%s' (did you mean %s?)", name, near);
		else
			rc = fail(sc, start,
				  "unknown field '%s' (fields: %sname kam region province city tier stage "
				  "industry revenue score employees)",
				  name, NULL);
		free(name);
		return rc;
	}
	t->field = (enum query_field)f;
	t->op = op;
	size_t opat = e;
	sc->i = e + oplen;
	int numeric = query_field_numeric(t->field);
	if (!numeric && op >= QOP_LT) {
		int rc = fail(sc, opat, "'%s' is text: compare it with : ~ = != !~, not %s", name,
			      op == QOP_LT   ? "<"
			      : op == QOP_LE ? "<="
			      : op == QOP_GT ? ">"
					     : ">=");
		free(name);
		return rc;
	}
	if (numeric && (op == QOP_CONTAINS || op == QOP_NOT_CONTAINS)) {
		int rc = fail(sc, opat, "'%s' is a number: compare it with : = != < <= > >=, not %s", name,
			      op == QOP_CONTAINS ? "~" : "!~");
		free(name);
		return rc;
	}
	if (!s[sc->i] || blank_len(s + sc->i)) {
		char *optext = xstrndup(s + opat, oplen);
		int rc = fail(sc, sc->i, "a value must follow '%s%s'", name, optext);
		free(optext);
		free(name);
		return rc;
	}
	size_t vat = sc->i;
	if (scan_value(sc, &value) != 0) {
		free(name);
		return KAM_EINVAL;
	}
	if (numeric) {
		if (op == QOP_HAS)
			t->op = QOP_EQ;
		if (parse_number(value, &t->num) != 0) {
			int rc = fail(sc, vat, "'%s' needs a number, not '%s'", name, value);
			free(name);
			free(value);
			return rc;
		}
	} else {
		if (op == QOP_HAS && !field_code(t->field))
			t->op = QOP_CONTAINS;
		t->text = text_fold(value);
	}
	free(name);
	free(value);
	return 0;
}

int query_parse(const char *src, struct query **out, char **cause)
{
	*out = NULL;
	if (!src)
		return 0;
	size_t bad;
	if (!utf8_valid(src, strlen(src), &bad))
		return set_cause(cause, KAM_EINVAL, "column %d: invalid UTF-8", column(src, bad));
	struct scan sc = {src, 0, cause};
	struct query *q = xcalloc(1, sizeof *q);
	int cap = 0;
	for (;;) {
		skip_blanks(&sc);
		if (!src[sc.i])
			break;
		if (q->n == cap) {
			cap = cap ? cap * 2 : 4;
			q->terms = xrealloc(q->terms, (size_t)cap * sizeof *q->terms);
		}
		if (scan_term(&sc, &q->terms[q->n]) != 0) {
			query_free(q);
			return KAM_EINVAL;
		}
		q->n++;
	}
	if (!q->n) {
		query_free(q);
		return 0;
	}
	*out = q;
	return 0;
}

void query_free(struct query *q)
{
	if (!q)
		return;
	for (int i = 0; i < q->n; i++)
		free(q->terms[i].text);
	free(q->terms);
	free(q);
}

/* --- matching ----------------------------------------------------------------------- */

static int text_test(const char *have, enum query_op op, const char *want, int code)
{
	const char *h = have ? have : "";
	switch (op) {
	case QOP_HAS:
		return code ? strncmp(h, want, strlen(want)) == 0 : strstr(h, want) != NULL;
	case QOP_CONTAINS:
		return strstr(h, want) != NULL;
	case QOP_NOT_CONTAINS:
		return strstr(h, want) == NULL;
	case QOP_EQ:
		return strcmp(h, want) == 0;
	case QOP_NE:
		return strcmp(h, want) != 0;
	default:
		return 0;
	}
}

static int term_match(const struct query_term *t, const struct query_subject *s)
{
	if (query_field_numeric(t->field)) {
		if (!s->has_num[t->field])
			return t->op == QOP_NE; /* no figure: only "not equal" holds */
		int64_t v = s->num[t->field], w = t->num;
		switch (t->op) {
		case QOP_EQ:
			return v == w;
		case QOP_NE:
			return v != w;
		case QOP_LT:
			return v < w;
		case QOP_LE:
			return v <= w;
		case QOP_GT:
			return v > w;
		case QOP_GE:
			return v >= w;
		default:
			return 0;
		}
	}
	if (t->field == QF_REGION) {
		int neg = t->op == QOP_NE || t->op == QOP_NOT_CONTAINS;
		int p = text_test(s->text[QF_PROVINCE], t->op, t->text, 0);
		int c = text_test(s->text[QF_CITY], t->op, t->text, 0);
		return neg ? p && c : p || c;
	}
	return text_test(s->text[t->field], t->op, t->text, field_code(t->field));
}

int query_match(const struct query *q, const struct query_subject *s)
{
	for (int i = 0; q && i < q->n; i++)
		if (!term_match(&q->terms[i], s))
			return 0;
	return 1;
}
