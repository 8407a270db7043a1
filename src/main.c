/* kam: setlocale, then the command line; the TUI when no command is given. */
#include <locale.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "kam/cli.h"
#include "kam/tui.h"

static int open_tui(struct cli *c)
{
	struct tui_options o = {.config_path = c->config_path, .read_only = c->read_only};
	return tui_run(c->st, &o);
}

int main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	umask(007); /* the database is shared by a group of account managers */
	return cli_main(argc, argv, open_tui);
}
