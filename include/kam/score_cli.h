#ifndef KAM_SCORE_CLI_H
#define KAM_SCORE_CLI_H

#include "kam/cli.h"
#include "kam/rules.h"

/* Shared by `kam score --what-if` and `kam rules diff` (src/cli/cmd_score.c):
 * the accounts whose tier differs between two scorings (up/down) and the
 * tier distribution before and after. */
void score_print_changes(struct cli *c, const struct score_set *before, const struct score_set *after);
/* Load the effective configuration, printing errors; returns an exit code. */
int score_load_config(struct cli *c, const char *file, struct kam_config **out);

#endif
