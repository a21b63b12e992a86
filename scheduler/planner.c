/* planner.c: which runs exist and which may start.
 *
 * Cron DAGs: a run covers the data interval [fire_k, fire_k+1) and is created
 * once its end has passed; its logical date is the start (Airflow's rule).
 * dags.next_interval remembers the next interval to create, so a restart
 * neither skips nor repeats one. With catchup every missed interval since
 * start_date is created, oldest first, but lazily: only while fewer than
 * max_active_runs runs of the DAG are queued or running. Without catchup only
 * the latest complete interval is created.
 *
 * Streams: one long-lived run per unpaused, active stream DAG.
 *
 * Queued runs start in sort_key order (logical date; negated for a reverse
 * backfill) while the DAG is under max_active_runs, or a backfill's runs
 * under the backfill's own max_active. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/daemon.h"
#include "scheduler/slog.h"

static int active_runs(struct daemon *d, struct dagslot *s, bool scheduled_only)
{
	int n = 0;
	for (size_t i = 0; i < d->nruns; i++) {
		struct run *r = d->runs[i];
		if (r->slot != s || (r->state != RUN_QUEUED && r->state != RUN_RUNNING))
			continue;
		if (scheduled_only && r->backfill_id > 0)
			continue;
		n++;
	}
	return n;
}

static void save_next(struct daemon *d, struct dagslot *s, time_t next_interval, time_t next_run)
{
	static const char sql[] = "UPDATE dags SET next_interval=?, next_run=? WHERE dag_id=?";
	sqlite3_stmt *st = store_cached(d->store, sql);
	if (!st)
		return;
	sqlite3_bind_int64(st, 1, next_interval);
	if (next_run > 0)
		sqlite3_bind_int64(st, 2, next_run);
	sqlite3_bind_text(st, 3, s->dag_id, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
}

/* Creates due scheduled runs of one cron DAG; returns when it next matters. */
static int64_t plan_cron(struct daemon *d, struct dagslot *s, time_t now)
{
	const struct dag *g = s->dag;
	const char *tz = g->timezone;
	time_t ni = s->next_interval;
	time_t last_fire = cron_prev_before(&g->cron, tz, now + 1);	/* <= now */
	time_t latest = last_fire > 0 ? cron_prev_before(&g->cron, tz, last_fire) : -1;
	if (ni == 0) {
		if (g->start_date > 0)
			ni = cron_next_after(&g->cron, tz, g->start_date - 1);
		else
			ni = latest > 0 ? latest : cron_next_after(&g->cron, tz, now);
	}
	if (!g->catchup && latest > 0 && ni < latest)
		ni = latest;
	if (g->start_date > 0 && ni < g->start_date)
		ni = cron_next_after(&g->cron, tz, g->start_date - 1);
	int64_t wake = 0;
	int active = active_runs(d, s, true);
	while (ni > 0) {
		if (g->end_date > 0 && ni > g->end_date)
			break;
		time_t end = cron_next_after(&g->cron, tz, ni);
		if (end <= 0)
			break;
		if (end > now) {
			wake = (int64_t)end * 1000000;
			break;
		}
		if (active >= g->max_active_runs)
			break;	/* woken again when a run finishes */
		char existing[128];
		int64_t id = store_create_run(d->store, g->dag_id, tz, ni, end, "scheduled", NULL, 0,
					      ni, "schedule", existing, sizeof existing);
		if (id < 0) {
			slog(SLOG_ERROR, "store_error", "dag=%s error=%s", g->dag_id, d->store->err);
			break;
		}
		if (id > 0) {
			slog(SLOG_INFO, "run_created", "dag=%s run=%lld type=scheduled", g->dag_id,
			     (long long)id);
			active++;
			d->need_sync = true;
		}
		ni = end;
	}
	if (ni != s->next_interval) {
		s->next_interval = ni;
		time_t next_end = ni > 0 ? cron_next_after(&g->cron, tz, ni) : 0;
		save_next(d, s, ni, next_end);
	}
	return wake;
}

static void plan_stream(struct daemon *d, struct dagslot *s, time_t now)
{
	if (active_runs(d, s, false) > 0)
		return;
	char existing[128];
	int64_t id = store_create_run(d->store, s->dag_id, s->dag->timezone, now, now, "scheduled",
				      NULL, 0, now, "stream started", existing, sizeof existing);
	if (id > 0) {
		slog(SLOG_INFO, "run_created", "dag=%s run=%lld type=stream", s->dag_id, (long long)id);
		d->need_sync = true;
	}
}

static int backfill_limit(struct daemon *d, int64_t backfill_id)
{
	static const char sql[] = "SELECT max_active FROM backfills WHERE id=?";
	sqlite3_stmt *st = store_cached(d->store, sql);
	int n = 16;
	sqlite3_bind_int64(st, 1, backfill_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n > 0 ? n : 1;
}

static int running_of_backfill(struct daemon *d, int64_t backfill_id)
{
	int n = 0;
	for (size_t i = 0; i < d->nruns; i++)
		if (d->runs[i]->backfill_id == backfill_id && d->runs[i]->state == RUN_RUNNING)
			n++;
	return n;
}

int64_t planner_tick(struct daemon *d, int64_t now_us)
{
	if (d->draining)
		return 0;
	time_t now = (time_t)(now_us / 1000000);
	int64_t wake = 0;
	for (size_t i = 0; i < d->nslots; i++) {
		struct dagslot *s = d->slots[i];
		if (!s->dag || !s->active || s->paused)
			continue;
		int64_t w = 0;
		if (s->dag->kind == SCHEDULE_CRON)
			w = plan_cron(d, s, now);
		else if (s->dag->kind == SCHEDULE_STREAM)
			plan_stream(d, s, now);
		if (w > 0 && (wake == 0 || w < wake))
			wake = w;
	}
	if (d->need_sync)
		return now_us;	/* new runs: rebuild first */
	/* Start queued runs; d->runs is ordered by sort_key. */
	for (size_t i = 0; i < d->nruns; i++) {
		struct run *r = d->runs[i];
		if (r->state != RUN_QUEUED || r->slot->paused)
			continue;
		bool ok;
		if (r->backfill_id > 0)
			ok = running_of_backfill(d, r->backfill_id) < backfill_limit(d, r->backfill_id);
		else
			ok = r->slot->running_runs < r->dag->max_active_runs || r->stream;
		if (ok)
			runner_start_run(d, r);
	}
	return wake;
}
