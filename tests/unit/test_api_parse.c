/* test_api_parse.c: the REST API's date-times (RFC 3339, fractions and
 * offsets) and the logs' continuation tokens (a token names its try; one of
 * another try, or malformed, is refused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ui-web/api_parse.h"

static void test_times(void **state)
{
	(void)state;
	int64_t us;
	assert_int_equal(api_parse_time("2026-03-01T00:00:00Z", &us), 0);
	assert_true(us == INT64_C(1772323200) * 1000000);
	assert_int_equal(api_parse_time("2026-03-01T02:00:00+02:00", &us), 0);
	assert_true(us == INT64_C(1772323200) * 1000000);
	assert_int_equal(api_parse_time("2026-03-01T00:00:00.5Z", &us), 0);
	assert_true(us == INT64_C(1772323200) * 1000000 + 500000);
	assert_int_equal(api_parse_time("2026-03-01T00:00:00.1234567+00:00", &us), 0);
	assert_true(us == INT64_C(1772323200) * 1000000 + 123456);
	assert_int_equal(api_parse_time("2026-03-01T00:00:00", &us), 0);	/* UTC */
	assert_true(us == INT64_C(1772323200) * 1000000);
	const char *bad[] = { "", "2026-03-01", "yesterday", "2026-03-01T00:00:00.Z", "2026-13-01T00:00:00Z",
			      "2026-03-01T25:00:00Z", "2026-03-01T00:00:00+2", "2026-03-01T00:00:00Zjunk",
			      "2026-03-01T00:00:00.000000000000000000000000000000000000000000000000000000000000Z" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_int_equal(api_parse_time(bad[i], &us), -1);
}

static void test_tokens(void **state)
{
	(void)state;
	char tok[96];
	int64_t off = -1;
	api_token_make(tok, sizeof tok, 12345, 77, 2);
	assert_true(api_token_read(tok, 77, 2, &off));
	assert_true(off == 12345);
	assert_false(api_token_read(tok, 78, 2, &off));	/* another run */
	assert_false(api_token_read(tok, 77, 3, &off));	/* another try */
	const char *bad[] = { "", "1.4e.2", "3039.4d", "3039.4d.2.", "-1.4d.2", "3039..2", "ffffffffffffffff.4d.2",
			      "10000000000000000.4d.2", "3039.4d.2 ", "3039.4D.2" };
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		assert_false(api_token_read(bad[i], 77, 2, &off));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_tokens),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
