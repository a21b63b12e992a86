/* query_metrics.h: the figures behind schedweb's /metrics, read from the
 * store in one snapshot (the contract of query.h: Q_OK or Q_ERROR with err,
 * whole or nothing, the caller frees with query_metrics_free).
 *
 * Every figure comes from rows whose number is bounded by the DAGs' shapes,
 * not by the history: state_counts and try_stats are kept by the schema's
 * triggers (store.c, daemon-status section), daemon_status is one row, and
 * the notification outbox is counted on its (state, next_attempt_us) index.
 * So a scrape costs the same with 10 runs or 10 million. */
#ifndef SCHED_QUERY_METRICS_H
#define SCHED_QUERY_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scheduler/status.h"
#include "scheduler/store.h"

/* try_stats' duration buckets, in seconds (the columns d<bound>). */
#define QUERY_TRY_NBUCKETS 11
extern const int QUERY_TRY_BOUNDS_S[QUERY_TRY_NBUCKETS];

struct query_metric_count {
	char *dag_id;		/* NULL for the notifications' counts */
	char *state;
	int64_t n;
};

struct query_metric_tries {
	char *dag_id, *task_id;
	int64_t started, retried, failed;
	int64_t duration_count;
	double duration_sum;	/* seconds */
	int64_t buckets[QUERY_TRY_NBUCKETS];	/* cumulative */
};

struct query_metric_daemon {
	bool beating;		/* a daemon ever wrote its heartbeat */
	int64_t pid, started_us, heartbeat_us;
	int64_t loops, loop_us_sum, loop_us_max;
	int64_t loop_buckets[STATUS_LOOP_NBUCKETS];	/* cumulative */
	int64_t queue_depth, running_tries;
	int64_t stream_restarts, crash_loops;	/* over the store's life */
};

struct query_metrics {
	struct query_metric_count *runs, *tis, *notifications;
	size_t nruns, ntis, nnotifications;
	struct query_metric_tries *tries;
	size_t ntries;
	struct query_metric_daemon daemon;
};

/* Reads every figure in one snapshot (s must not be inside a transaction). */
int query_metrics(struct store *s, struct query_metrics *out, char *err, size_t errlen);
void query_metrics_free(struct query_metrics *m);

#endif
