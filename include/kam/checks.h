#ifndef KAM_CHECKS_H
#define KAM_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"

/* KAM planning checks (issue 6 section 2). Every check is one line of
 * kam/checks.def (id, name, one-line description) and one entry under
 * `checks:` in kam.yaml: enabled, severity and its parameters (enum check_id,
 * enum check_severity and struct conf_check are in kam/conf.h). checks_run
 * scans each entity once into arrays indexed by id and emits the findings of
 * the enabled checks; it serves `kam check`, the agenda's count and the TUI
 * Checks view.
 *
 * Tiers for the contact cadence come from the account's flags (strategic ->
 * tier "strategic", key -> "key", otherwise "develop"), not from scoring, so
 * the checks need no rescoring and stay fast. */

struct check_def {
	const char *name;
	const char *help;
};
extern const struct check_def check_defs[CHK__COUNT];
int check_lookup(const char *name); /* id or -1 */
const char *check_severity_name(enum check_severity s);

struct finding {
	enum check_id check;
	enum check_severity severity;
	uint64_t account;         /* account concerned (0: none) */
	int account_key;          /* 2 strategic, 1 key, 0 other: for ordering */
	const struct entity *ent; /* the record the finding concerns */
	uint64_t id;
	char *name; /* its display name */
	char *msg;  /* explanation */
};

struct check_filter {
	uint64_t account; /* 0: all accounts */
	int check;        /* -1: all checks; a disabled check finds nothing */
	int64_t today;    /* yyyymmdd; 0: date_today() */
	uint64_t kam;     /* 0: any; else only the accounts this staff is KAM of */
};

/* Run the enabled checks in one read txn; each finding carries the severity
 * configured for its check. Findings are sorted by severity, key
 * accounts first, then check, account and record id.
 *
 * With an account or a kam in the filter the findings are exactly those of
 * the whole-database run that concern those accounts (finding.account), but
 * only their records are read, through the indexes: the cost follows the
 * accounts asked for, not the size of the database. */
int checks_run(struct store *st, const struct kam_config *cfg, const struct check_filter *f, struct finding **out,
	       size_t *n, char **cause);
void checks_free(struct finding *v, size_t n);

#endif
