#ifndef KAM_UTIL_H
#define KAM_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Allocation that aborts on out-of-memory: the only abort we allow. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Growable byte buffer, always NUL-terminated after the first add. */
struct buf {
	char *p;
	size_t len;
	size_t cap;
};

void buf_grow(struct buf *b, size_t extra);
void buf_add(struct buf *b, const void *data, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
/* LEB128: 7 bits a byte, low first, high bit = more (record codec, facts). */
void buf_add_varint(struct buf *b, uint64_t v);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_reset(struct buf *b);
char *buf_steal(struct buf *b); /* returns the string, leaves b empty */
void buf_free(struct buf *b);
/* Append the whole file at path (a name, a pipe or a device). 0 on success;
 * -1 with errno set when it cannot be read, or errno EFBIG when it holds
 * more than max bytes. b keeps what was read either way. */
int buf_read_file(struct buf *b, const char *path, size_t max);

/* Set *cause (if cause != NULL and *cause is NULL) to a formatted message
 * and return err, so callers can write `return set_cause(cause, KAM_EINVAL, ...)`. */
int set_cause(char **cause, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Strict integer parsing: whole string consumed, range checked. 0 or KAM_EINVAL. */
int parse_int64(const char *s, int64_t *out);
/* Decimal with up to `scale` fraction digits into a scaled integer
 * ("12.5", 2 -> 1250). Accepts thousands separators "1,234.5". */
int parse_decimal(const char *s, int scale, int64_t *out);
/* "YYYY-MM-DD" (also YYYY/MM/DD, YYYYMMDD) -> yyyymmdd integer; validates the calendar. */
int parse_date(const char *s, int64_t *yyyymmdd);
/* "HH:MM" -> minutes since midnight. */
int parse_time(const char *s, int64_t *minutes);

/* Days since 1970-01-01 for a yyyymmdd date, and back. */
int64_t date_to_days(int64_t yyyymmdd);
int64_t days_to_date(int64_t days);
int64_t date_today(void);           /* local date as yyyymmdd; $KAM_TODAY overrides (tests) */
int date_weekday(int64_t yyyymmdd); /* 0 = Monday */

/* Levenshtein distance, for "did you mean". */
int edit_distance(const char *a, const char *b);
/* The candidate nearest to `word` (NULL-terminated list), or NULL if none is close. */
const char *nearest_word(const char *word, const char *const *candidates);

#endif
