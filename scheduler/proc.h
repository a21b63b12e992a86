/* proc.h: the process of one try, as the daemon knows it. proc.c owns
 * struct proc: it is created only by the proc_new_* constructors and its
 * phase changes only in the functions of this table (as SQLite's pager
 * documents its states), each named for the event that causes it:
 *
 *   from         to           function                 event
 *   (none)       UNSUBMITTED  proc_new_try             the runner decided a try; its intent
 *                                                      (TI queued) is in the open pass
 *   (none)       WATCHED      proc_new_adopted         start-up: its log is locked (it lives)
 *   (none)       EXITED       proc_new_ended           start-up: it ended while we were down
 *   UNSUBMITTED  STARTING     proc_submitted           the pass committed; sent to the launcher
 *   UNSUBMITTED  (freed)      proc_pass_rolled_back    its intent rolled back with the pass
 *   STARTING     RUNNING      proc_started             the launcher's STARTED
 *   STARTING     EXITED       proc_start_failed        START_FAILED, or it could not be sent
 *   UNSUBMITTED  EXITED       proc_start_failed        its command could not be rendered
 *   RUNNING      EXITED       proc_exited              the launcher's EXITED (with the record)
 *   STARTING,    WATCHED      proc_launcher_lost       its launcher died: watched by its lock
 *   RUNNING
 *   WATCHED      EXITED       proc_lock_free           the probe found its lock free
 *   EXITED       RECORDED     proc_recorded            its outcome is written in the open pass
 *   RECORDED     (freed)      proc_pass_committed      the pass committed (ack sent first)
 *   RECORDED     EXITED       proc_pass_rolled_back    the pass rolled back: recorded again
 *
 * Invariants:
 *   - A proc in any phase but RECORDED holds a process slot: d->nprocs and its
 *     DAG's running_tasks count exactly those (proc_recount rebuilds them).
 *   - An EXITED proc's outcome is not in the store; a RECORDED one's is in the
 *     open transaction only. A proc is freed only once its outcome committed,
 *     so a rolled-back pass (a failed COMMIT on a full disk) loses no exit:
 *     the next pass records it again, and the launcher, which holds the try's
 *     lock until acked, is acked only after the commit.
 *   - "running" is written by the pass after STARTED (started_pending); a
 *     rolled-back pass writes it again.
 *   - At most one proc per (run, task, try).
 *
 * A try on Slurm (slurm = true, scheduler/slurm_dispatch.c) has no pid and
 * no launcher: its events come from slurmrestd instead, through the same
 * transitions, plus these of its own:
 *   (none)       WATCHED      proc_new_slurm           start-up: a try the store says went to
 *                                                      Slurm (found by job id, else by name)
 *   UNSUBMITTED  STARTING     proc_job_submitted       slurmctld took it: its job id
 *   UNSUBMITTED  WATCHED      proc_submit_unsure       the submission got no answer: looked
 *                                                      for by name, as after a restart
 *   STARTING,    EXITED       proc_job_ended           the job reached a final state (or its
 *   RUNNING,                                           exit record was found)
 *   WATCHED
 *   WATCHED      RUNNING      proc_job_seen            start-up: slurmctld still has the job
 *   WATCHED      EXITED       proc_never_submitted     start-up: no job has its name, and no
 *                                                      exit record: it never reached Slurm
 * An UNSUBMITTED Slurm proc whose intent committed (intent_committed) stays
 * UNSUBMITTED while slurmrestd is unreachable, and is not freed by a
 * rolled-back pass: its intent is in the store. */
#ifndef SCHED_PROC_H
#define SCHED_PROC_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "executors/local.h"

struct daemon;

enum proc_phase {
	PROC_UNSUBMITTED,	/* its intent is in the open pass, not yet sent */
	PROC_STARTING,		/* sent to the launcher, STARTED not seen yet (pid 0) */
	PROC_RUNNING,		/* started, and its end will come as the launcher's EXITED */
	PROC_WATCHED,		/* no launcher of ours reports it (adopted after a restart, or
				 * its launcher died): its log's lock is probed */
	PROC_EXITED,		/* ended (or never started); outcome to be recorded */
	PROC_RECORDED,		/* outcome written in the open pass; freed once it commits */
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
	unsigned launcher_gen;	/* the launcher it was sent to (acks go only there) */
	enum proc_phase phase;
	bool started_pending;	/* STARTED seen, "running" not yet written */
	bool started_in_pass;	/* "running" written in the open pass */
	bool have_record;	/* the launcher's EXITED brought the exit record */
	struct exec_status record;
	int wait_status;
	char *start_error;	/* it never started: why */
	int64_t started_us;
	int64_t deadline_us;	/* timeout; 0 = none */
	int64_t term_sent_us;	/* SIGTERM sent at */
	bool timed_out;
	bool stopping;		/* stop requested (pause, clear --force, shutdown) */
	bool wait_for_clear;	/* stopped by a "stop" request: its task instance stays
				 * restarting until the clear that follows (recover.c) */
	/* Slurm (slurm_dispatch.c) */
	bool slurm;		/* runs as a Slurm job */
	bool intent_committed;	/* its tries row (executor slurm) is in the store */
	int64_t job_id;		/* 0 until submitted, or found by name after a restart */
	bool job_id_pending;	/* job id known, not yet written to the store */
	bool job_id_in_pass;	/* written in the open pass */
	bool cancel_sent;	/* DELETE accepted (or the job had ended) */
	bool waiting_logged;	/* its "waiting for the cluster" event is written */
	char *wait_reason;	/* why it waits (slurmrestd unreachable...), to record */
	char *job_cause;	/* the job's final state in words, for the outcome */
	bool never_submitted;	/* adopted, and no job ever had its name: its try
				 * number goes back (runner_record_exit) */
	int64_t next_submit_us;	/* unreachable: try the submission again at */
	int64_t job_known_us;	/* when its job id became known (0: adopted) */
	char *pool;		/* the pool whose slots it holds until RECORDED; NULL: none */
	int pool_slots;
	struct proc *next;
};

struct proc_spec {	/* what a constructor needs */
	int64_t run_id;
	const char *dag_id, *task_id, *base;
	size_t task_idx;
	int try_number;
	int64_t started_us, timeout_ms;	/* timeout_ms <= 0: none */
	const char *pool;	/* its task's pool, NULL: none (pool.c) */
	int pool_slots;
};

struct proc *proc_new_try(struct daemon *d, const struct proc_spec *sp, uint64_t token);
struct proc *proc_new_adopted(struct daemon *d, const struct proc_spec *sp, pid_t pid);
struct proc *proc_new_ended(struct daemon *d, const struct proc_spec *sp, pid_t pid);
struct proc *proc_new_slurm(struct daemon *d, const struct proc_spec *sp, int64_t job_id);
void proc_job_submitted(struct proc *p, int64_t job_id);
void proc_job_seen(struct proc *p);
void proc_submit_unsure(struct proc *p);
void proc_never_submitted(struct proc *p);
/* code -1 and sig > 0: killed; cause e.g. "slurm job 12 TIMEOUT" or NULL. */
void proc_job_ended(struct proc *p, int code, int sig, const char *cause, int64_t ended_us);

void proc_submitted(struct proc *p, unsigned launcher_gen);
void proc_started(struct proc *p, pid_t pid, int64_t spawned_us);
void proc_start_failed(struct daemon *d, struct proc *p, const char *err);
void proc_exited(struct proc *p, int wait_status, const struct exec_status *record);
void proc_launcher_lost(struct daemon *d);
void proc_lock_free(struct proc *p);
void proc_recorded(struct daemon *d, struct proc *p);
void proc_pass_committed(struct daemon *d);
void proc_pass_rolled_back(struct daemon *d);

/* "running" of a STARTED proc written in the open pass. */
void proc_started_written(struct proc *p);

/* SIGTERM to its process group now (once); stopping: on request, not a
 * failure of its own. The loop escalates to SIGKILL after the grace. */
void proc_terminate(struct proc *p, int64_t now_us, bool stopping, bool timed_out);

/* now + ms * 1000 without overflow (saturates at INT64_MAX). */
int64_t proc_deadline(int64_t now_us, int64_t ms);

struct proc *proc_find(struct daemon *d, int64_t run, const char *task_id, int try_number);
void proc_recount(struct daemon *d);	/* d->nprocs and each DAG's running_tasks */
void proc_free_all(struct daemon *d);	/* at exit */

#endif
