/* notify_command.c: the command channel: a program run like a task's
 * command (an argv, no shell), by the sender worker itself, so it never
 * takes one of the daemon's --parallelism slots.
 *
 * Spec (docs/alerts.md): {"type":"command", "argv": [template, ...],
 * "timeout": duration (30s)}. The payload's JSON is the command's stdin;
 * its stdout and stderr are read and their last NOTIFY_CMD_TAIL bytes kept
 * for last_error when it fails. It runs in a process group of its own:
 * at the timeout the whole group is killed (SIGKILL), and so is whatever
 * the command left behind in it once it exits, so nothing outlives an
 * attempt. Outcome: exit 0 delivered; another exit, a signal or the
 * timeout: retry; an argv that does not render or a program that cannot be
 * started: given up. An argv[0] that renders empty: skipped. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lib/buf.h"
#include "lib/xalloc.h"
#include "scheduler/notify_channel.h"
#include "scheduler/notify_send.h"
#include "scheduler/store.h"

extern char **environ;

#define COMMAND_TIMEOUT_MS 30000
#define NOTIFY_CMD_TAIL 300

static volatile pid_t running_pgid;	/* the group of the command running now, 0: none */

void notify_command_kill_running(void)
{
	pid_t g = running_pgid;
	if (g > 0)
		kill(-g, SIGKILL);
}

static char **command_argv(const struct notify_item *it, char *err, size_t errlen)
{
	const json_t *a = json_object_get(it->channel, "argv");
	size_t n = json_array_size(a);
	if (!n) {
		snprintf(err, errlen, "channel has no 'argv' (a list of strings)");
		return NULL;
	}
	char **argv = xcalloc(n + 1, sizeof *argv);
	for (size_t i = 0; i < n; i++) {
		const json_t *v = json_array_get(a, i);
		char e[NOTIFY_ERR_MAX];
		argv[i] = json_is_string(v) ? notify_render(json_string_value(v), it->payload, e, sizeof e) : NULL;
		if (!argv[i]) {
			if (json_is_string(v))
				snprintf(err, errlen, "argv[%zu]: %s", i, e);
			else
				snprintf(err, errlen, "argv[%zu] is not a string", i);
			for (size_t j = 0; j < i; j++)
				free(argv[j]);
			free(argv);
			return NULL;
		}
	}
	return argv;
}

static void free_argv(char **argv)
{
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

/* Starts argv in a new process group, stdin from in[0], stdout and stderr
 * to out[1]. 0 or an errno. */
static int command_spawn(pid_t *pid, char **argv, int in_fd, int out_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 2);
	sigset_t none, all;
	sigemptyset(&none);
	sigfillset(&all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	int rc = posix_spawnp(pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	return rc;
}

/* Reads the command's output until EOF or the deadline; keeps the tail. */
static int command_collect(int fd, int64_t deadline_us, struct buf *tail)
{
	char chunk[4096];
	for (;;) {
		int64_t left = deadline_us - store_now_us();
		if (left <= 0)
			return -1;
		struct pollfd pf = { fd, POLLIN, 0 };
		int n = poll(&pf, 1, (int)((left + 999) / 1000));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			continue;	/* the deadline is checked above */
		ssize_t r = read(fd, chunk, sizeof chunk);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		buf_add(tail, chunk, (size_t)r);
		if (tail->len > 4 * NOTIFY_CMD_TAIL) {
			memmove(tail->s, tail->s + tail->len - NOTIFY_CMD_TAIL, NOTIFY_CMD_TAIL);
			buf_truncate(tail, NOTIFY_CMD_TAIL);
		}
	}
}

static void tail_text(struct buf *tail, char *out, size_t len)
{
	const char *s = buf_str(tail);
	if (tail->len > NOTIFY_CMD_TAIL)
		s += tail->len - NOTIFY_CMD_TAIL;
	snprintf(out, len, "%s", s);
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
	size_t n = strlen(out);
	while (n && out[n - 1] == ' ')
		out[--n] = 0;
}

/* 0 when prog names an executable file (a path, or found in $PATH as
 * execvp looks), else an errno: a missing program is a spec error, told
 * before anything is started. */
static int command_findable(const char *prog)
{
	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? 0 : errno;
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/bin:/usr/bin";
	int rc = ENOENT;
	for (const char *p = path;; p++) {
		const char *e = strchr(p, ':');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char full[4096];
		if (snprintf(full, sizeof full, "%.*s/%s", (int)n, n ? p : ".", prog) < (int)sizeof full &&
		    access(full, X_OK) == 0)
			return 0;
		if (errno == EACCES)
			rc = EACCES;
		if (!e)
			return rc;
		p = e;
	}
}

enum notify_outcome notify_command_deliver(const struct notify_item *it, char *err, size_t errlen)
{
	char **argv = command_argv(it, err, errlen);
	if (!argv)
		return NOTIFY_GIVE_UP;
	if (!argv[0][0]) {
		free_argv(argv);
		snprintf(err, errlen, "argv[0] renders empty: channel disabled");
		return NOTIFY_SKIPPED;
	}
	int found = command_findable(argv[0]);
	if (found != 0) {
		snprintf(err, errlen, "command: cannot run %s: %s", argv[0], strerror(found));
		free_argv(argv);
		return NOTIFY_GIVE_UP;
	}
	int64_t timeout_ms = notify_duration_field(it->channel, "timeout", COMMAND_TIMEOUT_MS, err, errlen);
	if (timeout_ms < 0) {
		free_argv(argv);
		return NOTIFY_GIVE_UP;
	}
	int in[2], out[2];
	/* stdin: a socket pair, so the payload is written with MSG_NOSIGNAL (a
	 * command that exits without reading it raises no SIGPIPE in us). */
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) < 0) {
		snprintf(err, errlen, "command: socketpair: %s", strerror(errno));
		free_argv(argv);
		return NOTIFY_RETRY;
	}
	if (pipe2(out, O_CLOEXEC) < 0) {
		snprintf(err, errlen, "command: pipe: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		free_argv(argv);
		return NOTIFY_RETRY;
	}
	pid_t pid;
	int rc = command_spawn(&pid, argv, in[0], out[1]);
	close(in[0]);
	close(out[1]);
	if (rc != 0) {
		snprintf(err, errlen, "command: cannot run %s: %s", argv[0], strerror(rc));
		close(in[1]);
		close(out[0]);
		free_argv(argv);
		return NOTIFY_GIVE_UP;
	}
	running_pgid = pid;
	/* The payload on stdin, as much as the pipe takes without blocking (a
	 * command that does not read it is not waited for). */
	ssize_t w = send(in[1], it->payload_text, strlen(it->payload_text), MSG_NOSIGNAL | MSG_DONTWAIT);
	(void)w;
	close(in[1]);
	struct buf tail = BUF_INIT;
	int64_t deadline = store_now_us() + timeout_ms * 1000;
	bool timed_out = command_collect(out[0], deadline, &tail) < 0;
	/* Timed out, or the output closed: the group goes (stragglers too). */
	if (timed_out)
		kill(-pid, SIGKILL);
	/* The output closed; the command may still run (it closed it, or
	 * left a child holding it): its exit is awaited until the deadline. */
	int status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, timed_out ? 0 : WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (r == 0 && store_now_us() >= deadline) {
			timed_out = true;
			kill(-pid, SIGKILL);
		} else if (r == 0) {
			struct timespec ts = { 0, 5000000 };
			nanosleep(&ts, NULL);
		}
	}
	kill(-pid, SIGKILL);
	running_pgid = 0;
	close(out[0]);
	char t[NOTIFY_CMD_TAIL + 1];
	tail_text(&tail, t, sizeof t);
	enum notify_outcome o = NOTIFY_RETRY;
	char dur[32];
	snprintf(dur, sizeof dur, "%lldms", (long long)timeout_ms);
	if (timed_out)
		snprintf(err, errlen, "command %s: timed out after %s, process group killed%s%s", argv[0], dur,
			 t[0] ? ": " : "", t);
	else if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		o = NOTIFY_DELIVERED;
	else if (WIFEXITED(status))
		snprintf(err, errlen, "command %s: exit %d%s%s", argv[0], WEXITSTATUS(status), t[0] ? ": " : "", t);
	else
		snprintf(err, errlen, "command %s: killed by signal %d%s%s", argv[0], WTERMSIG(status),
			 t[0] ? ": " : "", t);
	buf_free(&tail);
	free_argv(argv);
	return o;
}
