/* webload: a small HTTP/1.1 load client for the benches (tests/bench/bench_web.sh).
 *
 *   webload --url http://127.0.0.1:PORT/path [--url ...] --connections N --duration SECS
 *
 * N keep-alive connections, each sending GET requests one after another
 * (the --url values in turn) for SECS seconds, one thread and one epoll.
 * Credentials, when the server needs them, come from $WEBLOAD_AUTH
 * ("user:password", sent as HTTP Basic), never from argv. It prints one line:
 *   requests=R errors=E rps=X p50_ms=A p99_ms=B max_ms=C status_errors=S
 *   connection_errors=K unanswered=U
 * and exits 0 when every request got a 2xx answer, 1 otherwise (an error is
 * any other status, a connection closed or refused, a response it cannot
 * read, or a request still unanswered at the end).
 *
 * A connection's states: CONNECTING --writable--> SENDING --all sent-->
 * READING --whole response--> SENDING (the next request, same socket);
 * a failure in any state counts one error and reconnects (the server
 * closing a keep-alive connection is an error too: the bench wants none).
 * Responses are read by Content-Length (a chunked body is an error: the
 * servers measured here do not send one). Only http:// on an IP address. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "jobs/common/base64.h"
#include "lib/buf.h"
#include "lib/options.h"
#include "lib/xalloc.h"

enum conn_state { C_CONNECTING, C_SENDING, C_READING };

struct conn {
	int fd;
	enum conn_state state;
	size_t url;		/* index of the request being sent */
	size_t sent;
	struct buf in;
	int64_t started_ns;	/* of the request in flight */
};

struct load {
	struct sockaddr_in addr;
	char **reqs;		/* the request texts, one per --url */
	size_t *reqlen, nreqs;
	int ep;
	int64_t requests, errors;
	int64_t err_status, err_conn, err_late;	/* the errors by kind */
	uint32_t *lat_us;	/* one per answered request */
	size_t nlat, caplat;
};

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* "http://A.B.C.D:PORT/path" -> addr and path; -1 when not of that form. */
static int parse_url(const char *url, struct sockaddr_in *addr, const char **path)
{
	if (strncmp(url, "http://", 7) != 0)
		return -1;
	const char *host = url + 7, *colon = strchr(host, ':');
	if (!colon)
		return -1;
	char ip[64];
	if ((size_t)(colon - host) >= sizeof ip)
		return -1;
	memcpy(ip, host, (size_t)(colon - host));
	ip[colon - host] = '\0';
	char *end;
	long port = strtol(colon + 1, &end, 10);
	if (port <= 0 || port > 65535 || (*end != '/' && *end != '\0'))
		return -1;
	memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	addr->sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, ip, &addr->sin_addr) != 1)
		return -1;
	*path = *end ? end : "/";
	return 0;
}

static void conn_open(struct load *l, struct conn *c)
{
	c->fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	c->state = C_CONNECTING;
	c->sent = 0;
	buf_reset(&c->in);
	if (c->fd < 0) {
		perror("webload: socket");
		exit(2);
	}
	int one = 1;
	setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c->started_ns = now_ns();
	if (connect(c->fd, (struct sockaddr *)&l->addr, sizeof l->addr) < 0 && errno != EINPROGRESS) {
		/* refused at once: the epoll below reports it as an error event */
	}
	struct epoll_event ev = { .events = EPOLLOUT | EPOLLIN, .data.ptr = c };
	epoll_ctl(l->ep, EPOLL_CTL_ADD, c->fd, &ev);
}

static void conn_fail(struct load *l, struct conn *c)
{
	l->errors++;
	l->err_conn++;
	epoll_ctl(l->ep, EPOLL_CTL_DEL, c->fd, NULL);
	close(c->fd);
	conn_open(l, c);
}

static void set_events(struct load *l, struct conn *c, uint32_t events)
{
	struct epoll_event ev = { .events = events, .data.ptr = c };
	epoll_ctl(l->ep, EPOLL_CTL_MOD, c->fd, &ev);
}

/* CONNECTING/SENDING: writes what is left of the request. */
static void conn_send(struct load *l, struct conn *c)
{
	if (c->state == C_CONNECTING) {
		int e = 0;
		socklen_t len = sizeof e;
		if (getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &e, &len) < 0 || e) {
			conn_fail(l, c);
			return;
		}
		c->state = C_SENDING;
		c->started_ns = now_ns();
	}
	const char *req = l->reqs[c->url];
	size_t len = l->reqlen[c->url];
	while (c->sent < len) {
		ssize_t n = send(c->fd, req + c->sent, len - c->sent, MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EAGAIN)
				return;
			conn_fail(l, c);
			return;
		}
		c->sent += (size_t)n;
	}
	c->state = C_READING;
	set_events(l, c, EPOLLIN);
}

/* Where the body starts and its length, once the head is in; 0 while it is
 * not, -1 when it cannot be read, else the status code. */
static int parse_head(const struct buf *in, size_t *body_at, size_t *body_len)
{
	const char *s = buf_str(in), *end = strstr(s, "\r\n\r\n");
	if (!end)
		return in->len > 65536 ? -1 : 0;
	int status;
	if (sscanf(s, "HTTP/1.%*d %d", &status) != 1)
		return -1;
	*body_at = (size_t)(end - s) + 4;
	*body_len = 0;
	bool have_len = false;
	for (const char *p = strstr(s, "\r\n"); p && p < end; p = strstr(p + 2, "\r\n")) {
		if (strncasecmp(p + 2, "Content-Length:", 15) == 0) {
			*body_len = strtoul(p + 17, NULL, 10);
			have_len = true;
		} else if (strncasecmp(p + 2, "Transfer-Encoding:", 18) == 0) {
			return -1;
		}
	}
	if (!have_len && status != 204 && status != 304)
		return -1;
	return status;
}

static void record(struct load *l, int64_t ns)
{
	if (l->nlat == l->caplat) {
		l->caplat = l->caplat ? l->caplat * 2 : 4096;
		l->lat_us = xrealloc(l->lat_us, l->caplat * sizeof *l->lat_us);
	}
	int64_t us = ns / 1000;
	l->lat_us[l->nlat++] = us > UINT32_MAX ? UINT32_MAX : (uint32_t)us;
}

static void conn_read(struct load *l, struct conn *c)
{
	for (;;) {
		char tmp[16384];
		ssize_t n = recv(c->fd, tmp, sizeof tmp, 0);
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			conn_fail(l, c);
			return;
		}
		buf_add(&c->in, tmp, (size_t)n);
	}
	size_t at, len;
	int status = parse_head(&c->in, &at, &len);
	if (status < 0) {
		conn_fail(l, c);
		return;
	}
	if (status == 0 || c->in.len < at + len)
		return;
	if (c->in.len > at + len) {	/* more than asked for: the stream is lost */
		conn_fail(l, c);
		return;
	}
	l->requests++;
	if (status < 200 || status > 299) {
		l->errors++;
		l->err_status++;
	}
	record(l, now_ns() - c->started_ns);
	buf_reset(&c->in);
	c->url = (c->url + 1) % l->nreqs;
	c->sent = 0;
	c->state = C_SENDING;
	c->started_ns = now_ns();
	conn_send(l, c);
	if (c->state == C_SENDING)
		set_events(l, c, EPOLLOUT);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static double pct_ms(const struct load *l, double p)
{
	if (!l->nlat)
		return 0;
	size_t i = (size_t)(p * (double)(l->nlat - 1) + 0.5);
	return l->lat_us[i] / 1000.0;
}

int main(int argc, char **argv)
{
	struct opt_list urls = { 0 };
	long conns = 10, secs = 10;
	static const char usage[] = "webload --url http://IP:PORT/PATH [--url ...] [--connections N] [--duration SECS]";
	const struct opt opts[] = {
		{ OPT_LIST, "url", &urls, "URL", "a URL to GET (several: taken in turn)" },
		{ OPT_INT, "connections", &conns, "N", "keep-alive connections at once (10)" },
		{ OPT_INT, "duration", &secs, "SECS", "how long (10)" },
		{ OPT_END, NULL, NULL, NULL, NULL },
	};
	const struct opts_cmd cmd = { usage, "An HTTP/1.1 keep-alive load client; $WEBLOAD_AUTH=user:password"
				      " for HTTP Basic.", NULL, opts, 0 };
	char err[256];
	size_t npos = 0;
	int rc = opts_parse(&cmd, argc, argv, NULL, &npos, err, sizeof err);
	if (rc == OPTS_HELP) {
		opts_help(&cmd, stdout);
		return 0;
	}
	if (rc == OPTS_OK && (!urls.n || conns < 1 || secs < 1)) {
		snprintf(err, sizeof err, "--url, and --connections and --duration of at least 1, are needed");
		rc = OPTS_USAGE;
	}
	if (rc != OPTS_OK) {
		fprintf(stderr, "webload: %s\nusage: %s\n", err, usage);
		return 2;
	}
	struct load l = { .nreqs = urls.n };
	l.reqs = xcalloc(urls.n, sizeof *l.reqs);
	l.reqlen = xcalloc(urls.n, sizeof *l.reqlen);
	const char *auth = getenv("WEBLOAD_AUTH");
	char *auth64 = NULL;
	if (auth && *auth) {
		auth64 = xmalloc(4 * ((strlen(auth) + 2) / 3) + 1);
		b64_encode(auth, strlen(auth), auth64);
	}
	for (size_t i = 0; i < urls.n; i++) {
		struct sockaddr_in a;
		const char *path;
		if (parse_url(urls.items[i], &a, &path) < 0) {
			fprintf(stderr, "webload: --url '%s': not http://IP:PORT/PATH\n", urls.items[i]);
			return 2;
		}
		if (i > 0 && (a.sin_addr.s_addr != l.addr.sin_addr.s_addr || a.sin_port != l.addr.sin_port)) {
			fprintf(stderr, "webload: --url '%s': every URL must name the same server\n", urls.items[i]);
			return 2;
		}
		l.addr = a;
		struct buf b = BUF_INIT;
		const char *host = urls.items[i] + 7;
		int hostlen = (int)strcspn(host, "/");
		buf_printf(&b, "GET %s HTTP/1.1\r\nHost: %.*s\r\nUser-Agent: webload\r\n", path, hostlen, host);
		if (auth64)
			buf_printf(&b, "Authorization: Basic %s\r\n", auth64);
		buf_puts(&b, "\r\n");
		l.reqlen[i] = b.len;
		l.reqs[i] = buf_detach(&b);
	}
	l.ep = epoll_create1(EPOLL_CLOEXEC);
	struct conn *cs = xcalloc((size_t)conns, sizeof *cs);
	for (long i = 0; i < conns; i++) {
		cs[i].url = (size_t)i % l.nreqs;
		conn_open(&l, &cs[i]);
	}
	int64_t start = now_ns(), end = start + (int64_t)secs * 1000000000;
	struct epoll_event evs[256];
	for (int64_t t = start; t < end; t = now_ns()) {
		int n = epoll_wait(l.ep, evs, 256, (int)((end - t) / 1000000) + 1);
		for (int i = 0; i < n; i++) {
			struct conn *c = evs[i].data.ptr;
			if (c->state == C_READING)
				conn_read(&l, c);
			else if (evs[i].events & (EPOLLERR | EPOLLHUP) && c->state == C_CONNECTING)
				conn_fail(&l, c);
			else
				conn_send(&l, c);
		}
	}
	double took = (double)(now_ns() - start) / 1e9;
	/* A request in flight at the end was not answered in time: an error
	 * only when it has waited more than a second (a fair bench's tail). */
	int64_t late = 0, t_end = now_ns();
	for (long i = 0; i < conns; i++) {
		if (cs[i].state != C_SENDING || cs[i].sent)
			if (t_end - cs[i].started_ns > 1000000000)
				late++;
		close(cs[i].fd);
		buf_free(&cs[i].in);
	}
	l.errors += late;
	l.err_late = late;
	qsort(l.lat_us, l.nlat, sizeof *l.lat_us, cmp_u32);
	printf("requests=%lld errors=%lld rps=%.0f p50_ms=%.2f p99_ms=%.2f max_ms=%.2f"
	       " status_errors=%lld connection_errors=%lld unanswered=%lld\n", (long long)l.requests,
	       (long long)l.errors, (double)l.requests / took, pct_ms(&l, 0.50), pct_ms(&l, 0.99),
	       l.nlat ? l.lat_us[l.nlat - 1] / 1000.0 : 0.0, (long long)l.err_status, (long long)l.err_conn,
	       (long long)l.err_late);
	for (size_t i = 0; i < l.nreqs; i++)
		free(l.reqs[i]);
	free(l.reqs);
	free(l.reqlen);
	free(l.lat_us);
	free(auth64);
	free(cs);
	opt_list_free(&urls);
	close(l.ep);
	return l.errors ? 1 : 0;
}
