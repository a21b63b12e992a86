/* spool_loader.c: Flume's spooldir source + regex filter + HDFS sink as one
 * program: complete files of a spool directory are filtered into the date
 * partition <dest>/wrk_date=D/car-batch-log.<n>.log, exactly once.
 *
 * Why it is exactly once, whatever the moment it dies:
 *  - a batch's parts are written under P/_tmp.<run>/ (Hive skips '_' names);
 *  - the commit point is publishing a new manifest _MANIFEST.<seq+1> (written
 *    aside, then renamed; never overwriting), which lists every source and
 *    part of the partition and names the staging directory of the batch;
 *  - after the commit the parts are renamed into P; a run that finds a
 *    manifest whose parts still sit in its staging directory finishes those
 *    renames (roll forward); any other staging directory is uncommitted and
 *    is deleted (roll back);
 *  - a source is deleted or renamed .COMPLETED only after the commit; a source
 *    already in the manifest (same name, size and checksum) is not loaded
 *    again, only finished.
 * --replace builds a whole new partition beside the old one
 * (<dest>/_tmp_wrk_date=D.<run>) and swaps it in with two renames, the old
 * one parked as _old_wrk_date=D.<run>; a run that finds a parked partition
 * completes or undoes the swap first. That protocol, shared with rollup, is
 * jobs/common/publish.c; every run starts with its recovery. */
#include <dirent.h>
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
#include "jobs/common/publish.h"
#include "jobs/common/storage.h"
#include "jobs/spool-loader/filter.h"
#include "jobs/spool-loader/load.h"
#include "jobs/spool-loader/manifest.h"
#include "jobs/spool-loader/partq.h"
#include "jobs/spool-loader/spool_opts.h"
#include "jobs/spool-loader/srcmap.h"
#include "lib/options.h"

/* ---- spool directory ----------------------------------------------------- */

static int name_is_candidate(const char *n)
{
	size_t l = strlen(n);
	if (n[0] == '.' || n[0] == '_')
		return 0;
	static const char *skip[] = { ".COMPLETED", ".tmp", ".rejects" };
	for (int i = 0; i < 3; i++) {
		size_t sl = strlen(skip[i]);
		if (l >= sl && strcmp(n + l - sl, skip[i]) == 0)
			return 0;
	}
	return strpbrk(n, "\t\n") == NULL;
}

static int cmp_source(const void *a, const void *b)
{
	return strcmp(((const struct source *)a)->name, ((const struct source *)b)->name);
}

static int list_spool(const struct spool_cfg *c, struct source **out, size_t *n, job_err *e)
{
	DIR *d = opendir(c->spool);
	if (!d) {
		job_err_set(e, "--spool %s: %s", c->spool, strerror(errno));
		return -1;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	int64_t now_ns = (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
	struct dirent *de;
	size_t cap = 0;
	*out = NULL;
	*n = 0;
	while ((de = readdir(d))) {
		if (!name_is_candidate(de->d_name))
			continue;
		char *p = storage_join(c->spool, de->d_name);
		struct stat sb;
		int ok = p && stat(p, &sb) == 0 && S_ISREG(sb.st_mode);
		free(p);
		if (!ok)
			continue;
		int64_t mt = (int64_t)sb.st_mtim.tv_sec * 1000000000 + sb.st_mtim.tv_nsec;
		if ((double)(now_ns - mt) < c->settle_s * 1e9) {
			job_info("skipping a file still being written", "file=%s age_s=%.2f settle_s=%g", de->d_name,
				 (double)(now_ns - mt) / 1e9, c->settle_s);
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			struct source *s = realloc(*out, cap * sizeof *s);
			if (!s)
				break;
			*out = s;
		}
		(*out)[*n] = (struct source){ strdup(de->d_name), (uint64_t)sb.st_size, mt };
		(*n)++;
	}
	closedir(d);
	if (*n)
		qsort(*out, *n, sizeof **out, cmp_source);
	return 0;
}

static int hash_file(const char *path, uint64_t *out, job_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		job_err_set(e, "open %s: %s", path, strerror(errno));
		return -1;
	}
	char *buf = malloc(READ_BLOCK);
	manifest_hash h;
	manifest_hash_init(&h);
	ssize_t got;
	while (buf && (got = read(fd, buf, READ_BLOCK)) > 0)
		manifest_hash_update(&h, buf, (size_t)got);
	free(buf);
	close(fd);
	*out = manifest_hash_final(&h);
	return 0;
}

/* delete or rename to .COMPLETED, once the source's lines are committed */
static int finish_source(const struct spool_cfg *c, const char *name, job_err *e)
{
	char *p = storage_join(c->spool, name);
	int rc = 0;
	if (!c->done_rename) {
		if (unlink(p) < 0 && errno != ENOENT)
			rc = -1;
	} else {
		char *q = NULL;
		if (asprintf(&q, "%s.COMPLETED", p) < 0 || rename(p, q) < 0)
			rc = errno == ENOENT ? 0 : -1;
		free(q);
	}
	if (rc < 0)
		job_err_set(e, "finishing source %s: %s", p, strerror(errno));
	free(p);
	return rc;
}

/* ---- writing parts -------------------------------------------------------- */

/* Queues the output buffer for the current part and takes a fresh one. */
static int out_flush(struct load *L)
{
	if (partq_failed(L->q))
		return -1;
	partq_write(L->q, L->part, L->ob, L->ob_len);
	L->ob = partq_buffer(L->q);
	L->ob_len = 0;
	return 0;
}

/* Appends to the part's output, filling every buffer to the brim (a line may
 * straddle two): a part is then written in whole OUT_BLOCKs at aligned
 * offsets, which go to disk with O_DIRECT, and only its tail is not. */
static int out_put(struct load *L, const char *p, size_t n)
{
	while (n) {
		size_t room = OUT_BLOCK - L->ob_len, k = n < room ? n : room;
		memcpy(L->ob + L->ob_len, p, k);
		L->ob_len += k;
		p += k;
		n -= k;
		if (L->ob_len == OUT_BLOCK && out_flush(L) < 0)
			return -1;
	}
	return 0;
}

static int part_close(struct load *L)
{
	if (!L->part)
		return 0;
	if (L->ob_len)
		out_flush(L);
	partq_close(L->q, L->part);	/* written and fsync'd by the writer thread */
	L->part = NULL;
	manifest_add_part(&L->m, L->part_name, L->part_size);
	L->parts_written++;
	L->bytes_written += L->part_size;
	return partq_failed(L->q) ? -1 : 0;
}

static int part_open(struct load *L)
{
	snprintf(L->part_name, sizeof L->part_name, "car-batch-log.%u.log", L->next_part++);
	char *p = storage_join(L->stage, L->part_name);
	/* the queue hands whole buffers: no second buffering in the writer;
	 * the parts are not read back by this program: bypass the page cache */
	L->part = storage_create_flags(L->st, p, 1, 1, STORAGE_DIRECT, &L->err);
	free(p);
	L->part_size = 0;
	return L->part ? 0 : -1;
}

static int on_keep(const char *line, size_t len, void *ud)
{
	struct load *L = ud;
	size_t add = len + L->f.suffix_len + 1;
	if (L->part && L->part_size && L->part_size + add > L->c->roll_size && part_close(L) < 0)
		return -1;
	if (!L->part && part_open(L) < 0)
		return -1;
	L->part_size += add;
	if (L->ob_len + len + sizeof L->tail <= OUT_BLOCK) {
		/* the usual case: the line, then ",D\n" as one fixed-size store */
		char *o = L->ob + L->ob_len;
		memcpy(o, line, len);
		memcpy(o + len, L->tail, sizeof L->tail);
		L->ob_len += add;
		return 0;
	}
	if (out_put(L, line, len) < 0 || out_put(L, L->tail, add - len) < 0)
		return -1;
	return 0;
}

static int on_reject(enum filter_reason why, uint64_t lineno, const char *line, size_t len, void *ud)
{
	struct load *L = ud;
	if (!L->rejects) {
		char *p = storage_join(L->stage, "_rejects.log");
		L->rejects = storage_create(L->st, p, 1, 1, &L->err);
		free(p);
		if (!L->rejects)
			return -1;
		L->rb = partq_buffer(L->q);
		L->rb_len = 0;
	}
	char head[512];
	int n = snprintf(head, sizeof head, "%s\t%llu\t%s\t", L->cur_source, (unsigned long long)lineno,
			 filter_reason_names[why]);
	size_t add = (size_t)n + len + 1;
	if (L->rb_len + add > OUT_BLOCK) {
		partq_write(L->q, L->rejects, L->rb, L->rb_len);
		L->rb = partq_buffer(L->q);
		L->rb_len = 0;
	}
	memcpy(L->rb + L->rb_len, head, (size_t)n);
	memcpy(L->rb + L->rb_len + n, line, len);
	L->rb[L->rb_len + (size_t)n + len] = '\n';
	L->rb_len += add;
	return 0;
}

/* Queues the last rejected lines and the close of the rejects file. */
static void rejects_close(struct load *L)
{
	if (!L->rejects)
		return;
	if (L->rb_len)
		partq_write(L->q, L->rejects, L->rb, L->rb_len);
	else
		free(L->rb);	/* not queued: ours to free */
	L->rb = NULL;
	L->rb_len = 0;
	partq_close(L->q, L->rejects);
	L->rejects = NULL;
}

/* The source's checksum, computed in a second thread over the same mapping
 * while the filter runs: the two passes then take as long as the longer. */
struct hash_job {
	const char *data;
	size_t size;
	uint64_t sum;
	int rc;
};

static int hash_run(void *arg)
{
	struct hash_job *h = arg;
	manifest_hash mh;
	manifest_hash_init(&mh);
	manifest_hash_update(&mh, h->data, h->size);
	h->sum = manifest_hash_final(&mh);
	return 0;
}

static void *hash_main(void *arg)
{
	struct hash_job *h = arg;
	h->rc = srcmap_run(hash_run, h);
	return NULL;
}

struct filter_job {
	struct load *L;
	const char *data;
	size_t size;
};

static int filter_run(void *arg)
{
	struct filter_job *j = arg;
	struct load *L = j->L;
	/* in slices: progress moves, and the carried partial lines are few */
	for (size_t off = 0; off < j->size; off += READ_BLOCK) {
		size_t n = j->size - off < READ_BLOCK ? j->size - off : READ_BLOCK;
		if (filter_block(&L->f, j->data + off, n, on_keep, on_reject, L) < 0)
			return -1;
		job_progress_add(n);
	}
	return filter_finish(&L->f, on_keep, on_reject, L);
}

/* Sources this small are hashed in line: a thread would cost more. */
#define HASH_THREAD_MIN (1u << 20)

/* Reads one source through the filter into the batch; adds it to L->m. */
static int load_source(struct load *L, const struct source *src)
{
	char *p = storage_join(L->c->spool, src->name);
	srcmap sm;
	if (srcmap_open(&sm, p, &L->err) < 0) {
		free(p);
		return -1;
	}
	uint64_t kept0 = L->f.kept, lines0 = L->f.lines;
	L->cur_source = src->name;
	filter_reset(&L->f);
	struct hash_job hj = { sm.data, sm.size, 0, 0 };
	pthread_t th;
	int threaded = sm.size >= HASH_THREAD_MIN && pthread_create(&th, NULL, hash_main, &hj) == 0;
	struct filter_job fj = { L, sm.data, sm.size };
	int rc = srcmap_run(filter_run, &fj);
	if (threaded)
		pthread_join(th, NULL);
	else if (rc != SRCMAP_FAULT)
		hj.rc = srcmap_run(hash_run, &hj);
	struct stat sb;
	int shrank = rc == SRCMAP_FAULT || hj.rc == SRCMAP_FAULT;
	if (shrank || (rc == 0 && (fstat(sm.fd, &sb) < 0 || (uint64_t)sb.st_size != sm.size || sm.size != src->size))) {
		job_err_set(&L->err, "%s changed while it was read (size %llu, read %llu): is it still being "
			    "written? (see --settle)", p, shrank ? 0ull : (unsigned long long)sb.st_size,
			    (unsigned long long)sm.size);
		rc = -1;
	}
	srcmap_close(&sm);
	if (rc == 0) {
		uint64_t kept = L->f.kept - kept0, lines = L->f.lines - lines0;
		manifest_add_source(&L->m, src->name, sm.size, hj.sum, kept, lines - kept);
		job_info("source read", "file=%s bytes=%llu kept=%llu rejected=%llu", src->name,
			 (unsigned long long)sm.size, (unsigned long long)kept, (unsigned long long)(lines - kept));
	} else if (!L->err.msg[0]) {
		job_err_set(&L->err, "loading %s failed", p);
	}
	free(p);
	return rc;
}

/* ---- the run -------------------------------------------------------------- */

static void print_counts(struct load *L, uint64_t sources_loaded, uint64_t sources_skipped, uint64_t bytes_read)
{
	job_result_set_int("sources_loaded", (int64_t)sources_loaded);
	job_result_set_int("sources_skipped", (int64_t)sources_skipped);
	job_result_set_int("records_read", (int64_t)L->f.lines);
	job_result_set_int("records_written", (int64_t)L->f.kept);
	uint64_t rej = 0;
	for (int i = 0; i < FILTER_NREASONS; i++)
		rej += L->f.rejected[i];
	job_result_set_int("records_rejected", (int64_t)rej);
	for (int i = 0; i < FILTER_NREASONS; i++) {
		char k[64];
		snprintf(k, sizeof k, "rejected_%s", filter_reason_names[i]);
		job_result_set_int(k, (int64_t)L->f.rejected[i]);
	}
	job_result_set_int("bytes_read", (int64_t)bytes_read);
	job_result_set_int("bytes_written", (int64_t)L->bytes_written);
	job_result_set_int("parts_written", (int64_t)L->parts_written);
}

/* The phases of a run, numbered as in the top comment's argument. Each
 * returns PHASE_NEXT to go on, PHASE_FAIL for a failure that nothing new
 * may survive (run() cleans up and exits 1), or an exit code to end with. */
enum { PHASE_NEXT = -1, PHASE_FAIL = -2 };

/* 1. recover what an earlier run left: an interrupted --replace swap, then
 * the partition against its newest manifest */
static int phase_recover(struct load *L, job_err *e)
{
	storage_stat ps;
	if (publish_recover(L->st, L->root, L->pname, e) < 0 || storage_stat_path(L->st, L->P, &ps, e) < 0)
		return PHASE_FAIL;
	if (ps.exists && !ps.is_dir) {
		job_err_set(e, "partition %s exists and is not a directory", L->P);
		return PHASE_FAIL;
	}
	L->partition_exists = ps.exists;
	if (ps.exists && (spool_load_manifest(L->st, L->P, L->c->wrk_date, &L->old, &L->old_seq, e) < 0 ||
			  spool_settle_partition(L, L->P, &L->old, L->old_seq, 1, e) < 0))
		return PHASE_FAIL;
	return PHASE_NEXT;
}

/* 2a. what to load, and where this batch's parts go: the publish build of a
 * --replace, else a staging directory in the partition */
static int phase_prepare(struct load *L, job_err *e)
{
	const struct spool_cfg *c = L->c;
	if (list_spool(c, &L->srcs, &L->nsrc, e) < 0) {
		job_error(e->msg, NULL);
		return JOB_EXIT_USAGE;
	}
	L->stopped_at = L->nsrc;
	L->finish = calloc(L->nsrc + 1, sizeof *L->finish);
	if (c->replace) {
		if (publish_begin(&L->pub, L->st, L->root, L->pname, L->run_id, e) < 0)
			return PHASE_FAIL;
		L->part_dir = strdup(publish_build_dir(&L->pub));
		L->stage = strdup(L->part_dir);
		L->next_part = 0;
	} else {
		char sn[64];
		snprintf(sn, sizeof sn, "_tmp.%s", L->run_id);
		L->part_dir = strdup(L->P);
		L->stage = storage_join(L->P, sn);
		L->m.staging = strdup(sn);
		L->next_part = manifest_next_part(&L->old);
		for (size_t i = 0; i < L->old.nsources; i++)
			manifest_add_source(&L->m, L->old.sources[i].name, L->old.sources[i].size,
					    L->old.sources[i].checksum, L->old.sources[i].kept, L->old.sources[i].rejected);
		for (size_t i = 0; i < L->old.nparts; i++)
			manifest_add_part(&L->m, L->old.parts[i].name, L->old.parts[i].size);
	}
	if (!L->finish || !L->part_dir || !L->stage) {
		job_err_set(e, "out of memory");
		return PHASE_FAIL;
	}
	if (storage_mkdirs(L->st, L->stage, e) < 0)
		return PHASE_FAIL;
	return PHASE_NEXT;
}

/* 2b. every source through the filter into parts (a source the committed
 * manifest holds with the same checksum is only finished) */
static int phase_read(struct load *L, job_err *e)
{
	const struct spool_cfg *c = L->c;
	uint64_t total = 0;
	for (size_t i = 0; i < L->nsrc; i++)
		total += L->srcs[i].size;
	job_info("loading", "spool=%s dest=%s partition=%s sources=%zu bytes=%llu mode=%s", c->spool,
		 storage_describe(L->st), L->P, L->nsrc, (unsigned long long)total, c->replace ? "replace" : "append");
	job_progress_start("loading", total, "bytes");
	for (size_t i = 0; i < L->nsrc; i++) {
		if (job_stopping()) {
			L->stopped_at = i;
			break;
		}
		const struct source *s = &L->srcs[i];
		if (!c->replace) {
			const manifest_source *ms = manifest_find_source(&L->old, s->name);
			if (ms && ms->size == s->size) {
				uint64_t sum;
				char *sp = storage_join(c->spool, s->name);
				int hr = hash_file(sp, &sum, e);
				free(sp);
				if (hr < 0)
					return PHASE_FAIL;
				if (sum == ms->checksum) {
					job_info("already loaded; finishing the source only", "file=%s", s->name);
					L->finish[L->nfinish++] = s->name;
					L->skipped++;
					job_progress_add(s->size);
					continue;
				}
			}
			if (ms)
				job_warn("a source name seen before with other content; loading it as a new file",
					 "file=%s", s->name);
		}
		if (load_source(L, s) < 0) {
			*e = L->err;
			return PHASE_FAIL;
		}
		L->finish[L->nfinish++] = s->name;
		L->loaded++;
		L->bytes_read += s->size;
	}
	job_progress_finish();
	part_close(L);
	rejects_close(L);
	if (partq_drain(L->q, e) < 0)
		return PHASE_FAIL;
	for (int i = 0; i < FILTER_NREASONS; i++)
		L->rejected += L->f.rejected[i];
	/* a --replace must be whole: a partial rebuild swapped in would lose the
	 * rest of the day, and its retry (again --replace) the part loaded now */
	if (c->replace && L->stopped_at < L->nsrc) {
		storage_delete(L->st, L->stage, 1, e);
		job_warn("stopped by a signal during --replace; the old partition is kept, nothing changed",
			 "signal=%d", job_stop_signal());
		print_counts(L, 0, L->skipped, L->bytes_read);
		job_result_set_int("records_written", 0);
		return JOB_EXIT_FAILED;
	}
	return PHASE_NEXT;
}

/* 3. the reject ratio: above it nothing is stored, the rejected lines are
 * kept aside for a look */
static int phase_check_rejects(struct load *L, job_err *e)
{
	double ratio = L->f.lines ? (double)L->rejected / (double)L->f.lines : 0;
	if (ratio <= L->c->max_reject)
		return PHASE_NEXT;
	char *staged = storage_join(L->stage, "_rejects.log"), name[96];
	snprintf(name, sizeof name, "refused.%s.log", L->run_id);
	spool_publish_rejects(L, staged, name);
	free(staged);
	storage_delete(L->st, L->stage, 1, e);
	job_error("too many rejected lines; nothing stored", "rejected=%llu lines=%llu ratio=%.4f max=%g",
		  (unsigned long long)L->rejected, (unsigned long long)L->f.lines, ratio, L->c->max_reject);
	print_counts(L, 0, L->skipped, L->bytes_read);
	job_result_set_int("records_written", 0);
	return JOB_EXIT_REJECTED;
}

/* 4. commit: a --replace publishes its build (jobs/common/publish.c); an
 * append publishes the next manifest, then moves its parts in */
static int phase_commit(struct load *L, job_err *e)
{
	const struct spool_cfg *c = L->c;
	if (c->replace) {
		if (!L->loaded) {
			storage_delete(L->st, L->stage, 1, e);
			job_error("--replace with no source files in the spool: refusing to empty the partition", NULL);
			return JOB_EXIT_USAGE;
		}
		char *staged = storage_join(L->part_dir, "_rejects.log"), name[96];
		int ok = spool_write_manifest(L->st, L->part_dir, &L->m, 1, e) == 0;
		snprintf(name, sizeof name, "rejects.replace-%s.log", L->run_id);
		if (ok)
			spool_publish_rejects(L, staged, name);
		free(staged);
		return ok && publish_commit(&L->pub, e) == 0 ? PHASE_NEXT : PHASE_FAIL;
	}
	if (L->loaded) {
		if (spool_write_manifest(L->st, L->P, &L->m, L->old_seq + 1, e) < 0 ||
		    spool_settle_partition(L, L->P, &L->m, L->old_seq + 1, 0, e) < 0)
			return PHASE_FAIL;
	} else {
		storage_delete(L->st, L->stage, 1, e);
	}
	if (L->loaded || L->old_seq) {
		char *succ = storage_join(L->P, "_SUCCESS");
		storage_stat ss;
		int ok = storage_stat_path(L->st, succ, &ss, e) == 0 &&
			 (ss.exists || storage_write_file(L->st, succ, "", 0, 1, e) == 0);
		free(succ);
		if (!ok)
			return PHASE_FAIL;
	}
	return PHASE_NEXT;
}

/* 5. only now the sources go */
static int phase_finish(struct load *L, job_err *e)
{
	for (size_t i = 0; i < L->nfinish; i++)
		if (finish_source(L->c, L->finish[i], e) < 0)
			job_warn("cannot finish a loaded source (it will be skipped next time)", "error=%s", e->msg);
	print_counts(L, L->loaded, L->skipped, L->bytes_read);
	job_info("load committed", "partition=%s sources=%llu skipped=%llu kept=%llu rejected=%llu parts=%llu", L->P,
		 (unsigned long long)L->loaded, (unsigned long long)L->skipped, (unsigned long long)L->f.kept,
		 (unsigned long long)L->rejected, (unsigned long long)L->parts_written);
	if (L->stopped_at < L->nsrc) {
		job_warn("stopped by a signal; the rest is left for the next run", "signal=%d left=%zu",
			 job_stop_signal(), L->nsrc - L->stopped_at);
		return JOB_EXIT_FAILED;
	}
	return JOB_EXIT_OK;
}

/* A failed phase: the writer thread is stopped and what it held discarded;
 * nothing new is visible (the next run's recovery deletes the leftovers). */
static void fail_cleanup(struct load *L, job_err *e)
{
	if (L->q) {
		job_err qe;
		if (partq_drain(L->q, &qe) < 0)	/* the writer thread is idle from here */
			*e = qe;		/* a write failure is the root cause */
	}
	if (L->part)
		storage_abort(L->part);
	L->part = NULL;
	if (L->rejects)
		storage_abort(L->rejects);
	L->rejects = NULL;
	free(L->rb);
	L->rb = NULL;
	job_error("load failed; nothing new is visible", "error=%s", e->msg[0] ? e->msg : "unknown");
	print_counts(L, 0, L->skipped, L->bytes_read);
	job_result_set_int("records_written", 0);
}

static void load_free(struct load *L)
{
	for (size_t i = 0; i < L->nsrc; i++)
		free(L->srcs[i].name);
	free(L->srcs);
	free(L->finish);
	free(L->P);
	free(L->root);
	free(L->part_dir);
	free(L->stage);
	publish_free(&L->pub);
	partq_free(L->q);	/* after fail_cleanup: nothing is queued */
	free(L->ob);
	manifest_free(&L->m);
	manifest_free(&L->old);
	filter_free(&L->f);
	storage_free(L->st);
}

static int run(const struct spool_cfg *c)
{
	struct load L;
	memset(&L, 0, sizeof L);
	L.c = c;
	job_err e = { { 0 } };
	snprintf(L.run_id, sizeof L.run_id, "%ld-%ld", (long)getpid(), (long)time(NULL));
	if (filter_init(&L.f, c->pattern, c->wrk_date, &e) < 0) {
		job_error(e.msg, NULL);
		return JOB_EXIT_USAGE;
	}
	memcpy(L.tail, L.f.suffix, L.f.suffix_len);
	L.tail[L.f.suffix_len] = '\n';
	manifest_init(&L.m, c->wrk_date);
	manifest_init(&L.old, c->wrk_date);
	L.st = storage_open(c->dest, &e);
	if (!L.st) {
		job_error("--dest: bad storage URI", "error=%s", e.msg);
		filter_free(&L.f);
		return JOB_EXIT_USAGE;
	}
	L.root = strdup(storage_root(L.st));
	snprintf(L.pname, sizeof L.pname, "wrk_date=%s", c->wrk_date);
	L.P = L.root ? storage_join(L.root, L.pname) : NULL;
	L.q = partq_new(4, OUT_BLOCK, &e);
	L.ob = L.q ? partq_buffer(L.q) : NULL;
	if (!L.ob || !L.root || !L.P) {
		job_error("out of memory", NULL);
		load_free(&L);
		return JOB_EXIT_FAILED;
	}
	static int (*const phases[])(struct load *, job_err *) = {
		phase_recover, phase_prepare, phase_read, phase_check_rejects, phase_commit, phase_finish,
	};
	int rc = PHASE_NEXT;
	for (size_t i = 0; rc == PHASE_NEXT && i < sizeof phases / sizeof phases[0]; i++)
		rc = phases[i](&L, &e);
	if (rc == PHASE_FAIL) {
		fail_cleanup(&L, &e);
		rc = JOB_EXIT_FAILED;
	}
	load_free(&L);
	return rc;
}

int main(int argc, char **argv)
{
	job_init("spool-loader", argc, argv);
	struct spool_cfg c;
	job_err e;
	int orc = spool_opts_parse(argc, argv, &c, &e);
	if (orc == OPTS_HELP) {
		spool_opts_help(stdout);
		return JOB_EXIT_OK;
	}
	if (orc != OPTS_OK) {
		job_error("usage", "error=%s", e.msg);
		return JOB_EXIT_USAGE;
	}
	int rc = run(&c);
	job_result_print();
	return rc;
}
