/* server.h: schedweb's HTTP server (server.c) as main and the core routes
 * see it; handlers see only web.h. */
#ifndef UI_WEB_SERVER_H
#define UI_WEB_SERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "ui-web/auth.h"
#include "ui-web/web.h"

#define WEB_PARAMS_MAX 8

struct web_server_config {
	const char *state_path;
	const char *host;		/* numeric or a name; resolved once */
	int port;
	bool metrics_anonymous;		/* web_metrics_routes need no credentials */
	const char *tls_cert, *tls_key;	/* both or neither */
	bool insecure_http;		/* plain HTTP allowed beyond loopback */
	unsigned threads;		/* event loops, each with its own store handle */
	unsigned max_connections;	/* in all; more are closed at accept */
	unsigned max_per_ip;		/* from one address */
	unsigned idle_timeout_s;	/* a connection silent this long is closed */
	unsigned request_timeout_s;	/* a request not read whole in this long is cut */
};

struct web_query_pair {
	char *name, *value;
};

struct web_req {
	struct MHD_Connection *conn;
	const struct web_server_config *cfg;
	char *uri;			/* as received, with the query */
	char method[16];
	char *path;			/* percent-decoded */
	struct web_query_pair *query;
	size_t nquery;
	bool bad_encoding;		/* a '%' not followed by two hex digits */
	const struct web_route *route;
	const char *pnames[WEB_PARAMS_MAX];	/* into route->pattern, ending at '}' */
	size_t pnamelen[WEB_PARAMS_MAX];
	char *pvalues[WEB_PARAMS_MAX];
	size_t nparams;
	struct buf body;
	bool has_body, body_too_big, started, answered;
	struct auth_who who;
	struct web_user user;
	bool has_user;
	char client[64];
	int64_t start_us;
	int status;			/* what was answered, for the log */
	size_t sent;
};

/* Runs the server until SIGINT or SIGTERM; 0, or 1 after a message on
 * stderr (cannot listen, bad TLS files). */
int web_serve(const struct web_server_config *cfg);

/* The request's identity as auth.c found it (core routes: the session). */
const struct auth_who *web_who(const struct web_req *r);
/* The Cookie header (sign-out), which handlers never see. */
const char *web_cookie(const struct web_req *r);

/* Percent-decoding (fuzzed): src's n bytes into dst (room for n + 1);
 * plus_space turns '+' into ' ' (query strings). Returns the decoded length,
 * or -1 at a '%' without two hex digits. */
long web_decode(const char *src, size_t n, char *dst, bool plus_space);
/* The pairs of a query string (after the '?'), each decoded as a form's,
 * appended to *pairs (the caller frees each name and value, then the array);
 * -1 when one had a bad escape or an encoded NUL (every pair is there still). */
int web_parse_query(const char *q, struct web_query_pair **pairs, size_t *n);

/* The embedded OpenAPI document (core.c). */
extern const unsigned char web_openapi_yaml[], web_openapi_yaml_end[];

#endif
