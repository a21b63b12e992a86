/* http.c: the libcurl wrapper of http.h. One easy handle per client, reset
 * between requests (which keeps its connection cache), so a job talking to one
 * server reuses one connection. Retries are decided here, once, for every REST
 * client: transport errors and 5xx, with doubling waits, never after part of a
 * streamed body was handed to the caller. */
#include "jobs/common/http.h"
#include "lib/uri_redact.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

struct http_client {
	CURL *h;
	http_opts o;
};

static pthread_once_t http_once = PTHREAD_ONCE_INIT;
static void http_global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

http_client *http_client_new(const http_opts *opts, job_err *e)
{
	pthread_once(&http_once, http_global_init);
	http_client *c = calloc(1, sizeof *c);
	if (!c) {
		job_err_set(e, "out of memory");
		return NULL;
	}
	if (opts)
		c->o = *opts;
	else
		c->o.retries = -1;
	if (c->o.connect_timeout_ms <= 0)
		c->o.connect_timeout_ms = 10000;
	if (c->o.stall_timeout_s <= 0)
		c->o.stall_timeout_s = 60;
	if (c->o.retries < 0)
		c->o.retries = 4;
	if (c->o.backoff_ms <= 0)
		c->o.backoff_ms = 200;
	if (c->o.backoff_max_ms <= 0)
		c->o.backoff_max_ms = 5000;
	c->h = curl_easy_init();
	if (!c->h) {
		job_err_set(e, "curl_easy_init failed");
		free(c);
		return NULL;
	}
	return c;
}

void http_client_free(http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	free(c);
}

void http_response_free(http_response *r)
{
	if (!r)
		return;
	free(r->body);
	free(r->location);
	for (size_t i = 0; i < r->nheaders; i++) {
		free(r->headers[i].name);
		free(r->headers[i].value);
	}
	free(r->headers);
	memset(r, 0, sizeof *r);
}

const char *http_response_header(const http_response *r, const char *name)
{
	for (size_t i = 0; i < r->nheaders; i++)
		if (strcasecmp(r->headers[i].name, name) == 0)
			return r->headers[i].value;
	return NULL;
}

/* Per-attempt state shared with the callbacks. */
struct attempt {
	http_response *resp;
	const http_request *req;
	CURL *h;
	size_t body_cap;
	size_t sunk;		/* bytes given to the sink */
	int oom;
};

static size_t on_header(char *buf, size_t size, size_t n, void *ud)
{
	struct attempt *a = ud;
	size_t len = size * n;
	http_response *r = a->resp;
	if (len >= 5 && strncmp(buf, "HTTP/", 5) == 0) {
		/* a new response (after a 100 Continue or a followed redirect) */
		for (size_t i = 0; i < r->nheaders; i++) {
			free(r->headers[i].name);
			free(r->headers[i].value);
		}
		free(r->headers);
		r->headers = NULL;
		r->nheaders = 0;
		return len;
	}
	const char *colon = memchr(buf, ':', len);
	if (!colon)
		return len;
	size_t nl = (size_t)(colon - buf);
	const char *v = colon + 1, *end = buf + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	http_header *hs = realloc(r->headers, (r->nheaders + 1) * sizeof *hs);
	if (!hs) {
		a->oom = 1;
		return 0;
	}
	r->headers = hs;
	hs[r->nheaders].name = strndup(buf, nl);
	hs[r->nheaders].value = strndup(v, (size_t)(end - v));
	if (!hs[r->nheaders].name || !hs[r->nheaders].value) {
		free(hs[r->nheaders].name);
		free(hs[r->nheaders].value);
		a->oom = 1;
		return 0;
	}
	r->nheaders++;
	return len;
}

static size_t on_body(char *buf, size_t size, size_t n, void *ud)
{
	struct attempt *a = ud;
	size_t len = size * n;
	long code = 0;
	curl_easy_getinfo(a->h, CURLINFO_RESPONSE_CODE, &code);
	if (a->req->sink && code >= 200 && code < 300) {
		size_t got = a->req->sink(buf, len, a->req->sink_ud);
		a->sunk += got;
		return got;
	}
	http_response *r = a->resp;
	if (r->body_len + len + 1 > a->body_cap) {
		size_t cap = a->body_cap ? a->body_cap * 2 : 4096;
		while (cap < r->body_len + len + 1)
			cap *= 2;
		char *p = realloc(r->body, cap);
		if (!p) {
			a->oom = 1;
			return 0;
		}
		r->body = p;
		a->body_cap = cap;
	}
	memcpy(r->body + r->body_len, buf, len);
	r->body_len += len;
	r->body[r->body_len] = 0;
	return len;
}

int http_backoff_sleep(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		if (job_stopping())
			return -1;
	return job_stopping() ? -1 : 0;
}

static int retriable_curl(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_SSL_CONNECT_ERROR:
		return 1;
	default:
		return 0;
	}
}

/* One attempt; returns the curl code. */
static CURLcode http_once_attempt(http_client *c, const http_request *req, http_response *resp,
				  struct attempt *a, char *curl_err)
{
	CURL *h = c->h;
	curl_easy_reset(h);
	struct curl_slist *hdrs = NULL;
	for (const char *const *p = req->headers; p && *p; p++)
		hdrs = curl_slist_append(hdrs, *p);
	curl_easy_setopt(h, CURLOPT_URL, req->url);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_err);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->o.connect_timeout_ms);
	if (c->o.timeout_ms > 0)
		curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->o.timeout_ms);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, c->o.stall_timeout_s);
	curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, req->follow_redirects ? 1L : 0L);
	curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(h, CURLOPT_HEADERDATA, a);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, a);
	if (c->o.spnego) {
		curl_easy_setopt(h, CURLOPT_HTTPAUTH, (long)CURLAUTH_NEGOTIATE);
		curl_easy_setopt(h, CURLOPT_USERPWD, ":");
	}
	if (c->o.insecure) {
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
		curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
	}
	if (c->o.ca_file)
		curl_easy_setopt(h, CURLOPT_CAINFO, c->o.ca_file);
	const char *m = req->method ? req->method : "GET";
	if (req->body || req->send_body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? (const char *)req->body : "");
		if (strcmp(m, "POST") != 0)
			curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	} else if (strcmp(m, "GET") == 0) {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	} else if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
	} else {
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, m);
	}
	if (hdrs)
		curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_err[0] = 0;
	CURLcode rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	char *loc = NULL;
	if (curl_easy_getinfo(h, CURLINFO_REDIRECT_URL, &loc) == CURLE_OK && loc)
		resp->location = strdup(loc);
	curl_slist_free_all(hdrs);
	return rc;
}

int http_do(http_client *c, const http_request *req, http_response *resp, job_err *e)
{
	long wait = c->o.backoff_ms;
	int max_attempts = req->no_retry ? 1 : c->o.retries + 1;
	char curl_err[CURL_ERROR_SIZE];
	for (int attempt = 1;; attempt++) {
		http_response_free(resp);
		struct attempt a = { .resp = resp, .req = req, .h = c->h };
		CURLcode rc = http_once_attempt(c, req, resp, &a, curl_err);
		resp->attempts = attempt;
		char rb[URI_REDACT_MAX];
		uri_redact(req->url, rb, sizeof rb);
		if (a.oom) {
			job_err_set(e, "%s %s: out of memory", req->method ? req->method : "GET", rb);
			return -1;
		}
		int again;
		if (rc != CURLE_OK) {
			again = retriable_curl(rc) && a.sunk == 0;
		} else {
			again = resp->status >= 500 && a.sunk == 0;
		}
		if (!again || attempt >= max_attempts || job_stopping()) {
			if (rc != CURLE_OK) {
				job_err_set(e, "%s %s: %s (after %d attempt%s)", req->method ? req->method : "GET",
					    rb, curl_err[0] ? curl_err : curl_easy_strerror(rc), attempt,
					    attempt == 1 ? "" : "s");
				return -1;
			}
			return 0;
		}
		job_warn("http retry", "method=%s url=%s attempt=%d status=%ld error=%s wait_ms=%ld",
			 req->method ? req->method : "GET", rb, attempt, resp->status,
			 rc != CURLE_OK ? (curl_err[0] ? curl_err : curl_easy_strerror(rc)) : "server error", wait);
		if (http_backoff_sleep(wait) < 0) {
			if (rc != CURLE_OK) {
				job_err_set(e, "%s %s: %s (stopping)", req->method ? req->method : "GET", rb,
					    curl_err[0] ? curl_err : curl_easy_strerror(rc));
				return -1;
			}
			return 0;
		}
		wait *= 2;
		if (wait > c->o.backoff_max_ms)
			wait = c->o.backoff_max_ms;
	}
}

char *http_escape(const char *s, int query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(s);
	char *out = malloc(n * 3 + 1), *o = out;
	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == '~' || (!query && (ch == '/' || ch == '='))) {
			*o++ = (char)ch;
		} else {
			*o++ = '%';
			*o++ = hex[ch >> 4];
			*o++ = hex[ch & 15];
		}
	}
	*o = 0;
	return out;
}
