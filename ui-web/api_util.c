/* api_util.c: the parts of api.h every handler of the REST API shares. */
#include "ui-web/api.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/civil.h"
#include "lib/json.h"
#include "scheduler/dagmeta.h"
#include "ui-web/api_parse.h"

json_t *api_str(const char *s)
{
	return s ? jx_str(s) : json_null();
}

json_t *api_time_s(int64_t s)
{
	/* UTC by civil arithmetic (lib/civil.h): a page of 100 task instances
	 * formats 300 dates, and a zone lookup per date (tz_format_iso) cost
	 * more than the page's reads. */
	int64_t days = civil_floor_div(s, 86400), sec = s - days * 86400, y;
	int m, d;
	civil_from_days(days, &y, &m, &d);
	char buf[64];
	snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02d:%02d:%02d+00:00", (long long)y, m, d, (int)(sec / 3600),
		 (int)(sec / 60 % 60), (int)(sec % 60));
	return jx_str(buf);
}

json_t *api_time_us(int64_t us)
{
	if (us <= 0)
		return json_null();
	return api_time_s(us / 1000000);
}

static bool parse_long(const char *v, long *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < 0)
		return false;
	*out = x;
	return true;
}

bool api_page(const struct web_req *r, struct web_resp *resp, long *limit, long *offset)
{
	const char *l = web_query(r, "limit"), *o = web_query(r, "offset");
	*limit = API_PAGE_DEFAULT;
	*offset = 0;
	if (l && (!parse_long(l, limit) || *limit < 1)) {
		web_problem(resp, 400, "query parameter limit: '%s' is not a whole number of at least 1", l);
		return false;
	}
	if (*limit > API_PAGE_MAX)
		*limit = API_PAGE_MAX;	/* Airflow caps it the same way */
	if (o && !parse_long(o, offset)) {
		web_problem(resp, 400, "query parameter offset: '%s' is not a whole number of at least 0", o);
		return false;
	}
	return true;
}

bool api_query_bool(const struct web_req *r, struct web_resp *resp, const char *name, int *v)
{
	const char *q = web_query(r, name);
	if (!q)
		return true;
	if (strcmp(q, "true") == 0)
		*v = 1;
	else if (strcmp(q, "false") == 0)
		*v = 0;
	else {
		web_problem(resp, 400, "query parameter %s: '%s' is not true or false", name, q);
		return false;
	}
	return true;
}

bool api_query_time(const struct web_req *r, struct web_resp *resp, const char *name, int64_t *us)
{
	const char *q = web_query(r, name);
	if (!q)
		return true;
	if (api_parse_time(q, us) < 0) {
		web_problem(resp, 400, "query parameter %s: '%s' is not an RFC 3339 date-time"
			    " (2026-03-01T00:00:00Z)", name, q);
		return false;
	}
	return true;
}

int api_order(const struct web_req *r, struct web_resp *resp, const char *const *names, size_t n,
	      bool *desc)
{
	const char *q = web_query(r, "order_by");
	*desc = false;
	if (!q)
		return 0;
	const char *name = q;
	if (*name == '-') {
		*desc = true;
		name++;
	}
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return (int)i;
	struct buf known = { 0 };
	for (size_t i = 0; i < n; i++)
		buf_printf(&known, "%s%s", i ? ", " : "", names[i]);
	web_problem(resp, 400, "query parameter order_by: '%s' is not one of %s (a leading '-' for"
		    " descending)", q, buf_str(&known));
	buf_free(&known);
	return -1;
}

static const char *type_name(enum api_type t)
{
	switch (t) {
	case API_STRING: return "a string";
	case API_BOOL: return "a boolean";
	case API_OBJECT: return "an object";
	case API_ARRAY_OF_STRINGS: return "an array of strings";
	case API_DATETIME: return "an RFC 3339 date-time string";
	case API_STRING_OR_NULL: return "a string or null";
	}
	return "?";
}

static bool type_ok(const json_t *v, enum api_type t)
{
	int64_t us;
	switch (t) {
	case API_STRING: return json_is_string(v);
	case API_STRING_OR_NULL: return json_is_string(v) || json_is_null(v);
	case API_BOOL: return json_is_boolean(v);
	case API_OBJECT: return json_is_object(v);
	case API_DATETIME: return json_is_string(v) && api_parse_time(json_string_value(v), &us) == 0;
	case API_ARRAY_OF_STRINGS: {
		if (!json_is_array(v))
			return false;
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			if (!json_is_string(e))
				return false;
		return true;
	}
	}
	return false;
}

bool api_body_check(const json_t *body, const struct api_field *fields, size_t n, struct web_resp *resp)
{
	const char *key;
	json_t *v;
	json_object_foreach((json_t *)body, key, v) {
		size_t i = 0;
		while (i < n && strcmp(fields[i].name, key) != 0)
			i++;
		if (i == n) {
			struct buf known = { 0 };
			for (size_t k = 0; k < n; k++)
				buf_printf(&known, "%s%s", k ? ", " : "", fields[k].name);
			web_problem(resp, 400, "body: unknown field '%s' (known: %s)", key, buf_str(&known));
			buf_free(&known);
			return false;
		}
		if (!type_ok(v, fields[i].type)) {
			web_problem(resp, 400, "body: field '%s' must be %s", key, type_name(fields[i].type));
			return false;
		}
	}
	return true;
}

struct store *api_store(const struct web_req *r, struct web_resp *resp)
{
	return web_store(r, resp);
}

void api_query_error(struct web_resp *resp, int q, const char *err)
{
	if (q == Q_NOTFOUND)
		web_problem(resp, 404, "%s", err);
	else if (q == Q_AMBIGUOUS)
		web_problem(resp, 400, "%s", err);
	else
		web_problem(resp, 500, "%s", err);
}

bool api_snapshot_begin(struct store *s, struct web_resp *resp)
{
	char err[1024];
	if (query_snapshot_begin(s, err, sizeof err) == Q_OK)
		return true;
	web_problem(resp, 500, "%s", err);
	return false;
}

bool api_snapshot_end(struct store *s, struct web_resp *resp)
{
	char err[1024];
	if (query_snapshot_end(s, err, sizeof err) == Q_OK)
		return true;
	web_problem(resp, 500, "%s", err);
	return false;
}

void api_write_begin(const struct web_req *r, struct store *s)
{
	const struct web_user *u = web_user(r);
	s->actor = u && u->name ? u->name : "anonymous";
}

void api_write_end(struct store *s)
{
	s->actor = NULL;
}

int api_dag(const struct web_req *r, struct web_resp *resp, struct store *s, struct query_dag *d)
{
	char err[1024];
	memset(d, 0, sizeof *d);
	int q = meta_load(s, web_param(r, "dag_id"), d, err, sizeof err);
	if (q != Q_OK)
		api_query_error(resp, q, err);
	return q;
}

int api_run(const struct web_req *r, struct web_resp *resp, struct store *s, const char *dag_id,
	    struct query_run *run)
{
	char err[1024];
	const char *run_id = web_param(r, "dag_run_id");
	int q = query_run_by_run_id(s, dag_id, run_id, run, NULL, err, sizeof err);
	if (q == Q_NOTFOUND)
		web_problem(resp, 404, "DAG %s has no run '%s'", dag_id, run_id);
	else if (q != Q_OK)
		api_query_error(resp, q, err);
	return q;
}

json_t *api_dag_run_json(const char *dag_id, const struct query_run *run, const char *conf,
			 const char *cause)
{
	json_t *o = json_object();
	jx_set(o, "dag_run_id", jx_str(run->run_id));
	jx_set(o, "dag_id", jx_str(dag_id));
	jx_set(o, "logical_date", api_time_s(run->logical_date));
	jx_set(o, "execution_date", api_time_s(run->logical_date));
	jx_set(o, "start_date", api_time_us(run->started_us));
	jx_set(o, "end_date", api_time_us(run->ended_us));
	jx_set(o, "data_interval_start", api_time_s(run->logical_date));
	jx_set(o, "data_interval_end", api_time_s(run->interval_end));
	jx_set(o, "last_scheduling_decision", json_null());
	jx_set(o, "run_type", jx_str(run->type));
	jx_set(o, "state", jx_str(run->state));
	jx_set(o, "external_trigger", json_boolean(strcmp(run->type, "manual") == 0));
	json_t *c = conf ? json_loads(conf, 0, NULL) : NULL;
	jx_set(o, "conf", json_is_object(c) ? c : (json_decref(c), json_object()));
	jx_set(o, "note", api_str(cause));
	return o;
}
