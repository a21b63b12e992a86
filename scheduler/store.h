/* store.h: the state store, one SQLite file in WAL mode shared by schedulerd
 * and schedctl.
 *
 * Every state transition is one transaction that also appends a row to the
 * events table, so the history can be audited and a crash at any instant
 * leaves either the old or the new state, never half of both. Other processes
 * read and write at any time: WAL lets readers run beside the one writer, and
 * busy_timeout makes a writer wait its turn instead of failing. The daemon
 * notices other processes' commits through PRAGMA data_version.
 *
 * Times are microseconds since the epoch (UTC) in *_us columns; logical dates
 * and interval bounds are seconds (time_t).
 *
 * Schema (version STORE_SCHEMA_VERSION, see store.c for the migrations):
 *   dags(dag_id PK, file, hash, schedule, timezone, description, paused,
 *        active, next_interval, next_run, tasks JSON, errors, loaded_us,
 *        version)  -- version: dag_versions.id of the file's current content
 *        -- next_interval: logical date of the next scheduled run to create;
 *           next_run: when it will be created (its interval end);
 *           schedule: as written, or {"datasets":["URI",...]} (docs/datasets.md);
 *           tasks: [{"id":"a","upstream":["b"],"retries":2,"trigger_rule":...}]
 *   dag_files(file PK, dag_id, errors, checked_us)  -- errors NULL when clean
 *   runs(id PK, dag_id, run_id, logical_date, interval_end, run_type, state,
 *        conf JSON, backfill_id, sort_key, created_us, started_us, ended_us,
 *        cause, version, UNIQUE(dag_id, logical_date), UNIQUE(dag_id, run_id))
 *        -- cause: why the run ended as it did when a person or rule decided
 *           it ("stopped by alice"); version: the dag_versions.id it was
 *           created with and keeps to its end (NULL: made before version 2)
 *   task_instances(run PK, task_id PK, state, try_number, max_tries, pid,
 *        started_us, ended_us, exit_code, next_retry_us, log_path, result,
 *        restarts)
 *   tries(run, task_id, try_number PK, state, pid, started_us, ended_us,
 *        exit_code, signal, log_path, result, cause)
 *   events(id PK, at_us, dag_id, run, task_id, try_number, old_state,
 *        new_state, cause, actor)  -- actor: the user who asked (schedctl's
 *           login name, schedweb's user), NULL for the daemon's own transitions
 *   dag_versions(id PK, dag_id, hash, file, source, tasks JSON, created_us,
 *        UNIQUE(dag_id, hash))  -- every distinct content of a DAG's file,
 *           stored once (hash: of the content; source: the file's text)
 *   backfills(id PK, dag_id, from_date, to_date, max_active, reverse,
 *        created_us)
 *   requests(id PK, created_us, kind, dag_id, run, task_id, args JSON, state,
 *        result, done_us)   -- work only the daemon can do (stop a running try)
 * Version 3:
 *   notifications(id PK, key UNIQUE, created_us, event, dag_id, run, task_id,
 *        try_number, channel JSON, payload JSON, state, attempts,
 *        next_attempt_us, last_error, done_us)  -- the alerts outbox: state
 *           pending -> delivered | given_up, or skipped when written for a
 *           disabled channel; key: the stable idempotency id (docs/alerts.md)
 *   runs.deadline_us  -- when the run must have succeeded (NULL: no deadline)
 *   daemon_status(id PK = 1, pid, host, started_us, heartbeat_us, loops,
 *        loop_us_sum, loop_us_max, loop_b0..loop_b7, queue_depth,
 *        running_tries, stream_restarts, crash_loops)  -- one row, there from
 *           the migration on (heartbeat_us NULL until a daemon ran): the
 *           running daemon's heartbeat and loop statistics, written at most
 *           once a second inside a pass (scheduler/status.h); stream_restarts
 *           and crash_loops kept by triggers on task_instances
 *   state_counts(kind 'run'|'ti', dag_id, state, n PK(kind, dag_id, state))
 *        -- runs and task instances by DAG and state, kept by triggers
 *   try_stats(dag_id, task_id PK, started, retried, failed, duration_count,
 *        duration_sum, d1, d5, ... d21600)  -- tries by task, kept by
 *           triggers on tries; d<N>: tries that ran at most N seconds
 *           (cumulative). These three feed /metrics (docs/metrics.md)
 *   runs.deadline_missed_us  -- when its deadline_missed was enqueued (NULL:
 *        not missed, or not yet checked); index runs_deadline_due holds the
 *        runs with a deadline, not missed, not success
 *   daemon_status(id PK = 1, pid, host, started_us, heartbeat_us)  -- the
 *        running daemon's heartbeat, written at most once a second
 *   tries.executor ('local' when NULL, 'slurm'), tries.external_id (the
 *        cluster's job id, decimal text; NULL until the submission's answer
 *        is committed: a restarted daemon then finds the job by its name,
 *        scheduler/slurm_dispatch.c)
 *   dataset_events(id PK AUTOINCREMENT, uri, dag_id, run, task_id, at_us,
 *        extra JSON)  -- a task with that outlet succeeded (extra: its result);
 *        deleted with its run
 *   dataset_consumers(dag_id PK, last_event)  -- a DAG scheduled on datasets:
 *        the newest event id its last dataset-triggered run consumed
 *   dataset_runs(run PK, after_event, upto_event)  -- a dataset-triggered
 *        run consumed its DAG's URIs' events in (after_event, upto_event]
 *        (scheduler/store_dataset.h has the rule)
 *   pools(name PK, slots, description)  -- written by schedctl pools set/delete
 *        (store_cli.h), read each pass by the daemon (pool.c) and by
 *        query_pools; tasks name a pool in their DAG (docs/pools.md)
 */
#ifndef SCHED_STORE_H
#define SCHED_STORE_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

#include <sqlite3.h>

#define STORE_SCHEMA_VERSION 3

/* Task instance states (Airflow's names) and run states. */
enum ti_state {
	TI_NONE, TI_SCHEDULED, TI_QUEUED, TI_RUNNING, TI_SUCCESS, TI_FAILED,
	TI_UP_FOR_RETRY, TI_UPSTREAM_FAILED, TI_SKIPPED,
	TI_RESTARTING,	/* cleared while running (schedctl clear --force): its try is
			 * being stopped, then it runs again; not a failure, no
			 * trigger rule fires on it (Airflow's restarting) */
	TI_CRASH_LOOP,	/* a stream task restarted more than `retries` times in a row,
			 * each try ending within a minute: restarts go on at the
			 * capped backoff, and the state says so (Kubernetes' CrashLoopBackOff) */
	TI__COUNT
};
enum run_state { RUN_QUEUED, RUN_RUNNING, RUN_SUCCESS, RUN_FAILED, RUN__COUNT };

const char *ti_state_name(enum ti_state s);
int ti_state_parse(const char *s);	/* -1 if unknown */
bool ti_state_finished(enum ti_state s);	/* success failed upstream_failed skipped */
const char *run_state_name(enum run_state s);
int run_state_parse(const char *s);

struct store_cached_stmt {
	const char *sql;	/* compared by address: callers pass string literals */
	sqlite3_stmt *st;
};

struct store {
	sqlite3 *db;
	char *path;
	int64_t data_version;
	struct store_cached_stmt *cache;	/* grows: statements keyed by their SQL's address */
	int ncache, capcache;
	char err[512];
	int depth;		/* nested store_begin calls */
	bool aborted;		/* rolled back inside a nesting: the outer commit fails */
	/* Who the writes of this connection are for (events.actor of the
	 * events store_event appends): set by schedweb around a request's
	 * write to the user's name; NULL (the daemon, schedctl) otherwise. */
	const char *actor;
};

/* How a program opens the state file. Only schedulerd creates one and
 * initializes or migrates its schema (STORE_CREATE); schedctl opens an
 * existing state file of this program's schema version, to read
 * (STORE_READ) or to write (STORE_WRITE), and changes nothing when it is
 * not one: an empty file stays empty. */
enum store_mode { STORE_CREATE, STORE_READ, STORE_WRITE };

/* Opens the state file in mode. Returns NULL with a message in err naming the
 * path and the real cause (no such file, permission denied on the file or its
 * -wal/-shm, a read-only file system, not a state file, a newer schema). */
struct store *store_open(const char *path, enum store_mode mode, char *err, size_t errlen);
void store_close(struct store *s);

/* true if another connection committed since the last call (cheap: one PRAGMA). */
bool store_changed_externally(struct store *s);

/* Transactions nest: an inner begin/commit pair joins the outermost one, so
 * the daemon can make one transaction of several transitions that happen at
 * the same instant. A rollback anywhere rolls back the whole of it, and the
 * outermost commit then returns -1. */
int store_begin(struct store *s);	/* BEGIN IMMEDIATE */
int store_commit(struct store *s);
void store_rollback(struct store *s);

/* Appends one event row (actor: s->actor); part of the caller's transaction. */
int store_event(struct store *s, const char *dag_id, int64_t run, const char *task_id,
		int try_number, const char *old_state, const char *new_state, const char *cause);
/* The same, naming who asked (events.actor; NULL: the daemon itself). */
int store_event_by(struct store *s, const char *dag_id, int64_t run, const char *task_id, int try_number,
		   const char *old_state, const char *new_state, const char *cause, const char *actor);

/* A failure inside a transaction: s->err names what failed and the
 * transaction is doomed, as SQLite's pager enters its error state: every
 * further statement through store_cached/store_exec is refused and the
 * outermost store_commit rolls the whole of it back and returns -1. Returns -1. */
int store_fail(struct store *s, const char *what);
/* sqlite3_step with its result checked: SQLITE_ROW or SQLITE_DONE, or -1
 * after store_fail(s, what). */
int store_step(struct store *s, sqlite3_stmt *st, const char *what);

/* Runs one statement with no result (convenience for migrations and simple updates). */
int store_exec(struct store *s, const char *sql);
/* Prepares (cached per connection by SQLite's own cache is not enough: callers
 * keep statements in their own structs where it matters). */
sqlite3_stmt *store_prepare(struct store *s, const char *sql);

/* A prepared statement kept for the life of the connection, reset and with
 * its bindings cleared; sql must be a string literal (cached by address).
 * The caller must not finalize it. */
sqlite3_stmt *store_cached(struct store *s, const char *sql);

int64_t store_now_us(void);

/* Run ids as Airflow writes them: "<type>__<ISO 8601 logical date>". */
void store_format_run_id(const char *run_type, const char *tz, time_t logical_date, char *buf,
			 size_t len);

/* store_create_run with the run id run_id_as (NULL: "<type>__<ISO date>"),
 * which the caller checked (path_name_problem); -2 (nothing written) when
 * the DAG already has a run of that id. */
int64_t store_create_run_as(struct store *s, const char *dag_id, const char *run_id_as,
			    const char *tz, time_t logical_date, time_t interval_end,
			    const char *run_type, const char *conf_json, int64_t backfill_id,
			    int64_t sort_key, const char *cause, char *existing, size_t existing_len);
/* Creates a run (queued) and its creation event in one transaction.
 * Returns its id, 0 if a run with that logical date already exists (its run_id
 * is copied to existing), -1 on error (s->err). conf_json may be NULL.
 * The run is pinned to the DAG's current version (runs.version =
 * dags.version, NULL while the daemon has not stored one). */
int64_t store_create_run(struct store *s, const char *dag_id, const char *tz, time_t logical_date,
			 time_t interval_end, const char *run_type, const char *conf_json,
			 int64_t backfill_id, int64_t sort_key, const char *cause,
			 char *existing, size_t existing_len);

/* Clears task instances of one run so they run again with a fresh retry
 * budget (max_tries = try_number + 1 + retries, taken from retries_of(task)).
 * Earlier tries stay in the tries table. A running or queued one becomes
 * restarting: the daemon stops its try (not a failure: no trigger rule
 * fires) and runs it again; the others become none. The run goes back to
 * queued when it had finished. One transaction. */
int store_clear_tasks(struct store *s, int64_t run, const char *const *task_ids, size_t n,
		      const int *retries, const char *cause);

int store_set_paused(struct store *s, const char *dag_id, bool paused, const char *cause);

/* Inserts a request for the daemon; returns its id or -1. */
int64_t store_request(struct store *s, const char *kind, const char *dag_id, int64_t run,
		      const char *task_id, const char *args_json);

#endif
