#ifndef KAM_RECORD_YAML_H
#define KAM_RECORD_YAML_H

#include <stddef.h>

#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"

/* One record as flat YAML text, for editing in $EDITOR (the workstation's
 * E): one "field: value" line per field, comments listing an enum field's
 * choices and naming a referenced record. The reader is a small strict
 * parser of exactly this flat subset of YAML (no libyaml outside src/conf):
 * block mappings of scalars, one per line, plain, 'single' or "double"
 * quoted, comments; anything else is an error with its line and column. */

/* Append the text of r to out. t (may be NULL) names referenced records.
 * note (may be NULL) goes first as a "# error: " comment line per line of
 * it. redact: sensitive fields are left out (and so stay unchanged).
 * Computed fields appear as comments only. */
void record_yaml_format(struct txn *t, const struct record *r, const char *note, int redact, struct buf *out);

/* The prefix of a note line. */
#define RECORD_YAML_NOTE "# error: "

/* record_yaml_parse found no field line: the user emptied the file. */
#define RECORD_YAML_EMPTY 1

/* Apply the text (len bytes) to r: each field line sets its field (an empty
 * value, ~ or null clears it); fields not listed keep their value; then
 * record_validate(r). With a txn t (else NULL), references are checked
 * (the ids must exist) and may be given by the exact name of one record. Returns 0, RECORD_YAML_EMPTY, or
 * KAM_EINVAL with *cause = "NAME:LINE:COL: error: message" (1-based, columns
 * in code points; line_offset is added to every line number). On an error r
 * may be partly changed. */
int record_yaml_parse(const char *name, const char *text, size_t len, int line_offset, struct txn *t, struct record *r,
		      char **cause);

/* Bytes of the leading note lines ("# error: ...") of text. */
size_t record_yaml_note_len(const char *text, size_t len);

#endif
