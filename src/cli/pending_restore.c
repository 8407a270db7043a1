/* Placeholder until the restore module lands: the engineer who writes cmd_restore
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_restore(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'restore' is not available in this build");
}
