/* store_cli.h: state transitions only schedctl makes (backfills), kept beside
 * store.c's shared ones so every write to the state file stays in
 * scheduler/, one transaction each with its event. */
#ifndef SCHED_STORE_CLI_H
#define SCHED_STORE_CLI_H

#include "scheduler/store.h"

/* Inserts a backfills row; returns its id or -1 (s->err). */
int64_t store_create_backfill(struct store *s, const char *dag_id, time_t from_date,
			      time_t to_date, int max_active, bool reverse, const char *cause);

/* Makes an existing run part of a backfill (so the daemon counts it against
 * backfills.max_active) and sets its sort_key. Returns 0 or -1. */
int store_attach_run(struct store *s, int64_t run, int64_t backfill_id, int64_t sort_key);

/* Re-pins a run to its DAG's current version (runs.version = dags.version:
 * schedctl clear --latest-version), with an event naming both versions and
 * actor (the user who asked). *from and *to: the versions (0: none). Returns
 * 1 re-pinned, 0 nothing to do (already current, or no version stored yet),
 * -1 on error (s->err). One transaction; nests in the caller's, so a clear
 * and its re-pin commit together. */
int store_run_repin(struct store *s, int64_t run, const char *actor, int64_t *from, int64_t *to);

/* ---- pools (docs/pools.md): schedctl pools set / delete, one transaction
 * each with an event (new_state pool_set / pool_deleted, no DAG). */
/* Creates or resizes pool name; description NULL keeps the one it had.
 * 0 or -1 (s->err). */
int store_pool_set(struct store *s, const char *name, int slots, const char *description, const char *actor);
/* 1 deleted, 0 no such pool (s->err says so), -1 error (s->err). Tasks that
 * name it wait until it exists again. */
int store_pool_delete(struct store *s, const char *name, const char *actor);

#endif

/* ---- run operations a person asks for (schedctl stop, mark, delete) ----
 * actor: the login name of who asked, written to events.actor of every
 * transition; cause: the events' and the run's cause ("stopped by alice").
 * A live try (queued, running, restarting) cannot be ended by schedctl: a
 * "stop" request in the same transaction has the daemon terminate it with
 * the kill grace; the task instance already holds its final state, and the
 * try's own row ends as the process does ("stopped on request"). */

/* stop: the run ends failed with runs.cause = cause. Task instances that were
 * live become failed (their tries are stopped), every other unfinished one
 * (none, scheduled, up_for_retry, crash_loop, or never instantiated among
 * task_ids) becomes skipped, so nothing else starts. Refuses a run that has
 * already ended. *nstopped gets the live tries asked to stop. */
int store_stop_run(struct store *s, int64_t run, const char *const *task_ids, size_t ntasks,
		   const char *cause, const char *actor, size_t *nstopped);

/* backfill --cancel: every queued run of backfill backfill_id (of dag_id)
 * is stopped as above (nothing had started: its tasks are skipped) in one
 * transaction with an event "backfill N cancelled"; running ones are left to
 * finish and counted in *nrunning (Airflow's cancel). */
int store_cancel_backfill(struct store *s, const char *dag_id, int64_t backfill_id,
			  const char *const *task_ids, size_t ntasks, const char *cause, const char *actor,
			  size_t *ncancelled, size_t *nrunning);

/* mark: the tasks in `marked` get state (success or failed) without running
 * anything; a live try of one of them is stopped. With state success, the
 * tasks in `reset` (downstream of the marked ones) that were upstream_failed
 * go back to none, so the trigger rules decide them again. The run then ends
 * (success, or failed when a task failed) if every one of all_ids has
 * finished; otherwise a finished run goes back to queued and the daemon goes
 * on from there. *nstopped as above. */
int store_mark_tasks(struct store *s, int64_t run, const char *state, const char *const *marked,
		     size_t nmarked, const char *const *reset, size_t nreset,
		     const char *const *all_ids, size_t nall, const char *cause, const char *actor,
		     size_t *nstopped);

/* delete: removes a finished run, its task instances, tries, events and
 * requests in one transaction, with one event (run NULL) saying who deleted
 * which run. Refuses a queued or running run, and one whose stopped try has
 * not ended yet. *logs gets the log paths (<base>.log) of its tries, for the
 * caller to remove after the commit (free with store_paths_free). */
struct store_paths {
	char **v;
	size_t n;
};
int store_delete_run(struct store *s, int64_t run, const char *cause, const char *actor,
		     struct store_paths *logs);
void store_paths_free(struct store_paths *p);
