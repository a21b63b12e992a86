/* local.c: the local executor: fork a supervisor, which runs the command with
 * its output in the try's log and records how it ended. See local.h for the
 * files and why a supervisor: the try outlives a kill -9 of the daemon, and
 * its exit status is never lost nor invented. */
#include "executors/local.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LAST_LINE_MAX 65536

int exec_mkdirs_for(const char *path)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	char *slash = strrchr(buf, '/');
	if (!slash)
		return 0;
	*slash = '\0';
	/* Usually only the last level is new (one directory per task): try it
	 * first, and walk from the top only when a parent is missing too. */
	if (mkdir(buf, 0755) == 0 || errno == EEXIST)
		return 0;
	if (errno != ENOENT)
		return -1;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	if (mkdir(buf, 0755) < 0 && errno != EEXIST)
		return -1;
	return 0;
}

static void path_of(char *buf, size_t len, const char *base, const char *suffix)
{
	snprintf(buf, len, "%s%s", base, suffix);
}

static void write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

void exec_close_from(int lowfd)
{
#ifdef SYS_close_range
	if (syscall(SYS_close_range, (unsigned)lowfd, ~0U, 0) == 0)
		return;
#endif
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = lowfd; fd < max; fd++)
		close(fd);
}

static int64_t realtime_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Starts the command with posix_spawn (vfork underneath: no copy of the
 * supervisor's memory): stdin /dev/null, stdout the pipe, stderr the log,
 * default signals, nothing else inherited (every other descriptor of the
 * supervisor is close-on-exec). Returns its pid or -1 (message in the log). */
static pid_t spawn_command(const struct exec_request *r, int out_fd, int log_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
	posix_spawn_file_actions_adddup2(&fa, log_fd, 2);
	if (r->cwd)
		posix_spawn_file_actions_addchdir_np(&fa, r->cwd);
	sigset_t none, dfl;
	sigemptyset(&none);
	sigemptyset(&dfl);
	sigaddset(&dfl, SIGTERM);
	sigaddset(&dfl, SIGINT);
	sigaddset(&dfl, SIGHUP);
	sigaddset(&dfl, SIGPIPE);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &dfl);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	extern char **environ;
	environ = (char **)r->envp;	/* PATH lookup uses the try's PATH */
	pid_t pid;
	int rc = posix_spawnp(&pid, r->argv[0], &fa, &at, r->argv, (char **)r->envp);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		if (r->cwd && rc == ENOENT && access(r->cwd, X_OK) < 0)
			dprintf(log_fd, "schedulerd: cannot change to directory %s: %s\n", r->cwd, strerror(errno));
		else
			dprintf(log_fd, "schedulerd: cannot run %s: %s\n", r->argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

/* The supervisor: copies the command's stdout into the log, remembers the last
 * line, waits, and appends the exit record to its .sup file. */
static void supervise(const struct exec_request *r, int sup_fd, int log_fd)
{
	setsid();
	sigset_t all;
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	signal(SIGPIPE, SIG_IGN);

	char pidbuf[32];
	int n = snprintf(pidbuf, sizeof pidbuf, "%d\n", (int)getpid());
	if (ftruncate(sup_fd, 0) == 0)
		write_all(sup_fd, pidbuf, (size_t)n);

	fcntl(sup_fd, F_SETFD, FD_CLOEXEC);
	fcntl(log_fd, F_SETFD, FD_CLOEXEC);
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		_exit(120);
	pid_t cmd = spawn_command(r, p[1], log_fd);
	int64_t started_us = realtime_us();
	close(p[1]);

	static char line[LAST_LINE_MAX], last[LAST_LINE_MAX];
	size_t line_len = 0, last_len = 0;
	bool overlong = false, have_last = false;
	char buf[65536];
	for (;;) {
		ssize_t got = read(p[0], buf, sizeof buf);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		write_all(log_fd, buf, (size_t)got);
		for (ssize_t i = 0; i < got; i++) {
			if (buf[i] == '\n') {
				if (!overlong) {
					memcpy(last, line, line_len);
					last_len = line_len;
					have_last = true;
				} else {
					have_last = false;
				}
				line_len = 0;
				overlong = false;
			} else if (line_len < sizeof line) {
				line[line_len++] = buf[i];
			} else {
				overlong = true;
			}
		}
	}
	if (line_len > 0 && !overlong) {	/* a last line without newline counts */
		memcpy(last, line, line_len);
		last_len = line_len;
		have_last = true;
	}
	close(p[0]);
	int status = 127 << 8;	/* as a shell reports a command it could not run */
	while (cmd > 0 && waitpid(cmd, &status, 0) < 0 && errno == EINTR)
		;
	int64_t ended_us = realtime_us();
	/* One write appends the exit record to the pid line: the reader takes it
	 * only once the lock is free and only when whole (ends in a newline). */
	static char rec[LAST_LINE_MAX + 128];
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
	int hn = snprintf(rec, 128, "%d %d %lld %lld\n", code, sig, (long long)started_us, (long long)ended_us);
	size_t rn = (size_t)hn;
	if (have_last) {
		memcpy(rec + rn, last, last_len);
		rn += last_len;
	}
	rec[rn++] = '\n';
	write_all(sup_fd, rec, rn);
	_exit(0);
}

pid_t exec_start(const struct exec_request *r, char *err, size_t errlen)
{
	char sup_path[4096], log_path[4096];
	path_of(sup_path, sizeof sup_path, r->base, ".sup");
	path_of(log_path, sizeof log_path, r->base, ".log");
	if (exec_mkdirs_for(sup_path) < 0) {
		snprintf(err, errlen, "cannot create log directory for %s: %s", log_path, strerror(errno));
		return -1;
	}
	int lock_fd = open(sup_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock_fd < 0) {
		snprintf(err, errlen, "%s: %s", sup_path, strerror(errno));
		return -1;
	}
	/* Held from here until the supervisor exits: the fork shares this open
	 * file description, and we close our descriptor right after forking. */
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: a supervisor of this try is still alive", sup_path);
		close(lock_fd);
		return -1;
	}
	if (ftruncate(lock_fd, 0) < 0) {	/* no exit record of an earlier start */
		snprintf(err, errlen, "%s: %s", sup_path, strerror(errno));
		close(lock_fd);
		return -1;
	}
	int log_fd = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log_fd < 0) {
		snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
		close(lock_fd);
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(lock_fd);
		close(log_fd);
		return -1;
	}
	if (pid == 0) {
		/* Keep only the two descriptors the supervisor needs, at 3 and 4. */
		int l = fcntl(lock_fd, F_DUPFD, 10), g = fcntl(log_fd, F_DUPFD, 10);
		dup2(l, 3);
		dup2(g, 4);
		exec_close_from(5);
		supervise(r, 3, 4);
	}
	close(lock_fd);
	close(log_fd);
	return pid;
}

int exec_read_status(const char *base, struct exec_status *st)
{
	char path[4096];
	path_of(path, sizeof path, base, ".sup");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : -1;
	static char buf[LAST_LINE_MAX + 256];
	size_t len = 0;
	for (;;) {
		ssize_t got = read(fd, buf + len, sizeof buf - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		len += (size_t)got;
	}
	close(fd);
	buf[len] = '\0';
	memset(st, 0, sizeof *st);
	/* "PID\n" "CODE SIG STARTED ENDED\n" "LAST\n": whole, or no record. */
	char *rec = memchr(buf, '\n', len);
	if (!rec || len == 0 || buf[len - 1] != '\n')
		return 0;
	rec++;
	char *hdr_end = memchr(rec, '\n', (size_t)(buf + len - rec));
	if (!hdr_end || hdr_end == buf + len - 1)
		return 0;	/* no header, or the header without the line after it */
	char *last = hdr_end + 1;
	long long started = 0, ended = 0;
	if (sscanf(rec, "%d %d %lld %lld", &st->exit_code, &st->term_signal, &started, &ended) < 2)
		return 0;
	st->started_us = started;
	st->ended_us = ended;
	size_t n = (size_t)(buf + len - 1 - last);
	if (n > 0) {
		st->last_line = malloc(n + 1);
		memcpy(st->last_line, last, n);
		st->last_line[n] = '\0';
	}
	return 1;
}

void exec_status_free(struct exec_status *st)
{
	free(st->last_line);
	st->last_line = NULL;
}

enum exec_probe_result exec_probe(const char *base, pid_t *pid)
{
	char path[4096];
	path_of(path, sizeof path, base, ".sup");
	*pid = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return EXEC_NEVER_STARTED;
	char buf[32] = { 0 };
	ssize_t n = read(fd, buf, sizeof buf - 1);
	if (n > 0)
		*pid = (pid_t)atoi(buf);
	enum exec_probe_result res;
	if (flock(fd, LOCK_SH | LOCK_NB) < 0)
		res = EXEC_ALIVE;
	else
		res = *pid > 0 ? EXEC_GONE : EXEC_NEVER_STARTED;
	close(fd);
	return res;
}

int exec_signal(pid_t pgid, int sig)
{
	if (pgid <= 1)
		return -1;
	return kill(-pgid, sig);
}
