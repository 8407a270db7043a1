/* The rule expression language: parsed and type-checked once at load into a
 * flat node array; evaluated per account without allocation or failure.
 *
 *   expr    := or
 *   or      := and ('or' and)*
 *   and     := not ('and' not)*
 *   not     := 'not' not | cmp
 *   cmp     := sum [('<'|'<='|'>'|'>='|'=='|'!=') sum | ['not'] 'in' '[' lit (',' lit)* ']']
 *   sum     := prod (('+'|'-') prod)*
 *   prod    := unary (('*'|'/') unary)*
 *   unary   := '-' unary | primary
 *   primary := NUMBER | STRING | 'true' | 'false' | 'today' | NAME
 *            | FUNC '(' expr (',' expr)* ')' | '(' expr ')'
 *   FUNC    := if | min | max | abs | date
 */
#include "kam/rules.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

enum nkind {
	N_NUM,
	N_STR,
	N_BOOL,
	N_DATE,
	N_TODAY,
	N_METRIC,
	N_NEG,
	N_NOT,
	N_ADD,
	N_SUB,
	N_MUL,
	N_DIV,
	N_LT,
	N_LE,
	N_GT,
	N_GE,
	N_EQ,
	N_NE,
	N_AND,
	N_OR,
	N_IN,
	N_NOTIN,
	N_IF,
	N_MIN,
	N_MAX,
	N_ABS
};

struct node {
	unsigned char kind;
	unsigned char type; /* enum expr_type */
	int a, b, c;        /* children, -1 when absent */
	int next;           /* next argument / list element, -1 at the end */
	double num;
	char *str;
};

struct expr {
	struct node *n;
	int nn;
	int root;
	uint64_t metrics;
};

struct parser {
	const char *src;
	const char *p;
	struct expr *e;
	int cap;
	int depth; /* nesting of operands being parsed: '(' , unary '-', calls */
	int failed;
	size_t errpos;
	char *msg;
};

static const char *const type_names[] = {"number", "string", "true/false", "date", "list"};

/* ---- errors and nodes ---------------------------------------------------- */

static int __attribute__((format(printf, 3, 4))) perr(struct parser *ps, const char *at, const char *fmt, ...)
{
	if (ps->failed)
		return -1;
	ps->failed = 1;
	ps->errpos = (size_t)(at - ps->src);
	va_list ap;
	va_start(ap, fmt);
	ps->msg = xvasprintf(fmt, ap);
	va_end(ap);
	return -1;
}

static int node_new(struct parser *ps, enum nkind k, enum expr_type t)
{
	if (ps->e->nn == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 16;
		ps->e->n = xrealloc(ps->e->n, (size_t)ps->cap * sizeof *ps->e->n);
	}
	struct node *n = &ps->e->n[ps->e->nn];
	memset(n, 0, sizeof *n);
	n->kind = (unsigned char)k;
	n->type = (unsigned char)t;
	n->a = n->b = n->c = n->next = -1;
	return ps->e->nn++;
}

static enum expr_type ntype(struct parser *ps, int i)
{
	return (enum expr_type)ps->e->n[i].type;
}

/* ---- lexer ---------------------------------------------------------------- */

static void skip_ws(struct parser *ps)
{
	while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r')
		ps->p++;
}

/* Consume the punctuation or keyword tok if it is next. */
static int accept(struct parser *ps, const char *tok)
{
	skip_ws(ps);
	size_t n = strlen(tok);
	if (strncmp(ps->p, tok, n) != 0)
		return 0;
	if (isalpha((unsigned char)tok[0]) && (isalnum((unsigned char)ps->p[n]) || ps->p[n] == '_'))
		return 0;
	/* "<" must not swallow the first half of "<=". */
	if ((tok[0] == '<' || tok[0] == '>') && n == 1 && ps->p[1] == '=')
		return 0;
	ps->p += n;
	return 1;
}

static int expect(struct parser *ps, const char *tok)
{
	if (accept(ps, tok))
		return 0;
	skip_ws(ps);
	if (!*ps->p)
		return perr(ps, ps->p, "expected '%s' but the expression ends", tok);
	return perr(ps, ps->p, "expected '%s'", tok);
}

static int ident_len(const char *p)
{
	int n = 0;
	if (!isalpha((unsigned char)p[0]) && p[0] != '_')
		return 0;
	while (isalnum((unsigned char)p[n]) || p[n] == '_')
		n++;
	return n;
}

/* ---- parser --------------------------------------------------------------- */

static int p_expr(struct parser *ps);

static int p_number(struct parser *ps)
{
	const char *start = ps->p;
	char *end;
	double d = strtod(ps->p, &end);
	if (end == ps->p || isalpha((unsigned char)*end) || *end == '_')
		return perr(ps, start, "bad number");
	ps->p = end;
	int i = node_new(ps, N_NUM, ET_NUM);
	ps->e->n[i].num = d;
	return i;
}

static int p_string(struct parser *ps)
{
	const char *start = ps->p;
	char q = *ps->p++;
	const char *end = strchr(ps->p, q);
	if (!end)
		return perr(ps, start, "unterminated string");
	int i = node_new(ps, N_STR, ET_STR);
	ps->e->n[i].str = xstrndup(ps->p, (size_t)(end - ps->p));
	ps->p = end + 1;
	return i;
}

/* Comma-separated arguments up to ')'; returns the first, links by next. */
static int p_args(struct parser *ps, int *count)
{
	int first = -1, last = -1;
	*count = 0;
	if (accept(ps, ")"))
		return -1;
	do {
		int a = p_expr(ps);
		if (a < 0)
			return -1;
		if (last >= 0)
			ps->e->n[last].next = a;
		else
			first = a;
		last = a;
		(*count)++;
	} while (accept(ps, ","));
	if (expect(ps, ")") < 0)
		return -1;
	return first;
}

static int p_call(struct parser *ps, const char *name, int len, const char *at)
{
	int count, first = p_args(ps, &count);
	if (ps->failed)
		return -1;
	struct node *n = ps->e->n;
	if (len == 2 && strncmp(name, "if", 2) == 0) {
		if (count != 3)
			return perr(ps, at, "if() takes 3 arguments (condition, then, else), not %d", count);
		int b = n[first].next, c = n[b].next;
		if (n[first].type != ET_BOOL)
			return perr(ps, at, "the condition of if() must be true/false, not a %s",
				    type_names[n[first].type]);
		if (n[b].type != n[c].type)
			return perr(ps, at, "both branches of if() must have one type (%s vs %s)",
				    type_names[n[b].type], type_names[n[c].type]);
		int i = node_new(ps, N_IF, (enum expr_type)ps->e->n[b].type);
		ps->e->n[i].a = first;
		ps->e->n[i].b = b;
		ps->e->n[i].c = c;
		return i;
	}
	if (len == 4 && strncmp(name, "date", 4) == 0) {
		int64_t ymd;
		if (count != 1 || n[first].kind != N_STR || parse_date(n[first].str, &ymd) < 0)
			return perr(ps, at, "date() takes one date string such as '2027-03-31'");
		int i = node_new(ps, N_DATE, ET_DATE);
		ps->e->n[i].num = (double)date_to_days(ymd);
		return i;
	}
	int is_abs = len == 3 && strncmp(name, "abs", 3) == 0;
	enum nkind k = is_abs ? N_ABS : strncmp(name, "min", 3) == 0 ? N_MIN : N_MAX;
	if (count < 1 || (is_abs && count != 1))
		return perr(ps, at, "%.*s() takes %s", len, name, is_abs ? "one number" : "one or more numbers");
	for (int a = first; a >= 0; a = ps->e->n[a].next)
		if (ps->e->n[a].type != ET_NUM &&
		    !(ps->e->n[a].type == ET_DATE && !is_abs && ps->e->n[first].type == ET_DATE))
			return perr(ps, at, "%.*s() wants numbers, not a %s", len, name, type_names[ps->e->n[a].type]);
	int i = node_new(ps, k, (enum expr_type)ps->e->n[first].type);
	ps->e->n[i].a = first;
	return i;
}

static int p_name(struct parser *ps)
{
	const char *at = ps->p;
	int len = ident_len(ps->p);
	ps->p += len;
	static const char *const funcs[] = {"if", "min", "max", "abs", "date", NULL};
	for (int f = 0; funcs[f]; f++)
		if ((int)strlen(funcs[f]) == len && strncmp(at, funcs[f], (size_t)len) == 0) {
			if (expect(ps, "(") < 0)
				return -1;
			return p_call(ps, at, len, at);
		}
	if (len == 4 && strncmp(at, "true", 4) == 0) {
		int i = node_new(ps, N_BOOL, ET_BOOL);
		ps->e->n[i].num = 1;
		return i;
	}
	if (len == 5 && strncmp(at, "false", 5) == 0)
		return node_new(ps, N_BOOL, ET_BOOL);
	if (len == 5 && strncmp(at, "today", 5) == 0)
		return node_new(ps, N_TODAY, ET_DATE);
	char *name = xstrndup(at, (size_t)len);
	int m = metric_lookup(name);
	if (m < 0) {
		const char *names[M__COUNT + 2];
		for (int k = 0; k < M__COUNT; k++)
			names[k] = metric_defs[k].name;
		names[M__COUNT] = "today";
		names[M__COUNT + 1] = NULL;
		const char *near = nearest_word(name, names);
		if (near)
			perr(ps, at, "unknown name '%s' (did you mean '%s'?)", name, near);
		else
			perr(ps, at, "unknown name '%s'", name);
		free(name);
		return -1;
	}
	free(name);
	int i = node_new(ps, N_METRIC, metric_defs[m].type);
	ps->e->n[i].num = m;
	ps->e->metrics |= (uint64_t)1 << m;
	return i;
}

static int p_primary(struct parser *ps)
{
	skip_ws(ps);
	char c = *ps->p;
	if (!c)
		return perr(ps, ps->p, "unexpected end of expression");
	if (isdigit((unsigned char)c) || (c == '.' && isdigit((unsigned char)ps->p[1])))
		return p_number(ps);
	if (c == '\'' || c == '"')
		return p_string(ps);
	if (ident_len(ps->p))
		return p_name(ps);
	if (accept(ps, "(")) {
		int i = p_expr(ps);
		if (i < 0 || expect(ps, ")") < 0)
			return -1;
		return i;
	}
	return perr(ps, ps->p, "unexpected '%c'", c);
}

/* Rules are a line or two; the limits keep hostile input from exhausting
 * the stack here and in the recursive evaluator, whose depth is bounded by
 * the node count. */
enum { EXPR_MAX_DEPTH = 64, EXPR_MAX_NODES = 2048 };

static int p_unary_nested(struct parser *ps);

static int p_unary(struct parser *ps)
{
	if (ps->depth >= EXPR_MAX_DEPTH)
		return perr(ps, ps->p, "expression nested too deeply (more than %d levels)", EXPR_MAX_DEPTH);
	if (ps->e->nn >= EXPR_MAX_NODES)
		return perr(ps, ps->p, "expression too long (more than %d terms)", EXPR_MAX_NODES);
	ps->depth++;
	int i = p_unary_nested(ps);
	ps->depth--;
	return i;
}

static int p_unary_nested(struct parser *ps)
{
	skip_ws(ps);
	const char *at = ps->p;
	if (accept(ps, "-")) {
		int a = p_unary(ps);
		if (a < 0)
			return -1;
		if (ntype(ps, a) != ET_NUM)
			return perr(ps, at, "'-' wants a number, not a %s", type_names[ntype(ps, a)]);
		int i = node_new(ps, N_NEG, ET_NUM);
		ps->e->n[i].a = a;
		return i;
	}
	return p_primary(ps);
}

static int binary(struct parser *ps, enum nkind k, enum expr_type t, int a, int b)
{
	int i = node_new(ps, k, t);
	ps->e->n[i].a = a;
	ps->e->n[i].b = b;
	return i;
}

/* Result type of arithmetic, or -1 for a type error. */
static int arith_type(enum nkind k, enum expr_type x, enum expr_type y)
{
	if (x == ET_NUM && y == ET_NUM)
		return ET_NUM;
	if (k == N_ADD && ((x == ET_DATE && y == ET_NUM) || (x == ET_NUM && y == ET_DATE)))
		return ET_DATE;
	if (k == N_SUB && x == ET_DATE && y == ET_NUM)
		return ET_DATE;
	if (k == N_SUB && x == ET_DATE && y == ET_DATE)
		return ET_NUM;
	return -1;
}

static int p_binop(struct parser *ps, int (*sub)(struct parser *), const char *const *ops, const enum nkind *kinds)
{
	int a = sub(ps);
	while (a >= 0) {
		skip_ws(ps);
		const char *at = ps->p;
		int k = -1;
		for (int i = 0; ops[i]; i++)
			if (accept(ps, ops[i])) {
				k = i;
				break;
			}
		if (k < 0)
			break;
		int b = sub(ps);
		if (b < 0)
			return -1;
		int t = arith_type(kinds[k], ntype(ps, a), ntype(ps, b));
		if (t < 0)
			return perr(ps, at, "'%s' cannot combine a %s and a %s", ops[k], type_names[ntype(ps, a)],
				    type_names[ntype(ps, b)]);
		a = binary(ps, kinds[k], (enum expr_type)t, a, b);
	}
	return a;
}

static int p_prod(struct parser *ps)
{
	static const char *const ops[] = {"*", "/", NULL};
	static const enum nkind kinds[] = {N_MUL, N_DIV};
	return p_binop(ps, p_unary, ops, kinds);
}

static int p_sum(struct parser *ps)
{
	static const char *const ops[] = {"+", "-", NULL};
	static const enum nkind kinds[] = {N_ADD, N_SUB};
	return p_binop(ps, p_prod, ops, kinds);
}

static int p_in(struct parser *ps, int a, int negated, const char *at)
{
	if (expect(ps, "[") < 0)
		return -1;
	int first = -1, last = -1;
	do {
		skip_ws(ps);
		const char *eat = ps->p;
		int x = p_unary(ps);
		if (x < 0)
			return -1;
		enum nkind k = ps->e->n[x].kind;
		if (k == N_NEG && ps->e->n[ps->e->n[x].a].kind == N_NUM) {
			ps->e->n[x].kind = N_NUM;
			ps->e->n[x].num = -ps->e->n[ps->e->n[x].a].num;
			k = N_NUM;
		}
		if (k != N_NUM && k != N_STR)
			return perr(ps, eat, "the list after 'in' holds numbers or strings only");
		if (ntype(ps, x) != ntype(ps, a))
			return perr(ps, eat, "'in' compares a %s with a %s", type_names[ntype(ps, a)],
				    type_names[ntype(ps, x)]);
		if (last >= 0)
			ps->e->n[last].next = x;
		else
			first = x;
		last = x;
	} while (accept(ps, ","));
	if (expect(ps, "]") < 0)
		return -1;
	(void)at;
	return binary(ps, negated ? N_NOTIN : N_IN, ET_BOOL, a, first);
}

static int p_cmp(struct parser *ps)
{
	static const char *const ops[] = {"<=", ">=", "==", "!=", "<", ">", NULL};
	static const enum nkind kinds[] = {N_LE, N_GE, N_EQ, N_NE, N_LT, N_GT};
	int a = p_sum(ps);
	if (a < 0)
		return -1;
	skip_ws(ps);
	const char *at = ps->p;
	if (accept(ps, "in"))
		return p_in(ps, a, 0, at);
	const char *save = ps->p;
	if (accept(ps, "not")) {
		if (accept(ps, "in"))
			return p_in(ps, a, 1, at);
		ps->p = save;
	}
	for (int k = 0; ops[k]; k++) {
		if (!accept(ps, ops[k]))
			continue;
		int b = p_sum(ps);
		if (b < 0)
			return -1;
		enum expr_type x = ntype(ps, a), y = ntype(ps, b);
		int eq = kinds[k] == N_EQ || kinds[k] == N_NE;
		if (x != y || (x == ET_BOOL && !eq))
			return perr(ps, at, "'%s' cannot compare a %s with a %s", ops[k], type_names[x], type_names[y]);
		return binary(ps, kinds[k], ET_BOOL, a, b);
	}
	if (*ps->p == '=')
		return perr(ps, ps->p, "use '==' to compare");
	return a;
}

static int p_not(struct parser *ps)
{
	skip_ws(ps);
	const char *at = ps->p;
	if (accept(ps, "not")) {
		int a = p_not(ps);
		if (a < 0)
			return -1;
		if (ntype(ps, a) != ET_BOOL)
			return perr(ps, at, "'not' wants true/false, not a %s", type_names[ntype(ps, a)]);
		int i = node_new(ps, N_NOT, ET_BOOL);
		ps->e->n[i].a = a;
		return i;
	}
	return p_cmp(ps);
}

static int p_logic(struct parser *ps, const char *op, enum nkind k, int (*sub)(struct parser *))
{
	int a = sub(ps);
	while (a >= 0) {
		skip_ws(ps);
		const char *at = ps->p;
		if (!accept(ps, op))
			break;
		int b = sub(ps);
		if (b < 0)
			return -1;
		if (ntype(ps, a) != ET_BOOL || ntype(ps, b) != ET_BOOL)
			return perr(ps, at, "'%s' wants true/false on both sides, not a %s and a %s", op,
				    type_names[ntype(ps, a)], type_names[ntype(ps, b)]);
		a = binary(ps, k, ET_BOOL, a, b);
	}
	return a;
}

static int p_and(struct parser *ps)
{
	return p_logic(ps, "and", N_AND, p_not);
}

static int p_expr(struct parser *ps)
{
	return p_logic(ps, "or", N_OR, p_and);
}

void expr_free(struct expr *e)
{
	if (!e)
		return;
	for (int i = 0; i < e->nn; i++)
		free(e->n[i].str);
	free(e->n);
	free(e);
}

struct expr *expr_clone(const struct expr *e)
{
	if (!e)
		return NULL;
	struct expr *c = xmalloc(sizeof *c);
	*c = *e;
	c->n = xmalloc((size_t)(e->nn ? e->nn : 1) * sizeof *c->n);
	for (int i = 0; i < e->nn; i++) {
		c->n[i] = e->n[i];
		c->n[i].str = e->n[i].str ? xstrdup(e->n[i].str) : NULL;
	}
	return c;
}

int expr_compile(const char *src, struct expr **out, enum expr_type *type, size_t *errpos, char **cause)
{
	struct parser ps = {src, src, xcalloc(1, sizeof(struct expr)), 0, 0, 0, 0, NULL};
	int root = p_expr(&ps);
	skip_ws(&ps);
	if (root >= 0 && *ps.p)
		perr(&ps, ps.p, "unexpected '%.*s' after the expression",
		     (int)(strcspn(ps.p, " \t\r\n") > 20 ? 20 : strcspn(ps.p, " \t\r\n")), ps.p);
	if (ps.failed) {
		expr_free(ps.e);
		*out = NULL;
		if (errpos)
			*errpos = ps.errpos;
		set_cause(cause, KAM_EINVAL, "%s", ps.msg);
		free(ps.msg);
		return KAM_EINVAL;
	}
	ps.e->root = root;
	*out = ps.e;
	if (type)
		*type = (enum expr_type)ps.e->n[root].type;
	return 0;
}

enum expr_type expr_result_type(const struct expr *e)
{
	return e ? (enum expr_type)e->n[e->root].type : ET_NUM;
}

uint64_t expr_metrics(const struct expr *e)
{
	return e ? e->metrics : 0;
}

/* ---- evaluation ----------------------------------------------------------- */

static struct expr_value val(enum expr_type t, double num)
{
	struct expr_value v = {t, num, NULL};
	return v;
}

static int val_cmp(struct expr_value a, struct expr_value b)
{
	if (a.type == ET_STR)
		return strcmp(a.str ? a.str : "", b.str ? b.str : "");
	return a.num < b.num ? -1 : a.num > b.num ? 1 : 0;
}

static struct expr_value eval(const struct expr *e, int i, const union metric_value *m)
{
	const struct node *n = &e->n[i];
	struct expr_value a, b;
	switch ((enum nkind)n->kind) {
	case N_NUM:
	case N_BOOL:
	case N_DATE:
		return val((enum expr_type)n->type, n->num);
	case N_STR: {
		struct expr_value v = {ET_STR, 0, n->str};
		return v;
	}
	case N_TODAY:
		return val(ET_DATE, (double)date_to_days(date_today()));
	case N_METRIC: {
		struct expr_value v = {(enum expr_type)n->type, 0, NULL};
		if (v.type == ET_STR)
			v.str = m[(int)n->num].str;
		else
			v.num = m[(int)n->num].num;
		return v;
	}
	case N_NEG:
		return val(ET_NUM, -eval(e, n->a, m).num);
	case N_NOT:
		return val(ET_BOOL, !eval(e, n->a, m).num);
	case N_ABS:
		return val(ET_NUM, fabs(eval(e, n->a, m).num));
	case N_AND:
		return val(ET_BOOL, eval(e, n->a, m).num && eval(e, n->b, m).num);
	case N_OR:
		return val(ET_BOOL, eval(e, n->a, m).num || eval(e, n->b, m).num);
	case N_IF:
		return eval(e, n->a, m).num ? eval(e, n->b, m) : eval(e, n->c, m);
	case N_MIN:
	case N_MAX: {
		struct expr_value best = eval(e, n->a, m);
		for (int k = e->n[n->a].next; k >= 0; k = e->n[k].next) {
			struct expr_value v = eval(e, k, m);
			if (n->kind == N_MIN ? v.num < best.num : v.num > best.num)
				best = v;
		}
		return best;
	}
	case N_IN:
	case N_NOTIN: {
		a = eval(e, n->a, m);
		int found = 0;
		for (int k = n->b; k >= 0 && !found; k = e->n[k].next)
			found = val_cmp(a, eval(e, k, m)) == 0;
		return val(ET_BOOL, n->kind == N_IN ? found : !found);
	}
	default:
		break;
	}
	a = eval(e, n->a, m);
	b = eval(e, n->b, m);
	switch ((enum nkind)n->kind) {
	case N_ADD:
		return val((enum expr_type)n->type, a.num + b.num);
	case N_SUB:
		return val((enum expr_type)n->type, a.num - b.num);
	case N_MUL:
		return val(ET_NUM, a.num * b.num);
	case N_DIV:
		return val(ET_NUM, b.num == 0 ? 0 : a.num / b.num);
	case N_LT:
		return val(ET_BOOL, val_cmp(a, b) < 0);
	case N_LE:
		return val(ET_BOOL, val_cmp(a, b) <= 0);
	case N_GT:
		return val(ET_BOOL, val_cmp(a, b) > 0);
	case N_GE:
		return val(ET_BOOL, val_cmp(a, b) >= 0);
	case N_EQ:
		return val(ET_BOOL, val_cmp(a, b) == 0);
	case N_NE:
		return val(ET_BOOL, val_cmp(a, b) != 0);
	default:
		return val(ET_NUM, 0);
	}
}

struct expr_value expr_eval(const struct expr *e, const union metric_value *metrics)
{
	return eval(e, e->root, metrics);
}
