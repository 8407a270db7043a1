/* kam restore BACKUP_DIR: replace the database by a backup of kam backup. */
#include "kam/cli.h"

#include <stdlib.h>
#include <sys/stat.h>

#include "kam/access.h"
#include "kam/err.h"

/* Replacing the data is admin work: ask the database being replaced (when
 * there is one), then close it again, since the swap needs it closed. */
static int restore_allowed(struct cli *c, char **cause)
{
	char *data = xasprintf("%s/data.mdb", c->db_dir);
	struct stat sb;
	int exists = !stat(data, &sb);
	free(data);
	if (!exists)
		return 0;
	struct store *st;
	int rc = store_open(&st, c->db_dir, STORE_RDONLY, cause);
	if (!rc)
		rc = access_check(st, store_user(st), ACCESS_ADMIN, NULL, cause);
	store_close(st);
	return rc;
}

int cmd_restore(struct cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage("restore");
	if (c->st) /* cannot happen from the command line: nothing opened it */
		return cli_fail(c, KAM_ESTORE, "restore needs the database closed");
	char *cause = NULL;
	int rc = restore_allowed(c, &cause);
	if (!rc)
		rc = store_restore(c->db_dir, argv[1], &cause);
	if (rc) {
		rc = cli_fail(c, rc, "restore refused: %s", cause ? cause : kam_strerror(rc));
		free(cause);
		return rc;
	}
	fprintf(c->out, "restored %s from %s (the old data is kept as %s/data.mdb.before-restore)\n", c->db_dir,
		argv[1], c->db_dir);
	return KAM_EXIT_OK;
}
