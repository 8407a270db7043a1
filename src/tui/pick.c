/* The pick list of a form field (Ctrl-P / F4): the codes of an enum field,
 * or the records a reference field may point to, filtered as the user
 * types, drawn with the one list widget. */
#include "tui_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/text.h"
#include "kam/util.h"

struct pick {
	char *title;
	char **label; /* shown, sanitised */
	char **value; /* what goes into the field */
	char **fold;  /* what the filter matches */
	int n, cap;
	int *vis; /* indexes of the choices passing the filter */
	int nvis;
	struct lineedit filter;
	struct list l;
};

static void pick_add(struct pick *p, const char *label, const char *value)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 32;
		p->label = xrealloc(p->label, (size_t)p->cap * sizeof *p->label);
		p->value = xrealloc(p->value, (size_t)p->cap * sizeof *p->value);
		p->fold = xrealloc(p->fold, (size_t)p->cap * sizeof *p->fold);
	}
	p->label[p->n] = text_sanitize(label);
	p->value[p->n] = xstrdup(value);
	p->fold[p->n] = text_fold(label);
	p->n++;
}

struct ref_scan {
	struct pick *p;
	int name_field;
};

static int add_ref(const struct record *r, void *arg)
{
	struct ref_scan *s = arg;
	char id[24];
	snprintf(id, sizeof id, "%llu", (unsigned long long)r->id);
	const char *name = s->name_field >= 0 && r->v[s->name_field].s ? r->v[s->name_field].s : "";
	char *label = xasprintf("%-6s %s", id, name);
	pick_add(s->p, label, id);
	free(label);
	return 0;
}

static void pick_filter(struct pick *p)
{
	char *raw = le_text(&p->filter);
	char *needle = text_fold(raw);
	p->nvis = 0;
	for (int i = 0; i < p->n; i++)
		if (!*needle || strstr(p->fold[i], needle))
			p->vis[p->nvis++] = i;
	free(raw);
	free(needle);
	p->l.pos.cur = p->l.pos.top = 0;
	list_resize(&p->l, p->nvis, p->l.pos.height);
}

struct pick *pick_open(struct tui *t, const struct field *f, int height)
{
	const struct entity *e = f->type == FT_REF || f->type == FT_REFS ? field_ref_entity(f) : NULL;
	if (!(f->type == FT_ENUM && f->enums) && f->type != FT_BOOL && !e) {
		tui_message(t, 1, "%s: no choices to pick (Ctrl-P works on enum and reference fields)", f->name);
		return NULL;
	}
	struct pick *p = xcalloc(1, sizeof *p);
	if (e) {
		p->title = xasprintf("%s: pick a%s %s", f->name, strchr("aeiou", e->name[0]) ? "n" : "", e->name);
		struct txn *txn = NULL;
		struct ref_scan s = {p, e->name_field};
		uint64_t mask = e->name_field >= 0 ? FIELD_BIT(e->name_field) : 0;
		int rc = store_begin(t->st, 0, &txn);
		if (!rc)
			rc = store_scan_fields(txn, e, mask, add_ref, &s);
		store_abort(txn);
		if (rc)
			tui_message(t, 1, "%s: cannot read the %s: %s", f->name, e->plural, "storage error");
	} else if (f->type == FT_BOOL) {
		p->title = xasprintf("%s: pick a value", f->name);
		pick_add(p, "true", "true");
		pick_add(p, "false", "false");
	} else {
		p->title = xasprintf("%s: pick a value", f->name);
		for (int k = 0; f->enums[k]; k++)
			pick_add(p, f->enums[k], f->enums[k]);
	}
	p->vis = xcalloc((size_t)p->n + 1, sizeof *p->vis);
	le_init(&p->filter, "");
	p->l.pos.height = height;
	pick_filter(p);
	return p;
}

void pick_free(struct pick *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->n; i++) {
		free(p->label[i]);
		free(p->value[i]);
		free(p->fold[i]);
	}
	free(p->label);
	free(p->value);
	free(p->fold);
	free(p->vis);
	free(p->title);
	le_free(&p->filter);
	free(p);
}

int pick_key(struct pick *p, int is_keycode, wint_t ch, char **out)
{
	*out = NULL;
	struct listpos *pos = &p->l.pos;
	int page = pos->height > 1 ? pos->height : 1;
	if (!is_keycode && ch == 27)
		return 0;
	if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
		if (!p->nvis)
			return 1;
		*out = xstrdup(p->value[p->vis[pos->cur]]);
		return 2;
	}
	if (is_keycode) {
		switch (ch) {
		case KEY_DOWN:
			listpos_move(pos, 1);
			return 1;
		case KEY_UP:
			listpos_move(pos, -1);
			return 1;
		case KEY_NPAGE:
			listpos_scroll(pos, page);
			return 1;
		case KEY_PPAGE:
			listpos_scroll(pos, -page);
			return 1;
		default:
			break;
		}
	} else if (ch == CTRL('n')) {
		listpos_move(pos, 1);
		return 1;
	} else if (ch == CTRL('p')) {
		listpos_move(pos, -1);
		return 1;
	}
	char *before = le_text(&p->filter);
	le_key(&p->filter, is_keycode, ch);
	char *after = le_text(&p->filter);
	if (strcmp(before, after) != 0)
		pick_filter(p);
	free(before);
	free(after);
	return 1;
}

static void pick_row(void *ctx, int i, int width, char *out, size_t outsz, int *attr)
{
	struct pick *p = ctx;
	char *f = text_fit(p->label[p->vis[i]], width, TEXT_LEFT);
	snprintf(out, outsz, "%s", f);
	free(f);
	*attr = 0;
}

static int pick_matches(void *ctx, int i, const char *needle)
{
	struct pick *p = ctx;
	return strstr(p->fold[p->vis[i]], needle) != NULL;
}

static const struct list_ops pick_list_ops = {pick_row, pick_matches};

/* Into [y, y+h) x [x, x+w): title, filter line, the choices. Returns the
 * screen column of the filter's cursor (on row y+1). */
int pick_draw(struct pick *p, int y, int x, int w, int h, int arrow)
{
	char *title = xasprintf("| %s (%d of %d)", p->title, p->nvis, p->n);
	char *f = text_fit(title, w, TEXT_LEFT);
	attrset(theme_head);
	mvaddstr(y, x, f);
	attrset(A_NORMAL);
	free(f);
	free(title);
	mvaddstr(y + 1, x, "| filter: ");
	int cx = le_draw(&p->filter, y + 1, x + 10, w - 10);
	if (p->l.pos.height != h - 2)
		list_resize(&p->l, p->nvis, h - 2);
	for (int r = 0; r < h - 2; r++)
		mvaddch(y + 2 + r, x, '|');
	list_draw(&p->l, &pick_list_ops, p, y + 2, x + 1, w - 1, 1, 1, arrow);
	return cx;
}
