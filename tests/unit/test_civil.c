/* test_civil.c: lib/civil.c, the calendar arithmetic of every part: day
 * numbers both ways over a wide range, leap years, ISO weeks and weekdays
 * against known dates, the date texts accepted and refused, the formats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "lib/civil.h"

static void test_days_round_trip(void **state)
{
	(void)state;
	assert_true(civil_to_days(1970, 1, 1) == 0);
	assert_true(civil_to_days(2000, 3, 1) == 11017);
	assert_true(civil_to_days(1969, 12, 31) == -1);
	assert_true(civil_to_days(2026, 3, 4) * 86400 == 1772582400);
	assert_true(civil_to_days(0, 1, 1) == -719528);
	for (int64_t d = -800000; d < 800000; d += 37) {
		int64_t y;
		int m, dd;
		civil_from_days(d, &y, &m, &dd);
		assert_true(m >= 1 && m <= 12 && dd >= 1 && dd <= civil_days_in_month(y, m));
		assert_true(civil_to_days(y, m, dd) == d);
	}
	/* Consecutive day numbers are consecutive dates. */
	int64_t py;
	int pm, pd;
	civil_from_days(-1, &py, &pm, &pd);
	for (int64_t d = 0; d < 3 * 146097; d++) {
		int64_t y;
		int m, dd;
		civil_from_days(d, &y, &m, &dd);
		if (dd == 1)
			assert_true(pd == civil_days_in_month(py, pm) && (m == pm % 12 + 1));
		else
			assert_true(dd == pd + 1 && m == pm && y == py);
		py = y, pm = m, pd = dd;
	}
}

static void test_leap_years(void **state)
{
	(void)state;
	assert_true(civil_is_leap(2024));
	assert_true(civil_is_leap(2000));
	assert_false(civil_is_leap(1900));
	assert_false(civil_is_leap(2026));
	assert_true(civil_is_leap(-4));
	assert_int_equal(civil_days_in_month(2024, 2), 29);
	assert_int_equal(civil_days_in_month(2026, 2), 28);
	assert_int_equal(civil_days_in_month(2100, 2), 28);
	assert_int_equal(civil_days_in_month(2000, 2), 29);
	assert_int_equal(civil_days_in_month(2026, 4), 30);
	assert_int_equal(civil_days_in_month(2026, 12), 31);
}

static void test_iso_weeks(void **state)
{
	(void)state;
	assert_int_equal(civil_iso_weekday(0), 4);			/* 1970-01-01: Thursday */
	assert_int_equal(civil_iso_weekday(-1), 3);
	assert_int_equal(civil_iso_weekday(civil_to_days(2026, 3, 4)), 3);
	assert_int_equal(civil_iso_weekday(civil_to_days(2026, 3, 8)), 7);
	static const struct { int y, m, d; int64_t iy; int w; } cases[] = {
		{ 2026, 3, 4, 2026, 10 },  { 2021, 1, 3, 2020, 53 }, { 2021, 1, 4, 2021, 1 },
		{ 2024, 12, 30, 2025, 1 }, { 2015, 12, 31, 2015, 53 }, { 2016, 1, 1, 2015, 53 },
		{ 2008, 12, 29, 2009, 1 }, { 2010, 1, 3, 2009, 53 },  { 2026, 12, 31, 2026, 53 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int64_t iy;
		int w;
		civil_iso_week(civil_to_days(cases[i].y, cases[i].m, cases[i].d), &iy, &w);
		if (iy != cases[i].iy || w != cases[i].w)
			fail_msg("%d-%02d-%02d: %lld-W%02d", cases[i].y, cases[i].m, cases[i].d, (long long)iy, w);
	}
	/* Every day lies in the week whose Monday is found from its number. */
	for (int64_t d = civil_to_days(1999, 1, 1); d < civil_to_days(2031, 1, 1); d++) {
		int64_t iy;
		int w;
		civil_iso_week(d, &iy, &w);
		int64_t mon = civil_iso_week_monday(iy, w);
		assert_int_equal(civil_iso_weekday(mon), 1);
		assert_true(d >= mon && d < mon + 7);
	}
}

static void test_floor_div(void **state)
{
	(void)state;
	assert_true(civil_floor_div(86399, 86400) == 0);
	assert_true(civil_floor_div(-1, 86400) == -1);
	assert_true(civil_floor_div(-86400, 86400) == -1);
	assert_true(civil_floor_div(-86401, 86400) == -2);
}

static void test_scan_date(void **state)
{
	(void)state;
	int y, m, d;
	const char *s = "2026-03-04T10:00";
	assert_ptr_equal(civil_scan_date(s, CIVIL_DASHED, &y, &m, &d), s + 10);
	assert_int_equal(y * 10000 + m * 100 + d, 20260304);
	s = "20240229123456";
	assert_ptr_equal(civil_scan_date(s, CIVIL_COMPACT, &y, &m, &d), s + 8);
	assert_int_equal(y * 10000 + m * 100 + d, 20240229);
	assert_null(civil_scan_date("2026-03-04", CIVIL_COMPACT, &y, &m, &d));
	assert_null(civil_scan_date("20260304", CIVIL_DASHED, &y, &m, &d));
	assert_non_null(civil_scan_date("20260304", CIVIL_DASHED | CIVIL_COMPACT, &y, &m, &d));
	const char *bad[] = { "2026-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
			      "2026-3-4", "2026/03/04", "202603", "2026030", "", "abcdefgh", "2026-03-0a",
			      "20261301", "20260230", "2026-03-00" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (civil_scan_date(bad[i], CIVIL_DASHED | CIVIL_COMPACT, &y, &m, &d) != NULL)
			fail_msg("accepted '%s'", bad[i]);
	assert_null(civil_scan_date(NULL, CIVIL_DASHED, &y, &m, &d));
	int v;
	assert_true(civil_digits("0042x", 4, &v));
	assert_int_equal(v, 42);
	assert_false(civil_digits("00 2", 4, &v));
}

static void test_format(void **state)
{
	(void)state;
	char b[9];
	civil_format_compact(0, b);
	assert_string_equal(b, "19700101");
	civil_format_compact(-1, b);
	assert_string_equal(b, "19691231");
	civil_format_compact(civil_to_days(2024, 2, 29), b);
	assert_string_equal(b, "20240229");
	char t[4] = "xxx";
	civil_put_digits(t, 7, 2);
	assert_string_equal(t, "07x");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_days_round_trip), cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_iso_weeks),	cmocka_unit_test(test_floor_div),
		cmocka_unit_test(test_scan_date),	cmocka_unit_test(test_format),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
