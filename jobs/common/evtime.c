/* evtime.c: the 14-digit record timestamps (see evtime.h), on the calendar
 * arithmetic of lib/civil.h. */
#include "jobs/common/evtime.h"

#include "lib/civil.h"

int evtime_parse8(const char *s, int64_t *days)
{
	int y, m, d;
	if (civil_scan_date(s, CIVIL_COMPACT, &y, &m, &d) == NULL)
		return -1;
	*days = civil_to_days(y, m, d);
	return 0;
}

int evtime_parse14(const char *s, int64_t *secs)
{
	int64_t days;
	int hh, mi, ss;
	if (evtime_parse8(s, &days) || !civil_digits(s + 8, 2, &hh) || !civil_digits(s + 10, 2, &mi) ||
	    !civil_digits(s + 12, 2, &ss))
		return -1;
	if (hh > 23 || mi > 59 || ss > 59)
		return -1;
	*secs = days * 86400 + hh * 3600 + mi * 60 + ss;
	return 0;
}

void evtime_format8(int64_t secs, char *buf)
{
	civil_format_compact(civil_floor_div(secs, 86400), buf);
}

void evtime_format14(int64_t secs, char *buf)
{
	int64_t sod = secs - civil_floor_div(secs, 86400) * 86400;
	evtime_format8(secs, buf);
	civil_put_digits(buf + 8, sod / 3600, 2);
	civil_put_digits(buf + 10, sod / 60 % 60, 2);
	civil_put_digits(buf + 12, sod % 60, 2);
	buf[14] = 0;
}
