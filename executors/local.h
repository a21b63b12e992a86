/* local.h: the local executor's record of a try, on disk beside its log, so
 * that a try's fate survives a kill -9 of the daemon and is never invented:
 *
 *   <base>.sup     the pid of the try's command (its process group) on the
 *                  first line; flock()ed (shared) before the command starts,
 *                  by the launcher (launcher.h) and through a read-only
 *                  descriptor the command inherits as fd 3: "locked" means
 *                  some process of the try is alive, even if the launcher
 *                  died; probes try an exclusive lock.
 *                  Once the command ended, one write appends the exit record
 *                  "CODE SIGNAL SPAWNED_US REAPED_US\n" (exit code or -1,
 *                  signal or 0, microseconds since the epoch) and the last
 *                  stdout line plus "\n". A record not ending in that
 *                  newline was cut short and is not taken.
 *   <base>.log     the command's stdout and stderr
 * Two files per try, so two inode creations: on a busy filesystem creating
 * files is the bulk of a short try's cost.
 *
 * The command leads a new session and process group holding everything it
 * spawns; signalling the group reaches them all. */
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
	const char *base;	/* ".../try-3": the two files above are base + suffix */
};

/* The open files of a try being started. */
struct exec_try_files {
	int sup_fd;	/* read-write, shared lock, truncated, close-on-exec */
	int child_fd;	/* read-only, shared lock, close-on-exec: the command's fd 3 */
	int log_fd;	/* append, close-on-exec */
};

/* Creates the directory of base and opens both files, the lock taken: 0, or
 * -1 with err (also when a process of this try still holds the lock). */
int exec_open_try(const char *base, struct exec_try_files *f, char *err, size_t errlen);

/* The pid line, written once the command runs. */
void exec_write_pid(int sup_fd, pid_t pid);

/* Appends the exit record in one write; last may be NULL (no stdout line). */
void exec_write_exit(int sup_fd, int wait_status, int64_t started_us, int64_t ended_us, const char *last,
		     size_t last_len);

/* Microseconds since the epoch. */
int64_t exec_now_us(void);

/* Longest last stdout line kept as a try's result. */
#define EXEC_LAST_LINE_MAX 65536

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
	EXEC_ALIVE,		/* a process of the try holds the lock */
	EXEC_GONE		/* it ran and is gone */
};
/* Tells whether a process of the try lives; *pid gets the pid line (0 if not
 * written yet). */
enum exec_probe_result exec_probe(const char *base, pid_t *pid);

/* Signals the whole process group of a try. */
int exec_signal(pid_t pgid, int sig);

/* write(2) until all of it is written (EINTR retried); gives up on an error. */
void exec_write_all(int fd, const char *p, size_t n);

/* Closes every descriptor from lowfd up. */
void exec_close_from(int lowfd);

/* mkdir -p of the directory part of path. */
int exec_mkdirs_for(const char *path);

#endif
