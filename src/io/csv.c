#include "kam/csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kam/err.h"
#include "kam/text.h"
#include "kam/util.h"

/* Streaming RFC 4180 reader.
 *
 * Input sits in one window buf[start..end) that is refilled in large reads.
 * A row is scanned in one go from its first byte; when the window ends in
 * the middle of a row the scan asks for more input and is simply restarted
 * from the row's start after the refill. Rows are tiny next to the window,
 * so restarts are rare and keep the scanner free of resumable state. */

enum { CSV_CHUNK = 1 << 20, CSV_MAX_ROW = 64 << 20 };

enum scan { SCAN_ROW, SCAN_BLANK, SCAN_MORE, SCAN_EOF, SCAN_ERROR };

struct csv_reader {
	char *name;
	int fd; /* -1 when reading from memory */
	int own_fd;
	char *buf;
	size_t cap, start, end;
	int eof;  /* nothing left to read beyond end */
	int line; /* line number of buf[start] (which is a line start) */
	int bom_done;
	int skip_line; /* after an error: discard the rest of the line */
	/* The row being built: cell bytes NUL-separated in `cells`. */
	struct buf cells;
	int n, ncap;
	size_t *off;
	int *lines, *cols;
	char **ptrs;
};

struct scan_err {
	size_t at; /* window offset (from start) where scanning resumes */
	int line, col;
	char *msg;
};

/* Bytes that end the fast copy loops. Everything >= 0x80 is special so
 * that UTF-8 is validated; NUL is special because cells are C strings. */
static unsigned char special_plain[256], special_quoted[256];

static void csv_init_tables(void)
{
	static int done;

	if (done)
		return;
	for (int c = 0x80; c < 256; c++)
		special_plain[c] = special_quoted[c] = 1;
	special_plain[0] = special_quoted[0] = 1;
	special_plain['\n'] = special_quoted['\n'] = 1;
	special_plain['\r'] = special_quoted['\r'] = 1;
	special_plain['"'] = special_quoted['"'] = 1;
	special_plain[','] = 1;
	done = 1;
}

static struct csv_reader *csv_new(const char *name)
{
	struct csv_reader *r = xcalloc(1, sizeof(*r));

	csv_init_tables();
	r->name = xstrdup(name);
	r->fd = -1;
	r->line = 1;
	return r;
}

int csv_open(struct csv_reader **out, const char *path, char **cause)
{
	struct csv_reader *r;
	struct stat st;
	int fd;

	*out = NULL;
	if (strcmp(path, "-") == 0) {
		fd = STDIN_FILENO;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return set_cause(cause, errno == ENOENT ? KAM_ENOTFOUND : KAM_EINVAL, "%s: %s", path,
					 strerror(errno));
		if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
			close(fd);
			return set_cause(cause, KAM_EINVAL, "%s: is a directory", path);
		}
	}
	r = csv_new(strcmp(path, "-") == 0 ? "<stdin>" : path);
	r->fd = fd;
	r->own_fd = fd != STDIN_FILENO;
	r->cap = CSV_CHUNK;
	r->buf = xmalloc(r->cap);
	*out = r;
	return 0;
}

/* The data is copied: the reader must not depend on the caller's buffer. */
int csv_open_mem(struct csv_reader **out, const char *name, const char *data, size_t len)
{
	struct csv_reader *r = csv_new(name);

	r->buf = xmalloc(len + 1);
	if (len)
		memcpy(r->buf, data, len);
	r->cap = len + 1;
	r->end = len;
	r->eof = 1;
	*out = r;
	return 0;
}

const char *csv_name(const struct csv_reader *r)
{
	return r->name;
}

void csv_close(struct csv_reader *r)
{
	if (r == NULL)
		return;
	if (r->own_fd)
		close(r->fd);
	free(r->name);
	free(r->buf);
	buf_free(&r->cells);
	free(r->off);
	free(r->lines);
	free(r->cols);
	free(r->ptrs);
	free(r);
}

/* Move the unconsumed tail to the front and read more behind it. */
static int csv_refill(struct csv_reader *r, char **cause)
{
	ssize_t k;

	if (r->fd < 0 || r->eof) {
		r->eof = 1;
		return 0;
	}
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (r->end == r->cap) {
		r->cap *= 2;
		r->buf = xrealloc(r->buf, r->cap);
	}
	do
		k = read(r->fd, r->buf + r->end, r->cap - r->end);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		int e = errno;

		/* Reported once; the input then ends so that a caller who lists
		 * errors and carries on does not spin on a dead descriptor. */
		r->eof = 1;
		r->start = r->end;
		r->skip_line = 0;
		return set_cause(cause, KAM_ESTORE, "%s: read error: %s", r->name, strerror(e));
	}
	if (k == 0)
		r->eof = 1;
	r->end += (size_t)k;
	return 0;
}

/* Append to the row's cell bytes: the hot path of the reader, so the
 * common case is a capacity check and a memcpy, no call into buf.c. The
 * buffer is NUL-terminated per cell by cell_end, not per append. */
static inline void cell_put(struct csv_reader *r, const void *p, size_t n)
{
	if (r->cells.len + n + 1 > r->cells.cap)
		buf_grow(&r->cells, n + 1);
	memcpy(r->cells.p + r->cells.len, p, n);
	r->cells.len += n;
}

static inline void cell_putc(struct csv_reader *r, char c)
{
	if (r->cells.len + 2 > r->cells.cap)
		buf_grow(&r->cells, 2);
	r->cells.p[r->cells.len++] = c;
}

static void cell_begin(struct csv_reader *r, int line, int col)
{
	if (r->n == r->ncap) {
		r->ncap = r->ncap ? r->ncap * 2 : 16;
		r->off = xrealloc(r->off, (size_t)r->ncap * sizeof(*r->off));
		r->lines = xrealloc(r->lines, (size_t)r->ncap * sizeof(*r->lines));
		r->cols = xrealloc(r->cols, (size_t)r->ncap * sizeof(*r->cols));
		r->ptrs = xrealloc(r->ptrs, (size_t)r->ncap * sizeof(*r->ptrs));
	}
	r->off[r->n] = r->cells.len;
	r->lines[r->n] = line;
	r->cols[r->n] = col;
	r->n++;
}

static enum scan scan_fail(struct scan_err *e, size_t at, int line, int col, char *msg)
{
	e->at = at;
	e->line = line;
	e->col = col;
	e->msg = msg;
	return SCAN_ERROR;
}

/* Extend a run of ordinary bytes from s[i]: stops at a byte marked in
 * `special` other than valid UTF-8, which is included (one column per code
 * point). Returns the run end; *col advances by the code points passed. */
static size_t scan_run(const unsigned char *s, size_t i, size_t n, const unsigned char *special, int *col)
{
	int c = *col;

	for (;;) {
		size_t j = i;
		uint32_t cp;
		int l;

		while (j < n && !special[s[j]])
			j++;
		c += (int)(j - i);
		i = j;
		if (i == n || s[i] < 0x80)
			break;
		/* Inline check for the common 3-byte case (all of CJK): lead E1..EC
		 * or EE..EF cannot be overlong or a surrogate. */
		if (n - i >= 3 && ((s[i] >= 0xE1 && s[i] <= 0xEC) || s[i] >= 0xEE) && s[i] <= 0xEF &&
		    (s[i + 1] & 0xC0) == 0x80 && (s[i + 2] & 0xC0) == 0x80) {
			i += 3;
			c++;
			continue;
		}
		l = utf8_decode((const char *)s + i, n - i, &cp);
		if (l < 0)
			break;
		i += (size_t)l;
		c++;
	}
	*col = c;
	return i;
}

/* A run stopped at a non-ASCII byte s[i]: 0 when the window may end inside
 * a valid sequence (need more input), -1 when the byte is invalid. */
static int scan_utf8_stop(const struct csv_reader *r, const unsigned char *s, size_t i, size_t n)
{
	if (!r->eof && s[i] >= 0xC2 && s[i] <= 0xF4) {
		size_t need = s[i] >= 0xF0 ? 4 : s[i] >= 0xE0 ? 3 : 2, k = i + 1;

		while (k < n && (s[k] & 0xC0) == 0x80)
			k++;
		if (k == n && n - i < need)
			return 0;
	}
	return -1;
}

/* Errors at a byte that cannot start a cell character. */
static enum scan scan_bad_byte(struct scan_err *e, const unsigned char *s, size_t i, int line, int col)
{
	if (s[i] == 0)
		return scan_fail(e, i, line, col, xstrdup("NUL byte in data"));
	return scan_fail(e, i, line, col, xasprintf("invalid UTF-8 (byte 0x%02X)", s[i]));
}

/* Scan one quoted cell starting at the opening quote s[*pi]. On success
 * *pi is just past the closing quote. Line breaks inside the cell are
 * stored as "\n" whatever the file uses, so that cells do not carry CRs. */
static enum scan scan_quoted(struct csv_reader *r, const unsigned char *s, size_t n, size_t *pi, int *pline, int *pcol,
			     struct scan_err *e)
{
	size_t i = *pi + 1, qat = *pi;
	int line = *pline, col = *pcol + 1, qline = *pline, qcol = *pcol;

	for (;;) {
		size_t j = scan_run(s, i, n, special_quoted, &col);

		cell_put(r, s + i, j - i);
		i = j;
		if (i == n) {
			if (!r->eof)
				return SCAN_MORE;
			return scan_fail(
			    e, qat, qline, qcol,
			    xstrdup("unterminated quoted field (no closing quote before the end of the file)"));
		}
		switch (s[i]) {
		case '"':
			if (i + 1 == n && !r->eof)
				return SCAN_MORE;
			if (i + 1 < n && s[i + 1] == '"') {
				cell_putc(r, '"');
				i += 2;
				col += 2;
				continue;
			}
			*pi = i + 1;
			*pline = line;
			*pcol = col + 1;
			return SCAN_ROW;
		case '\r':
			if (i + 1 == n && !r->eof)
				return SCAN_MORE;
			i += i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
			cell_putc(r, '\n');
			line++;
			col = 1;
			continue;
		case '\n':
			cell_putc(r, '\n');
			i++;
			line++;
			col = 1;
			continue;
		}
		if (s[i] >= 0x80 && scan_utf8_stop(r, s, i, n) == 0)
			return SCAN_MORE;
		return scan_bad_byte(e, s, i, line, col);
	}
}

/* Scan an unquoted cell up to (not including) its terminator. */
static enum scan scan_plain(struct csv_reader *r, const unsigned char *s, size_t n, size_t *pi, int line, int *pcol,
			    struct scan_err *e)
{
	size_t i = *pi;
	int col = *pcol;

	for (;;) {
		size_t j = scan_run(s, i, n, special_plain, &col);

		cell_put(r, s + i, j - i);
		i = j;
		if (i == n) {
			if (!r->eof)
				return SCAN_MORE;
			break;
		}
		if (s[i] == ',' || s[i] == '\n' || s[i] == '\r')
			break;
		if (s[i] == '"')
			return scan_fail(
			    e, i, line, col,
			    xstrdup("quote inside an unquoted field (quote the whole field and double the quote)"));
		if (s[i] >= 0x80 && scan_utf8_stop(r, s, i, n) == 0)
			return SCAN_MORE;
		return scan_bad_byte(e, s, i, line, col);
	}
	*pi = i;
	*pcol = col;
	return SCAN_ROW;
}

/* Scan the row at the window start. On SCAN_ROW/SCAN_BLANK *used is the
 * byte count consumed and *next_line the line after it. */
static enum scan scan_row(struct csv_reader *r, size_t *used, int *next_line, struct scan_err *e)
{
	const unsigned char *s = (const unsigned char *)r->buf + r->start;
	size_t n = r->end - r->start, i = 0;
	int line = r->line, col = 1;

	r->n = 0;
	buf_reset(&r->cells);
	if (n == 0)
		return r->eof ? SCAN_EOF : SCAN_MORE;
	if (s[0] == '\n' || s[0] == '\r') {
		if (s[0] == '\r' && n == 1 && !r->eof)
			return SCAN_MORE;
		*used = s[0] == '\r' && n > 1 && s[1] == '\n' ? 2 : 1;
		*next_line = line + 1;
		return SCAN_BLANK;
	}
	for (;;) {
		enum scan rc;

		cell_begin(r, line, col);
		if (i < n && s[i] == '"') {
			rc = scan_quoted(r, s, n, &i, &line, &col, e);
			if (rc == SCAN_ROW && i == n && !r->eof)
				rc = SCAN_MORE;
			if (rc == SCAN_ROW && i < n && s[i] != ',' && s[i] != '\n' && s[i] != '\r')
				return scan_fail(e, i, line, col,
						 xstrdup("unexpected character after a closing quote"));
		} else {
			rc = scan_plain(r, s, n, &i, line, &col, e);
		}
		if (rc != SCAN_ROW)
			return rc;
		cell_putc(r, '\0');
		if (i == n) /* end of input ends the last row */
			break;
		if (s[i] != ',')
			break;
		i++;
		col++;
	}
	if (i < n) {
		if (s[i] == '\r' && i + 1 == n && !r->eof)
			return SCAN_MORE;
		i += s[i] == '\r' && i + 1 < n && s[i + 1] == '\n' ? 2 : 1;
		line++;
	}
	*used = i;
	*next_line = line;
	return SCAN_ROW;
}

/* After an error: drop everything up to and including the next line end. */
static int skip_rest_of_line(struct csv_reader *r, char **cause)
{
	for (;;) {
		const char *s = r->buf + r->start;
		size_t n = r->end - r->start, k = 0;
		int rc;

		while (k < n && s[k] != '\n' && s[k] != '\r')
			k++;
		if (k < n && !(s[k] == '\r' && k + 1 == n && !r->eof)) {
			k += s[k] == '\r' && k + 1 < n && s[k + 1] == '\n' ? 2 : 1;
			r->start += k;
			r->line++;
			r->skip_line = 0;
			return 0;
		}
		if (r->eof) {
			r->start = r->end;
			r->skip_line = 0;
			return 0;
		}
		r->start += k;
		rc = csv_refill(r, cause);
		if (rc < 0)
			return rc;
	}
}

/* The BOM is only looked for at the very start of the input. */
static int skip_bom(struct csv_reader *r, char **cause)
{
	while (r->end - r->start < 3 && !r->eof) {
		int rc = csv_refill(r, cause);
		if (rc < 0)
			return rc;
	}
	if (r->end - r->start >= 3 && memcmp(r->buf + r->start, "\xEF\xBB\xBF", 3) == 0)
		r->start += 3;
	r->bom_done = 1;
	return 0;
}

static void row_fill(struct csv_reader *r, struct csv_row *row, int first_line)
{
	for (int k = 0; k < r->n; k++)
		r->ptrs[k] = r->cells.p + r->off[k];
	row->n = r->n;
	row->cells = r->ptrs;
	row->line = r->lines;
	row->col = r->cols;
	row->row_line = first_line;
}

int csv_next(struct csv_reader *r, struct csv_row *row, char **cause)
{
	int rc;

	if (!r->bom_done && (rc = skip_bom(r, cause)) < 0)
		return rc;
	for (;;) {
		struct scan_err e = {0};
		size_t used = 0;
		int next_line = r->line;

		if (r->skip_line && (rc = skip_rest_of_line(r, cause)) < 0)
			return rc;
		switch (scan_row(r, &used, &next_line, &e)) {
		case SCAN_EOF:
			return 0;
		case SCAN_BLANK:
			r->start += used;
			r->line = next_line;
			continue;
		case SCAN_ROW:
			row_fill(r, row, r->line);
			r->start += used;
			r->line = next_line;
			return 1;
		case SCAN_ERROR:
			rc = set_cause(cause, KAM_EINVAL, "%s:%d:%d: error: %s", r->name, e.line, e.col, e.msg);
			free(e.msg);
			r->start += e.at;
			r->line = e.line;
			r->skip_line = 1;
			return rc;
		case SCAN_MORE:
			if (r->end - r->start >= CSV_MAX_ROW) {
				r->skip_line = 1;
				return set_cause(cause, KAM_EINVAL,
						 "%s:%d:1: error: row longer than %d MiB (unbalanced quote?)", r->name,
						 r->line, CSV_MAX_ROW >> 20);
			}
			if ((rc = csv_refill(r, cause)) < 0)
				return rc;
			continue;
		}
	}
}

/* Spreadsheets run cells that start with these as formulas. */
static int csv_is_formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
}

void csv_write_cell(struct buf *out, const char *s, int raw)
{
	size_t len = strlen(s);
	int prefix = !raw && len > 0 && csv_is_formula_start(s[0]);
	int quote = strpbrk(s, ",\"\r\n") != NULL ||
		    (len > 0 && (s[0] == ' ' || s[0] == '\t' || s[len - 1] == ' ' || s[len - 1] == '\t'));
	const char *q;

	if (!quote) {
		if (prefix)
			buf_addc(out, '\'');
		buf_add(out, s, len);
		return;
	}
	buf_grow(out, len + 4);
	buf_addc(out, '"');
	if (prefix)
		buf_addc(out, '\'');
	while ((q = strchr(s, '"')) != NULL) {
		buf_add(out, s, (size_t)(q - s) + 1);
		buf_addc(out, '"');
		s = q + 1;
	}
	buf_adds(out, s);
	buf_addc(out, '"');
}
