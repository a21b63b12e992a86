/* overspeed.c: overspeed, the real-time overspeed detector. Reads driver records
 * from Kafka (its own consumer group, manual commits) or from a file, feeds
 * the window engine (window.c), writes each closed window's detections to
 * Redis (rwriter.c) and commits offsets only up to what the engine says is
 * safe (the lowest offset still held by an open window or an unacknowledged
 * write). One thread, one loop: poll, add, write what closed, commit, reload
 * the rule when the file changed or SIGHUP arrived. The group membership
 * (static id from the task, session timeout, the leave at a stop, a fenced
 * exit) is jobs/common/kgroup.c's, shared with kafka2hbase. */
#include "jobs/common/evtime.h"
#include "jobs/common/job.h"
#include "jobs/common/kgroup.h"
#include "jobs/common/redisconn.h"
#include "jobs/overspeed/ovs_opts.h"
#include "jobs/overspeed/rule.h"
#include "lib/options.h"
#include "jobs/overspeed/rwriter.h"
#include "jobs/overspeed/window.h"

#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <librdkafka/rdkafka.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LAT_MAX 200000

static struct {
	struct ovs_opts o;
	struct ovs_rule *rule;
	struct rule_watch watch;
	struct win_engine *eng;
	struct redisconn rc;
	rd_kafka_t *rk;
	rd_kafka_topic_partition_list_t *assigned;
	uint64_t rejected, commands, retries, commits, reloads, reload_errors;
	int64_t next_write_ns, backoff_ms, last_rule_check_ns, last_commit_ns;
	int paused;
	double lat_close[LAT_MAX], lat_produce[LAT_MAX];
	size_t n_lat_close, n_lat_produce;
	int64_t last_msg_ts_ms;	/* Kafka timestamp of the message being processed */
} g;

static volatile sig_atomic_t hup;

static void on_hup(int sig)
{
	(void)sig;
	hup = 1;
}

static int64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t wall_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- rule reloading ---- */

static void log_rule(const char *msg, const struct ovs_rule *r)
{
	char d[1024];
	rule_describe(r, d, sizeof d);
	job_info(msg, "file=%s rule=%s", r->source, d);
}

static void maybe_reload(int force)
{
	if (!g.o.rule_path)
		return;
	int64_t t = now_ns();
	int due = force || hup || t - g.last_rule_check_ns >= g.o.rule_poll_ms * 1000000;
	if (!due)
		return;
	g.last_rule_check_ns = t;
	int by_signal = hup;
	hup = 0;
	if (!by_signal && !rule_watch_changed(&g.watch))
		return;
	rule_watch_mark(&g.watch);
	char err[1024];
	struct ovs_rule *r = rule_load(g.o.rule_path, err, sizeof err);
	if (!r) {
		g.reload_errors++;
		job_error("rule rejected, the previous rule stays in force", "error=%s", err);
		return;
	}
	win_set_rule(g.eng, r);
	rule_unref(g.rule);
	g.rule = r;
	g.reloads++;
	log_rule(by_signal ? "rule reloaded (SIGHUP)" : "rule reloaded (file changed)", r);
}

/* ---- writing ---- */

static void record_latency(const struct win_pane *p)
{
	if (p->closed_ns && g.n_lat_close < LAT_MAX)
		g.lat_close[g.n_lat_close++] = (double)(now_ns() - p->closed_ns) / 1e6;
	if (p->tag > 0 && g.n_lat_produce < LAT_MAX)
		g.lat_produce[g.n_lat_produce++] = (double)(wall_ms() - p->tag);
}

/* Writes closed windows in order. block: retry (with backoff) until written
 * or stopping; else one attempt per due time. Returns 0 when nothing is left. */
static int drain(int block)
{
	struct win_pane *p;
	while ((p = win_pending(g.eng)) != NULL) {
		int64_t t = now_ns();
		if (t < g.next_write_ns) {
			if (!block || job_stopping())
				return -1;
			usleep((useconds_t)((g.next_write_ns - t) / 1000));
			continue;
		}
		job_err e;
		if (rw_write_pane(&g.rc, p, &g.commands, &e) != 0) {
			g.retries++;
			g.backoff_ms = g.backoff_ms ? g.backoff_ms * 2 : 100;
			if (g.backoff_ms > 5000)
				g.backoff_ms = 5000;
			g.next_write_ns = now_ns() + g.backoff_ms * 1000000;
			job_warn("redis write failed, holding results and offsets", "error=%s retry_in_ms=%lld pending=%zu",
				 e.msg, (long long)g.backoff_ms, win_pending_count(g.eng));
			continue;
		}
		if (g.backoff_ms)
			job_info("redis writes resumed", "pending=%zu", win_pending_count(g.eng));
		g.backoff_ms = 0;
		if (p->n_det) {
			char st[15];
			evtime_format14(p->start, st);
			job_debug("window written", "start=%s detections=%zu cars=%u", st, p->n_det, p->cars);
		}
		record_latency(p);
		win_ack(g.eng, p);
	}
	return 0;
}

/* ---- Kafka ---- */

/* Commit metadata: "acked_through=yyyyMMddHHmmss", the end of the newest
 * window that is written together with all older ones. */
static int64_t parse_floor(const void *md, size_t n)
{
	char buf[64];
	int64_t t;
	if (!md || n < 14 + 14 || n >= sizeof buf)
		return WIN_NONE;
	memcpy(buf, md, n);
	buf[n] = 0;
	if (strncmp(buf, "acked_through=", 14) != 0 || strlen(buf + 14) != 14 || evtime_parse14(buf + 14, &t))
		return WIN_NONE;
	return t;
}

static void commit_offsets(void)
{
	if (!g.rk || !g.assigned || g.assigned->cnt == 0)
		return;
	rd_kafka_topic_partition_list_t *l = rd_kafka_topic_partition_list_new(g.assigned->cnt);
	int64_t acked = win_acked_through(g.eng);
	for (int i = 0; i < g.assigned->cnt; i++) {
		rd_kafka_topic_partition_t *a = &g.assigned->elems[i];
		int64_t off = win_safe_offset(g.eng, a->partition);
		if (off < 0)
			continue;
		int64_t fl = win_get_floor(g.eng, a->partition);
		int64_t t = fl > acked ? fl : acked;
		rd_kafka_topic_partition_t *x = rd_kafka_topic_partition_list_add(l, a->topic, a->partition);
		x->offset = off;
		if (t != WIN_NONE) {
			char md[64];
			strcpy(md, "acked_through=");
			evtime_format14(t, md + 14);
			x->metadata = strdup(md);
			x->metadata_size = strlen(md);
		}
	}
	if (l->cnt) {
		rd_kafka_resp_err_t err = rd_kafka_commit(g.rk, l, 0);
		if (err && err != RD_KAFKA_RESP_ERR__NO_OFFSET)
			job_warn("commit failed (will retry)", "error=%s", rd_kafka_err2str(err));
		else
			g.commits++;
	}
	rd_kafka_topic_partition_list_destroy(l);
	g.last_commit_ns = now_ns();
}

static void rebalance_cb(rd_kafka_t *rk, rd_kafka_resp_err_t err, rd_kafka_topic_partition_list_t *parts, void *op)
{
	(void)op;
	if (err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS) {
		/* restore the replay floors stored with the committed offsets */
		rd_kafka_resp_err_t e2 = rd_kafka_committed(rk, parts, 10000);
		if (e2)
			job_warn("could not read committed offsets", "error=%s", rd_kafka_err2str(e2));
		for (int i = 0; i < parts->cnt; i++) {
			rd_kafka_topic_partition_t *p = &parts->elems[i];
			win_track_partition(g.eng, p->partition);
			int64_t fl = e2 ? WIN_NONE : parse_floor(p->metadata, p->metadata_size);
			if (fl != WIN_NONE)
				win_set_floor(g.eng, p->partition, fl);
			char fs[15] = "none";
			if (fl != WIN_NONE)
				evtime_format14(fl, fs);
			job_info("partition assigned", "topic=%s partition=%d committed=%lld acked_through=%s", p->topic,
				 p->partition, (long long)p->offset, fs);
		}
		if (g.assigned)
			rd_kafka_topic_partition_list_destroy(g.assigned);
		g.assigned = rd_kafka_topic_partition_list_copy(parts);
		g.paused = 0;
		rd_kafka_assign(rk, parts);
		return;
	}
	/* revoke (eager): write what closed, commit the safe offsets, forget the
	 * rest; the next owner (maybe us) re-reads from the committed offsets */
	if (!rd_kafka_assignment_lost(rk)) {
		int64_t until = now_ns() + 10 * 1000000000LL;
		while (drain(0) != 0 && now_ns() < until && !job_stopping())
			usleep(50000);
		commit_offsets();
	}
	job_info("partitions revoked", "count=%d dropped_open_windows=%zu", parts->cnt, win_open_count(g.eng));
	win_reset(g.eng);
	if (g.assigned)
		rd_kafka_topic_partition_list_destroy(g.assigned);
	g.assigned = NULL;
	rd_kafka_assign(rk, NULL);
}

static int kafka_open(void)
{
	char err[512];
	rd_kafka_conf_t *conf = rd_kafka_conf_new();
	const char *kv[][2] = {
		{"bootstrap.servers", g.o.brokers}, {"group.id", g.o.group}, {"enable.auto.commit", "false"},
		{"enable.auto.offset.store", "false"}, {"auto.offset.reset", "earliest"}, {"enable.partition.eof", "true"},
		{"client.id", "overspeed"}, {"fetch.wait.max.ms", "50"}};
	for (size_t i = 0; i < sizeof kv / sizeof *kv; i++)
		if (rd_kafka_conf_set(conf, kv[i][0], kv[i][1], err, sizeof err) != RD_KAFKA_CONF_OK) {
			job_error("kafka configuration", "error=%s", err);
			rd_kafka_conf_destroy(conf);
			return -1;
		}
	if (kgroup_conf(conf, g.o.instance_id, g.o.session_ms, err, sizeof err) < 0) {
		job_error("kafka configuration", "error=%s", err);
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	job_err ke;
	if (kconf_apply(&g.o.kafka, conf, &ke) < 0) {
		job_error("usage", "error=%s", ke.msg);
		rd_kafka_conf_destroy(conf);
		return -1;
	}
	rd_kafka_conf_set_rebalance_cb(conf, rebalance_cb);
	g.rk = rd_kafka_new(RD_KAFKA_CONSUMER, conf, err, sizeof err);
	if (!g.rk) {
		job_error("kafka consumer", "error=%s", err);
		return -1;
	}
	rd_kafka_poll_set_consumer(g.rk);
	rd_kafka_topic_partition_list_t *t = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_list_add(t, g.o.topic, RD_KAFKA_PARTITION_UA);
	rd_kafka_resp_err_t e = rd_kafka_subscribe(g.rk, t);
	rd_kafka_topic_partition_list_destroy(t);
	if (e) {
		job_error("kafka subscribe", "topic=%s error=%s", g.o.topic, rd_kafka_err2str(e));
		return -1;
	}
	job_info("consuming", "brokers=%s topic=%s group=%s group_instance_id=%s", g.o.brokers, g.o.topic, g.o.group,
		 *g.o.instance_id ? g.o.instance_id : "none");
	return 0;
}

static void tag_new_panes(size_t before)
{
	/* panes closed by this message: remember its produce time for latency */
	size_t i = 0;
	for (struct win_pane *p = win_pending(g.eng); p; p = p->next, i++)
		if (i >= before && !p->tag)
			p->tag = g.last_msg_ts_ms;
}

static void handle_line(const char *s, size_t n, int part, int64_t off)
{
	static struct win_tscache cache;
	struct win_record r;
	const char *why;
	if (win_parse_driver(s, n, &r, &cache, &why) != 0) {
		g.rejected++;
		win_skip_offset(g.eng, part, off);
		if (g.rejected <= 10)
			job_warn("record rejected", "partition=%d offset=%lld reason=%s line=%.*s", part, (long long)off, why,
				 (int)(n > 120 ? 120 : n), s);
		return;
	}
	win_add(g.eng, &r, part, off);
}

static int all_at_eof(const int *eof)
{
	if (!g.assigned || g.assigned->cnt == 0)
		return 0;
	for (int i = 0; i < g.assigned->cnt; i++) {
		int p = g.assigned->elems[i].partition;
		if (p >= 1024 || !eof[p])
			return 0;
	}
	return 1;
}

static void set_paused(int pause)
{
	if (!g.assigned || pause == g.paused)
		return;
	if (pause)
		rd_kafka_pause_partitions(g.rk, g.assigned);
	else
		rd_kafka_resume_partitions(g.rk, g.assigned);
	g.paused = pause;
	job_info(pause ? "consumption paused: results waiting for redis" : "consumption resumed", "pending=%zu",
		 win_pending_count(g.eng));
}

static int run_kafka(void)
{
	static int eof[1024];
	if (kafka_open())
		return JOB_EXIT_USAGE;
	int rc = JOB_EXIT_OK;
	while (!job_stopping()) {
		rd_kafka_message_t *m = rd_kafka_consumer_poll(g.rk, 100);
		if (m) {
			if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF) {
				if (m->partition < 1024)
					eof[m->partition] = 1;
				win_set_eof(g.eng, m->partition, 1);
			} else if (kgroup_fatal(g.rk, m)) {	/* fenced: nothing more to do */
				rd_kafka_message_destroy(m);
				rc = JOB_EXIT_FAILED;
				break;
			} else if (m->err) {
				job_warn("kafka", "error=%s", rd_kafka_message_errstr(m));
			} else {
				if (m->partition < 1024 && eof[m->partition]) {
					eof[m->partition] = 0;
					win_set_eof(g.eng, m->partition, 0);
				}
				rd_kafka_timestamp_type_t tt;
				g.last_msg_ts_ms = rd_kafka_message_timestamp(m, &tt);
				size_t before = win_pending_count(g.eng);
				handle_line(m->payload, m->len, m->partition, m->offset);
				if (win_pending_count(g.eng) > before)
					tag_new_panes(before);
			}
			rd_kafka_message_destroy(m);
		}
		drain(0);
		set_paused(win_pending_count(g.eng) >= (size_t)g.o.max_pending);
		if (now_ns() - g.last_commit_ns >= g.o.commit_ms * 1000000)
			commit_offsets();
		maybe_reload(0);
		if (g.o.exit_at_eof && all_at_eof(eof)) {
			win_close_all(g.eng);
			break;
		}
	}
	/* stop: write what is closed (open windows stay uncommitted and are re-read) */
	if (drain(1) != 0)
		rc = JOB_EXIT_FAILED;
	commit_offsets();
	/* a clean leave, static member or not: the partitions go to the group at once */
	kgroup_close(g.rk, 10000);
	if (g.assigned)
		rd_kafka_topic_partition_list_destroy(g.assigned);
	kgroup_destroy(g.rk);
	g.rk = NULL;
	return rc;
}

/* ---- file ---- */

static int run_file(void)
{
	int fd = strcmp(g.o.from_file, "-") ? open(g.o.from_file, O_RDONLY | O_CLOEXEC) : 0;
	if (fd < 0) {
		job_error("cannot open input", "file=%s error=%s", g.o.from_file, strerror(errno));
		return JOB_EXIT_USAGE;
	}
	size_t cap = 1 << 20, len = 0;
	char *buf = malloc(cap);
	int64_t line_no = 0;
	uint64_t bytes = 0;
	int rc = JOB_EXIT_OK, eof = 0;
	if (!buf)
		abort();
	win_track_partition(g.eng, 0);
	job_progress_start("overspeed", 0, "records");
	while (!eof && !job_stopping()) {
		struct pollfd pfd = {fd, POLLIN, 0};
		int pr = poll(&pfd, 1, 200);
		if (pr > 0) {
			ssize_t n = read(fd, buf + len, cap - len);
			if (n < 0 && errno != EINTR && errno != EAGAIN) {
				job_error("read failed", "file=%s error=%s", g.o.from_file, strerror(errno));
				rc = JOB_EXIT_FAILED;
				break;
			}
			if (n == 0)
				eof = 1;
			if (n > 0) {
				len += (size_t)n;
				bytes += (uint64_t)n;
			}
			size_t start = 0;
			uint64_t before = line_no;
			for (;;) {
				char *nl = memchr(buf + start, '\n', len - start);
				if (!nl) {
					if (eof && start < len) {	/* last line without a newline */
						handle_line(buf + start, len - start, 0, line_no++);
						start = len;
					}
					break;
				}
				if (nl > buf + start)
					handle_line(buf + start, (size_t)(nl - buf - start), 0, line_no++);
				start = (size_t)(nl - buf) + 1;
			}
			memmove(buf, buf + start, len - start);
			len -= start;
			if (len == cap) {
				job_error("line longer than 1 MiB", "file=%s line=%lld", g.o.from_file, (long long)line_no + 1);
				rc = JOB_EXIT_REJECTED;
				break;
			}
			job_progress_add(line_no - before);
		}
		drain(0);
		maybe_reload(0);
	}
	job_progress_finish();
	free(buf);
	if (fd != 0)
		close(fd);
	if (rc == JOB_EXIT_OK && !job_stopping())
		win_close_all(g.eng);	/* end of input closes every window */
	if (drain(1) != 0 && rc == JOB_EXIT_OK)
		rc = JOB_EXIT_FAILED;
	if (job_stopping() && rc == JOB_EXIT_OK && win_open_count(g.eng))
		job_info("stopped before end of input", "open_windows=%zu", win_open_count(g.eng));
	job_result_set_int("bytes", (int64_t)bytes);
	uint64_t total = win_stats(g.eng)->records + g.rejected;
	if (rc == JOB_EXIT_OK && total && (double)g.rejected / (double)total > g.o.max_bad_ratio) {
		job_error("too many rejected lines", "rejected=%llu lines=%llu max_bad_ratio=%g",
			  (unsigned long long)g.rejected, (unsigned long long)total, g.o.max_bad_ratio);
		rc = JOB_EXIT_REJECTED;
	}
	return rc;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void put_pct(const char *name, double *v, size_t n)
{
	char k[64];
	if (!n)
		return;
	qsort(v, n, sizeof *v, cmp_d);
	snprintf(k, sizeof k, "%s_p50_ms", name);
	job_result_set_double(k, v[(n + 1) / 2 - 1]);
	snprintf(k, sizeof k, "%s_p99_ms", name);
	job_result_set_double(k, v[(size_t)ceil((double)n * 0.99) - 1]);
}

int main(int argc, char **argv)
{
	job_init("overspeed", argc, argv);
	job_err e;
	int orc = ovs_opts_parse(argc, argv, &g.o, &e);
	if (orc != OPTS_OK) {
		if (orc == OPTS_HELP)
			ovs_opts_help(stdout);
		else
			job_error("usage", "error=%s", e.msg);
		ovs_opts_free(&g.o);
		return orc == OPTS_HELP ? JOB_EXIT_OK : JOB_EXIT_USAGE;
	}
	if (redisconn_parse(&g.rc, "--redis", g.o.redis_uri, &e)) {
		job_error("usage", "error=%s", e.msg);
		return JOB_EXIT_USAGE;
	}
	/* refused credentials are a configuration error, found before any input
	 * is read; an unreachable Redis is not (the writes hold and retry) */
	if (redisconn_open(&g.rc, &e) == REDISCONN_EREFUSED) {
		job_error("redis refused the credentials", "error=%s", e.msg);
		redisconn_free(&g.rc);
		return JOB_EXIT_USAGE;
	}
	if (g.o.rule_path) {
		char err[1024];
		rule_watch_init(&g.watch, g.o.rule_path);
		g.rule = rule_load(g.o.rule_path, err, sizeof err);
		if (!g.rule) {
			job_error("bad rule file", "error=%s", err);
			rule_watch_free(&g.watch);
			return JOB_EXIT_USAGE;
		}
	} else {
		g.rule = rule_default();
	}
	log_rule("rule in force", g.rule);
	struct sigaction sa = {0};
	sa.sa_handler = on_hup;	/* no SA_RESTART: a blocking read returns to the loop */
	sigaction(SIGHUP, &sa, NULL);
	g.eng = win_new(g.rule);
	win_set_clock(g.eng, now_ns);
	g.last_rule_check_ns = g.last_commit_ns = now_ns();

	int rc = g.o.from_file ? run_file() : run_kafka();

	const struct win_stats *s = win_stats(g.eng);
	job_result_set_int("records", (int64_t)(s->records + g.rejected));
	job_result_set_int("rejected", (int64_t)g.rejected);
	job_result_set_int("late", (int64_t)s->late);
	job_result_set_int("filtered", (int64_t)s->filtered);
	job_result_set_int("replayed", (int64_t)s->replayed);
	job_result_set_int("windows", (int64_t)s->windows_acked);
	job_result_set_int("detections", (int64_t)s->detections);
	job_result_set_int("written", (int64_t)g.commands);
	job_result_set_int("redis_retries", (int64_t)g.retries);
	job_result_set_int("commits", (int64_t)g.commits);
	job_result_set_int("rule_reloads", (int64_t)g.reloads);
	job_result_set_int("rule_errors", (int64_t)g.reload_errors);
	put_pct("close_to_sadd", g.lat_close, g.n_lat_close);
	put_pct("produce_to_sadd", g.lat_produce, g.n_lat_produce);
	job_info("done", "records=%llu detections=%llu late=%llu exit=%d", (unsigned long long)s->records,
		 (unsigned long long)s->detections, (unsigned long long)s->late, rc);
	job_result_print();
	win_free(g.eng);
	rule_unref(g.rule);
	if (g.o.rule_path)
		rule_watch_free(&g.watch);
	redisconn_free(&g.rc);
	ovs_opts_free(&g.o);
	return rc;
}
