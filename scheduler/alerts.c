/* alerts.c: the daemon's detection of the alerts that are not a state
 * transition of a task or run (docs/alerts.md): deadlines and missed
 * schedules. The rows are written by notify.c in the pass's transaction.
 *
 * Deadlines. A scheduled run of a cron DAG with `deadline:` gets
 * runs.deadline_us = interval end + deadline when it is created
 * (alerts_run_created), except the catchup runs of a new DAG (never
 * planned before) older than its latest interval: that history was never
 * due. Every pass asks the store for the runs whose deadline
 * has passed, are not success and were not alerted (a partial index holds
 * exactly those, so the check does not grow with history); each gets one
 * deadline_missed and runs.deadline_missed_us, both in the pass: alert once.
 * The check runs at most once a second, and only while a loaded DAG has a
 * deadline.
 * When such a run later succeeds, runner.c adds deadline_recovered.
 *
 * Missed schedules. An interval is missed when its end passed while this
 * daemon could not plan its DAG: before the daemon started, or before the
 * DAG's file first loaded in this process (a file that was broken at start;
 * a file that breaks later keeps its last good definition, which goes on
 * planning). slot->planned_since_us is that instant. The planner reports each
 * interval it creates late (alerts_interval_created) and each one it skips
 * (no catchup: alerts_intervals_skipped); a DAG never planned before (no
 * next_interval in the store: a new DAG catching up from start_date) misses
 * nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/daemon.h"
#include "scheduler/notify.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"

/* Skipped intervals written per DAG and pass, at most: a daemon down for a
 * year under a minutely schedule writes its backlog over many passes. */
#define SKIPPED_PER_PASS 100

int alerts_run_created(struct daemon *d, struct dagslot *s, bool history, int64_t run, time_t interval_end)
{
	const struct dag *g = s->dag;
	if (g->kind != SCHEDULE_CRON || g->deadline_ms <= 0 || history)
		return 0;
	return store_run_set_deadline(d->store, run, (int64_t)interval_end * 1000000 + g->deadline_ms * 1000);
}

static int schedule_missed(struct daemon *d, struct dagslot *s, int64_t run, const char *run_id,
			   time_t logical_date, time_t end, int64_t now_us, const char *state, const char *cause)
{
	struct notify_what w = {
		.event = notify_event_name(NOTIFY_SCHEDULE_MISSED), .listens = NOTIFY_SCHEDULE_MISSED,
		.dag = s->dag, .run = run, .run_id = run_id, .logical_date = logical_date, .state = state,
		.cause = cause, .end_us = (int64_t)end * 1000000, .web_url = d->cfg.web_url,
	};
	slog(SLOG_WARN, "schedule_missed", "dag=%s logical_date=%lld state=%s", s->dag_id, (long long)logical_date,
	     state);
	return notify_enqueue(d->store, &w, now_us);
}

int alerts_interval_created(struct daemon *d, struct dagslot *s, bool planned_before, int64_t run,
			    const char *run_id, time_t logical_date, time_t end, int64_t now_us)
{
	if (!planned_before || (int64_t)end * 1000000 >= s->planned_since_us)
		return 0;
	char cause[200];
	snprintf(cause, sizeof cause, "run created %llds after its interval ended: the daemon was down or the"
		 " DAG file could not load", (long long)(now_us / 1000000 - end));
	return schedule_missed(d, s, run, run_id, logical_date, end, now_us, "late", cause);
}

int alerts_intervals_skipped(struct daemon *d, struct dagslot *s, time_t from, time_t to, int64_t now_us)
{
	const struct dag *g = s->dag;
	int n = 0;
	for (time_t ni = from; ni > 0 && ni < to && n < SKIPPED_PER_PASS; n++) {
		time_t end = cron_next_after(&g->cron, g->timezone, ni);
		if (end <= 0 || (int64_t)end * 1000000 >= s->planned_since_us)
			break;
		if (schedule_missed(d, s, 0, NULL, ni, end, now_us, "skipped",
				    "no run: the daemon was down or the DAG file could not load when the interval"
				    " ended, and the DAG has no catchup") < 0)
			return -1;
		ni = end;
	}
	return 0;
}

/* The rows due, copied: notify_enqueue and the marking write to runs, which
 * the statement reading them must not see change under it. */
struct due {
	struct store_deadline_row *rows;
	size_t n, cap;
};

static int collect(void *arg, const struct store_deadline_row *row)
{
	struct due *u = arg;
	if (u->n == u->cap) {
		u->cap = u->cap ? 2 * u->cap : 8;
		u->rows = xrealloc(u->rows, u->cap * sizeof *u->rows);
	}
	struct store_deadline_row *r = &u->rows[u->n++];
	*r = *row;
	r->dag_id = xstrdup(row->dag_id);
	r->run_id = xstrdup(row->run_id);
	r->state = xstrdup(row->state);
	return 0;
}

static int deadline_missed(struct daemon *d, const struct store_deadline_row *r, int64_t now_us)
{
	struct dagslot *s = dagbag_find(d, r->dag_id);
	if (s && s->dag) {
		char cause[200];
		snprintf(cause, sizeof cause, "not successful by its deadline (state %s)", r->state);
		struct notify_what w = {
			.event = notify_event_name(NOTIFY_DEADLINE_MISSED), .listens = NOTIFY_DEADLINE_MISSED,
			.dag = s->dag, .run = r->id, .run_id = r->run_id, .logical_date = r->logical_date,
			.state = r->state, .cause = cause, .start_us = r->started_us, .deadline_us = r->deadline_us,
			.web_url = d->cfg.web_url,
		};
		if (notify_enqueue(d->store, &w, now_us) < 0)
			return -1;
	}
	slog(SLOG_WARN, "deadline_missed", "dag=%s run=%lld run_id=%s state=%s", r->dag_id, (long long)r->id,
	     r->run_id, r->state);
	return store_run_deadline_missed(d->store, r->id, now_us);
}

/* Deadlines are checked at most this often, and only while a loaded DAG
 * has one: a daemon without deadlines runs no statement for them. */
#define DEADLINE_CHECK_US 1000000

int alerts_tick(struct daemon *d, int64_t now_us)
{
	static int64_t next_check_us;
	if (now_us < next_check_us)
		return 0;
	bool any = false;
	for (size_t i = 0; i < d->nslots && !any; i++)
		any = d->slots[i]->dag && d->slots[i]->dag->deadline_ms > 0;
	if (!any)
		return 0;
	struct due u = { 0 };
	int rc = store_deadlines_due(d->store, now_us, collect, &u);
	for (size_t i = 0; i < u.n && rc == 0; i++)
		rc = deadline_missed(d, &u.rows[i], now_us);
	for (size_t i = 0; i < u.n; i++) {
		free((char *)u.rows[i].dag_id);
		free((char *)u.rows[i].run_id);
		free((char *)u.rows[i].state);
	}
	free(u.rows);
	if (rc == 0)	/* a failed check (the pass rolls back) is tried again at once */
		next_check_us = now_us + DEADLINE_CHECK_US;
	return rc;
}
