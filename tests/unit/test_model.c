/* Model: schema tables, field parsing and formatting, validation, codec. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/model.h"

static void test_schema_tables(void **state)
{
	const struct entity *a = entity_by_name("account");
	assert_ptr_equal(a, ENTITY(account));
	assert_ptr_equal(entity_by_name("opportunities"), ENTITY(opportunity));
	assert_null(entity_by_name("nope"));
	assert_int_equal(entity_field(a, "name"), ACCOUNT_NAME);
	assert_int_equal(a->name_field, ACCOUNT_NAME);
	assert_int_equal(entity_field(a, "kam"), ACCOUNT_KAM);
	/* explicit FOLD name index first, then one per REF field */
	assert_string_equal(a->indexes[0].name, "name");
	int refs = 0;
	for (int i = 0; i < a->nindexes; i++)
		refs += !strcmp(a->indexes[i].name, "parent") || !strcmp(a->indexes[i].name, "kam");
	assert_int_equal(refs, 2);
	char *msg = entity_unknown_field_msg(a, "provnce");
	assert_string_equal(msg, "unknown field 'provnce' of account (did you mean 'province'?)");
	free(msg);
	/* entity codes are unique */
	for (int i = 0; i < ENT__COUNT; i++)
		for (int j = i + 1; j < ENT__COUNT; j++)
			assert_int_not_equal(kam_entities[i]->code, kam_entities[j]->code);
}

static void test_parse_and_format(void **state)
{
	struct record *r = record_new(ENTITY(opportunity));
	char *cause = NULL;
	struct buf b = {0};
	assert_int_equal(record_parse_field(r, OPP_AMOUNT, "1,234.5", &cause), 0);
	assert_int_equal(r->v[OPP_AMOUNT].i, 123450);
	record_format_field(r, OPP_AMOUNT, &b);
	assert_string_equal(b.p, "1234.50");
	assert_int_equal(record_parse_field(r, OPP_DECISION, "2027-03-31", &cause), 0);
	assert_int_equal(r->v[OPP_DECISION].i, 20270331);
	assert_int_equal(record_parse_field(r, OPP_PROBABILITY, "50%", &cause), 0);
	assert_int_equal(r->v[OPP_PROBABILITY].i, 50);
	assert_int_equal(record_parse_field(r, OPP_PROBABILITY, "150", &cause), KAM_EINVAL);
	assert_string_equal(cause, "probability: '150' is not a percentage 0..100");
	free(cause), cause = NULL;
	assert_int_equal(record_parse_field(r, OPP_STAGE, "proposl", &cause), KAM_EINVAL);
	assert_non_null(strstr(cause, "did you mean 'proposal'"));
	free(cause), cause = NULL;
	assert_int_equal(record_parse_field(r, OPP_DECISION, "2027-02-30", &cause), KAM_EINVAL);
	free(cause), cause = NULL;
	assert_int_equal(record_parse_field(r, OPP_STRATEGIC, "yes", &cause), 0);
	assert_int_equal(r->v[OPP_STRATEGIC].i, 1);
	assert_int_equal(record_parse_field(r, OPP_TITLE, "核心网扩容", &cause), 0);
	assert_string_equal(record_name(r), "核心网扩容");
	assert_int_equal(record_parse_field(r, OPP_TITLE, "bad\xff", &cause), KAM_EINVAL);
	free(cause), cause = NULL;
	assert_int_equal(record_parse_field(r, OPP_TITLE, "", &cause), 0);
	assert_false(record_has(r, OPP_TITLE));
	buf_reset(&b);
	format_money_short(210000000000LL, &b);
	assert_string_equal(b.p, "2,100.0M");
	buf_reset(&b);
	format_money(-123456789, &b);
	assert_string_equal(b.p, "-1,234,567.89");
	buf_free(&b);
	record_free(r);
}

static void test_validate(void **state)
{
	char *cause = NULL;
	struct record *r = record_new(ENTITY(account_contact));
	assert_int_equal(record_validate(r, &cause), KAM_EINVAL);
	assert_string_equal(cause, "account: required field is missing");
	free(cause), cause = NULL;
	record_set_int(r, AC_ACCOUNT, 1);
	record_set_int(r, AC_CONTACT, 2);
	record_set_int(r, AC_OWNER_A, 5);
	record_set_int(r, AC_OWNER_B, 5);
	assert_int_equal(record_validate(r, &cause), KAM_EINVAL);
	assert_string_equal(cause, "owner_a and owner_b must be different people");
	free(cause), cause = NULL;
	record_set_int(r, AC_OWNER_B, 6);
	assert_int_equal(record_validate(r, &cause), 0);
	record_free(r);

	/* the brand-activity budget is computed: guests x days x cost + fixed */
	r = record_new(ENTITY(activity));
	record_set_int(r, ACT_ACCOUNT, 1);
	record_set_text(r, ACT_TYPE, "exhibition");
	record_set_int(r, ACT_DATE, 20270305);
	record_set_int(r, ACT_GUESTS, 30);
	record_set_int(r, ACT_DAYS, 2);
	record_set_int(r, ACT_COST_PER_GUEST_DAY, 150000);
	record_set_int(r, ACT_FIXED_COST, 600000);
	assert_int_equal(record_validate(r, &cause), 0);
	assert_int_equal(r->v[ACT_BUDGET].i, 30 * 2 * 150000 + 600000);
	record_free(r);
}

static void test_codec_round_trip(void **state)
{
	struct record *r = record_new(ENTITY(account));
	r->version = 7;
	r->created = 1700000000;
	r->updated = -5; /* zigzag negative */
	r->updated_by = xstrdup("wangli");
	r->ext_id = xstrdup("SF-001");
	record_set_text(r, ACCOUNT_NAME, "中国华信通信集团广东有限公司");
	record_set_int(r, ACCOUNT_PARENT, 1);
	record_set_int(r, ACCOUNT_EMPLOYEES, 62000);
	record_set_int(r, ACCOUNT_KEY, 1);
	record_set_text(r, ACCOUNT_NOTES, "");
	struct buf b = {0};
	record_encode(r, &b);
	struct record *d;
	assert_int_equal(record_decode(ENTITY(account), 42, b.p, b.len, &d), 0);
	assert_int_equal(d->id, 42);
	assert_int_equal(d->version, 7);
	assert_int_equal(d->updated, -5);
	assert_string_equal(d->updated_by, "wangli");
	assert_string_equal(d->ext_id, "SF-001");
	int *diff;
	d->id = r->id;
	assert_int_equal(record_diff(r, d, &diff), 0);
	free(diff);
	assert_false(record_has(d, ACCOUNT_CITY));
	assert_string_equal(d->v[ACCOUNT_NOTES].s, "");
	record_free(d);

	/* truncated or foreign-format values are refused, never misread */
	for (size_t n = 1; n < b.len; n++) {
		struct record *x = NULL;
		int rc = record_decode(ENTITY(account), 1, b.p, n, &x);
		if (rc == 0)
			record_free(x);
		else
			assert_null(x);
	}
	b.p[0] = RECORD_FORMAT + 1;
	assert_int_equal(record_decode(ENTITY(account), 1, b.p, b.len, &d), KAM_ESTORE);
	buf_free(&b);
	record_free(r);
}

static void test_codec_skips_unknown_fields(void **state)
{
	/* A newer kam may append fields: an older one skips them by wire type. */
	struct record *r = record_new(ENTITY(staff));
	record_set_text(r, STAFF_NAME, "刘洋");
	struct buf b = {0};
	record_encode(r, &b);
	buf_addc(&b, (char)((60 + 1) << 1 | 1)); /* tag of field 60, text */
	buf_addc(&b, 3);
	buf_add(&b, "abc", 3);
	buf_addc(&b, (char)((61 + 1) << 1)); /* field 61, number */
	buf_addc(&b, 4);
	struct record *d;
	assert_int_equal(record_decode(ENTITY(staff), 1, b.p, b.len, &d), 0);
	assert_string_equal(record_name(d), "刘洋");
	record_free(d);
	record_free(r);
	buf_free(&b);
}

static void test_json(void **state)
{
	struct record *r = record_new(ENTITY(contact));
	r->id = 3;
	record_set_text(r, CONTACT_NAME, "李丽 \"CIO\"");
	record_set_int(r, CONTACT_CADENCE, 14);
	record_set_text(r, CONTACT_PRIVATE_NOTES, "secret");
	struct buf b = {0};
	record_to_json(r, 0, &b);
	assert_string_equal(b.p, "{\"name\":\"李丽 \\\"CIO\\\"\",\"cadence_days\":14}");
	buf_reset(&b);
	record_to_json(r, JSON_SENSITIVE, &b);
	assert_non_null(strstr(b.p, "\"private_notes\":\"secret\""));
	buf_free(&b);
	record_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_schema_tables),
	    cmocka_unit_test(test_parse_and_format),
	    cmocka_unit_test(test_validate),
	    cmocka_unit_test(test_codec_round_trip),
	    cmocka_unit_test(test_codec_skips_unknown_fields),
	    cmocka_unit_test(test_json),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
