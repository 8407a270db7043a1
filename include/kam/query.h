#ifndef KAM_QUERY_H
#define KAM_QUERY_H

#include <stdint.h>

/* The navigator's filter language (f, :filter). Terms are separated by
 * blanks (ASCII or the ideographic space) and all must hold:
 *
 *   tier:key region:广东 revenue>1000000 kam:张 stage:stab name~银行
 *
 * A term is FIELD OP VALUE or a bare word. A bare word (no field) matches
 * the name, KAM, province and city, as the plain filter always did.
 * OP:  ':'  contains (text), starts with (codes: tier, stage, industry),
 *           equals (numbers)
 *      '~'  contains           '='  equals
 *      '!=' '!~'  negations    '<' '<=' '>' '>='  numbers only
 * VALUE: a run of non-blank characters or "double quoted" (\" and \\
 * inside). Numbers may have thousands separators, a fraction and a
 * suffix k, M, B (thousand, million, billion), 万 or 亿. Text compares
 * case-folded (full-width letters as half-width). Curses-free, pure. */

enum query_field {
	QF_TEXT, /* bare word: name, KAM, province, city */
	QF_NAME,
	QF_KAM,
	QF_REGION, /* province or city */
	QF_PROVINCE,
	QF_CITY,
	QF_TIER,
	QF_STAGE,
	QF_INDUSTRY,
	QF_REVENUE, /* the navigator's revenue year, currency units */
	QF_SCORE,
	QF_EMPLOYEES,
	QF__COUNT
};

enum query_op { QOP_HAS, QOP_CONTAINS, QOP_EQ, QOP_NE, QOP_NOT_CONTAINS, QOP_LT, QOP_LE, QOP_GT, QOP_GE };

struct query_term {
	enum query_field field;
	enum query_op op;
	char *text;  /* folded value (text fields) */
	int64_t num; /* value x 100 (numeric fields) */
};

struct query {
	struct query_term *terms;
	int n;
};

/* What one row offers the query. Text must already be folded
 * (text_fold); NULL = absent. Numbers are x 100 (revenue in cents). */
struct query_subject {
	const char *text[QF__COUNT]; /* by field, text fields only */
	int64_t num[QF__COUNT];      /* by field, numeric fields only */
	int has_num[QF__COUNT];
};

const char *query_field_name(enum query_field f);
int query_field_numeric(enum query_field f);
/* Parse src. 0 and *out (NULL when src has no term), or KAM_EINVAL and
 * *cause = "column N: message" (N counts characters from 1). */
int query_parse(const char *src, struct query **out, char **cause);
void query_free(struct query *q);
/* 1 when every term holds for s (an empty or NULL query matches all). */
int query_match(const struct query *q, const struct query_subject *s);

#endif
