/* query.h: the read layer over the state store. Every question schedctl (and
 * later the REST API) asks of the state file is one function here, answering
 * with typed structs; nothing here writes (the transitions are store.c's and
 * store_cli.c's) and nothing here prints.
 *
 * The contract of every query_* function that reads:
 *   - it returns Q_OK, Q_NOTFOUND (what was asked for does not exist; err
 *     says what was looked for) or Q_ERROR (SQLite failed: a corrupt page, a
 *     missing table, an I/O error, out of memory; err names the state file,
 *     SQLite's message and what was being read); query_run_resolve also
 *     Q_AMBIGUOUS (a person's date names several runs; err lists them);
 *   - a row set is whole or an error: a scan that fails half way never looks
 *     like fewer rows (or none), and the partial rows are freed;
 *   - every sqlite3 result is checked; statements come from the store's cache
 *     and are reset before returning, so no read transaction stays open
 *     between calls (a long-lived caller never pins the WAL);
 *   - output structs belong to the caller, who frees them with the matching
 *     *_free (safe on a zeroed struct and after an error).
 * err is always written on Q_NOTFOUND, Q_AMBIGUOUS and Q_ERROR, never on Q_OK.
 * query_sensor_pokes is the one reader of a file (a sensor's try log), not
 * of the store. */
#ifndef SCHED_QUERY_H
#define SCHED_QUERY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "lib/path.h"
#include "scheduler/store.h"

enum { Q_ERROR = -1, Q_OK = 0, Q_NOTFOUND = 1, Q_AMBIGUOUS = 2 };

/* ---- one state of the file for several questions. Between begin and end
 * every question sees the same commit (a read transaction: BEGIN, and the
 * first read takes the snapshot), so a run and its task instances read in
 * two questions agree. Only on a connection that is not inside a store
 * transaction, and never around a wait or a poll: an open snapshot keeps the
 * daemon's checkpoints from resetting the WAL. end returns Q_ERROR (and rolls
 * the read back) if SQLite could not end it. */
int query_snapshot_begin(struct store *s, char *err, size_t errlen);
int query_snapshot_end(struct store *s, char *err, size_t errlen);

/* ---- DAGs as the daemon recorded them (dags.tasks JSON taken apart by
 * SQLite's json_each, not by a parser of ours). */
struct query_task {
	char *id;
	int retries;
	char *trigger_rule;	/* NULL: the default */
	size_t *up;		/* indexes of upstream tasks */
	size_t nup;
	bool sensor;		/* a wait_for task: its try pokes until found */
	bool mapped;		/* a mapped task (expand:, docs/mapping.md) */
};

struct query_dag {
	char *dag_id, *file, *schedule, *timezone, *description, *errors;
	bool paused;
	int64_t next_run;	/* seconds, 0 if none */
	int64_t version;	/* dag_versions.id whose tasks these are; 0: none stored */
	struct query_task *tasks;	/* file order */
	size_t ntasks;
};

/* One DAG's record; Q_NOTFOUND when no DAG has that id. */
int query_dag(struct store *s, const char *dag_id, struct query_dag *out, char *err, size_t errlen);
void query_dag_free(struct query_dag *d);
/* d's tasks become those of its stored version (a run's: query_run.version),
 * the rest of its record stays; a no-op when d already has that version.
 * Q_NOTFOUND (d unchanged) when the DAG has no such version. */
int query_dag_at_version(struct store *s, struct query_dag *d, int64_t version, char *err, size_t errlen);

/* Every stored version of a DAG (dag_versions), oldest first, with the runs
 * pinned to each (schedctl dags DAG --versions). */
struct query_dag_version {
	int64_t id, created_us;
	char *hash, *file;
	int ntasks;
	int nruns, nactive;	/* runs pinned to it; of them queued or running */
	char *run_ids;		/* their run ids, newest first, as a JSON array */
	bool current;		/* the DAG's current version (dags.version) */
};
struct query_dag_versions {
	struct query_dag_version *v;
	size_t n;
};
int query_dag_versions(struct store *s, const char *dag_id, struct query_dag_versions *out, char *err,
		       size_t errlen);
void query_dag_versions_free(struct query_dag_versions *v);
long query_task_index(const struct query_dag *d, const char *task_id);

struct query_names {
	char **v;
	size_t n;
};
/* Every dag_id, sorted (for "did you mean"). */
int query_dag_ids(struct store *s, struct query_names *out, char *err, size_t errlen);
/* Q_OK if the DAG is known, Q_NOTFOUND if not (no task is read). */
int query_dag_exists(struct store *s, const char *dag_id, char *err, size_t errlen);
void query_names_free(struct query_names *n);

/* ---- the DAG list (schedctl dags) */
struct query_dag_summary {
	char *dag_id, *file, *description, *schedule, *timezone;
	char *errors;		/* the DAG's or its file's problems, NULL if none */
	bool paused, active;	/* active: its file still declares it */
	int ntasks;
	int64_t next_run;	/* seconds, 0 if none */
	char *last_state;	/* state of the newest run, NULL without runs */
	time_t last_logical_date;
};
struct query_broken_file {
	char *file, *errors;
};
struct query_dag_list {
	struct query_dag_summary *dags;	/* by dag_id */
	size_t ndags;
	struct query_broken_file *broken;	/* files that declare no loaded DAG, by name */
	size_t nbroken;
};
int query_dags(struct store *s, struct query_dag_list *out, char *err, size_t errlen);
void query_dag_list_free(struct query_dag_list *l);

/* ---- runs */
struct query_run {
	int64_t id;
	char run_id[PATH_NAME_MAX + 1];
	time_t logical_date, interval_end;
	char type[16], state[16];
	int64_t created_us, started_us, ended_us;	/* 0 if not yet */
	int64_t backfill_id;	/* 0 if none */
	int64_t version;	/* dag_versions.id it is pinned to; 0 if none */
};
struct query_runs {
	struct query_run *v;
	size_t n;
};
/* The runs of a DAG, newest logical date first; state NULL = any; limit 0 =
 * all. Read through the (dag_id, logical_date) index. */
int query_runs(struct store *s, const char *dag_id, const char *state, long limit,
	       struct query_runs *out, char *err, size_t errlen);
void query_runs_free(struct query_runs *r);
/* The same, any state, of logical date <= upto (grid's view ending at a run). */
int query_runs_upto(struct store *s, const char *dag_id, time_t upto, long limit,
		    struct query_runs *out, char *err, size_t errlen);
/* The same, of logical date in [from, to) (runs --date: the runs of a day). */
int query_runs_in(struct store *s, const char *dag_id, int64_t from, int64_t to, long limit,
		  struct query_runs *out, char *err, size_t errlen);
/* The newest run of a DAG; Q_NOTFOUND without runs. */
int query_run_latest(struct store *s, const char *dag_id, struct query_run *out, char *err,
		     size_t errlen);
/* The first run whose logical date lies in [from, to); Q_NOTFOUND if none. */
int query_run_between(struct store *s, const char *dag_id, time_t from, time_t to,
		      struct query_run *out, char *err, size_t errlen);
/* The run of exactly that logical date; Q_NOTFOUND if none. */
int query_run_at(struct store *s, const char *dag_id, time_t logical_date, struct query_run *out,
		 char *err, size_t errlen);
/* A run by its row id; Q_NOTFOUND if none. */
int query_run_by_id(struct store *s, int64_t id, struct query_run *out, char *err, size_t errlen);
/* A run by its run_id ("scheduled__2026-03-01T00:00:00+00:00"), in dag_id or,
 * with dag_id NULL, in any DAG (then Q_NOTFOUND also when several DAGs have a
 * run of that id: err names them). dag_out (may be NULL) receives its DAG
 * (malloc'd). */
int query_run_by_run_id(struct store *s, const char *dag_id, const char *run_id,
			struct query_run *out, char **dag_out, char *err, size_t errlen);
/* The one way a run is named by a person (schedctl, the REST API): by
 * run_id when it is not NULL; else by logical date in [from, to) (one instant:
 * to = from + 1; a day: its two midnights); else (from == to == 0) the latest
 * run. Q_OK with *out; Q_NOTFOUND; Q_AMBIGUOUS when several runs lie in
 * [from, to): err lists their run ids (the first 10) and asks for one. */
int query_run_resolve(struct store *s, const char *dag_id, const char *run_id, time_t from,
		      time_t to, struct query_run *out, char *err, size_t errlen);
/* Up to 3 logical dates before t and 3 at or after it, ascending. */
int query_run_dates_near(struct store *s, const char *dag_id, time_t t, time_t dates[6],
			 size_t *n, char *err, size_t errlen);
/* How many task instances of a run have finished (success, failed,
 * upstream_failed, skipped). */
int query_run_finished_tasks(struct store *s, int64_t run, int *n, char *err, size_t errlen);

struct query_backfill_progress {
	int runs, success, failed, running;
};
int query_backfill_progress(struct store *s, int64_t backfill_id,
			    struct query_backfill_progress *out, char *err, size_t errlen);

/* ---- task instances and tries */
struct query_ti {
	char *task_id, *state;
	int try_number, max_tries, restarts;
	/* Tries made before the latest clear (0 if never cleared): this
	 * attempt's tries are try_number - tries_before of
	 * max_tries - tries_before. */
	int tries_before;
	int64_t started_us, ended_us;	/* 0 if not yet */
	bool has_exit;
	int exit_code;
	int signal;		/* of the current try, 0 if none */
	char *result;		/* the try's result object (JSON text) or NULL */
	char *log_path;
	/* Why the task instance is in its state: the cause of its latest event
	 * (events.cause: "exit code 3", "timeout after 120s", a template error,
	 * a trigger rule, "schedctl clear" ...), else the cause its current try
	 * recorded (tries.cause); NULL if neither says. */
	char *cause;
	char *try_cause;	/* tries.cause of the current try, NULL if none */
	/* N of a mapped task's instance "NAME[N]" (scheduler/mapindex.h), -1
	 * for every other row (the mapped task's own row included). */
	int map_index;
};
struct query_tis {
	struct query_ti *v;	/* by task id, each task's instances right after it by index */
	size_t n;
};
/* The index in d of a row's task: that of NAME for an instance "NAME[N]",
 * query_task_index's otherwise; -1 if d has no such task. */
long query_ti_task_index(const struct query_dag *d, const char *task_id);
/* Orders t (as a query_* read filled it: in name order, map_index set) as
 * the views list a run: d's tasks in file order, each followed by its
 * mapped instances by index (x[2] before x[10]), then the rows of tasks d
 * does not have (an older version's) by task id. */
void query_tis_sort_dag(const struct query_dag *d, struct query_tis *t);
/* Every task instance of a run with its current try's cause (by task_id). */
/* The pokes a sensor's try made so far: the "<time> poke ..." lines the
 * daemon's runner appends to the try's log, one per poke (runner.c poke).
 * -1 if there is no log to count (no --logs path, or it cannot be read). */
int query_sensor_pokes(const char *log_path);
int query_task_instances(struct store *s, int64_t run, struct query_tis *out, char *err,
			 size_t errlen);
/* Only task_id and state of each task instance of a run (grid, clear). */
int query_ti_states(struct store *s, int64_t run, struct query_tis *out, char *err,
		    size_t errlen);
void query_tis_free(struct query_tis *t);

struct query_try {
	int try_number;
	char state[16];
	bool ended;
	char *log_path;		/* NULL if none recorded */
};
/* Try try_number (0 = the latest) of task_id in run; Q_NOTFOUND if none. */
int query_try(struct store *s, int64_t run, const char *task_id, int try_number,
	      struct query_try *out, char *err, size_t errlen);
void query_try_free(struct query_try *t);

/* ---- the event log (events table: one row per state transition) */
struct query_event {
	int64_t id, at_us;
	char *dag_id;		/* NULL for events of no DAG */
	int64_t run;		/* 0 if the event is not about a run */
	char *run_id;		/* NULL if not about a run (or the run is gone) */
	char *task_id;		/* NULL if about the run or the DAG */
	int try_number;		/* 0 if none */
	char *old_state, *new_state, *cause;	/* each may be NULL */
	char *actor;		/* who asked (events.actor); NULL: the daemon */
};
struct query_events {
	struct query_event *v;	/* oldest first (ascending id) */
	size_t n;
};
struct query_event_filter {
	const char *dag_id;	/* NULL: any DAG */
	int64_t run;		/* 0: any run (with run set, read through events_by_run) */
	const char *task_id;	/* NULL: any task */
	bool task_instances;	/* with task_id: also its mapped instances task_id[N] */
	int64_t after_id;	/* only events with id > after_id (following: the last seen) */
	long last;		/* > 0: only the newest N matching; 0: all */
};
int query_events(struct store *s, const struct query_event_filter *f, struct query_events *out,
		 char *err, size_t errlen);
void query_events_free(struct query_events *e);
/* The id of the newest event (0 if none): where following starts. */
int query_events_last_id(struct store *s, int64_t *id, char *err, size_t errlen);

/* ---- pages of runs and events for the REST API (schedweb): the filters,
 * the order and limit/offset are SQL's, so a page costs the same whatever
 * the history behind it (runs through the (dag_id, logical_date) index). */
struct query_run_row {
	struct query_run r;
	char *dag_id;
	char *conf;		/* the run's conf JSON text, NULL if none */
	char *cause;		/* runs.cause ("stopped by alice"), NULL if none */
};
enum query_run_order {
	QRO_LOGICAL_DATE, QRO_START_DATE, QRO_END_DATE, QRO_STATE, QRO_RUN_ID, QRO_DAG_ID, QRO__COUNT
};
struct query_run_filter {
	const char *dag_ids_json;	/* a JSON array of dag_ids; NULL: every DAG */
	const char *states_json;	/* a JSON array of states; NULL: any */
	/* Bounds, inclusive; INT64_MIN / INT64_MAX when not given. logical
	 * dates in seconds, started/ended in microseconds (a bound on a date
	 * the run does not have yet excludes it). */
	int64_t ld_gte, ld_lte, sd_gte, sd_lte, ed_gte, ed_lte;
	enum query_run_order order;
	bool desc;
	long limit, offset;	/* limit <= 0: all */
};
struct query_run_page {
	struct query_run_row *v;
	size_t n;
	int64_t total;		/* every run matching the filters, whatever the page */
};
/* A filter with no bounds, every DAG and state, logical date ascending. */
void query_run_filter_init(struct query_run_filter *f);
int query_runs_page(struct store *s, const struct query_run_filter *f, struct query_run_page *out,
		    char *err, size_t errlen);
void query_run_page_free(struct query_run_page *p);
/* conf and cause of one run (either may be NULL). */
int query_run_extra(struct store *s, int64_t run, char **conf, char **cause, char *err, size_t errlen);

enum query_event_order { QEO_ID, QEO_WHEN, QEO_DAG_ID, QEO_TASK_ID, QEO_EVENT, QEO_OWNER, QEO__COUNT };
struct query_event_page_filter {
	const char *dag_id, *task_id, *run_id, *event, *owner;	/* NULL: any */
	bool task_instances;	/* with task_id: also its mapped instances task_id[N] */
	int64_t after_us, before_us;	/* inclusive bounds on at_us; INT64_MIN/MAX: none */
	enum query_event_order order;
	bool desc;
	long limit, offset;
};
struct query_event_page {
	struct query_event *v;	/* in the filter's order */
	size_t n;
	int64_t total;
};
int query_events_page(struct store *s, const struct query_event_page_filter *f,
		      struct query_event_page *out, char *err, size_t errlen);
void query_event_page_free(struct query_event_page *p);

/* ---- the alerts outbox (notifications table, docs/alerts.md) */
struct query_notification {
	int64_t id, created_us, next_attempt_us, done_us;	/* done_us 0: not done */
	char *key, *event, *dag_id;
	char *run_id;		/* NULL: no run (schedule_missed of a skipped interval) */
	char *task_id;		/* NULL: a run event */
	int try_number;		/* 0: none */
	char *channel;		/* its type: webhook, email, command */
	char *state, *last_error;	/* last_error may be NULL */
	int attempts;
};
struct query_notifications {
	struct query_notification *v;	/* newest first */
	size_t n;
	int64_t pending, given_up;	/* the outbox's depth, over every DAG (or dag_id's) */
};
struct query_notification_filter {
	const char *dag_id;	/* NULL: any DAG */
	bool failed;		/* only given_up */
	bool pending;		/* only pending (both: either) */
	long last;		/* > 0: the newest N; 0: all */
};
int query_notifications(struct store *s, const struct query_notification_filter *f,
			struct query_notifications *out, char *err, size_t errlen);
void query_notifications_free(struct query_notifications *n);

/* ---- the web UI's reads (ui-web/ui.c) */
/* Each task instance of a run with its current try's number, times, signal
 * and tries.cause (as try_cause and cause) -- no events are read, so a grid
 * of 25 runs of 200 tasks costs 25 primary-key scans. */
int query_grid_cells(struct store *s, int64_t run, struct query_tis *out, char *err, size_t errlen);

/* Every try of one task instance, oldest first. */
struct query_try_row {
	int try_number;
	char state[16];
	int64_t started_us, ended_us;	/* 0 if not yet */
	bool has_exit;
	int exit_code, signal;
	char *cause, *result, *executor;	/* each may be NULL */
};
struct query_tries {
	struct query_try_row *v;
	size_t n;
};
int query_tries(struct store *s, int64_t run, const char *task_id, struct query_tries *out, char *err,
		size_t errlen);
void query_tries_free(struct query_tries *t);
/* A run's conf (JSON text, malloc'd) or NULL without one; Q_NOTFOUND: no such run. */
int query_run_conf(struct store *s, int64_t run, char **conf, char *err, size_t errlen);
/* How many runs a DAG has (through the (dag_id, logical_date) index). */
int query_run_count(struct store *s, const char *dag_id, int64_t *n, char *err, size_t errlen);
/* The file name and text of a stored version of a DAG (dag_versions): that
 * version, or with version 0 the DAG's current one. Both malloc'd. */
int query_dag_source(struct store *s, const char *dag_id, int64_t version, char **file, char **source,
		     char *err, size_t errlen);

/* ---- datasets (docs/datasets.md): every URI that has events, is declared
 * as a literal outlet, or is waited for by a DAG's schedule. */
struct query_dataset_event {
	int64_t id, at_us;
	char *dag_id, *task_id, *run_id;	/* run_id NULL when the run is gone */
	char *extra;				/* JSON object or NULL */
};
struct query_dataset_consumer {
	char *dag_id;
	bool pending;		/* an event of this URI it has not consumed yet */
};
struct query_dataset {
	char *uri;
	int64_t nevents;
	struct query_dataset_event last;	/* last.id == 0: no event */
	struct query_dataset_producer {
		char *dag_id, *task_id;
	} *producers;		/* literal outlets declared, and tasks seen producing it */
	size_t nproducers;
	struct query_dataset_consumer *consumers;	/* DAGs scheduled on it */
	size_t nconsumers;
	struct query_dataset_event *events;	/* with a URI asked: its newest events, newest first */
	size_t nevents_listed;
};
struct query_datasets {
	struct query_dataset *v;	/* by URI */
	size_t n;
};
/* uri NULL: every dataset; else that one with its newest `events` events
 * (Q_NOTFOUND when nothing knows it). */
int query_datasets(struct store *s, const char *uri, long events, struct query_datasets *out, char *err,
		   size_t errlen);
void query_datasets_free(struct query_datasets *l);

/* ---- pools (docs/pools.md): every row of the pools table, with the slots
 * held by queued and running tries of the tasks that name it (by the DAGs'
 * current task lists, dags.tasks), then the pools tasks name that do not
 * exist (missing: their tasks wait), by name. */
struct query_pool {
	char *name, *description;	/* description NULL: none */
	int slots;
	int64_t running, queued;	/* slots held */
	bool missing;			/* named by a task, not in the pools table */
};
struct query_pools {
	struct query_pool *v;
	size_t n;
};
int query_pools(struct store *s, struct query_pools *out, char *err, size_t errlen);
void query_pools_free(struct query_pools *l);

#endif
