/* kam.yaml loader: libyaml events into typed structs through descriptor
 * tables. The only file that includes <yaml.h>. Every problem of a file is
 * collected (not only the first) as "FILE:LINE:COL: error: ...", the source
 * line and a caret. */
#include "kam/conf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "conf_int.h"
#include "kam/err.h"
#include "kam/rules.h"
#include "kam/text.h"

#define CONF_MAX_BYTES (1024 * 1024)
#define CONF_MAX_DEPTH 32
#define CONF_MAX_ERRORS 50

struct src {
	const char *name; /* borrowed from cfg->files */
	const char *text;
	size_t len;
};

struct ld {
	yaml_parser_t p;
	struct kam_config *cfg;
	const struct src *src; /* file being parsed */
	const struct src *srcs[4];
	int nsrcs;
	struct buf errs;
	int nerr;
	int depth;
	int broken;         /* syntax error: the parser cannot go on */
	int prescan_failed; /* size, NUL or UTF-8: the file was not parsed */
};

/* ---- error reporting ---------------------------------------------------- */

static const struct src *ld_find_src(struct ld *l, const char *file)
{
	for (int i = 0; i < l->nsrcs; i++)
		if (l->srcs[i]->name == file || strcmp(l->srcs[i]->name, file) == 0)
			return l->srcs[i];
	return NULL;
}

/* Append the source line `line` (1-based) and a caret under code point `col`. */
static void ld_quote_line(struct buf *b, const struct src *s, int line, int col)
{
	const char *p = s->text, *end = s->text + s->len;
	for (int n = 1; n < line && p < end; n++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			return;
		p = nl + 1;
	}
	const char *e = memchr(p, '\n', (size_t)(end - p));
	if (!e)
		e = end;
	if (e > p && e[-1] == '\r')
		e--;
	if (e - p > 400)
		return; /* a caret under a minified line helps nobody */
	/* Control characters and bad UTF-8 become '?': the line goes to a terminal. */
	for (const char *q = p; q < e;) {
		uint32_t cp;
		int n = utf8_decode(q, (size_t)(e - q), &cp);
		if (n <= 0 || (cp < 0x20 && cp != '\t') || cp == 0x7f) {
			buf_addc(b, '?');
			q += n <= 0 ? 1 : n;
		} else {
			buf_add(b, q, (size_t)n);
			q += n;
		}
	}
	buf_addc(b, '\n');
	/* The caret sits under the column whatever the width of what precedes it. */
	const char *q = p;
	for (int c = 1; c < col && q < e; c++) {
		uint32_t cp;
		int n = utf8_decode(q, (size_t)(e - q), &cp);
		if (n <= 0) {
			n = 1;
			cp = '?';
		}
		if (cp == '\t')
			buf_addc(b, '\t');
		else
			for (int w = cp_width(cp) > 1 ? 2 : 1; w > 0; w--)
				buf_addc(b, ' ');
		q += n;
	}
	buf_adds(b, "^\n");
}

static void ld_verror(struct ld *l, const char *file, int line, int col, const char *fmt, va_list ap)
{
	l->nerr++;
	if (l->nerr > CONF_MAX_ERRORS)
		return;
	char *msg = xvasprintf(fmt, ap);
	buf_addf(&l->errs, "%s:%d:%d: error: %s\n", file, line, col, msg);
	free(msg);
	const struct src *s = ld_find_src(l, file);
	if (s)
		ld_quote_line(&l->errs, s, line, col);
}

static void __attribute__((format(printf, 3, 4)))
ld_error_mark(struct ld *l, const struct conf_mark *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ld_verror(l, m->file, m->line, m->col, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4))) ld_error(struct ld *l, const yaml_event_t *ev, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ld_verror(l, l->src->name, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1, fmt, ap);
	va_end(ap);
}

static struct conf_mark ld_mark(struct ld *l, const yaml_event_t *ev)
{
	struct conf_mark m = {l->src->name, (int)ev->start_mark.line + 1, (int)ev->start_mark.column + 1};
	return m;
}

/* Line and column (code points) of a byte offset, for NUL and bad UTF-8. */
static void offset_position(const char *text, size_t off, int *line, int *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < off; i++) {
		unsigned char c = (unsigned char)text[i];
		if (c == '\n') {
			(*line)++;
			*col = 1;
		} else if ((c & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* ---- events --------------------------------------------------------------- */

static int ev_is_start(const yaml_event_t *ev)
{
	return ev->type == YAML_MAPPING_START_EVENT || ev->type == YAML_SEQUENCE_START_EVENT;
}

/* Next event, with the checks that apply to every node: aliases, anchors,
 * tags. Returns -1 after a syntax error (reported). */
static int ev_next(struct ld *l, yaml_event_t *ev)
{
	if (l->broken)
		return -1;
	if (!yaml_parser_parse(&l->p, ev)) {
		const char *prob = l->p.problem ? l->p.problem : "syntax error";
		struct conf_mark m = {l->src->name, (int)l->p.problem_mark.line + 1, (int)l->p.problem_mark.column + 1};
		if (l->p.context)
			ld_error_mark(l, &m, "%s %s", prob, l->p.context);
		else
			ld_error_mark(l, &m, "%s", prob);
		l->broken = 1;
		return -1;
	}
	const yaml_char_t *anchor = NULL, *tag = NULL;
	int implicit = 1;
	if (ev_is_start(ev) && ++l->depth == CONF_MAX_DEPTH + 1)
		ld_error(l, ev, "nesting deeper than %d levels", CONF_MAX_DEPTH);
	if (ev->type == YAML_MAPPING_END_EVENT || ev->type == YAML_SEQUENCE_END_EVENT)
		l->depth--;
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		ld_error(l, ev, "aliases are not allowed (write the value out)");
		break;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		implicit = ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		implicit = ev->data.sequence_start.implicit;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		implicit = ev->data.mapping_start.implicit;
		break;
	default:
		break;
	}
	if (anchor)
		ld_error(l, ev, "anchors are not allowed (&%s)", (const char *)anchor);
	if (tag && !implicit)
		ld_error(l, ev, "tags are not allowed (%s)", (const char *)tag);
	return 0;
}

/* Skip the rest of a node whose first event is ev (already consumed). */
static void ev_skip(struct ld *l, const yaml_event_t *first)
{
	if (!ev_is_start(first))
		return;
	int level = 1;
	while (level > 0) {
		yaml_event_t ev;
		if (ev_next(l, &ev) < 0)
			return;
		if (ev_is_start(&ev))
			level++;
		else if (ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT)
			level--;
		yaml_event_delete(&ev);
	}
}

static const char *ev_kind(const yaml_event_t *ev)
{
	switch (ev->type) {
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_SEQUENCE_START_EVENT:
		return "a sequence";
	case YAML_ALIAS_EVENT:
		return "an alias";
	default:
		return "a scalar";
	}
}

/* ---- scalars ------------------------------------------------------------ */

static const char *dtype_name(enum dtype t)
{
	switch (t) {
	case D_INT:
		return "an integer";
	case D_NUM:
	case D_MONEY:
		return "a number";
	case D_BOOL:
		return "true or false";
	case D_STR:
	case D_ENUM:
	case D_EXPR:
		return "a string";
	case D_STRLIST:
		return "a string or a sequence of strings";
	case D_STEPS:
		return "a sequence of [value, percent] pairs";
	case D_STRUCT:
	case D_MAP:
		return "a mapping";
	}
	return "a value";
}

static int scalar_number(const char *s, double *out)
{
	if (!*s)
		return -1;
	char *end;
	errno = 0;
	double d = strtod(s, &end);
	if (*end || errno || s[0] == ' ' || d != d || d > 1e300 || d < -1e300)
		return -1;
	/* No hex, inf or nan spellings: plain decimal only. */
	for (const char *p = s; *p; p++)
		if (!strchr("0123456789+-.eE", *p))
			return -1;
	*out = d;
	return 0;
}

static void enum_list_text(const char *const *list, struct buf *b)
{
	for (int i = 0; list[i]; i++)
		buf_addf(b, "%s%s", i ? ", " : "", list[i]);
}

/* Store a scalar into the field d of base. text is NUL-terminated; plain: the
 * scalar was unquoted. Errors are reported at m (column adjusted for
 * expressions). Returns 0 or -1. */
int conf_set_scalar(struct ld *l, const struct desc *d, void *base, const char *text, int plain,
		    const struct conf_mark *m)
{
	void *p = (char *)base + d->off;
	double num;
	switch (d->type) {
	case D_INT:
	case D_NUM:
	case D_MONEY: {
		int64_t iv = 0;
		int bad = !plain || scalar_number(text, &num) < 0;
		if (!bad && d->type == D_INT) {
			bad = parse_int64(text, &iv) < 0;
			num = (double)iv;
		}
		if (bad) {
			ld_error_mark(l, m, "'%s' wants %s, not \"%s\"", d->key, dtype_name(d->type), text);
			return -1;
		}
		if (num < d->min || num > d->max) {
			ld_error_mark(l, m, "'%s' is out of range: %s (allowed %g to %g)", d->key, text, d->min,
				      d->max);
			return -1;
		}
		if (d->type == D_INT)
			*(int *)p = (int)iv;
		else if (d->type == D_NUM)
			*(double *)p = num;
		else
			*(int64_t *)p = (int64_t)(num * 100.0 + (num < 0 ? -0.5 : 0.5));
		return 0;
	}
	case D_BOOL:
		if (plain && strcmp(text, "true") == 0)
			*(int *)p = 1;
		else if (plain && strcmp(text, "false") == 0)
			*(int *)p = 0;
		else {
			ld_error_mark(l, m, "'%s' wants true or false, not \"%s\"", d->key, text);
			return -1;
		}
		return 0;
	case D_STR:
		if (plain && (!*text || strcmp(text, "~") == 0 || strcmp(text, "null") == 0)) {
			ld_error_mark(l, m, "'%s' wants a string, not an empty value", d->key);
			return -1;
		}
		free(*(char **)p);
		*(char **)p = xstrdup(text);
		return 0;
	case D_ENUM: {
		int i = enum_index(d->enums, text);
		if (i < 0) {
			const char *near = nearest_word(text, d->enums);
			struct buf b = {0};
			enum_list_text(d->enums, &b);
			if (near)
				ld_error_mark(l, m, "unknown value '%s' for '%s' (did you mean '%s'?)", text, d->key,
					      near);
			else
				ld_error_mark(l, m, "unknown value '%s' for '%s' (one of: %s)", text, d->key, b.p);
			buf_free(&b);
			return -1;
		}
		*(int *)p = i;
		return 0;
	}
	case D_EXPR: {
		struct conf_expr *ce = p;
		struct expr *e;
		enum expr_type t;
		size_t pos = 0;
		char *why = NULL;
		if (expr_compile(text, &e, &t, &pos, &why) < 0) {
			struct conf_mark em = *m;
			em.col += plain ? 0 : 1;
			for (size_t i = 0; i < pos && text[i]; i++)
				if (((unsigned char)text[i] & 0xC0) != 0x80)
					em.col++;
			ld_error_mark(l, &em, "%s", why);
			free(why);
			return -1;
		}
		expr_free(ce->e);
		free(ce->src);
		ce->e = e;
		ce->src = xstrdup(text);
		ce->mark = *m;
		return 0;
	}
	case D_STRLIST: {
		struct conf_strlist *sl = p;
		conf_strlist_clear(sl);
		conf_strlist_add(sl, text);
		sl->mark = *m;
		return 0;
	}
	default:
		ld_error_mark(l, m, "'%s' wants %s, not a scalar", d->key, dtype_name(d->type));
		return -1;
	}
}

/* ---- nodes -------------------------------------------------------------- */

static int parse_struct(struct ld *l, const struct dtab *t, void *base, uint64_t *set);
static int parse_value(struct ld *l, const struct desc *d, void *base, yaml_event_t *ev);

static int parse_strlist(struct ld *l, const struct desc *d, struct conf_strlist *sl)
{
	conf_strlist_clear(sl);
	int bad = 0;
	for (;;) {
		yaml_event_t ev;
		if (ev_next(l, &ev) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			ld_error(l, &ev, "'%s' wants strings in its sequence, not %s", d->key, ev_kind(&ev));
			ev_skip(l, &ev);
			bad = 1;
		} else {
			conf_strlist_add(sl, (const char *)ev.data.scalar.value);
		}
		yaml_event_delete(&ev);
	}
	return bad ? -1 : 0;
}

/* [[at, percent], ...] */
static int parse_steps(struct ld *l, const struct desc *d, void *base)
{
	struct conf_step **steps = (struct conf_step **)(void *)((char *)base + d->off);
	int *n = (int *)(void *)((char *)base + d->off2);
	free(*steps);
	*steps = NULL;
	*n = 0;
	int bad = 0, cap = 0;
	for (;;) {
		yaml_event_t ev;
		if (ev_next(l, &ev) < 0)
			return -1;
		if (ev.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		double v[2];
		int k = 0, ok = ev.type == YAML_SEQUENCE_START_EVENT;
		struct conf_mark m = ld_mark(l, &ev);
		if (ok) {
			for (;;) {
				yaml_event_t e2;
				if (ev_next(l, &e2) < 0) {
					yaml_event_delete(&ev);
					return -1;
				}
				if (e2.type == YAML_SEQUENCE_END_EVENT) {
					yaml_event_delete(&e2);
					break;
				}
				if (e2.type != YAML_SCALAR_EVENT || k >= 2 ||
				    scalar_number((const char *)e2.data.scalar.value, &v[k]) < 0 ||
				    e2.data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
					ok = 0;
				k++;
				ev_skip(l, &e2);
				yaml_event_delete(&e2);
			}
		} else {
			ev_skip(l, &ev);
		}
		yaml_event_delete(&ev);
		if (!ok || k != 2) {
			ld_error_mark(l, &m, "'%s' wants pairs [value, percent] of numbers", d->key);
			bad = 1;
			continue;
		}
		if (v[1] < 0 || v[1] > 100) {
			ld_error_mark(l, &m, "percent of a threshold is out of range: %g (allowed 0 to 100)", v[1]);
			bad = 1;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 4;
			*steps = xrealloc(*steps, (size_t)cap * sizeof **steps);
		}
		(*steps)[*n].at = v[0];
		(*steps)[*n].percent = v[1];
		(*n)++;
	}
	return bad ? -1 : 0;
}

static int key_seen(struct conf_strlist *seen, const char *key)
{
	for (int i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], key) == 0)
			return 1;
	conf_strlist_add(seen, key);
	return 0;
}

/* id -> item mapping; creates items that do not exist yet. */
static int parse_map(struct ld *l, const struct desc *d, struct conf_map *map)
{
	const struct dtab *t = d->sub;
	struct conf_strlist seen = {0};
	int bad = 0;
	for (;;) {
		yaml_event_t kev, vev;
		if (ev_next(l, &kev) < 0)
			break;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		if (kev.type != YAML_SCALAR_EVENT) {
			ld_error(l, &kev, "keys must be scalars, not %s", ev_kind(&kev));
			ev_skip(l, &kev);
			yaml_event_delete(&kev);
			if (ev_next(l, &vev) < 0)
				break;
			ev_skip(l, &vev);
			yaml_event_delete(&vev);
			bad = 1;
			continue;
		}
		const char *key = (const char *)kev.data.scalar.value;
		struct conf_mark km = ld_mark(l, &kev);
		int skip = 0;
		if (strcmp(key, "<<") == 0) {
			ld_error(l, &kev, "merge keys (<<) are not allowed");
			skip = 1;
		} else if (key_seen(&seen, key)) {
			ld_error(l, &kev, "duplicate key '%s'", key);
			skip = 1;
		} else if (d->enums && enum_index(d->enums, key) < 0) {
			const char *near = nearest_word(key, d->enums);
			if (near)
				ld_error(l, &kev, "unknown code '%s' for %s (did you mean '%s'?)", key, d->key, near);
			else
				ld_error(l, &kev, "unknown code '%s' for %s", key, d->key);
			skip = 1;
		} else if (!*key ||
			   key[strspn(key, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")]) {
			/* Ids appear in what-if paths (a.b=c) and references: keep them plain. */
			ld_error(l, &kev, "%s name '%s' may only hold letters, digits, '_' and '-'", t->what, key);
			skip = 1;
		}
		if (ev_next(l, &vev) < 0) {
			yaml_event_delete(&kev);
			break;
		}
		if (skip) {
			ev_skip(l, &vev);
			bad = 1;
		} else {
			struct conf_item *it = conf_map_get_or_add(map, t, key);
			it->mark = km;
			if (t->direct) {
				if (parse_value(l, &t->d[0], it, &vev) < 0)
					bad = 1;
				else
					it->set |= 1;
			} else if (vev.type == YAML_ALIAS_EVENT) {
				bad = 1; /* reported by ev_next */
			} else if (vev.type != YAML_MAPPING_START_EVENT) {
				ld_error(l, &vev, "%s '%s' wants a mapping, not %s", t->what, key, ev_kind(&vev));
				ev_skip(l, &vev);
				bad = 1;
			} else if (parse_struct(l, t, it, &it->set) < 0) {
				bad = 1;
			}
		}
		yaml_event_delete(&kev);
		yaml_event_delete(&vev);
	}
	conf_strlist_clear(&seen);
	return bad ? -1 : 0;
}

/* Parse the value whose first event is ev into field d of base. */
static int parse_value(struct ld *l, const struct desc *d, void *base, yaml_event_t *ev)
{
	int r = 0;
	if (ev->type == YAML_ALIAS_EVENT)
		return -1; /* reported by ev_next */
	int want_map = d->type == D_STRUCT || d->type == D_MAP;
	int want_seq = d->type == D_STRLIST || d->type == D_STEPS;
	if (ev->type == YAML_MAPPING_START_EVENT && want_map) {
		if (d->type == D_STRUCT)
			r = parse_struct(l, d->sub, (char *)base + d->off, NULL);
		else
			r = parse_map(l, d, (struct conf_map *)((char *)base + d->off));
	} else if (ev->type == YAML_SEQUENCE_START_EVENT && want_seq) {
		if (d->type == D_STRLIST) {
			struct conf_strlist *sl = (struct conf_strlist *)(void *)((char *)base + d->off);
			r = parse_strlist(l, d, sl);
			sl->mark = ld_mark(l, ev);
		} else
			r = parse_steps(l, d, base);
	} else if (ev->type == YAML_SCALAR_EVENT && !want_map && d->type != D_STEPS) {
		struct conf_mark m = ld_mark(l, ev);
		int plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
		if (strlen((const char *)ev->data.scalar.value) != ev->data.scalar.length) {
			ld_error(l, ev, "NUL character in a value");
			r = -1;
		} else {
			r = conf_set_scalar(l, d, base, (const char *)ev->data.scalar.value, plain, &m);
		}
	} else {
		ld_error(l, ev, "'%s' wants %s, not %s", d->key, dtype_name(d->type), ev_kind(ev));
		ev_skip(l, ev);
		r = -1;
	}
	return r;
}

static int parse_struct(struct ld *l, const struct dtab *t, void *base, uint64_t *set)
{
	struct conf_strlist seen = {0};
	const char *names[64];
	int bad = 0;
	for (int i = 0; i < t->n && i < 63; i++)
		names[i] = t->d[i].key;
	names[t->n < 63 ? t->n : 63] = NULL;
	for (;;) {
		yaml_event_t kev, vev;
		if (ev_next(l, &kev) < 0)
			break;
		if (kev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&kev);
			break;
		}
		int fi = -1, skip = 0;
		if (kev.type != YAML_SCALAR_EVENT) {
			ld_error(l, &kev, "keys must be scalars, not %s", ev_kind(&kev));
			ev_skip(l, &kev);
			skip = 1;
		} else {
			const char *key = (const char *)kev.data.scalar.value;
			for (int i = 0; i < t->n; i++)
				if (strcmp(t->d[i].key, key) == 0)
					fi = i;
			if (strcmp(key, "<<") == 0) {
				ld_error(l, &kev, "merge keys (<<) are not allowed");
				skip = 1;
			} else if (key_seen(&seen, key)) {
				ld_error(l, &kev, "duplicate key '%s'", key);
				skip = 1;
			} else if (fi < 0) {
				const char *near = nearest_word(key, names), *moved = NULL;
				for (int i = 0; t->moved && t->moved[i] && !moved; i += 2)
					if (strcmp(t->moved[i], key) == 0)
						moved = t->moved[i + 1];
				if (moved)
					ld_error(l, &kev, "unknown key '%s' in %s (it is now '%s')", key, t->what,
						 moved);
				else if (near)
					ld_error(l, &kev, "unknown key '%s' in %s (did you mean '%s'?)", key, t->what,
						 near);
				else
					ld_error(l, &kev, "unknown key '%s' in %s", key, t->what);
				skip = 1;
			}
		}
		if (ev_next(l, &vev) < 0) {
			yaml_event_delete(&kev);
			break;
		}
		if (skip) {
			ev_skip(l, &vev);
			bad = 1;
		} else if (parse_value(l, &t->d[fi], base, &vev) < 0) {
			bad = 1;
		} else if (set) {
			*set |= (uint64_t)1 << fi;
		}
		yaml_event_delete(&kev);
		yaml_event_delete(&vev);
	}
	conf_strlist_clear(&seen);
	return bad ? -1 : 0;
}

/* The whole stream: exactly one document whose root is a mapping. */
static void parse_stream(struct ld *l)
{
	yaml_event_t ev;
	int docs = 0;
	while (ev_next(l, &ev) == 0) {
		yaml_event_type_t type = ev.type;
		if (type == YAML_STREAM_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (type == YAML_DOCUMENT_START_EVENT) {
			if (++docs > 1) {
				ld_error(l, &ev, "only one YAML document is allowed (found a second '---')");
				yaml_event_delete(&ev);
				break;
			}
			if (ev.data.document_start.version_directive || ev.data.document_start.tag_directives.start)
				ld_error(l, &ev, "directives are not allowed");
		} else if (type == YAML_MAPPING_START_EVENT) {
			parse_struct(l, &conf_root_tab, l->cfg, NULL);
		} else if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT || type == YAML_ALIAS_EVENT) {
			if (!(type == YAML_SCALAR_EVENT && ev.data.scalar.length == 0 &&
			      ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE))
				ld_error(l, &ev, "the top level must be a mapping of sections");
			ev_skip(l, &ev);
		}
		yaml_event_delete(&ev);
	}
}

/* Byte-level checks before libyaml sees the text. 0 ok, -1 reported. */
static int check_bytes(struct ld *l, const struct src *s)
{
	int line, col;
	const char *nul = memchr(s->text, '\0', s->len);
	size_t bad;
	if (nul) {
		offset_position(s->text, (size_t)(nul - s->text), &line, &col);
		struct conf_mark m = {s->name, line, col};
		ld_error_mark(l, &m, "NUL byte in the file");
		return -1;
	}
	if (!utf8_valid(s->text, s->len, &bad)) {
		offset_position(s->text, bad, &line, &col);
		struct conf_mark m = {s->name, line, col};
		ld_error_mark(l, &m, "invalid UTF-8 (byte 0x%02x at offset %zu)", (unsigned char)s->text[bad], bad);
		return -1;
	}
	return 0;
}

static void ld_parse_src(struct ld *l, const struct src *s)
{
	l->src = s;
	l->srcs[l->nsrcs++] = s;
	l->broken = 0;
	l->depth = 0;
	if (s->len > CONF_MAX_BYTES) {
		struct conf_mark m = {s->name, 1, 1};
		ld_error_mark(l, &m, "file is larger than 1 MiB (%zu bytes)", s->len);
		l->prescan_failed = 1;
		return;
	}
	if (check_bytes(l, s) < 0) {
		l->prescan_failed = 1;
		return;
	}
	yaml_parser_initialize(&l->p);
	yaml_parser_set_input_string(&l->p, (const unsigned char *)s->text, s->len);
	yaml_parser_set_encoding(&l->p, YAML_UTF8_ENCODING);
	parse_stream(l);
	yaml_parser_delete(&l->p);
}

/* ---- public ------------------------------------------------------------- */

static const char *cfg_add_file(struct kam_config *cfg, const char *name)
{
	conf_strlist_add(&cfg->files, name);
	return cfg->files.v[cfg->files.n - 1];
}

static int ld_finish(struct ld *l, struct kam_config **out, char **cause)
{
	/* Cross-checks also run after value errors (all errors at once), but
	 * not after a syntax error: half a file has no meaningful references. */
	if (!l->broken && !l->prescan_failed)
		conf_finalize(l->cfg, l);
	if (l->nerr > 0) {
		if (l->nerr > CONF_MAX_ERRORS)
			buf_addf(&l->errs, "(%d more errors not shown)\n", l->nerr - CONF_MAX_ERRORS);
		if (cause && !*cause)
			*cause = buf_steal(&l->errs);
		buf_free(&l->errs);
		conf_free(l->cfg);
		*out = NULL;
		return KAM_EINVAL;
	}
	buf_free(&l->errs);
	*out = l->cfg;
	return 0;
}

/* The built-in defaults as parsed, before the cross-checks, with their
 * errors (tests/config keeps them clean): parsed once per process, then
 * copied for every load, which parses only the user's file. */
static struct {
	struct kam_config *cfg;
	struct buf errs;
	int nerr, broken;
} defaults;

static void parse_defaults(struct ld *l)
{
	if (!defaults.cfg) {
		struct ld d = {0};
		d.cfg = xcalloc(1, sizeof *d.cfg);
		conf_init(d.cfg);
		struct src def = {cfg_add_file(d.cfg, "<built-in>"), conf_default_yaml, conf_default_yaml_len};
		ld_parse_src(&d, &def);
		defaults.cfg = d.cfg;
		defaults.errs = d.errs;
		defaults.nerr = d.nerr;
		defaults.broken = d.broken || d.prescan_failed;
	}
	l->cfg = conf_clone(defaults.cfg);
	if (defaults.errs.len)
		buf_add(&l->errs, defaults.errs.p, defaults.errs.len);
	l->nerr = defaults.nerr;
	l->broken = defaults.broken;
}

/* Parse built-in defaults then (optionally) one more text into a new config. */
static int conf_build(const char *name, const char *text, size_t len, struct kam_config **out, char **cause)
{
	struct ld l = {0};
	parse_defaults(&l);
	struct src def = {l.cfg->files.v[0], conf_default_yaml, conf_default_yaml_len};
	l.srcs[l.nsrcs++] = &def;
	struct src user;
	if (name) {
		user.name = cfg_add_file(l.cfg, name);
		user.text = text;
		user.len = len;
		ld_parse_src(&l, &user);
	}
	return ld_finish(&l, out, cause);
}

int conf_load_defaults(struct kam_config **out, char **cause)
{
	return conf_build(NULL, NULL, 0, out, cause);
}

int conf_load_text(const char *name, const char *text, size_t len, struct kam_config **out, char **cause)
{
	return conf_build(name, text, len, out, cause);
}

static int read_file(const char *file, char **text, size_t *len, char **cause)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return set_cause(cause, KAM_EINVAL, "%s: %s", file, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		close(fd);
		return set_cause(cause, KAM_EINVAL, "%s: not a regular file", file);
	}
	/* Read at most one byte past the limit: enough to know it is too big. */
	size_t cap = (size_t)sb.st_size < CONF_MAX_BYTES ? (size_t)sb.st_size + 1 : CONF_MAX_BYTES + 2;
	char *p = xmalloc(cap + 1);
	size_t n = 0;
	ssize_t r;
	while (n < cap && (r = read(fd, p + n, cap - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			free(p);
			close(fd);
			return set_cause(cause, KAM_EINVAL, "%s: %s", file, strerror(errno));
		}
		n += (size_t)r;
	}
	close(fd);
	p[n] = '\0';
	*text = p;
	*len = n;
	return 0;
}

int conf_load_file(const char *file, struct kam_config **out, char **cause)
{
	char *text = NULL;
	size_t len = 0;
	int r = read_file(file, &text, &len, cause);
	if (r < 0) {
		*out = NULL;
		return r;
	}
	r = conf_build(file, text, len, out, cause);
	free(text);
	return r;
}

char *conf_discover(const char *path)
{
	if (path)
		return xstrdup(path);
	const char *env = getenv("KAM_CONFIG");
	if (env && *env)
		return xstrdup(env);
	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	char *p = NULL;
	if (xdg && *xdg)
		p = xasprintf("%s/kam/kam.yaml", xdg);
	else if (home && *home)
		p = xasprintf("%s/.config/kam/kam.yaml", home);
	if (p && access(p, R_OK) == 0)
		return p;
	free(p);
	if (access("/etc/kam/kam.yaml", R_OK) == 0)
		return xstrdup("/etc/kam/kam.yaml");
	return NULL;
}

int conf_load(const char *path, struct kam_config **out, char **cause)
{
	char *file = conf_discover(path);
	if (!file)
		return conf_load_defaults(out, cause);
	int r = conf_load_file(file, out, cause);
	free(file);
	if (r < 0) {
		/* Fall back to the defaults so the TUI can still start. */
		char *ignore = NULL;
		if (conf_load_defaults(out, &ignore) < 0)
			*out = NULL;
		free(ignore);
	}
	return r;
}

/* Errors found after parsing (references, required keys) use the same format. */
void conf_error(struct ld *l, const struct conf_mark *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	ld_verror(l, m->file ? m->file : "<what-if>", m->line, m->col, fmt, ap);
	va_end(ap);
}

/* what-if assignments: one value, errors as plain text. */
int conf_set_value(struct kam_config *cfg, const struct desc *d, void *base, const char *text, char **cause)
{
	struct ld l = {0};
	l.cfg = cfg;
	struct conf_mark m = {"<what-if>", 1, 1};
	if (conf_set_scalar(&l, d, base, text, 1, &m) < 0 || (conf_finalize(cfg, &l), l.nerr > 0)) {
		/* Drop the position prefix: the value came from the command line. */
		char *msg = buf_steal(&l.errs);
		char *s = strstr(msg, "error: ");
		char *nl = s ? strchr(s, '\n') : NULL;
		if (nl)
			*nl = '\0';
		set_cause(cause, KAM_EINVAL, "%s", s ? s + 7 : msg);
		free(msg);
		return KAM_EINVAL;
	}
	buf_free(&l.errs);
	return 0;
}
