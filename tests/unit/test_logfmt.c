/* test_logfmt.c: lib/logfmt.c, the one logfmt writer: the quoting rule (bare,
 * quoted, escapes, control bytes as \xNN), the format walker (typed
 * arguments, whole values quoted, literal text, the value limit), the level
 * names, the timestamp. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdlib.h>
#include <string.h>

#include "lib/logfmt.h"

static char *kv(size_t value_max, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	logfmt_vkv(&b, value_max, fmt, ap);
	va_end(ap);
	return buf_detach(&b);
}

static void expect_logfmt(const char *v, const char *want)
{
	struct buf b = BUF_INIT;
	logfmt_value(&b, v, strlen(v));
	if (strcmp(buf_str(&b), want) != 0)
		fail_msg("value '%s': got [%s], want [%s]", v, buf_str(&b), want);
	buf_free(&b);
}

static void test_quoting_rule(void **state)
{
	(void)state;
	expect_logfmt("plain", "plain");
	expect_logfmt("/a/b\\c", "/a/b\\c");		/* a backslash alone stays bare */
	expect_logfmt("", "\"\"");
	expect_logfmt("a b", "\"a b\"");
	expect_logfmt("k=v", "\"k=v\"");
	expect_logfmt("say \"hi\"", "\"say \\\"hi\\\"\"");
	expect_logfmt("a\\ b", "\"a\\\\ b\"");
	expect_logfmt("l1\nl2", "\"l1\\nl2\"");
	expect_logfmt("a\tb", "\"a\\x09b\"");
	expect_logfmt("\x1b]0;TITLE\a", "\"\\x1b]0;TITLE\\x07\"");	/* nothing reaches the terminal */
	expect_logfmt("del\x7f", "\"del\\x7f\"");
	expect_logfmt("caf\xc3\xa9", "caf\xc3\xa9");	/* UTF-8 passes */
	struct buf b = BUF_INIT;
	logfmt_quoted(&b, "x", 1);
	assert_string_equal(buf_str(&b), "\"x\"");
	logfmt_value(&b, "a\0b", 3);		/* a NUL inside a counted value */
	assert_int_equal(b.len, 3 + 8);
	assert_memory_equal(b.s + 3, "\"a\\x00b\"", 8);
	buf_free(&b);
}

static void test_format_walker(void **state)
{
	(void)state;
	char *s = kv(0, "file=%s lines=%zu ratio=%.2f", "/tmp/a b", (size_t)12, 0.5);
	assert_string_equal(s, "file=\"/tmp/a b\" lines=12 ratio=0.50");
	free(s);
	s = kv(0, "x=%s y=%d z=%lld n=%s", "", -3, 1234567890123LL, (const char *)NULL);
	assert_string_equal(s, "x=\"\" y=-3 z=1234567890123 n=(null)");
	free(s);
	s = kv(0, "w=%*d p=%.3s pct=100%% lit=a", 4, 7, "abcdef");
	assert_string_equal(s, "w=\"   7\" p=abc pct=100% lit=a");
	free(s);
	s = kv(0, "u=%u h=%x c=%c l=%ld j=%jd t=%td p=%s", 7u, 255u, 'q', -5L, (intmax_t)9, (ptrdiff_t)-2, "z");
	assert_string_equal(s, "u=7 h=ff c=q l=-5 j=9 t=-2 p=z");
	free(s);
	/* A value of several conversions is one value, quoted as a whole. */
	s = kv(0, "at=%s:%d next=%d", "my file", 12, 3);
	assert_string_equal(s, "at=\"my file:12\" next=3");
	free(s);
	/* Long values are whole unless a limit is asked. */
	char big[3000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	s = kv(0, "v=%s after=%d", big, 7);
	assert_int_equal(strlen(s), 2 + 2999 + 8);
	free(s);
	s = kv(100, "v=%s after=%d", big, 7);
	assert_int_equal(strlen(s), 2 + 100 + 8);
	assert_string_equal(s + 102, " after=7");
	free(s);
	s = kv(0, "");
	assert_string_equal(s, "");
	free(s);
}

static void test_levels(void **state)
{
	(void)state;
	assert_int_equal(logfmt_level_parse("debug"), LOGFMT_DEBUG);
	assert_int_equal(logfmt_level_parse("info"), LOGFMT_INFO);
	assert_int_equal(logfmt_level_parse("warn"), LOGFMT_WARN);
	assert_int_equal(logfmt_level_parse("error"), LOGFMT_ERROR);
	assert_int_equal(logfmt_level_parse("warning"), -1);
	assert_int_equal(logfmt_level_parse("INFO"), -1);
	assert_int_equal(logfmt_level_parse(""), -1);
	assert_int_equal(logfmt_level_parse(NULL), -1);
	assert_string_equal(logfmt_level_name(LOGFMT_WARN), "warn");
}

static void test_timestamp(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	logfmt_timestamp(&b);
	logfmt_timestamp(&b);
	regex_t re;
	assert_int_equal(regcomp(&re,
				 "^(20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z){2}$",
				 REG_EXTENDED | REG_NOSUB), 0);
	assert_int_equal(regexec(&re, buf_str(&b), 0, NULL, 0), 0);
	regfree(&re);
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_quoting_rule),
		cmocka_unit_test(test_format_walker),
		cmocka_unit_test(test_levels),
		cmocka_unit_test(test_timestamp),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
