#include "kam/util.h"

#include <stdint.h>
#include <string.h>

#include "kam/err.h"

/* All parsers here are strict: the whole string must be consumed, no
 * surrounding white space, and overflow is an error rather than a wrap. */

/* Accumulate one decimal digit into *acc (magnitude kept as unsigned so
 * that INT64_MIN is reachable); 0 on success, -1 past limit. */
static int acc_digit(uint64_t *acc, int digit, uint64_t limit)
{
	if (*acc > (limit - (uint64_t)digit) / 10)
		return -1;
	*acc = *acc * 10 + (uint64_t)digit;
	return 0;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Apply the sign to a magnitude already checked against `limit`. */
static int64_t apply_sign(uint64_t mag, int neg)
{
	if (neg)
		return mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)mag;
	return (int64_t)mag;
}

int parse_int64(const char *s, int64_t *out)
{
	uint64_t mag = 0, limit;
	int neg = 0;

	if (s == NULL)
		return KAM_EINVAL;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if (!is_digit(*s))
		return KAM_EINVAL;
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; is_digit(*s); s++)
		if (acc_digit(&mag, *s - '0', limit) < 0)
			return KAM_EINVAL;
	if (*s != '\0')
		return KAM_EINVAL;
	*out = apply_sign(mag, neg);
	return 0;
}

/* Integer part with optional thousands separators: either plain digits or
 * 1-3 digits followed by groups of ",ddd". Returns the number of bytes
 * consumed (0 = no digits), or -1 on a malformed grouping / overflow. */
static int parse_int_part(const char *s, uint64_t *mag, uint64_t limit)
{
	const char *p = s;
	int lead = 0;

	while (is_digit(*p)) {
		if (acc_digit(mag, *p - '0', limit) < 0)
			return -1;
		p++;
		lead++;
	}
	if (*p != ',')
		return (int)(p - s);
	if (lead == 0 || lead > 3)
		return -1;
	while (*p == ',') {
		p++;
		for (int i = 0; i < 3; i++, p++) {
			if (!is_digit(*p) || acc_digit(mag, *p - '0', limit) < 0)
				return -1;
		}
	}
	if (is_digit(*p))
		return -1; /* "1,2345" */
	return (int)(p - s);
}

int parse_decimal(const char *s, int scale, int64_t *out)
{
	uint64_t mag = 0, limit;
	int neg = 0, n, frac = 0;

	if (s == NULL || scale < 0 || scale > 18)
		return KAM_EINVAL;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	limit = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	n = parse_int_part(s, &mag, limit);
	if (n < 0)
		return KAM_EINVAL;
	s += n;
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return KAM_EINVAL; /* "12." or "." */
		for (; is_digit(*s); s++, frac++) {
			if (frac >= scale || acc_digit(&mag, *s - '0', limit) < 0)
				return KAM_EINVAL;
		}
	} else if (n == 0) {
		return KAM_EINVAL;
	}
	if (*s != '\0')
		return KAM_EINVAL;
	for (; frac < scale; frac++)
		if (acc_digit(&mag, 0, limit) < 0)
			return KAM_EINVAL;
	*out = apply_sign(mag, neg);
	return 0;
}

int parse_time(const char *s, int64_t *minutes)
{
	int h = 0, m, nh = 0;

	if (s == NULL)
		return KAM_EINVAL;
	while (is_digit(s[nh]) && nh < 2)
		h = h * 10 + (s[nh++] - '0');
	if (nh == 0 || s[nh] != ':' || !is_digit(s[nh + 1]) || !is_digit(s[nh + 2]) || s[nh + 3] != '\0')
		return KAM_EINVAL;
	m = (s[nh + 1] - '0') * 10 + (s[nh + 2] - '0');
	if (h > 23 || m > 59)
		return KAM_EINVAL;
	*minutes = h * 60 + m;
	return 0;
}
