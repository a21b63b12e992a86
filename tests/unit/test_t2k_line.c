/* test_t2k_line.c: tail2kafka's line filter (^\d{14} by default, \d accepted)
 * and message-key field extraction. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "jobs/tail2kafka/t2k_line.h"

static int match(const struct t2k_filter *f, const char *s)
{
	char buf[256];
	strcpy(buf, s);
	return t2k_filter_match(f, buf, strlen(buf));
}

static void test_default_pattern(void **state)
{
	(void)state;
	struct t2k_filter f;
	char err[256];
	assert_int_equal(t2k_filter_init(&f, T2K_DEFAULT_PATTERN, err, sizeof err), 0);
	assert_true(match(&f, "20160101000140,E0001,5,0,L2,N,110,B09"));
	assert_false(match(&f, "SmartCar Driver Information,CarNum"));
	assert_false(match(&f, "2016010100014,E0001"));	/* 13 digits */
	assert_false(match(&f, " 20160101000140,E0001"));
	assert_false(match(&f, ""));
	/* only the given length counts: digits after len are not seen */
	char buf[] = "2016010100\n0140";
	assert_false(t2k_filter_match(&f, buf, 10));
	t2k_filter_free(&f);
}

static void test_backslash_d(void **state)
{
	(void)state;
	struct t2k_filter f;
	char err[256];
	assert_int_equal(t2k_filter_init(&f, "^\\d{14}", err, sizeof err), 0);
	assert_true(match(&f, "20160101000140,x"));
	assert_false(match(&f, "2016010100014x"));
	t2k_filter_free(&f);
	assert_int_equal(t2k_filter_init(&f, "^a\\.b$", err, sizeof err), 0);
	assert_true(match(&f, "a.b"));
	assert_false(match(&f, "axb"));
	t2k_filter_free(&f);
	assert_int_equal(t2k_filter_init(&f, "([0-9]", err, sizeof err), -1);
	assert_true(strlen(err) > 0);
}

static void test_fast_path_agrees(void **state)
{
	(void)state;
	struct t2k_filter fast, slow;
	char err[256];
	assert_int_equal(t2k_filter_init(&fast, "^[0-9]{14}", err, sizeof err), 0);
	assert_int_equal(fast.digits, 14);
	assert_int_equal(t2k_filter_init(&slow, "^[[:digit:]]{14}", err, sizeof err), 0);
	assert_int_equal(slow.digits, 0);
	const char *lines[] = {"20160101000140,E0001", "2016010100014", "20160101000140", "x20160101000140",
			       "201601010001a0,x", "", "999999999999999999", "2016 0101000140"};
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		assert_int_equal(match(&fast, lines[i]), match(&slow, lines[i]));
	t2k_filter_free(&fast);
	t2k_filter_free(&slow);
	assert_int_equal(t2k_filter_init(&fast, "^[0-9]{14}x", err, sizeof err), 0);
	assert_int_equal(fast.digits, 0);
	t2k_filter_free(&fast);
}

static void test_key_field(void **state)
{
	(void)state;
	const char *line = "20160101000140,E0001,5,0,L2,N,110,B09", *k;
	size_t n;
	assert_int_equal(t2k_key_field(line, strlen(line), 2, &k, &n), 0);
	assert_int_equal(n, 5);
	assert_memory_equal(k, "E0001", 5);
	assert_int_equal(t2k_key_field(line, strlen(line), 1, &k, &n), 0);
	assert_int_equal(n, 14);
	assert_int_equal(t2k_key_field(line, strlen(line), 8, &k, &n), 0);
	assert_memory_equal(k, "B09", 3);
	assert_int_equal(n, 3);
	assert_int_equal(t2k_key_field(line, strlen(line), 9, &k, &n), -1);
	assert_int_equal(t2k_key_field("abc", 3, 2, &k, &n), -1);
	assert_int_equal(t2k_key_field("a,,c", 4, 2, &k, &n), 0);
	assert_int_equal(n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_pattern),
		cmocka_unit_test(test_backslash_d),
		cmocka_unit_test(test_fast_path_agrees),
		cmocka_unit_test(test_key_field),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
