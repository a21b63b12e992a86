/* store_clean.h: history retention: deleting finished runs that ended before
 * a time, with everything that belongs to them (task instances, tries,
 * events, their tries' log files) and the DAG versions no run nor DAG uses
 * any more. schedctl db clean and schedulerd --retain call the same
 * store_clean.
 *
 * Invariants:
 *   - Only runs in state success or failed with ended_us < before_us are
 *     touched; the run set of each batch is chosen inside that batch's
 *     transaction, so a run cleared (queued again) meanwhile is never
 *     deleted. Active runs (queued, running) never are.
 *   - Work is done in batches, each one BEGIN IMMEDIATE ... COMMIT holding
 *     the write lock for about STORE_CLEAN_TARGET_US; the batch size adapts
 *     to the measured time of the last batch (from BEGIN's success to
 *     COMMIT's), so no batch should hold the lock beyond
 *     STORE_CLEAN_MAX_LOCK_US even on a slow disk; between batches it
 *     pauses as long as the batch held the lock, so other writers (the
 *     daemon's passes) get it: at most half the lock's time is the clean's.
 *   - Log files are unlinked only after their batch committed: a failed
 *     batch rolls back whole and loses no log whose run is still recorded.
 *     A log that cannot be removed is counted in log_errors, not fatal.
 *   - One event (dag_id NULL unless --dag, new_state "clean", the actor)
 *     records each clean that removed something. */
#ifndef SCHED_STORE_CLEAN_H
#define SCHED_STORE_CLEAN_H

#include <stdbool.h>
#include <stdint.h>

#include "scheduler/store.h"

#define STORE_CLEAN_TARGET_US 10000	/* aim of one batch's lock hold */
#define STORE_CLEAN_MAX_LOCK_US 100000	/* the promise: never longer than this */

struct store_clean_counts {
	int64_t runs, task_instances, tries, events, versions, log_files;
	int64_t log_errors;	/* log files that existed but could not be removed */
	int64_t batches;
	int64_t longest_lock_us;	/* longest write-lock hold of one batch */
	int64_t elapsed_us;
};

struct store_clean_opts {
	int64_t before_us;	/* runs that ended strictly before this */
	const char *dag_id;	/* NULL: every DAG */
	const char *actor;	/* who asked (recorded in the event); NULL: the daemon */
	const char *cause;	/* "schedctl db clean", "retain 30 days" */
	/* Optional: called after every batch with the counts so far and the
	 * number of runs there were to delete when it started. */
	void (*progress)(void *arg, const struct store_clean_counts *c, int64_t total_runs);
	void *progress_arg;
	/* Optional: between batches, return true to stop early (a daemon
	 * shutting down). */
	bool (*should_stop)(void *arg);
	/* Pause between batches, in microseconds: at least as long as the
	 * last batch held the lock, and at least this, so a writer waiting
	 * for the lock gets it. */
	int64_t pause_us;
};

/* What store_clean would remove, without changing anything (--dry-run);
 * log_files counts the files that exist. 0 or -1 (s->err). */
int store_clean_count(struct store *s, const struct store_clean_opts *o, struct store_clean_counts *out);

/* Removes it, in batches (see the invariants). 0, or -1 (s->err): what
 * committed before the failure stays removed and is in *out. */
int store_clean(struct store *s, const struct store_clean_opts *o, struct store_clean_counts *out);

#endif
