/* runsel.c: finding the run a person means by a date. A logical date names a
 * day in the DAG's zone; an hourly DAG has many runs that day, so the exact
 * midnight run is preferred, then the first run of that day. Not found: the
 * nearest dates that have runs are named. */
#include "ui-cli/schedctl.h"

#include <string.h>

#include "scheduler/tz.h"

void run_row_read(sqlite3_stmt *st, int c, struct run_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, c);
	snprintf(r->run_id, sizeof r->run_id, "%s", (const char *)sqlite3_column_text(st, c + 1));
	r->logical_date = (time_t)sqlite3_column_int64(st, c + 2);
	r->interval_end = (time_t)sqlite3_column_int64(st, c + 3);
	snprintf(r->type, sizeof r->type, "%s", (const char *)sqlite3_column_text(st, c + 4));
	snprintf(r->state, sizeof r->state, "%s", (const char *)sqlite3_column_text(st, c + 5));
	r->created_us = sqlite3_column_int64(st, c + 6);
	r->started_us = sqlite3_column_int64(st, c + 7);
	r->ended_us = sqlite3_column_int64(st, c + 8);
	r->backfill_id = sqlite3_column_int64(st, c + 9);
}

static void nearest_dates(struct store *s, const struct meta_dag *d, time_t t, char *buf,
			  size_t len)
{
	sqlite3_stmt *st = store_prepare(
		s, "SELECT logical_date FROM (SELECT logical_date FROM runs WHERE dag_id=?1 AND"
		   " logical_date<?2 ORDER BY logical_date DESC LIMIT 3) UNION ALL"
		   " SELECT logical_date FROM (SELECT logical_date FROM runs WHERE dag_id=?1 AND"
		   " logical_date>=?2 ORDER BY logical_date LIMIT 3) ORDER BY 1");
	size_t used = 0;
	buf[0] = 0;
	sqlite3_bind_text(st, 1, d->dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, t);
	while (st && sqlite3_step(st) == SQLITE_ROW && used < len) {
		char day[32];
		tz_format(d->timezone, (time_t)sqlite3_column_int64(st, 0), "%Y-%m-%d", day,
			  sizeof day);
		int w = snprintf(buf + used, len - used, "%s%s", used ? ", " : "", day);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	sqlite3_finalize(st);
}

int run_find(struct store *s, const struct meta_dag *d, const char *date, struct run_row *out,
	     char *err, size_t errlen)
{
	sqlite3_stmt *st;
	time_t day = 0;
	if (date) {
		if (date_parse_in_zone("--date", date, d->timezone, &day, err, errlen) < 0)
			return -2;
		st = store_prepare(s, "SELECT " RUN_ROW_COLUMNS " FROM runs WHERE dag_id=? AND"
				      " logical_date>=? AND logical_date<? ORDER BY logical_date LIMIT 1");
		sqlite3_bind_text(st, 1, d->dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, day);
		sqlite3_bind_int64(st, 3, day + 26 * 3600);	/* a day is 23-25 h across DST */
	} else {
		st = store_prepare(s, "SELECT " RUN_ROW_COLUMNS " FROM runs WHERE dag_id=?"
				      " ORDER BY logical_date DESC LIMIT 1");
		sqlite3_bind_text(st, 1, d->dag_id, -1, SQLITE_STATIC);
	}
	if (!st) {
		snprintf(err, errlen, "%s", s->err);
		return -1;
	}
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		run_row_read(st, 0, out);
		sqlite3_finalize(st);
		/* The 26 h window may reach into the next day: check the day matches. */
		if (date) {
			char a[32], b[32];
			tz_format(d->timezone, out->logical_date, "%Y-%m-%d", a, sizeof a);
			tz_format(d->timezone, day, "%Y-%m-%d", b, sizeof b);
			if (strcmp(a, b) == 0)
				return 0;
		} else {
			return 0;
		}
	} else {
		sqlite3_finalize(st);
	}
	if (!date) {
		snprintf(err, errlen, "DAG %s has no runs yet (schedctl trigger %s)", d->dag_id,
			 d->dag_id);
		return -1;
	}
	char near[256];
	nearest_dates(s, d, day, near, sizeof near);
	if (near[0])
		snprintf(err, errlen, "DAG %s has no run on %s; nearest: %s", d->dag_id, date, near);
	else
		snprintf(err, errlen, "DAG %s has no run on %s; it has no runs at all", d->dag_id,
			 date);
	return -1;
}
