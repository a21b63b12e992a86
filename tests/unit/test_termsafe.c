/* test_termsafe.c: lib/termsafe.c, the one terminal escaping. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/termsafe.h"

static void check(const char *in, const char *want)
{
	char *got = termsafe_dup(in);
	assert_string_equal(got, want);
	assert_int_equal(termsafe_is_clean(in), strcmp(in, want) == 0);
	assert_true(termsafe_is_clean(got));
	free(got);
}

static void test_plain_text_unchanged(void **state)
{
	(void)state;
	check("", "");
	check("etl.daily-1_x", "etl.daily-1_x");
	check("back\\slash", "back\\slash");
	check("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x97", "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x9a\x97");
}

static void test_controls_escaped(void **state)
{
	(void)state;
	check("x\033]0;TITLE\a", "x\\x1b]0;TITLE\\x07");
	check("a\tb\nc\rd", "a\\x09b\\x0ac\\x0dd");
	check("del\x7f", "del\\x7f");
	check("\xc2\x9b" "31m", "\\xc2\\x9b31m");	/* C1 CSI as UTF-8 */
	check("\x9b" "31m", "\\x9b31m");		/* raw 8-bit CSI */
}

static void test_invalid_utf8_escaped(void **state)
{
	(void)state;
	check("\xff", "\\xff");
	check("\xc3", "\\xc3");			/* truncated */
	check("\xc0\xaf", "\\xc0\\xaf");	/* overlong '/' */
	check("\xe0\x80\xaf", "\\xe0\\x80\\xaf");
	check("\xed\xa0\x80", "\\xed\\xa0\\x80");	/* surrogate */
	check("\xf4\x90\x80\x80", "\\xf4\\x90\\x80\\x80");	/* beyond U+10FFFF */
	assert_null(termsafe_dup(NULL));
}

static void test_copy_without_allocation(void **state)
{
	(void)state;
	char b[16];
	assert_int_equal(termsafe_copy(b, sizeof b, "x\033]0;T\a"), 13);
	assert_string_equal(b, "x\\x1b]0;T\\x07");
	/* cut at a whole escape or character, never inside one */
	assert_int_equal(termsafe_copy(b, 4, "\033"), 0);
	assert_string_equal(b, "");
	assert_int_equal(termsafe_copy(b, 5, "ab\xc3\xa9\xc3\xa9"), 4);
	assert_string_equal(b, "ab\xc3\xa9");
	assert_int_equal(termsafe_copy(b, 1, "abc"), 0);
	assert_string_equal(b, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_text_unchanged),
		cmocka_unit_test(test_controls_escaped),
		cmocka_unit_test(test_invalid_utf8_escaped),
		cmocka_unit_test(test_copy_without_allocation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
