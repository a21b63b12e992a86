/* launcher.c: schedulerd's side of its launcher process (see launcher.h):
 * starting it, sending it tries and acknowledgements, reading its events. The
 * process itself is in launcher_proc.c, the messages in launcher_wire.c. */
#include "executors/launcher.h"
#include "executors/launcher_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

struct launcher {
	pid_t pid;
	int req_fd;	/* stream: length-prefixed requests, no answer */
	int ev_fd;	/* seqpacket: one event per message */
	char buf[EXEC_LAST_LINE_MAX + 1024];	/* the last event read */
};

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
		launcher_serve(3, 4);
	}
	close(req[1]);
	close(ex[1]);
	fcntl(ex[0], F_SETFL, fcntl(ex[0], F_GETFL) | O_NONBLOCK);
	struct launcher *l = calloc(1, sizeof *l);
	l->pid = pid;
	l->req_fd = req[0];
	l->ev_fd = ex[0];
	return l;
}

int launcher_submit(struct launcher *l, uint64_t token, const struct exec_request *r)
{
	size_t len;
	char *msg = launcher_encode_start(token, r, &len);
	int rc = launcher_write_full(l->req_fd, msg, len);
	free(msg);
	return rc;
}

int launcher_ack(struct launcher *l, uint64_t token)
{
	char msg[4 + 1 + 8];
	uint32_t len = 1 + 8;
	memcpy(msg, &len, 4);
	msg[4] = LAUNCHER_REQ_ACK;
	memcpy(msg + 5, &token, 8);
	return launcher_write_full(l->req_fd, msg, sizeof msg);
}

int launcher_event_fd(const struct launcher *l)
{
	return l->ev_fd;
}

int launcher_next_event(struct launcher *l, struct launcher_event *ev)
{
	for (;;) {
		ssize_t n = recv(l->ev_fd, l->buf, sizeof l->buf - 1, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		struct launcher_wire_event h;
		if (n < (ssize_t)sizeof h)
			return -1;
		memcpy(&h, l->buf, sizeof h);
		size_t tail = (size_t)n - sizeof h;
		if ((size_t)h.err_len + h.last_len != tail)
			return -1;
		char *p = l->buf + sizeof h;
		p[tail] = '\0';
		memset(ev, 0, sizeof *ev);
		ev->kind = h.kind;
		ev->pid = h.pid;
		ev->status = h.status;
		ev->token = h.token;
		ev->err = h.err_len ? p : "";
		ev->record.exit_code = h.exit_code;
		ev->record.term_signal = h.term_signal;
		ev->record.started_us = h.started_us;
		ev->record.ended_us = h.ended_us;
		ev->record.log_errno = h.log_errno;
		ev->record.last_line = h.last_len ? p : NULL;
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
	/* It goes on supervising the tries it has, and exits after the last;
	 * reap it if it is already done (otherwise init will). */
	close(l->req_fd);
	close(l->ev_fd);
	waitpid(l->pid, NULL, WNOHANG);
	free(l);
}
