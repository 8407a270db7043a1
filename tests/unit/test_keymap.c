/* Key specs and action names of kam.yaml's keys: section (kam/keymap.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/keymap.h"

static struct keymap_key key_ok(const char *spec)
{
	struct keymap_key k;
	char *cause = NULL;
	if (keymap_parse_key(spec, &k, &cause) != 0)
		fail_msg("%s: %s", spec, cause ? cause : "?");
	return k;
}

static void expect_err(const char *spec, const char *msg)
{
	struct keymap_key k;
	char *cause = NULL;
	assert_int_equal(keymap_parse_key(spec, &k, &cause), KAM_EINVAL);
	assert_non_null(cause);
	if (strcmp(cause, msg) != 0)
		fail_msg("%s:\n  got  %s\n  want %s", spec, cause, msg);
	free(cause);
}

static void test_keys(void **state)
{
	(void)state;
	struct keymap_key k = key_ok("j");
	assert_int_equal(k.named, KM_CHAR);
	assert_int_equal(k.ch, 'j');
	assert_int_equal(key_ok("?").ch, '?');
	k = key_ok("C-d");
	assert_int_equal(k.named, KM_CHAR);
	assert_int_equal(k.ch, 4);
	assert_int_equal(key_ok("c-U").ch, 21);
	assert_int_equal(key_ok("Down").named, KM_DOWN);
	assert_int_equal(key_ok("pgdn").named, KM_PGDN);
	assert_int_equal(key_ok("PageUp").named, KM_PGUP);
	assert_int_equal(key_ok("S-Tab").named, KM_BTAB);
	assert_int_equal(key_ok("Enter").named, KM_ENTER);
	k = key_ok("Space");
	assert_int_equal(k.named, KM_CHAR);
	assert_int_equal(k.ch, ' ');
	assert_int_equal(key_ok("F1").named, KM_F1);
	assert_int_equal(key_ok("F12").named, KM_F1 + 11);
}

static void test_key_errors(void **state)
{
	(void)state;
	expect_err("", "empty key");
	expect_err("Dwn", "unknown key 'Dwn' (did you mean Down?)");
	expect_err("PgDwn", "unknown key 'PgDwn' (did you mean PgDn?)");
	expect_err("C-1", "key 'C-1': C- takes a letter (C-d)");
	expect_err("C-c", "key 'C-c' is reserved");
	expect_err("Esc", "key 'Esc' is reserved (it always goes back)");
	expect_err(" ", "key ' ' is not a printable character (Space, Tab ...)");
	expect_err("F13", "unknown key 'F13' (a character, C-x, F1-F12, Up Down Left Right Home End PgUp PgDn Enter "
			  "Tab S-Tab Backspace Space Delete Insert)");
	expect_err("广", "unknown key '广' (a character, C-x, F1-F12, Up Down Left Right Home End PgUp PgDn Enter "
			 "Tab S-Tab Backspace Space Delete Insert)");
}

static void test_action_names(void **state)
{
	(void)state;
	char out[32];
	assert_int_equal(keymap_action_name("page_down", out, sizeof out), 0);
	assert_string_equal(out, "page-down");
	assert_int_equal(keymap_action_name("page-down", out, sizeof out), 0);
	assert_string_equal(out, "page-down");
	assert_int_equal(keymap_action_name("Half_Page_Up", out, sizeof out), 0);
	assert_string_equal(out, "half-page-up");
	assert_int_equal(keymap_action_name("down!", out, sizeof out), KAM_EINVAL);
	assert_int_equal(keymap_action_name("", out, sizeof out), KAM_EINVAL);
	assert_int_equal(keymap_action_name("a_very_long_action_name_beyond_32", out, sizeof out), KAM_EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_keys),
	    cmocka_unit_test(test_key_errors),
	    cmocka_unit_test(test_action_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
