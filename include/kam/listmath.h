#ifndef KAM_LISTMATH_H
#define KAM_LISTMATH_H

/* Cursor and scroll arithmetic of the one list widget, free of curses so it
 * can be unit-tested. A list has n rows, a viewport of `height` rows starting
 * at row `top`, a cursor row `cur` and a scroll-off margin: the cursor stays
 * at least `scrolloff` rows away from the viewport edges unless the list
 * ends there (vim's 'scrolloff'). An empty list has cur = top = 0. */
struct listpos {
	int n;
	int cur;
	int top;
	int height;
	int scrolloff;
	int jump; /* scroll at least this many rows at a time (vim 'scrolljump');
		   * 0 or 1: one. Where a scroll repaints the whole pane, a
		   * jump of half a page makes it rare. */
};

/* Clamp cur into [0, n-1] and make top keep cur visible with scroll-off.
 * Called after every change of n, height or cur. */
void listpos_fix(struct listpos *p);
/* Move the cursor by delta rows (clamped at the ends, no wrap). */
void listpos_move(struct listpos *p, int delta);
/* g / G */
void listpos_home(struct listpos *p);
void listpos_end(struct listpos *p);
/* Ctrl-d / Ctrl-u: half a page; PgDn / PgUp: a page. The viewport scrolls
 * with the cursor so the cursor keeps its screen row where possible. */
void listpos_scroll(struct listpos *p, int delta);
/* Put the cursor on row i (e.g. a search hit); scrolls minimally. */
void listpos_set(struct listpos *p, int i);
/* Screen row (0-based within the viewport) of list row i, or -1 if hidden. */
int listpos_row(const struct listpos *p, int i);

#endif
