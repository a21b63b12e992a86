/* status.h: the daemon's heartbeat and loop statistics, written to the
 * store's daemon_status row (one row, id 1) for schedweb's health endpoint
 * and its /metrics.
 *
 * The loop (daemon.c) owns a struct status. status_pass_done records how long
 * each pass took, in memory; status_write, called inside a pass's
 * transaction, writes the heartbeat and the figures so far at most once a
 * second (the first pass after start-up always), so the heartbeat costs no
 * commit of its own and a daemon whose passes stall (a store held by another
 * writer, a hung loop) stops beating. Nothing is written outside a pass.
 *
 * Row's columns (store.h): pid, host, started_us (this daemon process),
 * heartbeat_us (the pass that wrote it), loops, loop_us_sum, loop_us_max,
 * loop_b<i> (passes of at most STATUS_LOOP_BOUNDS_US[i], cumulative) since
 * this process started, queue_depth (task instances scheduled or queued,
 * waiting for a slot or for their process to start) and running_tries
 * (processes holding a slot) at the heartbeat. stream_restarts and
 * crash_loops are kept by the schema's triggers, not here.
 */
#ifndef SCHED_STATUS_H
#define SCHED_STATUS_H

#include <stdbool.h>
#include <stdint.h>

struct daemon;

#define STATUS_LOOP_NBUCKETS 8
/* The upper bounds of the loop-duration buckets, in microseconds. */
extern const int64_t STATUS_LOOP_BOUNDS_US[STATUS_LOOP_NBUCKETS];

/* How often at most the heartbeat is written. */
#define STATUS_INTERVAL_US 1000000

struct status {
	int64_t started_us;
	int64_t written_us;	/* last status_write (0: none yet) */
	int64_t loops;
	int64_t loop_us_sum, loop_us_max;
	int64_t buckets[STATUS_LOOP_NBUCKETS];	/* cumulative */
	bool warned;		/* the row could not be written: logged once */
};

void status_init(struct status *st, int64_t now_us);
/* A pass ended after took_us. */
void status_pass_done(struct status *st, int64_t took_us);
/* Inside the open pass: writes the row if a second has gone by since the last
 * write. Returns 0 (written or not due), or -1 with d->store->err (the pass's
 * transaction is then doomed, as for any failed statement). */
int status_write(struct status *st, struct daemon *d, int64_t now_us);

#endif
