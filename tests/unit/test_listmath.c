/* The list widget's cursor and scroll arithmetic (kam/listmath.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "kam/listmath.h"

static struct listpos pos(int n, int height, int so)
{
	struct listpos p = {.n = n, .height = height, .scrolloff = so};
	listpos_fix(&p);
	return p;
}

static void test_empty(void **state)
{
	(void)state;
	struct listpos p = pos(0, 10, 2);
	listpos_move(&p, 5);
	assert_int_equal(p.cur, 0);
	assert_int_equal(p.top, 0);
	listpos_end(&p);
	assert_int_equal(p.cur, 0);
	assert_int_equal(listpos_row(&p, 0), -1);
}

static void test_move_clamps(void **state)
{
	(void)state;
	struct listpos p = pos(5, 10, 2);
	listpos_move(&p, -1);
	assert_int_equal(p.cur, 0);
	listpos_move(&p, 100);
	assert_int_equal(p.cur, 4);
	assert_int_equal(p.top, 0); /* short list: never scrolls */
}

static void test_scrolloff_down(void **state)
{
	(void)state;
	struct listpos p = pos(100, 10, 2);
	for (int i = 0; i < 7; i++)
		listpos_move(&p, 1);
	assert_int_equal(p.cur, 7);
	assert_int_equal(p.top, 0); /* row 7 of 0..9: two rows below it */
	listpos_move(&p, 1);
	assert_int_equal(p.cur, 8);
	assert_int_equal(p.top, 1); /* keeps two rows of context */
	assert_int_equal(listpos_row(&p, 8), 7);
}

static void test_scrolloff_up_and_ends(void **state)
{
	(void)state;
	struct listpos p = pos(100, 10, 2);
	listpos_end(&p);
	assert_int_equal(p.cur, 99);
	assert_int_equal(p.top, 90); /* no scroll-off past the end */
	listpos_move(&p, -7);
	assert_int_equal(p.cur, 92);
	assert_int_equal(p.top, 90);
	listpos_move(&p, -1);
	assert_int_equal(p.top, 89);
	listpos_home(&p);
	assert_int_equal(p.cur, 0);
	assert_int_equal(p.top, 0);
}

static void test_scrolloff_larger_than_half(void **state)
{
	(void)state;
	struct listpos p = pos(100, 4, 10); /* margin capped at (4-1)/2 = 1 */
	listpos_move(&p, 3);
	assert_int_equal(p.cur, 3);
	assert_int_equal(p.top, 1);
	assert_int_equal(listpos_row(&p, 3), 2);
}

static void test_half_page(void **state)
{
	(void)state;
	struct listpos p = pos(100, 20, 2);
	listpos_move(&p, 5);
	listpos_scroll(&p, 10); /* Ctrl-d: view and cursor move together */
	assert_int_equal(p.top, 10);
	assert_int_equal(p.cur, 15);
	listpos_scroll(&p, -10);
	assert_int_equal(p.top, 0);
	assert_int_equal(p.cur, 5);
	/* At the top the view cannot move: the cursor goes the whole way. */
	listpos_scroll(&p, -10);
	assert_int_equal(p.cur, 0);
	assert_int_equal(p.top, 0);
}

static void test_page_at_end(void **state)
{
	(void)state;
	struct listpos p = pos(30, 20, 2);
	listpos_scroll(&p, 20);
	assert_int_equal(p.top, 10); /* only 10 rows more to show */
	assert_int_equal(p.cur, 20);
	listpos_scroll(&p, 20);
	assert_int_equal(p.cur, 29);
	assert_int_equal(p.top, 10);
}

static void test_set_and_shrink(void **state)
{
	(void)state;
	struct listpos p = pos(100, 10, 2);
	listpos_set(&p, 50);
	assert_int_equal(p.cur, 50);
	assert_true(p.top <= 48 && p.top + 9 >= 52);
	/* The list shrinks (a group folded): cursor and view follow. */
	p.n = 20;
	listpos_fix(&p);
	assert_int_equal(p.cur, 19);
	assert_int_equal(p.top, 10);
	/* The viewport grows (terminal resized). */
	p.height = 40;
	listpos_fix(&p);
	assert_int_equal(p.top, 0);
	assert_int_equal(listpos_row(&p, 19), 19);
	assert_int_equal(listpos_row(&p, 20), -1);
}

static void test_scroll_jump(void **state)
{
	(void)state;
	struct listpos p = pos(100, 20, 2);
	p.jump = 10;
	listpos_set(&p, 17);
	assert_int_equal(p.top, 0);
	listpos_move(&p, 1); /* margin reached: the view jumps half a page */
	assert_int_equal(p.cur, 18);
	assert_int_equal(p.top, 10);
	for (int i = 0; i < 9; i++)
		listpos_move(&p, 1); /* ... and then stays for a while */
	assert_int_equal(p.top, 10);
	listpos_move(&p, 1);
	assert_int_equal(p.top, 20);
	listpos_set(&p, 21); /* upwards too */
	assert_int_equal(p.top, 10);
	listpos_end(&p); /* never past the end */
	assert_int_equal(p.top, 80);
	p.jump = 1000; /* capped at half the viewport */
	listpos_set(&p, 79);
	assert_int_equal(p.top, 70);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_empty),
	    cmocka_unit_test(test_move_clamps),
	    cmocka_unit_test(test_scrolloff_down),
	    cmocka_unit_test(test_scrolloff_up_and_ends),
	    cmocka_unit_test(test_scrolloff_larger_than_half),
	    cmocka_unit_test(test_half_page),
	    cmocka_unit_test(test_page_at_end),
	    cmocka_unit_test(test_set_and_shrink),
	    cmocka_unit_test(test_scroll_jump),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
