/* dagmeta.h: a DAG as the daemon recorded it (struct query_dag, read through
 * scheduler/query.h), and what clear and mark compute over its tasks; shared
 * by schedctl and schedweb. */
#ifndef SCHED_DAGMETA_H
#define SCHED_DAGMETA_H

#include <stdbool.h>
#include <stddef.h>

#include "scheduler/query.h"

/* Loads one DAG's record. Returns Q_OK; Q_NOTFOUND with err naming the
 * nearest DAG or the existing ones; Q_ERROR with err naming the state file. */
int meta_load(struct store *s, const char *dag_id, struct query_dag *out, char *err, size_t errlen);
/* d's tasks become those of the version run r is pinned to (a run made
 * before versions, or already of d's version: unchanged). */
int meta_pin_run(struct store *s, struct query_dag *d, const struct query_run *r, char *err, size_t errlen);
/* Names a task that does not exist: "no task 'x' in DAG d; did you mean 'y'?" */
void meta_unknown_task(const struct query_dag *d, const char *task_id, char *err, size_t errlen);
/* Extends sel (ntasks booleans) with every task downstream and/or upstream of
 * a selected one (transitively, each direction from the original selection). */
void meta_closure(const struct query_dag *d, bool *sel, bool downstream, bool upstream);

#endif
