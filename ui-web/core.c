/* core.c: schedweb's own routes (web_core_routes): health, version, the
 * OpenAPI document, the web UI's session (session.c) and admin's users
 * (users_api.c). */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "lib/json.h"
#include "scheduler/store.h"
#include "ui-web/embed.h"
#include "ui-web/server.h"
#include "ui-web/session.h"
#include "ui-web/users_api.h"
#include "ui-web/web.h"

#ifndef WEB_GIT_VERSION
#define WEB_GIT_VERSION ""
#endif
#define WEB_VERSION "1.0.0"
/* the daemon writes its heartbeat at most once a second: older than this it
 * is taken for stopped */
#define WEB_HEARTBEAT_STALE_S 30

WEB_EMBED(web_openapi_yaml, "ui-web/openapi.yaml");

static void core_iso(int64_t us, char *out, size_t len)
{
	time_t t = (time_t)(us / 1000000);
	struct tm tm;
	gmtime_r(&t, &tm);
	char base[32];
	strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, len, "%s.%06lld+00:00", base, (long long)(us % 1000000));
}

/* GET /api/v1/health: Airflow's HealthInfo. 200 whatever the health (as
 * Airflow), the statuses say it. */
static void core_health(const struct web_req *r, struct web_resp *resp)
{
	json_t *doc = json_object(), *db = json_object(), *sch = json_object();
	struct web_resp scratch = { 0 };
	struct store *s = web_store(r, &scratch);
	buf_free(&scratch.body);
	buf_free(&scratch.headers);
	int64_t hb = 0;
	bool db_ok = false;
	if (s) {
		sqlite3_stmt *st = store_cached(s, "SELECT heartbeat_us FROM daemon_status WHERE id = 1");
		int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
		if (rc == SQLITE_ROW || rc == SQLITE_DONE) {
			db_ok = true;
			if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_INTEGER)
				hb = sqlite3_column_int64(st, 0);
		}
		if (st)
			sqlite3_reset(st);
	}
	jx_set(db, "status", jx_str(db_ok ? "healthy" : "unhealthy"));
	bool fresh = hb && store_now_us() - hb < (int64_t)WEB_HEARTBEAT_STALE_S * 1000000;
	jx_set(sch, "status", jx_str(fresh ? "healthy" : "unhealthy"));
	if (hb) {
		char iso[48];
		core_iso(hb, iso, sizeof iso);
		jx_set(sch, "latest_scheduler_heartbeat", jx_str(iso));
	} else {
		jx_set(sch, "latest_scheduler_heartbeat", json_null());
	}
	jx_set(doc, "metadatabase", db);
	jx_set(doc, "scheduler", sch);
	web_json(resp, 200, doc);
}

/* GET /api/v1/version: Airflow's VersionInfo. */
static void core_version(const struct web_req *r, struct web_resp *resp)
{
	(void)r;
	json_t *doc = json_object();
	jx_set(doc, "version", jx_str(WEB_VERSION));
	jx_set(doc, "git_version", WEB_GIT_VERSION[0] ? jx_str(WEB_GIT_VERSION) : json_null());
	web_json(resp, 200, doc);
}

/* GET /api/v1/openapi.yaml: the document of what this build implements. */
static void core_openapi(const struct web_req *r, struct web_resp *resp)
{
	(void)r;
	web_text(resp, 200, "application/yaml; charset=utf-8", (const char *)web_openapi_yaml,
		 (size_t)(web_openapi_yaml_end - web_openapi_yaml));
}

const struct web_route web_core_routes[] = {
	{ "GET", "/api/v1/health", WEB_ROLE_NONE, core_health },
	{ "GET", "/api/v1/version", WEB_ROLE_NONE, core_version },
	{ "GET", "/api/v1/openapi.yaml", WEB_ROLE_NONE, core_openapi },
	{ "POST", "/api/session", WEB_ROLE_NONE, session_create },
	{ "GET", "/api/session", WEB_ROLE_NONE, session_show },
	{ "DELETE", "/api/session", WEB_ROLE_VIEWER, session_delete },
	{ "GET", "/api/users", WEB_ROLE_ADMIN, users_api_list },
	{ "POST", "/api/users", WEB_ROLE_ADMIN, users_api_create },
	{ "DELETE", "/api/users/{username}", WEB_ROLE_ADMIN, users_api_delete },
	{ NULL, NULL, WEB_ROLE_NONE, NULL },
};
