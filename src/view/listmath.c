/* Cursor and scroll arithmetic of the list widget (see kam/listmath.h). */
#include "kam/listmath.h"

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The scroll-off margin actually usable: at most half the viewport, so the
 * cursor can always be placed. */
static int effective_scrolloff(const struct listpos *p)
{
	int so = p->scrolloff < 0 ? 0 : p->scrolloff;
	int half = (p->height - 1) / 2;
	return so > half ? half : so;
}

void listpos_fix(struct listpos *p)
{
	if (p->height < 1)
		p->height = 1;
	if (p->n <= 0) {
		p->n = 0;
		p->cur = p->top = 0;
		return;
	}
	p->cur = clamp(p->cur, 0, p->n - 1);
	int so = effective_scrolloff(p);
	int jump = p->jump < 1 ? 1 : p->jump > p->height / 2 ? (p->height / 2 > 0 ? p->height / 2 : 1) : p->jump;
	if (p->cur - so < p->top) {
		int need = p->top - (p->cur - so);
		p->top -= need > jump ? need : jump;
	}
	if (p->cur + so > p->top + p->height - 1) {
		int need = p->cur + so - (p->top + p->height - 1);
		p->top += need > jump ? need : jump;
	}
	/* Never leave blank rows below the end when the list could fill them. */
	int maxtop = p->n > p->height ? p->n - p->height : 0;
	p->top = clamp(p->top, 0, maxtop);
}

void listpos_move(struct listpos *p, int delta)
{
	p->cur += delta;
	listpos_fix(p);
}

void listpos_home(struct listpos *p)
{
	p->cur = 0;
	listpos_fix(p);
}

void listpos_end(struct listpos *p)
{
	p->cur = p->n - 1;
	listpos_fix(p);
}

void listpos_scroll(struct listpos *p, int delta)
{
	int maxtop = p->n > p->height ? p->n - p->height : 0;
	int newtop = clamp(p->top + delta, 0, maxtop);
	p->top = newtop;
	/* The cursor always moves the full distance; where the viewport could
	 * not (at the ends) it simply moves within it. */
	p->cur += delta;
	listpos_fix(p);
}

void listpos_set(struct listpos *p, int i)
{
	p->cur = i;
	listpos_fix(p);
}

int listpos_row(const struct listpos *p, int i)
{
	if (i < p->top || i >= p->top + p->height || i >= p->n)
		return -1;
	return i - p->top;
}
