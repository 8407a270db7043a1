/* kam rules diff OLD.yaml NEW.yaml: what a rules change does to tiers over
 * the current data, without writing anything. */
#include "kam/score_cli.h"

#include <stdlib.h>
#include <string.h>

#include "kam/err.h"

static int rules_diff(struct cli *c, const char *old_file, const char *new_file)
{
	struct kam_config *old_cfg = NULL, *new_cfg = NULL;
	int rc = score_load_config(c, old_file, &old_cfg);
	if (rc == 0)
		rc = score_load_config(c, new_file, &new_cfg);
	struct store *st;
	if (rc == 0)
		rc = cli_store(c, 0, &st);
	struct score_set *before = NULL, *after = NULL;
	char *cause = NULL;
	if (rc == 0) {
		int r = rules_score_all(st, old_cfg, &before, &cause);
		/* Metrics depend on the plan year: share them only when it agrees. */
		if (r == 0 && conf_plan_year(old_cfg) == conf_plan_year(new_cfg))
			r = rules_score_metrics(before->metrics, 0, new_cfg, &after, &cause);
		else if (r == 0)
			r = rules_score_all(st, new_cfg, &after, &cause);
		if (r < 0)
			rc = cli_fail(c, r, "%s", cause ? cause : kam_strerror(r));
	}
	if (rc == 0) {
		if (c->format == FMT_TABLE)
			fprintf(c->out, "rules %016llx -> %016llx\n", (unsigned long long)old_cfg->rules_hash,
				(unsigned long long)new_cfg->rules_hash);
		score_print_changes(c, before, after);
	}
	free(cause);
	score_set_free(after);
	score_set_free(before);
	conf_free(old_cfg);
	conf_free(new_cfg);
	return rc;
}

int cmd_rules(struct cli *c, int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "diff") == 0)
		return rules_diff(c, argv[2], argv[3]);
	return cli_usage("rules");
}
