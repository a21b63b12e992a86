/* store_daemon.h: every statement schedulerd runs against the state store
 * (store.h), as typed functions. The daemon's other files hold no SQL.
 *
 * One way of building SQL: each statement is a string literal, prepared once
 * and kept for the life of the connection (store_cached), values always bound,
 * never formatted into the text. Every step's result is checked
 * (store_step): a failure inside a transaction dooms it (store_fail), so the
 * daemon's pass it belongs to rolls back whole.
 *
 * Writes run inside the caller's transaction and return 0 or -1. Reads return
 * 1 (found) / 0 (not found) / -1 (error), or call a callback per row. */
#ifndef SCHED_STORE_DAEMON_H
#define SCHED_STORE_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "scheduler/store.h"

/* synchronous=FULL: commits survive a power loss too (--sync full). */
int store_sync_full(struct store *s);

/* A task instance's row (task_instances) and its transition event. */
struct store_ti {
	int64_t run;
	const char *dag_id, *task_id;
	enum ti_state state;
	int try_number, max_tries, restarts;
	int64_t next_retry_us;	/* written only for up_for_retry */
};
int store_ti_set(struct store *s, const struct store_ti *ti, enum ti_state old, const char *cause);

/* A task instance that does not exist yet is created as none (a run starts). */
int store_ti_create(struct store *s, int64_t run, const char *task_id, int max_tries);

/* A try's row is written (queued, then running with its pid) and the task
 * instance's columns of its current try follow it. pid <= 0: not known yet. */
int store_try_begin(struct store *s, int64_t run, const char *task_id, int try_number, const char *state,
		    pid_t pid, int64_t started_us, const char *log_path);

/* The end of a try. with_ti: the task instance's columns too (it is still
 * the task instance's current try). exit_code < 0 and sig == 0 are NULL. */
struct store_try_end {
	int64_t run;
	const char *task_id;
	int try_number;
	const char *state;	/* success failed */
	int exit_code, sig;
	const char *result;	/* last stdout line, kept if a JSON object */
	const char *cause;
	int64_t ended_us;
};
int store_try_end(struct store *s, const struct store_try_end *e, bool with_ti);

/* A try that never reported its end (its task instance is restarting and
 * its process is gone): failed with cause, unless it already ended. */
int store_try_abandon(struct store *s, int64_t run, const char *task_id, int try_number, const char *cause,
		      int64_t now_us);

/* Runs: queued -> running, and running -> success/failed, each with its event. */
int store_run_started(struct store *s, int64_t run, const char *dag_id, int64_t now_us);
int store_run_finished(struct store *s, int64_t run, const char *dag_id, enum run_state state,
		       const char *cause, int64_t now_us);

/* dags.next_interval / next_run (next_run <= 0: NULL). */
int store_dag_set_next(struct store *s, const char *dag_id, time_t next_interval, time_t next_run);
/* 1 and *next_interval (0 when NULL), 0 when no such DAG, -1. */
int store_dag_next(struct store *s, const char *dag_id, time_t *next_interval);

/* Start-up reconciliation: an adopted queued try is running with pid; a try
 * that never started gives its try number back (its tries row goes). */
int store_ti_adopted(struct store *s, int64_t run, const char *dag_id, const char *task_id, int try_number,
		     pid_t pid);
int store_ti_never_started(struct store *s, int64_t run, const char *dag_id, const char *task_id,
			   int lost_try, enum ti_state old);

/* The active (queued or running) runs in sort_key order. */
struct store_run_row {
	int64_t id, backfill_id, sort_key;
	int64_t version;	/* dag_versions.id it is pinned to; 0: none (made before schema 2) */
	const char *dag_id, *run_id, *run_type, *conf;	/* conf JSON or NULL */
	time_t logical_date, interval_end;
	enum run_state state;
};
int store_active_runs(struct store *s, int (*fn)(void *arg, const struct store_run_row *row), void *arg);

/* A run's conf JSON object, key by key (values as text). */
int store_conf_each(struct store *s, const char *json, void (*fn)(void *arg, const char *k, const char *v),
		    void *arg);

/* The task instance rows of every queued or running run, in one statement
 * (row.run says whose). */
struct store_ti_row {
	int64_t run;
	const char *task_id;
	enum ti_state state;
	int try_number, max_tries, restarts;
	int64_t next_retry_us, started_us;
};
int store_active_ti_rows(struct store *s, void (*fn)(void *arg, const struct store_ti_row *row), void *arg);

/* The pid the store has for a try (NULL: 0 returned), the log path of a
 * task instance (copied into buf). */
int store_try_pid(struct store *s, int64_t run, const char *task_id, int try_number, pid_t *pid);
int store_ti_log_path(struct store *s, int64_t run, const char *task_id, char *buf, size_t len);

/* A try that runs on Slurm: executor 'slurm' and its job id (external_id;
 * job_id 0: NULL, not known yet). store_try_slurm: 1 and *job_id (0 if not
 * recorded) when the try went to Slurm, 0 when it is local. */
int store_try_slurm_set(struct store *s, int64_t run, const char *task_id, int try_number, int64_t job_id);
int store_try_slurm(struct store *s, int64_t run, const char *task_id, int try_number, int64_t *job_id);

/* A backfill's max_active (1 when the row says less). */
int store_backfill_max_active(struct store *s, int64_t backfill_id, int *max_active);

/* Requests other processes left for the daemon (store.h, requests). */
struct store_request_row {
	int64_t id, run;
	char kind[32], task_id[256];
};
/* The newest try of (run, task) the tries table still calls queued or running,
 * for a stop request whose run is no longer active (schedctl stop with the
 * daemon down): 1 with its try number, start, log path and DAG; 0 if none. */
int store_live_try(struct store *s, int64_t run, const char *task_id, int *try_number, int64_t *started_us,
		   char *log_path, size_t plen, char *dag_id, size_t dlen);
int store_pending_requests(struct store *s, struct store_request_row *rows, int max);
int store_request_done(struct store *s, int64_t id, const char *state, const char *result);

/* DAG files and their DAGs (dagbag.c). A file's row: dag_id NULL keeps the
 * one it had; errors NULL when it loaded clean. */
int store_dag_file_record(struct store *s, const char *path, const char *dag_id, const char *errors);
int store_dag_file_forget(struct store *s, const char *path);	/* the file is gone */
/* The dags row of a loaded DAG (active again); reads back what the store
 * keeps across loads: paused (a new row: paused_on_create) and next_interval.
 * The content is stored as a version (dag_versions, once per dag and hash;
 * source NULL: only looked up) and dags.version points at it; *version is
 * its id (0 if source was NULL and no such version exists). */
struct store_dag_row {
	const char *dag_id, *file, *hash, *schedule, *timezone, *description;
	const char *tasks_json;
	const char *source;	/* the file's text */
};
int store_dag_record(struct store *s, const struct store_dag_row *row, bool paused_on_create, bool *paused,
		     time_t *next_interval, int64_t *version);
/* The source text of a version of dag_id (malloc'd into *source): 1 found,
 * 0 no such version, -1 error. */
int store_dag_version_source(struct store *s, int64_t version, const char *dag_id, char **source);
/* Its file is gone or defines another DAG now: no new runs, history kept. */
int store_dag_deactivate(struct store *s, const char *dag_id, const char *reason);
/* Every DAG's paused flag. */
int store_dag_paused_each(struct store *s, void (*fn)(void *arg, const char *dag_id, bool paused), void *arg);

/* alerts: one outbox row (docs/alerts.md); INSERT OR IGNORE on key, so the
 * same state change never enqueues twice. run <= 0, task_id NULL, try_number
 * < 0 are NULL. skipped: written 'skipped' (a disabled channel) with
 * last_error, else 'pending' due now. */
struct store_notification {
	const char *key, *event, *dag_id, *task_id, *channel, *payload;
	int64_t run;
	int try_number;
	const char *skipped;	/* why the channel is disabled, or NULL */
};
int store_notification_add(struct store *s, const struct store_notification *n, int64_t now_us);

/* What a run's notifications need of its row: started_us (0: NULL), its
 * deadline (0: none), when its deadline_missed was enqueued (0: never), and
 * how many times it has ended (success or failed events: a cleared run ends
 * again). 1, 0 (no such run), -1. */
struct store_run_alert {
	int64_t started_us, deadline_us, deadline_missed_us;
	int ends;
};
int store_run_alert(struct store *s, int64_t run, struct store_run_alert *out);
/* runs.deadline_us of a run just created (deadline_us > 0). */
int store_run_set_deadline(struct store *s, int64_t run, int64_t deadline_us);
/* The runs whose deadline has passed, not success, not alerted yet
 * (index runs_deadline_due: only those are visited), oldest deadline first. */
struct store_deadline_row {
	int64_t id, deadline_us, started_us;
	const char *dag_id, *run_id, *state;
	time_t logical_date;
};
int store_deadlines_due(struct store *s, int64_t now_us,
			int (*fn)(void *arg, const struct store_deadline_row *row), void *arg);
int store_run_deadline_missed(struct store *s, int64_t run, int64_t now_us);
/* Every pool (name, slots), through row. 0 or -1 (s->err). */
int store_pools_read(struct store *s, void (*row)(void *arg, const char *name, int slots), void *arg);

/* Dynamic task mapping (docs/mapping.md). A mapped task's own row keeps the
 * list it was expanded over in its result column; its instances are rows
 * "task[i]" (scheduler/mapindex.h).
 * store_ti_map_set: the list (items, n elements) of task_id in run, and the
 * instance rows of an earlier, longer expansion (index >= n) deleted (their
 * tries stay). store_try_last: the highest try number task_id has had in run
 * (0: none), so an instance created again numbers its tries on. */
int store_ti_map_set(struct store *s, int64_t run, const char *task_id, const char *items, int n);
int store_try_last(struct store *s, int64_t run, const char *task_id, int *try_number);

#endif
