/* server.c: schedweb's HTTP server over libmicrohttpd (web.h is the contract
 * with the handlers, server.h with main).
 *
 * Threads: MHD's thread pool of cfg->threads event loops, each serving many
 * connections; a handler runs in its connection's loop and gets that
 * thread's own store handle (web_store, opened on first use, closed when the
 * thread ends). One watchdog thread cuts slow requests (below).
 *
 * A request's life, one function per step, in the order of web.h's
 * invariants:
 *   srv_uri_seen      the request line arrived: a web_req with the raw URI
 *   srv_access (1st)  headers arrived: split path and query, decode; a
 *                     Content-Length over WEB_BODY_MAX is answered 413 now
 *   srv_access (body) the body is kept up to WEB_BODY_MAX, the rest dropped
 *   srv_dispatch      route (404, 405 + Allow), identity (401, 403, 429),
 *                     path parameters (404), body size (413), the handler
 *   srv_completed     the log line (logfmt, never a credential), free
 *
 * Slow clients: MHD closes a connection silent for idle_timeout_s and
 * refuses connections over max_connections in all or max_per_ip from one
 * address. A client sending a byte a second is never silent, so each
 * connection also has a deadline: a whole request must have arrived within
 * request_timeout_s of the connection's start or of the end of its previous
 * request; the watchdog shuts the socket of a connection past its deadline
 * (MHD then closes it). While a handler runs or a response is being sent
 * there is no deadline. */
#include "ui-web/server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "lib/json.h"
#include "lib/logfmt.h"
#include "lib/xalloc.h"
#include "scheduler/store.h"
#include "scheduler/wake.h"

static const struct web_server_config *srv_cfg;
static pthread_key_t srv_store_key;

static int64_t srv_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void srv_log(const char *level, const char *msg, const char *kvfmt, ...)
	__attribute__((format(printf, 3, 4)));
static void srv_log(const char *level, const char *msg, const char *kvfmt, ...)
{
	struct buf b = BUF_INIT;
	buf_puts(&b, "ts=");
	logfmt_timestamp(&b);
	buf_printf(&b, " level=%s msg=", level);
	logfmt_value(&b, msg, strlen(msg));
	if (*kvfmt) {
		buf_putc(&b, ' ');
		va_list ap;
		va_start(ap, kvfmt);
		logfmt_vkv(&b, 512, kvfmt, ap);
		va_end(ap);
	}
	buf_putc(&b, '\n');
	logfmt_write(2, b.s, b.len);
	buf_free(&b);
}

/* ---- the watchdog of slow requests */

struct srv_conn {
	int fd;
	int64_t deadline_us;	/* 0: none (a handler runs or a response goes out) */
	bool cut;
	struct srv_conn *prev, *next;
};

static pthread_mutex_t srv_conns_mu = PTHREAD_MUTEX_INITIALIZER;
static struct srv_conn *srv_conns;
static pthread_t srv_watchdog_thread;
static volatile sig_atomic_t srv_stopping;

static void srv_conn_deadline(struct MHD_Connection *c, bool set)
{
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	if (!ci || !ci->socket_context)
		return;
	struct srv_conn *sc = ci->socket_context;
	pthread_mutex_lock(&srv_conns_mu);
	sc->deadline_us = set ? srv_now_us() + (int64_t)srv_cfg->request_timeout_s * 1000000 : 0;
	pthread_mutex_unlock(&srv_conns_mu);
}

static void srv_notify_connection(void *cls, struct MHD_Connection *c, void **socket_context,
				  enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		struct srv_conn *sc = xcalloc(1, sizeof *sc);
		const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		sc->fd = ci ? ci->connect_fd : -1;
		pthread_mutex_lock(&srv_conns_mu);
		sc->deadline_us = srv_now_us() + (int64_t)srv_cfg->request_timeout_s * 1000000;
		sc->next = srv_conns;
		if (srv_conns)
			srv_conns->prev = sc;
		srv_conns = sc;
		pthread_mutex_unlock(&srv_conns_mu);
		*socket_context = sc;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		struct srv_conn *sc = *socket_context;
		pthread_mutex_lock(&srv_conns_mu);
		if (sc->prev)
			sc->prev->next = sc->next;
		else
			srv_conns = sc->next;
		if (sc->next)
			sc->next->prev = sc->prev;
		pthread_mutex_unlock(&srv_conns_mu);
		free(sc);
		*socket_context = NULL;
	}
}

static void *srv_watchdog(void *arg)
{
	(void)arg;
	while (!srv_stopping) {
		struct timespec ts = { 0, 250 * 1000 * 1000 };
		nanosleep(&ts, NULL);
		int64_t now = srv_now_us();
		int cut = 0;
		/* under the lock: MHD tells CLOSED (and waits for this lock)
		 * before it closes a socket, so fd is still this connection's */
		pthread_mutex_lock(&srv_conns_mu);
		for (struct srv_conn *sc = srv_conns; sc; sc = sc->next)
			if (!sc->cut && sc->fd >= 0 && sc->deadline_us && now > sc->deadline_us) {
				shutdown(sc->fd, SHUT_RDWR);
				sc->cut = true;
				cut++;
			}
		pthread_mutex_unlock(&srv_conns_mu);
		if (cut)
			srv_log("warn", "slow requests cut", "connections=%d timeout_s=%u", cut,
				srv_cfg->request_timeout_s);
	}
	return NULL;
}

/* ---- decoding (web_decode: urldecode.c) */

/* Path and query of r->uri, decoded. A NUL decoded into the path or a
 * query value marks the request bad (it could cut a string short). */
static void srv_split_uri(struct web_req *r)
{
	const char *q = strchr(r->uri, '?');
	size_t plen = q ? (size_t)(q - r->uri) : strlen(r->uri);
	r->path = xmalloc(plen + 1);
	long n = web_decode(r->uri, plen, r->path, false);
	if (n < 0 || (size_t)n != strlen(r->path)) {
		r->bad_encoding = true;
		return;
	}
	if (q && web_parse_query(q + 1, &r->query, &r->nquery) < 0)
		r->bad_encoding = true;
}

/* ---- responses */

static const char *srv_title(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 413: return "Content Too Large";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "Error";
	}
}

/* Airflow's problem types (its documentation's Errors section) where it has one. */
static const char *srv_type(int status)
{
	switch (status) {
	case 400: return "BadRequest";
	case 401: return "Unauthenticated";
	case 403: return "PermissionDenied";
	case 404: return "NotFound";
	case 405: return "MethodNotAllowed";
	case 409: return "AlreadyExists";
	case 500: return "Unknown";
	default: return NULL;
	}
}

void web_problem(struct web_resp *resp, int status, const char *fmt, ...)
{
	struct buf detail = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&detail, fmt, ap);
	va_end(ap);
	json_t *doc = json_object();
	const char *t = srv_type(status);
	if (t) {
		struct buf u = BUF_INIT;
		buf_printf(&u, "https://airflow.apache.org/docs/apache-airflow/stable/stable-rest-api-ref.html"
			       "#section/Errors/%s", t);
		jx_set(doc, "type", jx_str(buf_str(&u)));
		buf_free(&u);
	} else {
		jx_set(doc, "type", jx_str("about:blank"));
	}
	jx_set(doc, "title", jx_str(srv_title(status)));
	jx_set(doc, "status", json_integer(status));
	jx_set(doc, "detail", jx_str(buf_str(&detail)));
	buf_free(&detail);
	web_json(resp, status, doc);
	resp->content_type = "application/problem+json";
}

void web_json(struct web_resp *resp, int status, json_t *doc)
{
	resp->status = status;
	resp->content_type = "application/json";
	buf_reset(&resp->body);
	jx_buf(&resp->body, doc);
	buf_putc(&resp->body, '\n');
	json_decref(doc);
}

void web_text(struct web_resp *resp, int status, const char *content_type, const char *text, size_t len)
{
	resp->status = status;
	resp->content_type = content_type;
	buf_reset(&resp->body);
	buf_add(&resp->body, text, len);
}

void web_add_header(struct web_resp *resp, const char *name, const char *value)
{
	buf_printf(&resp->headers, "%s: %s\r\n", name, value);
}

/* Sends resp (and frees its buffers). */
static enum MHD_Result srv_send(struct web_req *r, struct web_resp *resp)
{
	if (!resp->status)
		resp->status = 200;
	size_t len = resp->body.len;
	char *body = len ? buf_detach(&resp->body) : NULL;
	buf_free(&resp->body);	/* an empty body may still hold memory (web_text of "") */
	struct MHD_Response *mr =
		MHD_create_response_from_buffer(len, body ? body : (void *)"", body ? MHD_RESPMEM_MUST_FREE
										: MHD_RESPMEM_PERSISTENT);
	if (!mr) {
		free(body);
		buf_free(&resp->headers);
		return MHD_NO;
	}
	if (len || resp->content_type)
		MHD_add_response_header(mr, "Content-Type",
					resp->content_type ? resp->content_type : "application/json");
	MHD_add_response_header(mr, "X-Content-Type-Options", "nosniff");
	const char *h = buf_str(&resp->headers);
	while (*h) {
		const char *eol = strstr(h, "\r\n");
		size_t n = eol ? (size_t)(eol - h) : strlen(h);
		const char *colon = memchr(h, ':', n);
		if (colon) {
			char *name = xstrndup(h, (size_t)(colon - h));
			const char *v = colon + 1;
			while (*v == ' ')
				v++;
			char *value = xstrndup(v, n - (size_t)(v - h));
			MHD_add_response_header(mr, name, value);
			free(name);
			free(value);
		}
		h += n + (eol ? 2 : 0);
	}
	buf_free(&resp->headers);
	r->status = resp->status;
	r->sent = len;
	r->answered = true;
	enum MHD_Result rc = MHD_queue_response(r->conn, (unsigned)resp->status, mr);
	MHD_destroy_response(mr);
	return rc;
}

static enum MHD_Result srv_send_problem(struct web_req *r, int status, const char *extra_name,
					const char *extra_value, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static enum MHD_Result srv_send_problem(struct web_req *r, int status, const char *extra_name,
					const char *extra_value, const char *fmt, ...)
{
	struct web_resp resp = { 0 };
	struct buf d = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(&d, fmt, ap);
	va_end(ap);
	web_problem(&resp, status, "%s", buf_str(&d));
	buf_free(&d);
	if (extra_name)
		web_add_header(&resp, extra_name, extra_value);
	return srv_send(r, &resp);
}

/* ---- routing */

extern const struct web_route web_core_routes[];

static const struct web_route *const *srv_tables(void)
{
	static const struct web_route *const tables[] = { web_core_routes, web_api_routes, web_metrics_routes,
							  web_ui_routes, NULL };
	return tables;
}

/* Does pattern match the request's path (segment by segment, a {name}
 * matching any one raw segment)? Counts the literal segments in *lit and
 * collects the raw parameter segments in r (when collect). */
static bool srv_match(const char *pattern, const char *raw_path, int *lit, struct web_req *r, bool collect)
{
	const char *p = pattern, *s = raw_path;
	*lit = 0;
	size_t np = 0;
	while (*p && *s) {
		if (*p != '/' || *s != '/')
			return false;
		p++, s++;
		const char *pe = strchr(p, '/'), *se = strchr(s, '/');
		size_t pl = pe ? (size_t)(pe - p) : strlen(p), sl = se ? (size_t)(se - s) : strlen(s);
		if (pl >= 2 && p[0] == '{' && p[pl - 1] == '}') {
			if (np >= WEB_PARAMS_MAX)
				return false;
			if (collect) {
				r->pnames[np] = p + 1;
				r->pnamelen[np] = pl - 2;
				r->pvalues[np] = xstrndup(s, sl);
			}
			np++;
		} else {
			/* literal segments are compared decoded: "~" and "%7E" are one */
			char *dec = xmalloc(sl + 1);
			long n = web_decode(s, sl, dec, false);
			bool eq = n >= 0 && (size_t)n == pl && memcmp(dec, p, pl) == 0;
			free(dec);
			if (!eq)
				return false;
			(*lit)++;
		}
		p += pl, s += sl;
	}
	if (collect)
		r->nparams = np;
	return !*p && !*s;
}

static bool srv_method_ok(const char *route_method, const char *method)
{
	return strcmp(route_method, method) == 0 || (strcmp(method, "HEAD") == 0 && strcmp(route_method, "GET") == 0);
}

static bool srv_in_metrics(const struct web_route *rt)
{
	for (const struct web_route *x = web_metrics_routes; x->pattern; x++)
		if (x == rt)
			return true;
	return false;
}

/* The route for r, or NULL after answering 404 or 405. */
static const struct web_route *srv_route(struct web_req *r, enum MHD_Result *rc)
{
	const char *q = strchr(r->uri, '?');
	char *raw = xstrndup(r->uri, q ? (size_t)(q - r->uri) : strlen(r->uri));
	const struct web_route *best = NULL;
	int best_lit = -1;
	struct buf allow = BUF_INIT;
	for (const struct web_route *const *t = srv_tables(); *t; t++)
		for (const struct web_route *rt = *t; rt->pattern; rt++) {
			int lit;
			if (!srv_match(rt->pattern, raw, &lit, r, false))
				continue;
			if (srv_method_ok(rt->method, r->method)) {
				if (lit > best_lit)
					best = rt, best_lit = lit;
			} else if (!strstr(buf_str(&allow), rt->method)) {
				buf_printf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
				if (strcmp(rt->method, "GET") == 0)
					buf_puts(&allow, ", HEAD");
			}
		}
	if (best) {
		int lit;
		srv_match(best->pattern, raw, &lit, r, true);
	} else if (allow.len) {
		*rc = srv_send_problem(r, 405, "Allow", buf_str(&allow), "%s is not allowed on %s (allowed: %s)",
				       r->method, r->path, buf_str(&allow));
	} else {
		*rc = srv_send_problem(r, 404, NULL, NULL, "no such resource: %s", r->path);
	}
	free(raw);
	buf_free(&allow);
	return best;
}

/* Decodes and checks every path parameter (web.h's rules); false after 404. */
static bool srv_params(struct web_req *r, enum MHD_Result *rc)
{
	for (size_t i = 0; i < r->nparams; i++) {
		char *raw = r->pvalues[i];
		size_t n = strlen(raw);
		char *dec = xmalloc(n + 1);
		long dn = web_decode(raw, n, dec, false);
		free(raw);	/* the whole path decoded already: dn < 0 cannot be, but is refused */
		r->pvalues[i] = dec;
		if (dn < 0 || dn == 0 || dn > 250 || (size_t)dn != strlen(dec) || strchr(dec, '/') ||
		    strcmp(dec, ".") == 0 || strcmp(dec, "..") == 0) {
			*rc = srv_send_problem(r, 404, NULL, NULL, "%.*s '%s' is not a valid id: %s",
					       (int)r->pnamelen[i], r->pnames[i], dec,
					       dn < 0 ? "bad percent-encoding"
					       : dn == 0 ? "empty"
					       : dn > 250 ? "longer than 250 bytes"
					       : (size_t)dn != strlen(dec) ? "a NUL byte"
					       : strchr(dec, '/') ? "a '/'" : "'.' or '..'");
			return false;
		}
	}
	return true;
}

static bool srv_is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0 && strcmp(method, "OPTIONS") != 0;
}

/* Who is asking; false after answering 401, 403 or 429. */
static bool srv_identify(struct web_req *r, enum MHD_Result *rc)
{
	const char *authz = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Authorization");
	const char *cookie = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Cookie");
	const char *csrf = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "X-CSRF-Token");
	char detail[256];
	enum web_role need = r->route->min_role;
	if (need > WEB_ROLE_NONE && srv_cfg->metrics_anonymous && srv_in_metrics(r->route))
		need = WEB_ROLE_NONE;
	enum auth_outcome o =
		auth_identify(authz, cookie, csrf, r->client, srv_is_write(r->method), &r->who, detail, sizeof detail);
	if (o == AUTH_OK) {
		r->user.name = r->who.name;
		r->user.role = r->who.role;
		r->has_user = true;
	}
	if (need == WEB_ROLE_NONE)
		return true;	/* open to anyone: a bad credential just names no one */
	switch (o) {
	case AUTH_OK:
		if (r->who.role >= need)
			return true;
		*rc = srv_send_problem(r, 403, NULL, NULL, "%s %s needs the %s role; %s is a %s", r->method, r->path,
				       users_role_name(need), r->who.name, users_role_name(r->who.role));
		return false;
	case AUTH_LIMITED: {
		char ra[16];
		snprintf(ra, sizeof ra, "%d", r->who.retry_after);
		*rc = srv_send_problem(r, 429, "Retry-After", ra, "%s", detail);
		return false;
	}
	case AUTH_CSRF:
		*rc = srv_send_problem(r, 403, NULL, NULL, "%s", detail);
		return false;
	case AUTH_NONE:
	case AUTH_BAD:
		/* a browser with a session gets no Basic dialog */
		*rc = srv_send_problem(r, 401, cookie ? NULL : "WWW-Authenticate",
				       cookie ? NULL : "Basic realm=\"schedweb\", charset=\"UTF-8\"", "%s", detail);
		return false;
	}
	return false;
}

static enum MHD_Result srv_dispatch(struct web_req *r)
{
	enum MHD_Result rc = MHD_YES;
	if (r->bad_encoding)
		return srv_send_problem(r, 400, NULL, NULL, "bad percent-encoding (or an encoded NUL) in the URL");
	r->route = srv_route(r, &rc);
	if (!r->route)
		return rc;
	if (!srv_identify(r, &rc) || !srv_params(r, &rc))
		return rc;
	if (r->body_too_big)
		return srv_send_problem(r, 413, "Connection", "close", "the body is larger than %d bytes",
					WEB_BODY_MAX);
	struct web_resp resp = { 0 };
	r->route->handler(r, &resp);
	return srv_send(r, &resp);
}

/* ---- MHD's callbacks */

static void *srv_uri_seen(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	struct web_req *r = xcalloc(1, sizeof *r);
	r->conn = c;
	r->cfg = srv_cfg;
	r->uri = xstrdup(uri);
	r->start_us = srv_now_us();
	r->status = 0;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	snprintf(r->client, sizeof r->client, "?");
	if (ci && ci->client_addr) {
		socklen_t sl = ci->client_addr->sa_family == AF_INET6 ? sizeof(struct sockaddr_in6)
								       : sizeof(struct sockaddr_in);
		char host[64];
		if (getnameinfo(ci->client_addr, sl, host, sizeof host, NULL, 0, NI_NUMERICHOST) == 0)
			snprintf(r->client, sizeof r->client, "%s", host);
	}
	return r;
}

static enum MHD_Result srv_access(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **con_cls)
{
	(void)cls, (void)url, (void)version;
	struct web_req *r = *con_cls;
	if (!r)
		return MHD_NO;	/* no URI callback: cannot happen */
	if (!r->started) {
		r->started = true;
		snprintf(r->method, sizeof r->method, "%s", method);
		srv_split_uri(r);
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
		if (cl && strtoull(cl, NULL, 10) > WEB_BODY_MAX) {
			r->body_too_big = true;
			return srv_send_problem(r, 413, "Connection", "close", "the body is larger than %d bytes",
						WEB_BODY_MAX);
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!r->answered) {
			r->has_body = true;
			if (r->body.len + *upload_data_size > WEB_BODY_MAX)
				r->body_too_big = true;
			else
				buf_add(&r->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (r->answered)
		return MHD_YES;
	srv_conn_deadline(c, false);	/* the request is in whole: no deadline while answering */
	return srv_dispatch(r);
}

static void srv_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	struct web_req *r = *con_cls;
	if (!r)
		return;
	srv_conn_deadline(c, true);	/* the next request must come whole in time */
	double ms = (double)(srv_now_us() - r->start_us) / 1000.0;
	const char *lvl = r->status >= 500 ? "error" : "info";
	const char *m = r->method[0] ? r->method : "-", *path = r->path ? r->path : "-";
	const char *user = r->has_user ? r->who.name : "-";
	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		srv_log(lvl, "request", "method=%s path=%s status=%d bytes=%zu ms=%.1f client=%s user=%s", m, path,
			r->status, r->sent, ms, r->client, user);
	else	/* the client went away, a timeout, or libmicrohttpd refused the request itself */
		srv_log(lvl, "request", "method=%s path=%s status=%d bytes=%zu ms=%.1f client=%s user=%s aborted=true", m,
			path, r->status, r->sent, ms, r->client, user);
	free(r->uri);
	free(r->path);
	for (size_t i = 0; i < r->nquery; i++) {
		free(r->query[i].name);
		free(r->query[i].value);
	}
	free(r->query);
	for (size_t i = 0; i < r->nparams; i++)
		free(r->pvalues[i]);
	buf_free(&r->body);
	memset(&r->who, 0, sizeof r->who);
	free(r);
	*con_cls = NULL;
}

/* ---- the accessors of web.h */

const char *web_method(const struct web_req *r) { return r->method; }
const char *web_cookie(const struct web_req *r)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Cookie");
}
const char *web_path(const struct web_req *r) { return r->path; }
const char *web_client(const struct web_req *r) { return r->client; }
const char *web_state_path(const struct web_req *r) { return r->cfg->state_path; }
const struct auth_who *web_who(const struct web_req *r) { return r->has_user ? &r->who : NULL; }

const struct web_user *web_user(const struct web_req *r)
{
	return r->has_user ? &r->user : NULL;
}

const char *web_param(const struct web_req *r, const char *name)
{
	size_t n = strlen(name);
	for (size_t i = 0; i < r->nparams; i++)
		if (r->pnamelen[i] == n && memcmp(r->pnames[i], name, n) == 0)
			return r->pvalues[i];
	return NULL;
}

const char *web_query(const struct web_req *r, const char *name)
{
	for (size_t i = 0; i < r->nquery; i++)
		if (strcmp(r->query[i].name, name) == 0)
			return r->query[i].value;
	return NULL;
}

int web_query_all(const struct web_req *r, const char *name, const char **out, int max)
{
	int n = 0;
	for (size_t i = 0; i < r->nquery && n < max; i++)
		if (strcmp(r->query[i].name, name) == 0)
			out[n++] = r->query[i].value;
	return n;
}

const char *web_header(const struct web_req *r, const char *name)
{
	/* credentials are the server's alone */
	if (strcasecmp(name, "Authorization") == 0 || strcasecmp(name, "Cookie") == 0 ||
	    strcasecmp(name, "X-CSRF-Token") == 0)
		return NULL;
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const void *web_body(const struct web_req *r, size_t *len)
{
	*len = r->body.len;
	return r->has_body ? r->body.s : NULL;
}

json_t *web_body_json(const struct web_req *r, struct web_resp *resp)
{
	if (!r->has_body || !r->body.len) {
		web_problem(resp, 400, "the request needs a JSON object as its body");
		return NULL;
	}
	json_error_t e;
	json_t *doc = json_loadb(r->body.s, r->body.len, JSON_REJECT_DUPLICATES, &e);
	if (!doc) {
		web_problem(resp, 400, "malformed JSON body: line %d, column %d: %s", e.line, e.column, e.text);
		return NULL;
	}
	if (!json_is_object(doc)) {
		json_decref(doc);
		web_problem(resp, 400, "the body must be a JSON object");
		return NULL;
	}
	return doc;
}

static void srv_store_close(void *p)
{
	store_close(p);
}

struct store *web_store(const struct web_req *r, struct web_resp *resp)
{
	struct store *s = pthread_getspecific(srv_store_key);
	if (s)
		return s;
	char err[512];
	s = store_open(r->cfg->state_path, STORE_WRITE, err, sizeof err);
	if (!s) {
		srv_log("error", "cannot open the state store", "err=%s", err);
		web_problem(resp, 503, "the state store cannot be opened: %s", err);
		return NULL;
	}
	pthread_setspecific(srv_store_key, s);
	return s;
}

void web_ring(const struct web_req *r)
{
	wake_daemon(r->cfg->state_path);
}

/* ---- the server */

static bool srv_loopback(const struct sockaddr *sa)
{
	if (sa->sa_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr) >> 24) == 127;
	if (sa->sa_family == AF_INET6)
		return IN6_IS_ADDR_LOOPBACK(&((const struct sockaddr_in6 *)sa)->sin6_addr);
	return false;
}

static char *srv_read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len < 1024 * 1024)
		buf_add(&b, chunk, n);
	bool bad = ferror(f);
	fclose(f);
	if (bad || !b.len) {
		snprintf(err, errlen, "%s: %s", path, bad ? "read error" : "empty");
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

static void srv_mhd_log(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	char msg[512];
	vsnprintf(msg, sizeof msg, fmt, ap);
	size_t n = strlen(msg);
	while (n && msg[n - 1] == '\n')
		msg[--n] = '\0';
	srv_log("warn", "libmicrohttpd", "detail=%s", msg);
}

int web_serve(const struct web_server_config *cfg)
{
	srv_cfg = cfg;
	char port[16];
	snprintf(port, sizeof port, "%d", cfg->port);
	struct addrinfo hints = { 0 }, *ai = NULL;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_PASSIVE;
	int gai = getaddrinfo(cfg->host, port, &hints, &ai);
	if (gai != 0) {
		fprintf(stderr, "schedweb: --listen %s:%d: %s\n", cfg->host, cfg->port, gai_strerror(gai));
		return 1;
	}
	bool tls = cfg->tls_cert != NULL;
	if (!srv_loopback(ai->ai_addr) && !tls && !cfg->insecure_http) {
		fprintf(stderr,
			"schedweb: --listen %s is not a loopback address: give --tls-cert and --tls-key, or "
			"--insecure-http to serve plain HTTP (passwords in clear) on it\n",
			cfg->host);
		freeaddrinfo(ai);
		return 1;
	}
	char *cert = NULL, *key = NULL;
	char err[512];
	if (tls) {
		if (!MHD_is_feature_supported(MHD_FEATURE_TLS)) {
			fprintf(stderr, "schedweb: this libmicrohttpd has no TLS\n");
			freeaddrinfo(ai);
			return 1;
		}
		cert = srv_read_file(cfg->tls_cert, err, sizeof err);
		key = cert ? srv_read_file(cfg->tls_key, err, sizeof err) : NULL;
		if (!key) {
			fprintf(stderr, "schedweb: --tls-%s %s\n", cert ? "key" : "cert", err);
			free(cert);
			freeaddrinfo(ai);
			return 1;
		}
	}
	pthread_key_create(&srv_store_key, srv_store_close);

	/* the signals are this thread's (sigwait below): MHD's threads and the
	 * watchdog inherit the mask */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;
	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	if (tls)
		flags |= MHD_USE_TLS;
	struct MHD_OptionItem opts[16];
	int no = 0;
#define SRV_OPT(o, v, p) (opts[no++] = (struct MHD_OptionItem){ (o), (intptr_t)(v), (p) })
	SRV_OPT(MHD_OPTION_EXTERNAL_LOGGER, (intptr_t)srv_mhd_log, NULL);
	SRV_OPT(MHD_OPTION_SOCK_ADDR, 0, ai->ai_addr);
	SRV_OPT(MHD_OPTION_THREAD_POOL_SIZE, cfg->threads, NULL);
	SRV_OPT(MHD_OPTION_CONNECTION_LIMIT, cfg->max_connections, NULL);
	SRV_OPT(MHD_OPTION_PER_IP_CONNECTION_LIMIT, cfg->max_per_ip, NULL);
	SRV_OPT(MHD_OPTION_CONNECTION_TIMEOUT, cfg->idle_timeout_s, NULL);
	SRV_OPT(MHD_OPTION_CONNECTION_MEMORY_LIMIT, 64 * 1024, NULL);
	SRV_OPT(MHD_OPTION_URI_LOG_CALLBACK, (intptr_t)srv_uri_seen, NULL);
	SRV_OPT(MHD_OPTION_NOTIFY_COMPLETED, (intptr_t)srv_completed, NULL);
	SRV_OPT(MHD_OPTION_NOTIFY_CONNECTION, (intptr_t)srv_notify_connection, NULL);
	if (tls) {
		SRV_OPT(MHD_OPTION_HTTPS_MEM_CERT, 0, cert);
		SRV_OPT(MHD_OPTION_HTTPS_MEM_KEY, 0, key);
	}
	SRV_OPT(MHD_OPTION_END, 0, NULL);
#undef SRV_OPT
	struct MHD_Daemon *d = MHD_start_daemon(flags, 0, NULL, NULL, srv_access, NULL, MHD_OPTION_ARRAY, opts,
						 MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!d) {
		fprintf(stderr, "schedweb: cannot listen on %s:%d (in use, or not an address of this host)\n",
			cfg->host, cfg->port);
		free(cert);
		free(key);
		return 1;
	}
	pthread_create(&srv_watchdog_thread, NULL, srv_watchdog, NULL);
	srv_log("info", "listening", "url=%s://%s:%d state=%s threads=%u", tls ? "https" : "http", cfg->host,
		cfg->port, cfg->state_path, cfg->threads);
	int sig = 0;
	sigwait(&sigs, &sig);
	srv_log("info", "stopping", "signal=%d", sig);
	srv_stopping = 1;
	MHD_stop_daemon(d);
	pthread_join(srv_watchdog_thread, NULL);
	free(cert);
	free(key);
	return 0;
}
