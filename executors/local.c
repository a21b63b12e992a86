/* local.c: the local executor: fork a supervisor, which runs the command with
 * its output in the try's log and records how it ended. See local.h for the
 * files and why a supervisor: the try outlives a kill -9 of the daemon, and
 * its exit status is never lost nor invented. */
#include "executors/local.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
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

static void close_from(int lowfd)
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

/* The command itself: stdin /dev/null, stdout the pipe, stderr the log. */
static void run_command(const struct exec_request *r, int out_fd, int log_fd)
{
	int devnull = open("/dev/null", O_RDONLY);
	if (devnull >= 0 && devnull != 0) {
		dup2(devnull, 0);
		close(devnull);
	}
	dup2(out_fd, 1);
	dup2(log_fd, 2);
	close_from(3);
	signal(SIGTERM, SIG_DFL);
	signal(SIGINT, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	if (r->cwd && chdir(r->cwd) < 0) {
		dprintf(2, "schedulerd: cannot change to directory %s: %s\n", r->cwd, strerror(errno));
		_exit(127);
	}
	extern char **environ;
	environ = (char **)r->envp;
	execvp(r->argv[0], r->argv);
	dprintf(2, "schedulerd: cannot run %s: %s\n", r->argv[0], strerror(errno));
	_exit(127);
}

/* The supervisor: copies the command's stdout into the log, remembers the last
 * line, waits, and publishes the status file by rename (atomic). */
static void supervise(const struct exec_request *r, int lock_fd, int log_fd)
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
	if (ftruncate(lock_fd, 0) == 0)
		write_all(lock_fd, pidbuf, (size_t)n);

	int p[2];
	if (pipe(p) < 0)
		_exit(120);
	pid_t cmd = fork();
	if (cmd < 0)
		_exit(121);
	if (cmd == 0) {
		close(p[0]);
		run_command(r, p[1], log_fd);
	}
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
	int status = 0;
	while (waitpid(cmd, &status, 0) < 0 && errno == EINTR)
		;
	char tmp[4096], final[4096];
	path_of(tmp, sizeof tmp, r->base, ".status.tmp");
	path_of(final, sizeof final, r->base, ".status");
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd >= 0) {
		char head[64];
		int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		int hn = snprintf(head, sizeof head, "%d %d\n", code, sig);
		write_all(fd, head, (size_t)hn);
		if (have_last)
			write_all(fd, last, last_len);
		write_all(fd, "\n", 1);
		close(fd);
		rename(tmp, final);
	}
	_exit(0);
}

pid_t exec_start(const struct exec_request *r, char *err, size_t errlen)
{
	char lock_path[4096], log_path[4096], status_path[4096];
	path_of(lock_path, sizeof lock_path, r->base, ".lock");
	path_of(log_path, sizeof log_path, r->base, ".log");
	path_of(status_path, sizeof status_path, r->base, ".status");
	if (exec_mkdirs_for(lock_path) < 0) {
		snprintf(err, errlen, "cannot create log directory for %s: %s", log_path, strerror(errno));
		return -1;
	}
	int lock_fd = open(lock_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lock_fd < 0) {
		snprintf(err, errlen, "%s: %s", lock_path, strerror(errno));
		return -1;
	}
	/* Held from here until the supervisor exits: the fork shares this open
	 * file description, and we close our descriptor right after forking. */
	if (flock(lock_fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: a supervisor of this try is still alive", lock_path);
		close(lock_fd);
		return -1;
	}
	unlink(status_path);
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
		close_from(5);
		supervise(r, 3, 4);
	}
	close(lock_fd);
	close(log_fd);
	return pid;
}

int exec_read_status(const char *base, struct exec_status *st)
{
	char path[4096];
	path_of(path, sizeof path, base, ".status");
	FILE *f = fopen(path, "re");
	if (!f)
		return errno == ENOENT ? 0 : -1;
	memset(st, 0, sizeof *st);
	int rc = -1;
	if (fscanf(f, "%d %d", &st->exit_code, &st->term_signal) == 2) {
		int c = fgetc(f);	/* the newline after the numbers */
		(void)c;
		char *line = NULL;
		size_t cap = 0;
		ssize_t n = getline(&line, &cap, f);
		if (n > 0 && line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0)
			st->last_line = line;
		else
			free(line);
		rc = 1;
	}
	fclose(f);
	return rc;
}

void exec_status_free(struct exec_status *st)
{
	free(st->last_line);
	st->last_line = NULL;
}

enum exec_probe_result exec_probe(const char *base, pid_t *pid)
{
	char path[4096];
	path_of(path, sizeof path, base, ".lock");
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
