#ifndef KAM_PIPELINE_H
#define KAM_PIPELINE_H

#include <stddef.h>
#include <stdint.h>

#include "kam/conf.h"
#include "kam/store.h"

/* The Pipeline view of the workstation (kanban): one column per open sales
 * stage (every stage of the opp_stage enumeration but `closed`, in pipeline
 * order, labelled by kam.yaml), holding the open opportunities of a plan
 * year as one-line cards. Curses-free: the TUI (src/tui/pipeline_view.c)
 * draws what the layout functions below compute. */

#define PIPE_MAXCOL 16

struct pipe_card {
	uint64_t id, acct;
	uint32_t version; /* the record version the card was read at */
	char *text;       /* "account short name / title", sanitised */
	int64_t amount;   /* cents; 0 when unset */
	int has_amount;
	int prob; /* effective probability: the record's, else the stage default */
};

struct pipe_col {
	const char *stage; /* code, borrowed from kam_enum_opp_stage */
	char *label;       /* configured label in the configured language */
	int def_prob;      /* the stage's default win probability */
	struct pipe_card *cards;
	int n;
	int64_t total, weighted; /* cents */
};

struct pipeline {
	int year;
	struct pipe_col cols[PIPE_MAXCOL];
	int ncols;
	int hidden; /* opportunities of the year with no open stage (unset, closed) */
};

/* Build from one read txn: the open opportunities (status unset or open) of
 * `year`, cards in each column by decision date, then id. */
int pipeline_load(struct pipeline *p, struct store *st, const struct kam_config *cfg, int year, char **cause);
void pipeline_free(struct pipeline *p);
/* Column and row of opportunity id; 0 if found, -1 if not. */
int pipeline_find(const struct pipeline *p, uint64_t id, int *col, int *row);

/* --- layout (pure) ------------------------------------------------------------ */

#define PIPE_COL_MIN 22 /* narrowest column: marker, 12 columns of text, amount */

/* How many columns fit in width (at least 1, at most ncols), each colw wide,
 * separated by one '|'. */
void pipeline_fit(int width, int ncols, int *shown, int *colw);
/* The first column shown so that column cur is visible, moving first as
 * little as possible from its previous value. */
int pipeline_scroll(int first, int shown, int ncols, int cur);
/* A card into exactly colw columns (marker cell first, left blank): text
 * fitted by display width, amount right-aligned; never a wide character in
 * the last cell. out holds colw*4+1 bytes. */
void pipeline_card_line(const struct pipe_card *c, int colw, char *out, size_t outsz);
/* The two header lines of a column into exactly colw columns each:
 * "[label]  count" (brackets when current) and "total  w weighted". */
void pipeline_head_lines(const struct pipe_col *c, int colw, int current, char *l1, char *l2, size_t outsz);
/* "< lead, qualify | commit >" naming the columns left and right of the
 * shown ones, or "all N stages"; caller frees. */
char *pipeline_offscreen(const struct pipeline *p, int first, int shown);

/* --- moving a card ---------------------------------------------------------------- */

/* Move opportunity id to the previous (dir -1) or next (dir +1) open stage
 * in one write txn, only if the record is still at `version` (else
 * KAM_ECONFLICT, cause "changed by WHO meanwhile: r reloads") and login may
 * write it (access_check, KAM_EINVAL). The probability follows the new
 * stage's default only when it equalled the old stage's default. On success
 * *to is the new stage code (borrowed). KAM_EINVAL when there is no stage in
 * that direction. */
int pipeline_move(struct store *st, const struct kam_config *cfg, uint64_t id, uint32_t version, int dir,
		  const char **to, char **cause);

#endif
