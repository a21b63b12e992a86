/* redis_tls.c: a verified TLS connection to Redis, pumped through a
 * socketpair to hiredis; see redis_tls.h. */
#include "jobs/common/redis_tls.h"
#include "lib/buf.h"
#include "lib/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

struct redis_tls {
	SSL_CTX *ctx;
	SSL *ssl;
	int tcp, pair;		/* pair: the pump's end of the socketpair */
	pthread_t th;
	int started;
	pthread_mutex_t mu;
	char why[256];		/* under mu: why the pump stopped, if TLS said */
};

static int env_file(const char *name, char **out, job_err *e)
{
	const char *v = getenv(name);
	if (!v || !*v)
		return 0;
	if (access(v, R_OK) < 0) {
		job_err_set(e, "%s %s: %s", name, v, strerror(errno));
		return -1;
	}
	*out = xstrdup(v);
	return 0;
}

int redis_tls_cfg_read(struct redis_tls_cfg *cfg, job_err *e)
{
	memset(cfg, 0, sizeof *cfg);
	if (env_file("REDIS_TLS_CA_FILE", &cfg->ca_file, e) || env_file("REDIS_TLS_CERT_FILE", &cfg->cert_file, e) ||
	    env_file("REDIS_TLS_KEY_FILE", &cfg->key_file, e)) {
		redis_tls_cfg_free(cfg);
		return -1;
	}
	if (!cfg->cert_file != !cfg->key_file) {
		job_err_set(e, "REDIS_TLS_CERT_FILE and REDIS_TLS_KEY_FILE go together: one is not set");
		redis_tls_cfg_free(cfg);
		return -1;
	}
	return 0;
}

void redis_tls_cfg_free(struct redis_tls_cfg *cfg)
{
	free(cfg->ca_file);
	free(cfg->cert_file);
	free(cfg->key_file);
	memset(cfg, 0, sizeof *cfg);
}

/* OpenSSL's last error, or what alt says. */
static const char *ssl_why(const char *alt)
{
	static __thread char b[256];
	unsigned long code = ERR_get_error();
	if (!code)
		return alt;
	ERR_error_string_n(code, b, sizeof b);
	ERR_clear_error();
	return b;
}

static int tcp_connect(const char *host, int port, int timeout_ms, job_err *e)
{
	char ps[16];
	snprintf(ps, sizeof ps, "%d", port);
	struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM }, *res = NULL;
	int g = getaddrinfo(host, ps, &hints, &res);
	if (g) {
		job_err_set(e, "redis %s:%d: %s", host, port, gai_strerror(g));
		return -1;
	}
	int fd = -1, err = 0;
	for (struct addrinfo *a = res; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK, a->ai_protocol);
		if (fd < 0) {
			err = errno;
			continue;
		}
		if (connect(fd, a->ai_addr, a->ai_addrlen) < 0 && errno != EINPROGRESS) {
			err = errno;
		} else {
			struct pollfd p = { fd, POLLOUT, 0 };
			socklen_t l = sizeof err;
			int r = poll(&p, 1, timeout_ms);
			if (r == 0)
				err = ETIMEDOUT;
			else if (r < 0 || getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &l) < 0)
				err = errno;
		}
		if (err) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0) {
		job_err_set(e, "redis %s:%d: %s", host, port, strerror(err ? err : ECONNREFUSED));
		return -1;
	}
	int fl = fcntl(fd, F_GETFL);
	fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
	struct timeval tv = { timeout_ms / 1000, (timeout_ms % 1000) * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	int on = 1;	/* what redisEnableKeepAlive does for a plain connection */
	setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
	return fd;
}

static void remember(struct redis_tls *t)
{
	pthread_mutex_lock(&t->mu);
	if (!t->why[0])
		snprintf(t->why, sizeof t->why, "%s", ssl_why("TLS error"));
	pthread_mutex_unlock(&t->mu);
}

/* SSL_write all of p, retrying after a timeout (the same buffer, as OpenSSL
 * wants). -1 when the connection is gone. */
static int tls_write_all(struct redis_tls *t, const char *p, size_t n)
{
	while (n) {
		int w = SSL_write(t->ssl, p, n > (1u << 30) ? 1 << 30 : (int)n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		int err = SSL_get_error(t->ssl, w);
		if (err == SSL_ERROR_WANT_WRITE || err == SSL_ERROR_WANT_READ)
			continue;
		if (err == SSL_ERROR_SSL) {
			remember(t);
		} else {
			/* the server may have said why before closing (an alert) */
			char x[64];
			ERR_clear_error();
			if (SSL_read(t->ssl, x, sizeof x) <= 0 && ERR_peek_error())
				remember(t);
		}
		return -1;
	}
	return 0;
}

/* The pump: pair -> TLS as it comes; TLS -> a buffer -> pair as hiredis
 * reads, so a pipeline whose replies hiredis has not started reading never
 * stops the pump from taking its commands (Redis buffers replies the same
 * way for a plain connection). */
static void *pump(void *arg)
{
	struct redis_tls *t = arg;
	struct buf out = BUF_INIT;	/* server -> hiredis, not yet written */
	size_t off = 0;
	char b[16384];
	for (;;) {
		int pending = SSL_pending(t->ssl) > 0;
		struct pollfd p[2] = { { t->tcp, POLLIN, 0 }, { t->pair, (short)(POLLIN | (out.len > off ? POLLOUT : 0)), 0 } };
		if (poll(p, 2, pending ? 0 : -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[1].revents & POLLOUT) {
			ssize_t w = send(t->pair, out.s + off, out.len - off, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				break;
			if (w > 0 && (off += (size_t)w) == out.len) {
				buf_reset(&out);
				off = 0;
			}
		}
		if (p[1].revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t r = recv(t->pair, b, sizeof b, MSG_DONTWAIT);
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR))
				break;	/* hiredis closed (redisFree) or redis_tls_close */
			if (r > 0 && tls_write_all(t, b, (size_t)r) < 0)
				break;
		}
		if (pending || (p[0].revents & (POLLIN | POLLHUP | POLLERR))) {
			int r = SSL_read(t->ssl, b, sizeof b);
			if (r > 0) {
				buf_add(&out, b, (size_t)r);
				continue;
			}
			int err = SSL_get_error(t->ssl, r);
			if (err != SSL_ERROR_WANT_READ && err != SSL_ERROR_WANT_WRITE) {
				/* the server closed, or the TLS session failed: with TLS 1.3
				 * a refused client certificate shows here, as an alert */
				if (err == SSL_ERROR_SSL)
					remember(t);
				break;
			}
		}
	}
	/* hiredis gets what was read, then EOF */
	if (out.len > off) {
		int fl = fcntl(t->pair, F_GETFL);
		fcntl(t->pair, F_SETFL, fl & ~O_NONBLOCK);
		while (off < out.len) {
			ssize_t w = send(t->pair, out.s + off, out.len - off, MSG_NOSIGNAL);
			if (w <= 0)
				break;
			off += (size_t)w;
		}
	}
	buf_free(&out);
	shutdown(t->pair, SHUT_RDWR);
	return NULL;
}

static void tls_free(struct redis_tls *t)
{
	if (t->ssl)
		SSL_free(t->ssl);
	if (t->ctx)
		SSL_CTX_free(t->ctx);
	if (t->tcp >= 0)
		close(t->tcp);
	if (t->pair >= 0)
		close(t->pair);
	pthread_mutex_destroy(&t->mu);
	free(t);
}

int redis_tls_open(struct redis_tls **out, const struct redis_tls_cfg *cfg, const char *host, int port,
		   int timeout_ms, int *fd, job_err *e)
{
	struct redis_tls *t = xcalloc(1, sizeof *t);
	t->tcp = t->pair = -1;
	pthread_mutex_init(&t->mu, NULL);
	*out = NULL;
	ERR_clear_error();
	t->ctx = SSL_CTX_new(TLS_client_method());
	if (!t->ctx)
		xalloc_die(sizeof *t);
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	/* SSL_read returns after a non-application record (a TLS 1.3 session
	 * ticket) instead of blocking for data that may never come */
	SSL_CTX_clear_mode(t->ctx, SSL_MODE_AUTO_RETRY);
	if (cfg->ca_file ? SSL_CTX_load_verify_locations(t->ctx, cfg->ca_file, NULL) != 1
			 : SSL_CTX_set_default_verify_paths(t->ctx) != 1) {
		job_err_set(e, "REDIS_TLS_CA_FILE %s: %s", cfg->ca_file ? cfg->ca_file : "(system)",
			    ssl_why("cannot load"));
		tls_free(t);
		return -2;
	}
	if (cfg->cert_file &&
	    (SSL_CTX_use_certificate_chain_file(t->ctx, cfg->cert_file) != 1 ||
	     SSL_CTX_use_PrivateKey_file(t->ctx, cfg->key_file, SSL_FILETYPE_PEM) != 1 ||
	     SSL_CTX_check_private_key(t->ctx) != 1)) {
		job_err_set(e, "REDIS_TLS_CERT_FILE %s / REDIS_TLS_KEY_FILE %s: %s", cfg->cert_file, cfg->key_file,
			    ssl_why("cannot load"));
		tls_free(t);
		return -2;
	}
	t->tcp = tcp_connect(host, port, timeout_ms, e);
	if (t->tcp < 0) {
		tls_free(t);
		return -1;
	}
	t->ssl = SSL_new(t->ctx);
	if (!t->ssl)
		xalloc_die(sizeof *t);
	unsigned char ip[16];
	int is_ip = inet_pton(AF_INET, host, ip) == 1 || inet_pton(AF_INET6, host, ip) == 1;
	if (is_ip) {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(t->ssl), host);
	} else {
		SSL_set_tlsext_host_name(t->ssl, host);
		SSL_set1_host(t->ssl, host);
	}
	SSL_set_fd(t->ssl, t->tcp);
	int r = SSL_connect(t->ssl);
	if (r != 1) {
		int err = SSL_get_error(t->ssl, r), saved = errno;
		long v = SSL_get_verify_result(t->ssl);
		if (v != X509_V_OK) {
			job_err_set(e, "redis %s:%d: TLS: the server's certificate is not trusted: %s (REDIS_TLS_CA_FILE)",
				    host, port, X509_verify_cert_error_string(v));
			tls_free(t);
			return -2;
		}
		if (err == SSL_ERROR_SYSCALL || err == SSL_ERROR_WANT_READ || err == SSL_ERROR_WANT_WRITE) {
			const char *why = ssl_why(NULL);
			job_err_set(e, "redis %s:%d: TLS handshake: %s", host, port,
				    why ? why : saved == EAGAIN || saved == EWOULDBLOCK ? "timed out"
					       : saved ? strerror(saved) : "connection closed");
			tls_free(t);
			return why ? -2 : -1;
		}
		job_err_set(e, "redis %s:%d: TLS handshake failed: %s (a TLS port? a client certificate "
			    "wanted: REDIS_TLS_CERT_FILE, REDIS_TLS_KEY_FILE)", host, port, ssl_why("refused"));
		tls_free(t);
		return -2;
	}
	int sp[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) < 0) {
		job_err_set(e, "redis %s:%d: socketpair: %s", host, port, strerror(errno));
		tls_free(t);
		return -1;
	}
	t->pair = sp[0];
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int pe = pthread_create(&t->th, NULL, pump, t);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (pe) {
		close(sp[1]);
		job_err_set(e, "redis %s:%d: cannot start the TLS thread: %s", host, port, strerror(pe));
		tls_free(t);
		return -1;
	}
	t->started = 1;
	*fd = sp[1];
	*out = t;
	return 0;
}

int redis_tls_error(struct redis_tls *t, char *out, size_t n)
{
	if (!t)
		return 0;
	pthread_mutex_lock(&t->mu);
	int has = t->why[0] != 0;
	if (has)
		snprintf(out, n, "%s", t->why);
	pthread_mutex_unlock(&t->mu);
	return has;
}

void redis_tls_close(struct redis_tls *t)
{
	if (!t)
		return;
	if (t->started) {
		shutdown(t->pair, SHUT_RDWR);	/* wakes the pump if hiredis's end is still open */
		pthread_join(t->th, NULL);
	}
	tls_free(t);	/* no close_notify: Redis needs none, and a write to a closed
			 * peer from this thread would raise SIGPIPE */
}
