/* loggen.c: the smart car log generator's front (options, files, threads).
 *   loggen status --date D --cars N [--seed S] --out DIR [--threads T] [--garbage-ratio R]
 *   loggen driver --date D --cars N [--seed S] --out FILE [--realtime [--speedup X]] [--garbage-ratio R]
 * The status day is built car by car in parallel (each car's bytes depend only
 * on seed, date and car), written in car order into a hidden file that is
 * renamed when complete, so a spool reader never sees half a file. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "jobs/common/job.h"
#include "jobs/loggen/gen.h"
#include "jobs/loggen/loggen_opts.h"
#include "lib/options.h"

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/* ---- status: parallel by car, written in car order ---------------------- */

struct batch {
	const struct loggen_opts *o;
	int first, count;		/* cars [first, first+count) */
	char **bufs;
	size_t *lens;
	uint64_t *garbage;
	int next;			/* next car index to take (under mu) */
	pthread_mutex_t mu;
};

static void *status_worker(void *arg)
{
	struct batch *b = arg;
	for (;;) {
		pthread_mutex_lock(&b->mu);
		int i = b->next++;
		pthread_mutex_unlock(&b->mu);
		if (i >= b->count)
			return NULL;
		b->lens[i] = gen_status_car(b->o->seed, b->o->date, b->first + i, b->o->garbage, b->bufs[i],
					    &b->garbage[i]);
	}
}

static int run_status(const struct loggen_opts *o)
{
	char path[4096], tmp[4096];
	snprintf(path, sizeof path, "%s/SmartCarStatusInfo_%s.txt", o->out, o->date);
	snprintf(tmp, sizeof tmp, "%s/.SmartCarStatusInfo_%s.txt.tmp", o->out, o->date);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0) {
		job_error("cannot create output", "file=%s error=%s", tmp, strerror(errno));
		return JOB_EXIT_FAILED;
	}
	int per_batch = o->threads * 2;
	struct batch b = { .o = o };
	pthread_mutex_init(&b.mu, NULL);
	b.bufs = calloc((size_t)per_batch, sizeof *b.bufs);
	b.lens = calloc((size_t)per_batch, sizeof *b.lens);
	b.garbage = calloc((size_t)per_batch, sizeof *b.garbage);
	size_t cap = gen_status_car_max(o->garbage);
	int rc = JOB_EXIT_OK;
	for (int i = 0; b.bufs && i < per_batch; i++)
		if (!(b.bufs[i] = malloc(cap)))
			rc = JOB_EXIT_FAILED;
	if (!b.bufs || !b.lens || !b.garbage || rc) {
		job_error("out of memory", NULL);
		rc = JOB_EXIT_FAILED;
		goto out;
	}
	job_progress_start("status", (uint64_t)o->cars, "cars");
	uint64_t bytes = 0, garbage = 0;
	for (int first = 1; first <= o->cars; first += per_batch) {
		if (job_stopping()) {
			job_warn("stopped before the day was complete; no file published", "signal=%d",
				 job_stop_signal());
			rc = JOB_EXIT_FAILED;
			goto out;
		}
		b.first = first;
		b.count = o->cars - first + 1 < per_batch ? o->cars - first + 1 : per_batch;
		b.next = 0;
		pthread_t th[64];
		int nt = o->threads < b.count ? o->threads : b.count;
		for (int t = 1; t < nt; t++)
			pthread_create(&th[t], NULL, status_worker, &b);
		status_worker(&b);
		for (int t = 1; t < nt; t++)
			pthread_join(th[t], NULL);
		uint64_t batch_bytes = 0;
		for (int i = 0; i < b.count; i++)
			batch_bytes += b.lens[i];
		for (int i = 0; i < b.count; i++) {
			if (write_all(fd, b.bufs[i], b.lens[i]) < 0) {
				job_error("write failed", "file=%s error=%s", tmp, strerror(errno));
				rc = JOB_EXIT_FAILED;
				goto out;
			}
			bytes += b.lens[i];
			garbage += b.garbage[i];
		}
		/* start write-back now so the final fsync has little left */
		sync_file_range(fd, (off_t)(bytes - batch_bytes), (off_t)batch_bytes, SYNC_FILE_RANGE_WRITE);
		job_progress_add((uint64_t)b.count);
	}
	job_progress_finish();
	if (fsync(fd) < 0 || close(fd) < 0) {
		fd = -1;
		job_error("cannot flush output", "file=%s error=%s", tmp, strerror(errno));
		rc = JOB_EXIT_FAILED;
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		job_error("cannot publish output", "file=%s error=%s", path, strerror(errno));
		rc = JOB_EXIT_FAILED;
		goto out;
	}
	int dfd = open(o->out, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	job_info("status log written", "file=%s cars=%d records=%llu garbage=%llu bytes=%llu", path, o->cars,
		 (unsigned long long)o->cars * GEN_STATUS_PER_CAR, (unsigned long long)garbage,
		 (unsigned long long)bytes);
	job_result_set_int("records_written", (int64_t)o->cars * GEN_STATUS_PER_CAR);
	job_result_set_int("garbage_written", (int64_t)garbage);
	job_result_set_int("bytes", (int64_t)bytes);
	job_result_set_str("file", path);
out:
	if (fd >= 0) {
		close(fd);
		unlink(tmp);
	}
	for (int i = 0; b.bufs && i < per_batch; i++)
		free(b.bufs[i]);
	free(b.bufs);
	free(b.lens);
	free(b.garbage);
	pthread_mutex_destroy(&b.mu);
	return rc;
}

/* ---- driver -------------------------------------------------------------- */

static int run_driver(const struct loggen_opts *o)
{
	gen_driver *cars = calloc((size_t)o->cars, sizeof *cars);
	size_t cap = (size_t)o->cars * 256 + 1;
	char *buf = malloc(cap > (1 << 20) ? cap : (1 << 20));
	if (!cars || !buf) {
		free(cars);
		free(buf);
		job_error("out of memory", NULL);
		return JOB_EXIT_FAILED;
	}
	cap = cap > (1 << 20) ? cap : (1 << 20);
	for (int c = 0; c < o->cars; c++)
		gen_driver_init(&cars[c], o->seed, c + 1);
	char tmp[4096];
	int fd;
	if (o->realtime) {
		fd = open(o->out, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		tmp[0] = 0;
	} else {
		const char *slash = strrchr(o->out, '/');
		if (slash)
			snprintf(tmp, sizeof tmp, "%.*s/.%s.tmp", (int)(slash - o->out), o->out, slash + 1);
		else
			snprintf(tmp, sizeof tmp, ".%s.tmp", o->out);
		fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	}
	if (fd < 0) {
		job_error("cannot open output", "file=%s error=%s", o->realtime ? o->out : tmp, strerror(errno));
		free(cars);
		free(buf);
		return JOB_EXIT_FAILED;
	}
	uint64_t records = 0, garbage = 0, bytes = 0;
	int rc = JOB_EXIT_OK;
	size_t len = 0;
	struct timespec start;
	clock_gettime(CLOCK_MONOTONIC, &start);
	job_progress_start("driver", GEN_DRIVER_PER_CAR, "steps");
	int step;
	for (step = 0; step < GEN_DRIVER_PER_CAR && !job_stopping(); step++) {
		char ts[15];
		gen_timestamp(o->date, step * 2, ts);
		if (o->realtime) {
			/* simulated second s is due at wall start + s / speedup */
			double due = step * 2 / o->speedup;
			struct timespec t = start;
			long long ns = (long long)(due * 1e9) + t.tv_nsec;
			t.tv_sec += ns / 1000000000LL;
			t.tv_nsec = ns % 1000000000LL;
			while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR && !job_stopping())
				;
			if (job_stopping())
				break;
		}
		for (int c = 0; c < o->cars; c++)
			len += gen_driver_record(&cars[c], ts, o->garbage, buf + len, &garbage);
		records += (uint64_t)o->cars;
		/* realtime: one write per round of whole lines, so a follower never
		 * sees half a line; batch: big writes */
		if (o->realtime || len + (size_t)o->cars * 256 > cap) {
			if (write_all(fd, buf, len) < 0) {
				job_error("write failed", "file=%s error=%s", o->out, strerror(errno));
				rc = JOB_EXIT_FAILED;
				break;
			}
			bytes += len;
			len = 0;
		}
		job_progress_set((uint64_t)step + 1);
	}
	if (rc == JOB_EXIT_OK && len) {
		if (write_all(fd, buf, len) < 0) {
			job_error("write failed", "file=%s error=%s", o->out, strerror(errno));
			rc = JOB_EXIT_FAILED;
		}
		bytes += len;
	}
	job_progress_finish();
	if (rc == JOB_EXIT_OK && !o->realtime) {
		if (job_stopping()) {
			job_warn("stopped before the day was complete; no file published", "signal=%d",
				 job_stop_signal());
			rc = JOB_EXIT_FAILED;
		} else if (fsync(fd) < 0 || rename(tmp, o->out) < 0) {
			job_error("cannot publish output", "file=%s error=%s", o->out, strerror(errno));
			rc = JOB_EXIT_FAILED;
		}
	}
	close(fd);
	if (rc != JOB_EXIT_OK && !o->realtime)
		unlink(tmp);
	if (rc == JOB_EXIT_OK)	/* a failure said why already; nothing was written */
		job_info(o->realtime ? "driver log appended" : "driver log written",
			 "file=%s records=%llu garbage=%llu bytes=%llu last_step=%d", o->out,
			 (unsigned long long)records, (unsigned long long)garbage, (unsigned long long)bytes, step);
	job_result_set_int("records_written", (int64_t)records);
	job_result_set_int("garbage_written", (int64_t)garbage);
	job_result_set_int("bytes", (int64_t)bytes);
	free(cars);
	free(buf);
	return rc;
}

int main(int argc, char **argv)
{
	job_init("loggen", argc, argv);
	long nproc = sysconf(_SC_NPROCESSORS_ONLN);
	struct loggen_opts o;
	job_err e;
	int orc = loggen_opts_parse(argc, argv, nproc > 0 ? (int)(nproc > 64 ? 64 : nproc) : 1, &o, &e);
	if (orc == OPTS_HELP) {
		loggen_opts_help(stdout);
		return JOB_EXIT_OK;
	}
	if (orc != OPTS_OK) {
		job_error("usage", "error=%s", e.msg);
		return JOB_EXIT_USAGE;
	}
	int is_status = strcmp(o.mode, "status") == 0;
	struct stat st;
	if (is_status && (stat(o.out, &st) < 0 || !S_ISDIR(st.st_mode))) {
		job_error("--out: not a directory", "dir=%s", o.out);
		return JOB_EXIT_USAGE;
	}
	if (!is_status && stat(o.out, &st) == 0 && S_ISDIR(st.st_mode)) {
		job_error("--out: is a directory (loggen driver writes one file)", "file=%s", o.out);
		return JOB_EXIT_USAGE;
	}
	job_info("start", "mode=%s date=%s cars=%d seed=%llu threads=%d garbage_ratio=%g", o.mode, o.date, o.cars,
		 (unsigned long long)o.seed, o.threads, o.garbage);
	int rc = is_status ? run_status(&o) : run_driver(&o);
	job_result_print();
	return rc;
}
