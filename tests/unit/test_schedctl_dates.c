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

/* --date with a time of day: in the DAG's zone, or an absolute instant with
 * an offset or Z; a day alone keeps its midnight and says so. */
static void test_when_times(void **state)
{
	(void)state;
	time_t t;
	bool has_time = true;
	char err[256];
	assert_int_equal(date_parse_when("--date", "2026-03-04", "UTC", &t, &has_time, err, sizeof err), 0);
	assert_false(has_time);
	assert_int_equal((long long)t, 1772582400LL);
	assert_int_equal(date_parse_when("--date", "2026-11-29T01:30", "UTC", &t, &has_time, err, sizeof err), 0);
	assert_true(has_time);
	assert_int_equal((long long)t, 1795915800LL);
	assert_int_equal(date_parse_when("--date", "20261129T01:30", "UTC", &t, &has_time, err, sizeof err), 0);
	assert_int_equal((long long)t, 1795915800LL);
	assert_int_equal(date_parse_when("--date", "2026-11-29T05:00+02:00", "Asia/Seoul", &t, &has_time, err, sizeof err), 0);
	assert_int_equal((long long)t, 1795921200LL);	/* the offset wins over the zone */
	assert_int_equal(date_parse_when("--date", "2026-11-29T01:00:15-05:30", "UTC", &t, &has_time, err, sizeof err), 0);
	assert_int_equal((long long)t, 1795933815LL);
	assert_int_equal(date_parse_when("--date", "2026-11-29T01:30:00Z", "Europe/Paris", &t, &has_time, err, sizeof err), 0);
	assert_int_equal((long long)t, 1795915800LL);
	/* Paris on its DST day: 03:30 is UTC+2; 02:30 does not exist. */
	assert_int_equal(date_parse_when("--date", "2026-03-29T03:30", "Europe/Paris", &t, &has_time, err, sizeof err), 0);
	assert_int_equal((long long)t, 1774747800LL);
	assert_int_equal(date_parse_when("--date", "2026-03-29T02:30", "Europe/Paris", &t, &has_time, err, sizeof err), -1);
	assert_non_null(strstr(err, "clock change"));
}

static void test_when_rejects(void **state)
{
	(void)state;
	const char *bad[] = { "2026-11-29T", "2026-11-29T1:30", "2026-11-29T24:00", "2026-11-29T01:60",
			      "2026-11-29T01:30:60", "2026-11-29T01:30+2", "2026-11-29T01:30+02",
			      "2026-11-29T01:30+0200", "2026-11-29T01:30 ", "2026-11-29T01:30z",
			      "2026-11-29T01:30+24:00", "2026-02-30T01:30", "2026-11-29 01:30",
			      "1969-12-31T23:00", "2026-11-29T01:30+02:00x", "T01:30" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		time_t t = 7;
		bool has_time = false;
		char err[256] = "";
		if (date_parse_when("--date", bad[i], "UTC", &t, &has_time, err, sizeof err) != -1)
			fail_msg("accepted '%s'", bad[i]);
		assert_int_equal((long long)t, 7);
		assert_non_null(strstr(err, "--date: '"));
	}
}

/* The interval a --date selects: one instant, or a whole day (23 h across
 * Paris's spring change). */
static void test_run_when(void **state)
{
	(void)state;
	time_t from, to;
	char err[256];
	assert_int_equal(run_when("2026-11-29T01:30", "UTC", &from, &to, err, sizeof err), 0);
	assert_int_equal((long long)from, 1795915800LL);
	assert_int_equal((long long)to, 1795915801LL);
	assert_int_equal(run_when("2026-03-29", "Europe/Paris", &from, &to, err, sizeof err), 0);
	assert_int_equal((long long)from, 1774738800LL);
	assert_int_equal((long long)to, 1774821600LL);
	assert_int_equal(run_when("2026-12-31", "UTC", &from, &to, err, sizeof err), 0);
	assert_int_equal((long long)(to - from), 86400LL);
	assert_int_equal(run_when("2026-12-32", "UTC", &from, &to, err, sizeof err), -1);
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
		cmocka_unit_test(test_when_times),
		cmocka_unit_test(test_when_rejects),
		cmocka_unit_test(test_run_when),
		cmocka_unit_test(test_durations),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
