/* local.h: the local executor. A try runs under a small supervisor process
 * (forked by the launcher, launcher.h, or by the daemon when there is none) so that the
 * try's fate is recorded even when the daemon itself is killed:
 *
 *   <base>.sup     the supervisor's record: its pid on the first line while it
 *                  lives, flock()ed from before the fork until it exits, so
 *                  "locked" means "alive"; once the command ended, one write
 *                  appends "CODE SIGNAL SPAWNED_US REAPED_US\n" (exit code
 *                  or -1, signal or 0, microseconds since the epoch) and the
 *                  last stdout line plus "\n". A record not ending in that
 *                  newline is cut short (supervisor killed) and not taken.
 *   <base>.log     the command's stdout and stderr
 * Two files per try, so two inode creations: on a busy filesystem creating
 * files is the bulk of a short try's cost.
 *
 * The supervisor is the leader of a new session and process group holding the
 * command and everything it spawns; signalling the group reaches them all.
 * The supervisor itself ignores SIGTERM so it can record what the command did
 * with it. */
#ifndef EXEC_LOCAL_H
#define EXEC_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
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
	int64_t started_us;	/* the command spawned; 0 if not recorded */
	int64_t ended_us;	/* the command reaped; 0 if not recorded */
};

/* Reads the exit record of <base>.sup: 1 and *st filled when it is there and
 * whole, 0 when not (yet), -1 if unreadable. */
int exec_read_status(const char *base, struct exec_status *st);
void exec_status_free(struct exec_status *st);

enum exec_probe_result {
	EXEC_NEVER_STARTED,	/* no .sup file or no pid in it */
	EXEC_ALIVE,		/* the supervisor holds the lock */
	EXEC_GONE		/* it ran and is gone */
};
/* Tells whether the supervisor of base lives; *pid gets the pid it wrote. */
enum exec_probe_result exec_probe(const char *base, pid_t *pid);

/* Signals the whole process group of a try. */
int exec_signal(pid_t pgid, int sig);

/* Closes every descriptor from lowfd up. */
void exec_close_from(int lowfd);

/* mkdir -p of the directory part of path. */
int exec_mkdirs_for(const char *path);

#endif
