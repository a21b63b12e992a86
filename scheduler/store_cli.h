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

#endif
