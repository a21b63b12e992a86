/* query_metrics.c: the reads behind /metrics (query_metrics.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/query.h"
#include "scheduler/query_metrics.h"

const int QUERY_TRY_BOUNDS_S[QUERY_TRY_NBUCKETS] = { 1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 21600 };

static int m_fail(struct store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: cannot read %s: %s", s->path, what, sqlite3_errmsg(s->db));
	if (st)
		sqlite3_reset(st);
	return Q_ERROR;
}

static char *m_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? xstrdup((const char *)t) : NULL;
}

/* Rows of (dag_id or NULL, state, n) from sql, with ?1 bound to kind when given. */
static int read_counts(struct store *s, const char *sql, const char *kind, struct query_metric_count **out,
		       size_t *n, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return m_fail(s, NULL, what, err, errlen);
	if (kind && sqlite3_bind_text(st, 1, kind, -1, SQLITE_STATIC) != SQLITE_OK)
		return m_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof **out);
		}
		struct query_metric_count *c = &(*out)[(*n)++];
		c->dag_id = m_text(st, 0);
		c->state = m_text(st, 1);
		c->n = sqlite3_column_int64(st, 2);
		if (!c->state)
			c->state = xstrdup("");
	}
	if (rc != SQLITE_DONE)
		return m_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

static int read_tries(struct store *s, struct query_metrics *m, char *err, size_t errlen)
{
	/* A mapped task's instances ("task[i]") count as their task: one series
	 * per task, however long its lists (docs/mapping.md). */
	static const char sql[] =
		"SELECT dag_id, CASE WHEN instr(task_id, '[') > 0 THEN substr(task_id, 1, instr(task_id, '[') - 1)"
		" ELSE task_id END AS task, sum(started), sum(retried), sum(failed), sum(duration_count),"
		" total(duration_sum), sum(d1), sum(d5), sum(d10), sum(d30), sum(d60), sum(d120), sum(d300),"
		" sum(d600), sum(d1800), sum(d3600), sum(d21600)"
		" FROM try_stats GROUP BY dag_id, task ORDER BY dag_id, task";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return m_fail(s, NULL, "try statistics", err, errlen);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (m->ntries == cap) {
			cap = cap ? cap * 2 : 16;
			m->tries = xrealloc(m->tries, cap * sizeof *m->tries);
		}
		struct query_metric_tries *t = &m->tries[m->ntries++];
		t->dag_id = m_text(st, 0);
		t->task_id = m_text(st, 1);
		t->started = sqlite3_column_int64(st, 2);
		t->retried = sqlite3_column_int64(st, 3);
		t->failed = sqlite3_column_int64(st, 4);
		t->duration_count = sqlite3_column_int64(st, 5);
		t->duration_sum = sqlite3_column_double(st, 6);
		for (int i = 0; i < QUERY_TRY_NBUCKETS; i++)
			t->buckets[i] = sqlite3_column_int64(st, 7 + i);
	}
	if (rc != SQLITE_DONE)
		return m_fail(s, st, "try statistics", err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

static int read_daemon(struct store *s, struct query_metric_daemon *d, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT heartbeat_us IS NOT NULL, pid, started_us, heartbeat_us, loops, loop_us_sum,"
		" loop_us_max, queue_depth, running_tries, stream_restarts, crash_loops,"
		" loop_b0, loop_b1, loop_b2, loop_b3, loop_b4, loop_b5, loop_b6, loop_b7"
		" FROM daemon_status WHERE id = 1";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return m_fail(s, NULL, "the daemon status", err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int64_t *v[] = { &d->pid, &d->started_us, &d->heartbeat_us, &d->loops, &d->loop_us_sum,
				 &d->loop_us_max, &d->queue_depth, &d->running_tries, &d->stream_restarts,
				 &d->crash_loops };
		d->beating = sqlite3_column_int(st, 0) != 0;
		for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
			*v[i] = sqlite3_column_int64(st, 1 + (int)i);
		for (int i = 0; i < STATUS_LOOP_NBUCKETS; i++)
			d->loop_buckets[i] = sqlite3_column_int64(st, 11 + i);
		rc = sqlite3_step(st);
	}
	if (rc != SQLITE_DONE)
		return m_fail(s, st, "the daemon status", err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

int query_metrics(struct store *s, struct query_metrics *out, char *err, size_t errlen)
{
	static const char counts[] =
		"SELECT dag_id, state, n FROM state_counts WHERE kind = ?1 ORDER BY dag_id, state";
	/* The outbox: its rows by state, but for 'delivered' (the history, which
	 * only grows). The states are found by skipping along the (state, ...)
	 * index, each counted on its range: no scan of the delivered rows. */
	static const char outbox[] =
		"WITH RECURSIVE st(s) AS (SELECT min(state) FROM notifications"
		" UNION ALL SELECT (SELECT min(state) FROM notifications WHERE state > st.s) FROM st"
		" WHERE st.s IS NOT NULL)"
		" SELECT NULL, s, (SELECT count(*) FROM notifications WHERE state = st.s) FROM st"
		" WHERE s IS NOT NULL AND s <> 'delivered'";
	memset(out, 0, sizeof *out);
	if (query_snapshot_begin(s, err, errlen) != Q_OK)
		return Q_ERROR;
	int rc = read_counts(s, counts, "run", &out->runs, &out->nruns, "run counts", err, errlen);
	if (rc == Q_OK)
		rc = read_counts(s, counts, "ti", &out->tis, &out->ntis, "task instance counts", err, errlen);
	if (rc == Q_OK)
		rc = read_counts(s, outbox, NULL, &out->notifications, &out->nnotifications,
				 "the notification outbox", err, errlen);
	if (rc == Q_OK)
		rc = read_tries(s, out, err, errlen);
	if (rc == Q_OK)
		rc = read_daemon(s, &out->daemon, err, errlen);
	char end_err[512];
	if (query_snapshot_end(s, end_err, sizeof end_err) != Q_OK && rc == Q_OK) {
		snprintf(err, errlen, "%s", end_err);
		rc = Q_ERROR;
	}
	if (rc != Q_OK)
		query_metrics_free(out);
	return rc;
}

static void counts_free(struct query_metric_count *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].dag_id);
		free(c[i].state);
	}
	free(c);
}

void query_metrics_free(struct query_metrics *m)
{
	counts_free(m->runs, m->nruns);
	counts_free(m->tis, m->ntis);
	counts_free(m->notifications, m->nnotifications);
	for (size_t i = 0; i < m->ntries; i++) {
		free(m->tries[i].dag_id);
		free(m->tries[i].task_id);
	}
	free(m->tries);
	memset(m, 0, sizeof *m);
}
