/* api_events.c: GET /api/v1/eventLogs, Airflow's EventLogCollection over the
 * events table (one row per state transition and per person's action).
 * A mapped instance's event ("task[N]" in the store) has task_id the task's
 * and map_index N, as Airflow's; ?task_id=T selects T's events and its
 * instances', with ?map_index=N one instance's (-1: the task's own).
 * An EventLog's event is the transition's new state ("queued", "success",
 * "paused"...), owner the user who asked (events.actor; null for the
 * daemon's own transitions), extra "from <old state>: <cause>". Filters
 * dag_id, task_id, run_id, event, owner, before, after (inclusive); order_by
 * event_log_id (default), when, dag_id, task_id, event, owner; paged by SQL
 * (query_events_page). */
#include "ui-web/api.h"

#include <stdlib.h>
#include <string.h>

#include "lib/json.h"
#include "scheduler/mapindex.h"

static json_t *event_json(const struct query_event *e)
{
	json_t *o = json_object();
	jx_set(o, "event_log_id", json_integer((json_int_t)e->id));
	jx_set(o, "when", api_time_us(e->at_us));
	jx_set(o, "dag_id", api_str(e->dag_id));
	size_t len;
	int index;
	if (e->task_id && map_name_parse(e->task_id, &len, &index))
		jx_set(o, "task_id", jx_strn(e->task_id, len));
	else
		jx_set(o, "task_id", api_str(e->task_id));
	jx_set(o, "map_index", e->task_id ? json_integer(index) : json_null());
	jx_set(o, "run_id", api_str(e->run_id));
	jx_set(o, "try_number", e->try_number > 0 ? json_integer(e->try_number) : json_null());
	jx_set(o, "event", jx_str(e->new_state ? e->new_state : ""));
	jx_set(o, "execution_date", json_null());
	jx_set(o, "owner", api_str(e->actor));
	struct buf extra = { 0 };
	if (e->old_state)
		buf_printf(&extra, "from %s", e->old_state);
	if (e->cause)
		buf_printf(&extra, "%s%s", e->old_state ? ": " : "", e->cause);
	jx_set(o, "extra", extra.len ? jx_str(buf_str(&extra)) : json_null());
	buf_free(&extra);
	return o;
}

void api_events_list(const struct web_req *r, struct web_resp *resp)
{
	static const char *const orders[] = { "event_log_id", "when", "dag_id", "task_id", "event", "owner" };
	static const enum query_event_order order_of[] = { QEO_ID, QEO_WHEN, QEO_DAG_ID, QEO_TASK_ID, QEO_EVENT,
							   QEO_OWNER };
	struct query_event_page_filter f = { .after_us = INT64_MIN, .before_us = INT64_MAX };
	long limit, offset;
	bool desc;
	int o;
	if (!api_page(r, resp, &limit, &offset) || !api_query_time(r, resp, "after", &f.after_us) ||
	    !api_query_time(r, resp, "before", &f.before_us) ||
	    (o = api_order(r, resp, orders, sizeof orders / sizeof *orders, &desc)) < 0)
		return;
	f.limit = limit;
	f.offset = offset;
	f.order = order_of[o];
	f.desc = desc;
	f.dag_id = web_query(r, "dag_id");
	f.task_id = web_query(r, "task_id");
	const char *mi = web_query(r, "map_index");
	char name[PATH_NAME_MAX + 16];
	if (mi) {
		char *end;
		long v = strtol(mi, &end, 10);
		if (!*mi || *end || v < -1 || v > MAP_INDEX_MAX) {
			web_problem(resp, 400, "query parameter map_index: '%s' is not a map index (-1, 0, 1, ...)", mi);
			return;
		}
		if (!f.task_id) {
			web_problem(resp, 400, "query parameter map_index needs task_id (the mapped task's)");
			return;
		}
		if (v >= 0 && map_name_format(name, sizeof name, f.task_id, (int)v) == 0)
			f.task_id = name;
	} else {
		f.task_instances = f.task_id != NULL;
	}
	f.run_id = web_query(r, "run_id");
	f.event = web_query(r, "event");
	f.owner = web_query(r, "owner");
	struct store *s = api_store(r, resp);
	if (!s)
		return;
	struct query_event_page p;
	char err[1024];
	if (!api_snapshot_begin(s, resp))
		return;
	int q = query_events_page(s, &f, &p, err, sizeof err);	/* the page and its total agree */
	if (!api_snapshot_end(s, resp)) {
		query_event_page_free(&p);
		return;
	}
	if (q != Q_OK) {
		api_query_error(resp, q, err);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < p.n; i++)
		json_array_append_new(arr, event_json(&p.v[i]));
	json_t *doc = json_object();
	jx_set(doc, "event_logs", arr);
	jx_set(doc, "total_entries", json_integer((json_int_t)p.total));
	web_json(resp, 200, doc);
	query_event_page_free(&p);
}
