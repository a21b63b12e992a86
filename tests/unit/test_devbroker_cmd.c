/* test_devbroker_cmd.c: the grammar of kafka-devbroker's fault commands. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "tools/kafka-devbroker/devbroker_cmd.h"

static void test_commands(void **state)
{
	(void)state;
	struct devbroker_cmd c;
	char err[512];
	assert_int_equal(devbroker_cmd_parse("broker-down 1", &c, err, sizeof err), 0);
	assert_int_equal(c.op, DEVBROKER_BROKER_DOWN);
	assert_int_equal(c.broker, 1);
	assert_int_equal(devbroker_cmd_parse("  broker-up all  # back", &c, err, sizeof err), 0);
	assert_int_equal(c.op, DEVBROKER_BROKER_UP);
	assert_int_equal(c.broker, -1);
	assert_int_equal(devbroker_cmd_parse("rtt 2 200", &c, err, sizeof err), 0);
	assert_int_equal(c.ms, 200);
	assert_int_equal(devbroker_cmd_parse("error Produce 5 NOT_LEADER_FOR_PARTITION", &c, err, sizeof err), 0);
	assert_int_equal(c.op, DEVBROKER_ERROR);
	assert_int_equal(c.api_key, 0);
	assert_int_equal(c.count, 5);
	assert_int_equal(c.err, RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION);
	assert_int_equal(devbroker_cmd_parse("broker-error 1 joingroup 1 _TRANSPORT 100", &c, err, sizeof err), 0);
	assert_int_equal(c.api_key, 11);
	assert_int_equal(c.err, RD_KAFKA_RESP_ERR__TRANSPORT);
	assert_int_equal(c.ms, 100);
	assert_int_equal(devbroker_cmd_parse("error 8 1 27", &c, err, sizeof err), 0);
	assert_int_equal(c.api_key, 8);
	assert_int_equal(c.err, 27);
	assert_int_equal(devbroker_cmd_parse("topic SmartCar-Topic 3", &c, err, sizeof err), 0);
	assert_string_equal(c.topic, "SmartCar-Topic");
	assert_int_equal(c.partition, 3);
	assert_int_equal(devbroker_cmd_parse("leader t 0 none", &c, err, sizeof err), 0);
	assert_int_equal(c.broker, -1);
	assert_int_equal(devbroker_cmd_parse("# only a comment", &c, err, sizeof err), 0);
	assert_int_equal(c.op, DEVBROKER_NOP);
}

static void test_errors(void **state)
{
	(void)state;
	struct devbroker_cmd c;
	char err[512];
	assert_int_equal(devbroker_cmd_parse("explode 1", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "unknown command 'explode'"));
	assert_int_equal(devbroker_cmd_parse("broker-down", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "usage"));
	assert_int_equal(devbroker_cmd_parse("broker-down 0", &c, err, sizeof err), -1);
	assert_int_equal(devbroker_cmd_parse("error Produce 5 NO_SUCH_ERROR", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "NO_SUCH_ERROR"));
	assert_int_equal(devbroker_cmd_parse("error Bogus 5 _TRANSPORT", &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "Bogus"));
	assert_int_equal(devbroker_cmd_parse("error Produce 0 _TRANSPORT", &c, err, sizeof err), -1);
	assert_int_equal(devbroker_cmd_parse("rtt 1 fast", &c, err, sizeof err), -1);
	assert_int_equal(devbroker_cmd_parse("topic t 0", &c, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_commands),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
