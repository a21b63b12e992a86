/* store_daemon.c: the daemon's statements (store_daemon.h). Each function is
 * one or two cached statements with bound values; a failed step dooms the
 * caller's transaction through store_step. */
#include "scheduler/store_daemon.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Steps a statement that returns no row; 0 or -1. */
static int run_done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = store_step(s, st, what);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

int store_sync_full(struct store *s)
{
	return store_exec(s, "PRAGMA synchronous=FULL");
}

int store_ti_set(struct store *s, const struct store_ti *ti, enum ti_state old, const char *cause)
{
	static const char sql[] =
		"INSERT INTO task_instances(run, task_id, state, try_number, max_tries, next_retry_us,"
		" restarts) VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(run, task_id) DO UPDATE SET"
		" state=?3, try_number=?4, max_tries=?5, next_retry_us=?6, restarts=?7";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, ti->run);
	sqlite3_bind_text(st, 2, ti->task_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, ti_state_name(ti->state), -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, ti->try_number);
	sqlite3_bind_int(st, 5, ti->max_tries);
	if (ti->state == TI_UP_FOR_RETRY || ti->state == TI_CRASH_LOOP)
		sqlite3_bind_int64(st, 6, ti->next_retry_us);
	sqlite3_bind_int(st, 7, ti->restarts);
	if (run_done(s, st, "task instance state") < 0)
		return -1;
	return store_event(s, ti->dag_id, ti->run, ti->task_id, ti->try_number, ti_state_name(old),
			   ti_state_name(ti->state), cause);
}

int store_ti_create(struct store *s, int64_t run, const char *task_id, int max_tries)
{
	static const char sql[] = "INSERT OR IGNORE INTO task_instances(run, task_id, state,"
				  " try_number, max_tries) VALUES(?,?,'none',0,?)";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, max_tries);
	return run_done(s, st, "create task instance");
}

int store_try_begin(struct store *s, int64_t run, const char *task_id, int try_number, const char *state,
		    pid_t pid, int64_t started_us, const char *log_path)
{
	static const char sql[] =
		"INSERT INTO tries(run, task_id, try_number, state, pid, started_us, log_path)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(run, task_id, try_number) DO UPDATE SET"
		" state=?4, pid=coalesce(?5, pid), started_us=?6, log_path=coalesce(?7, log_path)";
	static const char upd[] = "UPDATE task_instances SET pid=?, started_us=?, log_path=coalesce(?,"
				  " log_path), exit_code=NULL, ended_us=NULL WHERE run=? AND task_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, try_number);
	sqlite3_bind_text(st, 4, state, -1, SQLITE_STATIC);
	if (pid > 0)
		sqlite3_bind_int(st, 5, pid);
	sqlite3_bind_int64(st, 6, started_us);
	sqlite3_bind_text(st, 7, log_path, -1, SQLITE_STATIC);
	if (run_done(s, st, "try row") < 0)
		return -1;
	st = store_cached(s, upd);
	if (!st)
		return -1;
	if (pid > 0)
		sqlite3_bind_int(st, 1, pid);
	sqlite3_bind_int64(st, 2, started_us);
	sqlite3_bind_text(st, 3, log_path, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, run);
	sqlite3_bind_text(st, 5, task_id, -1, SQLITE_STATIC);
	return run_done(s, st, "task instance try");
}

int store_try_end(struct store *s, const struct store_try_end *e, bool with_ti)
{
	static const char sql[] =
		"UPDATE tries SET state=?1, ended_us=?2, exit_code=?3, signal=?4,"
		" result=CASE WHEN json_valid(?5) AND json_type(?5)='object' THEN ?5 END, cause=?6"
		" WHERE run=?7 AND task_id=?8 AND try_number=?9";
	static const char ti_sql[] =
		"UPDATE task_instances SET ended_us=?1, exit_code=?2, pid=NULL,"
		" result=CASE WHEN json_valid(?3) AND json_type(?3)='object' THEN ?3 END"
		" WHERE run=?4 AND task_id=?5";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, e->state, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, e->ended_us);
	if (e->exit_code >= 0)
		sqlite3_bind_int(st, 3, e->exit_code);
	if (e->sig > 0)
		sqlite3_bind_int(st, 4, e->sig);
	sqlite3_bind_text(st, 5, e->result, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->cause, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, e->run);
	sqlite3_bind_text(st, 8, e->task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 9, e->try_number);
	if (run_done(s, st, "try end") < 0)
		return -1;
	if (!with_ti)
		return 0;
	st = store_cached(s, ti_sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, e->ended_us);
	if (e->exit_code >= 0)
		sqlite3_bind_int(st, 2, e->exit_code);
	sqlite3_bind_text(st, 3, e->result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, e->run);
	sqlite3_bind_text(st, 5, e->task_id, -1, SQLITE_STATIC);
	return run_done(s, st, "task instance end");
}

int store_try_abandon(struct store *s, int64_t run, const char *task_id, int try_number, const char *cause,
		      int64_t now_us)
{
	static const char sql[] = "UPDATE tries SET state='failed', ended_us=?, cause=?"
				  " WHERE run=? AND task_id=? AND try_number=? AND state IN ('queued','running')";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now_us);
	sqlite3_bind_text(st, 2, cause, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, run);
	sqlite3_bind_text(st, 4, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, try_number);
	return run_done(s, st, "abandon try");
}

int store_run_started(struct store *s, int64_t run, const char *dag_id, int64_t now_us)
{
	static const char sql[] = "UPDATE runs SET state='running', started_us=coalesce(started_us, ?)"
				  " WHERE id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now_us);
	sqlite3_bind_int64(st, 2, run);
	if (run_done(s, st, "run started") < 0)
		return -1;
	return store_event(s, dag_id, run, NULL, 0, "queued", "running", "run started");
}

int store_run_finished(struct store *s, int64_t run, const char *dag_id, enum run_state state,
		       const char *cause, int64_t now_us)
{
	static const char sql[] = "UPDATE runs SET state=?, ended_us=? WHERE id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, run_state_name(state), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_us);
	sqlite3_bind_int64(st, 3, run);
	if (run_done(s, st, "run finished") < 0)
		return -1;
	return store_event(s, dag_id, run, NULL, 0, "running", run_state_name(state), cause);
}

int store_dag_set_next(struct store *s, const char *dag_id, time_t next_interval, time_t next_run)
{
	static const char sql[] = "UPDATE dags SET next_interval=?, next_run=? WHERE dag_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, next_interval);
	if (next_run > 0)
		sqlite3_bind_int64(st, 2, next_run);
	sqlite3_bind_text(st, 3, dag_id, -1, SQLITE_STATIC);
	return run_done(s, st, "dag next interval");
}

int store_dag_next(struct store *s, const char *dag_id, time_t *next_interval)
{
	static const char sql[] = "SELECT coalesce(next_interval, 0) FROM dags WHERE dag_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "dag next interval");
	if (rc == SQLITE_ROW)
		*next_interval = (time_t)sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc < 0 ? -1 : rc == SQLITE_ROW;
}

int store_ti_adopted(struct store *s, int64_t run, const char *dag_id, const char *task_id, int try_number,
		     pid_t pid)
{
	static const char sql[] = "UPDATE task_instances SET state='running', pid=? WHERE run=? AND task_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	if (pid > 0)
		sqlite3_bind_int(st, 1, pid);
	sqlite3_bind_int64(st, 2, run);
	sqlite3_bind_text(st, 3, task_id, -1, SQLITE_STATIC);
	if (run_done(s, st, "adopt") < 0)
		return -1;
	return store_event(s, dag_id, run, task_id, try_number, "queued", "running", "adopted after restart");
}

int store_ti_never_started(struct store *s, int64_t run, const char *dag_id, const char *task_id,
			   int lost_try, enum ti_state old)
{
	static const char ti_sql[] = "UPDATE task_instances SET state='scheduled', try_number=?, pid=NULL"
				     " WHERE run=? AND task_id=?";
	static const char try_sql[] = "DELETE FROM tries WHERE run=? AND task_id=? AND try_number=?";
	sqlite3_stmt *st = store_cached(s, ti_sql);
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, lost_try > 0 ? lost_try - 1 : 0);
	sqlite3_bind_int64(st, 2, run);
	sqlite3_bind_text(st, 3, task_id, -1, SQLITE_STATIC);
	if (run_done(s, st, "give back a try") < 0 || !(st = store_cached(s, try_sql)))
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, lost_try);
	if (run_done(s, st, "give back a try") < 0)
		return -1;
	return store_event(s, dag_id, run, task_id, lost_try, ti_state_name(old), "scheduled",
			   "never started before the daemon stopped");
}

int store_active_runs(struct store *s, int (*fn)(void *arg, const struct store_run_row *row), void *arg)
{
	static const char sql[] = "SELECT id, dag_id, run_id, run_type, logical_date, interval_end,"
				  " state, conf, coalesce(backfill_id, 0), sort_key, coalesce(version, 0)"
				  " FROM runs WHERE state IN ('queued','running') ORDER BY sort_key, id";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	int rc;
	while ((rc = store_step(s, st, "active runs")) == SQLITE_ROW) {
		struct store_run_row row = {
			.id = sqlite3_column_int64(st, 0), .dag_id = text(st, 1), .run_id = text(st, 2),
			.run_type = text(st, 3), .logical_date = (time_t)sqlite3_column_int64(st, 4),
			.interval_end = (time_t)sqlite3_column_int64(st, 5),
			.state = strcmp(text(st, 6), "running") == 0 ? RUN_RUNNING : RUN_QUEUED,
			.conf = text(st, 7), .backfill_id = sqlite3_column_int64(st, 8),
			.sort_key = sqlite3_column_int64(st, 9), .version = sqlite3_column_int64(st, 10),
		};
		if (fn(arg, &row) < 0) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int store_conf_each(struct store *s, const char *json, void (*fn)(void *arg, const char *k, const char *v),
		    void *arg)
{
	static const char sql[] = "SELECT key, value FROM json_each(?)";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, json, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = store_step(s, st, "run conf")) == SQLITE_ROW) {
		const char *v = text(st, 1);
		fn(arg, text(st, 0), v ? v : "");
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

static int ti_rows(struct store *s, sqlite3_stmt *st, void (*fn)(void *arg, const struct store_ti_row *row),
		   void *arg)
{
	int rc;
	while ((rc = store_step(s, st, "task instances")) == SQLITE_ROW) {
		int state = ti_state_parse(text(st, 1));
		struct store_ti_row row = {
			.task_id = text(st, 0), .state = state < 0 ? TI_NONE : (enum ti_state)state,
			.try_number = sqlite3_column_int(st, 2), .max_tries = sqlite3_column_int(st, 3),
			.next_retry_us = sqlite3_column_int64(st, 4), .started_us = sqlite3_column_int64(st, 5),
			.restarts = sqlite3_column_int(st, 6), .run = sqlite3_column_int64(st, 7),
		};
		fn(arg, &row);
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int store_active_ti_rows(struct store *s, void (*fn)(void *arg, const struct store_ti_row *row), void *arg)
{
	/* A queued run has no task instances until it starts (unless cleared):
	 * a long backfill costs its running runs' rows, not one query per run. */
	static const char sql[] = "SELECT t.task_id, t.state, t.try_number, t.max_tries, t.next_retry_us,"
				  " t.started_us, t.restarts, t.run FROM runs r JOIN task_instances t"
				  " ON t.run = r.id WHERE r.state IN ('queued','running')";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	return ti_rows(s, st, fn, arg);
}

int store_try_pid(struct store *s, int64_t run, const char *task_id, int try_number, pid_t *pid)
{
	static const char sql[] = "SELECT pid FROM tries WHERE run=? AND task_id=? AND try_number=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, try_number);
	int rc = store_step(s, st, "try pid"), found = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		*pid = (pid_t)sqlite3_column_int(st, 0);
		found = 1;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : found;
}

int store_ti_log_path(struct store *s, int64_t run, const char *task_id, char *buf, size_t len)
{
	static const char sql[] = "SELECT log_path FROM task_instances WHERE run=? AND task_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "log path"), found = 0;
	if (rc == SQLITE_ROW && text(st, 0)) {
		snprintf(buf, len, "%s", text(st, 0));
		found = 1;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : found;
}

int store_backfill_max_active(struct store *s, int64_t backfill_id, int *max_active)
{
	static const char sql[] = "SELECT max_active FROM backfills WHERE id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, backfill_id);
	int rc = store_step(s, st, "backfill"), found = 0;
	if (rc == SQLITE_ROW) {
		int n = sqlite3_column_int(st, 0);
		*max_active = n > 0 ? n : 1;
		found = 1;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : found;
}

int store_pending_requests(struct store *s, struct store_request_row *rows, int max)
{
	static const char sql[] = "SELECT id, kind, coalesce(run, 0), task_id FROM requests"
				  " WHERE state='pending' ORDER BY id";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	int n = 0, rc = SQLITE_DONE;
	while (n < max && (rc = store_step(s, st, "requests")) == SQLITE_ROW) {
		rows[n].id = sqlite3_column_int64(st, 0);
		snprintf(rows[n].kind, sizeof rows[n].kind, "%s", text(st, 1));
		rows[n].run = sqlite3_column_int64(st, 2);
		const char *task = text(st, 3);
		snprintf(rows[n].task_id, sizeof rows[n].task_id, "%s", task ? task : "");
		n++;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : n;
}

int store_request_done(struct store *s, int64_t id, const char *state, const char *result)
{
	static const char sql[] = "UPDATE requests SET state=?, result=?, done_us=? WHERE id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, result, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, store_now_us());
	sqlite3_bind_int64(st, 4, id);
	return run_done(s, st, "request done");
}

int store_dag_file_record(struct store *s, const char *path, const char *dag_id, const char *errors)
{
	static const char sql[] = "INSERT INTO dag_files(file, dag_id, errors, checked_us) VALUES(?,?,?,?)"
				  " ON CONFLICT(file) DO UPDATE SET dag_id=coalesce(excluded.dag_id, dag_id),"
				  " errors=excluded.errors, checked_us=excluded.checked_us";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return store_fail(s, "dag file");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, errors, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, store_now_us());
	return run_done(s, st, "dag file");
}

int store_dag_file_forget(struct store *s, const char *path)
{
	static const char sql[] = "DELETE FROM dag_files WHERE file=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return store_fail(s, "forget dag file");
	sqlite3_bind_text(st, 1, path, -1, SQLITE_STATIC);
	return run_done(s, st, "forget dag file");
}

/* The version of a DAG's file content: stored once per (dag, hash). */
static int dag_version_record(struct store *s, const struct store_dag_row *row, int64_t *version)
{
	static const char ins[] = "INSERT INTO dag_versions(dag_id, hash, file, source, tasks, created_us)"
				  " VALUES(?,?,?,?,?,?) ON CONFLICT(dag_id, hash) DO NOTHING";
	static const char get[] = "SELECT id FROM dag_versions WHERE dag_id=? AND hash=?";
	sqlite3_stmt *st;
	if (row->source) {
		if (!(st = store_cached(s, ins)))
			return store_fail(s, "dag version");
		sqlite3_bind_text(st, 1, row->dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, row->hash, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 3, row->file, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 4, row->source, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 5, row->tasks_json, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 6, store_now_us());
		if (run_done(s, st, "dag version") < 0)
			return -1;
	}
	if (!(st = store_cached(s, get)))
		return store_fail(s, "dag version");
	sqlite3_bind_text(st, 1, row->dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->hash, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "dag version");
	*version = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int store_dag_record(struct store *s, const struct store_dag_row *row, bool paused_on_create, bool *paused,
		     time_t *next_interval, int64_t *version)
{
	static const char up[] =
		"INSERT INTO dags(dag_id, file, hash, schedule, timezone, description, paused, active,"
		" tasks, loaded_us, version) VALUES(?,?,?,?,?,?,?,1,?,?,?)"
		" ON CONFLICT(dag_id) DO UPDATE SET file=excluded.file, hash=excluded.hash,"
		" schedule=excluded.schedule, timezone=excluded.timezone,"
		" description=excluded.description, active=1, tasks=excluded.tasks,"
		" loaded_us=excluded.loaded_us, version=excluded.version";
	static const char get[] = "SELECT paused, coalesce(next_interval, 0) FROM dags WHERE dag_id=?";
	if (dag_version_record(s, row, version) < 0)
		return -1;
	sqlite3_stmt *st = store_cached(s, up);
	if (!st)
		return store_fail(s, "dag");
	sqlite3_bind_text(st, 1, row->dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, row->file, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->schedule, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, row->timezone, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, row->description, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 7, paused_on_create);
	sqlite3_bind_text(st, 8, row->tasks_json, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 9, store_now_us());
	if (*version > 0)
		sqlite3_bind_int64(st, 10, *version);
	if (run_done(s, st, "dag") < 0)
		return -1;
	if (!(st = store_cached(s, get)))
		return store_fail(s, "dag");
	sqlite3_bind_text(st, 1, row->dag_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "dag");
	if (rc == SQLITE_ROW) {
		*paused = sqlite3_column_int(st, 0) != 0;
		*next_interval = (time_t)sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 0;
	return rc < 0 ? -1 : store_fail(s, "dag row missing after its upsert");
}

int store_dag_version_source(struct store *s, int64_t version, const char *dag_id, char **source)
{
	static const char sql[] = "SELECT source FROM dag_versions WHERE id=? AND dag_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return store_fail(s, "dag version source");
	sqlite3_bind_int64(st, 1, version);
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "dag version source");
	*source = NULL;
	if (rc == SQLITE_ROW) {
		const char *t = text(st, 0);
		*source = strdup(t ? t : "");
		if (!*source)
			abort();
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : rc == SQLITE_ROW;
}

int store_dag_deactivate(struct store *s, const char *dag_id, const char *reason)
{
	static const char sql[] = "UPDATE dags SET active=0 WHERE dag_id=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return store_fail(s, "deactivate dag");
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	if (run_done(s, st, "deactivate dag") < 0)
		return -1;
	return store_event(s, dag_id, 0, NULL, 0, "active", "inactive", reason);
}

int store_dag_paused_each(struct store *s, void (*fn)(void *arg, const char *dag_id, bool paused), void *arg)
{
	static const char sql[] = "SELECT dag_id, paused FROM dags";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return store_fail(s, "paused flags");
	int rc;
	while ((rc = store_step(s, st, "paused flags")) == SQLITE_ROW)
		fn(arg, text(st, 0), sqlite3_column_int(st, 1) != 0);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_live_try(struct store *s, int64_t run, const char *task_id, int *try_number, int64_t *started_us,
		   char *log_path, size_t plen, char *dag_id, size_t dlen)
{
	static const char sql[] = "SELECT t.try_number, coalesce(t.started_us, 0), t.log_path, r.dag_id"
				  " FROM tries t JOIN runs r ON r.id=t.run WHERE t.run=? AND t.task_id=?"
				  " AND t.state IN ('queued', 'running') AND t.log_path IS NOT NULL"
				  " ORDER BY t.try_number DESC LIMIT 1";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "live try"), found = 0;
	if (rc == SQLITE_ROW) {
		*try_number = sqlite3_column_int(st, 0);
		*started_us = sqlite3_column_int64(st, 1);
		snprintf(log_path, plen, "%s", text(st, 2));
		snprintf(dag_id, dlen, "%s", text(st, 3));
		found = 1;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : found;
}

int store_try_slurm_set(struct store *s, int64_t run, const char *task_id, int try_number, int64_t job_id)
{
	static const char sql[] = "UPDATE tries SET executor='slurm', external_id=?"
				  " WHERE run=? AND task_id=? AND try_number=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	if (job_id > 0)
		sqlite3_bind_int64(st, 1, job_id);
	sqlite3_bind_int64(st, 2, run);
	sqlite3_bind_text(st, 3, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, try_number);
	return run_done(s, st, "try slurm job");
}

int store_try_slurm(struct store *s, int64_t run, const char *task_id, int try_number, int64_t *job_id)
{
	static const char sql[] = "SELECT executor, external_id FROM tries WHERE run=? AND task_id=? AND try_number=?";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, try_number);
	int rc = store_step(s, st, "try executor"), found = 0;
	if (rc == SQLITE_ROW && text(st, 0) && strcmp(text(st, 0), "slurm") == 0) {
		found = 1;
		*job_id = text(st, 1) ? strtoll(text(st, 1), NULL, 10) : 0;
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : found;
}

int store_notification_add(struct store *s, const struct store_notification *n, int64_t now_us)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO notifications(key, created_us, event, dag_id, run, task_id, try_number,"
		" channel, payload, state, attempts, next_attempt_us, last_error, done_us)"
		" VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,0,?2,?11,?12)";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, n->key, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now_us);
	sqlite3_bind_text(st, 3, n->event, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, n->dag_id, -1, SQLITE_STATIC);
	if (n->run > 0)
		sqlite3_bind_int64(st, 5, n->run);
	sqlite3_bind_text(st, 6, n->task_id, -1, SQLITE_STATIC);
	if (n->try_number >= 0)
		sqlite3_bind_int(st, 7, n->try_number);
	sqlite3_bind_text(st, 8, n->channel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, n->payload, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 10, n->skipped ? "skipped" : "pending", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 11, n->skipped, -1, SQLITE_STATIC);
	if (n->skipped)
		sqlite3_bind_int64(st, 12, now_us);
	return run_done(s, st, "notification");
}

int store_run_alert(struct store *s, int64_t run, struct store_run_alert *out)
{
	static const char sql[] = "SELECT started_us, deadline_us, deadline_missed_us, (SELECT count(*) FROM events"
				  " WHERE run=?1 AND task_id IS NULL AND new_state IN ('success', 'failed'))"
				  " FROM runs WHERE id=?1";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	int rc = store_step(s, st, "run alert");
	if (rc == SQLITE_ROW) {
		out->started_us = sqlite3_column_int64(st, 0);
		out->deadline_us = sqlite3_column_int64(st, 1);
		out->deadline_missed_us = sqlite3_column_int64(st, 2);
		out->ends = sqlite3_column_int(st, 3);
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

int store_run_set_deadline(struct store *s, int64_t run, int64_t deadline_us)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE runs SET deadline_us=? WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, deadline_us);
	sqlite3_bind_int64(st, 2, run);
	return run_done(s, st, "run deadline");
}

int store_deadlines_due(struct store *s, int64_t now_us,
			int (*fn)(void *arg, const struct store_deadline_row *row), void *arg)
{
	/* The WHERE repeats the partial index's condition, so SQLite uses it. */
	static const char sql[] =
		"SELECT id, deadline_us, coalesce(started_us, 0), dag_id, run_id, state, logical_date FROM runs"
		" WHERE deadline_us IS NOT NULL AND deadline_missed_us IS NULL AND state <> 'success'"
		" AND deadline_us <= ? ORDER BY deadline_us";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now_us);
	int rc;
	while ((rc = store_step(s, st, "deadlines due")) == SQLITE_ROW) {
		struct store_deadline_row row = {
			.id = sqlite3_column_int64(st, 0), .deadline_us = sqlite3_column_int64(st, 1),
			.started_us = sqlite3_column_int64(st, 2), .dag_id = text(st, 3), .run_id = text(st, 4),
			.state = text(st, 5), .logical_date = (time_t)sqlite3_column_int64(st, 6),
		};
		if (fn(arg, &row) < 0) {
			sqlite3_reset(st);
			return -1;
		}
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_run_deadline_missed(struct store *s, int64_t run, int64_t now_us)
{
	sqlite3_stmt *st = store_cached(s, "UPDATE runs SET deadline_missed_us=? WHERE id=?");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now_us);
	sqlite3_bind_int64(st, 2, run);
	return run_done(s, st, "run deadline missed");
}

int store_pools_read(struct store *s, void (*row)(void *arg, const char *name, int slots), void *arg)
{
	sqlite3_stmt *st = store_cached(s, "SELECT name, slots FROM pools");
	if (!st)
		return -1;
	int rc;
	while ((rc = store_step(s, st, "pools")) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (name)
			row(arg, name, sqlite3_column_int(st, 1));
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

/* ---- dynamic task mapping ---------------------------------------------- */

int store_ti_map_set(struct store *s, int64_t run, const char *task_id, const char *items, int n)
{
	static const char set[] = "UPDATE task_instances SET result=?3 WHERE run=?1 AND task_id=?2";
	/* Its instances sort between "task[" and "task\\" (a backslash follows '['). */
	static const char drop[] =
		"DELETE FROM task_instances WHERE run=?1 AND task_id > ?2 || '[' AND task_id < ?2 || '\\'"
		" AND CAST(substr(task_id, length(?2) + 2, length(task_id) - length(?2) - 2) AS INTEGER) >= ?3";
	sqlite3_stmt *st = store_cached(s, set);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, items, -1, SQLITE_STATIC);
	if (run_done(s, st, "mapped task's list") < 0 || !(st = store_cached(s, drop)))
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, n);
	return run_done(s, st, "instances of an earlier expansion");
}

int store_try_last(struct store *s, int64_t run, const char *task_id, int *try_number)
{
	static const char sql[] = "SELECT coalesce(max(try_number), 0) FROM tries WHERE run=?1 AND task_id=?2";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "last try");
	*try_number = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : -1;
}
