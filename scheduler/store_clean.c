/* store_clean.c: history retention (see store_clean.h for the invariants). */
#include "scheduler/store_clean.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lib/xalloc.h"
#include "scheduler/store_dataset.h"

/* The runs a clean removes: ?1 before_us, ?2 dag_id or NULL. The unary +
 * keeps the planner off runs_by_state: the oldest first come from
 * runs_by_end, not from sorting every finished run for each batch. */
#define CLEAN_RUNS_WHERE                                                                          \
	" ended_us < ?1 AND +state IN ('success','failed') AND (?2 IS NULL OR +dag_id = ?2)"

#define CLEAN_BATCH_MIN 1
#define CLEAN_BATCH_MAX 5000
#define CLEAN_BATCH_FIRST 50

static int64_t mono_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void bind_where(sqlite3_stmt *st, const struct store_clean_opts *o)
{
	sqlite3_bind_int64(st, 1, o->before_us);
	if (o->dag_id)
		sqlite3_bind_text(st, 2, o->dag_id, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, 2);
}

/* One count(*) with the run set bound; -1 on error. */
static int64_t count_of(struct store *s, const char *sql, const struct store_clean_opts *o,
			const char *what)
{
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	bind_where(st, o);
	int rc = store_step(s, st, what);
	int64_t n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	sqlite3_reset(st);
	return n;
}

static const char count_runs_sql[] = "SELECT count(*) FROM runs WHERE" CLEAN_RUNS_WHERE;

int store_clean_count(struct store *s, const struct store_clean_opts *o, struct store_clean_counts *out)
{
	memset(out, 0, sizeof *out);
	int64_t t0 = mono_us();
	static const char tis_sql[] = "SELECT count(*) FROM task_instances WHERE run IN"
				      " (SELECT id FROM runs WHERE" CLEAN_RUNS_WHERE ")";
	static const char tries_sql[] = "SELECT count(*) FROM tries WHERE run IN"
					" (SELECT id FROM runs WHERE" CLEAN_RUNS_WHERE ")";
	static const char events_sql[] = "SELECT count(*) FROM events WHERE run IN"
					 " (SELECT id FROM runs WHERE" CLEAN_RUNS_WHERE ")";
	/* Versions used by no run that stays and by no DAG as its current one. */
	static const char versions_sql[] =
		"SELECT count(*) FROM dag_versions v WHERE (?2 IS NULL OR v.dag_id = ?2)"
		" AND v.id NOT IN (SELECT version FROM dags WHERE version IS NOT NULL)"
		" AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.version = v.id AND NOT"
		" (r.ended_us IS NOT NULL AND r.ended_us < ?1 AND r.state IN ('success','failed')"
		"  AND (?2 IS NULL OR r.dag_id = ?2)))";
	if ((out->runs = count_of(s, count_runs_sql, o, "count runs to clean")) < 0 ||
	    (out->task_instances = count_of(s, tis_sql, o, "count task instances to clean")) < 0 ||
	    (out->tries = count_of(s, tries_sql, o, "count tries to clean")) < 0 ||
	    (out->events = count_of(s, events_sql, o, "count events to clean")) < 0 ||
	    (out->versions = count_of(s, versions_sql, o, "count versions to clean")) < 0)
		return -1;
	static const char logs_sql[] = "SELECT log_path FROM tries WHERE log_path <> '' AND run IN"
				       " (SELECT id FROM runs WHERE" CLEAN_RUNS_WHERE ")";
	sqlite3_stmt *st = store_cached(s, logs_sql);
	if (!st)
		return -1;
	bind_where(st, o);
	int rc;
	while ((rc = store_step(s, st, "log files to clean")) == SQLITE_ROW) {
		const char *p = (const char *)sqlite3_column_text(st, 0);
		struct stat sb;
		if (p && stat(p, &sb) == 0)
			out->log_files++;
	}
	sqlite3_reset(st);
	out->elapsed_us = mono_us() - t0;
	return rc == SQLITE_DONE ? 0 : -1;
}

struct strv {
	char **v;
	size_t n, cap;
};

static void strv_push(struct strv *a, const char *s)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xrealloc(a->v, a->cap * sizeof *a->v);
	}
	a->v[a->n++] = xstrdup(s);
}

static void strv_clear(struct strv *a)
{
	for (size_t i = 0; i < a->n; i++)
		free(a->v[i]);
	a->n = 0;
}

/* Removes one try's files: <base>.log (the recorded path) and <base>.sup,
 * then the task's and the date's directories when that left them empty. */
static void remove_try_files(const char *log_path, struct store_clean_counts *c)
{
	if (unlink(log_path) == 0)
		c->log_files++;
	else if (errno != ENOENT)
		c->log_errors++;
	size_t len = strlen(log_path);
	char path[4200];
	if (len > 4 && len < sizeof path && strcmp(log_path + len - 4, ".log") == 0) {
		snprintf(path, sizeof path, "%.*s.sup", (int)(len - 4), log_path);
		(void)unlink(path);	/* usually absent: written only while the daemon is down */
	}
	snprintf(path, sizeof path, "%s", log_path);
	for (int up = 0; up < 2; up++) {	/* <task>/ then <date>/, never <dag>/ or above */
		char *slash = strrchr(path, '/');
		if (!slash || slash == path)
			break;
		*slash = '\0';
		if (rmdir(path) < 0)
			break;	/* not empty (other tries, other tasks): it stays */
	}
}

/* Deletes one run's rows; its tries' log paths are appended to logs. */
static int delete_run(struct store *s, int64_t run, struct strv *logs, struct store_clean_counts *c)
{
	static const char logs_sql[] = "SELECT log_path FROM tries WHERE run=? AND log_path <> ''";
	static const char del_tis[] = "DELETE FROM task_instances WHERE run=?";
	static const char del_tries[] = "DELETE FROM tries WHERE run=?";
	static const char del_events[] = "DELETE FROM events WHERE run=?";
	static const char del_run[] = "DELETE FROM runs WHERE id=?";
	sqlite3_stmt *st = store_cached(s, logs_sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	int rc;
	while ((rc = store_step(s, st, "read log paths")) == SQLITE_ROW)
		strv_push(logs, (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	if (rc < 0)
		return -1;
	const char *const dels[] = { del_tis, del_tries, del_events, del_run };
	int64_t *counts[] = { &c->task_instances, &c->tries, &c->events, &c->runs };
	for (size_t i = 0; i < 4; i++) {
		st = store_cached(s, dels[i]);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, run);
		if (store_step(s, st, "delete old history") < 0)
			return -1;
		*counts[i] += sqlite3_changes(s->db);
		sqlite3_reset(st);
	}
	return store_dataset_forget_run(s, run);
}

/* One batch: at most n runs, one transaction. Returns the number of runs
 * deleted (0: none left), or -1. */
static int64_t clean_batch(struct store *s, const struct store_clean_opts *o, int64_t n,
			   struct strv *logs, struct store_clean_counts *c, int64_t *held_us)
{
	static const char pick[] = "SELECT id FROM runs WHERE" CLEAN_RUNS_WHERE " ORDER BY ended_us LIMIT ?3";
	if (store_begin(s) < 0)
		return -1;
	int64_t t0 = mono_us();	/* the lock is ours from here (BEGIN IMMEDIATE) */
	struct store_clean_counts add = { 0 };
	int64_t *ids = xmalloc((size_t)n * sizeof *ids);
	int64_t got = 0;
	sqlite3_stmt *st = store_cached(s, pick);
	if (!st)
		goto fail;
	bind_where(st, o);
	sqlite3_bind_int64(st, 3, n);
	int rc;
	while ((rc = store_step(s, st, "pick runs to clean")) == SQLITE_ROW && got < n)
		ids[got++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc < 0)
		goto fail;
	for (int64_t i = 0; i < got; i++)
		if (delete_run(s, ids[i], logs, &add) < 0)
			goto fail;
	free(ids);
	if (store_commit(s) < 0) {
		strv_clear(logs);
		return -1;
	}
	*held_us = mono_us() - t0;
	c->runs += add.runs;
	c->task_instances += add.task_instances;
	c->tries += add.tries;
	c->events += add.events;
	return got;
fail:
	free(ids);
	store_rollback(s);
	strv_clear(logs);
	return -1;
}

/* Versions no run and no DAG uses, and the clean's own event. One transaction. */
static int clean_versions(struct store *s, const struct store_clean_opts *o, struct store_clean_counts *c)
{
	static const char del_versions[] =
		"DELETE FROM dag_versions WHERE (?1 IS NULL OR dag_id = ?1)"
		" AND id NOT IN (SELECT version FROM runs WHERE version IS NOT NULL)"
		" AND id NOT IN (SELECT version FROM dags WHERE version IS NOT NULL)";
	static const char event[] = "INSERT INTO events(at_us, dag_id, new_state, cause, actor)"
				    " VALUES(?,?,'clean',?,?)";
	if (store_begin(s) < 0)
		return -1;
	int64_t t0 = mono_us();
	sqlite3_stmt *st = store_cached(s, del_versions);
	if (!st)
		goto fail;
	if (o->dag_id)
		sqlite3_bind_text(st, 1, o->dag_id, -1, SQLITE_STATIC);
	if (store_step(s, st, "delete unused DAG versions") < 0)
		goto fail;
	c->versions += sqlite3_changes(s->db);
	sqlite3_reset(st);
	if (c->runs || c->versions) {
		char cause[512];
		snprintf(cause, sizeof cause,
			 "%s: removed %lld runs, %lld task instances, %lld tries, %lld events, %lld versions",
			 o->cause ? o->cause : "db clean", (long long)c->runs, (long long)c->task_instances,
			 (long long)c->tries, (long long)c->events, (long long)c->versions);
		st = store_cached(s, event);
		if (!st)
			goto fail;
		sqlite3_bind_int64(st, 1, store_now_us());
		sqlite3_bind_text(st, 2, o->dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, cause, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 4, o->actor, -1, SQLITE_STATIC);
		if (store_step(s, st, "clean event") < 0)
			goto fail;
		sqlite3_reset(st);
	}
	if (store_commit(s) < 0)
		return -1;
	int64_t held = mono_us() - t0;
	if (held > c->longest_lock_us)
		c->longest_lock_us = held;
	c->batches++;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

int store_clean(struct store *s, const struct store_clean_opts *o, struct store_clean_counts *out)
{
	memset(out, 0, sizeof *out);
	int64_t start = mono_us();
	int64_t total = count_of(s, count_runs_sql, o, "count runs to clean");
	if (total < 0)
		return -1;
	/* The WAL is checkpointed between batches, outside any transaction
	 * (PASSIVE: it waits for no one and no writer waits for it), not by
	 * SQLite's automatic checkpoint inside our COMMIT. */
	sqlite3_wal_autocheckpoint(s->db, 0);
	struct strv logs = { 0 };
	int64_t n = CLEAN_BATCH_FIRST;
	int ret = 0;
	for (;;) {
		int64_t held = 0;
		int64_t got = clean_batch(s, o, n, &logs, out, &held);
		if (got < 0) {
			ret = -1;
			break;
		}
		(void)sqlite3_wal_checkpoint_v2(s->db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		for (size_t i = 0; i < logs.n; i++)
			remove_try_files(logs.v[i], out);
		strv_clear(&logs);
		if (got == 0)
			break;
		out->batches++;
		if (held > out->longest_lock_us)
			out->longest_lock_us = held;
		if (o->progress)
			o->progress(o->progress_arg, out, total);
		if (got < n)
			break;
		/* Next size from this batch's rate, towards the target hold and
		 * at most 1.5 times larger (the cost per run grows with the WAL): a
		 * slow disk shrinks batches at once. */
		int64_t next = held > 0 ? n * STORE_CLEAN_TARGET_US / held : n + n / 2 + 1;
		if (next > n + n / 2 + 1)
			next = n + n / 2 + 1;
		n = next < CLEAN_BATCH_MIN ? CLEAN_BATCH_MIN : next > CLEAN_BATCH_MAX ? CLEAN_BATCH_MAX : next;
		if (o->should_stop && o->should_stop(o->progress_arg))
			break;
		/* As long a pause as the batch held the lock (at least pause_us):
		 * the daemon's pass, waiting in its busy handler, gets the lock
		 * before our next BEGIN. */
		int64_t pause = held > o->pause_us ? held : o->pause_us;
		struct timespec ts = { pause / 1000000, (pause % 1000000) * 1000 };
		nanosleep(&ts, NULL);
	}
	free(logs.v);
	sqlite3_wal_autocheckpoint(s->db, 1000);	/* SQLite's default again */
	if (ret == 0)
		ret = clean_versions(s, o, out);
	out->elapsed_us = mono_us() - start;
	return ret;
}
