/* status.c: the daemon's heartbeat and loop statistics (status.h).
 *
 * States of struct status: initialised at start-up (written_us 0, every
 * figure 0) --status_pass_done--> figures grow with each pass
 * --status_write (due: written_us 0 or a second old)--> the row holds them as
 * of now. A write that does not commit (the pass rolled back) is simply
 * written again by a later pass: the row holds totals, never increments, so
 * writing it twice is harmless. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/daemon.h"
#include "scheduler/slog.h"
#include "scheduler/status.h"

const int64_t STATUS_LOOP_BOUNDS_US[STATUS_LOOP_NBUCKETS] = {
	1000, 5000, 10000, 50000, 100000, 500000, 1000000, 5000000
};

void status_init(struct status *st, int64_t now_us)
{
	memset(st, 0, sizeof *st);
	st->started_us = now_us;
}

void status_pass_done(struct status *st, int64_t took_us)
{
	if (took_us < 0)
		took_us = 0;
	st->loops++;
	st->loop_us_sum += took_us;
	if (took_us > st->loop_us_max)
		st->loop_us_max = took_us;
	for (int i = 0; i < STATUS_LOOP_NBUCKETS; i++)
		if (took_us <= STATUS_LOOP_BOUNDS_US[i])
			st->buckets[i]++;
}

/* Task instances ready to run but not running yet: scheduled (waiting for a
 * slot) or queued (handed to the launcher, not started). Active runs of DAGs
 * that are not paused (a paused DAG's scheduled instance waits for no slot),
 * mapped instances too (not a mapped task's own entry: it has no try). */
static int64_t queue_depth(const struct daemon *d)
{
	int64_t n = 0;
	for (size_t i = 0; i < d->nruns; i++) {
		const struct run *r = d->runs[i];
		if (!r->tis || r->slot->paused || !r->slot->active)
			continue;
		for (size_t t = 0; t < r->ntis; t++)
			n += run_ti_has_tries(r, t) && (r->tis[t].state == TI_SCHEDULED || r->tis[t].state == TI_QUEUED);
	}
	return n;
}

int status_write(struct status *st, struct daemon *d, int64_t now_us)
{
	if (st->written_us && now_us - st->written_us < STATUS_INTERVAL_US)
		return 0;
	static const char sql[] =
		"UPDATE daemon_status SET pid=?1, host=?2, started_us=?3, heartbeat_us=?4, loops=?5,"
		" loop_us_sum=?6, loop_us_max=?7, loop_b0=?8, loop_b1=?9, loop_b2=?10, loop_b3=?11,"
		" loop_b4=?12, loop_b5=?13, loop_b6=?14, loop_b7=?15, queue_depth=?16, running_tries=?17"
		" WHERE id=1";
	sqlite3_stmt *q = store_cached(d->store, sql);
	if (!q) {
		/* A state file made before these columns (version 3 as first
		 * written): the passes go on, without a heartbeat; said once. */
		if (!st->warned)
			slog(SLOG_WARN, "status_write_failed", "error=%s action=%s", d->store->err,
			     "no heartbeat or loop statistics in the store");
		st->warned = true;
		return -1;
	}
	char host[256];
	if (gethostname(host, sizeof host) < 0)
		host[0] = '\0';
	host[sizeof host - 1] = '\0';
	sqlite3_bind_int(q, 1, (int)getpid());
	sqlite3_bind_text(q, 2, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(q, 3, st->started_us);
	sqlite3_bind_int64(q, 4, now_us);
	sqlite3_bind_int64(q, 5, st->loops);
	sqlite3_bind_int64(q, 6, st->loop_us_sum);
	sqlite3_bind_int64(q, 7, st->loop_us_max);
	for (int i = 0; i < STATUS_LOOP_NBUCKETS; i++)
		sqlite3_bind_int64(q, 8 + i, st->buckets[i]);
	sqlite3_bind_int64(q, 16, queue_depth(d));
	sqlite3_bind_int64(q, 17, d->nprocs);
	int rc = store_step(d->store, q, "daemon status");
	sqlite3_reset(q);
	if (rc < 0)
		return -1;
	st->written_us = now_us;
	return 0;
}
