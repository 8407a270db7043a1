#include "kam/util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kam/err.h"

static int is_leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int64_t y, int m)
{
	static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* n decimal digits at s, or -1. */
static int64_t take_digits(const char *s, int n)
{
	int64_t v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int parse_date(const char *s, int64_t *yyyymmdd)
{
	int64_t y, m, d;
	size_t len;

	if (s == NULL)
		return KAM_EINVAL;
	len = strlen(s);
	y = take_digits(s, 4);
	if (y < 0)
		return KAM_EINVAL;
	if (len == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4]) {
		m = take_digits(s + 5, 2);
		d = take_digits(s + 8, 2);
	} else if (len == 8) {
		m = take_digits(s + 4, 2);
		d = take_digits(s + 6, 2);
	} else {
		return KAM_EINVAL;
	}
	if (y < 1 || m < 1 || m > 12 || d < 1 || d > days_in_month(y, (int)m))
		return KAM_EINVAL;
	*yyyymmdd = y * 10000 + m * 100 + d;
	return 0;
}

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian
 * calendar, no tables, no time_t (so no 2038 or time zone surprises). */
int64_t date_to_days(int64_t yyyymmdd)
{
	int64_t y = yyyymmdd / 10000, m = yyyymmdd / 100 % 100, d = yyyymmdd % 100;
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

int64_t days_to_date(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	int64_t d = doy - (153 * mp + 2) / 5 + 1;
	int64_t m = mp < 10 ? mp + 3 : mp - 9;
	int64_t y = yoe + era * 400 + (m <= 2);

	return y * 10000 + m * 100 + d;
}

int64_t date_today(void)
{
	const char *env = getenv("KAM_TODAY");
	int64_t d;
	time_t now;
	struct tm tm;

	/* Tests pin "today" so that golden output does not depend on the clock;
	 * a malformed value is ignored rather than silently meaning 0. */
	if (env != NULL && *env != '\0' && parse_date(env, &d) == 0)
		return d;
	now = time(NULL);
	if (localtime_r(&now, &tm) == NULL)
		return 19700101;
	return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int date_weekday(int64_t yyyymmdd)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int64_t w = (date_to_days(yyyymmdd) + 3) % 7;

	return (int)(w < 0 ? w + 7 : w);
}
