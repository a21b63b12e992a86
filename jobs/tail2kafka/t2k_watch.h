/* t2k_watch.h: how tail2kafka sleeps at end of file. It wakes as soon as the
 * followed path may have changed (inotify: data appended, the file replaced,
 * created or removed), and at the latest after a timeout, because the stat()
 * checks of the caller stay the truth: inotify misses writes made through a
 * network file system, and a watch can fail (limits, no directory yet).
 * Without inotify every wait is a plain sleep of the timeout. */
#ifndef T2K_WATCH_H
#define T2K_WATCH_H

struct t2k_watch {
	int fd;		/* inotify descriptor, -1 when not available */
	int wd_dir;	/* the directory of path: entries created, renamed, removed */
	int wd_file;	/* the file path names now (its inode): modified, moved, deleted */
	char *path, *dir, *name;
};

/* Watches path, which need not exist yet. 0, or -1 when inotify cannot be
 * used (then t2k_watch_wait only sleeps). */
int t2k_watch_open(struct t2k_watch *w, const char *path);
void t2k_watch_close(struct t2k_watch *w);
/* Waits until a change of the path's file or directory entry, or timeout_ms.
 * Events queued since the last wait count, so a change between the caller's
 * last read and this call is not missed; when the path names a file not yet
 * watched, it is watched from now on and the call returns 1 at once (the
 * caller reads again). Returns 1 woken (an event or a new watch), 0 timed out
 * (or no inotify). */
int t2k_watch_wait(struct t2k_watch *w, int timeout_ms);

#endif
