/* httpd.h: a tiny single-process HTTP/1.1 server library for the protocol
 * test servers (WebHDFS, HBase REST). One poll loop over the listening
 * sockets and the open connections; each complete request (Content-Length or
 * chunked body, Expect: 100-continue answered) is handed to one handler that
 * fills a response. Keep-alive and pipelining work; no TLS, no threads. */
#ifndef TESTS_HTTPD_H
#define TESTS_HTTPD_H

#include <stddef.h>

typedef struct httpd_kv {
	char *name, *value;
} httpd_kv;

typedef struct httpd_req {
	char method[16];
	char *target;		/* as sent: /path?query */
	char *path;		/* percent-decoded path */
	char *query;		/* raw query (after '?'), "" if none */
	httpd_kv *params;	/* decoded query parameters, in order */
	size_t nparams;
	httpd_kv *headers;
	size_t nheaders;
	char *body;		/* NUL-terminated (the NUL is not counted) */
	size_t body_len;
	int local_port;		/* the listening port that received it */
} httpd_req;

typedef struct httpd_resp {
	int status;		/* default 200 */
	char *headers;		/* "Name: value\r\n"... built by httpd_resp_header */
	size_t headers_len;
	char *body;
	size_t body_len;
	int close;		/* send Connection: close and close after */
	int drop;		/* close the connection without answering (fault injection) */
} httpd_resp;

/* Lookup helpers; NULL when absent. Header names are case-insensitive. */
const char *httpd_param(const httpd_req *r, const char *name);
const char *httpd_header(const httpd_req *r, const char *name);

void httpd_resp_header(httpd_resp *r, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Sets the body (copied) and its Content-Type (NULL: none). */
void httpd_resp_body(httpd_resp *r, const char *content_type, const void *data, size_t len);
void httpd_resp_printf(httpd_resp *r, const char *content_type, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Takes ownership of a malloc'd body. */
void httpd_resp_body_take(httpd_resp *r, const char *content_type, char *data, size_t len);

typedef void (*httpd_handler)(const httpd_req *req, httpd_resp *resp, void *ud);

typedef struct httpd httpd;

httpd *httpd_new(httpd_handler handler, void *ud);
/* Listens on 127.0.0.1:port (0: a free port). When port_file is given the
 * port number is written there (atomically, via a rename) once listening.
 * Returns the port, or -1 with a message on stderr. May be called for several
 * ports; req->local_port tells them apart. */
int httpd_listen(httpd *s, int port, const char *port_file);
/* Serves until httpd_stop or SIGTERM/SIGINT (handlers installed here).
 * Returns 0. */
int httpd_run(httpd *s);
void httpd_stop(httpd *s);
void httpd_free(httpd *s);

/* Percent-decodes s in place ('+' as space when form=1); returns s. */
char *httpd_decode(char *s, int form);

#endif
