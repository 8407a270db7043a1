/* Placeholder until the agenda module lands: the engineer who writes cmd_agenda
 * deletes this file. */
#include "kam/cli.h"

#include "kam/err.h"

int cmd_agenda(struct cli *c, int argc, char **argv)
{
	return cli_fail(c, KAM_ESTORE, "'agenda' is not available in this build");
}
