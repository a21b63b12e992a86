/* civil.c: see civil.h. The conversions are H. Hinnant's public-domain
 * algorithms (chrono-compatible low-level date algorithms): 400-year eras of
 * 146097 days, years starting on March 1 so the leap day is the last. */
#include "lib/civil.h"

#include <stddef.h>

int64_t civil_to_days(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

bool civil_is_leap(int64_t y)
{
	return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

int civil_days_in_month(int64_t y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && civil_is_leap(y) ? 29 : dim[m - 1];
}

int civil_iso_weekday(int64_t days)
{
	/* 1970-01-01 was a Thursday (4). */
	int64_t w = (days + 3) % 7;
	if (w < 0)
		w += 7;
	return (int)w + 1;
}

void civil_iso_week(int64_t days, int64_t *iso_year, int *week)
{
	int64_t y;
	int m, d;
	int64_t thu = days - civil_iso_weekday(days) + 4;	/* the week's Thursday decides */
	civil_from_days(thu, &y, &m, &d);
	*iso_year = y;
	*week = (int)((thu - civil_to_days(y, 1, 1)) / 7) + 1;
}

int64_t civil_iso_week_monday(int64_t iso_year, int week)
{
	int64_t jan4 = civil_to_days(iso_year, 1, 4);	/* always in week 1 */
	return jan4 - (civil_iso_weekday(jan4) - 1) + (int64_t)(week - 1) * 7;
}

bool civil_digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - (unsigned)'0';
		if (c > 9)
			return false;
		v = v * 10 + (int)c;
	}
	*out = v;
	return true;
}

const char *civil_scan_date(const char *s, unsigned forms, int *y, int *m, int *d)
{
	if (s == NULL || !civil_digits(s, 4, y))
		return NULL;
	const char *p;
	if ((forms & CIVIL_DASHED) && s[4] == '-') {
		if (!civil_digits(s + 5, 2, m) || s[7] != '-' || !civil_digits(s + 8, 2, d))
			return NULL;
		p = s + 10;
	} else if (forms & CIVIL_COMPACT) {
		if (!civil_digits(s + 4, 2, m) || !civil_digits(s + 6, 2, d))
			return NULL;
		p = s + 8;
	} else {
		return NULL;
	}
	if (*m < 1 || *m > 12 || *d < 1 || *d > civil_days_in_month(*y, *m))
		return NULL;
	return p;
}

void civil_put_digits(char *out, int64_t v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		out[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void civil_format_compact(int64_t days, char out[9])
{
	int64_t y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	civil_put_digits(out, y, 4);
	civil_put_digits(out + 4, m, 2);
	civil_put_digits(out + 6, d, 2);
	out[8] = '\0';
}
