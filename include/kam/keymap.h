#ifndef KAM_KEYMAP_H
#define KAM_KEYMAP_H

#include <stddef.h>
#include <stdint.h>

/* Key bindings as written in kam.yaml's keys: section, curses-free: the
 * TUI maps the named keys to its terminal's key codes.
 *
 * A key is one character ("j", "?", "广" is not allowed: printable ASCII
 * only), "C-x" (Ctrl with a letter), or a name, case-insensitive: Up Down
 * Left Right Home End PgUp PgDn (PageUp PageDown) Enter Tab S-Tab
 * (BTab) Backspace Space Delete Insert F1 ... F12. Esc is not bindable
 * (it always goes back). */

enum keymap_named {
	KM_CHAR, /* ch holds the character (Ctrl applied: C-d is 4) */
	KM_UP,
	KM_DOWN,
	KM_LEFT,
	KM_RIGHT,
	KM_HOME,
	KM_END,
	KM_PGUP,
	KM_PGDN,
	KM_ENTER,
	KM_TAB,
	KM_BTAB,
	KM_BACKSPACE,
	KM_DELETE,
	KM_INSERT,
	KM_F1 /* KM_F1 + n - 1 for Fn, n <= 12 */
};

struct keymap_key {
	int named; /* enum keymap_named, KM_F1 + 11 at most */
	uint32_t ch;
};

/* Parse one key. 0, or KAM_EINVAL with *cause ("unknown key 'Dwn' (did
 * you mean Down?)"). */
int keymap_parse_key(const char *spec, struct keymap_key *out, char **cause);
/* The action name of a keys: entry: the names of the action table are
 * written with '-' (page-down, as at the ':' prompt); '_' is accepted in
 * their place (page_down). Writes the canonical form, lower-case, into
 * out; returns 0, or KAM_EINVAL if it does not fit or is not a name. */
int keymap_action_name(const char *config_name, char *out, size_t outsz);

#endif
