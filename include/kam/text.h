#ifndef KAM_TEXT_H
#define KAM_TEXT_H

#include <stddef.h>
#include <stdint.h>

/* Display-width aware text. Every column on screen and in tables goes
 * through text_fit(); never size by bytes or characters. */

/* Decode one UTF-8 code point at s (n bytes available). Returns the byte
 * length (1..4) and stores the code point, or returns -1 for invalid input. */
int utf8_decode(const char *s, size_t n, uint32_t *cp);
/* 1 if all n bytes are valid UTF-8; otherwise 0 and *bad = offset of the first bad byte. */
int utf8_valid(const char *s, size_t n, size_t *bad);
/* Columns of one code point: 0 (combining, control), 1 or 2 (East Asian wide/fullwidth). */
int cp_width(uint32_t cp);
/* Display width of a UTF-8 string (invalid bytes count 1, control chars 1 as they are shown as '?'). */
int text_width(const char *s);

enum text_align { TEXT_LEFT, TEXT_RIGHT };
/* A new string of exactly `width` columns: s truncated with a '~' marker when
 * it does not fit (a space pads where a wide character would be split), padded
 * with spaces otherwise. Control characters become '?'. */
char *text_fit(const char *s, int width, enum text_align align);
/* Same, appended to a caller buffer; returns bytes written. out must hold
 * width*4+1 bytes. */
size_t text_fit_into(char *out, const char *s, int width, enum text_align align);

/* A copy with control characters and escape sequences made harmless ('?'),
 * invalid UTF-8 replaced by '?'. Safe to write to a terminal. */
char *text_sanitize(const char *s);

/* Search key: full-width ASCII to half-width, ideographic space to space,
 * ASCII lower-case, runs of white space to one space, trimmed. */
char *text_fold(const char *s);
/* Identity key for matching account names across sources: text_fold plus
 * removal of spaces and punctuation and of common legal suffixes
 * (有限公司, 股份有限公司, 有限责任公司, 集团有限公司 keeps 集团, Co., Ltd., Inc., Corp., LLC, GmbH ...). */
char *text_name_key(const char *s);

#endif
