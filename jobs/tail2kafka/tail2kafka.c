/* tail2kafka.c: follows a log file like `tail -F` and sends each kept line to a
 * Kafka topic (Flume's exec-tail source + regex interceptor + Kafka sink).
 *
 * Loss-free by construction: the producer is idempotent with acks=all; a line
 * counts as sent only when its delivery report succeeded; the position file
 * (t2k_position.h) is moved only over a prefix of lines that are all delivered
 * (t2k_acks.h). A failed delivery makes us wait for everything in flight, seek
 * back to the saved-safe position and read again, so the only repeats are
 * lines that were in flight at a failure or a crash.
 *
 * Following: the file is read until end-of-file; then we sleep until inotify
 * says the path changed (t2k_watch.h), at most --poll-ms (default 50 ms). The
 * decisions are always made by read() and stat(): new data, rotation (another
 * inode at the path), truncation (size below our offset), a file that does not
 * exist yet; inotify only ends the sleep early, so an append is read within
 * a few milliseconds instead of half a poll interval on average, and a file
 * system without inotify events still works at the --poll-ms pace. Delivery
 * reports are served after every wake-up.
 * Files replaced by rotation stay open until every line of theirs is
 * delivered, so a rewind can go back into them ("generations").
 * Bounded memory: at most --max-inflight lines are unacknowledged; when the
 * window is full (broker down, slow) reading stops until reports come in. */
#include "jobs/common/job.h"
#include "lib/options.h"
#include "jobs/tail2kafka/t2k_acks.h"
#include "jobs/tail2kafka/t2k_line.h"
#include "jobs/tail2kafka/t2k_opts.h"
#include "jobs/tail2kafka/t2k_position.h"
#include "jobs/tail2kafka/t2k_watch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libgen.h>
#include <librdkafka/rdkafka.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define MAX_SOURCES 64
#define PRODUCE_BATCH 4096	/* kept lines handed to rd_kafka_produce_batch at once */


/* A file we have read lines from: the current one, or one replaced by rotation
 * whose lines are not all delivered yet. */
struct source {
	int fd;
	uint32_t gen;
	uint64_t dev, ino;
};

struct counters {
	uint64_t lines, sent, rejected, too_long, unkeyed, bytes, failures, rewinds, rotations, truncations;
};

struct tail {
	struct t2k_opts o;
	struct t2k_filter filter;
	struct t2k_acks acks;
	rd_kafka_t *rk;
	rd_kafka_topic_t *rkt;
	struct source src[MAX_SOURCES];
	int nsrc, cur;		/* cur: index of the source being read */
	uint32_t next_gen;
	int64_t off;		/* offset in src[cur] of buf[0] */
	char *buf;
	size_t len, cap;
	int discarding;		/* inside a line longer than max_line */
	/* Kept lines not yet handed to librdkafka; payloads and keys point into
	 * buf, so the batch is produced (and copied) before buf changes. */
	rd_kafka_message_t *batch;	/* PRODUCE_BATCH entries */
	int nbatch;
	struct counters c;
	struct t2k_watch watch;
	int64_t woken_at;	/* last return from wait_for_change */
	int fatal;
	int64_t saved_at;
	uint32_t saved_gen;
	int64_t saved_end;
	int have_saved;
};

/* ---- Kafka ---- */

static void dr_cb(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct tail *t = opaque;
	(void)rk;
	t2k_acks_settle(&t->acks, (uint64_t)(uintptr_t)m->_private, m->err == RD_KAFKA_RESP_ERR_NO_ERROR);
	if (m->err) {
		t->c.failures++;
		if (t->c.failures <= 10 || t->c.failures % 10000 == 0)
			job_warn("delivery failed, will resend from the last safe position", "error=%s failures=%" PRIu64,
			      rd_kafka_err2str(m->err), t->c.failures);
	} else
		t->c.sent++;
}

static void error_cb(rd_kafka_t *rk, int err, const char *reason, void *opaque)
{
	struct tail *t = opaque;
	if (err == RD_KAFKA_RESP_ERR__FATAL) {
		char buf[512];
		rd_kafka_fatal_error(rk, buf, sizeof buf);
		job_error("fatal producer error, recreating the producer", "error=%s", buf);
		t->fatal = 1;
		return;
	}
	job_warn("kafka client error", "reason=%s error=%s", reason, rd_kafka_err2name(err));
}

static int kafka_open(struct tail *t, char *err, size_t errsz)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	/* batch.num.messages 5000 (librdkafka: 10000) with the 30000-line window:
	 * several batches per partition in flight, and the messages librdkafka
	 * walks (build, acknowledge, report, free) stay few enough to be in
	 * cache; a 200000-line window with 10000-message batches cost a third
	 * more CPU per line on keyed messages (tests/bench/bench_tail2kafka.sh). */
	const char *base[][2] = {
		{"bootstrap.servers", t->o.brokers}, {"enable.idempotence", "true"}, {"acks", "all"},
		{"linger.ms", "5"}, {"batch.num.messages", "5000"}, {"queue.buffering.max.messages", "1000000"},
		{"reconnect.backoff.max.ms", "1000"},
	};
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
		if (rd_kafka_conf_set(conf, base[i][0], base[i][1], err, errsz) != RD_KAFKA_CONF_OK)
			goto bad;
	job_err e;
	if (kconf_apply(&t->o.kafka, conf, &e) < 0) {
		size_t n = strnlen(e.msg, errsz - 1);
		memcpy(err, e.msg, n);
		err[n] = '\0';
		goto bad;
	}
	rd_kafka_conf_set_opaque(conf, t);
	rd_kafka_conf_set_dr_msg_cb(conf, dr_cb);
	rd_kafka_conf_set_error_cb(conf, error_cb);
	t->rk = rd_kafka_new(RD_KAFKA_PRODUCER, conf, err, errsz);
	if (!t->rk)
		goto bad;
	t->rkt = rd_kafka_topic_new(t->rk, t->o.topic, NULL);
	return 0;
bad:
	rd_kafka_conf_destroy(conf);
	return -1;
}

static void kafka_close(struct tail *t)
{
	if (t->rkt)
		rd_kafka_topic_destroy(t->rkt);
	if (t->rk)
		rd_kafka_destroy(t->rk);
	t->rkt = NULL;
	t->rk = NULL;
}

/* ---- files ---- */

static int src_index(struct tail *t, uint32_t gen)
{
	for (int i = 0; i < t->nsrc; i++)
		if (t->src[i].gen == gen)
			return i;
	return -1;
}

/* Adds fd as the newest generation and makes it current. */
static int src_add(struct tail *t, int fd)
{
	struct stat st;
	if (t->nsrc == MAX_SOURCES || fstat(fd, &st) < 0) {
		close(fd);
		return -1;
	}
	t->src[t->nsrc] = (struct source){.fd = fd, .gen = t->next_gen++, .dev = st.st_dev, .ino = st.st_ino};
	t->cur = t->nsrc++;
	t->len = 0;
	t->discarding = 0;
	return 0;
}

/* Closes generations older than the safe position that we are not reading. */
static void src_prune(struct tail *t)
{
	int w = 0;
	for (int i = 0; i < t->nsrc; i++) {
		if (t->src[i].gen < t->acks.safe_gen && i != t->cur) {
			close(t->src[i].fd);
			continue;
		}
		if (i == t->cur)
			t->cur = w;
		t->src[w++] = t->src[i];
	}
	t->nsrc = w;
}

static void position_save(struct tail *t, int force)
{
	if (!force && job_mono_ms() - t->saved_at < t->o.position_ms)
		return;
	t->saved_at = job_mono_ms();
	if (t->have_saved && t->saved_gen == t->acks.safe_gen && t->saved_end == t->acks.safe_end)
		return;
	int i = src_index(t, t->acks.safe_gen);
	if (i < 0)
		return;
	struct t2k_position p = {.dev = t->src[i].dev, .ino = t->src[i].ino, .offset = t->acks.safe_end};
	char err[512];
	if (t2k_position_prefix(t->src[i].fd, p.offset, &p.prefix_len, &p.prefix_hash) < 0) {
		/* The file is shorter than the offset: truncated under us. Not saved;
		 * the truncation handling resets the offset. */
		return;
	}
	if (t2k_position_save(t->o.position_file, &p, err, sizeof err) < 0) {
		job_error("cannot save the position", "error=%s", err);
		return;
	}
	t->have_saved = 1;
	t->saved_gen = t->acks.safe_gen;
	t->saved_end = t->acks.safe_end;
}

/* Looks for the file the position names in the followed file's directory (it
 * may have been rotated while we were down). Returns an fd or -1. */
static int find_rotated(const char *path, const struct t2k_position *p)
{
	char *copy = strdup(path);
	const char *dir = dirname(copy);
	DIR *d = opendir(dir);
	int fd = -1;
	struct dirent *e;
	while (d && fd < 0 && (e = readdir(d))) {
		char full[4096];
		struct stat st;
		snprintf(full, sizeof full, "%s/%s", dir, e->d_name);
		if (stat(full, &st) < 0 || !S_ISREG(st.st_mode) || (uint64_t)st.st_ino != p->ino ||
		    (uint64_t)st.st_dev != p->dev)
			continue;
		fd = open(full, O_RDONLY | O_CLOEXEC);
		if (fd >= 0)
			job_info("resuming in the rotated file", "file=%s offset=%" PRId64, full, p->offset);
	}
	if (d)
		closedir(d);
	free(copy);
	return fd;
}

/* 1 if fd is the file p describes (same prefix, long enough). */
static int position_matches(int fd, const struct t2k_position *p)
{
	struct stat st;
	int len;
	uint64_t h;
	if (fstat(fd, &st) < 0 || (uint64_t)st.st_ino != p->ino || (uint64_t)st.st_dev != p->dev ||
	    st.st_size < p->offset)
		return 0;
	if (t2k_position_prefix(fd, p->prefix_len, &len, &h) < 0)
		return 0;
	return h == p->prefix_hash;
}

/* Opens the first source: where the position file says, else the start of the file.
 * Returns 1 opened, 0 the file does not exist yet, -1 error. */
static int open_start(struct tail *t, const struct t2k_position *p, int have_pos)
{
	int fd = open(t->o.file, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && errno != ENOENT) {
		job_error("cannot open", "file=%s error=%s", t->o.file, strerror(errno));
		return -1;
	}
	int64_t start = 0;
	if (have_pos) {
		if (fd >= 0 && position_matches(fd, p))
			start = p->offset;
		else {
			int old = find_rotated(t->o.file, p);
			if (old >= 0 && position_matches(old, p)) {
				if (fd >= 0)
					close(fd);
				fd = old;
				start = p->offset;
			} else {
				if (old >= 0)
					close(old);
				job_warn("the file of the position file is gone or changed; starting at the beginning", "file=%s", t->o.file);
			}
		}
	}
	if (fd < 0)
		return 0;
	if (lseek(fd, start, SEEK_SET) < 0 || src_add(t, fd) < 0)
		return -1;
	t->off = start;
	t->acks.safe_gen = t->src[t->cur].gen;
	t->acks.safe_end = start;
	job_info("following", "file=%s offset=%" PRId64, t->o.file, start);
	return 1;
}

/* ---- lines ---- */

/* Hands the pending lines to librdkafka in one rd_kafka_produce_batch call:
 * one clock reading and one topic lock for the batch instead of one per line
 * (with per-line rd_kafka_produce, clock readings and the topic lock took
 * about a tenth of this thread's time). Payload and
 * key are copied (RD_KAFKA_MSG_F_COPY) into the message's own allocation, so
 * buf may change afterwards. A full queue makes us serve delivery reports and
 * go on from the first line it refused; any other error fails the line, which
 * stops the safe position and leads to a rewind. */
static void produce_pending(struct tail *t)
{
	int done = 0;
	while (done < t->nbatch) {
		rd_kafka_produce_batch(t->rkt, RD_KAFKA_PARTITION_UA, RD_KAFKA_MSG_F_COPY, t->batch + done,
				       t->nbatch - done);
		for (; done < t->nbatch; done++) {
			rd_kafka_message_t *m = &t->batch[done];
			if (m->err == RD_KAFKA_RESP_ERR__QUEUE_FULL)
				break;
			if (m->err) {
				job_error("produce failed", "error=%s", rd_kafka_err2str(m->err));
				t2k_acks_settle(&t->acks, (uint64_t)(uintptr_t)m->_private, 0);
			}
		}
		if (done < t->nbatch)
			rd_kafka_poll(t->rk, 100);
	}
	t->nbatch = 0;
}

/* Queues one kept line for produce_pending. */
static void produce(struct tail *t, char *line, size_t len, uint64_t seq)
{
	const char *key = NULL;
	size_t klen = 0;
	if (t->o.key_field > 0 && t2k_key_field(line, len, t->o.key_field, &key, &klen) < 0) {
		key = NULL;
		t->c.unkeyed++;
	}
	if (t->nbatch == PRODUCE_BATCH)
		produce_pending(t);
	t->batch[t->nbatch++] = (rd_kafka_message_t){
		.payload = line, .len = len, .key = (void *)key, .key_len = klen, ._private = (void *)(uintptr_t)seq};
}

/* One complete line buf[0..len) ending at file offset end. A kept line is
 * queued; the caller calls produce_pending before buf changes. */
static void handle_line(struct tail *t, char *line, size_t len, int64_t end)
{
	uint32_t gen = t->src[t->cur].gen;
	t->c.lines++;
	if (len && line[len - 1] == '\r')
		len--;
	if (!t2k_filter_match(&t->filter, line, len)) {
		t->c.rejected++;
		t2k_acks_push(&t->acks, gen, end, 1);
		return;
	}
	t->c.bytes += len;
	/* The entry must exist before produce: its report may come during the
	 * rd_kafka_poll of a queue-full wait. */
	uint64_t seq = t2k_acks_push(&t->acks, gen, end, 0);
	produce(t, line, len, seq);
}

/* Handles every complete line in buf; stops early when the window is full. */
static void drain_lines(struct tail *t)
{
	size_t pos = 0;
	while (pos < t->len && !t2k_acks_full(&t->acks) && !t->acks.failed) {
		char *nl = memchr(t->buf + pos, '\n', t->len - pos);
		if (!nl)
			break;
		size_t l = (size_t)(nl - (t->buf + pos));
		int64_t end = t->off + (int64_t)(pos + l + 1);
		if (t->discarding) {
			t->discarding = 0;
			t->c.lines++;
			t->c.too_long++;
			t2k_acks_push(&t->acks, t->src[t->cur].gen, end, 1);
		} else if (l > t->o.max_line) {
			t->c.lines++;
			t->c.too_long++;
			t2k_acks_push(&t->acks, t->src[t->cur].gen, end, 1);
		} else
			handle_line(t, t->buf + pos, l, end);
		pos += l + 1;
	}
	produce_pending(t);
	if (pos) {
		memmove(t->buf, t->buf + pos, t->len - pos);
		t->len -= pos;
		t->off += (int64_t)pos;
	}
	if (t->len == t->cap && !memchr(t->buf, '\n', t->len)) {
		/* a line longer than the buffer: drop what we have, skip to its newline */
		t->off += (int64_t)t->len;
		t->len = 0;
		t->discarding = 1;
	}
}

/* Back to the safe position after a failed delivery (nothing in flight now). */
static void rewind_to_safe(struct tail *t)
{
	int i = src_index(t, t->acks.safe_gen);
	t2k_acks_reset(&t->acks);
	t->c.rewinds++;
	if (i < 0 || lseek(t->src[i].fd, t->acks.safe_end, SEEK_SET) < 0) {
		job_error("cannot rewind; continuing from the current file position", NULL);
		return;
	}
	t->cur = i;
	t->off = t->acks.safe_end;
	t->len = 0;
	t->discarding = 0;
	job_info("resending from the last safe position", "offset=%" PRId64, t->off);
}

/* At end of file of the newest source: rotation, truncation, or nothing new.
 * Returns 1 if there is something to read again. */
static int check_file(struct tail *t)
{
	struct source *s = &t->src[t->cur];
	struct stat st, cur;
	if (stat(t->o.file, &st) == 0 && ((uint64_t)st.st_ino != s->ino || (uint64_t)st.st_dev != s->dev)) {
		int fd = open(t->o.file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return 0;
		/* the replaced file may have got a last line after our read; read it
		 * to the end first (a writer may still hold it open) */
		char tmp[1];
		if (pread(s->fd, tmp, 1, t->off + (int64_t)t->len) == 1) {
			close(fd);
			return 1;
		}
		if (t->len && !t->discarding) {	/* last line of the old file had no newline */
			int64_t end = t->off + (int64_t)t->len;
			handle_line(t, t->buf, t->len, end);
			produce_pending(t);
		}
		t->c.rotations++;
		job_info("file rotated, following the new one", "file=%s", t->o.file);
		if (src_add(t, fd) < 0)
			return 0;
		t->off = 0;
		return 1;
	}
	if (fstat(s->fd, &cur) == 0 && cur.st_size < t->off + (int64_t)t->len) {
		t->c.truncations++;
		job_warn("file truncated, reading from its start", "file=%s", t->o.file);
		lseek(s->fd, 0, SEEK_SET);
		t->off = 0;
		t->len = 0;
		t->discarding = 0;
		/* lines in flight referred to the old contents; the safe position goes
		 * to the start of the new contents once they are settled */
		t2k_acks_push(&t->acks, s->gen, 0, 1);
		if (!t2k_acks_inflight(&t->acks))
			t->acks.safe_end = 0;
		return 1;
	}
	return 0;
}

/* At end of file (or before the file exists): sleep until the path changes or
 * --poll-ms pass, then serve delivery reports. Wake-ups are at least
 * WAKE_MIN_MS apart: a writer that appends line by line would otherwise wake
 * us once per line (at 10,000 lines/s that doubled our CPU time); so lines
 * wait at most that long and are read and produced together. */
#define WAKE_MIN_MS 2
static void wait_for_change(struct tail *t)
{
	int64_t since = job_mono_ms() - t->woken_at;
	if (since >= 0 && since < WAKE_MIN_MS)
		poll(NULL, 0, (int)(WAKE_MIN_MS - since));
	t2k_watch_wait(&t->watch, t->o.poll_ms);
	t->woken_at = job_mono_ms();
	rd_kafka_poll(t->rk, 0);
}

static void print_result(struct tail *t)
{
	const struct { const char *name; uint64_t v; } c[] = {
		{"lines_read", t->c.lines}, {"sent", t->c.sent}, {"rejected", t->c.rejected},
		{"too_long", t->c.too_long}, {"unkeyed", t->c.unkeyed}, {"bytes", t->c.bytes},
		{"delivery_failures", t->c.failures}, {"rewinds", t->c.rewinds}, {"rotations", t->c.rotations},
		{"truncations", t->c.truncations},
	};
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++)
		job_result_set_int(c[i].name, (int64_t)c[i].v);
	job_result_print();
}

static int run(struct tail *t)
{
	int64_t last_progress = job_mono_ms();
	uint64_t last_lines = 0;
	for (;;) {
		if (job_stopping())
			break;
		rd_kafka_poll(t->rk, 0);
		if (t->fatal) {
			rd_kafka_purge(t->rk, RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT);
			rd_kafka_poll(t->rk, 0);
			kafka_close(t);
			char err[512];
			if (kafka_open(t, err, sizeof err) < 0) {
				job_error("cannot recreate the producer", "error=%s", err);
				return 1;
			}
			t->fatal = 0;
			t->acks.failed = 1;
		}
		t2k_acks_advance(&t->acks);
		position_save(t, 0);
		src_prune(t);
		if (job_mono_ms() - last_progress >= 5000) {
			job_info("progress", "lines_read=%" PRIu64 " sent=%" PRIu64 " rejected=%" PRIu64
				      " inflight=%zu lines_per_s=%.0f",
			      t->c.lines, t->c.sent, t->c.rejected, t2k_acks_inflight(&t->acks),
			      (double)(t->c.lines - last_lines) * 1000.0 / (double)(job_mono_ms() - last_progress));
			last_progress = job_mono_ms();
			last_lines = t->c.lines;
		}
		if (t->acks.failed) {	/* wait until nothing is in flight, then re-read */
			if (rd_kafka_outq_len(t->rk) == 0) {
				t2k_acks_advance(&t->acks);
				rewind_to_safe(t);
			} else
				rd_kafka_poll(t->rk, 50);
			continue;
		}
		if (t->nsrc == 0) {
			struct t2k_position none = {0};
			int r = open_start(t, &none, 0);
			if (r < 0)
				return 1;
			if (r == 0 && t->o.once)
				break;
			if (r == 0)
				wait_for_change(t);
			continue;
		}
		if (t2k_acks_full(&t->acks)) {
			rd_kafka_poll(t->rk, 10);
			continue;
		}
		if (t->cap - t->len < 65536) {
			size_t ncap = t->cap * 2;
			if (ncap > t->o.max_line + 65536 * 2)
				ncap = t->o.max_line + 65536 * 2;
			if (ncap > t->cap) {
				char *nb = realloc(t->buf, ncap);
				if (!nb)
					return 1;
				t->buf = nb;
				t->cap = ncap;
			}
		}
		ssize_t n = t->len < t->cap ? read(t->src[t->cur].fd, t->buf + t->len, t->cap - t->len) : 0;
		if (n > 0) {
			t->len += (size_t)n;
			drain_lines(t);
			continue;
		}
		if (n < 0) {
			job_error("read failed", "file=%s error=%s", t->o.file, strerror(errno));
			rd_kafka_poll(t->rk, 1000);
			continue;
		}
		drain_lines(t);
		if (t->cur < t->nsrc - 1) {	/* rewound into an older generation: go on with the next */
			if (t->len && !t->discarding)
				handle_line(t, t->buf, t->len, t->off + (int64_t)t->len);
			produce_pending(t);
			t->cur++;
			t->off = 0;
			t->len = 0;
			t->discarding = 0;
			lseek(t->src[t->cur].fd, 0, SEEK_SET);
			continue;
		}
		if (check_file(t))
			continue;
		if (t->o.once) {	/* everything the file held is read: wait for its acknowledgements */
			if (!t2k_acks_inflight(&t->acks))
				break;
			rd_kafka_poll(t->rk, 10);
			continue;
		}
		wait_for_change(t);
	}
	job_info("stopping: flushing", "signal=%d inflight=%zu", job_stop_signal(), t2k_acks_inflight(&t->acks));
	rd_kafka_flush(t->rk, t->o.flush_ms);
	rd_kafka_poll(t->rk, 0);
	t2k_acks_advance(&t->acks);
	position_save(t, 1);
	if (rd_kafka_outq_len(t->rk) > 0)
		job_warn("lines still in flight at exit will be sent again at the next start", "count=%d",
		      rd_kafka_outq_len(t->rk));
	print_result(t);
	return 0;
}

int main(int argc, char **argv)
{
	struct tail t;
	memset(&t, 0, sizeof t);
	job_init("tail2kafka", argc, argv);
	job_err e;
	int orc = t2k_opts_parse(argc, argv, &t.o, &e);
	if (orc != OPTS_OK) {
		if (orc == OPTS_HELP)
			t2k_opts_help(stdout);
		else
			job_error("usage", "error=%s", e.msg);
		t2k_opts_free(&t.o);
		return orc == OPTS_HELP ? JOB_EXIT_OK : JOB_EXIT_USAGE;
	}
	char posdefault[4096], err[512];
	if (!t.o.position_file) {
		snprintf(posdefault, sizeof posdefault, "%s.pos", t.o.file);
		t.o.position_file = posdefault;
	}
	if (t2k_filter_init(&t.filter, t.o.pattern, err, sizeof err) < 0) {
		job_error("usage", "error=%s pattern=%s", err, t.o.pattern);
		t2k_opts_free(&t.o);
		return JOB_EXIT_USAGE;
	}
	struct t2k_position pos;
	int have_pos = t2k_position_load(t.o.position_file, &pos, err, sizeof err);
	if (have_pos < 0) {
		job_error("usage", "error=--position-file: %s", err);
		t2k_opts_free(&t.o);
		return JOB_EXIT_USAGE;
	}
	if (t2k_acks_init(&t.acks, (size_t)t.o.max_inflight, 0, 0) < 0)
		return 1;
	if (kafka_open(&t, err, sizeof err) < 0) {
		job_error("usage", "error=kafka configuration: %s", err);
		t2k_acks_free(&t.acks);
		t2k_opts_free(&t.o);
		return JOB_EXIT_USAGE;
	}
	t.cap = 256 * 1024;
	t.buf = malloc(t.cap);
	t.batch = calloc(PRODUCE_BATCH, sizeof *t.batch);
	if (t2k_watch_open(&t.watch, t.o.file) < 0)
		job_warn("no inotify: new data is looked for every --poll-ms", "error=%s poll_ms=%d", strerror(errno),
			 t.o.poll_ms);
	int rc = !t.buf || !t.batch || open_start(&t, &pos, have_pos) < 0 ? 1 : run(&t);
	t2k_watch_close(&t.watch);
	kafka_close(&t);
	for (int i = 0; i < t.nsrc; i++)
		close(t.src[i].fd);
	free(t.buf);
	free(t.batch);
	t2k_acks_free(&t.acks);
	t2k_filter_free(&t.filter);
	t2k_opts_free(&t.o);
	return rc;
}
