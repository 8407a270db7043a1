#ifndef KAM_ICAL_H
#define KAM_ICAL_H

#include <stdint.h>
#include <stdio.h>

#include "kam/store.h"
#include "kam/util.h"

/* RFC 5545 calendar writer (src/io/ical.c).
 *
 * One VEVENT per activity dated on or after `since` (UID act-<id>@kam) and
 * one per opportunity decision date on or after `since` (UID
 * opp-<id>-decision@kam). since = 0 exports everything. Lines end in CRLF
 * and are folded at 75 octets without splitting a UTF-8 sequence; TEXT
 * values escape backslash, ';', ',' and newlines. Returns 0 or a KAM_E*
 * code with *cause. */
int ical_write_activities(struct store *st, FILE *out, int64_t since_yyyymmdd, char **cause);

/* Building blocks, exported for the tests. */
/* Append TEXT-escaped s (RFC 5545 3.3.11) to out. */
void ical_escape_text(const char *s, struct buf *out);
/* Append one content line (without its CRLF) folded at 75 octets: CRLF +
 * one space before each continuation; never splits a UTF-8 sequence. */
void ical_fold_line(const char *line, struct buf *out);

#endif
