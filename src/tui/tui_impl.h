#ifndef KAM_TUI_IMPL_H
#define KAM_TUI_IMPL_H

/* Private to src/tui: the workstation's state and the functions its files
 * share. The only header of kam that includes <curses.h>. */
#include <curses.h>
#include <stdint.h>
#include <wchar.h>

#include "kam/detail.h"
#include "kam/conf.h"
#include "kam/listmath.h"
#include "kam/navtree.h"
#include "kam/pipeline.h"
#include "kam/store.h"
#include "kam/vlist.h"

#ifndef CTRL
#define CTRL(c) ((c)&0x1f)
#endif

/* Where an action applies: the navigator, the detail pane, the help screen,
 * a global view (all contacts, all opportunities, messages). CTX_ANY =
 * either pane; CTX_LIST and CTX_GLOBAL also work on the help screen and in
 * the global views. */
enum ctx { CTX_NAV = 1, CTX_DETAIL = 2, CTX_HELP = 4, CTX_VIEW = 8, CTX_ANY = 3, CTX_LIST = 15, CTX_GLOBAL = 15 };
/* The Pipeline is a global view (CTX_VIEW) with keys of its own: its
 * actions come before the others in actions.def, so its h/l/H/L win. */
#define CTX_PIPE 16u

#define KAM_ACTION_ENUM(ID, name, key, key2, ctx, args, help) DO_##ID,
#include "actions.def"
enum action_id { KAM_ACTIONS(KAM_ACTION_ENUM) DO__COUNT };
#undef KAM_ACTION_ENUM

struct action {
	const char *name;
	int key, key2;
	unsigned ctx;
	const char *args;
	const char *help;
};
/* Default keys from actions.def, rebound by kam.yaml's keys: (keys.c). */
extern struct action tui_actions[DO__COUNT];

/* A one-line editor over wide characters: moves by character, measures by
 * display width (CJK takes two columns). */
struct lineedit {
	wchar_t *buf;
	int len, cap, pos;
	int scroll; /* first character shown */
};

void le_init(struct lineedit *le, const char *utf8);
void le_free(struct lineedit *le);
char *le_text(const struct lineedit *le); /* UTF-8, caller frees */
/* Apply an editing key; returns 1 if it was an editing key. */
int le_key(struct lineedit *le, int is_keycode, wint_t ch);
/* Draw into [y, x, x+width); returns the screen column of the cursor. */
int le_draw(struct lineedit *le, int y, int x, int width);

/* The one list widget: position math plus what was last drawn, so a cursor
 * move repaints two rows instead of the pane. */
struct list {
	struct listpos pos;
	int drawn_top, drawn_cur, drawn_valid;
	int jump_half; /* scroll by half pages (the list shares its lines) */
};

/* What a list shows: a view supplies these (the vtable of CONVENTIONS 3). */
struct list_ops {
	/* Exactly `width` columns of row i into out (text_fit it). */
	void (*row)(void *ctx, int i, int width, char *out, size_t outsz, int *attr);
	/* Folded text a search matches against. */
	int (*matches)(void *ctx, int i, const char *needle);
};

void list_resize(struct list *l, int n, int height);
/* Draws rows into [y, y+height) x [x, x+width). full: repaint every row. */
void list_draw(struct list *l, const struct list_ops *ops, void *ctx, int y, int x, int width, int full, int focused,
	       int arrow);
/* Search from the row after (or before) the cursor, wrapping. 1 if found. */
int list_search(struct list *l, const struct list_ops *ops, void *ctx, const char *needle, int dir);

struct form;

enum dirty { D_TABS = 1, D_NAV = 2, D_DETAIL = 4, D_STATUS = 8, D_ALL = 15 };

struct tui {
	struct store *st;
	int read_only;
	struct kam_config *cfg;   /* kam.yaml, or the built-in defaults */
	struct score_set *scores; /* YAML rules applied to the data, or NULL */
	int need_scores;          /* scored after the first frame is out */
	int w, h;
	int too_small;
	unsigned dirty;
	int quit;

	struct navtree nav;
	struct list navl;
	struct detail det;
	struct list detl;
	int det_stale;     /* detail must be rebuilt */
	uint64_t det_want; /* the account the detail shows */
	int follow;        /* side by side: the detail follows the cursor */
	int detail_full;   /* one-pane layout: the detail replaces the navigator */
	int focus;         /* 0 navigator, 1 detail */
	int plan_year;
	int arrow; /* compact marker mode */

	int help; /* the help screen is open */
	struct list helpl;
	char **help_lines;
	int nhelp;

	int prompting; /* ':', '/', 'f' or 0 */
	struct lineedit le;
	char *history[32];
	int nhistory, hist_pos;

	char *search; /* folded needle of the last search */
	char *msg;    /* status line message, cleared by the next key */
	int msg_warn;

	struct form *form;
	uint64_t last_txnid;

	/* Global views (views.c): all contacts, all opportunities of the plan
	 * year, the message log; shown full width over the panes. */
	struct vlist gv; /* gv.kind == VLIST_NONE: none open */
	struct list gvl;
	char *msglog[64]; /* the last status messages, oldest first */
	int nmsglog;
	/* The detail follows once input rested follow_delay ms: follow_due is
	 * when (monotonic ms), 0 = nothing pending. */
	int follow_delay;
	int poll_ms; /* idle check for other users' commits */
	long long follow_due;
	/* A filter that did not parse: f offers it again. */
	char *bad_filter;
	char *find; /* the Search view's text */
	/* d asked "delete? y/N" for this account at this version (0 none). */
	uint64_t del_id;
	uint32_t del_version;
	/* The Pipeline view (pipeline_view.c): columns by stage; the cursor is
	 * a column and, per column, a row and the first row shown. */
	int pipe_open;
	struct pipeline pipe;
	int pipe_col, pipe_first;
	int pipe_row[PIPE_MAXCOL], pipe_top[PIPE_MAXCOL];
	/* what was last drawn, so a cursor move repaints two cards */
	int pipe_drawn_valid, pipe_drawn_first, pipe_drawn_col, pipe_drawn_row, pipe_drawn_arrow;
	int pipe_drawn_top[PIPE_MAXCOL];
	/* The planning views (plan_view.c): Budget grouping (vlist_budget_by)
	 * and the group drilled into (NULL: the groups) with the group row to
	 * return to; Today shows everybody's agenda instead of the user's. */
	int budget_by;
	char *budget_drill;
	int budget_row;
	int today_all;
	/* White space scrolled sideways: the first offering column shown, the
	 * rows and head as built (t->gv holds them sliced). */
	int ws_first;
	char **ws_rows;
	char *ws_head;
	int ws_n;
};

/* tui.c */
void tui_message(struct tui *t, int warn, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void tui_reload(struct tui *t);
void tui_run_action(struct tui *t, enum action_id a, const char *arg);
int tui_split(const struct tui *t); /* 1 when navigator and detail are side by side */
unsigned tui_context(const struct tui *t);
const struct record *tui_current_account(const struct tui *t);

/* keys.c */
void tui_keys_load(struct tui *t);

/* draw.c */
void draw_frame(struct tui *t);
void draw_too_small(struct tui *t);
int draw_nav_width(const struct tui *t);
/* Write s fitted to exactly width columns at (y, x). */
void draw_fit(int y, int x, const char *s, int width, enum text_align al, attr_t attr);
/* A line with a left part and a right-aligned part, exactly width columns. */
void draw_lr(int y, int x, const char *left, const char *right, int width, attr_t attr);
extern const struct list_ops nav_list_ops, detail_list_ops, help_list_ops;

/* prompt.c */
void prompt_open(struct tui *t, int kind, const char *initial);
void prompt_key(struct tui *t, int is_keycode, wint_t ch);
void prompt_draw(struct tui *t);

/* help.c */
void help_open(struct tui *t);
void help_close(struct tui *t);

/* form.c */
void form_open(struct tui *t);
void form_open_new(struct tui *t, const struct entity *e, uint64_t acct, int year);
void form_open_add(struct tui *t); /* a: a record of the kind the current list shows */
/* SIGHUP with a form open: its edits go to $XDG_STATE_HOME/kam/drafts/. */
void form_save_draft(struct tui *t);
int form_draft_pending(struct tui *t);
void form_open_draft(struct tui *t); /* :draft */
void form_key(struct tui *t, int is_keycode, wint_t ch);
void form_draw(struct tui *t);
void form_close(struct tui *t);
void form_place_cursor(struct tui *t);

/* pick.c: the pick list of a form field (enum codes, referenced records) */
struct pick;
struct pick *pick_open(struct tui *t, const struct field *f, int height); /* NULL: nothing to pick */
void pick_free(struct pick *p);
/* 1 still open, 0 cancelled, 2 chosen: *out = the value (caller frees). */
int pick_key(struct pick *p, int is_keycode, wint_t ch, char **out);
int pick_draw(struct pick *p, int y, int x, int w, int h, int arrow); /* the filter's cursor column */

/* help.c: "Ctrl-p", "F4", "Enter" ... */
void tui_key_label(int key, char *out, size_t n);

/* edit.c: E, the selected record in $EDITOR as YAML */
void edit_in_editor(struct tui *t);
/* The record the current list shows at its cursor: 0, or 1 while the detail
 * is still being rebuilt (keys typed ahead), -1 when there is none. */
int tui_selected_record(struct tui *t, const struct entity **e, uint64_t *id);
/* After this kam's own write of r: what the screen shows is patched (the
 * account's row, scores, the open view) instead of every account being
 * read again, which takes seconds on a big database; anything else
 * committed meanwhile means a full reload (tui_reload). */
void tui_saved(struct tui *t, const struct record *r);

/* views.c: the global views */
void gview_open(struct tui *t, enum vlist_kind kind);
void gview_reload(struct tui *t); /* rebuild the open view's rows, keep the cursor */
void gview_close(struct tui *t);
void gview_jump(struct tui *t); /* Enter: the row's account in the navigator */
/* Select account acct in the navigator and run sub (a sub-view action) on
 * it in the plan year; the global view or pipeline is closed by the caller. */
void tui_open_account(struct tui *t, uint64_t acct, enum action_id sub);
void gview_log(struct tui *t, const char *msg);
void gview_free(struct tui *t);
/* draw.c: a global view over the full width below the tabs */
void gview_draw(struct tui *t, int full);
extern const struct list_ops gview_list_ops;

/* pipeline_view.c: the Pipeline, full width over the panes */
void pipe_view_open(struct tui *t);
void pipe_view_close(struct tui *t);
void pipe_view_reload(struct tui *t);
/* 1 when the open Pipeline handled action a (else it runs as anywhere). */
int pipe_view_action(struct tui *t, enum action_id a, const char *arg);
void pipe_view_draw(struct tui *t);

/* plan_view.c: Budget, Portfolio, White space (global views) and the
 * user's Today */
int plan_view_build(struct tui *t, enum vlist_kind kind, char **cause); /* into t->gv */
void plan_view_action(struct tui *t, enum action_id a, const char *arg);
int plan_view_jump(struct tui *t); /* 1: Enter drilled into a budget group */
int plan_view_back(struct tui *t); /* 1: q left a budget group for the groups */
void plan_view_free(struct tui *t);

/* theme */
extern attr_t theme_head, theme_warn, theme_cursor, theme_title;

#endif
