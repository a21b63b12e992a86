/* api_routes.c: web_api_routes, the endpoints of Airflow's REST API v1 that
 * exist here (ui-web/openapi.yaml lists exactly these, docs/api.md explains
 * them). viewer reads; operator triggers, clears, marks, stops, deletes and
 * pauses. The literal "~" route precedes the {dag_id} ones it would
 * otherwise look like. */
#include "ui-web/api.h"

#define RUN "/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}"

const struct web_route web_api_routes[] = {
	{ "POST", "/api/v1/dags/~/dagRuns/list", WEB_ROLE_VIEWER, api_runs_batch },
	{ "GET", "/api/v1/dags", WEB_ROLE_VIEWER, api_dags_list },
	{ "GET", "/api/v1/dags/{dag_id}", WEB_ROLE_VIEWER, api_dag_get },
	{ "PATCH", "/api/v1/dags/{dag_id}", WEB_ROLE_OPERATOR, api_dag_patch },
	{ "GET", "/api/v1/dags/{dag_id}/details", WEB_ROLE_VIEWER, api_dag_details },
	{ "GET", "/api/v1/dags/{dag_id}/tasks", WEB_ROLE_VIEWER, api_dag_tasks },
	{ "GET", "/api/v1/dags/{dag_id}/x-versions", WEB_ROLE_VIEWER, api_dag_versions },
	{ "GET", "/api/v1/dags/{dag_id}/dagRuns", WEB_ROLE_VIEWER, api_runs_list },
	{ "POST", "/api/v1/dags/{dag_id}/dagRuns", WEB_ROLE_OPERATOR, api_run_trigger },
	{ "GET", RUN, WEB_ROLE_VIEWER, api_run_get },
	{ "PATCH", RUN, WEB_ROLE_OPERATOR, api_run_patch },
	{ "DELETE", RUN, WEB_ROLE_OPERATOR, api_run_delete },
	{ "POST", RUN "/x-stop", WEB_ROLE_OPERATOR, api_run_stop },
	{ "POST", "/api/v1/dags/{dag_id}/clearTaskInstances", WEB_ROLE_OPERATOR, api_clear },
	{ "GET", RUN "/taskInstances", WEB_ROLE_VIEWER, api_tis_list },
	{ "GET", RUN "/taskInstances/{task_id}", WEB_ROLE_VIEWER, api_ti_get },
	{ "GET", RUN "/taskInstances/{task_id}/logs/{task_try_number}", WEB_ROLE_VIEWER, api_ti_log },
	{ "GET", RUN "/taskInstances/{task_id}/listMapped", WEB_ROLE_VIEWER, api_ti_mapped_list },
	{ "GET", RUN "/taskInstances/{task_id}/{map_index}", WEB_ROLE_VIEWER, api_ti_mapped_get },
	{ "GET", RUN "/taskInstances/{task_id}/{map_index}/logs/{task_try_number}", WEB_ROLE_VIEWER, api_ti_log },
	{ "GET", "/api/v1/eventLogs", WEB_ROLE_VIEWER, api_events_list },
	{ NULL, NULL, WEB_ROLE_NONE, NULL },
};
