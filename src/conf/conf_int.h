#ifndef KAM_CONF_INT_H
#define KAM_CONF_INT_H

/* Private to src/conf: the descriptor tables that drive loading, checking,
 * freeing and dumping of struct kam_config. */

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"

enum dtype {
	D_INT,     /* int, range min..max */
	D_NUM,     /* double, range min..max */
	D_MONEY,   /* int64_t cents, written in currency units */
	D_BOOL,    /* int, true/false only */
	D_STR,     /* char * */
	D_ENUM,    /* int index into enums */
	D_EXPR,    /* struct conf_expr */
	D_STRLIST, /* struct conf_strlist: a string or a sequence of strings */
	D_STEPS,   /* struct conf_step * at off, int count at off2 */
	D_STRUCT,  /* nested fields of sub, offsets relative to base + off */
	D_MAP      /* struct conf_map of sub items; enums = allowed ids or NULL */
};

struct dtab;

struct desc {
	const char *key;
	enum dtype type;
	size_t off;
	size_t off2;
	double min, max;
	const char *const *enums;
	const struct dtab *sub;
};

struct dtab {
	const char *what; /* "criterion", "section 'settings'" ... for messages */
	const struct desc *d;
	int n;
	size_t item_size;         /* D_MAP items */
	int direct;               /* D_MAP item given as its first field's value */
	const char *const *moved; /* NULL or pairs old key, new path: hint for an unknown key */
};

extern const struct dtab conf_root_tab;

struct ld;

void conf_strlist_add(struct conf_strlist *sl, const char *s);
void conf_strlist_clear(struct conf_strlist *sl);
struct conf_item *conf_map_get_or_add(struct conf_map *m, const struct dtab *t, const char *id);
struct conf_item *conf_map_find(const struct conf_map *m, const struct dtab *t, const char *id);

void conf_init(struct kam_config *cfg);
/* A deep copy: shares nothing with cfg. */
struct kam_config *conf_clone(const struct kam_config *cfg);
/* Cross-checks after all files: required keys, references, sorting, hash. */
void conf_finalize(struct kam_config *cfg, struct ld *l);
void conf_error(struct ld *l, const struct conf_mark *m, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int conf_set_scalar(struct ld *l, const struct desc *d, void *base, const char *text, int plain,
		    const struct conf_mark *m);
int conf_set_value(struct kam_config *cfg, const struct desc *d, void *base, const char *text, char **cause);

#endif
