/* local.c: a try's files (see local.h): opening them with the lock taken,
 * the pid line and the exit record, reading them back, probing liveness. */
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

#define LAST_LINE_MAX EXEC_LAST_LINE_MAX

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

void exec_write_all(int fd, const char *p, size_t n)
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

int exec_open_try(const char *base, struct exec_try_files *f, char *err, size_t errlen)
{
	char sup_path[4096], log_path[4096];
	path_of(sup_path, sizeof sup_path, base, ".sup");
	path_of(log_path, sizeof log_path, base, ".log");
	f->sup_fd = f->child_fd = f->log_fd = -1;
	if (exec_mkdirs_for(sup_path) < 0) {
		snprintf(err, errlen, "cannot create log directory for %s: %s", log_path, strerror(errno));
		return -1;
	}
	int sup = open(sup_path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (sup < 0) {
		snprintf(err, errlen, "%s: %s", sup_path, strerror(errno));
		return -1;
	}
	if (flock(sup, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: a process of this try is still alive", sup_path);
		close(sup);
		return -1;
	}
	if (ftruncate(sup, 0) < 0) {	/* no pid nor exit record of an earlier start */
		snprintf(err, errlen, "%s: %s", sup_path, strerror(errno));
		close(sup);
		return -1;
	}
	/* From "nobody holds it" to shared locks on two descriptions: ours, to
	 * write the pid and the exit record, and a read-only one the command
	 * inherits. Any holder makes a probe's exclusive lock fail. */
	int child = open(sup_path, O_RDONLY | O_CLOEXEC);
	if (child < 0 || flock(sup, LOCK_SH) < 0 || flock(child, LOCK_SH | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: %s", sup_path, strerror(errno));
		if (child >= 0)
			close(child);
		close(sup);
		return -1;
	}
	int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log < 0) {
		snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
		close(child);
		close(sup);
		return -1;
	}
	f->sup_fd = sup;
	f->child_fd = child;
	f->log_fd = log;
	return 0;
}

void exec_write_pid(int sup_fd, pid_t pid)
{
	char buf[32];
	int n = snprintf(buf, sizeof buf, "%d\n", (int)pid);
	exec_write_all(sup_fd, buf, (size_t)n);
}

void exec_write_exit(int sup_fd, int wait_status, int64_t started_us, int64_t ended_us, const char *last,
		     size_t last_len)
{
	static char rec[LAST_LINE_MAX + 128];
	int code = WIFEXITED(wait_status) ? WEXITSTATUS(wait_status) : -1;
	int sig = WIFSIGNALED(wait_status) ? WTERMSIG(wait_status) : 0;
	int hn = snprintf(rec, 128, "%d %d %lld %lld\n", code, sig, (long long)started_us, (long long)ended_us);
	size_t n = (size_t)hn;
	if (last) {
		if (last_len > LAST_LINE_MAX)
			last_len = 0;
		memcpy(rec + n, last, last_len);
		n += last_len;
	}
	rec[n++] = '\n';
	exec_write_all(sup_fd, rec, n);	/* one write: whole, or cut short and not taken */
}

int64_t exec_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
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
	if (flock(fd, LOCK_EX | LOCK_NB) < 0)
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
