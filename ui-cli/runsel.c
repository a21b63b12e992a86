/* runsel.c: finding the run a person means by a date. A logical date names a
 * day in the DAG's zone; an hourly DAG has many runs that day, so the exact
 * midnight run is preferred, then the first run of that day. Not found: the
 * nearest dates that have runs are named. A read error is never "not found":
 * its message (naming the state file) is passed on. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "scheduler/tz.h"

/* "2026-03-01, 2026-03-02" (the days of the nearest runs), or "" if none. */
static int nearest_dates(struct store *s, const struct query_dag *d, time_t t, char *buf,
			 size_t len, char *err, size_t errlen)
{
	time_t dates[6];
	size_t n;
	buf[0] = 0;
	if (query_run_dates_near(s, d->dag_id, t, dates, &n, err, errlen) != Q_OK)
		return -1;
	size_t used = 0;
	for (size_t i = 0; i < n && used < len; i++) {
		char day[32];
		tz_format(d->timezone, dates[i], "%Y-%m-%d", day, sizeof day);
		int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", day);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	return 0;
}

int run_find(struct store *s, const struct query_dag *d, const char *date, struct query_run *out,
	     char *err, size_t errlen)
{
	if (!date) {
		int rc = query_run_latest(s, d->dag_id, out, err, errlen);
		if (rc == Q_NOTFOUND)
			snprintf(err, errlen, "DAG %s has no runs yet (schedctl trigger %s)", d->dag_id,
				 d->dag_id);
		return rc == Q_OK ? 0 : -1;
	}
	time_t day;
	if (date_parse_in_zone("--date", date, d->timezone, &day, err, errlen) < 0)
		return -2;
	/* A day is 23-25 h across DST: look 26 h ahead, then check the day. */
	int rc = query_run_between(s, d->dag_id, day, day + 26 * 3600, out, err, errlen);
	if (rc == Q_ERROR)
		return -1;
	if (rc == Q_OK) {
		char a[32], b[32];
		tz_format(d->timezone, out->logical_date, "%Y-%m-%d", a, sizeof a);
		tz_format(d->timezone, day, "%Y-%m-%d", b, sizeof b);
		if (strcmp(a, b) == 0)
			return 0;
	}
	char near[256];
	if (nearest_dates(s, d, day, near, sizeof near, err, errlen) < 0)
		return -1;
	if (near[0])
		snprintf(err, errlen, "DAG %s has no run on %s; nearest: %s", d->dag_id, date, near);
	else
		snprintf(err, errlen, "DAG %s has no run on %s; it has no runs at all", d->dag_id,
			 date);
	return -1;
}
