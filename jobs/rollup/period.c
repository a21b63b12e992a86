/* period.c: ISO weeks, months and years as day numbers, on the civil-date
 * arithmetic of lib/civil.c, so no time zone or libc calendar is
 * involved (see period.h). */
#include "jobs/rollup/period.h"

#include "lib/civil.h"

#include <stdio.h>
#include <string.h>

/* The calendar arithmetic itself lives once, in lib/civil.c. */
int64_t period_days_from_civil(int y, int m, int d)
{
	return civil_to_days(y, m, d);
}

void period_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t yy;
	civil_from_days(z, &yy, m, d);
	*y = (int)yy;
}

int period_iso_weekday(int64_t days)
{
	return civil_iso_weekday(days);
}

int64_t period_iso_week_monday(int iso_year, int week)
{
	return civil_iso_week_monday(iso_year, week);
}

void period_iso_week(int64_t days, int *iso_year, int *week)
{
	int64_t y;
	civil_iso_week(days, &y, week);
	*iso_year = (int)y;
}

int period_weeks_in_year(int iso_year)
{
	int y, w;
	period_iso_week(period_days_from_civil(iso_year, 12, 28), &y, &w);
	return w;
}

void period_format_date(int64_t days, char buf[9])
{
	int y, m, d;
	period_civil_from_days(days, &y, &m, &d);
	char t[40];
	snprintf(t, sizeof t, "%04d%02d%02d", y % 10000, m, d);
	memcpy(buf, t, 8);
	buf[8] = 0;
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if ((unsigned)(s[i] - '0') > 9)
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int period_parse_week(const char *flag, const char *s, period *p, job_err *e)
{
	int y = -1, w = -1;
	if (strlen(s) == 8 && s[4] == '-' && s[5] == 'W') {
		y = num(s, 4);
		w = num(s + 6, 2);
	}
	if (y < 1 || w < 1) {
		job_err_set(e, "%s: '%s' is not an ISO week YYYY-Www", flag, s);
		return -1;
	}
	if (w > period_weeks_in_year(y)) {
		job_err_set(e, "%s: '%s': %d has %d ISO weeks", flag, s, y, period_weeks_in_year(y));
		return -1;
	}
	p->first = period_iso_week_monday(y, w);
	p->ndays = 7;
	return 0;
}

int period_parse_month(const char *flag, const char *s, period *p, job_err *e)
{
	int y = -1, m = -1;
	if (strlen(s) == 6) {
		y = num(s, 4);
		m = num(s + 4, 2);
	}
	if (y < 1 || m < 1 || m > 12) {
		job_err_set(e, "%s: '%s' is not a month YYYYMM", flag, s);
		return -1;
	}
	p->first = period_days_from_civil(y, m, 1);
	p->ndays = (int)(period_days_from_civil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - p->first);
	return 0;
}

int period_parse_year(const char *flag, const char *s, period *p, job_err *e)
{
	int y = strlen(s) == 4 ? num(s, 4) : -1;
	if (y < 1) {
		job_err_set(e, "%s: '%s' is not a year YYYY", flag, s);
		return -1;
	}
	p->first = period_days_from_civil(y, 1, 1);
	p->ndays = (int)(period_days_from_civil(y + 1, 1, 1) - p->first);
	return 0;
}
