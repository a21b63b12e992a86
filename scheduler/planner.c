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
 * Datasets (schedule: {datasets: [...]}): a dataset_triggered run once every
 * URI has had an event since the DAG's last such run (the rule and its
 * watermark: store_dataset.h), while under max_active_runs. Its logical date
 * is the newest logical date of the runs that produced its events, its
 * interval end their newest interval end, so {{ ds }} names the data's day
 * (the next free second when the DAG has a run of that date already; the
 * instant it is created when those runs are gone). The events come from runner.c in the same
 * pass, before the planner's turn, so a consumer starts in the pass that
 * records its last producer's success.
 *
 * Queued runs start in sort_key order (logical date; negated for a reverse
 * backfill) while the DAG is under max_active_runs, or a backfill's runs
 * under the backfill's own max_active. The counts are kept as runs start and
 * finish (slot->running_runs, struct backfill), so a pass over N queued runs
 * costs O(N) and no statement per run.
 *
 * A run the planner creates goes to the runner at once (runner_new_run): no
 * rebuild of the view from the store. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/daemon.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"
#include "scheduler/store_dataset.h"

/* Its own runs queued or running (backfills' apart), as runner.c counts them. */
static int active_runs(const struct dagslot *s)
{
	return s->running_runs + s->queued_runs;
}

/* A run just created in the open pass: the runner takes it over. */
static void hand_over(struct daemon *d, struct dagslot *s, int64_t id, time_t logical_date, time_t end,
		      int64_t sort_key)
{
	char run_id[128];
	store_format_run_id("scheduled", s->dag->timezone, logical_date, run_id, sizeof run_id);
	/* store_create_run pinned it to dags.version, the slot's current one. */
	runner_add_run(d, runner_new_run(d, s, id, run_id, "scheduled", logical_date, end, 0, sort_key,
					 RUN_QUEUED, s->ver->id));
}

/* Creates due scheduled runs of one cron DAG; returns when it next matters. */
static int64_t plan_cron(struct daemon *d, struct dagslot *s, time_t now)
{
	const struct dag *g = s->dag;
	const char *tz = g->timezone;
	time_t ni = s->next_interval;
	bool planned_before = ni != 0;	/* else a new DAG: nothing of its past was missed */
	time_t last_fire = cron_prev_before(&g->cron, tz, now + 1);	/* <= now */
	time_t latest = last_fire > 0 ? cron_prev_before(&g->cron, tz, last_fire) : -1;
	if (ni == 0) {
		if (g->has_start_date)
			ni = cron_next_after(&g->cron, tz, g->start_date - 1);
		else
			ni = latest > 0 ? latest : cron_next_after(&g->cron, tz, now);
	}
	if (!g->catchup && latest > 0 && ni < latest) {
		if (planned_before)
			alerts_intervals_skipped(d, s, ni, latest, (int64_t)now * 1000000);
		ni = latest;
	}
	if (g->has_start_date && ni < g->start_date)
		ni = cron_next_after(&g->cron, tz, g->start_date - 1);
	int64_t wake = 0;
	int active = active_runs(s);
	while (ni > 0) {
		if (g->has_end_date && ni > g->end_date)
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
			hand_over(d, s, id, ni, end, ni);
			/* its deadline; none for a new DAG's catchup history */
			alerts_run_created(d, s, !planned_before && end < last_fire, id, end);
			char run_id[128];
			store_format_run_id("scheduled", tz, ni, run_id, sizeof run_id);
			alerts_interval_created(d, s, planned_before, id, run_id, ni, end, store_now_us());
		}
		ni = end;
	}
	if (ni != s->next_interval) {
		s->next_interval = ni;
		time_t next_end = ni > 0 ? cron_next_after(&g->cron, tz, ni) : 0;
		store_dag_set_next(d->store, s->dag_id, ni, next_end);
	}
	return wake;
}

static void plan_stream(struct daemon *d, struct dagslot *s, time_t now)
{
	if (active_runs(s) > 0)
		return;
	char existing[128];
	int64_t id = store_create_run(d->store, s->dag_id, s->dag->timezone, now, now, "scheduled",
				      NULL, 0, now, "stream started", existing, sizeof existing);
	if (id > 0) {
		slog(SLOG_INFO, "run_created", "dag=%s run=%lld type=stream", s->dag_id, (long long)id);
		hand_over(d, s, id, now, now, now);
	}
}

static void plan_datasets(struct daemon *d, struct dagslot *s, time_t now)
{
	const struct dag *g = s->dag;
	if (active_runs(s) >= g->max_active_runs)
		return;	/* the events wait: the watermark has not moved */
	int64_t after, upto;
	int due = store_dataset_due(d->store, s->dag_id, g->datasets, g->ndatasets, &after, &upto);
	if (due <= 0)
		return;	/* a failure dooms the pass: recorded by its commit */
	time_t at, end;
	if (store_dataset_interval(d->store, g->datasets, g->ndatasets, after, upto, &at, &end) < 0)
		return;
	if (at <= 0)
		at = end = now;
	char existing[128];
	int64_t id = 0;
	for (int k = 0; id == 0 && k < 1000; k++, at++)
		id = store_create_run(d->store, g->dag_id, g->timezone, at, end > at ? end : at, "dataset_triggered",
				      NULL, 0, at, "datasets updated", existing, sizeof existing);
	if (id <= 0 || store_dataset_consume(d->store, s->dag_id, id, after, upto) < 0) {
		slog(SLOG_ERROR, "store_error", "dag=%s error=%s", g->dag_id, id == 0 ? "no free logical date" :
		     d->store->err);
		return;
	}
	at--;
	slog(SLOG_INFO, "run_created", "dag=%s run=%lld type=dataset_triggered events=%lld..%lld", g->dag_id,
	     (long long)id, (long long)after + 1, (long long)upto);
	char run_id[128];
	store_format_run_id("dataset_triggered", g->timezone, at, run_id, sizeof run_id);
	runner_add_run(d, runner_new_run(d, s, id, run_id, "dataset_triggered", at, end > at ? end : at, 0, at,
					 RUN_QUEUED, s->ver->id));
}

/* Whether a queued run of the DAG's own / of the backfill may start now. */
static bool slot_open(const struct dagslot *s)
{
	return s->queued_runs > 0 && s->dag && !s->paused &&
	       (s->running_runs < s->dag->max_active_runs || s->dag->kind == SCHEDULE_STREAM);
}

static bool bf_open(const struct backfill *b)
{
	return b->queued > 0 && !b->slot->paused && b->running < b->max_active;
}

int64_t planner_tick(struct daemon *d, int64_t now_us)
{
	if (d->draining)
		return 0;
	time_t now = (time_t)(now_us / 1000000);
	int64_t wake = 0;
	for (size_t i = 0; i < d->nslots; i++) {
		struct dagslot *s = d->slots[i];
		if (s->dag && s->active && s->paused && s->dag->kind == SCHEDULE_DATASETS)
			store_dataset_register(d->store, s->dag_id);	/* its events wait for it */
		if (!s->dag || !s->active || s->paused)
			continue;
		int64_t w = 0;
		if (s->dag->kind == SCHEDULE_CRON)
			w = plan_cron(d, s, now);
		else if (s->dag->kind == SCHEDULE_STREAM)
			plan_stream(d, s, now);
		else if (s->dag->kind == SCHEDULE_DATASETS)
			plan_datasets(d, s, now);
		if (w > 0 && (wake == 0 || w < wake))
			wake = w;
	}
	/* Start queued runs in sort_key order (d->runs is), looking only as far
	 * as there are groups (a DAG's own runs, a backfill's) that have queued
	 * runs and room: a pass costs what it starts, not the backlog. */
	int open = 0;
	for (size_t i = 0; i < d->nslots; i++)
		open += slot_open(d->slots[i]);
	for (size_t i = 0; i < d->nbfs; i++)
		open += bf_open(&d->bfs[i]);
	for (size_t i = 0; i < d->nruns && open > 0; i++) {
		struct run *r = d->runs[i];
		if (r->state != RUN_QUEUED || !(r->bf ? bf_open(r->bf) : slot_open(r->slot)))
			continue;
		if (runner_start_run(d, r) < 0)
			break;	/* the pass rolls back */
		if (!(r->bf ? bf_open(r->bf) : slot_open(r->slot)))
			open--;
	}
	return wake;
}
