/* daemon.h: schedulerd's in-memory state, shared by its parts:
 *   daemon.c   the event loop (signals, DAG folder watch, timers, store changes)
 *   dagbag.c   DAG files -> loaded DAGs and the dags/dag_files tables
 *   planner.c  which runs exist and which may run (cron, catchup, streams)
 *   runner.c   task instances: trigger rules, tries, retries, timeouts, sensors
 *   dispatch.c tries to and from the launcher process (executors/launcher.h)
 *   recover.c  rebuilding this state from the store (start-up, others' writes)
 *
 * The store is the truth; this is a cache of the active runs plus what only a
 * live process can know (child pids, timers). Anything here can be rebuilt from
 * the store at any moment (recover_sync), which is what a restart after
 * kill -9 does. */
#ifndef SCHED_DAEMON_H
#define SCHED_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#include "executors/local.h"
#include "scheduler/dag.h"
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
};

/* One DAG file's DAG as currently loaded. */
struct dagslot {
	char *dag_id;
	struct dag *dag;	/* current definition */
	size_t *topo;		/* task indexes in dependency order */
	bool paused;
	bool active;		/* its file exists and loaded */
	time_t next_interval;	/* next scheduled logical date to create; 0 = compute */
	int running_runs;
	int running_tasks;	/* task processes (not sensors) */
};

/* A task instance of an active run. */
struct ti {
	enum ti_state state;
	int try_number, max_tries;
	int64_t next_retry_us;	/* up_for_retry: when */
	int64_t started_us;
	int restarts;
	struct proc *proc;	/* while a process runs for it */
	int64_t next_poke_us;	/* sensors */
	bool stop_requested;
};

struct run {
	int64_t id;
	struct dagslot *slot;
	struct dag *dag;	/* slot->dag when the run was built */
	char *run_id;
	char *run_type;
	time_t logical_date, interval_end;
	enum run_state state;
	int64_t backfill_id;
	int64_t sort_key;
	struct dag_kv *conf;
	size_t nconf;
	struct ti *tis;		/* dag->ntasks entries */
	size_t unfinished;
	bool stream;
};

/* The process of one try (its command, leader of its process group). */
/* Where a try's process is, as the daemon knows it. */
enum proc_phase {
	PROC_UNSUBMITTED,	/* its intent is in the open batch, not yet sent */
	PROC_STARTING,		/* sent to the launcher, STARTED not seen yet (pid 0) */
	PROC_RUNNING,		/* started, and its end will come as the launcher's EXITED */
	PROC_WATCHED,		/* no launcher of ours reports it (adopted after a restart, or
				 * its launcher died): its log's lock is probed */
	PROC_EXITED,		/* ended; outcome to be recorded */
};

struct proc {
	pid_t pid;
	int64_t run_id;
	char *task_id;
	size_t task_idx;	/* its index in the run's DAG when it started (a hint) */
	char *dag_id;
	int try_number;
	char *base;		/* logs/.../try-N without suffix */
	uint64_t token;		/* its launcher request */
	enum proc_phase phase;
	bool have_record;	/* the launcher's EXITED brought the exit record */
	struct exec_status record;
	int wait_status;
	int64_t started_us;
	int64_t deadline_us;	/* timeout; 0 = none */
	int64_t term_sent_us;	/* SIGTERM sent at */
	bool timed_out;
	bool stopping;		/* stop requested (pause, clear --force, shutdown) */
	struct proc *next;
};

struct daemon {
	struct daemon_config cfg;
	struct store *store;
	struct dagslot **slots;
	size_t nslots;
	struct run **runs;	/* active (queued or running) runs */
	size_t nruns, capruns;
	struct proc *procs;
	int nprocs;		/* live task processes */
	bool draining;
	bool need_sync;		/* rebuild runs from the store */
	bool need_reload;	/* re-read the DAG folder */
	int64_t last_adopt_probe_us;
	int64_t drain_deadline_us;
	struct launcher *launcher;	/* starts and supervises the tries' commands */
	int lock_fd;			/* the state lock, which the launcher must not hold */
	uint64_t next_token;
	uint64_t *acks;			/* EXITED tokens to ack once the pass commits */
	size_t nacks, capacks;
};

/* dispatch.c: the daemon and its launcher. dispatch_submit hands a try over
 * (starting a new launcher if needed): 0, or -1 with err; its STARTED or
 * START_FAILED carries token. dispatch_ack_later queues the ack of an EXITED
 * whose outcome is in the open pass, dispatch_send_acks sends them once it
 * committed. dispatch_read_events turns the launcher's events into runner
 * calls. dispatch_launcher_lost has the tries it was given watched by their
 * locks (unsent ones wait for the next launcher) and starts another. */
int dispatch_submit(struct daemon *d, const struct exec_request *r, uint64_t token, char *err, size_t errlen);
void dispatch_ack_later(struct daemon *d, uint64_t token);
void dispatch_send_acks(struct daemon *d);
void dispatch_read_events(struct daemon *d);
void dispatch_launcher_lost(struct daemon *d);

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

/* planner.c: returns the next instant (us) it wants to be woken at, or 0. */
int64_t planner_tick(struct daemon *d, int64_t now_us);

/* runner.c */
void runner_build_run(struct daemon *d, struct run *r);	/* TIs from store rows */
int runner_start_run(struct daemon *d, struct run *r);	/* queued -> running */
void runner_reevaluate(struct daemon *d, struct run *r);	/* none TIs whose deps are met */
int64_t runner_tick(struct daemon *d, int64_t now_us);	/* start/advance; next wake */
void runner_proc_exited(struct daemon *d, struct proc *p);
void runner_submit_pending(struct daemon *d);	/* after the batch committed */
void runner_drop_unsubmitted(struct daemon *d);	/* the batch rolled back */
void runner_proc_started(struct daemon *d, struct proc *p, pid_t pid, int64_t spawned_us);
void runner_proc_start_failed(struct daemon *d, struct proc *p, const char *err);
void runner_stop_all(struct daemon *d, bool streams_only);
struct run *runner_find_run(struct daemon *d, int64_t id);
void run_free(struct run *r);
void proc_free(struct proc *p);
void runner_process_requests(struct daemon *d);

/* recover.c */
int recover_sync(struct daemon *d, bool startup);

#endif
