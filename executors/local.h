/* local.h: the local executor. A try runs under a small supervisor process
 * (a fork of the daemon that never touches the daemon's state) so that the
 * try's fate is recorded even when the daemon itself is killed:
 *
 *   <base>.lock    holds the supervisor's pid; flock()ed from before the fork
 *                  until the supervisor exits, so "locked" means "alive"
 *   <base>.log     the command's stdout and stderr
 *   <base>.status  written (atomically, by rename) when the command ended:
 *                  its exit code or signal, and the last stdout line
 *
 * The supervisor is the leader of a new session and process group holding the
 * command and everything it spawns; signalling the group reaches them all.
 * The supervisor itself ignores SIGTERM so it can record what the command did
 * with it. */
#ifndef EXEC_LOCAL_H
#define EXEC_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct exec_request {
	char *const *argv;	/* argv[0] is looked up in PATH of envp */
	char *const *envp;
	const char *cwd;	/* NULL: the daemon's */
	const char *base;	/* ".../try-3": the three files above are base + suffix */
};

/* Starts the supervisor and the command; returns the supervisor's pid (= the
 * process group id) or -1 with err. Creates the directory of base. */
pid_t exec_start(const struct exec_request *r, char *err, size_t errlen);

struct exec_status {
	int exit_code;		/* -1 when killed by a signal */
	int term_signal;	/* 0 when it exited */
	char *last_line;	/* last complete stdout line (NULL if none), unvalidated */
};

/* Reads <base>.status: 1 and *st filled when present, 0 when absent, -1 if
 * unreadable. */
int exec_read_status(const char *base, struct exec_status *st);
void exec_status_free(struct exec_status *st);

enum exec_probe_result {
	EXEC_NEVER_STARTED,	/* no lock file or no pid in it */
	EXEC_ALIVE,		/* the supervisor holds the lock */
	EXEC_GONE		/* it ran and is gone */
};
/* Tells whether the supervisor of base lives; *pid gets the pid it wrote. */
enum exec_probe_result exec_probe(const char *base, pid_t *pid);

/* Signals the whole process group of a try. */
int exec_signal(pid_t pgid, int sig);

/* mkdir -p of the directory part of path. */
int exec_mkdirs_for(const char *path);

#endif
