/* Record codec: a small header, then tagged fields.
 *
 * header: u8 format | varint version | zigzag created | zigzag updated |
 *         str updated_by | str ext_id          (str = varint len + bytes)
 * field:  varint tag | payload, tag = (field index + 1) << 1 | is_text;
 *         text payload = str, numeric payload = zigzag varint.
 * The wire bit lets an older kam skip fields a newer one appended. */
#include "kam/model.h"

#include <malloc.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

static void put_zigzag(struct buf *b, int64_t v)
{
	buf_add_varint(b, ((uint64_t)v << 1) ^ (uint64_t)(v >> 63));
}

static void put_str(struct buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	buf_add_varint(b, n);
	buf_add(b, s ? s : "", n);
}

static int is_text(enum ftype t)
{
	return t == FT_TEXT || t == FT_ENUM || t == FT_REFS;
}

void record_encode(const struct record *r, struct buf *out)
{
	buf_addc(out, RECORD_FORMAT);
	buf_add_varint(out, r->version);
	put_zigzag(out, r->created);
	put_zigzag(out, r->updated);
	put_str(out, r->updated_by);
	put_str(out, r->ext_id);
	for (int f = 0; f < r->ent->nfields; f++) {
		const struct value *v = &r->v[f];
		if (!v->set)
			continue;
		int text = is_text(r->ent->fields[f].type);
		buf_add_varint(out, ((uint64_t)(f + 1) << 1) | (uint64_t)text);
		if (text)
			put_str(out, v->s);
		else
			put_zigzag(out, v->i);
	}
}

struct reader {
	const unsigned char *p, *end;
};

static int get_varint(struct reader *rd, uint64_t *v)
{
	uint64_t x = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (rd->p >= rd->end)
			return -1;
		unsigned char c = *rd->p++;
		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return *v = x, 0;
	}
	return -1;
}

static int get_zigzag(struct reader *rd, int64_t *v)
{
	uint64_t u;
	if (get_varint(rd, &u))
		return -1;
	*v = (int64_t)(u >> 1) ^ -(int64_t)(u & 1);
	return 0;
}

/* A NUL-terminated copy, or NULL for an empty string when empty_null. */
static int get_str(struct reader *rd, char **s, int empty_null)
{
	uint64_t n;
	if (get_varint(rd, &n) || n > (uint64_t)(rd->end - rd->p))
		return -1;
	*s = (n || !empty_null) ? xstrndup((const char *)rd->p, (size_t)n) : NULL;
	rd->p += n;
	return 0;
}

static int decode_fields(struct reader *rd, struct record *r)
{
	while (rd->p < rd->end) {
		uint64_t tag;
		if (get_varint(rd, &tag))
			return -1;
		uint64_t f = (tag >> 1) - 1;
		int text = (int)(tag & 1);
		int known = (tag >> 1) >= 1 && f < (uint64_t)r->ent->nfields && is_text(r->ent->fields[f].type) == text;
		struct value *v = known ? &r->v[f] : NULL;
		if (text) {
			char *s;
			if (get_str(rd, &s, 0))
				return -1;
			if (v)
				free(v->s), v->s = s, v->set = 1;
			else
				free(s);
		} else {
			int64_t i;
			if (get_zigzag(rd, &i))
				return -1;
			if (v)
				v->i = i, v->set = 1;
		}
	}
	return 0;
}

int record_decode(const struct entity *e, uint64_t id, const void *data, size_t len, struct record **out)
{
	struct reader rd = {data, (const unsigned char *)data + len};
	*out = NULL;
	if (len < 1 || rd.p[0] != RECORD_FORMAT)
		return KAM_ESTORE;
	rd.p++;
	struct record *r = record_new(e);
	uint64_t version;
	r->id = id;
	if (get_varint(&rd, &version) || get_zigzag(&rd, &r->created) || get_zigzag(&rd, &r->updated) ||
	    get_str(&rd, &r->updated_by, 1) || get_str(&rd, &r->ext_id, 1) || decode_fields(&rd, r)) {
		record_free(r);
		return KAM_ESTORE;
	}
	r->version = (uint32_t)version;
	*out = r;
	return 0;
}

/* Copy n bytes into *s, keeping the old buffer when it is big enough: in a
 * scan the same field has similar lengths row after row, so after the first
 * few rows no allocation happens. malloc_usable_size (glibc) gives the real
 * capacity without storing it anywhere in struct value. */
static void str_into(char **s, const unsigned char *p, size_t n)
{
	if (!*s || malloc_usable_size(*s) < n + 1) {
		free(*s);
		*s = xmalloc(n + 1 < 16 ? 16 : n + 1);
	}
	memcpy(*s, p, n);
	(*s)[n] = '\0';
}

static int wanted(uint64_t mask, uint64_t f)
{
	return f < 64 && (mask >> f) & 1;
}

static int skip_str(struct reader *rd, const unsigned char **p, size_t *n)
{
	uint64_t len;
	if (get_varint(rd, &len) || len > (uint64_t)(rd->end - rd->p))
		return -1;
	*p = rd->p;
	*n = (size_t)len;
	rd->p += len;
	return 0;
}

/* A numeric field the row must hold: f (-1: none) and its value. */
struct match {
	int f;
	int64_t i;
};

/* -1 corrupt, 0 decoded, 1 the row does not match m (decoding stopped
 * there: the rest of the row is not even read). Fields are encoded in
 * ascending order, so a higher field means m's field is absent. */
static int decode_masked(struct reader *rd, struct record *r, uint64_t mask, struct match m)
{
	int seen = m.f < 0;
	while (rd->p < rd->end) {
		uint64_t tag;
		if (get_varint(rd, &tag))
			return -1;
		uint64_t f = (tag >> 1) - 1;
		int text = (int)(tag & 1);
		int known = (tag >> 1) >= 1 && f < (uint64_t)r->ent->nfields && is_text(r->ent->fields[f].type) == text;
		if (!seen && (tag >> 1) >= 1 && f > (uint64_t)m.f)
			return 1;
		struct value *v = known && wanted(mask, f) ? &r->v[f] : NULL;
		if (text) {
			const unsigned char *p;
			size_t n;
			if (skip_str(rd, &p, &n))
				return -1;
			if (v)
				str_into(&v->s, p, n), v->set = 1;
			if (!seen && known && f == (uint64_t)m.f)
				return 1; /* a text field never equals a number */
		} else {
			int64_t i;
			if (get_zigzag(rd, &i))
				return -1;
			if (v)
				v->i = i, v->set = 1;
			if (!seen && known && f == (uint64_t)m.f) {
				if (i != m.i)
					return 1;
				seen = 1;
			}
		}
	}
	return seen ? 0 : 1;
}

/* Shared by record_decode_fields and record_decode_into: header strings are
 * copied (reusing r's buffers) only when header is set. */
static int decode_reuse(struct record *r, uint64_t id, const void *data, size_t len, uint64_t field_mask, int header,
			struct match m)
{
	struct reader rd = {data, (const unsigned char *)data + len};
	const struct entity *e = r->ent;
	const unsigned char *p[2];
	size_t n[2];
	uint64_t version = 0;
	if (len < 1 || rd.p[0] != RECORD_FORMAT)
		return KAM_ESTORE;
	rd.p++;
	/* Masked fields start unset; text buffers stay for reuse until we know
	 * whether this row has the field. */
	for (int f = 0; f < e->nfields && f < 64; f++)
		if (wanted(field_mask, (uint64_t)f))
			r->v[f].set = 0, r->v[f].i = 0;
	r->id = id;
	int rc = get_varint(&rd, &version) || get_zigzag(&rd, &r->created) || get_zigzag(&rd, &r->updated) ||
			 skip_str(&rd, &p[0], &n[0]) || skip_str(&rd, &p[1], &n[1])
		     ? -1
		     : 0;
	if (!rc)
		rc = decode_masked(&rd, r, field_mask, m);
	r->version = (uint32_t)version;
	if (header && !rc) {
		char **hs[2] = {&r->updated_by, &r->ext_id};
		for (int i = 0; i < 2; i++) {
			if (n[i]) {
				str_into(hs[i], p[i], n[i]);
			} else { /* empty reads as NULL, as after record_decode */
				free(*hs[i]);
				*hs[i] = NULL;
			}
		}
	}
	/* An absent text field reads as NULL, exactly as after record_decode,
	 * so callbacks may keep testing v->s. */
	for (int f = 0; f < e->nfields && f < 64; f++)
		if (wanted(field_mask, (uint64_t)f) && !r->v[f].set && r->v[f].s) {
			free(r->v[f].s);
			r->v[f].s = NULL;
		}
	return rc < 0 ? KAM_ESTORE : rc;
}

int record_decode_fields(struct record *r, uint64_t id, const void *data, size_t len, uint64_t field_mask)
{
	return decode_reuse(r, id, data, len, field_mask, 0, (struct match){-1, 0});
}

int record_decode_fields_if(struct record *r, uint64_t id, const void *data, size_t len, uint64_t field_mask,
			    int match_field, int64_t match_value)
{
	if (match_field < 0 || match_field >= r->ent->nfields || is_text(r->ent->fields[match_field].type))
		return KAM_EINVAL;
	return decode_reuse(r, id, data, len, field_mask, 0, (struct match){match_field, match_value});
}

int record_decode_into(struct record *r, uint64_t id, const void *data, size_t len)
{
	if (r->ent->nfields > 64) { /* beyond the mask: a fresh decode */
		struct record *fresh;
		int rc = record_decode(r->ent, id, data, len, &fresh);
		if (rc)
			return rc;
		struct record tmp = *r;
		*r = *fresh;
		*fresh = tmp;
		record_free(fresh);
		return 0;
	}
	return decode_reuse(r, id, data, len, FIELD_MASK_ALL, 1, (struct match){-1, 0});
}
