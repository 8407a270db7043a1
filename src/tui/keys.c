/* The keys: section of kam.yaml applied to the action table: a configured
 * action gets the keys given (at most two), other actions lose a default
 * key the config gave elsewhere. A bad entry is reported in the status line
 * and leaves that action's default keys. */
#include "tui_impl.h"

#include <stdlib.h>
#include <string.h>

#include "kam/keymap.h"
#include "kam/util.h"

static int curses_key(const struct keymap_key *k)
{
	static const int codes[] = {
	    [KM_UP] = KEY_UP,     [KM_DOWN] = KEY_DOWN, [KM_LEFT] = KEY_LEFT,  [KM_RIGHT] = KEY_RIGHT,
	    [KM_HOME] = KEY_HOME, [KM_END] = KEY_END,   [KM_PGUP] = KEY_PPAGE, [KM_PGDN] = KEY_NPAGE,
	    [KM_ENTER] = '\n',    [KM_TAB] = '\t',      [KM_BTAB] = KEY_BTAB,  [KM_BACKSPACE] = KEY_BACKSPACE,
	    [KM_DELETE] = KEY_DC, [KM_INSERT] = KEY_IC,
	};
	if (k->named == KM_CHAR)
		return (int)k->ch;
	if (k->named >= KM_F1)
		return KEY_F(k->named - KM_F1 + 1);
	return codes[k->named];
}

static int find_action(const char *name)
{
	for (int a = 0; a < DO__COUNT; a++)
		if (strcmp(tui_actions[a].name, name) == 0)
			return a;
	return -1;
}

/* The first error in the file wins the status line; the rest are counted. */
struct key_errors {
	char *first;
	int line, col;
	int n;
};

static void key_error(struct key_errors *e, const struct conf_mark *m, const char *fmt, const char *a, const char *b)
{
	if (!e->first || m->line < e->line || (m->line == e->line && m->col < e->col)) {
		free(e->first);
		e->line = m->line;
		e->col = m->col;
		char *msg = xasprintf(fmt, a, b ? b : "");
		e->first = xasprintf("%s:%d:%d: error: keys: %s", m->file ? m->file : "kam.yaml", m->line, m->col, msg);
		free(msg);
	}
	e->n++;
}

void tui_keys_load(struct tui *t)
{
	if (!t->cfg)
		return;
	int keys[DO__COUNT][2], given[DO__COUNT];
	memset(keys, 0, sizeof keys);
	memset(given, 0, sizeof given);
	struct key_errors err = {0};
	const char *names[DO__COUNT + 1];
	for (int a = 0; a < DO__COUNT; a++)
		names[a] = tui_actions[a].name;
	names[DO__COUNT] = NULL;
	for (int i = 0; i < t->cfg->keys.n; i++) {
		const struct conf_keybind *kb = CONF_MAP_AT(t->cfg->keys, struct conf_keybind, i);
		/* The built-in file restates the table's defaults: only the
		 * user's entries rebind (and may take a default key). */
		if (kb->keys.mark.file && strcmp(kb->keys.mark.file, "<built-in>") == 0)
			continue;
		char name[64];
		int a = keymap_action_name(kb->head.id, name, sizeof name) == 0 ? find_action(name) : -1;
		if (a < 0) {
			const char *near = nearest_word(name, names);
			key_error(&err, &kb->head.mark,
				  near ? "unknown action '%s' (did you mean %s?)" : "unknown action '%s'%s",
				  kb->head.id, near);
			continue;
		}
		if (kb->keys.n > 2) {
			key_error(&err, &kb->keys.mark, "%s: at most two keys per action%s", kb->head.id, NULL);
			continue;
		}
		int k[2] = {0, 0}, ok = 1;
		for (int j = 0; j < kb->keys.n && ok; j++) {
			struct keymap_key key;
			char *cause = NULL;
			if (keymap_parse_key(kb->keys.v[j], &key, &cause) != 0) {
				key_error(&err, &kb->keys.mark, "%s: %s", kb->head.id, cause);
				ok = 0;
			} else {
				k[j] = curses_key(&key);
			}
			free(cause);
		}
		if (!ok)
			continue;
		/* Two configured actions on one key where both apply. */
		for (int b = 0; b < DO__COUNT && ok; b++) {
			if (!given[b] || b == a || !(tui_actions[a].ctx & tui_actions[b].ctx))
				continue;
			for (int j = 0; j < 2 && ok; j++)
				if (k[j] && (k[j] == keys[b][0] || k[j] == keys[b][1])) {
					key_error(&err, &kb->keys.mark, "%s: key already bound to %s", kb->head.id,
						  tui_actions[b].name);
					ok = 0;
				}
		}
		if (!ok)
			continue;
		given[a] = 1;
		keys[a][0] = k[0] ? k[0] : k[1];
		keys[a][1] = k[0] ? k[1] : 0;
	}
	for (int a = 0; a < DO__COUNT; a++) {
		if (given[a]) {
			tui_actions[a].key = keys[a][0];
			tui_actions[a].key2 = keys[a][1];
			continue;
		}
		/* A key the config gave to another action leaves its default. */
		for (int b = 0; b < DO__COUNT; b++) {
			if (!given[b] || !(tui_actions[a].ctx & tui_actions[b].ctx))
				continue;
			for (int j = 0; j < 2; j++) {
				if (keys[b][j] && tui_actions[a].key2 == keys[b][j])
					tui_actions[a].key2 = 0;
				if (keys[b][j] && tui_actions[a].key == keys[b][j]) {
					tui_actions[a].key = tui_actions[a].key2;
					tui_actions[a].key2 = 0;
				}
			}
		}
	}
	if (err.first) {
		if (err.n > 1)
			tui_message(t, 1, "config: %s (+%d more)", err.first, err.n - 1);
		else
			tui_message(t, 1, "config: %s", err.first);
	}
	free(err.first);
}
