/* recover.c: rebuilds the daemon's view of the active runs from the store,
 * at start-up, after writes by other processes, and after a pass that rolled
 * back; at start-up it also reconciles tries the store calls queued or
 * running with what the executor's files say (see executors/local.h):
 *   log locked                       -> adopted: watched until it ends
 *   lock free, exit record in .sup   -> it ended: recorded as it ended
 *   lock free, pid (.sup or store)   -> it ran, no record: a failed try
 *   lock free, no pid anywhere       -> never started: scheduled again
 * So after kill -9 of the daemon no try is lost, none is recorded success
 * without exit 0, and no task instance gets a second live try. A try the
 * store says went to Slurm (tries.executor) is adopted as a Slurm job, by
 * its job id or its name: slurm_dispatch.c finishes its story.
 *
 * Procs survive a rebuild (they are processes, proc.c owns them): each is
 * attached again to its task instance by (run, task, try). Runs the planner
 * creates are handed to the runner directly and need no rebuild. Runs inside
 * the caller's transaction (the loop's pass, or the start-up one). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executors/local.h"
#include "scheduler/daemon.h"
#include "scheduler/slog.h"
#include "scheduler/store_daemon.h"

static void add_conf(void *arg, const char *k, const char *v)
{
	struct run *r = arg;
	struct dag_kv *c = realloc(r->conf, (r->nconf + 1) * sizeof *c);
	if (!c)
		abort();
	r->conf = c;
	c[r->nconf].key = strdup(k);
	c[r->nconf].value = strdup(v);
	r->nconf++;
}

static struct proc_spec spec_of(struct run *r, size_t idx, const char *base)
{
	const struct ti *ti = &r->tis[idx];
	return (struct proc_spec){ .run_id = r->id, .dag_id = r->dag->dag_id, .task_id = run_ti_name(r, idx),
				   .base = base, .task_idx = idx, .try_number = ti->try_number,
				   .started_us = ti->started_us, .timeout_ms = run_task(r, idx)->timeout_ms,
				   .pool = run_task(r, idx)->pool, .pool_slots = run_task(r, idx)->pool_slots };
}

/* Start-up reconciliation of one queued/running task instance. */
static int reconcile(struct daemon *d, struct run *r, size_t idx, const char *log_path)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = run_task(r, idx);
	if (dag_task_is_sensor(t) && ti->state == TI_RUNNING)
		return 0;	/* a sensor: no process, it just keeps poking */
	char base[4200];
	snprintf(base, sizeof base, "%s", log_path ? log_path : "");
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".log") == 0)
		base[n - 4] = '\0';
	int64_t job_id = 0;
	int sl = store_try_slurm(d->store, r->id, run_ti_name(r, idx), ti->try_number, &job_id);
	if (sl < 0)
		return -1;
	if (sl == 1) {
		struct proc_spec sp = spec_of(r, idx, base);
		ti->proc = proc_new_slurm(d, &sp, job_id);
		slurm_dispatch_adopted(d);
		slog(SLOG_INFO, "task_adopted", "dag=%s run=%lld task=%s try=%d job=%lld", r->dag->dag_id,
		     (long long)r->id, run_ti_name(r, idx), ti->try_number, (long long)job_id);
		return 0;
	}
	pid_t pid = 0;
	enum exec_probe_result pr = log_path ? exec_probe(base, &pid) : EXEC_NEVER_STARTED;
	if (pr == EXEC_NEVER_STARTED && log_path) {
		/* No .sup, lock free: never started, unless the store saw it start
		 * (its launcher died before writing the .sup): then it ran and is
		 * gone without a record, a failed try. */
		int found = store_try_pid(d->store, r->id, run_ti_name(r, idx), ti->try_number, &pid);
		if (found < 0)
			return -1;
		if (found)
			pr = EXEC_GONE;
	}
	struct proc_spec sp = spec_of(r, idx, base);
	if (pr == EXEC_ALIVE) {
		ti->proc = proc_new_adopted(d, &sp, pid);
		if (ti->state == TI_QUEUED) {
			run_ti_state(r, idx, TI_RUNNING);
			if (store_ti_adopted(d->store, r->id, r->dag->dag_id, run_ti_name(r, idx), ti->try_number, pid) < 0)
				return -1;
		}
		slog(SLOG_INFO, "task_adopted", "dag=%s run=%lld task=%s try=%d pid=%d", r->dag->dag_id,
		     (long long)r->id, run_ti_name(r, idx), ti->try_number, (int)pid);
	} else if (pr == EXEC_GONE) {
		/* Let the normal exit path read the status (or its absence). */
		ti->proc = proc_new_ended(d, &sp, pid);
		slog(SLOG_INFO, "task_ended_while_down", "dag=%s run=%lld task=%s try=%d", r->dag->dag_id,
		     (long long)r->id, run_ti_name(r, idx), ti->try_number);
	} else {
		/* This try never started: give the try number back. */
		enum ti_state old = ti->state;
		int lost_try = ti->try_number;
		run_ti_state(r, idx, TI_SCHEDULED);
		ti->try_number = lost_try > 0 ? lost_try - 1 : 0;
		if (store_ti_never_started(d->store, r->id, r->dag->dag_id, run_ti_name(r, idx), lost_try, old) < 0)
			return -1;
	}
	return 0;
}

/* A task instance cleared while running (schedctl clear --force): its try
 * is stopped if it lives, and it runs again once the try is gone. A try a
 * "stop" request ended waits for the clear that follows it: any write by
 * another process lets it go on. */
static int restarting(struct daemon *d, struct run *r, size_t idx, bool startup)
{
	struct ti *ti = &r->tis[idx];
	struct proc *p = proc_find(d, r->id, run_ti_name(r, idx), ti->try_number);
	if (!p && startup && !dag_task_is_sensor(run_task(r, idx))) {
		char log_path[4200], base[4200];
		int found = store_ti_log_path(d->store, r->id, run_ti_name(r, idx), log_path, sizeof log_path);
		if (found < 0)
			return -1;
		snprintf(base, sizeof base, "%s", found ? log_path : "");
		size_t n = strlen(base);
		if (n > 4 && strcmp(base + n - 4, ".log") == 0)
			base[n - 4] = '\0';
		pid_t pid = 0;
		int64_t job_id = 0;
		int sl = store_try_slurm(d->store, r->id, run_ti_name(r, idx), ti->try_number, &job_id);
		if (sl < 0)
			return -1;
		if (sl == 1) {	/* its job may live: cancelled, and it runs again once it ended */
			struct proc_spec sp = spec_of(r, idx, base);
			p = proc_new_slurm(d, &sp, job_id);
			slurm_dispatch_adopted(d);
		} else if (found && exec_probe(base, &pid) == EXEC_ALIVE) {
			struct proc_spec sp = spec_of(r, idx, base);
			p = proc_new_adopted(d, &sp, pid);
		}
	}
	if (!p) {
		runner_restart(d, r, idx);
		return 0;
	}
	ti->proc = p;
	p->wait_for_clear = false;
	if (p->phase != PROC_EXITED && p->phase != PROC_RECORDED)
		proc_terminate(p, store_now_us(), true, false);
	return 0;
}

static int add_row(void *arg, const struct store_run_row *row)
{
	struct daemon *d = arg;
	struct dagslot *slot = dagbag_find(d, row->dag_id);
	if (!slot || !slot->dag)
		return 0;	/* its DAG is not loaded (yet): left as it is */
	struct run *r = runner_new_run(d, slot, row->id, row->run_id, row->run_type, row->logical_date,
				       row->interval_end, row->backfill_id, row->sort_key, row->state, row->version);
	if (row->conf && store_conf_each(d->store, row->conf, add_conf, r) < 0) {
		runner_add_run(d, r);
		return -1;
	}
	return runner_add_run(d, r);	/* rows come in sort_key order: appended */
}

int recover_sync(struct daemon *d, bool startup)
{
	runner_free_runs(d);
	for (size_t i = 0; i < d->nslots; i++) {
		/* A rolled-back pass may have moved it in memory only. */
		time_t ni;
		if (d->slots[i]->dag && store_dag_next(d->store, d->slots[i]->dag_id, &ni) == 1)
			d->slots[i]->next_interval = ni;
	}
	if (store_active_runs(d->store, add_row, d) < 0)
		return -1;
	proc_recount(d);
	if (runner_build_runs(d) < 0)
		return -1;
	for (size_t i = 0; i < d->nruns; i++) {
		struct run *r = d->runs[i];
		for (size_t k = 0; k < r->ntis; k++) {	/* tasks, then mapped instances */
			struct ti *ti = &r->tis[k];
			if (!run_ti_has_tries(r, k))
				continue;	/* a mapped task's aggregate holds no try */
			if (ti->state == TI_RESTARTING) {
				if (restarting(d, r, k, startup) < 0)
					return -1;
				continue;
			}
			if (ti->state != TI_QUEUED && ti->state != TI_RUNNING)
				continue;
			struct proc *p = proc_find(d, r->id, run_ti_name(r, k), ti->try_number);
			if (p) {
				ti->proc = p;
				continue;
			}
			if (!startup && (dag_task_is_sensor(run_task(r, k)) || ti->state == TI_QUEUED))
				continue;
			char log_path[4200];
			int found = store_ti_log_path(d->store, r->id, run_ti_name(r, k), log_path, sizeof log_path);
			if (found < 0 || reconcile(d, r, k, found ? log_path : NULL) < 0)
				return -1;
		}
		/* Task instances cleared by schedctl in a running run. */
		if (r->state == RUN_RUNNING)
			runner_reevaluate(d, r);
	}
	dagver_sweep(d);	/* versions only the runs dropped above used */
	d->need_sync = false;
	return 0;
}
