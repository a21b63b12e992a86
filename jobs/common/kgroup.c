/* kgroup.c: consumer-group membership of the stream jobs (see kgroup.h). */
#include "jobs/common/kgroup.h"
#include "jobs/common/job.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_fatal(rd_kafka_t *rk);

static int id_char_ok(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
	       c == '-';
}

static void set_err(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

int kgroup_derive_id(const char *dag, const char *task, const char *run, char *out, size_t outsz)
{
	char full[3 * 4096];
	if (!dag || !*dag || !task || !*task || outsz < KGROUP_ID_MAX)
		return -1;
	int n = snprintf(full, sizeof full, "%s.%s%s%s", dag, task, run && *run ? "." : "", run ? run : "");
	if (n < 0 || (size_t)n >= sizeof full)
		return -1;
	for (char *p = full; *p; p++)
		if (!id_char_ok(*p))
			*p = '_';
	if ((size_t)n <= KGROUP_ID_MAX - 1) {
		memcpy(out, full, (size_t)n + 1);
		return 0;
	}
	/* too long: the head, '-', and 16 hex digits of the FNV-1a hash of the whole */
	uint64_t h = 14695981039346656037ULL;
	for (const char *p = full; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 1099511628211ULL;
	}
	size_t head = KGROUP_ID_MAX - 1 - 17;
	memcpy(out, full, head);
	snprintf(out + head, outsz - head, "-%016" PRIx64, h);
	return 0;
}

int kgroup_instance_id(const char *value, char *out, size_t outsz, char *err, size_t errsz)
{
	if (outsz < KGROUP_ID_MAX) {
		set_err(err, errsz, "--group-instance-id: buffer too small");
		return -1;
	}
	out[0] = 0;
	if (!value || !strcmp(value, "auto")) {
		const char *dag = getenv("SCHED_DAG_ID"), *task = getenv("SCHED_TASK_ID");
		if (!dag || !*dag || !task || !*task)
			return 0;	/* not under the daemon: dynamic membership */
		if (kgroup_derive_id(dag, task, getenv("SCHED_RUN_ID"), out, outsz) < 0) {
			set_err(err, errsz, "--group-instance-id auto: SCHED_DAG_ID, SCHED_TASK_ID or SCHED_RUN_ID too long");
			return -1;
		}
		return 0;
	}
	if (!strcmp(value, "none"))
		return 0;
	size_t len = strlen(value);
	if (len == 0 || len > KGROUP_ID_MAX - 1) {
		set_err(err, errsz, "--group-instance-id: '%s' must be 1 to %d characters (or auto, none)", value,
			KGROUP_ID_MAX - 1);
		return -1;
	}
	if (!strcmp(value, ".") || !strcmp(value, "..")) {
		set_err(err, errsz, "--group-instance-id: '%s' is not allowed by Kafka", value);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (!id_char_ok(value[i])) {
			set_err(err, errsz, "--group-instance-id: '%s': character %zu ('%c') is not one of A-Z a-z 0-9 . _ -",
				value, i + 1, value[i]);
			return -1;
		}
	memcpy(out, value, len + 1);
	return 0;
}

int kgroup_conf(rd_kafka_conf_t *conf, const char *instance_id, long long session_ms, char *err, size_t errsz)
{
	char num[32];
	if (instance_id && *instance_id &&
	    rd_kafka_conf_set(conf, "group.instance.id", instance_id, err, errsz) != RD_KAFKA_CONF_OK)
		return -1;
	if (session_ms <= 0)
		return 0;
	snprintf(num, sizeof num, "%lld", session_ms);
	if (rd_kafka_conf_set(conf, "session.timeout.ms", num, err, errsz) != RD_KAFKA_CONF_OK)
		return -1;
	if (session_ms / 3 < 3000) {
		snprintf(num, sizeof num, "%lld", session_ms / 3);
		if (rd_kafka_conf_set(conf, "heartbeat.interval.ms", num, err, errsz) != RD_KAFKA_CONF_OK)
			return -1;
	}
	return 0;
}

/* 1 when the consumer holds no partition and no member id (never joined, or
 * LeaveGroup sent: librdkafka clears the id as it sends it). */
static int left(rd_kafka_t *rk)
{
	rd_kafka_topic_partition_list_t *a = NULL;
	int empty = 1;
	if (rd_kafka_assignment(rk, &a) == RD_KAFKA_RESP_ERR_NO_ERROR && a) {
		empty = a->cnt == 0;
		rd_kafka_topic_partition_list_destroy(a);
	}
	if (!empty)
		return 0;
	char *id = rd_kafka_memberid(rk);
	int none = !id || !*id;
	if (id)
		rd_kafka_mem_free(rk, id);
	return none;
}

int kgroup_leave(rd_kafka_t *rk, int timeout_ms)
{
	if (is_fatal(rk))
		return -1;	/* fenced or failed: the group is no longer ours to leave */
	int64_t until = job_mono_ms() + timeout_ms;
	rd_kafka_resp_err_t e = rd_kafka_unsubscribe(rk);
	if (e) {
		job_warn("cannot leave the consumer group", "error=%s", rd_kafka_err2str(e));
		return -1;
	}
	while (!left(rk)) {
		if (job_mono_ms() >= until) {
			job_warn("consumer group not left in time; its session timeout frees the partitions",
				 "timeout_ms=%d", timeout_ms);
			return -1;
		}
		rd_kafka_message_t *m = rd_kafka_consumer_poll(rk, 20);
		if (m) {
			int fatal = m->err == RD_KAFKA_RESP_ERR__FATAL;
			rd_kafka_message_destroy(m);
			if (fatal)
				return -1;
		}
	}
	job_info("left the consumer group", NULL);
	return 0;
}

int kgroup_fatal(rd_kafka_t *rk, const rd_kafka_message_t *m)
{
	char why[512];
	if (!m || m->err != RD_KAFKA_RESP_ERR__FATAL)
		return 0;
	rd_kafka_resp_err_t code = rd_kafka_fatal_error(rk, why, sizeof why);
	job_error(code == RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID
			  ? "fenced: another consumer joined the group with this group.instance.id"
			  : "fatal consumer error",
		  "error=%s reason=%s", rd_kafka_err2name(code), why);
	return 1;
}

static int is_fatal(rd_kafka_t *rk)
{
	char why[256];
	return rd_kafka_fatal_error(rk, why, sizeof why) != RD_KAFKA_RESP_ERR_NO_ERROR;
}

void kgroup_close(rd_kafka_t *rk, int leave_timeout_ms)
{
	if (is_fatal(rk))
		return;
	kgroup_leave(rk, leave_timeout_ms);
	rd_kafka_consumer_close(rk);
}

void kgroup_destroy(rd_kafka_t *rk)
{
	if (is_fatal(rk))
		rd_kafka_destroy_flags(rk, RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE);
	else
		rd_kafka_destroy(rk);
}
