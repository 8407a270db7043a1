/* Placeholder until the user module lands: the engineer who writes cmd_user
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_user(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'user' is not available in this build");
}
