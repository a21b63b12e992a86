/* test_k2h_record.c: driver record -> DriverCarInfo row key, cells, timestamp;
 * malformed records are refused with a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jobs/kafka2hbase/k2h_record.h"

static int parse(const char *s, struct k2h_record *r, char *reason)
{
	return k2h_record_parse(s, strlen(s), r, reason, 256);
}

static void test_domain_example(void **state)
{
	(void)state;
	struct k2h_record r;
	char reason[256];
	assert_int_equal(parse("20160103010000,Z0020,5,0,L2,N,110,B09\n", &r, reason), 0);
	assert_string_equal(r.row, "00001030106102-Z0020");	/* docs/formats.md's example */
	assert_true(r.ts_ms == 1451782800000LL);
	const char *want[] = {"20160103010000", "Z0020", "5", "0", "L2", "N", "110", "B09"};
	for (int i = 0; i < K2H_FIELDS; i++)
		assert_string_equal(r.field[i], want[i]);
	assert_string_equal(k2h_qualifiers[3], "break_pedal");
}

static void test_malformed(void **state)
{
	(void)state;
	struct k2h_record r;
	char reason[256];
	assert_int_equal(parse("a,b,c", &r, reason), -1);
	assert_string_equal(reason, "expected 8 fields, got 3");
	assert_int_equal(parse("20160103010000,Z0020,5,0,L2,N,110,B09,extra", &r, reason), -1);
	assert_string_equal(reason, "expected 8 fields, got more");
	assert_int_equal(parse("20161303010000,Z0020,5,0,L2,N,110,B09", &r, reason), -1);
	assert_non_null(strstr(reason, "date"));
	assert_int_equal(parse("20150229000000,Z0020,5,0,L2,N,110,B09", &r, reason), -1);	/* not a leap year */
	assert_int_equal(parse("20160229235959,Z0020,5,0,L2,N,110,B09", &r, reason), 0);
	assert_int_equal(parse("2016010301000,Z0020,5,0,L2,N,110,B09", &r, reason), -1);
	assert_int_equal(parse("20160103010000,z0020,5,0,L2,N,110,B09", &r, reason), -1);
	assert_non_null(strstr(reason, "car number"));
	assert_int_equal(parse("20160103010000,Z0020,5,,L2,N,110,B09", &r, reason), -1);
	assert_string_equal(reason, "field 4 (break_pedal) is empty");
	assert_int_equal(k2h_record_parse("2016\0", 5, &r, reason, 256), -1);
	assert_int_equal(parse("", &r, reason), -1);
}

static void test_date_ms(void **state)
{
	(void)state;
	assert_true(k2h_date_ms("19700101000000") == 0);
	assert_true(k2h_date_ms("19700101000001") == 1000);
	assert_true(k2h_date_ms("20160101000000") == 1451606400000LL);
	assert_true(k2h_date_ms("20160101240000") == -1);
	assert_true(k2h_date_ms("2016010100000x") == -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_domain_example),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_date_ms),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
