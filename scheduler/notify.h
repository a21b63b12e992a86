/* notify.h: what to notify, written durably (docs/alerts.md).
 *
 * The enqueue half of the alerts: the transition functions of the daemon
 * (runner.c, daemon.c) call notify_enqueue inside the pass's transaction for
 * the state change they just wrote; it writes one outbox row (table
 * notifications) per channel of the DAG (and of the task, for task events)
 * that listens to the event, so the row commits or rolls back with the state
 * change. Delivery is the sender's (scheduler/notify_send*.c). */
#ifndef SCHED_NOTIFY_H
#define SCHED_NOTIFY_H

#include <stdint.h>
#include <time.h>

#include "scheduler/dag.h"
#include "scheduler/store.h"

/* The payload's fields, in the order they are written: also the names a
 * channel's templates may use ({{ dag_id }}, {{ cause }}, ...), with
 * env.NAME. */
#define NOTIFY_NFIELDS 15
extern const char *const notify_fields[NOTIFY_NFIELDS];

/* What happened. task NULL for run events; run <= 0 and run_id NULL for
 * schedule_missed. Times in µs since the epoch, <= 0 when unknown. */
struct notify_what {
	const char *event;		/* "task_failed", ..., "deadline_recovered" */
	enum notify_event listens;	/* the event channels subscribe to (deadline_recovered:
					 * NOTIFY_DEADLINE_MISSED) */
	const struct dag *dag;
	const struct dag_task *task;
	const char *ti_name;	/* a mapped instance's "task[i]" (its task_id, its key's);
				 * NULL: task->id */
	int map_index;		/* its index; ignored without ti_name */
	int64_t run;
	const char *run_id;
	time_t logical_date;
	int try_number;		/* task events; for run events the key's round: how many times
				 * the run ended before this end (0, then 1 after a clear...) */
	const char *state, *cause;
	int64_t start_us, end_us;
	const char *log_path;	/* the try's log, for log_tail; NULL: none */
	int64_t deadline_us;	/* deadline events */
	const char *web_url;	/* schedulerd --web-url, or NULL */
};

/* Writes the rows of every channel listening to w->listens (INSERT OR IGNORE
 * on the key: the same state change never enqueues twice). Inside the
 * caller's transaction; 0, or -1 (the transaction is doomed). */
int notify_enqueue(struct store *s, const struct notify_what *w, int64_t now_us);

/* The last lines of a log file: at most 20 lines and 4 KiB, malloc'd; NULL
 * when it cannot be read. */
char *notify_log_tail(const char *path);

#endif
