/* Placeholder until the check module lands: the engineer who writes cmd_check
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_check(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'check' is not available in this build");
}
