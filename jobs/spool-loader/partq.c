/* partq.c: the writer thread of partq.h: a bounded FIFO of write and close
 * commands under one mutex, and a pool of buffers that cycle between the
 * filter and the writer. Once a command fails, later writes are skipped and
 * later closes become aborts, so nothing half-written is kept. */
#include "jobs/spool-loader/partq.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define PARTQ_SLOTS 16

struct item {
	int close;
	storage_writer *w;
	char *buf;
	size_t len;
};

struct partq {
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct item items[PARTQ_SLOTS];
	int head, n, busy, quit;
	char **pool;
	size_t npool, nbufs;
	atomic_int failed;
	job_err err;
};

static void *partq_main(void *arg)
{
	partq *q = arg;
	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (!q->n && !q->quit)
			pthread_cond_wait(&q->cv, &q->mu);
		if (!q->n)
			break;
		struct item it = q->items[q->head];
		q->busy = 1;
		int failed = atomic_load(&q->failed);
		pthread_mutex_unlock(&q->mu);
		job_err e = { { 0 } };
		int rc = 0;
		if (it.close) {
			if (failed)
				storage_abort(it.w);
			else
				rc = storage_close(it.w, &e);
		} else if (!failed) {
			rc = storage_write(it.w, it.buf, it.len, &e);
		}
		pthread_mutex_lock(&q->mu);
		if (rc < 0 && !atomic_load(&q->failed)) {
			q->err = e;
			atomic_store(&q->failed, 1);
		}
		if (it.buf)
			q->pool[q->npool++] = it.buf;
		q->head = (q->head + 1) % PARTQ_SLOTS;
		q->n--;
		q->busy = 0;
		pthread_cond_broadcast(&q->cv);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

partq *partq_new(size_t nbufs, size_t bufsize, job_err *e)
{
	partq *q = calloc(1, sizeof *q);
	if (!q || !(q->pool = calloc(nbufs, sizeof *q->pool))) {
		free(q);
		job_err_set(e, "out of memory");
		return NULL;
	}
	q->nbufs = nbufs;
	/* aligned, so full buffers can go to disk with O_DIRECT */
	size_t asize = storage_direct_round(bufsize);
	for (; q->npool < nbufs; q->npool++)
		if (!(q->pool[q->npool] = aligned_alloc(STORAGE_DIRECT_ALIGN, asize)))
			break;
	pthread_mutex_init(&q->mu, NULL);
	pthread_cond_init(&q->cv, NULL);
	if (q->npool < nbufs || pthread_create(&q->th, NULL, partq_main, q) != 0) {
		for (size_t i = 0; i < q->npool; i++)
			free(q->pool[i]);
		free(q->pool);
		pthread_mutex_destroy(&q->mu);
		pthread_cond_destroy(&q->cv);
		free(q);
		job_err_set(e, "cannot start the writer thread");
		return NULL;
	}
	return q;
}

void partq_free(partq *q)
{
	if (!q)
		return;
	pthread_mutex_lock(&q->mu);
	q->quit = 1;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
	pthread_join(q->th, NULL);
	for (size_t i = 0; i < q->npool; i++)
		free(q->pool[i]);
	free(q->pool);
	pthread_mutex_destroy(&q->mu);
	pthread_cond_destroy(&q->cv);
	free(q);
}

char *partq_buffer(partq *q)
{
	pthread_mutex_lock(&q->mu);
	while (!q->npool)
		pthread_cond_wait(&q->cv, &q->mu);
	char *b = q->pool[--q->npool];
	pthread_mutex_unlock(&q->mu);
	return b;
}

static void push(partq *q, struct item it)
{
	pthread_mutex_lock(&q->mu);
	while (q->n == PARTQ_SLOTS)
		pthread_cond_wait(&q->cv, &q->mu);
	q->items[(q->head + q->n) % PARTQ_SLOTS] = it;
	q->n++;
	pthread_cond_broadcast(&q->cv);
	pthread_mutex_unlock(&q->mu);
}

void partq_write(partq *q, storage_writer *w, char *buf, size_t len)
{
	push(q, (struct item){ 0, w, buf, len });
}

void partq_close(partq *q, storage_writer *w)
{
	push(q, (struct item){ 1, w, NULL, 0 });
}

int partq_drain(partq *q, job_err *e)
{
	pthread_mutex_lock(&q->mu);
	while (q->n || q->busy)
		pthread_cond_wait(&q->cv, &q->mu);
	int failed = atomic_load(&q->failed);
	if (failed && e)
		*e = q->err;
	pthread_mutex_unlock(&q->mu);
	return failed ? -1 : 0;
}

int partq_failed(partq *q) { return atomic_load(&q->failed); }
