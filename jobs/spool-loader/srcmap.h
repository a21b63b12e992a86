/* srcmap.h: a spool source read through mmap. The filter and the checksum
 * (in two threads) read the page cache in place instead of copying the file
 * out of it with read(2). The one hazard of a mapping, a file truncated while
 * it is mapped (SIGBUS on the lost pages), becomes an error of the load
 * instead of a crash: see srcmap_run. */
#ifndef SPOOL_SRCMAP_H
#define SPOOL_SRCMAP_H

#include <stddef.h>

#include "jobs/common/job.h"

typedef struct srcmap {
	int fd;
	const char *data;	/* size bytes ("" when empty) */
	size_t size;		/* the file's size when it was opened */
	size_t maplen;		/* 0: nothing mapped */
} srcmap;

/* Opens and maps path read-only (sequential access advised). */
int srcmap_open(srcmap *m, const char *path, job_err *e);
void srcmap_close(srcmap *m);

#define SRCMAP_FAULT (-2)
/* Runs fn(arg) in the calling thread and returns its result, or SRCMAP_FAULT
 * if it touched a mapped page that is no longer backed by the file (the file
 * shrank). fn is then abandoned where it was: it must not hold locks or
 * half-update shared state while it reads the mapping. */
int srcmap_run(int (*fn)(void *arg), void *arg);

#endif
