/* Placeholder until the report module lands: the engineer who writes cmd_report
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_report(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'report' is not available in this build");
}
