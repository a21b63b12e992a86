/* runsel.c: finding the run a person means, by --run-id or --date, through
 * the query layer's one resolver (query_run_resolve). A date with a time of
 * day names exactly that logical date; a date alone names the runs of that
 * day in the DAG's zone (its two midnights, 23-25 h apart across DST): one run
 * is found, several are listed and the person is asked for --run-id (usage).
 * Not found: the nearest dates that have runs are named. A read error is
 * never "not found": its message (naming the state file) is passed on. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "lib/civil.h"
#include "scheduler/cron.h"
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

int run_when(const char *date, const char *tz, time_t *from, time_t *to, char *err, size_t errlen)
{
	bool has_time;
	if (date_parse_when("--date", date, tz, from, &has_time, err, errlen) < 0)
		return -1;
	if (has_time) {
		*to = *from + 1;
		return 0;
	}
	int y, m, d;
	date_parse_ymd(date, &y, &m, &d);
	int64_t y2;
	civil_from_days(civil_to_days(y, m, d) + 1, &y2, &m, &d);
	char next[16];
	snprintf(next, sizeof next, "%04lld-%02d-%02d", (long long)y2, m, d);
	return date_parse_in_zone("--date", next, tz, to, err, errlen);
}

int logical_of_date(const char *date, const char *tz, const struct cron *c, time_t *out,
		    char *err, size_t errlen)
{
	bool has_time;
	if (date_parse_when("--date", date, tz, out, &has_time, err, errlen) < 0)
		return -1;
	if (has_time || !c)
		return 0;
	/* The day's first fire time, if the cron fires that day. */
	time_t from, to;
	time_t first = cron_next_after(c, tz, *out - 1);
	if (run_when(date, tz, &from, &to, err, errlen) < 0)
		return -1;
	if (first != (time_t)-1 && first < to)
		*out = first;
	return 0;
}

int run_find(struct store *s, const struct query_dag *d, const char *run_id, const char *date,
	     struct query_run *out, char *err, size_t errlen)
{
	if (run_id && date) {
		snprintf(err, errlen, "--run-id and --date both name a run; give one");
		return SC_USAGE;
	}
	time_t from = 0, to = 0;
	if (date && run_when(date, d->timezone, &from, &to, err, errlen) < 0)
		return SC_USAGE;
	int rc = query_run_resolve(s, d->dag_id, run_id, from, to, out, err, errlen);
	if (rc == Q_OK)
		return SC_OK;
	if (rc == Q_AMBIGUOUS) {
		size_t n = strlen(err);
		snprintf(err + n, errlen - n, " (--run-id ID)");
		return SC_USAGE;
	}
	if (rc == Q_ERROR || run_id)
		return SC_FAIL;
	if (!date) {
		snprintf(err, errlen, "DAG %s has no runs yet (schedctl trigger %s)", d->dag_id,
			 d->dag_id);
		return SC_FAIL;
	}
	char near[256];
	if (nearest_dates(s, d, from, near, sizeof near, err, errlen) < 0)
		return SC_FAIL;
	if (near[0])
		snprintf(err, errlen, "DAG %s has no run on %s; nearest: %s", d->dag_id, date, near);
	else
		snprintf(err, errlen, "DAG %s has no run on %s; it has no runs at all", d->dag_id,
			 date);
	return SC_FAIL;
}
