/* api.h: what the handlers of Airflow's stable REST API v1 (api_*.c) share:
 * reading parameters and bodies strictly (an unknown field, a wrong type or
 * a value out of range is a 400 naming it), Airflow's date-times, and the
 * answers for the store's errors. Nothing here touches a socket: the
 * handlers see the request through web.h only. */
#ifndef UI_WEB_API_H
#define UI_WEB_API_H

#include <stdbool.h>
#include <stdint.h>

#include "scheduler/query.h"
#include "ui-web/api_parse.h"
#include "ui-web/web.h"

/* Airflow's default and largest page (its maximum_page_limit). */
#define API_PAGE_DEFAULT 100
#define API_PAGE_MAX 100

/* ISO 8601 UTC with offset ("2026-03-01T00:00:00+00:00") of microseconds /
 * seconds since the epoch; null for 0 (never happened). */
json_t *api_time_us(int64_t us);
json_t *api_time_s(int64_t s);
json_t *api_str(const char *s);	/* null for NULL */


/* ?limit= and ?offset= (Airflow's defaults and cap). false after a 400. */
bool api_page(const struct web_req *r, struct web_resp *resp, long *limit, long *offset);
/* ?name= as a boolean ("true"/"false"); *v untouched when absent. false
 * after a 400. */
bool api_query_bool(const struct web_req *r, struct web_resp *resp, const char *name, int *v);
/* ?name= as a date-time (inclusive bound); *us untouched when absent. */
bool api_query_time(const struct web_req *r, struct web_resp *resp, const char *name, int64_t *us);
/* order_by: one of names (a leading '-' for descending); its index, 0 (the
 * first) when absent, -1 after a 400 naming the ones accepted. */
int api_order(const struct web_req *r, struct web_resp *resp, const char *const *names, size_t n,
	      bool *desc);

/* The fields a JSON body may carry and their types. */
enum api_type { API_STRING, API_BOOL, API_OBJECT, API_ARRAY_OF_STRINGS, API_DATETIME, API_STRING_OR_NULL };
struct api_field {
	const char *name;
	enum api_type type;
};
/* Every key of body is one of fields, of its type (a date-time: a string
 * api_parse_time takes); false after a 400 naming the first that is not. */
bool api_body_check(const json_t *body, const struct api_field *fields, size_t n, struct web_resp *resp);

/* The store of this request's thread, or NULL after a 503. */
struct store *api_store(const struct web_req *r, struct web_resp *resp);
/* A query_* result other than Q_OK: 404 with err for Q_NOTFOUND, else 500
 * (the state file could not be read: err names it). */
void api_query_error(struct web_resp *resp, int q, const char *err);

/* One state of the file for a read made of several questions (a page and
 * its total; a run and its task instances): query_snapshot_begin/end. begin
 * false after a 500; end false after replacing the answer with a 500. Never
 * around a write. */
bool api_snapshot_begin(struct store *s, struct web_resp *resp);
bool api_snapshot_end(struct store *s, struct web_resp *resp);

/* Writes are made for the request's user: events.actor is their name
 * between api_write_begin and api_write_end. */
void api_write_begin(const struct web_req *r, struct store *s);
void api_write_end(struct store *s);

/* The DAG of {dag_id} (404 when unknown, naming the nearest); Q_OK or after
 * an answer. */
int api_dag(const struct web_req *r, struct web_resp *resp, struct store *s, struct query_dag *d);
/* The run {dag_run_id} of DAG dag_id (404 when unknown); Q_OK or after an
 * answer. */
int api_run(const struct web_req *r, struct web_resp *resp, struct store *s, const char *dag_id,
	    struct query_run *run);

/* Airflow's DAGRun object of a run (conf and cause may be NULL). */
json_t *api_dag_run_json(const char *dag_id, const struct query_run *run, const char *conf,
			 const char *cause);

/* The handlers (api_dags.c, api_runs.c, api_tis.c, api_clear.c, api_events.c),
 * routed by api_routes.c. */
void api_dags_list(const struct web_req *r, struct web_resp *resp);
void api_dag_get(const struct web_req *r, struct web_resp *resp);
void api_dag_patch(const struct web_req *r, struct web_resp *resp);
void api_dag_details(const struct web_req *r, struct web_resp *resp);
void api_dag_tasks(const struct web_req *r, struct web_resp *resp);
void api_dag_versions(const struct web_req *r, struct web_resp *resp);
void api_runs_list(const struct web_req *r, struct web_resp *resp);
void api_runs_batch(const struct web_req *r, struct web_resp *resp);
void api_run_trigger(const struct web_req *r, struct web_resp *resp);
void api_run_get(const struct web_req *r, struct web_resp *resp);
void api_run_patch(const struct web_req *r, struct web_resp *resp);
void api_run_delete(const struct web_req *r, struct web_resp *resp);
void api_run_stop(const struct web_req *r, struct web_resp *resp);
void api_tis_list(const struct web_req *r, struct web_resp *resp);
void api_ti_get(const struct web_req *r, struct web_resp *resp);
void api_ti_log(const struct web_req *r, struct web_resp *resp);
void api_ti_mapped_list(const struct web_req *r, struct web_resp *resp);
void api_ti_mapped_get(const struct web_req *r, struct web_resp *resp);
void api_clear(const struct web_req *r, struct web_resp *resp);
void api_events_list(const struct web_req *r, struct web_resp *resp);

#endif
