/* vCard 2.1/3.0/4.0 reader and contact import. */
#include "kam/vcard.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kam/err.h"
#include "kam/model.h"
#include "kam/text.h"
#include "kam/util.h"

#define VCARD_MAX_FILE (64u << 20) /* refuse absurd inputs before reading them */

/* Where a piece of the unfolded logical line came from, so errors point at
 * the physical line and column the user sees in an editor. */
struct vc_seg {
	size_t loff; /* offset in the logical line */
	int line;
	int col0; /* column of loff on that line (2 after a folding space) */
};

struct vc_parser {
	const char *name;
	struct buf errs;
	int nerr;
	struct vcard_contact *cards;
	size_t n, cap;
	int in_card;
	int card_has_fn;
	/* the logical line being assembled */
	struct buf ll;
	struct vc_seg *segs;
	size_t nseg, segcap;
	int last_line;
};

/* ---- errors --------------------------------------------------------------- */

static int vc_cols(const char *s, size_t n)
{
	int col = 0;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		int k = utf8_decode(s + i, n - i, &cp);
		i += k > 0 ? (size_t)k : 1;
		col++;
	}
	return col;
}

static void vc_error_at(struct vc_parser *p, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void vc_error_at(struct vc_parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (p->nerr)
		buf_addc(&p->errs, '\n');
	buf_addf(&p->errs, "%s:%d:%d: error: %s", p->name, line, col, msg);
	free(msg);
	p->nerr++;
}

/* Error at byte offset off of the current logical line. */
static void vc_error(struct vc_parser *p, size_t off, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void vc_error(struct vc_parser *p, size_t off, const char *fmt, ...)
{
	size_t s = 0;
	while (s + 1 < p->nseg && p->segs[s + 1].loff <= off)
		s++;
	const struct vc_seg *g = &p->segs[s];
	int col = g->col0 + vc_cols(p->ll.p + g->loff, off - g->loff);
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	vc_error_at(p, g->line, col, "%s", msg);
	free(msg);
}

/* ---- values --------------------------------------------------------------- */

static int vc_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = toupper(c);
	return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Quoted-printable to bytes; soft line breaks were joined while unfolding. */
static char *vc_qp_decode(struct vc_parser *p, const char *v, size_t voff)
{
	struct buf b = {0};
	buf_adds(&b, "");
	for (const char *s = v; *s; s++) {
		if (*s != '=') {
			buf_addc(&b, *s);
			continue;
		}
		int hi = vc_hex((unsigned char)s[1]), lo = hi < 0 ? -1 : vc_hex((unsigned char)s[2]);
		if (hi < 0 || lo < 0) {
			vc_error(p, voff + (size_t)(s - v), "bad quoted-printable escape (expected =XX)");
			buf_free(&b);
			return NULL;
		}
		buf_addc(&b, (char)(hi * 16 + lo));
		s += 2;
	}
	size_t bad;
	if (!utf8_valid(b.p, b.len, &bad)) {
		vc_error(p, voff, "quoted-printable text is not valid UTF-8 (byte %zu)", bad + 1);
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Unescape \\ \, \; \n; split on unescaped ';' when structured. */
static char **vc_split(const char *v, int structured, size_t *n)
{
	char **out = NULL;
	*n = 0;
	struct buf b = {0};
	buf_adds(&b, "");
	for (const char *s = v;; s++) {
		if (*s == 0 || (structured && *s == ';')) {
			out = xrealloc(out, (*n + 1) * sizeof *out);
			out[(*n)++] = buf_steal(&b);
			buf_adds(&b, "");
			if (*s == 0)
				break;
			continue;
		}
		if (*s == '\\' && s[1]) {
			s++;
			buf_addc(&b, *s == 'n' || *s == 'N' ? '\n' : *s);
			continue;
		}
		buf_addc(&b, *s);
	}
	buf_free(&b);
	return out;
}

static void vc_free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

static char *vc_trim(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n'))
		n--;
	return xstrndup(s, n);
}

static int vc_has_nonascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 1;
	return 0;
}

/* "1985-03-01", "19850301", "--03-01", "--0301", "1985-03-01T00:00:00Z". */
static int vc_parse_bday(const char *v, int64_t *out)
{
	char d[16];
	size_t k = 0;
	int noyear = v[0] == '-' && v[1] == '-';
	const char *s = noyear ? v + 2 : v;
	for (; *s && *s != 'T' && k < sizeof d - 1; s++) {
		if (isdigit((unsigned char)*s))
			d[k++] = *s;
		else if (*s != '-')
			return -1;
	}
	if (*s && *s != 'T')
		return -1;
	d[k] = 0;
	if (noyear) {
		if (k != 4)
			return -1;
		int64_t md = atoi(d);
		int64_t tmp; /* validate against a leap year so 02-29 passes */
		char iso[16];
		snprintf(iso, sizeof iso, "2000%04lld", (long long)md);
		if (parse_date(iso, &tmp))
			return -1;
		*out = md;
		return 0;
	}
	if (k != 8 || parse_date(d, out))
		return -1;
	if (*out / 10000 == 1604) /* Apple's placeholder year for "no year" */
		*out %= 10000;
	return 0;
}

/* ---- content lines -------------------------------------------------------- */

struct vc_prop {
	char name[32];
	int qp;
	char charset[32];
	size_t charset_off;
	char encoding[32];
	size_t encoding_off;
	size_t voff; /* value offset in the logical line */
};

static int vc_name_char(int c)
{
	return isalnum(c) || c == '-' || c == '_';
}

/* Parse NAME;PARAM=..:value of the logical line. 0 or -1 (error reported). */
static int vc_parse_prop(struct vc_parser *p, struct vc_prop *pr)
{
	const char *l = p->ll.p;
	size_t i = 0, start = 0;
	memset(pr, 0, sizeof *pr);
	for (;;) { /* group prefixes: item1.TEL */
		while (vc_name_char((unsigned char)l[i]))
			i++;
		if (l[i] != '.')
			break;
		start = ++i;
	}
	if (i == start || i - start >= sizeof pr->name) {
		vc_error(p, start, "expected a property name");
		return -1;
	}
	for (size_t k = start; k < i; k++)
		pr->name[k - start] = (char)toupper((unsigned char)l[k]);
	while (l[i] == ';') {
		size_t ps = ++i;
		while (vc_name_char((unsigned char)l[i]))
			i++;
		char pname[32] = "";
		if (i - ps < sizeof pname)
			memcpy(pname, l + ps, i - ps);
		if (i == ps) {
			vc_error(p, ps, "expected a parameter name");
			return -1;
		}
		if (l[i] != '=') { /* 2.1 bare parameter: ;QUOTED-PRINTABLE, ;CELL */
			if (!strcasecmp(pname, "QUOTED-PRINTABLE"))
				pr->qp = 1;
			continue;
		}
		size_t vs = ++i;
		if (l[i] == '"') {
			const char *q = strchr(l + i + 1, '"');
			if (!q) {
				vc_error(p, i, "unterminated quoted parameter value");
				return -1;
			}
			i = (size_t)(q - l) + 1;
		} else {
			while (l[i] && l[i] != ';' && l[i] != ':')
				i++;
		}
		char val[32] = "";
		if (i - vs < sizeof val)
			memcpy(val, l + vs, i - vs);
		if (!strcasecmp(pname, "ENCODING")) {
			snprintf(pr->encoding, sizeof pr->encoding, "%s", val);
			pr->encoding_off = vs;
			if (!strcasecmp(val, "QUOTED-PRINTABLE"))
				pr->qp = 1;
		} else if (!strcasecmp(pname, "CHARSET")) {
			snprintf(pr->charset, sizeof pr->charset, "%s", val);
			pr->charset_off = vs;
		}
	}
	if (l[i] != ':') {
		vc_error(p, i, "expected ':' after the property name and parameters");
		return -1;
	}
	pr->voff = i + 1;
	return 0;
}

/* The property's value as UTF-8 text (still escaped), or NULL on error. */
static char *vc_value(struct vc_parser *p, const struct vc_prop *pr)
{
	const char *raw = p->ll.p + pr->voff;
	if (pr->charset[0] && strcasecmp(pr->charset, "UTF-8") && strcasecmp(pr->charset, "\"UTF-8\"")) {
		vc_error(p, pr->charset_off, "unsupported CHARSET '%s' (only UTF-8)", pr->charset);
		return NULL;
	}
	if (pr->qp)
		return vc_qp_decode(p, raw, pr->voff);
	if (pr->encoding[0] && strcasecmp(pr->encoding, "8BIT")) {
		vc_error(p, pr->encoding_off, "unsupported ENCODING '%s' for %s", pr->encoding, pr->name);
		return NULL;
	}
	return xstrdup(raw);
}

static void vc_push(char ***list, size_t *n, char *s)
{
	*list = xrealloc(*list, (*n + 1) * sizeof **list);
	(*list)[(*n)++] = s;
}

static char *vc_name_from_n(char **c, size_t n)
{
	char *family = n > 0 ? vc_trim(c[0]) : xstrdup("");
	char *given = n > 1 ? vc_trim(c[1]) : xstrdup("");
	char *r;
	if (!*family || !*given)
		r = xasprintf("%s%s", given, family);
	else if (vc_has_nonascii(family) || vc_has_nonascii(given))
		r = xasprintf("%s%s", family, given); /* 王 + 小明 */
	else
		r = xasprintf("%s %s", given, family);
	free(family);
	free(given);
	return r;
}

static void vc_card_prop(struct vc_parser *p, const struct vc_prop *pr, struct vcard_contact *c)
{
	static const char *const kept[] = {"FN", "N", "ORG", "TITLE", "TEL", "EMAIL", "BDAY", "NOTE", "VERSION", NULL};
	int k = 0;
	while (kept[k] && strcmp(kept[k], pr->name))
		k++;
	if (!kept[k])
		return; /* PHOTO, ADR, URL, X-...: not kept */
	char *v = vc_value(p, pr);
	if (!v)
		return;
	size_t n;
	char **parts = vc_split(v, !strcmp(pr->name, "N") || !strcmp(pr->name, "ORG"), &n);
	char *t = vc_trim(parts[0]);
	if (!strcmp(pr->name, "VERSION")) {
		if (strcmp(t, "2.1") && strcmp(t, "3.0") && strcmp(t, "4.0"))
			vc_error(p, pr->voff, "unsupported vCard version '%s' (2.1, 3.0 or 4.0)", t);
	} else if (!strcmp(pr->name, "FN")) {
		if (*t) {
			free(c->name);
			c->name = t, t = NULL;
			p->card_has_fn = 1;
		}
	} else if (!strcmp(pr->name, "N")) {
		if (!p->card_has_fn) {
			free(c->name);
			c->name = vc_name_from_n(parts, n);
		}
	} else if (!strcmp(pr->name, "ORG")) {
		free(c->org);
		free(c->department);
		c->org = NULL;
		if (*t)
			c->org = t, t = NULL;
		c->department = n > 1 && *parts[1] ? vc_trim(parts[1]) : NULL;
	} else if (!strcmp(pr->name, "TITLE")) {
		free(c->title);
		c->title = NULL;
		if (*t)
			c->title = t, t = NULL;
	} else if (!strcmp(pr->name, "TEL") || !strcmp(pr->name, "EMAIL")) {
		const char *s = t;
		if (!strncasecmp(s, "tel:", 4))
			s += 4;
		else if (!strncasecmp(s, "mailto:", 7))
			s += 7;
		if (*s) {
			if (pr->name[0] == 'T')
				vc_push(&c->tels, &c->ntel, xstrdup(s));
			else
				vc_push(&c->emails, &c->nemail, xstrdup(s));
		}
	} else if (!strcmp(pr->name, "BDAY")) {
		if (*t && vc_parse_bday(t, &c->bday))
			vc_error(p, pr->voff, "bad BDAY '%s' (expected YYYY-MM-DD, YYYYMMDD or --MMDD)", t);
	} else if (!strcmp(pr->name, "NOTE") && *t) {
		char *joined = c->note ? xasprintf("%s\n%s", c->note, t) : xstrdup(t);
		free(c->note);
		c->note = joined;
	}
	free(t);
	vc_free_list(parts, n);
	free(v);
}

static void vc_contact_clear(struct vcard_contact *c)
{
	free(c->name);
	free(c->org);
	free(c->department);
	free(c->title);
	vc_free_list(c->tels, c->ntel);
	vc_free_list(c->emails, c->nemail);
	free(c->note);
	memset(c, 0, sizeof *c);
}

void vcard_free(struct vcard_contact *c, size_t n)
{
	for (size_t i = 0; c && i < n; i++)
		vc_contact_clear(&c[i]);
	free(c);
}

static void vc_logical_line(struct vc_parser *p)
{
	const char *l = p->ll.p;
	size_t i = 0;
	while (l[i] == ' ' || l[i] == '\t')
		i++;
	if (!l[i])
		return; /* blank lines between cards */
	struct vc_prop pr;
	if (vc_parse_prop(p, &pr))
		return;
	const char *v = l + pr.voff;
	if (!strcmp(pr.name, "BEGIN")) {
		if (strcasecmp(v, "VCARD")) {
			vc_error(p, pr.voff, "expected BEGIN:VCARD");
		} else if (p->in_card) {
			vc_error(p, 0, "BEGIN:VCARD inside a card (missing END:VCARD for line %d?)",
				 p->cards[p->n - 1].line);
		} else {
			if (p->n == p->cap) {
				p->cap = p->cap ? p->cap * 2 : 16;
				p->cards = xrealloc(p->cards, p->cap * sizeof *p->cards);
			}
			memset(&p->cards[p->n], 0, sizeof *p->cards);
			p->cards[p->n++].line = p->segs[0].line;
			p->in_card = 1;
			p->card_has_fn = 0;
		}
		return;
	}
	if (!p->in_card) {
		vc_error(p, 0, "%s outside BEGIN:VCARD ... END:VCARD", pr.name);
		return;
	}
	struct vcard_contact *c = &p->cards[p->n - 1];
	if (!strcmp(pr.name, "END")) {
		if (strcasecmp(v, "VCARD"))
			vc_error(p, pr.voff, "expected END:VCARD");
		else if (!c->name || !*c->name)
			vc_error_at(p, c->line, 1, "card without a name (FN or N)");
		p->in_card = 0;
		return;
	}
	vc_card_prop(p, &pr, c);
}

/* A quoted-printable line ending in '=' continues on the next line. */
static int vc_qp_soft_break(const struct vc_parser *p)
{
	const char *l = p->ll.p;
	if (!p->ll.len || l[p->ll.len - 1] != '=')
		return 0;
	const char *colon = strchr(l, ':');
	if (!colon)
		return 0;
	for (const char *s = l; s + 16 <= colon; s++)
		if (!strncasecmp(s, "QUOTED-PRINTABLE", 16))
			return 1;
	return 0;
}

static void vc_seg_add(struct vc_parser *p, int line, int col0)
{
	if (p->nseg == p->segcap) {
		p->segcap = p->segcap ? p->segcap * 2 : 8;
		p->segs = xrealloc(p->segs, p->segcap * sizeof *p->segs);
	}
	p->segs[p->nseg++] = (struct vc_seg){.loff = p->ll.len, .line = line, .col0 = col0};
}

static void vc_flush(struct vc_parser *p)
{
	if (p->nseg)
		vc_logical_line(p);
	buf_reset(&p->ll);
	p->nseg = 0;
}

static void vc_parse_lines(struct vc_parser *p, const char *data, size_t len)
{
	int line = 0;
	for (size_t i = 0; i < len;) {
		const char *nl = memchr(data + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - data) : len, next = nl ? end + 1 : len;
		if (end > i && data[end - 1] == '\r')
			end--;
		const char *s = data + i;
		size_t n = end - i;
		line++;
		if (p->nseg && n && (s[0] == ' ' || s[0] == '\t')) {
			vc_seg_add(p, line, 2); /* folded: drop the one white space */
			buf_add(&p->ll, s + 1, n - 1);
		} else if (p->nseg && vc_qp_soft_break(p)) {
			p->ll.len--; /* the '=' */
			p->ll.p[p->ll.len] = 0;
			vc_seg_add(p, line, 1);
			buf_add(&p->ll, s, n);
		} else {
			vc_flush(p);
			vc_seg_add(p, line, 1);
			buf_add(&p->ll, s, n);
		}
		if (!p->ll.p)
			buf_adds(&p->ll, "");
		i = next;
	}
	vc_flush(p);
	p->last_line = line;
}

int vcard_parse(const char *name, const char *data, size_t len, struct vcard_contact **out, size_t *n, char **cause)
{
	struct vc_parser p = {.name = name};
	*out = NULL;
	*n = 0;
	if (len >= 3 && !memcmp(data, "\xef\xbb\xbf", 3))
		data += 3, len -= 3;
	size_t bad;
	if (memchr(data, 0, len)) {
		size_t off = (size_t)((const char *)memchr(data, 0, len) - data);
		bad = off;
	} else if (utf8_valid(data, len, &bad)) {
		bad = (size_t)-1;
	}
	if (bad != (size_t)-1) {
		int line = 1;
		size_t ls = 0;
		for (size_t i = 0; i < bad; i++)
			if (data[i] == '\n')
				line++, ls = i + 1;
		vc_error_at(&p, line, vc_cols(data + ls, bad - ls) + 1,
			    data[bad] ? "invalid UTF-8 (is the file in another encoding?)" : "NUL byte in the file");
	} else {
		vc_parse_lines(&p, data, len);
		if (p.in_card)
			vc_error_at(&p, p.last_line, 1, "missing END:VCARD for the card begun at line %d",
				    p.cards[p.n - 1].line);
		else if (p.n == 0)
			vc_error_at(&p, 1, 1, "no BEGIN:VCARD found: not a vCard file");
	}
	buf_free(&p.ll);
	free(p.segs);
	if (p.nerr) {
		vcard_free(p.cards, p.n);
		if (cause && !*cause)
			*cause = buf_steal(&p.errs);
		buf_free(&p.errs);
		return KAM_EINVAL;
	}
	*out = p.cards;
	*n = p.n;
	return 0;
}

int vcard_read(const char *path, struct vcard_contact **out, size_t *n, char **cause)
{
	*out = NULL;
	*n = 0;
	struct buf b = {0};
	if (buf_read_file(&b, path, VCARD_MAX_FILE)) {
		int err = errno;
		buf_free(&b);
		return set_cause(cause, KAM_EINVAL, "%s: %s", path,
				 err == EFBIG ? "file too large (over 64 MiB)" : strerror(err));
	}
	int rc = vcard_parse(path, b.p ? b.p : "", b.len, out, n, cause);
	buf_free(&b);
	return rc;
}

/* ---- import --------------------------------------------------------------- */

struct vc_phone {
	char *digits;
	uint64_t id;
};

struct vc_import {
	struct txn *t;
	struct vc_phone *phones;
	size_t nphone, phonecap;
	/* match search state */
	const char *want;
	uint64_t found;
	int nfound;
};

static char *vc_digits(const char *s, size_t n)
{
	char *d = xmalloc(n + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (isdigit((unsigned char)s[i]))
			d[k++] = s[i];
	d[k] = 0;
	return d;
}

/* Same number: equal digits, or one ends with the other (+86 prefixes). */
static int vc_same_number(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la < lb) {
		const char *t = a;
		a = b, b = t;
		size_t tl = la;
		la = lb, lb = tl;
	}
	if (lb < 6)
		return 0;
	return la == lb ? !strcmp(a, b) : lb >= 7 && !strcmp(a + la - lb, b);
}

static void vc_phones_add(struct vc_import *im, const char *list, uint64_t id)
{
	while (list && *list) {
		const char *e = strchr(list, ';');
		size_t n = e ? (size_t)(e - list) : strlen(list);
		if (im->nphone == im->phonecap) {
			im->phonecap = im->phonecap ? im->phonecap * 2 : 64;
			im->phones = xrealloc(im->phones, im->phonecap * sizeof *im->phones);
		}
		im->phones[im->nphone++] = (struct vc_phone){vc_digits(list, n), id};
		list = e ? e + 1 : NULL;
	}
}

static int vc_visit_phone(const struct record *r, void *arg)
{
	vc_phones_add(arg, r->v[CONTACT_PHONE].s, r->id);
	return 0;
}

/* Index visitors: FOLD indexes match by prefix, so compare the whole value. */
static int vc_visit_match(const struct record *r, void *arg, int field)
{
	struct vc_import *im = arg;
	char *f = r->v[field].s ? text_fold(r->v[field].s) : NULL;
	if (f && !strcmp(f, im->want)) {
		im->found = r->id;
		im->nfound++;
	}
	free(f);
	return 0;
}

static int vc_visit_email(const struct record *r, void *arg)
{
	return vc_visit_match(r, arg, CONTACT_EMAIL);
}

static int vc_visit_name(const struct record *r, void *arg)
{
	return vc_visit_match(r, arg, CONTACT_NAME);
}

static int vc_lookup(struct vc_import *im, const char *index, const char *text, store_visit_fn fn)
{
	char *k = text_fold(text);
	im->want = k;
	im->found = 0;
	im->nfound = 0;
	struct value v = {.s = k, .set = 1};
	int rc = store_index_scan(im->t, ENTITY(contact), index, &v, 1, fn, im);
	free(k);
	return rc;
}

/* Existing contact for the card, or 0. */
static int vc_match(struct vc_import *im, const struct vcard_contact *c, uint64_t *id)
{
	*id = 0;
	for (size_t i = 0; i < c->nemail; i++) {
		int rc = vc_lookup(im, "email", c->emails[i], vc_visit_email);
		if (rc)
			return rc;
		if (im->nfound) {
			*id = im->found;
			return 0;
		}
	}
	for (size_t i = 0; i < c->ntel; i++) {
		char *d = vc_digits(c->tels[i], strlen(c->tels[i]));
		for (size_t k = 0; k < im->nphone && !*id; k++)
			if (vc_same_number(d, im->phones[k].digits))
				*id = im->phones[k].id;
		free(d);
		if (*id)
			return 0;
	}
	int rc = vc_lookup(im, "name", c->name, vc_visit_name);
	if (rc == 0 && im->nfound == 1) /* an ambiguous name is a new person */
		*id = im->found;
	return rc;
}

/* The card as a contact record (fields kam keeps). */
static struct record *vc_to_record(const struct vcard_contact *c)
{
	struct record *r = record_new(ENTITY(contact));
	record_set_text(r, CONTACT_NAME, c->name);
	if (c->title)
		record_set_text(r, CONTACT_TITLE, c->title);
	if (c->department)
		record_set_text(r, CONTACT_DEPARTMENT, c->department);
	if (c->ntel) {
		struct buf b = {0};
		for (size_t i = 0; i < c->ntel; i++)
			buf_addf(&b, "%s%s", i ? ";" : "", c->tels[i]);
		record_set_text(r, CONTACT_PHONE, b.p);
		buf_free(&b);
	}
	if (c->nemail)
		record_set_text(r, CONTACT_EMAIL, c->emails[0]);
	if (c->bday) {
		char d[32];
		snprintf(d, sizeof d, "birthday:%02d-%02d", (int)(c->bday / 100 % 100), (int)(c->bday % 100));
		record_set_text(r, CONTACT_DATES, d);
	}
	struct buf n = {0};
	if (c->note)
		buf_adds(&n, c->note);
	if (c->org)
		buf_addf(&n, "%sOrganization: %s", n.len ? "\n" : "", c->org);
	for (size_t i = 1; i < c->nemail; i++)
		buf_addf(&n, "%sAlso e-mail: %s", n.len ? "\n" : "", c->emails[i]);
	if (n.len)
		record_set_text(r, CONTACT_NOTES, n.p);
	buf_free(&n);
	return r;
}

/* Fill the existing record's empty fields from the card; 1 if anything changed. */
static int vc_merge(struct record *old, const struct record *card)
{
	static const int fields[] = {CONTACT_TITLE, CONTACT_DEPARTMENT, CONTACT_PHONE,
				     CONTACT_EMAIL, CONTACT_DATES,      CONTACT_NOTES};
	int changed = 0;
	for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
		int f = fields[i];
		if (!record_has(old, f) && record_has(card, f)) {
			record_set_text(old, f, card->v[f].s);
			changed = 1;
		}
	}
	return changed;
}

static int vc_import_one(struct vc_import *im, const char *path, const struct vcard_contact *c, FILE *out,
			 struct buf *errs, int *nadd, int *nmerge)
{
	struct record *r = vc_to_record(c);
	char *cause = NULL;
	uint64_t id;
	int rc = vc_match(im, c, &id);
	if (rc == 0 && id) {
		struct record *old = NULL;
		rc = store_get(im->t, ENTITY(contact), id, &old);
		if (rc == 0 && vc_merge(old, r)) {
			rc = store_update(im->t, old, &cause);
			if (rc == 0) {
				fprintf(out, "merge contact %llu %s\n", (unsigned long long)id, c->name);
				(*nmerge)++;
			}
		} else if (rc == 0) {
			fprintf(out, "same contact %llu %s\n", (unsigned long long)id, c->name);
		}
		record_free(old);
	} else if (rc == 0) {
		rc = store_insert(im->t, r, &cause);
		if (rc == 0) {
			fprintf(out, "add contact %llu %s\n", (unsigned long long)r->id, c->name);
			vc_phones_add(im, r->v[CONTACT_PHONE].s, r->id);
			(*nadd)++;
		}
	}
	if (rc == KAM_EINVAL || rc == KAM_EEXIST) { /* a bad card: report it, keep checking the others */
		buf_addf(errs, "%s%s:%d:1: error: %s", errs->len ? "\n" : "", path, c->line,
			 cause ? cause : kam_strerror(rc));
		rc = 0;
	}
	free(cause);
	record_free(r);
	return rc;
}

int vcard_import(struct store *st, const char *path, int dry_run, FILE *out, char **cause)
{
	struct vcard_contact *cards;
	size_t n;
	int rc = vcard_read(path, &cards, &n, cause);
	if (rc)
		return rc;
	struct vc_import im = {0};
	rc = store_begin(st, 1, &im.t);
	if (rc) {
		vcard_free(cards, n);
		return set_cause(cause, rc, "cannot start a write transaction");
	}
	store_txn_set_command(im.t, "import vcard");
	store_txn_set_audit_detail(im.t, n <= 100);
	struct buf errs = {0};
	int nadd = 0, nmerge = 0;
	rc = store_scan(im.t, ENTITY(contact), vc_visit_phone, &im);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = vc_import_one(&im, path, &cards[i], out, &errs, &nadd, &nmerge);
	if (rc == 0 && errs.len) {
		rc = KAM_EINVAL;
		if (cause && !*cause)
			*cause = buf_steal(&errs);
	}
	if (rc == 0 && !dry_run) {
		rc = store_commit(im.t, cause);
	} else {
		store_abort(im.t);
		if (rc)
			set_cause(cause, rc, "import failed");
	}
	if (rc == 0)
		fprintf(out, "%s%zu cards: %d added, %d merged, %zu unchanged\n", dry_run ? "dry run: " : "", n, nadd,
			nmerge, n - (size_t)nadd - (size_t)nmerge);
	else
		fprintf(out, "nothing imported\n");
	for (size_t i = 0; i < im.nphone; i++)
		free(im.phones[i].digits);
	free(im.phones);
	buf_free(&errs);
	vcard_free(cards, n);
	return rc;
}
