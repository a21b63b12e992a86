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

#endif
