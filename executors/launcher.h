/* launcher.h: starts the supervisors of tries (local.h) from a small helper
 * process instead of from schedulerd itself.
 *
 * Why: fork() costs in proportion to the forking process's memory (page
 * tables copied, and every page the parent then writes is copied again while
 * the child lives). schedulerd holds the SQLite cache and every loaded DAG;
 * the launcher is forked at start-up, before any of that exists, so each
 * supervisor fork is cheap and the daemon never pays copy-on-write faults. It
 * is also where the per-try file work (log directory, lock and log files)
 * happens, in parallel with the daemon's own work.
 *
 * The daemon talks to it over two socket pairs:
 *   requests  (stream) a try to start -> the supervisor's pid or an error
 *   exits     (seqpacket) one {pid, wait status} per supervisor it reaped;
 *             the daemon polls this as it polled SIGCHLD before
 * The launcher exits when the daemon closes its end or dies (EOF); live
 * supervisors do not need it (each is a session leader that writes its own
 * status file), so a kill -9 of the daemon, the launcher or both loses no try:
 * recovery adopts them by their lock files as before. */
#ifndef EXEC_LAUNCHER_H
#define EXEC_LAUNCHER_H

#include <stddef.h>
#include <sys/types.h>

#include "executors/local.h"

struct launcher;

/* Forks the launcher now (call while the process is small). close_fd: -1 or a
 * descriptor the launcher must close at once (e.g. a lock it must not hold).
 * NULL with err on failure. */
struct launcher *launcher_start(int close_fd, char *err, size_t errlen);

/* Starts a try through the launcher: the supervisor's pid (its process group)
 * or -1 with err. -2 when the launcher is gone (then launcher_close and start
 * a new one; live supervisors are found by their lock files). */
pid_t launcher_exec(struct launcher *l, const struct exec_request *r, char *err, size_t errlen);

/* Readable when supervisors ended. */
int launcher_exit_fd(const struct launcher *l);

/* The next ended supervisor: 1 with *pid and *status, 0 when none is pending,
 * -1 when the launcher is gone. Never blocks. */
int launcher_next_exit(struct launcher *l, pid_t *pid, int *status);

pid_t launcher_pid(const struct launcher *l);

/* Closes the sockets (the launcher then exits) and reaps it. */
void launcher_close(struct launcher *l);

#endif
