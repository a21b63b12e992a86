/* query.c: the read layer over the state store (the contract is in query.h).
 *
 * Every function follows one shape, so that no SQLite failure can pass for
 * "no rows":
 *
 *     st = q_stmt(...)                      prepare failed   -> Q_ERROR
 *     q_bind_*(...) && ...                  bind failed      -> Q_ERROR
 *     while ((rc = sqlite3_step(st)) == SQLITE_ROW)
 *             copy the row (q_text; out of memory -> Q_ERROR)
 *     rc != SQLITE_DONE                     corrupt page, I/O -> Q_ERROR
 *     sqlite3_reset(st)                     the read transaction ends here
 *
 * and on any error the rows copied so far are freed, err names the state
 * file, what was being read and SQLite's message. Statements are the
 * store's cached ones (keyed by the address of the SQL literal), so a
 * long-lived caller (the REST API) parses each question once. */
#include "scheduler/query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "lib/xalloc.h"
#include "scheduler/mapindex.h"

/* ---- the shape's helpers */

static int q_fail(struct store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
	const char *msg = sqlite3_errcode(s->db) != SQLITE_OK ? sqlite3_errmsg(s->db) : "out of memory";
	snprintf(err, errlen, "%s: cannot read %s: %s", s->path, what, msg);
	if (st)
		sqlite3_reset(st);
	return Q_ERROR;
}

static int q_oom(struct store *s, sqlite3_stmt *st, const char *what, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: cannot read %s: out of memory", s->path, what);
	if (st)
		sqlite3_reset(st);
	return Q_ERROR;
}

static sqlite3_stmt *q_stmt(struct store *s, const char *sql, const char *what, char *err,
			    size_t errlen)
{
	sqlite3_stmt *st = store_cached(s, sql);
	if (!st)
		q_fail(s, NULL, what, err, errlen);
	return st;
}

static bool q_bind_text(sqlite3_stmt *st, int i, const char *v)
{
	return (v ? sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i)) ==
	       SQLITE_OK;
}

static bool q_bind_i64(sqlite3_stmt *st, int i, int64_t v)
{
	return sqlite3_bind_int64(st, i, v) == SQLITE_OK;
}

/* A text column, malloc'd; NULL for SQL NULL. *oom is set when SQLite or
 * strdup ran out of memory (the column was not NULL but no text came). */
static char *q_text(sqlite3_stmt *st, int i, bool *oom)
{
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return NULL;
	const unsigned char *t = sqlite3_column_text(st, i);
	char *d = t ? strdup((const char *)t) : NULL;
	if (!d)
		*oom = true;
	return d;
}

/* A text column into a fixed buffer ("" for NULL). */
static void q_copy(char *buf, size_t len, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(buf, len, "%s", t ? (const char *)t : "");
}

/* Makes room for one more element of size sz in *v (capacity *cap). */
static bool q_grow(void **v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, c * sz);
	if (!p)
		return false;
	*v = p;
	*cap = c;
	return true;
}

/* ---- snapshots */

static int q_exec(struct store *s, const char *sql, const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (sqlite3_step(st) != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

int query_snapshot_begin(struct store *s, char *err, size_t errlen)
{
	static const char sql[] = "BEGIN DEFERRED";
	return q_exec(s, sql, "a snapshot (begin)", err, errlen);
}

int query_snapshot_end(struct store *s, char *err, size_t errlen)
{
	static const char sql[] = "COMMIT";
	if (sqlite3_get_autocommit(s->db))
		return Q_OK;	/* nothing open (SQLite ended it after an error) */
	if (q_exec(s, sql, "a snapshot (end)", err, errlen) == Q_OK)
		return Q_OK;
	if (!sqlite3_get_autocommit(s->db))
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);	/* a read: nothing to lose */
	return Q_ERROR;
}

/* ---- DAGs */

long query_task_index(const struct query_dag *d, const char *task_id)
{
	for (size_t i = 0; i < d->ntasks; i++)
		if (strcmp(d->tasks[i].id, task_id) == 0)
			return (long)i;
	return -1;
}

static long task_index_n(const struct query_dag *d, const char *task_id, size_t len)
{
	for (size_t i = 0; i < d->ntasks; i++)
		if (strncmp(d->tasks[i].id, task_id, len) == 0 && d->tasks[i].id[len] == '\0')
			return (long)i;
	return -1;
}

long query_ti_task_index(const struct query_dag *d, const char *task_id)
{
	size_t len;
	map_name_parse(task_id, &len, NULL);
	return task_index_n(d, task_id, len);
}

void query_dag_free(struct query_dag *d)
{
	free(d->dag_id);
	free(d->file);
	free(d->schedule);
	free(d->timezone);
	free(d->description);
	free(d->errors);
	for (size_t i = 0; i < d->ntasks; i++) {
		free(d->tasks[i].id);
		free(d->tasks[i].trigger_rule);
		free(d->tasks[i].up);
	}
	free(d->tasks);
	memset(d, 0, sizeof *d);
}

static int dag_row(struct store *s, const char *dag_id, struct query_dag *out, char *err,
		   size_t errlen)
{
	static const char sql[] = "SELECT dag_id, file, schedule, timezone, description, errors,"
				  " paused, next_run, coalesce(version, 0) FROM dags WHERE dag_id=?";
	const char *what = "the dags table";
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		snprintf(err, errlen, "no DAG '%s' in %s", dag_id, s->path);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	bool oom = false;
	out->dag_id = q_text(st, 0, &oom);
	out->file = q_text(st, 1, &oom);
	out->schedule = q_text(st, 2, &oom);
	out->timezone = q_text(st, 3, &oom);
	out->description = q_text(st, 4, &oom);
	out->errors = q_text(st, 5, &oom);
	out->paused = sqlite3_column_int(st, 6) != 0;
	out->next_run = sqlite3_column_int64(st, 7);
	out->version = sqlite3_column_int64(st, 8);
	if (oom || !out->dag_id || !out->file || !out->schedule || !out->timezone)
		return q_oom(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

/* The tasks in file order, each with its upstream list as JSON text in *ups:
 * of the DAG's current record (version 0) or of one of its stored versions. */
static int dag_tasks(struct store *s, struct query_dag *out, int64_t version, char ***ups, char *err,
		     size_t errlen)
{
	static const char sql[] = "SELECT json_extract(t.value,'$.id'),"
				  " coalesce(json_extract(t.value,'$.retries'),0),"
				  " json_extract(t.value,'$.trigger_rule'),"
				  " coalesce(json_extract(t.value,'$.upstream'),'[]'),"
				  " coalesce(json_extract(t.value,'$.sensor'),0),"
				  " coalesce(json_extract(t.value,'$.mapped'),0)"
				  " FROM dags, json_each(dags.tasks) t WHERE dags.dag_id=? ORDER BY t.key";
	static const char sql_version[] = "SELECT json_extract(t.value,'$.id'),"
				  " coalesce(json_extract(t.value,'$.retries'),0),"
				  " json_extract(t.value,'$.trigger_rule'),"
				  " coalesce(json_extract(t.value,'$.upstream'),'[]'),"
				  " coalesce(json_extract(t.value,'$.sensor'),0),"
				  " coalesce(json_extract(t.value,'$.mapped'),0)"
				  " FROM dag_versions v, json_each(v.tasks) t WHERE v.dag_id=? AND v.id=?"
				  " ORDER BY t.key";
	char what[300];
	snprintf(what, sizeof what, "the tasks of DAG %s", out->dag_id);
	sqlite3_stmt *st = q_stmt(s, version > 0 ? sql_version : sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, out->dag_id) || (version > 0 && !q_bind_i64(st, 2, version)))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0, ucap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->tasks, &cap, out->ntasks, sizeof *out->tasks) ||
		    !q_grow((void **)ups, &ucap, out->ntasks, sizeof **ups)) {
			oom = true;
			break;
		}
		struct query_task *t = &out->tasks[out->ntasks];
		memset(t, 0, sizeof *t);
		(*ups)[out->ntasks] = NULL;
		out->ntasks++;
		t->id = q_text(st, 0, &oom);
		if (!t->id && !oom)
			t->id = strdup("?");	/* a task without id: shown, never matched */
		t->retries = sqlite3_column_int(st, 1);
		t->trigger_rule = q_text(st, 2, &oom);
		(*ups)[out->ntasks - 1] = q_text(st, 3, &oom);
		t->sensor = sqlite3_column_int(st, 4) != 0;
		t->mapped = sqlite3_column_int(st, 5) != 0;
		if (oom || !t->id) {
			oom = true;
			break;
		}
	}
	if (oom)
		return q_oom(s, st, what, err, errlen);
	if (rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

/* Resolves each task's upstream ids (JSON array text) to indexes: one
 * statement over the array of every task's list ("[[..],[..]]"), so a DAG of
 * 200 tasks costs one json_each scan, not 200 statements (2 ms -> 0.4 ms;
 * bench_web_api). */
static int dag_upstreams(struct store *s, struct query_dag *out, char **ups, char *err,
			 size_t errlen)
{
	static const char sql[] = "SELECT j.key, u.value FROM json_each(?1) j, json_each(j.value) u"
				  " ORDER BY j.key, u.key";
	char what[300];
	snprintf(what, sizeof what, "the upstream lists of DAG %s", out->dag_id);
	size_t len = 3;
	for (size_t i = 0; i < out->ntasks; i++)
		len += (ups[i] ? strlen(ups[i]) : 2) + 1;
	char *all = malloc(len);
	if (!all)
		return q_oom(s, NULL, what, err, errlen);
	size_t n = 0;
	all[n++] = '[';
	for (size_t i = 0; i < out->ntasks; i++) {
		const char *u = ups[i] ? ups[i] : "[]";
		if (i)
			all[n++] = ',';
		memcpy(all + n, u, strlen(u));
		n += strlen(u);
	}
	all[n++] = ']';
	all[n] = '\0';
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st) {
		free(all);
		return Q_ERROR;
	}
	if (!q_bind_text(st, 1, all)) {
		free(all);
		return q_fail(s, st, what, err, errlen);
	}
	size_t *cap = calloc(out->ntasks ? out->ntasks : 1, sizeof *cap);
	int rc = cap ? SQLITE_OK : SQLITE_NOMEM;
	while (cap && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 i = sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (i < 0 || (size_t)i >= out->ntasks)
			continue;
		long k = name ? query_task_index(out, name) : -1;
		if (k < 0)
			continue;	/* the loader refuses these; never trust it blindly */
		struct query_task *t = &out->tasks[i];
		if (!q_grow((void **)&t->up, &cap[i], t->nup, sizeof *t->up)) {
			rc = SQLITE_NOMEM;
			break;
		}
		t->up[t->nup++] = (size_t)k;
	}
	free(cap);
	if (rc == SQLITE_NOMEM) {
		free(all);
		return q_oom(s, st, what, err, errlen);
	}
	if (rc != SQLITE_DONE) {
		free(all);
		return q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	free(all);
	return Q_OK;
}

int query_dag(struct store *s, const char *dag_id, struct query_dag *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	int rc = dag_row(s, dag_id, out, err, errlen);
	char **ups = NULL;
	if (rc == Q_OK)
		rc = dag_tasks(s, out, 0, &ups, err, errlen);
	if (rc == Q_OK)
		rc = dag_upstreams(s, out, ups, err, errlen);
	for (size_t i = 0; ups && i < out->ntasks; i++)
		free(ups[i]);
	free(ups);
	if (rc != Q_OK)
		query_dag_free(out);
	return rc;
}

static void tasks_free(struct query_dag *d)
{
	for (size_t i = 0; i < d->ntasks; i++) {
		free(d->tasks[i].id);
		free(d->tasks[i].trigger_rule);
		free(d->tasks[i].up);
	}
	free(d->tasks);
	d->tasks = NULL;
	d->ntasks = 0;
}

int query_dag_at_version(struct store *s, struct query_dag *d, int64_t version, char *err, size_t errlen)
{
	static const char sql[] = "SELECT 1 FROM dag_versions WHERE dag_id=? AND id=?";
	const char *what = "the dag_versions table";
	if (version == d->version)
		return Q_OK;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, d->dag_id) || !q_bind_i64(st, 2, version))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		snprintf(err, errlen, "DAG %s has no version %lld in %s (schedctl dags %s --versions lists them)",
			 d->dag_id, (long long)version, s->path, d->dag_id);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	tasks_free(d);
	char **ups = NULL;
	rc = dag_tasks(s, d, version, &ups, err, errlen);
	if (rc == Q_OK)
		rc = dag_upstreams(s, d, ups, err, errlen);
	for (size_t i = 0; ups && i < d->ntasks; i++)
		free(ups[i]);
	free(ups);
	if (rc != Q_OK)
		tasks_free(d);
	else
		d->version = version;
	return rc;
}

void query_dag_versions_free(struct query_dag_versions *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].hash);
		free(v->v[i].file);
		free(v->v[i].run_ids);
	}
	free(v->v);
	memset(v, 0, sizeof *v);
}

int query_dag_versions(struct store *s, const char *dag_id, struct query_dag_versions *out, char *err,
		       size_t errlen)
{
	/* The runs of each version, newest first, as a JSON array (SQLite's
	 * json_group_array: run ids are free text). */
	static const char sql[] =
		"SELECT v.id, v.hash, v.file, v.created_us, json_array_length(v.tasks),"
		" (SELECT count(*) FROM runs r WHERE r.dag_id=v.dag_id AND r.version=v.id),"
		" (SELECT count(*) FROM runs r WHERE r.dag_id=v.dag_id AND r.version=v.id"
		"   AND r.state IN ('queued','running')),"
		" (SELECT json_group_array(run_id) FROM (SELECT run_id FROM runs r"
		"   WHERE r.dag_id=v.dag_id AND r.version=v.id ORDER BY r.logical_date DESC, r.id DESC)),"
		" v.id = (SELECT version FROM dags WHERE dag_id=v.dag_id)"
		" FROM dag_versions v WHERE v.dag_id=? ORDER BY v.id";
	char what[300];
	snprintf(what, sizeof what, "the versions of DAG %s", dag_id);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_dag_version *v = &out->v[out->n++];
		memset(v, 0, sizeof *v);
		v->id = sqlite3_column_int64(st, 0);
		v->hash = q_text(st, 1, &oom);
		v->file = q_text(st, 2, &oom);
		v->created_us = sqlite3_column_int64(st, 3);
		v->ntasks = sqlite3_column_int(st, 4);
		v->nruns = sqlite3_column_int(st, 5);
		v->nactive = sqlite3_column_int(st, 6);
		v->run_ids = q_text(st, 7, &oom);
		v->current = sqlite3_column_int(st, 8) != 0;
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_dag_versions_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

void query_names_free(struct query_names *n)
{
	for (size_t i = 0; i < n->n; i++)
		free(n->v[i]);
	free(n->v);
	memset(n, 0, sizeof *n);
}

int query_dag_ids(struct store *s, struct query_names *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT dag_id FROM dags ORDER BY dag_id";
	const char *what = "the dags table";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v) ||
		    !(out->v[out->n] = q_text(st, 0, &oom))) {
			oom = true;
			break;
		}
		out->n++;
	}
	if (oom || rc != SQLITE_DONE) {
		query_names_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

/* Q_OK if dag_id is in the dags table, Q_NOTFOUND if not: the cheap check
 * of a request that names a DAG but needs none of its tasks. */
int query_dag_exists(struct store *s, const char *dag_id, char *err, size_t errlen)
{
	static const char sql[] = "SELECT 1 FROM dags WHERE dag_id=?";
	const char *what = "the dags table";
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? Q_OK : Q_NOTFOUND;
}

/* ---- the DAG list */

void query_dag_list_free(struct query_dag_list *l)
{
	for (size_t i = 0; i < l->ndags; i++) {
		struct query_dag_summary *d = &l->dags[i];
		free(d->dag_id);
		free(d->file);
		free(d->description);
		free(d->schedule);
		free(d->timezone);
		free(d->errors);
		free(d->last_state);
	}
	free(l->dags);
	for (size_t i = 0; i < l->nbroken; i++) {
		free(l->broken[i].file);
		free(l->broken[i].errors);
	}
	free(l->broken);
	memset(l, 0, sizeof *l);
}

static int dag_summaries(struct store *s, struct query_dag_list *out, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT d.dag_id, d.schedule, d.timezone, d.paused, d.active, d.next_run,"
		" d.file, coalesce(d.errors, f.errors), d.description,"
		" (SELECT state FROM runs r WHERE r.dag_id=d.dag_id ORDER BY logical_date DESC LIMIT 1),"
		" (SELECT logical_date FROM runs r WHERE r.dag_id=d.dag_id ORDER BY logical_date DESC LIMIT 1),"
		" json_array_length(d.tasks)"
		" FROM dags d LEFT JOIN dag_files f ON f.file=d.file ORDER BY d.dag_id";
	const char *what = "the DAG list";
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->dags, &cap, out->ndags, sizeof *out->dags)) {
			oom = true;
			break;
		}
		struct query_dag_summary *d = &out->dags[out->ndags++];
		memset(d, 0, sizeof *d);
		d->dag_id = q_text(st, 0, &oom);
		d->schedule = q_text(st, 1, &oom);
		d->timezone = q_text(st, 2, &oom);
		d->paused = sqlite3_column_int(st, 3) != 0;
		d->active = sqlite3_column_int(st, 4) != 0;
		d->next_run = sqlite3_column_int64(st, 5);
		d->file = q_text(st, 6, &oom);
		d->errors = q_text(st, 7, &oom);
		d->description = q_text(st, 8, &oom);
		d->last_state = q_text(st, 9, &oom);
		d->last_logical_date = (time_t)sqlite3_column_int64(st, 10);
		d->ntasks = sqlite3_column_int(st, 11);
		if (!d->dag_id || !d->schedule || !d->timezone || !d->file)
			oom = true;
		if (oom)
			break;
	}
	if (oom)
		return q_oom(s, st, what, err, errlen);
	if (rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

static int broken_files(struct store *s, struct query_dag_list *out, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT file, errors FROM dag_files WHERE errors IS NOT NULL AND"
		" (dag_id IS NULL OR dag_id NOT IN (SELECT dag_id FROM dags)) ORDER BY file";
	const char *what = "the dag_files table";
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->broken, &cap, out->nbroken, sizeof *out->broken)) {
			oom = true;
			break;
		}
		struct query_broken_file *b = &out->broken[out->nbroken++];
		b->file = q_text(st, 0, &oom);
		b->errors = q_text(st, 1, &oom);
		if (oom || !b->file) {
			oom = true;
			break;
		}
	}
	if (oom)
		return q_oom(s, st, what, err, errlen);
	if (rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

int query_dags(struct store *s, struct query_dag_list *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	int rc = dag_summaries(s, out, err, errlen);
	if (rc == Q_OK)
		rc = broken_files(s, out, err, errlen);
	if (rc != Q_OK)
		query_dag_list_free(out);
	return rc;
}

/* ---- runs */

#define RUN_NCOLUMNS 11	/* columns after these are the caller's */
#define RUN_COLUMNS "id, run_id, logical_date, interval_end, run_type, state, created_us," \
	" started_us, ended_us, backfill_id, coalesce(version, 0)"

static void run_read(sqlite3_stmt *st, struct query_run *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	q_copy(r->run_id, sizeof r->run_id, st, 1);
	r->logical_date = (time_t)sqlite3_column_int64(st, 2);
	r->interval_end = (time_t)sqlite3_column_int64(st, 3);
	q_copy(r->type, sizeof r->type, st, 4);
	q_copy(r->state, sizeof r->state, st, 5);
	r->created_us = sqlite3_column_int64(st, 6);
	r->started_us = sqlite3_column_int64(st, 7);
	r->ended_us = sqlite3_column_int64(st, 8);
	r->backfill_id = sqlite3_column_int64(st, 9);
	r->version = sqlite3_column_int64(st, 10);
}

/* Steps a bound statement expected to give at most one run. */
static int run_one(struct store *s, sqlite3_stmt *st, struct query_run *out, const char *what,
		   const char *notfound, char *err, size_t errlen)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		run_read(st, out);
		sqlite3_reset(st);
		return Q_OK;
	}
	if (rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	snprintf(err, errlen, "%s", notfound);
	return Q_NOTFOUND;
}

void query_runs_free(struct query_runs *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

int query_runs(struct store *s, const char *dag_id, const char *state, long limit,
	       struct query_runs *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE dag_id=?1"
				  " AND (?2 IS NULL OR state=?2) ORDER BY logical_date DESC LIMIT ?3";
	char what[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || !q_bind_text(st, 2, state) ||
	    !q_bind_i64(st, 3, limit > 0 ? limit : -1))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			query_runs_free(out);
			return q_oom(s, st, what, err, errlen);
		}
		run_read(st, &out->v[out->n++]);
	}
	if (rc != SQLITE_DONE) {
		query_runs_free(out);
		return q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

int query_runs_upto(struct store *s, const char *dag_id, time_t upto, long limit,
		    struct query_runs *out, char *err, size_t errlen)
{
	return query_runs_in(s, dag_id, INT64_MIN, (int64_t)upto + 1, limit, out, err, errlen);
}

int query_runs_in(struct store *s, const char *dag_id, int64_t from, int64_t to, long limit,
		  struct query_runs *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE dag_id=?1"
				  " AND logical_date>=?4 AND logical_date<?2"
				  " ORDER BY logical_date DESC LIMIT ?3";
	char what[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || !q_bind_i64(st, 2, to) ||
	    !q_bind_i64(st, 3, limit > 0 ? limit : -1) || !q_bind_i64(st, 4, from))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			query_runs_free(out);
			return q_oom(s, st, what, err, errlen);
		}
		run_read(st, &out->v[out->n++]);
	}
	if (rc != SQLITE_DONE) {
		query_runs_free(out);
		return q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

int query_run_latest(struct store *s, const char *dag_id, struct query_run *out, char *err,
		     size_t errlen)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE dag_id=?"
				  " ORDER BY logical_date DESC LIMIT 1";
	char what[300], nf[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	snprintf(nf, sizeof nf, "DAG %s has no runs", dag_id);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id))
		return q_fail(s, st, what, err, errlen);
	return run_one(s, st, out, what, nf, err, errlen);
}

int query_run_between(struct store *s, const char *dag_id, time_t from, time_t to,
		      struct query_run *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE dag_id=? AND"
				  " logical_date>=? AND logical_date<? ORDER BY logical_date LIMIT 1";
	char what[300], nf[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	snprintf(nf, sizeof nf, "DAG %s has no run in that interval", dag_id);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || !q_bind_i64(st, 2, from) || !q_bind_i64(st, 3, to))
		return q_fail(s, st, what, err, errlen);
	return run_one(s, st, out, what, nf, err, errlen);
}

int query_run_at(struct store *s, const char *dag_id, time_t logical_date, struct query_run *out,
		 char *err, size_t errlen)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE dag_id=? AND logical_date=?";
	char what[300], nf[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	snprintf(nf, sizeof nf, "DAG %s has no run of logical date %lld", dag_id,
		 (long long)logical_date);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || !q_bind_i64(st, 2, logical_date))
		return q_fail(s, st, what, err, errlen);
	return run_one(s, st, out, what, nf, err, errlen);
}

int query_run_resolve(struct store *s, const char *dag_id, const char *run_id, time_t from,
		      time_t to, struct query_run *out, char *err, size_t errlen)
{
	if (run_id)
		return query_run_by_run_id(s, dag_id, run_id, out, NULL, err, errlen);
	if (from == 0 && to == 0)
		return query_run_latest(s, dag_id, out, err, errlen);
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE dag_id=? AND"
				  " logical_date>=? AND logical_date<? ORDER BY logical_date LIMIT 11";
	char what[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || !q_bind_i64(st, 2, from) || !q_bind_i64(st, 3, to))
		return q_fail(s, st, what, err, errlen);
	int n = 0, rc;
	char list[1024] = "";
	size_t used = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct query_run r;
		run_read(st, &r);
		if (n == 0)
			*out = r;
		if (n < 10 && used < sizeof list) {
			int w = snprintf(list + used, sizeof list - used, "%s%s", n ? ", " : "", r.run_id);
			used += w > 0 ? (size_t)w : 0;
		}
		n++;
	}
	if (rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	if (n == 0) {
		snprintf(err, errlen, "DAG %s has no run at that logical date", dag_id);
		return Q_NOTFOUND;
	}
	if (n == 1)
		return Q_OK;
	snprintf(err, errlen, "DAG %s has %s%d runs at that date: %s%s; name one by its run id",
		 dag_id, n > 10 ? "more than " : "", n > 10 ? 10 : n, list, n > 10 ? ", ..." : "");
	return Q_AMBIGUOUS;
}

int query_run_by_id(struct store *s, int64_t id, struct query_run *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT " RUN_COLUMNS " FROM runs WHERE id=?";
	char what[64], nf[64];
	snprintf(what, sizeof what, "run %lld", (long long)id);
	snprintf(nf, sizeof nf, "no run %lld", (long long)id);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, id))
		return q_fail(s, st, what, err, errlen);
	return run_one(s, st, out, what, nf, err, errlen);
}

int query_run_by_run_id(struct store *s, const char *dag_id, const char *run_id,
			struct query_run *out, char **dag_out, char *err, size_t errlen)
{
	/* In any DAG: no index on run_id alone, a scan of the runs, fine for a
	 * person's question. In one DAG: through UNIQUE(dag_id, run_id), so the
	 * REST API's every call on a run costs the same whatever the history. */
	static const char sql_any[] = "SELECT " RUN_COLUMNS ", dag_id FROM runs WHERE run_id=?1 AND"
				      " ?2 IS NULL ORDER BY dag_id LIMIT 2";
	static const char sql_dag[] = "SELECT " RUN_COLUMNS ", dag_id FROM runs WHERE run_id=?1 AND"
				      " dag_id=?2 LIMIT 2";
	const char *sql = dag_id ? sql_dag : sql_any;
	char what[300];
	snprintf(what, sizeof what, "the run %s", run_id);
	if (dag_out)
		*dag_out = NULL;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, run_id) || !q_bind_text(st, 2, dag_id))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		if (dag_id)
			snprintf(err, errlen, "DAG %s has no run '%s'", dag_id, run_id);
		else
			snprintf(err, errlen, "no DAG has a run '%s'", run_id);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	run_read(st, out);
	bool oom = false;
	char *dag = q_text(st, RUN_NCOLUMNS, &oom);
	if (!dag)
		return q_oom(s, st, what, err, errlen);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *other = sqlite3_column_text(st, RUN_NCOLUMNS);
		snprintf(err, errlen, "run '%s' exists in DAG %s and DAG %s; name the DAG", run_id,
			 dag, other ? (const char *)other : "?");
		free(dag);
		sqlite3_reset(st);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_DONE) {
		free(dag);
		return q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	if (dag_out)
		*dag_out = dag;
	else
		free(dag);
	return Q_OK;
}

int query_run_dates_near(struct store *s, const char *dag_id, time_t t, time_t dates[6],
			 size_t *n, char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT logical_date FROM (SELECT logical_date FROM runs WHERE dag_id=?1 AND"
		" logical_date<?2 ORDER BY logical_date DESC LIMIT 3) UNION ALL"
		" SELECT logical_date FROM (SELECT logical_date FROM runs WHERE dag_id=?1 AND"
		" logical_date>=?2 ORDER BY logical_date LIMIT 3) ORDER BY 1";
	char what[300];
	snprintf(what, sizeof what, "the runs of %s", dag_id);
	*n = 0;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || !q_bind_i64(st, 2, t))
		return q_fail(s, st, what, err, errlen);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (*n < 6)
			dates[(*n)++] = (time_t)sqlite3_column_int64(st, 0);
	if (rc != SQLITE_DONE) {
		*n = 0;
		return q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

/* One row of integers from a bound statement (an aggregate always has one). */
static int q_ints(struct store *s, sqlite3_stmt *st, int *v, int nv, const char *what, char *err,
		  size_t errlen)
{
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	for (int i = 0; i < nv; i++)
		v[i] = sqlite3_column_int(st, i);
	rc = sqlite3_step(st);
	if (rc != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

int query_run_finished_tasks(struct store *s, int64_t run, int *n, char *err, size_t errlen)
{
	/* Tasks, not mapped instances ("task[i]": a task id has no '['): a mapped
	 * task counts once, when it has settled. */
	static const char sql[] = "SELECT count(*) FROM task_instances WHERE run=? AND state IN"
				  " ('success','failed','upstream_failed','skipped') AND instr(task_id, '[') = 0";
	char what[64];
	snprintf(what, sizeof what, "the task instances of run %lld", (long long)run);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, run))
		return q_fail(s, st, what, err, errlen);
	return q_ints(s, st, n, 1, what, err, errlen);
}

int query_backfill_progress(struct store *s, int64_t backfill_id,
			    struct query_backfill_progress *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT count(*), total(state='success'), total(state='failed'),"
				  " total(state='running') FROM runs WHERE backfill_id=?";
	char what[64];
	snprintf(what, sizeof what, "the runs of backfill %lld", (long long)backfill_id);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, backfill_id))
		return q_fail(s, st, what, err, errlen);
	int v[4];
	int rc = q_ints(s, st, v, 4, what, err, errlen);
	if (rc == Q_OK)
		*out = (struct query_backfill_progress){ v[0], v[1], v[2], v[3] };
	return rc;
}

/* ---- task instances and tries */

void query_tis_free(struct query_tis *t)
{
	for (size_t i = 0; i < t->n; i++) {
		struct query_ti *ti = &t->v[i];
		free(ti->task_id);
		free(ti->state);
		free(ti->result);
		free(ti->log_path);
		free(ti->cause);
		free(ti->try_cause);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}

/* The length of the task id of a row whose map_index tis_read set (an
 * instance's '[' is its last: task ids hold none). */
static size_t ti_task_len(const struct query_ti *t)
{
	const char *b = t->map_index >= 0 ? strrchr(t->task_id, '[') : NULL;
	return b ? (size_t)(b - t->task_id) : strlen(t->task_id);
}

/* map_name_compare's order on rows already parsed: the sort of a run of
 * 2,000 instances parses no name again (it was the grid's hottest part). */
static int tis_by_name(const void *a, const void *b)
{
	const struct query_ti *x = a, *y = b;
	size_t lx = ti_task_len(x), ly = ti_task_len(y);
	int c = memcmp(x->task_id, y->task_id, lx < ly ? lx : ly);
	if (c != 0)
		return c;
	if (lx != ly)
		return lx < ly ? -1 : 1;
	return (x->map_index > y->map_index) - (x->map_index < y->map_index);
}

struct tis_key {
	long pos;		/* the task's index in the DAG; ntasks + rank for unknown tasks */
	struct query_ti ti;
};

static int tis_by_key(const void *a, const void *b)
{
	const struct tis_key *x = a, *y = b;
	if (x->pos != y->pos)
		return x->pos < y->pos ? -1 : 1;
	return tis_by_name(&x->ti, &y->ti);
}

struct tis_task {
	const char *id;
	long pos;
};

static int tis_task_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tis_task *)a)->id, ((const struct tis_task *)b)->id);
}

/* The position of task name[0..len) in v (n tasks by id), -1 if none. */
static long tis_task_find(const struct tis_task *v, size_t n, const char *name, size_t len)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strncmp(name, v[mid].id, len);
		if (c == 0)
			c = v[mid].id[len] == '\0' ? 0 : -1;	/* name is a prefix: it sorts first */
		if (c == 0)
			return v[mid].pos;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return -1;
}

void query_tis_sort_dag(const struct query_dag *d, struct query_tis *t)
{
	if (t->n < 2)
		return;
	/* The DAG's tasks by id, searched once per task of t: t is in name
	 * order (tis_read), so a task's instances are contiguous. A run of
	 * 2,000 static tasks costs 2,000 searches of log2(2,000) compares, not
	 * 2,000 scans of the task list. Unknown tasks keep their name order
	 * after d's. */
	struct tis_task *tasks = xmalloc((d->ntasks ? d->ntasks : 1) * sizeof *tasks);
	for (size_t i = 0; i < d->ntasks; i++)
		tasks[i] = (struct tis_task){ d->tasks[i].id, (long)i };
	qsort(tasks, d->ntasks, sizeof *tasks, tis_task_cmp);
	struct tis_key *k = xmalloc(t->n * sizeof *k);
	const char *prev = NULL;
	size_t prev_len = 0;
	long pos = -1;
	for (size_t i = 0; i < t->n; i++) {
		size_t len = ti_task_len(&t->v[i]);
		if (!prev || len != prev_len || strncmp(prev, t->v[i].task_id, len) != 0) {
			pos = tis_task_find(tasks, d->ntasks, t->v[i].task_id, len);
			if (pos < 0)
				pos = (long)(d->ntasks + i);
			prev = t->v[i].task_id;
			prev_len = len;
		}
		k[i].pos = pos;
		k[i].ti = t->v[i];
	}
	qsort(k, t->n, sizeof *k, tis_by_key);
	for (size_t i = 0; i < t->n; i++)
		t->v[i] = k[i].ti;
	free(k);
	free(tasks);
}

static int tis_read(struct store *s, const char *sql, bool full, int64_t run, struct query_tis *out,
		    char *err, size_t errlen)
{
	char what[64];
	snprintf(what, sizeof what, "the task instances of run %lld", (long long)run);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, run))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_ti *ti = &out->v[out->n++];
		memset(ti, 0, sizeof *ti);
		ti->task_id = q_text(st, 0, &oom);
		ti->state = q_text(st, 1, &oom);
		if (!ti->task_id || !ti->state)
			oom = true;
		else
			ti->map_index = map_name_index(ti->task_id);
		if (full && !oom) {
			ti->try_number = sqlite3_column_int(st, 2);
			ti->max_tries = sqlite3_column_int(st, 3);
			ti->started_us = sqlite3_column_int64(st, 4);
			ti->ended_us = sqlite3_column_int64(st, 5);
			ti->has_exit = sqlite3_column_type(st, 6) != SQLITE_NULL;
			ti->exit_code = sqlite3_column_int(st, 6);
			ti->result = q_text(st, 7, &oom);
			ti->restarts = sqlite3_column_int(st, 8);
			ti->log_path = q_text(st, 9, &oom);
			ti->try_cause = q_text(st, 10, &oom);
			ti->signal = sqlite3_column_int(st, 11);
			ti->cause = q_text(st, 12, &oom);
			ti->tries_before = sqlite3_column_int(st, 13);
			if (ti->tries_before > ti->try_number)
				ti->tries_before = 0;
			if (!ti->cause && ti->try_cause && !(ti->cause = strdup(ti->try_cause)))
				oom = true;
		}
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_tis_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	/* SQL's order of names puts x[10] before x[2] and x-a between x and
	 * x[0]: the order is the mapping's (query.h). */
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, tis_by_name);
	return Q_OK;
}

int query_sensor_pokes(const char *log_path)
{
	if (!log_path || !log_path[0])
		return -1;
	FILE *f = fopen(log_path, "r");
	if (!f)
		return -1;
	/* A line is "<ISO time> poke <path>: <outcome>". */
	int n = 0;
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0) {
		const char *sp = strchr(line, ' ');
		if (sp && strncmp(sp + 1, "poke ", 5) == 0)
			n++;
	}
	bool bad = ferror(f);
	free(line);
	fclose(f);
	return bad ? -1 : n;
}

int query_task_instances(struct store *s, int64_t run, struct query_tis *out, char *err,
			 size_t errlen)
{
	/* The latest event of each instance, and its latest clear, come from
	 * one pass over the run's own events (events_by_run), grouped by task:
	 * the cost is the run's events once, not once per task instance (a
	 * 200-task run read per instance cost 50 ms; bench_web_api). */
	static const char sql[] =
		"WITH last AS (SELECT task_id, max(id) AS id FROM events WHERE run=?1 AND"
		"  task_id IS NOT NULL GROUP BY task_id),"
		/* Tries before the latest clear: the try number its event carries
		 * (a clear is the only way back to none or to restarting). */
		" clr AS (SELECT task_id, max(id) AS id FROM events WHERE run=?1 AND"
		"  task_id IS NOT NULL AND new_state IN ('none','restarting') AND old_state IS NOT NULL"
		"  GROUP BY task_id)"
		" SELECT t.task_id, t.state, t.try_number, t.max_tries, t.started_us, t.ended_us,"
		" t.exit_code, t.result, t.restarts, t.log_path, y.cause, y.signal, le.cause,"
		" coalesce(ce.try_number, 0)"
		" FROM task_instances t LEFT JOIN tries y ON y.run=t.run AND y.task_id=t.task_id"
		" AND y.try_number=t.try_number"
		" LEFT JOIN last l ON l.task_id=t.task_id LEFT JOIN events le ON le.id=l.id"
		" LEFT JOIN clr c ON c.task_id=t.task_id LEFT JOIN events ce ON ce.id=c.id"
		" WHERE t.run=?1 ORDER BY t.task_id";
	return tis_read(s, sql, true, run, out, err, errlen);
}

int query_ti_states(struct store *s, int64_t run, struct query_tis *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT task_id, state FROM task_instances WHERE run=?";
	return tis_read(s, sql, false, run, out, err, errlen);
}

void query_try_free(struct query_try *t)
{
	free(t->log_path);
	memset(t, 0, sizeof *t);
}

int query_try(struct store *s, int64_t run, const char *task_id, int try_number,
	      struct query_try *out, char *err, size_t errlen)
{
	static const char sql[] = "SELECT try_number, state, ended_us IS NOT NULL, log_path FROM tries"
				  " WHERE run=?1 AND task_id=?2 AND (?3=0 OR try_number=?3)"
				  " ORDER BY try_number DESC LIMIT 1";
	char what[300];
	snprintf(what, sizeof what, "the tries of task %s in run %lld", task_id, (long long)run);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, run) || !q_bind_text(st, 2, task_id) || !q_bind_i64(st, 3, try_number))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		if (try_number)
			snprintf(err, errlen, "task %s has no try %d", task_id, try_number);
		else
			snprintf(err, errlen, "task %s has not run yet", task_id);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	bool oom = false;
	out->try_number = sqlite3_column_int(st, 0);
	q_copy(out->state, sizeof out->state, st, 1);
	out->ended = sqlite3_column_int(st, 2) != 0;
	out->log_path = q_text(st, 3, &oom);
	if (oom)
		return q_oom(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

/* ---- events */

void query_events_free(struct query_events *e)
{
	for (size_t i = 0; i < e->n; i++) {
		struct query_event *ev = &e->v[i];
		free(ev->dag_id);
		free(ev->run_id);
		free(ev->task_id);
		free(ev->old_state);
		free(ev->new_state);
		free(ev->cause);
		free(ev->actor);
	}
	free(e->v);
	memset(e, 0, sizeof *e);
}

#define EVENT_SELECT "SELECT e.id, e.at_us, e.dag_id, e.run, r.run_id, e.task_id, e.try_number," \
	" e.old_state, e.new_state, e.cause, e.actor FROM events e LEFT JOIN runs r ON r.id=e.run"

int query_events(struct store *s, const struct query_event_filter *f, struct query_events *out,
		 char *err, size_t errlen)
{
	/* Newest first so that LIMIT takes the newest N; reversed below. With a
	 * run, events_by_run bounds the scan to that run's events; otherwise the
	 * scan walks ids down from the newest (after_id bounds it when
	 * following), so listing N events costs N rows plus those skipped. */
	static const char by_run[] = EVENT_SELECT " WHERE e.run=?1 AND e.id>?2 AND"
				     " (?3 IS NULL OR e.dag_id=?3) AND (?4 IS NULL OR e.task_id=?4 OR"
				     " ?6=1 AND substr(e.task_id,1,length(?4)+1)=?4||'[')"
				     " ORDER BY e.id DESC LIMIT ?5";
	static const char by_id[] = EVENT_SELECT " WHERE ?1=0 AND e.id>?2 AND"
				    " (?3 IS NULL OR e.dag_id=?3) AND (?4 IS NULL OR e.task_id=?4 OR"
				    " ?6=1 AND substr(e.task_id,1,length(?4)+1)=?4||'[')"
				    " ORDER BY e.id DESC LIMIT ?5";
	const char *what = "the events table";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, f->run > 0 ? by_run : by_id, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, f->run > 0 ? f->run : 0) || !q_bind_i64(st, 2, f->after_id) ||
	    !q_bind_text(st, 3, f->dag_id) || !q_bind_text(st, 4, f->task_id) ||
	    !q_bind_i64(st, 5, f->last > 0 ? f->last : -1) || !q_bind_i64(st, 6, f->task_instances))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_event *ev = &out->v[out->n++];
		memset(ev, 0, sizeof *ev);
		ev->id = sqlite3_column_int64(st, 0);
		ev->at_us = sqlite3_column_int64(st, 1);
		ev->dag_id = q_text(st, 2, &oom);
		ev->run = sqlite3_column_int64(st, 3);
		ev->run_id = q_text(st, 4, &oom);
		ev->task_id = q_text(st, 5, &oom);
		ev->try_number = sqlite3_column_int(st, 6);
		ev->old_state = q_text(st, 7, &oom);
		ev->new_state = q_text(st, 8, &oom);
		ev->cause = q_text(st, 9, &oom);
		ev->actor = q_text(st, 10, &oom);
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_events_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	for (size_t i = 0; i < out->n / 2; i++) {	/* oldest first */
		struct query_event t = out->v[i];
		out->v[i] = out->v[out->n - 1 - i];
		out->v[out->n - 1 - i] = t;
	}
	return Q_OK;
}

int query_events_last_id(struct store *s, int64_t *id, char *err, size_t errlen)
{
	static const char sql[] = "SELECT coalesce(max(id), 0) FROM events";
	const char *what = "the events table";
	*id = 0;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	int rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	*id = sqlite3_column_int64(st, 0);
	if (sqlite3_step(st) != SQLITE_DONE)
		return q_fail(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

/* ---- pages for the REST API. The order is part of the SQL text, and each
 * statement is cached by its literal's address, so every (scope, order,
 * direction) has its own literal below: a page is one indexed scan that
 * stops after offset + limit rows (ordered by logical date within one DAG,
 * the (dag_id, logical_date) index gives the order), and the total is one
 * count over the same filters. */

#define RP_REST                                                                                    \
	" AND (?2 IS NULL OR state IN (SELECT value FROM json_each(?2)))"                          \
	" AND logical_date BETWEEN ?3 AND ?4 AND (?5 IS NULL OR started_us>=?5)"                   \
	" AND (?6 IS NULL OR started_us<=?6) AND (?7 IS NULL OR ended_us>=?7)"                     \
	" AND (?8 IS NULL OR ended_us<=?8)"
#define RP_ONE " WHERE dag_id=?1" RP_REST
#define RP_SOME " WHERE dag_id IN (SELECT value FROM json_each(?1))" RP_REST
#define RP_ALL " WHERE ?1 IS NULL" RP_REST
#define RP_SQL(w, o) "SELECT " RUN_COLUMNS ", dag_id, conf, cause FROM runs" w " ORDER BY " o \
	" LIMIT ?9 OFFSET ?10"
#define RP_ORDERS(w)                                                                               \
	{ RP_SQL(w, "logical_date, id"), RP_SQL(w, "logical_date DESC, id DESC") },                \
	{ RP_SQL(w, "started_us, id"), RP_SQL(w, "started_us DESC, id DESC") },                    \
	{ RP_SQL(w, "ended_us, id"), RP_SQL(w, "ended_us DESC, id DESC") },                        \
	{ RP_SQL(w, "state, id"), RP_SQL(w, "state DESC, id DESC") },                              \
	{ RP_SQL(w, "run_id, id"), RP_SQL(w, "run_id DESC, id DESC") },                            \
	{ RP_SQL(w, "dag_id, logical_date, id"), RP_SQL(w, "dag_id DESC, logical_date DESC, id DESC") }

static const char *const run_page_sql[3][QRO__COUNT][2] = {
	{ RP_ORDERS(RP_ONE) }, { RP_ORDERS(RP_SOME) }, { RP_ORDERS(RP_ALL) },
};
static const char *const run_count_sql[3] = {
	"SELECT count(*) FROM runs" RP_ONE,
	"SELECT count(*) FROM runs" RP_SOME,
	"SELECT count(*) FROM runs" RP_ALL,
};

void query_run_filter_init(struct query_run_filter *f)
{
	memset(f, 0, sizeof *f);
	f->ld_gte = f->sd_gte = f->ed_gte = INT64_MIN;
	f->ld_lte = f->sd_lte = f->ed_lte = INT64_MAX;
}

void query_run_page_free(struct query_run_page *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->v[i].dag_id);
		free(p->v[i].conf);
		free(p->v[i].cause);
	}
	free(p->v);
	memset(p, 0, sizeof *p);
}

static bool q_bind_bound(sqlite3_stmt *st, int i, int64_t v)
{
	if (v == INT64_MIN || v == INT64_MAX)
		return sqlite3_bind_null(st, i) == SQLITE_OK;
	return q_bind_i64(st, i, v);
}

/* The single DAG of a one-element array ("[\"x\"]" binds as dag_id=?1 so the
 * index orders the page), else the array itself. */
static int run_scope(const struct query_run_filter *f, json_t **arr, const char **one)
{
	*arr = NULL;
	*one = NULL;
	if (!f->dag_ids_json)
		return 2;
	*arr = json_loads(f->dag_ids_json, 0, NULL);
	if (json_is_array(*arr) && json_array_size(*arr) == 1 && json_is_string(json_array_get(*arr, 0))) {
		*one = json_string_value(json_array_get(*arr, 0));
		return 0;
	}
	return 1;
}

static bool run_bind_filter(sqlite3_stmt *st, const struct query_run_filter *f, const char *one)
{
	return q_bind_text(st, 1, one ? one : f->dag_ids_json) && q_bind_text(st, 2, f->states_json) &&
	       q_bind_i64(st, 3, f->ld_gte) && q_bind_i64(st, 4, f->ld_lte) &&
	       q_bind_bound(st, 5, f->sd_gte) && q_bind_bound(st, 6, f->sd_lte) &&
	       q_bind_bound(st, 7, f->ed_gte) && q_bind_bound(st, 8, f->ed_lte);
}

int query_runs_page(struct store *s, const struct query_run_filter *f, struct query_run_page *out,
		    char *err, size_t errlen)
{
	const char *what = "a page of runs";
	memset(out, 0, sizeof *out);
	if (f->order < 0 || f->order >= QRO__COUNT) {
		snprintf(err, errlen, "%s: no such run order", s->path);
		return Q_ERROR;
	}
	json_t *arr;
	const char *one;
	int scope = run_scope(f, &arr, &one);
	int ret = Q_ERROR;
	sqlite3_stmt *st = q_stmt(s, run_count_sql[scope], what, err, errlen);
	if (!st)
		goto out;
	if (!run_bind_filter(st, f, one)) {
		q_fail(s, st, what, err, errlen);
		goto out;
	}
	if (sqlite3_step(st) != SQLITE_ROW) {
		q_fail(s, st, what, err, errlen);
		goto out;
	}
	out->total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = q_stmt(s, run_page_sql[scope][f->order][f->desc], what, err, errlen);
	if (!st)
		goto out;
	if (!run_bind_filter(st, f, one) || !q_bind_i64(st, 9, f->limit > 0 ? f->limit : -1) ||
	    !q_bind_i64(st, 10, f->offset > 0 ? f->offset : 0)) {
		q_fail(s, st, what, err, errlen);
		goto out;
	}
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_run_row *row = &out->v[out->n++];
		memset(row, 0, sizeof *row);
		run_read(st, &row->r);
		row->dag_id = q_text(st, 11, &oom);
		row->conf = q_text(st, 12, &oom);
		row->cause = q_text(st, 13, &oom);
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_run_page_free(out);
		oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
		goto out;
	}
	sqlite3_reset(st);
	ret = Q_OK;
out:
	json_decref(arr);
	return ret;
}

int query_run_extra(struct store *s, int64_t run, char **conf, char **cause, char *err, size_t errlen)
{
	static const char sql[] = "SELECT conf, cause FROM runs WHERE id=?";
	const char *what = "a run's conf";
	*conf = *cause = NULL;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, run))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		snprintf(err, errlen, "no run %lld", (long long)run);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	bool oom = false;
	*conf = q_text(st, 0, &oom);
	*cause = q_text(st, 1, &oom);
	if (oom) {
		free(*conf);
		free(*cause);
		*conf = *cause = NULL;
		return q_oom(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

#define EP_WHERE                                                                                   \
	" WHERE (?1 IS NULL OR e.dag_id=?1) AND (?2 IS NULL OR e.task_id=?2 OR"                    \
	" ?10=1 AND substr(e.task_id,1,length(?2)+1)=?2||'[')"                                       \
	" AND (?3 IS NULL OR r.run_id=?3) AND (?4 IS NULL OR e.new_state=?4)"                      \
	" AND (?5 IS NULL OR e.actor=?5) AND e.at_us BETWEEN ?6 AND ?7"
#define EP_SQL(o) EVENT_SELECT EP_WHERE " ORDER BY " o " LIMIT ?8 OFFSET ?9"
static const char *const event_page_sql[QEO__COUNT][2] = {
	{ EP_SQL("e.id"), EP_SQL("e.id DESC") },
	{ EP_SQL("e.at_us, e.id"), EP_SQL("e.at_us DESC, e.id DESC") },
	{ EP_SQL("e.dag_id, e.id"), EP_SQL("e.dag_id DESC, e.id DESC") },
	{ EP_SQL("e.task_id, e.id"), EP_SQL("e.task_id DESC, e.id DESC") },
	{ EP_SQL("e.new_state, e.id"), EP_SQL("e.new_state DESC, e.id DESC") },
	{ EP_SQL("e.actor, e.id"), EP_SQL("e.actor DESC, e.id DESC") },
};
static const char event_count_sql[] = "SELECT count(*) FROM events e LEFT JOIN runs r ON r.id=e.run"
				      EP_WHERE;

void query_event_page_free(struct query_event_page *p)
{
	struct query_events e = { p->v, p->n };
	query_events_free(&e);
	memset(p, 0, sizeof *p);
}

static bool event_bind_filter(sqlite3_stmt *st, const struct query_event_page_filter *f)
{
	return q_bind_text(st, 1, f->dag_id) && q_bind_text(st, 2, f->task_id) &&
	       q_bind_text(st, 3, f->run_id) && q_bind_text(st, 4, f->event) &&
	       q_bind_text(st, 5, f->owner) && q_bind_i64(st, 6, f->after_us) &&
	       q_bind_i64(st, 7, f->before_us) && q_bind_i64(st, 10, f->task_instances);
}

int query_events_page(struct store *s, const struct query_event_page_filter *f,
		      struct query_event_page *out, char *err, size_t errlen)
{
	const char *what = "a page of events";
	memset(out, 0, sizeof *out);
	if (f->order < 0 || f->order >= QEO__COUNT) {
		snprintf(err, errlen, "%s: no such event order", s->path);
		return Q_ERROR;
	}
	sqlite3_stmt *st = q_stmt(s, event_count_sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!event_bind_filter(st, f) || sqlite3_step(st) != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	out->total = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	st = q_stmt(s, event_page_sql[f->order][f->desc], what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!event_bind_filter(st, f) || !q_bind_i64(st, 8, f->limit > 0 ? f->limit : -1) ||
	    !q_bind_i64(st, 9, f->offset > 0 ? f->offset : 0))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_event *ev = &out->v[out->n++];
		memset(ev, 0, sizeof *ev);
		ev->id = sqlite3_column_int64(st, 0);
		ev->at_us = sqlite3_column_int64(st, 1);
		ev->dag_id = q_text(st, 2, &oom);
		ev->run = sqlite3_column_int64(st, 3);
		ev->run_id = q_text(st, 4, &oom);
		ev->task_id = q_text(st, 5, &oom);
		ev->try_number = sqlite3_column_int(st, 6);
		ev->old_state = q_text(st, 7, &oom);
		ev->new_state = q_text(st, 8, &oom);
		ev->cause = q_text(st, 9, &oom);
		ev->actor = q_text(st, 10, &oom);
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_event_page_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

void query_notifications_free(struct query_notifications *n)
{
	for (size_t i = 0; i < n->n; i++) {
		struct query_notification *x = &n->v[i];
		free(x->key);
		free(x->event);
		free(x->dag_id);
		free(x->run_id);
		free(x->task_id);
		free(x->channel);
		free(x->state);
		free(x->last_error);
	}
	free(n->v);
	memset(n, 0, sizeof *n);
}

int query_notifications(struct store *s, const struct query_notification_filter *f,
			struct query_notifications *out, char *err, size_t errlen)
{
	/* Newest first: the id walks down, LIMIT stops it after N (with a state
	 * filter, notifications_due gives that state's rows). */
	static const char sql[] =
		"SELECT n.id, n.created_us, n.next_attempt_us, coalesce(n.done_us, 0), n.key, n.event, n.dag_id,"
		" r.run_id, n.task_id, coalesce(n.try_number, 0), json_extract(n.channel, '$.type'), n.state,"
		" n.last_error, n.attempts FROM notifications n LEFT JOIN runs r ON r.id=n.run"
		" WHERE (?1 IS NULL OR n.dag_id=?1) AND (?2=0 AND ?3=0 OR ?2=1 AND n.state='given_up'"
		" OR ?3=1 AND n.state='pending') ORDER BY n.id DESC LIMIT ?4";
	static const char depth[] =
		"SELECT state, count(*) FROM notifications WHERE state IN ('pending', 'given_up')"
		" AND (?1 IS NULL OR dag_id=?1) GROUP BY state";
	const char *what = "the notifications table";
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, f->dag_id) || !q_bind_i64(st, 2, f->failed) || !q_bind_i64(st, 3, f->pending) ||
	    !q_bind_i64(st, 4, f->last > 0 ? f->last : -1))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_notification *x = &out->v[out->n++];
		memset(x, 0, sizeof *x);
		x->id = sqlite3_column_int64(st, 0);
		x->created_us = sqlite3_column_int64(st, 1);
		x->next_attempt_us = sqlite3_column_int64(st, 2);
		x->done_us = sqlite3_column_int64(st, 3);
		x->key = q_text(st, 4, &oom);
		x->event = q_text(st, 5, &oom);
		x->dag_id = q_text(st, 6, &oom);
		x->run_id = q_text(st, 7, &oom);
		x->task_id = q_text(st, 8, &oom);
		x->try_number = sqlite3_column_int(st, 9);
		x->channel = q_text(st, 10, &oom);
		x->state = q_text(st, 11, &oom);
		x->last_error = q_text(st, 12, &oom);
		x->attempts = sqlite3_column_int(st, 13);
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_notifications_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	if (!(st = q_stmt(s, depth, what, err, errlen)))
		goto fail;
	if (!q_bind_text(st, 1, f->dag_id)) {
		q_fail(s, st, what, err, errlen);
		goto fail;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *state = (const char *)sqlite3_column_text(st, 0);
		*(state && !strcmp(state, "pending") ? &out->pending : &out->given_up) = sqlite3_column_int64(st, 1);
	}
	if (rc != SQLITE_DONE) {
		q_fail(s, st, what, err, errlen);
		goto fail;
	}
	sqlite3_reset(st);
	return Q_OK;
fail:
	query_notifications_free(out);
	return Q_ERROR;
}

/* ---- the web UI's reads (ui-web/ui.c) */

int query_grid_cells(struct store *s, int64_t run, struct query_tis *out, char *err, size_t errlen)
{
	/* The current try through the tries primary key, no events: the grid
	 * reads 25 runs of 200 tasks on every poll. */
	static const char sql[] =
		"SELECT t.task_id, t.state, t.try_number, t.max_tries, t.started_us, t.ended_us,"
		" NULL, NULL, t.restarts, NULL, y.cause, y.signal, NULL, 0"
		" FROM task_instances t LEFT JOIN tries y ON y.run=t.run AND y.task_id=t.task_id"
		" AND y.try_number=t.try_number WHERE t.run=?";
	return tis_read(s, sql, true, run, out, err, errlen);
}

void query_tries_free(struct query_tries *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].cause);
		free(t->v[i].result);
		free(t->v[i].executor);
	}
	free(t->v);
	memset(t, 0, sizeof *t);
}

int query_tries(struct store *s, int64_t run, const char *task_id, struct query_tries *out, char *err,
		size_t errlen)
{
	static const char sql[] =
		"SELECT try_number, state, started_us, ended_us, exit_code, signal, cause, result,"
		" executor FROM tries WHERE run=?1 AND task_id=?2 ORDER BY try_number";
	char what[300];
	snprintf(what, sizeof what, "the tries of task %s in run %lld", task_id, (long long)run);
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, run) || !q_bind_text(st, 2, task_id))
		return q_fail(s, st, what, err, errlen);
	size_t cap = 0;
	int rc;
	bool oom = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			oom = true;
			break;
		}
		struct query_try_row *y = &out->v[out->n++];
		memset(y, 0, sizeof *y);
		y->try_number = sqlite3_column_int(st, 0);
		q_copy(y->state, sizeof y->state, st, 1);
		y->started_us = sqlite3_column_int64(st, 2);
		y->ended_us = sqlite3_column_int64(st, 3);
		y->has_exit = sqlite3_column_type(st, 4) != SQLITE_NULL;
		y->exit_code = sqlite3_column_int(st, 4);
		y->signal = sqlite3_column_int(st, 5);
		y->cause = q_text(st, 6, &oom);
		y->result = q_text(st, 7, &oom);
		y->executor = q_text(st, 8, &oom);
		if (oom)
			break;
	}
	if (oom || rc != SQLITE_DONE) {
		query_tries_free(out);
		return oom ? q_oom(s, st, what, err, errlen) : q_fail(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

int query_run_conf(struct store *s, int64_t run, char **conf, char *err, size_t errlen)
{
	static const char sql[] = "SELECT conf FROM runs WHERE id=?";
	char what[64];
	snprintf(what, sizeof what, "the conf of run %lld", (long long)run);
	*conf = NULL;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, run))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		snprintf(err, errlen, "no run %lld", (long long)run);
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	bool oom = false;
	*conf = q_text(st, 0, &oom);
	if (oom)
		return q_oom(s, st, what, err, errlen);
	sqlite3_reset(st);
	return Q_OK;
}

int query_run_count(struct store *s, const char *dag_id, int64_t *n, char *err, size_t errlen)
{
	static const char sql[] = "SELECT count(*) FROM runs WHERE dag_id=?";
	char what[300];
	snprintf(what, sizeof what, "the number of runs of %s", dag_id);
	*n = 0;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_text(st, 1, dag_id) || sqlite3_step(st) != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return Q_OK;
}

int query_dag_source(struct store *s, const char *dag_id, int64_t version, char **file, char **source,
		     char *err, size_t errlen)
{
	static const char sql[] =
		"SELECT file, source FROM dag_versions WHERE id=coalesce(nullif(?1, 0),"
		" (SELECT version FROM dags WHERE dag_id=?2)) AND dag_id=?2";
	char what[300];
	snprintf(what, sizeof what, "the stored file of %s", dag_id);
	*file = *source = NULL;
	sqlite3_stmt *st = q_stmt(s, sql, what, err, errlen);
	if (!st)
		return Q_ERROR;
	if (!q_bind_i64(st, 1, version) || !q_bind_text(st, 2, dag_id))
		return q_fail(s, st, what, err, errlen);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_reset(st);
		snprintf(err, errlen, "DAG %s has no stored version%s", dag_id, version ? " of that run" : "");
		return Q_NOTFOUND;
	}
	if (rc != SQLITE_ROW)
		return q_fail(s, st, what, err, errlen);
	bool oom = false;
	*file = q_text(st, 0, &oom);
	*source = q_text(st, 1, &oom);
	if (oom || !*file || !*source) {
		free(*file);
		free(*source);
		*file = *source = NULL;
		return q_oom(s, st, what, err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

/* ---- datasets */

static void dataset_event_free(struct query_dataset_event *e)
{
	free(e->dag_id);
	free(e->task_id);
	free(e->run_id);
	free(e->extra);
}

void query_datasets_free(struct query_datasets *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct query_dataset *d = &l->v[i];
		free(d->uri);
		dataset_event_free(&d->last);
		for (size_t k = 0; k < d->nproducers; k++) {
			free(d->producers[k].dag_id);
			free(d->producers[k].task_id);
		}
		free(d->producers);
		for (size_t k = 0; k < d->nconsumers; k++)
			free(d->consumers[k].dag_id);
		free(d->consumers);
		for (size_t k = 0; k < d->nevents_listed; k++)
			dataset_event_free(&d->events[k]);
		free(d->events);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The row's columns from col on: id, at_us, dag_id, task_id, run_id, extra. */
static bool dataset_event_row(sqlite3_stmt *st, int col, struct query_dataset_event *e)
{
	bool oom = false;
	e->id = sqlite3_column_int64(st, col);
	e->at_us = sqlite3_column_int64(st, col + 1);
	e->dag_id = q_text(st, col + 2, &oom);
	e->task_id = q_text(st, col + 3, &oom);
	e->run_id = q_text(st, col + 4, &oom);
	e->extra = q_text(st, col + 5, &oom);
	return !oom;
}

/* [{"dag_id":..,"task_id":..},...] (SQLite built it) into d->producers. */
static bool json_producers(const char *text, struct query_dataset *d)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_array(a)) {
		json_decref(a);
		return text == NULL;
	}
	d->producers = calloc(json_array_size(a) + 1, sizeof *d->producers);
	bool ok = d->producers != NULL;
	for (size_t i = 0; ok && i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		const char *dag = json_string_value(json_object_get(o, "dag_id"));
		const char *task = json_string_value(json_object_get(o, "task_id"));
		if (!dag || !task)
			continue;
		struct query_dataset_producer *p = &d->producers[d->nproducers++];
		p->dag_id = strdup(dag);
		p->task_id = strdup(task);
		ok = p->dag_id && p->task_id;
	}
	json_decref(a);
	return ok;
}

static bool json_consumers(const char *text, struct query_dataset *d)
{
	json_t *a = text ? json_loads(text, 0, NULL) : NULL;
	if (!json_is_array(a)) {
		json_decref(a);
		return text == NULL;
	}
	d->consumers = calloc(json_array_size(a) + 1, sizeof *d->consumers);
	bool ok = d->consumers != NULL;
	for (size_t i = 0; ok && i < json_array_size(a); i++) {
		json_t *o = json_array_get(a, i);
		const char *id = json_string_value(json_object_get(o, "dag_id"));
		if (!id)
			continue;
		struct query_dataset_consumer *c = &d->consumers[d->nconsumers++];
		c->pending = json_is_true(json_object_get(o, "pending"));
		ok = (c->dag_id = strdup(id)) != NULL;
	}
	json_decref(a);
	return ok;
}

int query_datasets(struct store *s, const char *uri, long events, struct query_datasets *out, char *err,
		   size_t errlen)
{
	/* One statement: each source of URIs is a CTE, the answer one row per URI. */
	static const char sql[] =
		"WITH cons AS (SELECT u.value AS uri, d.dag_id, coalesce(c.last_event, 0) AS wm FROM dags d"
		"  JOIN json_each(CASE WHEN json_valid(d.schedule) THEN d.schedule ELSE '{}' END, '$.datasets') u"
		"  LEFT JOIN dataset_consumers c ON c.dag_id = d.dag_id WHERE d.active),"
		" decl AS (SELECT o.value AS uri, d.dag_id, json_extract(t.value, '$.id') AS task_id"
		"  FROM dags d, json_each(d.tasks) t, json_each(t.value, '$.outlets') o"
		"  WHERE d.active AND instr(o.value, '{{') = 0),"
		" seen AS (SELECT DISTINCT uri, dag_id, task_id FROM dataset_events"
		"  WHERE ?1 IS NULL OR uri = ?1),"
		" prod AS (SELECT uri, json_group_array(json_object('dag_id', dag_id, 'task_id', task_id)) AS ps FROM"
		"  (SELECT uri, dag_id, task_id FROM decl UNION SELECT uri, dag_id, task_id FROM seen ORDER BY 1, 2, 3)"
		"  GROUP BY uri),"
		" ev AS (SELECT uri, count(*) AS n, max(id) AS last FROM dataset_events"
		"  WHERE ?1 IS NULL OR uri = ?1 GROUP BY uri),"
		" uris AS (SELECT uri FROM cons UNION SELECT uri FROM prod UNION SELECT uri FROM ev)"
		" SELECT u.uri, coalesce(ev.n, 0), e.id, e.at_us, e.dag_id, e.task_id, r.run_id, e.extra, prod.ps,"
		"  (SELECT json_group_array(json_object('dag_id', c.dag_id, 'pending',"
		"    json(CASE WHEN coalesce(ev.last, 0) > c.wm THEN 'true' ELSE 'false' END)))"
		"   FROM cons c WHERE c.uri = u.uri)"
		" FROM uris u LEFT JOIN ev ON ev.uri = u.uri LEFT JOIN dataset_events e ON e.id = ev.last"
		" LEFT JOIN runs r ON r.id = e.run LEFT JOIN prod ON prod.uri = u.uri"
		" WHERE ?1 IS NULL OR u.uri = ?1 ORDER BY u.uri";
	static const char hist[] =
		"SELECT e.id, e.at_us, e.dag_id, e.task_id, r.run_id, e.extra FROM dataset_events e"
		" LEFT JOIN runs r ON r.id = e.run WHERE e.uri = ?1 ORDER BY e.id DESC LIMIT ?2";
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	sqlite3_stmt *st = q_stmt(s, sql, "datasets", err, errlen);
	if (!st || !q_bind_text(st, 1, uri))
		return st ? q_fail(s, st, "datasets", err, errlen) : Q_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			query_datasets_free(out);
			return q_oom(s, st, "datasets", err, errlen);
		}
		struct query_dataset *d = &out->v[out->n++];
		memset(d, 0, sizeof *d);
		bool oom = false;
		d->uri = q_text(st, 0, &oom);
		d->nevents = sqlite3_column_int64(st, 1);
		if (sqlite3_column_type(st, 2) != SQLITE_NULL && !dataset_event_row(st, 2, &d->last))
			oom = true;
		if (oom || !d->uri || !json_producers((const char *)sqlite3_column_text(st, 8), d) ||
		    !json_consumers((const char *)sqlite3_column_text(st, 9), d)) {
			query_datasets_free(out);
			return q_oom(s, st, "datasets", err, errlen);
		}
	}
	if (rc != SQLITE_DONE) {
		query_datasets_free(out);
		return q_fail(s, st, "datasets", err, errlen);
	}
	sqlite3_reset(st);
	if (uri && out->n == 0) {
		snprintf(err, errlen, "no dataset '%s' (no event, no literal outlet, no DAG scheduled on it)", uri);
		return Q_NOTFOUND;
	}
	if (!uri || events <= 0)
		return Q_OK;
	struct query_dataset *d = &out->v[0];
	size_t ecap = 0;
	if (!(st = q_stmt(s, hist, "dataset events", err, errlen))) {
		query_datasets_free(out);
		return Q_ERROR;
	}
	if (!q_bind_text(st, 1, uri) || !q_bind_i64(st, 2, events)) {
		query_datasets_free(out);
		return q_fail(s, st, "dataset events", err, errlen);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&d->events, &ecap, d->nevents_listed, sizeof *d->events)) {
			query_datasets_free(out);
			return q_oom(s, st, "dataset events", err, errlen);
		}
		struct query_dataset_event *e = &d->events[d->nevents_listed++];
		memset(e, 0, sizeof *e);
		if (!dataset_event_row(st, 0, e)) {
			query_datasets_free(out);
			return q_oom(s, st, "dataset events", err, errlen);
		}
	}
	if (rc != SQLITE_DONE) {
		query_datasets_free(out);
		return q_fail(s, st, "dataset events", err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

/* ---- pools */

int query_pools(struct store *s, struct query_pools *out, char *err, size_t errlen)
{
	static const char sql[] =
		"WITH tp AS (SELECT d.dag_id, json_extract(t.value, '$.id') AS task_id,"
		"  json_extract(t.value, '$.pool') AS pool, coalesce(json_extract(t.value, '$.pool_slots'), 1) AS n"
		"  FROM dags d, json_each(d.tasks) t WHERE d.active AND json_extract(t.value, '$.pool') IS NOT NULL),"
		" used AS (SELECT tp.pool,"
		"  sum(CASE WHEN ti.state = 'queued' THEN 0 ELSE tp.n END) AS running,"
		"  sum(CASE WHEN ti.state = 'queued' THEN tp.n ELSE 0 END) AS queued"
		"  FROM tp JOIN runs r ON r.dag_id = tp.dag_id"
		"  JOIN task_instances ti ON ti.run = r.id AND ti.task_id = tp.task_id"
		"  WHERE ti.state IN ('queued', 'running', 'restarting') GROUP BY tp.pool)"
		" SELECT p.name, p.slots, p.description, coalesce(u.running, 0), coalesce(u.queued, 0), 0"
		" FROM pools p LEFT JOIN used u ON u.pool = p.name"
		" UNION ALL SELECT DISTINCT tp.pool, 0, NULL, 0, 0, 1 FROM tp"
		"  WHERE tp.pool NOT IN (SELECT name FROM pools) ORDER BY 1";
	memset(out, 0, sizeof *out);
	size_t cap = 0;
	sqlite3_stmt *st = q_stmt(s, sql, "pools", err, errlen);
	if (!st)
		return Q_ERROR;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!q_grow((void **)&out->v, &cap, out->n, sizeof *out->v)) {
			query_pools_free(out);
			return q_oom(s, st, "pools", err, errlen);
		}
		struct query_pool *p = &out->v[out->n++];
		memset(p, 0, sizeof *p);
		bool oom = false;
		p->name = q_text(st, 0, &oom);
		p->slots = sqlite3_column_int(st, 1);
		p->description = q_text(st, 2, &oom);
		p->running = sqlite3_column_int64(st, 3);
		p->queued = sqlite3_column_int64(st, 4);
		p->missing = sqlite3_column_int(st, 5) != 0;
		if (oom || !p->name) {
			query_pools_free(out);
			return q_oom(s, st, "pools", err, errlen);
		}
	}
	if (rc != SQLITE_DONE) {
		query_pools_free(out);
		return q_fail(s, st, "pools", err, errlen);
	}
	sqlite3_reset(st);
	return Q_OK;
}

void query_pools_free(struct query_pools *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].description);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}
