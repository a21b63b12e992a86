/* mhd_hello.c: one small JSON answer from libmicrohttpd, as schedweb serves
 * it (compare.sh): a pool of N event loops (4), keep-alive. */
#include <microhttpd.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
static enum MHD_Result h(void *cls, struct MHD_Connection *c, const char *url, const char *m, const char *v,
			 const char *ud, size_t *us, void **cc)
{
	(void)cls, (void)url, (void)m, (void)v, (void)ud, (void)us;
	static int first;
	if (!*cc) { *cc = &first; return MHD_YES; }	/* answer once the request is in whole */
	static const char body[] = "{\"metadatabase\":{\"status\":\"healthy\"}}\n";
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
	MHD_add_response_header(r, "Content-Type", "application/json");
	enum MHD_Result rc = MHD_queue_response(c, 200, r);
	MHD_destroy_response(r);
	return rc;
}
int main(int argc, char **argv)
{
	sigset_t s; sigemptyset(&s); sigaddset(&s, SIGTERM); sigaddset(&s, SIGINT);
	sigprocmask(SIG_BLOCK, &s, NULL);
	struct MHD_Daemon *d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO, (uint16_t)atoi(argv[1]),
						 NULL, NULL, h, NULL, MHD_OPTION_THREAD_POOL_SIZE,
						 (unsigned)(argc > 2 ? atoi(argv[2]) : 4), MHD_OPTION_CONNECTION_TIMEOUT,
						 30u, MHD_OPTION_CONNECTION_LIMIT, 256u, MHD_OPTION_END);
	if (!d) return 1;
	int sig; sigwait(&s, &sig);
	MHD_stop_daemon(d);
	return 0;
}
