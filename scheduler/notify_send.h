/* notify_send.h: the sender of the alerts outbox (table notifications,
 * store.h): delivers each row at least once, never blocking the loop.
 *
 * Why a worker process (this executable again, `schedulerd --notify-worker
 * STATE`, as the --retain worker is, retain.h): a delivery waits on the
 * network or on a command for up to its timeout, and the loop must stay
 * free to record exits and start tries. The worker has its own store
 * connection; it holds the write lock only for one row's transition at a
 * time (a short UPDATE), never while it delivers. It notices new rows
 * through PRAGMA data_version (any other connection's commit: the daemon's
 * pass that enqueued, or a schedctl), checked when the WAL is written
 * (inotify; every NOTIFY_POLL_US without it), and wakes at the earliest
 * next_attempt_us (the indexed notifications_due), so a row enqueued by a
 * commit is picked at once, idle costing nothing.
 *
 * Invariants: at most one worker per state file (it holds <state>.notify.lock;
 * a second one, e.g. spawned by a daemon restarted while the old worker
 * ends, waits for it); the worker ends with its daemon (PR_SET_PDEATHSIG,
 * and a daemon that stops sends SIGTERM); the daemon starts it once the
 * store is open and starts it again (at most every NOTIFY_RESPAWN_US) when
 * it died. The row state machine is at the top of notify_send.c. */
#ifndef SCHED_NOTIFY_SEND_H
#define SCHED_NOTIFY_SEND_H

#include <stdint.h>
#include <sys/types.h>

#include "scheduler/notify_channel.h"

struct daemon;
struct store;

#define NOTIFY_POLL_US 20000LL
#define NOTIFY_RESPAWN_US 5000000LL

/* The retry policy: the delay after failed attempt n (1-based) is
 * NOTIFY_FIRST_RETRY_US * 2^(n-1), capped at NOTIFY_MAX_RETRY_US, times a
 * jitter in [0.8, 1.2); a row still failing NOTIFY_GIVE_UP_US after it was
 * created (the channel's "give_up_after" duration when set) is given up. */
#define NOTIFY_FIRST_RETRY_US 1000000LL
#define NOTIFY_MAX_RETRY_US (5 * 60 * 1000000LL)
#define NOTIFY_GIVE_UP_US (24 * 3600 * 1000000LL)

/* The delay after failed attempt `attempts` (>= 1), jitter in [0, 1). */
int64_t notify_retry_delay_us(int attempts, double jitter);

/* One pass of the sender: delivers every row due at now (in batches),
 * records each outcome. Returns the earliest next_attempt_us of a pending
 * row after it (0: none), or -1 on a store error (s->err). */
int64_t notify_send_pass(struct store *s, int64_t now);

/* The daemon's side (daemon.c): started / restarted after each pass,
 * told of a reaped child, stopped at shutdown. */
void notify_send_tick(struct daemon *d, int64_t now);
void notify_send_child_gone(struct daemon *d, pid_t pid);
void notify_send_stop(struct daemon *d);

/* main of `schedulerd --notify-worker STATE`. */
int notify_send_worker_main(int argc, char **argv);

/* notify_command.c: kills the process group of a command being run
 * (async-signal-safe: the worker's SIGTERM handler). */
void notify_command_kill_running(void);

#endif
