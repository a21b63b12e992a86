/* httpd.c: the test HTTP/1.1 server library of httpd.h. A single poll loop:
 * connections accumulate bytes until one request is complete, the handler
 * runs, the response is written (blocking; test clients read promptly), and
 * any pipelined bytes are parsed next. Simple on purpose: test servers must be
 * obviously right more than fast. */
#include "tests/servers/httpd.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#define HTTPD_MAX_LISTEN 4
#define HTTPD_MAX_CONN 256
#define HTTPD_MAX_HEAD (64 * 1024)

struct conn {
	int fd, local_port;
	char *buf;
	size_t len, cap;
	int sent_continue;
};

struct httpd {
	httpd_handler handler;
	void *ud;
	int lfd[HTTPD_MAX_LISTEN], lport[HTTPD_MAX_LISTEN], nlisten;
	struct conn conns[HTTPD_MAX_CONN];
	int nconns;
	volatile int stop;
};

static volatile sig_atomic_t httpd_sig;
static void httpd_on_signal(int sig) { httpd_sig = sig; }

httpd *httpd_new(httpd_handler handler, void *ud)
{
	httpd *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->handler = handler;
	s->ud = ud;
	return s;
}

int httpd_listen(httpd *s, int port, const char *port_file)
{
	if (s->nlisten >= HTTPD_MAX_LISTEN) {
		fprintf(stderr, "httpd: too many listening ports\n");
		return -1;
	}
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		perror("httpd: socket");
		return -1;
	}
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((unsigned short)port) };
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 64) < 0) {
		fprintf(stderr, "httpd: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
		close(fd);
		return -1;
	}
	socklen_t al = sizeof a;
	getsockname(fd, (struct sockaddr *)&a, &al);
	int p = ntohs(a.sin_port);
	s->lfd[s->nlisten] = fd;
	s->lport[s->nlisten] = p;
	s->nlisten++;
	if (port_file) {
		char tmp[4096];
		snprintf(tmp, sizeof tmp, "%s.tmp", port_file);
		FILE *f = fopen(tmp, "w");
		if (!f || fprintf(f, "%d\n", p) < 0 || fclose(f) != 0 || rename(tmp, port_file) < 0) {
			fprintf(stderr, "httpd: cannot write port file %s: %s\n", port_file, strerror(errno));
			return -1;
		}
	}
	return p;
}

void httpd_stop(httpd *s) { s->stop = 1; }

static void conn_close(httpd *s, int i)
{
	close(s->conns[i].fd);
	free(s->conns[i].buf);
	s->conns[i] = s->conns[s->nconns - 1];
	s->nconns--;
}

void httpd_free(httpd *s)
{
	if (!s)
		return;
	while (s->nconns)
		conn_close(s, 0);
	for (int i = 0; i < s->nlisten; i++)
		close(s->lfd[i]);
	free(s);
}

char *httpd_decode(char *s, int form)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		if (*p == '%' && isxdigit((unsigned char)p[1]) && isxdigit((unsigned char)p[2])) {
			char hx[3] = { p[1], p[2], 0 };
			*o++ = (char)strtol(hx, NULL, 16);
			p += 2;
		} else if (form && *p == '+') {
			*o++ = ' ';
		} else {
			*o++ = *p;
		}
	}
	*o = 0;
	return s;
}

const char *httpd_param(const httpd_req *r, const char *name)
{
	for (size_t i = 0; i < r->nparams; i++)
		if (strcmp(r->params[i].name, name) == 0)
			return r->params[i].value;
	return NULL;
}

const char *httpd_header(const httpd_req *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

void httpd_resp_header(httpd_resp *r, const char *name, const char *fmt, ...)
{
	char val[4096];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(val, sizeof val, fmt, ap);
	va_end(ap);
	size_t add = strlen(name) + strlen(val) + 4;
	char *h = realloc(r->headers, r->headers_len + add + 1);
	if (!h)
		return;
	r->headers = h;
	r->headers_len += (size_t)sprintf(h + r->headers_len, "%s: %s\r\n", name, val);
}

void httpd_resp_body_take(httpd_resp *r, const char *content_type, char *data, size_t len)
{
	free(r->body);
	r->body = data;
	r->body_len = len;
	if (content_type)
		httpd_resp_header(r, "Content-Type", "%s", content_type);
}

void httpd_resp_body(httpd_resp *r, const char *content_type, const void *data, size_t len)
{
	char *b = malloc(len + 1);
	if (!b)
		return;
	if (len)
		memcpy(b, data, len);
	b[len] = 0;
	httpd_resp_body_take(r, content_type, b, len);
}

void httpd_resp_printf(httpd_resp *r, const char *content_type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *b = NULL;
	int n = vasprintf(&b, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	httpd_resp_body_take(r, content_type, b, (size_t)n);
}

static void kv_add(httpd_kv **v, size_t *n, char *name, char *value)
{
	httpd_kv *p = realloc(*v, (*n + 1) * sizeof *p);
	if (!p) {
		free(name);
		free(value);
		return;
	}
	*v = p;
	p[*n].name = name;
	p[*n].value = value;
	(*n)++;
}

static void req_free(httpd_req *r)
{
	free(r->target);
	free(r->path);
	free(r->query);
	for (size_t i = 0; i < r->nparams; i++) {
		free(r->params[i].name);
		free(r->params[i].value);
	}
	free(r->params);
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	free(r->body);
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static const char *reason_of(int status)
{
	switch (status) {
	case 100: return "Continue";
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 304: return "Not Modified";
	case 307: return "Temporary Redirect";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 411: return "Length Required";
	case 413: return "Payload Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

/* Decodes a complete chunked body starting at p (len bytes available).
 * Returns bytes consumed, 0 if incomplete, -1 if malformed. */
static long dechunk(const char *p, size_t len, char **out, size_t *outlen)
{
	size_t off = 0, cap = 0, n = 0;
	char *b = NULL;
	for (;;) {
		const char *eol = memmem(p + off, len - off, "\r\n", 2);
		if (!eol) {
			free(b);
			return 0;
		}
		char *end;
		unsigned long sz = strtoul(p + off, &end, 16);
		if (end == p + off) {
			free(b);
			return -1;
		}
		off = (size_t)(eol - p) + 2;
		if (sz == 0) {
			/* trailers until an empty line */
			for (;;) {
				const char *e2 = memmem(p + off, len - off, "\r\n", 2);
				if (!e2) {
					free(b);
					return 0;
				}
				size_t l = (size_t)(e2 - (p + off));
				off += l + 2;
				if (l == 0)
					break;
			}
			if (!b)
				b = malloc(1);
			if (!b)
				return -1;
			b[n] = 0;
			*out = b;
			*outlen = n;
			return (long)off;
		}
		if (len - off < sz + 2) {
			free(b);
			return 0;
		}
		if (n + sz + 1 > cap) {
			cap = (n + sz + 1) * 2;
			char *nb = realloc(b, cap);
			if (!nb) {
				free(b);
				return -1;
			}
			b = nb;
		}
		memcpy(b + n, p + off, sz);
		n += sz;
		off += sz + 2;
	}
}

static void send_simple(int fd, int status, const char *msg)
{
	char out[512];
	int n = snprintf(out, sizeof out, "HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n%s",
			 status, reason_of(status), strlen(msg), msg);
	write_all(fd, out, (size_t)n);
}

/* Tries to handle one request from c's buffer. Returns 1 if one was handled
 * (and the connection stays open), 0 if more bytes are needed, -1 to close. */
static int conn_step(httpd *s, struct conn *c)
{
	char *hend = c->len ? memmem(c->buf, c->len, "\r\n\r\n", 4) : NULL;
	if (!hend) {
		if (c->len > HTTPD_MAX_HEAD) {
			send_simple(c->fd, 400, "header too large\n");
			return -1;
		}
		return 0;
	}
	size_t head_len = (size_t)(hend - c->buf) + 4;
	httpd_req r;
	memset(&r, 0, sizeof r);
	r.local_port = c->local_port;
	/* request line */
	char *line_end = memmem(c->buf, head_len, "\r\n", 2);
	char *sp1 = memchr(c->buf, ' ', (size_t)(line_end - c->buf));
	char *sp2 = sp1 ? memchr(sp1 + 1, ' ', (size_t)(line_end - sp1 - 1)) : NULL;
	if (!sp1 || !sp2 || (size_t)(sp1 - c->buf) >= sizeof r.method) {
		send_simple(c->fd, 400, "bad request line\n");
		return -1;
	}
	memcpy(r.method, c->buf, (size_t)(sp1 - c->buf));
	r.target = strndup(sp1 + 1, (size_t)(sp2 - sp1 - 1));
	int http10 = strncmp(sp2 + 1, "HTTP/1.0", 8) == 0;
	/* headers */
	for (char *p = line_end + 2; p < hend;) {
		char *e = memmem(p, (size_t)(hend + 2 - p), "\r\n", 2);
		char *colon = memchr(p, ':', (size_t)(e - p));
		if (colon) {
			char *v = colon + 1;
			while (v < e && (*v == ' ' || *v == '\t'))
				v++;
			char *ve = e;
			while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
				ve--;
			kv_add(&r.headers, &r.nheaders, strndup(p, (size_t)(colon - p)), strndup(v, (size_t)(ve - v)));
		}
		p = e + 2;
	}
	/* body */
	const char *te = httpd_header(&r, "Transfer-Encoding");
	const char *cl = httpd_header(&r, "Content-Length");
	size_t consumed;
	if (te && strcasestr(te, "chunked")) {
		long used = dechunk(c->buf + head_len, c->len - head_len, &r.body, &r.body_len);
		if (used < 0) {
			req_free(&r);
			send_simple(c->fd, 400, "bad chunked body\n");
			return -1;
		}
		if (used == 0)
			goto need_more;
		consumed = head_len + (size_t)used;
	} else {
		size_t blen = cl ? strtoull(cl, NULL, 10) : 0;
		if (c->len - head_len < blen)
			goto need_more;
		r.body = malloc(blen + 1);
		if (!r.body) {
			req_free(&r);
			return -1;
		}
		memcpy(r.body, c->buf + head_len, blen);
		r.body[blen] = 0;
		r.body_len = blen;
		consumed = head_len + blen;
	}
	/* target: path and query */
	char *q = strchr(r.target, '?');
	r.path = strndup(r.target, q ? (size_t)(q - r.target) : strlen(r.target));
	httpd_decode(r.path, 0);
	r.query = strdup(q ? q + 1 : "");
	if (q) {
		char *qs = strdup(q + 1), *save = NULL;
		for (char *tok = strtok_r(qs, "&", &save); tok; tok = strtok_r(NULL, "&", &save)) {
			char *eq = strchr(tok, '=');
			char *name = strndup(tok, eq ? (size_t)(eq - tok) : strlen(tok));
			char *val = strdup(eq ? eq + 1 : "");
			kv_add(&r.params, &r.nparams, httpd_decode(name, 1), httpd_decode(val, 1));
		}
		free(qs);
	}
	const char *conn_h = httpd_header(&r, "Connection");
	int close_after = http10 ? !(conn_h && strcasecmp(conn_h, "keep-alive") == 0)
				 : (conn_h && strcasecmp(conn_h, "close") == 0);

	httpd_resp resp;
	memset(&resp, 0, sizeof resp);
	resp.status = 200;
	s->handler(&r, &resp, s->ud);
	req_free(&r);
	memmove(c->buf, c->buf + consumed, c->len - consumed);
	c->len -= consumed;
	c->sent_continue = 0;
	if (resp.drop) {
		free(resp.headers);
		free(resp.body);
		return -1;
	}
	close_after |= resp.close;
	char head[512];
	int hn = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Length: %zu\r\n%s", resp.status,
			  reason_of(resp.status), resp.body_len, close_after ? "Connection: close\r\n" : "");
	int ok = write_all(c->fd, head, (size_t)hn) == 0 &&
		 (!resp.headers_len || write_all(c->fd, resp.headers, resp.headers_len) == 0) &&
		 write_all(c->fd, "\r\n", 2) == 0 &&
		 (strcmp(r.method, "HEAD") == 0 || !resp.body_len || write_all(c->fd, resp.body, resp.body_len) == 0);
	free(resp.headers);
	free(resp.body);
	return ok && !close_after ? 1 : -1;

need_more:
	if (!c->sent_continue) {
		const char *ex = httpd_header(&r, "Expect");
		if (ex && strcasecmp(ex, "100-continue") == 0)
			write_all(c->fd, "HTTP/1.1 100 Continue\r\n\r\n", 25);
		c->sent_continue = 1;
	}
	req_free(&r);
	return 0;
}

int httpd_run(httpd *s)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = httpd_on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	struct pollfd pfd[HTTPD_MAX_LISTEN + HTTPD_MAX_CONN];
	while (!s->stop && !httpd_sig) {
		int n = 0;
		for (int i = 0; i < s->nlisten; i++)
			pfd[n++] = (struct pollfd){ .fd = s->lfd[i], .events = POLLIN };
		for (int i = 0; i < s->nconns; i++)
			pfd[n++] = (struct pollfd){ .fd = s->conns[i].fd, .events = POLLIN };
		int rc = poll(pfd, (nfds_t)n, 1000);
		if (rc < 0) {
			if (errno == EINTR)
				continue;
			perror("httpd: poll");
			return 0;
		}
		/* connections first (indices shift when one closes: walk backwards) */
		for (int i = s->nconns - 1; i >= 0; i--) {
			if (!(pfd[s->nlisten + i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			struct conn *c = &s->conns[i];
			if (c->cap - c->len < 65536) {
				size_t cap = c->cap ? c->cap * 2 : 131072;
				while (cap - c->len < 65536)
					cap *= 2;
				char *b = realloc(c->buf, cap);
				if (!b) {
					conn_close(s, i);
					continue;
				}
				c->buf = b;
				c->cap = cap;
			}
			ssize_t got = read(c->fd, c->buf + c->len, c->cap - c->len);
			if (got < 0 && errno == EINTR)
				continue;
			if (got <= 0) {
				conn_close(s, i);
				continue;
			}
			c->len += (size_t)got;
			int st;
			while ((st = conn_step(s, c)) == 1 && c->len)
				;
			if (st < 0)
				conn_close(s, i);
		}
		for (int i = 0; i < s->nlisten; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			int fd = accept4(s->lfd[i], NULL, NULL, SOCK_CLOEXEC);
			if (fd < 0)
				continue;
			if (s->nconns >= HTTPD_MAX_CONN) {
				close(fd);
				continue;
			}
			int one = 1;
			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
			s->conns[s->nconns++] = (struct conn){ .fd = fd, .local_port = s->lport[i] };
		}
	}
	return 0;
}
