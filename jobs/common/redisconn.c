/* redisconn.c: Redis URI parsing and (re)connection with timeouts; see
 * redisconn.h. */
#include "jobs/common/redisconn.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int redisconn_parse(struct redisconn *rc, const char *flag, const char *uri, job_err *e)
{
	const char *p = uri;
	memset(rc, 0, sizeof *rc);
	rc->port = 6379;
	rc->timeout_ms = 2000;
	if (strncmp(p, "redis://", 8) != 0) {
		job_err_set(e, "%s: '%s' is not a redis://HOST:PORT/DB URI", flag, uri);
		return -1;
	}
	p += 8;
	size_t hl = strcspn(p, ":/");
	if (hl == 0 || hl >= sizeof rc->host) {
		job_err_set(e, "%s: '%s' has no host (redis://HOST:PORT/DB)", flag, uri);
		return -1;
	}
	memcpy(rc->host, p, hl);
	p += hl;
	if (*p == ':') {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end == p + 1 || v < 1 || v > 65535 || (*end && *end != '/')) {
			job_err_set(e, "%s: '%s' has a bad port (1-65535)", flag, uri);
			return -1;
		}
		rc->port = (int)v;
		p = end;
	}
	if (*p == '/' && p[1]) {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end == p + 1 || *end || v < 0 || v > 100000) {
			job_err_set(e, "%s: '%s' has a bad database number", flag, uri);
			return -1;
		}
		rc->db = (int)v;
	} else if (*p && strcmp(p, "/") != 0) {
		job_err_set(e, "%s: '%s': unexpected '%s'", flag, uri, p);
		return -1;
	}
	return 0;
}

void redisconn_close(struct redisconn *rc)
{
	if (rc->c)
		redisFree(rc->c);
	rc->c = NULL;
}

int redisconn_open(struct redisconn *rc, job_err *e)
{
	struct timeval tv = {rc->timeout_ms / 1000, (rc->timeout_ms % 1000) * 1000};
	if (rc->c && !rc->c->err)
		return 0;
	redisconn_close(rc);
	rc->c = redisConnectWithTimeout(rc->host, rc->port, tv);
	if (!rc->c || rc->c->err) {
		job_err_set(e, "redis %s:%d: %s", rc->host, rc->port, rc->c ? rc->c->errstr : "out of memory");
		redisconn_close(rc);
		return -1;
	}
	redisSetTimeout(rc->c, tv);
	redisEnableKeepAlive(rc->c);
	if (rc->db) {
		redisReply *r = redisCommand(rc->c, "SELECT %d", rc->db);
		if (!r || r->type == REDIS_REPLY_ERROR) {
			job_err_set(e, "redis %s:%d: SELECT %d: %s", rc->host, rc->port, rc->db,
				    r ? r->str : rc->c->errstr);
			if (r)
				freeReplyObject(r);
			redisconn_close(rc);
			return -1;
		}
		freeReplyObject(r);
	}
	return 0;
}
