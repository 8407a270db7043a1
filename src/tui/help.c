/* The '?' screen, generated from the action table: key, action name (what
 * ':' accepts) and description, for the context it was opened from. */
#include "tui_impl.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kam/text.h"
#include "kam/util.h"

void tui_key_label(int key, char *out, size_t n)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {{KEY_DOWN, "Down"},   {KEY_UP, "Up"},      {KEY_HOME, "Home"},
		     {KEY_END, "End"},     {KEY_NPAGE, "PgDn"}, {KEY_PPAGE, "PgUp"},
		     {KEY_ENTER, "Enter"}, {'\n', "Enter"},     {KEY_BACKSPACE, "Backspace"},
		     {127, "Backspace"},   {KEY_BTAB, "S-Tab"}, {'\t', "Tab"},
		     {' ', "Space"}};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (names[i].key == key) {
			snprintf(out, n, "%s", names[i].name);
			return;
		}
	}
	if (key >= KEY_F(1) && key <= KEY_F(12))
		snprintf(out, n, "F%d", key - KEY_F(0));
	else if (key > 0 && key < 0x20)
		snprintf(out, n, "Ctrl-%c", key + 'a' - 1);
	else if (key > 0x20 && key < 0x7f)
		snprintf(out, n, "%c", key);
	else
		snprintf(out, n, "%s", "");
}

static char *help_line(const struct action *a)
{
	char k1[24], k2[24], keys[52];
	tui_key_label(a->key, k1, sizeof k1);
	tui_key_label(a->key2, k2, sizeof k2);
	if (!a->key)
		snprintf(keys, sizeof keys, "%s", "");
	else if (a->key2 && strcmp(k1, k2) != 0)
		snprintf(keys, sizeof keys, "%s %s", k1, k2);
	else
		snprintf(keys, sizeof keys, "%s", k1);
	char *name = *a->args ? xasprintf(":%s %s", a->name, a->args) : xasprintf(":%s", a->name);
	char *line = xasprintf(" %-15s %-24s %s", keys, name, a->help);
	free(name);
	return line;
}

void help_open(struct tui *t)
{
	unsigned ctx = tui_context(t);
	help_close(t);
	t->help_lines = xcalloc(DO__COUNT, sizeof *t->help_lines);
	for (int a = 0; a < DO__COUNT; a++)
		if (tui_actions[a].ctx & ctx)
			t->help_lines[t->nhelp++] = help_line(&tui_actions[a]);
	t->help = 1;
	t->helpl.pos.cur = t->helpl.pos.top = 0;
	list_resize(&t->helpl, t->nhelp, t->h - 4);
	t->dirty = D_ALL;
}

void help_close(struct tui *t)
{
	for (int i = 0; i < t->nhelp; i++)
		free(t->help_lines[i]);
	free(t->help_lines);
	t->help_lines = NULL;
	t->nhelp = 0;
	if (t->help) {
		t->help = 0;
		t->navl.drawn_valid = t->detl.drawn_valid = t->gvl.drawn_valid = 0;
		t->dirty = D_ALL;
	}
}

static void help_row(void *ctx, int i, int width, char *out, size_t outsz, int *attr)
{
	struct tui *t = ctx;
	char *f = text_fit(t->help_lines[i], width, TEXT_LEFT);
	snprintf(out, outsz, "%s", f);
	free(f);
	*attr = 0;
}

static int help_matches(void *ctx, int i, const char *needle)
{
	struct tui *t = ctx;
	char *f = text_fold(t->help_lines[i]);
	int hit = strstr(f, needle) != NULL;
	free(f);
	return hit;
}

const struct list_ops help_list_ops = {help_row, help_matches};
