#ifndef KAM_SYNC_CLI_H
#define KAM_SYNC_CLI_H

#include "kam/cli.h"

/* `kam export --changes ...` and `kam import --changes ...` (src/cli/cmd_sync.c),
 * dispatched from cmd_export and cmd_import. */
int sync_cli_wants(int argc, char **argv); /* argv holds --changes */
int sync_cmd_export(struct cli *c, int argc, char **argv);
int sync_cmd_import(struct cli *c, int argc, char **argv);

#endif
