/* kafka2hbase.c: consumes driver records from Kafka and writes each into the
 * row store (Storm's split bolt + HBase bolt), at least once.
 *
 * The loop is rd_kafka_consumer_poll (the batch-consume API of librdkafka 2.0
 * is unsafe with pause and rebalance, docs/protocols.md §3.2); messages are held
 * until their batch (--batch records or --flush-ms) is durable in the store
 * (one sqlite transaction / one multi-row PUT) and the dead letters of the
 * batch are fsynced; only then are offsets stored (+1) and committed (sync).
 * Auto commit and auto offset store are off, so no offset ever gets ahead of
 * the store. When the store fails the batch is kept, the assigned partitions
 * are paused (bounded memory) while polling goes on (heartbeats, rebalances),
 * and the write is retried with backoff. On revoke the batch is written once
 * more and committed; if that fails it is dropped uncommitted and the new
 * owner reads it again. Replays are harmless: a record always becomes the
 * same row key and the same cells with the same timestamps.
 *
 * The store write of a batch runs on a writer thread while the main thread
 * polls and parses the next batch (the write was nearly all of the time, and
 * polling and parsing the rest: overlapped, they take one core each). At most
 * one batch is in flight, and the next is handed over only after the one in
 * flight is durable and its offsets committed, so offsets are committed in
 * order exactly as without the thread. The thread only runs rowstore_put on
 * the batch it was given; everything else (Kafka, offsets, dead letters,
 * logs) stays on the main thread, which never touches the store while a write
 * is in flight.
 *
 * The group membership (static id from the task, session timeout, the leave
 * at a stop, a fenced exit) is jobs/common/kgroup.c's, shared with overspeed:
 * a crashed instance restarted by the daemon gets its partitions back fast. */
#include "lib/uri_redact.h"
#include "jobs/common/job.h"
#include "jobs/common/kgroup.h"
#include "jobs/common/rowstore.h"
#include "jobs/kafka2hbase/k2h_opts.h"
#include "jobs/kafka2hbase/k2h_record.h"
#include "lib/options.h"

#include <errno.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* A batch: its messages (held until committed), the cells built from them,
 * and the dead letters of its malformed ones. */
struct slot {
	rd_kafka_message_t **msgs;
	size_t n, cap;
	int64_t started;
	struct rowstore_batch *rb;
	char *dead;			/* dead-letter lines */
	size_t dead_len, dead_cap;
	uint64_t dead_n;
};

enum { W_IDLE, W_BUSY, W_DONE };
enum { FLY_NONE, FLY_WRITING, FLY_FAILED };

struct k2h {
	struct k2h_opts o;
	rd_kafka_t *rk;
	struct rowstore *rs;
	FILE *dlq;
	struct slot fill;	/* being polled into */
	struct slot fly;	/* handed to the writer, or failed and waiting for its retry */
	int fly_state;
	struct {		/* the writer thread; mu guards state and the result */
		pthread_t thread;
		pthread_mutex_t mu;
		pthread_cond_t cv;
		int state, quit, running;
		int rc;
		struct rowstore_err e;
		int64_t put_ms;
	} w;
	int paused;
	int64_t retry_at, backoff;
	uint64_t consumed, written, malformed, batches, store_failures, commits_failed, dropped_on_revoke;
};


/* ---- dead letters: one line per message, tab-separated:
 * UTC time, topic, partition, offset, reason, payload (\\ \t \n \r and bytes
 * outside printable ASCII written as \xHH) ---- */

static void dead_append(struct slot *b, const char *s, size_t n)
{
	if (b->dead_len + n + 1 > b->dead_cap) {
		size_t nc = (b->dead_cap ? b->dead_cap * 2 : 4096) + n;
		char *p = realloc(b->dead, nc);
		if (!p)
			return;
		b->dead = p;
		b->dead_cap = nc;
	}
	memcpy(b->dead + b->dead_len, s, n);
	b->dead_len += n;
}

static void dead_letter(struct k2h *k, struct slot *b, const rd_kafka_message_t *m, const char *reason)
{
	char head[512], ts[32];
	time_t now = time(NULL);
	struct tm tm;
	k->malformed++;
	if (k->malformed <= 10 || k->malformed % 10000 == 0)
		job_warn("malformed record", "partition=%d offset=%lld reason=%s malformed=%llu", (int)m->partition,
			 (long long)m->offset, reason, (unsigned long long)k->malformed);
	b->dead_n++;
	if (!k->dlq)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int hl = snprintf(head, sizeof head, "%s\t%s\t%d\t%lld\t%s\t", ts, rd_kafka_topic_name(m->rkt),
			  (int)m->partition, (long long)m->offset, reason);
	dead_append(b, head, (size_t)hl < sizeof head ? (size_t)hl : sizeof head - 1);
	const unsigned char *p = m->payload;
	for (size_t i = 0; i < m->len; i++) {
		char esc[5];
		int el = 1;
		unsigned char ch = p[i];
		if (ch == '\\') memcpy(esc, "\\\\", el = 2);
		else if (ch == '\t') memcpy(esc, "\\t", el = 2);
		else if (ch == '\n') memcpy(esc, "\\n", el = 2);
		else if (ch == '\r') memcpy(esc, "\\r", el = 2);
		else if (ch < 0x20 || ch >= 0x7f) el = snprintf(esc, sizeof esc, "\\x%02x", ch);
		else esc[0] = (char)ch;
		dead_append(b, esc, (size_t)el);
	}
	dead_append(b, "\n", 1);
}

static int dead_flush(struct k2h *k, struct slot *b)
{
	if (!k->dlq || !b->dead_len)
		return 0;
	if (fwrite(b->dead, 1, b->dead_len, k->dlq) != b->dead_len || fflush(k->dlq) != 0 ||
	    fsync(fileno(k->dlq)) != 0) {
		job_error("cannot write the dead-letter file", "file=%s error=%s", k->o.dead_letter, strerror(errno));
		return -1;
	}
	b->dead_len = 0;
	return 0;
}

/* ---- batches ---- */

static void batch_build(struct k2h *k, struct slot *b)
{
	struct k2h_record r;
	char reason[256];
	struct rowstore_err e;
	rowstore_batch_clear(b->rb);
	b->dead_len = 0;
	b->dead_n = 0;
	for (size_t i = 0; i < b->n; i++) {
		rd_kafka_message_t *m = b->msgs[i];
		if (k2h_record_parse(m->payload, m->len, &r, reason, sizeof reason) < 0) {
			dead_letter(k, b, m, reason);
			continue;
		}
		for (int f = 0; f < K2H_FIELDS; f++)
			rowstore_batch_add(b->rb, r.row, K2H_FAMILY, k2h_qualifiers[f], r.ts_ms, r.field[f], &e);
	}
}

static void batch_release(struct slot *b)
{
	for (size_t i = 0; i < b->n; i++)
		rd_kafka_message_destroy(b->msgs[i]);
	b->n = 0;
	b->dead_len = 0;
	rowstore_batch_clear(b->rb);
}

static void set_paused(struct k2h *k, int pause)
{
	rd_kafka_topic_partition_list_t *a = NULL;
	if (k->paused == pause || rd_kafka_assignment(k->rk, &a) != RD_KAFKA_RESP_ERR_NO_ERROR)
		return;
	if (pause)
		rd_kafka_pause_partitions(k->rk, a);
	else
		rd_kafka_resume_partitions(k->rk, a);
	rd_kafka_topic_partition_list_destroy(a);
	k->paused = pause;
	job_info(pause ? "store unavailable: fetching paused" : "store back: fetching resumed", NULL);
}

/* Stores offsets (+1 of the highest per partition) and commits them, sync. */
static void commit_batch(struct k2h *k, const struct slot *b)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
	for (size_t i = 0; i < b->n; i++) {
		rd_kafka_message_t *m = b->msgs[i];
		const char *topic = rd_kafka_topic_name(m->rkt);
		rd_kafka_topic_partition_t *p = rd_kafka_topic_partition_list_find(l, topic, m->partition);
		if (!p)
			p = rd_kafka_topic_partition_list_add(l, topic, m->partition);
		if (m->offset + 1 > p->offset)
			p->offset = m->offset + 1;
	}
	rd_kafka_resp_err_t err = rd_kafka_offsets_store(k->rk, l);
	for (int i = 0; i < l->cnt; i++)
		if (l->elems[i].err)
			job_warn("offset not stored (partition no longer ours; its new owner re-reads it)",
				 "partition=%d error=%s", (int)l->elems[i].partition, rd_kafka_err2str(l->elems[i].err));
	(void)err;
	rd_kafka_topic_partition_list_destroy(l);
	err = rd_kafka_commit(k->rk, NULL, 0);
	if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET) {
		k->commits_failed++;
		job_warn("commit failed (the offsets are committed with the next batch)", "error=%s",
			 rd_kafka_err2str(err));
	}
}

/* ---- the writer thread: rowstore_put of the batch in flight, nothing else ---- */

static void *writer_main(void *arg)
{
	struct k2h *k = arg;
	pthread_mutex_lock(&k->w.mu);
	for (;;) {
		while (k->w.state != W_BUSY && !k->w.quit)
			pthread_cond_wait(&k->w.cv, &k->w.mu);
		if (k->w.state != W_BUSY)
			break;
		pthread_mutex_unlock(&k->w.mu);
		struct rowstore_err e;
		int64_t t0 = job_mono_ms();
		int rc = rowstore_put(k->rs, k->o.table, k->fly.rb, &e);
		int64_t ms = job_mono_ms() - t0;
		pthread_mutex_lock(&k->w.mu);
		k->w.rc = rc;
		k->w.e = e;
		k->w.put_ms = ms;
		k->w.state = W_DONE;
		pthread_cond_broadcast(&k->w.cv);
	}
	pthread_mutex_unlock(&k->w.mu);
	return NULL;
}

static int writer_start(struct k2h *k)
{
	sigset_t stop, old;	/* SIGTERM and SIGINT go to the main thread */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	int e = pthread_create(&k->w.thread, NULL, writer_main, k);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	k->w.running = e == 0;
	return e ? -1 : 0;
}

static void writer_stop(struct k2h *k)
{
	if (!k->w.running)
		return;
	pthread_mutex_lock(&k->w.mu);
	k->w.quit = 1;
	pthread_cond_broadcast(&k->w.cv);
	pthread_mutex_unlock(&k->w.mu);
	pthread_join(k->w.thread, NULL);
	k->w.running = 0;
}

/* Hands the built batch in flight to the writer. */
static void fly_submit(struct k2h *k)
{
	pthread_mutex_lock(&k->w.mu);
	k->w.state = W_BUSY;
	pthread_cond_broadcast(&k->w.cv);
	pthread_mutex_unlock(&k->w.mu);
	k->fly_state = FLY_WRITING;
}

/* The end of a write of the batch in flight: on success its dead letters are
 * fsynced, its offsets committed and its messages released (FLY_NONE); on
 * failure it stays, to be retried (FLY_FAILED). */
static void fly_finish(struct k2h *k, int rc, const struct rowstore_err *e, int64_t put_ms)
{
	struct slot *b = &k->fly;
	if (rc != ROWSTORE_OK || dead_flush(k, b) < 0) {
		if (rc != ROWSTORE_OK) {
			k->store_failures++;
			job_error("store write failed; will retry", "store=%s error=%s records=%zu", k->o.store, e->msg,
				  b->n);
		}
		k->fly_state = FLY_FAILED;
		return;
	}
	int64_t t1 = job_mono_ms();
	k->written += b->n - b->dead_n;
	k->batches++;
	commit_batch(k, b);
	job_debug("batch written", "records=%zu malformed=%llu put_ms=%lld commit_ms=%lld", b->n,
		  (unsigned long long)b->dead_n, (long long)put_ms, (long long)(job_mono_ms() - t1));
	batch_release(b);
	k->fly_state = FLY_NONE;
}

/* Takes the writer's result for the batch in flight (fly_finish).
 * wait: block until the write ends.
 * 1 done (written or failed: see fly_state), 0 still writing. */
static int fly_complete(struct k2h *k, int wait)
{
	if (k->fly_state != FLY_WRITING)
		return 1;
	pthread_mutex_lock(&k->w.mu);
	while (wait && k->w.state == W_BUSY)
		pthread_cond_wait(&k->w.cv, &k->w.mu);
	int done = k->w.state == W_DONE;
	int rc = k->w.rc;
	struct rowstore_err e = k->w.e;
	int64_t put_ms = k->w.put_ms;
	if (done)
		k->w.state = W_IDLE;
	pthread_mutex_unlock(&k->w.mu);
	if (!done)
		return 0;
	fly_finish(k, rc, &e, put_ms);
	return 1;
}

/* Makes the filling batch the one in flight (the writer is idle, nothing in
 * flight) and hands it over; a batch of only malformed messages needs no write. */
static void fly_start(struct k2h *k)
{
	struct slot t = k->fly;
	k->fly = k->fill;
	k->fill = t;
	batch_build(k, &k->fly);
	if (rowstore_batch_cells(k->fly.rb))
		fly_submit(k);
	else	/* as if written, without the writer */
		fly_finish(k, ROWSTORE_OK, NULL, 0);
}

/* After a write ended: backoff and pause on failure, reset on success. */
static void after_write(struct k2h *k, int64_t now)
{
	if (k->fly_state == FLY_FAILED) {
		set_paused(k, 1);
		k->backoff = k->backoff ? k->backoff * 2 : 100;
		if (k->backoff > k->o.max_backoff_ms)
			k->backoff = k->o.max_backoff_ms;
		k->retry_at = now + k->backoff;
	} else {
		set_paused(k, 0);
		k->backoff = 0;
		k->retry_at = 0;
	}
}

/* Writes everything held, synchronously (revoke, exit): the batch in flight
 * (once more if it had failed), then the filling one. 0 all written, -1 not. */
static int flush_held(struct k2h *k)
{
	fly_complete(k, 1);
	if (k->fly_state == FLY_FAILED) {
		fly_submit(k);
		fly_complete(k, 1);
		if (k->fly_state == FLY_FAILED)
			return -1;
	}
	if (k->fill.n) {
		fly_start(k);
		fly_complete(k, 1);
		if (k->fly_state == FLY_FAILED)
			return -1;
	}
	return 0;
}

/* Drops what is held, uncommitted: its partitions' next owner reads it again. */
static void drop_held(struct k2h *k)
{
	fly_complete(k, 1);	/* the writer may still be using the batch */
	k->dropped_on_revoke += k->fly.n + k->fill.n;
	batch_release(&k->fly);
	batch_release(&k->fill);
	k->fly_state = FLY_NONE;
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts,
			 void *opaque)
{
	struct k2h *k = opaque;
	int coop = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		job_info("partitions assigned", "count=%d", parts->cnt);
		if (coop)
			rd_kafka_error_destroy(rd_kafka_incremental_assign(rk, parts));
		else
			rd_kafka_assign(rk, parts);
		k->paused = 0;
		return;
	}
	job_info("partitions revoked", "count=%d held=%zu", parts->cnt, k->fill.n + k->fly.n);
	if (k->fill.n + k->fly.n) {
		if (rd_kafka_assignment_lost(rk)) {
			drop_held(k);
		} else if (flush_held(k) < 0) {
			/* not written: not committed; the partitions' next owner re-reads them */
			drop_held(k);
		}
	}
	rd_kafka_resp_err_t ce = rd_kafka_commit(rk, NULL, 0);
	if (ce && ce != RD_KAFKA_RESP_ERR__NO_OFFSET)
		job_warn("commit on revoke failed", "error=%s", rd_kafka_err2str(ce));
	if (coop)
		rd_kafka_error_destroy(rd_kafka_incremental_unassign(rk, parts));
	else
		rd_kafka_assign(rk, NULL);
	k->paused = 0;
	k->retry_at = 0;
}

static int kafka_open(struct k2h *k, char *errstr, size_t errsz)
{
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	const char *base[][2] = {
		{"bootstrap.servers", k->o.brokers}, {"group.id", k->o.group}, {"enable.auto.commit", "false"},
		{"enable.auto.offset.store", "false"}, {"auto.offset.reset", "earliest"},
		{"reconnect.backoff.max.ms", "1000"},
		{"fetch.wait.max.ms", "50"},	/* realtime: an idle partition answers within 50 ms */
	};
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
		if (rd_kafka_conf_set(conf, base[i][0], base[i][1], errstr, errsz) != RD_KAFKA_CONF_OK)
			goto bad;
	if (kgroup_conf(conf, k->o.instance_id, k->o.session_ms ? k->o.session_ms : 45000, errstr, errsz) < 0)
		goto bad;
	job_err ke;
	if (kconf_apply(&k->o.kafka, conf, &ke) < 0) {
		size_t n = strnlen(ke.msg, errsz - 1);
		memcpy(errstr, ke.msg, n);
		errstr[n] = '\0';
		goto bad;
	}
	if (strcmp(k->o.group, "") == 0) {
		snprintf(errstr, errsz, "--group is empty");
		goto bad;
	}
	rd_kafka_conf_set_opaque(conf, k);
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	k->rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, errstr, errsz);
	if (!k->rk)
		goto bad;
	rd_kafka_poll_set_consumer(k->rk);
	rd_kafka_topic_partition_list_t *t = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(t, k->o.topic, RD_KAFKA_PARTITION_UA);
	rd_kafka_resp_err_t e = rd_kafka_subscribe(k->rk, t);
	rd_kafka_topic_partition_list_destroy(t);
	if (e) {
		snprintf(errstr, errsz, "subscribe %s: %s", k->o.topic, rd_kafka_err2str(e));
		return -1;
	}
	return 0;
bad:
	rd_kafka_conf_destroy(conf);
	return -1;
}

static int store_open(struct k2h *k)
{
	char rb[URI_REDACT_MAX];
	struct rowstore_err e;
	const char *fam[] = {K2H_FAMILY};
	int64_t backoff = 100;
	while (!job_stopping()) {
		struct rowstore_opts ro = {.retries = (int)k->o.store_retries};
		k->rs = rowstore_open(k->o.store, k->o.store_retries >= 0 ? &ro : NULL, &e);
		if (k->rs && rowstore_create_table(k->rs, k->o.table, fam, 1, 1, &e) == ROWSTORE_OK)
			return 0;
		if (k->rs)
			rowstore_close(k->rs);
		k->rs = NULL;
		if (!rowstore_retryable(e.code)) {
			job_error("usage", "error=--store: %s store=%s", e.msg, uri_redact(k->o.store, rb, sizeof rb));
			return 2;
		}
		job_warn("store unavailable; retrying", "store=%s error=%s", uri_redact(k->o.store, rb, sizeof rb), e.msg);
		usleep((useconds_t)backoff * 1000);
		backoff = backoff * 2 > k->o.max_backoff_ms ? k->o.max_backoff_ms : backoff * 2;
	}
	return 1;
}

static void add_msg(struct k2h *k, rd_kafka_message_t *m)
{
	struct slot *b = &k->fill;
	if (b->n == b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 1024;
		rd_kafka_message_t **p = realloc(b->msgs, nc * sizeof *p);
		if (!p) {	/* cannot hold it: not stored, not committed, re-read later */
			rd_kafka_message_destroy(m);
			return;
		}
		b->msgs = p;
		b->cap = nc;
	}
	if (!b->n)
		b->started = job_mono_ms();
	b->msgs[b->n++] = m;
	k->consumed++;
}

static int run(struct k2h *k)
{
	int64_t last_progress = job_mono_ms();
	uint64_t last_written = 0;
	int rc = 0;
	while (!job_stopping()) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(k->rk, 20);
		if (kgroup_fatal(k->rk, m)) {	/* fenced: this consumer can do nothing more */
			rd_kafka_message_destroy(m);
			rc = 1;
			break;
		}
		if (m && m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
				job_warn("consumer error", "error=%s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
		} else if (m)
			add_msg(k, m);
		int64_t now = job_mono_ms();
		/* a full batch waits for the one in flight: memory stays bounded */
		int full = k->fill.n >= (size_t)k->o.batch;
		if (k->fly_state == FLY_WRITING && fly_complete(k, full))
			after_write(k, now);
		if (k->fly_state == FLY_FAILED && now >= k->retry_at)
			fly_submit(k);
		int due = full || (k->fill.n && now - k->fill.started >= k->o.flush_ms);
		if (due && k->fly_state == FLY_NONE) {
			fly_start(k);
			if (k->fly_state != FLY_WRITING)	/* only malformed ones: already done */
				after_write(k, now);
		}
		if (now - last_progress >= 5000) {
			job_info("progress", "consumed=%llu written=%llu malformed=%llu records_per_s=%.0f",
				 (unsigned long long)k->consumed, (unsigned long long)k->written,
				 (unsigned long long)k->malformed,
				 (double)(k->written - last_written) * 1000.0 / (double)(now - last_progress));
			last_progress = now;
			last_written = k->written;
		}
	}
	job_info("stopping: writing the held batches", "signal=%d held=%zu", job_stop_signal(),
		 k->fill.n + k->fly.n);
	for (int tries = 0; k->fill.n + k->fly.n && tries < 5; tries++)
		if (flush_held(k) < 0)
			usleep(200000);
	if (k->fill.n + k->fly.n) {
		job_warn("batch not written at exit; it is read again at the next start", "records=%zu",
			 k->fill.n + k->fly.n);
		drop_held(k);
	}
	return rc;
}

static int slot_init(struct slot *b)
{
	b->rb = rowstore_batch_new();
	return b->rb ? 0 : -1;
}

static void slot_free(struct slot *b)
{
	if (b->rb)
		batch_release(b);
	free(b->msgs);
	free(b->dead);
	rowstore_batch_free(b->rb);
}

int main(int argc, char **argv)
{
	char rb[URI_REDACT_MAX];
	struct k2h k;
	char errstr[512];
	memset(&k, 0, sizeof k);
	job_init("kafka2hbase", argc, argv);
	job_err oe;
	int orc = k2h_opts_parse(argc, argv, &k.o, &oe);
	if (orc != OPTS_OK) {
		if (orc == OPTS_HELP)
			k2h_opts_help(stdout);
		else
			job_error("usage", "error=%s", oe.msg);
		k2h_opts_free(&k.o);
		return orc == OPTS_HELP ? JOB_EXIT_OK : JOB_EXIT_USAGE;
	}
	if (k.o.dead_letter && !(k.dlq = fopen(k.o.dead_letter, "a"))) {
		job_error("usage", "error=--dead-letter: %s path=%s", strerror(errno), k.o.dead_letter);
		k2h_opts_free(&k.o);
		return JOB_EXIT_USAGE;
	}
	int rc = store_open(&k);
	if (rc) {
		if (k.dlq)
			fclose(k.dlq);
		k2h_opts_free(&k.o);
		return rc;
	}
	pthread_mutex_init(&k.w.mu, NULL);
	pthread_cond_init(&k.w.cv, NULL);
	if (slot_init(&k.fill) || slot_init(&k.fly) || writer_start(&k) < 0) {
		job_error("cannot start: out of memory or threads", NULL);
		rc = 1;
	} else if (kafka_open(&k, errstr, sizeof errstr) < 0) {
		job_error("usage", "error=kafka configuration: %s", errstr);
		rc = JOB_EXIT_USAGE;
	} else {
		job_info("consuming", "brokers=%s topic=%s group=%s group_instance_id=%s store=%s table=%s", k.o.brokers,
			 k.o.topic, k.o.group, *k.o.instance_id ? k.o.instance_id : "none", uri_redact(k.o.store, rb, sizeof rb), k.o.table);
		rc = run(&k);
		/* a clean leave, static member or not: the revoke callback writes and
		 * commits what is held, and the partitions go to the group at once */
		kgroup_close(k.rk, 10000);
	}
	if (k.w.running)
		drop_held(&k);	/* empty by now; the messages go before their handle */
	if (k.rk)
		kgroup_destroy(k.rk);
	writer_stop(&k);
	slot_free(&k.fill);
	slot_free(&k.fly);
	pthread_cond_destroy(&k.w.cv);
	pthread_mutex_destroy(&k.w.mu);
	if (k.dlq)
		fclose(k.dlq);
	rowstore_close(k.rs);
	job_result_set_int("consumed", (int64_t)k.consumed);
	job_result_set_int("written", (int64_t)k.written);
	job_result_set_int("malformed", (int64_t)k.malformed);
	job_result_set_int("batches", (int64_t)k.batches);
	job_result_set_int("store_failures", (int64_t)k.store_failures);
	job_result_set_int("commit_failures", (int64_t)k.commits_failed);
	job_result_set_int("dropped_on_revoke", (int64_t)k.dropped_on_revoke);
	job_result_print();
	k2h_opts_free(&k.o);
	return rc;
}
