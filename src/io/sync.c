/* Branch-office sync: change files from the audit log (export --changes) and
 * their application with conflict detection (import --changes). The format,
 * marks and global ids are described in kam/sync.h. */
#include "kam/sync.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"
#include "kam/io.h"
#include "kam/json.h"

#define NS_SITE "sync"
#define NS_GID "sync.gid" /* entity code || "SITE:N" -> 8-byte local id */
#define NS_LID "sync.lid" /* entity code || 8-byte local id -> "SITE:N" */
#define MAX_LISTED 50

/* Members of a change line that are not fields. */
static const char *const meta_keys[] = {"entity",  "id",         "op",      "base",   "echo",
					"version", "updated_by", "updated", "ext_id", NULL};

/* The audit command of an import of a change file from SITE. */
#define IMPORT_CMD "import --changes from "

/* --- gids and sites ------------------------------------------------------ */

static int ent_index(const struct entity *e)
{
	for (int i = 0; i < ENT__COUNT; i++)
		if (kam_entities[i] == e)
			return i;
	return 0;
}

int sync_site_valid(const char *name)
{
	size_t n = strlen(name);
	if (!n || n > SYNC_SITE_MAX)
		return 0;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

int sync_parse_gid(const char *text, char **site, uint64_t *num)
{
	const char *colon = strrchr(text, ':');
	if (!colon || colon == text)
		return KAM_EINVAL;
	char *s = xstrndup(text, (size_t)(colon - text));
	int64_t n;
	if (!sync_site_valid(s) || colon[1] < '1' || colon[1] > '9' || parse_int64(colon + 1, &n) || n < 1) {
		free(s);
		return KAM_EINVAL;
	}
	*site = s;
	*num = (uint64_t)n;
	return 0;
}

static void u64_key(unsigned char k[8], uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		k[i] = (unsigned char)v;
}

static uint64_t u64_get(const unsigned char k[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | k[i];
	return v;
}

int sync_site(struct txn *t, char **name)
{
	void *v;
	size_t n;
	int rc = store_kv_get(t, NS_SITE, "site", 4, &v, &n);
	if (rc == KAM_ENOTFOUND) {
		*name = xstrdup(SYNC_SITE_DEFAULT);
		return 0;
	}
	if (rc)
		return rc;
	*name = v;
	return 0;
}

static int last_seq(uint64_t seq, const char *json, void *arg)
{
	uint64_t *last = arg;
	if (seq > *last)
		*last = seq;
	return 0;
}

/* The mark at which a branch was named: its copy of the log ends there. */
static int sync_origin(struct txn *t, uint64_t *origin)
{
	void *v;
	size_t n;
	int64_t o = 0;
	*origin = 0;
	int rc = store_kv_get(t, NS_SITE, "origin", 6, &v, &n);
	if (rc == KAM_ENOTFOUND)
		return 0;
	if (rc)
		return rc;
	if (!parse_int64(v, &o) && o > 0)
		*origin = (uint64_t)o;
	free(v);
	return 0;
}

int sync_marks(struct txn *t, uint64_t *last, uint64_t *origin)
{
	*last = 0;
	int rc = store_audit_scan(t, NULL, 0, last_seq, last);
	return rc ? rc : sync_origin(t, origin);
}

static int max_id(const struct record *r, void *arg)
{
	uint64_t *max = arg;
	if (r->id > *max)
		*max = r->id;
	return 0;
}

/* Who we are: the site name and, at a branch, the ids of its copy. */
struct site {
	char *self;
	int branch;
	uint64_t copy[ENT__COUNT]; /* ids below copy[i] are central's */
};

static int site_load(struct txn *t, struct site *s)
{
	memset(s, 0, sizeof *s);
	int rc = sync_site(t, &s->self);
	if (rc)
		return rc;
	s->branch = strcmp(s->self, SYNC_SITE_DEFAULT) != 0;
	for (int i = 0; i < ENT__COUNT && s->branch; i++) {
		char key[64];
		void *v;
		size_t n;
		snprintf(key, sizeof key, "copy.%s", kam_entities[i]->name);
		if ((rc = store_kv_get(t, NS_SITE, key, strlen(key), &v, &n)) == KAM_ENOTFOUND)
			continue;
		if (rc)
			return rc;
		if (n == 8)
			s->copy[i] = u64_get(v);
		free(v);
	}
	return 0;
}

int sync_set_site(struct txn *t, const char *name, int *named, uint64_t *origin, char **cause)
{
	char *cur;
	*named = 0;
	*origin = 0;
	if (!sync_site_valid(name))
		return set_cause(cause, KAM_EUSAGE, "site name '%s': use 1 to %d of a-z 0-9 _ -", name, SYNC_SITE_MAX);
	int rc = sync_site(t, &cur);
	if (rc)
		return rc;
	if (!strcmp(cur, name)) {
		free(cur);
		return 0;
	}
	if (strcmp(cur, SYNC_SITE_DEFAULT)) {
		rc = set_cause(cause, KAM_EUSAGE, "this database is site '%s', not '%s'", cur, name);
		free(cur);
		return rc;
	}
	free(cur);
	uint64_t last = 0;
	if ((rc = store_audit_scan(t, NULL, 0, last_seq, &last)))
		return rc;
	/* Ids below these came with the copy of central: they are central's. */
	for (int i = 0; i < ENT__COUNT; i++) {
		uint64_t max = 0;
		unsigned char v[8];
		char key[64];
		if ((rc = store_scan_fields(t, kam_entities[i], 0, max_id, &max)))
			return rc;
		u64_key(v, max + 1);
		snprintf(key, sizeof key, "copy.%s", kam_entities[i]->name);
		if ((rc = store_kv_put(t, NS_SITE, key, strlen(key), v, 8)))
			return rc;
	}
	char text[32];
	int n = snprintf(text, sizeof text, "%llu", (unsigned long long)last);
	if ((rc = store_kv_put(t, NS_SITE, "site", 4, name, strlen(name))) ||
	    (rc = store_kv_put(t, NS_SITE, "origin", 6, text, (size_t)n)))
		return rc;
	*named = 1;
	*origin = last;
	return 0;
}

static void gid_key(struct buf *b, const struct entity *e, const char *gid)
{
	buf_reset(b);
	buf_addc(b, (char)e->code);
	buf_adds(b, gid);
}

/* The gid of a local record: from the map, central's for a record of a
 * branch's copy, else SELF:id. Caller frees. */
static char *gid_of(struct txn *t, const struct site *s, const struct entity *e, uint64_t id)
{
	unsigned char k[9];
	void *v;
	size_t n;
	k[0] = (unsigned char)e->code;
	u64_key(k + 1, id);
	if (!store_kv_get(t, NS_LID, k, 9, &v, &n))
		return v;
	if (s->branch && id < s->copy[ent_index(e)])
		return xasprintf("%s:%llu", SYNC_SITE_DEFAULT, (unsigned long long)id);
	return xasprintf("%s:%llu", s->self, (unsigned long long)id);
}

static int map_get(struct txn *t, const struct entity *e, const char *gid, uint64_t *id)
{
	struct buf b = {0};
	void *v;
	size_t n;
	gid_key(&b, e, gid);
	int rc = store_kv_get(t, NS_GID, b.p, b.len, &v, &n);
	buf_free(&b);
	if (rc)
		return rc;
	rc = n == 8 ? 0 : KAM_ESTORE;
	if (!rc)
		*id = u64_get(v);
	free(v);
	return rc;
}

static int map_put(struct txn *t, const struct entity *e, const char *gid, uint64_t id)
{
	struct buf b = {0};
	unsigned char idk[8], lk[9];
	u64_key(idk, id);
	gid_key(&b, e, gid);
	int rc = store_kv_put(t, NS_GID, b.p, b.len, idk, 8);
	buf_free(&b);
	lk[0] = (unsigned char)e->code;
	memcpy(lk + 1, idk, 8);
	return rc ? rc : store_kv_put(t, NS_LID, lk, 9, gid, strlen(gid));
}

/* --- the change-line parser ----------------------------------------------- */

static int is_meta(const char *key)
{
	return enum_index(meta_keys, key) >= 0;
}

static int is_ref(const struct field *fd)
{
	return fd->type == FT_REF || fd->type == FT_REFS;
}

/* A REF value is one gid, a REFS value gids separated by ';'. */
static int check_gids(const char *text, int many, char **cause)
{
	char *copy = xstrdup(text), *save = NULL, *site;
	uint64_t num;
	int rc = 0, n = 0;
	for (char *p = strtok_r(copy, ";", &save); p && !rc; p = strtok_r(NULL, ";", &save), n++) {
		if (sync_parse_gid(p, &site, &num))
			rc = set_cause(cause, KAM_EINVAL, "'%s' is not a record id of the form SITE:N", p);
		else
			free(site);
	}
	if (!rc && (!n || (!many && n > 1)))
		rc = set_cause(cause, KAM_EINVAL, "'%s' is not a record id of the form SITE:N", text);
	free(copy);
	return rc;
}

/* Every non-meta member of o is a field of e with a valid value. col_base:
 * column of o's first character in the line, minus 1. */
static int check_fields(const struct entity *e, const struct json_object *o, int col_base, int *col, char **cause)
{
	struct record *tmp = record_new(e);
	int rc = 0;
	for (int i = 0; i < o->n && !rc; i++) {
		const struct json_member *m = &o->m[i];
		if (is_meta(m->key))
			continue;
		int f = entity_field(e, m->key);
		*col = col_base + m->col;
		if (f < 0) {
			free(*cause);
			*cause = entity_unknown_field_msg(e, m->key);
			rc = KAM_EINVAL;
		} else if (m->type == JSON_NULL) {
			continue;
		} else if (m->type == JSON_RAW) {
			rc = set_cause(cause, KAM_EINVAL, "%s: nested objects and arrays are not supported", m->key);
		} else if (is_ref(&e->fields[f])) {
			char *why = NULL;
			if (m->type != JSON_STRING || check_gids(m->text, e->fields[f].type == FT_REFS, &why))
				rc = set_cause(cause, KAM_EINVAL, "%s: %s", m->key,
					       why ? why : "a reference is a string \"SITE:N\"");
			free(why);
		} else {
			rc = record_parse_field(tmp, f, m->text, cause);
		}
	}
	record_free(tmp);
	return rc;
}

static const struct json_member *member(const struct json_object *o, const char *key, enum json_type type, int *col,
					char **cause, int *rc)
{
	const struct json_member *m = json_get(o, key);
	if (!m) {
		*col = 1;
		*rc = set_cause(cause, KAM_EINVAL, "missing \"%s\"", key);
	} else if (m->type != type) {
		*col = m->col;
		*rc =
		    set_cause(cause, KAM_EINVAL, "\"%s\" must be a %s", key, type == JSON_STRING ? "string" : "number");
		m = NULL;
	}
	return m;
}

int sync_parse_change(const char *line, size_t len, struct sync_change *out, int *col, char **cause)
{
	memset(out, 0, sizeof *out);
	int rc = json_parse_object(line, len, &out->obj, col, cause);
	if (rc)
		return rc;
	const struct json_object *o = &out->obj;
	const struct json_member *m;
	if (!(m = member(o, "entity", JSON_STRING, col, cause, &rc)))
		goto fail;
	if (!(out->e = entity_by_name(m->text))) {
		*col = m->col;
		rc = set_cause(cause, KAM_EINVAL, "unknown record type '%s'", m->text);
		goto fail;
	}
	if (!(m = member(o, "id", JSON_STRING, col, cause, &rc)))
		goto fail;
	if (sync_parse_gid(m->text, &out->site, &out->num)) {
		*col = m->col;
		rc = set_cause(cause, KAM_EINVAL, "id '%s' is not of the form SITE:N", m->text);
		goto fail;
	}
	if (!(m = member(o, "op", JSON_STRING, col, cause, &rc)))
		goto fail;
	if (strcmp(m->text, "put") && strcmp(m->text, "rm")) {
		*col = m->col;
		rc = set_cause(cause, KAM_EINVAL, "op '%s': use put or rm", m->text);
		goto fail;
	}
	out->op = strcmp(m->text, "put") ? SYNC_RM : SYNC_PUT;
	if (!(m = json_get(o, "base"))) {
		*col = 1;
		rc = set_cause(cause, KAM_EINVAL, "missing \"base\" (null for a new record)");
		goto fail;
	}
	if (m->type == JSON_RAW && m->text[0] == '{') {
		int bcol = 1;
		out->base_col = m->col;
		if ((rc = json_parse_object(m->text, strlen(m->text), &out->base, &bcol, cause))) {
			*col = m->col + bcol - 1;
			goto fail;
		}
		out->has_base = 1;
		for (int i = 0; i < out->base.n; i++)
			if (is_meta(out->base.m[i].key)) {
				*col = m->col + out->base.m[i].col - 1;
				rc = set_cause(cause, KAM_EINVAL, "base: \"%s\" is not a field", out->base.m[i].key);
				goto fail;
			}
		if ((rc = check_fields(out->e, &out->base, m->col - 1, col, cause)))
			goto fail;
	} else if (m->type != JSON_NULL) {
		*col = m->col;
		rc = set_cause(cause, KAM_EINVAL, "\"base\" must be an object or null");
		goto fail;
	}
	if (out->op == SYNC_RM && !out->has_base) {
		*col = m->col;
		rc = set_cause(cause, KAM_EINVAL, "a deletion needs the base it deletes");
		goto fail;
	}
	if ((m = json_get(o, "echo"))) {
		int ecol = 1;
		if (m->type != JSON_RAW || m->text[0] != '{') {
			*col = m->col;
			rc = set_cause(cause, KAM_EINVAL, "\"echo\" must be an object of site: base");
			goto fail;
		}
		if ((rc = json_parse_object(m->text, strlen(m->text), &out->echo, &ecol, cause))) {
			*col = m->col + ecol - 1;
			goto fail;
		}
		out->has_echo = 1;
		for (int i = 0; i < out->echo.n; i++) {
			const struct json_member *s = &out->echo.m[i];
			int at = m->col + s->col - 1;
			struct json_object eb;
			if (!sync_site_valid(s->key) ||
			    (s->type != JSON_NULL && !(s->type == JSON_RAW && s->text[0] == '{'))) {
				*col = at;
				rc = set_cause(cause, KAM_EINVAL,
					       "echo: '%s' must be a site name with an object or null", s->key);
				goto fail;
			}
			if (s->type == JSON_NULL)
				continue;
			if ((rc = json_parse_object(s->text, strlen(s->text), &eb, &ecol, cause))) {
				*col = at + ecol - 1;
				goto fail;
			}
			rc = check_fields(out->e, &eb, at - 1, col, cause);
			json_object_free(&eb);
			if (rc)
				goto fail;
		}
	}
	if ((m = json_get(o, "ext_id")) && m->type != JSON_STRING) {
		*col = m->col;
		rc = set_cause(cause, KAM_EINVAL, "\"ext_id\" must be a string");
		goto fail;
	}
	if ((rc = check_fields(out->e, o, 0, col, cause)))
		goto fail;
	return 0;
fail:
	sync_change_free(out);
	return rc ? rc : KAM_EINVAL;
}

void sync_change_free(struct sync_change *c)
{
	if (!c)
		return;
	free(c->site);
	json_object_free(&c->obj);
	json_object_free(&c->base);
	json_object_free(&c->echo);
	memset(c, 0, sizeof *c);
}

/* --- export ----------------------------------------------------------------- */

struct audit_entry {
	int ei;
	uint64_t id, seq;
	char op; /* 'a' add, 's' set, 'r' rm */
	char *before;
	int64_t ts;
	uint32_t version;
	char *who;
	char *from; /* written by an import of SITE's change file, else NULL */
};

struct exp {
	struct txn *t;
	struct site site;
	uint64_t since, last;
	struct audit_entry *v;
	size_t n, cap;
	uint64_t bulk;
	int rank[ENT__COUNT];
};

static int audit_collect(uint64_t seq, const char *json, void *arg)
{
	struct exp *x = arg;
	struct json_object o;
	int col;
	char *cause = NULL;
	if (seq > x->last)
		x->last = seq;
	if (seq <= x->since)
		return 0;
	if (json_parse_object(json, strlen(json), &o, &col, &cause)) {
		free(cause);
		return 0; /* not ours to judge: fsck reads the log */
	}
	const struct json_member *ent = json_get(&o, "entity"), *id = json_get(&o, "id"), *op = json_get(&o, "op");
	const struct entity *e = ent && ent->type == JSON_STRING ? entity_by_name(ent->text) : NULL;
	const char *ops = op && op->type == JSON_STRING ? op->text : "";
	int64_t n = 0;
	if (e && id && !parse_int64(id->text, &n) && n > 0 &&
	    (!strcmp(ops, "add") || !strcmp(ops, "set") || !strcmp(ops, "rm"))) {
		if (x->n == x->cap) {
			x->cap = x->cap ? x->cap * 2 : 64;
			x->v = xrealloc(x->v, x->cap * sizeof *x->v);
		}
		const struct json_member *b = json_get(&o, "before"), *ts = json_get(&o, "ts"),
					 *who = json_get(&o, "who"), *ver = json_get(&o, "version");
		const struct json_member *cmd = json_get(&o, "cmd");
		char *from = NULL;
		if (cmd && cmd->type == JSON_STRING && !strncmp(cmd->text, IMPORT_CMD, strlen(IMPORT_CMD))) {
			const char *f = cmd->text + strlen(IMPORT_CMD);
			from = xstrndup(f, strcspn(f, " "));
		}
		int64_t tsv = 0, vv = 0;
		if (ts)
			parse_int64(ts->text, &tsv);
		if (ver)
			parse_int64(ver->text, &vv);
		x->v[x->n++] = (struct audit_entry){ent_index(e),
						    (uint64_t)n,
						    seq,
						    ops[0],
						    b && b->type == JSON_RAW ? xstrdup(b->text) : NULL,
						    tsv,
						    (uint32_t)vv,
						    xstrdup(who && who->type == JSON_STRING ? who->text : ""),
						    from};
	} else {
		/* Bulk imports write one summary line with counts instead of a line
		 * per record: those records cannot be told apart here. */
		static const char *const counts[] = {"added", "updated", "removed"};
		for (int i = 0; i < 3; i++) {
			const struct json_member *c = json_get(&o, counts[i]);
			if (c && c->type == JSON_NUMBER && strcmp(c->text, "0")) {
				x->bulk++;
				break;
			}
		}
	}
	json_object_free(&o);
	return 0;
}

static int entry_cmp(const void *a, const void *b)
{
	const struct audit_entry *x = a, *y = b;
	if (x->ei != y->ei)
		return x->ei < y->ei ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Apply the members of an audit "before" object to r (null clears). */
static int apply_audit_fields(struct record *r, const char *json)
{
	struct json_object o;
	int col, rc;
	char *cause = NULL;
	if ((rc = json_parse_object(json, strlen(json), &o, &col, &cause))) {
		free(cause);
		return KAM_ESTORE;
	}
	for (int i = 0; i < o.n && !rc; i++) {
		int f = entity_field(r->ent, o.m[i].key);
		if (f < 0)
			continue; /* a field of an older schema */
		if (o.m[i].type == JSON_NULL)
			record_clear(r, f);
		else if (record_parse_field(r, f, o.m[i].text, &cause))
			rc = KAM_ESTORE;
	}
	free(cause);
	json_object_free(&o);
	return rc;
}

struct change_out {
	int ei;
	uint64_t id;
	struct record *base, *final;
	const struct audit_entry *last;
	/* Per site whose change file was imported into the record after the
	 * mark: the record right after the last such import (NULL: absent),
	 * that is what the site sent, its base when the change goes back. */
	struct echo_site {
		const char *site;
		struct record *r;
	} * echo;
	int necho;
};

static void change_out_free(struct change_out *c)
{
	record_free(c->base);
	record_free(c->final);
	for (int i = 0; i < c->necho; i++)
		record_free(c->echo[i].r);
	free(c->echo);
	memset(c, 0, sizeof *c);
}

static int echo_cmp(const void *a, const void *b)
{
	return strcmp(((const struct echo_site *)a)->site, ((const struct echo_site *)b)->site);
}

/* The value of field f as JSON; references as gids. */
static void emit_value(struct exp *x, const struct record *r, int f, struct buf *b, struct buf *tmp)
{
	const struct field *fd = &r->ent->fields[f];
	buf_reset(tmp);
	if (fd->type == FT_REF || fd->type == FT_REFS) {
		const struct entity *target = field_ref_entity(fd);
		const char *p = fd->type == FT_REF ? NULL : (r->v[f].s ? r->v[f].s : "");
		struct buf ids = {0};
		if (fd->type == FT_REF) {
			char *g = gid_of(x->t, &x->site, target, (uint64_t)r->v[f].i);
			buf_adds(&ids, g);
			free(g);
		} else {
			while (*p) {
				char *end;
				unsigned long long id = strtoull(p, &end, 10);
				if (end == p)
					break;
				char *g = gid_of(x->t, &x->site, target, id);
				buf_addf(&ids, "%s%s", ids.len ? ";" : "", g);
				free(g);
				p = *end == ';' ? end + 1 : end;
			}
		}
		json_add_string(b, ids.p ? ids.p : "");
		buf_free(&ids);
		return;
	}
	record_format_field(r, f, tmp);
	if (fd->type == FT_BOOL || fd->type == FT_INT || fd->type == FT_MONEY || fd->type == FT_PCT)
		buf_adds(b, tmp->p ? tmp->p : "0");
	else
		json_add_string(b, tmp->p ? tmp->p : "");
}

static void emit_fields(struct exp *x, const struct record *r, int first, struct buf *b)
{
	struct buf tmp = {0};
	for (int f = 0; f < r->ent->nfields; f++) {
		if (!r->v[f].set)
			continue;
		if (!first)
			buf_addc(b, ',');
		first = 0;
		json_add_string(b, r->ent->fields[f].name);
		buf_addc(b, ':');
		emit_value(x, r, f, b, &tmp);
	}
	buf_free(&tmp);
}

static void emit_change(struct exp *x, const struct change_out *c, struct buf *b)
{
	const struct entity *e = kam_entities[c->ei];
	char *gid = gid_of(x->t, &x->site, e, c->id);
	buf_adds(b, "{\"entity\":");
	json_add_string(b, e->name);
	buf_adds(b, ",\"id\":");
	json_add_string(b, gid);
	buf_addf(b, ",\"op\":\"%s\",\"base\":", c->final ? "put" : "rm");
	if (c->base) {
		buf_addc(b, '{');
		emit_fields(x, c->base, 1, b);
		buf_addc(b, '}');
	} else {
		buf_adds(b, "null");
	}
	if (c->necho) {
		buf_adds(b, ",\"echo\":{");
		for (int i = 0; i < c->necho; i++) {
			if (i)
				buf_addc(b, ',');
			json_add_string(b, c->echo[i].site);
			buf_addc(b, ':');
			if (c->echo[i].r) {
				buf_addc(b, '{');
				emit_fields(x, c->echo[i].r, 1, b);
				buf_addc(b, '}');
			} else {
				buf_adds(b, "null");
			}
		}
		buf_addc(b, '}');
	}
	if (c->final) {
		buf_addf(b, ",\"version\":%u,\"updated\":%lld,\"updated_by\":", c->final->version,
			 (long long)c->final->updated);
		json_add_string(b, c->final->updated_by ? c->final->updated_by : "");
		if (c->final->ext_id) {
			buf_adds(b, ",\"ext_id\":");
			json_add_string(b, c->final->ext_id);
		}
		emit_fields(x, c->final, 0, b);
	} else {
		buf_addf(b, ",\"version\":%u,\"updated\":%lld,\"updated_by\":", c->last->version,
			 (long long)c->last->ts);
		json_add_string(b, c->last->who);
	}
	buf_adds(b, "}\n");
	free(gid);
}

static const int *out_ranks;
/* Puts in dependency order and id order, then deletions the other way. */
static int out_cmp(const void *a, const void *b)
{
	const struct change_out *x = a, *y = b;
	int xr = !x->final, yr = !y->final;
	if (xr != yr)
		return xr - yr;
	int s = xr ? -1 : 1;
	if (x->ei != y->ei)
		return out_ranks[x->ei] < out_ranks[y->ei] ? -s : s;
	return x->id < y->id ? -s : x->id > y->id ? s : 0;
}

/* Base (state at the mark) and final state of the records in v[lo..hi). */
static int reconstruct(struct exp *x, size_t lo, size_t hi, struct change_out *c)
{
	const struct entity *e = kam_entities[x->v[lo].ei];
	struct record *state = NULL;
	int rc = store_get(x->t, e, x->v[lo].id, &state);
	if (rc && rc != KAM_ENOTFOUND)
		return rc;
	c->ei = x->v[lo].ei;
	c->id = x->v[lo].id;
	c->final = state ? record_dup(state) : NULL;
	c->last = &x->v[hi - 1];
	rc = 0;
	for (size_t i = hi; i-- > lo && !rc;) {
		const struct audit_entry *a = &x->v[i];
		if (a->from) { /* the last import from that site (walking backwards: the first seen) */
			int seen = 0;
			for (int k = 0; k < c->necho && !seen; k++)
				seen = !strcmp(c->echo[k].site, a->from);
			if (!seen) {
				c->echo = xrealloc(c->echo, (size_t)(c->necho + 1) * sizeof *c->echo);
				c->echo[c->necho++] = (struct echo_site){a->from, state ? record_dup(state) : NULL};
			}
		}
		if (a->op == 'a') {
			record_free(state);
			state = NULL;
			continue;
		}
		if (a->op == 'r') {
			record_free(state);
			state = record_new(e);
			state->id = a->id;
		} else if (!state) {
			state = record_new(e); /* a log that skips a line: best effort */
			state->id = a->id;
		}
		if (a->before)
			rc = apply_audit_fields(state, a->before);
	}
	c->base = state;
	if (c->necho > 1)
		qsort(c->echo, (size_t)c->necho, sizeof *c->echo, echo_cmp);
	return rc;
}

static int same_fields(const struct record *a, const struct record *b)
{
	int *diff;
	int n = record_diff(a, b, &diff);
	free(diff);
	return n == 0;
}

int sync_export(struct store *st, uint64_t since, FILE *out, struct sync_export_stats *stats, char **cause)
{
	struct exp x = {.since = since};
	struct change_out *outv = NULL;
	size_t nout = 0;
	struct buf b = {0};
	int order[ENT__COUNT];
	memset(stats, 0, sizeof *stats);
	io_entity_order(order);
	for (int k = 0; k < ENT__COUNT; k++)
		x.rank[order[k]] = k;
	int rc = store_begin(st, 0, &x.t);
	if (rc)
		return set_cause(cause, rc, "cannot read the database: %s", kam_strerror(rc));
	if ((rc = site_load(x.t, &x.site)) || (rc = store_audit_scan(x.t, NULL, 0, audit_collect, &x)))
		goto out;
	uint64_t origin;
	if ((rc = sync_origin(x.t, &origin)))
		goto out;
	if (since < origin) {
		rc = set_cause(cause, KAM_EINVAL,
			       "site '%s' is a copy made at mark %llu: what came before is in both databases; "
			       "use --since %llu or later",
			       x.site.self, (unsigned long long)origin, (unsigned long long)origin);
		goto out;
	}
	if (since > x.last) {
		rc = set_cause(cause, KAM_EINVAL,
			       "mark %llu is ahead of this database's audit log (last %llu): is this the database "
			       "that printed it?",
			       (unsigned long long)since, (unsigned long long)x.last);
		goto out;
	}
	if (x.n)
		qsort(x.v, x.n, sizeof *x.v, entry_cmp);
	outv = xcalloc(x.n + 1, sizeof *outv);
	for (size_t lo = 0, hi; lo < x.n && !rc; lo = hi) {
		for (hi = lo + 1; hi < x.n && x.v[hi].ei == x.v[lo].ei && x.v[hi].id == x.v[lo].id; hi++)
			;
		struct change_out *c = &outv[nout];
		if ((rc = reconstruct(&x, lo, hi, c)))
			break;
		if ((!c->base && !c->final) || (c->base && c->final && same_fields(c->base, c->final))) {
			change_out_free(c);
			continue; /* created and deleted, or back where it was */
		}
		nout++;
	}
	if (rc) {
		set_cause(cause, rc, "cannot read the audit log");
		goto out;
	}
	out_ranks = x.rank;
	qsort(outv, nout, sizeof *outv, out_cmp);
	buf_adds(&b, "{\"kam_changes\":1,\"site\":");
	json_add_string(&b, x.site.self);
	buf_addf(&b, ",\"since\":%llu,\"mark\":%llu}\n", (unsigned long long)since, (unsigned long long)x.last);
	fwrite(b.p, 1, b.len, out);
	for (size_t i = 0; i < nout; i++) {
		buf_reset(&b);
		emit_change(&x, &outv[i], &b);
		fwrite(b.p, 1, b.len, out);
		if (outv[i].final)
			stats->puts++;
		else
			stats->rms++;
	}
	fprintf(out, "{\"end\":%zu}\n", nout);
	stats->since = since;
	stats->mark = x.last;
	stats->bulk_lines = x.bulk;
	if (ferror(out))
		rc = set_cause(cause, KAM_ESTORE, "cannot write: %s", strerror(errno));
out:
	for (size_t i = 0; i < nout; i++)
		change_out_free(&outv[i]);
	free(outv);
	for (size_t i = 0; i < x.n; i++) {
		free(x.v[i].before);
		free(x.v[i].who);
		free(x.v[i].from);
	}
	free(x.v);
	free(x.site.self);
	buf_free(&b);
	store_abort(x.t);
	return rc;
}

/* --- import ----------------------------------------------------------------- */

struct line {
	struct sync_change c;
	int line;
	char *gid;      /* "SITE:N" as written */
	uint64_t local; /* resolved local id (puts: after creation) */
	int fixup;      /* created or updated with a reference still to resolve */
};

struct imp {
	const char *path;
	struct txn *t;
	struct site site;
	char *from;     /* the exporting site */
	uint64_t since; /* the file's first mark */
	struct line *v;
	size_t n;
	char **pending; /* sorted keys (entity code || gid) of records this file creates */
	size_t npending;
	enum sync_conflicts policy;
	struct sync_import_stats *s;
};

static void import_error(struct imp *im, int line, int col, const char *msg)
{
	if (im->s->nerrors++ < MAX_LISTED)
		buf_addf(&im->s->errors, "%s:%d:%d: error: %s\n", im->path, line, col, msg);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *pending_key(const struct entity *e, const char *gid)
{
	return xasprintf("%c%s", (char)e->code, gid);
}

static int is_pending(struct imp *im, const struct entity *e, const char *gid)
{
	char *k = pending_key(e, gid);
	void *hit = im->npending ? bsearch(&k, im->pending, im->npending, sizeof *im->pending, str_cmp) : NULL;
	free(k);
	return hit != NULL;
}

enum how { HOW_LOCAL, HOW_MAPPED, HOW_IDENTITY, HOW_PENDING, HOW_UNKNOWN };

/* The local id of a gid: ours, from the map, created by this file later
 * (pending), central's record of this branch's copy (same id), or unknown:
 * a record of another site that never reached this database. */
static int resolve(struct imp *im, const struct entity *e, const char *gid, uint64_t *id, enum how *how)
{
	char *site;
	uint64_t num;
	if (sync_parse_gid(gid, &site, &num))
		return KAM_EINVAL; /* checked by the parser */
	int local = !strcmp(site, im->site.self), rc = 0;
	int copy = im->site.branch && !strcmp(site, SYNC_SITE_DEFAULT) && num < im->site.copy[ent_index(e)];
	free(site);
	*id = num;
	*how = HOW_LOCAL;
	if (local)
		return 0;
	if (!(rc = map_get(im->t, e, gid, id))) {
		*how = HOW_MAPPED;
		return 0;
	}
	if (rc != KAM_ENOTFOUND)
		return rc;
	*id = num;
	*how = is_pending(im, e, gid) ? HOW_PENDING : copy ? HOW_IDENTITY : HOW_UNKNOWN;
	return 0;
}

/* Fields of o into r, references resolved; a reference to a record this file
 * creates later is left unset and *later set. */
static int build(struct imp *im, const struct json_object *o, struct record *r, int *later, char **cause)
{
	int rc = 0;
	struct buf ids = {0};
	for (int f = 0; f < r->ent->nfields; f++)
		record_clear(r, f);
	for (int i = 0; i < o->n && !rc; i++) {
		const struct json_member *m = &o->m[i];
		int f = is_meta(m->key) ? -1 : entity_field(r->ent, m->key);
		if (f < 0 || m->type == JSON_NULL)
			continue;
		const struct field *fd = &r->ent->fields[f];
		if (!is_ref(fd)) {
			rc = record_parse_field(r, f, m->text, cause);
			continue;
		}
		char *copy = xstrdup(m->text), *save = NULL;
		buf_reset(&ids);
		for (char *p = strtok_r(copy, ";", &save); p && !rc; p = strtok_r(NULL, ";", &save)) {
			uint64_t id;
			enum how how;
			if ((rc = resolve(im, field_ref_entity(fd), p, &id, &how)))
				break;
			if (how == HOW_UNKNOWN)
				rc = set_cause(cause, KAM_ENOTFOUND,
					       "%s refers to %s %s, which never reached this database", m->key,
					       field_ref_entity(fd)->name, p);
			else if (how == HOW_PENDING)
				*later = 1;
			else
				buf_addf(&ids, "%s%llu", ids.len ? ";" : "", (unsigned long long)id);
		}
		free(copy);
		if (!rc && ids.len)
			rc = record_parse_field(r, f, ids.p, cause);
	}
	buf_free(&ids);
	return rc;
}

static void show_value(const struct record *r, int f, struct buf *b)
{
	if (!r || !r->v[f].set) {
		buf_adds(b, "(unset)");
		return;
	}
	struct buf tmp = {0};
	record_format_field(r, f, &tmp);
	json_add_string(b, tmp.p ? tmp.p : "");
	buf_free(&tmp);
}

/* "conflict: account 7 (shanghai:7): why" and one line per differing field. */
static void conflict(struct imp *im, const struct line *l, uint64_t id, const char *why, const struct record *here,
		     const struct record *there, const char *there_name)
{
	struct buf *b = &im->s->conflicts;
	im->s->nconflicts++;
	if (id)
		buf_addf(b, "conflict: %s %llu (%s): %s\n", l->c.e->name, (unsigned long long)id, l->gid, why);
	else /* no local record: one this file would create, or unknown here */
		buf_addf(b, "conflict: %s %s: %s\n", l->c.e->name, l->gid, why);
	if (!here || !there)
		return;
	int *diff;
	record_diff(here, there, &diff);
	for (int i = 0; diff[i] >= 0; i++) {
		buf_addf(b, "  %s: here ", l->c.e->fields[diff[i]].name);
		show_value(here, diff[i], b);
		buf_addf(b, ", %s ", there_name);
		show_value(there, diff[i], b);
		buf_addc(b, '\n');
	}
	free(diff);
}

/* Errors the store reports for one record (bad reference, duplicate
 * external id, refused delete) are conflicts of this record; the rest are
 * fatal. */
static int record_failed(struct imp *im, const struct line *l, uint64_t id, int rc, char *why)
{
	if (rc != KAM_EINVAL && rc != KAM_EEXIST && rc != KAM_EREFERENCED && rc != KAM_ECONFLICT && rc != KAM_ENOTFOUND)
		return rc;
	char *msg = xasprintf("cannot apply: %s", why ? why : kam_strerror(rc));
	conflict(im, l, id, msg, NULL, NULL, NULL);
	free(msg);
	return 0;
}

static void take_incoming(struct record *local, const struct record *in, const struct json_object *o)
{
	for (int f = 0; f < local->ent->nfields; f++) {
		free(local->v[f].s);
		local->v[f] = in->v[f];
		if (in->v[f].s)
			local->v[f].s = xstrdup(in->v[f].s);
	}
	const struct json_member *x = json_get(o, "ext_id");
	if (x) {
		free(local->ext_id);
		local->ext_id = *x->text ? xstrdup(x->text) : NULL;
	}
}

/* The base to compare the local record with: for a record this database
 * sent earlier, the values it sent (the line's echo for this site), else the
 * line's base. *out stays NULL when there is none (a new record). */
static int build_base(struct imp *im, const struct line *l, struct record **out, char **why)
{
	const struct json_member *echo = l->c.has_echo ? json_get(&l->c.echo, im->site.self) : NULL;
	struct json_object eb = {0};
	const struct json_object *src = &l->c.base;
	int later = 0, col, rc;
	*out = NULL;
	if (echo && echo->type != JSON_RAW)
		return 0;
	if (echo) {
		if (json_parse_object(echo->text, strlen(echo->text), &eb, &col, NULL))
			return KAM_ESTORE; /* checked by the parser */
		src = &eb;
	} else if (!l->c.has_base) {
		return 0;
	}
	*out = record_new(l->c.e);
	rc = build(im, src, *out, &later, why);
	json_object_free(&eb);
	return rc;
}

static int put_new(struct imp *im, struct line *l)
{
	struct record *r = record_new(l->c.e);
	char *why = NULL;
	int rc = build(im, &l->c.obj, r, &l->fixup, &why);
	const struct json_member *x = json_get(&l->c.obj, "ext_id");
	if (x && *x->text)
		r->ext_id = xstrdup(x->text);
	if (!rc)
		rc = store_insert(im->t, r, &why);
	if (!rc) {
		l->local = r->id;
		im->s->created[ent_index(r->ent)]++;
		rc = map_put(im->t, r->ent, l->gid, r->id);
	} else {
		rc = record_failed(im, l, 0, rc, why);
	}
	free(why);
	record_free(r);
	return rc;
}

static int put_existing(struct imp *im, struct line *l, uint64_t id)
{
	const struct entity *e = l->c.e;
	struct record *local = NULL, *in = record_new(e), *base = NULL;
	char *why = NULL;
	int rc = store_get(im->t, e, id, &local);
	if (rc && rc != KAM_ENOTFOUND)
		goto out;
	if ((rc = build(im, &l->c.obj, in, &l->fixup, &why)))
		goto failed;
	if ((rc = build_base(im, l, &base, &why)))
		goto failed;
	l->local = id;
	if (!local) {
		conflict(im, l, id, "not here (deleted here, or never received), changed there", NULL, NULL, NULL);
	} else if (!l->fixup && same_fields(local, in)) {
		im->s->unchanged[ent_index(e)]++;
	} else if (base && same_fields(local, base)) {
		take_incoming(local, in, &l->c.obj);
		if ((rc = store_update(im->t, local, &why)))
			goto failed;
		im->s->updated[ent_index(e)]++;
	} else {
		conflict(im, l, id, "changed here and there", local, in, "incoming");
	}
	goto out;
failed:
	rc = record_failed(im, l, id, rc, why);
out:
	free(why);
	record_free(local);
	record_free(in);
	record_free(base);
	return rc;
}

static int put_line(struct imp *im, struct line *l)
{
	uint64_t id;
	enum how how;
	int rc = resolve(im, l->c.e, l->gid, &id, &how);
	if (rc)
		return rc;
	if (how == HOW_PENDING)
		return put_new(im, l);
	if (how == HOW_UNKNOWN) {
		conflict(im, l, 0, "changed there, but it never reached this database", NULL, NULL, NULL);
		return 0;
	}
	return put_existing(im, l, id);
}

/* References to records created later in the file, now that they exist. */
static int fixup_line(struct imp *im, struct line *l)
{
	struct record *local = NULL, *in = record_new(l->c.e);
	char *why = NULL;
	int later = 0, rc = store_get(im->t, l->c.e, l->local, &local);
	if (!rc && !(rc = build(im, &l->c.obj, in, &later, &why))) {
		if (later) { /* what it points at could not be created */
			conflict(im, l, l->local,
				 "cannot apply: it refers to a record of this file that was not created", NULL, NULL,
				 NULL);
			goto out;
		}
		take_incoming(local, in, &l->c.obj);
		rc = store_update(im->t, local, &why);
	}
	if (rc)
		rc = record_failed(im, l, l->local, rc, why);
out:
	free(why);
	record_free(local);
	record_free(in);
	return rc;
}

static int rm_line(struct imp *im, struct line *l)
{
	const struct entity *e = l->c.e;
	uint64_t id;
	enum how how;
	struct record *local = NULL, *base = NULL;
	char *why = NULL;
	int rc = resolve(im, e, l->gid, &id, &how);
	if (rc)
		goto out;
	if (how == HOW_UNKNOWN || (rc = store_get(im->t, e, id, &local)) == KAM_ENOTFOUND) {
		im->s->unchanged[ent_index(e)]++; /* gone already */
		rc = 0;
		goto out;
	}
	if (rc)
		goto out;
	if ((rc = build_base(im, l, &base, &why))) {
		rc = record_failed(im, l, id, rc, why);
		goto out;
	}
	if (!base || !same_fields(local, base)) {
		conflict(im, l, id, "changed here, deleted there", local, base, "before deletion");
	} else if ((rc = store_delete(im->t, e, id, 0, &why))) {
		rc = record_failed(im, l, id, rc, why);
	} else {
		im->s->deleted[ent_index(e)]++;
	}
out:
	free(why);
	record_free(local);
	record_free(base);
	return rc;
}

/* Header, record lines and trailer; every problem goes to stats->errors. */
static void parse_file(struct imp *im, char *data, size_t size)
{
	size_t nlines = 0, records = 0;
	int saw_end = 0;
	char *p = data, *end = data + size;
	if (size >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
		p += 3;
	im->v = xcalloc(size / 16 + 2, sizeof *im->v);
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		int line = (int)++nlines, col = 1;
		char *cause = NULL;
		if (len && p[len - 1] == '\r')
			len--;
		if (saw_end) {
			import_error(im, line, 1, "text after the {\"end\":N} line");
		} else if (line == 1) {
			struct json_object o;
			const struct json_member *v, *s;
			if (json_parse_object(p, len, &o, &col, &cause)) {
				import_error(im, line, col,
					     "not a kam change file (the first line is {\"kam_changes\":1,...})");
			} else {
				if (!(v = json_get(&o, "kam_changes")) || strcmp(v->text, "1"))
					import_error(
					    im, line, v ? v->col : 1,
					    "not a kam change file (the first line is {\"kam_changes\":1,...})");
				else if (!(s = json_get(&o, "site")) || s->type != JSON_STRING ||
					 !sync_site_valid(s->text))
					import_error(im, line, s ? s->col : 1, "missing or bad \"site\"");
				else if (!(v = json_get(&o, "since")) || v->type != JSON_NUMBER)
					import_error(im, line, v ? v->col : 1, "missing or bad \"since\"");
				else {
					int64_t since = 0;
					parse_int64(v->text, &since);
					im->since = since > 0 ? (uint64_t)since : 0;
					im->from = xstrdup(s->text);
				}
				json_object_free(&o);
			}
		} else {
			struct json_object o = {0};
			const struct json_member *m;
			if (!json_parse_object(p, len, &o, &col, NULL) && (m = json_get(&o, "end"))) {
				char want[32];
				snprintf(want, sizeof want, "%zu", records);
				if (m->type != JSON_NUMBER || strcmp(m->text, want)) {
					char *msg =
					    xasprintf("the file says %s records but holds %zu", m->text, records);
					import_error(im, line, m->col, msg);
					free(msg);
				}
				saw_end = 1;
				json_object_free(&o);
			} else {
				json_object_free(&o);
				struct line *l = &im->v[im->n];
				if (sync_parse_change(p, len, &l->c, &col, &cause)) {
					import_error(im, line, col, cause ? cause : "bad change line");
				} else {
					l->line = line;
					l->gid = xstrdup(json_get(&l->c.obj, "id")->text);
					im->n++;
				}
				records++;
			}
		}
		free(cause);
		p = nl ? nl + 1 : end;
	}
	if (!nlines)
		import_error(im, 1, 1, "empty file: not a kam change file");
	else if (!saw_end)
		import_error(im, (int)nlines + 1, 1, "the file ends without its {\"end\":N} line (cut short?)");
}

static int read_file(const char *path, char **data, size_t *size, char **cause)
{
	struct buf b = {0};
	if (buf_read_file(&b, path, SIZE_MAX - 1)) {
		buf_free(&b);
		return set_cause(cause, KAM_EINVAL, "cannot read '%s': %s", path, strerror(errno));
	}
	*size = b.len;
	buf_addc(&b, 0);
	*data = buf_steal(&b);
	return 0;
}

static void imp_free(struct imp *im)
{
	for (size_t i = 0; i < im->n; i++) {
		sync_change_free(&im->v[i].c);
		free(im->v[i].gid);
	}
	free(im->v);
	for (size_t i = 0; i < im->npending; i++)
		free(im->pending[i]);
	free(im->pending);
	free(im->site.self);
	free(im->from);
}

/* Records this file creates: puts without base whose gid is foreign and not
 * in the map yet. */
static int collect_pending(struct imp *im)
{
	im->pending = xcalloc(im->n + 1, sizeof *im->pending);
	for (size_t i = 0; i < im->n; i++) {
		struct line *l = &im->v[i];
		uint64_t id;
		if (l->c.op != SYNC_PUT || l->c.has_base || !strcmp(l->c.site, im->site.self))
			continue;
		int rc = map_get(im->t, l->c.e, l->gid, &id);
		if (rc == KAM_ENOTFOUND)
			im->pending[im->npending++] = pending_key(l->c.e, l->gid);
		else if (rc)
			return rc;
	}
	qsort(im->pending, im->npending, sizeof *im->pending, str_cmp);
	return 0;
}

int sync_import(struct store *st, const char *path, const char *site, enum sync_conflicts policy, int dry_run,
		struct sync_import_stats *stats, char **cause)
{
	struct imp im = {.path = path, .policy = policy, .s = stats};
	char *data = NULL;
	size_t size = 0;
	memset(stats, 0, sizeof *stats);
	int rc = read_file(path, &data, &size, cause);
	if (rc)
		return rc;
	parse_file(&im, data, size);
	free(data);
	if (stats->nerrors) {
		if (stats->nerrors > MAX_LISTED)
			buf_addf(&stats->errors, "%s: ... and %llu more errors\n", path,
				 (unsigned long long)(stats->nerrors - MAX_LISTED));
		imp_free(&im);
		return KAM_EINVAL;
	}
	if ((rc = store_begin(st, 1, &im.t))) {
		imp_free(&im);
		return set_cause(cause, rc, "cannot write the database: %s", kam_strerror(rc));
	}
	char *cmd = xasprintf(IMPORT_CMD "%s %s", im.from, path);
	store_txn_set_command(im.t, cmd);
	free(cmd);
	uint64_t origin;
	int named;
	if ((site && (rc = sync_set_site(im.t, site, &named, &origin, cause))) || (rc = site_load(im.t, &im.site)) ||
	    (rc = sync_origin(im.t, &origin)))
		goto fail;
	if (im.since < origin) {
		rc = set_cause(cause, KAM_EINVAL,
			       "'%s' starts at mark %llu, but this database is a copy made at mark %llu: ask for an "
			       "export with --since %llu",
			       path, (unsigned long long)im.since, (unsigned long long)origin,
			       (unsigned long long)origin);
		goto fail;
	}
	if (!strcmp(im.from, im.site.self)) {
		rc = set_cause(cause, KAM_EINVAL, "'%s' was exported by site '%s', which is this database", path,
			       im.site.self);
		goto fail;
	}
	if ((rc = collect_pending(&im)))
		goto fail;
	for (size_t i = 0; i < im.n && !rc; i++)
		if (im.v[i].c.op == SYNC_PUT)
			rc = put_line(&im, &im.v[i]);
	for (size_t i = 0; i < im.n && !rc; i++)
		if (im.v[i].fixup && im.v[i].local)
			rc = fixup_line(&im, &im.v[i]);
	for (size_t i = 0; i < im.n && !rc; i++) /* referrers come first in the file */
		if (im.v[i].c.op == SYNC_RM)
			rc = rm_line(&im, &im.v[i]);
	if (rc) {
		set_cause(cause, rc, "cannot apply the changes: %s", kam_strerror(rc));
		goto fail;
	}
	if (stats->nconflicts && policy == SYNC_REFUSE) {
		rc = KAM_ECONFLICT;
		goto fail;
	}
	if (dry_run) {
		store_abort(im.t);
	} else if ((rc = store_commit(im.t, cause))) {
		imp_free(&im);
		return rc;
	}
	imp_free(&im);
	return 0;
fail:
	store_abort(im.t);
	imp_free(&im);
	return rc;
}

void sync_import_stats_free(struct sync_import_stats *s)
{
	buf_free(&s->errors);
	buf_free(&s->conflicts);
}
