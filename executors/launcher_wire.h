/* launcher_wire.h: what goes between schedulerd and its launcher process
 * (launcher.h), used by both sides:
 *   requests  (stream) u32 length, u8 type, then
 *               REQ_START  u32 argc, u32 envc, u64 token, u8 has_cwd, and the
 *                          NUL-terminated strings base, [cwd], argv..., envp...
 *               REQ_ACK    u64 token: the try's outcome is committed
 *   events    (seqpacket) struct launcher_wire_event, then err_len bytes of
 *             error text (START_FAILED) or last_len bytes of the last stdout
 *             line (EXITED); both ends are the same build. */
#ifndef EXEC_LAUNCHER_WIRE_H
#define EXEC_LAUNCHER_WIRE_H

#include <stddef.h>
#include <stdint.h>

#include "executors/local.h"

#define LAUNCHER_REQUEST_MAX (64u << 20)	/* far above ARG_MAX: anything bigger is garbage */

enum { LAUNCHER_REQ_START = 1, LAUNCHER_REQ_ACK = 2 };

struct launcher_wire_event {
	int32_t kind, pid, status, exit_code, term_signal;
	uint32_t err_len, last_len;
	int32_t log_errno;	/* EXITED: exec_status.log_errno */
	uint64_t token;
	int64_t started_us, ended_us;
};

/* send(2) all of it without SIGPIPE: 0, or -1 (the peer is gone). */
int launcher_write_full(int fd, const void *buf, size_t n);

/* 1 when all n bytes were read, 0 at EOF before any, -1 on error or EOF midway. */
int launcher_read_full(int fd, void *buf, size_t n);

/* A whole REQ_START message, length prefix included (malloc'd; *len set). */
char *launcher_encode_start(uint64_t token, const struct exec_request *r, size_t *len);

/* The body of a REQ_START after its type byte (len bytes, NUL-terminated by
 * the caller) into *r, whose vectors (*argv, *envp: to free) point into body.
 * 0, or -1 if malformed. */
int launcher_decode_start(char *body, size_t len, uint64_t *token, struct exec_request *r, char ***argv,
			  char ***envp);

/* The launcher process's loop (launcher_proc.c); never returns. */
void launcher_serve(int req_fd, int ev_fd) __attribute__((noreturn));

#endif
