/* retain.h: schedulerd --retain DAYS: history older than DAYS is removed
 * once a day, by the same store_clean as `schedctl db clean`.
 *
 * Why a child process (this executable again, `schedulerd --retain-worker
 * STATE DAYS`, as the DAG parse worker is) and not a phase of the loop: a
 * clean of a long history takes seconds to minutes of SQLite work, and the
 * loop must stay free to record exits and start tries (its exit-to-start
 * latency is what tasks see). In the child, the loop is never blocked by
 * the clean itself: only the write lock is shared, and store_clean holds it
 * for one short batch at a time (STORE_CLEAN_TARGET_US, pausing between
 * batches), so a pass of the daemon waits at most one batch. A fork without
 * exec would not do: the daemon has threads (the checkpointer) and SQLite's
 * and malloc's locks could be held in the copy. The child has its own
 * connection and none of the daemon's descriptors (posix_spawn with
 * close-on-exec everywhere), so a daemon killed meanwhile leaves no lock
 * behind; a worker killed mid-batch loses that batch's transaction only
 * (and, between a commit and its unlinks, at worst some log files of
 * deleted runs stay on disk).
 *
 * Invariants: at most one worker at a time (d->retain_pid); the first clean
 * starts once the daemon is up, the next one a day after the previous
 * started; the worker logs its own outcome (event=retain_done or
 * retain_failed); the daemon stops it (SIGTERM) when it stops. */
#ifndef SCHED_RETAIN_H
#define SCHED_RETAIN_H

#include <stdint.h>
#include <sys/types.h>

struct daemon;

#define RETAIN_EVERY_US (24LL * 3600 * 1000000)

/* Called by the loop after every pass: starts a worker when one is due. */
void retain_tick(struct daemon *d, int64_t now);
/* The daemon reaped child pid: if it was the worker, there is none now. */
void retain_child_gone(struct daemon *d, pid_t pid);
/* At shutdown: stops a running worker and waits for it. */
void retain_stop(struct daemon *d);

/* main of `schedulerd --retain-worker STATE DAYS`. */
int retain_worker_main(int argc, char **argv);

#endif
