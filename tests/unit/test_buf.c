/* test_buf.c: lib/buf.c, the one growable buffer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "lib/buf.h"

static void test_empty_is_a_string(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	assert_string_equal(buf_str(&b), "");
	char *s = buf_detach(&b);
	assert_string_equal(s, "");
	free(s);
	buf_free(&b);
}

static void test_append_and_grow(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_putc(&b, (char)('a' + i % 26));
	assert_int_equal(b.len, 10000);
	assert_int_equal(strlen(b.s), 10000);
	assert_true(b.cap >= b.len);
	assert_int_equal(b.s[26], 'a');
	buf_truncate(&b, 3);
	assert_string_equal(buf_str(&b), "abc");
	buf_puts(&b, "-x");
	assert_string_equal(buf_str(&b), "abc-x");
	buf_reset(&b);
	assert_string_equal(buf_str(&b), "");
	buf_free(&b);
	assert_null(b.s);
}

static void test_printf_long(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_printf(&b, "%d:", 42);
	char big[5000];
	memset(big, 'z', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	buf_printf(&b, "%s|%s", big, "end");
	assert_int_equal(b.len, 3 + 4999 + 4);
	assert_memory_equal(b.s, "42:zz", 5);
	assert_string_equal(b.s + b.len - 4, "|end");
	buf_free(&b);
}

static void test_binary_keeps_nul(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	buf_add(&b, "a\0b", 3);
	assert_int_equal(b.len, 3);
	assert_memory_equal(b.s, "a\0b", 4);	/* and the terminator */
	char *s = buf_detach(&b);
	assert_null(b.s);
	assert_int_equal(b.len, 0);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_is_a_string),
		cmocka_unit_test(test_append_and_grow),
		cmocka_unit_test(test_printf_long),
		cmocka_unit_test(test_binary_keeps_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
