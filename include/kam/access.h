#ifndef KAM_ACCESS_H
#define KAM_ACCESS_H

#include <stdint.h>

#include "kam/model.h"
#include "kam/store.h"

/* Users and roles. A Unix login maps to the staff record with that login
 * (staff.login); its staff.role is viewer, editor or admin (unset = viewer,
 * status=left = no access).
 *
 * Bootstrapping: while no staff record has a login, nobody is mapped yet and
 * everybody is admin (an empty database, or data imported before any user
 * was set up). `kam init --admin LOGIN` / `kam user add` map the first one.
 *
 *   read   everybody mapped (viewers do not see FF_SENS fields)
 *   write  editors: records of accounts they are on the team of (a team
 *          record, account.kam or an account_contact owner_a/owner_b), or
 *          every record when the editor scope is ACCESS_SCOPE_ALL; staff
 *          records are admin work; admins: everything
 *   admin  admins only: config, staff and roles, deletes, imports, restore
 *
 * Each call runs its own read txn, which sees the committed state; it also
 * works while the caller holds a write txn (MDB_NOTLS), so the CLI can check
 * the record it is about to write between reading and writing it. */

enum access_op { ACCESS_READ, ACCESS_WRITE, ACCESS_ADMIN };

enum access_role { ROLE_NONE = -1, ROLE_VIEWER, ROLE_EDITOR, ROLE_ADMIN };

enum access_scope {
	ACCESS_SCOPE_TEAM, /* editors change the accounts they are on the team of (default) */
	ACCESS_SCOPE_ALL   /* editors change every account */
};

/* Process-wide editor scope (from the configuration). */
void access_set_editor_scope(enum access_scope scope);
enum access_scope access_editor_scope(void);

/* The role of login and its staff id (0 when bootstrapping). */
int access_role(struct store *st, const char *login, enum access_role *role, uint64_t *staff_id, char **cause);

/* 0 when login may do op on r, else KAM_EINVAL (nothing may be written) with
 * a cause saying why, or another KAM_E* on a storage error. For ACCESS_WRITE,
 * r is the record as it will be written (id 0 for a new one); the stored
 * version of an existing record is checked too, so an editor cannot move a
 * record out of, or into, an account outside the team. r may be NULL for
 * ACCESS_READ and ACCESS_ADMIN. */
int access_check(struct store *st, const char *login, enum access_op op, const struct record *r, char **cause);

/* 1 when login sees sensitive fields (editors and admins), 0 for viewers. */
int access_sees_sensitive(struct store *st, const char *login);
/* Clear the sensitive (FF_SENS) fields of r, for viewers. */
void access_redact(struct record *r);

#endif
