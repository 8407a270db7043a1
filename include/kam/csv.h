#ifndef KAM_CSV_H
#define KAM_CSV_H

#include <stddef.h>

#include "kam/util.h"

/* RFC 4180 CSV: UTF-8 with or without BOM, quoted fields with embedded
 * quotes, commas and newlines, CRLF or LF. Errors are reported as
 * "FILE:LINE:COL: error: message" (1-based; columns in code points). */

struct csv_row {
	int n;        /* cells in this row */
	char **cells; /* owned by the reader, valid until the next csv_next() */
	int *line;    /* line of each cell's first character */
	int *col;     /* column of each cell's first character */
	int row_line; /* line where the row starts */
};

struct csv_reader;

int csv_open(struct csv_reader **out, const char *path, char **cause);
/* Read from memory; `name` is used in messages. data need not be NUL-terminated. */
int csv_open_mem(struct csv_reader **out, const char *name, const char *data, size_t len);
/* 1 = a row, 0 = end of input, KAM_EINVAL = malformed (cause set; the reader
 * resynchronises at the next line so that all errors can be listed). A
 * blank line is skipped. Bad UTF-8 is an error at its position. */
int csv_next(struct csv_reader *r, struct csv_row *row, char **cause);
const char *csv_name(const struct csv_reader *r);
void csv_close(struct csv_reader *r);

/* Append one cell, quoted when needed. Unless raw, a cell starting with
 * = + - @ TAB or CR gets a leading ' (formula injection). */
void csv_write_cell(struct buf *out, const char *s, int raw);

#endif
