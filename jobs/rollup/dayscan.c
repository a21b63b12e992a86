/* dayscan.c: the parallel read of a status day (dayscan.h). */
#include "jobs/rollup/dayscan.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jobs/common/records.h"

#define READ_CHUNK (8u << 20)
#define MAX_THREADS 16

struct scan {			/* shared by the threads */
	const char *src_uri, *dir;
	const storage_entry **order;	/* the data files, largest first */
	size_t n;
	atomic_size_t next;
	atomic_int failed;
	atomic_long logged;	/* unparseable lines logged so far, all threads */
	pthread_mutex_t mu;
	job_err e;		/* the first error */
};

struct worker {
	struct scan *sc;
	storage *s;		/* the caller's for the first worker; else opened here */
	agg_table t;
	int64_t records, bad, files;
	const char *file;	/* being read, for messages */
	int64_t lineno;
};

int dayscan_is_data(const storage_entry *f)
{
	return !f->is_dir && f->name[0] != '_' && f->name[0] != '.';
}

static void fail(struct scan *sc, const job_err *e)
{
	pthread_mutex_lock(&sc->mu);
	if (!atomic_load(&sc->failed))
		sc->e = *e;
	atomic_store(&sc->failed, 1);
	pthread_mutex_unlock(&sc->mu);
}

static void scan_line(struct worker *w, const char *line, size_t len)
{
	rec_status r;
	w->lineno++;
	if (agg_parse_fast(line, len, &r) < 0) {
		job_err e;
		if (rec_status_parse(line, len, &r, &e) < 0) {
			w->bad++;
			if (atomic_fetch_add(&w->sc->logged, 1) < DAYSCAN_MAX_LOGGED)
				job_warn("unparseable line skipped", "file=%s line=%lld error=%s", w->file,
					 (long long)w->lineno, e.msg);
			return;
		}
	}
	agg_car *c = agg_table_car(&w->t, r.car_number);
	if (!c) {		/* only on out of memory: the parser checked the number */
		w->bad++;
		return;
	}
	agg_add_record(c, &r);
	w->records++;
}

/* One data file, line by line, in large chunks. */
static int scan_file(struct worker *w, storage *s, const char *path, char *buf, job_err *e)
{
	storage_reader *r = storage_open_read(s, path, e);
	if (!r)
		return -1;
	size_t have = 0;
	int rc = 0;
	for (;;) {
		if (job_stopping()) {
			job_err_set(e, "stopped by signal %d", job_stop_signal());
			rc = -1;
			break;
		}
		if (atomic_load(&w->sc->failed)) {	/* another thread failed: its error is the one */
			rc = 1;
			break;
		}
		long got = storage_read(r, buf + have, READ_CHUNK - have, e);
		if (got < 0) {
			rc = -1;
			break;
		}
		job_result_add("bytes_read", got);
		job_progress_add((uint64_t)got);
		if (got == 0) {
			if (have)
				scan_line(w, buf, have);
			break;
		}
		const char *p = buf, *lim = buf + have + (size_t)got;
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(lim - p));
			if (!nl)
				break;
			scan_line(w, p, (size_t)(nl - p));
			p = nl + 1;
		}
		have = (size_t)(lim - p);
		if (have == READ_CHUNK) {
			/* a line of 8 MiB: not a status record; count it and drop it */
			w->bad++;
			have = 0;
			continue;
		}
		memmove(buf, p, have);
	}
	storage_close_read(r);
	return rc;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	struct scan *sc = w->sc;
	job_err e;
	storage *own = w->s ? NULL : storage_open(sc->src_uri, &e);
	storage *s = w->s ? w->s : own;
	char *buf = s ? malloc(READ_CHUNK) : NULL;
	if (!s || !buf) {
		if (s)
			job_err_set(&e, "out of memory");
		fail(sc, &e);
		goto out;
	}
	for (;;) {
		size_t i = atomic_fetch_add(&sc->next, 1);
		if (i >= sc->n || atomic_load(&sc->failed))
			break;
		char *path = storage_join(sc->dir, sc->order[i]->name);
		w->file = sc->order[i]->name;
		w->lineno = 0;
		int rc = path ? scan_file(w, s, path, buf, &e) : -1;
		if (!path)
			job_err_set(&e, "out of memory");
		else if (rc < 0)
			job_err_prefix(&e, "%s", path);
		free(path);
		if (rc < 0)
			fail(sc, &e);
		if (rc != 0)
			break;
		w->files++;
		job_result_add("files_read", 1);
	}
out:
	free(buf);
	storage_free(own);
	return NULL;
}

static int by_size_desc(const void *a, const void *b)
{
	uint64_t x = (*(const storage_entry *const *)a)->length, y = (*(const storage_entry *const *)b)->length;
	return x < y ? 1 : x > y ? -1 : 0;
}

int dayscan_run(storage *in, const char *src_uri, const char *dir, const storage_entry *files, size_t n,
		int threads, agg_table *into, dayscan_stats *st, job_err *e)
{
	memset(st, 0, sizeof *st);
	struct scan sc = { .src_uri = src_uri, .dir = dir, .order = calloc(n ? n : 1, sizeof *sc.order) };
	if (!sc.order) {
		job_err_set(e, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (dayscan_is_data(&files[i]))
			sc.order[sc.n++] = &files[i];
	qsort(sc.order, sc.n, sizeof *sc.order, by_size_desc);
	pthread_mutex_init(&sc.mu, NULL);
	if (threads <= 0) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);
		threads = cpus > 0 ? (int)cpus : 1;
	}
	if (threads > MAX_THREADS)
		threads = MAX_THREADS;
	if ((size_t)threads > sc.n)
		threads = sc.n ? (int)sc.n : 1;
	struct worker *ws = calloc((size_t)threads, sizeof *ws);
	pthread_t *tids = calloc((size_t)threads, sizeof *tids);
	int started = 0, rc = 0;
	if (!ws || !tids) {
		job_err_set(e, "out of memory");
		rc = -1;
		goto out;
	}
	for (int i = 0; i < threads; i++) {
		ws[i].sc = &sc;
		if (agg_table_init(&ws[i].t, e) < 0) {
			rc = -1;
			goto join;
		}
	}
	/* The first worker runs on this thread, with the caller's storage. */
	ws[0].s = in;
	for (started = 1; started < threads; started++)
		if (pthread_create(&tids[started], NULL, work, &ws[started]) != 0)
			break;
	work(&ws[0]);
join:
	for (int i = 1; i < started; i++)
		pthread_join(tids[i], NULL);
	if (rc == 0 && atomic_load(&sc.failed)) {
		*e = sc.e;
		rc = -1;
	}
	st->threads = started;
	for (int i = 0; i < threads; i++) {
		st->records += ws[i].records;
		st->bad += ws[i].bad;
		st->files += ws[i].files;
		for (size_t k = 0; rc == 0 && k < ws[i].t.n; k++) {
			agg_car *c = agg_table_car(into, ws[i].t.cars[k].car);
			if (!c) {
				job_err_set(e, "out of memory");
				rc = -1;
				break;
			}
			agg_merge(c, &ws[i].t.cars[k]);
		}
		agg_table_free(&ws[i].t);
	}
out:
	free(ws);
	free(tids);
	free(sc.order);
	pthread_mutex_destroy(&sc.mu);
	return rc;
}
