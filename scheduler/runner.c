/* runner.c: task instances of the active runs: trigger rules, tries,
 * retries with backoff, timeouts, sensors, stream restarts, stop requests.
 *
 * Order of a try, chosen so that a kill -9 between any two steps is
 * recoverable (recover.c reads the executor's files to finish the story):
 *   1. commit TI queued, try_number+1, tries row  (intent; no process yet)
 *   2. dispatch_submit: the launcher takes the try's lock and spawns it; then
 *      commit TI running with the command's pid (runner_proc_started)
 *   3. the launcher reaps the command, appends the exit record to try-N.sup
 *      and reports it -> read the record -> commit the outcome, and in the
 *      same transaction the downstream tasks it made ready or skipped.
 * A try is recorded success only from an exit record saying exit 0, which the
 * launcher writes after waitpid() on the command. */
#include <errno.h>
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "executors/local.h"
#include "scheduler/backoff.h"
#include "scheduler/daemon.h"
#include "scheduler/render.h"
#include "scheduler/slog.h"
#include "scheduler/template.h"
#include "scheduler/trigger_rule.h"
#include "scheduler/tz.h"

struct run *runner_find_run(struct daemon *d, int64_t id)
{
	for (size_t i = 0; i < d->nruns; i++)
		if (d->runs[i]->id == id)
			return d->runs[i];
	return NULL;
}

void run_free(struct run *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nconf; i++) {
		free(r->conf[i].key);
		free(r->conf[i].value);
	}
	free(r->conf);
	free(r->tis);
	free(r->run_id);
	free(r->run_type);
	free(r);
}

void proc_free(struct proc *p)
{
	free(p->record.last_line);
	free(p->task_id);
	free(p->dag_id);
	free(p->base);
	free(p);
}

/* --- store writes (inside the caller's transaction) --- */

static int ti_write(struct daemon *d, struct run *r, size_t idx, enum ti_state old, const char *cause)
{
	static const char sql[] =
		"INSERT INTO task_instances(run, task_id, state, try_number, max_tries, next_retry_us,"
		" restarts) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(run, task_id) DO UPDATE SET"
		" state=?3, try_number=?4, max_tries=?5, next_retry_us=?6, restarts=?7";
	struct ti *ti = &r->tis[idx];
	const char *task_id = r->dag->tasks[idx].id;
	sqlite3_stmt *st = store_cached(d->store, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ti_state_name(ti->state), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, ti->try_number);
	sqlite3_bind_int(st, 5, ti->max_tries);
	if (ti->state == TI_UP_FOR_RETRY)
		sqlite3_bind_int64(st, 6, ti->next_retry_us);
	sqlite3_bind_int(st, 7, ti->restarts);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return store_event(d->store, r->dag->dag_id, r->id, task_id, ti->try_number,
			   ti_state_name(old), ti_state_name(ti->state), cause);
}

static void set_state(struct daemon *d, struct run *r, size_t idx, enum ti_state s, const char *cause)
{
	enum ti_state old = r->tis[idx].state;
	r->tis[idx].state = s;
	if (ti_write(d, r, idx, old, cause) < 0)
		slog(SLOG_ERROR, "store_error", "run=%lld task=%s error=%s", (long long)r->id,
		     r->dag->tasks[idx].id, sqlite3_errmsg(d->store->db));
}

/* --- trigger rules --- */

static void evaluate(struct daemon *d, struct run *r, size_t idx);

static void propagate(struct daemon *d, struct run *r, size_t idx)
{
	const struct dag_task *t = &r->dag->tasks[idx];
	for (size_t k = 0; k < t->ndownstream; k++)
		evaluate(d, r, t->downstream[k]);
}

static void evaluate(struct daemon *d, struct run *r, size_t idx)
{
	struct ti *ti = &r->tis[idx];
	if (ti->state != TI_NONE)
		return;
	const struct dag_task *t = &r->dag->tasks[idx];
	struct upstream_counts c = { .total = t->nupstream };
	for (size_t k = 0; k < t->nupstream; k++) {
		switch (r->tis[t->upstream[k]].state) {
		case TI_SUCCESS: c.success++; break;
		case TI_FAILED: c.failed++; break;
		case TI_UPSTREAM_FAILED: c.upstream_failed++; break;
		case TI_SKIPPED: c.skipped++; break;
		default: break;
		}
	}
	if (r->stream)
		c.total = 0;	/* stream tasks all run side by side */
	switch (trigger_rule_evaluate(t->trigger_rule, &c)) {
	case TR_WAIT:
		return;
	case TR_RUN:
		set_state(d, r, idx, TI_SCHEDULED, "dependencies met");
		return;
	case TR_SKIP:
		set_state(d, r, idx, TI_SKIPPED, trigger_rule_name(t->trigger_rule));
		break;
	case TR_UPSTREAM_FAILED:
		set_state(d, r, idx, TI_UPSTREAM_FAILED, trigger_rule_name(t->trigger_rule));
		break;
	}
	propagate(d, r, idx);
}

/* Finishes the run when every task instance has. Inside a transaction. */
static void check_run_done(struct daemon *d, struct run *r)
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
	r->state = failed ? RUN_FAILED : RUN_SUCCESS;
	static const char sql[] = "UPDATE runs SET state=?, ended_us=? WHERE id=?";
	sqlite3_stmt *st = store_cached(d->store, sql);
	sqlite3_bind_text(st, 1, run_state_name(r->state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, store_now_us());
	sqlite3_bind_int64(st, 3, r->id);
	sqlite3_step(st);
	sqlite3_reset(st);
	store_event(d->store, r->dag->dag_id, r->id, NULL, 0, "running", run_state_name(r->state),
		    failed ? "a leaf task failed" : "all leaves succeeded or were skipped");
	if (r->backfill_id == 0 && r->slot->running_runs > 0)
		r->slot->running_runs--;
	slog(SLOG_INFO, failed ? "run_failed" : "run_success", "dag=%s run=%lld run_id=%s",
	     r->dag->dag_id, (long long)r->id, r->run_id);
}

/* --- building and starting runs --- */

void runner_build_run(struct daemon *d, struct run *r)
{
	size_t n = r->dag->ntasks;
	r->tis = calloc(n ? n : 1, sizeof *r->tis);
	for (size_t i = 0; i < n; i++)
		r->tis[i].max_tries = r->dag->tasks[i].retries + 1;
	static const char sql[] = "SELECT task_id, state, try_number, max_tries, next_retry_us,"
				  " started_us, restarts FROM task_instances WHERE run=?";
	sqlite3_stmt *st = store_cached(d->store, sql);
	sqlite3_bind_int64(st, 1, r->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		long idx = dag_task_index(r->dag, (const char *)sqlite3_column_text(st, 0));
		if (idx < 0)
			continue;	/* task removed from the DAG: ignored */
		struct ti *ti = &r->tis[idx];
		int s = ti_state_parse((const char *)sqlite3_column_text(st, 1));
		ti->state = s < 0 ? TI_NONE : (enum ti_state)s;
		ti->try_number = sqlite3_column_int(st, 2);
		ti->max_tries = sqlite3_column_int(st, 3);
		ti->next_retry_us = sqlite3_column_int64(st, 4);
		ti->started_us = sqlite3_column_int64(st, 5);
		ti->restarts = sqlite3_column_int(st, 6);
	}
	sqlite3_reset(st);
}

int runner_start_run(struct daemon *d, struct run *r)
{
	if (store_begin(d->store) < 0)
		return -1;
	static const char sql[] = "UPDATE runs SET state='running', started_us=coalesce(started_us, ?)"
				  " WHERE id=?";
	sqlite3_stmt *st = store_cached(d->store, sql);
	sqlite3_bind_int64(st, 1, store_now_us());
	sqlite3_bind_int64(st, 2, r->id);
	sqlite3_step(st);
	sqlite3_reset(st);
	store_event(d->store, r->dag->dag_id, r->id, NULL, 0, "queued", "running", "run started");
	r->state = RUN_RUNNING;
	if (r->backfill_id == 0)
		r->slot->running_runs++;
	/* Task instances that do not exist yet are created as none. */
	static const char ins[] = "INSERT OR IGNORE INTO task_instances(run, task_id, state,"
				  " try_number, max_tries) VALUES(?,?,'none',0,?)";
	for (size_t i = 0; i < r->dag->ntasks; i++) {
		st = store_cached(d->store, ins);
		sqlite3_bind_int64(st, 1, r->id);
		sqlite3_bind_text(st, 2, r->dag->tasks[i].id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 3, r->dag->tasks[i].retries + 1);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	for (size_t k = 0; k < r->dag->ntasks; k++)
		evaluate(d, r, r->slot->topo[k]);
	check_run_done(d, r);
	slog(SLOG_INFO, "run_started", "dag=%s run=%lld run_id=%s", r->dag->dag_id, (long long)r->id,
	     r->run_id);
	return store_commit(d->store);
}

void runner_reevaluate(struct daemon *d, struct run *r)
{
	bool any = false;
	for (size_t i = 0; i < r->dag->ntasks && !any; i++)
		any = r->tis[i].state == TI_NONE;
	if (!any)
		return;
	store_begin(d->store);
	for (size_t k = 0; k < r->dag->ntasks; k++)
		evaluate(d, r, r->slot->topo[k]);
	check_run_done(d, r);
	store_commit(d->store);
}

/* --- tries --- */

static void try_base(struct daemon *d, struct run *r, size_t idx, int try_number, char *buf,
		     size_t len)
{
	char ts[64];
	tz_format_iso(r->dag->timezone, r->logical_date, ts, sizeof ts);
	snprintf(buf, len, "%s/%s/%s/%s/try-%d", d->cfg.logs_dir, r->dag->dag_id, ts,
		 r->dag->tasks[idx].id, try_number);
}

static void try_row(struct daemon *d, struct run *r, size_t idx, const char *state, pid_t pid,
		    const char *log_path)
{
	static const char sql[] =
		"INSERT INTO tries(run, task_id, try_number, state, pid, started_us, log_path)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(run, task_id, try_number) DO UPDATE SET"
		" state=?4, pid=coalesce(?5, pid), started_us=?6, log_path=coalesce(?7, log_path)";
	struct ti *ti = &r->tis[idx];
	sqlite3_stmt *st = store_cached(d->store, sql);
	sqlite3_bind_int64(st, 1, r->id);
	sqlite3_bind_text(st, 2, r->dag->tasks[idx].id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, ti->try_number);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	if (pid > 0)
		sqlite3_bind_int(st, 5, pid);
	sqlite3_bind_int64(st, 6, ti->started_us);
	sqlite3_bind_text(st, 7, log_path, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
	static const char upd[] = "UPDATE task_instances SET pid=?, started_us=?, log_path=coalesce(?,"
				  " log_path), exit_code=NULL, ended_us=NULL WHERE run=? AND task_id=?";
	st = store_cached(d->store, upd);
	if (pid > 0)
		sqlite3_bind_int(st, 1, pid);
	sqlite3_bind_int64(st, 2, ti->started_us);
	sqlite3_bind_text(st, 3, log_path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->id);
	sqlite3_bind_text(st, 5, r->dag->tasks[idx].id, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
}

/* Records the end of a try (tries row and the TI's columns). */
static void try_end_at(struct daemon *d, struct run *r, size_t idx, int try_number, const char *state,
		       int exit_code, int sig, const char *result, const char *cause, int64_t ended_us)
{
	static const char sql[] =
		"UPDATE tries SET state=?1, ended_us=?2, exit_code=?3, signal=?4,"
		" result=CASE WHEN json_valid(?5) AND json_type(?5)='object' THEN ?5 END, cause=?6"
		" WHERE run=?7 AND task_id=?8 AND try_number=?9";
	static const char ti_sql[] =
		"UPDATE task_instances SET ended_us=?1, exit_code=?2, pid=NULL,"
		" result=CASE WHEN json_valid(?3) AND json_type(?3)='object' THEN ?3 END"
		" WHERE run=?4 AND task_id=?5";
	int64_t now = ended_us > 0 ? ended_us : store_now_us();
	sqlite3_stmt *st = store_cached(d->store, sql);
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	if (exit_code >= 0)
		sqlite3_bind_int(st, 3, exit_code);
	if (sig > 0)
		sqlite3_bind_int(st, 4, sig);
	sqlite3_bind_text(st, 5, result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, cause, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, r->id);
	sqlite3_bind_text(st, 8, r->dag->tasks[idx].id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, try_number);
	sqlite3_step(st);
	sqlite3_reset(st);
	st = store_cached(d->store, ti_sql);
	sqlite3_bind_int64(st, 1, now);
	if (exit_code >= 0)
		sqlite3_bind_int(st, 2, exit_code);
	sqlite3_bind_text(st, 3, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, r->id);
	sqlite3_bind_text(st, 5, r->dag->tasks[idx].id, -1, SQLITE_STATIC);
	sqlite3_step(st);
	sqlite3_reset(st);
}

static void try_end(struct daemon *d, struct run *r, size_t idx, int try_number, const char *state,
		    int exit_code, int sig, const char *result, const char *cause)
{
	try_end_at(d, r, idx, try_number, state, exit_code, sig, result, cause, 0);
}

static bool no_retry_code(const struct dag_task *t, int code)
{
	for (size_t i = 0; i < t->nno_retry_exit_codes; i++)
		if (t->no_retry_exit_codes[i] == code)
			return true;
	return false;
}

/* A failed try: retry, restart (streams) or fail for good. In a transaction. */
static void try_failed(struct daemon *d, struct run *r, size_t idx, int exit_code, bool retryable,
		       const char *cause)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = &r->dag->tasks[idx];
	int64_t now = store_now_us();
	if (r->stream && !ti->stop_requested) {
		/* A service that ran for a while earns a fresh backoff. */
		bool long_lived = now - ti->started_us > 60 * 1000000LL;
		int n = long_lived ? 1 : ti->restarts + 1;
		ti->restarts++;
		ti->next_retry_us = now + backoff_delay_ms(t->retry_backoff, t->retry_delay_ms,
							   t->max_retry_delay_ms, n) * 1000;
		set_state(d, r, idx, TI_UP_FOR_RETRY, cause);
		return;
	}
	if (r->stream) {	/* stopped on purpose (pause, shutdown): waits */
		ti->stop_requested = false;
		set_state(d, r, idx, TI_SCHEDULED, cause);
		return;
	}
	if (retryable && exit_code >= 0 && no_retry_code(t, exit_code)) {
		char why[160];
		snprintf(why, sizeof why, "%s; exit code %d is in no_retry_exit_codes", cause, exit_code);
		set_state(d, r, idx, TI_FAILED, why);
	} else if (retryable && ti->try_number < ti->max_tries) {
		ti->next_retry_us = now + backoff_delay_ms(t->retry_backoff, t->retry_delay_ms,
							   t->max_retry_delay_ms, ti->try_number) * 1000;
		set_state(d, r, idx, TI_UP_FOR_RETRY, cause);
		slog(SLOG_INFO, "task_up_for_retry", "dag=%s run=%lld task=%s try=%d retry_in_ms=%lld",
		     r->dag->dag_id, (long long)r->id, t->id, ti->try_number,
		     (long long)((ti->next_retry_us - now) / 1000));
		return;
	} else {
		set_state(d, r, idx, TI_FAILED, cause);
	}
	slog(SLOG_WARN, "task_failed", "dag=%s run=%lld task=%s try=%d cause=%s", r->dag->dag_id,
	     (long long)r->id, t->id, ti->try_number, cause);
	propagate(d, r, idx);
	check_run_done(d, r);
}

static void try_succeeded(struct daemon *d, struct run *r, size_t idx, const char *cause)
{
	set_state(d, r, idx, TI_SUCCESS, cause);
	propagate(d, r, idx);
	check_run_done(d, r);
}

static struct template_ctx ctx_of(struct run *r, size_t idx, int try_number)
{
	return (struct template_ctx){
		.dag = r->dag, .task_id = r->dag->tasks[idx].id, .run_id = r->run_id,
		.interval_start = r->logical_date, .interval_end = r->interval_end,
		.try_number = try_number, .conf = r->conf, .nconf = r->nconf,
	};
}

static void start_sensor(struct daemon *d, struct run *r, size_t idx, int64_t now)
{
	struct ti *ti = &r->tis[idx];
	if (store_begin(d->store) < 0)
		return;
	ti->try_number++;
	ti->started_us = now;
	ti->next_poke_us = now;
	set_state(d, r, idx, TI_RUNNING, "sensor started");
	try_row(d, r, idx, "running", 0, NULL);
	store_commit(d->store);
}

static void start_try(struct daemon *d, struct run *r, size_t idx, int64_t now)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = &r->dag->tasks[idx];
	if (t->wait_path) {
		start_sensor(d, r, idx, now);
		return;
	}
	int try_number = ti->try_number + 1;
	char base[4096], log_path[4200];
	try_base(d, r, idx, try_number, base, sizeof base);
	snprintf(log_path, sizeof log_path, "%s.log", base);

	if (store_begin(d->store) < 0)
		return;
	ti->try_number = try_number;
	ti->started_us = now;
	set_state(d, r, idx, TI_QUEUED, "slot available");
	try_row(d, r, idx, "queued", 0, log_path);
	if (store_commit(d->store) < 0)
		return;	/* (inside the daemon's batch the outer commit decides) */

	/* Counted as running from here. The launcher gets it once the intent is
	 * committed (runner_submit_pending, after the daemon's batch commits);
	 * "running" is committed when it says the command started. */
	struct proc *p = calloc(1, sizeof *p);
	p->token = ++d->next_token;
	p->phase = PROC_UNSUBMITTED;
	p->run_id = r->id;
	p->task_id = strdup(t->id);
	p->task_idx = idx;
	p->dag_id = strdup(r->dag->dag_id);
	p->try_number = try_number;
	p->base = strdup(base);
	p->started_us = now;
	p->deadline_us = t->timeout_ms > 0 ? now + t->timeout_ms * 1000 : 0;
	p->next = d->procs;
	d->procs = p;
	d->nprocs++;
	r->slot->running_tasks++;
	ti->proc = p;
}

/* The proc's task instance, if it still belongs to it. */
static struct run *proc_run(struct daemon *d, struct proc *p, long *idx)
{
	struct run *r = runner_find_run(d, p->run_id);
	/* Its index when started, unless the DAG was reloaded since. */
	if (r && p->task_idx < r->dag->ntasks && strcmp(r->dag->tasks[p->task_idx].id, p->task_id) == 0)
		*idx = (long)p->task_idx;
	else
		*idx = r ? dag_task_index(r->dag, p->task_id) : -1;
	if (r && *idx >= 0 && r->tis[*idx].proc == p && r->tis[*idx].try_number == p->try_number)
		return r;
	return NULL;
}

static void proc_unlink(struct daemon *d, struct proc *p)
{
	for (struct proc **pp = &d->procs; *pp; pp = &(*pp)->next)
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	d->nprocs--;
	struct dagslot *slot = dagbag_find(d, p->dag_id);
	if (slot && slot->running_tasks > 0)
		slot->running_tasks--;
}

void runner_submit_pending(struct daemon *d)
{
	for (struct proc *p = d->procs, *next; p; p = next) {
		next = p->next;
		if (p->phase != PROC_UNSUBMITTED)
			continue;
		long idx;
		struct run *r = proc_run(d, p, &idx);
		char err[512];
		int rc = -1;
		if (!r) {
			snprintf(err, sizeof err, "the task instance moved on before its start");
		} else {
			struct template_ctx ctx = ctx_of(r, (size_t)idx, p->try_number);
			struct rendered_task rt;
			if (render_task(&r->dag->tasks[idx], &ctx, &rt, err, sizeof err) == 0) {
				struct exec_request req = { .argv = rt.argv, .envp = rt.envp, .cwd = rt.cwd,
							    .base = p->base };
				/* Unsubmitted until it is sent: a launcher lost meanwhile
				 * leaves it to the next one, not to a lock watch. */
				rc = dispatch_submit(d, &req, p->token, err, sizeof err);
				if (rc == 0)
					p->phase = PROC_STARTING;
				rendered_task_free(&rt);
			}
		}
		if (rc < 0) {
			runner_proc_start_failed(d, p, err);
			next = d->procs;	/* the list changed */
		}
	}
}

void runner_drop_unsubmitted(struct daemon *d)
{
	for (struct proc *p = d->procs, *next; p; p = next) {
		next = p->next;
		if (p->phase != PROC_UNSUBMITTED)
			continue;
		long idx;
		struct run *r = proc_run(d, p, &idx);
		if (r)
			r->tis[idx].proc = NULL;
		proc_unlink(d, p);
		proc_free(p);
	}
}

void runner_proc_started(struct daemon *d, struct proc *p, pid_t pid, int64_t spawned_us)
{
	p->pid = pid;
	p->phase = PROC_RUNNING;
	long idx;
	struct run *r = proc_run(d, p, &idx);
	if (r) {
		if (spawned_us > 0)	/* when the command started, not when we decided to */
			r->tis[idx].started_us = spawned_us;
		char log_path[4200];
		snprintf(log_path, sizeof log_path, "%s.log", p->base);
		store_begin(d->store);
		set_state(d, r, (size_t)idx, TI_RUNNING, "process started");
		try_row(d, r, (size_t)idx, "running", pid, log_path);
		store_commit(d->store);
	}
	slog(SLOG_INFO, "task_started", "dag=%s run=%lld task=%s try=%d pid=%d", p->dag_id, (long long)p->run_id,
	     p->task_id, p->try_number, (int)pid);
	if (p->term_sent_us)	/* a timeout or a stop came while it was starting */
		exec_signal(pid, SIGTERM);
}


void runner_proc_start_failed(struct daemon *d, struct proc *p, const char *err)
{
	proc_unlink(d, p);
	long idx;
	struct run *r = proc_run(d, p, &idx);
	if (r) {
		r->tis[idx].proc = NULL;
		store_begin(d->store);
		try_end(d, r, (size_t)idx, p->try_number, "failed", -1, 0, NULL, err);
		try_failed(d, r, (size_t)idx, -1, !p->stopping, err);
		store_commit(d->store);
	}
	slog(SLOG_ERROR, "task_start_failed", "dag=%s task=%s try=%d error=%s", p->dag_id, p->task_id,
	     p->try_number, err);
	proc_free(p);
}

void runner_proc_exited(struct daemon *d, struct proc *p)
{
	proc_unlink(d, p);

	/* The record came with the launcher's EXITED, or (adopted tries) from the
	 * .sup a launcher writes once its daemon is gone. */
	struct exec_status es = { 0 };
	int have = 1;
	if (p->have_record) {
		es = p->record;
		p->record.last_line = NULL;	/* now es's */
	} else {
		have = exec_read_status(p->base, &es);
	}
	if (p->have_record)
		dispatch_ack_later(d, p->token);
	bool success = false;
	char cause[256];
	int code = -1, sig = 0;
	if (have == 1) {
		code = es.exit_code;
		sig = es.term_signal;
		success = code == 0 && sig == 0;
		if (sig)
			snprintf(cause, sizeof cause, "killed by signal %d", sig);
		else
			snprintf(cause, sizeof cause, "exit code %d", code);
	} else {
		int ws = p->wait_status;
		snprintf(cause, sizeof cause, "ended without an exit record (its launcher died)%s",
			 p->phase == PROC_EXITED && WIFSIGNALED(ws) ? " (killed)" : "");
	}
	if (p->timed_out) {
		success = false;
		snprintf(cause, sizeof cause, "timeout after %llds",
			 (long long)((p->deadline_us - p->started_us) / 1000000));
	}
	if (p->stopping && !success)
		snprintf(cause, sizeof cause, "stopped on request");

	long idx;
	struct run *r = proc_run(d, p, &idx);
	store_begin(d->store);
	if (r) {
		struct ti *ti = &r->tis[idx];
		ti->proc = NULL;
		if (p->stopping && r->stream)
			ti->stop_requested = true;
		/* The launcher's clock of the command's end, not when we got to it. */
		try_end_at(d, r, (size_t)idx, p->try_number, success ? "success" : "failed", code, sig,
			   es.last_line, cause, es.ended_us);
		slog(success ? SLOG_INFO : SLOG_WARN, success ? "task_success" : "task_try_failed",
		     "dag=%s run=%lld task=%s try=%d exit=%d cause=%s", p->dag_id, (long long)p->run_id,
		     p->task_id, p->try_number, code, cause);
		if (success && !r->stream)
			try_succeeded(d, r, (size_t)idx, cause);
		else
			try_failed(d, r, (size_t)idx, code, !p->stopping && !p->timed_out ? true : p->timed_out,
				   cause);
	} else {
		/* The task instance moved on (cleared or rebuilt): keep the try's record. */
		static const char sql[] = "UPDATE tries SET state=?, ended_us=?, exit_code=?, cause=?"
					  " WHERE run=? AND task_id=? AND try_number=?";
		sqlite3_stmt *st = store_cached(d->store, sql);
		sqlite3_bind_text(st, 1, success ? "success" : "failed", -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, store_now_us());
		if (code >= 0)
			sqlite3_bind_int(st, 3, code);
		sqlite3_bind_text(st, 4, cause, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 5, p->run_id);
		sqlite3_bind_text(st, 6, p->task_id, -1, SQLITE_STATIC);
		sqlite3_bind_int(st, 7, p->try_number);
		sqlite3_step(st);
		sqlite3_reset(st);
	}
	store_commit(d->store);
	exec_status_free(&es);
	proc_free(p);
}

static void poke(struct daemon *d, struct run *r, size_t idx, int64_t now)
{
	struct ti *ti = &r->tis[idx];
	const struct dag_task *t = &r->dag->tasks[idx];
	struct template_ctx ctx = ctx_of(r, idx, ti->try_number);
	char err[256];
	char *path = template_render(t->wait_path, &ctx, err, sizeof err);
	bool found = false;
	if (path) {
		glob_t g;
		found = glob(path, GLOB_NOSORT, NULL, &g) == 0 && g.gl_pathc > 0;
		globfree(&g);
	}
	store_begin(d->store);
	if (found) {
		try_end(d, r, idx, ti->try_number, "success", 0, 0, NULL, "found");
		slog(SLOG_INFO, "sensor_found", "dag=%s task=%s path=%s", r->dag->dag_id, t->id, path);
		try_succeeded(d, r, idx, "sensor found its path");
	} else if (!path || now - ti->started_us >= t->wait_timeout_ms * 1000) {
		char cause[300];
		snprintf(cause, sizeof cause, "%s", path ? "sensor timed out" : err);
		try_end(d, r, idx, ti->try_number, "failed", -1, 0, NULL, cause);
		try_failed(d, r, idx, -1, false, cause);
	} else {
		ti->next_poke_us = now + t->poke_ms * 1000;
	}
	store_commit(d->store);
	free(path);
}

static void min_wake(int64_t *wake, int64_t t)
{
	if (t > 0 && (*wake == 0 || t < *wake))
		*wake = t;
}

/* Whether task t of DAG dag_id is below its max_active_tis_per_dag: its
 * tries that hold a process, over all the DAG's runs. */
static bool task_slot_free(const struct daemon *d, const char *dag_id, const struct dag_task *t)
{
	if (t->max_active_tis <= 0)
		return true;
	int active = 0;
	for (const struct proc *p = d->procs; p; p = p->next)
		if (strcmp(p->task_id, t->id) == 0 && strcmp(p->dag_id, dag_id) == 0 && ++active >= t->max_active_tis)
			return false;
	return true;
}

int64_t runner_tick(struct daemon *d, int64_t now)
{
	int64_t wake = 0;
	/* Timeouts and stop escalation. */
	for (struct proc *p = d->procs; p; p = p->next) {
		if (p->deadline_us && !p->term_sent_us && now >= p->deadline_us) {
			p->timed_out = true;
			p->term_sent_us = now;
			exec_signal(p->pid, SIGTERM);
			slog(SLOG_WARN, "task_timeout", "dag=%s task=%s try=%d pid=%d", p->dag_id, p->task_id,
			     p->try_number, (int)p->pid);
		}
		if (p->term_sent_us) {
			if (now >= p->term_sent_us + d->cfg.grace_ms * 1000)
				exec_signal(p->pid, SIGKILL);
			else
				min_wake(&wake, p->term_sent_us + d->cfg.grace_ms * 1000);
		} else {
			min_wake(&wake, p->deadline_us);
		}
	}
	for (size_t i = 0; i < d->nruns; i++) {
		struct run *r = d->runs[i];
		if (r->state != RUN_RUNNING)
			continue;
		bool paused = r->slot->paused || !r->slot->active;
		for (size_t k = 0; k < r->dag->ntasks; k++) {
			size_t idx = r->slot->topo[k];
			struct ti *ti = &r->tis[idx];
			const struct dag_task *t = &r->dag->tasks[idx];
			if (ti->state == TI_UP_FOR_RETRY) {
				if (now < ti->next_retry_us) {
					min_wake(&wake, ti->next_retry_us);
					continue;
				}
				if (paused || d->draining)
					continue;
				store_begin(d->store);
				set_state(d, r, idx, TI_SCHEDULED, r->stream ? "restart" : "retry due");
				store_commit(d->store);
			}
			if (ti->state == TI_SCHEDULED && !paused && !d->draining) {
				bool sensor = t->wait_path != NULL;
				if (sensor || (d->nprocs < d->cfg.parallelism &&
					       r->slot->running_tasks < r->dag->concurrency &&
					       task_slot_free(d, r->dag->dag_id, t)))
					start_try(d, r, idx, now);
			}
			if (ti->state == TI_RUNNING && t->wait_path) {
				if (now >= ti->next_poke_us)
					poke(d, r, idx, now);
				if (ti->state == TI_RUNNING)
					min_wake(&wake, ti->next_poke_us);
			}
			if (r->state != RUN_RUNNING)
				break;
		}
	}
	return wake;
}

void runner_stop_all(struct daemon *d, bool streams_only)
{
	int64_t now = store_now_us();
	for (struct proc *p = d->procs; p; p = p->next) {
		struct run *r = runner_find_run(d, p->run_id);
		bool stream = r && r->stream;
		if (streams_only && !stream)
			continue;
		if (p->term_sent_us)
			continue;
		p->stopping = true;
		p->term_sent_us = now;
		exec_signal(p->pid, SIGTERM);
	}
}

/* Stops the stream tasks of paused or removed stream DAGs. */
static void stop_paused_streams(struct daemon *d)
{
	int64_t now = store_now_us();
	for (struct proc *p = d->procs; p; p = p->next) {
		struct run *r = runner_find_run(d, p->run_id);
		if (!r || !r->stream || p->term_sent_us)
			continue;
		if (r->slot->paused || !r->slot->active) {
			p->stopping = true;
			p->term_sent_us = now;
			exec_signal(p->pid, SIGTERM);
			slog(SLOG_INFO, "stream_task_stopping", "dag=%s task=%s", p->dag_id, p->task_id);
		}
	}
}

/* Requests other processes left for the daemon: "stop" a running try. */
void runner_process_requests(struct daemon *d)
{
	stop_paused_streams(d);
	static const char sql[] = "SELECT id, kind, run, task_id FROM requests WHERE state='pending'"
				  " ORDER BY id";
	static const char done[] = "UPDATE requests SET state=?, result=?, done_us=? WHERE id=?";
	sqlite3_stmt *st = store_cached(d->store, sql);
	struct { int64_t id, run; char kind[32], task[256]; } reqs[64];
	int n = 0;
	while (n < 64 && sqlite3_step(st) == SQLITE_ROW) {
		reqs[n].id = sqlite3_column_int64(st, 0);
		snprintf(reqs[n].kind, sizeof reqs[n].kind, "%s", (const char *)sqlite3_column_text(st, 1));
		reqs[n].run = sqlite3_column_int64(st, 2);
		const unsigned char *task = sqlite3_column_text(st, 3);
		snprintf(reqs[n].task, sizeof reqs[n].task, "%s", task ? (const char *)task : "");
		n++;
	}
	sqlite3_reset(st);
	for (int i = 0; i < n; i++) {
		const char *state = "done", *result = "not running";
		if (strcmp(reqs[i].kind, "stop") == 0) {
			for (struct proc *p = d->procs; p; p = p->next)
				if (p->run_id == reqs[i].run && strcmp(p->task_id, reqs[i].task) == 0) {
					p->stopping = true;
					if (!p->term_sent_us) {
						p->term_sent_us = store_now_us();
						exec_signal(p->pid, SIGTERM);
					}
					result = "stop signal sent";
				}
			struct run *r = runner_find_run(d, reqs[i].run);
			long idx = r ? dag_task_index(r->dag, reqs[i].task) : -1;
			if (r && idx >= 0 && r->tis[idx].state == TI_RUNNING && r->dag->tasks[idx].wait_path) {
				store_begin(d->store);
				try_end(d, r, (size_t)idx, r->tis[idx].try_number, "failed", -1, 0, NULL,
					"stopped on request");
				try_failed(d, r, (size_t)idx, -1, false, "stopped on request");
				store_commit(d->store);
				result = "sensor stopped";
			}
		} else {
			state = "failed";
			result = "unknown request kind";
		}
		st = store_cached(d->store, done);
		sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, result, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, store_now_us());
		sqlite3_bind_int64(st, 4, reqs[i].id);
		sqlite3_step(st);
		sqlite3_reset(st);
		slog(SLOG_INFO, "request", "id=%lld kind=%s result=%s", (long long)reqs[i].id, reqs[i].kind,
		     result);
	}
}
