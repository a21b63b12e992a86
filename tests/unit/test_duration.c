/* test_duration.c: duration_parse / duration_format: units, sums, bare
 * seconds, the exact error messages, overflow, and formatting round trips. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "scheduler/duration.h"

static int64_t parse_ok(const char *s)
{
	int64_t ms = -12345;
	char err[256] = "";
	if (duration_parse(s, &ms, err, sizeof err) != 0)
		fail_msg("duration_parse(\"%s\") failed: %s", s, err);
	return ms;
}

static void expect_error(const char *s, const char *msg)
{
	int64_t ms = -12345;
	char err[256] = "";
	assert_int_equal(duration_parse(s, &ms, err, sizeof err), -1);
	assert_string_equal(err, msg);
	assert_true(ms == -12345);	/* untouched on error */
}

static void test_units(void **state)
{
	(void)state;
	assert_true(parse_ok("250ms") == 250);
	assert_true(parse_ok("30s") == 30000);
	assert_true(parse_ok("5m") == 300000);
	assert_true(parse_ok("1h") == 3600000);
	assert_true(parse_ok("7d") == 604800000);
	assert_true(parse_ok("0s") == 0);
	assert_true(parse_ok("0ms") == 0);
}

static void test_sums(void **state)
{
	(void)state;
	assert_true(parse_ok("1h30m") == 5400000);
	assert_true(parse_ok("1d2h3m4s5ms") == 93784005);
	assert_true(parse_ok("2m500ms") == 120500);
	assert_true(parse_ok("30m1h") == 5400000);	/* order is free */
}

static void test_bare_seconds(void **state)
{
	(void)state;
	assert_true(parse_ok("90") == 90000);
	assert_true(parse_ok("0") == 0);
	assert_true(parse_ok("+5") == 5000);
	assert_true(parse_ok("86400") == 86400000);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("5x", "bad duration '5x': unknown unit 'x' (use ms, s, m, h, d)");
	expect_error("5sec", "bad duration '5sec': unknown unit 'sec' (use ms, s, m, h, d)");
	expect_error("5M", "bad duration '5M': unknown unit 'M' (use ms, s, m, h, d)");
	expect_error("-5s", "bad duration '-5s': negative durations are not allowed");
	expect_error("-5", "bad duration '-5': negative durations are not allowed");
	expect_error("", "bad duration '': empty (write e.g. 30s, 5m, 1h30m)");
	expect_error("h", "bad duration 'h': expected a number before 'h'");
	expect_error("1h30", "bad duration '1h30': the last number has no unit "
		     "(a bare number means seconds only on its own)");
	expect_error("1.5h", "bad duration '1.5h': fractions are not supported (write 1h30m instead of 1.5h)");
	expect_error("5 s", "bad duration '5 s': unexpected character ' '");
	expect_error(" 5s", "bad duration ' 5s': unexpected character ' '");
	expect_error("5s!", "bad duration '5s!': unexpected character '!'");
	int64_t ms;
	char err[64];
	assert_int_equal(duration_parse(NULL, &ms, err, sizeof err), -1);
}

static void test_overflow(void **state)
{
	(void)state;
	/* INT64_MAX ms is 9223372036854775807; the largest whole seconds that fit: */
	assert_true(parse_ok("9223372036854775s") == INT64_C(9223372036854775000));
	assert_true(parse_ok("9223372036854775807ms") == INT64_MAX);
	expect_error("9223372036854776s", "bad duration '9223372036854776s': too large");
	expect_error("9223372036854776", "bad duration '9223372036854776': too large");
	expect_error("9223372036854775808ms", "bad duration '9223372036854775808ms': too large");
	expect_error("99999999999999999999999d", "bad duration '99999999999999999999999d': too large");
	assert_true(parse_ok("106751991167d") == INT64_C(9223372036828800000));
	expect_error("106751991168d", "bad duration '106751991168d': too large");
	/* Each term fits, the sum does not. */
	expect_error("9223372036854775807ms1ms", "bad duration '9223372036854775807ms1ms': too large");
}

static void test_format(void **state)
{
	(void)state;
	char buf[64];
	duration_format(0, buf, sizeof buf);
	assert_string_equal(buf, "0s");
	duration_format(250, buf, sizeof buf);
	assert_string_equal(buf, "250ms");
	duration_format(5400000, buf, sizeof buf);
	assert_string_equal(buf, "1h30m");
	duration_format(604800000, buf, sizeof buf);
	assert_string_equal(buf, "7d");
	duration_format(93784005, buf, sizeof buf);
	assert_string_equal(buf, "1d2h3m4s5ms");
	duration_format(-90000, buf, sizeof buf);
	assert_string_equal(buf, "-1m30s");
	duration_format(INT64_MIN, buf, sizeof buf);
	assert_string_equal(buf, "-106751991167d7h12m55s808ms");
	char small[4];
	duration_format(5400000, small, sizeof small);
	assert_true(strlen(small) < sizeof small);
}

static void test_round_trip(void **state)
{
	(void)state;
	const int64_t values[] = { 1, 999, 1000, 61000, 3599999, 86400000, 90061001, INT64_MAX };
	for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
		char buf[64];
		duration_format(values[i], buf, sizeof buf);
		assert_true(parse_ok(buf) == values[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_sums),
		cmocka_unit_test(test_bare_seconds),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_overflow),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
