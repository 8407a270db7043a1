/* One record as flat YAML for $EDITOR (kam/record_yaml.h): the writer and
 * a strict reader of the same subset. */
#include "kam/record_yaml.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/text.h"

#define NOTE_PREFIX RECORD_YAML_NOTE
#define MAX_TEXT (1u << 20)

/* --- writing ------------------------------------------------------------------ */

/* Plain scalars that YAML would read as something else than this text. */
static int needs_quotes(const char *s, int text)
{
	static const char *const special[] = {"~",     "null",  "Null", "NULL", "true", "True", "TRUE", "false",
					      "False", "FALSE", "yes",  "Yes",  "YES",  "no",   "No",   "NO",
					      "on",    "On",    "ON",   "off",  "Off",  "OFF",  NULL};
	if (!*s)
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]) || s[0] == ' ' || s[strlen(s) - 1] == ' ')
		return 1;
	if (strstr(s, ": ") || strstr(s, " #") || s[strlen(s) - 1] == ':')
		return 1;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	for (int i = 0; text && special[i]; i++)
		if (strcmp(s, special[i]) == 0)
			return 1;
	return 0;
}

static void add_quoted(struct buf *out, const char *s)
{
	buf_addc(out, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_addf(out, "\\%c", *p);
		else if (*p == '\n')
			buf_adds(out, "\\n");
		else if (*p == '\t')
			buf_adds(out, "\\t");
		else if (*p < 0x20 || *p == 0x7f)
			buf_addf(out, "\\x%02x", *p);
		else
			buf_addc(out, (char)*p);
	}
	buf_addc(out, '"');
}

/* A comment holds one line of harmless text. */
static void add_comment_text(struct buf *out, const char *s)
{
	char *clean = text_sanitize(s);
	buf_adds(out, clean);
	free(clean);
}

static void ref_comment(struct txn *t, const struct field *f, const char *ids, struct buf *out)
{
	const struct entity *e = field_ref_entity(f);
	buf_addf(out, "# %s: %s id%s or full name%s", f->name, e ? e->name : "record", f->type == FT_REFS ? "s" : "",
		 f->type == FT_REFS ? "s, separated by ;" : "");
	if (!t || !e || !ids || !*ids) {
		buf_addc(out, '\n');
		return;
	}
	buf_adds(out, " (");
	const char *p = ids;
	int first = 1;
	while (*p) {
		size_t n = strcspn(p, ";");
		char *one = xstrndup(p, n);
		int64_t id;
		struct record *r = NULL;
		buf_adds(out, first ? "" : ", ");
		first = 0;
		if (parse_int64(one, &id) == 0 && id > 0 && store_get(t, e, (uint64_t)id, &r) == 0) {
			buf_addf(out, "%lld ", (long long)id);
			add_comment_text(out, record_name(r));
		} else {
			buf_addf(out, "%s: not found", one);
		}
		record_free(r);
		free(one);
		p += n;
		if (*p == ';')
			p++;
	}
	buf_adds(out, ")\n");
}

void record_yaml_format(struct txn *t, const struct record *r, const char *note, int redact, struct buf *out)
{
	const struct entity *e = r->ent;
	buf_adds(out, "");
	if (note) {
		const char *p = note;
		while (*p) {
			size_t n = strcspn(p, "\n");
			char *line = xstrndup(p, n);
			buf_adds(out, NOTE_PREFIX);
			add_comment_text(out, line);
			buf_addc(out, '\n');
			free(line);
			p += n;
			if (*p)
				p++;
		}
	}
	if (r->id)
		buf_addf(out, "# kam: %s %llu, version %u: ", e->name, (unsigned long long)r->id, r->version);
	else
		buf_addf(out, "# kam: new %s: ", e->name);
	add_comment_text(out, record_name(r));
	buf_adds(out, "\n# One \"field: value\" per line; an empty value clears the field, a field\n"
		      "# left out keeps its value. Save and quit to apply; quit without saving\n"
		      "# or empty the file to cancel.\n");
	struct buf v = {0};
	for (int f = 0; f < e->nfields; f++) {
		const struct field *fd = &e->fields[f];
		if (redact && (fd->flags & FF_SENS))
			continue;
		buf_reset(&v);
		buf_adds(&v, "");
		record_format_field(r, f, &v);
		if (fd->flags & FF_COMP) {
			buf_addf(out, "# %s: ", fd->name);
			add_comment_text(out, v.p);
			buf_addf(out, " (computed: %s)\n", fd->help);
			continue;
		}
		if (fd->type == FT_ENUM && fd->enums) {
			buf_addf(out, "# %s:", fd->name);
			for (int k = 0; fd->enums[k]; k++)
				buf_addf(out, "%s%s", k ? " | " : " ", fd->enums[k]);
			buf_addc(out, '\n');
		} else if (fd->type == FT_REF || fd->type == FT_REFS) {
			ref_comment(t, fd, v.p, out);
		}
		buf_addf(out, "%s:", fd->name);
		if (*v.p) {
			buf_addc(out, ' ');
			if (needs_quotes(v.p, fd->type == FT_TEXT))
				add_quoted(out, v.p);
			else
				buf_adds(out, v.p);
		}
		buf_addc(out, '\n');
	}
	buf_free(&v);
}

/* --- reading ------------------------------------------------------------------- */

struct yreader {
	const char *name;
	int line_offset;
	char **cause;
	struct txn *t; /* checks references, resolves names; may be NULL */
};

struct name_find {
	int field;
	const char *folded;
	uint64_t id;
	int n;
};

static int find_name(const struct record *r, void *arg)
{
	struct name_find *nf = arg;
	const char *s = r->v[nf->field].s;
	if (!s)
		return 0;
	char *f = text_fold(s);
	if (strcmp(f, nf->folded) == 0) {
		nf->id = r->id;
		nf->n++;
	}
	free(f);
	return 0;
}

/* One reference: an id that exists, or the exact name of one record. */
static int resolve_ref(struct txn *t, const struct field *fd, const char *ref, uint64_t *id, char **msg)
{
	const struct entity *e = field_ref_entity(fd);
	const char *digits = ref[0] == '#' ? ref + 1 : ref;
	int64_t n;
	if (!e)
		return 0;
	if (*digits && parse_int64(digits, &n) == 0 && n > 0) {
		struct record *r = NULL;
		if (store_get(t, e, (uint64_t)n, &r) != 0) {
			*msg = xasprintf("%s: no %s with id %lld", fd->name, e->name, (long long)n);
			return -1;
		}
		record_free(r);
		*id = (uint64_t)n;
		return 0;
	}
	if (e->name_field < 0) {
		*msg = xasprintf("%s: '%s' is not a record id", fd->name, ref);
		return -1;
	}
	struct name_find nf = {e->name_field, NULL, 0, 0};
	char *folded = text_fold(ref);
	nf.folded = folded;
	store_scan_fields(t, e, FIELD_BIT(e->name_field), find_name, &nf);
	free(folded);
	if (nf.n == 1) {
		*id = nf.id;
		return 0;
	}
	*msg = nf.n ? xasprintf("%s: %d %s are named '%s': give the id", fd->name, nf.n, e->plural, ref)
		    : xasprintf("%s: no %s named '%s' (give an id or a full name)", fd->name, e->name, ref);
	return -1;
}

/* A reference field's text with names replaced by ids, each checked. */
static int resolve_refs(struct yreader *y, const struct field *fd, const char *text, struct buf *out, char **msg)
{
	buf_adds(out, "");
	for (const char *p = text; *p;) {
		size_t n = fd->type == FT_REFS ? strcspn(p, ";") : strlen(p);
		char *one = xstrndup(p, n);
		char *trim = one + strspn(one, " ");
		for (size_t k = strlen(trim); k && trim[k - 1] == ' '; k--)
			trim[k - 1] = '\0';
		uint64_t id = 0;
		int rc = resolve_ref(y->t, fd, trim, &id, msg);
		if (!rc && id)
			buf_addf(out, "%s%llu", out->len ? ";" : "", (unsigned long long)id);
		else if (!rc)
			buf_addf(out, "%s%s", out->len ? ";" : "", trim);
		free(one);
		if (rc)
			return -1;
		p += n + (p[n] == ';');
	}
	return 0;
}

/* Column (1-based, in code points) of byte offset off within line. */
static int col_of(const char *line, size_t off)
{
	int col = 1;
	for (size_t i = 0; i < off; i++)
		if (((unsigned char)line[i] & 0xc0) != 0x80)
			col++;
	return col;
}

static int yerr(struct yreader *y, int line, int col, const char *msg)
{
	char *clean = text_sanitize(msg);
	set_cause(y->cause, KAM_EINVAL, "%s:%d:%d: error: %s", y->name, line + y->line_offset, col, clean);
	free(clean);
	return KAM_EINVAL;
}

static int hexval(char c)
{
	return c >= '0' && c <= '9'   ? c - '0'
	       : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10
				      : -1;
}

/* Append code point cp as UTF-8. */
static void add_cp(struct buf *b, uint32_t cp)
{
	if (cp < 0x80) {
		buf_addc(b, (char)cp);
	} else if (cp < 0x800) {
		buf_addc(b, (char)(0xc0 | cp >> 6));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else if (cp < 0x10000) {
		buf_addc(b, (char)(0xe0 | cp >> 12));
		buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	} else {
		buf_addc(b, (char)(0xf0 | cp >> 18));
		buf_addc(b, (char)(0x80 | (cp >> 12 & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp >> 6 & 0x3f)));
		buf_addc(b, (char)(0x80 | (cp & 0x3f)));
	}
}

/* The value starting at line[i]: quoted or plain, then only a comment.
 * Stores the text in out; *null when the value is empty, ~ or null. */
static int read_value(struct yreader *y, int ln, const char *line, size_t i, struct buf *out, int *null)
{
	*null = 0;
	buf_adds(out, "");
	char q = line[i];
	if (q == '"' || q == '\'') {
		size_t start = i++;
		for (;;) {
			char c = line[i];
			if (!c)
				return yerr(y, ln, col_of(line, start),
					    "unterminated quoted value (values are one line)");
			if (c == q) {
				if (q == '\'' && line[i + 1] == '\'') {
					buf_addc(out, '\'');
					i += 2;
					continue;
				}
				i++;
				break;
			}
			if (q == '"' && c == '\\') {
				char e = line[i + 1];
				int n = e == 'x' ? 2 : e == 'u' ? 4 : e == 'U' ? 8 : 0;
				if (n) {
					uint32_t cp = 0;
					for (int k = 0; k < n; k++) {
						int h = hexval(line[i + 2 + k]);
						if (h < 0)
							return yerr(y, ln, col_of(line, i),
								    "bad escape: hex digits expected");
						cp = cp * 16 + (uint32_t)h;
					}
					if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
						return yerr(y, ln, col_of(line, i), "bad escape: not a character");
					add_cp(out, cp);
					i += 2 + (size_t)n;
					continue;
				}
				const char *from = "\"\\/nt ", *to = "\"\\/\n\t ";
				const char *k = e ? strchr(from, e) : NULL;
				if (!k)
					return yerr(y, ln, col_of(line, i),
						    "unknown escape (use \\\" \\\\ \\n \\t \\uXXXX)");
				buf_addc(out, to[k - from]);
				i += 2;
				continue;
			}
			buf_addc(out, c);
			i++;
		}
		while (line[i] == ' ' || line[i] == '\t')
			i++;
		if (line[i] && line[i] != '#')
			return yerr(y, ln, col_of(line, i), "unexpected text after the quoted value");
		return 0;
	}
	if (q == '#' || !q) {
		*null = 1;
		return 0;
	}
	if (strchr("[]{}&*!|>%@`", q) || ((q == '-' || q == '?' || q == ':') && (line[i + 1] == ' ' || !line[i + 1])))
		return yerr(y, ln, col_of(line, i),
			    "a value starting with this character must be quoted (\"...\"): only flat text is read");
	/* Plain: up to a " #" comment, trailing blanks dropped. */
	size_t end = i;
	while (line[end] && !(line[end] == '#' && (line[end - 1] == ' ' || line[end - 1] == '\t')))
		end++;
	while (end > i && (line[end - 1] == ' ' || line[end - 1] == '\t'))
		end--;
	for (size_t k = i; k + 1 < end; k++)
		if (line[k] == ':' && line[k + 1] == ' ')
			return yerr(y, ln, col_of(line, k), "': ' inside a value: quote the value (\"...\")");
	buf_add(out, line + i, end - i);
	if (strcmp(out->p, "~") == 0 || strcmp(out->p, "null") == 0 || strcmp(out->p, "Null") == 0 ||
	    strcmp(out->p, "NULL") == 0)
		*null = 1;
	return 0;
}

size_t record_yaml_note_len(const char *text, size_t len)
{
	size_t off = 0, n = strlen(NOTE_PREFIX);
	while (len - off >= n && memcmp(text + off, NOTE_PREFIX, n) == 0) {
		const char *nl = memchr(text + off, '\n', len - off);
		off = nl ? (size_t)(nl - text) + 1 : len;
	}
	return off;
}

int record_yaml_parse(const char *name, const char *text, size_t len, int line_offset, struct txn *t, struct record *r,
		      char **cause)
{
	struct yreader y = {name, line_offset, cause, t};
	const struct entity *e = r->ent;
	if (len > MAX_TEXT)
		return yerr(&y, 1, 1, "file too large (more than 1 MiB)");
	const char *nul = memchr(text, '\0', len);
	if (nul) {
		int ln = 1;
		const char *ls = text;
		for (const char *p = text; p < nul; p++)
			if (*p == '\n')
				ln++, ls = p + 1;
		return yerr(&y, ln, col_of(ls, (size_t)(nul - ls)), "NUL byte in the text");
	}
	size_t bad;
	if (!utf8_valid(text, len, &bad)) {
		int ln = 1;
		const char *ls = text;
		for (const char *p = text; p < text + bad; p++)
			if (*p == '\n')
				ln++, ls = p + 1;
		return yerr(&y, ln, col_of(ls, (size_t)(text + bad - ls)), "invalid UTF-8");
	}
	int *seen = xcalloc((size_t)e->nfields, sizeof *seen); /* line of each field */
	char *copy = xstrndup(text, len);
	struct buf val = {0};
	int rc = 0, nfield = 0, ln = 0, started = 0;
	char *save = NULL;
	for (char *line = copy; line && !rc; line = save) {
		char *nl = strchr(line, '\n');
		save = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		ln++;
		size_t n = strlen(line);
		if (n && line[n - 1] == '\r')
			line[--n] = '\0';
		if (ln == 1 && strncmp(line, "\xef\xbb\xbf", 3) == 0)
			memmove(line, line + 3, (n -= 3) + 1);
		size_t i = strspn(line, " \t");
		if (!line[i] || line[i] == '#')
			continue;
		if (!started && strcmp(line, "---") == 0) {
			started = 1;
			continue;
		}
		started = 1;
		if (i) {
			rc = yerr(&y, ln, 1, "unexpected indentation: one \"field: value\" per line");
			break;
		}
		size_t k = 0;
		while (line[k] && line[k] != ':' && line[k] != ' ' && line[k] != '\t')
			k++;
		if (line[k] != ':' || k == 0) {
			if (strcmp(line, "...") == 0 || strcmp(line, "---") == 0)
				rc = yerr(&y, ln, 1, "one document only");
			else
				rc = yerr(&y, ln, col_of(line, k ? k : 0), "expected \"field: value\"");
			break;
		}
		line[k] = '\0';
		int f = entity_field(e, line);
		if (f < 0) {
			char *msg = entity_unknown_field_msg(e, line);
			rc = yerr(&y, ln, 1, msg);
			free(msg);
			break;
		}
		if (seen[f]) {
			char *msg = xasprintf("duplicate field '%s' (first on line %d)", line, seen[f] + line_offset);
			rc = yerr(&y, ln, 1, msg);
			free(msg);
			break;
		}
		seen[f] = ln;
		nfield++;
		if (line[k + 1] && line[k + 1] != ' ' && line[k + 1] != '\t') {
			rc = yerr(&y, ln, col_of(line, k + 1), "expected a space after ':'");
			break;
		}
		size_t vstart = k + 1 + strspn(line + k + 1, " \t");
		int null;
		buf_reset(&val);
		rc = read_value(&y, ln, line, vstart, &val, &null);
		if (rc)
			break;
		if (e->fields[f].flags & FF_COMP) {
			char *msg = xasprintf("%s is computed by kam and cannot be set", e->fields[f].name);
			rc = yerr(&y, ln, 1, msg);
			free(msg);
			break;
		}
		char *why = NULL;
		const struct field *fd = &e->fields[f];
		if (y.t && !null && *val.p && (fd->type == FT_REF || fd->type == FT_REFS)) {
			struct buf ids = {0};
			if (resolve_refs(&y, fd, val.p, &ids, &why) != 0) {
				rc = yerr(&y, ln, col_of(line, vstart), why);
				free(why);
				buf_free(&ids);
				break;
			}
			buf_reset(&val);
			buf_adds(&val, ids.p);
			buf_free(&ids);
		}
		if (record_parse_field(r, f, null ? "" : val.p, &why) != 0) {
			rc = yerr(&y, ln, col_of(line, vstart), why ? why : "invalid value");
			free(why);
			break;
		}
		free(why);
	}
	if (!rc && !nfield)
		rc = RECORD_YAML_EMPTY;
	if (!rc) {
		char *why = NULL;
		if (record_validate(r, &why) != 0) {
			/* "name: required field is missing": point at the field. */
			int line = 1, col = 1;
			const char *msg = why ? why : "invalid record";
			size_t fl = strcspn(msg, ":");
			for (int f = 0; msg[fl] == ':' && f < e->nfields; f++)
				if (strlen(e->fields[f].name) == fl && strncmp(e->fields[f].name, msg, fl) == 0 &&
				    seen[f])
					line = seen[f], col = (int)fl + 3;
			rc = yerr(&y, line, col, msg);
		}
		free(why);
	}
	buf_free(&val);
	free(copy);
	free(seen);
	return rc;
}
