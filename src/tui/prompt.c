/* The line editor and the prompts on the status line: ':' runs an action
 * by name (with Tab completion and history), '/' searches, 'f' filters. */
#include "tui_impl.h"

#include <stdlib.h>
#include <string.h>

#include "kam/text.h"
#include "kam/util.h"

/* --- line editor ---------------------------------------------------------------- */

static void le_reserve(struct lineedit *le, int n)
{
	if (n + 1 > le->cap) {
		le->cap = (n + 1) * 2;
		le->buf = xrealloc(le->buf, (size_t)le->cap * sizeof *le->buf);
	}
}

void le_init(struct lineedit *le, const char *utf8)
{
	le->len = le->pos = le->scroll = 0;
	le_reserve(le, 16);
	const char *s = utf8 ? utf8 : "";
	size_t n = strlen(s);
	while (n) {
		uint32_t cp;
		int k = utf8_decode(s, n, &cp);
		if (k <= 0) {
			cp = '?';
			k = 1;
		}
		le_reserve(le, le->len + 1);
		le->buf[le->len++] = (wchar_t)cp;
		s += k;
		n -= (size_t)k;
	}
	le->buf[le->len] = 0;
	le->pos = le->len;
}

void le_free(struct lineedit *le)
{
	free(le->buf);
	memset(le, 0, sizeof *le);
}

static void utf8_put(struct buf *b, uint32_t cp)
{
	char o[4];
	int n;
	if (cp < 0x80) {
		o[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		o[0] = (char)(0xc0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		o[0] = (char)(0xe0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		o[0] = (char)(0xf0 | cp >> 18);
		o[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		o[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		o[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_add(b, o, (size_t)n);
}

char *le_text(const struct lineedit *le)
{
	struct buf b = {0};
	buf_adds(&b, "");
	for (int i = 0; i < le->len; i++)
		utf8_put(&b, (uint32_t)le->buf[i]);
	return buf_steal(&b);
}

static int wc_cols(wchar_t c)
{
	int w = cp_width((uint32_t)c);
	return w > 0 ? w : 1; /* controls are shown as '?' */
}

int le_key(struct lineedit *le, int is_keycode, wint_t ch)
{
	if (is_keycode) {
		switch (ch) {
		case KEY_LEFT:
			if (le->pos > 0)
				le->pos--;
			return 1;
		case KEY_RIGHT:
			if (le->pos < le->len)
				le->pos++;
			return 1;
		case KEY_HOME:
			le->pos = 0;
			return 1;
		case KEY_END:
			le->pos = le->len;
			return 1;
		case KEY_BACKSPACE:
			break;
		case KEY_DC:
			if (le->pos < le->len) {
				memmove(&le->buf[le->pos], &le->buf[le->pos + 1],
					(size_t)(le->len - le->pos) * sizeof(wchar_t));
				le->len--;
			}
			return 1;
		default:
			return 0;
		}
	}
	if ((is_keycode && ch == KEY_BACKSPACE) || (!is_keycode && (ch == 127 || ch == 8))) {
		if (le->pos > 0) {
			memmove(&le->buf[le->pos - 1], &le->buf[le->pos],
				(size_t)(le->len - le->pos + 1) * sizeof(wchar_t));
			le->pos--;
			le->len--;
		}
		return 1;
	}
	switch (ch) {
	case CTRL('a'):
		le->pos = 0;
		return 1;
	case CTRL('e'):
		le->pos = le->len;
		return 1;
	case CTRL('b'):
		if (le->pos > 0)
			le->pos--;
		return 1;
	case CTRL('f'):
		if (le->pos < le->len)
			le->pos++;
		return 1;
	case CTRL('u'):
		memmove(le->buf, &le->buf[le->pos], (size_t)(le->len - le->pos + 1) * sizeof(wchar_t));
		le->len -= le->pos;
		le->pos = 0;
		return 1;
	case CTRL('k'):
		le->len = le->pos;
		le->buf[le->len] = 0;
		return 1;
	default:
		break;
	}
	if (ch < 0x20 || ch == 0x7f || (ch >= 0x80 && ch < 0xa0))
		return 0; /* other control keys are the caller's */
	le_reserve(le, le->len + 1);
	memmove(&le->buf[le->pos + 1], &le->buf[le->pos], (size_t)(le->len - le->pos + 1) * sizeof(wchar_t));
	le->buf[le->pos++] = (wchar_t)ch;
	le->len++;
	return 1;
}

int le_draw(struct lineedit *le, int y, int x, int width)
{
	if (width < 2)
		return x;
	/* Scroll horizontally by characters so the cursor stays visible, with
	 * room for the cursor cell itself. */
	if (le->scroll > le->pos)
		le->scroll = le->pos;
	for (;;) {
		int cols = 0;
		for (int i = le->scroll; i < le->pos; i++)
			cols += wc_cols(le->buf[i]);
		if (cols < width - 1 || le->scroll >= le->pos)
			break;
		le->scroll++;
	}
	struct buf b = {0};
	int cols = 0, cursor = x;
	buf_adds(&b, "");
	for (int i = le->scroll; i <= le->len; i++) {
		if (i == le->pos)
			cursor = x + cols;
		if (i == le->len)
			break;
		int w = wc_cols(le->buf[i]);
		if (cols + w > width)
			break; /* never half a wide character at the edge */
		uint32_t c = (uint32_t)le->buf[i];
		utf8_put(&b, cp_width(c) < 0 || c < 0x20 ? '?' : c);
		cols += w;
	}
	char *f = text_fit(b.p, width, TEXT_LEFT);
	mvaddstr(y, x, f);
	free(f);
	buf_free(&b);
	return cursor;
}

/* --- prompts ------------------------------------------------------------------------ */

void prompt_open(struct tui *t, int kind, const char *initial)
{
	t->prompting = kind;
	le_init(&t->le, initial);
	t->hist_pos = t->nhistory;
	t->dirty |= D_STATUS;
}

static void prompt_close(struct tui *t)
{
	t->prompting = 0;
	curs_set(0);
	t->dirty |= D_STATUS;
}

static void history_add(struct tui *t, const char *line)
{
	if (!*line || (t->nhistory && strcmp(t->history[t->nhistory - 1], line) == 0))
		return;
	if (t->nhistory == (int)(sizeof t->history / sizeof t->history[0])) {
		free(t->history[0]);
		memmove(t->history, t->history + 1, (size_t)(t->nhistory - 1) * sizeof *t->history);
		t->nhistory--;
	}
	t->history[t->nhistory++] = xstrdup(line);
}

/* ":name args" -> the action of that name. */
static void run_command(struct tui *t, char *line)
{
	char *s = line;
	while (*s == ' ')
		s++;
	if (!*s)
		return;
	char *arg = strchr(s, ' ');
	if (arg) {
		*arg++ = '\0';
		while (*arg == ' ')
			arg++;
		if (!*arg)
			arg = NULL;
	}
	for (int a = 0; a < DO__COUNT; a++) {
		if (strcmp(tui_actions[a].name, s) == 0) {
			tui_run_action(t, (enum action_id)a, arg);
			return;
		}
	}
	const char *names[DO__COUNT + 1];
	for (int a = 0; a < DO__COUNT; a++)
		names[a] = tui_actions[a].name;
	names[DO__COUNT] = NULL;
	const char *near = nearest_word(s, names);
	if (near)
		tui_message(t, 1, "unknown command: %s (did you mean %s?)", s, near);
	else
		tui_message(t, 1, "unknown command: %s (? lists them)", s);
}

/* Tab: complete the action name before the first blank. */
static void complete(struct tui *t)
{
	char *text = le_text(&t->le);
	if (strchr(text, ' ')) {
		free(text);
		return;
	}
	size_t n = strlen(text);
	const char *hit = NULL;
	int count = 0;
	for (int a = 0; a < DO__COUNT; a++) {
		if (strncmp(tui_actions[a].name, text, n) == 0) {
			hit = tui_actions[a].name;
			count++;
		}
	}
	if (count == 1) {
		char *full = xasprintf("%s ", hit);
		le_init(&t->le, full);
		free(full);
	} else if (count > 1) {
		struct buf b = {0};
		for (int a = 0; a < DO__COUNT; a++)
			if (strncmp(tui_actions[a].name, text, n) == 0)
				buf_addf(&b, "%s ", tui_actions[a].name);
		tui_message(t, 0, "%s", b.p);
		buf_free(&b);
	}
	free(text);
}

static void history_move(struct tui *t, int dir)
{
	int p = t->hist_pos + dir;
	if (p < 0 || p > t->nhistory)
		return;
	t->hist_pos = p;
	le_init(&t->le, p == t->nhistory ? "" : t->history[p]);
}

static void prompt_submit(struct tui *t)
{
	char *text = le_text(&t->le);
	int kind = t->prompting;
	prompt_close(t);
	if (kind == ':') {
		history_add(t, text);
		run_command(t, text);
	} else if (kind == '/') {
		if (*text)
			tui_run_action(t, DO_SEARCH, text);
	} else if (kind == 'f') {
		tui_run_action(t, DO_FILTER, text);
	}
	free(text);
}

void prompt_key(struct tui *t, int is_keycode, wint_t ch)
{
	t->dirty |= D_STATUS;
	if (!is_keycode && ch == 27) {
		prompt_close(t);
		return;
	}
	if ((!is_keycode && (ch == '\r' || ch == '\n')) || (is_keycode && ch == KEY_ENTER)) {
		prompt_submit(t);
		return;
	}
	if (t->prompting == ':' && !is_keycode && ch == '\t') {
		complete(t);
		return;
	}
	if (t->prompting == ':' && is_keycode && (ch == KEY_UP || ch == KEY_DOWN)) {
		history_move(t, ch == KEY_UP ? -1 : 1);
		return;
	}
	/* Backspace on an empty line leaves the prompt, as in vim. */
	int bs = (is_keycode && ch == KEY_BACKSPACE) || (!is_keycode && (ch == 127 || ch == 8));
	if (bs && t->le.len == 0) {
		prompt_close(t);
		return;
	}
	le_key(&t->le, is_keycode, ch);
}

void prompt_draw(struct tui *t)
{
	const char *label = t->prompting == 'f' ? "filter: " : t->prompting == '/' ? "/" : ":";
	int lw = text_width(label);
	mvaddstr(t->h - 1, 0, label);
	int cx = le_draw(&t->le, t->h - 1, lw, t->w - 1 - lw);
	move(t->h - 1, cx);
	curs_set(1);
}
