/* test_path.c: lib/path.c, names that must be one path component and the
 * one join that keeps a path under its root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "lib/path.h"

static void test_names(void **state)
{
	(void)state;
	assert_null(path_name_problem("etl"));
	assert_null(path_name_problem("a.b-c_d"));
	assert_null(path_name_problem(".hidden"));
	assert_null(path_name_problem("2026-01-02T00:00:00+01:00"));
	assert_string_equal(path_name_problem(""), "is empty");
	assert_string_equal(path_name_problem("."), "is made only of dots");
	assert_string_equal(path_name_problem(".."), "is made only of dots");
	assert_string_equal(path_name_problem("..."), "is made only of dots");
	assert_string_equal(path_name_problem("a/b"), "contains '/'");
	assert_string_equal(path_name_problem("x\033]0;T\a"), "contains a control character");
	assert_string_equal(path_name_problem("a\x7f"), "contains a control character");
	char longest[PATH_NAME_MAX + 2];
	memset(longest, 'a', PATH_NAME_MAX);
	longest[PATH_NAME_MAX] = '\0';
	assert_null(path_name_problem(longest));
	longest[PATH_NAME_MAX] = 'a';
	longest[PATH_NAME_MAX + 1] = '\0';
	assert_string_equal(path_name_problem(longest), "is longer than 250 bytes");
}

static void test_join(void **state)
{
	(void)state;
	char out[64];
	assert_int_equal(path_join_under(out, sizeof out, "/logs", "etl/2026/t/try-1.log"), 0);
	assert_string_equal(out, "/logs/etl/2026/t/try-1.log");
	assert_int_equal(path_join_under(out, sizeof out, "/logs/", "a"), 0);
	assert_string_equal(out, "/logs/a");
	assert_int_equal(path_join_under(out, sizeof out, "rel", "a/b"), 0);
	assert_string_equal(out, "rel/a/b");
}

static void test_join_refuses_escapes(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"..", "../x", "a/../../x", "a/..", "./a", "a//b", "a/", "/etc/passwd", "", "a/\033b", "a/...",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[64] = "untouched";
		errno = 0;
		assert_int_equal(path_join_under(out, sizeof out, "/logs", bad[i]), -1);
		assert_int_equal(errno, EINVAL);
		assert_string_equal(out, "");
	}
	char out[64];
	assert_int_equal(path_join_under(out, sizeof out, "", "a"), -1);
	assert_int_equal(errno, EINVAL);
}

static void test_join_too_long(void **state)
{
	(void)state;
	char out[12];
	assert_int_equal(path_join_under(out, sizeof out, "/logs", "abcdef"), -1);
	assert_int_equal(errno, ENAMETOOLONG);
	assert_int_equal(path_join_under(out, sizeof out, "/logs", "abcde"), 0);
	assert_string_equal(out, "/logs/abcde");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_join),
		cmocka_unit_test(test_join_refuses_escapes),
		cmocka_unit_test(test_join_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
