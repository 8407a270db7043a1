/* Placeholder until the plan module lands: the engineer who writes cmd_plan
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_plan(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'plan' is not available in this build");
}
