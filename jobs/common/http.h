/* http.h: a small libcurl wrapper for the REST clients of the jobs (WebHDFS,
 * HBase REST). One request at a time on a reused connection; redirects are
 * not followed unless asked (WebHDFS needs the 307 Location itself); transport
 * errors and 5xx answers are retried with exponential backoff; Kerberos via
 * SPNEGO when asked. Error bodies are kept, not turned into failures: the
 * caller reads the status and the body (e.g. a RemoteException). */
#ifndef JOB_HTTP_H
#define JOB_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "jobs/common/job.h"

typedef struct http_opts {
	long connect_timeout_ms;	/* 0: 10 s */
	long timeout_ms;		/* whole request; 0: none (use stall_timeout_s) */
	long stall_timeout_s;		/* abort when under 1 byte/s for this long; 0: 60 s */
	int retries;			/* extra attempts after the first; -1: 4 */
	long backoff_ms;		/* first wait; doubled each retry; 0: 200 ms */
	long backoff_max_ms;		/* 0: 5 s */
	int spnego;			/* Kerberos: CURLAUTH_NEGOTIATE with user ":" */
	int insecure;			/* TLS without certificate verification */
	const char *ca_file;		/* extra CA bundle, or NULL */
} http_opts;

typedef struct http_client http_client;

/* The sink of a streamed response body: return the bytes consumed; anything
 * less aborts the transfer. */
typedef size_t (*http_sink)(const void *data, size_t len, void *ud);

typedef struct http_request {
	const char *method;		/* "GET", "PUT", "POST", "DELETE", ... */
	const char *url;
	const char *const *headers;	/* NULL-terminated "Name: value" list, or NULL */
	const void *body;		/* request body, or NULL */
	size_t body_len;
	int send_body;			/* send Content-Length (0 included) even when body_len is 0 */
	int follow_redirects;		/* follow 3xx (only sane for GET) */
	int no_retry;			/* one attempt only (non-idempotent requests) */
	http_sink sink;			/* stream 2xx response bodies here instead of buffering */
	void *sink_ud;
} http_request;

typedef struct http_header {
	char *name, *value;
} http_header;

typedef struct http_response {
	long status;			/* 0 when no response */
	char *body;			/* NUL-terminated, NULL when streamed to a sink */
	size_t body_len;
	char *location;			/* Location of a 3xx, or NULL */
	http_header *headers;		/* the final response's headers */
	size_t nheaders;
	int attempts;
} http_response;

/* opts may be NULL (defaults). */
http_client *http_client_new(const http_opts *opts, job_err *e);
void http_client_free(http_client *c);

/* Runs the request, retrying connection errors and 5xx per the options.
 * Returns 0 when a response arrived (whatever its status; a 5xx after the last
 * retry included), -1 with e set when none did. *resp must be zeroed or freed
 * before; free it with http_response_free. */
int http_do(http_client *c, const http_request *req, http_response *resp, job_err *e);
void http_response_free(http_response *r);
/* Case-insensitive header lookup in the final response; NULL if absent. */
const char *http_response_header(const http_response *r, const char *name);

/* Percent-encodes s for a URL path (keeps '/' and unreserved characters) or,
 * with query=1, for a query value (encodes '/' too). malloc'd. */
char *http_escape(const char *s, int query);

/* Sleep between retries (ms); exposed for the storage layer's own retries.
 * Returns early (and -1) when the job is stopping. */
int http_backoff_sleep(long ms);

#endif
