/* storage_local.c: the local-file backend of storage.h. Durability: a file
 * is fsync'd before storage_close returns, and every rename, create or delete
 * fsyncs the parent directory, so after a crash a name either points at
 * complete data or does not exist. Renames use RENAME_NOREPLACE to match
 * HDFS, where a rename never replaces its target. A STORAGE_DIRECT writer
 * sends its aligned pieces with O_DIRECT (no page-cache copy, nothing left
 * for the write-back) and the rest through the cache; its fsync at close is
 * the same. */
#include "jobs/common/storage_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void fsync_parent(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return;
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

static int local_mkdirs(storage *s, const char *path, job_err *e)
{
	(void)s;
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1;; p++) {
		if (*p == '/' || *p == 0) {
			char c = *p;
			*p = 0;
			if (mkdir(buf, 0755) < 0 && errno != EEXIST) {
				job_err_set(e, "mkdir %s: %s", buf, strerror(errno));
				return -1;
			}
			struct stat st;
			if (stat(buf, &st) < 0 || !S_ISDIR(st.st_mode)) {
				job_err_set(e, "mkdir %s: exists and is not a directory", buf);
				return -1;
			}
			*p = c;
			if (!c)
				break;
		}
	}
	fsync_parent(path);
	return 0;
}

static int local_stat(storage *s, const char *path, storage_stat *st, job_err *e)
{
	(void)s;
	struct stat sb;
	memset(st, 0, sizeof *st);
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 0;
		job_err_set(e, "stat %s: %s", path, strerror(errno));
		return -1;
	}
	st->exists = 1;
	st->is_dir = S_ISDIR(sb.st_mode);
	st->length = st->is_dir ? 0 : (uint64_t)sb.st_size;
	st->mtime_ms = (int64_t)sb.st_mtim.tv_sec * 1000 + sb.st_mtim.tv_nsec / 1000000;
	return 0;
}

static int local_list(storage *s, const char *path, storage_entry **out, size_t *n, job_err *e)
{
	(void)s;
	DIR *d = opendir(path);
	if (!d) {
		job_err_set(e, "list %s: %s", path, strerror(errno));
		return -1;
	}
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 32;
			storage_entry *p = realloc(*out, cap * sizeof *p);
			if (!p)
				goto oom;
			*out = p;
		}
		char *full = storage_join(path, de->d_name);
		struct stat sb;
		int ok = full && stat(full, &sb) == 0;
		free(full);
		if (!ok)
			continue;	/* vanished meanwhile */
		storage_entry *en = &(*out)[*n];
		en->name = strdup(de->d_name);
		if (!en->name)
			goto oom;
		en->is_dir = S_ISDIR(sb.st_mode);
		en->length = en->is_dir ? 0 : (uint64_t)sb.st_size;
		(*n)++;
	}
	closedir(d);
	return 0;
oom:
	closedir(d);
	storage_list_free(*out, *n);
	*out = NULL;
	*n = 0;
	job_err_set(e, "out of memory");
	return -1;
}

static int local_rename(storage *s, const char *src, const char *dst, job_err *e)
{
	(void)s;
	if (renameat2(AT_FDCWD, src, AT_FDCWD, dst, RENAME_NOREPLACE) < 0) {
		job_err_set(e, "rename %s -> %s: %s", src, dst, strerror(errno));
		return -1;
	}
	fsync_parent(dst);
	fsync_parent(src);
	return 0;
}

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	return (flag == FTW_DP ? rmdir(p) : unlink(p)) < 0 && errno != ENOENT ? -1 : 0;
}

static int local_delete(storage *s, const char *path, int recursive, job_err *e)
{
	(void)s;
	struct stat sb;
	if (lstat(path, &sb) < 0)
		return errno == ENOENT ? 0 : (job_err_set(e, "delete %s: %s", path, strerror(errno)), -1);
	int rc;
	if (S_ISDIR(sb.st_mode))
		rc = recursive ? nftw(path, rm_one, 32, FTW_DEPTH | FTW_PHYS) : rmdir(path);
	else
		rc = unlink(path);
	if (rc < 0) {
		job_err_set(e, "delete %s: %s", path, strerror(errno));
		return -1;
	}
	fsync_parent(path);
	return 0;
}

static int local_create(storage_writer *w, job_err *e)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (w->overwrite ? O_TRUNC : O_EXCL);
	w->fd = -1;
	if (w->flags & STORAGE_DIRECT) {
		w->fd = open(w->path, flags | O_DIRECT, 0644);
		w->direct = w->fd >= 0;
		if (w->fd < 0 && errno != EINVAL)	/* EINVAL: no O_DIRECT here (tmpfs...) */
			goto fail;
	}
	if (w->fd < 0)
		w->fd = open(w->path, flags, 0644);
	if (w->fd >= 0)
		return 0;
fail:
	job_err_set(e, "create %s: %s", w->path, strerror(errno));
	return -1;
}

/* From here on through the page cache: O_DIRECT needs aligned pieces. */
static void local_undirect(storage_writer *w)
{
	int fl = fcntl(w->fd, F_GETFL);
	if (fl >= 0)
		fcntl(w->fd, F_SETFL, fl & ~O_DIRECT);
	w->direct = 0;
}

static int local_write_all(storage_writer *w, const char *p, size_t len, job_err *e)
{
	while (len) {
		ssize_t n = write(w->fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EINVAL && w->direct) {
			local_undirect(w);	/* the file system wants another alignment */
			continue;
		}
		if (n < 0) {
			job_err_set(e, "write %s: %s", w->path, strerror(errno));
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int local_put(storage_writer *w, const void *data, size_t len, job_err *e)
{
	const char *p = data;
	if (w->direct) {
		/* w->written is the file offset of this piece */
		size_t a = len / STORAGE_DIRECT_ALIGN * STORAGE_DIRECT_ALIGN;
		if (w->written % STORAGE_DIRECT_ALIGN || (uintptr_t)p % STORAGE_DIRECT_ALIGN)
			a = 0;
		if (a && local_write_all(w, p, a, e) < 0)
			return -1;
		p += a;
		len -= a;
		if (!len)
			return 0;
		local_undirect(w);
	}
	size_t total = len;
	if (local_write_all(w, p, len, e) < 0)
		return -1;
	/* start the write-back of this piece now, so the fsync at close has
	 * little left to wait for (loads overlap disk writes with filtering) */
	if (total >= (1u << 20)) {
		off_t end = lseek(w->fd, 0, SEEK_CUR);
		if (end > 0)
			sync_file_range(w->fd, end - (off_t)total, (off_t)total, SYNC_FILE_RANGE_WRITE);
	}
	return 0;
}

static int local_finish(storage_writer *w, job_err *e)
{
	/* also after O_DIRECT writes: they leave the block allocation, the size
	 * and the disk's write cache to this fsync */
	if (fsync(w->fd) < 0) {
		job_err_set(e, "fsync %s: %s", w->path, strerror(errno));
		close(w->fd);
		return -1;
	}
	if (close(w->fd) < 0) {
		job_err_set(e, "close %s: %s", w->path, strerror(errno));
		return -1;
	}
	fsync_parent(w->path);
	return 0;
}

static void local_abort(storage_writer *w)
{
	if (w->fd >= 0)
		close(w->fd);
	unlink(w->path);
}

static int local_append(storage *s, const char *path, const void *data, size_t len, job_err *e)
{
	(void)s;
	storage_writer w = { .fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC), .path = (char *)path };
	if (w.fd < 0) {
		job_err_set(e, "append %s: %s", path, strerror(errno));
		return -1;
	}
	if (local_put(&w, data, len, e) < 0) {
		close(w.fd);
		return -1;
	}
	return local_finish(&w, e);
}

static int local_open_read(storage_reader *r, job_err *e)
{
	r->fd = open(r->path, O_RDONLY | O_CLOEXEC);
	if (r->fd < 0) {
		job_err_set(e, "open %s: %s", r->path, strerror(errno));
		return -1;
	}
	return 0;
}

static long local_read(storage_reader *r, void *buf, size_t len, job_err *e)
{
	for (;;) {
		ssize_t n = read(r->fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			job_err_set(e, "read %s: %s", r->path, strerror(errno));
			return -1;
		}
		return (long)n;
	}
}

static void local_close_read(storage_reader *r)
{
	if (r->fd >= 0)
		close(r->fd);
}

const struct storage_ops storage_local_ops = {
	.mkdirs = local_mkdirs,
	.stat = local_stat,
	.list = local_list,
	.rename = local_rename,
	.del = local_delete,
	.create = local_create,
	.put = local_put,
	.finish = local_finish,
	.abort = local_abort,
	.append = local_append,
	.open_read = local_open_read,
	.read = local_read,
	.close_read = local_close_read,
	.free = NULL,
};
