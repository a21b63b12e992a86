/* slurm_client.c: HTTP requests to slurmrestd (slurm_client.h). */
#include <curl/curl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "executors/slurm_client.h"
#include "lib/buf.h"
#include "lib/xalloc.h"

struct slurm_client {
	CURL *h;
	char *base;		/* url + "/slurm/" + api */
	struct curl_slist *hdrs;
	long timeout_ms;
	const atomic_bool *abort_flag;
};

static int on_progress(void *arg, curl_off_t a, curl_off_t b, curl_off_t c, curl_off_t d)
{
	(void)a, (void)b, (void)c, (void)d;
	const atomic_bool *flag = arg;
	return atomic_load(flag) ? 1 : 0;
}

void slurm_client_set_timeout(struct slurm_client *c, long ms)
{
	c->timeout_ms = ms;
}

void slurm_client_set_abort(struct slurm_client *c, const atomic_bool *flag)
{
	c->abort_flag = flag;
}

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	buf_add(arg, p, size * n);
	return size * n;
}

struct slurm_client *slurm_client_new(const char *url, const char *api, const char *user, const char *token,
				      char *err, size_t errlen)
{
	if (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0) {
		snprintf(err, errlen, "--slurm-url: expected http://HOST:PORT, got '%s'", url);
		return NULL;
	}
	if (strpbrk(token, "\r\n") || strpbrk(user, "\r\n:")) {
		snprintf(err, errlen, "slurm token or user name holds a line break");
		return NULL;
	}
	static int global_done;
	if (!global_done++)
		curl_global_init(CURL_GLOBAL_DEFAULT);
	struct slurm_client *c = xcalloc(1, sizeof *c);
	c->h = curl_easy_init();
	if (!c->h) {
		free(c);
		snprintf(err, errlen, "libcurl could not start");
		return NULL;
	}
	struct buf b = { 0 };
	size_t n = strlen(url);
	while (n > 0 && url[n - 1] == '/')
		n--;
	buf_printf(&b, "%.*s/slurm/%s", (int)n, url, api);
	c->base = buf_detach(&b);
	buf_printf(&b, "X-SLURM-USER-NAME: %s", user);
	c->hdrs = curl_slist_append(c->hdrs, buf_str(&b));
	buf_reset(&b);
	buf_printf(&b, "X-SLURM-USER-TOKEN: %s", token);
	c->hdrs = curl_slist_append(c->hdrs, buf_str(&b));
	buf_free(&b);	/* the token's copy: curl keeps its own */
	c->hdrs = curl_slist_append(c->hdrs, "Content-Type: application/json");
	c->hdrs = curl_slist_append(c->hdrs, "Expect:");
	c->timeout_ms = 5000;
	if (!c->hdrs)
		xalloc_die(0);
	return c;
}

void slurm_client_free(struct slurm_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	curl_slist_free_all(c->hdrs);
	free(c->base);
	free(c);
}


static bool connected(CURL *h)
{
	curl_off_t us = 0;
	return curl_easy_getinfo(h, CURLINFO_CONNECT_TIME_T, &us) == CURLE_OK && us > 0;
}

/* One request; *status the HTTP status. SLURM_UNREACHABLE when nothing was
 * sent, SLURM_UNSURE when it was and no answer came. */
static int request(struct slurm_client *c, const char *method, const char *path, const char *body,
		   struct buf *resp, long *status, char *err, size_t errlen)
{
	struct buf url = { 0 };
	buf_printf(&url, "%s%s", c->base, path);
	CURL *h = c->h;
	curl_easy_reset(h);
	curl_easy_setopt(h, CURLOPT_URL, buf_str(&url));
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, c->hdrs);
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 2000L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
	if (c->abort_flag) {
		curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
		curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
		curl_easy_setopt(h, CURLOPT_XFERINFODATA, (void *)c->abort_flag);
	}
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
	if (body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(body));
	}
	CURLcode rc = curl_easy_perform(h);
	*status = 0;
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "%s %s: %s", method, path, curl_easy_strerror(rc));
		buf_free(&url);
		/* Refused or never connected: nothing was sent. */
		bool sent = rc != CURLE_COULDNT_CONNECT && rc != CURLE_COULDNT_RESOLVE_HOST &&
			    !(rc == CURLE_OPERATION_TIMEDOUT && !connected(h));
		return sent ? SLURM_UNSURE : SLURM_UNREACHABLE;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
	buf_free(&url);
	return 0;
}

/* A 5xx answer without slurmctld's errors in it is slurmrestd failing to
 * reach slurmctld: unreachable, not refused. */
static int classify(const char *method, const char *path, long status, const struct buf *resp, char *err,
		    size_t errlen)
{
	if (status == 401 || status == 403) {
		snprintf(err, errlen, "%s %s: HTTP %ld: slurmrestd refused the token (expired? see docs/slurm.md)",
			 method, path, status);
		return SLURM_UNREACHABLE;	/* waits: a new token fixes it */
	}
	char e[400];
	if (slurm_answer_errors(buf_str(resp), resp->len, e, sizeof e)) {
		/* slurmctld down: "Unable to contact slurm controller" and its like */
		if (strstr(e, "contact") || strstr(e, "connect") || strstr(e, "Socket timed out") ||
		    strstr(e, "Communication"))  {
			snprintf(err, errlen, "%s %s: %s", method, path, e);
			return SLURM_UNREACHABLE;
		}
		snprintf(err, errlen, "%s", e);
		return SLURM_REFUSED;
	}
	if (status >= 500 || status == 0) {
		snprintf(err, errlen, "%s %s: HTTP %ld", method, path, status);
		return SLURM_UNREACHABLE;
	}
	if (status >= 400) {
		snprintf(err, errlen, "%s %s: HTTP %ld", method, path, status);
		return SLURM_REFUSED;
	}
	return 0;
}

int slurm_client_submit(struct slurm_client *c, const struct slurm_submit *s, int64_t *job_id, char *err,
			size_t errlen)
{
	char *body = slurm_submit_body(s);
	struct buf resp = { 0 };
	long status;
	int rc = request(c, "POST", "/job/submit", body, &resp, &status, err, errlen);
	free(body);
	if (rc == 0 && (rc = classify("POST", "/job/submit", status, &resp, err, errlen)) == 0 &&
	    !slurm_parse_submit(buf_str(&resp), resp.len, job_id, err, errlen))
		rc = SLURM_REFUSED;
	buf_free(&resp);
	return rc;
}

int slurm_client_jobs(struct slurm_client *c, int64_t since, void (*fn)(void *arg, const struct slurm_job *j),
		      void *arg, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof path, "/jobs?update_time=%lld", (long long)since);
	struct buf resp = { 0 };
	long status;
	int rc = request(c, "GET", path, NULL, &resp, &status, err, errlen);
	if (rc == SLURM_UNSURE)
		rc = SLURM_UNREACHABLE;
	if (rc == 0 && (rc = classify("GET", "/jobs", status, &resp, err, errlen)) == 0 &&
	    !slurm_parse_jobs(buf_str(&resp), resp.len, fn, arg, err, errlen))
		rc = SLURM_UNREACHABLE;	/* a garbled answer: asked again next time */
	buf_free(&resp);
	return rc;
}

int slurm_client_cancel(struct slurm_client *c, int64_t job_id, char *err, size_t errlen)
{
	char path[64];
	snprintf(path, sizeof path, "/job/%lld", (long long)job_id);
	struct buf resp = { 0 };
	long status;
	int rc = request(c, "DELETE", path, NULL, &resp, &status, err, errlen);
	if (rc == SLURM_UNSURE)
		rc = SLURM_UNREACHABLE;	/* sent again: cancelling twice is harmless */
	if (rc == 0)
		rc = classify("DELETE", path, status, &resp, err, errlen);
	buf_free(&resp);
	return rc;
}
