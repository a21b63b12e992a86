/* test_schedctl_dates.c: the dates schedctl accepts (YYYY-MM-DD, YYYYMMDD,
 * real days only) and their midnight in the DAG's zone, including a DST day;
 * duration formatting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "ui-cli/schedctl.h"

static void test_ymd_forms(void **state)
{
	(void)state;
	int y, m, d;
	assert_int_equal(date_parse_ymd("2026-03-04", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20260304);
	assert_int_equal(date_parse_ymd("20261231", &y, &m, &d), 0);
	assert_int_equal(y * 10000 + m * 100 + d, 20261231);
	assert_int_equal(date_parse_ymd("2024-02-29", &y, &m, &d), 0);	/* leap year */
}

static void test_ymd_rejects(void **state)
{
	(void)state;
	int y, m, d;
	const char *bad[] = { "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
			      "2026-3-4", "2026/03/04", "03-04-2026", "202603041", "2026030",
			      "2026-03-04x", "", "abcdefgh", "2026-03-0a", "1969-12-31" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (date_parse_ymd(bad[i], &y, &m, &d) != -1)
			fail_msg("accepted '%s'", bad[i]);
	assert_int_equal(date_parse_ymd(NULL, &y, &m, &d), -1);
}

static void test_midnight_in_zone(void **state)
{
	(void)state;
	time_t t;
	char err[256];
	assert_int_equal(date_parse_in_zone("--date", "2026-03-04", "UTC", &t, err, sizeof err), 0);
	assert_int_equal((long long)t, 1772582400LL);
	/* Paris is UTC+1 in March before the switch: midnight is 23:00 UTC the day before. */
	assert_int_equal(date_parse_in_zone("--date", "20260304", "Europe/Paris", &t, err, sizeof err), 0);
	assert_int_equal((long long)t, 1772582400LL - 3600);
	/* The DST day itself (29 March 2026) still starts at local midnight (UTC+1). */
	assert_int_equal(date_parse_in_zone("--from", "2026-03-29", "Europe/Paris", &t, err, sizeof err), 0);
	assert_int_equal((long long)t, 1774738800LL);
}

static void test_error_names_flag(void **state)
{
	(void)state;
	time_t t = 7;
	char err[256] = "";
	assert_int_equal(date_parse_in_zone("--to", "2026-02-30", "UTC", &t, err, sizeof err), -1);
	assert_string_equal(err, "--to: '2026-02-30' is not a date (YYYY-MM-DD or YYYYMMDD)");
	assert_int_equal((long long)t, 7);
}

static void test_durations(void **state)
{
	(void)state;
	char b[32];
	date_format_duration_us(350000, b, sizeof b);
	assert_string_equal(b, "350ms");
	date_format_duration_us(2500000, b, sizeof b);
	assert_string_equal(b, "2.5s");
	date_format_duration_us(65000000, b, sizeof b);
	assert_string_equal(b, "1m05s");
	date_format_duration_us(3600000000LL * 2 + 60000000LL * 3, b, sizeof b);
	assert_string_equal(b, "2h03m");
	date_format_duration_us(-1, b, sizeof b);
	assert_string_equal(b, "-");
	date_format_us(0, "UTC", b, sizeof b);
	assert_string_equal(b, "-");
	date_format_us(1772582400LL * 1000000 + 5000000, "UTC", b, sizeof b);
	assert_string_equal(b, "2026-03-04 00:00:05");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ymd_forms),
		cmocka_unit_test(test_ymd_rejects),
		cmocka_unit_test(test_midnight_in_zone),
		cmocka_unit_test(test_error_names_flag),
		cmocka_unit_test(test_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
