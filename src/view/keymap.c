/* Key bindings from kam.yaml (see kam/keymap.h). */
#include "kam/keymap.h"

#include <string.h>
#include <strings.h>

#include "kam/err.h"
#include "kam/util.h"

static const struct {
	const char *name;
	int named;
	uint32_t ch;
} key_names[] = {
    {"Up", KM_UP, 0},         {"Down", KM_DOWN, 0},     {"Left", KM_LEFT, 0},           {"Right", KM_RIGHT, 0},
    {"Home", KM_HOME, 0},     {"End", KM_END, 0},       {"PgUp", KM_PGUP, 0},           {"PageUp", KM_PGUP, 0},
    {"PgDn", KM_PGDN, 0},     {"PageDown", KM_PGDN, 0}, {"Enter", KM_ENTER, 0},         {"Tab", KM_TAB, 0},
    {"S-Tab", KM_BTAB, 0},    {"BTab", KM_BTAB, 0},     {"Backspace", KM_BACKSPACE, 0}, {"Space", KM_CHAR, ' '},
    {"Delete", KM_DELETE, 0}, {"Insert", KM_INSERT, 0},
};
#define NKEYNAMES (int)(sizeof key_names / sizeof key_names[0])

int keymap_parse_key(const char *spec, struct keymap_key *out, char **cause)
{
	memset(out, 0, sizeof *out);
	if (!spec || !*spec)
		return set_cause(cause, KAM_EINVAL, "empty key");
	size_t n = strlen(spec);
	if (n == 1) {
		unsigned char c = (unsigned char)spec[0];
		if (c <= ' ' || c >= 127)
			return set_cause(cause, KAM_EINVAL, "key '%s' is not a printable character (Space, Tab ...)",
					 spec);
		out->named = KM_CHAR;
		out->ch = c;
		return 0;
	}
	if (n == 3 && (spec[0] == 'C' || spec[0] == 'c') && spec[1] == '-') {
		char c = spec[2];
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
			out->named = KM_CHAR;
			out->ch = (uint32_t)(c & 0x1f);
			/* Ctrl-C quits, Ctrl-Z suspends, Ctrl-M and Ctrl-I are Enter and Tab. */
			if (out->ch == 3 || out->ch == 26 || out->ch == 13 || out->ch == 9)
				return set_cause(cause, KAM_EINVAL, "key '%s' is reserved", spec);
			return 0;
		}
		return set_cause(cause, KAM_EINVAL, "key '%s': C- takes a letter (C-d)", spec);
	}
	if ((spec[0] == 'F' || spec[0] == 'f') && n <= 3) {
		int64_t f;
		if (parse_int64(spec + 1, &f) == 0 && f >= 1 && f <= 12) {
			out->named = KM_F1 + (int)f - 1;
			return 0;
		}
	}
	for (int i = 0; i < NKEYNAMES; i++) {
		if (strcasecmp(spec, key_names[i].name) == 0) {
			out->named = key_names[i].named;
			out->ch = key_names[i].ch;
			return 0;
		}
	}
	if (strcasecmp(spec, "Esc") == 0 || strcasecmp(spec, "Escape") == 0)
		return set_cause(cause, KAM_EINVAL, "key '%s' is reserved (it always goes back)", spec);
	const char *cands[NKEYNAMES + 1];
	for (int i = 0; i < NKEYNAMES; i++)
		cands[i] = key_names[i].name;
	cands[NKEYNAMES] = NULL;
	const char *near = nearest_word(spec, cands);
	if (near)
		return set_cause(cause, KAM_EINVAL, "unknown key '%s' (did you mean %s?)", spec, near);
	return set_cause(cause, KAM_EINVAL,
			 "unknown key '%s' (a character, C-x, F1-F12, Up Down Left Right Home End PgUp PgDn "
			 "Enter Tab S-Tab Backspace Space Delete Insert)",
			 spec);
}

int keymap_action_name(const char *config_name, char *out, size_t outsz)
{
	size_t n = config_name ? strlen(config_name) : 0;
	if (n == 0 || n >= outsz)
		return KAM_EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = config_name[i];
		if (c == '_')
			c = '-';
		else if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
			return KAM_EINVAL;
		out[i] = c;
	}
	out[n] = '\0';
	return 0;
}
