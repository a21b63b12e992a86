/* dates.c: the dates people type (YYYY-MM-DD or YYYYMMDD, always a day in the
 * DAG's own time zone, as Airflow's logical dates are) and the times and
 * durations schedctl prints. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "lib/civil.h"
#include "scheduler/tz.h"

int date_parse_ymd(const char *s, int *y, int *m, int *d)
{
	const char *end = civil_scan_date(s, CIVIL_DASHED | CIVIL_COMPACT, y, m, d);
	if (end == NULL || *end != '\0' || *y < 1970)
		return -1;
	return 0;
}

int date_parse_in_zone(const char *flag, const char *s, const char *tz, time_t *out, char *err,
		       size_t errlen)
{
	int y, m, d;
	if (date_parse_ymd(s, &y, &m, &d) < 0) {
		snprintf(err, errlen, "%s: '%s' is not a date (YYYY-MM-DD or YYYYMMDD)", flag, s);
		return -1;
	}
	struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d };
	bool gap = false;
	time_t t = tz_mktime(tz, &tm, &gap);
	if (t == (time_t)-1) {
		snprintf(err, errlen, "%s: '%s' has no midnight in zone %s", flag, s, tz);
		return -1;
	}
	*out = t;
	return 0;
}

void date_format_us(int64_t us, const char *tz, char *buf, size_t len)
{
	if (us <= 0) {
		snprintf(buf, len, "-");
		return;
	}
	tz_format(tz, (time_t)(us / 1000000), "%Y-%m-%d %H:%M:%S", buf, len);
}

void date_format_duration_us(int64_t us, char *buf, size_t len)
{
	if (us < 0) {
		snprintf(buf, len, "-");
	} else if (us < 1000000) {
		snprintf(buf, len, "%lldms", (long long)(us / 1000));
	} else {
		long long s = us / 1000000;
		if (s < 60)
			snprintf(buf, len, "%lld.%llds", s, (long long)(us / 100000 % 10));
		else if (s < 3600)
			snprintf(buf, len, "%lldm%02llds", s / 60, s % 60);
		else
			snprintf(buf, len, "%lldh%02lldm", s / 3600, s / 60 % 60);
	}
}
