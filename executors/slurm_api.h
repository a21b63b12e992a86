/* slurm_api.h: the words of slurmrestd's OpenAPI v0.0.38 (Slurm 22.05) that
 * the Slurm executor speaks, as pure functions: the body of a submission, the
 * answers to a submission and to GET /jobs, the job states and the raw wait
 * status Slurm reports as exit_code. No I/O here (slurm_client.h sends them),
 * so the unit tests and the fuzz harness run them without a cluster.
 *
 * The job's script. v0.0.38 has a job "argv" field, but slurmrestd 22.05.8
 * crashes on a submission that sets it (measured; see docs/slurm.md), so the
 * script carries the argv itself: every word single-quoted (a ' written
 * '\''), no expansion, no glob, run without `exec` so that the script can
 * write the try's exit record after it:
 *
 *   #!/bin/sh
 *   # schedulerd try dag=D run=R task=T try=N
 *   'argv0' 'argv1' ...
 *   rc=$?
 *   printf '%s\n' "$rc" > 'BASE.exit.tmp' && mv -f 'BASE.exit.tmp' 'BASE.exit'
 *   exit $rc
 *
 * The exit record outlives slurmctld's memory of the job (MinJobAge), which
 * is what lets a daemon that was down longer learn the outcome. */
#ifndef EXEC_SLURM_API_H
#define EXEC_SLURM_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lib/buf.h"

/* What a submission asks for. Strings NULL and numbers 0: not sent (the
 * cluster's default). */
struct slurm_submit {
	char *const *argv;	/* NULL-terminated, rendered */
	char *const *envp;	/* NULL-terminated "K=V": the job's whole environment */
	const char *cwd;	/* NULL: the log root's directory of the try */
	const char *log_path;	/* stdout and stderr, appended */
	const char *exit_path;	/* where the script writes its exit status */
	const char *name;	/* the try's identity (slurm_job_name) */
	const char *comment;
	const char *partition, *account, *qos;
	int cpus;
	int64_t mem_mb, time_min;
};

/* The job name that identifies a try: "sched.<run>.<try>.<task>", found
 * again by name after a crash that lost the job id. */
void slurm_job_name(char *buf, size_t len, long long run, int try_number, const char *task_id);

/* One word as a single-quoted sh word. */
void slurm_quote(struct buf *b, const char *s);

/* The batch script above. */
char *slurm_script(const struct slurm_submit *s);

/* The JSON body of POST /slurm/v0.0.38/job/submit; the caller frees it. */
char *slurm_submit_body(const struct slurm_submit *s);

/* The answer to a submission: 1 and *job_id, or 0 with err holding
 * slurmctld's own errors ("Invalid partition name specified (2000)") or what
 * was wrong with the body. */
int slurm_parse_submit(const char *body, size_t len, int64_t *job_id, char *err, size_t errlen);

/* A job's state as the executor understands it. */
enum slurm_state {
	SLURM_ST_QUEUED,	/* PENDING, REQUEUED, CONFIGURING, RESIZING, SUSPENDED */
	SLURM_ST_RUNNING,	/* RUNNING, COMPLETING (still running or cleaning up) */
	SLURM_ST_SUCCESS,	/* COMPLETED */
	SLURM_ST_FAILED,	/* FAILED, TIMEOUT, OUT_OF_MEMORY, NODE_FAIL, PREEMPTED,
				 * CANCELLED, BOOT_FAIL, DEADLINE, REVOKED, SPECIAL_EXIT */
	SLURM_ST_UNKNOWN,
};
enum slurm_state slurm_state_of(const char *job_state);
bool slurm_state_final(enum slurm_state s);

/* Slurm's exit_code is a raw wait status: 1792 is exit 7, 9 is killed by
 * SIGKILL. *code -1 when signalled. */
void slurm_decode_exit(long raw, int *code, int *sig);

struct slurm_job {
	int64_t job_id;
	const char *name;	/* "" if none */
	const char *job_state;	/* Slurm's word, "" if none */
	enum slurm_state state;
	long exit_code;		/* raw wait status */
	int64_t start_time, end_time;	/* epoch seconds, 0 if not given */
};

/* The answer to GET /jobs or /job/{id}: calls fn once per job that has a
 * job_id; 1, or 0 with err (not JSON, no "jobs" list, or its errors). */
int slurm_parse_jobs(const char *body, size_t len, void (*fn)(void *arg, const struct slurm_job *j), void *arg,
		     char *err, size_t errlen);

/* The errors of any answer, "msg (code); msg (code)", into err; 1 if any. */
int slurm_answer_errors(const char *body, size_t len, char *err, size_t errlen);

#endif
