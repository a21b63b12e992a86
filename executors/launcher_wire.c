/* launcher_wire.c: the messages between schedulerd and its launcher (see
 * launcher_wire.h). */
#include "executors/launcher_wire.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/xalloc.h"

int launcher_write_full(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int launcher_read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 && got == 0 ? 0 : -1;
		got += (size_t)r;
	}
	return 1;
}

/* --- a request: u32 length, u8 type, then
 *   REQ_START  u32 argc, u32 envc, u64 token, u8 has_cwd, and the
 *              NUL-terminated strings base, [cwd], argv..., envp...
 *   REQ_ACK    u64 token: the try's outcome is committed, let go of it --- */

/* A string with its NUL: the strings of a message are NUL-separated. */
static void wire_put_str(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s) + 1);
}

static uint32_t count(char *const *v)
{
	uint32_t n = 0;
	while (v && v[n])
		n++;
	return n;
}

static void encode(struct buf *b, uint64_t token, const struct exec_request *r)
{
	uint32_t len0 = 0;
	buf_add(b, &len0, sizeof len0);
	uint8_t type = LAUNCHER_REQ_START;
	buf_add(b, &type, 1);
	uint32_t hdr[2] = { count(r->argv), count(r->envp) };
	buf_add(b, hdr, sizeof hdr);
	buf_add(b, &token, sizeof token);
	uint8_t has_cwd = r->cwd != NULL;
	buf_add(b, &has_cwd, 1);
	wire_put_str(b, r->base);
	if (r->cwd)
		wire_put_str(b, r->cwd);
	for (uint32_t i = 0; i < hdr[0]; i++)
		wire_put_str(b, r->argv[i]);
	for (uint32_t i = 0; i < hdr[1]; i++)
		wire_put_str(b, r->envp[i]);
	uint32_t len = (uint32_t)(b->len - sizeof(uint32_t));
	memcpy(b->s, &len, sizeof len);
}

int launcher_decode_start(char *body, size_t len, uint64_t *token, struct exec_request *r, char ***argv,
			  char ***envp)
{
	uint32_t argc, envc;
	if (len < 17)
		return -1;
	memcpy(&argc, body, 4);
	memcpy(&envc, body + 4, 4);
	memcpy(token, body + 8, 8);
	bool has_cwd = body[16] != 0;
	if (argc == 0 || argc > len || envc > len)
		return -1;
	size_t nstr = 1 + (has_cwd ? 1 : 0) + argc + envc;
	char **strs = xcalloc(nstr, sizeof *strs);
	char *p = body + 17, *end = body + len;
	for (size_t i = 0; i < nstr; i++) {
		if (p >= end) {
			free(strs);
			return -1;
		}
		strs[i] = p;
		p += strlen(p) + 1;	/* the caller's NUL at body[len] bounds it */
	}
	size_t k = 0;
	r->base = strs[k++];
	r->cwd = has_cwd ? strs[k++] : NULL;
	*argv = xcalloc(argc + 1, sizeof **argv);
	*envp = xcalloc(envc + 1, sizeof **envp);
	for (uint32_t i = 0; i < argc; i++)
		(*argv)[i] = strs[k++];
	for (uint32_t i = 0; i < envc; i++)
		(*envp)[i] = strs[k++];
	free(strs);
	r->argv = *argv;
	r->envp = *envp;
	return 0;
}

char *launcher_encode_start(uint64_t token, const struct exec_request *r, size_t *len)
{
	struct buf b = BUF_INIT;
	encode(&b, token, r);
	*len = b.len;
	return buf_detach(&b);
}
