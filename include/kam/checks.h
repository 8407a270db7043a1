#ifndef KAM_CHECKS_H
#define KAM_CHECKS_H

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"

/* KAM planning checks (issue 6 section 2). Every check is one row of the
 * table in src/plan/checks.c: a name, a severity and a one-line description.
 * checks_run scans each entity once into arrays indexed by id and emits the
 * findings; it serves `kam check`, the agenda's count and the TUI Checks view.
 *
 * Tiers for the contact cadence come from the account's flags (strategic ->
 * tier "strategic", key -> "key", otherwise "develop"), not from scoring, so
 * the checks need no rescoring and stay fast. */

enum check_severity { SEV_ERROR, SEV_WARNING, SEV_INFO };

#define KAM_CHECKS(X)                                                                                                  \
	X(CHK_BRAND_NO_OPP, "brand_no_opportunity", SEV_WARNING, "brand activity with no linked opportunity")           \
	X(CHK_BRAND_AFTER_DECISION, "brand_after_decision", SEV_ERROR,                                                  \
	  "brand activity that does not end lead_days before its opportunity's decision")                              \
	X(CHK_BRAND_BUDGET, "brand_budget", SEV_WARNING,                                                                \
	  "brand activity without a budget or whose budget differs from guests x days x cost + fixed")                 \
	X(CHK_AB_OWNERS, "ab_owners", SEV_ERROR, "key contact without A or B owner, A = B, or an owner who has left")   \
	X(CHK_BUYING_ROLES, "buying_roles", SEV_WARNING,                                                                \
	  "open key opportunity without economic, user, technical buyer and coach")                                     \
	X(CHK_CONTACT_CADENCE, "contact_cadence", SEV_WARNING, "key contact not contacted within its cadence")         \
	X(CHK_PRIVATE_VISITS, "private_visits", SEV_INFO, "key account's private-visit ratio below target in the window") \
	X(CHK_EXEC_MEETING, "exec_meeting", SEV_WARNING, "strategic account without an executive meeting in exec_meeting_days") \
	X(CHK_COMPLAINT_SLA, "complaint_sla", SEV_ERROR, "complaint open past its SLA")                                \
	X(CHK_SINGLE_THREADED, "single_threaded", SEV_WARNING, "key account with one contact touched in single_thread_days") \
	X(CHK_OPP_OVERDUE, "opportunity_overdue", SEV_ERROR, "opportunity past its decision date and still open")      \
	X(CHK_TEAM_FUNCTIONS, "team_functions", SEV_WARNING, "team without a required function for its project phase") \
	X(CHK_PLAN_SECTIONS, "plan_sections", SEV_WARNING,                                                              \
	  "key account whose plan of the year misses profile, decision process, value proposition or goals")

#define KAM_CHECK_ENUM(id, name, sev, help) id,
enum check_id { KAM_CHECKS(KAM_CHECK_ENUM) CHK__COUNT };
#undef KAM_CHECK_ENUM

struct check_def {
	const char *name;
	enum check_severity severity;
	const char *help;
};
extern const struct check_def check_defs[CHK__COUNT];
int check_lookup(const char *name); /* id or -1 */
const char *check_severity_name(enum check_severity s);

struct finding {
	enum check_id check;
	enum check_severity severity;
	uint64_t account;          /* account concerned (0: none) */
	int account_key;           /* 2 strategic, 1 key, 0 other: for ordering */
	const struct entity *ent;  /* the record the finding concerns */
	uint64_t id;
	char *name;                /* its display name */
	char *msg;                 /* explanation */
};

struct check_filter {
	uint64_t account; /* 0: all accounts */
	int check;        /* -1: all checks */
	int64_t today;    /* yyyymmdd; 0: date_today() */
};

/* Run the checks in one read txn. Findings are sorted by severity, key
 * accounts first, then check, account and record id. */
int checks_run(struct store *st, const struct kam_config *cfg, const struct check_filter *f, struct finding **out,
	       size_t *n, char **cause);
void checks_free(struct finding *v, size_t n);

#endif
