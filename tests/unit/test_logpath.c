/* test_logpath.c: scheduler/logpath.c, a try's base path stays under --logs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "scheduler/logpath.h"

static void test_base(void **state)
{
	(void)state;
	char b[256];
	assert_int_equal(logpath_try_base(b, sizeof b, "/var/logs", "etl", "2026-01-02T00:00:00+01:00", "load", 3), 0);
	assert_string_equal(b, "/var/logs/etl/2026-01-02T00:00:00+01:00/load/try-3");
}

static void test_ids_that_leave_the_root(void **state)
{
	(void)state;
	static const char *const bad[] = { "..", ".", "a/b", "../..", "", "x\033" };
	char b[256];
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		errno = 0;
		assert_int_equal(logpath_try_base(b, sizeof b, "/logs", bad[i], "d", "t", 1), -1);
		assert_int_equal(errno, EINVAL);
		assert_string_equal(b, "");
		assert_int_equal(logpath_try_base(b, sizeof b, "/logs", "d", "d", bad[i], 1), -1);
		assert_int_equal(logpath_try_base(b, sizeof b, "/logs", "d", bad[i], "t", 1), -1);
	}
}

static void test_too_long(void **state)
{
	(void)state;
	char id[300];
	memset(id, 'a', sizeof id - 1);
	id[sizeof id - 1] = '\0';
	char b[4096];
	assert_int_equal(logpath_try_base(b, sizeof b, "/logs", id, "d", "t", 1), -1);
	assert_int_equal(errno, EINVAL);
	char small[20];
	assert_int_equal(logpath_try_base(small, sizeof small, "/logs", "dag", "date", "task", 1), -1);
	assert_int_equal(errno, ENAMETOOLONG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base),
		cmocka_unit_test(test_ids_that_leave_the_root),
		cmocka_unit_test(test_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
