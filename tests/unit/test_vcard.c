/* vCard reader and import (src/io/vcard.c) on the fixtures in tests/fixtures/vcard. */
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
#include <unistd.h>

#include "kam/err.h"
#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"
#include "unit/fixture.h"
#include "kam/vcard.h"

/* Tests run from a temporary directory: the fixtures are found from the
 * binary's place in the tree (build/asan/tests/test_vcard), or $KAM_SRCDIR. */
static char *fixture(const char *name)
{
	static char path[4096 + 64];
	char top[4000];
	const char *root = getenv("KAM_SRCDIR");
	if (root) {
		snprintf(top, sizeof top, "%s", root);
	} else {
		ssize_t n = readlink("/proc/self/exe", top, sizeof top - 1);
		assert_true(n > 0);
		top[n] = 0;
		for (int up = 0; up < 4; up++) { /* strip test_vcard, tests, asan, build */
			char *slash = strrchr(top, '/');
			assert_non_null(slash);
			*slash = 0;
		}
	}
	snprintf(path, sizeof path, "%s/tests/fixtures/vcard/%s", top, name);
	return path;
}

static void test_android_qp(void **state)
{
	(void)state;
	struct vcard_contact *c;
	size_t n;
	char *cause = NULL;
	if (vcard_read(fixture("android.vcf"), &c, &n, &cause))
		fail_msg("%s", cause);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].name, "王小明");
	assert_int_equal(c[0].ntel, 2);
	assert_string_equal(c[0].tels[0], "138-0013-8000");
	assert_string_equal(c[0].tels[1], "+86 10 6552 9988");
	assert_string_equal(c[0].emails[0], "wang.xm@example.cn");
	/* soft line break joined: 采购部负责人，喜欢茶 */
	assert_string_equal(c[0].note, "采购部负责人，喜欢茶");
	assert_int_equal(c[0].bday, 19800517);
	assert_int_equal(c[0].line, 1);
	assert_string_equal(c[1].name, "Anna Smith");
	assert_int_equal(c[1].line, 12);
	vcard_free(c, n);
}

/* Empty ORG and TITLE values are "not given": nothing is kept and nothing
 * leaks (found by fuzz_vcard). */
static void test_empty_org_title(void **state)
{
	(void)state;
	static const char card[] = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:李雷\r\nORG:\r\nTITLE:\r\nEND:VCARD\r\n";
	struct vcard_contact *c;
	size_t n;
	char *cause = NULL;
	if (vcard_parse("e.vcf", card, sizeof card - 1, &c, &n, &cause))
		fail_msg("%s", cause);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].name, "李雷");
	assert_null(c[0].org);
	assert_null(c[0].title);
	vcard_free(c, n);
}

static void test_outlook_escapes(void **state)
{
	(void)state;
	struct vcard_contact *c;
	size_t n;
	char *cause = NULL;
	if (vcard_read(fixture("outlook.vcf"), &c, &n, &cause))
		fail_msg("%s", cause);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].name, "Dr. Bob Miller");
	assert_string_equal(c[0].org, "Contoso Ltd.");
	assert_string_equal(c[0].department, "Procurement");
	assert_string_equal(c[0].title, "Head of Procurement");
	assert_int_equal(c[0].ntel, 2);
	assert_string_equal(c[0].note,
			    "Met at CeBIT, prefers mornings; call first.\nSecond line with a backslash \\ here.");
	assert_int_equal(c[0].bday, 0);
	vcard_free(c, n);
}

static void test_apple_folded(void **state)
{
	(void)state;
	struct vcard_contact *c;
	size_t n;
	char *cause = NULL;
	if (vcard_read(fixture("apple.vcf"), &c, &n, &cause))
		fail_msg("%s", cause);
	assert_int_equal(n, 1);
	assert_string_equal(c[0].name, "Tanaka Yuki");
	assert_string_equal(c[0].emails[0], "yuki@example.jp"); /* item1. group prefix */
	assert_string_equal(c[0].tels[0], "090-1234-5678");
	assert_int_equal(c[0].bday, 229); /* 1604 = no year */
	assert_null(c[0].department);
	/* one space removed by unfolding, the second kept */
	assert_string_equal(c[0].note, "A long note that Apple folds at seventy-five octets so the reader must "
				       "unfold it correctly.");
	vcard_free(c, n);
}

static void test_cjk_v4(void **state)
{
	(void)state;
	struct vcard_contact *c;
	size_t n;
	char *cause = NULL;
	if (vcard_read(fixture("cjk.vcf"), &c, &n, &cause))
		fail_msg("%s", cause);
	assert_int_equal(n, 2);
	assert_string_equal(c[0].name, "李 娜");
	assert_string_equal(c[0].tels[0], "+86-139-1111-2222"); /* tel: URI */
	assert_string_equal(c[0].title, "总经理");
	assert_int_equal(c[0].bday, 412);
	assert_string_equal(c[1].name, "张伟"); /* from N, no space for CJK */
	assert_string_equal(c[1].org, "华北电力集团有限公司");
	vcard_free(c, n);
}

static void test_broken_positions(void **state)
{
	(void)state;
	struct vcard_contact *c = (void *)1;
	size_t n = 9;
	char *cause = NULL;
	char *path = fixture("broken.vcf");
	assert_int_equal(vcard_read(path, &c, &n, &cause), KAM_EINVAL);
	assert_null(c);
	assert_int_equal(n, 0);
	char *want = xasprintf("%1$s:7:3: error: expected ':' after the property name and parameters\n"
			       "%1$s:5:1: error: card without a name (FN or N)\n"
			       "%1$s:12:6: error: bad BDAY '1990-13-45' (expected YYYY-MM-DD, YYYYMMDD or --MMDD)\n"
			       "%1$s:13:35: error: bad quoted-printable escape (expected =XX)\n"
			       "%1$s:15:1: error: card without a name (FN or N)\n"
			       "%1$s:21:1: error: missing END:VCARD for the card begun at line 19",
			       path);
	assert_string_equal(cause, want);
	free(want);
	free(cause);
}

static void test_inline_errors(void **state)
{
	(void)state;
	struct vcard_contact *c;
	size_t n;
	char *cause = NULL;
	/* bad UTF-8: column counted in code points before the bad byte */
	const char bad[] = "BEGIN:VCARD\nFN:\xc3\xa9t\xff\nEND:VCARD\n";
	assert_int_equal(vcard_parse("m", bad, sizeof bad - 1, &c, &n, &cause), KAM_EINVAL);
	assert_string_equal(cause, "m:2:6: error: invalid UTF-8 (is the file in another encoding?)");
	free(cause);
	cause = NULL;
	/* error on a folded continuation line points at that line */
	const char fold[] = "BEGIN:VCARD\nFN:x\nNOTE;ENCODING=QUOTED-PRINTABLE:ab\n c=G1\nEND:VCARD\n";
	assert_int_equal(vcard_parse("m", fold, sizeof fold - 1, &c, &n, &cause), KAM_EINVAL);
	assert_string_equal(cause, "m:4:3: error: bad quoted-printable escape (expected =XX)");
	free(cause);
	cause = NULL;
	const char charset[] = "BEGIN:VCARD\nFN;CHARSET=GBK:x\nEND:VCARD\n";
	assert_int_equal(vcard_parse("m", charset, sizeof charset - 1, &c, &n, &cause), KAM_EINVAL);
	assert_string_equal(cause, "m:2:12: error: unsupported CHARSET 'GBK' (only UTF-8)\n"
				   "m:1:1: error: card without a name (FN or N)");
	free(cause);
	cause = NULL;
	assert_int_equal(vcard_parse("m", "hello\n", 6, &c, &n, &cause), KAM_EINVAL);
	assert_string_equal(cause, "m:1:6: error: expected ':' after the property name and parameters\n"
				   "m:1:1: error: no BEGIN:VCARD found: not a vCard file");
	free(cause);
}

static int count_contacts(struct store *st)
{
	struct txn *t;
	uint64_t n = 0;
	assert_int_equal(store_begin(st, 0, &t), 0);
	assert_int_equal(store_count(t, ENTITY(contact), &n), 0);
	store_abort(t);
	return (int)n;
}

static void test_import(void **state)
{
	(void)state;
	struct fixture fx;
	fixture_open(&fx, "vcard");
	struct store *st = fx.st;
	char *cause = NULL;
	/* an existing contact known by phone only (different formatting) */
	struct txn *t;
	struct record *r = record_new(ENTITY(contact));
	record_set_text(r, CONTACT_NAME, "Wang X.");
	record_set_text(r, CONTACT_PHONE, "13800138000");
	assert_int_equal(store_begin(st, 1, &t), 0);
	assert_int_equal(store_insert(t, r, &cause), 0);
	assert_int_equal(store_commit(t, NULL), 0);
	record_free(r);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	/* dry run writes nothing */
	assert_int_equal(vcard_import(st, fixture("android.vcf"), 1, f, &cause), 0);
	assert_int_equal(count_contacts(st), 1);
	assert_int_equal(vcard_import(st, fixture("android.vcf"), 0, f, &cause), 0);
	fclose(f);
	if (!strstr(text, "merge contact 1 王小明\nadd contact 2 Anna Smith\n"))
		fail_msg("output: %s", text);

	assert_non_null(strstr(text, "2 cards: 1 added, 1 merged, 0 unchanged\n"));
	free(text);
	assert_int_equal(count_contacts(st), 2);
	assert_int_equal(store_begin(st, 0, &t), 0);
	assert_int_equal(store_get(t, ENTITY(contact), 1, &r), 0);
	store_abort(t);
	assert_string_equal(r->v[CONTACT_NAME].s, "Wang X."); /* kept */
	assert_string_equal(r->v[CONTACT_EMAIL].s, "wang.xm@example.cn");
	assert_string_equal(r->v[CONTACT_PHONE].s, "13800138000"); /* not overwritten */
	assert_string_equal(r->v[CONTACT_DATES].s, "birthday:05-17");
	record_free(r);

	/* again: everything matches by e-mail or name now */
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(vcard_import(st, fixture("android.vcf"), 0, f, &cause), 0);
	fclose(f);
	assert_non_null(strstr(text, "same contact 1 王小明\nsame contact 2 Anna Smith\n"));
	free(text);

	/* broken file: nothing written, every error listed */
	text = NULL;
	f = open_memstream(&text, &len);
	assert_int_equal(vcard_import(st, fixture("broken.vcf"), 0, f, &cause), KAM_EINVAL);
	fclose(f);
	free(text);
	assert_non_null(strstr(cause, ":21:1: error: missing END:VCARD"));
	free(cause);
	assert_int_equal(count_contacts(st), 2);
	fixture_close(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_android_qp),       cmocka_unit_test(test_outlook_escapes),
	    cmocka_unit_test(test_apple_folded),     cmocka_unit_test(test_cjk_v4),
	    cmocka_unit_test(test_broken_positions), cmocka_unit_test(test_inline_errors),
	    cmocka_unit_test(test_import),           cmocka_unit_test(test_empty_org_title),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
