/* cw_hello.c: the same answer as mhd_hello.c, from civetweb (compare.sh):
 * N worker threads (4, as schedweb's event loops), keep-alive. */
#include <civetweb.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
static int h(struct mg_connection *c, void *cb)
{
	(void)cb;
	static const char body[] = "{\"metadatabase\":{\"status\":\"healthy\"}}\n";
	mg_printf(c, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
		  strlen(body), body);
	return 200;
}
int main(int argc, char **argv)
{
	const char *opts[] = { "listening_ports", argv[1], "num_threads", argc > 2 ? argv[2] : "4",
			       "enable_keep_alive", "yes", "request_timeout_ms", "30000", NULL };
	mg_init_library(0);
	struct mg_callbacks cbs;
	memset(&cbs, 0, sizeof cbs);
	struct mg_context *ctx = mg_start(&cbs, NULL, opts);
	if (!ctx) return 1;
	mg_set_request_handler(ctx, "/", h, NULL);
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM); sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL); int sig; sigwait(&s, &sig);
	mg_stop(ctx);
	return 0;
}
