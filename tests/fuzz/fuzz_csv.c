/* libFuzzer harness: the CSV reader/writer and the text functions on arbitrary bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kam/csv.h"
#include "kam/text.h"
#include "kam/util.h"
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct csv_reader *r;
	struct csv_row row;
	char *cause = NULL;
	int rc, guard = 0;
	csv_open_mem(&r, "f", (const char *)d, n);
	while ((rc = csv_next(r, &row, &cause)) != 0 && guard++ < 100000) {
		if (rc < 0) {
			free(cause);
			cause = NULL;
			continue;
		}
		for (int i = 0; i < row.n; i++) {
			size_t bad;
			if (!utf8_valid(row.cells[i], strlen(row.cells[i]), &bad))
				abort();
			struct buf b = {0};
			csv_write_cell(&b, row.cells[i], i & 1);
			buf_free(&b);
		}
	}
	if (guard >= 100000)
		abort();
	csv_close(r);
	/* text functions on arbitrary input */
	char *s = xstrndup((const char *)d, n);
	for (int w = 0; w < 12; w++) {
		char *f = text_fit(s, w, w & 1);
		if (text_width(f) != w)
			abort();
		size_t bad;
		if (!utf8_valid(f, strlen(f), &bad))
			abort();
		if (strlen(f) > (size_t)w * 4)
			abort();
		free(f);
	}
	free(text_fold(s));
	free(text_name_key(s));
	free(text_sanitize(s));
	free(s);
	return 0;
}
