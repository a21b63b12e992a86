/* store_dataset.h: the statements of data-aware scheduling (docs/datasets.md)
 * and of what a task reads of others: results between tasks, cross-DAG
 * sensors;
 * beside store_daemon.h's and written the same way: cached statements, bound
 * values, every step checked; writes join the caller's transaction.
 *
 * Tables (store.h, schema version 3, "dataset events" section):
 *   dataset_events     one row per success of a task with that outlet
 *   dataset_consumers  per DAG scheduled on datasets, the last event id its
 *                      last dataset-triggered run consumed (its watermark)
 *   dataset_runs       per dataset-triggered run, the event ids it consumed:
 *                      (after_event, upto_event] of its DAG's URIs
 *
 * The rule (Airflow's): a DAG scheduled on URIs U1..Un is due when, for every
 * Ui, an event of Ui has an id above its watermark. Creating its run moves the
 * watermark to the newest event id, so each event triggers a consumer at most
 * once, and several events of one URI before the others came are consumed by
 * the same run. A consumer seen for the first time starts at the newest event:
 * history from before it existed does not trigger it. Event ids only grow
 * (AUTOINCREMENT), even after old events are deleted. */
#ifndef SCHED_STORE_DATASET_H
#define SCHED_STORE_DATASET_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "scheduler/store.h"

/* Records one dataset event; extra is the task's JSON result (kept if it
 * is a JSON object, else NULL). */
int store_dataset_event(struct store *s, const char *uri, const char *dag_id, int64_t run, const char *task_id,
			int64_t at_us, const char *extra);

/* Whether dag_id, waiting for uris[0..n), is due: 1 with *after (its
 * watermark) and *upto (the newest event id), 0 when not (a consumer seen for
 * the first time gets its watermark, in the caller's transaction), -1. */
int store_dataset_due(struct store *s, const char *dag_id, char *const *uris, size_t n, int64_t *after,
		      int64_t *upto);

/* A paused consumer is registered too (at the newest event, if new), so the
 * events that come while it is paused make a run once it is unpaused. */
int store_dataset_register(struct store *s, const char *dag_id);

/* The data interval of a run triggered by the events (after, upto] of uris:
 * the newest logical date and interval end of the runs that produced them
 * (*logical_date 0 when none of those runs is left). 0 or -1. */
int store_dataset_interval(struct store *s, char *const *uris, size_t n, int64_t after, int64_t upto,
			   time_t *logical_date, time_t *interval_end);

/* Run run of dag_id consumed the events (after, upto]: the watermark moves
 * to upto. */
int store_dataset_consume(struct store *s, const char *dag_id, int64_t run, int64_t after, int64_t upto);

/* The events that triggered run, as the JSON object
 * {"URI": [{"id":..,"dag_id":..,"run_id":..,"task_id":..,"at":"ISO","extra":{..}|null}, ...], ...}
 * of its DAG's uris (oldest first), "{}" for a run not triggered by datasets.
 * 1 with *json (malloc'd), -1. */
int store_dataset_triggering(struct store *s, int64_t run, char *const *uris, size_t n, char **json);

/* A run is deleted (schedctl delete, db clean, --retain): the dataset
 * events it produced and the record of those it consumed go with it, in the
 * caller's transaction. A consumer that had not consumed those events yet
 * never will. */
int store_dataset_forget_run(struct store *s, int64_t run);

/* Results between tasks ({{ ti.TASK.result... }}, docs/dag-format.md): the
 * stored JSON result of task_id in run (task_instances.result, its last
 * try's), malloc'd into *json: 1, 0 when it has none, -1. */
int store_ti_result(struct store *s, int64_t run, const char *task_id, char **json);
/* Of a mapped task expanded into n instances: a JSON array of its instances'
 * results in map order (null for one without), malloc'd into *json: 1, or -1. */
int store_ti_map_results(struct store *s, int64_t run, const char *task_id, size_t n, char **json);

/* Cross-DAG sensors (wait_for: {dag: ...}): the state of dag_id's run of
 * logical_date, or of its task instance task_id (NULL: the run), copied
 * into state: 1, 0 when there is no such run or task instance, -1. */
int store_external_state(struct store *s, const char *dag_id, time_t logical_date, const char *task_id,
			 char *state, size_t len);

#endif
