/* test_http.c: the libcurl wrapper against the test HTTP server library, run
 * in a thread on loopback: redirects are reported not followed, 5xx are
 * retried then returned, bodies (plain and chunked) and headers arrive, query
 * parameters are decoded, keep-alive serves several requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/common/http.h"
#include "tests/servers/httpd.h"

static int fail_next;	/* server: answer 500 to the next N requests */
static int requests;

static void handler(const httpd_req *r, httpd_resp *w, void *ud)
{
	(void)ud;
	requests++;
	if (fail_next > 0) {
		fail_next--;
		w->status = 500;
		httpd_resp_printf(w, "text/plain", "injected\n");
		return;
	}
	if (strcmp(r->path, "/redirect") == 0) {
		w->status = 307;
		httpd_resp_header(w, "Location", "http://127.0.0.1:%d/target?x=1", r->local_port);
		return;
	}
	if (strcmp(r->path, "/target") == 0) {
		httpd_resp_printf(w, "text/plain", "target");
		return;
	}
	if (strcmp(r->path, "/echo") == 0) {
		const char *ct = httpd_header(r, "Content-Type");
		httpd_resp_header(w, "X-Method", "%s", r->method);
		httpd_resp_header(w, "X-Param", "%s", httpd_param(r, "p") ? httpd_param(r, "p") : "-");
		httpd_resp_header(w, "X-CT", "%s", ct ? ct : "-");
		httpd_resp_body(w, "application/octet-stream", r->body, r->body_len);
		return;
	}
	if (strcmp(r->path, "/a b") == 0) {
		httpd_resp_printf(w, "text/plain", "decoded");
		return;
	}
	w->status = 404;
	httpd_resp_printf(w, "application/json", "{\"RemoteException\":{}}");
}

static httpd *srv;
static int port;
static pthread_t thr;

static void *serve(void *arg)
{
	(void)arg;
	httpd_run(srv);
	return NULL;
}

static int setup(void **st)
{
	(void)st;
	srv = httpd_new(handler, NULL);
	port = httpd_listen(srv, 0, NULL);
	if (port <= 0)
		return -1;
	return pthread_create(&thr, NULL, serve, NULL);
}

static int teardown(void **st)
{
	(void)st;
	httpd_stop(srv);
	pthread_join(thr, NULL);
	httpd_free(srv);
	return 0;
}

static char *url(const char *path)
{
	char *u = NULL;
	if (asprintf(&u, "http://127.0.0.1:%d%s", port, path) < 0)
		return NULL;
	return u;
}

static void test_redirect_not_followed(void **st)
{
	(void)st;
	job_err e;
	http_client *c = http_client_new(NULL, &e);
	char *u = url("/redirect");
	http_request rq = { .method = "PUT", .url = u, .send_body = 1 };
	http_response rs = { 0 };
	assert_int_equal(http_do(c, &rq, &rs, &e), 0);
	assert_int_equal(rs.status, 307);
	assert_non_null(rs.location);
	assert_non_null(strstr(rs.location, "/target?x=1"));
	http_response_free(&rs);
	http_request g = { .method = "GET", .url = u, .follow_redirects = 1 };
	assert_int_equal(http_do(c, &g, &rs, &e), 0);
	assert_int_equal(rs.status, 200);
	assert_string_equal(rs.body, "target");
	http_response_free(&rs);
	free(u);
	http_client_free(c);
}

static void test_body_headers_params(void **st)
{
	(void)st;
	job_err e;
	http_client *c = http_client_new(NULL, &e);
	char *u = url("/echo?p=a%2Fb%20c");
	const char *hdrs[] = { "Content-Type: application/octet-stream", NULL };
	char big[200000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	http_request rq = { .method = "PUT", .url = u, .headers = hdrs, .body = big, .body_len = sizeof big };
	http_response rs = { 0 };
	assert_int_equal(http_do(c, &rq, &rs, &e), 0);
	assert_int_equal(rs.status, 200);
	assert_int_equal(rs.body_len, sizeof big);
	assert_memory_equal(rs.body, big, sizeof big);
	assert_string_equal(http_response_header(&rs, "x-method"), "PUT");
	assert_string_equal(http_response_header(&rs, "X-Param"), "a/b c");
	assert_string_equal(http_response_header(&rs, "X-CT"), "application/octet-stream");
	http_response_free(&rs);
	/* chunked upload */
	const char *h2[] = { "Transfer-Encoding: chunked", NULL };
	http_request rc = { .method = "POST", .url = u, .headers = h2, .body = "hello", .body_len = 5 };
	assert_int_equal(http_do(c, &rc, &rs, &e), 0);
	assert_int_equal(rs.status, 200);
	assert_string_equal(rs.body, "hello");
	assert_string_equal(http_response_header(&rs, "X-Method"), "POST");
	http_response_free(&rs);
	free(u);
	u = url("/a%20b");
	http_request d = { .method = "DELETE", .url = u };
	assert_int_equal(http_do(c, &d, &rs, &e), 0);
	assert_string_equal(rs.body, "decoded");
	http_response_free(&rs);
	free(u);
	http_client_free(c);
}

static void test_retries(void **st)
{
	(void)st;
	job_err e;
	http_opts o = { .retries = 3, .backoff_ms = 5 };
	http_client *c = http_client_new(&o, &e);
	char *u = url("/target");
	http_request rq = { .method = "GET", .url = u };
	http_response rs = { 0 };
	fail_next = 2;
	assert_int_equal(http_do(c, &rq, &rs, &e), 0);
	assert_int_equal(rs.status, 200);
	assert_int_equal(rs.attempts, 3);
	http_response_free(&rs);
	fail_next = 10;
	assert_int_equal(http_do(c, &rq, &rs, &e), 0);
	assert_int_equal(rs.status, 500);
	assert_int_equal(rs.attempts, 4);
	http_response_free(&rs);
	fail_next = 1;
	http_request once = { .method = "GET", .url = u, .no_retry = 1 };
	assert_int_equal(http_do(c, &once, &rs, &e), 0);
	assert_int_equal(rs.status, 500);
	assert_int_equal(rs.attempts, 1);
	http_response_free(&rs);
	fail_next = 0;
	free(u);
	http_client_free(c);
}

static void test_connection_refused(void **st)
{
	(void)st;
	job_err e;
	http_opts o = { .retries = 1, .backoff_ms = 1 };
	http_client *c = http_client_new(&o, &e);
	http_request rq = { .method = "GET", .url = "http://127.0.0.1:1/x" };
	http_response rs = { 0 };
	assert_int_equal(http_do(c, &rq, &rs, &e), -1);
	assert_non_null(strstr(e.msg, "127.0.0.1:1"));
	assert_non_null(strstr(e.msg, "2 attempts"));
	http_response_free(&rs);
	http_client_free(c);
}

static size_t sink(const void *d, size_t n, void *ud)
{
	size_t *total = ud;
	(void)d;
	*total += n;
	return n;
}

static void test_sink(void **st)
{
	(void)st;
	job_err e;
	http_client *c = http_client_new(NULL, &e);
	char *u = url("/target");
	size_t total = 0;
	http_request rq = { .method = "GET", .url = u, .sink = sink, .sink_ud = &total };
	http_response rs = { 0 };
	assert_int_equal(http_do(c, &rq, &rs, &e), 0);
	assert_int_equal(total, 6);
	assert_null(rs.body);
	http_response_free(&rs);
	free(u);
	/* an error body is buffered, not sunk */
	u = url("/missing");
	total = 0;
	http_request r2 = { .method = "GET", .url = u, .sink = sink, .sink_ud = &total };
	assert_int_equal(http_do(c, &r2, &rs, &e), 0);
	assert_int_equal(rs.status, 404);
	assert_int_equal(total, 0);
	assert_non_null(strstr(rs.body, "RemoteException"));
	http_response_free(&rs);
	free(u);
	http_client_free(c);
}

static void test_escape(void **st)
{
	(void)st;
	char *s = http_escape("/a b/wrk_date=1/é", 0);
	assert_string_equal(s, "/a%20b/wrk_date=1/%C3%A9");
	free(s);
	s = http_escape("/x/y&z", 1);
	assert_string_equal(s, "%2Fx%2Fy%26z");
	free(s);
}

int main(void)
{
	job_init("test_http", 0, NULL);
	job_set_log_level(JOB_ERROR);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_redirect_not_followed), cmocka_unit_test(test_body_headers_params),
		cmocka_unit_test(test_retries), cmocka_unit_test(test_connection_refused),
		cmocka_unit_test(test_sink), cmocka_unit_test(test_escape),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
