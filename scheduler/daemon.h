/* daemon.h: schedulerd's in-memory state, shared by its parts:
 *   daemon.c   the event loop (signals, DAG folder watch, timers, store changes)
 *   dagbag.c   DAG files -> loaded DAGs and the dags/dag_files tables
 *   dagver.c   the DAG versions held: the slots' current ones and those the
 *              active runs are pinned to
 *   planner.c  which runs exist and which may run (cron, catchup, streams)
 *   runner.c   runs and task instances: trigger rules, tries, retries,
 *              timeouts, sensors; the only writer of run and TI state
 *   proc.c     struct proc, the process of a try (its state table in proc.h)
 *   dispatch.c an adapter: launcher events -> proc.c transitions, tries and
 *              acks -> the launcher; it calls nothing of the runner's
 *   recover.c  rebuilding this state from the store (start-up, others' writes,
 *              a rolled-back pass)
 *   store_daemon.c  every statement of the daemon (store_daemon.h)
 *
 * The store is the truth; this is a cache of the active runs plus what only a
 * live process can know (child pids, timers). Anything here can be rebuilt from
 * the store at any moment (recover_sync), which is what a restart after
 * kill -9 does, and what a pass that failed to commit does.
 *
 * Owners of the fields of struct daemon: cfg, store, launcher, lock_fd are
 * set once by daemon.c (launcher and launcher_gen by dispatch.c when it
 * replaces a lost launcher); slots by dagbag.c (paused/next_interval also by
 * recover.c after a rollback; running_runs by runner.c; running_tasks by
 * proc.c); runs and backfills by runner.c and recover.c; procs, nprocs by
 * proc.c; retain_pid and retain_next_us by retain.c;
 * notify_pid and notify_next_us by notify_send.c; need_sync is raised by anyone who learns the view is stale and
 * cleared only by recover_sync. */
#ifndef SCHED_DAEMON_H
#define SCHED_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "executors/local.h"
#include "scheduler/dag.h"
#include "scheduler/pool.h"
#include "scheduler/proc.h"
#include "scheduler/store.h"

struct daemon_config {
	const char *dags_dir;
	const char *state_path;
	const char *logs_dir;
	int parallelism;		/* running task processes at once */
	int64_t grace_ms;		/* SIGTERM -> SIGKILL */
	int64_t drain_ms;		/* on SIGTERM, wait this long for running tries */
	bool paused_on_create;		/* new DAGs start paused */
	bool sync_full;			/* synchronous=FULL (power-loss safe) */
	size_t max_dag_bytes;		/* DAG file size limit; 0 = DAG_DEFAULT_MAX_BYTES */
	int max_dag_depth;		/* YAML nesting limit; 0 = DAG_DEFAULT_MAX_DEPTH */
	int64_t parse_timeout_ms;	/* time budget to parse one file; 0 = none */
	int retain_days;		/* --retain: clean history older than this daily; 0 = keep all */
	const char *slurm_url;		/* --slurm-url; NULL: tasks with executor: slurm fail to start */
	const char *slurm_token;	/* never logged */
	const char *slurm_user, *slurm_api;
	const char *slurm_log_root;	/* --slurm-log-root, default --logs */
	const char *web_url;		/* --web-url: links in notifications; NULL = none */
};

/* A DAG version held in memory (dagver.c). */
struct dagver {
	int64_t id;		/* dag_versions.id; 0: not stored */
	struct dag *dag;
	size_t *topo;		/* task indexes in dependency order */
	int refs;		/* its slot (current version) + runs built on it */
};

/* One DAG file's DAG as currently loaded. */
struct dagslot {
	char *dag_id;
	struct dagver *ver;	/* current version; NULL until the file first loads */
	struct dag *dag;	/* ver->dag */
	bool paused;
	bool active;		/* its file exists and loaded */
	bool row_stale;		/* a rolled-back pass may have undone its dags row: write it again */
	time_t next_interval;	/* next scheduled logical date to create; 0 = compute */
	int running_runs;	/* its runs running, backfills' apart (runner.c) */
	int queued_runs;	/* its runs queued, backfills' apart (runner.c) */
	int running_tasks;	/* task processes (not sensors) */
	int64_t planned_since_us;	/* alerts.c: since when this daemon plans it (its first
					 * load in this process); intervals ended before were missed */
};

/* A task instance of an active run: one per task of the DAG (r->tis[i] is
 * task i's), then the instances of its mapped tasks (expand:), appended as
 * they are expanded. */
struct ti {
	size_t task;		/* its task's index in dag->tasks */
	int map_index;		/* a mapped task's instance: its index; -1 for every other */
	char *name;		/* an instance's "task[i]" (its task_id in the store); NULL: the task's id */
	/* A mapped task's own entry (its aggregate state), once expanded: */
	size_t *map;		/* its instances' indexes in r->tis, by map_index */
	size_t nmap;
	size_t map_done[TI__COUNT];	/* how many of them are in each state */
	void *items;		/* its elements (a json_t array), loaded on first use */
	enum ti_state state;
	int try_number, max_tries;
	int64_t next_retry_us;	/* up_for_retry: when */
	int64_t started_us;
	int restarts;
	struct proc *proc;	/* while a process runs for it */
	int64_t next_poke_us;	/* sensors */
	bool stop_requested;
	bool pool_waiting;	/* ready, its pool unknown or too small: said once (runner.c) */
};

struct run {
	int64_t id;
	struct dagslot *slot;
	struct dagver *ver;	/* the version it is pinned to (runs.version) */
	struct dag *dag;	/* ver->dag: the definition it runs */
	size_t *topo;		/* ver->topo */
	char *run_id;
	char *run_type;
	time_t logical_date, interval_end;
	enum run_state state;
	int64_t backfill_id;
	int64_t sort_key;
	struct dag_kv *conf;
	size_t nconf;
	struct backfill *bf;	/* its backfill's counts (backfill_id > 0) */
	struct ti *tis;		/* dag->ntasks entries, then mapped instances (struct ti) */
	size_t ntis, capti;
	size_t unfinished;
	bool stream;
	char *triggering;	/* dataset_triggered: its triggering events' JSON, read at its first
				 * try (store_dataset_triggering); NULL until then */
};

/* A backfill with active runs: its runs start while fewer than max_active
 * of them run (counted here, not by scanning the runs). */
/* A task instance's task, and its name in the store ("task[i]" for a mapped
 * instance). */
static inline const struct dag_task *run_task(const struct run *r, size_t idx)
{
	return &r->dag->tasks[r->tis[idx].task];
}

static inline const char *run_ti_name(const struct run *r, size_t idx)
{
	return r->tis[idx].name ? r->tis[idx].name : r->dag->tasks[r->tis[idx].task].id;
}

/* Every change of a task instance's state in memory goes through here, so a
 * mapped task's counts of its instances' states stay true. */
static inline void run_ti_state(struct run *r, size_t idx, enum ti_state s)
{
	struct ti *ti = &r->tis[idx];
	if (ti->map_index >= 0) {
		r->tis[ti->task].map_done[ti->state]--;
		r->tis[ti->task].map_done[s]++;
	}
	ti->state = s;
}

/* An instance of an expansion no longer in its task's view (r->tis keeps
 * indexes stable): nothing evaluates, ticks, recovers or records it. */
#define MAP_DROPPED (-2)

/* Whether the entry can have tries: not a mapped task's own (an aggregate of
 * its instances), not a dropped instance. */
static inline bool run_ti_has_tries(const struct run *r, size_t idx)
{
	return r->tis[idx].map_index == -1 ? !dag_task_is_mapped(run_task(r, idx)) : r->tis[idx].map_index >= 0;
}

struct backfill {
	int64_t id;
	struct dagslot *slot;
	int max_active;
	int running, queued;	/* its runs in d->runs in those states */
};

struct daemon {
	struct daemon_config cfg;
	struct store *store;
	struct dagslot **slots;
	size_t nslots;
	struct run **runs;	/* active (queued or running) runs */
	size_t nruns, capruns;
	size_t nrunning;	/* runs in d->runs running (runner.c) */
	size_t nfinished;	/* finished runs still in d->runs (runner.c) */
	struct dagver **vers;	/* versions held (dagver.c) */
	size_t nvers, capvers;
	struct backfill *bfs;	/* of the active runs */
	size_t nbfs, capbfs;
	struct proc *procs;
	int nprocs;		/* procs holding a slot (proc.h) */
	bool draining;
	bool need_sync;		/* rebuild runs from the store */
	bool need_reload;	/* re-read the DAG folder */
	int64_t last_adopt_probe_us;
	int64_t drain_deadline_us;
	struct launcher *launcher;	/* starts and supervises the tries' commands */
	int lock_fd;			/* the state lock, which the launcher must not hold */
	unsigned launcher_gen;		/* bumped for each new launcher */
	uint64_t next_token;
	struct slurm_dispatch *slurm;	/* --slurm-url's client (slurm_dispatch.c); NULL: none */
	struct pool_table pools;	/* pools' slots in this pass (pool.c) */
	struct ready_try *ready;	/* ready tries of this pass, by priority (runner.c) */
	size_t nready, capready;
	pid_t retain_pid;		/* the --retain worker while it runs (retain.c) */
	int64_t retain_next_us;		/* when the next one starts (retain.c) */
	pid_t notify_pid;		/* the outbox sender worker (notify_send.c) */
	int64_t notify_next_us;		/* when it may be started (again) (notify_send.c) */
};

/* dispatch.c: an adapter between the loop and its launcher.
 * dispatch_submit hands a try over (starting a new launcher if needed): 0, or
 * -1 with err; its STARTED or START_FAILED carries token. dispatch_read_events
 * turns the launcher's events into proc.c transitions (no store writes: the
 * next pass records them). dispatch_send_acks acks the EXITED of every proc
 * whose outcome the pass just committed. dispatch_launcher_lost has the tries
 * it was given watched by their locks and starts another. */
int dispatch_submit(struct daemon *d, const struct exec_request *r, uint64_t token, char *err, size_t errlen);
void dispatch_send_acks(struct daemon *d);
void dispatch_read_events(struct daemon *d);
void dispatch_launcher_lost(struct daemon *d);

/* slurm_dispatch.c: the Slurm executor's adapter (its protocol at the top
 * of the file). open: the client of --slurm-url (0 when none is set, -1 with
 * err); submit: a try's job (after its intent committed): 0, or
 * SLURM_UNREACHABLE (it waits, retried), or SLURM_REFUSED (err: a start
 * failure); poll (after each pass, outside it): cancellations, then one GET
 * /jobs when due, turned into proc transitions; returns when it wants to run
 * again (0: no job). The job list is fetched by a thread of its own (a busy
 * cluster takes seconds to list), which rings slurm_dispatch_fd when the
 * answer is there. record (in the pass): job ids and waiting events.
 * adopted: a try was adopted at start-up (the next poll lists every job). */
struct slurm_submit;
int slurm_dispatch_open(struct daemon *d, char *err, size_t errlen);
void slurm_dispatch_close(struct daemon *d);
int slurm_dispatch_submit(struct daemon *d, struct proc *p, const struct slurm_submit *req, char *err,
			  size_t errlen);
int64_t slurm_dispatch_poll(struct daemon *d, int64_t now_us);
void slurm_dispatch_record(struct daemon *d);
void slurm_dispatch_adopted(struct daemon *d);
int slurm_dispatch_fd(const struct daemon *d);	/* the poll thread's "answer ready"; -1 if none */

/* dagbag.c: dagbag_reload scans the folder and hands changed files to the
 * parse worker; dagbag_collect (every pass, in its transaction) applies the
 * parses that finished; dagbag_parse_fd is the worker's fd to poll (-1 when
 * idle); dagbag_settle waits for every submitted file (start-up only). */
int dagbag_reload(struct daemon *d);	/* scans the folder; syncs removals */
int dagbag_collect(struct daemon *d);
int dagbag_parse_fd(const struct daemon *d);
void dagbag_settle(struct daemon *d);
struct dagslot *dagbag_find(struct daemon *d, const char *dag_id);
void dagbag_free(struct daemon *d);
int dagbag_refresh_flags(struct daemon *d);	/* paused flags from the store */
void dagbag_pass_rolled_back(struct daemon *d);	/* re-apply every file at the next scan */

/* dagver.c: dagver_adopt makes g (taken) version id, the current one of a
 * slot (one ref); dagver_get takes a ref on version id of slot's DAG for a
 * run, parsing it from the store if not held (id 0, or one that does not
 * load: the slot's current version); dagver_put drops a ref; dagver_sweep
 * frees versions without refs. */
struct dagver *dagver_adopt(struct daemon *d, int64_t id, struct dag *g);
struct dagver *dagver_get(struct daemon *d, struct dagslot *slot, int64_t id);
void dagver_put(struct dagver *v);
void dagver_sweep(struct daemon *d);
void dagver_free_all(struct daemon *d);
size_t *dagver_topo_order(const struct dag *g);

/* planner.c: returns the next instant (us) it wants to be woken at, or 0. */
int64_t planner_tick(struct daemon *d, int64_t now_us);

/* runner.c. Store writes happen inside the loop's pass (one transaction). */
struct run *runner_new_run(struct daemon *d, struct dagslot *slot, int64_t id, const char *run_id,
			   const char *run_type, time_t logical_date, time_t interval_end,
			   int64_t backfill_id, int64_t sort_key, enum run_state state, int64_t version);
int runner_add_run(struct daemon *d, struct run *r);	/* into d->runs, sort_key order */
int runner_build_runs(struct daemon *d);	/* TIs of every run in d->runs from the store, one query */
int runner_start_run(struct daemon *d, struct run *r);	/* queued -> running */
void runner_reevaluate(struct daemon *d, struct run *r);	/* none TIs whose deps are met */
int64_t runner_tick(struct daemon *d, int64_t now_us);	/* start/advance; next wake */
void runner_record_started(struct daemon *d);	/* "running" of STARTED procs */
void runner_record_exit(struct daemon *d, struct proc *p);	/* an EXITED proc's outcome */
void runner_submit_pending(struct daemon *d);	/* after the pass committed */
void runner_stop_all(struct daemon *d, bool streams_only);
struct run *runner_find_run(struct daemon *d, int64_t id);
struct backfill *runner_backfill(struct daemon *d, struct dagslot *slot, int64_t id);	/* its counts */
void runner_drop_finished(struct daemon *d);
void runner_free_runs(struct daemon *d);
void runner_process_requests(struct daemon *d);
/* A restarting task instance whose try is gone: none with a fresh budget,
 * and evaluated (it runs again). */
void runner_restart(struct daemon *d, struct run *r, size_t idx);

/* alerts.c (docs/alerts.md), in the pass: a scheduled run's deadline
 * (alerts_run_created), schedule_missed for an interval created late or
 * skipped, deadline_missed of the runs past their deadline (alerts_tick,
 * every pass). planned_before: the store had a next_interval for the DAG;
 * history: a run of a new DAG's catchup older than its latest interval. */
int alerts_run_created(struct daemon *d, struct dagslot *s, bool history, int64_t run, time_t interval_end);
int alerts_interval_created(struct daemon *d, struct dagslot *s, bool planned_before, int64_t run,
			    const char *run_id, time_t logical_date, time_t end, int64_t now_us);
int alerts_intervals_skipped(struct daemon *d, struct dagslot *s, time_t from, time_t to, int64_t now_us);
int alerts_tick(struct daemon *d, int64_t now_us);

/* recover.c */
int recover_sync(struct daemon *d, bool startup);

#endif
