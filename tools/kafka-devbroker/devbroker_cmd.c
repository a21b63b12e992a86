/* devbroker_cmd.c: parses and applies kafka-devbroker's fault commands.
 * One command per line, words separated by blanks, '#' starts a comment.
 * Names of requests and errors are the protocol's own (Produce, JoinGroup;
 * NOT_LEADER_FOR_PARTITION), numbers are accepted too, so any fault the mock
 * can inject is reachable without a new keyword. */
#include "tools/kafka-devbroker/devbroker_cmd.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *name;
	int key;
} api_names[] = {
	{"Produce", 0},	       {"Fetch", 1},	       {"ListOffsets", 2},    {"Metadata", 3},
	{"OffsetCommit", 8},   {"OffsetFetch", 9},     {"FindCoordinator", 10}, {"JoinGroup", 11},
	{"Heartbeat", 12},     {"LeaveGroup", 13},     {"SyncGroup", 14},     {"ApiVersion", 18},
	{"InitProducerId", 22}, {"AddPartitionsToTxn", 24}, {"AddOffsetsToTxn", 25}, {"EndTxn", 26},
	{"TxnOffsetCommit", 28},
};

static void set_err(char *err, size_t errsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

/* A whole-word decimal integer in [lo, hi]. */
static int parse_int(const char *s, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int devbroker_api_key(const char *name)
{
	long v;
	for (size_t i = 0; i < sizeof api_names / sizeof api_names[0]; i++)
		if (!strcasecmp(name, api_names[i].name))
			return api_names[i].key;
	if (parse_int(name, 0, 32767, &v) == 0)
		return (int)v;
	return -1;
}

int devbroker_err_code(const char *name, rd_kafka_resp_err_t *out)
{
	const struct rd_kafka_err_desc *descs;
	size_t n;
	long v;
	if (!strncasecmp(name, "RD_KAFKA_RESP_ERR_", 18))
		name += 18;
	rd_kafka_get_err_descs(&descs, &n);
	for (size_t i = 0; i < n; i++)
		if (descs[i].name && !strcasecmp(name, descs[i].name)) {
			*out = descs[i].code;
			return 0;
		}
	if (parse_int(name, -200, 32767, &v) == 0) {
		*out = (rd_kafka_resp_err_t)v;
		return 0;
	}
	return -1;
}

static int parse_broker(const char *w, int allow_all, int32_t *out, char *err, size_t errsz)
{
	long v;
	if (allow_all && (!strcmp(w, "all") || !strcmp(w, "-1"))) {
		*out = -1;
		return 0;
	}
	if (parse_int(w, 1, 1000000, &v) < 0) {
		set_err(err, errsz, "bad broker id '%s' (a number from 1%s)", w, allow_all ? ", or 'all'" : "");
		return -1;
	}
	*out = (int32_t)v;
	return 0;
}

#define MAXW 8

int devbroker_cmd_parse(const char *line, struct devbroker_cmd *cmd, char *err, size_t errsz)
{
	char buf[1024], *w[MAXW], *save = NULL;
	int n = 0;
	long v;
	memset(cmd, 0, sizeof *cmd);
	cmd->op = DEVBROKER_NOP;
	if (strlen(line) >= sizeof buf) {
		set_err(err, errsz, "line too long");
		return -1;
	}
	strcpy(buf, line);
	char *hash = strchr(buf, '#');
	if (hash)
		*hash = 0;
	for (char *t = strtok_r(buf, " \t\r\n", &save); t; t = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == MAXW) {
			set_err(err, errsz, "too many words");
			return -1;
		}
		w[n++] = t;
	}
	if (n == 0)
		return 0;
	const char *c = w[0];
	int args = n - 1;
#define NEED(lo, hi, usage)                                                            \
	do {                                                                           \
		if (args < (lo) || args > (hi)) {                                      \
			set_err(err, errsz, "usage: %s", usage);                       \
			return -1;                                                     \
		}                                                                      \
	} while (0)
	if (!strcmp(c, "broker-down") || !strcmp(c, "broker-up")) {
		NEED(1, 1, "broker-down|broker-up ID|all");
		cmd->op = c[7] == 'd' ? DEVBROKER_BROKER_DOWN : DEVBROKER_BROKER_UP;
		return parse_broker(w[1], 1, &cmd->broker, err, errsz);
	}
	if (!strcmp(c, "rtt")) {
		NEED(2, 2, "rtt ID|all MS");
		cmd->op = DEVBROKER_RTT;
		if (parse_broker(w[1], 1, &cmd->broker, err, errsz) < 0)
			return -1;
		if (parse_int(w[2], 0, 3600000, &v) < 0) {
			set_err(err, errsz, "bad milliseconds '%s'", w[2]);
			return -1;
		}
		cmd->ms = (int)v;
		return 0;
	}
	if (!strcmp(c, "error") || !strcmp(c, "broker-error")) {
		int b = !strcmp(c, "broker-error");
		if (b)
			NEED(4, 5, "broker-error ID API COUNT ERROR [RTT_MS]");
		else
			NEED(3, 3, "error API COUNT ERROR");
		cmd->op = b ? DEVBROKER_BROKER_ERROR : DEVBROKER_ERROR;
		if (b && parse_broker(w[1], 0, &cmd->broker, err, errsz) < 0)
			return -1;
		int k = devbroker_api_key(w[1 + b]);
		if (k < 0) {
			set_err(err, errsz, "unknown request '%s' (Produce, Fetch, Metadata, OffsetCommit, JoinGroup, ... or a number)", w[1 + b]);
			return -1;
		}
		cmd->api_key = (int16_t)k;
		if (parse_int(w[2 + b], 1, 1000000, &v) < 0) {
			set_err(err, errsz, "bad count '%s' (a number from 1)", w[2 + b]);
			return -1;
		}
		cmd->count = (int)v;
		if (devbroker_err_code(w[3 + b], &cmd->err) < 0) {
			set_err(err, errsz, "unknown error '%s' (a librdkafka error name such as NOT_LEADER_FOR_PARTITION or _TRANSPORT, or a number)", w[3 + b]);
			return -1;
		}
		if (b && args == 5) {
			if (parse_int(w[5], 0, 3600000, &v) < 0) {
				set_err(err, errsz, "bad milliseconds '%s'", w[5]);
				return -1;
			}
			cmd->ms = (int)v;
		}
		return 0;
	}
	if (!strcmp(c, "clear-errors")) {
		NEED(1, 1, "clear-errors API");
		cmd->op = DEVBROKER_CLEAR_ERRORS;
		int k = devbroker_api_key(w[1]);
		if (k < 0) {
			set_err(err, errsz, "unknown request '%s'", w[1]);
			return -1;
		}
		cmd->api_key = (int16_t)k;
		return 0;
	}
	if (!strcmp(c, "topic")) {
		NEED(2, 3, "topic NAME PARTITIONS [REPLICATION]");
		cmd->op = DEVBROKER_TOPIC;
		if (strlen(w[1]) >= sizeof cmd->topic) {
			set_err(err, errsz, "topic name too long");
			return -1;
		}
		strcpy(cmd->topic, w[1]);
		if (parse_int(w[2], 1, 100000, &v) < 0) {
			set_err(err, errsz, "bad partition count '%s'", w[2]);
			return -1;
		}
		cmd->partition = (int32_t)v;
		if (args == 3) {
			if (parse_int(w[3], 1, 1000, &v) < 0) {
				set_err(err, errsz, "bad replication factor '%s'", w[3]);
				return -1;
			}
			cmd->replication = (int)v;
		}
		return 0;
	}
	if (!strcmp(c, "leader")) {
		NEED(3, 3, "leader TOPIC PARTITION ID|none");
		cmd->op = DEVBROKER_LEADER;
		if (strlen(w[1]) >= sizeof cmd->topic) {
			set_err(err, errsz, "topic name too long");
			return -1;
		}
		strcpy(cmd->topic, w[1]);
		if (parse_int(w[2], 0, 100000, &v) < 0) {
			set_err(err, errsz, "bad partition '%s'", w[2]);
			return -1;
		}
		cmd->partition = (int32_t)v;
		if (!strcmp(w[3], "none")) {
			cmd->broker = -1;
			return 0;
		}
		return parse_broker(w[3], 0, &cmd->broker, err, errsz);
	}
#undef NEED
	set_err(err, errsz, "unknown command '%s' (broker-down, broker-up, rtt, error, broker-error, clear-errors, topic, leader)", c);
	return -1;
}

static int check(rd_kafka_resp_err_t e, char *err, size_t errsz)
{
	if (e == RD_KAFKA_RESP_ERR_NO_ERROR)
		return 0;
	set_err(err, errsz, "%s", rd_kafka_err2str(e));
	return -1;
}

int devbroker_cmd_apply(rd_kafka_mock_cluster_t *mc, int brokers, const struct devbroker_cmd *cmd,
			char *err, size_t errsz)
{
	if (cmd->broker > brokers && cmd->op != DEVBROKER_LEADER) {
		set_err(err, errsz, "no broker %d (this cluster has 1..%d)", (int)cmd->broker, brokers);
		return -1;
	}
	switch (cmd->op) {
	case DEVBROKER_NOP:
		return 0;
	case DEVBROKER_BROKER_DOWN:
		return check(rd_kafka_mock_broker_set_down(mc, cmd->broker), err, errsz);
	case DEVBROKER_BROKER_UP:
		return check(rd_kafka_mock_broker_set_up(mc, cmd->broker), err, errsz);
	case DEVBROKER_RTT:
		return check(rd_kafka_mock_broker_set_rtt(mc, cmd->broker, cmd->ms), err, errsz);
	case DEVBROKER_ERROR:
		for (int i = 0; i < cmd->count; i++)
			rd_kafka_mock_push_request_errors(mc, cmd->api_key, 1, cmd->err);
		return 0;
	case DEVBROKER_BROKER_ERROR:
		for (int i = 0; i < cmd->count; i++)
			if (check(rd_kafka_mock_broker_push_request_error_rtts(mc, cmd->broker, cmd->api_key, 1,
									       cmd->err, cmd->ms),
				  err, errsz) < 0)
				return -1;
		return 0;
	case DEVBROKER_CLEAR_ERRORS:
		rd_kafka_mock_clear_request_errors(mc, cmd->api_key);
		return 0;
	case DEVBROKER_TOPIC: {
		int rf = cmd->replication ? cmd->replication : (brokers < 3 ? brokers : 3);
		if (rf > brokers) {
			set_err(err, errsz, "replication factor %d exceeds the %d brokers", rf, brokers);
			return -1;
		}
		return check(rd_kafka_mock_topic_create(mc, cmd->topic, cmd->partition, rf), err, errsz);
	}
	case DEVBROKER_LEADER:
		if (cmd->broker > brokers) {
			set_err(err, errsz, "no broker %d (this cluster has 1..%d)", (int)cmd->broker, brokers);
			return -1;
		}
		return check(rd_kafka_mock_partition_set_leader(mc, cmd->topic, cmd->partition, cmd->broker), err,
			     errsz);
	}
	set_err(err, errsz, "unhandled command");
	return -1;
}
