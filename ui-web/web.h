/* web.h: the contract between schedweb's HTTP server and its handlers.
 *
 * schedweb is a separate process from schedulerd. It reads the state store
 * through the query layer (scheduler/query.h) and writes through the same
 * store functions as schedctl (scheduler/store_cli.h), then rings the
 * daemon's doorbell (scheduler/wake.h); a crash of one never takes the other
 * down.
 *
 * The server (server.c) owns the connections, the limits (body size, slow
 * clients, connection count), authentication and authorization, and the
 * mapping of a request to a route. A handler owns one endpoint: it reads the
 * request through the accessors below and fills in a response. Handlers never
 * see a socket, a header they did not ask for, or a credential.
 *
 * Invariants the server guarantees before a handler runs:
 *   - the route's method matched (another method on a known path: 405);
 *   - req->user holds a role of at least route->min_role (no credentials:
 *     401, too low a role: 403), and a write made with a session cookie
 *     carried the session's CSRF token (else 403);
 *   - every path parameter is percent-decoded, non-empty, at most 250 bytes,
 *     and is neither "." nor ".." nor contains '/' or a NUL (else 404 for
 *     the route's resource);
 *   - the body is at most WEB_BODY_MAX bytes (else 413).
 * Every error answer is an RFC 7807 problem document, as Airflow's API gives.
 * A GET route also serves HEAD (the server sends the headers only). With
 * --metrics-anonymous the routes of web_metrics_routes need no credentials
 * whatever their min_role. web_header never shows Authorization, Cookie or
 * X-CSRF-Token. docs/schedweb.md describes the server.
 */
#ifndef UI_WEB_WEB_H
#define UI_WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "lib/buf.h"

struct store;

#define WEB_BODY_MAX (1024 * 1024)

/* Roles, ordered: each may do what the ones below it may. */
enum web_role { WEB_ROLE_NONE, WEB_ROLE_VIEWER, WEB_ROLE_OPERATOR, WEB_ROLE_ADMIN };

struct web_user {
	const char *name;	/* recorded as events.actor for every write */
	enum web_role role;
};

struct web_req;		/* the server's; read it through the accessors below */

/* A response. The server sends it; WEB_RESP_INIT is a 200 with no body. */
struct web_resp {
	int status;
	const char *content_type;	/* static string; NULL: application/json */
	struct buf body;
	struct buf headers;		/* extra "Name: value\r\n" lines (web_header) */
};

/* The request's parts. */
const char *web_method(const struct web_req *r);
const char *web_path(const struct web_req *r);		/* decoded, without the query */
const char *web_param(const struct web_req *r, const char *name);	/* {name} in the route's pattern */
const char *web_query(const struct web_req *r, const char *name);	/* first ?name= value, or NULL */
/* Every value of a repeated query key (Airflow's arrays: state=a&state=b), in
 * order; returns how many (up to max). */
int web_query_all(const struct web_req *r, const char *name, const char **out, int max);
const char *web_header(const struct web_req *r, const char *name);	/* a request header, or NULL */
const void *web_body(const struct web_req *r, size_t *len);	/* NULL when none */
/* The body parsed as a JSON object; NULL after answering 400 (malformed, not
 * an object) in resp. The caller owns the result. */
json_t *web_body_json(const struct web_req *r, struct web_resp *resp);
const struct web_user *web_user(const struct web_req *r);
const char *web_client(const struct web_req *r);	/* the peer's address, for logs */

/* This request's thread's handle on the state store, opened for writing on
 * first use and kept for the thread's life; NULL after answering 503 in resp
 * (the store cannot be opened). Reads take a snapshot with
 * query_snapshot_begin/end where they need one. */
struct store *web_store(const struct web_req *r, struct web_resp *resp);
/* Rings the daemon's doorbell after a write the daemon must act on. */
void web_ring(const struct web_req *r);
/* The state file's path (for logs, the doorbell, the users file). */
const char *web_state_path(const struct web_req *r);

/* Filling in the response. web_json steals doc. web_problem writes an
 * RFC 7807 document {"type","title","status","detail"} with the title of the
 * status (404 "Not Found") and detail from fmt. */
void web_json(struct web_resp *resp, int status, json_t *doc);
void web_text(struct web_resp *resp, int status, const char *content_type, const char *text, size_t len);
void web_problem(struct web_resp *resp, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void web_add_header(struct web_resp *resp, const char *name, const char *value);

typedef void web_handler(const struct web_req *r, struct web_resp *resp);

/* A route: method and pattern ("/api/v1/dags/{dag_id}/dagRuns/{dag_run_id}",
 * each {name} one path segment), the least role it needs (WEB_ROLE_NONE:
 * anyone, even without credentials), and the handler. */
struct web_route {
	const char *method;
	const char *pattern;
	enum web_role min_role;
	web_handler *handler;
};

/* The route tables, each owned by the file that defines it; the server tries
 * them in this order (where several routes match a path, the one with the
 * most literal segments wins). A table ends with a route whose pattern is
 * NULL. */
extern const struct web_route web_core_routes[];	/* server.c, auth: health, version, openapi, session */
extern const struct web_route web_api_routes[];		/* api_*.c: Airflow's /api/v1 */
extern const struct web_route web_metrics_routes[];	/* metrics.c: /metrics */
extern const struct web_route web_ui_routes[];		/* ui.c: the web UI's pages and files */

#endif
