/* Import of CSV and JSONL: one write txn for all files, all or nothing.
 *
 * Rows are streamed: each row is parsed, its references resolved, matched
 * against existing records (dedup) and written at once, so that later rows
 * and files see it. The first bad row switches the import to "failed": the
 * rest is still read and checked so that every problem is listed, and the
 * txn is aborted at the end (nothing is committed, so data.mdb stays
 * byte-identical as long as LMDB does not spill dirty pages: measured
 * unchanged after a failed 817k-row import). Only a hash of keys (external
 * id, name key -> id) and the rows that wait for a later row of their own
 * type (a branch listed before its group) are kept in memory. */
#include "kam/io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "kam/csv.h"
#include "kam/err.h"
#include "kam/json.h"
#include "kam/text.h"

/* Hash values: the record id, or one of these. */
#define KEY_FAILED 0             /* the row of this key was bad: refs fail silently */
#define KEY_AMBIGUOUS UINT64_MAX /* several records share this name */

struct key_slot {
	char *key;
	uint32_t len;
	uint32_t hash; /* compared before the key: probes rarely touch keys */
	uint64_t val;
};

/* Open addressing, linear probing; keys are entity code || kind || text. */
struct keymap {
	struct key_slot *s;
	size_t cap, n;
};

/* A reference to a record of the same entity that comes later in the
 * import (parent after child): resolved and written at the end. */
struct pending {
	const struct entity *e;
	uint64_t id;
	int field;
	char *text;
	char *file;
	int file_ix;
	int line, col;
};

/* A row that names a record of its own entity not read yet (a child
 * before its parent): stored when the parent is in, at the end of the file
 * or when a mixed JSONL file moves on to the next entity. */
struct late_ref {
	int field;
	char *text;
	int line, col;
};

struct deferred {
	struct record *r;
	uint64_t account_id;
	int kam, line, file_ix, nlate;
	char *file;
	struct late_ref late[4];
};

struct err_item {
	int file; /* index in the import order */
	int line, col;
	char *text;
};

struct imp {
	struct err_item *errs;
	size_t nerrs;
	int file_ix;
	struct store *st;
	struct txn *t;
	const struct import_opts *o;
	struct import_stats *stats;
	struct keymap keys;
	unsigned char names_loaded[ENT__COUNT];
	struct buf kb;
	struct pending *pend;
	size_t npend, cappend;
	struct deferred *defer;
	size_t ndefer, capdefer;
	const char *file;
	int row_kam;       /* the row comes from kam's own export (id and version) */
	int fatal;         /* the txn is unusable: stop */
	char *fatal_cause; /* why (the store's message), or NULL */
};

/* One cell of a row, whatever the file format. */
struct cell {
	int col;
	const char *text;
	const char *header;
	int line, colno;
};

/* What a row says beyond the fields of the record. */
struct row_meta {
	const struct cell *id, *version, *created, *updated, *updated_by, *ext_id;
	const struct cell *first, *last, *account, *phone2;
	uint64_t account_id;       /* resolved IO_COL_ACCOUNT, or the record's account field */
	const struct cell *at[64]; /* the cell of each field */
	struct {
		int field;
		const struct cell *c;
	} late[4]; /* references to rows of this entity not read yet */
	int nlate;
};

static int ent_ix(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return 0;
}

/* --- key map ----------------------------------------------------------------- */

static uint64_t key_hash(const char *k, size_t n)
{
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)k[i]) * 1099511628211ULL;
	return h ^ (h >> 29); /* FNV's low bits alone cluster on similar keys */
}

static struct key_slot *keymap_slot(struct keymap *m, const char *k, size_t n, uint32_t h)
{
	size_t i = h & (m->cap - 1);
	while (m->s[i].key && (m->s[i].hash != h || m->s[i].len != n || memcmp(m->s[i].key, k, n)))
		i = (i + 1) & (m->cap - 1);
	return &m->s[i];
}

static void keymap_grow(struct keymap *m)
{
	struct keymap bigger = {xcalloc(m->cap ? m->cap * 2 : 1024, sizeof *m->s), m->cap ? m->cap * 2 : 1024, m->n};
	for (size_t i = 0; i < m->cap; i++)
		if (m->s[i].key)
			*keymap_slot(&bigger, m->s[i].key, m->s[i].len, m->s[i].hash) = m->s[i];
	free(m->s);
	*m = bigger;
}

static uint64_t *keymap_get(struct keymap *m, const struct buf *k)
{
	if (!m->cap)
		return NULL;
	struct key_slot *s = keymap_slot(m, k->p, k->len, (uint32_t)key_hash(k->p, k->len));
	return s->key ? &s->val : NULL;
}

/* Set a key; `name` keys seen twice with different ids become ambiguous. */
static void keymap_put(struct keymap *m, const struct buf *k, uint64_t val, int name)
{
	if ((m->n + 1) * 2 >= m->cap)
		keymap_grow(m);
	uint32_t h = (uint32_t)key_hash(k->p, k->len);
	struct key_slot *s = keymap_slot(m, k->p, k->len, h);
	if (s->key) {
		if (name && s->val != val && s->val != KEY_FAILED && val != KEY_FAILED)
			val = KEY_AMBIGUOUS;
		s->val = val;
		return;
	}
	s->key = xmalloc(k->len);
	memcpy(s->key, k->p, k->len);
	s->len = (uint32_t)k->len;
	s->hash = h;
	s->val = val;
	m->n++;
}

static void keymap_free(struct keymap *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->s[i].key);
	free(m->s);
}

static const struct buf *key_make(struct imp *im, const struct entity *e, char kind, const char *text)
{
	buf_reset(&im->kb);
	buf_addc(&im->kb, (char)e->code);
	buf_addc(&im->kb, kind);
	buf_adds(&im->kb, text);
	return &im->kb;
}

/* The name key: text_name_key for accounts (legal suffixes do not count),
 * text_fold for everything else. */
static char *name_key(const struct entity *e, const char *name)
{
	return e == ENTITY(account) ? text_name_key(name) : text_fold(name);
}

static void key_add_name(struct imp *im, const struct entity *e, const char *name, uint64_t id)
{
	char *k = name_key(e, name);
	if (*k)
		keymap_put(&im->keys, key_make(im, e, 'n', k), id, 1);
	free(k);
}

/* An account's short name (中国移动 for 中国移动通信集团有限公司) also
 * names it in references, never in dedup. */
static void key_add_short(struct imp *im, const struct record *r, uint64_t id)
{
	if (r->ent != ENTITY(account) || !r->v[ACCOUNT_SHORT_NAME].s)
		return;
	char *k = text_name_key(r->v[ACCOUNT_SHORT_NAME].s);
	if (*k)
		keymap_put(&im->keys, key_make(im, r->ent, 's', k), id, 1);
	free(k);
}

static int load_name(const struct record *r, void *arg)
{
	struct imp *im = arg;
	key_add_name(im, r->ent, record_name(r), r->id);
	key_add_short(im, r, r->id);
	return 0;
}

/* Names of the records already stored, once per entity and import. */
static int names_load(struct imp *im, const struct entity *e)
{
	int ei = ent_ix(e);
	if (im->names_loaded[ei])
		return 0;
	im->names_loaded[ei] = 1;
	return store_scan(im->t, e, load_name, im);
}

/* Remember the keys of a stored (or bad, id = KEY_FAILED) row. */
static void keys_register(struct imp *im, const struct record *r, uint64_t id)
{
	if (r->ext_id && *r->ext_id)
		keymap_put(&im->keys, key_make(im, r->ent, 'x', r->ext_id), id, 0);
	/* Other entities' names are only kept once a name reference needed them. */
	if (r->ent->name_field >= 0 && *record_name(r) &&
	    (r->ent == ENTITY(account) || im->names_loaded[ent_ix(r->ent)])) {
		key_add_name(im, r->ent, record_name(r), id);
		key_add_short(im, r, id);
	}
}

/* --- errors ------------------------------------------------------------------- */

static void add_error(struct imp *im, int line, int col, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void add_error_text(struct imp *im, int line, int col, char *text)
{
	if (++im->stats->nerrors > IMPORT_MAX_LISTED) {
		free(text);
		return;
	}
	if (!im->errs)
		im->errs = xcalloc(IMPORT_MAX_LISTED, sizeof *im->errs);
	im->errs[im->nerrs++] = (struct err_item){im->file_ix, line, col, text};
}

static void add_error(struct imp *im, int line, int col, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	add_error_text(im, line, col, xasprintf("%s:%d:%d: error: %s", im->file, line, col, msg));
	free(msg);
}

/* The CSV reader's messages are complete: "FILE:LINE:COL: error: ...". */
static void add_reader_error(struct imp *im, const char *msg)
{
	int line = 0, col = 0;
	size_t n = strlen(im->file);
	if (!strncmp(msg, im->file, n) && msg[n] == ':')
		sscanf(msg + n + 1, "%d:%d", &line, &col);
	add_error_text(im, line, col, xstrdup(msg));
}

static int err_cmp(const void *a, const void *b)
{
	const struct err_item *x = a, *y = b;
	if (x->file != y->file)
		return x->file < y->file ? -1 : 1;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->col > y->col) - (x->col < y->col);
}

/* Errors in file order, whatever order they were found in (late
 * references are checked at the end). */
static void errors_flush(struct imp *im)
{
	if (im->nerrs)
		qsort(im->errs, im->nerrs, sizeof *im->errs, err_cmp);
	for (size_t i = 0; i < im->nerrs; i++) {
		buf_addf(&im->stats->errors, "%s\n", im->errs[i].text);
		free(im->errs[i].text);
	}
	free(im->errs);
	im->errs = NULL;
	im->nerrs = 0;
}

/* An error raised by whole-record code (record_validate, store): placed at
 * the cell of the field its message starts with, else at the row. */
static void add_record_error(struct imp *im, const struct entity *e, const struct row_meta *m, int line,
			     const char *msg)
{
	size_t n = strcspn(msg, ":");
	for (int f = 0; f < e->nfields && msg[n]; f++)
		if (strlen(e->fields[f].name) == n && !strncmp(msg, e->fields[f].name, n) && m->at[f]) {
			add_error(im, m->at[f]->line, m->at[f]->colno, "%s", msg);
			return;
		}
	add_error(im, line, 1, "%s", msg);
}

/* --- references --------------------------------------------------------------- */

struct contact_match {
	struct imp *im;
	const char *fold_name; /* or NULL */
	const char *phone;     /* or NULL */
	const char *fold_email;
	uint64_t found;
	int nfound;
};

/* Two phone lists share a number (digits only, so "010-1234" = "0101234"). */
static int phones_overlap(const char *a, const char *b)
{
	char da[64], db[64];
	for (const char *p = a; *p;) {
		size_t n = 0;
		for (; *p && *p != ';'; p++)
			if (*p >= '0' && *p <= '9' && n < sizeof da - 1)
				da[n++] = *p;
		da[n] = 0;
		if (*p)
			p++;
		if (n < 5)
			continue;
		for (const char *q = b; *q;) {
			size_t k = 0;
			for (; *q && *q != ';'; q++)
				if (*q >= '0' && *q <= '9' && k < sizeof db - 1)
					db[k++] = *q;
			db[k] = 0;
			if (*q)
				q++;
			if (!strcmp(da, db))
				return 1;
		}
	}
	return 0;
}

static int contact_matches(const struct record *c, const struct contact_match *cm)
{
	if (cm->fold_email && c->v[CONTACT_EMAIL].s) {
		char *f = text_fold(c->v[CONTACT_EMAIL].s);
		int eq = !strcmp(f, cm->fold_email);
		free(f);
		if (eq)
			return 1;
	}
	if (cm->phone && c->v[CONTACT_PHONE].s && phones_overlap(cm->phone, c->v[CONTACT_PHONE].s))
		return 1;
	if (cm->fold_name) {
		char *f = text_fold(record_name(c));
		int eq = !strcmp(f, cm->fold_name);
		free(f);
		return eq;
	}
	return 0;
}

static int visit_link_contact(const struct record *link, void *arg)
{
	struct contact_match *cm = arg;
	struct record *c;
	if (store_get(cm->im->t, ENTITY(contact), (uint64_t)link->v[AC_CONTACT].i, &c))
		return 0;
	if (contact_matches(c, cm) && (!cm->nfound || cm->found != c->id)) {
		cm->found = c->id;
		cm->nfound++;
	}
	record_free(c);
	return 0;
}

/* Contacts of an account that match by name, phone or e-mail. */
static int contacts_of_account(struct imp *im, uint64_t account, struct contact_match *cm)
{
	struct value v = {.i = (int64_t)account, .set = 1};
	cm->im = im;
	return store_index_scan(im->t, ENTITY(account_contact), "account", &v, 1, visit_link_contact, cm);
}

static int exists(struct imp *im, const struct entity *e, uint64_t id)
{
	struct record *r;
	if (store_get(im->t, e, id, &r))
		return 0;
	record_free(r);
	return 1;
}

/* Resolve a reference cell to an id: external id (this import or the
 * database), then "#123" or a number as a kam id, then the name. Returns 0,
 * 1 when it names a bad row of this import (already reported), or
 * KAM_ENOTFOUND / KAM_EINVAL with *cause. */
static int ref_resolve(struct imp *im, const struct entity *target, const char *text, uint64_t account, uint64_t *id,
		       char **cause)
{
	const char *digits = text[0] == '#' ? text + 1 : text;
	int64_t n;
	int is_id = *digits && !parse_int64(digits, &n) && n > 0;
	/* kam's own exports write references as kam ids, whatever ext_ids say */
	if (is_id && (im->row_kam || digits != text) && exists(im, target, (uint64_t)n))
		return *id = (uint64_t)n, 0;
	uint64_t *hit = keymap_get(&im->keys, key_make(im, target, 'x', text));
	if (hit)
		return *hit == KEY_FAILED ? 1 : (*id = *hit, 0);
	if (!store_find_ext(im->t, target, text, id))
		return 0;
	if (is_id && exists(im, target, (uint64_t)n))
		return *id = (uint64_t)n, 0;
	if (target->name_field < 0)
		return set_cause(cause, KAM_ENOTFOUND, "no %s with external id or id '%s'", target->name, text);
	if (target == ENTITY(contact) && account) {
		char *fold = text_fold(text);
		struct contact_match cm = {.fold_name = fold};
		int rc = contacts_of_account(im, account, &cm);
		free(fold);
		if (rc)
			return rc;
		if (cm.nfound == 1)
			return *id = cm.found, 0;
	}
	int rc = names_load(im, target);
	if (rc)
		return set_cause(cause, rc, "cannot read %s names", target->name);
	char *k = name_key(target, text);
	hit = *k ? keymap_get(&im->keys, key_make(im, target, 'n', k)) : NULL;
	if (!hit && *k && target == ENTITY(account))
		hit = keymap_get(&im->keys, key_make(im, target, 's', k));
	free(k);
	if (hit && *hit == KEY_AMBIGUOUS)
		return set_cause(cause, KAM_EINVAL, "'%s' names several %s: use an external id or #id", text,
				 target->plural);
	if (hit)
		return *hit == KEY_FAILED ? 1 : (*id = *hit, 0);
	return set_cause(cause, KAM_ENOTFOUND, "no %s with external id, id or name '%s'", target->name, text);
}

/* --- parsing a row ------------------------------------------------------------- */

static int parse_enum_cell(struct imp *im, struct record *r, int f, const struct cell *c, struct row_meta *m)
{
	const char *text = c->text;
	int f2;
	const char *v2;
	char *cause = NULL;
	if (enum_index(r->ent->fields[f].enums, text) < 0) {
		const char *code = io_alias_enum(r->ent, f, text, &f2, &v2);
		if (code) {
			text = code;
			if (f2 >= 0 && !m->at[f2])
				record_set_text(r, f2, v2);
		}
	}
	int rc = record_parse_field(r, f, text, &cause);
	if (rc)
		add_error(im, c->line, c->colno, "%s", cause);
	free(cause);
	return rc;
}

static int parse_refs_cell(struct imp *im, struct record *r, int f, const struct cell *c, uint64_t account)
{
	const struct entity *target = field_ref_entity(&r->ent->fields[f]);
	struct buf ids = {0};
	char *copy = xstrdup(c->text), *save = NULL;
	int rc = 0;
	for (char *tok = strtok_r(copy, ";", &save); tok && !rc; tok = strtok_r(NULL, ";", &save)) {
		char *cause = NULL;
		uint64_t id;
		while (*tok == ' ')
			tok++;
		if (!*tok)
			continue;
		rc = ref_resolve(im, target, tok, account, &id, &cause);
		if (rc < 0)
			add_error(im, c->line, c->colno, "%s: %s", r->ent->fields[f].name, cause);
		else if (!rc)
			buf_addf(&ids, "%s%llu", ids.len ? ";" : "", (unsigned long long)id);
		free(cause);
	}
	if (!rc && ids.len)
		record_set_text(r, f, ids.p);
	free(copy);
	buf_free(&ids);
	return rc;
}

static void pending_add(struct imp *im, const struct entity *e, uint64_t id, const struct late_ref *l)
{
	if (im->npend == im->cappend) {
		im->cappend = im->cappend ? im->cappend * 2 : 16;
		im->pend = xrealloc(im->pend, im->cappend * sizeof *im->pend);
	}
	im->pend[im->npend++] =
	    (struct pending){e, id, l->field, xstrdup(l->text), xstrdup(im->file), im->file_ix, l->line, l->col};
}

static int parse_ref_cell(struct imp *im, struct record *r, int f, const struct cell *c, uint64_t account,
			  struct row_meta *m)
{
	const struct field *fd = &r->ent->fields[f];
	const struct entity *target = field_ref_entity(fd);
	char *cause = NULL;
	uint64_t id;
	int rc = ref_resolve(im, target, c->text, account, &id, &cause);
	if (!rc) {
		record_set_int(r, f, (int64_t)id);
	} else if (rc == KAM_ENOTFOUND && target == r->ent && !(fd->flags & FF_REQ) && m->nlate < 4) {
		m->late[m->nlate].field = f; /* maybe a later row: see deferred_flush */
		m->late[m->nlate++].c = c;
		rc = 0;
	} else if (rc < 0) {
		add_error(im, c->line, c->colno, "%s: %s", fd->name, cause);
	}
	free(cause);
	return rc;
}

/* The account a row belongs to, for contacts named within their account. */
static uint64_t row_account(const struct record *r, const struct row_meta *m)
{
	if (m->account_id)
		return m->account_id;
	for (int f = 0; f < r->ent->nfields; f++)
		if (r->ent->fields[f].type == FT_REF && r->v[f].set && !strcmp(r->ent->fields[f].ref, "account"))
			return (uint64_t)r->v[f].i;
	return 0;
}

static int parse_meta_int(struct imp *im, const struct cell *c, int64_t *out)
{
	if (!c || !*c->text)
		return 0;
	if (parse_int64(c->text, out) || *out < 0) {
		add_error(im, c->line, c->colno, "%s: '%s' is not a whole number", c->header, c->text);
		return KAM_EINVAL;
	}
	return 0;
}

static int parse_meta(struct imp *im, struct record *r, struct row_meta *m)
{
	int64_t id = 0, version = 0, created = 0, updated = 0;
	int bad = parse_meta_int(im, m->id, &id) | parse_meta_int(im, m->version, &version) |
		  parse_meta_int(im, m->created, &created) | parse_meta_int(im, m->updated, &updated);
	r->id = (uint64_t)id;
	r->version = (uint32_t)version;
	r->created = created;
	r->updated = updated;
	if (m->updated_by && *m->updated_by->text)
		r->updated_by = xstrdup(m->updated_by->text);
	if (m->ext_id && *m->ext_id->text)
		r->ext_id = xstrdup(m->ext_id->text);
	if (m->account && *m->account->text) {
		char *cause = NULL;
		int rc = ref_resolve(im, ENTITY(account), m->account->text, 0, &m->account_id, &cause);
		if (rc < 0)
			add_error(im, m->account->line, m->account->colno, "account: %s", cause);
		free(cause);
		bad |= rc != 0;
	}
	return bad ? KAM_EINVAL : 0;
}

/* "FirstName"/"LastName": Chinese names are family name first, no space. */
static void join_name(struct record *r, const struct row_meta *m)
{
	const char *first = m->first ? m->first->text : "", *last = m->last ? m->last->text : "";
	if (r->ent->name_field < 0 || (!*first && !*last) || record_has(r, r->ent->name_field))
		return;
	int cjk = (unsigned char)last[0] >= 0xe3 || (unsigned char)first[0] >= 0xe3;
	char *name =
	    cjk ? xasprintf("%s%s", last, first) : xasprintf("%s%s%s", first, *first && *last ? " " : "", last);
	record_set_text(r, r->ent->name_field, name);
	free(name);
}

static void add_phone2(struct record *r, const struct row_meta *m)
{
	if (r->ent != ENTITY(contact) || !m->phone2 || !*m->phone2->text)
		return;
	const char *p = r->v[CONTACT_PHONE].s;
	char *both = p && *p ? xasprintf("%s;%s", p, m->phone2->text) : xstrdup(m->phone2->text);
	record_set_text(r, CONTACT_PHONE, both);
	free(both);
}

/* Fields of the record from the cells; references to contacts last, as
 * they may be named within the row's account. */
static int parse_cells(struct imp *im, struct record *r, const struct cell *cells, int n, struct row_meta *m)
{
	int bad = parse_meta(im, r, m) != 0;
	for (int pass = 0; pass < 2; pass++) {
		for (int i = 0; i < n; i++) {
			const struct cell *c = &cells[i];
			if (c->col < 0 || !*c->text)
				continue;
			const struct field *fd = &r->ent->fields[c->col];
			int late = (fd->type == FT_REF || fd->type == FT_REFS) && !strcmp(fd->ref, "contact");
			if (late != pass || fd->flags & FF_COMP)
				continue;
			int rc;
			char *cause = NULL;
			if (fd->type == FT_REF)
				rc = parse_ref_cell(im, r, c->col, c, row_account(r, m), m);
			else if (fd->type == FT_REFS)
				rc = parse_refs_cell(im, r, c->col, c, row_account(r, m));
			else if (fd->type == FT_ENUM)
				rc = parse_enum_cell(im, r, c->col, c, m);
			else if ((rc = record_parse_field(r, c->col, c->text, &cause)))
				add_error(im, c->line, c->colno, "%s", cause);
			free(cause);
			bad |= rc != 0;
		}
	}
	join_name(r, m);
	add_phone2(r, m);
	/* Salesforce has no plan year: the decision date's year is the best guess. */
	if (r->ent == ENTITY(opportunity) && !record_has(r, OPP_YEAR) && record_has(r, OPP_DECISION))
		record_set_int(r, OPP_YEAR, r->v[OPP_DECISION].i / 10000);
	return bad;
}

/* --- dedup -------------------------------------------------------------------- */

static int visit_first_id(uint64_t id, void *arg)
{
	*(uint64_t *)arg = id;
	return 1;
}

static int visit_email(const struct record *c, void *arg)
{
	struct contact_match *cm = arg;
	if (!contact_matches(c, cm))
		return 0;
	cm->found = c->id;
	cm->nfound++;
	return 1;
}

static int visit_link(const struct record *link, void *arg)
{
	uint64_t *want = arg; /* [account in, id out] */
	if ((uint64_t)link->v[AC_ACCOUNT].i != want[0])
		return 0;
	want[1] = link->id;
	return 1;
}

/* Same person: e-mail anywhere, phone or name within the row's account. */
static uint64_t match_contact(struct imp *im, const struct record *r, uint64_t account)
{
	struct contact_match cm = {.im = im};
	char *email = r->v[CONTACT_EMAIL].s ? text_fold(r->v[CONTACT_EMAIL].s) : NULL;
	if (email && *email) {
		cm.fold_email = email;
		struct value v = {.s = email, .set = 1};
		store_index_scan(im->t, ENTITY(contact), "email", &v, 1, visit_email, &cm);
	}
	if (!cm.nfound && account) {
		char *fold = text_fold(record_name(r));
		cm.fold_name = fold;
		cm.phone = r->v[CONTACT_PHONE].s;
		contacts_of_account(im, account, &cm);
		free(fold);
	}
	free(email);
	return cm.nfound == 1 ? cm.found : 0;
}

/* An existing record the row describes by its natural key, or 0. */
static uint64_t match_natural(struct imp *im, const struct record *r, uint64_t account)
{
	const struct entity *e = r->ent;
	uint64_t id = 0;
	if (e == ENTITY(account)) {
		if (names_load(im, e))
			return 0;
		char *k = name_key(e, record_name(r));
		uint64_t *hit = *k ? keymap_get(&im->keys, key_make(im, e, 'n', k)) : NULL;
		free(k);
		return hit && *hit != KEY_AMBIGUOUS ? *hit : 0;
	}
	if (e == ENTITY(contact))
		return match_contact(im, r, account);
	if (e == ENTITY(account_year) && record_has(r, AY_ACCOUNT) && record_has(r, AY_YEAR)) {
		store_index_ids(im->t, e, "account_year", &r->v[AY_ACCOUNT], 2, visit_first_id, &id);
		return id;
	}
	if (e == ENTITY(account_contact) && record_has(r, AC_ACCOUNT) && record_has(r, AC_CONTACT)) {
		uint64_t want[2] = {(uint64_t)r->v[AC_ACCOUNT].i, 0};
		store_index_scan(im->t, e, "contact", &r->v[AC_CONTACT], 1, visit_link, want);
		return want[1];
	}
	return 0;
}

/* The stored record this row is about, or 0 for a new one. */
static uint64_t match_existing(struct imp *im, const struct record *r, uint64_t account, int *natural)
{
	uint64_t id = 0;
	*natural = 0;
	if (r->id && exists(im, r->ent, r->id))
		return r->id;
	if (r->id)
		return 0; /* kam's own export into another database: keep the id */
	if (r->ext_id) {
		uint64_t *hit = keymap_get(&im->keys, key_make(im, r->ent, 'x', r->ext_id));
		if (hit && *hit != KEY_FAILED)
			return *hit;
		if (!store_find_ext(im->t, r->ent, r->ext_id, &id))
			return id;
	}
	id = match_natural(im, r, account);
	if (id && r->ext_id) { /* a different external id is a different record */
		struct record *old;
		if (!store_get(im->t, r->ent, id, &old)) {
			if (old->ext_id && *old->ext_id && strcmp(old->ext_id, r->ext_id))
				id = 0;
			record_free(old);
		}
	}
	*natural = id != 0;
	return id;
}

/* --- writing ------------------------------------------------------------------- */

/* The transaction is unusable (map or disk full, storage error): stop, and
 * keep the first cause (taken over) for the message. */
static void import_fatal(struct imp *im, int rc, char *cause)
{
	im->fatal = rc;
	if (!im->fatal_cause) {
		im->fatal_cause = cause;
		cause = NULL;
	}
	free(cause);
}

static int store_error(struct imp *im, const struct entity *e, const struct row_meta *m, int line, int rc, char *cause)
{
	if (rc == KAM_EINVAL || rc == KAM_EEXIST) {
		add_record_error(im, e, m, line, cause ? cause : kam_strerror(rc));
		free(cause);
	} else {
		import_fatal(im, rc, cause);
	}
	return rc;
}

/* Merge the row into the stored record: cells given replace, empty cells
 * keep what is there (a partial CRM export must not erase kam data). */
static int row_update(struct imp *im, struct record *in, uint64_t id, const struct row_meta *m, int line)
{
	struct record *r;
	char *cause = NULL;
	int rc = store_get(im->t, in->ent, id, &r);
	if (rc)
		return store_error(im, in->ent, m, line, rc, NULL);
	for (int f = 0; f < in->ent->nfields; f++) {
		if (!in->v[f].set)
			continue;
		free(r->v[f].s);
		r->v[f] = in->v[f];
		r->v[f].s = in->v[f].s ? xstrdup(in->v[f].s) : NULL;
	}
	if (in->ext_id && !r->ext_id)
		r->ext_id = xstrdup(in->ext_id);
	uint32_t before = r->version;
	rc = store_update(im->t, r, &cause);
	if (rc)
		store_error(im, in->ent, m, line, rc, cause);
	else if (r->version != before)
		im->stats->updated[ent_ix(in->ent)]++;
	else
		im->stats->skipped[ent_ix(in->ent)]++; /* nothing changed */
	if (!rc)
		keys_register(im, r, id);
	record_free(r);
	return rc;
}

static int row_insert(struct imp *im, struct record *in, const struct row_meta *m, int line)
{
	char *cause = NULL;
	int rc = store_insert(im->t, in, &cause);
	if (rc)
		return store_error(im, in->ent, m, line, rc, cause);
	im->stats->created[ent_ix(in->ent)]++;
	keys_register(im, in, in->id);
	return 0;
}

/* A contact row with an account column: the person works there. */
static int link_account(struct imp *im, uint64_t account, uint64_t contact, const struct row_meta *m, int line)
{
	struct record *link = record_new(ENTITY(account_contact));
	record_set_int(link, AC_ACCOUNT, (int64_t)account);
	record_set_int(link, AC_CONTACT, (int64_t)contact);
	int rc = 0;
	if (!match_natural(im, link, account))
		rc = row_insert(im, link, m, line);
	record_free(link);
	return rc;
}

static const char *dup_what(const struct record *r)
{
	return r->ent->name_field >= 0 && *record_name(r) ? record_name(r) : r->ext_id ? r->ext_id : "";
}

/* Match and write a parsed row; 0 and the record's id, or an error
 * (reported). */
static int row_store(struct imp *im, struct record *in, const struct row_meta *m, int line, uint64_t *out)
{
	uint64_t account = row_account(in, m);
	int natural;
	uint64_t id = match_existing(im, in, account, &natural);
	int rc = 0;
	if (id && im->o->on_dup == IMPORT_DUP_ERROR) {
		add_error(im, line, 1, "%s '%s' already exists (%s %llu)", in->ent->name, dup_what(in), in->ent->name,
			  (unsigned long long)id);
		rc = KAM_EEXIST;
	} else if (id && im->o->on_dup == IMPORT_DUP_SKIP) {
		im->stats->skipped[ent_ix(in->ent)]++;
		keys_register(im, in, id);
	} else if (id) {
		/* Found by its name, e-mail or phone: the stored name (often the
		 * full legal one) stays; only ids make a row rename a record. */
		if (natural && in->ent->name_field >= 0)
			record_clear(in, in->ent->name_field);
		rc = row_update(im, in, id, m, line);
	} else {
		rc = row_insert(im, in, m, line);
		id = in->id;
	}
	if (!rc && in->ent == ENTITY(contact) && m->account_id)
		rc = link_account(im, m->account_id, id, m, line);
	if (rc)
		keys_register(im, in, KEY_FAILED);
	*out = id;
	return rc;
}

static void deferred_free(struct deferred *d)
{
	record_free(d->r);
	free(d->file);
	for (int i = 0; i < d->nlate; i++)
		free(d->late[i].text);
}

static void deferred_add(struct imp *im, struct record *r, const struct row_meta *m, int line)
{
	if (im->ndefer == im->capdefer) {
		im->capdefer = im->capdefer ? im->capdefer * 2 : 16;
		im->defer = xrealloc(im->defer, im->capdefer * sizeof *im->defer);
	}
	struct deferred *d = &im->defer[im->ndefer++];
	*d = (struct deferred){r, m->account_id, im->row_kam, line, im->file_ix, m->nlate, xstrdup(im->file), {{0}}};
	for (int i = 0; i < m->nlate; i++)
		d->late[i] = (struct late_ref){m->late[i].field, xstrdup(m->late[i].c->text), m->late[i].c->line,
					       m->late[i].c->colno};
}

/* 1 when the row is done with (stored, or its error reported), 0 while a
 * reference still names nothing. */
static int deferred_try(struct imp *im, struct deferred *d)
{
	struct row_meta m = {.account_id = d->account_id};
	uint64_t ids[4], id;
	im->file = d->file;
	im->file_ix = d->file_ix;
	im->row_kam = d->kam;
	for (int i = 0; i < d->nlate; i++) {
		char *cause = NULL;
		int rc = ref_resolve(im, d->r->ent, d->late[i].text, row_account(d->r, &m), &ids[i], &cause);
		if (rc < 0 && rc != KAM_ENOTFOUND)
			add_error(im, d->late[i].line, d->late[i].col, "%s: %s",
				  d->r->ent->fields[d->late[i].field].name, cause);
		free(cause);
		if (rc == KAM_ENOTFOUND)
			return 0;
		if (rc) {
			keys_register(im, d->r, KEY_FAILED);
			return 1;
		}
	}
	for (int i = 0; i < d->nlate; i++)
		record_set_int(d->r, d->late[i].field, (int64_t)ids[i]);
	row_store(im, d->r, &m, d->line, &id);
	return 1;
}

/* Rows wait for each other in chains (child, parent, grandparent): store
 * whatever has become resolvable until nothing moves. What is left is a
 * cycle or a name that does not exist: stored without the reference, which
 * pending_resolve sets (or reports) when every row is in. */
static void deferred_flush(struct imp *im)
{
	const char *file = im->file; /* the rows' own files are set while they are stored */
	int file_ix = im->file_ix;
	for (int progress = 1; progress && im->ndefer && !im->fatal;) {
		size_t keep = 0;
		progress = 0;
		for (size_t i = 0; i < im->ndefer; i++) {
			if (!im->fatal && deferred_try(im, &im->defer[i])) {
				deferred_free(&im->defer[i]);
				progress = 1;
			} else {
				im->defer[keep++] = im->defer[i];
			}
		}
		im->ndefer = keep;
	}
	for (size_t i = 0; i < im->ndefer; i++) {
		struct deferred *d = &im->defer[i];
		struct row_meta m = {.account_id = d->account_id};
		uint64_t id;
		im->file = d->file;
		im->file_ix = d->file_ix;
		if (!im->fatal && !row_store(im, d->r, &m, d->line, &id))
			for (int k = 0; k < d->nlate; k++)
				pending_add(im, d->r->ent, id, &d->late[k]);
		deferred_free(d);
	}
	im->ndefer = 0;
	im->file = file;
	im->file_ix = file_ix;
}

/* One row: parse, resolve, match, write. */
static void row_import(struct imp *im, const struct entity *e, const struct cell *cells, int n, int line)
{
	struct row_meta m = {0};
	for (int i = 0; i < n; i++) {
		const struct cell *c = &cells[i];
		switch (c->col) {
		case IO_COL_ID:
			m.id = c;
			break;
		case IO_COL_VERSION:
			m.version = c;
			break;
		case IO_COL_CREATED:
			m.created = c;
			break;
		case IO_COL_UPDATED:
			m.updated = c;
			break;
		case IO_COL_UPDATED_BY:
			m.updated_by = c;
			break;
		case IO_COL_EXT_ID:
			m.ext_id = c;
			break;
		case IO_COL_FIRST_NAME:
			m.first = c;
			break;
		case IO_COL_LAST_NAME:
			m.last = c;
			break;
		case IO_COL_ACCOUNT:
			m.account = c;
			break;
		case IO_COL_PHONE2:
			m.phone2 = c;
			break;
		default:
			if (c->col >= 0 && c->col < 64)
				m.at[c->col] = c;
		}
	}
	im->stats->rows++;
	im->row_kam = m.id && m.version;
	struct record *r = record_new(e);
	uint64_t id;
	if (parse_cells(im, r, cells, n, &m)) {
		keys_register(im, r, KEY_FAILED);
	} else if (m.nlate) {
		deferred_add(im, r, &m, line); /* takes r */
		return;
	} else {
		row_store(im, r, &m, line, &id);
	}
	record_free(r);
}

/* Late references (a parent listed after its child): resolved when every
 * row is in, then written into the records. */
static void pending_resolve(struct imp *im)
{
	for (size_t i = 0; i < im->npend && !im->fatal; i++) {
		struct pending *p = &im->pend[i];
		uint64_t target;
		char *cause = NULL;
		struct record *r;
		im->file = p->file;
		im->file_ix = p->file_ix;
		im->row_kam = 0;
		int rc = ref_resolve(im, p->e, p->text, 0, &target, &cause);
		if (rc < 0) {
			add_error(im, p->line, p->col, "%s: %s", p->e->fields[p->field].name, cause);
		} else if (!rc && !store_get(im->t, p->e, p->id, &r)) {
			record_set_int(r, p->field, (int64_t)target);
			free(cause);
			cause = NULL;
			if ((rc = store_update(im->t, r, &cause)) && rc != KAM_EINVAL) {
				import_fatal(im, rc, cause);
				cause = NULL;
			} else if (rc)
				add_error(im, p->line, p->col, "%s", cause);
			record_free(r);
		}
		free(cause);
	}
}

/* --- columns -------------------------------------------------------------------- */

/* --map 'Header=field' first, then the built-in aliases. */
static int column_for(struct imp *im, const struct entity *e, const char *header, char **cause)
{
	for (int i = 0; i < im->o->nmaps; i++) {
		const char *eq = strchr(im->o->maps[i], '=');
		if (!eq || (size_t)(eq - im->o->maps[i]) != strlen(header) ||
		    strncmp(im->o->maps[i], header, strlen(header)))
			continue;
		if (!eq[1])
			return IO_COL_IGNORE;
		int col = io_alias_column(e, eq + 1);
		if (col == IO_COL_UNKNOWN) {
			char *msg = io_unknown_column_msg(e, eq + 1);
			*cause = xasprintf("--map '%s': %s", im->o->maps[i], msg);
			free(msg);
		}
		return col;
	}
	int col = io_alias_column(e, header);
	if (col == IO_COL_UNKNOWN)
		*cause = io_unknown_column_msg(e, header);
	return col;
}

/* "id" is kam's id only in kam's own exports (they carry version or
 * ext_id); in another CRM's file it is that system's id. */
static void columns_fix_id(int *cols, int n)
{
	int id = -1, kam = 0;
	for (int i = 0; i < n; i++) {
		if (cols[i] == IO_COL_ID)
			id = i;
		kam |= cols[i] == IO_COL_VERSION || cols[i] == IO_COL_EXT_ID || cols[i] == IO_COL_CREATED;
	}
	if (id >= 0 && !kam)
		cols[id] = IO_COL_EXT_ID;
}

/* Two columns for one field would make the result depend on column order. */
static int column_is_repeatable(int col)
{
	return col == IO_COL_IGNORE || col == IO_COL_PHONE2;
}

/* --- CSV ------------------------------------------------------------------------ */

static void csv_header(struct imp *im, const struct entity *e, const struct csv_row *h, int **cols)
{
	*cols = xcalloc((size_t)h->n, sizeof **cols);
	for (int i = 0; i < h->n; i++) {
		char *cause = NULL;
		(*cols)[i] = column_for(im, e, h->cells[i], &cause);
		if (cause) { /* reported; the rows are still checked without it */
			add_error(im, h->line[i], h->col[i], "%s", cause);
			free(cause);
			(*cols)[i] = IO_COL_IGNORE;
			continue;
		}
		for (int j = 0; j < i; j++)
			if ((*cols)[j] == (*cols)[i] && !column_is_repeatable((*cols)[i])) {
				add_error(im, h->line[i], h->col[i], "column '%s' is %s again (as column '%s')",
					  h->cells[i], io_column_name(e, (*cols)[i]), h->cells[j]);
				(*cols)[i] = IO_COL_IGNORE;
			}
	}
	columns_fix_id(*cols, h->n);
}

/* Undo export's formula-injection guard: "'=SUM(1)" was "=SUM(1)". */
static const char *csv_unprotect(const char *cell)
{
	return cell[0] == '\'' && cell[1] && strchr("=+-@\t\r", cell[1]) ? cell + 1 : cell;
}

static int csv_row_check(struct imp *im, const struct csv_row *row, int ncols)
{
	if (row->n == ncols)
		return 0;
	if (row->n > ncols)
		add_error(im, row->line[ncols], row->col[ncols], "row has %d cells, the header has %d", row->n, ncols);
	else
		add_error(im, row->line[row->n - 1], row->col[row->n - 1], "row has %d cells, the header has %d",
			  row->n, ncols);
	return KAM_EINVAL;
}

static int import_csv(struct imp *im, const char *path, const struct entity *e)
{
	struct csv_reader *rd;
	struct csv_row row;
	char *cause = NULL;
	int rc = csv_open(&rd, path, &cause), *cols = NULL, ncols = 0;
	if (rc) {
		add_error(im, 1, 1, "%s", cause ? cause : kam_strerror(rc));
		free(cause);
		return 0;
	}
	struct cell *cells = NULL;
	while ((rc = csv_next(rd, &row, &cause)) != 0 && !im->fatal) {
		if (rc < 0) { /* the reader's message carries its position */
			add_reader_error(im, cause);
			free(cause);
			cause = NULL;
			continue;
		}
		if (!cols) {
			csv_header(im, e, &row, &cols);
			ncols = row.n;
			cells = xcalloc((size_t)ncols, sizeof *cells);
			continue;
		}
		if (csv_row_check(im, &row, ncols))
			continue;
		for (int i = 0; i < ncols; i++)
			cells[i] = (struct cell){cols[i], csv_unprotect(row.cells[i]), "", row.line[i], row.col[i]};
		for (int i = 0; i < ncols; i++)
			cells[i].header = io_column_name(e, cols[i]);
		row_import(im, e, cells, ncols, row.row_line);
	}
	free(cause);
	free(cells);
	free(cols);
	csv_close(rd);
	return 0;
}

/* --- JSONL ----------------------------------------------------------------------- */

struct key_col {
	const struct entity *e;
	char *key;
	int col;
	char *cause;
};

struct jsonl_cols {
	struct key_col *v;
	size_t n, cap;
};

/* Keys repeat on every line: map each (entity, key) once. */
static const struct key_col *jsonl_column(struct imp *im, struct jsonl_cols *jc, const struct entity *e,
					  const char *key)
{
	for (size_t i = 0; i < jc->n; i++)
		if (jc->v[i].e == e && !strcmp(jc->v[i].key, key))
			return &jc->v[i];
	if (jc->n == jc->cap) {
		jc->cap = jc->cap ? jc->cap * 2 : 32;
		jc->v = xrealloc(jc->v, jc->cap * sizeof *jc->v);
	}
	struct key_col *k = &jc->v[jc->n++];
	*k = (struct key_col){e, xstrdup(key), 0, NULL};
	k->col = column_for(im, e, key, &k->cause);
	return k;
}

static const struct entity *jsonl_entity(struct imp *im, const struct json_object *o, const struct entity *e, int line)
{
	const struct json_member *m = json_get(o, "entity");
	if (!m || m->type != JSON_STRING) {
		if (!e)
			add_error(im, line, 1, "no \"entity\" member and no record type for the file");
		return e;
	}
	const struct entity *le = entity_by_name(m->text);
	if (!le)
		add_error(im, line, m->col, "unknown record type '%s'", m->text);
	return le;
}

static void jsonl_line(struct imp *im, struct jsonl_cols *jc, const struct entity *fe, const struct json_object *o,
		       int line)
{
	const struct entity *e = jsonl_entity(im, o, fe, line);
	if (!e)
		return;
	if (im->ndefer && im->defer[0].r->ent != e) /* export --all: the next type begins */
		deferred_flush(im);
	struct cell *cells = xcalloc((size_t)o->n + 1, sizeof *cells);
	int n = 0, *cols = xcalloc((size_t)o->n + 1, sizeof *cols);
	for (int i = 0; i < o->n; i++) {
		const struct json_member *m = &o->m[i];
		if (!strcmp(m->key, "entity"))
			continue;
		const struct key_col *k = jsonl_column(im, jc, e, m->key);
		if (k->cause) { /* reported; the rest of the row is still checked */
			add_error(im, line, m->col, "%s", k->cause);
			continue;
		}
		if (m->type == JSON_RAW) {
			add_error(im, line, m->col, "%s: nested objects and arrays are not supported", m->key);
			continue;
		}
		cols[n] = k->col;
		cells[n++] = (struct cell){k->col, m->type == JSON_NULL ? "" : m->text, m->key, line, m->col};
	}
	columns_fix_id(cols, n);
	for (int i = 0; i < n; i++)
		cells[i].col = cols[i];
	row_import(im, e, cells, n, line);
	free(cells);
	free(cols);
}

static int import_jsonl(struct imp *im, const char *path, const struct entity *e)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		add_error(im, 1, 1, "cannot open: %s", strerror(errno));
		return 0;
	}
	struct jsonl_cols jc = {0};
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	for (int lineno = 1; (len = getline(&line, &cap, f)) >= 0 && !im->fatal; lineno++) {
		char *p = line;
		while (len && (p[len - 1] == '\n' || p[len - 1] == '\r'))
			p[--len] = 0;
		if (lineno == 1 && len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3))
			p += 3, len -= 3;
		if (!len)
			continue;
		struct json_object o = {0};
		char *cause = NULL;
		int col = 1;
		if (json_parse_object(p, (size_t)len, &o, &col, &cause))
			add_error(im, lineno, col, "%s", cause ? cause : "malformed JSON");
		else
			jsonl_line(im, &jc, e, &o, lineno);
		free(cause);
		json_object_free(&o);
	}
	for (size_t i = 0; i < jc.n; i++) {
		free(jc.v[i].key);
		free(jc.v[i].cause);
	}
	free(jc.v);
	free(line);
	fclose(f);
	return 0;
}

/* --- files and the whole run ---------------------------------------------------- */

static int order_rank(const struct entity *e)
{
	int order[ENT__COUNT];
	if (!e)
		return -1; /* files of mixed types (export --all) come first */
	io_entity_order(order);
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[order[i]] == e)
			return i;
	return ENT__COUNT;
}

void import_sort_files(struct import_file *files, int n)
{
	for (int i = 1; i < n; i++) { /* insertion sort: stable, n is tiny */
		struct import_file f = files[i];
		int j = i;
		for (; j > 0 && order_rank(files[j - 1].e) > order_rank(f.e); j--)
			files[j] = files[j - 1];
		files[j] = f;
	}
}

const struct entity *import_guess_entity(const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	char *name = xstrdup(base);
	char *dot = strchr(name, '.');
	if (dot)
		*dot = 0;
	for (char *p = name; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	const struct entity *e = NULL;
	/* "accounts2", "contacts_2026": trailing digits do not count */
	for (size_t n = strlen(name); n && strchr("0123456789_-", name[n - 1]); n--)
		name[n - 1] = 0;
	/* "sf_accounts" and "2026-contacts": try every suffix after _ or - */
	for (char *p = name; p && !e; p = strpbrk(p, "_-"), p = p ? p + 1 : NULL)
		e = entity_by_name(p);
	free(name);
	return e;
}

static void audit_summary(struct imp *im, struct import_file *files, int nfiles, struct buf *out)
{
	buf_adds(out, "{\"files\":[");
	for (int i = 0; i < nfiles; i++) {
		if (i)
			buf_addc(out, ',');
		json_add_string(out, files[i].path);
	}
	buf_adds(out, "]");
	for (int i = 0; i < ENT__COUNT; i++) {
		const struct import_stats *s = im->stats;
		if (s->created[i] + s->updated[i] + s->skipped[i])
			buf_addf(out, ",\"%s\":{\"created\":%llu,\"updated\":%llu,\"skipped\":%llu}",
				 kam_entities[i]->plural, (unsigned long long)s->created[i],
				 (unsigned long long)s->updated[i], (unsigned long long)s->skipped[i]);
	}
	buf_addc(out, '}');
}

static int import_finish(struct imp *im, struct import_file *files, int nfiles, char **cause)
{
	errors_flush(im);
	if (im->stats->nerrors > IMPORT_MAX_LISTED)
		buf_addf(&im->stats->errors, "... and %llu more\n",
			 (unsigned long long)(im->stats->nerrors - IMPORT_MAX_LISTED));
	if (im->fatal) {
		store_abort(im->t);
		int rc = set_cause(cause, im->fatal, "import failed: %s",
				   im->fatal_cause ? im->fatal_cause : kam_strerror(im->fatal));
		free(im->fatal_cause);
		im->fatal_cause = NULL;
		return rc;
	}
	if (im->stats->nerrors || im->o->dry_run) {
		store_abort(im->t); /* nothing was committed: the file is untouched */
		return im->stats->nerrors ? KAM_EINVAL : 0;
	}
	struct buf note = {0};
	audit_summary(im, files, nfiles, &note);
	int rc = store_audit_note(im->t, "import", note.p);
	buf_free(&note);
	if (rc) {
		store_abort(im->t);
		return set_cause(cause, rc, "cannot write the audit log");
	}
	return store_commit(im->t, cause);
}

int import_run(struct store *st, struct import_file *files, int nfiles, const struct import_opts *o,
	       struct import_stats *stats, char **cause)
{
	struct imp im = {.st = st, .o = o, .stats = stats};
	int rc = store_begin(st, 1, &im.t);
	if (rc)
		return set_cause(cause, rc, "cannot start a write transaction");
	store_txn_set_command(im.t, "import");
	store_txn_set_audit_detail(im.t, 0);
	import_sort_files(files, nfiles);
	for (int i = 0; i < nfiles && !im.fatal; i++) {
		enum io_format fmt = files[i].format != IO_AUTO ? files[i].format : io_format_guess(files[i].path);
		im.file = files[i].path;
		im.file_ix = i;
		if (fmt == IO_JSONL)
			import_jsonl(&im, files[i].path, files[i].e);
		else if (files[i].e)
			import_csv(&im, files[i].path, files[i].e);
		else
			add_error(&im, 1, 1,
				  "cannot tell the record type: name the file like accounts.csv or give TYPE");
		deferred_flush(&im);
	}
	if (!im.fatal)
		pending_resolve(&im);
	rc = import_finish(&im, files, nfiles, cause);
	for (size_t i = 0; i < im.npend; i++) {
		free(im.pend[i].text);
		free(im.pend[i].file);
	}
	free(im.pend);
	for (size_t i = 0; i < im.ndefer; i++) /* left by a fatal error */
		deferred_free(&im.defer[i]);
	free(im.defer);
	keymap_free(&im.keys);
	buf_free(&im.kb);
	return rc;
}

void import_stats_free(struct import_stats *s)
{
	buf_free(&s->errors);
}
