/* Roles on the command line: the one place that asks src/access for the
 * invoking login (store_user: $KAM_USER or the Unix login) and reports a
 * refusal as "kam: permission denied: ..." (exit 3, nothing written). */
#include "kam/cli.h"

#include <stdlib.h>

#include "kam/access.h"
#include "kam/conf.h"
#include "kam/err.h"

/* The editor scope is configured (access.editor_scope); read once, when a
 * write is checked. A configuration that does not load keeps the default,
 * the narrower team scope. */
static void load_editor_scope(struct cli *c)
{
	static int loaded;
	struct kam_config *cfg = NULL;
	char *cause = NULL;
	if (loaded)
		return;
	loaded = 1;
	int rc = conf_load(c->config_path, &cfg, &cause);
	access_set_editor_scope(!rc && cfg && cfg->access.editor_scope == 1 ? ACCESS_SCOPE_ALL : ACCESS_SCOPE_TEAM);
	conf_free(cfg);
	free(cause);
}

int cli_access(struct cli *c, struct store *st, enum access_op op, const struct record *r, const char *what)
{
	char *cause = NULL;
	if (op == ACCESS_WRITE)
		load_editor_scope(c);
	int rc = access_check(st, store_user(st), op, r, &cause);
	if (!rc)
		return 0;
	if (rc == KAM_EINVAL)
		rc = cli_fail(c, rc, "permission denied: %s%s%s", what ? what : "", what ? ": " : "", cause);
	else
		rc = cli_fail(c, rc, "%s", cause ? cause : kam_strerror(rc));
	free(cause);
	return rc;
}

int cli_sees_sensitive(struct cli *c, struct store *st)
{
	return access_sees_sensitive(st, store_user(st));
}
