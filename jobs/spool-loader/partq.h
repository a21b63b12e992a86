/* partq.h: a writer thread for spool-loader's part files, so filtering the
 * next block overlaps writing (and fsyncing) the previous one. The caller
 * fills buffers taken from the queue's pool and submits them in order with
 * the writer they belong to; closing a part is queued the same way. Errors
 * are sticky and reported by partq_drain. */
#ifndef SPOOL_PARTQ_H
#define SPOOL_PARTQ_H

#include <stddef.h>

#include "jobs/common/job.h"
#include "jobs/common/storage.h"

typedef struct partq partq;

/* nbufs buffers of bufsize bytes, aligned to STORAGE_DIRECT_ALIGN. */
partq *partq_new(size_t nbufs, size_t bufsize, job_err *e);
/* Stops the thread (after the queued work) and frees everything. */
void partq_free(partq *q);
/* A free buffer (waits for one). */
char *partq_buffer(partq *q);
/* Queues buf[0..len) for w; buf goes back to the pool once written. */
void partq_write(partq *q, storage_writer *w, char *buf, size_t len);
/* Queues storage_close(w) (or storage_abort after an error). */
void partq_close(partq *q, storage_writer *w);
/* Waits until everything queued is done; -1 with e if anything failed. */
int partq_drain(partq *q, job_err *e);
/* Nonzero once something failed (cheap; for hot loops). */
int partq_failed(partq *q);

#endif
