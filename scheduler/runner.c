/* runner.c: runs and task instances of the active runs: trigger rules, tries,
 * retries with backoff, timeouts, sensors, stream restarts, stop requests.
 * It is the only writer of run and task-instance state, in memory and (through
 * store_daemon.h) in the store, always inside the loop's pass: one
 * transaction that commits whole or rolls back whole (daemon.c).
 *
 * Run states:      queued --runner_start_run--> running --run_finish--> success|failed
 * Task instances (Airflow's): none --evaluate--> scheduled | skipped | upstream_failed;
 *   scheduled --start_try--> queued --record_started--> running
 *   --runner_record_exit--> success | up_for_retry | failed ; up_for_retry --retry due-->
 *   scheduled. Stream tasks: running --exit--> up_for_retry, or crash_loop after more than
 *   `retries` quick restarts in a row; either --backoff due--> scheduled. Sensors: scheduled --start_sensor--> running --poke--> success | failed.
 * Mapped tasks (expand:, the section "dynamic task mapping" below): none --expand--> running (an
 *   aggregate: instances task[i] appended to r->tis, each none --> scheduled and on as above)
 *   --settle--> success | failed | skipped; or none --expand--> skipped (empty list) | failed.
 *
 * Order of a try, chosen so that a kill -9 between any two steps is
 * recoverable (recover.c reads the executor's files to finish the story):
 *   1. pass commits TI queued, try_number+1, tries row  (intent; no process yet)
 *   2. dispatch_submit: the launcher takes the try's lock and spawns it; the
 *      next pass commits TI running with the command's pid
 *   3. the launcher reaps the command and reports its exit record; a pass
 *      commits the outcome and the downstream tasks it made ready or
 *      skipped; only then is the launcher acked and lets go of the lock.
 * A task with executor: slurm follows the same order with slurmrestd in the
 * launcher's place (its own protocol at the top of slurm_dispatch.c): its
 * intent's tries row says executor 'slurm', its log is under
 * --slurm-log-root, and its outcome comes from the job's final state.
 * A try is recorded success only from an exit record saying exit 0, which the
 * launcher writes after waitpid() on the command.
 *
 * Counters it owns (count_run, on every change of a run's state): per DAG
 * slot running_runs and queued_runs, per backfill running and queued (its
 * runs apart from the DAG's), d->nrunning, d->nfinished. They let the planner
 * and the tick skip the queued runs of a long backfill instead of scanning
 * them every pass; runner_free_runs resets them with the runs. */
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "executors/local.h"
#include "executors/slurm_client.h"
#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/backoff.h"
#include "scheduler/daemon.h"
#include "scheduler/duration.h"
#include "scheduler/logpath.h"
#include "scheduler/mapindex.h"
#include "scheduler/mapped.h"
#include "scheduler/notify.h"
#include "scheduler/pool.h"
#include "scheduler/render.h"
#include "scheduler/dataset.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"
#include "scheduler/store_dataset.h"
#include "scheduler/template.h"
#include "scheduler/trigger_rule.h"
#include "scheduler/tz.h"

struct run *runner_find_run(struct daemon *d, int64_t id)
{
	/* Running runs come first in sort_key order (finished ones are dropped
	 * after each pass), so the runs that have processes are found early. */
	for (size_t i = 0; i < d->nruns; i++)
		if (d->runs[i]->id == id)
			return d->runs[i];
	return NULL;
}

static void run_free(struct run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nconf; i++) {
		free(r->conf[i].key);
		free(r->conf[i].value);
	}
	free(r->conf);
	for (size_t i = 0; i < r->ntis; i++) {
		free(r->tis[i].name);
		free(r->tis[i].map);
		json_decref(r->tis[i].items);
	}
	free(r->tis);
	dagver_put(r->ver);
	free(r->run_id);
	free(r->run_type);
	free(r->triggering);
	free(r);
}

void runner_free_runs(struct daemon *d)
{
	for (size_t i = 0; i < d->nruns; i++)
		run_free(d->runs[i]);
	d->nruns = 0;
	d->nbfs = 0;
	d->nrunning = 0;
	d->nfinished = 0;
	for (size_t i = 0; i < d->nslots; i++) {
		d->slots[i]->running_runs = 0;
		d->slots[i]->queued_runs = 0;
	}
}

/* A run enters (+1) or leaves (-1) its current state's counts. */
static void count_run(struct daemon *d, struct run *r, int delta)
{
	switch (r->state) {
	case RUN_QUEUED:
		*(r->bf ? &r->bf->queued : &r->slot->queued_runs) += delta;
		break;
	case RUN_RUNNING:
		d->nrunning += (size_t)(ptrdiff_t)delta;
		*(r->bf ? &r->bf->running : &r->slot->running_runs) += delta;
		break;
	default:
		d->nfinished += (size_t)(ptrdiff_t)delta;
		break;
	}
}

static void set_run_state(struct daemon *d, struct run *r, enum run_state s)
{
	count_run(d, r, -1);
	r->state = s;
	count_run(d, r, +1);
}

struct backfill *runner_backfill(struct daemon *d, struct dagslot *slot, int64_t id)
{
	for (size_t i = 0; i < d->nbfs; i++)
		if (d->bfs[i].id == id)
			return &d->bfs[i];
	int max_active = 16;
	if (store_backfill_max_active(d->store, id, &max_active) < 0)
		max_active = 1;	/* the pass is failing anyway */
	if (d->nbfs == d->capbfs) {
		size_t cap = d->capbfs ? d->capbfs * 2 : 8;
		struct backfill *b = realloc(d->bfs, cap * sizeof *b);
		if (!b)
			abort();
		/* runs point into the array: re-point them */
		for (size_t i = 0; i < d->nruns; i++)
			if (d->runs[i]->bf)
				d->runs[i]->bf = b + (d->runs[i]->bf - d->bfs);
		d->bfs = b;
		d->capbfs = cap;
	}
	d->bfs[d->nbfs] = (struct backfill){ .id = id, .slot = slot, .max_active = max_active };
	return &d->bfs[d->nbfs++];
}

struct run *runner_new_run(struct daemon *d, struct dagslot *slot, int64_t id, const char *run_id,
			   const char *run_type, time_t logical_date, time_t interval_end,
			   int64_t backfill_id, int64_t sort_key, enum run_state state, int64_t version)
{
	struct run *r = calloc(1, sizeof *r);
	if (!r)
		abort();
	r->ver = dagver_get(d, slot, version);
	r->dag = r->ver->dag;
	r->topo = r->ver->topo;
	size_t n = r->dag->ntasks;
	if (!(r->tis = calloc(n ? n : 1, sizeof *r->tis)))
		abort();
	r->ntis = n;
	r->capti = n ? n : 1;
	r->id = id;
	r->slot = slot;
	r->run_id = strdup(run_id);
	r->run_type = strdup(run_type);
	if (!r->run_id || !r->run_type)
		abort();
	r->logical_date = logical_date;
	r->interval_end = interval_end;
	r->state = state;
	r->backfill_id = backfill_id;
	r->sort_key = sort_key;
	r->stream = r->dag->kind == SCHEDULE_STREAM;
	for (size_t i = 0; i < n; i++) {
		r->tis[i].task = i;
		r->tis[i].map_index = -1;
		r->tis[i].max_tries = r->dag->tasks[i].retries + 1;
	}
	if (backfill_id > 0)
		r->bf = runner_backfill(d, slot, backfill_id);
	count_run(d, r, +1);
	return r;
}

static int cmp_run(const struct run *x, const struct run *y)
{
	if (x->sort_key != y->sort_key)
		return x->sort_key < y->sort_key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int runner_add_run(struct daemon *d, struct run *r)
{
	if (d->nruns == d->capruns) {
		size_t cap = d->capruns ? d->capruns * 2 : 16;
		struct run **a = realloc(d->runs, cap * sizeof *a);
		if (!a)
			abort();
		d->runs = a;
		d->capruns = cap;
	}
	size_t lo = 0, hi = d->nruns;	/* after every run that sorts before it */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_run(d->runs[mid], r) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(d->runs + lo + 1, d->runs + lo, (d->nruns - lo) * sizeof *d->runs);
	d->runs[lo] = r;
	d->nruns++;
	return 0;
}

/* Drops the finished runs no process belongs to any more (looking no
 * further than the last finished one). */
void runner_drop_finished(struct daemon *d)
{
	size_t w = 0, i = 0, left = d->nfinished;
	for (; i < d->nruns && left > 0; i++) {
		struct run *r = d->runs[i];
		if (r->state == RUN_SUCCESS || r->state == RUN_FAILED) {
			left--;
			bool busy = false;
			for (struct proc *p = d->procs; p && !busy; p = p->next)
				busy = p->run_id == r->id;
			if (!busy) {
				count_run(d, r, -1);
				run_free(r);
				continue;
			}
		}
		d->runs[w++] = r;
	}
	if (w < i)
		memmove(d->runs + w, d->runs + i, (d->nruns - i) * sizeof *d->runs);
	d->nruns = w + (d->nruns - i);
	if (w < i)
		dagver_sweep(d);	/* versions no active run uses any more */
}

/* --- store writes (inside the pass's transaction; a failure dooms it) --- */

static int try_base(struct daemon *d, struct run *r, size_t idx, int try_number, char *buf, size_t len);

/* The notification of a task instance's transition into s, if s is one
 * (docs/alerts.md): failed -> task_failed, up_for_retry of a batch task ->
 * task_retry (a stream task's restarts are not retries), the first crash_loop
 * of a streak -> stream_crash_loop. Same transaction. */
static int notify_ti(struct daemon *d, struct run *r, size_t idx, enum ti_state s, const char *cause)
{
	enum notify_event ev;
	if (r->tis[idx].nmap > 0)
		return 0;	/* a mapped task's aggregate: its instances said it */
	if (s == TI_FAILED)
		ev = NOTIFY_TASK_FAILED;
	else if (s == TI_UP_FOR_RETRY && !r->stream)
		ev = NOTIFY_TASK_RETRY;
	else if (s == TI_CRASH_LOOP && r->tis[idx].restarts == run_task(r, idx)->retries + 1)
		ev = NOTIFY_STREAM_CRASH_LOOP;	/* entering it: once per streak, not per restart */
	else
		return 0;
	const struct ti *ti = &r->tis[idx];
	char base[4096] = "", log_path[4200] = "";
	if (ti->try_number > 0 && try_base(d, r, idx, ti->try_number, base, sizeof base) == 0)
		snprintf(log_path, sizeof log_path, "%s.log", base);
	struct notify_what w = {
		.event = notify_event_name(ev), .listens = ev, .dag = r->dag, .task = run_task(r, idx),
		.ti_name = ti->name, .map_index = ti->map_index,
		.run = r->id, .run_id = r->run_id, .logical_date = r->logical_date, .try_number = ti->try_number,
		.state = ti_state_name(s), .cause = cause, .start_us = ti->started_us, .end_us = store_now_us(),
		.log_path = *log_path ? log_path : NULL, .web_url = d->cfg.web_url,
	};
	return notify_enqueue(d->store, &w, store_now_us());
}

static int set_state(struct daemon *d, struct run *r, size_t idx, enum ti_state s, const char *cause)
{
	struct ti *ti = &r->tis[idx];
	enum ti_state old = ti->state;
	run_ti_state(r, idx, s);
	struct store_ti row = { .run = r->id, .dag_id = r->dag->dag_id, .task_id = run_ti_name(r, idx),
				.state = s, .try_number = ti->try_number, .max_tries = ti->max_tries,
				.restarts = ti->restarts, .next_retry_us = ti->next_retry_us };
	if (store_ti_set(d->store, &row, old, cause) < 0)
		return -1;
	return notify_ti(d, r, idx, s, cause);
}

static int try_end(struct daemon *d, struct run *r, size_t idx, int try_number, const char *state,
		   int exit_code, int sig, const char *result, const char *cause, int64_t ended_us)
{
	struct store_try_end e = { .run = r->id, .task_id = run_ti_name(r, idx), .try_number = try_number,
				   .state = state, .exit_code = exit_code, .sig = sig, .result = result,
				   .cause = cause, .ended_us = ended_us > 0 ? ended_us : store_now_us() };
	return store_try_end(d->store, &e, true);
}

/* What {{ ti.TASK.result... }} reads while a try is rendered: the stored
 * result of TASK in the same run (of a mapped TASK: its instances' results).
 * It also holds a mapped instance's element while it is rendered. */
struct results {
	struct daemon *d;
	struct run *r;
	char *last;	/* the latest answer (template.h: valid until the next call) */
	char *item;	/* a mapped instance's element, JSON */
};

/* --- trigger rules --- */

static void evaluate(struct daemon *d, struct run *r, size_t idx);
static void expand(struct daemon *d, struct run *r, size_t idx);
static void drop_instances(struct daemon *d, struct run *r, size_t idx);
static struct template_ctx ctx_of(struct daemon *d, struct run *r, size_t idx, int try_number,
				  struct results *res);
static void results_done(struct results *res);
static int load_triggering(struct daemon *d, struct run *r);

static void settle(struct daemon *d, struct run *r, size_t idx);

/* A task instance reached a final state: its downstream tasks are looked at
 * again (a mapped instance's: its task's, once its task's counts moved). */
static void propagate(struct daemon *d, struct run *r, size_t idx)
{
	if (r->tis[idx].map_index >= 0) {
		idx = r->tis[idx].task;
		settle(d, r, idx);
	}
	const struct dag_task *t = run_task(r, idx);
	for (size_t k = 0; k < t->ndownstream; k++)
		evaluate(d, r, t->downstream[k]);
}

/* A mapped instance that is none (new, cleared, restarted) runs once its
 * task has expanded; clearing one instance of a finished mapped task makes
 * the task running again. */
static void evaluate_instance(struct daemon *d, struct run *r, size_t idx)
{
	struct ti *m = &r->tis[r->tis[idx].task];
	if (m->state == TI_NONE || m->state == TI_SCHEDULED)
		return;	/* its task expands first (and decides again) */
	if (m->state != TI_RUNNING)
		set_state(d, r, r->tis[idx].task, TI_RUNNING, "a mapped instance runs again");
	set_state(d, r, idx, TI_SCHEDULED, "its mapped task has expanded");
}

static void evaluate(struct daemon *d, struct run *r, size_t idx)
{
	struct ti *ti = &r->tis[idx];
	if (ti->state != TI_NONE || ti->map_index == MAP_DROPPED)
		return;
	if (ti->map_index >= 0) {
		evaluate_instance(d, r, idx);
		return;
	}
	const struct dag_task *t = run_task(r, idx);
	struct upstream_counts c = { .total = t->nupstream };
	for (size_t k = 0; k < t->nupstream; k++)
		mapped_count_upstream(r, t->upstream[k], &c);
	if (r->stream)
		c.total = 0;	/* stream tasks all run side by side */
	switch (trigger_rule_evaluate(t->trigger_rule, &c)) {
	case TR_WAIT:
		return;
	case TR_RUN:
		if (dag_task_is_mapped(t))
			expand(d, r, idx);
		else
			set_state(d, r, idx, TI_SCHEDULED, "dependencies met");
		return;
	case TR_SKIP:
		set_state(d, r, idx, TI_SKIPPED, trigger_rule_name(t->trigger_rule));
		break;
	case TR_UPSTREAM_FAILED:
		set_state(d, r, idx, TI_UPSTREAM_FAILED, trigger_rule_name(t->trigger_rule));
		break;
	}
	if (dag_task_is_mapped(t))
		drop_instances(d, r, idx);
	propagate(d, r, idx);
}

/* ---- dynamic task mapping (docs/mapping.md; the view's invariants: mapped.h)
 * A mapped task's own entry never has a try. When its trigger rule says run,
 * expand() renders its list and makes one instance per element, appended to
 * r->tis (named "task[i]" in the store), each scheduled at once; the entry
 * becomes running, an aggregate: settle() gives it its final state when the
 * last instance has finished, without a notification of its own. An empty
 * list skips the task, a bad or too long one fails it (a notification then:
 * no instance said anything). Instances of an earlier expansion (a clear)
 * are taken again by index, their tries numbered on; those past the new
 * list's end are dropped (their rows deleted, their tries kept). */

/* The instances of the mapped task idx are gone from its view and their rows
 * from the store, its list with them. */
static void drop_instances(struct daemon *d, struct run *r, size_t idx)
{
	if (r->tis[idx].nmap == 0 && !r->tis[idx].items)
		return;
	mapped_drop(r, idx);
	store_ti_map_set(d->store, r->id, run_task(r, idx)->id, NULL, 0);
}

/* The list of the mapped task idx: rendered (or its literal) and checked.
 * NULL with cause when it is not a JSON array or is too long. */
static json_t *render_list(struct daemon *d, struct run *r, size_t idx, char *cause, size_t len)
{
	const struct dag_task *t = run_task(r, idx);
	if (t->map_literal)
		return mapped_list_check(t->map_over, t->map_max, cause, len);
	char err[512] = "";
	struct results res;
	struct template_ctx ctx = ctx_of(d, r, idx, 0, &res);
	char *text = load_triggering(d, r) < 0 ? NULL : template_render(t->map_over, &ctx, err, sizeof err);
	results_done(&res);
	if (!text) {
		snprintf(cause, len, "expand.over: %s", *err ? err : d->store->err);
		return NULL;
	}
	json_t *a = mapped_list_check(text, t->map_max, cause, len);
	free(text);
	return a;
}

/* Instance i of the mapped task idx: the one of an earlier expansion, or a
 * new entry, its tries numbered after any it had; -1 (the store failed). */
static long instance_at(struct daemon *d, struct run *r, size_t idx, size_t i)
{
	if (i < r->tis[idx].nmap)
		return (long)r->tis[idx].map[i];
	char name[300];
	int last = 0;
	if (map_name_format(name, sizeof name, run_task(r, idx)->id, (int)i) < 0 ||
	    store_try_last(d->store, r->id, name, &last) < 0)
		return -1;
	return (long)mapped_new_instance(r, idx, (int)i, name, last, run_task(r, idx)->retries);
}

static void expand(struct daemon *d, struct run *r, size_t idx)
{
	const struct dag_task *t = run_task(r, idx);
	char cause[600];
	json_t *list = render_list(d, r, idx, cause, sizeof cause);
	size_t n = list ? json_array_size(list) : 0;
	if (!list || n == 0) {
		if (list)
			snprintf(cause, sizeof cause, "expand.over: the list is empty");
		drop_instances(d, r, idx);	/* first: its failure is its own, notified */
		set_state(d, r, idx, list ? TI_SKIPPED : TI_FAILED, cause);
		slog(list ? SLOG_INFO : SLOG_WARN, list ? "task_skipped" : "task_failed", "dag=%s run=%lld task=%s cause=%s",
		     r->dag->dag_id, (long long)r->id, t->id, cause);
		json_decref(list);
		propagate(d, r, idx);
		return;
	}
	char *text = jx_dump(list);
	int rc = store_ti_map_set(d->store, r->id, t->id, text, (int)n);
	free(text);
	size_t *map = xcalloc(n, sizeof *map);
	for (size_t i = 0; i < n && rc == 0; i++) {
		long k = instance_at(d, r, idx, i);
		rc = k < 0 ? -1 : 0;
		map[i] = (size_t)k;
	}
	if (rc < 0) {
		free(map);
		json_decref(list);
		return;	/* the pass rolls back */
	}
	mapped_install(r, idx, map, n, list);
	snprintf(cause, sizeof cause, "expanded into %zu instances", n);
	set_state(d, r, idx, TI_RUNNING, cause);
	slog(SLOG_INFO, "task_expanded", "dag=%s run=%lld task=%s instances=%zu", r->dag->dag_id, (long long)r->id,
	     t->id, n);
	for (size_t i = 0; i < n; i++) {
		size_t k = r->tis[idx].map[i];
		if (ti_state_finished(r->tis[k].state))	/* a fresh budget, as a clear gives */
			r->tis[k].max_tries = r->tis[k].try_number + 1 + t->retries;
		if (r->tis[k].state == TI_NONE || ti_state_finished(r->tis[k].state))
			set_state(d, r, k, TI_SCHEDULED, "its mapped task has expanded");
	}
}

/* The mapped task idx once all its instances have finished: its final state. */
static void settle(struct daemon *d, struct run *r, size_t idx)
{
	char cause[200];
	enum ti_state s = r->tis[idx].state == TI_RUNNING ? mapped_settled(&r->tis[idx], cause, sizeof cause)
							    : TI_RUNNING;
	if (s != TI_RUNNING)
		set_state(d, r, idx, s, cause);
}

/* Its mapped task's elements, loaded from the store the first time after a
 * rebuild. NULL (d->store->err) if they cannot be read. */
static json_t *items_of(struct daemon *d, struct run *r, size_t task)
{
	struct ti *m = &r->tis[task];
	if (m->items)
		return m->items;
	char *text = NULL;
	if (store_ti_result(d->store, r->id, run_task(r, task)->id, &text) < 0)
		return NULL;
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	free(text);
	if (!json_is_array(a)) {
		json_decref(a);
		return NULL;
	}
	return m->items = a;
}

/* run_failed / run_succeeded, and deadline_recovered when the run that
 * succeeds had missed its deadline (docs/alerts.md). Same transaction. */
static int notify_run_finished(struct daemon *d, struct run *r, const char *cause)
{
	unsigned listened = 0;
	for (size_t i = 0; i < r->dag->nnotify; i++)
		listened |= r->dag->notify[i].events;
	if (!(listened & ((1u << NOTIFY_RUN_SUCCEEDED) | (1u << NOTIFY_RUN_FAILED) | (1u << NOTIFY_DEADLINE_MISSED))))
		return 0;	/* nobody listens: not even a statement */
	struct store_run_alert ra = { 0 };
	if (store_run_alert(d->store, r->id, &ra) < 0)
		return -1;
	int64_t now = store_now_us();
	bool ok = r->state == RUN_SUCCESS;
	struct notify_what w = {
		.event = notify_event_name(ok ? NOTIFY_RUN_SUCCEEDED : NOTIFY_RUN_FAILED),
		.listens = ok ? NOTIFY_RUN_SUCCEEDED : NOTIFY_RUN_FAILED, .dag = r->dag, .run = r->id,
		.run_id = r->run_id, .logical_date = r->logical_date, .state = run_state_name(r->state),
		.try_number = ra.ends > 0 ? ra.ends - 1 : 0,	/* a cleared run that ends again: a new key */
		.cause = cause, .start_us = ra.started_us, .end_us = now, .web_url = d->cfg.web_url,
	};
	if (notify_enqueue(d->store, &w, now) < 0)
		return -1;
	if (!ok || !ra.deadline_missed_us)
		return 0;
	w.event = "deadline_recovered";
	w.listens = NOTIFY_DEADLINE_MISSED;
	w.deadline_us = ra.deadline_us;
	w.cause = "the run succeeded after its deadline";
	return notify_enqueue(d->store, &w, now);
}

/* running -> success | failed, once every task instance has finished. */
static void run_finish(struct daemon *d, struct run *r)
{
	if (r->state != RUN_RUNNING || r->stream)
		return;
	bool failed = false;
	for (size_t i = 0; i < r->dag->ntasks; i++) {
		enum ti_state s = r->tis[i].state;
		if (!ti_state_finished(s))
			return;
		if (r->dag->tasks[i].ndownstream == 0 && s != TI_SUCCESS && s != TI_SKIPPED)
			failed = true;
	}
	set_run_state(d, r, failed ? RUN_FAILED : RUN_SUCCESS);
	const char *cause = failed ? "a leaf task failed" : "all leaves succeeded or were skipped";
	if (store_run_finished(d->store, r->id, r->dag->dag_id, r->state, cause, store_now_us()) == 0)
		notify_run_finished(d, r, cause);
	slog(SLOG_INFO, failed ? "run_failed" : "run_success", "dag=%s run=%lld run_id=%s",
	     r->dag->dag_id, (long long)r->id, r->run_id);
}

/* --- building and starting runs --- */

static void build_row(void *arg, const struct store_ti_row *row)
{
	struct run *r = arg;
	size_t tl;
	int index;
	bool instance = map_name_parse(row->task_id, &tl, &index) == 1;
	char task[300];
	snprintf(task, sizeof task, "%.*s", (int)tl, row->task_id);
	long idx = dag_task_index(r->dag, task);
	if (idx < 0 || (instance && !dag_task_is_mapped(&r->dag->tasks[idx])))
		return;	/* task removed from the DAG (or no longer mapped): ignored */
	if (instance) {	/* linked to its task by mapped_link */
		size_t k = mapped_append(r);
		r->tis[k].task = (size_t)idx;
		r->tis[k].map_index = index;
		r->tis[k].name = xstrdup(row->task_id);
		idx = (long)k;
	}
	struct ti *ti = &r->tis[idx];
	ti->state = row->state;
	ti->try_number = row->try_number;
	ti->max_tries = row->max_tries;
	ti->next_retry_us = row->next_retry_us;
	ti->started_us = row->started_us;
	ti->restarts = row->restarts;
}

struct by_id {
	struct run **runs;	/* d->runs sorted by id */
	size_t n;
};

static int cmp_id(const void *a, const void *b)
{
	int64_t x = (*(struct run *const *)a)->id, y = (*(struct run *const *)b)->id;
	return x < y ? -1 : x > y;
}

static void build_any(void *arg, const struct store_ti_row *row)
{
	struct by_id *ix = arg;
	struct run key = { .id = row->run }, *kp = &key;
	struct run **r = bsearch(&kp, ix->runs, ix->n, sizeof *ix->runs, cmp_id);
	if (r)
		build_row(*r, row);
}

int runner_build_runs(struct daemon *d)
{
	struct by_id ix = { .runs = malloc((d->nruns ? d->nruns : 1) * sizeof *d->runs), .n = d->nruns };
	if (!ix.runs)
		abort();
	if (d->nruns)	/* d->runs may still be NULL */
		memcpy(ix.runs, d->runs, d->nruns * sizeof *d->runs);
	qsort(ix.runs, ix.n, sizeof *ix.runs, cmp_id);
	int rc = store_active_ti_rows(d->store, build_any, &ix);
	free(ix.runs);
	for (size_t i = 0; i < d->nruns; i++)
		mapped_link(d->runs[i]);
	return rc;
}

/* Every task instance that is none, tasks in dependency order, then mapped
 * instances (one cleared alone runs again; r->ntis grows as tasks expand). */
static void evaluate_all(struct daemon *d, struct run *r)
{
	for (size_t k = 0; k < r->dag->ntasks; k++)
		evaluate(d, r, r->topo[k]);
	for (size_t i = r->dag->ntasks; i < r->ntis; i++)
		evaluate(d, r, i);
}

int runner_start_run(struct daemon *d, struct run *r)
{
	if (store_run_started(d->store, r->id, r->dag->dag_id, store_now_us()) < 0)
		return -1;
	set_run_state(d, r, RUN_RUNNING);
	/* Task instances that do not exist yet are created as none. */
	for (size_t i = 0; i < r->dag->ntasks; i++)
		if (store_ti_create(d->store, r->id, r->dag->tasks[i].id, r->dag->tasks[i].retries + 1) < 0)
			return -1;
	evaluate_all(d, r);
	run_finish(d, r);
	slog(SLOG_INFO, "run_started", "dag=%s run=%lld run_id=%s", r->dag->dag_id, (long long)r->id,
	     r->run_id);
	return 0;
}

void runner_reevaluate(struct daemon *d, struct run *r)
{
	bool any = false;
	for (size_t i = 0; i < r->ntis && !any; i++)
		any = r->tis[i].state == TI_NONE && r->tis[i].map_index != MAP_DROPPED;
	if (!any)
		return;
	evaluate_all(d, r);
	run_finish(d, r);
}

/* --- tries --- */

/* The try's base path under --logs (scheduler/logpath.h); -1 with errno and
 * buf "" when the ids cannot name a path under it. */
static int try_base(struct daemon *d, struct run *r, size_t idx, int try_number, char *buf, size_t len)
{
	char ts[64];
	tz_format_iso(r->dag->timezone, r->logical_date, ts, sizeof ts);
	/* A Slurm try's files are where the cluster's nodes can write them. */
	const char *root = run_task(r, idx)->executor == EXECUTOR_SLURM && d->cfg.slurm_log_root ?
		d->cfg.slurm_log_root : d->cfg.logs_dir;
	return logpath_try_base(buf, len, root, r->dag->dag_id, ts, run_ti_name(r, idx), try_number);
}

static bool no_retry_code(const struct dag_task *t, int code)
{
	for (size_t i = 0; i < t->nno_retry_exit_codes; i++)
		if (t->no_retry_exit_codes[i] == code)
			return true;
	return false;
}

/* A stream task's try that lived longer than this ends a crash streak. */
#define STREAM_UPTIME_RESET_US (60 * 1000000LL)

/* A failed try: retry, restart (streams) or fail for good. */
static void try_failed(struct daemon *d, struct run *r, size_t idx, int exit_code, bool retryable,
		       const char *cause)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = run_task(r, idx);
	int64_t now = store_now_us();
	if (r->stream && !ti->stop_requested) {
		/* restarts: restarts in a row, each after a try that ended within
		 * STREAM_UPTIME_RESET of its start; a service that ran longer
		 * starts a fresh streak (and backoff). */
		bool long_lived = now - ti->started_us > STREAM_UPTIME_RESET_US;
		ti->restarts = long_lived ? 1 : ti->restarts + 1;
		ti->next_retry_us = proc_deadline(now, backoff_delay_ms(t->retry_backoff, t->retry_delay_ms,
									t->max_retry_delay_ms, ti->restarts));
		if (t->retries > 0 && ti->restarts > t->retries) {
			char why[700];
			snprintf(why, sizeof why, "%s; crash loop: %d exits in a row, each within %ds of its start"
				 " (retries: %d); restarted every %llds", cause, ti->restarts,
				 (int)(STREAM_UPTIME_RESET_US / 1000000), t->retries,
				 (long long)((ti->next_retry_us - now) / 1000000));
			set_state(d, r, idx, TI_CRASH_LOOP, why);
			slog(SLOG_WARN, "task_crash_loop", "dag=%s task=%s restarts=%d cause=%s", r->dag->dag_id, run_ti_name(r, idx),
			     ti->restarts, cause);
		} else {
			set_state(d, r, idx, TI_UP_FOR_RETRY, cause);
		}
		return;
	}
	if (r->stream) {	/* stopped on purpose (pause, shutdown): waits */
		ti->stop_requested = false;
		set_state(d, r, idx, TI_SCHEDULED, cause);
		return;
	}
	if (retryable && exit_code >= 0 && no_retry_code(t, exit_code)) {
		char why[300];
		snprintf(why, sizeof why, "%s; exit code %d is in no_retry_exit_codes", cause, exit_code);
		set_state(d, r, idx, TI_FAILED, why);
	} else if (retryable && ti->try_number < ti->max_tries) {
		ti->next_retry_us = proc_deadline(now, backoff_delay_ms(t->retry_backoff, t->retry_delay_ms,
									t->max_retry_delay_ms, ti->try_number));
		set_state(d, r, idx, TI_UP_FOR_RETRY, cause);
		slog(SLOG_INFO, "task_up_for_retry", "dag=%s run=%lld task=%s try=%d retry_in_ms=%lld",
		     r->dag->dag_id, (long long)r->id, run_ti_name(r, idx), ti->try_number,
		     (long long)((ti->next_retry_us - now) / 1000));
		return;
	} else {
		set_state(d, r, idx, TI_FAILED, cause);
	}
	slog(SLOG_WARN, "task_failed", "dag=%s run=%lld task=%s try=%d cause=%s", r->dag->dag_id,
	     (long long)r->id, run_ti_name(r, idx), ti->try_number, cause);
	propagate(d, r, idx);
	run_finish(d, r);
}

static void try_succeeded(struct daemon *d, struct run *r, size_t idx, const char *cause)
{
	set_state(d, r, idx, TI_SUCCESS, cause);
	propagate(d, r, idx);
	run_finish(d, r);
}


static const char *result_of(void *arg, const char *task_id)
{
	struct results *x = arg;
	free(x->last);
	x->last = NULL;
	long t = dag_task_index(x->r->dag, task_id);
	int rc = t >= 0 && x->r->tis[t].nmap > 0 ?
		store_ti_map_results(x->d->store, x->r->id, task_id, x->r->tis[t].nmap, &x->last) :
		store_ti_result(x->d->store, x->r->id, task_id, &x->last);
	if (rc < 0)
		slog(SLOG_ERROR, "store_error", "run=%lld task=%s error=%s", (long long)x->r->id, task_id,
		     x->d->store->err);
	return x->last;
}

/* The template context of a try; res (freed by the caller with
 * results_done) answers ti references. */
static struct template_ctx ctx_of(struct daemon *d, struct run *r, size_t idx, int try_number,
				  struct results *res)
{
	*res = (struct results){ .d = d, .r = r };
	const struct ti *ti = &r->tis[idx];
	if (ti->map_index >= 0) {
		json_t *items = items_of(d, r, ti->task);
		json_t *v = items ? json_array_get(items, (size_t)ti->map_index) : NULL;
		res->item = v ? jx_dump(v) : NULL;	/* NULL: its render fails, saying so */
	}
	return (struct template_ctx){
		.map_as = ti->map_index >= 0 ? run_task(r, idx)->map_as : NULL, .map_item = res->item,
		.map_index = ti->map_index,
		.dag = r->dag, .task_id = run_task(r, idx)->id, .run_id = r->run_id,
		.interval_start = r->logical_date, .interval_end = r->interval_end,
		.try_number = try_number, .conf = r->conf, .nconf = r->nconf,
		.triggering_dataset_events = r->triggering,
		.result_of = result_of, .result_arg = res,
	};
}

static void results_done(struct results *res)
{
	free(res->last);
	res->last = NULL;
	free(res->item);
	res->item = NULL;
}

/* A dataset-triggered run's triggering events, read once, at its first
 * render ({{ triggering_dataset_events }}). 0 or -1 (d->store->err). */
static int load_triggering(struct daemon *d, struct run *r)
{
	if (r->triggering || strcmp(r->run_type, "dataset_triggered") != 0)
		return 0;
	return store_dataset_triggering(d->store, r->id, r->dag->datasets, r->dag->ndatasets, &r->triggering) < 0
		       ? -1 : 0;
}

/* A task's outlets on its success: every URI rendered and checked first,
 * then one dataset event each, in the pass that records the success (so a
 * consumer sees the event exactly when the success is committed). -1 with
 * cause when one cannot be rendered: nothing is recorded and the try fails. */
static int emit_outlets(struct daemon *d, struct run *r, size_t idx, int try_number, const char *result,
			char *cause, size_t len)
{
	const struct dag_task *t = run_task(r, idx);
	if (t->noutlets == 0)
		return 0;
	struct results res;
	struct template_ctx ctx = ctx_of(d, r, idx, try_number, &res);
	char **uris = calloc(t->noutlets, sizeof *uris);
	if (!uris)
		abort();
	int rc = 0;
	for (size_t i = 0; i < t->noutlets && rc == 0; i++) {
		char err[256];
		const char *why;
		uris[i] = template_render(t->outlets[i], &ctx, err, sizeof err);
		if (!uris[i]) {
			snprintf(cause, len, "outlets: %s", err);
			rc = -1;
		} else if ((why = dataset_uri_problem(uris[i]))) {
			snprintf(cause, len, "outlets: rendered URI '%.200s' %s", uris[i], why);
			rc = -1;
		}
	}
	results_done(&res);
	int64_t now = store_now_us();
	for (size_t i = 0; i < t->noutlets && rc == 0; i++) {
		store_dataset_event(d->store, uris[i], r->dag->dag_id, r->id, run_ti_name(r, idx), now, result);
		slog(SLOG_INFO, "dataset_event", "dag=%s run=%lld task=%s uri=%s", r->dag->dag_id, (long long)r->id,
		     run_ti_name(r, idx), uris[i]);
	}
	for (size_t i = 0; i < t->noutlets; i++)
		free(uris[i]);
	free(uris);
	return rc;
}

/* Appends one line to a sensor try's log (creating its directory). A log
 * that cannot be written does not stop the sensor: the poke is in the
 * daemon's log too. */
static void sensor_log(const char *log_path, const char *line)
{
	char dir[4200];
	if (!*log_path)
		return;	/* no path under --logs (sensor_log_path) */
	snprintf(dir, sizeof dir, "%s", log_path);
	for (char *s = dir + 1; *s; s++)
		if (*s == '/') {
			*s = '\0';
			if (mkdir(dir, 0755) < 0 && errno != EEXIST)
				return;
			*s = '/';
		}
	int fd = open(log_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return;
	char buf[4600];
	char ts[64];
	int64_t now = store_now_us();
	tz_format_iso("UTC", (time_t)(now / 1000000), ts, sizeof ts);
	int n = snprintf(buf, sizeof buf, "%s %s\n", ts, line);
	if (n > 0 && write(fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1) < 0)
		slog(SLOG_DEBUG, "sensor_log_failed", "file=%s error=%s", log_path, strerror(errno));
	close(fd);
}

/* "" when the try has no path under --logs (sensor_log then writes nothing). */
static void sensor_log_path(struct daemon *d, struct run *r, size_t idx, char *buf, size_t len)
{
	char base[4096];
	if (try_base(d, r, idx, r->tis[idx].try_number, base, sizeof base) < 0)
		snprintf(buf, len, "%s", "");
	else
		snprintf(buf, len, "%s.log", base);
}

static void start_sensor(struct daemon *d, struct run *r, size_t idx, int64_t now)
{
	struct ti *ti = &r->tis[idx];
	ti->try_number++;
	ti->started_us = now;
	ti->next_poke_us = now;
	char log_path[4200];
	sensor_log_path(d, r, idx, log_path, sizeof log_path);
	set_state(d, r, idx, TI_RUNNING, "sensor started");
	store_try_begin(d->store, r->id, run_ti_name(r, idx), ti->try_number, "running", 0, now, log_path);
}

static void start_try(struct daemon *d, struct run *r, size_t idx, int64_t now)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = run_task(r, idx);
	if (dag_task_is_sensor(t)) {
		start_sensor(d, r, idx, now);
		return;
	}
	int try_number = ti->try_number + 1;
	char base[4096], log_path[4200], path_err[600] = "";
	if (try_base(d, r, idx, try_number, base, sizeof base) < 0)
		snprintf(path_err, sizeof path_err, "no log path under --logs for this try: %s", strerror(errno));
	snprintf(log_path, sizeof log_path, "%s%s", base, *base ? ".log" : "");

	ti->try_number = try_number;
	ti->started_us = now;
	if (set_state(d, r, idx, TI_QUEUED, "slot available") < 0 ||
	    store_try_begin(d->store, r->id, run_ti_name(r, idx), try_number, "queued", 0, now, log_path) < 0)
		return;	/* the pass rolls back */
	bool slurm = t->executor == EXECUTOR_SLURM;
	if (slurm && store_try_slurm_set(d->store, r->id, run_ti_name(r, idx), try_number, 0) < 0)
		return;

	/* Counted as running from here. The launcher gets it once the intent is
	 * committed (runner_submit_pending); "running" is committed when it says
	 * the command started. */
	struct proc_spec sp = { .run_id = r->id, .dag_id = r->dag->dag_id, .task_id = run_ti_name(r, idx), .base = base,
				.task_idx = idx, .try_number = try_number, .started_us = now,
				.timeout_ms = t->timeout_ms, .pool = t->pool, .pool_slots = t->pool_slots };
	ti->proc = proc_new_try(d, &sp, ++d->next_token);
	ti->proc->slurm = slurm;
	if (*path_err)	/* never submitted; recorded failed by the next pass */
		proc_start_failed(d, ti->proc, path_err);
}

/* The proc's task instance, if it still belongs to it. */
static struct run *proc_run(struct daemon *d, struct proc *p, long *idx)
{
	struct run *r = runner_find_run(d, p->run_id);
	/* Its index when started, unless the DAG was reloaded since. */
	if (r && p->task_idx < r->ntis && strcmp(run_ti_name(r, p->task_idx), p->task_id) == 0)
		*idx = (long)p->task_idx;
	else
		*idx = r ? mapped_ti_index(r, p->task_id) : -1;
	if (r && *idx >= 0 && r->tis[*idx].proc == p && r->tis[*idx].try_number == p->try_number &&
	    r->tis[*idx].map_index != MAP_DROPPED)
		return r;
	return NULL;
}

/* A try's job on Slurm: its rendered command, environment and directory,
 * and what its task asks of the cluster. 0, or -1 after a start failure;
 * waiting for an unreachable cluster is no failure. */
static int submit_slurm(struct daemon *d, struct proc *p, struct run *r, size_t idx)
{
	const struct dag_task *t = run_task(r, idx);
	char err[1024], log_path[4200], name[600], comment[1200], dir[4200];
	if (load_triggering(d, r) < 0) {
		snprintf(err, sizeof err, "triggering dataset events: %.400s", d->store->err);
		proc_start_failed(d, p, err);
		return -1;
	}
	struct results res;
	struct template_ctx ctx = ctx_of(d, r, idx, p->try_number, &res);
	struct rendered_task rt;
	int rendered = render_task(t, &ctx, &rt, err, sizeof err);
	results_done(&res);
	if (rendered < 0) {
		proc_start_failed(d, p, err);
		return -1;
	}
	snprintf(log_path, sizeof log_path, "%s.log", p->base);
	snprintf(dir, sizeof dir, "%s", p->base);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	slurm_job_name(name, sizeof name, (long long)r->id, p->try_number, run_ti_name(r, idx));
	snprintf(comment, sizeof comment, "dag=%s run=%s task=%s try=%d", r->dag->dag_id, r->run_id, run_ti_name(r, idx),
		 p->try_number);
	char exit_path[4200];
	snprintf(exit_path, sizeof exit_path, "%s.exit", p->base);
	struct slurm_submit req = {
		.argv = rt.argv, .envp = rt.envp, .cwd = rt.cwd ? rt.cwd : dir, .log_path = log_path,
		.exit_path = exit_path, .name = name, .comment = comment, .partition = t->slurm.partition,
		.account = t->slurm.account, .qos = t->slurm.qos, .cpus = t->slurm.cpus,
		.mem_mb = t->slurm.mem_mb, .time_min = t->slurm.time_min,
	};
	int rc = slurm_dispatch_submit(d, p, &req, err, sizeof err);
	rendered_task_free(&rt);
	if (rc == SLURM_REFUSED) {
		char why[1100];
		snprintf(why, sizeof why, "slurm refused the job: %s", err);
		proc_start_failed(d, p, why);
		slog(SLOG_ERROR, "task_start_failed", "dag=%s task=%s try=%d error=%s", p->dag_id, p->task_id,
		     p->try_number, why);
		return -1;
	}
	return 0;
}

void runner_submit_pending(struct daemon *d)
{
	int64_t now = store_now_us();
	for (struct proc *p = d->procs; p; p = p->next) {
		if (p->phase != PROC_UNSUBMITTED)
			continue;
		long idx;
		struct run *r = proc_run(d, p, &idx);
		char err[512];
		int rc = -1;
		if (p->slurm && r) {
			p->intent_committed = true;
			if (!p->term_sent_us && now >= p->next_submit_us)
				submit_slurm(d, p, r, (size_t)idx);
			continue;	/* a stopped one: slurm_dispatch_poll */
		}
		if (!r) {
			snprintf(err, sizeof err, "the task instance moved on before its start");
		} else if (load_triggering(d, r) < 0) {
			snprintf(err, sizeof err, "triggering dataset events: %.400s", d->store->err);
		} else {
			struct results res;
			struct template_ctx ctx = ctx_of(d, r, (size_t)idx, p->try_number, &res);
			struct rendered_task rt;
			int rendered = render_task(run_task(r, idx), &ctx, &rt, err, sizeof err);
			results_done(&res);
			if (rendered == 0) {
				struct exec_request req = { .argv = rt.argv, .envp = rt.envp, .cwd = rt.cwd,
							    .base = p->base };
				/* Unsubmitted until it is sent: a launcher lost meanwhile
				 * leaves it to the next one, not to a lock watch. */
				rc = dispatch_submit(d, &req, p->token, err, sizeof err);
				if (rc == 0)
					proc_submitted(p, d->launcher_gen);
				rendered_task_free(&rt);
			}
		}
		if (rc < 0) {
			proc_start_failed(d, p, err);	/* recorded by the next pass */
			slog(SLOG_ERROR, "task_start_failed", "dag=%s task=%s try=%d error=%s", p->dag_id,
			     p->task_id, p->try_number, err);
		}
	}
}

void runner_record_started(struct daemon *d)
{
	for (struct proc *p = d->procs; p; p = p->next) {
		if (!p->started_pending)
			continue;
		long idx;
		struct run *r = proc_run(d, p, &idx);
		if (r && r->tis[idx].state == TI_QUEUED) {
			char log_path[4200];
			snprintf(log_path, sizeof log_path, "%s.log", p->base);
			r->tis[idx].started_us = p->started_us;
			set_state(d, r, (size_t)idx, TI_RUNNING, "process started");
			store_try_begin(d->store, r->id, p->task_id, p->try_number, "running", p->pid,
					p->started_us, log_path);
		}
		proc_started_written(p);
	}
}

/* Why a try that ended did, and whether a retry can help. */
struct outcome {
	bool success, retryable;
	int code, sig;
	char cause[512];
};

static struct outcome outcome_of(const struct proc *p, int have, const struct exec_status *es)
{
	struct outcome o = { .code = -1, .retryable = true };
	if (p->start_error) {
		snprintf(o.cause, sizeof o.cause, "%s", p->start_error);
	} else if (have == 1) {
		o.code = es->exit_code;
		o.sig = es->term_signal;
		o.success = o.code == 0 && o.sig == 0;
		if (o.sig)
			snprintf(o.cause, sizeof o.cause, "killed by signal %d", o.sig);
		else if (o.code == 127 || o.code == 126) {
			/* A configuration error (the shell's codes): another try
			 * would fail the same way. */
			snprintf(o.cause, sizeof o.cause, "%s (exit %d)",
				 o.code == 127 ? "command not found" : "command not executable", o.code);
			o.retryable = false;
		} else
			snprintf(o.cause, sizeof o.cause, "exit code %d", o.code);
		if (es->log_errno) {
			/* Still the command's outcome, but not a plain one. */
			size_t len = strlen(o.cause);
			snprintf(o.cause + len, sizeof o.cause - len, "; log incomplete: %s",
				 strerror(es->log_errno));
		}
	} else {
		snprintf(o.cause, sizeof o.cause, "launcher lost: ended without an exit record%s",
			 p->have_record && WIFSIGNALED(p->wait_status) ? " (killed)" : "");
	}
	if (p->timed_out) {
		o.success = false;
		o.retryable = true;
		char took[32];
		duration_format((p->deadline_us - p->started_us) / 1000, took, sizeof took);
		snprintf(o.cause, sizeof o.cause, "timeout after %s", took);
	}
	if (p->job_cause && !o.success && !p->timed_out) {
		/* The cluster's word for how the job ended (TIMEOUT, OUT_OF_MEMORY...) */
		size_t len = strlen(o.cause);
		snprintf(o.cause + len, sizeof o.cause - len, "; %s", p->job_cause);
	}
	if (p->stopping && !o.success) {
		o.retryable = false;
		snprintf(o.cause, sizeof o.cause, "stopped on request");
	}
	return o;
}

#define RESTART_CAUSE "stopped: cleared while running (restarting)"

void runner_restart(struct daemon *d, struct run *r, size_t idx)
{
	struct ti *ti = &r->tis[idx];
	store_try_abandon(d->store, r->id, run_ti_name(r, idx), ti->try_number, RESTART_CAUSE, store_now_us());
	ti->proc = NULL;
	ti->max_tries = ti->try_number + 1 + run_task(r, idx)->retries;
	ti->next_retry_us = 0;
	set_state(d, r, idx, TI_NONE, "restarting: its try ended; it runs again");
	if (r->state == RUN_RUNNING)
		evaluate(d, r, idx);
}

void runner_record_exit(struct daemon *d, struct proc *p)
{
	/* The record came with the launcher's EXITED, or (adopted tries) from the
	 * .sup a launcher writes once its daemon is gone. Read again if the pass
	 * is rolled back: the proc keeps what it was given. */
	struct exec_status es = { 0 }, read = { 0 };
	int have = 0;
	if (p->never_submitted) {
		/* Adopted, and it never reached Slurm: like a local try that never
		 * started (recover.c), its try number goes back and it runs again. */
		long i;
		struct run *nr = proc_run(d, p, &i);
		if (nr && (nr->tis[i].state == TI_QUEUED || nr->tis[i].state == TI_RUNNING)) {
			struct ti *ti = &nr->tis[i];
			enum ti_state old = ti->state;
			ti->proc = NULL;
			run_ti_state(nr, (size_t)i, TI_SCHEDULED);
			ti->try_number = p->try_number > 0 ? p->try_number - 1 : 0;
			store_ti_never_started(d->store, nr->id, nr->dag->dag_id, p->task_id, p->try_number, old);
			proc_recorded(d, p);
			return;
		}
	}
	if (p->start_error) {
		have = 0;
	} else if (p->have_record) {
		es = p->record;
		have = 1;
	} else {
		have = exec_read_status(p->base, &read);
		es = read;
	}
	struct outcome o = outcome_of(p, have, &es);

	long idx;
	struct run *r = proc_run(d, p, &idx);
	if (r && r->tis[idx].state == TI_RESTARTING) {
		/* Cleared while running: its end is no failure of the task and
		 * fires no trigger rule; it runs again (once its clear is in,
		 * when a stop request came first). */
		try_end(d, r, (size_t)idx, p->try_number, "failed", o.code, o.sig, es.last_line, RESTART_CAUSE,
			es.ended_us);
		r->tis[idx].proc = NULL;
		slog(SLOG_INFO, "task_restarting", "dag=%s run=%lld task=%s try=%d", p->dag_id, (long long)p->run_id,
		     p->task_id, p->try_number);
		if (!p->wait_for_clear)
			runner_restart(d, r, (size_t)idx);
	} else if (r) {
		struct ti *ti = &r->tis[idx];
		ti->proc = NULL;
		if (p->stopping && r->stream)
			ti->stop_requested = true;
		if (o.success && !r->stream &&
		    emit_outlets(d, r, (size_t)idx, p->try_number, es.last_line, o.cause, sizeof o.cause) < 0) {
			o.success = false;	/* its command did the work, its outlets are wrong: */
			o.retryable = false;	/* another try would fail the same way */
		}
		/* The launcher's clock of the command's end, not when we got to it. */
		try_end(d, r, (size_t)idx, p->try_number, o.success ? "success" : "failed", o.code, o.sig,
			es.last_line, o.cause, es.ended_us);
		slog(o.success ? SLOG_INFO : SLOG_WARN, o.success ? "task_success" : "task_try_failed",
		     "dag=%s run=%lld task=%s try=%d exit=%d cause=%s", p->dag_id, (long long)p->run_id,
		     p->task_id, p->try_number, o.code, o.cause);
		if (o.success && !r->stream)
			try_succeeded(d, r, (size_t)idx, o.cause);
		else
			try_failed(d, r, (size_t)idx, o.code, o.retryable, o.cause);
	} else {
		/* The task instance moved on (cleared or rebuilt): keep the try's record. */
		struct store_try_end e = { .run = p->run_id, .task_id = p->task_id, .try_number = p->try_number,
					   .state = o.success ? "success" : "failed", .exit_code = o.code,
					   .sig = o.sig, .cause = o.cause,
					   .ended_us = es.ended_us > 0 ? es.ended_us : store_now_us() };
		store_try_end(d->store, &e, false);
	}
	exec_status_free(&read);
	proc_recorded(d, p);
}

/* What one poke of a sensor saw. what names what it waits for (the log's
 * "poke <what>: <detail>"); cause says why a failed one failed. */
enum probe { PROBE_WAIT, PROBE_MET, PROBE_FAILED };
struct probe_out {
	char what[1200], detail[300], cause[1500];
};

static enum probe probe_path(const struct dag_task *t, const struct template_ctx *ctx, struct probe_out *o)
{
	char err[256];
	char *path = template_render(t->wait_path, ctx, err, sizeof err);
	if (!path) {
		snprintf(o->what, sizeof o->what, "-");
		snprintf(o->cause, sizeof o->cause, "%s", err);
		return PROBE_FAILED;
	}
	glob_t g;
	bool found = glob(path, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
	globfree(&g);
	snprintf(o->what, sizeof o->what, "%s", path);
	snprintf(o->detail, sizeof o->detail, "%s", found ? "found" : "not found");
	free(path);
	return found ? PROBE_MET : PROBE_WAIT;
}

/* wait_for: {dag: ...}: the state of the other DAG's run (or one of its
 * task instances) of the logical date, against allowed_ and failed_states. */
static enum probe probe_dag(struct daemon *d, struct run *r, const struct dag_task *t,
			    const struct template_ctx *ctx, struct probe_out *o)
{
	time_t ld = r->logical_date + t->wait_offset_s;
	if (t->wait_date) {
		char err[256];
		char *s = template_render(t->wait_date, ctx, err, sizeof err);
		int bad = !s || tz_parse_datetime(r->dag->timezone, s, &ld) != 0;
		if (bad) {
			snprintf(o->what, sizeof o->what, "dag %s", t->wait_dag);
			if (s)
				snprintf(o->cause, sizeof o->cause, "wait_for.logical_date: '%.200s' is not a date"
					 " (YYYY-MM-DD or YYYY-MM-DDTHH:MM[:SS][+HH:MM])", s);
			else
				snprintf(o->cause, sizeof o->cause, "wait_for.logical_date: %s", err);
			free(s);
			return PROBE_FAILED;
		}
		free(s);
	}
	char date[64], state[32];
	tz_format_iso(r->dag->timezone, ld, date, sizeof date);
	snprintf(o->what, sizeof o->what, "dag %s%s%s at %s", t->wait_dag, t->wait_task ? " task " : "",
		 t->wait_task ? t->wait_task : "", date);
	int f = store_external_state(d->store, t->wait_dag, ld, t->wait_task, state, sizeof state);
	if (f <= 0) {
		snprintf(o->detail, sizeof o->detail, "%s", f < 0 ? "store error" : t->wait_task ?
			 "no such run or task instance yet" : "no such run yet");
		return PROBE_WAIT;
	}
	int st = t->wait_task ? ti_state_parse(state) : run_state_parse(state);
	snprintf(o->detail, sizeof o->detail, "%s", state);
	if (st >= 0 && (t->wait_allowed & (1u << st)))
		return PROBE_MET;
	if (st >= 0 && (t->wait_failed & (1u << st))) {
		snprintf(o->cause, sizeof o->cause, "%.1100s is %s (failed_states)", o->what, state);
		return PROBE_FAILED;
	}
	return PROBE_WAIT;
}

static void poke(struct daemon *d, struct run *r, size_t idx, int64_t now)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = run_task(r, idx);
	char log_path[4200], line[4400];
	sensor_log_path(d, r, idx, log_path, sizeof log_path);
	if (load_triggering(d, r) < 0)
		return;	/* the pass rolls back */
	struct results res;
	struct template_ctx ctx = ctx_of(d, r, idx, ti->try_number, &res);
	struct probe_out o = { "", "", "" };
	enum probe p = t->wait_dag ? probe_dag(d, r, t, &ctx, &o) : probe_path(t, &ctx, &o);
	results_done(&res);
	/* Overflow-free: elapsed time compared in milliseconds. */
	bool timed_out = (now - ti->started_us) / 1000 >= t->wait_timeout_ms;
	if (p == PROBE_MET && emit_outlets(d, r, idx, ti->try_number, NULL, o.cause, sizeof o.cause) < 0)
		p = PROBE_FAILED;
	if (p == PROBE_MET) {
		snprintf(line, sizeof line, "poke %s: %s", o.what, o.detail);
		sensor_log(log_path, line);
		try_end(d, r, idx, ti->try_number, "success", 0, 0, NULL, t->wait_dag ? o.detail : "found", now);
		slog(SLOG_INFO, "sensor_found", "dag=%s task=%s path=%s", r->dag->dag_id, run_ti_name(r, idx), o.what);
		try_succeeded(d, r, idx, t->wait_dag ? "sensor's DAG reached an allowed state" : "sensor found its path");
	} else if (p == PROBE_FAILED || timed_out) {
		const char *cause = p == PROBE_FAILED ? o.cause : "sensor timed out";
		snprintf(line, sizeof line, "poke %s: %s%s%s", o.what, *o.detail ? o.detail : "", *o.detail ? "; " : "",
			 cause);
		sensor_log(log_path, line);
		try_end(d, r, idx, ti->try_number, "failed", -1, 0, NULL, cause, now);
		try_failed(d, r, idx, -1, false, cause);
	} else {
		snprintf(line, sizeof line, "poke %s: %s", o.what, o.detail);
		sensor_log(log_path, line);
		ti->next_poke_us = proc_deadline(now, t->poke_ms);
	}
}

static void min_wake(int64_t *wake, int64_t t)
{
	if (t > 0 && (*wake == 0 || t < *wake))
		*wake = t;
}

/* Whether a try's task id is task's, or one of its mapped instances'. */
static bool same_task(const char *name, const char *task)
{
	size_t tl;
	map_name_parse(name, &tl, NULL);
	return strlen(task) == tl && !memcmp(name, task, tl);
}

/* Whether task t of DAG dag_id is below its max_active_tis_per_dag: its
 * tries that hold a process, over all the DAG's runs (a mapped task's
 * instances together, as Airflow counts them). */
static bool task_slot_free(const struct daemon *d, const char *dag_id, const struct dag_task *t)
{
	if (t->max_active_tis <= 0)
		return true;
	int active = 0;
	for (const struct proc *p = d->procs; p; p = p->next)
		if (p->phase != PROC_RECORDED && same_task(p->task_id, t->id) && strcmp(p->dag_id, dag_id) == 0 &&
		    ++active >= t->max_active_tis)
			return false;
	return true;
}

/* ---- priorities and pools (docs/pools.md)
 * A pass first collects every ready (scheduled, not a sensor) try of the
 * running runs, in run order (sort_key) then topological order; then starts
 * them by priority_weight, highest first, ties in that collected order, each
 * while parallelism, its DAG's concurrency, its task's max_active_tis_per_dag
 * and its pool have room. A try that does not fit waits for the next pass and
 * does not hold back the lower ones that fit (another pool, another DAG). */
struct ready_try {
	struct run *r;
	size_t idx;
	int priority;
	size_t seq;
};

static void ready_add(struct daemon *d, struct run *r, size_t idx)
{
	if (d->nready == d->capready) {
		d->capready = d->capready ? d->capready * 2 : 64;
		d->ready = xrealloc(d->ready, d->capready * sizeof *d->ready);
	}
	d->ready[d->nready] = (struct ready_try){ r, idx, run_task(r, idx)->priority_weight, d->nready };
	d->nready++;
}

static int by_priority(const void *a, const void *b)
{
	const struct ready_try *x = a, *y = b;
	if (x->priority != y->priority)
		return x->priority > y->priority ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Whether the task may take its pool's slots now; says once per task
 * instance why it waits when the pool is missing or too small (an event and
 * a log line). */
static bool pool_admits(struct daemon *d, struct run *r, size_t idx)
{
	const struct dag_task *t = run_task(r, idx);
	struct ti *ti = &r->tis[idx];
	if (!t->pool)
		return true;
	if (!d->pools.loaded && pool_table_load(d, &d->pools) < 0) {
		slog(SLOG_ERROR, "store_error", "what=pools error=%s", d->store->err);
		return false;
	}
	int size = 0;
	enum pool_answer a = pool_take(&d->pools, t->pool, t->pool_slots, &size);
	if (a == POOL_TAKEN) {
		ti->pool_waiting = false;
		return true;
	}
	if (a != POOL_FULL && !ti->pool_waiting) {
		char cause[600];
		if (a == POOL_UNKNOWN)
			snprintf(cause, sizeof cause, "waiting for pool '%s': no such pool (schedctl pools set %s N)",
				 t->pool, t->pool);
		else
			snprintf(cause, sizeof cause, "waiting for pool '%s': pool_slots %d is more than its %d slots",
				 t->pool, t->pool_slots, size);
		ti->pool_waiting = true;
		slog(SLOG_WARN, "pool_wait", "dag=%s run=%lld task=%s pool=%s", r->dag->dag_id, (long long)r->id,
		     run_ti_name(r, idx), t->pool);
		store_event(d->store, r->dag->dag_id, r->id, run_ti_name(r, idx), 0, "scheduled", "scheduled", cause);
	}
	return false;
}

/* Starts the pass's ready tries by priority while there is room. */
static void start_ready(struct daemon *d, int64_t now)
{
	if (d->nready == 0)
		return;
	bool same = true;
	for (size_t i = 1; i < d->nready && same; i++)
		same = d->ready[i].priority == d->ready[0].priority;
	if (!same)	/* else already in order: no sort on the common path */
		qsort(d->ready, d->nready, sizeof *d->ready, by_priority);
	for (size_t i = 0; i < d->nready && d->nprocs < d->cfg.parallelism; i++) {
		struct run *r = d->ready[i].r;
		size_t idx = d->ready[i].idx;
		const struct dag_task *t = run_task(r, idx);
		if (r->state != RUN_RUNNING || r->tis[idx].state != TI_SCHEDULED)
			continue;	/* a try started before it ended the run */
		if (r->slot->running_tasks < r->dag->concurrency && task_slot_free(d, r->dag->dag_id, t) &&
		    pool_admits(d, r, idx))
			start_try(d, r, idx, now);
	}
	d->nready = 0;
	pool_table_reset(&d->pools);
}

/* One task instance's turn in a pass: a retry due, a start (or its place
 * among the ready tries), a sensor's poke. */
static void tick_ti(struct daemon *d, struct run *r, size_t idx, bool paused, int64_t now, int64_t *wake)
{
	const struct dag_task *t = run_task(r, idx);
	if (!run_ti_has_tries(r, idx))
		return;	/* a mapped task's aggregate, a dropped instance */
	if (r->tis[idx].state == TI_UP_FOR_RETRY || r->tis[idx].state == TI_CRASH_LOOP) {
		if (now < r->tis[idx].next_retry_us) {
			min_wake(wake, r->tis[idx].next_retry_us);
			return;
		}
		if (paused || d->draining)
			return;
		set_state(d, r, idx, TI_SCHEDULED, r->stream ? "restart" : "retry due");
	}
	if (r->tis[idx].state == TI_SCHEDULED && !paused && !d->draining) {
		if (dag_task_is_sensor(t))	/* holds no process slot, nor a pool's */
			start_try(d, r, idx, now);
		else
			ready_add(d, r, idx);
	}
	/* r->tis may have moved: a poke that succeeds can expand a downstream task */
	if (r->tis[idx].state == TI_RUNNING && dag_task_is_sensor(t)) {
		if (now >= r->tis[idx].next_poke_us)
			poke(d, r, idx, now);
		if (r->tis[idx].state == TI_RUNNING)
			min_wake(wake, r->tis[idx].next_poke_us);
	}
}

int64_t runner_tick(struct daemon *d, int64_t now)
{
	int64_t wake = 0;
	/* Timeouts and stop escalation. */
	for (struct proc *p = d->procs; p; p = p->next) {
		if (p->phase == PROC_EXITED || p->phase == PROC_RECORDED)
			continue;
		if (p->deadline_us && !p->term_sent_us && now >= p->deadline_us) {
			proc_terminate(p, now, false, true);
			slog(SLOG_WARN, "task_timeout", "dag=%s task=%s try=%d pid=%d", p->dag_id, p->task_id,
			     p->try_number, (int)p->pid);
		}
		if (p->term_sent_us) {
			int64_t kill_at = proc_deadline(p->term_sent_us, d->cfg.grace_ms);
			if (now >= kill_at) {
				if (!p->slurm)	/* a Slurm job: scancel's own KillWait */
					exec_signal(p->pid, SIGKILL);
			}
			else
				min_wake(&wake, kill_at);
		} else {
			min_wake(&wake, p->deadline_us);
		}
	}
	/* Only the running runs (counted: a backfill's queued ones are skipped
	 * once every running one was seen). */
	size_t left = d->nrunning;
	for (size_t i = 0; i < d->nruns && left > 0; i++) {
		struct run *r = d->runs[i];
		if (r->state != RUN_RUNNING)
			continue;
		left--;
		bool paused = r->slot->paused || !r->slot->active;
		/* Tasks in dependency order, then the mapped instances (those
		 * expanded in this loop too: r->ntis is read as it grows). */
		for (size_t k = 0; k < r->ntis && r->state == RUN_RUNNING; k++)
			tick_ti(d, r, k < r->dag->ntasks ? r->topo[k] : k, paused, now, &wake);
	}
	start_ready(d, now);
	return wake;
}

static bool stoppable(const struct proc *p)
{
	return p->phase != PROC_EXITED && p->phase != PROC_RECORDED && !p->term_sent_us;
}

void runner_stop_all(struct daemon *d, bool streams_only)
{
	int64_t now = store_now_us();
	for (struct proc *p = d->procs; p; p = p->next) {
		struct run *r = runner_find_run(d, p->run_id);
		bool stream = r && r->stream;
		if ((streams_only && !stream) || !stoppable(p))
			continue;
		proc_terminate(p, now, true, false);
	}
}

/* Stops the stream tasks of paused or removed stream DAGs. */
static void stop_paused_streams(struct daemon *d)
{
	int64_t now = store_now_us();
	for (struct proc *p = d->procs; p; p = p->next) {
		struct run *r = runner_find_run(d, p->run_id);
		if (!r || !r->stream || !stoppable(p))
			continue;
		if (r->slot->paused || !r->slot->active) {
			proc_terminate(p, now, true, false);
			slog(SLOG_INFO, "stream_task_stopping", "dag=%s task=%s", p->dag_id, p->task_id);
		}
	}
}

/* A stop request for a try no proc of ours holds, its run no longer active
 * (stopped while the daemon was down, so start-up did not adopt it): the try
 * is found by its files as recover.c does; a live one is adopted and
 * terminated, one that ended meanwhile is recorded. Its task instance already
 * has its final state: the end only closes the try. */
static const char *stop_orphan(struct daemon *d, const struct store_request_row *q)
{
	int try_number;
	int64_t started_us;
	char log_path[4200], dag_id[256];
	int f = store_live_try(d->store, q->run, q->task_id, &try_number, &started_us, log_path, sizeof log_path,
			       dag_id, sizeof dag_id);
	if (f <= 0 || proc_find(d, q->run, q->task_id, try_number))	/* ours: ending already */
		return "not running";
	size_t n = strlen(log_path);
	if (n > 4 && strcmp(log_path + n - 4, ".log") == 0)
		log_path[n - 4] = '\0';
	pid_t pid = 0;
	enum exec_probe_result pr = exec_probe(log_path, &pid);
	struct proc_spec sp = { .run_id = q->run, .dag_id = dag_id, .task_id = q->task_id, .base = log_path,
				.task_idx = 0, .try_number = try_number, .started_us = started_us };
	if (pr == EXEC_ALIVE) {
		struct proc *p = proc_new_adopted(d, &sp, pid);
		proc_terminate(p, store_now_us(), true, false);
		return "stop signal sent (adopted)";
	}
	if (pr == EXEC_GONE) {
		proc_new_ended(d, &sp, pid);
		return "it had ended";
	}
	return "not running";
}

/* Requests other processes left for the daemon: "stop" a running try. In
 * the pass's transaction. */
void runner_process_requests(struct daemon *d)
{
	stop_paused_streams(d);
	struct store_request_row reqs[64];
	int n = store_pending_requests(d->store, reqs, 64);
	for (int i = 0; i < n; i++) {
		const char *state = "done", *result = "not running";
		if (strcmp(reqs[i].kind, "stop") == 0) {
			/* The try of (run, task) is stopped with the kill grace.
			 * Written by schedctl stop, mark and backfill --cancel
			 * (store_cli.c) in the transaction that already gave the task
			 * instance its final state: the sync before this saw it, so
			 * the proc belongs to no task instance any more and its end
			 * only closes its try ("stopped on request"). A request
			 * finding the task instance still running or queued (a bare
			 * request, as clear --force's protocol allows) makes it
			 * restarting: the clear that follows runs it again
			 * (recover.c). */
			struct run *r = runner_find_run(d, reqs[i].run);
			long idx = r ? mapped_ti_index(r, reqs[i].task_id) : -1;
			struct ti *ti = idx >= 0 ? &r->tis[idx] : NULL;
			for (struct proc *p = d->procs; p; p = p->next)
				if (p->run_id == reqs[i].run && strcmp(p->task_id, reqs[i].task_id) == 0 &&
				    p->phase != PROC_EXITED && p->phase != PROC_RECORDED) {
					proc_terminate(p, store_now_us(), true, false);
					p->wait_for_clear = true;
					result = "stop signal sent";
				}
			if (!r && strcmp(result, "not running") == 0)
				result = stop_orphan(d, &reqs[i]);
			if (ti && (ti->state == TI_RUNNING || ti->state == TI_QUEUED)) {
				set_state(d, r, (size_t)idx, TI_RESTARTING, "stop requested (schedctl clear --force)");
				if (!ti->proc) {	/* a sensor: nothing to wait for */
					store_try_abandon(d->store, r->id, reqs[i].task_id, ti->try_number,
							  RESTART_CAUSE, store_now_us());
					result = "sensor stopped";
				}
			}
		} else {
			state = "failed";
			result = "unknown request kind";
		}
		if (store_request_done(d->store, reqs[i].id, state, result) < 0)
			return;
		slog(SLOG_INFO, "request", "id=%lld kind=%s result=%s", (long long)reqs[i].id, reqs[i].kind,
		     result);
	}
}
