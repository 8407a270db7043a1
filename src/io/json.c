#include "kam/json.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"
#include "kam/util.h"

/* One flat JSON object per line (JSONL). Scalars are decoded; nested
 * objects and arrays are validated in full (so that garbage cannot hide
 * inside them) and kept as their raw text. */

enum { JSON_MAX_DEPTH = 64 };

struct jparse {
	const char *s;
	size_t n, i;
	char *msg;     /* first error, NULL while all is well */
	size_t err_at; /* byte offset of the error */
};

static int jp_fail(struct jparse *p, size_t at, char *msg)
{
	if (p->msg == NULL) {
		p->msg = msg;
		p->err_at = at;
	} else {
		free(msg);
	}
	return -1;
}

static void jp_ws(struct jparse *p)
{
	while (p->i < p->n && (p->s[p->i] == ' ' || p->s[p->i] == '\t' || p->s[p->i] == '\n' || p->s[p->i] == '\r'))
		p->i++;
}

/* 1-based column in code points of byte offset `at`. */
static int jp_col(const char *s, size_t at)
{
	int col = 1;

	for (size_t k = 0; k < at; k++)
		col += ((unsigned char)s[k] & 0xC0) != 0x80;
	return col;
}

static int hex4(const char *s, uint32_t *v)
{
	*v = 0;
	for (int k = 0; k < 4; k++) {
		char c = s[k];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (uint32_t)d;
	}
	return 0;
}

static void add_utf8(struct buf *b, uint32_t cp)
{
	char t[4];
	size_t n;

	if (cp < 0x80) {
		t[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		t[0] = (char)(0xC0 | cp >> 6), t[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		t[0] = (char)(0xE0 | cp >> 12), t[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		t[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		t[0] = (char)(0xF0 | cp >> 18), t[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		t[2] = (char)(0x80 | (cp >> 6 & 0x3F)), t[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	buf_add(b, t, n);
}

/* \uXXXX at p->i (pointing at the 'u'), with a following low surrogate
 * when the first is a high one. */
static int jp_unicode(struct jparse *p, size_t esc, uint32_t *cp)
{
	uint32_t lo;

	if (p->n - p->i < 5 || hex4(p->s + p->i + 1, cp) < 0)
		return jp_fail(p, esc, xstrdup("\\u needs four hex digits"));
	p->i += 5;
	if (*cp >= 0xDC00 && *cp <= 0xDFFF)
		return jp_fail(p, esc, xstrdup("unpaired low surrogate"));
	if (*cp >= 0xD800 && *cp <= 0xDBFF) {
		if (p->n - p->i < 6 || p->s[p->i] != '\\' || p->s[p->i + 1] != 'u' || hex4(p->s + p->i + 2, &lo) < 0 ||
		    lo < 0xDC00 || lo > 0xDFFF)
			return jp_fail(p, esc, xstrdup("unpaired high surrogate"));
		p->i += 6;
		*cp = 0x10000 + ((*cp - 0xD800) << 10) + (lo - 0xDC00);
	}
	if (*cp == 0)
		return jp_fail(p, esc, xstrdup("\\u0000 is not allowed"));
	return 0;
}

static int jp_escape(struct jparse *p, struct buf *out)
{
	size_t esc = p->i++;
	uint32_t cp;
	char c;

	if (p->i >= p->n)
		return jp_fail(p, esc, xstrdup("unterminated string"));
	switch (c = p->s[p->i]) {
	case '"':
	case '\\':
	case '/':
		break;
	case 'b':
		c = '\b';
		break;
	case 'f':
		c = '\f';
		break;
	case 'n':
		c = '\n';
		break;
	case 'r':
		c = '\r';
		break;
	case 't':
		c = '\t';
		break;
	case 'u':
		if (jp_unicode(p, esc, &cp) < 0)
			return -1;
		if (out != NULL)
			add_utf8(out, cp);
		return 0;
	default:
		return jp_fail(p, esc, xasprintf("invalid escape '\\%c'", c >= 0x20 && c < 0x7F ? c : '?'));
	}
	if (out != NULL)
		buf_addc(out, c);
	p->i++;
	return 0;
}

/* A string literal at p->i (on the opening quote); decoded into out unless
 * out is NULL (validation only). */
static int jp_string(struct jparse *p, struct buf *out)
{
	size_t open = p->i++;

	for (;;) {
		size_t run = p->i;
		unsigned char c;

		while (p->i < p->n && (unsigned char)p->s[p->i] >= 0x20 && p->s[p->i] != '"' && p->s[p->i] != '\\' &&
		       (unsigned char)p->s[p->i] < 0x80)
			p->i++;
		if (out != NULL)
			buf_add(out, p->s + run, p->i - run);
		if (p->i >= p->n)
			return jp_fail(p, open, xstrdup("unterminated string"));
		c = (unsigned char)p->s[p->i];
		if (c == '"') {
			p->i++;
			return 0;
		}
		if (c == '\\') {
			if (jp_escape(p, out) < 0)
				return -1;
		} else if (c < 0x20) {
			return jp_fail(p, p->i, xasprintf("control character 0x%02X in string (use an escape)", c));
		} else {
			uint32_t cp;
			int l = utf8_decode(p->s + p->i, p->n - p->i, &cp);

			if (l < 0)
				return jp_fail(p, p->i, xasprintf("invalid UTF-8 (byte 0x%02X)", c));
			if (out != NULL)
				buf_add(out, p->s + p->i, (size_t)l);
			p->i += (size_t)l;
		}
	}
}

static int jp_digits(struct jparse *p)
{
	size_t start = p->i;

	while (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
		p->i++;
	return p->i > start ? 0 : -1;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int jp_number(struct jparse *p)
{
	size_t start = p->i;

	if (p->s[p->i] == '-')
		p->i++;
	if (p->i < p->n && p->s[p->i] == '0') {
		p->i++;
		if (p->i < p->n && p->s[p->i] >= '0' && p->s[p->i] <= '9')
			return jp_fail(p, start, xstrdup("number with a leading zero"));
	} else if (jp_digits(p) < 0) {
		return jp_fail(p, start, xstrdup("invalid number"));
	}
	if (p->i < p->n && p->s[p->i] == '.') {
		p->i++;
		if (jp_digits(p) < 0)
			return jp_fail(p, start, xstrdup("invalid number: digits expected after '.'"));
	}
	if (p->i < p->n && (p->s[p->i] == 'e' || p->s[p->i] == 'E')) {
		p->i++;
		if (p->i < p->n && (p->s[p->i] == '+' || p->s[p->i] == '-'))
			p->i++;
		if (jp_digits(p) < 0)
			return jp_fail(p, start, xstrdup("invalid number: digits expected in the exponent"));
	}
	return 0;
}

static int jp_literal(struct jparse *p, const char *word)
{
	size_t len = strlen(word);

	if (p->n - p->i < len || memcmp(p->s + p->i, word, len) != 0)
		return jp_fail(p, p->i, xstrdup("expected a value"));
	p->i += len;
	return 0;
}

static int jp_value(struct jparse *p, int depth);

/* Array or object at p->i, validated; used for nested values kept raw. */
static int jp_container(struct jparse *p, int depth)
{
	char close = p->s[p->i] == '{' ? '}' : ']';
	int is_obj = close == '}';
	size_t open = p->i++;

	if (depth > JSON_MAX_DEPTH)
		return jp_fail(p, open, xasprintf("nesting deeper than %d", JSON_MAX_DEPTH));
	jp_ws(p);
	if (p->i < p->n && p->s[p->i] == close) {
		p->i++;
		return 0;
	}
	for (;;) {
		jp_ws(p);
		if (is_obj) {
			if (p->i >= p->n || p->s[p->i] != '"')
				return jp_fail(p, p->i, xstrdup("expected a string key"));
			if (jp_string(p, NULL) < 0)
				return -1;
			jp_ws(p);
			if (p->i >= p->n || p->s[p->i] != ':')
				return jp_fail(p, p->i, xstrdup("expected ':'"));
			p->i++;
			jp_ws(p);
		}
		if (jp_value(p, depth + 1) < 0)
			return -1;
		jp_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == close) {
			p->i++;
			return 0;
		}
		if (p->i >= p->n)
			return jp_fail(p, open, xasprintf("unclosed '%c'", p->s[open]));
		return jp_fail(p, p->i, xasprintf("expected ',' or '%c'", close));
	}
}

static int jp_value(struct jparse *p, int depth)
{
	if (p->i >= p->n)
		return jp_fail(p, p->i, xstrdup("expected a value"));
	switch (p->s[p->i]) {
	case '"':
		return jp_string(p, NULL);
	case '{':
	case '[':
		return jp_container(p, depth);
	case 't':
		return jp_literal(p, "true");
	case 'f':
		return jp_literal(p, "false");
	case 'n':
		return jp_literal(p, "null");
	}
	if (p->s[p->i] == '-' || (p->s[p->i] >= '0' && p->s[p->i] <= '9'))
		return jp_number(p);
	return jp_fail(p, p->i, xstrdup("expected a value"));
}

/* One member value of the top-level object, decoded into m. */
static int jp_member_value(struct jparse *p, struct json_member *m)
{
	size_t start = p->i;
	struct buf b = {0};
	char c = p->i < p->n ? p->s[p->i] : '\0';

	m->col = jp_col(p->s, start);
	if (c == '"') {
		if (jp_string(p, &b) < 0) {
			buf_free(&b);
			return -1;
		}
		m->type = JSON_STRING;
		m->text = buf_steal(&b);
		return 0;
	}
	if (jp_value(p, 1) < 0)
		return -1;
	m->type = c == '{' || c == '['   ? JSON_RAW
		  : c == 't' || c == 'f' ? JSON_BOOL
		  : c == 'n'             ? JSON_NULL
					 : JSON_NUMBER;
	/* null carries the text "null" so that text is never NULL. */
	m->text = xstrndup(p->s + start, p->i - start);
	return 0;
}

static struct json_member *jp_add_member(struct json_object *o, int *cap)
{
	if (o->n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		o->m = xrealloc(o->m, (size_t)*cap * sizeof(*o->m));
	}
	memset(&o->m[o->n], 0, sizeof(o->m[o->n]));
	return &o->m[o->n++];
}

static int jp_object(struct jparse *p, struct json_object *o)
{
	int cap = 0;

	jp_ws(p);
	if (p->i >= p->n || p->s[p->i] != '{')
		return jp_fail(p, p->i, xstrdup("expected '{' (one JSON object per line)"));
	p->i++;
	jp_ws(p);
	if (p->i < p->n && p->s[p->i] == '}') {
		p->i++;
		return 0;
	}
	for (;;) {
		struct buf key = {0};
		size_t key_at;
		struct json_member *m;

		jp_ws(p);
		key_at = p->i;
		if (p->i >= p->n || p->s[p->i] != '"')
			return jp_fail(p, p->i, xstrdup("expected a string key"));
		if (jp_string(p, &key) < 0) {
			buf_free(&key);
			return -1;
		}
		m = jp_add_member(o, &cap);
		m->key = buf_steal(&key);
		for (int k = 0; k < o->n - 1; k++)
			if (strcmp(o->m[k].key, m->key) == 0)
				return jp_fail(p, key_at, xasprintf("duplicate key \"%s\"", m->key));
		jp_ws(p);
		if (p->i >= p->n || p->s[p->i] != ':')
			return jp_fail(p, p->i, xstrdup("expected ':' after the key"));
		p->i++;
		jp_ws(p);
		if (jp_member_value(p, m) < 0)
			return -1;
		jp_ws(p);
		if (p->i < p->n && p->s[p->i] == ',') {
			p->i++;
			continue;
		}
		if (p->i < p->n && p->s[p->i] == '}') {
			p->i++;
			return 0;
		}
		return jp_fail(p, p->i,
			       xstrdup(p->i >= p->n ? "unclosed object: expected ',' or '}'" : "expected ',' or '}'"));
	}
}

int json_parse_object(const char *line, size_t len, struct json_object *out, int *col, char **cause)
{
	struct jparse p = {line, len, 0, NULL, 0};

	out->n = 0;
	out->m = NULL;
	if (jp_object(&p, out) == 0) {
		jp_ws(&p);
		if (p.i < p.n)
			jp_fail(&p, p.i, xstrdup("unexpected text after the object"));
	}
	if (p.msg == NULL)
		return 0;
	json_object_free(out);
	if (col != NULL)
		*col = jp_col(line, p.err_at);
	set_cause(cause, KAM_EINVAL, "%s", p.msg);
	free(p.msg);
	return KAM_EINVAL;
}

void json_object_free(struct json_object *o)
{
	if (o == NULL)
		return;
	for (int k = 0; k < o->n; k++) {
		free(o->m[k].key);
		free(o->m[k].text);
	}
	free(o->m);
	o->m = NULL;
	o->n = 0;
}

const struct json_member *json_get(const struct json_object *o, const char *key)
{
	for (int k = 0; k < o->n; k++)
		if (strcmp(o->m[k].key, key) == 0)
			return &o->m[k];
	return NULL;
}

void json_add_string(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = strlen(s);

	buf_grow(out, n + 2);
	buf_addc(out, '"');
	while (n > 0) {
		size_t run = 0;
		unsigned char c;
		uint32_t cp;
		int l;

		while (run < n && (unsigned char)s[run] >= 0x20 && s[run] != '"' && s[run] != '\\' &&
		       (unsigned char)s[run] < 0x80)
			run++;
		buf_add(out, s, run);
		s += run;
		n -= run;
		if (n == 0)
			break;
		c = (unsigned char)*s;
		if (c >= 0x80) {
			/* Valid UTF-8 passes through; a bad byte becomes U+FFFD so
			 * the output is always valid JSON. */
			l = utf8_decode(s, n, &cp);
			if (l < 0) {
				buf_adds(out, "\\ufffd");
				l = 1;
			} else {
				buf_add(out, s, (size_t)l);
			}
			s += l;
			n -= (size_t)l;
			continue;
		}
		switch (c) {
		case '"':
			buf_adds(out, "\\\"");
			break;
		case '\\':
			buf_adds(out, "\\\\");
			break;
		case '\n':
			buf_adds(out, "\\n");
			break;
		case '\r':
			buf_adds(out, "\\r");
			break;
		case '\t':
			buf_adds(out, "\\t");
			break;
		case '\b':
			buf_adds(out, "\\b");
			break;
		case '\f':
			buf_adds(out, "\\f");
			break;
		default: {
			char u[7] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15], 0};
			buf_adds(out, u);
		}
		}
		s++;
		n--;
	}
	buf_addc(out, '"');
}
