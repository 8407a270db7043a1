/* Order-preserving key encoding (see keys.h). */
#include "keys.h"

#include <stdlib.h>
#include <string.h>

#include "kam/text.h"

void key_put_u64(struct buf *b, uint64_t v)
{
	unsigned char p[8];
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
	buf_add(b, p, 8);
}

uint64_t key_get_u64(const void *p)
{
	const unsigned char *c = p;
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | c[i];
	return v;
}

/* Flipping the sign bit maps INT64_MIN..INT64_MAX onto 0..UINT64_MAX. */
void key_put_i64(struct buf *b, int64_t v)
{
	key_put_u64(b, (uint64_t)v ^ UINT64_C(0x8000000000000000));
}

int64_t key_get_i64(const void *p)
{
	return (int64_t)(key_get_u64(p) ^ UINT64_C(0x8000000000000000));
}

/* Length of s cut to at most max bytes without splitting a UTF-8 sequence. */
static size_t cut_utf8(const char *s, size_t len, size_t max)
{
	if (len <= max)
		return len;
	while (max > 0 && ((unsigned char)s[max] & 0xC0) == 0x80)
		max--;
	return max;
}

void key_put_text(struct buf *b, const char *s, int fold, int prefix)
{
	char *folded = NULL;
	if (s && *s && fold)
		s = folded = text_fold(s);
	if (s) {
		size_t n = strlen(s);
		buf_add(b, s, cut_utf8(s, n, KEY_TEXT_MAX));
	}
	if (!prefix)
		buf_addc(b, 0);
	free(folded);
}

static int field_is_text(const struct field *f)
{
	return f->type == FT_TEXT || f->type == FT_ENUM || f->type == FT_REFS;
}

static void put_value(struct buf *b, const struct field *f, const struct value *v, int fold, int prefix, int query)
{
	if (field_is_text(f) && !(query && f->type == FT_REFS)) /* REFS indexes hold ids */
		key_put_text(b, (query || v->set) ? v->s : NULL, fold, prefix);
	else /* a query value is used as given; an unset record value sorts first */
		key_put_i64(b, (query || v->set) ? v->i : INT64_MIN);
}

void key_index_record(struct buf *b, const struct index_def *ix, const struct record *r)
{
	for (int i = 0; i < ix->nfields; i++) {
		int f = ix->fields[i];
		put_value(b, &r->ent->fields[f], &r->v[f], ix->kind == IX_FOLD, 0, 0);
	}
	key_put_u64(b, r->id);
}

void key_index_prefix(struct buf *b, const struct entity *e, const struct index_def *ix, const struct value *vals,
		      int nvals)
{
	if (nvals > ix->nfields)
		nvals = ix->nfields;
	for (int i = 0; i < nvals; i++) {
		const struct field *f = &e->fields[ix->fields[i]];
		int last = i == nvals - 1;
		put_value(b, f, &vals[i], ix->kind == IX_FOLD, last && ix->kind == IX_FOLD, 1);
	}
}
