/* local.h: the local executor's record of a try, on disk beside its log, so
 * that a try's fate survives a kill -9 of the daemon and is never invented:
 *
 *   <base>.log     the command's stdout and stderr; also the try's lock:
 *                  flock()ed (shared) before the command starts, by the
 *                  launcher (launcher.h) and through a read-only descriptor the
 *                  command inherits as fd 3, so "locked" means some process of
 *                  the try is alive or its outcome is not yet in the store;
 *                  probes try an exclusive lock.
 *   <base>.sup     written only when the daemon is gone (killed, or stopped
 *                  with tries left): the pid of the try's command (its process
 *                  group) on the first line, and once the command ended the
 *                  exit record "CODE SIGNAL SPAWNED_US REAPED_US\n" (exit code
 *                  or -1, signal or 0, microseconds since the epoch), then the
 *                  last stdout line plus "\n", each in one write. A record not
 *                  ending in that newline was cut short and is not taken.
 * While the daemon runs, the exit record travels in the launcher's EXITED
 * event and the lock is let go once the daemon says the outcome is committed:
 * a try creates two inodes (its log directory and its log), and on a busy
 * file system creating files is the bulk of a short try's cost.
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
	int log_fd;	/* append, shared lock, close-on-exec */
	int child_fd;	/* the log read-only, shared lock, close-on-exec: the command's fd 3 */
};

/* Creates the directory of base, opens the log and takes the lock, and removes
 * a .sup left by an earlier start of this try: 0, or -1 with err (also when a
 * process of this try still holds the lock). */
int exec_open_try(const char *base, struct exec_try_files *f, char *err, size_t errlen);

struct exec_status;

/* Writes <base>.sup: pid > 0 creates it with the pid line (and rec, if any,
 * after it); pid <= 0 appends rec to it. 0 or -1. */
int exec_write_sup(const char *base, pid_t pid, const struct exec_status *rec);

/* The exit record's text (without the pid line) into buf, which holds at
 * least EXEC_LAST_LINE_MAX + 130 bytes; its length. */
size_t exec_format_record(char *buf, const struct exec_status *st);

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
	int log_errno;		/* 0, or the error that made the log lose the command's
				 * stdout (ENOSPC...): reported in the launcher's EXITED
				 * (not kept in .sup records) */
};

/* Reads the exit record of <base>.sup: 1 and *st filled when it is there and
 * whole, 0 when not (yet), -1 if unreadable. */
int exec_read_status(const char *base, struct exec_status *st);
void exec_status_free(struct exec_status *st);

enum exec_probe_result {
	EXEC_NEVER_STARTED,	/* no lock held and no pid in a .sup (the store may know it ran) */
	EXEC_ALIVE,		/* the lock is held: a process of the try, or its launcher */
	EXEC_GONE		/* lock free, pid in .sup: it ran and is gone */
};
/* Tells whether the try is alive; *pid gets the .sup pid line (0 if none). */
enum exec_probe_result exec_probe(const char *base, pid_t *pid);

/* Signals the whole process group of a try. */
int exec_signal(pid_t pgid, int sig);

/* write(2) until all of it is written (EINTR retried); gives up on an error. */
/* 0, or -1 with errno (the rest of p is not written). */
int exec_write_all(int fd, const char *p, size_t n);

/* Closes every descriptor from lowfd up. */
void exec_close_from(int lowfd);

/* mkdir -p of the directory part of path. */
int exec_mkdirs_for(const char *path);

#endif
