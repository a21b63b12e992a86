/* evtime.c: civil date arithmetic for 14-digit record timestamps (see
 * evtime.h). Days-from-civil after Howard Hinnant's public-domain algorithm:
 * exact for every Gregorian date, no tables, no time zone. */
#include "jobs/common/evtime.h"

int64_t evtime_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void evtime_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int days_in_month(int y, int m)
{
	static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i] - '0';
		if (c > 9)
			return -1;
		v = v * 10 + (int)c;
	}
	*out = v;
	return 0;
}

static int parse_date(const char *s, int64_t *days)
{
	int y, m, d;
	if (digits(s, 4, &y) || digits(s + 4, 2, &m) || digits(s + 6, 2, &d))
		return -1;
	if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, m))
		return -1;
	*days = evtime_days_from_civil(y, m, d);
	return 0;
}

int evtime_parse8(const char *s, int64_t *days)
{
	return parse_date(s, days);
}

int evtime_parse14(const char *s, int64_t *secs)
{
	int64_t days;
	int hh, mi, ss;
	if (parse_date(s, &days) || digits(s + 8, 2, &hh) || digits(s + 10, 2, &mi) || digits(s + 12, 2, &ss))
		return -1;
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	*secs = days * 86400 + hh * 3600 + mi * 60 + ss;
	return 0;
}

static void put(char *b, int v, int n)
{
	for (int i = n - 1; i >= 0; i--) {
		b[i] = (char)('0' + v % 10);
		v /= 10;
	}
}

void evtime_format8(int64_t secs, char *buf)
{
	int y, m, d;
	evtime_civil_from_days(evtime_floor_div(secs, 86400), &y, &m, &d);
	put(buf, y, 4);
	put(buf + 4, m, 2);
	put(buf + 6, d, 2);
	buf[8] = 0;
}

void evtime_format14(int64_t secs, char *buf)
{
	int64_t sod = secs - evtime_floor_div(secs, 86400) * 86400;
	evtime_format8(secs, buf);
	put(buf + 8, (int)(sod / 3600), 2);
	put(buf + 10, (int)(sod / 60 % 60), 2);
	put(buf + 12, (int)(sod % 60), 2);
	buf[14] = 0;
}
