/* test_kgroup.c: the group.instance.id of a task (derived from the daemon's
 * SCHED_* variables, explicit, or none), Kafka's character and length rules,
 * what kgroup_conf puts into a librdkafka configuration, and the leave and
 * fatal-error paths that need no broker (the leave of a joined member is
 * tested against the development broker in stream_recovery.sh). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "jobs/common/kgroup.h"

static void test_derive(void **state)
{
	(void)state;
	char id[KGROUP_ID_MAX];
	assert_int_equal(kgroup_derive_id("smartcar_realtime", "kafka2hbase", "scheduled__2026-12-04T23:37:59+09:00", id,
					  sizeof id), 0);
	assert_string_equal(id, "smartcar_realtime.kafka2hbase.scheduled__2026-12-04T23_37_59_09_00");
	assert_int_equal(kgroup_derive_id("d", "t", NULL, id, sizeof id), 0);
	assert_string_equal(id, "d.t");
	assert_int_equal(kgroup_derive_id("d", "t", "", id, sizeof id), 0);
	assert_string_equal(id, "d.t");
	assert_int_equal(kgroup_derive_id("d e/f", "t\xc3\xa9", "r", id, sizeof id), 0);
	assert_string_equal(id, "d_e_f.t__.r");
	assert_int_equal(kgroup_derive_id("", "t", "r", id, sizeof id), -1);
	assert_int_equal(kgroup_derive_id("d", NULL, "r", id, sizeof id), -1);
	assert_int_equal(kgroup_derive_id("d", "t", "r", id, 10), -1);	/* buffer below Kafka's limit */
}

/* Too long for Kafka: the head and a hash of the whole, still distinct. */
static void test_derive_long(void **state)
{
	(void)state;
	char dag[400], id1[KGROUP_ID_MAX], id2[KGROUP_ID_MAX];
	memset(dag, 'a', sizeof dag - 1);
	dag[sizeof dag - 1] = 0;
	assert_int_equal(kgroup_derive_id(dag, "t1", "r", id1, sizeof id1), 0);
	assert_int_equal(kgroup_derive_id(dag, "t2", "r", id2, sizeof id2), 0);
	assert_int_equal(strlen(id1), KGROUP_ID_MAX - 1);
	assert_int_equal(strlen(id2), KGROUP_ID_MAX - 1);
	assert_string_not_equal(id1, id2);
	assert_int_equal(strncmp(id1, dag, 200), 0);
	assert_int_equal(id1[KGROUP_ID_MAX - 1 - 17], '-');
	/* the same task gives the same id every time */
	assert_int_equal(kgroup_derive_id(dag, "t1", "r", id2, sizeof id2), 0);
	assert_string_equal(id1, id2);
}

static void test_instance_id(void **state)
{
	(void)state;
	char id[KGROUP_ID_MAX], err[512];
	unsetenv("SCHED_DAG_ID");
	unsetenv("SCHED_TASK_ID");
	unsetenv("SCHED_RUN_ID");
	/* not under the daemon: auto is dynamic membership */
	assert_int_equal(kgroup_instance_id(NULL, id, sizeof id, err, sizeof err), 0);
	assert_string_equal(id, "");
	assert_int_equal(kgroup_instance_id("auto", id, sizeof id, err, sizeof err), 0);
	assert_string_equal(id, "");
	/* under the daemon */
	setenv("SCHED_DAG_ID", "rt", 1);
	setenv("SCHED_TASK_ID", "k2h", 1);
	setenv("SCHED_RUN_ID", "scheduled__x", 1);
	assert_int_equal(kgroup_instance_id(NULL, id, sizeof id, err, sizeof err), 0);
	assert_string_equal(id, "rt.k2h.scheduled__x");
	assert_int_equal(kgroup_instance_id("none", id, sizeof id, err, sizeof err), 0);
	assert_string_equal(id, "");
	assert_int_equal(kgroup_instance_id("writer-1", id, sizeof id, err, sizeof err), 0);
	assert_string_equal(id, "writer-1");
	unsetenv("SCHED_DAG_ID");
	unsetenv("SCHED_TASK_ID");
	unsetenv("SCHED_RUN_ID");
	/* explicit ids Kafka refuses are usage errors naming the flag */
	assert_int_equal(kgroup_instance_id("a b", id, sizeof id, err, sizeof err), -1);
	assert_non_null(strstr(err, "--group-instance-id"));
	assert_non_null(strstr(err, "character 2 (' ')"));
	assert_int_equal(kgroup_instance_id("", id, sizeof id, err, sizeof err), -1);
	assert_int_equal(kgroup_instance_id("..", id, sizeof id, err, sizeof err), -1);
	char big[300];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	assert_int_equal(kgroup_instance_id(big, id, sizeof id, err, sizeof err), -1);
	big[KGROUP_ID_MAX - 1] = 0;	/* 249 characters: Kafka's limit */
	assert_int_equal(kgroup_instance_id(big, id, sizeof id, err, sizeof err), 0);
}

static const char *conf_get(rd_kafka_conf_t *c, const char *name, char *buf, size_t n)
{
	size_t sz = n;
	if (rd_kafka_conf_get(c, name, buf, &sz) != RD_KAFKA_CONF_OK)
		return "?";
	return buf;
}

static void test_conf(void **state)
{
	(void)state;
	char err[512], v[256];
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	assert_int_equal(kgroup_conf(c, "rt.k2h", 6000, err, sizeof err), 0);
	assert_string_equal(conf_get(c, "group.instance.id", v, sizeof v), "rt.k2h");
	assert_string_equal(conf_get(c, "session.timeout.ms", v, sizeof v), "6000");
	assert_string_equal(conf_get(c, "heartbeat.interval.ms", v, sizeof v), "2000");
	rd_kafka_conf_destroy(c);

	/* dynamic, a long session: librdkafka's heartbeat stays */
	c = rd_kafka_conf_new();
	char hb[64];
	conf_get(c, "heartbeat.interval.ms", hb, sizeof hb);
	assert_int_equal(kgroup_conf(c, "", 45000, err, sizeof err), 0);
	size_t sz = sizeof v;	/* unset (librdkafka: "no such value") or empty */
	v[0] = 0;
	if (rd_kafka_conf_get(c, "group.instance.id", v, &sz) == RD_KAFKA_CONF_OK)
		assert_string_equal(v, "");
	assert_string_equal(conf_get(c, "session.timeout.ms", v, sizeof v), "45000");
	assert_string_equal(conf_get(c, "heartbeat.interval.ms", v, sizeof v), hb);
	rd_kafka_conf_destroy(c);

	/* 0: librdkafka's session timeout untouched */
	c = rd_kafka_conf_new();
	char st[64];
	conf_get(c, "session.timeout.ms", st, sizeof st);
	assert_int_equal(kgroup_conf(c, NULL, 0, err, sizeof err), 0);
	assert_string_equal(conf_get(c, "session.timeout.ms", v, sizeof v), st);
	rd_kafka_conf_destroy(c);
}

static rd_kafka_t *consumer(void)
{
	char err[512];
	rd_kafka_conf_t *c = rd_kafka_conf_new();
	assert_int_equal(rd_kafka_conf_set(c, "group.id", "g", err, sizeof err), RD_KAFKA_CONF_OK);
	assert_int_equal(rd_kafka_conf_set(c, "log_level", "0", err, sizeof err), RD_KAFKA_CONF_OK);
	rd_kafka_t *rk = rd_kafka_new(RD_KAFKA_CONSUMER, c, err, sizeof err);
	assert_non_null(rk);
	return rk;
}

/* A consumer that never joined has nothing to leave: done at once. */
static void test_leave_not_joined(void **state)
{
	(void)state;
	rd_kafka_t *rk = consumer();
	assert_int_equal(kgroup_leave(rk, 5000), 0);
	kgroup_close(rk, 5000);	/* nothing left to leave: closes at once */
	kgroup_destroy(rk);
}

/* Fenced (a fatal error): reported as such, and no leave is tried. */
static void test_fatal(void **state)
{
	(void)state;
	rd_kafka_t *rk = consumer();
	rd_kafka_message_t m = {.err = RD_KAFKA_RESP_ERR__FATAL};
	rd_kafka_message_t other = {.err = RD_KAFKA_RESP_ERR__TRANSPORT};
	assert_int_equal(kgroup_fatal(rk, NULL), 0);
	assert_int_equal(kgroup_fatal(rk, &other), 0);
	assert_int_equal(rd_kafka_test_fatal_error(rk, RD_KAFKA_RESP_ERR_FENCED_INSTANCE_ID, "test: fenced"),
			 RD_KAFKA_RESP_ERR_NO_ERROR);
	assert_int_equal(kgroup_fatal(rk, &m), 1);
	assert_int_equal(kgroup_leave(rk, 5000), -1);
	/* returns: librdkafka 2.0.2's plain close + destroy would hang here */
	kgroup_close(rk, 5000);
	kgroup_destroy(rk);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_derive_long),
		cmocka_unit_test(test_instance_id),
		cmocka_unit_test(test_conf),
		cmocka_unit_test(test_leave_not_joined),
		cmocka_unit_test(test_fatal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
