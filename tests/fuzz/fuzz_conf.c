/* libFuzzer harness for the kam.yaml loader: any bytes as a user file over
 * the built-in defaults; must never crash, leak or hang. When the file is
 * accepted, its dump must load again (the loader accepts what it prints). */
#include <stdint.h>
#include <stdlib.h>

#include "kam/conf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct kam_config *cfg = NULL;
	char *cause = NULL;
	if (conf_load_text("fuzz.yaml", (const char *)data, size, &cfg, &cause) == 0) {
		struct buf b = {0};
		conf_dump(cfg, &b);
		struct kam_config *again = NULL;
		char *why = NULL;
		if (conf_load_text("dump.yaml", b.p, b.len, &again, &why) != 0)
			abort(); /* the dump of a valid config must be valid */
		if (again->rules_hash != cfg->rules_hash)
			abort();
		conf_free(again);
		free(why);
		buf_free(&b);
	}
	free(cause);
	conf_free(cfg);
	return 0;
}
