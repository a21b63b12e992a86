/* test_backoff.c: retry delays, fixed and exponential, capped, no overflow. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "scheduler/backoff.h"

static void test_fixed(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay_ms(BACKOFF_FIXED, 5000, 3600000, 1), 5000);
	assert_int_equal(backoff_delay_ms(BACKOFF_FIXED, 5000, 3600000, 9), 5000);
	assert_int_equal(backoff_delay_ms(BACKOFF_FIXED, 5000, 1000, 1), 1000);	/* capped */
}

static void test_exponential(void **state)
{
	(void)state;
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 0, 1), 1000);
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 0, 2), 2000);
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 0, 4), 8000);
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 10000, 5), 10000);
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 10000, 1000000), 10000);
}

static void test_overflow_and_negative(void **state)
{
	(void)state;
	assert_true(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 0, 200) > 0);
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 1000, 0, 200), INT64_MAX);
	assert_int_equal(backoff_delay_ms(BACKOFF_FIXED, -5, 0, 1), 0);
	assert_int_equal(backoff_delay_ms(BACKOFF_EXPONENTIAL, 0, 0, 30), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fixed), cmocka_unit_test(test_exponential),
		cmocka_unit_test(test_overflow_and_negative),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
