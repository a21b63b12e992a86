/* store_dataset.c: the statements of data-aware scheduling (store_dataset.h). */
#include "scheduler/store_dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"
#include "lib/json.h"
#include "scheduler/mapindex.h"

static int done(struct store *s, sqlite3_stmt *st, const char *what)
{
	int rc = store_step(s, st, what);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_dataset_event(struct store *s, const char *uri, const char *dag_id, int64_t run, const char *task_id,
			int64_t at_us, const char *extra)
{
	static const char sql[] =
		"INSERT INTO dataset_events(uri, dag_id, run, task_id, at_us, extra) VALUES(?1, ?2, ?3, ?4, ?5,"
		" CASE WHEN json_valid(?6) AND json_type(?6)='object' THEN ?6 END)";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, uri, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, run);
	sqlite3_bind_text(st, 4, task_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, at_us);
	if (extra)
		sqlite3_bind_text(st, 6, extra, -1, SQLITE_STATIC);
	return done(s, st, "dataset event");
}

/* The newest event id (0: none ever). */
static int newest_event(struct store *s, int64_t *id)
{
	static const char sql[] = "SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name='dataset_events'), 0)";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	int rc = store_step(s, st, "newest dataset event");
	*id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc < 0 ? -1 : 0;
}

int store_dataset_register(struct store *s, const char *dag_id)
{
	static const char sql[] =
		"INSERT OR IGNORE INTO dataset_consumers(dag_id, last_event)"
		" VALUES(?1, coalesce((SELECT seq FROM sqlite_sequence WHERE name='dataset_events'), 0))";
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	return done(s, st, "dataset consumer");
}

int store_dataset_due(struct store *s, const char *dag_id, char *const *uris, size_t n, int64_t *after,
		      int64_t *upto)
{
	static const char get[] = "SELECT last_event FROM dataset_consumers WHERE dag_id=?1";
	static const char ins[] = "INSERT INTO dataset_consumers(dag_id, last_event) VALUES(?1, ?2)";
	static const char since[] = "SELECT 1 FROM dataset_events WHERE uri=?1 AND id>?2 LIMIT 1";
	sqlite3_stmt *st = store_cached(s, get);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "dataset consumer");
	*after = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	if (rc < 0 || newest_event(s, upto) < 0)
		return -1;
	if (rc == SQLITE_DONE) {	/* a new consumer: from now on */
		if (!(st = store_cached(s, ins)))
			return -1;
		sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, *upto);
		return done(s, st, "dataset consumer") < 0 ? -1 : 0;
	}
	if (*upto <= *after)
		return 0;	/* nothing new at all: the common case costs one lookup */
	for (size_t i = 0; i < n; i++) {
		if (!(st = store_cached(s, since)))
			return -1;
		sqlite3_bind_text(st, 1, uris[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, *after);
		rc = store_step(s, st, "dataset events since");
		sqlite3_reset(st);
		if (rc < 0)
			return -1;
		if (rc != SQLITE_ROW)
			return 0;
	}
	return 1;
}

int store_dataset_interval(struct store *s, char *const *uris, size_t n, int64_t after, int64_t upto,
			   time_t *logical_date, time_t *interval_end)
{
	static const char sql[] =
		"SELECT max(r.logical_date), max(r.interval_end) FROM dataset_events e JOIN runs r ON r.id = e.run"
		" WHERE e.uri=?1 AND e.id>?2 AND e.id<=?3";
	*logical_date = *interval_end = 0;
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *st = store_cached(s, sql);
		if (!st)
			return -1;
		sqlite3_bind_text(st, 1, uris[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, after);
		sqlite3_bind_int64(st, 3, upto);
		int rc = store_step(s, st, "dataset run interval");
		if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
			time_t ld = (time_t)sqlite3_column_int64(st, 0), ie = (time_t)sqlite3_column_int64(st, 1);
			if (ld > *logical_date)
				*logical_date = ld;
			if (ie > *interval_end)
				*interval_end = ie;
		}
		sqlite3_reset(st);
		if (rc < 0)
			return -1;
	}
	return 0;
}

int store_dataset_consume(struct store *s, const char *dag_id, int64_t run, int64_t after, int64_t upto)
{
	static const char upd[] = "UPDATE dataset_consumers SET last_event=?2 WHERE dag_id=?1";
	static const char ins[] = "INSERT INTO dataset_runs(run, after_event, upto_event) VALUES(?1, ?2, ?3)";
	sqlite3_stmt *st = store_cached(s, upd);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, upto);
	if (done(s, st, "dataset watermark") < 0 || !(st = store_cached(s, ins)))
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int64(st, 2, after);
	sqlite3_bind_int64(st, 3, upto);
	return done(s, st, "dataset run");
}

int store_dataset_triggering(struct store *s, int64_t run, char *const *uris, size_t n, char **json)
{
	static const char range[] = "SELECT after_event, upto_event FROM dataset_runs WHERE run=?1";
	static const char events[] =
		"SELECT json_quote(?1), json_group_array(json_object('id', e.id, 'dag_id', e.dag_id, 'run_id', r.run_id,"
		" 'task_id', e.task_id, 'at', strftime('%Y-%m-%dT%H:%M:%fZ', e.at_us / 1e6, 'unixepoch'),"
		" 'extra', json(e.extra)))"
		" FROM (SELECT * FROM dataset_events WHERE uri=?1 AND id>?2 AND id<=?3 ORDER BY id) e"
		" LEFT JOIN runs r ON r.id = e.run";
	*json = NULL;
	sqlite3_stmt *st = store_cached(s, range);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	int rc = store_step(s, st, "dataset run");
	int64_t after = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	int64_t upto = rc == SQLITE_ROW ? sqlite3_column_int64(st, 1) : 0;
	sqlite3_reset(st);
	if (rc < 0)
		return -1;
	struct buf b = BUF_INIT;
	buf_puts(&b, "{");
	for (size_t i = 0; rc == SQLITE_ROW && i < n; i++) {
		if (!(st = store_cached(s, events))) {
			buf_free(&b);
			return -1;
		}
		sqlite3_bind_text(st, 1, uris[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, after);
		sqlite3_bind_int64(st, 3, upto);
		int r2 = store_step(s, st, "dataset events of a run");
		if (r2 != SQLITE_ROW) {
			sqlite3_reset(st);
			buf_free(&b);
			return -1;
		}
		buf_printf(&b, "%s%s:%s", i ? "," : "", (const char *)sqlite3_column_text(st, 0),
			   (const char *)sqlite3_column_text(st, 1));
		sqlite3_reset(st);
	}
	buf_puts(&b, "}");
	*json = buf_detach(&b);
	return 1;
}

int store_dataset_forget_run(struct store *s, int64_t run)
{
	static const char ev[] = "DELETE FROM dataset_events WHERE run=?1";
	static const char runs[] = "DELETE FROM dataset_runs WHERE run=?1";
	sqlite3_stmt *st = store_cached(s, ev);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	if (done(s, st, "forget a run's dataset events") < 0 || !(st = store_cached(s, runs)))
		return -1;
	sqlite3_bind_int64(st, 1, run);
	return done(s, st, "forget a run's dataset events");
}

int store_ti_result(struct store *s, int64_t run, const char *task_id, char **json)
{
	static const char sql[] = "SELECT result FROM task_instances WHERE run=?1 AND task_id=?2";
	*json = NULL;
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "task result");
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		const char *t = (const char *)sqlite3_column_text(st, 0);
		if (t && !(*json = strdup(t))) {
			sqlite3_reset(st);
			return store_fail(s, "out of memory");
		}
	}
	sqlite3_reset(st);
	return rc < 0 ? -1 : *json != NULL;
}

int store_ti_map_results(struct store *s, int64_t run, const char *task_id, size_t n, char **json)
{
	static const char sql[] = "SELECT task_id, result FROM task_instances WHERE run=?1 AND task_id > ?2 || '['"
				  " AND task_id < ?2 || '\\'";
	*json = NULL;
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_text(st, 2, task_id, -1, SQLITE_STATIC);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_null());
	int rc;
	while ((rc = store_step(s, st, "mapped results")) == SQLITE_ROW) {
		int index;
		const char *result = (const char *)sqlite3_column_text(st, 1);
		if (map_name_parse((const char *)sqlite3_column_text(st, 0), NULL, &index) == 1 && (size_t)index < n &&
		    result)
			json_array_set_new(a, (size_t)index, json_loads(result, 0, NULL));
	}
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		*json = jx_dump(a);
	json_decref(a);
	return rc == SQLITE_DONE ? 1 : -1;
}

int store_external_state(struct store *s, const char *dag_id, time_t logical_date, const char *task_id,
			 char *state, size_t len)
{
	static const char run_sql[] = "SELECT state FROM runs WHERE dag_id=?1 AND logical_date=?2";
	static const char ti_sql[] =
		"SELECT t.state FROM runs r JOIN task_instances t ON t.run=r.id AND t.task_id=?3"
		" WHERE r.dag_id=?1 AND r.logical_date=?2";
	sqlite3_stmt *st = store_cached(s, task_id ? ti_sql : run_sql);
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, dag_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, (int64_t)logical_date);
	if (task_id)
		sqlite3_bind_text(st, 3, task_id, -1, SQLITE_STATIC);
	int rc = store_step(s, st, "state of another DAG");
	if (rc == SQLITE_ROW)
		snprintf(state, len, "%s", sqlite3_column_text(st, 0) ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_reset(st);
	return rc < 0 ? -1 : rc == SQLITE_ROW;
}
