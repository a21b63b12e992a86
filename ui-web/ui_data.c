/* ui_data.c: the web UI's private JSON reads, one request per page
 * (GET /ui/dags, /ui/grid, /ui/graph, /ui/run, /ui/ti; routes in ui.c).
 *
 * Airflow's /api/v1 answers one resource at a time; a page of the UI would
 * need dozens of its requests (a grid of 25 runs: one list of runs and 25
 * lists of task instances). These endpoints read what one page shows in one
 * snapshot of the store (query_snapshot_begin/end), so what a page draws is
 * one commit's state, and return it compactly. They only read, through
 * scheduler/query.h; writes go through Airflow's API (web-api's handlers).
 *
 * Invariants:
 *   - every handler ends the snapshot it began, on every path (ui_end);
 *   - a query's Q_NOTFOUND is a 404 naming what was looked for, Q_ERROR a
 *     500 with the store's message; a missing or bad query parameter a 400
 *     naming it;
 *   - times are ISO 8601 in UTC ("...Z" forms come from tz_format_iso with
 *     "UTC": +00:00), durations in seconds (a running try: up to now);
 *   - the grid's cost does not grow with the history: limit+1 runs through
 *     the (dag_id, logical_date) index, each run's task instances through the
 *     task_instances primary key, one count of the DAG's runs;
 *   - a mapped task (expand:) is one grid row, whatever its instances: its
 *     own row's (aggregate) state, the run's instance count as the cell's
 *     fifth element and the newest count in map_counts; its instances are
 *     listed by /ui/ti of the task (instances[]), each one's page is /ui/ti
 *     of "task[N]" (scheduler/mapindex.h). */
#include "ui-web/ui.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/dag.h"
#include "scheduler/diag.h"
#include "scheduler/mapindex.h"
#include "scheduler/query.h"
#include "scheduler/template.h"
#include "scheduler/tz.h"

#define UI_GRID_MAX 100		/* runs per grid page */
#define UI_RECENT 10		/* run bars per DAG in the list */
#define UI_EVENTS 500		/* newest events on a run's page */

/* ---- values */

static json_t *ui_str(const char *s)
{
	return s ? jx_str(s) : json_null();
}

static json_t *ui_time_us(int64_t us)
{
	if (us <= 0)
		return json_null();
	char b[64];
	tz_format_iso("UTC", (time_t)(us / 1000000), b, sizeof b);
	return jx_str(b);
}

static json_t *ui_time(time_t t)
{
	char b[64];
	tz_format_iso("UTC", t, b, sizeof b);
	return jx_str(b);
}

/* Seconds from start to end, to now when running; null before a start. */
static json_t *ui_duration(int64_t started_us, int64_t ended_us)
{
	if (started_us <= 0)
		return json_null();
	int64_t end = ended_us;
	if (end <= 0) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		end = (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	}
	return json_real(end > started_us ? (double)(end - started_us) / 1e6 : 0.0);
}

/* A JSON text of the store (a result, a conf) as a value; text that is not
 * JSON stays a string, so the document is always JSON. */
static json_t *ui_doc(const char *text)
{
	if (!text || !*text)
		return json_null();
	json_t *v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : jx_str(text);
}

/* ---- answers */

static void ui_end(struct store *s)
{
	char err[512];
	query_snapshot_end(s, err, sizeof err);
}

static void ui_fail(struct store *s, struct web_resp *resp, int rc, const char *err)
{
	ui_end(s);
	web_problem(resp, rc == Q_NOTFOUND ? 404 : 500, "%s", err);
}

/* A required query parameter, else a 400 naming it. */
static const char *ui_need(const struct web_req *r, struct web_resp *resp, const char *name)
{
	const char *v = web_query(r, name);
	if (!v || !*v) {
		web_problem(resp, 400, "query parameter %s is required", name);
		return NULL;
	}
	return v;
}

/* Opens the store and a snapshot; NULL after answering. */
static struct store *ui_begin(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = web_store(r, resp);
	if (!s)
		return NULL;
	char err[1024];
	if (query_snapshot_begin(s, err, sizeof err) != Q_OK) {
		web_problem(resp, 500, "%s", err);
		return NULL;
	}
	return s;
}

/* ---- the DAG list */

static json_t *ui_recent(struct store *s, const char *dag_id, int *rc, char *err, size_t errlen)
{
	struct query_runs runs;
	*rc = query_runs(s, dag_id, NULL, UI_RECENT, &runs, err, errlen);
	if (*rc != Q_OK)
		return NULL;
	json_t *a = json_array();
	for (size_t i = runs.n; i-- > 0;) {	/* oldest first */
		json_t *o = json_object();
		jx_set(o, "run_id", jx_str(runs.v[i].run_id));
		jx_set(o, "state", jx_str(runs.v[i].state));
		json_array_append_new(a, o);
	}
	query_runs_free(&runs);
	return a;
}

void ui_get_dags(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = ui_begin(r, resp);
	if (!s)
		return;
	char err[1024];
	struct query_dag_list l;
	int rc = query_dags(s, &l, err, sizeof err);
	if (rc != Q_OK) {
		ui_fail(s, resp, rc, err);
		return;
	}
	json_t *dags = json_array();
	for (size_t i = 0; i < l.ndags && rc == Q_OK; i++) {
		const struct query_dag_summary *d = &l.dags[i];
		if (!d->active)
			continue;
		json_t *o = json_object();
		jx_set(o, "dag_id", jx_str(d->dag_id));
		jx_set(o, "file", ui_str(d->file));
		jx_set(o, "description", ui_str(d->description));
		jx_set(o, "schedule", ui_str(d->schedule));
		jx_set(o, "timezone", ui_str(d->timezone));
		jx_set(o, "is_paused", json_boolean(d->paused));
		jx_set(o, "tasks", json_integer(d->ntasks));
		if (d->next_run > 0) {
			char b[64];
			tz_format(d->timezone, (time_t)d->next_run, "%Y-%m-%d %H:%M", b, sizeof b);
			jx_set(o, "next_run", ui_time((time_t)d->next_run));
			jx_set(o, "next_run_local", jx_str(b));
		} else {
			jx_set(o, "next_run", json_null());
		}
		jx_set(o, "last_state", ui_str(d->last_state));
		jx_set(o, "errors", ui_str(d->errors));
		json_t *recent = ui_recent(s, d->dag_id, &rc, err, sizeof err);
		jx_set(o, "recent", recent ? recent : json_array());
		json_array_append_new(dags, o);
	}
	json_t *broken = json_array();
	for (size_t i = 0; i < l.nbroken; i++) {
		json_t *o = json_object();
		jx_set(o, "file", ui_str(l.broken[i].file));
		jx_set(o, "errors", ui_str(l.broken[i].errors));
		json_array_append_new(broken, o);
	}
	query_dag_list_free(&l);
	if (rc != Q_OK) {
		json_decref(dags);
		json_decref(broken);
		{ ui_fail(s, resp, rc, err); return; }
	}
	ui_end(s);
	json_t *doc = json_object();
	jx_set(doc, "dags", dags);
	jx_set(doc, "import_errors", broken);
	web_json(resp, 200, doc);
}

/* ---- the grid */

struct ui_row {
	const char *task_id;
	size_t row;
};

static int ui_row_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ui_row *)a)->task_id, ((const struct ui_row *)b)->task_id);
}

/* The DAG's declared params with their defaults, from its stored file (the
 * trigger form); an empty array when no version is stored. */
static json_t *ui_params(struct store *s, const char *dag_id, int *rc, char *err, size_t errlen)
{
	char *file, *source;
	*rc = query_dag_source(s, dag_id, 0, &file, &source, err, errlen);
	if (*rc == Q_NOTFOUND) {
		*rc = Q_OK;
		return json_array();
	}
	if (*rc != Q_OK)
		return NULL;
	struct diag_list diags = { 0 };
	struct dag *dag = dag_load_buffer(file, source, strlen(source), &diags);
	json_t *a = json_array();
	for (size_t i = 0; dag && i < dag->nparams; i++) {
		json_t *o = json_object();
		jx_set(o, "name", jx_str(dag->params[i].key));
		jx_set(o, "default", ui_str(dag->params[i].value));
		json_array_append_new(a, o);
	}
	if (dag)
		dag_free(dag);
	diag_list_clear(&diags);
	free(file);
	free(source);
	return a;
}

/* One mapped instance of a grid row's task in column c: the cell's fifth
 * element counts them (a cell without the task's own row yet gets one in
 * state none). Returns the count so far. */
static json_int_t ui_count_instance(json_t *row_cells, size_t c)
{
	json_t *cell = json_array_get(row_cells, c);
	if (!json_is_array(cell)) {
		cell = json_array();
		json_array_append_new(cell, jx_str("none"));
		json_array_append_new(cell, json_integer(0));
		json_array_append_new(cell, json_null());
		json_array_append_new(cell, json_null());
		json_array_set_new(row_cells, c, cell);
	}
	json_int_t n = 1;
	if (json_array_size(cell) >= 5)
		n = json_integer_value(json_array_get(cell, 4)) + 1;
	if (json_array_size(cell) < 5)
		json_array_append_new(cell, json_integer(n));
	else
		json_array_set_new(cell, 4, json_integer(n));
	return n;
}

void ui_get_grid(const struct web_req *r, struct web_resp *resp)
{
	const char *dag_id = ui_need(r, resp, "dag_id");
	if (!dag_id)
		return;
	long limit = 25;
	const char *ls = web_query(r, "limit");
	if (ls) {
		char *end;
		limit = strtol(ls, &end, 10);
		if (*end || limit < 1 || limit > UI_GRID_MAX) {
			web_problem(resp, 400, "query parameter limit must be 1 to %d, not '%s'", UI_GRID_MAX, ls);
			return;
		}
	}
	const char *before = web_query(r, "before");
	struct store *s = ui_begin(r, resp);
	if (!s)
		return;
	char err[1024];
	struct query_dag d;
	int rc = query_dag(s, dag_id, &d, err, sizeof err);
	if (rc != Q_OK) {
		ui_fail(s, resp, rc, err);
		return;
	}
	struct query_runs runs = { 0 };
	if (before && *before) {
		struct query_run end;
		rc = query_run_by_run_id(s, dag_id, before, &end, NULL, err, sizeof err);
		if (rc == Q_OK)
			rc = query_runs_in(s, dag_id, INT64_MIN, end.logical_date, limit + 1, &runs, err,
					   sizeof err);
	} else {
		rc = query_runs(s, dag_id, NULL, limit + 1, &runs, err, sizeof err);
	}
	int64_t total = 0;
	if (rc == Q_OK)
		rc = query_run_count(s, dag_id, &total, err, sizeof err);
	json_t *params = rc == Q_OK ? ui_params(s, dag_id, &rc, err, sizeof err) : NULL;
	if (rc != Q_OK) {
		query_runs_free(&runs);
		query_dag_free(&d);
		{ ui_fail(s, resp, rc, err); return; }
	}
	size_t n = runs.n > (size_t)limit ? (size_t)limit : runs.n;
	/* Rows: the DAG's tasks in file order, then tasks only old runs have. */
	size_t nrows = d.ntasks, cap = d.ntasks + 16;
	struct ui_row *idx = xcalloc(cap, sizeof *idx);
	/* per row: a mapped task's instances in the newest run that has some
	 * (columns come oldest first: the last counted wins); 0: none */
	json_int_t *latest = xcalloc(cap, sizeof *latest);
	json_t *tasks = json_array();
	for (size_t i = 0; i < d.ntasks; i++) {
		idx[i] = (struct ui_row){ d.tasks[i].id, i };
		json_array_append_new(tasks, jx_str(d.tasks[i].id));
	}
	qsort(idx, nrows, sizeof *idx, ui_row_cmp);
	json_t *rows = json_array();	/* rows[task][col] */
	for (size_t i = 0; i < d.ntasks; i++) {
		json_t *row = json_array();
		for (size_t c = 0; c < n; c++)
			json_array_append_new(row, json_null());
		json_array_append_new(rows, row);
	}
	json_t *cols = json_array();
	for (size_t c = 0; c < n && rc == Q_OK; c++) {
		const struct query_run *run = &runs.v[n - 1 - c];	/* oldest left */
		char label[32];
		tz_format(d.timezone, run->logical_date, "%m-%d %H:%M", label, sizeof label);
		json_t *o = json_object();
		jx_set(o, "run_id", jx_str(run->run_id));
		jx_set(o, "logical_date", ui_time(run->logical_date));
		jx_set(o, "label", jx_str(label));
		jx_set(o, "state", jx_str(run->state));
		json_array_append_new(cols, o);
		struct query_tis tis;
		rc = query_grid_cells(s, run->id, &tis, err, sizeof err);
		for (size_t k = 0; rc == Q_OK && k < tis.n; k++) {
			const struct query_ti *ti = &tis.v[k];
			/* A mapped instance counts on its task's row (instances
			 * come right after their task: query_tis order). */
			size_t tlen = strlen(ti->task_id);
			char *task = NULL;
			if (ti->map_index >= 0 && map_name_parse(ti->task_id, &tlen, NULL))
				task = xstrndup(ti->task_id, tlen);
			struct ui_row key = { task ? task : ti->task_id, 0 };
			struct ui_row *hit = bsearch(&key, idx, nrows, sizeof *idx, ui_row_cmp);
			size_t row;
			if (hit) {
				row = hit->row;
			} else {	/* a task this version no longer has */
				row = json_array_size(rows);
				json_t *nr = json_array();
				for (size_t j = 0; j < n; j++)
					json_array_append_new(nr, json_null());
				json_array_append_new(rows, nr);
				json_array_append_new(tasks, jx_str(key.task_id));
				if (nrows == cap) {
					idx = xrealloc(idx, cap * 2 * sizeof *idx);
					latest = xrealloc(latest, cap * 2 * sizeof *latest);
					memset(latest + cap, 0, cap * sizeof *latest);
					cap *= 2;
				}
				idx[nrows++] = (struct ui_row){
					json_string_value(json_array_get(tasks, row)), row };
				qsort(idx, nrows, sizeof *idx, ui_row_cmp);
			}
			if (task) {
				free(task);
				latest[row] = ui_count_instance(json_array_get(rows, row), c);
				continue;
			}
			json_t *cell = json_array();
			json_array_append_new(cell, jx_str(ti->state));
			json_array_append_new(cell, json_integer(ti->try_number));
			json_array_append_new(cell, ui_duration(ti->started_us, ti->ended_us));
			json_array_append_new(cell, ui_str(ti->cause));
			json_array_set_new(json_array_get(rows, row), c, cell);
		}
		if (rc == Q_OK)
			query_tis_free(&tis);
	}
	free(idx);
	json_t *map_counts = json_array();	/* per row: null, or a mapped task's newest count */
	for (size_t i = 0; i < json_array_size(tasks); i++)
		json_array_append_new(map_counts, latest[i] ? json_integer(latest[i]) : json_null());
	free(latest);
	json_t *older = runs.n > (size_t)limit ? jx_str(runs.v[n - 1].run_id) : json_null();
	query_runs_free(&runs);
	query_dag_free(&d);
	if (rc != Q_OK) {
		json_decref(tasks);
		json_decref(rows);
		json_decref(cols);
		json_decref(params);
		json_decref(older);
		json_decref(map_counts);
		{ ui_fail(s, resp, rc, err); return; }
	}
	ui_end(s);
	json_t *doc = json_object();
	jx_set(doc, "dag_id", jx_str(dag_id));
	jx_set(doc, "total_runs", json_integer(total));
	jx_set(doc, "older", older);
	jx_set(doc, "runs", cols);
	jx_set(doc, "tasks", tasks);
	jx_set(doc, "cells", rows);
	jx_set(doc, "map_counts", map_counts);
	jx_set(doc, "params", params);
	web_json(resp, 200, doc);
}

/* ---- the graph */

void ui_get_graph(const struct web_req *r, struct web_resp *resp)
{
	const char *dag_id = ui_need(r, resp, "dag_id");
	if (!dag_id)
		return;
	const char *run_id = web_query(r, "run_id");
	struct store *s = ui_begin(r, resp);
	if (!s)
		return;
	char err[1024];
	struct query_dag d;
	int rc = query_dag(s, dag_id, &d, err, sizeof err);
	if (rc != Q_OK) {
		ui_fail(s, resp, rc, err);
		return;
	}
	struct query_run run = { 0 };
	struct query_tis tis = { 0 };
	if (run_id && *run_id) {
		rc = query_run_by_run_id(s, dag_id, run_id, &run, NULL, err, sizeof err);
		if (rc == Q_OK && run.version)
			rc = query_dag_at_version(s, &d, run.version, err, sizeof err);
		if (rc == Q_NOTFOUND && run.version)	/* version gone: today's tasks */
			rc = Q_OK;
		if (rc == Q_OK)
			rc = query_ti_states(s, run.id, &tis, err, sizeof err);
	}
	if (rc != Q_OK) {
		query_dag_free(&d);
		{ ui_fail(s, resp, rc, err); return; }
	}
	ui_end(s);
	/* The run's rows in the DAG's order: each task's own, then its mapped
	 * instances (counted: the node says "load [50]"). */
	query_tis_sort_dag(&d, &tis);
	size_t j = 0;
	json_t *tasks = json_array();
	for (size_t i = 0; i < d.ntasks; i++) {
		json_t *up = json_array();
		for (size_t k = 0; k < d.tasks[i].nup; k++)
			json_array_append_new(up, json_integer((json_int_t)d.tasks[i].up[k]));
		const char *state = NULL, *id = d.tasks[i].id;
		size_t len = strlen(id);
		json_int_t count = 0;
		if (j < tis.n && tis.v[j].map_index < 0 && strcmp(tis.v[j].task_id, id) == 0)
			state = tis.v[j++].state;
		for (; j < tis.n && tis.v[j].map_index >= 0 && strncmp(tis.v[j].task_id, id, len) == 0 &&
		       tis.v[j].task_id[len] == '['; j++)
			count++;
		json_t *o = json_object();
		jx_set(o, "id", jx_str(id));
		jx_set(o, "up", up);
		jx_set(o, "state", ui_str(state));
		jx_set(o, "map_count", count ? json_integer(count) : json_null());
		json_array_append_new(tasks, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "dag_id", jx_str(dag_id));
	jx_set(doc, "run_id", run_id && *run_id ? jx_str(run.run_id) : json_null());
	jx_set(doc, "tasks", tasks);
	query_tis_free(&tis);
	query_dag_free(&d);
	web_json(resp, 200, doc);
}

/* ---- a run */

static json_t *ui_run_json(const struct query_run *run, const char *conf)
{
	json_t *o = json_object();
	jx_set(o, "run_id", jx_str(run->run_id));
	jx_set(o, "run_type", jx_str(run->type));
	jx_set(o, "state", jx_str(run->state));
	jx_set(o, "logical_date", ui_time(run->logical_date));
	jx_set(o, "start_date", ui_time_us(run->started_us));
	jx_set(o, "end_date", ui_time_us(run->ended_us));
	jx_set(o, "version", run->version ? json_integer(run->version) : json_null());
	jx_set(o, "conf", ui_doc(conf));
	return o;
}

void ui_get_run(const struct web_req *r, struct web_resp *resp)
{
	const char *dag_id = ui_need(r, resp, "dag_id");
	const char *run_id = dag_id ? ui_need(r, resp, "run_id") : NULL;
	if (!run_id)
		return;
	struct store *s = ui_begin(r, resp);
	if (!s)
		return;
	char err[1024];
	struct query_run run;
	char *conf = NULL;
	struct query_tis tis = { 0 };
	struct query_events ev = { 0 };
	int rc = query_run_by_run_id(s, dag_id, run_id, &run, NULL, err, sizeof err);
	if (rc == Q_OK)
		rc = query_run_conf(s, run.id, &conf, err, sizeof err);
	if (rc == Q_OK)
		rc = query_task_instances(s, run.id, &tis, err, sizeof err);
	if (rc == Q_OK) {
		struct query_event_filter f = { .run = run.id, .last = UI_EVENTS };
		rc = query_events(s, &f, &ev, err, sizeof err);
	}
	if (rc != Q_OK) {
		free(conf);
		query_tis_free(&tis);
		{ ui_fail(s, resp, rc, err); return; }
	}
	ui_end(s);
	json_t *tia = json_array();
	for (size_t i = 0; i < tis.n; i++) {
		const struct query_ti *ti = &tis.v[i];
		json_t *o = json_object();
		jx_set(o, "task_id", jx_str(ti->task_id));
		jx_set(o, "map_index", json_integer(ti->map_index));
		jx_set(o, "state", jx_str(ti->state));
		jx_set(o, "try_number", json_integer(ti->try_number));
		jx_set(o, "start_date", ui_time_us(ti->started_us));
		jx_set(o, "end_date", ui_time_us(ti->ended_us));
		jx_set(o, "duration", ui_duration(ti->started_us, ti->ended_us));
		jx_set(o, "cause", ui_str(ti->cause));
		json_array_append_new(tia, o);
	}
	json_t *eva = json_array();
	for (size_t i = ev.n; i-- > 0;) {	/* newest first */
		const struct query_event *e = &ev.v[i];
		json_t *o = json_object();
		jx_set(o, "when", ui_time_us(e->at_us));
		jx_set(o, "task_id", ui_str(e->task_id));
		jx_set(o, "try_number", e->try_number ? json_integer(e->try_number) : json_null());
		jx_set(o, "old_state", ui_str(e->old_state));
		jx_set(o, "new_state", ui_str(e->new_state));
		jx_set(o, "cause", ui_str(e->cause));
		jx_set(o, "actor", ui_str(e->actor));
		json_array_append_new(eva, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "dag_id", jx_str(dag_id));
	jx_set(doc, "run", ui_run_json(&run, conf));
	jx_set(doc, "task_instances", tia);
	jx_set(doc, "events", eva);
	free(conf);
	query_tis_free(&tis);
	query_events_free(&ev);
	web_json(resp, 200, doc);
}

/* ---- a task instance */

/* The try's command as the daemon renders it for that run and try: each
 * argv template of the run's version of the DAG rendered with the run's conf
 * (the wait_for path for a sensor). An argument that reads the environment
 * (env.NAME) is shown as written: schedweb's environment is not the
 * daemon's, and it may hold what a page must not show. null when the DAG's
 * file is not stored or no longer loads. */
static json_t *ui_command(struct store *s, const char *dag_id, const struct query_run *run, const char *conf,
			  const char *task_id, int try_number, const char *map_item, int *rc, char *err, size_t errlen)
{
	char *file, *source;
	*rc = query_dag_source(s, dag_id, run->version, &file, &source, err, errlen);
	if (*rc == Q_NOTFOUND)
		*rc = Q_OK;
	if (*rc != Q_OK || !source)
		return json_null();
	struct diag_list diags = { 0 };
	struct dag *dag = dag_load_buffer(file, source, strlen(source), &diags);
	diag_list_clear(&diags);
	free(file);
	free(source);
	/* A mapped instance "task[N]" runs its task's command. */
	size_t tlen;
	map_name_parse(task_id, &tlen, NULL);
	const struct dag_task *t = NULL;
	for (size_t i = 0; dag && i < dag->ntasks && !t; i++)
		if (strncmp(dag->tasks[i].id, task_id, tlen) == 0 && dag->tasks[i].id[tlen] == '\0')
			t = &dag->tasks[i];
	if (!t) {
		if (dag)
			dag_free(dag);
		return json_null();
	}
	json_t *cv = conf ? json_loads(conf, 0, NULL) : NULL;
	size_t nconf = json_is_object(cv) ? json_object_size(cv) : 0, k = 0;
	struct dag_kv *kv = xcalloc(nconf ? nconf : 1, sizeof *kv);
	const char *key;
	json_t *v;
	if (nconf) {
		json_object_foreach(cv, key, v) {
			if (json_is_string(v))
				kv[k++] = (struct dag_kv){ (char *)key, (char *)json_string_value(v) };
		}
	}
	struct template_ctx ctx = {
		.dag = dag, .task_id = t->id, .run_id = run->run_id, .interval_start = run->logical_date,
		.interval_end = run->interval_end, .try_number = try_number > 0 ? try_number : 1,
		.conf = kv, .nconf = k, .map_index = map_name_index(task_id),
	};
	/* A mapped instance renders with its element (map_item NULL when the
	 * list is gone: then the render fails and the template is shown). */
	if (ctx.map_index >= 0) {
		ctx.map_as = t->map_as;
		ctx.map_item = map_item;
	}
	json_t *out = json_object();
	json_t *argv = json_array();
	for (size_t i = 0; i < t->ncommand; i++) {
		char terr[256];
		char *r = strstr(t->command[i], "env.") ? NULL : template_render(t->command[i], &ctx, terr, sizeof terr);
		json_array_append_new(argv, jx_str(r ? r : t->command[i]));
		free(r);
	}
	jx_set(out, "argv", argv);
	jx_set(out, "shell", json_boolean(t->shell));
	if (t->wait_path) {
		char terr[256];
		char *r = strstr(t->wait_path, "env.") ? NULL : template_render(t->wait_path, &ctx, terr, sizeof terr);
		jx_set(out, "wait_for", jx_str(r ? r : t->wait_path));
		free(r);
	}
	free(kv);
	json_decref(cv);
	dag_free(dag);
	return out;
}

void ui_get_ti(const struct web_req *r, struct web_resp *resp)
{
	const char *dag_id = ui_need(r, resp, "dag_id");
	const char *run_id = dag_id ? ui_need(r, resp, "run_id") : NULL;
	const char *task_id = run_id ? ui_need(r, resp, "task_id") : NULL;
	if (!task_id)
		return;
	struct store *s = ui_begin(r, resp);
	if (!s)
		return;
	char err[1024];
	struct query_run run;
	struct query_tis tis = { 0 };
	struct query_tries tries = { 0 };
	const struct query_ti *ti = NULL;
	int rc = query_run_by_run_id(s, dag_id, run_id, &run, NULL, err, sizeof err);
	if (rc == Q_OK)
		rc = query_task_instances(s, run.id, &tis, err, sizeof err);
	for (size_t i = 0; rc == Q_OK && i < tis.n && !ti; i++)
		if (strcmp(tis.v[i].task_id, task_id) == 0)
			ti = &tis.v[i];
	if (rc == Q_OK && !ti) {
		rc = Q_NOTFOUND;
		snprintf(err, sizeof err, "run %s of %s has no task instance %s", run_id, dag_id, task_id);
	}
	if (rc == Q_OK)
		rc = query_tries(s, run.id, task_id, &tries, err, sizeof err);
	char *conf = NULL;
	if (rc == Q_OK)
		rc = query_run_conf(s, run.id, &conf, err, sizeof err);
	/* An instance's element: its index in the list its task's own row
	 * keeps in result (the list it was expanded over). */
	char *item = NULL;
	if (rc == Q_OK && ti->map_index >= 0) {
		size_t tlen;
		map_name_parse(ti->task_id, &tlen, NULL);
		for (size_t i = 0; i < tis.n && !item; i++) {
			if (tis.v[i].map_index >= 0 || strlen(tis.v[i].task_id) != tlen ||
			    strncmp(tis.v[i].task_id, ti->task_id, tlen) != 0 || !tis.v[i].result)
				continue;
			json_t *list = json_loads(tis.v[i].result, 0, NULL);
			json_t *v = json_array_get(list, (size_t)ti->map_index);
			if (v)
				item = jx_dump(v);
			json_decref(list);
			break;
		}
	}
	json_t *command = rc == Q_OK ? ui_command(s, dag_id, &run, conf, task_id, ti->try_number, item, &rc, err,
						  sizeof err)
				     : NULL;
	free(item);
	free(conf);
	if (rc != Q_OK) {
		json_decref(command);
		query_tries_free(&tries);
		query_tis_free(&tis);
		{ ui_fail(s, resp, rc, err); return; }
	}
	ui_end(s);
	json_t *ta = json_array();
	for (size_t i = 0; i < tries.n; i++) {
		const struct query_try_row *y = &tries.v[i];
		json_t *o = json_object();
		jx_set(o, "try_number", json_integer(y->try_number));
		jx_set(o, "state", jx_str(y->state));
		jx_set(o, "start_date", ui_time_us(y->started_us));
		jx_set(o, "end_date", ui_time_us(y->ended_us));
		jx_set(o, "duration", ui_duration(y->started_us, y->ended_us));
		jx_set(o, "exit_code", y->has_exit ? json_integer(y->exit_code) : json_null());
		jx_set(o, "signal", y->signal ? json_integer(y->signal) : json_null());
		jx_set(o, "cause", ui_str(y->cause));
		jx_set(o, "result", ui_doc(y->result));
		jx_set(o, "executor", ui_str(y->executor));
		json_array_append_new(ta, o);
	}
	/* A mapped task's instances (its own row has no try): the list its
	 * page shows, each with a link to its own page. */
	json_t *inst = json_array();
	size_t idlen = strlen(ti->task_id), tlen;
	for (size_t i = 0; i < tis.n; i++) {
		const struct query_ti *x = &tis.v[i];
		if (x->map_index < 0 || !map_name_parse(x->task_id, &tlen, NULL) || tlen != idlen ||
		    strncmp(x->task_id, ti->task_id, idlen) != 0)
			continue;
		json_t *o = json_object();
		jx_set(o, "task_id", jx_str(x->task_id));
		jx_set(o, "map_index", json_integer(x->map_index));
		jx_set(o, "state", jx_str(x->state));
		jx_set(o, "try_number", json_integer(x->try_number));
		jx_set(o, "start_date", ui_time_us(x->started_us));
		jx_set(o, "duration", ui_duration(x->started_us, x->ended_us));
		jx_set(o, "cause", ui_str(x->cause));
		json_array_append_new(inst, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "dag_id", jx_str(dag_id));
	jx_set(doc, "run_id", jx_str(run.run_id));
	jx_set(doc, "task_id", jx_str(ti->task_id));
	jx_set(doc, "map_index", json_integer(ti->map_index));
	jx_set(doc, "instances", inst);
	jx_set(doc, "state", jx_str(ti->state));
	jx_set(doc, "try_number", json_integer(ti->try_number));
	jx_set(doc, "max_tries", json_integer(ti->max_tries));
	jx_set(doc, "start_date", ui_time_us(ti->started_us));
	jx_set(doc, "end_date", ui_time_us(ti->ended_us));
	jx_set(doc, "cause", ui_str(ti->cause));
	jx_set(doc, "result", ui_doc(ti->result));
	jx_set(doc, "command", command);
	jx_set(doc, "tries", ta);
	query_tries_free(&tries);
	query_tis_free(&tis);
	web_json(resp, 200, doc);
}
