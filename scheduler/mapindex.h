/* mapindex.h: the names of mapped task instances (expand:, issue 21).
 *
 * A mapped task `load_part` expands into instances whose task ids in the
 * store are `load_part[0]`, `load_part[1]`, ... Task ids themselves hold
 * letters, digits, '_', '.', '-' only, so `NAME[N]` is unambiguous. This is
 * THE one parser and formatter of such names: the core (runner, recovery),
 * the read paths (query.c), schedctl and the web server all use it.
 *
 * Invariant: a name is an instance name iff it is NAME '[' N ']' with NAME a
 * non-empty task id (the characters above) and N a canonical decimal int
 * (no sign, no leading zero but "0" itself, at most MAP_INDEX_MAX), so
 * parse(format(task, i)) gives back task and i, and every instance has
 * exactly one name. map_index of every other row is -1. */
#ifndef SCHED_MAPINDEX_H
#define SCHED_MAPINDEX_H

#include <stddef.h>

/* The largest index a name may carry (max_length is at most 100000; the
 * bound keeps the number far from int overflow whatever a state file holds). */
#define MAP_INDEX_MAX 999999999

/* Returns 1 when name is an instance name, with *task_len = the length of
 * its task id and *index = N; 0 otherwise, with *task_len = strlen(name)
 * (0 for NULL) and *index = -1. Either pointer may be NULL. */
int map_name_parse(const char *name, size_t *task_len, int *index);

/* Writes "TASK[INDEX]" into buf. Returns 0, or -1 with errno EINVAL (index
 * out of 0..MAP_INDEX_MAX, or task NULL/empty) or ENAMETOOLONG (does not fit
 * len bytes), buf holding "" when len > 0. */
int map_name_format(char *buf, size_t len, const char *task, int index);

/* The map_index of a task_id column: N for an instance name, else -1. */
int map_name_index(const char *name);

/* Orders two task ids as the views list them when they belong to the same
 * DAG position: a task first, then its instances by index (x[2] before
 * x[10]); names of different tasks compare as their task ids (strcmp). */
int map_name_compare(const char *a, const char *b);

#endif
