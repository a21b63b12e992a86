/* dag_params.h: a run's conf checked against the params its DAG file declares,
 * the one check behind schedctl's --param (trigger, backfill, test) and the
 * REST API's trigger conf: a typo fails when the run is asked for, naming the
 * nearest declared param, rather than as a surprise value in a command. */
#ifndef SCHED_DAG_PARAMS_H
#define SCHED_DAG_PARAMS_H

#include <stddef.h>

struct dag;

/* 0 if dag declares param key; else -1 with err "DAG d declares no param
 * 'k'; did you mean 'x'?" (or the params it has). */
int dag_params_check(const struct dag *dag, const char *key, char *err, size_t errlen);

/* The DAG file the daemon recorded (its declared params are not in the
 * store), loaded now; NULL with err "the DAG file F does not load now: ...". */
struct dag *dag_params_load(const char *file, char *err, size_t errlen);

#endif
