/* libFuzzer harness: the navigator's filter language. A parse either gives
 * terms that match without crashing or an error that names its column. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kam/query.h"
#include "kam/text.h"
#include "kam/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	char *src = xstrndup((const char *)d, n);
	struct query *q = NULL;
	char *cause = NULL;
	if (query_parse(src, &q, &cause)) {
		if (!cause || strncmp(cause, "column ", 7))
			abort();
		free(cause);
		free(src);
		return 0;
	}
	/* Match against a row built from the input itself. */
	char *folded = text_fold(src);
	struct query_subject s = {0};
	for (int f = 0; f < QF__COUNT; f++) {
		s.text[f] = folded;
		s.num[f] = (int64_t)n * 100;
		s.has_num[f] = f & 1;
	}
	(void)query_match(q, &s);
	query_free(q);
	free(folded);
	free(src);
	return 0;
}
