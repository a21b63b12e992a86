/* storage_impl.h: what storage.c shares with its backends (storage_local.c,
 * storage_webhdfs.c): the operation table each backend fills. Internal. */
#ifndef JOB_STORAGE_IMPL_H
#define JOB_STORAGE_IMPL_H

#include "jobs/common/storage.h"

struct storage_ops {
	int (*mkdirs)(storage *s, const char *path, job_err *e);
	int (*stat)(storage *s, const char *path, storage_stat *st, job_err *e);
	int (*list)(storage *s, const char *path, storage_entry **out, size_t *n, job_err *e);
	int (*rename)(storage *s, const char *src, const char *dst, job_err *e);
	int (*del)(storage *s, const char *path, int recursive, job_err *e);
	/* writers: begin, flush a piece (first=1 for the first), finish */
	int (*create)(storage_writer *w, job_err *e);
	int (*put)(storage_writer *w, const void *data, size_t len, job_err *e);
	int (*finish)(storage_writer *w, job_err *e);
	void (*abort)(storage_writer *w);
	int (*append)(storage *s, const char *path, const void *data, size_t len, job_err *e);
	int (*open_read)(storage_reader *r, job_err *e);
	long (*read)(storage_reader *r, void *buf, size_t len, job_err *e);
	void (*close_read)(storage_reader *r);
	void (*free)(storage *s);
};

struct storage {
	const struct storage_ops *ops;
	storage_uri uri;
	char *described;
	void *impl;
};

struct storage_writer {
	storage *s;
	char *path;
	int overwrite;
	char *buf;
	size_t len, cap;
	uint64_t written;	/* bytes handed to the backend */
	int fd;			/* local */
	unsigned flags;		/* STORAGE_DIRECT, ... */
	int direct;		/* local: fd is O_DIRECT now */
	int created;		/* webhdfs: the file exists remotely */
};

struct storage_reader {
	storage *s;
	char *path;
	int fd;
	uint64_t offset, length;
	char *buf;		/* webhdfs: current piece */
	size_t blen, bpos;
};

extern const struct storage_ops storage_local_ops;
extern const struct storage_ops storage_webhdfs_ops;
int storage_webhdfs_init(storage *s, job_err *e);

#endif
