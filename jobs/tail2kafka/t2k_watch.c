/* t2k_watch.c: inotify wake-ups for tail2kafka at end of file (t2k_watch.h).
 * Two watches: the directory (rotation: the path's entry created, renamed or
 * removed; also a file that does not exist yet) and the inode the path names
 * now (appends, truncation). The file watch is renewed before every wait, so
 * after a rotation it moves to the new file; the old file's watch is dropped
 * then (watches are a per-user resource). A wait that had to add a watch
 * returns at once: a write between the caller's last read and the new watch
 * left no event, so the caller must read again. Events of other entries of the
 * directory (a busy /var/log) are read and ignored. */
#include "jobs/tail2kafka/t2k_watch.h"

#include "jobs/common/job.h"

#include <errno.h>
#include <libgen.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <time.h>
#include <unistd.h>

#define DIR_EVENTS (IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR)
#define FILE_EVENTS (IN_MODIFY | IN_ATTRIB | IN_CLOSE_WRITE | IN_MOVE_SELF | IN_DELETE_SELF)


/* Renews the watches; 1 if one was added (the path names another file, or
 * the directory appeared): what changed before it was in place sent no event. */
static int rewatch(struct t2k_watch *w)
{
	int added = 0;
	if (w->wd_dir < 0 && (w->wd_dir = inotify_add_watch(w->fd, w->dir, DIR_EVENTS)) >= 0)
		added = 1;
	int wd = inotify_add_watch(w->fd, w->path, FILE_EVENTS);
	if (wd < 0 || wd == w->wd_file)
		return added;	/* no file at the path now: keep watching the old one */
	if (w->wd_file >= 0 && w->wd_file != w->wd_dir)
		inotify_rm_watch(w->fd, w->wd_file);
	w->wd_file = wd;
	return 1;
}

int t2k_watch_open(struct t2k_watch *w, const char *path)
{
	char *a = strdup(path), *b = strdup(path);
	*w = (struct t2k_watch){.fd = -1, .wd_dir = -1, .wd_file = -1};
	w->path = strdup(path);
	if (a && b && w->path) {
		w->dir = strdup(dirname(a));
		w->name = strdup(basename(b));
	}
	free(a);
	free(b);
	if (!w->dir || !w->name)
		return -1;
	w->fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (w->fd < 0)
		return -1;
	rewatch(w);
	return 0;
}

void t2k_watch_close(struct t2k_watch *w)
{
	if (w->fd >= 0)
		close(w->fd);
	free(w->path);
	free(w->dir);
	free(w->name);
	*w = (struct t2k_watch){.fd = -1, .wd_dir = -1, .wd_file = -1};
}

/* Reads every queued event; 1 if one concerns the path. */
static int drain(struct t2k_watch *w)
{
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));
	int relevant = 0;
	ssize_t n;
	while ((n = read(w->fd, buf, sizeof buf)) > 0) {
		for (char *p = buf; p < buf + n;) {
			const struct inotify_event *e = (const struct inotify_event *)p;
			if (e->wd != w->wd_dir || (e->mask & IN_Q_OVERFLOW) || (e->len && !strcmp(e->name, w->name)))
				relevant = 1;
			p += sizeof *e + e->len;
		}
	}
	return relevant;
}

int t2k_watch_wait(struct t2k_watch *w, int timeout_ms)
{
	if (w->fd < 0) {
		poll(NULL, 0, timeout_ms);
		return 0;
	}
	if (rewatch(w)) {	/* a new watch: the caller reads once more instead */
		drain(w);
		return 1;
	}
	int64_t deadline = job_mono_ms() + timeout_ms;
	for (;;) {
		int64_t left = deadline - job_mono_ms();
		struct pollfd p = {.fd = w->fd, .events = POLLIN};
		int r = poll(&p, 1, left > 0 ? (int)left : 0);
		if (r < 0 && errno != EINTR)
			return 0;
		if (r > 0 && drain(w))
			return 1;
		if (r < 0 || left <= 0)
			return 0;	/* EINTR (a stop signal) or the timeout */
	}
}
