/* api_runs.c: the DAG run resources of Airflow's REST API v1.
 *   GET    /api/v1/dags/{dag_id}/dagRuns                   DAGRunCollection
 *   POST   /api/v1/dags/{dag_id}/dagRuns                   trigger -> DAGRun
 *   POST   /api/v1/dags/~/dagRuns/list                     the same list, filters in the body
 *   GET    /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}      DAGRun
 *   PATCH  /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}      {"state": "success"|"failed"}: mark
 *   DELETE /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}      204
 *   POST   /api/v1/dags/{dag_id}/dagRuns/{dag_run_id}/x-stop   not Airflow's: schedctl stop
 * {dag_id} "~" lists the runs of every DAG, as in Airflow. Pages are SQL's
 * (query_runs_page). Every write is the store function schedctl uses, for
 * the request's user (events.actor), then the daemon's doorbell:
 *   trigger = schedctl trigger (store_create_run_as; a paused DAG gets its
 *             run queued, it starts when unpaused; conf keys must be params
 *             the DAG file declares, their values strings);
 *   PATCH   = schedctl mark: success marks every task that has not
 *             succeeded, failed every unfinished task (store_mark_tasks);
 *   DELETE  = schedctl delete (store_delete_run, then the try files);
 *   x-stop  = schedctl stop (store_stop_run). */
#include "ui-web/api.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "lib/path.h"
#include "lib/xalloc.h"
#include "scheduler/cron.h"
#include "scheduler/dag.h"
#include "scheduler/dag_params.h"
#include "scheduler/dagmeta.h"
#include "scheduler/logpath.h"
#include "scheduler/store_cli.h"

/* order_by names, Airflow's, and what they sort by. */
static const char *const run_orders[] = { "id", "execution_date", "logical_date", "start_date", "end_date",
					  "state", "dag_run_id", "dag_id" };
static const enum query_run_order run_order_of[] = { QRO_LOGICAL_DATE, QRO_LOGICAL_DATE, QRO_LOGICAL_DATE,
						     QRO_START_DATE, QRO_END_DATE, QRO_STATE, QRO_RUN_ID,
						     QRO_DAG_ID };

static void runs_answer(struct web_resp *resp, struct store *s, const struct query_run_filter *f)
{
	struct query_run_page p;
	char err[1024];
	if (!api_snapshot_begin(s, resp))
		return;
	int q = query_runs_page(s, f, &p, err, sizeof err);	/* the page and its total agree */
	if (!api_snapshot_end(s, resp)) {
		query_run_page_free(&p);
		return;
	}
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(arr, api_dag_run_json(p.v[i].dag_id, &p.v[i].r, p.v[i].conf, p.v[i].cause));
	json_t *doc = json_object();
	jx_set(doc, "dag_runs", arr);
	jx_set(doc, "total_entries", json_integer((json_int_t)p.total));
	web_json(resp, 200, doc);
	query_run_page_free(&p);
}

/* Seconds bounds of a logical date from microseconds ones. */
static void ld_bounds(struct query_run_filter *f, int64_t gte_us, int64_t lte_us)
{
	if (gte_us != INT64_MIN)
		f->ld_gte = gte_us / 1000000 + (gte_us % 1000000 > 0);
	if (lte_us != INT64_MAX)
		f->ld_lte = lte_us / 1000000 - (lte_us % 1000000 < 0);
}

static bool states_json(struct web_resp *resp, const char *const *states, size_t n, char **out)
{
	*out = NULL;
	if (!n)
		return true;
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++) {
		if (run_state_parse(states[i]) < 0) {
			web_problem(resp, 400, "state: '%s' is not a run state (queued, running, success, failed)",
				    states[i]);
			json_decref(arr);
			return false;
		}
		json_array_append_new(arr, jx_str(states[i]));
	}
	*out = jx_dump(arr);
	json_decref(arr);
	return true;
}

void api_runs_list(const struct web_req *r, struct web_resp *resp)
{
	struct query_run_filter f;
	query_run_filter_init(&f);
	long limit, offset;
	int64_t ld_gte = INT64_MIN, ld_lte = INT64_MAX;
	bool desc;
	int o;
	if (!api_page(r, resp, &limit, &offset) ||
	    !api_query_time(r, resp, "execution_date_gte", &ld_gte) ||
	    !api_query_time(r, resp, "execution_date_lte", &ld_lte) ||
	    !api_query_time(r, resp, "logical_date_gte", &ld_gte) ||
	    !api_query_time(r, resp, "logical_date_lte", &ld_lte) ||
	    !api_query_time(r, resp, "start_date_gte", &f.sd_gte) ||
	    !api_query_time(r, resp, "start_date_lte", &f.sd_lte) ||
	    !api_query_time(r, resp, "end_date_gte", &f.ed_gte) ||
	    !api_query_time(r, resp, "end_date_lte", &f.ed_lte) ||
	    (o = api_order(r, resp, run_orders, sizeof run_orders / sizeof *run_orders, &desc)) < 0)
		return;
	ld_bounds(&f, ld_gte, ld_lte);
	f.limit = limit;
	f.offset = offset;
	f.order = run_order_of[o];
	f.desc = desc;
	const char *states[16];
	int nstates = web_query_all(r, "state", states, 16);
	char *sj = NULL, *dj = NULL;
	if (!states_json(resp, states, (size_t)nstates, &sj))
		return;
	f.states_json = sj;
	struct store *s = api_store(r, resp);
	if (!s)
		goto out;
	const char *dag_id = web_param(r, "dag_id");
	if (strcmp(dag_id, "~") != 0) {
		struct query_dag d;
		if (api_dag(r, resp, s, &d) != Q_OK)
			goto out;
		query_dag_free(&d);
		json_t *one = json_array();
		json_array_append_new(one, jx_str(dag_id));
		dj = jx_dump(one);
		json_decref(one);
		f.dag_ids_json = dj;
	}
	runs_answer(resp, s, &f);
out:
	free(sj);
	free(dj);
}

void api_runs_batch(const struct web_req *r, struct web_resp *resp)
{
	static const struct api_field fields[] = {
		{ "order_by", API_STRING },
		{ "dag_ids", API_ARRAY_OF_STRINGS }, { "states", API_ARRAY_OF_STRINGS },
		{ "execution_date_gte", API_DATETIME }, { "execution_date_lte", API_DATETIME },
		{ "start_date_gte", API_DATETIME }, { "start_date_lte", API_DATETIME },
		{ "end_date_gte", API_DATETIME }, { "end_date_lte", API_DATETIME },
	};
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	/* page_offset and page_limit are integers: checked (and taken out) here,
	 * the rest by api_body_check. */
	json_t *po = json_object_get(body, "page_offset"), *pl = json_object_get(body, "page_limit");
	if ((po && (!json_is_integer(po) || json_integer_value(po) < 0)) ||
	    (pl && (!json_is_integer(pl) || json_integer_value(pl) < 1))) {
		web_problem(resp, 400, "body: field '%s' must be an integer of at least %d",
			    po && (!json_is_integer(po) || json_integer_value(po) < 0) ? "page_offset" : "page_limit",
			    po && (!json_is_integer(po) || json_integer_value(po) < 0) ? 0 : 1);
		json_decref(body);
		return;
	}
	json_int_t offset = po ? json_integer_value(po) : 0, limit = pl ? json_integer_value(pl) : API_PAGE_DEFAULT;
	json_object_del(body, "page_offset");
	json_object_del(body, "page_limit");
	if (!api_body_check(body, fields, sizeof fields / sizeof *fields, resp)) {
		json_decref(body);
		return;
	}
	struct query_run_filter f;
	query_run_filter_init(&f);
	f.limit = limit > API_PAGE_MAX ? API_PAGE_MAX : (long)limit;
	f.offset = (long)offset;
	int64_t ld_gte = INT64_MIN, ld_lte = INT64_MAX;
	struct { const char *name; int64_t *v; } times[] = {
		{ "execution_date_gte", &ld_gte }, { "execution_date_lte", &ld_lte },
		{ "start_date_gte", &f.sd_gte }, { "start_date_lte", &f.sd_lte },
		{ "end_date_gte", &f.ed_gte }, { "end_date_lte", &f.ed_lte },
	};
	for (size_t i = 0; i < sizeof times / sizeof *times; i++) {
		json_t *v = json_object_get(body, times[i].name);
		if (v)
			api_parse_time(json_string_value(v), times[i].v);
	}
	ld_bounds(&f, ld_gte, ld_lte);
	const char *ob = json_string_value(json_object_get(body, "order_by"));
	if (ob) {
		bool desc = *ob == '-';
		size_t k = 0, n = sizeof run_orders / sizeof *run_orders;
		while (k < n && strcmp(run_orders[k], ob + desc) != 0)
			k++;
		if (k == n) {
			web_problem(resp, 400, "body: field 'order_by': '%s' is not one of id, execution_date,"
				    " logical_date, start_date, end_date, state, dag_run_id, dag_id", ob);
			json_decref(body);
			return;
		}
		f.order = run_order_of[k];
		f.desc = desc;
	}
	char *sj = NULL, *dj = NULL;
	json_t *states = json_object_get(body, "states"), *dags = json_object_get(body, "dag_ids");
	if (states && json_array_size(states)) {
		size_t n = json_array_size(states);
		const char **v = xcalloc(n, sizeof *v);
		for (size_t i = 0; i < n; i++)
			v[i] = json_string_value(json_array_get(states, i));
		bool ok = states_json(resp, v, n, &sj);
		free(v);
		if (!ok) {
			json_decref(body);
			return;
		}
	}
	if (dags && json_array_size(dags))
		dj = jx_dump(dags);
	f.states_json = sj;
	f.dag_ids_json = dj;
	struct store *s = api_store(r, resp);
	if (s)
		runs_answer(resp, s, &f);
	free(sj);
	free(dj);
	json_decref(body);
}

/* The run's DAGRun document, read back after a write. */
static void run_answer(struct web_resp *resp, struct store *s, const char *dag_id, int64_t id, int status)
{
	struct query_run run;
	char err[1024], *conf, *cause;
	int q = query_run_by_id(s, id, &run, err, sizeof err);
	if (q == Q_OK)
		q = query_run_extra(s, id, &conf, &cause, err, sizeof err);
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		return;
	}
	web_json(resp, status, api_dag_run_json(dag_id, &run, conf, cause));
	free(conf);
	free(cause);
}

void api_run_get(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = api_store(r, resp);
	struct query_dag d;
	struct query_run run;
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		return;
	if (api_run(r, resp, s, d.dag_id, &run) == Q_OK)
		run_answer(resp, s, d.dag_id, run.id, 200);
	query_dag_free(&d);
}

/* conf's keys are params the DAG file declares, its values strings (the
 * run's templates read them as text); false after a 400. */
static bool conf_check(struct web_resp *resp, const struct query_dag *d, json_t *conf)
{
	if (!conf || json_object_size(conf) == 0)
		return true;
	char err[1200];
	struct dag *dag = dag_params_load(d->file, err, sizeof err);
	if (!dag) {
		web_problem(resp, 400, "body: field 'conf': cannot check it: %s", err);
		return false;
	}
	const char *key;
	json_t *v;
	bool ok = true;
	json_object_foreach(conf, key, v) {
		if (dag_params_check(dag, key, err, sizeof err) < 0) {
			web_problem(resp, 400, "body: field 'conf.%s': %s", key, err);
			ok = false;
			break;
		}
		if (!json_is_string(v)) {
			web_problem(resp, 400, "body: field 'conf.%s' must be a string (params are text)", key);
			ok = false;
			break;
		}
	}
	dag_free(dag);
	return ok;
}

void api_run_trigger(const struct web_req *r, struct web_resp *resp)
{
	static const struct api_field fields[] = {
		{ "dag_run_id", API_STRING_OR_NULL }, { "logical_date", API_DATETIME },
		{ "execution_date", API_DATETIME }, { "conf", API_OBJECT },
	};
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	struct store *s = NULL;
	struct query_dag d = { 0 };
	bool have_dag = false;
	if (!api_body_check(body, fields, sizeof fields / sizeof *fields, resp))
		goto out;
	const char *run_id_as = json_string_value(json_object_get(body, "dag_run_id"));
	const char *why;
	if (run_id_as && (why = path_name_problem(run_id_as))) {
		web_problem(resp, 400, "body: field 'dag_run_id': '%s' %s (a run id is one path component of at"
			    " most %d bytes)", run_id_as, why, PATH_NAME_MAX);
		goto out;
	}
	/* The prefixes of the ids the scheduler makes itself (as schedctl
	 * trigger refuses them): a chosen one could block a scheduled run. */
	static const char *const reserved[] = { "scheduled__", "manual__", "backfill__", "test__" };
	for (size_t i = 0; run_id_as && i < sizeof reserved / sizeof *reserved; i++)
		if (strncmp(run_id_as, reserved[i], strlen(reserved[i])) == 0) {
			web_problem(resp, 400, "body: field 'dag_run_id': '%s' starts with '%s', kept for the run"
				    " ids the scheduler makes", run_id_as, reserved[i]);
			goto out;
		}
	time_t now = time(NULL), logical = now;
	json_t *ld = json_object_get(body, "logical_date");
	if (!ld)
		ld = json_object_get(body, "execution_date");
	if (ld) {
		int64_t us;
		api_parse_time(json_string_value(ld), &us);
		logical = (time_t)(us / 1000000);
	}
	if (logical > now) {
		web_problem(resp, 400, "body: field 'logical_date': %s is in the future",
			    json_string_value(ld));
		goto out;
	}
	s = api_store(r, resp);
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		goto out;
	have_dag = true;
	if (strcmp(d.schedule, "stream") == 0) {
		web_problem(resp, 400, "DAG %s is a stream DAG: it has no runs; its tasks run while it is"
			    " unpaused", d.dag_id);
		goto out;
	}
	json_t *conf = json_object_get(body, "conf");
	if (!conf_check(resp, &d, conf))
		goto out;
	time_t end = logical;
	struct cron c;
	char cerr[256];
	if (cron_parse(d.schedule, &c, cerr, sizeof cerr) == 0) {
		end = cron_next_after(&c, d.timezone, logical);
		if (end == (time_t)-1)
			end = logical;
	}
	char *conf_text = conf && json_object_size(conf) ? jx_dump(conf) : NULL;
	char existing[PATH_NAME_MAX + 1];
	api_write_begin(r, s);
	int64_t id = store_create_run_as(s, d.dag_id, run_id_as, d.timezone, logical, end, "manual", conf_text,
					 0, logical, "schedweb trigger", existing, sizeof existing);
	api_write_end(s);
	free(conf_text);
	if (id == -2) {
		web_problem(resp, 409, "DAG %s already has a run with id '%s' (run ids are unique per DAG)",
			    d.dag_id, run_id_as);
	} else if (id == 0) {
		web_problem(resp, 409, "DAG %s already has a run for that logical date: %s (clear it to run it"
			    " again)", d.dag_id, existing);
	} else if (id < 0) {
		web_problem(resp, 500, "%s", s->err);
	} else {
		web_ring(r);
		run_answer(resp, s, d.dag_id, id, 200);
	}
out:
	if (have_dag)
		query_dag_free(&d);
	json_decref(body);
}

/* states[i]: the state of task i of d in the run ("none" when not
 * instantiated); NULL after a 500. */
static char (*run_states(struct web_resp *resp, struct store *s, int64_t run, const struct query_dag *d))[16]
{
	char (*states)[16] = xcalloc(d->ntasks ? d->ntasks : 1, sizeof *states);
	for (size_t i = 0; i < d->ntasks; i++)
		snprintf(states[i], 16, "none");
	struct query_tis tis;
	char err[1024];
	int q = query_ti_states(s, run, &tis, err, sizeof err);
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		free(states);
		return NULL;
	}
	for (size_t i = 0; i < tis.n; i++) {
		long k = query_task_index(d, tis.v[i].task_id);
		if (k >= 0)
			snprintf(states[k], 16, "%s", tis.v[i].state);
	}
	query_tis_free(&tis);
	return states;
}

/* The DAG (pinned to the run's version) and the run of the path; false after
 * an answer. */
static bool open_run(const struct web_req *r, struct web_resp *resp, struct store **s, struct query_dag *d,
		     struct query_run *run)
{
	*s = api_store(r, resp);
	if (!*s || api_dag(r, resp, *s, d) != Q_OK)
		return false;
	char err[1024];
	int q;
	if (api_run(r, resp, *s, d->dag_id, run) != Q_OK)
		goto fail;
	if ((q = meta_pin_run(*s, d, run, err, sizeof err)) == Q_ERROR) {
		api_query_error(resp, q, err);
		goto fail;
	}
	return true;
fail:
	query_dag_free(d);
	return false;
}

void api_run_patch(const struct web_req *r, struct web_resp *resp)
{
	static const struct api_field fields[] = { { "state", API_STRING } };
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	if (!api_body_check(body, fields, 1, resp)) {
		json_decref(body);
		return;
	}
	const char *st = json_string_value(json_object_get(body, "state"));
	if (!st || (strcmp(st, "success") != 0 && strcmp(st, "failed") != 0)) {
		web_problem(resp, 400, "body: field 'state' must be success or failed%s", st && strcmp(st, "queued") == 0
			    ? " (to run a run again, POST .../clearTaskInstances)" : "");
		json_decref(body);
		return;
	}
	char target[16];
	snprintf(target, sizeof target, "%s", st);
	json_decref(body);
	struct store *s;
	struct query_dag d;
	struct query_run run;
	if (!open_run(r, resp, &s, &d, &run))
		return;
	char (*states)[16] = run_states(resp, s, run.id, &d);
	if (!states) {
		query_dag_free(&d);
		return;
	}
	size_t nt = d.ntasks ? d.ntasks : 1;
	bool *sel = xcalloc(nt, sizeof *sel), *downs = xcalloc(nt, sizeof *downs);
	const char **marked = xcalloc(nt, sizeof *marked), **reset = xcalloc(nt, sizeof *reset),
		   **all = xcalloc(nt, sizeof *all);
	bool success = strcmp(target, "success") == 0;
	for (size_t i = 0; i < d.ntasks; i++) {
		enum ti_state ts = (enum ti_state)ti_state_parse(states[i]);
		sel[i] = success ? strcmp(states[i], "success") != 0 : !ti_state_finished(ts);
	}
	memcpy(downs, sel, nt * sizeof *downs);
	meta_closure(&d, downs, true, false);
	size_t nmarked = 0, nreset = 0;
	for (size_t i = 0; i < d.ntasks; i++) {
		all[i] = d.tasks[i].id;
		if (sel[i])
			marked[nmarked++] = d.tasks[i].id;
		else if (downs[i] && success && strcmp(states[i], "upstream_failed") == 0)
			reset[nreset++] = d.tasks[i].id;
	}
	if (nmarked == 0 && strcmp(run.state, target) != 0) {
		web_problem(resp, 409, "run %s of %s is %s and every task has finished: nothing to mark %s",
			    run.run_id, d.dag_id, run.state, target);
	} else if (nmarked == 0) {
		run_answer(resp, s, d.dag_id, run.id, 200);
	} else {
		char cause[300];
		const struct web_user *u = web_user(r);
		snprintf(cause, sizeof cause, "marked %s by %s", target, u && u->name ? u->name : "anonymous");
		size_t nstopped;
		api_write_begin(r, s);
		int rc = store_mark_tasks(s, run.id, target, marked, nmarked, reset, nreset, all, d.ntasks, cause,
					  s->actor, &nstopped);
		api_write_end(s);
		if (rc == 0) {
			web_ring(r);
			run_answer(resp, s, d.dag_id, run.id, 200);
		} else {
			web_problem(resp, 500, "%s", s->err);
		}
	}
	free(states);
	free(sel);
	free(downs);
	free(marked);
	free(reset);
	free(all);
	query_dag_free(&d);
}

void api_run_stop(const struct web_req *r, struct web_resp *resp)
{
	struct store *s;
	struct query_dag d;
	struct query_run run;
	if (!open_run(r, resp, &s, &d, &run))
		return;
	if (strcmp(run.state, "queued") != 0 && strcmp(run.state, "running") != 0) {
		web_problem(resp, 409, "run %s of %s has already ended (%s): nothing to stop", run.run_id, d.dag_id,
			    run.state);
		query_dag_free(&d);
		return;
	}
	const char **ids = xcalloc(d.ntasks ? d.ntasks : 1, sizeof *ids);
	for (size_t i = 0; i < d.ntasks; i++)
		ids[i] = d.tasks[i].id;
	char cause[300];
	const struct web_user *u = web_user(r);
	snprintf(cause, sizeof cause, "stopped by %s", u && u->name ? u->name : "anonymous");
	size_t nstopped;
	api_write_begin(r, s);
	int rc = store_stop_run(s, run.id, ids, d.ntasks, cause, s->actor, &nstopped);
	api_write_end(s);
	if (rc == 0) {
		web_ring(r);
		run_answer(resp, s, d.dag_id, run.id, 200);
	} else {
		web_problem(resp, 500, "%s", s->err);
	}
	free(ids);
	query_dag_free(&d);
}

void api_run_delete(const struct web_req *r, struct web_resp *resp)
{
	struct store *s;
	struct query_dag d;
	struct query_run run;
	if (!open_run(r, resp, &s, &d, &run))
		return;
	if (strcmp(run.state, "queued") == 0 || strcmp(run.state, "running") == 0) {
		web_problem(resp, 409, "run %s of %s is %s: stop it first (POST .../x-stop), or wait until it ends",
			    run.run_id, d.dag_id, run.state);
		query_dag_free(&d);
		return;
	}
	char cause[600];
	const struct web_user *u = web_user(r);
	snprintf(cause, sizeof cause, "run %s deleted by %s", run.run_id, u && u->name ? u->name : "anonymous");
	struct store_paths logs;
	api_write_begin(r, s);
	int rc = store_delete_run(s, run.id, cause, s->actor, &logs);
	api_write_end(s);
	if (rc < 0) {
		/* A stopped try that has not ended yet, or the store failed. */
		web_problem(resp, 409, "%s", s->err);
		query_dag_free(&d);
		return;
	}
	size_t failed = 0;
	char err[4400], first[4400] = "";
	for (size_t i = 0; i < logs.n; i++)
		if (logpath_remove_try(logs.v[i], err, sizeof err) < 0 && failed++ == 0)
			snprintf(first, sizeof first, "%s", err);
	store_paths_free(&logs);
	if (failed)
		web_problem(resp, 500, "run %s deleted, but %zu tr%s log files could not be removed: %s", run.run_id,
			    failed, failed == 1 ? "y's" : "ies'", first);
	else
		resp->status = 204;	/* no body */
	query_dag_free(&d);
}
