/* CSV reader and writer: RFC 4180 edge cases, error positions and
 * resynchronisation, chunk boundaries of the streaming file reader. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "kam/csv.h"
#include "kam/err.h"
#include "kam/util.h"

/* Render every row as "L:C cell|cell" (cells with their line:col when
 * `pos`), errors as "! cause", one per line. */
static void dump_reader(struct csv_reader *r, struct buf *b, int pos)
{
	struct csv_row row;
	int rc;
	char *cause = NULL;

	while ((rc = csv_next(r, &row, &cause)) != 0) {
		if (rc < 0) {
			assert_int_equal(rc, KAM_EINVAL);
			assert_non_null(cause);
			buf_addf(b, "! %s\n", cause);
			free(cause);
			cause = NULL;
			continue;
		}
		assert_null(cause);
		buf_addf(b, "%d:", row.row_line);
		for (int i = 0; i < row.n; i++) {
			if (pos)
				buf_addf(b, "%s%d.%d=%s", i ? "|" : "", row.line[i], row.col[i], row.cells[i]);
			else
				buf_addf(b, "%s%s", i ? "|" : "", row.cells[i]);
		}
		buf_addc(b, '\n');
	}
	/* End of input is sticky. */
	assert_int_equal(csv_next(r, &row, &cause), 0);
}

static char *dump_mem(const char *data, size_t len, int pos)
{
	struct csv_reader *r;
	struct buf b = {0};

	assert_int_equal(csv_open_mem(&r, "t.csv", data, len), 0);
	assert_string_equal(csv_name(r), "t.csv");
	dump_reader(r, &b, pos);
	csv_close(r);
	return buf_steal(&b);
}

static void expect_csv(const char *data, const char *want)
{
	char *got = dump_mem(data, strlen(data), 0);
	assert_string_equal(got, want);
	free(got);
}

static void expect_csv_pos(const char *data, const char *want)
{
	char *got = dump_mem(data, strlen(data), 1);
	assert_string_equal(got, want);
	free(got);
}

static void test_csv_basic(void **state)
{
	expect_csv("a,b,c\n1,2,3\n", "1:a|b|c\n2:1|2|3\n");
	expect_csv("a,b\r\n1,2\r\n", "1:a|b\n2:1|2\n"); /* CRLF */
	expect_csv("a,b\n1,2", "1:a|b\n2:1|2\n");       /* no final newline */
	expect_csv("a,b\r\n1,2\r", "1:a|b\n2:1|2\n");
	expect_csv("a\rb\r", "1:a\n2:b\n");                             /* bare CR line ends */
	expect_csv("", "");                                             /* empty file */
	expect_csv("\xEF\xBB\xBF", "");                                 /* only a BOM */
	expect_csv("\n\r\n\n", "");                                     /* only blank lines */
	expect_csv("\xEF\xBB\xBFname,city\n", "1:name|city\n");         /* BOM skipped */
	expect_csv("a\xEF\xBB\xBF\n", "1:a\xEF\xBB\xBF\n");             /* ...only at the start */
	expect_csv("a,,c,\n,\n", "1:a||c|\n2:|\n");                     /* empty cells */
	expect_csv("a\n\nb\n", "1:a\n3:b\n");                           /* blank line skipped */
	expect_csv(" a , b \n", "1: a | b \n");                         /* spaces are data */
	expect_csv("a,b,c\n1\n1,2,3,4\n", "1:a|b|c\n2:1\n3:1|2|3|4\n"); /* ragged rows */
	expect_csv("客户名称,城市\n华为,深圳\n", "1:客户名称|城市\n2:华为|深圳\n");
	expect_csv("a\tb;c\n", "1:a\tb;c\n");
}

static void test_csv_quotes(void **state)
{
	expect_csv("\"a,b\",c\n", "1:a,b|c\n");
	expect_csv("\"say \"\"hi\"\"\",x\n", "1:say \"hi\"|x\n");
	expect_csv("\"\",\"\"\"\"\n", "1:|\"\n");
	expect_csv("\"line1\nline2\",x\nnext\n", "1:line1\nline2|x\n3:next\n");
	/* CRLF inside quotes is stored as LF; line numbers still advance. */
	expect_csv("\"a\r\nb\r\nc\",d\r\ne\r\n", "1:a\nb\nc|d\n4:e\n");
	expect_csv("\"a\rb\",c\n", "1:a\nb|c\n");
	expect_csv("\"x\"", "1:x\n"); /* quoted cell at EOF */
	expect_csv("\"x\",", "1:x|\n");
	expect_csv("\"\"\n", "1:\n"); /* one empty quoted cell is a row */
	expect_csv("\"中文\",\"ＡＢＣ\"\n", "1:中文|ＡＢＣ\n");
	expect_csv("\"\n\"\n", "1:\n\n"); /* a quoted newline alone is not a blank line */
}

static void test_csv_positions(void **state)
{
	expect_csv_pos("a,bc,d\n", "1:1.1=a|1.3=bc|1.6=d\n");
	/* Columns count code points, not bytes. */
	expect_csv_pos("中文,x,\"é\",y\n", "1:1.1=中文|1.4=x|1.6=é|1.10=y\n");
	expect_csv_pos("\"a\nbb\",c\n", "1:1.1=a\nbb|2.5=c\n");
	expect_csv_pos("\xEF\xBB\xBF"
		       "a,b\n",
		       "1:1.1=a|1.3=b\n");
}

static void test_csv_errors(void **state)
{
	/* Stray quote in an unquoted field: reported, the line dropped, the
	 * following lines still read. */
	expect_csv("a,b\"c,d\nok,1\n",
		   "! t.csv:1:4: error: quote inside an unquoted field (quote the whole field and double the quote)\n"
		   "2:ok|1\n");
	/* Garbage after a closing quote; column in code points. */
	expect_csv("x\n中,\"ab\"c,d\ny\n", "1:x\n"
					   "! t.csv:2:7: error: unexpected character after a closing quote\n"
					   "3:y\n");
	expect_csv("\"ab\" ,c\n", "! t.csv:1:5: error: unexpected character after a closing quote\n");
	/* Unterminated quote: reported at the opening quote, then reading goes
	 * on at the next line, so a stray quote does not hide the rest. */
	expect_csv("h1,h2\na,\"b,c\nd,e\n",
		   "1:h1|h2\n"
		   "! t.csv:2:3: error: unterminated quoted field (no closing quote before the end of the file)\n"
		   "3:d|e\n");
	/* Invalid UTF-8: the position of the bad byte. */
	expect_csv("ab,c\xFF"
		   "d\nok\n",
		   "! t.csv:1:5: error: invalid UTF-8 (byte 0xFF)\n2:ok\n");
	expect_csv("中\xE6\x96,x\n", "! t.csv:1:2: error: invalid UTF-8 (byte 0xE6)\n");
	expect_csv("\"a\nb\xC0\xAF\"\nz\n", "! t.csv:2:2: error: invalid UTF-8 (byte 0xC0)\n3:z\n");
	expect_csv("\xED\xA0\x80\n", "! t.csv:1:1: error: invalid UTF-8 (byte 0xED)\n");   /* surrogate */
	expect_csv("中\xE0\x80\xAF\n", "! t.csv:1:2: error: invalid UTF-8 (byte 0xE0)\n"); /* overlong */
	expect_csv("\"中\xEF\xBF\xBF\xF0\x9F\x98\x80\",\xC3\xA9\n", "1:中\xEF\xBF\xBF\xF0\x9F\x98\x80|\xC3\xA9\n");
	/* Truncated sequence at the very end of the input. */
	expect_csv("ok\nab\xE4\xB8", "1:ok\n! t.csv:2:3: error: invalid UTF-8 (byte 0xE4)\n");
	/* Several errors in one file are all listed, with CRLF line ends. */
	expect_csv("a\"\r\nb\r\nc\"\"\r\n\"d\"x\r\ne\r\n",
		   "! t.csv:1:2: error: quote inside an unquoted field (quote the whole field and double the quote)\n"
		   "2:b\n"
		   "! t.csv:3:2: error: quote inside an unquoted field (quote the whole field and double the quote)\n"
		   "! t.csv:4:4: error: unexpected character after a closing quote\n"
		   "5:e\n");

	/* NUL bytes cannot live in a C string cell. */
	char *got = dump_mem("a\0b\nc\n", 6, 0);
	assert_string_equal(got, "! t.csv:1:2: error: NUL byte in data\n2:c\n");
	free(got);
	/* csv_next without a cause pointer still reports the code. */
	struct csv_reader *r;
	struct csv_row row;
	assert_int_equal(csv_open_mem(&r, "m", "\"x", 2), 0);
	assert_int_equal(csv_next(r, &row, NULL), KAM_EINVAL);
	assert_int_equal(csv_next(r, &row, NULL), 0);
	csv_close(r);
	csv_close(NULL);
}

static void test_csv_mem_not_terminated(void **state)
{
	/* data need not be NUL-terminated: read only len bytes. */
	const char data[] = {'a', ',', 'b', 'X', 'Y'};
	char *got = dump_mem(data, 3, 0);
	assert_string_equal(got, "1:a|b\n");
	free(got);
}

static char *write_temp(const char *data, size_t len)
{
	char tmpl[] = "/tmp/kam_csv_XXXXXX";
	int fd = mkstemp(tmpl);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	return xstrdup(tmpl);
}

static char *dump_file(const char *path)
{
	struct csv_reader *r;
	struct buf b = {0};
	char *cause = NULL;

	assert_int_equal(csv_open(&r, path, &cause), 0);
	assert_string_equal(csv_name(r), path);
	dump_reader(r, &b, 1);
	csv_close(r);
	return buf_steal(&b);
}

static void test_csv_file_open_errors(void **state)
{
	struct csv_reader *r = (void *)1;
	char *cause = NULL;

	assert_int_equal(csv_open(&r, "/nonexistent/x.csv", &cause), KAM_ENOTFOUND);
	assert_null(r);
	assert_string_equal(cause, "/nonexistent/x.csv: No such file or directory");
	free(cause);
	cause = NULL;
	assert_int_equal(csv_open(&r, "/tmp", &cause), KAM_EINVAL);
	assert_string_equal(cause, "/tmp: is a directory");
	free(cause);
}

/* Place a tricky row so that the reader's 1 MiB window ends at every byte
 * inside it: quotes, doubled quotes, CRLF, multi-byte UTF-8 and an error
 * must all come out the same as when the data is read from memory. */
static void test_csv_file_chunk_boundaries(void **state)
{
	static const char tricky[] = "\"a\"\"b\r\n中\",é,\"x\"\r\nz,\"q\"w\r\n𠮷,\xE4\xB8\xAD\r\n\r\n";
	const size_t chunk = 1 << 20;

	for (size_t k = 0; k < sizeof(tricky) + 2; k++) {
		struct buf data = {0};
		size_t target = chunk - k; /* where the tricky part starts */
		while (data.len + 40 < target)
			buf_addf(&data, "%08zu,filler,\"q,uoted\"\n", data.len);
		while (data.len + 1 < target)
			buf_addc(&data, 'p');
		buf_addc(&data, '\n');
		buf_adds(&data, tricky);
		buf_adds(&data, "last,row");
		assert_int_equal(data.len - strlen(tricky) - strlen("last,row"), target);

		char *path = write_temp(data.p, data.len);
		char *from_file = dump_file(path);
		char *from_mem = dump_mem(data.p, data.len, 1);
		/* Names differ (path vs t.csv) only in error lines; compare tails. */
		char *ef = strstr(from_file, ": error: "), *em = strstr(from_mem, ": error: ");
		assert_non_null(ef);
		assert_non_null(em);
		assert_string_equal(ef, em);
		size_t head = (size_t)(strstr(from_mem, "! t.csv") - from_mem);
		assert_memory_equal(from_file, from_mem, head);
		assert_non_null(strstr(from_mem, "=a\"b\n中|"));
		assert_non_null(strstr(from_mem, "=𠮷|"));
		assert_non_null(strstr(from_mem, "=last|"));
		unlink(path);
		free(path);
		free(from_file);
		free(from_mem);
		buf_free(&data);
	}
}

/* "-" reads standard input (here a pipe) and leaves it open. */
static void test_csv_stdin(void **state)
{
	static const char data[] = "\xEF\xBB\xBF"
				   "a,\"b\nc\"\r\n中,x\n";
	int fds[2], saved = dup(STDIN_FILENO);
	struct csv_reader *r;
	struct buf b = {0};
	char *cause = NULL;

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], data, sizeof(data) - 1), (ssize_t)(sizeof(data) - 1));
	close(fds[1]);
	assert_int_equal(dup2(fds[0], STDIN_FILENO), STDIN_FILENO);
	close(fds[0]);
	assert_int_equal(csv_open(&r, "-", &cause), 0);
	assert_string_equal(csv_name(r), "<stdin>");
	dump_reader(r, &b, 1);
	csv_close(r);
	assert_string_equal(b.p, "1:1.1=a|1.3=b\nc\n3:3.1=中|3.3=x\n");
	buf_free(&b);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
}

static void expect_cell(const char *s, int raw, const char *want)
{
	struct buf b = {0};
	csv_write_cell(&b, s, raw);
	assert_string_equal(b.p, want);
	buf_free(&b);
}

static void test_csv_write_cell(void **state)
{
	expect_cell("plain", 0, "plain");
	expect_cell("", 0, "");
	expect_cell("a,b", 0, "\"a,b\"");
	expect_cell("say \"hi\"", 0, "\"say \"\"hi\"\"\"");
	expect_cell("two\nlines", 0, "\"two\nlines\"");
	expect_cell("cr\r", 0, "\"cr\r\"");
	expect_cell(" lead", 0, "\" lead\"");
	expect_cell("trail ", 0, "\"trail \"");
	expect_cell("中文", 0, "中文");
	/* Formula injection. */
	expect_cell("=1+2", 0, "'=1+2");
	expect_cell("+86 10 1234", 0, "'+86 10 1234");
	expect_cell("-5", 0, "'-5");
	expect_cell("@SUM(A1)", 0, "'@SUM(A1)");
	expect_cell("\tx", 0, "\"'\tx\"");
	expect_cell("\rx", 0, "\"'\rx\"");
	expect_cell("=HYPERLINK(\"x\",\"y\")", 0, "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	expect_cell("=1+2", 1, "=1+2");
	expect_cell("-5", 1, "-5");
	expect_cell("a=b", 0, "a=b");

	/* Round trip through the reader. */
	static const char *const cells[] = {"a,b", "q\"q", "x\ny", " s ", "中文", "", "plain"};
	struct buf b = {0};
	for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
		if (i)
			buf_addc(&b, ',');
		csv_write_cell(&b, cells[i], 1);
	}
	buf_addc(&b, '\n');
	char *got = dump_mem(b.p, b.len, 0);
	assert_string_equal(got, "1:a,b|q\"q|x\ny| s |中文||plain\n");
	free(got);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_csv_basic),
	    cmocka_unit_test(test_csv_quotes),
	    cmocka_unit_test(test_csv_positions),
	    cmocka_unit_test(test_csv_errors),
	    cmocka_unit_test(test_csv_mem_not_terminated),
	    cmocka_unit_test(test_csv_file_open_errors),
	    cmocka_unit_test(test_csv_file_chunk_boundaries),
	    cmocka_unit_test(test_csv_stdin),
	    cmocka_unit_test(test_csv_write_cell),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
