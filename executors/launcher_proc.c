/* launcher_proc.c: the launcher process (launcher.h): takes start requests,
 * creates each try's files, spawns its command, copies its stdout
 * into the log keeping the last line, reaps it, reports it, and keeps its
 * lock until the daemon acknowledges the outcome; writes .sup records when the
 * daemon is gone. */
#include "executors/command.h"
#include "executors/launcher.h"
#include "executors/launcher_wire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

/* Events not sent yet. A STARTED is held a little (LAUNCHER_HOLD_US) unless
 * something else goes out: a short command's STARTED and EXITED then reach
 * the daemon together, in one wake-up and one transaction instead of two,
 * which halves the daemon's work per try; a long one shows as running a few
 * milliseconds later. Its pid matters to no decision in the meantime (the
 * try is counted as running from its submission, and the lock on its log is
 * what recovery trusts). */
#define LAUNCHER_HOLD_US 5000

struct pending {
	struct { char *p; size_t n; } *ev;
	size_t n, cap;
	bool urgent;		/* holds an event other than STARTED */
	int64_t oldest_us;	/* when the oldest one was queued */
};

/* Whether the queue should go out now; else *wait_ms until it should. */
static bool events_due(const struct pending *q, int *wait_ms)
{
	*wait_ms = -1;
	if (q->n == 0)
		return false;
	int64_t left = q->oldest_us + LAUNCHER_HOLD_US - exec_now_us();
	if (q->urgent || left <= 0)
		return true;
	*wait_ms = (int)((left + 999) / 1000);
	return false;
}

static void queue_event(struct pending *q, const struct launcher_wire_event *h, const char *tail, size_t tail_len)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? q->cap * 2 : 64;
		q->ev = realloc(q->ev, q->cap * sizeof *q->ev);
		if (!q->ev)
			abort();
	}
	char *p = malloc(sizeof *h + tail_len);
	if (!p)
		abort();
	if (q->n == 0)
		q->oldest_us = exec_now_us();
	if (h->kind != LAUNCHER_STARTED)
		q->urgent = true;
	memcpy(p, h, sizeof *h);
	if (tail_len)
		memcpy(p + sizeof *h, tail, tail_len);
	q->ev[q->n].p = p;
	q->ev[q->n++].n = sizeof *h + tail_len;
}

static void drop_events(struct pending *q)
{
	for (size_t i = 0; i < q->n; i++)
		free(q->ev[i].p);
	q->n = 0;
}

static void flush_events(int fd, struct pending *q)
{
	size_t sent = 0;
	while (sent < q->n) {
		ssize_t w = send(fd, q->ev[sent].p, q->ev[sent].n, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			break;	/* full: the daemon reads them later */
		free(q->ev[sent].p);
		sent++;
	}
	memmove(q->ev, q->ev + sent, (q->n - sent) * sizeof *q->ev);
	q->n -= sent;
	if (q->n == 0)
		q->urgent = false;	/* (what stays after a full socket stays urgent) */
}

/* One try. Its command ended when reaped and its stdout is at EOF (anything
 * it left in the background that still holds stdout keeps the try running,
 * as a shell pipeline would). An ended try stays here, its log still locked,
 * until the daemon acknowledges its outcome (or is gone: then its .sup). */
struct try {
	pid_t pid;
	uint64_t token;
	char *base;
	int log_fd, out_fd;		/* out_fd: read end of stdout, -1 at EOF */
	bool reaped, ended;
	int status;
	int64_t started_us, ended_us;
	char *line, *last;		/* current and last complete stdout line */
	size_t line_len, last_len, cap;	/* both buffers hold cap + 1 bytes */
	bool overlong, have_last;
	int log_errno;			/* the first error writing the log */
	struct try *next;
};

struct server {
	int req_fd, ev_fd, sfd;
	bool daemon_gone;
	struct try *tries;
	size_t nlive;			/* tries whose command has not ended */
	struct pending q;
};

/* Keeps the last complete line of what the command wrote to stdout. */
static void track_lines(struct try *t, const char *p, size_t n)
{
	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t chunk = nl ? (size_t)(nl - p) : n;
		if (!t->overlong) {
			if (t->line_len + chunk > EXEC_LAST_LINE_MAX) {
				t->overlong = true;
			} else {
				if (t->line_len + chunk > t->cap) {
					size_t cap = t->cap ? t->cap : 256;
					while (cap < t->line_len + chunk)
						cap *= 2;
					t->line = realloc(t->line, cap + 1);
					t->last = realloc(t->last, cap + 1);
					if (!t->line || !t->last)
						abort();
					t->cap = cap;
				}
				memcpy(t->line + t->line_len, p, chunk);
				t->line_len += chunk;
			}
		}
		if (!nl)
			return;
		if (!t->overlong) {
			char *swap = t->last;
			t->last = t->line;
			t->line = swap;
			t->last_len = t->line_len;
			t->have_last = true;
		} else {
			t->have_last = false;
		}
		t->line_len = 0;
		t->overlong = false;
		p = nl + 1;
		n -= chunk + 1;
	}
}

/* The exit record of an ended try (last_line points into t). */
static struct exec_status record_of(struct try *t)
{
	struct exec_status st = { 0 };
	st.exit_code = WIFEXITED(t->status) ? WEXITSTATUS(t->status) : -1;
	st.term_signal = WIFSIGNALED(t->status) ? WTERMSIG(t->status) : 0;
	st.started_us = t->started_us;
	st.ended_us = t->ended_us;
	st.log_errno = t->log_errno;
	if (t->have_last) {
		t->last[t->last_len] = '\0';
		st.last_line = t->last;
	}
	return st;
}

static void free_try(struct server *sv, struct try *t)
{
	for (struct try **pp = &sv->tries; *pp; pp = &(*pp)->next)
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	close(t->log_fd);	/* lets go of the lock (fd 3 of leftovers may hold it on) */
	free(t->base);
	free(t->line);
	free(t->last);
	free(t);
}

/* The command ended: tell the daemon (the lock stays until it acknowledges),
 * or, with the daemon gone, append the record to the .sup and let go. */
static void finish(struct server *sv, struct try *t)
{
	if (t->line_len > 0 && !t->overlong) {	/* a last line without newline counts */
		char *swap = t->last;
		t->last = t->line;
		t->line = swap;
		t->last_len = t->line_len;
		t->have_last = true;
	}
	t->ended = true;
	sv->nlive--;
	if (t->out_fd >= 0) {
		close(t->out_fd);
		t->out_fd = -1;
	}
	struct exec_status rec = record_of(t);
	if (sv->daemon_gone) {
		exec_write_sup(t->base, 0, &rec);
		free_try(sv, t);
		return;
	}
	struct launcher_wire_event h = { .kind = LAUNCHER_EXITED, .pid = t->pid, .status = t->status,
			       .exit_code = rec.exit_code, .term_signal = rec.term_signal,
			       .last_len = rec.last_line ? (uint32_t)t->last_len : 0, .token = t->token,
			       .started_us = t->started_us, .ended_us = t->ended_us,
			       .log_errno = rec.log_errno };
	queue_event(&sv->q, &h, rec.last_line, h.last_len);
}

/* The daemon is gone: what a new daemon needs to know goes into .sup files
 * (the pid of live tries, the whole record of ended ones not acknowledged). */
static void orphaned(struct server *sv)
{
	sv->daemon_gone = true;
	drop_events(&sv->q);
	for (struct try *t = sv->tries, *next; t; t = next) {
		next = t->next;
		if (t->ended) {
			struct exec_status rec = record_of(t);
			exec_write_sup(t->base, t->pid, &rec);
			free_try(sv, t);
		} else {
			exec_write_sup(t->base, t->pid, NULL);
		}
	}
}

/* Copies what the command wrote to stdout into its log. */
static void relay(struct server *sv, struct try *t)
{
	static char buf[65536];
	for (int rounds = 0; rounds < 16; rounds++) {
		ssize_t got = read(t->out_fd, buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0 && errno == EAGAIN)
			return;
		if (got <= 0) {
			close(t->out_fd);
			t->out_fd = -1;
			if (t->reaped)
				finish(sv, t);
			return;
		}
		/* The output goes on being read (the last line is the result,
		 * and a full pipe would stop the command); a log that lost
		 * some says so in the outcome. */
		if (exec_write_all(t->log_fd, buf, (size_t)got) < 0 && !t->log_errno)
			t->log_errno = errno;
		track_lines(t, buf, (size_t)got);
	}
}

static void reap_all(struct server *sv)
{
	int status;
	pid_t pid;
	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int64_t now = exec_now_us();
		for (struct try *t = sv->tries; t; t = t->next)
			if (t->pid == pid && !t->reaped) {
				t->reaped = true;
				t->status = status;
				t->ended_us = now;
				if (t->out_fd >= 0)
					relay(sv, t);	/* usually at EOF already */
				else
					finish(sv, t);
				break;
			}
	}
}

/* The command's set-up: stdin /dev/null, stdout a pipe to us, stderr the log,
 * fd 3 a read-only descriptor of the log holding a shared lock (so the lock
 * lives as long as any process of the try), a session of its own, default
 * signals and an empty mask; nothing else inherited (all our descriptors are
 * close-on-exec). argv[0] is looked up in the try's own PATH (command.h). */
static const int default_signals[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT };

/* The slow path, and the one that explains failures: fork, set up, exec. A
 * command that cannot be run exits 127 (not found) or 126 (found, but cannot
 * be executed) with the reason at the top of its log,
 * as a shell reports it. */
static pid_t spawn_forked(const struct exec_request *r, const struct exec_try_files *f, int out_w, char *err,
			  size_t errlen)
{
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid > 0)
		return pid;
	/* The child: only async-signal-safe calls until exec (we are single-
	 * threaded, so the rest would do, but there is no need). */
	setsid();
	int null = open("/dev/null", O_RDONLY);
	if (null < 0 || dup2(null, 0) < 0 || dup2(out_w, 1) < 0 || dup2(f->log_fd, 2) < 0 ||
	    dup2(f->child_fd, 3) < 0)
		_exit(126);
	if (null > 3)
		close(null);	/* the rest are close-on-exec */
	for (size_t i = 0; i < sizeof default_signals / sizeof *default_signals; i++)
		signal(default_signals[i], SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	exec_command(r->argv, r->envp, r->cwd, "schedulerd");
}

/* The fast path: posix_spawn, which glibc runs as clone(CLONE_VM|CLONE_VFORK):
 * no copy of our page tables and no copy-on-write faults on either side.
 * Measured on the 2,000-task bench (tmpfs logs, so the file system is out of
 * it): the launcher's CPU halves (0.40 -> 0.20 s) and the commands' own CPU
 * falls by a tenth, as exec no longer tears down a copied address space.
 * Taken only when nothing should fail (the program found and runnable, the
 * directory there), so a failure never depends on how posix_spawn reports it
 * (valgrind's, for one, cannot). Returns 0 with *pid, or -1: then
 * spawn_forked runs the command, and reports in its log why it could not. */
static int spawn_fast(const struct exec_request *r, const struct exec_try_files *f, int out_w, pid_t *pid)
{
	/* dup2 onto itself would keep close-on-exec; our descriptors are never
	 * that low in practice, but then the slow path is right by construction. */
	if (out_w <= 3 || f->log_fd <= 3 || f->child_fd <= 3)
		return -1;
	char prog[4096];
	if (exec_resolve_program(r->argv[0], r->envp, prog, sizeof prog) < 0 || (r->cwd && access(r->cwd, X_OK) < 0))
		return -1;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	if (posix_spawn_file_actions_init(&fa) != 0)
		return -1;
	if (posix_spawnattr_init(&at) != 0) {
		posix_spawn_file_actions_destroy(&fa);
		return -1;
	}
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	for (size_t i = 0; i < sizeof default_signals / sizeof *default_signals; i++)
		sigaddset(&dfl, default_signals[i]);
	int rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	rc = rc ? rc : posix_spawn_file_actions_adddup2(&fa, out_w, 1);
	rc = rc ? rc : posix_spawn_file_actions_adddup2(&fa, f->log_fd, 2);
	rc = rc ? rc : posix_spawn_file_actions_adddup2(&fa, f->child_fd, 3);
	if (r->cwd)
		rc = rc ? rc : posix_spawn_file_actions_addchdir_np(&fa, r->cwd);
	rc = rc ? rc : posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
	rc = rc ? rc : posix_spawnattr_setsigdefault(&at, &dfl);
	rc = rc ? rc : posix_spawnattr_setsigmask(&at, &none);
	rc = rc ? rc : posix_spawn(pid, prog, &fa, &at, r->argv, r->envp);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return rc == 0 ? 0 : -1;
}

static pid_t spawn(const struct exec_request *r, const struct exec_try_files *f, int out_w, char *err,
		   size_t errlen)
{
	pid_t pid;
	if (spawn_fast(r, f, out_w, &pid) == 0)
		return pid;
	return spawn_forked(r, f, out_w, err, errlen);
}

static pid_t start_try(struct server *sv, uint64_t token, const struct exec_request *r, char *err, size_t errlen)
{
	struct exec_try_files f;
	if (exec_open_try(r->base, &f, err, errlen) < 0)
		return -1;
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		close(f.child_fd);
		close(f.log_fd);
		return -1;
	}
	pid_t pid = spawn(r, &f, p[1], err, errlen);
	close(p[1]);
	close(f.child_fd);
	if (pid < 0) {
		close(p[0]);
		close(f.log_fd);
		return -1;
	}
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	struct try *t = calloc(1, sizeof *t);
	if (!t || !(t->base = strdup(r->base)))
		abort();
	t->pid = pid;
	t->token = token;
	t->log_fd = f.log_fd;
	t->out_fd = p[0];
	t->started_us = exec_now_us();
	t->next = sv->tries;
	sv->tries = t;
	sv->nlive++;
	return pid;
}

/* One request: a start (queues STARTED or START_FAILED) or an ack. 0 to go
 * on, -1 when the daemon is gone. */
static int serve_request(struct server *sv)
{
	uint32_t len;
	if (launcher_read_full(sv->req_fd, &len, sizeof len) != 1 || len > LAUNCHER_REQUEST_MAX || len < 1)
		return -1;
	char *body = malloc((size_t)len + 1);
	if (!body || launcher_read_full(sv->req_fd, body, len) != 1) {
		free(body);
		return -1;
	}
	body[len] = '\0';
	if (body[0] == LAUNCHER_REQ_ACK) {
		uint64_t token = 0;
		if (len >= 9)
			memcpy(&token, body + 1, sizeof token);
		free(body);
		for (struct try *t = sv->tries; t; t = t->next)
			if (t->ended && t->token == token) {
				free_try(sv, t);
				break;
			}
		return 0;
	}
	struct exec_request r = { 0 };
	char **argv = NULL, **envp = NULL, err[480];
	uint64_t token = 0;
	pid_t pid = -1;
	if (body[0] != LAUNCHER_REQ_START || launcher_decode_start(body + 1, len - 1, &token, &r, &argv, &envp) < 0)
		snprintf(err, sizeof err, "launcher: malformed request (%u bytes)", len);
	else
		pid = start_try(sv, token, &r, err, sizeof err);
	free(argv);
	free(envp);
	free(body);
	struct launcher_wire_event h = { .kind = pid > 0 ? LAUNCHER_STARTED : LAUNCHER_START_FAILED, .pid = pid > 0 ? pid : 0,
			       .token = token, .started_us = pid > 0 ? sv->tries->started_us : 0 };
	if (pid <= 0)
		h.err_len = (uint32_t)strlen(err);
	queue_event(&sv->q, &h, err, h.err_len);
	return 0;
}

/* The requests waiting now (a pass's starts and acks come together), up to
 * a bound so the commands' output keeps flowing; one poll of the request
 * socket each instead of a whole pass over every try. 0, or -1 when the
 * daemon is gone. */
static int serve_requests(struct server *sv)
{
	for (int i = 0; i < 64; i++) {
		if (serve_request(sv) < 0)
			return -1;
		struct pollfd p = { sv->req_fd, POLLIN, 0 };
		if (poll(&p, 1, 0) != 1)
			break;
	}
	return 0;
}

void launcher_serve(int req_fd, int ev_fd)
{
	/* Ctrl-C on the daemon's terminal reaches the whole foreground group:
	 * the launcher stays while it has tries, whatever happens to the daemon. */
	signal(SIGINT, SIG_IGN);
	signal(SIGTERM, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_SETMASK, &mask, NULL);
	struct server sv = { .req_fd = req_fd, .ev_fd = ev_fd };
	sv.sfd = signalfd(-1, &mask, SFD_NONBLOCK | SFD_CLOEXEC);
	if (sv.sfd < 0)
		_exit(1);
	struct pollfd *pf = NULL;
	struct try **who = NULL;
	size_t cap = 0;
	while (!sv.daemon_gone || sv.nlive > 0) {
		size_t ntries = 0;
		for (struct try *t = sv.tries; t; t = t->next)
			ntries++;
		if (cap < ntries + 3) {
			cap = (ntries + 3) * 2;
			pf = realloc(pf, cap * sizeof *pf);
			who = realloc(who, cap * sizeof *who);
			if (!pf || !who)
				abort();
		}
		size_t n = 0;
		pf[n++] = (struct pollfd){ sv.daemon_gone ? -1 : sv.req_fd, POLLIN, 0 };
		pf[n++] = (struct pollfd){ sv.sfd, POLLIN, 0 };
		int wait_ms;
		bool due = events_due(&sv.q, &wait_ms);
		pf[n++] = (struct pollfd){ sv.daemon_gone ? -1 : sv.ev_fd, due ? POLLOUT : 0, 0 };
		for (struct try *t = sv.tries; t; t = t->next)
			if (t->out_fd >= 0) {
				who[n] = t;
				pf[n++] = (struct pollfd){ t->out_fd, POLLIN, 0 };
			}
		if (poll(pf, (nfds_t)n, sv.daemon_gone ? -1 : wait_ms) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		/* Output first, so a try's last line is in before its reaping. */
		for (size_t i = 3; i < n; i++)
			if (pf[i].revents)
				relay(&sv, who[i]);
		if (pf[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			while (read(sv.sfd, &si, sizeof si) == sizeof si)
				;
			reap_all(&sv);
		}
		if (!sv.daemon_gone && ((pf[2].revents & (POLLERR | POLLHUP)) ||
					((pf[0].revents & (POLLIN | POLLHUP | POLLERR)) && serve_requests(&sv) < 0)))
			orphaned(&sv);
		if (!sv.daemon_gone && events_due(&sv.q, &wait_ms))
			flush_events(sv.ev_fd, &sv.q);
	}
	free(pf);
	free(who);
	drop_events(&sv.q);
	free(sv.q.ev);
	_exit(0);
}
