/* Field-selective decoding: record_decode_fields / record_decode_into
 * (src/model/codec.c) and the scans built on them, store_scan_fields,
 * store_index_scan_fields and store_get_fields (src/store), against a real
 * database in a temporary directory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kam/err.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"

/* ---- codec ---------------------------------------------------------------- */

static struct record *contact(const char *name, const char *title, const char *notes, int64_t cadence)
{
	struct record *r = record_new(ENTITY(contact));
	record_set_text(r, CONTACT_NAME, name);
	if (title)
		record_set_text(r, CONTACT_TITLE, title);
	if (notes)
		record_set_text(r, CONTACT_NOTES, notes);
	if (cadence)
		record_set_int(r, CONTACT_CADENCE, cadence);
	r->version = 3;
	r->created = 1700000000;
	r->updated = 1700000500;
	r->updated_by = xstrdup("tester");
	r->ext_id = xstrdup("crm-7");
	return r;
}

static void encode(const struct record *r, struct buf *b)
{
	buf_reset(b);
	record_encode(r, b);
}

static void test_masked_fields_only(void **state)
{
	(void)state;
	struct record *src = contact("李丽", "CIO", "long notes", 30);
	struct buf b = {0};
	encode(src, &b);
	struct record *r = record_new(ENTITY(contact));
	uint64_t mask = FIELD_BIT(CONTACT_NAME) | FIELD_BIT(CONTACT_CADENCE);
	assert_int_equal(record_decode_fields(r, 42, b.p, b.len, mask), 0);
	assert_int_equal(r->id, 42);
	assert_int_equal(r->version, 3);
	assert_int_equal(r->created, 1700000000);
	assert_string_equal(r->v[CONTACT_NAME].s, "李丽");
	assert_true(r->v[CONTACT_CADENCE].set);
	assert_int_equal(r->v[CONTACT_CADENCE].i, 30);
	/* Not asked for: left unset, no text allocated; header strings NULL. */
	assert_false(r->v[CONTACT_TITLE].set);
	assert_null(r->v[CONTACT_TITLE].s);
	assert_false(r->v[CONTACT_NOTES].set);
	assert_null(r->v[CONTACT_NOTES].s);
	assert_null(r->updated_by);
	assert_null(r->ext_id);
	record_free(r);
	record_free(src);
	buf_free(&b);
}

static void test_unset_reads_as_unset(void **state)
{
	(void)state;
	struct record *full = contact("张三", "CTO", "notes", 14), *bare = contact("王五", NULL, NULL, 0);
	struct buf b = {0};
	struct record *r = record_new(ENTITY(contact));
	uint64_t mask = FIELD_BIT(CONTACT_NAME) | FIELD_BIT(CONTACT_TITLE) | FIELD_BIT(CONTACT_CADENCE);
	encode(full, &b);
	assert_int_equal(record_decode_fields(r, 1, b.p, b.len, mask), 0);
	assert_string_equal(r->v[CONTACT_TITLE].s, "CTO");
	/* The next row lacks title and cadence: they must not leak through. */
	encode(bare, &b);
	assert_int_equal(record_decode_fields(r, 2, b.p, b.len, mask), 0);
	assert_string_equal(r->v[CONTACT_NAME].s, "王五");
	assert_false(r->v[CONTACT_TITLE].set);
	assert_null(r->v[CONTACT_TITLE].s);
	assert_false(r->v[CONTACT_CADENCE].set);
	assert_int_equal(r->v[CONTACT_CADENCE].i, 0);
	assert_false(record_has(r, CONTACT_TITLE));
	record_free(r);
	record_free(full);
	record_free(bare);
	buf_free(&b);
}

static void test_buffer_reuse_lengths(void **state)
{
	(void)state;
	const char *names[] = {"a",
			       "a much longer name than the first one, well past sixteen bytes",
			       "",
			       "bb",
			       "中国华信通信集团广东有限公司广州分公司",
			       "c"};
	struct buf b = {0};
	struct record *r = record_new(ENTITY(contact));
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct record *src = contact(names[i], NULL, NULL, 0);
		encode(src, &b);
		assert_int_equal(record_decode_fields(r, i + 1, b.p, b.len, FIELD_BIT(CONTACT_NAME)), 0);
		assert_true(r->v[CONTACT_NAME].set);
		assert_string_equal(r->v[CONTACT_NAME].s, names[i]);
		assert_int_equal(strlen(r->v[CONTACT_NAME].s), strlen(names[i]));
		record_free(src);
	}
	record_free(r);
	buf_free(&b);
}

static void test_decode_into_matches_decode(void **state)
{
	(void)state;
	struct record *a = contact("李丽", "CIO", "notes", 30), *b2 = contact("黄涛", NULL, NULL, 0);
	free(b2->ext_id);
	b2->ext_id = NULL;
	struct buf b = {0};
	struct record *r = record_new(ENTITY(contact));
	const struct record *srcs[] = {a, b2, a};
	for (int i = 0; i < 3; i++) {
		struct record *want;
		encode(srcs[i], &b);
		assert_int_equal(record_decode(ENTITY(contact), 9, b.p, b.len, &want), 0);
		assert_int_equal(record_decode_into(r, 9, b.p, b.len), 0);
		int *diff;
		assert_int_equal(record_diff(want, r, &diff), 0);
		free(diff);
		assert_int_equal(r->version, want->version);
		assert_int_equal(r->updated, want->updated);
		assert_string_equal(r->updated_by, want->updated_by);
		if (want->ext_id)
			assert_string_equal(r->ext_id, want->ext_id);
		else
			assert_null(r->ext_id);
		record_free(want);
	}
	record_free(r);
	record_free(a);
	record_free(b2);
	buf_free(&b);
}

static void test_corrupt_input(void **state)
{
	(void)state;
	struct record *src = contact("李丽", "CIO", "notes", 30);
	struct buf b = {0};
	encode(src, &b);
	struct record *r = record_new(ENTITY(contact));
	uint64_t all = FIELD_MASK_ALL;
	assert_int_equal(record_decode_fields(r, 1, b.p, 0, all), KAM_ESTORE);
	unsigned char bad_format = 99;
	assert_int_equal(record_decode_fields(r, 1, &bad_format, 1, all), KAM_ESTORE);
	/* Every truncation of a valid record that cuts a value is refused, and
	 * never reads past the end (ASan would tell). */
	int refused = 0;
	for (size_t n = 1; n < b.len; n++) {
		unsigned char *cut = xmalloc(n); /* exact size: overreads are caught */
		memcpy(cut, b.p, n);
		int rc = record_decode_fields(r, 1, cut, n, all);
		assert_true(rc == 0 || rc == KAM_ESTORE);
		refused += rc == KAM_ESTORE;
		rc = record_decode_into(r, 1, cut, n);
		assert_true(rc == 0 || rc == KAM_ESTORE);
		free(cut);
	}
	assert_true(refused > 0);
	/* A text length beyond the end. */
	struct buf bad = {0};
	buf_add(&bad, b.p, b.len);
	buf_addc(&bad, (char)((CONTACT_TITLE + 1) << 1 | 1));
	buf_addc(&bad, 100);
	buf_add(&bad, "xy", 2);
	assert_int_equal(record_decode_fields(r, 1, bad.p, bad.len, FIELD_BIT(CONTACT_TITLE)), KAM_ESTORE);
	assert_int_equal(record_decode_fields(r, 1, bad.p, bad.len, FIELD_BIT(CONTACT_NAME)), KAM_ESTORE);
	/* The record stays usable after an error. */
	assert_int_equal(record_decode_fields(r, 1, b.p, b.len, all), 0);
	assert_string_equal(r->v[CONTACT_TITLE].s, "CIO");
	record_free(r);
	record_free(src);
	buf_free(&b);
	buf_free(&bad);
}

static void test_decode_if(void **state)
{
	(void)state;
	struct record *src = contact("李丽", "CIO", "notes", 30), *nocad = contact("黄涛", "CTO", NULL, 0);
	struct buf b = {0};
	struct record *r = record_new(ENTITY(contact));
	uint64_t mask = FIELD_BIT(CONTACT_NAME) | FIELD_BIT(CONTACT_CADENCE);
	encode(src, &b);
	assert_int_equal(record_decode_fields_if(r, 1, b.p, b.len, mask, CONTACT_CADENCE, 30), 0);
	assert_string_equal(r->v[CONTACT_NAME].s, "李丽");
	assert_int_equal(r->v[CONTACT_CADENCE].i, 30);
	assert_int_equal(record_decode_fields_if(r, 1, b.p, b.len, mask, CONTACT_CADENCE, 31), 1);
	/* Absent field: no match, whether later fields exist or not. */
	encode(nocad, &b);
	assert_int_equal(record_decode_fields_if(r, 2, b.p, b.len, mask, CONTACT_CADENCE, 0), 1);
	/* Only numeric fields can be matched. */
	assert_int_equal(record_decode_fields_if(r, 2, b.p, b.len, mask, CONTACT_NAME, 0), KAM_EINVAL);
	assert_int_equal(record_decode_fields_if(r, 2, b.p, b.len, mask, 99, 0), KAM_EINVAL);
	/* Corrupt before the field decides: still an error, not "no match". */
	unsigned char bad = 99;
	assert_int_equal(record_decode_fields_if(r, 1, &bad, 1, mask, CONTACT_CADENCE, 30), KAM_ESTORE);
	record_free(r);
	record_free(src);
	record_free(nocad);
	buf_free(&b);
}

/* An entity with more fields than the mask has bits. */
#define WIDE 70
static struct field wide_fields[WIDE];
static struct entity wide = {99, "wide", "wides", "test", wide_fields, WIDE, -1, NULL, 0};

static void test_fields_beyond_64(void **state)
{
	(void)state;
	for (int f = 0; f < WIDE; f++)
		wide_fields[f] = (struct field){"f", FT_INT, 0, NULL, NULL, ""};
	wide_fields[66].type = FT_TEXT;
	struct record *src = record_new(&wide);
	record_set_int(src, 3, 33);
	record_set_int(src, 63, 6363);
	record_set_int(src, 64, 6464);
	record_set_text(src, 66, "sixty-six");
	struct buf b = {0};
	record_encode(src, &b);
	struct record *r = record_new(&wide);
	assert_int_equal(record_decode_fields(r, 5, b.p, b.len, FIELD_MASK_ALL), 0);
	assert_int_equal(r->v[3].i, 33);
	assert_int_equal(r->v[63].i, 6363);
	/* No bit for them: skipped, untouched. */
	assert_false(r->v[64].set);
	assert_false(r->v[66].set);
	assert_null(r->v[66].s);
	/* A contact record's mask bits past its own fields are harmless too. */
	struct record *c = record_new(ENTITY(contact)), *cs = contact("x", NULL, NULL, 0);
	struct buf cb = {0};
	encode(cs, &cb);
	assert_int_equal(record_decode_fields(c, 1, cb.p, cb.len, FIELD_BIT(63) | FIELD_BIT(CONTACT_NAME)), 0);
	assert_string_equal(c->v[CONTACT_NAME].s, "x");
	/* record_decode_into gives every field even beyond 64. */
	assert_int_equal(record_decode_into(r, 5, b.p, b.len), 0);
	assert_int_equal(r->v[64].i, 6464);
	assert_string_equal(r->v[66].s, "sixty-six");
	record_free(c);
	record_free(cs);
	record_free(r);
	record_free(src);
	buf_free(&b);
	buf_free(&cb);
}

/* ---- store ---------------------------------------------------------------- */

static const char *const names[] = {"短", "a contact with a rather long name, longer than the buffer", "",
				    "中等长度的名字"};
#define NCONTACTS 4

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *f = *state;
	char *cause = NULL;
	struct txn *t;
	assert_int_equal(store_begin(f->st, 1, &t), 0);
	struct record *acc = record_new(ENTITY(account));
	record_set_text(acc, ACCOUNT_NAME, "客户");
	assert_int_equal(store_insert(t, acc, &cause), 0);
	for (int i = 0; i < NCONTACTS; i++) {
		/* "" is not a valid name: that contact gets a title only. */
		struct record *c = contact(*names[i] ? names[i] : "无名", i % 2 ? "经理" : NULL, NULL, i * 10);
		free(c->ext_id);
		c->ext_id = NULL;
		c->created = 0;
		assert_int_equal(store_insert(t, c, &cause), 0);
		struct record *l = record_new(ENTITY(account_contact));
		record_set_int(l, AC_ACCOUNT, (int64_t)acc->id);
		record_set_int(l, AC_CONTACT, (int64_t)c->id);
		if (i % 2)
			record_set_int(l, AC_KEY, 1);
		assert_int_equal(store_insert(t, l, &cause), 0);
		record_free(c);
		record_free(l);
	}
	record_free(acc);
	assert_int_equal(store_commit(t, &cause), 0);
	return 0;
}

struct seen {
	int n;
	const struct record *rec[8];
	char name[8][128];
	int has_title[8];
	int64_t cadence[8];
};

static int collect(const struct record *r, void *arg)
{
	struct seen *s = arg;
	s->rec[s->n] = r;
	snprintf(s->name[s->n], sizeof s->name[0], "%s", r->v[CONTACT_NAME].s ? r->v[CONTACT_NAME].s : "(null)");
	s->has_title[s->n] = r->v[CONTACT_TITLE].set;
	s->cadence[s->n] = r->v[CONTACT_CADENCE].set ? r->v[CONTACT_CADENCE].i : -1;
	assert_null(r->v[CONTACT_TITLE].s);
	assert_null(r->updated_by);
	s->n++;
	return 0;
}

static void test_store_scan_fields(void **state)
{
	struct fixture *f = *state;
	struct txn *t;
	struct seen s = {0};
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(
	    store_scan_fields(t, ENTITY(contact), FIELD_BIT(CONTACT_NAME) | FIELD_BIT(CONTACT_CADENCE), collect, &s),
	    0);
	assert_int_equal(s.n, NCONTACTS);
	for (int i = 0; i < NCONTACTS; i++) {
		assert_string_equal(s.name[i], *names[i] ? names[i] : "无名");
		assert_false(s.has_title[i]);
		assert_int_equal(s.cadence[i], i ? i * 10 : -1); /* 0 was never set */
		assert_ptr_equal(s.rec[i], s.rec[0]);            /* one record for the scan */
	}
	store_abort(t);
}

static void test_store_scan_match(void **state)
{
	struct fixture *f = *state;
	struct txn *t;
	struct seen s = {0};
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(store_scan_match(t, ENTITY(contact), FIELD_BIT(CONTACT_NAME) | FIELD_BIT(CONTACT_CADENCE),
					  CONTACT_CADENCE, 20, collect, &s),
			 0);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.name[0], names[2][0] ? names[2] : "无名");
	assert_int_equal(s.cadence[0], 20);
	assert_int_equal(store_scan_match(t, ENTITY(contact), 0, CONTACT_NAME, 0, collect, &s), KAM_EINVAL);
	store_abort(t);
}

static int stop_at_two(const struct record *r, void *arg)
{
	return ++*(int *)arg == 2 ? 7 : 0;
}

static void test_store_scan_fields_stops(void **state)
{
	struct fixture *f = *state;
	struct txn *t;
	int n = 0;
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(store_scan_fields(t, ENTITY(contact), FIELD_BIT(CONTACT_NAME), stop_at_two, &n), 7);
	assert_int_equal(n, 2);
	store_abort(t);
}

struct linked {
	struct txn *t;
	struct record *c; /* reused for every contact */
	int n, keys;
	char names[8][128];
};

static int visit_link(const struct record *l, void *arg)
{
	struct linked *k = arg;
	assert_false(l->v[AC_ACCOUNT].set); /* not in the mask */
	k->keys += l->v[AC_KEY].set && l->v[AC_KEY].i;
	assert_int_equal(store_get_fields(k->t, (uint64_t)l->v[AC_CONTACT].i, FIELD_MASK_ALL, k->c), 0);
	snprintf(k->names[k->n++], sizeof k->names[0], "%s", k->c->v[CONTACT_NAME].s);
	return 0;
}

static void test_index_scan_fields_and_get(void **state)
{
	struct fixture *f = *state;
	struct linked k = {0};
	assert_int_equal(store_begin(f->st, 0, &k.t), 0);
	k.c = record_new(ENTITY(contact));
	struct value v = {.i = 1, .set = 1};
	assert_int_equal(store_index_scan_fields(k.t, ENTITY(account_contact), "account", &v, 1,
						 FIELD_BIT(AC_CONTACT) | FIELD_BIT(AC_KEY), visit_link, &k),
			 0);
	assert_int_equal(k.n, NCONTACTS);
	assert_int_equal(k.keys, NCONTACTS / 2);
	for (int i = 0; i < NCONTACTS; i++)
		assert_string_equal(k.names[i], *names[i] ? names[i] : "无名");
	assert_int_equal(store_get_fields(k.t, 999, FIELD_MASK_ALL, k.c), KAM_ENOTFOUND);
	record_free(k.c);
	store_abort(k.t);
}

static int key_contact(const int64_t *vals, uint64_t id, void *arg)
{
	struct buf *b = arg;
	buf_addf(b, "%lld:%lld:%llu ", (long long)vals[0], (long long)vals[1], (unsigned long long)id);
	return 0;
}

/* The contacts of an account from the account_contact index keys alone. */
static void test_index_keys(void **state)
{
	struct fixture *f = *state;
	struct txn *t;
	struct buf b = {0};
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	struct value v = {.i = 1, .set = 1};
	assert_int_equal(store_index_keys(t, ENTITY(account_contact), "account_contact", &v, 1, key_contact, &b), 0);
	assert_string_equal(b.p, "1:1:1 1:2:2 1:3:3 1:4:4 ");
	buf_reset(&b);
	v.i = 2; /* no such account: nothing */
	assert_int_equal(store_index_keys(t, ENTITY(account_contact), "account_contact", &v, 1, key_contact, &b), 0);
	assert_int_equal(b.len, 0);
	struct value both[2] = {{.i = 1, .set = 1}, {.i = 3, .set = 1}};
	assert_int_equal(store_index_keys(t, ENTITY(account_contact), "account_contact", both, 2, key_contact, &b), 0);
	assert_string_equal(b.p, "1:3:3 ");
	/* Text in the key cannot be read back as numbers. */
	assert_int_equal(store_index_keys(t, ENTITY(contact), "name", NULL, 0, key_contact, &b), KAM_EINVAL);
	assert_int_equal(store_index_keys(t, ENTITY(contact), "nope", NULL, 0, key_contact, &b), KAM_EINVAL);
	buf_free(&b);
	store_abort(t);
}

/* store_scan now reuses one record too: every field and the header. */
static int check_full(const struct record *r, void *arg)
{
	int *n = arg;
	assert_string_equal(r->updated_by, "tester");
	assert_int_equal(r->v[CONTACT_TITLE].set, (*n % 2) == 1);
	if (*n % 2)
		assert_string_equal(r->v[CONTACT_TITLE].s, "经理");
	else
		assert_null(r->v[CONTACT_TITLE].s);
	(*n)++;
	return 0;
}

static void test_store_scan_full(void **state)
{
	struct fixture *f = *state;
	struct txn *t;
	int n = 0;
	store_set_user(f->st, "tester");
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(store_scan(t, ENTITY(contact), check_full, &n), 0);
	assert_int_equal(n, NCONTACTS);
	store_abort(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_masked_fields_only),
	    cmocka_unit_test(test_unset_reads_as_unset),
	    cmocka_unit_test(test_buffer_reuse_lengths),
	    cmocka_unit_test(test_decode_into_matches_decode),
	    cmocka_unit_test(test_corrupt_input),
	    cmocka_unit_test(test_decode_if),
	    cmocka_unit_test(test_fields_beyond_64),
	    cmocka_unit_test_setup_teardown(test_store_scan_fields, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_store_scan_fields_stops, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_store_scan_match, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_index_scan_fields_and_get, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_store_scan_full, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_index_keys, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
