/* kgroup.h: consumer-group membership of the stream jobs that consume with a
 * group (kafka2hbase, overspeed), so that a restarted consumer gets its
 * partitions back fast (docs/jobs-stream.md "Fast recovery").
 *
 * Three measures, one function each:
 *   - static membership (KIP-345): a stable group.instance.id derived from the
 *     task the daemon runs (SCHED_DAG_ID, SCHED_TASK_ID, SCHED_RUN_ID). A
 *     member restarted after a crash takes its own place back at once, instead
 *     of waiting for the dead member's session to time out
 *     (kgroup_instance_id, kgroup_derive_id);
 *   - the session timeout and heartbeat put into the configuration
 *     (kgroup_conf);
 *   - a clean leave at a stop (kgroup_leave): librdkafka's close does not send
 *     LeaveGroup for a static member (KIP-345 leaves that to the session
 *     timeout), an unsubscribe before the close does, so a stopped job hands
 *     its partitions over at once whatever its membership.
 *
 * Brokers without KIP-345 (Kafka < 2.3) make librdkafka ignore the instance
 * id with a warning; the development broker (librdkafka 2.0's mock cluster)
 * accepts it but does not implement it: there the session timeout alone
 * bounds the recovery from a crash. */
#ifndef JOB_KGROUP_H
#define JOB_KGROUP_H

#include <stddef.h>
#include <librdkafka/rdkafka.h>

/* Kafka's limit on a group.instance.id (as on topic names), plus the NUL. */
#define KGROUP_ID_MAX 250

/* Builds the instance id of a task: "DAG.TASK.RUN" with every character
 * outside [A-Za-z0-9._-] written as '_' (Kafka accepts no other). The run
 * keeps `schedctl test` (run test__DATE) from fencing the supervised try of
 * the same task; a stream DAG has one long-lived run, so the id stays the same
 * across restarts. An id that would be longer than Kafka allows keeps its head
 * and ends in a hash of the whole. 0, or -1 when dag or task is NULL or empty
 * (run may be NULL or empty: "DAG.TASK"). */
int kgroup_derive_id(const char *dag, const char *task, const char *run, char *out, size_t outsz);

/* Resolves the value of --group-instance-id into out:
 *   NULL or "auto": kgroup_derive_id from SCHED_DAG_ID, SCHED_TASK_ID and
 *                   SCHED_RUN_ID when the daemon set them, else "" (dynamic);
 *   "none":         "" (dynamic membership);
 *   anything else:  itself, checked against Kafka's rules.
 * 0, or -1 with a message naming the flag in err. */
int kgroup_instance_id(const char *value, char *out, size_t outsz, char *err, size_t errsz);

/* Sets group.instance.id (when instance_id is not empty), session.timeout.ms
 * (when session_ms > 0) and heartbeat.interval.ms (a third of a session
 * shorter than 9 s; librdkafka's 3 s default would leave one heartbeat per
 * session). 0, or -1 with librdkafka's message in err. */
int kgroup_conf(rd_kafka_conf_t *conf, const char *instance_id, long long session_ms, char *err, size_t errsz);

/* Leaves the group before rd_kafka_consumer_close: unsubscribes, then polls
 * (which runs the job's rebalance callback: the revoke writes and commits
 * what it holds) until the assignment is empty and the member id is gone,
 * i.e. LeaveGroup was sent, or timeout_ms passed. Messages polled meanwhile
 * are dropped uncommitted (the next owner reads them). Does nothing after a
 * fatal error (fenced: the place is no longer ours). 0 left, -1 timed out or
 * failed (the close still follows; the session timeout then frees the
 * partitions). */
int kgroup_leave(rd_kafka_t *rk, int timeout_ms);

/* At the job's stop: kgroup_leave (at most leave_timeout_ms), then
 * rd_kafka_consumer_close. After a fatal error neither: the place is not
 * ours any more, and nothing can be committed. */
void kgroup_close(rd_kafka_t *rk, int leave_timeout_ms);

/* rd_kafka_destroy; after a fatal error with RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE,
 * because librdkafka 2.0.2's plain destroy of a consumer that had a fatal
 * error never returns (test_kgroup's test_fatal). */
void kgroup_destroy(rd_kafka_t *rk);

/* For the poll loop: when m is a fatal error (a static member fenced by a
 * newer one with the same group.instance.id), logs it with librdkafka's
 * reason and returns 1: the consumer is unusable, the job must exit. 0 else. */
int kgroup_fatal(rd_kafka_t *rk, const rd_kafka_message_t *m);

#endif
