/* mapped.h: the in-memory side of dynamic task mapping (expand:,
 * docs/mapping.md): a mapped task's instances in a run's view, their counts
 * and what they decide. No I/O: runner.c renders lists, writes the store and
 * changes states; this file keeps the view true and answers from it.
 *
 * A run's view (struct run, daemon.h): r->tis holds its DAG's tasks at
 * indexes 0 .. ntasks-1 (entry i is task i's), then the instances of its
 * mapped tasks, appended as they are expanded or read back from the store.
 * Invariants, for the entry m of a mapped task (map_index -1):
 *   I1  m->map[i] (i < m->nmap) is the index in r->tis of the instance whose
 *       map_index is i, whose task is m's and whose name is "task[i]";
 *   I2  m->map_done[s] is the number of its instances in state s: every
 *       change of an instance's state goes through run_ti_state (daemon.h),
 *       which moves one count;
 *   I3  an instance outside every map has map_index MAP_DROPPED; it keeps
 *       its entry (indexes held by procs and the ready list stay valid, as
 *       r->tis only grows) but nothing evaluates, ticks or records it;
 *   I4  m->nmap > 0 only while the store has rows "task[0..nmap-1]" (the
 *       runner writes them in the pass that installs the map).
 * Why a downstream rule over the set is right: with I2 the counts of
 * finished states are the set's, so mapped_count_upstream adds exactly what
 * counting each instance as an upstream would, in O(1). */
#ifndef SCHED_MAPPED_H
#define SCHED_MAPPED_H

#include <jansson.h>
#include <stddef.h>

#include "scheduler/daemon.h"
#include "scheduler/trigger_rule.h"

/* A new zeroed entry at the end of r->tis, which may move (hold indexes, not
 * pointers, across it); its index. */
size_t mapped_append(struct run *r);

/* Instance i of the mapped task at idx, new: named name, none (counted), its
 * tries numbered after last_try with retries + 1 to go. Its index. */
size_t mapped_new_instance(struct run *r, size_t idx, int i, const char *name, int last_try, int retries);

/* The rendered text of a list: a JSON array of at most max elements (owned
 * by the caller), or NULL with cause ("expand.over: ..."). */
json_t *mapped_list_check(const char *text, int max, char *cause, size_t len);

/* Makes map (n indexes of instances 0..n-1, taken) and items (taken) the
 * view of the mapped task at idx: instances of the old map past n dropped
 * (I3), counts recomputed (I2). */
void mapped_install(struct run *r, size_t idx, size_t *map, size_t n, json_t *items);

/* The mapped task at idx has no instances any more (I3); its list goes. */
void mapped_drop(struct run *r, size_t idx);

/* Adds the upstream at u to c: an expanded mapped task as the set of its
 * instances, any other task as itself. */
void mapped_count_upstream(const struct run *r, size_t u, struct upstream_counts *c);

/* The state the mapped task m settles to once all its instances have
 * finished (cause says why): failed if any failed or was upstream_failed,
 * skipped if all were skipped, else success; TI_RUNNING while one has not
 * finished. */
enum ti_state mapped_settled(const struct ti *m, char *cause, size_t len);

/* After the rows of a run were read back (instances appended in any order):
 * each mapped task's map by index, and its counts. Instances past a gap in
 * the indexes (none expected: an expansion writes 0..n-1) are dropped. */
void mapped_link(struct run *r);

/* The index in r->tis of a task instance by its name in the store (a task
 * id, or "task[i]" of an instance in its task's map), or -1. */
long mapped_ti_index(const struct run *r, const char *name);

#endif
