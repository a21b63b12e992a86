/* test_kgroup.c: the group.instance.id of a task (derived from the daemon's
 * SCHED_* variables, explicit, or none), Kafka's character and length rules,
 * and what kgroup_conf puts into a librdkafka configuration. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_derive),
		cmocka_unit_test(test_derive_long),
		cmocka_unit_test(test_instance_id),
		cmocka_unit_test(test_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
