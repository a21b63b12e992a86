/* redisconn.h: a Redis connection named by URI (redis://HOST:PORT/DB), over
 * hiredis 0.14's blocking API. Shared by overspeed and redis-audit so both
 * read URIs, credentials, apply timeouts and reconnect the same way
 * (protocols.md 5.1: a context with err set is dead; reconnecting loses unread
 * pipelined replies and the read timeout, which is why this re-applies both).
 *
 * Credentials never come from argv (any local user reads it with ps) nor from
 * the URI: a URI with a userinfo is refused, and every URI in a message goes
 * through uri_redact(). They come from the environment, read once by
 * redisconn_parse():
 *   REDIS_USERNAME       ACL user (AUTH USER PASSWORD); without it AUTH PASSWORD
 *   REDIS_PASSWORD       the password, or
 *   REDIS_PASSWORD_FILE  a file whose first line is the password (both set is
 *                        a configuration error: which one was meant?)
 * A rejected AUTH is a configuration error: redisconn_open() returns
 * REDISCONN_EAUTH and the mains exit 2 (JOB_EXIT_USAGE), never retrying.
 *
 * TLS (rediss://) is refused with a clear error: Debian's hiredis 0.14 has no
 * hiredis_ssl. Until it does, reach a TLS-only Redis through a local TLS
 * tunnel (stunnel) on loopback. */
#ifndef REDISCONN_H
#define REDISCONN_H

#include <hiredis/hiredis.h>

#include "jobs/common/job.h"

enum { REDISCONN_EAUTH = -2 };	/* redisconn_open(): AUTH refused (config error) */

struct redisconn {
	char host[256];
	int port, db;
	int timeout_ms;		/* connect and read/write timeout */
	char *user, *password;	/* NULL when not set; owned, wiped on close */
	redisContext *c;	/* NULL when not connected */
};

/* Parses "redis://HOST[:PORT][/DB]" (PORT 6379, DB 0 by default) and reads
 * the credentials from the environment. flag names the option in errors. */
int redisconn_parse(struct redisconn *rc, const char *flag, const char *uri, job_err *e);
/* Connects (or reconnects after an error), sets timeouts, AUTHs, SELECTs the
 * db. 0, -1 (unreachable, worth a retry) or REDISCONN_EAUTH. */
int redisconn_open(struct redisconn *rc, job_err *e);
/* Drops the connection (after an error: the next open reconnects). */
void redisconn_close(struct redisconn *rc);
/* Drops the connection and forgets the credentials. */
void redisconn_free(struct redisconn *rc);

#endif
