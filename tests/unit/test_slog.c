/* test_slog.c: the daemon's logfmt lines: the ts/level/event prefix, values
 * quoted and escaped only when needed, levels below the minimum dropped, an
 * overlong value cut but the line still whole, one line per call. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scheduler/slog.h"

static char path[64];
static int saved_stderr = -1;

/* stderr into a fresh file, for one test. */
static int setup(void **state)
{
	(void)state;
	strcpy(path, "/tmp/test_slog.XXXXXX");
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	fflush(stderr);
	saved_stderr = dup(STDERR_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
	slog_min_level = SLOG_INFO;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	dup2(saved_stderr, STDERR_FILENO);
	close(saved_stderr);
	unlink(path);
	return 0;
}

/* What was logged so far (caller frees). */
static char *logged(void)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = calloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_prefix_and_plain_values(void **state)
{
	(void)state;
	slog(SLOG_INFO, "task_started", "dag=%s run=%lld task=%s try=%d pid=%d", "etl", 42LL, "load", 3, 1234);
	char *out = logged();
	regex_t re;
	assert_int_equal(regcomp(&re,
				 "^ts=20[0-9]{2}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z level=info"
				 " event=task_started dag=etl run=42 task=load try=3 pid=1234\n$",
				 REG_EXTENDED),
			 0);
	assert_int_equal(regexec(&re, out, 0, NULL, 0), 0);
	regfree(&re);
	free(out);
}

static void test_quoting(void **state)
{
	(void)state;
	slog(SLOG_WARN, "task_failed", "cause=%s path=%s empty=%s", "exit code 3; said \"no\"\n",
	     "/a/b\\c", "");
	char *out = logged();
	const char *want = " level=warn event=task_failed cause=\"exit code 3; said \\\"no\\\"\\n\" path=/a/b\\c"
			   " empty=\"\"\n";
	assert_non_null(strstr(out, want));
	free(out);
	slog(SLOG_ERROR, "x", "tab=%s eq=%s ctl=%s", "a\tb", "k=v", "\x01");
	out = logged();
	assert_non_null(strstr(out, "event=x tab=\"a\\x09b\" eq=\"k=v\" ctl=\"\\x01\"\n"));
	free(out);
}

static void test_levels(void **state)
{
	(void)state;
	slog(SLOG_DEBUG, "hidden", "a=%d", 1);
	slog_min_level = SLOG_WARN;
	slog(SLOG_INFO, "hidden_too", "a=%d", 1);
	slog(SLOG_ERROR, "shown", "a=%d", 2);
	char *out = logged();
	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, "level=error event=shown a=2\n"));
	free(out);
}

static void test_long_value_and_many_lines(void **state)
{
	(void)state;
	char *big = malloc(20000);
	memset(big, 'x', 19999);
	big[19999] = '\0';
	slog(SLOG_INFO, "big", "v=%s after=%d", big, 7);
	for (int i = 0; i < 100; i++)
		slog(SLOG_INFO, "n", "i=%d", i);
	free(big);
	char *out = logged();
	/* Every line whole: 101 newlines, the big one cut short of 8 KiB. */
	int lines = 0;
	for (char *p = out; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 101);
	char *nl = strchr(out, '\n');
	assert_true(nl - out < 8192);
	assert_non_null(strstr(out, "event=n i=99\n"));
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_prefix_and_plain_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_quoting, setup, teardown),
		cmocka_unit_test_setup_teardown(test_levels, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_value_and_many_lines, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
