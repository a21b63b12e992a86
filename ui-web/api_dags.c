/* api_dags.c: the DAG resources of Airflow's REST API v1.
 *   GET   /api/v1/dags                     DAGCollection (limit, offset, order_by,
 *                                          paused, only_active, dag_id_pattern)
 *   GET   /api/v1/dags/{dag_id}            DAG
 *   PATCH /api/v1/dags/{dag_id}            {"is_paused": b} (update_mask=is_paused)
 *   GET   /api/v1/dags/{dag_id}/details    DAGDetail
 *   GET   /api/v1/dags/{dag_id}/tasks      TaskCollection
 *   GET   /api/v1/dags/{dag_id}/x-versions not Airflow's: the DAG's stored versions
 * The DAGs are the daemon's record (dags table, as schedctl dags shows
 * them); a deployment has tens of DAGs, so the list is filtered, ordered and
 * paged over the whole record in memory, while runs and events (which grow
 * with history) are paged by SQL. Pausing goes through store_set_paused,
 * exactly as schedctl pause does, and rings the daemon. */
#include "ui-web/api.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "lib/json.h"
#include "scheduler/dagmeta.h"

static json_t *schedule_json(const char *schedule)
{
	if (!schedule || !*schedule || strcmp(schedule, "none") == 0)
		return json_null();	/* Airflow's schedule None */
	json_t *o = json_object();
	jx_set(o, "__type", jx_str("CronExpression"));
	jx_set(o, "value", jx_str(schedule));
	return o;
}

/* The fields DAG and DAGDetail share. */
static json_t *dag_json(const char *dag_id, const char *file, const char *description,
			const char *schedule, bool paused, bool active, const char *errors, int64_t next_run)
{
	json_t *o = json_object();
	jx_set(o, "dag_id", jx_str(dag_id));
	jx_set(o, "root_dag_id", json_null());
	jx_set(o, "is_paused", json_boolean(paused));
	jx_set(o, "is_active", json_boolean(active));
	jx_set(o, "is_subdag", json_false());
	jx_set(o, "fileloc", jx_str(file));
	jx_set(o, "description", api_str(description && *description ? description : NULL));
	jx_set(o, "owners", json_array());
	jx_set(o, "tags", json_array());
	jx_set(o, "schedule_interval", schedule_json(schedule));
	jx_set(o, "timetable_description", api_str(schedule && strcmp(schedule, "none") != 0 ? schedule : NULL));
	jx_set(o, "has_import_errors", json_boolean(errors != NULL));
	jx_set(o, "next_dagrun", next_run > 0 ? api_time_s(next_run) : json_null());
	return o;
}

static int by_id(const void *a, const void *b)
{
	const struct query_dag_summary *x = *(const struct query_dag_summary *const *)a;
	const struct query_dag_summary *y = *(const struct query_dag_summary *const *)b;
	return strcmp(x->dag_id, y->dag_id);
}

void api_dags_list(const struct web_req *r, struct web_resp *resp)
{
	long limit, offset;
	int paused = -1, only_active = 1;
	bool desc;
	static const char *const orders[] = { "dag_id" };
	if (!api_page(r, resp, &limit, &offset) || !api_query_bool(r, resp, "paused", &paused) ||
	    !api_query_bool(r, resp, "only_active", &only_active) ||
	    api_order(r, resp, orders, 1, &desc) < 0)
		return;
	const char *pattern = web_query(r, "dag_id_pattern");
	struct store *s = api_store(r, resp);
	if (!s)
		return;
	struct query_dag_list l;
	char err[1024];
	int q = query_dags(s, &l, err, sizeof err);
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		return;
	}
	const struct query_dag_summary **sel = calloc(l.ndags ? l.ndags : 1, sizeof *sel);
	size_t n = 0;
	for (size_t i = 0; sel && i < l.ndags; i++) {
		const struct query_dag_summary *d = &l.dags[i];
		if ((paused >= 0 && d->paused != (paused == 1)) || (only_active && !d->active) ||
		    (pattern && !strcasestr(d->dag_id, pattern)))
			continue;
		sel[n++] = d;
	}
	if (!sel) {
		query_dag_list_free(&l);
		web_problem(resp, 500, "out of memory");
		return;
	}
	qsort(sel, n, sizeof *sel, by_id);
	json_t *arr = json_array();
	for (size_t k = (size_t)offset; k < n && k < (size_t)offset + (size_t)limit; k++) {
		const struct query_dag_summary *d = sel[desc ? n - 1 - k : k];
		json_array_append_new(arr, dag_json(d->dag_id, d->file, d->description, d->schedule, d->paused,
						    d->active, d->errors, d->next_run));
	}
	json_t *doc = json_object();
	jx_set(doc, "dags", arr);
	jx_set(doc, "total_entries", json_integer((json_int_t)n));
	web_json(resp, 200, doc);
	free(sel);
	query_dag_list_free(&l);
}

static json_t *dag_detail_json(const struct query_dag *d, bool detail)
{
	json_t *o = dag_json(d->dag_id, d->file, d->description, d->schedule, d->paused, true, d->errors,
			     d->next_run);
	if (detail) {
		jx_set(o, "timezone", jx_str(d->timezone));
		jx_set(o, "catchup", json_false());
		jx_set(o, "doc_md", json_null());
	}
	return o;
}

static void dag_get_common(const struct web_req *r, struct web_resp *resp, bool detail)
{
	struct store *s = api_store(r, resp);
	struct query_dag d;
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		return;
	web_json(resp, 200, dag_detail_json(&d, detail));
	query_dag_free(&d);
}

void api_dag_get(const struct web_req *r, struct web_resp *resp) { dag_get_common(r, resp, false); }
void api_dag_details(const struct web_req *r, struct web_resp *resp) { dag_get_common(r, resp, true); }

void api_dag_patch(const struct web_req *r, struct web_resp *resp)
{
	const char *mask = web_query(r, "update_mask");
	if (mask && strcmp(mask, "is_paused") != 0) {
		web_problem(resp, 400, "query parameter update_mask: '%s' cannot be updated (only is_paused)", mask);
		return;
	}
	json_t *body = web_body_json(r, resp);
	if (!body)
		return;
	static const struct api_field fields[] = { { "is_paused", API_BOOL } };
	/* Airflow's PATCH takes a whole DAG object and applies the masked
	 * fields; here the only writable one is is_paused, so any other field
	 * is refused rather than silently ignored. */
	if (!api_body_check(body, fields, 1, resp)) {
		json_decref(body);
		return;
	}
	json_t *p = json_object_get(body, "is_paused");
	if (!p) {
		web_problem(resp, 400, "body: field 'is_paused' is required");
		json_decref(body);
		return;
	}
	bool paused = json_is_true(p);
	json_decref(body);
	struct store *s = api_store(r, resp);
	struct query_dag d;
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		return;
	if (d.paused != paused) {
		api_write_begin(r, s);
		int rc = store_set_paused(s, d.dag_id, paused, "schedweb");
		api_write_end(s);
		if (rc < 0) {
			web_problem(resp, 500, "%s", s->err);
			query_dag_free(&d);
			return;
		}
		web_ring(r);
		d.paused = paused;
	}
	web_json(resp, 200, dag_detail_json(&d, false));
	query_dag_free(&d);
}

void api_dag_tasks(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = api_store(r, resp);
	struct query_dag d;
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		return;
	json_t *arr = json_array();
	for (size_t i = 0; i < d.ntasks; i++) {
		const struct query_task *t = &d.tasks[i];
		json_t *o = json_object();
		jx_set(o, "task_id", jx_str(t->id));
		jx_set(o, "trigger_rule", jx_str(t->trigger_rule ? t->trigger_rule : "all_success"));
		jx_set(o, "retries", json_integer(t->retries));
		jx_set(o, "is_mapped", json_boolean(t->mapped));
		jx_set(o, "class_ref", json_null());
		json_t *down = json_array();
		for (size_t k = 0; k < d.ntasks; k++)
			for (size_t u = 0; u < d.tasks[k].nup; u++)
				if (d.tasks[k].up[u] == i)
					json_array_append_new(down, jx_str(d.tasks[k].id));
		jx_set(o, "downstream_task_ids", down);
		json_array_append_new(arr, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "tasks", arr);
	jx_set(doc, "total_entries", json_integer((json_int_t)d.ntasks));
	web_json(resp, 200, doc);
	query_dag_free(&d);
}

/* GET /api/v1/dags/{dag_id}/x-versions: not Airflow's (schedctl dags DAG
 * --versions): every stored content of the DAG's file, oldest first, with
 * the runs pinned to each. */
void api_dag_versions(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = api_store(r, resp);
	struct query_dag d;
	if (!s || api_dag(r, resp, s, &d) != Q_OK)
		return;
	struct query_dag_versions v;
	char err[1024];
	int q = query_dag_versions(s, d.dag_id, &v, err, sizeof err);
	query_dag_free(&d);
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < v.n; i++) {
		const struct query_dag_version *x = &v.v[i];
		json_t *o = json_object();
		jx_set(o, "version", json_integer((json_int_t)x->id));
		jx_set(o, "created", api_time_us(x->created_us));
		jx_set(o, "hash", jx_str(x->hash));
		jx_set(o, "fileloc", jx_str(x->file));
		jx_set(o, "tasks", json_integer(x->ntasks));
		jx_set(o, "runs", json_integer(x->nruns));
		jx_set(o, "active_runs", json_integer(x->nactive));
		json_t *ids = x->run_ids ? json_loads(x->run_ids, 0, NULL) : NULL;
		jx_set(o, "run_ids", json_is_array(ids) ? ids : (json_decref(ids), json_array()));
		jx_set(o, "current", json_boolean(x->current));
		json_array_append_new(arr, o);
	}
	json_t *doc = json_object();
	jx_set(doc, "versions", arr);
	jx_set(doc, "total_entries", json_integer((json_int_t)v.n));
	web_json(resp, 200, doc);
	query_dag_versions_free(&v);
}
