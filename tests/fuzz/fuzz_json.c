/* libFuzzer harness: the JSON object parser; re-encoding must read back the same. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kam/json.h"
#include "kam/text.h"
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct json_object o;
	int col;
	char *cause = NULL;
	if (json_parse_object((const char *)d, n, &o, &col, &cause) == 0) {
		/* re-encode strings and parse again */
		struct buf b = {0};
		buf_addc(&b, '{');
		for (int i = 0; i < o.n; i++) {
			size_t bad;
			if (!utf8_valid(o.m[i].text, strlen(o.m[i].text), &bad))
				abort();
			if (i)
				buf_addc(&b, ',');
			json_add_string(&b, o.m[i].key);
			buf_addc(&b, ':');
			if (o.m[i].type == JSON_STRING)
				json_add_string(&b, o.m[i].text);
			else
				buf_adds(&b, o.m[i].text);
		}
		buf_addc(&b, '}');
		struct json_object o2;
		if (json_parse_object(b.p, b.len, &o2, &col, &cause) != 0)
			abort();
		if (o2.n != o.n)
			abort();
		for (int i = 0; i < o.n; i++)
			if (strcmp(o.m[i].text, o2.m[i].text) || strcmp(o.m[i].key, o2.m[i].key) ||
			    o.m[i].type != o2.m[i].type)
				abort();
		json_object_free(&o2);
		buf_free(&b);
		json_object_free(&o);
	} else {
		if (col < 1 || !cause)
			abort();
		free(cause);
	}
	return 0;
}
