#ifndef KAM_IO_H
#define KAM_IO_H

#include <stdint.h>
#include <stdio.h>

#include "kam/model.h"
#include "kam/store.h"
#include "kam/util.h"

/* Import and export of records as CSV and JSONL (issue 3 section 5).
 *
 * Import is all or nothing: every file of one command is read in one write
 * txn, in dependency order; any bad cell aborts the txn and every problem is
 * listed as "FILE:LINE:COL: error: message". */

enum io_format { IO_AUTO, IO_CSV, IO_JSONL };

/* "csv" / "jsonl" (also "json") -> format; IO_AUTO for anything else. */
enum io_format io_format_by_name(const char *name);
/* From the file extension (.csv, .jsonl, .json, .ndjson); IO_AUTO if unknown. */
enum io_format io_format_guess(const char *path);

/* --- header and value aliases (src/io/aliases.c) ------------------------- */

/* Columns that are not fields of the entity. */
enum io_col {
	IO_COL_UNKNOWN = -1,
	IO_COL_IGNORE = -2, /* known system column of another CRM, or --map 'H=' */
	IO_COL_ID = -3,     /* kam id */
	IO_COL_VERSION = -4,
	IO_COL_CREATED = -5,
	IO_COL_UPDATED = -6,
	IO_COL_UPDATED_BY = -7,
	IO_COL_EXT_ID = -8,
	IO_COL_FIRST_NAME = -9, /* joined with IO_COL_LAST_NAME into the name */
	IO_COL_LAST_NAME = -10,
	IO_COL_ACCOUNT = -11, /* contact rows: the account the person works at */
	IO_COL_PHONE2 = -12,  /* a second phone column, appended to phone */
	IO_COL_ENTITY = -13   /* JSONL of `export --all`: the record's type */
};

/* Field index of e (>= 0) or an enum io_col for a header: kam's own names,
 * Salesforce, SuiteCRM and Chinese headers. Matching ignores ASCII case,
 * spaces, '_', '-' and '.'. */
int io_alias_column(const struct entity *e, const char *header);
/* Canonical kam name of a column (field name or "id", "ext_id", ...). */
const char *io_column_name(const struct entity *e, int col);
/* Message for an unknown header, with the nearest known name. Caller frees. */
char *io_unknown_column_msg(const struct entity *e, const char *header);
/* The code for an enum value written the way another CRM writes it
 * ("Closed Won", "银行", "Banking"), or NULL when there is no alias. When
 * the alias implies a second field (Closed Won -> status won), *field2 is
 * set to its index and *value2 to its code; otherwise *field2 = -1. */
const char *io_alias_enum(const struct entity *e, int field, const char *value, int *field2, const char **value2);

/* --- import (src/io/import.c) --------------------------------------------- */

enum import_dup { IMPORT_DUP_UPDATE, IMPORT_DUP_SKIP, IMPORT_DUP_ERROR };

#define IMPORT_MAX_LISTED 50 /* errors listed; the rest are counted */

struct import_opts {
	enum import_dup on_dup;
	int dry_run;
	const char *const *maps; /* "Header=field" ("Header=" ignores the column) */
	int nmaps;
};

struct import_file {
	const char *path;
	const struct entity *e; /* NULL: from the file name, or per line in JSONL */
	enum io_format format;  /* IO_AUTO: from the extension, else CSV */
};

struct import_stats {
	uint64_t created[ENT__COUNT];
	uint64_t updated[ENT__COUNT];
	uint64_t skipped[ENT__COUNT];
	uint64_t rows;
	uint64_t nerrors;
	struct buf errors; /* the listed errors, one per line */
};

/* The entity named by a file name: accounts.csv, contact.jsonl,
 * sf_opportunities.csv ... or NULL. */
const struct entity *import_guess_entity(const char *path);
/* Sort files into dependency order (staff, accounts, contacts, links ...). */
void import_sort_files(struct import_file *files, int n);
/* Run the import (files are sorted into dependency order in place).
 * Returns 0 (committed, or nothing written for a dry run),
 * KAM_EINVAL when rows were bad (stats->errors lists them; nothing written),
 * or another KAM_E* with *cause. */
int import_run(struct store *st, struct import_file *files, int nfiles, const struct import_opts *o,
	       struct import_stats *stats, char **cause);
void import_stats_free(struct import_stats *s);

/* --- export (src/io/export.c) --------------------------------------------- */

enum export_flags {
	EXPORT_RAW = 1,       /* no formula-injection quoting in CSV */
	EXPORT_SENSITIVE = 2, /* include sensitive fields */
	EXPORT_TAGGED = 4     /* JSONL: each object starts with "entity" (export --all) */
};

/* Columns of a CSV export: id, version, created, updated, updated_by,
 * ext_id, then the fields in schema order. */
void export_csv_header(const struct entity *e, unsigned flags, struct buf *out);
void export_csv_row(const struct record *r, unsigned flags, struct buf *out);
void export_jsonl_row(const struct record *r, unsigned flags, struct buf *out);
/* Every record of e in id order to out. */
int export_entity(struct txn *t, const struct entity *e, enum io_format fmt, unsigned flags, FILE *out, char **cause);
/* Entities in dependency order (the order `export --all` writes and import
 * reads): fills order[ENT__COUNT] with entity indexes. */
void io_entity_order(int order[ENT__COUNT]);

#endif
