/* dag.h: the in-memory model of one DAG file, as the loader validated it.
 *
 * Everything here is already checked: dependencies resolved to indexes, no
 * cycle, cron parsed, zone known, templates name only known variables. The
 * planner and executor never re-validate. */
#ifndef SCHED_DAG_H
#define SCHED_DAG_H

#include <stdbool.h>
#include <stdint.h>
#include <stddef.h>
#include <time.h>

#include "scheduler/cron.h"
#include "scheduler/diag.h"

enum trigger_rule {
	TR_ALL_SUCCESS, TR_ALL_DONE, TR_ALL_FAILED, TR_ONE_SUCCESS, TR_ONE_FAILED, TR_NONE_FAILED
};
enum retry_backoff { BACKOFF_FIXED, BACKOFF_EXPONENTIAL };
enum schedule_kind { SCHEDULE_CRON, SCHEDULE_NONE, SCHEDULE_STREAM,
	SCHEDULE_DATASETS	/* schedule: {datasets: [...]} (docs/datasets.md) */
};
/* Where a task's tries run: the daemon's launcher, or a Slurm cluster
 * through slurmrestd (docs/slurm.md). */
enum task_executor { EXECUTOR_LOCAL, EXECUTOR_SLURM };

/* The 'slurm' mapping: what the job asks of the cluster. A task's mapping
 * replaces the default's whole. Strings NULL and numbers 0 when not given
 * (the cluster's defaults apply). */
struct dag_slurm {
	char *partition, *account, *qos;
	int cpus;		/* cpus_per_task */
	int64_t mem_mb;		/* memory_per_node, MiB ("8G" = 8192) */
	int64_t time_min;	/* time_limit, minutes (a duration rounded up) */
};

struct dag_kv {
	char *key;
	char *value;
};

/* Notifications (notify:, docs/alerts.md). The events a channel listens to
 * are a mask of 1u << enum notify_event. */
enum notify_event {
	NOTIFY_TASK_FAILED, NOTIFY_TASK_RETRY, NOTIFY_RUN_FAILED, NOTIFY_RUN_SUCCEEDED,
	NOTIFY_DEADLINE_MISSED, NOTIFY_SCHEDULE_MISSED, NOTIFY_STREAM_CRASH_LOOP, NOTIFY_NEVENTS
};
#define NOTIFY_TASK_EVENTS ((1u << NOTIFY_TASK_FAILED) | (1u << NOTIFY_TASK_RETRY) | \
	(1u << NOTIFY_STREAM_CRASH_LOOP))
enum notify_type { NOTIFY_WEBHOOK, NOTIFY_EMAIL, NOTIFY_COMMAND };
struct dag_notify {
	unsigned events;
	enum notify_type type;
	char *spec;	/* the channel as written, a compact JSON object (the outbox's
			 * channel column): templates NOT rendered */
	char *address;	/* the template that disables the channel when it renders
			 * empty: webhook url, email smtp, command argv[0] */
};

struct dag_task {
	char *id;
	char **command;		/* argv templates, NULL-terminated; NULL for a pure sensor */
	size_t ncommand;
	bool shell;		/* command is one string run by /bin/sh -c */
	struct dag_kv *env;	/* value templates */
	size_t nenv;
	char *cwd;		/* template or NULL */
	char **depends_on;	/* upstream task ids as written */
	size_t *upstream;	/* their indexes in dag->tasks */
	size_t nupstream;
	size_t *downstream;	/* indexes of tasks that depend on this one */
	size_t ndownstream;
	enum trigger_rule trigger_rule;
	int retries;			/* extra tries after the first (default 0) */
	int64_t retry_delay_ms;		/* default 5m */
	enum retry_backoff retry_backoff;	/* default fixed */
	int64_t max_retry_delay_ms;	/* default 1h */
	int64_t timeout_ms;		/* 0 = none */
	int max_active_tis;		/* max_active_tis_per_dag: tries of this task running
					 * at once over all runs of the DAG; 0 = no limit */
	int *no_retry_exit_codes;	/* default {2} */
	size_t nno_retry_exit_codes;
	char *wait_path;	/* sensor: path or glob template; NULL if not a sensor */
	int64_t poke_ms;	/* default 30s */
	int64_t wait_timeout_ms;	/* default 1d */
	struct dag_notify *notify;	/* the task's own channels (its events only) */
	size_t nnotify;
	int line, column;	/* where the task starts in the file */
	enum task_executor executor;	/* default local */
	struct dag_slurm slurm;
	char **outlets;		/* dataset URI templates an event is recorded for on success */
	size_t noutlets;
	/* A sensor on another DAG's run or task (wait_for: {dag: ...}); poke_ms
	 * and wait_timeout_ms as for a path. */
	char *wait_dag;		/* its DAG id; NULL if not such a sensor */
	char *wait_task;	/* its task id; NULL: the whole run */
	char *wait_date;	/* template of its logical date; NULL: this run's + wait_offset_s */
	int64_t wait_offset_s;
	unsigned wait_allowed;	/* 1u << state: task instance states with wait_task, else run states */
	unsigned wait_failed;
	/* Pools and priorities (docs/pools.md). */
	char *pool;		/* pool name; NULL: no pool (bounded only by concurrency, parallelism) */
	int pool_slots;		/* slots a try holds in its pool; default 1 */
	int priority_weight;	/* higher starts first among ready tries of every DAG; default 1
				 * (Airflow's weight_rule: absolute, the only rule) */
	/* Dynamic task mapping (expand:, docs/mapping.md): one task instance per
	 * element of a list known when the task is ready to run. */
	char *map_over;		/* a template rendering a JSON array, or (map_literal) the
				 * array itself as compact JSON; NULL: not a mapped task */
	bool map_literal;
	char *map_as;		/* the element's name in templates; default "item" */
	int map_max;		/* max_length: at most this many elements */
};

static inline bool dag_task_is_mapped(const struct dag_task *t)
{
	return t->map_over != NULL;
}

/* A task that waits (a path or another DAG) instead of running a command. */
static inline bool dag_task_is_sensor(const struct dag_task *t)
{
	return t->wait_path || t->wait_dag;
}

/* A field added to struct dag or struct dag_task goes in the parse worker's
 * wire format too (dag_parse.c), or the daemon never sees it. */
struct dag {
	char *dag_id;
	char *description;
	char *file;		/* path it was loaded from */
	char hash[17];		/* FNV-1a 64 of the file bytes, hex */
	char *source;		/* the file's text, to store as its version (dag_versions);
				 * the daemon frees it once stored (NULL then) */
	char *schedule;		/* as written: "0 2 * * *", "@daily", "none", "stream" */
	enum schedule_kind kind;
	struct cron cron;	/* when kind == SCHEDULE_CRON */
	char *timezone;		/* IANA name, default "UTC" */
	time_t start_date;	/* valid if has_start_date: any instant, 1970 and before too */
	time_t end_date;	/* valid if has_end_date */
	bool has_start_date;
	bool has_end_date;
	bool catchup;		/* default false */
	bool has_paused_on_create;	/* else the daemon's --paused-on-create decides */
	bool paused_on_create;		/* a new DAG starts paused */
	int max_active_runs;	/* default 16 */
	int concurrency;	/* running tasks of this DAG at once; default 16 */
	struct dag_kv *params;
	size_t nparams;
	struct dag_task *tasks;	/* in file order */
	size_t ntasks;
	struct dag_notify *notify;	/* DAG-level channels */
	size_t nnotify;
	int64_t deadline_ms;	/* after data_interval_end the run must have succeeded; 0 = none */
	char **datasets;	/* SCHEDULE_DATASETS: the literal URIs it waits for, distinct */
	size_t ndatasets;
};

/* What the loader accepts. Every bound keeps loading linear in the file's
 * size: libyaml's scanner costs O(depth) per token, so an unbounded nesting
 * makes it quadratic (docs/dag-format.md, "Limits"). */
struct dag_limits {
	size_t max_bytes;	/* file size; 0 = DAG_DEFAULT_MAX_BYTES */
	int max_depth;		/* nested YAML collections; 0 = DAG_DEFAULT_MAX_DEPTH */
};
#define DAG_DEFAULT_MAX_BYTES ((size_t)8 << 20)	/* admits a 50,000-task file */
#define DAG_DEFAULT_MAX_DEPTH 32		/* the schema needs 4 */
#define DAG_MAX_ERRORS 200	/* diagnostics kept per file; the rest are counted */
#define DAG_MAX_SUGGESTIONS 16	/* unknown dependencies that get a "did you mean" */
/* Values the daemon computes with: a duration is added to the clock in
 * microseconds, a try number counts up to retries + 1. */
#define DAG_MAX_DURATION_MS (3650LL * 24 * 60 * 60 * 1000)	/* 3650d, 10 years */
#define DAG_MAX_RETRIES 10000
#define DAG_MAX_PRIORITY_WEIGHT 1000000	/* |priority_weight| */
#define DAG_MAP_DEFAULT_MAX 1024	/* expand.max_length's default (Airflow's max_map_length) */
#define DAG_MAP_MAX 100000		/* and its limit */

/* Loads and validates one file. On any problem returns NULL and appends every
 * problem found to diags (file:line:column). lim may be NULL (the defaults). */
struct dag *dag_load_file(const char *path, struct diag_list *diags);
/* Sets lim from the text of --max-dag-size ("8M", "512K", "1500000": bytes
 * from 1K to 1024M) and --max-dag-depth (4 to 1000000), either NULL to keep
 * the default; schedulerd and schedctl validate take the same values from the
 * same flags and $SCHED_MAX_DAG_SIZE / $SCHED_MAX_DAG_DEPTH. Returns 0, or -1
 * with err naming the flag and the value. */
int dag_limits_parse(struct dag_limits *lim, const char *size, const char *depth, char *err, size_t errlen);
struct dag *dag_load_file_limits(const char *path, const struct dag_limits *lim, struct diag_list *diags);
/* Same, from a buffer; file names it in messages. */
struct dag *dag_load_buffer(const char *file, const char *buf, size_t len, struct diag_list *diags);
struct dag *dag_load_buffer_limits(const char *file, const char *buf, size_t len, const struct dag_limits *lim,
				   struct diag_list *diags);
void dag_free(struct dag *d);

/* Index of task id, or -1. */
long dag_task_index(const struct dag *d, const char *task_id);
const char *dag_param(const struct dag *d, const char *key);	/* NULL if absent */

const char *trigger_rule_name(enum trigger_rule r);
/* "task_failed", ... (docs/alerts.md); NULL past NOTIFY_NEVENTS. */
extern const char *const notify_event_names[NOTIFY_NEVENTS];
const char *notify_event_name(enum notify_event e);

#endif
