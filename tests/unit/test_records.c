/* test_records.c: the status and driver record parsers: valid lines round
 * trip, every field's bad value is named, field counts are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jobs/common/records.h"

static void test_timestamp_prefix(void **st)
{
	(void)st;
	assert_true(rec_has_timestamp("20160101000004,R0001", 20));
	assert_true(rec_has_timestamp("20160101000004", 14));
	assert_false(rec_has_timestamp("2016010100000", 13));
	assert_false(rec_has_timestamp("2016O101000004,R0001", 20));
	assert_false(rec_has_timestamp("SmartCar Status Information", 27));
	/* every byte value at every position of the 14 (the check is 8 bytes
	 * at a time): a match only for the ten digits */
	for (int pos = 0; pos < 14; pos++)
		for (int b = 0; b < 256; b++) {
			char l[20] = "20160101000004,X";
			l[pos] = (char)b;
			if (rec_has_timestamp(l, 16) != (b >= '0' && b <= '9'))
				fail_msg("byte 0x%02x at %d", b, pos);
		}
	/* two bad bytes whose carries could cancel out */
	assert_false(rec_has_timestamp("\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", 14));
	assert_false(rec_has_timestamp("2016010100000\xfa", 14));
}

static void test_status_round_trip(void **st)
{
	(void)st;
	const char *l = "20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,87";
	rec_status r;
	job_err e;
	assert_int_equal(rec_status_parse(l, strlen(l), &r, &e), 0);
	assert_string_equal(r.reg_date, "20160101000004");
	assert_string_equal(r.car_number, "R0001");
	assert_int_equal(r.tire[3], 100);
	assert_int_equal(r.light[3], 2);
	assert_int_equal(r.engine, 'A');
	assert_int_equal(r.brake, 'C');
	assert_int_equal(r.battery, 87);
	assert_string_equal(r.wrk_date, "");
	char buf[96];
	assert_int_equal(rec_status_format(&r, buf), strlen(l));
	assert_string_equal(buf, l);
	const char *l14 = "20160101000004,R0001,87,96,93,100,1,1,1,2,A,C,87,20160102";
	assert_int_equal(rec_status_parse(l14, strlen(l14), &r, &e), 0);
	assert_string_equal(r.wrk_date, "20160102");
	rec_status_format(&r, buf);
	assert_string_equal(buf, l14);
}

static void expect_status_error(const char *l, const char *needle)
{
	rec_status r;
	job_err e;
	assert_int_equal(rec_status_parse(l, strlen(l), &r, &e), -1);
	if (!strstr(e.msg, needle))
		fail_msg("'%s': error '%s' lacks '%s'", l, e.msg, needle);
}

static void test_status_errors(void **st)
{
	(void)st;
	expect_status_error("20160101000004,R0001,87,96,93,100,1,1,1,1,A,B", "12 fields");
	expect_status_error("20160101000004,R0001,87,96,93,100,1,1,1,1,A,B,87,1,2", "15 fields");
	expect_status_error("2016010100000x,R0001,87,96,93,100,1,1,1,1,A,B,87", "reg_date");
	expect_status_error("20160101000004,R001,87,96,93,100,1,1,1,1,A,B,87", "car_number");
	expect_status_error("20160101000004,R0001,87,96,93,101,1,1,1,1,A,B,87", "tire_br");
	expect_status_error("20160101000004,R0001,87,96,93,,1,1,1,1,A,B,87", "tire_br");
	expect_status_error("20160101000004,R0001,87,96,93,99,1,3,1,1,A,B,87", "light_fr");
	expect_status_error("20160101000004,R0001,87,96,93,99,1,1,1,1,D,B,87", "engine");
	expect_status_error("20160101000004,R0001,87,96,93,99,1,1,1,1,A,b,87", "break");
	expect_status_error("20160101000004,R0001,87,96,93,99,1,1,1,1,A,B,x", "battery");
	expect_status_error("20160101000004,R0001,87,96,93,99,1,1,1,1,A,B,8,2016", "wrk_date");
}

static void test_driver(void **st)
{
	(void)st;
	const char *l = "20160101000140,E0001,5,0,L2,N,110,B09";
	rec_driver r;
	job_err e;
	assert_int_equal(rec_driver_parse(l, strlen(l), &r, &e), 0);
	assert_string_equal(r.car_number, "E0001");
	assert_int_equal(r.speed_pedal, 5);
	assert_string_equal(r.steer_angle, "L2");
	assert_int_equal(r.direct_light, 'N');
	assert_int_equal(r.speed, 110);
	assert_string_equal(r.area_number, "B09");
	char buf[96];
	rec_driver_format(&r, buf);
	assert_string_equal(buf, l);
	const char *bad[][2] = {
		{ "20160101000140,E0001,6,0,L2,N,110,B09", "speed_pedal" },
		{ "20160101000140,E0001,5,4,L2,N,110,B09", "break_pedal" },
		{ "20160101000140,E0001,5,0,L4,N,110,B09", "steer_angle" },
		{ "20160101000140,E0001,5,0,F,X,110,B09", "direct_light" },
		{ "20160101000140,E0001,5,0,F,N,251,B09", "speed" },
		{ "20160101000140,E0001,5,0,F,N,25,G09", "area_number" },
		{ "20160101000140,E0001,5,0,F,N,25,A11", "area_number" },
		{ "20160101000140,E0001,5,0,F,N,25", "got 7" },
		{ "20160101000140,E0001,05,0,F,N,25,A01", "speed_pedal" },	/* one form: no leading zero */
		{ "20160101000140,E0001,5,0,F,N,025,A01", "speed" },
		{ "20160101000140,E0001,5,0,F,N,00001,A01", "speed" },
		{ "20160101000140,e0001,5,0,F,N,25,A01", "car_number" },
		{ "20160101000140,E00001,5,0,F,N,25,A01", "car_number" },
		{ "20160101240000,E0001,5,0,F,N,25,A01", "date" },	/* 24:00:00 */
		{ "20160230000000,E0001,5,0,F,N,25,A01", "date" },
		{ "19691231235959,E0001,5,0,F,N,25,A01", "date" },
		{ "20160101000140,E0001,5,0,F,N,25,A01\n\n", "area_number" },	/* one line ending only */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(rec_driver_parse(bad[i][0], strlen(bad[i][0]), &r, &e), -1);
		if (!strstr(e.msg, bad[i][1]))
			fail_msg("'%s': error '%s' lacks '%s'", bad[i][0], e.msg, bad[i][1]);
	}
}

/* Found by tests/fuzz/fuzz_records.c (corpus: records/crash-driver-light-nul):
 * a NUL byte as direct_light was taken as a light, since strchr("NLR", '\0')
 * finds the terminator; kafka2hbase rejects that line, rollup drive-day took it. */
static void test_driver_nul_light(void **st)
{
	(void)st;
	static const char l[] = "20160101235000,E0000,5,0,L2,\0,0,B09";
	rec_driver r;
	job_err e;
	assert_int_equal(rec_driver_parse(l, sizeof l - 1, &r, &e), -1);
	assert_non_null(strstr(e.msg, "direct_light"));
}

/* The zero-copy view, the line endings it ignores, the row key and the day's
 * row regex (kafka2hbase writes the keys, rollup drive-day selects by it). */
static void test_driver_view_and_key(void **st)
{
	(void)st;
	static const char *lines[] = { "20160103010000,Z0020,5,0,L2,N,110,B09", "20160103010000,Z0020,5,0,L2,N,110,B09\n",
				       "20160103010000,Z0020,5,0,L2,N,110,B09\r\n", "20160103010000,Z0020,5,0,L2,N,110,B09\r" };
	for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
		rec_driver_view v;
		job_err e;
		rec_tscache c = { 0 };
		assert_int_equal(rec_driver_scan(lines[i], strlen(lines[i]), &v, &c, &e), 0);
		assert_ptr_equal(v.f[REC_D_DATE].p, lines[i]);	/* zero-copy */
		assert_int_equal(v.f[REC_D_AREA_NUMBER].n, 3);
		assert_int_equal(v.speed, 110);
		assert_int_equal(v.speed_pedal, 5);
		assert_int_equal(v.break_pedal, 0);
		assert_true(v.ts == 1451782800);
		char key[REC_DRIVER_ROW_KEY_LEN + 1];
		assert_int_equal(rec_driver_row_key(&v, key), REC_DRIVER_ROW_KEY_LEN);
		assert_string_equal(key, "00001030106102-Z0020");	/* docs/jobs-stream.md's example */
	}
	char re[32];
	rec_driver_day_regex("20160103", re);
	assert_string_equal(re, "^[0-9]{6}30106102-");
	assert_string_equal(rec_driver_names[REC_D_AREA_NUMBER], "area_number");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timestamp_prefix), cmocka_unit_test(test_status_round_trip),
		cmocka_unit_test(test_status_errors), cmocka_unit_test(test_driver),
		cmocka_unit_test(test_driver_nul_light), cmocka_unit_test(test_driver_view_and_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
