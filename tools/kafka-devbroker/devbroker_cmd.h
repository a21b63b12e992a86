/* devbroker_cmd.h: the fault commands kafka-devbroker reads from its control
 * file ("broker-down 1", "error Produce 5 NOT_LEADER_FOR_PARTITION", ...).
 * Parsing is separate from applying so the grammar is unit-tested without a
 * cluster; applying is a thin switch over rdkafka_mock.h. */
#ifndef DEVBROKER_CMD_H
#define DEVBROKER_CMD_H

#include <stddef.h>
#include <stdint.h>
#include <librdkafka/rdkafka.h>
#include <librdkafka/rdkafka_mock.h>

enum devbroker_op {
	DEVBROKER_NOP,		/* blank line or comment */
	DEVBROKER_BROKER_DOWN,	/* broker-down ID|all */
	DEVBROKER_BROKER_UP,	/* broker-up ID|all */
	DEVBROKER_RTT,		/* rtt ID|all MS */
	DEVBROKER_ERROR,	/* error API COUNT ERR   (cluster-wide, next COUNT requests) */
	DEVBROKER_BROKER_ERROR,	/* broker-error ID API COUNT ERR [RTT_MS] */
	DEVBROKER_CLEAR_ERRORS,	/* clear-errors API */
	DEVBROKER_TOPIC,	/* topic NAME PARTITIONS [REPLICATION] */
	DEVBROKER_LEADER,	/* leader TOPIC PARTITION ID|none */
};

struct devbroker_cmd {
	enum devbroker_op op;
	int32_t broker;		/* -1 = all brokers (or "none" for leader) */
	int16_t api_key;
	int count;
	rd_kafka_resp_err_t err;
	int ms;
	char topic[256];
	int32_t partition;	/* partitions for "topic", partition for "leader" */
	int replication;	/* 0 = default */
};

/* Parses one control line (no newline needed). 0 on success; -1 with a message
 * in err naming the offending word. */
int devbroker_cmd_parse(const char *line, struct devbroker_cmd *cmd, char *err, size_t errsz);

/* Applies a parsed command to the cluster. 0 on success; -1 with a message. */
int devbroker_cmd_apply(rd_kafka_mock_cluster_t *mc, int brokers, const struct devbroker_cmd *cmd,
			char *err, size_t errsz);

/* Request name ("Produce", "Fetch", ...) or a number to its ApiKey; -1 if unknown. */
int devbroker_api_key(const char *name);
/* Error name as librdkafka spells it without RD_KAFKA_RESP_ERR_ ("NOT_LEADER_FOR_PARTITION",
 * "_TRANSPORT") or a number; sets *out; -1 if unknown. */
int devbroker_err_code(const char *name, rd_kafka_resp_err_t *out);

#endif
