/* test_rollup.c: the arithmetic of the rollups: rounding half away from zero
 * from integer sums (the .005 cases), merging day sums equals aggregating the
 * raw records, the check rules at their thresholds, the _SUMS format and its
 * errors, the fast parser agreeing with rec_status_parse, and ISO weeks at
 * year boundaries. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/rollup/agg.h"
#include "jobs/rollup/drive.h"
#include "jobs/rollup/period.h"

static const char *avg(int64_t sum, int64_t n)
{
	static char buf[32];
	agg_format_avg(sum, n, buf);
	return buf;
}

static void test_rounding(void **st)
{
	(void)st;
	assert_string_equal(avg(0, 1), "0.00");
	assert_string_equal(avg(100, 1), "100.00");
	assert_string_equal(avg(1, 3), "0.33");
	assert_string_equal(avg(2, 3), "0.67");
	/* exact halves go away from zero */
	assert_string_equal(avg(1, 200), "0.01");	/* 0.005 */
	assert_string_equal(avg(3, 200), "0.02");	/* 0.015: a double would say 0.01 */
	assert_string_equal(avg(201, 200), "1.01");	/* 1.005: a double would say 1.00 */
	assert_string_equal(avg(16089, 200), "80.45");	/* 80.445 */
	assert_string_equal(avg(16001, 200), "80.01");	/* 80.005 */
	assert_string_equal(avg(15999, 200), "80.00");	/* 79.995 */
	/* just under a half goes down */
	assert_string_equal(avg(4999, 1000000), "0.00");	/* 0.004999 */
	assert_string_equal(avg(5000, 1000000), "0.01");	/* 0.005 */
	/* large sums (a year of a car) */
	assert_string_equal(avg(INT64_C(7884000) * 87 + 3942000, 7884000), "87.50");
}

static rec_status rec(int t0, int t1, int t2, int t3, int light, char eng, char brk, int bat)
{
	rec_status r = { .tire = { t0, t1, t2, t3 }, .light = { 1, 1, 1, light }, .engine = eng, .brake = brk,
			 .battery = bat };
	return r;
}

static void test_merge_equals_raw(void **st)
{
	(void)st;
	rec_status rs[] = { rec(90, 91, 92, 93, 1, 'A', 'B', 80), rec(60, 100, 85, 70, 2, 'C', 'A', 20),
			    rec(88, 77, 99, 100, 1, 'B', 'C', 99), rec(81, 82, 83, 84, 1, 'A', 'A', 45),
			    rec(100, 0, 50, 81, 2, 'C', 'C', 100) };
	agg_car all, a, b;
	memset(&all, 0, sizeof all);
	all.tire_min = all.battery_min = 101;
	a = b = all;
	for (int i = 0; i < 5; i++) {
		agg_add_record(&all, &rs[i]);
		agg_add_record(i < 2 ? &a : &b, &rs[i]);
	}
	agg_merge(&a, &b);
	assert_memory_equal(&a, &all, sizeof a);
	assert_int_equal(all.records, 5);
	assert_int_equal(all.tire_sum[0], 90 + 60 + 88 + 81 + 100);
	assert_int_equal(all.tire_min, 0);
	assert_int_equal(all.light_fault, 2);
	assert_int_equal(all.engine_c, 2);
	assert_int_equal(all.brake_c, 2);
	assert_int_equal(all.battery_sum, 80 + 20 + 99 + 45 + 100);
	assert_int_equal(all.battery_min, 20);
	memcpy(all.car, "Z0001", 5);
	char line[256];
	agg_format_csv(&all, line);
	assert_string_equal(line, "Z0001,5,83.80,70.00,81.80,85.60,0,2,2,2,68.80,20,"
				  "Tire Check|Light Check|Engine Check|Brake Check\n");
}

static void test_check_rules(void **st)
{
	(void)st;
	char buf[128];
	agg_car c = { .car = "A0001", .records = 2, .tire_sum = { 160, 160, 160, 160 }, .battery_sum = 60 };
	agg_format_checks(&c, buf);
	assert_string_equal(buf, "");	/* averages exactly 80 and 30: no check */
	c.tire_sum[2] = 159;		/* 79.5 */
	agg_format_checks(&c, buf);
	assert_string_equal(buf, "Tire Check");
	c.battery_sum = 59;		/* 29.5 */
	agg_format_checks(&c, buf);
	assert_string_equal(buf, "Tire Check|Battery Check");
	c.tire_sum[2] = 160;
	c.brake_c = 1;
	agg_format_checks(&c, buf);
	assert_string_equal(buf, "Brake Check|Battery Check");
	c.light_fault = 1;
	c.engine_c = 1;
	c.battery_sum = 60;
	agg_format_checks(&c, buf);
	assert_string_equal(buf, "Light Check|Engine Check|Brake Check");
	/* 79.995 shows as 80.00 but is below 80: the check uses the exact value */
	agg_car d = { .car = "A0002", .records = 200, .tire_sum = { 15999, 16000, 16000, 16000 }, .battery_sum = 6000 };
	agg_format_checks(&d, buf);
	assert_string_equal(buf, "Tire Check");
}

static void test_fast_parser_agrees(void **st)
{
	(void)st;
	const char *lines[] = {
		"20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,87",
		"20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,87,20160101",
		"20160101000004,R0001,087,96,93,100,1,1,1,1,B,B,0",
		"20160101000004,R0001,87,96,93,101,1,1,1,2,A,C,87",
		"20160101000004,R0001,87,96,93,100,1,1,1,3,A,C,87",
		"20160101000004,R0001,87,96,93,100,1,1,1,2,D,C,87",
		"20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,87,2016010",
		"20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,87,20160101,x",
		"2016010100000x,R0001,87,96,93,100,1,1,1,2,A,C,87",
		"20160101000004,r0001,87,96,93,100,1,1,1,2,A,C,87",
		"20160101000004,R0001,87,,93,100,1,1,1,2,A,C,87",
		"20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,",
		"20160101000004,R0001,87,96,93,100,1,1,1,2,AA,C,87",
		"",
		"garbage",
	};
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		rec_status a, b;
		job_err e;
		size_t n = strlen(lines[i]);
		int slow = rec_status_parse(lines[i], n, &b, &e);
		int fast = agg_parse_fast(lines[i], n, &a);
		if (fast == 0) {
			assert_int_equal(slow, 0);
			assert_string_equal(a.car_number, b.car_number);
			assert_memory_equal(a.tire, b.tire, sizeof a.tire);
			assert_memory_equal(a.light, b.light, sizeof a.light);
			assert_int_equal(a.engine, b.engine);
			assert_int_equal(a.brake, b.brake);
			assert_int_equal(a.battery, b.battery);
		}
		if (i < 3)
			assert_int_equal(fast, 0);
		else
			assert_int_equal(slow, -1);
	}
}

static void test_sums_round_trip(void **st)
{
	(void)st;
	agg_table t;
	job_err e;
	assert_int_equal(agg_table_init(&t, &e), 0);
	const char *text = AGG_SUMS_HEADER "\nB0002,10,900,800,700,600,12,1,2,3,500,4\nA0001,1,90,80,70,60,60,0,0,0,50,50\n";
	assert_int_equal(agg_parse_sums(text, strlen(text), "x/_SUMS", &t, &e), 0);
	assert_int_equal(agg_parse_sums(text, strlen(text), "y/_SUMS", &t, &e), 0);	/* merged twice */
	assert_int_equal(t.n, 2);
	agg_table_sort(&t);
	assert_string_equal(t.cars[0].car, "A0001");
	assert_int_equal(t.cars[0].records, 2);
	assert_int_equal(t.cars[1].tire_sum[3], 1200);
	assert_int_equal(t.cars[1].tire_min, 12);
	assert_int_equal(t.cars[1].brake_c, 6);
	char line[256];
	agg_format_sums(&t.cars[1], line);
	assert_string_equal(line, "B0002,20,1800,1600,1400,1200,12,2,4,6,1000,4\n");
	assert_ptr_equal(agg_table_car(&t, "B0002"), &t.cars[1]);	/* index follows the sort */
	const char *bad1 = "nope\n";
	assert_int_equal(agg_parse_sums(bad1, strlen(bad1), "d/_SUMS", &t, &e), -1);
	assert_non_null(strstr(e.msg, "d/_SUMS:1"));
	const char *bad2 = AGG_SUMS_HEADER "\nA0001,1,90,80,70,60,6x,0,0,0,50,50\n";
	assert_int_equal(agg_parse_sums(bad2, strlen(bad2), "d/_SUMS", &t, &e), -1);
	assert_string_equal(e.msg, "d/_SUMS:2: field tire_min: '6x' is not a count");
	const char *bad3 = AGG_SUMS_HEADER "\nA0001,1,90\n";
	assert_int_equal(agg_parse_sums(bad3, strlen(bad3), "d/_SUMS", &t, &e), -1);
	assert_string_equal(e.msg, "d/_SUMS:2: 3 fields, expected 12");
	agg_table_free(&t);
}

static const char *week_of(int y, int m, int d)
{
	static char buf[16];
	int iy, w;
	period_iso_week(period_days_from_civil(y, m, d), &iy, &w);
	snprintf(buf, sizeof buf, "%04d-W%02d", iy, w);
	return buf;
}

static const char *date_of(int64_t days)
{
	static char buf[9];
	period_format_date(days, buf);
	return buf;
}

static void test_iso_weeks(void **st)
{
	(void)st;
	assert_string_equal(week_of(2020, 12, 31), "2020-W53");
	assert_string_equal(week_of(2021, 1, 3), "2020-W53");
	assert_string_equal(week_of(2021, 1, 4), "2021-W01");
	assert_string_equal(week_of(2025, 12, 29), "2026-W01");
	assert_string_equal(week_of(2025, 12, 28), "2025-W52");
	assert_string_equal(week_of(2016, 1, 1), "2015-W53");
	assert_string_equal(week_of(2008, 12, 29), "2009-W01");
	assert_string_equal(week_of(2000, 2, 29), "2000-W09");
	assert_int_equal(period_weeks_in_year(2020), 53);
	assert_int_equal(period_weeks_in_year(2021), 52);
	assert_int_equal(period_weeks_in_year(2015), 53);
	assert_int_equal(period_weeks_in_year(2026), 53);
	period p;
	job_err e;
	assert_int_equal(period_parse_week("--week", "2020-W53", &p, &e), 0);
	assert_string_equal(date_of(p.first), "20201228");
	assert_int_equal(p.ndays, 7);
	assert_int_equal(period_parse_week("--week", "2021-W01", &p, &e), 0);
	assert_string_equal(date_of(p.first), "20210104");
	assert_int_equal(period_parse_week("--week", "2026-W01", &p, &e), 0);
	assert_string_equal(date_of(p.first), "20251229");
	assert_int_equal(period_parse_week("--week", "2021-W53", &p, &e), -1);
	assert_string_equal(e.msg, "--week: '2021-W53': 2021 has 52 ISO weeks");
	assert_int_equal(period_parse_week("--week", "2021-W00", &p, &e), -1);
	assert_int_equal(period_parse_week("--week", "2021W01", &p, &e), -1);
	assert_string_equal(e.msg, "--week: '2021W01' is not an ISO week YYYY-Www");
	/* every day of 1999..2031 maps back into the week it belongs to */
	for (int64_t d = period_days_from_civil(1999, 1, 1); d < period_days_from_civil(2032, 1, 1); d++) {
		int iy, w;
		period_iso_week(d, &iy, &w);
		int64_t mon = period_iso_week_monday(iy, w);
		assert_true(d >= mon && d < mon + 7);
		assert_int_equal(period_iso_weekday(mon), 1);
		int y, m, dd;
		period_civil_from_days(d, &y, &m, &dd);
		assert_int_equal(period_days_from_civil(y, m, dd), d);
	}
}

static void test_months_years(void **st)
{
	(void)st;
	period p;
	job_err e;
	assert_int_equal(period_parse_month("--month", "201602", &p, &e), 0);
	assert_string_equal(date_of(p.first), "20160201");
	assert_int_equal(p.ndays, 29);
	assert_int_equal(period_parse_month("--month", "190002", &p, &e), 0);
	assert_int_equal(p.ndays, 28);
	assert_int_equal(period_parse_month("--month", "201612", &p, &e), 0);
	assert_int_equal(p.ndays, 31);
	assert_int_equal(period_parse_month("--month", "201613", &p, &e), -1);
	assert_string_equal(e.msg, "--month: '201613' is not a month YYYYMM");
	assert_int_equal(period_parse_year("--year", "2016", &p, &e), 0);
	assert_string_equal(date_of(p.first), "20160101");
	assert_int_equal(p.ndays, 366);
	assert_int_equal(period_parse_year("--year", "2100", &p, &e), 0);
	assert_int_equal(p.ndays, 365);
	assert_int_equal(period_parse_year("--year", "16", &p, &e), -1);
}

static rec_driver drv(const char *car, int sp, int bp, const char *steer, int speed, const char *area)
{
	rec_driver r;
	memset(&r, 0, sizeof r);
	memcpy(r.car_number, car, 6);
	r.speed_pedal = sp;
	r.break_pedal = bp;
	strcpy(r.steer_angle, steer);
	r.speed = speed;
	memcpy(r.area_number, area, 4);
	return r;
}

static void test_drive_day(void **st)
{
	(void)st;
	drive_day d;
	assert_int_equal(drive_day_init(&d), 0);
	/* six cars at speed pedal 1, one at 5: 5 is (5-1.571)/1.4 = 2.45 sd away */
	const char *cars[] = { "B0006", "A0001", "A0002", "A0003", "A0004", "A0005", "Z0009" };
	for (int i = 0; i < 7; i++) {
		rec_driver r = drv(cars[i], i == 6 ? 5 : 1, 0, i == 1 ? "L2" : "F", 100 + i, "A01");
		assert_int_equal(drive_day_add(&d, &r), 0);
		r = drv(cars[i], i == 6 ? 5 : 1, i == 1 ? 3 : 0, i == 1 ? "R1" : "L3", 50, i < 3 ? "F10" : "C05");
		assert_int_equal(drive_day_add(&d, &r), 0);
	}
	drive_day_sort(&d);
	assert_string_equal(d.cars[0].car, "A0001");
	assert_string_equal(d.cars[6].car, "Z0009");
	unsigned char sp[7], bp[7];
	drive_pedal_symptoms(&d, 0, sp);
	drive_pedal_symptoms(&d, 1, bp);
	for (int i = 0; i < 6; i++)
		assert_int_equal(sp[i], 0);
	assert_int_equal(sp[6], 1);
	assert_int_equal(bp[0], 1);	/* A0001 brakes 1.5 on average, the others 0 */
	assert_int_equal(bp[1], 0);
	char line[256];
	drive_format_car(&d.cars[0], sp[0], bp[0], DRIVE_HARD_STEER_LIMIT, line);
	assert_string_equal(line, "A0001,2,75.50,101,1.00,1.50,1,normal,abnormal,normal\n");
	d.cars[0].hard_steers = 2001;
	drive_format_car(&d.cars[0], 0, 0, DRIVE_HARD_STEER_LIMIT, line);
	assert_string_equal(line, "A0001,2,75.50,101,1.00,1.50,2001,normal,normal,abnormal\n");
	/* areas: A01 7 x avg 103; C05 4 x 50; F10 3 x 50 (a tie: rank 2 twice, by area) */
	char text[DRIVE_AREAS * 64 + 1];
	drive_format_areas(&d, text);
	assert_string_equal(text, "A01,7,103.00,1\nC05,4,50.00,2\nF10,3,50.00,2\n");
	/* _SUMS: two days of the same sums merge into twice the counts */
	size_t len;
	char *sums = drive_sums_text(&d, &len);
	assert_non_null(sums);
	drive_day w;
	job_err e;
	assert_int_equal(drive_day_init(&w), 0);
	assert_int_equal(drive_parse_sums(sums, len, "a/_SUMS", &w, &e), 0);
	assert_int_equal(drive_parse_sums(sums, len, "b/_SUMS", &w, &e), 0);
	drive_day_sort(&w);
	assert_int_equal(w.n, 7);
	assert_int_equal(w.cars[0].records, 4);
	assert_int_equal(w.cars[0].hard_steers, 2 * 2001);
	assert_int_equal(w.cars[0].speed_max, 101);
	drive_format_car(&w.cars[0], 0, 0, 2 * DRIVE_HARD_STEER_LIMIT, line);
	assert_string_equal(line, "A0001,4,75.50,101,1.00,1.50,4002,normal,normal,abnormal\n");
	drive_format_areas(&w, text);
	assert_string_equal(text, "A01,14,103.00,1\nC05,8,50.00,2\nF10,6,50.00,2\n");
	const char *bad = DRIVE_SUMS_HEADER "\nA,G01,1,2\n";
	assert_int_equal(drive_parse_sums(bad, strlen(bad), "x/_SUMS", &w, &e), -1);
	assert_string_equal(e.msg, "x/_SUMS:2: field area: 'G01' is not an area A01-F10");
	bad = DRIVE_SUMS_HEADER "\nC,A0001,1,2,3,4,5\n";
	assert_int_equal(drive_parse_sums(bad, strlen(bad), "x/_SUMS", &w, &e), -1);
	assert_string_equal(e.msg, "x/_SUMS:2: 7 fields, expected 8");
	free(sums);
	drive_day_free(&w);
	drive_day_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rounding),	   cmocka_unit_test(test_merge_equals_raw),
		cmocka_unit_test(test_check_rules),	   cmocka_unit_test(test_fast_parser_agrees),
		cmocka_unit_test(test_sums_round_trip),   cmocka_unit_test(test_iso_weeks),
		cmocka_unit_test(test_months_years),	   cmocka_unit_test(test_drive_day),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
