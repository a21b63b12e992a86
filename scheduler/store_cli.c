/* store_cli.c: the state transitions of schedctl: the backfills row and
 * attaching runs that already existed to it; stopping, marking and deleting a
 * run. Each is one transaction with its events, like store.c's; the run
 * operations write who asked into events.actor. */
#include "scheduler/store_cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/xalloc.h"
#include "scheduler/store_dataset.h"

int64_t store_create_backfill(struct store *s, const char *dag_id, time_t from_date,
			      time_t to_date, int max_active, bool reverse, const char *cause)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_prepare(s, "INSERT INTO backfills(dag_id, from_date, to_date,"
					    " max_active, reverse, created_us) VALUES(?,?,?,?,?,?)");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, from_date);
	sqlite3_bind_int64(st, 3, to_date);
	sqlite3_bind_int(st, 4, max_active);
	sqlite3_bind_int(st, 5, reverse);
	sqlite3_bind_int64(st, 6, store_now_us());
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s: create backfill: %s", s->path,
			 sqlite3_errmsg(s->db));
		goto fail;
	}
	int64_t id = sqlite3_last_insert_rowid(s->db);
	char what[64];
	snprintf(what, sizeof what, "backfill %lld", (long long)id);
	if (store_event(s, dag_id, 0, NULL, 0, NULL, what, cause) < 0)
		goto fail;
	if (store_commit(s) < 0)
		return -1;
	return id;
fail:
	store_rollback(s);
	return -1;
}

int store_attach_run(struct store *s, int64_t run, int64_t backfill_id, int64_t sort_key)
{
	sqlite3_stmt *st = store_prepare(s, "UPDATE runs SET backfill_id=?, sort_key=? WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, backfill_id);
	sqlite3_bind_int64(st, 2, sort_key);
	sqlite3_bind_int64(st, 3, run);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(s->err, sizeof s->err, "%s: attach run: %s", s->path, sqlite3_errmsg(s->db));
		return -1;
	}
	return 0;
}

/* ---- run operations ---- */

#define CLI_ERR(s, ...) snprintf((s)->err, sizeof (s)->err, __VA_ARGS__)

static bool live_state(const char *st)
{
	return strcmp(st, "running") == 0 || strcmp(st, "queued") == 0 || strcmp(st, "restarting") == 0;
}

static bool finished_state(const char *st)
{
	return strcmp(st, "success") == 0 || strcmp(st, "failed") == 0 || strcmp(st, "skipped") == 0 ||
	       strcmp(st, "upstream_failed") == 0;
}

/* The run's DAG and state: 1, 0 when it does not exist (s->err), -1. */
static int run_get(struct store *s, int64_t run, char *dag_id, size_t dlen, char *state, size_t slen)
{
	sqlite3_stmt *st = store_cached(s, "SELECT dag_id, state FROM runs WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	int rc = store_step(s, st, "run");
	if (rc == SQLITE_ROW) {
		snprintf(dag_id, dlen, "%s", (const char *)sqlite3_column_text(st, 0));
		snprintf(state, slen, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		CLI_ERR(s, "run %lld does not exist", (long long)run);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* A task instance's state and try: 1, 0 never instantiated ("none"), -1. */
static int ti_get(struct store *s, int64_t run, const char *task_id, char *state, size_t slen, int *try_number)
{
	sqlite3_stmt *st = store_cached(s, "SELECT state, try_number FROM task_instances WHERE run=? AND task_id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "task instance");
	snprintf(state, slen, "none");
	*try_number = 0;
	if (rc == SQLITE_ROW) {
		snprintf(state, slen, "%s", (const char *)sqlite3_column_text(st, 0));
		*try_number = sqlite3_column_int(st, 1);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* Sets a task instance's state (creating its row when never instantiated);
 * a finished state gets ended_us now, none clears it. */
static int ti_set(struct store *s, int64_t run, const char *task_id, const char *state)
{
	static const char sql[] =
		"INSERT INTO task_instances(run, task_id, state, ended_us) VALUES(?1, ?2, ?3, ?4)"
		" ON CONFLICT(run, task_id) DO UPDATE SET state=?3, ended_us=?4, next_retry_us=NULL";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, state, -1, SQLITE_STATIC);
	if (finished_state(state))
		sqlite3_bind_int64(st, 4, store_now_us());
	else
		sqlite3_bind_null(st, 4);
	int rc = store_step(s, st, "task instance");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* One task instance to `state`, with its event; a live try gets a "stop"
 * request first. */
static int ti_move(struct store *s, const char *dag_id, int64_t run, const char *task_id, const char *state,
		   const char *cause, const char *actor, size_t *nstopped)
{
	char old[32];
	int try_number;
	if (ti_get(s, run, task_id, old, sizeof old, &try_number) < 0)
		return -1;
	if (strcmp(old, state) == 0)
		return 0;
	if (live_state(old)) {
		if (store_request(s, "stop", dag_id, run, task_id, NULL) < 0)
			return -1;
		(*nstopped)++;
	}
	if (ti_set(s, run, task_id, state) < 0 ||
	    store_event_by(s, dag_id, run, task_id, try_number, old, state, cause, actor) < 0)
		return -1;
	return 0;
}

/* The mapped instances ("task[i]") of task_id in run, each moved like its
 * task: to state (mark), or, with stop, the unfinished ones to failed (a
 * live try, stopped) or skipped. 0 or -1. */
static int move_instances(struct store *s, const char *dag_id, int64_t run, const char *task_id, const char *state,
			  bool stop, const char *cause, const char *actor, size_t *nstopped)
{
	sqlite3_stmt *st = store_prepare(s, "SELECT task_id, state FROM task_instances WHERE run=?1"
					    " AND task_id > ?2 || '[' AND task_id < ?2 || '\\'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	struct { char *id; bool live, finished; } *v = NULL;
	size_t n = 0;
	int rc;
	while ((rc = store_step(s, st, "mapped instances")) == SQLITE_ROW) {
		const char *ist = (const char *)sqlite3_column_text(st, 1);
		v = xrealloc(v, (n + 1) * sizeof *v);
		v[n].id = xstrdup((const char *)sqlite3_column_text(st, 0));
		v[n].live = live_state(ist);
		v[n++].finished = finished_state(ist);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) {
		if (rc == SQLITE_DONE && !(stop && v[i].finished) &&
		    ti_move(s, dag_id, run, v[i].id, stop ? (v[i].live ? "failed" : "skipped") : state, cause, actor,
			    nstopped) < 0)
			rc = -1;
		free(v[i].id);
	}
	free(v);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int run_end(struct store *s, const char *dag_id, int64_t run, const char *old, const char *state,
		   const char *cause, const char *actor)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE runs SET state=?, ended_us=?, cause=? WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	if (strcmp(state, "queued") == 0 || strcmp(state, "running") == 0) {
		sqlite3_bind_null(st, 2);
		sqlite3_bind_null(st, 3);
	} else {
		sqlite3_bind_int64(st, 2, store_now_us());
		sqlite3_bind_text(st, 3, cause, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 4, run);
	int rc = store_step(s, st, "run");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return -1;
	return store_event_by(s, dag_id, run, NULL, 0, old, state, cause, actor);
}

/* The stop of one run inside the caller's transaction; -1 (s->err). */
static int stop_one(struct store *s, int64_t run, const char *const *task_ids, size_t ntasks,
		    const char *cause, const char *actor, size_t *nstopped)
{
	char dag_id[256], state[32];
	int got = run_get(s, run, dag_id, sizeof dag_id, state, sizeof state);
	if (got <= 0)
		return -1;
	if (strcmp(state, "queued") != 0 && strcmp(state, "running") != 0) {
		CLI_ERR(s, "the run has already ended (%s): nothing to stop", state);
		return -1;
	}
	for (size_t i = 0; i < ntasks; i++) {
		char old[32];
		int try_number;
		if (ti_get(s, run, task_ids[i], old, sizeof old, &try_number) < 0 ||
		    move_instances(s, dag_id, run, task_ids[i], NULL, true, cause, actor, nstopped) < 0)
			return -1;
		if (finished_state(old))
			continue;
		if (ti_move(s, dag_id, run, task_ids[i], live_state(old) ? "failed" : "skipped", cause, actor,
			    nstopped) < 0)
			return -1;
	}
	return run_end(s, dag_id, run, state, "failed", cause, actor);
}

int store_stop_run(struct store *s, int64_t run, const char *const *task_ids, size_t ntasks,
		   const char *cause, const char *actor, size_t *nstopped)
{
	*nstopped = 0;
	if (store_begin(s) < 0)
		return -1;
	if (stop_one(s, run, task_ids, ntasks, cause, actor, nstopped) < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s);
}

int store_cancel_backfill(struct store *s, const char *dag_id, int64_t backfill_id,
			  const char *const *task_ids, size_t ntasks, const char *cause, const char *actor,
			  size_t *ncancelled, size_t *nrunning)
{
	*ncancelled = *nrunning = 0;
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, "SELECT dag_id FROM backfills WHERE id=?");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, backfill_id);
	int found = store_step(s, st, "backfill");
	bool ours = found == SQLITE_ROW && strcmp((const char *)sqlite3_column_text(st, 0), dag_id) == 0;
	sqlite3_reset(st);
	if (found != SQLITE_ROW && found != SQLITE_DONE)
		goto fail;
	if (!ours) {
		CLI_ERR(s, "DAG %s has no backfill %lld", dag_id, (long long)backfill_id);
		goto fail;
	}
	st = store_prepare(s, "SELECT id, state FROM runs WHERE backfill_id=? AND dag_id=?"
					    " AND state IN ('queued', 'running') ORDER BY id");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, backfill_id);
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	int64_t *queued = NULL;
	size_t nq = 0;
	int rc;
	while ((rc = store_step(s, st, "backfill runs")) == SQLITE_ROW) {
		if (strcmp((const char *)sqlite3_column_text(st, 1), "queued") == 0) {
			queued = xrealloc(queued, (nq + 1) * sizeof *queued);
			queued[nq++] = sqlite3_column_int64(st, 0);
		} else {
			(*nrunning)++;
		}
	}
	sqlite3_finalize(st);
	size_t nstopped = 0;
	for (size_t i = 0; rc == SQLITE_DONE && i < nq; i++)
		if (stop_one(s, queued[i], task_ids, ntasks, cause, actor, &nstopped) < 0)
			rc = -1;
	free(queued);
	if (rc != SQLITE_DONE)
		goto fail;
	char what[64];
	snprintf(what, sizeof what, "backfill %lld cancelled", (long long)backfill_id);
	if (store_event_by(s, dag_id, 0, NULL, 0, NULL, what, cause, actor) < 0)
		goto fail;
	*ncancelled = nq;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

int store_mark_tasks(struct store *s, int64_t run, const char *state, const char *const *marked,
		     size_t nmarked, const char *const *reset, size_t nreset,
		     const char *const *all_ids, size_t nall, const char *cause, const char *actor,
		     size_t *nstopped)
{
	*nstopped = 0;
	if (strcmp(state, "success") != 0 && strcmp(state, "failed") != 0) {
		CLI_ERR(s, "mark: state %s is neither success nor failed", state);
		return -1;
	}
	if (store_begin(s) < 0)
		return -1;
	char dag_id[256], run_state[32];
	int got = run_get(s, run, dag_id, sizeof dag_id, run_state, sizeof run_state);
	if (got <= 0)
		goto fail;
	for (size_t i = 0; i < nmarked; i++)
		if (move_instances(s, dag_id, run, marked[i], state, false, cause, actor, nstopped) < 0 ||
		    ti_move(s, dag_id, run, marked[i], state, cause, actor, nstopped) < 0)
			goto fail;
	for (size_t i = 0; strcmp(state, "success") == 0 && i < nreset; i++) {
		char old[32];
		int try_number;
		if (ti_get(s, run, reset[i], old, sizeof old, &try_number) < 0)
			goto fail;
		if (strcmp(old, "upstream_failed") == 0 &&
		    ti_move(s, dag_id, run, reset[i], "none", cause, actor, nstopped) < 0)
			goto fail;
	}
	bool all_done = true, any_failed = false;
	for (size_t i = 0; i < nall; i++) {
		char st[32];
		int try_number;
		if (ti_get(s, run, all_ids[i], st, sizeof st, &try_number) < 0)
			goto fail;
		all_done = all_done && finished_state(st);
		any_failed = any_failed || strcmp(st, "failed") == 0 || strcmp(st, "upstream_failed") == 0;
	}
	bool active = strcmp(run_state, "queued") == 0 || strcmp(run_state, "running") == 0;
	const char *to = all_done ? (any_failed ? "failed" : "success") : active ? NULL : "queued";
	if (to && strcmp(to, run_state) != 0 && run_end(s, dag_id, run, run_state, to, cause, actor) < 0)
		goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

void store_paths_free(struct store_paths *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	p->v = NULL;
	p->n = 0;
}

static int run_exec(struct store *s, const char *sql, int64_t run)
{
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	int rc = store_step(s, st, "delete");
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_delete_run(struct store *s, int64_t run, const char *cause, const char *actor,
		     struct store_paths *logs)
{
	logs->v = NULL;
	logs->n = 0;
	if (store_begin(s) < 0)
		return -1;
	char dag_id[256], state[32];
	int got = run_get(s, run, dag_id, sizeof dag_id, state, sizeof state);
	if (got <= 0)
		goto fail;
	if (strcmp(state, "queued") == 0 || strcmp(state, "running") == 0) {
		CLI_ERR(s, "the run is %s: stop it first (schedctl stop), or wait until it ends", state);
		goto fail;
	}
	/* Tries of a stopped run end as their processes do. */
	sqlite3_stmt *st = store_cached(s, "SELECT task_id, state, log_path FROM tries WHERE run=?"
					   " ORDER BY task_id, try_number");
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, run);
	int rc;
	while ((rc = store_step(s, st, "tries")) == SQLITE_ROW) {
		const char *ts = (const char *)sqlite3_column_text(st, 1);
		if (live_state(ts)) {
			CLI_ERR(s, "a try of task %s is still %s (stopping): try again once it has ended",
				(const char *)sqlite3_column_text(st, 0), ts);
			sqlite3_reset(st);
			goto fail;
		}
		const char *lp = (const char *)sqlite3_column_text(st, 2);
		if (lp && *lp) {
			logs->v = xrealloc(logs->v, (logs->n + 1) * sizeof *logs->v);
			logs->v[logs->n++] = xstrdup(lp);
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (run_exec(s, "DELETE FROM tries WHERE run=?", run) < 0 ||
	    run_exec(s, "DELETE FROM task_instances WHERE run=?", run) < 0 ||
	    run_exec(s, "DELETE FROM events WHERE run=?", run) < 0 ||
	    run_exec(s, "DELETE FROM requests WHERE run=?", run) < 0 ||
	    store_dataset_forget_run(s, run) < 0 ||
	    run_exec(s, "DELETE FROM runs WHERE id=?", run) < 0 ||
	    store_event_by(s, dag_id, 0, NULL, 0, state, "deleted", cause, actor) < 0)
		goto fail;
	if (store_commit(s) < 0) {
		store_paths_free(logs);
		return -1;
	}
	return 0;
fail:
	store_paths_free(logs);
	store_rollback(s);
	return -1;
}

int store_run_repin(struct store *s, int64_t run, const char *actor, int64_t *from, int64_t *to)
{
	static const char get[] = "SELECT r.dag_id, coalesce(r.version, 0), coalesce(d.version, 0), r.state"
				  " FROM runs r LEFT JOIN dags d ON d.dag_id=r.dag_id WHERE r.id=?";
	static const char upd[] = "UPDATE runs SET version=? WHERE id=?";
	*from = *to = 0;
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, get);
	if (!st)
		goto fail;
	sqlite3_bind_int64(st, 1, run);
	int rc = store_step(s, st, "re-pin run");
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		if (rc == SQLITE_DONE)
			store_fail(s, "re-pin run: no such run");
		goto fail;
	}
	char dag_id[256], state[16];
	snprintf(dag_id, sizeof dag_id, "%s", (const char *)sqlite3_column_text(st, 0));
	*from = sqlite3_column_int64(st, 1);
	*to = sqlite3_column_int64(st, 2);
	snprintf(state, sizeof state, "%s", (const char *)sqlite3_column_text(st, 3));
	sqlite3_reset(st);
	if (*to == 0 || *to == *from)
		return store_commit(s) < 0 ? -1 : 0;	/* nothing to change */
	if (!(st = store_cached(s, upd)))
		goto fail;
	sqlite3_bind_int64(st, 1, *to);
	sqlite3_bind_int64(st, 2, run);
	rc = store_step(s, st, "re-pin run");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	char cause[128];
	snprintf(cause, sizeof cause, "re-pinned to the latest DAG version: version %lld -> %lld", (long long)*from,
		 (long long)*to);
	if (store_event_by(s, dag_id, run, NULL, 0, state, state, cause, actor) < 0)
		goto fail;
	return store_commit(s) < 0 ? -1 : 1;
fail:
	store_rollback(s);
	return -1;
}

/* ---- pools (docs/pools.md) */

int store_pool_set(struct store *s, const char *name, int slots, const char *description, const char *actor)
{
	static const char sql[] =
		"INSERT INTO pools(name, slots, description) VALUES(?1, ?2, ?3) ON CONFLICT(name) DO UPDATE"
		" SET slots = excluded.slots, description = coalesce(excluded.description, pools.description)";
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, slots);
	sqlite3_bind_text(st, 3, description, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "pool");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	char cause[400];
	snprintf(cause, sizeof cause, "pool %.250s set to %d slots", name, slots);
	if (store_event_by(s, NULL, 0, NULL, 0, NULL, "pool_set", cause, actor) < 0)
		goto fail;
	return store_commit(s);
fail:
	store_rollback(s);
	return -1;
}

int store_pool_delete(struct store *s, const char *name, const char *actor)
{
	if (store_begin(s) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, "DELETE FROM pools WHERE name=?");
	if (!st)
		goto fail;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "pool");
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		goto fail;
	if (sqlite3_changes(s->db) != 1) {
		store_rollback(s);
		snprintf(s->err, sizeof s->err, "no pool '%s' in %s", name, s->path);
		return 0;
	}
	char cause[400];
	snprintf(cause, sizeof cause, "pool %.250s deleted", name);
	if (store_event_by(s, NULL, 0, NULL, 0, NULL, "pool_deleted", cause, actor) < 0)
		goto fail;
	return store_commit(s) < 0 ? -1 : 1;
fail:
	store_rollback(s);
	return -1;
}
