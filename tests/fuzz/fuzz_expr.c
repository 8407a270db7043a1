/* libFuzzer harness for rule expressions: compile any text; evaluate what
 * compiles against zeroed metrics (strings unset). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "kam/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *src = xstrndup((const char *)data, size);
	struct expr *e = NULL;
	char *cause = NULL;
	size_t pos = 0;
	enum expr_type t;
	if (expr_compile(src, &e, &t, &pos, &cause) == 0) {
		union metric_value m[M__COUNT];
		memset(m, 0, sizeof m);
		struct expr_value v = expr_eval(e, m);
		if (v.type != t)
			abort();
	} else if (pos > strlen(src)) {
		abort(); /* an error position must lie inside the text */
	}
	expr_free(e);
	free(cause);
	free(src);
	return 0;
}
