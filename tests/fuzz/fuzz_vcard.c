/* libFuzzer harness: the vCard reader on arbitrary bytes. A successful parse
 * must give valid UTF-8 in every text it returns; an error must say where. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "kam/text.h"
#include "kam/util.h"
#include "kam/vcard.h"

static void check_text(const char *s)
{
	size_t bad;
	if (s && !utf8_valid(s, strlen(s), &bad))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	struct vcard_contact *c = NULL;
	size_t nc = 0;
	char *cause = NULL;
	if (vcard_parse("f.vcf", (const char *)d, n, &c, &nc, &cause)) {
		if (!cause || strncmp(cause, "f.vcf:", 6))
			abort();
		free(cause);
		return 0;
	}
	for (size_t i = 0; i < nc; i++) {
		check_text(c[i].name), check_text(c[i].org), check_text(c[i].title), check_text(c[i].note);
		for (size_t t = 0; t < c[i].ntel; t++)
			check_text(c[i].tels[t]);
		for (size_t e = 0; e < c[i].nemail; e++)
			check_text(c[i].emails[e]);
	}
	vcard_free(c, nc);
	free(cause);
	return 0;
}
