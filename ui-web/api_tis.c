/* api_tis.c: task instances and their logs in Airflow's REST API v1.
 *   GET .../dagRuns/{dag_run_id}/taskInstances                 TaskInstanceCollection
 *   GET .../dagRuns/{dag_run_id}/taskInstances/{task_id}       TaskInstance
 *   GET .../taskInstances/{task_id}/listMapped                 its mapped instances
 *   GET .../taskInstances/{task_id}/{map_index}                one mapped instance
 *   GET .../taskInstances/{task_id}/logs/{task_try_number}     the try's log (?map_index=N)
 *   GET .../taskInstances/{task_id}/{map_index}/logs/{task_try_number}
 * A run's task instances are its DAG version's tasks (file order); one not
 * instantiated yet has state null, as in Airflow. A mapped task (expand:)
 * that has expanded is listed as its instances, as Airflow lists them:
 * task_id the task's, map_index N (the store's row "task[N]",
 * scheduler/mapindex.h), by index; its own row (the aggregate state, no
 * try) is map_index -1, listed only until it expands.
 * Logs: Accept: text/plain gives the file's text; otherwise JSON
 * {"content", "continuation_token"}: the content from the token's offset (at
 * most API_LOG_CHUNK bytes), and the token to ask for what follows, so a
 * client follows a running try by asking again with ?token=. The file is
 * always the one the store records for the path's run, task and try; the
 * token only carries where to go on, and names that try (run row id, try
 * number) so a token of another try is refused (400) instead of being
 * applied to this file at a meaningless offset. */
#include "ui-web/api.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/dagmeta.h"
#include "scheduler/mapindex.h"

#define API_LOG_CHUNK (256 * 1024)

static json_t *ti_json(const char *dag_id, const struct query_run *run, const char *task_id,
		       const struct query_ti *ti)
{
	json_t *o = json_object();
	jx_set(o, "task_id", jx_str(task_id));
	jx_set(o, "dag_id", jx_str(dag_id));
	jx_set(o, "dag_run_id", jx_str(run->run_id));
	jx_set(o, "execution_date", api_time_s(run->logical_date));
	jx_set(o, "start_date", api_time_us(ti ? ti->started_us : 0));
	jx_set(o, "end_date", api_time_us(ti ? ti->ended_us : 0));
	if (ti && ti->started_us > 0 && ti->ended_us >= ti->started_us)
		jx_set(o, "duration", json_real((double)(ti->ended_us - ti->started_us) / 1e6));
	else
		jx_set(o, "duration", json_null());
	jx_set(o, "state", ti && strcmp(ti->state, "none") != 0 ? jx_str(ti->state) : json_null());
	jx_set(o, "try_number", json_integer(ti ? ti->try_number : 0));
	jx_set(o, "max_tries", json_integer(ti ? ti->max_tries : 0));
	jx_set(o, "map_index", json_integer(ti ? ti->map_index : -1));
	jx_set(o, "note", api_str(ti ? ti->cause : NULL));
	return o;
}

/* The DAG at the run's version, the run and its task instances. */
static bool open_tis_read(const struct web_req *r, struct web_resp *resp, struct store **s, struct query_dag *d,
		     struct query_run *run, struct query_tis *tis)
{
	*s = api_store(r, resp);
	if (!*s || api_dag(r, resp, *s, d) != Q_OK)
		return false;
	char err[1024];
	int q = Q_OK;
	if (api_run(r, resp, *s, d->dag_id, run) != Q_OK)
		goto fail;
	if ((q = meta_pin_run(*s, d, run, err, sizeof err)) == Q_ERROR ||
	    (q = query_task_instances(*s, run->id, tis, err, sizeof err)) != Q_OK) {
		api_query_error(resp, q, err);
		goto fail;
	}
	query_tis_sort_dag(d, tis);
	return true;
fail:
	query_dag_free(d);
	return false;
}

/* The same, read in one snapshot; false after an answer. */
static bool open_tis(const struct web_req *r, struct web_resp *resp, struct store **s, struct query_dag *d,
		     struct query_run *run, struct query_tis *tis)
{
	*s = api_store(r, resp);
	if (!*s || !api_snapshot_begin(*s, resp))
		return false;
	bool ok = open_tis_read(r, resp, s, d, run, tis);
	if (!api_snapshot_end(*s, resp)) {
		if (ok) {
			query_tis_free(tis);
			query_dag_free(d);
		}
		return false;
	}
	return ok;
}

static const struct query_ti *ti_find(const struct query_tis *tis, const char *task_id)
{
	for (size_t i = 0; i < tis->n; i++)
		if (strcmp(tis->v[i].task_id, task_id) == 0)
			return &tis->v[i];
	return NULL;
}

/* Whether ti is a mapped instance of task (its row "task[N]"). */
static bool ti_instance_of(const struct query_ti *ti, const char *task)
{
	size_t len;
	return ti->map_index >= 0 && map_name_parse(ti->task_id, &len, NULL) && strncmp(ti->task_id, task, len) == 0 &&
	       task[len] == '\0';
}

/* One entry of a run's list: the task's id and its row (NULL: none yet). */
struct ti_row {
	const char *task_id;
	const struct query_ti *ti;
};

/* The entries of a run's list (tis in query_tis_sort_dag's order): each task
 * of d in file order, as its mapped instances once it has some, else as
 * itself. Rows of tasks d does not have are not listed. */
static size_t ti_rows(const struct query_dag *d, const struct query_tis *tis, struct ti_row **out)
{
	struct ti_row *v = xmalloc((d->ntasks + tis->n + 1) * sizeof *v);
	size_t n = 0, j = 0;
	for (size_t i = 0; i < d->ntasks; i++) {
		const char *id = d->tasks[i].id;
		const struct query_ti *own = NULL;
		if (j < tis->n && tis->v[j].map_index < 0 && strcmp(tis->v[j].task_id, id) == 0)
			own = &tis->v[j++];
		size_t first = n;
		for (; j < tis->n && ti_instance_of(&tis->v[j], id); j++)
			v[n++] = (struct ti_row){ id, &tis->v[j] };
		if (n == first)
			v[n++] = (struct ti_row){ id, own };
	}
	*out = v;
	return n;
}

void api_tis_list(const struct web_req *r, struct web_resp *resp)
{
	long limit, offset;
	if (!api_page(r, resp, &limit, &offset))
		return;
	struct store *s;
	struct query_dag d;
	struct query_run run;
	struct query_tis tis;
	if (!open_tis(r, resp, &s, &d, &run, &tis))
		return;
	struct ti_row *rows;
	size_t n = ti_rows(&d, &tis, &rows);
	json_t *arr = json_array();
	for (size_t i = (size_t)offset; i < n && i < (size_t)offset + (size_t)limit; i++)
		json_array_append_new(arr, ti_json(d.dag_id, &run, rows[i].task_id, rows[i].ti));
	json_t *doc = json_object();
	jx_set(doc, "task_instances", arr);
	jx_set(doc, "total_entries", json_integer((json_int_t)n));
	web_json(resp, 200, doc);
	free(rows);
	query_tis_free(&tis);
	query_dag_free(&d);
}

/* {task_id} a task of d, else false after a 404 naming the nearest. */
static bool ti_task_known(struct web_resp *resp, const struct query_dag *d, const char *task_id)
{
	if (query_task_index(d, task_id) >= 0)
		return true;
	char err[1024];
	meta_unknown_task(d, task_id, err, sizeof err);
	web_problem(resp, 404, "%s", err);
	return false;
}

void api_ti_get(const struct web_req *r, struct web_resp *resp)
{
	struct store *s;
	struct query_dag d;
	struct query_run run;
	struct query_tis tis;
	if (!open_tis(r, resp, &s, &d, &run, &tis))
		return;
	const char *task_id = web_param(r, "task_id");
	if (ti_task_known(resp, &d, task_id))
		web_json(resp, 200, ti_json(d.dag_id, &run, task_id, ti_find(&tis, task_id)));
	query_tis_free(&tis);
	query_dag_free(&d);
}

void api_ti_mapped_list(const struct web_req *r, struct web_resp *resp)
{
	long limit, offset;
	if (!api_page(r, resp, &limit, &offset))
		return;
	struct store *s;
	struct query_dag d;
	struct query_run run;
	struct query_tis tis;
	if (!open_tis(r, resp, &s, &d, &run, &tis))
		return;
	const char *task_id = web_param(r, "task_id");
	if (ti_task_known(resp, &d, task_id)) {
		json_t *arr = json_array();
		size_t n = 0;
		for (size_t i = 0; i < tis.n; i++) {
			if (!ti_instance_of(&tis.v[i], task_id))
				continue;
			if (n >= (size_t)offset && n < (size_t)offset + (size_t)limit)
				json_array_append_new(arr, ti_json(d.dag_id, &run, task_id, &tis.v[i]));
			n++;
		}
		json_t *doc = json_object();
		jx_set(doc, "task_instances", arr);
		jx_set(doc, "total_entries", json_integer((json_int_t)n));
		/* No instance: a mapped task not expanded (yet, or over an empty
		 * list) lists none; a task that is not mapped is Airflow's 400. */
		if (n == 0 && !d.tasks[query_task_index(&d, task_id)].mapped) {
			json_decref(doc);
			web_problem(resp, 400, "task %s of DAG %s is not mapped (no expand:)", task_id, d.dag_id);
		} else {
			web_json(resp, 200, doc);
		}
	}
	query_tis_free(&tis);
	query_dag_free(&d);
}

/* {map_index}: -1 (the task itself) or an instance's index; false after a 400. */
static bool ti_map_index(struct web_resp *resp, const char *where, const char *text, int *index)
{
	char *end;
	errno = 0;
	long v = strtol(text, &end, 10);
	if (errno || *end || end == text || v < -1 || v > MAP_INDEX_MAX) {
		web_problem(resp, 400, "%s map_index: '%s' is not a map index (-1, 0, 1, ...)", where, text);
		return false;
	}
	*index = (int)v;
	return true;
}

void api_ti_mapped_get(const struct web_req *r, struct web_resp *resp)
{
	int index;
	if (!ti_map_index(resp, "path parameter", web_param(r, "map_index"), &index))
		return;
	struct store *s;
	struct query_dag d;
	struct query_run run;
	struct query_tis tis;
	if (!open_tis(r, resp, &s, &d, &run, &tis))
		return;
	const char *task_id = web_param(r, "task_id");
	char name[PATH_NAME_MAX + 16];
	if (!ti_task_known(resp, &d, task_id)) {
		/* answered */
	} else if (index < 0) {
		web_json(resp, 200, ti_json(d.dag_id, &run, task_id, ti_find(&tis, task_id)));
	} else {
		const struct query_ti *ti = NULL;
		if (map_name_format(name, sizeof name, task_id, index) == 0)
			ti = ti_find(&tis, name);
		if (ti)
			web_json(resp, 200, ti_json(d.dag_id, &run, task_id, ti));
		else
			web_problem(resp, 404, "task %s has no mapped instance %d in run %s", task_id, index,
				    run.run_id);
	}
	query_tis_free(&tis);
	query_dag_free(&d);
}

void api_ti_log(const struct web_req *r, struct web_resp *resp)
{
	const char *ts = web_param(r, "task_try_number");
	char *end;
	errno = 0;
	long tn = strtol(ts, &end, 10);
	if (errno || *end || end == ts || tn < 1 || tn > 1000000) {
		web_problem(resp, 400, "path parameter task_try_number: '%s' is not a try number (1, 2, ...)", ts);
		return;
	}
	int full = 0;
	if (!api_query_bool(r, resp, "full_content", &full))
		return;
	/* A mapped instance's log: {map_index} in the path, or Airflow's
	 * ?map_index= on the task's log route. */
	int index = -1;
	const char *mi = web_param(r, "map_index");
	if (mi && !ti_map_index(resp, "path parameter", mi, &index))
		return;
	if (!mi && (mi = web_query(r, "map_index")) && !ti_map_index(resp, "query parameter", mi, &index))
		return;
	struct store *s = api_store(r, resp);
	struct query_dag d;
	struct query_run run;
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		return;
	char err[1024];
	struct query_try t = { 0 };
	FILE *f = NULL;
	char *data = NULL;
	const char *task = web_param(r, "task_id");
	char name[PATH_NAME_MAX + 16];
	const char *task_id = task;	/* the store's row: task or task[N] */
	if (api_run(r, resp, s, d.dag_id, &run) != Q_OK)
		goto out;
	int q = meta_pin_run(s, &d, &run, err, sizeof err);
	if (q == Q_ERROR) {
		api_query_error(resp, q, err);
		goto out;
	}
	if (!ti_task_known(resp, &d, task))
		goto out;
	if (index >= 0) {
		if (map_name_format(name, sizeof name, task, index) != 0) {
			web_problem(resp, 404, "task %s has no mapped instance %d", task, index);
			goto out;
		}
		task_id = name;
	}
	q = query_try(s, run.id, task_id, (int)tn, &t, err, sizeof err);
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		goto out;
	}
	if (!t.log_path) {
		web_problem(resp, 404, "try %ld of task %s has no log (the daemon runs without --logs)", tn, task_id);
		goto out;
	}
	int64_t offset = 0;
	const char *tok = web_query(r, "token");
	if (tok && !api_token_read(tok, run.id, (int)tn, &offset)) {
		web_problem(resp, 400, "query parameter token: '%s' is not a continuation token of this try", tok);
		goto out;
	}
	f = fopen(t.log_path, "rb");
	if (!f) {
		web_problem(resp, 404, "try %ld of task %s: its log %s cannot be read: %s", tn, task_id, t.log_path,
			    strerror(errno));
		goto out;
	}
	const char *accept = web_header(r, "Accept");
	bool text = accept && strstr(accept, "text/plain") && !strstr(accept, "application/json");
	if (fseeko(f, 0, SEEK_END) != 0) {
		web_problem(resp, 500, "%s: %s", t.log_path, strerror(errno));
		goto out;
	}
	int64_t size = (int64_t)ftello(f);
	if (offset > size) {
		web_problem(resp, 400, "query parameter token: offset %" PRId64 " is past the end of the log (%" PRId64
			    " bytes)", offset, size);
		goto out;
	}
	int64_t want = size - offset;
	if (!text && !full && want > API_LOG_CHUNK)
		want = API_LOG_CHUNK;
	data = malloc((size_t)want + 1);
	if (!data || fseeko(f, (off_t)offset, SEEK_SET) != 0) {
		web_problem(resp, 500, "%s: cannot read: %s", t.log_path, data ? strerror(errno) : "out of memory");
		goto out;
	}
	size_t got = fread(data, 1, (size_t)want, f);
	if (ferror(f)) {
		web_problem(resp, 500, "%s: cannot read", t.log_path);
		goto out;
	}
	if (text) {
		web_text(resp, 200, "text/plain; charset=utf-8", data, got);
	} else {
		char next[96];
		api_token_make(next, sizeof next, offset + (int64_t)got, run.id, (int)tn);
		json_t *doc = json_object();
		jx_set(doc, "content", jx_strn(data, got));
		jx_set(doc, "continuation_token", jx_str(next));
		web_json(resp, 200, doc);
	}
out:
	free(data);
	if (f)
		fclose(f);
	query_try_free(&t);
	query_dag_free(&d);
}
