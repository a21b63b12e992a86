/* launcher.h: the process that starts and supervises the commands of tries
 * on schedulerd's behalf.
 *
 * The daemon forks it once at start-up, before it opens the state file or
 * loads a DAG, so it is small. Per try it creates the try's files (local.h),
 * spawns the command (fork and exec: one process creation per try, as
 * make has), copies the command's stdout into the log keeping the last line,
 * reaps it and reports its exit record. The daemon never forks, so it never
 * pays for copying its page tables nor for copy-on-write of its SQLite cache.
 *
 * The daemon talks to it over two socket pairs, never waiting on it:
 *   requests  (stream) tries to start, each with the daemon's token; acks
 *   events    (seqpacket) STARTED {token, pid, spawn time} or START_FAILED
 *             {token, err}
 *             per request, in order; EXITED {token, pid, wait status, exit
 *             record} per try that ended. The try's log stays locked until
 *             the daemon acks the EXITED (its outcome is committed).
 * When the daemon dies (kill -9) or closes its end, the launcher takes no more
 * requests and writes what a new daemon needs into .sup files (local.h): the
 * pid of each live try, the record of each ended one not acknowledged; it goes
 * on supervising its live tries, appends their records as they end, and exits
 * after the last. A new daemon adopts them by their locks. If the launcher
 * itself dies, the commands live on holding their lock (fd 3): they are
 * adopted, and when they end without an exit record the try counts as failed
 * and is retried by its policy; never a second live try beside them. */
#ifndef EXEC_LAUNCHER_H
#define EXEC_LAUNCHER_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "executors/local.h"

struct launcher;

/* Forks the launcher now (call while the process is small). close_fd: -1 or a
 * descriptor the launcher must close at once (e.g. a lock it must not hold).
 * NULL with err on failure. */
struct launcher *launcher_start(int close_fd, char *err, size_t errlen);

enum launcher_event_kind { LAUNCHER_STARTED = 1, LAUNCHER_START_FAILED, LAUNCHER_EXITED };

struct launcher_event {
	int kind;		/* enum launcher_event_kind */
	pid_t pid;		/* STARTED, EXITED: the command (= its process group) */
	int status;		/* EXITED: its wait status */
	uint64_t token;		/* every kind: launcher_submit's */
	const char *err;	/* START_FAILED: why */
	struct exec_status record;	/* EXITED: the exit record; its last_line
					 * (and err) live until the next call.
					 * STARTED: record.started_us, when spawned */
};

/* Queues a try to start; its STARTED or START_FAILED event carries token.
 * 0, or -1 when the launcher is gone (then launcher_close and start a new one;
 * tries it may have started are found by their locks). */
int launcher_submit(struct launcher *l, uint64_t token, const struct exec_request *r);

/* Tells the launcher that the outcome of the try of token (an EXITED) is
 * committed: it lets go of the try's lock. 0, or -1 when it is gone. */
int launcher_ack(struct launcher *l, uint64_t token);

/* Readable when events wait. */
int launcher_event_fd(const struct launcher *l);

/* The next event: 1, 0 when none waits, -1 when the launcher is gone. Never
 * blocks. */
int launcher_next_event(struct launcher *l, struct launcher_event *ev);

pid_t launcher_pid(const struct launcher *l);

/* Closes the sockets: the launcher exits once its tries ended. */
void launcher_close(struct launcher *l);

#endif
