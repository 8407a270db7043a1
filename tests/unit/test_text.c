/* Display-width text: UTF-8 decoding, widths (checked against glibc
 * wcwidth, which ncurses uses), text_fit, sanitising, folding, name keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <locale.h>
#include <wchar.h>

#include <cmocka.h>

#include "kam/text.h"
#include "kam/util.h"

static void test_utf8_decode(void **state)
{
	uint32_t cp = 0;
	assert_int_equal(utf8_decode("A", 1, &cp), 1);
	assert_int_equal(cp, 'A');
	assert_int_equal(utf8_decode("\xC3\xA9", 2, &cp), 2);
	assert_int_equal(cp, 0xE9);
	assert_int_equal(utf8_decode("中", 3, &cp), 3);
	assert_int_equal(cp, 0x4E2D);
	assert_int_equal(utf8_decode("\xF0\x9F\x98\x80", 4, &cp), 4);
	assert_int_equal(cp, 0x1F600);
	assert_int_equal(utf8_decode("中", 2, &cp), -1); /* truncated */
	assert_int_equal(utf8_decode("", 0, &cp), -1);
	assert_int_equal(utf8_decode("\x80", 1, &cp), -1);             /* lone continuation */
	assert_int_equal(utf8_decode("\xC0\xAF", 2, &cp), -1);         /* overlong '/' */
	assert_int_equal(utf8_decode("\xE0\x80\xAF", 3, &cp), -1);     /* overlong */
	assert_int_equal(utf8_decode("\xED\xA0\x80", 3, &cp), -1);     /* surrogate */
	assert_int_equal(utf8_decode("\xF4\x90\x80\x80", 4, &cp), -1); /* > U+10FFFF */
	assert_int_equal(utf8_decode("\xFF", 1, &cp), -1);
	assert_int_equal(utf8_decode("\xE4\xB8"
				     "A",
				     3, &cp),
			 -1);

	size_t bad = 99;
	assert_true(utf8_valid("abc中文", strlen("abc中文"), &bad));
	assert_false(utf8_valid("ab\xFF"
				"c",
				4, &bad));
	assert_int_equal(bad, 2);
	assert_false(utf8_valid("中\xE6\x96", 5, &bad));
	assert_int_equal(bad, 3);
	assert_true(utf8_valid("", 0, NULL));
}

static void test_cp_width(void **state)
{
	assert_int_equal(cp_width('a'), 1);
	assert_int_equal(cp_width(0x4E2D), 2); /* 中 */
	assert_int_equal(cp_width(0xFF21), 2); /* Ａ */
	assert_int_equal(cp_width(0x3000), 2); /* ideographic space */
	assert_int_equal(cp_width(0xAC00), 2); /* 가 */
	assert_int_equal(cp_width(0x0301), 0); /* combining acute */
	assert_int_equal(cp_width(0x200B), 0); /* zero width space */
	assert_int_equal(cp_width(0xFE0F), 0); /* variation selector */
	assert_int_equal(cp_width(0x3099), 0); /* combining kana voiced mark inside a wide block */
	assert_int_equal(cp_width(0x1B), 0);
	assert_int_equal(cp_width(0x9B), 0);
	assert_int_equal(cp_width(0x2026), 1);  /* … ambiguous: narrow */
	assert_int_equal(cp_width(0x1F600), 2); /* emoji */
	assert_int_equal(cp_width(0x20BB7), 2); /* 𠮷 plane 2 */
}

/* Our table and glibc's wcwidth (what ncurses uses to place characters)
 * must agree, or the TUI columns drift. */
static void test_cp_width_matches_wcwidth(void **state)
{
	static const uint32_t sample[] = {
	    'a',     'Z',     '0',     ' ',     '~',     0xE9,   0xFC,   0x3B1,  0x416,  0x5D0,   0x627,   0x915,
	    0xE01,   0x2026,  0x00B7,  0x2014,  0x25CB,  0x2460, 0x2500, 0x2192, /* ambiguous: narrow */
	    0x0300,  0x0301,  0x036F,  0x0483,  0x0591,  0x064B, 0x093C, 0x0E31, 0x1AB0, 0x1DC0,  0x20D0,  0xFE20,
	    0x200B,  0x200C,  0x200D,  0x200E,  0x200F,  0xFE00, 0xFE0F, 0x3099, 0x302A, 0x1160,  0x11FF,  0xE0100,
	    0x1100,  0x115F,  0x2E80,  0x3001,  0x3002,  0x300C, 0x3041, 0x30A2, 0x30FB, 0x3105,  0x3131,  0x3400,
	    0x4DB5,  0x4E00,  0x4E2D,  0x6587,  0x9F99,  0xA000, 0xAC00, 0xD7A3, 0xF900, 0xFA6D,  0xFE30,  0xFE4F,
	    0xFF01,  0xFF21,  0xFF41,  0xFF5E,  0xFF08,  0xFF09, 0xFF0C, 0xFFE0, 0xFFE5, 0x1F300, 0x1F600, 0x1F64F,
	    0x1F914, 0x20000, 0x20BB7, 0x2A6D6, 0x30000, 0xFF61, 0xFF71, 0xFF9E, /* half-width katakana: narrow */
	};
	char *old = setlocale(LC_ALL, NULL);
	char *saved = xstrdup(old ? old : "C");

	if (setlocale(LC_ALL, "C.UTF-8") == NULL) {
		free(saved);
		skip();
	}
	for (size_t i = 0; i < sizeof(sample) / sizeof(sample[0]); i++) {
		int want = wcwidth((wchar_t)sample[i]);
		if (cp_width(sample[i]) != want)
			fail_msg("U+%04X: cp_width %d, wcwidth %d", (unsigned)sample[i], cp_width(sample[i]), want);
	}
	/* And every other code point glibc assigns a width to (it returns -1
	 * for controls and unassigned ones). A failure here after a glibc
	 * upgrade means the tables in text.c need regenerating. */
	int mismatches = 0;
	for (uint32_t cp = 0x20; cp <= 0x10FFFF; cp++) {
		int want;
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		want = wcwidth((wchar_t)cp);
		if (want >= 0 && cp_width(cp) != want && mismatches++ < 10)
			print_error("U+%04X: cp_width %d, wcwidth %d\n", (unsigned)cp, cp_width(cp), want);
	}
	setlocale(LC_ALL, saved);
	free(saved);
	assert_int_equal(mismatches, 0);
}

static void test_text_width(void **state)
{
	assert_int_equal(text_width(""), 0);
	assert_int_equal(text_width("abc"), 3);
	assert_int_equal(text_width("中文"), 4);
	assert_int_equal(text_width("ＡＢＣ"), 6);
	assert_int_equal(text_width("e\xCC\x81"), 1); /* e + combining acute */
	assert_int_equal(text_width("a\tb\x1b"), 4);  /* controls shown as '?' */
	assert_int_equal(text_width("a\xFF"
				    "b"),
			 3);                         /* invalid byte shown as '?' */
	assert_int_equal(text_width("\xC2\x9B"), 1); /* C1 CSI */
}

/* Check every fit of s at widths 0..max: exact width, valid UTF-8, and the
 * bound documented for text_fit_into. */
static void check_fit_invariants(const char *s, int max)
{
	for (int w = 0; w <= max; w++) {
		for (int a = 0; a < 2; a++) {
			char *f = text_fit(s, w, a ? TEXT_RIGHT : TEXT_LEFT);
			size_t bad;
			assert_int_equal(text_width(f), w);
			assert_true(utf8_valid(f, strlen(f), &bad));
			assert_true(strlen(f) <= (size_t)w * 4);
			for (const char *p = f; *p; p++)
				assert_true((unsigned char)*p >= 0x20 && *p != 0x7F);
			free(f);
		}
	}
}

static void expect_fit(const char *s, int w, enum text_align a, const char *want)
{
	char *f = text_fit(s, w, a);
	assert_string_equal(f, want);
	free(f);
}

static void test_text_fit(void **state)
{
	expect_fit("abc", 5, TEXT_LEFT, "abc  ");
	expect_fit("abc", 5, TEXT_RIGHT, "  abc");
	expect_fit("abc", 3, TEXT_LEFT, "abc");
	expect_fit("abcd", 3, TEXT_LEFT, "ab~");
	expect_fit("abcd", 3, TEXT_RIGHT, "ab~");
	expect_fit("abcd", 1, TEXT_LEFT, "~");
	expect_fit("abcd", 0, TEXT_LEFT, "");
	expect_fit("", 0, TEXT_LEFT, "");
	expect_fit("", 2, TEXT_LEFT, "  ");
	expect_fit("x", -3, TEXT_LEFT, "");

	/* Chinese: 2 columns each. */
	expect_fit("中文", 4, TEXT_LEFT, "中文");
	expect_fit("中文", 5, TEXT_LEFT, "中文 ");
	expect_fit("中文", 5, TEXT_RIGHT, " 中文");
	expect_fit("中文字", 4, TEXT_LEFT, "中 ~"); /* 文 would straddle the marker */
	expect_fit("中文字", 5, TEXT_LEFT, "中文~");
	expect_fit("中文", 3, TEXT_LEFT, "中~");
	expect_fit("中文", 2, TEXT_LEFT, " ~");
	expect_fit("中文", 1, TEXT_LEFT, "~");
	expect_fit("中", 1, TEXT_RIGHT, "~");
	expect_fit("中", 2, TEXT_RIGHT, "中");
	expect_fit("中", 3, TEXT_RIGHT, " 中");

	/* Full-width Latin. */
	expect_fit("ＡＢＣ", 6, TEXT_LEFT, "ＡＢＣ");
	expect_fit("ＡＢＣ", 5, TEXT_LEFT, "ＡＢ~");
	expect_fit("ＡＢＣ", 4, TEXT_LEFT, "Ａ ~");
	expect_fit("ＡＢＣ", 7, TEXT_RIGHT, " ＡＢＣ");

	/* Mixed. */
	expect_fit("a中b文", 6, TEXT_LEFT, "a中b文");
	expect_fit("a中b文", 5, TEXT_LEFT, "a中b~");
	expect_fit("a中b文", 4, TEXT_LEFT, "a中~");
	expect_fit("a中b文", 3, TEXT_LEFT, "a ~");
	expect_fit("a中b文", 2, TEXT_LEFT, "a~");
	expect_fit("北京Northwind电网", 10, TEXT_LEFT, "北京North~");

	/* Controls and escapes never reach the terminal. */
	expect_fit("a\x1b[2Jb", 6, TEXT_LEFT, "a?[2Jb");
	expect_fit("a\nb", 4, TEXT_RIGHT, " a?b");
	expect_fit("a\xFF"
		   "b",
		   3, TEXT_LEFT, "a?b");
	expect_fit("\xC2\x9B"
		   "x",
		   2, TEXT_LEFT, "?x");

	/* Combining marks stay attached and cost no column. */
	expect_fit("e\xCC\x81"
		   "x",
		   2, TEXT_LEFT,
		   "e\xCC\x81"
		   "x");
	expect_fit("e\xCC\x81"
		   "xy",
		   2, TEXT_LEFT, "e\xCC\x81~");

	char out[4 * 4 + 1];
	assert_int_equal(text_fit_into(out, "中文字", 4, TEXT_LEFT), strlen("中 ~"));
	assert_string_equal(out, "中 ~");

	static const char *const samples[] = {
	    "",
	    "abc",
	    "中文",
	    "中文字符串",
	    "ＡＢＣ",
	    "a中b文c",
	    "a\x1b"
	    "b\x7f",
	    "\xFF\xFE",
	    "e\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81",
	    "中\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81\xCC\x81文",
	    "\xCC\x81\xCC\x81lead",
	    "𠮷野家😀",
	    "\xE4\xB8",
	    "Ｎorthwind 电网集团有限公司",
	};
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		check_fit_invariants(samples[i], 14);
}

static void test_text_sanitize(void **state)
{
	char *s = text_sanitize("ok 中文\x1b]0;title\x07\r\n\xC2\x9B"
				"1m\xFF");
	assert_string_equal(s, "ok 中文?]0;title????1m?");
	free(s);
	s = text_sanitize("");
	assert_string_equal(s, "");
	free(s);
}

static void expect_str(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

static void test_text_fold(void **state)
{
	expect_str(text_fold("ＡＢＣ　Ｄｅｆ"), "abc def");
	expect_str(text_fold("  Hello \t\n  World  "), "hello world");
	expect_str(text_fold("中国移动　北京"), "中国移动 北京");
	expect_str(text_fold("ＮＯ．１２３"), "no.123");
	expect_str(text_fold(""), "");
	expect_str(text_fold("\xFF"
			     "A"),
		   "?a");
	expect_str(text_fold("Ärger"), "Ärger"); /* only ASCII is case folded */
}

static void test_text_name_key(void **state)
{
	struct {
		const char *a, *b;
	} same[] = {
	    {"ＡＢＣ智能制造股份有限公司", "abc智能制造"},
	    {"Northwind Grid Corp.", "northwind grid"},
	    {"Northwind Grid Co., Ltd.", "NORTHWIND GRID"},
	    {"华为技术有限公司", "华为技术"},
	    {"华为技术有限责任公司", "华为技术公司"},
	    {"中国移动（北京）有限公司", "中国移动(北京)"},
	    {"中国移动【北京】", "中国移动北京"},
	    {"Acme, Inc.", "ACME"},
	    {"Müller GmbH", "müller"},
	    {"华为Co., Ltd.", "华为"},
	    {"ＡＢＣ　Ｃｏｒｐ", "abc"},
	};
	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		char *a = text_name_key(same[i].a), *b = text_name_key(same[i].b);
		if (strcmp(a, b) != 0)
			fail_msg("'%s' -> '%s' but '%s' -> '%s'", same[i].a, a, same[i].b, b);
		free(a);
		free(b);
	}
	expect_str(text_name_key("ＡＢＣ智能制造股份有限公司"), "abc智能制造");
	expect_str(text_name_key("Northwind Grid Corp."), "northwindgrid");
	/* 集团 is part of the identity: a group differs from its operating company. */
	expect_str(text_name_key("南方电网集团有限公司"), "南方电网集团");
	/* Suffixes need a word boundary and never consume the whole name. */
	expect_str(text_name_key("Telco"), "telco");
	expect_str(text_name_key("Inc."), "inc");
	expect_str(text_name_key("公司"), "公司");
	expect_str(text_name_key(""), "");
	char *a = text_name_key("北京分公司"), *b = text_name_key("北京");
	assert_string_not_equal(a, b); /* a branch is not its city */
	free(a);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_utf8_decode),
	    cmocka_unit_test(test_cp_width),
	    cmocka_unit_test(test_cp_width_matches_wcwidth),
	    cmocka_unit_test(test_text_width),
	    cmocka_unit_test(test_text_fit),
	    cmocka_unit_test(test_text_sanitize),
	    cmocka_unit_test(test_text_fold),
	    cmocka_unit_test(test_text_name_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
