#ifndef KAM_CONF_H
#define KAM_CONF_H

#include <stddef.h>
#include <stdint.h>

#include "kam/checks.def"
#include "kam/model.h"

/* kam.yaml: the typed configuration. Loaded with the libyaml event API
 * through descriptor tables (src/conf/); only src/conf includes <yaml.h>.
 *
 * Discovery: --config FILE > $KAM_CONFIG > $XDG_CONFIG_HOME/kam/kam.yaml >
 * /etc/kam/kam.yaml > built-in. The built-in defaults are the text of
 * config/kam.yaml compiled in; a user file overrides only what it names
 * (mappings merge key by key, sequences and scalars replace). */

struct expr; /* compiled rule expression, kam/expr.h */

/* Where a value came from, for errors reported after the whole file is read. */
struct conf_mark {
	const char *file; /* borrowed from the config's file list */
	int line;         /* 1-based */
	int col;          /* 1-based, code points */
};

/* Every keyed item (criterion, tier, label ...) starts with this head. */
struct conf_item {
	char *id;
	struct conf_mark mark;
	uint64_t set; /* bit i: field i of the item's descriptor table was given */
};

/* A mapping of id -> item, in first-seen order. items is an array of
 * item_size-byte structs that start with struct conf_item. */
struct conf_map {
	void *items;
	int n;
	int cap;
};
#define CONF_MAP_AT(map, type, i) (&((type *)(map).items)[i])

struct conf_strlist {
	char **v;
	int n;
	struct conf_mark mark; /* where the list was given */
};

/* A compiled expression with its text and position. */
struct conf_expr {
	struct expr *e;
	char *src;
	struct conf_mark mark;
};

/* Labels of an enumeration value ("enumerations:" section). */
struct conf_label {
	struct conf_item head;
	char *en;
	char *zh;
	int brand;       /* activity_type: a brand (company-organised) activity */
	int64_t cost;    /* activity_type: default cost per guest-day, cents */
	int probability; /* opp_stage: default win probability, percent */
};

enum score_method { METHOD_THRESHOLDS, METHOD_LINEAR, METHOD_BOOLEAN };
enum value_format { VFMT_AUTO, VFMT_MONEY, VFMT_NUMBER, VFMT_PERCENT, VFMT_DAYS, VFMT_TEXT };

struct conf_step {
	double at;      /* metric value >= at ... */
	double percent; /* ... earns this percent of the weight */
};

struct criterion {
	struct conf_item head;
	char *en;
	char *zh;
	double weight;
	struct conf_expr metric;
	enum score_method method;
	struct conf_step *steps; /* thresholds, highest first after load */
	int nsteps;
	double low, high; /* linear: 0% at low, 100% at high (low > high inverts) */
	char *explain;    /* template: {value} {points} {weight} {label} {percent} */
	enum value_format format;
};

struct tier {
	struct conf_item head;
	char *en;
	char *zh;
	double min; /* lowest score of the tier */
};

/* The four quadrant codes are fixed; their labels are configured. */
enum quadrant { QUAD_STRATEGIC, QUAD_BIG, QUAD_POTENTIAL, QUAD_TRANSACTIONAL, QUAD__COUNT };
extern const char *const conf_quadrant_codes[]; /* NULL-terminated */

struct conf_cadence { /* contact cadence in days by decision role, per tier */
	struct conf_item head;
	int role_days[16]; /* index: kam_enum_decision_role; 0 = use dflt */
	int dflt;
};

/* The planning checks (kam/checks.def; the checks are src/plan/checks.c). */
#define KAM_CHECK_ENUM(id, name, help) id,
enum check_id { KAM_CHECKS(KAM_CHECK_ENUM) CHK__COUNT };
#undef KAM_CHECK_ENUM
enum check_severity { SEV_ERROR, SEV_WARNING, SEV_INFO }; /* "error", "warning", "info" */

struct conf_check { /* checks.NAME.enabled / .severity */
	int enabled;
	int severity; /* enum check_severity */
};

struct conf_keybind {
	struct conf_item head; /* id = action name */
	struct conf_strlist keys;
};

struct conf_colour {
	struct conf_item head; /* id = screen element */
	char *spec;            /* "fg bg [bold] [reverse] [underline]" */
};

struct conf_columns {
	struct conf_item head; /* id = view */
	struct conf_strlist cols;
};

struct kam_config {
	/* settings */
	int plan_year; /* 0: the current calendar year */
	char *currency;
	int lang; /* 0 en, 1 zh */

	/* enumerations: one label map per KAM_ENUMS entry, same order */
	struct conf_map enums[32];

	struct conf_map criteria; /* struct criterion */
	struct conf_map tiers;    /* struct tier, sorted by min descending after load */

	struct {
		struct conf_strlist x, y; /* criterion ids */
		double x_split, y_split;  /* percent at which a group counts as high */
		struct conf_map labels;   /* struct conf_label keyed by quadrant code */
	} quadrant;

	struct {
		int a, b, c; /* cumulative revenue share cut-offs, percent, sum 100 */
	} abc;

	struct {
		int score_weight;     /* percent of the relative value from the score */
		int revenue_weight;   /* ... and from revenue */
		int visit_hours;      /* visit hours a year to share out */
		int64_t brand_budget; /* brand-activity budget a year, cents */
	} allocation;

	/* "checks:" has one entry per check name; the parameters are kept
	 * here flat (kam.yaml key in brackets). */
	struct {
		struct conf_check state[CHK__COUNT]; /* by enum check_id */
		int lead_days;                       /* [brand_after_decision.lead_days] */
		int private_visit_ratio;             /* [private_visits.ratio] percent */
		int private_visit_window;            /* [private_visits.window] days; also the metrics' window */
		int exec_meeting_days;               /* [exec_meeting.days] */
		int single_thread_days;              /* [single_threaded.days] */
		int complaint_sla[8];                /* [complaint_sla.days] by kam_enum_severity */
		struct conf_map cadence;             /* [contact_cadence.cadence] struct conf_cadence by tier id */
	} checks;

	struct {
		int editor_scope; /* 0 team: editors change their teams' accounts; 1 all */
	} access;

	struct conf_map keys;    /* struct conf_keybind */
	struct conf_map colours; /* struct conf_colour */
	struct conf_map columns; /* struct conf_columns */

	/* files read, in order ("<built-in>" first) */
	struct conf_strlist files;
	uint64_t rules_hash; /* hash of everything that changes scores */
};

/* Load the effective configuration: built-in defaults, then the discovered
 * or given file. On errors returns KAM_EINVAL with *cause holding every
 * error of the file (FILE:LINE:COL: error: ..., source line, caret) and
 * still sets *out to the built-in defaults, so callers can fall back.
 * path: --config value or NULL for discovery. */
int conf_load(const char *path, struct kam_config **out, char **cause);
/* Built-in defaults only. */
int conf_load_defaults(struct kam_config **out, char **cause);
/* Defaults overlaid with one file's text (name used in messages); the
 * building block of conf_load, also for tests and `rules diff`. */
int conf_load_text(const char *name, const char *text, size_t len, struct kam_config **out, char **cause);
int conf_load_file(const char *file, struct kam_config **out, char **cause);
void conf_free(struct kam_config *cfg);
/* The file discovery would read (NULL: built-in only). Caller frees. */
char *conf_discover(const char *path);

/* Lookups. */
const struct criterion *conf_criterion(const struct kam_config *cfg, const char *id);
const struct tier *conf_tier(const struct kam_config *cfg, const char *id);
const struct conf_label *conf_label(const struct kam_config *cfg, int enum_no, const char *code);
/* Labels of a code of one of the model's enumerations (kam_enum_*), or NULL. */
const struct conf_label *conf_enum_value(const struct kam_config *cfg, const char *const *enum_list, const char *code);
/* Label of an enum code in the configured language, or the code itself. */
const char *conf_enum_label(const struct kam_config *cfg, const char *const *enum_list, const char *code);
int conf_plan_year(const struct kam_config *cfg); /* plan_year or the current year */
/* Keys bound to an action (NULL when the config does not name it). */
const struct conf_strlist *conf_keys(const struct kam_config *cfg, const char *action);
const char *conf_colour(const struct kam_config *cfg, const char *element);
const struct conf_strlist *conf_columns(const struct kam_config *cfg, const char *view);

/* Effective configuration as YAML (kam config show). */
void conf_dump(const struct kam_config *cfg, struct buf *out);
/* Set one value by dotted path as `kam score --what-if` does:
 * "product_fit.weight=30", "criteria.product_fit.weight=30", "tiers.key=65",
 * "tiers.key.min=65", "abc.a=70". Recomputes rules_hash. */
int conf_set(struct kam_config *cfg, const char *assignment, char **cause);

/* The compiled-in text of config/kam.yaml. */
extern const char conf_default_yaml[];
extern const size_t conf_default_yaml_len;

#endif
