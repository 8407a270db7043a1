/* The one list widget: cursor, scroll-off, paging, search and row drawing
 * for every list on screen (navigator, detail, help). */
#include "tui_impl.h"

#include <string.h>

#define SCROLLOFF 2

void list_resize(struct list *l, int n, int height)
{
	l->pos.n = n;
	l->pos.height = height;
	l->pos.scrolloff = SCROLLOFF;
	/* Side by side a scroll repaints the whole pane (see layout()): scroll
	 * half a page at a time so it happens rarely. Full-width lists scroll
	 * by hardware, one row at a time. */
	l->pos.jump = l->jump_half ? height / 2 : 0;
	listpos_fix(&l->pos);
	l->drawn_valid = 0;
}

static void draw_row(struct list *l, const struct list_ops *ops, void *ctx, int i, int y, int x, int width, int focused,
		     int arrow)
{
	char buf[4096];
	int attr = 0;
	move(y, x);
	if (i >= l->pos.n) {
		/* Below the end: blank the row so nothing stale remains. */
		for (int c = 0; c < width; c++)
			addch(' ');
		return;
	}
	int cur = focused && i == l->pos.cur;
	int w = width - 1 < (int)(sizeof buf / 4) - 1 ? width - 1 : (int)(sizeof buf / 4) - 1;
	ops->row(ctx, i, w, buf, sizeof buf, &attr);
	/* Column 0 is the marker: '>' in arrow mode; with the highlight the
	 * whole row is reversed instead. focused: 1 has the keyboard, 2 shows
	 * its cursor as a marker only (the other pane has the keyboard), 0 none. */
	if (cur && !arrow && focused == 1)
		attr |= (int)theme_cursor;
	attrset((attr_t)attr);
	addch(cur && (arrow || focused == 2) ? '>' : ' ');
	addstr(buf);
	attrset(A_NORMAL);
}

void list_draw(struct list *l, const struct list_ops *ops, void *ctx, int y, int x, int width, int full, int focused,
	       int arrow)
{
	struct listpos *p = &l->pos;
	if (!full && l->drawn_valid && l->drawn_top == p->top) {
		/* Only the cursor moved: repaint the two rows it touched. */
		if (l->drawn_cur != p->cur) {
			int r = listpos_row(p, l->drawn_cur);
			if (r >= 0)
				draw_row(l, ops, ctx, l->drawn_cur, y + r, x, width, focused, arrow);
		}
		draw_row(l, ops, ctx, p->cur, y + (p->cur - p->top), x, width, focused, arrow);
	} else {
		for (int r = 0; r < p->height; r++)
			draw_row(l, ops, ctx, p->top + r, y + r, x, width, focused, arrow);
	}
	l->drawn_top = p->top;
	l->drawn_cur = p->cur;
	l->drawn_valid = 1;
}

int list_search(struct list *l, const struct list_ops *ops, void *ctx, const char *needle, int dir)
{
	int n = l->pos.n;
	if (!needle || !*needle || n == 0)
		return 0;
	for (int k = 1; k <= n; k++) {
		int i = ((l->pos.cur + dir * k) % n + n) % n;
		if (ops->matches(ctx, i, needle)) {
			listpos_set(&l->pos, i);
			return 1;
		}
	}
	return 0;
}
