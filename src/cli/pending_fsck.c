/* Placeholder until the fsck module lands: the engineer who writes cmd_fsck
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_fsck(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'fsck' is not available in this build");
}
