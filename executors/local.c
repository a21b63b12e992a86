/* local.c: a try's files (see local.h): the log opened with the lock taken,
 * the .sup record (pid line, exit record), reading them back, probing. */
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

int exec_write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
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
	f->log_fd = f->child_fd = -1;
	if (exec_mkdirs_for(log_path) < 0) {
		snprintf(err, errlen, "cannot create log directory for %s: %s", log_path, strerror(errno));
		return -1;
	}
	int log = open(log_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (log < 0) {
		snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
		return -1;
	}
	if (flock(log, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: a process of this try is still alive", log_path);
		close(log);
		return -1;
	}
	/* An exit record of an earlier start of this try number (one the daemon
	 * gave back as never started) must not be taken for this one's. */
	if (unlink(sup_path) < 0 && errno != ENOENT) {
		snprintf(err, errlen, "%s: %s", sup_path, strerror(errno));
		close(log);
		return -1;
	}
	/* From "nobody holds it" to shared locks on two descriptions: ours, and a
	 * read-only one the command inherits. Any holder makes a probe's
	 * exclusive lock fail. */
	int child = open(log_path, O_RDONLY | O_CLOEXEC);
	if (child < 0 || flock(log, LOCK_SH) < 0 || flock(child, LOCK_SH | LOCK_NB) < 0) {
		snprintf(err, errlen, "%s: %s", log_path, strerror(errno));
		if (child >= 0)
			close(child);
		close(log);
		return -1;
	}
	f->log_fd = log;
	f->child_fd = child;
	return 0;
}

size_t exec_format_record(char *buf, const struct exec_status *st)
{
	int n = snprintf(buf, 128, "%d %d %lld %lld\n", st->exit_code, st->term_signal, (long long)st->started_us,
			 (long long)st->ended_us);
	size_t len = (size_t)n;
	size_t ll = st->last_line ? strlen(st->last_line) : 0;
	if (ll > LAST_LINE_MAX)
		ll = 0;
	memcpy(buf + len, st->last_line ? st->last_line : "", ll);
	len += ll;
	buf[len++] = '\n';
	return len;
}

int exec_write_sup(const char *base, pid_t pid, const struct exec_status *rec)
{
	char path[4096];
	path_of(path, sizeof path, base, ".sup");
	/* The pid line once (truncating), the record appended later: each in one
	 * write, so a reader sees whole lines or a record cut short. */
	int fd = rec && pid <= 0 ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
				 : open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	static char buf[LAST_LINE_MAX + 160];
	size_t n = 0;
	if (pid > 0)
		n = (size_t)snprintf(buf, 32, "%d\n", (int)pid);
	if (rec)
		n += exec_format_record(buf + n, rec);
	exec_write_all(fd, buf, n);
	close(fd);
	return 0;
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
	*pid = 0;
	path_of(path, sizeof path, base, ".sup");
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		char buf[32] = { 0 };
		ssize_t n = read(fd, buf, sizeof buf - 1);
		if (n > 0)
			*pid = (pid_t)atoi(buf);
		close(fd);
	}
	path_of(path, sizeof path, base, ".log");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return EXEC_NEVER_STARTED;
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
