/* redisconn.h: a Redis connection named by URI (redis://HOST:PORT/DB), over
 * hiredis 0.14's blocking API. Shared by overspeed and redis-audit so both
 * read URIs, credentials, apply timeouts and reconnect the same way
 * (docs/protocols.md §4.1: a context with err set is dead; reconnecting loses unread
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
 * REDISCONN_EREFUSED and the mains exit 2 (JOB_EXIT_USAGE), never retrying.
 *
 * TLS: a rediss://HOST[:PORT][/DB] URI connects over TLS (redis_tls.h: the
 * server's certificate and name are always verified; REDIS_TLS_CA_FILE,
 * REDIS_TLS_CERT_FILE, REDIS_TLS_KEY_FILE). A failed verification or
 * handshake is a configuration error, like a refused AUTH. */
#ifndef REDISCONN_H
#define REDISCONN_H

#include <hiredis/hiredis.h>

#include "jobs/common/job.h"
#include "jobs/common/redis_tls.h"

/* redisconn_open(): AUTH refused, or TLS verification or handshake failed:
 * a configuration error, not worth a retry */
enum { REDISCONN_EREFUSED = -2 };

struct redisconn {
	char host[256];
	int port, db;
	int timeout_ms;		/* connect and read/write timeout */
	char *user, *password;	/* NULL when not set; owned, wiped on free */
	int tls;		/* rediss:// */
	struct redis_tls_cfg tlscfg;
	struct redis_tls *t;	/* the TLS pump of c, NULL without TLS */
	redisContext *c;	/* NULL when not connected */
};

/* Parses "redis://HOST[:PORT][/DB]" or "rediss://..." (PORT 6379, DB 0 by
 * default) and reads the credentials (and TLS files) from the environment. flag names the option in errors. */
int redisconn_parse(struct redisconn *rc, const char *flag, const char *uri, job_err *e);
/* Connects (or reconnects after an error), sets timeouts, AUTHs, SELECTs the
 * db. 0, -1 (unreachable, worth a retry) or REDISCONN_EREFUSED. */
int redisconn_open(struct redisconn *rc, job_err *e);
/* Drops the connection (after an error: the next open reconnects). */
void redisconn_close(struct redisconn *rc);
/* Drops the connection and forgets the credentials. */
void redisconn_free(struct redisconn *rc);

#endif
