/* test_mapindex.c: map_name_parse / map_name_format / map_name_compare
 * (scheduler/mapindex.c): instance names, names that are not, canonical
 * indexes only, bounds, round trips, the views' order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "scheduler/mapindex.h"

static void expect_instance(const char *name, size_t task_len, int index)
{
	size_t len = 12345;
	int i = -7;
	if (map_name_parse(name, &len, &i) != 1)
		fail_msg("map_name_parse(\"%s\") is not an instance", name);
	assert_int_equal(len, task_len);
	assert_int_equal(i, index);
	assert_int_equal(map_name_index(name), index);
}

static void expect_plain(const char *name)
{
	size_t len = 12345;
	int i = -7;
	if (map_name_parse(name, &len, &i) != 0)
		fail_msg("map_name_parse(\"%s\") took it for an instance", name);
	assert_int_equal(len, name != NULL ? strlen(name) : 0);
	assert_int_equal(i, -1);
	assert_int_equal(map_name_index(name), -1);
}

static void test_instances(void **state)
{
	(void)state;
	expect_instance("load_part[0]", 9, 0);
	expect_instance("load_part[3]", 9, 3);
	expect_instance("x[10]", 1, 10);
	expect_instance("a.b-c_D9[99999]", 8, 99999);
	expect_instance("x[999999999]", 1, 999999999);
	assert_int_equal(map_name_parse("x[7]", NULL, NULL), 1);
}

static void test_not_instances(void **state)
{
	(void)state;
	expect_plain(NULL);
	expect_plain("");
	expect_plain("load_part");
	expect_plain("[3]");		/* no task */
	expect_plain("x[]");		/* no index */
	expect_plain("x[03]");		/* not canonical: one name per instance */
	expect_plain("x[00]");
	expect_plain("x[-1]");
	expect_plain("x[+1]");
	expect_plain("x[ 1]");
	expect_plain("x[1a]");
	expect_plain("x[1");
	expect_plain("x1]");
	expect_plain("x[1][2]");
	expect_plain("x[[1]");
	expect_plain("a/b[1]");		/* not a task id */
	expect_plain("a b[1]");
	expect_plain("x[1000000000]");	/* beyond MAP_INDEX_MAX */
	expect_plain("x[99999999999999999999]");
	assert_int_equal(map_name_parse("x", NULL, NULL), 0);
}

static void test_format(void **state)
{
	(void)state;
	char buf[32];
	assert_int_equal(map_name_format(buf, sizeof buf, "load_part", 3), 0);
	assert_string_equal(buf, "load_part[3]");
	assert_int_equal(map_name_format(buf, sizeof buf, "x", 0), 0);
	assert_string_equal(buf, "x[0]");

	errno = 0;
	assert_int_equal(map_name_format(buf, sizeof buf, "x", -1), -1);
	assert_int_equal(errno, EINVAL);
	assert_string_equal(buf, "");
	assert_int_equal(map_name_format(buf, sizeof buf, "", 1), -1);
	assert_int_equal(map_name_format(buf, sizeof buf, NULL, 1), -1);
	assert_int_equal(map_name_format(buf, sizeof buf, "x", MAP_INDEX_MAX + 1), -1);

	char small[6];
	errno = 0;
	assert_int_equal(map_name_format(small, sizeof small, "x", 100), -1);	/* "x[100]" needs 7 */
	assert_int_equal(errno, ENAMETOOLONG);
	assert_string_equal(small, "");
	assert_int_equal(map_name_format(small, sizeof small, "x", 10), 0);	/* "x[10]" + NUL fits */
	assert_string_equal(small, "x[10]");
}

static void test_round_trip(void **state)
{
	(void)state;
	static const int indexes[] = { 0, 1, 9, 10, 11, 99, 100, 1999, 100000, MAP_INDEX_MAX };
	char buf[64];
	for (size_t k = 0; k < sizeof indexes / sizeof indexes[0]; k++) {
		assert_int_equal(map_name_format(buf, sizeof buf, "t.a-b_1", indexes[k]), 0);
		size_t len;
		int i;
		assert_int_equal(map_name_parse(buf, &len, &i), 1);
		assert_int_equal(len, 7);
		assert_int_equal(i, indexes[k]);
	}
}

static int compare_names(const void *a, const void *b)
{
	return map_name_compare(*(const char *const *)a, *(const char *const *)b);
}

static void test_compare(void **state)
{
	(void)state;
	assert_true(map_name_compare("x[2]", "x[10]") < 0);
	assert_true(map_name_compare("x[10]", "x[2]") > 0);
	assert_true(map_name_compare("x", "x[0]") < 0);
	assert_true(map_name_compare("x[0]", "x") > 0);
	assert_int_equal(map_name_compare("x[5]", "x[5]"), 0);
	assert_int_equal(map_name_compare("x", "x"), 0);
	assert_true(map_name_compare("x[9]", "xa") < 0);	/* task ids first */
	assert_true(map_name_compare("xa", "x[9]") > 0);
	assert_true(map_name_compare("a", "b[0]") < 0);
	assert_true(map_name_compare(NULL, "a") < 0);
	assert_int_equal(map_name_compare(NULL, NULL), 0);

	const char *names[] = { "x[10]", "y", "x[2]", "x", "x[1]", "w[3]", "x[0]", "w" };
	qsort(names, sizeof names / sizeof names[0], sizeof names[0], compare_names);
	const char *want[] = { "w", "w[3]", "x", "x[0]", "x[1]", "x[2]", "x[10]", "y" };
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++)
		assert_string_equal(names[k], want[k]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_instances),  cmocka_unit_test(test_not_instances),
		cmocka_unit_test(test_format),	   cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
