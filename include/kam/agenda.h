#ifndef KAM_AGENDA_H
#define KAM_AGENDA_H

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"

/* The day (issue 6 section 5): what a KAM should look at today, in sections,
 * key accounts first. Serves `kam agenda` and the TUI Today view. */

enum agenda_section {
	AG_ACTIVITY, /* planned activities today and in the coming week */
	AG_OVERDUE,  /* key contacts overdue for their cadence */
	AG_DECISION, /* open opportunities with a decision within `days` */
	AG_CONFIRM,  /* brand activities still planned (not confirmed) within `days` */
	AG_DATE,     /* personal dates of key contacts in the coming week */
	AG_ACTION,   /* open plan actions due within `days` (or overdue) */
	AG__COUNT
};
extern const char *const agenda_section_titles[AG__COUNT];

struct agenda_item {
	enum agenda_section section;
	int64_t date; /* yyyymmdd the item is about (0: none) */
	int tier;     /* account: 2 strategic, 1 key, 0 other */
	uint64_t account;
	const struct entity *ent;
	uint64_t id;
	char *account_name;
	char *what;   /* the record's name */
	char *detail; /* one line: type, status, amount, cadence ... */
};

struct agenda_opts {
	int days;       /* horizon for decisions, confirmations and actions */
	uint64_t staff; /* 0: everybody; else that staff's accounts (kam) and items */
	int64_t today;  /* yyyymmdd; 0: date_today() */
};

struct agenda {
	struct agenda_item *items; /* sorted by section, then importance */
	size_t n;
	size_t findings, errors; /* kam check findings in scope */
};

int agenda_build(struct store *st, const struct kam_config *cfg, const struct agenda_opts *o, struct agenda *out,
		 char **cause);
void agenda_free(struct agenda *a);

#endif
