/* The Pipeline view's model and layout (kam/pipeline.h): columns of the
 * open stages with counts, totals and weighted totals; how many columns fit
 * and the sideways scroll; card and header lines exact in display width,
 * CJK never split and never in a column's last cell; the off-screen stage
 * names; the stage move with its version check, probability rule and
 * edges. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/conf.h"
#include "kam/err.h"
#include "kam/model.h"
#include "kam/pipeline.h"
#include "kam/store.h"
#include "kam/text.h"
#include "kam/util.h"
#include "unit/fixture.h"

static int setup(void **state)
{
	fixture_setup(state);
	struct fixture *f = *state;
	struct store *st = f->st;
	ADD(st, "account", "name=中国华信通信集团广东有限公司", "short_name=华信广东"); /* 1 */
	ADD(st, "account", "name=Northwind Grid");                                      /* 2 */
	ADD(st, "opportunity", "account=1", "year=2027", "title=核心网扩容", "stage=proposal", "amount=120000000",
	    "probability=50", "decision_date=2027-03-31"); /* 1 */
	ADD(st, "opportunity", "account=2", "year=2027", "title=Grid", "stage=proposal", "amount=10000000",
	    "probability=60", "decision_date=2027-01-15"); /* 2 */
	ADD(st, "opportunity", "account=1", "year=2027", "title=节能", "stage=lead",
	    "amount=30000000"); /* 3: no probability: the lead default (10) */
	ADD(st, "opportunity", "account=2", "year=2027", "title=Lost", "stage=commit", "amount=1",
	    "status=lost");                                                          /* 4: not shown */
	ADD(st, "opportunity", "account=2", "year=2026", "title=Old", "stage=lead"); /* 5: other year */
	ADD(st, "opportunity", "account=2", "year=2027", "title=Closed", "stage=closed",
	    "amount=5"); /* 6: no open stage */
	return 0;
}

static void test_load(void **state)
{
	struct fixture *f = *state;
	struct pipeline p = {0};
	char *cause = NULL;
	assert_int_equal(pipeline_load(&p, f->st, f->cfg, 2027, &cause), 0);
	assert_int_equal(p.ncols, 5);
	const char *want[] = {"lead", "qualify", "proposal", "negotiate", "commit"};
	for (int c = 0; c < 5; c++)
		assert_string_equal(p.cols[c].stage, want[c]);
	assert_string_equal(p.cols[2].label, "Proposal");
	assert_int_equal(p.cols[2].def_prob, 50);
	assert_int_equal(p.hidden, 1);
	/* Proposal: by decision date, Grid (01-15) first. */
	assert_int_equal(p.cols[2].n, 2);
	assert_int_equal(p.cols[2].cards[0].id, 2);
	assert_string_equal(p.cols[2].cards[1].text, "华信广东 / 核心网扩容");
	/* amounts in cents */
	assert_int_equal(p.cols[2].total, 13000000000LL);
	assert_int_equal(p.cols[2].weighted, 12000000000LL / 2 + 1000000000LL * 60 / 100);
	assert_int_equal(p.cols[0].n, 1);
	assert_int_equal(p.cols[0].weighted, 300000000); /* the lead default, 10% */
	assert_int_equal(p.cols[4].n, 0);                /* lost is left out */
	int c, r;
	assert_int_equal(pipeline_find(&p, 1, &c, &r), 0);
	assert_int_equal(c, 2);
	assert_int_equal(r, 1);
	assert_int_equal(pipeline_find(&p, 4, &c, &r), -1);
	pipeline_free(&p);
	pipeline_free(&p); /* twice is harmless */
	free(cause);
}

static void test_layout(void **state)
{
	(void)state;
	int shown, colw;
	pipeline_fit(120, 5, &shown, &colw);
	assert_int_equal(shown, 5);
	assert_int_equal(colw, 23);
	pipeline_fit(80, 5, &shown, &colw);
	assert_int_equal(shown, 3);
	assert_int_equal(colw, 26);
	pipeline_fit(10, 5, &shown, &colw);
	assert_int_equal(shown, 1);
	pipeline_fit(200, 2, &shown, &colw);
	assert_int_equal(shown, 2);
	/* Sideways scroll moves as little as it can. */
	assert_int_equal(pipeline_scroll(0, 3, 5, 2), 0);
	assert_int_equal(pipeline_scroll(0, 3, 5, 3), 1);
	assert_int_equal(pipeline_scroll(1, 3, 5, 4), 2);
	assert_int_equal(pipeline_scroll(2, 3, 5, 3), 2);
	assert_int_equal(pipeline_scroll(2, 3, 5, 0), 0);
	assert_int_equal(pipeline_scroll(4, 5, 5, 4), 0); /* all fit */
}

static int last_cell_wide(const char *s)
{
	size_t n = strlen(s), k = n;
	while (k > 0 && ((unsigned char)s[k - 1] & 0xc0) == 0x80)
		k--;
	uint32_t cp = 0;
	return k > 0 && utf8_decode(s + k - 1, n - k + 1, &cp) > 1 && cp_width(cp) == 2;
}

static void test_lines(void **state)
{
	(void)state;
	struct pipe_card card = {.id = 1,
				 .text = "中国华信通信集团广东有限公司 / 2027 核心网扩容",
				 .amount = 12000000000LL,
				 .has_amount = 1};
	char out[512];
	for (int w = 8; w <= 40; w++) {
		pipeline_card_line(&card, w, out, sizeof out);
		assert_int_equal(text_width(out), w);
		assert_false(last_cell_wide(out));
		assert_int_equal(out[0], ' '); /* the marker cell */
	}
	pipeline_card_line(&card, 23, out, sizeof out);
	assert_string_equal(out, " 中国华信通信集~ 120.0M");
	pipeline_card_line(&card, 22, out, sizeof out);
	assert_string_equal(out, " 中国华信通信 ~ 120.0M"); /* a blank where 集 does not fit */
	/* CJK text that fits exactly up to the amount; no amount. */
	struct pipe_card none = {.id = 2, .text = "华信广东 / 节能"};
	pipeline_card_line(&none, 22, out, sizeof out);
	assert_string_equal(out, " 华信广东 / 节能    --");
	/* A header line never ends in a wide character either. */
	struct pipe_col col = {
	    .stage = "proposal", .label = "方案阶段评审", .n = 12, .total = 13000000000LL, .weighted = 6600000000LL};
	char l1[512], l2[512];
	for (int w = 10; w <= 30; w++) {
		pipeline_head_lines(&col, w, w % 2, l1, l2, sizeof l1);
		assert_int_equal(text_width(l1), w);
		assert_int_equal(text_width(l2), w);
		assert_false(last_cell_wide(l1));
	}
	pipeline_head_lines(&col, 23, 1, l1, l2, sizeof l1);
	assert_string_equal(l1, "[方案阶段评审]      12 ");
	assert_string_equal(l2, "       130.0M  w 66.0M ");
	assert_int_equal(text_width(l2), 23);
}

static void test_offscreen(void **state)
{
	struct fixture *f = *state;
	struct pipeline p = {0};
	assert_int_equal(pipeline_load(&p, f->st, f->cfg, 2027, NULL), 0);
	char *s = pipeline_offscreen(&p, 0, 5);
	assert_string_equal(s, "all 5 stages");
	free(s);
	s = pipeline_offscreen(&p, 0, 3);
	assert_string_equal(s, "negotiate, commit >");
	free(s);
	s = pipeline_offscreen(&p, 1, 3);
	assert_string_equal(s, "< lead | commit >");
	free(s);
	s = pipeline_offscreen(&p, 2, 3);
	assert_string_equal(s, "< lead, qualify");
	free(s);
	pipeline_free(&p);
}

static struct record *opp(struct fixture *f, uint64_t id)
{
	struct txn *t;
	struct record *r = NULL;
	assert_int_equal(store_begin(f->st, 0, &t), 0);
	assert_int_equal(store_get(t, ENTITY(opportunity), id, &r), 0);
	store_abort(t);
	return r;
}

static void test_move(void **state)
{
	struct fixture *f = *state;
	const char *to = NULL;
	char *cause = NULL;
	/* 1: proposal at 50% = the proposal default: follows to 70%. */
	assert_int_equal(pipeline_move(f->st, f->cfg, 1, 1, 1, &to, &cause), 0);
	assert_string_equal(to, "negotiate");
	struct record *r = opp(f, 1);
	assert_string_equal(r->v[OPP_STAGE].s, "negotiate");
	assert_int_equal(r->v[OPP_PROBABILITY].i, 70);
	assert_int_equal(r->version, 2);
	record_free(r);
	/* 2: 60% set by hand stays. */
	assert_int_equal(pipeline_move(f->st, f->cfg, 2, 1, -1, &to, &cause), 0);
	r = opp(f, 2);
	assert_string_equal(r->v[OPP_STAGE].s, "qualify");
	assert_int_equal(r->v[OPP_PROBABILITY].i, 60);
	record_free(r);
	/* 3: no probability: stays unset (it follows the stage anyway). */
	assert_int_equal(pipeline_move(f->st, f->cfg, 3, 1, 1, &to, &cause), 0);
	r = opp(f, 3);
	assert_false(record_has(r, OPP_PROBABILITY));
	record_free(r);
	/* A stale version: nothing written, the cause names who changed it. */
	assert_int_equal(pipeline_move(f->st, f->cfg, 1, 1, 1, &to, &cause), KAM_ECONFLICT);
	assert_non_null(strstr(cause, "changed by tester meanwhile (version 1 -> 2): r reloads"));
	free(cause);
	cause = NULL;
	r = opp(f, 1);
	assert_string_equal(r->v[OPP_STAGE].s, "negotiate");
	assert_int_equal(r->version, 2);
	record_free(r);
	/* The edges: nothing before lead, nothing after commit. */
	SET(f->st, "opportunity", 1, "stage=commit");
	assert_int_equal(pipeline_move(f->st, f->cfg, 1, 3, 1, &to, &cause), KAM_EINVAL);
	assert_non_null(strstr(cause, "commit is the last open stage"));
	free(cause);
	cause = NULL;
	assert_int_equal(pipeline_move(f->st, f->cfg, 99, 1, 1, &to, &cause), KAM_ECONFLICT);
	free(cause);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_load, setup, fixture_teardown),
	    cmocka_unit_test(test_layout),
	    cmocka_unit_test(test_lines),
	    cmocka_unit_test_setup_teardown(test_offscreen, setup, fixture_teardown),
	    cmocka_unit_test_setup_teardown(test_move, setup, fixture_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
