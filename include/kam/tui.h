#ifndef KAM_TUI_H
#define KAM_TUI_H

#include "kam/store.h"

/* The interactive workstation. Only src/tui includes <curses.h>. */
struct tui_options {
	const char *config_path; /* --config, or NULL for discovery */
	int read_only;
};

/* Runs until the user quits; returns an exit code. The terminal is restored
 * on every exit path. */
int tui_run(struct store *st, const struct tui_options *o);

#endif
