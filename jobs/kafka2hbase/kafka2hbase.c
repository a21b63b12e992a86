/* kafka2hbase.c: consumes driver records from Kafka and writes each into the
 * row store (Storm's split bolt + HBase bolt), at least once.
 *
 * The loop is rd_kafka_consumer_poll (the batch-consume API of librdkafka 2.0
 * is unsafe with pause and rebalance, protocols.md 4.1); messages are held
 * until their batch (--batch records or --flush-ms) is durable in the store
 * (one sqlite transaction / one multi-row PUT) and the dead letters of the
 * batch are fsynced; only then are offsets stored (+1) and committed (sync).
 * Auto commit and auto offset store are off, so no offset ever gets ahead of
 * the store. When the store fails the batch is kept, the assigned partitions
 * are paused (bounded memory) while polling goes on (heartbeats, rebalances),
 * and the write is retried with backoff. On revoke the batch is written once
 * more and committed; if that fails it is dropped uncommitted and the new
 * owner reads it again. Replays are harmless: a record always becomes the
 * same row key and the same cells with the same timestamps. */
#include "jobs/common/job.h"
#include "jobs/common/rowstore.h"
#include "jobs/kafka2hbase/k2h_record.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <librdkafka/rdkafka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define MAX_KAFKA_OPTS 64

struct opts {
	const char *brokers, *topic, *group, *store, *table, *dead_letter;
	long long batch, flush_ms, session_ms, max_backoff_ms, store_retries;
	const char *kafka[MAX_KAFKA_OPTS];
	int nkafka;
};

struct k2h {
	struct opts o;
	rd_kafka_t *rk;
	struct rowstore *rs;
	FILE *dlq;
	rd_kafka_message_t **msgs;
	size_t n, cap;
	int64_t batch_started;
	struct rowstore_batch *rb;	/* built once per batch, kept across retries */
	char *dead;			/* dead-letter lines of the batch */
	size_t dead_len, dead_cap;
	uint64_t dead_n;
	int built, paused;
	int64_t retry_at, backoff;
	uint64_t consumed, written, malformed, batches, store_failures, commits_failed, dropped_on_revoke;
};

static int64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void usage(FILE *f)
{
	fputs("usage: kafka2hbase --brokers LIST --topic NAME --group G --store URI --table NAME [options]\n"
	      "Writes every driver record of a Kafka topic into the row store, at least once.\n"
	      "  --brokers LIST          Kafka bootstrap servers\n"
	      "  --topic NAME            topic to consume (e.g. SmartCar-Topic)\n"
	      "  --group G               consumer group; instances of one group share partitions\n"
	      "  --store URI             sqlite:PATH or hbase://HOST:PORT\n"
	      "  --table NAME            row store table (e.g. DriverCarInfo), created with family cf1\n"
	      "                          if missing\n"
	      "  --batch N               records per write (default 5000)\n"
	      "  --flush-ms MS           write a partial batch after this long (default 100)\n"
	      "  --dead-letter PATH      append malformed messages here (default: only counted and logged)\n"
	      "  --session-timeout-ms MS Kafka session.timeout.ms (default 45000; low values make group\n"
	      "                          re-joins fast in tests)\n"
	      "  --max-backoff-ms MS     longest wait between store retries (default 5000)\n"
	      "  --store-retries N       tries the store client makes inside one write before kafka2hbase\n"
	      "                          backs off (hbase: default 5)\n"
	      "  -X, --kafka-opt K=V     a librdkafka consumer property (repeatable)\n"
	      "Exit codes: 0 stopped by SIGTERM/SIGINT, 1 failed, 2 usage or configuration error.\n",
	      f);
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	static const struct option lo[] = {
		{"brokers", required_argument, 0, 'b'},	    {"topic", required_argument, 0, 't'},
		{"group", required_argument, 0, 'g'},	    {"store", required_argument, 0, 's'},
		{"table", required_argument, 0, 'T'},	    {"batch", required_argument, 0, 'n'},
		{"flush-ms", required_argument, 0, 'F'},    {"dead-letter", required_argument, 0, 'd'},
		{"session-timeout-ms", required_argument, 0, 'S'}, {"max-backoff-ms", required_argument, 0, 'B'},
		{"kafka-opt", required_argument, 0, 'X'},   {"store-retries", required_argument, 0, 'R'},   {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0},
	};
	job_err e;
	int c;
	*o = (struct opts){.batch = 5000, .flush_ms = 100, .max_backoff_ms = 5000, .store_retries = -1};
	while ((c = getopt_long(argc, argv, "X:", lo, NULL)) != -1) {
		int bad = 0;
		switch (c) {
		case 'b': o->brokers = optarg; break;
		case 't': o->topic = optarg; break;
		case 'g': o->group = optarg; break;
		case 's': o->store = optarg; break;
		case 'T': o->table = optarg; break;
		case 'd': o->dead_letter = optarg; break;
		case 'n': bad = job_parse_int("--batch", optarg, 1, 1000000, &o->batch, &e); break;
		case 'F': bad = job_parse_int("--flush-ms", optarg, 1, 3600000, &o->flush_ms, &e); break;
		case 'S': bad = job_parse_int("--session-timeout-ms", optarg, 1000, 3600000, &o->session_ms, &e); break;
		case 'B': bad = job_parse_int("--max-backoff-ms", optarg, 10, 3600000, &o->max_backoff_ms, &e); break;
		case 'R': bad = job_parse_int("--store-retries", optarg, 0, 100, &o->store_retries, &e); break;
		case 'X':
			if (o->nkafka == MAX_KAFKA_OPTS || !strchr(optarg, '=')) {
				job_err_set(&e, "--kafka-opt: '%s' is not KEY=VALUE", optarg);
				bad = -1;
			} else
				o->kafka[o->nkafka++] = optarg;
			break;
		case 'h': usage(stdout); exit(0);
		default: usage(stderr); return -1;
		}
		if (bad) {
			fprintf(stderr, "kafka2hbase: %s\n", e.msg);
			return -1;
		}
	}
	const char *missing = !o->brokers ? "--brokers" : !o->topic ? "--topic" : !o->group ? "--group"
			    : !o->store ? "--store" : !o->table ? "--table" : NULL;
	if (missing) {
		fprintf(stderr, "kafka2hbase: %s is required (see --help)\n", missing);
		return -1;
	}
	if (optind < argc) {
		fprintf(stderr, "kafka2hbase: unexpected argument '%s'\n", argv[optind]);
		return -1;
	}
	return 0;
}

/* ---- dead letters: one line per message, tab-separated:
 * UTC time, topic, partition, offset, reason, payload (\\ \t \n \r and bytes
 * outside printable ASCII written as \xHH) ---- */

static void dead_append(struct k2h *k, const char *s, size_t n)
{
	if (k->dead_len + n + 1 > k->dead_cap) {
		size_t nc = (k->dead_cap ? k->dead_cap * 2 : 4096) + n;
		char *p = realloc(k->dead, nc);
		if (!p)
			return;
		k->dead = p;
		k->dead_cap = nc;
	}
	memcpy(k->dead + k->dead_len, s, n);
	k->dead_len += n;
}

static void dead_letter(struct k2h *k, const rd_kafka_message_t *m, const char *reason)
{
	char head[512], ts[32];
	time_t now = time(NULL);
	struct tm tm;
	k->malformed++;
	if (k->malformed <= 10 || k->malformed % 10000 == 0)
		job_warn("malformed record", "partition=%d offset=%lld reason=%s malformed=%llu", (int)m->partition,
			 (long long)m->offset, reason, (unsigned long long)k->malformed);
	k->dead_n++;
	if (!k->dlq)
		return;
	gmtime_r(&now, &tm);
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%SZ", &tm);
	int hl = snprintf(head, sizeof head, "%s\t%s\t%d\t%lld\t%s\t", ts, rd_kafka_topic_name(m->rkt),
			  (int)m->partition, (long long)m->offset, reason);
	dead_append(k, head, (size_t)hl < sizeof head ? (size_t)hl : sizeof head - 1);
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
		dead_append(k, esc, (size_t)el);
	}
	dead_append(k, "\n", 1);
}

static int dead_flush(struct k2h *k)
{
	if (!k->dlq || !k->dead_len)
		return 0;
	if (fwrite(k->dead, 1, k->dead_len, k->dlq) != k->dead_len || fflush(k->dlq) != 0 ||
	    fsync(fileno(k->dlq)) != 0) {
		job_error("cannot write the dead-letter file", "file=%s error=%s", k->o.dead_letter, strerror(errno));
		return -1;
	}
	k->dead_len = 0;
	return 0;
}

/* ---- batch ---- */

static void batch_build(struct k2h *k)
{
	struct k2h_record r;
	char reason[256];
	struct rowstore_err e;
	rowstore_batch_clear(k->rb);
	k->dead_len = 0;
	k->dead_n = 0;
	for (size_t i = 0; i < k->n; i++) {
		rd_kafka_message_t *m = k->msgs[i];
		if (k2h_record_parse(m->payload, m->len, &r, reason, sizeof reason) < 0) {
			dead_letter(k, m, reason);
			continue;
		}
		for (int f = 0; f < K2H_FIELDS; f++)
			rowstore_batch_add(k->rb, r.row, K2H_FAMILY, k2h_qualifiers[f], r.ts_ms, r.field[f], &e);
	}
	k->built = 1;
}

static void batch_release(struct k2h *k)
{
	for (size_t i = 0; i < k->n; i++)
		rd_kafka_message_destroy(k->msgs[i]);
	k->n = 0;
	k->built = 0;
	k->dead_len = 0;
	rowstore_batch_clear(k->rb);
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
static void commit_batch(struct k2h *k)
{
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(8);
	for (size_t i = 0; i < k->n; i++) {
		rd_kafka_message_t *m = k->msgs[i];
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

/* Writes the batch. 0 written and committed (or empty); -1 store failed. */
static int batch_flush(struct k2h *k)
{
	struct rowstore_err e;
	if (!k->n)
		return 0;
	if (!k->built)
		batch_build(k);
	int64_t t0 = now_ms();
	if (rowstore_batch_cells(k->rb) &&
	    rowstore_put(k->rs, k->o.table, k->rb, &e) != ROWSTORE_OK) {
		k->store_failures++;
		job_error("store write failed; will retry", "store=%s error=%s records=%zu", k->o.store, e.msg, k->n);
		return -1;
	}
	if (dead_flush(k) < 0)
		return -1;
	int64_t t1 = now_ms();
	k->written += k->n - k->dead_n;
	k->batches++;
	commit_batch(k);
	job_debug("batch written", "records=%zu malformed=%llu put_ms=%lld commit_ms=%lld", k->n,
		  (unsigned long long)k->dead_n, (long long)(t1 - t0), (long long)(now_ms() - t1));
	batch_release(k);
	return 0;
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
	job_info("partitions revoked", "count=%d held=%zu", parts->cnt, k->n);
	if (k->n && (rd_kafka_assignment_lost(rk) || batch_flush(k) < 0)) {
		/* not written: not committed; the partitions' next owner re-reads them */
		k->dropped_on_revoke += k->n;
		batch_release(k);
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
	char session[32];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	snprintf(session, sizeof session, "%lld", k->o.session_ms ? k->o.session_ms : 45000);
	const char *base[][2] = {
		{"bootstrap.servers", k->o.brokers}, {"group.id", k->o.group}, {"enable.auto.commit", "false"},
		{"enable.auto.offset.store", "false"}, {"auto.offset.reset", "earliest"},
		{"session.timeout.ms", session}, {"reconnect.backoff.max.ms", "1000"},
		{"fetch.wait.max.ms", "50"},	/* realtime: an idle partition answers within 50 ms */
	};
	for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
		if (rd_kafka_conf_set(conf, base[i][0], base[i][1], errstr, errsz) != RD_KAFKA_CONF_OK)
			goto bad;
	if (k->o.session_ms && k->o.session_ms / 3 < 3000) {
		char hb[32];
		snprintf(hb, sizeof hb, "%lld", k->o.session_ms / 3);
		rd_kafka_conf_set(conf, "heartbeat.interval.ms", hb, errstr, errsz);
	}
	for (int i = 0; i < k->o.nkafka; i++) {
		char key[256];
		const char *eq = strchr(k->o.kafka[i], '=');
		snprintf(key, sizeof key, "%.*s", (int)(eq - k->o.kafka[i]), k->o.kafka[i]);
		if (rd_kafka_conf_set(conf, key, eq + 1, errstr, errsz) != RD_KAFKA_CONF_OK)
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
			fprintf(stderr, "kafka2hbase: --store %s: %s\n", k->o.store, e.msg);
			return 2;
		}
		job_warn("store unavailable; retrying", "store=%s error=%s", k->o.store, e.msg);
		usleep((useconds_t)backoff * 1000);
		backoff = backoff * 2 > k->o.max_backoff_ms ? k->o.max_backoff_ms : backoff * 2;
	}
	return 1;
}

static void add_msg(struct k2h *k, rd_kafka_message_t *m)
{
	if (k->n == k->cap) {
		size_t nc = k->cap * 2;
		rd_kafka_message_t **p = realloc(k->msgs, nc * sizeof *p);
		if (!p) {	/* cannot hold it: not stored, not committed, re-read later */
			rd_kafka_message_destroy(m);
			return;
		}
		k->msgs = p;
		k->cap = nc;
	}
	if (!k->n)
		k->batch_started = now_ms();
	k->msgs[k->n++] = m;
	k->consumed++;
	k->built = 0;	/* a message added during a retry: rebuild (same rows again are harmless) */
}

static int run(struct k2h *k)
{
	int64_t last_progress = now_ms();
	uint64_t last_written = 0;
	while (!job_stopping()) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(k->rk, 20);
		if (m && m->err) {
			if (m->err != RD_KAFKA_RESP_ERR__PARTITION_EOF)
				job_warn("consumer error", "error=%s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
		} else if (m)
			add_msg(k, m);
		int64_t now = now_ms();
		int due = k->n >= (size_t)k->o.batch || (k->n && now - k->batch_started >= k->o.flush_ms);
		if (due && now >= k->retry_at) {
			if (batch_flush(k) == 0) {
				set_paused(k, 0);
				k->backoff = 0;
				k->retry_at = 0;
			} else {
				set_paused(k, 1);
				k->backoff = k->backoff ? k->backoff * 2 : 100;
				if (k->backoff > k->o.max_backoff_ms)
					k->backoff = k->o.max_backoff_ms;
				k->retry_at = now + k->backoff;
			}
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
	job_info("stopping: writing the held batch", "signal=%d held=%zu", job_stop_signal(), k->n);
	for (int tries = 0; k->n && tries < 5; tries++)
		if (batch_flush(k) < 0)
			usleep(200000);
	if (k->n) {
		job_warn("batch not written at exit; it is read again at the next start", "records=%zu", k->n);
		batch_release(k);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct k2h k;
	char errstr[512];
	memset(&k, 0, sizeof k);
	job_init("kafka2hbase", argc, argv);
	if (parse_opts(argc, argv, &k.o) < 0)
		return JOB_EXIT_USAGE;
	if (k.o.dead_letter && !(k.dlq = fopen(k.o.dead_letter, "a"))) {
		fprintf(stderr, "kafka2hbase: --dead-letter %s: %s\n", k.o.dead_letter, strerror(errno));
		return JOB_EXIT_USAGE;
	}
	int rc = store_open(&k);
	if (rc) {
		if (k.dlq)
			fclose(k.dlq);
		return rc;
	}
	k.cap = 1024;
	k.msgs = malloc(k.cap * sizeof *k.msgs);
	k.rb = rowstore_batch_new();
	if (!k.msgs || !k.rb || kafka_open(&k, errstr, sizeof errstr) < 0) {
		fprintf(stderr, "kafka2hbase: kafka configuration: %s\n", errstr);
		rc = JOB_EXIT_USAGE;
	} else {
		job_info("consuming", "brokers=%s topic=%s group=%s store=%s table=%s", k.o.brokers, k.o.topic,
			 k.o.group, k.o.store, k.o.table);
		rc = run(&k);
		rd_kafka_consumer_close(k.rk);	/* the revoke callback writes and commits what is held */
	}
	if (k.rk)
		rd_kafka_destroy(k.rk);
	batch_release(&k);
	rowstore_batch_free(k.rb);
	free(k.msgs);
	free(k.dead);
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
	return rc;
}
