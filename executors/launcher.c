/* launcher.c: the helper process that forks the supervisors of tries on
 * schedulerd's behalf (see launcher.h for why). */
#include "executors/launcher.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#define REQUEST_MAX (64u << 20)	/* far above ARG_MAX: anything bigger is garbage */

struct launcher {
	pid_t pid;
	int req_fd;	/* stream: length-prefixed request -> struct reply */
	int exit_fd;	/* seqpacket: struct exit_event per reaped supervisor */
};

struct reply {
	int32_t pid;	/* > 0, or -1 with err */
	char err[500];
};

struct exit_event {
	int32_t pid;
	int32_t status;
};

static int write_full(int fd, const void *buf, size_t n)
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

/* 1 read all, 0 EOF before anything, -1 error or EOF midway. */
static int read_full(int fd, void *buf, size_t n)
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

/* --- the request: u32 length, then u32 argc, u32 envc, u8 has_cwd, and the
 * NUL-terminated strings base, [cwd], argv..., envp... --- */

struct buf {
	char *p;
	size_t len, cap;
};

static void buf_add(struct buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 4096;
		while (cap < b->len + n)
			cap *= 2;
		b->p = realloc(b->p, cap);
		if (!b->p)
			abort();
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
}

static void buf_str(struct buf *b, const char *s)
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

static void encode(struct buf *b, const struct exec_request *r)
{
	uint32_t hdr[3] = { 0, count(r->argv), count(r->envp) };
	buf_add(b, hdr, sizeof hdr);
	uint8_t has_cwd = r->cwd != NULL;
	buf_add(b, &has_cwd, 1);
	buf_str(b, r->base);
	if (r->cwd)
		buf_str(b, r->cwd);
	for (uint32_t i = 0; i < hdr[1]; i++)
		buf_str(b, r->argv[i]);
	for (uint32_t i = 0; i < hdr[2]; i++)
		buf_str(b, r->envp[i]);
	uint32_t len = (uint32_t)(b->len - sizeof(uint32_t));
	memcpy(b->p, &len, sizeof len);
}

/* Decodes body (len bytes, NUL-terminated by the caller) into r, whose
 * vectors point into body. 0 or -1 if malformed. */
static int decode(char *body, size_t len, struct exec_request *r, char ***argv, char ***envp)
{
	uint32_t argc, envc;
	if (len < 9)
		return -1;
	memcpy(&argc, body, 4);
	memcpy(&envc, body + 4, 4);
	bool has_cwd = body[8] != 0;
	if (argc == 0 || argc > len || envc > len)
		return -1;
	size_t nstr = 1 + (has_cwd ? 1 : 0) + argc + envc;
	char **strs = calloc(nstr, sizeof *strs);
	char *p = body + 9, *end = body + len;
	for (size_t i = 0; i < nstr; i++) {
		if (p >= end) {
			free(strs);
			return -1;
		}
		strs[i] = p;
		p += strlen(p) + 1;
	}
	size_t k = 0;
	r->base = strs[k++];
	r->cwd = has_cwd ? strs[k++] : NULL;
	*argv = calloc(argc + 1, sizeof **argv);
	*envp = calloc(envc + 1, sizeof **envp);
	for (uint32_t i = 0; i < argc; i++)
		(*argv)[i] = strs[k++];
	for (uint32_t i = 0; i < envc; i++)
		(*envp)[i] = strs[k++];
	free(strs);
	r->argv = *argv;
	r->envp = *envp;
	return 0;
}

/* --- the launcher process --- */

struct pending {
	struct exit_event *ev;
	size_t n, cap;
};

static void flush_exits(int fd, struct pending *q)
{
	size_t sent = 0;
	while (sent < q->n) {
		ssize_t w = send(fd, &q->ev[sent], sizeof q->ev[sent], MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;	/* full (the daemon reads them later) or the daemon is gone */
		sent++;
	}
	memmove(q->ev, q->ev + sent, (q->n - sent) * sizeof *q->ev);
	q->n -= sent;
}

static void reap_all(struct pending *q)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		if (q->n == q->cap) {
			q->cap = q->cap ? q->cap * 2 : 64;
			q->ev = realloc(q->ev, q->cap * sizeof *q->ev);
			if (!q->ev)
				abort();
		}
		q->ev[q->n++] = (struct exit_event){ pid, status };
	}
}

/* One request: read, start, reply. 0 to go on, -1 when the daemon is gone. */
static int serve_request(int fd)
{
	uint32_t len;
	if (read_full(fd, &len, sizeof len) != 1 || len > REQUEST_MAX)
		return -1;
	char *body = malloc((size_t)len + 1);
	if (!body || read_full(fd, body, len) != 1) {
		free(body);
		return -1;
	}
	body[len] = '\0';
	struct exec_request r = { 0 };
	char **argv = NULL, **envp = NULL;
	struct reply rep = { .pid = -1 };
	if (decode(body, len, &r, &argv, &envp) < 0)
		snprintf(rep.err, sizeof rep.err, "launcher: malformed request (%u bytes)", len);
	else
		rep.pid = exec_start(&r, rep.err, sizeof rep.err);
	free(argv);
	free(envp);
	free(body);
	return write_full(fd, &rep, sizeof rep);
}

static void serve(int req_fd, int exit_fd)
{
	/* Ctrl-C on the daemon's terminal reaches the whole foreground group:
	 * the launcher stays until the daemon itself lets go of it. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	int sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sfd < 0)
		_exit(1);
	struct pending q = { 0 };
	for (;;) {
		struct pollfd pf[3] = {
			{ req_fd, POLLIN, 0 },
			{ sfd, POLLIN, 0 },
			{ exit_fd, q.n ? POLLOUT : 0, 0 },
		};
		if (poll(pf, 3, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (pf[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sfd, &si, sizeof si) == sizeof si)
				;
			reap_all(&q);
		}
		if (q.n)
			flush_exits(exit_fd, &q);
		if (pf[2].revents & (POLLERR | POLLHUP))
			break;
		if ((pf[0].revents & (POLLIN | POLLHUP | POLLERR)) && serve_request(req_fd) < 0)
			break;
	}
	/* The daemon is gone or done: live supervisors carry on without us. */
	_exit(0);
}

struct launcher *launcher_start(int close_fd, char *err, size_t errlen)
{
	int req[2], ex[2];
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, req) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		return NULL;
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, ex) < 0) {
		snprintf(err, errlen, "socketpair: %s", strerror(errno));
		close(req[0]);
		close(req[1]);
		return NULL;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(req[0]);
		close(req[1]);
		close(ex[0]);
		close(ex[1]);
		return NULL;
	}
	if (pid == 0) {
		if (close_fd >= 0)
			close(close_fd);
		/* Keep stdio and our two ends, at 3 and 4; nothing else. */
		int a = fcntl(req[1], F_DUPFD_CLOEXEC, 10), b = fcntl(ex[1], F_DUPFD_CLOEXEC, 10);
		dup3(a, 3, O_CLOEXEC);
		dup3(b, 4, O_CLOEXEC);
		exec_close_from(5);
		serve(3, 4);
	}
	close(req[1]);
	close(ex[1]);
	fcntl(ex[0], F_SETFL, fcntl(ex[0], F_GETFL) | O_NONBLOCK);
	struct launcher *l = calloc(1, sizeof *l);
	l->pid = pid;
	l->req_fd = req[0];
	l->exit_fd = ex[0];
	return l;
}

pid_t launcher_exec(struct launcher *l, const struct exec_request *r, char *err, size_t errlen)
{
	struct buf b = { 0 };
	encode(&b, r);
	struct reply rep;
	int ok = write_full(l->req_fd, b.p, b.len) == 0 && read_full(l->req_fd, &rep, sizeof rep) == 1;
	free(b.p);
	if (!ok) {
		snprintf(err, errlen, "the launcher process (pid %d) is gone", (int)l->pid);
		return -2;
	}
	if (rep.pid < 0) {
		rep.err[sizeof rep.err - 1] = '\0';
		snprintf(err, errlen, "%s", rep.err);
		return -1;
	}
	return rep.pid;
}

int launcher_exit_fd(const struct launcher *l)
{
	return l->exit_fd;
}

int launcher_next_exit(struct launcher *l, pid_t *pid, int *status)
{
	struct exit_event ev;
	for (;;) {
		ssize_t n = recv(l->exit_fd, &ev, sizeof ev, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n != (ssize_t)sizeof ev)
			return -1;
		*pid = ev.pid;
		*status = ev.status;
		return 1;
	}
}

pid_t launcher_pid(const struct launcher *l)
{
	return l->pid;
}

void launcher_close(struct launcher *l)
{
	if (!l)
		return;
	close(l->req_fd);
	close(l->exit_fd);
	while (waitpid(l->pid, NULL, 0) < 0 && errno == EINTR)
		;
	free(l);
}
