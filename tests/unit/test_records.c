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
		{ "20160101000140,E0001,5,0,F,N,25", "7 fields" },
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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timestamp_prefix), cmocka_unit_test(test_status_round_trip),
		cmocka_unit_test(test_status_errors), cmocka_unit_test(test_driver),
		cmocka_unit_test(test_driver_nul_light),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
