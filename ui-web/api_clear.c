/* api_clear.c: POST /api/v1/dags/{dag_id}/clearTaskInstances (Airflow's
 * ClearTaskInstances -> TaskInstanceReferenceCollection).
 *
 * The runs: dag_run_id's, else those of logical date in [start_date,
 * end_date] (either bound may be left out; neither: every run). In each run
 * the tasks are task_ids (default: all) of the run's DAG version, extended
 * with include_upstream / include_downstream (meta_closure, as schedctl
 * clear --upstream/--downstream), then kept only if failed or
 * upstream_failed with only_failed (Airflow's default: true), or queued or
 * running with only_running. dry_run (Airflow's default: true) answers the
 * set and changes nothing; otherwise every run's set is cleared in ONE
 * transaction through store_clear_tasks, as schedctl clear --force does
 * (a running try restarts; Airflow clears running instances too), and the
 * daemon is rung. include_future, include_past, include_subdags,
 * include_parentdag: only false is accepted (there are no subdags, and runs
 * are chosen by the dates); reset_dag_runs: accepted, a cleared run always
 * goes back to queued here.
 * Mapped tasks (docs/mapping.md), as schedctl clear: a task id clears the
 * whole task (it expands again); an instance's name "T[N]" that one
 * instance (its task counts for include_upstream/downstream only); with
 * only_failed (only_running) a mapped task that has instances is cleared
 * as its failed (running) instances, not as a whole, as Airflow clears
 * them. An instance's reference has task_id its task's and map_index N. */
#include "ui-web/api.h"

#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "lib/xalloc.h"
#include "scheduler/dagmeta.h"
#include "scheduler/mapindex.h"

struct clear_set {
	int64_t run;
	char run_id[PATH_NAME_MAX + 1];
	time_t logical_date;
	const char **ids;	/* borrowed from *d */
	int *retries;
	size_t n;
	const struct query_dag *d;	/* the DAG at the run's version: the request's
					 * (the current version) or own */
	struct query_dag own;	/* loaded for a run pinned to another version */
	bool has_own;
	struct query_tis tis;	/* the run's task instances: instance ids are borrowed from it */
};

static bool flag(const json_t *body, const char *name, bool dflt)
{
	json_t *v = json_object_get(body, name);
	return v ? json_is_true(v) : dflt;
}

/* One run's set; false after an answer. cur: the DAG at its current version,
 * shared by every run pinned to it (a clear of every run of a DAG loads the
 * DAG once per version, not once per run). */
static bool clear_run(const struct web_req *r, struct web_resp *resp, struct store *s, const json_t *body,
		      const struct query_dag *cur, const struct query_run *run, struct clear_set *cs)
{
	char err[1024];
	int q;
	memset(cs, 0, sizeof *cs);
	cs->run = run->id;
	snprintf(cs->run_id, sizeof cs->run_id, "%s", run->run_id);
	cs->logical_date = run->logical_date;
	cs->d = cur;
	if (run->version > 0 && run->version != cur->version) {
		if ((q = api_dag(r, resp, s, &cs->own)) != Q_OK)
			return false;
		cs->has_own = true;
		if ((q = meta_pin_run(s, &cs->own, run, err, sizeof err)) == Q_ERROR) {
			api_query_error(resp, q, err);
			return false;
		}
		cs->d = &cs->own;
	}
	const struct query_dag *d = cs->d;
	if ((q = query_ti_states(s, run->id, &cs->tis, err, sizeof err)) != Q_OK) {
		api_query_error(resp, q, err);
		return false;
	}
	const struct query_tis *tis = &cs->tis;
	size_t nt = d->ntasks ? d->ntasks : 1;
	bool *sel = xcalloc(nt, sizeof *sel), *own = xcalloc(nt, sizeof *own);
	bool *isel = xcalloc(tis->n ? tis->n : 1, sizeof *isel);	/* mapped instances, by index in tis */
	bool ok = false;
	json_t *tasks = json_object_get(body, "task_ids");
	bool down = flag(body, "include_downstream", false), up = flag(body, "include_upstream", false);
	if (tasks && json_array_size(tasks)) {
		size_t i;
		json_t *e;
		json_array_foreach(tasks, i, e) {
			const char *id = json_string_value(e);
			long k = query_task_index(d, id);
			if (k < 0 && (k = query_ti_task_index(d, id)) >= 0) {	/* one mapped instance */
				size_t j = 0;
				while (j < tis->n && strcmp(tis->v[j].task_id, id) != 0)
					j++;
				if (j == tis->n) {
					web_problem(resp, 400, "body: field 'task_ids': run %s has no mapped instance '%s'",
						    run->run_id, id);
					goto out;
				}
				isel[j] = true;
				sel[k] |= down || up;	/* for the closure only */
				continue;
			}
			if (k < 0) {
				meta_unknown_task(d, id, err, sizeof err);
				web_problem(resp, 400, "body: field 'task_ids': %s", err);
				goto out;
			}
			sel[k] = own[k] = true;
		}
	} else {
		for (size_t i = 0; i < d->ntasks; i++)
			sel[i] = own[i] = true;
	}
	bool *before = xmalloc(nt * sizeof *before);
	memcpy(before, sel, nt * sizeof *sel);
	meta_closure(d, sel, down, up);
	for (size_t i = 0; i < d->ntasks; i++)	/* an instance's task is in only for its closure */
		if (before[i] && !own[i])
			sel[i] = false;
	free(before);
	bool only_failed = flag(body, "only_failed", true), only_running = flag(body, "only_running", false);
	cs->ids = xcalloc(nt + tis->n, sizeof *cs->ids);
	cs->retries = xcalloc(nt + tis->n, sizeof *cs->retries);
	for (size_t i = 0; i < d->ntasks; i++) {
		if (!sel[i])
			continue;
		const char *st = "none";
		for (size_t k = 0; k < tis->n; k++)
			if (strcmp(tis->v[k].task_id, d->tasks[i].id) == 0)
				st = tis->v[k].state;
		bool failed = strcmp(st, "failed") == 0 || strcmp(st, "upstream_failed") == 0;
		bool running = strcmp(st, "running") == 0 || strcmp(st, "queued") == 0;
		if ((only_failed && !failed) || (only_running && !running))
			continue;
		/* A mapped task under a state filter: its instances in that
		 * state, when it has instances; else the task itself. */
		bool instances = false;
		for (size_t k = 0; (only_failed || only_running) && k < tis->n; k++) {
			const struct query_ti *x = &tis->v[k];
			if (x->map_index < 0 || query_ti_task_index(d, x->task_id) != (long)i)
				continue;
			instances = true;
			bool xf = strcmp(x->state, "failed") == 0 || strcmp(x->state, "upstream_failed") == 0;
			bool xr = strcmp(x->state, "running") == 0 || strcmp(x->state, "queued") == 0;
			if ((!only_failed || xf) && (!only_running || xr))
				isel[k] = true;
		}
		if (instances)
			continue;
		cs->ids[cs->n] = d->tasks[i].id;
		cs->retries[cs->n++] = d->tasks[i].retries;
	}
	for (size_t k = 0; k < tis->n; k++) {
		const char *xs = tis->v[k].state;
		bool xf = strcmp(xs, "failed") == 0 || strcmp(xs, "upstream_failed") == 0;
		bool xr = strcmp(xs, "running") == 0 || strcmp(xs, "queued") == 0;
		if (!isel[k] || (only_failed && !xf) || (only_running && !xr))	/* named ones too */
			continue;
		long t = query_ti_task_index(d, tis->v[k].task_id);
		bool whole = false;	/* its task is cleared as a whole already */
		for (size_t j = 0; j < cs->n && !whole; j++)
			whole = strcmp(cs->ids[j], d->tasks[t].id) == 0;
		if (whole)
			continue;
		cs->ids[cs->n] = tis->v[k].task_id;
		cs->retries[cs->n++] = d->tasks[t].retries;
	}
	ok = true;
out:
	free(sel);
	free(own);
	free(isel);
	return ok;
}

static void sets_free(struct clear_set *sets, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(sets[i].ids);
		free(sets[i].retries);
		query_tis_free(&sets[i].tis);
		if (sets[i].has_own)
			query_dag_free(&sets[i].own);
	}
	free(sets);
}

void api_clear(const struct web_req *r, struct web_resp *resp)
{
	static const struct api_field fields[] = {
		{ "dry_run", API_BOOL }, { "task_ids", API_ARRAY_OF_STRINGS }, { "start_date", API_DATETIME },
		{ "end_date", API_DATETIME }, { "only_failed", API_BOOL }, { "only_running", API_BOOL },
		{ "include_subdags", API_BOOL }, { "include_parentdag", API_BOOL }, { "reset_dag_runs", API_BOOL },
		{ "dag_run_id", API_STRING_OR_NULL }, { "include_upstream", API_BOOL },
		{ "include_downstream", API_BOOL }, { "include_future", API_BOOL }, { "include_past", API_BOOL },
	};
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	struct clear_set *sets = NULL;
	size_t nsets = 0;
	struct query_run_page page = { 0 };
	struct query_dag d;
	bool have_dag = false;
	if (!api_body_check(body, fields, sizeof fields / sizeof *fields, resp))
		goto out;
	static const char *const unsupported[] = { "include_future", "include_past", "include_subdags",
						   "include_parentdag" };
	for (size_t i = 0; i < sizeof unsupported / sizeof *unsupported; i++)
		if (flag(body, unsupported[i], false)) {
			web_problem(resp, 400, "body: field '%s': only false is supported (choose the runs with"
				    " start_date and end_date, or dag_run_id)", unsupported[i]);
			goto out;
		}
	const char *run_id = json_string_value(json_object_get(body, "dag_run_id"));
	json_t *sd = json_object_get(body, "start_date"), *ed = json_object_get(body, "end_date");
	if (run_id && (sd || ed)) {
		web_problem(resp, 400, "body: give dag_run_id or start_date/end_date, not both");
		goto out;
	}
	struct store *s = api_store(r, resp);
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		goto out;
	have_dag = true;
	char err[1024];
	if (run_id) {
		struct query_run run;
		int q = query_run_by_run_id(s, d.dag_id, run_id, &run, NULL, err, sizeof err);
		if (q == Q_NOTFOUND) {
			web_problem(resp, 404, "DAG %s has no run '%s'", d.dag_id, run_id);
			goto out;
		} else if (q != Q_OK) {
			api_query_error(resp, q, err);
			goto out;
		}
		page.v = xcalloc(1, sizeof *page.v);
		page.v[0].r = run;
		page.n = 1;
	} else {
		struct query_run_filter f;
		query_run_filter_init(&f);
		int64_t us;
		if (sd && api_parse_time(json_string_value(sd), &us) == 0)
			f.ld_gte = us / 1000000 + (us % 1000000 > 0);
		if (ed && api_parse_time(json_string_value(ed), &us) == 0)
			f.ld_lte = us / 1000000;
		json_t *one = json_array();
		json_array_append_new(one, jx_str(d.dag_id));
		char *dj = jx_dump(one);
		json_decref(one);
		f.dag_ids_json = dj;
		int q = query_runs_page(s, &f, &page, err, sizeof err);
		free(dj);
		if (q != Q_OK) {
			api_query_error(resp, q, err);
			goto out;
		}
	}
	sets = xcalloc(page.n ? page.n : 1, sizeof *sets);
	for (size_t i = 0; i < page.n; i++) {
		if (!clear_run(r, resp, s, body, &d, &page.v[i].r, &sets[i])) {
			nsets = i + 1;
			goto out;
		}
		nsets = i + 1;
	}
	bool dry = flag(body, "dry_run", true);
	size_t total = 0;
	for (size_t i = 0; i < nsets; i++)
		total += sets[i].n;
	if (!dry && total) {
		api_write_begin(r, s);
		bool ok = store_begin(s) == 0;
		for (size_t i = 0; ok && i < nsets; i++)
			if (sets[i].n && store_clear_tasks(s, sets[i].run, sets[i].ids, sets[i].n, sets[i].retries,
							   "schedweb clear") < 0)
				ok = false;
		if (ok)
			ok = store_commit(s) == 0;
		else if (s->depth > 0)
			store_rollback(s);
		api_write_end(s);
		if (!ok) {
			web_problem(resp, 500, "%s", s->err);
			goto out;
		}
		web_ring(r);
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < nsets; i++)
		for (size_t k = 0; k < sets[i].n; k++) {
			json_t *o = json_object();
			size_t len;
			int index;
			if (map_name_parse(sets[i].ids[k], &len, &index))
				jx_set(o, "task_id", jx_strn(sets[i].ids[k], len));
			else
				jx_set(o, "task_id", jx_str(sets[i].ids[k]));
			jx_set(o, "map_index", json_integer(index));
			jx_set(o, "dag_id", jx_str(d.dag_id));
			jx_set(o, "execution_date", api_time_s(sets[i].logical_date));
			jx_set(o, "dag_run_id", jx_str(sets[i].run_id));
			json_array_append_new(arr, o);
		}
	json_t *doc = json_object();
	jx_set(doc, "task_instances", arr);
	web_json(resp, 200, doc);
out:
	sets_free(sets, nsets);
	query_run_page_free(&page);
	if (have_dag)
		query_dag_free(&d);
	json_decref(body);
}
