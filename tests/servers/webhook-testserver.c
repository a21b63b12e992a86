/* webhook-testserver: a webhook receiver for the alerts tests, on a free
 * loopback port. Each request is recorded as DIR/NNNNNN.req (the request
 * line, its headers, a blank line, the body), written to a temporary name
 * and renamed, so a file that exists is whole. The first --fail N requests
 * are answered 500 (and recorded as DIR/NNNNNN.rejected); later ones 200.
 * --status CODE answers every request with CODE instead (a 4xx test).
 * --times FILE appends "<X-Idempotency-Key> <receipt time, us since the
 * epoch>" per request taken (the bench's commit-to-receipt figure). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "tests/servers/httpd.h"

static struct {
	const char *dir;
	FILE *times;
	int fail, status;
	unsigned seq;
} g;

static void record(const httpd_req *req, const char *suffix)
{
	char tmp[4200], path[4096];
	snprintf(path, sizeof path, "%s/%06u.%s", g.dir, ++g.seq, suffix);
	snprintf(tmp, sizeof tmp, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		perror(tmp);
		return;
	}
	fprintf(f, "%s %s\n", req->method, req->target);
	for (size_t i = 0; i < req->nheaders; i++)
		fprintf(f, "%s: %s\n", req->headers[i].name, req->headers[i].value);
	fprintf(f, "\n");
	fwrite(req->body, 1, req->body_len, f);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		perror(path);
}

static void handle(const httpd_req *req, httpd_resp *resp, void *ud)
{
	(void)ud;
	if (g.fail > 0) {
		g.fail--;
		record(req, "rejected");
		resp->status = 500;
		httpd_resp_printf(resp, "text/plain", "test server: failing as told\n");
		return;
	}
	if (g.times) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		const char *k = httpd_header(req, "X-Idempotency-Key");
		fprintf(g.times, "%s %lld\n", k ? k : "-", (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000);
		fflush(g.times);
	}
	record(req, "req");
	resp->status = g.status ? g.status : 200;
	httpd_resp_printf(resp, "text/plain", "%s\n", resp->status == 200 ? "ok" : "refused as told");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "dir", required_argument, 0, 'd' },	{ "port", required_argument, 0, 'p' },
		{ "port-file", required_argument, 0, 'f' }, { "fail", required_argument, 0, 'x' },
		{ "status", required_argument, 0, 's' }, { "times", required_argument, 0, 't' }, { 0, 0, 0, 0 },
	};
	int port = 0, opt;
	const char *pf = NULL;
	while ((opt = getopt_long(argc, argv, "", lo, NULL)) != -1) {
		switch (opt) {
		case 'd': g.dir = optarg; break;
		case 'p': port = atoi(optarg); break;
		case 'f': pf = optarg; break;
		case 'x': g.fail = atoi(optarg); break;
		case 's': g.status = atoi(optarg); break;
		case 't':
			g.times = fopen(optarg, "a");
			if (!g.times) {
				perror(optarg);
				return 2;
			}
			break;
		default:
			fprintf(stderr, "usage: webhook-testserver --dir DIR [--port N] [--port-file F] [--fail N] "
					"[--status CODE] [--times FILE]\n");
			return 2;
		}
	}
	if (!g.dir) {
		fprintf(stderr, "webhook-testserver: --dir is required\n");
		return 2;
	}
	httpd *s = httpd_new(handle, NULL);
	int p = httpd_listen(s, port, pf);
	if (p < 0)
		return 1;
	fprintf(stderr, "webhook-testserver: 127.0.0.1:%d dir %s\n", p, g.dir);
	httpd_run(s);
	httpd_free(s);
	return 0;
}
