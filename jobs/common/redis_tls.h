/* redis_tls.h: TLS to Redis for hiredis 0.14, which has no hiredis_ssl.
 *
 * How: the TCP connection and the TLS session (OpenSSL) belong to a pump
 * thread; hiredis gets the other end of an AF_UNIX socketpair through
 * redisConnectFd() and speaks plain RESP into it, so every caller of
 * redisconn keeps hiredis's blocking API, its timeouts (SO_RCVTIMEO on the
 * pair) and its error handling unchanged. The pump copies bytes both ways and
 * nothing else; when either side ends it shuts the other down, so hiredis sees
 * EOF (a dead context, reconnected by redisconn_open as after any error).
 *
 * Invariants: the server's certificate is always verified (against
 * REDIS_TLS_CA_FILE, or the system's CAs), and so is its name or IP address;
 * there is no "insecure" switch. The pump thread blocks every signal, so the
 * job's handlers (SIGTERM, SIGHUP) run on the main thread as before.
 *
 * Configuration (environment, read by redisconn_parse for a rediss:// URI):
 *   REDIS_TLS_CA_FILE    PEM CA certificates to trust (default: the system's)
 *   REDIS_TLS_CERT_FILE  client certificate chain, PEM (tls-auth-clients yes)
 *   REDIS_TLS_KEY_FILE   its private key, PEM (needed with the certificate) */
#ifndef REDIS_TLS_H
#define REDIS_TLS_H

#include <stddef.h>

#include "jobs/common/job.h"

struct redis_tls_cfg {
	char *ca_file, *cert_file, *key_file;	/* NULL: not set; owned */
};

struct redis_tls;

/* Reads the REDIS_TLS_* variables; checks the files are readable. */
int redis_tls_cfg_read(struct redis_tls_cfg *cfg, job_err *e);
void redis_tls_cfg_free(struct redis_tls_cfg *cfg);

/* Connects to host:port, completes a verified TLS handshake within
 * timeout_ms and starts the pump. *fd is the plain end for redisConnectFd
 * (hiredis then owns and closes it). 0; -1 when unreachable (worth a retry);
 * -2 when the handshake or the verification fails (a configuration error). */
int redis_tls_open(struct redis_tls **out, const struct redis_tls_cfg *cfg, const char *host, int port,
		   int timeout_ms, int *fd, job_err *e);
/* When the pump stopped on a TLS error (a refused client certificate shows
 * only after the handshake, at the first read): 1 and the reason in out. */
int redis_tls_error(struct redis_tls *t, char *out, size_t n);
/* Stops the pump and frees everything; call after redisFree() of the
 * context that owned *fd. NULL is fine. */
void redis_tls_close(struct redis_tls *t);

#endif
