/* Change lines of kam export/import --changes: gids, site names, the
 * parser's accepted forms and its error columns. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "kam/err.h"
#include "kam/sync.h"

static void test_gid(void **state)
{
	char *site = NULL;
	uint64_t n = 0;
	assert_int_equal(sync_parse_gid("shanghai:42", &site, &n), 0);
	assert_string_equal(site, "shanghai");
	assert_int_equal(n, 42);
	free(site);
	assert_int_equal(sync_parse_gid("a-b_1:1", &site, &n), 0);
	free(site);
	static const char *const bad[] = {"42",
					  ":1",
					  "shanghai:",
					  "shanghai:0",
					  "shanghai:01",
					  "shanghai:-1",
					  "Shanghai:1",
					  "上海:1",
					  "a b:1",
					  "shanghai:1x",
					  "abcdefghijklmnopqrstuvwxyz0123456:1",
					  NULL};
	for (int i = 0; bad[i]; i++)
		if (sync_parse_gid(bad[i], &site, &n) != KAM_EINVAL)
			fail_msg("accepted %s", bad[i]);
	assert_true(sync_site_valid("central"));
	assert_false(sync_site_valid(""));
	assert_false(sync_site_valid("x/y"));
}

static void parse_ok(const char *line, struct sync_change *c)
{
	int col = 0;
	char *cause = NULL;
	if (sync_parse_change(line, strlen(line), c, &col, &cause))
		fail_msg("%s: col %d: %s", line, col, cause);
	assert_null(cause);
}

static void test_parse_put(void **state)
{
	struct sync_change c;
	parse_ok("{\"entity\":\"account\",\"id\":\"shanghai:3\",\"op\":\"put\",\"base\":null,\"version\":1,"
		 "\"updated\":5,\"updated_by\":\"li\",\"name\":\"南京分公司\",\"parent\":\"central:1\",\"key\":true}",
		 &c);
	assert_ptr_equal(c.e, ENTITY(account));
	assert_string_equal(c.site, "shanghai");
	assert_int_equal(c.num, 3);
	assert_int_equal(c.op, SYNC_PUT);
	assert_false(c.has_base);
	assert_false(c.has_echo);
	sync_change_free(&c);

	parse_ok("{\"entity\":\"activity\",\"id\":\"central:9\",\"op\":\"put\",\"base\":{\"account\":\"central:1\","
		 "\"type\":\"banquet\",\"date\":\"2026-11-23\"},\"echo\":{\"beijing\":null,\"shanghai\":{\"type\":"
		 "\"call\"}},"
		 "\"account\":\"central:1\",\"type\":\"banquet\",\"date\":\"2026-11-24\",\"contacts\":\"central:1;"
		 "shanghai:2\"}",
		 &c);
	assert_true(c.has_base);
	assert_int_equal(c.base.n, 3);
	assert_true(c.has_echo);
	assert_int_equal(c.echo.n, 2);
	sync_change_free(&c);

	parse_ok("{\"entity\":\"contact\",\"id\":\"central:2\",\"op\":\"rm\",\"base\":{\"name\":\"张三\"}}", &c);
	assert_int_equal(c.op, SYNC_RM);
	assert_true(c.has_base);
	sync_change_free(&c);
}

static void expect_error(const char *line, int want_col, const char *want_msg)
{
	struct sync_change c;
	int col = 0;
	char *cause = NULL;
	int rc = sync_parse_change(line, strlen(line), &c, &col, &cause);
	if (rc != KAM_EINVAL)
		fail_msg("accepted: %s", line);
	if (col != want_col || !cause || !strstr(cause, want_msg))
		fail_msg("%s: got col %d '%s', want col %d '%s'", line, col, cause ? cause : "", want_col, want_msg);
	free(cause);
}

static void test_parse_errors(void **state)
{
	expect_error("{\"entity\":\"account\"", 20, "");
	expect_error("{\"id\":\"a:1\",\"op\":\"put\",\"base\":null}", 1, "missing \"entity\"");
	expect_error("{\"entity\":\"acount\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null}", 11, "unknown record type");
	expect_error("{\"entity\":\"account\",\"id\":1,\"op\":\"put\",\"base\":null}", 26, "\"id\" must be a string");
	expect_error("{\"entity\":\"account\",\"id\":\"a\",\"op\":\"put\",\"base\":null}", 26, "SITE:N");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"add\",\"base\":null}", 37, "use put or rm");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\"}", 1, "missing \"base\"");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":3}", 50, "object or null");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"rm\",\"base\":null}", 49, "needs the base");
	/* columns inside the base object count from the start of the line */
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":{\"nam\":\"x\"}}", 57,
		     "did you mean 'name'");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":{\"id\":\"x\"}}", 56,
		     "not a field");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"name\":\"x\",\"parent\":7}",
		     75, "a reference is a string");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"parent\":\"a:1;a:2\"}", 64,
		     "not a record id");
	expect_error("{\"entity\":\"activity\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"contacts\":\"a:1;7\"}", 67,
		     "'7' is not a record id");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"key\":\"maybe\"}", 61,
		     "key:");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"echo\":\"x\"}", 62,
		     "\"echo\" must be an object");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"echo\":{\"X\":null}}", 67,
		     "'X' must be a site name");
	/* columns inside an echo base count from the start of the line too */
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"echo\":{\"sh\":{\"key\":"
		     "\"maybe\"}}}",
		     75, "key:");
	expect_error("{\"entity\":\"account\",\"id\":\"a:1\",\"op\":\"put\",\"base\":null,\"ext_id\":5}", 64, "ext_id");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_gid),
	    cmocka_unit_test(test_parse_put),
	    cmocka_unit_test(test_parse_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
