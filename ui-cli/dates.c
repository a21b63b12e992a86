/* dates.c: the dates people type (YYYY-MM-DD or YYYYMMDD, always a day in the
 * DAG's own time zone, as Airflow's logical dates are), optionally with a time
 * of day ("2026-11-29T01:30[:SS]", in the DAG's zone, or with an offset
 * "+02:00" / "Z" that makes it an absolute instant), and the times and
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

/* "HH:MM" or "HH:MM:SS" at s; the end, or NULL. */
static const char *scan_time(const char *s, int *h, int *mi, int *sec)
{
	*sec = 0;
	if (!civil_digits(s, 2, h) || s[2] != ':' || !civil_digits(s + 3, 2, mi))
		return NULL;
	s += 5;
	if (*s == ':') {
		if (!civil_digits(s + 1, 2, sec))
			return NULL;
		s += 3;
	}
	if (*h > 23 || *mi > 59 || *sec > 59)
		return NULL;
	return s;
}

int date_parse_when(const char *flag, const char *s, const char *tz, time_t *out, bool *has_time,
		    char *err, size_t errlen)
{
	static const char forms[] = "YYYY-MM-DD, YYYYMMDD, YYYY-MM-DDTHH:MM[:SS] or with an"
				    " offset such as +02:00 or Z";
	const char *t = s ? strchr(s, 'T') : NULL;
	if (!t) {
		*has_time = false;
		return date_parse_in_zone(flag, s, tz, out, err, errlen);
	}
	int y, m, d, h, mi, sec;
	const char *end = civil_scan_date(s, CIVIL_DASHED | CIVIL_COMPACT, &y, &m, &d);
	if (end != t || y < 1970 || !(end = scan_time(t + 1, &h, &mi, &sec))) {
		snprintf(err, errlen, "%s: '%s' is not a date (%s)", flag, s, forms);
		return -1;
	}
	if (*end == '\0') {
		struct tm tm = { .tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d, .tm_hour = h,
				 .tm_min = mi, .tm_sec = sec };
		bool gap = false;
		time_t v = tz_mktime(tz, &tm, &gap);
		if (v == (time_t)-1 || gap) {
			snprintf(err, errlen, "%s: '%s' does not exist in zone %s (a clock change skips it)",
				 flag, s, tz);
			return -1;
		}
		*out = v;
		*has_time = true;
		return 0;
	}
	long off = 0;
	if (strcmp(end, "Z") != 0) {
		int oh, om;
		if ((*end != '+' && *end != '-') || !civil_digits(end + 1, 2, &oh) || end[3] != ':' ||
		    !civil_digits(end + 4, 2, &om) || end[6] != '\0' || oh > 23 || om > 59) {
			snprintf(err, errlen, "%s: '%s' is not a date (%s)", flag, s, forms);
			return -1;
		}
		off = (oh * 3600L + om * 60L) * (*end == '-' ? -1 : 1);
	}
	int64_t days = civil_to_days(y, m, d);
	*out = (time_t)(days * 86400 + h * 3600 + mi * 60 + sec - off);
	*has_time = true;
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
