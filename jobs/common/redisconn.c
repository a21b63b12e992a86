/* redisconn.c: Redis URI parsing, credentials, and (re)connection with
 * timeouts; see redisconn.h. */
#include "jobs/common/redisconn.h"
#include "lib/uri_redact.h"
#include "lib/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The first line of path (without its newline) in *out. */
static int read_secret_file(const char *path, char **out, job_err *e)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		job_err_set(e, "REDIS_PASSWORD_FILE %s: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	int err = ferror(f);
	fclose(f);
	if (n <= 0 || err) {
		free(line);
		job_err_set(e, "REDIS_PASSWORD_FILE %s: %s", path, err ? "read error" : "empty file");
		return -1;
	}
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	if (n == 0) {
		free(line);
		job_err_set(e, "REDIS_PASSWORD_FILE %s: the first line is empty", path);
		return -1;
	}
	*out = line;
	return 0;
}

static int read_credentials(struct redisconn *rc, job_err *e)
{
	const char *user = getenv("REDIS_USERNAME"), *pw = getenv("REDIS_PASSWORD"),
		   *pwf = getenv("REDIS_PASSWORD_FILE");
	if (pw && *pw && pwf && *pwf) {
		job_err_set(e, "both REDIS_PASSWORD and REDIS_PASSWORD_FILE are set: give one");
		return -1;
	}
	if (pwf && *pwf) {
		if (read_secret_file(pwf, &rc->password, e))
			return -1;
	} else if (pw && *pw) {
		rc->password = xstrdup(pw);
	}
	if (user && *user) {
		if (!rc->password) {
			job_err_set(e, "REDIS_USERNAME is set but neither REDIS_PASSWORD nor REDIS_PASSWORD_FILE");
			return -1;
		}
		rc->user = xstrdup(user);
	}
	return 0;
}

int redisconn_parse(struct redisconn *rc, const char *flag, const char *uri, job_err *e)
{
	const char *p = uri;
	char rb[URI_REDACT_MAX];
	uri_redact(uri, rb, sizeof rb);
	memset(rc, 0, sizeof *rc);
	rc->port = 6379;
	rc->timeout_ms = 2000;
	if (strncmp(p, "rediss://", 9) == 0) {
		rc->tls = 1;
		p++;	/* then the same as redis:// */
	} else if (strncmp(p, "redis://", 8) != 0) {
		job_err_set(e, "%s: '%s' is not a redis://HOST:PORT/DB (or rediss://) URI", flag, rb);
		return -1;
	}
	if (uri_has_userinfo(uri)) {
		job_err_set(e, "%s: '%s': a user or password in the URI is not accepted (it would show in ps); "
			    "set REDIS_USERNAME and REDIS_PASSWORD or REDIS_PASSWORD_FILE", flag, rb);
		return -1;
	}
	p += 8;
	size_t hl = strcspn(p, ":/");
	if (hl == 0 || hl >= sizeof rc->host) {
		job_err_set(e, "%s: '%s' has no host (redis://HOST:PORT/DB)", flag, rb);
		return -1;
	}
	memcpy(rc->host, p, hl);
	p += hl;
	if (*p == ':') {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end == p + 1 || v < 1 || v > 65535 || (*end && *end != '/')) {
			job_err_set(e, "%s: '%s' has a bad port (1-65535)", flag, rb);
			return -1;
		}
		rc->port = (int)v;
		p = end;
	}
	if (*p == '/' && p[1]) {
		char *end;
		long v = strtol(p + 1, &end, 10);
		if (end == p + 1 || *end || v < 0 || v > 100000) {
			job_err_set(e, "%s: '%s' has a bad database number", flag, rb);
			return -1;
		}
		rc->db = (int)v;
	} else if (*p && strcmp(p, "/") != 0) {
		job_err_set(e, "%s: '%s': unexpected '%s'", flag, rb, p);
		return -1;
	}
	if (read_credentials(rc, e) || (rc->tls && redis_tls_cfg_read(&rc->tlscfg, e))) {
		redisconn_free(rc);
		return -1;
	}
	return 0;
}

void redisconn_close(struct redisconn *rc)
{
	if (rc->c)
		redisFree(rc->c);	/* closes hiredis's end of the TLS pump too */
	rc->c = NULL;
	redis_tls_close(rc->t);
	rc->t = NULL;
}

static void wipe_free(char **s)
{
	if (*s) {
		volatile char *v = *s;
		while (*v)
			*v++ = 0;
		free(*s);
		*s = NULL;
	}
}

void redisconn_free(struct redisconn *rc)
{
	redisconn_close(rc);
	wipe_free(&rc->user);
	wipe_free(&rc->password);
	redis_tls_cfg_free(&rc->tlscfg);
}

/* After a failed first command: if the TLS pump stopped on a TLS error, say
 * so (REDISCONN_EREFUSED); else 0. Closes the connection either way. */
static int tls_refused(struct redisconn *rc, job_err *e)
{
	char why[256];
	int refused = 0;
	if (rc->t) {
		/* the pump records its error before hiredis sees EOF */
		refused = redis_tls_error(rc->t, why, sizeof why);
		if (refused)
			job_err_set(e, "redis %s:%d: TLS: %s (a client certificate wanted? REDIS_TLS_CERT_FILE, "
				    "REDIS_TLS_KEY_FILE)", rc->host, rc->port, why);
	}
	redisconn_close(rc);
	return refused ? REDISCONN_EREFUSED : 0;
}

/* AUTH with the configured credentials. */
static int redisconn_auth(struct redisconn *rc, job_err *e)
{
	redisReply *r = rc->user ? redisCommand(rc->c, "AUTH %s %s", rc->user, rc->password)
				 : redisCommand(rc->c, "AUTH %s", rc->password);
	if (!r) {
		job_err_set(e, "redis %s:%d: AUTH: %s", rc->host, rc->port, rc->c->errstr);
		return tls_refused(rc, e) ? REDISCONN_EREFUSED : -1;
	}
	if (r->type == REDIS_REPLY_ERROR) {
		/* the server's message names no password (WRONGPASS invalid
		 * username-password pair or user is disabled.) */
		job_err_set(e, "redis %s:%d: authentication as %s refused: %s (check REDIS_USERNAME, "
			    "REDIS_PASSWORD or REDIS_PASSWORD_FILE)", rc->host, rc->port,
			    rc->user ? rc->user : "the default user", r->str);
		freeReplyObject(r);
		redisconn_close(rc);
		return REDISCONN_EREFUSED;
	}
	freeReplyObject(r);
	return 0;
}

int redisconn_open(struct redisconn *rc, job_err *e)
{
	struct timeval tv = {rc->timeout_ms / 1000, (rc->timeout_ms % 1000) * 1000};
	if (rc->c && !rc->c->err)
		return 0;
	redisconn_close(rc);
	if (rc->tls) {
		int fd, t = redis_tls_open(&rc->t, &rc->tlscfg, rc->host, rc->port, rc->timeout_ms, &fd, e);
		if (t)
			return t;
		rc->c = redisConnectFd(fd);
		if (!rc->c)
			close(fd);
	} else {
		rc->c = redisConnectWithTimeout(rc->host, rc->port, tv);
	}
	if (!rc->c || rc->c->err) {
		job_err_set(e, "redis %s:%d: %s", rc->host, rc->port, rc->c ? rc->c->errstr : "out of memory");
		redisconn_close(rc);
		return -1;
	}
	redisSetTimeout(rc->c, tv);
	if (!rc->tls)
		redisEnableKeepAlive(rc->c);	/* on a socketpair it fails and kills the context */
	if (rc->password) {
		int a = redisconn_auth(rc, e);
		if (a)
			return a;
	}
	/* SELECT, or a PING: either way a server that wants a password says so
	 * now (NOAUTH), not at the first write */
	redisReply *r = rc->db ? redisCommand(rc->c, "SELECT %d", rc->db) : redisCommand(rc->c, "PING");
	if (!r || r->type == REDIS_REPLY_ERROR) {
		int noauth = r && r->type == REDIS_REPLY_ERROR && strncmp(r->str, "NOAUTH", 6) == 0;
		job_err_set(e, "redis %s:%d: %s: %s%s", rc->host, rc->port, rc->db ? "SELECT" : "PING",
			    r ? r->str : rc->c->errstr,
			    noauth ? " (set REDIS_PASSWORD or REDIS_PASSWORD_FILE)" : "");
		if (r)
			freeReplyObject(r);
		if (!r && tls_refused(rc, e))
			return REDISCONN_EREFUSED;
		redisconn_close(rc);
		return noauth ? REDISCONN_EREFUSED : -1;
	}
	freeReplyObject(r);
	return 0;
}
