/* recover.c: rebuilds the daemon's view of the active runs from the store,
 * and at start-up reconciles tries the store calls queued or running with
 * what the executor's files say (see executors/local.h):
 *   log locked                       -> adopted: watched until it ends
 *   lock free, exit record in .sup   -> it ended: recorded as it ended
 *   lock free, pid (.sup or store)   -> it ran, no record: a failed try
 *   lock free, no pid anywhere       -> never started: scheduled again
 * So after kill -9 of the daemon no try is lost, none is recorded success
 * without exit 0, and no task instance gets a second live try. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executors/local.h"
#include "scheduler/daemon.h"
#include "scheduler/slog.h"

static void load_conf(struct daemon *d, struct run *r, const char *json)
{
	if (!json)
		return;
	static const char sql[] = "SELECT key, value FROM json_each(?)";
	sqlite3_stmt *st = store_cached(d->store, sql);
	sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
	while (sqlite3_step(st) == SQLITE_ROW) {
		r->conf = realloc(r->conf, (r->nconf + 1) * sizeof *r->conf);
		const unsigned char *v = sqlite3_column_text(st, 1);
		r->conf[r->nconf].key = strdup((const char *)sqlite3_column_text(st, 0));
		r->conf[r->nconf].value = strdup(v ? (const char *)v : "");
		r->nconf++;
	}
	sqlite3_reset(st);
}

static struct proc *find_proc(struct daemon *d, int64_t run, const char *task, int try_number)
{
	for (struct proc *p = d->procs; p; p = p->next)
		if (p->run_id == run && p->try_number == try_number && strcmp(p->task_id, task) == 0)
			return p;
	return NULL;
}

static struct proc *adopt(struct daemon *d, struct run *r, size_t idx, const char *base, pid_t pid)
{
	struct proc *p = calloc(1, sizeof *p);
	struct ti *ti = &r->tis[idx];
	p->pid = pid;
	p->run_id = r->id;
	p->task_id = strdup(r->dag->tasks[idx].id);
	p->task_idx = idx;
	p->dag_id = strdup(r->dag->dag_id);
	p->try_number = ti->try_number;
	p->base = strdup(base);
	p->phase = PROC_WATCHED;
	p->started_us = ti->started_us;
	int64_t timeout = r->dag->tasks[idx].timeout_ms;
	p->deadline_us = timeout > 0 ? ti->started_us + timeout * 1000 : 0;
	p->next = d->procs;
	d->procs = p;
	d->nprocs++;
	r->slot->running_tasks++;
	return p;
}

/* Start-up reconciliation of one queued/running task instance. */
static void reconcile(struct daemon *d, struct run *r, size_t idx, const char *log_path)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = &r->dag->tasks[idx];
	if (t->wait_path && ti->state == TI_RUNNING)
		return;	/* a sensor: no process, it just keeps poking */
	char base[4096];
	snprintf(base, sizeof base, "%s", log_path ? log_path : "");
	size_t n = strlen(base);
	if (n > 4 && strcmp(base + n - 4, ".log") == 0)
		base[n - 4] = '\0';
	pid_t pid = 0;
	enum exec_probe_result pr = log_path ? exec_probe(base, &pid) : EXEC_NEVER_STARTED;
	if (pr == EXEC_NEVER_STARTED && log_path) {
		/* No .sup, lock free: never started, unless the store saw it start
		 * (its launcher died before writing the .sup): then it ran and is
		 * gone without a record, a failed try. */
		static const char sql[] = "SELECT pid FROM tries WHERE run=? AND task_id=? AND try_number=?";
		sqlite3_stmt *st = store_cached(d->store, sql);
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_text(st, 2, t->id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, ti->try_number);
		if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
			pid = (pid_t)sqlite3_column_int(st, 0);
			pr = EXEC_GONE;
		}
		sqlite3_reset(st);
	}
	if (pr == EXEC_ALIVE) {
		struct proc *p = adopt(d, r, idx, base, pid);
		ti->proc = p;
		if (ti->state == TI_QUEUED) {
			store_begin(d->store);
			enum ti_state old = ti->state;
			ti->state = TI_RUNNING;
			store_event(d->store, r->dag->dag_id, r->id, t->id, ti->try_number, ti_state_name(old),
				    "running", "adopted after restart");
			char *q = sqlite3_mprintf("UPDATE task_instances SET state='running', pid=%d WHERE"
						  " run=%lld AND task_id=%Q", (int)pid, (long long)r->id, t->id);
			store_exec(d->store, q);
			sqlite3_free(q);
			store_commit(d->store);
		}
		slog(SLOG_INFO, "task_adopted", "dag=%s run=%lld task=%s try=%d pid=%d", r->dag->dag_id,
		     (long long)r->id, t->id, ti->try_number, (int)pid);
	} else if (pr == EXEC_GONE) {
		/* Let the normal exit path read the status (or its absence). */
		struct proc *p = adopt(d, r, idx, base, pid);
		ti->proc = p;
		p->phase = PROC_EXITED;
		slog(SLOG_INFO, "task_ended_while_down", "dag=%s run=%lld task=%s try=%d", r->dag->dag_id,
		     (long long)r->id, t->id, ti->try_number);
	} else {
		/* This try never started: give the try number back. */
		store_begin(d->store);
		enum ti_state old = ti->state;
		ti->state = TI_SCHEDULED;
		int lost_try = ti->try_number;
		ti->try_number = lost_try > 0 ? lost_try - 1 : 0;
		store_event(d->store, r->dag->dag_id, r->id, t->id, lost_try, ti_state_name(old),
			    "scheduled", "never started before the daemon stopped");
		char *q = sqlite3_mprintf("UPDATE task_instances SET state='scheduled', try_number=%d, pid=NULL"
					  " WHERE run=%lld AND task_id=%Q; DELETE FROM tries WHERE run=%lld"
					  " AND task_id=%Q AND try_number=%d", ti->try_number,
					  (long long)r->id, t->id, (long long)r->id, t->id, lost_try);
		store_exec(d->store, q);
		sqlite3_free(q);
		store_commit(d->store);
	}
}

static int cmp_run(const void *a, const void *b)
{
	const struct run *x = *(struct run *const *)a, *y = *(struct run *const *)b;
	if (x->sort_key != y->sort_key)
		return x->sort_key < y->sort_key ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

int recover_sync(struct daemon *d, bool startup)
{
	for (size_t i = 0; i < d->nruns; i++)
		run_free(d->runs[i]);
	d->nruns = 0;
	for (size_t i = 0; i < d->nslots; i++) {
		d->slots[i]->running_runs = 0;
		d->slots[i]->running_tasks = 0;
	}
	static const char sql[] = "SELECT id, dag_id, run_id, run_type, logical_date, interval_end,"
				  " state, conf, backfill_id, sort_key FROM runs"
				  " WHERE state IN ('queued','running') ORDER BY sort_key, id";
	sqlite3_stmt *st = store_cached(d->store, sql);
	if (!st)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		struct dagslot *slot = dagbag_find(d, (const char *)sqlite3_column_text(st, 1));
		if (!slot || !slot->dag)
			continue;	/* its DAG is not loaded (yet): left as it is */
		struct run *r = calloc(1, sizeof *r);
		r->id = sqlite3_column_int64(st, 0);
		r->slot = slot;
		r->dag = slot->dag;
		r->run_id = strdup((const char *)sqlite3_column_text(st, 2));
		r->run_type = strdup((const char *)sqlite3_column_text(st, 3));
		r->logical_date = (time_t)sqlite3_column_int64(st, 4);
		r->interval_end = (time_t)sqlite3_column_int64(st, 5);
		r->state = strcmp((const char *)sqlite3_column_text(st, 6), "running") == 0 ? RUN_RUNNING
											   : RUN_QUEUED;
		load_conf(d, r, (const char *)sqlite3_column_text(st, 7));
		r->backfill_id = sqlite3_column_int64(st, 8);
		r->sort_key = sqlite3_column_int64(st, 9);
		r->stream = slot->dag->kind == SCHEDULE_STREAM;
		if (d->nruns == d->capruns) {
			d->capruns = d->capruns ? d->capruns * 2 : 16;
			d->runs = realloc(d->runs, d->capruns * sizeof *d->runs);
		}
		d->runs[d->nruns++] = r;
		if (r->state == RUN_RUNNING && r->backfill_id == 0)
			slot->running_runs++;
	}
	sqlite3_reset(st);
	if (d->nruns > 1)
		qsort(d->runs, d->nruns, sizeof *d->runs, cmp_run);

	static const char lp[] = "SELECT log_path FROM task_instances WHERE run=? AND task_id=?";
	for (size_t i = 0; i < d->nruns; i++) {
		struct run *r = d->runs[i];
		runner_build_run(d, r);
		for (size_t k = 0; k < r->dag->ntasks; k++) {
			struct ti *ti = &r->tis[k];
			if (ti->state != TI_QUEUED && ti->state != TI_RUNNING)
				continue;
			struct proc *p = find_proc(d, r->id, r->dag->tasks[k].id, ti->try_number);
			if (p) {
				ti->proc = p;
				r->slot->running_tasks++;
				continue;
			}
			if (!startup && (r->dag->tasks[k].wait_path || ti->state == TI_QUEUED))
				continue;
			st = store_cached(d->store, lp);
			sqlite3_bind_int64(st, 1, r->id);
			sqlite3_bind_text(st, 2, r->dag->tasks[k].id, -1, SQLITE_STATIC);
			char *log_path = NULL;
			if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
				log_path = strdup((const char *)sqlite3_column_text(st, 0));
			sqlite3_reset(st);
			reconcile(d, r, k, log_path);
			free(log_path);
		}
		/* Task instances cleared by schedctl in a running run. */
		if (r->state == RUN_RUNNING)
			runner_reevaluate(d, r);
	}
	d->need_sync = false;
	return 0;
}
