#ifndef KAM_ACCESS_H
#define KAM_ACCESS_H

#include <stdint.h>

#include "kam/model.h"
#include "kam/store.h"

/* Users and roles. A Unix login maps to the staff record with that login
 * (staff.login); its staff.role is viewer, editor or admin (unset = viewer,
 * status=left = no access).
 *
 * Bootstrapping: until an active admin is mapped (a staff record with a
 * login, role admin, not left), roles do not hold yet and everybody is admin
 * (an empty database, or staff added or imported before any user was set
 * up). `kam init --admin LOGIN`, `kam user add LOGIN role=admin` or `kam gen`
 * (which makes the login running it an admin) end it; kam then refuses any
 * change that would leave no active admin.
 *
 *   read   everybody mapped (viewers do not see FF_SENS fields)
 *   write  editors: records of accounts they are on the team of (a team
 *          record, account.kam or an account_contact owner_a/owner_b), or
 *          every record when the editor scope is ACCESS_SCOPE_ALL; staff
 *          records are admin work; admins: everything
 *   admin  admins only: config, staff and roles, deletes, imports, restore,
 *          backups, exports with sensitive fields
 *
 * Each call runs its own read txn, which sees the committed state; it also
 * works while the caller holds a write txn (MDB_NOTLS), so the CLI can check
 * the record it is about to write between reading and writing it. */

enum access_op {
	ACCESS_READ,  /* any mapped user (refuses unmapped logins and staff who left) */
	ACCESS_WRITE, /* editors (their teams' accounts) and admins */
	ACCESS_ADMIN, /* admins */
	ACCESS_DELETE /* deleting a record: admins */
};

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

/* *yes = 1 when an active admin is mapped (roles hold), seen from t, so
 * that a staff change can be checked before it is committed. */
int access_has_admin(struct txn *t, int *yes);
/* Make login an active admin in t: its staff record (the active one if
 * several) is promoted, or a new one {name=login, login, role=admin} is
 * inserted. The caller checks that it may (bootstrapping). */
int access_make_admin(struct txn *t, const char *login, uint64_t *staff_id, char **cause);

/* 1 when login sees sensitive fields (editors and admins), 0 for viewers. */
int access_sees_sensitive(struct store *st, const char *login);
/* Clear the sensitive (FF_SENS) fields of r, for viewers. */
void access_redact(struct record *r);
/* One audit line (JSON, as store_audit_scan gives it) as a viewer may see
 * it: sensitive fields of "before" and "after" read "(redacted)", and the
 * command is cut before the first assignment to a sensitive field
 * ("set contact 3 dates=..." -> "set contact 3 (redacted)"). Returns a new
 * string (the line itself when nothing is sensitive); NULL when the line is
 * not a JSON object, which is then better not shown. */
char *access_redact_audit(const char *json);

#endif
