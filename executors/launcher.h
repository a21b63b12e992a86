/* launcher.h: the process that starts and supervises the commands of tries
 * on schedulerd's behalf.
 *
 * The daemon forks it once at start-up, before it opens the state file or
 * loads a DAG, so it is small. Per try it creates the try's files (local.h),
 * spawns the command (posix_spawn: a vfork, one process creation per try as
 * make has), copies the command's stdout into the log keeping the last line,
 * reaps it and appends the exit record. The daemon never forks, so it never
 * pays for copying its page tables nor for copy-on-write of its SQLite cache.
 *
 * The daemon talks to it over two socket pairs:
 *   requests  (stream) a try to start -> the command's pid or an error
 *   exits     (seqpacket) one {pid, wait status} per try that ended, after
 *             its exit record is written; the daemon polls this socket
 * When the daemon dies (kill -9) or closes its end, the launcher takes no more
 * requests but goes on supervising its tries until the last one ended: their
 * exit records are written all the same, and a new daemon adopts them by
 * their locks. If the launcher itself dies, the commands live on holding
 * their lock (fd 3): they are adopted, and when they end without an exit
 * record the try counts as failed and is retried by its policy; never a
 * second live try beside them. */
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

/* Starts a try: its command's pid (= its process group) or -1 with err. -2
 * when the launcher is gone (then launcher_close and start a new one; its
 * live tries are found by their locks). */
pid_t launcher_exec(struct launcher *l, const struct exec_request *r, char *err, size_t errlen);

/* Readable when tries ended. */
int launcher_exit_fd(const struct launcher *l);

/* The next ended try: 1 with its command's *pid and wait *status, 0 when none
 * is pending, -1 when the launcher is gone. Never blocks. */
int launcher_next_exit(struct launcher *l, pid_t *pid, int *status);

pid_t launcher_pid(const struct launcher *l);

/* Closes the sockets: the launcher exits once its tries ended. */
void launcher_close(struct launcher *l);

#endif
