/* wake.c: the daemon's doorbell FIFO (wake.h). */
#include "scheduler/wake.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int wake_path(const char *state_path, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s.wake", state_path);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

int wake_listen(const char *state_path, char *err, size_t errlen)
{
	char path[4096];
	if (wake_path(state_path, path, sizeof path) < 0) {
		snprintf(err, errlen, "the state path is too long for its .wake FIFO (%zu bytes)", strlen(state_path));
		return -1;
	}
	if (mkfifo(path, 0666) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create the FIFO: %s", path, strerror(errno));
		return -1;
	}
	/* O_RDWR: Linux opens a FIFO so without waiting for a writer, and we
	 * being a writer ourselves, poll() never reports a hang-up. */
	int fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	struct stat st;
	if (fstat(fd, &st) < 0 || !S_ISFIFO(st.st_mode)) {
		snprintf(err, errlen, "%s: exists and is not a FIFO", path);
		close(fd);
		return -1;
	}
	return fd;
}

void wake_drain(int fd)
{
	char buf[512];
	while (read(fd, buf, sizeof buf) > 0)
		;
}

int wake_daemon(const char *state_path)
{
	char path[4096];
	if (wake_path(state_path, path, sizeof path) < 0)
		return -1;
	/* O_NONBLOCK: ENXIO at once when no process has it open for reading. */
	int fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return errno == ENXIO || errno == ENOENT ? 0 : -1;
	struct stat st;
	int rc = -1;
	if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode)) {
		ssize_t w = write(fd, "!", 1);
		rc = w == 1 || (w < 0 && errno == EAGAIN) ? 1 : -1;	/* EAGAIN: full of rings already */
	}
	close(fd);
	return rc;
}
