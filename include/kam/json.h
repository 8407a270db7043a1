#ifndef KAM_JSON_H
#define KAM_JSON_H

#include <stddef.h>

#include "kam/util.h"

/* Flat JSON objects, one per line (JSONL): string, number, true/false/null
 * values; nested objects or arrays are kept as their raw JSON text. */

enum json_type { JSON_NULL, JSON_BOOL, JSON_NUMBER, JSON_STRING, JSON_RAW };

struct json_member {
	char *key;
	enum json_type type;
	char *text; /* string value (unescaped), number text, "true"/"false", or raw JSON */
	int col;    /* 1-based column (code points) where the value starts */
};

struct json_object {
	int n;
	struct json_member *m;
};

/* Parse one object from line (len bytes). On error returns KAM_EINVAL and
 * sets *col (1-based, code points) and a message in *cause (no position prefix). */
int json_parse_object(const char *line, size_t len, struct json_object *out, int *col, char **cause);
void json_object_free(struct json_object *o);
const struct json_member *json_get(const struct json_object *o, const char *key);

/* Append s as a JSON string literal (quotes included), escaping as needed. */
void json_add_string(struct buf *out, const char *s);

#endif
