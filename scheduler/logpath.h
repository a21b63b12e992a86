/* logpath.h: where a try's files live under --logs.
 *
 * Invariant: a try's base path is <logs>/<dag id>/<logical date>/<task id>/try-<N>
 * (the executor adds .log, .status, ...), built only through
 * path_join_under (lib/path.h), so it names a file under --logs whatever
 * the ids and the date hold: an id that is not one path component ("..",
 * "a/b", control bytes, longer than PATH_NAME_MAX) gets no path at all. The
 * DAG loader refuses such ids already; this is the guard that does not
 * depend on it. The try's log file is also its lock (executors/local.h), so
 * two tries share a lock only when they share a path. */
#ifndef SCHED_LOGPATH_H
#define SCHED_LOGPATH_H

#include <stddef.h>

/* Writes the base path of a try into buf. Returns 0, or -1 with errno
 * EINVAL (a name is not one path component) or ENAMETOOLONG (it does not fit
 * len bytes), buf holding "". */
int logpath_try_base(char *buf, size_t len, const char *logs_dir, const char *dag_id, const char *date,
		     const char *task_id, int try_number);

/* Removes a deleted run's try files: <base>.log and the executor's <base>.sup
 * (log_path is <base>.log), then the try's task and date directories once
 * empty (schedctl delete, DELETE .../dagRuns/{id}). Returns 0, or -1 with
 * err naming the file that stayed. */
int logpath_remove_try(const char *log_path, char *err, size_t errlen);

#endif
