/* redisconn.h: a Redis connection named by URI (redis://HOST:PORT/DB), over
 * hiredis 0.14's blocking API. Shared by overspeed and redis-audit so both
 * read URIs, apply timeouts and reconnect the same way (docs/protocols.md §4.1:
 * a context with err set is dead; reconnecting loses unread pipelined replies
 * and the read timeout, which is why this re-applies both). */
#ifndef REDISCONN_H
#define REDISCONN_H

#include <hiredis/hiredis.h>

#include "jobs/common/job.h"

struct redisconn {
	char host[256];
	int port, db;
	int timeout_ms;		/* connect and read/write timeout */
	redisContext *c;	/* NULL when not connected */
};

/* Parses "redis://HOST[:PORT][/DB]" (PORT 6379, DB 0 by default). flag names
 * the option in errors. */
int redisconn_parse(struct redisconn *rc, const char *flag, const char *uri, job_err *e);
/* Connects (or reconnects after an error), sets timeouts, SELECTs the db. */
int redisconn_open(struct redisconn *rc, job_err *e);
/* Drops the connection (after an error: the next open reconnects). */
void redisconn_close(struct redisconn *rc);

#endif
