#include "kam/util.h"

#include <stdlib.h>
#include <string.h>

#include "kam/text.h"

/* Decode s into code points (invalid bytes kept as themselves) so that
 * distances count characters, not bytes: "客户" vs "客戶" is 1, not 3. */
static uint32_t *words_decode(const char *s, size_t *n)
{
	size_t len = strlen(s), i = 0, k = 0;
	uint32_t *cps = xmalloc((len + 1) * sizeof(*cps));

	while (i < len) {
		uint32_t cp;
		int l = utf8_decode(s + i, len - i, &cp);

		if (l < 0) {
			cp = (unsigned char)s[i];
			l = 1;
		}
		cps[k++] = cp;
		i += (size_t)l;
	}
	*n = k;
	return cps;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

int edit_distance(const char *a, const char *b)
{
	size_t na, nb;
	uint32_t *ca = words_decode(a, &na), *cb = words_decode(b, &nb);
	size_t *row = xmalloc((nb + 1) * sizeof(*row));
	int d;

	/* Classic two-row Levenshtein, kept to one row plus a saved diagonal. */
	for (size_t j = 0; j <= nb; j++)
		row[j] = j;
	for (size_t i = 1; i <= na; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (size_t j = 1; j <= nb; j++) {
			size_t up = row[j];

			row[j] = min3(row[j] + 1, row[j - 1] + 1, diag + (ca[i - 1] != cb[j - 1]));
			diag = up;
		}
	}
	d = (int)row[nb];
	free(row);
	free(ca);
	free(cb);
	return d;
}

const char *nearest_word(const char *word, const char *const *candidates)
{
	size_t n;
	uint32_t *cps = words_decode(word, &n);
	/* Allow one typo in short words, two in longer ones; anything farther is
	 * more likely a different word than a misspelling. */
	int limit = n <= 3 ? 1 : n <= 8 ? 2 : 3;
	int best_d = limit + 1;
	const char *best = NULL;

	free(cps);
	if (candidates == NULL || n == 0)
		return NULL;
	for (size_t i = 0; candidates[i] != NULL; i++) {
		int d = edit_distance(word, candidates[i]);

		if (d < best_d) {
			best_d = d;
			best = candidates[i];
		}
	}
	return best;
}
